/*
 * regression.c — coefficients(...) and model_summary(...): hierarchical
 * (blockwise) OLS of a moments state or of a table, the PostgreSQL side of
 * core/ols_core.c.
 *
 * Every form goes the same way:
 *
 *   1. reg_parse_spec: the dependent, the blocks (each a comma-separated list
 *      of names) and intercept become a RegSpec; empty blocks or names, the
 *      dependent among the predictors and duplicated predictors are errors;
 *   2. the state: the argument (state forms), or one scan of the relation
 *      over the dependent and every predictor of every block (table forms,
 *      table_moments), so that all models use the same listwise rows;
 *   3. reg_fit: names resolved in the state (unknown names are errors),
 *      too few rows is an error, the nested models are fitted in one pass
 *      and an aliased predictor gets a NOTICE (and NULL estimates);
 *   4. an emitter writes the rows: NaN from the core becomes NULL, p-values
 *      and the 95% interval come from R's math library (pt, pf, qt).
 *
 * The table-name forms read their arguments into a RegTableArgs.  The
 * trailing inference options (se, cluster, strata, weight_type,
 * lonely_psu) choose between the classical path above, one scan and
 * unchanged, and the robust path of robust.c: after the fit, a second scan
 * accumulates the sandwich's meat (scores of every model, per cluster and
 * stratum where asked), and the emitters take the standard errors, the
 * degrees of freedom of t and the Wald F tests from it.  The same robust
 * variances are available from a state and an aggregated meat
 * (robust_coefficients(m, dependent, blocks, meat)), and robust_fit the fit
 * that the meat aggregate needs.
 */
#include "survey_reg.h"

#include <math.h>

#include "funcapi.h"
#include "lib/stringinfo.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/snapmgr.h"
#include "utils/tuplestore.h"

#include "model_terms.h"
#include "ols_core.h"
#include "rmath_loader.h"
#include "robust.h"

PG_FUNCTION_INFO_V1(coefficients_state);
PG_FUNCTION_INFO_V1(model_summary_state);
PG_FUNCTION_INFO_V1(coefficients_table);
PG_FUNCTION_INFO_V1(model_summary_table);
PG_FUNCTION_INFO_V1(coefficients_meat);
PG_FUNCTION_INFO_V1(model_summary_meat);
PG_FUNCTION_INFO_V1(robust_fit_sql);

#define INTERCEPT_TERM	"(Intercept)"
#define CI_LEVEL		0.95

/* the model to fit, by name */
typedef struct RegSpec
{
	char	   *dependent;
	char	  **preds;			/* every predictor, in entry order */
	int			npreds;
	int		   *block_ends;		/* block j is preds[block_ends[j-1] ..
								 * block_ends[j] - 1] */
	int			nblocks;
	bool		intercept;
} RegSpec;

/* a fitted design: the state it came from and the core's result */
typedef struct RegFit
{
	const MomentsState *m;
	const RegSpec *spec;
	OlsFit	   *fit;
	int			dep;			/* index of the dependent in m */
	int		   *preds;			/* indices of the predictors in m */
	/* robust variances (NULL: classical) */
	const RobustFit *rfit;
	const RobustResult *robust;
} RegFit;

/*
 * Arguments of the table-name forms:
 *   (source text, dependent text, blocks text[], weight text DEFAULT NULL,
 *    intercept bool DEFAULT true, se text DEFAULT 'classical',
 *    cluster text DEFAULT NULL, strata text DEFAULT NULL,
 *    weight_type text DEFAULT 'frequency', lonely_psu text DEFAULT 'fail')
 * A NULL option means its default.
 */
typedef struct RegTableArgs
{
	text	   *source;
	char	   *dependent;
	ArrayType  *blocks;
	char	   *weight;			/* NULL: unweighted */
	bool		intercept;
	char	   *se;				/* NULL: classical */
	char	   *cluster;
	char	   *strata;
	char	   *weight_type;	/* NULL: frequency */
	char	   *lonely_psu;		/* NULL: fail */
	DesignArgs	design;			/* fpc, cluster2, fpc2, domain */
} RegTableArgs;

