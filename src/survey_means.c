/*
 * survey_means.c — survey_means(source, variables, weight, strata, cluster,
 * fpc, cluster2, fpc2, by, domain, lonely_psu): design-based means and
 * totals with SEs, as R's svymean / svytotal (na.rm = TRUE), svyby and
 * subset() (API.md section 9).
 *
 * One scan, of one of two kinds (issue 16: each within 2 x the floor query
 * of the same columns, bench/README.md):
 *
 * - With a cluster column whose keys (strata, cluster, cluster2, by) are
 *   all integers: ONE ungrouped aggregate, _means_units
 *   (survey_means_units.c), whose state hashes (stratum, PSU, SSU, group)
 *   to the unit's n, sum of w y and of w per variable; parallel, a flat
 *   bytea between workers.  Past work_mem x hash_mem_multiplier its state
 *   overflows and the grouped scan below runs instead (a second scan).
 * - Otherwise a grouped scan (stratum [x PSU x SSU] x group), one
 *   _means_sums call per row (survey_means_agg.c) for the same sums (on a
 *   Citus relation: built-in aggregates building the same array).
 *   Without a cluster column every row is its own PSU: the groups are
 *   stratum x group, few, with the sums of squares the variance needs.
 *
 * Either way the units are sorted here so that they arrive nested, and
 * design_core.c turns the stream into the variance.
 *
 * Rows outside the domain or the group, or missing the variable, are not
 * dropped: they keep their PSU (and SSU) in the stratum's count, with zero
 * totals, as subset() of a design does.  A row that contributes to no
 * estimate and lacks a design column is left out; one that contributes
 * needs every design column (22004 names the column).
 */
#include "survey_reg.h"
#include "robust.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/tuplestore.h"

#include "design_core.h"
#include "survey_means_agg.h"
#include "survey_means_units.h"
#include "rmath_loader.h"

PG_FUNCTION_INFO_V1(survey_means_table);

#define CI_LEVEL 0.95

/* the scan's columns: the unit's keys, then its _means_sums state */
enum
{
	COL_S = 0, COL_P, COL_Q, COL_G, COL_SUMS
};

typedef struct MeansArgs
{
	TableRef	t;
	char	  **vars;
	int			nvars;
	bool	   *boolean;
	char	   *weight,
			   *strata,
			   *cluster,
			   *fpc,
			   *cluster2,
			   *fpc2,
			   *by,
			   *domain;
	DesignLonely lonely;
} MeansArgs;

static bool
column_is_boolean(const TableRef *t, const char *col)
{
	return get_atttype(t->relid, get_attnum(t->relid, col)) == BOOLOID;
}

/* a design column as it is (grouped, then cast to text: one cast per group) */
static void
append_key_col(StringInfo sql, const char *col, const char *alias)
{
	if (col)
		appendStringInfo(sql, "%s AS %s, ", quote_identifier(col), alias);
	else
		appendStringInfo(sql, "''::pg_catalog.text AS %s, ", alias);
}

static void
append_float_col(StringInfo sql, const char *col, const char *alias, bool boolean)
{
	if (col == NULL)
		appendStringInfo(sql, "1.0::pg_catalog.float8 AS %s, ", alias);
	else if (boolean)
		appendStringInfo(sql, "(%s)::pg_catalog.int4::pg_catalog.float8 AS %s, ",
						 quote_identifier(col), alias);
	else
		appendStringInfo(sql, "(%s)::pg_catalog.float8 AS %s, ", quote_identifier(col), alias);
}

/*
 * A population count: float8, but numeric as it is for the units' hash,
 * which converts each distinct value once (a cast per row doubled its scan)
 */
static void
append_fpc_col(StringInfo sql, const MeansArgs *a, const char *col,
			   const char *alias, bool units)
{
	if (col == NULL)
		appendStringInfo(sql, "NULL::pg_catalog.float8 AS %s, ", alias);
	else if (units && get_atttype(a->t.relid, get_attnum(a->t.relid, col)) == NUMERICOID)
		appendStringInfo(sql, "%s AS %s, ", quote_identifier(col), alias);
	else
		append_float_col(sql, col, alias, false);
}

