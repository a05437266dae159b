-- pgbench load test (tools/load.sh): data, stored states and the result
-- check.  Run once, then every script once in "record" mode (serial, no
-- parallel workers) to store the expected results; under load every script
-- compares its result with the serial one, as text (float8 output is exact
-- in PostgreSQL 15), and raises an error on any difference.
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

CREATE OR REPLACE FUNCTION load_check(name text, got text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
	want text;
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
	IF got IS DISTINCT FROM want THEN
		RAISE EXCEPTION 'load: % differs from the serial run', name
			USING DETAIL = format('got %s / serial %s', left(got, 300), left(want, 300));
	END IF;
END $$;
