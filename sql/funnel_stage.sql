-- funnel_stage: DESIGN §3.2.  The built-in models and their stage order,
-- input normalisation and canonical output, the accessors (stage_model,
-- stage_position, stage_count, next_stage, stage_distance, funnel_stages),
-- the total order by (model id, position) across models, min/max as a
-- high-water mark, DISTINCT/GROUP BY, hash joins and hash aggregation, btree
-- and hash indexes, and NULL handling.  Bad literals: funnel_stage_errors;
-- define_funnel: funnel_custom.
SET search_path = mops, public;

-- Built-in models, stage by stage, in funnel order.  Each chain must read
-- exactly as in DESIGN §3.2, and the ordinality of funnel_stages() must be
-- stage_position(); stage_model() must give the model back.
SELECT m AS model,
       string_agg(substr(s::text, length(m) + 2), ' < ' ORDER BY ord) AS stages,
       bool_and(stage_position(s) = ord) AS positions_ok,
       bool_and(stage_model(s) = m) AS models_ok,
       count(*) AS n
FROM unnest(ARRAY['aida', 'lifecycle', 'journey', 'tofu', 'aarrr']) WITH ORDINALITY AS mm(m, mord),
     funnel_stages(m) WITH ORDINALITY AS f(s, ord)
GROUP BY mord, m
ORDER BY mord;
-- aida      | awareness < interest < desire < action < loyalty                        | t | t | 5
-- lifecycle | subscriber < lead < mql < sql < opportunity < customer < evangelist     | t | t | 7
-- journey   | awareness < consideration < conversion < retention < advocacy           | t | t | 5
-- tofu      | tofu < mofu < bofu                                                      | t | t | 3
-- aarrr     | acquisition < activation < retention < referral < revenue               | t | t | 5

-- The lifecycle model in full, with positions 1..7.
SELECT s, stage_position(s) AS pos, stage_model(s) AS model
FROM funnel_stages('lifecycle') WITH ORDINALITY AS f(s, ord)
ORDER BY ord;

-- Input goes through normalize_label on each side of the colon, so case,
-- surrounding blanks and full-width letters do not matter; output is the
-- canonical lower-case model:stage.  Every row: lifecycle:mql.
SELECT n, x::funnel_stage AS stage
FROM (VALUES (1, 'lifecycle:mql'), (2, 'Lifecycle:MQL'), (3, ' lifecycle : mql '),
             (4, 'LIFECYCLE:Mql'), (5, E'\tLifecycle\t:\tMQL\n'), (6, 'ｌｉｆｅｃｙｃｌｅ:ＭＱＬ')) AS t(n, x)
ORDER BY n;

-- Separators inside a name fold like in normalize_label: all three are
-- journey:conversion, and ' aarrr : Revenue ' is aarrr:revenue.
SELECT 'Journey:Conversion'::funnel_stage AS a, 'JOURNEY : CONVERSION'::funnel_stage AS b,
       ' aarrr : Revenue '::funnel_stage AS c;

-- Equality after normalisation.
SELECT 'Lifecycle:MQL'::funnel_stage = ' lifecycle : mql '::funnel_stage AS same;  -- true

-- Output is canonical, so a text round trip gives the same value.
SELECT s::text AS txt, s::text::funnel_stage = s AS round_trip
FROM (VALUES ('TOFU:BOFU'::funnel_stage), ('Aida:Desire')) AS t(s)
ORDER BY s;  -- aida:desire, tofu:bofu; both true

-- Arrays of stages.
SELECT '{Lifecycle:MQL, tofu : BOFU}'::funnel_stage[] AS arr;  -- {lifecycle:mql,tofu:bofu}

-- Accessors.
SELECT stage_model('Lifecycle:MQL') AS model,                  -- lifecycle
       stage_position('lifecycle:mql') AS pos,                 -- 3
       next_stage('lifecycle:mql') AS next,                    -- lifecycle:sql
       next_stage('tofu:tofu') AS tofu_next;                   -- tofu:mofu

