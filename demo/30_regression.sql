-- survey_reg demo, part 3: the study's hierarchical regression.
-- (a) The three-model analysis of the SYNTHETIC sample survey
--     (data/generate_sample_survey.R): the data resemble the published Nav
--     2018 survey but are not the study's data.
-- (b) The article's Table 2 rebuilt from its own appendix correlation matrix
--     and N = 1377 (published figures, Terum & Sadeghi), as printed and with
--     one sign corrected.
\set QUIET on
\pset footer off
\echo
\echo '=== Hierarchical regression (a): the SYNTHETIC sample survey ==='
\echo
\echo 'The indices from the raw items, over the respondents who follow up clients:'
\echo '  styring           = mean_index(styring_a, styring_b)'
\echo '  arbeidsbelastning = mean_index(reverse(belast_tid, 0, 3), reverse(belast_krav, 0, 3), belast_stor)'
CREATE TEMP VIEW analysis AS
SELECT respondent_id, office_id, individualisering,
	survey_reg.mean_index(ARRAY[styring_a, styring_b]) AS styring,
	survey_reg.mean_index(ARRAY[survey_reg.reverse(belast_tid, 0, 3),
		survey_reg.reverse(belast_krav, 0, 3), belast_stor]) AS arbeidsbelastning,
	ratio, kontorstorrelse, tilsettingsforhold,
	effektiv, tiltakskunnskap, kjonn, alder
FROM sample_survey
WHERE follows_up_clients;

-- the design: model 1 management, model 2 adds the organisational level,
-- model 3 the individual level (SPSS /METHOD=ENTER per block)
CREATE FUNCTION pg_temp.blocks() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['styring',
		'arbeidsbelastning, ratio, kontorstorrelse, tilsettingsforhold',
		'effektiv, tiltakskunnskap, kjonn, alder']
$$;
CREATE FUNCTION pg_temp.terms() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['styring', 'arbeidsbelastning', 'ratio', 'kontorstorrelse',
		'tilsettingsforhold', 'effektiv', 'tiltakskunnskap', 'kjonn', 'alder']
$$;
-- a coefficient with the article's stars: * p<.05 ** p<.01 *** p<.001
CREATE FUNCTION pg_temp.starred(x float8, p float8) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT to_char(x, '0.000') || CASE WHEN p < .001 THEN '***'
		WHEN p < .01 THEN '**' WHEN p < .05 THEN '*' ELSE '' END
$$;

\echo
\echo 'SELECT * FROM survey_reg.model_summary(''analysis'', ''individualisering'', ARRAY[...three blocks...]);'
\echo '(one scan, listwise over all ten variables: every model uses the same rows)'
SELECT model, n, predictors, round(r::numeric, 3) AS r, round(r2::numeric, 3) AS r2,
	round(adj_r2::numeric, 3) AS adj_r2, round(se_estimate::numeric, 3) AS se_estimate,
	round(f::numeric, 2) AS f, df1, df2, to_char(p, '9.9EEEE') AS p,
	round(r2_change::numeric, 3) AS r2_change, round(f_change::numeric, 2) AS f_change,
	df1_change, df2_change, to_char(p_change, '9.9EEEE') AS p_change
FROM survey_reg.model_summary('analysis', 'individualisering', pg_temp.blocks());

\echo
\echo 'Standardized coefficients (beta) per model, as the article''s Table 2 (* p<.05 ** p<.01 *** p<.001):'
WITH c AS (
	SELECT model, term, pg_temp.starred(beta, p) AS cell
	FROM survey_reg.coefficients('analysis', 'individualisering', pg_temp.blocks())
	WHERE term <> '(Intercept)'
	UNION ALL
	SELECT model, 'adjusted R²', to_char(adj_r2, '0.000')
	FROM survey_reg.model_summary('analysis', 'individualisering', pg_temp.blocks())
)
SELECT term,
	max(cell) FILTER (WHERE model = 1) AS "model 1",
	max(cell) FILTER (WHERE model = 2) AS "model 2",
	max(cell) FILTER (WHERE model = 3) AS "model 3"
