-- Hierarchical logistic regression (src/logistic.c; design/API.md section
-- 8): maximum likelihood as R's glm(family = binomial) by Newton's method,
-- every iteration one scan with the aggregate logistic_step; robust,
-- cluster and design variances from one more scan of scores.

-- The aggregates the table-name forms' scans are made of.  fit: the
-- coefficients of every model as the table-name forms build it (the same
-- value for every row of a query); weight, then the dependent (0/1) and
-- the model's columns as separate float8 arguments (no per-row array).
-- The states are float8[] sums, combined by addition: parallel plans and
-- Citus can split them.
CREATE FUNCTION survey_reg.logistic_step_transfn(float8[], fit float8[],
	weight float8, VARIADIC "any")
RETURNS float8[]
AS 'MODULE_PATHNAME', 'logistic_step_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg.logistic_combinefn(float8[], float8[])
RETURNS float8[]
AS 'MODULE_PATHNAME', 'logistic_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE survey_reg.logistic_step(fit float8[], weight float8, VARIADIC "any") (
	SFUNC = survey_reg.logistic_step_transfn,
	STYPE = float8[],
	COMBINEFUNC = survey_reg.logistic_combinefn,
	PARALLEL = SAFE
);

-- The same with the row's dependent and columns as one float8[]: Citus
-- cannot split a VARIADIC "any" aggregate (src/citus_relation.c), so the
-- table-name forms scan a Citus relation with this one.
CREATE FUNCTION survey_reg.logistic_step_array_transfn(float8[], fit float8[],
	weight float8, vals float8[])
RETURNS float8[]
AS 'MODULE_PATHNAME', 'logistic_step_array_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE survey_reg.logistic_step_array(fit float8[], weight float8, vals float8[]) (
	SFUNC = survey_reg.logistic_step_array_transfn,
	STYPE = float8[],
	COMBINEFUNC = survey_reg.logistic_combinefn,
	PARALLEL = SAFE
);

-- not STRICT: an incomplete row has a NULL score
CREATE FUNCTION survey_reg.logistic_score(fit float8[], weight float8, VARIADIC "any")
RETURNS float8[]
AS 'MODULE_PATHNAME', 'logistic_score' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION survey_reg.logistic_meat_transfn(float8[], fit float8[], u float8[])
RETURNS float8[]
AS 'MODULE_PATHNAME', 'logistic_meat_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE survey_reg.logistic_meat(fit float8[], u float8[]) (
	SFUNC = survey_reg.logistic_meat_transfn,
	STYPE = float8[],
	COMBINEFUNC = survey_reg.logistic_combinefn,
	PARALLEL = SAFE
);

-- Table-name forms (not STRICT: a NULL option means its default; a NULL
-- source, dependent, blocks or intercept gives no rows).  fpc, cluster2,
-- fpc2 and domain: the design arguments of API.md section 9, as
-- coefficients' (svyglm(family = quasibinomial()) on subset(des, domain)).
CREATE FUNCTION survey_reg.logistic_coefficients(source text, dependent text,
	blocks text[], weight text DEFAULT NULL, intercept bool DEFAULT true,
	se text DEFAULT 'classical', cluster text DEFAULT NULL,
	strata text DEFAULT NULL, weight_type text DEFAULT 'frequency',
	lonely_psu text DEFAULT 'fail', fpc text DEFAULT NULL,
	cluster2 text DEFAULT NULL, fpc2 text DEFAULT NULL,
	domain text DEFAULT NULL)
RETURNS TABLE(model int, term text, b float8, se float8, z float8, p float8,
	odds_ratio float8, or_ci_lower float8, or_ci_upper float8)
AS 'MODULE_PATHNAME', 'logistic_coefficients_table' LANGUAGE C STABLE PARALLEL RESTRICTED;

CREATE FUNCTION survey_reg.logistic_summary(source text, dependent text,
	blocks text[], weight text DEFAULT NULL, intercept bool DEFAULT true,
	se text DEFAULT 'classical', cluster text DEFAULT NULL,
	strata text DEFAULT NULL, weight_type text DEFAULT 'frequency',
	lonely_psu text DEFAULT 'fail', fpc text DEFAULT NULL,
	cluster2 text DEFAULT NULL, fpc2 text DEFAULT NULL,
	domain text DEFAULT NULL)
RETURNS TABLE(model int, n float8, predictors int, deviance float8,
	null_deviance float8, chi_square float8, df int, p float8,
	chi_square_change float8, df_change int, p_change float8,
	cox_snell_r2 float8, nagelkerke_r2 float8, aic float8, iterations int,
	converged bool)
AS 'MODULE_PATHNAME', 'logistic_summary_table' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION survey_reg.logistic_step_transfn(float8[], float8[], float8, "any") IS
	'transition function of aggregate logistic_step: one row''s deviance, gradient and information added for every model';
COMMENT ON FUNCTION survey_reg.logistic_combinefn(float8[], float8[]) IS
	'combine function of aggregates logistic_step and logistic_meat: two partial sums added';
COMMENT ON AGGREGATE survey_reg.logistic_step(float8[], float8, "any") IS
	'one Newton (IRLS) iteration of a logistic fit: per model the deviance, X''W(y - mu) and X''W mu(1 - mu) X at the fit''s coefficients (fit as logistic_coefficients builds it; weight, 0/1 dependent, columns as float8)';
COMMENT ON FUNCTION survey_reg.logistic_step_array_transfn(float8[], float8[], float8, float8[]) IS
	'transition function of aggregate logistic_step_array: one row''s deviance, gradient and information added for every model';
COMMENT ON AGGREGATE survey_reg.logistic_step_array(float8[], float8, float8[]) IS
	'logistic_step with the row''s 0/1 dependent and columns as one float8[] (the form Citus can split into partial states)';
COMMENT ON FUNCTION survey_reg.logistic_score(float8[], float8, "any") IS
	'a row''s logistic score vector w (y - mu) x of every model of a fit (hc2/hc3: leverage-scaled); NULL for an incomplete row';
COMMENT ON FUNCTION survey_reg.logistic_meat_transfn(float8[], float8[], float8[]) IS
	'transition function of aggregate logistic_meat: one more unit''s score';
COMMENT ON AGGREGATE survey_reg.logistic_meat(float8[], float8[]) IS
	'units, sum of scores and of their outer products per model (a NULL score: a unit without a complete row), for the logistic robust, cluster and design variances';
COMMENT ON FUNCTION survey_reg.logistic_coefficients(text, text, text[], text, bool, text, text, text, text, text, text, text, text, text) IS
	'hierarchical logistic regression coefficients of a table or view (ML as glm binomial; blocks of terms as coefficients): b, SE, Wald z and p, odds ratio with 95% CI; se = classical, hc0-hc3, cluster (vcovCL HC0) or design (svyglm quasibinomial; with fpc, cluster2, fpc2 and domain as coefficients)';
COMMENT ON FUNCTION survey_reg.logistic_summary(text, text, text[], text, bool, text, text, text, text, text, text, text, text, text) IS
	'hierarchical logistic regression model summaries: n, -2LL (deviance), null deviance, model and block chi-square, Cox-Snell and Nagelkerke R2, AIC, iterations, converged; the design arguments as logistic_coefficients';
