-- funnel_stage: a stage within a named funnel model

-- Custom funnel models.  Built-in models (aida, lifecycle, journey, tofu,
-- aarrr) live in the C code and are not stored here.
CREATE TABLE mops.funnel_model (
    model_id integer PRIMARY KEY
        CHECK (model_id BETWEEN 100 AND 32767),
    model text NOT NULL UNIQUE,
    stages text[] NOT NULL
        CHECK (pg_catalog.cardinality(stages) BETWEEN 1 AND 1000)
);
SELECT pg_catalog.pg_extension_config_dump('mops.funnel_model', '');
GRANT SELECT ON mops.funnel_model TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON mops.funnel_model TO @extowner@ WITH GRANT OPTION;

-- Model ids are drawn from a sequence, never from max(model_id) + 1: an id
-- is never given out twice, even after its model was deleted, so a stored
-- value of a deleted model can never silently read as another model.
CREATE SEQUENCE mops.funnel_model_id_seq AS integer
    MINVALUE 100 MAXVALUE 32767 START 100 NO CYCLE;
SELECT pg_catalog.pg_extension_config_dump('mops.funnel_model_id_seq', '');
GRANT USAGE, SELECT, UPDATE ON SEQUENCE mops.funnel_model_id_seq TO @extowner@ WITH GRANT OPTION;
COMMENT ON SEQUENCE mops.funnel_model_id_seq IS
'Source of mops.funnel_model ids; ids are never reused. Kept by pg_dump.';

COMMENT ON TABLE mops.funnel_model IS
'Custom funnel models defined with mops.define_funnel(). A model may only gain stages at the end, because stored funnel_stage values refer to a model by id and to a stage by position. Kept by pg_dump.';
COMMENT ON COLUMN mops.funnel_model.model_id IS 'Internal id of the model (100 and up; 1-99 are the built-in models). Never changes.';
COMMENT ON COLUMN mops.funnel_model.model IS 'Model name, as normalize_label() output.';
COMMENT ON COLUMN mops.funnel_model.stages IS 'Stage names in funnel order, as normalize_label() output.';

-- Validate and normalise rows however they arrive (define_funnel, a direct
-- INSERT, or a pg_dump restore), and keep models append-only.
CREATE FUNCTION mops.funnel_model_validate()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    builtin constant text[] := ARRAY['aida', 'lifecycle', 'journey', 'tofu', 'aarrr'];
    normalised text[] := ARRAY[]::text[];
    stage text;