FROM c
GROUP BY term ORDER BY array_position(pg_temp.terms() || 'adjusted R²'::text, term);

\echo
\echo 'Model 3 in full: b, SE, beta, t, p, 95% CI, tolerance, VIF'
SELECT term, round(b::numeric, 4) AS b, round(se::numeric, 4) AS se,
	round(beta::numeric, 3) AS beta, round(t::numeric, 2) AS t,
	to_char(p, '9.9EEEE') AS p, round(ci_lower::numeric, 4) AS ci_lower,
	round(ci_upper::numeric, 4) AS ci_upper, round(tolerance::numeric, 3) AS tolerance,
	round(vif::numeric, 3) AS vif
FROM survey_reg.coefficients('analysis', 'individualisering', pg_temp.blocks())
WHERE model = 3;

\echo
\echo '=== Hierarchical regression (b): Table 2 rebuilt from the article''s appendix ==='
\echo
\echo 'Standardized coefficients depend only on the correlations (adjusted R² also on N),'
\echo 'so moments_from_matrix(names, 1377, appendix correlations) reproduces Table 2'
\echo 'without a single row of data.  The appendix as printed (lower triangle):'
CREATE TEMP TABLE appendix (i int, var text, lower_triangle float8[]);
INSERT INTO appendix VALUES
	(1, 'individualisering', '{}'),
	(2, 'arbeidsbelastning', '{-0.175}'),
	(3, 'ratio', '{-0.083, 0.283}'),
	(4, 'styring', '{-0.235, 0.179, 0.072}'),
	(5, 'tiltakskunnskap', '{0.298, -0.120, 0.012, -0.055}'),
	(6, 'kjonn', '{-0.069, -0.011, -0.020, -0.017, -0.051}'),
	(7, 'alder', '{-0.031, -0.051, -0.045, 0.049, 0.105, 0.031}'),
	(8, 'tilsettingsforhold', '{-0.065, 0.049, 0.168, 0.026, 0.148, 0.038, 0.153}'),
	(9, 'kontorstorrelse', '{-0.027, 0.043, -0.024, 0.059, -0.028, -0.029, -0.092, 0.041}'),
	(10, 'effektiv', '{0.130, -0.031, 0.001, -0.015, 0.093, -0.047, -0.046, -0.074, -0.027}');
SELECT var, (SELECT string_agg(to_char(r, '0.000'), ' ' ORDER BY o)
	FROM unnest(lower_triangle) WITH ORDINALITY u(r, o)) AS "r with the variables above"
FROM appendix ORDER BY i;

-- the full symmetric matrix; corrected: r(individualisering,
-- tilsettingsforhold) read as +0.065
CREATE FUNCTION pg_temp.appendix_corr(corrected bool) RETURNS float8[]
LANGUAGE sql STABLE AS $$
	SELECT array_agg(row_ ORDER BY i) FROM (
		SELECT a.i, array_agg(CASE
			WHEN a.i = b.i THEN 1
			WHEN corrected AND ARRAY[a.var, b.var] <@ ARRAY['individualisering', 'tilsettingsforhold']
				THEN 0.065
			WHEN b.i < a.i THEN a.lower_triangle[b.i]
			ELSE b.lower_triangle[a.i] END ORDER BY b.i) AS row_
		FROM appendix a CROSS JOIN appendix b GROUP BY a.i) q
$$;
CREATE TEMP TABLE published_table2 (term text, model1 float8, model2 float8, model3 float8);
INSERT INTO published_table2 VALUES
	('styring', -0.235, -0.210, -0.195),
	('arbeidsbelastning', NULL, -0.128, -0.095),
	('ratio', NULL, -0.046, -0.060),
	('kontorstorrelse', NULL, -0.012, -0.010),
	('tilsettingsforhold', NULL, 0.084, 0.065),
	('effektiv', NULL, NULL, 0.099),
	('tiltakskunnskap', NULL, NULL, 0.262),
	('kjonn', NULL, NULL, -0.051),
	('alder', NULL, NULL, -0.061),
	('adjusted R²', 0.054, 0.077, 0.160);