-- next_stage is NULL after the last stage of each model; it never runs on
-- into the next model (aarrr:revenue is not followed by a custom model).
SELECT next_stage('lifecycle:evangelist') IS NULL AS lifecycle_last,   -- true
       next_stage('aida:loyalty') IS NULL AS aida_last,                -- true
       next_stage('tofu:bofu') IS NULL AS tofu_last,                   -- true
       next_stage('aarrr:revenue') IS NULL AS aarrr_last,              -- true
       next_stage('journey:advocacy') IS NULL AS journey_last;         -- true

-- Walking the lifecycle funnel with next_stage from the first stage visits
-- every stage in order and stops after evangelist.
WITH RECURSIVE walk(s, n) AS (
    SELECT 'lifecycle:subscriber'::funnel_stage, 1
  UNION ALL
    SELECT next_stage(s), n + 1 FROM walk WHERE next_stage(s) IS NOT NULL
)
SELECT n, s FROM walk ORDER BY n;

-- stage_distance(a, b) = position of b - position of a.
SELECT stage_distance('lifecycle:lead', 'lifecycle:customer') AS forward,   -- 6 - 2 = 4
       stage_distance('lifecycle:customer', 'lifecycle:lead') AS backward,  -- -4
       stage_distance('lifecycle:mql', 'Lifecycle:MQL') AS zero,            -- 0
       stage_distance('tofu:tofu', 'tofu:bofu') AS tofu;                    -- 2
-- Across models there is no distance: 22023 with both models named.
SELECT stage_distance('aida:action', 'tofu:bofu');
\echo :LAST_ERROR_SQLSTATE
SELECT stage_distance('journey:awareness', 'aida:awareness');
\echo :LAST_ERROR_SQLSTATE

-- stage_count of each built-in model (7 for lifecycle, 3 for tofu, 5 for the
-- others); the model name is normalised too.
SELECT m, stage_count(m) AS n
FROM unnest(ARRAY['aida', 'lifecycle', 'journey', 'tofu', 'aarrr', ' LifeCycle ']) WITH ORDINALITY AS t(m, o)
ORDER BY o;
-- An unknown model is a bad parameter (22023), and the hint lists the models.
SELECT stage_count('nope');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM funnel_stages('nope');
\echo :LAST_ERROR_SQLSTATE

-- Two custom models, defined in the order zeta, then alpha: custom models
-- order after every built-in, by definition order (model id), not by name.
SELECT define_funnel('Zeta Funnel', '{One, Two}');
SELECT define_funnel('Alpha Funnel', '{First, Second}');
SELECT stage_count('zeta funnel') AS zeta_n, stage_count('ALPHA-FUNNEL') AS alpha_n;  -- 2, 2
SELECT next_stage('zeta_funnel:one') AS zeta_next,          -- zeta_funnel:two
       next_stage('zeta_funnel:two') IS NULL AS zeta_last;  -- true: not alpha_funnel:first

-- ORDER BY across models: by model id (aida 1 < lifecycle 2 < journey 3 <
-- tofu 4 < aarrr 5 < zeta_funnel < alpha_funnel), then by position; NULL
-- last as for any type.  Note tofu:bofu < aarrr:acquisition and
-- aida:loyalty < lifecycle:subscriber: the order is not alphabetical.
CREATE TABLE fs_mixed (s funnel_stage);
INSERT INTO fs_mixed VALUES
    ('aarrr:acquisition'), ('alpha_funnel:first'), ('zeta_funnel:two'), ('tofu:bofu'),
    ('journey:advocacy'), ('lifecycle:subscriber'), (NULL), ('aida:loyalty'),
    ('aida:awareness'), ('lifecycle:evangelist'), ('tofu:tofu'), ('zeta_funnel:one'),
    ('journey:awareness'), ('aarrr:revenue');
