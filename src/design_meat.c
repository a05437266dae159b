/*
 * design_meat.c — the design-based variance of the table-name regressions
 * with the design arguments of API.md section 9: a first-stage finite
 * population correction (fpc), a second stage (cluster2, fpc2) and a
 * domain, as R's svyglm with the survey package's multistage variance
 * (svyrecvar; the same formulas as design_core.c, for score vectors):
 *
 *   V = sum_h f_h n_h/(n_h - 1) sum_i (u_hi - ubar_h)(u_hi - ubar_h)'
 *     + sum_h (n_h/N_h) sum_i f_hi m_hi/(m_hi - 1)
 *                          sum_j (u_hij - ubar_hi)(u_hij - ubar_hi)'
 *
 * u the score totals of PSUs (SSUs), f = 1 - n/N.  One scan: the scores
 * summed per stratum x PSU x SSU (score_sum), ordered so that the units
 * arrive nested.  Rows outside the domain have no score but keep their
 * PSU, as subset() of a design; rows without a score (incomplete or
 * outside the domain) need no design columns.  Each stratum's scaled
 * contribution goes to robust_variance as a stratum of its own, so the
 * sandwich, the design df (PSUs with a complete row - strata) and the Wald
 * tests are robust.c's.  The stream takes any score vector laid out per
 * model (DesignLayout): the OLS scores of scores() and, through
 * design_meat_strata, the logistic ones of logistic_score (logistic.c).
 */
#include "survey_reg.h"
#include "robust.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

bool
design_args_used(const DesignArgs *d)
{
	return d->fpc || d->cluster2 || d->fpc2 || d->domain;
}

/*
 * The stages' columns go together: cluster2 within cluster, fpc2 with
 * cluster2, and two stages with fpc need fpc2 (design_args_check and
 * survey_means).
 */
void
design_stages_check(const char *cluster, const char *cluster2,
					const char *fpc, const char *fpc2)
{
	if (cluster2 && !cluster)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cluster2 needs a cluster column"),
				 errhint("Second-stage units lie within first-stage units: name those with cluster => '...'.")));
	if (fpc2 && !cluster2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fpc2 needs a cluster2 column"),
				 errhint("fpc2 is the second stage's population count: name its units with cluster2 => '...'.")));
	if (cluster2 && fpc && !fpc2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a two-stage design with fpc needs fpc2"),
				 errhint("Name the second stage's population counts with fpc2 => '...', or leave out cluster2 for the one-stage (with replacement at stage one) variance.")));
}

void
design_args_check(text *source, const RobustOptions *o, const DesignArgs *d)
{
	TableRef	t;

	if (!o->robust || o->se != ROBUST_DESIGN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is only used with se => 'design'",
						d->fpc ? "fpc" : d->cluster2 ? "cluster2" : d->fpc2 ? "fpc2" : "domain"),
				 errhint("Design arguments describe a sample design: ask for se => 'design' or weight_type => 'probability'.")));
	design_stages_check(o->cluster, d->cluster2, d->fpc, d->fpc2);
	t = resolve_relation(source);
	if (d->fpc)
		check_column(&t, d->fpc);
	if (d->cluster2)
		check_column(&t, d->cluster2);
	if (d->fpc2)
		check_column(&t, d->fpc2);
	if (d->domain)
	{
		check_column(&t, d->domain);
		if (get_atttype(t.relid, get_attnum(t.relid, d->domain)) != BOOLOID)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("the domain column \"%s\" is not boolean", d->domain),
					 errhint("Pass a boolean column, or an expression in a view: true for the rows in the domain.")));
	}
}

/* scan columns */
enum
{
	DM_S = 0, DM_P, DM_Q, DM_U, DM_F1_NULL, DM_F1_MIN, DM_F1_MAX,
	DM_F2_NULL, DM_F2_MIN, DM_F2_MAX
};

