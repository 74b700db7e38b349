-- funnel_steps: the timestamps of the steps of the first chain to reach
-- window_funnel's level - the chain whose last step comes earliest - for
-- time-to-convert analysis (DESIGN §3.3).  An empty array for level 0.
-- When several chains complete the level with the same event, the chain is
-- the one built from the most recent occurrence of each earlier step: a newer
-- step-1 event starts a new chain, and a newer occurrence of a reached step
-- extends the chain again (so the time to convert is the shortest).  This is
-- the same with every mode: strict_once only changes which rows may serve
-- which step.
--
-- Steps A, B, C written e ~ 'A', ... ('AB' satisfies A and B); window 1 hour;
-- all on 2026-01-01 (UTC).  Most results are shown as time[] (the timestamps
-- cast to time of day) to keep them short.  "-- expect: <result>" is worked
-- out by hand.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
SET search_path = mops, public;

-- expect: {"2026-01-01 10:00:00+00","2026-01-01 10:10:00+00","2026-01-01 10:20:00+00"} | 3
-- -- A B C within the hour: the three timestamps (shown as timestamptz[]),
-- as many as the level.
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS steps,
       window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'C')) v(ts, e);

-- ---------------------------------------------------------------------------
-- Level 0: the empty array
-- ---------------------------------------------------------------------------

-- expect: {} | 0 | f -- no rows: an empty array (not NULL).
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS steps,
       cardinality(funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')) AS n,
       funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') IS NULL AS is_null
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A')) v(ts, e) WHERE false;

-- expect: {} | {} -- no step-1 event (B, C only); and no row matching any step.
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') FILTER (WHERE k = 1) AS no_a,
       funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') FILTER (WHERE k = 2) AS no_step
FROM (VALUES (1, timestamptz '2026-01-01 10:00', 'B'), (1, '2026-01-01 10:10', 'C'),
             (2, '2026-01-01 10:00', 'X')) v(k, ts, e);

-- expect: {} -- strict_order, level 0: X and B but no A.
SELECT funnel_steps('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS steps
FROM (VALUES (timestamptz '2026-01-01 10:00', 'X'), ('2026-01-01 10:10', 'B')) v(ts, e);

-- ---------------------------------------------------------------------------
-- Which chain
-- ---------------------------------------------------------------------------

-- expect: {10:00:00} -- level 1 from two As (10:00 and 10:30) and a B before
-- them: the first A reaches level 1 first.
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS steps
FROM (VALUES (timestamptz '2026-01-01 09:50', 'B'), ('2026-01-01 10:30', 'A'),
             ('2026-01-01 10:00', 'A')) v(ts, e);

-- expect: {10:00:00,10:10:00,10:20:00} -- two complete chains (10:00-10:20
-- and 10:30-10:50): the first to reach level 3, whose last step (10:20) comes
-- earliest.  Rows stored out of order.
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS steps
FROM (VALUES (timestamptz '2026-01-01 10:50', 'C'), ('2026-01-01 10:30', 'A'),
             ('2026-01-01 10:10', 'B'), ('2026-01-01 10:40', 'B'),
             ('2026-01-01 10:20', 'C'), ('2026-01-01 10:00', 'A')) v(ts, e);

-- expect: {10:30:00,10:40:00,10:45:00} | 3 -- level 3 is first reached at
-- C 10:45 (C 10:55 comes later).  C 10:45 completes A 10:00 -> B 10:10 (or
-- B 10:40) -> C as well as A 10:30 -> B 10:40 -> C; by the rule above the
-- chain is the one of the newest A (10:30) and the newest B (10:40).
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS steps,
       window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:30', 'A'), ('2026-01-01 10:40', 'B'),
             ('2026-01-01 10:45', 'C'), ('2026-01-01 10:55', 'C')) v(ts, e);

-- expect: {10:00:00,10:10:00,10:30:00} -- the restart loses: A 10:00, B 10:10,
-- A 10:20, C 10:30.  The chain from 10:20 has no B; C completes the chain
-- from 10:00.
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS steps
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'A'), ('2026-01-01 10:30', 'C')) v(ts, e);

