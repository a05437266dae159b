-- Boolean columns count as 0/1 (issue 14): robust_data.csv read with its two
-- 0/1 variables, kjonn and tilsett, as boolean columns, against R on the
-- same numbers: describe, correlations and Cronbach's alpha
-- (test/data/make_boolean_expected.R), every robust, cluster and design
-- case of coefficients and model_summary (robust_expected_*.csv,
-- make_robust_expected.R), unweighted and with frequency and probability
-- weights; frequencies counts false as 0 and true as 1; a boolean weight
-- keeps the true rows.
BEGIN;
SELECT plan(11);

CREATE TEMP TABLE rob (id int, stratum int, office int, stratum_lonely int,
	individualisering float8, styring float8, belastning float8, ratio float8,
	kontor float8, tilsett float8, effektiv float8, kunnskap float8,
	kjonn float8, alder float8, pw float8, fw float8);
\copy rob FROM 'test/data/robust_data.csv' CSV HEADER
-- the same table with the two 0/1 columns as boolean
CREATE TEMP TABLE robb AS
SELECT id, stratum, office, stratum_lonely, individualisering, styring,
	belastning, ratio, kontor, (tilsett = 1) AS tilsett, effektiv, kunnskap,
	(kjonn = 1) AS kjonn, alder, pw, fw
FROM rob;
SELECT is((SELECT format_type(atttypid, atttypmod) FROM pg_attribute
	WHERE attrelid = 'robb'::regclass AND attname = 'kjonn'), 'boolean',
	'kjonn is a boolean column');

CREATE TEMP TABLE exp_b (what text, weighted int, var1 text, var2 text, value float8);
\copy exp_b FROM 'test/data/boolean_expected.csv' CSV HEADER
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

-- agreement: relative 1e-9 (an absolute 1e-12 floor near zero); both NULL
-- agrees.  Far looser than robust_vs_r's claims, far tighter than any
-- miscoding of a boolean (false/true as anything but 0/1 moves every value).
CREATE FUNCTION pg_temp.agrees(ours float8, r float8) RETURNS bool
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN ours IS NULL OR r IS NULL THEN ours IS NULL AND r IS NULL
		ELSE abs(ours - r) <= greatest(1e-9 * abs(r), 1e-12) END
$$;

CREATE TEMP TABLE got_b AS
SELECT d.what, w.weighted, x.variable AS var1, ''::text AS var2, d.value
FROM (VALUES (0, NULL::text), (1, 'fw')) w(weighted, weight),
	LATERAL survey_reg.describe('robb', ARRAY['kjonn', 'tilsett', 'styring',
		'individualisering'], weight => w.weight) x,
	LATERAL (VALUES ('n', x.n), ('mean', x.mean), ('sd', x.sd), ('min', x.min),
		('max', x.max), ('skewness', x.skewness), ('kurtosis', x.kurtosis))
		AS d(what, value)
UNION ALL
SELECT c.what, w.weighted, x.var1, x.var2, c.value
FROM (VALUES (0, NULL::text), (1, 'fw')) w(weighted, weight),
	LATERAL survey_reg.correlations('robb', ARRAY['kjonn', 'tilsett', 'styring',
		'individualisering'], weight => w.weight) x,
	LATERAL (VALUES ('r', x.r), ('p', x.p)) AS c(what, value)
WHERE x.var1 <> x.var2
UNION ALL
SELECT 'alpha', w.weighted, 'scale', '', x.alpha
FROM (VALUES (0, NULL::text), (1, 'fw')) w(weighted, weight),
	LATERAL survey_reg.reliability('robb', ARRAY['kjonn', 'tilsett', 'styring'],
		w.weight) x;

SELECT is((SELECT count(*) FROM got_b g JOIN exp_b e
		ON e.what = g.what AND e.weighted = g.weighted AND e.var1 = g.var1
		AND coalesce(e.var2, '') = g.var2),
	(SELECT count(*) FROM exp_b), 'describe, correlations, reliability: every value R gives is there');
SELECT is_empty($$
	SELECT e.*, g.value AS ours FROM exp_b e JOIN got_b g
		ON e.what = g.what AND e.weighted = g.weighted AND e.var1 = g.var1
		AND coalesce(e.var2, '') = g.var2
	WHERE e.what IN ('n', 'mean', 'sd', 'min', 'max', 'skewness', 'kurtosis')
		AND NOT pg_temp.agrees(g.value, e.value)$$,
	'describe of boolean columns equals R on the 0/1 numbers (unweighted and frequency-weighted)');
