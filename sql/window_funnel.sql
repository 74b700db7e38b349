-- window_funnel: the default mode (DESIGN §3.3; ClickHouse windowFunnel).
--
-- The level is the highest k such that events satisfying steps 1..k occur in
-- that order, every step within `window` of the chain's first step
-- (inclusive).  Events are taken in order of (timestamp, step number), so ties
-- favour progress; one row may satisfy several steps; a new step-1 event
-- starts a new chain, and levels reached by earlier chains are kept.  NULL
-- conditions are false, rows with a NULL timestamp are skipped.
--
-- Unless said otherwise the funnel has three steps A, B, C, written
-- e ~ 'A', e ~ 'B', e ~ 'C': a row satisfies every step whose letter its e
-- contains ('AB' satisfies A and B; 'X' satisfies nothing).  Each case says
-- "-- expect: <result>" and why, worked out by hand from the rules above.
-- Modes: window_funnel_modes; funnel_steps: funnel_steps.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
SET search_path = mops, public;

-- ---------------------------------------------------------------------------
-- Groups without a chain
-- ---------------------------------------------------------------------------

-- expect: 0 -- an empty group: no step was reached.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A')) v(ts, e) WHERE false;

-- expect: 0 -- B and C occur, but no row satisfies step 1, so no chain starts.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'B'),
             (timestamptz '2026-01-01 10:10', 'C')) v(ts, e);

-- expect: 0 -- rows that satisfy no step at all.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'X'),
             (timestamptz '2026-01-01 10:10', 'Y')) v(ts, e);

-- expect: 1 -- step 1 alone; B comes before A (10:00 < 10:30), so it cannot
-- extend the chain started at 10:30.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'B'),
             (timestamptz '2026-01-01 10:30', 'A')) v(ts, e);

-- ---------------------------------------------------------------------------
-- Full chains, order of storage, ties, one row for several steps
-- ---------------------------------------------------------------------------

-- expect: 3 -- A 10:00, B 10:10, C 10:20: every step within 1 hour of A.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 10:10', 'B'),
             (timestamptz '2026-01-01 10:20', 'C')) v(ts, e);

-- Events stored out of order: the rows are inserted shuffled; only their
-- timestamps order them.
CREATE TABLE wf_events (user_id int, ts timestamptz, e text);
INSERT INTO wf_events VALUES
    (2, '2026-01-01 10:20', 'A'),
    (1, '2026-01-01 10:20', 'C'),
    (3, '2026-01-01 10:30', 'C'),
    (1, '2026-01-01 10:00', 'A'),
    (2, '2026-01-01 10:00', 'C'),
    (4, '2026-01-01 10:30', 'D'),
    (3, '2026-01-01 10:00', 'A'),
    (1, '2026-01-01 10:10', 'B'),
    (4, '2026-01-01 10:00', 'A'),
    (2, '2026-01-01 10:10', 'B'),
    (4, '2026-01-01 10:20', 'C'),
    (3, '2026-01-01 10:20', 'B'),
    (4, '2026-01-01 10:10', 'B');
-- expect (4 steps A, B, C, D, 1 hour):
--   user 1: 3 -- sorted A 10:00, B 10:10, C 10:20 (stored C, A, B).
--   user 2: 1 -- sorted C 10:00, B 10:10, A 10:20: A comes last, nothing after it.
--   user 3: 3 -- sorted A 10:00, B 10:20, C 10:30 (stored C, A, B).
--   user 4: 4 -- sorted A 10:00, B 10:10, C 10:20, D 10:30 (stored D, A, C, B).
SELECT user_id,
       window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C', e ~ 'D') AS level
FROM wf_events GROUP BY user_id ORDER BY user_id;
-- the same through a hash aggregate and a sorted input: the answer does not
-- depend on the order in which rows reach the aggregate.
SET enable_sort = off;
SELECT user_id,
       window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C', e ~ 'D') AS level
