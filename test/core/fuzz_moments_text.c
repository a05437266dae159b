/*
 * fuzz_moments_text.c — malformed-input harness for the text form of the
 * moments state (src/core/moments_text.c), outside PostgreSQL.
 *
 *   make -f fuzz.mk run                  (from test/core; ASan + UBSan)
 *   ./fuzz_moments_text [cases] [seed]   default 100000 cases, seed 1
 *
 * Deterministic for a given seed.  Each case is a C string fed to
 * moments_from_text.  Cases come from these generators:
 *
 *   valid      texts of real states (moments_add_row / moments_merge over
 *              random data and awkward names), printed by moments_to_text
 *   bytes      random bytes
 *   tokens     random sequences of grammar tokens and junk
 *   truncate   every prefix of every small valid text
 *   mutate     one character replaced, inserted or deleted
 *   number     one number of a valid text replaced by a huge, tiny,
 *              negative, malformed or nan/inf-spelled one
 *   integer    the version, k, rows or flags field replaced
 *   names      names with escapes, quotes, separators, unterminated
 *   synth      a well-formed text built from scratch with numbers drawn
 *              from a pool of awkward values (mostly valid states)
 *
 * (States from data whose first- or second-order sums overflow are refused
 * by moments_finish, as the aggregates do, and are not used as bases.)
 *
 * For every case: a rejected text must come with an error message; an
 * accepted one must be a valid state (moments_validate), must print with
 * moments_to_text, and that text must be accepted again, reproduce the same
 * state bit for bit and print identically (the output of the type is always
 * valid input: dump/restore and Citus depend on it).  A valid text printed
 * by moments_to_text must be accepted and reprint as itself.  Accepted
 * states are also run through the analyses helpers (moments_n,
 * moments_mean, moments_centered, moments_central_powers, moments_name) and
 * moments_merge into a copy of themselves, which must not crash or trip the
 * sanitizers.
 *
 * Memory: every allocation of the code under test goes through a
 * calloc-based allocator that records it; all of a case's memory is freed
 * after the case, so LeakSanitizer sees no leaks.
 */
#include "moments_core.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------------- allocator ---------------- */

static void **allocs;
static size_t nallocs,
			capallocs;

static void *
fz_alloc(size_t size)
{
	void	   *p = calloc(1, size ? size : 1);

	if (p == NULL)
	{
		fprintf(stderr, "out of memory (%zu bytes)\n", size);
		exit(2);
	}
	if (nallocs == capallocs)
	{
		capallocs = capallocs ? 2 * capallocs : 64;
		allocs = realloc(allocs, capallocs * sizeof(void *));
		if (allocs == NULL)
			exit(2);
	}
	allocs[nallocs++] = p;
	return p;
}

static void
fz_free_all(void)
{
	size_t		i;

	for (i = 0; i < nallocs; i++)
		free(allocs[i]);
	nallocs = 0;
}

/* ---------------- random numbers (xorshift64*) ---------------- */

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static size_t
rnd_below(size_t n)
{
	return n ? (size_t) (rnd() % n) : 0;
}

static double
rnd_unit(void)
{
	return (double) (rnd() >> 11) / 9007199254740992.0;
}

/* ---------------- growable strings ---------------- */

typedef struct Str
{
	char	   *p;
	size_t		len,
				cap;
} Str;

static void
str_reserve(Str *s, size_t extra)
{
	if (s->len + extra + 1 > s->cap)
	{
		s->cap = 2 * (s->len + extra + 1);
		s->p = realloc(s->p, s->cap);
		if (s->p == NULL)
			exit(2);
	}
}

static void
str_addn(Str *s, const char *t, size_t n)
{
	str_reserve(s, n);
	memcpy(s->p + s->len, t, n);
	s->len += n;
	s->p[s->len] = '\0';
}

static void
str_add(Str *s, const char *t)
{
	str_addn(s, t, strlen(t));
}

static void
str_addf(Str *s, const char *fmt,...)
{
	char		buf[512];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	str_add(s, buf);
}

static void
str_clear(Str *s)
{
	str_reserve(s, 0);
	s->len = 0;
	s->p[0] = '\0';
}

/* ---------------- results ---------------- */

