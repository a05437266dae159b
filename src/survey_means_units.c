/*
 * survey_means_units.c — survey_reg._means_units(s, p, q, g, w, f1, f2, u,
 * dv, VARIADIC y): survey_means' scan of a clustered design as ONE
 * ungrouped aggregate (issue 16).  Its state is an open-addressing hash
 * keyed by (stratum, PSU, SSU, group), each entry the sums of
 * survey_means_agg.c's mode 0 (n, sum w y, sum w per variable, and the
 * unit's counts).  A grouped scan over the same keys paid hash
 * aggregation's per-group costs (key tuples, a bucket array sized for the
 * planner's estimate, which overestimates groups because PSUs nest in
 * strata, and no parallel plan for that reason), 3.7 x the floor query at
 * 200,000 SSU x group cells.
 *
 * The keys are integers (survey_means uses this aggregate only when every
 * key column is int2/int4/int8; other types keep the grouped scan).  The
 * state is a flat bytea (no `internal`): parallel workers pass it as it is
 * and the combine function merges two.  It stays within work_mem x
 * hash_mem_multiplier: past that it turns into a small "overflow" state and
 * survey_means runs the grouped scan instead.  Rows stored unit by unit hit
 * the last entry again (checked first).
 */
#include "survey_reg.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"

#include "survey_means_agg.h"
#include "survey_means_units.h"

PG_FUNCTION_INFO_V1(means_units_transfn);
PG_FUNCTION_INFO_V1(means_units_combinefn);

/* the arguments (0: the state) */
#define ARG_KEYS 1				/* s, p, q, g: int8 */
#define ARG_W 5
#define ARG_Y 10

#define MIN_CAPACITY 64

/*
 * Layout: the header, the index (capacity int32 slots, a power of two, at
 * most half full: 0 empty, else entry + 1), then entry_cap dense entries.
 */
static inline Size
index_bytes(int64 capacity)
{
	return MAXALIGN(sizeof(int32) * (Size) capacity);
}

static inline Size
state_bytes(int64 capacity, int64 entry_cap, Size entry_bytes)
{
	return sizeof(UnitsState) + index_bytes(capacity) + (Size) entry_cap * entry_bytes;
}

static inline int32 *
index_of(UnitsState *st)
{
	return (int32 *) ((char *) st + sizeof(UnitsState));
}

static inline UnitsEntry *
entry_at(UnitsState *st, int64 i)
{
	return (UnitsEntry *) ((char *) st + sizeof(UnitsState)
						   + index_bytes(st->capacity) + i * st->entry_bytes);
}

/* the memory a state may take: work_mem x hash_mem_multiplier */
static Size
budget(void)
{
	double		b = (double) work_mem * 1024.0 * hash_mem_multiplier;

	return b > (double) (MaxAllocSize / 2) ? MaxAllocSize / 2 : (Size) b;
}

static inline Size
entry_bytes_for(int nvars)
{
	return MAXALIGN(sizeof(UnitsEntry) + sizeof(double) * (MS_FIXED + 3 * nvars));
}

/* a new empty state in the current (per-row) memory: the executor copies it */
static UnitsState *
new_units(int nvars, int64 capacity, int64 entry_cap, bool overflow)
{
	Size		eb = entry_bytes_for(nvars);
	UnitsState *st;

	if (overflow)
		capacity = entry_cap = 0;
	st = palloc(state_bytes(capacity, entry_cap, eb));
	memset(st, 0, sizeof(UnitsState) + index_bytes(capacity));
	SET_VARSIZE(st, state_bytes(capacity, entry_cap, eb));
	st->magic = UNITS_MAGIC;
	st->nvars = nvars;
	st->overflow = overflow;
	st->capacity = capacity;
	st->entry_cap = entry_cap;
	st->entry_bytes = eb;
	st->last = -1;
	return st;
}

static inline uint64
key_hash(const int64 *k, uint32 nulls)
{
	uint64		h = UINT64CONST(0x9e3779b97f4a7c15) ^ nulls;
	int			i;

	for (i = 0; i < UNITS_NKEYS; i++)
	{
		h ^= (uint64) k[i];
		h *= UINT64CONST(0xff51afd7ed558ccd);
		h ^= h >> 32;
	}
	return h;
}

static inline bool
key_equal(const UnitsEntry *e, const int64 *k, uint32 nulls)
{
	return e->nulls == nulls && e->key[0] == k[0] && e->key[1] == k[1]
		&& e->key[2] == k[2] && e->key[3] == k[3];
}