FROM wf_events GROUP BY user_id ORDER BY user_id;
RESET enable_sort;
SELECT user_id,
       window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C', e ~ 'D') AS level
FROM (SELECT * FROM wf_events ORDER BY ts DESC, e DESC) s
GROUP BY user_id ORDER BY user_id;

-- expect: 3 -- A and B at the same instant 10:00: ties are taken by step
-- number, so A then B (progress), then C at 10:05.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 10:00', 'B'),
             (timestamptz '2026-01-01 10:05', 'C')) v(ts, e);

-- expect: 3 -- the same tie with the rows arriving B first: the step number,
-- not the arrival, orders equal timestamps.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:05', 'C'),
             (timestamptz '2026-01-01 10:00', 'B'),
             (timestamptz '2026-01-01 10:00', 'A')) v(ts, e);

-- expect: 3 -- all three steps at one instant, in reverse arrival order: taken
-- as A, B, C.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'C'),
             (timestamptz '2026-01-01 10:00', 'B'),
             (timestamptz '2026-01-01 10:00', 'A')) v(ts, e);

-- expect: 2 -- one row 'AB' satisfies steps 1 and 2: it counts for both.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'AB')) v(ts, e);

-- expect: 3 -- one row 'ABC' satisfies all three steps.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'ABC')) v(ts, e);

-- expect: 3 -- A 10:00, then one row 'BC' at 10:10 serving steps 2 and 3.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 10:10', 'BC')) v(ts, e);

-- expect: 1 -- a row 'AC' (steps 1 and 3) and nothing for step 2: C needs B.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'AC'),
             (timestamptz '2026-01-01 10:10', 'C')) v(ts, e);

-- ---------------------------------------------------------------------------
-- Step 1 repeated: a new chain starts, earlier levels are kept
-- ---------------------------------------------------------------------------

-- expect: 3 -- the restart loses: A 10:00, B 10:10, A 10:20, C 10:30.  The
-- chain restarted at 10:20 has no B, but the chain from 10:00 still has its B,
-- and C is 30 minutes after its A.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 10:10', 'B'),
             (timestamptz '2026-01-01 10:20', 'A'),
             (timestamptz '2026-01-01 10:30', 'C')) v(ts, e);

-- expect: 3 -- a level reached is kept: A B C (10:00-10:20) then A 10:30
-- starts a chain that goes nowhere.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 10:10', 'B'),
             (timestamptz '2026-01-01 10:20', 'C'),
             (timestamptz '2026-01-01 10:30', 'A')) v(ts, e);

-- expect: 2 -- without a second A: A 10:00, B 10:10, B 11:00, C 11:30.  C is
-- 90 minutes after the only A, out of the 1 hour window.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 10:10', 'B'),
             (timestamptz '2026-01-01 11:00', 'B'),
             (timestamptz '2026-01-01 11:30', 'C')) v(ts, e);

-- expect: 3 -- the restart wins thanks to the window: the same events plus A
-- at 10:50.  The chain A 10:50, B 11:00, C 11:30 spans 40 minutes.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 10:10', 'B'),
             (timestamptz '2026-01-01 10:50', 'A'),
             (timestamptz '2026-01-01 11:00', 'B'),
             (timestamptz '2026-01-01 11:30', 'C')) v(ts, e);

-- expect: 2 -- a restart too late helps nobody: A 10:00, B 10:10, A 11:20,
-- C 11:30.  The chain from 10:00 has B but C is 90 minutes after its A; the
-- chain from 11:20 has no B (the only B is before it).
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 10:10', 'B'),
             (timestamptz '2026-01-01 11:20', 'A'),
             (timestamptz '2026-01-01 11:30', 'C')) v(ts, e);

-- ---------------------------------------------------------------------------
-- The window: inclusive, measured from the chain's first step
-- ---------------------------------------------------------------------------

-- expect: 2 -- B exactly 1 hour after A: the window is inclusive.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 11:00', 'B')) v(ts, e);

