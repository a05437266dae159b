-- Roles and privileges (issue 12, item 6), with real roles that are not
-- superusers:
--   1. PUBLIC may use every function: no grant on survey_reg is needed;
--   2. a role with SELECT on one table runs every table-name analysis on it
--      and gets what a superuser gets;
--   3. a BI role with SELECT on views only: a view over the aggregate form
--      answers (checked with the view owner's rights), a view over a
--      table-name function fails with 42501 and says why;
--   4. a database owner who is not a superuser installs the extension
--      (trusted = true); a role without CREATE on the database cannot.
-- Everything, the roles included, is rolled back at the end.
BEGIN;
SELECT plan(41);
SET LOCAL client_min_messages = warning;

CREATE ROLE survey_reg_data_owner NOLOGIN;
CREATE ROLE survey_reg_analyst NOLOGIN;
CREATE ROLE survey_reg_bi NOLOGIN;

CREATE SCHEMA roles_data AUTHORIZATION survey_reg_data_owner;
\set survey_table roles_data.analysis
\ir include/sample_survey_table.sql
CREATE TABLE roles_data.other (a float8, b float8);
INSERT INTO roles_data.other VALUES (1, 2), (2, 3), (4, 3);
ALTER TABLE roles_data.analysis OWNER TO survey_reg_data_owner;
ALTER TABLE roles_data.other OWNER TO survey_reg_data_owner;
GRANT USAGE ON SCHEMA roles_data TO survey_reg_analyst, survey_reg_bi;
GRANT SELECT ON roles_data.analysis TO survey_reg_analyst;

-- ------------------------------------------------------------------
-- 1. PUBLIC's privileges are enough, and nothing runs as its definer
-- ------------------------------------------------------------------
SELECT ok(has_schema_privilege('survey_reg_analyst', 'survey_reg', 'USAGE'),
	'a role with no grant of its own has USAGE on schema survey_reg');
SELECT is(
	(SELECT count(*) FROM pg_proc WHERE pronamespace = 'survey_reg'::regnamespace
	 AND NOT has_function_privilege('survey_reg_analyst', oid, 'EXECUTE')),
	0::bigint, 'and EXECUTE on every function of the schema');
SELECT ok(has_type_privilege('survey_reg_analyst', 'survey_reg.moments', 'USAGE'),
	'and USAGE on type survey_reg.moments');
SELECT is(
	(SELECT count(*) FROM pg_proc WHERE pronamespace = 'survey_reg'::regnamespace AND prosecdef),
	0::bigint, 'no function is SECURITY DEFINER');

-- ------------------------------------------------------------------
-- 2. every table-name analysis, as a superuser and as the analyst
-- ------------------------------------------------------------------
CREATE FUNCTION pg_temp.analyses() RETURNS TABLE (analysis text, result text)
LANGUAGE sql AS $$
	SELECT 'table_moments', survey_reg.table_moments('roles_data.analysis',
		ARRAY['individualisering', 'styring_a', 'alder'], weight => 'weight')::text
	UNION ALL
	SELECT 'describe', string_agg(d::text, ' | ' ORDER BY d.variable)
	FROM survey_reg.describe('roles_data.analysis', ARRAY['individualisering', 'alder']) d
	UNION ALL
	SELECT 'describe (pairwise, weighted)', string_agg(d::text, ' | ' ORDER BY d.variable)
	FROM survey_reg.describe('roles_data.analysis', ARRAY['individualisering', 'ratio'],
		missing => 'pairwise', weight => 'weight') d
	UNION ALL
	SELECT 'correlations (pairwise)', string_agg(c::text, ' | ' ORDER BY c.var1, c.var2)
	FROM survey_reg.correlations('roles_data.analysis', ARRAY['individualisering', 'styring_a', 'ratio'],
		missing => 'pairwise') c
	UNION ALL
	SELECT 'reliability', string_agg(r::text, ' | ')
	FROM survey_reg.reliability('roles_data.analysis', ARRAY['belast_tid', 'belast_krav', 'belast_stor']) r
	UNION ALL
	SELECT 'item_total', string_agg(r::text, ' | ' ORDER BY r.item)
	FROM survey_reg.item_total('roles_data.analysis', ARRAY['belast_tid', 'belast_krav', 'belast_stor']) r
	UNION ALL
	SELECT 'coefficients', string_agg(c::text, ' | ' ORDER BY c.model, c.term)
	FROM survey_reg.coefficients('roles_data.analysis', 'individualisering',
		ARRAY['styring_a, styring_b', 'alder, kjonn']) c
	UNION ALL
	SELECT 'coefficients (cluster-robust)', string_agg(c::text, ' | ' ORDER BY c.model, c.term)
	FROM survey_reg.coefficients('roles_data.analysis', 'individualisering',
		ARRAY['styring_a, styring_b'], se => 'cluster', cluster => 'office_id') c
	UNION ALL
	SELECT 'model_summary', string_agg(s::text, ' | ' ORDER BY s.model)
	FROM survey_reg.model_summary('roles_data.analysis', 'individualisering',
		ARRAY['styring_a, styring_b', 'alder, kjonn'], weight => 'weight') s
	UNION ALL
	SELECT 'frequencies', string_agg(f::text, ' | ')
	FROM survey_reg.frequencies('roles_data.analysis', 'individualisering') f
	UNION ALL
	SELECT 'regression_table', string_agg(l.line, E'\n' ORDER BY l.row_no)
	FROM survey_reg.regression_table('roles_data.analysis', 'individualisering',
		ARRAY['styring_a, styring_b', 'alder, kjonn']) l
	UNION ALL
	SELECT 'correlation_table', string_agg(l.line, E'\n' ORDER BY l.row_no)
	FROM survey_reg.correlation_table('roles_data.analysis', ARRAY['individualisering', 'styring_a', 'alder']) l
	UNION ALL
	SELECT 'descriptives_table', string_agg(l.line, E'\n' ORDER BY l.row_no)
	FROM survey_reg.descriptives_table('roles_data.analysis', ARRAY['individualisering', 'alder']) l
	UNION ALL
	SELECT 'reliability_table', string_agg(l.line, E'\n' ORDER BY l.row_no)
	FROM survey_reg.reliability_table('roles_data.analysis', ARRAY['belastning'],
		ARRAY['belast_tid, belast_krav, belast_stor']) l
	UNION ALL
	SELECT 'frequency_table', string_agg(l.line, E'\n' ORDER BY l.row_no)
	FROM survey_reg.frequency_table('roles_data.analysis', 'individualisering') l
	UNION ALL
	SELECT 'frequency_chart', string_agg(l.line, E'\n' ORDER BY l.row_no)
	FROM survey_reg.frequency_chart('roles_data.analysis', 'individualisering') l
	UNION ALL
	SELECT 'report', survey_reg.report('roles_data.analysis', 'individualisering',
		ARRAY['styring_a, styring_b', 'alder, kjonn'], format => 'markdown',
		generated_at => '2026-01-01 00:00+00')
$$;

CREATE TEMP TABLE as_superuser AS SELECT * FROM pg_temp.analyses();
SELECT is((SELECT count(*) FROM as_superuser WHERE result IS NOT NULL), 17::bigint,
	'every table-name analysis gives a result as a superuser (17)');

SET LOCAL ROLE survey_reg_analyst;
CREATE TEMP TABLE as_analyst AS SELECT * FROM pg_temp.analyses();
RESET ROLE;

SELECT is(a.result, s.result,
	'a role with SELECT on the table only: ' || s.analysis || ' as a superuser''s')
FROM as_superuser s LEFT JOIN as_analyst a USING (analysis)
ORDER BY s.analysis;

-- every part of an error, to check what it says
CREATE FUNCTION pg_temp.error_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE state text; msg text; det text; hint text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
		det = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
	RETURN concat_ws(' | ', state, msg, det, hint);
END $$;

SET LOCAL ROLE survey_reg_analyst;
SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('roles_data.other', ARRAY['a'])$$,
	'42501', 'permission denied for table other',
	'the analyst on a table it may not read: 42501');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.frequencies('roles_data.other', 'a')$$,
	'42501', 'permission denied for table other',
	'frequencies likewise');
