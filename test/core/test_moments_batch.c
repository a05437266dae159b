/*
 * test_moments_batch.c — the batched update (moments_push_row/flush, what
 * the aggregates use) against the row-by-row update (moments_add_row).
 *
 *   1. Data whose every sum is exact in double (Likert-like integers,
 *      integer weights): both paths must give the same bits after
 *      normalizing, for batch sizes that end full, part-full and tiny.
 *   2. Data that exercise the dd arithmetic (a large common location,
 *      values spanning 20 decades so that x - ref is inexact, negative and
 *      fractional weights): every sum of the two paths must agree to
 *      1e-26 of the largest sum of its kind (both are ~106-bit sums that
 *      add the same exact products in a different order).
 *   3. The AVX2+FMA and the portable batch kernels give identical bits (on a
 *      CPU with FMA; reported as skipped elsewhere).
 *
 * Exit status 0 when every check passes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "moments_core.h"

static int	failures = 0;
static int	checks = 0;

static void
check(int ok, const char *what, int k, long rows, int weighted, int data)
{
	checks++;
	if (!ok)
	{
		failures++;
		printf("FAIL %s (k=%d rows=%ld weighted=%d data=%d)\n",
			   what, k, rows, weighted, data);
	}
}

static unsigned long long rng = 88172645463325252ULL;

static double
unif(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng >> 11) * (1.0 / 9007199254740992.0);
}

static MomentsState *
new_state(int k, int batched)
{
	const char **names = malloc(sizeof(char *) * k);
	int			len = 0;
	MomentsState *m;

	for (int i = 0; i < k; i++)
	{
		char		buf[16];

		snprintf(buf, sizeof(buf), "v%d", i);
		names[i] = strdup(buf);
		len += (int) strlen(buf) + 1;
	}
	m = calloc(1, batched ? moments_batched_size(k, len) : moments_size(k, len));
	moments_init(m, k, names);
	for (int i = 0; i < k; i++)
		free((void *) names[i]);
	free(names);
	return m;
}

/* data 1: exact; data 2: location 1e6; data 3: 20 decades, signed */
static double
value(int data)
{
	switch (data)
	{
		case 1:
			return 1 + floor(5 * unif());
		case 2:
			return 1e6 + (unif() - 0.5) * 3.0;
		default:
			return (unif() < 0.5 ? -1 : 1) * exp((unif() - 0.5) * 46.0);
	}
}

static double
weight(int data)
{
	return data == 1 ? 1 + floor(4 * unif()) : 0.01 + 3 * unif();
}

static void
fill(MomentsState *row, MomentsState *bat, int k, long rows, int weighted,
	 int data, double *scratch, double *flush_scratch)
{
	double	   *x = malloc(sizeof(double) * k);

	for (long r = 0; r < rows; r++)
	{
		double		w = weighted ? weight(data) : 1.0;

		for (int j = 0; j < k; j++)
			x[j] = value(data);
		if (row)
			moments_add_row(row, x, w, scratch);
		if (moments_push_row(bat, x, w))
			moments_flush(bat, flush_scratch);
	}
	moments_flush(bat, flush_scratch);
	free(x);
}

static double
max_abs(const double *v, size_t n)
{
	double		m = 0;

	for (size_t i = 0; i < n; i++)
		if (fabs(v[i]) > m)
			m = fabs(v[i]);
	return m;
}

/* |a - b| (as dd) over each array, relative to the largest |a| */
static double
dd_arrays_rel(const double *ahi, const double *alo, const double *bhi,
			  const double *blo, size_t n)
{
	double		scale = max_abs(ahi, n),
				worst = 0;

	for (size_t i = 0; i < n; i++)
	{
		dd			d = dd_sub(dd_make(ahi[i], alo[i]), dd_make(bhi[i], blo[i]));
		double		e = fabs(dd_to_double(d));

		if (e > worst)
			worst = e;
	}
	return scale > 0 ? worst / scale : worst;
}

static int
same_bits(const MomentsState *a, const MomentsState *b)
{
	/* everything from the header to the end of the names */
	return a->nrows == b->nrows && a->k == b->k
		&& a->n_hi == b->n_hi && a->n_lo == b->n_lo
		&& memcmp((const char *) a + offsetof(MomentsState, n_hi),
				  (const char *) b + offsetof(MomentsState, n_hi),
				  moments_size(a->k, a->names_len) - offsetof(MomentsState, n_hi)) == 0;
}

