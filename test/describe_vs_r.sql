-- describe and correlations against R (test/data/make_describe_expected.R)
-- on survey-like data with missing values and frequency weights
-- (test/data/describe_data.csv): listwise and pairwise, unweighted and
-- weighted (R: rows replicated by rep()), state and table-name forms.
-- Agreement: the bounds test/data/accuracy_claims.csv claims (suite
-- describe_vs_r: relative, or absolute near zero; 10 x the measured
-- difference, as the README's table says); p-values included, and for them
-- relative only (an absolute floor would pass any tiny p).
BEGIN;
SELECT plan(18);
\ir lib/accuracy_claims.psql

CREATE TABLE describe_data (id int, age int, income float8, children int,
	hours float8, bmi float8, w int);
\copy describe_data FROM 'test/data/describe_data.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE r_doubles (id int, age float8, income float8, children float8,
	hours float8, bmi float8, w float8);
\copy r_doubles FROM 'test/data/describe_data_doubles.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE r_desc (missing text, weighted int, variable text, n float8,
	mean float8, sd float8, min float8, max float8, skewness float8, kurtosis float8);
\copy r_desc FROM 'test/data/describe_expected.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE r_cor (missing text, weighted int, var1 text, var2 text,
	r float8, p float8, n float8);
\copy r_cor FROM 'test/data/correlations_expected.csv' WITH (FORMAT csv, HEADER)

SELECT is((SELECT count(*) FROM describe_data), 300::bigint, 'describe_data: 300 rows');
SELECT is((SELECT count(*) FROM r_desc) || ',' || (SELECT count(*) FROM r_cor), '20,100',
	'R expectations loaded (20 describe rows, 100 correlation rows)');

-- R's reader is not always correctly rounded; the expectations hold only if
-- PostgreSQL read every field as the same double R did
SELECT is((SELECT count(*) FROM describe_data d JOIN r_doubles r USING (id)
	WHERE d.age::float8 IS NOT DISTINCT FROM r.age
	AND d.income IS NOT DISTINCT FROM r.income
	AND d.children::float8 IS NOT DISTINCT FROM r.children
	AND d.hours IS NOT DISTINCT FROM r.hours
	AND d.bmi IS NOT DISTINCT FROM r.bmi
	AND d.w::float8 IS NOT DISTINCT FROM r.w), 300::bigint,
	'PostgreSQL read the same doubles (and NULLs) as R');

CREATE FUNCTION pg_temp.close(est float8, exp float8, stat text) RETURNS bool
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN est IS NULL OR exp IS NULL THEN est IS NULL AND exp IS NULL
		ELSE abs(est - exp) <= pg_temp.claim('describe_vs_r', 'all', 'all') * abs(exp)
			OR (stat <> 'p' AND abs(est - exp) <= pg_temp.claim('describe_vs_r', 'all', 'near_zero')) END $$;

-- ---------------- survey_reg's results, every form ----------------
CREATE TEMP TABLE ours_desc (form text, missing text, weighted int, variable text,
	n float8, mean float8, sd float8, min float8, max float8, skewness float8, kurtosis float8);
INSERT INTO ours_desc
SELECT 'describe(m)', 'listwise', 0, d.* FROM survey_reg.describe((
	SELECT survey_reg.moments(ARRAY[age, income, children, hours, bmi],
		ARRAY['age', 'income', 'children', 'hours', 'bmi']) FROM describe_data)) d
UNION ALL
SELECT 'describe(m)', 'listwise', 1, d.* FROM survey_reg.describe((
	SELECT survey_reg.moments(ARRAY[age, income, children, hours, bmi],
		ARRAY['age', 'income', 'children', 'hours', 'bmi'], w) FROM describe_data)) d
UNION ALL
SELECT 'describe(table)', 'listwise', 0, d.* FROM survey_reg.describe('describe_data',
	ARRAY['age', 'income', 'children', 'hours', 'bmi']) d
UNION ALL
SELECT 'describe(table)', 'listwise', 1, d.* FROM survey_reg.describe('describe_data',
	ARRAY['age', 'income', 'children', 'hours', 'bmi'], weight => 'w') d
UNION ALL
SELECT 'describe(table)', 'pairwise', 0, d.* FROM survey_reg.describe('describe_data',
	ARRAY['age', 'income', 'children', 'hours', 'bmi'], missing => 'pairwise') d
UNION ALL
SELECT 'describe(table)', 'pairwise', 1, d.* FROM survey_reg.describe('describe_data',
	ARRAY['age', 'income', 'children', 'hours', 'bmi'], missing => 'pairwise', weight => 'w') d;

