/*
 * robust_meat_of.c — meat_of(fit, [weight,] y, x1, ..): the HC0-HC3 meat
 * over rows at the cost of a scan, the table-name forms' second scan.
 *
 * meat(fit, scores(fit, ARRAY[...])) builds two arrays per row and sums
 * every cross-product in double-double: profiled at 1M rows x 10
 * predictors it cost 8 x the classical fit.  Here the columns come as
 * separate float8 arguments (no array), the fit is unpacked once per query
 * (cached in fn_extra, keyed by the fit's identity), and the transition
 * only stores the row, shifted, in a buffer of MEAT_OF_BATCH rows by
 * column, like the moments update's.  The flush then does all the
 * arithmetic along the rows, in vectors: the residuals in double and the
 * leverages (robust_kernel_batch), and the cross-products, four at a time
 * over the batch (fixed order), added to the meat's double-double sums
 * once per batch.
 *
 * The state is a bytea: a header, the models' terms, the buffer and the
 * meat (the value of survey_reg.meat, to which the final function reduces
 * it); it holds all the flush needs (the coefficients and the leverage
 * factors too), so that the combine and final functions (and parallel
 * workers' partial states) need no fit.  A
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

#define MEAT_OF_MAGIC	0x4d4f4633	/* "MOF3" */
#define MEAT_OF_BATCH	64			/* rows per buffer, a multiple of 8 */

typedef struct MeatOfHeader
{
	int32		vl_len_;
	int32		magic;
	int32		pending;		/* rows in the buffer */
	int32		q;
	int32		nblock;
	int32		ncols;
	int32		nmodels;
	int32		finite;			/* every flushed g finite */
	int32		se;				/* the kernel's (RobustKernel) */
	int32		weight;
	int32		nested;
	int32		P;
	int32		nfac;			/* doubles of its leverage factors */
	double		units;			/* units not yet in the meat */
	double		nonnull;		/* of which with a complete row */
	/*
	 * int32 p[nmodels], col[q] (MAXALIGN'ed); double b[q], fac[nfac]
	 * (M if nested, else every model's U), xs[(ncols + 1) * B], w[B],
	 * g[nmodels * B]; the meat
	 */
} MeatOfHeader;

#define MEAT_OF_HEADER	MAXALIGN(sizeof(MeatOfHeader))

static int32 *
mo_p(MeatOfHeader *h)
{
	return (int32 *) ((char *) h + MEAT_OF_HEADER);
}

static Size
mo_terms_size(int nmodels, int q)
{
	return MAXALIGN(sizeof(int32) * ((Size) nmodels + q));
}

static double *
mo_b(MeatOfHeader *h)
{
	return (double *) ((char *) h + MEAT_OF_HEADER + mo_terms_size(h->nmodels, h->q));
}

static double *
mo_xs(MeatOfHeader *h)
{
	return mo_b(h) + (Size) h->q + h->nfac;
}

static double *
mo_w(MeatOfHeader *h)
{
	return mo_xs(h) + (Size) (h->ncols + 1) * MEAT_OF_BATCH;
}

static double *
mo_g(MeatOfHeader *h)
{
	return mo_w(h) + MEAT_OF_BATCH;
}

static Size
mo_fixed_size(int nmodels, int q, int ncols, int nfac)
{
	return MEAT_OF_HEADER + mo_terms_size(nmodels, q)
		+ sizeof(double) * ((Size) q + nfac
							+ (Size) MEAT_OF_BATCH * ((Size) ncols + 2 + nmodels));
}

static bytea *
mo_meat(MeatOfHeader *h)
{
	return (bytea *) ((char *) h + mo_fixed_size(h->nmodels, h->q, h->ncols, h->nfac));
}

/* the doubles of a kernel's leverage factors */
static long long
mo_nfac(int se, bool nested, int P, const int32 *p, int nmodels)
{
	long long	n = 0;
	int			j;

	if (se != ROBUST_HC2 && se != ROBUST_HC3)
		return 0;
	if (nested)
		return (long long) P * P;
	for (j = 0; j < nmodels; j++)
		n += (long long) p[j] * p[j];
	return n;
}

/* the kernel the state holds, its arrays in place */
static void
mo_kernel_of(MeatOfHeader *h, RobustKernel *k)
{
	memset(k, 0, sizeof(RobustKernel));
	k->se = (RobustSe) h->se;
	k->weight = (RobustWeight) h->weight;
	k->ncols = h->ncols;
	k->nmodels = h->nmodels;
	k->q = h->q;
	k->nblock = h->nblock;
	k->p = mo_p(h);
	k->col = mo_p(h) + h->nmodels;
	k->b = mo_b(h);
	k->nested = h->nested != 0;
	k->P = h->P;
	k->A = k->M = mo_b(h) + h->q;
}

