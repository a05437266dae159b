/*
 * test_ols_nist.c — the OLS core against NIST StRD linear regression, and
 * its aliasing, merging, weighting and blockwise behaviour.  No PostgreSQL.
 *
 * usage: test_ols_nist NIST_DIR      (e.g. ../data/nist)
 *
 * Prints one line of log relative errors (LRE, capped at 15; absolute error
 * where the certified value is 0) per dataset and exits non-zero if any bar
 * is missed or any check fails.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moments_core.h"
#include "ols_core.h"

static int	failures = 0;

#define CHECK(cond, ...) \
	do { \
		if (!(cond)) \
		{ \
			failures++; \
			printf("FAIL %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__); \
			printf("\n"); \
		} \
	} while (0)

/* ---------------- helpers ---------------- */

static double
lre(double est, double cert)
{
	double		err;
	double		v;

	if (isnan(est))
		return 0.0;
	if (est == cert)
		return 15.0;
	err = fabs(est - cert);
	if (cert != 0.0)
		err /= fabs(cert);
	v = -log10(err);
	if (v > 15.0)
		v = 15.0;
	if (v < 0.0)
		v = 0.0;
	return v;
}

static MomentsState *
new_state(int k)
{
	char	  **names = malloc(sizeof(char *) * k);
	char		buf[32];
	int			i,
				len = 0;
	MomentsState *m;

	for (i = 0; i < k; i++)
	{
		snprintf(buf, sizeof(buf), "v%d", i);
		names[i] = strdup(buf);
		len += (int) strlen(buf) + 1;
	}
	m = calloc(1, moments_size(k, len));
	moments_init(m, k, (const char *const *) names);
	for (i = 0; i < k; i++)
		free(names[i]);
	free(names);
	return m;
}

static MomentsState *
state_from_rows(const double *rows, int nrows, int k, int from, int to,
				const double *w)
{
	MomentsState *m = new_state(k);
	double	   *scratch = malloc(sizeof(double) * 6 * k);
	int			r;

	(void) nrows;
	for (r = from; r < to; r++)
		moments_add_row(m, rows + (size_t) r * k, w ? w[r] : 1.0, scratch);
	free(scratch);
	return m;
}

static OlsFit *
fit_blocks(const MomentsState *m, int dep, const int *preds, int npreds,
		   const int *ends, int nblocks, bool intercept)
{
	OlsStatus	st;
	int			bad;
	OlsFit	   *f = ols_fit_blocks(m, dep, preds, npreds, ends, nblocks,
								   intercept, 0.0, malloc, free, &st, &bad);

	if (f == NULL)
	{
		printf("fit failed: %s (at %d)\n", ols_status_message(st), bad);
		exit(2);
	}
	return f;
}

static OlsFit *
fit1(const MomentsState *m, int dep, const int *preds, int npreds,
	 bool intercept)
{
	return fit_blocks(m, dep, preds, npreds, &npreds, 1, intercept);
}

/*
 * Minimum over coefficients and SEs of LRE of a against b.  The SEs of an
 * exact fit (Wampler1, 2) are rounding noise of a zero RSS and are compared
 * in absolute terms only by the NIST scores, not here.
 */
static double
agreement(const OlsModel *a, const OlsModel *b)
{
	double		mn = 15.0;
	bool		exact = b->rss <= 1e-25 * b->tss;
	int			i;

	for (i = 0; i < a->nterms; i++)
	{
		double		v;

		if (a->terms[i].aliased != b->terms[i].aliased)
			return 0.0;
		if (a->terms[i].aliased)
			continue;
		v = lre(a->terms[i].b, b->terms[i].b);
		if (v < mn)
			mn = v;
		if (exact)
			continue;
		v = lre(a->terms[i].se, b->terms[i].se);
		if (v < mn)
			mn = v;
	}
	return mn;
}

/* ---------------- NIST ---------------- */

typedef struct Cert
{
	char		dataset[16];
	char		quantity[16];
	int			index;
	double		value;
} Cert;

static Cert certs[400];
static int	ncerts = 0;

