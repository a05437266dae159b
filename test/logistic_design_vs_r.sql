-- The design arguments of the logistic functions (fpc, cluster2, fpc2,
-- domain; issues 17 and 16) against R's svyglm(family = quasibinomial())
-- (survey 4.1.1; test/data/make_logistic_design_expected.R,
-- logistic_design_expected.csv) on survey_sample.csv: b ~ x (model 1) and
-- b ~ x + y1 (model 2) with probability weights; one stage without and
-- with fpc (population count or sampling fraction), two stages with fpc at
-- both, rows as PSUs with fpc, each on the whole sample and in the domain
-- dom (subset() of the design), and a lonely PSU (adjust, average).
-- SE, z, p and the odds ratio's interval to 1e-9 relative, b and the odds
-- ratio to 1e-12.  Then the design columns that only rows dropped
-- listwise lack.
BEGIN;
SELECT plan(12);

CREATE TEMP TABLE smp (id int, stratum int, psu int, ssu int, fpc1 float8,
	frac1 float8, fpc2 float8, fpcrows float8, stratum_l int, w float8,
	y1 float8, y2 float8, b bool, cat text, dom bool, x float8);
\copy smp FROM 'test/data/survey_sample.csv' CSV HEADER
CREATE TEMP TABLE exp (case_ text, design text, domain_ bool, lonely_psu text,
	model int, term text, b float8, se float8, z float8, p float8, df float8,
	odds_ratio float8, or_ci_lower float8, or_ci_upper float8);
\copy exp FROM 'test/data/logistic_design_expected.csv' CSV HEADER

CREATE TEMP TABLE designs (design text, strata text, cluster text, fpc text,
	cluster2 text, fpc2 text);
INSERT INTO designs VALUES
	('onestage', 'stratum', 'psu', NULL, NULL, NULL),
	('fpc', 'stratum', 'psu', 'fpc1', NULL, NULL),
	('frac', 'stratum', 'psu', 'frac1', NULL, NULL),
	('twostage', 'stratum', 'psu', 'fpc1', 'ssu', 'fpc2'),
	('rows_fpc', 'stratum', NULL, 'fpcrows', NULL, NULL),
	('lonely_fpc', 'stratum_l', 'psu', 'fpc1', 'ssu', 'fpc2');

SET client_min_messages = warning;
CREATE TEMP TABLE got AS
SELECT c.case_, r.*
FROM (SELECT DISTINCT case_, design, domain_, lonely_psu FROM exp) c
JOIN designs d USING (design),
LATERAL survey_reg.logistic_coefficients('smp', 'b', ARRAY['x', 'y1'], weight => 'w',
	weight_type => 'probability', strata => d.strata, cluster => d.cluster,
	lonely_psu => c.lonely_psu, fpc => d.fpc, cluster2 => d.cluster2, fpc2 => d.fpc2,
	domain => CASE WHEN c.domain_ THEN 'dom' END) r;
RESET client_min_messages;

CREATE TEMP VIEW pairs AS
SELECT e.case_, e.model, e.term, x.col, x.ours, x.r
FROM exp e JOIN got g USING (case_, model, term),
LATERAL (VALUES ('b', g.b, e.b), ('se', g.se, e.se), ('z', g.z, e.z),
	('p', g.p, e.p), ('odds_ratio', g.odds_ratio, e.odds_ratio),
	('or_ci_lower', g.or_ci_lower, e.or_ci_lower),
	('or_ci_upper', g.or_ci_upper, e.or_ci_upper)) x(col, ours, r);

SELECT is((SELECT count(*) FROM smp), 178::bigint, 'data loaded');
SELECT is((SELECT count(*) FROM got), (SELECT count(*) FROM exp), 'one row per case, model and term, as R');
SELECT is((SELECT count(*) FROM pairs), 7 * (SELECT count(*) FROM exp), 'every term of R''s has its match');

CREATE FUNCTION pg_temp.bad(cols text[], cases text) RETURNS text
LANGUAGE sql AS $$
	SELECT string_agg(format('%s model %s %s %s: ours %s, R %s', case_, model,
		term, col, ours, r), '; ')
	FROM pairs WHERE col = ANY (cols) AND case_ ~ cases
	AND (ours IS NULL OR abs(ours - r) > CASE WHEN col IN ('b', 'odds_ratio') THEN 1e-12 ELSE 1e-9 END * abs(r))