-- expect: {10:50:00,11:00:00,11:30:00} -- the restart wins thanks to the
-- window: A 10:00, B 10:10, A 10:50, B 11:00, C 11:30; C is 90 minutes after
-- the first A, 40 after the second.
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS steps
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:50', 'A'), ('2026-01-01 11:00', 'B'),
             ('2026-01-01 11:30', 'C')) v(ts, e);

-- expect: {10:05:00,10:10:00} -- A 10:00, A 10:05, B 10:10: B completes both
-- A 10:00 -> B and A 10:05 -> B at the same moment.  A new step-1 event starts
-- a new chain, so at 10:10 the chain is the one started at 10:05 (the shortest
-- time to convert).
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS steps
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:05', 'A'),
             ('2026-01-01 10:10', 'B')) v(ts, e);

-- expect: {10:20:00,10:30:00,10:40:00} -- A 10:00, B 10:10, A 10:20, B 10:30,
-- C 10:40: B 10:30 extends the chain restarted at 10:20, and C extends that
-- chain (the chain from 10:00 would also end at 10:40, but it was superseded
-- at level 2 by the later chain).
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS steps
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'A'), ('2026-01-01 10:30', 'B'),
             ('2026-01-01 10:40', 'C')) v(ts, e);

-- expect: {10:00:00,10:10:00} -- level 2 reached early, level 3 never (C is
-- 90 minutes after A): the steps of the level reached.
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS steps
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 11:30', 'C')) v(ts, e);

-- expect: {"2026-01-01 10:00:00+00","2026-01-01 11:00:00+00"} -- B exactly at
-- the window's end counts.
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B') AS steps
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 11:00', 'B')) v(ts, e);

-- expect: {"2026-01-01 10:00:00.000001+00"} -- B a microsecond past the
-- window: level 1; the timestamps keep their microseconds.
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B') AS steps
FROM (VALUES (timestamptz '2026-01-01 10:00:00.000001', 'A'),
             ('2026-01-01 11:00:00.000002', 'B')) v(ts, e);

-- expect: {10:00:00,10:00:00,10:10:00} -- one row 'AB' serves steps 1 and 2,
-- so both steps have its timestamp.
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS steps
FROM (VALUES (timestamptz '2026-01-01 10:00', 'AB'), ('2026-01-01 10:10', 'C')) v(ts, e);

-- expect: {10:05:00,10:10:00} -- the A with a NULL timestamp is skipped.
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS steps
FROM (VALUES (NULL::timestamptz, 'A'), ('2026-01-01 10:05', 'A'),
             ('2026-01-01 10:10', 'B')) v(ts, e);

-- expect: {10:00:00} | {10:10:00} -- one-step funnels: the first A (rows
-- stored out of order), and in strict_order the A after a row matching
-- nothing.
SELECT (funnel_steps('1 hour', ts, e ~ 'A') FILTER (WHERE k = 1))::time[] AS one_step,
       (funnel_steps('1 hour', 'strict_order', ts, e ~ 'A') FILTER (WHERE k = 2))::time[] AS one_step_strict_order
FROM (VALUES (1, timestamptz '2026-01-01 10:30', 'A'), (1, '2026-01-01 10:00', 'A'),
             (2, '2026-01-01 10:00', 'X'), (2, '2026-01-01 10:10', 'A')) v(k, ts, e);

-- expect: 00:40:00 | 00:10:00 -- time to convert: from the first step to the
-- last and between steps 1 and 2 (the chain A 10:50, B 11:00, C 11:30).
SELECT s[cardinality(s)] - s[1] AS first_to_last, s[2] - s[1] AS first_to_second
FROM (SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS s
      FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
                   ('2026-01-01 10:50', 'A'), ('2026-01-01 11:00', 'B'),
                   ('2026-01-01 11:30', 'C')) v(ts, e)) f;

