-- NIST StRD univariate summary statistics (NumAcc1-4): mean and SD from
-- survey_reg.describe over survey_reg.moments against the certified values,
-- as LRE = -log10(|est - cert| / |cert|) (capped at 15, the digits certified;
-- an exact result counts 15).  Bars: mean LRE >= 14 on all four sets; SD
-- LRE >= 14 on NumAcc1-2, >= 9 on NumAcc3, >= 8 on NumAcc4 (the SD of
-- NumAcc3/4 as doubles differs from the certified 0.1 in the 9th-10th digit:
-- 10000000.2 is not a double).  To show that this is the inputs' rounding and
-- not ours, the results are also compared with the exact mean and SD of the
-- doubles (test/data/make_nist_univariate_exact.py, rational arithmetic).
BEGIN;
SELECT plan(15);

CREATE TEMP TABLE numacc1 (x float8);
CREATE TEMP TABLE numacc2 (x float8);
CREATE TEMP TABLE numacc3 (x float8);
CREATE TEMP TABLE numacc4 (x float8);
\copy numacc1 FROM 'test/data/nist/univariate/numacc1.csv' WITH (FORMAT csv, HEADER)
\copy numacc2 FROM 'test/data/nist/univariate/numacc2.csv' WITH (FORMAT csv, HEADER)
\copy numacc3 FROM 'test/data/nist/univariate/numacc3.csv' WITH (FORMAT csv, HEADER)
\copy numacc4 FROM 'test/data/nist/univariate/numacc4.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE certified (dataset text, mean float8, sd float8);
\copy certified FROM 'test/data/nist/univariate/certified_univariate.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE exact_doubles (dataset text, n int, mean numeric, sd numeric);
\copy exact_doubles FROM 'test/data/nist_univariate_exact.csv' WITH (FORMAT csv, HEADER)

SELECT is((SELECT array_agg(c ORDER BY ds) FROM (
		SELECT 'numacc1' AS ds, count(*) AS c FROM numacc1
		UNION ALL SELECT 'numacc2', count(*) FROM numacc2
		UNION ALL SELECT 'numacc3', count(*) FROM numacc3
		UNION ALL SELECT 'numacc4', count(*) FROM numacc4) q),
	ARRAY[3, 1001, 1001, 1001]::bigint[], 'NumAcc1-4 loaded (3, 1001, 1001, 1001 rows)');
SELECT is((SELECT count(*) FROM certified JOIN exact_doubles USING (dataset)), 4::bigint,
	'certified values and exact values for the doubles loaded');

CREATE FUNCTION pg_temp.lre(est float8, cert float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN est = cert THEN 15
		ELSE least(15, -log(abs(est - cert)::numeric / abs(cert)::numeric)::float8) END $$;

CREATE TEMP TABLE est AS
SELECT 'numacc1' AS dataset, d.* FROM survey_reg.describe((SELECT survey_reg.moments(ARRAY[x]) FROM numacc1)) d
UNION ALL
SELECT 'numacc2', d.* FROM survey_reg.describe((SELECT survey_reg.moments(ARRAY[x]) FROM numacc2)) d
UNION ALL
SELECT 'numacc3', d.* FROM survey_reg.describe((SELECT survey_reg.moments(ARRAY[x]) FROM numacc3)) d
UNION ALL
SELECT 'numacc4', d.* FROM survey_reg.describe((SELECT survey_reg.moments(ARRAY[x]) FROM numacc4)) d;

CREATE TEMP TABLE lres AS
SELECT e.dataset, e.n, pg_temp.lre(e.mean, c.mean) AS mean_lre, pg_temp.lre(e.sd, c.sd) AS sd_lre,
	e.mean, e.sd, c.mean AS cert_mean, c.sd AS cert_sd
FROM est e JOIN certified c USING (dataset);

SELECT diag(format('%s n=%s mean %s (LRE %s, rel. error %s), sd %s (LRE %s, rel. error %s)', dataset, n,
	mean, round(mean_lre::numeric, 2), abs(mean - cert_mean) / cert_mean,
	sd, round(sd_lre::numeric, 2), abs(sd - cert_sd) / cert_sd))
FROM lres ORDER BY dataset;

SELECT is((SELECT array_agg(n ORDER BY dataset) FROM lres), ARRAY[3, 1001, 1001, 1001]::float8[], 'n of each set');

SELECT ok(mean_lre >= 14, format('%s: mean LRE >= 14', dataset)) FROM lres ORDER BY dataset;
SELECT ok(sd_lre >= CASE dataset WHEN 'numacc3' THEN 9 WHEN 'numacc4' THEN 8 ELSE 14 END,
	format('%s: sd LRE >= %s', dataset, CASE dataset WHEN 'numacc3' THEN 9 WHEN 'numacc4' THEN 8 ELSE 14 END))
FROM lres ORDER BY dataset;

-- against the exact values for the double inputs: nothing lost in our arithmetic
-- (relative error below 1e-15, i.e. at most the final rounding to double)
SELECT diag(format('%s vs exact for the doubles: mean rel. error %s, sd rel. error %s', dataset,
	(abs(e.mean::text::numeric - x.mean) / x.mean)::float8, (abs(e.sd::text::numeric - x.sd) / x.sd)::float8))
FROM lres e JOIN exact_doubles x USING (dataset) ORDER BY dataset;
SELECT ok(abs(e.mean::text::numeric - x.mean) / x.mean < 1e-15
		AND abs(e.sd::text::numeric - x.sd) / x.sd < 1e-15,
	format('%s: mean and sd within 1e-15 of the exact values for the doubles', dataset))
FROM lres e JOIN exact_doubles x USING (dataset) ORDER BY dataset;

-- diagnostics: PostgreSQL's own float8 aggregates on the same data
SELECT diag(format('PostgreSQL avg/stddev_samp %s: mean LRE %s, sd LRE %s', ds,
	round(pg_temp.lre(m, c.mean)::numeric, 2), round(pg_temp.lre(s, c.sd)::numeric, 2)))
FROM (SELECT 'numacc1' AS ds, avg(x) AS m, stddev_samp(x) AS s FROM numacc1
	UNION ALL SELECT 'numacc2', avg(x), stddev_samp(x) FROM numacc2
	UNION ALL SELECT 'numacc3', avg(x), stddev_samp(x) FROM numacc3
	UNION ALL SELECT 'numacc4', avg(x), stddev_samp(x) FROM numacc4) q
JOIN certified c ON c.dataset = q.ds ORDER BY ds;

SELECT * FROM finish();
ROLLBACK;
