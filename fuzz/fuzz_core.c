/*
 * fuzz_core.c — libFuzzer harness for the pure-C numeric core: update
 * (moments_add_row into state A, the batched moments_push_row/moments_flush
 * the aggregates use into state B), merge (moments_merge) and the solves on
 * the result (ols_fit_blocks, rel_analyze, rel_alpha, moments_centered, ...).
 *
 * Input: byte 0 gives k (1..8); then a program of operations on two states
 * A and B, one byte each:
 *
 *   op % 8 = 0..3  add a row to A (0, 1, 2) or B (3): k values and, for
 *                  odd ops, a weight, each an 8-byte double read
 *                  raw (any bits: NaN, Inf, denormals, 1e308) or, when
 *                  the byte before it is odd, picked from a pool of
 *                  awkward values (0, -0, 1e150, 1e154, DBL_MIN, a
 *                  denormal, 1e9 + 0.5, ...)
 *            4     merge B into A        5   merge A into B
 *            6     merge A into itself   7   finish and analyse A
 *
 * Rows are filtered as the PostgreSQL layer filters them: a non-finite
 * value skips the row, a zero weight skips it, a negative or non-finite
 * weight is an error there (skipped here).  Overflow is not checked per
 * row (as in the transition function); op 7 and the end do what the
 * aggregate's final function does (moments_finish on a copy).  After every
 * successful merge and finish the state must validate and survive the text
 * round trip bit for bit (the output of the type must always be valid
 * input); a merge or finish that reports overflow discards the state, as
 * the SQL error does.  Finished states go through every analysis.
 */
#include "fuzz_common.h"

#include <float.h>
#include <math.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Reader
{
	const uint8_t *p;
	size_t		left;
} Reader;

static int
rd_byte(Reader *r)
{
	if (r->left == 0)
		return -1;
	r->left--;
	return *r->p++;
}

static const double pool[] = {
	0.0, -0.0, 1.0, -1.0, 2.0, 0.5, 3.0, 7.0,
	1e150, -1e150, 1e154, -1e154, 1e155, 1e200, 1e300, DBL_MAX,
	-DBL_MAX, DBL_MIN, 4.9406564584124654e-324, -4.9406564584124654e-324,
	2.2250738585072009e-308, 1e-300, 1e-150, 1e-20,
	1e9 + 0.5, 1000000000.123456, 1e15, 1e16 + 2.0,
	9007199254740993.0, 0.1, 1.0 / 3.0, 1e77,
	1e78, -1e77, 123456789.0, 1e-5
};

static double
rd_double(Reader *r)
{
	int			sel = rd_byte(r);
	double		v = 0.0;
	uint8_t		b[8] = {0};
	size_t		i;

	if (sel < 0)
		return 1.0;
	if (sel & 1)
		return pool[(sel >> 1) % (sizeof(pool) / sizeof(pool[0]))];
	for (i = 0; i < 8; i++)
	{
		int			c = rd_byte(r);

		b[i] = c < 0 ? 0 : (uint8_t) c;
	}
	memcpy(&v, b, 8);
	return v;
}

static MomentsState *
fresh(int k, char **names)
{
	/* room for a batch buffer: B is updated batched, A row by row */
	MomentsState *m = fz_alloc(moments_batched_size(k, 3 * k));

	moments_init(m, k, (const char *const *) names);
	return m;
}

static void
check_state(const MomentsState *m, const char *what, int text)
{
	const char *err = moments_validate(m);

	if (fz_known_b1(err))
		return;					/* B4: same symptom as B1, from merges */
	if (err != NULL)
	{
		char	   *t;
		MomentsState *c = fz_alloc(moments_size(m->k, m->names_len));

		/* print it as the output function would, without its check */
		memcpy(c, m, moments_size(m->k, m->names_len));
		t = moments_to_text(c, fz_alloc);
		fprintf(stderr, "state: %.3000s\n", t ? t : "(not printable)");
	}
	FZ_CHECK(err == NULL, "%s gave an invalid state: %s; %s", what, err,
			 fz_nonfinite_where(m));
	if (text)
		fz_check_text_roundtrip(m);
}

/*
 * What the aggregate's final function does: a copy of *mp checked with
 * moments_finish; on overflow (ERROR 22003 in SQL) the state is replaced
 * by an empty one and NULL returned, else the finished copy.
 */
