-- survey_reg demo, part 3b: survey-grade inference for the study's model 3.
-- The respondents of the (SYNTHETIC) sample survey are nested in 108 Nav
-- offices; answers within an office are alike, so classical OLS standard
-- errors overstate precision.  One argument asks for office-clustered
-- (CR1) standard errors; weights and strata make it design-based.
\set QUIET on
\pset footer off
\echo
\echo '=== Survey-grade inference: model 3 with office-clustered standard errors ==='
\echo

-- the same view of indices as demo/30_regression.sql (each demo file runs
-- in its own session)
CREATE TEMP VIEW analysis AS
SELECT respondent_id, office_id, individualisering,
	survey_reg.mean_index(ARRAY[styring_a, styring_b]) AS styring,
	survey_reg.mean_index(ARRAY[survey_reg.reverse(belast_tid, 0, 3),
		survey_reg.reverse(belast_krav, 0, 3), belast_stor]) AS arbeidsbelastning,
	ratio, kontorstorrelse, tilsettingsforhold,
	effektiv, tiltakskunnskap, kjonn, alder, weight
FROM sample_survey
WHERE follows_up_clients;

CREATE FUNCTION pg_temp.blocks() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['styring',
		'arbeidsbelastning, ratio, kontorstorrelse, tilsettingsforhold',
		'effektiv, tiltakskunnskap, kjonn, alder']
$$;
CREATE FUNCTION pg_temp.stars(p float8) RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p < .001 THEN '***' WHEN p < .01 THEN '**'
		WHEN p < .05 THEN '*' ELSE '' END
$$;

\echo 'survey_reg.coefficients(''analysis'', ''individualisering'', blocks)                          -- classical'
\echo 'survey_reg.coefficients(''analysis'', ''individualisering'', blocks, se => ''cluster'', cluster => ''office_id'')'
\echo '(CR1 as Stata''s vce(cluster office_id); t on G - 1 df; a second scan of the view)'
\echo
SELECT c.term, to_char(c.b, 'S0.0000') AS b,
	to_char(c.se, '0.0000') AS "SE classical",
	to_char(r.se, '0.0000') AS "SE office-clustered",
	to_char(r.se / c.se, '0.00') AS ratio,
	to_char(c.p, '0.0000') || pg_temp.stars(c.p) AS "p classical",
	to_char(r.p, '0.0000') || pg_temp.stars(r.p) AS "p clustered"
FROM survey_reg.coefficients('analysis', 'individualisering', pg_temp.blocks()) c
JOIN survey_reg.coefficients('analysis', 'individualisering', pg_temp.blocks(),
	se => 'cluster', cluster => 'office_id') r USING (model, term)
WHERE model = 3;
\echo 'The synthetic data have little office-level similarity (an intra-office correlation of the'
\echo 'outcome of about 0.03), so clustering moves most SEs by a few percent; the office-level'
\echo 'predictor kontorstorrelse, constant within each office, gains the most (R: vcovCL agrees).'

\echo
\echo 'The model tests: classical F against the Wald F with the clustered variance (df2 = G - 1):'
SELECT 'classical' AS variance, model, round(r2::numeric, 3) AS r2, round(f::numeric, 2) AS f,
	df1, df2, to_char(p, '9.9EEEE') AS p, round(f_change::numeric, 2) AS f_change,
	df1_change, df2_change, to_char(p_change, '9.9EEEE') AS p_change
FROM survey_reg.model_summary('analysis', 'individualisering', pg_temp.blocks())
UNION ALL
SELECT 'office-clustered', model, round(r2::numeric, 3), round(f::numeric, 2), df1, df2,
	to_char(p, '9.9EEEE'), round(f_change::numeric, 2), df1_change, df2_change,
	to_char(p_change, '9.9EEEE')
FROM survey_reg.model_summary('analysis', 'individualisering', pg_temp.blocks(),
	se => 'cluster', cluster => 'office_id')
ORDER BY 1, 2;

\echo
\echo 'Design-based (as R''s svyglm / Stata''s svy: regress): the nonresponse weight as a'
\echo 'sampling weight, offices as PSUs, office size as strata (PSUs nested in strata):'
\echo 'survey_reg.coefficients(''analysis'', ..., weight => ''weight'', weight_type => ''probability'','
\echo '                        cluster => ''office_id'', strata => ''kontorstorrelse'')'
SELECT d.term, to_char(d.b, 'S0.0000') AS "b weighted",
	to_char(d.se, '0.0000') AS "SE design",
	to_char(d.t, 'S90.00') AS t,
	to_char(d.p, '0.0000') || pg_temp.stars(d.p) AS p,
	to_char(d.ci_lower, 'S0.000') || ' .. ' || to_char(d.ci_upper, 'S0.000') AS "95% CI"
FROM survey_reg.coefficients('analysis', 'individualisering', pg_temp.blocks(),
	weight => 'weight', weight_type => 'probability',
	cluster => 'office_id', strata => 'kontorstorrelse') d
WHERE model = 3;
SELECT model, n, round(r2::numeric, 3) AS "R2 (weighted)", round(f::numeric, 2) AS "Wald F",
	df1, df2 AS "design df", to_char(p, '9.9EEEE') AS p
FROM survey_reg.model_summary('analysis', 'individualisering', pg_temp.blocks(),
	weight => 'weight', weight_type => 'probability',
	cluster => 'office_id', strata => 'kontorstorrelse');
\echo '(design df = PSUs - strata - parameters + 1, as svyglm; adjusted R2 and the SE of the'
\echo ' estimate have no design-based meaning and are NULL.)'
