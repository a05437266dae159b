/*
 * robust_core.c — sandwich variances for the nested models of a blockwise
 * OLS design: HC0-HC3, CR1 and the linearization variance of a stratified
 * cluster sample, as R's sandwich (vcovHC, vcovCL) and survey (svyglm)
 * packages compute them.
 *
 * Notation.  Model j has the p estimated terms x (intercept first, then its
 * non-aliased predictors in entry order), coefficients b, residuals
 * e = y - x'b, and A = (X'WX)^-1.  Every variance here is
 *
 *     V = c A M A,   M = sum over units of u u',
 *
 * where a unit is a row (HC), a cluster (CR1) or a PSU (design), u is the
 * unit's score (the sum of its rows' x e times a factor, see
 * robust_scores) and c a small-sample factor:
 *
 *   HC0       c = 1, u = x e sqrt(w)               (w: frequency weight)
 *   HC1       c = n / (n - p)
 *   HC2, HC3  c = 1, u = x e sqrt(w) / (1 - h)^(1/2 or 1), h = x' A x
 *   CR1       c = G / (G - 1) (n - 1) / (n - p), u = sum over the cluster
 *             of w x e; t on G - 1 df (Stata)
 *   design    M = sum over strata h of n_h / (n_h - 1)
 *                 sum over its PSUs i of (u_hi - mean_h u)(u_hi - mean_h u)'
 *             with u_hi = sum over the PSU of w x e (R's svyrecvar, one
 *             stage, no finite population correction); t on
 *             (PSUs - strata) - p + 1 df (svyglm's df.residual)
 *
 * With probability weights the HC and CR1 scores carry w instead of
 * sqrt(w) (the meat is sum w^2 e^2 x x', R's vcovHC of a weighted lm), the
 * leverage is w x' A x, and n counts rows, not weights.  With frequency
 * weights everything equals the unweighted computation on rows replicated w
 * times: n is the sum of the weights and h the leverage of one replicate.
 *
 * Numerics.  A and b come from the moments state (nearly exact sums) by a
 * Gauss-Jordan sweep in double-double, like ols_core.c, but in coordinates
 * shifted by each variable's mean rounded to double, c: the terms are
 * (1, x - c) and the dependent y - c_y.  The shift removes the
 * cancellation that (1, x) would suffer for data far from zero, and it is
 * an exact reparametrization: A and b are computed for the shifted design
 * itself (the matrix includes the n (mean - c) terms), residuals and scores
 * use the same shifted values, and only the intercept's variance is mapped
 * back, var(b0) = var(a) - 2 c' cov(b, a) + c' var(b) c.  Residuals are
 * formed in double-double from double-double coefficients, scores rounded
 * to double once.  Without an intercept there is no shift.
 */
#include "robust_core.h"
#include "cholesky.h"

#include <math.h>
#include <string.h>

const char *
robust_status_message(RobustStatus status)
{
	switch (status)
	{
		case ROBUST_OK:
			return "ok";
		case ROBUST_ERR_NO_MEMORY:
			return "out of memory";
		case ROBUST_ERR_TOO_LARGE:
			return "too many models and predictors for robust standard errors";
		case ROBUST_ERR_NOT_POSITIVE:
			return "the cross-product matrix is not positive definite";
		case ROBUST_ERR_LONELY:
			return "a stratum has only one PSU";
		case ROBUST_ERR_BAD_FIT:
			return "malformed fit";
	}
	return "unknown error";
}

const char *
robust_se_name(RobustSe se)
{
	static const char *const names[ROBUST_SE_COUNT] = {
		"hc0", "hc1", "hc2", "hc3", "cluster", "design"
	};

	return (int) se >= 0 && (int) se < ROBUST_SE_COUNT ? names[se] : "?";
}

/*
 * Sweep pivot c of the symmetric N x N matrix G (full storage, dd), over the
 * rows and columns in live: G_ij -= G_ic G_cj / d, G_cj = G_jc = G_cj / d,
 * G_cc = -1 / d.  After sweeping a set S, G_SS = -(G_SS)^-1, G_ST =
 * (G_SS)^-1 G_ST and G_TT = G_TT - G_TS (G_SS)^-1 G_ST (as ols_core.c).
 */
static void
sweep_full(dd *G, int N, int c, const bool *live, dd *r)
{
	dd			d = G[(size_t) c * N + c];
	dd			dinv = dd_div(dd_from(1.0), d);
	int			i,
				j;

	for (j = 0; j < N; j++)
		r[j] = G[(size_t) c * N + j];
	for (i = 0; i < N; i++)
	{
		dd			ri;

		if (i == c || !live[i])
			continue;
		ri = dd_mul(r[i], dinv);
		for (j = 0; j < N; j++)
			if (j != c && live[j])
				G[(size_t) i * N + j] = dd_sub(G[(size_t) i * N + j],
											   dd_mul(ri, r[j]));
	}
	for (j = 0; j < N; j++)
		if (j != c && live[j])
		{
			dd			v = dd_mul(r[j], dinv);

			G[(size_t) c * N + j] = v;
			G[(size_t) j * N + c] = v;
		}
	G[(size_t) c * N + c] = dd_neg(dinv);
}

static void
put_id(double *blob, uint64_t id)
{
	blob[RF_ID_HI] = (double) (uint32_t) (id >> 32);
	blob[RF_ID_LO] = (double) (uint32_t) (id & UINT64_C(0xffffffff));
}

static uint64_t
hash_more(uint64_t h, const void *p, size_t len)
{
	return (h ^ moments_hash_bytes(p, len)) * UINT64_C(0x9E3779B97F4A7C15);
}

/*
 * The fit's identity, which its meat carries and robust_result checks:
 * the settings and the models' columns (the blob's header and col
 * arrays), and of the state the variables' names, the row count and each
 * variable's minimum and maximum.  Not the coefficients: a state
 * recomputed over the same rows (partial states combined in another
 * order, moments_merge) may differ from the first in the last bits of its
 * sums, and its meat must still fit; the identity is the same for it.
 */
