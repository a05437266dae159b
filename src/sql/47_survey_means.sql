-- Design-based means, totals and proportions (src/survey_means.c, API.md
-- section 9): R's svymean / svytotal with na.rm = TRUE, svyby and subset().
-- One grouped scan of the relation per call; not STRICT (a NULL source or
-- variables gives no rows, a NULL option is its default).  PARALLEL
-- RESTRICTED as the other table-name forms: it runs a query of its own (which
-- itself may use a parallel plan).
CREATE FUNCTION survey_reg.survey_means(source text, variables text[],
	weight text DEFAULT NULL, strata text DEFAULT NULL,
	cluster text DEFAULT NULL, fpc text DEFAULT NULL,
	cluster2 text DEFAULT NULL, fpc2 text DEFAULT NULL,
	by text DEFAULT NULL, domain text DEFAULT NULL,
	lonely_psu text DEFAULT 'fail')
RETURNS TABLE(group_value text, variable text, n bigint, mean float8,
	se float8, ci_lower float8, ci_upper float8, total float8,
	total_se float8, df float8)
AS 'MODULE_PATHNAME', 'survey_means_table' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION survey_reg.survey_means(text, text[], text, text, text, text, text, text, text, text, text) IS
	'design-based means (proportions of boolean variables) and totals with linearization SEs, t intervals on the design df, by groups and in a domain; strata, clusters (PSUs), first-stage fpc and two-stage designs (cluster2, fpc2), as R''s survey package';

-- survey_means' scan: one transition per row for a unit's counts and sums
-- (src/survey_means_agg.c, issue 16); internal, the state a plain float8[]
CREATE FUNCTION survey_reg._means_sums_transfn(float8[], int4, float8,
	float8, float8, bool, bool, VARIADIC "any")
RETURNS float8[]
AS 'MODULE_PATHNAME', 'means_sums_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg._means_sums_combinefn(float8[], float8[])
RETURNS float8[]
AS 'MODULE_PATHNAME', 'means_sums_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE survey_reg._means_sums(mode int4, w float8, f1 float8,
	f2 float8, used bool, in_domain bool, VARIADIC "any") (
	SFUNC = survey_reg._means_sums_transfn,
	STYPE = float8[],
	COMBINEFUNC = survey_reg._means_sums_combinefn,
	PARALLEL = SAFE
);

-- survey_means' scan of a clustered design with integer keys: one
-- ungrouped aggregate hashing the units (src/survey_means_units.c, issue
-- 16); internal, the state a flat bytea; fpc and fpc2 float8 or numeric
CREATE FUNCTION survey_reg._means_units_transfn(bytea, int8, int8, int8,
	int8, float8, "any", "any", bool, bool, VARIADIC "any")
RETURNS bytea
AS 'MODULE_PATHNAME', 'means_units_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg._means_units_combinefn(bytea, bytea)
RETURNS bytea
AS 'MODULE_PATHNAME', 'means_units_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE survey_reg._means_units(stratum int8, psu int8, ssu int8,
	grp int8, w float8, f1 "any", f2 "any", used bool, in_domain bool,
	VARIADIC "any") (
	SFUNC = survey_reg._means_units_transfn,
	STYPE = bytea,
	COMBINEFUNC = survey_reg._means_units_combinefn,
	PARALLEL = SAFE
);