CREATE TEMP TABLE ours_cor (form text, missing text, weighted int, var1 text, var2 text,
	r float8, p float8, n float8);
INSERT INTO ours_cor
SELECT 'correlations(m)', 'listwise', 0, c.* FROM survey_reg.correlations((
	SELECT survey_reg.moments(ARRAY[age, income, children, hours, bmi],
		ARRAY['age', 'income', 'children', 'hours', 'bmi']) FROM describe_data)) c
UNION ALL
SELECT 'correlations(m)', 'listwise', 1, c.* FROM survey_reg.correlations((
	SELECT survey_reg.moments(ARRAY[age, income, children, hours, bmi],
		ARRAY['age', 'income', 'children', 'hours', 'bmi'], w) FROM describe_data)) c
UNION ALL
SELECT 'correlations(table)', 'listwise', 0, c.* FROM survey_reg.correlations('describe_data',
	ARRAY['age', 'income', 'children', 'hours', 'bmi']) c
UNION ALL
SELECT 'correlations(table)', 'listwise', 1, c.* FROM survey_reg.correlations('describe_data',
	ARRAY['age', 'income', 'children', 'hours', 'bmi'], weight => 'w') c
UNION ALL
SELECT 'correlations(table)', 'pairwise', 0, c.* FROM survey_reg.correlations('describe_data',
	ARRAY['age', 'income', 'children', 'hours', 'bmi'], 'pairwise') c
UNION ALL
SELECT 'correlations(table)', 'pairwise', 1, c.* FROM survey_reg.correlations('describe_data',
	ARRAY['age', 'income', 'children', 'hours', 'bmi'], 'pairwise', 'w') c;

-- one row per (form, missing, weighted, variable or pair, statistic)
CREATE TEMP TABLE cmp AS
SELECT o.form, o.missing, o.weighted, o.variable AS item, s.stat, s.est, s.exp
FROM ours_desc o LEFT JOIN r_desc r USING (missing, weighted, variable)
CROSS JOIN LATERAL (VALUES ('n', o.n, r.n), ('mean', o.mean, r.mean), ('sd', o.sd, r.sd),
	('min', o.min, r.min), ('max', o.max, r.max), ('skewness', o.skewness, r.skewness),
	('kurtosis', o.kurtosis, r.kurtosis)) s(stat, est, exp)
UNION ALL
SELECT o.form, o.missing, o.weighted, o.var1 || ',' || o.var2, s.stat, s.est, s.exp
FROM ours_cor o LEFT JOIN r_cor r USING (missing, weighted, var1, var2)
CROSS JOIN LATERAL (VALUES ('r', o.r, r.r), ('p', o.p, r.p), ('n', o.n, r.n)) s(stat, est, exp);

-- every form returns exactly R's variables / ordered pairs
SELECT is((SELECT array_agg(c ORDER BY k) FROM (
		SELECT form || ' ' || missing || ' w=' || weighted AS k, count(DISTINCT item) AS c
		FROM cmp GROUP BY 1) q),
	ARRAY[25, 25, 25, 25, 25, 25, 5, 5, 5, 5, 5, 5]::bigint[],
	'each form gives 5 variables / 25 ordered pairs');
SELECT is((SELECT count(*) FROM cmp WHERE exp IS NULL AND stat <> 'p'), 0::bigint,
	'every row of ours has its R counterpart');

SELECT diag(format('max |ours - R| / |R| %-9s %s   (max absolute %s)', stat,
	max(abs(est - exp) / nullif(abs(exp), 0)), max(abs(est - exp))))
FROM cmp GROUP BY stat ORDER BY stat;

SELECT ok(bool_and(pg_temp.close(est, exp, stat)),
	format('%s %s %s agrees with R%s', form, missing,
		CASE weighted WHEN 1 THEN 'weighted' ELSE 'unweighted' END,
		coalesce(': differs at ' || string_agg(item || ' ' || stat, ', ')
			FILTER (WHERE NOT pg_temp.close(est, exp, stat)), '')))
FROM cmp GROUP BY form, missing, weighted ORDER BY form, missing, weighted;

-- p-values are there and not trivial (the comparison above is of real numbers)
SELECT is((SELECT count(*) FROM cmp WHERE stat = 'p' AND est IS NOT NULL AND est > 0 AND est < 1),
	6 * 20::bigint, 'off-diagonal p-values present in every form');

SELECT * FROM finish();
ROLLBACK;
