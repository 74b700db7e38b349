-- funnel_custom: custom funnel models (DESIGN §3.2).  define_funnel(model,
-- stages) stores a model in mops.funnel_model, normalised, with the next
-- model id (100 up); a model may only gain stages at the end; the table's
-- trigger validates and normalises rows however they arrive (define_funnel,
-- INSERT, UPDATE); values of a deleted model cannot be read (42704) until
-- the row is restored; each session's cache of models follows changes,
-- including those of the same transaction, a rollback and another session.
SET search_path = mops, public;
-- Errors raised inside define_funnel and the table's trigger are shown
-- without their plpgsql context (which names source line numbers).
\set SHOW_CONTEXT never

-- Start from a fresh install, so that model ids are those a new database
-- gives out: earlier tests have drawn ids, and ids are never reused.
DROP EXTENSION mops;
CREATE EXTENSION mops;
SELECT count(*) FROM mops.funnel_model;  -- 0

-- A messy name and messy stages are stored as normalize_label output, with
-- the first custom model id, 100.
SELECT define_funnel('Webinar Funnel', '{Registered, Attended, Demo Booked, Won}');
SELECT model_id, model, stages FROM mops.funnel_model ORDER BY model_id;
-- 100 | webinar_funnel | {registered,attended,demo_booked,won}

-- Its stages work like built-in ones, in any spelling.
SELECT 'Webinar Funnel:Demo Booked'::funnel_stage AS stage,            -- webinar_funnel:demo_booked
       stage_model('webinar_funnel:won') AS model,                     -- webinar_funnel
       stage_position('WEBINAR-FUNNEL:Attended') AS pos,               -- 2
       stage_count('Webinar  Funnel') AS n,                            -- 4
       next_stage('webinar_funnel:registered') AS next,                -- webinar_funnel:attended
       next_stage('webinar_funnel:won') IS NULL AS won_is_last,        -- true
       stage_distance('webinar_funnel:registered', 'webinar_funnel:won') AS dist;  -- 3
SELECT s, stage_position(s) FROM funnel_stages('webinar funnel') WITH ORDINALITY AS f(s, o) ORDER BY o;
-- An unknown stage of a custom model lists its stages.
SELECT 'webinar_funnel:lost'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE

-- Values kept in a table (used again below).
CREATE TABLE fc_leads (lead_id integer, stage funnel_stage);
INSERT INTO fc_leads VALUES (1, 'webinar_funnel:registered'), (2, 'Webinar Funnel:Won'),
                            (3, 'lifecycle:mql');

-- Appending a stage is allowed: same id, one more stage, and won is no
-- longer the last stage.
SELECT define_funnel('webinar_funnel', '{registered, attended, demo_booked, won, Renewed}');
SELECT model_id, model, stages FROM mops.funnel_model ORDER BY model_id;
-- 100 | webinar_funnel | {registered,attended,demo_booked,won,renewed}
SELECT stage_count('webinar_funnel') AS n,                 -- 5
       next_stage('webinar_funnel:won') AS after_won;      -- webinar_funnel:renewed
-- Stored values keep their meaning.
SELECT lead_id, stage FROM fc_leads ORDER BY lead_id;

-- Redefining with the same stages, spelt differently, changes nothing.
SELECT define_funnel('WEBINAR-FUNNEL', '{Registered, ATTENDED, demo-booked, Won, renewed}');
SELECT model_id, model, stages FROM mops.funnel_model ORDER BY model_id;  -- unchanged

-- Reordering, removing or renaming stages would change what stored values
-- mean: 22023, with the current stages in the detail.
SELECT define_funnel('webinar_funnel', '{attended, registered, demo_booked, won, renewed}');
\echo :LAST_ERROR_SQLSTATE
SELECT define_funnel('webinar_funnel', '{registered, attended, demo_booked, won}');
\echo :LAST_ERROR_SQLSTATE
SELECT define_funnel('webinar_funnel', '{registered, attended, demo, won, renewed}');
\echo :LAST_ERROR_SQLSTATE
-- Inserting a stage in the middle is not appending either.
SELECT define_funnel('webinar_funnel', '{registered, attended, demo_booked, negotiation, won, renewed}');
\echo :LAST_ERROR_SQLSTATE
SELECT model_id, model, stages FROM mops.funnel_model ORDER BY model_id;  -- still unchanged

