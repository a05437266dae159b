/*
 * logistic.c — hierarchical logistic regression (design/API.md section 8):
 * logistic_coefficients and logistic_summary of a table or view.
 *
 * Maximum likelihood as R's glm(family = binomial), by Newton's method
 * (for the canonical logit link the same iterations as IRLS).  Every
 * iteration is one scan with the aggregate logistic_step, which takes the
 * current coefficients of every nested model once (a float8[] parameter)
 * and a row's columns as separate float8 arguments; its state is a
 * float8[] (text I/O, combinable: parallel plans and Citus can split it).
 * All models of the blocks are fitted in the same scans; a model that has
 * converged is no longer accumulated.
 *
 * Convergence (decided here, as glm's rule with a tight epsilon): after the
 * scan at the coefficients of step t, the model has converged when
 * |dev_t - dev_{t-1}| <= 1e-15 (|dev_t| + 0.1); the reported estimates are
 * those of that scan, with its information matrix.  The deviance is summed
 * in double-double so that the test is not defeated by rounding noise on
 * millions of rows.  At most LOGISTIC_MAXIT Newton steps (25, glm's maxit
 * default); a model that has not converged by then (separation: the
 * estimates run off to infinity) is returned with converged = false and a
 * NOTICE naming it.
 *
 * Standard errors: classical = inverse information; hc0..hc3 and cluster
 * from a last scan of scores (logistic_score) summed by logistic_meat (and
 * score_sum per cluster), as sandwich::vcovHC and sandwich::vcovCL (HC0
 * with G/(G-1)); design (with fpc, cluster2, fpc2, domain) from the same
 * scores through design_meat.c's multistage stream, as survey::svyglm.
 */
#include "survey_reg.h"

#include <float.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/tuplestore.h"

#include "dd.h"
#include "model_terms.h"
#include "rmath_loader.h"
#include "robust.h"

PG_FUNCTION_INFO_V1(logistic_step_transfn);
PG_FUNCTION_INFO_V1(logistic_step_array_transfn);
PG_FUNCTION_INFO_V1(logistic_combinefn);
PG_FUNCTION_INFO_V1(logistic_score);
PG_FUNCTION_INFO_V1(logistic_meat_transfn);
PG_FUNCTION_INFO_V1(logistic_coefficients_table);
PG_FUNCTION_INFO_V1(logistic_summary_table);

#define LOGISTIC_MAXIT		25
#define LOGISTIC_EPSILON	1e-15
#define INTERCEPT_TERM		"(Intercept)"

/*
 * The fit (float8[]): header, the models' sizes, then per model an active
 * flag and its coefficients (intercept first); for hc2/hc3 scores also
 * every model's inverse information (q x q) for the leverages.
 */
#define LF_MAGIC			7617.0	/* "LG" */
enum
{
	LF_MAGIC_AT = 0,
	LF_NCOLS,					/* predictor columns P */
	LF_INTERCEPT,				/* 0 or 1 */
	LF_NMODELS,					/* J */
	LF_SCORE,					/* scores: 0 plain, 1 hc0/hc1, 2 hc2, 3 hc3 */
	LF_FREQ,					/* 1: frequency weights (rows replicated) */
	LF_HEADER
};

/* the state's header (logistic_step and logistic_meat) */
#define LS_MAGIC			7618.0
enum
{
	LS_MAGIC_AT = 0,
	LS_NMODELS,					/* J: J double-double deviances follow */
	LS_ROWS,					/* complete rows */
	LS_SW,						/* sum of weights */
	LS_SWY,						/* sum of weight * y */
	LS_HEADER
};

/* a parsed fit (pointers into the array or palloc'ed) */
typedef struct LogitFit
{
	int			ncols;
	bool		intercept;
	int			nmodels;
	int			score;
	bool		freq;
	int		   *q;				/* parameters of model j */
	bool	   *active;
	const double **beta;
	const double **hinv;		/* NULL unless hc2/hc3 */
	int			len;
	ArrayType  *raw;			/* the fit's bytes (cached_fit) */
} LogitFit;

static int
tri(int q)
{
	return q * (q + 1) / 2;
}

/*
 * The step state: header, every model's deviance as a double-double pair
 * (hi, lo), then per model the rows with fitted probabilities numerically
 * 0 or 1, the gradient g and the information H (packed upper triangle).
 */
static int
step_model_len(int q)
{
	return 1 + q + tri(q);
}

static void
fit_parse(ArrayType *arr, LogitFit *f)
{
	const double *d;
	int			n,
				j,
				pos;

	if (ARR_NDIM(arr) != 1 || ARR_ELEMTYPE(arr) != FLOAT8OID || ARR_HASNULL(arr))
		goto bad;
	n = ARR_DIMS(arr)[0];
	d = (const double *) ARR_DATA_PTR(arr);
	if (n < LF_HEADER || d[LF_MAGIC_AT] != LF_MAGIC)
		goto bad;
	f->ncols = (int) d[LF_NCOLS];
	f->intercept = d[LF_INTERCEPT] != 0.0;
	f->nmodels = (int) d[LF_NMODELS];
	f->score = (int) d[LF_SCORE];
	f->freq = d[LF_FREQ] != 0.0;
	if (f->ncols < 0 || f->ncols > FUNC_MAX_ARGS || f->nmodels < 1
		|| f->nmodels > f->ncols + 1 || n < LF_HEADER + f->nmodels)
		goto bad;
	f->q = palloc(sizeof(int) * f->nmodels);
	f->active = palloc(sizeof(bool) * f->nmodels);
	f->beta = palloc(sizeof(double *) * f->nmodels);
	f->hinv = palloc0(sizeof(double *) * f->nmodels);
	pos = LF_HEADER;
	for (j = 0; j < f->nmodels; j++)
	{
		int			pend = (int) d[pos++];

		if (pend < 0 || pend > f->ncols)
			goto bad;
		f->q[j] = pend + (f->intercept ? 1 : 0);
	}
	for (j = 0; j < f->nmodels; j++)
	{
		if (pos + 1 + f->q[j] > n)
			goto bad;
		f->active[j] = d[pos++] != 0.0;
		f->beta[j] = d + pos;
		pos += f->q[j];
	}
	if (f->score >= 2)
		for (j = 0; j < f->nmodels; j++)
		{
			if (pos + f->q[j] * f->q[j] > n)
				goto bad;
			f->hinv[j] = d + pos;
			pos += f->q[j] * f->q[j];
		}
	f->len = n;
	return;
bad:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("malformed logistic fit"),
			 errdetail("The fit argument must be made by survey_reg's logistic functions.")));
}