SELECT alike(pg_temp.error_of($$SELECT * FROM survey_reg.frequency_table('roles_data.other', 'a')$$),
	'42501 | permission denied for table other | %privileges of the role that calls them (survey_reg_analyst)%aggregate form%',
	'the SQL-language forms (frequency_table) give the C forms'' detail and hint');
RESET ROLE;

-- ------------------------------------------------------------------
-- 3. a BI tool's role with SELECT on views only
-- ------------------------------------------------------------------
SET LOCAL ROLE survey_reg_data_owner;
CREATE VIEW roles_data.bi_describe AS
SELECT d.*
FROM (SELECT survey_reg.moments(ARRAY[individualisering, styring_a, alder],
		ARRAY['individualisering', 'styring_a', 'alder']) AS m
      FROM roles_data.analysis) s,
	LATERAL survey_reg.describe(s.m) d;
CREATE VIEW roles_data.bi_describe_by_name AS
SELECT * FROM survey_reg.describe('roles_data.analysis',
	ARRAY['individualisering', 'styring_a', 'alder']);
GRANT SELECT ON roles_data.bi_describe, roles_data.bi_describe_by_name TO survey_reg_bi;
RESET ROLE;

CREATE TEMP TABLE expected_describe AS
SELECT * FROM survey_reg.describe('roles_data.analysis', ARRAY['individualisering', 'styring_a', 'alder']);
GRANT SELECT ON expected_describe TO survey_reg_bi;

