-- pgTAP: attribute() and the Markov functions (DESIGN §3.4; the rounding of
-- credits is fixed by src/core/attribution.h, the model by src/core/markov.h):
-- every error of sql/attribution.sql and sql/markov.sql with its SQLSTATE and
-- primary message, and properties over pseudo-random paths generated here
-- (md5 hashes, so every run sees the same data).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SET LOCAL search_path = public, pg_catalog;
SET LOCAL timezone = 'UTC';
SET LOCAL intervalstyle = 'postgres';

SELECT plan(120);

-- diag(sql): {sqlstate, message, detail, hint} of the error sql raises
\ir lib/diag.sql

-- h(g, i, k): a deterministic 28-bit hash.
CREATE FUNCTION pg_temp.h(g int, i int, k int) RETURNS int
LANGUAGE sql IMMUTABLE AS $$
    SELECT ('x' || substr(md5(g || ':' || i || ':' || k), 1, 7))::bit(28)::int
$$;

\set models_detail 'The models are first_touch, last_touch, last_non_direct, linear, position_based (alias u_shaped), time_decay and shapley_simplified.'

-- ---------------------------------------------------------------------------
-- Signatures
-- ---------------------------------------------------------------------------
SELECT has_function('mops', 'attribute',
                    ARRAY['mops.touch_path', 'text', 'numeric', 'timestamp with time zone', 'interval'],
                    'attribute(touch_path, text, numeric, timestamptz, interval) exists');
SELECT is_aggregate('mops', 'markov_fit', ARRAY['mops.touch_path', 'double precision', 'double precision', 'double precision'],
                    'markov_fit(path, conversions, value, non_conversions) is an aggregate');
SELECT is_aggregate('mops', 'markov_fit', ARRAY['mops.touch_path', 'double precision', 'double precision', 'double precision', 'integer'],
                    'markov_fit(…, order) is an aggregate');
SELECT is_aggregate('mops', 'markov_merge_agg', ARRAY['mops.markov_model'], 'markov_merge_agg is an aggregate');
SELECT has_function('mops', 'markov_merge', ARRAY['mops.markov_model', 'mops.markov_model'], 'markov_merge exists');
SELECT has_function('mops', 'markov_attribution', ARRAY['mops.markov_model'], 'markov_attribution exists');

-- ---------------------------------------------------------------------------
-- attribute: errors
-- ---------------------------------------------------------------------------
SELECT throws_ok(sql, code, msg, descr)
  FROM (VALUES
    (1, $$SELECT * FROM mops.attribute('a > b', 'nosuch')$$, '22023',
        'unknown attribution model "nosuch"', 'attribute: unknown model'),
    (2, $$SELECT * FROM mops.attribute('a > b', '')$$, '22023',
        'unknown attribution model ""', 'attribute: empty model name'),
    (3, $$SELECT * FROM mops.attribute(NULL, 'nosuch')$$, '22023',
        'unknown attribution model "nosuch"', 'attribute: unknown model with a NULL path'),
    (4, $$SELECT * FROM mops.attribute('a > b', NULL)$$, '22004',
        'attribute: model must not be NULL', 'attribute: NULL model'),
    (5, $$SELECT * FROM mops.attribute('a > b', 'linear', NULL)$$, '22004',
        'attribute: value must not be NULL', 'attribute: NULL value'),
    (6, $$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00', 'time_decay', 1, NULL, NULL)$$, '22004',
        'attribute: half_life must not be NULL', 'attribute: NULL half_life for time_decay (the other models ignore it)'),
    (7, $$SELECT * FROM mops.attribute('a > b', 'linear', -1)$$, '22023',
        'attribute: value must not be negative', 'attribute: negative value'),
    (8, $$SELECT * FROM mops.attribute('a > b', 'linear', 'NaN')$$, '22023',
        'attribute: value must be a finite number', 'attribute: NaN value'),
    (9, $$SELECT * FROM mops.attribute('a > b', 'linear', 'Infinity')$$, '22023',
        'attribute: value must be a finite number', 'attribute: infinite value'),
    (10, $$SELECT * FROM mops.attribute('a > b', 'linear', '-Infinity')$$, '22023',
        'attribute: value must be a finite number', 'attribute: minus infinity'),
    (11, $$SELECT * FROM mops.attribute('a > b', 'time_decay')$$, '22023',
        'the time_decay model needs a time on every touch', 'attribute: time_decay without times'),
    (12, $$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00 > b', 'time_decay')$$, '22023',
        'the time_decay model needs a time on every touch', 'attribute: time_decay with a touch without a time'),
    (13, $$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00 > b@2026-01-02 00:00:00+00', 'time_decay', 1,
                                        '2026-01-01 12:00:00+00')$$, '22023',
        'a touch is later than conversion_at', 'attribute: conversion_at before the last touch'),
    (14, $$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00', 'time_decay', 1, NULL, '0')$$, '22023',
        'attribute: half_life must be positive', 'attribute: zero half_life'),
    (15, $$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00', 'time_decay', 1, NULL, '-1 day')$$, '22023',
        'attribute: half_life must be positive', 'attribute: negative half_life'),
    (16, $$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00', 'time_decay', 1, NULL, '1 mon -30 days')$$, '22023',
        'attribute: half_life must be positive', 'attribute: half_life of zero with months as 30 days'),
    (17, $$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00', 'time_decay', 1, 'infinity')$$, '22008',
        'attribute: conversion_at must be finite', 'attribute: infinite conversion_at')
  ) AS t(n, sql, code, msg, descr)
 ORDER BY n;

