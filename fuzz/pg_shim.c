/*
 * pg_shim.c — just enough of the PostgreSQL backend to run the
 * survey_reg.moments binary I/O functions (src/moments_io.c, compiled
 * unchanged against the real server headers) inside a libFuzzer process.
 *
 * palloc and friends go to the harness's tracking allocator; ereport(ERROR)
 * longjmps back to the harness (shim_catch); the pq_* message functions
 * follow src/backend/libpq/pqformat.c (same bounds checks, same errors);
 * moments_new and moments_overflow_error are src/moments_state.c, compiled
 * unchanged as well.  Nothing here is a security
 * boundary: it only has to behave as the backend does for these calls.
 */
#include "postgres.h"

#include <setjmp.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "port/pg_bswap.h"
#include "utils/memutils.h"

#include "moments_core.h"
#include "pg_compat.h"
#include "pg_shim.h"

/* port.h maps these to libpgport's; the C library's serve here */
#undef vsnprintf
#undef snprintf
#undef fprintf

/* ---------------- memory ---------------- */

shim_alloc_fn shim_alloc;
shim_free_fn shim_free;
shim_realloc_fn shim_realloc;

void *
palloc(Size size)
{
	return shim_alloc(size);
}

void *
palloc0(Size size)
{
	return shim_alloc(size);	/* calloc'ed */
}

void *
palloc_extended(Size size, int flags)
{
	return shim_alloc(size);
}

void *
repalloc(void *pointer, Size size)
{
	return shim_realloc(pointer, size);
}

void
pfree(void *pointer)
{
	shim_free(pointer);
}

char *
pstrdup(const char *in)
{
	size_t		len = strlen(in) + 1;
	char	   *out = shim_alloc(len);

	memcpy(out, in, len);
	return out;
}

/* ---------------- errors ---------------- */

jmp_buf    *shim_catch;
int			shim_last_sqlerrcode;
int			shim_last_elevel;
char		shim_last_message[512];

bool
errstart(int elevel, const char *domain)
{
	shim_last_elevel = elevel;
	return elevel >= ERROR;		/* lower levels are dropped */
}

bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

int
errcode(int sqlerrcode)
{
	shim_last_sqlerrcode = sqlerrcode;
	return 0;
}

int
errmsg(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(shim_last_message, sizeof(shim_last_message), fmt, ap);
	va_end(ap);
	return 0;
}

int
errmsg_internal(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(shim_last_message, sizeof(shim_last_message), fmt, ap);
	va_end(ap);
	return 0;
}

int
errdetail(const char *fmt,...)
{
	return 0;
}

int
errhint(const char *fmt,...)
{
	return 0;
}

void
errfinish(const char *filename, int lineno, const char *funcname)
{
	if (shim_last_elevel >= ERROR)
	{
		if (shim_catch == NULL)
		{
			fprintf(stderr, "shim: ERROR outside shim_catch: %s\n",
					shim_last_message);
			abort();
		}
		longjmp(*shim_catch, 1);
	}
}

/* ---------------- varlena ---------------- */

struct varlena *
pg_detoast_datum(struct varlena *datum)
{
	if (VARATT_IS_EXTENDED(datum))
	{
		fprintf(stderr, "shim: extended datum\n");
		abort();
	}
	return datum;
}

struct varlena *
pg_detoast_datum_packed(struct varlena *datum)
{
	return pg_detoast_datum(datum);
}

/* ---------------- StringInfo (src/common/stringinfo.c) ---------------- */

void
appendStringInfoChar(StringInfo str, char ch)
{
	if (str->len + 1 >= str->maxlen)
		enlargeStringInfo(str, 1);
	str->data[str->len] = ch;
	str->len++;
	str->data[str->len] = '\0';
}

void
initStringInfo(StringInfo str)
{
	str->maxlen = 1024;
	str->data = palloc(str->maxlen);
	str->len = 0;
	str->data[0] = '\0';
	str->cursor = 0;
}

void
enlargeStringInfo(StringInfo str, int needed)
{
	int			newlen;

	if (needed < 0 || ((Size) needed) >= (MaxAllocSize - (Size) str->len))
	{
		fprintf(stderr, "shim: enlargeStringInfo out of range\n");
		abort();
	}
	needed += str->len + 1;
	if (needed <= str->maxlen)
		return;
	newlen = 2 * str->maxlen;
	while (needed > newlen)
		newlen = 2 * newlen;
	str->data = repalloc(str->data, newlen);
	str->maxlen = newlen;
}

