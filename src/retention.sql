-- retention: ClickHouse retention semantics

CREATE FUNCTION mops.retention_transfn(varbit, boolean[]) RETURNS varbit
AS 'MODULE_PATHNAME', 'retention_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.retention_transfn(varbit, boolean[]) IS
'Transition function of retention: sets bit k when a row satisfies condition k+1. Not strict: NULL conditions are false.';

CREATE FUNCTION mops.retention_combinefn(varbit, varbit) RETURNS varbit
AS 'MODULE_PATHNAME', 'retention_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.retention_combinefn(varbit, varbit) IS
'Combine function of retention: bitwise OR of two partial states. Not strict: either side may be an empty group.';

CREATE FUNCTION mops.retention_finalfn(varbit) RETURNS boolean[]
AS 'MODULE_PATHNAME', 'retention_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.retention_finalfn(varbit) IS
'Final function of retention: [c1, c1 AND c2, ..., c1 AND cn]; NULL for no rows.';

CREATE AGGREGATE mops.retention(VARIADIC conditions boolean[]) (
    SFUNC = mops.retention_transfn,
    STYPE = varbit,
    FINALFUNC = mops.retention_finalfn,
    COMBINEFUNC = mops.retention_combinefn,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mops.retention(VARIADIC boolean[]) IS
'[r1, ..., rn] over the group: r1 = some row satisfies c1, rk = r1 AND some row satisfies ck (ClickHouse retention). Row order does not matter; up to 64 conditions; NULL for no rows. The state is a bit varying, so partial states combine anywhere.';
