/*
 * moments_state.c — making and reading states in the PostgreSQL layer: a
 * new empty state, a variable by name, the overflow error.  Kept apart from
 * the aggregates so that the binary-input fuzzer (fuzz/pg_shim.c) compiles
 * this very code with moments_io.c.
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
