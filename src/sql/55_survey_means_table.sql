-- survey_means_table: design-based estimates as a formatted table (issue
-- 16): per variable (and group of by) the mean, or the percentage of a
-- boolean variable, its SE, the 95% interval on the design df, and n; in
-- the style and layout of the other formatted tables (50_report.sql).
CREATE FUNCTION survey_reg._survey_means_rows(src text, variables text[],
	weight text, strata text, cluster text, fpc text, cluster2 text,
	fpc2 text, by text, domain text, lonely_psu text, title text, style jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	-- the words of this table (captions => overrides them, as any other)
	words jsonb := '{"title_survey_means": "Design-based estimates{domain}",
		"estimate": "Mean / %", "se_design": "SE", "ci95": "95% CI",
		"group": "Group", "in_domain": " (domain: {domain})"}'::jsonb
		|| (style->'captions');
	rws jsonb[] := '{}';
	r record;
	pct bool;
	k float8;
	sep text := CASE WHEN style->>'dm' = ',' THEN '; ' ELSE ', ' END;
	prev text;
	cells text[];
BEGIN
	IF title IS NULL THEN
		title := survey_reg._fill(words->>'title_survey_means', ARRAY['domain'],
			ARRAY[CASE WHEN domain IS NOT NULL
				THEN survey_reg._fill(words->>'in_domain', ARRAY['domain'],
					ARRAY[survey_reg._label(domain, style)]) ELSE '' END]);
	END IF;
	IF title <> '' THEN
		rws := rws || survey_reg._row('title', title);
	END IF;
	rws := rws || survey_reg._row('header', survey_reg._caption('variable', style),
		CASE WHEN by IS NOT NULL THEN ARRAY[words->>'group'] ELSE '{}' END
		|| ARRAY[words->>'estimate', words->>'se_design', words->>'ci95',
			survey_reg._caption('n', style)]);
	FOR r IN
		SELECT m.*, a.atttypid = 'boolean'::regtype AS boolean,
			array_position(variables, m.variable) AS o
		FROM survey_reg.survey_means(src, variables, weight, strata, cluster,
			fpc, cluster2, fpc2, by, domain, lonely_psu) m
		LEFT JOIN pg_attribute a ON a.attrelid = src::regclass
			AND a.attname = m.variable AND NOT a.attisdropped
		ORDER BY o, m.group_value COLLATE "C"
	LOOP
		pct := coalesce(r.boolean, false);
		k := CASE WHEN pct THEN 100 ELSE 1 END;
		cells := CASE WHEN by IS NOT NULL THEN ARRAY[coalesce(r.group_value, '')] ELSE '{}' END
			|| ARRAY[coalesce(survey_reg._num(k * r.mean, style) || CASE WHEN pct THEN '%' ELSE '' END, ''),
				coalesce(survey_reg._num(k * r.se, style), ''),
				coalesce('[' || survey_reg._num(k * r.ci_lower, style) || sep
					|| survey_reg._num(k * r.ci_upper, style) || ']', ''),
				r.n::text];
		rws := rws || survey_reg._row('variable',
			CASE WHEN r.variable IS NOT DISTINCT FROM prev THEN ''
				ELSE survey_reg._label(r.variable, style) END, cells);
		prev := r.variable;
	END LOOP;
	RETURN survey_reg._table(rws);
END
$$;

CREATE FUNCTION survey_reg.survey_means_table(source text, variables text[],
	weight text DEFAULT NULL, strata text DEFAULT NULL,
	cluster text DEFAULT NULL, fpc text DEFAULT NULL,
	cluster2 text DEFAULT NULL, fpc2 text DEFAULT NULL,
	by text DEFAULT NULL, domain text DEFAULT NULL,
	lonely_psu text DEFAULT 'fail', digits int DEFAULT 2,
	decimal_mark text DEFAULT '.', labels jsonb DEFAULT NULL,
	captions jsonb DEFAULT NULL, language text DEFAULT 'en',
	title text DEFAULT NULL)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT * FROM survey_reg._lay_out(survey_reg._survey_means_rows(
		survey_reg._relation_name(source::pg_catalog.regclass), variables,
		weight, strata, cluster, fpc, cluster2, fpc2, by, domain, lonely_psu,
		title, survey_reg._style(digits, decimal_mark, true, NULL, labels,
			captions, language)))
$$;
COMMENT ON FUNCTION survey_reg.survey_means_table(text, text[], text, text, text, text, text, text, text, text, text, int, text, jsonb, jsonb, text, text) IS
	'survey_means as a formatted table: per variable (and group) the mean, or the percentage of a boolean variable, its design-based SE, 95% interval on the design df, and n';

-- its long, typed form for BI tools (as the others', src/sql/55_long.sql)
CREATE FUNCTION survey_reg.survey_means_table_long(source text, variables text[],
	weight text DEFAULT NULL, strata text DEFAULT NULL,
	cluster text DEFAULT NULL, fpc text DEFAULT NULL,
	cluster2 text DEFAULT NULL, fpc2 text DEFAULT NULL,
	by text DEFAULT NULL, domain text DEFAULT NULL,
	lonely_psu text DEFAULT 'fail', digits int DEFAULT 2,
	decimal_mark text DEFAULT '.', labels jsonb DEFAULT NULL,
	captions jsonb DEFAULT NULL, language text DEFAULT 'en',
	title text DEFAULT NULL)
RETURNS TABLE(table_title text, row_no int, row_kind text, row_label text,
	section text, column_no int, column_label text, value float8,
	stars text, cell text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT l.* FROM survey_reg._long((SELECT pg_catalog.jsonb_agg(t ORDER BY t.row_no)
		FROM survey_reg.survey_means_table(
			source, variables, weight, strata, cluster, fpc, cluster2, fpc2,
			by, domain, lonely_psu, digits, decimal_mark, labels, captions,
			language, title) t)) l
$$;
COMMENT ON FUNCTION survey_reg.survey_means_table_long(text, text[], text, text, text, text, text, text, text, text, text, int, text, jsonb, jsonb, text, text) IS
	'survey_means_table in long form for BI tools: one row per cell with its row and column position and labels, numeric value (float8, as printed), stars and text';