enum
{
	TABLE_ARG_SOURCE = 0,
	TABLE_ARG_DEPENDENT,
	TABLE_ARG_BLOCKS,
	TABLE_ARG_WEIGHT,
	TABLE_ARG_INTERCEPT,
	TABLE_ARG_SE,
	TABLE_ARG_CLUSTER,
	TABLE_ARG_STRATA,
	TABLE_ARG_WEIGHT_TYPE,
	TABLE_ARG_LONELY_PSU,
	TABLE_ARG_FPC,
	TABLE_ARG_CLUSTER2,
	TABLE_ARG_FPC2,
	TABLE_ARG_DOMAIN
};

/* ---------------------------------------------------------------- */
/* arguments                                                         */
/* ---------------------------------------------------------------- */

/*
 * The dependent and blocks arguments as a RegSpec.  Each element of blocks
 * is a comma-separated list of names; blanks around a name are dropped and
 * names are otherwise kept exactly (they are matched exactly).
 */
static void reg_check_spec(const RegSpec *spec);

static RegSpec *
reg_parse_spec(const char *dependent, ArrayType *blocks_arr, bool intercept)
{
	RegSpec    *spec = palloc0(sizeof(RegSpec));
	char	  **blocks;
	int			nblocks,
				cap,
				i;

	spec->dependent = pstrdup(dependent);
	spec->intercept = intercept;
	blocks = regression_blocks_arg(spec->dependent, blocks_arr, &nblocks);

	cap = 8;
	spec->preds = palloc(sizeof(char *) * cap);
	spec->block_ends = palloc(sizeof(int) * nblocks);
	spec->nblocks = nblocks;
	for (i = 0; i < nblocks; i++)
	{
		const char *s = blocks[i];
		char	   *whole = trimmed_copy(s, strlen(s));

		if (whole[0] == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("block %d is empty", i + 1),
					 errdetail("Each element of blocks must name at least one predictor.")));
		for (;;)
		{
			const char *comma = strchr(s, ',');
			int			len = comma ? (int) (comma - s) : (int) strlen(s);
			char	   *name = trimmed_copy(s, len);

			if (name[0] == '\0')
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("block %d has an empty variable name", i + 1),
						 errdetail("The block is \"%s\".", blocks[i]),
						 errhint("Separate the names of a block with single commas.")));
			if (spec->npreds == cap)
			{
				cap *= 2;
				spec->preds = repalloc(spec->preds, sizeof(char *) * cap);
			}
			spec->preds[spec->npreds++] = name;
			if (!comma)
				break;
			s = comma + 1;
		}
		spec->block_ends[i] = spec->npreds;
	}

	reg_check_spec(spec);
	return spec;
}

/* the dependent is no predictor, no predictor is named twice */
static void
reg_check_spec(const RegSpec *spec)
{
	int			i,
				j;

	for (i = 0; i < spec->npreds; i++)
	{
		if (strcmp(spec->preds[i], spec->dependent) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the dependent variable \"%s\" is also a predictor",
							spec->dependent)));
		for (j = 0; j < i; j++)
			if (strcmp(spec->preds[i], spec->preds[j]) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("predictor \"%s\" is named more than once",
								spec->preds[i]),
						 errdetail("A predictor may appear in one block only, once.")));
	}
}

/* the spec of the model columns of terms (model_terms.c), after the scan */
static RegSpec *
reg_spec_of_terms(const ModelTerms *mt, bool intercept)
{
	RegSpec    *spec = palloc0(sizeof(RegSpec));

	spec->dependent = mt->names[0];
	spec->preds = mt->names + 1;
	spec->npreds = mt->ncolumns - 1;
	spec->block_ends = mt->block_ends;
	spec->nblocks = mt->nblocks;
	spec->intercept = intercept;
	reg_check_spec(spec);
	return spec;
}

/*
 * The table-name forms' arguments; false when a required one is NULL (the
 * result is then empty, as for the STRICT state forms).
 */
