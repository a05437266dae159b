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
