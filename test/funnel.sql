-- pgTAP: window_funnel, funnel_steps and retention (DESIGN §3.3): their
-- signatures, every error with its SQLSTATE and message (and hint where users
-- rely on it), the accepted forms next to each error, and properties over 300
-- pseudo-random groups checked against oracles written here in plpgsql.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SET LOCAL search_path = public, pg_catalog;
SET LOCAL timezone = 'UTC';

SELECT plan(100);

-- diag(sql): {sqlstate, message, detail, hint} of the error sql raises
\ir lib/diag.sql

-- wf(mode): a window_funnel call with that mode (a SQL literal, or NULL for
-- the form without a mode) over two rows A then B, as SQL text.
CREATE FUNCTION pg_temp.wf(mode text, win text DEFAULT '''1 hour''') RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT format('SELECT mops.window_funnel(%s, %sts, e = ''A'', e = ''B'') '
                  'FROM (VALUES (timestamptz ''2026-01-01 10:00'', ''A''), '
                  '(timestamptz ''2026-01-01 10:10'', ''B'')) v(ts, e)',
                  win, CASE WHEN mode IS NULL THEN '' ELSE mode || ', ' END)
$$;

-- A 10:00, X 10:05 (no step), B 10:10
CREATE TEMP VIEW axb AS
SELECT * FROM (VALUES (timestamptz '2026-01-01 10:00', 'A'), ('2026-01-01 10:05', 'X'),
                      ('2026-01-01 10:10', 'B')) v(ts, e);

\set modes_hint 'The mode is a comma-separated list of strict_deduplication, strict_order, strict_increase, strict_once and allow_reentry.'

-- ---------------------------------------------------------------------------
-- Signatures
-- ---------------------------------------------------------------------------
SELECT has_function('mops', 'window_funnel', ARRAY['interval', 'timestamp with time zone', 'boolean[]'],
                    'window_funnel(interval, timestamptz, VARIADIC boolean[]) exists');
SELECT has_function('mops', 'window_funnel', ARRAY['interval', 'text', 'timestamp with time zone', 'boolean[]'],
                    'window_funnel(interval, text, timestamptz, VARIADIC boolean[]) exists');
SELECT has_function('mops', 'funnel_steps', ARRAY['interval', 'timestamp with time zone', 'boolean[]'],
                    'funnel_steps(interval, timestamptz, VARIADIC boolean[]) exists');
SELECT has_function('mops', 'funnel_steps', ARRAY['interval', 'text', 'timestamp with time zone', 'boolean[]'],
                    'funnel_steps(interval, text, timestamptz, VARIADIC boolean[]) exists');
SELECT has_function('mops', 'retention', ARRAY['boolean[]'], 'retention(VARIADIC boolean[]) exists');

SELECT is_aggregate('mops', 'window_funnel', ARRAY['interval', 'timestamp with time zone', 'boolean[]'],
                    'window_funnel without a mode is an aggregate');
SELECT is_aggregate('mops', 'window_funnel', ARRAY['interval', 'text', 'timestamp with time zone', 'boolean[]'],
                    'window_funnel with a mode is an aggregate');
SELECT is_aggregate('mops', 'funnel_steps', ARRAY['interval', 'timestamp with time zone', 'boolean[]'],
                    'funnel_steps without a mode is an aggregate');
SELECT is_aggregate('mops', 'funnel_steps', ARRAY['interval', 'text', 'timestamp with time zone', 'boolean[]'],
                    'funnel_steps with a mode is an aggregate');
SELECT is_aggregate('mops', 'retention', ARRAY['boolean[]'], 'retention is an aggregate');

SELECT function_returns('mops', 'window_funnel', ARRAY['interval', 'timestamp with time zone', 'boolean[]'], 'integer');
SELECT function_returns('mops', 'window_funnel', ARRAY['interval', 'text', 'timestamp with time zone', 'boolean[]'], 'integer');
SELECT function_returns('mops', 'funnel_steps', ARRAY['interval', 'timestamp with time zone', 'boolean[]'], 'timestamp with time zone[]');
SELECT function_returns('mops', 'funnel_steps', ARRAY['interval', 'text', 'timestamp with time zone', 'boolean[]'], 'timestamp with time zone[]');
SELECT function_returns('mops', 'retention', ARRAY['boolean[]'], 'boolean[]');

