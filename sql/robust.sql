-- Robust, cluster-robust and design-based standard errors: argument
-- errors, degenerate cluster structures and NULL patterns.  Numbers only
-- where exact (or as comparisons); agreement with R's sandwich and survey
-- packages is tested in test/robust_vs_r.sql.
\set VERBOSITY default
SET extra_float_digits = 0;

-- 40 rows in 8 clusters (c), clusters 0-3 in stratum 0 and 4-7 in stratum 1
CREATE TABLE rb AS
SELECT g, (g % 8) AS c, (g % 8) / 4 AS s, x1, x2,
	1 + 2 * x1 - x2 + (1 + x2) * sin(g * 1.7) AS y,
	1 + (g % 3) * 0.5 AS w, g = 7 AS lone
FROM (SELECT g, (g % 7)::float8 + cos(g) AS x1, (g % 5)::float8 * 0.5 AS x2
	FROM generate_series(1, 40) g) q;

-- the classical path is unchanged: se => 'classical' is the default
SELECT count(*) AS same
FROM survey_reg.coefficients('rb', 'y', ARRAY['x1', 'x2']) a
JOIN survey_reg.coefficients('rb', 'y', ARRAY['x1', 'x2'], se => 'classical') b
	USING (model, term)
WHERE a.se = b.se AND a.p = b.p;

-- every se: the same b, positive SEs, t = b / se
SELECT v.se, count(*) AS terms, bool_and(r.b = c.b) AS same_b,
	bool_and(r.se > 0) AS se_positive, bool_and(r.t = r.b / r.se) AS t_is_b_over_se
FROM (VALUES ('hc0'), ('HC1'), ('hc2'), ('hc3')) v(se),
	LATERAL survey_reg.coefficients('rb', 'y', ARRAY['x1', 'x2'], se => v.se) r
	JOIN survey_reg.coefficients('rb', 'y', ARRAY['x1', 'x2']) c USING (model, term)
GROUP BY v.se ORDER BY v.se;
-- the orders R's sandwich has on these data: HC0 < HC1, HC0 < HC2 < HC3
SELECT a.model, a.term, a.se < b.se AS hc0_lt_hc1, a.se < c.se AS hc0_lt_hc2,
	c.se < d.se AS hc2_lt_hc3
FROM survey_reg.coefficients('rb', 'y', ARRAY['x1', 'x2'], se => 'hc0') a
JOIN survey_reg.coefficients('rb', 'y', ARRAY['x1', 'x2'], se => 'hc1') b USING (model, term)
JOIN survey_reg.coefficients('rb', 'y', ARRAY['x1', 'x2'], se => 'hc2') c USING (model, term)
JOIN survey_reg.coefficients('rb', 'y', ARRAY['x1', 'x2'], se => 'hc3') d USING (model, term);
-- model_summary: R2 and the SE of the estimate as classical; F and F change
-- are Wald tests on the df of t; with HC, df2 = n - p
SELECT r.model, r.r2 = c.r2 AS same_r2, r.se_estimate = c.se_estimate AS same_se_est,
	r.f <> c.f AS f_differs, r.df1, r.df2, r.df1_change, r.df2_change
FROM survey_reg.model_summary('rb', 'y', ARRAY['x1', 'x2'], se => 'hc3') r
JOIN survey_reg.model_summary('rb', 'y', ARRAY['x1', 'x2']) c USING (model);

-- CR1: t on G - 1 = 7 df; with one predictor block the model's F equals t^2
SELECT c.model, c.term, m.df2 AS df, abs(m.f - c.t ^ 2) < 1e-12 * m.f AS f_is_t2
FROM survey_reg.coefficients('rb', 'y', ARRAY['x1'], se => 'cluster', cluster => 'c') c
JOIN survey_reg.model_summary('rb', 'y', ARRAY['x1'], se => 'cluster', cluster => 'c') m
	USING (model)
WHERE c.term = 'x1';
-- clusters of one row: CR1 is HC1 (R: vcovCL(cluster = id) = vcovHC("HC1")),
-- but t has n - 1 = 39 df instead of n - p = 37
SELECT a.model, a.term, abs(a.se - b.se) <= 1e-13 * b.se AS same_se,
	ma.df2 AS cr1_df, mb.df2 AS hc1_df
