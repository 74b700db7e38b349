-- markov_model: data-driven Markov attribution, solved exactly

CREATE TYPE mops.markov_model;

CREATE FUNCTION mops.markov_model_in(cstring) RETURNS mops.markov_model
AS 'MODULE_PATHNAME', 'markov_model_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.markov_model_out(mops.markov_model) RETURNS cstring
AS 'MODULE_PATHNAME', 'markov_model_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.markov_model_recv(internal) RETURNS mops.markov_model
AS 'MODULE_PATHNAME', 'markov_model_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.markov_model_send(mops.markov_model) RETURNS bytea
AS 'MODULE_PATHNAME', 'markov_model_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE mops.markov_model (
    INPUT = mops.markov_model_in,
    OUTPUT = mops.markov_model_out,
    RECEIVE = mops.markov_model_recv,
    SEND = mops.markov_model_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);
COMMENT ON TYPE mops.markov_model IS
'Transition counts of an absorbing Markov chain over customer paths (order 1-4, at most 10,000 states), exact to 18 decimals so that merged models equal the model of the union. Text form: order 1; start > "email" 3; "email" > conversion 2; "email" > null 1; "email" value 12.5.';
COMMENT ON FUNCTION mops.markov_model_in(cstring) IS 'Text input of markov_model: "order k" then items separated by ";": state > target count, or state value amount; states are quoted labels separated by commas, start, conversion or null. Validated: the chain must be absorbing.';
COMMENT ON FUNCTION mops.markov_model_out(mops.markov_model) IS 'Text output of markov_model, in canonical order (see markov_model_in).';
COMMENT ON FUNCTION mops.markov_model_recv(internal) IS 'Binary input of markov_model: the stored form (little-endian, documented in doc/attribution.md), validated completely.';
COMMENT ON FUNCTION mops.markov_model_send(mops.markov_model) IS 'Binary output of markov_model: the stored form (little-endian).';

-- markov_fit

CREATE FUNCTION mops.markov_fit_transfn(mops.markov_model, mops.touch_path, float8, float8, float8)
RETURNS mops.markov_model
AS 'MODULE_PATHNAME', 'markov_fit_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.markov_fit_transfn(mops.markov_model, mops.touch_path, float8, float8, float8) IS
'Transition function of markov_fit (order 1): adds a path''s transitions to the model, in place. Not strict: a NULL path skips the row, NULL counts are errors.';

CREATE FUNCTION mops.markov_fit_transfn(mops.markov_model, mops.touch_path, float8, float8, float8, integer)
RETURNS mops.markov_model
AS 'MODULE_PATHNAME', 'markov_fit_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.markov_fit_transfn(mops.markov_model, mops.touch_path, float8, float8, float8, integer) IS
'Transition function of markov_fit with an order (1-4; the same for every row of a group). Not strict: a NULL path skips the row, NULL counts are errors.';

CREATE FUNCTION mops.markov_model_final(mops.markov_model) RETURNS mops.markov_model
AS 'MODULE_PATHNAME', 'markov_model_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.markov_model_final(mops.markov_model) IS
'Final function of markov_fit and markov_merge_agg: the model in its canonical stored form.';

CREATE FUNCTION mops.markov_merge(a mops.markov_model, b mops.markov_model) RETURNS mops.markov_model
AS 'MODULE_PATHNAME', 'markov_merge' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.markov_merge(mops.markov_model, mops.markov_model) IS
'The sum of two models: exactly the model fitted on the union of their data. Not strict: a NULL side counts as no data (NULL only if both are NULL). Models of different orders are an error (22023).';

CREATE AGGREGATE mops.markov_fit(path mops.touch_path, conversions float8, value float8, non_conversions float8) (
    SFUNC = mops.markov_fit_transfn,
    STYPE = mops.markov_model,
    FINALFUNC = mops.markov_model_final,
    COMBINEFUNC = mops.markov_merge,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mops.markov_fit(mops.touch_path, float8, float8, float8) IS
'Fits a first-order Markov attribution model: each path (consecutive repeats collapsed) adds conversions + non_conversions to each of its transitions from start, conversions to last -> conversion, non_conversions to last -> null, and value to its last state. NULL paths are skipped; empty paths are ignored; NULL, negative or NaN counts are errors.';

CREATE AGGREGATE mops.markov_fit(path mops.touch_path, conversions float8, value float8, non_conversions float8, "order" integer) (
    SFUNC = mops.markov_fit_transfn,
    STYPE = mops.markov_model,
    FINALFUNC = mops.markov_model_final,
    COMBINEFUNC = mops.markov_merge,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mops.markov_fit(mops.touch_path, float8, float8, float8, integer) IS
'Fits a Markov attribution model of order 1-4 (states are windows of order consecutive channels); order > 4 is 54000, more than 10,000 distinct states is 54000.';

CREATE AGGREGATE mops.markov_merge_agg(mops.markov_model) (
    SFUNC = mops.markov_merge,
    STYPE = mops.markov_model,
    FINALFUNC = mops.markov_model_final,
    COMBINEFUNC = mops.markov_merge,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mops.markov_merge_agg(mops.markov_model) IS
'The sum of many models (e.g. daily models rolled into a month): exactly the model fitted on all their data.';

CREATE FUNCTION mops.markov_attribution(m mops.markov_model)
RETURNS TABLE(channel text, removal_effect float8, conversions float8, value float8)
AS 'MODULE_PATHNAME', 'markov_attribution'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 12;
COMMENT ON FUNCTION mops.markov_attribution(mops.markov_model) IS
'Removal-effect attribution from the absorbing chain, solved exactly (no simulation): removal_effect = 1 - P(conversion | channel removed) / P(conversion); conversions = removal_effect / sum of removal effects * total conversions; value by the value-weighted removal effect (DESIGN 3.4). One row per channel, in label order.';