SELECT is(pg_temp.diag($$SELECT * FROM mops.attribute('a > b', 'Nope')$$),
          ARRAY['22023', 'unknown attribution model "Nope"', :'models_detail', NULL],
          'attribute: the detail of an unknown model lists the models');
SELECT is(pg_temp.diag($$SELECT * FROM mops.attribute('a > b', 'linear', -2.5)$$),
          ARRAY['22023', 'attribute: value must not be negative',
                'The value was -2.5; credits are shares of a conversion value of zero or more.', NULL],
          'attribute: the detail of a negative value shows it');
SELECT is(pg_temp.diag($$SELECT * FROM mops.attribute('a > b', 'time_decay')$$),
          ARRAY['22023', 'the time_decay model needs a time on every touch',
                'The path has touches without a time.',
                'Build paths with path_agg(channel, ts) or write times as channel@2026-01-01 10:00:00+00.'],
          'attribute: time_decay without times: detail and hint');
SELECT is(pg_temp.diag($$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00', 'time_decay', 1, NULL, '-1 day')$$),
          ARRAY['22023', 'attribute: half_life must be positive', 'The half-life was -1 days.', NULL],
          'attribute: the detail of a bad half_life shows it');
-- the valid neighbours of the errors
SELECT lives_ok($$SELECT * FROM mops.attribute('a > b', ' Position-Based ')$$, 'attribute: model names are case- and separator-insensitive');
SELECT lives_ok($$SELECT * FROM mops.attribute('a > b', 'linear', 0)$$, 'attribute: a zero value');
SELECT lives_ok($$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00', 'time_decay', 1, '2026-01-01 00:00:00+00', '1 microsecond')$$,
                'attribute: conversion_at at the last touch, the smallest half_life');
SELECT is((SELECT count(*) FROM mops.attribute(NULL, 'linear')), 0::bigint, 'attribute: a NULL path gives no rows');
SELECT is((SELECT count(*) FROM mops.attribute('', 'time_decay')), 0::bigint, 'attribute: the empty path gives no rows');

-- ---------------------------------------------------------------------------
-- Markov: errors
-- ---------------------------------------------------------------------------
SELECT throws_ok(sql, code, msg, descr)
  FROM (VALUES
    (1, $$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, 1, 0)$$, '22023',
        'markov_fit: order must be at least 1', 'markov_fit: order 0'),
    (2, $$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, 1, -1)$$, '22023',
        'markov_fit: order must be at least 1', 'markov_fit: negative order'),
    (3, $$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, 1, 5)$$, '54000',
        'markov_fit: order 5 is too high', 'markov_fit: order 5'),
    (4, $$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, 1, NULL)$$, '22004',
        'markov_fit: order must not be NULL', 'markov_fit: NULL order'),
    (5, $$SELECT mops.markov_fit('a'::mops.touch_path, NULL, 1, 1)$$, '22004',
        'markov_fit: conversions must not be NULL', 'markov_fit: NULL conversions'),
    (6, $$SELECT mops.markov_fit('a'::mops.touch_path, 1, NULL, 1)$$, '22004',
        'markov_fit: value must not be NULL', 'markov_fit: NULL value'),
    (7, $$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, NULL)$$, '22004',
        'markov_fit: non_conversions must not be NULL', 'markov_fit: NULL non_conversions'),
    (8, $$SELECT mops.markov_fit('a'::mops.touch_path, -1, 1, 1)$$, '22023',
        'markov_fit: conversions must be finite and not negative', 'markov_fit: negative conversions'),
    (9, $$SELECT mops.markov_fit('a'::mops.touch_path, 1, -0.5, 1)$$, '22023',
        'markov_fit: value must be finite and not negative', 'markov_fit: negative value'),
    (10, $$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, -1)$$, '22023',
        'markov_fit: non_conversions must be finite and not negative', 'markov_fit: negative non_conversions'),
    (11, $$SELECT mops.markov_fit('a'::mops.touch_path, 'NaN', 1, 1)$$, '22023',
        'markov_fit: conversions must be finite and not negative', 'markov_fit: NaN conversions'),
    (12, $$SELECT mops.markov_fit('a'::mops.touch_path, 1, 'NaN', 1)$$, '22023',
        'markov_fit: value must be finite and not negative', 'markov_fit: NaN value'),
    (13, $$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, 'NaN')$$, '22023',
        'markov_fit: non_conversions must be finite and not negative', 'markov_fit: NaN non_conversions'),
    (14, $$SELECT mops.markov_fit('a'::mops.touch_path, 'Infinity', 1, 1)$$, '22023',
        'markov_fit: conversions must be finite and not negative', 'markov_fit: infinite conversions'),
    (15, $$SELECT mops.markov_fit('a'::mops.touch_path, 1, '-Infinity', 1)$$, '22023',
        'markov_fit: value must be finite and not negative', 'markov_fit: minus infinite value'),
    (16, $$SELECT mops.markov_fit('a'::mops.touch_path, 1e21, 1, 1)$$, '22003',
        'markov_fit: conversions out of range', 'markov_fit: a count beyond 3.4e20'),
    (17, $$SELECT mops.markov_fit(p::mops.touch_path, 1, 1, 1, k) FROM (VALUES ('a', 1), ('b', 2)) t(p, k)$$, '22023',
        'markov_fit: the order must be the same for every row of a group', 'markov_fit: varying order in a group'),
    (18, $$SELECT mops.markov_merge('order 1; start > "a" 1; "a" > null 1', 'order 2; start > "a" 1; "a" > null 1')$$, '22023',
        'cannot merge markov models of different orders', 'markov_merge: different orders'),
    (19, $$SELECT mops.markov_merge_agg(m::mops.markov_model)
           FROM (VALUES ('order 1; start > "a" 1; "a" > null 1'), ('order 3; start > "a" 1; "a" > null 1')) t(m)$$, '22023',
        'cannot merge markov models of different orders', 'markov_merge_agg: different orders'),
    (20, $$SELECT mops.markov_fit(('c' || i)::mops.touch_path, 1, 0, 0) FROM generate_series(1, 10001) i$$, '54000',
        'markov model has too many states', 'markov_fit: 10,001 states at order 1'),
    (21, $$SELECT mops.markov_fit(p, 1, 1, 1, 4) FROM (
             SELECT string_agg('c' || get_byte(decode(md5(i || ':' || j), 'hex'), 0) % 20, ' > ' ORDER BY j)::mops.touch_path AS p
             FROM generate_series(1, 4000) i, generate_series(1, 6) j GROUP BY i) s$$, '54000',
        'markov model has too many states', 'markov_fit: more than 10,000 states at order 4'),
    (22, $$SELECT ('order 1' || string_agg(format('; start > "c%s" 1; "c%s" > null 1', i, i), ''))::mops.markov_model
           FROM generate_series(1, 10001) i$$, '54000',
        'markov model has too many states', 'markov_model literal with 10,001 states'),
    (23, $$SELECT 'order 1; start > "a" 1e21; "a" > null 1'::mops.markov_model$$, '22003',
        'markov model count out of range', 'markov_model literal with a count beyond 3.4e20')
  ) AS t(n, sql, code, msg, descr)
 ORDER BY n;

