-- survey_reg demo, part 5: publication tables and the report, straight from
-- SQL.  The data are SYNTHETIC (data/generate_sample_survey.R), made to
-- resemble the published Nav 2018 survey (Terum & Sadeghi); they are not the
-- study's data, and every table below says so.
--
-- Printed in the article's layout and decimal style (decimal comma, no
-- leading zero for statistics bounded by 1: -,235): Table 1, Figure 1 as a
-- text bar chart, the reliability of the two indices, Table 2 and the
-- appendix correlation matrix.  Then the whole analysis is written as one
-- self-contained HTML document to demo/out/survey_report.html (and as
-- Markdown to demo/out/survey_report.md), paths relative to the repository
-- root, where tools/demo.sh runs psql.
\set QUIET on
\pset footer off
\echo
\echo '=== Publication tables and the report (SYNTHETIC sample survey) ==='

-- the analysis sample with the two indices built from the raw items
CREATE OR REPLACE VIEW survey_analysis AS
SELECT respondent_id, office_id, weight, individualisering,
	styring_a, styring_b,
	survey_reg.reverse(belast_tid, 0, 3) AS belast_tid_r,
	survey_reg.reverse(belast_krav, 0, 3) AS belast_krav_r,
	belast_stor,
	survey_reg.mean_index(ARRAY[styring_a, styring_b]) AS styring,
	survey_reg.mean_index(ARRAY[survey_reg.reverse(belast_tid, 0, 3),
		survey_reg.reverse(belast_krav, 0, 3), belast_stor]) AS arbeidsbelastning,
	ratio, kontorstorrelse, tilsettingsforhold, effektiv, tiltakskunnskap,
	kjonn, alder
FROM sample_survey
WHERE follows_up_clients;

-- a binary outcome for the report's logistic regression: agrees (3 or 4)
-- that activity requirements are effective
CREATE OR REPLACE VIEW survey_analysis_enig AS
SELECT *, effektiv >= 3 AS enig FROM survey_analysis;

-- the article's labels, scales and value labels (Norwegian)
\set labels '{"enig": "Enig: aktivitetskrav effektivt", "individualisering": "Individualisering av aktivitetskrav", "styring": "Mål- og tiltaksstyring", "arbeidsbelastning": "Arbeidsbelastning", "ratio": "Bruker-veileder-ratio", "kontorstorrelse": "Kontorstørrelse", "tiltakskunnskap": "Tiltakskunnskap", "effektiv": "Aktivitetskrav effektivt?", "alder": "Alder", "tilsettingsforhold": "Tilsettingsforhold", "kjonn": "Kjønn", "tilsettingsforhold=0": "kommunalt tilsatte", "kjonn=0": "kvinner"}'
\set scales '{"individualisering": "0-4 (0=lav grad av individualisering)", "styring": "0-4 (0=lav grad av mål- og tiltaksstyring)", "arbeidsbelastning": "0-3 (0=lav grad av arbeidsbelastning)", "ratio": "0-6 (0=under 25 ... 6=over 150)", "kontorstorrelse": "0-3 (0=inntil 25 ansatte ... 3=over 100)", "tiltakskunnskap": "0-4 (0=lav grad av kunnskap)", "effektiv": "0-4 (0=lav grad av enighet)", "alder": "20-70 år", "tilsettingsforhold": "0-1 (0=kommunalt tilsatte)", "kjonn": "0-1 (0=kvinner)"}'
\set agree '{"0": "Svært uenig", "1": "Uenig", "2": "Verken enig eller uenig", "3": "Enig", "4": "Svært enig"}'

\pset format unaligned
\pset tuples_only on
\echo
SELECT line FROM survey_reg.descriptives_table('survey_analysis',
	ARRAY['individualisering', 'styring', 'arbeidsbelastning', 'ratio', 'kontorstorrelse',
		'tiltakskunnskap', 'effektiv', 'alder', 'tilsettingsforhold', 'kjonn'],
	dummies => ARRAY['tilsettingsforhold=0', 'kjonn=0'], scales => :'scales',
	significant => 3, decimal_mark => ',', labels => :'labels', language => 'nb',
	title => 'Tabell 1. Deskriptiv statistikk (N={n}). SYNTETISKE DATA (synthetic)');

\echo
\echo 'Figur 1. Grad av enighet (%) med påstand om individualisering av aktivitetskrav. SYNTETISKE DATA'
\echo '(Jeg velger aktivitetskrav som er nøye tilpasset behovet til den enkelte bruker)'
SELECT line FROM survey_reg.frequency_chart('survey_analysis', 'individualisering',
	value_labels => :'agree', width => 50, decimal_mark => ',', language => 'nb', title => '');
SELECT 'Andel enige (enig + svært enig): ' || survey_reg.format_number(sum(valid_percent), 1, ',') || '%'
	|| ' (artikkelen: 69 %)'
FROM survey_reg.frequencies('survey_analysis', 'individualisering') WHERE value >= 3;

