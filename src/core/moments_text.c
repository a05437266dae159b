/*
 * moments_text.c — the text form of the moments state, and the validation
 * shared by every way a state enters (text input, binary input).
 *
 * The text form is what Citus ships between nodes for partial aggregation,
 * so it must reproduce every bit: doubles are printed with 17 significant
 * digits (always enough to round-trip an IEEE double) and each double-double
 * sum as hi:lo.  Example for k = 2:
 *
 *   v1 k=2 rows=3 flags=0 names="x","y" n=3:0 ref=1,2 s1=..:..,..:.. s2=... s3=...
 *   s4=... min=... max=...        (one line; s2 is the packed upper triangle)
 *
 * The parser accepts exactly that grammar (no extra whitespace inside) and
 * rejects non-finite numbers; a malformed or inconsistent text is an error,
 * never a crash.  It uses only the C library, so it is fuzzed as it is.
 */
#include "moments_core.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------- output ---------------- */

typedef struct OutBuf
{
	char	   *p;
} OutBuf;

static void
put_str(OutBuf *o, const char *s)
{
	size_t		len = strlen(s);

	memcpy(o->p, s, len);
	o->p += len;
}

static void
put_double(OutBuf *o, double v)
{
	/* "%.17g" of a finite double is at most 24 characters */
	o->p += snprintf(o->p, 32, "%.17g", v);
}

static void
put_doubles(OutBuf *o, const char *key, const double *v, size_t len)
{
	size_t		i;

	put_str(o, key);
	for (i = 0; i < len; i++)
	{
		if (i > 0)
			put_str(o, ",");
		put_double(o, v[i]);
	}
}

static void
put_dds(OutBuf *o, const char *key, const double *hi, const double *lo,
		size_t len)
{
	size_t		i;

	put_str(o, key);
	for (i = 0; i < len; i++)
	{
		if (i % 1024 == 0)
			MOMENTS_CHECK_INTERRUPTS();
		if (i > 0)
			put_str(o, ",");
		put_double(o, hi[i]);
		put_str(o, ":");
		put_double(o, lo[i]);
	}
}

char *
moments_to_text(const MomentsState *m_in, moments_alloc_fn alloc)
{
	size_t		k = (size_t) m_in->k;
	size_t		pairs = k * (k + 1) / 2;
	size_t		size = moments_size(m_in->k, m_in->names_len);
	MomentsState *m = alloc(size);
	MomentsArrays a;
	size_t		bound;
	char	   *buf;
	OutBuf		o;
	const char *q;
	size_t		i;

	/* print the canonical (normalized) form, leaving the input untouched */
	memcpy(m, m_in, size);
	if (moments_finish(m) != 0)
		return NULL;
	moments_normalize(m);
	moments_arrays(m, &a);

	/* 26 bytes a double plus separators; names escaped at most 2x + 3 */
	bound = 128 + 26 * (2 + 2 * (2 * k + pairs + 2 * k) + 3 * k)
		+ 2 * (size_t) m->names_len + 3 * k;
	buf = alloc(bound);
	o.p = buf;

	o.p += snprintf(o.p, 96, "v%u k=%d rows=%lld flags=%d names=",
					(unsigned) m->version, (int) m->k, (long long) m->nrows,
					(int) m->flags);
	q = a.names;
	for (i = 0; i < k; i++)
	{
		if (i > 0)
			*o.p++ = ',';
		*o.p++ = '"';
		for (; *q; q++)
		{
			if (*q == '"' || *q == '\\')
				*o.p++ = '\\';
			*o.p++ = *q;
		}
		q++;
		*o.p++ = '"';
	}
	put_dds(&o, " n=", &m->n_hi, &m->n_lo, 1);
	put_doubles(&o, " ref=", a.ref, k);
	put_dds(&o, " s1=", a.s1_hi, a.s1_lo, k);
	put_dds(&o, " s2=", a.s2_hi, a.s2_lo, pairs);
	put_dds(&o, " s3=", a.s3_hi, a.s3_lo, k);
	put_dds(&o, " s4=", a.s4_hi, a.s4_lo, k);
	put_doubles(&o, " min=", a.min, k);
	put_doubles(&o, " max=", a.max, k);
	*o.p = '\0';
	return buf;
}

/* ---------------- input ---------------- */

typedef struct Parser
{
	const char *p;
	const char *err;
} Parser;

static int
expect(Parser *ps, const char *lit)
{
	size_t		len = strlen(lit);

	if (ps->err)
		return 0;
	if (strncmp(ps->p, lit, len) != 0)
	{
		ps->err = "unexpected text";
		return 0;
	}
	ps->p += len;
	return 1;
}

