/*
 * scale_index.c — respondent-level indices: mean_index (SPSS MEAN.n),
 * sum_index (SUM.n, optionally prorated) and reverse (reverse-worded
 * items).
 *
 * Missing items: NULL, NaN and +-Infinity all count as missing, as the
 * moments aggregates skip such rows.  The rule is SPSS's: with min_valid =
 * n the index is computed when at least n items are valid, otherwise NULL;
 * min_valid NULL means every item is required.  As in SPSS, where MEAN.0 or
 * an n above the number of arguments is a syntax error, min_valid < 1 or
 * above the number of items is an error.  An empty (or NULL) array gives
 * NULL.  The sum is accumulated in double-double, so the mean is correctly
 * rounded whatever the order of the items.
 */
#include "survey_reg.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/float.h"

PG_FUNCTION_INFO_V1(mean_index);
PG_FUNCTION_INFO_V1(sum_index);
PG_FUNCTION_INFO_V1(reverse_item);

/*
 * Sum and count of the valid items of argument 0 under the min_valid rule
 * of argument 1.  Returns false when the index is NULL; *k gets the number
 * of items (array length).
 */
static bool
valid_items(FunctionCallInfo fcinfo, const char *fname, dd *sum, int *valid,
			int *k)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i,
				required;

	if (PG_ARGISNULL(0))
		return false;
	arr = PG_GETARG_ARRAYTYPE_P(0);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s: items must be a one-dimensional array", fname)));
	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
					  TYPALIGN_DOUBLE, &elems, &nulls, &n);
	*k = n;
	if (n == 0)
		return false;
	if (PG_ARGISNULL(1))
		required = n;
	else
	{
		int32		mv = PG_GETARG_INT32(1);

		if (mv < 1 || mv > n)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: min_valid must be between 1 and the number of items",
							fname),
					 errdetail("min_valid is %d and there are %d items.", mv, n)));
		required = mv;
	}
	*sum = dd_from(0.0);
	*valid = 0;
	for (i = 0; i < n; i++)
	{
		double		x;

		if (nulls[i])
			continue;
		x = DatumGetFloat8(elems[i]);
		if (!isfinite(x))
			continue;
		*sum = dd_add_d(*sum, x);
		(*valid)++;
	}
	return *valid >= required;
}

/* mean_index(items float8[], min_valid int DEFAULT NULL) */
Datum
mean_index(PG_FUNCTION_ARGS)
{
	dd			sum;
	int			valid,
				k;

	if (!valid_items(fcinfo, "mean_index", &sum, &valid, &k))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(dd_to_double(dd_div(sum, dd_from((double) valid))));
}

/* sum_index(items float8[], min_valid int DEFAULT NULL, prorate bool DEFAULT false) */
Datum
sum_index(PG_FUNCTION_ARGS)
{
	dd			sum;
	int			valid,
				k;

	if (PG_ARGISNULL(2))
		PG_RETURN_NULL();
	if (!valid_items(fcinfo, "sum_index", &sum, &valid, &k))
		PG_RETURN_NULL();
	if (PG_GETARG_BOOL(2) && valid < k)
		sum = dd_mul_d(dd_div(sum, dd_from((double) valid)), (double) k);
	PG_RETURN_FLOAT8(dd_to_double(sum));
}

/*
 * reverse(x, lo, hi) = lo + hi - x.  STRICT: NULL in, NULL out; NaN (a
 * missing value) stays NaN.  x outside [lo, hi] is an error: a value out of
 * the scale's range is a coding error that a silent reversal would hide.
 */
Datum
reverse_item(PG_FUNCTION_ARGS)
{
	float8		x = PG_GETARG_FLOAT8(0);
	float8		lo = PG_GETARG_FLOAT8(1);
	float8		hi = PG_GETARG_FLOAT8(2);

	if (!isfinite(lo) || !isfinite(hi) || lo > hi)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("reverse: the range must be finite with lo <= hi"),
				 errdetail("lo is %s and hi is %s.",
						   float8out_internal(lo), float8out_internal(hi))));
	if (isnan(x))
		PG_RETURN_FLOAT8(x);
	if (x < lo || x > hi)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value %s is out of the range [%s, %s]",
						float8out_internal(x), float8out_internal(lo),
						float8out_internal(hi)),
				 errhint("Recode or set to NULL the values outside the item's scale before reversing.")));
	PG_RETURN_FLOAT8((lo + hi) - x);
}
