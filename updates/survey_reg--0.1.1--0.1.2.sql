-- survey_reg 0.1.1 -> 0.1.2
--
-- Every change to src/sql/ in 0.1.2 is repeated here, in the same order;
-- test/persistence.sql checks that updating from 0.1.0 or 0.1.1 gives a
-- fresh install's objects.

\echo Use "ALTER EXTENSION survey_reg UPDATE TO '0.1.2'" to load this file. \quit

-- issue 12, item 6: _check_column (used by frequencies) in C, so that a
-- caller without SELECT gets the table-name forms' 42501 with its detail
-- and hint (src/sql/50_report.sql)
CREATE OR REPLACE FUNCTION survey_reg._check_column(rel regclass, col text)
RETURNS void
AS 'MODULE_PATHNAME', 'check_column_sql' LANGUAGE C STABLE PARALLEL SAFE;

-- issue 12, item 6: privileges for every role (src/sql/90_privileges.sql;
-- stays the last section: ALL FUNCTIONS must see every function)
GRANT USAGE ON SCHEMA survey_reg TO PUBLIC;
GRANT USAGE ON TYPE survey_reg.moments TO PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA survey_reg TO PUBLIC;
