-- window_funnel_modes: what each mode changes (DESIGN §3.3; ClickHouse
-- windowFunnel, current semantics).  Every case runs the same events without
-- a mode and with the mode(s), side by side, and says why they differ (or
-- not):
--   strict_deduplication  a step other than step 1 occurring again while it is
--                         already reached stops the search; the answer is the
--                         highest level reached so far (ClickHouse's fixed
--                         behaviour)
--   strict_order          after a chain has started, a row matching no step, or
--                         a step whose previous step has not been reached,
--                         stops the search (the answer is the level reached)
--   allow_reentry         (with strict_order) steps that come too early are
--                         ignored instead of stopping the search
--   strict_increase       a step counts only if its timestamp is strictly
--                         greater than the previous step's
--   strict_once           a row serves only one step of a chain
--
-- The funnel has steps A, B, C (D too where said), written e ~ 'A', ...: a
-- row satisfies every step whose letter its e contains ('AB' satisfies A and
-- B; 'X' satisfies nothing).  Window 1 hour, all on 2026-01-01 (UTC).
-- "-- expect: <default> | <mode> ..." is worked out by hand.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET intervalstyle = 'postgres';
SET search_path = mops, public;

-- ---------------------------------------------------------------------------
-- strict_deduplication
-- ---------------------------------------------------------------------------

-- A B B C.
-- expect: 3 | 2
--   default: A, B, B again (ignored: it just extends the chain again), C: 3.
--   strict_deduplication: the second B repeats step 2, already reached: stop;
--   the highest level reached so far is 2.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_deduplication', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_deduplication
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'B'), ('2026-01-01 10:30', 'C')) v(ts, e);

-- A B C B D, four steps.
-- expect: 4 | 3
--   default: A B C D: 4.
--   strict_deduplication: the second B stops the search; C was reached before
--   it, so the answer is 3 (the highest level reached, not the repeated
--   step's level 2).
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C', e ~ 'D') AS default_mode,
       window_funnel('1 hour', 'strict_deduplication', ts, e ~ 'A', e ~ 'B', e ~ 'C', e ~ 'D') AS strict_deduplication
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'C'), ('2026-01-01 10:30', 'B'),
             ('2026-01-01 10:40', 'D')) v(ts, e);

-- A A B C.
-- expect: 3 | 3 -- step 1 repeating is no duplicate: it starts a new chain
-- (A 10:10, B, C) in both modes.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_deduplication', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_deduplication
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'A'),
             ('2026-01-01 10:20', 'B'), ('2026-01-01 10:30', 'C')) v(ts, e);

-- A B A B C.
-- expect: 3 | 2
--   default: the second chain A 10:20, B 10:30, C 10:40: 3.
--   strict_deduplication: the second B repeats step 2, which the first chain
--   reached: stop at 2, even though it belongs to a new chain.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_deduplication', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_deduplication
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'A'), ('2026-01-01 10:30', 'B'),
             ('2026-01-01 10:40', 'C')) v(ts, e);

-- A C C B.
-- expect: 2 | 2 -- C repeats, but step 3 was never reached (no B before it),
-- so the repeat is no duplicate; then B: 2 in both.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_deduplication', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_deduplication
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'C'),
             ('2026-01-01 10:20', 'C'), ('2026-01-01 10:30', 'B')) v(ts, e);

-- A 10:00, B 11:30 (90 minutes: out of the window, not reached), A 11:35,
-- B 11:40, C 11:50.
-- expect: 3 | 3 -- the first B did not reach step 2, so B 11:40 is its first
-- reach, not a repeat: the chain from A 11:35 reaches 3 in both.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_deduplication', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_deduplication
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 11:30', 'B'),
             ('2026-01-01 11:35', 'A'), ('2026-01-01 11:40', 'B'),
             ('2026-01-01 11:50', 'C')) v(ts, e);

-- ---------------------------------------------------------------------------
-- strict_order
-- ---------------------------------------------------------------------------

