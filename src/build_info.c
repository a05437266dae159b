/*
 * build_info.c — build_info(): what this library was built with and which
 * code paths it takes on this machine, for bug reports and benchmark notes
 * (the update kernel decides nothing about results: both give the same
 * bits).
 */
#include "survey_reg.h"

#include "funcapi.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(build_info);

static void
emit(ReturnSetInfo *rsinfo, const char *item, const char *value)
{
	Datum		values[2];
	bool		nulls[2] = {false, false};

	values[0] = CStringGetTextDatum(item);
	values[1] = CStringGetTextDatum(value);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

Datum
build_info(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	emit(rsinfo, "library_version", SURVEY_REG_VERSION);
	emit(rsinfo, "update_kernel",
		 moments_use_fma_kernels() ? "AVX2+FMA" :
		 moments_portable_kernels ? "portable (SURVEY_REG_PORTABLE_KERNELS is set)" :
		 "portable (Dekker products)");
	emit(rsinfo, "batch_rows", psprintf("%d", MOMENTS_BATCH_ROWS));
	emit(rsinfo, "max_variables", psprintf("%d", MOMENTS_MAX_K));
	emit(rsinfo, "blas_threads", survey_reg_blas_threads);
	return (Datum) 0;
}
