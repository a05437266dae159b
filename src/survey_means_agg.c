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
 * aggregation's spill files pass it as it is), updated in place once the
 * executor has copied it into the aggregate's memory, its size fixed at
 * the group's first row (hash aggregation accounts a group's memory when
 * it creates it).  The sums are
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

/* the arguments (0: the state) */
#define ARG_MODE 1
#define ARG_W 2
#define ARG_Y 7

static void
not_aggregate(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("_means_sums transition function called in non-aggregate context")));
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

/* the variables' types are fixed for the call site: checked once */
void
means_sums_check_args(FunctionCallInfo fcinfo, int first_y)
{
	int			i;

	for (i = first_y; i < PG_NARGS(); i++)
		if (get_fn_expr_argtype(fcinfo->flinfo, i) != FLOAT8OID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("_means_sums variables must be of type double precision")));
}

/*
 * One row into the sums d (mode, nvars variables); the arguments w, (f1,
 * f2: given as values, NULL when NULL), u, dv, y... start at argument
 * first_w.  A variable contributes in the domain (dv) with a value; its
 * sums need a weight too (a NULL weight in a used row is counted, and
 * survey_means raises 22004 for it).
 */
void
means_sums_add_row(FunctionCallInfo fcinfo, int first_w, double *d, int mode,
				   int nvars, const double *f1, const double *f2)
{
	int			ay = first_w + 5,
				i;
	bool		u = !PG_ARGISNULL(first_w + 3) && PG_GETARG_BOOL(first_w + 3),
				dv = !PG_ARGISNULL(first_w + 4) && PG_GETARG_BOOL(first_w + 4),
				have_w = !PG_ARGISNULL(first_w);
	double		w = have_w ? PG_GETARG_FLOAT8(first_w) : 0.0;

	d[MS_ROWS] += 1.0;
	if (f1)
		minmax(d, MS_F1_HAVE, *f1);
	if (f2)
		minmax(d, MS_F2_HAVE, *f2);
	if (u)
	{
		d[MS_USED] += 1.0;
		d[MS_W_NULL] += !have_w;
		d[MS_F1_NULL] += f1 == NULL;
		d[MS_F2_NULL] += f2 == NULL;
	}
	if (!dv)
		return;
	for (i = 0; i < nvars; i++)
	{
		double	   *v = d + MS_FIXED + i * MS_STRIDE(mode);
		double		y,
					wy;

		if (PG_ARGISNULL(ay + i))
			continue;
		v[MS_N] += 1.0;
		if (!have_w)
			continue;
		y = PG_GETARG_FLOAT8(ay + i);
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
}

/* the sums db into da (same shape): counts and sums add, ranges join */
void
means_sums_merge(double *da, const double *db, int mode, int nvars)
{
	int			i,
				n = nvars * MS_STRIDE(mode);

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
	for (i = 0; i < n; i++)
		da[MS_FIXED + i] += db[MS_FIXED + i];
}

/* one row of a group (GROUP BY stratum [x PSU x SSU] x group) */
Datum
means_sums_transfn(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	double	   *d;
	int			nvars = PG_NARGS() - ARG_Y,
				mode;

	if (!AggCheckCallContext(fcinfo, NULL))
		not_aggregate();
	if (PG_ARGISNULL(0))
	{
		mode = PG_ARGISNULL(ARG_MODE) ? -1 : PG_GETARG_INT32(ARG_MODE);
		if (mode != 0 && mode != 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("_means_sums mode must be 0 or 1")));
		means_sums_check_args(fcinfo, ARG_Y);
		/*
		 * made in the per-row memory: the executor copies a new transition
		 * value into the aggregate's memory itself (one made there would be
		 * left behind, doubling a group's memory)
		 */
		state = float8_array_zeros(MS_FIXED + nvars * MS_STRIDE(mode));
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
	{
		double		f1 = PG_ARGISNULL(ARG_W + 1) ? 0.0 : PG_GETARG_FLOAT8(ARG_W + 1),
					f2 = PG_ARGISNULL(ARG_W + 2) ? 0.0 : PG_GETARG_FLOAT8(ARG_W + 2);

		means_sums_add_row(fcinfo, ARG_W, d, mode, nvars,
						   PG_ARGISNULL(ARG_W + 1) ? NULL : &f1,
						   PG_ARGISNULL(ARG_W + 2) ? NULL : &f2);
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

/* two partial states (parallel workers) */
Datum
means_sums_combinefn(PG_FUNCTION_ARGS)
{
	ArrayType  *a,
			   *b;
	double	   *da,
			   *db;
	int			na,
				nb,
				ma,
				mb;

	if (!AggCheckCallContext(fcinfo, NULL))
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
		/* a copy, which later calls update in place */
		a = float8_array_zeros(ARR_DIMS(b)[0]);
		memcpy(ARR_DATA_PTR(a), db, sizeof(double) * ARR_DIMS(b)[0]);
		PG_RETURN_ARRAYTYPE_P(a);
	}
	a = PG_GETARG_ARRAYTYPE_P(0);
	da = means_sums_values(a, &na, &ma);
	if (na != nb || ma != mb)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("_means_sums states of different shapes cannot be combined")));
	means_sums_merge(da, db, ma, na);
	PG_RETURN_ARRAYTYPE_P(a);
}
