/*
 * survey_reg.h — what crosses files in the PostgreSQL layer.
 */
#ifndef SURVEY_REG_H
#define SURVEY_REG_H

#include "postgres.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"

#include "pg_compat.h"

#include "moments_core.h"

/*
 * The state type is a varlena whose bytes are a MomentsState.  Every reader
 * gets it through DatumGetMomentsP: a transition state may still hold
 * buffered rows (moments_batch.c), which are added to the sums first.
 */
#define DatumGetMomentsP(d)		moments_detached((MomentsState *) PG_DETOAST_DATUM(d))
#define PG_GETARG_MOMENTS_P(n)	DatumGetMomentsP(PG_GETARG_DATUM(n))
#define PG_RETURN_MOMENTS_P(m)	PG_RETURN_POINTER(m)

/* module.c: how BLAS was kept to one thread, for build_info() */
extern const char *survey_reg_blas_threads;

/* moments_state.c: a new empty state over the given names */
extern MomentsState *moments_new(int k, const char *const *names);

/*
 * moments_state.c: m itself when it is a plain value; a transition state
 * with a batch buffer becomes a flushed copy without the buffer (m is left
 * as it is: a final function may not change its state)
 */
extern MomentsState *moments_detached(MomentsState *m);

/*
 * moments_state.c: add a row in an aggregate's transition function; may
 * return a new state (a state grows a batch buffer once it has seen a batch
 * of rows row by row, so that small groups stay small; never when
 * may_grow(arg, m) says no — asked only at that point, not per row: see
 * moments_agg.c's may_grow_batch)
 */
typedef bool (*moments_may_grow_fn) (void *arg, const MomentsState *m);
extern MomentsState *moments_accumulate(MomentsState *m, const double *x,
										double w, moments_may_grow_fn may_grow,
										void *arg);

/* moments_state.c: a flushed state's sums over other names (m->k of them) */
extern MomentsState *moments_renamed(const MomentsState *m, char **names);

/*
 * moments_agg.c: the separate-argument aggregates' row (moments_of): the
 * float8 check of arguments first_var .. (on the first row), and a row's
 * weight (weight_arg, -1: none) and k values; false: the row is skipped
 */
extern void moments_check_float8_args(FunctionCallInfo fcinfo, int first_var);
extern bool moments_row_args(FunctionCallInfo fcinfo, int weight_arg,
							 int first_var, int k, double *x, double *w);

/* moments_state.c: add a state's buffered rows to its sums (none: nothing) */
extern void moments_flush_pending(MomentsState *m);

/* moments_state.c: ERROR for sums that overflowed double precision */
pg_noreturn extern void moments_overflow_error(void);

/* moments_state.c: index of a variable by name, or -1 */
extern int	moments_find(const MomentsState *m, const char *name);

/* util.c: a float8[] of n zeros (plain-sum aggregate states) */
extern ArrayType *float8_array_zeros(int n);

/* util.c: text[] argument to a palloc'ed array of C strings */
extern char **text_array_to_cstrings(ArrayType *arr, int *count,
									 const char *argname);

/* util.c: a regression's dependent (not empty) and blocks (not empty) */
extern char **regression_blocks_arg(const char *dependent,
									ArrayType *blocks_arr, int *nblocks);

/* util.c: blanks (locale-independent) and a trimmed palloc'ed copy */
extern bool text_is_blank(char c);
extern char *trimmed_copy(const char *s, int len);

/* util.c: an optional text argument (absent or NULL: NULL) */
extern char *optional_text_arg(FunctionCallInfo fcinfo, int argno);

/*
 * table_api.c: a relation named by the caller, resolved like a regclass
 * literal (the caller's search_path and quoting rules), and its columns
 */
typedef struct TableRef
{
	Oid			relid;
	char	   *sql_name;		/* quoted, schema-qualified, for SQL text */
	bool		on_citus;		/* may be scanned by Citus (citus_relation.c) */
} TableRef;

extern TableRef resolve_relation(text *source);

/*
 * citus_relation.c: whether Citus may plan a scan of this relation (a table
 * in Citus's metadata, or a view in a database with Citus)
 */
extern bool relation_on_citus(Oid relid, char relkind);

/*
 * ERROR 42703 unless the relation has this (non-system) column, 42501 unless
 * the calling role may read it; a name of NAMEDATALEN bytes or more is first
 * shortened in place, as the parser shortens identifiers (with its NOTICE
 * 42622)
 */
