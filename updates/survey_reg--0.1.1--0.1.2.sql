-- survey_reg 0.1.1 -> 0.1.2
--
-- Every change to src/sql/ in 0.1.2 is repeated here, in the same order;
-- test/persistence.sql checks that updating from 0.1.0 or 0.1.1 gives a
-- fresh install's objects.

\echo Use "ALTER EXTENSION survey_reg UPDATE TO '0.1.2'" to load this file. \quit

-- issue 12, item 6: privileges for every role (src/sql/90_privileges.sql;
-- stays the last section: ALL FUNCTIONS must see every function)
GRANT USAGE ON SCHEMA survey_reg TO PUBLIC;
GRANT USAGE ON TYPE survey_reg.moments TO PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA survey_reg TO PUBLIC;
