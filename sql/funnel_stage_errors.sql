-- funnel_stage_errors: every malformed funnel_stage literal is rejected with
-- SQLSTATE 22P02 (invalid_text_representation), a detail saying what was
-- wrong and, for an unknown model or stage, a hint listing what is accepted
-- (DESIGN §2 and §3.2).  The SQLSTATE is echoed after each error.  No custom
-- models exist here, so the list of known models is the five built-ins.
SET search_path = mops, public;

-- The empty string: no colon at all.
SELECT ''::funnel_stage;
\echo :LAST_ERROR_SQLSTATE

-- A lone colon: both sides are empty; the model is checked first.
SELECT ':'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE

-- A model without a stage (no colon).
SELECT 'lifecycle'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE

-- A space is not the separator.
SELECT 'lifecycle mql'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE

-- A known model with an empty stage.  The stage is unknown, so the hint
-- lists the stages of lifecycle (DESIGN §3.2: unknown stage -> the accepted
-- stages in the hint).
SELECT 'lifecycle:'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE

-- An empty model: the hint lists the known models.
SELECT ':mql'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE

-- More than one colon.
SELECT 'lifecycle:mql:sql'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE
SELECT 'lifecycle::mql'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE

-- An unknown model: the hint lists the known models, in model order.
SELECT 'nope:mql'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE
-- A dash in a model name is a separator, so life-cycle is "life_cycle",
-- which is not "lifecycle".
SELECT 'Life-Cycle:MQL'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE

-- An unknown stage of a known model: the hint lists that model's stages in order.
SELECT 'lifecycle:nope'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE
-- Positions are not accepted in place of stage names.
SELECT 'lifecycle:3'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE

-- A stage of another model: mql is a lifecycle stage, not an aida stage.
SELECT 'aida:mql'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE
-- tofu is both a model and a stage of it; bofu is not a stage of aarrr.
SELECT 'aarrr:bofu'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE

-- Names are at most 63 bytes after normalisation.  A 64-byte model name is
-- too long (and so certainly an unknown model: the hint lists the models).
SELECT (repeat('m', 64) || ':mql')::funnel_stage;
\echo :LAST_ERROR_SQLSTATE
-- A 63-byte model name is not too long, just unknown.
SELECT (repeat('m', 63) || ':mql')::funnel_stage;
\echo :LAST_ERROR_SQLSTATE
-- A 64-byte stage of a known model: too long, and the hint lists lifecycle's stages.
SELECT ('lifecycle:' || repeat('s', 64))::funnel_stage;
\echo :LAST_ERROR_SQLSTATE
-- The limit is in bytes, not characters: 32 é are 64 bytes in UTF-8 (too
-- long, so an unknown model: the hint lists the models).
SELECT (repeat('é', 32) || ':mql')::funnel_stage;
\echo :LAST_ERROR_SQLSTATE
-- The limit applies after normalisation: blanks around a name do not count,
-- so this 77-byte input (2 + 9 + 60 + 4 + 2) is lifecycle:mql.
SELECT ('  lifecycle' || repeat(' ', 60) || ':mql  ')::funnel_stage AS padded;
SELECT octet_length('  lifecycle' || repeat(' ', 60) || ':mql  ') AS input_bytes;  -- 77

-- Parts made only of white space or separators are empty after
-- normalisation.  An empty stage of lifecycle is an unknown stage: the hint
-- lists lifecycle's stages.
SELECT '   :mql'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE
SELECT ' - _ :mql'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE
SELECT 'lifecycle:   '::funnel_stage;
\echo :LAST_ERROR_SQLSTATE
SELECT ' Lifecycle : - _ '::funnel_stage;
\echo :LAST_ERROR_SQLSTATE
SELECT ' : '::funnel_stage;
\echo :LAST_ERROR_SQLSTATE

-- The same errors arise wherever text becomes a funnel_stage: an INSERT, an
-- array element, a cast from a text column.
CREATE TABLE fse_t (s funnel_stage);
INSERT INTO fse_t VALUES ('lifecycle:won');
\echo :LAST_ERROR_SQLSTATE
SELECT '{lifecycle:mql, nope:x}'::funnel_stage[];
\echo :LAST_ERROR_SQLSTATE
SELECT x::funnel_stage FROM (VALUES ('tofu:mofu'), ('tofu:mql')) AS t(x);
\echo :LAST_ERROR_SQLSTATE
-- Nothing was stored by the failed statements.
SELECT count(*) FROM fse_t;  -- 0
DROP TABLE fse_t;
