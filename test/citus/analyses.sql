-- Every table-name analysis of distributed tables equals the same analysis
-- of a local copy (to 1e-12 relative; describe to 1e-14, logistic 1e-11), with
-- citus.coordinator_aggregation_strategy = 'disabled': an aggregate that
-- Citus cannot split into worker_partial_agg / coord_combine_agg is an
-- error instead of a pull of the rows to the coordinator.  Run by
-- tools/citus-test.sh against the coordinator of a three-node cluster.
SET citus.coordinator_aggregation_strategy = 'disabled';
SET citus.shard_count = 8;
-- (the helper functions in pg_temp stay on the coordinator: Citus warns)
SET client_min_messages = error;

-- a synthetic survey: respondents in 108 offices in 6 regions; continuous
-- variables far from zero (1e6 + ...), 5-point items with gaps, weights
CREATE TABLE survey_local AS
SELECT g AS respondent, 1 + (g * 7919) % 108 AS office,
	'region ' || ((1 + (g * 7919) % 108) % 6) AS region,
	(1 + g % 3)::float8 AS w,
	1e6 + 2 * sin(g) + cos(g * 0.3) + ((1 + (g * 7919) % 108) % 7) * 0.1 AS y,
	1e6 + sin(g) AS x1,
	(g % 17)::float8 / 3 + 0.01 * cos(g * 1.7) AS x2,
	CASE WHEN g % 11 = 0 THEN NULL ELSE cos(g * 0.7) * 5 END AS x3,
	CASE WHEN g % 13 = 0 THEN NULL ELSE 1 + (g * 31) % 5 END::float8 AS i1,
	(1 + (g * 37 + g / 7) % 5)::float8 AS i2,
	(1 + (g * 41 + g / 5) % 5)::float8 AS i3,
	CASE WHEN g % 29 = 0 THEN NULL ELSE 1 + (g * 43 + g / 3) % 5 END::float8 AS i4,
	-- a binary outcome for the logistic functions, a domain flag (with
	-- NULLs) and a first-stage population count per region
	sin(g * 1.3) + 0.1 * ((g % 17)::float8 / 3) + 0.05 * ((1 + (g * 7919) % 108) % 7) > 0.4 AS yb,
	CASE WHEN g % 19 = 0 THEN NULL ELSE g % 4 <> 0 END AS dom,
	40::float8 AS offices_in_region
FROM generate_series(1, 20000) g;
-- the items correlate (a scale): i2..i4 lean on i1
UPDATE survey_local SET i2 = least(5, greatest(1, round((i2 + coalesce(i1, 3)) / 2))),
	i3 = least(5, greatest(1, round((i3 + 2 * coalesce(i1, 3)) / 3))),
	i4 = least(5, greatest(1, round((i4 + coalesce(i1, 3)) / 2)));

CREATE TABLE survey_by_respondent (LIKE survey_local);
CREATE TABLE survey_by_office (LIKE survey_local);
CREATE TABLE survey_reference (LIKE survey_local);
SELECT create_distributed_table('survey_by_respondent', 'respondent');
SELECT create_distributed_table('survey_by_office', 'office');
SELECT create_reference_table('survey_reference');
INSERT INTO survey_by_respondent SELECT * FROM survey_local;
INSERT INTO survey_by_office SELECT * FROM survey_local;
INSERT INTO survey_reference SELECT * FROM survey_local;
CREATE VIEW survey_view AS SELECT * FROM survey_by_respondent;

-- The largest relative difference between two jsonb values (numbers
-- compared relatively, everything else must be equal: Infinity if not).
CREATE FUNCTION pg_temp.rel_diff(a jsonb, b jsonb) RETURNS float8
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	d float8 := 0;
	x numeric;
	y numeric;
	i int;
	k text;
BEGIN
	IF jsonb_typeof(a) IS DISTINCT FROM jsonb_typeof(b) THEN
		RETURN 'Infinity';
	ELSIF jsonb_typeof(a) = 'number' THEN
		x := a::text::numeric;
		y := b::text::numeric;
		IF x = y THEN
			RETURN 0;
		END IF;
		RETURN abs(x - y) / greatest(abs(x), abs(y));
	ELSIF jsonb_typeof(a) = 'array' THEN
		IF jsonb_array_length(a) <> jsonb_array_length(b) THEN
			RETURN 'Infinity';
		END IF;
		FOR i IN 0 .. jsonb_array_length(a) - 1 LOOP
			d := greatest(d, pg_temp.rel_diff(a -> i, b -> i));
		END LOOP;
		RETURN d;
	ELSIF jsonb_typeof(a) = 'object' THEN
		IF (SELECT array_agg(o ORDER BY o) FROM jsonb_object_keys(a) o)
			IS DISTINCT FROM (SELECT array_agg(o ORDER BY o) FROM jsonb_object_keys(b) o) THEN
			RETURN 'Infinity';
		END IF;
		FOR k IN SELECT jsonb_object_keys(a) LOOP
			d := greatest(d, pg_temp.rel_diff(a -> k, b -> k));
		END LOOP;
		RETURN d;
	END IF;
	RETURN CASE WHEN a = b THEN 0 ELSE 'Infinity'::float8 END;
