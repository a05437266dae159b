/*
 * table_api.c — the table-name forms: one scan of a relation, by name, with
 * the caller's privileges, feeding the same analyses as the state forms.
 *
 * Safety: the relation name is resolved like a regclass literal (so it
 * follows the caller's search_path and quoting rules) and printed back as a
 * fully qualified, quoted identifier; every column is checked against the
 * relation and quoted; every function and type in the generated query is
 * schema-qualified.  Nothing the caller passes is spliced into SQL as text.
 * The query runs through SPI as the current user, so privileges and
 * row-level security apply, and may use a parallel plan.
 *
 * Locks before snapshot: PostgreSQL locks every relation a statement reads
 * before it takes the statement's snapshot, so a statement that waited for
 * a reload (TRUNCATE + INSERT, DROP + CREATE) reads the reloaded rows.  The
 * analyses do the same: the name is resolved with a lock, the query is
 * prepared (parse analysis locks views' base tables too), and only then is
 * the snapshot taken that the query reads with.  The caller's snapshot is
 * older than any wait and would read TRUNCATE's new, empty file (n = 0).
 */
#include "survey_reg.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "parser/parse_coerce.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "parser/scansup.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/snapmgr.h"
#include "utils/varlena.h"

PG_FUNCTION_INFO_V1(table_moments_sql);
PG_FUNCTION_INFO_V1(describe_table);
PG_FUNCTION_INFO_V1(correlations_table);
PG_FUNCTION_INFO_V1(check_column_sql);
PG_FUNCTION_INFO_V1(float8_column_sql);

TableRef
resolve_relation(text *source)
{
	TableRef	t;
	char		relkind;

	/* as a regclass literal, but locked (and looked up again after a wait) */
	t.relid = RangeVarGetRelid(makeRangeVarFromNameList(textToQualifiedNameList(source)),
							   AccessShareLock, false);
	relkind = get_rel_relkind(t.relid);
	if (relkind != RELKIND_RELATION && relkind != RELKIND_VIEW
		&& relkind != RELKIND_MATVIEW && relkind != RELKIND_FOREIGN_TABLE
		&& relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("\"%s\" is not a table, view or materialized view",
						get_rel_name(t.relid))));
	t.sql_name = quote_qualified_identifier(get_namespace_name(get_rel_namespace(t.relid)),
											get_rel_name(t.relid));
	t.on_citus = relation_on_citus(t.relid, relkind);
	return t;
}

/*
 * The query would fail without SELECT on the column anyway; checking first
 * lets the error say why a view over a table-name call does not help (the
 * function reads the relation as the calling role, never as the view's
 * owner) and what does.  The message is PostgreSQL's own.
 */
static void
check_select_privilege(const TableRef *t, AttrNumber attnum)
{
	Oid			role = GetUserId();
	const char *kind;

	if (pg_class_aclcheck(t->relid, role, ACL_SELECT) == ACLCHECK_OK
		|| pg_attribute_aclcheck(t->relid, attnum, role, ACL_SELECT) == ACLCHECK_OK)
		return;
	switch (get_rel_relkind(t->relid))
	{
		case RELKIND_VIEW:
			kind = "view";
			break;
		case RELKIND_MATVIEW:
			kind = "materialized view";
			break;
		case RELKIND_FOREIGN_TABLE:
			kind = "foreign table";
			break;
		default:
			kind = "table";
	}
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("permission denied for %s %s", kind, get_rel_name(t->relid)),
			 errdetail("survey_reg's table-name functions read the relation with the privileges of the role that calls them (%s), also when they are called from a view.",
					   GetUserNameFromId(role, false)),
			 errhint("Grant that role SELECT on the relation, or build the view over the aggregate form, which reads the relation with the view owner's privileges: SELECT d.* FROM (SELECT survey_reg.moments(...) AS m FROM relation) s, LATERAL survey_reg.describe(s.m) d.")));
}

void
check_column(const TableRef *t, char *column)
{
	AttrNumber	attnum;

	/* shortened to NAMEDATALEN - 1 bytes with the parser's NOTICE, in place */
	truncate_identifier(column, strlen(column), true);
	attnum = get_attnum(t->relid, column);
	if (attnum <= 0 && strchr(column, ',') != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist",
						column, get_rel_name(t->relid)),
				 errhint("Name one column per array element: %s.",
						 names_array_hint(column))));
	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist",
						column, get_rel_name(t->relid))));
	check_select_privilege(t, attnum);
}

/*
 * "ARRAY['a', 'b']" from "a, b": the form a list written as one string
 * (or one array element) should have taken.
 */
