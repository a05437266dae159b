/*
 * module.c — the library's magic block and load-time set-up.
 */
#include "survey_reg.h"

#include <dlfcn.h>

PG_MODULE_MAGIC;

void		_PG_init(void);

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
	int			i;

	for (i = 0; i < lengthof(setters); i++)
	{
		void		(*set) (int) = (void (*) (int)) dlsym(RTLD_DEFAULT, setters[i]);

		if (set)
			set(1);
	}
}