static void
read_certified(const char *dir)
{
	char		path[1024];
	char		line[256];
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/certified.csv", dir);
	f = fopen(path, "r");
	if (!f)
	{
		perror(path);
		exit(2);
	}
	if (!fgets(line, sizeof(line), f))
		exit(2);
	while (fgets(line, sizeof(line), f) && ncerts < 400)
	{
		Cert	   *c = &certs[ncerts];
		char	   *ds = strtok(line, ",");
		char	   *q = strtok(NULL, ",");
		char	   *rest = q ? q + strlen(q) + 1 : NULL;
		char	   *comma;

		if (!ds || !q || !rest)
			continue;
		snprintf(c->dataset, sizeof(c->dataset), "%s", ds);
		snprintf(c->quantity, sizeof(c->quantity), "%s", q);
		comma = strchr(rest, ',');
		if (!comma)
			continue;
		c->index = comma == rest ? -1 : atoi(rest);
		c->value = strtod(comma + 1, NULL);
		ncerts++;
	}
	fclose(f);
}

static int
find_cert(const char *ds, const char *q, int index, double *v)
{
	int			i;

	for (i = 0; i < ncerts; i++)
		if (strcmp(certs[i].dataset, ds) == 0 &&
			strcmp(certs[i].quantity, q) == 0 &&
			certs[i].index == index)
		{
			*v = certs[i].value;
			return 1;
		}
	return 0;
}

/*
 * Rows of (predictors..., y): for a polynomial set of degree d the
 * predictors are pow(x, 1..d), formed in double as SQL's x^k does.
 */
static double *
read_dataset(const char *dir, const char *name, int degree, int *nrows,
			 int *k)
{
	char		path[1024];
	char		line[1024];
	FILE	   *f;
	double	   *rows = NULL;
	int			n = 0,
				cap = 0,
				ncols = 0;

	snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
	f = fopen(path, "r");
	if (!f)
	{
		perror(path);
		exit(2);
	}
	if (!fgets(line, sizeof(line), f))
		exit(2);
	{
		char	   *c;

		ncols = 1;
		for (c = line; *c; c++)
			if (*c == ',')
				ncols++;
	}
	/* columns y, x... ; state columns: predictors then y */
	*k = degree > 0 ? degree + 1 : ncols;
	while (fgets(line, sizeof(line), f))
	{
		double		vals[16];
		char	   *s = line,
				   *e;
		int			c,
					j;
		double	   *row;

		if (strspn(line, " \r\n") == strlen(line))
			continue;
		for (c = 0; c < ncols; c++)
		{
			vals[c] = strtod(s, &e);
			s = e + 1;
		}
		if (n == cap)
		{
			cap = cap ? 2 * cap : 64;
			rows = realloc(rows, sizeof(double) * cap * *k);
		}
		row = rows + (size_t) n * *k;
		if (degree > 0)
		{
			for (j = 1; j <= degree; j++)
				row[j - 1] = pow(vals[1], (double) j);
			row[degree] = vals[0];
		}
		else
		{
			for (j = 1; j < ncols; j++)
				row[j - 1] = vals[j];
			row[ncols - 1] = vals[0];
		}
		n++;
	}
	fclose(f);
	*nrows = n;
	return rows;
}

typedef struct Dataset
{
	const char *name;
	int			degree;			/* 0: columns as given (Longley) */
	bool		intercept;
	double		bar;			/* coefficients and SEs */
} Dataset;

static const Dataset datasets[] = {
	{"norris", 1, true, 9},
	{"pontius", 2, true, 9},
	{"noint1", 1, false, 9},
	{"noint2", 1, false, 9},
	{"longley", 0, true, 9},
	{"wampler1", 5, true, 9},
	{"wampler2", 5, true, 9},
	{"wampler3", 5, true, 9},
	{"wampler4", 5, true, 8},
	{"wampler5", 5, true, 7},
	{"filip", 10, true, 7},
};

typedef struct Lres
{
	double		coef,
				se,
				sd,
				r2,
				f,
				rss;
	int			aliased;
	double		min_ratio;
} Lres;