char *
names_array_hint(const char *list)
{
	StringInfoData buf;
	const char *s = list;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "ARRAY[");
	for (;;)
	{
		const char *comma = strchr(s, ',');
		int			len = comma ? (int) (comma - s) : (int) strlen(s);

		while (len > 0 && scanner_isspace(*s))
			s++, len--;
		while (len > 0 && scanner_isspace(s[len - 1]))
			len--;
		if (buf.len > 6)
			appendStringInfoString(&buf, ", ");
		appendStringInfoString(&buf, quote_literal_cstr(pnstrdup(s, len)));
		if (!comma)
			break;
		s = comma + 1;
	}
	appendStringInfoChar(&buf, ']');
	return buf.data;
}

/*
 * The one place that decides which column types the analyses read, and
 * how: the SQL expression that reads column (already checked with
 * check_column) as float8.  Numbers are a number type (typcategory 'N', a
 * domain over one included) with a real cast to float8: integers, numeric,
 * float4/8 and user types that declare such a cast; money (no cast), oid
 * and reg* (no cast) are not.  boolean counts as 0/1.  Anything else is
 * refused up front with the column's name and type: cast at run time, the
 * first bad row would fail inside the generated query instead, naming
 * neither.
 */
char *
column_float8_expr(const TableRef *t, const char *column)
{
	AttrNumber	attnum = get_attnum(t->relid, column);
	Oid			typid,
				base;
	int32		typmod;
	Oid			collid;
	Oid			funcid;
	char		category;
	bool		preferred;

	if (attnum <= 0)			/* check_column said so already */
		elog(ERROR, "column \"%s\" does not exist", column);
	get_atttypetypmodcoll(t->relid, attnum, &typid, &typmod, &collid);
	base = getBaseType(typid);
	if (base == BOOLOID)
		return psprintf("(%s)::pg_catalog.int4::pg_catalog.float8",
						quote_identifier(column));
	get_type_category_preferred(base, &category, &preferred);
	if (category == TYPCATEGORY_NUMERIC
		&& (base == FLOAT8OID
			|| find_coercion_pathway(FLOAT8OID, base, COERCION_EXPLICIT, &funcid)
			== COERCION_PATH_FUNC))
		return psprintf("(%s)::pg_catalog.float8", quote_identifier(column));
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("column \"%s\" of relation \"%s\" is of type %s, not a number",
					column, get_rel_name(t->relid), format_type_be(typid)),
			 errdetail("survey_reg analyses columns of number types; boolean columns count as 0/1."),
			 errhint("Cast it to a number in a view (for example %s::float8 AS %s), or use factor(%s) for a categorical predictor.",
					 quote_identifier(column),
					 quote_identifier(psprintf("%s_num", column)),
					 quote_identifier(column))));
	return NULL;				/* not reached */
}

/*
 * survey_reg._float8_column(rel regclass, col text) → text: check_column,
 * then column_float8_expr, for the table-name forms written in SQL
 * (frequencies and its tables).
 */
static Datum
float8_column_sql_impl(PG_FUNCTION_ARGS)
{
	TableRef	t;
	char	   *column;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("relation must not be NULL")));
	t.relid = PG_GETARG_OID(0);
	t.sql_name = NULL;
	t.on_citus = false;
	column = PG_ARGISNULL(1) ? pstrdup("") : text_to_cstring(PG_GETARG_TEXT_PP(1));
	check_column(&t, column);
	PG_RETURN_TEXT_P(cstring_to_text(column_float8_expr(&t, column)));
}

Datum
float8_column_sql(PG_FUNCTION_ARGS)
{
	return call_without_internal_context(float8_column_sql_impl, fcinfo);
}

/*
 * survey_reg._check_column(rel regclass, col text): check_column for the
 * table-name forms written in SQL (frequencies and its tables), so that
 * they fail as the C ones do.  Not strict: a NULL column is an error too.
 */
static Datum
check_column_sql_impl(PG_FUNCTION_ARGS)
{
	TableRef	t;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("relation must not be NULL")));
	t.relid = PG_GETARG_OID(0);
	t.sql_name = NULL;
	check_column(&t, PG_ARGISNULL(1) ? pstrdup("") : text_to_cstring(PG_GETARG_TEXT_PP(1)));
	PG_RETURN_VOID();
}

Datum
check_column_sql(PG_FUNCTION_ARGS)
{
	return call_without_internal_context(check_column_sql_impl, fcinfo);
}

