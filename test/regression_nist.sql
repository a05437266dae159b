-- Hierarchical OLS against the NIST StRD linear regression datasets, through
-- the SQL functions: the table-name form (coefficients(source, ...)) and the
-- state form (moments aggregate, then coefficients(m, ...)).
--
-- Expectations are NIST's certified values (test/data/nist, see
-- its README), never our own output.  Accuracy is the log relative error
-- LRE = -log10(|est - cert| / |cert|), capped at 15, with the absolute error
-- where the certified value is 0 (Wampler1's SEs); a NULL estimate scores 0.
-- Polynomial terms are computed in SQL as x^k from the x column; the NoInt
-- models use intercept => false (R^2 is then the uncentered one, as NIST's).
--
-- Bars (min over all coefficients and all SEs): 9 on Norris, Pontius,
-- NoInt1, NoInt2, Longley and Wampler1-3, 8 on Wampler4, 7 on Wampler5 and
-- Filip; residual SD and R^2 >= 9 where certified non-zero.  The LREs are
-- printed with diag() (pg_prove -v test/regression_nist.sql).
BEGIN;
SELECT plan(49);

-- the data, as decimal text from the CSV files
CREATE TEMP TABLE nist_xy (dataset text, y float8, x float8);
CREATE TEMP TABLE stage_xy (y float8, x float8);
\copy stage_xy FROM 'test/data/nist/norris.csv' CSV HEADER
INSERT INTO nist_xy SELECT 'norris', y, x FROM stage_xy; TRUNCATE stage_xy;
\copy stage_xy FROM 'test/data/nist/pontius.csv' CSV HEADER
INSERT INTO nist_xy SELECT 'pontius', y, x FROM stage_xy; TRUNCATE stage_xy;
\copy stage_xy FROM 'test/data/nist/noint1.csv' CSV HEADER
INSERT INTO nist_xy SELECT 'noint1', y, x FROM stage_xy; TRUNCATE stage_xy;
\copy stage_xy FROM 'test/data/nist/noint2.csv' CSV HEADER
INSERT INTO nist_xy SELECT 'noint2', y, x FROM stage_xy; TRUNCATE stage_xy;
\copy stage_xy FROM 'test/data/nist/filip.csv' CSV HEADER
INSERT INTO nist_xy SELECT 'filip', y, x FROM stage_xy; TRUNCATE stage_xy;
\copy stage_xy FROM 'test/data/nist/wampler1.csv' CSV HEADER
INSERT INTO nist_xy SELECT 'wampler1', y, x FROM stage_xy; TRUNCATE stage_xy;
\copy stage_xy FROM 'test/data/nist/wampler2.csv' CSV HEADER
INSERT INTO nist_xy SELECT 'wampler2', y, x FROM stage_xy; TRUNCATE stage_xy;
\copy stage_xy FROM 'test/data/nist/wampler3.csv' CSV HEADER
INSERT INTO nist_xy SELECT 'wampler3', y, x FROM stage_xy; TRUNCATE stage_xy;
\copy stage_xy FROM 'test/data/nist/wampler4.csv' CSV HEADER
INSERT INTO nist_xy SELECT 'wampler4', y, x FROM stage_xy; TRUNCATE stage_xy;
\copy stage_xy FROM 'test/data/nist/wampler5.csv' CSV HEADER
INSERT INTO nist_xy SELECT 'wampler5', y, x FROM stage_xy; TRUNCATE stage_xy;
CREATE TEMP TABLE longley (y float8, x1 float8, x2 float8, x3 float8,
	x4 float8, x5 float8, x6 float8);
\copy longley FROM 'test/data/nist/longley.csv' CSV HEADER
CREATE TEMP TABLE certified (dataset text, quantity text, index int, value float8);
\copy certified FROM 'test/data/nist/certified.csv' CSV HEADER

-- the designs: polynomial degree (0 for Longley), predictors, intercept, bar
CREATE TEMP TABLE designs (dataset text, degree int, predictors text,
	intercept bool, bar float8, nobs int);
INSERT INTO designs VALUES
	('norris',   1, 'x', true, 9, 36),
	('pontius',  2, 'x, x2', true, 9, 40),
	('noint1',   1, 'x', false, 9, 11),
	('noint2',   1, 'x', false, 9, 3),
	('filip',   10, 'x, x2, x3, x4, x5, x6, x7, x8, x9, x10', true, 7, 82),
	('longley',  0, 'x1, x2, x3, x4, x5, x6', true, 9, 16),
	('wampler1', 5, 'x, x2, x3, x4, x5', true, 9, 21),
	('wampler2', 5, 'x, x2, x3, x4, x5', true, 9, 21),
	('wampler3', 5, 'x, x2, x3, x4, x5', true, 9, 21),
	('wampler4', 5, 'x, x2, x3, x4, x5', true, 8, 21),
	('wampler5', 5, 'x, x2, x3, x4, x5', true, 7, 21);

SELECT is((SELECT count(*) FROM nist_xy) + (SELECT count(*) FROM longley),
	(SELECT sum(nobs) FROM designs), 'every NIST observation loaded');

-- one relation per dataset for the table-name form, powers computed in SQL
CREATE TEMP VIEW nist_powers AS
SELECT dataset, y, x, x^2 AS x2, x^3 AS x3, x^4 AS x4, x^5 AS x5, x^6 AS x6,
	x^7 AS x7, x^8 AS x8, x^9 AS x9, x^10 AS x10
FROM nist_xy;
CREATE TEMP VIEW norris AS SELECT y, x FROM nist_powers WHERE dataset = 'norris';
CREATE TEMP VIEW pontius AS SELECT y, x, x2 FROM nist_powers WHERE dataset = 'pontius';
CREATE TEMP VIEW noint1 AS SELECT y, x FROM nist_powers WHERE dataset = 'noint1';
CREATE TEMP VIEW noint2 AS SELECT y, x FROM nist_powers WHERE dataset = 'noint2';
CREATE TEMP VIEW filip AS SELECT y, x, x2, x3, x4, x5, x6, x7, x8, x9, x10
	FROM nist_powers WHERE dataset = 'filip';
CREATE TEMP VIEW wampler1 AS SELECT y, x, x2, x3, x4, x5 FROM nist_powers WHERE dataset = 'wampler1';
CREATE TEMP VIEW wampler2 AS SELECT y, x, x2, x3, x4, x5 FROM nist_powers WHERE dataset = 'wampler2';
CREATE TEMP VIEW wampler3 AS SELECT y, x, x2, x3, x4, x5 FROM nist_powers WHERE dataset = 'wampler3';
CREATE TEMP VIEW wampler4 AS SELECT y, x, x2, x3, x4, x5 FROM nist_powers WHERE dataset = 'wampler4';
CREATE TEMP VIEW wampler5 AS SELECT y, x, x2, x3, x4, x5 FROM nist_powers WHERE dataset = 'wampler5';

-- the state form: one moments state per dataset over y and its predictors
CREATE TEMP TABLE states AS
SELECT d.dataset,
	survey_reg.moments((ARRAY[y, x, x2, x3, x4, x5, x6, x7, x8, x9, x10])[1:d.degree + 1],
		(ARRAY['y', 'x', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9', 'x10'])[1:d.degree + 1]) AS m
FROM nist_powers p JOIN designs d USING (dataset)
GROUP BY d.dataset
UNION ALL
SELECT 'longley', survey_reg.moments(ARRAY[y, x1, x2, x3, x4, x5, x6],
	ARRAY['y', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6'])
FROM longley;

CREATE TEMP TABLE coefs AS
SELECT 'table' AS form, d.dataset, c.*
FROM designs d, LATERAL survey_reg.coefficients(d.dataset, 'y', ARRAY[d.predictors],
	intercept => d.intercept) c
UNION ALL
SELECT 'state', d.dataset, c.*
FROM designs d JOIN states s USING (dataset),
	LATERAL survey_reg.coefficients(s.m, 'y', ARRAY[d.predictors], d.intercept) c;

CREATE TEMP TABLE summaries AS
SELECT 'table' AS form, d.dataset, s.*
FROM designs d, LATERAL survey_reg.model_summary(d.dataset, 'y', ARRAY[d.predictors],
	intercept => d.intercept) s
UNION ALL
SELECT 'state', d.dataset, s.*
FROM designs d JOIN states st USING (dataset),
	LATERAL survey_reg.model_summary(st.m, 'y', ARRAY[d.predictors], d.intercept) s;

CREATE FUNCTION pg_temp.lre(est float8, cert float8) RETURNS float8
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE
		WHEN est IS NULL THEN 0
		WHEN est = cert THEN 15
		ELSE least(15, greatest(0, -log(abs(est - cert)
			/ CASE WHEN cert = 0 THEN 1 ELSE abs(cert) END)))
	END
$$;

-- the NIST index of a term: 0 intercept, k for x^k (xk for Longley)
CREATE TEMP VIEW scored AS
SELECT c.form, c.dataset, c.quantity, c.index, c.value AS certified,
	CASE c.quantity WHEN 'coef' THEN r.b ELSE r.se END AS estimate,
	pg_temp.lre(CASE c.quantity WHEN 'coef' THEN r.b ELSE r.se END, c.value) AS lre
FROM (SELECT f.form, x.* FROM certified x, (VALUES ('table'), ('state')) f(form)
	WHERE x.quantity IN ('coef', 'se')) c
LEFT JOIN coefs r ON r.form = c.form AND r.dataset = c.dataset
	AND c.index = CASE r.term WHEN '(Intercept)' THEN 0 WHEN 'x' THEN 1
		ELSE substr(r.term, 2)::int END;

CREATE TEMP VIEW lre_table AS
SELECT d.dataset, f.form, d.bar,
	(SELECT min(lre) FROM scored s WHERE s.form = f.form AND s.dataset = d.dataset
		AND s.quantity = 'coef') AS coef_lre,
	(SELECT min(lre) FROM scored s WHERE s.form = f.form AND s.dataset = d.dataset
		AND s.quantity = 'se') AS se_lre,
	(SELECT pg_temp.lre(m.se_estimate, c.value) FROM summaries m, certified c
		WHERE m.form = f.form AND m.dataset = d.dataset
			AND c.dataset = d.dataset AND c.quantity = 'resid_sd') AS resid_sd_lre,
	(SELECT c.value FROM certified c
		WHERE c.dataset = d.dataset AND c.quantity = 'resid_sd') AS resid_sd_cert,
	(SELECT pg_temp.lre(m.r2, c.value) FROM summaries m, certified c
		WHERE m.form = f.form AND m.dataset = d.dataset
			AND c.dataset = d.dataset AND c.quantity = 'r2') AS r2_lre
FROM designs d, (VALUES ('table'), ('state')) f(form);

-- every coefficient and SE has an estimate (no term dropped, none missing)
SELECT is((SELECT count(*) FROM scored WHERE estimate IS NULL), 0::bigint,
	'no NIST term dropped or missing (table and state forms)');
SELECT is((SELECT count(*) FROM coefs WHERE b IS NULL), 0::bigint,
	'no NULL coefficient');
SELECT is((SELECT count(*) FROM coefs), 2 * (SELECT count(*) FROM certified
	WHERE quantity = 'coef'), 'one row per certified coefficient and form');

-- coefficients and SEs: the bars, per dataset and form (22 tests)
SELECT cmp_ok(least(coef_lre, se_lre), '>=', bar,
	format('%s (%s form): min LRE of coefficients and SEs >= %s', dataset, form, bar))
FROM lre_table ORDER BY dataset, form;

-- residual SD (where certified non-zero) and R^2: >= 9 (22 tests)
SELECT cmp_ok(CASE WHEN resid_sd_cert = 0 THEN r2_lre ELSE least(resid_sd_lre, r2_lre) END,
	'>=', 9::float8,
	format('%s (%s form): LRE of %s >= 9', dataset, form,
		CASE WHEN resid_sd_cert = 0 THEN 'R^2 (residual SD certified 0)'
		ELSE 'residual SD and R^2' END))
FROM lre_table ORDER BY dataset, form;

-- the summaries agree with the design: n, one model, df
SELECT is((SELECT count(*) FROM summaries s JOIN designs d USING (dataset)
	WHERE s.model = 1 AND s.n = d.nobs
		AND s.df2 = d.nobs - s.df1 - CASE WHEN d.intercept THEN 1 ELSE 0 END), 22::bigint,
	'model summaries: N and residual df as designed');

SELECT diag(E'NIST StRD LRE (table form / state form): coefficients, SEs, residual SD, R^2\n'
	|| string_agg(format('%-9s coef %4s / %4s   se %4s / %4s   resid_sd %4s / %4s   r2 %4s / %4s',
		t.dataset,
		round(t.coef_lre::numeric, 1), round(s.coef_lre::numeric, 1),
		round(t.se_lre::numeric, 1), round(s.se_lre::numeric, 1),
		CASE WHEN t.resid_sd_cert = 0 THEN 'abs ' || round(t.resid_sd_lre::numeric, 1)
			ELSE round(t.resid_sd_lre::numeric, 1)::text END,
		CASE WHEN s.resid_sd_cert = 0 THEN 'abs ' || round(s.resid_sd_lre::numeric, 1)
			ELSE round(s.resid_sd_lre::numeric, 1)::text END,
		round(t.r2_lre::numeric, 1), round(s.r2_lre::numeric, 1)), E'\n'
		ORDER BY array_position(ARRAY['norris', 'pontius', 'noint1', 'noint2',
			'filip', 'longley', 'wampler1', 'wampler2', 'wampler3', 'wampler4',
			'wampler5'], t.dataset)))
FROM lre_table t JOIN lre_table s ON s.dataset = t.dataset AND s.form = 'state'
WHERE t.form = 'table';

SELECT * FROM finish();
ROLLBACK;