-- Malformed markov_model literals: 22P02, the literal in the message.
SELECT throws_ok(format('SELECT %L::mops.markov_model', lit), '22P02',
                 format('invalid input syntax for type markov_model: "%s"', lit),
                 format('markov_model literal %L (%s)', lit, why))
  FROM (VALUES
    (1, '', 'empty'),
    (2, 'start > "a" 1; "a" > null 1', 'missing order'),
    (3, 'order 9; start > "a" 1; "a" > null 1', 'order 9'),
    (4, 'order 0', 'order 0'),
    (5, 'order 12', 'order 12'),
    (6, 'order 1; start > a 1; a > null 1', 'unquoted label'),
    (7, 'order 1; start > "a" 1; "a" > nowhere 1', 'unknown target'),
    (8, 'order 1; start > "a" 0; "a" > null 1', 'zero count'),
    (9, 'order 1; start > "a" -1; "a" > null 1', 'negative count'),
    (10, 'order 1; start > "a" 1; "a" > "b" 1; "b" > "a" 1', 'a chain that is not absorbing'),
    (11, 'order 1; start > "a" 1; "a" > null 1; "c" > "c" 1', 'a state that cannot reach an end'),
    (12, 'order 1; start > conversion 1', 'start to conversion'),
    (13, 'order 1; start value 3', 'a value on start'),
    (14, 'order 1; start > "a","b" 1; "a","b" > null 1', 'a state longer than the order'),
    (15, 'order 2; start > "a","a" 1; "a","a" > null 1', 'a repeat within a state'),
    (16, 'order 1; start > "a>b" 1; "a>b" > null 1', '">" in a label'),
    (17, 'order 1; start > "" 1; "" > null 1', 'empty label'),
    (18, 'order 1; start > "a" 1; "a" > null 1 extra', 'trailing text'),
    (19, 'order 1; start > "a 1; "a" > null 1', 'unterminated label'),
    (20, 'order 1; "a" > start 1', 'start as a target')
  ) AS t(n, lit, why)
 ORDER BY n;