extern void check_column(const TableRef *t, char *column);

/* ERROR unless 1..MOMENTS_MAX_K distinct columns that the relation has */
extern void check_columns(const TableRef *t, char **columns, int ncolumns);

/*
 * table_api.c: the SQL expression reading a checked column as float8,
 * "(col)::pg_catalog.float8", or "(col)::pg_catalog.int4::pg_catalog.float8"
 * for boolean (0/1); ERROR 42804 naming the column and its type for any
 * other type (text, money, arrays, ...).  Every generated query reads its
 * columns through this.
 */
extern char *column_float8_expr(const TableRef *t, const char *column);

/*
 * table_api.c: fn(fcinfo), an error rethrown without the context entries
 * that quote survey_reg's internal queries (the SQL-callable table-name
 * functions go through this)
 */
extern Datum call_without_internal_context(PGFunction fn, FunctionCallInfo fcinfo);

/* table_api.c: "ARRAY['a', 'b']" from "a, b", for hints */
extern char *names_array_hint(const char *list);

/* table_api.c: column_float8_expr of each column, comma-separated */
struct StringInfoData;
extern void append_float8_columns(struct StringInfoData *sql, const TableRef *t,
								  char **columns, int ncolumns, bool comma);

/*
 * table_api.c: the moments aggregate over the quoted columns (and weight
 * column or NULL), named after them: the separate-argument form, or the
 * array form for Citus relations and very wide calls
 */
extern void append_moments_call(struct StringInfoData *sql, const TableRef *t,
								char **columns, int ncolumns,
								const char *weight);

/*
 * table_api.c: one scan of a relation with the caller's privileges,
 * returning the moments of the named columns (listwise; weight column or
 * NULL).  The relation name is resolved like a regclass literal and the
 * columns are checked against it and quoted.
 */
extern MomentsState *table_moments(text *source, char **columns, int ncolumns,
								   char *weight);

/*
 * table_api.c: locks before snapshot (see table_api.c's header).
 * table_snapshot_after: prepares sql (which locks every relation it reads)
 * and returns a registered snapshot taken after those locks, for analyses
 * that scan more than once and must see one set of rows (unregister it).
 * table_query: prepares and runs a read-only query in a connected SPI with
 * that snapshot, or (InvalidSnapshot) with one taken after its own locks.
 * table_moments_at: table_moments with such a snapshot.
 */
struct SnapshotData;
extern struct SnapshotData *table_snapshot_after(const char *sql, int nargs,
												 Oid *argtypes);
extern int	table_query(const char *sql, int nargs, Oid *argtypes,
						Datum *values, struct SnapshotData *snapshot);
extern MomentsState *table_moments_at(text *source, char **columns,
									  int ncolumns, char *weight,
									  struct SnapshotData *snapshot);
extern MomentsState *table_moments_domain(text *source, char **columns,
										  int ncolumns, char *weight,
										  struct SnapshotData *snapshot,
										  const char *domain);

/* stats.c: two-sided p-value of t with df degrees of freedom (R's pt) */
extern double p_from_t(double t, double df);

/* describe.c: rows appended to a materialized SRF's tuplestore */
struct ReturnSetInfo;
extern void describe_emit(struct ReturnSetInfo *rsinfo, const MomentsState *m);
extern void correlations_emit(struct ReturnSetInfo *rsinfo, const MomentsState *m);
extern void correlation_emit_row(struct ReturnSetInfo *rsinfo, const char *v1,
								 const char *v2, double r, double n,
								 bool diagonal);
extern double moments_pair_r(const MomentsState *m);

/*
 * design_common.c, shared by survey_means.c and design_meat.c: f = 1 - n/N
 * and the sampling fraction n/N of n sampled units from a population count
 * or sampling fraction v (one value, vmax, per stratum or PSU: an error
 * otherwise; f = 1 without one); the lonely-unit error (psu NULL: a
 * stratum with one PSU); an SPI row's text column; unit keys; a range
 */
extern void fpc_fraction(bool have, double v, double vmax, double n,
						 const char *col, const char *where, double *f,
						 double *frac);
pg_noreturn extern void design_lonely_error(const char *stratum, const char *psu);
struct HeapTupleData;
struct TupleDescData;
extern char *design_text(struct HeapTupleData *tup, struct TupleDescData *desc,
						 int col);
extern bool design_same(const char *a, const char *b);
extern void design_minmax(bool *have, double *lo, double *hi, double a, double b);

#endif							/* SURVEY_REG_H */
