-- Publication tables: the article's Table 1, Table 2 and appendix table
-- rebuilt from its published summary statistics (moments_from_matrix with
-- N = 1377, the appendix correlations with individualisering x
-- tilsettingsforhold read as +0.065, see test/data/paper/README.md),
-- each printed in both decimal styles: the default (0.235) and the
-- article's (-,235: decimal comma, no leading zero for statistics bounded
-- by 1).  Then frequencies (SPSS FREQUENCIES), the text bar chart,
-- reliability, the Markdown report and the errors, on small tables.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET extra_float_digits = 0;

CREATE TABLE pub AS
SELECT survey_reg.moments_from_matrix(
	ARRAY['individualisering', 'arbeidsbelastning', 'ratio', 'styring',
		'tiltakskunnskap', 'kjonn', 'alder', 'tilsettingsforhold',
		'kontorstorrelse', 'effektiv'],
	1377,
	ARRAY[[1, -0.175, -0.083, -0.235, 0.298, -0.069, -0.031, 0.065, -0.027, 0.130],
		[-0.175, 1, 0.283, 0.179, -0.120, -0.011, -0.051, 0.049, 0.043, -0.031],
		[-0.083, 0.283, 1, 0.072, 0.012, -0.020, -0.045, 0.168, -0.024, 0.001],
		[-0.235, 0.179, 0.072, 1, -0.055, -0.017, 0.049, 0.026, 0.059, -0.015],
		[0.298, -0.120, 0.012, -0.055, 1, -0.051, 0.105, 0.148, -0.028, 0.093],
		[-0.069, -0.011, -0.020, -0.017, -0.051, 1, 0.031, 0.038, -0.029, -0.047],
		[-0.031, -0.051, -0.045, 0.049, 0.105, 0.031, 1, 0.153, -0.092, -0.046],
		[0.065, 0.049, 0.168, 0.026, 0.148, 0.038, 0.153, 1, 0.041, -0.074],
		[-0.027, 0.043, -0.024, 0.059, -0.028, -0.029, -0.092, 0.041, 1, -0.027],
		[0.130, -0.031, 0.001, -0.015, 0.093, -0.047, -0.046, -0.074, -0.027, 1]]::float8[],
	-- Table 1 means and SDs; the dummies' means are the shares of 1
	ARRAY[2.80, 1.60, 2.47, 1.92, 2.94, 0.202, 47.7, 0.545, 1.51, 2.59],
	ARRAY[0.89, 0.61, 1.77, 0.98, 0.93, 0.4015, 10.8, 0.498, 1.14, 0.90]) AS m;

-- the article's labels (Norwegian), used by several tables below
CREATE TABLE nb_labels AS SELECT '{
	"individualisering": "Individualisering av aktivitetskrav",
	"styring": "Mål og tiltaksstyring",
	"arbeidsbelastning": "Arbeidsbelastning",
	"ratio": "Bruker-veileder-ratio",
	"kontorstorrelse": "Kontorstørrelse",
	"tilsettingsforhold": "Tilsetningsforhold",
	"effektiv": "Aktivitetskrav effektiv?",
	"tiltakskunnskap": "Tiltakskunnskap",
	"kjonn": "Kjønn",
	"alder": "Alder",
	"tilsettingsforhold=0": "kommunalt tilsatte",
	"kjonn=0": "kvinner"}'::jsonb AS labels;

\pset format unaligned
\pset tuples_only on

-- ---- Table 2: hierarchical OLS, standardized coefficients ----
-- Article: -,235*** / -,210*** -,128*** -,046 -,012 ,084** / -,195***
-- -,095** -,060 -,010 ,065* ,099** ,262*** -,051 -,061*; adjusted R²
-- ,054 ,077 ,160.  Default style:
SELECT line FROM survey_reg.regression_table((SELECT m FROM pub), 'individualisering',
	ARRAY['styring', 'arbeidsbelastning, ratio, kontorstorrelse, tilsettingsforhold',
		'effektiv, tiltakskunnskap, kjonn, alder']);

