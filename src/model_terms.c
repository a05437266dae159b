/*
 * model_terms.c — model terms in the blocks of the table-name regression
 * forms (design/API.md section 7).
 *
 * One scan.  A factor's indicators are constant within a combination of
 * the factors' levels, so the scan groups by the factor columns and
 * accumulates, per group, the moments of the numeric part only: the
 * dependent and the distinct numeric products the terms use (x, x*z, a
 * boolean as 0/1).  Each group's state is then widened to every model
 * column — an indicator or a product of indicators is 1 or 0 in the whole
 * group, a factor x numeric column is the numeric column or 0 — which is an
 * exact copy of sums (the shifted sums of a constant are 0, of an active
 * column those of its numeric part), and the widened states are merged
 * (moments_merge, as a parallel aggregate's partial states are).  The
 * levels are the groups' keys: no second pass.  The per-row cost is that of
 * the numeric columns, not of every indicator, plus hashing the keys.
 *
 * Rows with a NULL in any column a term uses are left out (listwise): the
 * aggregate skips incomplete numeric rows and groups with a NULL key are
 * dropped.  A level is a value of the complete rows (a group with no
 * complete row does not make one).
 */
#include "survey_reg.h"

#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "access/htup_details.h"
#include "lib/stringinfo.h"
#include "parser/parse_coerce.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/typcache.h"

#include "model_terms.h"
#include "moments_by.h"

/*
 * Groups (combinations of levels) one scan may return: far more than a
 * model within the column limit has, and a bound on what is held in memory
 * before a factor with too many levels is reported.
 */
#define MODEL_MAX_GROUPS 100000

/* one component of a term: a column, or factor(column [, 'ref']) */
typedef struct TermPart
{
	char	   *column;
	bool		factor;
	bool		is_bool;		/* numeric part of boolean type: 0/1 */
	int			factor_no;		/* factor: index into priv->factors */
} TermPart;

typedef struct ModelTerm
{
	int			block;
	int			nparts;
	TermPart   *parts;
	int			scan_index;		/* its numeric product in the scan, or -1 */
} ModelTerm;

typedef struct Factor
{
	char	   *column;
	char	   *ref;			/* as written, or NULL: the lowest level */
	Oid			type;
	int			nlevels;
	char	  **level_text;		/* sorted */
	Datum	   *level_value;
	int			ref_level;
} Factor;

/* a model column: its numeric part and the levels it is an indicator of */
typedef struct ModelColumn
{
	int			scan_index;		/* -1: a constant 1 where active */
	int			nreq;
	int		   *req_factor;
	int		   *req_level;
} ModelColumn;

typedef struct ModelTermsPriv
{
	char	   *dependent;
	bool		dependent_bool;
	int			nterms;
	ModelTerm  *terms;
	int			nfactors;
	Factor	   *factors;
	int			nscan;			/* numeric columns scanned, the dependent
								 * first */
	char	  **scan_exprs;
	ModelColumn *columns;		/* [ncolumns], [0] the dependent */
	char	   *group_sql;		/* the GROUP BY scan, when _moments_by's keys
								 * overflow */
} ModelTermsPriv;

/* per combination of levels: the factors' text forms and the state */
typedef struct Groups
{
	int			n;
	char	 ***keys;			/* [g][factor], NULL: a NULL value */
	MomentsState **states;
} Groups;

/* ---------------------------------------------------------------- */
/* parsing                                                           */
/* ---------------------------------------------------------------- */

pg_noreturn static void
malformed(const char *term, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_SYNTAX_ERROR),
			 errmsg("malformed model term \"%s\"", term),
			 errdetail("%s", why),
			 errhint("A term is a column, factor(column), factor(column, 'reference level'), a:b or a*b.")));
}

/*
 * Split s at the top-level occurrences of sep (outside parentheses and
 * quotes); the pieces are trimmed.  term: for error messages.
 */
static char **
split_top(const char *s, char sep, int *count, const char *term)
{
	int			cap = 4,
				n = 0,
				depth = 0;
	char	  **out = palloc(sizeof(char *) * cap);
	const char *start = s,
			   *p;
	char		quote = 0;

	for (p = s;; p++)
	{
		if (*p == '\0' || (quote == 0 && depth == 0 && *p == sep))
		{
			if (n == cap)
			{
				cap *= 2;
				out = repalloc(out, sizeof(char *) * cap);
			}
			out[n++] = trimmed_copy(start, (int) (p - start));
			if (*p == '\0')
				break;
			start = p + 1;
			continue;
		}
		if (quote)
		{
			if (*p == quote)
				quote = 0;		/* a doubled quote reopens at once */
		}
		else if (*p == '\'' || *p == '"')
			quote = *p;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && --depth < 0)
			malformed(term, "A closing parenthesis has no opening one.");
	}
	if (quote)
		malformed(term, "A quoted name or level is not closed.");
	if (depth != 0)
		malformed(term, "A parenthesis is not closed.");
	*count = n;
	return out;
}