void
check_columns(const TableRef *t, char **columns, int ncolumns)
{
	int			i,
				j;

	if (ncolumns < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("at least one column is needed")));
	if (ncolumns > MOMENTS_MAX_K)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("at most %d columns are supported", MOMENTS_MAX_K)));
	for (i = 0; i < ncolumns; i++)
	{
		check_column(t, columns[i]);
		for (j = i + 1; j < ncolumns; j++)
			if (strcmp(columns[i], columns[j]) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_DUPLICATE_COLUMN),
						 errmsg("column \"%s\" is named more than once",
								columns[i])));
	}
}

/* (c1)::float8, (c2)::float8, ... (comma: with a leading ", ") */
void
append_float8_columns(StringInfo sql, const TableRef *t, char **columns,
					  int ncolumns, bool comma)
{
	int			i;

	for (i = 0; i < ncolumns; i++)
		appendStringInfo(sql, "%s%s", (i || comma) ? ", " : "",
						 column_float8_expr(t, columns[i]));
}

/* ARRAY['c1', 'c2', ...]::text[] */
static void
append_names_array(StringInfo sql, char **columns, int ncolumns)
{
	int			i;

	appendStringInfoString(sql, "ARRAY[");
	for (i = 0; i < ncolumns; i++)
		appendStringInfo(sql, "%s%s", i ? ", " : "",
						 quote_literal_cstr(columns[i]));
	appendStringInfoString(sql, "]::pg_catalog.text[]");
}

/*
 * survey_reg.rename(survey_reg.moments_of[_weighted]([w,] c1, ..), names):
 * the separate-argument aggregate spares a per-row array.  A function takes
 * at most FUNC_MAX_ARGS (100) arguments, and Citus cannot split a VARIADIC
 * "any" aggregate (citus_relation.c): wider calls and Citus relations use
 * the array form survey_reg.moments(ARRAY[c1, ..], names [, w]).
 */
void
append_moments_call(StringInfo sql, const TableRef *t, char **columns,
					int ncolumns, const char *weight)
{
	if (t->on_citus || ncolumns + (weight ? 1 : 0) > FUNC_MAX_ARGS - 1)
	{
		appendStringInfoString(sql, "survey_reg.moments(ARRAY[");
		append_float8_columns(sql, t, columns, ncolumns, false);
		appendStringInfoString(sql, "]::pg_catalog.float8[], ");
		append_names_array(sql, columns, ncolumns);
		if (weight)
			appendStringInfo(sql, ", %s", column_float8_expr(t, weight));
		appendStringInfoChar(sql, ')');
		return;
	}
	appendStringInfoString(sql, "survey_reg.rename(");
	if (weight)
		appendStringInfo(sql, "survey_reg.moments_of_weighted(%s",
						 column_float8_expr(t, weight));
	else
		appendStringInfoString(sql, "survey_reg.moments_of(");
	append_float8_columns(sql, t, columns, ncolumns, weight != NULL);
	appendStringInfoString(sql, "), ");
	append_names_array(sql, columns, ncolumns);
	appendStringInfoChar(sql, ')');
}

/*
 * Prepare a query of an analysis (in a connected SPI): parse analysis locks
 * every relation it reads, views' base tables included.  Parallel plans
 * allowed: SPI_prepare alone plans without them (cursor options 0), which
 * made every table-name scan serial since the lock-then-snapshot change.
 */
static SPIPlanPtr
table_prepare(const char *sql, int nargs, Oid *argtypes)
{
	SPIPlanPtr	plan = SPI_prepare_cursor(sql, nargs, argtypes, CURSOR_OPT_PARALLEL_OK);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	return plan;
}

/*
 * Errors carry no internal query as CONTEXT.  An error raised inside a
 * generated query (a value out of float8's range, a function of the
 * caller's view failing, a cancel) would carry SPI's line 'SQL statement
 * "SELECT survey_reg.rename(...) FROM ..."', and one raised under a
 * formatted table or the report one 'SQL statement "SELECT array_agg(...)
 * ... survey_reg.describe(src, variables, missing, weight) ..."' per
 * PL/pgSQL function of ours: our internals, not the caller's SQL.  Such
 * entries are dropped (the generated query itself, and any statement
 * directly under a "PL/pgSQL function survey_reg." entry); every other
 * entry stays, the caller's own functions' included.
 */

