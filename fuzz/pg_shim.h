/* pg_shim.h — the harness side of pg_shim.c (no PostgreSQL headers) */
#ifndef SURVEY_REG_PG_SHIM_H
#define SURVEY_REG_PG_SHIM_H

#include <setjmp.h>
#include <stddef.h>

typedef void *(*shim_alloc_fn) (size_t size);
typedef void (*shim_free_fn) (void *p);
typedef void *(*shim_realloc_fn) (void *p, size_t size);

extern shim_alloc_fn shim_alloc;
extern shim_free_fn shim_free;
extern shim_realloc_fn shim_realloc;

/* ereport(ERROR) longjmps here; the SQLSTATE (packed) and message */
extern jmp_buf *shim_catch;
extern int	shim_last_sqlerrcode;
extern char shim_last_message[512];

/* src/moments_io.c through the shim: 0 and *out on success, -1 on ERROR */
extern int	shim_moments_recv(const void *data, int len, void **out);
extern int	shim_moments_send(const void *state, void **bytes, int *len);

#endif
