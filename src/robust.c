/*
 * robust.c — survey-grade inference for the hierarchical regression:
 * heteroskedasticity-robust (HC0-HC3), cluster-robust (CR1) and
 * design-based (linearization, with strata and PSUs) standard errors.  The
 * numerics are in core/robust_core.c; this file holds the SQL-callable
 * pieces and the second scan of the table-name forms.
 *
 * The one-pass moments state gives the coefficients and (X'WX)^-1 of every
 * model, but the sandwich's meat needs each row's residual (and leverage),
 * so it takes a second pass over the rows once the coefficients are known:
 *
 *   robust_fit(m, dependent, blocks, se, ...)   the fit of every model as a
 *                                               float8[] (the "fit")
 *   scores(fit, vars [, weight])                a row's score vector, every
 *                                               model concatenated
 *   score_sum(float8[])                         aggregate: cluster totals
 *   meat(fit, u [, stratum])                    aggregate over units (rows,
 *                                               clusters or PSUs): per
 *                                               stratum, the count, sum u and
 *                                               the blocks of sum u u'
 *   robust_coefficients(m, dependent, blocks,   the variances from it
 *                       meat)
 *
 * The table-name forms run the same computation faster (issue 18): for
 * HC0-HC3 the second scan is meat_of(fit, [weight,] y, x1, ..)
 * (robust_meat_of.c: no per-row arrays, batched sums); cluster and design
 * SEs with a cluster column take one grouped scan, each cluster's score
 * from its moments state (robust_groups.c); designs without clusters and
 * Citus relations run exactly the pieces above as one query (GROUP BY
 * stratum where needed) with the fit as a parameter.
 *
 * The meat is a bytea: a header naming the fit it belongs to (the fit's
 * 64-bit identity, se, weight type, intercept and model sizes), one entry
 * per stratum (units, units with a complete row, dd sums) and the strata's
 * keys.  Every bytea is checked before it is read, so a malformed one is an
 * error, never a crash.
 */
#include "robust.h"

#include <math.h>

#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/snapmgr.h"

PG_FUNCTION_INFO_V1(robust_scores_sql);
PG_FUNCTION_INFO_V1(score_sum_transfn);
PG_FUNCTION_INFO_V1(score_sum_combinefn);
PG_FUNCTION_INFO_V1(score_sum_finalfn);
PG_FUNCTION_INFO_V1(meat_transfn);
PG_FUNCTION_INFO_V1(meat_combinefn);

/* ---------------------------------------------------------------- */
/* options                                                           */
/* ---------------------------------------------------------------- */

static const char *const se_names[ROBUST_SE_COUNT] = {
	"hc0", "hc1", "hc2", "hc3", "cluster", "design"
};

RobustSe
robust_se_arg(const char *se)
{
	int			i;

	for (i = 0; i < ROBUST_SE_COUNT; i++)
		if (pg_strcasecmp(se, se_names[i]) == 0)
			return (RobustSe) i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("se must be 'hc0', 'hc1', 'hc2', 'hc3', 'cluster' or 'design'"),
			 errdetail("It is '%s'.", se)));
	return ROBUST_HC0;			/* not reached */
}

RobustWeight
robust_weight_arg(const char *weight_type)
{
	if (pg_strcasecmp(weight_type, "frequency") == 0)
		return ROBUST_W_FREQUENCY;
	if (pg_strcasecmp(weight_type, "probability") == 0)
		return ROBUST_W_PROBABILITY;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("weight_type must be 'frequency' or 'probability'"),
			 errdetail("It is '%s'.", weight_type)));
	return ROBUST_W_FREQUENCY;	/* not reached */
}

RobustLonely
robust_lonely_arg(const char *lonely_psu)
{
	static const char *const names[] = {
		"fail", "remove", "certainty", "adjust", "average"
	};
	int			i;

	for (i = 0; i < 5; i++)
		if (pg_strcasecmp(lonely_psu, names[i]) == 0)
			return (RobustLonely) i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("lonely_psu must be 'fail', 'remove', 'certainty', 'adjust' or 'average'"),
			 errdetail("It is '%s'.", lonely_psu)));
	return ROBUST_LONELY_FAIL;	/* not reached */
}

void
robust_options(RobustOptions *o, const char *se, const char *weight_type,
			   char *cluster, char *strata,
			   const char *lonely_psu, char *weight)
{
	bool		classical = se == NULL || pg_strcasecmp(se, "classical") == 0;

	memset(o, 0, sizeof(RobustOptions));
	o->weight = weight_type ? robust_weight_arg(weight_type) : ROBUST_W_FREQUENCY;
	o->lonely = lonely_psu ? robust_lonely_arg(lonely_psu) : ROBUST_LONELY_FAIL;
	o->weight_col = weight;
	o->cluster = cluster;
	o->strata = strata;
	if (o->weight == ROBUST_W_PROBABILITY && weight == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight_type => 'probability' needs a weight column"),
				 errhint("Name the column of sampling weights with weight => '...'.")));

	if (classical)
	{
		if (o->weight == ROBUST_W_PROBABILITY)
		{
			/* sampling weights: design-based unless another se is asked */
			o->robust = true;
			o->se = ROBUST_DESIGN;
			return;
		}
		if (cluster || strata)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s is only used with se => 'cluster' or se => 'design'",
							cluster ? "cluster" : "strata"),
					 errhint("Classical standard errors ignore clusters; ask for se => 'cluster' (CR1) or se => 'design'.")));
		o->robust = false;
		return;
	}

	o->robust = true;
	o->se = robust_se_arg(se);
	switch (o->se)
	{
		case ROBUST_CLUSTER:
			if (cluster == NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("se => 'cluster' needs a cluster column"),
						 errhint("Name it with cluster => '...'.")));
			if (strata)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("strata are only used with se => 'design'"),
						 errhint("Cluster-robust (CR1) standard errors have no strata; se => 'design' takes strata and clusters (PSUs).")));
			break;
		case ROBUST_DESIGN:
			if (weight && o->weight == ROBUST_W_FREQUENCY)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("se => 'design' takes sampling weights, not frequency weights"),
						 errhint("Add weight_type => 'probability', or leave out the weight for an equal-probability design.")));
			break;
		default:
			if (cluster || strata)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s is not used with se => '%s'",
								cluster ? "cluster" : "strata", se_names[o->se]),
						 errhint("Heteroskedasticity-robust standard errors treat rows as independent; ask for se => 'cluster' or se => 'design'.")));
			break;
	}
}

