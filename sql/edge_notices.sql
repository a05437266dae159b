-- NOTICEs at the edges (issue 19, item 6): lonely_psu => 'average' when
-- every stratum has one PSU (NULL SEs, now said so), and column names of 64
-- bytes or more shortened to 63 with the parser's NOTICE.
\set VERBOSITY default
SET extra_float_digits = 0;
CREATE TEMP TABLE lone AS
SELECT g, g % 4 AS stratum, g % 4 AS psu, sin(g) + g % 5 AS y, (g % 7)::float8 AS x
FROM generate_series(1, 40) g;
SELECT term, b IS NOT NULL AS has_b, se FROM survey_reg.coefficients('lone', 'y', ARRAY['x'],
	se => 'design', cluster => 'psu', strata => 'stratum', lonely_psu => 'average');
-- one lonely stratum among others: the usual NOTICE, SEs there
INSERT INTO lone SELECT g, 9, 9 + g % 3, sin(g), (g % 3)::float8 FROM generate_series(1, 30) g;
UPDATE lone SET stratum = 8, psu = 8 + g % 2 WHERE stratum < 3;
SELECT term, se IS NOT NULL AS has_se FROM survey_reg.coefficients('lone', 'y', ARRAY['x'],
	se => 'design', cluster => 'psu', strata => 'stratum', lonely_psu => 'average');

CREATE TEMP TABLE longnames (
	a_column_name_that_is_sixty_eight_bytes_long_so_more_than_63_bytes float8);
INSERT INTO longnames SELECT g FROM generate_series(1, 10) g;
SELECT variable, n FROM survey_reg.describe('longnames',
	ARRAY['a_column_name_that_is_sixty_eight_bytes_long_so_more_than_63_bytes']);
