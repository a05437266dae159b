/*
 * test_reliability.c — the reliability core against R psych and GNU PSPP,
 * outside any backend.
 *
 * Reads test/data/reliability_items.csv, accumulates each test scale into a
 * moments state (listwise; scales ending in _w with the integer weight fw),
 * runs rel_analyze and compares every number with the expectation files
 * made by R psych (reliability_expected_psych.csv) and PSPP
 * (reliability_expected_pspp.csv): relative difference <= 1e-10, omega
 * total within 1e-6 of psych (Heywood cases are reported, not checked).
 *
 * Build and run from the repository root:
 *   gcc -O2 -ffp-contract=off -DMATHLIB_STANDALONE -Isrc/core -Isrc \
 *     -o test/core/test_reliability test/core/test_reliability.c \
 *     src/core/reliability_core.c src/core/rmath_loader.c src/core/moments_core.c -lm
 *   test/core/test_reliability test/data
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "moments_core.h"
#include "reliability_core.h"

#define MAXCOL 64
#define MAXROW 2000
#define MAXK 16

static char colname[MAXCOL][32];
static int ncol;
static double data[MAXROW][MAXCOL];
static int nrow;

static int
col_index(const char *name)
{
	int			j;

	for (j = 0; j < ncol; j++)
		if (strcmp(colname[j], name) == 0)
			return j;
	fprintf(stderr, "no column %s\n", name);
	exit(2);
}

static void
read_items(const char *path)
{
	FILE	   *f = fopen(path, "r");
	char		line[4096];

	if (!f)
	{
		perror(path);
		exit(2);
	}
	if (!fgets(line, sizeof line, f))
		exit(2);
	{
		char	   *save,
				   *tok;

		line[strcspn(line, "\r\n")] = 0;
		for (tok = strtok_r(line, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			snprintf(colname[ncol++], 32, "%s", tok);
	}
	while (fgets(line, sizeof line, f))
	{
		char	   *p = line;
		int			j;

		line[strcspn(line, "\r\n")] = 0;
		for (j = 0; j < ncol; j++)
		{
			char	   *end = strchr(p, ',');

			if (end)
				*end = 0;
			data[nrow][j] = (*p == 0) ? NAN : strtod(p, NULL);
			p = end ? end + 1 : p + strlen(p);
		}
		nrow++;
	}
	fclose(f);
}

typedef struct Scale
{
	const char *name;
	const char *items[MAXK];
	int			weighted;
} Scale;

static const Scale scales[] = {
	{"s2", {"t1", "t2"}, 0},
	{"s3", {"b1", "b2", "b3"}, 0},
	{"s3r", {"b1r", "b2r", "b3"}, 0},
	{"s8", {"e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8"}, 0},
	{"s10", {"c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10"}, 0},
	{"neg", {"n1", "n2", "n3"}, 0},
	{"s3_w", {"b1r", "b2r", "b3"}, 1},
	{"s8_w", {"e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8"}, 1},
};

/* value of an item column, with b1r = 3 - b1 and b2r = 3 - b2 */
static double
item_value(int row, const char *item)
{
	if (strcmp(item, "b1r") == 0)
		return 0 + 3 - data[row][col_index("b1")];
	if (strcmp(item, "b2r") == 0)
		return 0 + 3 - data[row][col_index("b2")];
	return data[row][col_index(item)];
}

typedef struct Result
{
	int			k;
	const char *names[MAXK];
	RelScale	sc;
	RelItem		it[MAXK];
} Result;

static void
analyze(const Scale *s, Result *res)
{
	const char *names[MAXK];
	int			k = 0,
				r,
				j;
	MomentsState *m;
	double		x[MAXK],
				scratch[6 * MAXK];
	dd			C[MAXK * MAXK],
				mean[MAXK];
	double	   *work;
	int			iwork[3 * MAXK];

	while (k < MAXK && s->items[k])
	{
		names[k] = s->items[k];
		res->names[k] = s->items[k];
		k++;
	}
	res->k = k;
	m = calloc(1, moments_size(k, 64 * k));
	moments_init(m, k, names);
	for (r = 0; r < nrow; r++)
	{
		int			ok = 1;
		double		w = s->weighted ? data[r][col_index("fw")] : 1.0;

		for (j = 0; j < k; j++)
		{
			x[j] = item_value(r, names[j]);
			if (!isfinite(x[j]))
				ok = 0;
		}
		if (ok)
			moments_add_row(m, x, w, scratch);
	}
	moments_centered(m, C);
	for (j = 0; j < k; j++)
		mean[j] = moments_mean(m, j);
	work = malloc(sizeof(double) * rel_work_doubles(k));
	rel_analyze(k, C, mean, moments_n(m), m->nrows, 1, &res->sc, res->it,
				work, iwork);
	free(work);
	free(m);
}

static int	n_pass,
			n_fail;