void
robust_check_columns(text *source, const RobustOptions *o)
{
	TableRef	t;

	if (!o->cluster && !o->strata)
		return;
	t = resolve_relation(source);
	if (o->cluster)
		check_column(&t, o->cluster);
	if (o->strata)
		check_column(&t, o->strata);
}

/* ---------------------------------------------------------------- */
/* the fit                                                           */
/* ---------------------------------------------------------------- */

static void *
robust_palloc(size_t size)
{
	return palloc_extended(size, MCXT_ALLOC_HUGE);
}

static void
robust_core_error(RobustStatus st)
{
	ereport(ERROR,
			(errcode(st == ROBUST_ERR_TOO_LARGE ? ERRCODE_PROGRAM_LIMIT_EXCEEDED
					 : ERRCODE_INTERNAL_ERROR),
			 errmsg("robust variance: %s", robust_status_message(st))));
}

RobustFit *
robust_fit_pg(const MomentsState *m, int dep, const int *preds, int npreds,
			  const int *block_ends, int nblocks, bool intercept,
			  const OlsFit *fit, RobustSe se, RobustWeight weight)
{
	const OlsModel *last = &fit->models[fit->nmodels - 1];
	bool	   *aliased = palloc(sizeof(bool) * (npreds > 0 ? npreds : 1));
	RobustStatus st;
	RobustFit  *rf;
	int			i;

	for (i = 0; i < npreds; i++)
		aliased[i] = last->terms[i + (intercept ? 1 : 0)].aliased;
	rf = robust_fit_build(m, dep, preds, npreds, block_ends, nblocks,
						  intercept, aliased, se, weight, robust_palloc, &st);
	if (rf == NULL)
		robust_core_error(st);
	return rf;
}

ArrayType *
robust_fit_array(const RobustFit *fit)
{
	Datum	   *d = palloc(sizeof(Datum) * fit->bloblen);
	int			i;

	for (i = 0; i < fit->bloblen; i++)
		d[i] = Float8GetDatum(fit->blob[i]);
	return construct_array(d, fit->bloblen, FLOAT8OID, sizeof(float8),
						   FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

/* a float8[] argument as a checked fit view */
void
robust_fit_view_arg(ArrayType *arr, RobustFitView *v)
{
	const char *err;

	if (ARR_NDIM(arr) != 1 || ARR_ELEMTYPE(arr) != FLOAT8OID || ARR_HASNULL(arr))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fit must be a one-dimensional float8[] without NULLs, as survey_reg.robust_fit returns")));
	err = robust_fit_view((const double *) ARR_DATA_PTR(arr),
						  ARR_DIMS(arr)[0], v);
	if (err)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid fit: %s", err),
				 errhint("Pass the array that survey_reg.robust_fit returned, unchanged.")));
}

/* ---------------------------------------------------------------- */
/* scores(fit float8[], vars float8[] [, weight float8]) → float8[]  */
/* ---------------------------------------------------------------- */

Datum
robust_scores_sql(PG_FUNCTION_ARGS)
{
	RobustFitView v;
	ArrayType  *vars;
	const double *x;
	double		w = 1.0;
	double	   *out;
	Datum	   *d;
	void	   *scratch;
	int			i;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	robust_fit_view_arg(PG_GETARG_ARRAYTYPE_P(0), &v);
	vars = PG_GETARG_ARRAYTYPE_P(1);
	if (ARR_NDIM(vars) != 1 || ARR_ELEMTYPE(vars) != FLOAT8OID
		|| ARR_DIMS(vars)[0] != v.ncols)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("vars must be a float8[] of %d elements: the dependent, then every predictor in the order of blocks",
						v.ncols)));

	if (PG_NARGS() >= 3)
	{
		if (PG_ARGISNULL(2))
		{
			if (v.weight == ROBUST_W_PROBABILITY)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("a probability weight is NULL"),
						 errdetail("Every row of a sample needs its sampling weight, as in R's svydesign."),
						 errhint("Leave such rows out with a view or a WHERE clause.")));
			PG_RETURN_NULL();	/* frequency weight NULL: row skipped */
		}
		w = PG_GETARG_FLOAT8(2);
		if (w < 0.0 || !isfinite(w))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight must be a non-negative finite number"),
					 errdetail("The weight is %g.", w)));
		if (w == 0.0)
			PG_RETURN_NULL();
	}
	else if (v.weight == ROBUST_W_PROBABILITY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the fit has probability weights, but no weight was given"),
				 errhint("Call scores(fit, vars, weight).")));

	/* listwise: an incomplete row has no score */
	if (ARR_HASNULL(vars))
		PG_RETURN_NULL();
	x = (const double *) ARR_DATA_PTR(vars);
	for (i = 0; i < v.ncols; i++)
		if (!isfinite(x[i]))
			PG_RETURN_NULL();

	out = palloc(sizeof(double) * (v.q > 0 ? v.q : 1));
	scratch = palloc(ROBUST_SCORES_SCRATCH(v.ncols));
	robust_scores(&v, x, w, out, scratch);
	d = palloc(sizeof(Datum) * (v.q > 0 ? v.q : 1));
	for (i = 0; i < v.q; i++)
		d[i] = Float8GetDatum(out[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, v.q, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* ---------------------------------------------------------------- */
/* score_sum(float8[]): elementwise sums in dd                       */
/* ---------------------------------------------------------------- */

/* the state: float8[2q], the hi parts then the lo parts */

/* a float8[] vector's length (an empty array has none); errors otherwise */
static int
check_vector(ArrayType *a, const char *what)
{
	if (ARR_NDIM(a) > 1 || ARR_ELEMTYPE(a) != FLOAT8OID || ARR_HASNULL(a))
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional float8[] without NULLs", what)));
	return ARR_NDIM(a) == 0 ? 0 : ARR_DIMS(a)[0];
}

static void
score_sum_add(double *hi, double *lo, const double *x, int n)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		dd			s = dd_add_d(dd_make(hi[i], lo[i]), x[i]);

		hi[i] = s.hi;
		lo[i] = s.lo;
	}
}

