/*
 * moments_batch.c — rows buffered inside a transition state and added to
 * the sums a batch at a time.
 *
 * Why: row by row (moments_add_row), the k(k+1)/2 exact products of a row
 * run in inner loops of k - i elements — at k = 11 mostly too short to fill
 * a vector — and every dd sum of the state is loaded and stored once per
 * row.  Stored column-wise, a batch of MOMENTS_BATCH_ROWS rows turns each
 * sum into one long loop along the rows: accumulators stay in registers,
 * the loops vectorize completely, and each sum of the state is touched once
 * per batch.  Measured (bench/kernel_bench.c, AVX2): ~60 instead of
 * ~160-180 ns per row at k = 11.
 *
 * The arithmetic per product is that of moments_add_row (exact product,
 * lazily added into a double-double); only the order of the additions
 * differs: eight interleaved partial sums (lanes) per pair and batch,
 * folded into the state in a fixed order (four lanes for the per-variable
 * sums).  A batched state agrees with a row-by-row one to the dd level
 * (test/core/test_moments_batch.c: within 1e-26 of each sum), not bit for
 * bit; for a given sequence of rows and batch boundaries the bits are
 * fixed, and the AVX2+FMA build and the portable build (Dekker's product)
 * give identical bits.
 *
 * Layout: the buffer follows the state's names (8-aligned): x[j * B + r]
 * for variable j of buffered row r, then the weights w[r].  The buffer is
 * never part of a stored value: every reader flushes first (moments_flush),
 * and m->pending counts the buffered rows (0 in every value that leaves an
 * aggregate; input functions reject anything else).
 */
#include "moments_core.h"

#include <string.h>

/*
 * The vector helpers below are static and always inlined, so no 32-byte
 * vector crosses a real call: the ABI note does not apply.
 */
#pragma GCC diagnostic ignored "-Wpsabi"

#define B MOMENTS_BATCH_ROWS
#define LANES 8					/* two vectors of four: the fold order */

#if B % LANES != 0
#error "MOMENTS_BATCH_ROWS must be a multiple of 8"
#endif

typedef double v4d __attribute__((vector_size(32)));
typedef long long v4i __attribute__((vector_size(32)));
/* unaligned, aliasing-safe view for loads and stores */
typedef double v4du __attribute__((vector_size(32), aligned(8), may_alias));

static inline __attribute__((always_inline)) v4d
ld(const double *p)
{
	return *(const v4du *) p;
}

static inline __attribute__((always_inline)) void
st(double *p, v4d v)
{
	*(v4du *) p = v;
}

static inline __attribute__((always_inline)) v4d
splat(double a)
{
	v4d			v = {a, a, a, a};

	return v;
}

/* lanewise a < b ? a : b, and the maximum (values are finite) */
static inline __attribute__((always_inline)) v4d
vmin(v4d a, v4d b)
{
	v4i			lt = a < b;

	return (v4d) (((v4i) a & lt) | ((v4i) b & ~lt));
}

static inline __attribute__((always_inline)) v4d
vmax(v4d a, v4d b)
{
	v4i			gt = a > b;

	return (v4d) (((v4i) a & gt) | ((v4i) b & ~gt));
}

/* s + c += a + e lazily, lanewise: dd_lazy_add on vectors */
#define LAZY_ADD(s, c, a, e) \
	do { \
		v4d			t_ = (s) + (a); \
		v4d			bb_ = t_ - (s); \
		(c) += (((s) - (t_ - bb_)) + ((a) - bb_)) + (e); \
		(s) = t_; \
	} while (0)


/*
 * The eight lanes into one dd sum of the state, in a fixed order: the two
 * vectors lanewise first (TwoSum), then their four lanes one by one.
 */
#define FOLD(hi, lo, s0, c0, s1, c1) \
	do { \
		v4d			fs_ = (s0), fc_ = (c0); \
		LAZY_ADD(fs_, fc_, (s1), (c1)); \
		for (int l_ = 0; l_ < 4; l_++) \
			dd_lazy_add((hi), (lo), fs_[l_], fc_[l_]); \
	} while (0)

/* dh, dl, ah, al: k columns each; padded weights; a flag byte per column */
size_t
moments_flush_scratch(int k)
{
	return 4 * (size_t) B * (size_t) k + B + ((size_t) k + 7) / 8;
}

static inline double *
batch_x(MomentsState *m)
{
	return (double *) ((char *) m + moments_batch_offset(m->k, m->names_len));
}

