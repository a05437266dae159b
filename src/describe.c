/*
 * describe.c — describe(m) and correlations(m): descriptives and the
 * Pearson correlation matrix of a moments state.
 *
 * Everything is computed from the double-double centered sums and rounded
 * to double only at the end.  Skewness and kurtosis are SPSS's (and
 * e1071's type 2) bias-corrected G1 and G2; with frequency weights N is the
 * sum of weights, as SPSS's WEIGHT BY.
 */
#include "survey_reg.h"

#include <math.h>

#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(describe_state);
PG_FUNCTION_INFO_V1(correlations_state);

/* one describe row per variable of m, appended to the SRF's tuplestore */
void
describe_emit(ReturnSetInfo *rsinfo, const MomentsState *m)
{
	MomentsArrays a;
	dd			n = moments_n(m);
	double		nd = dd_to_double(n);
	bool		summary = (m->flags & MOMENTS_FLAG_SUMMARY) != 0;
	bool		shape = (m->flags & (MOMENTS_FLAG_SUMMARY | MOMENTS_FLAG_NO_SHAPE)) == 0;
	int			i;

	moments_arrays(m, &a);
	for (i = 0; i < m->k; i++)
	{
		Datum		values[8];
		bool		nulls[8] = {false};
		dd			c2,
					c3,
					c4;

		CHECK_FOR_INTERRUPTS();
		moments_central_powers(m, i, &c2, &c3, &c4);
		values[0] = CStringGetTextDatum(moments_name(m, i));
		values[1] = Float8GetDatum(nd);
		nulls[2] = nulls[3] = nulls[4] = nulls[5] = nulls[6] = nulls[7] = true;
		if (m->nrows > 0)
		{
			values[2] = Float8GetDatum(dd_to_double(moments_mean(m, i)));
			nulls[2] = false;
			if (!summary)
			{
				values[4] = Float8GetDatum(a.min[i]);
				values[5] = Float8GetDatum(a.max[i]);
				nulls[4] = nulls[5] = false;
			}
		}
		if (nd > 1)
		{
			dd			var = dd_div(c2, dd_sub(n, dd_from(1.0)));

			values[3] = Float8GetDatum(dd_to_double(dd_sqrt(var)));
			nulls[3] = false;
		}
		if (shape && c2.hi > 0)
		{
			/* g1 = m3 / m2^1.5 and g2 = m4 / m2^2 - 3, population moments */
			dd			m2 = dd_div(c2, n);
			dd			m3 = dd_div(c3, n);
			dd			m4 = dd_div(c4, n);

			if (nd > 2)
			{
				dd			g1 = dd_div(m3, dd_mul(m2, dd_sqrt(m2)));
				double		G1 = dd_to_double(g1) * sqrt(nd * (nd - 1)) / (nd - 2);

				values[6] = Float8GetDatum(G1);
				nulls[6] = false;
			}
			if (nd > 3)
			{
				dd			g2 = dd_sub(dd_div(m4, dd_mul(m2, m2)), dd_from(3.0));
				double		G2 = ((nd + 1) * dd_to_double(g2) + 6) * (nd - 1)
				/ ((nd - 2) * (nd - 3));

				values[7] = Float8GetDatum(G2);
				nulls[7] = false;
			}
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

/* Pearson r of variables i and j, NaN when either has no variance */
static double
pearson_r(const dd *C, int k, int i, int j)
{
	dd			cii = C[i * k + i];
	dd			cjj = C[j * k + j];

	if (i == j)
		return cii.hi > 0 ? 1.0 : NAN;
	if (!(cii.hi > 0) || !(cjj.hi > 0))
		return NAN;
	/* sqrt of each first: the product of two large sums could overflow */
	return dd_to_double(dd_div(C[i * k + j], dd_mul(dd_sqrt(cii), dd_sqrt(cjj))));
}

/* two-sided p of r on N - 2 df, as R's cor.test */
static double
p_from_r(double r, double n)
{
	double		df = n - 2;

	if (isnan(r) || !(df > 0))
		return NAN;
	if (fabs(r) >= 1.0)
		return 0.0;
	return p_from_t(r * sqrt(df / ((1 - r) * (1 + r))), df);
}

void
correlation_emit_row(ReturnSetInfo *rsinfo, const char *v1, const char *v2,
					 double r, double n, bool diagonal)
{
	Datum		values[5];
	bool		nulls[5] = {false};
	double		p = diagonal ? NAN : p_from_r(r, n);

	values[0] = CStringGetTextDatum(v1);
	values[1] = CStringGetTextDatum(v2);
	values[2] = Float8GetDatum(r);
	nulls[2] = isnan(r);
	values[3] = Float8GetDatum(p);
	nulls[3] = isnan(p);
	values[4] = Float8GetDatum(n);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/*
 * r of the two variables of a two-variable state, or 1 (NaN without
 * variance) for a one-variable state: pairwise correlations
 */
double
moments_pair_r(const MomentsState *m)
{
	dd			C[4];

	moments_centered(m, C);
	return pearson_r(C, m->k, 0, m->k - 1);
}

void
correlations_emit(ReturnSetInfo *rsinfo, const MomentsState *m)
{
	int			k = m->k;
	dd		   *C = palloc(sizeof(dd) * k * k);
	double		n = dd_to_double(moments_n(m));
	int			i,
				j;

	moments_centered(m, C);
	for (i = 0; i < k; i++)
	{
		CHECK_FOR_INTERRUPTS();
		for (j = 0; j < k; j++)
			correlation_emit_row(rsinfo, moments_name(m, i), moments_name(m, j),
								 pearson_r(C, k, i, j), n, i == j);
	}
	pfree(C);
}

Datum
describe_state(PG_FUNCTION_ARGS)
{
	MomentsState *m = PG_GETARG_MOMENTS_P(0);

	InitMaterializedSRF(fcinfo, 0);
	describe_emit((ReturnSetInfo *) fcinfo->resultinfo, m);
	return (Datum) 0;
}

Datum
correlations_state(PG_FUNCTION_ARGS)
{
	MomentsState *m = PG_GETARG_MOMENTS_P(0);

	InitMaterializedSRF(fcinfo, 0);
	correlations_emit((ReturnSetInfo *) fcinfo->resultinfo, m);
	return (Datum) 0;
}