/* the state argument, ours to change in place in an aggregate */
static ArrayType *
state_array(FunctionCallInfo fcinfo, int argno)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(argno);

	if (!AggCheckCallContext(fcinfo, NULL)
		&& (Pointer) a == DatumGetPointer(PG_GETARG_DATUM(argno)))
		a = DatumGetArrayTypePCopy(PG_GETARG_DATUM(argno));
	return a;
}

Datum
score_sum_transfn(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	ArrayType  *x;
	int			n;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("score_sum_transfn called in non-aggregate context")));
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	x = PG_GETARG_ARRAYTYPE_P(1);
	n = check_vector(x, "score_sum's argument");
	if (PG_ARGISNULL(0))
		state = float8_array_zeros(2 * n);
	else
	{
		int			have;

		state = state_array(fcinfo, 0);
		have = check_vector(state, "score_sum's state");
		if (have != 2 * n)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("score_sum: arrays of different lengths (%d and %d)",
							have / 2, n)));
	}
	score_sum_add((double *) ARR_DATA_PTR(state),
				  (double *) ARR_DATA_PTR(state) + n,
				  (const double *) ARR_DATA_PTR(x), n);
	PG_RETURN_ARRAYTYPE_P(state);
}

Datum
score_sum_combinefn(PG_FUNCTION_ARGS)
{
	ArrayType  *a = state_array(fcinfo, 0);
	ArrayType  *b = PG_GETARG_ARRAYTYPE_P(1);
	double	   *ah,
			   *bh;
	int			n,
				i;

	n = check_vector(a, "score_sum's state");
	if (n != check_vector(b, "score_sum's state") || n % 2 != 0)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("score_sum: states of different lengths")));
	n /= 2;
	ah = (double *) ARR_DATA_PTR(a);
	bh = (double *) ARR_DATA_PTR(b);
	for (i = 0; i < n; i++)
	{
		dd			s = dd_add(dd_make(ah[i], ah[n + i]), dd_make(bh[i], bh[n + i]));

		ah[i] = s.hi;
		ah[n + i] = s.lo;
	}
	PG_RETURN_ARRAYTYPE_P(a);
}

Datum
score_sum_finalfn(PG_FUNCTION_ARGS)
{
	ArrayType  *s;
	ArrayType  *out;
	const double *h;
	double	   *o;
	int			n,
				i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = PG_GETARG_ARRAYTYPE_P(0);
	n = check_vector(s, "score_sum's state") / 2;
	out = float8_array_zeros(n);
	h = (const double *) ARR_DATA_PTR(s);
	o = (double *) ARR_DATA_PTR(out);
	for (i = 0; i < n; i++)
		o[i] = h[i] + h[n + i];
	PG_RETURN_ARRAYTYPE_P(out);
}

/* ---------------------------------------------------------------- */
/* the meat                                                          */
/* ---------------------------------------------------------------- */

#define MEAT_MAGIC		0x4d454154	/* "MEAT" */
#define MEAT_VERSION	1

typedef struct MeatHeader
{
	int32		vl_len_;
	int32		magic;
	int32		version;
	uint32		id_hi;			/* the fit's identity */
	uint32		id_lo;
	int32		se;
	int32		weight;
	int32		intercept;
	int32		nmodels;
	int32		q;
	int32		nblock;
	int32		nstrata;
	int32		keys_len;		/* bytes of the keys area */
	int32		hint;			/* last stratum used: a cache, not the value */
	/* int32 p[nmodels], padded to 8 bytes; entries; keys */
} MeatHeader;

#define MEAT_HEADER_SIZE	MAXALIGN(sizeof(MeatHeader))

/* a checked meat, read in place */
typedef struct MeatView
{
	MeatHeader *h;
	bool		owned;			/* ours to change (the hint included) */
	const int32 *p;
	char	   *entries;
	char	   *keys;
	Size		entry_size;
} MeatView;

/* an entry: n_units, n_nonnull, then dd sum[q], dd cross[nblock] */
static Size
meat_entry_size(int q, int nblock)
{
	return sizeof(double) * 2 + sizeof(dd) * ((Size) q + (Size) nblock);
}

static Size
meat_p_size(int nmodels)
{
	return MAXALIGN(sizeof(int32) * (Size) nmodels);
}

static Size
meat_size(int nmodels, int q, int nblock, int nstrata, int keys_len)
{
	double		size = (double) MEAT_HEADER_SIZE + meat_p_size(nmodels)
		+ (double) meat_entry_size(q, nblock) * nstrata + keys_len;

	if (size > (double) MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the meat of %d strata with %d cross-products each exceeds 1 GB",
						nstrata, nblock),
				 errhint("Fewer strata or fewer models and predictors.")));
	return (Size) size;
}

static void
meat_bad(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid meat: %s", why),
			 errhint("Pass the value of the survey_reg.meat aggregate, unchanged.")));
}