-- the article's style and words
SELECT line FROM survey_reg.regression_table((SELECT m FROM pub), 'individualisering',
	ARRAY['styring', 'arbeidsbelastning, ratio, kontorstorrelse, tilsettingsforhold',
		'effektiv, tiltakskunnskap, kjonn, alder'],
	block_labels => ARRAY['Styringsnivå', 'Organisasjonsnivå', 'Individnivå'],
	summary => ARRAY['adj_r2'], decimal_mark => ',', leading_zero => false,
	labels => (SELECT labels FROM nb_labels), language => 'nb',
	title => 'Tabell 2. OLS regresjon med individualisering av aktivitetskrav som avhengig variabel. Standardiserte koeffisienter. N={n}');

-- unstandardized with standard errors, every summary row, own model labels
SELECT line FROM survey_reg.regression_table((SELECT m FROM pub), 'individualisering',
	ARRAY['styring', 'arbeidsbelastning, ratio'], statistic => 'b_se',
	model_labels => ARRAY['(1)', '(2)'],
	summary => ARRAY['n', 'r', 'r2', 'adj_r2', 'r2_change', 'f', 'f_change', 'se_estimate'],
	digits => 2, block_labels => ARRAY['', 'Organisation'], title => '');

-- the cells as data: one text per model, '' before a term enters
\pset tuples_only off
\pset format aligned
SELECT row_no, kind, label, cells
FROM survey_reg.regression_table((SELECT m FROM pub), 'individualisering',
	ARRAY['styring', 'arbeidsbelastning'], statistic => 'b', decimal_mark => ',');
\pset format unaligned
\pset tuples_only on

-- ---- Appendix table 1: correlations, lower triangle ----
-- default style, default stars
SELECT line FROM survey_reg.correlation_table((SELECT m FROM pub),
	ARRAY['individualisering', 'arbeidsbelastning', 'ratio', 'styring', 'tiltakskunnskap']);
-- the article's style (decimal comma, no leading zero, SPSS-style ** at
-- p < .01 at most), every variable, numbered columns
SELECT line FROM survey_reg.correlation_table((SELECT m FROM pub),
	ARRAY['individualisering', 'arbeidsbelastning', 'ratio', 'styring', 'tiltakskunnskap',
		'kjonn', 'alder', 'tilsettingsforhold', 'kontorstorrelse', 'effektiv'],
	numbered => true, decimal_mark => ',', leading_zero => false,
	star_levels => '{0.05,0.01}', labels => (SELECT labels FROM nb_labels), language => 'nb');

-- ---- Table 1: descriptives ----
-- default style: mean and SD, the dummies as shares of 1
SELECT line FROM survey_reg.descriptives_table((SELECT m FROM pub),
	ARRAY['individualisering', 'styring', 'arbeidsbelastning', 'alder', 'tilsettingsforhold', 'kjonn'],
	dummies => ARRAY['tilsettingsforhold', 'kjonn']);
-- the article's layout: a Scale column, three significant figures (47,7
-- and 10,8 next to 2,80 and 0,89), the dummies as shares of 0 with labels
SELECT line FROM survey_reg.descriptives_table((SELECT m FROM pub),
	ARRAY['individualisering', 'styring', 'arbeidsbelastning', 'ratio', 'kontorstorrelse',
		'tiltakskunnskap', 'effektiv', 'alder', 'tilsettingsforhold', 'kjonn'],
	dummies => ARRAY['tilsettingsforhold=0', 'kjonn=0'],
	scales => '{"individualisering": "0-4", "styring": "0-4", "arbeidsbelastning": "0-3",
		"ratio": "0-6", "kontorstorrelse": "0-3", "tiltakskunnskap": "0-4", "effektiv": "0-4",
		"alder": "20-70 år", "tilsettingsforhold": "0-1 (0=kommunalt tilsatte)",
		"kjonn": "0-1 (0=kvinner)"}',
	significant => 3, decimal_mark => ',', labels => (SELECT labels FROM nb_labels),
	language => 'nb', title => 'Tabell 1. Deskriptiv statistikk (N={n})');

