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
