/*
 * accuracy_claims.c — reads test/data/accuracy_claims.csv for the core
 * drivers.  Rows are "suite,case,quantity,kind,measured,bound,what"; the
 * first six fields never hold commas or quotes, so a plain split suffices
 * and the free-text last field is ignored.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accuracy_claims.h"

typedef struct Claim
{
	char		suite[32];
	char		case_[32];
	char		quantity[32];
	double		bound;
} Claim;

static Claim *claims = NULL;
static int	nclaims = 0;

static void
load_claims(void)
{
	const char *path = getenv("ACCURACY_CLAIMS");
	char		line[1024];
	FILE	   *f;
	int			cap = 0;

	if (!path || !*path)
		path = "../data/accuracy_claims.csv";
	f = fopen(path, "r");
	if (!f || !fgets(line, sizeof(line), f))
	{
		perror(path);
		exit(2);
	}
	while (fgets(line, sizeof(line), f))
	{
		char	   *field[6];
		char	   *s = line;
		int			i;

		for (i = 0; i < 6; i++)
		{
			field[i] = s;
			s = strchr(s, ',');
			if (!s)
				break;
			*s++ = '\0';
		}
		if (i < 6)
			continue;
		if (nclaims == cap)
		{
			cap = cap ? 2 * cap : 64;
			claims = realloc(claims, sizeof(Claim) * cap);
		}
		snprintf(claims[nclaims].suite, sizeof(claims[nclaims].suite), "%s", field[0]);
		snprintf(claims[nclaims].case_, sizeof(claims[nclaims].case_), "%s", field[1]);
		snprintf(claims[nclaims].quantity, sizeof(claims[nclaims].quantity), "%s", field[2]);
		claims[nclaims].bound = strtod(field[5], NULL);
		nclaims++;
	}
	fclose(f);
}

double
claim_bound(const char *suite, const char *case_, const char *quantity)
{
	int			i;

	if (!claims)
		load_claims();
	for (i = 0; i < nclaims; i++)
		if (!strcmp(claims[i].suite, suite) && !strcmp(claims[i].case_, case_) &&
			!strcmp(claims[i].quantity, quantity))
			return claims[i].bound;
	printf("no accuracy claim for %s %s %s in accuracy_claims.csv\n", suite, case_, quantity);
	return NAN;
}
