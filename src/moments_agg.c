/*
 * moments_agg.c — the moments(...) aggregates, merge(...), and
 * moments_from_matrix(...).
 *
 * Transition (moments_transfn), combine (moments_combinefn) and the state
 * constructor sit together; the numerics are in core/moments_core.c.
 *
 * The transition function updates the state in place when called as an
 * aggregate (as float8_accum does) and keeps nothing in fn_extra: Citus
 * re-resolves the function for every row on its workers, so anything cached
 * there would be lost.  Everything lives inside the state: the rows of the
 * current batch (moments_accumulate) and the hash of the names argument (a
 * cache that correctness never depends on).  New states are made in the
 * current context, which the executor copies into the aggregate context.
 */
#include "survey_reg.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "nodes/execnodes.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(moments_transfn);
PG_FUNCTION_INFO_V1(moments_of_transfn);
PG_FUNCTION_INFO_V1(moments_rename);
PG_FUNCTION_INFO_V1(moments_combinefn);
PG_FUNCTION_INFO_V1(moments_finalfn);
PG_FUNCTION_INFO_V1(moments_from_matrix);

#define STACK_K 64				/* scratch on the stack up to this k */

/*
 * names_arg_hash after a NULL names argument was checked against x1 .. xk
 * (any value no array of names hashes to in practice: a cache key only)
 */
#define NULL_NAMES_HASH UINT64_C(0x4e554c4c4e414d45)

/*
 * Whether a group's state may grow its batch buffer.  Hash aggregation
 * accounts a group's memory when it creates the group (and spills when new
 * groups would pass work_mem * hash_mem_multiplier); a state that grew
 * afterwards escaped that limit (issue 19: 50,000 groups of 11 variables
 * took 806 MB against 128 MB).  Under a hashed strategy (AGG_MIXED too: its
 * hashed and sorted groups share this function) a state grows only while
 * the hash table holds so few groups that all of them grown stay within an
 * eighth of that limit (GROUP BY region, or the factor levels of
 * model_terms.c: the batched update is some 2x faster than row by row);
 * once there are more, states keep the size they were created with, so at
 * most that many bytes ever escape the accounting.  Plain and sorted
 * aggregation batch.
 */
static bool
may_grow_batch(void *arg, const MomentsState *m)
{
	FunctionCallInfo fcinfo = (FunctionCallInfo) arg;

	if (fcinfo->context && IsA(fcinfo->context, AggState))
	{
		AggState   *agg = (AggState *) fcinfo->context;
		double		extra;

		if (agg->aggstrategy != AGG_HASHED && agg->aggstrategy != AGG_MIXED)
			return true;
		extra = (double) (moments_batched_size(m->k, m->names_len)
						  - moments_size(m->k, m->names_len));
		return (double) agg->hash_ngroups_current * extra
			<= (double) agg->hash_mem_limit / 8.0;
	}
	return true;
}

static void
check_unique_names(char **names, int k)
{
	int			i,
				j;

	for (i = 0; i < k; i++)
		for (j = i + 1; j < k; j++)
			if (strcmp(names[i], names[j]) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("variable name \"%s\" appears more than once",
								names[i])));
}

/* names from argument names_argno (-1: none), or x1 .. xk */
static MomentsState *
new_state_for_args(FunctionCallInfo fcinfo, int k, int names_argno)
{
	char	  **names;
	int			i;

	if (k < 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("moments needs at least one variable")));
	if (k > MOMENTS_MAX_K)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("moments supports at most %d variables", MOMENTS_MAX_K),
				 errdetail("The array has %d elements.", k)));
	if (names_argno >= 0 && !PG_ARGISNULL(names_argno))
	{
		int			n;

		names = text_array_to_cstrings(PG_GETARG_ARRAYTYPE_P(names_argno), &n, "names");
		if (n != k)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("names has %d elements but vars has %d", n, k)));
		check_unique_names(names, k);
	}
	else
	{
		names = palloc(sizeof(char *) * k);
		for (i = 0; i < k; i++)
			names[i] = psprintf("x%d", i + 1);
	}
	return moments_new(k, (const char *const *) names);
}