static void
mo_bad(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid meat_of state")));
}

/* a state read from an argument (a copy, ours), checked */
static MeatOfHeader *
mo_check(bytea *b)
{
	MeatOfHeader *h = (MeatOfHeader *) b;
	Size		size = VARSIZE(b);
	int32	   *p,
			   *col;
	long long	q = 0,
				nblock = 0;
	int			mq,
				mnblock,
				j;

	if (size < MEAT_OF_HEADER || h->magic != MEAT_OF_MAGIC
		|| h->nmodels < 1 || h->nmodels > MOMENTS_MAX_K
		|| h->ncols < 1 || h->ncols > MOMENTS_MAX_K
		|| h->q < 0 || h->q > ROBUST_MAX_BLOCK
		|| h->pending < 0 || h->pending > MEAT_OF_BATCH
		|| h->se < ROBUST_HC0 || h->se > ROBUST_HC3
		|| (h->weight != ROBUST_W_FREQUENCY && h->weight != ROBUST_W_PROBABILITY)
		|| (h->nested != 0 && h->nested != 1)
		|| h->nfac < 0 || h->nfac > ROBUST_MAX_BLOCK * 2
		|| !(h->units >= 0) || !(h->nonnull >= 0))
		mo_bad();
	if (size < MEAT_OF_HEADER + mo_terms_size(h->nmodels, h->q))
		mo_bad();
	p = mo_p(h);
	col = p + h->nmodels;
	for (j = 0; j < h->nmodels; j++)
	{
		if (p[j] < 0 || p[j] > h->ncols)
			mo_bad();
		/* nested: the models' p rising to the last's, P */
		if (h->nested && (p[j] < (j > 0 ? p[j - 1] : 0) || p[j] > h->P))
			mo_bad();
		q += p[j];
		nblock += (long long) p[j] * (p[j] + 1) / 2;
	}
	if (q != h->q || nblock != h->nblock
		|| (h->nested && p[h->nmodels - 1] != h->P)
		|| mo_nfac(h->se, h->nested, h->P, p, h->nmodels) != h->nfac)
		mo_bad();
	if (size < mo_fixed_size(h->nmodels, h->q, h->ncols, h->nfac) + VARHDRSZ)
		mo_bad();
	for (j = 0; j < h->q; j++)
		if (col[j] < -1 || col[j] >= h->ncols)
			mo_bad();
	if (VARSIZE(mo_meat(h)) != size - mo_fixed_size(h->nmodels, h->q, h->ncols, h->nfac))
		mo_bad();
	robust_meat_checked(mo_meat(h), &mq, &mnblock);
	if (mq != h->q || mnblock != h->nblock)
		mo_bad();
	return h;
}

/*
 * The batch's sums and cross-products in vectors of four (GCC lowers them
 * to pairs of two-lane operations where AVX is missing: the same
 * operations, so the same bits).  Compiled twice, plain and for AVX2 (no
 * FMA, -ffp-contract=off), the latter chosen on CPUs that have it; GCC
 * only, as the moments' kernels (moments_batch.c).
 */
typedef double v4d __attribute__((vector_size(32)));
/* an unaligned, aliasing-safe load (a macro: no vector crosses a call) */
typedef double v4du __attribute__((vector_size(32), aligned(8), may_alias));
#define mo_ld(p) (*(const v4du *) (p))

/*
 * U[t][r] = x~ g, the score of term t in row r, then per model the sum of
 * each score and the packed upper triangle of its cross-products, four at
 * a time: four independent accumulators in a fixed order, so that the
 * loads of a row of scores are shared and no sum waits on the one before
 * (one dot product at a time was a chain of dependent additions).  n a
 * multiple of 8.
 */