FROM survey_reg.coefficients('rb', 'y', ARRAY['x1', 'x2'], se => 'cluster', cluster => 'g') a
JOIN survey_reg.coefficients('rb', 'y', ARRAY['x1', 'x2'], se => 'hc1') b USING (model, term)
JOIN survey_reg.model_summary('rb', 'y', ARRAY['x1', 'x2'], se => 'cluster', cluster => 'g') ma USING (model)
JOIN survey_reg.model_summary('rb', 'y', ARRAY['x1', 'x2'], se => 'hc1') mb USING (model);
-- a single cluster: CR1 is undefined (G / (G - 1), G - 1 df): NULL SEs,
-- t, p and intervals with a NOTICE; the estimates stay
CREATE VIEW rb_one AS SELECT *, 1 AS one FROM rb;
SELECT model, term, b IS NOT NULL AS has_b, se IS NULL AS se_null, t IS NULL AS t_null,
	p IS NULL AS p_null, ci_lower IS NULL AS ci_null
FROM survey_reg.coefficients('rb_one', 'y', ARRAY['x1'], se => 'cluster', cluster => 'one');
SELECT model, r2 IS NOT NULL AS has_r2, f IS NULL AS f_null, df2 IS NULL AS df2_null
FROM survey_reg.model_summary('rb_one', 'y', ARRAY['x1'], se => 'cluster', cluster => 'one');
-- two clusters: G - 1 = 1 df; the model F of two predictors needs rank 2,
-- more than G - 1, so it is NULL (as Stata), the one-predictor change is not
CREATE VIEW rb_two AS SELECT *, g % 2 AS half FROM rb;
SELECT model, df1, df2, f IS NULL AS f_null, df1_change, f_change IS NULL AS f_change_null
FROM survey_reg.model_summary('rb_two', 'y', ARRAY['x1', 'x2'], se => 'cluster', cluster => 'half');
-- a NULL cluster on a complete row is an error (as sandwich::vcovCL); on an
-- incomplete row it does not matter
CREATE VIEW rb_nullc AS SELECT g, CASE WHEN g = 5 THEN NULL ELSE c END AS c,
	CASE WHEN g = 6 THEN NULL ELSE c END AS c6,
	CASE WHEN g = 6 THEN NULL ELSE y END AS y, x1 FROM rb;
SELECT count(*) FROM survey_reg.coefficients('rb_nullc', 'y', ARRAY['x1'], se => 'cluster', cluster => 'c');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM survey_reg.coefficients('rb_nullc', 'y', ARRAY['x1'], se => 'cluster', cluster => 'c6');

-- designs: PSUs are the clusters within strata; t on PSUs - strata - p + 1
-- = 8 - 2 - 2 + 1 = 5 df (model 1) and 4 (model 2), as svyglm
SELECT model, n, adj_r2 IS NULL AS adj_null, se_estimate IS NULL AS se_est_null,
	df1, df2, df1_change, df2_change
FROM survey_reg.model_summary('rb', 'y', ARRAY['x1', 'x2'], weight => 'w',
	weight_type => 'probability', cluster => 'c', strata => 's');
-- probability weights imply se => 'design'
SELECT count(*) AS same
FROM survey_reg.coefficients('rb', 'y', ARRAY['x1', 'x2'], weight => 'w',
	weight_type => 'probability', cluster => 'c', strata => 's') a
JOIN survey_reg.coefficients('rb', 'y', ARRAY['x1', 'x2'], weight => 'w',
	weight_type => 'probability', se => 'design', cluster => 'c', strata => 's') b
	USING (model, term)
WHERE a.se = b.se AND a.p = b.p;
-- PSU ids are numbered within strata (Stata's svy; R's nest = TRUE): the
-- same id in two strata is two PSUs
CREATE VIEW rb_nest AS SELECT *, c % 4 AS c_within FROM rb;
SELECT count(*) AS same
FROM survey_reg.coefficients('rb_nest', 'y', ARRAY['x1'], se => 'design',
	cluster => 'c_within', strata => 's') a
JOIN survey_reg.coefficients('rb_nest', 'y', ARRAY['x1'], se => 'design',
	cluster => 'c', strata => 's') b USING (model, term)
WHERE abs(a.se - b.se) <= 1e-14 * b.se;
-- an equal-probability design without weights, and rows as PSUs
SELECT model, term, se > 0 AS se_positive, p IS NOT NULL AS has_p
FROM survey_reg.coefficients('rb', 'y', ARRAY['x1'], se => 'design', strata => 's');
-- a stratum with one PSU: an error, as R's survey.lonely.psu = "fail" ...
CREATE VIEW rb_lonely AS SELECT *, CASE WHEN c = 7 THEN 2 ELSE s END AS s_lonely FROM rb;
SELECT count(*) FROM survey_reg.coefficients('rb_lonely', 'y', ARRAY['x1'], se => 'design',
	cluster => 'c', strata => 's_lonely');