SELECT s FROM fs_mixed ORDER BY s;
-- aida:awareness, aida:loyalty, lifecycle:subscriber, lifecycle:evangelist,
-- journey:awareness, journey:advocacy, tofu:tofu, tofu:bofu,
-- aarrr:acquisition, aarrr:revenue, zeta_funnel:one, zeta_funnel:two,
-- alpha_funnel:first, NULL
SELECT s FROM fs_mixed ORDER BY s DESC NULLS LAST LIMIT 3;  -- alpha_funnel:first, zeta_funnel:two, zeta_funnel:one
SELECT min(s) AS lowest, max(s) AS highest FROM fs_mixed;   -- aida:awareness, alpha_funnel:first

-- The comparison operators.
SELECT 'lifecycle:mql'::funnel_stage < 'lifecycle:sql' AS lt,           -- true
       'lifecycle:mql'::funnel_stage <= 'Lifecycle:MQL' AS le,          -- true
       'lifecycle:mql'::funnel_stage > 'lifecycle:lead' AS gt,          -- true
       'lifecycle:mql'::funnel_stage >= 'lifecycle:opportunity' AS ge,  -- false
       'lifecycle:mql'::funnel_stage = 'lifecycle:mql' AS eq,           -- true
       'lifecycle:mql'::funnel_stage <> 'lifecycle:mql' AS ne,          -- false
       'tofu:bofu'::funnel_stage < 'aarrr:acquisition' AS tofu_lt_aarrr,      -- true (4 < 5)
       'aarrr:revenue'::funnel_stage < 'zeta_funnel:one' AS builtin_lt_custom, -- true
       'zeta_funnel:two'::funnel_stage < 'alpha_funnel:first' AS by_definition; -- true
-- Stages of the same name in different models are different values.
SELECT 'aida:awareness'::funnel_stage = 'journey:awareness' AS same_name_same_stage;  -- false

-- max() as a high-water mark: the furthest lifecycle stage each lead
-- reached, whatever order the rows arrived in; min() the stage it entered at.
CREATE TABLE fs_leads (lead_id integer, stage funnel_stage, entered_on date);
INSERT INTO fs_leads VALUES
    (1, 'lifecycle:sql', '2026-01-20'), (1, 'lifecycle:subscriber', '2026-01-01'),
    (1, 'lifecycle:mql', '2026-01-10'), (1, 'lifecycle:lead', '2026-01-05'),
    (2, 'lifecycle:lead', '2026-02-01'), (2, 'lifecycle:mql', '2026-02-03'),
    (3, 'lifecycle:subscriber', '2026-03-01'),
    (4, 'lifecycle:customer', '2026-04-30'), (4, 'lifecycle:lead', '2026-04-01'),
    (4, 'lifecycle:opportunity', '2026-04-20'), (4, 'lifecycle:sql', '2026-04-10'),
    (4, 'lifecycle:mql', '2026-04-05'),
    (5, NULL, '2026-05-01');
SELECT lead_id, min(stage) AS entered_at, max(stage) AS furthest, count(stage) AS stages
FROM fs_leads GROUP BY lead_id ORDER BY lead_id;
-- 1 | lifecycle:subscriber | lifecycle:sql         | 4
-- 2 | lifecycle:lead       | lifecycle:mql         | 2
-- 3 | lifecycle:subscriber | lifecycle:subscriber  | 1
-- 4 | lifecycle:lead       | lifecycle:customer    | 5
-- 5 | (null)               | (null)                | 0   (max/min ignore NULLs)

-- Leads whose high-water mark is at least MQL, and how far past it.
SELECT lead_id, max(stage) AS furthest,
       stage_distance('lifecycle:mql', max(stage)) AS steps_past_mql
FROM fs_leads GROUP BY lead_id
HAVING max(stage) >= 'lifecycle:mql'
ORDER BY lead_id;  -- 1 sql 1; 2 mql 0; 4 customer 3

-- DISTINCT and GROUP BY (sorted).
SELECT DISTINCT stage FROM fs_leads ORDER BY stage;
-- subscriber, lead, mql, sql, opportunity, customer, NULL
SELECT stage, count(*) AS n FROM fs_leads GROUP BY stage ORDER BY stage;
-- subscriber 2, lead 3, mql 3, sql 2, opportunity 1, customer 1, NULL 1

