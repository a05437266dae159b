/*
 * cluster_scan.c — cluster_moments_of(stratum, cluster, weight, y, x1, ..):
 * the table's moments state and every cluster's (or PSU's) sums in one
 * ungrouped scan, the one-scan path of cluster and design SEs (issue 18;
 * robust_groups.c runs it and reads it).
 *
 * The state is one flat bytea:
 *   - the moments state the classical fit accumulates, updated by the same
 *     code (moments_accumulate: row by row for the first batch, then
 *     batched), so that b, R² and F are those of the classical fit bit for
 *     bit on a serial scan;
 *   - an open-addressing hash keyed by (stratum, cluster), whose entries
 *     hold plain double sums about the cluster's first complete row c:
 *     rows, sum w, sum w d and sum w d d' with d = x - c over the model's
 *     columns, the last in blocked rows (cs_tri_index): row i from column
 *     4 floor(i / 4) to k rounded up to 4, so that a row's update is whole
 *     4-wide vector operations without a scalar tail (k = 11: 23 instead of
 *     12 vector and 18 scalar updates, for 92 doubles instead of 66).  That is
 *     enough to rebuild the cluster's score s_g = X_g'W(y_g - X_g b)
 *     (robust_group_scores, given the sums as a moments state about c); the
 *     shift keeps the sums accurate when the means are large, and their
 *     ~n_g eps rounding only reaches the SEs (not the fit).
 * Every key seen is an entry, also one whose rows are all incomplete (the
 * unit still counts as a PSU), and a NULL key is a key like any other, so
 * that the entries are exactly the groups of GROUP BY stratum, cluster.
 *
 * Keys are smallint, integer or bigint (compared by value, read without a
 * cast) or text (by bytes; the caller passes text only for deterministic
 * collations); the last key is cached, so rows stored by cluster skip the
 * hash; integer cluster keys 0 .. CS_KEY_CACHE - 1 are cached by value
 * (CsCall, kept by the call outside the state), so interleaved clusters
 * skip it too.  The state is changed in place and grows
 * by doubling (the executor copies a grown state into the aggregate
 * context, so a growth holds the old state and two new ones) while that
 * peak stays within get_hash_memory_limit() (work_mem * hash_mem_multiplier):
 * past it, it sets CS_OVERFLOW, stops reading rows and the caller runs the
 * grouped scan instead (robust_groups.c).  The combine
 * function merges hashes (a cluster met in two workers is re-based onto
 * one origin) under the same limit.  Every bytea is checked before it is
 * read (cs_view), so a malformed one is an error, never a crash.
 */
#include "robust.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(cluster_moments_of_transfn);
PG_FUNCTION_INFO_V1(cluster_moments_of_combinefn);
PG_FUNCTION_INFO_V1(cluster_moments_of_finalfn);

#define CS_MAGIC		0x434c5333	/* "CLS3": a state id */
#define CS_OVERFLOW		1		/* passed the memory limit: no entries */
#define CS_ENTRY_WEIGHT_NULL 1	/* CsEntry.flags: a row with a NULL weight */
#define CS_FIRST_VAR	4		/* SQL argument of y (0 is the state) */
#define CS_STACK_K		64
#define CS_MIN_ENTRIES	64
#define CS_DEFER		8		/* rows whose entry update waits */
#define CS_SLOTS_PER_ENTRY 4	/* a load of 1/4 at most: short probes */

/* a key's length: >= 0 bytes of a text key, or one of these */
#define CS_KEY_NULL		(-1)
#define CS_KEY_INT		(-2)

typedef struct CsHeader
{
	int32		vl_len_;
	int32		magic;
	int32		k;
	int32		flags;
	int32		text_keys;		/* bit 0 stratum, bit 1 cluster: text */
	int32		nslots;			/* a power of two, CS_SLOTS_PER_ENTRY * cap */
	int32		nentries;
	int32		cap;
	int32		last;			/* entry of the last row: a cache, -1 none */
	int32		ndefer;			/* complete rows waiting for their entry */
	int64		keys_len;		/* bytes used of the text keys' area */
	int64		keys_cap;
	int64		msize;			/* bytes reserved for the moments state */
	int64		id;				/* this backend's number for the state (the key
								 * cache of CsCall); 0 in a final value */
} CsHeader;

#define CS_HEADER		MAXALIGN(sizeof(CsHeader))

/* an entry; followed by double c[k], s1[k], s2[cs_tri_size(k)] */
typedef struct CsEntry
{
	uint64		hash;
	int64		skey;			/* the value, or the offset of the bytes */
	int64		ckey;
	int32		slen;			/* CS_KEY_* or the bytes of a text key */
	int32		clen;
	int32		flags;			/* CS_ENTRY_* */
	int32		unused;
	double		n;				/* complete rows */
	double		sw;				/* their sum of weights */
} CsEntry;

/*
 * a hash slot: the entry and the top of its hash, so that a probe that
 * misses does not read the entry
 */
typedef struct CsSlot
{
	int32		entry;			/* -1: empty */
	uint32		tag;
	int32		slen;			/* integer keys: the key itself, so that */
	int32		clen;			/* a hit reads no entry either */
	int64		skey;
	int64		ckey;
} CsSlot;

