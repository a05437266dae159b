-- Limits: the maximum number of variables, cancellation of long scans and
-- long final computations, and overflow at limits_extreme weights and values
-- (issue 8, item 5).
--
-- Cancellation latencies are measured against statement_timeout = 1 s and
-- printed as diagnostics; the bar is one second.  Under a sanitizer or
-- Valgrind everything is slower: tools/sanitize.sh sets
-- survey_reg_test.slow_factor, which multiplies the bar.
BEGIN;
SELECT plan(50);
SET LOCAL client_min_messages = warning;

CREATE FUNCTION pg_temp.slow_factor() RETURNS float8 LANGUAGE sql AS $$
	SELECT coalesce(nullif(current_setting('survey_reg_test.slow_factor', true), ''), '1')::float8
$$;

-- milliseconds from statement_timeout (1 s after the statement started) to
-- the cancellation; a query that finishes first gives a negative number
CREATE FUNCTION pg_temp.cancel_latency_ms(q text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := statement_timestamp();
BEGIN
	EXECUTE q;
	RETURN extract(epoch FROM clock_timestamp() - t0) * 1000 - 1000;
EXCEPTION WHEN query_canceled THEN
	RETURN extract(epoch FROM clock_timestamp() - t0) * 1000 - 1000;
END $$;

CREATE TEMP TABLE latencies (what text, ms float8);
CREATE FUNCTION pg_temp.latency_ok(what text, ms float8) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO latencies VALUES (what, ms);
	RETURN cmp_ok(ms, '<', 1000 * pg_temp.slow_factor(),
		format('statement_timeout stops %s within 1 s (%s ms after the timeout)',
			what, CASE WHEN ms < 0 THEN 'finished before' ELSE round(ms::numeric)::text END));
END $$;

-- ------------------------------------------------------------------
-- 1. the maximum number of variables, MOMENTS_MAX_K = 1000
-- ------------------------------------------------------------------
SELECT lives_ok(
	$$SELECT survey_reg.moments(ARRAY(SELECT g::float8 FROM generate_series(1, 1000) g))$$,
	'moments: 1000 variables are accepted');
SELECT throws_ok(
	$$SELECT survey_reg.moments(ARRAY(SELECT g::float8 FROM generate_series(1, 1001) g))$$,
	'54000', 'moments supports at most 1000 variables',
	'moments: 1001 variables is a program_limit_exceeded error');
SELECT throws_ok(
	$$SELECT survey_reg.cronbach_alpha(ARRAY(SELECT g::float8 FROM generate_series(1, 1001) g))$$,
	'54000', 'moments supports at most 1000 variables',
	'cronbach_alpha: 1001 items is a program_limit_exceeded error');
SELECT throws_ok(
	$$SELECT survey_reg.moments_from_matrix(ARRAY(SELECT 'v' || g FROM generate_series(1, 1001) g),
		10, array_fill(0::float8, ARRAY[1001, 1001]))$$,
	'54000', NULL, 'moments_from_matrix: 1001 variables is a program_limit_exceeded error');
SELECT throws_ok(
	$$SELECT ('v1 k=1001 rows=0 flags=0 names=' || (SELECT string_agg('"v' || g || '"', ',') FROM generate_series(1, 1001) g))::survey_reg.moments$$,
	'22P02', NULL, 'text input: k = 1001 is rejected');

DO $$ BEGIN
	EXECUTE 'CREATE TABLE limits_wide (' || (SELECT string_agg('c' || g || ' float8', ', ')
		FROM generate_series(1, 1001) g) || ')';
END $$;
INSERT INTO limits_wide SELECT FROM generate_series(1, 3);
UPDATE limits_wide SET c1 = random(), c2 = random(), c150 = random(), c1000 = random();
SELECT throws_ok(
	$$SELECT survey_reg.table_moments('limits_wide', ARRAY(SELECT 'c' || g FROM generate_series(1, 1001) g))$$,
	'54000', 'at most 1000 columns are supported',
	'table forms: 1001 columns is a program_limit_exceeded error');
SELECT lives_ok(
	$$SELECT survey_reg.table_moments('limits_wide', ARRAY(SELECT 'c' || g FROM generate_series(1, 99) g))$$,
	'table forms: 99 columns');
SELECT lives_ok(
	$$SELECT survey_reg.table_moments('limits_wide', ARRAY(SELECT 'c' || g FROM generate_series(1, 150) g))$$,
	'table forms: 150 columns (documented maximum 1000)');
SELECT lives_ok(
	$$SELECT survey_reg.table_moments('limits_wide', ARRAY(SELECT 'c' || g FROM generate_series(1, 1000) g), weight => 'c1001')$$,
	'table forms: 1000 columns and a weight');

-- ------------------------------------------------------------------
-- 2. cancellation: long scans and long final computations
-- ------------------------------------------------------------------
CREATE VIEW endless AS
SELECT (g % 7)::float8 AS a, (g % 11)::float8 AS b, sin(g) AS c
FROM generate_series(1, 10000000000) g;

SET LOCAL statement_timeout = '1s';
SELECT pg_temp.latency_ok('a table-name scan (describe)', pg_temp.cancel_latency_ms(
	$$SELECT * FROM survey_reg.describe('endless', ARRAY['a', 'b', 'c'])$$));
SELECT pg_temp.latency_ok('a pairwise scan (correlations)', pg_temp.cancel_latency_ms(
	$$SELECT * FROM survey_reg.correlations('endless', ARRAY['a', 'b', 'c'], missing => 'pairwise')$$));
SELECT pg_temp.latency_ok('the moments aggregate', pg_temp.cancel_latency_ms(
	$$SELECT survey_reg.moments(ARRAY[a, b, c]) FROM endless$$));
SELECT pg_temp.latency_ok('the cronbach_alpha aggregate', pg_temp.cancel_latency_ms(
	$$SELECT survey_reg.cronbach_alpha(ARRAY[a, b, c]) FROM endless$$));
SELECT pg_temp.latency_ok('a regression scan (coefficients)', pg_temp.cancel_latency_ms(
	$$SELECT * FROM survey_reg.coefficients('endless', 'a', ARRAY['b', 'c'])$$));
SET LOCAL statement_timeout = 0;

-- a state of k = 1000 variables: 1200 rows of independent noise (seeded),
-- the hardest case found for the factor model behind omega_total
DO $$ BEGIN PERFORM setseed(0.42); END $$;
CREATE TABLE limits_k1000 AS
SELECT survey_reg.moments(a) AS m
FROM (SELECT array_agg(random() ORDER BY j) a
      FROM generate_series(1, 1200) r, generate_series(1, 1000) j
      GROUP BY r) s;
SELECT is((SELECT count(*) FROM limits_k1000, survey_reg.describe(m)), 1000::bigint,
	'a state of 1000 variables');

SET LOCAL statement_timeout = '1s';
SELECT pg_temp.latency_ok('describe of k = 1000', pg_temp.cancel_latency_ms(
	$$SELECT count(*) FROM limits_k1000, survey_reg.describe(m)$$));
SELECT pg_temp.latency_ok('correlations of k = 1000 (10^6 rows)', pg_temp.cancel_latency_ms(
	$$SELECT count(*) FROM limits_k1000, survey_reg.correlations(m)$$));
SELECT pg_temp.latency_ok('item_total of k = 1000', pg_temp.cancel_latency_ms(
	$$SELECT count(*) FROM limits_k1000, survey_reg.item_total(m)$$));
SELECT pg_temp.latency_ok('coefficients with 999 predictors', pg_temp.cancel_latency_ms(
	$$SELECT count(*) FROM limits_k1000, survey_reg.coefficients(m, 'x1',
		ARRAY[(SELECT string_agg('x' || g, ',') FROM generate_series(2, 1000) g)])$$));
SELECT pg_temp.latency_ok('model_summary with 999 predictors in two blocks', pg_temp.cancel_latency_ms(
	$$SELECT count(*) FROM limits_k1000, survey_reg.model_summary(m, 'x1',
		ARRAY[(SELECT string_agg('x' || g, ',') FROM generate_series(2, 500) g),
		      (SELECT string_agg('x' || g, ',') FROM generate_series(501, 1000) g)])$$));
SELECT pg_temp.latency_ok('the text output of k = 1000 (21 MB)', pg_temp.cancel_latency_ms(
	$$SELECT length(m::text) FROM limits_k1000$$));
SELECT pg_temp.latency_ok('reliability of k = 1000', pg_temp.cancel_latency_ms(
	$$SELECT count(*) FROM limits_k1000, survey_reg.reliability(m)$$));
SET LOCAL statement_timeout = 0;

SELECT diag(string_agg(format('cancellation latency: %s: %s', what,
	CASE WHEN ms < 0 THEN 'finished within the timeout' ELSE round(ms::numeric) || ' ms' END), E'\n'))
FROM latencies;

-- ------------------------------------------------------------------
-- 3. limits_extreme weights and values: never a silent overflow
-- ------------------------------------------------------------------
CREATE TABLE limits_extreme AS
SELECT g, 2 * sin(g * 0.37) + (g % 5)::float8 * 0.4 AS x,
	2 * sin(g * 0.37) + cos(g) + 0.1 * (g % 5) AS y,
	2 * sin(g * 0.37) + ((g * 7) % 4)::float8 * 0.3 + sin(2 * g) AS z
FROM generate_series(1, 500) g;

-- weights summing to 1e15
SELECT is(
	(SELECT n FROM survey_reg.describe((SELECT survey_reg.moments(ARRAY[x], ARRAY['x'], 2e12)
		FROM limits_extreme))),
	1e15::float8, 'weights: 500 rows of 2e12 sum to N = 1e15 exactly');
SELECT is(
	(SELECT round(mean::numeric, 12) FROM survey_reg.describe((SELECT survey_reg.moments(ARRAY[x], ARRAY['x'], 2e12)
		FROM limits_extreme))),
	(SELECT round(avg(x)::numeric, 12) FROM limits_extreme),
	'weights: the mean with N = 1e15 is the plain mean');
SELECT is(
	(SELECT n FROM survey_reg.describe((SELECT survey_reg.moments(ARRAY[x], ARRAY['x'],
		CASE WHEN g = 1 THEN 1e15 ELSE 1 END) FROM limits_extreme))),
	1e15::float8 + 499, 'weights: 1e15 + 499 ones is exact');
-- alpha is a ratio of variances, so N - 1 cancels: with constant weights
-- (N = 1e15) it is the alpha of the rows, here computed in plain SQL
SELECT ok(abs(w.alpha - e.alpha) <= 1e-12 * e.alpha,
	format('weights: alpha with constant weights 2e12 (%s) is the rows'' alpha from var_samp (%s) to 1e-12 relative (%s)',
		w.alpha, e.alpha, abs(w.alpha - e.alpha) / e.alpha))
FROM survey_reg.reliability((SELECT survey_reg.moments(ARRAY[x, y, z], NULL, 2e12) FROM limits_extreme)) w,
	(SELECT 1.5 * (1 - (var_samp(x) + var_samp(y) + var_samp(z)) / var_samp(x + y + z)) AS alpha
	 FROM limits_extreme) e;
SELECT is(
	(SELECT round(b::numeric, 10) FROM survey_reg.coefficients(
		(SELECT survey_reg.moments(ARRAY[x, y, z], ARRAY['x', 'y', 'z'], 2e12) FROM limits_extreme),
		'x', ARRAY['y, z']) WHERE term = 'y'),
	(SELECT round(b::numeric, 10) FROM survey_reg.coefficients(
		(SELECT survey_reg.moments(ARRAY[x, y, z], ARRAY['x', 'y', 'z']) FROM limits_extreme),
		'x', ARRAY['y, z']) WHERE term = 'y'),
	'weights: regression estimates with weights 2e12 are the unweighted ones');

-- values up to 1e150: everything but the shape statistics
CREATE TEMP TABLE scaled AS
SELECT (SELECT survey_reg.moments(ARRAY[x, y, z], ARRAY['x', 'y', 'z']) FROM limits_extreme) AS m1,
	(SELECT survey_reg.moments(ARRAY[x * 1e150, y * 1e150, z * 1e150], ARRAY['x', 'y', 'z']) FROM limits_extreme) AS mbig,
	(SELECT survey_reg.moments(ARRAY[x * 1e-150, y * 1e-150, z * 1e-150], ARRAY['x', 'y', 'z']) FROM limits_extreme) AS mtiny;

SELECT ok((SELECT mbig::text LIKE '% flags=2 %' FROM scaled),
	'1e150: the state flags its third/fourth powers as overflowed');
SELECT ok(
	(SELECT bool_and(abs(b.mean / 1e150 - a.mean) < 1e-12 * abs(a.mean)
		AND abs(b.sd / 1e150 - a.sd) < 1e-12 * a.sd
		AND b.min = a.min * 1e150 AND b.max = a.max * 1e150)
	 FROM scaled, survey_reg.describe(m1) a JOIN survey_reg.describe(mbig) b USING (variable)),
	'1e150: describe gives mean, SD, min and max');
SELECT ok(
	(SELECT bool_and(skewness IS NULL AND kurtosis IS NULL) FROM scaled, survey_reg.describe(mbig)),
	'1e150: skewness and kurtosis are NULL, not Infinity');
SELECT ok(
	(SELECT bool_and(abs(b.r - a.r) < 1e-12 AND abs(b.p - a.p) < 1e-10 OR (a.p IS NULL AND b.p IS NULL))
	 FROM scaled, survey_reg.correlations(m1) a JOIN survey_reg.correlations(mbig) b USING (var1, var2)),
	'1e150: correlations and p-values as for the unscaled data');
SELECT ok(
	(SELECT abs(b.alpha - a.alpha) < 1e-12 AND abs(b.std_alpha - a.std_alpha) < 1e-12
		AND abs(b.min_r - a.min_r) < 1e-12 AND abs(b.lambda6 - a.lambda6) < 1e-12
		AND abs(b.omega_total - a.omega_total) < 1e-8
	 FROM scaled, survey_reg.reliability(m1) a, survey_reg.reliability(mbig) b),
	'1e150: reliability (alpha, standardized alpha, correlations, lambda 6, omega) as for the unscaled data');
SELECT ok(
	(SELECT bool_and(abs(b.corrected_item_total_r - a.corrected_item_total_r) < 1e-12
		AND abs(b.squared_multiple_r - a.squared_multiple_r) < 1e-12
		AND abs(b.alpha_if_deleted - a.alpha_if_deleted) < 1e-12)
	 FROM scaled, survey_reg.item_total(m1) a JOIN survey_reg.item_total(mbig) b USING (item)),
	'1e150: item_total as for the unscaled data');
SELECT ok(
	(SELECT bool_and(abs(b.b - a.b * CASE WHEN term = '(Intercept)' THEN 1e150 ELSE 1 END)
			<= 1e-10 * abs(a.b * CASE WHEN term = '(Intercept)' THEN 1e150 ELSE 1 END)
		AND abs(b.t - a.t) < 1e-8 * abs(a.t))
	 FROM scaled, survey_reg.coefficients(m1, 'x', ARRAY['y', 'z']) a
	 JOIN survey_reg.coefficients(mbig, 'x', ARRAY['y', 'z']) b USING (model, term)),
	'1e150: regression coefficients and t as for the unscaled data');
SELECT ok(
	(SELECT bool_and(abs(b.r2 - a.r2) < 1e-12 AND abs(b.f - a.f) < 1e-8 * a.f)
	 FROM scaled, survey_reg.model_summary(m1, 'x', ARRAY['y', 'z']) a
	 JOIN survey_reg.model_summary(mbig, 'x', ARRAY['y', 'z']) b USING (model)),
	'1e150: model summaries as for the unscaled data');
SELECT ok(
	(SELECT abs(b.alpha - a.alpha) < 1e-12 AND b.n = a.n
	 FROM scaled, survey_reg.reliability(m1) a, survey_reg.reliability(mtiny) b),
	'1e-150: reliability as for the unscaled data');
SELECT ok(
	(SELECT abs(survey_reg.cronbach_alpha(ARRAY[x * 1e150, y * 1e150, z * 1e150])
		- survey_reg.cronbach_alpha(ARRAY[x, y, z])) < 1e-12 FROM limits_extreme),
	'1e150: cronbach_alpha as for the unscaled data');

-- beyond ~1e154 the squares overflow: an error, never a silent Infinity
SELECT throws_ok(
	$$SELECT survey_reg.moments(ARRAY[x * 1e160, y]) FROM limits_extreme$$,
	'22003', NULL, '1e160: the moments aggregate is a numeric_value_out_of_range error');
SELECT throws_ok(
	$$SELECT survey_reg.merge(m) FROM (SELECT survey_reg.moments(ARRAY[x * 1e154]) m FROM limits_extreme
		UNION ALL SELECT survey_reg.moments(ARRAY[-x * 1e154]) FROM limits_extreme) s$$,
	'22003', NULL, '1e154: merging states whose combined sums overflow is an error');
CREATE TABLE limits_extreme_big AS SELECT x * 1e160 AS x, y FROM limits_extreme;
SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('limits_extreme_big', ARRAY['x', 'y'])$$,
	'22003', NULL, '1e160: table-name describe is a numeric_value_out_of_range error');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.coefficients('limits_extreme_big', 'y', ARRAY['x'])$$,
	'22003', NULL, '1e160: table-name coefficients is a numeric_value_out_of_range error');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.reliability('limits_extreme_big', ARRAY['x', 'y'])$$,
	'22003', NULL, '1e160: table-name reliability is a numeric_value_out_of_range error');
