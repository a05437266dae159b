-- The aggregates buffer rows inside the transition state and add them a
-- batch (128 rows) at a time once a group has seen 128 rows
-- (src/core/moments_batch.c).  Whoever reads a state must see every row:
-- final function, output function, combine, a window frame, an initial
-- condition, a stored value.
BEGIN;
SELECT plan(10);

CREATE TEMP TABLE t AS
SELECT g AS id, g % 7 AS grp, 1e6 + sin(g) * 3 AS a, exp(cos(g * 0.37) * 20) AS b,
	(g % 5 + 1)::float8 AS c
FROM generate_series(1, 5000) g;

-- an aggregate without a final function returns the transition state as
-- it is, rows still in its buffer (1000 = 7 x 128 + 104): the output
-- function must add them first, exactly as the final function does
CREATE AGGREGATE pg_temp.raw_moments(float8[]) (
	SFUNC = survey_reg.moments_transfn, STYPE = survey_reg.moments);
SELECT is((SELECT pg_temp.raw_moments(ARRAY[a, b, c] ORDER BY id)::text FROM t WHERE id <= 1000),
	(SELECT survey_reg.moments(ARRAY[a, b, c] ORDER BY id)::text FROM t WHERE id <= 1000),
	'a transition state with buffered rows prints the final state');
SELECT is((SELECT array_agg(d::text) FROM survey_reg.describe(
		(SELECT pg_temp.raw_moments(ARRAY[a, b, c] ORDER BY id) FROM t WHERE id <= 1000)) d),
	(SELECT array_agg(d::text) FROM survey_reg.describe(
		(SELECT survey_reg.moments(ARRAY[a, b, c] ORDER BY id) FROM t WHERE id <= 1000)) d),
	'and every analysis reads it the same');

-- a running window: the final function at every row must not disturb the
-- running state; each frame equals the aggregate over the same prefix
CREATE TEMP TABLE running AS
SELECT id, survey_reg.moments_of(a, b, c) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)::text AS m
FROM t WHERE id <= 700;
SELECT is((SELECT count(*) FROM running r
	WHERE r.id IN (1, 127, 128, 129, 255, 256, 257, 384, 700)
	  AND r.m = (SELECT survey_reg.moments_of(a, b, c ORDER BY id)::text FROM t WHERE t.id <= r.id)),
	9::bigint, 'window frames at batch boundaries equal the aggregate over the prefix');

-- groups of every size around the batch: the aggregate equals merging one
-- state per row (row-by-row updates and exact merges), to 1e-13
CREATE TEMP TABLE sized AS
SELECT s.size, t.id, t.a, t.b, t.c FROM (VALUES (1), (2), (127), (128), (129), (255), (256), (257), (1000)) s(size)
JOIN t ON t.id <= s.size;
CREATE TEMP TABLE direct AS
SELECT size, (survey_reg.describe(survey_reg.moments_of(a, b, c))).* FROM sized GROUP BY size;
CREATE TEMP TABLE merged AS
SELECT size, (survey_reg.describe(survey_reg.merge(m))).* FROM (
	SELECT size, survey_reg.moments_of(a, b, c) AS m FROM sized GROUP BY size, id) per_row
GROUP BY size;
SELECT is((SELECT count(*) FROM direct), 27::bigint, 'nine group sizes, three variables');
SELECT cmp_ok((SELECT max(greatest(abs(d.mean - m.mean) / abs(m.mean),
		coalesce(abs(d.sd - m.sd) / nullif(m.sd, 0), 0),
		coalesce(abs(d.skewness - m.skewness), 0), coalesce(abs(d.kurtosis - m.kurtosis), 0)))
	FROM direct d JOIN merged m USING (size, variable)
	WHERE d.n = m.n AND d.min = m.min AND d.max = m.max),
	'<', 1e-13::float8, 'every group size: batched aggregate = merge of one-row states');
SELECT is((SELECT count(*) FROM direct d JOIN merged m USING (size, variable)
	WHERE d.n = m.n AND d.min = m.min AND d.max = m.max),
	27::bigint, 'counts and ranges identical');

-- an initial condition gives a state that already has rows (no buffer):
-- it grows one and carries on; the result equals the merge of the two parts
SELECT format($f$CREATE AGGREGATE pg_temp.continued(float8[]) (
	SFUNC = survey_reg.moments_transfn, STYPE = survey_reg.moments,
	FINALFUNC = survey_reg.moments_finalfn, INITCOND = %L)$f$,
	(SELECT survey_reg.moments(ARRAY[a, b, c])::text FROM t WHERE id <= 300)) \gexec
SELECT cmp_ok((SELECT max(greatest(abs(d.mean - m.mean) / abs(m.mean), abs(d.sd - m.sd) / m.sd))
	FROM survey_reg.describe((SELECT pg_temp.continued(ARRAY[a, b, c]) FROM t WHERE id > 300)) d
	JOIN survey_reg.describe((SELECT survey_reg.moments(ARRAY[a, b, c]) FROM t)) m USING (variable)),
	'<', 1e-14::float8, 'a state from INITCOND continues with batches');

-- a stored value carries no buffer: its size does not depend on N
SELECT is((SELECT pg_column_size(survey_reg.moments_of(a, b, c)) FROM t),
	(SELECT pg_column_size(survey_reg.moments_of(a, b, c)) FROM t WHERE id <= 3),
	'5,000 rows and 3 rows give states of the same size');
SELECT is((SELECT pg_column_size(survey_reg.moments_of(a, b, c)) FROM t),
	(SELECT pg_column_size(survey_reg.moments_of(a, b, c)::text::survey_reg.moments) FROM t),
	'the size of a state read back from text');

-- GROUP BY over many small groups stays small (row-by-row states until
-- a group reaches a batch): 5,000 groups of one row in well under 64 MB
SET LOCAL work_mem = '64MB';
SELECT is((SELECT count(*) FROM (SELECT id, survey_reg.moments_of(a, b, c) FROM t GROUP BY id) s),
	5000::bigint, 'many one-row groups');

SELECT * FROM finish();
ROLLBACK;