typedef struct CsView
{
	CsHeader   *h;
	int32		cap;			/* h->cap when laid out (CsCall checks it) */
	MomentsState *m;
	int32	   *defer_entry;	/* [CS_DEFER] */
	double	   *defer_w;		/* [CS_DEFER] */
	double	   *defer_x;		/* [CS_DEFER * k] */
	CsSlot	   *slots;
	char	   *entries;
	char	   *keys;
	Size		esize;
} CsView;

/* k rounded up to whole vectors of four */
static inline int
cs_padded(int k)
{
	return (k + 3) & ~3;
}

/*
 * Where pair (i, j), i <= j, is in an entry's blocked triangle: row i holds
 * columns 4 floor(i / 4) .. cs_padded(k) - 1, so the rows of block b =
 * floor(i / 4) are kp - 4b long and the 4b rows before it take
 * 4b kp - 8b(b - 1).  Entries of a block's lower corner (j < i) and of the
 * padding (j >= k) are computed but never read.
 */
static inline Size
cs_tri_index(int k, int i, int j)
{
	const int64 kp = cs_padded(k),
				b = i >> 2;

	return (Size) (4 * b * kp - 8 * b * (b - 1) + (i - 4 * b) * (kp - 4 * b)
				   + (j - 4 * b));
}

/* the length of the blocked triangle: where a row k would start */
static Size
cs_tri_size(int k)
{
	return cs_tri_index(k, k, 4 * (k >> 2));
}

static Size
cs_entry_size(int k)
{
	return sizeof(CsEntry) + sizeof(double) * (2 * (Size) k + cs_tri_size(k));
}

static Size
cs_defer_size(int k)
{
	return MAXALIGN(sizeof(int32) * CS_DEFER) + sizeof(double) * CS_DEFER * ((Size) k + 1);
}

static Size
cs_size(int k, Size msize, int cap, int64 keys_cap)
{
	return CS_HEADER + MAXALIGN(msize) + cs_defer_size(k)
		+ MAXALIGN(sizeof(CsSlot) * CS_SLOTS_PER_ENTRY * (Size) cap)
		+ cs_entry_size(k) * (Size) cap + (Size) keys_cap;
}

/* pointers into a state whose sizes are known to be consistent */
static void
cs_layout(CsHeader *h, CsView *v)
{
	char	   *p = (char *) h + CS_HEADER;

	v->h = h;
	v->cap = h->cap;
	v->m = (MomentsState *) p;
	p += MAXALIGN(h->msize);
	v->defer_entry = (int32 *) p;
	v->defer_w = (double *) (p + MAXALIGN(sizeof(int32) * CS_DEFER));
	v->defer_x = v->defer_w + CS_DEFER;
	p += cs_defer_size(h->k);
	v->slots = (CsSlot *) p;
	p += MAXALIGN(sizeof(CsSlot) * (Size) h->nslots);
	v->entries = p;
	v->esize = cs_entry_size(h->k);
	p += v->esize * (Size) h->cap;
	v->keys = p;
}

static inline CsEntry *
cs_entry(const CsView *v, int i)
{
	return (CsEntry *) (v->entries + v->esize * (Size) i);
}

static inline double *
cs_sums(CsEntry *e)
{
	return (double *) (e + 1);
}

static inline void
slot_set(CsSlot *slot, int entry, uint64 hash, const CsEntry *e)
{
	slot->entry = entry;
	slot->tag = (uint32) (hash >> 32);
	slot->slen = e->slen;
	slot->clen = e->clen;
	slot->skey = e->skey;
	slot->ckey = e->ckey;
}

pg_noreturn static void
cs_bad(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid cluster_moments_of state"),
			 errdetail("%s", why)));
}

