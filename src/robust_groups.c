/*
 * robust_groups.c — cluster-robust and design-based SEs (with a cluster
 * column) in one scan of the table.
 *
 * A cluster's (or PSU's) score is s_g = X_g'W_g y_g - X_g'W_g X_g b: it
 * needs only the cluster's sums of weights, of x and of the cross-products
 * x x' (the dependent among the x).  So one scan that gives the table's
 * moments state (the fit) and those sums per cluster gives everything:
 * each cluster's score follows once the fit is known, without a second
 * pass over the rows (robust_group_scores, double-double).
 *
 * The scan is, in order of preference:
 *
 * 1. One ungrouped aggregate, cluster_moments_of (cluster_scan.c): the
 *    classical fit's own moments state, updated by the same batched code,
 *    so the coefficients are the classical fit's bit for bit, and a hash
 *    of the (stratum, cluster) keys holding plain double sums about each
 *    cluster's first row.  Those carry ~n_g eps of rounding, which reaches
 *    only the SEs (~1e-15 relative), not the fit.  Measured at 1M rows x 10
 *    predictors, 2,000 clusters: bench/README.md, issue 18.  It needs keys
 *    of integer or text type (varchar; deterministic collations) and a
 *    relation not on Citus.
 *
 * 2. Otherwise, or when the clusters' sums pass the memory limit: GROUP BY
 *    stratum, cluster with a moments state per group, merged here.  Why
 *    not plain sums per group there: the merged plain sums would be the
 *    fit's state, and ~n_g eps moved the coefficients and p-values in their
 *    last bits against the classical fit (expected/robust.out compares p
 *    exactly); the per-group states' double-double sums keep them equal.
 *    Under a hashed GROUP BY the state is updated row by row (~170 ns at
 *    k = 11; its batch buffer is not allowed to grow there: moments_agg.c),
 *    which is why this is the fallback.
 *
 * Memory, with many clusters in view.  The one-scan state takes ~(48 + 8
 * (2k + k(k+1)/2 + the blocked triangle's padding)) bytes a cluster plus
 * its text key and 4 hash slots of 32 bytes (~1.09 kB at k = 11, 2,000
 * clusters ~2.2 MB); it grows by
 * doubling, and a growth holds the old state, the new one and the
 * executor's copy of it, so it grows only while that peak stays within
 * work_mem * hash_mem_multiplier (get_hash_memory_limit): up to 2,048
 * clusters of k = 11 at work_mem 4 MB and the default multiplier 2,
 * 32,768 at work_mem 64 MB.  Past it the aggregate stops reading rows
 * and returns an overflowed state, and the grouped scan runs instead, with
 * the same snapshot: the rows are read twice (one wasted partial scan),
 * correct for any number of clusters, slower.  The grouped scan is
 * PostgreSQL's own HashAggregate, which keeps its hash table within work_mem
 * * hash_mem_multiplier and spills to disk beyond it (a hashed group's
 * state keeps the size it was made with, so the hash table counts it); the
 * groups it returns are kept in a tuplestore, in memory up to work_mem and
 * in a temporary file beyond; the meat holds one entry per stratum.  So the
 * backend's memory is bounded by about work_mem * hash_mem_multiplier +
 * work_mem either way, not by the number of clusters (bench/robust.sh
 * measures 100,000).  Designs without a cluster column (rows as PSUs) keep
 * the per-row path; Citus relations group the array form of the moments
 * aggregate, which Citus can split (citus_relation.c).
 */
#include "robust.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/tuplestore.h"


#define GROUPS_PER_FETCH 1000

struct RobustGroupsQuery
{
	char	   *one_scan;		/* cluster_moments_of, or NULL */
	char	   *grouped;		/* GROUP BY stratum, cluster */
	bool		probability;	/* a NULL weight is an error */
	bool		strata;			/* a strata column (else every key NULL) */
	bool		design;			/* se 'design': robust_design_rows' rule */
};

struct RobustGroups
{
	bool		one;			/* the one-scan state, not the grouped rows */
	int			ncolumns;		/* the variables of every unit's state */
	ClusterScan scan;
	Tuplestorestate *store;
	TupleDesc	desc;			/* stratum text, state moments */
	bool		cluster_null;	/* a group with a NULL cluster */
	bool		cluster_null_complete;	/* ... with a complete row */
	bool		strata_null;
	bool		weight_null;	/* a NULL probability weight */
};