/*
 * The fit of this call site, parsed once (fn_extra) and kept with a copy of
 * its bytes: each call compares them (a few dozen doubles, cheap next to a
 * row's work) and parses again if the fit changed, so a fit that varies by
 * row is still read right.  first_var < 0: no row arguments to check.
 */
static LogitFit *
cached_fit(FunctionCallInfo fcinfo, int argno, int first_var)
{
	LogitFit   *f = (LogitFit *) fcinfo->flinfo->fn_extra;
	ArrayType  *arr;
	MemoryContext old;
	int			i;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("logistic fit must not be NULL")));
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	if (f != NULL && VARSIZE(f->raw) == VARSIZE(arr)
		&& memcmp(f->raw, arr, VARSIZE(arr)) == 0)
		return f;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	f = palloc0(sizeof(LogitFit));
	f->raw = DatumGetArrayTypePCopy(PointerGetDatum(arr));
	fit_parse(f->raw, f);
	/* argument types are fixed for the call site: check them */
	if (first_var >= 0)
	{
		if (PG_NARGS() - first_var != f->ncols + 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("logistic fit has %d predictor columns but %d values were given",
							f->ncols, PG_NARGS() - first_var - 1)));
		for (i = first_var - 1; i < PG_NARGS(); i++)
			if (get_fn_expr_argtype(fcinfo->flinfo, i) != FLOAT8OID)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("logistic weight, dependent and predictors must be of type double precision"),
						 errdetail("Argument %d is not.", i + 1)));
	}
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = f;
	return f;
}

/*
 * A row from its weight and its values y, x1..xP (ncols + 1; NULL or
 * non-finite: an incomplete row).  False for an incomplete row (or a NULL
 * or zero weight); a negative weight and a y other than 0/1 are errors.
 */
static bool
row_complete(const LogitFit *f, bool wnull, double wv, const double *vals,
			 const bool *nulls, double *w, double *y, double *x)
{
	int			i,
				o = f->intercept ? 1 : 0;

	if (wnull)
		return false;
	*w = wv;
	if (*w < 0.0 || !isfinite(*w))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weight must be a non-negative finite number"),
				 errdetail("The weight is %g.", *w)));
	if (*w == 0.0)
		return false;
	for (i = 0; i <= f->ncols; i++)
	{
		if ((nulls && nulls[i]) || !isfinite(vals[i]))
			return false;
		if (i > 0)
			x[o + i - 1] = vals[i];
	}
	*y = vals[0];
	if (*y != 0.0 && *y != 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the dependent of a logistic regression must be 0 or 1"),
				 errdetail("A row has the value %g.", *y),
				 errhint("Recode the outcome to 0/1 (or use a boolean column).")));
	if (o)
		x[0] = 1.0;
	return true;
}

/* a row as separate arguments: weight at first_var - 1, y, x1.. from first_var */
static bool
read_row(FunctionCallInfo fcinfo, const LogitFit *f, int first_var,
		 double *w, double *y, double *x)
{
	double		vals[FUNC_MAX_ARGS];
	bool		nulls[FUNC_MAX_ARGS];
	int			i;

	if (PG_ARGISNULL(first_var - 1))
		return false;
	for (i = 0; i <= f->ncols; i++)
	{
		nulls[i] = PG_ARGISNULL(first_var + i);
		vals[i] = nulls[i] ? 0.0 : PG_GETARG_FLOAT8(first_var + i);
	}
	return row_complete(f, false, PG_GETARG_FLOAT8(first_var - 1), vals, nulls,
						w, y, x);
}

/*
 * A row as a weight argument (argno) and a float8[] of y, x1.. (argno + 1;
 * the array form Citus can split).  A NULL array is an incomplete row.
 */
static bool
read_row_array(FunctionCallInfo fcinfo, const LogitFit *f, int argno,
			   double *w, double *y, double *x)
{
	ArrayType  *arr;
	double		vals[FUNC_MAX_ARGS];
	bool		nulls[FUNC_MAX_ARGS];
	bits8	   *bitmap;
	const double *d;
	int			i,
				k = 0;

	if (PG_ARGISNULL(argno) || PG_ARGISNULL(argno + 1))
		return false;
	arr = PG_GETARG_ARRAYTYPE_P(argno + 1);
	if (ARR_NDIM(arr) != 1 || ARR_ELEMTYPE(arr) != FLOAT8OID
		|| ARR_DIMS(arr)[0] != f->ncols + 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic fit has %d predictor columns but the row array has %d values",
						f->ncols, ARR_NDIM(arr) == 1 ? ARR_DIMS(arr)[0] : 0),
				 errdetail("The array holds the dependent, then the predictors, as float8.")));
	bitmap = ARR_NULLBITMAP(arr);
	d = (const double *) ARR_DATA_PTR(arr);
	for (i = 0; i <= f->ncols; i++)
	{
		nulls[i] = bitmap && !(bitmap[i / 8] & (1 << (i % 8)));
		vals[i] = nulls[i] ? 0.0 : d[k++];
	}
	return row_complete(f, false, PG_GETARG_FLOAT8(argno), vals, nulls, w, y, x);
}

/* log(1 + exp(t)) without overflow */
static inline double
softplus(double t)
{
	return t > 0.0 ? t + log1p(exp(-t)) : log1p(exp(t));
}

static inline double
linpred(const double *beta, const double *x, int q)
{
	double		eta = 0.0;
	int			a;

	for (a = 0; a < q; a++)
		eta += beta[a] * x[a];
	return eta;
}