/* B's buffered rows into its sums, before anything reads them */
static void
flush(MomentsState *m)
{
	/* moments_flush_scratch(8): k is at most 8 here */
	static double scratch[4 * MOMENTS_BATCH_ROWS * 8 + MOMENTS_BATCH_ROWS + 1];

	moments_flush(m, scratch);
}

static MomentsState *
finish(MomentsState **mp, int k, char **names, size_t sz, int text)
{
	MomentsState *c = fz_alloc(sz);

	memcpy(c, *mp, sz);
	if (moments_finish(c) != 0)
	{
		*mp = fresh(k, names);
		return NULL;
	}
	check_state(c, "moments_finish", text);
	return c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Reader		r = {data, size};
	int			k,
				op,
				i,
				steps = 0,
				analysed = 0;
	char	   *names[8];
	char		namebuf[8][3];
	MomentsState *st[2];
	size_t		sz;
	double		x[8],
				scratch[6 * 8];

	static int	trace = -1;

	if (trace < 0)
		trace = getenv("FUZZ_TRACE") != NULL;
	if (size < 1 || size > 65536)
		return 0;
	k = 1 + rd_byte(&r) % 8;
	for (i = 0; i < k; i++)
	{
		namebuf[i][0] = 'a' + i;
		namebuf[i][1] = '\0';
		names[i] = namebuf[i];
	}
	st[0] = fresh(k, names);
	st[1] = fresh(k, names);
	sz = moments_size(k, st[0]->names_len);

	while ((op = rd_byte(&r)) >= 0 && steps++ < 4096)
	{
		switch (op % 8)
		{
			case 0:
			case 1:
			case 2:
			case 3:
				{
					MomentsState *m = st[op % 8 == 3];
					double		w = 1.0;
					int			skip = 0;

					for (i = 0; i < k; i++)
					{
						x[i] = rd_double(&r);
						skip |= !isfinite(x[i]);
					}
					if (op & 1)
					{
						w = rd_double(&r);
						skip |= !(w > 0.0) || !isfinite(w);
					}
					if (trace)
					{
						fprintf(stderr, "add to %c w=%.17g:", op % 8 == 3 ? 'B' : 'A', w);
						for (i = 0; i < k; i++)
							fprintf(stderr, " %.17g", x[i]);
						fprintf(stderr, "%s\n", skip ? " (skipped)" : "");
					}
					if (skip)
						break;
					/* overflow is checked at the end (the final function) */
					if (m == st[0])
						moments_add_row(m, x, w, scratch);
					else if (moments_push_row(m, x, w))
						flush(m);
					break;
				}
			case 4:
			case 5:
				{
					/* the combine function merges unfinished partial states */
					int			d = op % 8 == 5;

					if (trace)
						fprintf(stderr, "merge %c into %c\n", d ? 'A' : 'B', d ? 'B' : 'A');
					flush(st[1]);

					if (fz_known_b3(st[d], st[!d]))
						break;
					if (moments_merge(st[d], st[!d]) != 0)
					{
						st[d] = fresh(k, names);
						break;
					}
					/*
					 * 0 does not promise a finished state (a merge into an
					 * empty state copies src as it is): the final function
					 * checks
					 */
					(void) finish(&st[d], k, names, sz, 0);
					break;
				}
			case 6:
				{
					MomentsState *c = fz_alloc(sz);

					if (trace)
						fprintf(stderr, "merge A into A\n");
					memcpy(c, st[0], sz);
					if (fz_known_b3(st[0], c))
						break;
					if (moments_merge(st[0], c) != 0)
					{
						st[0] = fresh(k, names);
						break;
					}
					(void) finish(&st[0], k, names, sz, 0);
					break;
				}
			case 7:
				{
					MomentsState *f = finish(&st[0], k, names, sz, 1);

					/* analyses are the slow part: a few per input */
					if (f && f->nrows > 0 && analysed++ < 3)
						fz_analyse(f, (unsigned) op * 40503u + (unsigned) steps);
					break;
				}
		}
	}
	flush(st[1]);
	for (i = 0; i < 2; i++)
	{
		MomentsState *f = finish(&st[i], k, names, sz, 1);

		if (f && f->nrows > 0)
			fz_analyse(f, (unsigned) size * 2654435761u);
	}
	fz_free_all();
	return 0;
}