/* check a state from outside (combine, final, readers) and map it */
static void
cs_view(bytea *b, CsView *v)
{
	CsHeader   *h = (CsHeader *) b;
	Size		len = VARSIZE(b);
	int			i;

	if (len < CS_HEADER || h->magic != CS_MAGIC)
		cs_bad("It is not a state of this aggregate.");
	if (h->k < 1 || h->k > MOMENTS_MAX_K || h->cap < 0 || h->cap > INT32_MAX / 8
		|| h->nslots != CS_SLOTS_PER_ENTRY * h->cap || (h->cap & (h->cap - 1)) != 0
		|| h->nentries < 0 || h->nentries > h->cap
		|| h->keys_len < 0 || h->keys_len > h->keys_cap
		|| h->keys_cap < 0 || h->keys_cap > (int64) MaxAllocSize
		|| h->msize < (int64) moments_size(h->k, 0) || h->msize > (int64) MaxAllocSize
		|| (h->flags & ~CS_OVERFLOW) != 0
		|| (h->text_keys & ~3) != 0
		|| cs_size(h->k, h->msize, h->cap, h->keys_cap) != len)
		cs_bad("Its sizes do not agree.");
	cs_layout(h, v);
	if (v->m->k != h->k || v->m->names_len < 2 * h->k
		|| v->m->names_len > h->k * (MOMENTS_MAX_NAME + 1)
		|| VARSIZE(v->m) > (Size) h->msize
		|| VARSIZE(v->m) < moments_size(h->k, v->m->names_len))
		cs_bad("Its moments state does not fit.");
	{
		/* checks the buffer's claims, and gives a state to validate */
		MomentsState *flushed = moments_detached(v->m);
		const char *err = moments_validate(flushed);

		if (err)
			cs_bad(err);
		if (flushed != v->m)
			pfree(flushed);
	}
	if (h->ndefer < 0 || h->ndefer > CS_DEFER)
		cs_bad("It claims rows it cannot hold.");
	for (i = 0; i < h->ndefer; i++)
		if (v->defer_entry[i] < 0 || v->defer_entry[i] >= h->nentries)
			cs_bad("A waiting row points nowhere.");
	for (i = 0; i < h->nslots; i++)
		if (v->slots[i].entry < -1 || v->slots[i].entry >= h->nentries)
			cs_bad("A hash slot points nowhere.");
	for (i = 0; i < h->nentries; i++)
	{
		CsEntry    *e = cs_entry(v, i);
		int32		len2[2] = {e->slen, e->clen};
		int64		off[2] = {e->skey, e->ckey};

		for (int j = 0; j < 2; j++)
		{
			bool		is_text = (h->text_keys >> j) & 1;

			if (len2[j] == CS_KEY_NULL)
				continue;
			if (!is_text ? len2[j] != CS_KEY_INT
				: (len2[j] < 0 || off[j] < 0 || off[j] + len2[j] > h->keys_len))
				cs_bad("A key points outside the state.");
		}
		if (!(e->n >= 0.0))
			cs_bad("An entry has a negative row count.");
		if ((e->flags & ~CS_ENTRY_WEIGHT_NULL) != 0)
			cs_bad("An entry has unknown flags.");
	}
}

/* numbers the states this backend makes, so that CsCall knows its own */
static int64 cs_states_made = 0;

/* a new state for k variables, with room for cap entries */
static CsHeader *
cs_new(int k, int text_keys, int cap, int64 keys_cap)
{
	char	  **names = palloc(sizeof(char *) * k);
	MomentsState *m;
	Size		msize;
	CsHeader   *h;
	CsView		v;

	for (int i = 0; i < k; i++)
		names[i] = psprintf("x%d", i + 1);
	m = moments_new(k, (const char *const *) names);
	msize = moments_batched_size(k, m->names_len);
	h = palloc0(cs_size(k, msize, cap, keys_cap));
	SET_VARSIZE(h, cs_size(k, msize, cap, keys_cap));
	h->magic = CS_MAGIC;
	h->k = k;
	h->text_keys = text_keys;
	h->cap = cap;
	h->nslots = CS_SLOTS_PER_ENTRY * cap;
	h->last = -1;
	h->keys_cap = keys_cap;
	h->msize = msize;
	h->id = ++cs_states_made;
	cs_layout(h, &v);
	memcpy(v.m, m, VARSIZE(m));
	memset(v.slots, 0xff, sizeof(CsSlot) * (Size) h->nslots);
	return h;
}

/* a copy of v's state with room for cap entries and keys_cap key bytes */
static CsHeader *
cs_grown(const CsView *v, int cap, int64 keys_cap)
{
	/* zeroed: no stray bytes in a value that may be shown */
	CsHeader   *h = palloc0(cs_size(v->h->k, v->h->msize, cap, keys_cap));
	CsView		nv;

	memcpy(h, v->h, CS_HEADER);
	SET_VARSIZE(h, cs_size(v->h->k, v->h->msize, cap, keys_cap));
	h->cap = cap;
	h->nslots = CS_SLOTS_PER_ENTRY * cap;
	h->keys_cap = keys_cap;
	cs_layout(h, &nv);
	memcpy(nv.m, v->m, v->h->msize);
	memcpy(nv.defer_entry, v->defer_entry, cs_defer_size(h->k));
	memcpy(nv.entries, v->entries, v->esize * (Size) v->h->nentries);
	memcpy(nv.keys, v->keys, v->h->keys_len);
	memset(nv.slots, 0xff, sizeof(CsSlot) * (Size) h->nslots);
	for (int i = 0; i < h->nentries; i++)
	{
		uint64		hash = cs_entry(&nv, i)->hash;
		uint32		s = (uint32) hash & (h->nslots - 1);

		while (nv.slots[s].entry >= 0)
			s = (s + 1) & (h->nslots - 1);
		slot_set(&nv.slots[s], i, hash, cs_entry(&nv, i));
	}
	return h;
}

/* ---- keys ---- */

/* a row's key: an int value, or text bytes; isnull */
typedef struct CsKey
{
	int64		value;
	const char *bytes;
	int32		len;			/* CS_KEY_* or bytes */
} CsKey;