/*
 * The exact products a_i b_j of the batch (a = w d and b = d as dd columns
 * of B rows, zero-padded to a multiple of 8) into the packed triangle.  One
 * pair at a time along the rows, two vectors of accumulators so that the
 * TwoSum chains overlap.  Pairs whose columns have no lo parts (the usual
 * case: x - ref exact, unit weights) skip the two cross terms, which are
 * exactly zero there.
 */
#define PAIRS_BATCH(NAME, TARGET, PROD_ERR) \
TARGET static void \
NAME(int k, int nr, double *restrict shi, double *restrict slo, \
	 const double *ah, const double *al, const double *bh, const double *bl, \
	 const unsigned char *has_lo) \
{ \
	size_t		t = 0; \
	for (int i = 0; i < k; i++) \
	{ \
		const double *aih = ah + (size_t) i * B; \
		const double *ail = al + (size_t) i * B; \
		MOMENTS_CHECK_INTERRUPTS(); \
		for (int j = i; j < k; j++, t++) \
		{ \
			const double *bjh = bh + (size_t) j * B; \
			const double *bjl = bl + (size_t) j * B; \
			v4d			s0 = splat(0), c0 = splat(0), \
						s1 = splat(0), c1 = splat(0); \
			if (has_lo[i] | has_lo[j]) \
				for (int r = 0; r < nr; r += LANES) \
				{ \
					v4d a0 = ld(aih + r), b0 = ld(bjh + r); \
					v4d a1 = ld(aih + r + 4), b1 = ld(bjh + r + 4); \
					v4d p0 = a0 * b0, p1 = a1 * b1; \
					v4d e0 = PROD_ERR(a0, b0, p0) \
						+ (a0 * ld(bjl + r) + ld(ail + r) * b0); \
					v4d e1 = PROD_ERR(a1, b1, p1) \
						+ (a1 * ld(bjl + r + 4) + ld(ail + r + 4) * b1); \
					LAZY_ADD(s0, c0, p0, e0); \
					LAZY_ADD(s1, c1, p1, e1); \
				} \
			else \
				for (int r = 0; r < nr; r += LANES) \
				{ \
					v4d a0 = ld(aih + r), b0 = ld(bjh + r); \
					v4d a1 = ld(aih + r + 4), b1 = ld(bjh + r + 4); \
					v4d p0 = a0 * b0, p1 = a1 * b1; \
					LAZY_ADD(s0, c0, p0, PROD_ERR(a0, b0, p0)); \
					LAZY_ADD(s1, c1, p1, PROD_ERR(a1, b1, p1)); \
				} \
			FOLD(shi + t, slo + t, s0, c0, s1, c1); \
		} \
	} \
}

/* Dekker: the exact error of p = a * b from 26-bit halves */
static inline __attribute__((always_inline)) v4d
split_hi(v4d a)
{
	v4d			t = splat(134217729.0) * a;

	return t - (t - a);
}

static inline __attribute__((always_inline)) v4d
dekker_err(v4d a, v4d b, v4d p)
{
	v4d			ahh = split_hi(a),
				bhh = split_hi(b);
	v4d			ahl = a - ahh,
				bhl = b - bhh;

	return ((ahh * bhh - p) + ahh * bhl + ahl * bhh) + ahl * bhl;
}

#define NO_TARGET
PAIRS_BATCH(pairs_generic, NO_TARGET, dekker_err)

/*
 * GCC only: clang rejects passing 32-byte vectors between the shared
 * helpers and an AVX-targeted function before inlining them.  PGXS compiles
 * clang only for the JIT's bitcode, which then carries the portable kernel
 * (same bits).
 */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#include <immintrin.h>
#define HAVE_FMA_KERNEL 1
#define FMA_ERR(a, b, p) ((v4d) _mm256_fmsub_pd((__m256d) (a), (__m256d) (b), (__m256d) (p)))
PAIRS_BATCH(pairs_fma, __attribute__((target("avx2,fma"))), FMA_ERR)
#endif

typedef void (*pairs_fn) (int, int, double *restrict, double *restrict,
						  const double *, const double *, const double *,
						  const double *, const unsigned char *);

/*
 * S3 += w d^3 and S4 += w d^4 along the rows of each column, d = dh + dl,
 * with dd_powers34's expressions in its order (then the weight's exact
 * product, as moments_add_row): the same bits per row as the row-by-row
 * path, four lanes folded in order.  w is NULL for unit weights.
 */
