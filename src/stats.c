/*
 * stats.c — distribution functions from R's standalone math library
 * (Debian r-mathlib), so that p-values and intervals match R digit for digit.
 */
#include "survey_reg.h"

#include <math.h>
#include "rmath_loader.h"

/* two-sided p-value of t on df degrees of freedom, as R's 2 * pt(-|t|, df) */
double
p_from_t(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return NAN;
	return 2.0 * rmath_pt(-fabs(t), df, 1, 0);
}