/* where the context entry at s ends: at the next "\n" that starts one */
static const char *
context_entry_end(const char *s)
{
	static const char *const starts[] = {
		"SQL statement \"", "PL/pgSQL function ", "SQL function \"",
		"parallel worker", "PL/pgSQL assignment ", "SQL expression \"",
	};
	const char *p = s;

	while ((p = strchr(p, '\n')) != NULL)
	{
		for (int k = 0; k < (int) lengthof(starts); k++)
			if (strncmp(p + 1, starts[k], strlen(starts[k])) == 0)
				return p;
		p++;
	}
	return s + strlen(s);
}

static char *
strip_internal_context(const char *context, const char *generated_sql)
{
	StringInfoData buf;
	char	   *generated = generated_sql
		? psprintf("SQL statement \"%s\"", generated_sql) : NULL;
	const char *s = context;

	initStringInfo(&buf);
	while (*s)
	{
		const char *end = context_entry_end(s);
		int			len = (int) (end - s);
		const char *next = *end ? end + 1 : end;
		bool		drop = false;

		if (strncmp(s, "SQL statement \"", 15) == 0 || strncmp(s, "SQL expression \"", 16) == 0)
			drop = (generated && (int) strlen(generated) == len
					&& strncmp(s, generated, len) == 0)
				|| strncmp(next, "PL/pgSQL function survey_reg.", 29) == 0;
		if (!drop)
		{
			if (buf.len > 0)
				appendStringInfoChar(&buf, '\n');
			appendBinaryStringInfo(&buf, s, len);
		}
		s = next;
	}
	return buf.len > 0 ? buf.data : NULL;
}

/* in a PG_CATCH: the error again, its internal context entries dropped */
static void
rethrow_without_internal_context(MemoryContext cxt, const char *generated_sql)
{
	ErrorData  *edata;

	MemoryContextSwitchTo(cxt);
	edata = CopyErrorData();
	if (edata->context)
		edata->context = strip_internal_context(edata->context, generated_sql);
	/* a syntax error's position would point into the generated query */
	if (generated_sql)
	{
		edata->internalquery = NULL;
		edata->internalpos = 0;
	}
	FlushErrorState();
	ReThrowError(edata);
}

/*
 * fn(fcinfo), any error rethrown without internal context entries: the
 * entry points of the table-name functions (SQL-callable) go through this.
 */
Datum
call_without_internal_context(PGFunction fn, FunctionCallInfo fcinfo)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile Datum result = (Datum) 0;

	PG_TRY();
	{
		result = fn(fcinfo);
	}
	PG_CATCH();
	{
		rethrow_without_internal_context(cxt, NULL);
	}
	PG_END_TRY();
	return result;
}

Snapshot
table_snapshot_after(const char *sql, int nargs, Oid *argtypes)
{
	MemoryContext cxt = CurrentMemoryContext;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PG_TRY();
	{
		table_prepare(sql, nargs, argtypes);
	}
	PG_CATCH();
	{
		rethrow_without_internal_context(cxt, sql);
	}
	PG_END_TRY();
	SPI_finish();				/* the plan goes, its locks stay */
	return RegisterSnapshot(GetTransactionSnapshot());
}

int
table_query(const char *sql, int nargs, Oid *argtypes, Datum *values,
			Snapshot snapshot)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile int ret = 0;

	PG_TRY();
	{
		SPIPlanPtr	plan = table_prepare(sql, nargs, argtypes);
		Snapshot	snap = snapshot != InvalidSnapshot ? snapshot
		: RegisterSnapshot(GetTransactionSnapshot());

		ret = SPI_execute_snapshot(plan, values, NULL, snap, InvalidSnapshot,
								   true, false, 0);
		if (snapshot == InvalidSnapshot)
			UnregisterSnapshot(snap);
	}
	PG_CATCH();
	{
		rethrow_without_internal_context(cxt, sql);
	}
	PG_END_TRY();
	return ret;
}

/*
 * Run "SELECT <calls> FROM rel" and return the nstates states, copied into
 * the caller's memory context.  A NULL aggregate (no rows) becomes an empty
 * state over the same names.
 */
static MomentsState **
run_moments_query(const char *sql, Snapshot snapshot, int nstates,
				  char ***names, int *nnames, int64 *rows)
{
	MomentsState **out = palloc(sizeof(MomentsState *) * nstates);
	int			i;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (table_query(sql, 0, NULL, NULL, snapshot) != SPI_OK_SELECT
		|| SPI_processed != 1)
		elog(ERROR, "survey_reg scan query did not return one row");
	for (i = 0; i < nstates; i++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0],
									  SPI_tuptable->tupdesc, i + 1, &isnull);

		if (isnull)
		{
			MemoryContext old = MemoryContextSwitchTo(SPI_tuptable->tuptabcxt);
			MomentsState *empty = moments_new(nnames[i], (const char *const *) names[i]);

			MemoryContextSwitchTo(old);
			d = PointerGetDatum(empty);
		}
		{
			MomentsState *m = DatumGetMomentsP(d);

			out[i] = SPI_palloc(VARSIZE(m));
			memcpy(out[i], m, VARSIZE(m));
		}
	}
	if (rows)					/* the count(*) after the states */
	{
		bool		isnull;

		*rows = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
											SPI_tuptable->tupdesc,
											nstates + 1, &isnull));
	}
	SPI_finish();
	return out;
}

