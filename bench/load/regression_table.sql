-- table-name hierarchical regression and reliability
SELECT load_check('coefficients_table', (
	SELECT string_agg(c::text, ';') FROM survey_reg.coefficients('load_survey',
		'individualisering', ARRAY['styring_a, styring_b', 'belast_tid, belast_krav, belast_stor, ratio',
			'effektiv, tiltakskunnskap, kjonn, alder'], weight => 'weight') c));
SELECT load_check('model_summary_table', (
	SELECT string_agg(c::text, ';') FROM survey_reg.model_summary('load_survey',
		'individualisering', ARRAY['styring_a, styring_b', 'belast_tid, belast_krav, belast_stor, ratio']) c));
SELECT load_check('reliability_table', (
	SELECT string_agg(r::text, ';') FROM survey_reg.reliability('load_survey',
		ARRAY['belast_tid', 'belast_krav', 'belast_stor', 'styring_a', 'styring_b']) r));
