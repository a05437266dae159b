-- The synthetic sample survey (data/sample_survey.csv) as a table named by
-- the psql variable survey_table, for the pgTAP files (pg_prove runs only
-- the files directly in test/, not this one):
--   \set survey_table my_schema.survey
--   \ir include/sample_survey_table.sql
CREATE TABLE :survey_table (
	respondent_id int, office_id int, kontorstorrelse float8,
	follows_up_clients bool, individualisering float8, styring_a float8,
	styring_b float8, belast_tid float8, belast_krav float8,
	belast_stor float8, ratio float8, tiltakskunnskap float8,
	effektiv float8, kjonn float8, alder float8, tilsettingsforhold float8,
	weight float8);
-- (\copy does not expand psql variables: load through a fixed name)
CREATE TEMP TABLE sample_survey_csv (LIKE :survey_table);
\copy sample_survey_csv FROM 'data/sample_survey.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO :survey_table SELECT * FROM sample_survey_csv;
DROP TABLE sample_survey_csv;
