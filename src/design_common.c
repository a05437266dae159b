/*
 * design_common.c — small pieces the two design-based estimators share:
 * survey_means.c (means and totals) and design_meat.c (the regressions'
 * design variance) read the same stratum x PSU x SSU streams, check the
 * same finite population corrections and stop on the same lonely units.
 */
#include "survey_reg.h"

#include <math.h>

#include "executor/spi.h"
#include "utils/builtins.h"

/*
 * A population count or sampling fraction of n sampled units: f = 1 - n/N
 * and the sampling fraction n/N (f = 1, fraction 0 without one).  Also
 * the regressions' design variance (design_meat.c).
 */
void
fpc_fraction(bool have, double v, double vmax, double n, const char *col,
			 const char *where, double *f, double *frac)
{
	double		N;

	*f = 1.0;
	*frac = 0.0;
	if (!have)
		return;
	if (v != vmax)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the fpc column \"%s\" differs within %s", col, where),
				 errdetail("It is %g and %g.", v, vmax),
				 errhint("A population count (or sampling fraction) is one value per stratum at stage one and per first-stage unit at stage two.")));
	if (!(v > 0.0) || !isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the fpc column \"%s\" is %g in %s", col, v, where),
				 errdetail("A population count must exceed zero, a sampling fraction lie in (0, 1].")));
	N = v <= 1.0 ? n / v : v;
	if (N < n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the fpc column \"%s\" is %g in %s, fewer than the %g units sampled", col, v, where, n),
				 errhint("Give the number of units in the population, or the sampling fraction.")));
	*f = v <= 1.0 ? 1.0 - v : (N - n) / N;
	*frac = v <= 1.0 ? v : n / N;
}

/* a stratum with one PSU (psu NULL), or a PSU with one SSU, under lonely_psu 'fail' */
void
design_lonely_error(const char *stratum, const char *psu)
{
	if (psu == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("stratum \"%s\" has only one PSU", stratum),
				 errdetail("A stratum's variance needs at least two primary sampling units; R's survey package stops here too (survey.lonely.psu = \"fail\")."),
				 errhint("Pass lonely_psu => 'adjust', 'average', 'certainty' or 'remove' (R's survey.lonely.psu options), or merge the stratum with another.")));
	ereport(ERROR,
			(errcode(ERRCODE_DATA_EXCEPTION),
			 errmsg("PSU \"%s\" of stratum \"%s\" has only one second-stage unit", psu, stratum),
			 errdetail("Its second-stage variance needs at least two; R's survey package stops here too (survey.lonely.psu = \"fail\" at stage 2)."),
			 errhint("Pass lonely_psu => 'adjust', 'average', 'certainty' or 'remove', or a second-stage population count equal to the units sampled.")));
}

/* column col (0-based) of an SPI row as a C string, NULL for NULL */
char *
design_text(HeapTuple tup, TupleDesc desc, int col)
{
	bool		isnull;
	Datum		v = SPI_getbinval(tup, desc, col + 1, &isnull);

	return isnull ? NULL : TextDatumGetCString(v);
}

/* the same unit key (a NULL key is never the same) */
bool
design_same(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* widen [*lo, *hi] to take [a, b] (the first call sets it) */
void
design_minmax(bool *have, double *lo, double *hi, double a, double b)
{
	if (!*have)
	{
		*lo = a;
		*hi = b;
		*have = true;
		return;
	}
	*lo = fmin(*lo, a);
	*hi = fmax(*hi, b);
}
