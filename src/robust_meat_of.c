/*
 * robust_meat_of.c — meat_of(fit, [weight,] y, x1, ..): the HC0-HC3 meat
 * over rows at the cost of a scan, the table-name forms' second scan.
 *
 * meat(fit, scores(fit, ARRAY[...])) builds two arrays per row and sums
 * every cross-product in double-double: profiled at 1M rows x 10
 * predictors it cost 8 x the classical fit.  Here the columns come as
 * separate float8 arguments (no array), the fit is unpacked once per query
 * (cached in fn_extra, keyed by the fit's identity), the residuals are
 * formed in double (robust_kernel_scores), and the cross-products of a
 * batch of MEAT_OF_BATCH rows are summed in plain doubles that are added to
 * the meat's double-double sums once per batch, like the moments update.
 *
 * The state is a bytea: a header, the batch's partial sums and the meat
 * (the value of survey_reg.meat, to which the final function reduces it),
 * so that partial aggregates (parallel workers) need no serialization.  A
 * VARIADIC "any" aggregate cannot be split by Citus (citus_relation.c), so
 * Citus relations keep the array form.
 */
#include "robust.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(meat_of_transfn);
PG_FUNCTION_INFO_V1(meat_of_weighted_transfn);
PG_FUNCTION_INFO_V1(meat_of_combinefn);
PG_FUNCTION_INFO_V1(meat_of_finalfn);

#define MEAT_OF_MAGIC	0x4d4f4631	/* "MOF1" */
#define MEAT_OF_BATCH	256			/* rows per plain-double partial sum */
#define STACK_COLS		64

typedef struct MeatOfHeader
{
	int32		vl_len_;
	int32		magic;
	int32		pending;		/* units in the partial sums */
	int32		q;
	int32		nblock;
	int32		finite;			/* every pending score finite */
	double		units;			/* pending units */
	double		nonnull;		/* pending units with a complete row */
	/* double sum[q], cross[nblock]; then the meat */
} MeatOfHeader;

#define MEAT_OF_HEADER	MAXALIGN(sizeof(MeatOfHeader))

static double *
mo_sum(MeatOfHeader *h)
{
	return (double *) ((char *) h + MEAT_OF_HEADER);
}

static bytea *
mo_meat(MeatOfHeader *h)
{
	return (bytea *) ((char *) h + MEAT_OF_HEADER
					  + sizeof(double) * ((Size) h->q + h->nblock));
}

