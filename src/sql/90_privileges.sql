-- Privileges (issue 12): every role may use survey_reg.  No function is
-- SECURITY DEFINER: the state functions read only their arguments, and the
-- table-name forms run their one query through SPI as the calling role, so
-- granting everything to PUBLIC exposes no data.  Granted explicitly rather
-- than left to the defaults, so that an ALTER DEFAULT PRIVILEGES ... REVOKE
-- of the installing role cannot leave the extension unusable, and so that
-- pg_init_privs records these as the extension's initial privileges (a
-- DBA's later REVOKE is then kept by pg_dump).  Runs last: ALL FUNCTIONS
-- must see every function.
GRANT USAGE ON SCHEMA survey_reg TO PUBLIC;
GRANT USAGE ON TYPE survey_reg.moments TO PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA survey_reg TO PUBLIC;