static long long
parse_int(Parser *ps, long long lo, long long hi)
{
	long long	v = 0;
	int			digits = 0;

	if (ps->err)
		return 0;
	while (*ps->p >= '0' && *ps->p <= '9')
	{
		int			d = *ps->p++ - '0';

		digits++;
		if (v > (INT64_MAX - d) / 10)
		{
			ps->err = "integer out of range";
			return 0;
		}
		v = v * 10 + d;
	}
	if (digits == 0)
		ps->err = "integer expected";
	else if (v < lo || v > hi)
		ps->err = "integer out of range";
	return v;
}

/* any non-zero digit before the exponent? */
static int
nonzero_mantissa(const char *t)
{
	for (; *t && *t != 'e' && *t != 'E'; t++)
		if (*t >= '1' && *t <= '9')
			return 1;
	return 0;
}

static double
parse_double(Parser *ps)
{
	char		tmp[64];
	size_t		len = 0;
	char	   *end;
	double		v;

	if (ps->err)
		return 0.0;
	/* only plain decimal notation: no nan, inf, hex or whitespace */
	while (strchr("+-.0123456789eE", ps->p[len]) && ps->p[len] != '\0')
	{
		if (len >= sizeof(tmp) - 1)
		{
			ps->err = "number too long";
			return 0.0;
		}
		tmp[len] = ps->p[len];
		len++;
	}
	tmp[len] = '\0';
	if (len == 0)
	{
		ps->err = "number expected";
		return 0.0;
	}
	errno = 0;
	v = strtod(tmp, &end);
	if (end != tmp + len)
		ps->err = "invalid number";
	else if (!isfinite(v))
		ps->err = "number out of range";
	else if (errno == ERANGE && v == 0.0 && nonzero_mantissa(tmp))
		ps->err = "number out of range";	/* underflow, as float8in */
	ps->p += len;
	return v;
}

static void
parse_doubles(Parser *ps, const char *key, double *v, size_t len)
{
	size_t		i;

	expect(ps, key);
	for (i = 0; i < len && !ps->err; i++)
	{
		if (i > 0)
			expect(ps, ",");
		v[i] = parse_double(ps);
	}
}

static void
parse_dds(Parser *ps, const char *key, double *hi, double *lo, size_t len)
{
	size_t		i;

	expect(ps, key);
	for (i = 0; i < len && !ps->err; i++)
	{
		if (i % 1024 == 0)
			MOMENTS_CHECK_INTERRUPTS();
		if (i > 0)
			expect(ps, ",");
		hi[i] = parse_double(ps);
		expect(ps, ":");
		lo[i] = parse_double(ps);
	}
}

/*
 * Scan the quoted names once to measure them (first pass, out == NULL) or
 * to copy them unescaped (second pass).
 */
static int
scan_names(Parser *ps, int k, char *out)
{
	int			total = 0;
	int			i;

	for (i = 0; i < k && !ps->err; i++)
	{
		int			len = 0;

		if (i > 0)
			expect(ps, ",");
		expect(ps, "\"");
		while (!ps->err && *ps->p != '"')
		{
			if (*ps->p == '\0')
			{
				ps->err = "unterminated name";
				break;
			}
			if (*ps->p == '\\')
			{
				ps->p++;
				if (*ps->p != '"' && *ps->p != '\\')
				{
					ps->err = "invalid escape in name";
					break;
				}
			}
			if (out)
				*out++ = *ps->p;
			ps->p++;
			if (++len > MOMENTS_MAX_NAME)
				ps->err = "name too long";
		}
		expect(ps, "\"");
		if (out)
			*out++ = '\0';
		total += len + 1;
	}
	return total;
}

