/*
 * cholesky.h — the Cholesky factorization of the core, one for all its
 * callers (reliability_core.c's squared multiple correlations,
 * robust_core.c's leverage kernel), so that they share its arithmetic.
 *
 * Pure C, no PostgreSQL headers.
 */
#ifndef SURVEY_REG_CHOLESKY_H
#define SURVEY_REG_CHOLESKY_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/*
 * U upper triangular (row-major, U[i][t] at i p + t) with A = U'U, from
 * A's upper triangle, row by row, each sum in ascending order.  A pivot
 * not above min_pivot: with skip its row of U is left zero and the rest
 * goes on (an aliased term's zero pivot), else it stops there.  Returns
 * the first such pivot's index, p if none.  interrupt (NULL: none) is
 * called once per row.
 */
static inline int
cholesky_upper(const double *A, int p, double *U, double min_pivot,
			   bool skip, void (*interrupt) (void))
{
	int			i,
				t,
				m,
				first = p;

	memset(U, 0, sizeof(double) * (size_t) p * p);
	for (i = 0; i < p; i++)
	{
		double		d = A[(size_t) i * p + i];

		if (interrupt)
			interrupt();
		for (m = 0; m < i; m++)
			d -= U[(size_t) m * p + i] * U[(size_t) m * p + i];
		if (!(d > min_pivot))
		{
			if (first == p)
				first = i;
			if (!skip)
				return first;
			continue;
		}
		d = sqrt(d);
		U[(size_t) i * p + i] = d;
		for (t = i + 1; t < p; t++)
		{
			double		a = A[(size_t) i * p + t];

			for (m = 0; m < i; m++)
				a -= U[(size_t) m * p + i] * U[(size_t) m * p + t];
			U[(size_t) i * p + t] = a / d;
		}
	}
	return first;
}

#endif
