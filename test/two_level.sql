-- The two-level (Citus-style) path, simulated: per-partition states are
-- computed where the rows live, shipped as text through the type's output
-- and input functions (as Citus does between workers and coordinator), and
-- merged on the "coordinator" with merge(); the result must equal one pass
-- over all rows.  Also: partition-wise aggregation on a partitioned table.
BEGIN;
SELECT plan(7);

CREATE TABLE shards (office int, y float8, x1 float8, x2 float8, w float8)
	PARTITION BY HASH (office);
CREATE TABLE shards_0 PARTITION OF shards FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE shards_1 PARTITION OF shards FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE shards_2 PARTITION OF shards FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE shards_3 PARTITION OF shards FOR VALUES WITH (MODULUS 4, REMAINDER 3);
INSERT INTO shards
SELECT g % 108, 1e6 + 2 * sin(g) + cos(g * 0.3), 1e6 + sin(g), (g % 17)::float8 / 3,
	1 + g % 3
FROM generate_series(1, 200000) g;
ANALYZE shards;

CREATE TEMP TABLE single_pass AS
SELECT survey_reg.moments(ARRAY[y, x1, x2], ARRAY['y', 'x1', 'x2'], w) AS m FROM shards;

-- worker side: one state per partition, shipped as text
CREATE TEMP TABLE shipped AS
SELECT tableoid::regclass AS part,
	survey_reg.moments(ARRAY[y, x1, x2], ARRAY['y', 'x1', 'x2'], w)::text AS state
FROM shards GROUP BY tableoid;
SELECT is((SELECT count(*) FROM shipped), 4::bigint, 'four partial states');

-- coordinator side: text in, merge
CREATE TEMP TABLE coordinator AS
SELECT survey_reg.merge(state::survey_reg.moments) AS m FROM shipped;

SELECT ok((SELECT max(greatest(abs(a.mean - b.mean) / abs(b.mean), abs(a.sd - b.sd) / b.sd))
	FROM survey_reg.describe((SELECT m FROM coordinator)) a
	JOIN survey_reg.describe((SELECT m FROM single_pass)) b USING (variable)) < 1e-12,
	'merged shipped states equal one pass: means and SDs to 1e-12');
SELECT ok((SELECT max(abs(a.r - b.r))
	FROM survey_reg.correlations((SELECT m FROM coordinator)) a
	JOIN survey_reg.correlations((SELECT m FROM single_pass)) b USING (var1, var2)) < 1e-12,
	'merged shipped states equal one pass: correlations to 1e-12');
SELECT is((SELECT n FROM survey_reg.describe((SELECT m FROM coordinator)) LIMIT 1),
	(SELECT sum(w) FROM shards), 'N is the sum of weights over all partitions');

-- partition-wise aggregation: the planner aggregates each partition and
-- combines, as Citus does across nodes.  The plan must show it (a Partial
-- Aggregate per partition under one Finalize Aggregate), else the check of
-- the result below would test one pass against itself.
CREATE FUNCTION pg_temp.partial_aggregates() RETURNS int LANGUAGE plpgsql AS $$
DECLARE
	line text;
	n int := 0;
BEGIN
	FOR line IN EXPLAIN (COSTS OFF)
		SELECT survey_reg.moments(ARRAY[y, x1, x2], ARRAY['y', 'x1', 'x2'], w) FROM shards
	LOOP
		IF line ~ 'Partial Aggregate' THEN
			n := n + 1;
		END IF;
	END LOOP;
	RETURN n;
END $$;
SET LOCAL enable_partitionwise_aggregate = off;
SELECT cmp_ok(pg_temp.partial_aggregates(), '<=', 1,
	'without partition-wise aggregation: at most one Partial Aggregate (the control)');
SET LOCAL enable_partitionwise_aggregate = on;
SELECT is(pg_temp.partial_aggregates(), 4,
	'partition-wise aggregation: the plan has a Partial Aggregate per partition');
SELECT ok((SELECT max(abs(a.mean - b.mean) / abs(b.mean))
	FROM survey_reg.describe((SELECT survey_reg.moments(ARRAY[y, x1, x2], ARRAY['y', 'x1', 'x2'], w)
		FROM shards)) a
	JOIN survey_reg.describe((SELECT m FROM single_pass)) b USING (variable)) < 1e-12,
	'partition-wise aggregation equals one pass');

SELECT * FROM finish();
ROLLBACK;