-- A B X C, X matching no step.
-- expect: 3 | 2 -- default ignores X; strict_order stops at X with A, B
-- reached.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_order
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'X'), ('2026-01-01 10:30', 'C')) v(ts, e);

-- A C B.
-- expect: 2 | 1 -- default ignores the early C and reaches B; strict_order
-- stops at C (its previous step B is not reached) with only A reached.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_order
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'C'),
             ('2026-01-01 10:20', 'B')) v(ts, e);

-- X C A B C: rows before the first step-1 event do not stop anything.
-- expect: 3 | 3 -- X and C come before any chain has started: ignored in
-- both; then A B C.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_order
FROM (VALUES (timestamptz '2026-01-01 10:00', 'X'), ('2026-01-01 10:05', 'C'),
             ('2026-01-01 10:10', 'A'), ('2026-01-01 10:20', 'B'),
             ('2026-01-01 10:30', 'C')) v(ts, e);

-- A B A C and A B B C: a new step 1, or a repeated step whose previous step
-- is reached, is in order.
-- expect: 3 | 3 | 3 | 3 -- in A B A C, C's previous step B is reached (by the
-- first chain, C within its hour); in A B B C the second B's previous step A
-- is reached.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') FILTER (WHERE k = 1) AS aba_default,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') FILTER (WHERE k = 1) AS aba_strict_order,
       window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') FILTER (WHERE k = 2) AS abb_default,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') FILTER (WHERE k = 2) AS abb_strict_order
FROM (VALUES (1, timestamptz '2026-01-01 10:00', 'A'), (1, '2026-01-01 10:10', 'B'),
             (1, '2026-01-01 10:20', 'A'), (1, '2026-01-01 10:30', 'C'),
             (2, '2026-01-01 10:00', 'A'), (2, '2026-01-01 10:10', 'B'),
             (2, '2026-01-01 10:20', 'B'), (2, '2026-01-01 10:30', 'C')) v(k, ts, e);

-- A, then a row whose conditions are all NULL, then B.
-- expect: 2 | 1 -- NULL conditions are false, so that row matches no step:
-- strict_order stops there with A reached.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_order
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:05', NULL),
             ('2026-01-01 10:10', 'B')) v(ts, e);

-- A, then X with a NULL timestamp, then B.
-- expect: 2 | 2 -- a row with a NULL timestamp is skipped, even in
-- strict_order.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_order
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), (NULL, 'X'),
             ('2026-01-01 10:10', 'B')) v(ts, e);

-- A 10:00, then X and B at the same instant 10:10.
-- expect: 2 | 1 -- in the (timestamp, step number) order a row matching no
-- step counts as step 0 (as in ClickHouse), so X is taken before B and stops
-- the search with A reached.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_order
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:10', 'X')) v(ts, e);

-- A B C X: stopping after the last step keeps the level.
-- expect: 3 | 3
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_order
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'C'), ('2026-01-01 10:30', 'X')) v(ts, e);

-- A one-step funnel in strict_order: X then A, and A then X.
-- expect: 1 | 1 -- X before A is before any chain; X after A stops the search
-- with step 1 reached.
SELECT window_funnel('1 hour', 'strict_order', ts, e ~ 'A') FILTER (WHERE k = 1) AS x_then_a,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A') FILTER (WHERE k = 2) AS a_then_x
FROM (VALUES (1, timestamptz '2026-01-01 10:00', 'X'), (1, '2026-01-01 10:10', 'A'),
             (2, '2026-01-01 10:00', 'A'), (2, '2026-01-01 10:10', 'X')) v(k, ts, e);

-- ---------------------------------------------------------------------------
-- strict_order, allow_reentry
-- ---------------------------------------------------------------------------

-- A C B C.
-- expect: 3 | 1 | 3
--   default: C 10:10 ignored, B, C 10:30: 3.
--   strict_order: C 10:10 (B not reached) stops the search at 1.
--   strict_order, allow_reentry: C 10:10 comes too early and is ignored; B,
--   then C 10:30: 3.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_order,
       window_funnel('1 hour', 'strict_order, allow_reentry', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS allow_reentry
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'C'),
             ('2026-01-01 10:20', 'B'), ('2026-01-01 10:30', 'C')) v(ts, e);

