/*
 * survey_means_units.h — the flat state of survey_reg._means_units: a
 * bytea holding an open-addressing hash of (stratum, PSU, SSU, group)
 * entries, each with survey_means_agg.h's mode-0 sums.
 */
#ifndef SURVEY_MEANS_UNITS_H
#define SURVEY_MEANS_UNITS_H

#include "postgres.h"

#define UNITS_MAGIC 0x53554e31	/* "SUN1" */
#define UNITS_NKEYS 4

typedef struct UnitsState
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	int32		magic;
	int32		nvars;
	int32		overflow;		/* past the memory budget: no entries */
	int64		capacity;		/* index slots, a power of two (0 in overflow) */
	int64		count;			/* entries */
	int64		entry_bytes;
	int64		reserved;
	/* the index (capacity int32: 0 empty, else entry + 1), the entries */
} UnitsState;

typedef struct UnitsEntry
{
	int64		key[UNITS_NKEYS];	/* stratum, PSU, SSU, group */
	uint32		nulls;			/* bit i: key i is NULL */
	uint32		used;
	double		sums[FLEXIBLE_ARRAY_MEMBER];	/* MS_FIXED + 3 nvars */
} UnitsEntry;

/* a state from a datum (detoasted, aligned, checked) and its entry i */
extern UnitsState *units_state(Datum d);
extern UnitsEntry *units_entry(UnitsState *st, int64 i);

#endif
