-- Every public object of schema survey_reg has a COMMENT (issue 14, item 3):
-- psql's \df+ / \dT+, BI catalog browsers and IDEs show it.  Public means
-- every function, aggregate and type whose name does not begin with an
-- underscore (the internal helpers, src/sql/50_report.sql) and that is not
-- an array type PostgreSQL made for a base type.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SELECT plan(4);

CREATE TEMP VIEW uncommented AS
SELECT 'function ' || p.oid::regprocedure::text AS object
FROM pg_proc p
WHERE p.pronamespace = 'survey_reg'::regnamespace AND p.proname !~ '^_'
	AND obj_description(p.oid, 'pg_proc') IS NULL
UNION ALL
SELECT 'type ' || t.oid::regtype::text
FROM pg_type t
WHERE t.typnamespace = 'survey_reg'::regnamespace AND t.typname !~ '^_'
	AND obj_description(t.oid, 'pg_type') IS NULL;

SELECT is_empty('SELECT object FROM uncommented ORDER BY 1',
	'every public function, aggregate and type of survey_reg has a COMMENT');

-- one line each
SELECT is_empty($$SELECT p.oid::regprocedure::text FROM pg_proc p
	WHERE p.pronamespace = 'survey_reg'::regnamespace
		AND obj_description(p.oid, 'pg_proc') ~ E'\n'$$,
	'every COMMENT is one line');

-- the count checked, so that a catalog query that found nothing cannot pass
SELECT cmp_ok((SELECT count(*)::int FROM pg_proc
	WHERE pronamespace = 'survey_reg'::regnamespace AND proname !~ '^_'), '>=', 75,
	'the public functions and aggregates are all seen (66 before the long forms, 9 long forms)');

-- negative control, in the test itself: without one comment the check fails
BEGIN;
COMMENT ON FUNCTION survey_reg.rename(survey_reg.moments, text[]) IS NULL;
SELECT coalesce(string_agg(object, '; '), '') AS dropped FROM uncommented \gset
ROLLBACK;
SELECT is(:'dropped'::text, 'function survey_reg.rename(survey_reg.moments,text[])'::text,
	'a dropped COMMENT is found');

SELECT * FROM finish();
