-- Hostile callers: identifiers built to break out of generated SQL,
-- privileges, row-level security and search_path tricks (issue 8, item 4).
--
-- Every table-name form runs one query that it builds from the caller's
-- relation and column names; none of those names may change that query,
-- and the query runs with the caller's privileges and policies.
BEGIN;
SELECT plan(48);
SET LOCAL client_min_messages = warning;

\set survey_table hostile_survey
\ir include/sample_survey_table.sql

-- a table that every injection below would like to drop
CREATE TABLE victim (id int);
INSERT INTO victim VALUES (1);

-- ------------------------------------------------------------------
-- 1. identifiers with quotes, semicolons, comments and mixed case
-- ------------------------------------------------------------------
CREATE TABLE "Survey; DROP TABLE victim; --" (
	"Col ""quoted""" float8,
	"x/*comment*/" float8,
	"MixedCase" float8,
	"a;b" float8,
	"w'); DROP TABLE victim; --" float8,
	"-- line comment" float8);
INSERT INTO "Survey; DROP TABLE victim; --"
SELECT individualisering, styring_a, styring_b, alder, weight, ratio
FROM hostile_survey;

-- the reference: the same columns through the aggregate, no names involved
CREATE TEMP TABLE ref_state AS
SELECT survey_reg.moments(ARRAY[individualisering, styring_a, styring_b, alder],
	ARRAY['Col "quoted"', 'x/*comment*/', 'MixedCase', 'a;b']) AS m,
	survey_reg.moments(ARRAY[individualisering, styring_a, styring_b, alder],
	ARRAY['Col "quoted"', 'x/*comment*/', 'MixedCase', 'a;b'], weight) AS mw
FROM hostile_survey;

SELECT results_eq(
	$$SELECT * FROM survey_reg.describe('"Survey; DROP TABLE victim; --"',
		ARRAY['Col "quoted"', 'x/*comment*/', 'MixedCase', 'a;b'])$$,
	$$SELECT d.* FROM ref_state, survey_reg.describe(m) d$$,
	'describe: quoted table and column names with ; /* */ and quotes');

SELECT results_eq(
	$$SELECT * FROM survey_reg.describe('public."Survey; DROP TABLE victim; --"',
		ARRAY['Col "quoted"', 'x/*comment*/', 'MixedCase', 'a;b'],
		weight => 'w''); DROP TABLE victim; --')$$,
	$$SELECT d.* FROM ref_state, survey_reg.describe(mw) d$$,
	'describe: schema-qualified hostile name, hostile weight column');

SELECT results_eq(
	$$SELECT var1, var2, round(r::numeric, 12), n FROM survey_reg.correlations(
		'"Survey; DROP TABLE victim; --"',
		ARRAY['Col "quoted"', 'x/*comment*/', 'MixedCase', 'a;b'])$$,
	$$SELECT var1, var2, round(r::numeric, 12), n FROM ref_state, survey_reg.correlations(m)$$,
	'correlations: hostile names, listwise');

SELECT lives_ok(
	$$SELECT * FROM survey_reg.correlations('"Survey; DROP TABLE victim; --"',
		ARRAY['Col "quoted"', '-- line comment', 'a;b'], missing => 'pairwise')$$,
	'correlations: hostile names, pairwise (one query over every pair)');

SELECT results_eq(
	$$SELECT k, n, round(alpha::numeric, 12) FROM survey_reg.reliability(
		'"Survey; DROP TABLE victim; --"', ARRAY['x/*comment*/', 'MixedCase', 'a;b'])$$,
	$$SELECT k, n, round(alpha::numeric, 12) FROM survey_reg.reliability(
		(SELECT survey_reg.moments(ARRAY[styring_a, styring_b, alder],
			ARRAY['x/*comment*/', 'MixedCase', 'a;b']) FROM hostile_survey))$$,
	'reliability: hostile names');

SELECT is(
	(SELECT count(*) FROM survey_reg.item_total('"Survey; DROP TABLE victim; --"',
		ARRAY['Col "quoted"', 'x/*comment*/', '-- line comment'])),
	3::bigint, 'item_total: hostile names');