-- A C C B.
-- expect: 2 | 1 | 2 -- both Cs come too early: strict_order stops at the first
-- (level 1); allow_reentry ignores both and reaches B.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_order,
       window_funnel('1 hour', 'allow_reentry,strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS allow_reentry
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'C'),
             ('2026-01-01 10:20', 'C'), ('2026-01-01 10:30', 'B')) v(ts, e);

-- A B X C.
-- expect: 3 | 2 | 2 -- allow_reentry ignores early steps only: X matches no
-- step and still stops the search at 2.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_order,
       window_funnel('1 hour', 'strict_order, allow_reentry', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS allow_reentry
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'X'), ('2026-01-01 10:30', 'C')) v(ts, e);

-- ---------------------------------------------------------------------------
-- strict_increase
-- ---------------------------------------------------------------------------

-- A and B both at 10:00, C 10:10.
-- expect: 3 | 1 -- default takes the tie A then B; with strict_increase B is
-- not strictly after A, so B is not reached and C (which needs B) neither.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_increase', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_increase
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:00', 'B'),
             ('2026-01-01 10:10', 'C')) v(ts, e);

-- A 10:00, B 10:00, B 10:05, C 10:10.
-- expect: 3 | 3 -- with strict_increase the B at 10:00 does not count but the
-- B at 10:05 does.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_increase', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_increase
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:00', 'B'),
             ('2026-01-01 10:05', 'B'), ('2026-01-01 10:10', 'C')) v(ts, e);

-- A 10:00, B 10:05, C 10:05.
-- expect: 3 | 2 -- C has B's timestamp: not strictly greater.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_increase', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_increase
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:05', 'B'),
             ('2026-01-01 10:05', 'C')) v(ts, e);

-- One row 'AB'.
-- expect: 2 | 1 -- the row serves A and B at one timestamp; strict_increase
-- refuses B at the timestamp of A.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_increase', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_increase
FROM (VALUES (timestamptz '2026-01-01 10:00', 'AB')) v(ts, e);

-- A 10:00, A 10:05, B 10:05 (ClickHouse's chain restart).
-- expect: 2 | 1
--   default: A 10:05 restarts the chain, B 10:05 extends it (tie: step 1
--   before step 2): 2.
--   strict_increase: A 10:05 has restarted the chain (step 1 is taken before
--   step 2 at equal timestamps) and B 10:05 is not strictly after that A, so
--   B does not count: 1.  The chain from A 10:00 was replaced at level 1 by
--   the restart, as in ClickHouse's algorithm, so A 10:00 -> B 10:05 is not
--   considered.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_increase', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_increase
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:05', 'A'),
             ('2026-01-01 10:05', 'B')) v(ts, e);

-- ---------------------------------------------------------------------------
-- strict_once
-- ---------------------------------------------------------------------------

-- 'AB' 10:00, C 10:10.
-- expect: 3 | 1 -- default: the row serves A and B, then C.  strict_once: the
-- row serves one step only (A), so B is never reached and C needs B.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_once
FROM (VALUES (timestamptz '2026-01-01 10:00', 'AB'), ('2026-01-01 10:10', 'C')) v(ts, e);

-- 'AB' 10:00, B 10:05, C 10:10.
-- expect: 3 | 3 -- strict_once: 'AB' serves A, the row B 10:05 serves B.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_once
FROM (VALUES (timestamptz '2026-01-01 10:00', 'AB'), ('2026-01-01 10:05', 'B'),
             ('2026-01-01 10:10', 'C')) v(ts, e);

-- A 10:00, 'BC' 10:10.
-- expect: 3 | 2 -- strict_once: 'BC' serves B or C, not both.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_once
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'BC')) v(ts, e);

