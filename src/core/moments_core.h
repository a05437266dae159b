/*
 * moments_core.h — the one-pass, mergeable summary of k variables that every
 * survey_reg analysis reads.  Pure C: no PostgreSQL headers, so the numerics
 * can be unit-tested, fuzzed and run under sanitizers outside a backend.
 *
 * The state is one flat, position-independent block of memory (it is stored
 * as a PostgreSQL varlena without conversion): a fixed header followed by the
 * arrays listed in MomentsArrays, then the variable names.
 */
#ifndef SURVEY_REG_MOMENTS_CORE_H
#define SURVEY_REG_MOMENTS_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "dd.h"

#define MOMENTS_VERSION		1
#define MOMENTS_MAX_K		1000	/* keeps a state under ~20 MB */
#define MOMENTS_MAX_NAME	1000	/* bytes of one variable name */

/*
 * Built from published summary statistics (moments_from_matrix): means and
 * covariances are known, third and fourth moments and the range are not.
 */
#define MOMENTS_FLAG_SUMMARY	1
/*
 * The third or fourth power sums overflowed (|x - reference| beyond ~1e77):
 * skewness and kurtosis are unavailable, everything else is intact.
 */
#define MOMENTS_FLAG_NO_SHAPE	2
#define MOMENTS_FLAGS_ALL		(MOMENTS_FLAG_SUMMARY | MOMENTS_FLAG_NO_SHAPE)

typedef struct MomentsState
{
	uint32_t	vl_len_;		/* varlena header, owned by the PostgreSQL layer */
	uint32_t	version;		/* MOMENTS_VERSION */
	int32_t		k;				/* number of variables */
	int32_t		names_len;		/* bytes of the names block, NULs included */
	int32_t		flags;			/* MOMENTS_FLAG_* */
	int32_t		pending;		/* rows waiting in the batch buffer
								 * (moments_batch.c); 0 in every value that
								 * leaves an aggregate */
	int64_t		nrows;			/* rows accumulated (weight > 0) */
	uint64_t	names_arg_hash; /* cache: hash of the names argument seen; not
								 * part of the value (0 = unknown) */
	double		n_hi;			/* sum of weights, as a dd */
	double		n_lo;
	/* followed by the arrays of MomentsArrays and the names block */
} MomentsState;

/*
 * Pointers into a state.  Sums are of shifted values d = x - ref, where ref
 * is the first row accumulated; each dd sum is kept as separate hi and lo
 * arrays so that the per-row loops vectorize.
 */
typedef struct MomentsArrays
{
	double	   *ref;			/* [k] reference row */
	double	   *s1_hi,
			   *s1_lo;			/* [k] sum w d */
	double	   *s2_hi,
			   *s2_lo;			/* [k(k+1)/2] sum w d_i d_j, packed upper
								 * triangle by rows: (0,0) (0,1) .. (0,k-1)
								 * (1,1) .. */
	double	   *s3_hi,
			   *s3_lo;			/* [k] sum w d^3 */
	double	   *s4_hi,
			   *s4_lo;			/* [k] sum w d^4 */
	double	   *min,
			   *max;			/* [k] */
	char	   *names;			/* k NUL-terminated strings */
} MomentsArrays;

/* packed upper-triangle index of (i, j), i <= j */
static inline size_t
moments_tri(int k, int i, int j)
{
	return (size_t) i * (2 * (size_t) k - i + 1) / 2 + (j - i);
}

/*
 * Called once per variable in the O(k^2) loops (centering, text output,
 * validation) so that a caller can cancel work on a state of k = 1000; the
 * PostgreSQL layer points it at CHECK_FOR_INTERRUPTS.
 */
extern void (*moments_interrupt_hook) (void);

#define MOMENTS_CHECK_INTERRUPTS() \
	do { if (moments_interrupt_hook) moments_interrupt_hook(); } while (0)

/*
 * Bytes of a state: the header (8-aligned), ref, s1 (2), s3 (2), s4 (2), min
 * and max (9 k doubles), s2 (2 k(k+1)/2 doubles), the names.
 */
#define MOMENTS_HEADER_SIZE	((sizeof(MomentsState) + 7) & ~(size_t) 7)
#define MOMENTS_SIZE(k, names_len) \
	(MOMENTS_HEADER_SIZE \
	 + sizeof(double) * (9 * (size_t) (k) + (size_t) (k) * ((size_t) (k) + 1)) \
	 + (size_t) (names_len))

extern size_t moments_size(int k, int names_len);
extern void moments_arrays(const MomentsState *m, MomentsArrays *a);

/* initialize an empty state in buf (moments_size bytes, zeroed by caller) */
extern void moments_init(MomentsState *m, int k, const char *const *names);