/*
 * The scan of a design variance: per stratum x PSU x SSU the sum of the
 * rows' scores (score: an SQL expression of one row's score vector, NULL
 * for a row without one; the fit is $1), nested in order.
 */
char *
design_scores_sql(const TableRef *t, const char *score, const RobustOptions *o,
				  const DesignArgs *d)
{
	StringInfoData sql;

	initStringInfo(&sql);
	appendStringInfoString(&sql,
						   "SELECT s::pg_catalog.text, p::pg_catalog.text, q::pg_catalog.text, "
						   "survey_reg.score_sum(u), "
						   "pg_catalog.count(*) FILTER (WHERE u IS NOT NULL AND f1 IS NULL), "
						   "pg_catalog.min(f1), pg_catalog.max(f1), "
						   "pg_catalog.count(*) FILTER (WHERE u IS NOT NULL AND f2 IS NULL), "
						   "pg_catalog.min(f2), pg_catalog.max(f2) FROM (SELECT ");
	appendStringInfo(&sql, "%s AS s, ", o->strata ? quote_identifier(o->strata) : "''::pg_catalog.text");
	/* without clusters every row is a PSU */
	appendStringInfo(&sql, "%s AS p, ", o->cluster ? quote_identifier(o->cluster)
					 : "pg_catalog.row_number() OVER ()");
	appendStringInfo(&sql, "%s AS q, ", d->cluster2 ? quote_identifier(d->cluster2) : "''::pg_catalog.text");
	appendStringInfo(&sql, "%s AS f1, ", d->fpc ? psprintf("(%s)::pg_catalog.float8", quote_identifier(d->fpc))
					 : "NULL::pg_catalog.float8");
	appendStringInfo(&sql, "%s AS f2, ", d->fpc2 ? psprintf("(%s)::pg_catalog.float8", quote_identifier(d->fpc2))
					 : "NULL::pg_catalog.float8");
	if (d->domain)
		appendStringInfo(&sql, "CASE WHEN COALESCE((%s)::pg_catalog.bool, false) THEN %s END",
						 quote_identifier(d->domain), score);
	else
		appendStringInfoString(&sql, score);
	appendStringInfo(&sql, " AS u FROM %s) r"
					 " WHERE u IS NOT NULL OR (s IS NOT NULL AND p IS NOT NULL AND q IS NOT NULL)"
					 " GROUP BY s, p, q ORDER BY s, p, q", t->sql_name);
	return sql.data;
}

char *
design_meat_sql(text *source, char **columns, int ncolumns,
				const RobustOptions *o, const DesignArgs *d)
{
	TableRef	t = resolve_relation(source);
	StringInfoData score;

	check_columns(&t, columns, ncolumns);
	initStringInfo(&score);
	appendStringInfoString(&score, "survey_reg.scores($1, ARRAY[");
	append_float8_columns(&score, &t, columns, ncolumns, false);
	appendStringInfoString(&score, "]::pg_catalog.float8[]");
	if (o->weight_col)
		appendStringInfo(&score, ", %s", column_float8_expr(&t, o->weight_col));
	appendStringInfoChar(&score, ')');
	return design_scores_sql(&t, score.data, o, d);
}

char *
design_meat_sql_exprs(text *source, char **vars, int nvars,
					  const RobustOptions *o, const DesignArgs *d)
{
	TableRef	t = resolve_relation(source);
	StringInfoData score;

	initStringInfo(&score);
	append_score_call(&score, &t, vars, nvars, o->weight_col);
	return design_scores_sql(&t, score.data, o, d);
}

/* sums of score vectors over units: S [q], X [nblock] per model's block */
typedef struct VecSums
{
	dd		   *S;
	dd		   *X;
	double		units;
} VecSums;