/*
 * a group's state (over k variables) as a moments state, or NULL without a
 * complete row
 */
static MomentsState *
group_state(Datum d, bool isnull, int k)
{
	MomentsState *m;

	if (isnull)
		return NULL;
	m = DatumGetMomentsP(d);
	if (m->k != k)
		elog(ERROR, "survey_reg grouped scan returned a state of %d variables, not %d",
			 m->k, k);
	return m->nrows > 0 ? m : NULL;
}

bool
robust_one_scan(const RobustOptions *o)
{
	return o->cluster != NULL
		&& (o->se == ROBUST_CLUSTER || o->se == ROBUST_DESIGN);
}

/*
 * A key column as cluster_moments_of reads it: integers by value, as they
 * are (a cast per row costs as much as the hash lookup; domains over them
 * are cast to bigint), text and varchar of a deterministic collation as
 * text (by bytes, which is then GROUP BY's equality); NULL for any other
 * type.
 */
static char *
key_expr(const TableRef *t, const char *column)
{
	AttrNumber	attnum = get_attnum(t->relid, column);
	Oid			typid,
				collid;
	int32		typmod;
	Oid			base;

	if (attnum <= 0)
		return NULL;
	get_atttypetypmodcoll(t->relid, attnum, &typid, &typmod, &collid);
	base = getBaseType(typid);
	if (typid == INT2OID || typid == INT4OID || typid == INT8OID)
		return pstrdup(quote_identifier(column));
	if (base == INT2OID || base == INT4OID || base == INT8OID)
		return psprintf("(%s)::pg_catalog.int8", quote_identifier(column));
	if ((base == TEXTOID || base == VARCHAROID)
		&& OidIsValid(collid) && get_collation_isdeterministic(collid))
		return psprintf("(%s)::pg_catalog.text", quote_identifier(column));
	return NULL;
}

/*
 * SELECT cluster_moments_of(stratum, cluster, weight, y, x1, ..) FROM rel
 * when the keys' types allow it and the relation is not on Citus (whose
 * workers cannot split a VARIADIC "any" aggregate: citus_relation.c); else
 * NULL.  It reads every row, also under a design: cluster_scan_open applies
 * the design's rule for rows to the units at the end, where the grouped
 * scan evaluates robust_design_rows' WHERE clause on every row.
 */
static char *
one_scan_sql(const TableRef *t, char **vars, int nvars, const RobustOptions *o)
{
	char	   *cl = key_expr(t, o->cluster);
	char	   *st = o->strata ? key_expr(t, o->strata) : "NULL::pg_catalog.int8";
	StringInfoData sql;

	if (t->on_citus || cl == NULL || st == NULL || 3 + nvars > FUNC_MAX_ARGS)
		return NULL;
	initStringInfo(&sql);
	appendStringInfo(&sql, "SELECT survey_reg.cluster_moments_of(%s, %s, %s",
					 st, cl, o->weight_col
					 ? column_float8_expr(t, o->weight_col)
					 : "1::pg_catalog.float8");
	for (int i = 0; i < nvars; i++)
		appendStringInfo(&sql, ", %s", vars[i]);
	appendStringInfo(&sql, ") FROM %s", t->sql_name);
	return sql.data;
}

/*
 * The one-scan query (if possible) and the grouped one:
 *   SELECT stratum::text, stratum IS NULL, cluster IS NULL,
 *          <moments state of the columns>, bool_or(weight IS NULL)
 *   FROM rel GROUP BY stratum, cluster
 */
RobustGroupsQuery *
robust_groups_query(text *source, char **columns, int ncolumns,
					const RobustOptions *o)
{
	TableRef	t = resolve_relation(source);
	const char *cl = quote_identifier(o->cluster);
	const char *st = o->strata ? quote_identifier(o->strata) : NULL;
	RobustGroupsQuery *q = palloc0(sizeof(RobustGroupsQuery));
	StringInfoData sql;
	char	  **vars = palloc(sizeof(char *) * ncolumns);
	char	   *rows;

	/* the same errors as the first scan's, before this query is prepared */
	check_columns(&t, columns, ncolumns);
	if (o->weight_col)
		check_column(&t, o->weight_col);
	for (int i = 0; i < ncolumns; i++)
		vars[i] = column_float8_expr(&t, columns[i]);
	rows = robust_design_rows(&t, vars, ncolumns, o);
	q->one_scan = one_scan_sql(&t, vars, ncolumns, o);
	q->probability = o->weight_col && o->weight == ROBUST_W_PROBABILITY;
	q->strata = o->strata != NULL;
	q->design = o->se == ROBUST_DESIGN;
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
	q->grouped = sql.data;
	return q;
}