SELECT throws_ok(
	$$SELECT survey_reg.cronbach_alpha(ARRAY[x * 1e160, y, z]) FROM limits_extreme$$,
	'22003', NULL, '1e160: cronbach_alpha is a numeric_value_out_of_range error (it returns NULL)');

-- the output of the type is always valid input, even at the limits
SELECT throws_ok(
	$$SELECT survey_reg.moments_from_matrix(ARRAY['a', 'b'], 1e19, ARRAY[[1, 0.5], [0.5, 1]]::float8[])$$,
	'22023', NULL, 'moments_from_matrix with n = 1e19: an error, not a wrapped row count (B5)');
SELECT lives_ok(
	$$SELECT survey_reg.moments_from_matrix(ARRAY['a', 'b'], 8e18, ARRAY[[1, 0.5], [0.5, 1]]::float8[])::text::survey_reg.moments$$,
	'moments_from_matrix with n = 8e18: its output is valid input');
SELECT lives_ok(
	$$SELECT survey_reg.merge(m)::text::survey_reg.moments FROM (VALUES
		('v1 k=1 rows=999999999999999999 flags=0 names="x" n=1:0 ref=0 s1=0:0 s2=0:0 s3=0:0 s4=0:0 min=0 max=0'::survey_reg.moments),
		('v1 k=1 rows=999999999999999999 flags=0 names="x" n=1:0 ref=0 s1=0:0 s2=0:0 s3=0:0 s4=0:0 min=0 max=0'::survey_reg.moments)) v(m)$$,
	'a merge of two states of 1e18 - 1 rows: its output is valid input');
