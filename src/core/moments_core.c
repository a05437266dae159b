/*
 * moments_core.c — update, merge and centering of the moments state.
 *
 * Numerical method (chosen so that every later analysis, including NIST
 * StRD regressions as ill-conditioned as Filip and Wampler5, can be computed
 * from this one state):
 *
 *   1. Shift.  Each row is taken relative to a reference row (the first row
 *      accumulated): d = x - ref, computed exactly as a double-double
 *      (TwoSum).  Sums of d are small where the data sit far from zero
 *      (values like 1000000000.123456 with SD 1), which removes the
 *      location dependence that ruins raw sums of squares.
 *   2. Exact products, extended sums.  Every product w d_i d_j is formed
 *      exactly (Dekker's TwoProduct) and added into a double-double sum, so
 *      the cross-products carry ~106 bits.  This is "nearly exact arithmetic
 *      on the double inputs": the only real error left is the rounding of the
 *      inputs themselves.  Normal equations from raw double cross-products
 *      lose ~cond(X'X) * 1e-16 (all digits on Filip); a plain Welford update
 *      loses ~3e-8 at a location of 1e9; this scheme loses ~1e-30.
 *   3. Exact merge.  Two states with different reference rows are merged by
 *      re-expressing one state's power sums around the other's reference
 *      (binomial expansion in double-double), so merging per-group,
 *      per-worker or per-node states equals a single pass to ~1e-30.
 *
 * Alternatives considered: an updating QR (Gentleman / AS 274) is as good
 * for regression but cannot give skewness, kurtosis or min/max, cannot be
 * merged as cheaply, and fixes the variable order at accumulation time,
 * whereas the blockwise models need any subset in any order.  Centered
 * (Welford/Chan) updating in plain double fails the NIST NumAcc4 and
 * Wampler5 bars.
 *
 * Cost: about 12 flops per variable pair per row.  This file adds rows one
 * at a time (small groups, tests); the aggregates add them in batches of
 * 128 rows (moments_batch.c), which runs the same arithmetic along the rows
 * in full vectors: ~2.5-4 x faster at k = 3..11.
 */
#include "moments_core.h"

#include <string.h>


void		(*moments_interrupt_hook) (void) = NULL;

size_t
moments_size(int k, int names_len)
{
	return MOMENTS_SIZE(k, names_len);
}

void
moments_arrays(const MomentsState *m, MomentsArrays *a)
{
	size_t		k = (size_t) m->k;
	size_t		pairs = k * (k + 1) / 2;
	double	   *p = (double *) ((char *) m + MOMENTS_HEADER_SIZE);

	a->ref = p;
	p += k;
	a->s1_hi = p;
	p += k;
	a->s1_lo = p;
	p += k;
	a->s2_hi = p;
	p += pairs;
	a->s2_lo = p;
	p += pairs;
	a->s3_hi = p;
	p += k;
	a->s3_lo = p;
	p += k;
	a->s4_hi = p;
	p += k;
	a->s4_lo = p;
	p += k;
	a->min = p;
	p += k;
	a->max = p;
	p += k;
	a->names = (char *) p;
}

void
moments_init(MomentsState *m, int k, const char *const *names)
{
	MomentsArrays a;
	char	   *q;
	int			i;

	m->version = MOMENTS_VERSION;
	m->k = k;
	m->names_len = 0;
	for (i = 0; i < k; i++)
		m->names_len += (int32_t) strlen(names[i]) + 1;
	moments_arrays(m, &a);
	q = a.names;
	for (i = 0; i < k; i++)
	{
		size_t		len = strlen(names[i]) + 1;

		memcpy(q, names[i], len);
		q += len;
	}
}

const char *
moments_name(const MomentsState *m, int i)
{
	MomentsArrays a;
	const char *q;

	moments_arrays(m, &a);
	q = a.names;
	while (i-- > 0)
		q += strlen(q) + 1;
	return q;
}

/*
 * A fast 64-bit hash, a word at a time (a multiply-xorshift mix): only a
 * cache key for "same names argument as before", not a security boundary.
 */
