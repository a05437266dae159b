-- logistic_table: hierarchical logistic regression as a publication table
-- (SPSS LOGISTIC REGRESSION's "Variables in the Equation" per block): per
-- model three columns, B with stars, SE and the odds ratio with its 95%
-- interval; then N, -2LL, the block's chi-square change (df, p) and the
-- Cox-Snell and Nagelkerke R².  Numbers come from logistic_coefficients
-- and logistic_summary (so the same fit, SEs and design options).
CREATE FUNCTION survey_reg._logistic_rows(src text, dependent text,
	blocks text[], weight text, intercept bool, se text, cluster text,
	strata text, weight_type text, lonely_psu text, block_labels text[],
	model_labels text[], title text, style jsonb, fpc text DEFAULT NULL,
	cluster2 text DEFAULT NULL, fpc2 text DEFAULT NULL,
	domain text DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	nmodels int := coalesce(array_length(blocks, 1), 0);
	rws jsonb[] := '{}';
	rec record;
	cur_block int := 0;
	sep text := CASE WHEN style->>'dm' = ',' THEN '; ' ELSE ', ' END;
	k text;
	cj jsonb;
	sj jsonb;
BEGIN
	IF src IS NULL OR dependent IS NULL OR blocks IS NULL THEN
		RETURN NULL;
	END IF;
	-- one fit per call, kept as jsonb (a STABLE function makes no temp table)
	SELECT coalesce(jsonb_agg(to_jsonb(c)), '[]')
	INTO cj
	FROM survey_reg.logistic_coefficients(src, dependent, blocks, weight,
		intercept, se, cluster, strata, weight_type, lonely_psu, fpc, cluster2,
		fpc2, domain)
		WITH ORDINALITY c(model, term, b, se, z, p, odds_ratio, or_ci_lower, or_ci_upper, ord);
	SELECT coalesce(jsonb_agg(to_jsonb(s)), '[]') INTO sj
	FROM survey_reg.logistic_summary(src, dependent, blocks, weight,
		intercept, se, cluster, strata, weight_type, lonely_psu, fpc, cluster2,
		fpc2, domain) s;

	title := survey_reg._fill(coalesce(title, survey_reg._caption('title_logistic', style)),
		ARRAY['dependent', 'n'],
		ARRAY[survey_reg._label(dependent, style),
			survey_reg._n_text(ARRAY(SELECT s0.n FROM jsonb_to_recordset(sj) AS s0(model int, n float8, deviance float8, chi_square_change float8, df_change int, p_change float8, cox_snell_r2 float8, nagelkerke_r2 float8, converged bool) ORDER BY s0.model))]);
	IF title <> '' THEN
		rws := rws || survey_reg._row('title', title);
	END IF;
	rws := rws || survey_reg._row('header', '', ARRAY(
		SELECT CASE WHEN c = 1 THEN coalesce(model_labels[j],
				survey_reg._caption('model', style) || ' ' || j) ELSE '' END
		FROM generate_series(1, nmodels) AS j, generate_series(1, 3) AS c
		ORDER BY j, c));
	rws := rws || survey_reg._row('header', '', ARRAY(
		SELECT survey_reg._caption(CASE c WHEN 1 THEN 'b' WHEN 2 THEN 'se'
			ELSE 'odds_ratio_ci' END, style)
		FROM generate_series(1, nmodels) AS j, generate_series(1, 3) AS c
		ORDER BY j, c));

	-- a term's block: the first model it is in; the constant last
	FOR rec IN
		WITH terms AS (
			SELECT c0.term, min(c0.model) AS enters, min(c0.ord) AS o
			FROM jsonb_to_recordset(cj) AS c0(model int, term text, b float8, se float8, p float8, odds_ratio float8, or_ci_lower float8, or_ci_upper float8, ord bigint) GROUP BY c0.term),
		c AS (SELECT * FROM jsonb_to_recordset(cj) AS c0(model int, term text, b float8, se float8, p float8, odds_ratio float8, or_ci_lower float8, or_ci_upper float8, ord bigint))
		SELECT t.term, t.enters,
			array_agg(CASE WHEN c.term IS NULL THEN ''
				WHEN x.c = 1 THEN survey_reg._num(c.b, style) || survey_reg._stars(c.p, style)
				WHEN x.c = 2 THEN survey_reg._num(c.se, style)
				ELSE survey_reg._num(c.odds_ratio, style) || ' ['
					|| survey_reg._num(c.or_ci_lower, style) || sep
					|| survey_reg._num(c.or_ci_upper, style) || ']' END
				ORDER BY m.j, x.c) AS cells
		FROM terms t CROSS JOIN generate_series(1, nmodels) AS m(j)
			CROSS JOIN generate_series(1, 3) AS x(c)
			LEFT JOIN c ON c.model = m.j AND c.term = t.term
		GROUP BY t.term, t.enters, t.o
		ORDER BY t.term = '(Intercept)', t.enters, t.o
	LOOP
		-- the constant opens no block
		rws := rws || survey_reg._block_rows(CASE WHEN rec.term <> '(Intercept)' THEN rec.enters END,
			cur_block, rec.term, rec.cells, block_labels, style);
		cur_block := CASE WHEN rec.term <> '(Intercept)' THEN rec.enters ELSE cur_block END;
	END LOOP;

	-- model rows: the value in the B column, the others empty
	FOREACH k IN ARRAY ARRAY['n', 'neg2ll', 'chi_square_change', 'df_change',
			'p_change', 'cox_snell_r2', 'nagelkerke_r2'] LOOP
		rws := rws || survey_reg._row(k, survey_reg._caption(k, style), ARRAY(
			SELECT CASE WHEN x.c > 1 THEN '' ELSE coalesce(CASE k
				WHEN 'n' THEN survey_reg._num(s.n, style, false, 0)
				WHEN 'neg2ll' THEN survey_reg._num(s.deviance, style, false, 2)
				WHEN 'chi_square_change' THEN survey_reg._num(s.chi_square_change, style, false, 2)
					|| survey_reg._stars(s.p_change, style)
				WHEN 'df_change' THEN s.df_change::text
				WHEN 'p_change' THEN survey_reg._num(s.p_change, style, true)
				WHEN 'cox_snell_r2' THEN survey_reg._num(s.cox_snell_r2, style, true)
				WHEN 'nagelkerke_r2' THEN survey_reg._num(s.nagelkerke_r2, style, true)
				END, '') END
			FROM generate_series(1, nmodels) AS m(j) CROSS JOIN generate_series(1, 3) AS x(c)
				LEFT JOIN jsonb_to_recordset(sj) AS s(model int, n float8, deviance float8, chi_square_change float8, df_change int, p_change float8, cox_snell_r2 float8, nagelkerke_r2 float8, converged bool) ON s.model = m.j
			ORDER BY m.j, x.c));
	END LOOP;
	IF EXISTS (SELECT FROM jsonb_to_recordset(sj) AS s0(model int, n float8, deviance float8, chi_square_change float8, df_change int, p_change float8, cox_snell_r2 float8, nagelkerke_r2 float8, converged bool) WHERE NOT s0.converged) THEN
		rws := rws || survey_reg._row('note', survey_reg._caption('not_converged', style));
	END IF;
	IF jsonb_array_length(style->'levels') > 0 THEN
		rws := rws || survey_reg._row('note', survey_reg._stars_note(style));
	END IF;
	RETURN survey_reg._table(rws);
END
$$;

CREATE FUNCTION survey_reg.logistic_table(source text, dependent text,
	blocks text[], weight text DEFAULT NULL, intercept bool DEFAULT true,
	se text DEFAULT 'classical', cluster text DEFAULT NULL,
	strata text DEFAULT NULL, weight_type text DEFAULT 'frequency',
	lonely_psu text DEFAULT 'fail', fpc text DEFAULT NULL,
	cluster2 text DEFAULT NULL, fpc2 text DEFAULT NULL,
	domain text DEFAULT NULL, block_labels text[] DEFAULT NULL,
	model_labels text[] DEFAULT NULL, digits int DEFAULT 3,
	decimal_mark text DEFAULT '.', leading_zero bool DEFAULT true,
	star_levels float8[] DEFAULT '{0.05,0.01,0.001}',
	labels jsonb DEFAULT NULL, captions jsonb DEFAULT NULL,
	language text DEFAULT 'en', title text DEFAULT NULL)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	-- the name resolved in the caller's search path (_logistic_rows runs
	-- with a fixed one)
	SELECT * FROM survey_reg._lay_out(survey_reg._logistic_rows(
		survey_reg._relation_name(source::pg_catalog.regclass), dependent, blocks, weight, intercept, se, cluster, strata,
		weight_type, lonely_psu, block_labels, model_labels, title,
		survey_reg._style(digits, decimal_mark, leading_zero, star_levels,
			labels, captions, language), fpc, cluster2, fpc2, domain))
$$;
COMMENT ON FUNCTION survey_reg.logistic_table(text, text, text[], text, bool, text, text, text, text, text, text, text, text, text, text[], text[], int, text, bool, float8[], jsonb, jsonb, text, text) IS
	'hierarchical logistic regression of a table or view as a publication table (SPSS style): per model B with stars, SE and odds ratio [95% CI]; then N, -2LL, chi-square change (df, p), Cox-Snell and Nagelkerke R²';

CREATE FUNCTION survey_reg.logistic_table_long(source text, dependent text,
	blocks text[], weight text DEFAULT NULL, intercept bool DEFAULT true,
	se text DEFAULT 'classical', cluster text DEFAULT NULL,
	strata text DEFAULT NULL, weight_type text DEFAULT 'frequency',
	lonely_psu text DEFAULT 'fail', fpc text DEFAULT NULL,
	cluster2 text DEFAULT NULL, fpc2 text DEFAULT NULL,
	domain text DEFAULT NULL, block_labels text[] DEFAULT NULL,
	model_labels text[] DEFAULT NULL, digits int DEFAULT 3,
	decimal_mark text DEFAULT '.', leading_zero bool DEFAULT true,
	star_levels float8[] DEFAULT '{0.05,0.01,0.001}',
	labels jsonb DEFAULT NULL, captions jsonb DEFAULT NULL,
	language text DEFAULT 'en', title text DEFAULT NULL)
RETURNS TABLE(table_title text, row_no int, row_kind text, row_label text,
	section text, column_no int, column_label text, value float8,
	stars text, cell text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT l.* FROM survey_reg._long((SELECT pg_catalog.jsonb_agg(t ORDER BY t.row_no)
		FROM survey_reg.logistic_table(
			source, dependent, blocks, weight, intercept, se, cluster, strata,
			weight_type, lonely_psu, fpc, cluster2, fpc2, domain, block_labels,
			model_labels, digits,
			decimal_mark, leading_zero, star_levels, labels, captions,
			language, title) t)) l
$$;
COMMENT ON FUNCTION survey_reg.logistic_table_long(text, text, text[], text, bool, text, text, text, text, text, text, text, text, text, text[], text[], int, text, bool, float8[], jsonb, jsonb, text, text) IS
	'logistic_table in long form for BI tools: one row per cell with its row and column position and labels, numeric value (float8, as printed), stars and text';
