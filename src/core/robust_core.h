/*
 * robust_core.h — robust, cluster-robust and design-based (linearization)
 * variances for the nested models of a blockwise OLS design.  Pure C: no
 * PostgreSQL headers.
 *
 * Three steps, the middle one a scan of the data:
 *
 *   1. robust_fit_build: from the moments state (and the aliasing decided by
 *      ols_fit_blocks) every model's coefficients and (X'WX)^-1 in
 *      double-double, in coordinates shifted by the variables' means (see
 *      robust_core.c), serialized as a flat array of doubles, the "fit";
 *   2. robust_scores, per row: the score vector of every model, x_i e_i
 *      times a factor that depends on the variance (weights, leverage),
 *      concatenated over the models; the caller sums these (per cluster)
 *      and accumulates the cross-products per stratum (RobustStratum);
 *   3. robust_variance: the sandwich A M A per model, its scaling, degrees
 *      of freedom, standard errors and Wald F tests.
 */
#ifndef SURVEY_REG_ROBUST_CORE_H
#define SURVEY_REG_ROBUST_CORE_H

#include <string.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "moments_core.h"
#include "ols_core.h"

typedef enum RobustSe
{
	ROBUST_HC0 = 0,
	ROBUST_HC1,
	ROBUST_HC2,
	ROBUST_HC3,
	ROBUST_CLUSTER,				/* CR1 (Stata vce(cluster), sandwich::vcovCL
								 * type HC1) */
	ROBUST_DESIGN				/* linearization (survey::svyglm) */
} RobustSe;

#define ROBUST_SE_COUNT 6

typedef enum RobustWeight
{
	ROBUST_W_FREQUENCY = 0,		/* replicated rows (or unweighted) */
	ROBUST_W_PROBABILITY = 1	/* sampling weights */
} RobustWeight;

/* what a stratum with a single PSU contributes (R's survey.lonely.psu) */
typedef enum RobustLonely
{
	ROBUST_LONELY_FAIL = 0,
	ROBUST_LONELY_REMOVE,
	ROBUST_LONELY_CERTAINTY,
	ROBUST_LONELY_ADJUST,
	ROBUST_LONELY_AVERAGE
} RobustLonely;

/* the serialized fit: header, then the shifts, then the models */
#define ROBUST_FIT_MAGIC	 5251.0	/* "R" "S" */
#define ROBUST_FIT_VERSION	 1.0
enum
{
	RF_MAGIC = 0,
	RF_VERSION,
	RF_ID_HI,					/* 64-bit identity (fit_identity), two halves */
	RF_ID_LO,
	RF_SE,
	RF_WEIGHT,
	RF_INTERCEPT,
	RF_NCOLS,					/* row length: dependent + predictors */
	RF_NMODELS,
	RF_Q,						/* length of the score vector */
	RF_HEADER					/* shifts[ncols] start here */
};

/*
 * Limits: the per-unit cross-products of all models together
 * (sum over models of p (p + 1) / 2) must stay below this.
 */
#define ROBUST_MAX_BLOCK	1000000

/* one model of a fit */
typedef struct RobustFitModel
{
	int			p;				/* estimated terms, intercept included */
	int			offset;			/* first element in the score vector */
	int			block_offset;	/* first cross-product of its block */
	int		   *col;			/* [p] row column of the term: -1 intercept,
								 * 1 + i for predictor i */
	int		   *term;			/* [p] index in the OlsModel's terms */
	bool	   *is_new;			/* [p] predictor of this model's own block */
	dd		   *b;				/* [p] shifted coordinates */
	dd		   *A;				/* [p * p] (X'WX)^-1, shifted coordinates */
} RobustFitModel;

typedef struct RobustFit
{
	RobustSe	se;
	RobustWeight weight;
	bool		intercept;
	int			ncols;
	int			nmodels;
	int			q;				/* sum of p */
	int			nblock;			/* sum of p (p + 1) / 2 */
	double	   *shift;			/* [ncols] */
	RobustFitModel *models;
	uint64_t	id;
	double	   *blob;			/* the serialized fit */
	int			bloblen;
} RobustFit;