/* 'text' or "text" with doubled quotes inside: the text; NULL if not quoted */
static char *
unquote(const char *s, char q)
{
	int			len = strlen(s);
	StringInfoData buf;
	int			i;

	if (len < 2 || s[0] != q || s[len - 1] != q)
		return NULL;
	initStringInfo(&buf);
	for (i = 1; i < len - 1; i++)
	{
		if (s[i] == q)
		{
			if (i + 1 < len - 1 && s[i + 1] == q)
				i++;
			else
				return NULL;
		}
		appendStringInfoChar(&buf, s[i]);
	}
	return buf.data;
}

static bool
has_special(const char *s)
{
	return strpbrk(s, "():*'\",") != NULL;
}

/* a column name: bare (no special characters) or "double-quoted" */
static char *
column_name(const char *s, const char *term)
{
	char	   *name;

	if (s[0] == '\0')
		malformed(term, "A column name is missing.");
	if (s[0] == '"')
	{
		name = unquote(s, '"');
		if (name == NULL || name[0] == '\0')
			malformed(term, "A double-quoted column name is not well formed.");
		return name;
	}
	if (has_special(s))
		malformed(term, psprintf("\"%s\" is neither a column nor factor(column).", s));
	return pstrdup(s);
}

static int
factor_index(ModelTermsPriv *p, const char *column, char *ref,
			 const char *term)
{
	int			i;

	for (i = 0; i < p->nfactors; i++)
		if (strcmp(p->factors[i].column, column) == 0)
		{
			Factor	   *f = &p->factors[i];

			if (ref && f->ref && strcmp(ref, f->ref) != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("factor(%s) is given two reference levels, '%s' and '%s'",
								column, f->ref, ref),
						 errdetail("In the term \"%s\".", term)));
			if (ref)
				f->ref = ref;
			return i;
		}
	p->factors = p->nfactors == 0 ? palloc(sizeof(Factor) * 4)
		: repalloc(p->factors, sizeof(Factor) * (p->nfactors + 4));
	memset(&p->factors[p->nfactors], 0, sizeof(Factor));
	p->factors[p->nfactors].column = pstrdup(column);
	p->factors[p->nfactors].ref = ref;
	return p->nfactors++;
}

static Oid
column_type(const TableRef *t, const char *column)
{
	return getBaseType(get_atttype(t->relid, get_attnum(t->relid, column)));
}

/* one component: col, "col" or factor(col [, 'ref']) */
static void
parse_part(ModelTermsPriv *p, const TableRef *t, const char *s,
		   const char *term, TermPart *part)
{
	const char *after = s + 6;

	memset(part, 0, sizeof(TermPart));
	while (strncmp(s, "factor", 6) == 0 && text_is_blank(*after))
		after++;
	if (strncmp(s, "factor", 6) == 0 && *after == '(')
	{
		const char *q = s + 6;
		char	  **args;
		int			nargs,
					len;
		char	   *ref = NULL;

		while (text_is_blank(*q))
			q++;
		len = strlen(q);
		if (*q != '(' || q[len - 1] != ')')
			malformed(term, "factor must be written factor(column) or factor(column, 'reference level').");
		args = split_top(pnstrdup(q + 1, len - 2), ',', &nargs, term);
		if (nargs < 1 || nargs > 2)
			malformed(term, "factor takes a column and an optional reference level.");
		part->column = column_name(args[0], term);
		if (nargs == 2)
		{
			ref = unquote(args[1], '\'');
			if (ref == NULL)
				malformed(term, "The reference level must be a single-quoted literal, as in factor(region, 'north').");
		}
		check_column(t, part->column);
		part->factor = true;
		part->factor_no = factor_index(p, part->column, ref, term);
		p->factors[part->factor_no].type = column_type(t, part->column);
		return;
	}
	part->column = column_name(s, term);
	check_column(t, part->column);
	{
		Oid			type = column_type(t, part->column);

		part->is_bool = type == BOOLOID;
		/* the table-name forms' one type check and message (table_api.c) */
		if (!part->is_bool)
			(void) column_float8_expr(t, part->column);
	}
}

static void
add_term(ModelTermsPriv *p, int block, int nparts, TermPart *parts)
{
	if (p->nterms % 8 == 0)
		p->terms = p->nterms == 0 ? palloc(sizeof(ModelTerm) * 8)
			: repalloc(p->terms, sizeof(ModelTerm) * (p->nterms + 8));
	p->terms[p->nterms].block = block;
	p->terms[p->nterms].nparts = nparts;
	p->terms[p->nterms].parts = parts;
	p->terms[p->nterms].scan_index = -1;
	p->nterms++;
}

static bool
is_column(const TableRef *t, const char *s)
{
	return get_attnum(t->relid, s) > 0;
}

