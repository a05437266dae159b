-- aggregate forms with GROUP BY: alpha and a regression per office
SELECT load_check('cronbach_alpha_by_office', (
	SELECT string_agg(format('%s:%s', office_id, a), ';' ORDER BY office_id)
	FROM (SELECT office_id, survey_reg.cronbach_alpha(ARRAY[belast_tid, belast_krav, belast_stor]) a
	      FROM load_survey GROUP BY office_id) s));
SELECT load_check('coefficients_by_office', (
	SELECT string_agg(format('%s:%s', s.office_id, c::text), ';' ORDER BY s.office_id, c.model, c.term)
	FROM (SELECT office_id, survey_reg.moments(ARRAY[individualisering, styring_a, alder],
			ARRAY['individualisering', 'styring_a', 'alder']) m
	      FROM load_survey WHERE office_id % 10 = 1 GROUP BY office_id) s,
	     LATERAL survey_reg.coefficients(s.m, 'individualisering', ARRAY['styring_a', 'alder']) c));
SELECT load_check('merge_stored_states', (
	SELECT string_agg(d::text, ';') FROM survey_reg.describe(
		(SELECT survey_reg.merge(m ORDER BY office_id) FROM load_office_states)) d));