static inline uint64
mix64(uint64 x)
{
	x ^= x >> 33;
	x *= UINT64CONST(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64CONST(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

static inline uint64
key_hash(const CsKey *k)
{
	if (k->len == CS_KEY_NULL)
		return UINT64CONST(0x9e3779b97f4a7c15);
	if (k->len == CS_KEY_INT)
		return mix64((uint64) k->value);
	return moments_hash_bytes(k->bytes, (size_t) k->len);
}

static inline bool
key_equal(const CsView *v, int64 key, int32 len, const CsKey *k)
{
	if (len != k->len)
		return false;
	if (len == CS_KEY_INT)
		return key == k->value;
	return len <= 0 || memcmp(v->keys + key, k->bytes, len) == 0;
}

static inline bool
entry_is(const CsView *v, const CsEntry *e, uint64 hash, const CsKey *s,
		 const CsKey *c)
{
	return e->hash == hash && key_equal(v, e->ckey, e->clen, c)
		&& key_equal(v, e->skey, e->slen, s);
}

/*
 * an argument of type typid (smallint, integer, bigint or text: checked by
 * key_types) as a key
 */
static inline void
arg_key(FunctionCallInfo fcinfo, int argno, Oid typid, CsKey *k)
{
	k->value = 0;
	k->len = CS_KEY_INT;
	if (PG_ARGISNULL(argno))
		k->len = CS_KEY_NULL;
	else if (typid == INT8OID)
		k->value = PG_GETARG_INT64(argno);
	else if (typid == INT4OID)
		k->value = PG_GETARG_INT32(argno);
	else if (typid == INT2OID)
		k->value = PG_GETARG_INT16(argno);
	else
	{
		text	   *t = (text *) PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(argno));

		k->bytes = VARDATA_ANY(t);
		k->len = VARSIZE_ANY_EXHDR(t);
	}
}

/* store a key into entry field (*key, *len); room was made */
static void
put_key(CsView *v, const CsKey *k, int64 *key, int32 *len)
{
	*len = k->len;
	*key = k->value;
	if (k->len >= 0)
	{
		*key = v->h->keys_len;
		memcpy(v->keys + v->h->keys_len, k->bytes, k->len);
		v->h->keys_len += k->len;
	}
}

static int64
key_bytes(const CsKey *k)
{
	return k->len > 0 ? k->len : 0;
}

/* the hash of a (stratum, cluster) key */
static inline uint64
cs_hash(const CsKey *s, const CsKey *c)
{
	return key_hash(s) * 31 + key_hash(c);
}

/*
 * The entry of (s, c) (hash: cs_hash), made if new; -1 when making it would
 * pass the memory limit (CS_OVERFLOW is then set).  *hp: the state,
 * replaced when it grew (the view with it).
 */
static int
cs_find_or_add(CsHeader **hp, CsView *v, const CsKey *s, const CsKey *c,
			   uint64 hash)
{
	CsHeader   *h = *hp;
	uint32		slot;
	int			i;
	CsEntry    *e;
	int64		more = key_bytes(s) + key_bytes(c);

	slot = (uint32) hash & (h->nslots - 1);
	for (int probes = 0; probes < h->nslots; probes++)
	{
		i = v->slots[slot].entry;
		if (i < 0)
			break;
		if (v->slots[slot].tag == (uint32) (hash >> 32))
		{
			const CsSlot *sl = &v->slots[slot];

			if (h->text_keys == 0
				? (sl->clen == c->len && sl->slen == s->len
				   && (c->len == CS_KEY_NULL || sl->ckey == c->value)
				   && (s->len == CS_KEY_NULL || sl->skey == s->value))
				: entry_is(v, cs_entry(v, i), hash, s, c))
				return i;
		}
		slot = (slot + 1) & (h->nslots - 1);
	}
	if (h->nentries == h->cap || h->keys_len + more > h->keys_cap)
	{
		int			cap = h->nentries == h->cap ? 2 * h->cap : h->cap;
		int64		keys_cap = h->keys_cap;

		while (h->keys_len + more > keys_cap)
			keys_cap = Max(2 * keys_cap, 256);
		/*
		 * growing holds the old state, the new one and the executor's copy
		 * of it (in the aggregate context) at once: all within the limit
		 */
		if ((double) VARSIZE(h) + 2.0 * (double) cs_size(h->k, h->msize, cap, keys_cap)
			> (double) get_hash_memory_limit() || cap > INT32_MAX / 8)
		{
			h->flags |= CS_OVERFLOW;
			return -1;
		}
		h = cs_grown(v, cap, keys_cap);
		*hp = h;
		cs_layout(h, v);
		slot = (uint32) hash & (h->nslots - 1);
		while (v->slots[slot].entry >= 0)
			slot = (slot + 1) & (h->nslots - 1);
	}
	i = h->nentries++;
	e = cs_entry(v, i);
	memset(e, 0, v->esize);
	e->hash = hash;
	put_key(v, s, &e->skey, &e->slen);
	put_key(v, c, &e->ckey, &e->clen);
	slot_set(&v->slots[slot], i, hash, e);
	return i;
}

/* ---- sums ---- */

/*
 * s2 += wd_i d_j over the blocked triangle (cs_tri_index), in whole
 * vectors of four (d zero-padded to cs_padded(k)): block b's rows
 * 4b .. 4b + 3 share the vectors d[4b ..], loaded once into registers;
 * the common widths are written out so that the compiler unrolls them (a
 * row loop of one to three vectors cost a third more).  AVX2 where the CPU
 * has it (ifunc), two halves with SSE2.  One product and one sum each
 * (-ffp-contract=off: no fused multiply-add), so every build gives the
 * same bits.
 */
typedef double cs_v4d __attribute__((vector_size(32)));
typedef double cs_v4du __attribute__((vector_size(32), aligned(8), may_alias));

#define CS_LD(p) (*(const cs_v4du *) (p))
#define CS_ADD(p, v) (*(cs_v4du *) (p) = *(cs_v4du *) (p) + (v))

__attribute__((target_clones("avx2", "default")))
static void
entry_add_pairs(double *restrict s2, const double *restrict d,
				const double *restrict wd, int k)
{
	const int	nv = cs_padded(k) / 4;

	for (int b = 0; b < nv; b++)
	{
		const double *db = d + 4 * b;
		const int	len = nv - b,
					rows = Min(4, k - 4 * b);

		for (int r = 0; r < rows; r++)
		{
			const double w = wd[4 * b + r];
			const cs_v4d wv = {w, w, w, w};

			switch (len)
			{
				case 1:
					CS_ADD(s2, wv * CS_LD(db));
					break;
				case 2:
					CS_ADD(s2, wv * CS_LD(db));
					CS_ADD(s2 + 4, wv * CS_LD(db + 4));
					break;
				case 3:
					CS_ADD(s2, wv * CS_LD(db));
					CS_ADD(s2 + 4, wv * CS_LD(db + 4));
					CS_ADD(s2 + 8, wv * CS_LD(db + 8));
					break;
				default:
					for (int j = 0; j < 4 * len; j += 4)
						CS_ADD(s2 + j, wv * CS_LD(db + j));
					break;
			}
			s2 += 4 * len;
		}
	}
}

/* a complete row x (weight w) into an entry's sums about its first row */
static inline void
entry_add_row(CsEntry *e, int k, const double *x, double w)
{
	double	   *c = cs_sums(e),
			   *s1 = c + k,
			   *s2 = s1 + k;
	const int	kp = cs_padded(k);
	double		d[CS_STACK_K],
				wd[CS_STACK_K];
	double	   *dp = kp <= CS_STACK_K ? d : palloc(sizeof(double) * kp);
	double	   *wdp = kp <= CS_STACK_K ? wd : palloc(sizeof(double) * kp);

	if (e->n == 0.0)
		memcpy(c, x, sizeof(double) * k);
	e->n += 1.0;
	e->sw += w;
	for (int i = 0; i < k; i++)
	{
		dp[i] = x[i] - c[i];
		wdp[i] = w * dp[i];
		s1[i] += wdp[i];
	}
	for (int i = k; i < kp; i++)
		dp[i] = 0.0;
	entry_add_pairs(s2, dp, wdp, k);
	if (dp != d)
	{
		pfree(dp);
		pfree(wdp);
	}
}

/* the waiting rows into their entries (map: entry numbers into a's, or NULL) */
static void
cs_apply_deferred(const CsView *from, const CsView *to, const int *map)
{
	int			k = from->h->k;

	for (int i = 0; i < from->h->ndefer; i++)
	{
		int			e = from->defer_entry[i];

		entry_add_row(cs_entry(to, map ? map[e] : e), k,
					  from->defer_x + (Size) i * k, from->defer_w[i]);
	}
}

/* b's sums into a's (the same cluster), re-based onto a's first row */
static void
entry_merge(CsEntry *a, const CsEntry *b, int k)
{
	double	   *ca = cs_sums(a),
			   *s1a = ca + k,
			   *s2a = s1a + k;
	const double *cb = cs_sums((CsEntry *) b),
			   *s1b = cb + k,
			   *s2b = s1b + k;
	double		sw = b->sw;

	a->flags |= b->flags;
	if (b->n == 0.0)
		return;
	if (a->n == 0.0)
	{
		memcpy(ca, cb, sizeof(double) * (2 * (Size) k + cs_tri_size(k)));
		a->n = b->n;
		a->sw = b->sw;
		return;
	}
	/* sum w (x - ca) = s1b + sw delta, delta = cb - ca; s2 likewise */
	for (int i = 0; i < k; i++)
	{
		double		di = cb[i] - ca[i];

		for (int j = i; j < k; j++)
		{
			Size		t = cs_tri_index(k, i, j);
			double		dj = cb[j] - ca[j];

			s2a[t] += s2b[t] + di * s1b[j] + dj * s1b[i] + sw * di * dj;
		}
	}
	for (int i = 0; i < k; i++)
		s1a[i] += s1b[i] + sw * (cb[i] - ca[i]);
	a->n += b->n;
	a->sw += sw;
}

static bool
always_grow(void *arg, const MomentsState *m)
{
	(void) arg;
	(void) m;
	return true;
}

/* a complete row into the embedded moments state (the classical fit's) */
static void
cs_moments_add(CsView *v, const double *x, double w)
{
	MomentsState *r = moments_accumulate(v->m, x, w, always_grow, NULL);

	/* the state grows its batch buffer once, in the room reserved for it */
	if (r != v->m)
	{
		Assert(VARSIZE(r) <= (Size) v->h->msize);
		memcpy(v->m, r, VARSIZE(r));
		pfree(r);
	}
}

/*
 * A cluster key's entry, by the key's value: integer cluster keys below
 * CS_KEY_CACHE (the common PSU numbering 1 .. n) skip the hash, whose slot
 * is rarely in the nearer caches when rows of thousands of clusters are
 * interleaved; 24 bytes per key, so 2,000 clusters take 48 kB.  Each
 * line names its state: the states of a GROUP BY share the cache.
 */
#define CS_KEY_CACHE	16384

typedef struct CsKeyCache
{
	int64		state;			/* CsHeader.id; 0: none */
	int64		skey;			/* the entry's stratum key */
	int32		slen;
	int32		entry;
} CsKeyCache;

/*
 * What the transition function keeps from row to row (fn_extra): the key
 * types, the view of the state it last laid out (cs_layout per row showed
 * in the profile; a view depends on the state's address and cap, k and
 * msize being the call's own) and the key cache.
 */
typedef struct CsCall
{
	Oid			types[2];
	CsView		v;				/* v.h NULL before the first row */
	CsKeyCache *cache;			/* [CS_KEY_CACHE], when the keys are integers */
} CsCall;

/* the view of state h: the call's, laid out again when h is another */
static inline CsView *
cs_call_view(CsCall *call, CsHeader *h)
{
	if (call->v.h != h || call->v.cap != h->cap)
		cs_layout(h, &call->v);
	return &call->v;
}

/* the key cache's line for (s, c) in state h, or NULL when it has none */
static inline CsKeyCache *
cs_key_line(CsCall *call, const CsHeader *h, const CsKey *c)
{
	if (call->cache == NULL || c->len != CS_KEY_INT
		|| c->value < 0 || c->value >= CS_KEY_CACHE || h->id <= 0)
		return NULL;
	return &call->cache[c->value];
}

/* whether line holds the entry of stratum s in state h */
static inline bool
cs_key_line_hit(const CsKeyCache *line, const CsHeader *h, const CsKey *s)
{
	return line->state == h->id && line->slen == s->len
		&& (s->len != CS_KEY_INT || line->skey == s->value)
		&& line->entry < h->nentries;	/* cannot fail; never trust a cache */
}

/*
 * The call's cache, made on its first row with the types of the stratum
 * and cluster arguments (SQL arguments 1 and 2): integers are keys by
 * value, read without a cast to bigint per row (a function call each: a
 * measurable part of the row's cost); text by bytes.
 */
static CsCall *
cs_call(FunctionCallInfo fcinfo)
{
	CsCall	   *call = fcinfo->flinfo->fn_extra;

	if (call == NULL)
	{
		Oid		   *types;

		call = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CsCall));
		types = call->types;
		for (int j = 0; j < 2; j++)
		{
			Oid			t = get_fn_expr_argtype(fcinfo->flinfo, j + 1);

			if (t != INT2OID && t != INT4OID && t != INT8OID && t != TEXTOID)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("cluster_moments_of keys must be of type smallint, integer, bigint or text"),
						 errdetail("Argument %d is of type %s.", j + 1,
								   format_type_be(t))));
			types[j] = t;
		}
		if (types[0] != TEXTOID && types[1] != TEXTOID)
			call->cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt,
												 sizeof(CsKeyCache) * CS_KEY_CACHE);
		fcinfo->flinfo->fn_extra = call;
	}
	return call;
}

