/*
 * ols_core.c — hierarchical OLS from the moments state, in double-double.
 *
 * Method.  The state gives the cross-products of the accumulated doubles
 * nearly exactly (~1e-30 relative), so what is left is the solve.  With an
 * intercept we work from the centered cross-product matrix C
 * (moments_centered); without one from the uncentered matrix
 *
 *     U_ij = sum w x_i x_j = C_ij + n mean_i mean_j
 *
 * (expand sum w ((x_i - m_i) + m_i)((x_j - m_j) + m_j): the two cross terms
 * are m_i sum w (x_j - m_j) = 0 and m_j sum w (x_i - m_i) = 0, leaving
 * C_ij + n m_i m_j).  Both terms are formed in dd from the nearly exact dd
 * mean, so U is as good as C (and on the diagonal both terms are >= 0, so
 * nothing cancels).
 *
 * The matrix A over (predictors in entry order, then y) is scaled by powers
 * of two to a diagonal in [1, 4) (exact, so nothing is lost, and the
 * rounding of the sweep does not depend on units), and the symmetric sweep
 * operator is applied to the predictors one at a time, in the given order, in
 * dd.  After sweeping a set S of predictors,
 *
 *     A_SS -> -(A_SS)^-1,   A_Sy -> b,   A_yy -> RSS,
 *     A_jj (j not in S) -> residual SS of x_j on S (and the intercept),
 *
 * so the nested models of a blockwise design come out of one pass over the
 * predictors: after the last predictor of block j, everything model j needs
 * is in A and is read out before block j+1 is swept in.  The sweep needs no
 * pivoting on a positive definite matrix (it is Gauss-Jordan on the normal
 * equations), and in dd its error is ~cond * 1e-32.  Cost: q^3 / 2 dd
 * multiply-adds for q predictors (k = 1000: ~9 s before halving by symmetry,
 * ~5 s after; k = 100: 10 ms); ols_interrupt_hook is called once per pivot.
 *
 * The intercept is B0 = mean_y - sum B_j mean_j and its variance
 * s^2 (1/n + m' Cinv m) with m the predictor means, both in dd.  Tolerance is
 * 1 / (A_jj (A^-1)_jj) over the non-aliased predictors of the model (scale
 * free, so the scaled matrix serves), VIF its inverse, and beta
 * B_j sqrt(A_jj / A_yy): the sample SD ratio with an intercept; without one,
 * A is the uncentered matrix, so tolerance, VIF and beta are the uncentered
 * ones, consistent with the uncentered R^2 (R's summary.lm convention).
 *
 * Accuracy on NIST StRD (test/core/test_ols_nist.c; LRE, min over all
 * coefficients / all SEs): Norris 14.0/14.0, Pontius 13.5/13.8, NoInt1 and
 * NoInt2 15/15, Longley 14.7/15, Wampler1 15/9.9 (the SEs are certified 0;
 * ours are the dd rounding of a zero RSS, ~1e-32 of the total SS, scored as
 * absolute error), Wampler2 13.2/14.7, Wampler3-5 15/15, Filip 7.6/7.6.
 * Filip's 7.6 is the inputs, not the solve: the exact rational solution for
 * the same double inputs (decimal x rounded to double, x^k by pow()) scores
 * 7.61/7.63 against the certified values, and our dd solve agrees with that
 * exact solution to LRE 12.9 (coefficients) and 13.4 (SEs).
 *
 * Aliasing.  Before predictor j is swept, its current diagonal is the
 * residual SS of x_j on the terms already in the model.  j is aliased (a
 * linear combination of earlier terms, as R's lm reports NA) when
 *
 *     entry_ratio = residual SS / sum w x_j^2  <=  alias_tol.
 *
 * The reference is the uncentered SS, as in R's lm, whose QR test compares
 * the residual norm of a column with its original norm (intercept column
 * included) at tol = 1e-7, i.e. 1e-14 on squares.  A combination computed in
 * double carries rounding noise of relative size ~1e-16 of |x_j|, so its
 * residual SS is ~1e-32 of sum w x_j^2 wherever the data sit, while a
 * centered reference would make that noise look large for data far from
 * zero.  Measured (the test prints these):
 *
 *   - NIST: the smallest entry_ratio of any term is Filip's x^10 given 1, x,
 *     ..., x^9: 2.7e-15 (its centered 1 - R^2 is 3.7e-15, which is why R's
 *     1e-14 drops it); next Longley 7.3e-9, Wampler x^5 1.8e-5;
 *   - exact collinearity in doubles (x1 + x2 and 0.1 x1 + 0.7 x2 computed in
 *     double, data near 0, 3, 50, 1000, 1e6 and 1e9, one pass and merged
 *     states): at most 3.4e-31 (1e-32 typical); 2 x1, and a constant column
 *     with an intercept: 0.
 *
 * OLS_ALIAS_TOL = 1e-24 sits nine decades below Filip and seven above the
 * rounding noise.  The room above the noise catches combinations whose
 * rounding is amplified by cancellation up to a factor ~1e3; the room below
 * Filip keeps real predictors with little spread far from zero: a variable
 * is aliased with the intercept only when its SD is below ~1e-12 of its
 * magnitude (NumAcc4-like data, 1e7 +- 0.1, have a ratio of 1e-16).  A
 * combination with heavier cancellation can pass as a real predictor; its
 * estimates are then honest but with enormous SEs and VIF, as in any package
 * that keeps the term.
 */
