/*
 * pg_compat.h — every difference of the server API between the PostgreSQL
 * majors survey_reg builds against (15, 16, 17, 18), in one place.  Code
 * elsewhere is written for the newest API; this header maps it onto the
 * older ones.  Include after postgres.h.  Sources: each major's headers and
 * release notes.
 */
#ifndef SURVEY_REG_PG_COMPAT_H
#define SURVEY_REG_PG_COMPAT_H

#if PG_VERSION_NUM < 150000
#error "survey_reg needs PostgreSQL 15 or later"
#endif

/*
 * 18 replaced pg_attribute_noreturn(), written after a declaration, with
 * pg_noreturn (C11 _Noreturn), written before it.  Before 18 GCC and clang
 * accept the attribute in front as well.
 */
#if PG_VERSION_NUM < 180000 && !defined(pg_noreturn)
#define pg_noreturn pg_attribute_noreturn()
#endif

/*
 * 16 moved the varlena macros (VARSIZE, SET_VARSIZE, VARDATA, ...) from
 * postgres.h into varatt.h.  postgres.h still includes it, but say it, so
 * the code does not depend on that.
 */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * The data arguments of appendBinaryStringInfo, appendBinaryStringInfoNT
 * and pq_sendbytes became const void * in 16 (const char * before);
 * pq_copymsgbytes's destination became void * in 18 (char * before).
 * Only code that defines these functions (the fuzz shim) needs the types;
 * callers convert implicitly.
 */
#if PG_VERSION_NUM >= 160000
typedef const void *pgc_bytes_in;
#else
typedef const char *pgc_bytes_in;
#endif

#if PG_VERSION_NUM >= 180000
typedef void *pgc_bytes_out;
#else
typedef char *pgc_bytes_out;
#endif

#endif							/* SURVEY_REG_PG_COMPAT_H */