-- Built-in names cannot be redefined, in any spelling (22023).
SELECT define_funnel('Lifecycle', '{a, b}');
\echo :LAST_ERROR_SQLSTATE
SELECT define_funnel(' AARRR ', '{acquisition}');
\echo :LAST_ERROR_SQLSTATE

-- Stage names are unique after normalisation: a and A are the same (22023).
SELECT define_funnel('dup', '{a, A}');
\echo :LAST_ERROR_SQLSTATE
SELECT define_funnel('dup', '{Demo Booked, b, demo_booked}');
\echo :LAST_ERROR_SQLSTATE

-- A model needs at least one stage (22023).
SELECT define_funnel('empty', '{}');
\echo :LAST_ERROR_SQLSTATE

-- A NULL stage is refused (22004, null_value_not_allowed).
SELECT define_funnel('nulls', ARRAY['a', NULL]);
\echo :LAST_ERROR_SQLSTATE

-- Names cannot contain ':' (it separates model and stage in the text form),
-- be empty after normalisation, or exceed 63 bytes (22023).
SELECT define_funnel('colon', '{"a:b"}');
\echo :LAST_ERROR_SQLSTATE
SELECT define_funnel('a:b', '{x}');
\echo :LAST_ERROR_SQLSTATE
SELECT define_funnel('blank stage', '{a, " - "}');
\echo :LAST_ERROR_SQLSTATE
SELECT define_funnel('  ', '{a}');
\echo :LAST_ERROR_SQLSTATE
SELECT define_funnel(repeat('m', 64), '{a}');
\echo :LAST_ERROR_SQLSTATE
SELECT define_funnel('long stage', ARRAY[repeat('s', 64)]);
\echo :LAST_ERROR_SQLSTATE

-- NULL arguments are an error, not a silent no-op (22004).
SELECT define_funnel(NULL, '{a}');
\echo :LAST_ERROR_SQLSTATE
SELECT define_funnel('x', NULL);
\echo :LAST_ERROR_SQLSTATE

-- None of the failed definitions left a row.
SELECT model_id, model FROM mops.funnel_model ORDER BY model_id;  -- only 100 webinar_funnel

-- A second model gets the next id, 101, and sorts after the first model and
-- after every built-in model, although its name sorts before them.
SELECT define_funnel('Free Trial', '{Signed Up, Activated, Paid}');
SELECT model_id, model, stages FROM mops.funnel_model ORDER BY model_id;
SELECT s FROM (VALUES ('free_trial:signed_up'::funnel_stage), ('webinar_funnel:renewed'),
                      ('aarrr:revenue'), ('aida:awareness'), ('free_trial:paid')) AS t(s)
ORDER BY s;
-- aida:awareness, aarrr:revenue, webinar_funnel:renewed, free_trial:signed_up, free_trial:paid

-- Non-ASCII names fold like any label.
SELECT define_funnel('Entonnoir ÉTÉ', '{Découverte, INTÉRÊT, Achat}');
SELECT 'entonnoir été : intérêt'::funnel_stage AS stage, stage_position('ENTONNOIR_ÉTÉ:ACHAT') AS pos;  -- entonnoir_été:intérêt, 3

-- A direct INSERT goes through the same trigger: normalised, and given the
-- next id (103) when none is supplied.  (The failed definitions above were
-- refused before an id was drawn.)
INSERT INTO mops.funnel_model (model, stages) VALUES ('  Partner Program ', '{Applied, Approved, Certified}');
SELECT model_id, model, stages FROM mops.funnel_model WHERE model = 'partner_program';
-- 103 | partner_program | {applied,approved,certified}
-- ... and validated the same way.
INSERT INTO mops.funnel_model (model, stages) VALUES ('TOFU', '{x}');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO mops.funnel_model (model, stages) VALUES ('dup', '{x, X}');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO mops.funnel_model (model, stages) VALUES ('no stages', '{}');
\echo :LAST_ERROR_SQLSTATE
-- The same name in another spelling is the same model: unique violation
-- (23505).  This row passed the trigger, which drew id 104 for it; like any
-- sequence value, 104 is not given back.
INSERT INTO mops.funnel_model (model, stages) VALUES ('Partner-Program', '{x}');
\echo :LAST_ERROR_SQLSTATE
-- Ids 1-99 belong to the built-in models: the CHECK constraint refuses them (23514).
INSERT INTO mops.funnel_model (model_id, model, stages) VALUES (5, 'sneaky', '{x}');
\echo :LAST_ERROR_SQLSTATE

