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

-- issue 14: _float8_column, the one check of a column's type (numbers;
-- boolean as 0/1), used by frequencies (src/sql/50_report.sql)
-- The SQL expression that reads a column as float8 ("(col)::float8"; a
-- boolean as 0/1), after _check_column's checks; 42804 naming the column
-- and its type for any other type (table_api.c, column_float8_expr).
CREATE FUNCTION survey_reg._float8_column(rel regclass, col text)
RETURNS text
AS 'MODULE_PATHNAME', 'float8_column_sql' LANGUAGE C STABLE PARALLEL SAFE;

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
	-- the name again: a DROP + CREATE waited for made a new relation
	rel := relname::pg_catalog.regclass;

	-- one scan: the weighted count of every distinct value (NULL, NaN and
	-- infinite values are missing), and the first invalid weight if any
	EXECUTE format($q$
		SELECT array_agg(g.v ORDER BY g.v), array_agg(g.n ORDER BY g.v), min(g.bad)
		FROM (SELECT r.v, sum(r.w) AS n,
				min(r.w) FILTER (WHERE r.w < 0 OR r.w IN ('Infinity', '-Infinity', 'NaN')) AS bad
			FROM (SELECT %s AS v, %s AS w FROM %s) r
			WHERE r.w IS NOT NULL AND r.w <> 0
			GROUP BY r.v) g$q$,
		survey_reg._float8_column(rel, variable),
		CASE WHEN weight IS NULL THEN '1::pg_catalog.float8'
			ELSE survey_reg._float8_column(rel, weight) END,
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
	-- by default the dependent and the predictors that are plain columns
	-- (not factor(), not an interaction: issue 15)
	vars text[] := coalesce(variables, ARRAY(SELECT c
		FROM unnest(survey_reg._model_columns(dependent, blocks)) WITH ORDINALITY AS u(c, o)
		WHERE c !~ '[():*''"]' ORDER BY o));
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
	t_reg := (SELECT survey_reg._regression_rows(mm.m, dependent, mm.model_blocks,
		true, statistic, block_labels, model_labels, '{n,r2,adj_r2,r2_change}',
		NULL, style)
		FROM survey_reg._model_moments(src, dependent, blocks, weight) mm);
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
		|| 'table.pub th,table.pub td{padding:.2em .55em;vertical-align:top}' || E'\n'
		|| 'table.pub thead th{border-bottom:1px solid #222;font-weight:normal;font-style:italic}' || E'\n'
		|| 'table.pub th.stub{text-align:left;font-weight:normal;white-space:nowrap}' || E'\n'
		|| 'table.pub th.stub.wrap{white-space:normal;min-width:14em}' || E'\n'
		-- a caption as wide as its table or 36em, whichever is wider (at
		-- most the page): contain keeps it from widening the table
		|| 'table.pub caption{contain:inline-size}' || E'\n'
		|| 'table.pub caption .cap{display:block;width:max-content;max-width:min(max(36em,100%),calc(100vw - 2em))}' || E'\n'
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

-- issue 14, deliverable 5: the report's tables keep a row number with its
-- label and short labels unwrapped, and captions as wide as the table or
-- 36em ("N = ..." on one line); _report carries the CSS
CREATE OR REPLACE FUNCTION survey_reg._html_table(t jsonb, prefix text DEFAULT NULL,
	id text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	rws jsonb := coalesce(t->'rows', '[]');
	nrows int := jsonb_array_length(coalesce(t->'rows', '[]'));
	talign text := coalesce(t->>'align', '');
	ncols int := 0;
	starcol bool[];
	r jsonb;
	k text;
	a text;
	c text[];
	parts text[];
	cell text;
	caption text := '';
	notes text := '';
	head text := '';
	body text := '';
	tr text;
	seen_header bool := false;
BEGIN
	FOR i IN 0 .. nrows - 1 LOOP
		ncols := greatest(ncols, jsonb_array_length(coalesce(rws->i->'cells', '[]')));
	END LOOP;
	starcol := array_fill(false, ARRAY[greatest(ncols, 1)]);
	FOR i IN 0 .. nrows - 1 LOOP
		CONTINUE WHEN rws->i->>'kind' IN ('header', 'title', 'note', 'block');
		c := survey_reg._cells(rws->i->'cells');
		FOR j IN 1 .. coalesce(array_length(c, 1), 0) LOOP
			IF survey_reg._split_stars(c[j]) IS NOT NULL THEN
				starcol[j] := true;
			END IF;
		END LOOP;
	END LOOP;
	FOR i IN 0 .. nrows - 1 LOOP
		r := rws->i;
		k := r->>'kind';
		c := survey_reg._cells(r->'cells');
		a := coalesce(r->>'align', talign);
		IF k = 'title' THEN
			caption := caption || CASE WHEN caption <> '' THEN '<br>' ELSE '' END
				|| survey_reg._html(r->>'label');
		ELSIF k = 'note' THEN
			notes := notes || '<p class="tnote">' || survey_reg._html(r->>'label') || '</p>' || E'\n';
		ELSIF k = 'block' THEN
			body := body || format('<tr class="block"><th colspan="%s" scope="rowgroup">%s</th></tr>',
				ncols + 1, survey_reg._html(r->>'label')) || E'\n';
		ELSE
			-- a row number stays with its label (1.&nbsp;name); labels up
			-- to 30 characters do not wrap (CSS), longer ones may
			tr := format('<th class="%s" scope="%s">%s</th>',
				CASE WHEN length(r->>'label') > 30 THEN 'stub wrap' ELSE 'stub' END,
				CASE WHEN k = 'header' THEN 'col' ELSE 'row' END,
				regexp_replace(survey_reg._html(r->>'label'), '^([0-9]+\.) ', '\1&nbsp;'));
			FOR j IN 1 .. ncols LOOP
				cell := coalesce(c[j], '');
				IF k = 'header' THEN
					tr := tr || format('<th class="%s" scope="col">%s</th>',
						CASE WHEN substr(a, j, 1) = 'l' THEN 'l' ELSE 'r' END, survey_reg._html(cell));
				ELSE
					parts := survey_reg._split_stars(cell);
					IF substr(a, j, 1) = 'l' THEN
						cell := survey_reg._html(cell);
					ELSIF starcol[j] AND cell <> '' THEN
						cell := survey_reg._html(coalesce(parts[1], cell))
							|| '<span class="st">' || coalesce(parts[2], '') || '</span>';
					ELSE
						cell := survey_reg._html(cell);
					END IF;
					tr := tr || format('<td class="%s">%s</td>',
						CASE WHEN substr(a, j, 1) = 'l' THEN 'l' ELSE 'r' END, cell);
				END IF;
			END LOOP;
			IF k = 'header' AND NOT seen_header THEN
				head := '<thead><tr>' || tr || '</tr></thead>' || E'\n';
				seen_header := true;
			ELSE
				body := body || format('<tr class="%s">', CASE WHEN k = 'header' THEN 'subhead' ELSE k END)
					|| tr || '</tr>' || E'\n';
			END IF;
		END IF;
	END LOOP;
	RETURN format('<table class="pub"%s>', CASE WHEN id IS NOT NULL THEN format(' id="%s"', survey_reg._html(id)) ELSE '' END)
		|| E'\n'
		-- the caption's text in a span that may be wider than the table
		-- (CSS: table.pub caption .cap), "N = 1178" kept on one line (no-
		-- break spaces; "N=1178" has no break anyway)
		|| CASE WHEN caption <> '' OR prefix IS NOT NULL THEN
			'<caption><span class="cap">' || CASE WHEN prefix IS NOT NULL THEN '<b>' || survey_reg._html(prefix) || '</b> ' ELSE '' END
			|| regexp_replace(caption, '\mN = ([0-9])', 'N&nbsp;=&nbsp;\1', 'g')
			|| '</span></caption>' || E'\n' ELSE '' END
		|| head || '<tbody>' || E'\n' || body || '</tbody></table>' || E'\n' || notes;
END
$$;

-- issue 14, item 4: the formatted tables in long, typed form (src/sql/55_long.sql)
-- Formatted tables in long, typed form for BI tools (issue 14, item 4).
--
-- Each formatted table (TABLE(row_no, kind, label, cells text[], line)) has
-- a companion <name>_long with the same arguments that returns one row per
-- cell, every column a scalar, so that a BI tool (over ODBC, JDBC, ...)
-- can pivot it without parsing an array literal:
--
--   table_title   the table's title row (NULL if it has none)
--   row_no        the printed row's number in the formatted table
--   row_kind      what the row is (term, constant, n, r2, variable, value, ...)
--   row_label     the row's stub
--   section       the block (regression) or later header (descriptives'
--                 dichotomous variables) the row is under; NULL if none
--   column_no     the cell's position in cells (1, 2, ...)
--   column_label  the label of that column in the header above (NULL if none)
--   value         the number the cell shows, as float8 (rounded as printed;
--                 NaN and ±Infinity as such); NULL when the cell shows none
--                 (empty, '–', a bar, an interval '[a, b]')
--   stars         the cell's significance stars ('' when none)
--   cell          the cell as printed
--
-- Title, header, block and note (legend) rows carry no cells of their own:
-- their text is in table_title, column_label and section.  The value is the
-- printed one on purpose: the long form pivots back to exactly the printed
-- table; full precision is in the analyses themselves (coefficients,
-- describe, correlations, reliability, frequencies).

CREATE FUNCTION survey_reg._long(t jsonb)
RETURNS TABLE(table_title text, row_no int, row_kind text, row_label text,
	section text, column_no int, column_label text, value float8,
	stars text, cell text)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r jsonb;
	k text;
	hdr text[];
	seen_header bool := false;
	hsect text;
	bsect text;
	c text[];
	m text[];
BEGIN
	SELECT e->>'label' INTO table_title
	FROM jsonb_array_elements(coalesce(t, '[]')) e WHERE e->>'kind' = 'title' LIMIT 1;
	FOR r IN SELECT e FROM jsonb_array_elements(coalesce(t, '[]')) WITH ORDINALITY AS a(e, o)
		ORDER BY a.o
	LOOP
		k := r->>'kind';
		IF k = 'header' THEN
			-- a later header starts a section (descriptives' dummies)
			hdr := survey_reg._cells(r->'cells');
			IF seen_header THEN
				hsect := nullif(r->>'label', '');
			END IF;
			seen_header := true;
			CONTINUE;
		ELSIF k = 'block' THEN
			bsect := nullif(r->>'label', '');
			CONTINUE;
		ELSIF k IN ('title', 'note') THEN
			CONTINUE;
		END IF;
		c := survey_reg._cells(r->'cells');
		FOR j IN 1 .. coalesce(array_length(c, 1), 0) LOOP
			row_no := (r->>'row_no')::int;
			row_kind := k;
			row_label := r->>'label';
			-- a block holds its terms; the summary rows below are in none
			section := CASE WHEN k = 'term' THEN bsect ELSE hsect END;
			column_no := j;
			column_label := hdr[j];
			cell := c[j];
			-- a number (decimal point or comma, leading zero optional, a
			-- percent sign) with its stars, then the end or a blank
			m := regexp_match(c[j],
				'^(NaN|-?Infinity|-?[0-9]*[.,]?[0-9]+)%?(\**)(\s|$)');
			value := replace(m[1], ',', '.')::float8;
			stars := coalesce(m[2], '');
			RETURN NEXT;
		END LOOP;
	END LOOP;
END
$$;

CREATE FUNCTION survey_reg.correlation_table_long(
	m survey_reg.moments, variables text[] DEFAULT NULL,
	diagonal text DEFAULT '–', numbered bool DEFAULT false,
	digits int DEFAULT 3, decimal_mark text DEFAULT '.',
	leading_zero bool DEFAULT true,
	star_levels float8[] DEFAULT '{0.05,0.01,0.001}',
	labels jsonb DEFAULT NULL, captions jsonb DEFAULT NULL,
	language text DEFAULT 'en', title text DEFAULT NULL)
RETURNS TABLE(table_title text, row_no int, row_kind text, row_label text,
	section text, column_no int, column_label text, value float8,
	stars text, cell text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT l.* FROM survey_reg._long((SELECT pg_catalog.jsonb_agg(t ORDER BY t.row_no)
		FROM survey_reg.correlation_table(
			m, variables, diagonal, numbered, digits, decimal_mark,
			leading_zero, star_levels, labels, captions, language, title) t)) l
$$;
COMMENT ON FUNCTION survey_reg.correlation_table_long(survey_reg.moments, text[], text, bool, int, text, bool, float8[], jsonb, jsonb, text, text) IS
	'correlation_table in long form for BI tools: one row per cell with its row and column position and labels, numeric value (float8, as printed), stars and text';

CREATE FUNCTION survey_reg.correlation_table_long(
	source text, variables text[], missing text DEFAULT 'listwise',
	weight text DEFAULT NULL, diagonal text DEFAULT '–',
	numbered bool DEFAULT false, digits int DEFAULT 3,
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
		FROM survey_reg.correlation_table(
			source, variables, missing, weight, diagonal, numbered, digits,
			decimal_mark, leading_zero, star_levels, labels, captions,
			language, title) t)) l
$$;
COMMENT ON FUNCTION survey_reg.correlation_table_long(text, text[], text, text, text, bool, int, text, bool, float8[], jsonb, jsonb, text, text) IS
	'correlation_table in long form for BI tools: one row per cell with its row and column position and labels, numeric value (float8, as printed), stars and text';

CREATE FUNCTION survey_reg.descriptives_table_long(
	m survey_reg.moments, variables text[] DEFAULT NULL,
	dummies text[] DEFAULT NULL, scales jsonb DEFAULT NULL,
	statistics text[] DEFAULT '{mean,sd}', digits int DEFAULT 2,
	significant int DEFAULT NULL, decimal_mark text DEFAULT '.',
	labels jsonb DEFAULT NULL, captions jsonb DEFAULT NULL,
	language text DEFAULT 'en', title text DEFAULT NULL)
RETURNS TABLE(table_title text, row_no int, row_kind text, row_label text,
	section text, column_no int, column_label text, value float8,
	stars text, cell text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT l.* FROM survey_reg._long((SELECT pg_catalog.jsonb_agg(t ORDER BY t.row_no)
		FROM survey_reg.descriptives_table(
			m, variables, dummies, scales, statistics, digits, significant,
			decimal_mark, labels, captions, language, title) t)) l
$$;
COMMENT ON FUNCTION survey_reg.descriptives_table_long(survey_reg.moments, text[], text[], jsonb, text[], int, int, text, jsonb, jsonb, text, text) IS
	'descriptives_table in long form for BI tools: one row per cell with its row and column position and labels, numeric value (float8, as printed), stars and text';

CREATE FUNCTION survey_reg.descriptives_table_long(
	source text, variables text[], missing text DEFAULT 'listwise',
	weight text DEFAULT NULL, dummies text[] DEFAULT NULL,
	scales jsonb DEFAULT NULL, statistics text[] DEFAULT '{mean,sd}',
	digits int DEFAULT 2, significant int DEFAULT NULL,
	decimal_mark text DEFAULT '.', labels jsonb DEFAULT NULL,
	captions jsonb DEFAULT NULL, language text DEFAULT 'en',
	title text DEFAULT NULL)
RETURNS TABLE(table_title text, row_no int, row_kind text, row_label text,
	section text, column_no int, column_label text, value float8,
	stars text, cell text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT l.* FROM survey_reg._long((SELECT pg_catalog.jsonb_agg(t ORDER BY t.row_no)
		FROM survey_reg.descriptives_table(
			source, variables, missing, weight, dummies, scales, statistics,
			digits, significant, decimal_mark, labels, captions, language,
			title) t)) l
$$;
COMMENT ON FUNCTION survey_reg.descriptives_table_long(text, text[], text, text, text[], jsonb, text[], int, int, text, jsonb, jsonb, text, text) IS
	'descriptives_table in long form for BI tools: one row per cell with its row and column position and labels, numeric value (float8, as printed), stars and text';

CREATE FUNCTION survey_reg.frequency_chart_long(
	source text, variable text, weight text DEFAULT NULL,
	value_labels jsonb DEFAULT NULL,
	statistic text DEFAULT 'valid_percent', width int DEFAULT 40,
	bar text DEFAULT NULL, digits int DEFAULT 1,
	decimal_mark text DEFAULT '.', labels jsonb DEFAULT NULL,
	captions jsonb DEFAULT NULL, language text DEFAULT 'en',
	title text DEFAULT NULL)
RETURNS TABLE(table_title text, row_no int, row_kind text, row_label text,
	section text, column_no int, column_label text, value float8,
	stars text, cell text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT l.* FROM survey_reg._long((SELECT pg_catalog.jsonb_agg(t ORDER BY t.row_no)
		FROM survey_reg.frequency_chart(
			source, variable, weight, value_labels, statistic, width, bar,
			digits, decimal_mark, labels, captions, language, title) t)) l
$$;
COMMENT ON FUNCTION survey_reg.frequency_chart_long(text, text, text, jsonb, text, int, text, int, text, jsonb, jsonb, text, text) IS
	'frequency_chart in long form for BI tools: one row per cell with its row and column position and labels, numeric value (float8, as printed), stars and text';

CREATE FUNCTION survey_reg.frequency_table_long(
	source text, variable text, weight text DEFAULT NULL,
	value_labels jsonb DEFAULT NULL, digits int DEFAULT 1,
	decimal_mark text DEFAULT '.', labels jsonb DEFAULT NULL,
	captions jsonb DEFAULT NULL, language text DEFAULT 'en',
	title text DEFAULT NULL)
RETURNS TABLE(table_title text, row_no int, row_kind text, row_label text,
	section text, column_no int, column_label text, value float8,
	stars text, cell text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT l.* FROM survey_reg._long((SELECT pg_catalog.jsonb_agg(t ORDER BY t.row_no)
		FROM survey_reg.frequency_table(
			source, variable, weight, value_labels, digits, decimal_mark,
			labels, captions, language, title) t)) l
$$;
COMMENT ON FUNCTION survey_reg.frequency_table_long(text, text, text, jsonb, int, text, jsonb, jsonb, text, text) IS
	'frequency_table in long form for BI tools: one row per cell with its row and column position and labels, numeric value (float8, as printed), stars and text';

CREATE FUNCTION survey_reg.regression_table_long(
	m survey_reg.moments, dependent text, blocks text[],
	intercept bool DEFAULT true, statistic text DEFAULT 'beta',
	block_labels text[] DEFAULT NULL, model_labels text[] DEFAULT NULL,
	summary text[] DEFAULT '{n,r2,adj_r2,r2_change}', digits int DEFAULT 3,
	decimal_mark text DEFAULT '.', leading_zero bool DEFAULT true,
	star_levels float8[] DEFAULT '{0.05,0.01,0.001}',
	labels jsonb DEFAULT NULL, captions jsonb DEFAULT NULL,
	language text DEFAULT 'en', title text DEFAULT NULL)
RETURNS TABLE(table_title text, row_no int, row_kind text, row_label text,
	section text, column_no int, column_label text, value float8,
	stars text, cell text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT l.* FROM survey_reg._long((SELECT pg_catalog.jsonb_agg(t ORDER BY t.row_no)
		FROM survey_reg.regression_table(
			m, dependent, blocks, intercept, statistic, block_labels,
			model_labels, summary, digits, decimal_mark, leading_zero,
			star_levels, labels, captions, language, title) t)) l
$$;
COMMENT ON FUNCTION survey_reg.regression_table_long(survey_reg.moments, text, text[], bool, text, text[], text[], text[], int, text, bool, float8[], jsonb, jsonb, text, text) IS
	'regression_table in long form for BI tools: one row per cell with its row and column position and labels, numeric value (float8, as printed), stars and text';

CREATE FUNCTION survey_reg.regression_table_long(
	source text, dependent text, blocks text[], weight text DEFAULT NULL,
	intercept bool DEFAULT true, statistic text DEFAULT 'beta',
	block_labels text[] DEFAULT NULL, model_labels text[] DEFAULT NULL,
	summary text[] DEFAULT '{n,r2,adj_r2,r2_change}', digits int DEFAULT 3,
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
		FROM survey_reg.regression_table(
			source, dependent, blocks, weight, intercept, statistic,
			block_labels, model_labels, summary, digits, decimal_mark,
			leading_zero, star_levels, labels, captions, language, title) t)) l
$$;
COMMENT ON FUNCTION survey_reg.regression_table_long(text, text, text[], text, bool, text, text[], text[], text[], int, text, bool, float8[], jsonb, jsonb, text, text) IS
	'regression_table in long form for BI tools: one row per cell with its row and column position and labels, numeric value (float8, as printed), stars and text';

CREATE FUNCTION survey_reg.reliability_table_long(
	source text, indices text[], items text[], weight text DEFAULT NULL,
	statistics text[] DEFAULT '{k,n,alpha,alpha_ci,mean_r}',
	digits int DEFAULT 3, decimal_mark text DEFAULT '.',
	leading_zero bool DEFAULT true, labels jsonb DEFAULT NULL,
	captions jsonb DEFAULT NULL, language text DEFAULT 'en',
	title text DEFAULT NULL)
RETURNS TABLE(table_title text, row_no int, row_kind text, row_label text,
	section text, column_no int, column_label text, value float8,
	stars text, cell text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT l.* FROM survey_reg._long((SELECT pg_catalog.jsonb_agg(t ORDER BY t.row_no)
		FROM survey_reg.reliability_table(
			source, indices, items, weight, statistics, digits, decimal_mark,
			leading_zero, labels, captions, language, title) t)) l
$$;
COMMENT ON FUNCTION survey_reg.reliability_table_long(text, text[], text[], text, text[], int, text, bool, jsonb, jsonb, text, text) IS
	'reliability_table in long form for BI tools: one row per cell with its row and column position and labels, numeric value (float8, as printed), stars and text';

-- issue 14, item 3: COMMENT ON every public object (src/sql/85_comments.sql)
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

-- issue 18: the HC meat at the cost of a scan (src/sql/45_robust.sql)
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
-- issue 15: model terms (factor(), a:b, a*b, booleans) in the table-name
-- regression forms and in regression_table / report of a table
-- (src/sql/40_regression.sql, src/sql/50_report.sql)
COMMENT ON FUNCTION survey_reg.coefficients(text, text, text[], text, bool, text, text, text, text, text) IS
	'hierarchical OLS coefficients of a table or view (one scan; blocks of terms: col, factor(col), factor(col, ''ref''), a:b, a*b, booleans as 0/1; weight = frequency- or probability-weight column; se = classical, hc0-hc3, cluster (CR1) or design (linearization) with cluster and strata columns)';
COMMENT ON FUNCTION survey_reg.model_summary(text, text, text[], text, bool, text, text, text, text, text) IS
	'hierarchical OLS model summaries of a table or view (one scan; blocks of terms as coefficients; with a robust se, F and F change are Wald tests with that variance)';
CREATE FUNCTION survey_reg._model_moments(source text, dependent text,
	blocks text[], weight text, OUT m survey_reg.moments,
	OUT model_blocks text[])
AS 'MODULE_PATHNAME', 'model_moments_sql' LANGUAGE C STABLE PARALLEL RESTRICTED;
CREATE OR REPLACE FUNCTION survey_reg._regression_table_src(src text, dependent text,
	blocks text[], weight text, intercept bool, statistic text,
	block_labels text[], model_labels text[], summary text[], digits int,
	decimal_mark text, leading_zero bool, star_levels float8[], labels jsonb,
	captions jsonb, language text, title text)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT r.* FROM survey_reg._model_moments(src, dependent, blocks, weight) mm,
		LATERAL survey_reg.regression_table(mm.m, dependent, mm.model_blocks,
			intercept, statistic, block_labels, model_labels, summary, digits,
			decimal_mark, leading_zero, star_levels, labels, captions, language,
			title) r
$$;

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

-- issue 17: hierarchical logistic regression (src/sql/47_logistic.sql)
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
-- source, dependent, blocks or intercept gives no rows).
CREATE FUNCTION survey_reg.logistic_coefficients(source text, dependent text,
	blocks text[], weight text DEFAULT NULL, intercept bool DEFAULT true,
	se text DEFAULT 'classical', cluster text DEFAULT NULL,
	strata text DEFAULT NULL, weight_type text DEFAULT 'frequency',
	lonely_psu text DEFAULT 'fail')
RETURNS TABLE(model int, term text, b float8, se float8, z float8, p float8,
	odds_ratio float8, or_ci_lower float8, or_ci_upper float8)
AS 'MODULE_PATHNAME', 'logistic_coefficients_table' LANGUAGE C STABLE PARALLEL RESTRICTED;

CREATE FUNCTION survey_reg.logistic_summary(source text, dependent text,
	blocks text[], weight text DEFAULT NULL, intercept bool DEFAULT true,
	se text DEFAULT 'classical', cluster text DEFAULT NULL,
	strata text DEFAULT NULL, weight_type text DEFAULT 'frequency',
	lonely_psu text DEFAULT 'fail')
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
COMMENT ON FUNCTION survey_reg.logistic_score(float8[], float8, "any") IS
	'a row''s logistic score vector w (y - mu) x of every model of a fit (hc2/hc3: leverage-scaled); NULL for an incomplete row';
COMMENT ON FUNCTION survey_reg.logistic_meat_transfn(float8[], float8[], float8[]) IS
	'transition function of aggregate logistic_meat: one more unit''s score';
COMMENT ON AGGREGATE survey_reg.logistic_meat(float8[], float8[]) IS
	'units, sum of scores and of their outer products per model (a NULL score: a unit without a complete row), for the logistic robust, cluster and design variances';
COMMENT ON FUNCTION survey_reg.logistic_coefficients(text, text, text[], text, bool, text, text, text, text, text) IS
	'hierarchical logistic regression coefficients of a table or view (ML as glm binomial; blocks of terms as coefficients): b, SE, Wald z and p, odds ratio with 95% CI; se = classical, hc0-hc3, cluster (vcovCL HC0) or design (svyglm)';
COMMENT ON FUNCTION survey_reg.logistic_summary(text, text, text[], text, bool, text, text, text, text, text) IS
	'hierarchical logistic regression model summaries: n, -2LL (deviance), null deviance, model and block chi-square, Cox-Snell and Nagelkerke R2, AIC, iterations, converged';


-- issue 17, item 1: logistic_table and logistic_table_long (src/sql/56_logistic_table.sql);
-- captions() gains their words (src/sql/50_report.sql)
CREATE OR REPLACE FUNCTION survey_reg.captions(language text DEFAULT 'en')
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF language = 'en' THEN
		RETURN $j${
			"variable": "Variable", "scale": "Scale", "n": "N", "mean": "Mean",
			"sd": "SD", "min": "Min", "max": "Max", "skewness": "Skewness",
			"kurtosis": "Kurtosis", "dichotomous": "Dichotomous variables",
			"values": "Values", "share": "Share",
			"model": "Model", "block": "Block", "constant": "Constant",
			"aliased": "—", "r": "R", "r2": "R²", "adj_r2": "Adjusted R²",
			"r2_change": "R² change", "f": "F", "f_change": "F change",
			"se_estimate": "SE of the estimate",
			"standardized": "Standardized coefficients",
			"unstandardized": "Unstandardized coefficients",
			"unstandardized_se": "Unstandardized coefficients (standard errors)",
			"frequency": "Frequency", "percent": "Percent",
			"valid_percent": "Valid percent", "cumulative_percent": "Cumulative percent",
			"valid_total": "Total valid", "missing": "Missing", "total": "Total",
			"index": "Index", "k": "Items", "alpha": "Cronbach's α",
			"std_alpha": "Standardized α", "alpha_ci": "95% CI (α)",
			"mean_r": "Mean inter-item r", "min_r": "Min r", "max_r": "Max r",
			"omega_total": "ω total", "lambda6": "λ6",
			"title_descriptives": "Descriptive statistics (N = {n})",
			"title_frequencies": "Frequencies: {variable}",
			"title_chart": "{variable} (% of {n} valid answers)",
			"title_reliability": "Reliability of the indices",
			"title_regression": "OLS regression with {dependent} as the dependent variable. {statistic}. N = {n}",
			"title_correlations": "Correlations between the variables (N = {n})",
			"title_logistic": "Logistic regression with {dependent} as the dependent variable. N = {n}",
			"b": "B", "se": "SE", "odds_ratio_ci": "Odds ratio [95% CI]",
			"neg2ll": "-2 log likelihood", "chi_square_change": "χ² change",
			"df_change": "df", "p_change": "p", "cox_snell_r2": "Cox & Snell R²",
			"nagelkerke_r2": "Nagelkerke R²",
			"not_converged": "A model did not converge (separation?): its estimates are not reliable.",
			"table": "Table", "figure": "Figure",
			"report_title": "Analysis of {dependent}",
			"source": "Source", "generated": "Generated"}$j$::jsonb;
	ELSIF language = 'nb' THEN
		RETURN $j${
			"variable": "Variabel", "scale": "Skala", "n": "N", "mean": "Gjennomsnitt",
			"sd": "St.avvik", "min": "Min", "max": "Maks", "skewness": "Skjevhet",
			"kurtosis": "Kurtose", "dichotomous": "Dikotome variabler",
			"values": "Verdier", "share": "Andel",
			"model": "Modell", "block": "Blokk", "constant": "Konstant",
			"aliased": "—", "r": "R", "r2": "R²", "adj_r2": "Justert R²",
			"r2_change": "Endring i R²", "f": "F", "f_change": "F-endring",
			"se_estimate": "Standardfeil for estimatet",
			"standardized": "Standardiserte koeffisienter",
			"unstandardized": "Ustandardiserte koeffisienter",
			"unstandardized_se": "Ustandardiserte koeffisienter (standardfeil)",
			"frequency": "Antall", "percent": "Prosent",
			"valid_percent": "Gyldig prosent", "cumulative_percent": "Kumulativ prosent",
			"valid_total": "Sum gyldige", "missing": "Ubesvart", "total": "Totalt",
			"index": "Indeks", "k": "Antall ledd", "alpha": "Cronbachs α",
			"std_alpha": "Standardisert α", "alpha_ci": "95 % KI (α)",
			"mean_r": "Gj.sn. inter-item r", "min_r": "Min r", "max_r": "Maks r",
			"omega_total": "ω total", "lambda6": "λ6",
			"title_descriptives": "Deskriptiv statistikk (N={n})",
			"title_frequencies": "Fordeling: {variable}",
			"title_chart": "{variable} (% av {n} gyldige svar)",
			"title_reliability": "Reliabilitet for indeksene",
			"title_regression": "OLS regresjon med {dependent} som avhengig variabel. {statistic}. N={n}",
			"title_correlations": "Korrelasjoner mellom variabler som inngår i analysene (N={n})",
			"title_logistic": "Logistisk regresjon med {dependent} som avhengig variabel. N={n}",
			"b": "B", "se": "SE", "odds_ratio_ci": "Oddsratio [95 % KI]",
			"neg2ll": "-2 log likelihood", "chi_square_change": "Endring i χ²",
			"df_change": "df", "p_change": "p", "cox_snell_r2": "Cox & Snell R²",
			"nagelkerke_r2": "Nagelkerke R²",
			"not_converged": "En modell konvergerte ikke (separasjon?): estimatene er ikke pålitelige.",
			"table": "Tabell", "figure": "Figur",
			"report_title": "Analyse av {dependent}",
			"source": "Kilde", "generated": "Laget"}$j$::jsonb;
	END IF;
	RAISE EXCEPTION 'language must be ''en'' or ''nb'''
		USING ERRCODE = 'invalid_parameter_value',
			DETAIL = format('It is %s.', coalesce(quote_literal(language), 'NULL')),
			HINT = 'Other languages: pass every caption in captions => jsonb (see survey_reg.captions(''en'') for the keys).';
END
$$;

-- logistic_table: hierarchical logistic regression as a publication table
-- (SPSS LOGISTIC REGRESSION's "Variables in the Equation" per block): per
-- model three columns, B with stars, SE and the odds ratio with its 95%
-- interval; then N, -2LL, the block's chi-square change (df, p) and the
-- Cox-Snell and Nagelkerke R².  Numbers come from logistic_coefficients
-- and logistic_summary (so the same fit, SEs and design options).
CREATE FUNCTION survey_reg._logistic_rows(src text, dependent text,
	blocks text[], weight text, intercept bool, se text, cluster text,
	strata text, weight_type text, lonely_psu text, block_labels text[],
	model_labels text[], title text, style jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	nmodels int := coalesce(array_length(blocks, 1), 0);
	rws jsonb[] := '{}';
	rec record;
	cur_block int := 0;
	blabel text;
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
		intercept, se, cluster, strata, weight_type, lonely_psu)
		WITH ORDINALITY c(model, term, b, se, z, p, odds_ratio, or_ci_lower, or_ci_upper, ord);
	SELECT coalesce(jsonb_agg(to_jsonb(s)), '[]') INTO sj
	FROM survey_reg.logistic_summary(src, dependent, blocks, weight,
		intercept, se, cluster, strata, weight_type, lonely_psu) s;

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
		IF rec.term <> '(Intercept)' AND rec.enters <> cur_block THEN
			cur_block := rec.enters;
			blabel := CASE WHEN block_labels IS NULL
				THEN survey_reg._caption('block', style) || ' ' || rec.enters
				ELSE block_labels[rec.enters] END;
			IF blabel IS NOT NULL AND blabel <> '' THEN
				rws := rws || survey_reg._row('block', blabel);
			END IF;
		END IF;
		rws := rws || survey_reg._row(CASE WHEN rec.term = '(Intercept)' THEN 'constant' ELSE 'term' END,
			CASE WHEN rec.term = '(Intercept)' THEN survey_reg._caption('constant', style)
				ELSE survey_reg._label(rec.term, style) END,
			rec.cells);
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
	lonely_psu text DEFAULT 'fail', block_labels text[] DEFAULT NULL,
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
			labels, captions, language)))
$$;
COMMENT ON FUNCTION survey_reg.logistic_table(text, text, text[], text, bool, text, text, text, text, text, text[], text[], int, text, bool, float8[], jsonb, jsonb, text, text) IS
	'hierarchical logistic regression of a table or view as a publication table (SPSS style): per model B with stars, SE and odds ratio [95% CI]; then N, -2LL, chi-square change (df, p), Cox-Snell and Nagelkerke R²';

CREATE FUNCTION survey_reg.logistic_table_long(source text, dependent text,
	blocks text[], weight text DEFAULT NULL, intercept bool DEFAULT true,
	se text DEFAULT 'classical', cluster text DEFAULT NULL,
	strata text DEFAULT NULL, weight_type text DEFAULT 'frequency',
	lonely_psu text DEFAULT 'fail', block_labels text[] DEFAULT NULL,
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
			weight_type, lonely_psu, block_labels, model_labels, digits,
			decimal_mark, leading_zero, star_levels, labels, captions,
			language, title) t)) l
$$;
COMMENT ON FUNCTION survey_reg.logistic_table_long(text, text, text[], text, bool, text, text, text, text, text, text[], text[], int, text, bool, float8[], jsonb, jsonb, text, text) IS
	'logistic_table in long form for BI tools: one row per cell with its row and column position and labels, numeric value (float8, as printed), stars and text';

-- issues 16 and 17: report() renders the design-based estimates and the
-- logistic regression as sections of the document (survey_means => jsonb,
-- logistic => jsonb, new last arguments: a new signature); captions()
-- gains survey_means_table's words in both languages; a Markdown table's
-- empty header label is no longer "****" (src/sql/50_report.sql)
CREATE OR REPLACE FUNCTION survey_reg.captions(language text DEFAULT 'en')
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF language = 'en' THEN
		RETURN $j${
			"variable": "Variable", "scale": "Scale", "n": "N", "mean": "Mean",
			"sd": "SD", "min": "Min", "max": "Max", "skewness": "Skewness",
			"kurtosis": "Kurtosis", "dichotomous": "Dichotomous variables",
			"values": "Values", "share": "Share",
			"model": "Model", "block": "Block", "constant": "Constant",
			"aliased": "—", "r": "R", "r2": "R²", "adj_r2": "Adjusted R²",
			"r2_change": "R² change", "f": "F", "f_change": "F change",
			"se_estimate": "SE of the estimate",
			"standardized": "Standardized coefficients",
			"unstandardized": "Unstandardized coefficients",
			"unstandardized_se": "Unstandardized coefficients (standard errors)",
			"frequency": "Frequency", "percent": "Percent",
			"valid_percent": "Valid percent", "cumulative_percent": "Cumulative percent",
			"valid_total": "Total valid", "missing": "Missing", "total": "Total",
			"index": "Index", "k": "Items", "alpha": "Cronbach's α",
			"std_alpha": "Standardized α", "alpha_ci": "95% CI (α)",
			"mean_r": "Mean inter-item r", "min_r": "Min r", "max_r": "Max r",
			"omega_total": "ω total", "lambda6": "λ6",
			"title_descriptives": "Descriptive statistics (N = {n})",
			"title_frequencies": "Frequencies: {variable}",
			"title_chart": "{variable} (% of {n} valid answers)",
			"title_reliability": "Reliability of the indices",
			"title_regression": "OLS regression with {dependent} as the dependent variable. {statistic}. N = {n}",
			"title_correlations": "Correlations between the variables (N = {n})",
			"title_logistic": "Logistic regression with {dependent} as the dependent variable. N = {n}",
			"b": "B", "se": "SE", "odds_ratio_ci": "Odds ratio [95% CI]",
			"neg2ll": "-2 log likelihood", "chi_square_change": "χ² change",
			"df_change": "df", "p_change": "p", "cox_snell_r2": "Cox & Snell R²",
			"nagelkerke_r2": "Nagelkerke R²",
			"not_converged": "A model did not converge (separation?): its estimates are not reliable.",
			"title_survey_means": "Design-based estimates{domain}",
			"in_domain": " (domain: {domain})", "estimate": "Mean / %",
			"se_design": "SE", "ci95": "95% CI", "group": "Group",
			"table": "Table", "figure": "Figure",
			"report_title": "Analysis of {dependent}",
			"source": "Source", "generated": "Generated"}$j$::jsonb;
	ELSIF language = 'nb' THEN
		RETURN $j${
			"variable": "Variabel", "scale": "Skala", "n": "N", "mean": "Gjennomsnitt",
			"sd": "St.avvik", "min": "Min", "max": "Maks", "skewness": "Skjevhet",
			"kurtosis": "Kurtose", "dichotomous": "Dikotome variabler",
			"values": "Verdier", "share": "Andel",
			"model": "Modell", "block": "Blokk", "constant": "Konstant",
			"aliased": "—", "r": "R", "r2": "R²", "adj_r2": "Justert R²",
			"r2_change": "Endring i R²", "f": "F", "f_change": "F-endring",
			"se_estimate": "Standardfeil for estimatet",
			"standardized": "Standardiserte koeffisienter",
			"unstandardized": "Ustandardiserte koeffisienter",
			"unstandardized_se": "Ustandardiserte koeffisienter (standardfeil)",
			"frequency": "Antall", "percent": "Prosent",
			"valid_percent": "Gyldig prosent", "cumulative_percent": "Kumulativ prosent",
			"valid_total": "Sum gyldige", "missing": "Ubesvart", "total": "Totalt",
			"index": "Indeks", "k": "Antall ledd", "alpha": "Cronbachs α",
			"std_alpha": "Standardisert α", "alpha_ci": "95 % KI (α)",
			"mean_r": "Gj.sn. inter-item r", "min_r": "Min r", "max_r": "Maks r",
			"omega_total": "ω total", "lambda6": "λ6",
			"title_descriptives": "Deskriptiv statistikk (N={n})",
			"title_frequencies": "Fordeling: {variable}",
			"title_chart": "{variable} (% av {n} gyldige svar)",
			"title_reliability": "Reliabilitet for indeksene",
			"title_regression": "OLS regresjon med {dependent} som avhengig variabel. {statistic}. N={n}",
			"title_correlations": "Korrelasjoner mellom variabler som inngår i analysene (N={n})",
			"title_logistic": "Logistisk regresjon med {dependent} som avhengig variabel. N={n}",
			"b": "B", "se": "SE", "odds_ratio_ci": "Oddsratio [95 % KI]",
			"neg2ll": "-2 log likelihood", "chi_square_change": "Endring i χ²",
			"df_change": "df", "p_change": "p", "cox_snell_r2": "Cox & Snell R²",
			"nagelkerke_r2": "Nagelkerke R²",
			"not_converged": "En modell konvergerte ikke (separasjon?): estimatene er ikke pålitelige.",
			"title_survey_means": "Designbaserte estimater{domain}",
			"in_domain": " (domene: {domain})", "estimate": "Gjennomsnitt / %",
			"se_design": "SE", "ci95": "95 % KI", "group": "Gruppe",
			"table": "Tabell", "figure": "Figur",
			"report_title": "Analyse av {dependent}",
			"source": "Kilde", "generated": "Laget"}$j$::jsonb;
	END IF;
	RAISE EXCEPTION 'language must be ''en'' or ''nb'''
		USING ERRCODE = 'invalid_parameter_value',
			DETAIL = format('It is %s.', coalesce(quote_literal(language), 'NULL')),
			HINT = 'Other languages: pass every caption in captions => jsonb (see survey_reg.captions(''en'') for the keys).';
END
$$;

CREATE OR REPLACE FUNCTION survey_reg._markdown_table(t jsonb, prefix text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	rws jsonb := coalesce(t->'rows', '[]');
	nrows int := jsonb_array_length(coalesce(t->'rows', '[]'));
	talign text := coalesce(t->>'align', '');
	ncols int := 0;
	r jsonb;
	k text;
	c text[];
	caption text := '';
	notes text := '';
	head text;
	body text := '';
	line text;
BEGIN
	FOR i IN 0 .. nrows - 1 LOOP
		ncols := greatest(ncols, jsonb_array_length(coalesce(rws->i->'cells', '[]')));
	END LOOP;
	FOR i IN 0 .. nrows - 1 LOOP
		r := rws->i;
		k := r->>'kind';
		c := survey_reg._cells(r->'cells');
		IF k = 'title' THEN
			caption := caption || CASE WHEN caption <> '' THEN ' ' ELSE '' END || survey_reg._md(r->>'label');
		ELSIF k = 'note' THEN
			notes := notes || E'\n' || survey_reg._md(r->>'label') || E'\n';
		ELSE
			-- a later header row's label in bold, unless empty ("****")
			line := '| ' || CASE WHEN (k = 'block' OR (k = 'header' AND head IS NOT NULL))
					AND coalesce(r->>'label', '') <> ''
				THEN '**' || survey_reg._md(r->>'label') || '**' ELSE survey_reg._md(r->>'label') END;
			FOR j IN 1 .. ncols LOOP
				line := line || ' | ' || CASE WHEN k = 'header' AND head IS NOT NULL AND coalesce(c[j], '') <> ''
					THEN '**' || survey_reg._md(c[j]) || '**' ELSE survey_reg._md(c[j]) END;
			END LOOP;
			line := line || ' |';
			IF k = 'header' AND head IS NULL THEN
				head := line || E'\n|:---|' || (SELECT string_agg(
					CASE WHEN substr(talign, j, 1) = 'l' THEN ':---|' ELSE '---:|' END, '' ORDER BY j)
					FROM generate_series(1, ncols) AS j) || E'\n';
			ELSE
				body := body || line || E'\n';
			END IF;
		END IF;
	END LOOP;
	IF head IS NULL THEN
		head := '|' || repeat(' |', ncols + 1) || E'\n|:---|' || repeat('---:|', ncols) || E'\n';
	END IF;
	RETURN CASE WHEN caption <> '' OR prefix IS NOT NULL THEN
			CASE WHEN prefix IS NOT NULL THEN '**' || survey_reg._md(prefix) || '** ' ELSE '' END
			|| caption || E'\n\n' ELSE '' END
		|| head || body || notes;
END
$$;

-- The options object of one of report()'s optional sections (survey_means
-- => ..., logistic => ...), checked against its keys and their types
-- ('string', 'strings' = an array of strings, 'boolean'): 22023 for
-- anything else, so that a misspelt key is never silently ignored.  A
-- JSON null is an absent option, except in a required key.
CREATE FUNCTION survey_reg._section_options(opts jsonb, argument text,
	types jsonb, required text[])
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	e record;
	want text;
	fits bool;
	keys text := (SELECT string_agg(k, ', ' ORDER BY k) FROM jsonb_object_keys(types) k);
BEGIN
	IF jsonb_typeof(opts) IS DISTINCT FROM 'object' THEN
		RAISE EXCEPTION '% must be a jsonb object', argument
			USING ERRCODE = 'invalid_parameter_value',
				DETAIL = format('It is %s.', coalesce('a JSON ' || jsonb_typeof(opts), 'NULL')),
				HINT = format('Its keys are: %s.', keys);
	END IF;
	FOR e IN SELECT key, value FROM jsonb_each(opts) ORDER BY key LOOP
		want := types->>e.key;
		IF want IS NULL THEN
			RAISE EXCEPTION 'unknown key "%" in %', e.key, argument
				USING ERRCODE = 'invalid_parameter_value',
					HINT = format('The keys of %s are: %s.', argument, keys);
		END IF;
		CONTINUE WHEN jsonb_typeof(e.value) = 'null';
		fits := CASE want
			WHEN 'strings' THEN jsonb_typeof(e.value) = 'array' AND NOT EXISTS (
				SELECT FROM jsonb_array_elements(e.value) x WHERE jsonb_typeof(x) <> 'string')
			ELSE jsonb_typeof(e.value) = want END;
		IF NOT fits THEN
			RAISE EXCEPTION 'key "%" of % must be %', e.key, argument,
				CASE want WHEN 'strings' THEN 'an array of strings' ELSE 'a ' || want END
				USING ERRCODE = 'invalid_parameter_value',
					DETAIL = format('It is %s.', e.value);
		END IF;
	END LOOP;
	FOR i IN 1 .. coalesce(array_length(required, 1), 0) LOOP
		IF jsonb_typeof(opts->required[i]) IS NULL OR jsonb_typeof(opts->required[i]) = 'null' THEN
			RAISE EXCEPTION '% needs the key "%"', argument, required[i]
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END LOOP;
	RETURN opts;
END
$$;

-- a JSON array of strings (or null) as text[]
CREATE FUNCTION survey_reg._text_array(j jsonb)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE WHEN jsonb_typeof(j) = 'array'
		THEN ARRAY(SELECT jsonb_array_elements_text(j)) END
$$;

DROP FUNCTION survey_reg.report(text, text, text[], text[], text[], jsonb, text[], text[], text, jsonb, text, text, jsonb, text[], text[], jsonb, text, text, int, int, int, text, bool, float8[], text, text, text, timestamptz);
DROP FUNCTION survey_reg._report(text, text, text[], text[], text[], jsonb, text[], text[], text, jsonb, text, text, jsonb, text[], text[], jsonb, text, text, int, int, int, text, bool, float8[], text, text, text, timestamptz);
CREATE FUNCTION survey_reg._report(src text, dependent text, blocks text[],
	variables text[], dummies text[], scales jsonb, indices text[],
	index_items text[], figure_variable text, value_labels jsonb,
	weight text, missing text, labels jsonb, block_labels text[],
	model_labels text[], captions jsonb, language text, statistic text,
	digits int, descriptive_digits int, significant int, decimal_mark text,
	leading_zero bool, star_levels float8[], title text, note text,
	fmt text, generated_at timestamptz, survey_means jsonb, logistic jsonb)
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
	-- by default the dependent and the predictors that are plain columns
	-- (not factor(), not an interaction: issue 15)
	vars text[] := coalesce(variables, ARRAY(SELECT c
		FROM unnest(survey_reg._model_columns(dependent, blocks)) WITH ORDINALITY AS u(c, o)
		WHERE c !~ '[():*''"]' ORDER BY o));
	fig text := coalesce(figure_variable, dependent);
	t_desc jsonb;
	t_chart jsonb;
	t_rel jsonb;
	t_reg jsonb;
	t_cor jsonb;
	t_means jsonb;
	t_logit jsonb;
	-- the optional sections' options, checked before any scan
	sm jsonb := CASE WHEN survey_means IS NOT NULL THEN survey_reg._section_options(
		survey_means, 'survey_means',
		'{"variables": "strings", "weight": "string", "strata": "string",
		"cluster": "string", "fpc": "string", "cluster2": "string",
		"fpc2": "string", "by": "string", "domain": "string",
		"lonely_psu": "string", "title": "string"}', '{variables}') END;
	lg jsonb := CASE WHEN logistic IS NOT NULL THEN survey_reg._section_options(
		logistic, 'logistic',
		'{"dependent": "string", "blocks": "strings", "weight": "string",
		"intercept": "boolean", "se": "string", "cluster": "string",
		"strata": "string", "weight_type": "string", "lonely_psu": "string",
		"fpc": "string", "cluster2": "string", "fpc2": "string",
		"domain": "string", "block_labels": "strings", "model_labels": "strings",
		"title": "string"}', '{dependent,blocks}') END;
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
	t_reg := (SELECT survey_reg._regression_rows(mm.m, dependent, mm.model_blocks,
		true, statistic, block_labels, model_labels, '{n,r2,adj_r2,r2_change}',
		NULL, style)
		FROM survey_reg._model_moments(src, dependent, blocks, weight) mm);
	t_cor := survey_reg._correlation_src_rows(src, vars, missing, weight, '–',
		true, NULL, style);
	-- the optional sections: the formatted tables survey_means_table and
	-- logistic_table build, with the report's style; a weight key, even
	-- null, replaces the report's weight
	IF sm IS NOT NULL THEN
		t_means := survey_reg._survey_means_rows(src,
			survey_reg._text_array(sm->'variables'),
			CASE WHEN sm ? 'weight' THEN sm->>'weight' ELSE weight END,
			sm->>'strata', sm->>'cluster', sm->>'fpc', sm->>'cluster2', sm->>'fpc2',
			sm->>'by', sm->>'domain', coalesce(sm->>'lonely_psu', 'fail'),
			sm->>'title', dstyle);
	END IF;
	IF lg IS NOT NULL THEN
		-- named: the builder may gain design arguments
		t_logit := survey_reg._logistic_rows(src => src,
			dependent => lg->>'dependent', blocks => survey_reg._text_array(lg->'blocks'),
			weight => CASE WHEN lg ? 'weight' THEN lg->>'weight' ELSE weight END,
			intercept => coalesce((lg->'intercept')::bool, true),
			se => coalesce(lg->>'se', 'classical'), cluster => lg->>'cluster',
			strata => lg->>'strata',
			weight_type => coalesce(lg->>'weight_type', 'frequency'),
			lonely_psu => coalesce(lg->>'lonely_psu', 'fail'),
			fpc => lg->>'fpc', cluster2 => lg->>'cluster2',
			fpc2 => lg->>'fpc2', domain => lg->>'domain',
			block_labels => survey_reg._text_array(lg->'block_labels'),
			model_labels => survey_reg._text_array(lg->'model_labels'),
			title => lg->>'title', style => style);
	END IF;

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
		IF t_means IS NOT NULL THEN
			tno := tno + 1;
			doc := doc || survey_reg._markdown_table(t_means, tab || ' ' || tno || '.') || E'\n';
		END IF;
		tno := tno + 1;
		doc := doc || survey_reg._markdown_table(t_reg, tab || ' ' || tno || '.') || E'\n';
		IF t_logit IS NOT NULL THEN
			tno := tno + 1;
			doc := doc || survey_reg._markdown_table(t_logit, tab || ' ' || tno || '.') || E'\n';
		END IF;
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
		|| 'table.pub th,table.pub td{padding:.2em .55em;vertical-align:top}' || E'\n'
		|| 'table.pub thead th{border-bottom:1px solid #222;font-weight:normal;font-style:italic}' || E'\n'
		|| 'table.pub th.stub{text-align:left;font-weight:normal;white-space:nowrap}' || E'\n'
		|| 'table.pub th.stub.wrap{white-space:normal;min-width:14em}' || E'\n'
		-- a caption as wide as its table or 36em, whichever is wider (at
		-- most the page): contain keeps it from widening the table
		|| 'table.pub caption{contain:inline-size}' || E'\n'
		|| 'table.pub caption .cap{display:block;width:max-content;max-width:min(max(36em,100%),calc(100vw - 2em))}' || E'\n'
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
	IF t_means IS NOT NULL THEN
		tno := tno + 1;
		doc := doc || '<section id="survey-means">' || E'\n'
			|| survey_reg._html_table(t_means, tab || ' ' || tno || '.', 'table-survey-means') || '</section>' || E'\n';
	END IF;
	tno := tno + 1;
	doc := doc || '<section id="regression">' || E'\n'
		|| survey_reg._html_table(t_reg, tab || ' ' || tno || '.', 'table-regression') || '</section>' || E'\n';
	IF t_logit IS NOT NULL THEN
		tno := tno + 1;
		doc := doc || '<section id="logistic">' || E'\n'
			|| survey_reg._html_table(t_logit, tab || ' ' || tno || '.', 'table-logistic') || '</section>' || E'\n';
	END IF;
	tno := tno + 1;
	doc := doc || '<section id="correlations">' || E'\n'
		|| survey_reg._html_table(t_cor, tab || ' ' || tno || '.', 'table-correlations') || '</section>' || E'\n';
	RETURN doc || E'</body>\n</html>\n';
END
$$;

CREATE FUNCTION survey_reg.report(source text, dependent text, blocks text[],
	variables text[] DEFAULT NULL, dummies text[] DEFAULT NULL,
	scales jsonb DEFAULT NULL, indices text[] DEFAULT NULL,
	index_items text[] DEFAULT NULL, figure_variable text DEFAULT NULL,
	value_labels jsonb DEFAULT NULL, weight text DEFAULT NULL,
	missing text DEFAULT 'listwise', labels jsonb DEFAULT NULL,
	block_labels text[] DEFAULT NULL, model_labels text[] DEFAULT NULL,
	captions jsonb DEFAULT NULL, language text DEFAULT 'en',
	statistic text DEFAULT 'beta', digits int DEFAULT 3,
	descriptive_digits int DEFAULT 2, significant int DEFAULT 3,
	decimal_mark text DEFAULT '.', leading_zero bool DEFAULT true,
	star_levels float8[] DEFAULT '{0.05,0.01,0.001}',
	title text DEFAULT NULL, note text DEFAULT NULL,
	format text DEFAULT 'html', generated_at timestamptz DEFAULT now(),
	survey_means jsonb DEFAULT NULL, logistic jsonb DEFAULT NULL)
RETURNS text
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT survey_reg._report(survey_reg._relation_name(source::pg_catalog.regclass),
		dependent, blocks, variables, dummies, scales, indices, index_items,
		figure_variable, value_labels, weight, missing, labels, block_labels,
		model_labels, captions, language, statistic, digits, descriptive_digits,
		significant, decimal_mark, leading_zero, star_levels, title, note,
		format, generated_at, survey_means, logistic)
$$;
COMMENT ON FUNCTION survey_reg.report(text, text, text[], text[], text[], jsonb, text[], text[], text, jsonb, text, text, jsonb, text[], text[], jsonb, text, text, int, int, int, text, bool, float8[], text, text, text, timestamptz, jsonb, jsonb) IS
	'a whole analysis of a table or view (descriptives, frequency figure, reliability, design-based estimates, hierarchical regression, hierarchical logistic regression, correlations) as one self-contained HTML document with an inline SVG figure, or as Markdown (format => ''markdown''); survey_means => ''{"variables": [...], "strata": ..., "cluster": ...}'' and logistic => ''{"dependent": ..., "blocks": [...], "se": ...}'' add the survey_means_table and logistic_table sections';

-- issue 17 (#17 with #16's design arguments): fpc, cluster2, fpc2 and
-- domain on logistic_coefficients, logistic_summary, logistic_table and
-- logistic_table_long (src/sql/47_logistic.sql, 56_logistic_table.sql);
-- the block-label-then-term rows of the regression and logistic tables in
-- one helper, _block_rows (src/sql/50_report.sql)
DROP FUNCTION survey_reg.logistic_table_long(text, text, text[], text, bool, text, text, text, text, text, text[], text[], int, text, bool, float8[], jsonb, jsonb, text, text);
DROP FUNCTION survey_reg.logistic_table(text, text, text[], text, bool, text, text, text, text, text, text[], text[], int, text, bool, float8[], jsonb, jsonb, text, text);
DROP FUNCTION survey_reg._logistic_rows(text, text, text[], text, bool, text, text, text, text, text, text[], text[], text, jsonb);
DROP FUNCTION survey_reg.logistic_summary(text, text, text[], text, bool, text, text, text, text, text);
DROP FUNCTION survey_reg.logistic_coefficients(text, text, text[], text, bool, text, text, text, text, text);
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
COMMENT ON FUNCTION survey_reg.logistic_coefficients(text, text, text[], text, bool, text, text, text, text, text, text, text, text, text) IS
	'hierarchical logistic regression coefficients of a table or view (ML as glm binomial; blocks of terms as coefficients): b, SE, Wald z and p, odds ratio with 95% CI; se = classical, hc0-hc3, cluster (vcovCL HC0) or design (svyglm quasibinomial; with fpc, cluster2, fpc2 and domain as coefficients)';
COMMENT ON FUNCTION survey_reg.logistic_summary(text, text, text[], text, bool, text, text, text, text, text, text, text, text, text) IS
	'hierarchical logistic regression model summaries: n, -2LL (deviance), null deviance, model and block chi-square, Cox-Snell and Nagelkerke R2, AIC, iterations, converged; the design arguments as logistic_coefficients';

-- One term's rows of a model table: its block's label row first when the
-- term opens a block (block: the term's block, NULL for the constant;
-- prev_block: the block of the rows before), then the term's row.  Used by
-- the regression and logistic tables.
CREATE FUNCTION survey_reg._block_rows(block int, prev_block int, term text,
	cells text[], block_labels text[], style jsonb)
RETURNS jsonb[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	rws jsonb[] := '{}';
	blabel text;
BEGIN
	IF block IS NOT NULL AND block IS DISTINCT FROM prev_block THEN
		blabel := CASE WHEN block_labels IS NULL
			THEN survey_reg._caption('block', style) || ' ' || block
			ELSE block_labels[block] END;
		IF blabel IS NOT NULL AND blabel <> '' THEN
			rws := rws || survey_reg._row('block', blabel);
		END IF;
	END IF;
	RETURN rws || survey_reg._row(CASE WHEN term = '(Intercept)' THEN 'constant' ELSE 'term' END,
		CASE WHEN term = '(Intercept)' THEN survey_reg._caption('constant', style)
			ELSE survey_reg._label(term, style) END,
		cells);
END
$$;

-- Regression table (the article's Table 2): one column per model, terms
-- grouped under their block's label, then the model summary rows.
CREATE OR REPLACE FUNCTION survey_reg._regression_rows(m survey_reg.moments,
	dependent text, blocks text[], intercept bool, statistic text,
	block_labels text[], model_labels text[], summary text[], title text,
	style jsonb)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	nmodels int := coalesce(array_length(blocks, 1), 0);
	rws jsonb[] := '{}';
	cells text[];
	s_n float8[];
	s_r float8[];
	s_r2 float8[];
	s_adj float8[];
	s_se float8[];
	s_f float8[];
	s_p float8[];
	s_r2c float8[];
	s_fc float8[];
	s_pc float8[];
	rec record;
	cur_block int := 0;
	key text;
	bad text;
BEGIN
	IF m IS NULL OR dependent IS NULL OR blocks IS NULL THEN
		RETURN NULL;
	END IF;
	IF statistic IS NULL OR statistic NOT IN ('beta', 'b', 'b_se') THEN
		RAISE EXCEPTION 'statistic must be ''beta'', ''b'' or ''b_se'''
			USING ERRCODE = 'invalid_parameter_value',
				DETAIL = format('It is %s.', coalesce(quote_literal(statistic), 'NULL'));
	END IF;
	SELECT x INTO bad FROM unnest(summary) AS x
	WHERE x IS NULL OR x NOT IN ('n', 'r', 'r2', 'adj_r2', 'r2_change', 'f', 'f_change', 'se_estimate')
	LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'unknown summary row %', coalesce(quote_literal(bad), 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				HINT = 'The summary rows are n, r, r2, adj_r2, r2_change, f, f_change and se_estimate.';
	END IF;

	SELECT array_agg(s.n ORDER BY s.model), array_agg(s.r ORDER BY s.model),
		array_agg(s.r2 ORDER BY s.model), array_agg(s.adj_r2 ORDER BY s.model),
		array_agg(s.se_estimate ORDER BY s.model), array_agg(s.f ORDER BY s.model),
		array_agg(s.p ORDER BY s.model), array_agg(s.r2_change ORDER BY s.model),
		array_agg(s.f_change ORDER BY s.model), array_agg(s.p_change ORDER BY s.model)
	INTO s_n, s_r, s_r2, s_adj, s_se, s_f, s_p, s_r2c, s_fc, s_pc
	FROM survey_reg.model_summary(m, dependent, blocks, intercept) s;

	title := survey_reg._fill(coalesce(title, survey_reg._caption('title_regression', style)),
		ARRAY['dependent', 'statistic', 'n'],
		ARRAY[survey_reg._label(dependent, style),
			survey_reg._caption(CASE statistic WHEN 'beta' THEN 'standardized'
				WHEN 'b' THEN 'unstandardized' ELSE 'unstandardized_se' END, style),
			survey_reg._n_text(s_n)]);
	IF title <> '' THEN
		rws := rws || survey_reg._row('title', title);
	END IF;
	rws := rws || survey_reg._row('header', '', ARRAY(
		SELECT coalesce(model_labels[j], survey_reg._caption('model', style) || ' ' || j)
		FROM generate_series(1, nmodels) AS j ORDER BY j));

	-- terms, in block order; a model's cell is empty before the term enters
	FOR rec IN
		WITH c AS (SELECT * FROM survey_reg.coefficients(m, dependent, blocks, intercept)),
		terms AS (
			SELECT b.i AS enters, b.i AS grp, t.o, t.term
			FROM unnest(blocks) WITH ORDINALITY AS b(spec, i),
				unnest(survey_reg._split_names(b.spec)) WITH ORDINALITY AS t(term, o)
			UNION ALL
			SELECT 1, nmodels + 1, 1, '(Intercept)'
			WHERE intercept AND statistic <> 'beta'
		)
		SELECT terms.grp, terms.o, terms.term,
			array_agg(CASE WHEN mdl.j < terms.enters OR c.term IS NULL THEN ''
				WHEN c.b IS NULL THEN survey_reg._caption('aliased', style)
				WHEN statistic = 'beta' THEN survey_reg._num(c.beta, style, true)
					|| survey_reg._stars(c.p, style)
				WHEN statistic = 'b' THEN survey_reg._num(c.b, style)
					|| survey_reg._stars(c.p, style)
				ELSE survey_reg._num(c.b, style) || survey_reg._stars(c.p, style)
					|| ' (' || survey_reg._num(c.se, style) || ')' END
				ORDER BY mdl.j) AS cells
		FROM terms CROSS JOIN generate_series(1, nmodels) AS mdl(j)
			LEFT JOIN c ON c.model = mdl.j AND c.term = terms.term
		GROUP BY terms.grp, terms.o, terms.term
		ORDER BY terms.grp, terms.o
	LOOP
		-- the constant's group (nmodels + 1) opens no block
		rws := rws || survey_reg._block_rows(CASE WHEN rec.grp <= nmodels THEN rec.grp::int END,
			cur_block, rec.term, rec.cells, block_labels, style);
		cur_block := CASE WHEN rec.grp <= nmodels THEN rec.grp ELSE cur_block END;
	END LOOP;

	FOREACH key IN ARRAY coalesce(summary, '{}') LOOP
		cells := ARRAY(SELECT CASE key
				WHEN 'n' THEN survey_reg._num(s_n[j], style, false, 0)
				WHEN 'r' THEN survey_reg._num(s_r[j], style, true)
				WHEN 'r2' THEN survey_reg._num(s_r2[j], style, true) || survey_reg._stars(s_p[j], style)
				WHEN 'adj_r2' THEN survey_reg._num(s_adj[j], style, true) || survey_reg._stars(s_p[j], style)
				WHEN 'r2_change' THEN survey_reg._num(s_r2c[j], style, true) || survey_reg._stars(s_pc[j], style)
				WHEN 'f' THEN survey_reg._num(s_f[j], style, false, 2) || survey_reg._stars(s_p[j], style)
				WHEN 'f_change' THEN survey_reg._num(s_fc[j], style, false, 2) || survey_reg._stars(s_pc[j], style)
				WHEN 'se_estimate' THEN survey_reg._num(s_se[j], style)
				END
			FROM generate_series(1, nmodels) AS j ORDER BY j);
		rws := rws || survey_reg._row(key, survey_reg._caption(key, style), cells);
	END LOOP;
	IF jsonb_array_length(style->'levels') > 0 THEN
		rws := rws || survey_reg._row('note', survey_reg._stars_note(style));
	END IF;
	RETURN survey_reg._table(rws);
END
$$;

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

-- issue 17, item 3: logistic_step_array, the array form of the logistic
-- iteration that Citus can split (src/sql/47_logistic.sql)
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

COMMENT ON FUNCTION survey_reg.logistic_step_array_transfn(float8[], float8[], float8, float8[]) IS
	'transition function of aggregate logistic_step_array: one row''s deviance, gradient and information added for every model';
COMMENT ON AGGREGATE survey_reg.logistic_step_array(float8[], float8, float8[]) IS
	'logistic_step with the row''s 0/1 dependent and columns as one float8[] (the form Citus can split into partial states)';

-- issue 14, deliverable 2: list arguments written as one string
-- (src/sql/87_list_hints.sql, the same text)
-- A list argument written as one string (issue 14, deliverable 2).
--
-- describe('survey', 'a, b') used to fail in PostgreSQL's array input
-- ("malformed array literal") before survey_reg ran.  Each table-name
-- function below gets an overload with its list argument(s) typed text and
-- otherwise the same arguments and defaults.  PostgreSQL resolves an
-- untyped literal ('...', NULL) at that position to the text overload (the
-- string category is preferred), and a text[]-typed argument still reaches
-- the text[] function, so no call becomes ambiguous.  The overload passes
-- the string through _list_arg: an array literal ('{a,b}') is converted as
-- before (same result), anything else is error 22P02 whose hint shows the
-- ARRAY[...] form.
--
-- A function with two list arguments gets one overload per non-empty
-- subset of them (2^k - 1): with only the all-text overload, a call giving
-- one as ARRAY[...] and the other as '...' would still fail, and with only
-- the one-text overloads a call giving both as '...' would be ambiguous.
--
-- To cover a new function: add a row to the list below (function name,
-- list argument, what its elements are, and for a list whose elements are
-- themselves comma-separated groups the group's name) here AND in the same
-- DO block of the update script.  The function is found by name with a
-- first argument named source.

CREATE FUNCTION survey_reg._list_arg(list text, parameter text, noun text,
	unit text)
RETURNS text[]
AS 'MODULE_PATHNAME', 'list_arg' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION survey_reg._list_arg(text, text, text, text) IS
	'internal: a list argument given as one string to text[] if it is an array literal, else error 22P02 with the ARRAY[...] form as hint';

DO $gen$
DECLARE
	f record;
	subset int;
	j int;
	pos int;
	args text;
	argtypes text[];
	call text[];
	sig text;
	written text[];
BEGIN
	FOR f IN
		SELECT p.oid, p.proname, p.pronargs, p.proargnames, p.proargtypes, p.proretset,
			p.provolatile, p.proparallel, p.proisstrict,
			pg_catalog.pg_get_function_result(p.oid) AS result,
			l.fn, l.params, l.nouns, l.units
		FROM (VALUES
			('table_moments', '{columns}'::text[], '{column names}'::text[], '{NULL}'::text[]),
			('describe', '{variables}', '{column names}', '{NULL}'),
			('correlations', '{variables}', '{column names}', '{NULL}'),
			('reliability', '{items}', '{column names}', '{NULL}'),
			('item_total', '{items}', '{column names}', '{NULL}'),
			('coefficients', '{blocks}', '{blocks}', '{block}'),
			('model_summary', '{blocks}', '{blocks}', '{block}'),
			('regression_table', '{blocks}', '{blocks}', '{block}'),
			('regression_table_long', '{blocks}', '{blocks}', '{block}'),
			('correlation_table', '{variables}', '{column names}', '{NULL}'),
			('correlation_table_long', '{variables}', '{column names}', '{NULL}'),
			('descriptives_table', '{variables}', '{column names}', '{NULL}'),
			('descriptives_table_long', '{variables}', '{column names}', '{NULL}'),
			('reliability_table', '{indices,items}', '{index names,item lists}', '{NULL,index}'),
			('reliability_table_long', '{indices,items}', '{index names,item lists}', '{NULL,index}'),
			('report', '{blocks}', '{blocks}', '{block}'),
			('survey_means', '{variables}', '{column names}', '{NULL}'),
			('survey_means_table', '{variables}', '{column names}', '{NULL}'),
			('survey_means_table_long', '{variables}', '{column names}', '{NULL}'),
			('logistic_coefficients', '{blocks}', '{blocks}', '{block}'),
			('logistic_summary', '{blocks}', '{blocks}', '{block}'),
			('logistic_table', '{blocks}', '{blocks}', '{block}'),
			('logistic_table_long', '{blocks}', '{blocks}', '{block}')
		) l(fn, params, nouns, units)
		LEFT JOIN pg_catalog.pg_proc p ON p.proname = l.fn
			AND p.pronamespace = 'survey_reg'::regnamespace
			AND p.proargnames[1] = 'source'
			AND p.proargtypes[array_position(p.proargnames, l.params[1]) - 1]
				= 'pg_catalog.text[]'::regtype
		ORDER BY l.fn
	LOOP
		-- a listed function that is not (yet) defined with that text[]
		-- argument: an error, not a silently missing overload
		IF f.oid IS NULL THEN
			RAISE EXCEPTION 'survey_reg: no function %(source text, ...) with a text[] argument %',
				f.fn, f.params[1];
		END IF;
		FOR subset IN 1 .. (1 << array_length(f.params, 1)) - 1 LOOP
			args := pg_catalog.pg_get_function_arguments(f.oid);
			SELECT array_agg(pg_catalog.format_type(t, NULL) ORDER BY o)
			INTO argtypes
			FROM unnest(f.proargtypes::oid[]) WITH ORDINALITY u(t, o);
			call := ARRAY(SELECT '$' || i FROM generate_series(1, f.pronargs) i);
			written := '{}';
			FOR j IN 1 .. array_length(f.params, 1) LOOP
				CONTINUE WHEN subset & (1 << (j - 1)) = 0;
				pos := array_position(f.proargnames, f.params[j]);
				IF pos IS NULL OR argtypes[pos] <> 'text[]' THEN
					RAISE EXCEPTION 'survey_reg: %(%) has no text[] argument %',
						f.proname, argtypes, f.params[j];
				END IF;
				args := regexp_replace(args,
					'(^|, )' || f.params[j] || ' text\[\]', '\1' || f.params[j] || ' text');
				argtypes[pos] := 'text';
				call[pos] := format('survey_reg._list_arg($%s, %L, %L, %L)',
					pos, f.params[j], f.nouns[j], f.units[j]);
				written := written || f.params[j];
			END LOOP;
			sig := format('survey_reg.%I(%s)', f.proname, array_to_string(argtypes, ', '));
			EXECUTE format(
				'CREATE FUNCTION survey_reg.%I(%s) RETURNS %s LANGUAGE sql %s PARALLEL %s %s AS %L',
				f.proname, args, f.result,
				CASE f.provolatile WHEN 'i' THEN 'IMMUTABLE' WHEN 's' THEN 'STABLE' ELSE 'VOLATILE' END,
				CASE f.proparallel WHEN 's' THEN 'SAFE' WHEN 'r' THEN 'RESTRICTED' ELSE 'UNSAFE' END,
				CASE WHEN f.proisstrict THEN 'STRICT' ELSE '' END,
				format(CASE WHEN f.proretset THEN 'SELECT * FROM survey_reg.%I(%s)'
					ELSE 'SELECT survey_reg.%I(%s)' END,
					f.proname, array_to_string(call, ', ')));
			EXECUTE format('COMMENT ON FUNCTION %s IS %L', sig,
				format('%s with %s written as one string: an array literal (''{a,b}'') works as the text[] form; any other string is error 22P02 whose hint shows the ARRAY[...] form',
					f.proname, array_to_string(written, ' and ')));
		END LOOP;
	END LOOP;
END
$gen$;

-- issue 16: survey_means' scan: one transition per row for a unit's counts and sums
-- (src/survey_means_agg.c, issue 16); internal, the state a plain float8[]
CREATE FUNCTION survey_reg._means_sums_transfn(float8[], int4, float8,
	float8, float8, bool, bool, VARIADIC "any")
RETURNS float8[]
AS 'MODULE_PATHNAME', 'means_sums_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg._means_sums_combinefn(float8[], float8[])
RETURNS float8[]
AS 'MODULE_PATHNAME', 'means_sums_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE survey_reg._means_sums(mode int4, w float8, f1 float8,
	f2 float8, used bool, in_domain bool, VARIADIC "any") (
	SFUNC = survey_reg._means_sums_transfn,
	STYPE = float8[],
	COMBINEFUNC = survey_reg._means_sums_combinefn,
	PARALLEL = SAFE
);

-- survey_means' scan of a clustered design with integer keys: one
-- ungrouped aggregate hashing the units (src/survey_means_units.c, issue
-- 16); internal, the state a flat bytea; fpc and fpc2 float8 or numeric
CREATE FUNCTION survey_reg._means_units_transfn(bytea, int8, int8, int8,
	int8, float8, "any", "any", bool, bool, VARIADIC "any")
RETURNS bytea
AS 'MODULE_PATHNAME', 'means_units_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg._means_units_combinefn(bytea, bytea)
RETURNS bytea
AS 'MODULE_PATHNAME', 'means_units_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE survey_reg._means_units(stratum int8, psu int8, ssu int8,
	grp int8, w float8, f1 "any", f2 "any", used bool, in_domain bool,
	VARIADIC "any") (
	SFUNC = survey_reg._means_units_transfn,
	STYPE = bytea,
	COMBINEFUNC = survey_reg._means_units_combinefn,
	PARALLEL = SAFE
);

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

-- issue 12, item 6: privileges for every role (src/sql/90_privileges.sql;
-- stays the last section: ALL FUNCTIONS must see every function)
GRANT USAGE ON SCHEMA survey_reg TO PUBLIC;
GRANT USAGE ON TYPE survey_reg.moments TO PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA survey_reg TO PUBLIC;