uint64_t
moments_hash_bytes(const void *p, size_t len)
{
	const unsigned char *c = p;
	uint64_t	h = UINT64_C(14695981039346656037) ^ len;

	while (len >= 8)
	{
		uint64_t	w;

		memcpy(&w, c, 8);
		h = (h ^ w) * UINT64_C(0x9E3779B97F4A7C15);
		h ^= h >> 29;
		c += 8;
		len -= 8;
	}
	while (len-- > 0)
		h = (h ^ *c++) * UINT64_C(1099511628211);
	return h;
}

/*
 * Add the exact products a_i * b_j (i <= j), a and b given as dd (hi, lo
 * arrays), to the packed upper triangle (shi, slo).  Sums are accumulated
 * lazily: the rounding error of each addition goes to the lo part without
 * renormalizing, which is exact enough (lo stays far below hi's ulp times
 * the row count) and keeps the loop free of dependencies across j.
 *
 * Two builds of the same loop: with FMA the product error is one
 * instruction, without it Dekker's split.  Both compute the exact error of
 * the same rounded product, so they give identical bits: a state does not
 * depend on the CPU that built it.
 */
#define PAIR_LOOP(TWO_PROD_ERR, SPLIT_A) \
	do { \
		size_t		t_ = 0; \
		for (int i_ = 0; i_ < k; i_++) \
		{ \
			const double ahi = ah[i_]; \
			const double ali = al[i_]; \
			double		ahh = 0, \
						ahl = 0; \
			double	   *restrict sh = shi + t_; \
			double	   *restrict sl = slo + t_; \
			const double *restrict bhp = bh + i_; \
			const double *restrict blp = bl + i_; \
			const double *restrict bhhp = bhh + i_; \
			const double *restrict bhlp = bhl + i_; \
			const int	len = k - i_; \
			SPLIT_A; \
			(void) ahh; (void) ahl; \
			(void) bhhp; (void) bhlp; \
			for (int j_ = 0; j_ < len; j_++) \
			{ \
				const double b = bhp[j_]; \
				const double p = ahi * b; \
				double		pe = TWO_PROD_ERR(j_); \
				double		s, bb, se; \
				pe += ahi * blp[j_] + ali * b; \
				s = sh[j_] + p; \
				bb = s - sh[j_]; \
				se = (sh[j_] - (s - bb)) + (p - bb); \
				sl[j_] += se + pe; \
				sh[j_] = s; \
			} \
			t_ += len; \
		} \
	} while (0)

#define DEKKER_ERR(j) \
	(((ahh * bhhp[j] - p) + ahh * bhlp[j] + ahl * bhhp[j]) + ahl * bhlp[j])

/* scratch: bhh and bhl, 2 k doubles */
static void
add_pairs_generic(int k, double *restrict shi, double *restrict slo,
				  const double *ah, const double *al, const double *bh,
				  const double *bl, double *restrict scratch)
{
	double	   *restrict bhh = scratch;
	double	   *restrict bhl = scratch + k;

	for (int i = 0; i < k; i++)
		dd_split(bh[i], &bhh[i], &bhl[i]);
	PAIR_LOOP(DEKKER_ERR, dd_split(ahi, &ahh, &ahl));
}

#ifdef MOMENTS_FMA_BUILD
#define FMA_ERR(j) (__builtin_fma(ahi, b, -p))

__attribute__((target("avx2,fma")))
static void
add_pairs_fma(int k, double *restrict shi, double *restrict slo,
			  const double *ah, const double *al, const double *bh,
			  const double *bl)
{
	const double *bhh = bh;		/* unused: the FMA error needs no split */
	const double *bhl = bl;

	PAIR_LOOP(FMA_ERR, (void) 0);
}

#endif

int			moments_portable_kernels = 0;

int
moments_use_fma_kernels(void)
{
#ifdef MOMENTS_FMA_BUILD
	static int	has = -1;		/* a CPU feature, not query state */

	if (has < 0)
	{
		__builtin_cpu_init();
		has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
	}
	return has && !moments_portable_kernels;
#else
	return 0;
#endif
}

/* third and fourth power sums overflowed: give up skewness and kurtosis */
static void
drop_shape(MomentsState *m, MomentsArrays *a)
{
	size_t		k = (size_t) m->k;

	memset(a->s3_hi, 0, sizeof(double) * 4 * k);	/* s3_hi .. s4_lo */
	m->flags |= MOMENTS_FLAG_NO_SHAPE;
}

