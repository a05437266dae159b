/*
 * fuzz_common.h — shared by the libFuzzer harnesses (fuzz/README.md).
 *
 * A tracking allocator, so that every allocation made for one input is
 * freed after it (LeakSanitizer then only sees real leaks), and the
 * analyses run on every state a harness gets hold of: the same calls the
 * PostgreSQL layer makes for describe, correlations, reliability,
 * item_total, cronbach_alpha, coefficients and model_summary.
 */
#ifndef SURVEY_REG_FUZZ_COMMON_H
#define SURVEY_REG_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moments_core.h"
#include "ols_core.h"
#include "reliability_core.h"

/* ---------------- allocator ---------------- */

static void **fz_ptrs;
static size_t fz_n,
			fz_cap;

static void *
fz_alloc(size_t size)
{
	void	   *p = calloc(1, size ? size : 1);

	if (p == NULL)
	{
		fprintf(stderr, "fuzz: out of memory (%zu bytes)\n", size);
		abort();
	}
	if (fz_n == fz_cap)
	{
		fz_cap = fz_cap ? 2 * fz_cap : 256;
		fz_ptrs = realloc(fz_ptrs, sizeof(void *) * fz_cap);
		if (fz_ptrs == NULL)
			abort();
	}
	fz_ptrs[fz_n++] = p;
	return p;
}

/* free one pointer early (ols_fit_blocks returns its workspace) */
static void
fz_free(void *p)
{
	size_t		i;

	if (p == NULL)
		return;
	for (i = fz_n; i-- > 0;)
		if (fz_ptrs[i] == p)
		{
			free(p);
			fz_ptrs[i] = fz_ptrs[--fz_n];
			return;
		}
	fprintf(stderr, "fuzz: free of a pointer not allocated here\n");
	abort();
}

static void *
fz_realloc(void *p, size_t size)
{
	size_t		i;
	void	   *q;

	if (p == NULL)
		return fz_alloc(size);
	for (i = 0; i < fz_n; i++)
		if (fz_ptrs[i] == p)
			break;
	if (i == fz_n)
		abort();
	q = realloc(p, size ? size : 1);
	if (q == NULL)
		abort();
	fz_ptrs[i] = q;
	return q;
}

static void
fz_free_all(void)
{
	size_t		i;

	for (i = 0; i < fz_n; i++)
		free(fz_ptrs[i]);
	fz_n = 0;
}

#define FZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, \
					__FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			abort(); \
		} \
	} while (0)

/* the first non-finite number of a state, for messages */
static const char *
fz_nonfinite_where(const MomentsState *m)
{
	static char buf[128];
	static const char *const fields[] = {"ref", "s1_hi", "s1_lo", "s2_hi",
	"s2_lo", "s3_hi", "s3_lo", "s4_hi", "s4_lo", "min", "max"};
	MomentsArrays a;
	const double *arrs[11];
	size_t		lens[11];
	size_t		k = (size_t) m->k,
				pairs = k * (k + 1) / 2,
				f,
				i;

	if (!isfinite(m->n_hi) || !isfinite(m->n_lo))
	{
		snprintf(buf, sizeof(buf), "n = %g:%g", m->n_hi, m->n_lo);
		return buf;
	}
	moments_arrays(m, &a);
	arrs[0] = a.ref; arrs[1] = a.s1_hi; arrs[2] = a.s1_lo; arrs[3] = a.s2_hi;
	arrs[4] = a.s2_lo; arrs[5] = a.s3_hi; arrs[6] = a.s3_lo; arrs[7] = a.s4_hi;
	arrs[8] = a.s4_lo; arrs[9] = a.min; arrs[10] = a.max;
	for (f = 0; f < 11; f++)
		lens[f] = (f == 3 || f == 4) ? pairs : k;
	for (f = 0; f < 11; f++)
		for (i = 0; i < lens[f]; i++)
			if (!isfinite(arrs[f][i]))
			{
				snprintf(buf, sizeof(buf), "%s[%zu] = %g (k = %zu, flags %d)",
						 fields[f], i, arrs[f][i], k, (int) m->flags);
				return buf;
			}
	return "all finite";
}

