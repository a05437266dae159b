-- Publication tables and reports on the SYNTHETIC sample survey
-- (data/sample_survey.csv): the formatted cells carry exactly the numbers
-- of the analyses they format, frequencies agree with plain SQL counts
-- (weighted too), the HTML report is self-contained and escapes what it
-- is given, and nothing depends on the caller's search_path or runs with
-- more privileges than the caller has; its optional sections of
-- design-based estimates and logistic regression are the tables
-- survey_means_table and logistic_table print.  (Layout in both decimal
-- styles: sql/report_tables.sql; the rendered HTML: tools/report-tests.sh.)
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS survey_reg;
SET LOCAL client_min_messages = warning;
SELECT plan(43);

\set survey_table survey
\ir include/sample_survey_table.sql
CREATE VIEW clients AS
SELECT *, survey_reg.mean_index(ARRAY[styring_a, styring_b]) AS styring,
	survey_reg.reverse(belast_tid, 0, 3) AS belast_tid_r,
	survey_reg.reverse(belast_krav, 0, 3) AS belast_krav_r,
	survey_reg.mean_index(ARRAY[survey_reg.reverse(belast_tid, 0, 3),
		survey_reg.reverse(belast_krav, 0, 3), belast_stor]) AS arbeidsbelastning
FROM survey WHERE follows_up_clients;

CREATE TABLE spec AS SELECT 'individualisering'::text AS dep,
	ARRAY['styring', 'arbeidsbelastning, ratio, kontorstorrelse, tilsettingsforhold',
		'effektiv, tiltakskunnskap, kjonn, alder'] AS blocks;

-- 1-3: frequencies equal plain counts; the summary rows add up
SELECT is((SELECT array_agg(row(value, n)::text ORDER BY value)
		FROM survey_reg.frequencies('clients', 'individualisering') WHERE kind = 'value'),
	(SELECT array_agg(row(v, c)::text ORDER BY v) FROM (SELECT individualisering AS v, count(*)::float8 AS c
		FROM clients WHERE individualisering IS NOT NULL GROUP BY 1) x),
	'frequencies: one row per valid value with its count');
SELECT is((SELECT array_agg(n ORDER BY kind) FROM survey_reg.frequencies('clients', 'individualisering')
		WHERE kind <> 'value'),
	(SELECT ARRAY[count(*) FILTER (WHERE individualisering IS NULL), count(*),
		count(individualisering)]::float8[] FROM clients),
	'frequencies: missing, total and valid total are the counts');
SELECT ok((SELECT abs(max(cumulative_percent) - 100) < 1e-12 AND abs(sum(valid_percent) - 100) < 1e-12
		AND abs(sum(percent) - (SELECT percent FROM survey_reg.frequencies('clients', 'individualisering')
			WHERE kind = 'valid_total')) < 1e-12
	FROM survey_reg.frequencies('clients', 'individualisering') WHERE kind = 'value'),
	'frequencies: valid percents sum to 100, cumulative ends at 100');

-- 4: weighted counts are sums of weights
SELECT is((SELECT array_agg(round(n::numeric, 9) ORDER BY value)
		FROM survey_reg.frequencies('clients', 'individualisering', weight => 'weight') WHERE kind = 'value'),
	(SELECT array_agg(round(s::numeric, 9) ORDER BY v) FROM (SELECT individualisering AS v, sum(weight) AS s
		FROM clients WHERE individualisering IS NOT NULL GROUP BY 1) x),
	'weighted frequencies are sums of weights');

-- 5-7: every cell of the regression table is the formatted analysis
SELECT is((SELECT array_agg(l.label || ': ' || array_to_string(array_remove(l.cells, ''), ' ') ORDER BY l.row_no)
		FROM spec, survey_reg.regression_table('clients', dep, blocks) l WHERE l.kind = 'term'),
	(SELECT array_agg(term || ': ' || cells ORDER BY first_model, o) FROM (
		SELECT c.term, min(c.model) AS first_model, min(t.o) AS o,
			string_agg(survey_reg.format_number(c.beta, 3) || survey_reg.stars(c.p), ' ' ORDER BY c.model) AS cells
		FROM spec, survey_reg.coefficients('clients', dep, blocks) c,
			unnest(ARRAY['styring', 'arbeidsbelastning', 'ratio', 'kontorstorrelse',
				'tilsettingsforhold', 'effektiv', 'tiltakskunnskap', 'kjonn', 'alder']) WITH ORDINALITY t(term, o)
		WHERE c.term = t.term GROUP BY c.term) x),
	'regression_table: each term''s cells are beta and stars from coefficients()')