static ArrayType *
new_state(int len)
{
	ArrayType  *r;
	Datum	   *zeros = palloc0(sizeof(Datum) * len);
	int			i;

	for (i = 0; i < len; i++)
		zeros[i] = Float8GetDatum(0.0);
	r = construct_array(zeros, len, FLOAT8OID, sizeof(float8),
						FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
	pfree(zeros);
	return r;
}

static int
step_state_len(const LogitFit *f)
{
	int			j,
				len = LS_HEADER + 2 * f->nmodels;

	for (j = 0; j < f->nmodels; j++)
		len += step_model_len(f->q[j]);
	return len;
}

/* the step state of fit f (argument 0, or a new one in the aggregate's context) */
static ArrayType *
step_state(FunctionCallInfo fcinfo, MemoryContext aggcxt, const LogitFit *f)
{
	ArrayType  *state;
	MemoryContext old;

	if (!PG_ARGISNULL(0))
		return PG_GETARG_ARRAYTYPE_P(0);
	old = MemoryContextSwitchTo(aggcxt);
	state = new_state(step_state_len(f));
	MemoryContextSwitchTo(old);
	((double *) ARR_DATA_PTR(state))[LS_MAGIC_AT] = LS_MAGIC;
	((double *) ARR_DATA_PTR(state))[LS_NMODELS] = f->nmodels;
	return state;
}

/*
 * One complete row into the step state: per model the deviance, the
 * gradient X'W(y - mu) and the information X' W mu(1 - mu) X at the fit's
 * coefficients.
 */
static void
step_add(ArrayType *state, const LogitFit *f, double w, double y,
		 const double *x)
{
	double	   *s = (double *) ARR_DATA_PTR(state);
	int			j,
				pos;

	s[LS_ROWS] += 1.0;
	s[LS_SW] += w;
	s[LS_SWY] += w * y;
	pos = LS_HEADER + 2 * f->nmodels;
	for (j = 0; j < f->nmodels; j++)
	{
		int			q = f->q[j];
		double	   *m = s + pos;
		double	   *dev = s + LS_HEADER + 2 * j;

		pos += step_model_len(q);
		if (!f->active[j])
			continue;
		{
			double		eta = linpred(f->beta[j], x, q);
			double		mu = 1.0 / (1.0 + exp(-eta));
			double		wr = w * (y - mu);
			double		wv = w * mu * (1.0 - mu);
			double		dv = 2.0 * w * softplus(y != 0.0 ? -eta : eta);
			double	   *g = m + 1;
			double	   *h = g + q;
			int			a,
						b;

			{
				dd			t = dd_add_d(dd_make(dev[0], dev[1]), dv);

				dev[0] = t.hi;
				dev[1] = t.lo;
			}
			/* glm's warning: fitted probabilities numerically 0 or 1 */
			if (mu < 10.0 * DBL_EPSILON || mu > 1.0 - 10.0 * DBL_EPSILON)
				m[0] += 1.0;
			for (a = 0; a < q; a++)
			{
				double		wx = wv * x[a];

				g[a] += wr * x[a];
				for (b = a; b < q; b++)
					*h++ += wx * x[b];
			}
		}
	}
}

/*
 * The body of logistic_step and logistic_step_array, which differ only in
 * how a row comes: as separate arguments after the weight, or as one
 * float8[] (array).
 */
static Datum
step_transfn(FunctionCallInfo fcinfo, const char *name, bool array)
{
	MemoryContext aggcxt;
	ArrayType  *state;
	LogitFit   *f;
	double		x[FUNC_MAX_ARGS + 1];
	double		w,
				y;
	bool		complete;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s called in non-aggregate context", name)));
	f = cached_fit(fcinfo, 1, array ? -1 : 3);
	state = step_state(fcinfo, aggcxt, f);
	complete = array ? read_row_array(fcinfo, f, 2, &w, &y, x)
		: read_row(fcinfo, f, 3, &w, &y, x);
	if (complete)
		step_add(state, f, w, y, x);
	PG_RETURN_ARRAYTYPE_P(state);
}

/*
 * logistic_step(fit float8[], weight float8, VARIADIC "any": y, x1..xP):
 * one Newton iteration's sums (step_add) over the rows.
 */
Datum
logistic_step_transfn(PG_FUNCTION_ARGS)
{
	return step_transfn(fcinfo, "logistic_step", false);
}

/*
 * logistic_step_array(fit float8[], weight float8, vals float8[]: y,
 * x1..xP): the same with the row as an array, which Citus can split
 * (a VARIADIC "any" aggregate it cannot: citus_relation.c).
 */
Datum
logistic_step_array_transfn(PG_FUNCTION_ARGS)
{
	return step_transfn(fcinfo, "logistic_step_array", true);
}

/*
 * Combine function of logistic_step and logistic_meat: the states are sums
 * (logistic_step's deviance a double-double pair, combined as such).
 */
Datum
logistic_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ArrayType  *a,
			   *b;
	double	   *da;
	const double *db;
	int			n,
				i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("logistic_combinefn called in non-aggregate context")));
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = PG_GETARG_ARRAYTYPE_P(1);
	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcxt);

		a = DatumGetArrayTypePCopy(PointerGetDatum(b));
		MemoryContextSwitchTo(old);
		PG_RETURN_ARRAYTYPE_P(a);
	}
	a = PG_GETARG_ARRAYTYPE_P(0);
	n = ARR_DIMS(a)[0];
	if (ARR_NDIM(a) != 1 || ARR_NDIM(b) != 1 || ARR_DIMS(b)[0] != n || n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic states of different shapes cannot be combined")));
	da = (double *) ARR_DATA_PTR(a);
	db = (const double *) ARR_DATA_PTR(b);
	if (da[0] != db[0])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic states of different kinds cannot be combined")));
	if (da[0] == LS_MAGIC)
	{
		/* the step state: the deviances are double-double pairs */
		int			nm = (int) da[LS_NMODELS];
		int			j;

		if (nm < 1 || LS_HEADER + 2 * nm > n || db[LS_NMODELS] != nm)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("malformed logistic state")));
		for (i = LS_ROWS; i < LS_HEADER; i++)
			da[i] += db[i];
		for (j = 0; j < nm; j++)
		{
			int			k = LS_HEADER + 2 * j;
			dd			sum = dd_add(dd_make(da[k], da[k + 1]),
									 dd_make(db[k], db[k + 1]));

			da[k] = sum.hi;
			da[k + 1] = sum.lo;
		}
		for (i = LS_HEADER + 2 * nm; i < n; i++)
			da[i] += db[i];
		PG_RETURN_ARRAYTYPE_P(a);
	}
	/* logistic_meat's state: plain sums after the header */
	for (i = 1; i < n; i++)
		da[i] += db[i];
	PG_RETURN_ARRAYTYPE_P(a);
}

/* ---------------------------------------------------------------- */
/* scores and meat (the robust, cluster and design variances)        */
/* ---------------------------------------------------------------- */

static int
score_len(const LogitFit *f)
{
	int			j,
				len = 0;

	for (j = 0; j < f->nmodels; j++)
		len += f->q[j];
	return len;
}

/*
 * logistic_score(fit float8[], weight float8, VARIADIC "any": y, x1..xP):
 * a row's score vector of every model, NULL for an incomplete row.  Plain
 * (fit score 0): w (y - mu) x, summed per cluster or PSU.  hc0..hc3: the
 * vector whose outer product is the row's term of sandwich's meat (with
 * frequency weights the row stands for w independent rows).
 */
