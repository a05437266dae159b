-- frequencies() with many value labels, and label keys that mean the same
-- number (issue 19, item 5).  Labels were looked up value by value in the
-- jsonb (10,000 labels on 20,000 values: 24.8 s; bench/issue19.sh measures
-- the time against no labels); keys such as "1", "1.0", "01" and "1e0" were
-- all accepted and one of them won silently: now 22023.
BEGIN;
SELECT plan(7);

CREATE TEMP TABLE answers AS
SELECT (g % 20000)::float8 AS v FROM generate_series(0, 39999) g;
-- labels for the even values 0 .. 19998 and for 20000 .. 20098 (not in the data)
CREATE TEMP TABLE labels AS
SELECT jsonb_object_agg(k::text, 'L' || k) AS l
FROM (SELECT 2 * i AS k FROM generate_series(0, 9999) i
	UNION ALL SELECT 20000 + i FROM generate_series(0, 98) i) s;
SELECT is((SELECT count(*) FROM jsonb_object_keys((SELECT l FROM labels))), 10099::bigint,
	'10,099 labels');

CREATE TEMP TABLE f AS
SELECT x.* FROM labels, survey_reg.frequencies('answers', 'v', value_labels => labels.l) x;
SELECT is((SELECT count(*) FROM f WHERE kind = 'value'), 20099::bigint,
	'a row per value, with the labelled values nobody chose');
SELECT is((SELECT count(*) FROM f WHERE kind = 'value' AND
		label = CASE WHEN value::int % 2 = 0 OR value >= 20000 THEN 'L' || value::int ELSE value::text END
		AND n = CASE WHEN value < 20000 THEN 2 ELSE 0 END),
	20099::bigint, 'each value has its own label (or its number) and count');

SELECT throws_ok($$SELECT * FROM survey_reg.frequencies('answers', 'v',
		value_labels => '{"1": "one", "1.0": "One"}')$$,
	'22023', 'value label keys "1", "1.0" mean the same number',
	'"1" and "1.0" are one value: an error');
SELECT throws_ok($$SELECT * FROM survey_reg.frequencies('answers', 'v',
		value_labels => '{"2": "two", "01": "a", "1e0": "b", " 1 ": "c"}')$$,
	'22023', 'value label keys " 1 ", "01", "1e0" mean the same number',
	'"01", "1e0" and " 1 " are one value: an error naming them all');
SELECT lives_ok($$SELECT * FROM survey_reg.frequencies('answers', 'v',
		value_labels => '{"1": "one", "10": "ten", "0.1": "tenth"}')$$,
	'distinct numbers are fine');
SELECT is((SELECT label FROM survey_reg.frequencies('answers', 'v',
		value_labels => '{"1e0": "one"}') WHERE value = 1), 'one',
	'a key in any numeric spelling labels its value');

SELECT * FROM finish();
ROLLBACK;