static int
all_finite_array(const double *v, size_t len)
{
	int			ok = 1;
	size_t		i;

	for (i = 0; i < len; i++)
		ok &= isfinite(v[i]);
	return ok;
}

/*
 * Overflow is checked once per state, not on every row: Infinity and NaN
 * propagate through the lazy sums, so nothing is lost by checking late.
 * Returns 0 when all is finite and consistent, 1 when moments_finish must
 * repair (third or fourth power sums not finite, or a sum of squares or
 * fourth powers below zero after an extreme merge), -1 when a first- or
 * second-order sum is not finite (values too large for double precision).
 */
int
moments_check(const MomentsState *m)
{
	MomentsArrays a;
	size_t		k = (size_t) m->k;
	size_t		pairs = k * (k + 1) / 2;
	size_t		i;

	moments_arrays(m, &a);
	if (!isfinite(m->n_hi) || !isfinite(m->n_lo)
		|| !all_finite_array(a.s1_hi, 2 * k)
		|| !all_finite_array(a.s2_hi, 2 * pairs))
		return -1;
	if (!(m->flags & MOMENTS_FLAG_NO_SHAPE) && !all_finite_array(a.s3_hi, 4 * k))
		return 1;
	for (i = 0; i < k; i++)
		if (a.s2_hi[moments_tri((int) k, (int) i, (int) i)] < 0.0
			|| (!(m->flags & MOMENTS_FLAG_NO_SHAPE) && a.s4_hi[i] < 0.0))
			return 1;
	return 0;
}

int
moments_finish(MomentsState *m)
{
	int			r = moments_check(m);

	if (r == 1)
	{
		MomentsArrays a;
		int			i;

		moments_arrays(m, &a);
		for (i = 0; i < m->k; i++)
		{
			size_t		t = moments_tri(m->k, i, i);

			/*
			 * A merge of states whose weights or values span tens of decades
			 * can leave a sum of squares below its own rounding, even
			 * negative: its true value is indistinguishable from 0.
			 */
			if (a.s2_hi[t] < 0.0)
				a.s2_hi[t] = a.s2_lo[t] = 0.0;
		}
		if (!all_finite_array(a.s3_hi, 4 * (size_t) m->k))
			drop_shape(m, &a);
		for (i = 0; i < m->k && !(m->flags & MOMENTS_FLAG_NO_SHAPE); i++)
			if (a.s4_hi[i] < 0.0)
				drop_shape(m, &a);	/* a fourth-power sum lost the same way */
	}
	return r < 0 ? -1 : 0;
}

/*
 * The hot path.  For each variable, b = d = x - ref (exact dd) and
 * a = w d (dd); each pair adds the exact product a_i b_j to s2.
 */
static inline __attribute__((always_inline)) void
add_row_body(MomentsState *m, const double *x, double w, double *scratch,
			 const int use_fma)
{
	MomentsArrays a;
	const int	k = m->k;
	const int	shape = !(m->flags & MOMENTS_FLAG_NO_SHAPE);
	double	   *restrict bh = scratch;
	double	   *restrict bl = scratch + k;
	double	   *ah = bh;		/* a = w d: the same arrays when w = 1 */
	double	   *al = bl;
	int			i;

	moments_arrays(m, &a);

	if (m->nrows == 0)
	{
		memcpy(a.ref, x, sizeof(double) * k);
		memcpy(a.min, x, sizeof(double) * k);
		memcpy(a.max, x, sizeof(double) * k);
	}

	dd_lazy_add(&m->n_hi, &m->n_lo, w, 0.0);
	for (i = 0; i < k; i++)
	{
		bh[i] = two_sum(x[i], -a.ref[i], &bl[i]);
		if (x[i] < a.min[i])
			a.min[i] = x[i];
		if (x[i] > a.max[i])
			a.max[i] = x[i];
	}
	if (w != 1.0)
	{
		ah = scratch + 2 * k;
		al = scratch + 3 * k;
		for (i = 0; i < k; i++)
		{
			double		e;

			ah[i] = two_prod(w, bh[i], &e);
			al[i] = e + w * bl[i];
		}
	}
	for (i = 0; i < k; i++)
		dd_lazy_add(&a.s1_hi[i], &a.s1_lo[i], ah[i], al[i]);

	/*
	 * Third and fourth powers, exact to the dd level like s1 and s2: a
	 * near-zero skewness is a small difference of large sums, and rounding
	 * each d^3 once (as before 0.1.2) left ~1e-13 of it depending on the
	 * reference row, so a state merged from shards differed from a local
	 * one in the 13th digit (issue 13).  moments_batch.c does the same
	 * arithmetic in the same order (shape_batch): identical bits per row.
	 */
	if (shape)
		for (i = 0; i < k; i++)
		{
			double		p3,
						e3,
						p4,
						e4;

			dd_powers34(bh[i], bl[i], &p3, &e3, &p4, &e4);
			if (w != 1.0)
			{
				double		f;
				double		q = two_prod(w, p3, &f);

				e3 = f + w * e3;
				p3 = q;
				q = two_prod(w, p4, &f);
				e4 = f + w * e4;
				p4 = q;
			}
			dd_lazy_add(&a.s3_hi[i], &a.s3_lo[i], p3, e3);
			dd_lazy_add(&a.s4_hi[i], &a.s4_lo[i], p4, e4);
		}

	/* s2: O(k^2), the loop that matters */
#ifdef MOMENTS_FMA_BUILD
	if (use_fma)
		add_pairs_fma(k, a.s2_hi, a.s2_lo, ah, al, bh, bl);
	else
#endif
		add_pairs_generic(k, a.s2_hi, a.s2_lo, ah, al, bh, bl, scratch + 4 * k);
	m->nrows++;
}

