-- table-name describe and pairwise correlations (one SPI scan each)
SELECT load_check('describe_table', (
	SELECT string_agg(d::text, ';') FROM survey_reg.describe('load_survey',
		ARRAY['individualisering', 'styring_a', 'styring_b', 'belast_tid', 'alder'],
		weight => 'weight') d));
SELECT load_check('correlations_pairwise', (
	SELECT string_agg(c::text, ';') FROM survey_reg.correlations('load_survey',
		ARRAY['individualisering', 'styring_a', 'belast_stor', 'ratio'],
		missing => 'pairwise') c));