/*
 * Whether the scan sums with built-in aggregates instead of the C ones:
 * on Citus, whose workers cannot type-check a VARIADIC "any" aggregate
 * (citus_relation.c), and for more variables than a function call takes
 * (FUNC_MAX_ARGS: the state, 9 other arguments, the variables)
 */
static bool
builtin_sums(const MeansArgs *a)
{
	return a->t.on_citus || a->nvars + 10 > FUNC_MAX_ARGS;
}

/*
 * The _means_sums state in built-in aggregates (builtin_sums): the same
 * float8[] layout (survey_means_agg.h), more function calls per row.
 */
static void
append_builtin_sums(StringInfo sql, const MeansArgs *a)
{
	bool		rows = a->cluster == NULL;
	int			i;

	appendStringInfo(sql, "ARRAY[%d, %d, pg_catalog.count(*), "
					 "pg_catalog.count(*) FILTER (WHERE u), "
					 "pg_catalog.count(*) FILTER (WHERE u AND w IS NULL), "
					 "pg_catalog.count(*) FILTER (WHERE u AND f1 IS NULL), "
					 "pg_catalog.count(*) FILTER (WHERE u AND f2 IS NULL), "
					 "(pg_catalog.count(f1) > 0)::pg_catalog.int4, "
					 "COALESCE(pg_catalog.min(f1), 0), COALESCE(pg_catalog.max(f1), 0), "
					 "(pg_catalog.count(f2) > 0)::pg_catalog.int4, "
					 "COALESCE(pg_catalog.min(f2), 0), COALESCE(pg_catalog.max(f2), 0)",
					 rows ? 1 : 0, a->nvars);
	for (i = 0; i < a->nvars; i++)
	{
		appendStringInfo(sql, ", pg_catalog.count(y%d) FILTER (WHERE dv)"
						 ", COALESCE(pg_catalog.sum(w * y%d) FILTER (WHERE dv), 0)"
						 ", COALESCE(pg_catalog.sum(w) FILTER (WHERE dv AND y%d IS NOT NULL), 0)",
						 i, i, i);
		if (rows)
			appendStringInfo(sql, ", COALESCE(pg_catalog.sum((w * y%d) * (w * y%d)) FILTER (WHERE dv), 0)"
							 ", COALESCE(pg_catalog.sum((w * w) * y%d) FILTER (WHERE dv), 0)"
							 ", COALESCE(pg_catalog.sum(w * w) FILTER (WHERE dv AND y%d IS NOT NULL), 0)",
							 i, i, i, i);
	}
	appendStringInfoString(sql, "]::pg_catalog.float8[]");
}

/*
 * The scan.  units: one ungrouped aggregate whose state hashes the units
 * (survey_means_units.c); else grouped by stratum [x PSU x SSU] x group.
 */