static void
parse_term(ModelTermsPriv *p, const TableRef *t, const char *term, int block)
{
	char	  **pieces;
	int			npieces,
				i;
	TermPart   *parts;

	/* a column of that exact name (or a name without syntax) is a column */
	if (is_column(t, term) || !has_special(term))
	{
		parts = palloc(sizeof(TermPart));
		parts->column = pstrdup(term);
		parts->factor = false;
		check_column(t, parts->column);
		{
			Oid			type = column_type(t, parts->column);

			parts->is_bool = type == BOOLOID;
			if (!parts->is_bool)
				(void) column_float8_expr(t, parts->column);
		}
		add_term(p, block, 1, parts);
		return;
	}
	pieces = split_top(term, '*', &npieces, term);
	if (npieces == 2)
	{
		TermPart   *a = palloc(sizeof(TermPart)),
				   *b = palloc(sizeof(TermPart)),
				   *ab = palloc(sizeof(TermPart) * 2);

		if (strchr(pieces[0], ':') || strchr(pieces[1], ':'))
			malformed(term, "a*b takes two columns or factors, not interactions.");
		parse_part(p, t, pieces[0], term, a);
		parse_part(p, t, pieces[1], term, b);
		ab[0] = *a;
		ab[1] = *b;
		add_term(p, block, 1, a);
		add_term(p, block, 1, b);
		add_term(p, block, 2, ab);
		return;
	}
	if (npieces > 2)
		malformed(term, "a*b takes exactly two components.");
	pieces = split_top(term, ':', &npieces, term);
	parts = palloc(sizeof(TermPart) * npieces);
	for (i = 0; i < npieces; i++)
	{
		int			j;

		parse_part(p, t, pieces[i], term, &parts[i]);
		for (j = 0; j < i; j++)
			if (strcmp(parts[i].column, parts[j].column) == 0)
				malformed(term, psprintf("Column \"%s\" appears twice in the interaction.",
										 parts[i].column));
	}
	add_term(p, block, npieces, parts);
}

ModelTerms *
model_terms_parse(const TableRef *t, const char *dependent, ArrayType *blocks_arr)
{
	ModelTerms *mt = palloc0(sizeof(ModelTerms));
	ModelTermsPriv *p = palloc0(sizeof(ModelTermsPriv));
	char	  **blocks;
	int			nblocks,
				b,
				i;

	mt->priv = p;
	p->dependent = pstrdup(dependent);
	blocks = regression_blocks_arg(p->dependent, blocks_arr, &nblocks);
	mt->nblocks = nblocks;
	for (b = 0; b < nblocks; b++)
	{
		char	  **terms;
		int			nterms;
		char	   *whole = trimmed_copy(blocks[b], strlen(blocks[b]));

		if (whole[0] == '\0')
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("block %d is empty", b + 1),
					 errdetail("Each element of blocks must name at least one predictor.")));
		terms = split_top(blocks[b], ',', &nterms, blocks[b]);
		for (i = 0; i < nterms; i++)
		{
			if (terms[i][0] == '\0')
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("block %d has an empty variable name", b + 1),
						 errdetail("The block is \"%s\".", blocks[b]),
						 errhint("Separate the names of a block with single commas.")));
			parse_term(p, t, terms[i], b);
		}
	}
	check_column(t, p->dependent);
	p->dependent_bool = column_type(t, p->dependent) == BOOLOID;

	mt->simple = !p->dependent_bool;
	for (i = 0; i < p->nterms; i++)
		if (p->terms[i].nparts != 1 || p->terms[i].parts[0].factor
			|| p->terms[i].parts[0].is_bool)
			mt->simple = false;
	return mt;
}

/* ---------------------------------------------------------------- */
/* the scan                                                          */
/* ---------------------------------------------------------------- */

/*
 * A numeric column as float8; a boolean as 1 or 0 through CASE, which the
 * executor evaluates without function calls (two casts per row cost more).
 */
static char *
numeric_expr(const TermPart *part)
{
	const char *c = quote_identifier(part->column);

	if (part->is_bool)
		return psprintf("CASE WHEN (%s) THEN 1::pg_catalog.float8 WHEN NOT (%s) THEN 0::pg_catalog.float8 END",
						c, c);
	return psprintf("(%s)::pg_catalog.float8", c);
}

/*
 * The product of a term's numeric parts, or NULL.  A boolean factor of a
 * product is a CASE: the rest where true, the rest times 0 where false (so
 * that a NULL, NaN or infinite rest still makes the row incomplete), NULL
 * where NULL.
 */
static char *
term_numeric_expr(const ModelTerm *term)
{
	StringInfoData s;
	char	   *e;
	int			i,
				n = 0;

	initStringInfo(&s);
	for (i = 0; i < term->nparts; i++)
		if (!term->parts[i].factor && !term->parts[i].is_bool)
			appendStringInfo(&s, "%s%s", n++ ? " OPERATOR(pg_catalog.*) " : "",
							 numeric_expr(&term->parts[i]));
	e = n == 0 ? NULL : n == 1 ? s.data : psprintf("(%s)", s.data);
	for (i = 0; i < term->nparts; i++)
	{
		const char *c;

		if (term->parts[i].factor || !term->parts[i].is_bool)
			continue;
		if (e == NULL)
		{
			e = numeric_expr(&term->parts[i]);
			continue;
		}
		c = quote_identifier(term->parts[i].column);
		e = psprintf("(CASE WHEN (%s) THEN %s WHEN NOT (%s) THEN %s OPERATOR(pg_catalog.*) 0::pg_catalog.float8 END)",
					 c, e, c, e);
	}
	return e;
}