typedef struct DmStream
{
	const DesignLayout *lay;
	const RobustOptions *o;
	const DesignArgs *d;
	bool		two_stage;
	int			q,
				nb;
	int		   *pair_a,			/* [nb] the score elements a <= b of */
			   *pair_b;			/* each packed cross-product */
	char	   *s,
			   *p,
			   *qq;
	double		n_h,
				m_hi;
	bool		f1_have,
				f2_have;
	double		f1_min,
				f1_max,
				f2_min,
				f2_max;
	dd		   *U;				/* the SSU's total */
	bool		u_in;
	dd		   *P;				/* the PSU's total */
	bool		p_in;
	VecSums		in_psu,
				in_stratum;
	dd		   *stage2_h;		/* [nb] the stratum's second stage */
	bool		stage2_nan;
	/* per stratum with a complete row */
	int			nstrata,
				cap;
	dd		  **stage1,
			  **stage2;
	bool	   *left_out;		/* lonely = average */
	double	   *units;
	int			lonely_strata;	/* strata with one PSU (for the NOTICE) */
} DmStream;

static void
vs_init(VecSums *v, int q, int nb)
{
	v->S = palloc0(sizeof(dd) * (q > 0 ? q : 1));
	v->X = palloc0(sizeof(dd) * (nb > 0 ? nb : 1));
	v->units = 0;
}

static void
vs_reset(VecSums *v, int q, int nb)
{
	int			i;

	for (i = 0; i < q; i++)
		v->S[i] = dd_from(0.0);
	for (i = 0; i < nb; i++)
		v->X[i] = dd_from(0.0);
	v->units = 0;
}

/*
 * The score elements of each packed cross-product k (pair_a[k] <= pair_b[k],
 * within one model's block): one walk of lay's triangles, for vs_add and
 * vs_onestrat.
 */
static void
dm_pairs(DmStream *st)
{
	int			j;

	st->pair_a = palloc(sizeof(int) * (st->nb > 0 ? st->nb : 1));
	st->pair_b = palloc(sizeof(int) * (st->nb > 0 ? st->nb : 1));
	for (j = 0; j < st->lay->nmodels; j++)
	{
		int			p = st->lay->p[j],
					off = st->lay->offset[j],
					s,
					t,
					k = st->lay->block_offset[j];

		for (s = 0; s < p; s++)
			for (t = s; t < p; t++, k++)
			{
				st->pair_a[k] = off + s;
				st->pair_b[k] = off + t;
			}
		/* the blocks lie end to end: every k up to nb is set */
		Assert(k == (j + 1 < st->lay->nmodels ? st->lay->block_offset[j + 1] : st->nb));
	}
}

static void
vs_add(const DmStream *st, VecSums *v, const dd *u)
{
	int			j,
				k;

	for (j = 0; j < st->q; j++)
		v->S[j] = dd_add(v->S[j], u[j]);
	for (k = 0; k < st->nb; k++)
		v->X[k] = dd_add(v->X[k], dd_mul(u[st->pair_a[k]], u[st->pair_b[k]]));
	v->units += 1;
}

/*
 * R's onestrat of n units (zero-padded): into out (+=) f n/(n-1) times the
 * centered cross-products, or per lonely for n = 1.  False: left out
 * (average).
 */
static bool
vs_onestrat(const DmStream *st, const VecSums *v, double n, double f,
			dd *out, bool *lonely_fail)
{
	dd			scale;
	bool		center = true;
	int			k;

	*lonely_fail = false;
	if (f < 1e-7)
		return true;
	if (n > 1.0)
		scale = dd_div(dd_mul_d(dd_from(n), f), dd_from(n - 1.0));
	else
	{
		switch (st->o->lonely)
		{
			case ROBUST_LONELY_FAIL:
				*lonely_fail = true;
				return true;
			case ROBUST_LONELY_REMOVE:
			case ROBUST_LONELY_CERTAINTY:
				return true;
			case ROBUST_LONELY_ADJUST:
				center = false;
				break;
			case ROBUST_LONELY_AVERAGE:
				return false;
		}
		scale = dd_from(f);
	}
	for (k = 0; k < st->nb; k++)
	{
		dd			c = v->X[k];

		if (center)
			c = dd_sub(c, dd_div(dd_mul(v->S[st->pair_a[k]], v->S[st->pair_b[k]]),
								 dd_from(n)));
		out[k] = dd_add(out[k], dd_mul(scale, c));
	}
	return true;
}