-- Two rows 'AB' at the same instant 10:00, C 10:10.
-- expect: 3 | 3 -- strict_once: one row serves A, the other B (two rows, one
-- step each), then C.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_once
FROM (VALUES (timestamptz '2026-01-01 10:00', 'AB'), ('2026-01-01 10:00', 'AB'),
             ('2026-01-01 10:10', 'C')) v(ts, e);

-- One row 'ABC'.
-- expect: 3 | 1 -- strict_once: a single row serves a single step.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_once
FROM (VALUES (timestamptz '2026-01-01 10:00', 'ABC')) v(ts, e);

-- A B A C, one step per row.
-- expect: 3 | 3 -- no row satisfies two steps, so strict_once changes nothing:
-- the chain from A 10:00 has B, and C is 30 minutes after it.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_once
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'A'), ('2026-01-01 10:30', 'C')) v(ts, e);

-- A 10:00, B 10:10, A 10:50, B 11:00, C 11:30 (the restart wins thanks to the
-- window), one step per row.
-- expect: 3 | 3 -- the chain A 10:50, B 11:00, C 11:30 spans 40 minutes; the
-- one from 10:00 would span 90.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_once
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:50', 'A'), ('2026-01-01 11:00', 'B'),
             ('2026-01-01 11:30', 'C')) v(ts, e);

-- ---------------------------------------------------------------------------
-- Combinations
-- ---------------------------------------------------------------------------