#define POWERS_BATCH(NAME, TARGET, PROD_ERR) \
TARGET static void \
NAME(int k, int nr, MomentsArrays *a, const double *dh, const double *dl, \
	 const double *w) \
{ \
	for (int j = 0; j < k; j++) \
	{ \
		const double *dhj = dh + (size_t) j * B; \
		const double *dlj = dl + (size_t) j * B; \
		v4d			s3 = splat(0), c3 = splat(0), s4 = splat(0), c4 = splat(0); \
		for (int r = 0; r < nr; r += 4) \
		{ \
			v4d			d = ld(dhj + r), e = ld(dlj + r); \
			v4d			p2 = d * d; \
			v4d			e2 = PROD_ERR(d, d, p2) + splat(2.0) * d * e; \
			v4d			p3 = p2 * d; \
			v4d			e3 = PROD_ERR(p2, d, p3) + (e2 * d + p2 * e); \
			v4d			p4 = p2 * p2; \
			v4d			e4 = PROD_ERR(p2, p2, p4) + splat(2.0) * p2 * e2; \
			if (w) \
			{ \
				v4d			wv = ld(w + r); \
				v4d			q3 = wv * p3, q4 = wv * p4; \
				e3 = PROD_ERR(wv, p3, q3) + wv * e3; \
				e4 = PROD_ERR(wv, p4, q4) + wv * e4; \
				p3 = q3; \
				p4 = q4; \
			} \
			LAZY_ADD(s3, c3, p3, e3); \
			LAZY_ADD(s4, c4, p4, e4); \
		} \
		for (int l = 0; l < 4; l++) \
		{ \
			dd_lazy_add(&a->s3_hi[j], &a->s3_lo[j], s3[l], c3[l]); \
			dd_lazy_add(&a->s4_hi[j], &a->s4_lo[j], s4[l], c4[l]); \
		} \
	} \
}

POWERS_BATCH(powers_generic, NO_TARGET, dekker_err)
#ifdef HAVE_FMA_KERNEL
POWERS_BATCH(powers_fma, __attribute__((target("avx2,fma"))), FMA_ERR)
#endif

typedef void (*powers_fn) (int, int, MomentsArrays *, const double *,
						   const double *, const double *);

/*
 * a = w d as dd along one column's rows (two_prod's exact error, then the
 * lo part's product: its expressions, so the same bits as a scalar loop),
 * vectorized; returns whether a lo part is non-zero
 */
#define WEIGH_BATCH(NAME, TARGET, PROD_ERR) \
TARGET static int \
NAME(int nr, const double *w, const double *dh, const double *dl, \
	 double *ah, double *al) \
{ \
	v4i			lo_any = {0, 0, 0, 0}; \
	for (int r = 0; r < nr; r += 4) \
	{ \
		v4d			wv = ld(w + r), d = ld(dh + r); \
		v4d			p = wv * d; \
		v4d			e = PROD_ERR(wv, d, p) + wv * ld(dl + r); \
		st(ah + r, p); \
		st(al + r, e); \
		lo_any |= e != 0; \
	} \
	return (lo_any[0] | lo_any[1] | lo_any[2] | lo_any[3]) != 0; \
}

WEIGH_BATCH(weigh_generic, NO_TARGET, dekker_err)
#ifdef HAVE_FMA_KERNEL
WEIGH_BATCH(weigh_fma, __attribute__((target("avx2,fma"))), FMA_ERR)
#endif

typedef int (*weigh_fn) (int, const double *, const double *, const double *,
						 double *, double *);

/*
 * Everything but the pairs and the powers: shifts, range, weights and the
 * first power sums, each along the rows of one column.  Inlined into a portable
 * and an AVX2 build.
 */
