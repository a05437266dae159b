-- Parallel aggregation and merge give the single-pass result.
BEGIN;
SELECT plan(6);

CREATE TABLE big AS
SELECT g, (g % 97)::float8 + sin(g) AS a, 1e9 + cos(g) AS b,
	(g % 13)::float8 * 0.5 + sin(g * 0.7) AS c
FROM generate_series(1, 1000000) g;
ANALYZE big;

CREATE TEMP TABLE serial_result AS
SELECT * FROM survey_reg.describe((SELECT survey_reg.moments(ARRAY[a, b, c]) FROM big));

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;

-- the plan is a partial aggregate with workers launched
CREATE TEMP TABLE plan_lines (line text);
CREATE FUNCTION pg_temp.explain_lines() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE l text;
BEGIN
	FOR l IN EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)
		SELECT survey_reg.moments(ARRAY[a, b, c]) FROM big LOOP
		RETURN NEXT l;
	END LOOP;
END $$;
INSERT INTO plan_lines SELECT * FROM pg_temp.explain_lines();
SELECT ok(EXISTS (SELECT FROM plan_lines WHERE line ~ 'Finalize Aggregate'), 'finalize aggregate in plan');
SELECT ok(EXISTS (SELECT FROM plan_lines WHERE line ~ 'Partial Aggregate'), 'partial aggregate in plan');
SELECT ok(EXISTS (SELECT FROM plan_lines WHERE line ~ 'Workers Launched: [1-9]'), 'workers launched');

CREATE TEMP TABLE parallel_result AS
SELECT * FROM survey_reg.describe((SELECT survey_reg.moments(ARRAY[a, b, c]) FROM big));

-- mean and SD relative; skewness and kurtosis are dimensionless and near
-- zero here, so absolute
SELECT is((SELECT max(greatest(abs(p.mean - s.mean) / abs(s.mean), abs(p.sd - s.sd) / s.sd,
		abs(p.skewness - s.skewness), abs(p.kurtosis - s.kurtosis)))
	< 1e-12 FROM parallel_result p JOIN serial_result s USING (variable)),
	true, 'parallel equals serial to 1e-12');

RESET max_parallel_workers_per_gather;
SELECT is((SELECT max(greatest(abs(m.mean - s.mean) / abs(s.mean), abs(m.sd - s.sd) / s.sd,
		abs(m.skewness - s.skewness), abs(m.kurtosis - s.kurtosis)))
	< 1e-12 FROM survey_reg.describe((SELECT survey_reg.merge(st) FROM
		(SELECT survey_reg.moments(ARRAY[a, b, c]) AS st FROM big GROUP BY g % 100) q)) m
	JOIN serial_result s USING (variable)),
	true, 'merge of 100 per-group states equals one pass to 1e-12');

SELECT is((SELECT max(abs(m.r - s.r)) < 1e-12 FROM
	survey_reg.correlations((SELECT survey_reg.merge(st) FROM
		(SELECT survey_reg.moments(ARRAY[a, b, c]) AS st FROM big GROUP BY g % 7) q)) m
	JOIN survey_reg.correlations((SELECT survey_reg.moments(ARRAY[a, b, c]) FROM big)) s
	USING (var1, var2)), true, 'merged correlations equal one pass');

SELECT * FROM finish();
ROLLBACK;
