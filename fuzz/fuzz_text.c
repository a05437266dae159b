/*
 * fuzz_text.c — libFuzzer harness for the text input of survey_reg.moments
 * (moments_from_text, src/core/moments_text.c), as moments_in calls it.
 *
 * The input is the text (a NUL is appended).  A rejected text must come
 * with an error message.  An accepted one must validate, print, be
 * accepted again as the same state bit for bit and print identically;
 * then every analysis runs on it (a hostile but valid state: sums that no
 * data could produce, tiny or huge weights, non-positive-definite
 * cross-products) and must not crash, hang or trip a sanitizer.
 */
#include "fuzz_common.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text;
	const char *err = NULL;
	MomentsState *m;

	if (size > (1 << 20))
		return 0;
	text = fz_alloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';

	m = moments_from_text(text, fz_alloc, &err);
	if (m == NULL)
		FZ_CHECK(err != NULL && err[0] != '\0', "rejected without a message");
	else
	{
		const char *verr = moments_validate(m);

		FZ_CHECK(err == NULL, "accepted with an error message %s", err);
		if (fz_known_b1(verr))
		{
			fz_free_all();
			return 0;
		}
		FZ_CHECK(verr == NULL, "accepted state does not validate: %s", verr);
		fz_check_text_roundtrip(m);
		fz_analyse(m, size > 0 ? (unsigned) data[size - 1] * 2654435761u : 0);
		/* merging a state into a copy of itself */
		{
			size_t		sz = moments_size(m->k, m->names_len);
			MomentsState *c = fz_alloc(sz);

			memcpy(c, m, sz);
			if (!fz_known_b3(c, m) && moments_merge(c, m) == 0)
			{
				FZ_CHECK(moments_validate(c) == NULL,
						 "self-merge gave an invalid state: %s",
						 moments_validate(c));
				fz_check_text_roundtrip(c);
			}
		}
	}
	fz_free_all();
	return 0;
}