SELECT results_eq(
	$$SELECT model, term, round(b::numeric, 10) FROM survey_reg.coefficients(
		'"Survey; DROP TABLE victim; --"', 'Col "quoted"',
		ARRAY['x/*comment*/, MixedCase', 'a;b'],
		weight => 'w''); DROP TABLE victim; --')$$,
	$$SELECT model, term, round(b::numeric, 10) FROM ref_state,
		survey_reg.coefficients(mw, 'Col "quoted"', ARRAY['x/*comment*/, MixedCase', 'a;b'])$$,
	'coefficients: hostile names in dependent, blocks and weight');

SELECT is(
	(SELECT count(*) FROM survey_reg.model_summary('"Survey; DROP TABLE victim; --"',
		'-- line comment', ARRAY['x/*comment*/', 'MixedCase'])),
	2::bigint, 'model_summary: hostile names');

-- names that are SQL, not identifiers: errors, nothing executed
SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('victim; DROP TABLE victim', ARRAY['id'])$$,
	'42602', NULL, 'a relation name with a statement after it is an invalid name');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('victim --', ARRAY['id'])$$,
	'42602', NULL, 'a relation name with a comment is an invalid name');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('(SELECT 1) s', ARRAY['id'])$$,
	'42602', NULL, 'a subquery is not a relation name');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('victim', ARRAY['id::float8 FROM victim; DROP TABLE victim; --'])$$,
	'42703', NULL, 'a column name with SQL in it is an unknown column');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('hostile_survey', ARRAY['alder'],
		weight => '1); DROP TABLE victim; --')$$,
	'42703', NULL, 'a weight name with SQL in it is an unknown column');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.coefficients('hostile_survey', 'alder) FROM victim; --',
		ARRAY['ratio'])$$,
	'42703', NULL, 'a dependent with SQL in it is an unknown column');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.reliability('hostile_survey',
		ARRAY['styring_a', 'styring_b'', ''x''); DROP TABLE victim; --'])$$,
	'42703', NULL, 'an item with a quote and SQL in it is an unknown column');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('hostile_survey', ARRAY['ctid'])$$,
	'42703', NULL, 'system columns are not variables');

-- mixed case: relation names fold as in SQL, column names match exactly
SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('"Survey; DROP TABLE victim; --"', ARRAY['mixedcase'])$$,
	'42703', NULL, 'column names are matched exactly (MixedCase is not mixedcase)');
CREATE TABLE "MixedCaseTable" (v float8);
INSERT INTO "MixedCaseTable" VALUES (1), (2), (4);
SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('MixedCaseTable', ARRAY['v'])$$,
	'42P01', NULL, 'an unquoted relation name is folded to lower case');
SELECT is(
	(SELECT mean FROM survey_reg.describe('"MixedCaseTable"', ARRAY['v'])),
	7.0::float8 / 3, 'a quoted mixed-case relation name is found');

SELECT is((SELECT count(*) FROM victim), 1::bigint, 'the victim table is intact');

-- ------------------------------------------------------------------
-- 2. privileges: no access means permission denied, and nothing else
-- ------------------------------------------------------------------
CREATE ROLE survey_reg_hostile_caller NOLOGIN;
GRANT USAGE ON SCHEMA survey_reg TO survey_reg_hostile_caller;
GRANT USAGE ON SCHEMA public TO survey_reg_hostile_caller;

CREATE TABLE secret_table (a float8, b float8);
INSERT INTO secret_table VALUES (1, 2), (3, 5), (4, 4);
CREATE TABLE partly_secret (pub float8, salary float8);
INSERT INTO partly_secret VALUES (1, 100000), (2, 250000), (3, 175000);
GRANT SELECT (pub) ON partly_secret TO survey_reg_hostile_caller;
CREATE SCHEMA hidden_schema;
CREATE TABLE hidden_schema.t (a float8);
INSERT INTO hidden_schema.t VALUES (1), (2);
GRANT SELECT ON hidden_schema.t TO survey_reg_hostile_caller;

SET LOCAL ROLE survey_reg_hostile_caller;

SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('secret_table', ARRAY['a'])$$,
	'42501', 'permission denied for table secret_table',
	'describe of an unreadable table: permission denied');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.correlations('secret_table', ARRAY['a', 'b'], missing => 'pairwise')$$,
	'42501', 'permission denied for table secret_table',
	'correlations (pairwise) of an unreadable table: permission denied');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.reliability('secret_table', ARRAY['a', 'b'])$$,
	'42501', 'permission denied for table secret_table',
	'reliability of an unreadable table: permission denied');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.item_total('secret_table', ARRAY['a', 'b'])$$,
	'42501', 'permission denied for table secret_table',
	'item_total of an unreadable table: permission denied');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.coefficients('secret_table', 'a', ARRAY['b'])$$,
	'42501', 'permission denied for table secret_table',
	'coefficients of an unreadable table: permission denied');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.model_summary('secret_table', 'a', ARRAY['b'])$$,
	'42501', 'permission denied for table secret_table',
	'model_summary of an unreadable table: permission denied');
SELECT throws_ok(
	$$SELECT survey_reg.table_moments('secret_table', ARRAY['a'])$$,
	'42501', 'permission denied for table secret_table',
	'table_moments of an unreadable table: permission denied');

SELECT is(
	(SELECT n FROM survey_reg.describe('partly_secret', ARRAY['pub'])),
	3::float8, 'a granted column is readable');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('partly_secret', ARRAY['salary'])$$,
	'42501', 'permission denied for table partly_secret',
	'an ungranted column: permission denied');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('partly_secret', ARRAY['pub'], weight => 'salary')$$,
	'42501', 'permission denied for table partly_secret',
	'an ungranted column as the weight: permission denied');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.coefficients('partly_secret', 'pub', ARRAY['salary'])$$,
	'42501', 'permission denied for table partly_secret',
	'an ungranted column as a predictor: permission denied');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('hidden_schema.t', ARRAY['a'])$$,
	'42501', 'permission denied for schema hidden_schema',
	'a table in a schema without USAGE: permission denied');