#include "ols_core.h"

#include <math.h>
#include <string.h>

#define ALIGN8(x) (((x) + 7) & ~((size_t) 7))

const char *
ols_status_message(OlsStatus status)
{
	switch (status)
	{
		case OLS_OK:
			return "ok";
		case OLS_ERR_NO_ROWS:
			return "no rows with a positive weight";
		case OLS_ERR_BAD_INDEX:
			return "variable index out of range";
		case OLS_ERR_DEP_IN_PREDICTORS:
			return "the dependent variable is also a predictor";
		case OLS_ERR_DUPLICATE:
			return "a predictor is named more than once";
		case OLS_ERR_BAD_BLOCKS:
			return "blocks must be non-empty and cover the predictors in order";
		case OLS_ERR_NO_MEMORY:
			return "out of memory";
	}
	return "unknown error";
}

OlsStatus
ols_check(const MomentsState *m, int dep, const int *preds, int npreds,
		  const int *block_ends, int nblocks, int *bad)
{
	int			i,
				j;

	if (bad)
		*bad = -1;
	if (dep < 0 || dep >= m->k)
		return OLS_ERR_BAD_INDEX;
	for (i = 0; i < npreds; i++)
	{
		if (bad)
			*bad = i;
		if (preds[i] < 0 || preds[i] >= m->k)
			return OLS_ERR_BAD_INDEX;
		if (preds[i] == dep)
			return OLS_ERR_DEP_IN_PREDICTORS;
		for (j = 0; j < i; j++)
			if (preds[j] == preds[i])
				return OLS_ERR_DUPLICATE;
	}
	if (bad)
		*bad = -1;
	if (npreds < 0 || nblocks < 1)
		return OLS_ERR_BAD_BLOCKS;
	for (i = 0; i < nblocks; i++)
	{
		if (bad)
			*bad = i;
		if (block_ends[i] <= (i > 0 ? block_ends[i - 1] : 0) ||
			block_ends[i] > npreds)
		{
			/* an empty predictor list is one empty block: intercept only */
			if (!(npreds == 0 && nblocks == 1 && block_ends[0] == 0))
				return OLS_ERR_BAD_BLOCKS;
		}
	}
	if (block_ends[nblocks - 1] != npreds)
	{
		if (bad)
			*bad = nblocks - 1;
		return OLS_ERR_BAD_BLOCKS;
	}
	if (bad)
		*bad = -1;
	if (!(m->n_hi > 0.0))
		return OLS_ERR_NO_ROWS;
	return OLS_OK;
}

/* element (i, j) of a symmetric matrix of which only i <= j is kept */
static inline dd
sym_at(const dd *A, int N, int i, int j)
{
	return i <= j ? A[(size_t) i * N + j] : A[(size_t) j * N + i];
}

/*
 * The symmetric sweep (Beaton; Goodnight 1979 with the sign of the pivot row
 * changed) of pivot c on the N x N matrix A, upper triangle only (row-major,
 * dd).  With d = A_cc and r = row c before the step:
 *
 *     A_ij -= r_i r_j / d   (i, j != c),   A_cj = r_j / d,   A_cc = -1 / d,
 *
 * so that after sweeping a set S, A_SS = -(A_SS)^-1, A_ST = (A_SS)^-1 A_ST and
 * A_TT = A_TT - A_TS (A_SS)^-1 A_ST, and the matrix stays symmetric: half
 * the work of the unsymmetric form.  Rows and columns not in "live" (the
 * predictors found aliased) are left out.  rd is scratch of N dd.
 */