CREATE TEMP TABLE rebuilt AS
SELECT v.version, c.model, c.term, c.beta, c.p
FROM (VALUES ('printed'), ('corrected')) v(version),
	LATERAL survey_reg.coefficients(survey_reg.moments_from_matrix(
		(SELECT array_agg(var ORDER BY i) FROM appendix), 1377,
		pg_temp.appendix_corr(v.version = 'corrected')),
		'individualisering', pg_temp.blocks()) c
WHERE c.term <> '(Intercept)'
UNION ALL
SELECT v.version, s.model, 'adjusted R²', s.adj_r2, NULL
FROM (VALUES ('printed'), ('corrected')) v(version),
	LATERAL survey_reg.model_summary(survey_reg.moments_from_matrix(
		(SELECT array_agg(var ORDER BY i) FROM appendix), 1377,
		pg_temp.appendix_corr(v.version = 'corrected')),
		'individualisering', pg_temp.blocks()) s;

\echo
\echo 'Table 2 as published beside the rebuild from the matrix as printed and with'
\echo 'r(individualisering, tilsettingsforhold) = +0.065 instead of -0.065:'
SELECT t.term, m.model,
	to_char(CASE m.model WHEN 1 THEN t.model1 WHEN 2 THEN t.model2 ELSE t.model3 END, '0.000') AS "Table 2",
	to_char(pr.beta, '0.000') AS "matrix as printed",
	to_char(co.beta, '0.000') AS "sign corrected",
	CASE WHEN abs(pr.beta - CASE m.model WHEN 1 THEN t.model1 WHEN 2 THEN t.model2 ELSE t.model3 END) > 0.01
		THEN '<-- off by ' || to_char(pr.beta - CASE m.model WHEN 1 THEN t.model1
			WHEN 2 THEN t.model2 ELSE t.model3 END, 'FM0.000') ELSE '' END AS "printed vs Table 2"
FROM published_table2 t
CROSS JOIN generate_series(1, 3) m(model)
JOIN rebuilt pr ON pr.version = 'printed' AND pr.term = t.term AND pr.model = m.model
JOIN rebuilt co ON co.version = 'corrected' AND co.term = t.term AND co.model = m.model
ORDER BY m.model, array_position(pg_temp.terms() || 'adjusted R²'::text, t.term);

SELECT r.version AS "matrix",
	to_char(max(abs(r.beta - CASE r.model WHEN 1 THEN t.model1 WHEN 2 THEN t.model2 ELSE t.model3 END))
		FILTER (WHERE r.term <> 'adjusted R²'), 'FM0.000') AS "max |beta - Table 2|",
	to_char(max(abs(r.beta - CASE r.model WHEN 1 THEN t.model1 WHEN 2 THEN t.model2 ELSE t.model3 END))
		FILTER (WHERE r.term = 'adjusted R²'), 'FM0.000') AS "max |adj. R² - Table 2|"
FROM rebuilt r JOIN published_table2 t USING (term)
GROUP BY r.version ORDER BY r.version DESC;

\echo
\echo 'With the correlation as printed (-0.065), tilsettingsforhold''s coefficient comes out'
\echo 'negative (-0.049 in model 2, -0.076 in model 3), while Table 2 (0.084, 0.065) and the'
\echo 'article''s text say state employees individualise more; ratio and alder are also far off.'
\echo 'Read as +0.065, every coefficient is within 0.01 of Table 2 and every adjusted R² within'
\echo '0.005 (the rest is rounding of the printed correlations).  So the matrix and the table'
\echo 'cannot both be right: most likely the appendix has a sign error in that one cell.'
\echo 'Rebuilding a regression from published summary statistics catches exactly this.'
