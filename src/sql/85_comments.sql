-- COMMENT ON the public objects whose defining file has none (issue 14,
-- item 3), so that psql's \df+ / \dT+, BI catalog browsers and IDEs say
-- what each one returns.  One line each.  test/comments.sql checks that no
-- object of schema survey_reg without a leading underscore (the internal
-- helpers) lacks one.

-- the type's I/O functions
COMMENT ON FUNCTION survey_reg.moments_in(cstring) IS
	'input function of type moments: the state from its text form (v1 k=… rows=… …); malformed text is error 22P02';
COMMENT ON FUNCTION survey_reg.moments_out(survey_reg.moments) IS
	'output function of type moments: the state''s text form, every double with 17 significant digits (round-trips bit for bit)';
COMMENT ON FUNCTION survey_reg.moments_recv(internal) IS
	'binary receive function of type moments: the state from its binary form, validated';
COMMENT ON FUNCTION survey_reg.moments_send(survey_reg.moments) IS
	'binary send function of type moments: the state''s binary form as bytea';

-- the moments aggregates and their support functions
COMMENT ON FUNCTION survey_reg.moments_transfn(survey_reg.moments, float8[]) IS
	'transition function of aggregate moments(vars): the state with one more row (rows with a NULL, NaN or infinite value are skipped)';
COMMENT ON FUNCTION survey_reg.moments_transfn(survey_reg.moments, float8[], text[]) IS
	'transition function of aggregate moments(vars, names): the state with one more row of named variables';
COMMENT ON FUNCTION survey_reg.moments_transfn(survey_reg.moments, float8[], text[], float8) IS
	'transition function of aggregate moments(vars, names, weight): the state with one more frequency-weighted row';
COMMENT ON FUNCTION survey_reg.moments_combinefn(survey_reg.moments, survey_reg.moments) IS
	'combine function of the moments aggregates: the exact merge of two states (parallel and distributed aggregation)';
COMMENT ON FUNCTION survey_reg.moments_finalfn(survey_reg.moments) IS
	'final function of the moments aggregates: the state, checked for overflow, without its row buffer';
COMMENT ON AGGREGATE survey_reg.moments(float8[]) IS
	'the one-pass moments state of variables x1 … xk over listwise-complete rows';
COMMENT ON AGGREGATE survey_reg.moments(float8[], text[]) IS
	'the one-pass moments state of named variables over listwise-complete rows';
COMMENT ON AGGREGATE survey_reg.moments(float8[], text[], float8) IS
	'the one-pass moments state of named variables with frequency weights (SPSS WEIGHT BY): N is the sum of weights';
COMMENT ON AGGREGATE survey_reg.merge(survey_reg.moments) IS
	'the moments state of stored states merged, exactly as if their rows had been aggregated together';
COMMENT ON FUNCTION survey_reg.moments_of_transfn(survey_reg.moments, "any") IS
	'transition function of aggregate moments_of: the state with one more row of float8 arguments';
COMMENT ON AGGREGATE survey_reg.moments_of(VARIADIC "any") IS
	'the one-pass moments state of float8 arguments x1 … xk, without building an array per row (the fast form)';
COMMENT ON FUNCTION survey_reg.moments_of_weighted_transfn(survey_reg.moments, float8, "any") IS
	'transition function of aggregate moments_of_weighted: the state with one more frequency-weighted row of float8 arguments';
COMMENT ON AGGREGATE survey_reg.moments_of_weighted(float8, VARIADIC "any") IS
	'the one-pass moments state of float8 arguments x1 … xk with a frequency weight (first argument)';
COMMENT ON FUNCTION survey_reg.moments_from_matrix(text[], float8, float8[], float8[], float8[]) IS
	'a moments state from published summary statistics (SPSS MATRIX DATA): names, N, correlation matrix, optional means and SDs';
COMMENT ON FUNCTION survey_reg.table_moments(text, text[], text) IS
	'the moments state of the named columns of a table or view (one scan, caller''s privileges; weight = frequency-weight column)';
COMMENT ON FUNCTION survey_reg.rename(survey_reg.moments, text[]) IS
	'the same moments state with new variable names';

-- descriptives and correlations
COMMENT ON FUNCTION survey_reg.describe(survey_reg.moments) IS
	'descriptive statistics of each variable of a state: variable, n, mean, sd, min, max, skewness, kurtosis (SPSS DESCRIPTIVES)';
COMMENT ON FUNCTION survey_reg.correlations(survey_reg.moments) IS
	'Pearson correlations of every ordered pair of a state''s variables: var1, var2, r, p (two-tailed), n';
COMMENT ON FUNCTION survey_reg.describe(text, text[], text, text) IS
	'descriptive statistics of columns of a table or view: variable, n, mean, sd, min, max, skewness, kurtosis (listwise or pairwise; optional frequency weight)';
COMMENT ON FUNCTION survey_reg.correlations(text, text[], text, text) IS
	'Pearson correlations of columns of a table or view: var1, var2, r, p, n (listwise or pairwise; optional frequency weight)';

-- reliability
COMMENT ON FUNCTION survey_reg.reliability(text, text[], text) IS
	'reliability of a scale from columns of a table or view: k, n, Cronbach''s alpha, standardized alpha, inter-item r, Feldt 95% interval, omega total, lambda6';
COMMENT ON FUNCTION survey_reg.item_total(text, text[], text) IS
	'item-total statistics of a scale from columns of a table or view (SPSS RELIABILITY /SUMMARY=TOTAL): one row per item';
COMMENT ON FUNCTION survey_reg.cronbach_alpha_final(survey_reg.moments) IS
	'final function of aggregate cronbach_alpha: Cronbach''s alpha of the state''s variables (NULL where undefined)';

-- robust standard errors: support functions of the aggregates
COMMENT ON FUNCTION survey_reg.scores(float8[], float8[]) IS
	'a row''s score vector for every model of a robust_fit (vars: the dependent, then the predictors in block order); NULL for an incomplete row';
COMMENT ON FUNCTION survey_reg.score_sum_transfn(float8[], float8[]) IS
	'transition function of aggregate score_sum: the double-double running sums with one more score vector';
COMMENT ON FUNCTION survey_reg.score_sum_combinefn(float8[], float8[]) IS
	'combine function of aggregate score_sum: two partial double-double sums added';
COMMENT ON FUNCTION survey_reg.score_sum_finalfn(float8[]) IS
	'final function of aggregate score_sum: the elementwise sums as float8[]';
COMMENT ON FUNCTION survey_reg.meat_transfn(bytea, float8[], float8[]) IS
	'transition function of aggregate meat(fit, u): the meat with one more unit''s scores';
COMMENT ON FUNCTION survey_reg.meat_transfn(bytea, float8[], float8[], text) IS
	'transition function of aggregate meat(fit, u, stratum): the meat with one more unit''s scores in its stratum';
COMMENT ON FUNCTION survey_reg.meat_combinefn(bytea, bytea) IS
	'combine function of aggregate meat: two partial meats merged stratum by stratum';
COMMENT ON AGGREGATE survey_reg.meat(float8[], float8[]) IS
	'the meat (units, sum of u and of u u'' per model) of a robust variance, as bytea for robust_coefficients / robust_model_summary';