\echo :LAST_ERROR_SQLSTATE
-- ... or R's other options: certainty and remove add nothing for it,
-- adjust its deviation from zero, average the other strata's mean
SELECT v.lonely, count(*) AS terms, bool_and(r.se > 0) AS se_positive
FROM (VALUES ('certainty'), ('remove'), ('adjust'), ('average')) v(lonely),
	LATERAL survey_reg.coefficients('rb_lonely', 'y', ARRAY['x1'], se => 'design',
		cluster => 'c', strata => 's_lonely', lonely_psu => v.lonely) r
GROUP BY v.lonely ORDER BY v.lonely;
SELECT a.term, a.se = b.se AS certainty_eq_remove, c.se > a.se AS adjust_gt_remove,
	d.se > a.se AS average_gt_remove
FROM survey_reg.coefficients('rb_lonely', 'y', ARRAY['x1'], se => 'design',
	cluster => 'c', strata => 's_lonely', lonely_psu => 'certainty') a
JOIN survey_reg.coefficients('rb_lonely', 'y', ARRAY['x1'], se => 'design',
	cluster => 'c', strata => 's_lonely', lonely_psu => 'remove') b USING (model, term)
JOIN survey_reg.coefficients('rb_lonely', 'y', ARRAY['x1'], se => 'design',
	cluster => 'c', strata => 's_lonely', lonely_psu => 'adjust') c USING (model, term)
JOIN survey_reg.coefficients('rb_lonely', 'y', ARRAY['x1'], se => 'design',
	cluster => 'c', strata => 's_lonely', lonely_psu => 'average') d USING (model, term);
-- rows as PSUs: a stratum of one row is lonely too
SELECT count(*) FROM survey_reg.coefficients('rb', 'y', ARRAY['x1'], se => 'design',
	strata => 'lone');
