-- Location independence: data near 1e9 with SD about 1 (test/data/bigloc.csv)
-- against exact rational arithmetic on the same doubles
-- (test/data/make_bigloc_expected.py).  A sum-of-squares state loses every
-- digit here; survey_reg's shifted double-double sums should be off only by
-- the final rounding.  PostgreSQL's own stddev_samp/corr/regr_* are shown as
-- diagnostics, not asserted.  The exact OLS fit of x1 on x2 checks the
-- regression functions on the same state.
BEGIN;
SELECT plan(17);

CREATE TEMP TABLE bigloc (x1 float8, x2 float8, x3 float8);
\copy bigloc FROM 'test/data/bigloc.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE bigloc_exact (statistic text, var1 text, var2 text, value numeric);
\copy bigloc_exact FROM 'test/data/bigloc_expected.csv' WITH (FORMAT csv, HEADER)

-- the exact value of a double as numeric (a float8::numeric cast keeps only
-- 15 digits, which would hide errors of 1e-16)
CREATE FUNCTION pg_temp.exact(x float8) RETURNS numeric LANGUAGE plpgsql
IMMUTABLE STRICT AS $$
DECLARE
	bits bigint := ('x' || encode(float8send(x), 'hex'))::bit(64)::bigint;
	expo int := ((bits >> 52) & 2047)::int;
	mant numeric := (bits & 4503599627370495)::numeric;
	e int;
	v numeric;
BEGIN
	IF expo = 2047 THEN
		RAISE EXCEPTION 'not finite: %', x;
	END IF;
	IF expo > 0 THEN
		mant := mant + 4503599627370496;
		e := expo - 1075;
	ELSE
		e := -1074;
	END IF;
	IF e >= 0 THEN
		v := mant * 2::numeric ^ e;
	ELSE
		-- mant * 2^e = (mant * 5^-e) * 10^e, exact through the text form
		v := ((mant * 5::numeric ^ (-e))::text || 'e' || e)::numeric;
	END IF;
	RETURN CASE WHEN bits < 0 THEN -v ELSE v END;
END $$;

CREATE FUNCTION pg_temp.relerr(est float8, exact numeric) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
	SELECT (abs(pg_temp.exact(est) - exact) / abs(exact))::float8 $$;

CREATE FUNCTION pg_temp.exact(stat text, v1 text, v2 text DEFAULT '')
RETURNS numeric LANGUAGE sql STABLE AS $$
	SELECT value FROM bigloc_exact
	WHERE statistic = stat AND var1 = v1 AND coalesce(var2, '') = v2 $$;

SELECT is((SELECT count(*) FROM bigloc), 3000::bigint, 'bigloc: 3000 rows loaded');

-- errors of survey_reg, from several states over the same rows: one pass,
-- one pass in the reverse order (another reference row), and a merge of 10
-- per-group states (the parallel / distributed path)
CREATE TEMP TABLE states AS
SELECT 'one pass' AS how, survey_reg.moments(ARRAY[x1, x2, x3], ARRAY['x1', 'x2', 'x3']) AS m
FROM bigloc
UNION ALL
SELECT 'reverse order', survey_reg.moments(ARRAY[x1, x2, x3], ARRAY['x1', 'x2', 'x3'] ORDER BY x1 DESC)
FROM bigloc
UNION ALL
SELECT 'merge of 10', survey_reg.merge(m) FROM (
	SELECT survey_reg.moments(ARRAY[x1, x2, x3], ARRAY['x1', 'x2', 'x3']) AS m
	FROM (SELECT *, row_number() OVER () AS rn FROM bigloc) q
	GROUP BY rn % 10) g;

CREATE TEMP TABLE errs (how text, statistic text, variable text, err float8);
INSERT INTO errs
SELECT s.how, 'mean', d.variable, pg_temp.relerr(d.mean, pg_temp.exact('mean', d.variable))
FROM states s, survey_reg.describe(s.m) d
UNION ALL
SELECT s.how, 'sd', d.variable, pg_temp.relerr(d.sd, pg_temp.exact('sd', d.variable))
FROM states s, survey_reg.describe(s.m) d
UNION ALL
SELECT s.how, 'skewness', d.variable,
	abs(pg_temp.exact(d.skewness) - pg_temp.exact('skewness', d.variable))::float8
FROM states s, survey_reg.describe(s.m) d
UNION ALL
SELECT s.how, 'kurtosis', d.variable,
	abs(pg_temp.exact(d.kurtosis) - pg_temp.exact('kurtosis', d.variable))::float8
FROM states s, survey_reg.describe(s.m) d
UNION ALL
SELECT s.how, 'r', c.var1 || ',' || c.var2,
	pg_temp.relerr(c.r, pg_temp.exact('r', least(c.var1, c.var2), greatest(c.var1, c.var2)))
FROM states s, survey_reg.correlations(s.m) c
WHERE c.var1 <> c.var2;

SELECT is((SELECT count(*) FROM errs), 3 * (4 * 3 + 6)::bigint, 'every statistic compared');
SELECT is((SELECT count(*) FROM errs WHERE err IS NULL), 0::bigint, 'no statistic missing');