/*
 * Known bugs (doc/HARDENING.md), skipped when built with
 * -DFUZZ_TOLERATE_KNOWN=1 so that a campaign can look past them; with 0
 * (the default: all four are fixed) they abort as they should.
 *
 * B1: text and binary input validate a state before normalizing its
 *     double-double sums, so hi = 0, lo = -1 passes the sign checks and is
 *     stored as hi = -1: accepted input whose output is rejected.
 * B2: the text parser takes at most 18 digits for rows, so a state of
 *     1e18 rows or more (binary input, or merges) prints a text that the
 *     text input rejects.
 * B3: moments_merge adds the row counts in int64 without an overflow check
 *     (signed overflow, undefined behaviour).
 * B4: moments_merge re-centres the power sums by a binomial expansion in
 *     double-double; with weights or values many decades apart the
 *     cancellation exceeds dd precision and a fourth-power sum comes out
 *     negative: a state whose output the input rejects ("negative sum of
 *     squares").  A negative diagonal second-power sum would be skipped the
 *     same way.
 */
#ifndef FUZZ_TOLERATE_KNOWN
#define FUZZ_TOLERATE_KNOWN 0
#endif

#define FZ_B2_ROWS	INT64_C(1000000000000000000)

static int
fz_known_b1(const char *verr)
{
	return FUZZ_TOLERATE_KNOWN && verr != NULL
		&& (strcmp(verr, "negative sum of squares") == 0
			|| strcmp(verr, "negative sum of weights") == 0
			|| strcmp(verr, "row count and sum of weights disagree") == 0);
}

/* ---------------- the analyses ---------------- */

/* analyses are O(k^3): keep an input fast */
#define FZ_ANALYSE_MAX_K 24

static volatile double fz_sink;	/* keeps results alive */

static void
fz_consume(double v)
{
	fz_sink += v;
}

/*
 * Everything the SQL functions compute from a valid state.  sel picks the
 * regression designs (any bits: every design is exercised by some value).
 */
