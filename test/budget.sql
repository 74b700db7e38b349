-- pgTAP: budget_pacing, budget_forecast, budget_accuracy and path_prefixes
-- (DESIGN §3.7; doc/budget.md): signatures, every error with its SQLSTATE
-- and the accepted neighbours of the errors, then properties over 500
-- pseudo-random budgets and 200 random paths (fixed seed) checked against
-- oracles written here in SQL from the DESIGN formulas.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SET LOCAL search_path = public, pg_catalog;

SELECT plan(44);

\ir lib/diag.sql

-- ---------------------------------------------------------------------------
-- Signatures
-- ---------------------------------------------------------------------------
SELECT has_function('mops', 'budget_pacing', ARRAY['numeric', 'numeric', 'daterange', 'date']);
SELECT function_returns('mops', 'budget_pacing', ARRAY['numeric', 'numeric', 'daterange', 'date'], 'numeric');
SELECT has_function('mops', 'budget_forecast', ARRAY['numeric', 'daterange', 'date']);
SELECT function_returns('mops', 'budget_forecast', ARRAY['numeric', 'daterange', 'date'], 'numeric');
SELECT has_function('mops', 'budget_accuracy', ARRAY['numeric', 'numeric']);
SELECT function_returns('mops', 'budget_accuracy', ARRAY['numeric', 'numeric'], 'numeric');
SELECT has_function('mops', 'path_prefixes', ARRAY['text[]']);
SELECT function_returns('mops', 'path_prefixes', ARRAY['text[]'], 'setof text[]');
SELECT is((SELECT array_agg(p.proname::text || ' ' || p.provolatile::text || p.proisstrict::text || l.lanname::text
                            ORDER BY p.proname)
             FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
            WHERE p.pronamespace = 'mops'::regnamespace
              AND p.proname IN ('budget_pacing', 'budget_forecast', 'budget_accuracy', 'path_prefixes')),
          ARRAY['budget_accuracy itruec', 'budget_forecast itruec', 'budget_pacing itruec', 'path_prefixes itruec'],
          'the budget functions are C, IMMUTABLE and STRICT (usable per row in views, inlined or not)');
SELECT is((SELECT array_agg(p.proargnames::text ORDER BY p.proname)
             FROM pg_proc p
            WHERE p.pronamespace = 'mops'::regnamespace
              AND p.proname IN ('budget_pacing', 'budget_forecast', 'budget_accuracy')),
          ARRAY['{planned,actual}', '{spent,period,as_of}', '{spent,planned,period,as_of}'],
          'argument names as in DESIGN 3.7');

-- ---------------------------------------------------------------------------
-- Errors and their neighbours
-- ---------------------------------------------------------------------------
\set q1 'daterange(''2026-01-01'', ''2026-04-01'')'
SELECT throws_ok(format($$SELECT mops.budget_pacing(1, -0.01, %s, '2026-02-01')$$, :'q1'), '22023',
                 'budget_pacing: planned budget must not be negative', 'pacing: a negative plan is 22023');
SELECT is(mops.budget_pacing(1, 0, daterange('2026-01-01', '2026-04-01'), '2026-02-01'), NULL,
          'pacing: planned 0 gives NULL');
SELECT throws_ok($$SELECT mops.budget_accuracy(-0.01, 1)$$, '22023',
                 'budget_accuracy: planned budget must not be negative', 'accuracy: a negative plan is 22023');
SELECT is(mops.budget_accuracy(0, 1), NULL, 'accuracy: planned 0 gives NULL');
SELECT throws_ok($$SELECT mops.budget_pacing(1, 1, 'empty', '2026-02-01')$$, '22023',
                 'budget period is empty', 'pacing: an empty period is 22023');
SELECT throws_ok($$SELECT mops.budget_forecast(1, daterange('2026-02-01', '2026-02-01'), '2026-02-01')$$, '22023',
                 'budget period is empty', 'forecast: an empty period is 22023');
SELECT is((pg_temp.diag($$SELECT mops.budget_forecast(1, 'empty', '2026-02-01')$$))[4],
          'Give the period as a daterange with two finite bounds and at least one day, e.g. daterange(''2026-01-01'', ''2026-04-01'') for the first quarter of 2026.',
          'period errors: the hint shows a valid period');
