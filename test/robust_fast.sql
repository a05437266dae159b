-- Issue 18: the fast second scan (meat_of) and the one-scan cluster and
-- design path against the per-row pieces they replace, and the fit's
-- identity covering the weights.  Agreement with R is test/robust_vs_r.sql
-- (both paths there); here the fast paths must equal the slow ones that
-- robust_vs_r also checks, case by case, to 1e-12 relative, also in a
-- parallel plan (meat_of's combine function).
BEGIN;
SELECT plan(13);

CREATE TEMP TABLE rob (id int, stratum int, office int, stratum_lonely int,
	individualisering float8, styring float8, belastning float8, ratio float8,
	kontor float8, tilsett float8, effektiv float8, kunnskap float8,
	kjonn float8, alder float8, pw float8, fw float8);
\copy rob FROM 'test/data/robust_data.csv' CSV HEADER

CREATE FUNCTION pg_temp.blocks() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['styring', 'belastning, ratio, kontor, tilsett',
		'effektiv, kunnskap, kjonn, alder']
$$;
CREATE FUNCTION pg_temp.names() RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['individualisering', 'styring', 'belastning', 'ratio', 'kontor',
		'tilsett', 'effektiv', 'kunnskap', 'kjonn', 'alder']
$$;

-- the states: unweighted, frequency weights, probability weights
CREATE TEMP TABLE st AS
SELECT w, CASE w
	WHEN 'none' THEN (SELECT survey_reg.moments(ARRAY[individualisering, styring,
		belastning, ratio, kontor, tilsett, effektiv, kunnskap, kjonn, alder],
		pg_temp.names()) FROM rob)
	WHEN 'fw' THEN (SELECT survey_reg.moments(ARRAY[individualisering, styring,
		belastning, ratio, kontor, tilsett, effektiv, kunnskap, kjonn, alder],
		pg_temp.names(), fw) FROM rob)
	ELSE (SELECT survey_reg.moments(ARRAY[individualisering, styring,
		belastning, ratio, kontor, tilsett, effektiv, kunnskap, kjonn, alder],
		pg_temp.names(), pw) FROM rob) END AS m
FROM (VALUES ('none'), ('fw'), ('pw')) v(w);

-- every HC se with every weighting: the fit, the meat both ways
CREATE TEMP TABLE hc AS
SELECT s.w, v.se, s.m, survey_reg.robust_fit(s.m, 'individualisering', pg_temp.blocks(),
	v.se, true, CASE s.w WHEN 'pw' THEN 'probability' ELSE 'frequency' END) AS fit
FROM st s, (VALUES ('hc0'), ('hc1'), ('hc2'), ('hc3')) v(se);
CREATE TEMP TABLE hc_meat AS
SELECT h.w, h.se, x.slow, x.fast
FROM hc h, LATERAL (SELECT survey_reg.meat(h.fit, survey_reg.scores(h.fit,
		ARRAY[individualisering, styring, belastning, ratio, kontor, tilsett,
			effektiv, kunnskap, kjonn, alder])) AS slow,
	survey_reg.meat_of(h.fit, individualisering, styring, belastning, ratio, kontor,
		tilsett, effektiv, kunnskap, kjonn, alder) AS fast FROM rob) x
WHERE h.w = 'none';
INSERT INTO hc_meat
SELECT h.w, h.se, x.slow, x.fast
FROM hc h, LATERAL (SELECT survey_reg.meat(h.fit, survey_reg.scores(h.fit,
		ARRAY[individualisering, styring, belastning, ratio, kontor, tilsett,
			effektiv, kunnskap, kjonn, alder], CASE h.w WHEN 'pw' THEN pw ELSE fw END)) AS slow,
	survey_reg.meat_of_weighted(h.fit, CASE h.w WHEN 'pw' THEN pw ELSE fw END,
		individualisering, styring, belastning, ratio, kontor, tilsett, effektiv,
		kunnskap, kjonn, alder) AS fast FROM rob) x
WHERE h.w <> 'none';

CREATE FUNCTION pg_temp.rel(a float8, b float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN a = b THEN 0 ELSE abs(a - b) / greatest(abs(a), abs(b)) END
$$;

SELECT is((SELECT count(*) FROM hc_meat WHERE slow IS NOT NULL AND fast IS NOT NULL),
	12::bigint, 'meat_of and meat(scores) for hc0-hc3, unweighted, frequency and probability weights');
SELECT cmp_ok((SELECT max(pg_temp.rel(a.se, b.se))
	FROM hc h JOIN hc_meat m USING (w, se),
	LATERAL survey_reg.robust_coefficients(h.m, 'individualisering', pg_temp.blocks(), m.slow) a
	JOIN LATERAL survey_reg.robust_coefficients(h.m, 'individualisering', pg_temp.blocks(), m.fast) b
	USING (model, term)), '<', 1e-12::float8,
	'meat_of gives the SEs of meat(fit, scores(...)) to 1e-12 relative, every HC se and weighting');
SELECT cmp_ok((SELECT max(pg_temp.rel(a.f, b.f))
	FROM hc h JOIN hc_meat m USING (w, se),
	LATERAL survey_reg.robust_model_summary(h.m, 'individualisering', pg_temp.blocks(), m.slow) a
	JOIN LATERAL survey_reg.robust_model_summary(h.m, 'individualisering', pg_temp.blocks(), m.fast) b
	USING (model)), '<', 1e-12::float8, 'and the same Wald F tests');

-- the table-name form (now meat_of, and one grouped scan for clusters)
-- against the aggregate-level pieces (per-row scores, score_sum per unit)
SET client_min_messages = warning;
CREATE TEMP TABLE cases (cid int, se text, weight text, wtype text, cluster text, strata text);
INSERT INTO cases VALUES (1, 'hc1', NULL, 'frequency', NULL, NULL),
	(2, 'hc3', 'pw', 'probability', NULL, NULL), (3, 'cluster', NULL, 'frequency', 'office', NULL),
	(4, 'cluster', 'fw', 'frequency', 'office', NULL), (5, 'design', 'pw', 'probability', 'office', 'stratum'),
	(6, 'design', NULL, 'frequency', 'office', 'stratum'), (7, 'design', 'pw', 'probability', 'office', NULL);
CREATE TEMP TABLE tab AS
SELECT c.cid, r.* FROM cases c, LATERAL survey_reg.coefficients('rob', 'individualisering',
	pg_temp.blocks(), weight => c.weight, se => c.se, cluster => c.cluster,
	strata => c.strata, weight_type => c.wtype) r;
CREATE TEMP TABLE agg AS
SELECT c.cid, r.*
FROM cases c
JOIN st s ON s.w = coalesce(c.weight, 'none'),
LATERAL (SELECT survey_reg.robust_fit(s.m, 'individualisering', pg_temp.blocks(), c.se,
	true, c.wtype) AS fit) f,
LATERAL (SELECT survey_reg.meat(f.fit, u, h) AS meat FROM (
	SELECT CASE c.strata WHEN 'stratum' THEN stratum::text END AS h,
		survey_reg.score_sum(survey_reg.scores(f.fit, ARRAY[individualisering, styring,
			belastning, ratio, kontor, tilsett, effektiv, kunnskap, kjonn, alder],
			CASE c.weight WHEN 'pw' THEN pw WHEN 'fw' THEN fw ELSE 1 END)) AS u
	FROM rob GROUP BY 1, CASE WHEN c.cluster IS NULL THEN id ELSE office END) q) mt,
LATERAL survey_reg.robust_coefficients(s.m, 'individualisering', pg_temp.blocks(), mt.meat) r;
RESET client_min_messages;
SELECT is((SELECT count(*) FROM tab), (SELECT count(*) FROM agg), 'table form: every case has its rows');
SELECT diag('measured, max relative difference: meat_of vs meat(scores) SEs ' || (SELECT max(pg_temp.rel(a.se, b.se))
	FROM hc h JOIN hc_meat m USING (w, se),
	LATERAL survey_reg.robust_coefficients(h.m, 'individualisering', pg_temp.blocks(), m.slow) a
	JOIN LATERAL survey_reg.robust_coefficients(h.m, 'individualisering', pg_temp.blocks(), m.fast) b
	USING (model, term))::text || '; table form vs pieces SEs ' || (SELECT max(pg_temp.rel(t.se, a.se))
	FROM tab t JOIN agg a USING (cid, model, term))::text || ', b ' || (SELECT max(pg_temp.rel(t.b, a.b))
	FROM tab t JOIN agg a USING (cid, model, term))::text);
SELECT cmp_ok((SELECT max(pg_temp.rel(t.se, a.se)) FROM tab t JOIN agg a
	USING (cid, model, term)), '<', 1e-12::float8,
	'table form (meat_of; one grouped scan for clusters and PSUs) = per-row pieces, SEs to 1e-12');
SELECT cmp_ok((SELECT max(pg_temp.rel(t.b, a.b)) FROM tab t JOIN agg a
	USING (cid, model, term)), '<', 1e-13::float8,
	'and the coefficients (the grouped scan''s merged state) to 1e-13');

-- a parallel plan: meat_of's partial states through its combine function
CREATE TEMP TABLE big AS
SELECT g, sin(g) * 3 + (g % 7) AS x1, cos(g * 0.7) + (g % 3) AS x2,
	1 + 0.5 * sin(g) * 3 + (g % 5) * 0.2 + sin(g * 1.3) * (1 + (g % 4)) AS y
FROM generate_series(1, 60000) g;
CREATE TABLE robust_fast_big AS SELECT * FROM big;
ANALYZE robust_fast_big;
CREATE TABLE robust_fast_fit AS
SELECT m, survey_reg.robust_fit(m, 'y', ARRAY['x1', 'x2'], 'hc3') AS fit
FROM (SELECT survey_reg.moments(ARRAY[y, x1, x2], ARRAY['y', 'x1', 'x2']) AS m FROM big) s;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
	EXECUTE 'EXPLAIN ' || q INTO r;	-- the first line: the plan's top node
	FOR r IN EXECUTE 'EXPLAIN ' || q LOOP
		IF r LIKE '%Partial Aggregate%' THEN RETURN 'partial'; END IF;
	END LOOP;
	RETURN 'serial';
END $$;
SELECT is(pg_temp.plan_of('SELECT survey_reg.meat_of((SELECT fit FROM robust_fast_fit), y, x1, x2) FROM robust_fast_big'),
	'partial', 'meat_of runs as a partial aggregate in a parallel plan');
CREATE TEMP TABLE par AS
SELECT survey_reg.meat_of((SELECT fit FROM robust_fast_fit), y, x1, x2) AS meat FROM robust_fast_big;
RESET max_parallel_workers_per_gather;
SET LOCAL max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ser AS
SELECT survey_reg.meat(fit, survey_reg.scores(fit, ARRAY[y, x1, x2])) AS meat
FROM robust_fast_big, robust_fast_fit GROUP BY fit;
SELECT cmp_ok((SELECT max(pg_temp.rel(a.se, b.se))
	FROM robust_fast_fit f, par, ser,
	LATERAL survey_reg.robust_coefficients(f.m, 'y', ARRAY['x1', 'x2'], par.meat) a
	JOIN LATERAL survey_reg.robust_coefficients(f.m, 'y', ARRAY['x1', 'x2'], ser.meat) b
	USING (model, term)), '<', 1e-12::float8, 'parallel meat_of = serial meat(scores), HC3 SEs to 1e-12');
-- a last batch whose rows are not a multiple of the dot product's four
-- lanes (1,001 rows: 15 batches of 64 and 41)
SELECT cmp_ok((SELECT max(pg_temp.rel(a.se, b.se))
	FROM (SELECT survey_reg.moments(ARRAY[y, x1, x2], ARRAY['y', 'x1', 'x2']) AS m
		FROM robust_fast_big WHERE g <= 1001) s,
	LATERAL (SELECT survey_reg.robust_fit(s.m, 'y', ARRAY['x1', 'x2'], 'hc1') AS fit) f,
	LATERAL (SELECT survey_reg.meat_of(f.fit, y, x1, x2) AS fast,
		survey_reg.meat(f.fit, survey_reg.scores(f.fit, ARRAY[y, x1, x2])) AS slow
		FROM robust_fast_big WHERE g <= 1001) mt,
	LATERAL survey_reg.robust_coefficients(s.m, 'y', ARRAY['x1', 'x2'], mt.fast) a
	JOIN LATERAL survey_reg.robust_coefficients(s.m, 'y', ARRAY['x1', 'x2'], mt.slow) b
	USING (model, term)), '<', 1e-12::float8, 'meat_of over 1,001 rows (a partial last batch) = meat(scores)');
DROP TABLE robust_fast_big, robust_fast_fit;

-- the fit's identity covers the weights: a meat from the unweighted fit
-- does not fit the frequency-weighted state (the rows, names and ranges
-- are the same), nor the probability-weighted one
SELECT throws_ok($$SELECT * FROM survey_reg.robust_coefficients(
	(SELECT m FROM st WHERE w = 'fw'), 'individualisering', pg_temp.blocks(),
	(SELECT slow FROM hc_meat WHERE w = 'none' AND se = 'hc1'))$$,
	'22023', 'the meat was accumulated with another fit',
	'an unweighted hc1 meat with a frequency-weighted state is an error');
SELECT lives_ok($$SELECT * FROM survey_reg.robust_coefficients(
	(SELECT m FROM st WHERE w = 'fw'), 'individualisering', pg_temp.blocks(),
	(SELECT slow FROM hc_meat WHERE w = 'fw' AND se = 'hc1'))$$,
	'the weighted meat with the weighted state is accepted');

-- meat_of takes HC fits only, and the fit's columns
SELECT throws_ok($$SELECT survey_reg.meat_of(survey_reg.robust_fit(m, 'individualisering',
	pg_temp.blocks(), 'cluster'), individualisering, styring, belastning, ratio, kontor,
	tilsett, effektiv, kunnskap, kjonn, alder) FROM rob, st WHERE st.w = 'none'$$,
	'22023', NULL, 'meat_of with a cluster fit is an error');

-- the widest calls: meat_of(fit, weight, y, x1 .. x97) would have 100
-- arguments, one more than an aggregate may; such calls keep the array form
DO $$ DECLARE s text := ''; BEGIN
FOR i IN 1..97 LOOP
	s := s || format('sin(g * %s.7) + (g %% %s) AS x%s, ', i, i + 2, i);
END LOOP;
EXECUTE 'CREATE TEMP TABLE wide AS SELECT g, 1 + (g % 3) AS fw, ' || s
	|| 'cos(g) + g % 11 AS y FROM generate_series(1, 1500) g';
END $$;
SET client_min_messages = warning;
SELECT is((SELECT count(se) FROM survey_reg.coefficients('wide', 'y',
	ARRAY[(SELECT string_agg('x' || i, ', ') FROM generate_series(1, 97) i)],
	weight => 'fw', se => 'hc1')), 98::bigint,
	'hc1 with a weight and 97 predictors (98 columns): every SE');
RESET client_min_messages;

SELECT * FROM finish();
ROLLBACK;