/* a copy of v's state flagged as overflowed, without entries: small */
static CsHeader *
cs_overflowed(const CsView *v)
{
	CsHeader   *h = palloc0(cs_size(v->h->k, v->h->msize, 0, 0));
	CsView		nv;

	memcpy(h, v->h, CS_HEADER);
	SET_VARSIZE(h, cs_size(v->h->k, v->h->msize, 0, 0));
	h->flags |= CS_OVERFLOW;
	h->cap = h->nslots = h->nentries = h->ndefer = 0;
	h->keys_len = h->keys_cap = 0;
	h->last = -1;
	cs_layout(h, &nv);
	memcpy(nv.m, v->m, v->h->msize);
	return h;
}

/*
 * cluster_moments_of(stratum, cluster, weight float8, VARIADIC "any")
 * (stratum and cluster smallint, integer, bigint or text; weight NULL is flagged; the
 * variables float8): SQL argument n is n here, the state is 0.
 */
Datum
cluster_moments_of_transfn(PG_FUNCTION_ARGS)
{
	CsHeader   *h;
	CsView	   *v;
	CsKey		s,
				c;
	int			k = PG_NARGS() - CS_FIRST_VAR;
	double		stack_x[CS_STACK_K];
	double	   *x;
	double		w;
	int			e = -1;
	bool		complete,
				lookup;
	CsKeyCache *line;
	uint64		hash = 0;
	const Oid  *types;
	CsCall	   *call;

	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("cluster_moments_of_transfn called in non-aggregate context")));
	call = cs_call(fcinfo);
	types = call->types;
	if (PG_ARGISNULL(0))
	{
		if (k < 1 || k > MOMENTS_MAX_K)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("cluster_moments_of takes between 1 and %d variables",
							MOMENTS_MAX_K)));
		moments_check_float8_args(fcinfo, CS_FIRST_VAR);
		h = cs_new(k, (types[0] == TEXTOID ? 1 : 0)
				   | (types[1] == TEXTOID ? 2 : 0), CS_MIN_ENTRIES, 0);
	}
	else
		h = (CsHeader *) PG_GETARG_POINTER(0);
	if (h->flags & CS_OVERFLOW)
		PG_RETURN_POINTER(h);
	v = cs_call_view(call, h);

	x = k <= CS_STACK_K ? stack_x : palloc(sizeof(double) * k);
	complete = moments_row_args(fcinfo, 3, CS_FIRST_VAR, k, x, &w);

	arg_key(fcinfo, 1, types[0], &s);
	arg_key(fcinfo, 2, types[1], &c);
	line = cs_key_line(call, h, &c);
	if (line && cs_key_line_hit(line, h, &s))
	{
		e = line->entry;
		lookup = false;
	}
	else
	{
		e = h->last;
		lookup = e < 0
			|| !(key_equal(v, cs_entry(v, e)->ckey, cs_entry(v, e)->clen, &c)
				 && key_equal(v, cs_entry(v, e)->skey, cs_entry(v, e)->slen, &s));
	}
	if (lookup)
	{
		/*
		 * the key's slot is rarely in the nearer caches (rows of random
		 * clusters): ask for it now and look it up after the moments
		 * update, which does not need it
		 */
		hash = cs_hash(&s, &c);
		__builtin_prefetch(&v->slots[(uint32) hash & (h->nslots - 1)]);
	}
	if (complete)
		cs_moments_add(v, x, w);
	if (lookup)
	{
		e = cs_find_or_add(&h, v, &s, &c, hash);
		if (e < 0)
		{
			/* the rest of the scan skips its rows: the memory goes */
			if (x != stack_x)
				pfree(x);
			PG_RETURN_POINTER(cs_overflowed(v));
		}
		h->last = e;
		if (line)
		{
			line->state = h->id;
			line->skey = s.value;
			line->slen = s.len;
			line->entry = e;
		}
	}
	if (PG_ARGISNULL(3))
		cs_entry(v, e)->flags |= CS_ENTRY_WEIGHT_NULL;
	if (complete)
	{
		CsEntry    *entry = cs_entry(v, e);
		int			r = h->ndefer++;

		/*
		 * the entry's update waits for CS_DEFER rows, so that its lines
		 * (prefetched now) arrive meanwhile: rows of random clusters
		 * otherwise stall on each
		 */
		for (Size off = 0; off < v->esize; off += 64)
			__builtin_prefetch((char *) entry + off, 1);
		v->defer_entry[r] = e;
		v->defer_w[r] = w;
		memcpy(v->defer_x + (Size) r * k, x, sizeof(double) * k);
		if (h->ndefer == CS_DEFER)
		{
			cs_apply_deferred(v, v, NULL);
			h->ndefer = 0;
		}
	}
	if (x != stack_x)
		pfree(x);
	PG_RETURN_POINTER(h);
}