/* our value of a statistic, or 0 if we do not produce it */
static int
our_value(const Result *res, const char *item, const char *stat, double *v)
{
	const RelScale *sc = &res->sc;
	int			i;

	if (*item == 0)
	{
		if (!strcmp(stat, "k"))
			*v = sc->k;
		else if (!strcmp(stat, "n"))
			*v = sc->n;
		else if (!strcmp(stat, "alpha"))
			*v = sc->alpha;
		else if (!strcmp(stat, "std_alpha"))
			*v = sc->std_alpha;
		else if (!strcmp(stat, "mean_r"))
			*v = sc->mean_r;
		else if (!strcmp(stat, "min_r"))
			*v = sc->min_r;
		else if (!strcmp(stat, "max_r"))
			*v = sc->max_r;
		else if (!strcmp(stat, "alpha_ci_lower"))
			*v = sc->alpha_ci_lower;
		else if (!strcmp(stat, "alpha_ci_upper"))
			*v = sc->alpha_ci_upper;
		else if (!strcmp(stat, "lambda6"))
			*v = sc->lambda6;
		else if (!strcmp(stat, "omega_total"))
			*v = sc->omega_total;
		else
			return 0;
		return 1;
	}
	for (i = 0; i < res->k; i++)
		if (!strcmp(res->names[i], item))
		{
			const RelItem *it = &res->it[i];

			if (!strcmp(stat, "mean"))
				*v = it->mean;
			else if (!strcmp(stat, "sd"))
				*v = it->sd;
			else if (!strcmp(stat, "scale_mean_if_deleted"))
				*v = it->scale_mean_if_deleted;
			else if (!strcmp(stat, "scale_var_if_deleted"))
				*v = it->scale_var_if_deleted;
			else if (!strcmp(stat, "corrected_item_total_r"))
				*v = it->corrected_item_total_r;
			else if (!strcmp(stat, "squared_multiple_r"))
				*v = it->squared_multiple_r;
			else if (!strcmp(stat, "alpha_if_deleted"))
				*v = it->alpha_if_deleted;
			else
				return 0;
			return 1;
		}
	return 0;
}

static void
compare(const char *dir, const char *file, const char *source,
		Result *results, int nscales)
{
	char		path[1024],
				line[512];
	FILE	   *f;
	double		maxrel[16] = {0},
				omega_diff[16] = {0};
	int			count[16] = {0};
	int			s;

	snprintf(path, sizeof path, "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
	{
		perror(path);
		exit(2);
	}
	if (!fgets(line, sizeof line, f))
		exit(2);
	while (fgets(line, sizeof line, f))
	{
		char	   *fld[4];
		char	   *p = line;
		int			j;
		double		expv,
					ours,
					rel;

		line[strcspn(line, "\r\n")] = 0;
		for (j = 0; j < 4; j++)
		{
			char	   *end = strchr(p, ',');

			fld[j] = p;
			if (end)
				*end = 0;
			p = end ? end + 1 : p + strlen(p);
		}
		for (s = 0; s < nscales; s++)
			if (!strcmp(scales[s].name, fld[0]))
				break;
		if (s == nscales || !our_value(&results[s], fld[1], fld[2], &ours))
		{
			printf("not ok: %s %s %s %s: no such statistic\n", source, fld[0], fld[1], fld[2]);
			n_fail++;
			continue;
		}
		expv = strtod(fld[3], NULL);
		if (isnan(expv) || isnan(ours))
		{
			if (isnan(expv) && isnan(ours))
				n_pass++;
			else
			{
				printf("not ok: %s %s %s %s: expected %.17g, got %.17g\n",
					   source, fld[0], fld[1], fld[2], expv, ours);
				n_fail++;
			}
			continue;
		}
		rel = expv == 0.0 ? fabs(ours) : fabs(ours - expv) / fabs(expv);
		if (!strcmp(fld[2], "omega_total"))
		{
			double		d = fabs(ours - expv);

			omega_diff[s] = d;
			if (results[s].sc.omega_status == REL_OMEGA_HEYWOOD)
			{
				printf("# %s %s omega_total: Heywood case, |ours - psych| = %.3g (not checked)\n",
					   source, fld[0], d);
				continue;
			}
			if (d <= 1e-6)
				n_pass++;
			else
			{
				printf("not ok: %s %s omega_total: expected %.17g, got %.17g\n",
					   source, fld[0], expv, ours);
				n_fail++;
			}
			continue;
		}
		count[s]++;
		if (rel > maxrel[s])
			maxrel[s] = rel;
		if (rel <= 1e-10)
			n_pass++;
		else
		{
			printf("not ok: %s %s %s %s: expected %.17g, got %.17g (rel %.3g)\n",
				   source, fld[0], fld[1], fld[2], expv, ours, rel);
			n_fail++;
		}
	}
	fclose(f);
	for (s = 0; s < nscales; s++)
		if (count[s] > 0)
			printf("# %-5s %-5s k=%-2d %3d numbers, max relative difference %.3g%s\n",
				   source, scales[s].name, results[s].k, count[s], maxrel[s],
				   omega_diff[s] > 0 ? "" : "");
	for (s = 0; s < nscales; s++)
		if (omega_diff[s] > 0)
			printf("# %-5s %-5s omega_total |difference| %.3g%s\n", source,
				   scales[s].name, omega_diff[s],
				   results[s].sc.omega_status == REL_OMEGA_HEYWOOD ? " (Heywood)" : "");
}

int
main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "test/data";
	char		path[1024];
	int			nscales = sizeof(scales) / sizeof(scales[0]);
	Result	   *results = calloc(nscales, sizeof(Result));
	int			s;

	snprintf(path, sizeof path, "%s/reliability_items.csv", dir);
	read_items(path);
	for (s = 0; s < nscales; s++)
		analyze(&scales[s], &results[s]);
	compare(dir, "reliability_expected_psych.csv", "psych", results, nscales);
	compare(dir, "reliability_expected_pspp.csv", "pspp", results, nscales);
	free(results);
	printf("%d passed, %d failed\n", n_pass, n_fail);
	return n_fail > 0;
}
