-- Frequency weights up to the largest whose sums stay finite (issue 19,
-- item 4).  With weights of 1e200 the centered cross-products were formed
-- as S1i S1j / n, whose product overflows (1e404): coefficients marked the
-- predictor aliased and reliability reported zero variance, silently.  Now
-- every analysis equals the one with the weights divided by 1e200 (exactly
-- representable scale-free statistics equal to 1e-12; n scaled; SEs scaled
-- by the square root of the residual df ratio), and weights whose sums
-- overflow (1e306 here: S4 passes 1e308) are error 22003, as are
-- probability weights whose squares overflow in the robust meat.
-- Negative control: on e8a2c9c the 1e200 tests fail (aliased, NULL alpha).
BEGIN;
SELECT plan(10);

CREATE TEMP TABLE d AS
SELECT g, 3 + sin(g) + (g % 7) AS y, cos(g * 0.3) + (g % 5) AS x1,
	(g % 11) * 0.5 + sin(g * 0.7) AS x2, ((g * 13) % 9)::float8 AS x3,
	(1 + g % 3)::float8 AS w
FROM generate_series(1, 200) g;
CREATE TEMP TABLE dbig AS SELECT g, y, x1, x2, x3, w * 1e200 AS w FROM d;

-- relative difference, 0 for equal values (NULLs compare as different)
CREATE FUNCTION pg_temp.rel(a float8, b float8) RETURNS float8 LANGUAGE sql AS
$$ SELECT CASE WHEN a = b THEN 0 ELSE coalesce(abs(a - b) / greatest(abs(a), abs(b)), 1) END $$;

CREATE TEMP TABLE cs AS SELECT * FROM survey_reg.coefficients('d', 'y', ARRAY['x1', 'x2, x3'], 'w');
CREATE TEMP TABLE cb AS SELECT * FROM survey_reg.coefficients('dbig', 'y', ARRAY['x1', 'x2, x3'], 'w');
CREATE TEMP TABLE ms AS SELECT * FROM survey_reg.model_summary('d', 'y', ARRAY['x1', 'x2, x3'], 'w');
CREATE TEMP TABLE mb AS SELECT * FROM survey_reg.model_summary('dbig', 'y', ARRAY['x1', 'x2, x3'], 'w');

SELECT is((SELECT count(*) FROM cb WHERE b IS NOT NULL AND se IS NOT NULL AND p IS NOT NULL), 6::bigint,
	'weights of 1e200: no coefficient aliased, every SE and p there');
SELECT cmp_ok((SELECT max(greatest(pg_temp.rel(cs.b, cb.b), pg_temp.rel(coalesce(cs.beta, 0), coalesce(cb.beta, 0)),
		pg_temp.rel(coalesce(cs.tolerance, 1), coalesce(cb.tolerance, 1)),
		pg_temp.rel(cs.se * sqrt(ms.df2 / mb.df2), cb.se)))
	FROM cs JOIN cb USING (model, term) JOIN ms USING (model) JOIN mb USING (model)),
	'<', 1e-12::float8, 'b, beta, tolerance and SE (residual df ratio) equal those of the rescaled weights');
SELECT cmp_ok((SELECT max(greatest(pg_temp.rel(ms.r2, mb.r2), pg_temp.rel(ms.n * 1e200, mb.n),
		pg_temp.rel(ms.r2_change, mb.r2_change), CASE WHEN mb.p IS NULL THEN 1 ELSE 0 END))
	FROM ms JOIN mb USING (model)),
	'<', 1e-12::float8, 'R2, its change and n (x 1e200) too, and the F test''s p is there');

CREATE TEMP TABLE rs AS SELECT * FROM survey_reg.reliability('d', ARRAY['y', 'x1', 'x2', 'x3'], 'w');
CREATE TEMP TABLE rb AS SELECT * FROM survey_reg.reliability('dbig', ARRAY['y', 'x1', 'x2', 'x3'], 'w');
SELECT cmp_ok((SELECT greatest(pg_temp.rel(rs.alpha, rb.alpha), pg_temp.rel(rs.std_alpha, rb.std_alpha),
		pg_temp.rel(rs.mean_r, rb.mean_r), pg_temp.rel(rs.n * 1e200, rb.n))
	FROM rs, rb),
	'<', 1e-12::float8, 'reliability: alpha, standardized alpha, mean r and n equal the rescaled weights''');
SELECT cmp_ok((SELECT max(greatest(pg_temp.rel(s.corrected_item_total_r, b.corrected_item_total_r),
		pg_temp.rel(s.alpha_if_deleted, b.alpha_if_deleted), pg_temp.rel(s.mean, b.mean)))
	FROM survey_reg.item_total('d', ARRAY['y', 'x1', 'x2', 'x3'], 'w') s
	JOIN survey_reg.item_total('dbig', ARRAY['y', 'x1', 'x2', 'x3'], 'w') b USING (item)),
	'<', 1e-10::float8, 'item-total statistics too');
SELECT cmp_ok((SELECT max(greatest(pg_temp.rel(s.r, b.r), pg_temp.rel(s.n * 1e200, b.n)))
	FROM survey_reg.correlations('d', ARRAY['y', 'x1', 'x2', 'x3'], weight => 'w') s
	JOIN survey_reg.correlations('dbig', ARRAY['y', 'x1', 'x2', 'x3'], weight => 'w') b USING (var1, var2)),
	'<', 1e-12::float8, 'correlations and their n');
SELECT cmp_ok((SELECT max(greatest(pg_temp.rel(s.mean, b.mean),
		pg_temp.rel(s.sd * sqrt((s.n - 1) / s.n), b.sd * sqrt((b.n - 1) / b.n))))
	FROM survey_reg.describe('d', ARRAY['y', 'x1', 'x2', 'x3'], weight => 'w') s
	JOIN survey_reg.describe('dbig', ARRAY['y', 'x1', 'x2', 'x3'], weight => 'w') b USING (variable)),
	'<', 1e-12::float8, 'describe: mean and SD (without the n - 1 correction, which n changes)');

-- robust SEs: frequency weights of 1e200 scale HC0 by 1 / sqrt(1e200);
-- probability weights square the weights in the meat (1e400): 22003, not
-- the NULL SEs they gave (the estimates are the same at any scale)
SELECT cmp_ok((SELECT max(pg_temp.rel(s.se / 1e100, b.se))
	FROM survey_reg.coefficients('d', 'y', ARRAY['x1', 'x2, x3'], 'w', se => 'hc0') s
	JOIN survey_reg.coefficients('dbig', 'y', ARRAY['x1', 'x2, x3'], 'w', se => 'hc0') b USING (model, term)),
	'<', 1e-10::float8, 'HC0 SEs with frequency weights of 1e200: those of the rescaled weights / 1e100');
SELECT throws_ok($$SELECT * FROM survey_reg.coefficients('dbig', 'y', ARRAY['x1'], 'w',
		weight_type => 'probability')$$,
	'22003', NULL, 'probability weights of 1e200: their squares overflow, error 22003');

-- beyond: the fourth-power sums pass 1e308
UPDATE dbig SET w = w * 1e106;
SELECT throws_ok($$SELECT * FROM survey_reg.coefficients('dbig', 'y', ARRAY['x1', 'x2, x3'], 'w')$$,
	'22003', NULL, 'weights of 1e306: the sums overflow, error 22003');

SELECT * FROM finish();
ROLLBACK;
