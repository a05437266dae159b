-- Publication tables and reports: SPSS-style frequencies, formatted tables
-- as rows of text (descriptives like the article's Table 1, a hierarchical
-- regression table like its Table 2, a correlation matrix like its appendix
-- table, reliability and frequency tables, a text bar chart), and a whole
-- analysis as one self-contained HTML (inline SVG figure) or Markdown
-- document.
--
-- Shape of every formatted table:
--   TABLE(row_no int, kind text, label text, cells text[], line text)
-- one row per printed line: `label` is the row stub, `cells` the columns as
-- text (any number of them, so there is no maximum number of models or
-- variables), `line` the whole row laid out in fixed-width columns, so that
-- `SELECT line FROM ...` shows the table in any client.  `kind` says what
-- the row is (title, header, block, term, n, r2, note, ...).
--
-- Search path.  Every function that takes no relation name runs with
-- SET search_path = pg_catalog, pg_temp, so neither its operators nor its
-- functions can be redirected by the caller's search_path.  Functions that
-- take a relation name (source text) are LANGUAGE sql wrappers without a SET
-- clause: the one thing they do in the caller's search_path is
-- source::pg_catalog.regclass (a regclass literal, so quoting and
-- search_path work as everywhere in PostgreSQL); survey_reg._relation_name
-- then prints the relation schema-qualified and quoted, and the work goes on
-- in an internal function with the fixed search_path, which passes that
-- qualified name to the table-name analyses.  Column names are checked
-- against the relation and quoted; queries run with the caller's
-- privileges.  Functions whose names begin with an underscore are internal.

-- ---------------------------------------------------------------------
-- Small public helpers
-- ---------------------------------------------------------------------

CREATE FUNCTION survey_reg.format_number(x float8, digits int DEFAULT 2,
	decimal_mark text DEFAULT '.', leading_zero bool DEFAULT true)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	s text;
BEGIN
	IF digits IS NULL OR digits < 0 OR digits > 15 THEN
		RAISE EXCEPTION 'digits must be between 0 and 15'
			USING ERRCODE = 'invalid_parameter_value',
				DETAIL = format('It is %s.', coalesce(digits::text, 'NULL'));
	END IF;
	IF decimal_mark IS NULL OR decimal_mark NOT IN ('.', ',') THEN
		RAISE EXCEPTION 'decimal_mark must be ''.'' or '','''
			USING ERRCODE = 'invalid_parameter_value',
				DETAIL = format('It is %s.', coalesce(quote_literal(decimal_mark), 'NULL'));
	END IF;
	IF x IS NULL THEN
		RETURN NULL;
	END IF;
	IF x = 'NaN'::float8 OR x = 'Infinity'::float8 OR x = '-Infinity'::float8 THEN
		RETURN x::text;
	END IF;
	-- numeric rounding: half away from zero, never a negative zero
	s := round(x::numeric, digits)::text;
	IF NOT coalesce(leading_zero, true) THEN
		s := regexp_replace(s, '^(-?)0\.', '\1.');
	END IF;
	IF decimal_mark = ',' THEN
		s := replace(s, '.', ',');
	END IF;
	RETURN s;
END
$$;
COMMENT ON FUNCTION survey_reg.format_number(float8, int, text, bool) IS
	'x rounded to digits decimals (half away from zero) with the decimal mark ''.'' or '','' and, with leading_zero => false, no zero before the mark (APA / Norwegian style for statistics bounded by 1: -,235)';

CREATE FUNCTION survey_reg.stars(p float8,
	levels float8[] DEFAULT '{0.05,0.01,0.001}')
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT repeat('*', (SELECT count(*)::int FROM unnest(levels) AS l(level)
		WHERE p < l.level))
$$;
COMMENT ON FUNCTION survey_reg.stars(float8, float8[]) IS
	'significance stars: one * for each level that p is below (default * p<.05, ** p<.01, *** p<.001); '''' for a NULL or NaN p';

CREATE FUNCTION survey_reg.captions(language text DEFAULT 'en')
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
COMMENT ON FUNCTION survey_reg.captions(text) IS
	'the built-in words of the formatted tables and reports (''en'' or ''nb'') as a jsonb object; override any of them with captions => ''{"key": "text"}''';

-- ---------------------------------------------------------------------
-- Internal: style, labels, relation names
-- ---------------------------------------------------------------------

-- The formatting options of one table, validated once:
-- {"digits", "dm", "lz", "levels", "labels", "captions"}.
CREATE FUNCTION survey_reg._style(digits int, decimal_mark text,
	leading_zero bool, star_levels float8[], labels jsonb, captions jsonb,
	language text)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	bad text;
BEGIN
	-- format_number validates digits and decimal_mark
	PERFORM survey_reg.format_number(0, digits, decimal_mark, leading_zero);
	IF labels IS NOT NULL AND jsonb_typeof(labels) <> 'object' THEN
		RAISE EXCEPTION 'labels must be a jsonb object of name: label pairs'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF captions IS NOT NULL AND jsonb_typeof(captions) <> 'object' THEN
		RAISE EXCEPTION 'captions must be a jsonb object of key: text pairs'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT key INTO bad FROM jsonb_each(coalesce(labels, '{}') || coalesce(captions, '{}'))
	WHERE jsonb_typeof(value) NOT IN ('string', 'null') LIMIT 1;
	IF bad IS NOT NULL THEN
		RAISE EXCEPTION 'the label or caption of "%" must be a string', bad
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF star_levels IS NOT NULL AND EXISTS (SELECT FROM unnest(star_levels) l
			WHERE l IS NULL OR NOT (l > 0 AND l < 1)) THEN
		RAISE EXCEPTION 'star_levels must lie strictly between 0 and 1'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN jsonb_build_object('digits', digits, 'dm', decimal_mark,
		'lz', coalesce(leading_zero, true),
		'levels', to_jsonb(coalesce(star_levels, '{}'::float8[])),
		'labels', coalesce(labels, '{}'),
		'captions', survey_reg.captions(coalesce(language, 'en'))
			|| coalesce(jsonb_strip_nulls(captions), '{}'));
END
$$;

-- x formatted in the table's style; bounded = a statistic bounded by 1 (r,
-- beta, R², alpha, p), printed without the leading zero when lz is false.
CREATE FUNCTION survey_reg._num(x float8, style jsonb, bounded bool DEFAULT false,
	digits int DEFAULT NULL)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT survey_reg.format_number(x, coalesce(digits, (style->>'digits')::int),
		style->>'dm', NOT bounded OR (style->>'lz')::bool)
$$;

CREATE FUNCTION survey_reg._stars(p float8, style jsonb)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT survey_reg.stars(p, ARRAY(SELECT jsonb_array_elements_text(style->'levels')::float8))
$$;