SELECT is(pg_temp.diag($$SELECT 'order 1; start > "a" 1; "a" > "b" 1; "b" > "a" 1'::mops.markov_model$$),
          ARRAY['22P02', 'invalid input syntax for type markov_model: "order 1; start > "a" 1; "a" > "b" 1; "b" > "a" 1"',
                'Some state cannot reach conversion or null: the chain is not absorbing.', NULL],
          'markov_model: a chain that is not absorbing: detail');
SELECT is(pg_temp.diag($$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, 1, 5)$$),
          ARRAY['54000', 'markov_fit: order 5 is too high', 'Orders 1 to 4 are supported.', NULL],
          'markov_fit: order 5: detail');
SELECT is(pg_temp.diag($$SELECT mops.markov_fit('a'::mops.touch_path, NULL, 1, 1)$$),
          ARRAY['22004', 'markov_fit: conversions must not be NULL', NULL,
                'Use coalesce(conversions, 0) if a missing count means none.'],
          'markov_fit: NULL count: hint');
SELECT is(pg_temp.diag($$SELECT mops.markov_fit(('c' || i)::mops.touch_path, 1, 0, 0) FROM generate_series(1, 10001) i$$),
          ARRAY['54000', 'markov model has too many states',
                'A model holds at most 10000 distinct states; this one needs more (order 1).',
                'Use a lower order, or group rare channels together (channel_group).'],
          'markov_fit: too many states: detail and hint');
-- the valid neighbours of the errors
SELECT lives_ok($$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, 1, 4)$$, 'markov_fit: order 4');
SELECT lives_ok($$SELECT mops.markov_fit('a'::mops.touch_path, 0, 0, 1, 1)$$, 'markov_fit: order 1, zero counts');
SELECT lives_ok($$SELECT mops.markov_fit(('c' || i)::mops.touch_path, 1, 0, 0) FROM generate_series(1, 10000) i$$,
                'markov_fit: exactly 10,000 states');
SELECT lives_ok($$SELECT 'order 4; start > "a","b","c","d" 1; "a","b","c","d" > conversion 1'::mops.markov_model$$,
                'markov_model: a literal of order 4');
SELECT is(mops.markov_fit(NULL::mops.touch_path, NULL, NULL, NULL) IS NULL, true, 'markov_fit: a NULL path skips the row, counts unread');

-- ---------------------------------------------------------------------------
-- attribute: properties over 400 pseudo-random paths
-- ---------------------------------------------------------------------------
-- Path g has 1 + g % 15 touches over 6 channels (direct among them, so
-- repeats and direct touches are common), touch j at 7j hours plus up to 6
-- hours (times strictly increase along the path).  Its value has an integer
-- part of up to 28 bits and g % 23 decimals (scales 0 to 22); every 17th
-- value is 0 and every 29th is 1e30 (beyond 128 bits).
CREATE TEMP TABLE prop_touches ON COMMIT DROP AS
SELECT g, j AS touch,
       (ARRAY['direct', 'email', 'paid_search', 'social', 'display', 'affiliate'])[1 + pg_temp.h(g, j, 1) % 6] AS channel,
       timestamptz '2026-01-01 00:00:00+00' + (7 * j + pg_temp.h(g, j, 2) % 7) * interval '1 hour' AS ts
  FROM generate_series(1, 400) g, generate_series(1, 1 + g % 15) j;
CREATE TEMP TABLE prop_paths ON COMMIT DROP AS
SELECT g, mops.path_agg(channel, ts) AS path, count(*) AS n, max(ts) AS last_ts,
       CASE WHEN g % 17 = 0 THEN 0
            WHEN g % 29 = 0 THEN 1e30
            ELSE round(pg_temp.h(g, 0, 3)::numeric / 10::numeric ^ (g % 23), g % 23) END AS value
  FROM prop_touches
 GROUP BY g;

-- One row per path, model and touch; unit = 10^-S, S = max(16, scale of value).
CREATE TEMP TABLE prop_credits ON COMMIT DROP AS
SELECT p.g, p.n, p.value, m.model, a.touch, a.channel, a.credit,
       ('1e-' || greatest(16, scale(p.value)))::numeric AS unit
  FROM prop_paths p,
       (VALUES ('first_touch'), ('last_touch'), ('last_non_direct'), ('linear'), ('position_based'),
               ('u_shaped'), ('time_decay'), ('shapley_simplified')) m(model),
       mops.attribute(p.path, m.model, p.value) a;

SELECT is((SELECT count(*) FROM prop_credits), (SELECT 8 * sum(n) FROM prop_paths)::bigint,
          'attribute: one row per touch for every path and model');
