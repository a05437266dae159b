-- The objects README.md's SQL examples use, on the SYNTHETIC sample survey.
-- Run from the repository root after loading the sample survey:
--   psql -d DBNAME -f data/sample_survey.sql
--   psql -d DBNAME -f demo/readme_setup.sql
-- Then every ```sql example of README.md runs as printed, in the README's
-- order (tools/readme-test.py checks exactly that).  Safe to run again.
CREATE EXTENSION IF NOT EXISTS survey_reg;

-- `analysis`: the article's analysis sample (respondents who follow up
-- clients) with its two indices; the same view demo/30_regression.sql makes
CREATE OR REPLACE VIEW analysis AS
SELECT respondent_id, office_id, individualisering,
	survey_reg.mean_index(ARRAY[styring_a, styring_b]) AS styring,
	survey_reg.mean_index(ARRAY[survey_reg.reverse(belast_tid, 0, 3),
		survey_reg.reverse(belast_krav, 0, 3), belast_stor]) AS arbeidsbelastning,
	ratio, kontorstorrelse, tilsettingsforhold,
	effektiv, tiltakskunnskap, kjonn, alder
FROM sample_survey
WHERE follows_up_clients;

-- `survey_analysis`: the same sample with the items and the weight, as the
-- README's pg_cron example defines it (it replaces it by the same view)
CREATE OR REPLACE VIEW survey_analysis AS
SELECT respondent_id, office_id, weight, individualisering,
    styring_a, styring_b,
    survey_reg.reverse(belast_tid, 0, 3) AS belast_tid_r,
    survey_reg.reverse(belast_krav, 0, 3) AS belast_krav_r,
    belast_stor,
    survey_reg.mean_index(ARRAY[styring_a, styring_b]) AS styring,
    survey_reg.mean_index(ARRAY[survey_reg.reverse(belast_tid, 0, 3),
        survey_reg.reverse(belast_krav, 0, 3), belast_stor]) AS arbeidsbelastning,
    ratio, kontorstorrelse, tilsettingsforhold, effektiv, tiltakskunnskap,
    kjonn, alder
FROM sample_survey
WHERE follows_up_clients;

-- `article_matrix`: the article's published summary statistics as a state
-- (moments_from_matrix: its appendix correlations with
-- r(individualisering, tilsettingsforhold) read as +0.065, see
-- test/data/paper/README.md; N = 1377; Table 1's means and SDs)
DROP TABLE IF EXISTS article_matrix;
CREATE TABLE article_matrix AS
SELECT survey_reg.moments_from_matrix(
	ARRAY['individualisering', 'arbeidsbelastning', 'ratio', 'styring',
		'tiltakskunnskap', 'kjonn', 'alder', 'tilsettingsforhold',
		'kontorstorrelse', 'effektiv'],
	1377,
	ARRAY[[1, -0.175, -0.083, -0.235, 0.298, -0.069, -0.031, 0.065, -0.027, 0.130],
		[-0.175, 1, 0.283, 0.179, -0.120, -0.011, -0.051, 0.049, 0.043, -0.031],
		[-0.083, 0.283, 1, 0.072, 0.012, -0.020, -0.045, 0.168, -0.024, 0.001],
		[-0.235, 0.179, 0.072, 1, -0.055, -0.017, 0.049, 0.026, 0.059, -0.015],
		[0.298, -0.120, 0.012, -0.055, 1, -0.051, 0.105, 0.148, -0.028, 0.093],
		[-0.069, -0.011, -0.020, -0.017, -0.051, 1, 0.031, 0.038, -0.029, -0.047],
		[-0.031, -0.051, -0.045, 0.049, 0.105, 0.031, 1, 0.153, -0.092, -0.046],
		[0.065, 0.049, 0.168, 0.026, 0.148, 0.038, 0.153, 1, 0.041, -0.074],
		[-0.027, 0.043, -0.024, 0.059, -0.028, -0.029, -0.092, 0.041, 1, -0.027],
		[0.130, -0.031, 0.001, -0.015, 0.093, -0.047, -0.046, -0.074, -0.027, 1]]::float8[],
	ARRAY[2.80, 1.60, 2.47, 1.92, 2.94, 0.202, 47.7, 0.545, 1.51, 2.59],
	ARRAY[0.89, 0.61, 1.77, 0.98, 0.93, 0.4015, 10.8, 0.498, 1.14, 0.90]) AS m;
