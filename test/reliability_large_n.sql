-- The Feldt interval of Cronbach's alpha at large N (issue 12): with
-- (N - 1)(k - 1) > 400,000 R's qf calls dgamma, which PostgreSQL 18's
-- server also exports; bound to the server's, it crashed the backend.
-- Expectations: R (test/data/make_feldt_large_n_expected.R), to the bit
-- (the issue's value: alpha_ci_lower 0.748612202843621); run on every major.
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS survey_reg;
SELECT plan(4);

CREATE TEMP TABLE expected (n float8, k int, alpha float8,
	alpha_ci_lower float8, alpha_ci_upper float8);
\copy expected FROM 'test/data/feldt_large_n_expected.csv' WITH (FORMAT csv, HEADER)

CREATE TEMP TABLE got AS
SELECT r.* FROM survey_reg.reliability(survey_reg.moments_from_matrix(
	ARRAY['a', 'b', 'c'], 250001,
	ARRAY[[1, .5, .5], [.5, 1, .5], [.5, .5, 1]]::float8[])) r;

SELECT is((SELECT alpha FROM got), (SELECT alpha FROM expected), 'alpha as R');
SELECT is((SELECT alpha_ci_lower FROM got), (SELECT alpha_ci_lower FROM expected),
	'Feldt lower bound at N = 250001 as R''s qf (df2 = 500000)');
SELECT is((SELECT alpha_ci_upper FROM got), (SELECT alpha_ci_upper FROM expected),
	'Feldt upper bound at N = 250001 as R''s qf (df2 = 500000)');
SELECT is((SELECT alpha_ci_lower::numeric(16, 15) FROM got), 0.748612202843621,
	'the issue''s value, 15 decimals');

SELECT * FROM finish();
ROLLBACK;