/* b into a (both checked; a ours); returns a, or its replacement */
static CsHeader *
cs_merge(CsHeader *a, CsView *va, CsView *vb)
{
	MomentsState *bm;
	int			r;
	int		   *map;

	if (a->k != vb->h->k || a->text_keys != vb->h->text_keys)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cannot combine cluster_moments_of states of different variables or key types")));
	a->last = -1;
	if ((a->flags | vb->h->flags) & CS_OVERFLOW)
	{
		if (!(a->flags & CS_OVERFLOW))
		{
			a = cs_overflowed(va);
			cs_layout(a, va);
		}
		return a;
	}
	cs_apply_deferred(va, va, NULL);
	a->ndefer = 0;
	map = palloc(sizeof(int) * Max(vb->h->nentries, 1));
	moments_flush_pending(va->m);
	bm = moments_detached(vb->m);
	r = moments_merge(va->m, bm);
	if (r == -2)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("row count out of range in survey_reg.cluster_moments_of"),
				 errdetail("The merged states count more than 9223372036854775807 rows.")));
	if (r != 0)
		moments_overflow_error();
	for (int i = 0; i < vb->h->nentries; i++)
	{
		CsEntry    *eb = cs_entry(vb, i);
		CsKey		s,
					c;
		int			e;

		CHECK_FOR_INTERRUPTS();
		s.len = eb->slen;
		s.value = eb->skey;
		s.bytes = eb->slen >= 0 ? vb->keys + eb->skey : NULL;
		c.len = eb->clen;
		c.value = eb->ckey;
		c.bytes = eb->clen >= 0 ? vb->keys + eb->ckey : NULL;
		e = cs_find_or_add(&a, va, &s, &c, cs_hash(&s, &c));
		if (e < 0)
		{
			a = cs_overflowed(va);
			cs_layout(a, va);
			return a;
		}
		entry_merge(cs_entry(va, e), eb, a->k);
		map[i] = e;
	}
	cs_apply_deferred(vb, va, map);
	return a;
}