/*
 * Listwise deletion that keeps fewer than this fraction of the rows says
 * so, naming the variables that are missing in at least this fraction of
 * the rows (or, when none is, the one missing most often): an all-NULL
 * column otherwise gives n = 0 and NULL statistics for every variable
 * without a word.  README: "Missing values".
 */
#define LISTWISE_NOTICE_KEPT 0.5
#define LISTWISE_NOTICE_NAMED 0.5
#define LISTWISE_NOTICE_MAX_NAMES 10	/* then "and N more variables" */

/* 1646 → "1,646", as the NOTICE prints counts */
static char *
count_text(int64 n)
{
	char		digits[32];
	StringInfoData buf;
	int			len,
				i;

	snprintf(digits, sizeof(digits), INT64_FORMAT, n);
	len = strlen(digits);
	initStringInfo(&buf);
	for (i = 0; i < len; i++)
	{
		if (i > 0 && digits[i] != '-' && (len - i) % 3 == 0 && digits[i - 1] != '-')
			appendStringInfoChar(&buf, ',');
		appendStringInfoChar(&buf, digits[i]);
	}
	return buf.data;
}

/*
 * The NOTICE of listwise deletion that kept few rows: a second scan (only
 * then) counts, per variable, the rows where it is NULL and where it is
 * not a finite number (a weight: not positive), with the same snapshot as
 * the analysis when it has one.
 */
