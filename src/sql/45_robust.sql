-- Survey-grade inference at the aggregate level (src/robust.c): the pieces
-- the table-name forms' second scan is made of, for states built with GROUP
-- BY.  robust_fit gives every model's fit from a state; scores maps a row
-- to its score vector; score_sum totals them per cluster; meat accumulates
-- units (rows, clusters or PSUs) per stratum; robust_coefficients /
-- robust_model_summary of a state and a meat give the robust variances.
-- (Own names rather than overloads of coefficients / model_summary: an
-- overload with a bytea where those take a bool or text would make
-- positional NULL arguments ambiguous.)

CREATE FUNCTION survey_reg.robust_fit(m survey_reg.moments, dependent text,
	blocks text[], se text, intercept bool DEFAULT true,
	weight_type text DEFAULT 'frequency')
RETURNS float8[]
AS 'MODULE_PATHNAME', 'robust_fit_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survey_reg.robust_fit(survey_reg.moments, text, text[], text, bool, text) IS
	'the coefficients and inverse cross-products of every model (se hc0-hc3, cluster or design), as scores() and meat() need them';

-- not STRICT: an incomplete row (NULL, NaN or infinite value) has a NULL score
CREATE FUNCTION survey_reg.scores(fit float8[], vars float8[])
RETURNS float8[]
AS 'MODULE_PATHNAME', 'robust_scores_sql' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg.scores(fit float8[], vars float8[], weight float8)
RETURNS float8[]
AS 'MODULE_PATHNAME', 'robust_scores_sql' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION survey_reg.scores(float8[], float8[], float8) IS
	'a row''s score vector for every model of a robust_fit (vars: the dependent, then the predictors in block order); NULL for an incomplete row';

CREATE FUNCTION survey_reg.score_sum_transfn(float8[], float8[])
RETURNS float8[]
AS 'MODULE_PATHNAME', 'score_sum_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg.score_sum_combinefn(float8[], float8[])
RETURNS float8[]
AS 'MODULE_PATHNAME', 'score_sum_combinefn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_reg.score_sum_finalfn(float8[])
RETURNS float8[]
AS 'MODULE_PATHNAME', 'score_sum_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE survey_reg.score_sum(float8[]) (
	SFUNC = survey_reg.score_sum_transfn,
	STYPE = float8[],
	COMBINEFUNC = survey_reg.score_sum_combinefn,
	FINALFUNC = survey_reg.score_sum_finalfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE survey_reg.score_sum(float8[]) IS
	'elementwise sum of score vectors (double-double), e.g. per cluster; NULL when every input is NULL';

