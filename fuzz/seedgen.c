/*
 * seedgen.c — writes the seed corpus (corpus/text, corpus/binary,
 * corpus/core) from states built with the core itself, so that the seeds
 * follow the formats as they are.  Deterministic; run by `make seeds`.
 *
 *   out/seedgen DIR     writes DIR/text/*, DIR/binary/*, DIR/core/*
 */
#include "fuzz_common.h"
#include "pg_shim.h"

#include <float.h>
#include <math.h>
#include <sys/stat.h>

static void
write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char		path[1024];
	FILE	   *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0)
	{
		perror(path);
		exit(1);
	}
}

static uint64_t rng = 88172645463325252ULL;

static double
unif(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double) (rng >> 11) / 9007199254740992.0;
}

/* a finished state of k variables over nrows rows from gen */
static MomentsState *
make_state(int k, const char *const *names, int nrows, double loc,
		   double scale, int weighted, int flags)
{
	int			names_len = 0,
				i,
				r;
	MomentsState *m;
	double		x[16],
				scratch[6 * 16];

	for (i = 0; i < k; i++)
		names_len += (int) strlen(names[i]) + 1;
	m = fz_alloc(moments_size(k, names_len));
	moments_init(m, k, names);
	for (r = 0; r < nrows; r++)
	{
		double		common = unif();

		for (i = 0; i < k; i++)
			x[i] = loc + scale * (0.5 * common + unif() + (i == 0 ? r % 3 : 0));
		moments_add_row(m, x, weighted ? 0.5 + 3.0 * unif() : 1.0, scratch);
	}
	if (moments_finish(m) != 0)
		abort();
	m->flags |= flags;
	if (moments_validate(m) != NULL)
	{
		fprintf(stderr, "seedgen: invalid state: %s\n", moments_validate(m));
		exit(1);
	}
	/* the varlena header, as moments_new sets it (little-endian 4B) */
	m->vl_len_ = (uint32_t) moments_size(k, names_len) << 2;
	return m;
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "corpus";
	char		tdir[1024],
				bdir[1024],
				cdir[1024];
	static const char *const n1[] = {"x"};
	static const char *const n2[] = {"x", "y"};
	static const char *const n3[] = {"individualisering", "styring \"a\"", "back\\slash"};
	static const char *const n4[] = {"\xc3\xa6\xc3\xb8\xc3\xa5", "x2", "a,b", "c d"};
	static const char *const n8[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
	struct
	{
		const char *name;
		MomentsState *m;
	}			states[16];
	int			ns = 0,
				i;

	shim_alloc = fz_alloc;
	shim_free = fz_free;
	shim_realloc = fz_realloc;
	snprintf(tdir, sizeof(tdir), "%s/text", dir);
	snprintf(bdir, sizeof(bdir), "%s/binary", dir);
	snprintf(cdir, sizeof(cdir), "%s/core", dir);
	mkdir(dir, 0755);
	mkdir(tdir, 0755);
	mkdir(bdir, 0755);
	mkdir(cdir, 0755);

	states[ns].name = "k1_one_row";
	states[ns++].m = make_state(1, n1, 1, 3.0, 1.0, 0, 0);
	states[ns].name = "k1_empty";
	states[ns++].m = make_state(1, n1, 0, 0.0, 1.0, 0, 0);
	states[ns].name = "k2_small";
	states[ns++].m = make_state(2, n2, 5, 0.0, 1.0, 0, 0);
	states[ns].name = "k3_weighted_quoted_names";
	states[ns++].m = make_state(3, n3, 40, 3.0, 2.0, 1, 0);
	states[ns].name = "k4_utf8_names_loc1e9";
	states[ns++].m = make_state(4, n4, 30, 1e9, 1.0, 0, 0);
	states[ns].name = "k2_no_shape_1e100";
	states[ns++].m = make_state(2, n2, 10, 0.0, 1e100, 0, 0);
	states[ns].name = "k2_huge_1e150";
	states[ns++].m = make_state(2, n2, 10, 0.0, 1e150, 0, 0);
	states[ns].name = "k8_likert";
	states[ns++].m = make_state(8, n8, 200, 1.0, 4.0, 0, 0);
	states[ns].name = "k3_summary_flag";
	states[ns++].m = make_state(3, n8, 20, 0.0, 1.0, 0, MOMENTS_FLAG_SUMMARY);
	states[ns].name = "k2_tiny_weights";
	states[ns++].m = make_state(2, n2, 3, 1e-300, 1e-300, 1, 0);

	for (i = 0; i < ns; i++)
	{
		char	   *t = moments_to_text(states[i].m, fz_alloc);
		void	   *bytes;
		int			len;

		if (t == NULL)
			abort();
		write_file(tdir, states[i].name, t, strlen(t));
		if (shim_moments_send(states[i].m, &bytes, &len) != 0)
		{
			fprintf(stderr, "seedgen: send failed: %s\n", shim_last_message);
			return 1;
		}
		write_file(bdir, states[i].name, bytes, (size_t) len);
		if (i == 3)
		{
			/* truncated and malformed neighbours */
			write_file(tdir, "truncated", t, strlen(t) / 2);
			write_file(bdir, "truncated", bytes, (size_t) len / 2);
		}
	}
	write_file(tdir, "bad_version", "v2 k=1 rows=0 flags=0 names=\"x\"", 31);
	write_file(tdir, "bad_nan", "v1 k=1 rows=1 flags=0 names=\"x\" n=1:0 ref=nan s1=0:0 s2=0:0 s3=0:0 s4=0:0 min=0 max=0", 85);

	/* core programs: k byte, then operations (see fuzz_core.c) */
	{
		static const uint8_t simple[] = {1, 0, 1, 0, 3, 0, 5, 7};
		static const uint8_t pool_rows[] = {2, 0, 17, 17, 0, 19, 19, 0, 49, 49,
		3, 21, 23, 4, 7, 6, 7};
		static const uint8_t huge[] = {1, 0, 21, 0, 23, 0, 29, 0, 31, 7, 4, 5, 7};
		uint8_t		raw[1 + 40 * 9];
		size_t		p = 0;
		int			r;

		write_file(cdir, "simple", simple, sizeof(simple));
		write_file(cdir, "pool_rows", pool_rows, sizeof(pool_rows));
		write_file(cdir, "huge", huge, sizeof(huge));
		/* k = 2, 30 raw rows of small values, then merges and analyses */
		raw[p++] = 1;
		for (r = 0; r < 30 && p + 19 <= sizeof(raw) - 4; r++)
		{
			int			v;

			raw[p++] = (uint8_t) (r % 2 ? 3 : 0);
			for (v = 0; v < 2; v++)
			{
				double		d = floor(1.0 + 5.0 * unif());

				raw[p++] = 0;	/* raw double follows */
				memcpy(raw + p, &d, 8);
				p += 8;
			}
		}
		raw[p++] = 4;
		raw[p++] = 7;
		write_file(cdir, "raw_rows", raw, p);
	}
	fz_free_all();
	return 0;
}
