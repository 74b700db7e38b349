-- funnel_parallel: window_funnel, funnel_steps and retention under parallel
-- aggregation (DESIGN §3.3: PARALLEL SAFE and combinable).  The partial
-- states built by the workers (serialised for window_funnel/funnel_steps,
-- bit varying for retention) are combined in the leader, and the answers must
-- be exactly those of a serial plan.
--
-- 200,000 events of 20,000 users from a deterministic formula: the 10 rows of
-- a user are 20,000 rows apart in the table, so they are spread over pages
-- read by different workers, and the partial states of one group come from
-- several processes.  Events 0..4 are the funnel's steps, 5 and 6 match no
-- step (they matter for strict_order).
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET search_path = mops, public;

CREATE TABLE funnel_events (user_id int, ts timestamptz, event int)
    WITH (autovacuum_enabled = off);
-- h1, h2: two independent 28-bit hashes of i (from md5).
INSERT INTO funnel_events
SELECT i % 20000,
       timestamptz '2026-01-01' + (i % 20000) * interval '1 minute' + h1 % 3600 * interval '1 second',
       h2 % 7
FROM (SELECT i, ('x' || substr(md5(i::text), 1, 7))::bit(28)::int AS h1,
                ('x' || substr(md5(i::text), 9, 7))::bit(28)::int AS h2
      FROM generate_series(1, 200000) i) s;
ANALYZE funnel_events;

