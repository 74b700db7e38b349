-- smart_goal: SMART goals (DESIGN §3.5; forms in src/core/smart_goal.h)

CREATE TYPE mops.smart_goal;

CREATE FUNCTION mops.smart_goal_in(cstring) RETURNS mops.smart_goal
AS 'MODULE_PATHNAME', 'smart_goal_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.smart_goal_out(mops.smart_goal) RETURNS cstring
AS 'MODULE_PATHNAME', 'smart_goal_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.smart_goal_recv(internal) RETURNS mops.smart_goal
AS 'MODULE_PATHNAME', 'smart_goal_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.smart_goal_send(mops.smart_goal) RETURNS bytea
AS 'MODULE_PATHNAME', 'smart_goal_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE mops.smart_goal (
    INPUT = mops.smart_goal_in,
    OUTPUT = mops.smart_goal_out,
    RECEIVE = mops.smart_goal_recv,
    SEND = mops.smart_goal_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);
COMMENT ON TYPE mops.smart_goal IS
'A SMART goal: metric and target (required), baseline, unit, starts, due, owner, objective. Text form: key=value pairs, e.g. metric=email_clicks baseline=1000 target=1250 starts=2026-01-01 due=2026-12-31 owner=crm objective="pipeline growth".';
COMMENT ON FUNCTION mops.smart_goal_in(cstring) IS 'Text input of smart_goal: space-separated key=value pairs (keys metric, baseline, target, unit, starts, due, owner, objective; values with blanks in double quotes).';
COMMENT ON FUNCTION mops.smart_goal_out(mops.smart_goal) IS 'Text output of smart_goal: the canonical key=value form (fixed key order, absent keys omitted).';
COMMENT ON FUNCTION mops.smart_goal_recv(internal) IS 'Binary input of smart_goal: the stored form, validated like text input.';
COMMENT ON FUNCTION mops.smart_goal_send(mops.smart_goal) IS 'Binary output of smart_goal: the stored form (version byte, present fields, dates, length-prefixed values).';

-- Constructor: metric and target required (NULL gives NULL), the rest
-- optional by name, e.g. smart_goal('cpa', 40, baseline => 50).
CREATE FUNCTION mops.smart_goal(metric text, target numeric, baseline numeric DEFAULT NULL,
                                starts date DEFAULT NULL, due date DEFAULT NULL,
                                owner text DEFAULT NULL, objective text DEFAULT NULL,
                                unit text DEFAULT NULL)
RETURNS mops.smart_goal
AS 'MODULE_PATHNAME', 'smart_goal_make' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.smart_goal(text, numeric, numeric, date, date, text, text, text) IS
'A smart_goal from its fields; NULL when metric or target is NULL, other NULL arguments leave the field out. Checks what text input checks.';

-- jsonb

CREATE FUNCTION mops.smart_goal_to_jsonb(mops.smart_goal) RETURNS jsonb
AS 'MODULE_PATHNAME', 'smart_goal_to_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.smart_goal_to_jsonb(mops.smart_goal) IS
'The goal as a jsonb object: numbers (target, baseline) as JSON numbers, dates as YYYY-MM-DD strings, absent fields omitted.';
CREATE FUNCTION mops.smart_goal_from_jsonb(jsonb) RETURNS mops.smart_goal
AS 'MODULE_PATHNAME', 'smart_goal_from_jsonb' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.smart_goal_from_jsonb(jsonb) IS
'A goal from a jsonb object with the keys of the text form (strings or numbers; null means absent). Checks what text input checks.';

CREATE CAST (mops.smart_goal AS jsonb) WITH FUNCTION mops.smart_goal_to_jsonb(mops.smart_goal);
COMMENT ON CAST (mops.smart_goal AS jsonb) IS 'The goal as a jsonb object.';
CREATE CAST (jsonb AS mops.smart_goal) WITH FUNCTION mops.smart_goal_from_jsonb(jsonb);
COMMENT ON CAST (jsonb AS mops.smart_goal) IS 'A goal from a jsonb object with the keys of the text form.';

-- Accessors

CREATE FUNCTION mops.goal_metric(g mops.smart_goal) RETURNS text
AS 'MODULE_PATHNAME', 'goal_metric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.goal_metric(mops.smart_goal) IS 'The metric the goal measures.';
CREATE FUNCTION mops.goal_target(g mops.smart_goal) RETURNS numeric
AS 'MODULE_PATHNAME', 'goal_target' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.goal_target(mops.smart_goal) IS 'The value the goal aims for.';
CREATE FUNCTION mops.goal_baseline(g mops.smart_goal) RETURNS numeric
AS 'MODULE_PATHNAME', 'goal_baseline' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.goal_baseline(mops.smart_goal) IS 'The value the goal starts from; NULL when not given.';
CREATE FUNCTION mops.goal_unit(g mops.smart_goal) RETURNS text
AS 'MODULE_PATHNAME', 'goal_unit' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.goal_unit(mops.smart_goal) IS 'The unit of the metric; NULL when not given.';
CREATE FUNCTION mops.goal_starts(g mops.smart_goal) RETURNS date
AS 'MODULE_PATHNAME', 'goal_starts' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.goal_starts(mops.smart_goal) IS 'The start date; NULL when not given.';
CREATE FUNCTION mops.goal_due(g mops.smart_goal) RETURNS date
AS 'MODULE_PATHNAME', 'goal_due' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.goal_due(mops.smart_goal) IS 'The due date; NULL when not given.';
CREATE FUNCTION mops.goal_owner(g mops.smart_goal) RETURNS text
AS 'MODULE_PATHNAME', 'goal_owner' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.goal_owner(mops.smart_goal) IS 'Who owns the goal; NULL when not given.';
CREATE FUNCTION mops.goal_objective(g mops.smart_goal) RETURNS text
AS 'MODULE_PATHNAME', 'goal_objective' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.goal_objective(mops.smart_goal) IS 'The business objective the goal serves; NULL when not given.';

-- Progress and status

CREATE FUNCTION mops.goal_progress(g mops.smart_goal, actual numeric) RETURNS numeric
AS 'MODULE_PATHNAME', 'goal_progress' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.goal_progress(mops.smart_goal, numeric) IS
'(actual - baseline) / (target - baseline), or actual / target without a baseline; not clamped (negative when moving away, above 1 beyond the target); NULL for a zero target without baseline.';

CREATE FUNCTION mops.goal_expected_progress(g mops.smart_goal, as_of date) RETURNS numeric
AS 'MODULE_PATHNAME', 'goal_expected_progress' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.goal_expected_progress(mops.smart_goal, date) IS
'The share of the goal''s time that has passed on as_of: (as_of - starts) / (due - starts) in days, clamped to 0..1; NULL without starts or due.';

CREATE FUNCTION mops.goal_status(g mops.smart_goal, actual numeric, as_of date DEFAULT CURRENT_DATE) RETURNS text
AS 'MODULE_PATHNAME', 'goal_status' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.goal_status(mops.smart_goal, numeric, date) IS
'not_started, achieved, missed, on_track, at_risk (within 0.10 of the expected progress) or off_track, checked in that order; NULL when a needed date or progress is missing.';

CREATE FUNCTION mops.smart_check(g mops.smart_goal) RETURNS text[]
AS 'MODULE_PATHNAME', 'smart_check' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.smart_check(mops.smart_goal) IS
'The SMART criteria the goal fails, in order: specific (no owner), measurable (no baseline), attainable (|target - baseline| / |baseline| above mops.max_attainable_change), relevant (no objective), time_bound (no due date). Empty: the goal is SMART.';