/* check every length and offset of m, and read it */
static void
meat_view(bytea *m, MeatView *v)
{
	MeatHeader *h = (MeatHeader *) m;
	Size		size = VARSIZE(m);
	Size		expect;
	const char *k,
			   *end;
	int			i;
	long long	q = 0,
				nblock = 0;

	if (size < MEAT_HEADER_SIZE)
		meat_bad("too short");
	if (h->magic != MEAT_MAGIC || h->version != MEAT_VERSION)
		meat_bad("not a value of the survey_reg.meat aggregate");
	if (h->se < 0 || h->se >= ROBUST_SE_COUNT || h->weight < 0 || h->weight > 1
		|| h->intercept < 0 || h->intercept > 1
		|| h->nmodels < 1 || h->nmodels > MOMENTS_MAX_K
		|| h->q < 0 || h->nblock < 0 || h->nblock > ROBUST_MAX_BLOCK
		|| h->nstrata < 0 || h->keys_len < 0)
		meat_bad("malformed header");
	if (size < MEAT_HEADER_SIZE + meat_p_size(h->nmodels))
		meat_bad("too short");
	v->h = h;
	v->p = (const int32 *) ((char *) m + MEAT_HEADER_SIZE);
	for (i = 0; i < h->nmodels; i++)
	{
		if (v->p[i] < 0 || v->p[i] > MOMENTS_MAX_K)
			meat_bad("malformed model sizes");
		q += v->p[i];
		nblock += (long long) v->p[i] * (v->p[i] + 1) / 2;
	}
	if (q != h->q || nblock != h->nblock)
		meat_bad("model sizes do not match");
	if ((double) meat_entry_size(h->q, h->nblock) * h->nstrata + h->keys_len
		> (double) MaxAllocSize)
		meat_bad("too long");
	expect = MEAT_HEADER_SIZE + meat_p_size(h->nmodels)
		+ meat_entry_size(h->q, h->nblock) * h->nstrata + h->keys_len;
	if (size != expect)
		meat_bad("wrong length");
	v->entry_size = meat_entry_size(h->q, h->nblock);
	v->entries = (char *) m + MEAT_HEADER_SIZE + meat_p_size(h->nmodels);
	v->keys = v->entries + v->entry_size * h->nstrata;
	/* keys: a flag byte (0 NULL, 1 a value) then a NUL-terminated string */
	k = v->keys;
	end = v->keys + h->keys_len;
	for (i = 0; i < h->nstrata; i++)
	{
		const char *nul;
		const double *e = (const double *) (v->entries + v->entry_size * i);

		if (k >= end || (*k != 0 && *k != 1))
			meat_bad("malformed strata");
		nul = memchr(k + 1, '\0', end - (k + 1));
		if (nul == NULL || (*k == 0 && nul != k + 1))
			meat_bad("malformed strata");
		k = nul + 1;
		if (!(e[0] >= 0.0 && e[1] >= 0.0 && e[1] <= e[0]))
			meat_bad("malformed counts");
	}
	if (k != end)
		meat_bad("malformed strata");
	v->owned = false;
}

static double *
meat_entry(const MeatView *v, int i)
{
	return (double *) (v->entries + v->entry_size * i);
}

/* key i of v (NULL for the NULL stratum) and its length in the keys area */
static const char *
meat_key(const MeatView *v, int i, int *area_len)
{
	const char *k = v->keys;
	int			j;

	for (j = 0; j < i; j++)
		k += 1 + strlen(k + 1) + 1;
	if (area_len)
		*area_len = 1 + strlen(k + 1) + 1;
	return *k ? k + 1 : NULL;
}

static bool
key_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == NULL && b == NULL;
	return strcmp(a, b) == 0;
}

/* index of stratum key in v, or -1 */
static int
meat_find(const MeatView *v, const char *key)
{
	const char *k = v->keys;
	int			i;

	if (v->h->hint >= 0 && v->h->hint < v->h->nstrata)
	{
		/* the last stratum used first: rows often come stratum by stratum */
		const char *hk = meat_key(v, v->h->hint, NULL);

		if (key_equal(hk, key))
			return v->h->hint;
	}
	for (i = 0; i < v->h->nstrata; i++)
	{
		const char *s = *k ? k + 1 : NULL;

		if (key_equal(s, key))
		{
			if (v->owned)
				v->h->hint = i;
			return i;
		}
		k += 1 + strlen(k + 1) + 1;
	}
	return -1;
}

/* a new meat with one more stratum, zeroed, with key (palloc'ed) */
static bytea *
meat_add_stratum(const MeatView *v, const char *key, MeatView *nv)
{
	MeatHeader *h = v->h;
	int			klen = key ? strlen(key) : 0;
	Size		size = meat_size(h->nmodels, h->q, h->nblock, h->nstrata + 1,
								 h->keys_len + klen + 2);
	bytea	   *m = palloc0(size);
	char	   *entries,
			   *keys;

	memcpy(m, h, MEAT_HEADER_SIZE + meat_p_size(h->nmodels));
	SET_VARSIZE(m, size);
	entries = (char *) m + MEAT_HEADER_SIZE + meat_p_size(h->nmodels);
	memcpy(entries, v->entries, v->entry_size * h->nstrata);
	keys = entries + v->entry_size * (h->nstrata + 1);
	memcpy(keys, v->keys, h->keys_len);
	keys += h->keys_len;
	keys[0] = key ? 1 : 0;
	if (key)
		memcpy(keys + 1, key, klen);
	keys[1 + klen] = '\0';
	((MeatHeader *) m)->nstrata = h->nstrata + 1;
	((MeatHeader *) m)->keys_len = h->keys_len + klen + 2;
	((MeatHeader *) m)->hint = h->nstrata;
	/* the new entry: zero counts and sums (palloc0) */
	meat_view(m, nv);
	nv->owned = true;
	return m;
}

/* an empty meat for a fit */
static bytea *
meat_new(const RobustFitView *fv)
{
	Size		size;
	bytea	   *m;
	MeatHeader *h;
	int32	   *p;
	int			pos = robust_view_first_model(fv),
				j;

	size = meat_size(fv->nmodels, fv->q, fv->nblock, 0, 0);
	m = palloc0(size);
	SET_VARSIZE(m, size);
	h = (MeatHeader *) m;
	h->magic = MEAT_MAGIC;
	h->version = MEAT_VERSION;
	h->id_hi = (uint32) (fv->id >> 32);
	h->id_lo = (uint32) (fv->id & 0xffffffff);
	h->se = fv->se;
	h->weight = fv->weight;
	h->intercept = fv->intercept ? 1 : 0;
	h->nmodels = fv->nmodels;
	h->q = fv->q;
	h->nblock = fv->nblock;
	p = (int32 *) ((char *) m + MEAT_HEADER_SIZE);
	for (j = 0; j < fv->nmodels; j++)
	{
		RobustViewModel vm;

		robust_view_model(fv, pos, &vm);
		p[j] = vm.p;
		pos = vm.next;
	}
	return m;
}

/* the meat's fit is the one given (cheap: the identity in the header) */
static void
meat_check_fit(const MeatHeader *h, ArrayType *fitarr)
{
	const double *f = (const double *) ARR_DATA_PTR(fitarr);

	if (ARR_NDIM(fitarr) != 1 || ARR_ELEMTYPE(fitarr) != FLOAT8OID
		|| ARR_HASNULL(fitarr) || ARR_DIMS(fitarr)[0] < RF_HEADER
		|| f[RF_MAGIC] != ROBUST_FIT_MAGIC
		|| f[RF_ID_HI] != (double) h->id_hi || f[RF_ID_LO] != (double) h->id_lo)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("meat: the fit changed within one aggregate"),
				 errhint("Group by the state (or whatever the fit was made from) so that each meat has one fit.")));
}