static uint64_t
fit_identity(const RobustFit *fit, const MomentsState *m, int dep,
			 const int *preds)
{
	MomentsArrays a;
	uint64_t	h = moments_hash_bytes(fit->blob + RF_SE,
									   sizeof(double) * (RF_HEADER - RF_SE));
	int			c,
				blk;

	moments_arrays(m, &a);
	h = hash_more(h, &m->nrows, sizeof(m->nrows));
	/*
	 * The weights: an unweighted and a weighted state over the same rows
	 * share rows, names and ranges, but not the sum of weights nor the
	 * (weighted) means.  Both rounded (to double, and the means to float),
	 * so that a state merged in another order, equal to ~1e-30, keeps its
	 * identity.
	 */
	{
		double		nw = dd_to_double(moments_n(m));

		h = hash_more(h, &nw, sizeof(double));
	}
	for (c = 0; c < fit->ncols; c++)
	{
		int			v = c == 0 ? dep : preds[c - 1];
		float		mean = (float) dd_to_double(moments_mean(m, v));

		if (mean == 0.0f)
			mean = 0.0f;		/* -0 */
		h = hash_more(h, &mean, sizeof(float));
	}
	for (blk = 0; blk < fit->nmodels; blk++)
		h = hash_more(h, fit->models[blk].col,
					  sizeof(int) * (size_t) fit->models[blk].p);
	for (c = 0; c < fit->ncols; c++)
	{
		int			v = c == 0 ? dep : preds[c - 1];
		const char *name = moments_name(m, v);

		h = hash_more(h, name, strlen(name));
		h = hash_more(h, &a.min[v], sizeof(double));
		h = hash_more(h, &a.max[v], sizeof(double));
	}
	return h;
}

RobustFit *
robust_fit_build(const MomentsState *m, int dep, const int *preds, int npreds,
				 const int *block_ends, int nblocks, bool intercept,
				 const bool *aliased, RobustSe se, RobustWeight weight,
				 robust_alloc_fn alloc, RobustStatus *status)
{
	const int	k = m->k;
	const int	off = intercept ? 1 : 0;	/* first predictor in G */
	const int	N = off + npreds + 1;
	const int	y = N - 1;
	RobustFit  *fit;
	dd		   *C,
			   *G,
			   *dvec,
			   *r;
	double	   *sc;
	bool	   *live;
	dd			n;
	int			a,
				b,
				blk,
				next = 0;
	long long	q = 0,
				nblock = 0,
				len;
	double	   *w;

	*status = ROBUST_OK;
	fit = alloc(sizeof(RobustFit));
	C = alloc(sizeof(dd) * (size_t) k * k);
	G = alloc(sizeof(dd) * (size_t) N * N);
	dvec = alloc(sizeof(dd) * (size_t) N);
	r = alloc(sizeof(dd) * (size_t) N);
	sc = alloc(sizeof(double) * (size_t) N);
	live = alloc(sizeof(bool) * (size_t) N);
	if (!fit || !C || !G || !dvec || !r || !sc || !live)
	{
		*status = ROBUST_ERR_NO_MEMORY;
		return NULL;
	}
	memset(fit, 0, sizeof(RobustFit));
	fit->se = se;
	fit->weight = weight;
	fit->intercept = intercept;
	fit->ncols = npreds + 1;
	fit->nmodels = nblocks;
	fit->shift = alloc(sizeof(double) * (size_t) (npreds + 1));
	fit->models = alloc(sizeof(RobustFitModel) * (size_t) nblocks);
	if (!fit->shift || !fit->models)
	{
		*status = ROBUST_ERR_NO_MEMORY;
		return NULL;
	}

	/* shifts and the cross-product matrix of the shifted design */
	n = moments_n(m);
	moments_centered(m, C);
	for (a = off; a < N; a++)
	{
		int			va = a == y ? dep : preds[a - off];
		dd			mean = moments_mean(m, va);
		double		s = intercept ? dd_to_double(mean) : 0.0;

		fit->shift[a == y ? 0 : 1 + (a - off)] = s;
		dvec[a] = dd_sub(mean, dd_from(s));
	}
	for (a = off; a < N; a++)
	{
		int			va = a == y ? dep : preds[a - off];

		for (b = off; b < N; b++)
		{
			int			vb = b == y ? dep : preds[b - off];

			G[(size_t) a * N + b] = dd_add(C[(size_t) va * k + vb],
										   dd_mul(n, dd_mul(dvec[a], dvec[b])));
		}
	}
	if (intercept)
	{
		G[0] = n;
		for (b = 1; b < N; b++)
			G[b] = G[(size_t) b * N] = dd_mul(n, dvec[b]);
	}
	for (a = 0; a < N; a++)
	{
		double		d = G[(size_t) a * N + a].hi;

		sc[a] = d > 0.0 ? pow2_unit_scale(d) : 1.0;
		live[a] = true;
	}
	for (a = 0; a < N; a++)
		for (b = 0; b < N; b++)
			G[(size_t) a * N + b] = dd_scale2(G[(size_t) a * N + b], sc[a] * sc[b]);
	for (a = 0; a < npreds; a++)
		if (aliased[a])
			live[off + a] = false;

	if (intercept)
	{
		if (!(G[0].hi > 0.0))
		{
			*status = ROBUST_ERR_NOT_POSITIVE;
			return NULL;
		}
		sweep_full(G, N, 0, live, r);
	}

	for (blk = 0; blk < nblocks; blk++)
	{
		RobustFitModel *mod = &fit->models[blk];
		int			p,
					t,
					s,
					term;
		int			first_new = blk > 0 ? block_ends[blk - 1] : 0;

		for (; next < block_ends[blk]; next++)
		{
			if (aliased[next])
				continue;
			if (!(G[(size_t) (off + next) * N + off + next].hi > 0.0))
			{
				*status = ROBUST_ERR_NOT_POSITIVE;
				return NULL;
			}
			sweep_full(G, N, off + next, live, r);
		}

		p = off;
		for (a = 0; a < block_ends[blk]; a++)
			if (!aliased[a])
				p++;
		mod->p = p;
		mod->offset = (int) q;
		mod->block_offset = (int) nblock;
		q += p;
		nblock += (long long) p * (p + 1) / 2;
		if (nblock > ROBUST_MAX_BLOCK)
		{
			*status = ROBUST_ERR_TOO_LARGE;
			return NULL;
		}
		mod->col = alloc(sizeof(int) * (size_t) (p > 0 ? p : 1));
		mod->term = alloc(sizeof(int) * (size_t) (p > 0 ? p : 1));
		mod->is_new = alloc(sizeof(bool) * (size_t) (p > 0 ? p : 1));
		mod->b = alloc(sizeof(dd) * (size_t) (p > 0 ? p : 1));
		mod->A = alloc(sizeof(dd) * (size_t) (p > 0 ? p * p : 1));
		if (!mod->col || !mod->term || !mod->is_new || !mod->b || !mod->A)
		{
			*status = ROBUST_ERR_NO_MEMORY;
			return NULL;
		}
		/* terms: G rows gi[t]; OlsModel term index term */
		t = 0;
		term = 0;
		if (intercept)
		{
			mod->col[0] = -1;
			mod->term[0] = 0;
			mod->is_new[0] = false;
			t = 1;
			term = 1;
		}
		for (a = 0; a < block_ends[blk]; a++, term++)
		{
			if (aliased[a])
				continue;
			mod->col[t] = 1 + a;
			mod->term[t] = term;
			mod->is_new[t] = a >= first_new;
			t++;
		}
		for (t = 0; t < p; t++)
		{
			int			gt = mod->col[t] < 0 ? 0 : off + mod->col[t] - 1;

			mod->b[t] = dd_scale2(G[(size_t) gt * N + y], sc[gt] / sc[y]);
			for (s = 0; s < p; s++)
			{
				int			gs = mod->col[s] < 0 ? 0 : off + mod->col[s] - 1;

				mod->A[(size_t) t * p + s] =
					dd_scale2(dd_neg(G[(size_t) gt * N + gs]), sc[gt] * sc[gs]);
			}
		}
	}
	fit->q = (int) q;
	fit->nblock = (int) nblock;

	/* serialize */
	len = RF_HEADER + fit->ncols;
	for (blk = 0; blk < nblocks; blk++)
	{
		long long	p = fit->models[blk].p;

		len += 1 + 3 * p + p * p;
	}
	if (len > (long long) 0x7fffffff / (long long) sizeof(double))
	{
		*status = ROBUST_ERR_TOO_LARGE;
		return NULL;
	}
	fit->bloblen = (int) len;
	fit->blob = alloc(sizeof(double) * (size_t) len);
	if (!fit->blob)
	{
		*status = ROBUST_ERR_NO_MEMORY;
		return NULL;
	}
	w = fit->blob;
	w[RF_MAGIC] = ROBUST_FIT_MAGIC;
	w[RF_VERSION] = ROBUST_FIT_VERSION;
	w[RF_ID_HI] = w[RF_ID_LO] = 0.0;
	w[RF_SE] = (double) se;
	w[RF_WEIGHT] = (double) weight;
	w[RF_INTERCEPT] = intercept ? 1.0 : 0.0;
	w[RF_NCOLS] = (double) fit->ncols;
	w[RF_NMODELS] = (double) nblocks;
	w[RF_Q] = (double) fit->q;
	memcpy(w + RF_HEADER, fit->shift, sizeof(double) * (size_t) fit->ncols);
	w += RF_HEADER + fit->ncols;
	for (blk = 0; blk < nblocks; blk++)
	{
		const RobustFitModel *mod = &fit->models[blk];
		int			p = mod->p,
					t;

		*w++ = (double) p;
		for (t = 0; t < p; t++)
			*w++ = (double) mod->col[t];
		for (t = 0; t < p; t++)
			*w++ = mod->b[t].hi;
		for (t = 0; t < p; t++)
			*w++ = mod->b[t].lo;
		for (t = 0; t < p * p; t++)
			*w++ = dd_to_double(mod->A[t]);
	}
	fit->id = fit_identity(fit, m, dep, preds);
	put_id(fit->blob, fit->id);
	return fit;
}

