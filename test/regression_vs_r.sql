-- Hierarchical OLS against R's lm (test/data/make_regression_expected.R):
-- 400 survey-like rows with missing values, three blocks, unweighted and
-- with integer frequency weights (R: rows replicated w times), with and
-- without intercept; table-name form and state form (moments aggregate).
--
-- Every number of coefficients() and model_summary() must agree with R to
-- the bounds test/data/accuracy_claims.csv claims (suite regression_vs_r:
-- relative, or absolute near zero; 10 x the measured difference, as the
-- README's table says); NULL exactly where R has NA.
BEGIN;
SELECT plan(22);
\ir lib/accuracy_claims.psql

CREATE TEMP TABLE reg_data (id int, individualisering float8, styring float8,
	belastning float8, ratio float8, kontor float8, tilsett float8,
	effektiv float8, kunnskap float8, kjonn float8, alder float8, w float8);
\copy reg_data FROM 'test/data/regression_data.csv' CSV HEADER

CREATE TEMP TABLE exp_coef (case_ text, model int, term text, b float8,
	se float8, beta float8, t float8, p float8, ci_lower float8,
	ci_upper float8, tolerance float8, vif float8);
\copy exp_coef FROM 'test/data/regression_expected_coefficients.csv' CSV HEADER
CREATE TEMP TABLE exp_summ (case_ text, model int, n float8, predictors int,
	r float8, r2 float8, adj_r2 float8, se_estimate float8, f float8, df1 int,
	df2 float8, p float8, r2_change float8, f_change float8, df1_change int,
	df2_change float8, p_change float8);
\copy exp_summ FROM 'test/data/regression_expected_summary.csv' CSV HEADER

SELECT is((SELECT count(*) FROM reg_data), 400::bigint, 'data loaded');

CREATE TEMP TABLE cases (case_ text, weight text, intercept bool);
INSERT INTO cases VALUES ('unweighted', NULL, true), ('weighted', 'w', true),
	('noint', NULL, false), ('noint_weighted', 'w', false);

-- the design, as survey_reg's blocks argument
CREATE FUNCTION pg_temp.blocks() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['styring', ' belastning, ratio,kontor , tilsett',
		'effektiv, kunnskap, kjonn, alder']
$$;

-- the state form: one state per weighting, over every variable (the
-- aggregate skips incomplete rows, so these are the same listwise rows)
CREATE TEMP TABLE states AS
SELECT c.case_, CASE WHEN c.weight IS NULL THEN
		(SELECT survey_reg.moments(ARRAY[individualisering, styring, belastning,
			ratio, kontor, tilsett, effektiv, kunnskap, kjonn, alder],
			ARRAY['individualisering', 'styring', 'belastning', 'ratio', 'kontor',
				'tilsett', 'effektiv', 'kunnskap', 'kjonn', 'alder']) FROM reg_data)
	ELSE
		(SELECT survey_reg.moments(ARRAY[individualisering, styring, belastning,
			ratio, kontor, tilsett, effektiv, kunnskap, kjonn, alder],
			ARRAY['individualisering', 'styring', 'belastning', 'ratio', 'kontor',
				'tilsett', 'effektiv', 'kunnskap', 'kjonn', 'alder'], w) FROM reg_data)
	END AS m
FROM cases c;

CREATE TEMP TABLE got_coef AS
SELECT 'table' AS form, c.case_, r.*
FROM cases c, LATERAL survey_reg.coefficients('reg_data', 'individualisering',
	pg_temp.blocks(), weight => c.weight, intercept => c.intercept) r
UNION ALL
SELECT 'state', c.case_, r.*
FROM cases c JOIN states s USING (case_),
	LATERAL survey_reg.coefficients(s.m, 'individualisering', pg_temp.blocks(),
		c.intercept) r;

CREATE TEMP TABLE got_summ AS
SELECT 'table' AS form, c.case_, r.*
FROM cases c, LATERAL survey_reg.model_summary('reg_data', 'individualisering',
	pg_temp.blocks(), weight => c.weight, intercept => c.intercept) r
UNION ALL
SELECT 'state', c.case_, r.*
FROM cases c JOIN states s USING (case_),
	LATERAL survey_reg.model_summary(s.m, 'individualisering', pg_temp.blocks(),
		c.intercept) r;

-- one row per (form, case, model, term, column): ours and R's
CREATE TEMP VIEW coef_pairs AS
SELECT f.form, e.case_, e.model, e.term, v.col, v.ours, v.r
FROM exp_coef e CROSS JOIN (VALUES ('table'), ('state')) f(form)
LEFT JOIN got_coef g ON g.form = f.form AND g.case_ = e.case_
	AND g.model = e.model AND g.term = e.term,
LATERAL (VALUES ('b', g.b, e.b), ('se', g.se, e.se), ('beta', g.beta, e.beta),
	('t', g.t, e.t), ('p', g.p, e.p), ('ci_lower', g.ci_lower, e.ci_lower),
	('ci_upper', g.ci_upper, e.ci_upper), ('tolerance', g.tolerance, e.tolerance),
	('vif', g.vif, e.vif)) v(col, ours, r);

CREATE TEMP VIEW summ_pairs AS
SELECT f.form, e.case_, e.model, v.col, v.ours, v.r
FROM exp_summ e CROSS JOIN (VALUES ('table'), ('state')) f(form)
LEFT JOIN got_summ g ON g.form = f.form AND g.case_ = e.case_ AND g.model = e.model,
LATERAL (VALUES ('n', g.n, e.n), ('predictors', g.predictors, e.predictors),
	('r', g.r, e.r), ('r2', g.r2, e.r2), ('adj_r2', g.adj_r2, e.adj_r2),
	('se_estimate', g.se_estimate, e.se_estimate), ('f', g.f, e.f),
	('df1', g.df1, e.df1), ('df2', g.df2, e.df2), ('p', g.p, e.p),
	('r2_change', g.r2_change, e.r2_change), ('f_change', g.f_change, e.f_change),
	('df1_change', g.df1_change, e.df1_change),
	('df2_change', g.df2_change, e.df2_change),
	('p_change', g.p_change, e.p_change)) v(col, ours, r);

CREATE TEMP VIEW all_pairs AS
SELECT form, case_, model, term, col, ours, r FROM coef_pairs
UNION ALL
SELECT form, case_, model, NULL, col, ours, r FROM summ_pairs;

-- agreement: both NULL, or |ours - R| <= max(rel |R|, abs) with the claims
CREATE FUNCTION pg_temp.agrees(ours float8, r float8) RETURNS bool
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN r IS NULL OR ours IS NULL THEN r IS NULL AND ours IS NULL
		ELSE abs(ours - r) <= greatest(pg_temp.claim('regression_vs_r', 'all', 'all') * abs(r),
			pg_temp.claim('regression_vs_r', 'all', 'near_zero')) END
$$;

SELECT is((SELECT count(*) FROM got_coef), 2 * (SELECT count(*) FROM exp_coef),
	'coefficients: as many rows as R''s, both forms');
SELECT is((SELECT count(*) FROM got_summ), 2 * (SELECT count(*) FROM exp_summ),
	'model_summary: as many rows as R''s, both forms');

-- per form and case: coefficients, then summaries (16 tests)
SELECT is((SELECT string_agg(format('model %s %s %s: ours %s, R %s', model, term,
		col, ours, r), '; ') FROM coef_pairs p
		WHERE p.form = f.form AND p.case_ = c.case_ AND NOT pg_temp.agrees(ours, r)),
	NULL, format('coefficients agree with R (%s, %s form)', c.case_, f.form))
FROM cases c, (VALUES ('table'), ('state')) f(form) ORDER BY c.case_, f.form;
SELECT is((SELECT string_agg(format('model %s %s: ours %s, R %s', model, col,
		ours, r), '; ') FROM summ_pairs p
		WHERE p.form = f.form AND p.case_ = c.case_ AND NOT pg_temp.agrees(ours, r)),
	NULL, format('model_summary agrees with R (%s, %s form)', c.case_, f.form))
FROM cases c, (VALUES ('table'), ('state')) f(form) ORDER BY c.case_, f.form;

-- the NULL pattern: only the intercept's beta, tolerance and VIF
SELECT is((SELECT count(*) FROM got_coef WHERE term = '(Intercept)'
	AND beta IS NULL AND tolerance IS NULL AND vif IS NULL AND b IS NOT NULL),
	(SELECT count(*) FROM got_coef WHERE term = '(Intercept)'),
	'the intercept has NULL beta, tolerance and VIF');
SELECT is((SELECT count(*) FROM got_coef WHERE term <> '(Intercept)' AND
	(b IS NULL OR se IS NULL OR beta IS NULL OR t IS NULL OR p IS NULL
	OR ci_lower IS NULL OR ci_upper IS NULL OR tolerance IS NULL OR vif IS NULL)),
	0::bigint, 'predictors have every column');
SELECT is((SELECT count(*) FROM got_coef WHERE case_ LIKE 'noint%' AND term = '(Intercept)'),
	0::bigint, 'intercept => false: no intercept row');

SELECT diag(format('%s: max relative difference from R %s (over %s values; %s with |R| < 1e-12 compared absolutely: max abs difference %s, relative %s)',
	case_, to_char(max(CASE WHEN abs(r) >= 1e-12 THEN abs(ours - r) / abs(r) END), '9.9EEEE'),
	count(*) FILTER (WHERE r IS NOT NULL),
	count(*) FILTER (WHERE abs(r) < 1e-12),
	to_char(max(CASE WHEN abs(r) < 1e-12 THEN abs(ours - r) END), '9.9EEEE'),
	to_char(max(CASE WHEN abs(r) < 1e-12 AND r <> 0 THEN abs(ours - r) / abs(r) END), '9.9EEEE')))
FROM all_pairs GROUP BY case_ ORDER BY case_;
SELECT diag(format('all cases, values with |R| >= 1e-6: max relative difference %s',
	to_char(max(abs(ours - r) / abs(r)), '9.9EEEE')))
FROM all_pairs WHERE abs(r) >= 1e-6;

SELECT * FROM finish();
ROLLBACK;