-- Per user: the level in every mode, the steps and the retention.
CREATE VIEW funnel_per_user AS
SELECT user_id,
       window_funnel('20 minutes', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS level,
       window_funnel('20 minutes', 'strict_order', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS level_order,
       window_funnel('20 minutes', 'strict_order,allow_reentry', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS level_reentry,
       window_funnel('20 minutes', 'strict_deduplication', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS level_dedup,
       window_funnel('20 minutes', 'strict_increase', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS level_increase,
       window_funnel('20 minutes', 'strict_once', ts, event = 0, event = 1 OR event = 2, event = 2, event = 3, event = 4) AS level_once,
       funnel_steps('20 minutes', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS steps,
       -- the calls above resolve to the fixed-arity overloads; these to the VARIADIC forms
       window_funnel('20 minutes', ts, VARIADIC ARRAY[event = 0, event = 1, event = 2, event = 3, event = 4]) AS level_array,
       window_funnel('20 minutes', 'strict_order', ts, VARIADIC ARRAY[event = 0, event = 1, event = 2, event = 3, event = 4]) AS level_order_array,
       funnel_steps('20 minutes', ts, VARIADIC ARRAY[event = 0, event = 1, event = 2, event = 3, event = 4]) AS steps_array,
       retention(event = 0, event = 1, event = 2, event = 3, event = 4, event = 5, event = 6) AS r,
       ARRAY[bool_or(event = 0), bool_or(event = 0) AND bool_or(event = 1), bool_or(event = 0) AND bool_or(event = 2),
             bool_or(event = 0) AND bool_or(event = 3), bool_or(event = 0) AND bool_or(event = 4),
             bool_or(event = 0) AND bool_or(event = 5), bool_or(event = 0) AND bool_or(event = 6)] AS r_oracle
FROM funnel_events
GROUP BY user_id;

-- Per group of 2,000 users (user_id % 10): big groups (20,000 events each)
-- whose partial states certainly come from every worker.
CREATE VIEW funnel_per_tenth AS
SELECT user_id % 10 AS tenth,
       window_funnel('1 minute', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS level,
       window_funnel('1 hour', 'strict_order', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS level_order,
       window_funnel('1 hour', 'strict_deduplication', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS level_dedup,
       funnel_steps('1 minute', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS steps,
       retention(event = 0, event = 1, event = 2, event = 3, event = 4, event = 5, event = 6) AS r
FROM funnel_events
GROUP BY user_id % 10;

-- A digest of each view, to compare a parallel run with a serial one.
CREATE VIEW funnel_per_user_digest AS
SELECT count(*) AS users, sum(level) AS sum_level,
       md5(string_agg(format('%s:%s:%s:%s:%s:%s:%s:%s:%s:%s:%s:%s', user_id, level, level_order, level_reentry,
                             level_dedup, level_increase, level_once, steps, r, level_array, level_order_array,
                             steps_array), ',' ORDER BY user_id)) AS digest
FROM funnel_per_user;
CREATE VIEW funnel_per_tenth_digest AS
SELECT count(*) AS groups,
       md5(string_agg(format('%s:%s:%s:%s:%s:%s', tenth, level, level_order, level_dedup, steps, r), ',' ORDER BY tenth)) AS digest
FROM funnel_per_tenth;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;

-- ---------------------------------------------------------------------------
-- Ungrouped, over all rows
-- ---------------------------------------------------------------------------

-- plan: Finalize Aggregate over Gather over Partial Aggregate.
EXPLAIN (COSTS OFF)
SELECT window_funnel('1 second', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS level,
       window_funnel('1 hour', 'strict_order', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS level_order,
       funnel_steps('1 second', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS steps,
       retention(event = 0, event = 1, event = 2, event = 3, event = 4, event = 5, event = 6) AS r
FROM funnel_events;

SELECT window_funnel('1 second', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS level,
       window_funnel('1 hour', 'strict_order', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS level_order,
       funnel_steps('1 second', ts, event = 0, event = 1, event = 2, event = 3, event = 4)::text AS steps,
       retention(event = 0, event = 1, event = 2, event = 3, event = 4, event = 5, event = 6)::text AS r
FROM funnel_events
\gset par_all_
-- expect: 7 | t -- all seven events occur, so retention is all true (every
-- event holds on some row, event 0 among them).
SELECT cardinality(:'par_all_r'::boolean[]) AS n, true = ALL (:'par_all_r'::boolean[]) AS all_true;
-- expect: t -- the level is between 0 and 5 and the steps are as many.
SELECT :par_all_level BETWEEN 0 AND 5
       AND cardinality(:'par_all_steps'::timestamptz[]) = :par_all_level AS consistent;

-- plan: Finalize Aggregate over Gather over Partial Aggregate; no rows:
-- every partial state is empty.
EXPLAIN (COSTS OFF)
SELECT window_funnel('1 hour', ts, event = 0, event = 1) AS level,
       funnel_steps('1 hour', ts, event = 0, event = 1) AS steps,
       retention(event = 0, event = 1, event = 2) AS r
FROM funnel_events WHERE user_id < 0;
-- expect: 0 | {} | (blank: NULL) -- no rows: level 0, no steps, and retention NULL
-- (like PostgreSQL's own aggregates; the same in every plan).
SELECT window_funnel('1 hour', ts, event = 0, event = 1) AS level,
       funnel_steps('1 hour', ts, event = 0, event = 1) AS steps,
       retention(event = 0, event = 1, event = 2) AS r
FROM funnel_events WHERE user_id < 0;

-- ---------------------------------------------------------------------------
-- Grouped above the partial aggregation
-- ---------------------------------------------------------------------------

-- plan: Finalize GroupAggregate over Gather Merge over Partial
-- GroupAggregate, grouped by user_id.
EXPLAIN (COSTS OFF) SELECT * FROM funnel_per_user_digest;
SELECT users, sum_level, digest FROM funnel_per_user_digest \gset par_user_

-- plan: Finalize GroupAggregate over Gather Merge over Partial
-- GroupAggregate, grouped by user_id % 10.
EXPLAIN (COSTS OFF) SELECT * FROM funnel_per_tenth_digest;
SELECT groups, digest FROM funnel_per_tenth_digest \gset par_tenth_

-- The same through hash aggregation: Finalize HashAggregate over Gather over
-- Partial HashAggregate.
SET enable_hashagg = on;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT * FROM funnel_per_tenth_digest;
SELECT groups, digest FROM funnel_per_tenth_digest \gset par_hash_tenth_
EXPLAIN (COSTS OFF) SELECT * FROM funnel_per_user_digest;
SELECT users, sum_level, digest FROM funnel_per_user_digest \gset par_hash_user_
RESET enable_sort;
SET enable_hashagg = off;

-- Properties of the parallel per-user answers that need no serial run:
-- expect: 20000 | 0 | 0 | 0 | 0
--   20,000 users; no level outside 0..5; no mode above the default level
--   (strict_order, allow_reentry, strict_deduplication and strict_increase
--   only ever stop the search earlier or refuse steps; level_once has a
--   different step 2 and is left out); no steps array whose length differs
--   from the level; and retention equal to its definition with bool_or.
SELECT count(*) AS users,
       count(*) FILTER (WHERE level NOT BETWEEN 0 AND 5 OR level_once NOT BETWEEN 0 AND 5) AS out_of_range,
       count(*) FILTER (WHERE level_order > level OR level_reentry > level OR level_dedup > level
                           OR level_increase > level OR level_order > level_reentry) AS mode_above_default,
       count(*) FILTER (WHERE cardinality(steps) <> level) AS steps_not_level,
       count(*) FILTER (WHERE r IS DISTINCT FROM r_oracle) AS retention_wrong
FROM funnel_per_user;
-- expect: 0 | 0 | 0 -- the VARIADIC forms give what the fixed-arity overloads
-- give, for every user (both through partial states combined in the leader).
SELECT count(*) FILTER (WHERE level_array IS DISTINCT FROM level) AS level_differs,
       count(*) FILTER (WHERE level_order_array IS DISTINCT FROM level_order) AS level_order_differs,
       count(*) FILTER (WHERE steps_array IS DISTINCT FROM steps) AS steps_differ
FROM funnel_per_user;

-- ---------------------------------------------------------------------------
-- The serial answers are the same
-- ---------------------------------------------------------------------------
SET max_parallel_workers_per_gather = 0;

-- plan: Aggregate over Seq Scan, no Gather.
EXPLAIN (COSTS OFF)
SELECT window_funnel('1 second', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS level,
       window_funnel('1 hour', 'strict_order', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS level_order,
       funnel_steps('1 second', ts, event = 0, event = 1, event = 2, event = 3, event = 4) AS steps,
       retention(event = 0, event = 1, event = 2, event = 3, event = 4, event = 5, event = 6) AS r
FROM funnel_events;

-- expect: t | t | t | t -- each ungrouped answer as in the parallel run.
SELECT window_funnel('1 second', ts, event = 0, event = 1, event = 2, event = 3, event = 4) = :par_all_level AS same_level,
       window_funnel('1 hour', 'strict_order', ts, event = 0, event = 1, event = 2, event = 3, event = 4) = :par_all_level_order AS same_level_order,
       funnel_steps('1 second', ts, event = 0, event = 1, event = 2, event = 3, event = 4)::text = :'par_all_steps' AS same_steps,
       retention(event = 0, event = 1, event = 2, event = 3, event = 4, event = 5, event = 6)::text = :'par_all_r' AS same_retention
FROM funnel_events;

-- expect: 0 | {} | (blank: NULL) -- no rows, serially: as in the parallel run.
SELECT window_funnel('1 hour', ts, event = 0, event = 1) AS level,
       funnel_steps('1 hour', ts, event = 0, event = 1) AS steps,
       retention(event = 0, event = 1, event = 2) AS r
FROM funnel_events WHERE user_id < 0;

-- expect: 20000 | t | t | t -- the per-user digest as in both parallel runs
-- (group and hash aggregation).
SELECT users, sum_level = :par_user_sum_level AS same_sum_level,
       digest = :'par_user_digest' AS same_as_parallel_group,
       digest = :'par_hash_user_digest' AS same_as_parallel_hash
FROM funnel_per_user_digest;

-- expect: 10 | t | t -- the per-tenth digest as in both parallel runs.
SELECT groups, digest = :'par_tenth_digest' AS same_as_parallel_group,
       digest = :'par_hash_tenth_digest' AS same_as_parallel_hash
FROM funnel_per_tenth_digest;

-- The serial distribution of levels (for the record; the digests above
-- compare every user's answers).
SELECT level, count(*) AS users FROM funnel_per_user GROUP BY level ORDER BY level;

DROP VIEW funnel_per_tenth_digest, funnel_per_user_digest, funnel_per_tenth, funnel_per_user;
DROP TABLE funnel_events;
