-- Partial states combined in any order (Citus and parallel query combine
-- them in the order they arrive): the merged reference row is the same
-- (per variable the smallest of the partial states'), a state of exact
-- sums (item scores) is the same bit for bit, a state of inexact sums
-- differs at most in the last bits of its double-double sums, and nothing
-- depends on those bits: its analyses agree to 1e-13 and the robust
-- two-step takes a meat made with another order's fit.
BEGIN;
SELECT plan(9);

CREATE TEMP TABLE r AS
SELECT g AS id, 1 + (g * 7919) % 40 AS office,
	1e6 + 2 * sin(g) + cos(g * 0.3) + ((g * 7919) % 40) * 0.01 AS y,
	1e6 + sin(g) AS x1, cos(g * 0.7) * 5 AS x2,
	(1 + (g * 31) % 5)::float8 AS i1, (1 + (g * 37 + g / 7) % 5)::float8 AS i2,
	(1 + g % 3)::float8 AS w
FROM generate_series(1, 4000) g;

-- one partial state per office, as a worker would ship it (text)
CREATE TEMP TABLE parts AS
SELECT office,
	survey_reg.moments(ARRAY[y, x1, x2], ARRAY['y', 'x1', 'x2'], w)::text AS real_state,
	survey_reg.moments(ARRAY[i1, i2], ARRAY['i1', 'i2'], w)::text AS item_state
FROM r GROUP BY office;

-- the same partial states merged in seven shuffled orders
CREATE TEMP TABLE orders AS
SELECT seed,
	survey_reg.merge(real_state::survey_reg.moments ORDER BY md5(seed || ':' || office)) AS m,
	survey_reg.merge(item_state::survey_reg.moments ORDER BY md5(seed || ':' || office)) AS items
FROM parts CROSS JOIN generate_series(1, 7) seed GROUP BY seed;

SELECT is((SELECT count(DISTINCT substring(m::text FROM ' ref=\S+')) FROM orders), 1::bigint,
	'every order gives the same reference row');
SELECT is((SELECT count(DISTINCT items::text) FROM orders), 1::bigint,
	'exact sums (item scores): every order gives the same state, bit for bit');
SELECT is((SELECT substring(items::text FROM ' ref=\S+') FROM orders LIMIT 1), ' ref=1,1',
	'the merged reference is the smallest of the partial states''');
SELECT ok((SELECT max(abs(a.mean - b.mean) / abs(b.mean) + abs(a.sd - b.sd) / b.sd)
	FROM orders o, survey_reg.describe(o.m) a
	JOIN survey_reg.describe((SELECT m FROM orders WHERE seed = 1)) b USING (variable)) < 1e-13,
	'inexact sums: means and SDs of every order agree to 1e-13');
SELECT ok((SELECT max(abs(a.b - c.b) / abs(c.b) + abs(a.se - c.se) / c.se)
	FROM orders o, survey_reg.coefficients(o.m, 'y', ARRAY['x1', 'x2']) a
	JOIN survey_reg.coefficients((SELECT m FROM orders WHERE seed = 1), 'y',
		ARRAY['x1', 'x2']) c USING (model, term)) < 1e-13,
	'inexact sums: coefficients of every order agree to 1e-13');

-- the robust two-step: fit and meat from the order-1 state, the variance
-- from each recomputed state (cluster-robust: meat over office totals)
CREATE TEMP TABLE fit1 AS
SELECT survey_reg.robust_fit(m, 'y', ARRAY['x1', 'x2'], 'cluster') AS fit
FROM orders WHERE seed = 1;
CREATE TEMP TABLE meat1 AS
SELECT survey_reg.meat(fit, u) AS meat
FROM (SELECT f.fit, survey_reg.score_sum(survey_reg.scores(f.fit, ARRAY[y, x1, x2], w)) AS u
	FROM r, fit1 f GROUP BY f.fit, office) units;
SELECT lives_ok($$SELECT count(*) FROM orders o, meat1,
	survey_reg.robust_coefficients(o.m, 'y', ARRAY['x1', 'x2'], meat1.meat)$$,
	'the meat of one order''s fit goes with every order''s state');
SELECT ok((SELECT max(abs(a.se - c.se) / c.se)
	FROM orders o, meat1, survey_reg.robust_coefficients(o.m, 'y', ARRAY['x1', 'x2'], meat1.meat) a
	JOIN survey_reg.coefficients('r', 'y', ARRAY['x1', 'x2'], weight => 'w',
		se => 'cluster', cluster => 'office') c USING (model, term)) < 1e-12,
	'and gives the table-name form''s cluster-robust SEs to 1e-12');
-- still refused: a meat of another fit (other rows, or another se)
SELECT throws_ok($$SELECT * FROM meat1, survey_reg.robust_coefficients(
	(SELECT survey_reg.moments(ARRAY[y, x1, x2], ARRAY['y', 'x1', 'x2'], w) FROM r WHERE id > 1),
	'y', ARRAY['x1', 'x2'], meat1.meat)$$,
	'22023', 'the meat was accumulated with another fit',
	'a meat of other rows is refused');
SELECT throws_ok($$SELECT * FROM orders o, meat1, survey_reg.robust_coefficients(o.m, 'y',
	ARRAY['x1'], meat1.meat)$$,
	'22023', 'the meat was accumulated with another fit',
	'a meat of other models is refused');

SELECT * FROM finish();
ROLLBACK;