static inline __attribute__((always_inline)) void
mo_cross_body(int nmodels, const int32 *p, const int32 *col, const double *xs,
			  const double *g, int n, double *U, double *sum, double *cross)
{
	int			j,
				o = 0,
				kk = 0;

	for (j = 0; j < nmodels; j++)
	{
		const double *gj = g + (Size) j * MEAT_OF_BATCH;
		int			s,
					t,
					r;

		for (t = 0; t < p[j]; t++)
		{
			const double *x = xs + (Size) (col[o + t] + 1) * MEAT_OF_BATCH;
			double	   *u = U + (Size) t * MEAT_OF_BATCH;

			for (r = 0; r < n; r += 4)
			{
				v4d			v = mo_ld(x + r) * mo_ld(gj + r);

				memcpy(u + r, &v, sizeof(v4d));
			}
		}
		for (s = 0; s < p[j]; s++)
		{
			const double *us = U + (Size) s * MEAT_OF_BATCH;
			v4d			a0 = {0, 0, 0, 0},
						a1 = {0, 0, 0, 0};

			for (r = 0; r < n; r += 8)
			{
				a0 += mo_ld(us + r);
				a1 += mo_ld(us + r + 4);
			}
			a0 += a1;
			sum[o + s] = (a0[0] + a0[2]) + (a0[1] + a0[3]);
			for (t = s; t < p[j]; t += 4)
			{
				const double *b[4];
				v4d			s0 = {0, 0, 0, 0},
							s1 = {0, 0, 0, 0},
							s2 = {0, 0, 0, 0},
							s3 = {0, 0, 0, 0};
				int			c = Min(4, p[j] - t),
							i;

				/* past the row's end: a repeat, computed and not kept */
				for (i = 0; i < 4; i++)
					b[i] = U + (Size) (t + (i < c ? i : 0)) * MEAT_OF_BATCH;
				for (r = 0; r < n; r += 4)
				{
					v4d			x = mo_ld(us + r);

					s0 += x * mo_ld(b[0] + r);
					s1 += x * mo_ld(b[1] + r);
					s2 += x * mo_ld(b[2] + r);
					s3 += x * mo_ld(b[3] + r);
				}
				cross[kk++] = (s0[0] + s0[2]) + (s0[1] + s0[3]);
				if (c > 1)
					cross[kk++] = (s1[0] + s1[2]) + (s1[1] + s1[3]);
				if (c > 2)
					cross[kk++] = (s2[0] + s2[2]) + (s2[1] + s2[3]);
				if (c > 3)
					cross[kk++] = (s3[0] + s3[2]) + (s3[1] + s3[3]);
			}
		}
		o += p[j];
	}
}

