/*
 * ols_core.h — hierarchical (blockwise) ordinary least squares from a
 * moments state.  Pure C: no PostgreSQL headers.
 *
 * One call fits the nested models of a blockwise design (SPSS /METHOD=ENTER
 * repeated): model j uses the predictors of blocks 1..j, in the order given.
 * The normal equations are solved in double-double from the nearly exact
 * cross-products of the state (see ols_core.c for the method and for the
 * aliasing threshold).  p-values are left to the caller, which has R's math
 * library: every t and F comes with its degrees of freedom.
 *
 * Results that cannot be computed are NaN: estimates of an aliased predictor,
 * standard errors when the residual df is not positive, R^2 when the total
 * sum of squares is zero, and so on.  The caller maps NaN to SQL NULL.
 */
#ifndef SURVEY_REG_OLS_CORE_H
#define SURVEY_REG_OLS_CORE_H

#include <stdbool.h>
#include <stddef.h>

#include "moments_core.h"

/*
 * Default threshold for aliasing, on the residual sum of squares of a
 * predictor given the earlier ones relative to its uncentered sum of squares
 * (OlsTerm.entry_ratio).  NIST's worst real term (Filip's x^10) has 2.7e-15,
 * exact combinations computed in double <= 3.4e-31; see ols_core.c.
 */
#define OLS_ALIAS_TOL	1e-24

typedef enum OlsStatus
{
	OLS_OK = 0,
	OLS_ERR_NO_ROWS,			/* the state has no weight */
	OLS_ERR_BAD_INDEX,			/* a variable index is out of range */
	OLS_ERR_DEP_IN_PREDICTORS,	/* the dependent is also a predictor */
	OLS_ERR_DUPLICATE,			/* a predictor appears twice */
	OLS_ERR_BAD_BLOCKS,			/* block_ends not increasing / not ending at
								 * npreds */
	OLS_ERR_NO_MEMORY			/* alloc returned NULL */
} OlsStatus;

/* one row of the coefficient table */
typedef struct OlsTerm
{
	int			var;			/* index in the state; -1 for the intercept */
	bool		aliased;		/* linear combination of earlier terms: every
								 * estimate below is NaN */
	double		b;				/* estimate */
	double		se;				/* classical standard error */
	double		t;				/* b / se, with the model's df_resid */
	double		beta;			/* standardized: b sd_x / sd_y (NaN for the
								 * intercept) */
	double		tolerance;		/* 1 - R^2 of this predictor on the other
								 * non-aliased predictors (NaN for the
								 * intercept) */
	double		vif;			/* 1 / tolerance */
	double		entry_ratio;	/* residual SS of this predictor on the
								 * earlier non-aliased terms (intercept
								 * included) over its uncentered SS, when it
								 * entered: the aliasing test is entry_ratio <=
								 * alias_tol (NaN for the intercept) */
} OlsTerm;

/* one nested model and its change against the previous one */
typedef struct OlsModel
{
	int			nterms;			/* entries of terms: intercept (if any) first,
								 * then every predictor of blocks 1..j in
								 * order, aliased ones included */
	OlsTerm    *terms;
	int			npredictors;	/* predictors of blocks 1..j, aliased included */
	int			df1;			/* non-aliased predictors (model df) */
	int			p;				/* non-aliased parameters, intercept included */
	double		n;				/* sum of weights */
	double		df_resid;		/* n - p (df2 of F) */
	double		rss;			/* residual sum of squares */
	double		tss;			/* total SS: centered with an intercept,
								 * uncentered (sum w y^2) without */
	double		r2;				/* 1 - rss / tss */
	double		r;				/* sqrt(r2) */
	double		adj_r2;			/* 1 - (1 - r2) (n - i) / df_resid, i = 1 with
								 * an intercept, else 0 (as R's summary.lm) */
	double		resid_sd;		/* sqrt(rss / df_resid) */
	double		f;				/* ((tss - rss) / df1) / (rss / df_resid) */
	/* against model j-1; model 1 against the intercept-only (or empty) model */
	double		r2_change;		/* (rss_{j-1} - rss_j) / tss */
	double		f_change;		/* ((rss_{j-1} - rss_j) / df1_change) /
								 * (rss_j / df_resid) */
	int			df1_change;		/* p_j - p_{j-1} */
	double		df2_change;		/* = df_resid */
} OlsModel;

typedef struct OlsFit
{
	int			nmodels;
	bool		intercept;
	int			naliased;		/* predictors aliased in the last model */
	OlsModel   *models;			/* [nmodels] */
} OlsFit;

typedef void *(*ols_alloc_fn) (size_t size);
typedef void (*ols_free_fn) (void *ptr);

/*
 * Check the arguments of ols_fit_blocks without fitting.  On failure, *bad
 * (if not NULL) is the position in preds of the offending predictor (-1 for
 * dep, or for a block error the block number).
 */
extern OlsStatus ols_check(const MomentsState *m, int dep, const int *preds,
						   int npreds, const int *block_ends, int nblocks,
						   int *bad);

/*
 * Fit the nested models.  preds[0..npreds-1] are variable indices of m in
 * entry order; block j (0-based) ends before preds[block_ends[j]], so
 * block_ends is strictly increasing and block_ends[nblocks-1] == npreds
 * (a block must not be empty).  alias_tol <= 0 (or NaN) means
 * OLS_ALIAS_TOL.
 *
 * The result is one block from alloc (release it with free_fn, or let a
 * memory context do it); workspace comes from alloc too and is returned to
 * free_fn when that is not NULL.  Returns NULL with *status set on error.
 */
extern OlsFit *ols_fit_blocks(const MomentsState *m, int dep,
							  const int *preds, int npreds,
							  const int *block_ends, int nblocks,
							  bool intercept, double alias_tol,
							  ols_alloc_fn alloc, ols_free_fn free_fn,
							  OlsStatus *status, int *bad);

/* one model: a single block */
extern OlsFit *ols_fit(const MomentsState *m, int dep, const int *preds,
					   int npreds, bool intercept, double alias_tol,
					   ols_alloc_fn alloc, ols_free_fn free_fn,
					   OlsStatus *status, int *bad);

/*
 * Called (when not NULL) once per predictor swept, so a long fit can be
 * interrupted: the PostgreSQL layer points it at a function doing
 * CHECK_FOR_INTERRUPTS().  Workspace allocated with palloc is released by the
 * memory context if that throws.
 */
extern void (*ols_interrupt_hook) (void);

/* a static English message for a status */
extern const char *ols_status_message(OlsStatus status);

#endif							/* SURVEY_REG_OLS_CORE_H */
