-- Logistic regression (issue 17): separation, aliasing and the errors,
-- with their messages and SQLSTATEs.  Numbers vs R: test/logistic_vs_r.sql.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET extra_float_digits = 0;
CREATE FUNCTION pg_temp.sqlstate_of(q text) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN others THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END
$$;

-- complete separation: x > 5 predicts y exactly.  The estimates run off to
-- infinity; the fit stops at the iteration limit (25 Newton steps) with
-- converged = false and a NOTICE naming the model
CREATE TEMP TABLE sep AS
SELECT g AS id, g::float8 AS x, (g > 5)::int AS y, (g % 3)::float8 AS z
FROM generate_series(1, 10) g;
SELECT model, n, predictors, iterations, converged, round(deviance::numeric, 6) AS deviance
FROM survey_reg.logistic_summary('sep', 'y', ARRAY['z', 'x']);
SELECT model, term, abs(b) > 10 AS b_runs_off FROM survey_reg.logistic_coefficients('sep', 'y', ARRAY['z', 'x']);

-- quasi-complete separation: a factor level with only 1s
CREATE TEMP TABLE qsep AS
SELECT g AS id, (g % 3)::text AS grp, sin(g) AS x,
	CASE WHEN g % 3 = 0 THEN 1 ELSE (g % 2) END AS y
FROM generate_series(1, 60) g;
SELECT model, iterations, converged FROM survey_reg.logistic_summary('qsep', 'y', ARRAY['x', 'factor(grp)']);

-- an aliased column: NULL estimates and a NOTICE, the rest fitted
CREATE TEMP TABLE al AS
SELECT g AS id, sin(g) AS x, 2 * sin(g) AS x2, (cos(3 * g) > 0)::int AS y
FROM generate_series(1, 50) g;
SELECT model, term, b IS NULL AS null_b, se IS NULL AS null_se
FROM survey_reg.logistic_coefficients('al', 'y', ARRAY['x', 'x2']);
SELECT model, predictors, df_change, converged FROM survey_reg.logistic_summary('al', 'y', ARRAY['x', 'x2']);

-- a boolean dependent is 0/1
CREATE TEMP TABLE bo AS SELECT id, y::bool AS yb, x FROM al;
SELECT model, term, round(b::numeric, 10) AS b FROM survey_reg.logistic_coefficients('bo', 'yb', ARRAY['x']);

-- errors
CREATE TEMP TABLE const AS SELECT g AS id, 1 AS y, g::float8 AS x FROM generate_series(1, 10) g;
SELECT * FROM survey_reg.logistic_summary('const', 'y', ARRAY['x']);
SELECT pg_temp.sqlstate_of($$SELECT * FROM survey_reg.logistic_summary('const', 'y', ARRAY['x'])$$);
CREATE TEMP TABLE not01 AS SELECT g AS id, g % 3 AS y, g::float8 AS x FROM generate_series(1, 10) g;
SELECT * FROM survey_reg.logistic_coefficients('not01', 'y', ARRAY['x']);
SELECT pg_temp.sqlstate_of($$SELECT * FROM survey_reg.logistic_coefficients('not01', 'y', ARRAY['x'])$$);
CREATE TEMP TABLE empty AS SELECT 1 AS y, NULL::float8 AS x;
SELECT * FROM survey_reg.logistic_summary('empty', 'y', ARRAY['x']);
SELECT pg_temp.sqlstate_of($$SELECT * FROM survey_reg.logistic_summary('empty', 'y', ARRAY['x'])$$);
SELECT * FROM survey_reg.logistic_summary('sep', 'y', ARRAY['nosuch']);
SELECT pg_temp.sqlstate_of($$SELECT * FROM survey_reg.logistic_summary('sep', 'y', ARRAY['nosuch'])$$);
SELECT * FROM survey_reg.logistic_summary('sep', 'y', ARRAY['x'], se => 'hc9');
SELECT * FROM survey_reg.logistic_summary('sep', 'y', ARRAY['x'], se => 'cluster');
SELECT * FROM survey_reg.logistic_summary('sep', 'y', ARRAY['x'], weight_type => 'probability');
-- every row its own stratum: one PSU each
SELECT * FROM survey_reg.logistic_coefficients('al', 'y', ARRAY['x'], se => 'design', strata => 'id');
SELECT pg_temp.sqlstate_of($$SELECT * FROM survey_reg.logistic_coefficients('al', 'y', ARRAY['x'], se => 'design', strata => 'id')$$);
-- a NULL cluster in a row the fit uses
CREATE TEMP TABLE nc AS SELECT id, y, x, CASE WHEN id > 1 THEN id % 5 END AS c FROM al;
SELECT * FROM survey_reg.logistic_coefficients('nc', 'y', ARRAY['x'], se => 'cluster', cluster => 'c');
-- lonely_psu => 'remove': the stratum contributes nothing, SEs of 0
SELECT model, term, se FROM survey_reg.logistic_coefficients('al', 'y', ARRAY['x'], se => 'design', strata => 'id', lonely_psu => 'remove');
-- NULL arguments: no rows
SELECT count(*) FROM survey_reg.logistic_coefficients(NULL, 'y', ARRAY['x']);
