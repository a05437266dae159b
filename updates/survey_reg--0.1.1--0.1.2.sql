-- survey_reg 0.1.1 -> 0.1.2
--
-- Every change to src/sql/ in 0.1.2 is repeated here, in the same order
-- (new sections above the privileges section, which must stay last);
-- test/persistence.sql checks that updating from 0.1.0 or 0.1.1 gives a
-- fresh install's objects.

\echo Use "ALTER EXTENSION survey_reg UPDATE TO '0.1.2'" to load this file. \quit

-- issue 12, item 6: _check_column (used by frequencies) in C, so that a
-- caller without SELECT gets the table-name forms' 42501 with its detail
-- and hint (src/sql/50_report.sql)
CREATE OR REPLACE FUNCTION survey_reg._check_column(rel regclass, col text)
RETURNS void
AS 'MODULE_PATHNAME', 'check_column_sql' LANGUAGE C STABLE PARALLEL SAFE;

-- issue 19: frequencies() reads a reloaded table's rows (locks, then a
-- fresh snapshot: VOLATILE), joins value labels in one grouping (was
-- quadratic) and rejects label keys that mean the same number
CREATE OR REPLACE FUNCTION survey_reg._frequencies(rel regclass, variable text,
	weight text, value_labels jsonb)
RETURNS TABLE(value float8, label text, n float8, percent float8,
	valid_percent float8, cumulative_percent float8, kind text)
LANGUAGE plpgsql VOLATILE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	relname text;
	vals float8[];
	counts float8[];
	bad_weight float8;
	nvalid float8 := 0;
	nmissing float8 := 0;
	nall float8 := 0;
	cum float8 := 0;
	badkey text;
	labelled float8[];
	label_texts text[];
	v float8;
	c float8;
	lab text;