static inline __attribute__((always_inline)) void
flush_body(MomentsState *m, double *scratch, pairs_fn pairs, powers_fn powers,
		   weigh_fn weigh)
{
	MomentsArrays a;
	const int	k = m->k;
	const int	n = m->pending;
	const int	nr = (n + LANES - 1) / LANES * LANES;
	const int	shape = !(m->flags & MOMENTS_FLAG_NO_SHAPE);
	double	   *x = batch_x(m);
	const double *w = x + (size_t) k * B;
	double	   *dh = scratch;
	double	   *dl = scratch + (size_t) k * B;
	double	   *ah = dh,
			   *al = dl;
	double	   *wpad = scratch + 4 * (size_t) k * B;
	unsigned char *has_lo = (unsigned char *) (wpad + B);
	int			weighted = 0;
	int			r;

	moments_arrays(m, &a);
	if (m->nrows == 0)
		for (int j = 0; j < k; j++)
			a.ref[j] = a.min[j] = a.max[j] = x[(size_t) j * B];

	for (r = 0; r < n; r++)
	{
		weighted |= w[r] != 1.0;
		wpad[r] = w[r];
	}
	for (; r < nr; r++)
		wpad[r] = 0.0;			/* padding rows weigh nothing */
	{
		v4d			s0 = splat(0), c0 = splat(0), s1 = splat(0), c1 = splat(0);

		for (r = 0; r < nr; r += LANES)
		{
			LAZY_ADD(s0, c0, ld(wpad + r), splat(0));
			LAZY_ADD(s1, c1, ld(wpad + r + 4), splat(0));
		}
		FOLD(&m->n_hi, &m->n_lo, s0, c0, s1, c1);
	}
	if (weighted)
	{
		ah = scratch + 2 * (size_t) k * B;
		al = scratch + 3 * (size_t) k * B;
	}

	for (int j = 0; j < k; j++)
	{
		double	   *xj = x + (size_t) j * B;
		double	   *dhj = dh + (size_t) j * B;
		double	   *dlj = dl + (size_t) j * B;
		const v4d	neg = splat(-a.ref[j]);
		v4d			mn = splat(a.min[j]),
					mx = splat(a.max[j]);
		v4i			lo_any = {0, 0, 0, 0};
		v4d			s1 = splat(0), c1 = splat(0);

		for (r = n; r < nr; r++)
			xj[r] = a.ref[j];	/* padding: d = ref - ref = 0 */

		/*
		 * One pass along the rows: d = x - ref exactly (TwoSum), the range,
		 * and (unit weights) S1 += d.
		 */
		for (r = 0; r < nr; r += 4)
		{
			v4d			xv = ld(xj + r);
			v4d			d = xv + neg;
			v4d			bb = d - xv;
			v4d			e = (xv - (d - bb)) + (neg - bb);

			mn = vmin(mn, xv);
			mx = vmax(mx, xv);
			st(dhj + r, d);
			st(dlj + r, e);
			lo_any |= e != 0;
			if (!weighted)
			{
				LAZY_ADD(s1, c1, d, e);
			}
		}

		/* weighted: a = w d as dd, S1 += a */
		if (weighted)
		{
			double	   *ahj = ah + (size_t) j * B;
			double	   *alj = al + (size_t) j * B;

			if (weigh(nr, wpad, dhj, dlj, ahj, alj))
				lo_any[0] = 1;
			for (r = 0; r < nr; r += 4)
				LAZY_ADD(s1, c1, ld(ahj + r), ld(alj + r));
		}

		for (int l = 0; l < 4; l++)
		{
			if (mn[l] < a.min[j])
				a.min[j] = mn[l];
			if (mx[l] > a.max[j])
				a.max[j] = mx[l];
			dd_lazy_add(&a.s1_hi[j], &a.s1_lo[j], s1[l], c1[l]);
		}
		has_lo[j] = (lo_any[0] | lo_any[1] | lo_any[2] | lo_any[3]) != 0;
	}

	if (shape)
		powers(k, nr, &a, dh, dl, weighted ? wpad : NULL);
	pairs(k, nr, a.s2_hi, a.s2_lo, ah, al, dh, dl, has_lo);
	m->nrows += n;
	m->pending = 0;
}

static void
flush_generic(MomentsState *m, double *scratch)
{
	flush_body(m, scratch, pairs_generic, powers_generic, weigh_generic);
}

#ifdef HAVE_FMA_KERNEL
__attribute__((target("avx2,fma")))
static void
flush_fma(MomentsState *m, double *scratch)
{
	flush_body(m, scratch, pairs_fma, powers_fma, weigh_fma);
}
#endif

void
moments_flush(MomentsState *m, double *scratch)
{
	if (m->pending == 0)
		return;
#ifdef HAVE_FMA_KERNEL
	if (moments_use_fma_kernels())
	{
		flush_fma(m, scratch);
		return;
	}
#endif
	flush_generic(m, scratch);
}

int
moments_push_row(MomentsState *m, const double *x, double w)
{
	double	   *buf = batch_x(m);
	const int	k = m->k;
	const int	r = m->pending;

	for (int j = 0; j < k; j++)
		buf[(size_t) j * B + r] = x[j];
	buf[(size_t) k * B + r] = w;
	m->pending = r + 1;
	return m->pending == B;
}