typedef enum RobustStatus
{
	ROBUST_OK = 0,
	ROBUST_ERR_NO_MEMORY,
	ROBUST_ERR_TOO_LARGE,		/* ROBUST_MAX_BLOCK */
	ROBUST_ERR_NOT_POSITIVE,	/* a pivot that ols_fit_blocks kept is not
								 * positive here */
	ROBUST_ERR_LONELY,			/* a stratum with one PSU (lonely = fail) */
	ROBUST_ERR_BAD_FIT			/* a malformed serialized fit */
} RobustStatus;

typedef void *(*robust_alloc_fn) (size_t size);

/*
 * Build the fit of the nested models (as ols_fit_blocks had them; aliased[i]
 * tells whether predictor i was found aliased).  The result and all its
 * arrays come from alloc (never freed here: use a memory context).
 */
extern RobustFit *robust_fit_build(const MomentsState *m, int dep,
								   const int *preds, int npreds,
								   const int *block_ends, int nblocks,
								   bool intercept, const bool *aliased,
								   RobustSe se, RobustWeight weight,
								   robust_alloc_fn alloc, RobustStatus *status);

/*
 * A serialized fit, checked (every index and length; the numbers
 * themselves are not) and read in place.
 */
typedef struct RobustFitView
{
	const double *blob;
	int			len;
	RobustSe	se;
	RobustWeight weight;
	bool		intercept;
	int			ncols;
	int			nmodels;
	int			q;
	int			nblock;
	uint64_t	id;
	const double *shift;
} RobustFitView;

/* NULL if valid, else a static message */
extern const char *robust_fit_view(const double *blob, int len,
								   RobustFitView *v);

/* the per-model parts of a view, in order (model_start = the first) */
typedef struct RobustViewModel
{
	int			p;
	const double *col;
	const double *b_hi;
	const double *b_lo;
	const double *A;
	int			next;			/* start of the next model in blob */
} RobustViewModel;

extern void robust_view_model(const RobustFitView *v, int start,
							  RobustViewModel *vm);
extern int	robust_view_first_model(const RobustFitView *v);

/*
 * The score vector of one complete row (row[0] the dependent, row[1 + i]
 * predictor i; all finite) with weight w (1 when unweighted), into out[q]:
 * per model x e f with x the shifted terms, e the residual and
 *   HC0, HC1   f = sqrt(w) (frequency), w (probability)
 *   HC2        the same over sqrt(1 - h), HC3 over (1 - h), with the
 *              leverage h = x' A x (frequency) or w x' A x (probability)
 *   cluster, design   f = w
 * so that the meat is the plain sum of u u' over units (rows or cluster
 * totals).  A leverage of 1 gives infinite or NaN scores (as sandwich).
 */
extern void robust_scores(const RobustFitView *v, const double *row,
						  double w, double *out, void *scratch);

/* bytes of scratch robust_scores needs */
#define ROBUST_SCORES_SCRATCH(ncols) ((size_t) (ncols) * (sizeof(dd) + sizeof(double)))

/* the units of one stratum, accumulated by the caller */
typedef struct RobustStratum
{
	double		n_units;		/* units (PSUs, clusters or rows), those
								 * without a complete row included */
	double		n_nonnull;		/* units with at least one complete row */
	const dd   *sum;			/* [q] sum of u */
	const dd   *cross;			/* [nblock] per model, the packed upper
								 * triangle of sum u u' over its block */
} RobustStratum;

/* per-model result, in the fit's term order */
typedef struct RobustModelResult
{
	double	   *se;				/* [p], original coordinates */
	double		df;				/* of t (and the F denominator); NaN when
								 * undefined */
	double		f;				/* Wald F of every predictor, NaN if none */
	int			f_df1;
	double		f_change;		/* Wald F of the model's own block */
	int			f_change_df1;
} RobustModelResult;

typedef struct RobustResult
{
	RobustModelResult *models;	/* [nmodels] */
	double		n_df;			/* n in the HC1 / CR1 factors */
	double		clusters;		/* G (cluster), PSUs (design) */
	double		degf;			/* design df: PSUs - strata (design) */
	int			lonely_strata;	/* strata with one PSU (design) */
	bool		single_cluster; /* cluster with G < 2: no variance */
	int			bad_stratum;	/* ROBUST_ERR_LONELY: its index */
} RobustResult;