static char *
means_sql(const MeansArgs *a, bool units)
{
	StringInfoData sql;
	bool		rows = a->cluster == NULL;
	int			i;

	initStringInfo(&sql);
	/*
	 * One aggregate call per row for the unit's counts and per-variable
	 * sums (survey_means_agg.c).  A row of a NULL group is summed but in no
	 * group's cell (means_scan skips that group), so only the domain
	 * filters the sums; NULL values drop out by themselves.
	 */
	if (units)
		appendStringInfo(&sql, "SELECT survey_reg._means_units(%s, %s, %s, %s, w, f1, f2, u, dv",
						 a->strata ? "s::pg_catalog.int8" : "0::pg_catalog.int8",
						 a->cluster ? "p::pg_catalog.int8" : "0::pg_catalog.int8",
						 a->cluster2 ? "q::pg_catalog.int8" : "0::pg_catalog.int8",
						 a->by ? "g::pg_catalog.int8" : "0::pg_catalog.int8");
	else
	{
		/* absent columns are constants in the output, not grouping keys */
		appendStringInfo(&sql, "SELECT %s, %s, %s, %s, ",
						 a->strata ? "s::pg_catalog.text" : "''::pg_catalog.text",
						 a->cluster ? "p::pg_catalog.text" : "''::pg_catalog.text",
						 a->cluster2 ? "q::pg_catalog.text" : "''::pg_catalog.text",
						 a->by ? "g::pg_catalog.text" : "''::pg_catalog.text");
		if (builtin_sums(a))
			append_builtin_sums(&sql, a);
		else
			appendStringInfo(&sql, "survey_reg._means_sums(%d, w, f1, f2, u, dv", rows ? 1 : 0);
	}
	if (!builtin_sums(a) || units)
	{
		for (i = 0; i < a->nvars; i++)
			appendStringInfo(&sql, ", y%d", i);
		appendStringInfoChar(&sql, ')');
	}
	appendStringInfoString(&sql, " FROM (SELECT *, d AND (");
	for (i = 0; i < a->nvars; i++)
		appendStringInfo(&sql, "%sy%d IS NOT NULL", i ? " OR " : "", i);
	appendStringInfoString(&sql, ") AS u FROM (SELECT ");
	append_key_col(&sql, a->strata, "s");
	append_key_col(&sql, a->cluster, "p");
	append_key_col(&sql, a->cluster2, "q");
	append_key_col(&sql, a->by, "g");
	append_float_col(&sql, a->weight, "w", false);
	append_fpc_col(&sql, a, a->fpc, "f1", units);
	append_fpc_col(&sql, a, a->fpc2, "f2", units);
	/*
	 * dv: in the domain (the domain column true); d: also in a group (the by
	 * value known), which a row needs to use the design columns
	 */
	if (a->domain)
		appendStringInfo(&sql, "COALESCE((%s)::pg_catalog.bool, false) AS dv, ",
						 quote_identifier(a->domain));
	else
		appendStringInfoString(&sql, "true AS dv, ");
	if (a->domain)
		appendStringInfo(&sql, "COALESCE((%s)::pg_catalog.bool, false)",
						 quote_identifier(a->domain));
	else
		appendStringInfoString(&sql, "true");
	if (a->by)
		appendStringInfo(&sql, " AND (%s) IS NOT NULL", quote_identifier(a->by));
	appendStringInfoString(&sql, " AS d");
	for (i = 0; i < a->nvars; i++)
	{
		char		alias[16];

		snprintf(alias, sizeof(alias), "y%d", i);
		appendStringInfoString(&sql, ", ");
		append_float_col(&sql, a->vars[i], alias, a->boolean[i]);
		sql.len -= 2;			/* the trailing ", " */
		sql.data[sql.len] = '\0';
	}
	appendStringInfo(&sql, " FROM %s) i) r WHERE u OR (s IS NOT NULL AND p IS NOT NULL AND q IS NOT NULL)",
					 a->t.sql_name);
	if (!units)
	{
		const char *keys[4];
		int			nkeys = 0;

		if (a->strata)
			keys[nkeys++] = "s";
		if (a->cluster)
			keys[nkeys++] = "p";
		if (a->cluster2)
			keys[nkeys++] = "q";
		if (a->by)
			keys[nkeys++] = "g";
		for (i = 0; i < nkeys; i++)
			appendStringInfo(&sql, "%s%s", i ? ", " : " GROUP BY ", keys[i]);
	}
	return sql.data;
}

/* the groups met so far (by), with their cells */
typedef struct MeansGroups
{
	int			n,
				cap,
				nvars;
	char	  **names;
	DesignCell *cells;			/* [cap * nvars] */
	int			last;
	MemoryContext mcxt;			/* the caller's: outlives SPI */
} MeansGroups;