;
SELECT is((SELECT l.cells FROM spec, survey_reg.regression_table('clients', dep, blocks,
			decimal_mark => ',', leading_zero => false) l WHERE l.kind = 'adj_r2'),
	(SELECT array_agg(survey_reg.format_number(adj_r2, 3, ',', false) || survey_reg.stars(p) ORDER BY model)
		FROM spec, survey_reg.model_summary('clients', dep, blocks)),
	'regression_table: the adjusted R² row is model_summary''s, in the article''s style');
SELECT is((SELECT array_agg(row(l.*)::text ORDER BY row_no) FROM spec,
		survey_reg.regression_table('clients', dep, blocks, weight => 'weight') l),
	(SELECT array_agg(row(l.*)::text ORDER BY row_no) FROM spec,
		survey_reg.regression_table((SELECT survey_reg.moments(
			ARRAY[individualisering, styring, arbeidsbelastning, ratio, kontorstorrelse,
				tilsettingsforhold, effektiv, tiltakskunnskap, kjonn, alder],
			ARRAY['individualisering', 'styring', 'arbeidsbelastning', 'ratio', 'kontorstorrelse',
				'tilsettingsforhold', 'effektiv', 'tiltakskunnskap', 'kjonn', 'alder'], weight)
			FROM clients), dep, blocks) l),
	'regression_table(source, weight => ...) = regression_table(weighted moments state)');

-- 8-9: the correlation and descriptives tables carry the analyses' numbers
SELECT is((SELECT cells[1] FROM survey_reg.correlation_table('clients',
		ARRAY['individualisering', 'styring']) WHERE label = 'styring'),
	(SELECT survey_reg.format_number(r, 3) || survey_reg.stars(p) FROM survey_reg.correlations('clients',
		ARRAY['individualisering', 'styring']) WHERE var1 = 'styring' AND var2 = 'individualisering'),
	'correlation_table: the lower-triangle cell is r with stars');
SELECT is((SELECT cells FROM survey_reg.descriptives_table('clients', ARRAY['alder', 'kjonn'],
		missing => 'pairwise', statistics => '{n,mean,sd}') WHERE label = 'alder'),
	(SELECT ARRAY[n::text, survey_reg.format_number(mean, 2), survey_reg.format_number(sd, 2)]
		FROM survey_reg.describe('clients', ARRAY['alder', 'kjonn'], missing => 'pairwise') WHERE variable = 'alder'),
	'descriptives_table: N, mean and SD as describe() gives them');

-- 10-17: the HTML report is one self-contained document
CREATE TABLE html AS SELECT survey_reg.report('clients', dep, blocks,
	indices => ARRAY['styring', 'arbeidsbelastning'],
	index_items => ARRAY['styring_a, styring_b', 'belast_tid_r, belast_krav_r, belast_stor'],
	value_labels => '{"0": "Strongly disagree", "4": "Strongly <agree>"}',
	labels => '{"styring": "<script>alert(1)</script>"}',
	note => 'SYNTHETIC data & not real', generated_at => NULL) AS doc
FROM spec;
SELECT ok(doc LIKE '<!DOCTYPE html>%</html>' || E'\n', 'HTML: a whole document') FROM html;
SELECT is((SELECT count(*)::int FROM regexp_matches(doc, '<svg', 'g')), 1, 'HTML: one inline SVG figure') FROM html;
SELECT is((SELECT count(*)::int FROM regexp_matches(doc, '<rect class="bar"', 'g')), 5,
	'HTML: a bar per answer category') FROM html;
SELECT is((SELECT count(*)::int FROM regexp_matches(doc, '<table class="pub"', 'g')), 4,
	'HTML: descriptives, reliability, regression and correlation tables') FROM html;
SELECT ok(doc !~* '<script|\s(src|href)\s*=|url\(|@import|<link|<img|<iframe',
	'HTML: no scripts, no external assets') FROM html;
