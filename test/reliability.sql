-- Reliability against R psych and GNU PSPP: every number both produce, on
-- scales of 2, 3, 8 and 10 items with missing values (listwise), to the
-- bounds claimed in test/data/accuracy_claims.csv (suite reliability, the
-- README's table: relative for psych and PSPP, absolute for omega total
-- against psych::omega); frequency weights
-- equal replicated rows; the cronbach_alpha aggregate in GROUP BY and in
-- parallel.  Data and expectations: test/data/ (see make_reliability_*.R,
-- .sps; the expectations come from R and PSPP, never from survey_reg).
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS survey_reg;
SET LOCAL client_min_messages = warning;
SELECT plan(36);
\ir lib/accuracy_claims.psql

CREATE TABLE rel_items (id int, t1 float8, t2 float8, b1 float8, b2 float8,
	b3 float8, e1 float8, e2 float8, e3 float8, e4 float8, e5 float8,
	e6 float8, e7 float8, e8 float8, c1 float8, c2 float8, c3 float8,
	c4 float8, c5 float8, c6 float8, c7 float8, c8 float8, c9 float8,
	c10 float8, n1 float8, n2 float8, n3 float8, fw float8);
\copy rel_items FROM 'test/data/reliability_items.csv' WITH (FORMAT csv, HEADER)
-- the reverse-worded items of the 3-item scale, reversed on 0-3
CREATE VIEW rel_view AS
SELECT *, survey_reg.reverse(b1, 0, 3) AS b1r, survey_reg.reverse(b2, 0, 3) AS b2r
FROM rel_items;

CREATE TABLE exp_psych (scale text, item text, statistic text, value float8);
\copy exp_psych FROM 'test/data/reliability_expected_psych.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE exp_pspp (scale text, item text, statistic text, value float8);
\copy exp_pspp FROM 'test/data/reliability_expected_pspp.csv' WITH (FORMAT csv, HEADER)

CREATE TABLE scales (scale text, items text[], weight text);
INSERT INTO scales VALUES
	('s2', ARRAY['t1', 't2'], NULL),
	('s3', ARRAY['b1', 'b2', 'b3'], NULL),
	('s3r', ARRAY['b1r', 'b2r', 'b3'], NULL),
	('s8', ARRAY['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8'], NULL),
	('s10', ARRAY['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9', 'c10'], NULL),
	('neg', ARRAY['n1', 'n2', 'n3'], NULL),
	('s3_w', ARRAY['b1r', 'b2r', 'b3'], 'fw'),
	('s8_w', ARRAY['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8'], 'fw');

-- our numbers in the expectation files' long form (NULL item = scale level)
CREATE TABLE ours AS
SELECT s.scale, NULL::text AS item, x.statistic, x.value
FROM scales s,
	LATERAL survey_reg.reliability('rel_view', s.items, s.weight) r,
	LATERAL (VALUES ('k', r.k::float8), ('n', r.n), ('alpha', r.alpha),
		('std_alpha', r.std_alpha), ('mean_r', r.mean_r), ('min_r', r.min_r),
		('max_r', r.max_r), ('alpha_ci_lower', r.alpha_ci_lower),
		('alpha_ci_upper', r.alpha_ci_upper), ('omega_total', r.omega_total),
		('lambda6', r.lambda6)) x(statistic, value)
UNION ALL
SELECT s.scale, t.item, x.statistic, x.value
FROM scales s,
	LATERAL survey_reg.item_total('rel_view', s.items, s.weight) t,
	LATERAL (VALUES ('mean', t.mean), ('sd', t.sd),
		('scale_mean_if_deleted', t.scale_mean_if_deleted),
		('scale_var_if_deleted', t.scale_var_if_deleted),
		('corrected_item_total_r', t.corrected_item_total_r),
		('squared_multiple_r', t.squared_multiple_r),
		('alpha_if_deleted', t.alpha_if_deleted)) x(statistic, value);