static int
group_index(MeansGroups *g, const char *name)
{
	int			i,
				v;

	if (g->last >= 0 && strcmp(g->names[g->last], name) == 0)
		return g->last;
	for (i = 0; i < g->n; i++)
		if (strcmp(g->names[i], name) == 0)
			return g->last = i;
	if (g->n == g->cap)
	{
		g->cap = g->cap ? g->cap * 2 : 16;
		g->names = g->names ? repalloc(g->names, sizeof(char *) * g->cap)
			: MemoryContextAlloc(g->mcxt, sizeof(char *) * g->cap);
		g->cells = g->cells ? repalloc_huge(g->cells, sizeof(DesignCell) * g->cap * g->nvars)
			: MemoryContextAllocHuge(g->mcxt, sizeof(DesignCell) * g->cap * g->nvars);
	}
	g->names[g->n] = MemoryContextStrdup(g->mcxt, name);
	for (v = 0; v < g->nvars; v++)
		design_cell_init(&g->cells[g->n * g->nvars + v]);
	return g->last = g->n++;
}

/* a unit's _means_sums state (never NULL: every group has a row) */
static double *
unit_sums(HeapTuple tup, TupleDesc desc, int nvars, bool rows)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, COL_SUMS + 1, &isnull);
	double	   *x;
	int			k,
				mode;

	if (isnull)
		elog(ERROR, "survey_means: a unit without sums");
	x = means_sums_values(DatumGetArrayTypeP(d), &k, &mode);
	if (k != nvars || mode != (rows ? 1 : 0))
		elog(ERROR, "survey_means: a unit's sums have the wrong shape");
	return x;
}

static void
null_design_error(const char *role, const char *col)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("the %s column \"%s\" is NULL in a row that the estimates use", role, col),
			 errdetail("Every row with a value of a variable, in the domain and in a group, needs its design columns, as R's svydesign."),
			 errhint("Leave such rows out of the domain, or out of the relation with a view or a WHERE clause.")));
}

typedef struct Stream
{
	const MeansArgs *a;
	MeansGroups *groups;
	bool		two_stage;
	/* the current stratum, PSU, SSU */
	char	   *s,
			   *p,
			   *q;
	double		n_h,			/* PSUs in the stratum */
				m_hi;			/* SSUs in the PSU */
	bool		f1_have,
				f2_have;
	double		f1_min,
				f1_max,
				f2_min,
				f2_max;
} Stream;

static void
end_ssu(Stream *st)
{
	int			i,
				k = st->groups->n * st->groups->nvars;

	for (i = 0; i < k; i++)
		design_end_ssu(&st->groups->cells[i]);
}

static void
end_psu(Stream *st)
{
	int			i,
				k = st->groups->n * st->groups->nvars;
	double		f2 = 1.0,
				frac;

	end_ssu(st);
	if (st->two_stage)
		fpc_fraction(st->f2_have, st->f2_min, st->f2_max, st->m_hi, st->a->fpc2,
					 psprintf("PSU \"%s\"", st->p), &f2, &frac);
	for (i = 0; i < k; i++)
	{
		DesignStatus ds = design_end_psu(&st->groups->cells[i], st->m_hi, f2,
										 st->two_stage, st->a->lonely);

		if (ds != DESIGN_OK)
			design_lonely_error(st->s, st->p);
	}
	st->m_hi = 0;
	st->f2_have = false;
}

static void
end_stratum(Stream *st)
{
	int			i,
				k = st->groups->n * st->groups->nvars;
	double		f1,
				frac;

	if (st->a->cluster)
		end_psu(st);
	fpc_fraction(st->f1_have, st->f1_min, st->f1_max, st->n_h, st->a->fpc,
				 psprintf("stratum \"%s\"", st->s), &f1, &frac);
	for (i = 0; i < k; i++)
	{
		DesignStatus ds = design_end_stratum(&st->groups->cells[i], st->n_h, f1,
											 frac, st->a->lonely);

		if (ds != DESIGN_OK)
			design_lonely_error(st->s, NULL);
	}
	st->n_h = 0;
	st->f1_have = false;
}

