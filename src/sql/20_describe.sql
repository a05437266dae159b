-- Descriptives and correlations, of a state and of a table.

CREATE FUNCTION survey_reg.describe(m survey_reg.moments)
RETURNS TABLE(variable text, n float8, mean float8, sd float8, min float8,
	max float8, skewness float8, kurtosis float8)
AS 'MODULE_PATHNAME', 'describe_state' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION survey_reg.correlations(m survey_reg.moments)
RETURNS TABLE(var1 text, var2 text, r float8, p float8, n float8)
AS 'MODULE_PATHNAME', 'correlations_state' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION survey_reg.describe(source text, variables text[],
	missing text DEFAULT 'listwise', weight text DEFAULT NULL)
RETURNS TABLE(variable text, n float8, mean float8, sd float8, min float8,
	max float8, skewness float8, kurtosis float8)
AS 'MODULE_PATHNAME', 'describe_table' LANGUAGE C STABLE PARALLEL RESTRICTED;

CREATE FUNCTION survey_reg.correlations(source text, variables text[],
	missing text DEFAULT 'listwise', weight text DEFAULT NULL)
RETURNS TABLE(var1 text, var2 text, r float8, p float8, n float8)
AS 'MODULE_PATHNAME', 'correlations_table' LANGUAGE C STABLE PARALLEL RESTRICTED;