enum
{
	G_VALID, G_BYTES, G_TOKENS, G_TRUNCATE, G_MUTATE, G_NUMBER, G_INTEGER,
	G_NAMES, G_SYNTH, NGEN
};
static const char *const gen_name[NGEN] = {
	"valid", "bytes", "tokens", "truncate", "mutate", "number", "integer",
	"names", "synth"
};
static long cases[NGEN],
			accepted[NGEN],
			failures;

/* distinct failure kinds, with the first (shortest seen) example of each */
#define MAX_KINDS 32
static struct
{
	const char *what;
	long		count;
	char	   *example;
	char	   *detail;
} kinds[MAX_KINDS];
static int	nkinds;

static void
fail(const char *what, const char *input, const char *detail)
{
	int			i;

	failures++;
	for (i = 0; i < nkinds; i++)
		if (strcmp(kinds[i].what, what) == 0)
			break;
	if (i == nkinds)
	{
		if (nkinds == MAX_KINDS)
			return;
		kinds[i].what = what;
		nkinds++;
	}
	kinds[i].count++;
	if (kinds[i].example == NULL || strlen(input) < strlen(kinds[i].example))
	{
		free(kinds[i].example);
		free(kinds[i].detail);
		kinds[i].example = strdup(input);
		kinds[i].detail = strdup(detail ? detail : "");
	}
}

static void
print_escaped(FILE *f, const char *s, size_t max)
{
	size_t		i;

	for (i = 0; s[i] && i < max; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c == '\\')
			fputs("\\\\", f);
		else if (c >= 32 && c < 127)
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
	if (s[i])
		fprintf(f, "... (%zu bytes)", strlen(s));
}

/* ---------------- the check of one case ---------------- */

static volatile double sink;	/* keeps the analyses from being optimized out */

static void
run_analyses(const MomentsState *m)
{
	int			k = m->k,
				i;
	dd			n = moments_n(m);
	dd		   *C = fz_alloc(sizeof(dd) * (size_t) k * k);
	size_t		size = moments_size(m->k, m->names_len);
	MomentsState *copy = fz_alloc(size);

	sink += n.hi;
	moments_centered(m, C);
	for (i = 0; i < k; i++)
	{
		dd			c2,
					c3,
					c4;
		dd			mean = moments_mean(m, i);

		moments_central_powers(m, i, &c2, &c3, &c4);
		sink += mean.hi + c2.hi + c3.hi + c4.hi + C[(size_t) i * k + i].hi;
		sink += (double) strlen(moments_name(m, i));
	}
	memcpy(copy, m, size);
	if (moments_same_vars(copy, m))
		sink += moments_merge(copy, m);
	moments_normalize(copy);
	sink += copy->n_hi;
}

/*
 * Two states hold the same value: same header fields and names, and every
 * double equal by value (so -0 and +0 are the same; moments_normalize maps
 * a -0 sum to +0 on a second pass, which is harmless).
 */
static int
same_state(const MomentsState *a, const MomentsState *b)
{
	MomentsArrays aa,
				ab;
	size_t		k = (size_t) a->k,
				nd,
				i;

	if (a->version != b->version || a->k != b->k
		|| a->names_len != b->names_len || a->flags != b->flags
		|| a->pending != b->pending || a->nrows != b->nrows
		|| a->n_hi != b->n_hi || a->n_lo != b->n_lo)
		return 0;
	moments_arrays(a, &aa);
	moments_arrays(b, &ab);
	if (memcmp(aa.names, ab.names, (size_t) a->names_len) != 0)
		return 0;
	nd = 9 * k + k * (k + 1);
	for (i = 0; i < nd; i++)
		if (aa.ref[i] != ab.ref[i])
			return 0;
	return 1;
}

/*
 * canonical: the text was printed by moments_to_text from a valid state, so
 * it must be accepted and reprint as itself
 */