Datum
logistic_score(PG_FUNCTION_ARGS)
{
	LogitFit   *f = cached_fit(fcinfo, 0, 2);
	double		x[FUNC_MAX_ARGS + 1];
	double		w,
				y;
	Datum	   *out;
	int			j,
				pos = 0;

	if (!read_row(fcinfo, f, 2, &w, &y, x))
		PG_RETURN_NULL();
	out = palloc(sizeof(Datum) * score_len(f));
	for (j = 0; j < f->nmodels; j++)
	{
		int			q = f->q[j],
					a,
					b;
		double		eta = linpred(f->beta[j], x, q);
		double		mu = 1.0 / (1.0 + exp(-eta));
		double		c = w * (y - mu);

		if (f->score >= 1 && f->freq)
			c = sqrt(w) * (y - mu);
		if (f->score >= 2)
		{
			/* leverage: (frequency: one replicate's) w v x' H^-1 x */
			const double *hi = f->hinv[j];
			double		h = 0.0;

			for (a = 0; a < q; a++)
				for (b = 0; b < q; b++)
					h += x[a] * hi[a * q + b] * x[b];
			h *= (f->freq ? 1.0 : w) * mu * (1.0 - mu);
			c /= f->score == 2 ? sqrt(1.0 - h) : (1.0 - h);
		}
		for (a = 0; a < q; a++)
			out[pos++] = Float8GetDatum(c * x[a]);
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(out, pos, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* the meat state: header, then per model s (q) and S (q x q) */
#define LM_MAGIC			7619.0
enum
{
	LM_MAGIC_AT = 0,
	LM_UNITS,					/* units with a score */
	LM_NULL_UNITS,				/* units without a complete row */
	LM_HEADER
};

/*
 * logistic_meat(fit float8[], u float8[]): over units (rows, clusters or
 * PSUs) their number, the sum of u and of u u' per model.
 */
Datum
logistic_meat_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	ArrayType  *state;
	ArrayType  *uarr;
	LogitFit   *f;
	double	   *s;
	const double *u;
	int			j,
				pos,
				upos;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("logistic_meat called in non-aggregate context")));
	f = cached_fit(fcinfo, 1, -1);
	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcxt);
		int			len = LM_HEADER;

		for (j = 0; j < f->nmodels; j++)
			len += f->q[j] + f->q[j] * f->q[j];
		state = new_state(len);
		MemoryContextSwitchTo(old);
		((double *) ARR_DATA_PTR(state))[LM_MAGIC_AT] = LM_MAGIC;
	}
	else
		state = PG_GETARG_ARRAYTYPE_P(0);
	s = (double *) ARR_DATA_PTR(state);
	if (PG_ARGISNULL(2))
	{
		s[LM_NULL_UNITS] += 1.0;
		PG_RETURN_ARRAYTYPE_P(state);
	}
	uarr = PG_GETARG_ARRAYTYPE_P(2);
	if (ARR_NDIM(uarr) != 1 || ARR_HASNULL(uarr)
		|| ARR_DIMS(uarr)[0] != score_len(f))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("logistic_meat: the score has the wrong length for the fit")));
	u = (const double *) ARR_DATA_PTR(uarr);
	s[LM_UNITS] += 1.0;
	pos = LM_HEADER;
	upos = 0;
	for (j = 0; j < f->nmodels; j++)
	{
		int			q = f->q[j],
					a,
					b;
		const double *uj = u + upos;
		double	   *sum = s + pos;
		double	   *cross = sum + q;

		for (a = 0; a < q; a++)
		{
			sum[a] += uj[a];
			for (b = 0; b < q; b++)
				cross[a * q + b] += uj[a] * uj[b];
		}
		pos += q + q * q;
		upos += q;
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

/* ---------------------------------------------------------------- */
/* the fit                                                           */
/* ---------------------------------------------------------------- */

typedef struct LogitModel
{
	int			pend;			/* predictor columns */
	int			q;				/* parameters (with the intercept) */
	int			rank;
	double	   *beta;
	bool	   *aliased;
	double	   *hinv;			/* q x q, zero for aliased */
	double	   *vcov;			/* q x q */
	double		dev,
				dev_prev,
				nsep;
	int			iter;
	bool		converged,
				done;
} LogitModel;

typedef struct LogitRun
{
	ModelTerms *mt;
	RobustOptions opt;
	DesignArgs	design;			/* fpc, cluster2, fpc2, domain */
	bool		intercept;
	int			ncols;
	int			nmodels;
	LogitModel *models;
	double		rows,
				sw,
				swy;
	double		null_dev;
	double		design_df;		/* se = 'design': PSUs - strata */
	bool		on_citus;		/* scan with the array form (citus_relation.c) */
	double		fit_id;
} LogitRun;

/* the fit array for the next scan (score: see LF_SCORE) */
static ArrayType *
fit_array(const LogitRun *r, int score)
{
	int			len = LF_HEADER + r->nmodels,
				j,
				pos = 0;
	Datum	   *d;
	ArrayType  *a;

	for (j = 0; j < r->nmodels; j++)
		len += 1 + r->models[j].q + (score >= 2 ? r->models[j].q * r->models[j].q : 0);
	d = palloc(sizeof(Datum) * len);
	d[pos++] = Float8GetDatum(LF_MAGIC);
	d[pos++] = Float8GetDatum(r->ncols);
	d[pos++] = Float8GetDatum(r->intercept ? 1.0 : 0.0);
	d[pos++] = Float8GetDatum(r->nmodels);
	d[pos++] = Float8GetDatum(score);
	d[pos++] = Float8GetDatum(r->opt.weight_col != NULL
							  && r->opt.weight == ROBUST_W_FREQUENCY ? 1.0 : 0.0);
	for (j = 0; j < r->nmodels; j++)
		d[pos++] = Float8GetDatum(r->models[j].pend);
	for (j = 0; j < r->nmodels; j++)
	{
		const LogitModel *m = &r->models[j];
		int			a;

		d[pos++] = Float8GetDatum(score > 0 || !m->done ? 1.0 : 0.0);
		for (a = 0; a < m->q; a++)
			d[pos++] = Float8GetDatum(m->beta[a]);
	}
	if (score >= 2)
		for (j = 0; j < r->nmodels; j++)
		{
			const LogitModel *m = &r->models[j];
			int			a;

			for (a = 0; a < m->q * m->q; a++)
				d[pos++] = Float8GetDatum(m->hinv[a]);
		}
	Assert(pos == len);
	a = construct_array(d, len, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL,
						TYPALIGN_DOUBLE);
	pfree(d);
	return a;
}

/* one aggregate over the relation: its float8[] results, copied to cxt */
static ArrayType **
run_scan(const char *sql, ArrayType *fit, Snapshot snapshot, int ncols_out,
		 int *nrows_out, bool **flags, MemoryContext cxt)
{
	Oid			argtypes[1] = {FLOAT8ARRAYOID};
	Datum		values[1];
	ArrayType **out;
	uint64		i;
	int			c;

	values[0] = PointerGetDatum(fit);
	if (table_query(sql, 1, argtypes, values, snapshot) != SPI_OK_SELECT)
		elog(ERROR, "survey_reg logistic scan failed");
	out = MemoryContextAllocZero(cxt, sizeof(ArrayType *) * (SPI_processed + 1));
	if (flags)
		*flags = MemoryContextAllocZero(cxt, sizeof(bool) * 2);
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc,
									  ncols_out == 1 ? 1 : 2, &isnull);

		if (!isnull)
		{
			MemoryContext old = MemoryContextSwitchTo(cxt);

			out[i] = DatumGetArrayTypePCopy(d);
			MemoryContextSwitchTo(old);
		}
		for (c = 0; flags && c < 2 && ncols_out > 2; c++)
		{
			Datum		b = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc,
										  3 + c, &isnull);

			if (!isnull && DatumGetBool(b))
				(*flags)[c] = true;
		}
		CHECK_FOR_INTERRUPTS();
	}
	*nrows_out = (int) SPI_processed;
	return out;
}