SELECT is((SELECT count(*) FROM prop_credits WHERE credit < 0), 0::bigint, 'attribute: credits are never negative');
SELECT is((SELECT array_agg(DISTINCT model || ' ' || g)
             FROM (SELECT g, model, value, sum(credit) AS total FROM prop_credits GROUP BY g, model, value) s
            WHERE total <> value),
          NULL, 'attribute: credits sum to the value exactly, every model and path');
SELECT is((SELECT array_agg(DISTINCT model || ' ' || g) FROM prop_credits WHERE scale(credit) > greatest(16, scale(value))),
          NULL, 'attribute: credits have at most S = max(16, scale of value) decimals');
SELECT is((SELECT array_agg(DISTINCT model || ' ' || g) FROM prop_credits
            WHERE value > 0 AND ((model = 'first_touch' AND (credit <> 0) <> (touch = 1))
                              OR (model = 'last_touch' AND (credit <> 0) <> (touch = n)))),
          NULL, 'attribute: first_touch and last_touch credit exactly one touch, the first and the last');
SELECT is((SELECT array_agg(g) FROM (
             SELECT c.g, c.touch
               FROM prop_credits c
              WHERE c.model = 'last_non_direct' AND c.credit <> 0
                AND c.touch <> coalesce((SELECT max(d.touch) FROM prop_credits d
                                          WHERE d.g = c.g AND d.model = 'last_non_direct' AND d.channel <> 'direct'),
                                        c.n)) x),
          NULL, 'attribute: last_non_direct credits the last non-direct touch (the last touch if all are direct)');
SELECT is((SELECT array_agg(g) FROM (SELECT g, max(credit) - min(credit) AS spread, min(unit) AS unit
                                        FROM prop_credits WHERE model = 'linear' GROUP BY g) s
            WHERE spread > unit),
          NULL, 'attribute: linear credits differ by at most one unit in the last place');
-- position_based: weights 2(n-2), 1, …, 1, 2(n-2) of W = 5(n-2) for n >= 3,
-- so value·2/5 is never an odd number of half units and the first and last
-- credits round alike; for n = 2 (50/50) an odd number of units leaves the
-- extra unit on the first touch.
SELECT is((SELECT array_agg(g) FROM (
             SELECT g, n, unit, max(credit) FILTER (WHERE touch = 1) AS first, max(credit) FILTER (WHERE touch = n) AS last
               FROM prop_credits WHERE model = 'position_based' GROUP BY g, n, unit) s
            WHERE (n >= 3 AND first <> last) OR (n = 2 AND first - last NOT IN (0, unit))),
          NULL, 'attribute: position_based gives the first and the last touch the same credit (n = 2: within one unit)');
SELECT is((SELECT array_agg(g) FROM (
             SELECT g, n, sum(credit) FILTER (WHERE touch = 1) AS first, sum(credit) FILTER (WHERE touch NOT IN (1, n)) AS middle
               FROM prop_credits WHERE model = 'position_based' AND n >= 3 GROUP BY g, n) s
            WHERE abs(middle - 0.5 * first) > 1e-15 * greatest(1, first)),
          NULL, 'attribute: position_based gives the middle touches together half of the first touch (40/20/40)');
SELECT is((SELECT array_agg(DISTINCT g) FROM prop_credits a JOIN prop_credits b USING (g, model, touch)
            WHERE a.model = 'position_based' AND b.model = 'u_shaped' AND a.credit <> b.credit),
          NULL, 'attribute: u_shaped is position_based');
SELECT is((SELECT array_agg(g) FROM (
             SELECT g, max(per_channel) - min(per_channel) AS spread, min(unit) AS unit
               FROM (SELECT g, channel, sum(credit) AS per_channel, min(unit) AS unit
                       FROM prop_credits WHERE model = 'shapley_simplified' GROUP BY g, channel) c
              GROUP BY g) s
            WHERE spread > unit),
          NULL, 'attribute: shapley_simplified gives every distinct channel the same credit (within one unit)');
SELECT is((SELECT array_agg(DISTINCT g) FROM prop_credits c
            WHERE model = 'shapley_simplified' AND credit <> 0
              AND EXISTS (SELECT FROM prop_credits d WHERE d.g = c.g AND d.model = c.model
                                                    AND d.channel = c.channel AND d.touch < c.touch)),
          NULL, 'attribute: shapley_simplified gives 0 to repeats');
-- time_decay: weights grow along the path (times increase), so the credits
-- do too, up to the one unit the cumulative rounding may move.
SELECT is((SELECT array_agg(DISTINCT a.g) FROM prop_credits a JOIN prop_credits b
             ON b.g = a.g AND b.model = a.model AND b.touch = a.touch + 1
            WHERE a.model = 'time_decay' AND a.credit > b.credit + a.unit),
          NULL, 'attribute: time_decay credits do not decrease along the path (within one unit)');
