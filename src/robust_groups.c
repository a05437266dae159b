/*
 * robust_groups.c — cluster-robust and design-based SEs (with a cluster
 * column) in one scan of the table.
 *
 * A cluster's (or PSU's) score is s_g = X_g'W_g y_g - X_g'W_g X_g b: it
 * needs only the cluster's sums of weights, of x and of the cross-products
 * x x' (the dependent among the x), which its moments state holds nearly
 * exactly.  So one grouped scan, GROUP BY stratum, cluster with a moments
 * state per group, gives everything: the merge of the groups' states is
 * the table's state (the fit), and each group's state gives its score once
 * the fit is known, without a second pass over the rows
 * (robust_group_scores, double-double).
 *
 * Why the moments state per group and not plain sums: plain double sums
 * per group (1 + k + k(k+1)/2 of them, measured: 1.9 x classical instead of
 * 2.5 x at 1M rows, 2,000 clusters) carry ~n_g eps of rounding, so the
 * coefficients, SEs and p-values move in their last bits against the
 * classical fit and the aggregate-level pieces (expected/robust.out tests
 * p for equality); the state's double-double sums keep them equal.  Under
 * a hashed GROUP BY the state is updated row by row (~170 ns at k = 11;
 * its batch buffer would not fit the cache with thousands of groups, and
 * is not allowed to grow there: moments_agg.c).
 *
 * Memory, with many clusters in view.  The grouped scan is PostgreSQL's
 * own HashAggregate, which keeps within work_mem * hash_mem_multiplier and
 * spills to disk beyond it (a hashed group's state keeps the size it was
 * made with, so the hash table counts it); the groups it returns are kept
 * in a tuplestore, in memory up to work_mem and in a temporary file
 * beyond; the meat holds one entry per stratum.  A state of k = 11 columns
 * takes ~1.9 kB, so 100,000 clusters are ~190 MB of states, spilled rather
 * than held: the backend's memory is bounded by work_mem, not by the
 * number of clusters (bench/robust.sh measures 100,000), and no
 * switch-over to two scans is needed.  Designs without a cluster column
 * (rows as PSUs) keep the per-row path; Citus relations group the array
 * form of the moments aggregate, which Citus can split (citus_relation.c).
 */
#include "robust.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/tuplestore.h"


#define GROUPS_PER_FETCH 1000

struct RobustGroups
{
	Tuplestorestate *store;
	TupleDesc	desc;			/* stratum text, state moments */
	bool		cluster_null;	/* a group with a NULL cluster */
	bool		cluster_null_complete;	/* ... with a complete row */
	bool		strata_null;
	bool		weight_null;	/* a NULL probability weight */
};

/* a group's state as a moments state, or NULL without a complete row */
static MomentsState *
group_state(Datum d, bool isnull)
{
	MomentsState *m;

	if (isnull)
		return NULL;
	m = DatumGetMomentsP(d);
	return m->nrows > 0 ? m : NULL;
}

bool
robust_one_scan(const RobustOptions *o)
{
	return o->cluster != NULL
		&& (o->se == ROBUST_CLUSTER || o->se == ROBUST_DESIGN);
}

/*
 * SELECT stratum::text, stratum IS NULL, cluster IS NULL,
 *        <moments state of the columns>, bool_or(weight IS NULL)
 * FROM rel GROUP BY stratum, cluster
 */
char *
robust_groups_sql(text *source, char **columns, int ncolumns,
				  const RobustOptions *o)
{
	TableRef	t = resolve_relation(source);
	const char *cl = quote_identifier(o->cluster);
	const char *st = o->strata ? quote_identifier(o->strata) : NULL;
	StringInfoData sql;
	char	   *rows;

	/* the same errors as the first scan's, before this query is prepared */
	check_columns(&t, columns, ncolumns);
	if (o->weight_col)
		check_column(&t, o->weight_col);
	{
		char	  **vars = palloc(sizeof(char *) * ncolumns);

		for (int i = 0; i < ncolumns; i++)
			vars[i] = column_float8_expr(&t, columns[i]);
		rows = robust_design_rows(&t, vars, ncolumns, o);
	}
	initStringInfo(&sql);
	if (st)
		appendStringInfo(&sql, "SELECT (%s)::pg_catalog.text, (%s) IS NULL, ", st, st);
	else
		appendStringInfoString(&sql, "SELECT NULL::pg_catalog.text, false, ");
	appendStringInfo(&sql, "(%s) IS NULL, ", cl);
	append_moments_call(&sql, &t, columns, ncolumns, o->weight_col);
	if (o->weight_col && o->weight == ROBUST_W_PROBABILITY)
		appendStringInfo(&sql, ", pg_catalog.bool_or((%s) IS NULL)",
						 quote_identifier(o->weight_col));
	else
		appendStringInfoString(&sql, ", false");
	appendStringInfo(&sql, " FROM %s GROUP BY %s%s%s", rows,
					 st ? st : "", st ? ", " : "", cl);
	return sql.data;
}