/*
 * Cholesky of the non-aliased part of the packed H (upper triangle) into
 * the full inverse hinv (zero rows and columns for aliased).  first: mark
 * as aliased a column whose pivot is below 1e-14 of its diagonal (R's lm
 * tolerance 1e-7 on column norms), in column order as lm.  False when a
 * kept pivot is not positive.
 */
static bool
info_inverse(const double *hp, int q, bool *aliased, bool first,
			 double *hinv)
{
	double	   *h = palloc0(sizeof(double) * q * q);
	double	   *l = palloc0(sizeof(double) * q * q);
	double	   *col = palloc(sizeof(double) * q);
	int			a,
				b,
				c,
				pos = 0;
	bool		ok = true;

	for (a = 0; a < q; a++)
		for (b = a; b < q; b++)
		{
			h[a * q + b] = hp[pos];
			h[b * q + a] = hp[pos++];
		}
	for (a = 0; a < q && ok; a++)
	{
		double		d;

		if (aliased[a])
			continue;
		d = h[a * q + a];
		for (c = 0; c < a; c++)
			if (!aliased[c])
				d -= l[a * q + c] * l[a * q + c];
		if (first && !(d > 1e-14 * h[a * q + a]))
		{
			aliased[a] = true;
			continue;
		}
		if (!(d > 0.0) || !isfinite(d))
		{
			ok = false;
			break;
		}
		l[a * q + a] = sqrt(d);
		for (b = a + 1; b < q; b++)
		{
			double		v = h[b * q + a];

			if (aliased[b])
				continue;
			for (c = 0; c < a; c++)
				if (!aliased[c])
					v -= l[b * q + c] * l[a * q + c];
			l[b * q + a] = v / l[a * q + a];
		}
	}
	memset(hinv, 0, sizeof(double) * q * q);
	if (ok)
		for (b = 0; b < q; b++)
		{
			if (aliased[b])
				continue;
			/* solve L L' col = e_b */
			for (a = 0; a < q; a++)
			{
				double		v = a == b ? 1.0 : 0.0;

				if (aliased[a])
					continue;
				for (c = 0; c < a; c++)
					if (!aliased[c])
						v -= l[a * q + c] * col[c];
				col[a] = v / l[a * q + a];
			}
			for (a = q - 1; a >= 0; a--)
			{
				double		v = col[a];

				if (aliased[a])
					continue;
				for (c = a + 1; c < q; c++)
					if (!aliased[c])
						v -= l[c * q + a] * col[c];
				col[a] = v / l[a * q + a];
			}
			for (a = 0; a < q; a++)
				hinv[a * q + b] = aliased[a] ? 0.0 : col[a];
		}
	pfree(h);
	pfree(l);
	pfree(col);
	return ok;
}

static const char *
model_term_name(const LogitRun *r, int a)
{
	if (r->intercept)
		return a == 0 ? INTERCEPT_TERM : r->mt->names[a];
	return r->mt->names[1 + a];
}

/*
 * The SQL of a row's weight, then its dependent and columns: as separate
 * arguments, or (array) as one float8[].
 */
static void
append_row(StringInfo sql, const LogitRun *r, bool array)
{
	int			i;

	/* outside the domain a row has no weight: not used, its PSU kept */
	if (r->design.domain)
		appendStringInfo(sql, "CASE WHEN COALESCE((%s)::pg_catalog.bool, false) THEN ",
						 quote_identifier(r->design.domain));
	if (r->opt.weight_col)
		appendStringInfo(sql, "(%s)::pg_catalog.float8",
						 quote_identifier(r->opt.weight_col));
	else
		appendStringInfoString(sql, "1::pg_catalog.float8");
	if (r->design.domain)
		appendStringInfoString(sql, " END");
	appendStringInfoString(sql, array ? ", ARRAY[" : ", ");
	for (i = 0; i < r->mt->ncolumns; i++)
		appendStringInfo(sql, "%s%s", i ? ", " : "", r->mt->exprs[i]);
	if (array)
		appendStringInfoString(sql, "]::pg_catalog.float8[]");
}

static void
append_row_args(StringInfo sql, const LogitRun *r)
{
	append_row(sql, r, false);
}