extern const char *moments_name(const MomentsState *m, int i);
extern uint64_t moments_hash_bytes(const void *p, size_t len);

/*
 * Add one row x[k] with weight w (> 0, finite; caller checks) and x finite.
 * scratch must hold 6 * k doubles.  Overflow is not checked per row: call
 * moments_finish() before the state is used or stored.
 */
extern void moments_add_row(MomentsState *m, const double *x, double w,
							double *scratch);

/*
 * Batched accumulation (moments_batch.c), the aggregates' fast path: a
 * state allocated with moments_batched_size() bytes has room after its
 * names for MOMENTS_BATCH_ROWS buffered rows.  moments_push_row() buffers a
 * row (x finite, w > 0 and finite; caller checks) and returns nonzero when
 * the buffer is full; moments_flush() adds the buffered rows to the sums
 * (scratch: moments_flush_scratch(k) doubles).  Flush before anything reads
 * the sums.
 */
#define MOMENTS_BATCH_ROWS	128

/* where the buffer starts (after the names, 8-aligned); inline: per row */
static inline size_t
moments_batch_offset(int k, int names_len)
{
	return (MOMENTS_SIZE(k, names_len) + 7) & ~(size_t) 7;
}

static inline size_t
moments_batched_size(int k, int names_len)
{
	return moments_batch_offset(k, names_len)
		+ sizeof(double) * MOMENTS_BATCH_ROWS * ((size_t) k + 1);
}

extern size_t moments_flush_scratch(int k);
extern int	moments_push_row(MomentsState *m, const double *x, double w);
extern void moments_flush(MomentsState *m, double *scratch);

/*
 * The update kernels come in an AVX2+FMA build and a portable build that
 * give identical bits; the FMA build is used when the CPU has it, unless a
 * test sets moments_portable_kernels to compare the two.
 */
extern int	moments_portable_kernels;
extern int	moments_use_fma_kernels(void);

/*
 * Where scalar double-double code may be built a second time under
 * __attribute__((target("avx2,fma"))) (its exact products an instruction,
 * not a call into libm's fma(): the same bits) and that build chosen with
 * moments_use_fma_kernels().
 */
#if defined(__GNUC__) && defined(__x86_64__)
#define MOMENTS_FMA_BUILD 1
#endif

/*
 * Check a state after accumulation: returns 0, or -1 if a first- or
 * second-order sum overflowed (the values are too large for double; the
 * state must be discarded).  Overflowed third/fourth power sums set
 * MOMENTS_FLAG_NO_SHAPE instead.
 */
extern int	moments_finish(MomentsState *m);

/* read-only: 0 all finite, 1 shape sums overflowed, -1 overflow */
extern int	moments_check(const MomentsState *m);

/*
 * dst += src; both must be over the same variables (moments_same_vars).
 * Returns 0, -1 when a sum overflowed (as moments_finish), or -2 when the
 * row count would pass INT64_MAX.
 */
extern int	moments_same_vars(const MomentsState *a, const MomentsState *b);
extern int	moments_merge(MomentsState *dst, const MomentsState *src);

/* bring every dd to canonical (normalized) form; output and equality use it */
extern void moments_normalize(MomentsState *m);

/* ---- derived quantities, all nearly exact for the accumulated doubles ---- */

extern dd	moments_n(const MomentsState *m);
extern dd	moments_mean(const MomentsState *m, int i);

/*
 * Centered cross-products: C[i*k + j] = sum w (x_i - mean_i)(x_j - mean_j),
 * full symmetric k x k, as dd.
 */
extern void moments_centered(const MomentsState *m, dd *C);

/* sum w (x_i - mean_i)^p for p = 2, 3, 4 */
extern void moments_central_powers(const MomentsState *m, int i,
								   dd *c2, dd *c3, dd *c4);

/* ---- text form (exact round trip; see moments_text.c) ---- */

/*
 * Allocator callback; must return zeroed memory.  moments_to_text returns
 * NULL when the state has overflowed (see moments_finish).
 */
typedef void *(*moments_alloc_fn) (size_t size);

extern char *moments_to_text(const MomentsState *m, moments_alloc_fn alloc);

/*
 * Parse text; on success returns the state (allocated with alloc, zeroed) and
 * NULL *err; on failure returns NULL and sets *err to a static message.
 */
extern MomentsState *moments_from_text(const char *text, moments_alloc_fn alloc,
									   const char **err);

/* semantic checks shared by text and binary input; NULL if valid */
extern const char *moments_validate(const MomentsState *m);

#endif							/* SURVEY_REG_MOMENTS_CORE_H */
