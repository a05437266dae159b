/*
 * kernel_bench.c — nanoseconds per row of the moments update (pure C, no
 * backend), row by row (moments_add_row) and batched (moments_push_row), to
 * tune the hot path:
 *   cc -O2 -ftree-vectorize -ffp-contract=off -Isrc/core bench/kernel_bench.c \
 *      src/core/moments_core.c src/core/moments_batch.c -lm
 * Usage: kernel_bench [k] [rows] [weighted 0/1]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "moments_core.h"

static double
seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

static MomentsState *
new_state(int k, int batched)
{
	const char **names = malloc(sizeof(char *) * k);
	char		buf[32];
	int			len = 0;
	MomentsState *m;

	for (int i = 0; i < k; i++)
	{
		snprintf(buf, sizeof(buf), "x%d", i + 1);
		names[i] = strdup(buf);
		len += strlen(buf) + 1;
	}
	m = calloc(1, batched ? moments_batched_size(k, len) : moments_size(k, len));
	moments_init(m, k, names);
	return m;
}

int
main(int argc, char **argv)
{
	int			k = argc > 1 ? atoi(argv[1]) : 11;
	long		rows = argc > 2 ? atol(argv[2]) : 2000000;
	int			weighted = argc > 3 ? atoi(argv[3]) : 0;
	double	   *x = malloc(sizeof(double) * k * 1024);
	double	   *w = malloc(sizeof(double) * 1024);
	double	   *scratch = malloc(sizeof(double) * (6 * k + moments_flush_scratch(k)));
	MomentsState *row = new_state(k, 0);
	MomentsState *bat = new_state(k, 1);
	double		t0, t1, t2, maxrel = 0;
	dd		   *c1 = malloc(sizeof(dd) * k * k);
	dd		   *c2 = malloc(sizeof(dd) * k * k);

	for (int i = 0; i < k * 1024; i++)
		x[i] = 100 + rand() / (double) RAND_MAX;
	for (int i = 0; i < 1024; i++)
		w[i] = weighted ? 0.5 + rand() / (double) RAND_MAX : 1.0;
	t0 = seconds();
	for (long r = 0; r < rows; r++)
		moments_add_row(row, x + (r % 1024) * k, w[r % 1024], scratch);
	t1 = seconds();
	for (long r = 0; r < rows; r++)
		if (moments_push_row(bat, x + (r % 1024) * k, w[r % 1024]))
			moments_flush(bat, scratch);
	moments_flush(bat, scratch);
	t2 = seconds();
	moments_centered(row, c1);
	moments_centered(bat, c2);
	for (int i = 0; i < k * k; i++)
	{
		double		d = dd_to_double(dd_sub(c1[i], c2[i])) / dd_to_double(c1[i]);

		if (d < 0)
			d = -d;
		if (d > maxrel)
			maxrel = d;
	}
	printf("k=%d rows=%ld%s: row by row %.1f ns/row, batched %.1f ns/row (%.2f x); "
		   "centred cross-products differ by %.1e relative\n",
		   k, rows, weighted ? " weighted" : "",
		   (t1 - t0) * 1e9 / rows, (t2 - t1) * 1e9 / rows,
		   (t1 - t0) / (t2 - t1), maxrel);
	return 0;
}
