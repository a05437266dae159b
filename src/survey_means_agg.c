/*
 * survey_means_agg.c — survey_reg._means_sums(mode, w, f1, f2, u, dv,
 * VARIADIC y): everything survey_means' grouped scan needs of one unit (or,
 * without clusters, of one stratum x group) in ONE transition per row
 * (issue 16): the row counts, the design columns' NULL counts and ranges,
 * and per variable n, sum of w y and of w (mode 1 also the three sums of
 * squares a design without clusters needs).  It replaced 3-6 built-in
 * aggregates per variable (with their FILTERs and product expressions): at
 * 10 variables some 40-70 function calls per row became one.
 *
 * The state is a plain float8[] (no `internal`: parallel workers and hash
 * aggregation's spill files pass it as it is), updated in place in the
 * aggregate's memory, its size fixed at the group's first row (hash
 * aggregation accounts a group's memory when it creates it).  The sums are
 * plain doubles, as the built-in sum(float8) it replaced.  Layout: see
 * survey_means_agg.h.
 */
#include "survey_reg.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"

#include "survey_means_agg.h"

PG_FUNCTION_INFO_V1(means_sums_transfn);
PG_FUNCTION_INFO_V1(means_sums_combinefn);

#define ARG_MODE 1
#define ARG_W 2
#define ARG_F1 3
#define ARG_F2 4
#define ARG_U 5
#define ARG_DV 6
#define ARG_Y 7

static void
not_aggregate(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("_means_sums transition function called in non-aggregate context")));
}

/* a zeroed state of n elements in the aggregate's memory */
static ArrayType *
new_state(MemoryContext cxt, int n)
{
	Size		bytes = ARR_OVERHEAD_NONULLS(1) + sizeof(double) * n;
	ArrayType  *a = MemoryContextAllocZero(cxt, bytes);

	SET_VARSIZE(a, bytes);
	a->ndim = 1;
	a->dataoffset = 0;
	a->elemtype = FLOAT8OID;
	ARR_DIMS(a)[0] = n;
	ARR_LBOUND(a)[0] = 1;
	return a;
}

/* the state's values, checked (a state from outside must be one of ours) */
double *
means_sums_values(ArrayType *a, int *nvars, int *mode)
{
	double	   *d;
	int			n;

	if (ARR_NDIM(a) != 1 || ARR_HASNULL(a) || ARR_ELEMTYPE(a) != FLOAT8OID
		|| (n = ARR_DIMS(a)[0]) < MS_FIXED)
		goto bad;
	d = (double *) ARR_DATA_PTR(a);
	*mode = (int) d[MS_MODE];
	*nvars = (int) d[MS_NVARS];
	if ((*mode != 0 && *mode != 1) || *nvars < 0
		|| n != MS_FIXED + *nvars * MS_STRIDE(*mode))
		goto bad;
	return d;
bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid _means_sums state")));
	return NULL;				/* not reached */
}

static inline void
minmax(double *d, int have, double v)
{
	if (d[have] == 0.0)
	{
		d[have] = 1.0;
		d[have + 1] = d[have + 2] = v;
	}
	else
	{
		if (v < d[have + 1])
			d[have + 1] = v;
		if (v > d[have + 2])
			d[have + 2] = v;
	}
}

/*
 * One row.  Not STRICT: the state starts NULL and any input may be NULL.
 * A variable contributes in the domain (dv) with a value; its sums need a
 * weight too (a NULL weight in a used row is counted, and survey_means
 * raises 22004 for it).
 */
