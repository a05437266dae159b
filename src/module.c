/*
 * module.c — the library's magic block and load-time set-up.
 */
#include "survey_reg.h"

#include <dlfcn.h>

#include "ols_core.h"
#include "reliability_core.h"
#include "rmath_loader.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* the numeric core's long loops call this, so queries can be cancelled */
static void
check_for_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

/* R's math library is loaded at first use (rmath_loader.c) */
static void
rmath_load_failed(const char *message)
{
	ereport(ERROR,
			(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
			 errmsg("%s", message),
			 errhint("Install R's standalone math library (Debian package r-mathlib).")));
}

/* for build_info(): how BLAS was kept to one thread */
const char *survey_reg_blas_threads = "single-threaded BLAS (no thread setter found)";

/*
 * Keep BLAS single-threaded inside backends: a backend is one process among
 * many (and parallel workers are processes already), and threaded BLAS
 * libraries start thread pools that do not survive fork or signals well.
 * Debian's reference BLAS is single-threaded; if the system's BLAS
 * alternative is OpenBLAS or BLIS, set it to one thread.
 */
void
_PG_init(void)
{
	const char *const setters[] = {
		"openblas_set_num_threads", "goto_set_num_threads",
		"bli_thread_set_num_threads", "MKL_Set_Num_Threads"
	};
	size_t		i;

	/*
	 * A debugging knob for tools that cannot decode AVX2 code (Valgrind):
	 * the portable kernels give the same bits.
	 */
	if (getenv("SURVEY_REG_PORTABLE_KERNELS") != NULL)
		moments_portable_kernels = 1;

	moments_interrupt_hook = check_for_interrupts;
	ols_interrupt_hook = check_for_interrupts;
	rel_interrupt_hook = check_for_interrupts;
	rmath_load_failed_hook = rmath_load_failed;

	for (i = 0; i < lengthof(setters); i++)
	{
		void		(*set) (int) = (void (*) (int)) dlsym(RTLD_DEFAULT, setters[i]);

		if (set)
		{
			static char done[64];	/* load-time memory may be short-lived */

			set(1);
			snprintf(done, sizeof(done), "%s(1)", setters[i]);
			survey_reg_blas_threads = done;
		}
	}
}