-- time_decay against an independent float computation, to 1e-12 relative.
SELECT is((SELECT array_agg(DISTINCT g) FROM (
             SELECT c.g, c.credit, c.value,
                    c.value::float8 * power(2, -extract(epoch FROM p.last_ts - t.ts)::float8 / (7 * 86400))
                        / sum(power(2, -extract(epoch FROM p.last_ts - t.ts)::float8 / (7 * 86400))) OVER (PARTITION BY c.g)
                        AS expected
               FROM prop_credits c JOIN prop_paths p USING (g) JOIN prop_touches t USING (g, touch)
              WHERE c.model = 'time_decay') x
            WHERE abs(credit::float8 - expected) > 1e-12 * greatest(1, value::float8)),
          NULL, 'attribute: time_decay credits are value · 2^(-Δt/7 days) / Σ (to 1e-12 relative)');
SELECT is((SELECT array_agg(g) FROM (SELECT g, string_agg(channel, ',' ORDER BY touch) AS got FROM prop_credits
                                       WHERE model = 'linear' GROUP BY g) c
                                JOIN (SELECT g, string_agg(channel, ',' ORDER BY touch) AS want FROM prop_touches GROUP BY g) t
                                USING (g)
            WHERE got <> want),
          NULL, 'attribute: the rows are the touches in order, with their channels');

-- conversion_at after the last touch changes nothing (the factor cancels):
-- exactly the same credits, whatever the half-life.
SELECT is((SELECT count(*) FROM (
             SELECT g, a.touch, a.credit FROM prop_paths p, mops.attribute(p.path, 'time_decay', p.value, NULL, '3 days') a
             EXCEPT
             SELECT g, a.touch, a.credit FROM prop_paths p,
                    mops.attribute(p.path, 'time_decay', p.value, p.last_ts + interval '12 days', '3 days') a) x),
          0::bigint, 'attribute: time_decay does not depend on how long after the last touch the conversion is (exactly)');

-- ---------------------------------------------------------------------------
-- Markov: properties over 30 pseudo-random groups of paths
-- ---------------------------------------------------------------------------
-- Group k (1..30) has 10 + k % 13 paths of 1 to 8 touches over 5 channels;
-- conversions 0..3, non-conversions 0..4 (at least one of them positive),
-- value only where there are conversions, with up to 3 decimals.
CREATE TEMP TABLE mk_paths ON COMMIT DROP AS
SELECT k, i, path, conversions, CASE WHEN conversions > 0 THEN value ELSE 0 END AS value, non_conversions
  FROM (SELECT k, i,
               (SELECT string_agg((ARRAY['a', 'b', 'c', 'd', 'e'])[1 + pg_temp.h(k * 100 + i, j, 1) % 5], ' > ' ORDER BY j)
                  FROM generate_series(1, 1 + pg_temp.h(k, i, 2) % 8) j)::mops.touch_path AS path,
               (pg_temp.h(k, i, 3) % 4)::float8 AS conversions,
               (pg_temp.h(k, i, 4) % 1000000)::float8 / 1000 AS value,
               (CASE WHEN pg_temp.h(k, i, 3) % 4 = 0 THEN 1 + pg_temp.h(k, i, 5) % 4 ELSE pg_temp.h(k, i, 5) % 5 END)::float8
                   AS non_conversions
          FROM generate_series(1, 30) k, generate_series(1, 10 + k % 13) i) s;

CREATE TEMP TABLE mk_models ON COMMIT DROP AS
SELECT k, o, mops.markov_fit(path, conversions, value, non_conversions, o) AS m,
       sum(conversions) AS total_conversions, sum(value) AS total_value
  FROM mk_paths, generate_series(1, 4) o
 GROUP BY k, o;

CREATE TEMP TABLE mk_attr ON COMMIT DROP AS
SELECT k, o, total_conversions, total_value, a.*
  FROM mk_models, mops.markov_attribution(m) a;

SELECT is((SELECT count(DISTINCT (k, o)) FROM mk_attr), 120::bigint, 'markov: 30 groups × 4 orders attributed');
SELECT is((SELECT array_agg(DISTINCT k || '/' || o) FROM mk_attr WHERE NOT removal_effect BETWEEN 0 AND 1),
          NULL, 'markov: every removal effect is in [0, 1]');
SELECT is((SELECT array_agg(DISTINCT k || '/' || o) FROM mk_attr WHERE conversions < 0 OR value < 0),
          NULL, 'markov: no negative conversions or value');
SELECT is((SELECT array_agg(k || '/' || o) FROM (
             SELECT k, o, sum(conversions) AS c, min(total_conversions) AS tc FROM mk_attr GROUP BY k, o) s
            WHERE abs(c - tc) > 1e-9 * tc),
          NULL, 'markov: Σ conversions = total conversions (1e-9 relative)');
SELECT is((SELECT array_agg(k || '/' || o) FROM (
             SELECT k, o, sum(value) AS v, min(total_value) AS tv FROM mk_attr GROUP BY k, o) s
            WHERE abs(v - tv) > 1e-9 * tv),
          NULL, 'markov: Σ value = total value (1e-9 relative)');