/* x is an integer in [lo, hi] */
static bool
int_in(double x, double lo, double hi)
{
	return x >= lo && x <= hi && x == floor(x);
}

const char *
robust_fit_view(const double *blob, int len, RobustFitView *v)
{
	int			pos,
				j;
	long long	q = 0,
				nblock = 0;

	if (len < RF_HEADER)
		return "the fit is too short";
	if (blob[RF_MAGIC] != ROBUST_FIT_MAGIC || blob[RF_VERSION] != ROBUST_FIT_VERSION)
		return "the array is not a fit made by survey_reg.robust_fit";
	if (!int_in(blob[RF_ID_HI], 0, 4294967295.0) || !int_in(blob[RF_ID_LO], 0, 4294967295.0)
		|| !int_in(blob[RF_SE], 0, ROBUST_SE_COUNT - 1)
		|| !int_in(blob[RF_WEIGHT], 0, 1) || !int_in(blob[RF_INTERCEPT], 0, 1)
		|| !int_in(blob[RF_NCOLS], 1, MOMENTS_MAX_K)
		|| !int_in(blob[RF_NMODELS], 1, MOMENTS_MAX_K)
		|| !int_in(blob[RF_Q], 0, 2147483647.0))
		return "the fit's header is malformed";
	v->blob = blob;
	v->len = len;
	v->se = (RobustSe) (int) blob[RF_SE];
	v->weight = (RobustWeight) (int) blob[RF_WEIGHT];
	v->intercept = blob[RF_INTERCEPT] != 0.0;
	v->ncols = (int) blob[RF_NCOLS];
	v->nmodels = (int) blob[RF_NMODELS];
	v->q = (int) blob[RF_Q];
	v->id = ((uint64_t) (uint32_t) blob[RF_ID_HI] << 32) | (uint32_t) blob[RF_ID_LO];
	v->shift = blob + RF_HEADER;
	if (len < RF_HEADER + v->ncols)
		return "the fit is too short";
	pos = RF_HEADER + v->ncols;
	for (j = 0; j < v->nmodels; j++)
	{
		long long	p,
					need;
		int			t;

		if (pos >= len || !int_in(blob[pos], 0, v->ncols))
			return "a model of the fit is malformed";
		p = (long long) blob[pos];
		need = 1 + 3 * p + p * p;
		if (need > (long long) len - pos)
			return "the fit is too short";
		for (t = 0; t < p; t++)
		{
			double		c = blob[pos + 1 + t];

			if (!(int_in(c, 1, v->ncols - 1)
				  || (c == -1.0 && t == 0 && v->intercept)))
				return "a model of the fit has a malformed term";
		}
		q += p;
		nblock += p * (p + 1) / 2;
		if (nblock > ROBUST_MAX_BLOCK)
			return "the fit is too large";
		pos += (int) need;
	}
	if (pos != len)
		return "the fit has trailing elements";
	if (q != v->q)
		return "the fit's score length does not match its models";
	v->nblock = (int) nblock;
	return NULL;
}

