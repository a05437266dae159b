-- survey_means_table (issue 16): the layout, and its numbers against R's
-- (test/data/survey_means_expected.csv, from the survey package, rounded as
-- the table rounds); and se => 'design' without the design arguments: rows
-- dropped listwise need no strata or cluster.
\set VERBOSITY default
SET extra_float_digits = 0;

CREATE TABLE smp (id int, stratum int, psu int, ssu int, fpc1 float8,
	frac1 float8, fpc2 float8, fpcrows float8, stratum_l int, w float8,
	y1 float8, y2 float8, b bool, cat text, dom bool, x float8);
\copy smp FROM 'test/data/survey_sample.csv' CSV HEADER
CREATE TABLE exp (case_ text, design text, lonely_psu text, by_ bool,
	domain_ bool, group_value text, variable text, n bigint, mean float8,
	se float8, ci_lower float8, ci_upper float8, total float8,
	total_se float8, df float8);
\copy exp FROM 'test/data/survey_means_expected.csv' CSV HEADER

-- two stages with fpc at both, by cat, in the domain dom
SELECT line FROM survey_reg.survey_means_table('smp', ARRAY['y1', 'b'],
	weight => 'w', strata => 'stratum', cluster => 'psu', fpc => 'fpc1',
	cluster2 => 'ssu', fpc2 => 'fpc2', by => 'cat', domain => 'dom',
	labels => '{"y1": "Score", "b": "Yes"}');

-- every cell is R's estimate rounded (percentages of the boolean b)
SELECT t.cells[1] AS grp, t.cells[2] = to_char(k * e.mean, 'FM999990.00') || CASE WHEN e.variable = 'b' THEN '%' ELSE '' END AS mean_as_r,
	t.cells[3] = to_char(k * e.se, 'FM999990.00') AS se_as_r,
	t.cells[4] = '[' || to_char(k * e.ci_lower, 'FM999990.00') || ', ' || to_char(k * e.ci_upper, 'FM999990.00') || ']' AS ci_as_r,
	t.cells[5] = e.n::text AS n_as_r
FROM survey_reg.survey_means_table('smp', ARRAY['y1', 'b'],
	weight => 'w', strata => 'stratum', cluster => 'psu', fpc => 'fpc1',
	cluster2 => 'ssu', fpc2 => 'fpc2', by => 'cat', domain => 'dom') WITH ORDINALITY t
JOIN LATERAL (SELECT * FROM exp WHERE case_ = 'twostage/fail/by/domain'
	AND group_value = t.cells[1]
	AND variable = CASE WHEN t.ordinality <= 5 THEN 'y1' ELSE 'b' END) e ON true,
LATERAL (SELECT CASE WHEN e.variable = 'b' THEN 100 ELSE 1 END AS k) kk
WHERE t.kind = 'variable'
ORDER BY t.row_no;

-- without by and domain; the title and words can be changed
SELECT line FROM survey_reg.survey_means_table('smp', ARRAY['y2'],
	strata => 'stratum', cluster => 'psu', weight => 'w', digits => 3,
	decimal_mark => ',', captions => '{"estimate": "Mean"}', title => 'Table 3');

-- se => 'design' (no design arguments): a stratum or PSU that is NULL only
-- in rows the regression drops listwise (x NULL) is no error, and the
-- regression equals the one on the complete rows
CREATE TABLE holes AS SELECT * FROM smp;
UPDATE holes SET stratum = NULL, psu = NULL WHERE x IS NULL;
CREATE VIEW complete AS SELECT * FROM smp WHERE x IS NOT NULL;
SELECT a.model, a.term, abs(a.b - b.b) < 1e-12 * abs(b.b) AS same_b,
	abs(a.se - b.se) < 1e-12 * b.se AS same_se
FROM survey_reg.coefficients('holes', 'y1', ARRAY['y2', 'x'], weight => 'w',
	weight_type => 'probability', strata => 'stratum', cluster => 'psu') a
JOIN survey_reg.coefficients('complete', 'y1', ARRAY['y2', 'x'], weight => 'w',
	weight_type => 'probability', strata => 'stratum', cluster => 'psu') b
	USING (model, term)
ORDER BY 1, 2;
-- ... but where a complete row lacks one, the error stays
UPDATE holes SET psu = NULL WHERE id = (SELECT min(id) FROM complete WHERE y1 IS NOT NULL);
SELECT count(*) FROM survey_reg.coefficients('holes', 'y1', ARRAY['y2', 'x'], weight => 'w',
	weight_type => 'probability', strata => 'stratum', cluster => 'psu');
\echo :LAST_ERROR_SQLSTATE