/*
 * A meat to read: a bytea in a tuple is only int-aligned, the meat holds
 * doubles, so a copy when it is not at a MAXALIGN'ed address.
 */
static bytea *
meat_aligned(bytea *b)
{
	if ((uintptr_t) b % MAXIMUM_ALIGNOF != 0)
	{
		bytea	   *copy = palloc(VARSIZE(b));

		memcpy(copy, b, VARSIZE(b));
		b = copy;
	}
	return b;
}

/* the meat argument, ours to change in place in an aggregate */
static bytea *
state_bytea(FunctionCallInfo fcinfo, int argno)
{
	bytea	   *b = PG_GETARG_BYTEA_P(argno);

	if (!AggCheckCallContext(fcinfo, NULL)
		&& (Pointer) b == DatumGetPointer(PG_GETARG_DATUM(argno)))
		b = PG_GETARG_BYTEA_P_COPY(argno);
	return meat_aligned(b);
}

/*
 * Squared scores beyond double precision (probability weights of 1e200:
 * w^2 = 1e400) made NaN standard errors, silently; the scores' scale does
 * not matter to a probability-weighted fit, so the user can rescale.
 */
pg_noreturn static void
meat_overflow_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("value out of range: the robust variance's sums of squared scores overflow"),
			 errdetail("A unit's score (predictors times residual times weight) is too large to square in double precision."),
			 errhint("Rescale the weights: probability weights give the same estimates and standard errors at any scale.")));
}

/*
 * A unit's scores into its stratum's sums.  Inlined into a portable and an
 * FMA build (the exact products then an instruction, not a call into libm;
 * the same bits): with thousands of PSUs the calls showed in the profile.
 */
static inline __attribute__((always_inline)) void
meat_accumulate_body(const MeatView *v, int stratum, const double *u)
{
	double	   *e = meat_entry(v, stratum);
	dd		   *sum = (dd *) (e + 2);
	dd		   *cross = sum + v->h->q;
	int			j,
				o = 0,
				k = 0;

	e[0] += 1.0;
	if (u == NULL)
		return;
	e[1] += 1.0;
	for (j = 0; j < v->h->q; j++)
		sum[j] = dd_add_d(sum[j], u[j]);
	for (j = 0; j < v->h->nmodels; j++)
	{
		int			p = v->p[j],
					s,
					t;

		for (s = 0; s < p; s++)
		{
			double		us = u[o + s];

			for (t = s; t < p; t++, k++)
			{
				bool		was_finite = isfinite(cross[k].hi);

				cross[k] = dd_add(cross[k], dd_mul_dd_d(us, u[o + t]));
				/* finite scores whose products or sums overflow */
				if (was_finite && !isfinite(cross[k].hi)
					&& isfinite(us) && isfinite(u[o + t]))
					meat_overflow_error();
			}
		}
		o += p;
	}
}

static void
meat_accumulate_generic(const MeatView *v, int stratum, const double *u)
{
	meat_accumulate_body(v, stratum, u);
}

#ifdef MOMENTS_FMA_BUILD
__attribute__((target("avx2,fma")))
static void
meat_accumulate_fma(const MeatView *v, int stratum, const double *u)
{
	meat_accumulate_body(v, stratum, u);
}
#endif

static void
meat_accumulate(const MeatView *v, int stratum, const double *u)
{
#ifdef MOMENTS_FMA_BUILD
	if (moments_use_fma_kernels())
	{
		meat_accumulate_fma(v, stratum, u);
		return;
	}
#endif
	meat_accumulate_generic(v, stratum, u);
}

/*
 * The fit (argument 1) of a meat aggregate's transition function (meat,
 * meat_of), once it is known to run as an aggregate; transfn and agg name
 * the function and the aggregate in the errors.
 */
ArrayType *
robust_meat_fit_arg(FunctionCallInfo fcinfo, const char *transfn,
					const char *agg)
{
	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s called in non-aggregate context", transfn)));
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s: fit must not be NULL", agg)));
	return PG_GETARG_ARRAYTYPE_P(1);
}

/*
 * meat(fit float8[], u float8[] [, stratum text]): a unit (row, cluster or
 * PSU) with score u; NULL u is a unit without a complete row.
 */
Datum
meat_transfn(PG_FUNCTION_ARGS)
{
	bytea	   *state;
	MeatView	v;
	ArrayType  *fitarr;
	const char *key = NULL;
	const double *u = NULL;
	int			s;

	fitarr = robust_meat_fit_arg(fcinfo, "meat_transfn", "meat");
	if (PG_ARGISNULL(0))
	{
		RobustFitView fv;

		robust_fit_view_arg(fitarr, &fv);
		state = meat_new(&fv);
	}
	else
	{
		state = state_bytea(fcinfo, 0);
		meat_check_fit((MeatHeader *) state, fitarr);
	}
	meat_view(state, &v);
	v.owned = true;
	if (PG_NARGS() > 3 && !PG_ARGISNULL(3))
		key = text_to_cstring(PG_GETARG_TEXT_PP(3));
	if (!PG_ARGISNULL(2))
	{
		ArrayType  *ua = PG_GETARG_ARRAYTYPE_P(2);
		int			len = check_vector(ua, "meat's scores");

		if (len != v.h->q)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("meat: the scores have %d elements, the fit %d",
							len, v.h->q)));
		u = (const double *) ARR_DATA_PTR(ua);
	}
	s = meat_find(&v, key);
	if (s < 0)
	{
		MeatView	nv;

		state = meat_add_stratum(&v, key, &nv);
		v = nv;
		s = v.h->nstrata - 1;
	}
	meat_accumulate(&v, s, u);
	PG_RETURN_BYTEA_P(state);
}