-- ---- frequencies, on a small table ----
CREATE TABLE likert (id int, q float8, a float8, b float8, c float8, w float8);
INSERT INTO likert VALUES
	(1, 0, 1, 1, 2, 1), (2, 1, 2, 1, 2, 2), (3, 2, 2, 3, 3, 1),
	(4, 2, 3, 3, 2, 0.5), (5, 3, 3, 4, 4, 1), (6, 3, 4, 4, 3, 1),
	(7, 3, 4, 3, 4, 2), (8, 4, 5, 5, 5, 1), (9, NULL, 1, 2, 1, 1),
	(10, 'NaN', 2, 2, 2, 1), (11, 2.5, 3, 2, 3, 0), (12, 4, NULL, 4, 5, NULL);

\pset tuples_only off
\pset format aligned
-- unweighted: 12 rows, 10 valid (NULL and NaN are missing)
SELECT value, label, n, round(percent::numeric, 4) AS percent,
	round(valid_percent::numeric, 4) AS valid_percent,
	round(cumulative_percent::numeric, 4) AS cumulative_percent, kind
FROM survey_reg.frequencies('likert', 'q');
-- weighted (frequency weights; zero and NULL weights skip the row), with
-- value labels: the labelled value 1.5 that nobody chose has n = 0
SELECT value, label, n, round(percent::numeric, 4) AS percent,
	round(valid_percent::numeric, 4) AS valid_percent,
	round(cumulative_percent::numeric, 4) AS cumulative_percent, kind
FROM survey_reg.frequencies('likert', 'q', weight => 'w',
	value_labels => '{"0": "never", "1.5": "sometimes", "4": "always"}');
-- the weighted counts equal the rows replicated
SELECT f.value, f.n AS weighted_n, r.n AS replicated_n
FROM survey_reg.frequencies('likert', 'q', weight => 'w') f
JOIN (SELECT q, count(*)::float8 AS n FROM likert, generate_series(1, (w * 2)::int)
	WHERE w > 0 GROUP BY q) r ON r.q = f.value
WHERE f.kind = 'value' AND f.n * 2 <> r.n;
\pset format unaligned
\pset tuples_only on

SELECT line FROM survey_reg.frequency_table('likert', 'q');
SELECT line FROM survey_reg.frequency_table('likert', 'q', weight => 'w',
	value_labels => '{"0": "aldri", "4": "alltid"}', decimal_mark => ',', language => 'nb');

-- the text bar chart: largest bar 20 characters, in eighths
SELECT line FROM survey_reg.frequency_chart('likert', 'q', width => 20);
SELECT line FROM survey_reg.frequency_chart('likert', 'q', width => 10, bar => '#',
	statistic => 'percent', decimal_mark => ',', title => '');

-- ---- reliability ----
SELECT line FROM survey_reg.reliability_table('likert', ARRAY['abc', 'ab'],
	ARRAY['a, b, c', 'a,b']);
SELECT line FROM survey_reg.reliability_table('likert', ARRAY['abc'], ARRAY['a, b, c'],
	statistics => ARRAY['n', 'alpha', 'std_alpha', 'alpha_ci', 'min_r', 'max_r'],
	decimal_mark => ',', leading_zero => false, language => 'nb');

-- ---- an aliased predictor: its cells say so ----
CREATE TABLE collinear AS
SELECT i::float8 AS x1, (i * i % 7)::float8 AS x2, (i + i * i % 7)::float8 AS x3,
	(i % 5 + i * i % 3)::float8 AS y
