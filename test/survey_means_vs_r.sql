-- survey_means against R's survey package 4.1.1 (issue 16;
-- test/data/make_survey_means_expected.R: svymean / svytotal with na.rm,
-- subset() per group and domain, confint(df = degf), degf) on
-- survey_sample.csv: 178 rows, 3 strata, 15 offices (PSUs), teams (SSUs)
-- within offices, population counts at both stages, missing values, a
-- domain flag and a categorical column with NULLs, unequal weights; and a
-- fourth, one-office stratum for the lonely-PSU options.
--
-- Every case of survey_means_expected.csv: mean, se, ci, total, total_se to
-- 1e-10 relative, n and df exactly.
BEGIN;
SELECT plan(14);

CREATE TEMP TABLE smp (id int, stratum int, psu int, ssu int, fpc1 float8,
	frac1 float8, fpc2 float8, fpcrows float8, stratum_l int, w float8,
	y1 float8, y2 float8, b bool, cat text, dom bool, x float8);
\copy smp FROM 'test/data/survey_sample.csv' CSV HEADER
CREATE TEMP TABLE exp (case_ text, design text, lonely_psu text, by_ bool,
	domain_ bool, group_value text, variable text, n bigint, mean float8,
	se float8, ci_lower float8, ci_upper float8, total float8,
	total_se float8, df float8);
\copy exp FROM 'test/data/survey_means_expected.csv' CSV HEADER

SELECT is((SELECT count(*) FROM smp), 178::bigint, 'data loaded');
SELECT is((SELECT count(DISTINCT case_) FROM exp), 20::bigint, 'twenty cases from R');

-- each design of the R script as survey_means arguments
CREATE TEMP TABLE designs (design text, strata text, cluster text, fpc text,
	cluster2 text, fpc2 text, weight text);
INSERT INTO designs VALUES
	('rows', 'stratum', NULL, NULL, NULL, NULL, 'w'),
	('rows_fpc', 'stratum', NULL, 'fpcrows', NULL, NULL, 'w'),
	('onestage', 'stratum', 'psu', NULL, NULL, NULL, 'w'),
	('fpc', 'stratum', 'psu', 'fpc1', NULL, NULL, 'w'),
	('frac', 'stratum', 'psu', 'frac1', NULL, NULL, 'w'),
	('twostage', 'stratum', 'psu', 'fpc1', 'ssu', 'fpc2', 'w'),
	('unweighted', 'stratum', 'psu', NULL, NULL, NULL, NULL),
	('lonely', 'stratum_l', 'psu', NULL, NULL, NULL, 'w'),
	('lonely_fpc', 'stratum_l', 'psu', 'fpc1', 'ssu', 'fpc2', 'w');

CREATE TEMP TABLE got AS
SELECT c.case_, m.*
FROM (SELECT DISTINCT case_, design, lonely_psu, by_, domain_ FROM exp) c
JOIN designs d USING (design),
LATERAL survey_reg.survey_means('smp', ARRAY['y1', 'y2', 'b'],
	weight => d.weight, strata => d.strata, cluster => d.cluster,
	fpc => d.fpc, cluster2 => d.cluster2, fpc2 => d.fpc2,
	by => CASE WHEN c.by_ THEN 'cat' END,
	domain => CASE WHEN c.domain_ THEN 'dom' END,
	lonely_psu => c.lonely_psu) m;

CREATE TEMP VIEW pairs AS
SELECT e.case_, e.group_value, e.variable, x.col, x.ours, x.r
FROM exp e JOIN got g ON g.case_ = e.case_ AND g.variable = e.variable
	AND g.group_value IS NOT DISTINCT FROM e.group_value,
LATERAL (VALUES ('mean', g.mean, e.mean), ('se', g.se, e.se),
	('ci_lower', g.ci_lower, e.ci_lower), ('ci_upper', g.ci_upper, e.ci_upper),
	('total', g.total, e.total), ('total_se', g.total_se, e.total_se)) x(col, ours, r);

SELECT is((SELECT count(*) FROM got), (SELECT count(*) FROM exp),
	'one row per case, group and variable, as R');
