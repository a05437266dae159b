-- survey_reg 0.1.1 -> 0.1.2
--
-- Every change to src/sql/ in 0.1.2 is repeated here, in the same order;
-- test/persistence.sql checks that updating from 0.1.0 or 0.1.1 gives a
-- fresh install's objects.

\echo Use "ALTER EXTENSION survey_reg UPDATE TO '0.1.2'" to load this file. \quit

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