SELECT throws_ok($$SELECT mops.budget_pacing(1, 1, daterange(NULL, '2026-04-01'), '2026-02-01')$$, '22023',
                 'budget period must have a lower and an upper bound', 'pacing: no lower bound is 22023');
SELECT throws_ok($$SELECT mops.budget_pacing(1, 1, daterange('2026-01-01', NULL), '2026-02-01')$$, '22023',
                 'budget period must have a lower and an upper bound', 'pacing: no upper bound is 22023');
SELECT throws_ok($$SELECT mops.budget_forecast(1, daterange(NULL, NULL), '2026-02-01')$$, '22023',
                 'budget period must have a lower and an upper bound', 'forecast: no bounds is 22023');
SELECT throws_ok($$SELECT mops.budget_pacing(1, 1, daterange('-infinity', '2026-04-01'), '2026-02-01')$$, '22023',
                 'budget period must have finite bounds', 'pacing: a -infinity bound is 22023');
SELECT throws_ok($$SELECT mops.budget_forecast(1, daterange('2026-01-01', 'infinity'), '2026-02-01')$$, '22023',
                 'budget period must have finite bounds', 'forecast: an infinity bound is 22023');
SELECT throws_ok($$SELECT mops.path_prefixes('{{a,b},{c,d}}')$$, '22023',
                 'path_prefixes takes a one-dimensional array', 'path_prefixes: 2 dimensions is 22023');
SELECT throws_ok($$SELECT mops.path_prefixes('{{{a}}}')$$, '22023',
                 'path_prefixes takes a one-dimensional array', 'path_prefixes: 3 dimensions is 22023');
SELECT is(mops.budget_pacing(5, 10, '[2026-01-01,2026-01-01]', '2026-01-02'), 0.5,
          'a one-day period, inclusive spelling: elapsed 1 the next day');
SELECT is(mops.budget_pacing(5, 10, daterange('2026-01-01', '2026-01-02'), '2026-01-01'), NULL,
          'a one-day period: elapsed 0 on its day');
SELECT is(mops.budget_forecast(5, daterange('2026-01-01', '2026-01-31'), 'infinity'), 5::numeric,
          'as_of infinity: after the period, forecast = spent');
SELECT is(mops.budget_forecast(5, daterange('2026-01-01', '2026-01-31'), '-infinity'), NULL,
          'as_of -infinity: before the period, NULL');
SELECT is(mops.budget_pacing(5, 'Infinity', daterange('2026-01-01', '2026-01-31'), '2026-01-16'), 0::numeric,
          'an infinite plan follows numeric arithmetic: pacing 0');
SELECT is(mops.budget_accuracy('NaN', 1), 'NaN'::numeric, 'a NaN plan follows numeric arithmetic: NaN');
SELECT is((SELECT count(*) FROM mops.path_prefixes('{}')), 0::bigint, 'path_prefixes of {} has no rows');
SELECT is((SELECT array_agg(p::text) FROM mops.path_prefixes('{a,NULL}') p), ARRAY['{a}', '{a,NULL}'],
          'path_prefixes keeps NULL elements');

-- ---------------------------------------------------------------------------
-- Properties over 500 random budgets
-- ---------------------------------------------------------------------------
SELECT setseed(0.2026);
-- Periods of 1-400 days starting in 2020-2030 (leap years included); as_of
-- from 40 days before to 40 days after; spent from −100 to 100000 with 0-2
-- decimals; planned 0 (one in ten) or 1 to 100000.
CREATE TEMP TABLE rb ON COMMIT DROP AS
SELECT i, lo, lo + len AS up, lo + (floor(random() * (len + 81))::int - 40 + 0 * i) AS as_of,
       round((random() * 100100 - 100)::numeric, floor(random() * 3)::int) AS spent,
       CASE WHEN random() < 0.1 THEN 0 ELSE round((1 + random() * 99999)::numeric, 2) END AS planned,
       round((random() * 120000)::numeric, 2) AS actual
  FROM (SELECT i, date '2020-01-01' + floor(random() * 3650)::int AS lo,
               1 + floor(random() * 400)::int AS len
          FROM generate_series(1, 500) i) x;
