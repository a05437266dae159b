-- Hierarchical (blockwise) OLS: coefficients and model summaries, of a state
-- and of a table.  blocks: each element a comma-separated list of
-- predictors; model j has the predictors of blocks 1..j.

CREATE FUNCTION survey_reg.coefficients(m survey_reg.moments, dependent text,
	blocks text[], intercept bool DEFAULT true)
RETURNS TABLE(model int, term text, b float8, se float8, beta float8,
	t float8, p float8, ci_lower float8, ci_upper float8, tolerance float8,
	vif float8)
AS 'MODULE_PATHNAME', 'coefficients_state' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survey_reg.coefficients(survey_reg.moments, text, text[], bool) IS
	'hierarchical OLS coefficients per model: b, SE, standardized beta, t, p, 95% CI, tolerance, VIF; aliased predictors NULL';

CREATE FUNCTION survey_reg.model_summary(m survey_reg.moments, dependent text,
	blocks text[], intercept bool DEFAULT true)
RETURNS TABLE(model int, n float8, predictors int, r float8, r2 float8,
	adj_r2 float8, se_estimate float8, f float8, df1 int, df2 float8,
	p float8, r2_change float8, f_change float8, df1_change int,
	df2_change float8, p_change float8)
AS 'MODULE_PATHNAME', 'model_summary_state' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survey_reg.model_summary(survey_reg.moments, text, text[], bool) IS
	'hierarchical OLS model summary per model: R, R2, adjusted R2, SE of the estimate, F test, and the SPSS R2 change / F change against the previous model';

-- Table-name forms: one scan, listwise over the dependent and every
-- predictor of every block.  Not STRICT (weight may be NULL); a NULL source,
-- dependent, blocks or intercept gives no rows; a NULL option means its
-- default.  The inference options (se, cluster, strata, weight_type,
-- lonely_psu; src/robust.c) add a second scan for every se but 'classical'
-- and for probability weights; the design arguments (fpc, cluster2, fpc2,
-- domain; src/design_meat.c) take se => 'design'.
CREATE FUNCTION survey_reg.coefficients(source text, dependent text,
	blocks text[], weight text DEFAULT NULL, intercept bool DEFAULT true,
	se text DEFAULT 'classical', cluster text DEFAULT NULL,
	strata text DEFAULT NULL, weight_type text DEFAULT 'frequency',
	lonely_psu text DEFAULT 'fail', fpc text DEFAULT NULL,
	cluster2 text DEFAULT NULL, fpc2 text DEFAULT NULL,
	domain text DEFAULT NULL)
RETURNS TABLE(model int, term text, b float8, se float8, beta float8,
	t float8, p float8, ci_lower float8, ci_upper float8, tolerance float8,
	vif float8)
AS 'MODULE_PATHNAME', 'coefficients_table' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION survey_reg.coefficients(text, text, text[], text, bool, text, text, text, text, text, text, text, text, text) IS
	'hierarchical OLS coefficients of a table or view (one scan; blocks of terms: col, factor(col), factor(col, ''ref''), a:b, a*b, booleans as 0/1; weight = frequency- or probability-weight column; se = classical, hc0-hc3, cluster (CR1) or design (linearization) with cluster and strata columns, a first-stage fpc, a second stage (cluster2, fpc2) and a domain)';

CREATE FUNCTION survey_reg.model_summary(source text, dependent text,
	blocks text[], weight text DEFAULT NULL, intercept bool DEFAULT true,
	se text DEFAULT 'classical', cluster text DEFAULT NULL,
	strata text DEFAULT NULL, weight_type text DEFAULT 'frequency',
	lonely_psu text DEFAULT 'fail', fpc text DEFAULT NULL,
	cluster2 text DEFAULT NULL, fpc2 text DEFAULT NULL,
	domain text DEFAULT NULL)
RETURNS TABLE(model int, n float8, predictors int, r float8, r2 float8,
	adj_r2 float8, se_estimate float8, f float8, df1 int, df2 float8,
	p float8, r2_change float8, f_change float8, df1_change int,
	df2_change float8, p_change float8)
AS 'MODULE_PATHNAME', 'model_summary_table' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION survey_reg.model_summary(text, text, text[], text, bool, text, text, text, text, text, text, text, text, text) IS
	'hierarchical OLS model summaries of a table or view (one scan; blocks of terms as coefficients; with a robust se, F and F change are Wald tests with that variance; design arguments as coefficients)';

-- Model terms for the formatted tables (src/model_terms.c): the state over
-- the model's columns (factor indicators, products, booleans as 0/1) and
-- the blocks over their names, from one scan
CREATE FUNCTION survey_reg._model_moments(source text, dependent text,
	blocks text[], weight text, OUT m survey_reg.moments,
	OUT model_blocks text[])
AS 'MODULE_PATHNAME', 'model_moments_sql' LANGUAGE C STABLE PARALLEL RESTRICTED;

-- Model terms (src/moments_by.c): one moments state per combination of
-- factor levels in one ungrouped scan (model_terms.c; cheaper than GROUP
-- BY), at most 1000 combinations
CREATE FUNCTION survey_reg._moments_by_transfn(bytea, text, VARIADIC "any")
RETURNS bytea
AS 'MODULE_PATHNAME', 'moments_by_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg._moments_by_weighted_transfn(bytea, text, float8, VARIADIC "any")
RETURNS bytea
AS 'MODULE_PATHNAME', 'moments_by_weighted_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg._moments_by_combinefn(bytea, bytea)
RETURNS bytea
AS 'MODULE_PATHNAME', 'moments_by_combinefn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_reg._moments_by_finalfn(bytea)
RETURNS bytea
AS 'MODULE_PATHNAME', 'moments_by_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE survey_reg._moments_by(text, VARIADIC "any") (
	SFUNC = survey_reg._moments_by_transfn,
	STYPE = bytea,
	COMBINEFUNC = survey_reg._moments_by_combinefn,
	FINALFUNC = survey_reg._moments_by_finalfn,
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_reg._moments_by_weighted(text, float8, VARIADIC "any") (
	SFUNC = survey_reg._moments_by_weighted_transfn,
	STYPE = bytea,
	COMBINEFUNC = survey_reg._moments_by_combinefn,
	FINALFUNC = survey_reg._moments_by_finalfn,
	PARALLEL = SAFE
);