SELECT ok(doc LIKE '%&lt;script&gt;alert(1)&lt;/script&gt;%' AND doc LIKE '%Strongly &lt;agree&gt;%'
	AND doc LIKE '%SYNTHETIC data &amp; not real%', 'HTML: labels and notes are escaped') FROM html;
SELECT ok(doc LIKE '%<tr class="block"><th colspan="4" scope="rowgroup">Block 3</th></tr>%',
	'HTML: terms grouped under block rows') FROM html;
-- the weighted Norwegian report: its N and the means and SDs of its
-- descriptives table are the frequency-weighted ones computed here in plain
-- SQL over the listwise-complete rows, with a decimal comma (the variables
-- between 0.1 and 10, printed with two decimals; N differs from the
-- unweighted 1178)
CREATE TEMP TABLE nb AS SELECT survey_reg.report('clients', dep, blocks, weight => 'weight',
	language => 'nb', decimal_mark => ',', leading_zero => false, generated_at => NULL) AS doc
FROM spec;
CREATE TEMP VIEW nb_rows AS
SELECT v.variable, v.x, c.weight FROM clients c,
	LATERAL (VALUES ('individualisering', individualisering), ('styring', styring),
		('arbeidsbelastning', arbeidsbelastning), ('ratio', ratio),
		('kontorstorrelse', kontorstorrelse), ('tilsettingsforhold', tilsettingsforhold),
		('effektiv', effektiv), ('tiltakskunnskap', tiltakskunnskap), ('kjonn', kjonn),
		('alder', alder)) v(variable, x)
WHERE weight > 0 AND num_nulls(individualisering, styring, arbeidsbelastning, ratio,
	kontorstorrelse, tilsettingsforhold, effektiv, tiltakskunnskap, kjonn, alder) = 0;
CREATE TEMP VIEW nb_expected AS
SELECT variable, n, mean, sqrt(ss / (n - 1)) AS sd
FROM (SELECT variable, sum(weight) AS n, sum(weight * x) / sum(weight) AS mean,
		sum(weight * x * x) - sum(weight * x) ^ 2 / sum(weight) AS ss
	FROM nb_rows GROUP BY variable) s;
SELECT is((SELECT coalesce(string_agg(e.variable, ', ' ORDER BY e.variable), '') FROM nb_expected e, nb
	WHERE e.mean BETWEEN 0.1 AND 10 AND e.sd BETWEEN 0.1 AND 10
	AND position(format('<th class="stub" scope="row">%s</th><td class="r">%s</td><td class="r">%s</td>',
		e.variable, replace(round(e.mean::numeric, 2)::text, '.', ','),
		replace(round(e.sd::numeric, 2)::text, '.', ',')) IN nb.doc) = 0)
	|| ' / ' || (SELECT count(*) FROM nb_expected WHERE mean BETWEEN 0.1 AND 10 AND sd BETWEEN 0.1 AND 10)
	|| (SELECT CASE WHEN position(format('Deskriptiv statistikk (N=%s)', round(max(n))) IN doc) > 0
		THEN ' N' ELSE ' no N' END FROM nb_expected, nb GROUP BY doc),
	' / 9 N',
	'HTML: the weighted Norwegian report has the weighted N, means and SDs, with a decimal comma');

-- 18-19: Markdown
CREATE TABLE md AS SELECT survey_reg.report('clients', dep, blocks, format => 'markdown',
	generated_at => NULL) AS doc FROM spec;
SELECT ok(doc LIKE '%```text%█%```%' AND doc NOT LIKE '%<svg%', 'Markdown: the figure as a text chart')
FROM md;
SELECT ok(doc ~ '\| styring \| -0\.235\\\*\\\*\\\* \|', 'Markdown: stars escaped in the cells') FROM md;

