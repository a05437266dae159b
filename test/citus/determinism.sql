-- Five runs of the same aggregate over a distributed table (32 shards,
-- their partial states combined on the coordinator in the order they
-- arrive): the same reference row every time; the same state text when
-- the sums are exact (item scores); otherwise states that differ at most
-- in the last bits of their double-double sums, of which nothing depends:
-- the robust two-step takes a meat made with another run's fit
-- (test/merge_order.sql shuffles the same partial states without Citus).
SET citus.coordinator_aggregation_strategy = 'disabled';
SET citus.shard_count = 32;
SET client_min_messages = error;

CREATE TABLE runs_data (id int, office int, y float8, x1 float8, x2 float8,
	i1 float8, i2 float8, i3 float8, w float8);
SELECT create_distributed_table('runs_data', 'id');
INSERT INTO runs_data
SELECT g, 1 + (g * 7919) % 108,
	1e6 + 2 * sin(g) + cos(g * 0.3) + ((g * 7919) % 108) * 0.01, 1e6 + sin(g), cos(g * 0.7) * 5,
	1 + (g * 31) % 5, 1 + (g * 37 + g / 7) % 5, 1 + (g * 41 + g / 5) % 5, 1 + g % 3
FROM generate_series(1, 50000) g;

-- q run n times, one row per run
CREATE FUNCTION pg_temp.runs(q text, n int) RETURNS TABLE(run int, m survey_reg.moments)
LANGUAGE plpgsql AS $$
BEGIN
	FOR i IN 1 .. n LOOP
		run := i;
		EXECUTE q INTO m;
		RETURN NEXT;
	END LOOP;
END $$;
CREATE TEMP TABLE real_runs AS SELECT * FROM pg_temp.runs(
	$q$SELECT survey_reg.moments(ARRAY[y, x1, x2], ARRAY['y', 'x1', 'x2'], w) FROM runs_data$q$, 5);
CREATE TEMP TABLE item_runs AS SELECT * FROM pg_temp.runs(
	$q$SELECT survey_reg.moments(ARRAY[i1, i2, i3], ARRAY['i1', 'i2', 'i3'], w) FROM runs_data$q$, 5);

SELECT plan(5);
SELECT is((SELECT count(DISTINCT m::text) FROM item_runs), 1::bigint,
	'five runs over exact sums (item scores) give one state text');
SELECT is((SELECT count(DISTINCT substring(m::text FROM ' ref=\S+')) FROM real_runs), 1::bigint,
	'five runs over inexact sums give one reference row');
SELECT diag(format('five runs over inexact sums give %s distinct state texts',
	(SELECT count(DISTINCT m::text) FROM real_runs)));
SELECT ok((SELECT max(abs(a.r - b.r)) FROM real_runs o, survey_reg.correlations(o.m) a
	JOIN survey_reg.correlations((SELECT m FROM real_runs WHERE run = 1)) b USING (var1, var2)) < 1e-14,
	'and their correlations agree to 1e-14');

-- the two-step over the distributed table: fit of run 1, meat over the
-- shards (cluster totals per office: GROUP BY off the distribution
-- column), the variance from every run's state
CREATE TEMP TABLE fit1 AS
SELECT survey_reg.robust_fit(m, 'y', ARRAY['x1', 'x2'], 'cluster') AS fit
FROM real_runs WHERE run = 1;
CREATE FUNCTION pg_temp.meat_of(fit float8[]) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
	meat bytea;
BEGIN
	EXECUTE $q$SELECT survey_reg.meat($1, u) FROM (SELECT survey_reg.score_sum(
		survey_reg.scores($1, ARRAY[y, x1, x2], w)) AS u FROM runs_data GROUP BY office) c$q$
		INTO meat USING fit;
	RETURN meat;
END $$;
CREATE TEMP TABLE meat1 AS SELECT pg_temp.meat_of(fit) AS meat FROM fit1;
SELECT lives_ok($$SELECT count(*) FROM real_runs o, meat1,
	survey_reg.robust_coefficients(o.m, 'y', ARRAY['x1', 'x2'], meat1.meat)$$,
	'the meat of run 1''s fit goes with every run''s state');
SELECT ok((SELECT max(abs(a.se - c.se) / c.se)
	FROM real_runs o, meat1, survey_reg.robust_coefficients(o.m, 'y', ARRAY['x1', 'x2'], meat1.meat) a
	JOIN survey_reg.coefficients('runs_data', 'y', ARRAY['x1', 'x2'], weight => 'w',
		se => 'cluster', cluster => 'office') c USING (model, term)) < 1e-12,
	'and gives the table-name form''s cluster-robust SEs to 1e-12');

SELECT * FROM finish();
