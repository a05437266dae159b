/*
 * moments_by.c — survey_reg._moments_by(key text, VARIADIC "any") and
 * _moments_by_weighted(key text, weight float8, VARIADIC "any"): one
 * moments state per distinct key, in one ungrouped aggregate (bytea state).
 *
 * Why: model_terms.c needs the moments of the numeric columns per
 * combination of factor levels.  GROUP BY does that, but PostgreSQL's hash
 * grouping alone costs some 0.6 x the cheapest scan of the table (issue 15's
 * bench); a handful of keys held in the state, the last one matched
 * checked first, costs a comparison of a few bytes per row, and each key's
 * state takes rows in batches (moments_batch.c).  The keys are few by
 * design: past MOMENTS_BY_MAX_KEYS the state stops accumulating and says
 * so (overflow), and the caller reports a factor with too many levels or
 * falls back to GROUP BY — never a linear search over millions of keys.
 *
 * Layout: a ByState header, then nkeys entries, each a ByEntry, the key's
 * bytes (padded to 8) and a batched MomentsState over x1 .. xk.
 */
#include "survey_reg.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "moments_by.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(moments_by_transfn);
PG_FUNCTION_INFO_V1(moments_by_weighted_transfn);
PG_FUNCTION_INFO_V1(moments_by_combinefn);
PG_FUNCTION_INFO_V1(moments_by_finalfn);

#define ENTRY_STATE_OFFSET(keylen) \
	(MAXALIGN(sizeof(ByEntry)) + MAXALIGN(keylen))

static MomentsState *
entry_state(ByEntry *e)
{
	return (MomentsState *) ((char *) e + ENTRY_STATE_OFFSET(e->keylen));
}

ByEntry *
moments_by_first(ByState *s)
{
	return (ByEntry *) ((char *) s + MAXALIGN(sizeof(ByState)));
}

ByEntry *
moments_by_next(ByEntry *e)
{
	return (ByEntry *) ((char *) e + e->size);
}

const char *
moments_by_key(ByEntry *e)
{
	return (const char *) e + MAXALIGN(sizeof(ByEntry));
}

MomentsState *
moments_by_state(ByEntry *e)
{
	return entry_state(e);
}

static ByEntry *
find_entry(ByState *s, const char *key, int keylen)
{
	ByEntry    *e;
	int			i;

	if (s->last_off > 0)
	{
		e = (ByEntry *) ((char *) s + s->last_off);
		if (e->keylen == keylen && memcmp(moments_by_key(e), key, keylen) == 0)
			return e;
	}
	for (i = 0, e = moments_by_first(s); i < s->nkeys; i++, e = moments_by_next(e))
		if (e->keylen == keylen && memcmp(moments_by_key(e), key, keylen) == 0)
		{
			s->last_off = (int32) ((char *) e - (char *) s);
			return e;
		}
	return NULL;
}

/* a copy of s with an empty entry for key appended (palloc'ed) */
static ByState *
add_entry(ByState *s, const char *key, int keylen, const MomentsState *proto)
{
	size_t		msize = moments_batched_size(proto->k, proto->names_len);
	size_t		esize = ENTRY_STATE_OFFSET(keylen) + MAXALIGN(msize);
	size_t		old = VARSIZE(s);
	ByState    *n = palloc0(old + esize);
	ByEntry    *e;
	MomentsState *m;

	memcpy(n, s, old);
	SET_VARSIZE(n, old + esize);
	e = (ByEntry *) ((char *) n + old);
	e->size = (int32) esize;
	e->keylen = keylen;
	memcpy((char *) e + MAXALIGN(sizeof(ByEntry)), key, keylen);
	m = entry_state(e);
	memcpy(m, proto, VARSIZE(proto));
	SET_VARSIZE(m, msize);
	n->nkeys++;
	n->last_off = (int32) old;
	return n;
}

static ByState *
new_by_state(int k)
{
	ByState    *s = palloc0(MAXALIGN(sizeof(ByState)));

	SET_VARSIZE(s, MAXALIGN(sizeof(ByState)));
	s->k = k;
	return s;
}

/* an empty state over x1 .. xk, the prototype of every key's */
static MomentsState *
proto_state(int k)
{
	char	  **names = palloc(sizeof(char *) * k);
	int			i;

	for (i = 0; i < k; i++)
		names[i] = psprintf("x%d", i + 1);
	return moments_new(k, (const char *const *) names);
}