/*
 * The GROUP BY form of the scan: the moments of the numeric columns per
 * combination of the factors' values (no factor: one ungrouped row).
 */
static char *
group_scan_sql(ModelTermsPriv *p, const TableRef *t, const char *weight)
{
	StringInfoData sql;
	int			i;

	initStringInfo(&sql);
	/* the variadic aggregate spares a per-row array (see table_api.c) */
	if (t->on_citus || p->nscan + (weight ? 1 : 0) > FUNC_MAX_ARGS - 1)
	{
		appendStringInfoString(&sql, "SELECT survey_reg.moments(ARRAY[");
		for (i = 0; i < p->nscan; i++)
			appendStringInfo(&sql, "%s%s", i ? ", " : "", p->scan_exprs[i]);
		appendStringInfoString(&sql, "]::pg_catalog.float8[], ARRAY[");
		for (i = 0; i < p->nscan; i++)
			appendStringInfo(&sql, "%s'v%d'", i ? ", " : "", i);
		appendStringInfoString(&sql, "]::pg_catalog.text[]");
		if (weight)
			appendStringInfo(&sql, ", %s", column_float8_expr(t, weight));
		appendStringInfoChar(&sql, ')');
	}
	else
	{
		if (weight)
			appendStringInfo(&sql, "SELECT survey_reg.moments_of_weighted(%s",
							 column_float8_expr(t, weight));
		else
			appendStringInfoString(&sql, "SELECT survey_reg.moments_of(");
		for (i = 0; i < p->nscan; i++)
			appendStringInfo(&sql, "%s%s", (i || weight) ? ", " : "", p->scan_exprs[i]);
		appendStringInfoChar(&sql, ')');
	}
	for (i = 0; i < p->nfactors; i++)
		appendStringInfo(&sql, ", %s, (%s)::pg_catalog.text",
						 quote_identifier(p->factors[i].column),
						 quote_identifier(p->factors[i].column));
	appendStringInfo(&sql, " FROM %s", t->sql_name);
	for (i = 0; i < p->nfactors; i++)
		appendStringInfo(&sql, "%s%s", i ? ", " : " GROUP BY ",
						 quote_identifier(p->factors[i].column));
	return sql.data;
}

char *
model_terms_scan_sql(ModelTerms *mt, const TableRef *t, char *weight)
{
	ModelTermsPriv *p = mt->priv;
	StringInfoData sql;
	int			i,
				j;
	TermPart	dep = {0};

	if (weight)
		check_column(t, weight);
	p->scan_exprs = palloc(sizeof(char *) * (p->nterms + 1));
	dep.column = p->dependent;
	dep.is_bool = p->dependent_bool;
	p->scan_exprs[p->nscan++] = numeric_expr(&dep);
	for (i = 0; i < p->nterms; i++)
	{
		char	   *e = term_numeric_expr(&p->terms[i]);

		if (e == NULL)
			continue;
		for (j = 0; j < p->nscan; j++)
			if (strcmp(p->scan_exprs[j], e) == 0)
				break;
		if (j == p->nscan)
			p->scan_exprs[p->nscan++] = e;
		p->terms[i].scan_index = j;
	}

	initStringInfo(&sql);
	if (p->nfactors > 0 && !t->on_citus && p->nscan + (weight ? 2 : 1) <= FUNC_MAX_ARGS - 1)
	{
		/* one state per combination of levels, in one ungrouped scan */
		appendStringInfoString(&sql, "SELECT survey_reg._moments_by");
		appendStringInfoString(&sql, weight ? "_weighted(" : "(");
		for (i = 0; i < p->nfactors; i++)
			appendStringInfo(&sql, "%s(%s)::pg_catalog.text",
							 i ? " OPERATOR(pg_catalog.||) E'\\x1f' OPERATOR(pg_catalog.||) " : "",
							 quote_identifier(p->factors[i].column));
		if (weight)
			appendStringInfo(&sql, ", %s", column_float8_expr(t, weight));
		for (i = 0; i < p->nscan; i++)
			appendStringInfo(&sql, ", %s", p->scan_exprs[i]);
		appendStringInfo(&sql, ") FROM %s", t->sql_name);
		p->group_sql = group_scan_sql(p, t, weight);
		return sql.data;
	}
	return group_scan_sql(p, t, weight);
}

/* for qsort of a factor's levels */
typedef struct LevelSort
{
	Datum		value;
	char	   *text;
} LevelSort;

static FmgrInfo *level_cmp_proc;
static Oid	level_cmp_collation;

static int
level_cmp(const void *a, const void *b)
{
	const LevelSort *x = a,
			   *y = b;

	if (level_cmp_proc)
	{
		int32		c = DatumGetInt32(FunctionCall2Coll(level_cmp_proc,
														level_cmp_collation,
														x->value, y->value));

		if (c != 0)
			return c;
	}
	return strcmp(x->text, y->text);
}

/*
 * Sort a factor's levels: the type's default order (numbers in numeric
 * order, false before true), text in byte order (the "C" collation); a
 * type without one in the byte order of the text form.
 */