-- expect: 64 | 2026-01-01 10:00:01+00 | 2026-01-01 10:01:04+00 -- 64 steps,
-- row k at 10:00 + k seconds satisfying step k: 64 timestamps, the first at
-- 10:00:01 and the last at 10:01:04.
SELECT cardinality(s) AS n, s[1] AS first_step, s[64] AS step_64
FROM (SELECT funnel_steps('1 hour', ts, VARIADIC (SELECT array_agg(k = x ORDER BY x) FROM generate_series(1, 64) x)) AS s
      FROM (SELECT k, timestamptz '2026-01-01 10:00' + k * interval '1 second' AS ts
            FROM generate_series(1, 64) k) r) f;

-- ---------------------------------------------------------------------------
-- With modes
-- ---------------------------------------------------------------------------

-- A B B C.
-- expect: {10:00:00,10:20:00,10:30:00} | {10:00:00,10:10:00}
--   default: C completes A 10:00 -> B 10:10 -> C and A 10:00 -> B 10:20 -> C
--   at the same moment; the second B extended the chain again (as the newer
--   A did above), so the chain is A, B 10:20, C.
--   strict_deduplication stops at the second B at level 2: the steps of the
--   chain that reached it (A 10:00, the first B).
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS default_mode,
       funnel_steps('1 hour', 'strict_deduplication', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS strict_deduplication
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'B'), ('2026-01-01 10:30', 'C')) v(ts, e);

-- A C B.
-- expect: {10:00:00,10:20:00} | {10:00:00} -- strict_order stops at C with
-- level 1.
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS default_mode,
       funnel_steps('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS strict_order
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'C'),
             ('2026-01-01 10:20', 'B')) v(ts, e);

-- A C B C.
-- expect: {10:00:00,10:20:00,10:30:00} -- strict_order with allow_reentry
-- ignores the early C.
SELECT funnel_steps('1 hour', 'strict_order,allow_reentry', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS steps
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'C'),
             ('2026-01-01 10:20', 'B'), ('2026-01-01 10:30', 'C')) v(ts, e);

-- A 10:00, B 10:00, C 10:05, B 10:10, C 10:20.
-- expect: {10:00:00,10:00:00,10:05:00} | {10:00:00,10:10:00,10:20:00}
--   default: A and B at 10:00 (tie: A first), C 10:05 reaches level 3.
--   strict_increase: B 10:00 is not after A, C 10:05 has no B; B 10:10 and
--   C 10:20 complete the chain.
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS default_mode,
       funnel_steps('1 hour', 'strict_increase', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS strict_increase
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:00', 'B'),
             ('2026-01-01 10:05', 'C'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'C')) v(ts, e);

-- 'AB' 10:00, C 10:05, B 10:10, C 10:20.
-- expect: {10:00:00,10:00:00,10:05:00} | {10:00:00,10:10:00,10:20:00}
--   default: 'AB' serves A and B (both at 10:00), C 10:05 reaches level 3.
--   strict_once: 'AB' serves A only; C 10:05 has no B; B 10:10 and C 10:20
--   complete the chain.
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS default_mode,
       funnel_steps('1 hour', 'strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS strict_once
FROM (VALUES (timestamptz '2026-01-01 10:00', 'AB'), ('2026-01-01 10:05', 'C'),
             ('2026-01-01 10:10', 'B'), ('2026-01-01 10:20', 'C')) v(ts, e);

-- When no row satisfies two steps, strict_once (and strict_increase, with
-- distinct timestamps) change nothing: the same chain as without a mode.
-- A 10:00, A 10:05, B 10:10 (two chains complete at 10:10; the one started
-- by the newer step-1 event is the chain, as above).
-- expect: {10:05:00,10:10:00} | {10:05:00,10:10:00} | {10:05:00,10:10:00}
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS default_mode,
       funnel_steps('1 hour', 'strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS strict_once,
       funnel_steps('1 hour', 'strict_increase', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS strict_increase
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:05', 'A'),
             ('2026-01-01 10:10', 'B')) v(ts, e);

-- A 10:00, B 10:10, A 10:30, B 10:40, C 10:45, C 10:55 (the tie above: C
-- 10:45 completes chains from both As), one step per row.
-- expect: {10:30:00,10:40:00,10:45:00} | {10:30:00,10:40:00,10:45:00}
SELECT funnel_steps('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS default_mode,
       funnel_steps('1 hour', 'strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C')::time[] AS strict_once
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:30', 'A'), ('2026-01-01 10:40', 'B'),
             ('2026-01-01 10:45', 'C'), ('2026-01-01 10:55', 'C')) v(ts, e);

-- As a window function over the events from each one to the end, strict_once:
-- A 10:00, B 10:10, A 10:20, C 10:30, B 10:40, C 10:50.
-- expect:
--   10:00: {10:00:00,10:10:00,10:30:00} -- C 10:30 first completes a chain;
--   10:10: {10:20:00,10:40:00,10:50:00} -- B 10:10 has no A before it;
--   10:20: {10:20:00,10:40:00,10:50:00}
--   10:30, 10:40, 10:50: {} -- no A from there on.
SELECT ts, e,
       (funnel_steps('1 hour', 'strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C') OVER (ORDER BY ts DESC))::time[] AS steps_from_here
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'A'), ('2026-01-01 10:30', 'C'),
             ('2026-01-01 10:40', 'B'), ('2026-01-01 10:50', 'C')) v(ts, e)