Datum
means_sums_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ArrayType  *state;
	double	   *d;
	int			nvars = PG_NARGS() - ARG_Y,
				mode,
				i;
	bool		u = !PG_ARGISNULL(ARG_U) && PG_GETARG_BOOL(ARG_U),
				dv = !PG_ARGISNULL(ARG_DV) && PG_GETARG_BOOL(ARG_DV),
				have_w = !PG_ARGISNULL(ARG_W);
	double		w = have_w ? PG_GETARG_FLOAT8(ARG_W) : 0.0;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		not_aggregate();
	if (PG_ARGISNULL(0))
	{
		/* argument types are fixed for the call site: check them once */
		mode = PG_ARGISNULL(ARG_MODE) ? -1 : PG_GETARG_INT32(ARG_MODE);
		if (mode != 0 && mode != 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("_means_sums mode must be 0 or 1")));
		for (i = ARG_Y; i < PG_NARGS(); i++)
			if (get_fn_expr_argtype(fcinfo->flinfo, i) != FLOAT8OID)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("_means_sums variables must be of type double precision")));
		state = new_state(aggcxt, MS_FIXED + nvars * MS_STRIDE(mode));
		d = (double *) ARR_DATA_PTR(state);
		d[MS_MODE] = mode;
		d[MS_NVARS] = nvars;
	}
	else
	{
		state = PG_GETARG_ARRAYTYPE_P(0);
		d = (double *) ARR_DATA_PTR(state);
		mode = (int) d[MS_MODE];
	}

	d[MS_ROWS] += 1.0;
	if (!PG_ARGISNULL(ARG_F1))
		minmax(d, MS_F1_HAVE, PG_GETARG_FLOAT8(ARG_F1));
	if (!PG_ARGISNULL(ARG_F2))
		minmax(d, MS_F2_HAVE, PG_GETARG_FLOAT8(ARG_F2));
	if (u)
	{
		d[MS_USED] += 1.0;
		d[MS_W_NULL] += !have_w;
		d[MS_F1_NULL] += PG_ARGISNULL(ARG_F1);
		d[MS_F2_NULL] += PG_ARGISNULL(ARG_F2);
	}
	if (!dv)
		PG_RETURN_ARRAYTYPE_P(state);
	for (i = 0; i < nvars; i++)
	{
		double	   *v = d + MS_FIXED + i * MS_STRIDE(mode);
		double		y,
					wy;

		if (PG_ARGISNULL(ARG_Y + i))
			continue;
		v[MS_N] += 1.0;
		if (!have_w)
			continue;
		y = PG_GETARG_FLOAT8(ARG_Y + i);
		wy = w * y;
		v[MS_WY] += wy;
		v[MS_W] += w;
		if (mode == 1)
		{
			v[MS_WYY] += wy * wy;
			v[MS_WWY] += (w * w) * y;
			v[MS_WW] += w * w;
		}
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

/* two partial states (parallel workers): counts and sums add, ranges join */
Datum
means_sums_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ArrayType  *a,
			   *b;
	double	   *da,
			   *db;
	int			na,
				nb,
				ma,
				mb,
				i,
				n;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		not_aggregate();
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = PG_GETARG_ARRAYTYPE_P(1);
	db = means_sums_values(b, &nb, &mb);
	if (PG_ARGISNULL(0))
	{
		/* a copy in the aggregate's memory, which later calls update */
		a = new_state(aggcxt, ARR_DIMS(b)[0]);
		memcpy(ARR_DATA_PTR(a), db, sizeof(double) * ARR_DIMS(b)[0]);
		PG_RETURN_ARRAYTYPE_P(a);
	}
	a = PG_GETARG_ARRAYTYPE_P(0);
	da = means_sums_values(a, &na, &ma);
	if (na != nb || ma != mb)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("_means_sums states of different shapes cannot be combined")));
	da[MS_ROWS] += db[MS_ROWS];
	da[MS_USED] += db[MS_USED];
	da[MS_W_NULL] += db[MS_W_NULL];
	da[MS_F1_NULL] += db[MS_F1_NULL];
	da[MS_F2_NULL] += db[MS_F2_NULL];
	if (db[MS_F1_HAVE] != 0.0)
	{
		minmax(da, MS_F1_HAVE, db[MS_F1_MIN]);
		minmax(da, MS_F1_HAVE, db[MS_F1_MAX]);
	}
	if (db[MS_F2_HAVE] != 0.0)
	{
		minmax(da, MS_F2_HAVE, db[MS_F2_MIN]);
		minmax(da, MS_F2_HAVE, db[MS_F2_MAX]);
	}
	n = na * MS_STRIDE(ma);
	for (i = 0; i < n; i++)
		da[MS_FIXED + i] += db[MS_FIXED + i];
	PG_RETURN_ARRAYTYPE_P(a);
}