static Lres
score(const Dataset *ds, const OlsFit *fit)
{
	const OlsModel *mod = &fit->models[fit->nmodels - 1];
	Lres		r = {15, 15, 15, 15, 15, 15, 0, 1.0};
	double		cert;
	int			i;

	for (i = 0; i < mod->nterms; i++)
	{
		const OlsTerm *t = &mod->terms[i];
		int			index = t->var < 0 ? 0 : (ds->intercept ? i : i + 1);
		double		v;

		if (t->aliased)
			r.aliased++;
		if (t->var >= 0 && t->entry_ratio < r.min_ratio)
			r.min_ratio = t->entry_ratio;
		if (find_cert(ds->name, "coef", index, &cert))
		{
			v = lre(t->b, cert);
			if (v < r.coef)
				r.coef = v;
		}
		else
			r.coef = 0;
		if (find_cert(ds->name, "se", index, &cert))
		{
			v = lre(t->se, cert);
			if (v < r.se)
				r.se = v;
		}
		else
			r.se = 0;
	}
	if (find_cert(ds->name, "resid_sd", -1, &cert))
		r.sd = lre(mod->resid_sd, cert);
	if (find_cert(ds->name, "r2", -1, &cert))
		r.r2 = lre(mod->r2, cert);
	if (find_cert(ds->name, "f", -1, &cert))
		r.f = isinf(cert) ? (isinf(mod->f) || mod->f > 1e15 ? 15 : 0)
			: lre(mod->f, cert);
	if (find_cert(ds->name, "rss", -1, &cert))
		r.rss = lre(mod->rss, cert);
	return r;
}

static void
test_nist(const char *dir)
{
	size_t		d;

	printf("%-9s %5s %5s %5s %5s %5s %5s %5s | %6s %5s | %s\n",
		   "dataset", "coef", "se", "sd", "r2", "rss", "f", "bar",
		   "merged", "agree", "min entry_ratio");
	for (d = 0; d < sizeof(datasets) / sizeof(datasets[0]); d++)
	{
		const Dataset *ds = &datasets[d];
		int			nrows,
					k,
					i;
		double	   *rows = read_dataset(dir, ds->name, ds->degree, &nrows, &k);
		int			preds[16];
		MomentsState *m = state_from_rows(rows, nrows, k, 0, nrows, NULL);
		MomentsState *h1 = state_from_rows(rows, nrows, k, 0, nrows / 2, NULL);
		MomentsState *h2 = state_from_rows(rows, nrows, k, nrows / 2, nrows, NULL);
		OlsFit	   *fit,
				   *fitm;
		Lres		r,
					rm;
		double		agree;
		double		sdbar,
					cert;

		for (i = 0; i < k - 1; i++)
			preds[i] = i;
		fit = fit1(m, k - 1, preds, k - 1, ds->intercept);
		r = score(ds, fit);
		/* merge the second half into the first: different reference rows */
		moments_merge(h1, h2);
		fitm = fit1(h1, k - 1, preds, k - 1, ds->intercept);
		rm = score(ds, fitm);
		agree = agreement(&fit->models[0], &fitm->models[0]);

		printf("%-9s %5.1f %5.1f %5.1f %5.1f %5.1f %5.1f %5.0f | %6.1f %5.1f | %.2g\n",
			   ds->name, r.coef, r.se, r.sd, r.r2, r.rss, r.f, ds->bar,
			   fmin(rm.coef, rm.se), agree, r.min_ratio);

		CHECK(r.aliased == 0, "%s: %d terms aliased", ds->name, r.aliased);
		CHECK(r.min_ratio > OLS_ALIAS_TOL * 1e6,
			  "%s: entry_ratio %.2g too close to the alias threshold",
			  ds->name, r.min_ratio);
		CHECK(rm.aliased == 0, "%s merged: %d terms aliased", ds->name, rm.aliased);
		CHECK(r.coef >= ds->bar, "%s: coefficient LRE %.2f < %.0f",
			  ds->name, r.coef, ds->bar);
		CHECK(r.se >= ds->bar, "%s: SE LRE %.2f < %.0f", ds->name, r.se, ds->bar);
		CHECK(rm.coef >= ds->bar && rm.se >= ds->bar,
			  "%s merged: LRE %.2f / %.2f < %.0f", ds->name, rm.coef, rm.se,
			  ds->bar);
		/* the merged state agrees with one pass far beyond the bar */
		CHECK(agree >= ds->bar + 3 || agree >= 14,
			  "%s: merged fit agrees with one pass to LRE %.2f only",
			  ds->name, agree);
		sdbar = 9;
		if (find_cert(ds->name, "resid_sd", -1, &cert) && cert != 0.0)
			CHECK(r.sd >= sdbar, "%s: resid SD LRE %.2f", ds->name, r.sd);
		if (find_cert(ds->name, "r2", -1, &cert) && cert != 0.0)
			CHECK(r.r2 >= sdbar, "%s: R2 LRE %.2f", ds->name, r.r2);

		free(fit);
		free(fitm);
		free(m);
		free(h1);
		free(h2);
		free(rows);
	}
}