/* the names argument must be the one the state was started with */
static void
check_names_unchanged(FunctionCallInfo fcinfo, MomentsState *m)
{
	ArrayType  *arr;
	uint64_t	h;
	char	  **names;
	int			n,
				i;

	if (PG_NARGS() < 3)
		return;
	if (PG_ARGISNULL(2))
	{
		const char *q = moments_name(m, 0);

		/* checked on an earlier row: the state's names are x1 .. xk */
		if (m->names_arg_hash == NULL_NAMES_HASH)
			return;
		/* NULL names mean x1 .. xk, as on the first row */
		for (i = 0; i < m->k; i++, q += strlen(q) + 1)
		{
			char		buf[32];

			snprintf(buf, sizeof(buf), "x%d", i + 1);
			if (strcmp(buf, q) != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("names changed within one aggregate"),
						 errdetail("Variable %d was \"%s\" and is now unnamed.",
								   i + 1, q)));
		}
		m->names_arg_hash = NULL_NAMES_HASH;
		return;
	}
	arr = PG_GETARG_ARRAYTYPE_P(2);
	h = moments_hash_bytes(arr, VARSIZE(arr));
	if (h == m->names_arg_hash && h != 0)
		return;
	/* first row, or a different representation: compare the names */
	names = text_array_to_cstrings(arr, &n, "names");
	if (n != m->k)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("names has %d elements but vars has %d", n, m->k)));
	for (i = 0; i < n; i++)
		if (strcmp(names[i], moments_name(m, i)) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("names changed within one aggregate"),
					 errdetail("Variable %d was \"%s\" and is now \"%s\".",
							   i + 1, moments_name(m, i), names[i])));
	m->names_arg_hash = h;
}

/*
 * The frequency weight in argument argno: false when the row is to be
 * skipped (NULL or zero weight); a negative or non-finite weight is an error.
 */
static bool
row_weight(FunctionCallInfo fcinfo, int argno, double *w)
{
	if (PG_ARGISNULL(argno))
		return false;
	*w = PG_GETARG_FLOAT8(argno);
	if (*w < 0.0 || !isfinite(*w))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight must be a non-negative finite number"),
				 errdetail("The weight is %g.", *w)));
	return *w != 0.0;
}

/*
 * moments(vars float8[] [, names text[] [, weight float8]])
 * SQL arguments are shifted by one: 0 is the state.
 */
Datum
moments_transfn(PG_FUNCTION_ARGS)
{
	MomentsState *m;
	ArrayType  *vars;
	double		w = 1.0;
	const double *x;
	int			k,
				i;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("moments_transfn called in non-aggregate context")));

	m = PG_ARGISNULL(0) ? NULL : (MomentsState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1))
	{
		if (m == NULL)
			PG_RETURN_NULL();
		PG_RETURN_MOMENTS_P(m);
	}
	vars = PG_GETARG_ARRAYTYPE_P(1);
	if (ARR_NDIM(vars) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("vars must be a one-dimensional array")));
	if (ARR_ELEMTYPE(vars) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("vars must be of type double precision[]")));
	k = ARR_NDIM(vars) == 0 ? 0 : ARR_DIMS(vars)[0];

	if (m == NULL)
		m = new_state_for_args(fcinfo, k, PG_NARGS() >= 3 ? 2 : -1);
	else if (k != m->k)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("vars has %d elements but earlier rows had %d", k, m->k)));
	check_names_unchanged(fcinfo, m);

	if (PG_NARGS() >= 4 && !row_weight(fcinfo, 3, &w))
		PG_RETURN_MOMENTS_P(m);

	/* listwise: skip rows with a NULL, NaN or infinite value */
	if (ARR_HASNULL(vars))
		PG_RETURN_MOMENTS_P(m);
	x = (const double *) ARR_DATA_PTR(vars);
	for (i = 0; i < k; i++)
		if (!isfinite(x[i]))
			PG_RETURN_MOMENTS_P(m);

	PG_RETURN_MOMENTS_P(moments_accumulate(m, x, w, may_grow_batch, fcinfo));
}

/*
 * moments_of([weight float8,] VARIADIC "any"): the same state from separate
 * float8 arguments, which spares the per-row array construction of
 * moments(ARRAY[...]) (measurable: ~0.3 s per 5M rows at k = 11).  The
 * variables are named x1 .. xk; rename() attaches names afterwards.
 * first_var is the SQL argument number of the first variable (1-based, the
 * state is argument 0).
 */
/*
 * The float8 arguments first_var .. of a separate-argument aggregate (types
 * are fixed for the call site: checked once, on the first row).
 */
void
moments_check_float8_args(FunctionCallInfo fcinfo, int first_var)
{
	int			i;

	for (i = first_var; i < PG_NARGS(); i++)
		if (get_fn_expr_argtype(fcinfo->flinfo, i) != FLOAT8OID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("moments_of arguments must be of type double precision"),
					 errdetail("Argument %d is not, or its type cannot be determined.",
							   i - first_var + 1),
					 errhint("Cast each argument to float8, or use moments(ARRAY[...]).")));
}

