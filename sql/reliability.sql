-- Reliability: reliability(m), item_total(m), the cronbach_alpha aggregate
-- and the table-name forms; small hand-checkable data and every edge case.
-- (Agreement with psych and PSPP on larger scales: test/reliability.sql.)
\set VERBOSITY default
SET extra_float_digits = 0;

-- Five complete respondents, three items (row 6 is incomplete).
-- Centered cross-products: a 10, b 6.8, c 10, ab 8, ac 8, bc 6; their sum
-- is 70.8 and the trace 26.8, so alpha = 3/2 * (1 - 26.8/70.8).
CREATE TABLE r5 (id int, a float8, b float8, c float8, w float8);
INSERT INTO r5 VALUES (1, 1, 2, 1, 1), (2, 2, 2, 3, 2), (3, 3, 3, 2, 1),
	(4, 4, 4, 5, 3), (5, 5, 5, 4, 1), (6, NULL, 1, 1, 1);

SELECT k, n, round(alpha::numeric, 12) AS alpha,
	round(std_alpha::numeric, 12) AS std_alpha,
	round(mean_r::numeric, 12) AS mean_r, round(min_r::numeric, 12) AS min_r,
	round(max_r::numeric, 12) AS max_r,
	round(alpha_ci_lower::numeric, 10) AS ci_lower,
	round(alpha_ci_upper::numeric, 10) AS ci_upper,
	round(omega_total::numeric, 8) AS omega_total,
	round(lambda6::numeric, 10) AS lambda6
FROM survey_reg.reliability('r5', ARRAY['a', 'b', 'c']);
SELECT round(3.0 / 2 * (1 - 26.8 / 70.8), 12) AS alpha_by_hand;

SELECT item, mean, round(sd::numeric, 12) AS sd,
	round(scale_mean_if_deleted::numeric, 12) AS mean_del,
	round(scale_var_if_deleted::numeric, 12) AS var_del,
	round(corrected_item_total_r::numeric, 12) AS r_corr,
	round(squared_multiple_r::numeric, 12) AS smc,
	round(alpha_if_deleted::numeric, 12) AS alpha_del
FROM survey_reg.item_total('r5', ARRAY['a', 'b', 'c']);
-- by hand for item a: b + c has cross-product sum 6.8 + 10 + 2 * 6 = 28.8,
-- variance 28.8 / 4; alpha of b, c = 2 * (1 - 16.8 / 28.8); corrected
-- item-total r = (8 + 8) / sqrt(10 * 28.8)
SELECT 28.8 / 4 AS var_del_a, round(2 * (1 - 16.8 / 28.8), 12) AS alpha_del_a,
	round(16 / sqrt(10 * 28.8), 12) AS r_corr_a;

-- the state form and the aggregate agree with the table form
SELECT round(r.alpha::numeric, 12) AS state_alpha,
	round(survey_reg.cronbach_alpha(ARRAY[a, b, c])::numeric, 12) AS aggregate_alpha
FROM r5, LATERAL (SELECT alpha FROM survey_reg.reliability(
	(SELECT survey_reg.moments(ARRAY[a, b, c], ARRAY['a', 'b', 'c']) FROM r5))) r
GROUP BY r.alpha;

-- frequency weights: the weighted state equals the rows replicated
SELECT abs(w.alpha - rep.alpha) < 1e-14 AS weights_equal_replication,
	w.n AS weighted_n, rep.n AS replicated_n
FROM survey_reg.reliability('r5', ARRAY['a', 'b', 'c'], weight => 'w') w,
	survey_reg.reliability((SELECT survey_reg.moments(ARRAY[a, b, c])
		FROM r5, generate_series(1, w::int))) rep;

-- GROUP BY: one alpha per group; the aggregate reports a negative alpha
-- without a NOTICE (reliability(m) gives the NOTICE)
SELECT id <= 3 AS first_half, round(survey_reg.cronbach_alpha(ARRAY[a, b, c])::numeric, 10) AS alpha
FROM r5 GROUP BY 1 ORDER BY 1;

-- ---- edge cases ----