static void
check_case(int gen, const char *text, int canonical)
{
	const char *err = NULL;
	MomentsState *m;

	cases[gen]++;
	m = moments_from_text(text, fz_alloc, &err);
	if (m == NULL)
	{
		if (err == NULL || *err == '\0')
			fail("rejected without an error message", text, NULL);
		if (canonical)
			fail("output of moments_to_text rejected", text, err);
	}
	else
	{
		const char *verr;
		char	   *t1,
				   *t2;
		MomentsState *m2;

		accepted[gen]++;
		if (err != NULL)
			fail("accepted with an error message", text, err);
		verr = moments_validate(m);
		if (verr)
			fail("accepted text gives a state that fails moments_validate",
				 text, verr);
		t1 = moments_to_text(m, fz_alloc);
		if (t1 == NULL)
		{
			/* NULL means overflow; an accepted state must print */
			fail("accepted state cannot be printed (moments_to_text NULL)",
				 text, NULL);
			run_analyses(m);
			fz_free_all();
			return;
		}
		if (canonical && strcmp(t1, text) != 0)
			fail("canonical text does not reprint as itself", text, t1);
		m2 = moments_from_text(t1, fz_alloc, &err);
		if (m2 == NULL)
			fail("printed form of an accepted state is rejected", text, err);
		else
		{
			if (!same_state(m, m2))
				fail("printed form re-reads as a different state", text, t1);
			t2 = moments_to_text(m2, fz_alloc);
			if (strcmp(t1, t2) != 0)
				fail("printed form does not reprint as itself", text, t1);
		}
		run_analyses(m);
	}
	fz_free_all();
}

/* ---------------- valid states ---------------- */

#define NBASE 40
static char *base[NBASE];		/* malloc'ed valid texts */
static int	nbase;

static const char *const awkward_names[] = {
	"x", "y", "a b", "quote\"d", "back\\slash", "\\", "\"", "\\\"", "\"\\",
	"k=2", "n=1:0", " ref=", ",", "a,b", ":", "=", "v1", "\xc3\xa6\xc3\xb8\xc3\xa5",
	"tab\there", "new\nline", "\x7f\x01", "x1", "x2", "x3", "very long name of a variable",
	"\"\"\"", "\\\\\\", "s2=0:0"
};
#define NAWKWARD (sizeof(awkward_names) / sizeof(awkward_names[0]))

static double
random_value(int style)
{
	double		z = (rnd_unit() - 0.5) * 6;

	switch (style)
	{
		case 0:
			return z;
		case 1:
			return 1e9 + z;		/* far from zero */
		case 2:
			return (double) (int) (z * 3);	/* small integers, ties */
		case 3:
			return z * 1e-300;	/* tiny */
		case 4:
			return z * 1e150;	/* huge (squares near overflow) */
		case 5:
			return -1e6 + z * 1e-3;
		default:
			return 42.0;		/* constant: zero variance */
	}
}

/* a state over k variables with random rows, printed; NULL on failure */
static char *
make_valid_text(int k, int rows, const char *const *names, int weighted,
				int split_merge, int flags)
{
	size_t		names_len = 0;
	MomentsState *m,
			   *m2;
	double	   *x = fz_alloc(sizeof(double) * k);
	double	   *scratch = fz_alloc(sizeof(double) * 6 * k);
	int			style[8];
	int			i,
				r;
	char	   *text,
			   *out;
	const char *err;

	for (i = 0; i < k; i++)
		names_len += strlen(names[i]) + 1;
	m = fz_alloc(moments_size(k, (int) names_len));
	moments_init(m, k, names);
	m2 = fz_alloc(moments_size(k, (int) names_len));
	moments_init(m2, k, names);
	for (i = 0; i < 8; i++)
		style[i] = (int) rnd_below(7);
	for (r = 0; r < rows; r++)
	{
		double		w = 1.0;

		if (weighted)
		{
			w = (double) (1 + rnd_below(4));
			if (rnd_below(2))
				w *= 0.37;
		}

		for (i = 0; i < k; i++)
			x[i] = random_value(style[i % 8]);
		moments_add_row(split_merge && r % 2 ? m2 : m, x, w, scratch);
	}
	if (split_merge && moments_merge(m, m2) != 0)
	{
		fz_free_all();
		return NULL;
	}
	m->flags |= flags;
	/* what every aggregate's final function does; -1: values too large */
	if (moments_finish(m) != 0)
	{
		fz_free_all();
		return NULL;
	}
	text = moments_to_text(m, fz_alloc);
	/* sanity of the generator itself: a real state must read back */
	if (moments_from_text(text, fz_alloc, &err) == NULL)
	{
		fail("output of moments_to_text rejected", text, err);
		out = NULL;
	}
	else
		out = strdup(text);
	fz_free_all();
	return out;
}

