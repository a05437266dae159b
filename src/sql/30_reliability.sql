-- Scale indices (respondent level) and reliability (of a state, of a table,
-- and as an aggregate).

CREATE FUNCTION survey_reg.mean_index(items float8[], min_valid int DEFAULT NULL)
RETURNS float8
AS 'MODULE_PATHNAME', 'mean_index' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION survey_reg.mean_index(float8[], int) IS
	'mean of the valid items when at least min_valid are valid (SPSS MEAN.n); NULL min_valid = all items; NULL, NaN and Infinity are missing';

CREATE FUNCTION survey_reg.sum_index(items float8[], min_valid int DEFAULT NULL,
	prorate bool DEFAULT false)
RETURNS float8
AS 'MODULE_PATHNAME', 'sum_index' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION survey_reg.sum_index(float8[], int, bool) IS
	'sum of the valid items under the MEAN.n rule (SPSS SUM.n); prorate scales it to all items (mean x k)';

CREATE FUNCTION survey_reg.reverse(x float8, lo float8, hi float8)
RETURNS float8
AS 'MODULE_PATHNAME', 'reverse_item' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survey_reg.reverse(float8, float8, float8) IS
	'reverse-scored item lo + hi - x; an x outside [lo, hi] is an error';

CREATE FUNCTION survey_reg.reliability(m survey_reg.moments)
RETURNS TABLE(k int, n float8, alpha float8, std_alpha float8, mean_r float8,
	min_r float8, max_r float8, alpha_ci_lower float8, alpha_ci_upper float8,
	omega_total float8, lambda6 float8)
AS 'MODULE_PATHNAME', 'reliability_state' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survey_reg.reliability(survey_reg.moments) IS
	'Cronbach''s alpha, standardized alpha, inter-item correlations, 95% Feldt interval, McDonald''s omega total (one-factor minres) and Guttman''s lambda 6';

CREATE FUNCTION survey_reg.item_total(m survey_reg.moments)
RETURNS TABLE(item text, mean float8, sd float8, scale_mean_if_deleted float8,
	scale_var_if_deleted float8, corrected_item_total_r float8,
	squared_multiple_r float8, alpha_if_deleted float8)
AS 'MODULE_PATHNAME', 'item_total_state' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survey_reg.item_total(survey_reg.moments) IS
	'item-total statistics as SPSS RELIABILITY /SUMMARY=TOTAL';

-- Table-name forms: one scan with the caller's privileges, then the state
-- function.  weight is an optional frequency-weight column.
CREATE FUNCTION survey_reg.reliability(source text, items text[],
	weight text DEFAULT NULL)
RETURNS TABLE(k int, n float8, alpha float8, std_alpha float8, mean_r float8,
	min_r float8, max_r float8, alpha_ci_lower float8, alpha_ci_upper float8,
	omega_total float8, lambda6 float8)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT * FROM survey_reg.reliability(
		survey_reg.table_moments(source, items, weight))
$$;

CREATE FUNCTION survey_reg.item_total(source text, items text[],
	weight text DEFAULT NULL)
RETURNS TABLE(item text, mean float8, sd float8, scale_mean_if_deleted float8,
	scale_var_if_deleted float8, corrected_item_total_r float8,
	squared_multiple_r float8, alpha_if_deleted float8)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT * FROM survey_reg.item_total(
		survey_reg.table_moments(source, items, weight))
$$;

-- cronbach_alpha(items): the moments aggregate with an alpha finalfunc, so
-- it is parallel (combine) and GROUP BY capable like moments itself.
CREATE FUNCTION survey_reg.cronbach_alpha_final(survey_reg.moments)
RETURNS float8
AS 'MODULE_PATHNAME', 'cronbach_alpha_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE survey_reg.cronbach_alpha(items float8[]) (
	SFUNC = survey_reg.moments_transfn,
	STYPE = survey_reg.moments,
	COMBINEFUNC = survey_reg.moments_combinefn,
	FINALFUNC = survey_reg.cronbach_alpha_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE survey_reg.cronbach_alpha(float8[]) IS
	'Cronbach''s alpha over the listwise-complete rows';
