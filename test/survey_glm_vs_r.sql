-- The design arguments of the table-name regressions (fpc, cluster2, fpc2,
-- domain; issue 16) against R's svyglm (survey 4.1.1;
-- test/data/make_survey_means_expected.R, survey_glm_expected.csv) on
-- survey_sample.csv: y1 ~ y2 (model 1) and y1 ~ y2 + x (model 2) with
-- probability weights, one stage with and without fpc (population count or
-- sampling fraction), two stages with fpc at both, rows as PSUs with fpc,
-- each on the whole sample and in the domain dom (subset() of the design),
-- and a lonely PSU (stratum_l) under each lonely_psu option.
-- Coefficients, SEs and interval ends to 1e-10 relative, the df exactly;
-- model_summary's n. Then the design columns that only rows dropped
-- listwise lack (issue 16, deliver 3).
BEGIN;
SELECT plan(12);

CREATE TEMP TABLE smp (id int, stratum int, psu int, ssu int, fpc1 float8,
	frac1 float8, fpc2 float8, fpcrows float8, stratum_l int, w float8,
	y1 float8, y2 float8, b bool, cat text, dom bool, x float8);
\copy smp FROM 'test/data/survey_sample.csv' CSV HEADER
CREATE TEMP TABLE exp (case_ text, design text, domain_ bool, lonely_psu text, model int,
	term text, b float8, se float8, df float8, ci_lower float8,
	ci_upper float8, n float8);
\copy exp FROM 'test/data/survey_glm_expected.csv' CSV HEADER

CREATE TEMP TABLE designs (design text, strata text, cluster text, fpc text,
	cluster2 text, fpc2 text);
INSERT INTO designs VALUES
	('rows_fpc', 'stratum', NULL, 'fpcrows', NULL, NULL),
	('onestage', 'stratum', 'psu', NULL, NULL, NULL),
	('fpc', 'stratum', 'psu', 'fpc1', NULL, NULL),
	('frac', 'stratum', 'psu', 'frac1', NULL, NULL),
	('twostage', 'stratum', 'psu', 'fpc1', 'ssu', 'fpc2'),
	('lonely_fpc', 'stratum_l', 'psu', 'fpc1', 'ssu', 'fpc2');

CREATE TEMP TABLE got AS
SELECT c.case_, r.*
FROM (SELECT DISTINCT case_, design, domain_, lonely_psu FROM exp) c
JOIN designs d USING (design),
LATERAL survey_reg.coefficients('smp', 'y1', ARRAY['y2', 'x'], weight => 'w',
	weight_type => 'probability', strata => d.strata, cluster => d.cluster,
	lonely_psu => c.lonely_psu, fpc => d.fpc, cluster2 => d.cluster2, fpc2 => d.fpc2,
	domain => CASE WHEN c.domain_ THEN 'dom' END) r;

CREATE TEMP VIEW pairs AS
SELECT e.case_, e.model, e.term, x.col, x.ours, x.r
FROM exp e JOIN got g USING (case_, model, term),
LATERAL (VALUES ('b', g.b, e.b), ('se', g.se, e.se),
	('ci_lower', g.ci_lower, e.ci_lower), ('ci_upper', g.ci_upper, e.ci_upper)) x(col, ours, r);

SELECT is((SELECT count(*) FROM smp), 178::bigint, 'data loaded');
SELECT is((SELECT count(*) FROM got), (SELECT count(*) FROM exp), 'one row per case, model and term, as R');
SELECT is((SELECT count(*) FROM pairs), 4 * (SELECT count(*) FROM exp), 'every term of R''s has its match');

CREATE FUNCTION pg_temp.bad(cols text[], cases text) RETURNS text
LANGUAGE sql AS $$
	SELECT string_agg(format('%s model %s %s %s: ours %s, R %s', case_, model,
		term, col, ours, r), '; ')
	FROM pairs WHERE col = ANY (cols) AND case_ ~ cases
	AND (ours IS NULL OR abs(ours - r) > 1e-10 * abs(r))
$$;
SELECT is(pg_temp.bad(ARRAY['b'], '.'), NULL, 'coefficients (whole sample and domain) to 1e-10');
SELECT is(pg_temp.bad(ARRAY['se', 'ci_lower', 'ci_upper'], '^(fpc|frac|rows_fpc)/'), NULL,
	'SEs and intervals with a first-stage fpc to 1e-10');