/* Newton's method for every model, one scan per iteration */
static void
logit_iterate(LogitRun *r, const char *rel, Snapshot snapshot,
			  MemoryContext cxt)
{
	StringInfoData sql;
	int			scan,
				j;

	initStringInfo(&sql);
	/* Citus splits only the array form */
	appendStringInfo(&sql, "SELECT survey_reg.logistic_step%s($1, ",
					 r->on_citus ? "_array" : "");
	append_row(&sql, r, r->on_citus);
	appendStringInfo(&sql, ") FROM %s", rel);

	for (scan = 0;; scan++)
	{
		int			nout;
		ArrayType **res = run_scan(sql.data, fit_array(r, 0), snapshot, 1,
								   &nout, NULL, cxt);
		const double *s;
		int			pos;
		bool		all_done = true;

		if (nout != 1 || res[0] == NULL
			|| ((const double *) ARR_DATA_PTR(res[0]))[LS_ROWS] == 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("no complete rows for the logistic regression"),
					 errdetail("Every row has a NULL (or non-finite) value in the dependent, a predictor or the weight, or a zero weight.")));
		s = (const double *) ARR_DATA_PTR(res[0]);
		if (scan == 0)
		{
			r->rows = s[LS_ROWS];
			r->sw = s[LS_SW];
			r->swy = s[LS_SWY];
			if (r->swy == 0.0 || r->swy == r->sw)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_EXCEPTION),
						 errmsg("the dependent of a logistic regression is constant"),
						 errdetail("Every complete row has %s = %d.",
								   r->mt->names[0], r->swy == 0.0 ? 0 : 1),
						 errhint("A logistic regression needs both outcomes, 0 and 1.")));
			if (r->intercept)
			{
				double		p = r->swy / r->sw;

				r->null_dev = -2.0 * (r->swy * log(p) + (r->sw - r->swy) * log1p(-p));
			}
			else
				r->null_dev = 2.0 * r->sw * log(2.0);
			if (r->sw < r->models[r->nmodels - 1].q)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_EXCEPTION),
						 errmsg("too few rows for the logistic regression"),
						 errdetail("N is %g (the sum of weights of the complete rows), but model %d has %d parameters.",
								   r->sw, r->nmodels, r->models[r->nmodels - 1].q)));
		}
		pos = LS_HEADER + 2 * r->nmodels;
		for (j = 0; j < r->nmodels; j++)
		{
			LogitModel *m = &r->models[j];
			int			q = m->q,
						a,
						b;
			const double *g = s + pos + 1;
			const double *hp = g + q;

			pos += step_model_len(q);
			if (m->done)
				continue;
			m->dev = s[LS_HEADER + 2 * j] + s[LS_HEADER + 2 * j + 1];
			m->nsep = s[pos - step_model_len(q)];
			if (!info_inverse(hp, q, m->aliased, scan == 0, m->hinv))
			{
				/* information singular away from the start: give up */
				m->done = true;
				continue;
			}
			if (scan > 0 && fabs(m->dev - m->dev_prev)
				<= LOGISTIC_EPSILON * (fabs(m->dev) + 0.1))
			{
				m->converged = m->done = true;
				continue;
			}
			if (m->iter >= LOGISTIC_MAXIT)
			{
				m->done = true;
				continue;
			}
			/* Newton: beta += H^-1 g */
			for (a = 0; a < q; a++)
			{
				double		step = 0.0;

				for (b = 0; b < q; b++)
					step += m->hinv[a * q + b] * g[b];
				m->beta[a] += step;
			}
			m->iter++;
			m->dev_prev = m->dev;
			all_done = false;
		}
		if (all_done)
			break;
		CHECK_FOR_INTERRUPTS();
	}
	for (j = 0; j < r->nmodels; j++)
	{
		LogitModel *m = &r->models[j];
		int			a;

		m->rank = 0;
		for (a = 0; a < m->q; a++)
			if (!m->aliased[a])
				m->rank++;
			else if (j == 0 || a >= r->models[j - 1].q
					 || !r->models[j - 1].aliased[a])
				ereport(NOTICE,
						(errmsg("model %d: %s is aliased (a linear combination of earlier terms); its estimates are NULL",
								j + 1, model_term_name(r, a))));
		if (!m->converged)
			ereport(NOTICE,
					(errmsg("model %d: the logistic regression did not converge in %d iterations",
							j + 1, m->iter),
					 m->nsep > 0
					 ? errdetail("Fitted probabilities numerically 0 or 1 occurred in %.0f rows: a predictor separates the outcome (complete or quasi-complete separation), so some estimates do not exist.", m->nsep)
					 : errdetail("The deviance still changed by more than 1e-15 (relative) in the last iteration; under separation (a predictor or a factor level that predicts the outcome exactly) some estimates do not exist."),
					 errhint("Its estimates are flagged with converged = false.")));
		else if (m->nsep > 0)
			ereport(NOTICE,
					(errmsg("model %d: fitted probabilities numerically 0 or 1 occurred in %.0f rows",
							j + 1, m->nsep)));
	}
}

/* vcov = factor H^-1 meat H^-1 (zero rows and columns for aliased) */
static void
logit_sandwich(LogitModel *m, const double *meat, double factor)
{
	int			q = m->q,
				a,
				b,
				c;
	double	   *tmp = palloc0(sizeof(double) * q * q);

	for (a = 0; a < q; a++)
		for (b = 0; b < q; b++)
			for (c = 0; c < q; c++)
				tmp[a * q + b] += m->hinv[a * q + c] * meat[c * q + b];
	for (a = 0; a < q; a++)
		for (b = 0; b < q; b++)
		{
			double		v = 0.0;

			for (c = 0; c < q; c++)
				v += tmp[a * q + c] * m->hinv[c * q + b];
			m->vcov[a * q + b] = factor * v;
		}
	pfree(tmp);
}

/* the robust (hc0-hc3) or cluster variance: one more scan */
static void
logit_robust(LogitRun *r, const char *rel, Snapshot snapshot,
			 MemoryContext cxt)
{
	StringInfoData sql,
				score;
	const RobustOptions *o = &r->opt;
	int			score_kind = o->se == ROBUST_CLUSTER ? 0
		: o->se == ROBUST_HC2 ? 2 : o->se == ROBUST_HC3 ? 3 : 1;
	ArrayType **res;
	bool	   *flags;
	const double *s;
	int			nres,
				j,
				pos = LM_HEADER;
	double		units;

	initStringInfo(&score);
	appendStringInfoString(&score, "survey_reg.logistic_score($1, ");
	append_row_args(&score, r);
	appendStringInfoChar(&score, ')');
	initStringInfo(&sql);
	if (score_kind > 0)
		appendStringInfo(&sql, "SELECT survey_reg.logistic_meat($1, %s) "
						 "FROM %s", score.data, rel);
	else
		appendStringInfo(&sql,
						 "SELECT NULL::pg_catalog.text, survey_reg.logistic_meat($1, z), "
						 "pg_catalog.bool_or(cn), false FROM (SELECT "
						 "survey_reg.score_sum(u) AS z, "
						 "pg_catalog.bool_or(c IS NULL AND u IS NOT NULL) AS cn "
						 "FROM (SELECT %s AS c, %s AS u FROM %s) r "
						 "GROUP BY c) q WHERE z IS NOT NULL",
						 quote_identifier(o->cluster), score.data, rel);

	res = run_scan(sql.data, fit_array(r, score_kind), snapshot,
				   score_kind > 0 ? 1 : 4, &nres, &flags, cxt);
	if (flags[0])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("cluster column \"%s\" is NULL in a row the analysis uses", o->cluster)));
	if (nres != 1 || res[0] == NULL)
		elog(ERROR, "survey_reg logistic meat scan returned no state");
	s = (const double *) ARR_DATA_PTR(res[0]);
	units = s[LM_UNITS];
	if (o->se == ROBUST_CLUSTER && units < 2.0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("cluster-robust standard errors need at least two clusters")));
	for (j = 0; j < r->nmodels; j++)
	{
		LogitModel *m = &r->models[j];
		double		factor = 1.0;

		if (o->se == ROBUST_CLUSTER)
			factor = units / (units - 1.0);
		else if (o->se == ROBUST_HC1)
		{
			double		n = r->opt.weight_col && o->weight == ROBUST_W_FREQUENCY
				? r->sw : r->rows;

			factor = n / (n - m->rank);
		}
		/* the state per model: sum of scores (q), then their cross-products */
		logit_sandwich(m, s + pos + m->q, factor);
		pos += m->q + m->q * m->q;
	}
}

