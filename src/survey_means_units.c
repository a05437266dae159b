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
 * state is a bytea (no `internal`): flat (survey_means_units.h) between
 * parallel workers and in the result, and while aggregating a read-write
 * expanded object holding the index and the entries in buffers of their
 * own, which grow in place (repalloc); the executor keeps such a value
 * without copying it (a flat state copied at every doubling spent most of
 * the scan in page faults).  It stays within work_mem x
 * hash_mem_multiplier: past that it turns into an "overflow" state without
 * entries and survey_means runs the grouped scan instead.  Rows stored unit
 * by unit hit the last entry again (checked first).
 */
#include "survey_reg.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/expandeddatum.h"
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

/* a hash table: the expanded state's, or a view of a flat one */
typedef struct UnitsTable
{
	int			nvars;
	bool		overflow;
	int64		capacity,		/* index slots, a power of two */
				entry_cap,		/* entries room is made for */
				count,
				last;			/* the entry hit last, or -1 */
	Size		entry_bytes;
	int32	   *index;			/* 0: empty, else entry + 1 */
	char	   *entries;
	MemoryContext cxt;			/* expanded: owns index and entries */
} UnitsTable;

typedef struct UnitsExpanded
{
	ExpandedObjectHeader hdr;
	UnitsTable	t;
} UnitsExpanded;

static inline Size
index_bytes(int64 capacity)
{
	return MAXALIGN(sizeof(int32) * (Size) capacity);
}

static inline Size
flat_bytes(int64 capacity, int64 count, Size entry_bytes)
{
	return sizeof(UnitsState) + index_bytes(capacity) + (Size) count * entry_bytes;
}

static inline Size
entry_bytes_for(int nvars)
{
	return MAXALIGN(sizeof(UnitsEntry) + sizeof(double) * (MS_FIXED + 3 * nvars));
}

static inline UnitsEntry *
entry_at(const UnitsTable *t, int64 i)
{
	return (UnitsEntry *) (t->entries + i * t->entry_bytes);
}

/* the memory a state may take: work_mem x hash_mem_multiplier */
static Size
budget(void)
{
	double		b = (double) work_mem * 1024.0 * hash_mem_multiplier;

	return b > (double) (MaxAllocSize / 2) ? MaxAllocSize / 2 : (Size) b;
}

/* the flat form: header, index, the count entries */
static Size
units_flat_size(ExpandedObjectHeader *eoh)
{
	const UnitsTable *t = &((UnitsExpanded *) eoh)->t;

	return flat_bytes(t->overflow ? 0 : t->capacity, t->overflow ? 0 : t->count,
					  t->entry_bytes);
}

static void
units_flatten(ExpandedObjectHeader *eoh, void *result, Size allocated_size)
{
	const UnitsTable *t = &((UnitsExpanded *) eoh)->t;
	UnitsState *st = (UnitsState *) result;
	int64		cap = t->overflow ? 0 : t->capacity,
				n = t->overflow ? 0 : t->count;

	memset(st, 0, sizeof(UnitsState));
	SET_VARSIZE(st, allocated_size);
	st->magic = UNITS_MAGIC;
	st->nvars = t->nvars;
	st->overflow = t->overflow;
	st->capacity = cap;
	st->count = n;
	st->entry_bytes = t->entry_bytes;
	if (cap > 0)
		memcpy((char *) st + sizeof(UnitsState), t->index, index_bytes(cap));
	if (n > 0)
		memcpy((char *) st + sizeof(UnitsState) + index_bytes(cap), t->entries,
			   (Size) n * t->entry_bytes);
}

static const ExpandedObjectMethods units_methods = {
	units_flat_size,
	units_flatten
};