SELECT is((SELECT array_agg(k || '/' || o) FROM mk_models
            WHERE m::text::mops.markov_model OPERATOR(mops.<>) m),
          NULL, 'markov: the text form of every fitted model reads back as the model');

-- merging: three disjoint parts of each group (i mod 3)
CREATE TEMP TABLE mk_parts ON COMMIT DROP AS
SELECT k, o,
       mops.markov_fit(path, conversions, value, non_conversions, o) FILTER (WHERE i % 3 = 0) AS a,
       mops.markov_fit(path, conversions, value, non_conversions, o) FILTER (WHERE i % 3 = 1) AS b,
       mops.markov_fit(path, conversions, value, non_conversions, o) FILTER (WHERE i % 3 = 2) AS c
  FROM mk_paths, generate_series(1, 4) o
 GROUP BY k, o;

SELECT is((SELECT array_agg(k || '/' || o) FROM mk_parts
            WHERE mops.markov_merge(a, b) OPERATOR(mops.<>) mops.markov_merge(b, a)),
          NULL, 'markov_merge is commutative');
SELECT is((SELECT array_agg(k || '/' || o) FROM mk_parts
            WHERE mops.markov_merge(mops.markov_merge(a, b), c) OPERATOR(mops.<>) mops.markov_merge(a, mops.markov_merge(b, c))),
          NULL, 'markov_merge is associative');
SELECT is((SELECT array_agg(p.k || '/' || p.o) FROM mk_parts p JOIN mk_models m USING (k, o)
            WHERE mops.markov_merge(mops.markov_merge(a, b), c) OPERATOR(mops.<>) m.m),
          NULL, 'markov_merge of the parts is the model of the whole group');
SELECT is((SELECT array_agg(k || '/' || o) FROM mk_parts
            WHERE mops.markov_merge(a, NULL) OPERATOR(mops.<>) a OR mops.markov_merge(NULL, a) OPERATOR(mops.<>) a),
          NULL, 'markov_merge(a, NULL) = markov_merge(NULL, a) = a');
SELECT is(mops.markov_merge(NULL::mops.markov_model, NULL) IS NULL, true, 'markov_merge(NULL, NULL) is NULL');
SELECT is((SELECT array_agg(p.k || '/' || p.o) FROM mk_parts p JOIN mk_models m USING (k, o)
            WHERE (SELECT mops.markov_merge_agg(x) FROM (VALUES (p.c), (p.a), (NULL), (p.b)) v(x)) OPERATOR(mops.<>) m.m),
          NULL, 'markov_merge_agg of the parts (and a NULL) is the model of the whole group');
SELECT is((SELECT array_agg(k || '/' || o) FROM mk_models m
            WHERE m.m OPERATOR(mops.<>) (SELECT mops.markov_fit(path, conversions, value, non_conversions, m.o ORDER BY md5(i::text) DESC)
                            FROM mk_paths p WHERE p.k = m.k)),
          NULL, 'markov_fit does not depend on the order of the rows');
-- a model attributed twice, and a merged model equal to a fitted one, give
-- identical numbers
SELECT is((SELECT count(*) FROM (
             SELECT m.k, m.o, a.* FROM mk_models m, mops.markov_attribution(m.m) a
             EXCEPT
             SELECT p.k, p.o, a.* FROM mk_parts p, mops.markov_attribution(mops.markov_merge(mops.markov_merge(p.c, p.b), p.a)) a) x),
          0::bigint, 'markov_attribution of equal models gives identical rows');

-- Known findings (sql/markov.sql has the same cases worked by hand): a path
-- with zero counts adds nothing, so the model equals the one without it and
-- survives its text round trip; a literal whose only item is a zero value
-- reads back as the model it prints as; a channel that never converts does
-- not change the other channels' removal effects, however many paths it has.
SELECT ok((SELECT mops.markov_fit(p::mops.touch_path, c, v, n) OPERATOR(mops.=)
                  mops.markov_fit(p::mops.touch_path, c, v, n) FILTER (WHERE c + n > 0)
             FROM (VALUES ('a > b', 1, 2, 3), ('c > d', 0, 0, 0)) t(p, c, v, n)),
          'markov_fit: a path with zero counts adds nothing');
SELECT ok((SELECT m::text::mops.markov_model OPERATOR(mops.=) m
             FROM (SELECT 'order 1; "a" value 0'::mops.markov_model AS m) s),
          'markov_model: a zero value reads back as the model it prints as');
SELECT is((SELECT array_agg(round(a.removal_effect::numeric, 9) ORDER BY a.channel)
             FROM mops.markov_attribution('order 1; start > "big" 1000000000000000; "big" > null 1000000000000000; '
                                          'start > "c" 1; "c" > "e" 10; "e" > "c" 9; "e" > conversion 1; '
                                          'start > "d" 1; "d" > conversion 1') a),
          '{0,0.500000000,0.500000000,0.500000000}'::numeric[],
          'markov_attribution: a channel that never converts does not change the others (states visited 1e-15 times)');