static bool
reg_table_args(FunctionCallInfo fcinfo, RegTableArgs *args)
{
	if (PG_ARGISNULL(TABLE_ARG_SOURCE) || PG_ARGISNULL(TABLE_ARG_DEPENDENT)
		|| PG_ARGISNULL(TABLE_ARG_BLOCKS)
		|| (PG_NARGS() > TABLE_ARG_INTERCEPT && PG_ARGISNULL(TABLE_ARG_INTERCEPT)))
		return false;
	args->source = PG_GETARG_TEXT_PP(TABLE_ARG_SOURCE);
	args->dependent = text_to_cstring(PG_GETARG_TEXT_PP(TABLE_ARG_DEPENDENT));
	args->blocks = PG_GETARG_ARRAYTYPE_P(TABLE_ARG_BLOCKS);
	args->weight = optional_text_arg(fcinfo, TABLE_ARG_WEIGHT);
	args->intercept = PG_NARGS() > TABLE_ARG_INTERCEPT
		? PG_GETARG_BOOL(TABLE_ARG_INTERCEPT) : true;
	args->se = optional_text_arg(fcinfo, TABLE_ARG_SE);
	args->cluster = optional_text_arg(fcinfo, TABLE_ARG_CLUSTER);
	args->strata = optional_text_arg(fcinfo, TABLE_ARG_STRATA);
	args->weight_type = optional_text_arg(fcinfo, TABLE_ARG_WEIGHT_TYPE);
	args->lonely_psu = optional_text_arg(fcinfo, TABLE_ARG_LONELY_PSU);
	args->design.fpc = optional_text_arg(fcinfo, TABLE_ARG_FPC);
	args->design.cluster2 = optional_text_arg(fcinfo, TABLE_ARG_CLUSTER2);
	args->design.fpc2 = optional_text_arg(fcinfo, TABLE_ARG_FPC2);
	args->design.domain = optional_text_arg(fcinfo, TABLE_ARG_DOMAIN);
	return true;
}

/* ---------------------------------------------------------------- */
/* fitting                                                           */
/* ---------------------------------------------------------------- */

static void
reg_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

/* index of name in m, or an error that says which name and what there is */
static int
reg_find(const MomentsState *m, const char *name, const char *role)
{
	StringInfoData list;
	const char *similar = NULL;
	int			i = moments_find(m, name);

	if (i >= 0)
		return i;
	initStringInfo(&list);
	for (i = 0; i < m->k; i++)
	{
		if (similar == NULL && pg_strcasecmp(moments_name(m, i), name) == 0)
			similar = moments_name(m, i);
		if (i < 20)
			appendStringInfo(&list, "%s\"%s\"", i > 0 ? ", " : "",
							 moments_name(m, i));
	}
	if (m->k > 20)
		appendStringInfo(&list, " and %d more", m->k - 20);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s \"%s\" is not a variable of the moments state",
					role, name),
			 errdetail("The state's variables are %s.", list.data),
			 similar ? errhint("Names are matched exactly; the state has \"%s\".",
							   similar) : 0));
	return -1;					/* not reached */
}

/* NOTICE for a predictor found aliased when it entered model first */
static void
notice_aliased(const RegFit *rf, const OlsTerm *term, int first, int pos)
{
	const RegSpec *spec = rf->spec;
	int			last = spec->nblocks;
	char	   *models = first == last ? psprintf("model %d", first)
		: psprintf("models %d %s %d", first, last == first + 1 ? "and" : "to",
				   last);
	dd			c2,
				c3,
				c4;

	moments_central_powers(rf->m, term->var, &c2, &c3, &c4);
	if (spec->intercept && !(c2.hi > 0.0))
		ereport(NOTICE,
				(errmsg("predictor \"%s\" is aliased in %s, its estimates are NULL",
						spec->preds[pos], models),
				 errdetail("It is constant on the complete rows, so it is a multiple of the intercept.")));
	else if (!spec->intercept && pos == 0)
		ereport(NOTICE,
				(errmsg("predictor \"%s\" is aliased in %s, its estimates are NULL",
						spec->preds[pos], models),
				 errdetail("It is zero on every complete row.")));
	else
		ereport(NOTICE,
				(errmsg("predictor \"%s\" is aliased in %s, its estimates are NULL",
						spec->preds[pos], models),
				 errdetail("It is a linear combination of %s entered before it: its residual sum of squares on them is at most %g of its sum of squares.",
						   spec->intercept ? "the intercept and the predictors"
						   : "the predictors",
						   OLS_ALIAS_TOL),
				 errhint("As R's lm reports NA, the predictor is left out of %s; the other estimates are unaffected.",
						 first == last ? "the model" : "these models")));
}