SELECT is_empty($$
	SELECT e.*, g.value AS ours FROM exp_b e JOIN got_b g
		ON e.what = g.what AND e.weighted = g.weighted AND e.var1 = g.var1
		AND coalesce(e.var2, '') = g.var2
	WHERE e.what IN ('r', 'p') AND NOT pg_temp.agrees(g.value, e.value)$$,
	'correlations (r and p) with boolean columns equal R''s cor.test');
SELECT is_empty($$
	SELECT e.*, g.value AS ours FROM exp_b e JOIN got_b g
		ON e.what = g.what AND e.weighted = g.weighted AND e.var1 = g.var1
	WHERE e.what = 'alpha' AND NOT pg_temp.agrees(g.value, e.value)$$,
	'Cronbach''s alpha of a scale with boolean items equals R''s');

-- the regressions: every case of make_robust_expected.R
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.blocks() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['styring', 'belastning, ratio, kontor, tilsett',
		'effektiv, kunnskap, kjonn, alder']
$$;
CREATE TEMP TABLE got_coef AS
SELECT c.case_, r.*
FROM cases c, LATERAL survey_reg.coefficients('robb', 'individualisering',
	pg_temp.blocks(), weight => c.weight, intercept => c.intercept,
	se => c.se, cluster => c.cluster, strata => c.strata,
	weight_type => c.weight_type, lonely_psu => c.lonely_psu) r;
CREATE TEMP TABLE got_summ AS
SELECT c.case_, r.*
FROM cases c, LATERAL survey_reg.model_summary('robb', 'individualisering',
	pg_temp.blocks(), weight => c.weight, intercept => c.intercept,
	se => c.se, cluster => c.cluster, strata => c.strata,
	weight_type => c.weight_type, lonely_psu => c.lonely_psu) r;
RESET client_min_messages;

SELECT is((SELECT count(*) FROM got_coef g JOIN exp_coef e USING (case_, model, term)),
	(SELECT count(*) FROM exp_coef), 'coefficients: every case, model and term R gives');
SELECT is_empty($$
	SELECT e.case_, e.model, e.term, e.b, g.b AS ours_b, e.se, g.se AS ours_se
	FROM exp_coef e JOIN got_coef g USING (case_, model, term)
	WHERE NOT (pg_temp.agrees(g.b, e.b) AND pg_temp.agrees(g.se, e.se)
		AND pg_temp.agrees(g.t, e.t) AND pg_temp.agrees(g.p, e.p)
		AND pg_temp.agrees(g.ci_lower, e.ci_lower)
		AND pg_temp.agrees(g.ci_upper, e.ci_upper))$$,
	'coefficients with boolean predictors: b, SE, t, p and interval equal R (HC0-HC3, CR1, designs; weights)');
SELECT is_empty($$
	SELECT e.case_, e.model, e.n, g.n AS ours_n, e.r2, g.r2 AS ours_r2
	FROM exp_summ e JOIN got_summ g USING (case_, model)
	WHERE NOT (g.n = e.n AND pg_temp.agrees(g.r2, e.r2)
		AND pg_temp.agrees(g.f, e.f) AND pg_temp.agrees(g.p, e.p)
		AND pg_temp.agrees(g.r2_change, e.r2_change))$$,
	'model_summary with boolean predictors: n, R2, F, p and R2 change equal R');

SELECT results_eq($$
	SELECT value, n FROM survey_reg.frequencies('robb', 'kjonn') WHERE kind = 'value' ORDER BY value$$,
	$$SELECT kjonn::float8, count(*)::float8 FROM rob WHERE kjonn IS NOT NULL GROUP BY 1 ORDER BY 1$$,
	'frequencies of a boolean: false as 0, true as 1');
SELECT results_eq($$
	SELECT n, mean FROM survey_reg.describe('robb', ARRAY['styring'], weight => 'kjonn')$$,
	$$SELECT count(styring)::float8, avg(styring) FROM rob WHERE kjonn = 1$$,
	'a boolean weight keeps the rows where it is true');
-- a boolean dependent: a linear probability model, as lm on 0/1
SELECT ok((SELECT count(*) = 2 AND bool_and(b IS NOT NULL)
	FROM survey_reg.coefficients('robb', 'kjonn', ARRAY['styring'], se => 'HC1')),
	'a boolean dependent is fitted (0/1)');

SELECT * FROM finish();
ROLLBACK;