-- elapsed by DESIGN: (as_of − lower) / (upper − lower) in days, clamped to 0…1
CREATE TEMP VIEW rb_oracle AS
SELECT *, greatest(0, least(1, (as_of - lo)::numeric / (up - lo))) AS elapsed,
       mops.budget_pacing(spent, planned, daterange(lo, up), as_of) AS pacing,
       mops.budget_forecast(spent, daterange(lo, up), as_of) AS forecast,
       mops.budget_accuracy(planned, actual) AS accuracy
  FROM rb;

SELECT ok((SELECT count(*) FILTER (WHERE as_of < lo) > 0 AND count(*) FILTER (WHERE as_of > up) > 0
                  AND count(*) FILTER (WHERE as_of = lo) > 0 AND count(*) FILTER (WHERE planned = 0) > 0
             FROM rb), 'the random budgets include as_of before, at and after the period, and zero plans');
SELECT is((SELECT count(*) FROM rb_oracle
            WHERE (pacing IS NULL) IS DISTINCT FROM (elapsed = 0 OR planned = 0)),
          0::bigint, 'pacing is NULL exactly when elapsed is 0 or planned is 0');
SELECT is((SELECT count(*) FROM rb_oracle
            WHERE abs(pacing - spent / nullif(planned * elapsed, 0)) > 1e-12 * greatest(1, abs(pacing))),
          0::bigint, 'pacing = spent / (planned × elapsed)');
SELECT is((SELECT count(*) FROM rb_oracle WHERE (forecast IS NULL) IS DISTINCT FROM (elapsed = 0)),
          0::bigint, 'forecast is NULL exactly when elapsed is 0');
SELECT is((SELECT count(*) FROM rb_oracle
            WHERE abs(forecast - spent / nullif(elapsed, 0)) > 1e-12 * greatest(1, abs(forecast))),
          0::bigint, 'forecast = spent / elapsed');
SELECT is((SELECT count(*) FROM rb_oracle WHERE as_of >= up AND forecast <> spent),
          0::bigint, 'forecast = spent from the end of the period on (elapsed clamped to 1)');
SELECT is((SELECT count(*) FROM rb_oracle
            WHERE planned > 0 AND forecast IS NOT NULL
              AND abs(pacing - forecast / nullif(planned, 0)) > 1e-12 * greatest(1, abs(pacing))),
          0::bigint, 'pacing = forecast / planned');
SELECT is((SELECT count(*) FROM rb_oracle
            WHERE (accuracy IS NULL) IS DISTINCT FROM (planned = 0)
               OR abs(accuracy - (1 - abs(actual - planned) / nullif(planned, 0))) > 1e-12 * greatest(1, abs(accuracy))),
          0::bigint, 'accuracy = 1 − |actual − planned| / planned (NULL for planned 0)');
SELECT is((SELECT count(*) FROM rb
            WHERE planned > 0
              AND mops.budget_accuracy(planned, planned + actual) <> mops.budget_accuracy(planned, planned - actual)),
          0::bigint, 'accuracy treats overspending and underspending alike');
SELECT is((SELECT count(*) FROM rb_oracle WHERE accuracy > 1 OR pacing::text LIKE '%.%0'),
          0::bigint, 'accuracy is at most 1; results carry no trailing zeros');

-- ---------------------------------------------------------------------------
-- path_prefixes over 200 random paths
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE rp ON COMMIT DROP AS
SELECT i, ARRAY(SELECT CASE WHEN random() < 0.1 THEN NULL ELSE 'l' || floor(random() * 5 + 0 * i)::int END
                  FROM generate_series(1, floor(random() * 7 + 0 * i)::int)) AS path
  FROM generate_series(1, 200) i;
SELECT results_eq(
    $$SELECT i, n::int, prefix FROM rp, mops.path_prefixes(path) WITH ORDINALITY AS p(prefix, n) ORDER BY i, n$$,
    $$SELECT i, k, path[1:k] FROM rp, generate_series(1, cardinality(path)) k ORDER BY i, k$$,
    'path_prefixes(path) yields path[1:k] for k = 1 … cardinality(path), in that order');
SELECT ok((SELECT count(*) FILTER (WHERE cardinality(path) = 0) > 0 AND count(*) FILTER (WHERE array_position(path, NULL) IS NOT NULL) > 0
             FROM rp), 'the random paths include empty paths and NULL elements');

SELECT * FROM finish();
ROLLBACK;