-- Besides the VARIADIC forms of DESIGN, window_funnel and funnel_steps have
-- fixed-arity overloads taking 1 to 8 step conditions as boolean arguments.
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
             FROM pg_proc p
            WHERE p.pronamespace = 'mops'::regnamespace
              AND p.proname IN ('window_funnel', 'funnel_steps', 'retention')
              AND p.provariadic = 0
              AND NOT (p.proname <> 'retention'
                       AND p.pronargs - (CASE WHEN p.proargtypes[1] = 'text'::regtype THEN 3 ELSE 2 END) BETWEEN 1 AND 8
                       AND (SELECT bool_and(t = 'boolean'::regtype)
                              FROM unnest(p.proargtypes[CASE WHEN p.proargtypes[1] = 'text'::regtype THEN 3 ELSE 2 END:]) t))),
          NULL, 'every form is VARIADIC boolean[] or a fixed-arity overload of window_funnel/funnel_steps with 1 to 8 boolean steps');
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
             FROM pg_proc p
            WHERE p.pronamespace = 'mops'::regnamespace
              AND p.proname IN ('window_funnel', 'funnel_steps', 'retention')
              AND p.provariadic <> 0 AND p.provariadic <> 'boolean'::regtype),
          NULL, 'every VARIADIC form takes boolean[]');
SELECT is((SELECT array_agg(a.aggfnoid::regprocedure::text ORDER BY a.aggfnoid::regprocedure::text)
             FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
            WHERE p.pronamespace = 'mops'::regnamespace
              AND p.proname IN ('window_funnel', 'funnel_steps', 'retention')
              AND (p.proparallel <> 's' OR a.aggcombinefn = 0
                   OR (a.aggtranstype = 'internal'::regtype AND (a.aggserialfn = 0 OR a.aggdeserialfn = 0)))),
          NULL, 'every form is PARALLEL SAFE, combinable and (for internal states) serialisable');
SELECT is((SELECT count(*)::int FROM pg_proc p
            WHERE p.pronamespace = 'mops'::regnamespace
              AND p.proname IN ('window_funnel', 'funnel_steps', 'retention')
              AND p.prokind = 'a'),
          5 + 4 * 8, 'five aggregates (window_funnel and funnel_steps with and without a mode, retention) and 4 x 8 fixed-arity overloads');
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
             FROM pg_proc p JOIN pg_aggregate a ON a.aggfnoid = p.oid
            WHERE p.pronamespace = 'mops'::regnamespace
              AND p.proname IN ('window_funnel', 'funnel_steps')
              AND p.provariadic = 0
              AND (SELECT (a.aggtransfn::regproc::text, a.aggfinalfn, a.aggcombinefn, a.aggserialfn,
                           a.aggdeserialfn, a.aggtranstype, a.aggtransspace)
                          IS DISTINCT FROM
                          (v.aggtransfn::regproc::text, v.aggfinalfn, v.aggcombinefn, v.aggserialfn,
                           v.aggdeserialfn, v.aggtranstype, v.aggtransspace)
                     FROM pg_aggregate v JOIN pg_proc vp ON vp.oid = v.aggfnoid
                    WHERE vp.pronamespace = p.pronamespace AND vp.proname = p.proname AND vp.provariadic <> 0
                      AND (vp.proargtypes[1] = 'text'::regtype) = (p.proargtypes[1] = 'text'::regtype))),
          NULL, 'every overload has the transition function name, state, final, combine, serial and deserial functions and SSPACE of its VARIADIC form');

-- ---------------------------------------------------------------------------
-- Modes (22023)
-- ---------------------------------------------------------------------------
SELECT throws_ok(pg_temp.wf('''bogus'''), '22023', 'unknown window_funnel mode "bogus"',
                 'unknown mode');
SELECT is(pg_temp.diag(pg_temp.wf('''strict_order, Bogus ''')),
          ARRAY['22023', 'unknown window_funnel mode "Bogus"', NULL, :'modes_hint'],
          'unknown mode in a list: the item is named as written (trimmed), the hint lists the modes');
SELECT throws_ok(pg_temp.wf('''strict'''), '22023', 'unknown window_funnel mode "strict"',
                 'strict (ClickHouse''s old name) is refused');
SELECT is(pg_temp.diag(pg_temp.wf('''strict''')),
          ARRAY['22023', 'unknown window_funnel mode "strict"', NULL,
                'The mode "strict" is called "strict_deduplication".'],
          'strict: the hint names strict_deduplication');
SELECT throws_ok(pg_temp.wf('''allow_reentry'''), '22023',
                 'window_funnel mode allow_reentry requires strict_order',
                 'allow_reentry without strict_order');
SELECT is(pg_temp.diag(pg_temp.wf('''allow_reentry, strict_once''')),
          ARRAY['22023', 'window_funnel mode allow_reentry requires strict_order', NULL,
                'Add strict_order to the mode list, for example ''strict_order, allow_reentry''.'],
          'allow_reentry with other modes but not strict_order: the hint shows the fix');
SELECT throws_ok(pg_temp.wf('''strict_order,'''), '22023',
                 'empty item in window_funnel mode list "strict_order,"', 'a trailing comma is an empty item');