static void
dm_null_error(const char *role, const char *col)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("the %s column \"%s\" is NULL in a row that the regression uses", role, col),
			 errdetail("Every complete row (in the domain) needs its design columns, as R's svydesign."),
			 errhint("Leave such rows out of the domain, or out of the relation with a view or a WHERE clause.")));
}

static void
dm_end_ssu(DmStream *st)
{
	int			j;

	if (!st->u_in)
		return;
	vs_add(st, &st->in_psu, st->U);
	for (j = 0; j < st->q; j++)
	{
		st->P[j] = dd_add(st->P[j], st->U[j]);
		st->U[j] = dd_from(0.0);
	}
	st->p_in = true;
	st->u_in = false;
}

static void
dm_end_psu(DmStream *st)
{
	int			j;

	dm_end_ssu(st);
	if (st->p_in)
	{
		if (st->two_stage)
		{
			double		f2,
						frac;
			bool		fail;

			fpc_fraction(st->f2_have, st->f2_min, st->f2_max, st->m_hi, st->d->fpc2,
				   psprintf("PSU \"%s\"", st->p), &f2, &frac);
			if (!vs_onestrat(st, &st->in_psu, st->m_hi, f2, st->stage2_h, &fail))
				st->stage2_nan = true;
			if (fail)
				design_lonely_error(st->s, st->p);
		}
		vs_add(st, &st->in_stratum, st->P);
		for (j = 0; j < st->q; j++)
			st->P[j] = dd_from(0.0);
	}
	st->p_in = false;
	vs_reset(&st->in_psu, st->q, st->nb);
	st->m_hi = 0;
	st->f2_have = false;
}

static void
dm_end_stratum(DmStream *st)
{
	int			i;

	dm_end_psu(st);
	if (st->in_stratum.units > 0)
	{
		double		f1,
					frac;
		bool		fail;
		int			h = st->nstrata++;

		if (h == st->cap)
		{
			st->cap = st->cap ? 2 * st->cap : 16;
			st->stage1 = st->stage1 ? repalloc(st->stage1, sizeof(dd *) * st->cap) : palloc(sizeof(dd *) * st->cap);
			st->stage2 = st->stage2 ? repalloc(st->stage2, sizeof(dd *) * st->cap) : palloc(sizeof(dd *) * st->cap);
			st->left_out = st->left_out ? repalloc(st->left_out, sizeof(bool) * st->cap) : palloc(sizeof(bool) * st->cap);
			st->units = st->units ? repalloc(st->units, sizeof(double) * st->cap) : palloc(sizeof(double) * st->cap);
		}
		fpc_fraction(st->f1_have, st->f1_min, st->f1_max, st->n_h, st->d->fpc,
			   psprintf("stratum \"%s\"", st->s), &f1, &frac);
		st->stage1[h] = palloc0(sizeof(dd) * (st->nb > 0 ? st->nb : 1));
		st->stage2[h] = palloc0(sizeof(dd) * (st->nb > 0 ? st->nb : 1));
		st->left_out[h] = !vs_onestrat(st, &st->in_stratum, st->n_h, f1,
									   st->stage1[h], &fail);
		if (fail)
			design_lonely_error(st->s, NULL);
		if (st->n_h < 2)
			st->lonely_strata++;
		/* the second stage, times the first stage's sampling fraction */
		for (i = 0; i < st->nb; i++)
			st->stage2[h][i] = dd_mul_d(st->stage2_h[i], frac);
		st->units[h] = st->in_stratum.units;
	}
	vs_reset(&st->in_stratum, st->q, st->nb);
	for (i = 0; i < st->nb; i++)
		st->stage2_h[i] = dd_from(0.0);
	st->n_h = 0;
	st->f1_have = false;
}

