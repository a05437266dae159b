
-- build_info: what the library was built with and which code paths it takes
-- (added in 0.1.1; survey_reg--0.1.0--0.1.1.sql creates the same)
CREATE FUNCTION survey_reg.build_info()
RETURNS TABLE(item text, value text)
AS 'MODULE_PATHNAME', 'build_info' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survey_reg.build_info() IS
	'library version, update kernel (AVX2+FMA or portable; same results), batch size, maximum number of variables, BLAS threading';