CREATE FUNCTION survey_reg.meat_transfn(bytea, float8[], float8[])
RETURNS bytea
AS 'MODULE_PATHNAME', 'meat_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg.meat_transfn(bytea, float8[], float8[], text)
RETURNS bytea
AS 'MODULE_PATHNAME', 'meat_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg.meat_combinefn(bytea, bytea)
RETURNS bytea
AS 'MODULE_PATHNAME', 'meat_combinefn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE survey_reg.meat(fit float8[], u float8[]) (
	SFUNC = survey_reg.meat_transfn,
	STYPE = bytea,
	COMBINEFUNC = survey_reg.meat_combinefn,
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_reg.meat(fit float8[], u float8[], stratum text) (
	SFUNC = survey_reg.meat_transfn,
	STYPE = bytea,
	COMBINEFUNC = survey_reg.meat_combinefn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE survey_reg.meat(float8[], float8[], text) IS
	'the sandwich''s meat over units (rows, clusters or PSUs; a NULL u is a unit without a complete row) per stratum, for robust_coefficients(m, dependent, blocks, meat)';

CREATE FUNCTION survey_reg.robust_coefficients(m survey_reg.moments, dependent text,
	blocks text[], meat bytea, lonely_psu text DEFAULT 'fail')
RETURNS TABLE(model int, term text, b float8, se float8, beta float8,
	t float8, p float8, ci_lower float8, ci_upper float8, tolerance float8,
	vif float8)
AS 'MODULE_PATHNAME', 'coefficients_meat' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survey_reg.robust_coefficients(survey_reg.moments, text, text[], bytea, text) IS
	'hierarchical OLS coefficients of a state with the robust variance of a meat (se, weight type and intercept as the meat''s fit)';

CREATE FUNCTION survey_reg.robust_model_summary(m survey_reg.moments, dependent text,
	blocks text[], meat bytea, lonely_psu text DEFAULT 'fail')
RETURNS TABLE(model int, n float8, predictors int, r float8, r2 float8,
	adj_r2 float8, se_estimate float8, f float8, df1 int, df2 float8,
	p float8, r2_change float8, f_change float8, df1_change int,
	df2_change float8, p_change float8)
AS 'MODULE_PATHNAME', 'model_summary_meat' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION survey_reg.robust_model_summary(survey_reg.moments, text, text[], bytea, text) IS
	'hierarchical OLS model summaries of a state with Wald tests from the robust variance of a meat';

-- The HC0-HC3 meat over rows from separate float8 arguments (the dependent,
-- then the predictors in block order): no per-row arrays, batched sums
-- (src/robust_meat_of.c); the table-name forms' second scan.  Equals
-- meat(fit, scores(fit, ARRAY[...] [, weight])) to ~1e-15 relative.
CREATE FUNCTION survey_reg.meat_of_transfn(bytea, float8[], VARIADIC "any")
RETURNS bytea
AS 'MODULE_PATHNAME', 'meat_of_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg.meat_of_weighted_transfn(bytea, float8[], float8, VARIADIC "any")
RETURNS bytea
AS 'MODULE_PATHNAME', 'meat_of_weighted_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg.meat_of_combinefn(bytea, bytea)
RETURNS bytea
AS 'MODULE_PATHNAME', 'meat_of_combinefn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_reg.meat_of_finalfn(bytea)
RETURNS bytea
AS 'MODULE_PATHNAME', 'meat_of_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE survey_reg.meat_of(fit float8[], VARIADIC "any") (
	SFUNC = survey_reg.meat_of_transfn,
	STYPE = bytea,
	COMBINEFUNC = survey_reg.meat_of_combinefn,
	FINALFUNC = survey_reg.meat_of_finalfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE survey_reg.meat_of(float8[], VARIADIC "any") IS
	'the HC0-HC3 meat over rows from float8 arguments (dependent, then predictors in block order), as meat(fit, scores(fit, ARRAY[...])) without per-row arrays';
CREATE AGGREGATE survey_reg.meat_of_weighted(fit float8[], weight float8, VARIADIC "any") (
	SFUNC = survey_reg.meat_of_weighted_transfn,
	STYPE = bytea,
	COMBINEFUNC = survey_reg.meat_of_combinefn,
	FINALFUNC = survey_reg.meat_of_finalfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE survey_reg.meat_of_weighted(float8[], float8, VARIADIC "any") IS
	'meat_of with a frequency or probability weight, as meat(fit, scores(fit, ARRAY[...], weight))';
COMMENT ON FUNCTION survey_reg.meat_of_transfn(bytea, float8[], VARIADIC "any") IS
	'transition function of aggregate meat_of: one more row''s residual and leverage terms, buffered by column';
COMMENT ON FUNCTION survey_reg.meat_of_weighted_transfn(bytea, float8[], float8, VARIADIC "any") IS
	'transition function of aggregate meat_of_weighted: meat_of_transfn with the row''s weight';
COMMENT ON FUNCTION survey_reg.meat_of_combinefn(bytea, bytea) IS
	'combine function of aggregates meat_of and meat_of_weighted: two partial meats added';
COMMENT ON FUNCTION survey_reg.meat_of_finalfn(bytea) IS
	'final function of aggregates meat_of and meat_of_weighted: the meat as bytea for robust_coefficients / robust_model_summary';

-- Cluster and design SEs in one scan (issue 18, src/cluster_scan.c): the
-- table's moments state and every (stratum, cluster)'s sums about its
-- first row, in one ungrouped aggregate; the table-name forms' fit with
-- se => 'cluster' or 'design' reads it (src/robust_groups.c).
CREATE FUNCTION survey_reg.cluster_moments_of_transfn(bytea, "any", "any", float8, VARIADIC "any")
RETURNS bytea
AS 'MODULE_PATHNAME', 'cluster_moments_of_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg.cluster_moments_of_combinefn(bytea, bytea)
RETURNS bytea
AS 'MODULE_PATHNAME', 'cluster_moments_of_combinefn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_reg.cluster_moments_of_finalfn(bytea)
RETURNS bytea
AS 'MODULE_PATHNAME', 'cluster_moments_of_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE AGGREGATE survey_reg.cluster_moments_of(stratum "any", cluster "any", weight float8, VARIADIC "any") (
	SFUNC = survey_reg.cluster_moments_of_transfn,
	STYPE = bytea,
	COMBINEFUNC = survey_reg.cluster_moments_of_combinefn,
	FINALFUNC = survey_reg.cluster_moments_of_finalfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE survey_reg.cluster_moments_of("any", "any", float8, VARIADIC "any") IS
	'the moments state of float8 columns and each (stratum, cluster)''s sums, keys smallint, integer, bigint or text, as bytea: the one-scan path of cluster and design SEs';
COMMENT ON FUNCTION survey_reg.cluster_moments_of_transfn(bytea, "any", "any", float8, VARIADIC "any") IS
	'transition function of aggregate cluster_moments_of: one more row into the moments state and its cluster''s sums';
COMMENT ON FUNCTION survey_reg.cluster_moments_of_combinefn(bytea, bytea) IS
	'combine function of aggregate cluster_moments_of: two partial states merged, cluster by cluster';
COMMENT ON FUNCTION survey_reg.cluster_moments_of_finalfn(bytea) IS
	'final function of aggregate cluster_moments_of: the state with its buffered rows added';
