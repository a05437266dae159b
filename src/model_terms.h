/*
 * model_terms.h — the term syntax of the table-name regression forms
 * (design/API.md section 7): col, boolean columns as 0/1, factor(col),
 * factor(col, 'ref'), a:b and a*b.  Parsing, the one scan that finds the
 * factors' levels and accumulates the model's moments, and the float8 SQL
 * expression of every model column for a second (robust) scan.
 */
#ifndef SURVEY_REG_MODEL_TERMS_H
#define SURVEY_REG_MODEL_TERMS_H

#include "survey_reg.h"

struct ModelTermsPriv;

typedef struct ModelTerms
{
	/*
	 * After model_terms_scan: the model's columns, the dependent first, then
	 * every predictor column in block order, named as API.md section 7 says;
	 * exprs: each as a float8 SQL expression over the relation (NULL where a
	 * column the term uses is NULL).
	 */
	int			ncolumns;
	char	  **names;
	char	  **exprs;
	int			nblocks;
	int		   *block_ends;		/* predictor positions (names[1 + i]) */

	/* every term a numeric (not boolean) column: the classic path applies */
	bool		simple;

	struct ModelTermsPriv *priv;
} ModelTerms;

/*
 * Parse the dependent and the blocks against the relation: malformed terms
 * (42601), unknown columns (42703), a text column used as a number (42804)
 * are errors here, before any scan.
 */
extern ModelTerms *model_terms_parse(const TableRef *t, const char *dependent,
									 ArrayType *blocks);

/*
 * The one scan's query (weight: column or NULL, checked here); run it with
 * model_terms_scan, which fills the columns of mt and returns the state
 * over them (listwise over every column any term uses).  snapshot may be
 * InvalidSnapshot.
 */
extern char *model_terms_scan_sql(ModelTerms *mt, const TableRef *t,
								  char *weight);
extern MomentsState *model_terms_scan(ModelTerms *mt, const char *sql,
									  struct SnapshotData *snapshot);

#endif							/* SURVEY_REG_MODEL_TERMS_H */
