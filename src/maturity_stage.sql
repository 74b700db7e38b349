-- maturity_stage: the five stages of marketing-operations maturity

CREATE TYPE mops.maturity_stage;

CREATE FUNCTION mops.maturity_stage_in(cstring) RETURNS mops.maturity_stage
AS 'MODULE_PATHNAME', 'maturity_stage_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.maturity_stage_out(mops.maturity_stage) RETURNS cstring
AS 'MODULE_PATHNAME', 'maturity_stage_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.maturity_stage_recv(internal) RETURNS mops.maturity_stage
AS 'MODULE_PATHNAME', 'maturity_stage_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.maturity_stage_send(mops.maturity_stage) RETURNS bytea
AS 'MODULE_PATHNAME', 'maturity_stage_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE mops.maturity_stage (
    INPUT = mops.maturity_stage_in,
    OUTPUT = mops.maturity_stage_out,
    RECEIVE = mops.maturity_stage_recv,
    SEND = mops.maturity_stage_send,
    INTERNALLENGTH = 2,
    PASSEDBYVALUE,
    ALIGNMENT = int2,
    STORAGE = plain
);
COMMENT ON TYPE mops.maturity_stage IS
'Marketing-operations maturity stage: foundations < alignment < optimisation < integration < transformation. Input is case-insensitive and also accepts optimization and the numbers 1-5.';
COMMENT ON FUNCTION mops.maturity_stage_in(cstring) IS 'Text input of maturity_stage: a stage name (British or American spelling, any case) or its number 1-5.';
COMMENT ON FUNCTION mops.maturity_stage_out(mops.maturity_stage) IS 'Text output of maturity_stage: the stage name, British spelling.';
COMMENT ON FUNCTION mops.maturity_stage_recv(internal) IS 'Binary input of maturity_stage: a version byte and the stage number.';
COMMENT ON FUNCTION mops.maturity_stage_send(mops.maturity_stage) IS 'Binary output of maturity_stage: a version byte and the stage number.';

CREATE FUNCTION mops.maturity_stage_number(stage mops.maturity_stage) RETURNS integer
AS 'MODULE_PATHNAME', 'maturity_stage_number' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.maturity_stage_number(mops.maturity_stage) IS 'The number of a maturity stage, 1 (foundations) to 5 (transformation).';

CREATE CAST (mops.maturity_stage AS integer)
WITH FUNCTION mops.maturity_stage_number(mops.maturity_stage);
COMMENT ON CAST (mops.maturity_stage AS integer) IS 'The stage number, 1 (foundations) to 5 (transformation).';