BEGIN
	IF rel IS NULL OR variable IS NULL THEN
		RETURN;
	END IF;
	relname := survey_reg._relation_name(rel);
	PERFORM survey_reg._check_column(rel, variable);
	IF weight IS NOT NULL THEN
		PERFORM survey_reg._check_column(rel, weight);
	END IF;
	IF value_labels IS NOT NULL THEN
		IF jsonb_typeof(value_labels) <> 'object' THEN
			RAISE EXCEPTION 'value_labels must be a jsonb object of value: label pairs'
				USING ERRCODE = 'invalid_parameter_value',
					HINT = 'For example ''{"0": "Strongly disagree", "4": "Strongly agree"}''.';
		END IF;
		SELECT key INTO badkey FROM jsonb_object_keys(value_labels) AS key
		WHERE key !~ '^\s*[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?\s*$' LIMIT 1;
		IF badkey IS NOT NULL THEN
			RAISE EXCEPTION 'value label key "%" is not a number', badkey
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		SELECT string_agg(format('"%s"', e.key), ', ' ORDER BY e.key) INTO badkey
		FROM jsonb_each_text(value_labels) e
		WHERE e.key::float8 IN (SELECT d.key::float8 FROM jsonb_object_keys(value_labels) AS d(key)
			GROUP BY 1 HAVING count(*) > 1);
		IF badkey IS NOT NULL THEN
			RAISE EXCEPTION 'value label keys % mean the same number', badkey
				USING ERRCODE = 'invalid_parameter_value',
					HINT = 'Give each value one label.';
		END IF;
		SELECT array_agg(e.key::float8), array_agg(e.value)
		INTO labelled, label_texts
		FROM jsonb_each_text(value_labels) e;
	END IF;

	-- Lock the relation (and a view's tables) in a statement of its own,
	-- so that the scan's snapshot, taken when the scan starts, is taken
	-- after any wait for another transaction's reload (as PostgreSQL's own
	-- statements do; hence VOLATILE: a STABLE function reads the caller's
	-- snapshot, from before the wait).
	EXECUTE format('SELECT FROM %s LIMIT 0', relname);

	-- one scan: the weighted count of every distinct value (NULL, NaN and
	-- infinite values are missing), and the first invalid weight if any
	EXECUTE format($q$
		SELECT array_agg(g.v ORDER BY g.v), array_agg(g.n ORDER BY g.v), min(g.bad)
		FROM (SELECT r.v, sum(r.w) AS n,
				min(r.w) FILTER (WHERE r.w < 0 OR r.w IN ('Infinity', '-Infinity', 'NaN')) AS bad
			FROM (SELECT (%I)::pg_catalog.float8 AS v, %s AS w FROM %s) r
			WHERE r.w IS NOT NULL AND r.w <> 0
			GROUP BY r.v) g$q$,
		variable,
		CASE WHEN weight IS NULL THEN '1::pg_catalog.float8'
			ELSE format('(%I)::pg_catalog.float8', weight) END,
		relname)
	INTO vals, counts, bad_weight;
	IF bad_weight IS NOT NULL THEN
		RAISE EXCEPTION 'weight % is not allowed', bad_weight
			USING ERRCODE = 'invalid_parameter_value',
				DETAIL = format('Column "%s" has a negative or non-finite weight.', weight),
				HINT = 'Frequency weights must be finite and non-negative; rows with a NULL or zero weight are skipped.';
	END IF;

	FOR i IN 1 .. coalesce(array_length(vals, 1), 0) LOOP
		nall := nall + counts[i];
		IF vals[i] IS NOT NULL AND vals[i] NOT IN ('Infinity', '-Infinity', 'NaN') THEN
			nvalid := nvalid + counts[i];
		ELSE
			nmissing := nmissing + counts[i];
		END IF;
	END LOOP;

	-- valid values, with the labelled values that no row has (n = 0)
	-- (labels joined by one grouping: a lookup per value was quadratic)
	FOR v, c, lab IN
		SELECT u.v, coalesce(sum(u.c), 0), min(u.lab)
		FROM (SELECT x.v, x.c, NULL::text AS lab FROM unnest(vals, counts) AS x(v, c)
			WHERE x.v IS NOT NULL AND x.v NOT IN ('Infinity', '-Infinity', 'NaN')
			UNION ALL
			SELECT l.v, NULL, l.lab FROM unnest(labelled, label_texts) AS l(v, lab)) u
		GROUP BY u.v ORDER BY u.v
	LOOP
		cum := cum + c;
		value := v;
		label := coalesce(lab, v::text);
		n := c;
		percent := CASE WHEN nall > 0 THEN 100 * c / nall END;
		valid_percent := CASE WHEN nvalid > 0 THEN 100 * c / nvalid END;
		cumulative_percent := CASE WHEN nvalid > 0 THEN 100 * cum / nvalid END;
		kind := 'value';
		RETURN NEXT;
	END LOOP;

	value := NULL;
	cumulative_percent := NULL;
	label := 'Total valid';
	n := nvalid;
	percent := CASE WHEN nall > 0 THEN 100 * nvalid / nall END;
	valid_percent := CASE WHEN nvalid > 0 THEN 100 END;
	kind := 'valid_total';
	RETURN NEXT;
	label := 'Missing';
	n := nmissing;
	percent := CASE WHEN nall > 0 THEN 100 * nmissing / nall END;
	valid_percent := NULL;
	kind := 'missing';
	RETURN NEXT;
	label := 'Total';
	n := nall;
	percent := CASE WHEN nall > 0 THEN 100 END;
	kind := 'total';
	RETURN NEXT;
END
$$;


-- issue 19: report() draws a continuous dependent as a histogram (at most
-- 20 bins) instead of a bar per distinct value
CREATE FUNCTION survey_reg._histogram_rows(src text, variable text,
	weight text, width int, style jsonb)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	rws jsonb[] := '{}';
	vals float8[];
	ns float8[];
	nvalid float8;
	lo float8;
	bw float8;
	nb int;
	rec record;
	units int;
	title text;
BEGIN
	SELECT array_agg(f.value ORDER BY f.value), array_agg(f.n ORDER BY f.value), sum(f.n)
	INTO vals, ns, nvalid
	FROM survey_reg.frequencies(src, variable, weight) f
	WHERE f.kind = 'value' AND f.n > 0;
	nb := greatest(1, least(20, ceil(ln(greatest(nvalid, 1)) / ln(2) + 1)::int));
	lo := vals[1];
	bw := (vals[array_upper(vals, 1)] - lo) / nb;
	FOR rec IN
		SELECT b.i, coalesce(h.n, 0) AS n,
			100 * coalesce(h.n, 0) / nvalid AS pct,
			max(100 * coalesce(h.n, 0) / nvalid) OVER () AS vmax
		FROM generate_series(1, nb) AS b(i)
		LEFT JOIN (SELECT least(greatest(width_bucket(x.v, lo, lo + nb * bw, nb), 1), nb) AS i,
				sum(x.n) AS n
			FROM unnest(vals, ns) AS x(v, n) GROUP BY 1) h USING (i)
		ORDER BY b.i
	LOOP
		units := coalesce(round(8 * width * rec.pct / nullif(rec.vmax, 0))::int, 0);
		rws := rws || (survey_reg._row('bar',
				survey_reg._num(lo + (rec.i - 1) * bw, style) || '–'
					|| survey_reg._num(lo + rec.i * bw, style),
				ARRAY[repeat('█', units / 8) || substr('▏▎▍▌▋▊▉', units % 8, 1),
					coalesce(survey_reg._num(rec.pct, style) || '%', '')], 'lr')
			|| jsonb_build_object('value', rec.pct, 'n', rec.n));
	END LOOP;
	title := survey_reg._fill(survey_reg._caption('title_chart', style),
		ARRAY['variable', 'n'],
		ARRAY[survey_reg._label(variable, style), survey_reg._n_text(ARRAY[nvalid])]);
	IF title <> '' THEN
		rws := survey_reg._row('title', title) || rws;
	END IF;
	RETURN survey_reg._table(rws, 'lr');