/*
 * A row of a separate-argument aggregate: its weight (argument weight_arg,
 * or 1 when it is -1) and its k variables from argument first_var on into
 * x; false when the row is skipped (NULL or zero weight, a NULL or
 * non-finite value).  A negative or non-finite weight is an error.
 */
bool
moments_row_args(FunctionCallInfo fcinfo, int weight_arg, int first_var,
				 int k, double *x, double *w)
{
	int			i;

	*w = 1.0;
	if (weight_arg >= 0 && !row_weight(fcinfo, weight_arg, w))
		return false;
	for (i = 0; i < k; i++)
	{
		if (PG_ARGISNULL(first_var + i))
			return false;
		x[i] = PG_GETARG_FLOAT8(first_var + i);
		if (!isfinite(x[i]))
			return false;
	}
	return true;
}

static Datum
moments_of_common(FunctionCallInfo fcinfo, int first_var, bool weighted)
{
	MomentsState *m;
	int			k = PG_NARGS() - first_var;
	double		w;
	double		stack_x[STACK_K];
	double	   *x;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("moments_of transition function called in non-aggregate context")));
	m = PG_ARGISNULL(0) ? NULL : (MomentsState *) PG_GETARG_POINTER(0);
	if (m == NULL)
	{
		moments_check_float8_args(fcinfo, first_var);
		m = new_state_for_args(fcinfo, k, -1);
	}
	x = k <= STACK_K ? stack_x : palloc(sizeof(double) * k);
	if (moments_row_args(fcinfo, weighted ? 1 : -1, first_var, k, x, &w))
		m = moments_accumulate(m, x, w, may_grow_batch, fcinfo);
	if (x != stack_x)
		pfree(x);
	PG_RETURN_MOMENTS_P(m);
}

Datum
moments_of_transfn(PG_FUNCTION_ARGS)
{
	return moments_of_common(fcinfo, 1, false);
}

PG_FUNCTION_INFO_V1(moments_of_weighted_transfn);
Datum
moments_of_weighted_transfn(PG_FUNCTION_ARGS)
{
	return moments_of_common(fcinfo, 2, true);
}

/* rename(m, names): the same state with new variable names */
Datum
moments_rename(PG_FUNCTION_ARGS)
{
	MomentsState *m = PG_GETARG_MOMENTS_P(0);
	int			n;
	char	  **names = text_array_to_cstrings(PG_GETARG_ARRAYTYPE_P(1), &n, "names");
	MomentsState *r;

	if (n != m->k)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("names has %d elements but the state has %d variables",
						n, m->k)));
	check_unique_names(names, n);
	r = moments_renamed(m, names);
	PG_RETURN_MOMENTS_P(r);
}

static void
check_mergeable(const MomentsState *a, const MomentsState *b)
{
	if (!moments_same_vars(a, b))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cannot merge moments over different variables"),
				 errdetail("One state has %d variables starting with \"%s\", the other %d starting with \"%s\".",
						   a->k, moments_name(a, 0), b->k, moments_name(b, 0))));
}

/*
 * Combine function of moments(...) and transition function of merge(...).
 * STRICT: the executor copies the first non-NULL state into the aggregate
 * context, so in an aggregate the first argument is ours to update.
 */
Datum
moments_combinefn(PG_FUNCTION_ARGS)
{
	MomentsState *a = PG_GETARG_MOMENTS_P(0);
	MomentsState *b = PG_GETARG_MOMENTS_P(1);

	check_mergeable(a, b);
	if (!AggCheckCallContext(fcinfo, NULL)
		&& (Pointer) a == DatumGetPointer(PG_GETARG_DATUM(0)))
	{
		/* not ours to change (detoasting would have made a copy) */
		MomentsState *copy = palloc(VARSIZE(a));

		memcpy(copy, a, VARSIZE(a));
		a = copy;
	}
	switch (moments_merge(a, b))
	{
		case 0:
			break;
		case -2:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("row count out of range in survey_reg.merge"),
					 errdetail("The merged states count more than 9223372036854775807 rows.")));
			break;
		default:
			moments_overflow_error();
	}
	PG_RETURN_MOMENTS_P(a);
}

/*
 * Final function of every moments aggregate: the overflow check that the
 * transition function leaves out of the per-row path.  Read-only: a state
 * whose shape sums overflowed is copied before they are dropped.
 */