MomentsState *
moments_from_text(const char *text, moments_alloc_fn alloc, const char **err)
{
	Parser		ps = {text, NULL};
	MomentsState *m;
	MomentsArrays a;
	long long	version,
				k,
				rows,
				flags;
	const char *names_start;
	int			names_len;
	size_t		pairs;

	*err = NULL;
	while (*ps.p == ' ' || *ps.p == '\t' || *ps.p == '\n' || *ps.p == '\r')
		ps.p++;
	expect(&ps, "v");
	version = parse_int(&ps, 1, 1000);
	if (!ps.err && version != MOMENTS_VERSION)
		ps.err = "unsupported version";
	expect(&ps, " k=");
	k = parse_int(&ps, 1, MOMENTS_MAX_K);
	expect(&ps, " rows=");
	rows = parse_int(&ps, 0, INT64_MAX);
	expect(&ps, " flags=");
	flags = parse_int(&ps, 0, MOMENTS_FLAGS_ALL);
	expect(&ps, " names=");
	if (ps.err)
	{
		*err = ps.err;
		return NULL;
	}
	names_start = ps.p;
	names_len = scan_names(&ps, (int) k, NULL);
	if (ps.err)
	{
		*err = ps.err;
		return NULL;
	}

	m = alloc(moments_size((int) k, names_len));
	m->version = MOMENTS_VERSION;
	m->k = (int32_t) k;
	m->names_len = names_len;
	m->nrows = rows;
	m->flags = (int32_t) flags;
	moments_arrays(m, &a);
	ps.p = names_start;
	scan_names(&ps, (int) k, a.names);

	pairs = (size_t) k * (k + 1) / 2;
	parse_dds(&ps, " n=", &m->n_hi, &m->n_lo, 1);
	parse_doubles(&ps, " ref=", a.ref, k);
	parse_dds(&ps, " s1=", a.s1_hi, a.s1_lo, k);
	parse_dds(&ps, " s2=", a.s2_hi, a.s2_lo, pairs);
	parse_dds(&ps, " s3=", a.s3_hi, a.s3_lo, k);
	parse_dds(&ps, " s4=", a.s4_hi, a.s4_lo, k);
	parse_doubles(&ps, " min=", a.min, k);
	parse_doubles(&ps, " max=", a.max, k);
	if (!ps.err)
	{
		while (*ps.p == ' ' || *ps.p == '\t' || *ps.p == '\n' || *ps.p == '\r')
			ps.p++;
		if (*ps.p != '\0')
			ps.err = "trailing text";
	}
	/*
	 * Normalize before validating: a lo part larger than its hi part would
	 * otherwise pass the checks and change the value afterwards.
	 */
	if (!ps.err)
	{
		moments_normalize(m);
		ps.err = moments_validate(m);
	}
	if (ps.err)
	{
		*err = ps.err;
		return NULL;				/* caller's allocator owns m */
	}
	return m;
}

static int
all_finite(const double *v, size_t len)
{
	size_t		i;

	for (i = 0; i < len; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

const char *
moments_validate(const MomentsState *m)
{
	MomentsArrays a;
	size_t		k,
				pairs,
				i;
	const char *q,
			   *end;
	int			count;

	if (m->version != MOMENTS_VERSION)
		return "unsupported version";
	if (m->k < 1 || m->k > MOMENTS_MAX_K)
		return "number of variables out of range";
	if (m->nrows < 0)
		return "negative row count";
	if ((m->flags & ~MOMENTS_FLAGS_ALL) != 0)
		return "invalid flags";
	if (m->pending != 0)
		return "buffered rows in a stored value";
	k = (size_t) m->k;
	pairs = k * (k + 1) / 2;
	if (m->names_len < 2 * m->k || m->names_len > m->k * (MOMENTS_MAX_NAME + 1))
		return "invalid names";
	moments_arrays(m, &a);

	/* names: k non-empty NUL-terminated strings exactly filling the block */
	q = a.names;
	end = a.names + m->names_len;
	for (count = 0; q < end; count++)
	{
		const char *z = memchr(q, '\0', (size_t) (end - q));

		if (z == NULL || z == q)
			return "invalid names";
		q = z + 1;
	}
	if (count != m->k)
		return "invalid names";
	/* O(k^2) comparisons, walking the block once per name */
	for (q = a.names; q < end; q += strlen(q) + 1)
	{
		const char *r;

		MOMENTS_CHECK_INTERRUPTS();
		for (r = q + strlen(q) + 1; r < end; r += strlen(r) + 1)
			if (strcmp(q, r) == 0)
				return "duplicate variable name";
	}

	/* every number finite: the arrays are contiguous from ref to max */
	if (!isfinite(m->n_hi) || !isfinite(m->n_lo)
		|| !all_finite(a.ref, 9 * k + 2 * pairs))
		return "non-finite number";
	if (m->n_hi < 0.0)
		return "negative sum of weights";
	if ((m->nrows == 0) != (m->n_hi == 0.0))
		return "row count and sum of weights disagree";
	if (m->nrows == 0)
	{
		if (m->n_lo != 0.0)
			return "empty state with non-zero sums";
		for (i = 0; i < 9 * k + 2 * pairs; i++)
			if (a.ref[i] != 0.0)
				return "empty state with non-zero sums";
		return NULL;
	}
	for (i = 0; i < k; i++)
	{
		if (!(a.min[i] <= a.ref[i] && a.ref[i] <= a.max[i]))
			return "reference row outside minimum and maximum";
		if (a.s2_hi[moments_tri((int) k, (int) i, (int) i)] < 0.0
			|| a.s4_hi[i] < 0.0)
			return "negative sum of squares";
	}
	return NULL;
}