END
$$;

CREATE OR REPLACE FUNCTION survey_reg._report(src text, dependent text, blocks text[],
	variables text[], dummies text[], scales jsonb, indices text[],
	index_items text[], figure_variable text, value_labels jsonb,
	weight text, missing text, labels jsonb, block_labels text[],
	model_labels text[], captions jsonb, language text, statistic text,
	digits int, descriptive_digits int, significant int, decimal_mark text,
	leading_zero bool, star_levels float8[], title text, note text,
	fmt text, generated_at timestamptz)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	style jsonb := survey_reg._style(digits, decimal_mark, leading_zero,
		star_levels, labels, captions, language);
	dstyle jsonb := survey_reg._style(descriptive_digits, decimal_mark, true,
		NULL, labels, captions, language);
	pstyle jsonb := survey_reg._style(1, decimal_mark, true, NULL, labels,
		captions, language);
	vars text[] := coalesce(variables, survey_reg._model_columns(dependent, blocks));
	fig text := coalesce(figure_variable, dependent);
	t_desc jsonb;
	t_chart jsonb;
	t_rel jsonb;
	t_reg jsonb;
	t_cor jsonb;
	tno int := 0;
	doc text;
	meta text;
	version text;
	tab text := survey_reg._caption('table', style);
	figword text := survey_reg._caption('figure', style);
	chart_lines text;
