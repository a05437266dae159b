/*
 * dd.h — double-double ("dd") arithmetic: an unevaluated sum hi + lo of two
 * doubles, about 106 bits of significand.
 *
 * Why: the moments state must give regression coefficients that are nearly
 * exact for the double values it was fed, even for designs as ill-conditioned
 * as NIST's Filip (cond(X'X) ~ 1e15 after scaling).  Products of two doubles
 * are captured exactly (two_prod) and sums lose only ~1e-32 relative, so the
 * only error left is the rounding of the inputs themselves.
 *
 * Algorithms: Dekker (1971) and Knuth TAOCP vol. 2, as in Hida, Li & Bailey's
 * QD library.  These routines rely on strict IEEE double evaluation: the
 * build must not use -ffast-math or contract a*b+c into FMA behind our back
 * (-ffp-contract=off).
 *
 * Pure C, no PostgreSQL headers.
 */
#ifndef SURVEY_REG_DD_H
#define SURVEY_REG_DD_H

#include <math.h>

typedef struct dd
{
	double		hi;
	double		lo;
} dd;

static inline dd
dd_make(double hi, double lo)
{
	dd			r = {hi, lo};

	return r;
}

static inline dd
dd_from(double a)
{
	return dd_make(a, 0.0);
}

/* a + b exactly, as s + e (Knuth's TwoSum, no ordering assumed) */
static inline double
two_sum(double a, double b, double *e)
{
	double		s = a + b;
	double		bb = s - a;

	*e = (a - (s - bb)) + (b - bb);
	return s;
}

/* a + b exactly when |a| >= |b| (Dekker's FastTwoSum) */
static inline double
quick_two_sum(double a, double b, double *e)
{
	double		s = a + b;

	*e = b - (s - a);
	return s;
}

/* Veltkamp split of a into 26-bit halves, hi + lo == a exactly */
static inline void
dd_split(double a, double *hi, double *lo)
{
	double		t = 134217729.0 * a;	/* 2^27 + 1 */

	*hi = t - (t - a);
	*lo = a - *hi;
}

/*
 * a * b exactly, as p + e.  C99's fma() is exact on every platform (in
 * hardware where the CPU has it, in software otherwise) and, unlike Dekker's
 * splitting, does not overflow for |a| or |b| above ~1e300.  The per-row
 * kernel in moments_core.c has its own split-based build for CPUs without
 * FMA; both give the same bits.
 */
static inline double
two_prod(double a, double b, double *e)
{
	double		p = a * b;

	*e = fma(a, b, -p);
	return p;
}

static inline dd
dd_add(dd a, dd b)
{
	double		s,
				e,
				t,
				f;

	s = two_sum(a.hi, b.hi, &e);
	t = two_sum(a.lo, b.lo, &f);
	e += t;
	s = quick_two_sum(s, e, &e);
	e += f;
	s = quick_two_sum(s, e, &e);
	return dd_make(s, e);
}

static inline dd
dd_neg(dd a)
{
	return dd_make(-a.hi, -a.lo);
}

static inline dd
dd_sub(dd a, dd b)
{
	return dd_add(a, dd_neg(b));
}

static inline dd
dd_add_d(dd a, double b)
{
	double		s,
				e;

	s = two_sum(a.hi, b, &e);
	e += a.lo;
	s = quick_two_sum(s, e, &e);
	return dd_make(s, e);
}

/* exact difference of two doubles as a dd */
static inline dd
dd_diff_d(double a, double b)
{
	double		e;
	double		s = two_sum(a, -b, &e);

	return dd_make(s, e);
}

static inline dd
dd_mul(dd a, dd b)
{
	double		p,
				e;

	p = two_prod(a.hi, b.hi, &e);
	e += a.hi * b.lo + a.lo * b.hi;
	p = quick_two_sum(p, e, &e);
	return dd_make(p, e);
}

static inline dd
dd_mul_d(dd a, double b)
{
	double		p,
				e;

	p = two_prod(a.hi, b, &e);
	e += a.lo * b;
	p = quick_two_sum(p, e, &e);
	return dd_make(p, e);
}

static inline dd
dd_mul_dd_d(double a, double b)
{
	double		e;
	double		p = two_prod(a, b, &e);

	return dd_make(p, e);
}

static inline dd
dd_div(dd a, dd b)
{
	double		q1,
				q2,
				q3;
	dd			r;

	q1 = a.hi / b.hi;
	r = dd_sub(a, dd_mul_d(b, q1));
	q2 = r.hi / b.hi;
	r = dd_sub(r, dd_mul_d(b, q2));
	q3 = r.hi / b.hi;
	q1 = quick_two_sum(q1, q2, &q2);
	return dd_add_d(dd_make(q1, q2), q3);
}

static inline dd
dd_sqrt(dd a)
{
	double		x;

	if (a.hi <= 0.0)
		return dd_from(a.hi == 0.0 ? 0.0 : NAN);
	/* one Newton step from the double root (Karp's trick) */
	x = sqrt(a.hi);
	return dd_add_d(dd_from(x), dd_sub(a, dd_mul_dd_d(x, x)).hi / (2.0 * x));
}

static inline double
dd_to_double(dd a)
{
	return a.hi + a.lo;
}

/* a * s for s a power of two: exact barring underflow */
static inline dd
dd_scale2(dd a, double s)
{
	return dd_make(a.hi * s, a.lo * s);
}

/*
 * The power of two s with s^2 a in [1, 4), for a > 0: scaling a symmetric
 * matrix by it (rows and columns) is exact and brings its diagonal near 1.
 */
static inline double
pow2_unit_scale(double a)
{
	int			e;

	(void) frexp(a, &e);		/* a = f 2^e, f in [0.5, 1) */
	/* s = 2^t with e + 2t in {1, 2}: s^2 a = f 2^(e + 2t) in [1, 4) */
	return ldexp(1.0, (int) floor((2.0 - e) / 2.0));
}

/*
 * *hi + *lo += a_hi + a_lo lazily: the rounding error of the hi addition
 * goes to lo without renormalizing.  Exact enough for long sums (lo stays
 * far below hi's ulp times the number of terms) and free of the dependency
 * chain a full dd_add has; the moments state's running sums use it.
 */
static inline void
dd_lazy_add(double *hi, double *lo, double a_hi, double a_lo)
{
	double		e;

	*hi = two_sum(*hi, a_hi, &e);
	*lo += e + a_lo;
}

/*
 * d^3 and d^4 of d = dh + dl (|dl| <= ulp(dh)/2), each as p + e with a
 * relative error near 1e-30: the exact products of the hi parts plus the
 * first-order terms of dl and of the square's error.  The batch kernel
 * (moments_batch.c, shape_batch) evaluates the same expressions in the
 * same order, so a row gives the same bits on both paths.
 */
static inline void
dd_powers34(double dh, double dl, double *p3, double *e3, double *p4, double *e4)
{
	double		e2;
	double		p2 = two_prod(dh, dh, &e2);

	e2 += 2.0 * dh * dl;
	*p3 = two_prod(p2, dh, e3);
	*e3 += e2 * dh + p2 * dl;
	*p4 = two_prod(p2, p2, e4);
	*e4 += 2.0 * p2 * e2;
}

#endif							/* SURVEY_REG_DD_H */
