-- survey_reg 0.1.0 -> 0.1.1
--
-- 0.1.1 adds rows to the moments state in batches (src/core/moments_batch.c;
-- C only: the state's stored form, every function and every aggregate are
-- unchanged) and build_info().  Keep in step with src/sql/60_build_info.sql:
-- test/persistence.sql checks that this update gives a fresh install's
-- objects.

\echo Use "ALTER EXTENSION survey_reg UPDATE TO '0.1.1'" to load this file. \quit

CREATE FUNCTION survey_reg.build_info()
RETURNS TABLE(item text, value text)
AS 'MODULE_PATHNAME', 'build_info' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survey_reg.build_info() IS
	'library version, update kernel (AVX2+FMA or portable; same results), batch size, maximum number of variables, BLAS threading';
