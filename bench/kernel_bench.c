/*
 * kernel_bench.c — nanoseconds per row of the moments update (pure C, no
 * backend), to tune the hot path: cc -O2 ... kernel_bench.c moments_core.c
 * Usage: kernel_bench [k] [rows]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "moments_core.h"

int
main(int argc, char **argv)
{
	int			k = argc > 1 ? atoi(argv[1]) : 11;
	long		rows = argc > 2 ? atol(argv[2]) : 2000000;
	const char **names = malloc(sizeof(char *) * k);
	char		buf[32];
	double	   *x = malloc(sizeof(double) * k * 1024);
	double	   *scratch = malloc(sizeof(double) * 6 * k);
	MomentsState *m;
	struct timespec t0,
				t1;
	long		r;
	int			i;

	for (i = 0; i < k; i++)
	{
		snprintf(buf, sizeof(buf), "x%d", i + 1);
		names[i] = strdup(buf);
	}
	for (i = 0; i < k * 1024; i++)
		x[i] = rand() / (double) RAND_MAX;
	m = calloc(1, moments_size(k, k * 8));
	moments_init(m, k, names);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (r = 0; r < rows; r++)
		moments_add_row(m, x + (r % 1024) * k, 1.0, scratch);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("k=%d rows=%ld: %.1f ns/row (mean x1 %.6f)\n", k, rows,
		   ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / rows,
		   dd_to_double(moments_mean(m, 0)));
	return 0;
}