-- fewer than two items: an error (not a scale)
SELECT * FROM survey_reg.reliability('r5', ARRAY['a']);
SELECT * FROM survey_reg.item_total('r5', ARRAY['a']);
SELECT survey_reg.cronbach_alpha(ARRAY[a]) FROM r5;

-- fewer than two complete rows: NULL statistics with a NOTICE
SELECT * FROM survey_reg.reliability((SELECT survey_reg.moments(ARRAY[a, b, c])
	FROM r5 WHERE id = 1));
SELECT item, mean, sd, alpha_if_deleted FROM survey_reg.item_total(
	(SELECT survey_reg.moments(ARRAY[a, b, c]) FROM r5 WHERE id = 1));
-- the aggregate gives NULL without a message, as stddev_samp() does
SELECT survey_reg.cronbach_alpha(ARRAY[a, b, c]) FROM r5 WHERE id = 1;
SELECT stddev_samp(a) FROM r5 WHERE id = 1;
-- no rows at all: the aggregate is NULL, like avg()
SELECT survey_reg.cronbach_alpha(ARRAY[a, b, c]) FROM r5 WHERE false;

-- a zero-variance item is left out of the scale with a NOTICE (psych
-- deletes it too): alpha of a, b, c with a constant d equals alpha of a, b, c
SELECT k, round(alpha::numeric, 12) AS alpha
FROM survey_reg.reliability((SELECT survey_reg.moments(ARRAY[a, b, c, 3],
	ARRAY['a', 'b', 'c', 'd']) FROM r5));
SELECT item, mean, sd, round(alpha_if_deleted::numeric, 12) AS alpha_del
FROM survey_reg.item_total((SELECT survey_reg.moments(ARRAY[a, b, c, 3],
	ARRAY['a', 'b', 'c', 'd']) FROM r5));
-- two items of which one is constant: fewer than two items with variance
SELECT k, alpha FROM survey_reg.reliability((SELECT survey_reg.moments(ARRAY[a, 3])
	FROM r5));

-- negative average covariance: the (negative) value with a NOTICE, as SPSS
SELECT round(alpha::numeric, 12) AS alpha, round(mean_r::numeric, 12) AS mean_r
FROM survey_reg.reliability((SELECT survey_reg.moments(ARRAY[a, 6 - b, c])
	FROM r5));

-- two items: alpha_if_deleted is NULL (alpha of one item is not defined);
-- the corrected item-total r is the inter-item r, the SMC its square
SELECT item, round(corrected_item_total_r::numeric, 12) AS r_corr,
	round(squared_multiple_r::numeric, 12) AS smc, alpha_if_deleted
FROM survey_reg.item_total('r5', ARRAY['a', 'b']);
-- and omega for two items is 2|r|/(1 + |r|), the standardized alpha
SELECT round(omega_total::numeric, 12) = round(std_alpha::numeric, 12) AS omega_is_std_alpha
FROM survey_reg.reliability('r5', ARRAY['a', 'b']);

-- a singular correlation matrix (e = a + b): no SMCs, no lambda 6
SELECT round(alpha::numeric, 12) AS alpha, lambda6
FROM survey_reg.reliability((SELECT survey_reg.moments(ARRAY[a, b, a + b],
	ARRAY['a', 'b', 'e']) FROM r5));

-- perfectly opposed items: the total has no variance, alpha is NULL
SELECT alpha, round(mean_r::numeric, 12) AS mean_r
FROM survey_reg.reliability((SELECT survey_reg.moments(ARRAY[a, -a]) FROM r5));

-- a state from published summary statistics: alpha from the correlations
-- (SDs 1), which is the standardized alpha
SELECT k, n, round(alpha::numeric, 12) AS alpha, round(std_alpha::numeric, 12) AS std_alpha
FROM survey_reg.reliability(survey_reg.moments_from_matrix(ARRAY['x', 'y', 'z'], 100,
	ARRAY[[1, 0.5, 0.4], [0.5, 1, 0.3], [0.4, 0.3, 1]]));

-- table-name forms check their arguments
SELECT * FROM survey_reg.reliability('no_such_table', ARRAY['a', 'b']);
SELECT * FROM survey_reg.reliability('r5', ARRAY['a', 'nope']);
