/*
 * survey_means_agg.h — the state of survey_reg._means_sums (a float8[]):
 * fixed fields, then per variable MS_STRIDE(mode) sums.
 */
#ifndef SURVEY_MEANS_AGG_H
#define SURVEY_MEANS_AGG_H

#include "fmgr.h"
#include "utils/array.h"

enum
{
	MS_MODE = 0,				/* 0: n, sum w y, sum w; 1: also the squares */
	MS_NVARS,
	MS_ROWS,					/* every row of the group */
	MS_USED,					/* rows that contribute to an estimate */
	MS_W_NULL,					/* of those, rows without a weight ... */
	MS_F1_NULL,					/* ... without fpc ... */
	MS_F2_NULL,					/* ... without fpc2 */
	MS_F1_HAVE,					/* fpc's range over the group's rows */
	MS_F1_MIN,
	MS_F1_MAX,
	MS_F2_HAVE,					/* fpc2's */
	MS_F2_MIN,
	MS_F2_MAX,
	MS_FIXED
};

/* per variable */
enum
{
	MS_N = 0, MS_WY, MS_W, MS_WYY, MS_WWY, MS_WW
};
#define MS_STRIDE(mode) ((mode) == 1 ? 6 : 3)

/* the values of a state (checked); its variables and mode */
extern double *means_sums_values(ArrayType *a, int *nvars, int *mode);

/* shared with the units' hash (survey_means_units.c) */
extern void means_sums_check_args(FunctionCallInfo fcinfo, int first_y);
extern void means_sums_add_row(FunctionCallInfo fcinfo, int first_w,
							   double *d, int mode, int nvars,
							   const double *f1, const double *f2);
extern void means_sums_merge(double *da, const double *db, int mode,
							 int nvars);

#endif
