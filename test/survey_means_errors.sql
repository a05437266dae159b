-- survey_means: design columns needed only in the rows that contribute
-- (22004 naming the column otherwise), the argument errors, lonely PSUs
-- with lonely_psu => 'fail', and the NULL arguments (issue 16).
BEGIN;
SELECT plan(17);

CREATE TEMP TABLE smp (id int, stratum int, psu int, ssu int, fpc1 float8,
	frac1 float8, fpc2 float8, fpcrows float8, stratum_l int, w float8,
	y1 float8, y2 float8, b bool, cat text, dom bool, x float8);
\copy smp FROM 'test/data/survey_sample.csv' CSV HEADER

-- rows that contribute to no estimate (every variable NULL, or outside the
-- domain) need no design columns: rows without them are left out, and the
-- estimates are those of the table without those rows
CREATE TEMP TABLE holes AS SELECT * FROM smp;
INSERT INTO holes (id, stratum, psu, ssu, w, y1, y2, b, cat, dom)
VALUES (1001, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 'a', true),
	(1002, NULL, 3, NULL, NULL, 5, 6, true, 'b', false);

SELECT lives_ok($$SELECT * FROM survey_reg.survey_means('holes', ARRAY['y1', 'y2', 'b'],
	weight => 'w', strata => 'stratum', cluster => 'psu', domain => 'dom')$$,
	'NULL design columns only in rows that contribute nothing: no error');
SELECT is((SELECT array_agg(row(m.*)::text ORDER BY variable)
	FROM survey_reg.survey_means('holes', ARRAY['y1', 'y2', 'b'], weight => 'w',
		strata => 'stratum', cluster => 'psu', domain => 'dom') m),
	(SELECT array_agg(row(m.*)::text ORDER BY variable)
	FROM survey_reg.survey_means('smp', ARRAY['y1', 'y2', 'b'], weight => 'w',
		strata => 'stratum', cluster => 'psu', domain => 'dom') m),
	'... and the same estimates as without those rows');

CREATE TEMP TABLE nullw AS SELECT * FROM smp;
UPDATE nullw SET w = NULL WHERE id = 7;
SELECT throws_ok($$SELECT * FROM survey_reg.survey_means('nullw', ARRAY['y2'],
	weight => 'w', strata => 'stratum', cluster => 'psu')$$,
	'22004', 'the weight column "w" is NULL in a row that the estimates use',
	'a NULL weight in a row that contributes: 22004 naming the column');
UPDATE nullw SET dom = false WHERE id = 7;
SELECT lives_ok($$SELECT * FROM survey_reg.survey_means('nullw', ARRAY['y2'],
	weight => 'w', strata => 'stratum', cluster => 'psu', domain => 'dom')$$,
	'... not when the row is outside the domain');

CREATE TEMP TABLE nulls AS SELECT * FROM smp;
UPDATE nulls SET stratum = NULL, psu = NULL, ssu = NULL, fpc1 = NULL, fpc2 = NULL WHERE id = 9;
SELECT throws_ok($$SELECT * FROM survey_reg.survey_means('nulls', ARRAY['y2'],
	weight => 'w', strata => 'stratum')$$,
	'22004', 'the strata column "stratum" is NULL in a row that the estimates use',
	'a NULL stratum: 22004 naming it');
SELECT throws_ok($$SELECT * FROM survey_reg.survey_means('nulls', ARRAY['y2'],
	weight => 'w', cluster => 'psu')$$,
	'22004', 'the cluster column "psu" is NULL in a row that the estimates use',
	'a NULL PSU: 22004 naming it');
SELECT throws_ok($$SELECT * FROM survey_reg.survey_means('nulls', ARRAY['y2'],
	weight => 'w', cluster => 'psu', fpc => 'fpc1')$$,
	'22004', NULL, 'a NULL fpc (and PSU): 22004');
UPDATE nulls SET psu = 1 WHERE id = 9;
SELECT throws_ok($$SELECT * FROM survey_reg.survey_means('nulls', ARRAY['y2'],
	weight => 'w', cluster => 'psu', fpc => 'fpc1')$$,
	'22004', 'the fpc column "fpc1" is NULL in a row that the estimates use',
	'a NULL fpc: 22004 naming it');
SELECT throws_ok($$SELECT * FROM survey_reg.survey_means('nulls', ARRAY['y2'],
	weight => 'w', cluster => 'psu', cluster2 => 'ssu')$$,
	'22004', 'the cluster2 column "ssu" is NULL in a row that the estimates use',
	'a NULL second-stage unit: 22004 naming it');

SELECT throws_ok($$SELECT * FROM survey_reg.survey_means('smp', ARRAY['y1'],
	weight => 'w', strata => 'stratum_l', cluster => 'psu')$$,
	'22000', 'stratum "4" has only one PSU',
	'a lonely PSU with lonely_psu => ''fail'' (the default): an error, as R');
SELECT throws_ok($$SELECT * FROM survey_reg.survey_means('smp', ARRAY['y1'],
	cluster2 => 'ssu')$$, '22023', 'cluster2 needs a cluster column',
	'cluster2 without cluster: 22023');
SELECT throws_ok($$SELECT * FROM survey_reg.survey_means('smp', ARRAY['y1'],
	cluster => 'psu', fpc2 => 'fpc2')$$, '22023', 'fpc2 needs a cluster2 column',
	'fpc2 without cluster2: 22023');
SELECT throws_ok($$SELECT * FROM survey_reg.survey_means('smp', ARRAY['y1'],
	cluster => 'psu', fpc => 'fpc1', cluster2 => 'ssu')$$, '22023',
	'a two-stage design with fpc needs fpc2', 'two stages with fpc but no fpc2: 22023');
SELECT throws_ok($$SELECT * FROM survey_reg.survey_means('smp', ARRAY['y1'],
	domain => 'cat')$$, '42804', 'the domain column "cat" is not boolean',
	'a domain that is not boolean: 42804');
SELECT throws_ok($$SELECT * FROM survey_reg.survey_means('smp', ARRAY['y1'],
	strata => 'stratum', cluster => 'psu', fpc => 'fpc2')$$, '22023', NULL,
	'an fpc that differs within a stratum: 22023');
SELECT throws_ok($$SELECT * FROM survey_reg.survey_means('smp', ARRAY['y1'],
	strata => 'stratum', cluster => 'psu', fpc => 'stratum')$$, '22023', NULL,
	'an fpc smaller than the PSUs sampled: 22023');
SELECT is((SELECT count(*) FROM survey_reg.survey_means(NULL, ARRAY['y1'])), 0::bigint,
	'a NULL source: no rows');

SELECT * FROM finish();
ROLLBACK;
