/*
 * reliability.c — reliability(m), item_total(m) and the finalfunc of the
 * cronbach_alpha aggregate: the PostgreSQL side of reliability_core.c.
 *
 * Conditions that make a statistic undefined are handled as psych and
 * SPSS do, with a NOTICE and NULLs rather than an error, so that GROUP BY
 * and LATERAL queries over many groups keep going:
 *   - items with zero variance are left out of the scale (psych::alpha
 *     deletes them with a warning); k counts the items used;
 *   - fewer than two complete rows (N <= 1): NULL statistics;
 *   - fewer than two items with variance: NULL statistics;
 *   - a negative alpha (negative average covariance) is reported as it is,
 *     with SPSS's note that it violates the model's assumptions;
 *   - a singular correlation matrix: NULL squared multiple correlations and
 *     lambda 6 (SPSS prints them as system-missing);
 *   - a Heywood case in the factor model behind omega: the value, with a
 *     NOTICE.
 * The cronbach_alpha aggregate applies the same rules silently (DEBUG1).
 * A state of fewer than two variables is an error: it is not a scale.
 */
#include "survey_reg.h"

#include <math.h>

#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "reliability_core.h"

PG_FUNCTION_INFO_V1(reliability_state);
PG_FUNCTION_INFO_V1(item_total_state);
PG_FUNCTION_INFO_V1(cronbach_alpha_final);

static void
require_items(const MomentsState *m, const char *analysis)
{
	if (m->k < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs at least two items", analysis),
				 errdetail_plural("The state has %d variable.",
								  "The state has %d variables.",
								  m->k, m->k)));
}

/* NOTICE naming the zero-variance items, which are left out */
static void
notice_zero_variance(const MomentsState *m, const dd *C, const char *analysis,
					 int elevel)
{
	StringInfoData buf;
	int			i,
				count = 0;

	initStringInfo(&buf);
	for (i = 0; i < m->k; i++)
		if (!(C[(size_t) i * m->k + i].hi > 0.0))
		{
			appendStringInfo(&buf, "%s\"%s\"", count > 0 ? ", " : "",
							 moments_name(m, i));
			count++;
		}
	if (count > 0)
		ereport(elevel,
				(errmsg("%s: %d item%s with zero variance left out of the scale",
						analysis, count, count > 1 ? "s" : ""),
				 errdetail("Zero variance: %s.", buf.data)));
	pfree(buf.data);
}

/*
 * Messages (at elevel: NOTICE, or DEBUG1 for the aggregate) for the scale's
 * status; true if the statistics are defined
 */
static bool
notice_status(const MomentsState *m, const dd *C, int status, double n,
			  double alpha, const char *analysis, int elevel)
{
	if (status == REL_FEW_ROWS)
	{
		ereport(elevel,
				(errmsg("%s: fewer than two complete rows, statistics are NULL",
						analysis),
				 errdetail_plural("The state has %lld complete row, N = %g (sum of weights).",
								  "The state has %lld complete rows, N = %g (sum of weights).",
								  (unsigned long) m->nrows,
								  (long long) m->nrows, n)));
		return false;
	}
	notice_zero_variance(m, C, analysis, elevel);
	if (status == REL_FEW_ITEMS)
	{
		ereport(elevel,
				(errmsg("%s: fewer than two items have non-zero variance, statistics are NULL",
						analysis)));
		return false;
	}
	if (alpha < 0.0)
		ereport(elevel,
				(errmsg("%s: alpha is negative (%.4f) because the average inter-item covariance is negative",
						analysis, alpha),
				 errdetail("This violates the reliability model's assumptions."),
				 errhint("Check the item coding: reverse-worded items may need survey_reg.reverse().")));
	return true;
}

static void
put_float(Datum *values, bool *nulls, int col, double v)
{
	values[col] = Float8GetDatum(v);
	nulls[col] = isnan(v);
}

/* centered cross-products and (optionally) means of a state, palloc'ed */
static dd *
state_centered(const MomentsState *m, dd **mean)
{
	int			k = m->k;
	dd		   *C = palloc(sizeof(dd) * (size_t) k * k);
	int			i;

	moments_centered(m, C);
	if (mean)
	{
		*mean = palloc(sizeof(dd) * k);
		for (i = 0; i < k; i++)
			(*mean)[i] = moments_mean(m, i);
	}
	return C;
}

static void
analyze(const MomentsState *m, const dd *C, const dd *mean, int with_omega,
		RelScale *sc, RelItem *items)
{
	double	   *work;
	int		   *iwork;

	work = palloc(sizeof(double) * rel_work_doubles(m->k));
	iwork = palloc(sizeof(int) * 3 * (size_t) m->k);
	rel_analyze(m->k, C, mean, moments_n(m), m->nrows, with_omega, sc, items,
				work, iwork);
	pfree(work);
	pfree(iwork);
}

/*
 * reliability(m) → one row: k, n, alpha, std_alpha, mean_r, min_r, max_r,
 * alpha_ci_lower, alpha_ci_upper, omega_total, lambda6
 */
