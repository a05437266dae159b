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
	if (attnum <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("column \"%s\" of relation \"%s\" does not exist",
						column, get_rel_name(t->relid))));
	check_select_privilege(t, attnum);
}

/*
 * survey_reg._check_column(rel regclass, col text): check_column for the
 * table-name forms written in SQL (frequencies and its tables), so that
 * they fail as the C ones do.  Not strict: a NULL column is an error too.
 */
Datum
check_column_sql(PG_FUNCTION_ARGS)
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
append_float8_columns(StringInfo sql, char **columns, int ncolumns, bool comma)
{
	int			i;

	for (i = 0; i < ncolumns; i++)
		appendStringInfo(sql, "%s(%s)::pg_catalog.float8",
						 (i || comma) ? ", " : "", quote_identifier(columns[i]));
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
static void
append_moments_call(StringInfo sql, const TableRef *t, char **columns,
					int ncolumns, const char *weight)
{
	if (t->on_citus || ncolumns + (weight ? 1 : 0) > FUNC_MAX_ARGS - 1)
	{
		appendStringInfoString(sql, "survey_reg.moments(ARRAY[");
		append_float8_columns(sql, columns, ncolumns, false);
		appendStringInfoString(sql, "]::pg_catalog.float8[], ");
		append_names_array(sql, columns, ncolumns);
		if (weight)
			appendStringInfo(sql, ", (%s)::pg_catalog.float8",
							 quote_identifier(weight));
		appendStringInfoChar(sql, ')');
		return;
	}
	appendStringInfoString(sql, "survey_reg.rename(");
	if (weight)
		appendStringInfo(sql, "survey_reg.moments_of_weighted((%s)::pg_catalog.float8",
						 quote_identifier(weight));
	else
		appendStringInfoString(sql, "survey_reg.moments_of(");
	append_float8_columns(sql, columns, ncolumns, weight != NULL);
	appendStringInfoString(sql, "), ");
	append_names_array(sql, columns, ncolumns);
	appendStringInfoChar(sql, ')');
}

/*
 * Prepare a query of an analysis (in a connected SPI): parse analysis locks
 * every relation it reads, views' base tables included.
 */
static SPIPlanPtr
table_prepare(const char *sql, int nargs, Oid *argtypes)
{
	SPIPlanPtr	plan = SPI_prepare(sql, nargs, argtypes);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	return plan;
}

Snapshot
table_snapshot_after(const char *sql, int nargs, Oid *argtypes)
{
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	table_prepare(sql, nargs, argtypes);
	SPI_finish();				/* the plan goes, its locks stay */
	return RegisterSnapshot(GetTransactionSnapshot());
}

int
table_query(const char *sql, int nargs, Oid *argtypes, Datum *values,
			Snapshot snapshot)
{
	SPIPlanPtr	plan = table_prepare(sql, nargs, argtypes);
	Snapshot	snap = snapshot != InvalidSnapshot ? snapshot
	: RegisterSnapshot(GetTransactionSnapshot());
	int			ret;

	ret = SPI_execute_snapshot(plan, values, NULL, snap, InvalidSnapshot,
							   true, false, 0);
	if (snapshot == InvalidSnapshot)
		UnregisterSnapshot(snap);
	return ret;
}

/*
 * Run "SELECT <calls> FROM rel" and return the nstates states, copied into
 * the caller's memory context.  A NULL aggregate (no rows) becomes an empty
 * state over the same names.
 */
static MomentsState **
run_moments_query(const char *sql, Snapshot snapshot, int nstates,
				  char ***names, int *nnames)
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
	SPI_finish();
	return out;
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

	check_columns(&t, columns, ncolumns);
	if (weight)
		check_column(&t, weight);
	initStringInfo(&sql);
	appendStringInfoString(&sql, "SELECT ");
	append_moments_call(&sql, &t, columns, ncolumns, weight);
	appendStringInfo(&sql, " FROM %s", t.sql_name);
	if (domain)
		appendStringInfo(&sql, " WHERE (%s)::pg_catalog.bool", quote_identifier(domain));
	return run_moments_query(sql.data, snapshot, 1, &columns, &ncolumns)[0];
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
								 names + first, nnames + first),
			   sizeof(MomentsState *) * Min(count - first, PAIRWISE_STATES_PER_SCAN));
	}
	UnregisterSnapshot(snapshot);
	return out;
}

static char *
missing_arg(FunctionCallInfo fcinfo, int argno)
{
	char	   *missing = PG_ARGISNULL(argno) ? "listwise"
	: text_to_cstring(PG_GETARG_TEXT_PP(argno));

	if (strcmp(missing, "listwise") != 0 && strcmp(missing, "pairwise") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("missing must be 'listwise' or 'pairwise'"),
				 errdetail("It is '%s'.", missing)));
	return missing;
}

/* table_moments(source text, columns text[], weight text DEFAULT NULL) */
Datum
table_moments_sql(PG_FUNCTION_ARGS)
{
	int			n;
	char	  **columns;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	columns = text_array_to_cstrings(PG_GETARG_ARRAYTYPE_P(1), &n, "columns");
	PG_RETURN_MOMENTS_P(table_moments(PG_GETARG_TEXT_PP(0), columns, n,
									  optional_text_arg(fcinfo, 2)));
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
Datum
describe_table(PG_FUNCTION_ARGS)
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

/* correlations(source, variables, missing DEFAULT 'listwise', weight DEFAULT NULL) */
Datum
correlations_table(PG_FUNCTION_ARGS)
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