static void
listwise_notice(const TableRef *t, char **columns, int ncolumns,
				const char *weight, Snapshot snapshot, int64 kept, int64 rows)
{
	int			nvars = ncolumns + (weight ? 1 : 0);
	int64	   *nulls = palloc(sizeof(int64) * nvars);
	int64	   *missing = palloc(sizeof(int64) * nvars);
	StringInfoData sql,
				msg;
	int			i,
				worst = 0,
				named = 0;

	/* one array, not a column per count: a target list holds 1664 */
	initStringInfo(&sql);
	appendStringInfoString(&sql, "SELECT ARRAY[");
	for (i = 0; i < nvars; i++)
	{
		const char *col = i < ncolumns ? columns[i] : weight;
		char	   *e = column_float8_expr(t, col);

		appendStringInfo(&sql, "%spg_catalog.count(*) FILTER (WHERE %s IS NULL), ",
						 i ? ", " : "", e);
		if (i < ncolumns)
			appendStringInfo(&sql, "pg_catalog.count(*) FILTER (WHERE NOT coalesce(%s > '-Infinity'::pg_catalog.float8 AND %s < 'Infinity'::pg_catalog.float8, false))",
							 e, e);
		else
			appendStringInfo(&sql, "pg_catalog.count(*) FILTER (WHERE %s IS NULL)", e);
	}
	appendStringInfo(&sql, "]::pg_catalog.int8[] FROM %s", t->sql_name);
	if (weight)
	{
		char	   *w = column_float8_expr(t, weight);

		appendStringInfo(&sql, " WHERE %s IS NULL OR %s <> 0", w, w);
	}
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (table_query(sql.data, 0, NULL, NULL, snapshot) != SPI_OK_SELECT
		|| SPI_processed != 1)
		elog(ERROR, "survey_reg missing-value count did not return one row");
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0],
									  SPI_tuptable->tupdesc, 1, &isnull);
		Datum	   *counts;
		bool	   *cnulls;
		int			ncounts;

		deconstruct_array(DatumGetArrayTypeP(d), INT8OID, sizeof(int64),
						  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
						  &counts, &cnulls, &ncounts);
		if (ncounts != 2 * nvars)
			elog(ERROR, "survey_reg missing-value count returned %d counts", ncounts);
		for (i = 0; i < nvars; i++)
		{
			nulls[i] = DatumGetInt64(counts[2 * i]);
			missing[i] = DatumGetInt64(counts[2 * i + 1]);
		}
	}
	for (i = 0; i < nvars; i++)
	{
		if (missing[i] > missing[worst])
			worst = i;
	}
	SPI_finish();

	/* the variables NULL in every row in one clause, then the others */
	initStringInfo(&msg);
	{
		int			nall = 0;
		StringInfoData all;

		initStringInfo(&all);
		for (i = 0; i < ncolumns; i++)
			if (nulls[i] == rows && ++nall <= LISTWISE_NOTICE_MAX_NAMES)
				appendStringInfo(&all, "%s%s", nall > 1 ? ", " : "", columns[i]);
		if (nall > LISTWISE_NOTICE_MAX_NAMES)
			appendStringInfo(&all, " and %d more", nall - LISTWISE_NOTICE_MAX_NAMES);
		if (nall > 0)
			appendStringInfo(&msg, "; variable%s %s %s NULL in every row",
							 nall > 1 ? "s" : "", all.data, nall > 1 ? "are" : "is");
		named = nall;
	}
	for (i = 0; i < nvars; i++)
	{
		const char *what = i < ncolumns ? "variable" : "weight";
		const char *col = i < ncolumns ? columns[i] : weight;

		if (i < ncolumns && nulls[i] == rows)
			continue;			/* said above */
		if (!(missing[i] >= rows * LISTWISE_NOTICE_NAMED
			  || (i == worst && named == 0 && missing[i] > 0)))
			continue;
		if (++named > LISTWISE_NOTICE_MAX_NAMES)
			continue;
		appendStringInfoString(&msg, "; ");
		if (missing[i] < rows * LISTWISE_NOTICE_NAMED)
			appendStringInfo(&msg, "missing values are spread over the variables, %s %s most often (%s %s rows)",
							 what, col, nulls[i] == missing[i] ? "NULL in" : "NULL or not finite in",
							 count_text(missing[i]));
		else if (nulls[i] == rows)
			appendStringInfo(&msg, "%s %s is NULL in every row", what, col);
		else if (missing[i] == rows)
			appendStringInfo(&msg, "%s %s is NULL or not finite in every row",
							 what, col);
		else if (nulls[i] == missing[i])
			appendStringInfo(&msg, "%s %s is NULL in %s rows", what, col,
							 count_text(missing[i]));
		else
			appendStringInfo(&msg, "%s %s is NULL or not finite in %s rows",
							 what, col, count_text(missing[i]));
	}
	ereport(NOTICE,
			(errmsg("listwise deletion kept %s of %s rows%s",
					count_text(kept), count_text(rows), msg.data),
			 errdetail("A row is used only when every variable is a finite number%s; survey_reg says so when fewer than half of the rows are kept.",
					   weight ? " and its weight is not NULL (rows of weight 0 are not counted)" : ""),
			 errhint("Leave such a variable out, or use missing => 'pairwise' in describe and correlations.")));
}

MomentsState *
table_moments(text *source, char **columns, int ncolumns, char *weight)
{
	return table_moments_at(source, columns, ncolumns, weight, InvalidSnapshot);
}

MomentsState *
table_moments_at(text *source, char **columns, int ncolumns,
				 char *weight, Snapshot snapshot)
{
	return table_moments_domain(source, columns, ncolumns, weight, snapshot, NULL);
}

/* the same over the rows where the boolean column domain is true */
MomentsState *
table_moments_domain(text *source, char **columns, int ncolumns,
					 char *weight, Snapshot snapshot, const char *domain)
{
	TableRef	t = resolve_relation(source);
	StringInfoData sql;
	MomentsState *m;
	int64		rows = 0;

	check_columns(&t, columns, ncolumns);
	if (weight)
		check_column(&t, weight);
	initStringInfo(&sql);
	appendStringInfoString(&sql, "SELECT ");
	append_moments_call(&sql, &t, columns, ncolumns, weight);
	/* rows with a zero weight are left out by design, not missing */
	if (weight)
	{
		char	   *w = column_float8_expr(&t, weight);

		appendStringInfo(&sql, ", pg_catalog.count(*) FILTER (WHERE %s IS NULL OR %s <> 0) FROM %s",
						 w, w, t.sql_name);
	}
	else
		appendStringInfo(&sql, ", pg_catalog.count(*) FROM %s", t.sql_name);
	if (domain)
		appendStringInfo(&sql, " WHERE (%s)::pg_catalog.bool", quote_identifier(domain));
	m = run_moments_query(sql.data, snapshot, 1, &columns, &ncolumns, &rows)[0];
	if (rows > 0 && m->nrows < rows * LISTWISE_NOTICE_KEPT)
		listwise_notice(&t, columns, ncolumns, weight, snapshot,
						m->nrows, rows);
	return m;
}