/* fetch the groups, keep them, merge their states */
MomentsState *
robust_groups_scan(const char *sql, Snapshot snapshot, char **columns,
				   int ncolumns, RobustGroups **groups_out)
{
	MemoryContext outer = CurrentMemoryContext;
	RobustGroups *g = palloc0(sizeof(RobustGroups));
	MomentsState *total = NULL;
	SPIPlanPtr	plan;
	Portal		portal;
	TupleDesc	desc;
	MemoryContext per_row;

	g->store = tuplestore_begin_heap(false, false, work_mem);
	desc = CreateTemplateTupleDesc(2);
	per_row = AllocSetContextCreate(CurrentMemoryContext, "survey_reg group",
									ALLOCSET_DEFAULT_SIZES);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plan = SPI_prepare(sql, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	/* read-only: the portal reads with the active snapshot, the first's */
	PushActiveSnapshot(snapshot);
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	PopActiveSnapshot();
	for (;;)
	{
		uint64		i;

		SPI_cursor_fetch(portal, true, GROUPS_PER_FETCH);
		if (SPI_processed == 0)
			break;
		if (g->desc == NULL)
		{
			MemoryContext old = MemoryContextSwitchTo(outer);
			Oid			type = TupleDescAttr(SPI_tuptable->tupdesc, 3)->atttypid;

			TupleDescInitEntry(desc, 1, "stratum", TEXTOID, -1, 0);
			TupleDescInitEntry(desc, 2, "state", type, -1, 0);
			g->desc = desc;
			MemoryContextSwitchTo(old);
		}
		for (i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	td = SPI_tuptable->tupdesc;
			bool		isnull,
						snull,
						dnull;
			Datum		values[2];
			bool		nulls[2];
			Datum		d;
			MomentsState *m;
			MemoryContext old;

			CHECK_FOR_INTERRUPTS();
			old = MemoryContextSwitchTo(per_row);
			values[0] = SPI_getbinval(tup, td, 1, &snull);
			nulls[0] = snull;
			d = SPI_getbinval(tup, td, 4, &dnull);
			m = group_state(d, dnull);
			if (DatumGetBool(SPI_getbinval(tup, td, 2, &isnull)))
				g->strata_null = true;
			if (DatumGetBool(SPI_getbinval(tup, td, 3, &isnull)))
			{
				g->cluster_null = true;
				if (m != NULL)
					g->cluster_null_complete = true;
			}
			if (DatumGetBool(SPI_getbinval(tup, td, 5, &isnull)) && !isnull)
				g->weight_null = true;
			values[1] = d;
			nulls[1] = dnull;
			/* a NULL cluster's group: the error, after the fit, says so */
			tuplestore_putvalues(g->store, g->desc, values, nulls);
			MemoryContextSwitchTo(outer);
			if (m != NULL)
			{
				if (total == NULL)
				{
					total = palloc(VARSIZE(m));
					memcpy(total, m, VARSIZE(m));
				}
				else
				{
					int			r = moments_merge(total, m);

					if (r == -2)
						ereport(ERROR,
								(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
								 errmsg("row count out of range"),
								 errdetail("The groups count more than 9223372036854775807 rows.")));
					if (r != 0)
						moments_overflow_error();
				}
			}
			MemoryContextSwitchTo(old);
			MemoryContextReset(per_row);
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_cursor_close(portal);
	SPI_finish();
	MemoryContextDelete(per_row);
	if (total == NULL)
		total = moments_new(ncolumns, (const char *const *) columns);
	*groups_out = g;
	return total;
}

bytea *
robust_groups_meat(RobustGroups *g, const RobustFit *fit, int dep,
				   const int *preds, const RobustOptions *o)
{
	MemoryContext outer = CurrentMemoryContext;
	MemoryContext per_group;
	bytea	   *meat = robust_meat_new(fit);
	int		   *var = palloc(sizeof(int) * fit->ncols);
	double	   *u = palloc(sizeof(double) * (fit->q > 0 ? fit->q : 1));
	TupleTableSlot *slot;
	int			c;

	var[0] = dep;
	for (c = 1; c < fit->ncols; c++)
		var[c] = preds[c - 1];
	if (g->weight_null)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a probability weight is NULL"),
				 errdetail("Every row of a sample needs its sampling weight, as in R's svydesign."),
				 errhint("Leave such rows out with a view or a WHERE clause.")));
	if (o->se == ROBUST_DESIGN ? g->cluster_null : g->cluster_null_complete)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the cluster column \"%s\" is NULL in %s",
						o->cluster, o->se == ROBUST_DESIGN ? "some rows"
						: "some complete rows"),
				 errdetail(o->se == ROBUST_DESIGN
						   ? "A design needs every row's PSU, as R's svydesign."
						   : "Every row of the regression needs its cluster, as R's sandwich::vcovCL."),
				 errhint("Leave such rows out with a view or a WHERE clause.")));
	if (g->strata_null)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the strata column \"%s\" is NULL in some rows", o->strata),
				 errdetail("A design needs every row's stratum, as R's svydesign."),
				 errhint("Leave such rows out with a view or a WHERE clause.")));
	per_group = AllocSetContextCreate(CurrentMemoryContext, "survey_reg groups",
									  ALLOCSET_DEFAULT_SIZES);
	if (g->desc != NULL)
	{
		slot = MakeSingleTupleTableSlot(g->desc, &TTSOpsMinimalTuple);
		while (tuplestore_gettupleslot(g->store, true, false, slot))
		{
			bool		snull,
						mnull;
			Datum		sd = slot_getattr(slot, 1, &snull);
			Datum		md = slot_getattr(slot, 2, &mnull);
			const char *key;
			bool		has;

			CHECK_FOR_INTERRUPTS();
			MemoryContextSwitchTo(per_group);
			key = snull ? NULL : TextDatumGetCString(sd);
			has = false;
			{
				MomentsState *m = group_state(md, mnull);

				if (m != NULL)
				{
					dd		   *C = palloc(sizeof(dd) * (size_t) m->k * m->k);
					dd		   *d = palloc(sizeof(dd) * fit->ncols);

					has = robust_group_scores(fit, m, var, C, d, u);
				}
			}
			MemoryContextSwitchTo(outer);
			meat = robust_meat_add_unit(meat, key, has ? u : NULL);
			MemoryContextReset(per_group);
		}
		ExecDropSingleTupleTableSlot(slot);
	}
	tuplestore_end(g->store);
	MemoryContextDelete(per_group);
	return meat;
}