/* a += b (a ours to change; may be reallocated for new strata) */
bytea *
robust_meat_merge(bytea *a, bytea *b)
{
	MeatView	va,
				vb;
	int			i;

	meat_view(a, &va);
	va.owned = true;
	meat_view(b, &vb);
	if (va.h->id_hi != vb.h->id_hi || va.h->id_lo != vb.h->id_lo
		|| va.h->q != vb.h->q || va.h->nblock != vb.h->nblock)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("meat: cannot combine the meats of different fits")));
	for (i = 0; i < vb.h->nstrata; i++)
	{
		const char *key = meat_key(&vb, i, NULL);
		int			s = meat_find(&va, key);
		double	   *ea,
				   *eb = meat_entry(&vb, i);
		dd		   *sa,
				   *sb = (dd *) (eb + 2);
		int			j;

		if (s < 0)
		{
			MeatView	nv;

			a = meat_add_stratum(&va, key, &nv);
			va = nv;
			s = va.h->nstrata - 1;
		}
		ea = meat_entry(&va, s);
		sa = (dd *) (ea + 2);
		ea[0] += eb[0];
		ea[1] += eb[1];
		for (j = 0; j < va.h->q + va.h->nblock; j++)
			sa[j] = dd_add(sa[j], sb[j]);
	}
	return a;
}

Datum
meat_combinefn(PG_FUNCTION_ARGS)
{
	bytea	   *a = state_bytea(fcinfo, 0);
	bytea	   *b = meat_aligned(PG_GETARG_BYTEA_P(1));

	PG_RETURN_BYTEA_P(robust_meat_merge(a, b));
}

/* an empty meat of a fit with the one NULL stratum (rows as units) */
bytea *
robust_meat_new_rows(const RobustFitView *fv)
{
	MeatView	v,
				nv;
	bytea	   *m = meat_new(fv);

	meat_view(m, &v);
	v.owned = true;
	return meat_add_stratum(&v, NULL, &nv);
}

/* a meat, checked (errors if malformed); aligned for reading */
bytea *
robust_meat_checked(bytea *meat, int *q, int *nblock)
{
	MeatView	v;

	meat = meat_aligned(meat);
	meat_view(meat, &v);
	*q = v.h->q;
	*nblock = v.h->nblock;
	return meat;
}

/*
 * Add a batch of units to stratum 0 of a meat of robust_meat_new_rows:
 * units, those with a complete row, and the plain sums of u and of u u'
 * (packed per model) over them.  finite: every score in the batch was
 * finite, so a sum that is not is an overflow of its squares.
 */
void
robust_meat_add_batch(bytea *meat, double units, double nonnull,
					  const double *sum, const double *cross, bool finite)
{
	MeatView	v;
	double	   *e;
	dd		   *s;
	int			j;

	meat_view(meat, &v);
	if (v.h->nstrata != 1)
		meat_bad("not a meat over rows");
	e = meat_entry(&v, 0);
	s = (dd *) (e + 2);
	e[0] += units;
	e[1] += nonnull;
	if (nonnull == 0)
		return;
	for (j = 0; j < v.h->q; j++)
		s[j] = dd_add_d(s[j], sum[j]);
	s += v.h->q;
	for (j = 0; j < v.h->nblock; j++)
	{
		if (finite && !isfinite(cross[j]))
			meat_overflow_error();
		s[j] = dd_add_d(s[j], cross[j]);
	}
}

/*
 * One unit (u NULL: without a complete row) in stratum key of an owned
 * meat; returns the meat, reallocated when the stratum is new.
 */
bytea *
robust_meat_add_unit(bytea *meat, const char *key, const double *u)
{
	MeatView	v;
	int			s;

	meat_view(meat, &v);
	v.owned = true;
	s = meat_find(&v, key);
	if (s < 0)
	{
		MeatView	nv;

		meat = meat_add_stratum(&v, key, &nv);
		v = nv;
		s = v.h->nstrata - 1;
	}
	meat_accumulate(&v, s, u);
	return meat;
}

/* an empty meat of a fit (the table-name forms' grouped path) */
bytea *
robust_meat_new(const RobustFit *fit)
{
	RobustFitView fv;
	const char *err = robust_fit_view(fit->blob, fit->bloblen, &fv);

	if (err)
		elog(ERROR, "survey_reg: invalid fit: %s", err);
	return meat_new(&fv);
}

void
robust_meat_settings(bytea *meat, RobustSe *se, RobustWeight *weight,
					 bool *intercept)
{
	MeatView	v;

	meat_view(meat_aligned(meat), &v);
	*se = (RobustSe) v.h->se;
	*weight = (RobustWeight) v.h->weight;
	*intercept = v.h->intercept != 0;
}

/* ---------------------------------------------------------------- */
/* the second scan of the table-name forms                           */
/* ---------------------------------------------------------------- */

/* ", " between the expressions (and one before them when comma) */
static void
append_exprs(StringInfo sql, char **vars, int nvars, bool comma)
{
	for (int i = 0; i < nvars; i++)
		appendStringInfo(sql, "%s%s", (i || comma) ? ", " : "", vars[i]);
}

/* vars: float8 SQL expressions of the dependent and the predictors */
void
append_score_call(StringInfo sql, const TableRef *t, char **vars, int nvars,
				  const char *weight)
{
	appendStringInfoString(sql, "survey_reg.scores($1, ARRAY[");
	append_exprs(sql, vars, nvars, false);
	appendStringInfoString(sql, "]::pg_catalog.float8[]");
	if (weight)
		appendStringInfo(sql, ", %s", column_float8_expr(t, weight));
	appendStringInfoChar(sql, ')');
}

/*
 * One query: the meat (column 1), whether a unit with a complete row has a
 * NULL cluster (2), whether a stratum is NULL (3).
 *
 *   HC:                    meat over rows
 *   cluster:               cluster totals (GROUP BY cluster), meat over them
 *   design with clusters:  PSU totals (GROUP BY stratum, cluster), meat
 *                          over them by stratum
 *   design without:        meat over rows by stratum
 */
char *
robust_table_meat_sql(text *source, char **columns, int ncolumns,
					  const RobustOptions *o)
{
	TableRef	t = resolve_relation(source);
	char	  **vars = palloc(sizeof(char *) * (ncolumns > 0 ? ncolumns : 1));
	int			i;

	/* the same errors as the first scan's, before this query is prepared */
	check_columns(&t, columns, ncolumns);
	for (i = 0; i < ncolumns; i++)
		vars[i] = column_float8_expr(&t, columns[i]);
	return robust_table_meat_sql_exprs(source, vars, ncolumns, o);
}

/*
 * The relation a design's second scan reads: a design's rows that the
 * regression drops listwise (a NULL model column or weight) need no design
 * columns (issue 16), so they are left out when they lack one and neither
 * fail nor add a PSU.  vars: the float8 expressions of the model's columns.
 */