SELECT throws_ok(pg_temp.wf(''',strict_order'''), '22023',
                 'empty item in window_funnel mode list ",strict_order"', 'a leading comma is an empty item');
SELECT throws_ok(pg_temp.wf('''strict_order, ,strict_once'''), '22023',
                 'empty item in window_funnel mode list "strict_order, ,strict_once"', 'a blank item is an empty item');
SELECT throws_ok(pg_temp.wf(''','''), '22023',
                 'empty item in window_funnel mode list ","', 'a lone comma');
SELECT throws_ok(pg_temp.wf('''strict order'''), '22023', 'unknown window_funnel mode "strict order"',
                 'a blank inside an item is not a separator');

SELECT lives_ok(pg_temp.wf('''strict_deduplication'''), 'mode strict_deduplication');
SELECT lives_ok(pg_temp.wf('''strict_order'''), 'mode strict_order');
SELECT lives_ok(pg_temp.wf('''strict_increase'''), 'mode strict_increase');
SELECT lives_ok(pg_temp.wf('''strict_once'''), 'mode strict_once');
SELECT lives_ok(pg_temp.wf('''strict_order,allow_reentry'''), 'mode strict_order,allow_reentry');
SELECT lives_ok(pg_temp.wf('''allow_reentry,strict_order'''), 'allow_reentry may come before strict_order');
SELECT lives_ok(pg_temp.wf(''' Strict_Order , strict_once '''), 'case and blanks around items do not matter');
SELECT lives_ok(pg_temp.wf('E''\tSTRICT_INCREASE\n'''), 'tabs and newlines around an item are blanks');
SELECT lives_ok(pg_temp.wf(''''''), 'the empty mode string');
SELECT lives_ok(pg_temp.wf('''   '''), 'a blank mode string');
SELECT lives_ok(pg_temp.wf('''strict_deduplication,strict_order,strict_increase,strict_once,allow_reentry'''),
                'all five modes');
SELECT is(ARRAY[(SELECT mops.window_funnel('1 hour', '', ts, e = 'A', e = 'B', e = 'C') FROM pg_temp.axb),
                (SELECT mops.window_funnel('1 hour', '  ', ts, e = 'A', e = 'B', e = 'C') FROM pg_temp.axb),
                (SELECT mops.window_funnel('1 hour', 'strict_order', ts, e = 'A', e = 'B', e = 'C') FROM pg_temp.axb)],
          ARRAY[2, 2, 1],
          'the empty and blank modes are no mode: A X B gives 2 (X ignored), strict_order gives 1 (X stops)');

-- ---------------------------------------------------------------------------
-- Window and NULL parameters
-- ---------------------------------------------------------------------------
SELECT throws_ok(pg_temp.wf(NULL, '''-1 hour'''), '22023', 'window_funnel window must not be negative',
                 'a negative window');
SELECT throws_ok(pg_temp.wf(NULL, '''-1 day'''), '22023', 'window_funnel window must not be negative',
                 'a negative window in days');
SELECT throws_ok(pg_temp.wf(NULL, '''-1 mon'''), '22023', 'window_funnel window must not be negative',
                 'a negative window in months');
SELECT throws_ok(pg_temp.wf(NULL, '''-00:00:00.000001'''), '22023', 'window_funnel window must not be negative',
                 'a window of minus one microsecond');
SELECT lives_ok(pg_temp.wf(NULL, '''0'''), 'a zero window');
SELECT throws_ok(pg_temp.wf(NULL, '''2147483647 days'''), '22008', 'window_funnel window is out of range',
                 'a window too long for microseconds');
SELECT throws_ok(pg_temp.wf(NULL, 'NULL::interval'), '22004', 'window_funnel window and mode must not be null',
                 'a NULL window');
SELECT throws_ok(pg_temp.wf('NULL::text'), '22004', 'window_funnel window and mode must not be null',
                 'a NULL mode');
SELECT throws_ok($$SELECT mops.funnel_steps(NULL::interval, ts, true) FROM (VALUES (timestamptz '2026-01-01')) v(ts)$$,
                 '22004', 'window_funnel window and mode must not be null', 'funnel_steps: a NULL window');

-- ---------------------------------------------------------------------------
-- Number of steps
-- ---------------------------------------------------------------------------
SELECT throws_ok($$SELECT mops.window_funnel('1 hour', timestamptz '2026-01-01', VARIADIC '{}'::boolean[])$$,
                 '22023', 'window_funnel needs at least one step condition', 'no step (an empty VARIADIC array)');
SELECT throws_ok($$SELECT mops.window_funnel('1 hour', timestamptz '2026-01-01',
                                             VARIADIC (SELECT array_agg(true) FROM generate_series(1, 65)))$$,
                 '54000', 'window_funnel supports at most 64 steps, 65 were given', '65 steps');