static void
fz_analyse(const MomentsState *m, unsigned sel)
{
	int			k = m->k;
	dd		   *C,
			   *mean;
	int			i;

	if (k > FZ_ANALYSE_MAX_K)
		return;
	C = fz_alloc(sizeof(dd) * (size_t) k * k);
	mean = fz_alloc(sizeof(dd) * (size_t) k);
	moments_centered(m, C);
	fz_consume(moments_n(m).hi);
	for (i = 0; i < k; i++)
	{
		dd			c2,
					c3,
					c4;

		mean[i] = moments_mean(m, i);
		moments_central_powers(m, i, &c2, &c3, &c4);
		fz_consume(c2.hi + c3.hi + c4.hi + dd_to_double(dd_sqrt(c2)));
		fz_consume(moments_name(m, i)[0]);
	}

	/* reliability, item_total, cronbach_alpha */
	if (k >= 2)
	{
		RelScale	sc;
		RelItem    *items = fz_alloc(sizeof(RelItem) * k);
		double	   *work = fz_alloc(sizeof(double) * rel_work_doubles(k));
		int		   *iwork = fz_alloc(sizeof(int) * 3 * (size_t) k);
		int			status,
					kz;

		rel_analyze(k, C, mean, moments_n(m), m->nrows, 1, &sc, items,
					work, iwork);
		fz_consume(sc.alpha + sc.omega_total + sc.lambda6 + sc.alpha_ci_lower);
		FZ_CHECK(sc.omega_heywood_item < k, "heywood item %d of %d",
				 sc.omega_heywood_item, k);
		rel_analyze(k, C, NULL, moments_n(m), m->nrows, 0, &sc, NULL,
					work, iwork);
		fz_consume(rel_alpha(k, C, moments_n(m), m->nrows, &status, &kz));
	}

	/* regressions: dependent d, predictors the others in one or two blocks */
	if (k >= 1)
	{
		int			dep = (int) (sel % (unsigned) k);
		int		   *preds = fz_alloc(sizeof(int) * k);
		int			npreds = 0;
		int			ends[2];
		int			nblocks;
		int			intercept;

		/* a subset of the others, in order or reversed */
		for (i = 0; i < k; i++)
		{
			int			v = (sel & 0x80) ? k - 1 - i : i;

			if (v != dep && !((sel >> (10 + (v & 15))) & 1u))
				preds[npreds++] = v;
		}
		for (intercept = 0; intercept <= 1; intercept++)
		{
			OlsStatus	st;
			int			bad;
			OlsFit	   *fit;

			if (npreds >= 2 && (sel & 0x200))
			{
				ends[0] = npreds / 2;
				ends[1] = npreds;
				nblocks = 2;
			}
			else
			{
				ends[0] = npreds;
				nblocks = 1;
			}
			fit = ols_fit_blocks(m, dep, preds, npreds, ends, nblocks,
								 intercept, 0.0, fz_alloc, fz_free, &st, &bad);
			if (fit == NULL)
			{
				FZ_CHECK(st != OLS_OK, "NULL fit with status ok");
				continue;
			}
			for (i = 0; i < fit->nmodels; i++)
			{
				const OlsModel *mod = &fit->models[i];
				int			t;

				fz_consume(mod->r2 + mod->f + mod->f_change + mod->adj_r2);
				for (t = 0; t < mod->nterms; t++)
				{
					FZ_CHECK(mod->terms[t].var >= -1 && mod->terms[t].var < k,
							 "term var %d", mod->terms[t].var);
					fz_consume(mod->terms[t].b + mod->terms[t].se
							   + mod->terms[t].vif + mod->terms[t].beta);
				}
			}
		}
	}
}

/* B3: would merging these overflow the row count? */
static int
fz_known_b3(const MomentsState *a, const MomentsState *b)
{
	return FUZZ_TOLERATE_KNOWN && a->nrows > INT64_MAX - b->nrows;
}

/* text round trip: the output of the type must always be valid input */
static void
fz_check_text_roundtrip(const MomentsState *m)
{
	const char *err = NULL;
	char	   *t = moments_to_text(m, fz_alloc);
	MomentsState *m2 = moments_from_text(t, fz_alloc, &err);
	MomentsState *norm;
	size_t		size = moments_size(m->k, m->names_len);
	char	   *t2;

	if (FUZZ_TOLERATE_KNOWN && m2 == NULL && m->nrows >= FZ_B2_ROWS)
		return;					/* B2 */
	FZ_CHECK(m2 != NULL, "output not accepted as input: %s\n%.2000s",
			 err ? err : "?", t);
	norm = fz_alloc(size);
	memcpy(norm, m, size);
	norm->vl_len_ = 0;
	norm->names_arg_hash = 0;
	moments_normalize(norm);
	FZ_CHECK(memcmp((char *) norm + offsetof(MomentsState, version),
					(char *) m2 + offsetof(MomentsState, version),
					offsetof(MomentsState, names_arg_hash)
					- offsetof(MomentsState, version)) == 0
			 && memcmp(&norm->n_hi, &m2->n_hi,
					   size - offsetof(MomentsState, n_hi)) == 0,
			 "text round trip changed the state:\n%.2000s", t);
	t2 = moments_to_text(m2, fz_alloc);
	FZ_CHECK(strcmp(t, t2) == 0, "text printed twice differs:\n%.1000s\n%.1000s",
			 t, t2);
}

#endif							/* SURVEY_REG_FUZZ_COMMON_H */