/*
 * Aggregates per query of the pairwise forms: a target list holds at most
 * MaxTupleAttributeNumber (1664) entries, and 200 variables have 19,900
 * pairs, so the states are computed in several scans of this many.
 */
#define PAIRWISE_STATES_PER_SCAN 1000

/*
 * Pairwise deletion: a state per variable (when singles) and then a state
 * per pair of variables (when pairs; i < j in row-major order), in as few
 * scans as the target-list limit allows, all reading one snapshot.
 */
static MomentsState **
table_moments_pairwise(text *source, char **columns, int ncolumns,
					   char *weight, bool singles, bool pairs)
{
	TableRef	t = resolve_relation(source);
	int			count = (singles ? ncolumns : 0)
	+ (pairs ? ncolumns * (ncolumns - 1) / 2 : 0);
	char	 ***names = palloc(sizeof(char **) * (count > 0 ? count : 1));
	int		   *nnames = palloc(sizeof(int) * (count > 0 ? count : 1));
	MomentsState **out = palloc(sizeof(MomentsState *) * (count > 0 ? count : 1));
	char	  **sqls;
	int			nscans = (count + PAIRWISE_STATES_PER_SCAN - 1) / PAIRWISE_STATES_PER_SCAN;
	Snapshot	snapshot;
	int			s = 0,
				i,
				j;

	check_columns(&t, columns, ncolumns);
	if (weight)
		check_column(&t, weight);
	for (i = 0; singles && i < ncolumns; i++)
	{
		names[s] = &columns[i];
		nnames[s++] = 1;
	}
	for (i = 0; pairs && i < ncolumns; i++)
		for (j = i + 1; j < ncolumns; j++)
		{
			names[s] = palloc(sizeof(char *) * 2);
			names[s][0] = columns[i];
			names[s][1] = columns[j];
			nnames[s++] = 2;
		}
	sqls = palloc(sizeof(char *) * (nscans > 0 ? nscans : 1));
	for (i = 0; i < nscans; i++)
	{
		StringInfoData sql;
		int			first = i * PAIRWISE_STATES_PER_SCAN,
					last = Min(count, first + PAIRWISE_STATES_PER_SCAN);

		initStringInfo(&sql);
		appendStringInfoString(&sql, "SELECT ");
		for (s = first; s < last; s++)
		{
			if (s > first)
				appendStringInfoString(&sql, ", ");
			append_moments_call(&sql, &t, names[s], nnames[s], weight);
		}
		appendStringInfo(&sql, " FROM %s", t.sql_name);
		sqls[i] = sql.data;
	}
	/* every scan reads the same relation: the first one's locks are theirs */
	snapshot = table_snapshot_after(sqls[0], 0, NULL);
	for (i = 0; i < nscans; i++)
	{
		int			first = i * PAIRWISE_STATES_PER_SCAN;

		CHECK_FOR_INTERRUPTS();
		memcpy(out + first,
			   run_moments_query(sqls[i], snapshot,
								 Min(count - first, PAIRWISE_STATES_PER_SCAN),
								 names + first, nnames + first, NULL),
			   sizeof(MomentsState *) * Min(count - first, PAIRWISE_STATES_PER_SCAN));
	}
	UnregisterSnapshot(snapshot);
	return out;
}

/*
 * describe(source, variables, 'w') passes 'w' as missing, where
 * reliability, frequencies and coefficients take a weight third: when the
 * value names a column of source, the hint says to write weight => 'w'.
 */
static bool
names_a_column(text *source, const char *name)
{
	List	   *qualified = textToQualifiedNameList(source);
	Oid			relid = RangeVarGetRelid(makeRangeVarFromNameList(qualified),
										 AccessShareLock, true);

	return OidIsValid(relid) && get_attnum(relid, name) > 0;
}

static char *
missing_arg(FunctionCallInfo fcinfo, int argno)
{
	char	   *missing = PG_ARGISNULL(argno) ? "listwise"
	: text_to_cstring(PG_GETARG_TEXT_PP(argno));

	if (strcmp(missing, "listwise") != 0 && strcmp(missing, "pairwise") != 0
		&& names_a_column(PG_GETARG_TEXT_PP(0), missing))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("missing must be 'listwise' or 'pairwise'"),
				 errdetail("It is '%s', a column of the relation: the third argument of %s is missing, not weight.",
						   missing, get_func_name(fcinfo->flinfo->fn_oid)),
				 errhint("To weight by that column, name the argument: weight => %s.",
						 quote_literal_cstr(missing))));
	if (strcmp(missing, "listwise") != 0 && strcmp(missing, "pairwise") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("missing must be 'listwise' or 'pairwise'"),
				 errdetail("It is '%s'.", missing)));
	return missing;
}