typedef struct UnitRow
{
	char	   *s,
			   *p,
			   *q,
			   *g;
	double	   *x;				/* its _means_sums values */
	const UnitsEntry *e;		/* the units' hash: its entry (keys as text
								 * made in order, see entry_texts) */
} UnitRow;

/* NULL first, then byte order */
static int
cmp_key(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
cmp_units(const void *x, const void *y)
{
	const UnitRow *a = x,
			   *b = y;
	int			c = cmp_key(a->s, b->s);

	if (c == 0)
		c = cmp_key(a->p, b->p);
	if (c == 0)
		c = cmp_key(a->q, b->q);
	return c;
}

/* the units' hash: integer keys (NULL first), as the grouped scan's text */
static int
cmp_entries(const void *x, const void *y)
{
	const UnitsEntry *a = ((const UnitRow *) x)->e,
			   *b = ((const UnitRow *) y)->e;
	int			i;

	for (i = 0; i < 3; i++)
	{
		bool		na = (a->nulls >> i) & 1,
					nb = (b->nulls >> i) & 1;

		if (na != nb)
			return na ? -1 : 1;
		if (a->key[i] != b->key[i])
			return a->key[i] < b->key[i] ? -1 : 1;
	}
	return 0;
}

/*
 * Run one scan query (in SPI): not a cursor, whose plan is never parallel.
 * Locks before snapshot, as table_api.c: preparing locks the relations,
 * then the snapshot is taken.
 */
static void
run_scan(const char *sql)
{
	Snapshot	snap;
	SPIPlanPtr	plan;
	int			guc_level;

	/*
	 * The grouped scan hashes the units: PSUs nest in strata, so the
	 * planner overestimates the groups (strata x PSUs x groups) and would
	 * sort every row instead (3-4 times slower).  Off for this query only,
	 * as a function's SET clause does.
	 */
	guc_level = NewGUCNestLevel();
	(void) set_config_option("enable_sort", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	plan = SPI_prepare_cursor(sql, 0, NULL, CURSOR_OPT_PARALLEL_OK);
	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	snap = RegisterSnapshot(GetTransactionSnapshot());
	if (SPI_execute_snapshot(plan, NULL, NULL, snap, InvalidSnapshot, true, false, 0)
		!= SPI_OK_SELECT)
		elog(ERROR, "survey_reg survey_means scan failed");
	UnregisterSnapshot(snap);
	AtEOXact_GUC(true, guc_level);
}

/* the grouped scan's rows as units */
static UnitRow *
units_of_groups(const MeansArgs *a, uint64 *n)
{
	uint64		r;
	UnitRow    *units = palloc(sizeof(UnitRow) * (SPI_processed > 0 ? SPI_processed : 1));

	for (r = 0; r < SPI_processed; r++)
	{
		HeapTuple	tup = SPI_tuptable->vals[r];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		units[r].s = design_text(tup, desc, COL_S);
		units[r].p = design_text(tup, desc, COL_P);
		units[r].q = design_text(tup, desc, COL_Q);
		units[r].g = design_text(tup, desc, COL_G);
		units[r].x = unit_sums(tup, desc, a->nvars, a->cluster == NULL);
		units[r].e = NULL;
	}
	*n = SPI_processed;
	return units;
}

/* a hashed key as the grouped scan's text ("" when absent, NULL) */
static char *
key_text(const UnitsEntry *e, int i, const char *col)
{
	if (col == NULL)
		return "";
	if (e->nulls & (1u << i))
		return NULL;
	return psprintf(INT64_FORMAT, e->key[i]);
}

/* the groups' texts met so far (the units' hash): a group recurs per unit */
typedef struct GroupTexts
{
	int			n;
	int64		key[64];
	char	   *text[64];
} GroupTexts;

static char *
group_text(GroupTexts *gt, const MeansArgs *a, const UnitsEntry *e)
{
	int			i;

	if (a->by == NULL || (e->nulls & (1u << 3)))
		return key_text(e, 3, a->by);
	for (i = 0; i < gt->n; i++)
		if (gt->key[i] == e->key[3])
			return gt->text[i];
	if (gt->n == lengthof(gt->key))
		return key_text(e, 3, a->by);
	gt->key[gt->n] = e->key[3];
	return gt->text[gt->n++] = key_text(e, 3, a->by);
}

/* a sorted unit's keys as text, shared with the unit before where equal */
static void
entry_texts(const MeansArgs *a, UnitRow *u, const UnitRow *prev, GroupTexts *gt)
{
	const char *cols[3] = {a->strata, a->cluster, a->cluster2};
	char	  **out[3] = {&u->s, &u->p, &u->q};
	int			i;

	for (i = 0; i < 3; i++)
	{
		if (prev && ((prev->e->nulls ^ u->e->nulls) & (1u << i)) == 0
			&& prev->e->key[i] == u->e->key[i])
			*out[i] = i == 0 ? prev->s : i == 1 ? prev->p : prev->q;
		else
			*out[i] = key_text(u->e, i, cols[i]);
	}
	u->g = group_text(gt, a, u->e);
}

/* the units of the hashing scan's state; NULL past its memory budget */
static UnitRow *
units_of_hash(const MeansArgs *a, uint64 *n)
{
	bool		isnull;
	Datum		d;
	UnitsState *st;
	UnitRow    *units;
	int64		i;

	*n = 0;
	if (SPI_processed != 1)
		elog(ERROR, "survey_means: the unit scan returned " UINT64_FORMAT " rows", SPI_processed);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		return palloc(sizeof(UnitRow));	/* no rows */
	st = units_state(d);
	if (st->nvars != a->nvars)
		elog(ERROR, "survey_means: the unit sums have the wrong shape");
	if (st->overflow)
		return NULL;
	units = palloc(sizeof(UnitRow) * (st->count > 0 ? st->count : 1));
	for (i = 0; i < st->count; i++)
	{
		UnitsEntry *e = units_entry(st, i);
		UnitRow    *u = &units[(*n)++];

		u->e = e;
		u->x = e->sums;
	}
	return units;
}

/* whether a key column can go to the units' hash (absent, or an integer) */
static bool
int_key(const TableRef *t, const char *col)
{
	Oid			type;

	if (col == NULL)
		return true;
	type = get_atttype(t->relid, get_attnum(t->relid, col));
	return type == INT2OID || type == INT4OID || type == INT8OID;
}

/* run the scan and feed design_core; the groups' cells in *g */
static void
means_scan(const MeansArgs *a, MeansGroups *g)
{
	Stream		st;
	bool		rows = a->cluster == NULL;
	int			stride = MS_STRIDE(rows ? 1 : 0);
	bool		started = false;
	UnitRow    *units = NULL;
	bool		hashed = false;
	GroupTexts	gt;
	uint64		r,
				nrows;

	memset(&st, 0, sizeof(st));
	gt.n = 0;
	st.a = a;
	st.groups = g;
	st.two_stage = a->cluster2 != NULL && a->fpc != NULL;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/*
	 * Clusters with integer keys: the units' hash (one ungrouped, parallel
	 * aggregate); past work_mem x hash_mem_multiplier, or other key types,
	 * the grouped scan.  Without clusters the grouped scan's groups are
	 * strata x groups, few.
	 */
	if (!rows && !builtin_sums(a)
		&& int_key(&a->t, a->strata) && int_key(&a->t, a->cluster)
		&& int_key(&a->t, a->cluster2) && int_key(&a->t, a->by))
	{
		run_scan(means_sql(a, true));
		units = units_of_hash(a, &nrows);
		hashed = units != NULL;
		if (units == NULL)
			elog(DEBUG1, "survey_means: the units passed work_mem x hash_mem_multiplier, scanning again grouped");
	}
	if (units == NULL)
	{
		run_scan(means_sql(a, false));
		units = units_of_groups(a, &nrows);
	}
	/*
	 * Nested order, sorted here: an ORDER BY lets the planner sort the
	 * relation's rows for a GroupAggregate instead of hashing them.
	 */
	qsort(units, nrows, sizeof(UnitRow), hashed ? cmp_entries : cmp_units);
	for (r = 0; r < nrows; r++)
	{
		char	   *s,
				   *p,
				   *q,
				   *gv;
		double	   *x = units[r].x;
		bool		used = x[MS_USED] > 0;
		int			gi = -1,
					v;

		if (hashed)
			entry_texts(a, &units[r], r > 0 ? &units[r - 1] : NULL, &gt);
		s = units[r].s;
		p = units[r].p;
		q = units[r].q;
		gv = units[r].g;
		CHECK_FOR_INTERRUPTS();
		if (used)
		{
			if (s == NULL)
				null_design_error("strata", a->strata);
			if (p == NULL)
				null_design_error("cluster", a->cluster);
			if (q == NULL)
				null_design_error("cluster2", a->cluster2);
			if (x[MS_W_NULL] > 0)
				null_design_error("weight", a->weight);
			if (a->fpc && x[MS_F1_NULL] > 0)
				null_design_error("fpc", a->fpc);
			if (st.two_stage && x[MS_F2_NULL] > 0)
				null_design_error("fpc2", a->fpc2);
		}
		/* the nesting: a new stratum, PSU or SSU ends the ones before */
		if (!started || !design_same(s, st.s))
		{
			if (started)
				end_stratum(&st);
			st.s = MemoryContextStrdup(g->mcxt, s);
			st.p = st.q = NULL;
			started = true;
		}
		if (!rows)
		{
			if (!design_same(p, st.p))
			{
				if (st.p)
					end_psu(&st);
				st.p = MemoryContextStrdup(g->mcxt, p);
				st.q = NULL;
				st.n_h += 1;
			}
			if (!design_same(q, st.q))
			{
				if (st.q)
					end_ssu(&st);
				st.q = MemoryContextStrdup(g->mcxt, q);
				st.m_hi += 1;
			}
		}
		else
			st.n_h += x[MS_ROWS];
		if (x[MS_F1_HAVE] != 0.0)
			design_minmax(&st.f1_have, &st.f1_min, &st.f1_max,
						  x[MS_F1_MIN], x[MS_F1_MAX]);
		if (x[MS_F2_HAVE] != 0.0)
			design_minmax(&st.f2_have, &st.f2_min, &st.f2_max,
						  x[MS_F2_MIN], x[MS_F2_MAX]);

		if (a->by == NULL)
			gi = group_index(g, "");
		else if (gv != NULL)
			gi = group_index(g, gv);
		if (gi < 0 || !used)
			continue;
		for (v = 0; v < a->nvars; v++)
		{
			const double *c = x + MS_FIXED + v * stride;
			DesignCell *cell = &g->cells[gi * a->nvars + v];

			if (c[MS_N] == 0)
				continue;
			if (rows)
				design_add_rows(cell, (int64) c[MS_N], c[MS_WY], c[MS_W],
								c[MS_WYY], c[MS_WWY], c[MS_WW]);
			else
				design_add(cell, (int64) c[MS_N], c[MS_WY], c[MS_W]);
		}
	}
	if (started)
		end_stratum(&st);
	SPI_finish();
}

static int
cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *) x, *(char *const *) y);
}