/* ---------------- aliasing ---------------- */

static unsigned long long rng_state = 88172645463325252ULL;

static double
urand(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (double) (rng_state >> 11) / 9007199254740992.0;
}

/*
 * Columns: 0 x1, 1 x2, 2 x1 + x2, 3 0.1 x1 + 0.7 x2, 4 2 x1, 5 constant,
 * 6 x3 independent, 7 y.  Data near loc with spread sd.
 */
#define ALK 8
static double
test_aliasing_at(double loc, double sd, int nrows, bool report)
{
	double	   *rows = malloc(sizeof(double) * ALK * nrows);
	double		worst = 0.0;
	int			r,
				i;
	MomentsState *m,
			   *h1,
			   *h2;
	const MomentsState *states[2];

	for (r = 0; r < nrows; r++)
	{
		double	   *x = rows + (size_t) r * ALK;

		/* survey-like: integer-ish scales when sd is small */
		x[0] = loc + sd * (urand() - 0.5);
		x[1] = loc + sd * (urand() - 0.5) * 0.9 + 0.37;
		x[2] = x[0] + x[1];
		x[3] = 0.1 * x[0] + 0.7 * x[1];
		x[4] = 2.0 * x[0];
		x[5] = loc + 3.0;
		x[6] = loc + sd * (urand() - 0.5);
		x[7] = 1.0 + 0.5 * x[0] - 0.25 * x[1] + 0.1 * x[6] + sd * (urand() - 0.5);
	}
	m = state_from_rows(rows, nrows, ALK, 0, nrows, NULL);
	h1 = state_from_rows(rows, nrows, ALK, 0, nrows / 3, NULL);
	h2 = state_from_rows(rows, nrows, ALK, nrows / 3, nrows, NULL);
	moments_merge(h1, h2);
	states[0] = m;
	states[1] = h1;

	for (i = 0; i < 2; i++)
	{
		const MomentsState *s = states[i];
		int			icpt;

		for (icpt = 0; icpt < 2; icpt++)
		{
			/* x1, x2, x3 = x1 + x2, 0.1 x1 + 0.7 x2, 2 x1, const, x3 */
			int			preds[] = {0, 1, 2, 3, 4, 5, 6};
			int			ends[] = {2, 5, 7};
			OlsFit	   *f = fit_blocks(s, 7, preds, 7, ends, 3, icpt);
			OlsModel   *last = &f->models[2];
			OlsFit	   *ref;
			int			refpreds[] = {0, 1, 6};
			int			refpreds_noint[] = {0, 1, 5, 6};
			int			o = icpt ? 1 : 0;
			int			t;

			/* terms: [icpt] x1 x2 | x1+x2 lin 2x1 | const x3 */
			CHECK(!last->terms[o + 0].aliased && !last->terms[o + 1].aliased,
				  "loc %g: x1/x2 aliased", loc);
			CHECK(last->terms[o + 2].aliased, "loc %g: x1+x2 not aliased (ratio %g)",
				  loc, last->terms[o + 2].entry_ratio);
			CHECK(last->terms[o + 3].aliased,
				  "loc %g: 0.1 x1 + 0.7 x2 not aliased (ratio %g)",
				  loc, last->terms[o + 3].entry_ratio);
			CHECK(last->terms[o + 4].aliased, "loc %g: 2 x1 not aliased (ratio %g)",
				  loc, last->terms[o + 4].entry_ratio);
			/* a constant is aliased with the intercept only */
			CHECK(last->terms[o + 5].aliased == (bool) icpt,
				  "loc %g intercept %d: constant column aliased = %d (ratio %g)",
				  loc, icpt, last->terms[o + 5].aliased,
				  last->terms[o + 5].entry_ratio);
			CHECK(!last->terms[o + 6].aliased, "loc %g: x3 aliased", loc);
			CHECK(f->naliased == 3 + icpt, "naliased %d", f->naliased);
			CHECK(f->models[1].df1_change == 0 && isnan(f->models[1].f_change),
				  "block of aliased terms: df1_change %d", f->models[1].df1_change);
			for (t = 2; t <= 5; t++)
				if (last->terms[o + t].aliased &&
					last->terms[o + t].entry_ratio > worst)
					worst = last->terms[o + t].entry_ratio;

			/* the rest of the model is the model without the aliased terms */
			ref = icpt ? fit1(s, 7, refpreds, 3, true)
				: fit1(s, 7, refpreds_noint, 4, false);
			{
				const OlsModel *rm = &ref->models[0];
				int			j = 0;

				for (t = 0; t < last->nterms; t++)
				{
					if (last->terms[t].aliased)
						continue;
					CHECK(last->terms[t].b == rm->terms[j].b &&
						  last->terms[t].se == rm->terms[j].se &&
						  (last->terms[t].var < 0 ||
						   last->terms[t].tolerance == rm->terms[j].tolerance),
						  "loc %g icpt %d: term %d differs from the model without "
						  "aliased terms: %.17g %.17g, %.17g %.17g", loc, icpt, t,
						  last->terms[t].b, rm->terms[j].b,
						  last->terms[t].se, rm->terms[j].se);
					j++;
				}
				CHECK(j == rm->nterms && last->rss == rm->rss &&
					  last->p == rm->p && last->df_resid == rm->df_resid,
					  "loc %g: model differs from the one without aliased terms", loc);
			}
			free(ref);
			free(f);
		}
	}
	if (report)
		printf("aliasing, data near %-8g sd %-5g: largest entry_ratio of an "
			   "exact combination %.2g\n", loc, sd, worst);
	free(m);
	free(h1);
	free(h2);
	free(rows);
	return worst;
}