Datum
moments_finalfn(PG_FUNCTION_ARGS)
{
	MomentsState *m;
	int			r;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	m = PG_GETARG_MOMENTS_P(0);
	r = moments_check(m);
	if (r < 0)
		moments_overflow_error();
	if (r > 0)
	{
		MomentsState *copy = palloc(VARSIZE(m));

		memcpy(copy, m, VARSIZE(m));
		moments_finish(copy);
		m = copy;
	}
	PG_RETURN_MOMENTS_P(m);
}

/*
 * moments_from_matrix(names, n, corr, means, sds): a state with the given
 * means and covariances (SPSS MATRIX DATA).  The third and fourth moments
 * and the range are unknown; the state is flagged so that describe() shows
 * them as NULL.
 */
Datum
moments_from_matrix(PG_FUNCTION_ARGS)
{
	char	  **names;
	int			k,
				i,
				j;
	double		n;
	ArrayType  *corr_arr;
	double	   *corr;
	double	   *means = NULL,
			   *sds = NULL;
	MomentsState *m;
	MomentsArrays a;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("names, n and corr must not be NULL")));
	names = text_array_to_cstrings(PG_GETARG_ARRAYTYPE_P(0), &k, "names");
	if (k < 1 || k > MOMENTS_MAX_K)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("moments_from_matrix needs between 1 and %d variables",
						MOMENTS_MAX_K)));
	check_unique_names(names, k);
	n = PG_GETARG_FLOAT8(1);
	if (!(n > 0) || !(n < 9e18))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("n must be a positive number below 9e18")));

	corr_arr = PG_GETARG_ARRAYTYPE_P(2);
	if (ARR_ELEMTYPE(corr_arr) != FLOAT8OID || ARR_NDIM(corr_arr) != 2
		|| ARR_DIMS(corr_arr)[0] != k || ARR_DIMS(corr_arr)[1] != k
		|| ARR_HASNULL(corr_arr))
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("corr must be a %d x %d two-dimensional array without NULLs",
						k, k)));
	corr = (double *) ARR_DATA_PTR(corr_arr);

	for (j = 3; j <= 4; j++)
	{
		ArrayType  *v;

		if (PG_NARGS() <= j || PG_ARGISNULL(j))
			continue;
		v = PG_GETARG_ARRAYTYPE_P(j);
		if (ARR_ELEMTYPE(v) != FLOAT8OID || ARR_NDIM(v) != 1
			|| ARR_DIMS(v)[0] != k || ARR_HASNULL(v))
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("%s must be a one-dimensional array of %d numbers without NULLs",
							j == 3 ? "means" : "sds", k)));
		if (j == 3)
			means = (double *) ARR_DATA_PTR(v);
		else
			sds = (double *) ARR_DATA_PTR(v);
	}

	for (i = 0; i < k; i++)
	{
		if (means && !isfinite(means[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("means must be finite")));
		if (sds && !(sds[i] > 0 && isfinite(sds[i])))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sds must be positive and finite"),
					 errdetail("The SD of \"%s\" is %g.", names[i], sds[i])));
		for (j = 0; j < k; j++)
		{
			double		r = corr[i * k + j];

			if (!isfinite(r) || fabs(r) > 1.0
				|| (i == j && r != 1.0)
				|| fabs(r - corr[j * k + i]) > 1e-12)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("corr must be a symmetric correlation matrix"),
						 errdetail("Element [%d][%d] is %g.", i + 1, j + 1, r)));
		}
	}

	m = moments_new(k, (const char *const *) names);
	moments_arrays(m, &a);
	m->flags = MOMENTS_FLAG_SUMMARY;
	m->nrows = (int64) ceil(n);
	m->n_hi = n;
	for (i = 0; i < k; i++)
	{
		double		mean = means ? means[i] : 0.0;

		a.ref[i] = a.min[i] = a.max[i] = mean;
		for (j = i; j < k; j++)
		{
			/* (n - 1) r sd_i sd_j, the centered cross-product */
			dd			c = dd_mul(dd_diff_d(n, 1.0), dd_from(corr[i * k + j]));

			if (sds)
				c = dd_mul(c, dd_mul_dd_d(sds[i], sds[j]));
			a.s2_hi[moments_tri(k, i, j)] = c.hi;
			a.s2_lo[moments_tri(k, i, j)] = c.lo;
		}
	}
	PG_RETURN_MOMENTS_P(m);
}