static void
means_args(FunctionCallInfo fcinfo, MeansArgs *a)
{
	char	   *lonely = optional_text_arg(fcinfo, 10);
	int			i;

	memset(a, 0, sizeof(MeansArgs));
	a->t = resolve_relation(PG_GETARG_TEXT_PP(0));
	a->vars = text_array_to_cstrings(PG_GETARG_ARRAYTYPE_P(1), &a->nvars, "variables");
	if (a->nvars < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("variables must name at least one column")));
	a->boolean = palloc(sizeof(bool) * a->nvars);
	for (i = 0; i < a->nvars; i++)
	{
		check_column(&a->t, a->vars[i]);
		a->boolean[i] = column_is_boolean(&a->t, a->vars[i]);
	}
	a->weight = optional_text_arg(fcinfo, 2);
	a->strata = optional_text_arg(fcinfo, 3);
	a->cluster = optional_text_arg(fcinfo, 4);
	a->fpc = optional_text_arg(fcinfo, 5);
	a->cluster2 = optional_text_arg(fcinfo, 6);
	a->fpc2 = optional_text_arg(fcinfo, 7);
	a->by = optional_text_arg(fcinfo, 8);
	a->domain = optional_text_arg(fcinfo, 9);
	a->lonely = lonely ? (DesignLonely) robust_lonely_arg(lonely) : DESIGN_LONELY_FAIL;
	{
		char	   *cols[] = {a->weight, a->strata, a->cluster, a->fpc,
		a->cluster2, a->fpc2, a->by, a->domain};

		for (i = 0; i < (int) lengthof(cols); i++)
			if (cols[i])
				check_column(&a->t, cols[i]);
	}
	if (a->domain && !column_is_boolean(&a->t, a->domain))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("the domain column \"%s\" is not boolean", a->domain),
				 errhint("Pass a boolean column, or an expression in a view: true for the rows in the domain.")));
	design_stages_check(a->cluster, a->cluster2, a->fpc, a->fpc2);
}

