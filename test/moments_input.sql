-- Malformed input of survey_reg.moments at the SQL level: random, truncated
-- and mutated texts either parse or raise 22P02 (never crash the backend);
-- accepted texts print and re-read as themselves; binary COPY round trip;
-- the aggregates' argument errors with their SQLSTATEs.  (The exhaustive
-- harness is test/core/fuzz_moments_text.c, outside PostgreSQL.)
BEGIN;
SELECT plan(25);

CREATE TEMP TABLE rows_in (g int, a float8, b float8, c float8, w float8);
INSERT INTO rows_in
SELECT i, sin(i) * 10, 1e9 + cos(i), (i % 7)::float8 / 3, 1 + i % 3
FROM generate_series(1, 40) i;

-- states to damage: awkward names (quotes, backslashes, commas, non-ASCII)
CREATE TEMP TABLE base_states (id int, m survey_reg.moments);
INSERT INTO base_states
SELECT 1, survey_reg.moments(ARRAY[a, b, c], ARRAY['a"q', 'b\\s', 'c, n=1:0 æ'], w) FROM rows_in
UNION ALL SELECT 2, survey_reg.moments(ARRAY[a]) FROM rows_in WHERE g <= 3
UNION ALL SELECT 3, survey_reg.moments(ARRAY[a, NULL]) FROM rows_in;	-- empty: n = 0