/* the index slot of key k: its entry's, or the empty one where it goes */
static inline int32 *
probe(UnitsState *st, const int64 *k, uint32 nulls)
{
	int32	   *index = index_of(st);
	uint64		mask = (uint64) st->capacity - 1;
	uint64		i = key_hash(k, nulls) & mask;

	for (;;)
	{
		if (index[i] == 0 || key_equal(entry_at(st, index[i] - 1), k, nulls))
			return &index[i];
		i = (i + 1) & mask;
	}
}

/*
 * A copy of st with room for one more entry (index and entries grown as
 * needed, in the per-row memory), or NULL past the memory budget.
 */
static UnitsState *
grow(UnitsState *st)
{
	int64		cap = st->capacity,
				ecap = st->entry_cap,
				j;
	UnitsState *big;

	while ((st->count + 1) * 2 > cap)
		cap *= 2;
	if (st->count + 1 > ecap)
	{
		/* double, or what the budget leaves */
		Size		fixed = sizeof(UnitsState) + index_bytes(cap);

		ecap *= 2;
		if (state_bytes(cap, ecap, st->entry_bytes) > budget()
			&& budget() > fixed)
			ecap = (int64) ((budget() - fixed) / st->entry_bytes);
	}
	if (ecap < st->count + 1 || state_bytes(cap, ecap, st->entry_bytes) > budget())
		return NULL;
	big = new_units(st->nvars, cap, ecap, false);
	memcpy(entry_at(big, 0), entry_at(st, 0), (Size) st->count * st->entry_bytes);
	big->count = st->count;
	if (cap != st->capacity)
		for (j = 0; j < big->count; j++)
		{
			UnitsEntry *e = entry_at(big, j);

			*probe(big, e->key, e->nulls) = (int32) (j + 1);
		}
	else
		memcpy(index_of(big), index_of(st), index_bytes(cap));
	return big;
}

/*
 * The entry of key k, made if new: *stp may be replaced by a larger copy
 * (in the per-row memory), or by an overflow state (returns NULL).
 */
static double *
find_or_add(UnitsState **stp, const int64 *k, uint32 nulls)
{
	UnitsState *st = *stp;
	UnitsEntry *e;
	int32	   *slot;

	if (st->last >= 0 && key_equal(entry_at(st, st->last), k, nulls))
		return entry_at(st, st->last)->sums;
	slot = probe(st, k, nulls);
	if (*slot == 0)
	{
		if ((st->count + 1) * 2 > st->capacity || st->count + 1 > st->entry_cap)
		{
			UnitsState *big = grow(st);

			if (big == NULL)
			{
				*stp = new_units(st->nvars, 0, 0, true);
				return NULL;
			}
			*stp = st = big;
			slot = probe(st, k, nulls);
		}
		e = entry_at(st, st->count);
		memset(e, 0, st->entry_bytes);
		e->used = 1;
		e->nulls = nulls;
		memcpy(e->key, k, sizeof(e->key));
		e->sums[MS_NVARS] = st->nvars;
		*slot = (int32) (++st->count);
	}
	st->last = *slot - 1;
	return entry_at(st, st->last)->sums;
}

/* a state from a tuple: a 4-byte header and 8-byte alignment, checked */
UnitsState *
units_state(Datum d)
{
	struct varlena *v = pg_detoast_datum((struct varlena *) DatumGetPointer(d));
	UnitsState *st;

	if (((uintptr_t) v) % MAXIMUM_ALIGNOF != 0)
	{
		struct varlena *c = palloc(VARSIZE(v));

		memcpy(c, v, VARSIZE(v));
		v = c;
	}
	st = (UnitsState *) v;
	if (VARSIZE(st) < sizeof(UnitsState) || st->magic != UNITS_MAGIC
		|| st->nvars < 0 || st->capacity < 0
		|| st->entry_cap < st->count || st->count < 0
		|| (st->capacity > 0 && (st->capacity & (st->capacity - 1)) != 0)
		|| (Size) st->entry_bytes != entry_bytes_for(st->nvars)
		|| VARSIZE(st) != state_bytes(st->capacity, st->entry_cap, st->entry_bytes))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid _means_units state")));
	return st;
}

UnitsEntry *
units_entry(UnitsState *st, int64 i)
{
	return entry_at(st, i);
}

static void
not_aggregate(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("_means_units transition function called in non-aggregate context")));
}