static void
sort_levels(Factor *f, LevelSort *levels, int n)
{
	TypeCacheEntry *tc = lookup_type_cache(f->type, TYPECACHE_CMP_PROC_FINFO);
	int			i;

	level_cmp_proc = OidIsValid(tc->cmp_proc_finfo.fn_oid) ? &tc->cmp_proc_finfo : NULL;
	level_cmp_collation = C_COLLATION_OID;
	qsort(levels, n, sizeof(LevelSort), level_cmp);
	f->nlevels = n;
	f->level_text = palloc(sizeof(char *) * n);
	f->level_value = palloc(sizeof(Datum) * n);
	for (i = 0; i < n; i++)
	{
		f->level_text[i] = levels[i].text;
		f->level_value[i] = levels[i].value;
	}
}

pg_noreturn static void
too_many_levels(const Factor *f)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("factor(%s) has more than %d levels",
					f->column, MOMENTS_MAX_K - 1),
			 errdetail("A model has at most %d columns; each level but the reference is one.",
					   MOMENTS_MAX_K - 1)));
}

static char *
level_list(const Factor *f)
{
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	for (i = 0; i < f->nlevels && i < 20; i++)
		appendStringInfo(&s, "%s'%s'", i ? ", " : "", f->level_text[i]);
	if (f->nlevels > 20)
		appendStringInfo(&s, " and %d more", f->nlevels - 20);
	return s.data;
}

/* the levels of every factor from the groups with rows */
static void
find_levels(ModelTermsPriv *p, const Groups *gr)
{
	int			f;

	for (f = 0; f < p->nfactors; f++)
	{
		Factor	   *fac = &p->factors[f];
		LevelSort  *levels = palloc(sizeof(LevelSort) * (gr->n > 0 ? gr->n : 1));
		int			n = 0,
					i,
					g;
		Oid			typinput,
					typioparam;

		getTypeInputInfo(fac->type, &typinput, &typioparam);
		for (g = 0; g < gr->n; g++)
		{
			char	   *ltext = gr->keys[g][f];

			if (ltext == NULL || gr->states[g]->nrows == 0)
				continue;
			for (i = 0; i < n; i++)
				if (strcmp(levels[i].text, ltext) == 0)
					break;
			if (i < n)
				continue;
			if (n >= MOMENTS_MAX_K)
				too_many_levels(fac);
			levels[n].text = ltext;
			/* the value again from its text form, for the type's order */
			levels[n].value = OidInputFunctionCall(typinput, ltext, typioparam, -1);
			n++;
		}
		if (n == 0)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("too few rows for the regression"),
					 errdetail("No row has a value in every column the model uses.")));
		sort_levels(fac, levels, n);
		if (n < 2)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("factor(%s) has only one level, '%s', in the rows used",
							fac->column, fac->level_text[0]),
					 errdetail("A factor needs at least two levels: its indicators are against a reference level.")));
		fac->ref_level = 0;
		if (fac->ref)
		{
			for (i = 0; i < n; i++)
				if (strcmp(fac->level_text[i], fac->ref) == 0)
					break;
			if (i == n)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("reference level '%s' is not a level of factor(%s)",
								fac->ref, fac->column),
						 errdetail("The levels in the rows used are %s.", level_list(fac))));
			fac->ref_level = i;
		}
	}
}

/*
 * A level's indicator as SQL: 1 where the value's text form is the level's,
 * 0 where it is another, NULL where the value is NULL (levels are text
 * forms, as the scan's keys)
 */
static char *
level_expr(const Factor *f, int level)
{
	return psprintf("((%s)::pg_catalog.text OPERATOR(pg_catalog.=) %s::pg_catalog.text)::pg_catalog.int4::pg_catalog.float8",
					quote_identifier(f->column),
					quote_literal_cstr(f->level_text[level]));
}

static void
add_column(ModelTerms *mt, int *cap, char *name, char *expr, ModelColumn col)
{
	ModelTermsPriv *p = mt->priv;

	if (mt->ncolumns == *cap)
	{
		*cap *= 2;
		mt->names = repalloc(mt->names, sizeof(char *) * *cap);
		mt->exprs = repalloc(mt->exprs, sizeof(char *) * *cap);
		p->columns = repalloc(p->columns, sizeof(ModelColumn) * *cap);
	}
	if (mt->ncolumns >= MOMENTS_MAX_K)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the model has more than %d columns", MOMENTS_MAX_K - 1),
				 errdetail("Every level of a factor but the reference is a column, and an interaction with a factor one per level (per pair of levels for two factors).")));
	mt->names[mt->ncolumns] = name;
	mt->exprs[mt->ncolumns] = expr;
	p->columns[mt->ncolumns] = col;
	mt->ncolumns++;
}