static void
test_aliasing(void)
{
	double		locs[] = {0.0, 3.0, 50.0, 1000.0, 1e6, 1e9};
	double		sds[] = {1.0, 4.0, 20.0, 100.0, 10.0, 1000.0};
	double		worst = 0.0;
	size_t		i;

	for (i = 0; i < sizeof(locs) / sizeof(locs[0]); i++)
	{
		double		w = test_aliasing_at(locs[i], sds[i], 200, true);

		if (w > worst)
			worst = w;
	}
	CHECK(worst < OLS_ALIAS_TOL * 1e-6,
		  "rounding noise %.2g too close to the alias threshold", worst);
}

/* ---------------- argument checks ---------------- */

static void
test_arguments(void)
{
	MomentsState *m = new_state(4);
	double		scratch[24];
	double		row[4] = {1, 2, 3, 4};
	OlsStatus	st;
	int			bad;
	int			p1[] = {0, 3, 1};	/* dep 3 among predictors */
	int			p2[] = {0, 1, 0};	/* duplicate */
	int			p3[] = {0, 7};
	int			p4[] = {0, 1, 2};
	int			e_bad[] = {2, 2};
	int			e_short[] = {1, 2};
	int			e_ok[] = {1, 3};
	OlsFit	   *f;

	CHECK(ols_check(m, 3, p4, 3, e_ok, 2, &bad) == OLS_ERR_NO_ROWS,
		  "empty state accepted");
	moments_add_row(m, row, 1.0, scratch);
	CHECK(ols_check(m, 3, p1, 3, e_ok, 2, &bad) == OLS_ERR_DEP_IN_PREDICTORS &&
		  bad == 1, "dependent among predictors: bad %d", bad);
	CHECK(ols_check(m, 3, p2, 3, e_ok, 2, &bad) == OLS_ERR_DUPLICATE && bad == 2,
		  "duplicate predictor: bad %d", bad);
	CHECK(ols_check(m, 3, p3, 2, e_short, 2, &bad) == OLS_ERR_BAD_INDEX && bad == 1,
		  "bad index: bad %d", bad);
	CHECK(ols_check(m, 9, p4, 3, e_ok, 2, &bad) == OLS_ERR_BAD_INDEX && bad == -1,
		  "bad dependent index");
	CHECK(ols_check(m, 3, p4, 3, e_bad, 2, &bad) == OLS_ERR_BAD_BLOCKS && bad == 1,
		  "empty block: bad %d", bad);
	CHECK(ols_check(m, 3, p4, 3, e_short, 2, &bad) == OLS_ERR_BAD_BLOCKS,
		  "blocks not covering the predictors");
	CHECK(ols_check(m, 3, p4, 3, e_ok, 2, &bad) == OLS_OK, "valid arguments");
	f = ols_fit_blocks(m, 3, p1, 3, e_ok, 2, true, 0.0, malloc, free, &st, &bad);
	CHECK(f == NULL && st == OLS_ERR_DEP_IN_PREDICTORS, "fit accepted bad args");

	/* one row: everything that needs df is NaN, nothing crashes */
	f = ols_fit_blocks(m, 3, p4, 3, e_ok, 2, true, 0.0, malloc, free, &st, &bad);
	CHECK(f != NULL && f->models[1].df_resid == 0.0 &&
		  isnan(f->models[1].resid_sd), "one-row fit");
	free(f);
	/* intercept only */
	{
		int			e0 = 0;

		moments_add_row(m, (double[]) {2, 3, 5, 8}, 1.0, scratch);
		f = ols_fit_blocks(m, 3, NULL, 0, &e0, 1, true, 0.0, malloc, free, &st,
						   &bad);
		CHECK(f != NULL && f->models[0].nterms == 1 &&
			  f->models[0].terms[0].b == 6.0 && f->models[0].df_resid == 1.0 &&
			  fabs(f->models[0].terms[0].se - 2.0) < 1e-15,
			  "intercept-only model");
		free(f);
	}
	free(m);
}

