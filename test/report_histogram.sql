-- report() of a continuous dependent draws a histogram (issue 19, item 6):
-- a bar per distinct value made a 682,156-character page from 2,000 rows.
-- Above 30 distinct values (without value labels) the figure has
-- ceil(log2 n) + 1 equal-width bins, at most 20, whose counts add up to n.
-- Negative control: on e8a2c9c the page has 2,000 bars: tests 1 and 2 fail
-- (and test 3 stops the file: no _histogram_rows).
BEGIN;
SELECT plan(5);

CREATE TEMP TABLE cont AS
SELECT g, 50 + 10 * sin(g * 1.3) + (g % 17) * 0.37 AS y, (g % 9)::float8 AS x
FROM generate_series(1, 2000) g;
CREATE TEMP TABLE page AS
SELECT survey_reg.report('cont', 'y', ARRAY['x'], generated_at => NULL) AS doc;

SELECT is((SELECT count(*)::int FROM page, regexp_matches(doc, '<rect class="bar"', 'g')), 12,
	'2,000 distinct values: 12 bins (Sturges)');
SELECT cmp_ok((SELECT length(doc) FROM page), '<', 60000, 'a page of a modest size');
SELECT is((SELECT sum((e->>'n')::float8) FROM jsonb_array_elements(
		survey_reg._histogram_rows('pg_temp.cont', 'y', NULL, 40,
			survey_reg._style(1, '.', true, NULL, NULL, NULL, 'en'))->'rows') e
		WHERE e->>'kind' = 'bar'),
	2000::float8, 'the bins hold every row');
-- few distinct values: a bar per value, as before
UPDATE cont SET y = g % 5;
SELECT is((SELECT count(*)::int FROM regexp_matches(
		survey_reg.report('cont', 'y', ARRAY['x'], generated_at => NULL), '<rect class="bar"', 'g')), 5,
	'five distinct values: five bars');
-- value labels: a bar per value too
UPDATE cont SET y = g % 40;
SELECT is((SELECT count(*)::int FROM regexp_matches(
		survey_reg.report('cont', 'y', ARRAY['x'], value_labels => '{"0": "none"}', generated_at => NULL),
		'<rect class="bar"', 'g')), 40,
	'with value labels, a bar per value');

SELECT * FROM finish();
ROLLBACK;
