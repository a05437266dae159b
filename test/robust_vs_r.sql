-- Robust, cluster-robust and design-based standard errors against R
-- (test/data/make_robust_expected.R: sandwich 3.0.2 vcovHC / vcovCL, survey
-- 4.1.1 svyglm and regTermTest) on robust_data.csv: 862 rows, 72 offices
-- (clusters) of 1 to 22 rows in 6 strata, missing values, unequal
-- probability weights and integer frequency weights; three blocks.
--
-- Every case of robust_expected_cases.csv runs through the table-name form
-- (one call with se, cluster, strata, weight_type, lonely_psu) and through
-- the aggregate level (moments state, robust_fit, scores, score_sum and meat
-- in plain SQL, robust_coefficients(m, ..., meat)).  Every column must agree
-- with R to the bound test/data/accuracy_claims.csv claims for it (suite
-- robust_vs_r: 10 x the measured difference; the README's table), the df
-- and n exactly.  The measured differences are printed with diag().
BEGIN;
SELECT plan(13);
\ir lib/accuracy_claims.psql

CREATE TEMP TABLE rob (id int, stratum int, office int, stratum_lonely int,
	individualisering float8, styring float8, belastning float8, ratio float8,
	kontor float8, tilsett float8, effektiv float8, kunnskap float8,
	kjonn float8, alder float8, pw float8, fw float8);
\copy rob FROM 'test/data/robust_data.csv' CSV HEADER

CREATE TEMP TABLE cases (case_ text, se text, weight text, weight_type text,
	cluster text, strata text, intercept bool, lonely_psu text);
\copy cases FROM 'test/data/robust_expected_cases.csv' CSV HEADER
CREATE TEMP TABLE exp_coef (case_ text, model int, term text, b float8,
	se float8, t float8, df float8, p float8, ci_lower float8, ci_upper float8);
\copy exp_coef FROM 'test/data/robust_expected_coefficients.csv' CSV HEADER
CREATE TEMP TABLE exp_summ (case_ text, model int, n float8, r2 float8,
	adj_r2 float8, se_estimate float8, f float8, df1 int, df2 float8, p float8,
	r2_change float8, f_change float8, df1_change int, df2_change float8,
	p_change float8);
\copy exp_summ FROM 'test/data/robust_expected_summary.csv' CSV HEADER

SELECT is((SELECT count(*) FROM rob), 862::bigint, 'data loaded');

CREATE FUNCTION pg_temp.blocks() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['styring', 'belastning, ratio, kontor, tilsett',
		'effektiv, kunnskap, kjonn, alder']
$$;

-- the table-name form, one call per case
SET client_min_messages = warning;
CREATE TEMP TABLE got_coef AS
SELECT 'table'::text AS form, c.case_, r.*
FROM cases c, LATERAL survey_reg.coefficients('rob', 'individualisering',
	pg_temp.blocks(), weight => c.weight, intercept => c.intercept,
	se => c.se, cluster => c.cluster, strata => c.strata,
	weight_type => c.weight_type, lonely_psu => c.lonely_psu) r;
CREATE TEMP TABLE got_summ AS
SELECT 'table'::text AS form, c.case_, r.*
FROM cases c, LATERAL survey_reg.model_summary('rob', 'individualisering',
	pg_temp.blocks(), weight => c.weight, intercept => c.intercept,
	se => c.se, cluster => c.cluster, strata => c.strata,
	weight_type => c.weight_type, lonely_psu => c.lonely_psu) r;

-- the aggregate level, written out: the state, the fit, scores per row,
-- totals per cluster (or PSU), the meat per stratum
CREATE TEMP TABLE agg_cases AS
SELECT c.*, CASE WHEN c.se = 'classical' THEN 'design' ELSE c.se END AS se_eff,
	coalesce(c.weight_type, 'frequency') AS wtype
FROM cases c;
CREATE TEMP TABLE agg_state AS
SELECT a.case_, CASE WHEN a.weight IS NULL THEN
		(SELECT survey_reg.moments(ARRAY[individualisering, styring, belastning,
			ratio, kontor, tilsett, effektiv, kunnskap, kjonn, alder],
			ARRAY['individualisering', 'styring', 'belastning', 'ratio', 'kontor',
				'tilsett', 'effektiv', 'kunnskap', 'kjonn', 'alder']) FROM rob)
	ELSE
		(SELECT survey_reg.moments(ARRAY[individualisering, styring, belastning,
			ratio, kontor, tilsett, effektiv, kunnskap, kjonn, alder],
			ARRAY['individualisering', 'styring', 'belastning', 'ratio', 'kontor',
				'tilsett', 'effektiv', 'kunnskap', 'kjonn', 'alder'],
			CASE a.weight WHEN 'pw' THEN pw ELSE fw END) FROM rob)
	END AS m
FROM agg_cases a;
CREATE TEMP TABLE agg_fit AS
SELECT a.*, s.m, survey_reg.robust_fit(s.m, 'individualisering', pg_temp.blocks(),
	a.se_eff, a.intercept, a.wtype) AS fit
FROM agg_cases a JOIN agg_state s USING (case_);
-- one row per data row and case: its unit (cluster or row) and stratum
CREATE TEMP VIEW agg_rows AS
SELECT f.case_, f.fit,
	CASE f.cluster WHEN 'office' THEN r.office::text WHEN 'id' THEN r.id::text
		ELSE 'row ' || r.id END AS unit,
	CASE f.strata WHEN 'stratum' THEN r.stratum::text
		WHEN 'stratum_lonely' THEN r.stratum_lonely::text END AS stratum,
	CASE WHEN f.weight IS NULL THEN
		survey_reg.scores(f.fit, ARRAY[r.individualisering, r.styring, r.belastning,
			r.ratio, r.kontor, r.tilsett, r.effektiv, r.kunnskap, r.kjonn, r.alder])
	ELSE
		survey_reg.scores(f.fit, ARRAY[r.individualisering, r.styring, r.belastning,
			r.ratio, r.kontor, r.tilsett, r.effektiv, r.kunnskap, r.kjonn, r.alder],
			CASE f.weight WHEN 'pw' THEN r.pw ELSE r.fw END)
	END AS score
FROM agg_fit f CROSS JOIN rob r;
CREATE TEMP TABLE agg_meat AS
SELECT case_, survey_reg.meat(fit, u, stratum) AS meat
FROM (SELECT case_, fit, stratum, unit, survey_reg.score_sum(score) AS u
	FROM agg_rows GROUP BY case_, fit, stratum, unit) units
GROUP BY case_;
INSERT INTO got_coef
SELECT 'aggregate', f.case_, r.*
FROM agg_fit f JOIN agg_meat USING (case_),
	LATERAL survey_reg.robust_coefficients(f.m, 'individualisering', pg_temp.blocks(),
		agg_meat.meat, coalesce(f.lonely_psu, 'fail')) r;
INSERT INTO got_summ
SELECT 'aggregate', f.case_, r.*
FROM agg_fit f JOIN agg_meat USING (case_),
	LATERAL survey_reg.robust_model_summary(f.m, 'individualisering', pg_temp.blocks(),
		agg_meat.meat, coalesce(f.lonely_psu, 'fail')) r;
RESET client_min_messages;

CREATE TEMP VIEW forms(form) AS VALUES ('table'), ('aggregate');

-- one row per (form, case, model, term, column): ours and R's; df as the
-- df that reproduces ours from t and p is checked through p and the interval
CREATE TEMP VIEW coef_pairs AS
SELECT f.form, e.case_, e.model, e.term, v.col, v.ours, v.r
FROM exp_coef e CROSS JOIN forms f
LEFT JOIN got_coef g ON g.form = f.form AND g.case_ = e.case_
	AND g.model = e.model AND g.term = e.term,
LATERAL (VALUES ('b', g.b, e.b), ('se', g.se, e.se), ('t', g.t, e.t),
	('p', g.p, e.p), ('ci_lower', g.ci_lower, e.ci_lower),
	('ci_upper', g.ci_upper, e.ci_upper)) v(col, ours, r);
CREATE TEMP VIEW summ_pairs AS
SELECT f.form, e.case_, e.model, v.col, v.ours, v.r
FROM exp_summ e CROSS JOIN forms f
LEFT JOIN got_summ g ON g.form = f.form AND g.case_ = e.case_ AND g.model = e.model,
LATERAL (VALUES ('n', g.n, e.n), ('r2', g.r2, e.r2), ('adj_r2', g.adj_r2, e.adj_r2),
	('se_estimate', g.se_estimate, e.se_estimate), ('f', g.f, e.f),
	('df1', g.df1, e.df1), ('df2', g.df2, e.df2), ('p', g.p, e.p),
	('r2_change', g.r2_change, e.r2_change), ('f_change', g.f_change, e.f_change),
	('df1_change', g.df1_change, e.df1_change),
	('df2_change', g.df2_change, e.df2_change),
	('p_change', g.p_change, e.p_change)) v(col, ours, r);

CREATE FUNCTION pg_temp.agrees(ours float8, r float8, tol float8) RETURNS bool
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN r IS NULL OR ours IS NULL THEN r IS NULL AND ours IS NULL
		ELSE abs(ours - r) <= greatest(tol * abs(r), 1e-300) END
$$;

SELECT is((SELECT count(*) FROM got_coef), 2 * (SELECT count(*) FROM exp_coef),
	'coefficients: as many rows as R''s, both forms');
SELECT is((SELECT count(*) FROM got_summ), 2 * (SELECT count(*) FROM exp_summ),
	'model_summary: as many rows as R''s, both forms');

-- the standard errors: the claimed bounds, every case, both forms
SELECT is((SELECT string_agg(format('%s %s model %s %s: ours %s, R %s', form, case_,
		model, term, ours, r), '; ') FROM coef_pairs
		WHERE col = 'se' AND case_ LIKE 'hc%' AND NOT pg_temp.agrees(ours, r, pg_temp.claim('robust_vs_r', 'hc', 'se'))),
	NULL, format('HC0-HC3 standard errors agree with sandwich::vcovHC to %s (unweighted, frequency and probability weights)', pg_temp.claim('robust_vs_r', 'hc', 'se')));
SELECT is((SELECT string_agg(format('%s %s model %s %s: ours %s, R %s', form, case_,
		model, term, ours, r), '; ') FROM coef_pairs
		WHERE col = 'se' AND case_ LIKE 'cr1%' AND NOT pg_temp.agrees(ours, r, pg_temp.claim('robust_vs_r', 'cr1', 'se'))),
	NULL, format('CR1 standard errors agree with sandwich::vcovCL(type = "HC1") to %s', pg_temp.claim('robust_vs_r', 'cr1', 'se')));
SELECT is((SELECT string_agg(format('%s %s model %s %s: ours %s, R %s', form, case_,
		model, term, ours, r), '; ') FROM coef_pairs
		WHERE col = 'se' AND (case_ LIKE 'design%' OR case_ LIKE 'lonely%')
		AND NOT pg_temp.agrees(ours, r, pg_temp.claim('robust_vs_r', 'design', 'se'))),
	NULL, format('design-based standard errors agree with survey::svyglm to %s (weights, strata, clusters, lonely PSUs)', pg_temp.claim('robust_vs_r', 'design', 'se')));
SELECT is((SELECT string_agg(format('%s %s model %s %s: ours %s, R %s', form, case_,
		model, term, ours, r), '; ') FROM coef_pairs
		WHERE col = 'b' AND NOT pg_temp.agrees(ours, r, pg_temp.claim('robust_vs_r', 'all', 'b'))),
	NULL, format('coefficients agree with lm / svyglm to %s', pg_temp.claim('robust_vs_r', 'all', 'b')));
SELECT is((SELECT string_agg(format('%s %s model %s %s %s: ours %s, R %s', form, case_,
		model, term, col, ours, r), '; ') FROM coef_pairs
		WHERE col IN ('t', 'p', 'ci_lower', 'ci_upper') AND NOT pg_temp.agrees(ours, r, pg_temp.claim('robust_vs_r', 'all', 't_p_ci'))),
	NULL, format('t, p and the 95%% interval agree to %s, on R''s df (n - p; G - 1 for CR1; PSUs - strata - p + 1 for designs)', pg_temp.claim('robust_vs_r', 'all', 't_p_ci')));
SELECT is((SELECT string_agg(format('%s %s model %s %s: ours %s, R %s', form, case_,
		model, col, ours, r), '; ') FROM summ_pairs
		WHERE col IN ('n', 'df1', 'df2', 'df1_change', 'df2_change')
		AND NOT pg_temp.agrees(ours, r, pg_temp.claim('robust_vs_r', 'all', 'df'))),
	NULL, 'model_summary: n and the degrees of freedom are R''s exactly');
SELECT is((SELECT string_agg(format('%s %s model %s %s: ours %s, R %s', form, case_,
		model, col, ours, r), '; ') FROM summ_pairs
		WHERE col IN ('r2', 'adj_r2', 'se_estimate', 'r2_change')
		AND NOT pg_temp.agrees(ours, r, pg_temp.claim('robust_vs_r', 'all', 'fit'))),
	NULL, format('model_summary: R2 (weighted with sampling weights), adjusted R2 and SE of the estimate as lm to %s, NULL where they have no design-based meaning', pg_temp.claim('robust_vs_r', 'all', 'fit')));
SELECT is((SELECT string_agg(format('%s %s model %s %s: ours %s, R %s', form, case_,
		model, col, ours, r), '; ') FROM summ_pairs
		WHERE col IN ('f', 'p', 'f_change', 'p_change')
		AND NOT pg_temp.agrees(ours, r, pg_temp.claim('robust_vs_r', 'all', 'wald'))),
	NULL, format('model_summary: Wald F tests and their p agree to %s (regTermTest for designs)', pg_temp.claim('robust_vs_r', 'all', 'wald')));

-- the interval's half-width in standard errors is R's qt(0.975, df) on
-- R's df (from R's own interval and se, not from our t or df)
SELECT is((SELECT string_agg(format('%s %s model %s %s: ours %s, R %s', g.form, g.case_,
		g.model, g.term, (g.ci_upper - g.ci_lower) / (2 * g.se),
		(e.ci_upper - e.ci_lower) / (2 * e.se)), '; ')
	FROM got_coef g JOIN exp_coef e USING (case_, model, term)
	WHERE NOT pg_temp.agrees((g.ci_upper - g.ci_lower) / (2 * g.se),
		(e.ci_upper - e.ci_lower) / (2 * e.se), pg_temp.claim('robust_vs_r', 'all', 't_p_ci'))),
	NULL, 'the interval is b +/- qt(0.975, df) se with R''s quantile and df');