SET LOCAL ROLE survey_reg_bi;
SELECT throws_ok('SELECT * FROM roles_data.analysis', '42501',
	'permission denied for table analysis', 'the BI role cannot read the table itself');
SELECT results_eq(
	'SELECT * FROM roles_data.bi_describe ORDER BY variable',
	'SELECT * FROM expected_describe ORDER BY variable',
	'the BI role reads the aggregate-form view: a superuser''s describe rows');
SELECT is((SELECT count(*) FROM roles_data.bi_describe), 3::bigint,
	'the aggregate-form view has a row per variable (3)');
SELECT throws_ok('SELECT * FROM roles_data.bi_describe_by_name', '42501',
	'permission denied for table analysis',
	'the view over the table-name form: 42501 (the function reads as the caller)');
SELECT alike(pg_temp.error_of('SELECT * FROM roles_data.bi_describe_by_name'),
	'42501 | permission denied for table analysis | %privileges of the role that calls them (survey_reg_bi), also when they are called from a view.%',
	'the error says whose privileges count and that a view does not change that');
SELECT alike(pg_temp.error_of('SELECT * FROM roles_data.bi_describe_by_name'),
	'%build the view over the aggregate form%LATERAL survey_reg.describe(s.m)%',
	'its hint gives the aggregate-form recipe');
SELECT throws_ok(
	$$SELECT * FROM survey_reg.describe('roles_data.analysis', ARRAY['alder'])$$,
	'42501', 'permission denied for table analysis',
	'nor can the BI role call the table-name form itself');
RESET ROLE;

-- ------------------------------------------------------------------
-- 4. a database owner who is not a superuser installs it
-- ------------------------------------------------------------------
CREATE ROLE survey_reg_db_owner NOLOGIN;
CREATE ROLE survey_reg_no_create NOLOGIN;
DROP EXTENSION survey_reg CASCADE;
DROP SCHEMA survey_reg;
DO $$ BEGIN
	EXECUTE format('ALTER DATABASE %I OWNER TO survey_reg_db_owner', current_database());
END $$;

SET LOCAL ROLE survey_reg_no_create;
SELECT throws_ok('CREATE EXTENSION survey_reg', '42501', NULL,
	'a role without CREATE on the database cannot install it');
RESET ROLE;

SET LOCAL ROLE survey_reg_db_owner;
SELECT ok(NOT rolsuper, 'the database owner is not a superuser')
FROM pg_roles WHERE rolname = current_user;
SELECT lives_ok('CREATE EXTENSION survey_reg',
	'the database owner installs it (trusted = true)');
SELECT is((SELECT extowner::regrole::text FROM pg_extension WHERE extname = 'survey_reg'),
	'survey_reg_db_owner', 'the extension belongs to the database owner');
SELECT is((SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'survey_reg'),
	'survey_reg_db_owner', 'and so does the schema CREATE EXTENSION made');
SELECT is(
	(SELECT count(*) FROM pg_proc WHERE pronamespace = 'survey_reg'::regnamespace
	 AND proowner <> 10),
	0::bigint, 'its functions belong to the bootstrap superuser: the owner cannot redefine them');
SELECT throws_ok(
	$$CREATE OR REPLACE FUNCTION survey_reg.reverse(x float8, lo float8, hi float8)
	  RETURNS float8 LANGUAGE sql AS 'SELECT 0::float8'$$,
	'42501', 'must be owner of function reverse',
	'the database owner cannot replace an extension function');
SELECT lives_ok(
	$$SELECT * FROM survey_reg.describe(survey_reg.moments_from_matrix(ARRAY['a', 'b'], 10,
		ARRAY[[1, 0.5], [0.5, 1]]::float8[]))$$,
	'the database owner uses it');
RESET ROLE;

SET LOCAL ROLE survey_reg_analyst;
CREATE TEMP TABLE after_owner_install AS
SELECT string_agg(d::text, ' | ' ORDER BY d.variable) AS result
FROM survey_reg.describe('roles_data.analysis', ARRAY['individualisering', 'alder']) d;
RESET ROLE;
SELECT is((SELECT result FROM after_owner_install),
	(SELECT result FROM as_superuser WHERE analysis = 'describe'),
	'after the owner''s install, the analyst runs describe with no grant on survey_reg');

SELECT * FROM finish();
ROLLBACK;