int
robust_view_first_model(const RobustFitView *v)
{
	return RF_HEADER + v->ncols;
}

void
robust_view_model(const RobustFitView *v, int start, RobustViewModel *vm)
{
	int			p = (int) v->blob[start];

	vm->p = p;
	vm->col = v->blob + start + 1;
	vm->b_hi = vm->col + p;
	vm->b_lo = vm->b_hi + p;
	vm->A = vm->b_lo + p;
	vm->next = start + 1 + 3 * p + p * p;
}

void
robust_scores(const RobustFitView *v, const double *row, double w,
			  double *out, void *scratch)
{
	int			pos = robust_view_first_model(v);
	int			j,
				o = 0;
	double		base;
	dd		   *xc = scratch;
	double	   *x = (double *) (xc + v->ncols);

	if (v->se <= ROBUST_HC3 && v->weight == ROBUST_W_FREQUENCY)
		base = sqrt(w);
	else
		base = w;

	for (j = 0; j < v->nmodels; j++)
	{
		RobustViewModel vm;
		dd			e;
		double		ed,
					f = base;
		int			t,
					s;

		robust_view_model(v, pos, &vm);
		pos = vm.next;
		e = dd_diff_d(row[0], v->shift[0]);
		for (t = 0; t < vm.p; t++)
		{
			int			c = (int) vm.col[t];

			xc[t] = c < 0 ? dd_from(1.0) : dd_diff_d(row[c], v->shift[c]);
			x[t] = dd_to_double(xc[t]);
			e = dd_sub(e, dd_mul(dd_make(vm.b_hi[t], vm.b_lo[t]), xc[t]));
		}
		ed = dd_to_double(e);
		if (v->se == ROBUST_HC2 || v->se == ROBUST_HC3)
		{
			double		h = 0.0;

			for (t = 0; t < vm.p; t++)
			{
				const double *At = vm.A + (size_t) t * vm.p;
				double		acc = 0.0;

				for (s = 0; s < vm.p; s++)
					acc += At[s] * x[s];
				h += x[t] * acc;
			}
			if (v->weight == ROBUST_W_PROBABILITY)
				h *= w;
			f = v->se == ROBUST_HC2 ? f / sqrt(1.0 - h) : f / (1.0 - h);
		}
		for (t = 0; t < vm.p; t++)
			out[o + t] = x[t] * ed * f;
		o += vm.p;
	}
}

/* the model's p x p meat block (full, dd) from the packed upper triangles */
static void
unpack_block(const dd *packed, int p, dd *Mfull)
{
	int			s,
				t,
				i = 0;

	for (s = 0; s < p; s++)
		for (t = s; t < p; t++, i++)
			Mfull[(size_t) s * p + t] = Mfull[(size_t) t * p + s] = packed[i];
}

/*
 * Wald statistic b_S' V_SS^-1 b_S over the terms in S (dd; Gauss-Jordan
 * on a copy).  NaN when V_SS is not positive definite.
 */
static double
wald(const dd *V, const dd *b, int p, const bool *in, robust_alloc_fn alloc)
{
	int			ns = 0,
				s,
				t,
				i,
				j;
	int		   *idx = alloc(sizeof(int) * (size_t) (p > 0 ? p : 1));
	dd		   *G;
	dd		   *r;
	bool	   *live;
	dd			w = dd_from(0.0);

	if (!idx)
		return NAN;
	for (s = 0; s < p; s++)
		if (in[s])
			idx[ns++] = s;
	if (ns == 0)
		return NAN;
	/* [V_SS b_S; b_S' 0]: sweeping V_SS leaves -b' V^-1 b in the corner */
	G = alloc(sizeof(dd) * (size_t) (ns + 1) * (ns + 1));
	r = alloc(sizeof(dd) * (size_t) (ns + 1));
	live = alloc(sizeof(bool) * (size_t) (ns + 1));
	if (!G || !r || !live)
		return NAN;
	for (i = 0; i < ns; i++)
	{
		for (j = 0; j < ns; j++)
			G[(size_t) i * (ns + 1) + j] = V[(size_t) idx[i] * p + idx[j]];
		G[(size_t) i * (ns + 1) + ns] = G[(size_t) ns * (ns + 1) + i] = b[idx[i]];
		live[i] = true;
	}
	G[(size_t) ns * (ns + 1) + ns] = dd_from(0.0);
	live[ns] = true;
	for (t = 0; t < ns; t++)
	{
		if (!(G[(size_t) t * (ns + 1) + t].hi > 0.0))
			return NAN;
		sweep_full(G, ns + 1, t, live, r);
	}
	w = dd_neg(G[(size_t) ns * (ns + 1) + ns]);
	return dd_to_double(w);
}

