-- Scale indices: mean_index (SPSS MEAN.n), sum_index (SUM.n), reverse.
\set VERBOSITY default
SET extra_float_digits = 0;

-- SPSS MEAN.n edge cases on three items, n = 2:
-- all missing, exactly n valid, n - 1 valid, all valid
SELECT label, survey_reg.mean_index(items, 2) AS mean2,
	survey_reg.sum_index(items, 2) AS sum2,
	survey_reg.sum_index(items, 2, prorate => true) AS sum2_prorated
FROM (VALUES
	('all NULL',      ARRAY[NULL, NULL, NULL]::float8[]),
	('exactly n = 2', ARRAY[1, NULL, 4]::float8[]),
	('n - 1 = 1',     ARRAY[NULL, NULL, 4]::float8[]),
	('all 3 valid',   ARRAY[1, 2, 4]::float8[])) v(label, items);

-- min_valid NULL (the default): every item is required
SELECT survey_reg.mean_index(ARRAY[1, 2, 4]::float8[]) AS all_valid,
	survey_reg.mean_index(ARRAY[1, NULL, 4]::float8[]) AS one_missing,
	survey_reg.sum_index(ARRAY[1, 2, 4]::float8[]) AS sum_all,
	survey_reg.sum_index(ARRAY[1, NULL, 4]::float8[]) AS sum_one_missing;

-- min_valid = 1 is SPSS MEAN (any valid item); min_valid = k is all items
SELECT survey_reg.mean_index(ARRAY[NULL, NULL, 4]::float8[], 1) AS mean1,
	survey_reg.mean_index(ARRAY[1, 2, 4]::float8[], 3) AS mean3,
	survey_reg.mean_index(ARRAY[1, NULL, 4]::float8[], 3) AS mean3_missing;

-- NaN and Infinity count as missing (as the moments aggregates skip them)
SELECT survey_reg.mean_index(ARRAY[1, 'NaN', 3]::float8[], 2) AS nan_missing,
	survey_reg.mean_index(ARRAY[1, 'Infinity', 3]::float8[], 2) AS inf_missing,
	survey_reg.mean_index(ARRAY[1, '-Infinity', 3]::float8[]) AS inf_required;

-- empty and NULL arrays give NULL
SELECT survey_reg.mean_index('{}'::float8[]) AS empty_mean,
	survey_reg.sum_index('{}'::float8[], 1) AS empty_sum,
	survey_reg.mean_index(NULL) AS null_array;

-- prorate NULL gives NULL; prorate without missing items is the plain sum
SELECT survey_reg.sum_index(ARRAY[1, 2]::float8[], 1, NULL) AS prorate_null,
	survey_reg.sum_index(ARRAY[1, 2]::float8[], 1, true) AS prorate_complete;

-- the mean is correctly rounded (double-double sum), whatever the order
SELECT survey_reg.mean_index(ARRAY[1e16, 1, -1e16, 1]::float8[]) AS cancel,
	survey_reg.mean_index(ARRAY[0.1, 0.2, 0.3]::float8[]) = 0.2 AS tenths;

-- min_valid outside 1 .. k is an error (SPSS: MEAN.0 and MEAN.4 of three
-- arguments are syntax errors)
SELECT survey_reg.mean_index(ARRAY[1, 2, 3]::float8[], 0);
SELECT survey_reg.mean_index(ARRAY[1, 2, 3]::float8[], 4);
SELECT survey_reg.sum_index(ARRAY[1, 2, 3]::float8[], -1);
-- items must be one-dimensional
SELECT survey_reg.mean_index(ARRAY[[1, 2], [3, 4]]::float8[]);

-- reverse: lo + hi - x; NULL in, NULL out; NaN stays missing
SELECT x, survey_reg.reverse(x, 0, 3) AS reversed
FROM unnest(ARRAY[0, 1, 2, 3, 1.5, NULL, 'NaN']::float8[]) x;
SELECT survey_reg.reverse(2, NULL, 4) AS null_bound;
-- out of range is an error naming the value and the range
SELECT survey_reg.reverse(4, 0, 3);
SELECT survey_reg.reverse(-0.5, 0, 3);
SELECT survey_reg.reverse('Infinity', 1, 5);
-- a bad range is an error
SELECT survey_reg.reverse(1, 3, 0);
SELECT survey_reg.reverse(1, 0, 'Infinity');

-- an index of reversed items, as the workload index is built
SELECT survey_reg.mean_index(ARRAY[survey_reg.reverse(3, 0, 3),
	survey_reg.reverse(2, 0, 3), 1]) AS workload;

-- volatility and parallel safety as declared
SELECT proname, provolatile, proisstrict, proparallel
FROM pg_proc
WHERE pronamespace = 'survey_reg'::regnamespace
	AND proname IN ('mean_index', 'sum_index', 'reverse')
ORDER BY proname;