-- CR1 with one row per cluster is HC1 (the df differ: n - 1 against n - p)
SELECT is((SELECT count(*) FROM got_coef a JOIN got_coef b USING (form, model, term)
	WHERE a.case_ = 'cr1_id' AND b.case_ = 'hc1'
	AND NOT pg_temp.agrees(a.se, b.se, 1e-12)), 0::bigint,
	'clusters of one row: CR1 equals HC1');

SELECT diag(format('%-16s max relative difference from R: se %s, b %s, t/p/CI %s, F %s',
	case_,
	to_char(max(abs(ours - r) / abs(r)) FILTER (WHERE col = 'se'), '9.9EEEE'),
	to_char(max(abs(ours - r) / abs(r)) FILTER (WHERE col = 'b'), '9.9EEEE'),
	to_char(max(abs(ours - r) / abs(r)) FILTER (WHERE col IN ('t', 'p', 'ci_lower', 'ci_upper')), '9.9EEEE'),
	(SELECT to_char(max(abs(ours - r) / abs(r)), '9.9EEEE') FROM summ_pairs s
		WHERE s.case_ = c.case_ AND s.col IN ('f', 'p', 'f_change', 'p_change') AND r <> 0)))
FROM coef_pairs c WHERE r <> 0 GROUP BY case_ ORDER BY case_;
SELECT diag(format('all cases, both forms: max relative difference of the SEs from R %s',
	to_char(max(abs(ours - r) / abs(r)), '9.9EEEE')))
FROM coef_pairs WHERE col = 'se';
SELECT diag(format('all cases, both forms: max relative difference from R: b %s, t/p/CI %s; model_summary R2, adjusted R2, SE of the estimate, R2 change %s, Wald F and p %s',
	(SELECT to_char(max(abs(ours - r) / abs(r)), '9.9EEEE') FROM coef_pairs WHERE col = 'b' AND r <> 0),
	(SELECT to_char(max(abs(ours - r) / abs(r)), '9.9EEEE') FROM coef_pairs
		WHERE col IN ('t', 'p', 'ci_lower', 'ci_upper') AND r <> 0),
	(SELECT to_char(max(abs(ours - r) / abs(r)), '9.9EEEE') FROM summ_pairs
		WHERE col IN ('r2', 'adj_r2', 'se_estimate', 'r2_change') AND r <> 0),
	(SELECT to_char(max(abs(ours - r) / abs(r)), '9.9EEEE') FROM summ_pairs
		WHERE col IN ('f', 'p', 'f_change', 'p_change') AND r <> 0)));

SELECT * FROM finish();
ROLLBACK;