-- The same with hashing: with sorting discouraged, DISTINCT and GROUP BY
-- use a HashAggregate (the hash opclass), and must give the same groups.
ANALYZE fs_leads;
SET enable_sort = off;
EXPLAIN (COSTS OFF)
WITH g AS MATERIALIZED (SELECT stage, count(*) AS n FROM fs_leads GROUP BY stage)
SELECT * FROM g ORDER BY stage;
WITH g AS MATERIALIZED (SELECT stage, count(*) AS n FROM fs_leads GROUP BY stage)
SELECT * FROM g ORDER BY stage;
EXPLAIN (COSTS OFF)
WITH d AS MATERIALIZED (SELECT DISTINCT stage FROM fs_leads)
SELECT * FROM d ORDER BY stage;
WITH d AS MATERIALIZED (SELECT DISTINCT stage FROM fs_leads)
SELECT * FROM d ORDER BY stage;
RESET enable_sort;

-- Hash join: stage targets joined to the leads' rows on stage equality.
CREATE TABLE fs_targets (stage funnel_stage, target integer);
INSERT INTO fs_targets VALUES ('lifecycle:mql', 3), ('Lifecycle:SQL', 2), ('lifecycle:customer', 1),
                              ('aida:action', 9);
ANALYZE fs_targets;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF)
SELECT t.stage, t.target, count(l.lead_id) AS reached
FROM fs_targets t JOIN fs_leads l ON l.stage = t.stage
GROUP BY t.stage, t.target ORDER BY t.stage;
SELECT t.stage, t.target, count(l.lead_id) AS reached
FROM fs_targets t JOIN fs_leads l ON l.stage = t.stage
GROUP BY t.stage, t.target ORDER BY t.stage;
-- lifecycle:mql 3 3, lifecycle:sql 2 2, lifecycle:customer 1 1 (aida:action matches nothing)
RESET enable_mergejoin;
RESET enable_nestloop;

-- A merge join (btree order) must agree with the hash join.
SET enable_hashjoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF)
SELECT t.stage, count(l.lead_id) AS reached
FROM fs_targets t JOIN fs_leads l ON l.stage = t.stage
GROUP BY t.stage ORDER BY t.stage;
SELECT t.stage, count(l.lead_id) AS reached
FROM fs_targets t JOIN fs_leads l ON l.stage = t.stage
GROUP BY t.stage ORDER BY t.stage;
RESET enable_hashjoin;
RESET enable_nestloop;

-- A btree index.  1000 rows: 100 of each of the 7 lifecycle stages, of
-- aida:action, tofu:mofu and aarrr:revenue.
CREATE TABLE fs_big AS
SELECT i AS id,
       (ARRAY['lifecycle:subscriber', 'lifecycle:lead', 'lifecycle:mql', 'lifecycle:sql',
              'lifecycle:opportunity', 'lifecycle:customer', 'lifecycle:evangelist',
              'aida:action', 'tofu:mofu', 'aarrr:revenue'])[1 + i % 10]::funnel_stage AS stage
FROM generate_series(1, 1000) AS i;
CREATE INDEX fs_big_stage_idx ON fs_big (stage);
VACUUM ANALYZE fs_big;
-- With sequential scans off the index answers the range query.
SET enable_seqscan = off;
SET enable_bitmapscan = off;  -- the plan to show is the plain btree scan
EXPLAIN (COSTS OFF)
SELECT stage, count(*) FROM fs_big WHERE stage >= 'lifecycle:mql' GROUP BY stage ORDER BY stage;
-- stage >= lifecycle:mql is a range over (model id, position), so it also
-- takes in every stage of the models after lifecycle (journey, tofu, aarrr
-- and custom models), and leaves out aida: 5 x 100 lifecycle rows, then
-- tofu:mofu 100 and aarrr:revenue 100.
SELECT stage, count(*) FROM fs_big WHERE stage >= 'lifecycle:mql' GROUP BY stage ORDER BY stage;
-- To stay within one model, bound the range on both sides: 500 rows.
SELECT count(*) FROM fs_big WHERE stage BETWEEN 'lifecycle:mql' AND 'lifecycle:evangelist';
-- Equality through the index.
SELECT count(*) FROM fs_big WHERE stage = 'Lifecycle : MQL';  -- 100
RESET enable_seqscan;
-- The same queries without any index give the same rows.
SET enable_indexscan = off;
SET enable_indexonlyscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF)
SELECT stage, count(*) FROM fs_big WHERE stage >= 'lifecycle:mql' GROUP BY stage ORDER BY stage;
SELECT stage, count(*) FROM fs_big WHERE stage >= 'lifecycle:mql' GROUP BY stage ORDER BY stage;
SELECT count(*) FROM fs_big WHERE stage BETWEEN 'lifecycle:mql' AND 'lifecycle:evangelist';  -- 500
SELECT count(*) FROM fs_big WHERE stage = 'Lifecycle : MQL';  -- 100
RESET enable_indexscan;
RESET enable_indexonlyscan;
RESET enable_bitmapscan;