/*
 * fpc and fpc2 as float8, or numeric converted once per distinct value
 * (their value is constant within a stratum or PSU; converting numeric per
 * row cost as much as the rest of the scan)
 */
typedef struct FpcArg
{
	Oid			type;
	struct varlena *last;		/* numeric: the value converted last */
	double		value;
} FpcArg;

static const double *
fpc_arg(FunctionCallInfo fcinfo, int arg, FpcArg *c)
{
	struct varlena *v;

	if (PG_ARGISNULL(arg))
		return NULL;
	if (c->type == FLOAT8OID)
	{
		c->value = PG_GETARG_FLOAT8(arg);
		return &c->value;
	}
	v = (struct varlena *) PG_GETARG_POINTER(arg);
	if (c->last == NULL || VARSIZE_ANY(v) != VARSIZE_ANY(c->last)
		|| memcmp(v, c->last, VARSIZE_ANY(v)) != 0)
	{
		c->value = DatumGetFloat8(DirectFunctionCall1(numeric_float8, PointerGetDatum(v)));
		if (c->last)
			pfree(c->last);
		c->last = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, VARSIZE_ANY(v));
		memcpy(c->last, v, VARSIZE_ANY(v));
	}
	return &c->value;
}

/* one row; not STRICT (the state starts NULL, any input may be NULL) */
Datum
means_units_transfn(PG_FUNCTION_ARGS)
{
	UnitsState *st;
	int64		k[UNITS_NKEYS];
	uint32		nulls = 0;
	double	   *d;
	FpcArg	   *fpc;
	int			i;

	if (!AggCheckCallContext(fcinfo, NULL))
		not_aggregate();
	if (fcinfo->flinfo->fn_extra == NULL)
	{
		FpcArg	   *c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, 2 * sizeof(FpcArg));

		for (i = 0; i < 2; i++)
		{
			c[i].type = get_fn_expr_argtype(fcinfo->flinfo, ARG_W + 1 + i);
			if (c[i].type != FLOAT8OID && c[i].type != NUMERICOID)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("_means_units fpc arguments must be of type double precision or numeric")));
		}
		means_sums_check_args(fcinfo, ARG_Y);
		fcinfo->flinfo->fn_extra = c;
	}
	fpc = (FpcArg *) fcinfo->flinfo->fn_extra;
	if (PG_ARGISNULL(0))
		st = new_units(PG_NARGS() - ARG_Y, MIN_CAPACITY, MIN_CAPACITY / 2, false);
	else
		st = (UnitsState *) PG_GETARG_POINTER(0);
	if (st->overflow)
		PG_RETURN_POINTER(st);
	for (i = 0; i < UNITS_NKEYS; i++)
	{
		if (PG_ARGISNULL(ARG_KEYS + i))
		{
			k[i] = 0;
			nulls |= 1u << i;
		}
		else
			k[i] = PG_GETARG_INT64(ARG_KEYS + i);
	}
	d = find_or_add(&st, k, nulls);
	if (d != NULL)
		means_sums_add_row(fcinfo, ARG_W, d, 0, st->nvars,
						   fpc_arg(fcinfo, ARG_W + 1, &fpc[0]),
						   fpc_arg(fcinfo, ARG_W + 2, &fpc[1]));
	PG_RETURN_POINTER(st);
}

/* two partial states (parallel workers): b's entries into a */
Datum
means_units_combinefn(PG_FUNCTION_ARGS)
{
	UnitsState *a,
			   *b;
	int64		j;

	if (!AggCheckCallContext(fcinfo, NULL))
		not_aggregate();
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = units_state(PG_GETARG_DATUM(1));
	if (PG_ARGISNULL(0))
	{
		/* a copy, which later calls update in place */
		a = palloc(VARSIZE(b));
		memcpy(a, b, VARSIZE(b));
		PG_RETURN_POINTER(a);
	}
	a = (UnitsState *) PG_GETARG_POINTER(0);
	if (a->nvars != b->nvars)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("_means_units states of different shapes cannot be combined")));
	if (a->overflow || b->overflow)
		PG_RETURN_POINTER(a->overflow ? a : new_units(a->nvars, 0, 0, true));
	for (j = 0; j < b->count; j++)
	{
		UnitsEntry *e = entry_at(b, j);
		double	   *d;

		d = find_or_add(&a, e->key, e->nulls);
		if (d == NULL)
			break;				/* a is now the overflow state */
		means_sums_merge(d, e->sums, 0, a->nvars);
	}
	PG_RETURN_POINTER(a);
}