-- 20-23: search_path: a hostile operator in the caller's path changes
-- nothing; an empty search_path works with a qualified name.  (The results
-- are kept in tables and compared once the path is back to normal.)
CREATE TABLE reference_freq AS SELECT * FROM survey_reg.frequencies('clients', 'individualisering');
CREATE TABLE reference_table AS SELECT l.* FROM spec, survey_reg.regression_table('clients', dep, blocks) l;
CREATE SCHEMA hostile;
CREATE FUNCTION hostile.never(float8, float8) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT false';
CREATE OPERATOR hostile.= (LEFTARG = float8, RIGHTARG = float8, FUNCTION = hostile.never);
CREATE FUNCTION hostile.never_text(text, text) RETURNS bool LANGUAGE sql IMMUTABLE AS 'SELECT false';
CREATE OPERATOR hostile.= (LEFTARG = text, RIGHTARG = text, FUNCTION = hostile.never_text);
SET LOCAL search_path = hostile, pg_catalog, public;
CREATE TABLE public.hostile_effect AS SELECT NOT (1::float8 = 1::float8) AND NOT ('a'::text = 'a'::text) AS in_effect;
CREATE TABLE public.hostile_freq AS SELECT * FROM survey_reg.frequencies('clients', 'individualisering');
CREATE TABLE public.hostile_table AS SELECT l.* FROM public.spec s,
	survey_reg.regression_table('clients', s.dep, s.blocks) l;
SET LOCAL search_path = '';
CREATE TABLE public.empty_path AS SELECT n FROM survey_reg.frequencies('public.clients', 'individualisering')
	WHERE kind = 'total';
RESET search_path;
SELECT ok(in_effect, 'the hostile operators were in effect for the caller') FROM hostile_effect;
SELECT is((SELECT array_agg(row(f.*)::text) FROM hostile_freq f),
	(SELECT array_agg(row(f.*)::text) FROM reference_freq f),
	'frequencies unchanged under a hostile search_path');
SELECT is((SELECT array_agg(row(l.*)::text ORDER BY l.row_no) FROM hostile_table l),
	(SELECT array_agg(row(l.*)::text ORDER BY l.row_no) FROM reference_table l),
	'regression_table unchanged under a hostile search_path');
SELECT is((SELECT n FROM empty_path), 1377::float8, 'empty search_path: the qualified relation resolves');

