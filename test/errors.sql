-- pgTAP: every error the current code raises, with its SQLSTATE and primary
-- message (DESIGN §2: 22P02 bad literal, 22023 bad parameter value, 22004
-- null, 54000 program limit, 42704 missing object), the DETAIL and HINT
-- where users rely on them, and the valid neighbour of each error.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SET LOCAL search_path = public, pg_catalog;

SELECT plan(111);

-- diag(sql): {sqlstate, message, detail, hint} of the error sql raises
\ir lib/diag.sql

-- The literal `lit` cast to funnel_stage, as SQL text.
CREATE FUNCTION pg_temp.fs(lit text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT format('SELECT %L::mops.funnel_stage', lit) $$;

-- The primary message of a bad funnel_stage literal.
CREATE FUNCTION pg_temp.fs_syntax(lit text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT format('invalid input syntax for type funnel_stage: "%s"', lit)
$$;

\set builtin_models_hint 'Known funnel models are: aida, lifecycle, journey, tofu, aarrr. New models are added with mops.define_funnel().'

-- ---------------------------------------------------------------------------
-- funnel_stage literals (22P02)
-- ---------------------------------------------------------------------------
SELECT lives_ok(pg_temp.fs('lifecycle:mql'), 'lifecycle:mql is a funnel_stage');
SELECT lives_ok(pg_temp.fs(' Lifecycle : MQL '), 'input is normalised: '' Lifecycle : MQL ''');
SELECT lives_ok(pg_temp.fs('ＬＩＦＥＣＹＣＬＥ:ｍｑｌ'), 'input is normalised: full-width letters');
SELECT lives_ok(pg_temp.fs('aarrr:revenue'), 'aarrr:revenue is a funnel_stage');
SELECT is('lifecycle：mql'::mops.funnel_stage::text, 'lifecycle:mql',
          'a full-width colon separates too: the whole literal is normalised (NFKC) before it is split');

SELECT throws_ok(pg_temp.fs(lit), '22P02', pg_temp.fs_syntax(lit),
                 format('bad funnel_stage literal %L (%s)', lit, why))
  FROM (VALUES
    (1, 'lifecycle', 'no colon'),
    (2, '', 'empty string'),
    (3, 'a:b:c', 'two colons'),
    (4, ':mql', 'empty model'),
    (5, ' _ :mql', 'model of separators only'),
    (6, 'lifecycle:', 'empty stage'),
    (7, 'lifecycle: - ', 'stage of separators only'),
    (8, 'lifecycle:' || repeat('x', 64), 'stage name of 64 bytes'),
    (9, repeat('m', 64) || ':x', 'model name of 64 bytes'),
    (10, 'nosuch:mql', 'unknown model'),
    (11, 'lifecycle:nosuch', 'unknown stage'),
    (12, 'aida:mql', 'stage of another model'),
    (14, 'lifecycle:m﹕ql', 'small colon folds to a second colon')
  ) AS t(n, lit, why)
 ORDER BY n;

-- DETAIL and HINT of each kind of bad literal
SELECT is(pg_temp.diag(pg_temp.fs('lifecycle')),
          ARRAY['22P02', pg_temp.fs_syntax('lifecycle'),
                'A funnel stage is written model:stage, for example lifecycle:mql.',
                :'builtin_models_hint'],
          'no colon: detail shows the form, hint lists the models');
SELECT is(pg_temp.diag(pg_temp.fs('a:b:c')),
          ARRAY['22P02', pg_temp.fs_syntax('a:b:c'),
                'A funnel stage has exactly one colon, between the model and the stage.', NULL],
          'two colons: detail');
SELECT is(pg_temp.diag(pg_temp.fs(':mql')),
          ARRAY['22P02', pg_temp.fs_syntax(':mql'),
                'The model name before the colon is empty.', :'builtin_models_hint'],
          'empty model: detail, hint lists the models');
SELECT is(pg_temp.diag(pg_temp.fs('lifecycle:')),
          ARRAY['22P02', pg_temp.fs_syntax('lifecycle:'),
                'The stage name after the colon is empty.',
                'The stages of lifecycle are, in order: subscriber, lead, mql, sql, opportunity, customer, evangelist.'],
          'empty stage: detail, and the hint lists the model''s stages');
SELECT is(pg_temp.diag(pg_temp.fs('lifecycle:' || repeat('x', 64))),
          ARRAY['22P02', pg_temp.fs_syntax('lifecycle:' || repeat('x', 64)),
                'Model and stage names are at most 63 bytes long.',
                'The stages of lifecycle are, in order: subscriber, lead, mql, sql, opportunity, customer, evangelist.'],
          'stage name too long: detail gives the limit, the hint lists the model''s stages');
SELECT is(pg_temp.diag(pg_temp.fs('NoSuch:mql')),
          ARRAY['22P02', pg_temp.fs_syntax('NoSuch:mql'),
                'Funnel model "nosuch" does not exist.', :'builtin_models_hint'],
          'unknown model: detail names the normalised model, hint lists the models');
SELECT is(pg_temp.diag(pg_temp.fs('lifecycle:nosuch')),
          ARRAY['22P02', pg_temp.fs_syntax('lifecycle:nosuch'),
                'Funnel model "lifecycle" has no stage "nosuch".',
                'The stages of lifecycle are, in order: subscriber, lead, mql, sql, opportunity, customer, evangelist.'],
          'unknown stage: hint lists the stages of the model in order');
SELECT is(pg_temp.diag(pg_temp.fs('TOFU:Top Funnel')),
          ARRAY['22P02', pg_temp.fs_syntax('TOFU:Top Funnel'),
                'Funnel model "tofu" has no stage "top_funnel".',
                'The stages of tofu are, in order: tofu, mofu, bofu.'],
          'unknown stage: detail shows the normalised names');

-- Label limit (54000) for every input that normalises labels
SELECT throws_ok($$SELECT mops.normalize_label(repeat('x', 16 * 1024 * 1024 + 1))$$,
                 '54000', 'label is too long', 'normalize_label: input over 16 MB');
SELECT lives_ok($$SELECT mops.normalize_label(repeat('x', 16 * 1024 * 1024))$$,
                'normalize_label: input of exactly 16 MB');
SELECT throws_ok($$SELECT (repeat('x', 16 * 1024 * 1024 + 1) || ':a')::mops.funnel_stage$$,
                 '54000', 'label is too long', 'funnel_stage: model label over 16 MB');
SELECT throws_ok($$SELECT repeat('x', 16 * 1024 * 1024 + 1)::mops.maturity_stage$$,
                 '54000', 'label is too long', 'maturity_stage: label over 16 MB');

-- ---------------------------------------------------------------------------
-- stage_count, funnel_stages: unknown model (22023)
-- ---------------------------------------------------------------------------
SELECT lives_ok($$SELECT mops.stage_count(' LifeCycle ')$$, 'stage_count normalises the model name');
SELECT is(mops.stage_count(NULL), NULL, 'stage_count(NULL) is NULL');
SELECT throws_ok($$SELECT mops.stage_count('nosuch')$$, '22023',
                 'funnel model "nosuch" does not exist', 'stage_count: unknown model');
SELECT throws_ok($$SELECT mops.stage_count('')$$, '22023',
                 'funnel model "" does not exist', 'stage_count: empty model name');
SELECT throws_ok($$SELECT * FROM mops.funnel_stages('nosuch')$$, '22023',
                 'funnel model "nosuch" does not exist', 'funnel_stages: unknown model');
SELECT throws_ok($$SELECT * FROM mops.funnel_stages('lifecycle:mql')$$, '22023',
                 'funnel model "lifecycle:mql" does not exist', 'funnel_stages: a stage is not a model');
SELECT is(pg_temp.diag($$SELECT mops.stage_count('No Such')$$),
          ARRAY['22023', 'funnel model "no_such" does not exist', NULL, :'builtin_models_hint'],
          'stage_count: hint lists the known models');

-- ---------------------------------------------------------------------------
-- stage_distance across models (22023)
-- ---------------------------------------------------------------------------
SELECT lives_ok($$SELECT mops.stage_distance('lifecycle:lead', 'lifecycle:customer')$$,
                'stage_distance within a model');
SELECT throws_ok($$SELECT mops.stage_distance('aida:loyalty', 'lifecycle:lead')$$, '22023',
                 'cannot measure the distance between stages of different funnel models',
                 'stage_distance across models');
SELECT is(pg_temp.diag($$SELECT mops.stage_distance('journey:awareness', 'aida:awareness')$$),
          ARRAY['22023', 'cannot measure the distance between stages of different funnel models',
                'The first stage belongs to model "journey", the second to "aida".', NULL],
          'stage_distance across models: detail names both models');

-- ---------------------------------------------------------------------------
-- maturity_stage literals (22P02)
-- ---------------------------------------------------------------------------
SELECT lives_ok($$SELECT ' Optimization '::mops.maturity_stage, 'FOUNDATIONS'::mops.maturity_stage,
                         '３'::mops.maturity_stage$$,
                'maturity_stage accepts American spelling, any case, full-width digits');

SELECT throws_ok(format('SELECT %L::mops.maturity_stage', lit), '22P02',
                 format('invalid input syntax for type maturity_stage: "%s"', lit),
                 format('bad maturity_stage literal %L', lit))
  FROM (VALUES (1, ''), (2, '   '), (3, 'foundation'), (4, 'optimise'), (5, '0'), (6, '6'),
               (7, '05'), (8, '1.0'), (9, '+1'), (10, 'found ations'), (11, 'alignment:1'),
               (12, 'integration transformation')) AS t(n, lit)
 ORDER BY n;

SELECT is(pg_temp.diag($$SELECT 'expert'::mops.maturity_stage$$),
          ARRAY['22P02', 'invalid input syntax for type maturity_stage: "expert"',
                'Maturity stages are foundations, alignment, optimisation (or optimization), integration and transformation, or their numbers 1 to 5.',
                NULL],
          'bad maturity_stage: detail lists what is accepted');

-- ---------------------------------------------------------------------------
-- define_funnel
-- ---------------------------------------------------------------------------
SELECT lives_ok($$SELECT mops.define_funnel('Webinar', ARRAY['Registered', 'Attended'])$$,
                'define_funnel: a new model');
SELECT is((SELECT stages FROM mops.funnel_model WHERE model = 'webinar'),
          ARRAY['registered', 'attended'], 'define_funnel stores normalised names');
SELECT lives_ok($$SELECT mops.define_funnel('WEBINAR', ARRAY['registered', 'attended'])$$,
                'define_funnel: the same definition again');
SELECT lives_ok($$SELECT mops.define_funnel('webinar', ARRAY['REGISTERED', 'attended', 'Demo', 'Won'])$$,
                'define_funnel: appending stages');
SELECT lives_ok(pg_temp.fs('webinar:won'), 'an appended stage is usable at once');
SELECT lives_ok($$SELECT mops.define_funnel(repeat('m', 63), ARRAY[repeat('s', 63)])$$,
                'define_funnel: names of 63 bytes');
SELECT lives_ok($$SELECT mops.define_funnel('wide', (SELECT array_agg('s' || i) FROM generate_series(1, 1000) i))$$,
                'define_funnel: 1000 stages');

SELECT throws_ok($$SELECT mops.define_funnel('AIDA', ARRAY['a'])$$, '22023',
                 'funnel model "aida" is built in', 'define_funnel: built-in name (after normalisation)');
SELECT lives_ok($$SELECT mops.define_funnel('life cycle', ARRAY['a'])$$,
                'define_funnel: life_cycle is not the built-in lifecycle');
SELECT is(pg_temp.diag($$SELECT mops.define_funnel('tofu', ARRAY['a'])$$),
          ARRAY['22023', 'funnel model "tofu" is built in',
                'The built-in models aida, lifecycle, journey, tofu and aarrr cannot be redefined.',
                'Choose another name for the custom model.'],
          'define_funnel: built-in name, detail and hint');
SELECT throws_ok($$SELECT mops.define_funnel('dup', ARRAY['Demo', 'won', 'DEMO'])$$, '22023',
                 'stage "demo" appears twice in funnel model "dup"',
                 'define_funnel: duplicate stages (after normalisation)');
SELECT throws_ok($$SELECT mops.define_funnel('', ARRAY['a'])$$, '22023',
                 'invalid funnel model name ""', 'define_funnel: empty model name');
SELECT throws_ok($$SELECT mops.define_funnel(' - ', ARRAY['a'])$$, '22023',
                 'invalid funnel model name ""', 'define_funnel: model name of separators only');
SELECT throws_ok($$SELECT mops.define_funnel('a:b', ARRAY['a'])$$, '22023',
                 'invalid funnel model name "a:b"', 'define_funnel: colon in model name');
SELECT throws_ok($$SELECT mops.define_funnel('a﹕b', ARRAY['a'])$$, '22023',
                 'invalid funnel model name "a:b"', 'define_funnel: small colon folds to a colon');
SELECT throws_ok(format('SELECT mops.define_funnel(%L, ARRAY[''a''])', repeat('m', 64)), '22023',
                 format('invalid funnel model name "%s"', repeat('m', 64)),
                 'define_funnel: model name of 64 bytes');
SELECT throws_ok(format('SELECT mops.define_funnel(%L, ARRAY[''a''])', repeat('é', 32)), '22023',
                 format('invalid funnel model name "%s"', repeat('é', 32)),
                 'define_funnel: model name of 32 characters but 64 bytes');
SELECT throws_ok($$SELECT mops.define_funnel('x', ARRAY['a', ''])$$, '22023',
                 'invalid stage name "" in funnel model "x"', 'define_funnel: empty stage name');
SELECT throws_ok($$SELECT mops.define_funnel('x', ARRAY['a', 'b:c'])$$, '22023',
                 'invalid stage name "b:c" in funnel model "x"', 'define_funnel: colon in stage name');
SELECT throws_ok(format('SELECT mops.define_funnel(''x'', ARRAY[%L])', repeat('s', 64)), '22023',
                 format('invalid stage name "%s" in funnel model "x"', repeat('s', 64)),
                 'define_funnel: stage name of 64 bytes');
SELECT is(pg_temp.diag($$SELECT mops.define_funnel('x', ARRAY['a', ' '])$$),
          ARRAY['22023', 'invalid stage name "" in funnel model "x"',
                'A stage name is a non-empty label of at most 63 bytes without a colon.', NULL],
          'define_funnel: bad stage name, detail');
SELECT throws_ok($$SELECT mops.define_funnel('x', ARRAY[]::text[])$$, '22023',
                 'funnel model "x" has no stages', 'define_funnel: no stages');
SELECT throws_ok($$SELECT mops.define_funnel(NULL, ARRAY['a'])$$, '22004',
                 'funnel model name and stages must not be null', 'define_funnel: null model');
SELECT throws_ok($$SELECT mops.define_funnel('x', NULL)$$, '22004',
                 'funnel model name and stages must not be null', 'define_funnel: null stages');
SELECT throws_ok($$SELECT mops.define_funnel('x', ARRAY['a', NULL])$$, '22004',
                 'funnel model "x" has a null stage', 'define_funnel: a null stage');
SELECT throws_ok($$SELECT mops.define_funnel('x', (SELECT array_agg('s' || i) FROM generate_series(1, 1001) i))$$,
                 '54000', 'funnel model "x" has too many stages', 'define_funnel: 1001 stages');
SELECT is(pg_temp.diag($$SELECT mops.define_funnel('x', (SELECT array_agg('s' || i) FROM generate_series(1, 1001) i))$$),
          ARRAY['54000', 'funnel model "x" has too many stages',
                'A funnel model has at most 1000 stages; 1001 were given.', NULL],
          'define_funnel: too many stages, detail');

-- Non-append redefinitions of webinar (registered, attended, demo, won)
SELECT throws_ok(format('SELECT mops.define_funnel(''webinar'', %L::text[])', st), '22023',
                 'funnel model "webinar" may only gain stages at the end',
                 format('define_funnel: redefinition %s (%s)', st, why))
  FROM (VALUES
    (1, '{registered,attended,demo}', 'drops the last stage'),
    (2, '{attended,registered,demo,won}', 'reorders'),
    (3, '{registered,demo,attended,won}', 'inserts in the middle'),
    (4, '{signed_up,registered,attended,demo,won}', 'prepends'),
    (5, '{registered,attended,demo,lost}', 'renames a stage')
  ) AS t(n, st, why)
 ORDER BY n;
SELECT is(pg_temp.diag($$SELECT mops.define_funnel('webinar', ARRAY['won'])$$),
          ARRAY['22023', 'funnel model "webinar" may only gain stages at the end',
                'Its stages are registered, attended, demo, won; a redefinition must start with them, in that order.',
                'Stored funnel_stage values refer to stages by position. Define a new model to reorder or remove stages.'],
          'define_funnel: non-append redefinition, detail lists the stages, hint explains');
SELECT is((SELECT stages FROM mops.funnel_model WHERE model = 'webinar'),
          ARRAY['registered', 'attended', 'demo', 'won'], 'failed redefinitions left webinar unchanged');

-- The same rules hold for direct writes to the table
SELECT throws_ok($$UPDATE mops.funnel_model SET model = 'seminar' WHERE model = 'webinar'$$, '22023',
                 'cannot rename or renumber funnel model "webinar"', 'direct UPDATE: rename');
SELECT throws_ok($$UPDATE mops.funnel_model SET model_id = model_id + 1000 WHERE model = 'webinar'$$, '22023',
                 'cannot rename or renumber funnel model "webinar"', 'direct UPDATE: renumber');
SELECT throws_ok($$UPDATE mops.funnel_model SET stages = '{registered}' WHERE model = 'webinar'$$, '22023',
                 'funnel model "webinar" may only gain stages at the end', 'direct UPDATE: drop stages');
SELECT throws_ok($$INSERT INTO mops.funnel_model (model, stages) VALUES ('Lifecycle', '{a}')$$, '22023',
                 'funnel model "lifecycle" is built in', 'direct INSERT: built-in name');
SELECT throws_ok($$INSERT INTO mops.funnel_model (model_id, model, stages) VALUES (99, 'low', '{a}')$$, '23514',
                 NULL, 'direct INSERT: model ids below 100 are reserved for built-in models');

-- Unknown stage of a custom model: the hint lists its stages in order
SELECT is(pg_temp.diag(pg_temp.fs('Webinar:Lost')),
          ARRAY['22P02', pg_temp.fs_syntax('Webinar:Lost'),
                'Funnel model "webinar" has no stage "lost".',
                'The stages of webinar are, in order: registered, attended, demo, won.'],
          'unknown stage of a custom model: hint lists its stages in order');
SELECT is(pg_temp.diag(pg_temp.fs('wide:s1001')),
          ARRAY['22P02', pg_temp.fs_syntax('wide:s1001'),
                'Funnel model "wide" has no stage "s1001".',
                'The stages of wide are, in order: '
                || (SELECT string_agg('s' || i, ', ' ORDER BY i) FROM generate_series(1, 50) i)
                || ' and 950 more.'],
          'unknown stage of a long model: the hint lists 50 stages and counts the rest');
-- Custom models are listed after the built-in ones, in the order they were defined
SELECT is(pg_temp.diag($$SELECT mops.stage_count('nosuch')$$),
          ARRAY['22023', 'funnel model "nosuch" does not exist', NULL,
                'Known funnel models are: aida, lifecycle, journey, tofu, aarrr, webinar, '
                || repeat('m', 63) || ', wide, life_cycle. New models are added with mops.define_funnel().'],
          'unknown model: the hint lists custom models too');

SELECT throws_ok($$SELECT mops.funnel_model_changed()$$, '39P01',
                 'funnel_model_changed() must be called as a trigger',
                 'funnel_model_changed() outside a trigger');

-- ---------------------------------------------------------------------------
-- Values whose custom model was deleted (42704)
-- ---------------------------------------------------------------------------
SELECT mops.define_funnel('doomed', ARRAY['first', 'second', 'third']) \g /dev/null
CREATE TEMP TABLE kept (s mops.funnel_stage) ON COMMIT DROP;
INSERT INTO kept VALUES ('doomed:first'), ('doomed:second');
SELECT model_id AS doomed_id FROM mops.funnel_model WHERE model = 'doomed' \gset
DELETE FROM mops.funnel_model WHERE model = 'doomed';

SELECT throws_ok($$SELECT s::text FROM kept WHERE mops.stage_position(s) = 1$$, '42704',
                 format('funnel stage 1 of funnel model %s does not exist', :doomed_id),
                 'text output of a value whose model was deleted');
SELECT throws_ok($$SELECT mops.stage_model(s) FROM kept$$, '42704', NULL,
                 'stage_model of a value whose model was deleted');
SELECT throws_ok($$SELECT mops.next_stage(s) FROM kept$$, '42704', NULL,
                 'next_stage of a value whose model was deleted');
SELECT throws_ok($$SELECT mops.funnel_stage_send(s) FROM kept$$, '42704', NULL,
                 'binary output of a value whose model was deleted');
SELECT is(pg_temp.diag($$SELECT s::text FROM kept WHERE mops.stage_position(s) = 2$$),
          ARRAY['42704', format('funnel stage 2 of funnel model %s does not exist', :doomed_id),
                'The value was stored while a model with that id was defined in mops.funnel_model.',
                'Restore the model''s row in mops.funnel_model.'],
          'deleted model: detail and hint');
SELECT throws_ok(pg_temp.fs('doomed:first'), '22P02', pg_temp.fs_syntax('doomed:first'),
                 'a deleted model no longer parses');

-- Restoring the row (as the hint says) brings the values back
INSERT INTO mops.funnel_model (model_id, model, stages)
VALUES (:doomed_id, 'doomed', ARRAY['first', 'second', 'third']);
SELECT is((SELECT array_agg(s::text ORDER BY s) FROM kept), ARRAY['doomed:first', 'doomed:second'],
          'values read again once the model row is restored');
-- Restored with fewer stages: the missing position is an error, the rest reads
DELETE FROM mops.funnel_model WHERE model = 'doomed';
INSERT INTO mops.funnel_model (model_id, model, stages) VALUES (:doomed_id, 'doomed', ARRAY['first']);
SELECT is((SELECT s::text FROM kept WHERE mops.stage_position(s) = 1), 'doomed:first',
          'restored with one stage: its value reads');
SELECT throws_ok($$SELECT s::text FROM kept WHERE mops.stage_position(s) = 2$$, '42704',
                 format('funnel stage 2 of funnel model %s does not exist', :doomed_id),
                 'restored with one stage: a value at position 2 is an error');
-- A model deleted and never restored: a model defined later must not take over
-- its id, or its stored values would silently read as stages of the new model.
DELETE FROM mops.funnel_model WHERE model = 'doomed';
SELECT mops.define_funnel('successor', ARRAY['alpha', 'beta']) \g /dev/null
SELECT isnt((SELECT model_id FROM mops.funnel_model WHERE model = 'successor'), :doomed_id,
            'a model defined after a deletion does not reuse the deleted model''s id');
SELECT throws_ok($$SELECT s::text FROM kept WHERE mops.stage_position(s) = 1$$, '42704',
                 format('funnel stage 1 of funnel model %s does not exist', :doomed_id),
                 'values of a deleted model still raise 42704 after another model is defined');

-- A definition rolled back (to a savepoint) is forgotten by this session's cache
SAVEPOINT before_ghost;
SELECT mops.define_funnel('ghost', ARRAY['boo']) \g /dev/null
SELECT 'ghost:boo'::mops.funnel_stage \g /dev/null
ROLLBACK TO SAVEPOINT before_ghost;
SELECT throws_ok(pg_temp.fs('ghost:boo'), '22P02', pg_temp.fs_syntax('ghost:boo'),
                 'a rolled-back definition is forgotten');

-- ---------------------------------------------------------------------------
-- Model-id limit (54000)
-- ---------------------------------------------------------------------------
INSERT INTO mops.funnel_model (model_id, model, stages) VALUES (32767, 'last_possible', ARRAY['a']);
SELECT is(pg_temp.diag($$SELECT mops.define_funnel('one_too_many', ARRAY['a'])$$),
          ARRAY['54000', 'too many funnel models',
                'At most 32668 custom funnel models can ever be defined; ids are not reused.', NULL],
          'define_funnel: no model id left');
SELECT lives_ok($$SELECT mops.define_funnel('last_possible', ARRAY['a', 'b'])$$,
                'define_funnel: appending to a model still works when no id is left');

SELECT * FROM finish();
ROLLBACK;
