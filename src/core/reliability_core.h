/*
 * reliability_core.h — scale reliability from centered cross-products:
 * Cronbach's alpha (raw and standardized), the inter-item correlation
 * summary, Feldt's interval, Guttman's lambda 6, McDonald's omega total
 * from a one-factor minres model, and the SPSS RELIABILITY /SUMMARY=TOTAL
 * item statistics.
 *
 * Pure C (no PostgreSQL headers): inputs are the k x k centered
 * cross-products C (double-double, as moments_centered gives them), the
 * item means and the sum of weights; callers pass every buffer.  A
 * statistic that is not defined is returned as NaN (the SQL layer turns it
 * into NULL).
 */
#ifndef SURVEY_REG_RELIABILITY_CORE_H
#define SURVEY_REG_RELIABILITY_CORE_H

#include <stddef.h>

#include "dd.h"

/* status of a scale (RelScale.status) */
#define REL_OK			0
#define REL_FEW_ROWS	1		/* fewer than two rows, or N <= 1 */
#define REL_FEW_ITEMS	2		/* fewer than two items with variance */

/* status of omega (RelScale.omega_status) */
#define REL_OMEGA_OK			0
#define REL_OMEGA_HEYWOOD		1	/* a communality reached psych's bound .995 */
#define REL_OMEGA_NO_CONVERGENCE 2
#define REL_OMEGA_UNDEFINED		3	/* e.g. fewer than two items */

/* psych::fa bounds the uniquenesses below by .005 */
#define REL_MAX_COMMUNALITY		0.995

typedef struct RelScale
{
	int			status;			/* REL_* */
	int			k;				/* items used: those with non-zero variance */
	int			k_zero;			/* items left out for zero variance */
	double		n;				/* sum of weights */
	double		alpha;
	double		std_alpha;
	double		mean_r;
	double		min_r;
	double		max_r;
	double		alpha_ci_lower; /* Feldt (1965), 95% */
	double		alpha_ci_upper;
	double		omega_total;
	double		lambda6;		/* Guttman's lambda 6 with SMCs (psych G6(smc)) */
	int			omega_status;	/* REL_OMEGA_* */
	int			omega_heywood_item; /* first item at the bound, or -1 */
	int			smc_ok;			/* 0 if the correlation matrix is singular */
} RelScale;

typedef struct RelItem
{
	int			used;			/* 0: zero variance, left out of the scale */
	double		mean;
	double		sd;
	double		scale_mean_if_deleted;
	double		scale_var_if_deleted;
	double		corrected_item_total_r;
	double		squared_multiple_r;
	double		alpha_if_deleted;
} RelItem;

/* doubles of work space rel_analyze needs for k items */
/*
 * Set by the PostgreSQL layer to a function that calls CHECK_FOR_INTERRUPTS,
 * so that long computations (O(k^3) for large k) can be cancelled.
 */
extern void (*rel_interrupt_hook) (void);

extern size_t rel_work_doubles(int k);

/*
 * Full analysis.  C: k*k centered cross-products (symmetric); mean: k item
 * means (may be NULL if items is NULL); n: sum of weights; nrows: rows
 * accumulated.  items (k entries) may be NULL when only the scale is wanted;
 * with_omega = 0 skips the factor model.  work: rel_work_doubles(k)
 * doubles; iwork: 3 * k ints.
 */
extern void rel_analyze(int k, const dd *C, const dd *mean, dd n,
						long long nrows, int with_omega,
						RelScale *scale, RelItem *items,
						double *work, int *iwork);

/*
 * Alpha alone, O(k^2) and no work space: the finalfunc of cronbach_alpha.
 * Items with zero variance are left out (*k_zero counts them); returns NaN
 * with *status set when alpha is not defined.
 */
extern double rel_alpha(int k, const dd *C, dd n, long long nrows,
						int *status, int *k_zero);

/*
 * One-factor minres (ULS) loadings of a k x k correlation matrix R, as
 * psych::fa(R, 1, fm = "minres") converges to: the fixed point where each
 * communality equals its squared loading on the first principal axis of R
 * with those communalities on the diagonal, communalities bounded by
 * REL_MAX_COMMUNALITY.  h0: starting communalities (e.g. SMCs).
 * Returns REL_OMEGA_*; lambda gets k loadings with a non-negative sum.
 * work: 2 k^2 + 6 k doubles; iwork: 2 k ints.
 */
extern int	rel_minres1(int k, const double *R, const double *h0,
						double *lambda, int *heywood_item,
						double *work, int *iwork);

#endif							/* SURVEY_REG_RELIABILITY_CORE_H */
