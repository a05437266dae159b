/*
 * rmath_loader.c — R's math library loaded so that none of its internal
 * calls can bind to a symbol of the server executable.
 *
 * Why: libRmath calls its own functions through the PLT (default
 * visibility), and the dynamic linker looks in the executable first.
 * PostgreSQL 18's postgres exports dgamma (for SQL gamma()), so libRmath's
 * qf (which calls dgamma when df2 > 400,000) ran the server's dgamma with
 * R's arguments and crashed the backend; 15 and 17 export dexp.  Linked
 * with -lRmath, libRmath joins the global scope behind the executable.
 * Opened with RTLD_DEEPBIND it looks up symbols in itself and its own
 * dependencies (libm, libc) first, and RTLD_LOCAL keeps its symbols out
 * of everyone else's lookups.  We keep Debian's library (no copy of R's
 * sources) and call it through pointers.
 *
 * AddressSanitizer refuses RTLD_DEEPBIND (it must intercept malloc in
 * every library), so sanitizer builds load it without; they run on 15,
 * where nothing libRmath calls clashes.
 *
 * make RMATH_LINK=direct links -lRmath and calls it directly instead: the
 * deliberately clashing build the clash test (tools/symbol-clash.sh) must
 * catch.
 */
#include "rmath_loader.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef RMATH_SONAME
#define RMATH_SONAME "libRmath.so.1"
#endif

static void
default_load_failed(const char *message)
{
	fprintf(stderr, "%s\n", message);
	abort();
}

void		(*rmath_load_failed_hook) (const char *message) = default_load_failed;

#ifdef RMATH_DIRECT

extern double pt(double x, double df, int lower_tail, int log_p);
extern double qt(double p, double df, int lower_tail, int log_p);
extern double pf(double x, double df1, double df2, int lower_tail, int log_p);
extern double qf(double p, double df1, double df2, int lower_tail, int log_p);
extern double pchisq(double x, double df, int lower_tail, int log_p);
extern double pnorm5(double x, double mu, double sigma, int lower_tail, int log_p);
extern double qnorm5(double p, double mu, double sigma, int lower_tail, int log_p);

static void
rmath_load(void)
{
}

#define CALL(f) f

#else							/* dlopen */

#include <dlfcn.h>

#if defined(__SANITIZE_ADDRESS__)
#define RMATH_DLOPEN_FLAGS (RTLD_NOW | RTLD_LOCAL)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define RMATH_DLOPEN_FLAGS (RTLD_NOW | RTLD_LOCAL)
#endif
#endif
#ifndef RMATH_DLOPEN_FLAGS
#define RMATH_DLOPEN_FLAGS (RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND)
#endif

typedef double (*dist2_fn) (double, double, int, int);
typedef double (*dist3_fn) (double, double, double, int, int);

static dist2_fn p_pt, p_qt, p_pchisq;
static dist3_fn p_pf, p_qf, p_pnorm5, p_qnorm5;

static void *
symbol(void *lib, const char *name)
{
	void	   *f = dlsym(lib, name);

	if (f == NULL)
	{
		static char msg[256];

		snprintf(msg, sizeof(msg), "%s has no function %s", RMATH_SONAME, name);
		rmath_load_failed_hook(msg);
	}
	return f;
}

/* once per process; every pointer is set before p_qf, which is tested */
static void
rmath_load(void)
{
	void	   *lib;

	if (p_qf != NULL)
		return;
	lib = dlopen(RMATH_SONAME, RMATH_DLOPEN_FLAGS);
	if (lib == NULL)
	{
		static char msg[512];

		snprintf(msg, sizeof(msg), "could not load R's math library %s: %s",
				 RMATH_SONAME, dlerror());
		rmath_load_failed_hook(msg);
		return;
	}
	p_pt = (dist2_fn) symbol(lib, "pt");
	p_qt = (dist2_fn) symbol(lib, "qt");
	p_pchisq = (dist2_fn) symbol(lib, "pchisq");
	p_pnorm5 = (dist3_fn) symbol(lib, "pnorm5");
	p_qnorm5 = (dist3_fn) symbol(lib, "qnorm5");
	p_pf = (dist3_fn) symbol(lib, "pf");
	p_qf = (dist3_fn) symbol(lib, "qf");
}

#define CALL(f) p_##f

#endif

double
rmath_pt(double x, double df, int lower_tail, int log_p)
{
	rmath_load();
	return CALL(pt) (x, df, lower_tail, log_p);
}

double
rmath_qt(double p, double df, int lower_tail, int log_p)
{
	rmath_load();
	return CALL(qt) (p, df, lower_tail, log_p);
}

double
rmath_pf(double x, double df1, double df2, int lower_tail, int log_p)
{
	rmath_load();
	return CALL(pf) (x, df1, df2, lower_tail, log_p);
}

double
rmath_qf(double p, double df1, double df2, int lower_tail, int log_p)
{
	rmath_load();
	return CALL(qf) (p, df1, df2, lower_tail, log_p);
}

double
rmath_pchisq(double x, double df, int lower_tail, int log_p)
{
	rmath_load();
	return CALL(pchisq) (x, df, lower_tail, log_p);
}

/* the normal distribution (Rmath's pnorm / qnorm are macros for these) */
double
rmath_pnorm(double x, double mu, double sigma, int lower_tail, int log_p)
{
	rmath_load();
	return CALL(pnorm5) (x, mu, sigma, lower_tail, log_p);
}

double
rmath_qnorm(double p, double mu, double sigma, int lower_tail, int log_p)
{
	rmath_load();
	return CALL(qnorm5) (p, mu, sigma, lower_tail, log_p);
}