-- 24-25: the caller's privileges apply (the SQLSTATE of q run as role r)
CREATE FUNCTION pg_temp.sqlstate_as(r text, q text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
	EXECUTE format('SET LOCAL ROLE %I', r);
	BEGIN
		EXECUTE q;
	EXCEPTION WHEN OTHERS THEN
		RESET ROLE;
		RETURN SQLSTATE;
	END;
	RESET ROLE;
	RETURN 'no error';
END
$f$;
CREATE ROLE survey_report_reader;
GRANT USAGE ON SCHEMA survey_reg TO survey_report_reader;
SELECT is(pg_temp.sqlstate_as('survey_report_reader',
		$$SELECT * FROM survey_reg.frequencies('public.clients', 'individualisering')$$),
	'42501', 'frequencies: no SELECT privilege, no frequencies');
SELECT is(pg_temp.sqlstate_as('survey_report_reader',
		$$SELECT survey_reg.report('public.clients', 'individualisering', ARRAY['styring'])$$),
	'42501', 'report: no SELECT privilege, no report');

-- 26-27: relation and column errors
SELECT throws_ok($$SELECT * FROM survey_reg.frequency_table('nope', 'x')$$, '42P01', NULL,
	'unknown relation');
SELECT throws_ok($$SELECT * FROM survey_reg.frequencies('clients', 'x; DROP TABLE survey')$$, '42703',
	'column "x; DROP TABLE survey" of relation "clients" does not exist', 'a column name is a name, never SQL');

-- 28-42: the optional sections survey_means => and logistic => are the
-- formatted tables survey_means_table and logistic_table (whose numbers
-- test/survey_means_vs_r.sql, sql/survey_means.sql and
-- test/logistic_table.sql check against R) with the same options and
-- style, in HTML and Markdown, English and Norwegian.  A section's rows
-- are compared as text: the stub and the cells of each row, " | "
-- between them (trailing empty cells left out).
CREATE VIEW clients_enig AS SELECT *, effektiv >= 3 AS enig FROM clients;
CREATE FUNCTION pg_temp.row_text(cells text[]) RETURNS text LANGUAGE sql AS
$f$ SELECT regexp_replace(array_to_string(cells, ' | '), '( \| )+$', '') $f$;
-- the rows of a formatted table, as rendered (no title and notes)
CREATE FUNCTION pg_temp.table_text(label text, cells text[], kind text) RETURNS text LANGUAGE sql AS
$f$ SELECT CASE WHEN kind NOT IN ('title', 'note') THEN pg_temp.row_text(ARRAY[label] || cells) END $f$;
-- the caption and rows of the HTML table with id tid
-- (the text of HTML: tags out, entities back)
CREATE FUNCTION pg_temp.html_text(h text) RETURNS text LANGUAGE sql AS
$f$ SELECT replace(replace(replace(replace(regexp_replace(h, '<[^>]*>', '', 'g'),
	'&nbsp;', ' '), '&lt;', '<'), '&gt;', '>'), '&amp;', '&') $f$;
CREATE FUNCTION pg_temp.html_rows(doc text, tid text) RETURNS text[] LANGUAGE sql AS $f$
	SELECT ARRAY[pg_temp.html_text(substring(t from '<caption>(.*?)</caption>'))]
		|| ARRAY(SELECT pg_temp.row_text(string_to_array(pg_temp.html_text(
				regexp_replace(m[1], '</t[dh]>', chr(31), 'g')), chr(31)))
			FROM regexp_matches(t, '<tr[^>]*?>(.*?)</tr>', 'g') m)
	FROM substring(doc from format('<table class="pub" id="%s">.*?</table>', tid)) t
$f$;
-- the caption and rows of the Markdown table whose caption starts with cap
CREATE FUNCTION pg_temp.md_rows(doc text, cap text) RETURNS text[] LANGUAGE sql AS $f$
	WITH l AS (SELECT x, o FROM regexp_split_to_table(doc, E'\n') WITH ORDINALITY u(x, o)),
	c AS (SELECT min(o) AS o FROM l WHERE starts_with(x, cap)),
	e AS (SELECT min(l.o) AS o FROM l, c WHERE l.o > c.o + 2 AND NOT starts_with(l.x, '|'))
	SELECT ARRAY(SELECT x FROM l, c WHERE l.o = c.o)
		|| ARRAY(SELECT pg_temp.row_text(string_to_array(regexp_replace(regexp_replace(
				substr(l.x, 3, length(l.x) - 4), '(?<!\\)\*\*', '', 'g'), '\\(.)', '\1', 'g'), ' | '))
			FROM l, c, e WHERE l.o > c.o AND l.o < e.o AND starts_with(l.x, '|')
				AND l.x !~ '^\|:---\|' ORDER BY l.o)
$f$;
CREATE TABLE opts AS SELECT
	'{"variables": ["individualisering", "enig"], "strata": "kontorstorrelse",
		"cluster": "office_id", "by": "tilsettingsforhold"}'::jsonb AS sm,
	'{"dependent": "enig", "blocks": ["styring, arbeidsbelastning", "factor(kontorstorrelse), kjonn, alder"],
		"se": "cluster", "cluster": "office_id", "weight": null,
		"block_labels": ["Management", "Office"]}'::jsonb AS lg;
-- English HTML with the report's weight: survey_means takes it (no weight
-- key), logistic does not ("weight": null)
CREATE TABLE html2 AS SELECT survey_reg.report('clients_enig', dep, blocks, weight => 'weight',
	labels => '{"enig": "Agrees"}', generated_at => NULL, survey_means => sm, logistic => lg) AS doc
FROM spec, opts;
SELECT is(pg_temp.html_rows(doc, 'table-survey-means'),
	ARRAY['Table 2. Design-based estimates'] || ARRAY(SELECT pg_temp.table_text(label, cells, kind)
		FROM survey_reg.survey_means_table('clients_enig', ARRAY['individualisering', 'enig'],
			weight => 'weight', strata => 'kontorstorrelse', cluster => 'office_id',
			by => 'tilsettingsforhold', labels => '{"enig": "Agrees"}')
		WHERE kind <> 'title' ORDER BY row_no),
	'report, survey_means section: the rows of survey_means_table (the report''s weight)') FROM html2;