char *
robust_design_rows(const TableRef *t, char **vars, int nvars,
				   const RobustOptions *o)
{
	const char *cl = o->cluster ? quote_identifier(o->cluster) : NULL;
	const char *st = o->strata ? quote_identifier(o->strata) : NULL;
	StringInfoData from;
	int			i;

	if (o->se != ROBUST_DESIGN || !(cl || st))
		return t->sql_name;
	initStringInfo(&from);
	appendStringInfo(&from, "(SELECT * FROM %s WHERE (%s%s%s) OR (", t->sql_name,
					 st ? psprintf("(%s) IS NOT NULL", st) : "",
					 st && cl ? " AND " : "",
					 cl ? psprintf("(%s) IS NOT NULL", cl) : "");
	for (i = 0; i < nvars; i++)
		appendStringInfo(&from, "%s(%s) IS NOT NULL", i ? " AND " : "", vars[i]);
	if (o->weight_col)
		appendStringInfo(&from, " AND (%s) IS NOT NULL", quote_identifier(o->weight_col));
	appendStringInfoString(&from, ")) AS design_rows");
	return from.data;
}

/* the same with the variables as float8 SQL expressions (model_terms.c) */
char *
robust_table_meat_sql_exprs(text *source, char **vars, int nvars,
							const RobustOptions *o)
{
	TableRef	t = resolve_relation(source);
	char	   *rel = t.sql_name;
	const char *cl = o->cluster ? quote_identifier(o->cluster) : NULL;
	const char *st = o->strata ? quote_identifier(o->strata) : NULL;
	StringInfoData sql;

	if (o->weight_col)
		check_column(&t, o->weight_col);
	rel = robust_design_rows(&t, vars, nvars, o);
	initStringInfo(&sql);
	/* meat_of's transition function takes the state, fit, weight, columns */
	if (o->se != ROBUST_CLUSTER && o->se != ROBUST_DESIGN && !t.on_citus
		&& 2 + (o->weight_col ? 1 : 0) + nvars <= FUNC_MAX_ARGS)
	{
		/* rows as units: the batched aggregate (robust_meat_of.c) */
		if (o->weight_col)
			appendStringInfo(&sql, "SELECT survey_reg.meat_of_weighted($1, %s",
							 column_float8_expr(&t, o->weight_col));
		else
			appendStringInfoString(&sql, "SELECT survey_reg.meat_of($1");
		append_exprs(&sql, vars, nvars, true);
		appendStringInfo(&sql, "), false, false FROM %s", rel);
	}
	else if (o->se != ROBUST_CLUSTER && o->se != ROBUST_DESIGN)
	{
		appendStringInfoString(&sql, "SELECT survey_reg.meat($1, ");
		append_score_call(&sql, &t, vars, nvars, o->weight_col);
		appendStringInfo(&sql, "), false, false FROM %s", rel);
	}
	else if (cl)
	{
		appendStringInfo(&sql,
						 "SELECT survey_reg.meat($1, u, h), "
						 "coalesce(pg_catalog.bool_or(c_null%s), false), "
						 "coalesce(pg_catalog.bool_or(h_null), false) "
						 "FROM (SELECT %s AS h, %s AS h_null, (%s) IS NULL AS c_null, "
						 "survey_reg.score_sum(",
						 o->se == ROBUST_CLUSTER ? " AND u IS NOT NULL" : "",
						 st ? psprintf("(%s)::pg_catalog.text", st) : "NULL::pg_catalog.text",
						 st ? psprintf("(%s) IS NULL", st) : "false", cl);
		append_score_call(&sql, &t, vars, nvars, o->weight_col);
		appendStringInfo(&sql, ") AS u FROM %s GROUP BY %s%s%s) q",
						 rel, st ? st : "", st ? ", " : "", cl);
	}
	else
	{
		appendStringInfoString(&sql, "SELECT survey_reg.meat($1, ");
		append_score_call(&sql, &t, vars, nvars, o->weight_col);
		if (st)
			appendStringInfo(&sql, ", (%s)::pg_catalog.text), false, "
							 "coalesce(pg_catalog.bool_or((%s) IS NULL), false) FROM %s",
							 st, st, rel);
		else
			appendStringInfo(&sql, "), false, false FROM %s", rel);
	}
	return sql.data;
}

/*
 * The errors of a scan that found units without their key: cluster_null, a
 * NULL cluster in a row that needs one (every row for a design, every
 * complete row for cluster SEs); strata_null, a NULL stratum.
 */
void
robust_null_keys_error(const RobustOptions *o, bool cluster_null,
					   bool strata_null)
{
	if (cluster_null)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the cluster column \"%s\" is NULL in %s",
						o->cluster, o->se == ROBUST_DESIGN ? "some rows"
						: "some complete rows"),
				 errdetail(o->se == ROBUST_DESIGN
						   ? "A design needs every row's PSU, as R's svydesign."
						   : "Every row of the regression needs its cluster, as R's sandwich::vcovCL."),
				 errhint("Leave such rows out with a view or a WHERE clause.")));
	if (strata_null)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the strata column \"%s\" is NULL in some rows", o->strata),
				 errdetail("A design needs every row's stratum, as R's svydesign."),
				 errhint("Leave such rows out with a view or a WHERE clause.")));
}

/* the meat: sql from robust_table_meat_sql, read with the first scan's snapshot */
bytea *
robust_table_meat(const char *sql, const RobustOptions *o,
				  const RobustFit *fit, Snapshot snapshot)
{
	Oid			argtypes[1] = {FLOAT8ARRAYOID};
	Datum		values[1];
	bytea	   *meat;
	bool		isnull,
				cluster_null,
				strata_null;
	int			ret;

	values[0] = PointerGetDatum(robust_fit_array(fit));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ret = table_query(sql, 1, argtypes, values, snapshot);
	if (ret != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "survey_reg robust scan did not return one row");
	{
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
									  1, &isnull);

		if (isnull)
			elog(ERROR, "survey_reg robust scan returned no meat");
		meat = (bytea *) PG_DETOAST_DATUM(d);
		{
			bytea	   *copy = SPI_palloc(VARSIZE(meat));

			memcpy(copy, meat, VARSIZE(meat));
			meat = copy;
		}
		cluster_null = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
												  SPI_tuptable->tupdesc, 2, &isnull));
		strata_null = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
												 SPI_tuptable->tupdesc, 3, &isnull));
	}
	SPI_finish();

	robust_null_keys_error(o, cluster_null, strata_null);
	return meat;
}

