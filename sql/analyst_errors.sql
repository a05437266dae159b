-- Errors that say what to do (issue 14, deliverable 2; issue 19, item 6):
-- each mistake a new user makes, with the message, SQLSTATE and hint it
-- gets.  No error quotes the generated internal query in a CONTEXT line.
\set VERBOSITY default
\set SHOW_CONTEXT always
SET extra_float_digits = 0;
CREATE TEMP TABLE survey AS
SELECT g AS id,
	(g % 5 + 1)::float8 AS y,
	(g % 7)::numeric AS x,
	CASE WHEN g % 2 = 0 THEN 'Strongly agree' ELSE 'Disagree' END AS opinion,
	g % 3 = 0 AS flag,
	(g * 1.25)::money AS amount,
	ARRAY[g, g + 1] AS scores,
	NULL::float8 AS empty,
	CASE WHEN g % 10 = 0 THEN g::float8 END AS sparse,
	(1 + g % 2)::float8 AS w,
	(g * 10)::text AS numtext
FROM generate_series(1, 1646) g;

-- a text column holding words: 42804 naming the column and its type
SELECT * FROM survey_reg.describe('survey', ARRAY['y', 'opinion']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.correlations('survey', ARRAY['opinion', 'y']);
SELECT * FROM survey_reg.reliability('survey', ARRAY['y', 'opinion']);
SELECT * FROM survey_reg.item_total('survey', ARRAY['y', 'opinion']);
SELECT * FROM survey_reg.coefficients('survey', 'y', ARRAY['x, opinion']);
SELECT * FROM survey_reg.model_summary('survey', 'opinion', ARRAY['x']);
SELECT * FROM survey_reg.coefficients('survey', 'y', ARRAY['x, opinion'], se => 'HC3');
SELECT * FROM survey_reg.frequencies('survey', 'opinion');
\echo :LAST_ERROR_SQLSTATE
-- a text column holding numbers is still text
SELECT * FROM survey_reg.describe('survey', ARRAY['numtext']);
-- money, arrays: the same, no internal query
SELECT * FROM survey_reg.describe('survey', ARRAY['amount']);
SELECT * FROM survey_reg.describe('survey', ARRAY['scores']);
-- a weight column that is not a number
SELECT * FROM survey_reg.describe('survey', ARRAY['y'], weight => 'opinion');
SELECT * FROM survey_reg.coefficients('survey', 'y', ARRAY['x'], weight => 'opinion',
	se => 'HC1');

-- boolean columns count as 0/1
SELECT variable, n, round(mean::numeric, 6) AS mean, min, max
FROM survey_reg.describe('survey', ARRAY['y', 'flag']);
SELECT var1, var2, round(r::numeric, 6) AS r, n
FROM survey_reg.correlations('survey', ARRAY['y', 'flag']) WHERE var1 < var2;
SELECT k, n, round(alpha::numeric, 6) AS alpha
FROM survey_reg.reliability('survey', ARRAY['y', 'x', 'flag']);
SELECT term, round(b::numeric, 6) AS b, round(se::numeric, 6) AS se
FROM survey_reg.coefficients('survey', 'y', ARRAY['x, flag'], se => 'HC3');
SELECT value, n FROM survey_reg.frequencies('survey', 'flag') WHERE kind = 'value';
-- a boolean weight keeps the true rows (zero weights are left out by
-- design: no NOTICE)
SELECT variable, n FROM survey_reg.describe('survey', ARRAY['y'], weight => 'flag');

-- a comma inside a variable name: the ARRAY[...] form
SELECT * FROM survey_reg.describe('survey', ARRAY['y, x']);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.reliability('survey', ARRAY['y,x , flag']);
-- one string where an array is expected: 22P02 with the ARRAY[...] form
-- as hint (src/sql/87_list_hints.sql), one case per overload
SELECT * FROM survey_reg.describe('survey', 'y, x');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.coefficients('survey', 'y', 'x, flag');
SELECT * FROM survey_reg.table_moments('survey', 'y, x');
SELECT * FROM survey_reg.correlations('survey', 'y, x', 'pairwise');
SELECT * FROM survey_reg.reliability('survey', 'y, x, flag');
SELECT * FROM survey_reg.item_total('survey', 'y, x, flag');
SELECT * FROM survey_reg.model_summary('survey', 'y', 'x, flag', se => 'HC3');
SELECT * FROM survey_reg.model_summary('survey', 'y', 'x');
SELECT * FROM survey_reg.regression_table('survey', 'y', 'x, flag');
SELECT * FROM survey_reg.regression_table_long('survey', 'y', 'x, flag');
SELECT * FROM survey_reg.correlation_table('survey', 'y, x');
SELECT * FROM survey_reg.correlation_table_long('survey', 'y, x');
SELECT * FROM survey_reg.descriptives_table('survey', 'y, x');
SELECT * FROM survey_reg.descriptives_table_long('survey', 'y, x');
SELECT * FROM survey_reg.reliability_table('survey', 'Scale', 'y, x, flag');
SELECT * FROM survey_reg.reliability_table('survey', 'Scale', ARRAY['y, x, flag']);
SELECT * FROM survey_reg.reliability_table('survey', ARRAY['Scale'], 'y, x, flag');
SELECT * FROM survey_reg.reliability_table_long('survey', 'Scale', 'y, x, flag');
SELECT * FROM survey_reg.reliability_table_long('survey', 'Scale', ARRAY['y, x, flag']);
SELECT * FROM survey_reg.reliability_table_long('survey', ARRAY['Scale'], 'y, x, flag');
SELECT survey_reg.report('survey', 'y', 'x, flag');
-- named arguments, a name that needs quoting, an empty string
SELECT * FROM survey_reg.describe(variables => 'y, x', source => 'survey');
SELECT * FROM survey_reg.describe('survey', 'it''s, a b');
SELECT * FROM survey_reg.describe('survey', '');
-- an array literal string is fine, as before
SELECT variable, n FROM survey_reg.describe('survey', '{y,x}');
SELECT variable, n FROM survey_reg.describe('survey', ' {y,x}', weight => 'w');
SELECT term, round(b::numeric, 6) AS b
FROM survey_reg.coefficients('survey', 'y', '{"x, flag"}');

-- the third positional argument of describe/correlations is missing, not
-- weight: a column name there gets the weight => hint
SELECT * FROM survey_reg.describe('survey', ARRAY['y'], 'w');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM survey_reg.correlations('survey', ARRAY['y', 'x'], 'w');
SELECT * FROM survey_reg.describe('survey', ARRAY['y'], 'pairwaise');

-- listwise deletion that keeps fewer than half of the rows: a NOTICE
-- naming the variables missing in at least half of them
SELECT variable, n, mean FROM survey_reg.describe('survey', ARRAY['y', 'empty']);
SELECT var1, var2, r, n FROM survey_reg.correlations('survey', ARRAY['y', 'empty'])
WHERE var1 <= var2;
SELECT variable, n FROM survey_reg.describe('survey', ARRAY['y', 'sparse']);
SELECT n FROM survey_reg.reliability('survey', ARRAY['y', 'x', 'sparse']);
SELECT model, n FROM survey_reg.model_summary('survey', 'y', ARRAY['x, sparse']);
-- pairwise: no NOTICE (each statistic uses its own rows)
SELECT variable, n FROM survey_reg.describe('survey', ARRAY['y', 'empty'], 'pairwise');
-- a NULL weight counts as missing
UPDATE survey SET w = NULL WHERE id % 4 <> 0;
SELECT variable, n FROM survey_reg.describe('survey', ARRAY['y'], weight => 'w');
-- half kept or more: silent
SELECT variable, n FROM survey_reg.describe('survey', ARRAY['y', 'x']);
-- no rows at all: silent
CREATE TEMP TABLE nothing (y float8);
SELECT variable, n FROM survey_reg.describe('nothing', ARRAY['y']);

-- an error while the generated query runs (a numeric beyond float8, in a
-- view): PostgreSQL's message, without the internal query as CONTEXT
CREATE TEMP VIEW huge AS SELECT id, y, CASE WHEN id = 7 THEN 1e309 ELSE x END AS big
FROM survey;
SELECT variable, n FROM survey_reg.describe('huge', ARRAY['y', 'big']);
SELECT term FROM survey_reg.coefficients('huge', 'y', ARRAY['big'], se => 'HC1');
SELECT * FROM survey_reg.correlations('huge', ARRAY['y', 'big'], 'pairwise');
-- inside a SQL function the caller wrote: its own CONTEXT stays
CREATE FUNCTION pg_temp.my_describe() RETURNS SETOF float8
LANGUAGE sql AS $$ SELECT n FROM survey_reg.describe('huge', ARRAY['big']) $$;
SELECT pg_temp.my_describe();
-- many empty variables: the first 10 named, then how many more
CREATE TEMP TABLE manyempty AS
SELECT g::float8 AS y, NULL::float8 AS e1, NULL::float8 AS e2, NULL::float8 AS e3,
	NULL::float8 AS e4, NULL::float8 AS e5, NULL::float8 AS e6, NULL::float8 AS e7,
	NULL::float8 AS e8, NULL::float8 AS e9, NULL::float8 AS e10, NULL::float8 AS e11,
	NULL::float8 AS e12
FROM generate_series(1, 20) g;
SELECT count(*) FROM survey_reg.describe('manyempty',
	ARRAY['y', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9', 'e10', 'e11', 'e12']);

-- the formatted tables and the report: the same messages, without the
-- statements of survey_reg's own PL/pgSQL functions as CONTEXT
SELECT line FROM survey_reg.descriptives_table('survey', ARRAY['y', 'opinion']);
SELECT line FROM survey_reg.correlation_table('survey', ARRAY['y', 'x'], 'w');
SELECT line FROM survey_reg.regression_table('survey', 'y', ARRAY['x, amount']);
SELECT line FROM survey_reg.reliability_table('survey', ARRAY['s'], ARRAY['y, scores']);
SELECT line FROM survey_reg.frequency_table('survey', 'opinion');
SELECT * FROM survey_reg.frequencies('survey', 'y, x');
SELECT length(survey_reg.report('survey', 'y', ARRAY['x, opinion'])) > 0;
SELECT length(survey_reg.report('huge', 'y', ARRAY['big'])) > 0;

-- missing values spread over the variables, none missing in half the
-- rows: the NOTICE names the one missing most often
CREATE TEMP TABLE spread AS
SELECT CASE WHEN g % 4 <> 0 THEN g END::float8 AS a,
	CASE WHEN g % 4 <> 1 THEN g END::float8 AS b,
	CASE WHEN g % 4 <> 2 THEN g END::float8 AS c,
	CASE WHEN g % 3 <> 0 THEN g END::float8 AS d
FROM generate_series(1, 1200) g;
SELECT variable, n FROM survey_reg.describe('spread', ARRAY['a', 'b', 'c', 'd']);

-- one string as the list of survey_means and the logistic functions (their
-- overloads in src/sql/87_list_hints.sql)
SELECT * FROM survey_reg.survey_means('survey', 'y, x');
SELECT * FROM survey_reg.logistic_coefficients('survey', 'y', 'x, amount');
SELECT * FROM survey_reg.logistic_summary('survey', 'y', 'x, amount');
