-- The moments state: text form, listwise skipping, weights, merge and the
-- errors that bad input must give (each with a clean SQLSTATE).
\set VERBOSITY default
SET extra_float_digits = 0;

CREATE TABLE m_rows (g int, a float8, b float8, w float8);
INSERT INTO m_rows VALUES
	(1, 1, 2, 1), (1, 2, 4, 2), (1, 3, 5, 1), (2, 4, 4, 1),
	(2, 5, 5, 3), (2, NULL, 1, 1), (2, 'NaN', 1, 1), (2, 'Infinity', 2, 1);

-- exact for small integers: n = 6 listwise... rows with NULL/NaN/Inf skipped
SELECT survey_reg.moments(ARRAY[a, b], ARRAY['a', 'b']) FROM m_rows;
SELECT variable, n, mean, sd, min, max FROM survey_reg.describe(
	(SELECT survey_reg.moments(ARRAY[a, b], ARRAY['a', 'b']) FROM m_rows));
-- default names x1 .. xk
SELECT variable FROM survey_reg.describe(
	(SELECT survey_reg.moments(ARRAY[a, b]) FROM m_rows));
-- frequency weights: N is the sum of weights; the weighted mean of a is
-- (1 + 4 + 3 + 4 + 15) / 8 = 3.375
SELECT variable, n, mean FROM survey_reg.describe(
	(SELECT survey_reg.moments(ARRAY[a, b], ARRAY['a', 'b'], w) FROM m_rows));
-- zero and NULL weights skip the row
SELECT variable, n FROM survey_reg.describe(
	(SELECT survey_reg.moments(ARRAY[a], ARRAY['a'], CASE WHEN g = 1 THEN 0 END) FROM m_rows));

-- the text form round-trips exactly
SELECT s::text::survey_reg.moments::text = s::text AS text_round_trip
FROM (SELECT survey_reg.moments(ARRAY[a / 3, b * 1e9 + 0.1]) AS s FROM m_rows) q;

-- merge of per-group states equals one pass (text equality is bit equality
-- of the canonical form only when the reference rows agree, so compare the
-- descriptives)
SELECT d1.variable, d1.mean = d2.mean AS same_mean, d1.sd = d2.sd AS same_sd
FROM survey_reg.describe((SELECT survey_reg.merge(s) FROM
		(SELECT survey_reg.moments(ARRAY[a, b]) AS s FROM m_rows GROUP BY g) q)) d1
JOIN survey_reg.describe((SELECT survey_reg.moments(ARRAY[a, b]) FROM m_rows)) d2
	USING (variable);

-- all rows incomplete: an empty state, n = 0
SELECT variable, n, mean, sd FROM survey_reg.describe(
	(SELECT survey_reg.moments(ARRAY[a, NULL]) FROM m_rows));
-- no rows at all: NULL
SELECT survey_reg.moments(ARRAY[a]) IS NULL AS no_rows FROM m_rows WHERE false;

-- moments_from_matrix
SELECT variable, n, mean, sd, min, skewness FROM survey_reg.describe(
	survey_reg.moments_from_matrix(ARRAY['y', 'x'], 100,
		ARRAY[[1, 0.5], [0.5, 1]], ARRAY[10, 20], ARRAY[2, 3]));
SELECT var1, var2, r, n FROM survey_reg.correlations(
	survey_reg.moments_from_matrix(ARRAY['y', 'x'], 100, ARRAY[[1, 0.5], [0.5, 1]]));

-- errors
SELECT survey_reg.moments(CASE WHEN g = 1 THEN ARRAY[a] ELSE ARRAY[a, b] END) FROM m_rows;
SELECT survey_reg.moments(ARRAY[a, b], CASE WHEN g = 1 THEN ARRAY['a', 'b'] ELSE ARRAY['a', 'c'] END) FROM m_rows;
SELECT survey_reg.moments(ARRAY[a, b], ARRAY['a']) FROM m_rows;
SELECT survey_reg.moments(ARRAY[a, b], ARRAY['a', 'a']) FROM m_rows;
SELECT survey_reg.moments(ARRAY[a, b], ARRAY['a', NULL]) FROM m_rows;
SELECT survey_reg.moments(ARRAY[a], ARRAY['a'], -1) FROM m_rows;
SELECT survey_reg.moments(ARRAY[a], ARRAY['a'], 'Infinity') FROM m_rows;
SELECT survey_reg.moments(ARRAY[[a, b]]) FROM m_rows;
SELECT survey_reg.moments('{}'::float8[]) FROM m_rows;
SELECT survey_reg.merge(s) FROM (SELECT survey_reg.moments(ARRAY[a]) AS s FROM m_rows
	UNION ALL SELECT survey_reg.moments(ARRAY[a, b]) FROM m_rows) q;
SELECT survey_reg.moments_from_matrix(ARRAY['y', 'x'], 100, ARRAY[[1, 0.5], [0.4, 1]]);
SELECT survey_reg.moments_from_matrix(ARRAY['y', 'x'], 100, ARRAY[1, 0.5, 0.5, 1]);
SELECT survey_reg.moments_from_matrix(ARRAY['y', 'x'], 100, ARRAY[[1, 0.5], [0.5, 1]], NULL, ARRAY[1, 0]);
SELECT survey_reg.moments_from_matrix(ARRAY['y', 'x'], -1, ARRAY[[1, 0.5], [0.5, 1]]);

