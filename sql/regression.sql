-- Hierarchical OLS: degenerate designs and argument errors.  Checks the
-- messages, SQLSTATEs and NULL patterns; numbers only where exact (or as
-- comparisons).  Accuracy is tested against NIST and R in test/regression_*.
\set VERBOSITY default
SET extra_float_digits = 0;

-- y = 1 + 2 x1 - x2 + noise; x3 = x1 + x2 exactly; k constant; z zero
CREATE TABLE reg_rows AS
SELECT g, x1, x2, x1 + x2 AS x3, 5::float8 AS k, 0::float8 AS z,
	1 + 2 * x1 - x2 + sin(g * 1.7) AS y, (g % 3 + 1)::float8 AS w
FROM (SELECT g, (g % 7)::float8 + cos(g) AS x1, (g % 5)::float8 * 0.5 AS x2
	FROM generate_series(1, 30) g) q;

-- exact collinearity: x3 gets a NOTICE and NULL estimates in models 2 and 3,
-- the rest is estimated as without it
SELECT model, term, b IS NULL AS b_null, se IS NULL AS se_null,
	beta IS NULL AS beta_null, p IS NULL AS p_null, vif IS NULL AS vif_null
FROM survey_reg.coefficients('reg_rows', 'y', ARRAY['x1', 'x2, x3', 'w']);
SELECT count(*) AS same_estimates
FROM survey_reg.coefficients('reg_rows', 'y', ARRAY['x1', 'x2, x3', 'w']) a
JOIN survey_reg.coefficients('reg_rows', 'y', ARRAY['x1', 'x2', 'w']) b
	USING (model, term)
WHERE abs(a.b - b.b) <= 1e-12 * abs(b.b) AND abs(a.se - b.se) <= 1e-12 * b.se;
-- the aliased predictor counts in predictors, not in df1
SELECT model, predictors, df1, df1_change, df2, f_change IS NULL AS f_change_null
FROM survey_reg.model_summary('reg_rows', 'y', ARRAY['x1', 'x2, x3', 'w']);
-- a block of aliased predictors only: no change, no F change
SELECT model, predictors, df1, df1_change, r2_change = 0 AS no_r2_change,
	f_change IS NULL AS f_change_null, p_change IS NULL AS p_change_null
FROM survey_reg.model_summary('reg_rows', 'y', ARRAY['x1, x2', 'x3']);

-- a constant predictor is a multiple of the intercept
SELECT model, term, b IS NULL AS b_null
FROM survey_reg.coefficients('reg_rows', 'y', ARRAY['x1, k']);
-- without an intercept it is the intercept
SELECT model, term, b IS NULL AS b_null
FROM survey_reg.coefficients('reg_rows', 'y', ARRAY['k, x1, x2'], intercept => false);
-- (k = 5, so its coefficient is the intercept over 5)
SELECT abs(5 * a.b - b.b) <= 1e-12 * abs(b.b) AS five_b_k_equals_intercept
FROM survey_reg.coefficients('reg_rows', 'y', ARRAY['k, x1, x2'], intercept => false) a,
	survey_reg.coefficients('reg_rows', 'y', ARRAY['x1, x2']) b
WHERE a.term = 'k' AND b.term = '(Intercept)';
-- a zero column without intercept
SELECT model, term, b IS NULL AS b_null
FROM survey_reg.coefficients('reg_rows', 'y', ARRAY['z', 'x1'], intercept => false);

-- intercept => false: no (Intercept) row, the uncentered R^2 and F with
-- df1 = number of predictors; y = 2 x exactly gives b = 2, R^2 = 1
CREATE TABLE reg_exact (x float8, y float8);
INSERT INTO reg_exact SELECT g, 2 * g FROM generate_series(1, 5) g;
SELECT model, term, b, se < 1e-12 AS se_near_0 FROM survey_reg.coefficients('reg_exact', 'y',
	ARRAY['x'], intercept => false);
SELECT model, n, predictors, r2, df1, df2 FROM survey_reg.model_summary('reg_exact', 'y',
	ARRAY['x'], intercept => false);
SELECT model, n, predictors, df1, df2, r2 > 0.99 AS r2_near_1
FROM survey_reg.model_summary('reg_rows', 'y', ARRAY['x1, x2'], intercept => false);