BEGIN
    NEW.model := mops.normalize_label(NEW.model);
    IF NEW.model = '' OR strpos(NEW.model, ':') > 0 OR octet_length(NEW.model) > 63 THEN
        RAISE EXCEPTION 'invalid funnel model name "%"', NEW.model
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'A model name is a non-empty label of at most 63 bytes without a colon.';
    END IF;
    IF NEW.model = ANY (builtin) THEN
        RAISE EXCEPTION 'funnel model "%" is built in', NEW.model
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'The built-in models aida, lifecycle, journey, tofu and aarrr cannot be redefined.',
                  HINT = 'Choose another name for the custom model.';
    END IF;
    IF NEW.stages IS NULL OR cardinality(NEW.stages) = 0 THEN
        RAISE EXCEPTION 'funnel model "%" has no stages', NEW.model
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'A funnel model needs at least one stage.';
    END IF;
    IF cardinality(NEW.stages) > 1000 THEN
        RAISE EXCEPTION 'funnel model "%" has too many stages', NEW.model
            USING ERRCODE = 'program_limit_exceeded',
                  DETAIL = format('A funnel model has at most 1000 stages; %s were given.', cardinality(NEW.stages));
    END IF;
    FOREACH stage IN ARRAY NEW.stages LOOP
        IF stage IS NULL THEN
            RAISE EXCEPTION 'funnel model "%" has a null stage', NEW.model
                USING ERRCODE = 'null_value_not_allowed',
                      DETAIL = 'Every stage of a funnel model needs a name.';
        END IF;
        stage := mops.normalize_label(stage);
        IF stage = '' OR strpos(stage, ':') > 0 OR octet_length(stage) > 63 THEN
            RAISE EXCEPTION 'invalid stage name "%" in funnel model "%"', stage, NEW.model
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'A stage name is a non-empty label of at most 63 bytes without a colon.';
        END IF;
        IF stage = ANY (normalised) THEN
            RAISE EXCEPTION 'stage "%" appears twice in funnel model "%"', stage, NEW.model
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'Stage names are compared after normalize_label().';
        END IF;
        normalised := normalised || stage;
    END LOOP;
    NEW.stages := normalised;

    IF TG_OP = 'UPDATE' THEN
        IF NEW.model_id IS DISTINCT FROM OLD.model_id OR NEW.model IS DISTINCT FROM OLD.model THEN
            RAISE EXCEPTION 'cannot rename or renumber funnel model "%"', OLD.model
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'Stored funnel_stage values refer to the model by its id.',
                      HINT = 'Define a new model instead.';
        END IF;
        IF cardinality(NEW.stages) < cardinality(OLD.stages)
           OR NEW.stages[1:cardinality(OLD.stages)] IS DISTINCT FROM OLD.stages THEN
            RAISE EXCEPTION 'funnel model "%" may only gain stages at the end', OLD.model
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = format('Its stages are %s; a redefinition must start with them, in that order.',
                                      array_to_string(OLD.stages, ', ')),
                      HINT = 'Stored funnel_stage values refer to stages by position. Define a new model to reorder or remove stages.';
        END IF;
    ELSIF NEW.model_id IS NULL THEN
        BEGIN
            NEW.model_id := nextval('mops.funnel_model_id_seq'::regclass);
        EXCEPTION WHEN sequence_generator_limit_exceeded THEN
            RAISE EXCEPTION 'too many funnel models'
                USING ERRCODE = 'program_limit_exceeded',
                      DETAIL = 'At most 32668 custom funnel models can ever be defined; ids are not reused.';
        END;
    ELSIF NEW.model_id BETWEEN 100 AND 32767 THEN
        -- an explicit id (a restore, a direct INSERT): never hand it out later
        -- (ids outside the range are refused by the table's CHECK)
        PERFORM setval('mops.funnel_model_id_seq'::regclass, NEW.model_id)
          FROM mops.funnel_model_id_seq s
         WHERE NOT s.is_called OR s.last_value OPERATOR(pg_catalog.<) NEW.model_id;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION mops.funnel_model_validate() IS
'Trigger on mops.funnel_model: normalises names, checks them, assigns model ids and keeps models append-only.';

CREATE TRIGGER funnel_model_validate
BEFORE INSERT OR UPDATE ON mops.funnel_model
FOR EACH ROW EXECUTE FUNCTION mops.funnel_model_validate();

CREATE FUNCTION mops.funnel_model_changed()
RETURNS trigger
AS 'MODULE_PATHNAME', 'funnel_model_changed'
LANGUAGE C;
COMMENT ON FUNCTION mops.funnel_model_changed() IS
'Trigger on mops.funnel_model: tells every session to reload its cache of custom funnel models.';

CREATE TRIGGER funnel_model_changed
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON mops.funnel_model
FOR EACH STATEMENT EXECUTE FUNCTION mops.funnel_model_changed();

-- The type

CREATE TYPE mops.funnel_stage;

CREATE FUNCTION mops.funnel_stage_in(cstring) RETURNS mops.funnel_stage
AS 'MODULE_PATHNAME', 'funnel_stage_in' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.funnel_stage_out(mops.funnel_stage) RETURNS cstring
AS 'MODULE_PATHNAME', 'funnel_stage_out' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.funnel_stage_recv(internal) RETURNS mops.funnel_stage
AS 'MODULE_PATHNAME', 'funnel_stage_recv' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.funnel_stage_send(mops.funnel_stage) RETURNS bytea
AS 'MODULE_PATHNAME', 'funnel_stage_send' LANGUAGE C STABLE STRICT PARALLEL SAFE;

CREATE TYPE mops.funnel_stage (
    INPUT = mops.funnel_stage_in,
    OUTPUT = mops.funnel_stage_out,
    RECEIVE = mops.funnel_stage_recv,
    SEND = mops.funnel_stage_send,
    INTERNALLENGTH = 4,
    PASSEDBYVALUE,
    ALIGNMENT = int4,
    STORAGE = plain
);
COMMENT ON TYPE mops.funnel_stage IS
'A stage of a funnel model, written model:stage (for example lifecycle:mql). Ordered by model, then by position in the model.';
COMMENT ON FUNCTION mops.funnel_stage_in(cstring) IS 'Text input of funnel_stage: model:stage, normalised with normalize_label().';
COMMENT ON FUNCTION mops.funnel_stage_out(mops.funnel_stage) IS 'Text output of funnel_stage: canonical model:stage.';
COMMENT ON FUNCTION mops.funnel_stage_recv(internal) IS 'Binary input of funnel_stage: a version byte, the model name and the stage name.';
COMMENT ON FUNCTION mops.funnel_stage_send(mops.funnel_stage) IS 'Binary output of funnel_stage: a version byte, the model name and the stage name.';

-- Comparison operators, btree and hash opclasses, min and max: generated
-- from src/ordering.sql.in (see Makefile), loaded right after this file.

-- Accessors

CREATE FUNCTION mops.stage_model(stage mops.funnel_stage) RETURNS text
AS 'MODULE_PATHNAME', 'funnel_stage_model' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.stage_model(mops.funnel_stage) IS 'The funnel model of a stage: stage_model(''lifecycle:mql'') = ''lifecycle''.';

CREATE FUNCTION mops.stage_position(stage mops.funnel_stage) RETURNS integer
AS 'MODULE_PATHNAME', 'funnel_stage_position' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.stage_position(mops.funnel_stage) IS 'The 1-based position of a stage in its model: stage_position(''lifecycle:mql'') = 3.';

CREATE FUNCTION mops.stage_count(model text) RETURNS integer
AS 'MODULE_PATHNAME', 'funnel_stage_count' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.stage_count(text) IS 'The number of stages of a funnel model (built-in or custom); an unknown model is an error (22023).';

CREATE FUNCTION mops.next_stage(stage mops.funnel_stage) RETURNS mops.funnel_stage
AS 'MODULE_PATHNAME', 'funnel_stage_next' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.next_stage(mops.funnel_stage) IS 'The stage after this one in its model, or NULL after the last stage.';

CREATE FUNCTION mops.stage_distance(from_stage mops.funnel_stage, to_stage mops.funnel_stage) RETURNS integer
AS 'MODULE_PATHNAME', 'funnel_stage_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.stage_distance(mops.funnel_stage, mops.funnel_stage) IS
'Number of stages from the first stage to the second (negative when the second comes earlier); stages of different models are an error (22023).';

CREATE FUNCTION mops.funnel_stages(model text) RETURNS SETOF mops.funnel_stage
AS 'MODULE_PATHNAME', 'funnel_stages' LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 10;
COMMENT ON FUNCTION mops.funnel_stages(text) IS 'Every stage of a funnel model, in order; an unknown model is an error (22023).';

CREATE FUNCTION mops.define_funnel(model text, stages text[]) RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF model IS NULL OR stages IS NULL THEN
        RAISE EXCEPTION 'funnel model name and stages must not be null'
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = 'define_funnel needs a model name and an array of stage names.';
    END IF;
    -- One definition at a time: update-or-insert is then race-free, and an
    -- existing model is updated without drawing a new id.
    LOCK TABLE mops.funnel_model IN SHARE ROW EXCLUSIVE MODE;
    UPDATE mops.funnel_model f SET stages = define_funnel.stages
     WHERE f.model OPERATOR(pg_catalog.=) mops.normalize_label(define_funnel.model);
    IF NOT FOUND THEN
        INSERT INTO mops.funnel_model (model, stages)
        VALUES (define_funnel.model, define_funnel.stages);
    END IF;
END
$$;
COMMENT ON FUNCTION mops.define_funnel(text, text[]) IS
'Defines a custom funnel model, or appends stages to one: define_funnel(''webinar'', ''{registered,attended,demo,won}''). A model may only gain stages at the end. Volatile and parallel unsafe: it writes mops.funnel_model.';