\echo :LAST_ERROR_SQLSTATE
-- a design of one PSU (R's svydesign: "Design has only one primary sampling unit")
SELECT count(*) FROM survey_reg.coefficients('rb_one', 'y', ARRAY['x1'], se => 'design',
	cluster => 'one');
\echo :LAST_ERROR_SQLSTATE
-- too few PSUs for the model: 3 PSUs in one stratum leave 3 - 1 - 3 + 1 = 0
-- df for a model of 3 parameters: SEs, but NULL t, p and intervals
CREATE VIEW rb_three AS SELECT *, g % 3 AS c3 FROM rb;
SELECT model, term, se > 0 AS se_positive, t IS NULL AS t_null, p IS NULL AS p_null,
	ci_lower IS NULL AS ci_null
FROM survey_reg.coefficients('rb_three', 'y', ARRAY['x1', 'x2'], se => 'design', cluster => 'c3');
-- a PSU without a complete row still counts in its stratum (as survey does
-- for a domain), but not in the design df
CREATE VIEW rb_dom AS SELECT g, c, s, x1, CASE WHEN c = 3 THEN NULL ELSE y END AS y FROM rb;
SELECT model, df2 FROM survey_reg.model_summary('rb_dom', 'y', ARRAY['x1'], se => 'design',
	cluster => 'c', strata => 's');
-- a NULL PSU or stratum in a row the regression drops listwise (here c6
-- with y NULL) is no error (issue 16: design columns are needed only in
-- the rows used); in a complete row, or a NULL sampling weight, it is
SELECT count(*) FROM survey_reg.coefficients('rb_nullc', 'y', ARRAY['x1'], se => 'design', cluster => 'c6');
\echo :LAST_ERROR_SQLSTATE
CREATE VIEW rb_nulls AS SELECT *, CASE WHEN g = 9 THEN NULL ELSE s END AS s9,
	CASE WHEN g = 9 THEN NULL ELSE w END AS w9 FROM rb;
SELECT count(*) FROM survey_reg.coefficients('rb_nulls', 'y', ARRAY['x1'], se => 'design',
	cluster => 'c', strata => 's9');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM survey_reg.coefficients('rb_nulls', 'y', ARRAY['x1'], weight => 'w9',
	weight_type => 'probability');
\echo :LAST_ERROR_SQLSTATE

-- HC2 and HC3 with a row of leverage 1 (the only row with d = 1): NULL SEs
-- and a NOTICE, as R's sandwich gives NaN; HC0 and HC1 are defined
CREATE VIEW rb_lev AS SELECT *, (g = 3)::int::float8 AS d FROM rb;
SELECT model, term, se IS NULL AS se_null
FROM survey_reg.coefficients('rb_lev', 'y', ARRAY['x1', 'd'], se => 'hc3');
SELECT model, term, se IS NULL AS se_null
FROM survey_reg.coefficients('rb_lev', 'y', ARRAY['x1', 'd'], se => 'hc1') WHERE model = 2;

-- an aliased predictor: NULL as in the classical table, the rest robust
CREATE VIEW rb_alias AS SELECT *, x1 + x2 AS x3 FROM rb;
SELECT model, term, b IS NULL AS b_null, se IS NULL AS se_null
FROM survey_reg.coefficients('rb_alias', 'y', ARRAY['x1, x2', 'x3'], se => 'cluster', cluster => 'c');

-- without intercept, a zero predictor alone in model 1: a model without
-- parameters (NULL everything), the next one robust
CREATE VIEW rb_zero AS SELECT *, 0::float8 AS z FROM rb;
SELECT model, term, b IS NULL AS b_null, se IS NULL AS se_null
FROM survey_reg.coefficients('rb_zero', 'y', ARRAY['z', 'x1'], intercept => false,
	se => 'cluster', cluster => 'c');
SELECT model, df1, f IS NULL AS f_null, df2
FROM survey_reg.model_summary('rb_zero', 'y', ARRAY['z', 'x1'], intercept => false, se => 'hc1');

-- argument errors
SELECT * FROM survey_reg.coefficients('rb', 'y', ARRAY['x1'], se => 'robust');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('rb', 'y', ARRAY['x1'], weight => 'w', weight_type => 'analytic');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('rb', 'y', ARRAY['x1'], weight_type => 'probability');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('rb', 'y', ARRAY['x1'], cluster => 'c');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('rb', 'y', ARRAY['x1'], se => 'hc1', cluster => 'c');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('rb', 'y', ARRAY['x1'], se => 'cluster');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('rb', 'y', ARRAY['x1'], se => 'cluster', cluster => 'c', strata => 's');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('rb', 'y', ARRAY['x1'], weight => 'w', se => 'design');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('rb', 'y', ARRAY['x1'], se => 'design', cluster => 'nosuch');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('rb', 'y', ARRAY['x1'], se => 'design', lonely_psu => 'skip');
\echo :LAST_ERROR_SQLSTATE
-- NULL options mean their defaults
SELECT count(*) FROM survey_reg.coefficients('rb', 'y', ARRAY['x1'], se => NULL,
	weight_type => NULL, lonely_psu => NULL);

-- the aggregate level: per group (GROUP BY s), a state, its fit, the rows'
-- scores, cluster totals, the meat; equal to the table form on each group
CREATE TABLE rb_states AS
SELECT s, survey_reg.moments(ARRAY[y, x1, x2], ARRAY['y', 'x1', 'x2']) AS m
FROM rb GROUP BY s;
CREATE TABLE rb_fits AS
SELECT s, m, survey_reg.robust_fit(m, 'y', ARRAY['x1', 'x2'], se => 'cluster') AS fit
FROM rb_states;
CREATE TABLE rb_meats AS
SELECT f.s, survey_reg.meat(f.fit, u.u) AS meat
FROM rb_fits f JOIN (
	SELECT r.s, r.c, survey_reg.score_sum(survey_reg.scores(f.fit, ARRAY[r.y, r.x1, r.x2])) AS u
	FROM rb r JOIN rb_fits f USING (s) GROUP BY r.s, r.c) u USING (s)
GROUP BY f.s;
CREATE VIEW rb_s0 AS SELECT * FROM rb WHERE s = 0;
-- (the table form sums each cluster in plain doubles about its first row,
-- issue 18: its SEs and p differ from the pieces' by a few ulps, b not)
SELECT a.model, a.term, abs(a.se - b.se) <= 1e-13 * b.se AS same_se,
	abs(a.p - b.p) <= 1e-13 * b.p AS same_p, a.b = b.b AS same_b
FROM rb_fits f JOIN rb_meats USING (s),
	LATERAL survey_reg.robust_coefficients(f.m, 'y', ARRAY['x1', 'x2'], rb_meats.meat) a
	JOIN survey_reg.coefficients('rb_s0', 'y', ARRAY['x1', 'x2'], se => 'cluster', cluster => 'c') b
	USING (model, term)
WHERE f.s = 0;
-- a meat with the state of another group, or another design, is an error
SELECT * FROM survey_reg.robust_coefficients((SELECT m FROM rb_states WHERE s = 1), 'y',
	ARRAY['x1', 'x2'], (SELECT meat FROM rb_meats WHERE s = 0));
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.robust_model_summary((SELECT m FROM rb_states WHERE s = 0), 'y',
	ARRAY['x1'], (SELECT meat FROM rb_meats WHERE s = 0));
\echo :LAST_ERROR_SQLSTATE
-- one meat aggregate over two fits
SELECT survey_reg.meat(f.fit, NULL) FROM rb_fits f;
\echo :LAST_ERROR_SQLSTATE
-- malformed values are errors, never crashes
SELECT * FROM survey_reg.robust_coefficients((SELECT m FROM rb_states WHERE s = 0), 'y',
	ARRAY['x1', 'x2'], '\x00112233'::bytea);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.robust_coefficients((SELECT m FROM rb_states WHERE s = 0), 'y',
	ARRAY['x1', 'x2'], (SELECT substr(meat, 1, length(meat) - 1) FROM rb_meats WHERE s = 0));
\echo :LAST_ERROR_SQLSTATE
SELECT survey_reg.scores(ARRAY[1, 2, 3]::float8[], ARRAY[1, 2]::float8[]);
\echo :LAST_ERROR_SQLSTATE
SELECT survey_reg.scores((SELECT fit[1:20] FROM rb_fits WHERE s = 0), ARRAY[1, 2, 3]::float8[]);
\echo :LAST_ERROR_SQLSTATE
SELECT survey_reg.scores((SELECT fit FROM rb_fits WHERE s = 0), ARRAY[1, 2]::float8[]);
\echo :LAST_ERROR_SQLSTATE
SELECT survey_reg.score_sum(x) FROM (VALUES (ARRAY[1, 2]::float8[]), (ARRAY[1, 2, 3]::float8[])) v(x);
\echo :LAST_ERROR_SQLSTATE
-- an incomplete row has no score; a NULL frequency weight skips the row
SELECT survey_reg.scores(fit, ARRAY[1, NULL, 3]::float8[]) IS NULL AS incomplete,
	survey_reg.scores(fit, ARRAY[1, 'NaN', 3]::float8[]) IS NULL AS nan,
	survey_reg.scores(fit, ARRAY[1, 2, 3]::float8[], NULL) IS NULL AS null_weight,
	array_length(survey_reg.scores(fit, ARRAY[1, 2, 3]::float8[]), 1) AS q
FROM rb_fits WHERE s = 0;
SELECT survey_reg.score_sum(x) FROM (VALUES (ARRAY[0.1, 1e20]::float8[]),
	(ARRAY[0.2, 1]::float8[]), (ARRAY[0.3, -1e20]::float8[]), (NULL)) v(x);

-- the second scan may run in parallel: same result as serially
CREATE TABLE rb_big AS
SELECT g, g % 50 AS c, g % 5 AS s, x1, x2, 1 + 2 * x1 - x2 + (1 + x2) * sin(g * 1.7) AS y,
	1 + (g % 7) * 0.25 AS w
FROM (SELECT g, (g % 17)::float8 + cos(g) AS x1, (g % 11)::float8 * 0.5 AS x2
	FROM generate_series(1, 20000) g) q;
ANALYZE rb_big;
CREATE TABLE rb_serial AS
SELECT * FROM survey_reg.coefficients('rb_big', 'y', ARRAY['x1', 'x2'], weight => 'w',
	weight_type => 'probability', cluster => 'c', strata => 's');
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT count(*) AS same
FROM survey_reg.coefficients('rb_big', 'y', ARRAY['x1', 'x2'], weight => 'w',
	weight_type => 'probability', cluster => 'c', strata => 's') a
JOIN rb_serial b USING (model, term)
WHERE abs(a.se - b.se) <= 1e-12 * b.se AND abs(a.b - b.b) <= 1e-12 * abs(b.b);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;

DROP VIEW rb_one, rb_two, rb_nullc, rb_nest, rb_lonely, rb_three, rb_dom, rb_nulls,
	rb_lev, rb_alias, rb_zero, rb_s0;
DROP TABLE rb, rb_states, rb_fits, rb_meats, rb_big, rb_serial;
