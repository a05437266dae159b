-- survey_means' scan paths give the same estimates (issue 16): the units'
-- hash (one ungrouped aggregate, integer keys) and the grouped scan (text
-- keys, or past work_mem x hash_mem_multiplier), serial and parallel
-- plans, rows stored unit by unit and interleaved; to 1e-12 relative (n
-- and df exactly).  The R comparison itself: survey_means_vs_r.sql.
BEGIN;
SELECT plan(14);

-- 6 strata, 240 PSUs, 2,400 SSUs, a 4-level group, NULLs, a domain,
-- population counts numeric (converted once per value) and float8
CREATE TABLE scan_units AS
SELECT i, p / 40 AS stratum, p AS psu, i / 10 AS ssu, (i / 3) % 4 AS g,
	(200 + 10 * (p / 40))::numeric AS fpc1, 30.0::numeric AS fpc2,
	(200 + 10 * (p / 40))::float8 AS fpc1_f, 30.0::float8 AS fpc2_f,
	1 + (i % 17) * 0.37 AS w, i % 5 <> 0 AS dom,
	CASE WHEN i % 11 = 0 THEN NULL ELSE sin(i) * 10 + p % 7 END AS y1,
	cos(i * 0.3) + (i % 13) * 0.1 AS y2
FROM generate_series(0, 23999) i, LATERAL (SELECT i / 100 AS p) pp;
ANALYZE scan_units;
-- the same rows interleaved (every row a different PSU from the last)
CREATE TABLE scan_units_i AS SELECT * FROM scan_units ORDER BY i % 100, psu;
ANALYZE scan_units_i;
-- text keys: the grouped scan
CREATE TEMP VIEW scan_units_text AS
SELECT i, stratum::text AS stratum, psu::text AS psu, ssu::text AS ssu, g::text AS g,
	fpc1, fpc2, fpc1_f, fpc2_f, w, dom, y1, y2 FROM scan_units;

-- the designs: one stage by group in the domain; two stages with fpc
-- (numeric and float8); rows as PSUs
CREATE FUNCTION pg_temp.est(rel text, design text)
RETURNS TABLE(group_value text, variable text, n bigint, mean float8, se float8,
	total float8, total_se float8, df float8)
LANGUAGE sql AS $$
	SELECT m.group_value, m.variable, m.n, m.mean, m.se, m.total, m.total_se, m.df
	FROM survey_reg.survey_means(rel, ARRAY['y1', 'y2'], weight => 'w',
		strata => 'stratum',
		cluster => CASE WHEN design <> 'rows' THEN 'psu' END,
		fpc => CASE design WHEN 'twostage' THEN 'fpc1' WHEN 'twostage_f' THEN 'fpc1_f' END,
		cluster2 => CASE WHEN design LIKE 'twostage%' THEN 'ssu' END,
		fpc2 => CASE design WHEN 'twostage' THEN 'fpc2' WHEN 'twostage_f' THEN 'fpc2_f' END,
		by => 'g', domain => CASE WHEN design = 'onestage' THEN 'dom' END) m
$$;

-- the largest relative difference of two runs (NULL when they differ in
-- rows, n or df)
CREATE FUNCTION pg_temp.maxrel(rel_a text, rel_b text, design text) RETURNS float8
LANGUAGE sql AS $$
	SELECT CASE WHEN count(*) = (SELECT count(*) FROM pg_temp.est(rel_a, design))
		AND count(*) = (SELECT count(*) FROM pg_temp.est(rel_b, design))
		AND count(*) > 0 AND bool_and(a.n = b.n AND a.df = b.df)
	THEN max(greatest(abs(a.mean - b.mean) / abs(b.mean), abs(a.se - b.se) / b.se,
		abs(a.total - b.total) / abs(b.total), abs(a.total_se - b.total_se) / b.total_se)) END
	FROM pg_temp.est(rel_a, design) a JOIN pg_temp.est(rel_b, design) b
		USING (group_value, variable)
$$;

CREATE TEMP TABLE designs (design text);
INSERT INTO designs VALUES ('onestage'), ('twostage'), ('twostage_f'), ('rows');

-- hash (integer keys) against grouped (text keys)
SELECT cmp_ok(pg_temp.maxrel('scan_units', 'scan_units_text', 'onestage'), '<', 1e-12::float8,
	'one stage, by group, domain: the units'' hash equals the grouped scan to 1e-12');
SELECT cmp_ok(pg_temp.maxrel('scan_units', 'scan_units_text', 'twostage'), '<', 1e-12::float8,
	'two stages, numeric fpc: the units'' hash equals the grouped scan to 1e-12');