BEGIN
	IF fmt IS NULL OR fmt NOT IN ('html', 'markdown') THEN
		RAISE EXCEPTION 'format must be ''html'' or ''markdown'''
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF (indices IS NULL) <> (index_items IS NULL) THEN
		RAISE EXCEPTION 'indices and index_items go together'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	-- the analyses, each as a table
	t_desc := survey_reg._descriptive_src_rows(src, vars, missing, weight,
		dummies, scales, '{mean,sd}', significant, NULL, dstyle);
	IF value_labels IS NULL AND (SELECT count(*) FROM survey_reg.frequencies(src, fig, weight) f
			WHERE f.kind = 'value') > 30 THEN
		t_chart := survey_reg._histogram_rows(src, fig, weight, 40, pstyle);
	ELSE
		t_chart := survey_reg._chart_rows(src, fig, weight, value_labels,
			'valid_percent', 40, NULL, NULL, pstyle);
	END IF;
	IF indices IS NOT NULL THEN
		t_rel := survey_reg._reliability_rows(src, indices, index_items, weight,
			'{k,n,alpha,alpha_ci,mean_r}', NULL, style);
	END IF;
	t_reg := survey_reg._regression_rows(
		survey_reg.table_moments(src, survey_reg._model_columns(dependent, blocks), weight),
		dependent, blocks, true, statistic, block_labels, model_labels,
		'{n,r2,adj_r2,r2_change}', NULL, style);
	t_cor := survey_reg._correlation_src_rows(src, vars, missing, weight, '–',
		true, NULL, style);

	title := coalesce(title, survey_reg._fill(survey_reg._caption('report_title', style),
		ARRAY['dependent'], ARRAY[survey_reg._label(dependent, style)]));
	SELECT extversion INTO version FROM pg_extension WHERE extname = 'survey_reg';
	meta := survey_reg._caption('source', style) || ': ' || src
		|| CASE WHEN weight IS NOT NULL THEN ' (weight ' || weight || ')' ELSE '' END
		|| CASE WHEN generated_at IS NOT NULL THEN ' · ' || survey_reg._caption('generated', style)
			|| ' ' || to_char(generated_at, 'YYYY-MM-DD HH24:MI TZ') ELSE '' END;

	IF fmt = 'markdown' THEN
		SELECT string_agg(l.line, E'\n' ORDER BY l.row_no) INTO chart_lines
		FROM survey_reg._lay_out(t_chart) l WHERE l.kind = 'bar';
		doc := '# ' || survey_reg._md(title) || E'\n\n'
			|| CASE WHEN note IS NOT NULL THEN '> ' || survey_reg._md(note) || E'\n\n' ELSE '' END
			|| '_' || survey_reg._md(meta) || E'_\n\n';
		tno := tno + 1;
		doc := doc || survey_reg._markdown_table(t_desc, tab || ' ' || tno || '.') || E'\n';
		doc := doc || '**' || survey_reg._md(figword || ' 1.') || '** '
			|| survey_reg._md((SELECT e->>'label' FROM jsonb_array_elements(t_chart->'rows') e
				WHERE e->>'kind' = 'title' LIMIT 1)) || E'\n\n```text\n'
			|| coalesce(chart_lines, '') || E'\n```\n\n';
		IF t_rel IS NOT NULL THEN
			tno := tno + 1;
			doc := doc || survey_reg._markdown_table(t_rel, tab || ' ' || tno || '.') || E'\n';
		END IF;
		tno := tno + 1;
		doc := doc || survey_reg._markdown_table(t_reg, tab || ' ' || tno || '.') || E'\n';
		tno := tno + 1;
		doc := doc || survey_reg._markdown_table(t_cor, tab || ' ' || tno || '.');
		RETURN doc;
	END IF;

	doc := '<!DOCTYPE html>' || E'\n'
		|| format('<html lang="%s">', survey_reg._html(coalesce(language, 'en'))) || E'\n'
		|| '<head>' || E'\n<meta charset="utf-8">\n'
		|| '<meta name="viewport" content="width=device-width, initial-scale=1">' || E'\n'
		|| '<meta name="generator" content="survey_reg ' || survey_reg._html(coalesce(version, '')) || '">' || E'\n'
		|| '<title>' || survey_reg._html(title) || '</title>' || E'\n'
		|| '<style>' || E'\n'
		|| 'body{font-family:"DejaVu Serif",Georgia,"Times New Roman",serif;color:#222;max-width:64em;margin:1.5em auto;padding:0 1em;line-height:1.35}' || E'\n'
		|| 'h1{font-size:1.5em;margin-bottom:.3em}' || E'\n'
		|| '.note{background:#fff4d6;border-left:4px solid #d99a00;padding:.4em .8em;font-weight:bold}' || E'\n'
		|| '.meta{color:#555;font-size:.9em}' || E'\n'
		|| 'section{margin:2em 0;overflow-x:auto}' || E'\n'
		|| 'table.pub{border-collapse:collapse;border-top:2px solid #222;border-bottom:2px solid #222;font-variant-numeric:tabular-nums;margin:.4em 0}' || E'\n'
		|| 'table.pub caption{caption-side:top;text-align:left;padding:0 0 .5em 0}' || E'\n'
		|| 'table.pub th,table.pub td{padding:.2em .7em;vertical-align:top}' || E'\n'
		|| 'table.pub thead th{border-bottom:1px solid #222;font-weight:normal;font-style:italic}' || E'\n'
		|| 'table.pub th.stub{text-align:left;font-weight:normal}' || E'\n'
		|| 'table.pub .r{text-align:right;white-space:nowrap}' || E'\n'
		|| 'table.pub .l{text-align:left}' || E'\n'
		|| 'table.pub tr.block th{text-align:left;font-weight:bold;padding-top:.6em}' || E'\n'
		|| 'table.pub tr.subhead th{border-top:1px solid #222;border-bottom:1px solid #222;font-style:italic;font-weight:normal}' || E'\n'
		|| 'table.pub tr.n th,table.pub tr.n td{border-top:1px solid #222}' || E'\n'
		|| 'table.pub .st{display:inline-block;width:1.6em;text-align:left}' || E'\n'
		|| '.tnote{font-size:.9em;margin:.2em 0}' || E'\n'
		|| 'figure{margin:0}figcaption{margin-bottom:.5em}' || E'\n'
		|| 'svg.chart{max-width:100%;height:auto}' || E'\n'
		|| '</style>' || E'\n</head>\n<body>\n'
		|| '<header>' || E'\n<h1>' || survey_reg._html(title) || '</h1>' || E'\n'
		|| CASE WHEN note IS NOT NULL THEN '<p class="note">' || survey_reg._html(note) || '</p>' || E'\n' ELSE '' END
		|| '<p class="meta">' || survey_reg._html(meta) || '</p>' || E'\n</header>\n';
	tno := tno + 1;
	doc := doc || '<section id="descriptives">' || E'\n'
		|| survey_reg._html_table(t_desc, tab || ' ' || tno || '.', 'table-descriptives') || '</section>' || E'\n';
	doc := doc || '<section id="distribution">' || E'\n<figure id="figure-distribution">\n<figcaption><b>'
		|| survey_reg._html(figword || ' 1.') || '</b> '
		|| survey_reg._html((SELECT e->>'label' FROM jsonb_array_elements(t_chart->'rows') e
			WHERE e->>'kind' = 'title' LIMIT 1)) || '</figcaption>' || E'\n'
		|| survey_reg._svg_chart(t_chart, pstyle) || E'\n</figure>\n</section>\n';
	IF t_rel IS NOT NULL THEN
		tno := tno + 1;
		doc := doc || '<section id="reliability">' || E'\n'
			|| survey_reg._html_table(t_rel, tab || ' ' || tno || '.', 'table-reliability') || '</section>' || E'\n';
	END IF;
	tno := tno + 1;
	doc := doc || '<section id="regression">' || E'\n'
		|| survey_reg._html_table(t_reg, tab || ' ' || tno || '.', 'table-regression') || '</section>' || E'\n';
	tno := tno + 1;
	doc := doc || '<section id="correlations">' || E'\n'
		|| survey_reg._html_table(t_cor, tab || ' ' || tno || '.', 'table-correlations') || '</section>' || E'\n';
	RETURN doc || E'</body>\n</html>\n';