/* the columns of one term: one per combination of non-reference levels */
static void
expand_term(ModelTerms *mt, int *cap, const ModelTerm *term)
{
	ModelTermsPriv *p = mt->priv;
	int			nf = 0,
				i;
	int		   *combo = palloc0(sizeof(int) * term->nparts);
	char	   *numeric = term_numeric_expr(term);

	for (i = 0; i < term->nparts; i++)
		if (term->parts[i].factor)
		{
			Factor	   *f = &p->factors[term->parts[i].factor_no];

			combo[i] = f->ref_level == 0 ? 1 : 0;
			nf++;
		}
	for (;;)
	{
		StringInfoData name,
					expr;
		ModelColumn col;
		int			r = 0;

		CHECK_FOR_INTERRUPTS();
		initStringInfo(&name);
		initStringInfo(&expr);
		col.scan_index = term->scan_index;
		col.nreq = nf;
		col.req_factor = palloc(sizeof(int) * (nf > 0 ? nf : 1));
		col.req_level = palloc(sizeof(int) * (nf > 0 ? nf : 1));
		if (numeric)
			appendStringInfoString(&expr, numeric);
		for (i = 0; i < term->nparts; i++)
		{
			const TermPart *part = &term->parts[i];

			if (i > 0)
				appendStringInfoChar(&name, ':');
			if (!part->factor)
			{
				appendStringInfoString(&name, part->column);
				continue;
			}
			appendStringInfo(&name, "%s[%s]", part->column,
							 p->factors[part->factor_no].level_text[combo[i]]);
			appendStringInfo(&expr, "%s%s", expr.len ? " OPERATOR(pg_catalog.*) " : "",
							 level_expr(&p->factors[part->factor_no], combo[i]));
			col.req_factor[r] = part->factor_no;
			col.req_level[r++] = combo[i];
		}
		add_column(mt, cap, name.data, expr.data, col);

		/* next combination, the first factor varying fastest (as R) */
		for (i = 0; i < term->nparts; i++)
		{
			const Factor *f;

			if (!term->parts[i].factor)
				continue;
			f = &p->factors[term->parts[i].factor_no];
			do
				combo[i]++;
			while (combo[i] == f->ref_level);
			if (combo[i] < f->nlevels)
				break;
			combo[i] = f->ref_level == 0 ? 1 : 0;
		}
		if (i == term->nparts)
			break;
	}
}

static void
expand_columns(ModelTerms *mt)
{
	ModelTermsPriv *p = mt->priv;
	int			cap = 16,
				i,
				j;

	mt->names = palloc(sizeof(char *) * cap);
	mt->exprs = palloc(sizeof(char *) * cap);
	p->columns = palloc(sizeof(ModelColumn) * cap);
	mt->block_ends = palloc(sizeof(int) * mt->nblocks);
	add_column(mt, &cap, p->dependent, p->scan_exprs[0],
			   (ModelColumn) {0, 0, NULL, NULL});
	for (i = 0; i < mt->nblocks; i++)
	{
		for (j = 0; j < p->nterms; j++)
			if (p->terms[j].block == i)
				expand_term(mt, &cap, &p->terms[j]);
		mt->block_ends[i] = mt->ncolumns - 1;
	}
}

/* the group's key: the level index of each factor, or false (NULL, none) */
static bool
group_levels(ModelTermsPriv *p, const Groups *gr, int g, int *lv)
{
	int			f;

	for (f = 0; f < p->nfactors; f++)
	{
		char	   *ltext = gr->keys[g][f];
		int			i;

		if (ltext == NULL)
			return false;
		for (i = 0; i < p->factors[f].nlevels; i++)
			if (strcmp(p->factors[f].level_text[i], ltext) == 0)
				break;
		if (i == p->factors[f].nlevels)
			return false;
		lv[f] = i;
	}
	return true;
}

/*
 * A group's state over the scanned columns widened to the model's columns
 * (out: an empty state over them, overwritten).  Exact: sums are copied.
 */
static void
widen(const ModelTerms *mt, const MomentsState *g, const int *lv,
	  MomentsState *out, bool *active, int *src)
{
	ModelTermsPriv *p = mt->priv;
	MomentsArrays ag,
				ao;
	int			k = mt->ncolumns,
				kg = g->k,
				i,
				j,
				r;

	for (i = 0; i < k; i++)
	{
		const ModelColumn *c = &p->columns[i];

		active[i] = true;
		for (r = 0; r < c->nreq; r++)
			if (lv[c->req_factor[r]] != c->req_level[r])
				active[i] = false;
		src[i] = c->scan_index;
	}
	moments_arrays(g, &ag);
	moments_arrays(out, &ao);
	out->flags = g->flags;
	out->nrows = g->nrows;
	out->n_hi = g->n_hi;
	out->n_lo = g->n_lo;
	for (i = 0; i < k; i++)
	{
		bool		num = active[i] && src[i] >= 0;

		ao.ref[i] = !active[i] ? 0.0 : num ? ag.ref[src[i]] : 1.0;
		ao.min[i] = !active[i] ? 0.0 : num ? ag.min[src[i]] : 1.0;
		ao.max[i] = !active[i] ? 0.0 : num ? ag.max[src[i]] : 1.0;
		ao.s1_hi[i] = num ? ag.s1_hi[src[i]] : 0.0;
		ao.s1_lo[i] = num ? ag.s1_lo[src[i]] : 0.0;
		ao.s3_hi[i] = num ? ag.s3_hi[src[i]] : 0.0;
		ao.s3_lo[i] = num ? ag.s3_lo[src[i]] : 0.0;
		ao.s4_hi[i] = num ? ag.s4_hi[src[i]] : 0.0;
		ao.s4_lo[i] = num ? ag.s4_lo[src[i]] : 0.0;
		for (j = i; j < k; j++)
		{
			size_t		o = moments_tri(k, i, j);

			if (num && active[j] && src[j] >= 0)
			{
				int			a = Min(src[i], src[j]),
							b = Max(src[i], src[j]);
				size_t		s = moments_tri(kg, a, b);

				ao.s2_hi[o] = ag.s2_hi[s];
				ao.s2_lo[o] = ag.s2_lo[s];
			}
			else
			{
				ao.s2_hi[o] = 0.0;
				ao.s2_lo[o] = 0.0;
			}
		}
	}
}

