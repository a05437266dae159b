-- Column names of NAMEDATALEN (64) bytes or more are shortened to 63 bytes,
-- as the parser shortens identifiers, with its NOTICE 42622 (issue 19,
-- item 6); they were "column does not exist" before.
-- Negative control: on e8a2c9c the first test stops the file with 42703.
BEGIN;
SELECT plan(4);
SET LOCAL client_min_messages = warning;	-- the NOTICEs: sql/edge_notices.sql

-- the parser shortens the 68-byte name in CREATE TABLE to its first 63 bytes
CREATE TEMP TABLE longnames (
	a_column_name_that_is_seventy_bytes_long_which_is_more_than_63_bytes float8,
	y float8);
INSERT INTO longnames SELECT g % 7, g FROM generate_series(1, 50) g;

SELECT is((SELECT n FROM survey_reg.describe('longnames',
		ARRAY['a_column_name_that_is_seventy_bytes_long_which_is_more_than_63_bytes'])),
	50::float8, 'describe finds the column by its 68-byte name');
SELECT is((SELECT variable FROM survey_reg.describe('longnames',
		ARRAY['a_column_name_that_is_seventy_bytes_long_which_is_more_than_63_bytes'])),
	'a_column_name_that_is_seventy_bytes_long_which_is_more_than_63_', 'and names it as SQL does: 63 bytes');
SELECT is((SELECT count(*) FROM survey_reg.coefficients('longnames', 'y',
		ARRAY['a_column_name_that_is_seventy_bytes_long_which_is_more_than_63_bytes'])),
	2::bigint, 'a predictor''s long name too');

SELECT throws_ok($$SELECT * FROM survey_reg.describe('longnames',
		ARRAY['b_column_name_that_is_seventy_bytes_long_which_is_more_than_63_bytes'])$$,
	'42703', NULL, 'a long name whose first 63 bytes are no column: 42703');

SELECT * FROM finish();
ROLLBACK;
