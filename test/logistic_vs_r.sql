-- Hierarchical logistic regression (design/API.md section 8) against R
-- (test/data/make_logistic_expected.R: glm(family = binomial) with
-- glm.control(epsilon = 1e-15, maxit = 100); sandwich::vcovHC HC0, HC1,
-- HC3; sandwich::vcovCL; survey::svyglm(family = quasibinomial()) with
-- strata and clusters, and with rows as PSUs; frequency weights) on
-- logistic_data.csv: 500 rows, two nested blocks with a text factor and a
-- boolean, missing values in four columns.  Every number must agree with
-- R to 1e-8 relative, the counts exactly, the terms in R's order with
-- API.md's names, and every model must have converged.
BEGIN;
SELECT plan(8);

CREATE TEMP TABLE t (id int, y int, x float8, z float8, g text, b bool,
	cl int, st int, pw float8, fw int);
\copy t FROM 'test/data/logistic_data.csv' CSV HEADER
CREATE TEMP TABLE exp_coef (case_ text, model int, term text, b float8,
	se float8, z float8, p float8, odds_ratio float8, or_ci_lower float8,
	or_ci_upper float8, ord serial);
\copy exp_coef (case_, model, term, b, se, z, p, odds_ratio, or_ci_lower, or_ci_upper) FROM 'test/data/logistic_expected_coefficients.csv' CSV HEADER
CREATE TEMP TABLE exp_summ (case_ text, model int, n float8, predictors int,
	deviance float8, null_deviance float8, chi_square float8, df int,
	p float8, chi_square_change float8, df_change int, p_change float8,
	cox_snell_r2 float8, nagelkerke_r2 float8, aic float8);
\copy exp_summ FROM 'test/data/logistic_expected_summary.csv' CSV HEADER

SELECT is((SELECT count(*) FROM t), 500::bigint, 'data loaded');

-- the calls of every case (NULL: the default)
CREATE TEMP TABLE cases (case_ text, weight text, se text, cluster text,
	strata text, weight_type text);
INSERT INTO cases VALUES
	('classical', NULL, NULL, NULL, NULL, NULL),
	('hc0', NULL, 'hc0', NULL, NULL, NULL),
	('hc1', NULL, 'hc1', NULL, NULL, NULL),
	('hc3', NULL, 'hc3', NULL, NULL, NULL),
	('cluster', NULL, 'cluster', 'cl', NULL, NULL),
	('design', 'pw', NULL, 'cl', 'st', 'probability'),
	('design_rows', 'pw', NULL, NULL, NULL, 'probability'),
	('freq', 'fw', NULL, NULL, NULL, NULL);

SET client_min_messages = warning;
CREATE TEMP TABLE got_coef AS
SELECT c.case_, r.*
FROM cases c, LATERAL survey_reg.logistic_coefficients('t', 'y',
	ARRAY['x, factor(g)', 'b, z'], weight => c.weight, se => c.se,
	cluster => c.cluster, strata => c.strata, weight_type => c.weight_type)
	WITH ORDINALITY r;
CREATE TEMP TABLE got_summ AS
SELECT c.case_, r.*
FROM cases c, LATERAL survey_reg.logistic_summary('t', 'y',
	ARRAY['x, factor(g)', 'b, z'], weight => c.weight, se => c.se,
	cluster => c.cluster, strata => c.strata, weight_type => c.weight_type) r
WHERE c.case_ IN ('classical', 'freq', 'design');
RESET client_min_messages;

CREATE FUNCTION pg_temp.rel(ours float8, r float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN r IS NULL AND ours IS NULL THEN 0
		WHEN r IS NULL OR ours IS NULL THEN 'Infinity'::float8
		WHEN r = 0 THEN abs(ours)
		ELSE abs(ours - r) / abs(r) END
$$;

SELECT is((SELECT count(*) FROM exp_coef e JOIN got_coef g USING (case_, model, term)),
	(SELECT count(*) FROM exp_coef), 'every term R has, by name (API.md section 7 names)');
SELECT is((SELECT count(*) FROM got_coef), (SELECT count(*) FROM exp_coef),
	'no terms R does not have');
SELECT is_empty($$
	SELECT case_, e.model, e.term, g.model, g.term FROM (
		SELECT case_, model, term, row_number() OVER (PARTITION BY case_ ORDER BY ord) AS k
		FROM exp_coef) e
	FULL JOIN (SELECT case_, model, term, row_number() OVER (PARTITION BY case_ ORDER BY ordinality) AS k
		FROM got_coef) g USING (case_, k)
	WHERE e.term IS DISTINCT FROM g.term OR e.model IS DISTINCT FROM g.model$$,
	'terms in R''s order');

CREATE TEMP VIEW coef_pairs AS
SELECT e.case_, e.model, e.term, v.col, pg_temp.rel(v.ours, v.r) AS rel,
	v.ours, v.r
FROM exp_coef e LEFT JOIN got_coef g USING (case_, model, term),
LATERAL (VALUES ('b', g.b, e.b), ('se', g.se, e.se), ('z', g.z, e.z),
	('p', g.p, e.p), ('odds_ratio', g.odds_ratio, e.odds_ratio),
	('or_ci_lower', g.or_ci_lower, e.or_ci_lower),
	('or_ci_upper', g.or_ci_upper, e.or_ci_upper)) v(col, ours, r);

SELECT is_empty($$SELECT case_, model, term, col, ours, r, rel FROM coef_pairs
	WHERE NOT rel <= 1e-8 ORDER BY rel DESC$$,
	'b, SE, z, p, odds ratio and interval of every case (classical, hc0, hc1, hc3, cluster, design, rows as PSUs, frequency weights) agree with R to 1e-8');

CREATE TEMP VIEW summ_pairs AS
SELECT e.case_, e.model, v.col, pg_temp.rel(v.ours, v.r) AS rel, v.ours, v.r
FROM exp_summ e LEFT JOIN got_summ g USING (case_, model),
LATERAL (VALUES ('n', g.n, e.n), ('predictors', g.predictors, e.predictors),
	('deviance', g.deviance, e.deviance),
	('null_deviance', g.null_deviance, e.null_deviance),
	('chi_square', g.chi_square, e.chi_square), ('df', g.df, e.df),
	('p', g.p, e.p), ('chi_square_change', g.chi_square_change, e.chi_square_change),
	('df_change', g.df_change, e.df_change), ('p_change', g.p_change, e.p_change),
	('cox_snell_r2', g.cox_snell_r2, e.cox_snell_r2),
	('nagelkerke_r2', g.nagelkerke_r2, e.nagelkerke_r2),
	('aic', g.aic, e.aic)) v(col, ours, r);

SELECT is((SELECT count(*) FROM summ_pairs), 78::bigint, 'every summary number compared');
SELECT is_empty($$SELECT case_, model, col, ours, r, rel FROM summ_pairs
	WHERE NOT rel <= 1e-8 ORDER BY rel DESC$$,
	'deviance, null deviance, chi-square and change, p, Cox-Snell and Nagelkerke R2, AIC agree with R to 1e-8');
SELECT is_empty($$SELECT case_, model, iterations, converged FROM got_summ
	WHERE NOT converged OR NOT iterations BETWEEN 1 AND 25$$,
	'every model converged within the iteration limit');

SELECT * FROM finish();
ROLLBACK;