-- expect: 1 -- B one microsecond more than 1 hour after A.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 11:00:00.000001', 'B')) v(ts, e);

-- expect: 2 -- C is 20 minutes after B but 70 minutes after A: the window runs
-- from the chain's first step, not from the previous step.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 10:50', 'B'),
             (timestamptz '2026-01-01 11:10', 'C')) v(ts, e);

-- expect: 2 -- a zero window: A and B at the same instant (0 <= 0).
SELECT window_funnel('0', ts, e ~ 'A', e ~ 'B') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 10:00', 'B')) v(ts, e);

-- expect: 1 -- a zero window: B one microsecond after A.
SELECT window_funnel('0', ts, e ~ 'A', e ~ 'B') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 10:00:00.000001', 'B')) v(ts, e);

-- expect: 2 | 1 -- '1 day' is 24 hours: B exactly 24 hours after A counts; a
-- microsecond more does not.
SELECT window_funnel('1 day', ts, e ~ 'A', e ~ 'B') FILTER (WHERE k = 1) AS exactly_1_day,
       window_funnel('1 day', ts, e ~ 'A', e ~ 'B') FILTER (WHERE k = 2) AS one_microsecond_more
FROM (VALUES (1, timestamptz '2026-03-01 10:00', 'A'), (1, '2026-03-02 10:00', 'B'),
             (2, '2026-03-01 10:00', 'A'), (2, '2026-03-02 10:00:00.000001', 'B')) v(k, ts, e);

-- expect: 2 | 1 | 1 -- a month is 30 days.  A 2026-01-01 00:00:
--   B 2026-01-31 00:00, 30 days later: within '1 mon';
--   B 2026-02-01 00:00, one calendar month but 31 days later: out of '1 mon';
--   B 2026-01-31 00:00:00.000001: 30 days and a microsecond: out.
SELECT window_funnel('1 mon', ts, e ~ 'A', e ~ 'B') FILTER (WHERE k = 1) AS after_30_days,
       window_funnel('1 mon', ts, e ~ 'A', e ~ 'B') FILTER (WHERE k = 2) AS after_1_calendar_month,
       window_funnel('1 mon', ts, e ~ 'A', e ~ 'B') FILTER (WHERE k = 3) AS after_30_days_1us
FROM (VALUES (1, timestamptz '2026-01-01 00:00', 'A'), (1, '2026-01-31 00:00', 'B'),
             (2, '2026-01-01 00:00', 'A'), (2, '2026-02-01 00:00', 'B'),
             (3, '2026-01-01 00:00', 'A'), (3, '2026-01-31 00:00:00.000001', 'B')) v(k, ts, e);

-- expect: 2 | 2 -- '1 mon 1 day 01:00' is 31 days and 1 hour: B 2026-02-01
-- 01:00 (31 days 1 hour after A) is in; '30 days' equals '1 mon' (B exactly
-- 30 days later, in).
SELECT window_funnel('1 mon 1 day 01:00', ts, e ~ 'A', e ~ 'B') FILTER (WHERE k = 1) AS mixed_units,
       window_funnel('30 days', ts, e ~ 'A', e ~ 'B') FILTER (WHERE k = 2) AS thirty_days
FROM (VALUES (1, timestamptz '2026-01-01 00:00', 'A'), (1, '2026-02-01 01:00', 'B'),
             (2, '2026-01-01 00:00', 'A'), (2, '2026-01-31 00:00', 'B')) v(k, ts, e);

-- ---------------------------------------------------------------------------
-- NULLs
-- ---------------------------------------------------------------------------

-- expect: 1 -- the step-2 condition is NULL on the only row that might be B:
-- NULL is false, so C (10:20) has no B before it.
SELECT window_funnel('1 hour', ts, c1, c2, c3) AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', true, false, false),
             (timestamptz '2026-01-01 10:10', false, NULL, false),
             (timestamptz '2026-01-01 10:20', false, false, true)) v(ts, c1, c2, c3);