/*
 * survey_means(source, variables, weight, strata, cluster, fpc, cluster2,
 * fpc2, by, domain, lonely_psu): not STRICT; a NULL source or variables
 * gives no rows.
 */
Datum
survey_means_table(PG_FUNCTION_ARGS)
{
	MeansArgs	a;
	MeansGroups g;
	ReturnSetInfo *rsinfo;
	char	  **order;
	int			i,
				v;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return (Datum) 0;
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	means_args(fcinfo, &a);
	memset(&g, 0, sizeof(g));
	g.nvars = a.nvars;
	g.last = -1;
	g.mcxt = CurrentMemoryContext;
	if (a.by == NULL)
		group_index(&g, "");
	means_scan(&a, &g);

	/* groups in byte order of their text */
	order = palloc(sizeof(char *) * (g.n > 0 ? g.n : 1));
	memcpy(order, g.names, sizeof(char *) * g.n);
	qsort(order, g.n, sizeof(char *), cmp_names);
	for (i = 0; i < g.n; i++)
	{
		int			gi = group_index(&g, order[i]);

		for (v = 0; v < a.nvars; v++)
		{
			DesignEstimate e;
			Datum		values[10];
			bool		nulls[10];
			const DesignCell *c = &g.cells[gi * a.nvars + v];
			double		q;

			design_estimate(c, &e);
			memset(nulls, 0, sizeof(nulls));
			values[0] = a.by ? CStringGetTextDatum(order[i]) : (Datum) 0;
			nulls[0] = a.by == NULL;
			values[1] = CStringGetTextDatum(a.vars[v]);
			values[2] = Int64GetDatum(c->n);
			values[3] = Float8GetDatum(e.mean);
			values[4] = Float8GetDatum(e.se);
			q = e.df > 0 ? rmath_qt(0.5 + CI_LEVEL / 2, e.df, 1, 0) : NAN;
			values[5] = Float8GetDatum(e.mean - q * e.se);
			values[6] = Float8GetDatum(e.mean + q * e.se);
			values[7] = Float8GetDatum(e.total);
			values[8] = Float8GetDatum(e.total_se);
			values[9] = Float8GetDatum(e.df);
			nulls[3] = isnan(e.mean);
			nulls[4] = isnan(e.se);
			nulls[5] = nulls[6] = isnan(e.mean - q * e.se);
			nulls[8] = isnan(e.total_se);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	return (Datum) 0;
}