/*
 * The design variance with fpc, cluster2, fpc2 or domain: the scores
 * summed per stratum x PSU x SSU by design_meat.c's scan, which gives each
 * stratum's multistage contribution (svyrecvar's) in packed blocks.
 */
static void
logit_design(LogitRun *r, const TableRef *t, Snapshot snapshot)
{
	StringInfoData score;
	DesignLayout lay;
	RobustStratum *strata;
	int			nstrata,
				h,
				j;
	double		units = 0.0,
				nonempty = 0.0;

	initStringInfo(&score);
	appendStringInfoString(&score, "survey_reg.logistic_score($1, ");
	append_row_args(&score, r);
	appendStringInfoChar(&score, ')');
	lay.nmodels = r->nmodels;
	lay.q = lay.nb = 0;
	lay.p = palloc(sizeof(int) * r->nmodels);
	lay.offset = palloc(sizeof(int) * r->nmodels);
	lay.block_offset = palloc(sizeof(int) * r->nmodels);
	for (j = 0; j < r->nmodels; j++)
	{
		lay.p[j] = r->models[j].q;
		lay.offset[j] = lay.q;
		lay.block_offset[j] = lay.nb;
		lay.q += lay.p[j];
		lay.nb += tri(lay.p[j]);
	}
	strata = design_meat_strata(design_scores_sql(t, score.data, &r->opt, &r->design),
								&r->opt, &r->design, &lay, fit_array(r, 0),
								snapshot, &nstrata);
	for (h = 0; h < nstrata; h++)
	{
		units += strata[h].n_nonnull;
		nonempty += strata[h].n_nonnull > 0.0 ? 1.0 : 0.0;
	}
	r->design_df = units - nonempty;
	for (j = 0; j < r->nmodels; j++)
	{
		int			q = lay.p[j],
					a,
					b;
		double	   *meat = palloc0(sizeof(double) * q * q);

		/* a stratum's C is twice its cross-products (see design_meat.c) */
		for (h = 0; h < nstrata; h++)
		{
			int			k = lay.block_offset[j];

			for (a = 0; a < q; a++)
				for (b = a; b < q; b++, k++)
				{
					double		v = 2.0 * dd_to_double(strata[h].cross[k]);

					meat[a * q + b] += v;
					if (b != a)
						meat[b * q + a] += v;
				}
		}
		logit_sandwich(&r->models[j], meat, 1.0);
	}
}

/* argument positions of the table-name forms (as coefficients) */
enum
{
	LA_SOURCE = 0, LA_DEPENDENT, LA_BLOCKS, LA_WEIGHT, LA_INTERCEPT, LA_SE,
	LA_CLUSTER, LA_STRATA, LA_WEIGHT_TYPE, LA_LONELY_PSU, LA_FPC, LA_CLUSTER2,
	LA_FPC2, LA_DOMAIN
};

/* parse, scan for the terms, iterate, and the variance; NULL: no rows */
static LogitRun *
logit_run(FunctionCallInfo fcinfo)
{
	LogitRun   *r;
	text	   *source;
	char	   *dependent;
	ArrayType  *blocks;
	char	   *weight;
	TableRef	t;
	char	   *sql;
	Snapshot	snapshot;
	MemoryContext cxt = CurrentMemoryContext;
	int			j;

	if (PG_ARGISNULL(LA_SOURCE) || PG_ARGISNULL(LA_DEPENDENT)
		|| PG_ARGISNULL(LA_BLOCKS) || PG_ARGISNULL(LA_INTERCEPT))
		return NULL;
	r = palloc0(sizeof(LogitRun));
	source = PG_GETARG_TEXT_PP(LA_SOURCE);
	dependent = text_to_cstring(PG_GETARG_TEXT_PP(LA_DEPENDENT));
	blocks = PG_GETARG_ARRAYTYPE_P(LA_BLOCKS);
	weight = optional_text_arg(fcinfo, LA_WEIGHT);
	r->intercept = PG_GETARG_BOOL(LA_INTERCEPT);
	robust_options(&r->opt, optional_text_arg(fcinfo, LA_SE),
				   optional_text_arg(fcinfo, LA_WEIGHT_TYPE),
				   optional_text_arg(fcinfo, LA_CLUSTER),
				   optional_text_arg(fcinfo, LA_STRATA),
				   optional_text_arg(fcinfo, LA_LONELY_PSU), weight);
	r->design.fpc = optional_text_arg(fcinfo, LA_FPC);
	r->design.cluster2 = optional_text_arg(fcinfo, LA_CLUSTER2);
	r->design.fpc2 = optional_text_arg(fcinfo, LA_FPC2);
	r->design.domain = optional_text_arg(fcinfo, LA_DOMAIN);
	if (design_args_used(&r->design))
		design_args_check(source, &r->opt, &r->design);
	if (r->opt.robust)
		robust_check_columns(source, &r->opt);

	t = resolve_relation(source);
	r->on_citus = t.on_citus;
	r->mt = model_terms_parse(&t, dependent, blocks);
	sql = model_terms_scan_sql(r->mt, &t, weight);
	/* every scan reads one snapshot, taken after the first query's locks */
	snapshot = table_snapshot_after(sql, 0, NULL);
	(void) model_terms_scan(r->mt, sql, snapshot);
	r->ncols = r->mt->ncolumns - 1;
	if (r->ncols + 3 > FUNC_MAX_ARGS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many predictor columns for a logistic regression"),
				 errdetail("The model has %d columns; at most %d are possible.",
						   r->ncols, FUNC_MAX_ARGS - 3)));
	r->nmodels = r->mt->nblocks;
	r->models = palloc0(sizeof(LogitModel) * r->nmodels);
	for (j = 0; j < r->nmodels; j++)
	{
		LogitModel *m = &r->models[j];

		m->pend = r->mt->block_ends[j];
		m->q = m->pend + (r->intercept ? 1 : 0);
		m->beta = palloc0(sizeof(double) * (m->q + 1));
		m->aliased = palloc0(sizeof(bool) * (m->q + 1));
		m->hinv = palloc0(sizeof(double) * (m->q * m->q + 1));
		m->vcov = palloc0(sizeof(double) * (m->q * m->q + 1));
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	logit_iterate(r, t.sql_name, snapshot, cxt);
	for (j = 0; j < r->nmodels; j++)
		memcpy(r->models[j].vcov, r->models[j].hinv,
			   sizeof(double) * r->models[j].q * r->models[j].q);
	if (r->opt.robust && r->opt.se == ROBUST_DESIGN)
		logit_design(r, &t, snapshot);
	else if (r->opt.robust)
		logit_robust(r, t.sql_name, snapshot, cxt);
	SPI_finish();
	UnregisterSnapshot(snapshot);
	return r;
}

