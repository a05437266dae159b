/*
 * moments_state.c — making and reading states in the PostgreSQL layer: a
 * new empty state, rows added in a transition function (batched once a
 * group is large), a plain value for readers, a variable by name, the
 * overflow error.  Kept apart from the aggregates so that the binary-input
 * fuzzer (fuzz/pg_shim.c) compiles this very code with moments_io.c.
 */
#include "survey_reg.h"

MomentsState *
moments_new(int k, const char *const *names)
{
	int			names_len = 0;
	int			i;
	size_t		size;
	MomentsState *m;

	for (i = 0; i < k; i++)
	{
		size_t		len = strlen(names[i]);

		if (len == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("variable names must not be empty")));
		if (len > MOMENTS_MAX_NAME)
			ereport(ERROR,
					(errcode(ERRCODE_NAME_TOO_LONG),
					 errmsg("variable name is too long"),
					 errdetail("A name may have at most %d bytes.",
							   MOMENTS_MAX_NAME)));
		names_len += len + 1;
	}
	size = moments_size(k, names_len);
	m = palloc0(size);
	SET_VARSIZE(m, size);
	moments_init(m, k, names);
	return m;
}

/* a plain copy of m (flushed) over other names (n = m->k of them) */
MomentsState *
moments_renamed(const MomentsState *m, char **names)
{
	MomentsState *r = moments_new(m->k, (const char *const *) names);
	MomentsArrays am,
				ar;

	moments_arrays(m, &am);
	moments_arrays(r, &ar);
	memcpy(ar.ref, am.ref, (char *) am.names - (char *) am.ref);
	r->flags = m->flags;
	r->nrows = m->nrows;
	r->n_hi = m->n_hi;
	r->n_lo = m->n_lo;
	return r;
}

/* the state carries a batch buffer (moments_batched_size bytes) */
static bool
has_batch_buffer(const MomentsState *m)
{
	return VARSIZE(m) >= moments_batched_size(m->k, m->names_len);
}

void
moments_flush_pending(MomentsState *m)
{
	double	   *scratch;

	if (m->pending == 0)
		return;
	scratch = palloc(sizeof(double) * moments_flush_scratch(m->k));
	moments_flush(m, scratch);
	pfree(scratch);
}

MomentsState *
moments_detached(MomentsState *m)
{
	size_t		plain = moments_size(m->k, m->names_len);
	MomentsState *copy;

	if (m->pending == 0 && VARSIZE(m) == plain)
		return m;
	if (VARSIZE(m) < plain || m->pending < 0 || m->pending > MOMENTS_BATCH_ROWS
		|| (m->pending > 0 && !has_batch_buffer(m)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupt survey_reg.moments value"),
				 errdetail("It claims %d buffered rows in %u bytes.",
						   m->pending, (unsigned) VARSIZE(m))));
	copy = palloc(VARSIZE(m));
	memcpy(copy, m, VARSIZE(m));
	moments_flush_pending(copy);
	SET_VARSIZE(copy, plain);
	return copy;
}

/*
 * Small groups (GROUP BY with many groups) are added row by row and stay at
 * the plain size; a state that has seen MOMENTS_BATCH_ROWS rows is copied
 * once into a larger one with a buffer (unless may_grow says no), returned
 * in the current (per-row) context: the executor copies a new transition
 * value into the aggregate's context and frees the old one.
 */
#define ROW_SCRATCH_K 64			/* row-by-row scratch on the stack up to this k */

MomentsState *
moments_accumulate(MomentsState *m, const double *x, double w,
				   moments_may_grow_fn may_grow, void *arg)
{
	double		stack_scratch[6 * ROW_SCRATCH_K];
	double	   *scratch;
	bool		batched = has_batch_buffer(m);

	if (!batched && m->nrows >= MOMENTS_BATCH_ROWS && may_grow(arg, m))
	{
		size_t		plain = moments_size(m->k, m->names_len);
		size_t		size = moments_batched_size(m->k, m->names_len);
		/* zeroed: a state without a final function may be stored as is */
		MomentsState *grown = palloc0(size);

		memcpy(grown, m, plain);
		SET_VARSIZE(grown, size);
		m = grown;
		batched = true;
	}
	if (batched)
	{
		if (moments_push_row(m, x, w))
			moments_flush_pending(m);
		return m;
	}
	scratch = m->k <= ROW_SCRATCH_K ? stack_scratch : palloc(sizeof(double) * 6 * m->k);
	moments_add_row(m, x, w, scratch);
	if (scratch != stack_scratch)
		pfree(scratch);
	return m;
}

int
moments_find(const MomentsState *m, const char *name)
{
	const char *q = moments_name(m, 0);
	int			i;

	/* one walk of the names block: O(k) per lookup, not O(k^2) */
	for (i = 0; i < m->k; i++, q += strlen(q) + 1)
		if (strcmp(q, name) == 0)
			return i;
	return -1;
}

/* the values were too large: the sums overflowed double precision */
void
moments_overflow_error(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("value out of range: sums of squares overflow in survey_reg.moments"),
			 errdetail("Products of deviations from the first row exceed the double precision range (about 1e308)."),
			 errhint("Rescale the variables.")));
}
