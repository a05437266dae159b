-- Model terms (design/API.md section 7) in the table-name regression forms,
-- against R (test/data/make_terms_expected.R: lm with factor(), relevel()
-- and interactions; sandwich::vcovHC(type = "HC1")) on terms_data.csv: 400
-- rows, a text factor with a sparse level, an integer-coded factor, a
-- boolean, missing values in each column; three cases of nested blocks.
-- Every number must agree with R to 1e-10 relative, the degrees of freedom
-- and n exactly, the terms in R's order with API.md's names.  Then the
-- errors, each with its SQLSTATE.
BEGIN;
SELECT plan(21);

CREATE TEMP TABLE t (id int, y float8, x float8, z float8, g text, k int,
	b bool);
\copy t FROM 'test/data/terms_data.csv' CSV HEADER
CREATE TEMP TABLE exp_coef (case_ text, model int, term text, b float8,
	se float8, beta float8, t float8, p float8, hc1_se float8,
	ord serial);
\copy exp_coef (case_, model, term, b, se, beta, t, p, hc1_se) FROM 'test/data/terms_expected_coefficients.csv' CSV HEADER
CREATE TEMP TABLE exp_summ (case_ text, model int, n float8, r2 float8,
	adj_r2 float8, se_estimate float8, f float8, df1 int, df2 float8,
	p float8, r2_change float8, f_change float8, df1_change int,
	df2_change float8, p_change float8);
\copy exp_summ FROM 'test/data/terms_expected_summary.csv' CSV HEADER

SELECT is((SELECT count(*) FROM t), 400::bigint, 'data loaded');

CREATE TEMP TABLE cases (case_, blocks) AS VALUES
	('main', ARRAY['x, factor(g)', 'factor(k), b', 'x:b, x:factor(g)']),
	('relevel', ARRAY['x, factor(g, ''B'')', 'factor(k, ''10''), b',
		'x:b, x:factor(g)']),
	('ff', ARRAY['factor(g), factor(k)', 'x*z, factor(g):factor(k)']);

SET client_min_messages = warning;
CREATE TEMP TABLE got_coef AS
SELECT c.case_, r.ord, r.model, r.term, r.b, r.se, r.beta, r.t, r.p
FROM cases c, LATERAL survey_reg.coefficients('t', 'y', c.blocks)
	WITH ORDINALITY r(model, term, b, se, beta, t, p, ci_lower, ci_upper,
		tolerance, vif, ord);
CREATE TEMP TABLE got_hc1 AS
SELECT c.case_, r.model, r.term, r.se
FROM cases c, LATERAL survey_reg.coefficients('t', 'y', c.blocks, se => 'hc1') r;
-- clusters of one row: CR1's G/(G-1) (n-1)/(n-p) is HC1's n/(n-p)
CREATE TEMP TABLE got_cr1 AS
SELECT c.case_, r.model, r.term, r.se
FROM cases c, LATERAL survey_reg.coefficients('t', 'y', c.blocks,
	se => 'cluster', cluster => 'id') r;
CREATE TEMP TABLE got_summ AS
SELECT c.case_, r.*
FROM cases c, LATERAL survey_reg.model_summary('t', 'y', c.blocks) r;
RESET client_min_messages;

