-- pgTAP: touch_path, its functions and path_agg (DESIGN §3.4; the forms are
-- fixed by the header comment of src/core/touch_path.h): every error with its
-- SQLSTATE (22P02 bad literal, 22008 time out of range, 22023 bad parameter,
-- 54000 too long), the primary message, and the DETAIL and HINT where users
-- rely on them; the accepted neighbour of the errors; then properties over
-- 260 pseudo-random paths (fixed seed) checked against oracles written here
-- in SQL and plpgsql.  Tests of bugs they found are at the end.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SET LOCAL search_path = public, pg_catalog;
SET LOCAL timezone = 'UTC';

SELECT plan(133);

-- diag(sql): {sqlstate, message, detail, hint} of the error sql raises
\ir lib/diag.sql

-- tp(lit): the literal cast to touch_path, as SQL text.
CREATE FUNCTION pg_temp.tp(lit text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT format('SELECT %L::mops.touch_path', lit) $$;

-- The primary messages of bad literals.
CREATE FUNCTION pg_temp.tp_syntax(lit text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT format('invalid input syntax for type touch_path: "%s"', lit) $$;
CREATE FUNCTION pg_temp.tp_range(lit text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT format('touch time out of range in touch_path: "%s"', lit) $$;

\set time_form 'Touch times are written YYYY-MM-DD HH:MM[:SS[.ffffff]] followed by Z or a UTC offset such as +00 or -05:30.'
\set field_range 'A date or time field is out of range.'
\set instant_range 'Touch times must lie between 0001-01-01 and 9999-12-31 (UTC).'
\set label_hint 'Channel labels must be non-empty after normalisation and cannot contain ">" or "@"; use NULL to skip a row.'

-- ---------------------------------------------------------------------------
-- Signatures
-- ---------------------------------------------------------------------------
SELECT has_type('mops', 'touch_path', 'type touch_path exists');
SELECT has_function('mops', 'path_length', ARRAY['mops.touch_path'], 'path_length(touch_path)');
SELECT has_function('mops', 'path_channels', ARRAY['mops.touch_path'], 'path_channels(touch_path)');
SELECT has_function('mops', 'path_collapse', ARRAY['mops.touch_path'], 'path_collapse(touch_path)');
SELECT has_function('mops', 'path_first', ARRAY['mops.touch_path'], 'path_first(touch_path)');
SELECT has_function('mops', 'path_last_n', ARRAY['mops.touch_path', 'integer'], 'path_last_n(touch_path, integer)');
SELECT has_function('mops', 'path_within', ARRAY['mops.touch_path', 'timestamp with time zone', 'interval'],
                    'path_within(touch_path, timestamptz, interval)');
SELECT has_function('mops', 'path_remove', ARRAY['mops.touch_path', 'text'], 'path_remove(touch_path, text)');
SELECT has_function('mops', 'path_remove_trailing', ARRAY['mops.touch_path', 'text'], 'path_remove_trailing(touch_path, text)');
SELECT is_aggregate('mops', 'path_agg', ARRAY['text', 'timestamp with time zone'], 'path_agg(text, timestamptz) is an aggregate');
SELECT function_returns('mops', 'path_agg', ARRAY['text', 'timestamp with time zone'], 'mops.touch_path',
                        'path_agg returns touch_path');
SELECT function_returns('mops', 'path_channels', ARRAY['mops.touch_path'], 'text[]', 'path_channels returns text[]');
SELECT function_returns('mops', 'path_length', ARRAY['mops.touch_path'], 'integer', 'path_length returns integer');

-- ---------------------------------------------------------------------------
-- Text literals: 22P02 (syntax, labels, order of times)
-- ---------------------------------------------------------------------------
SELECT lives_ok(pg_temp.tp(''), 'the empty string is the empty path');
SELECT lives_ok(pg_temp.tp(E' \t\n '), 'blanks are the empty path');
SELECT lives_ok(pg_temp.tp('Paid Search > EMAIL'), 'labels are normalised');
SELECT lives_ok(pg_temp.tp('a@2026-01-01 10:00:00.123456+05:30 > b@2026-01-01T05:00Z'),
                'times with an offset, 6 fractional digits, T and Z');
SELECT lives_ok(pg_temp.tp('a@2024-02-29 00:00Z'), '2024-02-29 exists');
SELECT lives_ok(pg_temp.tp('a@0001-01-01 00:00Z > b@9999-12-31 23:59:59.999999Z'), 'the first and last instants');
SELECT lives_ok(pg_temp.tp('b@2026-01-01 00:00Z > a@2026-01-01 00:00Z'), 'equal times do not decrease');

SELECT throws_ok(pg_temp.tp(lit), '22P02', pg_temp.tp_syntax(lit),
                 format('bad touch_path literal %L (%s): 22P02', lit, why))
  FROM (VALUES
    (1, 'a > > b', 'empty touch'),
    (2, 'a >', 'trailing >'),
    (3, '> a', 'leading >'),
    (4, '>', 'only >'),
    (5, 'a@2026-01-01 10:00', 'no UTC offset'),
    (6, 'a@2026-01-01Z', 'no time of day'),
    (7, 'a@', 'nothing after @'),
    (8, 'a@2026-01-01 10:00:00.1234567Z', '7 fractional digits'),
    (9, 'a@2026-01-01 10:00:00.Z', 'a dot without digits'),
    (10, 'a@10000-01-01 00:00Z', 'five-digit year'),
    (11, 'a@2026-1-01 00:00Z', 'one-digit month'),
    (12, 'a@2026-01-01 10:00+5', 'one-digit offset'),
    (13, 'a@2026-01-01 10:00Z junk', 'text after the offset'),
    (14, 'a@2026-01-02 00:00Z > b@2026-01-01 00:00Z', 'times decreasing'),
    (15, 'a@2026-01-02 00:00Z > b > c@2026-01-01 23:59:59.999999Z', 'times decreasing across a touch without one'),
    (16, 'a＠b', 'full-width @ folds into the label'),
    (17, 'a＞b', 'full-width > folds into the label'),
    (18, '---', 'label empty after normalisation'),
    (19, '@2026-01-01 10:00Z', 'time without a label'),
    (20, 'a@b@2026-01-01 10:00Z', 'two @')
  ) AS t(n, lit, why)
 ORDER BY n;

SELECT is(pg_temp.diag(pg_temp.tp('a > > b')),
          ARRAY['22P02', pg_temp.tp_syntax('a > > b'),
                'Touch 2 is empty: touches are channel labels separated by ">".', NULL],
          'empty touch: the detail names the touch');
SELECT is(pg_temp.diag(pg_temp.tp('a@2026-01-01 10:00')),
          ARRAY['22P02', pg_temp.tp_syntax('a@2026-01-01 10:00'),
                'A touch time needs an explicit UTC offset (Z, +00, -05:30, ...), so that it means the same instant under every TimeZone setting.',
                NULL],
          'no offset: the detail says why one is needed');
SELECT is(pg_temp.diag(pg_temp.tp('a@2026-01-01 10:00:00.1234567Z')),
          ARRAY['22P02', pg_temp.tp_syntax('a@2026-01-01 10:00:00.1234567Z'), :'time_form', NULL],
          '7 fractional digits: the detail shows the accepted form');
SELECT is(pg_temp.diag(pg_temp.tp('a@2026-01-02 00:00Z > b > c@2026-01-01 00:00Z')),
          ARRAY['22P02', pg_temp.tp_syntax('a@2026-01-02 00:00Z > b > c@2026-01-01 00:00Z'),
                'Touch 3 is earlier than the touch before it; times must not decrease along a path.', NULL],
          'decreasing times: the detail names the touch');
SELECT is(pg_temp.diag(pg_temp.tp('a＠b')),
          ARRAY['22P02', pg_temp.tp_syntax('a＠b'), 'A channel label cannot contain ">" or "@".', NULL],
          'full-width @: the detail says a label cannot hold @');
SELECT is(pg_temp.diag(pg_temp.tp('---')),
          ARRAY['22P02', pg_temp.tp_syntax('---'), 'A channel label is empty after normalisation.', NULL],
          'separators only: the detail says the label is empty');

-- ---------------------------------------------------------------------------
-- Text literals: 22008 (a field or the instant out of range)
-- ---------------------------------------------------------------------------
SELECT throws_ok(pg_temp.tp(lit), '22008', pg_temp.tp_range(lit),
                 format('touch time out of range %L (%s): 22008', lit, why))
  FROM (VALUES
    (1, 'a@2024-02-30 10:00Z', 'February 30'),
    (2, 'a@2025-02-29 10:00Z', '2025 is not a leap year'),
    (3, 'a@1900-02-29 10:00Z', '1900 is not a leap year'),
    (4, 'a@2026-01-01 24:00Z', 'hour 24'),
    (5, 'a@2026-01-01 10:60Z', 'minute 60'),
    (6, 'a@2026-01-01 23:59:60Z', 'second 60'),
    (7, 'a@2026-13-01 10:00Z', 'month 13'),
    (8, 'a@2026-01-00 10:00Z', 'day 0'),
    (9, 'a@2026-01-01 10:00+16', 'offset of 16 hours'),
    (10, 'a@2026-01-01 10:00+05:60', 'offset minutes 60'),
    (11, 'a@0000-01-01 00:00Z', 'year 0000'),
    (12, 'a@0001-01-01 00:00+01', 'before 0001-01-01 UTC by its offset'),
    (13, 'a@9999-12-31 23:59:59.999999-00:01', 'after 9999-12-31 UTC by its offset')
  ) AS t(n, lit, why)
 ORDER BY n;

SELECT is(pg_temp.diag(pg_temp.tp('a@2025-02-29 10:00Z')),
          ARRAY['22008', pg_temp.tp_range('a@2025-02-29 10:00Z'), :'field_range', NULL],
          'Feb 29 of a common year: detail');
SELECT is(pg_temp.diag(pg_temp.tp('a@0001-01-01 00:00+01')),
          ARRAY['22008', pg_temp.tp_range('a@0001-01-01 00:00+01'), :'instant_range', NULL],
          'before the first instant: the detail gives the range');

-- 54000: a literal of 1,000,001 touches (the limit is 1,000,000)
SELECT is(mops.path_length((repeat('a > ', 999999) || 'a')::mops.touch_path), 1000000,
          'a literal of 1,000,000 touches is accepted');
SELECT throws_ok($$SELECT (repeat('a>', 1000000) || 'a')::mops.touch_path$$, '54000', 'touch_path is too long',
                 'a literal of 1,000,001 touches: 54000');

-- 54000: a label longer than normalize_label accepts (16 MiB), in a literal,
-- in path_agg and as path_remove's channel.  (The 64 MiB limit on the label
-- bytes of a path is not tested: reaching it takes about 7 s.)
SELECT throws_ok(format('SELECT %s::mops.touch_path', expr), '54000', 'label is too long',
                 format('a label of 16 MiB + 1 byte %s: 54000', why))
  FROM (VALUES (1, $$repeat('a', 16 * 1024 * 1024 + 1)$$, 'in a literal'),
               (2, $$('b > ' || repeat('a', 16 * 1024 * 1024 + 1))$$, 'as the second touch of a literal'))
       AS t(n, expr, why)
 ORDER BY n;
SELECT throws_ok($$SELECT mops.path_agg(repeat('a', 16 * 1024 * 1024 + 1), timestamptz '2026-01-01 00:00Z')$$,
                 '54000', 'label is too long', 'a channel of 16 MiB + 1 byte in path_agg: 54000');
SELECT throws_ok($$SELECT mops.path_remove('a'::mops.touch_path, repeat('a', 16 * 1024 * 1024 + 1))$$,
                 '54000', 'label is too long', 'a channel of 16 MiB + 1 byte in path_remove: 54000');

-- ---------------------------------------------------------------------------
-- Functions: 22023 bad parameters, 22008 infinite times
-- ---------------------------------------------------------------------------
SELECT is(mops.path_last_n('a > b'::mops.touch_path, 0)::text, '', 'path_last_n(p, 0) is the empty path');
SELECT is(pg_temp.diag($$SELECT mops.path_last_n('a > b'::mops.touch_path, -1)$$),
          ARRAY['22023', 'path_last_n: n must not be negative', 'n was -1; 0 gives the empty path.', NULL],
          'path_last_n(p, -1): 22023 with a detail');
SELECT throws_ok($$SELECT mops.path_last_n('a'::mops.touch_path, -2147483648)$$, '22023',
                 'path_last_n: n must not be negative', 'path_last_n with the smallest integer: 22023');

SELECT is(mops.path_within('a@2026-01-01 00:00Z'::mops.touch_path, '2026-01-01 00:00Z', '0')::text,
          'a@2026-01-01 00:00:00+00', 'path_within with a zero lookback keeps a touch at conversion_at');
SELECT is(pg_temp.diag($$SELECT mops.path_within('a > b'::mops.touch_path, '2026-01-31 00:00Z', '30 days')$$),
          ARRAY['22023', 'path_within needs a time on every touch', 'The path has touches without a time.',
                'Build paths with path_agg(channel, ts) or write times as channel@2026-01-01 10:00:00+00.'],
          'path_within on touches without times: 22023 with detail and hint');
SELECT throws_ok($$SELECT mops.path_within('a@2026-01-01 00:00Z > b'::mops.touch_path, '2026-01-31 00:00Z', '30 days')$$,
                 '22023', 'path_within needs a time on every touch', 'path_within when some touch lacks a time: 22023');
SELECT throws_ok(format('SELECT mops.path_within(%L::mops.touch_path, %L, %L)',
                        'a@2026-01-01 00:00Z', '2026-01-31 00:00Z', lookback),
                 '22023', 'path_within: lookback must not be negative',
                 format('path_within with lookback %L: 22023', lookback))
  FROM unnest(ARRAY['-1 day', '-1 microsecond', '1 month -1 day', '-1 month 40 days', '1 day -1 second']) AS lookback;
SELECT throws_ok(format('SELECT mops.path_within(%L::mops.touch_path, %L, %L)',
                        'a@2026-01-01 00:00Z', at, '1 day'),
                 '22008', 'path_within: conversion_at must be finite',
                 format('path_within at %s: 22008', at))
  FROM unnest(ARRAY['infinity', '-infinity']) AS at;

-- path_agg: labels (22023) and times (22008)
SELECT throws_ok(format('SELECT mops.path_agg(%L, timestamptz %L)', label, '2026-01-01 10:00Z'),
                 '22023', format('invalid channel label "%s"', label),
                 format('path_agg with label %L (%s): 22023', label, why))
  FROM (VALUES (1, '', 'empty'), (2, '  ', 'blanks'), (3, '---', 'separators only'),
               (4, 'a>b', '>'), (5, 'a@b', '@'), (6, 'a＠b', 'full-width @'), (7, 'a＞b', 'full-width >'))
       AS t(n, label, why)
 ORDER BY n;
SELECT is(pg_temp.diag($$SELECT mops.path_agg('  ', timestamptz '2026-01-01 10:00Z')$$),
          ARRAY['22023', 'invalid channel label "  "', 'The label is empty after normalisation.', :'label_hint'],
          'path_agg with an empty label: detail and hint');
SELECT is(pg_temp.diag($$SELECT mops.path_agg('a>b', timestamptz '2026-01-01 10:00Z')$$),
          ARRAY['22023', 'invalid channel label "a>b"', 'The label contains ">" or "@".', :'label_hint'],
          'path_agg with a > in the label: detail and hint');
SELECT throws_ok(format('SELECT mops.path_agg(%L, timestamptz %L)', 'a', ts),
                 '22008', 'touch time out of range for path_agg',
                 format('path_agg at %s: 22008', ts))
  FROM unnest(ARRAY['infinity', '-infinity', '10000-01-01 00:00Z']) WITH ORDINALITY AS t(ts, n)
 ORDER BY n;
SELECT throws_ok($$SELECT mops.path_agg('a', timestamptz '0001-01-01 00:00Z' - interval '1 microsecond')$$,
                 '22008', 'touch time out of range for path_agg', 'path_agg one microsecond before 0001-01-01 UTC: 22008');
SELECT is(mops.path_agg('a', timestamptz '0001-01-01 00:00Z')::text, 'a@0001-01-01 00:00:00+00',
          'path_agg at the first instant');
SELECT is(pg_temp.diag($$SELECT mops.path_agg('a', timestamptz 'infinity')$$),
          ARRAY['22008', 'touch time out of range for path_agg',
                'Touch times must lie between 0001-01-01 and 9999-12-31 (UTC); infinity is not a time.', NULL],
          'path_agg at infinity: the detail says so');
-- the row with the bad label comes after good ones: still an error
SELECT throws_ok($$SELECT mops.path_agg(c, t) FROM (VALUES ('a', timestamptz '2026-01-01 10:00Z'),
                   ('---', '2026-01-01 11:00Z')) AS v(c, t)$$,
                 '22023', 'invalid channel label "---"', 'path_agg: a bad label after good rows: 22023');
-- 54000: 1,000,001 touches in one group (serial plan)
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT is(mops.path_length(mops.path_agg('a', timestamptz '2026-01-01 00:00Z' + i * interval '1 second')), 1000000,
          'path_agg of 1,000,000 rows is accepted')
  FROM generate_series(1, 1000000) i;
SELECT throws_ok($$SELECT mops.path_agg('a', timestamptz '2026-01-01 00:00Z' + i * interval '1 second')
                   FROM generate_series(1, 1000001) i$$,
                 '54000', 'touch_path is too long', 'path_agg of 1,000,001 rows: 54000');
RESET max_parallel_workers_per_gather;

-- path_remove / path_remove_trailing take any text: no errors, NULL is NULL
SELECT ok(mops.path_remove('a'::mops.touch_path, NULL) IS NULL AND mops.path_remove_trailing(NULL, 'a') IS NULL,
          'path_remove and path_remove_trailing are strict');

-- ---------------------------------------------------------------------------
-- Properties over pseudo-random paths
-- ---------------------------------------------------------------------------
-- 200 paths of 0..8 touches over labels that normalise to 10 channels
-- (including prefixes of each other, non-ASCII, and spellings of one
-- channel); kind 0: no times, kind 1: every touch timed (non-decreasing, ties
-- included), kind 2: some touches timed.  Then 60 copies of the first 60
-- written in upper case with 'Z' offsets (equal values, other spellings).
SELECT setseed(0.4242);
CREATE TEMP TABLE rp (id integer PRIMARY KEY, kind integer, lit text, p mops.touch_path);
DO $$
DECLARE
    labels text[] := ARRAY['email', 'Email', 'paid_search', 'Paid Search', 'direct', 'DIRECT', 'émail',
                           '成交', 'a', 'a_b', 'ab', 'a1', 'A-B', 'organic social'];
    n integer;
    t timestamptz;
    parts text[];
    kind integer;
BEGIN
    FOR id IN 1..200 LOOP
        n := floor(random() * 9)::integer;
        kind := id % 3;
        t := timestamptz '2026-01-01 00:00Z' + floor(random() * 1000) * interval '1 hour';
        parts := ARRAY[]::text[];
        FOR k IN 1..n LOOP
            -- ties on purpose: often the same time as the touch before
            t := t + (CASE WHEN random() < 0.3 THEN 0 ELSE floor(random() * 100000) END) * interval '1 second'
                   + (CASE WHEN random() < 0.2 THEN floor(random() * 1000000) ELSE 0 END) * interval '1 microsecond';
            parts := parts || (labels[1 + floor(random() * array_length(labels, 1))::integer]
                               || CASE WHEN kind = 1 OR (kind = 2 AND random() < 0.5)
                                       THEN '@' || to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'
                                       ELSE '' END);
        END LOOP;
        INSERT INTO rp VALUES (id, kind, array_to_string(parts, ' > '), array_to_string(parts, ' > ')::mops.touch_path);
    END LOOP;
    INSERT INTO rp SELECT r.id + 200, r.kind, upper(replace(r.p::text, '+00', 'Z')), upper(replace(r.p::text, '+00', 'Z'))::mops.touch_path
    FROM rp r WHERE r.id <= 60;
END
$$;

-- The touches of a path, read from its text form (labels hold no blank, '>'
-- or '@'; times are written in UTC): (ord, label, ts).
CREATE FUNCTION pg_temp.touches(p mops.touch_path) RETURNS TABLE (ord bigint, label text, ts timestamptz)
LANGUAGE sql IMMUTABLE AS $$
    SELECT ord, split_part(t, '@', 1), nullif(split_part(t, '@', 2), '')::timestamptz
    FROM unnest(string_to_array(nullif(p::text, ''), ' > ')) WITH ORDINALITY AS u(t, ord)
$$;

-- The touches of each path as arrays: label bytes and times (NULL: none).
CREATE TEMP TABLE rpt AS
SELECT r.id, coalesce(array_agg(convert_to(t.label, 'UTF8') ORDER BY t.ord) FILTER (WHERE t.ord IS NOT NULL), '{}') AS labels,
       coalesce(array_agg(t.ts ORDER BY t.ord) FILTER (WHERE t.ord IS NOT NULL), '{}') AS times
FROM rp r LEFT JOIN LATERAL pg_temp.touches(r.p) t ON true
GROUP BY r.id;

-- The documented order, independently: touch by touch, label bytes (UTF-8,
-- a prefix first: bytea order), then time with no time first; then length.
CREATE FUNCTION pg_temp.oracle_cmp(la bytea[], ta timestamptz[], lb bytea[], tb timestamptz[]) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    na integer := coalesce(cardinality(la), 0);
    nb integer := coalesce(cardinality(lb), 0);
BEGIN
    FOR i IN 1..least(na, nb) LOOP
        IF la[i] <> lb[i] THEN
            RETURN CASE WHEN la[i] < lb[i] THEN -1 ELSE 1 END;
        END IF;
        IF ta[i] IS DISTINCT FROM tb[i] THEN
            RETURN CASE WHEN ta[i] IS NULL THEN -1 WHEN tb[i] IS NULL THEN 1
                        WHEN ta[i] < tb[i] THEN -1 ELSE 1 END;
        END IF;
    END LOOP;
    RETURN sign(na - nb);
END
$$;

SELECT is((SELECT count(*) FROM rp), 260::bigint, '260 paths generated');
SELECT ok((SELECT count(*) FILTER (WHERE mops.path_length(p) = 0) > 0 AND count(*) FILTER (WHERE mops.path_length(p) >= 7) > 0
                  AND count(*) FILTER (WHERE kind = 1 AND mops.path_length(p) > 1) > 20 FROM rp),
          'the paths include empty, long and timed ones');

-- text
SELECT is((SELECT count(*) FROM rp WHERE NOT (p::text::mops.touch_path OPERATOR(mops.=) p)), 0::bigint,
          'text round trip: p::text::touch_path = p');
SELECT is((SELECT count(*) FROM rp WHERE p::text::mops.touch_path::text <> p::text), 0::bigint,
          'text output is a fixed point');
SELECT is((SELECT count(*) FROM rp a JOIN rp b ON b.id = a.id + 200 WHERE NOT (a.p OPERATOR(mops.=) b.p)), 0::bigint,
          'an upper-case copy with Z offsets is equal to the original');
SELECT is((SELECT count(*) FROM rp r
            WHERE mops.path_channels(p) IS DISTINCT FROM
                  coalesce((SELECT array_agg(mops.normalize_label(x) ORDER BY o)
                            FROM unnest(string_to_array(nullif(r.lit, ''), ' > ')) WITH ORDINALITY AS u(x, o)
                            WHERE true), '{}')
              AND id <= 200 AND kind = 0), 0::bigint,
          'path_channels of an untimed literal is normalize_label of each touch');
SELECT is((SELECT count(*) FROM rp WHERE mops.path_length(p) <> cardinality(mops.path_channels(p))), 0::bigint,
          'path_length = cardinality(path_channels)');

-- transforms
SELECT is((SELECT count(*) FROM rp WHERE NOT (mops.path_collapse(mops.path_collapse(p)) OPERATOR(mops.=) mops.path_collapse(p))),
          0::bigint, 'path_collapse is idempotent');
SELECT is((SELECT count(*) FROM rp r, LATERAL (SELECT array_agg(c ORDER BY o) AS chans
                                             FROM unnest(mops.path_channels(mops.path_collapse(r.p))) WITH ORDINALITY AS u(c, o)) s
            WHERE EXISTS (SELECT 1 FROM generate_series(2, coalesce(cardinality(s.chans), 0)) i WHERE s.chans[i] = s.chans[i - 1])),
          0::bigint, 'path_collapse leaves no two consecutive touches of one channel');
SELECT is((SELECT count(*) FROM rp r
            WHERE mops.path_collapse(p)::text IS DISTINCT FROM
                  coalesce((SELECT string_agg(CASE WHEN t.ts IS NULL THEN t.label
                                                   ELSE t.label || '@' || to_char(t.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') ||
                                                        CASE WHEN extract(microseconds FROM t.ts)::bigint % 1000000 = 0 THEN ''
                                                             ELSE rtrim('.' || lpad((extract(microseconds FROM t.ts)::bigint % 1000000)::text, 6, '0'), '0') END
                                                        || '+00' END, ' > ' ORDER BY t.ord)
                            FROM pg_temp.touches(r.p) t
                            WHERE t.ord = 1 OR t.label <> (SELECT label FROM pg_temp.touches(r.p) u WHERE u.ord = t.ord - 1)), '')),
          0::bigint, 'path_collapse keeps the first touch of each run, with its time (oracle)');
SELECT is((SELECT count(*) FROM rp
            WHERE cardinality(mops.path_channels(mops.path_first(p)))
                  <> (SELECT count(DISTINCT c) FROM unnest(mops.path_channels(p)) c)
               OR cardinality(mops.path_channels(mops.path_first(p)))
                  <> (SELECT count(DISTINCT c) FROM unnest(mops.path_channels(mops.path_first(p))) c)),
          0::bigint, 'path_first has each channel of the path exactly once');
SELECT is((SELECT count(*) FROM rp WHERE NOT (mops.path_first(mops.path_collapse(p)) OPERATOR(mops.=) mops.path_first(p))
                                      OR NOT (mops.path_first(mops.path_first(p)) OPERATOR(mops.=) mops.path_first(p))),
          0::bigint, 'path_first is idempotent and ignores collapsing first');
SELECT is((SELECT count(*) FROM rp, generate_series(0, 10) n
            WHERE mops.path_length(mops.path_last_n(p, n)) <> least(n, mops.path_length(p))),
          0::bigint, 'path_length(path_last_n(p, n)) = least(n, path_length(p)) for n = 0..10');
SELECT is((SELECT count(*) FROM rp, generate_series(0, 10) n
            WHERE mops.path_channels(mops.path_last_n(p, n))
                  IS DISTINCT FROM (mops.path_channels(p))[mops.path_length(p) - least(n, mops.path_length(p)) + 1 : mops.path_length(p)]
              AND least(n, mops.path_length(p)) > 0),
          0::bigint, 'path_last_n keeps the last n channels in order');
-- path_remove: never contains the channel unless the path was only that channel (then unchanged)
SELECT is((SELECT count(*) FROM rp r,
                  LATERAL (SELECT DISTINCT c FROM unnest(mops.path_channels(r.p)) c
                           UNION SELECT 'not_a_channel') ch,
                  LATERAL (SELECT mops.path_remove(r.p, upper(ch.c)) AS q) s
            WHERE CASE WHEN mops.path_length(r.p) > 0 AND ch.c = ALL (mops.path_channels(r.p))
                       THEN NOT (s.q OPERATOR(mops.=) r.p)
                       ELSE ch.c = ANY (mops.path_channels(s.q))
                            OR mops.path_length(s.q) <> (SELECT count(*) FROM unnest(mops.path_channels(r.p)) x WHERE x <> ch.c) END),
          0::bigint, 'path_remove drops exactly the touches of the channel (spelled in upper case), unless that is all of them');
SELECT is((SELECT count(*) FROM rp r,
                  LATERAL (SELECT DISTINCT c FROM unnest(mops.path_channels(r.p)) c
                           UNION SELECT 'not_a_channel') ch,
                  LATERAL (SELECT mops.path_remove_trailing(r.p, ch.c) AS q) s
            WHERE CASE WHEN mops.path_length(r.p) > 0 AND ch.c = ALL (mops.path_channels(r.p))
                       THEN NOT (s.q OPERATOR(mops.=) r.p)
                       ELSE (mops.path_channels(s.q))[mops.path_length(s.q)] IS NOT DISTINCT FROM ch.c
                            OR mops.path_channels(s.q) IS DISTINCT FROM (mops.path_channels(r.p))[1 : mops.path_length(s.q)]
                            OR NOT (mops.path_last_n(r.p, mops.path_length(r.p) - mops.path_length(s.q))::text = ''
                                    OR ch.c = ALL (mops.path_channels(mops.path_last_n(r.p, mops.path_length(r.p) - mops.path_length(s.q))))) END),
          0::bigint, 'path_remove_trailing drops exactly the trailing run of the channel, unless that is all of the path');
-- path_within on fully timed paths: the touches with lower <= ts <= upper
SELECT is((SELECT count(*) FROM rp r, LATERAL (SELECT max(ts) AS last_ts FROM pg_temp.touches(r.p)) m,
                  unnest(ARRAY[interval '0', '1 hour', '1 day', '3 days', '1 month', '1 year']) AS lb
            WHERE r.kind = 1 AND mops.path_length(r.p) > 0
              AND mops.path_length(mops.path_within(r.p, m.last_ts - interval '1 hour', lb))
                  <> (SELECT count(*) FROM pg_temp.touches(r.p) t
                      WHERE t.ts BETWEEN m.last_ts - interval '1 hour' - lb AND m.last_ts - interval '1 hour')),
          0::bigint, 'path_within keeps exactly the touches between the bounds (inclusive)');
-- path_agg rebuilds a path
SELECT is((SELECT count(*) FROM rp r
            WHERE mops.path_length(r.p) > 0
              AND mops.path_channels((SELECT mops.path_agg(c, timestamptz '2026-01-01 00:00Z' + o * interval '1 second')
                                      FROM unnest(mops.path_channels(r.p)) WITH ORDINALITY AS u(c, o)))
                  IS DISTINCT FROM mops.path_channels(r.p)),
          0::bigint, 'path_agg over path_channels(p) with increasing times has the channels of p');
SELECT is((SELECT count(*) FROM rp r
            WHERE r.kind = 1 AND mops.path_length(r.p) > 0
              AND NOT ((SELECT mops.path_agg(t.label, t.ts) FROM pg_temp.touches(r.p) t) OPERATOR(mops.=)
                       (SELECT mops.path_agg(t.label, t.ts) FROM (SELECT * FROM pg_temp.touches(r.p) ORDER BY ord DESC) t))),
          0::bigint, 'path_agg does not depend on the order of its input rows');
SELECT is((SELECT count(*) FROM rp r
            WHERE r.kind = 1 AND mops.path_length(r.p) > 0
              AND (SELECT mops.path_agg(t.label, t.ts) FROM pg_temp.touches(r.p) t)::text
                  IS DISTINCT FROM (SELECT string_agg(x, ' > ' ORDER BY t.ts, convert_to(t.label, 'UTF8'))
                                    FROM pg_temp.touches(r.p) t, LATERAL split_part(r.p::text, ' > ', t.ord::integer) x)),
          0::bigint, 'path_agg of the touches of a timed path is the path with ties sorted by label bytes');

-- ordering: a total order consistent with equality, with the oracle, and with hashing
-- pairs: the first 130 paths with each other, and the 60 copies with the
-- 60 originals both ways (about 24,000 pairs)
CREATE TEMP TABLE pairs AS
SELECT a.id AS a_id, b.id AS b_id, a.p AS a_p, b.p AS b_p,
       mops.touch_path_cmp(a.p, b.p) AS c, pg_temp.oracle_cmp(x.labels, x.times, y.labels, y.times) AS o
FROM rp a JOIN rpt x ON x.id = a.id, rp b JOIN rpt y ON y.id = b.id
WHERE (a.id <= 130 AND b.id <= 130) OR (a.id > 200 AND b.id <= 60) OR (b.id > 200 AND a.id <= 60);
SELECT ok((SELECT count(*) > 20000 FROM pairs), 'enough pairs compared');
SELECT is((SELECT count(*) FROM pairs WHERE sign(c) <> o), 0::bigint,
          'touch_path_cmp agrees with the documented order (label bytes, time with none first, length)');
SELECT is((SELECT count(*) FROM pairs
            WHERE ((a_p OPERATOR(mops.<) b_p)::int + (a_p OPERATOR(mops.=) b_p)::int + (a_p OPERATOR(mops.>) b_p)::int) <> 1
               OR (a_p OPERATOR(mops.<) b_p) <> (c < 0) OR (a_p OPERATOR(mops.<=) b_p) <> (c <= 0)
               OR (a_p OPERATOR(mops.>=) b_p) <> (c >= 0) OR (a_p OPERATOR(mops.<>) b_p) <> (c <> 0)),
          0::bigint, 'exactly one of <, =, > holds, and the operators agree with the comparator');
SELECT is((SELECT count(*) FROM pairs x JOIN pairs y ON x.a_id = y.b_id AND x.b_id = y.a_id WHERE sign(x.c) <> -sign(y.c)),
          0::bigint, 'the comparator is antisymmetric');
SELECT is((SELECT count(*) FROM pairs WHERE (c = 0) <> (a_p::text = b_p::text)), 0::bigint,
          'equal exactly when the canonical texts are equal');
SELECT is((SELECT count(*) FROM pairs WHERE c = 0 AND (mops.touch_path_hash(a_p) <> mops.touch_path_hash(b_p)
                                                     OR mops.touch_path_hash_extended(a_p, 42) <> mops.touch_path_hash_extended(b_p, 42))),
          0::bigint, 'equal paths hash alike');
SELECT ok((SELECT count(*) FROM pairs WHERE c = 0 AND a_id <> b_id) >= 60, 'the equal pairs include the upper-case copies');
SELECT ok((SELECT count(*) FROM pairs
            WHERE c <> 0 AND (c < 0) <> (convert_to(a_p::text, 'UTF8') < convert_to(b_p::text, 'UTF8'))) > 0,
          'the path order is not the byte order of the text form (some pairs differ)');
-- sorting agrees with pairwise comparison (transitivity, through the sort)
SELECT is((SELECT count(*) FROM
             (SELECT id, p, dense_rank() OVER (ORDER BY p USING OPERATOR(mops.<)) AS pos FROM rp) x,
             (SELECT id, p, dense_rank() OVER (ORDER BY p USING OPERATOR(mops.<)) AS pos FROM rp) y
            WHERE (x.pos < y.pos) <> (x.p OPERATOR(mops.<) y.p) OR (x.pos = y.pos) <> (x.p OPERATOR(mops.=) y.p)),
          0::bigint, 'ORDER BY agrees with < and = on all 67,600 pairs');
SELECT is((SELECT count(DISTINCT p) FROM rp), (SELECT count(DISTINCT p::text) FROM rp),
          'DISTINCT counts the canonical texts');
SELECT is((SELECT count(*) FROM (SELECT p FROM rp GROUP BY p) g), (SELECT count(DISTINCT p::text) FROM rp),
          'GROUP BY counts the canonical texts');

-- ---------------------------------------------------------------------------
-- Bugs these tests found (fixed; kept as regression tests)
-- ---------------------------------------------------------------------------
SELECT throws_ok(pg_temp.tp('a@2026-01-01 10:00+05:'), '22P02', pg_temp.tp_syntax('a@2026-01-01 10:00+05:'),
                 'an offset "+05:" with a colon and no minutes: 22P02');
SELECT throws_ok(pg_temp.tp('a@2026-01-01 10:00+05: > b'), '22P02', pg_temp.tp_syntax('a@2026-01-01 10:00+05: > b'),
                 'an offset "+05:" before the next touch: 22P02');

-- (a temporary table is never scanned in parallel: a plain one, gone at the ROLLBACK)
CREATE TABLE public.tp_big_group AS
SELECT 'a'::text AS c, timestamptz '2026-01-01 00:00Z' + i * interval '1 second' AS t FROM generate_series(1, 1000001) i;
ANALYZE public.tp_big_group;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SET LOCAL max_parallel_workers = 1;
SELECT throws_ok($$SELECT mops.path_agg(c, t) FROM public.tp_big_group$$, '54000', 'touch_path is too long',
                 'path_agg of 1,000,001 rows read by one parallel worker: 54000 as in a serial plan');

SELECT * FROM finish();
ROLLBACK;
