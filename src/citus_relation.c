/*
 * citus_relation.c — does Citus plan the scans of a relation?
 *
 * Citus splits an aggregate into worker_partial_agg / coord_combine_agg only
 * when its worker-side check of the argument types passes, and that check
 * compares the aggregate's declared arguments with the call's: a VARIADIC
 * "any" aggregate (moments_of) fails it ("worker_partial_agg_sfunc could
 * not confirm type correctness").  So the table-name forms scan a Citus
 * relation with the array form, and everything else with the faster
 * separate-argument form.  The test is cheap when Citus is absent (one
 * catalog lookup) and needs no Citus headers.
 */
#include "survey_reg.h"

#include "catalog/pg_class.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"

bool
relation_on_citus(Oid relid, char relkind)
{
	Oid			argtypes[1] = {OIDOID};
	Datum		values[1];
	bool		found;

	if (!OidIsValid(get_extension_oid("citus", true)))
		return false;
	/* a view may read distributed tables: Citus plans it like one */
	if (relkind == RELKIND_VIEW)
		return true;
	/* distributed, reference and Citus-managed local tables */
	values[0] = ObjectIdGetDatum(relid);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_with_args("SELECT 1 FROM pg_catalog.pg_dist_partition"
							  " WHERE logicalrelid = $1",
							  1, argtypes, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "survey_reg could not read pg_dist_partition");
	found = SPI_processed > 0;
	SPI_finish();
	return found;
}
