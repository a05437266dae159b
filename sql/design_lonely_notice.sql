-- The lonely-PSU NOTICE on the regression's design path with design
-- arguments (src/design_meat.c: fpc, cluster2, fpc2, domain) as on the
-- other design paths (issue 16): the same words, from the same function.
\set VERBOSITY default
SET extra_float_digits = 0;
-- strata 1 and 2 with three PSUs each, stratum 3 with one
CREATE TEMP TABLE lonely_design AS
SELECT g, CASE WHEN g <= 30 THEN 1 + g % 2 ELSE 3 END AS stratum,
	CASE WHEN g <= 30 THEN g % 6 ELSE 6 END AS psu, g % 2 AS ssu,
	50.0::float8 AS popn, 10.0::float8 AS popn2, g % 3 <> 0 AS dom,
	sin(g) + g % 5 AS y, (g % 7)::float8 AS x
FROM generate_series(1, 40) g;
-- without design arguments (robust.c) and with each of them (design_meat.c)
SELECT term, se IS NOT NULL AS has_se FROM survey_reg.coefficients('lonely_design', 'y',
	ARRAY['x'], se => 'design', strata => 'stratum', cluster => 'psu', lonely_psu => 'adjust');
SELECT term, se IS NOT NULL AS has_se FROM survey_reg.coefficients('lonely_design', 'y',
	ARRAY['x'], se => 'design', strata => 'stratum', cluster => 'psu', fpc => 'popn',
	lonely_psu => 'adjust');
SELECT term, se IS NOT NULL AS has_se FROM survey_reg.coefficients('lonely_design', 'y',
	ARRAY['x'], se => 'design', strata => 'stratum', cluster => 'psu', fpc => 'popn',
	cluster2 => 'ssu', fpc2 => 'popn2', lonely_psu => 'certainty');
SELECT term, se IS NOT NULL AS has_se FROM survey_reg.coefficients('lonely_design', 'y',
	ARRAY['x'], se => 'design', strata => 'stratum', cluster => 'psu', domain => 'dom',
	lonely_psu => 'remove');
SELECT r2 IS NOT NULL AS has_r2 FROM survey_reg.model_summary('lonely_design', 'y',
	ARRAY['x'], se => 'design', strata => 'stratum', cluster => 'psu', fpc => 'popn',
	lonely_psu => 'average');
-- every stratum lonely, average: nothing to average over, said so
SELECT term, se FROM survey_reg.coefficients('lonely_design', 'y', ARRAY['x'],
	se => 'design', strata => 'psu', cluster => 'psu', fpc => 'popn',
	lonely_psu => 'average');
-- no lonely stratum: no NOTICE
SELECT term, se IS NOT NULL AS has_se FROM survey_reg.coefficients('lonely_design', 'y',
	ARRAY['x'], se => 'design', cluster => 'psu', fpc => 'popn');