/* ---------------------------------------------------------------- */
/* output                                                            */
/* ---------------------------------------------------------------- */

static void
put_float(Datum *values, bool *nulls, int col, double v)
{
	values[col] = Float8GetDatum(v);
	nulls[col] = isnan(v);
}

/*
 * Sampling weights: the deviances as svyglm reports them, with the weights
 * scaled to mean 1 (the estimates do not depend on the scale).
 */
static double
dev_scale(const LogitRun *r)
{
	return r->opt.weight == ROBUST_W_PROBABILITY ? r->rows / r->sw : 1.0;
}

/*
 * model, term, b, se, z, p, odds_ratio, or_ci_lower, or_ci_upper.  Wald
 * tests on the normal, as glm; with se => 'design' on t with the design's
 * df + 1 - rank (summary.svyglm), the interval too.
 */
static void
logistic_coefficients_emit(ReturnSetInfo *rsinfo, const LogitRun *r)
{
	int			j,
				a;

	for (j = 0; j < r->nmodels; j++)
	{
		const LogitModel *m = &r->models[j];
		bool		design = r->opt.robust && r->opt.se == ROBUST_DESIGN;
		double		df = design ? r->design_df + 1.0 - m->rank : INFINITY;
		double		crit = design ? rmath_qt(0.975, df, 1, 0)
			: rmath_qnorm(0.975, 0.0, 1.0, 1, 0);

		for (a = 0; a < m->q; a++)
		{
			Datum		values[9];
			bool		nulls[9] = {false};
			double		b = NAN,
						se = NAN,
						z = NAN,
						p = NAN;

			values[0] = Int32GetDatum(j + 1);
			values[1] = CStringGetTextDatum(model_term_name(r, a));
			if (!m->aliased[a])
			{
				b = m->beta[a];
				se = sqrt(m->vcov[a * m->q + a]);
				z = b / se;
				if (!isnan(z))
					p = design ? p_from_t(z, df)
						: 2.0 * rmath_pnorm(-fabs(z), 0.0, 1.0, 1, 0);
			}
			put_float(values, nulls, 2, b);
			put_float(values, nulls, 3, se);
			put_float(values, nulls, 4, z);
			put_float(values, nulls, 5, p);
			put_float(values, nulls, 6, exp(b));
			put_float(values, nulls, 7, exp(b - crit * se));
			put_float(values, nulls, 8, exp(b + crit * se));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
}

static double
p_chisq(double x, int df)
{
	if (isnan(x) || df <= 0)
		return NAN;
	return rmath_pchisq(x, (double) df, 0, 0);
}

/*
 * model, n, predictors, deviance, null_deviance, chi_square, df, p,
 * chi_square_change, df_change, p_change, cox_snell_r2, nagelkerke_r2,
 * aic, iterations, converged
 */
static void
logistic_summary_emit(ReturnSetInfo *rsinfo, const LogitRun *r)
{
	double		sc = dev_scale(r);
	double		n = r->opt.weight == ROBUST_W_PROBABILITY ? r->rows : r->sw;
	double		null_dev = r->null_dev * sc;
	double		prev_dev = null_dev;
	int			prev_rank = r->intercept ? 1 : 0;
	int			j;

	for (j = 0; j < r->nmodels; j++)
	{
		const LogitModel *m = &r->models[j];
		Datum		values[16];
		bool		nulls[16] = {false};
		double		dev = m->dev * sc;
		int			df = m->rank - (r->intercept ? 1 : 0);
		double		cs = 1.0 - exp((dev - null_dev) / n);
		double		cs_max = 1.0 - exp(-null_dev / n);

		values[0] = Int32GetDatum(j + 1);
		put_float(values, nulls, 1, n);
		values[2] = Int32GetDatum(df);
		put_float(values, nulls, 3, dev);
		put_float(values, nulls, 4, null_dev);
		put_float(values, nulls, 5, null_dev - dev);
		values[6] = Int32GetDatum(df);
		put_float(values, nulls, 7, p_chisq(null_dev - dev, df));
		put_float(values, nulls, 8, prev_dev - dev);
		values[9] = Int32GetDatum(m->rank - prev_rank);
		put_float(values, nulls, 10, p_chisq(prev_dev - dev, m->rank - prev_rank));
		put_float(values, nulls, 11, cs);
		put_float(values, nulls, 12, cs / cs_max);
		put_float(values, nulls, 13, dev + 2.0 * m->rank);
		values[14] = Int32GetDatum(m->iter);
		values[15] = BoolGetDatum(m->converged);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		prev_dev = dev;
		prev_rank = m->rank;
	}
}

Datum
logistic_coefficients_table(PG_FUNCTION_ARGS)
{
	LogitRun   *r;

	InitMaterializedSRF(fcinfo, 0);
	r = logit_run(fcinfo);
	if (r)
		logistic_coefficients_emit((ReturnSetInfo *) fcinfo->resultinfo, r);
	return (Datum) 0;
}

Datum
logistic_summary_table(PG_FUNCTION_ARGS)
{
	LogitRun   *r;

	InitMaterializedSRF(fcinfo, 0);
	r = logit_run(fcinfo);
	if (r)
		logistic_summary_emit((ReturnSetInfo *) fcinfo->resultinfo, r);
	return (Datum) 0;
}
