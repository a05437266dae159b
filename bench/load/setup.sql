-- pgbench load test (tools/load.sh): data, stored states and the result
-- check.  Run once, then every script once in "record" mode (serial, no
-- parallel workers) to store the expected results; under load every script
-- compares its result with the serial one, as text (float8 output is exact
-- in PostgreSQL 15).  A result that differs as text must have the same
-- shape and every number within 1e-12 relative (or 1e-15 absolute) of the
-- serial one, else it is an error; such results are counted (sequence
-- load_inexact, table load_inexact_seen).  Skewness and kurtosis come from
-- third and fourth power sums rounded once per term, so a parallel plan,
-- which merges partial states in another order, can change their last bits.
SET client_min_messages = warning;
DROP TABLE IF EXISTS load_survey, load_office_states, load_expected;

-- the sample survey 30 times over (49,380 rows), every copy shifted a
-- little so that the copies are not identical
CREATE TABLE load_survey AS
SELECT r AS replica, s.office_id + 108 * (r % 3) AS office_id,
	s.individualisering, s.styring_a, s.styring_b, s.belast_tid, s.belast_krav,
	s.belast_stor, s.ratio, s.tiltakskunnskap, s.effektiv, s.kjonn,
	s.alder + r * 0.01 AS alder, s.tilsettingsforhold, s.weight
FROM sample_survey s, generate_series(1, 30) r;
ANALYZE load_survey;

CREATE TABLE load_office_states AS
SELECT office_id,
	survey_reg.moments(ARRAY[individualisering, styring_a, styring_b, alder],
		ARRAY['individualisering', 'styring_a', 'styring_b', 'alder'], weight) AS m
FROM load_survey GROUP BY office_id;

CREATE TABLE load_expected (name text PRIMARY KEY, result text NOT NULL);
DROP SEQUENCE IF EXISTS load_inexact;
CREATE SEQUENCE load_inexact;
DROP TABLE IF EXISTS load_inexact_seen;
CREATE UNLOGGED TABLE load_inexact_seen (name text PRIMARY KEY, max_rel float8);

CREATE OR REPLACE FUNCTION load_check(name text, got text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	want text;
	num constant text := '(-?[0-9]+(\.[0-9]+)?(e[-+]?[0-9]+)?)';
	rel float8;
	close bool;
BEGIN
	IF current_setting('survey_reg_load.mode', true) = 'record' THEN
		INSERT INTO load_expected VALUES (name, got)
		ON CONFLICT ON CONSTRAINT load_expected_pkey DO UPDATE SET result = excluded.result;
		RETURN;
	END IF;
	SELECT e.result INTO want FROM load_expected e WHERE e.name = load_check.name;
	IF want IS NULL THEN
		RAISE EXCEPTION 'load: no serial result for %', name;
	END IF;
	IF got IS NOT DISTINCT FROM want THEN
		RETURN;
	END IF;
	-- the same text apart from the numbers, and every number close
	IF got IS NULL OR want IS NULL
	   OR regexp_replace(got, num, '#', 'g') <> regexp_replace(want, num, '#', 'g') THEN
		RAISE EXCEPTION 'load: % differs from the serial run', name
			USING DETAIL = format('got %s / serial %s', left(got, 300), left(want, 300));
	END IF;
	SELECT max(CASE WHEN a = b THEN 0 ELSE abs(a - b) / greatest(abs(a), abs(b)) END),
		bool_and(abs(a - b) <= greatest(1e-12 * greatest(abs(a), abs(b)), 1e-15))
	INTO rel, close
	FROM (SELECT g[1]::float8 AS a, w[1]::float8 AS b
	      FROM regexp_matches(got, num, 'g') WITH ORDINALITY x(g, i)
	      JOIN regexp_matches(want, num, 'g') WITH ORDINALITY y(w, j) ON i = j) pairs;
	IF NOT close THEN
		RAISE EXCEPTION 'load: % differs from the serial run (relative %)', name, rel
			USING DETAIL = format('got %s / serial %s', left(got, 300), left(want, 300));
	END IF;
	PERFORM nextval('load_inexact');
	INSERT INTO load_inexact_seen VALUES (name, rel)
	ON CONFLICT ON CONSTRAINT load_inexact_seen_pkey DO UPDATE SET max_rel = greatest(load_inexact_seen.max_rel, excluded.max_rel);
END $$;