static void
make_bases(void)
{
	const char *names[8];
	int			b;

	for (b = 0; b < NBASE - 2; b++)
	{
		int			k = 1 + (int) rnd_below(b < 20 ? 3 : 6);
		int			rows = b % 7 == 0 ? 0 : (int) rnd_below(b % 3 ? 5 : 40) + 1;
		int			i;
		char	   *t;

		for (i = 0; i < k; i++)
		{
			/* unique names: an awkward one with the index appended */
			static char buf[8][64];

			snprintf(buf[i], sizeof(buf[i]), "%s%d",
					 awkward_names[rnd_below(NAWKWARD)], i);
			names[i] = buf[i];
		}
		t = make_valid_text(k, rows, names, b % 2, b % 5 == 1,
							rows > 0 && b % 11 == 3 ? MOMENTS_FLAG_SUMMARY : 0);
		if (t)
			base[nbase++] = t;
	}
}

/*
 * States at the limits of the text form's size: MOMENTS_MAX_K variables, and
 * names of MOMENTS_MAX_NAME bytes made of quotes and backslashes (each
 * doubled when printed).  Not both at once: moments_validate's duplicate-name
 * check is cubic in k (it walks the names from the start for every pair):
 * ~2 s per k = 1000 text with short names, ~7-9 s with 1000-byte names.
 */
static char *
make_max_text(int k, size_t name_len)
{
	const char **names = calloc((size_t) k, sizeof(char *));
	char	   *t;
	int			i;

	for (i = 0; i < k; i++)
	{
		char	   *nm = malloc(name_len + 1);
		char		num[16];
		int			len = snprintf(num, sizeof(num), "%d", i);

		/* the index first keeps the names unique */
		memset(nm, i % 2 ? '"' : '\\', name_len);
		memcpy(nm, num, (size_t) len < name_len ? (size_t) len : name_len);
		nm[name_len] = '\0';
		names[i] = nm;
	}
	t = make_valid_text(k, 3, names, 1, 1, 0);
	for (i = 0; i < k; i++)
		free((void *) names[i]);
	free(names);
	return t;
}

/* ---------------- generators ---------------- */

static Str s;

static void
gen_bytes(void)
{
	size_t		len = rnd_below(rnd_below(4) ? 64 : 600);
	size_t		i;

	str_clear(&s);
	if (rnd_below(2))
		str_add(&s, rnd_below(2) ? "v1 k=" : "v1 k=1 rows=1 flags=0 names=");
	for (i = 0; i < len; i++)
	{
		char		c = (char) (1 + rnd_below(255));

		str_addn(&s, &c, 1);
	}
	check_case(G_BYTES, s.p, 0);
}

static const char *const tokens[] = {
	"v1", "v", "v0", "v2", " k=", "k=", "1", "2", "3", "0", "1000", "1001",
	" rows=", " flags=", " names=", "\"a\"", "\"b\"", "\"", "\\", "\\\"",
	",", ":", " n=", " ref=", " s1=", " s2=", " s3=", " s4=", " min=",
	" max=", "1e308", "-0", "nan", "inf", "1.5", "-3", " ", "\n", "\t", "e",
	".", "-", "+", "0:0", "1:0", "9223372036854775807", "-1", "\xff", "=",
	"x", "1e-320", "2.5e-324", "0x10", "1,1", "\"a\",\"b\""
};
#define NTOKENS (sizeof(tokens) / sizeof(tokens[0]))

static void
gen_tokens(void)
{
	size_t		n = 1 + rnd_below(60);
	size_t		i;

	str_clear(&s);
	if (rnd_below(3))
		str_add(&s, "v1 k=1 rows=1 flags=0 names=\"a\"");
	for (i = 0; i < n; i++)
		str_add(&s, tokens[rnd_below(NTOKENS)]);
	check_case(G_TOKENS, s.p, 0);
}

static void
gen_truncations(const char *text)
{
	size_t		len = strlen(text);
	size_t		i;

	for (i = 0; i < len; i++)
	{
		str_clear(&s);
		str_addn(&s, text, i);
		check_case(G_TRUNCATE, s.p, 0);
	}
}

static const char mutate_chars[] = "0123456789.-+eE:,= \"\\nvkx\t";