-- "* p < .05; ** p < .01; *** p < .001" in the table's decimal style
CREATE FUNCTION survey_reg._stars_note(style jsonb)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT string_agg(repeat('*', l.o::int) || ' p < '
		|| survey_reg.format_number(l.level,
			greatest(1, length(split_part(l.level::numeric::text, '.', 2))),
			style->>'dm', (style->>'lz')::bool), '; ' ORDER BY l.o)
	FROM (SELECT x.level, row_number() OVER (ORDER BY x.level DESC) AS o
		FROM (SELECT jsonb_array_elements_text(style->'levels')::float8 AS level) x) l
$$;

CREATE FUNCTION survey_reg._label(name text, style jsonb)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT coalesce(style->'labels'->>name, name)
$$;

CREATE FUNCTION survey_reg._caption(key text, style jsonb)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT coalesce(style->'captions'->>key, key)
$$;

-- replaces {key} by value for each pair of keys / vals
CREATE FUNCTION survey_reg._fill(template text, keys text[], vals text[])
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	s text := template;
BEGIN
	FOR i IN 1 .. coalesce(array_length(keys, 1), 0) LOOP
		s := replace(s, '{' || keys[i] || '}', coalesce(vals[i], ''));
	END LOOP;
	RETURN s;
END
$$;

-- N for a title: one number, or "min–max" when the counts differ
CREATE FUNCTION survey_reg._n_text(ns float8[])
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE WHEN min(n) = max(n) THEN round(min(n)::numeric)::text
		ELSE round(min(n)::numeric)::text || '–' || round(max(n)::numeric)::text END
	FROM unnest(ns) AS u(n)
$$;

-- a comma-separated list of names (blocks, index items) as an array
CREATE FUNCTION survey_reg._split_names(list text)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT array_agg(btrim(x, E' \t\n\r\f\x0B') ORDER BY o)
	FROM regexp_split_to_table(list, ',') WITH ORDINALITY AS t(x, o)
$$;

-- the dependent and every predictor of every block, in order, once each
CREATE FUNCTION survey_reg._model_columns(dependent text, blocks text[])
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT array_agg(name ORDER BY first)
	FROM (SELECT name, min(o) AS first
		FROM (SELECT dependent AS name, 0::bigint AS o
			UNION ALL
			SELECT n.name, b.i * 100000 + n.o
			FROM unnest(blocks) WITH ORDINALITY AS b(spec, i),
				unnest(survey_reg._split_names(b.spec)) WITH ORDINALITY AS n(name, o)) a
		GROUP BY name) f
$$;

-- A resolved relation, printed schema-qualified and quoted so that it
-- resolves to the same relation under any search_path.
CREATE FUNCTION survey_reg._relation_name(rel regclass)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	name text;
	kind "char";
BEGIN
	SELECT format('%I.%I', n.nspname, c.relname), c.relkind INTO name, kind
	FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE c.oid = rel;
	IF name IS NULL THEN
		RAISE EXCEPTION 'relation with OID % does not exist', rel::oid
			USING ERRCODE = 'undefined_table';
	END IF;
	IF kind NOT IN ('r', 'v', 'm', 'f', 'p') THEN
		RAISE EXCEPTION '"%" is not a table, view or materialized view', name
			USING ERRCODE = 'wrong_object_type';
	END IF;
	RETURN name;
END
$$;

-- The column exists and the caller may read it (42703 / 42501, the same
-- errors as the table-name forms in C: table_api.c, check_column).
CREATE FUNCTION survey_reg._check_column(rel regclass, col text)
RETURNS void
AS 'MODULE_PATHNAME', 'check_column_sql' LANGUAGE C STABLE PARALLEL SAFE;

-- The SQL expression that reads a column as float8 ("(col)::float8"; a
-- boolean as 0/1), after _check_column's checks; 42804 naming the column
-- and its type for any other type (table_api.c, column_float8_expr).
CREATE FUNCTION survey_reg._float8_column(rel regclass, col text)
RETURNS text
AS 'MODULE_PATHNAME', 'float8_column_sql' LANGUAGE C STABLE PARALLEL SAFE;

-- ---------------------------------------------------------------------
-- frequencies: SPSS FREQUENCIES as a long-format table
-- ---------------------------------------------------------------------