-- A hash index (equality only).
DROP INDEX fs_big_stage_idx;
CREATE INDEX fs_big_stage_hash ON fs_big USING hash (stage);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF)
SELECT count(*) FROM fs_big WHERE stage = 'lifecycle:mql';
SELECT count(*) FROM fs_big WHERE stage = 'lifecycle:mql';   -- 100
SELECT count(*) FROM fs_big WHERE stage = 'tofu:bofu';       -- 0
RESET enable_seqscan;
RESET enable_bitmapscan;

-- A unique btree index rejects the same stage spelt differently.
CREATE TABLE fs_unique (stage funnel_stage PRIMARY KEY);
INSERT INTO fs_unique VALUES ('lifecycle:mql');
INSERT INTO fs_unique VALUES ('LIFECYCLE : MQL');  -- 23505 duplicate key
\echo :LAST_ERROR_SQLSTATE

-- NULL handling: every function is STRICT, so NULL in gives NULL out (and
-- funnel_stages(NULL) returns no rows).
SELECT stage_model(NULL) IS NULL AS model, stage_position(NULL) IS NULL AS pos,
       next_stage(NULL) IS NULL AS next, stage_count(NULL) IS NULL AS cnt,
       stage_distance(NULL, 'lifecycle:mql') IS NULL AS dist1,
       stage_distance('lifecycle:mql', NULL) IS NULL AS dist2;  -- all true
SELECT count(*) AS rows_for_null_model FROM funnel_stages(NULL);  -- 0
SELECT NULL::funnel_stage IS NULL AS null_literal,                  -- true
       max(s) IS NULL AS max_of_nulls, min(s) IS NULL AS min_of_nulls  -- true, true
FROM (VALUES (NULL::funnel_stage), (NULL)) AS t(s);
SELECT NULL::funnel_stage = 'lifecycle:mql' IS NULL AS null_compare;  -- true

-- The type is fixed-size (4 bytes) and passed by value (DESIGN §3.2).
SELECT typlen, typbyval FROM pg_type WHERE oid = 'mops.funnel_stage'::regtype;  -- 4, true

-- Volatility as documented: position and distance are immutable (they do
-- not read mops.funnel_model); the others are stable; all strict and
-- parallel safe.
SELECT p.oid::regprocedure AS function, provolatile, proisstrict, proparallel
FROM pg_proc p
WHERE p.oid IN ('mops.stage_model(mops.funnel_stage)'::regprocedure,
                'mops.stage_position(mops.funnel_stage)'::regprocedure,
                'mops.stage_count(text)'::regprocedure,
                'mops.next_stage(mops.funnel_stage)'::regprocedure,
                'mops.stage_distance(mops.funnel_stage, mops.funnel_stage)'::regprocedure,
                'mops.funnel_stages(text)'::regprocedure)
ORDER BY p.proname;

-- Clean up: tables first, then the custom models (so that later tests start
-- without custom models).
DROP TABLE fs_mixed, fs_leads, fs_targets, fs_big, fs_unique;
DELETE FROM mops.funnel_model WHERE model IN ('zeta_funnel', 'alpha_funnel');
SELECT count(*) AS custom_models_left FROM mops.funnel_model;  -- 0