static void
gen_mutate(const char *text)
{
	size_t		len = strlen(text);
	size_t		pos = rnd_below(len + 1);
	int			op = (int) rnd_below(3);
	char		c = rnd_below(4) ? mutate_chars[rnd_below(sizeof(mutate_chars) - 1)]
		: (char) (1 + rnd_below(255));

	str_clear(&s);
	str_addn(&s, text, pos);
	if (op == 0 && pos < len)
	{
		str_addn(&s, &c, 1);	/* replace */
		str_add(&s, text + pos + 1);
	}
	else if (op == 1)
	{
		str_addn(&s, &c, 1);	/* insert */
		str_add(&s, text + pos);
	}
	else if (pos < len)
		str_add(&s, text + pos + 1);	/* delete */
	else
		str_add(&s, text + pos);
	check_case(G_MUTATE, s.p, 0);
}

static const char *const numbers[] = {
	/* huge, tiny and at the edges */
	"1e308", "-1e308", "1.7976931348623157e308", "1.7976931348623159e308",
	"1e309", "-1e309", "1e99999", "1e-400", "4.9406564584124654e-324",
	"2.2250738585072014e-308", "1e-320", "-1e-320",
	"123456789012345678901234567890123456789012345678901234567890123",
	"1234567890123456789012345678901234567890123456789012345678901234",
	"0.00000000000000000000000000000000000000000000000000000000000001",
	"99999999999999999999", "9e18", "1e19",
	/* nan / inf spellings */
	"nan", "NaN", "-nan", "NAN", "nan(0x7ff)", "inf", "-inf", "Inf",
	"INF", "infinity", "Infinity", "-Infinity", "+inf",
	/* malformed */
	"", "-", "+", ".", "e", "e5", "1e", "1e+", "1.2.3", "--1", "+-1", "1-",
	"0x1p3", "0X10", "1e5e5", "1_000", " 1", "1 ", "١",
	/* ordinary, negative and signed zero */
	"0", "-0", "+1", "1", "-1", "-5", "2", "0.5", "-0.5", "1e300", "-1e300",
	"1e-300", "3.0000000000000004", "1e16", "-1e16"
};
#define NNUMBERS (sizeof(numbers) / sizeof(numbers[0]))

