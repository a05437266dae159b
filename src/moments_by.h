/*
 * moments_by.h — the state of survey_reg._moments_by (moments_by.c): one
 * moments state per distinct key, for model_terms.c.
 */
#ifndef SURVEY_REG_MOMENTS_BY_H
#define SURVEY_REG_MOMENTS_BY_H

#include "survey_reg.h"

/* keys one state holds before it stops (overflow); variables per call */
#define MOMENTS_BY_MAX_KEYS	1000
#define MOMENTS_BY_MAX_K	100

typedef struct ByState
{
	int32		vl_len_;		/* varlena header */
	int32		k;				/* variables */
	int32		nkeys;
	int32		last_off;		/* offset of the entry matched last, or 0 */
	int32		overflow;		/* more than MOMENTS_BY_MAX_KEYS keys seen */
	int32		pad;
	/* entries follow */
} ByState;

typedef struct ByEntry
{
	int32		size;			/* bytes of the entry */
	int32		keylen;
	/* the key's bytes, padded to MAXALIGN, then a MomentsState */
} ByEntry;

extern ByEntry *moments_by_first(ByState *s);
extern ByEntry *moments_by_next(ByEntry *e);
extern const char *moments_by_key(ByEntry *e);
extern MomentsState *moments_by_state(ByEntry *e);

#endif							/* SURVEY_REG_MOMENTS_BY_H */
