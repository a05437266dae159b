-- Model terms (factor(), a boolean, a:b) with the design arguments fpc,
-- cluster2, fpc2 and domain on the table-name coefficients (issue 17,
-- item 4; they were 0A000 before) against R's svyglm (survey 4.1.1;
-- test/data/make_terms_design_expected.R, terms_design_expected.csv) on
-- survey_sample.csv: y1 ~ factor(cat) + x (model 1) and
-- y1 ~ factor(cat) + x + b + x:y2 (model 2) with probability weights; one
-- stage with fpc (count and fraction), two stages with fpc at both, the
-- whole sample and the domain dom.  b, SE and interval ends (t on R's
-- df.residual) to 1e-12 (6e-14 seen).
BEGIN;
SELECT plan(6);

CREATE TEMP TABLE smp (id int, stratum int, psu int, ssu int, fpc1 float8,
	frac1 float8, fpc2 float8, fpcrows float8, stratum_l int, w float8,
	y1 float8, y2 float8, b bool, cat text, dom bool, x float8);
\copy smp FROM 'test/data/survey_sample.csv' CSV HEADER
CREATE TEMP TABLE exp (case_ text, design text, domain_ bool, model int,
	term text, b float8, se float8, df float8, ci_lower float8, ci_upper float8);
\copy exp FROM 'test/data/terms_design_expected.csv' CSV HEADER

CREATE TEMP TABLE designs (design text, fpc text, cluster2 text, fpc2 text);
INSERT INTO designs VALUES ('fpc', 'fpc1', NULL, NULL), ('frac', 'frac1', NULL, NULL),
	('twostage', 'fpc1', 'ssu', 'fpc2');

SET client_min_messages = warning;
CREATE TEMP TABLE got AS
SELECT c.case_, r.*
FROM (SELECT DISTINCT case_, design, domain_ FROM exp) c
JOIN designs d USING (design),
LATERAL survey_reg.coefficients('smp', 'y1', ARRAY['factor(cat), x', 'b, x:y2'],
	weight => 'w', weight_type => 'probability', strata => 'stratum', cluster => 'psu',
	fpc => d.fpc, cluster2 => d.cluster2, fpc2 => d.fpc2,
	domain => CASE WHEN c.domain_ THEN 'dom' END) r;
RESET client_min_messages;

CREATE TEMP VIEW pairs AS
SELECT e.case_, e.model, e.term, x.col, x.ours, x.r
FROM exp e JOIN got g USING (case_, model, term),
LATERAL (VALUES ('b', g.b, e.b), ('se', g.se, e.se),
	('ci_lower', g.ci_lower, e.ci_lower), ('ci_upper', g.ci_upper, e.ci_upper)) x(col, ours, r);

SELECT is((SELECT count(*) FROM got), (SELECT count(*) FROM exp), 'one row per case, model and term, as R');
SELECT is((SELECT count(*) FROM pairs), 4 * (SELECT count(*) FROM exp), 'every term of R''s has its match (R''s names)');

CREATE FUNCTION pg_temp.bad(cols text[], cases text) RETURNS text
LANGUAGE sql AS $$
	SELECT string_agg(format('%s model %s %s %s: ours %s, R %s', case_, model,
		term, col, ours, r), '; ')
	FROM pairs WHERE col = ANY (cols) AND case_ ~ cases
	AND (ours IS NULL OR abs(ours - r) > 1e-12 * abs(r))
$$;
SELECT is(pg_temp.bad(ARRAY['b'], '.'), NULL, 'coefficients of the factor, boolean and interaction terms to 1e-12');
SELECT is(pg_temp.bad(ARRAY['se', 'ci_lower', 'ci_upper'], '/whole'), NULL,
	'SEs and intervals (t on the design df) with fpc (count, fraction) and two stages to 1e-12');
SELECT is(pg_temp.bad(ARRAY['se', 'ci_lower', 'ci_upper'], '/domain'), NULL,
	'SEs and intervals (t on the design df) in a domain to 1e-12');
SELECT is((SELECT count(*) FROM survey_reg.model_summary('smp', 'y1', ARRAY['factor(cat), x', 'b, x:y2'],
		weight => 'w', weight_type => 'probability', strata => 'stratum', cluster => 'psu',
		fpc => 'fpc1', cluster2 => 'ssu', fpc2 => 'fpc2', domain => 'dom')), 2::bigint,
	'model_summary takes model terms with the design arguments');

SELECT diag(format('%-16s max relative difference from R: b %s, se %s', case_,
	to_char(max(abs(ours - r) / abs(r)) FILTER (WHERE col = 'b'), '9.9EEEE'),
	to_char(max(abs(ours - r) / abs(r)) FILTER (WHERE col = 'se'), '9.9EEEE')))
FROM pairs GROUP BY case_ ORDER BY case_;

SELECT * FROM finish();
ROLLBACK;
