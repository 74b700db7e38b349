-- retention: ClickHouse's retention (DESIGN §3.3).
--
-- retention(c1, ..., cn) over a group is [r1, ..., rn] with r1 = some row
-- satisfies c1 and rk = r1 AND some row satisfies ck (not necessarily the
-- same row).  Row order does not matter; NULL conditions are false; no rows
-- give NULL, like PostgreSQL's own aggregates, in every plan (ClickHouse
-- answers all zeros, but the final step of a parallel plan cannot know the
-- number of conditions).  1 to 64 conditions, the same number on every row.
-- "-- expect: <result>" is worked out by hand.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
SET search_path = mops, public;
\pset null '<NULL>'

-- ---------------------------------------------------------------------------
-- ClickHouse's documented example
-- ---------------------------------------------------------------------------
-- 2020-01-01: uids 0..4; 2020-01-02: uids 0..9; 2020-01-03: uids 0..14.
CREATE TABLE retention_test (date date, uid int);
INSERT INTO retention_test SELECT '2020-01-01', n FROM generate_series(0, 4) n;
INSERT INTO retention_test SELECT '2020-01-02', n FROM generate_series(0, 9) n;
INSERT INTO retention_test SELECT '2020-01-03', n FROM generate_series(0, 14) n;

-- expect (as in ClickHouse's documentation, [1,1,1] and [0,0,0]):
--   uids 0..4:  {t,t,t} -- present on all three days;
--   uids 5..9:  {f,f,f} -- present on 01-02 and 01-03 but not on 01-01, and
--               every r_k needs r1;
--   uids 10..14: {f,f,f} -- present on 01-03 only.
SELECT uid,
       retention(date = '2020-01-01', date = '2020-01-02', date = '2020-01-03') AS r
FROM retention_test
WHERE date IN ('2020-01-01', '2020-01-02', '2020-01-03')
GROUP BY uid
ORDER BY uid;

-- expect: 5 | 5 | 5 -- ClickHouse's r1, r2, r3: 5 users on 01-01, of whom 5
-- came back on 01-02 and 5 on 01-03.
SELECT sum(r[1]::int) AS r1, sum(r[2]::int) AS r2, sum(r[3]::int) AS r3
FROM (SELECT uid,
             retention(date = '2020-01-01', date = '2020-01-02', date = '2020-01-03') AS r
      FROM retention_test
      WHERE date IN ('2020-01-01', '2020-01-02', '2020-01-03')
      GROUP BY uid) a;

-- The same with the rows fed in reverse order and through a hash aggregate.
-- expect: 5 | 5 | 5
SET enable_sort = off;
SELECT sum(r[1]::int) AS r1, sum(r[2]::int) AS r2, sum(r[3]::int) AS r3
FROM (SELECT uid,
             retention(date = '2020-01-01', date = '2020-01-02', date = '2020-01-03') AS r
      FROM (SELECT * FROM retention_test ORDER BY date DESC, uid DESC) s
      GROUP BY uid) a;
RESET enable_sort;
DROP TABLE retention_test;

-- ---------------------------------------------------------------------------
-- Semantics
-- ---------------------------------------------------------------------------

-- expect: {t,t,f} -- c1 and c2 hold on different rows: r2 needs some row with
-- c1 and some row with c2, not one row with both.
SELECT retention(c1, c2, c3) AS r
FROM (VALUES (true, false, false), (false, true, false)) v(c1, c2, c3);

-- expect: {t,t,f} | {t,t,f} -- order does not matter: the c2 row before or
-- after the c1 row.
SELECT (SELECT retention(c1, c2, c3 ORDER BY k) FROM (VALUES (1, true, false, false), (2, false, true, false)) v(k, c1, c2, c3)) AS c1_first,
       (SELECT retention(c1, c2, c3 ORDER BY k DESC) FROM (VALUES (1, true, false, false), (2, false, true, false)) v(k, c1, c2, c3)) AS c2_first;

-- expect: {f,f,f} -- c2 and c3 hold but c1 never: every element needs r1.
SELECT retention(c1, c2, c3) AS r
FROM (VALUES (false, true, true), (false, true, false)) v(c1, c2, c3);

-- expect: {t,f,t} -- r2 false (no row with c2), r3 true.
SELECT retention(c1, c2, c3) AS r
FROM (VALUES (true, false, false), (false, false, true)) v(c1, c2, c3);

-- expect: {t,t,t} -- one row satisfying all.
SELECT retention(true, true, true) AS r;

-- ---------------------------------------------------------------------------
-- NULLs
-- ---------------------------------------------------------------------------

-- expect: {f,f} -- c1 NULL (false): r1 false, so r2 false although c2 holds.
SELECT retention(c1, c2) AS r
FROM (VALUES (NULL::boolean, true)) v(c1, c2);

-- expect: {t,f} -- c2 NULL on the only row: false.
SELECT retention(c1, c2) AS r
FROM (VALUES (true, NULL::boolean)) v(c1, c2);

-- expect: {t,t,f} -- NULLs mixed with trues over two rows: c1 true on row 1,
-- c2 true on row 2, c3 NULL or false everywhere.
SELECT retention(c1, c2, c3) AS r
FROM (VALUES (true, NULL, NULL), (NULL, true, false)) v(c1, c2, c3);

-- expect: {f,f,f} -- all conditions NULL on every row.
SELECT retention(c1, c2, c3) AS r
FROM (VALUES (NULL::boolean, NULL::boolean, NULL::boolean), (NULL, NULL, NULL)) v(c1, c2, c3);

-- ---------------------------------------------------------------------------
-- No rows
-- ---------------------------------------------------------------------------

CREATE TABLE retention_empty (k int, c1 boolean, c2 boolean, c3 boolean, c boolean[]);

-- expect: <NULL> -- no rows (ClickHouse would answer [0,0,0]).
SELECT retention(c1, c2, c3) AS r FROM retention_empty;

-- expect: <NULL> -- no rows, one condition.
SELECT retention(c1) AS r FROM retention_empty;

-- expect: <NULL> -- no rows, with DISTINCT.
SELECT retention(DISTINCT c1, c2) AS r FROM retention_empty;

-- expect: <NULL> -- no rows, with an ORDER BY inside the call (allowed, and
-- meaningless for retention).
SELECT retention(c1, c2 ORDER BY k) AS r FROM retention_empty;

-- expect: <NULL> -- no rows, constant conditions.
SELECT retention(true, false) AS r FROM retention_empty;

-- expect: <NULL> -- no rows from a one-row VALUES list filtered out (the
-- planner replaces c1, c2, c3 by the constants of that row).
SELECT retention(c1, c2, c3) AS r
FROM (VALUES (true, true, true)) v(c1, c2, c3) WHERE false;

-- expect: <NULL> -- no rows, VARIADIC ARRAY[c1, c2]: the same call as
-- retention(c1, c2).
SELECT retention(VARIADIC ARRAY[c1, c2]) AS r FROM retention_empty;

-- expect: <NULL> | t -- no rows through an array column passed as VARIADIC.
SELECT retention(VARIADIC c) AS r, retention(VARIADIC c) IS NULL AS is_null
FROM retention_empty;
DROP TABLE retention_empty;

-- ---------------------------------------------------------------------------
-- One condition
-- ---------------------------------------------------------------------------

-- expect: {t} | {f} -- one condition: whether any row satisfies it.
SELECT retention(c) FILTER (WHERE k = 1) AS some_true,
       retention(c) FILTER (WHERE k = 2) AS none_true
FROM (VALUES (1, false), (1, true), (2, false), (2, NULL)) v(k, c);

-- ---------------------------------------------------------------------------
-- 64 and 65 conditions
-- ---------------------------------------------------------------------------

-- 64 conditions written out as arguments (the query is generated): row k
-- (k = 1..64) satisfies condition k only.
-- expect: 64 | t -- all 64 conditions hold on some row, and c1 on row 1.
SELECT format('SELECT cardinality(r) AS n, (SELECT bool_and(x) FROM unnest(r) x) AS all_true FROM (SELECT retention(%s) AS r FROM generate_series(1, 64) k) s',
              string_agg(format('k = %s', s), ', ' ORDER BY s))
FROM generate_series(1, 64) s
\gexec

-- expect: <NULL> -- the 64 arguments over no rows.
SELECT format('SELECT retention(%s) AS r FROM generate_series(1, 0) k',
              string_agg(format('k = %s', s), ', ' ORDER BY s))
FROM generate_series(1, 64) s
\gexec

-- The same 64 conditions as an explicit VARIADIC array built by a subquery.
-- expect: 64 | t | f | t | f | f -- all rows: all true; without row 64:
-- r64 false, r63 still true; without row 1: r1 false, so everything false.
SELECT cardinality(a) AS n,
       (SELECT bool_and(x) FROM unnest(a) x) AS all_true,
       b[64] AS r64_without_64, b[63] AS r63_without_64,
       (SELECT bool_or(x) FROM unnest(c) x) AS any_without_1,
       c[64] AS r64_without_1
FROM (SELECT retention(VARIADIC (SELECT array_agg(k = s ORDER BY s) FROM generate_series(1, 64) s)) AS a,
             retention(VARIADIC (SELECT array_agg(k = s ORDER BY s) FROM generate_series(1, 64) s))
                 FILTER (WHERE k <> 64) AS b,
             retention(VARIADIC (SELECT array_agg(k = s ORDER BY s) FROM generate_series(1, 64) s))
                 FILTER (WHERE k <> 1) AS c
      FROM generate_series(1, 64) k) r;

-- expect: ERROR 54000 -- 65 conditions.
SELECT retention(VARIADIC (SELECT array_agg(k = s) FROM generate_series(1, 65) s)) AS r
FROM generate_series(1, 3) k;
\echo :LAST_ERROR_SQLSTATE

-- expect: ERROR 22023 -- no condition at all (an empty VARIADIC array).
SELECT retention(VARIADIC '{}'::boolean[]) AS r;
\echo :LAST_ERROR_SQLSTATE

-- expect: ERROR 22023 -- two rows of one group with 2 and 3 conditions.
SELECT retention(VARIADIC c) AS r
FROM (VALUES (ARRAY[true, false]), (ARRAY[true, false, true])) v(c);
\echo :LAST_ERROR_SQLSTATE

-- expect: {t,f} | {t,f,t} -- different counts in different groups are fine.
SELECT retention(VARIADIC c) FILTER (WHERE cardinality(c) = 2) AS two,
       retention(VARIADIC c) FILTER (WHERE cardinality(c) = 3) AS three
FROM (VALUES (ARRAY[true, false]), (ARRAY[true, false, true])) v(c);

-- ---------------------------------------------------------------------------
-- A cohort: weekly retention of users who signed up in week 1
-- ---------------------------------------------------------------------------
CREATE TABLE retention_events (user_id int, day date, event text);
INSERT INTO retention_events VALUES
    (1, '2026-01-05', 'signup'), (1, '2026-01-13', 'visit'), (1, '2026-01-20', 'visit'),
    (2, '2026-01-06', 'signup'), (2, '2026-01-21', 'visit'),
    (3, '2026-01-07', 'signup'),
    (4, '2026-01-14', 'visit'), (4, '2026-01-15', 'signup'),
    (5, '2026-01-20', 'visit'), (5, '2026-01-05', 'signup'), (5, '2026-01-12', 'visit');
-- r1: signed up in the week of 2026-01-05; r2: visited in the week of
-- 2026-01-12; r3: visited in the week of 2026-01-19.
-- expect:
--   user 1: {t,t,t} -- signup 01-05, visits 01-13 and 01-20;
--   user 2: {t,f,t} -- signup 01-06, visit 01-21 only;
--   user 3: {t,f,f} -- signup only;
--   user 4: {f,f,f} -- signed up in the week of 01-12: not in the cohort, so
--            the visit of 01-14 does not count;
--   user 5: {t,t,t} -- rows stored out of order: signup 01-05, visits 01-12
--            and 01-20.
SELECT user_id,
       retention(event = 'signup' AND day BETWEEN '2026-01-05' AND '2026-01-11',
                 event = 'visit' AND day BETWEEN '2026-01-12' AND '2026-01-18',
                 event = 'visit' AND day BETWEEN '2026-01-19' AND '2026-01-25') AS r
FROM retention_events GROUP BY user_id ORDER BY user_id;
DROP TABLE retention_events;
