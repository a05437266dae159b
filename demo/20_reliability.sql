-- survey_reg demo, part 2: the study's two indices and their reliability.
-- The data are SYNTHETIC (data/generate_sample_survey.R), made to resemble
-- the published Nav 2018 survey; the published figures are the article's,
-- computed on the real data, so agreement is only approximate.
\set QUIET on
\pset footer off
\echo
\echo '=== Indices and reliability (SYNTHETIC sample survey) ==='
\echo
\echo 'Target management = mean of styring_a, styring_b (0-4);'
\echo 'workload = mean of reverse(belast_tid, 0, 3), reverse(belast_krav, 0, 3), belast_stor;'
\echo 'both over the respondents who follow up clients, all items required (SPSS MEAN).'
CREATE TEMP VIEW indexed AS
SELECT respondent_id, office_id, styring_a, styring_b,
	survey_reg.reverse(belast_tid, 0, 3) AS belast_tid_r,
	survey_reg.reverse(belast_krav, 0, 3) AS belast_krav_r,
	belast_stor,
	survey_reg.mean_index(ARRAY[styring_a, styring_b]) AS styring,
	survey_reg.mean_index(ARRAY[survey_reg.reverse(belast_tid, 0, 3),
		survey_reg.reverse(belast_krav, 0, 3), belast_stor]) AS arbeidsbelastning
FROM sample_survey
WHERE follows_up_clients;

SELECT respondent_id, styring_a, styring_b, styring,
	belast_tid_r, belast_krav_r, belast_stor, round(arbeidsbelastning::numeric, 3) AS arbeidsbelastning
FROM indexed ORDER BY respondent_id LIMIT 5;

SELECT variable, n, round(mean::numeric, 2) AS mean, round(sd::numeric, 2) AS sd, min, max
FROM survey_reg.describe('indexed', ARRAY['styring', 'arbeidsbelastning'], missing => 'pairwise');

\echo
\echo 'Target management (2 items): the inter-item correlation, published 0.26 (rule of thumb > 0.20)'
SELECT k, n, round(mean_r::numeric, 3) AS inter_item_r, 0.26 AS published_r,
	round(alpha::numeric, 3) AS alpha, round(std_alpha::numeric, 3) AS std_alpha
FROM survey_reg.reliability('indexed', ARRAY['styring_a', 'styring_b']);

\echo
\echo 'Workload (3 items): Cronbach''s alpha, published 0.718, with the 95% Feldt interval,'
\echo 'McDonald''s omega total and Guttman''s lambda 6'
SELECT k, n, round(alpha::numeric, 3) AS alpha, 0.718 AS published_alpha,
	round(alpha_ci_lower::numeric, 3) AS ci_lower, round(alpha_ci_upper::numeric, 3) AS ci_upper,
	round(mean_r::numeric, 3) AS mean_r, round(omega_total::numeric, 3) AS omega_total,
	round(lambda6::numeric, 3) AS lambda6
FROM survey_reg.reliability('indexed', ARRAY['belast_tid_r', 'belast_krav_r', 'belast_stor']);

\echo
\echo 'Workload item-total statistics (SPSS RELIABILITY /SUMMARY=TOTAL)'
SELECT item, round(mean::numeric, 2) AS mean, round(sd::numeric, 2) AS sd,
	round(scale_mean_if_deleted::numeric, 2) AS scale_mean_if_deleted,
	round(scale_var_if_deleted::numeric, 2) AS scale_var_if_deleted,
	round(corrected_item_total_r::numeric, 3) AS corrected_item_total_r,
	round(squared_multiple_r::numeric, 3) AS squared_multiple_r,
	round(alpha_if_deleted::numeric, 3) AS alpha_if_deleted
FROM survey_reg.item_total('indexed', ARRAY['belast_tid_r', 'belast_krav_r', 'belast_stor']);

\echo
\echo 'Without reversing the two reverse-worded items alpha collapses (negative average covariance):'
SELECT round(alpha::numeric, 3) AS alpha_unreversed
FROM survey_reg.reliability((SELECT survey_reg.moments(ARRAY[belast_tid, belast_krav, belast_stor])
	FROM sample_survey WHERE follows_up_clients));

\echo
\echo 'The aggregate form, per office (GROUP BY, offices with 20 or more respondents):'
\echo 'the spread of the workload alpha across offices'
SET client_min_messages = warning;
SELECT count(*) AS offices, round(min(alpha)::numeric, 3) AS min_alpha,
	round(percentile_cont(0.5) WITHIN GROUP (ORDER BY alpha)::numeric, 3) AS median_alpha,
	round(max(alpha)::numeric, 3) AS max_alpha
FROM (SELECT office_id,
		survey_reg.cronbach_alpha(ARRAY[belast_tid_r, belast_krav_r, belast_stor]) AS alpha
	FROM indexed GROUP BY office_id HAVING count(*) >= 20) per_office;