-- a text whose sums are negative once normalized is rejected at input
-- (B1: it used to be accepted, and then its output was rejected)
SELECT throws_ok(
	$$SELECT 'v1 k=1 rows=1 flags=0 names="x" n=1:0 ref=0 s1=0:0 s2=0:-1 s3=0:0 s4=0:0 min=0 max=0'::survey_reg.moments$$,
	'22P02', NULL, 'text input s2 = 0:-1 (negative once normalized) is rejected');
SELECT throws_ok(
	$$SELECT 'v1 k=1 rows=1 flags=0 names="x" n=1:-2 ref=0 s1=0:0 s2=0:0 s3=0:0 s4=0:0 min=0 max=0'::survey_reg.moments$$,
	'22P02', NULL, 'text input n = 1:-2 (a negative sum of weights once normalized) is rejected');
SELECT lives_ok(
	$$SELECT 'v1 k=1 rows=1 flags=0 names="x" n=1:1e-17 ref=0 s1=0:0 s2=0:1e-300 s3=0:0 s4=0:0 min=0 max=0'::survey_reg.moments::text::survey_reg.moments$$,
	'text input with non-trivial lo parts: accepted, and its output is accepted again');
-- merging past INT64_MAX rows is an error, not a wrapped count (B3)
SELECT throws_ok(
	$$SELECT survey_reg.merge(m) FROM (SELECT 'v1 k=1 rows=999999999999999999 flags=0 names="x" n=1:0 ref=0 s1=0:0 s2=0:0 s3=0:0 s4=0:0 min=0 max=0'::survey_reg.moments m) s,
		generate_series(1, 10)$$,
	'22003', NULL, 'a merge of more than INT64_MAX rows is an error');

SELECT * FROM finish();
ROLLBACK;