SELECT throws_ok($$SELECT mops.funnel_steps('1 hour', 'strict_once', timestamptz '2026-01-01',
                                            VARIADIC (SELECT array_agg(true) FROM generate_series(1, 65)))$$,
                 '54000', 'window_funnel supports at most 64 steps, 65 were given', 'funnel_steps: 65 steps');
SELECT lives_ok($$SELECT mops.window_funnel('1 hour', timestamptz '2026-01-01',
                                            VARIADIC (SELECT array_agg(true) FROM generate_series(1, 64)))$$,
                '64 steps');
SELECT throws_ok($$SELECT mops.window_funnel('1 hour', timestamptz '2026-01-01', VARIADIC '{{t,f},{f,t}}'::boolean[])$$,
                 '22023', 'window_funnel steps must be a one-dimensional boolean array', 'a two-dimensional steps array');

-- ---------------------------------------------------------------------------
-- Parameters changing within a group (22023)
-- ---------------------------------------------------------------------------
SELECT throws_ok($$SELECT mops.window_funnel('1 hour', ts, VARIADIC c)
                     FROM (VALUES (timestamptz '2026-01-01 10:00', ARRAY[true, false]),
                                  (timestamptz '2026-01-01 10:10', ARRAY[true, false, false])) v(ts, c)$$,
                 '22023', 'window_funnel number of steps must be the same for every row of a group',
                 'the number of steps changes within a group');
SELECT throws_ok($$SELECT mops.window_funnel(w, ts, true, false)
                     FROM (VALUES (interval '1 hour', timestamptz '2026-01-01 10:00'),
                                  (interval '1 hour 1 microsecond', timestamptz '2026-01-01 10:10')) v(w, ts)$$,
                 '22023', 'window_funnel window must be the same for every row of a group',
                 'the window changes within a group');
SELECT throws_ok($$SELECT mops.window_funnel('1 hour', m, ts, true, false)
                     FROM (VALUES ('strict_order', timestamptz '2026-01-01 10:00'),
                                  ('strict_order,strict_once', timestamptz '2026-01-01 10:10')) v(m, ts)$$,
                 '22023', 'window_funnel mode must be the same for every row of a group',
                 'the mode changes within a group');
SELECT throws_ok($$SELECT mops.window_funnel('1 hour', m, ts, true, false)
                     FROM (VALUES ('strict_order', timestamptz '2026-01-01 10:00'),
                                  ('bogus', timestamptz '2026-01-01 10:10')) v(m, ts)$$,
                 '22023', 'unknown window_funnel mode "bogus"',
                 'a bad mode on a later row of a group is reported as such');
SELECT throws_ok($$SELECT mops.funnel_steps('1 hour', ts, VARIADIC c)
                     FROM (VALUES (timestamptz '2026-01-01 10:00', ARRAY[true]),
                                  (timestamptz '2026-01-01 10:10', ARRAY[true, false])) v(ts, c)$$,
                 '22023', 'window_funnel number of steps must be the same for every row of a group',
                 'funnel_steps: the number of steps changes within a group');
SELECT lives_ok($$SELECT mops.window_funnel(w, m, ts, true, false)
                    FROM (VALUES (interval '1 hour', 'strict_order', timestamptz '2026-01-01 10:00'),
                                 (interval '60 minutes', ' STRICT_ORDER ', timestamptz '2026-01-01 10:10')) v(w, m, ts)$$,
                'the same window and mode written differently are the same parameters');
SELECT lives_ok($$SELECT g, mops.window_funnel(w, ts, VARIADIC c)
                    FROM (VALUES (1, interval '1 hour', timestamptz '2026-01-01 10:00', ARRAY[true]),
                                 (2, interval '2 hours', timestamptz '2026-01-01 10:10', ARRAY[true, false])) v(g, w, ts, c)
                   GROUP BY g$$,
                'different parameters in different groups');

-- ---------------------------------------------------------------------------
-- retention errors
-- ---------------------------------------------------------------------------
SELECT throws_ok($$SELECT mops.retention(VARIADIC '{}'::boolean[])$$, '22023',
                 'retention needs at least one condition', 'retention: no condition');
SELECT throws_ok($$SELECT mops.retention(VARIADIC (SELECT array_agg(true) FROM generate_series(1, 65)))$$, '54000',
                 'retention supports at most 64 conditions, 65 were given', 'retention: 65 conditions');
SELECT lives_ok($$SELECT mops.retention(VARIADIC (SELECT array_agg(true) FROM generate_series(1, 64)))$$,
                'retention: 64 conditions');
SELECT throws_ok($$SELECT mops.retention(VARIADIC c) FROM (VALUES (ARRAY[true, false]), (ARRAY[true])) v(c)$$,
                 '22023', 'retention must get the same number of conditions for every row of a group',
                 'retention: the number of conditions changes within a group');
