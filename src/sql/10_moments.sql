-- The one-pass state: type, aggregates, merge and moments_from_matrix.

CREATE TYPE survey_reg.moments;

CREATE FUNCTION survey_reg.moments_in(cstring) RETURNS survey_reg.moments
AS 'MODULE_PATHNAME', 'moments_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_reg.moments_out(survey_reg.moments) RETURNS cstring
AS 'MODULE_PATHNAME', 'moments_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_reg.moments_recv(internal) RETURNS survey_reg.moments
AS 'MODULE_PATHNAME', 'moments_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION survey_reg.moments_send(survey_reg.moments) RETURNS bytea
AS 'MODULE_PATHNAME', 'moments_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE survey_reg.moments (
	INPUT = survey_reg.moments_in,
	OUTPUT = survey_reg.moments_out,
	RECEIVE = survey_reg.moments_recv,
	SEND = survey_reg.moments_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE survey_reg.moments IS
	'mergeable one-pass summary (weights, means, co-moments, range) of k variables over listwise-complete rows';

-- Transition function: not STRICT, because NULL rows are skipped and the
-- first call creates the state.
CREATE FUNCTION survey_reg.moments_transfn(survey_reg.moments, float8[])
RETURNS survey_reg.moments
AS 'MODULE_PATHNAME', 'moments_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg.moments_transfn(survey_reg.moments, float8[], text[])
RETURNS survey_reg.moments
AS 'MODULE_PATHNAME', 'moments_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION survey_reg.moments_transfn(survey_reg.moments, float8[], text[], float8)
RETURNS survey_reg.moments
AS 'MODULE_PATHNAME', 'moments_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION survey_reg.moments_combinefn(survey_reg.moments, survey_reg.moments)
RETURNS survey_reg.moments
AS 'MODULE_PATHNAME', 'moments_combinefn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Final function: the overflow check, once per group instead of per row.
CREATE FUNCTION survey_reg.moments_finalfn(survey_reg.moments)
RETURNS survey_reg.moments
AS 'MODULE_PATHNAME', 'moments_finalfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE survey_reg.moments(vars float8[]) (
	SFUNC = survey_reg.moments_transfn,
	STYPE = survey_reg.moments,
	COMBINEFUNC = survey_reg.moments_combinefn,
	FINALFUNC = survey_reg.moments_finalfn,
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_reg.moments(vars float8[], names text[]) (
	SFUNC = survey_reg.moments_transfn,
	STYPE = survey_reg.moments,
	COMBINEFUNC = survey_reg.moments_combinefn,
	FINALFUNC = survey_reg.moments_finalfn,
	PARALLEL = SAFE
);
CREATE AGGREGATE survey_reg.moments(vars float8[], names text[], weight float8) (
	SFUNC = survey_reg.moments_transfn,
	STYPE = survey_reg.moments,
	COMBINEFUNC = survey_reg.moments_combinefn,
	FINALFUNC = survey_reg.moments_finalfn,
	PARALLEL = SAFE
);

CREATE AGGREGATE survey_reg.merge(survey_reg.moments) (
	SFUNC = survey_reg.moments_combinefn,
	STYPE = survey_reg.moments,
	COMBINEFUNC = survey_reg.moments_combinefn,
	FINALFUNC = survey_reg.moments_finalfn,
	PARALLEL = SAFE
);

CREATE FUNCTION survey_reg.moments_from_matrix(names text[], n float8,
	corr float8[], means float8[] DEFAULT NULL, sds float8[] DEFAULT NULL)
RETURNS survey_reg.moments
AS 'MODULE_PATHNAME', 'moments_from_matrix' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- One scan of a relation by name (the table-name forms use it).
CREATE FUNCTION survey_reg.table_moments(source text, columns text[],
	weight text DEFAULT NULL)
RETURNS survey_reg.moments
AS 'MODULE_PATHNAME', 'table_moments_sql' LANGUAGE C STABLE PARALLEL RESTRICTED;

-- The same state from separate float8 arguments (no per-row array: the
-- fast form for wide tables); variables are x1 .. xk until renamed.
CREATE FUNCTION survey_reg.moments_of_transfn(survey_reg.moments, VARIADIC "any")
RETURNS survey_reg.moments
AS 'MODULE_PATHNAME', 'moments_of_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE survey_reg.moments_of(VARIADIC "any") (
	SFUNC = survey_reg.moments_of_transfn,
	STYPE = survey_reg.moments,
	COMBINEFUNC = survey_reg.moments_combinefn,
	FINALFUNC = survey_reg.moments_finalfn,
	PARALLEL = SAFE
);
CREATE FUNCTION survey_reg.moments_of_weighted_transfn(survey_reg.moments, float8, VARIADIC "any")
RETURNS survey_reg.moments
AS 'MODULE_PATHNAME', 'moments_of_weighted_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE survey_reg.moments_of_weighted(weight float8, VARIADIC "any") (
	SFUNC = survey_reg.moments_of_weighted_transfn,
	STYPE = survey_reg.moments,
	COMBINEFUNC = survey_reg.moments_combinefn,
	FINALFUNC = survey_reg.moments_finalfn,
	PARALLEL = SAFE
);
CREATE FUNCTION survey_reg.rename(m survey_reg.moments, names text[])
RETURNS survey_reg.moments
AS 'MODULE_PATHNAME', 'moments_rename' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