SELECT cmp_ok(pg_temp.maxrel('scan_units', 'scan_units_text', 'twostage_f'), '<', 1e-12::float8,
	'two stages, float8 fpc: the units'' hash equals the grouped scan to 1e-12');

-- interleaved against stored unit by unit
SELECT cmp_ok(max(pg_temp.maxrel('scan_units_i', 'scan_units', design)), '<', 1e-12::float8,
	'every design: rows interleaved equal rows stored by unit to 1e-12')
FROM designs;

-- more variables than a C aggregate call takes (FUNC_MAX_ARGS): built-in
-- aggregates, the same estimates
SELECT is((SELECT count(*) || ' rows, ' || (max(greatest(abs(m.mean - e.mean) / abs(e.mean),
		abs(m.se - e.se) / e.se, abs(m.total_se - e.total_se) / e.total_se)) < 1e-12)
	FROM survey_reg.survey_means('scan_units', ARRAY['y1'] || array_fill('y2'::text, ARRAY[94]),
		weight => 'w', strata => 'stratum', cluster => 'psu', by => 'g', domain => 'dom') m
	JOIN pg_temp.est('scan_units', 'onestage') e USING (group_value, variable)
	WHERE m.n = e.n AND m.df = e.df), '380 rows, true',
	'95 variables (built-in aggregates): each equals the 2-variable scan to 1e-12');

-- serial results, then the same under a parallel plan and with a tiny
-- memory budget (the units'' hash overflows: the grouped scan runs)
CREATE TEMP TABLE serial AS
SELECT d.design, e.* FROM designs d, pg_temp.est('scan_units', d.design) e;
SELECT is((SELECT count(*) FROM serial), 32::bigint, 'serial: 4 designs x 4 groups x 2 variables');

CREATE FUNCTION pg_temp.maxrel_serial(design text) RETURNS float8
LANGUAGE sql AS $$
	SELECT CASE WHEN count(*) = 8 AND bool_and(a.n = b.n AND a.df = b.df)
	THEN max(greatest(abs(a.mean - b.mean) / abs(b.mean), abs(a.se - b.se) / b.se,
		abs(a.total - b.total) / abs(b.total), abs(a.total_se - b.total_se) / b.total_se)) END
	FROM pg_temp.est('scan_units', design) a
		JOIN serial b ON b.design = maxrel_serial.design
			AND b.group_value = a.group_value AND b.variable = a.variable
$$;

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
-- the units' aggregate does run in parallel here
CREATE FUNCTION pg_temp.plan_lines() RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE l text;
BEGIN
	FOR l IN EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF)
		SELECT survey_reg._means_units(stratum, psu, ssu, g, w, fpc1, fpc2, true, dom, y1, y2)
		FROM scan_units LOOP
		RETURN NEXT l;
	END LOOP;
END $$;
SELECT ok(EXISTS (SELECT FROM pg_temp.plan_lines() l WHERE l ~ 'Partial Aggregate')
	AND EXISTS (SELECT FROM pg_temp.plan_lines() l WHERE l ~ 'Workers Launched: [1-9]'),
	'the units'' aggregate runs as a partial aggregate with workers');
SELECT cmp_ok(pg_temp.maxrel_serial('onestage'), '<', 1e-12::float8, 'parallel plan, one stage: equal to 1e-12');
SELECT cmp_ok(pg_temp.maxrel_serial('twostage'), '<', 1e-12::float8, 'parallel plan, two stages: equal to 1e-12');
SELECT cmp_ok(pg_temp.maxrel_serial('rows'), '<', 1e-12::float8, 'parallel plan, rows as PSUs: equal to 1e-12');
RESET max_parallel_workers_per_gather;

-- the state's overflow flag (UnitsState.overflow: data byte 8)
CREATE FUNCTION pg_temp.overflow() RETURNS int LANGUAGE sql AS $$
	SELECT get_byte(survey_reg._means_units(stratum, psu, ssu, g, w, fpc1, fpc2,
		true, dom, y1, y2), 8) FROM scan_units
$$;
SELECT is(pg_temp.overflow(), 0, 'the default work_mem: the units'' hash holds every unit');
SET LOCAL work_mem = '64kB';
SET LOCAL hash_mem_multiplier = 1;
SELECT is(pg_temp.overflow(), 1,
	'work_mem 64kB: the units'' state passes it and overflows (survey_means scans grouped)');
SELECT cmp_ok(pg_temp.maxrel_serial('onestage'), '<', 1e-12::float8, 'past the memory budget, one stage: equal to 1e-12');
SELECT cmp_ok(pg_temp.maxrel_serial('twostage'), '<', 1e-12::float8, 'past the memory budget, two stages: equal to 1e-12');

SELECT * FROM finish();
ROLLBACK;