SELECT is(pg_temp.diag($$SELECT mops.retention(VARIADIC c) FROM (VALUES (ARRAY[true, false]), (ARRAY[true])) v(c)$$),
          ARRAY['22023', 'retention must get the same number of conditions for every row of a group',
                'The group started with 2 conditions; this row has 1.', NULL],
          'retention: the detail gives both counts');
SELECT throws_ok($$SELECT mops.retention(VARIADIC '{{t,f},{f,t}}'::boolean[])$$, '22023',
                 'retention conditions must be a one-dimensional boolean array', 'retention: a two-dimensional array');
SELECT lives_ok($$SELECT mops.retention(true)$$, 'retention: one condition');

-- ---------------------------------------------------------------------------
-- Properties over 300 pseudo-random groups
-- ---------------------------------------------------------------------------
-- h(g, i, k): a deterministic 28-bit hash.
CREATE FUNCTION pg_temp.h(g int, i int, k int) RETURNS int
LANGUAGE sql IMMUTABLE AS $$
    SELECT ('x' || substr(md5(g || ':' || i || ':' || k), 1, 7))::bit(28)::int
$$;

-- Group g has 1 + g % 12 rows over 40 minutes (many timestamp ties); each of
-- the four conditions holds with probability 1/3 and is NULL one time in
-- ten; one timestamp in fifteen is NULL.
CREATE TEMP TABLE prop_events ON COMMIT DROP AS
SELECT g, i,
       CASE WHEN pg_temp.h(g, i, 0) % 15 = 0 THEN NULL
            ELSE timestamptz '2026-01-01 10:00' + pg_temp.h(g, i, 1) % 41 * interval '1 minute' END AS ts,
       CASE WHEN pg_temp.h(g, i, 2) % 10 = 0 THEN NULL ELSE pg_temp.h(g, i, 2) % 3 = 0 END AS c1,
       CASE WHEN pg_temp.h(g, i, 3) % 10 = 0 THEN NULL ELSE pg_temp.h(g, i, 3) % 3 = 0 END AS c2,
       CASE WHEN pg_temp.h(g, i, 4) % 10 = 0 THEN NULL ELSE pg_temp.h(g, i, 4) % 3 = 0 END AS c3,
       CASE WHEN pg_temp.h(g, i, 5) % 10 = 0 THEN NULL ELSE pg_temp.h(g, i, 5) % 3 = 0 END AS c4,
       pg_temp.h(g, i, 6) AS shuffle
  FROM generate_series(1, 300) g, generate_series(1, 1 + g % 12) i;

-- The (timestamp, step) pairs of a group in the order steps are taken: one per
-- condition that holds, rows with a NULL timestamp skipped.
CREATE TEMP VIEW prop_pairs AS
SELECT e.g, e.i, e.ts, s.step
  FROM prop_events e
 CROSS JOIN LATERAL (VALUES (1, e.c1), (2, e.c2), (3, e.c3), (4, e.c4)) s(step, c)
 WHERE e.ts IS NOT NULL AND s.c;

-- Oracle for an unbounded window: the longest prefix 1..k of the steps that is
-- a subsequence of the pairs in (ts, step) order (greedy matching).
CREATE FUNCTION pg_temp.prefix_level(grp int) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    lvl int := 0;
    p record;
BEGIN
    FOR p IN SELECT step FROM prop_pairs WHERE g = grp ORDER BY ts, step LOOP
        IF p.step = lvl + 1 THEN
            lvl := lvl + 1;
        END IF;
    END LOOP;
    RETURN lvl;
END
$$;

-- Oracle for a window: for every step-1 pair as the chain's first step,
-- greedily match steps 2, 3, ... among the later pairs (in (ts, step) order)
-- that lie within the window of it; the level is the best over all starts.
CREATE FUNCTION pg_temp.window_level(grp int, w interval) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    tss timestamptz[];
    steps int[];
    n int;
    best int := 0;
    lvl int;
BEGIN
    SELECT array_agg(ts ORDER BY ts, step), array_agg(step ORDER BY ts, step)
      INTO tss, steps FROM prop_pairs WHERE g = grp;
    n := coalesce(cardinality(steps), 0);
    FOR a IN 1 .. n LOOP
        CONTINUE WHEN steps[a] <> 1;
        lvl := 1;
        FOR b IN a + 1 .. n LOOP
            EXIT WHEN tss[b] - tss[a] > w;
            IF steps[b] = lvl + 1 THEN
                lvl := lvl + 1;
            END IF;
        END LOOP;
        best := greatest(best, lvl);
    END LOOP;
    RETURN best;
END
$$;

