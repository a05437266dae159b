-- logistic_table (issue 17, item 1): every printed number of the
-- classical two-block table is R's (test/data/logistic_expected_*.csv,
-- made by test/data/make_logistic_expected.R with glm) formatted with the
-- table's digits: B with stars from R's p, SE, odds ratio [CI], -2LL,
-- chi-square change with stars, df, p, Cox-Snell and Nagelkerke R², N.
-- The long form carries the same cells.
BEGIN;
SELECT plan(8);

CREATE TEMP TABLE t (id int, y int, x float8, z float8, g text, b bool,
	cl int, st int, pw float8, fw int);
\copy t FROM 'test/data/logistic_data.csv' CSV HEADER
CREATE TEMP TABLE exp_coef (case_ text, model int, term text, b float8,
	se float8, z float8, p float8, odds_ratio float8, or_ci_lower float8,
	or_ci_upper float8);
\copy exp_coef FROM 'test/data/logistic_expected_coefficients.csv' CSV HEADER
CREATE TEMP TABLE exp_summ (case_ text, model int, n float8, predictors int,
	deviance float8, null_deviance float8, chi_square float8, df int,
	p float8, chi_square_change float8, df_change int, p_change float8,
	cox_snell_r2 float8, nagelkerke_r2 float8, aic float8);
\copy exp_summ FROM 'test/data/logistic_expected_summary.csv' CSV HEADER

CREATE TEMP TABLE got AS
SELECT * FROM survey_reg.logistic_table('t', 'y', ARRAY['x, factor(g)', 'b, z']);

CREATE FUNCTION pg_temp.f(x float8, d int DEFAULT 3) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT survey_reg.format_number(x, d, '.', true) $$;

-- the expected cells of a term row, built from R's numbers
CREATE TEMP TABLE want_terms AS
SELECT CASE WHEN e.term = '(Intercept)' THEN 'Constant' ELSE e.term END AS label,
	array_agg(cell ORDER BY m.j, x.c) AS cells
FROM (SELECT DISTINCT term FROM exp_coef WHERE case_ = 'classical') e
	CROSS JOIN generate_series(1, 2) m(j) CROSS JOIN generate_series(1, 3) x(c)
	LEFT JOIN exp_coef r ON r.case_ = 'classical' AND r.model = m.j AND r.term = e.term
	CROSS JOIN LATERAL (SELECT CASE WHEN r.term IS NULL THEN ''
		WHEN x.c = 1 THEN pg_temp.f(r.b) || survey_reg.stars(r.p)
		WHEN x.c = 2 THEN pg_temp.f(r.se)
		ELSE pg_temp.f(r.odds_ratio) || ' [' || pg_temp.f(r.or_ci_lower) || ', '
			|| pg_temp.f(r.or_ci_upper) || ']' END AS cell) cc
GROUP BY e.term;

SELECT is((SELECT count(*)::int FROM want_terms), 6, 'R has six terms');
SELECT set_eq($$SELECT label, cells FROM got WHERE kind IN ('term', 'constant')$$,
	$$SELECT label, cells FROM want_terms$$,
	'B with stars, SE and odds ratio [95% CI] of every term and model are R''s');

CREATE TEMP TABLE want_summ AS
SELECT k, array_agg(CASE WHEN x.c > 1 THEN '' ELSE CASE k
		WHEN 'n' THEN pg_temp.f(s.n, 0)
		WHEN 'neg2ll' THEN pg_temp.f(s.deviance, 2)
		WHEN 'chi_square_change' THEN pg_temp.f(s.chi_square_change, 2) || survey_reg.stars(s.p_change)
		WHEN 'df_change' THEN s.df_change::text
		WHEN 'p_change' THEN pg_temp.f(s.p_change)
		WHEN 'cox_snell_r2' THEN pg_temp.f(s.cox_snell_r2)
		WHEN 'nagelkerke_r2' THEN pg_temp.f(s.nagelkerke_r2) END END
	ORDER BY s.model, x.c) AS cells
FROM unnest(ARRAY['n', 'neg2ll', 'chi_square_change', 'df_change', 'p_change',
		'cox_snell_r2', 'nagelkerke_r2']) k
	CROSS JOIN exp_summ s CROSS JOIN generate_series(1, 3) x(c)
WHERE s.case_ = 'classical'
GROUP BY k;
SELECT set_eq($$SELECT kind, cells FROM got WHERE kind IN ('n', 'neg2ll',
		'chi_square_change', 'df_change', 'p_change', 'cox_snell_r2', 'nagelkerke_r2')$$,
	$$SELECT k, cells FROM want_summ$$,
	'N, -2LL, chi-square change, df, p, Cox-Snell and Nagelkerke R² are R''s');

SELECT is((SELECT array_agg(label ORDER BY row_no) FROM got WHERE kind IN ('block', 'term', 'constant')),
	ARRAY['Block 1', 'x', 'g[B]', 'g[C]', 'Block 2', 'b', 'z', 'Constant'],
	'terms under the block they enter in, the constant last');

-- Norwegian captions and decimal comma
SELECT is((SELECT cells[3] FROM survey_reg.logistic_table('t', 'y', ARRAY['x, factor(g)', 'b, z'],
		language => 'nb', decimal_mark => ',') WHERE label = 'x'),
	(SELECT replace(replace(cells[3], ',', ';'), '.', ',') FROM got WHERE label = 'x'),
	'nb: decimal comma and "; " inside the interval');

-- the long form: one row per cell, the same text
SELECT set_eq($$SELECT row_label, cell FROM survey_reg.logistic_table_long('t', 'y',
		ARRAY['x, factor(g)', 'b, z']) WHERE row_kind = 'term'$$,
	$$SELECT g.label, c FROM got g, unnest(g.cells) c WHERE g.kind = 'term'$$,
	'logistic_table_long has the table''s cells');

-- a design fit: the table shows logistic_coefficients' design SEs
SELECT is((SELECT cells[2] FROM survey_reg.logistic_table('t', 'y', ARRAY['x, factor(g)', 'b, z'],
		weight => 'pw', cluster => 'cl', strata => 'st', weight_type => 'probability')
		WHERE label = 'x'),
	(SELECT pg_temp.f(se) FROM exp_coef WHERE case_ = 'design' AND model = 1 AND term = 'x'),
	'design SE of x in model 1 is svyglm''s');

-- a table found through the caller's search path (the table builder runs
-- with a fixed one: the name is resolved before)
CREATE TABLE public.logistic_table_t AS SELECT * FROM t;
SELECT set_eq($$SELECT kind, label, cells FROM survey_reg.logistic_table('logistic_table_t', 'y',
		ARRAY['x, factor(g)', 'b, z'])$$,
	$$SELECT kind, label, cells FROM got$$,
	'a table of the public schema by its bare name');

SELECT * FROM finish();
ROLLBACK;