Datum
reliability_state(PG_FUNCTION_ARGS)
{
	MomentsState *m = PG_GETARG_MOMENTS_P(0);
	ReturnSetInfo *rsinfo;
	RelScale	sc;
	dd		   *C;
	Datum		values[11];
	bool		nulls[11];
	int			i;

	require_items(m, "reliability");
	InitMaterializedSRF(fcinfo, 0);
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	C = state_centered(m, NULL);
	analyze(m, C, NULL, 1, &sc, NULL);

	for (i = 0; i < 11; i++)
		nulls[i] = true;
	values[0] = Int32GetDatum(sc.k);
	nulls[0] = false;
	put_float(values, nulls, 1, sc.n);
	if (notice_status(m, C, sc.status, sc.n, sc.alpha, "reliability", NOTICE))
	{
		put_float(values, nulls, 2, sc.alpha);
		put_float(values, nulls, 3, sc.std_alpha);
		put_float(values, nulls, 4, sc.mean_r);
		put_float(values, nulls, 5, sc.min_r);
		put_float(values, nulls, 6, sc.max_r);
		put_float(values, nulls, 7, sc.alpha_ci_lower);
		put_float(values, nulls, 8, sc.alpha_ci_upper);
		put_float(values, nulls, 9, sc.omega_total);
		put_float(values, nulls, 10, sc.lambda6);

		if (!sc.smc_ok)
			ereport(NOTICE,
					(errmsg("reliability: the inter-item correlation matrix is singular, lambda6 is NULL")));
		if (sc.omega_status == REL_OMEGA_HEYWOOD)
			ereport(NOTICE,
					(errmsg("reliability: the one-factor model behind omega_total is a Heywood case"),
					 errdetail("The communality of item \"%s\" reached the bound %.3f (psych::fa's lower bound .005 on uniquenesses).",
							   moments_name(m, sc.omega_heywood_item),
							   REL_MAX_COMMUNALITY),
					 errhint("omega_total is computed at the bound; psych's optimizer stops at a slightly different point.")));
		else if (sc.omega_status == REL_OMEGA_NO_CONVERGENCE)
			ereport(NOTICE,
					(errmsg("reliability: the one-factor model behind omega_total did not converge, omega_total is NULL")));
	}
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	return (Datum) 0;
}

/*
 * item_total(m) → per item: item, mean, sd, scale_mean_if_deleted,
 * scale_var_if_deleted, corrected_item_total_r, squared_multiple_r,
 * alpha_if_deleted (SPSS RELIABILITY /SUMMARY=TOTAL, plus mean and sd)
 */
Datum
item_total_state(PG_FUNCTION_ARGS)
{
	MomentsState *m = PG_GETARG_MOMENTS_P(0);
	ReturnSetInfo *rsinfo;
	RelScale	sc;
	RelItem    *items;
	dd		   *C,
			   *mean;
	bool		defined;
	int			i;

	require_items(m, "item_total");
	InitMaterializedSRF(fcinfo, 0);
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	C = state_centered(m, &mean);
	items = palloc(sizeof(RelItem) * m->k);
	analyze(m, C, mean, 0, &sc, items);
	defined = notice_status(m, C, sc.status, sc.n, sc.alpha, "item_total", NOTICE);
	if (defined && !sc.smc_ok)
		ereport(NOTICE,
				(errmsg("item_total: the inter-item correlation matrix is singular, squared_multiple_r is NULL")));
	if (defined && sc.k == 2)
		ereport(NOTICE,
				(errmsg("item_total: alpha_if_deleted is NULL for a two-item scale"),
				 errdetail("Alpha is not defined for a single item.")));

	for (i = 0; i < m->k; i++)
	{
		Datum		values[8];
		bool		nulls[8];
		const RelItem *it = &items[i];

		CHECK_FOR_INTERRUPTS();
		values[0] = CStringGetTextDatum(moments_name(m, i));
		nulls[0] = false;
		put_float(values, nulls, 1, it->mean);
		put_float(values, nulls, 2, it->sd);
		put_float(values, nulls, 3, it->scale_mean_if_deleted);
		put_float(values, nulls, 4, it->scale_var_if_deleted);
		put_float(values, nulls, 5, it->corrected_item_total_r);
		put_float(values, nulls, 6, it->squared_multiple_r);
		put_float(values, nulls, 7, it->alpha_if_deleted);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * finalfunc of cronbach_alpha(items float8[]): O(k^2), no factor model.
 * Same rules as reliability(m), but like PostgreSQL's own aggregates
 * (stddev_samp, corr) it says nothing when the value is NULL: with GROUP BY
 * a NOTICE per small group would drown the output.  The messages are
 * logged at DEBUG1; reliability(m) gives them as NOTICEs.
 */
Datum
cronbach_alpha_final(PG_FUNCTION_ARGS)
{
	MomentsState *m;
	dd		   *C;
	int			status,
				k_zero;
	double		alpha;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	m = PG_GETARG_MOMENTS_P(0);
	/* this final function replaces moments_finalfn: its overflow check too */
	if (moments_check(m) < 0)
		moments_overflow_error();
	require_items(m, "cronbach_alpha");
	C = state_centered(m, NULL);
	alpha = rel_alpha(m->k, C, moments_n(m), m->nrows, &status, &k_zero);
	if (!notice_status(m, C, status, dd_to_double(moments_n(m)), alpha,
					   "cronbach_alpha", DEBUG1) || isnan(alpha))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(alpha);
}