-- malformed text
SELECT 'garbage'::survey_reg.moments;
SELECT 'v1 k=1 rows=1 flags=0 names="a" n=1:0 ref=1 s1=0:0 s2=0:0 s3=0:0 s4=0:0 min=1 max=1'::survey_reg.moments IS NOT NULL AS valid;
SELECT 'v1 k=1 rows=1 flags=0 names="a" n=1:0 ref=1 s1=0:0 s2=0:0 s3=0:0 s4=0:0 min=1'::survey_reg.moments;
SELECT 'v1 k=1 rows=1 flags=0 names="a" n=1:0 ref=NaN s1=0:0 s2=0:0 s3=0:0 s4=0:0 min=1 max=1'::survey_reg.moments;
SELECT 'v1 k=1 rows=1 flags=0 names="a" n=-1:0 ref=1 s1=0:0 s2=0:0 s3=0:0 s4=0:0 min=1 max=1'::survey_reg.moments;
SELECT 'v1 k=1 rows=1 flags=0 names="a" n=1:0 ref=1 s1=0:0 s2=-1:0 s3=0:0 s4=0:0 min=1 max=1'::survey_reg.moments;
SELECT 'v1 k=2 rows=1 flags=0 names="a","a" n=1:0 ref=1,1 s1=0:0,0:0 s2=0:0,0:0,0:0 s3=0:0,0:0 s4=0:0,0:0 min=1,1 max=1,1'::survey_reg.moments;
SELECT 'v1 k=1001 rows=1'::survey_reg.moments;
SELECT 'v2 k=1'::survey_reg.moments;
SELECT 'v1 k=1 rows=1 flags=0 names="a n=1:0'::survey_reg.moments;
SELECT 'v1 k=1 rows=1 flags=0 names="a" n=1:0 ref=1 s1=0:0 s2=0:0 s3=0:0 s4=0:0 min=1 max=1 extra'::survey_reg.moments;
SELECT 'v1 k=1 rows=1 flags=0 names="a" n=1:0 ref=1e999 s1=0:0 s2=0:0 s3=0:0 s4=0:0 min=1 max=1'::survey_reg.moments;

-- moments_of: the same state from separate float8 arguments, bit for bit
SELECT survey_reg.moments_of(a, b)::text = survey_reg.moments(ARRAY[a, b])::text AS same_state,
	survey_reg.rename(survey_reg.moments_of_weighted(w, a, b), ARRAY['a', 'b'])::text
	  = survey_reg.moments(ARRAY[a, b], ARRAY['a', 'b'], w)::text AS same_weighted
FROM m_rows;
SELECT variable FROM survey_reg.describe(
	(SELECT survey_reg.rename(survey_reg.moments_of(a, b), ARRAY['first', 'second']) FROM m_rows));
SELECT survey_reg.moments_of(a, g) FROM m_rows;
SELECT survey_reg.rename(survey_reg.moments_of(a, b), ARRAY['only']) FROM m_rows;

-- huge values: SDs and correlations survive 1e150; third and fourth powers
-- overflow, so skewness and kurtosis are NULL; beyond ~1e154 the sums of
-- squares overflow and that is an error, never a silent Infinity
SELECT variable, mean, sd, skewness, kurtosis FROM survey_reg.describe(
	(SELECT survey_reg.moments(ARRAY[x * 1e150, x]) FROM generate_series(1, 10) x));
SELECT var1, var2, r FROM survey_reg.correlations(
	(SELECT survey_reg.moments(ARRAY[x * 1e150, x]) FROM generate_series(1, 10) x));
SELECT survey_reg.moments(ARRAY[x * 1e160]) FROM generate_series(1, 10) x;
-- weights up to 1e15
SELECT variable, n, mean FROM survey_reg.describe(
	(SELECT survey_reg.moments(ARRAY[x], NULL, 1e15) FROM generate_series(1, 10) x));

-- table-name forms: NULL source or variables give no rows (not STRICT,
-- because weight may be NULL); NULL missing means listwise
SELECT count(*) FROM survey_reg.describe(NULL::text, ARRAY['a']);
SELECT count(*) FROM survey_reg.correlations(NULL::text, ARRAY['a', 'b']);
SELECT count(*) FROM survey_reg.describe('m_rows', NULL::text[]);
SELECT variable, n FROM survey_reg.describe('m_rows', ARRAY['a', 'b'], NULL);

-- wide tables: more columns than a function takes arguments (100) use the
-- array form internally
DO $$
BEGIN
	EXECUTE 'CREATE TABLE wide AS SELECT ' ||
		(SELECT string_agg(format('g * %s + sin(g * %s) AS c%s', i, i, i), ', ')
		 FROM generate_series(1, 150) i) || ' FROM generate_series(1, 200) g';
END $$;
SELECT count(*) AS variables, min(n) AS n FROM survey_reg.describe('wide',
	(SELECT array_agg('c' || i) FROM generate_series(1, 150) i));
-- state counts beyond 18 digits round-trip
SELECT survey_reg.moments_from_matrix(ARRAY['a'], 5e18, ARRAY[[1]])::text::survey_reg.moments IS NOT NULL AS ok;
SELECT survey_reg.moments_from_matrix(ARRAY['a'], 1e19, ARRAY[[1]]);

-- a merge of states whose weights and values span tens of decades: sums
-- that fall below their own rounding are repaired (sum of squares clamped
-- to 0, shape statistics dropped) so that the output is valid input
SELECT survey_reg.merge(m ORDER BY o)::text::survey_reg.moments IS NOT NULL AS valid_input
FROM (SELECT 1 AS o, survey_reg.moments(ARRAY[0.333::float8], NULL, 0.333) AS m
	UNION ALL
	SELECT 2, survey_reg.moments(ARRAY[x], NULL, w)
	FROM (VALUES (1e16 + 2, 1::float8), (1e9 + 0.5, 1e9), (1e9 + 0.5, 1e16)) v(x, w)) s;
