-- Cluster and design SEs do not depend on how the scan runs or how the
-- rows are stored (issue 18).
--
-- The table-name fit with se => 'cluster' or 'design' takes one scan: the
-- ungrouped aggregate cluster_moments_of (src/cluster_scan.c: the moments
-- state and a hash of the clusters' sums), or, when its clusters pass the
-- memory limit (work_mem * hash_mem_multiplier), the grouped scan GROUP BY
-- stratum, cluster (src/robust_groups.c).  The results must not move: here
-- the same data, with strata, probability and frequency weights and NULL
-- clusters in rows dropped listwise, gives the same b, SE, t and p to 1e-12
-- (relative) whether
--   * the rows are stored by cluster or interleaved,
--   * the one-scan aggregate holds the clusters (work_mem 64 MB) or
--     overflows at work_mem 64 kB, and the grouped scan then spills to
--     disk or is a sorted GroupAggregate (enable_hashagg off),
--   * the keys are integers or text,
--   * the one-scan aggregate runs in parallel (partial states merged).
-- The reference is the one-scan, interleaved run; an independent check of
-- the values themselves is test/robust_vs_r.sql.
-- Negative controls: perturbing one row's y in the by-cluster copy
-- (y + 1e-6 in row g = 5) fails the three by-cluster comparisons (3, 6, 8);
-- in src/cluster_scan.c, a cluster's s1 sums scaled by 1 + 1e-9 fail the
-- fallback and parallel comparisons (5-8, 27), the s2 merge without its
-- sw d_i d_j term fails the parallel one (27), text keys compared by
-- length only fail the text one (16), smallint keys read modulo 1000 fail
-- the smallint one (17), keeping the units whose rows all break a design's
-- rule (cluster_scan_open) raises the NULL-strata error at 21 (the script
-- stops after 20 tests), and counting those units' NULL weights fails 25.
-- The key cache: a line matched without its stratum stops the script at
-- 26 (a stratum left with one PSU), lines indexed by the key modulo 16384
-- fail 27, and lines matched without their state's number crash the
-- backend at 28 (another group's entry number).
BEGIN;
SELECT plan(31);

SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL client_min_messages = warning;

CREATE TEMP TABLE paths_mixed AS
SELECT g,
	CASE WHEN g % 997 = 0 THEN NULL ELSE 1e3 + sin(g) * 3 + (g % 7) END AS y,
	sin(g * 0.7) * 2 AS x1, (g * 13) % 17 + cos(g) AS x2, ln(g) AS x3,
	CASE WHEN g % 997 = 0 THEN NULL ELSE (g * 7919) % 2000 END AS cl,
	((g * 7919) % 2000) % 20 AS st,
	0.5 + ((g * 31) % 101) / 100.0 AS pw,
	1 + (g % 3) AS fw
FROM generate_series(1, 20000) g;
CREATE TEMP TABLE paths_sorted AS SELECT * FROM paths_mixed ORDER BY cl, g;
ANALYZE paths_mixed;
ANALYZE paths_sorted;

-- one row per (case, term): b, se, t, p of the table-name fit
CREATE FUNCTION pg_temp.fits(rel text) RETURNS TABLE (case_ text, model int, term text,
	b float8, se float8, t float8, p float8) LANGUAGE sql AS $$
	SELECT 'cluster', c.model, c.term, c.b, c.se, c.t, c.p
	FROM survey_reg.coefficients(rel, 'y', ARRAY['x1, x2', 'x3'],
		se => 'cluster', cluster => 'cl') c
	UNION ALL
	SELECT 'cluster fw', c.model, c.term, c.b, c.se, c.t, c.p
	FROM survey_reg.coefficients(rel, 'y', ARRAY['x1, x2', 'x3'], weight => 'fw',
		se => 'cluster', cluster => 'cl') c
	UNION ALL
	SELECT 'design', c.model, c.term, c.b, c.se, c.t, c.p
	FROM survey_reg.coefficients(rel, 'y', ARRAY['x1, x2', 'x3'], weight => 'pw',
		weight_type => 'probability', se => 'design', cluster => 'cl',
		strata => 'st') c
$$;

SET LOCAL work_mem = '64MB';
CREATE TEMP TABLE paths_ref AS SELECT * FROM pg_temp.fits('paths_mixed');

-- the largest relative difference of b, se, t, p against the reference
CREATE FUNCTION pg_temp.worst(rel text) RETURNS float8 LANGUAGE sql AS $$
	SELECT max(greatest(
		abs(a.b - r.b) / greatest(abs(r.b), 1e-300),
		abs(a.se - r.se) / greatest(abs(r.se), 1e-300),
		abs(a.t - r.t) / greatest(abs(r.t), 1e-300),
		abs(a.p - r.p) / greatest(abs(r.p), 1e-300)))
	FROM pg_temp.fits(rel) a JOIN paths_ref r USING (case_, model, term)
$$;

SELECT is((SELECT count(*)::int FROM paths_ref), 21, 'three fits, two models of three and four terms');
SELECT ok((SELECT bool_and(se > 0 AND se < 'Infinity') FROM paths_ref),
	'every SE is finite and positive');

SELECT cmp_ok(pg_temp.worst('paths_sorted'), '<=', 1e-12::float8,
	'in memory: rows stored by cluster = interleaved');

-- the same grouped scan, spilled
SET LOCAL work_mem = '64kB';
SET LOCAL hash_mem_multiplier = 2;
CREATE FUNCTION pg_temp.agg_node(q text) RETURNS jsonb LANGUAGE plpgsql AS $f$
DECLARE
	plan jsonb;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || q INTO plan;
	RETURN jsonb_path_query_first(plan, 'strict $.**? (@."Node Type" == "Aggregate")');
END
$f$;
SELECT cmp_ok((pg_temp.agg_node($q$SELECT st, cl,
		survey_reg.moments(ARRAY[y, x1, x2, x3]) FROM paths_mixed
		GROUP BY st, cl$q$)->>'HashAgg Batches')::int, '>', 1,
	'a grouped scan of this size spills at work_mem 64 kB');
SELECT cmp_ok(pg_temp.worst('paths_mixed'), '<=', 1e-12::float8,
	'grouped fallback, spilled = one-scan in memory (interleaved)');
SELECT cmp_ok(pg_temp.worst('paths_sorted'), '<=', 1e-12::float8,
	'grouped fallback, spilled = one-scan in memory (by cluster)');

-- a sorted GroupAggregate
SET LOCAL enable_hashagg = off;
SELECT cmp_ok(pg_temp.worst('paths_mixed'), '<=', 1e-12::float8,
	'grouped fallback, sorted = one-scan (interleaved)');
SELECT cmp_ok(pg_temp.worst('paths_sorted'), '<=', 1e-12::float8,
	'grouped fallback, sorted = one-scan (by cluster)');
RESET enable_hashagg;
SET LOCAL work_mem = '64MB';

-- the rows dropped listwise carry the NULL clusters: the same fit without
-- them, and the cluster count is that of the complete rows
CREATE TEMP TABLE paths_complete AS
SELECT * FROM paths_mixed WHERE y IS NOT NULL;
ANALYZE paths_complete;
SELECT is((SELECT count(*)::int FROM paths_mixed WHERE cl IS NULL), 20,
	'20 rows have a NULL cluster');
SELECT is((SELECT count(*)::int FROM paths_complete WHERE cl IS NULL), 0,
	'... all of them in rows dropped listwise');
SELECT cmp_ok(pg_temp.worst('paths_complete'), '<=', 1e-12::float8,
	'dropping those rows beforehand changes nothing');

-- a NULL cluster in a complete row is still an error (sandwich::vcovCL)
UPDATE paths_complete SET cl = NULL WHERE g = 1;
SELECT throws_ok($$SELECT * FROM survey_reg.coefficients('paths_complete', 'y',
	ARRAY['x1, x2', 'x3'], se => 'cluster', cluster => 'cl')$$, '22004', NULL,
	'a NULL cluster in a complete row is an error');
SELECT throws_ok($$SELECT * FROM survey_reg.coefficients('paths_complete', 'y',
	ARRAY['x1, x2', 'x3'], weight => 'pw', weight_type => 'probability',
	se => 'design', cluster => 'cl', strata => 'st')$$, '22004', NULL,
	'... and in a design');

-- the one-scan aggregate and its switch-over: in memory its state holds
-- the 2,000 clusters' sums; at work_mem 64 kB it overflows (no entries),
-- so the fits at 64 kB above ran the grouped scan
CREATE FUNCTION pg_temp.state_bytes(rel text) RETURNS int LANGUAGE plpgsql AS $f$
DECLARE
	n int;
BEGIN
	EXECUTE format('SELECT octet_length(survey_reg.cluster_moments_of(st::int8, cl::int8,
		pw::float8, y::float8, x1::float8, x2::float8, x3::float8)) FROM %I', rel) INTO n;
	RETURN n;
END
$f$;
SELECT cmp_ok(pg_temp.state_bytes('paths_mixed'), '>', 2000 * 200,
	'at work_mem 64 MB the one-scan state holds every cluster');
SET LOCAL work_mem = '64kB';
SELECT cmp_ok(pg_temp.state_bytes('paths_mixed'), '<', 20000,
	'at work_mem 64 kB it overflows: the fit falls back to the grouped scan');
SET LOCAL work_mem = '64MB';

-- text keys: compared by bytes, the same units
CREATE TEMP TABLE paths_text AS
SELECT g, y, x1, x2, x3, 'c' || cl AS cl, 's' || st AS st, pw, fw FROM paths_mixed;
ANALYZE paths_text;
SELECT cmp_ok(pg_temp.worst('paths_text'), '<=', 1e-12::float8,
	'text keys = integer keys');

-- integer keys of every width are read by value, without a cast (a domain
-- over one is cast to bigint): the same units, and int4 keys make the very
-- state bigint keys of the same values make
CREATE DOMAIN pg_temp.unit_id AS int;
CREATE TEMP TABLE paths_int2 AS
SELECT g, y, x1, x2, x3, cl::int2 AS cl, st::int2 AS st, pw, fw FROM paths_mixed;
CREATE TEMP TABLE paths_int8 AS
SELECT g, y, x1, x2, x3, cl::int8 AS cl, st::int8 AS st, pw, fw FROM paths_mixed;
CREATE TEMP TABLE paths_domain AS
SELECT g, y, x1, x2, x3, cl::pg_temp.unit_id AS cl, st::pg_temp.unit_id AS st, pw, fw
FROM paths_mixed;
SELECT cmp_ok(pg_temp.worst('paths_int2'), '<=', 1e-12::float8,
	'smallint keys = integer keys');
SELECT cmp_ok(pg_temp.worst('paths_int8'), '<=', 1e-12::float8,
	'bigint keys = integer keys');
SELECT cmp_ok(pg_temp.worst('paths_domain'), '<=', 1e-12::float8,
	'keys of a domain over integer = integer keys');
SELECT is((SELECT md5(survey_reg.cluster_moments_of(st, cl, pw::float8, y::float8,
		x1::float8, x2::float8, x3::float8)) FROM paths_mixed),
	(SELECT md5(survey_reg.cluster_moments_of(st::int8, cl::int8, pw::float8, y::float8,
		x1::float8, x2::float8, x3::float8)) FROM paths_mixed),
	'an integer key makes the state its bigint makes');

-- a design's rule for rows: a row with a NULL stratum or cluster counts
-- only if it is complete.  The grouped scan leaves such rows out with a
-- WHERE clause (robust_design_rows); the one scan reads every row and
-- leaves out the units whose rows all break the rule (cluster_scan_open):
-- the same fit.  A PSU whose rows are all incomplete still counts (as in
-- R's svydesign, which keeps the PSU when a subset drops its rows).
CREATE TEMP TABLE paths_rule AS
SELECT g, y, x1, x2, x3, cl, st, pw FROM paths_mixed
UNION ALL	-- NULL stratum, incomplete
SELECT -g, NULL, x1, x2, x3, cl, NULL, pw FROM paths_mixed WHERE g <= 50
UNION ALL	-- NULL cluster and weight, incomplete
SELECT -100000 - g, NULL, x1, x2, x3, NULL, st, NULL FROM paths_mixed WHERE g <= 50
UNION ALL	-- 30 new PSUs, every row incomplete
SELECT -200000 - g, NULL, x1, x2, x3, 5000 + g, st, pw FROM paths_mixed WHERE g <= 30;
ANALYZE paths_rule;
CREATE FUNCTION pg_temp.design_fit(rel text) RETURNS TABLE (model int, term text,
	b float8, se float8, t float8, p float8) LANGUAGE sql AS $$
	SELECT c.model, c.term, c.b, c.se, c.t, c.p
	FROM survey_reg.coefficients(rel, 'y', ARRAY['x1, x2', 'x3'], weight => 'pw',
		weight_type => 'probability', se => 'design', cluster => 'cl',
		strata => 'st') c
$$;
CREATE FUNCTION pg_temp.rel_diff(rel_a text, rel_b text) RETURNS float8 LANGUAGE sql AS $$
	SELECT max(greatest(abs(x.se - y.se) / y.se, abs(x.p - y.p) / greatest(y.p, 1e-300),
		abs(x.b - y.b) / greatest(abs(y.b), 1e-300)))
	FROM pg_temp.design_fit(rel_a) x JOIN pg_temp.design_fit(rel_b) y USING (model, term)
$$;
CREATE TEMP TABLE rule_one AS SELECT * FROM pg_temp.design_fit('paths_rule');
SET LOCAL work_mem = '64kB';
CREATE TEMP TABLE rule_grouped AS SELECT * FROM pg_temp.design_fit('paths_rule');
SET LOCAL work_mem = '64MB';
SELECT cmp_ok((SELECT max(greatest(abs(o.se - g.se) / g.se, abs(o.b - g.b) / abs(g.b),
		abs(o.p - g.p) / greatest(g.p, 1e-300)))
		FROM rule_one o JOIN rule_grouped g USING (model, term)), '<=', 1e-12::float8,
	'a design''s rule for rows: one scan = grouped scan');
SELECT is((SELECT count(*)::int FROM rule_one), 7, '... all seven terms');
SELECT cmp_ok(pg_temp.rel_diff('paths_rule', 'paths_mixed'), '>', 1e-6::float8,
	'the PSUs whose rows are all incomplete count');
INSERT INTO paths_rule VALUES (-300000, NULL, 0, 0, 1, 1, 1, NULL);
SELECT throws_ok($$SELECT * FROM pg_temp.design_fit('paths_rule')$$, '22004',
	'a probability weight is NULL', '... but a NULL weight of a unit''s row is an error');
DELETE FROM paths_rule WHERE g = -300000;
INSERT INTO paths_rule VALUES (-300001, 1, 0, 0, 1, NULL, 7, 1), (-300002, NULL, 0, 0, 1, NULL, 7, NULL);
SELECT throws_ok($$SELECT * FROM pg_temp.design_fit('paths_rule')$$, '22004',
	'the cluster column "cl" is NULL in some rows',
	'a NULL cluster in a complete row is the error, not the NULL weight of a row the rule leaves out');

-- integer cluster keys below 16384 find their unit through a cache by
-- value (CsCall in src/cluster_scan.c), which must tell the strata apart,
-- pass over keys outside it and serve the states of a GROUP BY at once.
-- Cluster numbers 0 .. 99 repeat in five strata: 500 PSUs; the one scan
-- (work_mem 64 MB) against the grouped scan (64 kB)
CREATE TEMP TABLE paths_shared AS
SELECT g, y, x1, x2, x3, (g * 7919) % 100 AS cl, (g / 100) % 5 AS st, pw, fw
FROM paths_mixed;
ANALYZE paths_shared;
SET LOCAL work_mem = '64kB';
CREATE TEMP TABLE shared_grouped AS SELECT * FROM pg_temp.design_fit('paths_shared');
SET LOCAL work_mem = '64MB';
SELECT cmp_ok((SELECT max(greatest(abs(x.se - y.se) / y.se,
		abs(x.b - y.b) / greatest(abs(y.b), 1e-300)))
		FROM pg_temp.design_fit('paths_shared') x JOIN shared_grouped y USING (model, term)),
	'<=', 1e-12::float8,
	'a cluster number in several strata is several PSUs (one scan = grouped scan)');
-- keys outside the cache (negative; past 16384, those equal to a key
-- inside it modulo 16384) are the same units
CREATE TEMP TABLE paths_far AS
SELECT g, y, x1, x2, x3,
	CASE WHEN cl < 500 THEN -cl - 1 WHEN cl < 1000 THEN cl ELSE cl + 15384 END AS cl,
	st, pw, fw
FROM paths_mixed;
ANALYZE paths_far;
SELECT cmp_ok(pg_temp.worst('paths_far'), '<=', 1e-12::float8,
	'cluster keys outside the cache = the same keys inside it');
-- the states of a GROUP BY (rows of the groups interleaved) share the
-- cache: each is the state its group's rows make alone
SET LOCAL enable_sort = off;
SELECT is((SELECT array_agg(md5(s) ORDER BY part) FROM (
		SELECT g % 3 AS part, survey_reg.cluster_moments_of(st, cl, pw::float8,
			y::float8, x1::float8, x2::float8, x3::float8) AS s
		FROM paths_mixed GROUP BY g % 3) q),
	(SELECT array_agg(md5((SELECT survey_reg.cluster_moments_of(st, cl, pw::float8,
			y::float8, x1::float8, x2::float8, x3::float8)
		FROM paths_mixed WHERE g % 3 = part)) ORDER BY part)
		FROM generate_series(0, 2) part),
	'the states of a GROUP BY = each group''s state alone');
RESET enable_sort;

-- in parallel: a table (workers cannot read temporary tables), every
-- cluster in several workers' partial states, merged
CREATE TABLE paths_parallel AS SELECT * FROM paths_mixed;
ANALYZE paths_parallel;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.plan_text(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
	l text;
	out text := '';
BEGIN
	FOR l IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ' || q LOOP
		out := out || l || E'\n';
	END LOOP;
	RETURN out;
END
$f$;
SELECT matches(pg_temp.plan_text($q$SELECT survey_reg.cluster_moments_of(st::int8,
		cl::int8, pw::float8, y::float8, x1::float8, x2::float8, x3::float8)
		FROM paths_parallel$q$),
	'Workers Launched: [1-9](.|\n)*Partial Aggregate',
	'the one-scan aggregate runs in parallel');
SELECT cmp_ok(pg_temp.worst('paths_parallel'), '<=', 1e-12::float8,
	'parallel one-scan = serial');
RESET max_parallel_workers_per_gather;
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT cmp_ok(pg_temp.worst('paths_parallel'), '<=', 1e-12::float8,
	'... and serial on the same table');

SELECT * FROM finish();
ROLLBACK;