SELECT diag(format('survey_reg %-13s %-8s max error %s', how, statistic, max(err)))
FROM errs GROUP BY how, statistic ORDER BY how, statistic;

-- the required accuracy: 1e-9 relative
SELECT ok(max(err) < 1e-9, format('%s: sd to 1e-9 relative', how))
FROM errs WHERE statistic = 'sd' GROUP BY how ORDER BY how;
SELECT ok(max(err) < 1e-9, format('%s: r to 1e-9 relative', how))
FROM errs WHERE statistic = 'r' GROUP BY how ORDER BY how;
SELECT ok(max(err) < 1e-9, format('%s: skewness and kurtosis to 1e-9 absolute', how))
FROM errs WHERE statistic IN ('skewness', 'kurtosis') GROUP BY how ORDER BY how;

-- and what the state is designed for: nearly exact for the input doubles.
-- A mean near 1e9 is correctly rounded when within half an ulp (2^-53
-- relative); allow one ulp.  The other statistics to 1e-14.
SELECT ok(max(err) <= 2.0 ^ -52, 'every mean of every state within one ulp of exact')
FROM errs WHERE statistic = 'mean';
SELECT ok(max(err) < 1e-14, 'sd, r, skewness, kurtosis of every state within 1e-14 of exact')
FROM errs WHERE statistic <> 'mean';

-- the table-name form is the same computation
SELECT is(
	(SELECT array_agg(sd ORDER BY variable) FROM survey_reg.describe('bigloc', ARRAY['x1', 'x2', 'x3'])),
	(SELECT array_agg(sd ORDER BY variable) FROM survey_reg.describe((SELECT m FROM states WHERE how = 'one pass'))),
	'describe(table) gives the state''s SDs');

-- the regression of x1 on x2 (exact slope, intercept and residual SE in the
-- expected file): nothing lost to the location either
CREATE TEMP TABLE reg_errs AS
SELECT CASE c.term WHEN 'x2' THEN 'slope' ELSE 'intercept' END AS statistic,
	pg_temp.relerr(c.b, pg_temp.exact(CASE c.term WHEN 'x2' THEN 'slope' ELSE 'intercept' END, 'x1', 'x2')) AS err
FROM survey_reg.coefficients((SELECT m FROM states WHERE how = 'one pass'), 'x1', ARRAY['x2']) c
UNION ALL
SELECT 'se_estimate', pg_temp.relerr(s.se_estimate, pg_temp.exact('se_estimate', 'x1', 'x2'))
FROM survey_reg.model_summary((SELECT m FROM states WHERE how = 'one pass'), 'x1', ARRAY['x2']) s;
SELECT diag(format('survey_reg regression of x1 on x2: %s relative error %s', statistic, err))
FROM reg_errs ORDER BY statistic;
SELECT ok((SELECT count(*) = 3 AND max(err) < 1e-14 FROM reg_errs),
	'regression x1 ~ x2: slope, intercept and residual SE within 1e-14 of exact');

-- the expected file itself: the exact SDs and r are not what a
-- sum-of-squares formula in double gives (or this test would prove little)
SELECT ok((SELECT abs((sum(x1 * x1) - sum(x1) * sum(x1) / count(*)) / (count(*) - 1)
		- pg_temp.exact('sd', 'x1')::float8 ^ 2) > 0.1 FROM bigloc),
	'a naive sum-of-squares variance is far off here (the data are hard)');

-- diagnostics: PostgreSQL's float8 aggregates (Youngs-Cramer since 12)
SELECT diag(format('PostgreSQL stddev_samp(%s) relative error %s', v,
	pg_temp.relerr(sd, pg_temp.exact('sd', v))))
FROM (SELECT 'x1' AS v, stddev_samp(x1) AS sd FROM bigloc
	UNION ALL SELECT 'x2', stddev_samp(x2) FROM bigloc
	UNION ALL SELECT 'x3', stddev_samp(x3) FROM bigloc) q;
SELECT diag(format('PostgreSQL corr(%s, %s) relative error %s', a, b,
	pg_temp.relerr(r, pg_temp.exact('r', a, b))))
FROM (SELECT 'x1' AS a, 'x2' AS b, corr(x1, x2) AS r FROM bigloc
	UNION ALL SELECT 'x1', 'x3', corr(x1, x3) FROM bigloc
	UNION ALL SELECT 'x2', 'x3', corr(x2, x3) FROM bigloc) q;
SELECT diag(format('PostgreSQL regr_slope(x1, x2) relative error %s, regr_intercept %s',
	pg_temp.relerr(regr_slope(x1, x2), pg_temp.exact('slope', 'x1', 'x2')),
	pg_temp.relerr(regr_intercept(x1, x2), pg_temp.exact('intercept', 'x1', 'x2'))))
FROM bigloc;
SELECT diag(format('naive (sum(x^2) - sum(x)^2/n)/(n-1) for x1: %s (exact variance %s)',
	(sum(x1 * x1) - sum(x1) * sum(x1) / count(*)) / (count(*) - 1),
	round(pg_temp.exact('sd', 'x1') ^ 2, 17)))
FROM bigloc;

SELECT * FROM finish();
ROLLBACK;