/* a view of a flat state (read only) */
static void
flat_view(UnitsState *st, UnitsTable *t)
{
	memset(t, 0, sizeof(UnitsTable));
	t->nvars = st->nvars;
	t->overflow = st->overflow;
	t->capacity = st->capacity;
	t->entry_cap = t->count = st->count;
	t->last = -1;
	t->entry_bytes = st->entry_bytes;
	t->index = (int32 *) ((char *) st + sizeof(UnitsState));
	t->entries = (char *) st + sizeof(UnitsState) + index_bytes(st->capacity);
}

/* a new empty expanded state in a context of its own under the aggregate's */
static UnitsExpanded *
new_expanded(MemoryContext aggcxt, int nvars)
{
	MemoryContext cxt = AllocSetContextCreate(aggcxt, "survey_means units",
											  ALLOCSET_DEFAULT_SIZES);
	UnitsExpanded *ue = MemoryContextAllocZero(cxt, sizeof(UnitsExpanded));
	UnitsTable *t = &ue->t;

	EOH_init_header(&ue->hdr, &units_methods, cxt);
	t->nvars = nvars;
	t->capacity = MIN_CAPACITY;
	t->entry_cap = MIN_CAPACITY / 2;
	t->last = -1;
	t->entry_bytes = entry_bytes_for(nvars);
	t->cxt = cxt;
	t->index = MemoryContextAllocZero(cxt, index_bytes(t->capacity));
	t->entries = MemoryContextAlloc(cxt, t->entry_cap * t->entry_bytes);
	return ue;
}

/* the overflow state: the entries freed */
static void
set_overflow(UnitsTable *t)
{
	t->overflow = true;
	t->count = 0;
	t->last = -1;
	if (t->index)
		pfree(t->index);
	if (t->entries)
		pfree(t->entries);
	t->index = NULL;
	t->entries = NULL;
	t->capacity = t->entry_cap = 0;
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
probe(const UnitsTable *t, const int64 *k, uint32 nulls)
{
	uint64		mask = (uint64) t->capacity - 1;
	uint64		i = key_hash(k, nulls) & mask;

	for (;;)
	{
		if (t->index[i] == 0 || key_equal(entry_at(t, t->index[i] - 1), k, nulls))
			return &t->index[i];
		i = (i + 1) & mask;
	}
}

/*
 * Room for more entries: the entries' buffer doubled (or what the budget
 * leaves), the index doubled and rebuilt while over half full.  False past
 * the memory budget.
 */
static bool
reserve(UnitsTable *t, int64 more)
{
	int64		need = t->count + more,
				cap = t->capacity,
				ecap = t->entry_cap,
				j;

	if (need * 2 <= cap && need <= ecap)
		return true;
	while (need * 2 > cap)
		cap *= 2;
	while (need > ecap)
		ecap *= 2;
	if (flat_bytes(cap, ecap, t->entry_bytes) > budget())
	{
		Size		fixed = flat_bytes(cap, 0, t->entry_bytes);

		if (budget() <= fixed)
			return false;
		ecap = (int64) ((budget() - fixed) / t->entry_bytes);
		if (ecap < need)
			return false;
	}
	if (ecap != t->entry_cap)
	{
		t->entries = repalloc_huge(t->entries, (Size) ecap * t->entry_bytes);
		t->entry_cap = ecap;
	}
	if (cap != t->capacity)
	{
		pfree(t->index);
		t->index = MemoryContextAllocHuge(t->cxt, index_bytes(cap));
		memset(t->index, 0, index_bytes(cap));
		t->capacity = cap;
		for (j = 0; j < t->count; j++)
		{
			UnitsEntry *e = entry_at(t, j);

			*probe(t, e->key, e->nulls) = (int32) (j + 1);
		}
	}
	return true;
}

/* the entry of key k, made if new; NULL (and overflow) past the budget */
static double *
find_or_add(UnitsTable *t, const int64 *k, uint32 nulls)
{
	UnitsEntry *e;
	int32	   *slot;

	if (t->last >= 0 && key_equal(entry_at(t, t->last), k, nulls))
		return entry_at(t, t->last)->sums;
	slot = probe(t, k, nulls);
	if (*slot == 0)
	{
		if (!reserve(t, 1))
		{
			set_overflow(t);
			return NULL;
		}
		slot = probe(t, k, nulls);
		e = entry_at(t, t->count);
		memset(e, 0, t->entry_bytes);
		e->used = 1;
		e->nulls = nulls;
		memcpy(e->key, k, sizeof(e->key));
		e->sums[MS_NVARS] = t->nvars;
		*slot = (int32) (++t->count);
	}
	t->last = *slot - 1;
	return entry_at(t, t->last)->sums;
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
		|| st->nvars < 0 || st->capacity < 0 || st->count < 0
		|| st->count * 2 > st->capacity
		|| (st->capacity > 0 && (st->capacity & (st->capacity - 1)) != 0)
		|| (Size) st->entry_bytes != entry_bytes_for(st->nvars)
		|| VARSIZE(st) != flat_bytes(st->capacity, st->count, st->entry_bytes))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid _means_units state")));
	return st;
}