/*
 * Fit the nested models of spec on m.  Unknown names and too few rows are
 * errors; aliased predictors and models without residual df get NOTICEs.
 */
static RegFit *
reg_fit(const MomentsState *m, const RegSpec *spec)
{
	RegFit	   *rf = palloc0(sizeof(RegFit));
	int		   *preds = palloc(sizeof(int) * (spec->npreds > 0 ? spec->npreds : 1));
	int			dep,
				i,
				blk,
				bad;
	int			nparams = spec->npreds + (spec->intercept ? 1 : 0);
	double		n;
	OlsStatus	status;
	const OlsModel *last;

	rf->m = m;
	rf->spec = spec;

	/* (the table forms have checked the columns already) */
	dep = reg_find(m, spec->dependent, "dependent variable");
	for (i = 0; i < spec->npreds; i++)
		preds[i] = reg_find(m, spec->preds[i], "predictor");
	rf->dep = dep;
	rf->preds = preds;

	n = dd_to_double(moments_n(m));
	if (!(n >= nparams))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("too few rows for the regression"),
				 errdetail("N is %g (the sum of weights of the complete rows), but model %d has %d parameters, so at least %d are needed.",
						   n, spec->nblocks, nparams, nparams)));

	ols_interrupt_hook = reg_check_interrupts;
	rf->fit = ols_fit_blocks(m, dep, preds, spec->npreds, spec->block_ends,
							 spec->nblocks, spec->intercept, 0.0,
							 palloc, pfree, &status, &bad);
	if (rf->fit == NULL)
		elog(ERROR, "hierarchical OLS failed: %s", ols_status_message(status));

	/* aliased predictors: one NOTICE each, from the model they enter */
	last = &rf->fit->models[rf->fit->nmodels - 1];
	blk = 0;
	for (i = 0; i < spec->npreds; i++)
	{
		const OlsTerm *term = &last->terms[i + (spec->intercept ? 1 : 0)];

		while (i >= spec->block_ends[blk])
			blk++;
		if (term->aliased)
			notice_aliased(rf, term, blk + 1, i);
	}
	for (i = 0; i < rf->fit->nmodels; i++)
		if (!(rf->fit->models[i].df_resid > 0.0))
		{
			ereport(NOTICE,
					(errmsg("model %d has no residual degrees of freedom, its standard errors and tests are NULL",
							i + 1),
					 errdetail("N is %g and the model has %d estimated parameters.",
							   rf->fit->models[i].n, rf->fit->models[i].p)));
			break;
		}
	return rf;
}

/* the robust fit of rf's models */
static RobustFit *
reg_robust_fit(const RegFit *rf, RobustSe se, RobustWeight weight)
{
	return robust_fit_pg(rf->m, rf->dep, rf->preds, rf->spec->npreds,
						 rf->spec->block_ends, rf->spec->nblocks,
						 rf->spec->intercept, rf->fit, se, weight);
}

/* ---------------------------------------------------------------- */
/* output                                                            */
/* ---------------------------------------------------------------- */

/* the robust SE of each term of model j, in OlsModel order (aliased NaN) */
static double *
robust_term_se(const RegFit *rf, int j)
{
	const OlsModel *mod = &rf->fit->models[j];
	const RobustFitModel *fm = &rf->rfit->models[j];
	double	   *se = palloc(sizeof(double) * (mod->nterms > 0 ? mod->nterms : 1));
	int			i;

	for (i = 0; i < mod->nterms; i++)
		se[i] = NAN;
	for (i = 0; i < fm->p; i++)
		se[fm->term[i]] = rf->robust->models[j].se[i];
	return se;
}

static void
put_float(Datum *values, bool *nulls, int col, double v)
{
	values[col] = Float8GetDatum(v);
	nulls[col] = isnan(v);
}