SELECT is(pg_temp.bad(ARRAY['se', 'ci_lower', 'ci_upper'], '^twostage/'), NULL,
	'SEs and intervals of the two-stage design with fpc at both stages to 1e-10');
SELECT is(pg_temp.bad(ARRAY['se', 'ci_lower', 'ci_upper'], '^lonely_fpc/'), NULL,
	'a lonely PSU (two stages, fpc) with lonely_psu remove, certainty, adjust and average: SEs to 1e-10');
SELECT is(pg_temp.bad(ARRAY['se', 'ci_lower', 'ci_upper'], '/domain'), NULL,
	'SEs and intervals in a domain (the whole design kept) to 1e-10');
SELECT is((SELECT string_agg(format('%s model %s: n %s, R %s', e.case_, e.model, s.n, e.n), '; ')
	FROM (SELECT DISTINCT case_, design, domain_, lonely_psu, model, n FROM exp) e
	JOIN designs d USING (design),
	LATERAL survey_reg.model_summary('smp', 'y1', ARRAY['y2', 'x'], weight => 'w',
		weight_type => 'probability', strata => d.strata, cluster => d.cluster,
		lonely_psu => e.lonely_psu, fpc => d.fpc, cluster2 => d.cluster2, fpc2 => d.fpc2,
		domain => CASE WHEN e.domain_ THEN 'dom' END) s
	WHERE s.model = e.model AND s.n <> e.n), NULL, 'model_summary: n as R (rows in the domain)');

-- design columns NULL only in rows dropped listwise (a NULL predictor)
CREATE TEMP TABLE holes AS SELECT * FROM smp;
UPDATE holes SET stratum = NULL, psu = NULL, ssu = NULL, fpc1 = NULL, fpc2 = NULL
WHERE x IS NULL;
SELECT is((SELECT array_agg(row(r.*)::text ORDER BY model, term)
	FROM survey_reg.coefficients('holes', 'y1', ARRAY['y2', 'x'], weight => 'w',
		weight_type => 'probability', strata => 'stratum', cluster => 'psu',
		fpc => 'fpc1', cluster2 => 'ssu', fpc2 => 'fpc2') r WHERE model = 2),
	(SELECT array_agg(row(r.*)::text ORDER BY model, term)
	FROM survey_reg.coefficients('smp', 'y1', ARRAY['y2', 'x'], weight => 'w',
		weight_type => 'probability', strata => 'stratum', cluster => 'psu',
		fpc => 'fpc1', cluster2 => 'ssu', fpc2 => 'fpc2') r WHERE model = 2),
	'design columns NULL only in rows the model drops: the same regression');
UPDATE holes SET psu = NULL WHERE id = (SELECT min(id) FROM smp WHERE x IS NOT NULL AND y1 IS NOT NULL);
SELECT throws_ok($$SELECT * FROM survey_reg.coefficients('holes', 'y1', ARRAY['y2', 'x'], weight => 'w',
		weight_type => 'probability', strata => 'stratum', cluster => 'psu', fpc => 'fpc1')$$,
	'22004', 'the cluster column "psu" is NULL in a row that the regression uses',
	'a NULL PSU in a complete row: 22004 naming it');
SELECT throws_ok($$SELECT * FROM survey_reg.coefficients('smp', 'y1', ARRAY['y2'], fpc => 'fpc1')$$,
	'22023', 'fpc is only used with se => ''design''',
	'design arguments without a design: 22023');

SELECT diag(format('%-18s max relative difference from R: b %s, se %s, ci %s', case_,
	to_char(max(abs(ours - r) / abs(r)) FILTER (WHERE col = 'b'), '9.9EEEE'),
	to_char(max(abs(ours - r) / abs(r)) FILTER (WHERE col = 'se'), '9.9EEEE'),
	to_char(max(abs(ours - r) / abs(r)) FILTER (WHERE col IN ('ci_lower', 'ci_upper')), '9.9EEEE')))
FROM pairs GROUP BY case_ ORDER BY case_;

SELECT * FROM finish();
ROLLBACK;