void
appendBinaryStringInfo(StringInfo str, pgc_bytes_in data, int datalen)
{
	enlargeStringInfo(str, datalen);
	memcpy(str->data + str->len, data, datalen);
	str->len += datalen;
	str->data[str->len] = '\0';
}

void
appendBinaryStringInfoNT(StringInfo str, pgc_bytes_in data, int datalen)
{
	enlargeStringInfo(str, datalen);
	memcpy(str->data + str->len, data, datalen);
	str->len += datalen;
}

/* ---------------- pqformat (src/backend/libpq/pqformat.c) ---------------- */

void
pq_sendbytes(StringInfo buf, pgc_bytes_in data, int datalen)
{
	appendBinaryStringInfo(buf, data, datalen);
}

void
pq_sendfloat8(StringInfo buf, float8 f)
{
	union
	{
		float8		f;
		int64		i;
	}			swap;

	swap.f = f;
	pq_sendint64(buf, swap.i);
}

void
pq_begintypsend(StringInfo buf)
{
	initStringInfo(buf);
	appendStringInfoCharMacro(buf, '\0');
	appendStringInfoCharMacro(buf, '\0');
	appendStringInfoCharMacro(buf, '\0');
	appendStringInfoCharMacro(buf, '\0');
}

bytea *
pq_endtypsend(StringInfo buf)
{
	bytea	   *result = (bytea *) buf->data;

	SET_VARSIZE(result, buf->len);
	return result;
}

static void
insufficient_data(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg("insufficient data left in message")));
}

void
pq_copymsgbytes(StringInfo msg, pgc_bytes_out buf, int datalen)
{
	if (datalen < 0 || datalen > (msg->len - msg->cursor))
		insufficient_data();
	memcpy(buf, &msg->data[msg->cursor], datalen);
	msg->cursor += datalen;
}

unsigned int
pq_getmsgint(StringInfo msg, int b)
{
	unsigned int result;
	unsigned char n8;
	uint16		n16;
	uint32		n32;

	switch (b)
	{
		case 1:
			pq_copymsgbytes(msg, (char *) &n8, 1);
			result = n8;
			break;
		case 2:
			pq_copymsgbytes(msg, (char *) &n16, 2);
			result = pg_ntoh16(n16);
			break;
		case 4:
			pq_copymsgbytes(msg, (char *) &n32, 4);
			result = pg_ntoh32(n32);
			break;
		default:
			abort();
	}
	return result;
}

int64
pq_getmsgint64(StringInfo msg)
{
	uint64		n64;

	pq_copymsgbytes(msg, (char *) &n64, sizeof(n64));
	return pg_ntoh64(n64);
}

float8
pq_getmsgfloat8(StringInfo msg)
{
	union
	{
		float8		f;
		int64		i;
	}			swap;

	swap.i = pq_getmsgint64(msg);
	return swap.f;
}

/* ---------------- the calls under test ---------------- */

extern Datum moments_recv(PG_FUNCTION_ARGS);
extern Datum moments_send(PG_FUNCTION_ARGS);

int
shim_moments_recv(const void *data, int len, void **out)
{
	jmp_buf		jb;
	StringInfoData buf;
	LOCAL_FCINFO(fcinfo, 1);

	/* as the backend passes a datum to a receive function: NUL after it */
	buf.data = palloc(len + 1);
	memcpy(buf.data, data, len);
	buf.data[len] = '\0';
	buf.len = len;
	buf.maxlen = len + 1;
	buf.cursor = 0;

	InitFunctionCallInfoData(*fcinfo, NULL, 1, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = PointerGetDatum(&buf);
	fcinfo->args[0].isnull = false;
	shim_catch = &jb;
	if (setjmp(jb) != 0)
	{
		shim_catch = NULL;
		return -1;
	}
	*out = DatumGetPointer(moments_recv(fcinfo));
	shim_catch = NULL;
	return 0;
}

int
shim_moments_send(const void *state, void **bytes, int *len)
{
	jmp_buf		jb;
	bytea	   *b;
	LOCAL_FCINFO(fcinfo, 1);

	InitFunctionCallInfoData(*fcinfo, NULL, 1, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = PointerGetDatum(state);
	fcinfo->args[0].isnull = false;
	shim_catch = &jb;
	if (setjmp(jb) != 0)
	{
		shim_catch = NULL;
		return -1;
	}
	b = DatumGetByteaPP(moments_send(fcinfo));
	shim_catch = NULL;
	*bytes = VARDATA(b);
	*len = VARSIZE(b) - VARHDRSZ;
	return 0;
}