static int
is_num_char(char c)
{
	return (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+'
		|| c == 'e' || c == 'E';
}

/* replace the idx-th number after " n=" (numbers only, not names) */
static void
gen_number(const char *text)
{
	const char *body = strstr(text, "\" n=");
	size_t		count = 0,
				target,
				i;
	const char *p;

	if (body == NULL)
		return;
	body += 2;
	/* count numbers: maximal runs of number characters after '=' ':' ',' */
	for (p = body; *p; p++)
		if ((p[-1] == '=' || p[-1] == ':' || p[-1] == ',') && is_num_char(*p))
			count++;
	target = rnd_below(count);
	str_clear(&s);
	str_addn(&s, text, (size_t) (body - text));
	i = 0;
	for (p = body; *p;)
	{
		if ((p[-1] == '=' || p[-1] == ':' || p[-1] == ',') && is_num_char(*p))
		{
			const char *q = p;

			while (is_num_char(*q))
				q++;
			if (i++ == target)
				str_add(&s, numbers[rnd_below(NNUMBERS)]);
			else
				str_addn(&s, p, (size_t) (q - p));
			p = q;
		}
		else
			str_addn(&s, p++, 1);
	}
	check_case(G_NUMBER, s.p, 0);
}

static const char *const integers[] = {
	"0", "1", "2", "3", "999", "1000", "1001", "-1", "01", "000000000000000001",
	"999999999999999999", "9999999999999999999", "9223372036854775807",
	"9223372036854775808", "18446744073709551616", "2147483647", "2147483648",
	"4294967297", "", "1e3", "+1", " 1", "0x1"
};
#define NINTEGERS (sizeof(integers) / sizeof(integers[0]))

static void
gen_integer(const char *text)
{
	static const char *const fields[] = {"v", " k=", " rows=", " flags="};
	const char *f = fields[rnd_below(4)];
	const char *p = strstr(text, f);
	const char *q;

	if (p == NULL)
		return;
	p += strlen(f);
	for (q = p; *q >= '0' && *q <= '9'; q++)
		;
	str_clear(&s);
	str_addn(&s, text, (size_t) (p - text));
	str_add(&s, integers[rnd_below(NINTEGERS)]);
	str_add(&s, q);
	check_case(G_INTEGER, s.p, 0);
}

static const char *const name_texts[] = {
	"\"a\"", "\"\\\"\"", "\"\\\\\"", "\"\\n\"", "\"\\x\"", "\"\\\"", "\"a\\\"",
	"\"", "\"\"", "\"a\"\"b\"", "\"a\",\"a\"", "\"a\",", ",\"a\"", "a",
	"\"a\" ", "\"a\",\"b\"", "\"a\",\"b\",\"c\"", "\"\\\\\\\"\"", "\"\\\"\\\"\"",
	"\"a\\", "\"\xc3\xa6\"", "\"\x01\"", "\" n=1:0\"", "\"a\",\"b\\\"",
	"\"a\"\"", "\"\\\"a\\\"\""
};
#define NNAMETEXTS (sizeof(name_texts) / sizeof(name_texts[0]))

/* replace the names block of a valid text */
static void
gen_names(const char *text)
{
	const char *p = strstr(text, " names=");
	const char *q = strstr(text, " n=");
	int			parts = 1 + (int) rnd_below(3),
				i;

	if (p == NULL || q == NULL)
		return;
	/* find the " n=" that ends the names: the last one before " ref=" */
	{
		const char *r = strstr(text, " ref=");
		const char *t;

		for (t = q; t && t < r; t = strstr(t + 1, " n="))
			q = t;
	}
	p += strlen(" names=");
	str_clear(&s);
	str_addn(&s, text, (size_t) (p - text));
	for (i = 0; i < parts; i++)
	{
		if (i > 0 && rnd_below(2))
			str_add(&s, ",");
		str_add(&s, name_texts[rnd_below(NNAMETEXTS)]);
	}
	/* a long name now and then (MOMENTS_MAX_NAME is the limit) */
	if (rnd_below(20) == 0)
	{
		size_t		len = MOMENTS_MAX_NAME - 2 + rnd_below(5);
		size_t		j;

		str_add(&s, ",\"");
		for (j = 0; j < len; j++)
			str_add(&s, rnd_below(2) ? "\\\\" : "z");
		str_add(&s, "\"");
	}
	str_add(&s, q);
	check_case(G_NAMES, s.p, 0);
}

/* pool for synthetic states: mostly plausible, some awkward */
static const char *
synth_number(void)
{
	static const char *const pool[] = {
		"0", "-0", "1", "2", "0.5", "-1", "1e-300", "4.9406564584124654e-324",
		"1e300", "1.7976931348623157e308", "-1.7976931348623157e308", "3",
		"1e16", "-1e16", "1e-16", "1e154", "1e155", "0.1"
	};

	return pool[rnd_below(sizeof(pool) / sizeof(pool[0]))];
}

static void
gen_synth(void)
{
	int			k = 1 + (int) rnd_below(3);
	size_t		pairs = (size_t) k * (k + 1) / 2;
	int			i;
	int			empty = rnd_below(8) == 0;
	static const char *const keys[] = {" s1=", " s2=", " s3=", " s4="};
	int			key;

	const char *rows,
			   *n_hi,
			   *n_lo;
	int			flags;

	/* one draw per statement: argument evaluation order is unspecified */
	if (empty)
		rows = "0";
	else if (rnd_below(4))
		rows = integers[1 + rnd_below(3)];
	else
		rows = integers[rnd_below(NINTEGERS)];
	flags = (int) rnd_below(4);
	str_clear(&s);
	str_addf(&s, "v1 k=%d rows=%s flags=%d names=", k, rows, flags);
	for (i = 0; i < k; i++)
		str_addf(&s, "%s\"v%d\"", i ? "," : "", i);
	/* n: positive, tiny, huge, or with a lo that outweighs hi */
	if (empty)
		str_add(&s, " n=0:0");
	else
	{
		n_hi = rnd_below(2) ? "1" : synth_number();
		n_lo = rnd_below(2) ? "0" : synth_number();
		str_addf(&s, " n=%s:%s", n_hi, n_lo);
	}
	/* ref within min..max: ref = min = max = c, or min < ref < max */
	{
		const char *c = empty ? "0" : synth_number();
		Str			mins = {0},
					maxs = {0};

		str_add(&s, " ref=");
		str_add(&mins, "");
		str_add(&maxs, "");
		for (i = 0; i < k; i++)
		{
			str_addf(&s, "%s%s", i ? "," : "", c);
			str_addf(&mins, "%s%s", i ? "," : "", empty ? "0" : rnd_below(2) ? c : "-1.7976931348623157e308");
			str_addf(&maxs, "%s%s", i ? "," : "", empty ? "0" : rnd_below(2) ? c : "1.7976931348623157e308");
		}
		for (key = 0; key < 4; key++)
		{
			size_t		len = key == 1 ? pairs : (size_t) k;
			size_t		j;

			str_add(&s, keys[key]);
			for (j = 0; j < len; j++)
			{
				const char *hi = empty ? "0" : synth_number();
				const char *lo = empty ? "0" : rnd_below(2) ? "0" : synth_number();

				/* the validator wants non-negative squares' hi */
				if ((key == 3 || (key == 1 && rnd_below(2))) && hi[0] == '-')
					hi = hi + 1;
				str_addf(&s, "%s%s:%s", j ? "," : "", hi, lo);
			}
		}
		str_add(&s, " min=");
		str_add(&s, mins.p);
		str_add(&s, " max=");
		str_add(&s, maxs.p);
		free(mins.p);
		free(maxs.p);
	}
	check_case(G_SYNTH, s.p, 0);
}

/* ---------------- main ---------------- */

int
main(int argc, char **argv)
{
	long		target = argc > 1 ? atol(argv[1]) : 100000;
	uint64_t	seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
	struct timespec t0,
				t1;
	long		total = 0;
	char	   *maxtext;
	int			b,
				g,
				i;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rng_state = seed * UINT64_C(0x9E3779B97F4A7C15) + 1;

	make_bases();
	for (b = 0; b < nbase; b++)
		check_case(G_VALID, base[b], 1);

	/* the largest states: accepted, reprinted, a few damaged copies */
	for (i = 0; i < 2; i++)
	{
		int			j;

		maxtext = i == 0 ? make_max_text(MOMENTS_MAX_K, 6)
			: make_max_text(40, MOMENTS_MAX_NAME);
		if (maxtext == NULL)
			continue;
		check_case(G_VALID, maxtext, 1);
		/* (each accepted k = 1000 text costs ~2 s in moments_validate) */
		for (j = 0; i > 0 && j < 4; j++)
			gen_mutate(maxtext);
		str_clear(&s);
		str_addn(&s, maxtext, strlen(maxtext) / 2);
		check_case(G_TRUNCATE, s.p, 0);
		free(maxtext);
	}

	/* every prefix of the small valid texts */
	for (b = 0; b < nbase; b++)
		if (strlen(base[b]) < 3000)
			gen_truncations(base[b]);

	for (g = 0; g < NGEN; g++)
		total += cases[g];
	while (total < target)
	{
		const char *t = base[rnd_below(nbase)];

		switch (rnd_below(16))
		{
			case 0:
			case 1:
				gen_bytes();
				break;
			case 2:
			case 3:
				gen_tokens();
				break;
			case 4:
			case 5:
			case 6:
			case 7:
				gen_mutate(t);
				break;
			case 8:
			case 9:
			case 10:
				gen_number(t);
				break;
			case 11:
				gen_integer(t);
				break;
			case 12:
			case 13:
				gen_names(t);
				break;
			default:
				gen_synth();
				break;
		}
		total = 0;
		for (g = 0; g < NGEN; g++)
			total += cases[g];
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	printf("fuzz_moments_text: seed %llu, %ld cases in %.2f s\n",
		   (unsigned long long) seed, total,
		   (double) (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	for (g = 0; g < NGEN; g++)
		printf("  %-9s %7ld cases, %6ld accepted\n", gen_name[g], cases[g],
			   accepted[g]);
	for (i = 0; i < nkinds; i++)
	{
		printf("FAIL (%ld cases): %s\n  shortest input: ", kinds[i].count,
			   kinds[i].what);
		print_escaped(stdout, kinds[i].example, 400);
		printf("\n  detail: ");
		print_escaped(stdout, kinds[i].detail, 400);
		printf("\n");
		free(kinds[i].example);
		free(kinds[i].detail);
	}
	for (b = 0; b < nbase; b++)
		free(base[b]);
	free(s.p);
	free(allocs);
	printf("%s: %ld failures\n", failures ? "FAILED" : "passed", failures);
	return failures ? 1 : 0;
}