static void
add_row_generic(MomentsState *m, const double *x, double w, double *scratch)
{
	add_row_body(m, x, w, scratch, 0);
}

#ifdef MOMENTS_FMA_BUILD
/* the O(k) loops vectorize with AVX2 too */
__attribute__((target("avx2,fma")))
static void
add_row_fma(MomentsState *m, const double *x, double w, double *scratch)
{
	add_row_body(m, x, w, scratch, 1);
}
#endif

void
moments_add_row(MomentsState *m, const double *x, double w, double *scratch)
{
#ifdef MOMENTS_FMA_BUILD
	if (moments_use_fma_kernels())
	{
		add_row_fma(m, x, w, scratch);
		return;
	}
#endif
	add_row_generic(m, x, w, scratch);
}

int
moments_same_vars(const MomentsState *x, const MomentsState *y)
{
	MomentsArrays ax,
				ay;

	if (x->k != y->k || x->names_len != y->names_len)
		return 0;
	moments_arrays(x, &ax);
	moments_arrays(y, &ay);
	return memcmp(ax.names, ay.names, (size_t) x->names_len) == 0;
}

static inline dd
get_dd(const double *hi, const double *lo, size_t i)
{
	return dd_make(hi[i], lo[i]);
}

static inline void
put_dd(double *hi, double *lo, size_t i, dd v)
{
	hi[i] = v.hi;
	lo[i] = v.lo;
}

/* the smaller of two reference values; of 0 and -0, -0 (order-free) */
static inline double
ref_min(double a, double b)
{
	return (b < a || (b == a && signbit(b))) ? b : a;
}

/*
 * Re-express m's sums around the reference ref_min(m's, other) in place
 * (the formulas of moments_merge below with src = dst = m): row i's S3, S4
 * and S2 use the old S1, S2_ii, S3 and reference, which are overwritten
 * after their last use.  Variables whose reference stays are left alone.
 */