/* run sql (read-only, with snapshot or a fresh one) in a connected SPI */
static void
run_scan(const char *sql, Snapshot snapshot, long tcount)
{
	SPIPlanPtr	plan = SPI_prepare_cursor(sql, 0, NULL, CURSOR_OPT_PARALLEL_OK);
	Snapshot	snap;

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	/* locks before snapshot (table_api.c) */
	snap = snapshot != InvalidSnapshot ? snapshot
		: RegisterSnapshot(GetTransactionSnapshot());
	if (SPI_execute_snapshot(plan, NULL, NULL, snap, InvalidSnapshot, true,
							 false, tcount) != SPI_OK_SELECT)
		elog(ERROR, "survey_reg model scan failed");
	if (snapshot == InvalidSnapshot)
		UnregisterSnapshot(snap);
}

/* the groups of a GROUP BY scan (or the one row of an ungrouped one) */
static void
groups_of_rows(ModelTermsPriv *p, Groups *gr, MemoryContext outer)
{
	SPITupleTable *tt = SPI_tuptable;
	uint64		r;
	MemoryContext old;

	if (SPI_processed > MODEL_MAX_GROUPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the factors have more than %d combinations of levels",
						MODEL_MAX_GROUPS),
				 errdetail("A factor with that many levels would give more columns than a model may have (%d).",
						   MOMENTS_MAX_K - 1)));
	old = MemoryContextSwitchTo(outer);
	gr->n = 0;
	gr->keys = palloc(sizeof(char **) * (SPI_processed + 1));
	gr->states = palloc(sizeof(MomentsState *) * (SPI_processed + 1));
	for (r = 0; r < SPI_processed; r++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(tt->vals[r], tt->tupdesc, 1, &isnull);
		MomentsState *m;
		int			f;

		CHECK_FOR_INTERRUPTS();
		if (isnull)
			continue;
		m = DatumGetMomentsP(d);
		gr->states[gr->n] = palloc(VARSIZE(m));
		memcpy(gr->states[gr->n], m, VARSIZE(m));
		gr->keys[gr->n] = palloc(sizeof(char *) * (p->nfactors + 1));
		for (f = 0; f < p->nfactors; f++)
		{
			Datum		k = SPI_getbinval(tt->vals[r], tt->tupdesc, 3 + 2 * f, &isnull);

			gr->keys[gr->n][f] = isnull ? NULL : TextDatumGetCString(k);
		}
		gr->n++;
	}
	MemoryContextSwitchTo(old);
}

/*
 * The groups of a _moments_by scan: false when its keys overflowed.  A key
 * is the factors' text forms joined by U+001F.
 */
static bool
groups_of_keys(ModelTermsPriv *p, Groups *gr, MemoryContext outer)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	ByState    *s;
	ByEntry    *e;
	int			i;
	MemoryContext old = MemoryContextSwitchTo(outer);

	gr->n = 0;
	if (isnull)
	{
		MemoryContextSwitchTo(old);
		return true;
	}
	s = (ByState *) PG_DETOAST_DATUM_COPY(d);
	if (s->overflow)
	{
		MemoryContextSwitchTo(old);
		return false;
	}
	gr->keys = palloc(sizeof(char **) * (s->nkeys + 1));
	gr->states = palloc(sizeof(MomentsState *) * (s->nkeys + 1));
	for (i = 0, e = moments_by_first(s); i < s->nkeys; i++, e = moments_by_next(e))
	{
		char	   *key = pnstrdup(moments_by_key(e), e->keylen);
		char	   *q = key;
		int			f;

		gr->keys[i] = palloc(sizeof(char *) * (p->nfactors + 1));
		for (f = 0; f < p->nfactors; f++)
		{
			char	   *sep = strchr(q, '\x1f');

			if ((sep == NULL) != (f == p->nfactors - 1))
				ereport(ERROR,
						(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
						 errmsg("a level of a factor contains the character U+001F"),
						 errdetail("The factors' values are joined with it in the scan.")));
			if (sep)
				*sep = '\0';
			gr->keys[i][f] = q;
			q = sep ? sep + 1 : NULL;
		}
		gr->states[i] = moments_detached(moments_by_state(e));
		gr->n++;
	}
	MemoryContextSwitchTo(old);
	return true;
}

