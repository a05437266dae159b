-- A list argument written as one string (issue 14, deliverable 2;
-- src/sql/87_list_hints.sql): the text overloads make no call that worked
-- before ambiguous (NULL, named arguments, text[]-typed expressions and
-- variables, defaults left out), array literals give the same result as
-- the text[] form, and every table-name function with a list argument has
-- its overload(s).
BEGIN;
SELECT plan(20);

CREATE TEMP TABLE lh AS
SELECT g AS id, (g % 5)::float8 AS y, (g % 7)::float8 AS x,
	((g * 3) % 11)::float8 AS z, (1 + g % 2)::float8 AS w
FROM generate_series(1, 200) g;

-- every public function taking (source text, ..., list text[], ...) has a
-- text overload for each list (two lists: three overloads)
SELECT is((SELECT count(*)::int FROM pg_proc
	WHERE pronamespace = 'survey_reg'::regnamespace
		AND proname NOT LIKE '\_%' AND prosrc LIKE '%survey_reg._list_arg(%'),
	27, '27 text overloads of 23 table-name functions');
SELECT is_empty($$
	SELECT p.oid::regprocedure::text FROM pg_proc p
	WHERE p.pronamespace = 'survey_reg'::regnamespace
		AND p.proname NOT LIKE '\_%' AND p.proargnames[1] = 'source'
		AND 'text[]'::regtype = ANY (p.proargtypes::oid[])
		AND p.prosrc NOT LIKE '%_list_arg(%'
		AND NOT EXISTS (SELECT FROM pg_proc q
			WHERE q.pronamespace = p.pronamespace AND q.proname = p.proname
				AND q.prosrc LIKE '%_list_arg(%')$$,
	'no table-name function with a text[] argument lacks a text overload');
SELECT is_empty($$
	SELECT q.oid::regprocedure::text FROM pg_proc q JOIN pg_proc p
		ON p.pronamespace = q.pronamespace AND p.proname = q.proname
			AND p.pronargs = q.pronargs AND p.prosrc NOT LIKE '%_list_arg(%'
			AND p.proargnames[1] = 'source'
	WHERE q.pronamespace = 'survey_reg'::regnamespace AND q.prosrc LIKE '%_list_arg(%'
		AND (p.provolatile, p.proparallel, p.proisstrict, p.proretset,
			p.pronargdefaults, p.proargnames)
			IS DISTINCT FROM (q.provolatile, q.proparallel, q.proisstrict,
				q.proretset, q.pronargdefaults, q.proargnames)$$,
	'each overload: same volatility, PARALLEL, STRICT, names and defaults as its text[] function');

-- calls that worked before still resolve (no "is not unique")
SELECT lives_ok($$SELECT * FROM survey_reg.describe('lh', '{y,x}')$$,
	'array literal string, defaults left out');
SELECT lives_ok($$SELECT * FROM survey_reg.describe('lh', NULL)$$, 'NULL list');
SELECT lives_ok($$SELECT * FROM survey_reg.describe('lh', NULL, NULL, NULL)$$,
	'all NULL');
SELECT lives_ok($$SELECT * FROM survey_reg.describe(source => 'lh',
	variables => '{y,x}', weight => 'w')$$, 'named arguments, array literal');
SELECT lives_ok($$SELECT * FROM survey_reg.describe(source => 'lh',
	variables => ARRAY['y', 'x'])$$, 'named arguments, ARRAY[...]');
SELECT lives_ok($$SELECT * FROM survey_reg.describe('lh', '{y,x}'::text[])$$,
	'text[]-typed expression');
SELECT lives_ok($q$DO $do$ DECLARE v text[] := '{y,x}'; n int; BEGIN
	SELECT count(*) INTO n FROM survey_reg.correlations('lh', v); END $do$$q$,
	'text[] variable in PL/pgSQL');
SELECT lives_ok($$PREPARE lh_p(text[]) AS SELECT * FROM survey_reg.describe('lh', $1);
	EXECUTE lh_p('{y}'); DEALLOCATE lh_p$$, 'text[] parameter of a prepared statement');
SELECT lives_ok($$SELECT * FROM survey_reg.reliability_table('lh', '{S}', '{"y,x,z"}')$$,
	'two lists, both literals');
SELECT lives_ok($$SELECT * FROM survey_reg.reliability_table('lh', ARRAY['S'], '{"y,x,z"}')$$,
	'two lists, ARRAY and literal');
SELECT lives_ok($$SELECT * FROM survey_reg.reliability_table(source => 'lh',
	items => ARRAY['y,x,z'], indices => '{S}')$$, 'two lists, named, literal and ARRAY');
SELECT lives_ok($$SELECT survey_reg.report('lh', 'y', '{x,z}', variables => '{y,x}',
	generated_at => '2026-01-01')$$, 'report: blocks literal, variables literal');

-- an array literal gives the same result as the text[] form
SELECT results_eq(
	$$SELECT * FROM survey_reg.describe('lh', ' {y,x,z}', weight => 'w')$$,
	$$SELECT * FROM survey_reg.describe('lh', ARRAY['y', 'x', 'z'], weight => 'w')$$,
	'describe: literal = ARRAY');
SELECT results_eq(
	$$SELECT * FROM survey_reg.coefficients('lh', 'y', '{x,"z, w"}', se => 'HC3')$$,
	$$SELECT * FROM survey_reg.coefficients('lh', 'y', ARRAY['x', 'z, w'], se => 'HC3')$$,
	'coefficients: literal = ARRAY');
SELECT results_eq(
	$$SELECT * FROM survey_reg.correlation_table_long('lh', '{y,x}')$$,
	$$SELECT * FROM survey_reg.correlation_table_long('lh', ARRAY['y', 'x'])$$,
	'correlation_table_long: literal = ARRAY');

-- not an array literal: 22P02 with the ARRAY[...] hint
SELECT throws_ok($$SELECT * FROM survey_reg.describe('lh', 'y, x')$$, '22P02',
	'variables must be an array of column names, not one string',
	'describe: one string');
SELECT throws_ok($$SELECT * FROM survey_reg.model_summary('lh', 'y', 'x, z')$$,
	'22P02', 'blocks must be an array of blocks, not one string',
	'model_summary: one string');

SELECT * FROM finish();
ROLLBACK;
