/*
 * robust.h — the PostgreSQL side of core/robust_core.c, for regression.c:
 * option parsing, the fit as a float8[], the second scan of the table-name
 * forms and the variances from an accumulated meat.
 */
#ifndef SURVEY_REG_ROBUST_H
#define SURVEY_REG_ROBUST_H

#include "survey_reg.h"

#include "lib/stringinfo.h"

#include "ols_core.h"
#include "robust_core.h"

/* the table-name forms' inference options, checked */
typedef struct RobustOptions
{
	bool		robust;			/* false: classical, the one-scan path */
	RobustSe	se;
	RobustWeight weight;
	char	   *weight_col;		/* NULL: unweighted */
	char	   *cluster;		/* column or NULL */
	char	   *strata;			/* column or NULL */
	RobustLonely lonely;
} RobustOptions;

/*
 * Check and read se, weight_type, cluster, strata and lonely_psu (NULL
 * means the default) for a table-name form with the given weight column.
 */
extern void robust_options(RobustOptions *o, const char *se,
						   const char *weight_type, char *cluster,
						   char *strata, const char *lonely_psu,
						   char *weight);

/* single arguments of the state-level functions */
extern RobustSe robust_se_arg(const char *se);
extern RobustWeight robust_weight_arg(const char *weight_type);
extern RobustLonely robust_lonely_arg(const char *lonely_psu);

/* the cluster and strata columns exist (before the first scan) */
extern void robust_check_columns(text *source, const RobustOptions *o);

/* the fit of the nested models of an OlsFit (aliasing as there) */
extern RobustFit *robust_fit_pg(const MomentsState *m, int dep,
								const int *preds, int npreds,
								const int *block_ends, int nblocks,
								bool intercept, const OlsFit *fit,
								RobustSe se, RobustWeight weight);
extern ArrayType *robust_fit_array(const RobustFit *fit);

/*
 * The second scan of a table-name form: the meat of every model.  Its query
 * (with the fit as $1) is built first, so that its locks are taken before
 * the one snapshot both scans read (table_snapshot_after).
 */
extern char *robust_table_meat_sql(text *source, char **columns, int ncolumns,
								   const RobustOptions *o);
/* the rows a design's scan reads (robust.c): see robust_design_rows */
extern char *robust_design_rows(const TableRef *t, char **vars, int nvars,
								const RobustOptions *o);
extern char *robust_table_meat_sql_exprs(text *source, char **vars, int nvars,
										 const RobustOptions *o);
/* survey_reg.scores($1, ARRAY[vars], weight): a row's OLS score vector */
extern void append_score_call(StringInfo sql, const TableRef *t, char **vars,
							  int nvars, const char *weight);
extern void robust_null_keys_error(const RobustOptions *o, bool cluster_null,
								   bool strata_null);
extern bytea *robust_table_meat(const char *sql, const RobustOptions *o,
								const RobustFit *fit,
								struct SnapshotData *snapshot);

/* a float8[] argument as a checked view of a robust_fit (errors if not) */
extern void robust_fit_view_arg(ArrayType *arr, RobustFitView *v);
/* a meat aggregate's fit argument, checked (robust.c) */
extern ArrayType *robust_meat_fit_arg(FunctionCallInfo fcinfo,
									  const char *transfn, const char *agg);

/* meats (robust.c): see there */
extern bytea *robust_meat_merge(bytea *a, bytea *b);
extern bytea *robust_meat_new_rows(const RobustFitView *fv);
extern bytea *robust_meat_new(const RobustFit *fit);
extern bytea *robust_meat_checked(bytea *meat, int *q, int *nblock);
extern void robust_meat_add_batch(bytea *meat, double units, double nonnull,
								  const double *sum, const double *cross,
								  bool finite);
extern bytea *robust_meat_add_unit(bytea *meat, const char *key,
								   const double *u);

/*
 * robust_groups.c: the one-scan path of cluster and design SEs with a
 * cluster column.  robust_groups_sql: the grouped query (a moments state
 * per cluster or PSU); robust_groups_scan runs it, keeps the groups
 * (tuplestore, work_mem) and returns their merged state, the table's;
 * robust_groups_meat: the meat of the fit from the kept groups.
 */
typedef struct RobustGroups RobustGroups;
typedef struct RobustGroupsQuery RobustGroupsQuery;
extern bool robust_one_scan(const RobustOptions *o);
extern RobustGroupsQuery *robust_groups_query(text *source, char **columns,
											  int ncolumns,
											  const RobustOptions *o);