-- expect: 3 -- the same with the NULL replaced by true.
SELECT window_funnel('1 hour', ts, c1, c2, c3) AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', true, false, false),
             (timestamptz '2026-01-01 10:10', false, true, NULL),
             (timestamptz '2026-01-01 10:20', NULL, false, true)) v(ts, c1, c2, c3);

-- expect: 0 -- e is NULL on every row, so every condition is NULL (false).
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', NULL::text),
             (timestamptz '2026-01-01 10:10', NULL)) v(ts, e);

-- expect: 0 -- the only A has a NULL timestamp: skipped, so no chain starts.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (NULL::timestamptz, 'A'),
             (timestamptz '2026-01-01 10:10', 'B')) v(ts, e);

-- expect: 1 -- B has a NULL timestamp: skipped; C has no B before it.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (NULL, 'B'),
             (timestamptz '2026-01-01 10:20', 'C')) v(ts, e);

-- expect: 0 -- only rows with NULL timestamps: an empty group.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS level
FROM (VALUES (NULL::timestamptz, 'A'), (NULL, 'AB')) v(ts, e);

-- ---------------------------------------------------------------------------
-- Number of steps: 1, 64, 65
-- ---------------------------------------------------------------------------

-- expect: 1 -- a one-step funnel: some row satisfies A.
SELECT window_funnel('1 hour', ts, e ~ 'A') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'X'),
             (timestamptz '2026-01-01 10:10', 'A')) v(ts, e);

-- expect: 0 -- a one-step funnel without any A.
SELECT window_funnel('1 hour', ts, e ~ 'A') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'B')) v(ts, e);

-- 64 steps, written out as 64 arguments (the query is generated): row k
-- (k = 1..64, at 10:00 + k seconds) satisfies step k only.
-- expect: 64 -- every step k follows step k-1 by one second, all within 1 hour.
SELECT format('SELECT window_funnel(''1 hour'', ts, %s) AS level_64 FROM (SELECT k, timestamptz ''2026-01-01 10:00'' + k * interval ''1 second'' AS ts FROM generate_series(1, 64) k) r',
              string_agg(format('k = %s', s), ', ' ORDER BY s))
FROM generate_series(1, 64) s
\gexec

-- The same funnel through an explicit VARIADIC array built by a subquery.
-- expect: 64 | 63 | 1 -- all 64 steps; without the row for step 64: 63; with
-- step 2 missing: 1 (step 3 onwards need step 2).
SELECT window_funnel('1 hour', ts, VARIADIC (SELECT array_agg(k = s ORDER BY s) FROM generate_series(1, 64) s)) AS all_64,
       window_funnel('1 hour', ts, VARIADIC (SELECT array_agg(k = s ORDER BY s) FROM generate_series(1, 64) s))
           FILTER (WHERE k <> 64) AS without_64,
       window_funnel('1 hour', ts, VARIADIC (SELECT array_agg(k = s ORDER BY s) FROM generate_series(1, 64) s))
           FILTER (WHERE k <> 2) AS without_2
FROM (SELECT k, timestamptz '2026-01-01 10:00' + k * interval '1 second' AS ts
      FROM generate_series(1, 64) k) r;

-- expect: 64 -- step 64 (the highest bit of the state) on its own row after a
-- row satisfying steps 1..63 at once.
SELECT window_funnel('1 hour', ts, VARIADIC (SELECT array_agg(CASE WHEN k = 1 THEN s < 64 ELSE s = 64 END ORDER BY s)
                                             FROM generate_series(1, 64) s)) AS level
FROM (VALUES (1, timestamptz '2026-01-01 10:00'), (2, '2026-01-01 10:01')) v(k, ts);

-- expect: ERROR 54000 -- 65 steps.
SELECT window_funnel('1 hour', ts, VARIADIC (SELECT array_agg(k = s) FROM generate_series(1, 65) s)) AS level
FROM (SELECT k, timestamptz '2026-01-01 10:00' + k * interval '1 second' AS ts
      FROM generate_series(1, 65) k) r;