SELECT is(pg_temp.html_rows(doc, 'table-logistic'),
	ARRAY(SELECT 'Table 4. ' || label FROM survey_reg.logistic_table('clients_enig', 'enig',
			ARRAY['styring, arbeidsbelastning', 'factor(kontorstorrelse), kjonn, alder'],
			se => 'cluster', cluster => 'office_id', block_labels => ARRAY['Management', 'Office'],
			labels => '{"enig": "Agrees"}') WHERE kind = 'title')
		|| ARRAY(SELECT pg_temp.table_text(label, cells, kind)
		FROM survey_reg.logistic_table('clients_enig', 'enig',
			ARRAY['styring, arbeidsbelastning', 'factor(kontorstorrelse), kjonn, alder'],
			se => 'cluster', cluster => 'office_id', block_labels => ARRAY['Management', 'Office'],
			labels => '{"enig": "Agrees"}')
		WHERE kind NOT IN ('title', 'note') ORDER BY row_no),
	'report, logistic section: the rows of logistic_table (unweighted: "weight": null)') FROM html2;
SELECT is(ARRAY(SELECT m[1] FROM regexp_matches(doc, '<section id="([a-z-]+)">', 'g') m),
	'{descriptives,distribution,survey-means,regression,logistic,correlations}',
	'report: the sections in order, survey means before the regression, logistic after it') FROM html2;
SELECT ok(doc LIKE '%<table class="pub" id="table-logistic">%</table>' || E'\n'
		|| '<p class="tnote">* p &lt; 0.05; ** p &lt; 0.01; *** p &lt; 0.001</p>%'
	AND doc LIKE '%Table 5.</b> Correlations%',
	'report, logistic section: the stars note; the correlations renumbered') FROM html2;

-- Norwegian Markdown with a decimal comma, no report weight: survey_means
-- takes its own weight key, in a domain
CREATE TABLE md2 AS SELECT survey_reg.report('clients_enig', dep, blocks, format => 'markdown',
	language => 'nb', decimal_mark => ',', leading_zero => false, generated_at => NULL,
	survey_means => sm || '{"weight": "weight", "domain": "enig", "by": null}',
	logistic => lg - 'block_labels') AS doc
FROM spec, opts;
SELECT is(pg_temp.md_rows(doc, '**Tabell 2.**'),
	ARRAY['**Tabell 2.** Designbaserte estimater (domene: enig)'] || ARRAY(SELECT pg_temp.table_text(label, cells, kind)
		FROM survey_reg.survey_means_table('clients_enig', ARRAY['individualisering', 'enig'],
			weight => 'weight', strata => 'kontorstorrelse', cluster => 'office_id',
			domain => 'enig', decimal_mark => ',', language => 'nb')
		WHERE kind <> 'title' ORDER BY row_no),
	'report, nb Markdown: the survey_means section is survey_means_table''s, in Norwegian') FROM md2;
SELECT is(pg_temp.md_rows(doc, '**Tabell 4.**'),
	ARRAY(SELECT '**Tabell 4.** ' || label FROM survey_reg.logistic_table('clients_enig', 'enig',
			ARRAY['styring, arbeidsbelastning', 'factor(kontorstorrelse), kjonn, alder'],
			se => 'cluster', cluster => 'office_id', decimal_mark => ',', leading_zero => false,
			language => 'nb') WHERE kind = 'title')
		|| ARRAY(SELECT pg_temp.table_text(label, cells, kind)
		FROM survey_reg.logistic_table('clients_enig', 'enig',
			ARRAY['styring, arbeidsbelastning', 'factor(kontorstorrelse), kjonn, alder'],
			se => 'cluster', cluster => 'office_id', decimal_mark => ',', leading_zero => false,
			language => 'nb')
		WHERE kind NOT IN ('title', 'note') ORDER BY row_no),
	'report, nb Markdown: the logistic section is logistic_table''s, in Norwegian') FROM md2;
SELECT ok(doc LIKE '%Designbaserte estimater%Gjennomsnitt / \%%95 \% KI%Logistisk regresjon med enig som avhengig variabel. N=%Oddsratio \\[95 \% KI\\]%Blokk 2%Endring i χ²%'
	AND doc NOT LIKE '%****%', 'report, nb Markdown: Norwegian captions; no empty bold label') FROM md2;