/* a state read from an argument, checked (errors if malformed) */
static MeatOfHeader *
mo_check(bytea *b)
{
	MeatOfHeader *h = (MeatOfHeader *) b;
	int			q,
				nblock;
	Size		size = VARSIZE(b);

	if ((uintptr_t) b % MAXIMUM_ALIGNOF != 0)
	{
		bytea	   *copy = palloc(size);

		memcpy(copy, b, size);
		h = (MeatOfHeader *) copy;
	}
	if (size < MEAT_OF_HEADER + VARHDRSZ || h->magic != MEAT_OF_MAGIC
		|| h->q < 0 || h->nblock < 0 || h->nblock > ROBUST_MAX_BLOCK
		|| h->q > ROBUST_MAX_BLOCK || h->pending < 0
		|| size < MEAT_OF_HEADER + sizeof(double) * ((Size) h->q + h->nblock) + VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid meat_of state")));
	if (VARSIZE(mo_meat(h)) != size - ((char *) mo_meat(h) - (char *) h))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid meat_of state")));
	robust_meat_checked(mo_meat(h), &q, &nblock);
	if (q != h->q || nblock != h->nblock)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid meat_of state")));
	return h;
}

/* the partial sums into the meat */
static void
mo_fold(MeatOfHeader *h)
{
	double	   *sum = mo_sum(h);

	if (h->units == 0)
		return;
	robust_meat_add_batch(mo_meat(h), h->units, h->nonnull, sum, sum + h->q,
						  h->finite != 0);
	memset(sum, 0, sizeof(double) * ((Size) h->q + h->nblock));
	h->units = h->nonnull = 0;
	h->pending = 0;
	h->finite = 1;
}

static MeatOfHeader *
mo_new(const RobustFitView *fv)
{
	bytea	   *meat = robust_meat_new_rows(fv);
	Size		size = MEAT_OF_HEADER + sizeof(double) * ((Size) fv->q + fv->nblock)
		+ VARSIZE(meat);
	MeatOfHeader *h;

	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the meat of %d cross-products exceeds 1 GB", fv->nblock)));
	h = palloc0(size);
	SET_VARSIZE(h, size);
	h->magic = MEAT_OF_MAGIC;
	h->q = fv->q;
	h->nblock = fv->nblock;
	h->finite = 1;
	memcpy(mo_meat(h), meat, VARSIZE(meat));
	return h;
}

/* the fit unpacked once per call site (fn_extra); only a cache */
typedef struct MeatOfCache
{
	const void *data;			/* the fit array's data, its length, id */
	int			len;
	uint64		id;
	RobustKernel *kernel;
} MeatOfCache;

static void *
cache_alloc(size_t size)
{
	return MemoryContextAlloc(CurrentMemoryContext, size);
}

static RobustKernel *
mo_kernel(FunctionCallInfo fcinfo, ArrayType *fitarr, const RobustFitView *known)
{
	MeatOfCache *c = (MeatOfCache *) fcinfo->flinfo->fn_extra;
	const double *data = (const double *) ARR_DATA_PTR(fitarr);
	int			len = ARR_NDIM(fitarr) == 1 ? ARR_DIMS(fitarr)[0] : -1;
	RobustFitView v;
	MemoryContext old;

	if (c && c->data == (const void *) data && c->len == len
		&& len > RF_ID_LO && !ARR_HASNULL(fitarr)
		&& c->id == (((uint64) (uint32) data[RF_ID_HI] << 32) | (uint32) data[RF_ID_LO]))
		return c->kernel;
	if (known)
		v = *known;
	else
		robust_fit_view_arg(fitarr, &v);
	if (v.se > ROBUST_HC3)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("meat_of takes a fit with se 'hc0', 'hc1', 'hc2' or 'hc3'; this fit has '%s'",
						robust_se_name(v.se)),
				 errhint("For clusters and PSUs use survey_reg.meat over survey_reg.score_sum per unit.")));
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	if (c == NULL)
	{
		c = palloc0(sizeof(MeatOfCache));
		fcinfo->flinfo->fn_extra = c;
	}
	c->kernel = robust_kernel_build(&v, cache_alloc);
	MemoryContextSwitchTo(old);
	if (c->kernel == NULL)
		elog(ERROR, "out of memory");
	c->data = data;
	c->len = len;
	c->id = v.id;
	return c->kernel;
}