$$;
SELECT is(pg_temp.bad(ARRAY['b', 'odds_ratio'], '.'), NULL,
	'coefficients and odds ratios (whole sample and domain) to 1e-12');
SELECT is(pg_temp.bad(ARRAY['se', 'z', 'p', 'or_ci_lower', 'or_ci_upper'], '^(fpc|frac|rows_fpc)/'), NULL,
	'SE, z, p and interval with a first-stage fpc to 1e-9');
SELECT is(pg_temp.bad(ARRAY['se', 'z', 'p', 'or_ci_lower', 'or_ci_upper'], '^twostage/'), NULL,
	'SE, z, p and interval of the two-stage design with fpc at both stages to 1e-9');
SELECT is(pg_temp.bad(ARRAY['se', 'z', 'p', 'or_ci_lower', 'or_ci_upper'], '/domain'), NULL,
	'SE, z, p and interval in a domain (the whole design kept) to 1e-9');
SELECT is(pg_temp.bad(ARRAY['se', 'z', 'p', 'or_ci_lower', 'or_ci_upper'], '^(onestage|lonely_fpc)/'), NULL,
	'one stage without fpc, and a lonely PSU (adjust; average in a domain): to 1e-9');

-- design columns NULL only in rows dropped listwise (a NULL predictor)
CREATE TEMP TABLE holes AS SELECT * FROM smp;
UPDATE holes SET stratum = NULL, psu = NULL, ssu = NULL, fpc1 = NULL, fpc2 = NULL
WHERE x IS NULL;
SELECT is((SELECT array_agg(row(r.*)::text ORDER BY model, term)
	FROM survey_reg.logistic_coefficients('holes', 'b', ARRAY['x', 'y1'], weight => 'w',
		weight_type => 'probability', strata => 'stratum', cluster => 'psu',
		fpc => 'fpc1', cluster2 => 'ssu', fpc2 => 'fpc2') r),
	(SELECT array_agg(row(r.*)::text ORDER BY model, term)
	FROM survey_reg.logistic_coefficients('smp', 'b', ARRAY['x', 'y1'], weight => 'w',
		weight_type => 'probability', strata => 'stratum', cluster => 'psu',
		fpc => 'fpc1', cluster2 => 'ssu', fpc2 => 'fpc2') r),
	'design columns NULL only in rows the model drops: the same regression');
UPDATE holes SET psu = NULL WHERE id = (SELECT min(id) FROM smp
	WHERE x IS NOT NULL AND y1 IS NOT NULL AND b IS NOT NULL);
SELECT throws_ok($$SELECT * FROM survey_reg.logistic_coefficients('holes', 'b', ARRAY['x', 'y1'], weight => 'w',
		weight_type => 'probability', strata => 'stratum', cluster => 'psu', fpc => 'fpc1')$$,
	'22004', 'the cluster column "psu" is NULL in a row that the regression uses',
	'a NULL PSU in a complete row: 22004 naming it');
SELECT throws_ok($$SELECT * FROM survey_reg.logistic_summary('smp', 'b', ARRAY['x'], fpc => 'fpc1')$$,
	'22023', 'fpc is only used with se => ''design''',
	'design arguments without a design: 22023');
-- the formatted table passes the design arguments on
SELECT is((SELECT cells[2] FROM survey_reg.logistic_table('smp', 'b', ARRAY['x', 'y1'],
		weight => 'w', weight_type => 'probability', strata => 'stratum', cluster => 'psu',
		fpc => 'fpc1', cluster2 => 'ssu', fpc2 => 'fpc2', domain => 'dom', digits => 6)
		WHERE label = 'x'),
	(SELECT survey_reg.format_number(se, 6) FROM exp
		WHERE case_ = 'twostage/domain' AND model = 1 AND term = 'x'),
	'logistic_table: the SE of the two-stage design in the domain');

SELECT diag(format('%-28s max relative difference from R: b %s, se %s, p %s', case_,
	to_char(max(abs(ours - r) / abs(r)) FILTER (WHERE col = 'b'), '9.9EEEE'),
	to_char(max(abs(ours - r) / abs(r)) FILTER (WHERE col = 'se'), '9.9EEEE'),
	to_char(max(abs(ours - r) / abs(r)) FILTER (WHERE col = 'p'), '9.9EEEE')))
FROM pairs GROUP BY case_ ORDER BY case_;

SELECT * FROM finish();
ROLLBACK;