FROM generate_series(1, 30) i;
SET client_min_messages = warning;	-- (the NOTICE naming x3 is regression.c's)
SELECT line FROM survey_reg.regression_table('collinear', 'y', ARRAY['x1, x2', 'x3'],
	summary => ARRAY['n', 'r2'], title => '');
RESET client_min_messages;

-- ---- the Markdown report: every text escaped (stars, pipes, brackets) ----
SELECT survey_reg.report('likert', 'a', ARRAY['b', 'c'], figure_variable => 'q',
	indices => ARRAY['abc'], index_items => ARRAY['a, b, c'],
	labels => '{"a": "Item | a", "b": "Item_b"}', note => 'SYNTHETIC *test* data',
	title => 'Report <test>', format => 'markdown', generated_at => NULL);

-- ---- number formatting ----
\pset tuples_only off
\pset format aligned
SELECT x, survey_reg.format_number(x, 3) AS plain,
	survey_reg.format_number(x, 3, ',', false) AS article,
	survey_reg.format_number(x, 1, '.', false) AS one_digit
FROM unnest(ARRAY[-0.2345, 0.0004, -0.0004, 1.5, -12.25, 0.9996, 'NaN', '-Infinity']::float8[]) x;
SELECT p, survey_reg.stars(p) AS stars, survey_reg.stars(p, '{0.1}') AS ten_percent
FROM unnest(ARRAY[0.2, 0.05, 0.049, 0.0099, 0.0009, NULL, 'NaN']::float8[]) p;

-- search_path independence: the functions work with an empty search_path
-- (the relation then schema-qualified) and resolve a relation in the
-- caller's search_path otherwise
CREATE SCHEMA other;
CREATE TABLE other.likert AS SELECT * FROM likert WHERE id <= 4;
SET search_path = '';
SELECT n FROM survey_reg.frequencies('public.likert', 'q') WHERE kind = 'total';
SET search_path = other, public;
SELECT n FROM survey_reg.frequencies('likert', 'q') WHERE kind = 'total';
RESET search_path;

-- ---- errors ----
SELECT * FROM survey_reg.frequencies('no_such_table', 'q');
SELECT * FROM survey_reg.frequencies('likert', 'no_such_column');
SELECT * FROM survey_reg.frequencies('likert', 'q', weight => 'nope');
SELECT * FROM survey_reg.frequencies('likert', 'q', value_labels => '{"x": "bad key"}');
SELECT * FROM survey_reg.frequencies('likert', 'q', value_labels => '["not", "an object"]');
UPDATE likert SET w = -1 WHERE id = 1;
SELECT * FROM survey_reg.frequencies('likert', 'q', weight => 'w');
SELECT survey_reg.format_number(1, 2, ';');
SELECT survey_reg.format_number(1, -1);
SELECT line FROM survey_reg.regression_table((SELECT m FROM pub), 'individualisering',
	ARRAY['styring'], statistic => 'gamma');
SELECT line FROM survey_reg.regression_table((SELECT m FROM pub), 'individualisering',
	ARRAY['styring'], summary => ARRAY['aic']);
SELECT line FROM survey_reg.regression_table((SELECT m FROM pub), 'individualisering',
	ARRAY['styring'], language => 'sv');
SELECT line FROM survey_reg.regression_table((SELECT m FROM pub), 'individualisering',
	ARRAY['styring'], labels => '{"styring": 1}');
SELECT line FROM survey_reg.regression_table((SELECT m FROM pub), 'individualisering',
	ARRAY['styring'], star_levels => '{0.05,1.5}');
SELECT line FROM survey_reg.descriptives_table((SELECT m FROM pub), ARRAY['alder'],
	dummies => ARRAY['kjonn']);
SELECT line FROM survey_reg.descriptives_table((SELECT m FROM pub), ARRAY['nope']);
SELECT line FROM survey_reg.descriptives_table((SELECT m FROM pub), statistics => ARRAY['median']);
SELECT line FROM survey_reg.descriptives_table('likert', ARRAY['a', 'q'], dummies => ARRAY['a']);
SELECT line FROM survey_reg.reliability_table('likert', ARRAY['abc', 'ab'], ARRAY['a, b, c']);
SELECT line FROM survey_reg.frequency_chart('likert', 'q', width => 0);
SELECT survey_reg.report('likert', 'a', ARRAY['b'], format => 'pdf');