RobustResult *
robust_variance(const RobustFit *fit, const RobustStratum *strata, int nstrata,
				RobustLonely lonely, double n_df, robust_alloc_fn alloc,
				RobustStatus *status)
{
	RobustResult *res = alloc(sizeof(RobustResult));
	dd		   *M;				/* [nblock]: the meat, packed per model */
	double		G = 0.0,
				psus = 0.0;
	int			nstrat = 0,
				nlonely_avg = 0,
				h,
				i,
				j;

	*status = ROBUST_OK;
	if (!res)
	{
		*status = ROBUST_ERR_NO_MEMORY;
		return NULL;
	}
	memset(res, 0, sizeof(RobustResult));
	res->bad_stratum = -1;
	res->n_df = n_df;
	res->models = alloc(sizeof(RobustModelResult) * (size_t) fit->nmodels);
	M = alloc(sizeof(dd) * (size_t) (fit->nblock > 0 ? fit->nblock : 1));
	if (!res->models || !M)
	{
		*status = ROBUST_ERR_NO_MEMORY;
		return NULL;
	}
	for (i = 0; i < fit->nblock; i++)
		M[i] = dd_from(0.0);

	/* the meat */
	for (h = 0; h < nstrata; h++)
	{
		const RobustStratum *st = &strata[h];

		if (!(st->n_nonnull > 0))
			continue;			/* no complete row: not in the sample */
		nstrat++;
		G += st->n_nonnull;
		if (fit->se != ROBUST_DESIGN)
		{
			for (i = 0; i < fit->nblock; i++)
				M[i] = dd_add(M[i], st->cross[i]);
			continue;
		}
		psus += st->n_nonnull;
		if (st->n_units < 2)
		{
			res->lonely_strata++;
			switch (lonely)
			{
				case ROBUST_LONELY_FAIL:
					res->bad_stratum = h;
					*status = ROBUST_ERR_LONELY;
					return res;
				case ROBUST_LONELY_REMOVE:
				case ROBUST_LONELY_CERTAINTY:
					break;		/* contributes nothing */
				case ROBUST_LONELY_ADJUST:
					/* deviation from zero, the mean of all PSU totals */
					for (i = 0; i < fit->nblock; i++)
						M[i] = dd_add(M[i], st->cross[i]);
					break;
				case ROBUST_LONELY_AVERAGE:
					nlonely_avg++;
					break;
			}
			continue;
		}
		/* n_h / (n_h - 1) (sum u u' - sum u sum u' / n_h) */
		{
			dd			nh = dd_from(st->n_units);
			dd			fac = dd_div(nh, dd_from(st->n_units - 1.0));

			for (j = 0; j < fit->nmodels; j++)
			{
				const RobustFitModel *mod = &fit->models[j];
				int			s,
							t,
							k = mod->block_offset;

				for (s = 0; s < mod->p; s++)
					for (t = s; t < mod->p; t++, k++)
					{
						dd			c = dd_sub(st->cross[k],
											   dd_div(dd_mul(st->sum[mod->offset + s],
															 st->sum[mod->offset + t]), nh));

						M[k] = dd_add(M[k], dd_mul(fac, c));
					}
			}
		}
	}
	if (fit->se == ROBUST_DESIGN)
	{
		res->clusters = psus;
		res->degf = psus - nstrat;
		if (nlonely_avg > 0)
		{
			/* R: the other strata's sum times nstrat / (nstrat - lonely) */
			double		f = nstrat > nlonely_avg
				? (double) nstrat / (nstrat - nlonely_avg) : NAN;

			for (i = 0; i < fit->nblock; i++)
				M[i] = dd_mul_d(M[i], f);
		}
	}
	else
	{
		res->clusters = G;
		res->degf = NAN;
		if (fit->se == ROBUST_CLUSTER && G < 2)
			res->single_cluster = true;
	}

	for (j = 0; j < fit->nmodels; j++)
	{
		const RobustFitModel *mod = &fit->models[j];
		RobustModelResult *out = &res->models[j];
		int			p = mod->p,
					s,
					t,
					u;
		dd		   *Mf = alloc(sizeof(dd) * (size_t) (p > 0 ? p * p : 1));
		dd		   *T1 = alloc(sizeof(dd) * (size_t) (p > 0 ? p * p : 1));
		dd		   *V = alloc(sizeof(dd) * (size_t) (p > 0 ? p * p : 1));
		bool	   *in = alloc(sizeof(bool) * (size_t) (p > 0 ? p : 1));
		double		c,
					df;
		int			nslopes = 0,
					nnew = 0;

		out->se = alloc(sizeof(double) * (size_t) (p > 0 ? p : 1));
		if (!Mf || !T1 || !V || !in || !out->se)
		{
			*status = ROBUST_ERR_NO_MEMORY;
			return NULL;
		}
		unpack_block(M + mod->block_offset, p, Mf);

		/* the small-sample factor and the df of t */
		switch (fit->se)
		{
			case ROBUST_HC1:
				c = n_df / (n_df - p);
				df = n_df - p;
				break;
			case ROBUST_CLUSTER:
				c = (G / (G - 1.0)) * ((n_df - 1.0) / (n_df - p));
				df = G - 1.0;
				break;
			case ROBUST_DESIGN:
				c = 1.0;
				df = res->degf - p + 1.0;
				break;
			default:
				c = 1.0;
				df = n_df - p;
				break;
		}
		if (res->single_cluster || !(c > 0.0) || !isfinite(c))
			c = NAN;
		out->df = df > 0.0 && !res->single_cluster ? df : NAN;

		/* V = c A M A, dd */
		for (s = 0; s < p; s++)
			for (t = 0; t < p; t++)
			{
				dd			acc = dd_from(0.0);

				for (u = 0; u < p; u++)
					acc = dd_add(acc, dd_mul(mod->A[(size_t) s * p + u],
											 Mf[(size_t) u * p + t]));
				T1[(size_t) s * p + t] = acc;
			}
		for (s = 0; s < p; s++)
			for (t = s; t < p; t++)
			{
				dd			acc = dd_from(0.0);

				for (u = 0; u < p; u++)
					acc = dd_add(acc, dd_mul(T1[(size_t) s * p + u],
											 mod->A[(size_t) u * p + t]));
				acc = dd_mul_d(acc, c);
				V[(size_t) s * p + t] = V[(size_t) t * p + s] = acc;
			}

		/* standard errors; the intercept's mapped back from the shift */
		for (t = 0; t < p; t++)
		{
			dd			v = V[(size_t) t * p + t];

			if (t == 0 && mod->col[0] < 0)
			{
				dd			cross = dd_from(0.0),
							quad = dd_from(0.0);

				for (s = 1; s < p; s++)
				{
					double		cs = fit->shift[mod->col[s]];
					dd			row = dd_from(0.0);

					cross = dd_add(cross, dd_mul_d(V[s], cs));
					for (u = 1; u < p; u++)
						row = dd_add(row, dd_mul_d(V[(size_t) s * p + u],
												   fit->shift[mod->col[u]]));
					quad = dd_add(quad, dd_mul_d(row, cs));
				}
				v = dd_add(dd_sub(v, dd_mul_d(cross, 2.0)), quad);
			}
			out->se[t] = v.hi >= 0.0 ? sqrt(dd_to_double(v)) : NAN;
		}

		/* Wald tests: every predictor, and the model's own block */
		for (t = 0; t < p; t++)
		{
			in[t] = mod->col[t] >= 0;
			nslopes += in[t];
			nnew += mod->is_new[t];
		}
		out->f_df1 = nslopes;
		out->f_change_df1 = nnew;
		out->f = out->f_change = NAN;
		if (out->df > 0.0 && isfinite(c))
		{
			double		rank = fit->se == ROBUST_CLUSTER ? G - 1.0
				: fit->se == ROBUST_DESIGN ? res->degf : INFINITY;

			if (nslopes > 0 && nslopes <= rank)
				out->f = wald(V, mod->b, p, in, alloc) / nslopes;
			if (nnew > 0 && nnew <= rank)
				out->f_change = wald(V, mod->b, p, mod->is_new, alloc) / nnew;
		}
	}
	return res;
}

