/*
 * design_core.h — design-based (linearization) variance of means and
 * totals for stratified one- and two-stage samples, as R's survey package
 * (svyrecvar: onestage / onestrat / multistage, survey 4.1).  Pure C.
 *
 * The caller streams the sample's units in order: strata, within them
 * PSUs, within them second-stage units (SSUs), and within an SSU any
 * number of partial sums per cell (a cell is one estimate: a variable in a
 * group or domain).  Only sums are kept, never the units: for a mean the
 * linearized PSU total is z = (Y - m W) / W_total, so every sum of squares
 * of z is a quadratic form in (1, m), and the forms add over strata; m is
 * only needed at the end.  All sums are double-double.
 */
#ifndef SURVEY_REG_DESIGN_CORE_H
#define SURVEY_REG_DESIGN_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include "dd.h"

/* as robust_core.h's RobustLonely (R's survey.lonely.psu) */
typedef enum DesignLonely
{
	DESIGN_LONELY_FAIL = 0,
	DESIGN_LONELY_REMOVE,
	DESIGN_LONELY_CERTAINTY,
	DESIGN_LONELY_ADJUST,
	DESIGN_LONELY_AVERAGE
} DesignLonely;

/* Y, W and the three sums of squares of a set of units */
typedef struct DesignSums
{
	dd			y,
				w,
				yy,
				yw,
				ww;
	double		units;			/* units with a contributing row */
} DesignSums;

/* a variance as the quadratic form a - 2 m b + m^2 c */
typedef struct DesignForm
{
	dd			a,
				b,
				c;
} DesignForm;

typedef struct DesignCell
{
	int64_t		n;				/* contributing rows */
	dd			y,				/* sum of w y over them */
				w;				/* sum of w */
	dd			ssu_y,			/* the current SSU's totals */
				ssu_w;
	bool		ssu_in;
	dd			psu_y,			/* the current PSU's totals */
				psu_w;
	bool		psu_in;
	DesignSums	in_psu;			/* the current PSU's SSUs (stage 2) */
	DesignSums	in_stratum;		/* the current stratum's PSUs */
	DesignForm	stage2_stratum; /* stage 2 of the current stratum */
	DesignForm	stage1,			/* the variance so far */
				stage2;
	double		psus,			/* PSUs with a contributing row */
				strata,			/* strata with one */
				lonely_average; /* of those, lonely ones left out (average) */
	bool		stage2_nan;		/* a lonely SSU with lonely = average */
} DesignCell;

typedef enum DesignStatus
{
	DESIGN_OK = 0,
	DESIGN_LONELY_STAGE1,		/* a stratum with one PSU (lonely = fail) */
	DESIGN_LONELY_STAGE2		/* a PSU with one SSU (lonely = fail) */
} DesignStatus;

extern void design_cell_init(DesignCell *c);

/* rows of the current SSU: n rows with sum of w y and of w */
extern void design_add(DesignCell *c, int64_t n, double wy, double w);

/*
 * Units that are single rows, already summed per stratum (a design without
 * clusters): n rows, their sums and sums of squares of w y and w.
 */
extern void design_add_rows(DesignCell *c, int64_t n, double wy, double w,
							double wyy, double wwy, double ww);

/* the end of an SSU, a PSU (m SSUs, fraction f2 = (N2 - m) / N2; stage2:
 * whether the second stage adds variance) and a stratum (n PSUs, f1) */
extern void design_end_ssu(DesignCell *c);
extern DesignStatus design_end_psu(DesignCell *c, double m, double f2,
								   bool stage2, DesignLonely lonely);
extern DesignStatus design_end_stratum(DesignCell *c, double n, double f1,
									   double sampling_fraction,
									   DesignLonely lonely);

typedef struct DesignEstimate
{
	double		mean,
				se,
				total,
				total_se,
				df;
} DesignEstimate;

extern void design_estimate(const DesignCell *c, DesignEstimate *e);

#endif