ORDER BY ts;

-- ---------------------------------------------------------------------------
-- funnel_steps agrees with window_funnel
-- ---------------------------------------------------------------------------

-- For every user of a small table and every mode, the number of timestamps is
-- the level, the timestamps are in order and lie within the window of the
-- first, and each is the timestamp of a row of the user.
CREATE TABLE fs_events (user_id int, ts timestamptz, e text);
INSERT INTO fs_events
SELECT u, timestamptz '2026-01-01 10:00' + ((u * 37 + i * 11) % 90) * interval '1 minute',
       (ARRAY['A', 'B', 'C', 'AB', 'BC', 'X', 'A', 'B', 'C'])[1 + (u * 7 + i * 5) % 9]
FROM generate_series(1, 200) u, generate_series(1, 8) i;
-- expect: 4800 | 0 -- 200 users x 24 mode lists (15 non-empty subsets of the
-- four modes, no mode, 8 lists with strict_order,allow_reentry): no disagreement.
SELECT count(*) AS checked,
       count(*) FILTER (WHERE cardinality(steps) <> level
                           OR EXISTS (SELECT 1 FROM unnest(steps) WITH ORDINALITY s(t, o)
                                       WHERE t < steps[1] OR t > steps[1] + interval '1 hour'
                                          OR (o > 1 AND t < steps[o - 1])
                                          OR t NOT IN (SELECT ts FROM fs_events x WHERE x.user_id = r.user_id))) AS bad
FROM (SELECT user_id, m,
             funnel_steps('1 hour', m, ts, e ~ 'A', e ~ 'B', e ~ 'C') AS steps,
             window_funnel('1 hour', m, ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
      FROM fs_events,
           (SELECT string_agg(x, ',' ORDER BY bit) AS m
              FROM (SELECT b, unnest(ARRAY['strict_deduplication', 'strict_order', 'strict_increase', 'strict_once']) AS x,
                           generate_series(0, 3) AS bit
                      FROM generate_series(0, 15) b) q
             WHERE b & (1 << bit) <> 0
             GROUP BY b
            UNION ALL SELECT ''
            UNION ALL SELECT 'strict_order,allow_reentry'
            UNION ALL SELECT 'strict_order,allow_reentry,strict_once'
            UNION ALL SELECT 'strict_order,allow_reentry,strict_increase'
            UNION ALL SELECT 'strict_order,allow_reentry,strict_deduplication'
            UNION ALL SELECT 'strict_order,allow_reentry,strict_deduplication,strict_increase,strict_once'
            UNION ALL SELECT 'strict_order,allow_reentry,strict_deduplication,strict_once'
            UNION ALL SELECT 'strict_order,allow_reentry,strict_increase,strict_once'
            UNION ALL SELECT 'strict_order,allow_reentry,strict_deduplication,strict_increase') modes
      GROUP BY user_id, m) r;
DROP TABLE fs_events;