-- the outcome of reading a text: 'ok' or the SQLSTATE of the error
CREATE FUNCTION pg_temp.try_moments(t text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	PERFORM t::survey_reg.moments;
	RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

-- kind, the text, the text it was made from, the number put in (if any)
CREATE TEMP TABLE cases (kind text, t text, src text, x text);
-- every prefix of every base text
INSERT INTO cases
SELECT 'truncate', substr(b.m::text, 1, i), b.m::text
FROM base_states b, generate_series(0, length(b.m::text) - 1) i;
-- one character replaced by a hex digit, '-', ':', ',', '"', '\', ' ' or 'e'
INSERT INTO cases
SELECT 'mutate', overlay(b.m::text placing
	substr('0123456789abcdef-:,"\ e', 1 + abs(hashint4(i)) % 23, 1)
	from 1 + abs(hashint4(i * 7 + 1)) % length(b.m::text) for 1)
FROM base_states b, generate_series(1, 150) i;
-- one character deleted
INSERT INTO cases
SELECT 'delete', overlay(b.m::text placing '' from 1 + abs(hashint4(i + 99)) % length(b.m::text) for 1)
FROM base_states b, generate_series(1, 50) i;
-- md5 garbage, alone and after a valid prefix
INSERT INTO cases
SELECT 'garbage', CASE i % 3 WHEN 0 THEN md5(i::text)
	WHEN 1 THEN 'v1 k=1 rows=1 flags=0 names=' || md5(i::text)
	ELSE 'v1 k=' || substr(md5(i::text), 1, 1 + i % 20) END
FROM generate_series(1, 150) i;
-- numbers replaced by huge, non-finite or malformed spellings
INSERT INTO cases
SELECT 'number', replace(b.m::text, ' min=', ' min=' || x || ','), b.m::text, x
FROM base_states b, unnest(ARRAY['1e309', 'nan', 'NaN', 'inf', '-Infinity', '1e-400',
	'0x10', '--1', '1e', '', '9' || repeat('9', 70)]) x
UNION ALL
SELECT 'number', regexp_replace(b.m::text, 'ref=[^ ,]*', 'ref=' || x), b.m::text, x
FROM base_states b, unnest(ARRAY['1e309', 'nan', 'inf', '-inf', 'Infinity', '1e-400',
	'4.9406564584124654e-324', '1.7976931348623157e308', '', '-']) x;

SELECT cmp_ok((SELECT count(*) FROM cases), '>=', 900::bigint, 'at least 900 malformed or damaged texts');

CREATE TEMP TABLE outcomes AS SELECT *, pg_temp.try_moments(t) AS outcome FROM cases;

SELECT diag(format('%-9s %4s cases: %s accepted, %s rejected with 22P02', kind, count(*),
	count(*) FILTER (WHERE outcome = 'ok'), count(*) FILTER (WHERE outcome = '22P02')))
FROM outcomes GROUP BY kind ORDER BY kind;

SELECT is((SELECT count(*) FROM outcomes WHERE outcome NOT IN ('ok', '22P02')), 0::bigint,
	'every text parses or is rejected with SQLSTATE 22P02');
SELECT ok((SELECT count(*) FILTER (WHERE outcome = 'ok') > 0
	AND count(*) FILTER (WHERE outcome = '22P02') > 300 FROM outcomes),
	'some damaged texts still parse (mutated digits), most are rejected');
SELECT is((SELECT count(*) FROM outcomes WHERE kind = 'garbage' AND outcome = 'ok'), 0::bigint,
	'no garbage is accepted');
-- a reference value changed to 0 or a denormal may still lie within min..max
-- (1e-400 underflows to 0 in strtod and is taken as 0)
SELECT is((SELECT count(*) FROM outcomes WHERE kind = 'number' AND outcome = 'ok'
		AND x NOT IN ('1e-400', '4.9406564584124654e-324')), 0::bigint,
	'no non-finite, huge or malformed number is accepted');
-- a prefix is complete only when it cuts into the last number (max=9.09 of max=9.0929...)
SELECT is((SELECT count(*) FROM outcomes WHERE kind = 'truncate' AND outcome = 'ok'
		AND NOT substr(src, length(t) + 1) ~ '^[0-9]+$'
		AND NOT (substr(src, length(t) + 1) ~ '^[0-9.e+-]+$' AND t ~ '[0-9]\.?$')), 0::bigint,
	'a proper prefix is accepted only when it ends inside the last number');

-- accepted texts: the printed form re-reads and reprints as itself
CREATE FUNCTION pg_temp.reprints(t text) RETURNS bool LANGUAGE plpgsql AS $$
DECLARE
	p text := t::survey_reg.moments::text;
BEGIN
	RETURN p::survey_reg.moments::text = p;
EXCEPTION WHEN OTHERS THEN
	RETURN false;
END $$;
SELECT is((SELECT count(*) FROM outcomes WHERE outcome = 'ok' AND NOT pg_temp.reprints(t)), 0::bigint,
	'every accepted text prints a form that re-reads as itself');
SELECT is((SELECT count(*) FROM base_states WHERE m::text::survey_reg.moments::text <> m::text), 0::bigint,
	'the base states round-trip through text exactly');

-- the backend survived all of it
SELECT is((SELECT count(*) FROM rows_in), 40::bigint, 'backend alive after the malformed input');

-- ---------------- binary I/O round trip ----------------
CREATE TEMP TABLE bin_states (id int, m survey_reg.moments);
INSERT INTO bin_states SELECT * FROM base_states;
INSERT INTO bin_states
SELECT 10, survey_reg.moments(ARRAY[a, b], ARRAY['a', 'b'] ORDER BY g DESC) FROM rows_in
UNION ALL SELECT 11, survey_reg.merge(s) FROM (SELECT survey_reg.moments(ARRAY[a, c]) AS s FROM rows_in GROUP BY g % 4) q
UNION ALL SELECT 12, survey_reg.moments_from_matrix(ARRAY['y', 'x'], 100, ARRAY[[1, 0.5], [0.5, 1]], ARRAY[10, 20], ARRAY[2, 3])
-- fourth powers overflow: skewness and kurtosis dropped, the rest kept
UNION ALL SELECT 13, survey_reg.moments(ARRAY[a * 1e100]) FROM rows_in;

DO $$
DECLARE
	path text := '/tmp/survey_reg_moments_input_' || pg_backend_pid() || '.bin';
BEGIN
	EXECUTE format('COPY bin_states TO %L (FORMAT binary)', path);
	CREATE TEMP TABLE bin_back (id int, m survey_reg.moments);
	EXECUTE format('COPY bin_back FROM PROGRAM %L (FORMAT binary)',
		'cat ' || path || ' && rm -f ' || path);
END $$;

SELECT is((SELECT count(*) FROM bin_back), (SELECT count(*) FROM bin_states), 'binary COPY read every state back');
SELECT is((SELECT count(*) FROM bin_states s JOIN bin_back b USING (id) WHERE s.m::text = b.m::text),
	(SELECT count(*) FROM bin_states), 'binary round trip: same text forms');
SELECT is((SELECT count(*) FROM bin_states s JOIN bin_back b USING (id)
		WHERE survey_reg.moments_send(s.m) = survey_reg.moments_send(b.m)),
	(SELECT count(*) FROM bin_states), 'binary round trip: same binary forms');
SELECT is((SELECT array_agg(flags ORDER BY id) FROM (SELECT id, substring(m::text from ' flags=(\d+)')::int AS flags FROM bin_back WHERE id >= 12) q),
	ARRAY[1, 2], 'summary and no-shape flags survive binary I/O');

-- ---------------- argument errors ----------------
SELECT throws_ok($$SELECT survey_reg.moments(CASE WHEN g = 1 THEN ARRAY[a] ELSE ARRAY[a, b] END) FROM rows_in$$,
	'2202E', NULL, 'vars of different lengths: 2202E');
SELECT throws_ok($$SELECT survey_reg.moments(ARRAY[a, b], ARRAY['a']) FROM rows_in$$,
	'2202E', NULL, 'names shorter than vars: 2202E');
SELECT throws_ok($$SELECT survey_reg.moments(ARRAY[a, b], CASE WHEN g < 5 THEN ARRAY['a', 'b'] ELSE ARRAY['a', 'c'] END) FROM rows_in$$,
	'22023', NULL, 'names changed within one aggregate: 22023');
SELECT throws_ok($$SELECT survey_reg.moments(ARRAY[a, b], ARRAY['a', 'a']) FROM rows_in$$,
	'22023', NULL, 'duplicate names: 22023');
SELECT throws_ok($$SELECT survey_reg.moments(ARRAY[a], ARRAY['a'], CASE WHEN g = 7 THEN -1 ELSE 1 END) FROM rows_in$$,
	'22023', NULL, 'negative weight: 22023');
SELECT throws_ok($$SELECT survey_reg.moments(ARRAY[a], ARRAY['a'], 'NaN'::float8) FROM rows_in$$,
	'22023', NULL, 'NaN weight: 22023');
SELECT throws_ok($$SELECT survey_reg.moments(ARRAY[[a, b]]) FROM rows_in$$,
	'2202E', NULL, 'two-dimensional vars: 2202E');
SELECT throws_ok($$SELECT survey_reg.merge(s) FROM (SELECT survey_reg.moments(ARRAY[a]) AS s FROM rows_in
		UNION ALL SELECT survey_reg.moments(ARRAY[a, b]) FROM rows_in) q$$,
	'42804', NULL, 'merge over different variables: 42804');
SELECT throws_ok($$SELECT 'v1 k=1 rows=1 flags=0 names="a" n=1:0 ref=nan s1=0:0 s2=0:0 s3=0:0 s4=0:0 min=1 max=1'::survey_reg.moments$$,
	'22P02', NULL, 'NaN in a state text: 22P02');

-- hi:lo pairs are normalized before validation: a lo part that outweighs
-- its hi part must not slip through to a negative N or sum of squares, or
-- to an overflow that could not be printed again.
SELECT throws_ok($$SELECT 'v1 k=1 rows=1 flags=0 names="a" n=1:-5 ref=1 s1=0:0 s2=0:0 s3=0:0 s4=0:0 min=1 max=1'::survey_reg.moments$$,
	'22P02', NULL, 'n=1:-5 (N = -4 once normalized) is rejected');
SELECT throws_ok($$SELECT 'v1 k=1 rows=2 flags=0 names="a" n=2:0 ref=1 s1=0:0 s2=1:-5 s3=0:0 s4=0:0 min=1 max=1'::survey_reg.moments$$,
	'22P02', NULL, 's2=1:-5 (negative sum of squares once normalized) is rejected');
SELECT throws_ok($$SELECT 'v1 k=1 rows=1 flags=0 names="a" n=1e300:1.7976931348623157e308 ref=1 s1=0:0 s2=0:0 s3=0:0 s4=0:0 min=1 max=1'::survey_reg.moments$$,
	'22P02', NULL, 'n=1e300:1.8e308 (overflows once normalized) is rejected');

SELECT * FROM finish();
ROLLBACK;
