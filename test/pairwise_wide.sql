-- Pairwise correlations of many variables (issue 19, item 3).  One scan
-- with an aggregate per variable and pair stopped at 57 variables (1,653
-- aggregates; a target list holds 1,664); the pairs are now computed in
-- scans of 1,000 aggregates that read one snapshot.  200 variables: every
-- pair's r and n equal the listwise result of that pair alone (a sample of
-- 150 pairs; all 19,900 would take 19,900 scans), and correlation_table
-- lays them out.  Negative control: on e8a2c9c both calls fail with 54011.
BEGIN;
SELECT plan(5);

-- 300 rows, 200 columns v1 .. v200, each with its own pattern of NULLs
DO $$
BEGIN
	EXECUTE 'CREATE TEMP TABLE wide AS SELECT '
		|| (SELECT string_agg(format(
				'CASE WHEN (g * 7 + %1$s * 13) %% (11 + %1$s %% 7) = 0 THEN NULL ELSE sin(g * %1$s * 0.7) + (g %% (%1$s + 2)) END AS v%1$s', j), ', ')
			FROM generate_series(1, 200) j)
		|| ' FROM generate_series(1, 300) g';
END
$$;
CREATE TEMP TABLE vars AS
SELECT array_agg('v' || j ORDER BY j) AS v FROM generate_series(1, 200) j;

CREATE TEMP TABLE pw AS
SELECT c.* FROM vars, survey_reg.correlations('wide', vars.v, 'pairwise') c;
SELECT is((SELECT count(*) FROM pw), 40000::bigint,
	'pairwise correlations of 200 variables: 40,000 rows');

-- a sample of pairs, each against its own listwise correlation
CREATE TEMP TABLE sample AS
SELECT 'v' || (1 + (s * 37) % 200) AS a, 'v' || (1 + (s * 101 + 7) % 200) AS b
FROM generate_series(1, 150) s WHERE (s * 37) % 200 <> (s * 101 + 7) % 200;
CREATE TEMP TABLE lw AS
SELECT s.a, s.b, c.r, c.n
FROM sample s, LATERAL survey_reg.correlations('wide', ARRAY[s.a, s.b]) c
WHERE c.var1 = s.a AND c.var2 = s.b;
SELECT cmp_ok((SELECT count(*) FROM sample), '>=', 140::bigint, 'at least 140 sampled pairs');
SELECT is((SELECT count(*) FROM sample s JOIN pw ON pw.var1 = s.a AND pw.var2 = s.b
		JOIN lw ON lw.a = s.a AND lw.b = s.b
	WHERE pw.n = lw.n AND abs(pw.r - lw.r) <= 4e-16),
	(SELECT count(*) FROM sample), 'every sampled pair: the same n and r (to 4e-16) as listwise over the pair');
SELECT is((SELECT count(DISTINCT n) > 5 FROM pw WHERE var1 <> var2), true,
	'the pairs have different n (the NULL patterns differ)');

SELECT is((SELECT count(*) FROM vars, survey_reg.correlation_table('wide', vars.v, missing => 'pairwise')),
	(SELECT count(*) FROM vars, survey_reg.correlation_table('wide', vars.v)),
	'correlation_table of 200 variables, pairwise: as many lines as listwise');

SELECT * FROM finish();
ROLLBACK;