-- A B B C: strict_order with strict_deduplication.
-- expect: 3 | 3 | 2 | 2 -- strict_order alone accepts the repeated B (its
-- previous step A is reached); strict_deduplication stops there, alone or
-- combined.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_order,
       window_funnel('1 hour', 'strict_deduplication', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_deduplication,
       window_funnel('1 hour', 'strict_order,strict_deduplication', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS both
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:10', 'B'),
             ('2026-01-01 10:20', 'B'), ('2026-01-01 10:30', 'C')) v(ts, e);

-- A 10:00, B 10:00, C 10:05, B 10:10: strict_order with strict_increase.
-- expect: 3 | 3 | 2 | 1
--   default and strict_order: the tie A, B then C: 3.
--   strict_increase: B 10:00 does not count, C 10:05 has no B before it
--   (ignored), B 10:10 counts: 2.
--   both: B 10:00 does not count (no stop: its previous step A is reached);
--   C 10:05 comes while B is not reached: stop at 1.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_order,
       window_funnel('1 hour', 'strict_increase', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_increase,
       window_funnel('1 hour', 'strict_order,strict_increase', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS both
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:00', 'B'),
             ('2026-01-01 10:05', 'C'), ('2026-01-01 10:10', 'B')) v(ts, e);

-- 'AB' 10:00, B 10:00 (another row), C 10:10: strict_once with
-- strict_increase.
-- expect: 3 | 3 | 1 | 1
--   strict_once: 'AB' serves A, the other row serves B, then C: 3.
--   strict_increase: both Bs are at A's timestamp: 1.
--   both: 1 (strict_increase already refuses both Bs).
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_once,
       window_funnel('1 hour', 'strict_increase', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_increase,
       window_funnel('1 hour', 'strict_once,strict_increase', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS both
FROM (VALUES (timestamptz '2026-01-01 10:00', 'AB'), ('2026-01-01 10:00', 'B'),
             ('2026-01-01 10:10', 'C')) v(ts, e);

-- 'AB' 10:00, B 10:05, C 10:10: strict_once with strict_deduplication.
-- expect: 3 | 2 | 3 | 3
--   strict_deduplication: 'AB' reaches A and B, B 10:05 repeats B: stop at 2.
--   strict_once: 'AB' serves A only, B 10:05 then C: 3.
--   both: under strict_once 'AB' never reached B, so B 10:05 is its first
--   reach, not a repeat: 3.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_deduplication', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_deduplication,
       window_funnel('1 hour', 'strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_once,
       window_funnel('1 hour', 'strict_once,strict_deduplication', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS both
FROM (VALUES (timestamptz '2026-01-01 10:00', 'AB'), ('2026-01-01 10:05', 'B'),
             ('2026-01-01 10:10', 'C')) v(ts, e);

-- 'AB' 10:00, C 10:05, B 10:10, C 10:15: strict_once with strict_order and
-- allow_reentry.
-- expect: 3 | 1 | 3
--   default: 'AB' gives A and B, C 10:05: 3.
--   strict_order, strict_once: 'AB' serves A only; C 10:05 comes while B is
--   not reached: stop at 1.
--   with allow_reentry: C 10:05 is ignored, B 10:10, C 10:15: 3.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_order,strict_once', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS order_once,
       window_funnel('1 hour', 'strict_order,strict_once,allow_reentry', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS order_once_reentry
FROM (VALUES (timestamptz '2026-01-01 10:00', 'AB'), ('2026-01-01 10:05', 'C'),
             ('2026-01-01 10:10', 'B'), ('2026-01-01 10:15', 'C')) v(ts, e);

-- A 10:00, C 10:05, B 10:10, B 10:20, C 10:30: every mode at once.
-- expect: 3 | 2
--   default: C 10:05 ignored, B, B, C: 3.
--   all five: C 10:05 comes too early and is ignored (allow_reentry), B 10:10
--   reaches 2 (after A, strictly later), B 10:20 repeats step 2: stop at 2
--   (strict_deduplication).
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_deduplication,strict_order,strict_increase,strict_once,allow_reentry',
                     ts, e ~ 'A', e ~ 'B', e ~ 'C') AS all_modes
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:05', 'C'),
             ('2026-01-01 10:10', 'B'), ('2026-01-01 10:20', 'B'),
             ('2026-01-01 10:30', 'C')) v(ts, e);

-- Modes with a window: A 10:00, B 10:50, X 11:05 (no step), A 11:10, B 11:20,
-- C 11:30.
-- expect: 3 | 2
--   default: the chain from A 11:10 (B 11:20, C 11:30) reaches 3.
--   strict_order: X at 11:05 stops the search; A B were reached: 2.
SELECT window_funnel('1 hour', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS default_mode,
       window_funnel('1 hour', 'strict_order', ts, e ~ 'A', e ~ 'B', e ~ 'C') AS strict_order
FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:50', 'B'),
             ('2026-01-01 11:05', 'X'), ('2026-01-01 11:10', 'A'),
             ('2026-01-01 11:20', 'B'), ('2026-01-01 11:30', 'C')) v(ts, e);

-- ---------------------------------------------------------------------------
-- Arrival order of rows with the same timestamp and step (found by the
-- differential test against ClickHouse).  With strict_once AND
-- strict_deduplication, two rows matching step 2 at the same instant are
-- taken in arrival order, which an ORDER BY inside the call fixes:
--   rows at one instant: B (steps 1, 2), C (step 2), A (step 3).
--   steps: e = 'B', e IN ('B', 'C'), e = 'A'.
-- ---------------------------------------------------------------------------
CREATE TABLE order_events (id int, ts timestamptz, e text);
INSERT INTO order_events VALUES
    (1, '2026-01-01 10:00+00', 'B'), (2, '2026-01-01 10:00+00', 'C'),
    (3, '2026-01-01 10:00+00', 'A');
-- expect: 3 | 2
--   ORDER BY ts, id (B, C, A): B starts a chain; B's own step-2 match is
--   refused (strict_once: B is already step 1) and adds nothing; C then
--   becomes step 2 and A step 3 -> 3.
--   ORDER BY ts, id DESC (A, C, B): C becomes step 2 first; B's step-2 match
--   then repeats a reached step, and strict_deduplication stops at 2.
SELECT window_funnel('1 hour', 'strict_deduplication, strict_once', ts,
                     e = 'B', e IN ('B', 'C'), e = 'A' ORDER BY ts, id) AS in_id_order,
       window_funnel('1 hour', 'strict_deduplication, strict_once', ts,
                     e = 'B', e IN ('B', 'C'), e = 'A' ORDER BY ts, id DESC) AS in_reverse_id_order
FROM order_events;
DROP TABLE order_events;