-- A direct UPDATE may append stages (normalised too) ...
UPDATE mops.funnel_model SET stages = stages || 'Expert Level'::text WHERE model = 'partner_program';
SELECT model_id, model, stages FROM mops.funnel_model WHERE model = 'partner_program';
-- 103 | partner_program | {applied,approved,certified,expert_level}
-- ... but not rename or renumber a model (22023): stored values refer to it by id.
UPDATE mops.funnel_model SET model = 'partners' WHERE model = 'partner_program';
\echo :LAST_ERROR_SQLSTATE
UPDATE mops.funnel_model SET model_id = 200 WHERE model = 'partner_program';
\echo :LAST_ERROR_SQLSTATE
-- ... nor remove stages.
UPDATE mops.funnel_model SET stages = stages[1:2] WHERE model = 'partner_program';
\echo :LAST_ERROR_SQLSTATE
-- Writing the same name in another spelling is not a rename: it normalises
-- to the stored name, so the update succeeds and changes nothing.
UPDATE mops.funnel_model SET model = 'Partner Program' WHERE model = 'partner_program';
SELECT model_id, model, stages FROM mops.funnel_model WHERE model = 'partner_program';

-- A model may have up to 1000 stages; 1001 is a program limit (54000).
SELECT define_funnel('big', ARRAY(SELECT 's' || i FROM generate_series(1, 1001) AS i));
\echo :LAST_ERROR_SQLSTATE
SELECT define_funnel('big', ARRAY(SELECT 's' || i FROM generate_series(1, 1000) AS i));
SELECT model_id FROM mops.funnel_model WHERE model = 'big';  -- 105 (104 went to the failed insert)
SELECT stage_count('big') AS n, 'big:s1000'::funnel_stage AS last_stage,
       next_stage('big:s1000') IS NULL AS is_last;  -- 1000, big:s1000, true
-- The hint of an unknown stage lists at most 50 stages.
SELECT 'big:s0'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE
DELETE FROM mops.funnel_model WHERE model = 'big';

-- Deleting a model's row is allowed, but leaves its stored values
-- unreadable: reading one is 42704 (undefined_object), with a hint to
-- restore the row.  Row 1 (webinar_funnel:registered, position 1 of model
-- 100) is the first value output.
DELETE FROM mops.funnel_model WHERE model = 'webinar_funnel';
SELECT lead_id, stage FROM fc_leads ORDER BY lead_id;
\echo :LAST_ERROR_SQLSTATE
SELECT stage_model(stage) FROM fc_leads WHERE lead_id = 2;
\echo :LAST_ERROR_SQLSTATE
-- The model name no longer parses either (22P02, unknown model).
SELECT 'webinar_funnel:won'::funnel_stage;
\echo :LAST_ERROR_SQLSTATE
-- Values of other models are unaffected, and the stored (model id,
-- position) is still there: positions and comparisons need no model.
SELECT lead_id, stage FROM fc_leads WHERE lead_id = 3;  -- lifecycle:mql
SELECT lead_id, stage_position(stage) FROM fc_leads ORDER BY lead_id;  -- 1 1, 2 4, 3 3
-- Defining a model of the same name again gives it a new id (106), never
-- the deleted model's 100, so the old values are not silently read as
-- stages of the new model: they stay unreadable.
SELECT define_funnel('Webinar Funnel', '{Lead, Won}');
SELECT model_id, stages FROM mops.funnel_model WHERE model = 'webinar_funnel';  -- 106 {lead,won}
SELECT 'webinar_funnel:won'::funnel_stage = stage AS same_as_stored FROM fc_leads WHERE lead_id = 2;  -- false
SELECT lead_id, stage FROM fc_leads ORDER BY lead_id;  -- 42704 again
\echo :LAST_ERROR_SQLSTATE
-- Re-inserting the original row with its model_id 100 (after dropping the
-- new definition, which holds the name) makes the values readable again.
DELETE FROM mops.funnel_model WHERE model = 'webinar_funnel';
INSERT INTO mops.funnel_model (model_id, model, stages)
VALUES (100, 'Webinar Funnel', '{registered, attended, demo_booked, won, renewed}');
SELECT lead_id, stage FROM fc_leads ORDER BY lead_id;
-- 1 webinar_funnel:registered, 2 webinar_funnel:won, 3 lifecycle:mql