SELECT is((SELECT count(*) FROM pairs), 6 * (SELECT count(*) FROM exp),
	'every row of R''s has its match');
SELECT is((SELECT string_agg(format('%s %s %s: n %s, R %s', e.case_, e.group_value, e.variable, g.n, e.n), '; ')
	FROM exp e JOIN got g ON g.case_ = e.case_ AND g.variable = e.variable
		AND g.group_value IS NOT DISTINCT FROM e.group_value
	WHERE g.n <> e.n), NULL, 'n: the contributing rows, as R');
SELECT is((SELECT string_agg(format('%s %s %s: df %s, R %s', e.case_, e.group_value, e.variable, g.df, e.df), '; ')
	FROM exp e JOIN got g ON g.case_ = e.case_ AND g.variable = e.variable
		AND g.group_value IS NOT DISTINCT FROM e.group_value
	WHERE g.df <> e.df), NULL, 'df: degf of the design restricted to the contributing rows, as R');

CREATE FUNCTION pg_temp.bad(cols text[], cases text) RETURNS text
LANGUAGE sql AS $$
	SELECT string_agg(format('%s %s %s %s: ours %s, R %s', case_, group_value,
		variable, col, ours, r), '; ')
	FROM pairs WHERE col = ANY (cols) AND case_ ~ cases
	AND (ours IS NULL OR abs(ours - r) > 1e-10 * abs(r))
$$;

SELECT is(pg_temp.bad(ARRAY['mean', 'total'], '.'), NULL,
	'means, proportions and totals to 1e-10 relative');
SELECT is(pg_temp.bad(ARRAY['se', 'ci_lower', 'ci_upper', 'total_se'], '^(rows|onestage|unweighted)/'), NULL,
	'one stage without fpc (PSUs and single rows): SEs and intervals to 1e-10');
SELECT is(pg_temp.bad(ARRAY['se', 'ci_lower', 'ci_upper', 'total_se'], '^(rows_fpc|fpc|frac)/'), NULL,
	'one stage with fpc (population count or sampling fraction): SEs and intervals to 1e-10');
SELECT is(pg_temp.bad(ARRAY['se', 'ci_lower', 'ci_upper', 'total_se'], '^twostage/'), NULL,
	'two stages with fpc at both: SEs and intervals to 1e-10');
SELECT is(pg_temp.bad(ARRAY['se', 'ci_lower', 'ci_upper', 'total_se'], '/by/'), NULL,
	'by a categorical column: SEs and intervals to 1e-10');
SELECT is(pg_temp.bad(ARRAY['se', 'ci_lower', 'ci_upper', 'total_se'], '/domain$'), NULL,
	'in a domain: SEs and intervals to 1e-10');
SELECT is(pg_temp.bad(ARRAY['se', 'ci_lower', 'ci_upper', 'total_se'], '^lonely'), NULL,
	'lonely PSU options remove, certainty, adjust and average: SEs to 1e-10');

-- the fpc changes the SEs (the comparison above can see it)
SELECT ok((SELECT bool_and(abs(a.se - b.se) > 1e-6 * b.se)
	FROM got a JOIN got b USING (variable)
	WHERE a.case_ = 'fpc/fail/all/whole' AND b.case_ = 'onestage/fail/all/whole'),
	'the fpc shrinks every SE (the cases differ)');

SELECT diag(format('%-32s max relative difference from R: mean/total %s, se/total_se %s, ci %s',
	case_,
	to_char(max(abs(ours - r) / abs(r)) FILTER (WHERE col IN ('mean', 'total')), '9.9EEEE'),
	to_char(max(abs(ours - r) / abs(r)) FILTER (WHERE col IN ('se', 'total_se')), '9.9EEEE'),
	to_char(max(abs(ours - r) / abs(r)) FILTER (WHERE col IN ('ci_lower', 'ci_upper')), '9.9EEEE')))
FROM pairs GROUP BY case_ ORDER BY case_;

SELECT * FROM finish();
ROLLBACK;