/* table_moments(source text, columns text[], weight text DEFAULT NULL) */
static Datum
table_moments_sql_impl(PG_FUNCTION_ARGS)
{
	int			n;
	char	  **columns;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	columns = text_array_to_cstrings(PG_GETARG_ARRAYTYPE_P(1), &n, "columns");
	PG_RETURN_MOMENTS_P(table_moments(PG_GETARG_TEXT_PP(0), columns, n,
									  optional_text_arg(fcinfo, 2)));
}

Datum
table_moments_sql(PG_FUNCTION_ARGS)
{
	return call_without_internal_context(table_moments_sql_impl, fcinfo);
}

/* the arguments of describe(...) and correlations(...) over a table */
typedef struct DescribeArgs
{
	text	   *source;
	char	  **columns;
	int			ncolumns;
	bool		pairwise;
	char	   *weight;
} DescribeArgs;

/*
 * (source, variables, missing, weight); false when source or variables is
 * NULL (not STRICT, because weight may be NULL: such a call gives no rows)
 */
static bool
describe_args(FunctionCallInfo fcinfo, DescribeArgs *args)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return false;
	args->source = PG_GETARG_TEXT_PP(0);
	args->columns = text_array_to_cstrings(PG_GETARG_ARRAYTYPE_P(1),
										   &args->ncolumns, "variables");
	args->pairwise = strcmp(missing_arg(fcinfo, 2), "pairwise") == 0;
	args->weight = optional_text_arg(fcinfo, 3);
	return true;
}

/* describe(source, variables, missing DEFAULT 'listwise', weight DEFAULT NULL) */
static Datum
describe_table_impl(PG_FUNCTION_ARGS)
{
	DescribeArgs args;
	ReturnSetInfo *rsinfo;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	if (!describe_args(fcinfo, &args))
		return (Datum) 0;
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	if (!args.pairwise)
		describe_emit(rsinfo, table_moments(args.source, args.columns,
											args.ncolumns, args.weight));
	else
	{
		MomentsState **states = table_moments_pairwise(args.source, args.columns,
													   args.ncolumns, args.weight,
													   true, false);

		for (i = 0; i < args.ncolumns; i++)
			describe_emit(rsinfo, states[i]);
	}
	return (Datum) 0;
}

Datum
describe_table(PG_FUNCTION_ARGS)
{
	return call_without_internal_context(describe_table_impl, fcinfo);
}

/* correlations(source, variables, missing DEFAULT 'listwise', weight DEFAULT NULL) */
static Datum
correlations_table_impl(PG_FUNCTION_ARGS)
{
	DescribeArgs args;
	ReturnSetInfo *rsinfo;
	MomentsState **states;
	char	  **columns;
	int			n,
				i,
				j;

	InitMaterializedSRF(fcinfo, 0);
	if (!describe_args(fcinfo, &args))
		return (Datum) 0;
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	if (!args.pairwise)
	{
		correlations_emit(rsinfo, table_moments(args.source, args.columns,
												args.ncolumns, args.weight));
		return (Datum) 0;
	}
	columns = args.columns;
	n = args.ncolumns;

	/*
	 * Pairwise: n and r of each pair from its own complete rows; the
	 * diagonal's n is the variable's own count.  States 0..n-1 are the
	 * variables, the pairs follow.
	 */
	states = table_moments_pairwise(args.source, columns, n, args.weight,
									true, true);
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
		{
			const MomentsState *m;

			CHECK_FOR_INTERRUPTS();
			if (i == j)
			{
				m = states[i];
				correlation_emit_row(rsinfo, columns[i], columns[j],
									 moments_pair_r(m),
									 dd_to_double(moments_n(m)), true);
				continue;
			}
			/* pair (min, max) in row-major upper-triangle order */
			{
				int			a = i < j ? i : j,
							b = i < j ? j : i;

				m = states[n + a * (2 * n - a - 1) / 2 + (b - a - 1)];
			}
			correlation_emit_row(rsinfo, columns[i], columns[j],
								 moments_pair_r(m), dd_to_double(moments_n(m)),
								 false);
		}
	return (Datum) 0;
}

Datum
correlations_table(PG_FUNCTION_ARGS)
{
	return call_without_internal_context(correlations_table_impl, fcinfo);
}