MomentsState *
model_terms_scan(ModelTerms *mt, const char *sql, Snapshot snapshot)
{
	ModelTermsPriv *p = mt->priv;
	Groups		gr;
	MomentsState *total,
			   *wide;
	int		   *lv;
	bool	   *active;
	int		   *src;
	int			g;
	MemoryContext outer = CurrentMemoryContext;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (p->group_sql == NULL)
	{
		run_scan(sql, snapshot, MODEL_MAX_GROUPS + 1);
		groups_of_rows(p, &gr, outer);
	}
	else
	{
		run_scan(sql, snapshot, 0);
		if (!groups_of_keys(p, &gr, outer))
		{
			/* one factor: its levels are the keys, too many */
			if (p->nfactors == 1)
				too_many_levels(&p->factors[0]);
			/* several: their combinations may still be within the limits */
			run_scan(p->group_sql, snapshot, MODEL_MAX_GROUPS + 1);
			groups_of_rows(p, &gr, outer);
		}
	}
	SPI_finish();

	find_levels(p, &gr);
	expand_columns(mt);
	lv = palloc0(sizeof(int) * (p->nfactors + 1));
	active = palloc(sizeof(bool) * mt->ncolumns);
	src = palloc(sizeof(int) * mt->ncolumns);
	total = moments_new(mt->ncolumns, (const char *const *) mt->names);
	wide = moments_new(mt->ncolumns, (const char *const *) mt->names);
	for (g = 0; g < gr.n; g++)
	{
		MomentsState *m = gr.states[g];
		int			rc;

		CHECK_FOR_INTERRUPTS();
		if (m->nrows == 0 || !group_levels(p, &gr, g, lv))
			continue;
		if (m->k != p->nscan)
			elog(ERROR, "survey_reg model scan returned %d variables, not %d",
				 m->k, p->nscan);
		widen(mt, m, lv, wide, active, src);
		rc = moments_merge(total, wide);
		if (rc == -1)
			moments_overflow_error();
		if (rc != 0)
			elog(ERROR, "survey_reg model scan: too many rows to merge");
	}
	return total;
}

/* ---------------------------------------------------------------- */
/* the formatted tables' state                                       */
/* ---------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(model_moments_sql);

/*
 * survey_reg._model_moments(source text, dependent text, blocks text[],
 * weight text, OUT m survey_reg.moments, OUT model_blocks text[]): the state
 * over the model's columns and the blocks over their names, for the state
 * forms that regression_table and report format.  Plain columns: the state
 * of table_moments over the dependent and the predictors, once each, and
 * the blocks as given (as before terms).  NULL source, dependent or blocks:
 * NULL.
 */
Datum
model_moments_sql(PG_FUNCTION_ARGS)
{
	text	   *source;
	TableRef	t;
	ModelTerms *mt;
	ModelTermsPriv *p;
	MomentsState *m;
	Datum		out_blocks;
	TupleDesc	td;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	char	   *weight;
	int			i,
				j;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "_model_moments must return a record");
	source = PG_GETARG_TEXT_PP(0);
	weight = PG_ARGISNULL(3) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(3));
	t = resolve_relation(source);
	mt = model_terms_parse(&t, text_to_cstring(PG_GETARG_TEXT_PP(1)),
						   PG_GETARG_ARRAYTYPE_P(2));
	p = mt->priv;
	if (mt->simple)
	{
		char	  **cols = palloc(sizeof(char *) * (p->nterms + 1));
		int			n = 0;

		cols[n++] = p->dependent;
		for (i = 0; i < p->nterms; i++)
		{
			for (j = 0; j < n; j++)
				if (strcmp(cols[j], p->terms[i].parts[0].column) == 0)
					break;
			if (j == n)
				cols[n++] = p->terms[i].parts[0].column;
		}
		m = table_moments(source, cols, n, weight);
		out_blocks = PG_GETARG_DATUM(2);
	}
	else
	{
		char	   *sql = model_terms_scan_sql(mt, &t, weight);
		Datum	   *elems = palloc(sizeof(Datum) * mt->nblocks);
		int			first = 0;

		m = model_terms_scan(mt, sql, InvalidSnapshot);
		for (i = 0; i < mt->nblocks; i++)
		{
			StringInfoData s;

			initStringInfo(&s);
			for (j = first; j < mt->block_ends[i]; j++)
			{
				if (strchr(mt->names[1 + j], ','))
					ereport(ERROR,
							(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
							 errmsg("model column \"%s\" has a comma in its name",
									mt->names[1 + j]),
							 errdetail("The formatted tables list a block's columns separated by commas."),
							 errhint("Use coefficients() and model_summary(), or recode the level.")));
				appendStringInfo(&s, "%s%s", j > first ? ", " : "", mt->names[1 + j]);
			}
			elems[i] = CStringGetTextDatum(s.data);
			first = mt->block_ends[i];
		}
		out_blocks = PointerGetDatum(construct_array(elems, mt->nblocks, TEXTOID,
													 -1, false, TYPALIGN_INT));
	}
	values[0] = PointerGetDatum(m);
	values[1] = out_blocks;
	td = BlessTupleDesc(td);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, values, nulls)));
}