-- relative difference; NaN expected (PSPP's alpha if deleted of 2 items)
-- must be our NULL
CREATE FUNCTION pg_temp.reldiff(ours float8, expected float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN expected = 'NaN' THEN CASE WHEN ours IS NULL THEN 0::float8 ELSE 'Infinity'::float8 END
		WHEN ours IS NULL THEN 'Infinity'::float8
		WHEN expected = 0 THEN abs(ours)
		ELSE abs(ours - expected) / abs(expected) END
$$;

CREATE TABLE cmp AS
SELECT 'psych' AS source, e.scale, e.item, e.statistic, e.value AS expected,
	o.value AS ours, pg_temp.reldiff(o.value, e.value) AS rel
FROM exp_psych e LEFT JOIN ours o
	ON o.scale = e.scale AND o.item IS NOT DISTINCT FROM e.item
	AND o.statistic = e.statistic
UNION ALL
SELECT 'pspp', e.scale, e.item, e.statistic, e.value, o.value,
	pg_temp.reldiff(o.value, e.value)
FROM exp_pspp e LEFT JOIN ours o
	ON o.scale = e.scale AND o.item IS NOT DISTINCT FROM e.item
	AND o.statistic = e.statistic;

-- 1-2: every expected number has a counterpart
SELECT is((SELECT count(*) FROM cmp WHERE source = 'psych' AND ours IS NULL
		AND expected <> 'NaN'), 0::bigint,
	'every psych number has a survey_reg counterpart');
SELECT is((SELECT count(*) FROM cmp WHERE source = 'pspp' AND ours IS NULL
		AND expected <> 'NaN'), 0::bigint,
	'every PSPP number has a survey_reg counterpart');

-- 3-10: psych, per scale, all but omega to the claimed relative bound
SELECT ok(max(rel) <= pg_temp.claim('reliability', 'psych', 'all'), format('psych %s (k = %s): %s numbers, max relative difference %s',
		scale, (SELECT cardinality(items) FROM scales s WHERE s.scale = c.scale),
		count(*), to_char(max(rel), '9.9EEEE')))
FROM cmp c WHERE source = 'psych' AND statistic <> 'omega_total'
GROUP BY scale ORDER BY scale;

-- 11-16: PSPP RELIABILITY /SUMMARY=TOTAL, per scale, to the claimed bound
SELECT ok(max(rel) <= pg_temp.claim('reliability', 'pspp', 'all'), format('PSPP %s (k = %s): %s numbers, max relative difference %s',
		scale, (SELECT cardinality(items) FROM scales s WHERE s.scale = c.scale),
		count(*), to_char(max(rel), '9.9EEEE')))
FROM cmp c WHERE source = 'pspp'
GROUP BY scale ORDER BY scale;

-- 17-23: omega total (one-factor minres) within the claimed bound of
-- psych::omega, except the Heywood scale
SELECT ok(abs(ours - expected) <= pg_temp.claim('reliability', 'psych', 'omega_total'), format('omega_total %s: |difference from psych| %s',
		scale, to_char(abs(ours - expected), '9.9EEEE')))
FROM cmp WHERE source = 'psych' AND statistic = 'omega_total' AND scale <> 'neg'
ORDER BY scale;
-- 24: neg is a Heywood case (n1's communality at psych's bound .995):
-- psych's L-BFGS-B stops at a nearby point; the fixed point is within its
-- own claimed bound
SELECT ok(abs(ours - expected) <= pg_temp.claim('reliability', 'psych_heywood', 'omega_total'), format('omega_total neg (Heywood): |difference from psych| %s',
		to_char(abs(ours - expected), '9.9EEEE')))
FROM cmp WHERE source = 'psych' AND statistic = 'omega_total' AND scale = 'neg';

-- 25-26: frequency weights equal rows replicated by their integer weight
SELECT ok(abs(w.alpha - rep.alpha) <= 1e-14 * abs(rep.alpha) AND w.n = rep.n,
	format('weighted alpha %s equals alpha of the replicated rows %s (N = %s)',
		w.alpha, rep.alpha, rep.n))
FROM survey_reg.reliability('rel_view', ARRAY['b1r', 'b2r', 'b3'], 'fw') w,
	survey_reg.reliability((SELECT survey_reg.moments(ARRAY[b1r, b2r, b3])
		FROM rel_view, generate_series(1, fw::int))) rep;
SELECT ok(max(abs(w.corrected_item_total_r - rep.corrected_item_total_r)) <= 1e-14
		AND max(abs(w.alpha_if_deleted - rep.alpha_if_deleted)) <= 1e-14,
	'weighted item-total statistics equal those of the replicated rows')
FROM survey_reg.item_total('rel_view', ARRAY['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8'], 'fw') w
JOIN survey_reg.item_total((SELECT survey_reg.moments(ARRAY[e1, e2, e3, e4, e5, e6, e7, e8],
		ARRAY['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8'])
		FROM rel_view, generate_series(1, fw::int))) rep USING (item);

-- 27: the aggregate gives reliability's alpha
SELECT ok(abs(a.alpha - r.alpha) <= 1e-15,
	format('cronbach_alpha aggregate %s = reliability alpha %s', a.alpha, r.alpha))
FROM (SELECT survey_reg.cronbach_alpha(ARRAY[c1, c2, c3, c4, c5, c6, c7, c8, c9, c10]) AS alpha
		FROM rel_items) a,
	survey_reg.reliability('rel_items', ARRAY['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9', 'c10']) r;

-- 28: GROUP BY: per-group alpha equals the alpha of the group's own state
SELECT ok(bool_and(abs(g.alpha - (SELECT alpha FROM survey_reg.reliability(g.m))) <= 1e-15),
	'cronbach_alpha with GROUP BY equals reliability per group')
FROM (SELECT fw, survey_reg.cronbach_alpha(ARRAY[e1, e2, e3, e4, e5, e6, e7, e8]) AS alpha,
		survey_reg.moments(ARRAY[e1, e2, e3, e4, e5, e6, e7, e8]) AS m
	FROM rel_items GROUP BY fw) g;

-- 29-31: the aggregate in parallel (partial aggregates combined)
DO $$ BEGIN PERFORM setseed(0.42); END $$;
CREATE TABLE big AS
SELECT g, floor(5 * random())::float8 + 1 AS x, 0.0::float8 AS y, 0.0::float8 AS z
FROM generate_series(1, 200000) g;
UPDATE big SET y = least(5, greatest(1, x + floor(3 * random()) - 1)),
	z = least(5, greatest(1, x + floor(5 * random()) - 2));
ANALYZE big;
CREATE TABLE serial_alpha AS
SELECT survey_reg.cronbach_alpha(ARRAY[x, y, z]) AS alpha FROM big;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.plan_lines() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE l text;
BEGIN
	FOR l IN EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)
		SELECT survey_reg.cronbach_alpha(ARRAY[x, y, z]) FROM big LOOP
		RETURN NEXT l;
	END LOOP;
END $$;
CREATE TABLE plan AS SELECT * FROM pg_temp.plan_lines() l(line);
SELECT ok(EXISTS (SELECT FROM plan WHERE line ~ 'Partial Aggregate'),
	'cronbach_alpha runs as a partial aggregate');
SELECT ok(EXISTS (SELECT FROM plan WHERE line ~ 'Workers Launched: [1-9]'),
	'parallel workers launched');
SELECT ok(abs(p.alpha - s.alpha) <= 1e-14 * abs(s.alpha),
	format('parallel alpha %s equals serial alpha %s', p.alpha, s.alpha))
FROM (SELECT survey_reg.cronbach_alpha(ARRAY[x, y, z]) AS alpha FROM big) p, serial_alpha s;
RESET max_parallel_workers_per_gather;

-- 32-33: the table-name forms equal the state forms
SELECT is((SELECT row(r.*)::text FROM survey_reg.reliability('rel_items', ARRAY['e1', 'e2', 'e3']) r),
	(SELECT row(r.*)::text FROM survey_reg.reliability((SELECT survey_reg.moments(
		ARRAY[e1, e2, e3], ARRAY['e1', 'e2', 'e3']) FROM rel_items)) r),
	'reliability(source, items) = reliability(moments(...))');
SELECT is((SELECT array_agg(row(t.*)::text ORDER BY item) FROM survey_reg.item_total('rel_items', ARRAY['e1', 'e2', 'e3']) t),
	(SELECT array_agg(row(t.*)::text ORDER BY item) FROM survey_reg.item_total((SELECT survey_reg.moments(
		ARRAY[e1, e2, e3], ARRAY['e1', 'e2', 'e3']) FROM rel_items)) t),
	'item_total(source, items) = item_total(moments(...))');

-- 34-36: errors carry proper SQLSTATEs
SELECT throws_ok($$SELECT * FROM survey_reg.reliability('rel_items', ARRAY['e1'])$$,
	'22023', 'reliability needs at least two items', 'one item is an error');
SELECT throws_ok($$SELECT survey_reg.reverse(5, 0, 3)$$,
	'22003', 'value 5 is out of the range [0, 3]', 'reverse out of range');
SELECT throws_ok($$SELECT survey_reg.mean_index(ARRAY[1, 2]::float8[], 3)$$,
	'22023', NULL, 'min_valid above the number of items');

SELECT * FROM finish();
ROLLBACK;