static Datum
meat_of_common(FunctionCallInfo fcinfo, int first_var, bool weighted)
{
	MeatOfHeader *h;
	ArrayType  *fitarr;
	RobustKernel *k;
	int			ncols = PG_NARGS() - first_var;
	double		w = 1.0;
	double		row_stack[STACK_COLS],
				xs_stack[STACK_COLS + 1],
				u_stack[STACK_COLS * 4];
	double	   *row,
			   *xs,
			   *u,
			   *sum,
			   *cross;
	bool		finite;
	int			i,
				j,
				o,
				kk;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("meat_of transition function called in non-aggregate context")));
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("meat_of: fit must not be NULL")));
	fitarr = PG_GETARG_ARRAYTYPE_P(1);
	if (PG_ARGISNULL(0))
	{
		RobustFitView fv;

		robust_fit_view_arg(fitarr, &fv);
		if (ncols != fv.ncols)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("meat_of: %d columns given, the fit has %d (the dependent, then every predictor in the order of blocks)",
							ncols, fv.ncols)));
		for (i = first_var; i < PG_NARGS(); i++)
			if (get_fn_expr_argtype(fcinfo->flinfo, i) != FLOAT8OID)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("meat_of arguments must be of type double precision"),
						 errdetail("Argument %d is not, or its type cannot be determined.",
								   i - first_var + 1),
						 errhint("Cast each argument to float8.")));
		k = mo_kernel(fcinfo, fitarr, &fv);
		h = mo_new(&fv);
	}
	else
	{
		/* ours to change in place: the executor's copy of the state */
		h = (MeatOfHeader *) PG_GETARG_BYTEA_P(0);
		k = mo_kernel(fcinfo, fitarr, NULL);
		if (k->id != (((uint64) (uint32) ((double *) ARR_DATA_PTR(fitarr))[RF_ID_HI] << 32)
					  | (uint32) ((double *) ARR_DATA_PTR(fitarr))[RF_ID_LO])
			|| k->q != h->q)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("meat_of: the fit changed within one aggregate")));
	}

	if (weighted)
	{
		if (PG_ARGISNULL(2))
		{
			if (k->weight == ROBUST_W_PROBABILITY)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("a probability weight is NULL"),
						 errdetail("Every row of a sample needs its sampling weight, as in R's svydesign."),
						 errhint("Leave such rows out with a view or a WHERE clause.")));
			w = 0.0;			/* frequency weight NULL: the row skipped */
		}
		else
		{
			w = PG_GETARG_FLOAT8(2);
			if (w < 0.0 || !isfinite(w))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("weight must be a non-negative finite number"),
						 errdetail("The weight is %g.", w)));
		}
	}
	else if (k->weight == ROBUST_W_PROBABILITY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the fit has probability weights, but no weight was given"),
				 errhint("Call meat_of_weighted(fit, weight, ...).")));

	h->units += 1;
	if (w == 0.0)
		goto done;
	row = ncols <= STACK_COLS ? row_stack : palloc(sizeof(double) * ncols);
	for (i = 0; i < ncols; i++)
	{
		if (PG_ARGISNULL(first_var + i))
			goto done;
		row[i] = PG_GETARG_FLOAT8(first_var + i);
		if (!isfinite(row[i]))
			goto done;
	}
	xs = ncols + 1 <= STACK_COLS + 1 ? xs_stack : palloc(sizeof(double) * (ncols + 1));
	u = k->q <= STACK_COLS * 4 ? u_stack : palloc(sizeof(double) * k->q);
	finite = robust_kernel_scores(k, row, w, xs, u);
	if (!finite)
		h->finite = 0;
	h->nonnull += 1;
	sum = mo_sum(h);
	cross = sum + k->q;
	for (i = 0; i < k->q; i++)
		sum[i] += u[i];
	/* per model, the packed upper triangle of u u' */
	o = 0;
	kk = 0;
	for (j = 0; j < k->nmodels; j++)
	{
		int			p = k->p[j],
					s,
					t;
		const double *us = u + o;

		for (s = 0; s < p; s++)
		{
			double		a = us[s];
			double	   *c = cross + kk - s;

			for (t = s; t < p; t++)
				c[t] = fma(a, us[t], c[t]);
			kk += p - s;
		}
		o += p;
	}
	if (++h->pending >= MEAT_OF_BATCH)
		mo_fold(h);
	if (row != row_stack)
		pfree(row);
	if (xs != xs_stack)
		pfree(xs);
	if (u != u_stack)
		pfree(u);
	PG_RETURN_BYTEA_P(h);

done:
	/* a unit without a complete row */
	if (++h->pending >= MEAT_OF_BATCH)
		mo_fold(h);
	PG_RETURN_BYTEA_P(h);
}

Datum
meat_of_transfn(PG_FUNCTION_ARGS)
{
	return meat_of_common(fcinfo, 2, false);
}

Datum
meat_of_weighted_transfn(PG_FUNCTION_ARGS)
{
	return meat_of_common(fcinfo, 3, true);
}

/* partial states of parallel workers: fold both, merge the meats */
Datum
meat_of_combinefn(PG_FUNCTION_ARGS)
{
	MeatOfHeader *a = mo_check(PG_GETARG_BYTEA_P_COPY(0));
	MeatOfHeader *b = mo_check(PG_GETARG_BYTEA_P_COPY(1));
	bytea	   *meat;
	MeatOfHeader *r;
	Size		size;

	mo_fold(a);
	mo_fold(b);
	meat = robust_meat_merge(mo_meat(a), mo_meat(b));
	if (meat == mo_meat(a))
		PG_RETURN_BYTEA_P(a);
	/* the merge added strata: a meat over rows has one, so not reached */
	size = MEAT_OF_HEADER + sizeof(double) * ((Size) a->q + a->nblock) + VARSIZE(meat);
	r = palloc0(size);
	memcpy(r, a, MEAT_OF_HEADER);
	SET_VARSIZE(r, size);
	memcpy(mo_meat(r), meat, VARSIZE(meat));
	PG_RETURN_BYTEA_P(r);
}

/* the meat, as survey_reg.meat gives it (the state is left as it is) */
Datum
meat_of_finalfn(PG_FUNCTION_ARGS)
{
	MeatOfHeader *h = mo_check(PG_GETARG_BYTEA_P_COPY(0));

	mo_fold(h);
	PG_RETURN_BYTEA_P(mo_meat(h));
}