-- ---------------------------------------------------------------------------
-- markov_fit's order-1 transitions against an oracle written here: labels of
-- every length from 1 to 20 bytes, several sharing their first or last
-- bytes (the fit keys labels of up to 16 bytes by their bytes; 'b' + 16 x's
-- ends in the same 16 bytes as 16 x's, 9 x's + 'y' starts with the same 9
-- bytes as 10 x's), two multi-byte ones, on 400 pseudo-random paths with
-- repeats.  The expected model is written as text (transitions counted in
-- SQL from path_channels after collapsing repeats) and parsed, which does
-- not go through the fit's label cache.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE mk_label_set ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY l) - 1 AS k, l
  FROM (SELECT repeat('x', n) AS l FROM generate_series(1, 20) n
        UNION ALL VALUES ('a' || repeat('x', 15)), ('b' || repeat('x', 16)), ('y' || repeat('x', 14)),
                         ('xy'), (repeat('x', 9) || 'y'), (repeat('x', 15) || 'y'), ('é'),
                         ('ü' || repeat('x', 14))) v(l);
CREATE TEMP TABLE mk_label_paths ON COMMIT DROP AS
SELECT p.id, string_agg(lb.l, ' > ' ORDER BY t.i) AS path,
       (p.h % 4 = 0)::int::float8 + (p.h % 17 = 0)::int::float8 AS conv,
       CASE WHEN p.h % 4 = 0 THEN (p.h % 100000) / 100.0 ELSE 0 END::float8 AS value,
       (p.h % 4 <> 0)::int::float8 + (p.h % 13 = 0)::int::float8 AS nonconv
  FROM (SELECT id, ('x' || substr(md5('mk' || id), 1, 7))::bit(28)::int AS h
          FROM generate_series(1, 400) id) p
 CROSS JOIN LATERAL (SELECT i, ('x' || substr(md5(p.id || ':' || i), 1, 7))::bit(28)::int AS h
                       FROM generate_series(1, 1 + p.h % 12) i) t
  JOIN mk_label_set lb ON lb.k = t.h % (SELECT count(*) FROM mk_label_set) / CASE WHEN t.h % 3 = 0 THEN 4 ELSE 1 END
 GROUP BY p.id, p.h;

CREATE TEMP VIEW mk_label_expected AS
WITH touches AS (
    SELECT q.id, c.i, c.ch, q.conv, q.nonconv, q.value
      FROM mk_label_paths q, unnest(mops.path_channels(q.path::mops.touch_path)) WITH ORDINALITY c(ch, i)),
collapsed AS (
    SELECT id, ch, conv, nonconv, value, row_number() OVER (PARTITION BY id ORDER BY i) AS i
      FROM (SELECT *, lag(ch) OVER (PARTITION BY id ORDER BY i) AS prev FROM touches) t
     WHERE prev IS DISTINCT FROM ch),
steps AS (
    SELECT id, coalesce(lag(format('%s', '"' || ch || '"')) OVER (PARTITION BY id ORDER BY i), 'start') AS src,
           '"' || ch || '"' AS dst, conv + nonconv AS w, conv, nonconv, value,
           i = max(i) OVER (PARTITION BY id) AS last
      FROM collapsed),
items AS (
    SELECT format('%s > %s', src, dst) AS item, w FROM steps WHERE w > 0
    UNION ALL SELECT format('%s > conversion', dst), conv FROM steps WHERE last AND conv > 0
    UNION ALL SELECT format('%s > null', dst), nonconv FROM steps WHERE last AND nonconv > 0
    UNION ALL SELECT format('%s value', dst), value FROM steps WHERE last AND value > 0 AND conv + nonconv > 0)
SELECT ('order 1; ' || string_agg(format('%s %s', item, total), '; '))::mops.markov_model AS m
  FROM (SELECT item, sum(w::numeric) AS total FROM items GROUP BY item) s;

SELECT cmp_ok((SELECT count(DISTINCT length(l))::int FROM mk_label_set l
                WHERE EXISTS (SELECT 1 FROM mk_label_paths p WHERE p.path LIKE '%' || l.l || '%')), '>=', 20,
              'the oracle''s paths use labels of at least 20 different lengths');
SELECT is((SELECT mops.markov_fit(path::mops.touch_path, conv, value, nonconv)::text FROM mk_label_paths),
          (SELECT m::text FROM mk_label_expected),
          'markov_fit (order 1) equals the model written out from the paths, for labels of 1 to 20 bytes');
SELECT ok((SELECT mops.markov_fit(path::mops.touch_path, conv, value, nonconv, 1) FROM mk_label_paths)
           OPERATOR(mops.=) (SELECT m FROM mk_label_expected),
          'markov_fit with order => 1 given explicitly: the same model (markov_model =)');

SELECT * FROM finish();
ROLLBACK;