CREATE FUNCTION survey_reg._frequencies(rel regclass, variable text,
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

CREATE FUNCTION survey_reg.frequencies(source text, variable text,
	weight text DEFAULT NULL, value_labels jsonb DEFAULT NULL)
RETURNS TABLE(value float8, label text, n float8, percent float8,
	valid_percent float8, cumulative_percent float8, kind text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT * FROM survey_reg._frequencies(source::pg_catalog.regclass,
		variable, weight, value_labels)
$$;
COMMENT ON FUNCTION survey_reg.frequencies(text, text, text, jsonb) IS
	'SPSS FREQUENCIES of one column: a row per valid value (with labelled values nobody chose), then the valid total, the missing row (NULL, NaN, Infinity) and the total; weight = frequency-weight column';

-- ---------------------------------------------------------------------
-- Laying out a table: rows -> (row_no, kind, label, cells, line)
-- ---------------------------------------------------------------------
--
-- A table is built as jsonb {"align": "lrr...", "rows": [{"kind", "label",
-- "cells": [...], "align"}, ...]}; align has one letter per cell column,
-- 'l' or 'r' (default 'r'), and a row may carry its own.

CREATE FUNCTION survey_reg._row(kind text, label text, cells text[] DEFAULT '{}',
	align text DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT jsonb_strip_nulls(jsonb_build_object('kind', kind, 'label', label,
		'align', align)) || jsonb_build_object('cells', to_jsonb(coalesce(cells, '{}'::text[])))
$$;

CREATE FUNCTION survey_reg._cells(j jsonb)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT coalesce(array_agg(e.c ORDER BY e.o), '{}')
	FROM jsonb_array_elements_text(coalesce(j, '[]')) WITH ORDINALITY AS e(c, o)
$$;

-- a cell "number + stars" split into the two (NULL when it is not one)
CREATE FUNCTION survey_reg._split_stars(cell text)
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT regexp_match(cell, '^(.*[]0-9%)])(\*+)$')
$$;

CREATE FUNCTION survey_reg._lay_out(t jsonb)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	rws jsonb := coalesce(t->'rows', '[]');
	nrows int := jsonb_array_length(coalesce(t->'rows', '[]'));
	talign text := coalesce(t->>'align', '');
	ncols int := 0;
	stubw int := 0;
	corew int[];
	starw int[];
	w int[];
	r jsonb;
	k text;
	a text;
	c text[];
	cell text;
	parts text[];
	ln text;
BEGIN
	FOR i IN 0 .. nrows - 1 LOOP
		ncols := greatest(ncols, jsonb_array_length(coalesce(rws->i->'cells', '[]')));
	END LOOP;
	corew := array_fill(0, ARRAY[greatest(ncols, 1)]);
	starw := corew;
	w := corew;
	-- column widths; stars get a column of their own so the numbers align
	FOR i IN 0 .. nrows - 1 LOOP
		r := rws->i;
		k := r->>'kind';
		CONTINUE WHEN k IN ('title', 'note', 'block');
		stubw := greatest(stubw, length(coalesce(r->>'label', '')));
		c := survey_reg._cells(r->'cells');
		FOR j IN 1 .. coalesce(array_length(c, 1), 0) LOOP
			cell := coalesce(c[j], '');
			parts := CASE WHEN k <> 'header' THEN survey_reg._split_stars(cell) END;
			IF parts IS NULL THEN
				w[j] := greatest(w[j], length(cell));
				IF k <> 'header' THEN
					corew[j] := greatest(corew[j], length(cell));
				END IF;
			ELSE
				corew[j] := greatest(corew[j], length(parts[1]));
				starw[j] := greatest(starw[j], length(parts[2]));
			END IF;
		END LOOP;
	END LOOP;
	FOR j IN 1 .. ncols LOOP
		w[j] := greatest(w[j], corew[j] + starw[j]);
	END LOOP;

	FOR i IN 0 .. nrows - 1 LOOP
		r := rws->i;
		k := r->>'kind';
		c := survey_reg._cells(r->'cells');
		a := coalesce(r->>'align', talign);
		IF k IN ('title', 'note', 'block') THEN
			ln := coalesce(r->>'label', '');
		ELSE
			ln := rpad(coalesce(r->>'label', ''), stubw);
			FOR j IN 1 .. ncols LOOP
				cell := coalesce(c[j], '');
				IF substr(a, j, 1) = 'l' THEN
					cell := rpad(cell, w[j]);
				ELSE
					IF k <> 'header' AND cell <> '' THEN
						parts := survey_reg._split_stars(cell);
						cell := CASE WHEN parts IS NULL THEN cell || repeat(' ', starw[j])
							ELSE parts[1] || rpad(parts[2], starw[j]) END;
					END IF;
					cell := lpad(cell, w[j]);
				END IF;
				ln := ln || '  ' || cell;
			END LOOP;
		END IF;
		row_no := i + 1;
		kind := k;
		label := r->>'label';
		cells := c;
		line := rtrim(ln);
		RETURN NEXT;
	END LOOP;
END
$$;

-- ---------------------------------------------------------------------
-- Table builders (internal): each returns the table as jsonb
-- ---------------------------------------------------------------------

CREATE FUNCTION survey_reg._table(rows jsonb[], align text DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT jsonb_build_object('align', coalesce(align, ''), 'rows', to_jsonb(rows))
$$;

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
CREATE FUNCTION survey_reg._regression_rows(m survey_reg.moments,
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

-- Correlation matrix (the article's appendix table): lower triangle with
-- stars; r, p and n are k x k in row-major order.
CREATE FUNCTION survey_reg._correlation_rows(vars text[], r float8[],
	p float8[], n float8[], diagonal text, numbered bool, title text,
	style jsonb)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	k int := coalesce(array_length(vars, 1), 0);
	rws jsonb[] := '{}';
	cells text[];
BEGIN
	title := survey_reg._fill(coalesce(title, survey_reg._caption('title_correlations', style)),
		ARRAY['n'], ARRAY[survey_reg._n_text(n)]);
	IF title <> '' THEN
		rws := rws || survey_reg._row('title', title);
	END IF;
	rws := rws || survey_reg._row('header', '', ARRAY(
		SELECT CASE WHEN numbered THEN j::text ELSE survey_reg._label(vars[j], style) END
		FROM generate_series(1, k - 1) AS j ORDER BY j));
	FOR i IN 1 .. k LOOP
		cells := ARRAY(SELECT CASE
				WHEN j < i THEN coalesce(survey_reg._num(r[(i - 1) * k + j], style, true)
					|| survey_reg._stars(p[(i - 1) * k + j], style), '')
				WHEN j = i THEN coalesce(diagonal, '')
				ELSE '' END
			FROM generate_series(1, k - 1) AS j ORDER BY j);
		rws := rws || survey_reg._row('variable',
			CASE WHEN numbered THEN i || '. ' ELSE '' END || survey_reg._label(vars[i], style),
			cells);
	END LOOP;
	IF jsonb_array_length(style->'levels') > 0 THEN
		rws := rws || survey_reg._row('note', survey_reg._stars_note(style));
	END IF;
	RETURN survey_reg._table(rws);
END
$$;

-- Descriptives (the article's Table 1): the chosen statistics per
-- variable, optionally a Scale column, and the dichotomous variables as
-- shares in a section of their own.
CREATE FUNCTION survey_reg._descriptive_rows(vars text[], ns float8[],
	means float8[], sds float8[], mins float8[], maxs float8[],
	skews float8[], kurts float8[], dummies text[], scales jsonb,
	statistics text[], significant int, title text, style jsonb)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	k int := coalesce(array_length(vars, 1), 0);
	rws jsonb[] := '{}';
	cells text[];
	dvar text[] := '{}';
	dval int[] := '{}';
	mt text[];
	bad text;
	idx int;
	dec int;
	mx float8;
	share text;
	lab text;
	withscale bool := scales IS NOT NULL;
	digits int := (style->>'digits')::int;
BEGIN
	IF scales IS NOT NULL AND jsonb_typeof(scales) <> 'object' THEN
		RAISE EXCEPTION 'scales must be a jsonb object of variable: scale text pairs'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT x INTO bad FROM unnest(statistics) AS x
	WHERE x IS NULL OR x NOT IN ('n', 'mean', 'sd', 'min', 'max', 'skewness', 'kurtosis')
	LIMIT 1;
	IF FOUND OR coalesce(array_length(statistics, 1), 0) = 0 THEN
		RAISE EXCEPTION 'unknown statistic %', coalesce(quote_literal(bad), 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				HINT = 'The statistics are n, mean, sd, min, max, skewness and kurtosis.';
	END IF;
	IF significant IS NOT NULL AND significant < 1 THEN
		RAISE EXCEPTION 'significant must be at least 1'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	-- dummies: 'name' (share of 1) or 'name=0' (share of 0)
	FOR i IN 1 .. coalesce(array_length(dummies, 1), 0) LOOP
		mt := regexp_match(dummies[i], '^(.*?)\s*=\s*([01])$');
		dvar := dvar || coalesce(mt[1], dummies[i]);
		dval := dval || coalesce(mt[2]::int, 1);
		IF NOT dvar[i] = ANY (vars) THEN
			RAISE EXCEPTION 'dummy "%" is not one of the variables', dvar[i]
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END LOOP;

	title := survey_reg._fill(coalesce(title, survey_reg._caption('title_descriptives', style)),
		ARRAY['n'], ARRAY[survey_reg._n_text(ns)]);
	IF title <> '' THEN
		rws := rws || survey_reg._row('title', title);
	END IF;
	rws := rws || survey_reg._row('header', survey_reg._caption('variable', style),
		CASE WHEN withscale THEN ARRAY[survey_reg._caption('scale', style)] ELSE '{}' END
		|| ARRAY(SELECT survey_reg._caption(s, style) FROM unnest(statistics) WITH ORDINALITY AS u(s, o) ORDER BY o));

	FOR i IN 1 .. k LOOP
		CONTINUE WHEN vars[i] = ANY (dvar);
		-- decimals: digits, or fewer so that the row shows `significant`
		-- significant figures (47.7 and 10.8 next to 2.80 and 0.89)
		dec := digits;
		IF significant IS NOT NULL THEN
			SELECT max(abs(v)) INTO mx FROM unnest(ARRAY[
				CASE WHEN 'mean' = ANY (statistics) THEN means[i] END,
				CASE WHEN 'sd' = ANY (statistics) THEN sds[i] END,
				CASE WHEN 'min' = ANY (statistics) THEN mins[i] END,
				CASE WHEN 'max' = ANY (statistics) THEN maxs[i] END]) AS v
			WHERE v NOT IN ('NaN', 'Infinity', '-Infinity');
			IF mx IS NOT NULL AND round(mx::numeric, digits) >= 1 THEN
				dec := least(digits, greatest(0, significant
					- (floor(log(round(mx::numeric, digits))) + 1)::int));
			END IF;
		END IF;
		cells := CASE WHEN withscale THEN ARRAY[coalesce(scales->>vars[i], '')] ELSE '{}' END
			|| ARRAY(SELECT coalesce(CASE s
					WHEN 'n' THEN survey_reg._num(ns[i], style, false, 0)
					WHEN 'mean' THEN survey_reg._num(means[i], style, false, dec)
					WHEN 'sd' THEN survey_reg._num(sds[i], style, false, dec)
					WHEN 'min' THEN survey_reg._num(mins[i], style, false, dec)
					WHEN 'max' THEN survey_reg._num(maxs[i], style, false, dec)
					WHEN 'skewness' THEN survey_reg._num(skews[i], style)
					WHEN 'kurtosis' THEN survey_reg._num(kurts[i], style)
					END, '')
				FROM unnest(statistics) WITH ORDINALITY AS u(s, o) ORDER BY o);
		rws := rws || survey_reg._row('variable', survey_reg._label(vars[i], style), cells,
			CASE WHEN withscale THEN 'l' END);
	END LOOP;

	IF array_length(dvar, 1) > 0 THEN
		rws := rws || survey_reg._row('header', survey_reg._caption('dichotomous', style),
			CASE WHEN withscale THEN ARRAY[survey_reg._caption('values', style)] ELSE '{}' END
			|| ARRAY[survey_reg._caption('share', style)],
			CASE WHEN withscale THEN 'll' ELSE 'l' END);
		FOR d IN 1 .. array_length(dvar, 1) LOOP
			idx := array_position(vars, dvar[d]);
			IF mins[idx] < 0 OR maxs[idx] > 1 THEN
				RAISE EXCEPTION 'dummy "%" has values outside 0..1', dvar[d]
					USING ERRCODE = 'invalid_parameter_value';
			END IF;
			share := survey_reg._num(100 * CASE WHEN dval[d] = 1 THEN means[idx]
				ELSE 1 - means[idx] END, style, false, 1) || '%';
			lab := style->'labels'->>(dvar[d] || '=' || dval[d]);
			rws := rws || survey_reg._row('dummy', survey_reg._label(dvar[d], style),
				CASE WHEN withscale THEN ARRAY[coalesce(scales->>dvar[d], '')] ELSE '{}' END
				|| ARRAY[share || coalesce(' ' || lab, '')],
				CASE WHEN withscale THEN 'll' ELSE 'l' END);
		END LOOP;
	END IF;
	RETURN survey_reg._table(rws, CASE WHEN withscale THEN 'l' END);
END
$$;

-- a frequency row's label: its value label, or the value in the table's
-- decimal style
CREATE FUNCTION survey_reg._value_label(value float8, label text, style jsonb)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE WHEN label = value::text THEN replace(label, '.', style->>'dm') ELSE label END
$$;

-- SPSS FREQUENCIES as a formatted table
CREATE FUNCTION survey_reg._frequency_rows(src text, variable text,
	weight text, value_labels jsonb, title text, style jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	rws jsonb[] := '{}';
	rec record;
	nvalid float8;
BEGIN
	rws := rws || survey_reg._row('header', '', ARRAY[
		survey_reg._caption('frequency', style), survey_reg._caption('percent', style),
		survey_reg._caption('valid_percent', style),
		survey_reg._caption('cumulative_percent', style)]);
	FOR rec IN SELECT * FROM survey_reg.frequencies(src, variable, weight, value_labels) LOOP
		IF rec.kind = 'valid_total' THEN
			nvalid := rec.n;
		END IF;
		rws := rws || survey_reg._row(rec.kind,
			CASE WHEN rec.kind <> 'value' THEN survey_reg._caption(rec.kind, style)
				ELSE survey_reg._value_label(rec.value, rec.label, style) END,
			ARRAY[survey_reg._num(rec.n, style, false, 0),
				coalesce(survey_reg._num(rec.percent, style), ''),
				coalesce(survey_reg._num(rec.valid_percent, style), ''),
				coalesce(survey_reg._num(rec.cumulative_percent, style), '')]);
	END LOOP;
	title := survey_reg._fill(coalesce(title, survey_reg._caption('title_frequencies', style)),
		ARRAY['variable', 'n'],
		ARRAY[survey_reg._label(variable, style), survey_reg._n_text(ARRAY[nvalid])]);
	IF title <> '' THEN
		rws := survey_reg._row('title', title) || rws;
	END IF;
	RETURN survey_reg._table(rws);
END
$$;

-- The frequency distribution as a bar chart: one row per valid value with
-- the bar (Unicode eighth blocks, or `bar` repeated) and the percentage;
-- each row also carries the number ("value") for the SVG figure.
CREATE FUNCTION survey_reg._chart_rows(src text, variable text,
	weight text, value_labels jsonb, statistic text, width int, bar text,
	title text, style jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	rws jsonb[] := '{}';
	rec record;
	nvalid float8;
	units int;
	b text;
BEGIN
	IF statistic IS NULL OR statistic NOT IN ('valid_percent', 'percent') THEN
		RAISE EXCEPTION 'statistic must be ''valid_percent'' or ''percent'''
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF width IS NULL OR width < 1 OR width > 500 THEN
		RAISE EXCEPTION 'width must be between 1 and 500'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	FOR rec IN
		SELECT f.kind, f.value, f.label, f.n, f.pct,
			max(f.pct) FILTER (WHERE f.kind = 'value') OVER () AS vmax
		FROM (SELECT x.*, CASE statistic WHEN 'percent' THEN x.percent
				ELSE x.valid_percent END AS pct
			FROM survey_reg.frequencies(src, variable, weight, value_labels)
				WITH ORDINALITY AS x) f
		ORDER BY f.ordinality
	LOOP
		IF rec.kind = 'valid_total' THEN
			nvalid := rec.n;
		END IF;
		CONTINUE WHEN rec.kind <> 'value';
		IF bar IS NULL THEN
			-- Unicode blocks, in eighths of a character
			units := coalesce(round(8 * width * rec.pct / nullif(rec.vmax, 0))::int, 0);
			b := repeat('█', units / 8) || substr('▏▎▍▌▋▊▉', units % 8, 1);
		ELSE
			b := repeat(bar, coalesce(round(width * rec.pct / nullif(rec.vmax, 0))::int, 0));
		END IF;
		rws := rws || (survey_reg._row('bar', survey_reg._value_label(rec.value, rec.label, style),
			ARRAY[b, coalesce(survey_reg._num(rec.pct, style) || '%', '')], 'lr')
			|| jsonb_build_object('value', rec.pct, 'n', rec.n));
	END LOOP;
	title := survey_reg._fill(coalesce(title, survey_reg._caption('title_chart', style)),
		ARRAY['variable', 'n'],
		ARRAY[survey_reg._label(variable, style), survey_reg._n_text(ARRAY[nvalid])]);
	IF title <> '' THEN
		rws := survey_reg._row('title', title) || rws;
	END IF;
	RETURN survey_reg._table(rws, 'lr');
END
$$;

-- The distribution of a variable with many distinct values as a histogram:
-- equal-width bins (Sturges: ceil(log2 n) + 1, at most 20) between its
-- smallest and largest valid value, rows shaped as _chart_rows' bars so
-- that the same layouts and SVG draw them.  report() uses it above 30
-- distinct values without value labels (a bar per value of a continuous
-- dependent made a 682,156-character page from 2,000 rows).
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

-- Reliability of one or more indices: index i has the comma-separated
-- items items[i]; one scan per index (listwise over its own items).
CREATE FUNCTION survey_reg._reliability_rows(src text, indices text[],
	items text[], weight text, statistics text[], title text, style jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	rws jsonb[] := '{}';
	rel record;
	cells text[];
	bad text;
	sep text := CASE WHEN style->>'dm' = ',' THEN '; ' ELSE ', ' END;
BEGIN
	IF coalesce(array_length(indices, 1), 0) = 0
			OR array_length(indices, 1) IS DISTINCT FROM array_length(items, 1) THEN
		RAISE EXCEPTION 'indices and items must be non-empty arrays of the same length'
			USING ERRCODE = 'invalid_parameter_value',
				HINT = 'items[i] is the comma-separated list of the items of indices[i].';
	END IF;
	SELECT x INTO bad FROM unnest(statistics) AS x
	WHERE x IS NULL OR x NOT IN ('k', 'n', 'alpha', 'std_alpha', 'alpha_ci', 'mean_r',
		'min_r', 'max_r', 'omega_total', 'lambda6')
	LIMIT 1;
	IF FOUND OR coalesce(array_length(statistics, 1), 0) = 0 THEN
		RAISE EXCEPTION 'unknown statistic %', coalesce(quote_literal(bad), 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				HINT = 'The statistics are k, n, alpha, std_alpha, alpha_ci, mean_r, min_r, max_r, omega_total and lambda6.';
	END IF;
	IF title IS NULL THEN
		title := survey_reg._caption('title_reliability', style);
	END IF;
	IF title <> '' THEN
		rws := rws || survey_reg._row('title', title);
	END IF;
	rws := rws || survey_reg._row('header', survey_reg._caption('index', style),
		ARRAY(SELECT survey_reg._caption(s, style) FROM unnest(statistics) WITH ORDINALITY AS u(s, o) ORDER BY o));
	FOR i IN 1 .. array_length(indices, 1) LOOP
		SELECT * INTO rel FROM survey_reg.reliability(src, survey_reg._split_names(items[i]), weight);
		cells := ARRAY(SELECT coalesce(CASE s
				WHEN 'k' THEN rel.k::text
				WHEN 'n' THEN survey_reg._num(rel.n, style, false, 0)
				WHEN 'alpha' THEN survey_reg._num(rel.alpha, style, true)
				WHEN 'std_alpha' THEN survey_reg._num(rel.std_alpha, style, true)
				WHEN 'alpha_ci' THEN '[' || survey_reg._num(rel.alpha_ci_lower, style, true)
					|| sep || survey_reg._num(rel.alpha_ci_upper, style, true) || ']'
				WHEN 'mean_r' THEN survey_reg._num(rel.mean_r, style, true)
				WHEN 'min_r' THEN survey_reg._num(rel.min_r, style, true)
				WHEN 'max_r' THEN survey_reg._num(rel.max_r, style, true)
				WHEN 'omega_total' THEN survey_reg._num(rel.omega_total, style, true)
				WHEN 'lambda6' THEN survey_reg._num(rel.lambda6, style, true)
				END, '')
			FROM unnest(statistics) WITH ORDINALITY AS u(s, o) ORDER BY o);
		rws := rws || survey_reg._row('index', survey_reg._label(indices[i], style), cells);
	END LOOP;
	RETURN survey_reg._table(rws);
END
$$;

-- ---------------------------------------------------------------------
-- Public formatted tables
-- ---------------------------------------------------------------------

-- regression_table: of a state ...
CREATE FUNCTION survey_reg.regression_table(m survey_reg.moments,
	dependent text, blocks text[], intercept bool DEFAULT true,
	statistic text DEFAULT 'beta', block_labels text[] DEFAULT NULL,
	model_labels text[] DEFAULT NULL,
	summary text[] DEFAULT '{n,r2,adj_r2,r2_change}',
	digits int DEFAULT 3, decimal_mark text DEFAULT '.',
	leading_zero bool DEFAULT true,
	star_levels float8[] DEFAULT '{0.05,0.01,0.001}',
	labels jsonb DEFAULT NULL, captions jsonb DEFAULT NULL,
	language text DEFAULT 'en', title text DEFAULT NULL)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT * FROM survey_reg._lay_out(survey_reg._regression_rows(m, dependent,
		blocks, intercept, statistic, block_labels, model_labels, summary, title,
		survey_reg._style(digits, decimal_mark, leading_zero, star_levels,
			labels, captions, language)))
$$;
COMMENT ON FUNCTION survey_reg.regression_table(survey_reg.moments, text, text[], bool, text, text[], text[], text[], int, text, bool, float8[], jsonb, jsonb, text, text) IS
	'hierarchical OLS as a publication table (the article''s Table 2): a column per model, terms under their block''s label, standardized (or unstandardized) coefficients with stars, then N, R², adjusted R², R² change';

-- ... and of a table (one scan, listwise over every variable named)
CREATE FUNCTION survey_reg._regression_table_src(src text, dependent text,
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

CREATE FUNCTION survey_reg.regression_table(source text, dependent text,
	blocks text[], weight text DEFAULT NULL, intercept bool DEFAULT true,
	statistic text DEFAULT 'beta', block_labels text[] DEFAULT NULL,
	model_labels text[] DEFAULT NULL,
	summary text[] DEFAULT '{n,r2,adj_r2,r2_change}',
	digits int DEFAULT 3, decimal_mark text DEFAULT '.',
	leading_zero bool DEFAULT true,
	star_levels float8[] DEFAULT '{0.05,0.01,0.001}',
	labels jsonb DEFAULT NULL, captions jsonb DEFAULT NULL,
	language text DEFAULT 'en', title text DEFAULT NULL)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT * FROM survey_reg._regression_table_src(
		survey_reg._relation_name(source::pg_catalog.regclass), dependent, blocks,
		weight, intercept, statistic, block_labels, model_labels, summary,
		digits, decimal_mark, leading_zero, star_levels, labels, captions,
		language, title)
$$;
COMMENT ON FUNCTION survey_reg.regression_table(text, text, text[], text, bool, text, text[], text[], text[], int, text, bool, float8[], jsonb, jsonb, text, text) IS
	'hierarchical OLS of a table or view as a publication table (one scan; weight = frequency-weight column)';

-- correlation_table: of a state ...
CREATE FUNCTION survey_reg._correlation_table_state(m survey_reg.moments,
	variables text[], diagonal text, numbered bool, title text, style jsonb)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	vars text[];
	r float8[];
	p float8[];
	n float8[];
	bad text;
BEGIN
	vars := coalesce(variables, ARRAY(SELECT d.variable FROM survey_reg.describe(m) d));
	SELECT x INTO bad FROM unnest(vars) AS x
	WHERE x IS NULL OR NOT x IN (SELECT d.variable FROM survey_reg.describe(m) d) LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'variable "%" is not a variable of the moments state', bad
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT array_agg(c.r ORDER BY a.i, b.j), array_agg(c.p ORDER BY a.i, b.j),
		array_agg(c.n ORDER BY a.i, b.j)
	INTO r, p, n
	FROM unnest(vars) WITH ORDINALITY AS a(v, i)
		CROSS JOIN unnest(vars) WITH ORDINALITY AS b(v, j)
		LEFT JOIN survey_reg.correlations(m) c ON c.var1 = a.v AND c.var2 = b.v;
	RETURN survey_reg._correlation_rows(vars, r, p, n, diagonal, numbered, title, style);
END
$$;

CREATE FUNCTION survey_reg.correlation_table(m survey_reg.moments,
	variables text[] DEFAULT NULL, diagonal text DEFAULT '–',
	numbered bool DEFAULT false, digits int DEFAULT 3,
	decimal_mark text DEFAULT '.', leading_zero bool DEFAULT true,
	star_levels float8[] DEFAULT '{0.05,0.01,0.001}',
	labels jsonb DEFAULT NULL, captions jsonb DEFAULT NULL,
	language text DEFAULT 'en', title text DEFAULT NULL)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT * FROM survey_reg._lay_out(survey_reg._correlation_table_state(m,
		variables, diagonal, numbered, title,
		survey_reg._style(digits, decimal_mark, leading_zero, star_levels,
			labels, captions, language)))
	WHERE m IS NOT NULL
$$;
COMMENT ON FUNCTION survey_reg.correlation_table(survey_reg.moments, text[], text, bool, int, text, bool, float8[], jsonb, jsonb, text, text) IS
	'Pearson correlations as a publication table (the article''s appendix): lower triangle with stars, the last variable''s column left out';

-- ... and of a table (listwise or pairwise)
CREATE FUNCTION survey_reg._correlation_src_rows(src text, variables text[],
	missing text, weight text, diagonal text, numbered bool, title text,
	style jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	r float8[];
	p float8[];
	n float8[];
BEGIN
	SELECT array_agg(c.r ORDER BY a.i, b.j), array_agg(c.p ORDER BY a.i, b.j),
		array_agg(c.n ORDER BY a.i, b.j)
	INTO r, p, n
	FROM unnest(variables) WITH ORDINALITY AS a(v, i)
		CROSS JOIN unnest(variables) WITH ORDINALITY AS b(v, j)
		LEFT JOIN survey_reg.correlations(src, variables, missing, weight) c
			ON c.var1 = a.v AND c.var2 = b.v;
	RETURN survey_reg._correlation_rows(variables, r, p, n, diagonal, numbered,
		title, style);
END
$$;

CREATE FUNCTION survey_reg._correlation_table_src(src text, variables text[],
	missing text, weight text, diagonal text, numbered bool, digits int,
	decimal_mark text, leading_zero bool, star_levels float8[], labels jsonb,
	captions jsonb, language text, title text)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT * FROM survey_reg._lay_out(survey_reg._correlation_src_rows(src,
		variables, missing, weight, diagonal, numbered, title,
		survey_reg._style(digits, decimal_mark, leading_zero, star_levels,
			labels, captions, language)))
$$;

CREATE FUNCTION survey_reg.correlation_table(source text, variables text[],
	missing text DEFAULT 'listwise', weight text DEFAULT NULL,
	diagonal text DEFAULT '–', numbered bool DEFAULT false,
	digits int DEFAULT 3, decimal_mark text DEFAULT '.',
	leading_zero bool DEFAULT true,
	star_levels float8[] DEFAULT '{0.05,0.01,0.001}',
	labels jsonb DEFAULT NULL, captions jsonb DEFAULT NULL,
	language text DEFAULT 'en', title text DEFAULT NULL)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT * FROM survey_reg._correlation_table_src(
		survey_reg._relation_name(source::pg_catalog.regclass), variables,
		missing, weight, diagonal, numbered, digits, decimal_mark, leading_zero,
		star_levels, labels, captions, language, title)
$$;
COMMENT ON FUNCTION survey_reg.correlation_table(text, text[], text, text, text, bool, int, text, bool, float8[], jsonb, jsonb, text, text) IS
	'Pearson correlations of a table or view as a publication table (listwise or pairwise)';

-- descriptives_table: of a state ...
CREATE FUNCTION survey_reg._descriptives_state(m survey_reg.moments,
	variables text[], dummies text[], scales jsonb, statistics text[],
	significant int, title text, style jsonb)
RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	vars text[];
	ns float8[]; means float8[]; sds float8[]; mins float8[]; maxs float8[];
	skews float8[]; kurts float8[];
	bad text;
BEGIN
	vars := coalesce(variables, ARRAY(SELECT d.variable FROM survey_reg.describe(m) d));
	SELECT x INTO bad FROM unnest(vars) AS x
	WHERE x IS NULL OR NOT x IN (SELECT d.variable FROM survey_reg.describe(m) d) LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'variable "%" is not a variable of the moments state', bad
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	SELECT array_agg(d.n ORDER BY a.i), array_agg(d.mean ORDER BY a.i),
		array_agg(d.sd ORDER BY a.i), array_agg(d.min ORDER BY a.i),
		array_agg(d.max ORDER BY a.i), array_agg(d.skewness ORDER BY a.i),
		array_agg(d.kurtosis ORDER BY a.i)
	INTO ns, means, sds, mins, maxs, skews, kurts
	FROM unnest(vars) WITH ORDINALITY AS a(v, i)
		JOIN survey_reg.describe(m) d ON d.variable = a.v;
	RETURN survey_reg._descriptive_rows(vars, ns, means, sds, mins, maxs,
		skews, kurts, dummies, scales, statistics, significant, title, style);
END
$$;

CREATE FUNCTION survey_reg.descriptives_table(m survey_reg.moments,
	variables text[] DEFAULT NULL, dummies text[] DEFAULT NULL,
	scales jsonb DEFAULT NULL, statistics text[] DEFAULT '{mean,sd}',
	digits int DEFAULT 2, significant int DEFAULT NULL,
	decimal_mark text DEFAULT '.', labels jsonb DEFAULT NULL,
	captions jsonb DEFAULT NULL, language text DEFAULT 'en',
	title text DEFAULT NULL)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT * FROM survey_reg._lay_out(survey_reg._descriptives_state(m,
		variables, dummies, scales, statistics, significant, title,
		survey_reg._style(digits, decimal_mark, true, NULL, labels, captions,
			language)))
	WHERE m IS NOT NULL
$$;
COMMENT ON FUNCTION survey_reg.descriptives_table(survey_reg.moments, text[], text[], jsonb, text[], int, int, text, jsonb, jsonb, text, text) IS
	'descriptive statistics as a publication table (the article''s Table 1): mean and SD (or other statistics), an optional Scale column, dummies as shares';

-- ... and of a table (listwise or pairwise)
CREATE FUNCTION survey_reg._descriptive_src_rows(src text, variables text[],
	missing text, weight text, dummies text[], scales jsonb,
	statistics text[], significant int, title text, style jsonb)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	ns float8[]; means float8[]; sds float8[]; mins float8[]; maxs float8[];
	skews float8[]; kurts float8[];
BEGIN
	SELECT array_agg(d.n ORDER BY a.i), array_agg(d.mean ORDER BY a.i),
		array_agg(d.sd ORDER BY a.i), array_agg(d.min ORDER BY a.i),
		array_agg(d.max ORDER BY a.i), array_agg(d.skewness ORDER BY a.i),
		array_agg(d.kurtosis ORDER BY a.i)
	INTO ns, means, sds, mins, maxs, skews, kurts
	FROM unnest(variables) WITH ORDINALITY AS a(v, i)
		JOIN survey_reg.describe(src, variables, missing, weight) d ON d.variable = a.v;
	RETURN survey_reg._descriptive_rows(variables, ns, means, sds, mins, maxs,
		skews, kurts, dummies, scales, statistics, significant, title, style);
END
$$;

CREATE FUNCTION survey_reg._descriptives_table_src(src text, variables text[],
	missing text, weight text, dummies text[], scales jsonb,
	statistics text[], digits int, significant int, decimal_mark text,
	labels jsonb, captions jsonb, language text, title text)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT * FROM survey_reg._lay_out(survey_reg._descriptive_src_rows(src,
		variables, missing, weight, dummies, scales, statistics, significant,
		title, survey_reg._style(digits, decimal_mark, true, NULL, labels,
			captions, language)))
$$;

CREATE FUNCTION survey_reg.descriptives_table(source text, variables text[],
	missing text DEFAULT 'listwise', weight text DEFAULT NULL,
	dummies text[] DEFAULT NULL, scales jsonb DEFAULT NULL,
	statistics text[] DEFAULT '{mean,sd}', digits int DEFAULT 2,
	significant int DEFAULT NULL, decimal_mark text DEFAULT '.',
	labels jsonb DEFAULT NULL, captions jsonb DEFAULT NULL,
	language text DEFAULT 'en', title text DEFAULT NULL)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT * FROM survey_reg._descriptives_table_src(
		survey_reg._relation_name(source::pg_catalog.regclass), variables,
		missing, weight, dummies, scales, statistics, digits, significant,
		decimal_mark, labels, captions, language, title)
$$;
COMMENT ON FUNCTION survey_reg.descriptives_table(text, text[], text, text, text[], jsonb, text[], int, int, text, jsonb, jsonb, text, text) IS
	'descriptive statistics of a table or view as a publication table (listwise or pairwise)';

-- reliability_table (table-name only: each index is its own listwise scan)
CREATE FUNCTION survey_reg._reliability_table_src(src text, indices text[],
	items text[], weight text, statistics text[], digits int,
	decimal_mark text, leading_zero bool, labels jsonb, captions jsonb,
	language text, title text)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT * FROM survey_reg._lay_out(survey_reg._reliability_rows(src, indices,
		items, weight, statistics, title,
		survey_reg._style(digits, decimal_mark, leading_zero, NULL, labels,
			captions, language)))
$$;

CREATE FUNCTION survey_reg.reliability_table(source text, indices text[],
	items text[], weight text DEFAULT NULL,
	statistics text[] DEFAULT '{k,n,alpha,alpha_ci,mean_r}',
	digits int DEFAULT 3, decimal_mark text DEFAULT '.',
	leading_zero bool DEFAULT true, labels jsonb DEFAULT NULL,
	captions jsonb DEFAULT NULL, language text DEFAULT 'en',
	title text DEFAULT NULL)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT * FROM survey_reg._reliability_table_src(
		survey_reg._relation_name(source::pg_catalog.regclass), indices, items,
		weight, statistics, digits, decimal_mark, leading_zero, labels,
		captions, language, title)
$$;
COMMENT ON FUNCTION survey_reg.reliability_table(text, text[], text[], text, text[], int, text, bool, jsonb, jsonb, text, text) IS
	'reliability of one or more indices as a table: items[i] is the comma-separated item list of indices[i]; k, N, Cronbach''s alpha with its 95% Feldt interval, mean inter-item r (or other statistics)';

-- frequency_table and frequency_chart
CREATE FUNCTION survey_reg._frequency_table_src(src text, variable text,
	weight text, value_labels jsonb, digits int, decimal_mark text,
	labels jsonb, captions jsonb, language text, title text)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT * FROM survey_reg._lay_out(survey_reg._frequency_rows(src, variable,
		weight, value_labels, title,
		survey_reg._style(digits, decimal_mark, true, NULL, labels, captions, language)))
$$;

CREATE FUNCTION survey_reg.frequency_table(source text, variable text,
	weight text DEFAULT NULL, value_labels jsonb DEFAULT NULL,
	digits int DEFAULT 1, decimal_mark text DEFAULT '.',
	labels jsonb DEFAULT NULL, captions jsonb DEFAULT NULL,
	language text DEFAULT 'en', title text DEFAULT NULL)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT * FROM survey_reg._frequency_table_src(
		survey_reg._relation_name(source::pg_catalog.regclass), variable, weight,
		value_labels, digits, decimal_mark, labels, captions, language, title)
$$;
COMMENT ON FUNCTION survey_reg.frequency_table(text, text, text, jsonb, int, text, jsonb, jsonb, text, text) IS
	'SPSS FREQUENCIES of one column as a formatted table (frequency, percent, valid percent, cumulative percent; valid total, missing, total)';

CREATE FUNCTION survey_reg._frequency_chart_src(src text, variable text,
	weight text, value_labels jsonb, statistic text, width int, bar text,
	digits int, decimal_mark text, labels jsonb, captions jsonb,
	language text, title text)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT * FROM survey_reg._lay_out(survey_reg._chart_rows(src, variable,
		weight, value_labels, statistic, width, bar, title,
		survey_reg._style(digits, decimal_mark, true, NULL, labels, captions, language)))
$$;

CREATE FUNCTION survey_reg.frequency_chart(source text, variable text,
	weight text DEFAULT NULL, value_labels jsonb DEFAULT NULL,
	statistic text DEFAULT 'valid_percent', width int DEFAULT 40,
	bar text DEFAULT NULL, digits int DEFAULT 1,
	decimal_mark text DEFAULT '.', labels jsonb DEFAULT NULL,
	captions jsonb DEFAULT NULL, language text DEFAULT 'en',
	title text DEFAULT NULL)
RETURNS TABLE(row_no int, kind text, label text, cells text[], line text)
LANGUAGE sql STABLE PARALLEL RESTRICTED
AS $$
	SELECT * FROM survey_reg._frequency_chart_src(
		survey_reg._relation_name(source::pg_catalog.regclass), variable, weight,
		value_labels, statistic, width, bar, digits, decimal_mark, labels,
		captions, language, title)
$$;
COMMENT ON FUNCTION survey_reg.frequency_chart(text, text, text, jsonb, text, int, text, int, text, jsonb, jsonb, text, text) IS
	'the distribution of one column as a text bar chart (the article''s Figure 1 in a terminal): a row per valid value, bars scaled so the largest is width characters';

-- ---------------------------------------------------------------------
-- Rendering: HTML, Markdown, SVG
-- ---------------------------------------------------------------------

CREATE FUNCTION survey_reg._html(s text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT replace(replace(replace(replace(replace(coalesce(s, ''),
		'&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;')
$$;

CREATE FUNCTION survey_reg._md(s text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT regexp_replace(regexp_replace(coalesce(s, ''), '[\r\n]+', ' ', 'g'),
		'([\\`*_\[\]<>|#~])', '\\\1', 'g')
$$;

-- A table as HTML: the title becomes the caption (with the numbering
-- prefix), the first header row the thead, block rows spanning rows, notes
-- a paragraph below.  Stars sit in a fixed-width span so numbers align.
CREATE FUNCTION survey_reg._html_table(t jsonb, prefix text DEFAULT NULL,
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

-- A table as Markdown (GitHub / CommonMark pipe table), every text escaped
CREATE FUNCTION survey_reg._markdown_table(t jsonb, prefix text DEFAULT NULL)
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

-- A chart table (from _chart_rows) as an inline SVG column chart like the
-- article's Figure 1: a bar per value, its percentage above it, the value
-- label below (wrapped), a percentage axis with gridlines.
CREATE FUNCTION survey_reg._svg_chart(t jsonb, style jsonb)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	bars jsonb := coalesce((SELECT jsonb_agg(e ORDER BY o)
		FROM jsonb_array_elements(t->'rows') WITH ORDINALITY AS x(e, o)
		WHERE e->>'kind' = 'bar'), '[]');
	nb int;
	w int := 720;
	h int := 400;
	ml int := 56;
	mr int := 16;
	mt int := 28;
	mb int := 84;
	pw int;
	ph int;
	vmax float8;
	ymax float8;
	step float8;
	slot float8;
	bw float8;
	x float8;
	y float8;
	bh float8;
	v float8;
	title text := coalesce((SELECT e->>'label' FROM jsonb_array_elements(t->'rows') e
		WHERE e->>'kind' = 'title' LIMIT 1), '');
	svg text;
	words text[];
	lines text[];
	cur text;
BEGIN
	nb := jsonb_array_length(bars);
	pw := w - ml - mr;
	ph := h - mt - mb;
	SELECT max((e->>'value')::float8) INTO vmax FROM jsonb_array_elements(bars) e;
	vmax := coalesce(nullif(vmax, 0), 1);
	step := CASE WHEN vmax <= 10 THEN 2 WHEN vmax <= 30 THEN 5 WHEN vmax <= 60 THEN 10 ELSE 20 END;
	ymax := ceil(vmax / step) * step;
	svg := format('<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="%s" height="%s" viewBox="0 0 %s %s" role="img" aria-label="%s" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="13">',
		w, h, w, h, survey_reg._html(title)) || E'\n';
	svg := svg || format('<title>%s</title>', survey_reg._html(title)) || E'\n';
	-- gridlines and axis labels
	FOR g IN 0 .. (ymax / step)::int LOOP
		y := mt + ph - ph * g * step / ymax;
		svg := svg || format('<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1"/>',
			ml, round(y::numeric, 2), w - mr, round(y::numeric, 2), CASE WHEN g = 0 THEN '#333' ELSE '#ddd' END)
			|| format('<text x="%s" y="%s" text-anchor="end" fill="#444">%s%%</text>',
			ml - 6, round((y + 4)::numeric, 2), survey_reg._num(g * step, style, false, 0)) || E'\n';
	END LOOP;
	slot := pw::float8 / greatest(nb, 1);
	bw := slot * 0.6;
	FOR i IN 0 .. nb - 1 LOOP
		v := coalesce((bars->i->>'value')::float8, 0);
		bh := ph * v / ymax;
		x := ml + slot * i + (slot - bw) / 2;
		y := mt + ph - bh;
		svg := svg || format('<rect class="bar" data-value="%s" x="%s" y="%s" width="%s" height="%s" fill="#3b6ea5"><title>%s: %s</title></rect>',
			v, round(x::numeric, 2), round(y::numeric, 2), round(bw::numeric, 2), round(bh::numeric, 2),
			survey_reg._html(bars->i->>'label'), survey_reg._html(bars->i->'cells'->>1)) || E'\n';
		svg := svg || format('<text class="value" x="%s" y="%s" text-anchor="middle" fill="#222">%s</text>',
			round((x + bw / 2)::numeric, 2), round((y - 6)::numeric, 2),
			survey_reg._html(bars->i->'cells'->>1)) || E'\n';
		-- the value label, wrapped to lines of about 14 characters
		words := regexp_split_to_array(coalesce(bars->i->>'label', ''), '\s+');
		lines := '{}';
		cur := '';
		FOR wi IN 1 .. coalesce(array_length(words, 1), 0) LOOP
			IF cur <> '' AND length(cur) + 1 + length(words[wi]) > 14 THEN
				lines := lines || cur;
				cur := words[wi];
			ELSE
				cur := CASE WHEN cur = '' THEN words[wi] ELSE cur || ' ' || words[wi] END;
			END IF;
		END LOOP;
		lines := lines || cur;
		svg := svg || format('<text class="category" x="%s" y="%s" text-anchor="middle" fill="#222">',
			round((x + bw / 2)::numeric, 2), mt + ph + 18);
		FOR li IN 1 .. array_length(lines, 1) LOOP
			svg := svg || format('<tspan x="%s" dy="%s">%s</tspan>', round((x + bw / 2)::numeric, 2),
				CASE WHEN li = 1 THEN '0' ELSE '1.2em' END, survey_reg._html(lines[li]));
		END LOOP;
		svg := svg || '</text>' || E'\n';
	END LOOP;
	RETURN svg || '</svg>';
END
$$;

-- ---------------------------------------------------------------------
-- report(): a whole analysis as one document
-- ---------------------------------------------------------------------

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