Datum
cluster_moments_of_combinefn(PG_FUNCTION_ARGS)
{
	bytea	   *a = PG_GETARG_BYTEA_P(0);
	bytea	   *b = PG_GETARG_BYTEA_P(1);
	CsView		va,
				vb;

	if (!AggCheckCallContext(fcinfo, NULL)
		&& (Pointer) a == DatumGetPointer(PG_GETARG_DATUM(0)))
	{
		bytea	   *copy = palloc(VARSIZE(a));

		memcpy(copy, a, VARSIZE(a));
		a = copy;
	}
	cs_view(a, &va);
	cs_view(b, &vb);
	PG_RETURN_POINTER(cs_merge(va.h, &va, &vb));
}

/*
 * read-only: a copy with the buffered rows added, if there are any, and
 * without the caches of the scan (the backend's state number, the last
 * row's entry), so that equal sums are equal bytes
 */
Datum
cluster_moments_of_finalfn(PG_FUNCTION_ARGS)
{
	bytea	   *b;
	CsView		v;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	b = PG_GETARG_BYTEA_P(0);
	cs_view(b, &v);
	if (v.m->pending > 0 || v.h->ndefer > 0 || v.h->id != 0 || v.h->last != -1)
	{
		bytea	   *copy = palloc(VARSIZE(b));

		memcpy(copy, b, VARSIZE(b));
		cs_view(copy, &v);
		moments_flush_pending(v.m);
		cs_apply_deferred(&v, &v, NULL);
		v.h->ndefer = 0;
		v.h->id = 0;
		v.h->last = -1;
		b = copy;
	}
	PG_RETURN_BYTEA_P(b);
}