UnitsEntry *
units_entry(UnitsState *st, int64 i)
{
	UnitsTable	t;

	flat_view(st, &t);
	return entry_at(&t, i);
}

static void
not_aggregate(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("_means_units transition function called in non-aggregate context")));
}

/* the entries of the flat state b into t (overflow past the budget) */
static void
merge_flat(UnitsTable *t, UnitsState *b)
{
	UnitsTable	flat;
	int64		j;

	if (t->overflow)
		return;
	if (b->overflow || !reserve(t, b->count))
	{
		set_overflow(t);
		return;
	}
	flat_view(b, &flat);
	for (j = 0; j < flat.count; j++)
	{
		UnitsEntry *e = entry_at(&flat, j);
		double	   *d = find_or_add(t, e->key, e->nulls);

		if (d == NULL)
			return;
		means_sums_merge(d, e->sums, 0, t->nvars);
	}
}

/* the expanded state of argument 0 (made from a flat one if need be) */
static UnitsExpanded *
expanded_arg(FunctionCallInfo fcinfo, MemoryContext aggcxt)
{
	Datum		d = PG_GETARG_DATUM(0);
	UnitsState *st;
	UnitsExpanded *ue;

	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
		return (UnitsExpanded *) DatumGetEOHP(d);
	st = units_state(d);
	ue = new_expanded(aggcxt, st->nvars);
	merge_flat(&ue->t, st);
	return ue;
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
	MemoryContext aggcxt;
	UnitsExpanded *ue;
	int64		k[UNITS_NKEYS];
	uint32		nulls = 0;
	double	   *d;
	FpcArg	   *fpc;
	int			i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
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
	ue = PG_ARGISNULL(0) ? new_expanded(aggcxt, PG_NARGS() - ARG_Y)
		: expanded_arg(fcinfo, aggcxt);
	if (ue->t.overflow)
		PG_RETURN_DATUM(EOHPGetRWDatum(&ue->hdr));
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
	d = find_or_add(&ue->t, k, nulls);
	if (d != NULL)
		means_sums_add_row(fcinfo, ARG_W, d, 0, ue->t.nvars,
						   fpc_arg(fcinfo, ARG_W + 1, &fpc[0]),
						   fpc_arg(fcinfo, ARG_W + 2, &fpc[1]));
	PG_RETURN_DATUM(EOHPGetRWDatum(&ue->hdr));
}

/* two partial states (parallel workers): b's entries into a */
Datum
means_units_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	UnitsExpanded *ue;
	UnitsState *b;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		not_aggregate();
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = units_state(PG_GETARG_DATUM(1));
	if (PG_ARGISNULL(0))
		ue = new_expanded(aggcxt, b->nvars);
	else
		ue = expanded_arg(fcinfo, aggcxt);
	if (ue->t.nvars != b->nvars)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("_means_units states of different shapes cannot be combined")));
	merge_flat(&ue->t, b);
	PG_RETURN_DATUM(EOHPGetRWDatum(&ue->hdr));
}