static void
recentre(MomentsState *m, MomentsArrays *a, const double *other)
{
	const int	k = m->k;
	dd			n = dd_make(m->n_hi, m->n_lo);
	int			i,
				j;

	for (i = 0; i < k; i++)
	{
		double		r = ref_min(a->ref[i], other[i]);

		if (r != a->ref[i] || signbit(r) != signbit(a->ref[i]))
			break;
	}
	if (i == k)
		return;
	for (i = 0; i < k; i++)
	{
		dd			delta = dd_diff_d(a->ref[i], ref_min(a->ref[i], other[i]));
		dd			s1 = get_dd(a->s1_hi, a->s1_lo, i);
		dd			s2 = get_dd(a->s2_hi, a->s2_lo, moments_tri(k, i, i));
		dd			s3 = get_dd(a->s3_hi, a->s3_lo, i);
		dd			s4 = get_dd(a->s4_hi, a->s4_lo, i);
		dd			d2 = dd_mul(delta, delta);
		dd			d3 = dd_mul(d2, delta);
		dd			v;

		MOMENTS_CHECK_INTERRUPTS();
		v = dd_add(s4, dd_mul_d(dd_mul(delta, s3), 4.0));
		v = dd_add(v, dd_mul_d(dd_mul(d2, s2), 6.0));
		v = dd_add(v, dd_mul_d(dd_mul(d3, s1), 4.0));
		put_dd(a->s4_hi, a->s4_lo, i, dd_add(v, dd_mul(dd_mul(d3, delta), n)));
		v = dd_add(s3, dd_mul_d(dd_mul(delta, s2), 3.0));
		v = dd_add(v, dd_mul_d(dd_mul(d2, s1), 3.0));
		put_dd(a->s3_hi, a->s3_lo, i, dd_add(v, dd_mul(d3, n)));
		for (j = i; j < k; j++)
		{
			dd			deltaj = dd_diff_d(a->ref[j], ref_min(a->ref[j], other[j]));
			size_t		t = moments_tri(k, i, j);

			v = get_dd(a->s2_hi, a->s2_lo, t);
			v = dd_add(v, dd_mul(delta, get_dd(a->s1_hi, a->s1_lo, j)));
			v = dd_add(v, dd_mul(deltaj, s1));
			put_dd(a->s2_hi, a->s2_lo, t,
				   dd_add(v, dd_mul(dd_mul(delta, deltaj), n)));
		}
	}
	for (i = 0; i < k; i++)
	{
		double		r = ref_min(a->ref[i], other[i]);
		dd			delta = dd_diff_d(a->ref[i], r);

		put_dd(a->s1_hi, a->s1_lo, i,
			   dd_add(get_dd(a->s1_hi, a->s1_lo, i), dd_mul(delta, n)));
		a->ref[i] = r;
	}
}

/*
 * dst += src.  src's sums are re-expressed around dst's reference row:
 * with delta = ref_src - ref_dst (exact), d_dst = d_src + delta, so
 *   S1' = S1 + n delta
 *   S2'_ij = S2_ij + delta_i S1_j + delta_j S1_i + n delta_i delta_j
 *   S3' = S3 + 3 delta S2_ii + 3 delta^2 S1 + n delta^3
 *   S4' = S4 + 4 delta S3 + 6 delta^2 S2_ii + 4 delta^3 S1 + n delta^4
 *
 * The merged reference is, per variable, the smaller of the two, so that
 * merging the same states in any order ends on the same reference (the
 * smallest of all): Citus and parallel query combine partial states in
 * the order they arrive.  When every sum is exact (data with few
 * significant bits, e.g. item scores) the merged state is then the same
 * bit for bit in any order; otherwise the order moves only the last bits
 * of the double-double sums (~1e-30 relative), and nothing in survey_reg
 * depends on those bits (a meat matches its fit by robust_fit_key).
 */