static void
sweep(dd *A, int N, int c, const bool *live, dd *r, dd *rd)
{
	dd			d = A[(size_t) c * N + c];
	dd			dinv = dd_div(dd_from(1.0), d);
	int			i,
				j;

	for (j = 0; j < N; j++)
	{
		r[j] = sym_at(A, N, c, j);
		rd[j] = dd_mul(r[j], dinv);
	}
	for (i = 0; i < N; i++)
	{
		dd		   *rowi = A + (size_t) i * N;
		dd			ri = r[i];

		if (i == c || !live[i])
			continue;
		for (j = i; j < N; j++)
			if (j != c && live[j])
				rowi[j] = dd_sub(rowi[j], dd_mul(ri, rd[j]));
	}
	for (j = 0; j < N; j++)
		if (j != c && live[j])
		{
			if (c <= j)
				A[(size_t) c * N + j] = rd[j];
			else
				A[(size_t) j * N + c] = rd[j];
		}
	A[(size_t) c * N + c] = dd_neg(dinv);
}

/* optional interrupt check, called once per pivot (see ols_core.h) */
void		(*ols_interrupt_hook) (void) = NULL;

static double
safe_sqrt(double x)
{
	if (isnan(x) || x < 0.0)
		return NAN;
	return sqrt(x);
}

