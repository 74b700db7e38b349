-- smart_goal: DESIGN §3.5.  The text form, its canonical output, the jsonb
-- casts and the constructor; goal_progress, goal_expected_progress,
-- goal_status and smart_check on hand-worked goals; every malformed literal
-- of DESIGN's list with its SQLSTATE.
SET search_path = mops, public;
SET datestyle = 'ISO, YMD';

-- The seed example: "increase total clicks from email by 25 % in one year".
CREATE TABLE goal (id int, g smart_goal);
INSERT INTO goal VALUES
  (1, 'metric=email_clicks baseline=1000 target=1250 starts=2026-01-01 due=2026-12-31 owner=crm objective="pipeline growth"'),
  -- keys in any order and case, extra blanks, a quoted bare word, +/exponent numbers
  (2, '  OBJECTIVE="pipeline growth"  owner="crm" due=2026-12-31 starts=2026-01-01 target=1.25e3 baseline=+01000  metric=email_clicks '),
  -- a decreasing goal: CPA from 50 down to 40, in EUR
  (3, 'metric=cpa baseline=50 target=40 unit=EUR starts=2026-01-01 due=2026-03-31'),
  -- metric and target only
  (4, 'metric=signups target=300'),
  -- quotes and backslashes inside a quoted value; '=' in a value
  (5, E'metric=nps target=60 objective="the \\"loyal\\" segment, a\\\\b" owner=a=b');

-- Output is canonical: metric baseline target unit starts due owner
-- objective; numbers as numeric prints them (1.25e3 -> 1250, +01000 -> 1000);
-- quotes only where a value has a blank, '"', '\' or '='.
-- expect: 1 and 2 print the same; 5 keeps its escapes and quotes owner="a=b".
SELECT id, g FROM goal ORDER BY id;
SELECT (SELECT g FROM goal WHERE id = 1) = (SELECT g FROM goal WHERE id = 2) AS same_goal;  -- t

-- The text round trip is exact (output parses to an equal value).
SELECT id, g::text::smart_goal = g AS text_round_trip FROM goal ORDER BY id;

-- Binary round trip (send/recv) through COPY BINARY.
\copy goal TO 'results/smart_goal.bin' WITH (FORMAT binary)
CREATE TABLE goal_copy (LIKE goal);
\copy goal_copy FROM 'results/smart_goal.bin' WITH (FORMAT binary)
SELECT count(*) AS rows, count(*) FILTER (WHERE c.g = o.g) AS equal
FROM goal o JOIN goal_copy c USING (id);  -- 5 5

-- jsonb: numbers as JSON numbers, dates as strings, absent keys omitted
-- (jsonb orders keys by length, then bytes).
SELECT id, g::jsonb FROM goal ORDER BY id;
SELECT id, g::jsonb::smart_goal = g AS jsonb_round_trip FROM goal ORDER BY id;  -- all t
-- From jsonb: numbers may be strings, null means absent.
SELECT '{"metric": "cpa", "target": "40", "baseline": 50, "owner": null}'::jsonb::smart_goal;
-- expect: metric=cpa baseline=50 target=40

-- The constructor: metric and target, the rest by name.
SELECT smart_goal('email_clicks', 1250, baseline => 1000, starts => '2026-01-01', due => '2026-12-31',
                  owner => 'crm', objective => 'pipeline growth')
       = (SELECT g FROM goal WHERE id = 1) AS same_as_literal;  -- t
SELECT smart_goal('cpa', 40, 50, unit => 'EUR');  -- metric=cpa baseline=50 target=40 unit=EUR
SELECT smart_goal(NULL, 40) IS NULL AS no_metric, smart_goal('cpa', NULL) IS NULL AS no_target;  -- t t

-- Accessors.
SELECT goal_metric(g), goal_target(g), goal_baseline(g), goal_unit(g), goal_starts(g),
       goal_due(g), goal_owner(g), goal_objective(g)