static Datum
by_common(FunctionCallInfo fcinfo, bool weighted)
{
	ByState    *s = PG_ARGISNULL(0) ? NULL : (ByState *) PG_GETARG_POINTER(0);
	int			first = weighted ? 3 : 2;
	int			k = PG_NARGS() - first;
	double		x[MOMENTS_BY_MAX_K];
	double		w = 1.0;
	text	   *key;
	ByEntry    *e;
	int			i;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("_moments_by transition function called in non-aggregate context")));
	if (s == NULL)
	{
		if (k < 1 || k > MOMENTS_BY_MAX_K)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("_moments_by takes 1 to %d variables", MOMENTS_BY_MAX_K)));
		for (i = first; i < PG_NARGS(); i++)
			if (get_fn_expr_argtype(fcinfo->flinfo, i) != FLOAT8OID)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("_moments_by variables must be of type double precision")));
		s = new_by_state(k);
	}
	/* too many keys: stop (the caller reports it) */
	if (s->overflow || PG_ARGISNULL(1))
		PG_RETURN_POINTER(s);
	if (weighted)
	{
		if (PG_ARGISNULL(2))
			PG_RETURN_POINTER(s);
		w = PG_GETARG_FLOAT8(2);
		if (w < 0.0 || !isfinite(w))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight must be a non-negative finite number"),
					 errdetail("The weight is %g.", w)));
		if (w == 0.0)
			PG_RETURN_POINTER(s);
	}
	/* listwise: a NULL, NaN or infinite value leaves the row out */
	for (i = 0; i < k; i++)
	{
		if (PG_ARGISNULL(first + i))
			PG_RETURN_POINTER(s);
		x[i] = PG_GETARG_FLOAT8(first + i);
		if (!isfinite(x[i]))
			PG_RETURN_POINTER(s);
	}
	key = PG_GETARG_TEXT_PP(1);
	e = find_entry(s, VARDATA_ANY(key), VARSIZE_ANY_EXHDR(key));
	if (e == NULL)
	{
		if (s->nkeys >= MOMENTS_BY_MAX_KEYS)
		{
			s->overflow = 1;
			PG_RETURN_POINTER(s);
		}
		/* a new value: the executor copies it into the aggregate's memory */
		s = add_entry(s, VARDATA_ANY(key), VARSIZE_ANY_EXHDR(key), proto_state(k));
		e = (ByEntry *) ((char *) s + s->last_off);
	}
	if (moments_push_row(entry_state(e), x, w))
		moments_flush_pending(entry_state(e));
	PG_RETURN_POINTER(s);
}

/* _moments_by(key text, VARIADIC "any") */
Datum
moments_by_transfn(PG_FUNCTION_ARGS)
{
	return by_common(fcinfo, false);
}

/* _moments_by_weighted(key text, weight float8, VARIADIC "any") */
Datum
moments_by_weighted_transfn(PG_FUNCTION_ARGS)
{
	return by_common(fcinfo, true);
}

/* parallel partial states: a's keys plus b's, merged per key */
Datum
moments_by_combinefn(PG_FUNCTION_ARGS)
{
	ByState    *a = (ByState *) PG_GETARG_BYTEA_P_COPY(0);
	ByState    *b = (ByState *) PG_GETARG_BYTEA_P_COPY(1);
	ByEntry    *e;
	int			i;

	if (a->k != b->k)
		elog(ERROR, "_moments_by states over different numbers of variables");
	a->overflow |= b->overflow;
	for (i = 0, e = moments_by_first(b); i < b->nkeys && !a->overflow;
		 i++, e = moments_by_next(e))
	{
		ByEntry    *t = find_entry(a, moments_by_key(e), e->keylen);
		MomentsState *src = moments_detached(entry_state(e));

		if (t == NULL)
		{
			if (a->nkeys >= MOMENTS_BY_MAX_KEYS)
			{
				a->overflow = 1;
				break;
			}
			a = add_entry(a, moments_by_key(e), e->keylen, proto_state(a->k));
			t = (ByEntry *) ((char *) a + a->last_off);
		}
		moments_flush_pending(entry_state(t));
		if (moments_merge(entry_state(t), src) == -1)
			moments_overflow_error();
	}
	PG_RETURN_POINTER(a);
}

/* every key's state flushed (a copy: a final function leaves its state) */
Datum
moments_by_finalfn(PG_FUNCTION_ARGS)
{
	ByState    *s = (ByState *) PG_GETARG_BYTEA_P_COPY(0);
	ByEntry    *e;
	int			i;

	for (i = 0, e = moments_by_first(s); i < s->nkeys; i++, e = moments_by_next(e))
	{
		MomentsState *m = entry_state(e);

		moments_flush_pending(m);
		if (moments_finish(m) == -1)
			moments_overflow_error();
	}
	PG_RETURN_BYTEA_P(s);
}