/* ---------------------------------------------------------------- */
/* the second scan at the cost of a scan: scores in double           */
/* ---------------------------------------------------------------- */

/*
 * U upper triangular with A = U'U (Cholesky, in double), so that a row's
 * leverage x'Ax is |Ux|^2: a triangular product and a sum of squares, half
 * the multiplications of x'Ax and never negative.  An aliased term's row
 * and column of A are zero, so is its pivot (exactly): its row of U is
 * left zero, as is one whose pivot rounding made non-positive.
 */
static void
kernel_factor(const double *A, int p, double *U)
{
	cholesky_upper(A, p, U, 0.0, true, NULL);
}

/*
 * M lower triangular with A = M'M (row-major: M[i][t] at i p + t): the
 * Cholesky of A with the order of the terms reversed.  Then M^-1 is the
 * lower Cholesky factor of X'X, so M's leading block of order p is the
 * factor of the model of the first p terms (the inverse of a triangular
 * matrix's leading block is the leading block of its inverse).  Zero
 * pivots (aliased terms) as kernel_factor.
 */
static void
kernel_factor_lower(const double *A, int p, double *M)
{
	int			i,
				t,
				m;

	memset(M, 0, sizeof(double) * (size_t) p * p);
	for (i = p - 1; i >= 0; i--)
	{
		double		d = A[(size_t) i * p + i];

		for (m = i + 1; m < p; m++)
			d -= M[(size_t) m * p + i] * M[(size_t) m * p + i];
		if (!(d > 0.0))
			continue;
		d = sqrt(d);
		M[(size_t) i * p + i] = d;
		for (t = 0; t < i; t++)
		{
			double		a = A[(size_t) i * p + t];

			for (m = i + 1; m < p; m++)
				a -= M[(size_t) m * p + i] * M[(size_t) m * p + t];
			M[(size_t) i * p + t] = a / d;
		}
	}
}

/*
 * Whether the models are nested prefixes of the last one: the same
 * columns in the same order, and the same terms aliased (a zero diagonal
 * of A), so that the last model's factor serves them all.
 */
static bool
kernel_nested(const RobustFitView *v)
{
	RobustViewModel last,
				vm;
	int			pos = robust_view_first_model(v),
				j,
				t,
				prev = 0;

	for (j = 0; j < v->nmodels; j++)
	{
		robust_view_model(v, pos, &last);
		pos = last.next;
	}
	pos = robust_view_first_model(v);
	for (j = 0; j < v->nmodels; j++)
	{
		robust_view_model(v, pos, &vm);
		pos = vm.next;
		if (vm.p < prev || vm.p > last.p)
			return false;
		prev = vm.p;
		for (t = 0; t < vm.p; t++)
			if (vm.col[t] != last.col[t]
				|| (vm.A[(size_t) t * vm.p + t] == 0.0)
				!= (last.A[(size_t) t * last.p + t] == 0.0))
				return false;
	}
	return v->nmodels > 0;
}

RobustKernel *
robust_kernel_build(const RobustFitView *v, robust_alloc_fn alloc)
{
	RobustKernel *k = alloc(sizeof(RobustKernel));
	int			pos = robust_view_first_model(v),
				j,
				o = 0,
				ao = 0,
				asize = 0;

	if (!k)
		return NULL;
	memset(k, 0, sizeof(RobustKernel));
	k->se = v->se;
	k->weight = v->weight;
	k->ncols = v->ncols;
	k->nmodels = v->nmodels;
	k->q = v->q;
	k->nblock = v->nblock;
	k->id = v->id;
	for (j = 0; j < v->nmodels; j++)
	{
		RobustViewModel vm;

		robust_view_model(v, pos, &vm);
		asize += vm.p * vm.p;
		pos = vm.next;
	}
	k->shift = alloc(sizeof(double) * (size_t) v->ncols);
	k->p = alloc(sizeof(int) * (size_t) v->nmodels);
	k->col = alloc(sizeof(int) * (size_t) (v->q > 0 ? v->q : 1));
	k->b = alloc(sizeof(double) * (size_t) (v->q > 0 ? v->q : 1));
	k->A = alloc(sizeof(double) * (size_t) (asize > 0 ? asize : 1));
	if (!k->shift || !k->p || !k->col || !k->b || !k->A)
		return NULL;
	memcpy(k->shift, v->shift, sizeof(double) * (size_t) v->ncols);
	pos = robust_view_first_model(v);
	for (j = 0; j < v->nmodels; j++)
	{
		RobustViewModel vm;
		int			t;

		robust_view_model(v, pos, &vm);
		pos = vm.next;
		k->p[j] = vm.p;
		for (t = 0; t < vm.p; t++)
		{
			k->col[o + t] = (int) vm.col[t];
			/* b_lo * x is below the rounding of the double residual */
			k->b[o + t] = vm.b_hi[t] + vm.b_lo[t];
		}
		kernel_factor(vm.A, vm.p, k->A + ao);
		o += vm.p;
		ao += vm.p * vm.p;
		if (j == v->nmodels - 1 && (v->se == ROBUST_HC2 || v->se == ROBUST_HC3)
			&& kernel_nested(v))
		{
			k->P = vm.p;
			k->M = alloc(sizeof(double) * (size_t) (vm.p > 0 ? vm.p * vm.p : 1));
			if (!k->M)
				return NULL;
			kernel_factor_lower(vm.A, vm.p, k->M);
			k->nested = true;
		}
	}
	return k;
}