FROM goal WHERE id IN (1, 4) ORDER BY id;
-- 1: email_clicks 1250 1000 NULL 2026-01-01 2026-12-31 crm "pipeline growth"
-- 4: signups 300, the rest NULL

-- ---------------------------------------------------------------------------
-- Progress.  Seed goal: (actual - 1000) / (1250 - 1000).
SELECT a AS actual, goal_progress(g, a) AS progress
FROM goal, unnest('{1000,1125,1250,1300,900}'::numeric[]) AS a WHERE id = 1;
-- 1000 -> 0, 1125 -> 125/250 = 0.5, 1250 -> 1, 1300 -> 300/250 = 1.2 (not
-- clamped), 900 -> -100/250 = -0.4 (moving away)

-- Decreasing goal CPA 50 -> 40: (45 - 50) / (40 - 50) = 0.5; 40 -> 1; 55 -> -0.5.
SELECT a AS actual, goal_progress(g, a) AS progress
FROM goal, unnest('{45,40,55}'::numeric[]) AS a WHERE id = 3;

-- Without a baseline: actual / target.  150 / 300 = 0.5; 100 / 300 = 1/3 to
-- numeric's division scale (20 digits here), trailing zeros removed.
SELECT goal_progress(g, 150) AS half, goal_progress(g, 100) AS third FROM goal WHERE id = 4;
-- A zero target without a baseline has no progress ratio: NULL.
SELECT goal_progress('metric=complaints target=0', 3) AS zero_target;  -- NULL

-- Expected progress: (as_of - starts) / (due - starts) in days, clamped.
-- Seed goal: due - starts = 364 days.  2026-07-02 is 182 days in: 0.5.
SELECT d AS as_of, goal_expected_progress(g, d) AS expected
FROM goal, unnest('{2025-12-01,2026-01-01,2026-04-02,2026-07-02,2026-12-31,2027-06-01,infinity,-infinity}'::date[]) AS d
WHERE id = 1;
-- before start 0; at start 0; 91/364 = 0.25; 182/364 = 0.5; due 1; after 1;
-- infinity 1; -infinity 0
SELECT goal_expected_progress(g, '2026-07-02') AS no_dates FROM goal WHERE id = 4;  -- NULL
-- starts = due: 0 before that day, 1 from it on.
SELECT goal_expected_progress('metric=m target=1 starts=2026-05-01 due=2026-05-01', d)
FROM unnest('{2026-04-30,2026-05-01}'::date[]) AS d;  -- 0, 1