int
main(void)
{
	static const int ks[] = {1, 3, 11, 40};
	static const long rowcounts[] = {5, 128, 1000, 20000};
	double		worst[4] = {0, 0, 0, 0};
	int			have_fma = moments_use_fma_kernels();

	for (size_t ki = 0; ki < sizeof(ks) / sizeof(ks[0]); ki++)
		for (size_t ri = 0; ri < sizeof(rowcounts) / sizeof(rowcounts[0]); ri++)
			for (int weighted = 0; weighted <= 1; weighted++)
				for (int data = 1; data <= 3; data++)
				{
					int			k = ks[ki];
					long		rows = rowcounts[ri];
					double	   *scratch = malloc(sizeof(double) * 6 * k);
					double	   *fs = malloc(sizeof(double) * moments_flush_scratch(k));
					MomentsState *row = new_state(k, 0);
					MomentsState *bat = new_state(k, 1);
					unsigned long long seed = rng;
					MomentsArrays ar,
								ab;
					size_t		pairs = (size_t) k * (k + 1) / 2;

					fill(row, bat, k, rows, weighted, data, scratch, fs);
					check(bat->pending == 0 && bat->nrows == rows,
						  "flushed row count", k, rows, weighted, data);
					moments_arrays(row, &ar);
					moments_arrays(bat, &ab);
					check(memcmp(ar.ref, ab.ref, sizeof(double) * k) == 0
						  && memcmp(ar.min, ab.min, sizeof(double) * k) == 0
						  && memcmp(ar.max, ab.max, sizeof(double) * k) == 0,
						  "reference row and range identical", k, rows, weighted, data);
					if (data == 1)
					{
						moments_normalize(row);
						moments_normalize(bat);
						check(same_bits(row, bat), "exact data: identical bits",
							  k, rows, weighted, data);
					}
					else
					{
						double		e[4];

						e[0] = dd_arrays_rel(ar.s1_hi, ar.s1_lo, ab.s1_hi, ab.s1_lo, k);
						e[1] = dd_arrays_rel(ar.s2_hi, ar.s2_lo, ab.s2_hi, ab.s2_lo, pairs);
						e[2] = dd_arrays_rel(ar.s3_hi, ar.s3_lo, ab.s3_hi, ab.s3_lo, k);
						e[3] = dd_arrays_rel(ar.s4_hi, ar.s4_lo, ab.s4_hi, ab.s4_lo, k);
						for (int i = 0; i < 4; i++)
						{
							if (e[i] > worst[i])
								worst[i] = e[i];
							check(e[i] <= 1e-26, i == 0 ? "S1 within 1e-26" :
								  i == 1 ? "S2 within 1e-26" : i == 2 ? "S3 within 1e-26" :
								  "S4 within 1e-26", k, rows, weighted, data);
						}
						check(fabs(dd_to_double(dd_sub(moments_n(row), moments_n(bat))))
							  <= 1e-26 * dd_to_double(moments_n(row)),
							  "sum of weights within 1e-26", k, rows, weighted, data);
					}

					/* the same rows through the portable batch kernel */
					if (have_fma)
					{
						MomentsState *fma = bat;
						MomentsState *port = new_state(k, 1);
						unsigned long long after = rng;

						rng = seed;
						moments_portable_kernels = 1;
						fill(NULL, port, k, rows, weighted, data, scratch, fs);
						moments_portable_kernels = 0;
						rng = after;
						if (data == 1)
							moments_normalize(port);
						check(same_bits(fma, port),
							  "AVX2+FMA and portable kernels: identical bits",
							  k, rows, weighted, data);
						free(port);
					}
					free(row);
					free(bat);
					free(scratch);
					free(fs);
				}

	printf("largest difference batched vs row by row, relative to the largest sum: "
		   "S1 %.1e, S2 %.1e, S3 %.1e, S4 %.1e\n",
		   worst[0], worst[1], worst[2], worst[3]);
	if (!have_fma)
		printf("skipped: FMA vs portable kernels (this CPU has no AVX2+FMA)\n");
	printf("test_moments_batch: %d passed, %d failed\n", checks - failures, failures);
	return failures ? 1 : 0;
}
