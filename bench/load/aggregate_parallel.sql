-- aggregate forms over the whole table with a parallel plan forced (the
-- partial states of the workers are merged by the combine function)
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SELECT load_check('describe_parallel', (
	SELECT string_agg(d::text, ';') FROM survey_reg.describe(
		(SELECT survey_reg.moments(ARRAY[individualisering, styring_a, styring_b, alder, ratio],
			ARRAY['individualisering', 'styring_a', 'styring_b', 'alder', 'ratio'], weight)
		 FROM load_survey)) d));
SELECT load_check('item_total_parallel', (
	SELECT string_agg(i::text, ';') FROM survey_reg.item_total(
		(SELECT survey_reg.moments(ARRAY[belast_tid, belast_krav, belast_stor, styring_a],
			ARRAY['belast_tid', 'belast_krav', 'belast_stor', 'styring_a'])
		 FROM load_survey)) i));
SELECT load_check('cronbach_alpha_parallel', (
	SELECT survey_reg.cronbach_alpha(ARRAY[belast_tid, belast_krav, belast_stor])::text
	FROM load_survey));
RESET max_parallel_workers_per_gather;