/* y[r] += a x[r], n a multiple of 2 (two lanes) */
static inline void
batch_axpy(double *y, double a, const double *x, int n)
{
	v2d			av = {a, a};
	int			r;

	for (r = 0; r < n; r += 2)
	{
		v2d			xv,
					yv;

		memcpy(&xv, x + r, sizeof(v2d));
		memcpy(&yv, y + r, sizeof(v2d));
		yv += av * xv;
		memcpy(y + r, &yv, sizeof(v2d));
	}
}

/* h[r] += z[r]^2, n a multiple of 2 */
static inline void
batch_add_squares(double *h, const double *z, int n)
{
	int			r;

	for (r = 0; r < n; r += 2)
	{
		v2d			zv,
					hv;

		memcpy(&zv, z + r, sizeof(v2d));
		memcpy(&hv, h + r, sizeof(v2d));
		hv += zv * zv;
		memcpy(h + r, &hv, sizeof(v2d));
	}
}

/* g[r] *= f0[r] / (1 - h[r]) (HC3) or / sqrt(1 - h[r]) (HC2); h[r] w[r] with probability weights */
static void
batch_leverage_factor(const RobustKernel *k, double *g, const double *f0,
					  const double *h, const double *w, int n)
{
	int			r;

	for (r = 0; r < n; r++)
	{
		double		hw = k->weight == ROBUST_W_PROBABILITY ? h[r] * w[r] : h[r];

		g[r] *= k->se == ROBUST_HC2 ? f0[r] / sqrt(1.0 - hw) : f0[r] / (1.0 - hw);
	}
}

/*
 * Eight rows at a time in two four-lane registers (on plain x86-64 GCC
 * lowers them to two-lane pairs: the same operations, so the same bits as
 * the AVX2 clone below): the residuals and the nested leverages stay in
 * registers along a chunk (a loop per term along the whole batch stored
 * and reloaded its sums at every term).
 */
typedef double v4d __attribute__((vector_size(32)));
/* unaligned, aliasing-safe; no vector crosses a call (clang's bitcode) */
typedef double v4du __attribute__((vector_size(32), aligned(8), may_alias));

typedef struct Chunk8
{
	v4d			v[2];
} Chunk8;

static inline __attribute__((always_inline)) void
chunk_load(Chunk8 *c, const double *x)
{
	c->v[0] = *(const v4du *) x;
	c->v[1] = *(const v4du *) (x + 4);
}

static inline __attribute__((always_inline)) void
chunk_zero(Chunk8 *c)
{
	memset(c, 0, sizeof(Chunk8));
}

/* c += a x[0..8) */
static inline __attribute__((always_inline)) void
chunk_axpy(Chunk8 *c, double a, const double *x)
{
	v4d			av = {a, a, a, a};

	c->v[0] += av * *(const v4du *) x;
	c->v[1] += av * *(const v4du *) (x + 4);
}

/*
 * As robust_scores, but the residual in double rather than double-double:
 * about 20 times cheaper per row, and the scores differ by
 * ~eps (|y| + sum |b x|) / |e| relative, the size of R's own rounding (lm
 * forms its residuals in double too).  And for a batch of rows stored by
 * column, each step along a chunk of eight rows (n a multiple of 8).
 */
static inline __attribute__((always_inline)) bool
kernel_batch_body(const RobustKernel *k, const double *xs, int stride,
				  const double *w, int n, double *g, double *scratch)
{
	const double *b = k->b;
	const int  *col = k->col;
	double	   *f0 = scratch,
			   *z = scratch + stride,
			   *h = scratch + 2 * (size_t) stride;
	bool		hc23 = k->se == ROBUST_HC2 || k->se == ROBUST_HC3;
	bool		finite = true;
	int			j,
				t,
				i,
				r,
				o = 0,
				ao = 0;

#define XS(c) (xs + (size_t) (1 + (c)) * stride)	/* row column c; -1: 1s */
	for (r = 0; r < n; r++)
		f0[r] = (k->se <= ROBUST_HC3 && k->weight == ROBUST_W_FREQUENCY) ? sqrt(w[r]) : w[r];
	/* the residuals, e = y - b'x~ */
	for (r = 0; r < n; r += 8)
	{
		o = 0;
		for (j = 0; j < k->nmodels; j++)
		{
			Chunk8		e;

			chunk_load(&e, XS(0) + r);
			for (t = 0; t < k->p[j]; t++)
				chunk_axpy(&e, -b[o + t], XS(col[o + t]) + r);
			memcpy(g + (size_t) j * stride + r, e.v, sizeof(e.v));
			o += k->p[j];
		}
	}
	if (hc23 && k->nested)
	{
		/* z = M x~ row by row of M; the prefix sums of z^2 the leverages */
		const int  *lcol = col + (k->q - k->P);

		for (r = 0; r < n; r += 8)
		{
			Chunk8		hc;

			chunk_zero(&hc);
			j = 0;
			for (i = 0; i <= k->P; i++)
			{
				if (j < k->nmodels && k->p[j] == i)
					memcpy(h + r, hc.v, sizeof(hc.v));
				for (; j < k->nmodels && k->p[j] == i; j++)
					batch_leverage_factor(k, g + (size_t) j * stride + r,
										  f0 + r, h + r, w + r, 8);
				if (i == k->P)
					break;
				{
					Chunk8		z;
					const double *m = k->M + (size_t) i * k->P;

					chunk_zero(&z);
					for (t = 0; t <= i; t++)
						chunk_axpy(&z, m[t], XS(lcol[t]) + r);
					hc.v[0] += z.v[0] * z.v[0];
					hc.v[1] += z.v[1] * z.v[1];
				}
			}
		}
	}
	else if (hc23)
	{
		/* per model: h = |U x~|^2, U upper triangular */
		o = 0;
		for (j = 0; j < k->nmodels; j++)
		{
			int			p = k->p[j];
			const double *U = k->A + ao;

			memset(h, 0, sizeof(double) * (size_t) n);
			for (t = 0; t < p; t++)
			{
				memset(z, 0, sizeof(double) * (size_t) n);
				for (i = t; i < p; i++)
					batch_axpy(z, U[(size_t) t * p + i], XS(col[o + i]), n);
				batch_add_squares(h, z, n);
			}
			batch_leverage_factor(k, g + (size_t) j * stride, f0, h, w, n);
			o += p;
			ao += p * p;
		}
	}
	else
	{
		for (j = 0; j < k->nmodels; j++)
		{
			double	   *gj = g + (size_t) j * stride;

			for (r = 0; r < n; r++)
				gj[r] *= f0[r];
		}
	}
#undef XS
	for (j = 0; j < k->nmodels && finite; j++)
		for (r = 0; r < n; r++)
			if (!isfinite(g[(size_t) j * stride + r]))
				finite = false;
	return finite;
}