END $$;

-- the rows of a query over relation rel (written %1$s in q), as jsonb;
-- the relation's name in text results (also Markdown-escaped) is written REL
CREATE FUNCTION pg_temp.rows_of(q text, rel text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	j jsonb;
BEGIN
	EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(r)), ''[]'') FROM (%s) r', format(q, rel))
		INTO j;
	-- (Markdown escapes the underscores: \_, in JSON \\_)
	RETURN replace(replace(j::text, rel, 'REL'), replace(rel, '_', '\\_'), 'REL')::jsonb;
END $$;

-- one test per distributed relation: the analysis q equals the local one
CREATE FUNCTION pg_temp.same(q text, what text, tol float8 DEFAULT 1e-12)
RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
	rel text;
	local jsonb := pg_temp.rows_of(q, 'survey_local');
	dist jsonb;
	d float8;
BEGIN
	FOREACH rel IN ARRAY ARRAY['survey_by_respondent', 'survey_by_office',
		'survey_reference', 'survey_view'] LOOP
		dist := pg_temp.rows_of(q, rel);
		d := pg_temp.rel_diff(dist, local);
		RETURN NEXT ok(d <= tol, format('%s on %s equals the local table''s (%s)',
			what, rel, d));
		IF NOT d <= tol THEN
			RETURN NEXT diag(format(E'local: %s\n%s: %s', left(local::text, 3000),
				rel, left(dist::text, 3000)));
		END IF;
	END LOOP;
END $$;

SELECT plan(4 * 43 + 5);

-- CREATE EXTENSION on the coordinator reached both workers
SELECT is((SELECT array_agg(result ORDER BY nodeport) FROM run_command_on_workers(
	$$SELECT extversion FROM pg_extension WHERE extname = 'survey_reg'$$)),
	(SELECT array_agg(extversion) || array_agg(extversion) FROM pg_extension
		WHERE extname = 'survey_reg'),
	'survey_reg is installed on both workers, in the coordinator''s version');

-- the scans are split: partial states on the workers, combined on the
-- coordinator (the array form the table-name functions use on Citus)
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	line text;
	out text := '';
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || q LOOP
		out := out || line || E'\n';
	END LOOP;
	RETURN out;
END $$;
SELECT matches(pg_temp.plan_of($q$SELECT survey_reg.moments(ARRAY[(y)::float8, (x1)::float8]::float8[],
	ARRAY['y', 'x1']::text[]) FROM survey_by_office$q$),
	'worker_partial_agg.*coord_combine_agg|coord_combine_agg.*worker_partial_agg',
	'the array form is split into worker_partial_agg and coord_combine_agg');
-- negative control: why the table-name forms do not use moments_of here
SELECT throws_like($q$SELECT survey_reg.moments_of(y, x1) FROM survey_by_office$q$,
	'%could not confirm type correctness%',
	'the VARIADIC "any" form cannot be split by Citus');
-- and with the aggregation strategy disabled, nothing pulls rows instead
SELECT throws_like($q$SELECT survey_reg.moments(ARRAY[y, x1] ORDER BY y) FROM survey_by_office$q$,
	'%unsupported aggregate function%', 'the disabled coordinator aggregation refuses an aggregate it cannot split');
-- the logistic iteration's array form is split too
SELECT matches(pg_temp.plan_of($q$SELECT survey_reg.logistic_step_array(
	'{7617,1,1,1,0,0,1,1,0,0}'::float8[], w, ARRAY[yb::int, x2]::float8[]) FROM survey_by_office$q$),
	'worker_partial_agg.*coord_combine_agg|coord_combine_agg.*worker_partial_agg',
	'logistic_step_array is split into worker_partial_agg and coord_combine_agg');

SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.describe('%1$s', ARRAY['y', 'x1', 'x2', 'x3', 'i1'])$q$,
	'describe', 1e-14);
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.describe('%1$s', ARRAY['y', 'x1', 'x2', 'x3', 'i1'], missing => 'pairwise')$q$,
	'describe pairwise', 1e-14);
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.describe('%1$s', ARRAY['y', 'x1', 'x3'], weight => 'w')$q$,
	'describe weighted', 1e-14);
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.correlations('%1$s', ARRAY['y', 'x1', 'x2', 'x3', 'i1'])$q$,
	'correlations');
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.correlations('%1$s', ARRAY['y', 'x1', 'x2', 'x3', 'i1'], missing => 'pairwise')$q$,
	'correlations pairwise');
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.correlations('%1$s', ARRAY['y', 'x3', 'i4'], 'pairwise', 'w')$q$,
	'correlations pairwise weighted');
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.reliability('%1$s', ARRAY['i1', 'i2', 'i3', 'i4'])$q$,
	'reliability');
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.reliability('%1$s', ARRAY['i1', 'i2', 'i3', 'i4'], 'w')$q$,
	'reliability weighted');
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.item_total('%1$s', ARRAY['i1', 'i2', 'i3', 'i4'])$q$,
	'item_total');
