-- GROUP BY with many groups keeps to work_mem (issue 19, item 2).
--
-- Hash aggregation accounts a group's memory when it creates the group and
-- spills to disk when new groups would pass work_mem * hash_mem_multiplier.
-- A state that grew its 128-row batch buffer afterwards escaped that limit
-- (50,000 groups x 11 variables: 806 MB against 128 MB); under a hashed
-- strategy the states now keep the size they were created with.  Here a
-- smaller case of bench/groupby_memory.sh's full-size one: 5,000 groups x
-- 200 rows x 11 columns at work_mem 4 MB (8 MB with hash_mem_multiplier 2).
-- The HashAggregate's reported peak memory must stay within the limit (and
-- 5% more: PostgreSQL's own accounting overshoots by the blocks it allocates
-- before it checks; 66 covar_pop aggregates, states of a similar size, peak
-- at 8,297 kB here), the aggregate must spill, and the results must equal
-- the sorted plan's (batched) ones.
-- Negative control: on e8a2c9c the peak is tens of MB, and this fails.
BEGIN;
SELECT plan(7);

CREATE TEMP TABLE big AS
SELECT g % 5000 AS office,
	1e6 + sin(g) AS c1, (g * 7) % 97 + cos(g) AS c2, (g * 11) % 89 AS c3,
	sqrt(g) AS c4, ln(g) AS c5, ((g / 5000) % 5)::float8 AS c6, sin(g * 0.5) AS c7,
	(g * 13) % 83 + 0.5 AS c8, cos(g * 0.25) * 10 AS c9, (g % 31)::float8 AS c10,
	1e-3 * ((g * 17) % 71) AS c11
FROM generate_series(1, 1000000) g;
ANALYZE big;

SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL work_mem = '4MB';
SET LOCAL hash_mem_multiplier = 2;

-- the (first) aggregate node of EXPLAIN (ANALYZE, FORMAT JSON) of q
CREATE FUNCTION pg_temp.agg_node(q text) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	plan jsonb;
BEGIN
	EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || q INTO plan;
	RETURN jsonb_path_query_first(plan, 'strict $.**? (@."Node Type" == "Aggregate")');
END
$$;

SET LOCAL enable_sort = off;
CREATE TEMP TABLE hashed_plan AS
SELECT pg_temp.agg_node($q$
	SELECT office, survey_reg.moments(ARRAY[c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11])
	FROM big GROUP BY office $q$) AS node;
SELECT is((SELECT node->>'Strategy' FROM hashed_plan), 'Hashed',
	'GROUP BY office is a HashAggregate');
SELECT cmp_ok((SELECT (node->>'Peak Memory Usage')::int FROM hashed_plan), '<=',
	4096 * 2 * 105 / 100, 'its peak memory stays within work_mem x hash_mem_multiplier (kB, + 5%)');
SELECT cmp_ok((SELECT (node->>'HashAgg Batches')::int FROM hashed_plan), '>', 1,
	'it spills to disk instead, in batches');

CREATE TEMP TABLE hashed AS
SELECT office, (survey_reg.describe(m)).* FROM (
	SELECT office, survey_reg.moments(ARRAY[c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11],
		ARRAY['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9', 'c10', 'c11']) m
	FROM big GROUP BY office) s;
RESET enable_sort;
SET LOCAL enable_hashagg = off;
SELECT is(pg_temp.agg_node($q$
	SELECT office, survey_reg.moments(ARRAY[c1, c2]) FROM big GROUP BY office $q$)->>'Strategy',
	'Sorted', 'with enable_hashagg off the plan is sorted');
CREATE TEMP TABLE sorted AS
SELECT office, (survey_reg.describe(m)).* FROM (
	SELECT office, survey_reg.moments(ARRAY[c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11],
		ARRAY['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', 'c9', 'c10', 'c11']) m
	FROM big GROUP BY office) s;

SELECT is((SELECT count(*) FROM hashed h JOIN sorted s USING (office, variable)
	WHERE h.n = s.n AND h.min = s.min AND h.max = s.max),
	55000::bigint, 'every group and variable: the same n, min and max as the sorted plan');
SELECT cmp_ok((SELECT max(greatest(abs(h.mean - s.mean) / abs(s.mean), abs(h.sd - s.sd) / s.sd))
	FROM hashed h JOIN sorted s USING (office, variable)),
	'<', 1e-12::float8, 'and the same mean and sd to 1e-12');
-- (c1 = 1e6 + sin(g): its shape comes from sums of 4th powers of deviations
-- a millionth of the mean, so row-by-row and batched sums differ in the last
-- places the double-double arithmetic keeps: 3e-12 seen, 1e-10 allowed)
SELECT cmp_ok((SELECT max(greatest(abs(h.skewness - s.skewness), abs(h.kurtosis - s.kurtosis)))
	FROM hashed h JOIN sorted s USING (office, variable)),
	'<', 1e-10::float8, 'and the same skewness and kurtosis to 1e-10');

SELECT * FROM finish();
ROLLBACK;