int
moments_merge(MomentsState *dst, const MomentsState *src)
{
	MomentsArrays ad,
				as;
	const int	k = dst->k;
	dd			n_src = dd_make(src->n_hi, src->n_lo);
	int			i,
				j;

	if (src->nrows == 0)
		return 0;
	moments_arrays(dst, &ad);
	moments_arrays(src, &as);
	if (dst->nrows == 0)
	{
		/* copy everything but the header and names */
		memcpy(ad.ref, as.ref, (char *) as.names - (char *) as.ref);
		dst->n_hi = src->n_hi;
		dst->n_lo = src->n_lo;
		dst->nrows = src->nrows;
		dst->flags |= src->flags;
		return 0;
	}
	/* dst onto the merged reference first (a no-op where it is dst's) */
	recentre(dst, &ad, as.ref);

	for (i = 0; i < k; i++)
	{
		dd			delta = dd_diff_d(as.ref[i], ad.ref[i]);
		dd			s1 = get_dd(as.s1_hi, as.s1_lo, i);
		dd			s2 = get_dd(as.s2_hi, as.s2_lo, moments_tri(k, i, i));
		dd			s3 = get_dd(as.s3_hi, as.s3_lo, i);
		dd			s4 = get_dd(as.s4_hi, as.s4_lo, i);
		dd			d2 = dd_mul(delta, delta);
		dd			d3 = dd_mul(d2, delta);
		dd			d4 = dd_mul(d3, delta);
		dd			v;

		/* S3' */
		v = dd_add(s3, dd_mul_d(dd_mul(delta, s2), 3.0));
		v = dd_add(v, dd_mul_d(dd_mul(d2, s1), 3.0));
		v = dd_add(v, dd_mul(d3, n_src));
		put_dd(ad.s3_hi, ad.s3_lo, i, dd_add(get_dd(ad.s3_hi, ad.s3_lo, i), v));
		/* S4' */
		v = dd_add(s4, dd_mul_d(dd_mul(delta, s3), 4.0));
		v = dd_add(v, dd_mul_d(dd_mul(d2, s2), 6.0));
		v = dd_add(v, dd_mul_d(dd_mul(d3, s1), 4.0));
		v = dd_add(v, dd_mul(d4, n_src));
		put_dd(ad.s4_hi, ad.s4_lo, i, dd_add(get_dd(ad.s4_hi, ad.s4_lo, i), v));

		for (j = i; j < k; j++)
		{
			dd			deltaj = dd_diff_d(as.ref[j], ad.ref[j]);
			dd			s1j = get_dd(as.s1_hi, as.s1_lo, j);
			size_t		t = moments_tri(k, i, j);

			v = get_dd(as.s2_hi, as.s2_lo, t);
			v = dd_add(v, dd_mul(delta, s1j));
			v = dd_add(v, dd_mul(deltaj, s1));
			v = dd_add(v, dd_mul(dd_mul(delta, deltaj), n_src));
			put_dd(ad.s2_hi, ad.s2_lo, t, dd_add(get_dd(ad.s2_hi, ad.s2_lo, t), v));
		}
	}
	/* S1' last: the loops above need src's own S1 */
	for (i = 0; i < k; i++)
	{
		dd			delta = dd_diff_d(as.ref[i], ad.ref[i]);
		dd			v = dd_add(get_dd(as.s1_hi, as.s1_lo, i), dd_mul(delta, n_src));

		put_dd(ad.s1_hi, ad.s1_lo, i, dd_add(get_dd(ad.s1_hi, ad.s1_lo, i), v));
		if (as.min[i] < ad.min[i])
			ad.min[i] = as.min[i];
		if (as.max[i] > ad.max[i])
			ad.max[i] = as.max[i];
	}
	{
		dd			n = dd_add(dd_make(dst->n_hi, dst->n_lo), n_src);

		dst->n_hi = n.hi;
		dst->n_lo = n.lo;
	}
	if (__builtin_add_overflow(dst->nrows, src->nrows, &dst->nrows))
		return -2;
	dst->flags |= src->flags;
	if (dst->flags & MOMENTS_FLAG_NO_SHAPE)
		drop_shape(dst, &ad);
	return moments_finish(dst);
}

static void
normalize_pairs(double *hi, double *lo, size_t len)
{
	size_t		i;

	for (i = 0; i < len; i++)
	{
		double		e;

		hi[i] = two_sum(hi[i], lo[i], &e);
		lo[i] = e;
	}
}

void
moments_normalize(MomentsState *m)
{
	MomentsArrays a;
	size_t		k = (size_t) m->k;

	moments_arrays(m, &a);
	normalize_pairs(&m->n_hi, &m->n_lo, 1);
	normalize_pairs(a.s1_hi, a.s1_lo, k);
	normalize_pairs(a.s2_hi, a.s2_lo, k * (k + 1) / 2);
	normalize_pairs(a.s3_hi, a.s3_lo, k);
	normalize_pairs(a.s4_hi, a.s4_lo, k);
}

dd
moments_n(const MomentsState *m)
{
	return dd_add(dd_from(m->n_hi), dd_from(m->n_lo));
}

/* mean of the shifted values, sum w d / n */
static dd
shifted_mean(const MomentsState *m, const MomentsArrays *a, int i)
{
	return dd_div(dd_add(dd_from(a->s1_hi[i]), dd_from(a->s1_lo[i])),
				  moments_n(m));
}