/* ---- the reader (robust_groups.c) ---- */

/*
 * A finished state: false when it overflowed (the caller scans again with
 * GROUP BY); else the table's state under the given names, its units and
 * their flags.  keys_required (CS_NEED_STRATUM, CS_NEED_CLUSTER) applies a
 * design's rule for rows, which robust_design_rows writes as a WHERE clause
 * for the grouped scan: a row with a NULL required key counts only if it
 * is complete.  So a unit with a NULL required key and no complete row is
 * left out (all its rows would be), and its NULL weights with it; a NULL
 * key of a unit with complete rows is reported (the caller's error).
 */
bool
cluster_scan_open(bytea *b, char **names, int keys_required, ClusterScan *cs)
{
	CsView		v;
	MomentsState *m;

	cs_view(b, &v);
	if (v.h->flags & CS_OVERFLOW)
		return false;
	cs_apply_deferred(&v, &v, NULL);	/* none after the final function */
	v.h->ndefer = 0;
	m = moments_detached(v.m);
	if (moments_finish(m) < 0)
		moments_overflow_error();
	cs->total = moments_renamed(m, names);
	cs->state = b;
	cs->units = palloc(sizeof(int) * Max(v.h->nentries, 1));
	cs->nunits = 0;
	cs->weight_null = cs->cluster_null = cs->cluster_null_complete = false;
	cs->strata_null = false;
	for (int i = 0; i < v.h->nentries; i++)
	{
		CsEntry    *e = cs_entry(&v, i);
		bool		key_missing =
			((keys_required & CS_NEED_STRATUM) && e->slen == CS_KEY_NULL)
			|| ((keys_required & CS_NEED_CLUSTER) && e->clen == CS_KEY_NULL);

		if (key_missing && e->n == 0)
			continue;
		cs->units[cs->nunits++] = i;
		if ((e->flags & CS_ENTRY_WEIGHT_NULL) && !key_missing)
			cs->weight_null = true;
		if (e->clen == CS_KEY_NULL)
		{
			cs->cluster_null = true;
			if (e->n > 0)
				cs->cluster_null_complete = true;
		}
		if (e->slen == CS_KEY_NULL)
			cs->strata_null = true;
	}
	return true;
}

/*
 * Unit number unit (of those left in): its stratum as text (NULL for a NULL
 * stratum) and its sums as a moments state in g (a plain state over the same k variables, overwritten:
 * sums about the unit's first row, lo parts zero); false without a
 * complete row.
 */
bool
cluster_scan_unit(const ClusterScan *cs, int unit, char **stratum,
				  MomentsState *g)
{
	CsView		v;
	CsEntry    *e;
	MomentsArrays a;
	const double *c;
	int			k;
	size_t		ntri;

	cs_layout((CsHeader *) cs->state, &v);
	e = cs_entry(&v, cs->units[unit]);
	k = v.h->k;
	ntri = (size_t) k * (k + 1) / 2;
	if (e->slen == CS_KEY_NULL)
		*stratum = NULL;
	else if (e->slen == CS_KEY_INT)
		*stratum = psprintf(INT64_FORMAT, e->skey);
	else
		*stratum = pnstrdup(v.keys + e->skey, e->slen);
	if (e->n == 0.0)
		return false;
	c = cs_sums(e);
	moments_arrays(g, &a);
	memcpy(a.ref, c, sizeof(double) * k);
	memcpy(a.s1_hi, c + k, sizeof(double) * k);
	memset(a.s1_lo, 0, sizeof(double) * k);
	for (int i = 0, t = 0; i < k; i++)
		for (int j = i; j < k; j++, t++)
			a.s2_hi[t] = c[2 * k + cs_tri_index(k, i, j)];
	memset(a.s2_lo, 0, sizeof(double) * ntri);
	g->nrows = (int64) e->n;
	g->n_hi = e->sw;
	g->n_lo = 0.0;
	return true;
}