\echo
SELECT line FROM survey_reg.reliability_table('survey_analysis',
	ARRAY['styring', 'arbeidsbelastning'],
	ARRAY['styring_a, styring_b', 'belast_tid_r, belast_krav_r, belast_stor'],
	decimal_mark => ',', leading_zero => false, labels => :'labels', language => 'nb',
	title => 'Reliabilitet for indeksene. SYNTETISKE DATA (artikkelen: inter-item r ,26 og alfa ,718)');

\echo
SELECT line FROM survey_reg.regression_table('survey_analysis', 'individualisering',
	ARRAY['styring', 'arbeidsbelastning, ratio, kontorstorrelse, tilsettingsforhold',
		'effektiv, tiltakskunnskap, kjonn, alder'],
	block_labels => ARRAY['Styringsnivå', 'Organisasjonsnivå', 'Individnivå'],
	summary => ARRAY['n', 'r2', 'adj_r2', 'r2_change'],
	decimal_mark => ',', leading_zero => false, labels => :'labels', language => 'nb',
	title => 'Tabell 2. OLS regresjon med individualisering av aktivitetskrav som avhengig variabel. Standardiserte koeffisienter. N={n}. SYNTETISKE DATA');

\echo
SELECT line FROM survey_reg.correlation_table('survey_analysis',
	ARRAY['individualisering', 'arbeidsbelastning', 'ratio', 'styring', 'tiltakskunnskap',
		'kjonn', 'alder', 'tilsettingsforhold', 'kontorstorrelse', 'effektiv'],
	numbered => true, decimal_mark => ',', leading_zero => false,
	labels => :'labels', language => 'nb',
	title => 'Vedleggstabell 1. Korrelasjoner mellom variabler som inngår i analysene (N={n}). SYNTETISKE DATA');

-- the whole analysis as one document: HTML (inline SVG figure, no external
-- assets) and Markdown, with the design-based estimates (office clusters in
-- office-size strata, sampling weights) and a logistic regression of
-- agreeing that activity requirements are effective
\set report_args 'ARRAY[''styring'', ''arbeidsbelastning, ratio, kontorstorrelse, tilsettingsforhold'', ''effektiv, tiltakskunnskap, kjonn, alder'']'
\set survey_means '{"variables": ["individualisering", "styring", "arbeidsbelastning", "enig"], "weight": "weight", "strata": "kontorstorrelse", "cluster": "office_id", "by": "tilsettingsforhold"}'
\set logistic '{"dependent": "enig", "blocks": ["styring, arbeidsbelastning", "ratio, tilsettingsforhold, tiltakskunnskap, kjonn, alder"], "se": "cluster", "cluster": "office_id", "block_labels": ["Styringsnivå", "Organisasjons- og individnivå"]}'
\o demo/out/survey_report.html
SELECT survey_reg.report('survey_analysis_enig', 'individualisering', :report_args,
	variables => ARRAY['individualisering', 'styring', 'arbeidsbelastning', 'ratio',
		'kontorstorrelse', 'tiltakskunnskap', 'effektiv', 'alder', 'tilsettingsforhold', 'kjonn'],
	dummies => ARRAY['tilsettingsforhold=0', 'kjonn=0'], scales => :'scales',
	indices => ARRAY['styring', 'arbeidsbelastning'],
	index_items => ARRAY['styring_a, styring_b', 'belast_tid_r, belast_krav_r, belast_stor'],
	value_labels => :'agree', labels => :'labels',
	block_labels => ARRAY['Styringsnivå', 'Organisasjonsnivå', 'Individnivå'],
	language => 'nb', decimal_mark => ',', leading_zero => false,
	title => 'Individualisering av aktivitetskrav: analyse av et SYNTETISK utvalg',
	note => 'SYNTETISKE DATA (SYNTHETIC): ingen rad er en virkelig person; utvalget er laget etter de publiserte tallene i Terum & Sadeghi (Nav-undersøkelsen 2018).',
	survey_means => :'survey_means', logistic => :'logistic');
\o demo/out/survey_report.md
SELECT survey_reg.report('survey_analysis_enig', 'individualisering', :report_args,
	variables => ARRAY['individualisering', 'styring', 'arbeidsbelastning', 'ratio',
		'kontorstorrelse', 'tiltakskunnskap', 'effektiv', 'alder', 'tilsettingsforhold', 'kjonn'],
	dummies => ARRAY['tilsettingsforhold=0', 'kjonn=0'],
	indices => ARRAY['styring', 'arbeidsbelastning'],
	index_items => ARRAY['styring_a, styring_b', 'belast_tid_r, belast_krav_r, belast_stor'],
	value_labels => :'agree', labels => :'labels',
	block_labels => ARRAY['Styringsnivå', 'Organisasjonsnivå', 'Individnivå'],
	language => 'nb', decimal_mark => ',', leading_zero => false,
	title => 'Individualisering av aktivitetskrav: analyse av et SYNTETISK utvalg',
	note => 'SYNTETISKE DATA (SYNTHETIC): ingen rad er en virkelig person.',
	survey_means => :'survey_means', logistic => :'logistic', format => 'markdown');
\o
\echo
\echo 'The whole analysis as one self-contained HTML document (inline SVG, no external assets):'
\echo '  demo/out/survey_report.html   (and as Markdown: demo/out/survey_report.md)'
