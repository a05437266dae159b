-- The long, typed forms of the formatted tables (issue 14, item 4;
-- src/sql/55_long.sql).  Each <name>_long pivots back to exactly its
-- formatted table's cells, labels each cell with its row and column, reads
-- the printed number, its stars, NaN and ±Infinity, and has the array
-- form's volatility and parallel safety.  The values are the printed ones,
-- so the expected numbers here are read off the formatted tables (whose
-- own tests compare them with R and the article); the ODBC view of these
-- functions is tools/odbc-test.sh.
BEGIN;
SET client_min_messages = warning;
SELECT plan(17);

\set survey_table survey
\ir include/sample_survey_table.sql
CREATE VIEW analysis AS
SELECT individualisering, survey_reg.mean_index(ARRAY[styring_a, styring_b]) AS styring,
	kjonn, alder, styring_a, styring_b, tilsettingsforhold
FROM survey WHERE follows_up_clients;
CREATE TABLE st AS
SELECT survey_reg.moments(ARRAY[individualisering, styring, kjonn, alder],
	ARRAY['individualisering', 'styring', 'kjonn', 'alder']) AS m FROM analysis;

-- every long form against its array form: the same cells in the same
-- places (rows that carry cells; title, header, block and note rows are
-- labels of the others)
CREATE FUNCTION pg_temp.same(arr text, lng text) RETURNS SETOF text
LANGUAGE sql AS $$
	SELECT * FROM set_eq(
		format('SELECT t.row_no, c.o::int, c.v FROM %s t, unnest(t.cells) WITH ORDINALITY c(v, o)
			WHERE t.kind NOT IN (''title'', ''header'', ''block'', ''note'')', arr),
		format('SELECT row_no, column_no, cell FROM %s', lng),
		arr || ': the long form holds every cell in its place')
$$;
SELECT pg_temp.same(
	$$survey_reg.regression_table('analysis', 'individualisering', ARRAY['styring', 'kjonn, alder'], statistic => 'b_se')$$,
	$$survey_reg.regression_table_long('analysis', 'individualisering', ARRAY['styring', 'kjonn, alder'], statistic => 'b_se')$$);
SELECT pg_temp.same(
	$$survey_reg.regression_table((SELECT m FROM st), 'individualisering', ARRAY['styring', 'kjonn, alder'], decimal_mark => ',', leading_zero => false)$$,
	$$survey_reg.regression_table_long((SELECT m FROM st), 'individualisering', ARRAY['styring', 'kjonn, alder'], decimal_mark => ',', leading_zero => false)$$);
SELECT pg_temp.same(
	$$survey_reg.correlation_table('analysis', ARRAY['individualisering', 'styring', 'alder'], missing => 'pairwise')$$,
	$$survey_reg.correlation_table_long('analysis', ARRAY['individualisering', 'styring', 'alder'], missing => 'pairwise')$$);
SELECT pg_temp.same(
	$$survey_reg.correlation_table((SELECT m FROM st), numbered => true)$$,
	$$survey_reg.correlation_table_long((SELECT m FROM st), numbered => true)$$);
SELECT pg_temp.same(
	$$survey_reg.descriptives_table('analysis', ARRAY['individualisering', 'kjonn', 'alder'], dummies => ARRAY['kjonn=0'], labels => '{"kjonn=0": "women"}')$$,
	$$survey_reg.descriptives_table_long('analysis', ARRAY['individualisering', 'kjonn', 'alder'], dummies => ARRAY['kjonn=0'], labels => '{"kjonn=0": "women"}')$$);
SELECT pg_temp.same(
	$$survey_reg.descriptives_table((SELECT m FROM st), statistics => '{n,mean,sd,min,max,skewness,kurtosis}')$$,
	$$survey_reg.descriptives_table_long((SELECT m FROM st), statistics => '{n,mean,sd,min,max,skewness,kurtosis}')$$);
SELECT pg_temp.same(
	$$survey_reg.reliability_table('survey', ARRAY['styring'], ARRAY['styring_a, styring_b'], statistics => '{k,n,alpha,std_alpha,alpha_ci,mean_r,omega_total,lambda6}')$$,
	$$survey_reg.reliability_table_long('survey', ARRAY['styring'], ARRAY['styring_a, styring_b'], statistics => '{k,n,alpha,std_alpha,alpha_ci,mean_r,omega_total,lambda6}')$$);
SELECT pg_temp.same(
	$$survey_reg.frequency_table('survey', 'individualisering', decimal_mark => ',')$$,
	$$survey_reg.frequency_table_long('survey', 'individualisering', decimal_mark => ',')$$);
SELECT pg_temp.same(
	$$survey_reg.frequency_chart('survey', 'individualisering')$$,
	$$survey_reg.frequency_chart_long('survey', 'individualisering')$$);

-- the value is the printed number: decimal comma, no leading zero, stars
-- apart, a percentage, b with its SE in parentheses
SELECT is_empty($$
	SELECT * FROM survey_reg.regression_table_long((SELECT m FROM st), 'individualisering',
		ARRAY['styring', 'kjonn, alder'], decimal_mark => ',', leading_zero => false)
	WHERE cell <> '' AND (value IS NULL
		OR replace(regexp_replace(cell, '^(-?)(,)', '\10,'), ',', '.')
			<> rtrim(value::numeric::text, '0') || CASE WHEN value::numeric::text ~ '\.\d*0$' THEN '0' ELSE '' END || stars)$$,
	'regression cells: value and stars are the printed number (-,235*** is -0.235 and ***)');
SELECT results_eq($$
	SELECT value, stars, column_label, section FROM survey_reg.regression_table_long('analysis',
		'individualisering', ARRAY['styring', 'kjonn, alder'], statistic => 'b_se')
	WHERE row_label = 'styring' ORDER BY column_no$$,
	$$SELECT (regexp_match(cells[1], '^-?[0-9.]+'))[1]::float8, (regexp_match(cells[1], '\*+'))[1],
		'Model 1', 'Block 1' FROM survey_reg.regression_table('analysis', 'individualisering',
			ARRAY['styring', 'kjonn, alder'], statistic => 'b_se') WHERE label = 'styring'
	UNION ALL
	SELECT (regexp_match(cells[2], '^-?[0-9.]+'))[1]::float8, (regexp_match(cells[2], '\*+'))[1],
		'Model 2', 'Block 1' FROM survey_reg.regression_table('analysis', 'individualisering',
			ARRAY['styring', 'kjonn, alder'], statistic => 'b_se') WHERE label = 'styring'$$,
	'b (se) cells: the value is b, with its stars, column and block labels');
SELECT results_eq($$
	SELECT row_kind, section, column_label, value, cell FROM survey_reg.descriptives_table_long('analysis',
		ARRAY['kjonn'], dummies => ARRAY['kjonn=0'], labels => '{"kjonn=0": "women"}', decimal_mark => ',')$$,
	$$SELECT 'dummy'::text, 'Dichotomous variables'::text, 'Share'::text,
		round(100 * (1 - avg(kjonn))::numeric, 1)::float8,
		replace(round(100 * (1 - avg(kjonn))::numeric, 1)::text, '.', ',') || '% women'
	FROM analysis WHERE kjonn IS NOT NULL$$,
	'a share: its percentage as the value, the section and the column label');
SELECT is((SELECT count(*)::int FROM survey_reg.correlation_table_long((SELECT m FROM st))
		WHERE cell IN ('–', '') AND value IS NULL), 6,
	'the diagonal and the empty upper triangle have no value');

-- NaN and ±Infinity are read as such; no number, no value
SELECT results_eq($$
	SELECT column_no, value, stars FROM survey_reg._long(
		'[{"row_no": 1, "kind": "title", "label": "T", "cells": []},
		  {"row_no": 2, "kind": "header", "label": "", "cells": ["a", "b", "c", "d", "e", "f"]},
		  {"row_no": 3, "kind": "term", "label": "x",
		   "cells": ["NaN", "Infinity***", "-Infinity", "[0.1, 0.2]", "█▍", "1.5e3"]}]')
	ORDER BY 1$$,
	$$VALUES (1, 'NaN'::float8, ''), (2, 'Infinity', '***'), (3, '-Infinity', ''),
		(4, NULL, ''), (5, NULL, ''), (6, NULL, '')$$,
	'NaN, Infinity and -Infinity are values; an interval, a bar and other text are not');
SELECT results_eq($$SELECT DISTINCT table_title FROM survey_reg.frequency_table_long('survey', 'kjonn')$$,
	$$SELECT label FROM survey_reg.frequency_table('survey', 'kjonn') WHERE kind = 'title'$$,
	'table_title is the title row');

-- the long form has its array form's volatility and parallel safety
SELECT is_empty($$
	SELECT l.oid::regprocedure FROM pg_proc l JOIN pg_proc a
		ON a.pronamespace = l.pronamespace AND l.proname = a.proname || '_long'
		AND l.proargtypes = a.proargtypes
	WHERE l.pronamespace = 'survey_reg'::regnamespace
		AND (l.provolatile, l.proparallel) <> (a.provolatile, a.proparallel)$$,
	'the same volatility and parallel safety as the array forms');
SELECT is((SELECT count(*)::int FROM pg_proc a WHERE a.pronamespace = 'survey_reg'::regnamespace
		AND pg_get_function_result(a.oid) LIKE '%cells text[]%' AND a.proname !~ '^_'
		AND NOT EXISTS (SELECT 1 FROM pg_proc l WHERE l.pronamespace = a.pronamespace
			AND l.proname = a.proname || '_long' AND l.proargtypes = a.proargtypes)), 0,
	'every formatted table (cells text[]) has a long form with the same arguments');

SELECT * FROM finish();
ROLLBACK;