-- Status, checked in DESIGN's order.
SELECT actual, as_of, goal_status(g, actual, as_of) AS status
FROM goal, (VALUES (1125, date '2025-12-31'),  -- before starts: not_started
                   (1250, date '2026-03-01'),  -- progress 1: achieved
                   (1300, date '2027-01-01'),  -- progress 1.2 after due: achieved (checked before missed)
                   (1200, date '2027-01-01'),  -- after due, progress 0.8: missed
                   (1125, date '2026-07-02'),  -- progress 0.5 = expected 0.5: on_track (the issue's example)
                   (1100, date '2026-07-02'),  -- 0.4 >= 0.5 - 0.10: at_risk (boundary exactly)
                   (1099, date '2026-07-02'),  -- 0.396 < 0.4: off_track
                   (1000, date '2026-01-01'),  -- progress 0, expected 0 (on the start day): on_track
                   (1250, date '2026-12-31')   -- the due day itself is not after due: achieved
            ) AS t(actual, as_of)
WHERE id = 1;
-- Decreasing goal (CPA 50 -> 40 over Jan-Mar, 89 days): on 2026-02-15, 45
-- days in, expected 45/89 = 0.5056; actual 45 -> progress 0.5 >= 0.4056:
-- at_risk; actual 44 -> 0.6: on_track; actual 48 -> 0.2: off_track.
SELECT actual, goal_status(g, actual, '2026-02-15') AS status
FROM goal, unnest('{45,44,48}'::numeric[]) AS actual WHERE id = 3;
-- No dates: achieved can be told, the rest cannot (NULL).
SELECT goal_status(g, 300, '2026-01-01') AS achieved, goal_status(g, 100, '2026-01-01') AS unknown
FROM goal WHERE id = 4;
-- as_of defaults to current_date: a goal long past its due date.
SELECT goal_status('metric=m baseline=0 target=10 starts=2000-01-01 due=2000-12-31', 5) AS status;  -- missed

-- ---------------------------------------------------------------------------
-- smart_check: the criteria a goal fails, in order specific, measurable,
-- attainable, relevant, time_bound.
SELECT id, smart_check(g) FROM goal ORDER BY id;
-- 1: {} (owner, baseline, +25 % change, objective, due: SMART)
-- 2: {} (the same goal)
-- 3: {specific,relevant} (no owner, no objective; -20 % is attainable; due given)
-- 4: {specific,measurable,relevant,time_bound} (attainable not judged without baseline)
-- 5: {measurable,time_bound}
-- attainable: |target - baseline| / |baseline| above mops.max_attainable_change (1.0).
SELECT b, t, smart_check(format('metric=m baseline=%s target=%s owner=o objective=x due=2027-01-01', b, t)::smart_goal)
FROM (VALUES (100, 200),   -- +100 %: exactly the limit, attainable: {}
             (100, 201),   -- +101 %: {attainable}
             (100, 0),     -- -100 %: {}
             (-50, 60),    -- |110| / |-50| = 2.2: {attainable}
             (0, 10)       -- zero baseline: no relative change, not judged: {}
     ) AS v(b, t);
SET mops.max_attainable_change = 0.2;
SELECT smart_check('metric=m baseline=100 target=125 owner=o objective=x due=2027-01-01') AS strict,   -- {attainable}
       smart_check('metric=m baseline=100 target=120 owner=o objective=x due=2027-01-01') AS at_limit; -- {}
RESET mops.max_attainable_change;

-- ---------------------------------------------------------------------------
-- Ordering (by metric, then by the stored form) and hashing: GROUP BY,
-- DISTINCT and indexes work.
SELECT goal_metric(g), count(*) FROM goal GROUP BY g ORDER BY g;
-- cpa 1, email_clicks 2 (ids 1 and 2 are one goal), nps 1, signups 1
CREATE INDEX ON goal (g);
CREATE INDEX ON goal USING hash (g);
SET enable_seqscan = off;
SELECT id FROM goal WHERE g = 'metric=email_clicks baseline=1000 target=1250 starts=2026-01-01 due=2026-12-31 owner=crm objective="pipeline growth"' ORDER BY id;  -- 1, 2
RESET enable_seqscan;

-- ---------------------------------------------------------------------------
-- Malformed literals (DESIGN's list) and their SQLSTATEs.
-- public.err(sql) (sql/setup.sql): the SQLSTATE, message, detail and hint
-- of the error sql raises ('no error' if it succeeds).
\x on
SELECT n, why, e.*
FROM (VALUES
  (1, 'unknown key: 22P02', $$SELECT 'metric=m target=1 colour=red'::mops.smart_goal$$),
  (2, 'missing metric: 22P02', $$SELECT 'target=1 owner=crm'::mops.smart_goal$$),
  (3, 'missing target: 22P02', $$SELECT 'metric=m baseline=5'::mops.smart_goal$$),
  (4, 'duplicate key: 22P02', $$SELECT 'metric=m target=1 target=2'::mops.smart_goal$$),
  (5, 'due < starts: 22023', $$SELECT 'metric=m target=1 starts=2026-06-01 due=2026-05-31'::mops.smart_goal$$),
  (6, 'target = baseline (10 = 10.0): 22023', $$SELECT 'metric=m target=10 baseline=10.0'::mops.smart_goal$$),
  (7, 'non-numeric number: 22P02', $$SELECT 'metric=m target=ten'::mops.smart_goal$$),
  (8, 'NaN is not a number here: 22P02', $$SELECT 'metric=m target=NaN'::mops.smart_goal$$),
  (9, 'no 30 February: 22P02', $$SELECT 'metric=m target=1 due=2026-02-30'::mops.smart_goal$$),
  (10, 'dates are ISO YYYY-MM-DD: 22P02', $$SELECT 'metric=m target=1 due=31/12/2026'::mops.smart_goal$$),
  (11, 'more than 1000 digits: 22003', $$SELECT 'metric=m target=1e1001'::mops.smart_goal$$),
  (12, 'unterminated quote: 22P02', $$SELECT 'metric="m target=1'::mops.smart_goal$$),
  (13, 'empty metric: 22P02', $$SELECT 'metric="" target=1'::mops.smart_goal$$),
  (14, 'blanks around "=": 22P02', $$SELECT 'metric=m target = 1'::mops.smart_goal$$),
  (15, 'the constructor checks too: 22023', $$SELECT mops.smart_goal('m', 1, due => '2026-01-01', starts => '2026-02-01')$$),
  (16, 'constructor with a NaN target: 22023', $$SELECT mops.smart_goal('m', 'NaN')$$),
  (17, 'jsonb that is not an object: 22023', $$SELECT '[1, 2]'::jsonb::mops.smart_goal$$),
  (18, 'jsonb with an unknown key: 22P02', $$SELECT '{"metric": "m", "target": 1, "colour": "red"}'::jsonb::mops.smart_goal$$),
  (19, 'jsonb value that is an array: 22023', $$SELECT '{"metric": "m", "target": [1]}'::jsonb::mops.smart_goal$$),
  (20, 'constructor date beyond 9999: 22008', $$SELECT mops.smart_goal('m', 1, due => 'infinity')$$)
) AS c(n, why, sql), public.err(sql) AS e
ORDER BY n;
\x off

-- Binary input is validated like text input (22P03 for bytes that are not
-- a goal).  A bytea column's binary COPY form is its raw bytes, so a file
-- written from a bytea column loads those bytes into a smart_goal column as
-- its binary form.
-- Stored form: version 1, flags, starts, due (int32 LE), then u32 LE length
-- + bytes for metric and target.
CREATE TABLE goal_bytes (id int, b bytea);
INSERT INTO goal_bytes VALUES
  (1, '\x010000000000000000000100000078010000003100'),  -- one byte too many
  (2, '\x010000000000000000000100000078020000003031'),  -- target "01" is not canonical
  (3, '\x0200000000000000000001000000780100000031');    -- format version 2
CREATE TABLE goal_in (id int, g smart_goal);
\copy (SELECT id, b FROM goal_bytes WHERE id = 1) TO 'results/smart_goal_bad1.bin' WITH (FORMAT binary)
\copy (SELECT id, b FROM goal_bytes WHERE id = 2) TO 'results/smart_goal_bad2.bin' WITH (FORMAT binary)
\copy (SELECT id, b FROM goal_bytes WHERE id = 3) TO 'results/smart_goal_bad3.bin' WITH (FORMAT binary)
\set VERBOSITY sqlstate
\copy goal_in FROM 'results/smart_goal_bad1.bin' WITH (FORMAT binary)
\copy goal_in FROM 'results/smart_goal_bad2.bin' WITH (FORMAT binary)
\copy goal_in FROM 'results/smart_goal_bad3.bin' WITH (FORMAT binary)
\set VERBOSITY default
\copy goal_in FROM 'results/smart_goal_bad2.bin' WITH (FORMAT binary)
-- The well-formed body of metric=x target=1 loads.
\copy (SELECT 4, '\x0100000000000000000001000000780100000031'::bytea) TO 'results/smart_goal_good.bin' WITH (FORMAT binary)
\copy goal_in FROM 'results/smart_goal_good.bin' WITH (FORMAT binary)
SELECT * FROM goal_in;  -- 4 | metric=x target=1

DROP TABLE goal, goal_copy, goal_bytes, goal_in;