-- nothing of the data leaks through messages: whatever the error, no value
CREATE FUNCTION pg_temp.error_text(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE msg text; det text; hint text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
		hint = PG_EXCEPTION_HINT;
	RETURN concat_ws(' | ', msg, det, hint);
END $$;
SELECT unalike(
	pg_temp.error_text($$SELECT * FROM survey_reg.describe('partly_secret', ARRAY['pub'], weight => 'salary')$$),
	'%000%', 'the error for an ungranted weight shows no salary');
SELECT unalike(
	pg_temp.error_text($$SELECT * FROM survey_reg.describe('secret_table', ARRAY['nonexistent'])$$),
	'%5%', 'the error for an unreadable table shows no value');

RESET ROLE;

-- ------------------------------------------------------------------
-- 3. row-level security: a policy hiding rows changes the result
-- ------------------------------------------------------------------
CREATE TABLE rls_survey AS
SELECT office_id, individualisering, styring_a, styring_b, alder, weight
FROM hostile_survey;
-- a hidden row that would make any weighted analysis fail if it were read
INSERT INTO rls_survey VALUES (999, 1, 1, 1, 30, -1);
ALTER TABLE rls_survey ENABLE ROW LEVEL SECURITY;
CREATE POLICY low_offices ON rls_survey FOR SELECT TO survey_reg_hostile_caller
	USING (office_id <= 50);
GRANT SELECT ON rls_survey TO survey_reg_hostile_caller;

CREATE TEMP TABLE rls_expected AS
SELECT survey_reg.moments(ARRAY[individualisering, styring_a, styring_b, alder],
	ARRAY['individualisering', 'styring_a', 'styring_b', 'alder'], weight) AS visible,
	(SELECT survey_reg.moments(ARRAY[individualisering, styring_a, styring_b, alder],
		ARRAY['individualisering', 'styring_a', 'styring_b', 'alder'])
	 FROM rls_survey WHERE office_id <> 999) AS everything,
	survey_reg.moments(ARRAY[styring_a, styring_b, individualisering],
		ARRAY['styring_a', 'styring_b', 'individualisering'], weight) AS rel
FROM rls_survey WHERE office_id <= 50;
GRANT SELECT ON rls_expected TO survey_reg_hostile_caller;

SET LOCAL ROLE survey_reg_hostile_caller;
SELECT results_eq(
	$$SELECT * FROM survey_reg.describe('rls_survey',
		ARRAY['individualisering', 'styring_a', 'styring_b', 'alder'], weight => 'weight')$$,
	$$SELECT d.* FROM rls_expected, survey_reg.describe(visible) d$$,
	'RLS: describe sees only the policy''s rows (and never the hidden negative weight)');
SELECT isnt(
	(SELECT n FROM survey_reg.describe('rls_survey', ARRAY['alder'])),
	(SELECT n FROM rls_expected, survey_reg.describe(everything) WHERE variable = 'alder'),
	'RLS: the hidden rows change N');
SELECT results_eq(
	$$SELECT model, term, round(b::numeric, 10) FROM survey_reg.coefficients('rls_survey',
		'individualisering', ARRAY['styring_a, styring_b', 'alder'], weight => 'weight')$$,
	$$SELECT model, term, round(b::numeric, 10) FROM rls_expected, survey_reg.coefficients(visible,
		'individualisering', ARRAY['styring_a, styring_b', 'alder'])$$,
	'RLS: coefficients from the policy''s rows');
SELECT results_eq(
	$$SELECT k, n, round(alpha::numeric, 12) FROM survey_reg.reliability('rls_survey',
		ARRAY['styring_a', 'styring_b', 'individualisering'], weight => 'weight')$$,
	$$SELECT k, n, round(alpha::numeric, 12) FROM rls_expected, survey_reg.reliability(rel)$$,
	'RLS: reliability from the policy''s rows');
SELECT is(
	(SELECT n FROM survey_reg.correlations('rls_survey', ARRAY['styring_a', 'alder'],
		missing => 'pairwise') WHERE var1 = 'styring_a' AND var2 = 'styring_a'),
	(SELECT count(styring_a)::float8 FROM rls_survey),
	'RLS: pairwise counts are those of the visible rows');
RESET ROLE;

-- ------------------------------------------------------------------
-- 4. search_path tricks: look-alike objects first in the path
-- ------------------------------------------------------------------
CREATE SCHEMA trap;
CREATE FUNCTION trap.sprung(what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'search_path trap sprung: %', what;
END $$;
CREATE FUNCTION trap.table_moments(source text, columns text[], weight text DEFAULT NULL)
RETURNS survey_reg.moments LANGUAGE plpgsql AS $$
BEGIN PERFORM trap.sprung('table_moments'); RETURN NULL; END $$;
CREATE FUNCTION trap.reliability(m survey_reg.moments) RETURNS SETOF record LANGUAGE plpgsql AS $$
BEGIN PERFORM trap.sprung('reliability'); END $$;
CREATE FUNCTION trap.item_total(m survey_reg.moments) RETURNS SETOF record LANGUAGE plpgsql AS $$
BEGIN PERFORM trap.sprung('item_total'); END $$;
CREATE FUNCTION trap.rename(m survey_reg.moments, names text[]) RETURNS survey_reg.moments
LANGUAGE plpgsql AS $$ BEGIN PERFORM trap.sprung('rename'); RETURN m; END $$;
CREATE FUNCTION trap.moments_of(VARIADIC float8[]) RETURNS survey_reg.moments
LANGUAGE plpgsql AS $$ BEGIN PERFORM trap.sprung('moments_of'); RETURN NULL; END $$;
CREATE FUNCTION trap.float8(anyelement) RETURNS float8 LANGUAGE plpgsql AS $$
BEGIN PERFORM trap.sprung('float8()'); RETURN 0; END $$;
CREATE DOMAIN trap.float8 AS pg_catalog.float8 CHECK (trap.sprung('domain float8') IS NULL);
CREATE DOMAIN trap.text AS pg_catalog.text CHECK (trap.sprung('domain text') IS NULL);
CREATE FUNCTION trap.eq(float8, float8) RETURNS bool LANGUAGE plpgsql AS $$
BEGIN PERFORM trap.sprung('operator ='); RETURN true; END $$;
CREATE OPERATOR trap.= (LEFTARG = float8, RIGHTARG = float8, FUNCTION = trap.eq);
CREATE TABLE trap.hostile_survey (alder float8);	-- the caller's own resolution
GRANT USAGE ON SCHEMA trap TO PUBLIC;

CREATE TEMP TABLE clean_results AS
SELECT (SELECT array_agg(d::text) FROM survey_reg.describe('public.hostile_survey',
		ARRAY['styring_a', 'styring_b', 'alder'], weight => 'weight') d) AS describe,
	(SELECT array_agg(r::text) FROM survey_reg.reliability('public.hostile_survey',
		ARRAY['styring_a', 'styring_b', 'belast_stor']) r) AS reliability,
	(SELECT array_agg(r::text) FROM survey_reg.item_total('public.hostile_survey',
		ARRAY['styring_a', 'styring_b', 'belast_stor']) r) AS item_total,
	(SELECT array_agg(r::text) FROM survey_reg.coefficients('public.hostile_survey',
		'individualisering', ARRAY['styring_a', 'alder, ratio']) r) AS coefficients,
	(SELECT array_agg(r::text) FROM survey_reg.correlations('public.hostile_survey',
		ARRAY['styring_a', 'alder'], missing => 'pairwise') r) AS correlations,
	(SELECT survey_reg.cronbach_alpha(ARRAY[styring_a, styring_b, belast_stor])
	 FROM public.hostile_survey) AS alpha;

-- under the trap path, results go to a temp table with nothing but
-- qualified names (this test's own comparisons must not be trapped)
SET LOCAL search_path = trap, pg_catalog, public;
CREATE TEMP TABLE trapped_results AS
SELECT (SELECT pg_catalog.array_agg(d::pg_catalog.text) FROM survey_reg.describe('public.hostile_survey',
		ARRAY['styring_a', 'styring_b', 'alder'], weight => 'weight') d) AS describe,
	(SELECT pg_catalog.array_agg(r::pg_catalog.text) FROM survey_reg.reliability('public.hostile_survey',
		ARRAY['styring_a', 'styring_b', 'belast_stor']) r) AS reliability,
	(SELECT pg_catalog.array_agg(r::pg_catalog.text) FROM survey_reg.item_total('public.hostile_survey',
		ARRAY['styring_a', 'styring_b', 'belast_stor']) r) AS item_total,
	(SELECT pg_catalog.array_agg(r::pg_catalog.text) FROM survey_reg.coefficients('public.hostile_survey',
		'individualisering', ARRAY['styring_a', 'alder, ratio']) r) AS coefficients,
	(SELECT pg_catalog.array_agg(r::pg_catalog.text) FROM survey_reg.correlations('public.hostile_survey',
		ARRAY['styring_a', 'alder'], missing => 'pairwise') r) AS correlations,
	(SELECT survey_reg.cronbach_alpha(ARRAY[styring_a, styring_b, belast_stor])
	 FROM public.hostile_survey) AS alpha,
	-- the caller's own search_path still decides what a bare name is
	(SELECT n FROM survey_reg.describe('hostile_survey', ARRAY['alder'])) AS bare_name_n;
RESET search_path;

SELECT is((SELECT describe FROM trapped_results), (SELECT describe FROM clean_results),
	'search_path trap: describe unaffected');
SELECT is((SELECT reliability FROM trapped_results), (SELECT reliability FROM clean_results),
	'search_path trap: reliability (SQL function) unaffected');
SELECT is((SELECT item_total FROM trapped_results), (SELECT item_total FROM clean_results),
	'search_path trap: item_total (SQL function) unaffected');
SELECT is((SELECT coefficients FROM trapped_results), (SELECT coefficients FROM clean_results),
	'search_path trap: coefficients unaffected');
SELECT is((SELECT correlations FROM trapped_results), (SELECT correlations FROM clean_results),
	'search_path trap: pairwise correlations unaffected');
SELECT is((SELECT alpha FROM trapped_results), (SELECT alpha FROM clean_results),
	'search_path trap: cronbach_alpha unaffected');
SELECT is((SELECT bare_name_n FROM trapped_results), 0::float8,
	'a bare relation name resolves with the caller''s search_path (trap.hostile_survey, empty)');

-- static check: functions of the extension in SQL or PL/pgSQL either fix
-- search_path or are listed here as checked by the trap above
SELECT is(
	ARRAY(SELECT p.oid::regprocedure::text
	      FROM pg_proc p JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
	      JOIN pg_extension e ON e.oid = d.refobjid AND d.deptype = 'e'
	      JOIN pg_language l ON l.oid = p.prolang
	      WHERE e.extname = 'survey_reg' AND l.lanname NOT IN ('c', 'internal')
	        AND NOT coalesce(p.proconfig::text LIKE '%search_path%', false)
	        AND p.prosrc !~ 'survey_reg\.'
	      ORDER BY 1),
	ARRAY[]::text[],
	'every SQL-language function of the extension schema-qualifies its references or fixes search_path');

SELECT is((SELECT count(*) FROM victim), 1::bigint, 'the victim table is still intact');

SELECT * FROM finish();
ROLLBACK;