static bool
kernel_batch_generic(const RobustKernel *k, const double *xs, int stride,
					 const double *w, int n, double *g, double *scratch)
{
	return kernel_batch_body(k, xs, stride, w, n, g, scratch);
}

/* GCC only, as the moments' kernels (moments_batch.c) */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define HAVE_AVX2_BATCH 1
__attribute__((target("avx2")))
static bool
kernel_batch_avx2(const RobustKernel *k, const double *xs, int stride,
				  const double *w, int n, double *g, double *scratch)
{
	return kernel_batch_body(k, xs, stride, w, n, g, scratch);
}
#endif

bool
robust_kernel_batch(const RobustKernel *k, const double *xs, int stride,
					const double *w, int n, double *g, double *scratch)
{
#ifdef HAVE_AVX2_BATCH
	if (moments_use_fma_kernels())
		return kernel_batch_avx2(k, xs, stride, w, n, g, scratch);
#endif
	return kernel_batch_generic(k, xs, stride, w, n, g, scratch);
}

/*
 * A group's score vector from its moments state: the sums
 * S = sum w x~ x~' over the group (x~ = (1, x - shift), the dependent
 * included) follow from the group's n, means and centered cross-products,
 * and the score of model j is S_ty - sum_u b_u S_tu, in double-double.
 * S is formed once for all models (its pairs in the fit's columns, -1 the
 * intercept, at S[(a + 1) (ncols + 1) + b + 1]), the same operations on the
 * same values as per model.  Inlined into a portable and an FMA build (no
 * call into libm per exact product): with thousands of PSUs this was a
 * tenth of a design fit at 1M rows.
 */
static inline __attribute__((always_inline)) bool
group_scores_body(const RobustFit *fit, const MomentsState *g,
				  const int *var, dd *scratch, double *u)
{
	const int	k = g->k;
	const int	nc = fit->ncols;
	const int	ns = nc + 1;
	dd		   *C = scratch;	/* [k * k] centered cross-products */
	dd		   *S = C + (size_t) k * k; /* [ns * ns] */
	dd		   *d = S + (size_t) ns * ns;	/* [nc] means less shifts */
	dd			n = moments_n(g);
	int			a,
				b,
				j;

	if (!(n.hi > 0.0))
		return false;
	moments_centered(g, C);
	for (a = 0; a < nc; a++)
		d[a] = dd_sub(moments_mean(g, var[a]), dd_from(fit->shift[a]));

	/* each value into a local first: a store read back stalls the loop */
	S[0] = n;
	for (a = 0; a < nc; a++)
	{
		dd			na = dd_mul(n, d[a]);

		S[a + 1] = na;
		S[(size_t) (a + 1) * ns] = na;
		for (b = a; b < nc; b++)
		{
			dd			sab = dd_add(C[(size_t) var[a] * k + var[b]],
									 dd_mul(n, dd_mul(d[a], d[b])));

			S[(size_t) (a + 1) * ns + b + 1] = sab;
			S[(size_t) (b + 1) * ns + a + 1] = sab;
		}
	}

	for (j = 0; j < fit->nmodels; j++)
	{
		const RobustFitModel *mod = &fit->models[j];
		int			p = mod->p,
					t,
					s;

		/*
		 * four scores at a time: each is a chain of dependent dd sums, and
		 * four chains side by side keep the FPU busy (each in its order)
		 */
		for (t = 0; t < p; t += 4)
		{
			/* a last group of fewer than four repeats its last score */
			const int	t1 = t + 1 < p ? t + 1 : p - 1,
						t2 = t + 2 < p ? t + 2 : p - 1,
						t3 = t + 3 < p ? t + 3 : p - 1;
			const dd   *St0 = S + (size_t) (mod->col[t] + 1) * ns + 1,
					   *St1 = S + (size_t) (mod->col[t1] + 1) * ns + 1,
					   *St2 = S + (size_t) (mod->col[t2] + 1) * ns + 1,
					   *St3 = S + (size_t) (mod->col[t3] + 1) * ns + 1;
			dd			acc0 = St0[0],	/* S(t, y) */
						acc1 = St1[0],
						acc2 = St2[0],
						acc3 = St3[0];

			for (s = 0; s < p; s++)
			{
				const int	cs = mod->col[s];
				const dd	bs = mod->b[s];

				acc0 = dd_sub(acc0, dd_mul(bs, St0[cs]));
				acc1 = dd_sub(acc1, dd_mul(bs, St1[cs]));
				acc2 = dd_sub(acc2, dd_mul(bs, St2[cs]));
				acc3 = dd_sub(acc3, dd_mul(bs, St3[cs]));
			}
			u[mod->offset + t] = dd_to_double(acc0);
			u[mod->offset + t1] = dd_to_double(acc1);
			u[mod->offset + t2] = dd_to_double(acc2);
			u[mod->offset + t3] = dd_to_double(acc3);
		}
	}
	return true;
}

static bool
group_scores_generic(const RobustFit *fit, const MomentsState *g,
					 const int *var, dd *scratch, double *u)
{
	return group_scores_body(fit, g, var, scratch, u);
}

#ifdef MOMENTS_FMA_BUILD
__attribute__((target("avx2,fma")))
static bool
group_scores_fma(const RobustFit *fit, const MomentsState *g,
				 const int *var, dd *scratch, double *u)
{
	return group_scores_body(fit, g, var, scratch, u);
}
#endif

bool
robust_group_scores(const RobustFit *fit, const MomentsState *g,
					const int *var, dd *scratch, double *u)
{
#ifdef MOMENTS_FMA_BUILD
	if (moments_use_fma_kernels())
		return group_scores_fma(fit, g, var, scratch, u);
#endif
	return group_scores_generic(fit, g, var, scratch, u);
}