OlsFit *
ols_fit_blocks(const MomentsState *m, int dep, const int *preds, int npreds,
			   const int *block_ends, int nblocks, bool intercept,
			   double alias_tol, ols_alloc_fn alloc, ols_free_fn free_fn,
			   OlsStatus *status, int *bad)
{
	const int	k = m->k;
	const int	N = npreds + 1;
	const int	y = npreds;		/* row of the dependent in A */
	OlsStatus	st;
	OlsFit	   *fit;
	OlsTerm    *terms;
	size_t		nterms_total = 0;
	size_t		fitsize;
	dd		   *C = NULL;
	dd		   *A = NULL;
	char	   *work = NULL;
	dd		   *orig;			/* scaled diagonal before any sweep */
	dd		   *mean;			/* means of the variables of A */
	dd		   *rbuf,
			   *rdbuf;			/* sweep scratch */
	double	   *scale;			/* power-of-two scale of each row of A */
	double	   *uss;			/* uncentered SS of each predictor */
	double	   *ratio;			/* entry_ratio of each predictor */
	bool	   *live;			/* not aliased (y always live) */
	bool	   *swept;
	dd			n;
	dd			tss;
	dd			rss_prev;
	int			p_prev;
	int			a,
				b,
				blk;
	int			next = 0;		/* next predictor to enter */

	if (!(alias_tol > 0.0))
		alias_tol = OLS_ALIAS_TOL;
	st = ols_check(m, dep, preds, npreds, block_ends, nblocks, bad);
	if (st != OLS_OK)
	{
		*status = st;
		return NULL;
	}

	/* the result: one block */
	for (blk = 0; blk < nblocks; blk++)
		nterms_total += (size_t) block_ends[blk] + (intercept ? 1 : 0);
	fitsize = ALIGN8(sizeof(OlsFit)) + ALIGN8(sizeof(OlsModel) * nblocks)
		+ sizeof(OlsTerm) * nterms_total;
	fit = alloc(fitsize);
	/* workspace */
	C = alloc(sizeof(dd) * (size_t) k * k);
	A = alloc(sizeof(dd) * (size_t) N * N);
	work = alloc((sizeof(dd) * 4 + sizeof(double) * 3 + sizeof(bool) * 2)
				 * (size_t) N + 64);
	if (fit == NULL || C == NULL || A == NULL || work == NULL)
	{
		if (free_fn)
		{
			if (fit)
				free_fn(fit);
			if (C)
				free_fn(C);
			if (A)
				free_fn(A);
			if (work)
				free_fn(work);
		}
		*status = OLS_ERR_NO_MEMORY;
		return NULL;
	}
	memset(fit, 0, fitsize);
	orig = (dd *) work;
	mean = orig + N;
	rbuf = mean + N;
	rdbuf = rbuf + N;
	scale = (double *) (rdbuf + N);
	uss = scale + N;
	ratio = uss + N;
	live = (bool *) (ratio + N);
	swept = live + N;

	fit->nmodels = nblocks;
	fit->intercept = intercept;
	fit->models = (OlsModel *) ((char *) fit + ALIGN8(sizeof(OlsFit)));
	terms = (OlsTerm *) ((char *) fit->models
						 + ALIGN8(sizeof(OlsModel) * nblocks));

	/* A = C or U over (preds, dep) */
	n = moments_n(m);
	moments_centered(m, C);
	for (a = 0; a < N; a++)
		mean[a] = moments_mean(m, a == y ? dep : preds[a]);
	for (a = 0; a < N; a++)
	{
		int			va = (a == y ? dep : preds[a]);

		for (b = 0; b < N; b++)
		{
			int			vb = (b == y ? dep : preds[b]);
			dd			v = C[(size_t) va * k + vb];

			if (!intercept)
				v = dd_add(v, dd_mul(n, dd_mul(mean[a], mean[b])));
			A[(size_t) a * N + b] = v;
		}
		uss[a] = dd_to_double(dd_add(C[(size_t) va * k + va],
									 dd_mul(n, dd_mul(mean[a], mean[a]))));
	}
	if (free_fn)
		free_fn(C);
	C = NULL;

	/* scale to a diagonal in [1, 4) by powers of two */
	for (a = 0; a < N; a++)
	{
		double		d = A[(size_t) a * N + a].hi;

		scale[a] = d > 0.0 ? pow2_unit_scale(d) : 1.0;
		live[a] = true;
		swept[a] = false;
		ratio[a] = NAN;
	}
	for (a = 0; a < N; a++)
		for (b = 0; b < N; b++)
			A[(size_t) a * N + b] = dd_scale2(A[(size_t) a * N + b],
											  scale[a] * scale[b]);
	for (a = 0; a < N; a++)
		orig[a] = A[(size_t) a * N + a];

	tss = dd_scale2(orig[y], 1.0 / (scale[y] * scale[y]));
	rss_prev = tss;
	p_prev = intercept ? 1 : 0;
	fit->naliased = 0;

	for (blk = 0; blk < nblocks; blk++)
	{
		OlsModel   *mod = &fit->models[blk];
		dd			rss,
					df,
					s2;
		int			p,
					t;

		/* enter this block's predictors */
		for (; next < block_ends[blk]; next++)
		{
			double		d = A[(size_t) next * N + next].hi;
			double		r;

			/* residual SS in original units over the uncentered SS */
			r = uss[next] > 0.0 ? d / (scale[next] * scale[next]) / uss[next] : 0.0;
			ratio[next] = r;
			if (!(d > 0.0) || !(r > alias_tol))
			{
				live[next] = false;
				fit->naliased++;
				continue;
			}
			if (ols_interrupt_hook)
				ols_interrupt_hook();
			sweep(A, N, next, live, rbuf, rdbuf);
			swept[next] = true;
		}

		/* model blk: predictors 0 .. block_ends[blk]-1 */
		p = intercept ? 1 : 0;
		for (a = 0; a < block_ends[blk]; a++)
			if (swept[a])
				p++;
		rss = dd_scale2(A[(size_t) y * N + y], 1.0 / (scale[y] * scale[y]));
		if (rss.hi < 0.0)
			rss = dd_from(0.0);
		df = dd_sub(n, dd_from((double) p));
		s2 = dd_div(rss, df);

		mod->terms = terms;
		mod->npredictors = block_ends[blk];
		mod->nterms = block_ends[blk] + (intercept ? 1 : 0);
		mod->p = p;
		mod->df1 = p - (intercept ? 1 : 0);
		mod->n = dd_to_double(n);
		mod->df_resid = dd_to_double(df);
		mod->rss = dd_to_double(rss);
		mod->tss = dd_to_double(tss);
		if (tss.hi > 0.0)
		{
			dd			reg = dd_sub(tss, rss);

			mod->r2 = dd_to_double(dd_div(reg, tss));
			mod->r = safe_sqrt(mod->r2);
			if (df.hi > 0.0)
				/* ratios first: rss * n overflows with weights near 1e200 */
				mod->adj_r2 = 1.0 - dd_to_double(
					dd_mul(dd_div(rss, tss),
						   dd_div(dd_sub(n, dd_from(intercept ? 1.0 : 0.0)), df)));
			else
				mod->adj_r2 = NAN;
			mod->r2_change = dd_to_double(dd_div(dd_sub(rss_prev, rss), tss));
		}
		else
		{
			mod->r2 = mod->r = mod->adj_r2 = mod->r2_change = NAN;
		}
		if (df.hi > 0.0)
		{
			mod->resid_sd = safe_sqrt(dd_to_double(s2));
			mod->f = mod->df1 > 0
				? dd_to_double(dd_div(dd_div(dd_sub(tss, rss),
											 dd_from((double) mod->df1)), s2))
				: NAN;
		}
		else
			mod->resid_sd = mod->f = NAN;
		mod->df1_change = p - p_prev;
		mod->df2_change = mod->df_resid;
		mod->f_change = (df.hi > 0.0 && mod->df1_change > 0)
			? dd_to_double(dd_div(dd_div(dd_sub(rss_prev, rss),
										 dd_from((double) mod->df1_change)),
								  s2))
			: NAN;
		rss_prev = rss;
		p_prev = p;

		/* terms */
		t = 0;
		if (intercept)
		{
			OlsTerm    *term = &terms[t++];
			dd			b0 = mean[y];
			dd			v = dd_div(dd_from(1.0), n);

			for (a = 0; a < block_ends[blk]; a++)
			{
				dd			ba,
							row = dd_from(0.0);

				if (!swept[a])
					continue;
				ba = dd_scale2(A[(size_t) a * N + y], scale[a] / scale[y]);
				b0 = dd_sub(b0, dd_mul(ba, mean[a]));
				/* m' Cinv m, Cinv_ab = -A_ab s_a s_b */
				for (b = 0; b < block_ends[blk]; b++)
					if (swept[b])
						row = dd_add(row,
									 dd_mul(dd_scale2(dd_neg(sym_at(A, N, a, b)),
													  scale[a] * scale[b]),
											mean[b]));
				v = dd_add(v, dd_mul(mean[a], row));
			}
			term->var = -1;
			term->aliased = false;
			term->b = dd_to_double(b0);
			term->se = df.hi > 0.0 ? safe_sqrt(dd_to_double(dd_mul(s2, v))) : NAN;
			term->t = term->b / term->se;
			term->beta = term->tolerance = term->vif = term->entry_ratio = NAN;
		}
		for (a = 0; a < block_ends[blk]; a++)
		{
			OlsTerm    *term = &terms[t++];

			term->var = preds[a];
			term->entry_ratio = ratio[a];
			if (!swept[a])
			{
				term->aliased = true;
				term->b = term->se = term->t = term->beta = NAN;
				term->tolerance = term->vif = NAN;
				continue;
			}
			term->aliased = false;
			{
				dd			ba = dd_scale2(A[(size_t) a * N + y], scale[a] / scale[y]);
				dd			inv = dd_neg(A[(size_t) a * N + a]); /* scaled */
				dd			tol;

				term->b = dd_to_double(ba);
				term->se = df.hi > 0.0
					? safe_sqrt(dd_to_double(dd_mul(s2, dd_scale2(inv, scale[a] * scale[a]))))
					: NAN;
				term->t = term->b / term->se;
				/* 1 / (A_aa (A^-1)_aa): the scales cancel */
				tol = dd_div(dd_from(1.0), dd_mul(orig[a], inv));
				term->tolerance = dd_to_double(tol);
				term->vif = dd_to_double(dd_mul(orig[a], inv));
				/* b sqrt(A_aa / A_yy) in original units */
				term->beta = orig[y].hi > 0.0
					? dd_to_double(dd_mul(ba,
										  dd_sqrt(dd_div(dd_scale2(orig[a], 1.0 / (scale[a] * scale[a])),
														 dd_scale2(orig[y], 1.0 / (scale[y] * scale[y]))))))
					: NAN;
			}
		}
		terms += t;
	}

	if (free_fn)
	{
		free_fn(A);
		free_fn(work);
	}
	*status = OLS_OK;
	return fit;
}

OlsFit *
ols_fit(const MomentsState *m, int dep, const int *preds, int npreds,
		bool intercept, double alias_tol, ols_alloc_fn alloc,
		ols_free_fn free_fn, OlsStatus *status, int *bad)
{
	int			end = npreds;

	return ols_fit_blocks(m, dep, preds, npreds, &end, 1, intercept,
						  alias_tol, alloc, free_fn, status, bad);
}