-- as many rows as parameters: estimates, but no residual df (NOTICE, NULL
-- standard errors and tests)
CREATE TABLE reg_three (x1 float8, x2 float8, y float8);
INSERT INTO reg_three VALUES (1, 0, 1), (0, 1, 2), (1, 1, 4);
SELECT model, term, b, se IS NULL AS se_null, p IS NULL AS p_null,
	ci_lower IS NULL AS ci_null
FROM survey_reg.coefficients('reg_three', 'y', ARRAY['x1, x2']);
SELECT model, n, r2, adj_r2 IS NULL AS adj_null, f IS NULL AS f_null, df2
FROM survey_reg.model_summary('reg_three', 'y', ARRAY['x1, x2']);

-- too few rows: N < parameters of the largest model
CREATE TABLE reg_few AS SELECT * FROM reg_rows WHERE g <= 3;
SELECT * FROM survey_reg.coefficients('reg_few', 'y', ARRAY['x1', 'x2, w']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.model_summary('reg_few', 'y', ARRAY['x1, x2, w, k'], intercept => false);
\echo :LAST_ERROR_SQLSTATE
-- with weights N is the sum of weights: 3 rows with weights 2, 3, 1 make
-- N = 6, enough for 4 parameters; the design has only 3 distinct rows, so the
-- third predictor is aliased
SELECT model, term, b IS NULL AS b_null
FROM survey_reg.coefficients('reg_few', 'y', ARRAY['x1', 'x2, w'], weight => 'w');
SELECT model, n, df2 FROM survey_reg.model_summary('reg_few', 'y', ARRAY['x1', 'x2, w'], weight => 'w');
-- two aliased predictors and an exact fit on the three distinct rows: the
-- residual SS is (nearly) 0, so is the SE, t is huge or infinite, p is 0
SELECT model, term, b IS NULL AS b_null, se < 1e-12 AS se_near_0,
	abs(t) > 1e12 AS t_huge, p < 1e-12 AS p_near_0
FROM survey_reg.coefficients('reg_few', 'y', ARRAY['x1, x2, k, w'], weight => 'w');
-- an exact fit: residual SS 0, F infinite (as NIST certifies for Wampler1),
-- p 0; a block that adds nothing to an exact fit has no F change (0 / 0)
CREATE TABLE reg_line AS
SELECT g::float8 AS x, (g % 3)::float8 AS z, (1 + 2 * g)::float8 AS y
FROM generate_series(1, 10) g;
SELECT model, r2, se_estimate, f, p, r2_change, f_change, p_change
FROM survey_reg.model_summary('reg_line', 'y', ARRAY['x', 'z']);
SELECT model, term, b, se, t, p FROM survey_reg.coefficients('reg_line', 'y', ARRAY['x', 'z']);
-- an empty state (no complete rows)
SELECT * FROM survey_reg.coefficients(
	(SELECT survey_reg.moments(ARRAY[y, x1, NULL], ARRAY['y', 'x1', 'x2']) FROM reg_rows),
	'y', ARRAY['x1']);
\echo :LAST_ERROR_SQLSTATE

-- unknown names: table form (column check, 42703) ...
SELECT * FROM survey_reg.coefficients('reg_rows', 'y', ARRAY['x1', 'nosuch']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.model_summary('reg_rows', 'nosuch', ARRAY['x1']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.model_summary('reg_rows', 'y', ARRAY['x1'], weight => 'nosuch');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.model_summary('no_such_table', 'y', ARRAY['x1']);
\echo :LAST_ERROR_SQLSTATE
-- ... and state form (22023), with the state's names and a hint for case
CREATE TABLE reg_state AS
SELECT survey_reg.moments(ARRAY[y, x1, x2], ARRAY['y', 'X1', 'x2']) AS m FROM reg_rows;
SELECT * FROM survey_reg.coefficients((SELECT m FROM reg_state), 'y', ARRAY['x1', 'x2']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients((SELECT m FROM reg_state), 'Y', ARRAY['X1']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients((SELECT m FROM reg_state), 'y', ARRAY['x3']);
\echo :LAST_ERROR_SQLSTATE
-- names are matched exactly after trimming blanks around them
SELECT model, term FROM survey_reg.coefficients((SELECT m FROM reg_state), 'y',
	ARRAY[E' X1\t', 'x2 ']);

-- the dependent among the predictors
SELECT * FROM survey_reg.coefficients('reg_rows', 'y', ARRAY['x1', 'x2, y']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.model_summary((SELECT m FROM reg_state), 'y', ARRAY['y']);
\echo :LAST_ERROR_SQLSTATE
-- duplicated predictors, within a block and across blocks
SELECT * FROM survey_reg.coefficients('reg_rows', 'y', ARRAY['x1, x2, x1']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients((SELECT m FROM reg_state), 'y', ARRAY['X1', 'x2, X1']);
\echo :LAST_ERROR_SQLSTATE
-- empty blocks and empty names
SELECT * FROM survey_reg.coefficients('reg_rows', 'y', ARRAY['x1', '']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('reg_rows', 'y', ARRAY['  ', 'x1']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('reg_rows', 'y', ARRAY['x1,,x2']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.model_summary((SELECT m FROM reg_state), 'y', ARRAY['X1, ']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('reg_rows', 'y', ARRAY[]::text[]);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('reg_rows', 'y', ARRAY['x1', NULL]);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('reg_rows', 'y', ARRAY[['x1'], ['x2']]);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('reg_rows', '', ARRAY['x1']);
\echo :LAST_ERROR_SQLSTATE

-- NULL arguments give no rows (the state forms are STRICT; the table forms
-- behave alike, except that weight may be NULL)
SELECT count(*) FROM survey_reg.coefficients(NULL::text, 'y', ARRAY['x1']);
SELECT count(*) FROM survey_reg.coefficients('reg_rows', NULL, ARRAY['x1']);
SELECT count(*) FROM survey_reg.model_summary('reg_rows', 'y', NULL);
SELECT count(*) FROM survey_reg.model_summary('reg_rows', 'y', ARRAY['x1'], NULL, NULL);
SELECT count(*) FROM survey_reg.coefficients('reg_rows', 'y', ARRAY['x1'], weight => NULL);
SELECT count(*) FROM survey_reg.coefficients((SELECT m FROM reg_state), 'y', ARRAY['X1'], NULL);
SELECT count(*) FROM survey_reg.model_summary(NULL::survey_reg.moments, 'y', ARRAY['X1']);

-- a state from summary statistics (moments_from_matrix): N is given; with
-- uncorrelated predictors each standardized coefficient is its correlation
SELECT model, term, round(beta::numeric, 12) AS beta, round(b::numeric, 12) AS b
FROM survey_reg.coefficients(survey_reg.moments_from_matrix(
	ARRAY['y', 'a', 'b'], 100,
	ARRAY[[1, 0.5, 0.25], [0.5, 1, 0], [0.25, 0, 1]]), 'y', ARRAY['a', 'b']);
SELECT model, n, df2, round(r2::numeric, 12) AS r2, round(r2_change::numeric, 12) AS r2_change
FROM survey_reg.model_summary(survey_reg.moments_from_matrix(
	ARRAY['y', 'a', 'b'], 100,
	ARRAY[[1, 0.5, 0.25], [0.5, 1, 0], [0.25, 0, 1]]), 'y', ARRAY['a', 'b']);
SELECT * FROM survey_reg.model_summary(survey_reg.moments_from_matrix(
	ARRAY['y', 'a', 'b'], 2.5,
	ARRAY[[1, 0.5, 0.25], [0.5, 1, 0], [0.25, 0, 1]]), 'y', ARRAY['a', 'b']);
\echo :LAST_ERROR_SQLSTATE

-- the default names of an unnamed state (x1 = y, x2 = x1), and LATERAL
-- over groups
SELECT s.grp, c.model, c.term, c.b IS NOT NULL AS estimated
FROM (SELECT g % 2 AS grp, survey_reg.moments(ARRAY[y, x1]) AS m
	FROM reg_rows GROUP BY g % 2) s,
	LATERAL survey_reg.coefficients(s.m, 'x1', ARRAY['x2']) c
ORDER BY s.grp, c.term;

DROP TABLE reg_rows, reg_exact, reg_three, reg_few, reg_line, reg_state;