-- model_summary and coefficients with every se (cluster and design: the
-- second scan over cluster totals, GROUP BY office).  Cluster and design
-- to 1e-11: the local table takes the one-scan aggregate, whose clusters'
-- plain double sums leave its SEs ~1e-14 (relative) from the distributed
-- relation's double-double ones, and a p-value of a t-distribution with
-- few degrees of freedom far in the tail (p ~ 1e-215 here) moves df times
-- as much (1.5e-12 measured; issue 18)
SELECT pg_temp.same(format($q$SELECT * FROM survey_reg.%s('%%1$s', 'y', ARRAY['x1', 'x2, x3'], se => %L%s)$q$,
		f.fn, s.se, s.extra), f.fn || ' se ' || s.se,
		CASE WHEN s.se IN ('cluster', 'design') THEN 1e-11 ELSE 1e-12 END)
FROM (VALUES (1, 'classical', ''), (2, 'hc0', ''), (3, 'hc1', ''), (4, 'hc2', ''),
		(5, 'hc3', ''), (6, 'cluster', $$, cluster => 'office'$$),
		(7, 'design', $$, cluster => 'office', strata => 'region'$$)) s(o, se, extra),
	(VALUES (1, 'model_summary'), (2, 'coefficients')) f(o, fn)
ORDER BY s.o, f.o;
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.coefficients('%1$s', 'y', ARRAY['x1', 'x2, x3'], weight => 'w', se => 'design', cluster => 'office', strata => 'region', weight_type => 'probability')$q$,
	'coefficients se design, probability weights', 1e-11);
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.model_summary('%1$s', 'y', ARRAY['x1', 'x2, x3'], weight => 'w', se => 'hc3')$q$,
	'model_summary se hc3, frequency weights');
-- logistic regression: the iterations with logistic_step_array, the
-- robust, cluster and design variances from the scores.  To 1e-11: b,
-- SE and z agree to ~1e-14, but p of z near 14 (p ~ 1e-46) moves by
-- z^2 times z's relative difference (~2e-12 seen)
SELECT pg_temp.same(format($q$SELECT * FROM survey_reg.%s('%%1$s', 'yb', ARRAY['x2', 'x3, i1'], se => %L%s)$q$,
		f.fn, s.se, s.extra), f.fn || ' se ' || s.se, 1e-11)
FROM (VALUES (1, 'classical', ''), (2, 'hc1', ''), (3, 'hc3', ''),
		(4, 'cluster', $$, cluster => 'office'$$),
		(5, 'design', $$, cluster => 'office', strata => 'region'$$)) s(o, se, extra),
	(VALUES (1, 'logistic_summary'), (2, 'logistic_coefficients')) f(o, fn)
WHERE f.fn = 'logistic_coefficients' OR s.o = 1
ORDER BY s.o, f.o;
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.logistic_coefficients('%1$s', 'yb', ARRAY['x2', 'x3, i1'], weight => 'w', weight_type => 'probability', cluster => 'office', strata => 'region', fpc => 'offices_in_region', domain => 'dom')$q$,
	'logistic_coefficients design with fpc and a domain', 1e-11);
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.logistic_table('%1$s', 'yb', ARRAY['x2', 'x3, i1'], weight => 'w')$q$,
	'logistic_table, frequency weights');
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.frequencies('%1$s', 'i1')$q$,
	'frequencies');
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.frequencies('%1$s', 'i4', weight => 'w')$q$,
	'frequencies weighted');
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.regression_table('%1$s', 'y', ARRAY['x1', 'x2, x3'])$q$,
	'regression_table');
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.correlation_table('%1$s', ARRAY['y', 'x1', 'x2', 'x3'], missing => 'pairwise')$q$,
	'correlation_table');
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.descriptives_table('%1$s', ARRAY['y', 'x1', 'x2', 'x3'])$q$,
	'descriptives_table');
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.reliability_table('%1$s', ARRAY['scale'], ARRAY['i1, i2, i3, i4'])$q$,
	'reliability_table');
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.frequency_table('%1$s', 'i1')$q$,
	'frequency_table');
SELECT * FROM pg_temp.same($q$SELECT * FROM survey_reg.frequency_chart('%1$s', 'i1')$q$,
	'frequency_chart');
SELECT * FROM pg_temp.same($q$SELECT survey_reg.report('%1$s', 'y', ARRAY['x1', 'x2, x3'], variables => ARRAY['y', 'x1', 'x2', 'x3'], indices => ARRAY['i1'], index_items => ARRAY['i1, i2, i3, i4'], figure_variable => 'i1', generated_at => '2026-01-01 00:00+00')$q$,
	'report (HTML)');
SELECT * FROM pg_temp.same($q$SELECT survey_reg.report('%1$s', 'y', ARRAY['x1', 'x2, x3'], variables => ARRAY['y', 'x1', 'x2', 'x3'], figure_variable => 'i4', weight => 'w', format => 'markdown', generated_at => '2026-01-01 00:00+00')$q$,
	'report (Markdown, weighted)');

SELECT * FROM finish();