\echo :LAST_ERROR_SQLSTATE

-- ---------------------------------------------------------------------------
-- The explicit VARIADIC form
-- ---------------------------------------------------------------------------

-- expect: 3 | 3 -- VARIADIC ARRAY[...] is the same call as the argument list
-- (A, B, C within the hour).
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS argument_list,
       window_funnel('1 hour', ts, VARIADIC ARRAY[e ~ 'A', e ~ 'B', e ~ 'C']) AS variadic_array
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 10:10', 'B'),
             (timestamptz '2026-01-01 10:20', 'C')) v(ts, e);

-- ---------------------------------------------------------------------------
-- Parameters: window, mode text
-- ---------------------------------------------------------------------------

-- expect: ERROR 22023 -- a negative window.
SELECT window_funnel('-1 hour', ts, e ~ 'A', e ~ 'B') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A')) v(ts, e);
\echo :LAST_ERROR_SQLSTATE

-- expect: ERROR 22023 -- an unknown mode, with a hint listing the modes.
SELECT window_funnel('1 hour', 'strict_orders', ts, e ~ 'A', e ~ 'B') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A')) v(ts, e);
\echo :LAST_ERROR_SQLSTATE

-- expect: ERROR 22023 -- 'strict' (ClickHouse's old name), with a hint naming
-- strict_deduplication.
SELECT window_funnel('1 hour', 'strict', ts, e ~ 'A', e ~ 'B') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A')) v(ts, e);
\echo :LAST_ERROR_SQLSTATE

-- expect: ERROR 22023 -- allow_reentry without strict_order.
SELECT window_funnel('1 hour', 'allow_reentry', ts, e ~ 'A', e ~ 'B') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A')) v(ts, e);
\echo :LAST_ERROR_SQLSTATE

-- expect: ERROR 22023 -- an empty item in the list.
SELECT window_funnel('1 hour', 'strict_order,,strict_once', ts, e ~ 'A', e ~ 'B') AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A')) v(ts, e);
\echo :LAST_ERROR_SQLSTATE

-- Mode text: case and blanks around items do not matter.  Events: a row 'AB'
-- (steps 1 and 2 at once), then X (no step), then C.
--   default: 3 -- 'AB' serves A and B, X is ignored, C.
--   ' Strict_Order , strict_once ' = 'strict_order,strict_once': 1 -- with
--   strict_once 'AB' serves only step 1, so B is not reached, and X (no step)
--   after the chain has started stops the search at level 1.
-- expect: 3 | 1 | 1
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', ' Strict_Order , strict_once ', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS mixed_case_blanks,
       window_funnel('1 hour', 'strict_order,strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS canonical
FROM (VALUES (timestamptz '2026-01-01 10:00', 'AB'),
             (timestamptz '2026-01-01 10:10', 'X'),
             (timestamptz '2026-01-01 10:20', 'C')) v(ts, e);

-- The empty mode string (and a blank one) is no mode.  Events A, B, X, C:
-- with strict_order X would stop the search at 2; without a mode X is ignored.
-- expect: 3 | 3 | 3 | 2
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS no_mode,
       window_funnel('1 hour', '', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS empty_mode,
       window_funnel('1 hour', '  ', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS blank_mode,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_order
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 10:10', 'B'),
             (timestamptz '2026-01-01 10:15', 'X'),
             (timestamptz '2026-01-01 10:20', 'C')) v(ts, e);

-- ---------------------------------------------------------------------------
-- Parameters must not change within a group
-- ---------------------------------------------------------------------------

-- expect: ERROR 22023 -- the window changes from row to row.
SELECT window_funnel(w::interval, ts, e ~ 'A', e ~ 'B') AS level
FROM (VALUES ('1 hour', timestamptz '2026-01-01 10:00', 'A'),
             ('2 hours', timestamptz '2026-01-01 10:10', 'B')) v(w, ts, e);
\echo :LAST_ERROR_SQLSTATE

-- expect: ERROR 22023 -- the mode changes from row to row.
SELECT window_funnel('1 hour', m, ts, e ~ 'A', e ~ 'B') AS level
FROM (VALUES ('strict_order', timestamptz '2026-01-01 10:00', 'A'),
             ('strict_once', timestamptz '2026-01-01 10:10', 'B')) v(m, ts, e);
\echo :LAST_ERROR_SQLSTATE

-- expect: ERROR 22023 -- the number of steps changes from row to row (explicit
-- VARIADIC arrays of 2 and 3 conditions).
SELECT window_funnel('1 hour', ts, VARIADIC c) AS level
FROM (VALUES (timestamptz '2026-01-01 10:00', ARRAY[true, false]),
             (timestamptz '2026-01-01 10:10', ARRAY[false, true, false])) v(ts, c);
\echo :LAST_ERROR_SQLSTATE

-- expect: 2 | 2 -- the same parameter written differently is the same
-- parameter: '1 hour' and '60 minutes' are one duration; 'strict_order' and
-- 'STRICT_ORDER' one mode.  A then B 10 minutes later.
SELECT window_funnel(w::interval, ts, e ~ 'A', e ~ 'B') AS same_window,
       window_funnel('1 hour', m, ts, e ~ 'A', e ~ 'B') AS same_mode
FROM (VALUES ('1 hour', 'strict_order', timestamptz '2026-01-01 10:00', 'A'),
             ('60 minutes', 'STRICT_ORDER', timestamptz '2026-01-01 10:10', 'B')) v(w, m, ts, e);

-- expect: 3 | 1 -- parameters are per group: two groups with different windows
-- in one query.  Same events in both (A 10:00, B 10:40, C 10:50): within
-- 1 hour all three; within 30 minutes only A (B is 40 minutes later).
SELECT window_funnel(w::interval, ts, e ~ 'A', e ~ 'B', e ~ 'C') FILTER (WHERE w = '1 hour') AS one_hour,
       window_funnel(w::interval, ts, e ~ 'A', e ~ 'B', e ~ 'C') FILTER (WHERE w = '30 minutes') AS half_hour
FROM (VALUES ('1 hour'), ('30 minutes')) ww(w),
     (VALUES (timestamptz '2026-01-01 10:00', 'A'),
             (timestamptz '2026-01-01 10:40', 'B'),
             (timestamptz '2026-01-01 10:50', 'C')) v(ts, e);

-- ---------------------------------------------------------------------------
-- Infinite timestamps
-- ---------------------------------------------------------------------------

-- expect: 2 | 1 | 1 | 2
--   A and B both at -infinity: 0 apart, within the window;
--   A at -infinity, B at +infinity: infinitely far apart;
--   A 2026-01-01, B at +infinity: out of any finite window;
--   A and B both at +infinity: 0 apart.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B') FILTER (WHERE k = 1) AS both_minus_infinity,
       window_funnel('1 hour', ts, e ~ 'A', e ~ 'B') FILTER (WHERE k = 2) AS minus_to_plus,
       window_funnel('1 hour', ts, e ~ 'A', e ~ 'B') FILTER (WHERE k = 3) AS finite_to_plus,
       window_funnel('1 hour', ts, e ~ 'A', e ~ 'B') FILTER (WHERE k = 4) AS both_plus_infinity
FROM (VALUES (1, timestamptz '-infinity', 'A'), (1, '-infinity', 'B'),
             (2, '-infinity', 'A'), (2, 'infinity', 'B'),
             (3, '2026-01-01', 'A'), (3, 'infinity', 'B'),
             (4, 'infinity', 'A'), (4, 'infinity', 'B')) v(k, ts, e);

-- ---------------------------------------------------------------------------
-- As a window function: the level of the events so far
-- ---------------------------------------------------------------------------

-- Events A 10:00, B 10:10, A 10:20, C 10:30, B 10:40, C 10:50.
-- expect (running = the events up to this one; from_end = this one and the
-- later ones):
--   10:00 A: 1 | 3 -- A alone; from the end: A 10:00, B 10:10, C 10:30.
--   10:10 B: 2 | 3 -- A B; from the end: A 10:20, B 10:40, C 10:50.
--   10:20 A: 2 | 3 -- the restart does not lower the level; A 10:20 B C.
--   10:30 C: 3 | 0 -- A 10:00, B 10:10, C 10:30; from the end: no A.
--   10:40 B: 3 | 0
--   10:50 C: 3 | 0
SELECT ts, e,
       window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') OVER (ORDER BY ts) AS running,
       window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') OVER (ORDER BY ts DESC) AS from_end
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'A'), ('2026-01-01 10:30', 'C'),
             ('2026-01-01 10:40', 'B'), ('2026-01-01 10:50', 'C')) v(ts, e)
ORDER BY ts;

-- ---------------------------------------------------------------------------
-- Written-out conditions: the fixed-arity overloads (1 to 8 steps)
-- ---------------------------------------------------------------------------

-- plan: the four written-out conditions stay four arguments (the 4-step
-- overload); VARIADIC ARRAY[...] and nine conditions go to the VARIADIC
-- form, which takes them as one boolean[] (shown folded to a constant here).
EXPLAIN (VERBOSE, COSTS OFF)
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C', e ~ 'D')
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A')) v(ts, e);
EXPLAIN (VERBOSE, COSTS OFF)
SELECT window_funnel('1 hour', ts, VARIADIC ARRAY[true, false])
FROM (VALUES (timestamptz '2026-01-01 10:00')) v(ts);
EXPLAIN (VERBOSE, COSTS OFF)
SELECT window_funnel('1 hour', ts, true, false, false, false, false, false, false, false, false)
FROM (VALUES (timestamptz '2026-01-01 10:00')) v(ts);

-- expect: 2 | 2 | 2 | 2 -- the same level through either form.  A 10:00,
-- B 10:10, D 10:20 (no C): steps A and B are reached, step C is not; the NULL
-- third condition of row 3 counts as false in both forms.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', c, e ~ 'D') AS written_out,
       window_funnel('1 hour', ts, VARIADIC ARRAY[e ~ 'A', e ~ 'B', c, e ~ 'D']) AS variadic,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', c, e ~ 'D') AS written_out_mode,
       window_funnel('1 hour', 'strict_order', ts, VARIADIC ARRAY[e ~ 'A', e ~ 'B', c, e ~ 'D']) AS variadic_mode
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A', false),
             (timestamptz '2026-01-01 10:10', 'B', false),
             (timestamptz '2026-01-01 10:20', 'D', NULL)) v(ts, e, c);

-- expect: 1 | {"2026-01-01 10:00:00+00"} -- one written-out condition (the
-- 1-step overload): the group reached step 1 at 10:00.
SELECT window_funnel('1 hour', ts, e ~ 'A') AS level,
       funnel_steps('1 hour', ts, e ~ 'A') AS steps
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), (timestamptz '2026-01-01 10:05', 'B')) v(ts, e);

-- expect: 8 -- eight written-out conditions (the largest overload), one event
-- per step a minute apart.
SELECT window_funnel('1 hour', ts, s = 1, s = 2, s = 3, s = 4, s = 5, s = 6, s = 7, s = 8) AS level
FROM (SELECT timestamptz '2026-01-01 10:00' + s * interval '1 minute' AS ts, s
      FROM generate_series(1, 8) s) v;

-- expect: 22004 -- a NULL window is refused by the overload as by the VARIADIC form.
SELECT window_funnel(NULL::interval, ts, true, true)
FROM (VALUES (timestamptz '2026-01-01 10:00')) v(ts);
\echo :LAST_ERROR_SQLSTATE

DROP TABLE wf_events;