-- Norwegian HTML: the same words
SELECT ok(survey_reg.report('clients_enig', dep, blocks, language => 'nb', generated_at => NULL,
		survey_means => sm, logistic => lg)
	~ 'Tabell 2\.</b> Designbaserte estimater</span>.*>Gruppe</th>.*Tabell 4\.</b> Logistisk regresjon.*Oddsratio \[95 % KI\]',
	'report, nb HTML: Norwegian captions') FROM spec, opts;
-- captions => overrides the sections' words as any other
SELECT ok(survey_reg.report('clients_enig', dep, blocks, format => 'markdown', generated_at => NULL,
		captions => '{"title_survey_means": "Survey estimates{domain}", "title_logistic": "Logit of {dependent}", "ci95": "Interval"}',
		survey_means => sm, logistic => lg || '{"title": "Own title"}')
	~ '\*\*Table 2\.\*\* Survey estimates\n.*\| Interval \|.*\*\*Table 4\.\*\* Own title\n',
	'report: captions => and a title key replace the sections'' words') FROM spec, opts;

-- the logistic section passes on the design arguments (design SE with
-- strata, clusters, probability weights and a domain)
CREATE VIEW clients_dom AS SELECT *, alder >= 40 AS dom FROM clients_enig;
SELECT is(pg_temp.html_rows(survey_reg.report('clients_dom', 'individualisering', ARRAY['styring'],
		generated_at => NULL, logistic => '{"dependent": "enig", "blocks": ["styring, arbeidsbelastning"],
			"weight": "weight", "weight_type": "probability", "se": "design",
			"strata": "kontorstorrelse", "cluster": "office_id", "domain": "dom"}'), 'table-logistic'),
	ARRAY(SELECT 'Table 3. ' || label FROM survey_reg.logistic_table('clients_dom', 'enig',
			ARRAY['styring, arbeidsbelastning'], weight => 'weight', weight_type => 'probability',
			se => 'design', strata => 'kontorstorrelse', cluster => 'office_id', domain => 'dom')
		WHERE kind = 'title')
		|| ARRAY(SELECT pg_temp.table_text(label, cells, kind)
		FROM survey_reg.logistic_table('clients_dom', 'enig',
			ARRAY['styring, arbeidsbelastning'], weight => 'weight', weight_type => 'probability',
			se => 'design', strata => 'kontorstorrelse', cluster => 'office_id', domain => 'dom')
		WHERE kind NOT IN ('title', 'note') ORDER BY row_no),
	'report, logistic section: the design arguments (strata, cluster, domain) reach logistic_table');

-- bad options: 22023 with what is wrong
SELECT throws_ok($$SELECT survey_reg.report('clients_enig', 'individualisering', ARRAY['styring'],
		survey_means => '["enig"]')$$, '22023', 'survey_means must be a jsonb object',
	'report: survey_means not an object');
SELECT throws_ok($$SELECT survey_reg.report('clients_enig', 'individualisering', ARRAY['styring'],
		survey_means => '{"variables": ["enig"], "stratum": "kontorstorrelse"}')$$, '22023',
	'unknown key "stratum" in survey_means', 'report: an unknown key of survey_means');
SELECT throws_ok($$SELECT survey_reg.report('clients_enig', 'individualisering', ARRAY['styring'],
		survey_means => '{"variables": "enig"}')$$, '22023',
	'key "variables" of survey_means must be an array of strings', 'report: a list given as a string');
SELECT throws_ok($$SELECT survey_reg.report('clients_enig', 'individualisering', ARRAY['styring'],
		logistic => '{"blocks": ["styring"], "dependent": null}')$$, '22023',
	'logistic needs the key "dependent"', 'report: logistic without its dependent');
SELECT throws_ok($$SELECT survey_reg.report('clients_enig', 'individualisering', ARRAY['styring'],
		logistic => '{"dependent": "enig", "blocks": ["styring", 1], "intercept": true}')$$, '22023',
	'key "blocks" of logistic must be an array of strings', 'report: a number among the blocks');
-- (checked before any scan: the missing column is not reached)
SELECT throws_ok($$SELECT survey_reg.report('clients_enig', 'no_such_column', ARRAY['styring'],
		logistic => '{"dependent": "enig", "blocks": ["styring"], "se": ["hc1"]}')$$, '22023',
	'key "se" of logistic must be a string', 'report: the options are checked before the analyses run');

SELECT * FROM finish();
ROLLBACK;