static void
mo_cross_generic(int nmodels, const int32 *p, const int32 *col,
				 const double *xs, const double *g, int n, double *U,
				 double *sum, double *cross)
{
	mo_cross_body(nmodels, p, col, xs, g, n, U, sum, cross);
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define HAVE_AVX2_CROSS 1
__attribute__((target("avx2")))
static void
mo_cross_avx2(int nmodels, const int32 *p, const int32 *col,
			  const double *xs, const double *g, int n, double *U,
			  double *sum, double *cross)
{
	mo_cross_body(nmodels, p, col, xs, g, n, U, sum, cross);
}
#endif

static void
mo_cross(int nmodels, const int32 *p, const int32 *col, const double *xs,
		 const double *g, int n, double *U, double *sum, double *cross)
{
#ifdef HAVE_AVX2_CROSS
	if (moments_use_fma_kernels())
	{
		mo_cross_avx2(nmodels, p, col, xs, g, n, U, sum, cross);
		return;
	}
#endif
	mo_cross_generic(nmodels, p, col, xs, g, n, U, sum, cross);
}

/* room on the stack for the flush's sums and products */
#define MO_FLUSH_STACK	4096

/* the buffered rows and counts into the meat */
static void
mo_flush(MeatOfHeader *h)
{
	int			n = h->pending,
				n8 = (n + 7) & ~7;	/* rows padded with zero scores */
	int32	   *p = mo_p(h);
	int32	   *col = p + h->nmodels;
	double	   *xs = mo_xs(h);
	double	   *g = mo_g(h);
	double		stack[MO_FLUSH_STACK];
	double	   *sum,
			   *cross,
			   *U;
	Size		need;
	int			j,
				maxp = 0;

	if (h->units == 0)
		return;
	if (n > 0)
	{
		RobustKernel k;
		double		scratch[3 * MEAT_OF_BATCH];
		double	   *w = mo_w(h);
		int			c,
					r;

		/* the intercept's column; padding rows all 0, so their g too */
		for (r = 0; r < n; r++)
			xs[r] = 1.0;
		for (c = 0; c <= h->ncols; c++)
			for (r = n; r < n8; r++)
				xs[(Size) c * MEAT_OF_BATCH + r] = 0.0;
		for (r = n; r < n8; r++)
			w[r] = 0.0;
		mo_kernel_of(h, &k);
		if (!robust_kernel_batch(&k, xs, MEAT_OF_BATCH, w, n8, g, scratch))
			h->finite = 0;
	}
	for (j = 0; j < h->nmodels; j++)
		maxp = Max(maxp, p[j]);
	need = (Size) h->q + h->nblock + (Size) MEAT_OF_BATCH * (maxp > 0 ? maxp : 1);
	sum = need <= MO_FLUSH_STACK ? stack : palloc(sizeof(double) * need);
	cross = sum + h->q;
	U = cross + h->nblock;
	mo_cross(h->nmodels, p, col, xs, g, n8, U, sum, cross);
	robust_meat_add_batch(mo_meat(h), h->units, h->nonnull, sum, cross,
						  h->finite != 0);
	if (sum != stack)
		pfree(sum);
	h->units = h->nonnull = 0;
	h->pending = 0;
	h->finite = 1;
}

static MeatOfHeader *
mo_new(const RobustKernel *k, const RobustFitView *fv)
{
	bytea	   *meat = robust_meat_new_rows(fv);
	long long	nfac = mo_nfac(k->se, k->nested, k->P, k->p, k->nmodels);
	Size		fixed,
				size;
	MeatOfHeader *h;
	int32	   *p;

	if (nfac > ROBUST_MAX_BLOCK * 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the leverages of %d terms are too large for meat_of", k->q)));
	fixed = mo_fixed_size(k->nmodels, k->q, k->ncols, (int) nfac);
	size = fixed + VARSIZE(meat);
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the meat of %d cross-products exceeds 1 GB", fv->nblock)));
	h = palloc0(size);
	SET_VARSIZE(h, size);
	h->magic = MEAT_OF_MAGIC;
	h->q = k->q;
	h->nblock = k->nblock;
	h->ncols = k->ncols;
	h->nmodels = k->nmodels;
	h->finite = 1;
	h->se = k->se;
	h->weight = k->weight;
	h->nested = k->nested ? 1 : 0;
	h->P = k->P;
	h->nfac = (int32) nfac;
	p = mo_p(h);
	memcpy(p, k->p, sizeof(int32) * k->nmodels);
	memcpy(p + k->nmodels, k->col, sizeof(int32) * k->q);
	/* what the flush needs of the fit, so that the final function has it */
	memcpy(mo_b(h), k->b, sizeof(double) * k->q);
	if (nfac > 0)
		memcpy(mo_b(h) + k->q, k->nested ? k->M : k->A, sizeof(double) * nfac);
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
	double	   *bx;
	int			i,
				r;

	fitarr = robust_meat_fit_arg(fcinfo, "meat_of transition function", "meat_of");
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
		h = mo_new(k, &fv);
	}
	else
	{
		/* ours to change in place: the executor's copy of the state */
		h = (MeatOfHeader *) PG_GETARG_BYTEA_P(0);
		k = mo_kernel(fcinfo, fitarr, NULL);
		if (k->id != (((uint64) (uint32) ((double *) ARR_DATA_PTR(fitarr))[RF_ID_HI] << 32)
					  | (uint32) ((double *) ARR_DATA_PTR(fitarr))[RF_ID_LO])
			|| k->q != h->q || k->ncols != h->ncols || k->nmodels != h->nmodels)
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
	/* into the buffer, by column, shifted; its scores come at the flush */
	r = h->pending;
	bx = mo_xs(h) + MEAT_OF_BATCH + r;
	for (i = 0; i < ncols; i++)
	{
		double		x;

		if (PG_ARGISNULL(first_var + i))
			goto done;
		x = PG_GETARG_FLOAT8(first_var + i);
		if (!isfinite(x))
			goto done;
		bx[(Size) i * MEAT_OF_BATCH] = x - k->shift[i];
	}
	mo_w(h)[r] = w;
	h->nonnull += 1;
	if (++h->pending >= MEAT_OF_BATCH)
		mo_flush(h);
	PG_RETURN_BYTEA_P(h);

done:
	/* a unit without a complete row: counted, not buffered */
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

/* partial states of parallel workers: flush both, merge the meats */
Datum
meat_of_combinefn(PG_FUNCTION_ARGS)
{
	MeatOfHeader *a = mo_check(PG_GETARG_BYTEA_P_COPY(0));
	MeatOfHeader *b = mo_check(PG_GETARG_BYTEA_P_COPY(1));
	bytea	   *meat;
	MeatOfHeader *r;
	Size		fixed;

	if (a->q != b->q || a->ncols != b->ncols || a->nmodels != b->nmodels
		|| a->se != b->se || a->weight != b->weight || a->nfac != b->nfac)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("meat: cannot combine the meats of different fits")));
	mo_flush(a);
	mo_flush(b);
	meat = robust_meat_merge(mo_meat(a), mo_meat(b));
	if (meat == mo_meat(a))
		PG_RETURN_BYTEA_P(a);
	/* the merge added strata: a meat over rows has one, so not reached */
	fixed = mo_fixed_size(a->nmodels, a->q, a->ncols, a->nfac);
	r = palloc0(fixed + VARSIZE(meat));
	memcpy(r, a, fixed);
	SET_VARSIZE(r, fixed + VARSIZE(meat));
	memcpy(mo_meat(r), meat, VARSIZE(meat));
	PG_RETURN_BYTEA_P(r);
}

/* the meat, as survey_reg.meat gives it (the state is left as it is) */
Datum
meat_of_finalfn(PG_FUNCTION_ARGS)
{
	MeatOfHeader *h = mo_check(PG_GETARG_BYTEA_P_COPY(0));

	mo_flush(h);
	PG_RETURN_BYTEA_P(mo_meat(h));
}