CREATE FUNCTION pg_temp.rel(ours float8, r float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN r IS NULL AND ours IS NULL THEN 0
		WHEN r IS NULL OR ours IS NULL THEN 'Infinity'::float8
		WHEN r = 0 THEN abs(ours)
		ELSE abs(ours - r) / abs(r) END
$$;

CREATE TEMP VIEW coef_pairs AS
SELECT e.case_, e.model, e.term, v.col, pg_temp.rel(v.ours, v.r) AS rel,
	v.ours, v.r
FROM exp_coef e
LEFT JOIN got_coef g USING (case_, model, term)
LEFT JOIN got_hc1 h USING (case_, model, term)
LEFT JOIN got_cr1 c USING (case_, model, term),
LATERAL (VALUES ('b', g.b, e.b), ('se', g.se, e.se), ('beta', g.beta, e.beta),
	('t', g.t, e.t), ('p', g.p, e.p), ('hc1', h.se, e.hc1_se),
	('cr1_id', c.se, e.hc1_se)) v(col, ours, r);
CREATE TEMP VIEW summ_pairs AS
SELECT e.case_, e.model, v.col, pg_temp.rel(v.ours, v.r) AS rel, v.ours, v.r
FROM exp_summ e
LEFT JOIN got_summ g USING (case_, model),
LATERAL (VALUES ('n', g.n, e.n), ('r2', g.r2, e.r2), ('adj_r2', g.adj_r2, e.adj_r2),
	('se_estimate', g.se_estimate, e.se_estimate), ('f', g.f, e.f),
	('df1', g.df1, e.df1), ('df2', g.df2, e.df2), ('p', g.p, e.p),
	('r2_change', g.r2_change, e.r2_change), ('f_change', g.f_change, e.f_change),
	('df1_change', g.df1_change, e.df1_change),
	('df2_change', g.df2_change, e.df2_change),
	('p_change', g.p_change, e.p_change)) v(col, ours, r);

SELECT diag(format('largest relative difference from R: %s %s',
	col, max(rel))) FROM coef_pairs GROUP BY col ORDER BY col;
SELECT diag(format('largest relative difference from R: %s %s',
	col, max(rel))) FROM summ_pairs GROUP BY col ORDER BY col;

SELECT is((SELECT count(*) FROM got_coef), (SELECT count(*) FROM exp_coef),
	'coefficients: as many rows as R''s');
SELECT is((SELECT string_agg(format('%s model %s: %s', case_, model, terms), '; ')
	FROM (SELECT case_, model, array_agg(term ORDER BY ord) AS terms
		FROM got_coef GROUP BY 1, 2
		EXCEPT
		SELECT case_, model, array_agg(term ORDER BY ord)
		FROM exp_coef GROUP BY 1, 2) d),
	NULL, 'the terms are R''s, in R''s order, named g[B], k[10], b, x:b, x:g[B], g[B]:k[2] (first factor fastest)');
SELECT is((SELECT string_agg(format('%s model %s %s %s: ours %s, R %s', case_,
		model, term, col, ours, r), '; ') FROM coef_pairs
		WHERE col IN ('b', 'se', 't', 'p') AND NOT rel <= 1e-10),
	NULL, 'b, SE, t and p agree with lm to 1e-10 relative (factor(), relevel(), numeric x boolean, numeric x factor, numeric x numeric, factor x factor)');
SELECT is((SELECT string_agg(format('%s model %s %s: ours %s, R %s', case_,
		model, term, ours, r), '; ') FROM coef_pairs
		WHERE col = 'beta' AND NOT rel <= 1e-10),
	NULL, 'beta (per column of the model matrix, as SPSS for dummies) agrees to 1e-10 relative');
SELECT is((SELECT string_agg(format('%s model %s %s: ours %s, R %s', case_,
		model, term, ours, r), '; ') FROM coef_pairs
		WHERE col = 'hc1' AND NOT rel <= 1e-10),
	NULL, 'HC1 standard errors with terms agree with sandwich::vcovHC(type = "HC1") to 1e-10 relative');
SELECT is((SELECT string_agg(format('%s model %s %s: ours %s, R %s', case_,
		model, term, ours, r), '; ') FROM coef_pairs
		WHERE col = 'cr1_id' AND NOT rel <= 1e-10),
	NULL, 'cluster-robust SEs with terms (one row per cluster) equal R''s HC1 to 1e-10 relative');
SELECT is((SELECT string_agg(format('%s model %s %s: ours %s, R %s', case_,
		model, col, ours, r), '; ') FROM summ_pairs
		WHERE col IN ('n', 'df1', 'df2', 'df1_change', 'df2_change') AND rel <> 0),
	NULL, 'n and every df exactly R''s: a factor enters whole (df1_change = its indicators)');
SELECT is((SELECT string_agg(format('%s model %s %s: ours %s, R %s', case_,
		model, col, ours, r), '; ') FROM summ_pairs
		WHERE col NOT IN ('n', 'df1', 'df2', 'df1_change', 'df2_change')
		AND NOT rel <= 1e-10),
	NULL, 'R², adjusted R², SE of the estimate, F, p, R² change, F change and its p agree with lm / anova to 1e-10 relative');

-- the design-based variance runs with terms (its values: robust_vs_r.sql)
SELECT ok((SELECT bool_and(se > 0) FROM survey_reg.coefficients('t', 'y',
	ARRAY['x, factor(g)', 'factor(k), b'], se => 'design', cluster => 'id')),
	'design-based standard errors with terms');

-- the formatted table of a table: a row per model column, named as above
SELECT is((SELECT array_agg(label ORDER BY row_no) FROM survey_reg.regression_table('t', 'y',
	ARRAY['x, factor(g, ''B'')', 'factor(k), b, x:b']) WHERE kind = 'term'),
	ARRAY['x', 'g[A]', 'g[C]', 'g[a]', 'k[2]', 'k[10]', 'b', 'x:b'],
	'regression_table of a table takes terms: a row per indicator and product');

SELECT ok(survey_reg.report('t', 'y', ARRAY['x, factor(g)', 'factor(k), x:z'],
	format => 'markdown') ~ 'x:z.*k\\?\[10\\?\]|k\\?\[10\\?\].*x:z',
	'report of a table takes terms (its descriptives: the plain columns; Markdown escapes the brackets since main''s _md)');

-- an aliased indicator: NULL estimates, as any aliased column
CREATE TEMP VIEW t2 AS SELECT *, g AS g2 FROM t;
SET client_min_messages = warning;
SELECT is((SELECT count(*) FILTER (WHERE b IS NULL) FROM survey_reg.coefficients('t2', 'y',
	ARRAY['factor(g)', 'factor(g2)']) WHERE model = 2 AND term LIKE 'g2[%'),
	3::bigint, 'the indicators of a factor that repeats another are aliased (NULL)');
RESET client_min_messages;

-- errors: SQLSTATE | message | detail
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
		det = PG_EXCEPTION_DETAIL;
	RETURN st || ' | ' || msg || ' | ' || det;
END $$;

SELECT is(pg_temp.err($$SELECT * FROM survey_reg.coefficients('t', 'y',
	ARRAY['x, factor(g, ''Z'')'])$$),
	$$22023 | reference level 'Z' is not a level of factor(g) | The levels in the rows used are 'A', 'B', 'C', 'a'.$$,
	'an unknown reference level is an error listing the levels (in their order)');
CREATE TEMP VIEW t_one AS SELECT * FROM t WHERE g = 'B' OR g IS NULL;
SELECT is(pg_temp.err($$SELECT * FROM survey_reg.model_summary('t_one', 'y',
	ARRAY['x, factor(g)'])$$),
	$$22000 | factor(g) has only one level, 'B', in the rows used | A factor needs at least two levels: its indicators are against a reference level.$$,
	'a factor with one level in the rows used is an error');
SELECT is(pg_temp.err($$SELECT * FROM survey_reg.model_summary('t', 'y',
	ARRAY['x:factor(nosuch)'])$$),
	$$42703 | column "nosuch" of relation "t" does not exist | $$,
	'a term naming an unknown column is an error');
SELECT is(pg_temp.err($$SELECT * FROM survey_reg.model_summary('t', 'y',
	ARRAY['factor(g'])$$),
	$$42601 | malformed model term "factor(g" | A parenthesis is not closed.$$,
	'a malformed term is an error (unclosed parenthesis)');
SELECT is(pg_temp.err($$SELECT * FROM survey_reg.model_summary('t', 'y',
	ARRAY['x:'])$$),
	$$42601 | malformed model term "x:" | A column name is missing.$$,
	'a malformed term is an error (empty component)');
SELECT is(pg_temp.err($$SELECT * FROM survey_reg.model_summary('t', 'y',
	ARRAY['factor(g, B)'])$$),
	$$42601 | malformed model term "factor(g, B)" | The reference level must be a single-quoted literal, as in factor(region, 'north').$$,
	'a malformed term is an error (unquoted reference level)');
SELECT is(pg_temp.err($$SELECT * FROM survey_reg.model_summary('t', 'y',
	ARRAY['x, g'])$$),
	$$42804 | column "g" is of type text, not a number | $$,
	'a text column used as a number is an error that names factor()');

-- a factor with more levels than a model may have columns: an error
-- after the one grouped scan, not a model of 50,000 columns
CREATE TEMP TABLE wide AS
SELECT i AS id, (i % 7)::float8 AS y, random() AS x FROM generate_series(1, 50000) i;
SELECT is(pg_temp.err($$SELECT * FROM survey_reg.model_summary('wide', 'y',
	ARRAY['x, factor(id)'])$$),
	$$54000 | factor(id) has more than 999 levels | A model has at most 999 columns; each level but the reference is one.$$,
	'a factor with 50,000 levels is an error');

SELECT * FROM finish();
ROLLBACK;