-- Every group's level for several windows and every mode.
CREATE TEMP TABLE prop_windows ON COMMIT DROP AS
SELECT w FROM unnest(ARRAY['0', '1 minute', '5 minutes', '15 minutes', '40 minutes', '100 years']::interval[]) w;
CREATE TEMP TABLE prop_levels ON COMMIT DROP AS
SELECT g, w,
       mops.window_funnel(w, ts, c1, c2, c3, c4) AS level,
       mops.funnel_steps(w, ts, c1, c2, c3, c4) AS steps,
       mops.window_funnel(w, 'strict_order', ts, c1, c2, c3, c4) AS level_order,
       mops.window_funnel(w, 'strict_order,allow_reentry', ts, c1, c2, c3, c4) AS level_reentry,
       mops.window_funnel(w, 'strict_deduplication', ts, c1, c2, c3, c4) AS level_dedup,
       mops.window_funnel(w, 'strict_increase', ts, c1, c2, c3, c4) AS level_increase,
       mops.window_funnel(w, 'strict_once', ts, c1, c2, c3, c4) AS level_once,
       mops.window_funnel(w, 'strict_once,strict_increase,strict_deduplication', ts, c1, c2, c3, c4) AS level_combo,
       mops.funnel_steps(w, 'strict_once', ts, c1, c2, c3, c4) AS steps_once
  FROM prop_events CROSS JOIN prop_windows
 GROUP BY g, w;

SELECT is((SELECT count(*)::int FROM prop_levels), 1800, '300 groups x 6 windows');

-- The fixed-arity overloads (what the calls above resolve to) against the
-- VARIADIC forms, on the same groups: every mode, 1 to 8 steps (steps 5 to 8
-- repeat conditions 1 to 4, so later steps also match), window_funnel and
-- funnel_steps.  Both go through the same core; this checks the argument
-- path (NULL conditions are false, the step count comes from the arity).
CREATE FUNCTION pg_temp.overload_differences() RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    conds text[] := ARRAY['c1', 'c2', 'c3', 'c4', 'c1', 'c2', 'c3', 'c4'];
    modes text[] := ARRAY[NULL, 'strict_order', 'strict_order,allow_reentry', 'strict_deduplication',
                          'strict_increase', 'strict_once', 'strict_once,strict_increase,strict_deduplication'];
    args text;
    head text;
    differ bigint;
    bad text[] := ARRAY[]::text[];
BEGIN
    FOR n IN 1 .. 8 LOOP
        args := array_to_string(conds[1:n], ', ');
        FOR m IN 1 .. cardinality(modes) LOOP
            head := 'w, ' || coalesce(quote_literal(modes[m]) || ', ', '') || 'ts, ';
            EXECUTE format('SELECT count(*) FROM (
                                SELECT g, w,
                                       mops.window_funnel(%1$s%2$s) AS l1,
                                       mops.window_funnel(%1$sVARIADIC ARRAY[%2$s]) AS l2,
                                       mops.funnel_steps(%1$s%2$s) AS s1,
                                       mops.funnel_steps(%1$sVARIADIC ARRAY[%2$s]) AS s2
                                  FROM prop_events CROSS JOIN prop_windows GROUP BY g, w) q
                             WHERE l1 IS DISTINCT FROM l2 OR s1 IS DISTINCT FROM s2', head, args)
                INTO differ;
            IF differ <> 0 THEN
                bad := bad || format('%s steps, mode %s: %s groups', n, coalesce(modes[m], '(none)'), differ);
            END IF;
        END LOOP;
    END LOOP;
    RETURN bad;
END
$$;
SELECT is(pg_temp.overload_differences(), ARRAY[]::text[],
          'the fixed-arity overloads give the VARIADIC forms'' level and steps for 1 to 8 steps, every mode, every group and window');