/*
 * Run a design_scores_sql scan (fit: its $1) and give each stratum with a
 * complete row as robust_variance's stratum of 2 units, sums 0 and cross
 * products C/2, C its scaled variance contribution in lay's packed blocks.
 */
RobustStratum *
design_meat_strata(const char *sql, const RobustOptions *o, const DesignArgs *d,
				   const DesignLayout *lay, ArrayType *fit, Snapshot snapshot,
				   int *nstrata)
{
	Oid			argtypes[1] = {FLOAT8ARRAYOID};
	Datum		values[1];
	DmStream	st;
	MemoryContext outer = CurrentMemoryContext;
	RobustStratum *strata;
	dd		   *zeros;
	double		avg = 1.0;
	int			nleft = 0,
				h,
				i;
	uint64		r;
	bool		started = false;

	memset(&st, 0, sizeof(st));
	st.lay = lay;
	st.o = o;
	st.d = d;
	st.q = lay->q;
	st.nb = lay->nb;
	dm_pairs(&st);
	st.two_stage = d->cluster2 != NULL && d->fpc != NULL;
	st.U = palloc0(sizeof(dd) * (st.q > 0 ? st.q : 1));
	st.P = palloc0(sizeof(dd) * (st.q > 0 ? st.q : 1));
	st.stage2_h = palloc0(sizeof(dd) * (st.nb > 0 ? st.nb : 1));
	vs_init(&st.in_psu, st.q, st.nb);
	vs_init(&st.in_stratum, st.q, st.nb);

	values[0] = PointerGetDatum(fit);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (table_query(sql, 1, argtypes, values, snapshot) != SPI_OK_SELECT)
		elog(ERROR, "survey_reg design scan failed");
	for (r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tup = SPI_tuptable->vals[r];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		MemoryContext old = MemoryContextSwitchTo(outer);
		char	   *s = design_text(tup, desc, DM_S),
				   *p = design_text(tup, desc, DM_P),
				   *qq = design_text(tup, desc, DM_Q);
		bool		isnull,
					n1,
					n2;
		Datum		ud = SPI_getbinval(tup, desc, DM_U + 1, &isnull);
		ArrayType  *ua = isnull ? NULL : DatumGetArrayTypeP(ud);
		double		a,
					b;

		CHECK_FOR_INTERRUPTS();
		if (ua)
		{
			if (s == NULL)
				dm_null_error("strata", o->strata);
			if (p == NULL)
				dm_null_error("cluster", o->cluster);
			if (qq == NULL)
				dm_null_error("cluster2", d->cluster2);
			if (d->fpc && DatumGetInt64(SPI_getbinval(tup, desc, DM_F1_NULL + 1, &n1)) > 0)
				dm_null_error("fpc", d->fpc);
			if (st.two_stage && DatumGetInt64(SPI_getbinval(tup, desc, DM_F2_NULL + 1, &n1)) > 0)
				dm_null_error("fpc2", d->fpc2);
			if (ARR_NDIM(ua) != 1 || ARR_DIMS(ua)[0] != st.q || ARR_HASNULL(ua))
				elog(ERROR, "survey_reg design scan: a score sum of the wrong shape");
		}
		if (!started || !design_same(s, st.s))
		{
			if (started)
				dm_end_stratum(&st);
			st.s = s;
			st.p = st.qq = NULL;
			started = true;
		}
		if (!design_same(p, st.p))
		{
			if (st.p)
				dm_end_psu(&st);
			st.p = p;
			st.qq = NULL;
			st.n_h += 1;
		}
		if (!design_same(qq, st.qq))
		{
			if (st.qq)
				dm_end_ssu(&st);
			st.qq = qq;
			st.m_hi += 1;
		}
		a = DatumGetFloat8(SPI_getbinval(tup, desc, DM_F1_MIN + 1, &n1));
		b = DatumGetFloat8(SPI_getbinval(tup, desc, DM_F1_MAX + 1, &n2));
		if (!n1 && !n2)
			design_minmax(&st.f1_have, &st.f1_min, &st.f1_max, a, b);
		a = DatumGetFloat8(SPI_getbinval(tup, desc, DM_F2_MIN + 1, &n1));
		b = DatumGetFloat8(SPI_getbinval(tup, desc, DM_F2_MAX + 1, &n2));
		if (!n1 && !n2)
			design_minmax(&st.f2_have, &st.f2_min, &st.f2_max, a, b);
		if (ua)
		{
			const double *u = (const double *) ARR_DATA_PTR(ua);

			for (i = 0; i < st.q; i++)
				st.U[i] = dd_add_d(st.U[i], u[i]);
			st.u_in = true;
		}
		MemoryContextSwitchTo(old);
	}
	if (started)
		dm_end_stratum(&st);
	SPI_finish();

	/* R's onestage: strata left out (average) scale the rest by nstrat / nokstrat */
	for (h = 0; h < st.nstrata; h++)
		nleft += st.left_out[h] ? 1 : 0;
	if (nleft > 0)
		avg = st.nstrata > nleft ? (double) st.nstrata / (st.nstrata - nleft) : NAN;

	/* each stratum as robust_variance's: 2 units, sum 0, cross C/2 */
	strata = palloc(sizeof(RobustStratum) * (st.nstrata > 0 ? st.nstrata : 1));
	zeros = palloc0(sizeof(dd) * (st.q > 0 ? st.q : 1));
	for (h = 0; h < st.nstrata; h++)
	{
		dd		   *c = palloc(sizeof(dd) * (st.nb > 0 ? st.nb : 1));

		for (i = 0; i < st.nb; i++)
		{
			/* every stratum left out: R's 0 * nstrat / 0, NaN */
			dd			v = st.left_out[h] ? dd_from(isnan(avg) ? NAN : 0.0)
				: dd_mul_d(st.stage1[h][i], avg);

			v = dd_add(v, st.stage2[h][i]);
			if (st.stage2_nan)
				v = dd_from(NAN);
			c[i] = dd_mul_d(v, 0.5);
		}
		strata[h].n_units = 2;
		strata[h].n_nonnull = st.units[h];
		strata[h].sum = zeros;
		strata[h].cross = c;
	}
	/* the strata are pre-scaled pairs, which have no lonely one: counted here */
	robust_lonely_notice(st.lonely_strata, o->lonely, isnan(avg));
	*nstrata = st.nstrata;
	return strata;
}

/* the regressions' design variance (regression.c) */
RobustResult *
design_meat_result(const char *sql, const RobustOptions *o, const DesignArgs *d,
				   const MomentsState *m, const RobustFit *fit,
				   Snapshot snapshot)
{
	DesignLayout lay;
	RobustStratum *strata;
	int			nstrata,
				j;

	lay.nmodels = fit->nmodels;
	lay.q = fit->q;
	lay.nb = fit->nblock;
	lay.p = palloc(sizeof(int) * (fit->nmodels + 1));
	lay.offset = palloc(sizeof(int) * (fit->nmodels + 1));
	lay.block_offset = palloc(sizeof(int) * (fit->nmodels + 1));
	for (j = 0; j < fit->nmodels; j++)
	{
		lay.p[j] = fit->models[j].p;
		lay.offset[j] = fit->models[j].offset;
		lay.block_offset[j] = fit->models[j].block_offset;
	}
	strata = design_meat_strata(sql, o, d, &lay, robust_fit_array(fit),
								snapshot, &nstrata);
	return robust_result_strata(m, fit, strata, nstrata, o->lonely, NULL);
}