/*
 * The variances.  n_df is the n of the HC1 and CR1 factors and of the HC
 * residual df: the sum of frequency weights, or the number of rows with
 * probability weights.
 */
extern RobustResult *robust_variance(const RobustFit *fit,
									 const RobustStratum *strata, int nstrata,
									 RobustLonely lonely, double n_df,
									 robust_alloc_fn alloc,
									 RobustStatus *status);

/*
 * The fast scores of a fit (HC0-HC3) for the meat_of aggregate, by batch:
 * the fit's numbers unpacked once, the residuals in double.
 */
typedef struct RobustKernel
{
	RobustSe	se;
	RobustWeight weight;
	int			ncols;
	int			nmodels;
	int			q;
	int			nblock;
	uint64_t	id;
	double	   *shift;			/* [ncols] */
	int		   *p;				/* [nmodels] */
	int		   *col;			/* [q] the fit's columns: -1 intercept, c row
								 * column c (xs[1 + col] is its value) */
	double	   *b;				/* [q] */
	double	   *A;				/* per model p * p: U upper triangular,
								 * U'U = (X'X)^-1 (the leverage's) */
	/*
	 * nested: every model's terms are the leading terms of the last
	 * model's, aliased alike; then M (P * P, P the last model's p) is
	 * lower triangular with M'M = that model's (X'X)^-1, whose
	 * leading blocks are the smaller models' factors, so that one
	 * triangular product per row gives every model's leverage as a
	 * prefix sum of squares
	 */
	bool		nested;
	int			P;
	double	   *M;
} RobustKernel;

extern RobustKernel *robust_kernel_build(const RobustFitView *v,
										 robust_alloc_fn alloc);

/*
 * The scores of a batch of n complete rows (n a multiple of 8) stored by
 * column, each column stride apart: column 0 the intercept's (1, or 0 in
 * padding rows), column 1 + c row column c minus shift[c]; w[r] the row's
 * weight (1 unweighted, 0 in padding rows).  Into g[j * stride + r] the
 * row's e f of model j, so that its score is x~ g over the model's terms;
 * scratch [3 stride].  false when a g is not finite (leverage 1, or
 * overflow).
 */
extern bool robust_kernel_batch(const RobustKernel *k, const double *xs,
								int stride, const double *w, int n,
								double *g, double *scratch);

/*
 * The score vector (every model) of a group (cluster or PSU) from its
 * moments state g, whose variable var[c] is the fit's row column c (0 the
 * dependent); scratch [ROBUST_GROUP_SCRATCH(g->k, ncols)] dd, reusable from
 * group to group.  false when the group has no complete row.
 */
#define ROBUST_GROUP_SCRATCH(k, ncols) \
	((size_t) (k) * (k) + ((size_t) (ncols) + 1) * ((size_t) (ncols) + 2))
extern bool robust_group_scores(const RobustFit *fit, const MomentsState *g,
								const int *var, dd *scratch, double *u);

extern const char *robust_status_message(RobustStatus status);
extern const char *robust_se_name(RobustSe se);

/*
 * sum of a[i] b[i]: four lanes in a fixed order (vectorizes without
 * -ffast-math): robust_core.c's leverages and robust_meat_of.c's batch
 * cross-products
 */
typedef double v2d __attribute__((vector_size(16)));

static inline double
robust_dot(const double *a, const double *b, int n)
{
	v2d			s0 = {0.0, 0.0},
				s1 = {0.0, 0.0};
	double		s;
	int			i = 0;

	for (; i + 4 <= n; i += 4)
	{
		v2d			a0,
					a1,
					b0,
					b1;

		memcpy(&a0, a + i, sizeof(v2d));
		memcpy(&a1, a + i + 2, sizeof(v2d));
		memcpy(&b0, b + i, sizeof(v2d));
		memcpy(&b1, b + i + 2, sizeof(v2d));
		s0 += a0 * b0;
		s1 += a1 * b1;
	}
	s = (s0[0] + s1[0]) + (s0[1] + s1[1]);
	for (; i < n; i++)
		s += a[i] * b[i];
	return s;
}

#endif							/* SURVEY_REG_ROBUST_CORE_H */
