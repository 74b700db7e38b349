-- dump_restore: pg_dump keeps mops.funnel_model's rows (DESIGN §3.2,
-- pg_extension_config_dump), so a plain dump restored into an empty database
-- gives back the custom models, the user's funnel_stage / maturity_stage
-- columns and their indexes.  Shell commands run with psql's \!; PGHOST,
-- PGPORT and PGUSER are inherited from the environment pg_regress runs in.
--
-- Known limitation (documented in doc/funnel_stage.md): pg_dump writes table
-- data in order of schema name, so a table holding custom-model stages in a
-- schema that sorts before "mops" (here "analytics") is loaded before
-- mops.funnel_model's rows, and its COPY fails (22P02, unknown model): that
-- table arrives empty.  The last part shows this failure - a fix must change
-- that expected output deliberately - and the workaround: a custom-format
-- dump restored with pg_restore -L from a list in which mops.funnel_model's
-- TABLE DATA line is moved to just after the EXTENSION line.
CREATE DATABASE regress_mops_dump_src;
CREATE DATABASE regress_mops_dump_dst;
CREATE DATABASE regress_mops_dump_dst2;

\c regress_mops_dump_src
CREATE EXTENSION mops;
SELECT mops.define_funnel('Other', '{x}');                               -- model id 100
SELECT mops.define_funnel('Webinar', '{Registered, Attended, Won}');     -- model id 101
SELECT mops.define_funnel('webinar', '{registered, attended, won, renewed}');
CREATE TABLE public.leads (
    lead_id integer PRIMARY KEY,
    stage mops.funnel_stage,
    maturity mops.maturity_stage
);
CREATE INDEX leads_stage_idx ON public.leads (stage);
CREATE INDEX leads_maturity_idx ON public.leads USING hash (maturity);
INSERT INTO public.leads VALUES
    (1, 'webinar:registered', 'alignment'),
    (2, 'webinar:renewed', 'integration'),
    (3, 'lifecycle:mql', NULL),
    (4, NULL, 'foundations'),
    (5, 'other:x', 'transformation');
-- Paths and Markov models, and a source users added to channel_group's table.
CREATE TABLE public.journeys (id integer PRIMARY KEY, path mops.touch_path, model mops.markov_model);
INSERT INTO public.journeys
SELECT 1, 'Email@2026-01-01 10:00:00+00 > Paid Search@2026-01-02 11:30:00.25+00 > direct'::mops.touch_path, NULL
UNION ALL
SELECT 2, ''::mops.touch_path, mops.markov_fit(p::mops.touch_path, c, v, n, 2)
  FROM (VALUES ('a > b > c', 1, 2.5, 0), ('b > c', 0, 0, 3)) AS x(p, c, v, n);
INSERT INTO mops.source_category VALUES ('Mastodon.Social', 'social');
-- A schema that sorts before "mops": the known limitation.
CREATE SCHEMA analytics;
CREATE TABLE analytics.lead_history (lead_id integer, stage mops.funnel_stage);
INSERT INTO analytics.lead_history VALUES (1, 'webinar:attended'), (2, 'lifecycle:sql');

-- Plain dump, restored with psql into the empty database.  psql's query
-- results go to /dev/null; its error messages are shown without the dump's
-- line numbers.
\c contrib_regression
\! pg_dump regress_mops_dump_src | psql -X -q -o /dev/null -d regress_mops_dump_dst 2>&1 | sed 's/^psql:<stdin>:[0-9]*: //'
-- The one error above is the known limitation: analytics.lead_history's
-- COPY ran before mops.funnel_model's, when the model "webinar" did not exist
-- yet (its hint lists only the built-in models).

\c regress_mops_dump_dst
SET search_path = mops, public;
-- The models came back with their ids and appended stages.
SELECT model_id, model, stages FROM mops.funnel_model ORDER BY model_id;
-- 100 other {x}; 101 webinar {registered,attended,won,renewed}
-- The public table came back, values and all.
SELECT lead_id, stage, mops.stage_position(stage) AS pos, maturity FROM public.leads ORDER BY lead_id;
-- 1 webinar:registered 1 alignment; 2 webinar:renewed 4 integration;
-- 3 lifecycle:mql 3 NULL; 4 NULL NULL foundations; 5 other:x 1 transformation
-- So did its indexes, and they work.
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF)
SELECT lead_id FROM public.leads WHERE stage = 'Webinar:Renewed';
SELECT lead_id FROM public.leads WHERE stage = 'Webinar:Renewed';  -- 2
EXPLAIN (COSTS OFF)
SELECT lead_id FROM public.leads WHERE maturity = 'Integration';
SELECT lead_id FROM public.leads WHERE maturity = 'Integration';   -- 2
RESET enable_seqscan;
RESET enable_bitmapscan;
-- Paths, models and the user's source came back; the seeded sources are the
-- extension's own (not dumped, created again by CREATE EXTENSION).
SELECT id, path, model FROM public.journeys ORDER BY id;
-- 1 email@2026-01-01 10:00:00+00 > paid_search@2026-01-02 11:30:00.25+00 > direct
-- 2 (empty path) and the order-2 model of a>b>c (1, 2.5, 0) and b>c (0, 0, 3)
SELECT source, category, builtin FROM mops.source_category WHERE NOT builtin;  -- mastodon.social social f
SELECT mops.channel_group('mastodon.social', 'referral');                      -- Organic Social
-- New models continue from the restored ids.
SELECT mops.define_funnel('After Restore', '{a}');
SELECT model_id, model FROM mops.funnel_model ORDER BY model_id;  -- ..., 102 after_restore
-- Known limitation: analytics.lead_history is empty, both its rows lost
-- (the built-in lifecycle:sql row too, as the whole COPY failed).
SELECT count(*) AS lead_history_rows FROM analytics.lead_history;  -- 0

-- Workaround: custom-format dump; in pg_restore's list, move the TABLE DATA
-- line of mops.funnel_model to just after the EXTENSION line.
\c contrib_regression
\! pg_dump -Fc -f results/dump_restore.dump regress_mops_dump_src
\! pg_restore -l results/dump_restore.dump > results/dump_restore.list
\! grep ' TABLE DATA mops funnel_model ' results/dump_restore.list > results/dump_restore.data
\! grep -v ' TABLE DATA mops funnel_model ' results/dump_restore.list | sed '/ EXTENSION - mops /r results/dump_restore.data' > results/dump_restore.reordered
\! pg_restore -L results/dump_restore.reordered -d regress_mops_dump_dst2 results/dump_restore.dump
\c regress_mops_dump_dst2
SET search_path = mops, public;
SELECT model_id, model, stages FROM mops.funnel_model ORDER BY model_id;
SELECT lead_id, stage FROM analytics.lead_history ORDER BY lead_id;
-- 1 webinar:attended; 2 lifecycle:sql
SELECT count(*) AS leads_rows FROM public.leads;  -- 5
SELECT count(*) AS journeys_rows FROM public.journeys;  -- 2
SELECT source FROM mops.source_category WHERE NOT builtin;  -- mastodon.social

-- Clean up.
\c contrib_regression
DROP DATABASE regress_mops_dump_src WITH (FORCE);
DROP DATABASE regress_mops_dump_dst WITH (FORCE);
DROP DATABASE regress_mops_dump_dst2 WITH (FORCE);
