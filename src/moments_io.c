/*
 * moments_io.c — text and binary I/O of the survey_reg.moments type.
 *
 * The state is a real (non-internal) varlena type so that PostgreSQL's
 * parallel aggregation and Citus's distributed partial aggregation (which
 * ships states as text through these functions) both apply.  Every input
 * path ends in moments_validate(): a malformed value is an error with a
 * SQLSTATE, never a crash.
 */
#include "survey_reg.h"

#include "libpq/pqformat.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(moments_in);
PG_FUNCTION_INFO_V1(moments_out);
PG_FUNCTION_INFO_V1(moments_recv);
PG_FUNCTION_INFO_V1(moments_send);

static void *
palloc0_size(size_t size)
{
	return palloc0(size);
}

Datum
moments_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *err;
	MomentsState *m = moments_from_text(str, palloc0_size, &err);

	if (m == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type survey_reg.moments"),
				 errdetail("The state text is malformed: %s.", err)));
	SET_VARSIZE(m, moments_size(m->k, m->names_len));
	PG_RETURN_MOMENTS_P(m);
}

Datum
moments_out(PG_FUNCTION_ARGS)
{
	MomentsState *m = PG_GETARG_MOMENTS_P(0);
	char	   *text = moments_to_text(m, palloc0_size);

	if (text == NULL)
		moments_overflow_error();
	PG_RETURN_CSTRING(text);
}

/*
 * Binary form: version, k, flags, nrows, names (length + bytes each), then
 * every double of the state in storage order, each as float8.
 */
Datum
moments_send(PG_FUNCTION_ARGS)
{
	MomentsState *in = PG_GETARG_MOMENTS_P(0);
	MomentsState *m = palloc(VARSIZE(in));
	MomentsArrays a;
	StringInfoData buf;
	size_t		ndoubles,
				i;
	int			v;

	/* the canonical form, as the text output prints it */
	memcpy(m, in, VARSIZE(in));
	if (moments_finish(m) != 0)
		moments_overflow_error();
	moments_normalize(m);
	moments_arrays(m, &a);
	pq_begintypsend(&buf);
	pq_sendint32(&buf, m->version);
	pq_sendint32(&buf, m->k);
	pq_sendint32(&buf, m->flags);
	pq_sendint64(&buf, m->nrows);
	for (v = 0; v < m->k; v++)
	{
		const char *name = moments_name(m, v);
		int			len = strlen(name);

		pq_sendint32(&buf, len);
		pq_sendbytes(&buf, name, len);
	}
	pq_sendfloat8(&buf, m->n_hi);
	pq_sendfloat8(&buf, m->n_lo);
	ndoubles = (double *) a.names - a.ref;
	for (i = 0; i < ndoubles; i++)
		pq_sendfloat8(&buf, a.ref[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
recv_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary representation of type survey_reg.moments"),
			 errdetail("The binary state is malformed: %s.", detail)));
}

Datum
moments_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	uint32		version;
	int32		k,
				flags,
				v;
	int64		nrows;
	char	  **names;
	MomentsState *m;
	MomentsArrays a;
	size_t		ndoubles,
				i;
	const char *err;

	version = pq_getmsgint(buf, 4);
	k = pq_getmsgint(buf, 4);
	flags = pq_getmsgint(buf, 4);
	nrows = pq_getmsgint64(buf);
	if (version != MOMENTS_VERSION)
		recv_error("unsupported version");
	if (k < 1 || k > MOMENTS_MAX_K)
		recv_error("number of variables out of range");
	names = palloc(sizeof(char *) * k);
	for (v = 0; v < k; v++)
	{
		int32		len = pq_getmsgint(buf, 4);

		if (len < 1 || len > MOMENTS_MAX_NAME || len > buf->len - buf->cursor)
			recv_error("invalid name length");
		names[v] = palloc(len + 1);
		pq_copymsgbytes(buf, names[v], len);
		names[v][len] = '\0';
		if (strlen(names[v]) != (size_t) len)
			recv_error("name contains a zero byte");
	}
	m = moments_new(k, (const char *const *) names);
	m->flags = flags;
	m->nrows = nrows;
	moments_arrays(m, &a);
	ndoubles = (double *) a.names - a.ref;
	if ((size_t) (buf->len - buf->cursor) != 8 * (ndoubles + 2))
		recv_error("wrong message length");
	m->n_hi = pq_getmsgfloat8(buf);
	m->n_lo = pq_getmsgfloat8(buf);
	for (i = 0; i < ndoubles; i++)
		a.ref[i] = pq_getmsgfloat8(buf);
	/* normalize first, as the text input does */
	moments_normalize(m);
	err = moments_validate(m);
	if (err)
		recv_error(err);
	PG_RETURN_MOMENTS_P(m);
}