-- Which form a call resolves to: written-out conditions (1 to 8) take the
-- overload, 9 or more and an explicit VARIADIC array the VARIADIC form.
CREATE FUNCTION pg_temp.resolved(call text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    fn text;
BEGIN
    EXECUTE format('CREATE TEMP VIEW resolved_v AS SELECT %s AS x FROM prop_events', call);
    SELECT d.refobjid::regprocedure::text INTO fn
      FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
      JOIN pg_proc p ON p.oid = d.refobjid
     WHERE d.classid = 'pg_rewrite'::regclass AND r.ev_class = 'resolved_v'::regclass
       AND d.refclassid = 'pg_proc'::regclass AND p.proname IN ('window_funnel', 'funnel_steps');
    DROP VIEW resolved_v;
    RETURN fn;
END
$$;
SELECT is(pg_temp.resolved($$mops.window_funnel('1 hour', ts, c1, c2, c3, c4)$$),
          'mops.window_funnel(interval,timestamp with time zone,boolean,boolean,boolean,boolean)',
          'four written-out conditions resolve to the 4-step overload');
SELECT is(pg_temp.resolved($$mops.funnel_steps('1 hour', 'strict_order', ts, c1, NULL)$$),
          'mops.funnel_steps(interval,text,timestamp with time zone,boolean,boolean)',
          'a mode and two conditions (one a NULL literal) resolve to the 2-step overload with a mode');
SELECT is(pg_temp.resolved($$mops.window_funnel('1 hour', ts, c1, c2, c3, c4, c1, c2, c3, c4, c1)$$),
          'mops.window_funnel(interval,timestamp with time zone,boolean[])',
          'nine conditions resolve to the VARIADIC form');
SELECT is(pg_temp.resolved($$mops.window_funnel('1 hour', ts, VARIADIC ARRAY[c1, c2])$$),
          'mops.window_funnel(interval,timestamp with time zone,boolean[])',
          'an explicit VARIADIC array resolves to the VARIADIC form');
SELECT cmp_ok((SELECT count(DISTINCT level)::int FROM prop_levels WHERE w = '100 years'), '=', 5,
              'the groups cover every level 0..4 (with an unbounded window)');

SELECT is((SELECT array_agg(g ORDER BY g) FROM prop_levels
            WHERE w = '100 years' AND level <> pg_temp.prefix_level(g)),
          NULL, 'unbounded window: the level is the longest prefix of the steps occurring in (ts, step) order');
SELECT is((SELECT array_agg(format('%s/%s', g, w) ORDER BY g, w) FROM prop_levels
            WHERE level <> pg_temp.window_level(g, w)),
          NULL, 'every window: the level is the best chain over all step-1 events (oracle)');
SELECT is((SELECT array_agg(format('%s/%s<%s', a.g, a.w, b.w) ORDER BY a.g, a.w, b.w)
             FROM prop_levels a JOIN prop_levels b ON a.g = b.g AND a.w < b.w
            WHERE a.level > b.level),
          NULL, 'a larger window never lowers the level');
SELECT is((SELECT array_agg(format('%s/%s', g, w) ORDER BY g, w) FROM prop_levels
            WHERE level NOT BETWEEN 0 AND 4 OR level_order NOT BETWEEN 0 AND 4
               OR level_reentry NOT BETWEEN 0 AND 4 OR level_dedup NOT BETWEEN 0 AND 4
               OR level_increase NOT BETWEEN 0 AND 4 OR level_once NOT BETWEEN 0 AND 4
               OR level_combo NOT BETWEEN 0 AND 4),
          NULL, '0 <= level <= N in every mode');
SELECT is((SELECT array_agg(format('%s/%s', g, w) ORDER BY g, w) FROM prop_levels
            WHERE level_order > level OR level_reentry > level OR level_dedup > level
               OR level_increase > level OR level_once > level OR level_combo > level),
          NULL, 'no mode reaches a higher level than the default (they only stop earlier or refuse steps)');
SELECT is((SELECT array_agg(format('%s/%s', g, w) ORDER BY g, w) FROM prop_levels
            WHERE level_order > level_reentry),
          NULL, 'allow_reentry never lowers strict_order''s level');
-- (Not above each of its parts: with strict_once a row 'AB' never reaches
-- B, so a later B is no repeat for strict_deduplication, and strict_once
-- follows every chain where strict_increase alone keeps one per level.)
SELECT is((SELECT array_agg(format('%s/%s', g, w) ORDER BY g, w) FROM prop_levels
            WHERE level_combo > level_once),
          NULL, 'strict_increase and strict_deduplication added to strict_once never raise its level');
SELECT is((SELECT array_agg(format('%s/%s', g, w) ORDER BY g, w) FROM prop_levels
            WHERE cardinality(steps) <> level OR cardinality(steps_once) <> level_once),
          NULL, 'funnel_steps has as many timestamps as the level');
SELECT is((SELECT array_agg(format('%s/%s', g, w) ORDER BY g, w) FROM prop_levels l
            WHERE EXISTS (SELECT 1 FROM unnest(l.steps) WITH ORDINALITY s(t, o)
                           WHERE t - l.steps[1] > l.w OR (o > 1 AND t < l.steps[o - 1])
                              OR NOT EXISTS (SELECT 1 FROM prop_pairs p
                                              WHERE p.g = l.g AND p.ts = t AND p.step = o))),
          NULL, 'funnel_steps: step k is at the timestamp of a row satisfying step k, in order, within the window');

-- Groups where no row satisfies two steps: strict_once has nothing to change.
CREATE TEMP VIEW prop_single AS
SELECT g FROM prop_events GROUP BY g
HAVING bool_and(ts IS NULL OR (coalesce(c1, false)::int + coalesce(c2, false)::int
                               + coalesce(c3, false)::int + coalesce(c4, false)::int) <= 1);
SELECT is((SELECT array_agg(format('%s/%s', g, w) ORDER BY g, w) FROM prop_levels
            WHERE g IN (SELECT g FROM prop_single) AND level_once <> level),
          NULL, 'no row satisfying two steps: strict_once gives the default level');
SELECT is((SELECT array_agg(format('%s/%s: %s vs %s', g, w, steps_once, steps) ORDER BY g, w) FROM prop_levels
            WHERE g IN (SELECT g FROM prop_single) AND steps_once IS DISTINCT FROM steps),
          NULL, 'no row satisfying two steps: strict_once gives the default funnel_steps');

-- The order in which rows reach the aggregate does not matter, in any mode.
SELECT is((SELECT array_agg(format('%s %s', g, m) ORDER BY g, m)
             FROM (SELECT g, m,
                          mops.window_funnel('5 minutes', m, ts, c1, c2, c3, c4 ORDER BY ts, i) AS a,
                          mops.window_funnel('5 minutes', m, ts, c1, c2, c3, c4 ORDER BY ts DESC, i DESC) AS b,
                          mops.window_funnel('5 minutes', m, ts, c1, c2, c3, c4 ORDER BY shuffle) AS c,
                          mops.funnel_steps('5 minutes', m, ts, c1, c2, c3, c4 ORDER BY ts, i) AS sa,
                          mops.funnel_steps('5 minutes', m, ts, c1, c2, c3, c4 ORDER BY shuffle) AS sc
                     FROM prop_events
                    CROSS JOIN unnest(ARRAY['', 'strict_order', 'strict_order,allow_reentry', 'strict_deduplication',
                                            'strict_increase', 'strict_once']) m
                    GROUP BY g, m) r
            WHERE a <> b OR a <> c OR sa IS DISTINCT FROM sc),
          NULL, 'the answer does not depend on the order of the rows (every mode)');

-- retention over the same groups: r_k <= r_1, and the definition.
CREATE TEMP TABLE prop_retention ON COMMIT DROP AS
SELECT g, mops.retention(c1, c2, c3, c4) AS r,
       ARRAY[coalesce(bool_or(c1), false),
             coalesce(bool_or(c1) AND bool_or(c2), false),
             coalesce(bool_or(c1) AND bool_or(c3), false),
             coalesce(bool_or(c1) AND bool_or(c4), false)] AS oracle
  FROM prop_events GROUP BY g;
SELECT is((SELECT array_agg(g ORDER BY g) FROM prop_retention
            WHERE cardinality(r) <> 4 OR EXISTS (SELECT 1 FROM generate_series(2, 4) k WHERE r[k] AND NOT r[1])),
          NULL, 'retention: four elements and r_k <= r_1 in every group');
SELECT is((SELECT array_agg(g ORDER BY g) FROM prop_retention WHERE r IS DISTINCT FROM oracle),
          NULL, 'retention = [any c1, any c1 AND any ck] (NULL as false) in every group');
SELECT is((SELECT array_agg(g ORDER BY g)
             FROM (SELECT g, mops.retention(c1, c2, c3, c4 ORDER BY shuffle) AS a,
                          mops.retention(c1, c2, c3, c4 ORDER BY shuffle DESC) AS b
                     FROM prop_events GROUP BY g) r
            WHERE a IS DISTINCT FROM b),
          NULL, 'retention does not depend on the order of the rows');

-- ---------------------------------------------------------------------------
-- Empty groups
-- ---------------------------------------------------------------------------
SELECT is((SELECT mops.window_funnel('1 hour', ts, c1, c2) FROM prop_events WHERE false), 0,
          'window_funnel of no rows is 0');
SELECT is((SELECT mops.window_funnel('1 hour', 'strict_order', ts, c1, c2) FROM prop_events WHERE false), 0,
          'window_funnel with a mode of no rows is 0');
SELECT is((SELECT mops.funnel_steps('1 hour', ts, c1, c2) FROM prop_events WHERE false), '{}'::timestamptz[],
          'funnel_steps of no rows is the empty array');
-- No rows: NULL, like PostgreSQL's own aggregates, in every plan (the final
-- step of a parallel plan cannot know the number of conditions).
SELECT is((SELECT mops.retention(c1, c2, c3) FROM prop_events WHERE false), NULL::boolean[],
          'retention of no rows is NULL');
SELECT is((SELECT mops.retention(true, true) FROM prop_events WHERE false), NULL::boolean[],
          'retention of no rows is NULL, with constant conditions too');
SELECT is((SELECT mops.retention(c1, c2 ORDER BY i) FROM prop_events WHERE false), NULL::boolean[],
          'retention of no rows is NULL, with an ORDER BY in the call too');
SELECT is((SELECT mops.window_funnel('1 hour', ts, c1, c2) FROM prop_events WHERE ts IS NULL), 0,
          'window_funnel of rows that all have NULL timestamps is 0');

SELECT * FROM finish();
ROLLBACK;
