/*
 * fuzz_binary.c — libFuzzer harness for the binary input of
 * survey_reg.moments: moments_recv and moments_send of src/moments_io.c,
 * compiled unchanged against the server headers and run through
 * pg_shim.c (palloc, ereport, pqformat).
 *
 * The input is the binary message (COPY BINARY / the wire protocol).  A
 * rejected message must raise ERROR with invalid_binary_representation or
 * a protocol violation (insufficient data), never anything else.  An
 * accepted one must validate; send must give a message that is accepted
 * again as the same state bit for bit and sends identically; the text form
 * must round trip too; and every analysis runs on it.
 */
#include "fuzz_common.h"
#include "pg_shim.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ERRCODE_INVALID_BINARY_REPRESENTATION 22P03, PROTOCOL_VIOLATION 08P01 */
#define PGSIXBIT(ch)	(((ch) - '0') & 0x3F)
#define MAKE_SQLSTATE(a,b,c,d,e) \
	(PGSIXBIT(a) + (PGSIXBIT(b) << 6) + (PGSIXBIT(c) << 12) + \
	 (PGSIXBIT(d) << 18) + (PGSIXBIT(e) << 24))

/* the 4-byte varlena header as the backend writes it (little-endian) */
#define VARSIZE_OF(p)	((((const uint32_t *) (p))[0] >> 2) & 0x3FFFFFFF)

static void
shim_setup(void)
{
	shim_alloc = fz_alloc;
	shim_free = fz_free;
	shim_realloc = fz_realloc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	void	   *state = NULL,
			   *state2 = NULL,
			   *bytes,
			   *bytes2;
	int			len,
				len2;

	if (size > (1 << 22))
		return 0;
	shim_setup();
	if (shim_moments_recv(data, (int) size, &state) != 0)
	{
		FZ_CHECK(shim_last_sqlerrcode == MAKE_SQLSTATE('2', '2', 'P', '0', '3')
				 || shim_last_sqlerrcode == MAKE_SQLSTATE('0', '8', 'P', '0', '1'),
				 "unexpected SQLSTATE for a malformed message: %s",
				 shim_last_message);
		fz_free_all();
		return 0;
	}
	{
		const MomentsState *m = state;
		const char *err = moments_validate(m);
		size_t		msize = moments_size(m->k, m->names_len);

		if (fz_known_b1(err))
		{
			fz_free_all();
			return 0;
		}
		FZ_CHECK(err == NULL, "accepted binary state does not validate: %s", err);
		FZ_CHECK((size_t) VARSIZE_OF(m) == msize, "varlena size %u, state size %zu",
				 (unsigned) VARSIZE_OF(m), msize);
		FZ_CHECK(shim_moments_send(m, &bytes, &len) == 0, "send failed: %s",
				 shim_last_message);
		FZ_CHECK(shim_moments_recv(bytes, len, &state2) == 0,
				 "output of send not accepted by recv: %s", shim_last_message);
		FZ_CHECK(memcmp((const char *) m + 4, (const char *) state2 + 4,
						msize - 4) == 0,
				 "binary round trip changed the state");
		FZ_CHECK(shim_moments_send(state2, &bytes2, &len2) == 0, "second send");
		FZ_CHECK(len == len2 && memcmp(bytes, bytes2, len) == 0,
				 "send(recv(send(x))) differs from send(x)");
		fz_check_text_roundtrip(m);
		fz_analyse(m, size > 0 ? (unsigned) data[size / 2] * 2654435761u : 0);
	}
	fz_free_all();
	return 0;
}