/* upper tail of F, as R's pf(f, df1, df2, lower.tail = FALSE) */
static double
p_from_f(double f, double df1, double df2)
{
	if (isnan(f) || !(df1 > 0) || !(df2 > 0))
		return NAN;
	/*
	 * Huge frequency weights give a huge df2, where pf's incomplete beta
	 * does not converge (libRmath prints "bgrat ... no convergence"); there
	 * F is chi-square / df1 to within 1 / df2, below double precision.
	 */
	if (df2 > 1e18)
		return rmath_pchisq(f * df1, df1, 0, 0);
	return rmath_pf(f, df1, df2, 0, 0);
}

/*
 * coefficients rows: model, term, b, se, beta, t, p, ci_lower, ci_upper,
 * tolerance, vif
 */
static void
coefficients_emit(ReturnSetInfo *rsinfo, const RegFit *rf)
{
	int			j,
				i;

	for (j = 0; j < rf->fit->nmodels; j++)
	{
		const OlsModel *mod = &rf->fit->models[j];
		double	   *rse = rf->robust ? robust_term_se(rf, j) : NULL;
		double		df = rf->robust ? rf->robust->models[j].df : mod->df_resid;
		double		q = df > 0 ? rmath_qt(0.5 + CI_LEVEL / 2, df, 1, 0) : NAN;

		for (i = 0; i < mod->nterms; i++)
		{
			const OlsTerm *term = &mod->terms[i];
			Datum		values[11];
			bool		nulls[11] = {false};
			double		se = rse ? rse[i] : term->se;
			double		t = rse ? term->b / se : term->t;

			CHECK_FOR_INTERRUPTS();
			values[0] = Int32GetDatum(j + 1);
			values[1] = CStringGetTextDatum(term->var < 0 ? INTERCEPT_TERM
											: moments_name(rf->m, term->var));
			put_float(values, nulls, 2, term->b);
			put_float(values, nulls, 3, se);
			put_float(values, nulls, 4, term->beta);
			put_float(values, nulls, 5, t);
			put_float(values, nulls, 6, p_from_t(t, df));
			put_float(values, nulls, 7, term->b - q * se);
			put_float(values, nulls, 8, term->b + q * se);
			put_float(values, nulls, 9, term->tolerance);
			put_float(values, nulls, 10, term->vif);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc,
								 values, nulls);
		}
	}
}

/*
 * model_summary rows: model, n, predictors, r, r2, adj_r2, se_estimate, f,
 * df1, df2, p, r2_change, f_change, df1_change, df2_change, p_change
 */