-- An explicit id (as a restore writes) is never handed out later: after
-- id 150, the next model gets 151 and up.
INSERT INTO mops.funnel_model (model_id, model, stages) VALUES (150, 'Explicit Id', '{a}');
SELECT model_id, model, stages FROM mops.funnel_model WHERE model = 'explicit_id';  -- 150

-- The cache sees a model defined earlier in the same transaction, and
-- forgets it when the transaction rolls back.
BEGIN;
SELECT define_funnel('Pop Up', '{Seen, Clicked}');
SELECT 'pop_up:clicked'::funnel_stage AS stage, stage_count('pop up') AS n;  -- pop_up:clicked, 2
SELECT model_id FROM mops.funnel_model WHERE model = 'pop_up';               -- 151
ROLLBACK;
SELECT 'pop_up:clicked'::funnel_stage;  -- 22P02: no such model any more
\echo :LAST_ERROR_SQLSTATE
SELECT stage_count('pop_up');           -- 22023
\echo :LAST_ERROR_SQLSTATE
-- The same for an appended stage that is rolled back.
BEGIN;
SELECT define_funnel('free_trial', '{signed_up, activated, paid, churned}');
SELECT next_stage('free_trial:paid') AS next;  -- free_trial:churned
ROLLBACK;
SELECT next_stage('free_trial:paid') IS NULL AS paid_is_last_again;  -- true
SELECT 'free_trial:churned'::funnel_stage;  -- 22P02
\echo :LAST_ERROR_SQLSTATE

-- A model defined, and a stage appended, by another session are seen here
-- without reconnecting.  (This session has the models cached by now.)
SELECT stage_count('free_trial') AS before;  -- 3
\! psql -X -q -o /dev/null -d contrib_regression -c "SELECT mops.define_funnel('Other Session', '{One, Two}')"
\! psql -X -q -o /dev/null -d contrib_regression -c "SELECT mops.define_funnel('free_trial', '{signed_up, activated, paid, upgraded}')"
SELECT 'other_session:two'::funnel_stage AS other, stage_count('free_trial') AS after,  -- other_session:two, 4
       next_stage('free_trial:paid') AS after_paid;  -- free_trial:upgraded
SELECT model_id, model, stages FROM mops.funnel_model ORDER BY model_id;
-- 100 webinar_funnel, 101 free_trial (4 stages), 102 entonnoir_été,
-- 103 partner_program, 150 explicit_id, 152 other_session (151 went to the
-- rolled-back pop_up and is not reused)

-- A definition rolled back to a savepoint is forgotten too.
BEGIN;
SAVEPOINT before_define;
SELECT define_funnel('Savepoint Funnel', '{A}');
SELECT 'savepoint_funnel:a'::funnel_stage AS stage;  -- savepoint_funnel:a
ROLLBACK TO SAVEPOINT before_define;
SELECT 'savepoint_funnel:a'::funnel_stage;           -- 22P02: unknown model
\echo :LAST_ERROR_SQLSTATE
ROLLBACK;

-- Clean up: no custom model is left for the later tests.
DROP TABLE fc_leads;
DELETE FROM mops.funnel_model;
SELECT count(*) FROM mops.funnel_model;  -- 0