extern const char *robust_groups_lock_sql(const RobustGroupsQuery *q);
extern MomentsState *robust_groups_scan(const RobustGroupsQuery *q,
										struct SnapshotData *snapshot,
										char **columns, int ncolumns,
										RobustGroups **groups);
extern bytea *robust_groups_meat(RobustGroups *groups, const RobustFit *fit,
								 int dep, const int *preds,
								 const RobustOptions *o);

/*
 * cluster_scan.c: the state of cluster_moments_of, read.  cluster_scan_open
 * is false when the clusters passed the memory limit (then the grouped
 * scan runs instead); else the table's state (under names) and the flags
 * of the units' NULL keys and weights.  cluster_scan_unit: the stratum (as
 * text) and sums of the unit-th unit left in, written into g (a plain state
 * over k variables), false without a complete row.
 */
typedef struct ClusterScan
{
	bytea	   *state;
	MomentsState *total;
	int		   *units;			/* the state's entries that are units */
	int			nunits;
	bool		weight_null;
	bool		cluster_null;
	bool		cluster_null_complete;
	bool		strata_null;
} ClusterScan;
#define CS_NEED_STRATUM	1
#define CS_NEED_CLUSTER	2
extern bool cluster_scan_open(bytea *state, char **names, int keys_required,
							  ClusterScan *cs);
extern bool cluster_scan_unit(const ClusterScan *cs, int unit, char **stratum,
							  MomentsState *g);

/* the settings a meat was accumulated with (errors if malformed) */
extern void robust_meat_settings(bytea *meat, RobustSe *se,
								 RobustWeight *weight, bool *intercept);

/*
 * The variances from a meat made with fit (errors if it was not, or for a
 * lonely PSU with lonely = fail; NOTICEs for what is NULL and why).
 */
extern RobustResult *robust_result(const MomentsState *m,
								   const RobustFit *fit, bytea *meat,
								   RobustLonely lonely);

/* the NOTICE for strata with one PSU (none_left: average had none to use) */
extern void robust_lonely_notice(int lonely_strata, RobustLonely lonely,
								 bool none_left);

/* the same from strata's sums (view: the meat's, for the lonely error) */
extern RobustResult *robust_result_strata(const MomentsState *m,
										  const RobustFit *fit,
										  const RobustStratum *strata,
										  int nstrata, RobustLonely lonely,
										  const void *view);

/*
 * design_meat.c: design-based variance with a first-stage fpc, a second
 * stage (cluster2, fpc2) or a domain (R's svyglm with the survey package's
 * multistage variance); NULL design columns only matter in complete rows
 */
typedef struct DesignArgs
{
	char	   *fpc;
	char	   *cluster2;
	char	   *fpc2;
	char	   *domain;
} DesignArgs;

extern bool design_args_used(const DesignArgs *d);
extern void design_stages_check(const char *cluster, const char *cluster2,
								const char *fpc, const char *fpc2);
extern void design_args_check(text *source, const RobustOptions *o,
							  const DesignArgs *d);
extern char *design_meat_sql(text *source, char **columns, int ncolumns,
							 const RobustOptions *o, const DesignArgs *d);
/* the same with the variables as float8 SQL expressions (model terms) */
extern char *design_meat_sql_exprs(text *source, char **vars, int nvars,
								   const RobustOptions *o, const DesignArgs *d);
/* the same scan for any score vector (score: SQL of a row's, fit is $1) */
extern char *design_scores_sql(const TableRef *t, const char *score,
							   const RobustOptions *o, const DesignArgs *d);

/* where each model's score and packed cross-products lie in the vectors */
typedef struct DesignLayout
{
	int			nmodels;
	int			q;				/* score length: sum of p */
	int			nb;				/* sum of p (p + 1) / 2 */
	int		   *p;				/* [nmodels] parameters */
	int		   *offset;			/* [nmodels] first score element */
	int		   *block_offset;	/* [nmodels] first packed cross-product */
} DesignLayout;

/* the scan's strata, scaled: see design_meat.c */
extern RobustStratum *design_meat_strata(const char *sql, const RobustOptions *o,
										 const DesignArgs *d,
										 const DesignLayout *lay, ArrayType *fit,
										 struct SnapshotData *snapshot,
										 int *nstrata);
extern RobustResult *design_meat_result(const char *sql, const RobustOptions *o,
										const DesignArgs *d,
										const MomentsState *m,
										const RobustFit *fit,
										struct SnapshotData *snapshot);

/* n of the HC1 / CR1 factors: rows with probability weights, else N */
extern double robust_n_df(const MomentsState *m, RobustWeight weight);

#endif							/* SURVEY_REG_ROBUST_H */