END
$$;

-- issue 16: design-based means and totals (src/sql/47_survey_means.sql)
-- Design-based means, totals and proportions (src/survey_means.c, API.md
-- section 9): R's svymean / svytotal with na.rm = TRUE, svyby and subset().
-- One grouped scan of the relation per call; not STRICT (a NULL source or
-- variables gives no rows, a NULL option is its default).  PARALLEL
-- RESTRICTED as the other table-name forms: it runs a query of its own (which
-- itself may use a parallel plan).
CREATE FUNCTION survey_reg.survey_means(source text, variables text[],
	weight text DEFAULT NULL, strata text DEFAULT NULL,
	cluster text DEFAULT NULL, fpc text DEFAULT NULL,
	cluster2 text DEFAULT NULL, fpc2 text DEFAULT NULL,
	by text DEFAULT NULL, domain text DEFAULT NULL,
	lonely_psu text DEFAULT 'fail')
RETURNS TABLE(group_value text, variable text, n bigint, mean float8,
	se float8, ci_lower float8, ci_upper float8, total float8,
	total_se float8, df float8)
AS 'MODULE_PATHNAME', 'survey_means_table' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION survey_reg.survey_means(text, text[], text, text, text, text, text, text, text, text, text) IS
	'design-based means (proportions of boolean variables) and totals with linearization SEs, t intervals on the design df, by groups and in a domain; strata, clusters (PSUs), first-stage fpc and two-stage designs (cluster2, fpc2), as R''s survey package';

-- issue 16: the design arguments fpc, cluster2, fpc2 and domain of the
-- table-name regressions (src/sql/40_regression.sql): a new signature
DROP FUNCTION survey_reg.coefficients(text, text, text[], text, bool, text, text, text, text, text);
DROP FUNCTION survey_reg.model_summary(text, text, text[], text, bool, text, text, text, text, text);
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
	'hierarchical OLS coefficients of a table or view (one scan; weight = frequency- or probability-weight column; se = classical, hc0-hc3, cluster (CR1) or design (linearization) with cluster and strata columns, a first-stage fpc, a second stage (cluster2, fpc2) and a domain)';

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
	'hierarchical OLS model summaries of a table or view (one scan; with a robust se, F and F change are Wald tests with that variance)';

-- issue 16: survey_means as a formatted table (src/sql/55_survey_means_table.sql)
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

-- issue 12, item 6: privileges for every role (src/sql/90_privileges.sql;
-- stays the last section: ALL FUNCTIONS must see every function)
GRANT USAGE ON SCHEMA survey_reg TO PUBLIC;
GRANT USAGE ON TYPE survey_reg.moments TO PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA survey_reg TO PUBLIC;