/* ---------------- blockwise, weights ---------------- */

/* least squares of y on centered x (2 predictors) in long double */
static void
ref_two(const double *rows, int nrows, int k, int c1, int c2, int cy,
		long double *b1, long double *b2)
{
	long double m1 = 0,
				m2 = 0,
				my = 0,
				s11 = 0,
				s12 = 0,
				s22 = 0,
				s1y = 0,
				s2y = 0,
				det;
	int			r;

	for (r = 0; r < nrows; r++)
	{
		m1 += rows[r * k + c1];
		m2 += rows[r * k + c2];
		my += rows[r * k + cy];
	}
	m1 /= nrows;
	m2 /= nrows;
	my /= nrows;
	for (r = 0; r < nrows; r++)
	{
		long double a = rows[r * k + c1] - m1,
					b = rows[r * k + c2] - m2,
					c = rows[r * k + cy] - my;

		s11 += a * a;
		s12 += a * b;
		s22 += b * b;
		s1y += a * c;
		s2y += b * c;
	}
	det = s11 * s22 - s12 * s12;
	*b1 = (s22 * s1y - s12 * s2y) / det;
	*b2 = (s11 * s2y - s12 * s1y) / det;
}

static void
test_blocks(const char *dir)
{
	int			nrows,
				k,
				i;
	double	   *rows = read_dataset(dir, "longley", 0, &nrows, &k);
	MomentsState *m = state_from_rows(rows, nrows, k, 0, nrows, NULL);
	int			preds[] = {0, 1, 2, 3, 4, 5};
	int			ends[] = {2, 4, 6};
	OlsFit	   *fb = fit_blocks(m, 6, preds, 6, ends, 3, true);
	OlsFit	   *ff = fit1(m, 6, preds, 6, true);
	OlsFit	   *f1 = fit1(m, 6, preds, 2, true);
	long double b1,
				b2;
	double		sum_change = 0.0;

	/* the last model is the full model, bit for bit (same sweeps) */
	CHECK(agreement(&fb->models[2], &ff->models[0]) == 15.0 &&
		  fb->models[2].rss == ff->models[0].rss, "last block != full model");
	CHECK(agreement(&fb->models[0], &f1->models[0]) == 15.0,
		  "first block != model on its predictors");
	ref_two(rows, nrows, k, 0, 1, 6, &b1, &b2);
	CHECK(lre(fb->models[0].terms[1].b, (double) b1) >= 12 &&
		  lre(fb->models[0].terms[2].b, (double) b2) >= 12,
		  "model 1 vs long double: %.1f %.1f",
		  lre(fb->models[0].terms[1].b, (double) b1),
		  lre(fb->models[0].terms[2].b, (double) b2));
	for (i = 0; i < 3; i++)
	{
		const OlsModel *md = &fb->models[i];
		double		rss_prev = i ? fb->models[i - 1].rss : md->tss;
		double		fc = ((rss_prev - md->rss) / md->df1_change)
			/ (md->rss / md->df_resid);

		sum_change += md->r2_change;
		CHECK(md->df1_change == 2 && md->df2_change == nrows - 1 - 2 * (i + 1),
			  "model %d: df change %d %g", i + 1, md->df1_change, md->df2_change);
		CHECK(lre(md->f_change, fc) >= 10, "model %d: F change %g vs %g",
			  i + 1, md->f_change, fc);
		CHECK(md->adj_r2 < md->r2 && md->r == sqrt(md->r2), "model %d: adj R2", i + 1);
	}
	CHECK(lre(fb->models[0].f_change, fb->models[0].f) >= 13,
		  "model 1: F change %g != F %g", fb->models[0].f_change, fb->models[0].f);
	CHECK(lre(sum_change, fb->models[2].r2) >= 13, "sum of R2 changes %.17g vs %.17g",
		  sum_change, fb->models[2].r2);
	/* tolerance = 1 / VIF, VIF >= 1; beta from the SDs */
	for (i = 1; i < fb->models[2].nterms; i++)
	{
		const OlsTerm *t = &fb->models[2].terms[i];

		CHECK(t->vif >= 1.0 && lre(t->tolerance * t->vif, 1.0) >= 14,
			  "tolerance / VIF of term %d", i);
	}
	printf("blockwise Longley: R2 %.6f %.6f %.6f, F change %.4f %.4f %.4f, "
		   "VIF(x1) %.2f\n",
		   fb->models[0].r2, fb->models[1].r2, fb->models[2].r2,
		   fb->models[0].f_change, fb->models[1].f_change,
		   fb->models[2].f_change, fb->models[2].terms[1].vif);
	free(fb);
	free(ff);
	free(f1);
	free(m);

	/* frequency weights: weight 2 == the row twice */
	{
		double	   *w = malloc(sizeof(double) * nrows);
		double	   *dup = malloc(sizeof(double) * 2 * nrows * k);
		MomentsState *mw,
				   *md;
		OlsFit	   *fw,
				   *fd;
		int			nd = 0;

		for (i = 0; i < nrows; i++)
		{
			w[i] = (i % 3 == 0) ? 2.0 : 1.0;
			memcpy(dup + (size_t) nd++ * k, rows + (size_t) i * k, sizeof(double) * k);
			if (w[i] == 2.0)
				memcpy(dup + (size_t) nd++ * k, rows + (size_t) i * k,
					   sizeof(double) * k);
		}
		mw = state_from_rows(rows, nrows, k, 0, nrows, w);
		md = state_from_rows(dup, nd, k, 0, nd, NULL);
		fw = fit1(mw, 6, preds, 6, true);
		fd = fit1(md, 6, preds, 6, true);
		CHECK(agreement(&fw->models[0], &fd->models[0]) >= 12 &&
			  fw->models[0].df_resid == fd->models[0].df_resid,
			  "weights: agreement %.1f", agreement(&fw->models[0], &fd->models[0]));
		free(fw);
		free(fd);
		free(mw);
		free(md);
		free(w);
		free(dup);
	}
	free(rows);
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "../data/nist";

	read_certified(dir);
	test_nist(dir);
	test_aliasing();
	test_arguments();
	test_blocks(dir);
	if (failures)
	{
		printf("%d check(s) failed\n", failures);
		return 1;
	}
	printf("all OLS core checks passed\n");
	return 0;
}