/* ---------------------------------------------------------------- */
/* the variances                                                     */
/* ---------------------------------------------------------------- */

double
robust_n_df(const MomentsState *m, RobustWeight weight)
{
	if (weight == ROBUST_W_PROBABILITY)
		return (double) m->nrows;
	return dd_to_double(moments_n(m));
}

RobustResult *
robust_result(const MomentsState *m, const RobustFit *fit, bytea *meat,
			  RobustLonely lonely)
{
	MeatView	v;
	RobustStratum *strata;
	int			i;

	meat = meat_aligned(meat);
	meat_view(meat, &v);
	if (v.h->id_hi != (uint32) (fit->id >> 32)
		|| v.h->id_lo != (uint32) (fit->id & 0xffffffff))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the meat was accumulated with another fit"),
				 errdetail("Its fit is not the one of this state, dependent, blocks and the meat's se (%s), weight type and intercept.",
						   robust_se_name((RobustSe) v.h->se)),
				 errhint("Use the same state and arguments in robust_fit and here.")));
	strata = palloc(sizeof(RobustStratum) * (v.h->nstrata > 0 ? v.h->nstrata : 1));
	for (i = 0; i < v.h->nstrata; i++)
	{
		double	   *e = meat_entry(&v, i);

		strata[i].n_units = e[0];
		strata[i].n_nonnull = e[1];
		strata[i].sum = (const dd *) (e + 2);
		strata[i].cross = strata[i].sum + v.h->q;
	}
	return robust_result_strata(m, fit, strata, v.h->nstrata, lonely, &v);
}

/*
 * The NOTICE for lonely_strata strata with one PSU (none without any);
 * none_left: lonely = average found no stratum to average over.  Also
 * design_meat.c's, whose strata reach robust_result_strata pre-scaled.
 */
void
robust_lonely_notice(int lonely_strata, RobustLonely lonely, bool none_left)
{
	if (lonely_strata <= 0)
		return;
	if (none_left)
		ereport(NOTICE,
				(errmsg("every stratum has one PSU: lonely_psu => 'average' has no stratum to average over, so the standard errors are NULL"),
				 errdetail("'average' gives a lonely stratum the average variance of the strata with two or more PSUs; there are none."),
				 errhint("Pass lonely_psu => 'adjust', 'certainty' or 'remove', or name a cluster column that gives the strata two or more PSUs.")));
	else
		ereport(NOTICE,
				(errmsg("%d %s with one PSU, handled as lonely_psu => '%s'",
						lonely_strata,
						lonely_strata == 1 ? "stratum" : "strata",
						lonely == ROBUST_LONELY_REMOVE ? "remove"
						: lonely == ROBUST_LONELY_CERTAINTY ? "certainty"
						: lonely == ROBUST_LONELY_ADJUST ? "adjust" : "average")));
}

/*
 * The variances from the strata's sums (robust_result; design_meat.c gives
 * strata it has scaled itself, with v NULL)
 */
RobustResult *
robust_result_strata(const MomentsState *m, const RobustFit *fit,
					 const RobustStratum *strata, int nstrata,
					 RobustLonely lonely, const void *view)
{
	const MeatView *vp = (const MeatView *) view;
	RobustResult *res;
	RobustStatus st;
	int			i,
				j;

	res = robust_variance(fit, strata, nstrata, lonely,
						  robust_n_df(m, fit->weight), robust_palloc, &st);
	if (st == ROBUST_ERR_LONELY)
	{
		const char *key = vp ? meat_key(vp, res->bad_stratum, NULL) : NULL;

		if (key == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("the design has only one PSU"),
					 errdetail("A design-based variance needs at least two primary sampling units, as R's svydesign."),
					 errhint("Name the cluster column with cluster => '...', or leave out the one-PSU design.")));
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("stratum \"%s\" has only one PSU", key),
				 errdetail("A stratum's variance needs at least two primary sampling units; R's survey package stops here too (survey.lonely.psu = \"fail\")."),
				 errhint("Pass lonely_psu => 'adjust', 'average', 'certainty' or 'remove' (R's survey.lonely.psu options), or merge the stratum with another.")));
	}
	if (res == NULL)
		robust_core_error(st);

	if (res->single_cluster)
		ereport(NOTICE,
				(errmsg("one cluster: the cluster-robust standard errors, t, p and confidence intervals are NULL"),
				 errdetail("CR1 needs at least two clusters; with G = 1 its factor G / (G - 1) and its G - 1 degrees of freedom are undefined.")));
	else if (fit->se == ROBUST_DESIGN)
		robust_lonely_notice(res->lonely_strata, lonely,
							 lonely == ROBUST_LONELY_AVERAGE && res->degf == 0);
	for (j = 0; j < fit->nmodels; j++)
	{
		const RobustModelResult *rm = &res->models[j];
		bool		nan_se = false;

		for (i = 0; i < fit->models[j].p; i++)
			if (isnan(rm->se[i]))
				nan_se = true;
		if (res->single_cluster)
			break;
		if (!(rm->df > 0.0))
		{
			if (fit->se == ROBUST_DESIGN)
				ereport(NOTICE,
						(errmsg("model %d has no design degrees of freedom, its t, p and confidence intervals are NULL",
								j + 1),
						 errdetail("PSUs (%g) - strata (%g) - parameters (%d) + 1 = %g, as R's svyglm.",
								   res->clusters, res->clusters - res->degf,
								   fit->models[j].p, res->degf - fit->models[j].p + 1)));
			/* HC: the classical NOTICE on residual df has been given */
			break;
		}
		if (nan_se && (fit->se == ROBUST_HC2 || fit->se == ROBUST_HC3))
		{
			ereport(NOTICE,
					(errmsg("model %d: a row has leverage 1, so its %s standard errors are NULL",
							j + 1, robust_se_name(fit->se)),
					 errdetail("HC2 and HC3 divide by 1 - h; R's sandwich gives NaN too."),
					 errhint("Use se => 'hc0' or 'hc1', or drop the predictor that singles the row out.")));
			break;
		}
	}
	return res;
}