static void
model_summary_emit(ReturnSetInfo *rsinfo, const RegFit *rf)
{
	int			j;

	for (j = 0; j < rf->fit->nmodels; j++)
	{
		const OlsModel *mod = &rf->fit->models[j];
		Datum		values[16];
		bool		nulls[16] = {false};
		double		f = mod->f;
		double		f_change = mod->f_change;
		double		n = mod->n,
					adj_r2 = mod->adj_r2,
					resid_sd = mod->resid_sd,
					df2 = mod->df_resid,
					df2_change = mod->df2_change;

		if (rf->robust)
		{
			/*
			 * Robust: Wald F tests with the robust variance, on the df of
			 * its t.  With sampling weights n is the number of rows, and
			 * the adjusted R^2 and the SE of the estimate, which rest on
			 * the residual df of a sample of independent rows, are NULL
			 * (design-based, too; as Stata's svy: regress, which reports R^2
			 * only).
			 */
			const RobustModelResult *rm = &rf->robust->models[j];
			bool		prob = rf->rfit->weight == ROBUST_W_PROBABILITY;

			if (prob)
				n = (double) rf->m->nrows;
			if (prob || rf->rfit->se == ROBUST_DESIGN)
				adj_r2 = resid_sd = NAN;
			f = rm->f;
			f_change = rm->f_change;
			df2 = df2_change = rm->df;
		}
		else if (mod->rss == 0.0 && mod->df_resid > 0.0)
		{
			/*
			 * An exact fit (residual SS 0 with residual df left): the core's
			 * x / 0 is NaN, but F is infinite, as NIST certifies for
			 * Wampler1 and as the coefficients' t are; 0 / 0 stays NULL.
			 */
			if (isnan(f) && mod->df1 > 0 && mod->r2 > 0.0)
				f = INFINITY;
			if (isnan(f_change) && mod->df1_change > 0 && mod->r2_change > 0.0)
				f_change = INFINITY;
		}

		values[0] = Int32GetDatum(j + 1);
		put_float(values, nulls, 1, n);
		values[2] = Int32GetDatum(mod->npredictors);
		put_float(values, nulls, 3, mod->r);
		put_float(values, nulls, 4, mod->r2);
		put_float(values, nulls, 5, adj_r2);
		put_float(values, nulls, 6, resid_sd);
		put_float(values, nulls, 7, f);
		values[8] = Int32GetDatum(mod->df1);
		put_float(values, nulls, 9, df2);
		put_float(values, nulls, 10, p_from_f(f, mod->df1, df2));
		put_float(values, nulls, 11, mod->r2_change);
		put_float(values, nulls, 12, f_change);
		values[13] = Int32GetDatum(mod->df1_change);
		put_float(values, nulls, 14, df2_change);
		put_float(values, nulls, 15, p_from_f(f_change, mod->df1_change,
											  df2_change));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
}

typedef void (*reg_emit_fn) (ReturnSetInfo *rsinfo, const RegFit *rf);

/* (m moments, dependent text, blocks text[], intercept bool DEFAULT true) */
static Datum
reg_state(FunctionCallInfo fcinfo, reg_emit_fn emit)
{
	MomentsState *m = PG_GETARG_MOMENTS_P(0);
	char	   *dependent = text_to_cstring(PG_GETARG_TEXT_PP(1));
	bool		intercept = PG_NARGS() > 3 ? PG_GETARG_BOOL(3) : true;
	RegSpec    *spec = reg_parse_spec(dependent, PG_GETARG_ARRAYTYPE_P(2),
									  intercept);
	RegFit	   *rf;

	InitMaterializedSRF(fcinfo, 0);
	rf = reg_fit(m, spec);
	emit((ReturnSetInfo *) fcinfo->resultinfo, rf);
	return (Datum) 0;
}

/*
 * Table-name forms with model terms: one grouped scan finds the factors'
 * levels and gives the state over the model's columns (model_terms.c); a
 * robust se scans again with each column's expression, reading the same
 * snapshot.
 */
static Datum
reg_table_terms(FunctionCallInfo fcinfo, reg_emit_fn emit,
				const RegTableArgs *args, const TableRef *t, ModelTerms *mt)
{
	RobustOptions opt;
	char	   *sql;
	MomentsState *m;
	RegFit	   *rf;
	Snapshot	snapshot = InvalidSnapshot;
	bool		design = design_args_used(&args->design);
	TableRef	scanned = *t;

	robust_options(&opt, args->se, args->weight_type, args->cluster,
				   args->strata, args->lonely_psu, args->weight);
	if (design)
		design_args_check(args->source, &opt, &args->design);
	if (opt.robust)
		robust_check_columns(args->source, &opt);
	/* a domain: the fit's scan reads its rows (the design scan reads all) */
	if (args->design.domain)
		scanned.sql_name = psprintf("(SELECT * FROM %s WHERE (%s)::pg_catalog.bool) AS domain_rows",
									t->sql_name, quote_identifier(args->design.domain));
	sql = model_terms_scan_sql(mt, &scanned, args->weight);
	if (opt.robust)
		snapshot = table_snapshot_after(sql, 0, NULL);
	m = model_terms_scan(mt, sql, snapshot);
	rf = reg_fit(m, reg_spec_of_terms(mt, args->intercept));
	if (design)
	{
		RobustFit  *fit = reg_robust_fit(rf, opt.se, opt.weight);

		rf->rfit = fit;
		rf->robust = design_meat_result(design_meat_sql_exprs(args->source, mt->exprs,
															  mt->ncolumns, &opt,
															  &args->design),
										&opt, &args->design, m, fit, snapshot);
		UnregisterSnapshot(snapshot);
	}
	else if (opt.robust)
	{
		RobustFit  *fit = reg_robust_fit(rf, opt.se, opt.weight);
		char	   *meat_sql = robust_table_meat_sql_exprs(args->source, mt->exprs,
														   mt->ncolumns, &opt);
		bytea	   *meat = robust_table_meat(meat_sql, &opt, fit, snapshot);

		UnregisterSnapshot(snapshot);
		rf->rfit = fit;
		rf->robust = robust_result(m, fit, meat, opt.lonely);
	}
	emit((ReturnSetInfo *) fcinfo->resultinfo, rf);
	return (Datum) 0;
}

/*
 * Table-name forms: one scan over the dependent and every predictor
 * (listwise over all of them, so every model uses the same rows); with a
 * robust se (or probability weights) a second scan for the meat.
 */
static Datum
reg_table(FunctionCallInfo fcinfo, reg_emit_fn emit)
{
	RegTableArgs args;
	RobustOptions opt;
	RegSpec    *spec;
	char	  **columns;
	MomentsState *m;
	RegFit	   *rf;
	char	   *meat_sql = NULL;
	Snapshot	snapshot = InvalidSnapshot;
	bool		design;

	InitMaterializedSRF(fcinfo, 0);
	if (!reg_table_args(fcinfo, &args))
		return (Datum) 0;
	{
		TableRef	t = resolve_relation(args.source);
		ModelTerms *mt = model_terms_parse(&t, args.dependent, args.blocks);

		/* factors, interactions or booleans: model_terms.c's scan */
		if (!mt->simple)
			return reg_table_terms(fcinfo, emit, &args, &t, mt);
	}
	spec = reg_parse_spec(args.dependent, args.blocks, args.intercept);
	robust_options(&opt, args.se, args.weight_type, args.cluster, args.strata,
				   args.lonely_psu, args.weight);
	columns = palloc(sizeof(char *) * (spec->npreds + 1));
	columns[0] = spec->dependent;
	memcpy(columns + 1, spec->preds, sizeof(char *) * spec->npreds);
	/* fpc, cluster2, fpc2 or domain: the design path of design_meat.c */
	design = design_args_used(&args.design);
	if (design)
		design_args_check(args.source, &opt, &args.design);
	if (opt.robust && !design && robust_one_scan(&opt))
	{
		/* clusters or PSUs: one grouped scan (robust_groups.c) */
		RobustGroups *groups;
		RobustFit  *fit;
		RobustGroupsQuery *q;

		robust_check_columns(args.source, &opt);
		q = robust_groups_query(args.source, columns, spec->npreds + 1, &opt);
		snapshot = table_snapshot_after(robust_groups_lock_sql(q), 0, NULL);
		m = robust_groups_scan(q, snapshot, columns, spec->npreds + 1,
							   &groups);
		UnregisterSnapshot(snapshot);
		rf = reg_fit(m, spec);
		fit = reg_robust_fit(rf, opt.se, opt.weight);
		rf->rfit = fit;
		rf->robust = robust_result(m, fit,
								   robust_groups_meat(groups, fit, rf->dep,
													  rf->preds, &opt),
								   opt.lonely);
		emit((ReturnSetInfo *) fcinfo->resultinfo, rf);
		return (Datum) 0;
	}
	if (opt.robust)
	{
		Oid			fit_type = FLOAT8ARRAYOID;

		robust_check_columns(args.source, &opt);
		/* both scans read one snapshot, taken after the meat query's locks */
		meat_sql = design
			? design_meat_sql(args.source, columns, spec->npreds + 1, &opt, &args.design)
			: robust_table_meat_sql(args.source, columns, spec->npreds + 1, &opt);
		snapshot = table_snapshot_after(meat_sql, 1, &fit_type);
	}
	/* unknown columns: ERRCODE_UNDEFINED_COLUMN, naming the column */
	m = table_moments_domain(args.source, columns, spec->npreds + 1, args.weight,
							 snapshot, args.design.domain);
	rf = reg_fit(m, spec);
	if (opt.robust && design)
	{
		RobustFit  *fit = reg_robust_fit(rf, opt.se, opt.weight);

		rf->rfit = fit;
		rf->robust = design_meat_result(meat_sql, &opt, &args.design, m, fit,
										snapshot);
		UnregisterSnapshot(snapshot);
	}
	else if (opt.robust)
	{
		RobustFit  *fit = reg_robust_fit(rf, opt.se, opt.weight);
		bytea	   *meat = robust_table_meat(meat_sql, &opt, fit, snapshot);

		UnregisterSnapshot(snapshot);
		rf->rfit = fit;
		rf->robust = robust_result(m, fit, meat, opt.lonely);
	}
	emit((ReturnSetInfo *) fcinfo->resultinfo, rf);
	return (Datum) 0;
}

/*
 * (m moments, dependent text, blocks text[], meat bytea,
 *  lonely_psu text DEFAULT 'fail'): the robust variances from a state and
 * the meat aggregated over its rows with the fit of robust_fit; se, weight
 * type and intercept come from the meat.
 */
static Datum
reg_meat(FunctionCallInfo fcinfo, reg_emit_fn emit)
{
	MomentsState *m = PG_GETARG_MOMENTS_P(0);
	char	   *dependent = text_to_cstring(PG_GETARG_TEXT_PP(1));
	bytea	   *meat = PG_GETARG_BYTEA_P(3);
	RobustLonely lonely = PG_NARGS() > 4
		? robust_lonely_arg(text_to_cstring(PG_GETARG_TEXT_PP(4)))
		: ROBUST_LONELY_FAIL;
	RobustSe	se;
	RobustWeight weight;
	bool		intercept;
	RegSpec    *spec;
	RegFit	   *rf;
	RobustFit  *fit;

	robust_meat_settings(meat, &se, &weight, &intercept);
	spec = reg_parse_spec(dependent, PG_GETARG_ARRAYTYPE_P(2), intercept);
	InitMaterializedSRF(fcinfo, 0);
	rf = reg_fit(m, spec);
	fit = reg_robust_fit(rf, se, weight);
	rf->rfit = fit;
	rf->robust = robust_result(m, fit, meat, lonely);
	emit((ReturnSetInfo *) fcinfo->resultinfo, rf);
	return (Datum) 0;
}

/*
 * robust_fit(m moments, dependent text, blocks text[], se text,
 *            intercept bool DEFAULT true, weight_type text DEFAULT
 *            'frequency') → float8[]: what scores() and meat() need
 */
Datum
robust_fit_sql(PG_FUNCTION_ARGS)
{
	MomentsState *m = PG_GETARG_MOMENTS_P(0);
	char	   *dependent = text_to_cstring(PG_GETARG_TEXT_PP(1));
	RobustSe	se = robust_se_arg(text_to_cstring(PG_GETARG_TEXT_PP(3)));
	bool		intercept = PG_NARGS() > 4 ? PG_GETARG_BOOL(4) : true;
	RobustWeight weight = PG_NARGS() > 5
		? robust_weight_arg(text_to_cstring(PG_GETARG_TEXT_PP(5)))
		: ROBUST_W_FREQUENCY;
	RegSpec    *spec = reg_parse_spec(dependent, PG_GETARG_ARRAYTYPE_P(2),
									  intercept);
	RegFit	   *rf = reg_fit(m, spec);

	PG_RETURN_ARRAYTYPE_P(robust_fit_array(reg_robust_fit(rf, se, weight)));
}

Datum
coefficients_state(PG_FUNCTION_ARGS)
{
	return reg_state(fcinfo, coefficients_emit);
}

Datum
model_summary_state(PG_FUNCTION_ARGS)
{
	return reg_state(fcinfo, model_summary_emit);
}

static Datum
coefficients_table_impl(PG_FUNCTION_ARGS)
{
	return reg_table(fcinfo, coefficients_emit);
}

Datum
coefficients_table(PG_FUNCTION_ARGS)
{
	return call_without_internal_context(coefficients_table_impl, fcinfo);
}

static Datum
model_summary_table_impl(PG_FUNCTION_ARGS)
{
	return reg_table(fcinfo, model_summary_emit);
}

Datum
model_summary_table(PG_FUNCTION_ARGS)
{
	return call_without_internal_context(model_summary_table_impl, fcinfo);
}

Datum
coefficients_meat(PG_FUNCTION_ARGS)
{
	return reg_meat(fcinfo, coefficients_emit);
}

Datum
model_summary_meat(PG_FUNCTION_ARGS)
{
	return reg_meat(fcinfo, model_summary_emit);
}