/* the query whose locks the snapshot is taken after */
const char *
robust_groups_lock_sql(const RobustGroupsQuery *q)
{
	return q->one_scan ? q->one_scan : q->grouped;
}

/* run the one-scan query: false when its clusters passed the memory limit */
static bool
one_scan_run(const RobustGroupsQuery *q, Snapshot snapshot, char **columns,
			 RobustGroups *g)
{
	bytea	   *state;
	bool		isnull;
	Datum		d;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (table_query(q->one_scan, 0, NULL, NULL, snapshot) != SPI_OK_SELECT
		|| SPI_processed != 1)
		elog(ERROR, "survey_reg cluster scan did not return one row");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		state = NULL;
	else
	{
		bytea	   *b = DatumGetByteaP(d);

		state = SPI_palloc(VARSIZE(b));
		memcpy(state, b, VARSIZE(b));
	}
	SPI_finish();
	if (state == NULL)
	{
		/* no rows: the grouped scan gives the empty state and no units */
		return false;
	}
	if (!cluster_scan_open(state, columns,
						   q->design ? CS_NEED_CLUSTER
						   | (q->strata ? CS_NEED_STRATUM : 0) : 0,
						   &g->scan))
		return false;
	g->one = true;
	g->weight_null = g->scan.weight_null && q->probability;
	g->cluster_null = g->scan.cluster_null;
	g->cluster_null_complete = g->scan.cluster_null_complete;
	g->strata_null = g->scan.strata_null && q->strata;
	return true;
}

/* fetch the groups, keep them, merge their states */
MomentsState *
robust_groups_scan(const RobustGroupsQuery *q, Snapshot snapshot,
				   char **columns, int ncolumns, RobustGroups **groups_out)
{
	MemoryContext outer = CurrentMemoryContext;
	RobustGroups *g = palloc0(sizeof(RobustGroups));
	MomentsState *total = NULL;
	const char *sql = q->grouped;
	SPIPlanPtr	plan;
	Portal		portal;
	TupleDesc	desc;
	MemoryContext per_row;

	*groups_out = g;
	g->ncolumns = ncolumns;
	if (q->one_scan && one_scan_run(q, snapshot, columns, g))
		return g->scan.total;
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
			m = group_state(d, dnull, ncolumns);
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
	/* once for all units: fresh pages per unit showed in the profile */
	dd		   *scratch = palloc(sizeof(dd) * ROBUST_GROUP_SCRATCH(g->ncolumns,
																  fit->ncols));
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
	robust_null_keys_error(o, o->se == ROBUST_DESIGN ? g->cluster_null
						   : g->cluster_null_complete, g->strata_null);
	per_group = AllocSetContextCreate(CurrentMemoryContext, "survey_reg groups",
									  ALLOCSET_DEFAULT_SIZES);
	if (g->one)
	{
		/* a plain state over the same variables, overwritten per unit */
		MomentsState *m = palloc(VARSIZE(g->scan.total));

		memcpy(m, g->scan.total, VARSIZE(g->scan.total));

		for (int i = 0; i < g->scan.nunits; i++)
		{
			char	   *key;
			bool		has;

			CHECK_FOR_INTERRUPTS();
			MemoryContextSwitchTo(per_group);
			has = cluster_scan_unit(&g->scan, i, &key, m)
				&& robust_group_scores(fit, m, var, scratch, u);
			MemoryContextSwitchTo(outer);
			meat = robust_meat_add_unit(meat, key, has ? u : NULL);
			MemoryContextReset(per_group);
		}
		MemoryContextDelete(per_group);
		return meat;
	}
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
			MomentsState *m;

			CHECK_FOR_INTERRUPTS();
			MemoryContextSwitchTo(per_group);
			key = snull ? NULL : TextDatumGetCString(sd);
			m = group_state(md, mnull, g->ncolumns);
			has = m != NULL && robust_group_scores(fit, m, var, scratch, u);
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