dd
moments_mean(const MomentsState *m, int i)
{
	MomentsArrays a;

	moments_arrays(m, &a);
	return dd_add_d(shifted_mean(m, &a, i), a.ref[i]);
}

/*
 * The body of moments_centered; S1j / n is the same for every i, so it is
 * formed once per j (the same operations on the same values as per pair:
 * the same bits).  Inlined into a portable and an FMA build (dd_mul's exact
 * product then an instruction, not a call into libm).
 */
static inline __attribute__((always_inline)) void
centered_body(const MomentsState *m, dd *C)
{
	MomentsArrays a;
	const int	k = m->k;
	dd			n = moments_n(m);
	int			i,
				j;

	moments_arrays(m, &a);
	/* S1j / n into the diagonal, overwritten last: no scratch needed */
	for (j = 0; j < k; j++)
	{
		dd			s1j = dd_add(dd_from(a.s1_hi[j]), dd_from(a.s1_lo[j]));

		/* S1j / n first: S1i S1j overflows with weights near 1e200 */
		C[(size_t) j * k + j] = dd_div(s1j, n);
	}
	for (i = 0; i < k; i++)
	{
		dd			s1i = dd_add(dd_from(a.s1_hi[i]), dd_from(a.s1_lo[i]));

		MOMENTS_CHECK_INTERRUPTS();

		for (j = k - 1; j >= i; j--)
		{
			size_t		t = moments_tri(k, i, j);
			dd			s2 = dd_add(dd_from(a.s2_hi[t]), dd_from(a.s2_lo[t]));
			dd			c = dd_sub(s2, dd_mul(s1i, C[(size_t) j * k + j]));

			C[(size_t) i * k + j] = c;
			C[(size_t) j * k + i] = c;
		}
	}
}

#ifdef MOMENTS_FMA_BUILD
__attribute__((target("avx2,fma")))
static void
centered_fma(const MomentsState *m, dd *C)
{
	centered_body(m, C);
}
#endif

void
moments_centered(const MomentsState *m, dd *C)
{
#ifdef MOMENTS_FMA_BUILD
	if (moments_use_fma_kernels())
	{
		centered_fma(m, C);
		return;
	}
#endif
	centered_body(m, C);
}

void
moments_central_powers(const MomentsState *m, int i, dd *c2, dd *c3, dd *c4)
{
	MomentsArrays a;
	dd			n = moments_n(m);
	dd			mu,
				mu2,
				mu3,
				mu4,
				s1,
				s2,
				s3,
				s4;
	size_t		t;

	moments_arrays(m, &a);
	t = moments_tri(m->k, i, i);
	s1 = dd_add(dd_from(a.s1_hi[i]), dd_from(a.s1_lo[i]));
	s2 = dd_add(dd_from(a.s2_hi[t]), dd_from(a.s2_lo[t]));
	s3 = dd_add(dd_from(a.s3_hi[i]), dd_from(a.s3_lo[i]));
	s4 = dd_add(dd_from(a.s4_hi[i]), dd_from(a.s4_lo[i]));
	mu = dd_div(s1, n);
	mu2 = dd_mul(mu, mu);
	mu3 = dd_mul(mu2, mu);
	mu4 = dd_mul(mu3, mu);

	/* sum (d - mu)^2 = S2 - mu S1 */
	*c2 = dd_sub(s2, dd_mul(mu, s1));
	/* sum (d - mu)^3 = S3 - 3 mu S2 + 3 mu^2 S1 - n mu^3 */
	*c3 = dd_sub(s3, dd_mul_d(dd_mul(mu, s2), 3.0));
	*c3 = dd_add(*c3, dd_mul_d(dd_mul(mu2, s1), 3.0));
	*c3 = dd_sub(*c3, dd_mul(mu3, n));
	/* sum (d - mu)^4 = S4 - 4 mu S3 + 6 mu^2 S2 - 4 mu^3 S1 + n mu^4 */
	*c4 = dd_sub(s4, dd_mul_d(dd_mul(mu, s3), 4.0));
	*c4 = dd_add(*c4, dd_mul_d(dd_mul(mu2, s2), 6.0));
	*c4 = dd_sub(*c4, dd_mul_d(dd_mul(mu3, s1), 4.0));
	*c4 = dd_add(*c4, dd_mul(mu4, n));
}
