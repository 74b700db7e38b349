-- touch_path: the type, its functions and path_agg (DESIGN §3.4, the header
-- comment of src/core/touch_path.h for the text, stored and wire forms).
-- Every statement is preceded by "-- expect:", the result it must give and
-- the rule that says so.  SQLSTATEs of the errors are checked by pgTAP
-- (test/touch_path.sql); the \copy errors at the end, which pgTAP cannot
-- reach, are run a second time with VERBOSITY sqlstate.
SET search_path = mops, public;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

-- ---------------------------------------------------------------------------
-- Text input and output
-- ---------------------------------------------------------------------------

-- expect: email > paid_search > direct -- the DESIGN example reads back as written.
SELECT 'email > paid_search > direct'::touch_path;
-- expect: paid_search > email > paid_social -- labels are normalised like
-- normalize_label (case folded; runs of blanks, '-' and '_' become one '_';
-- trimmed); output joins the touches with ' > ' whatever the input spacing.
SELECT 'Paid Search>EMAIL>  paid--SOCIAL '::touch_path;
-- expect: paid_search > email -- NFKC: full-width letters and the
-- ideographic space fold to ASCII.
SELECT 'Ｐａｉｄ　Ｓｅａｒｃｈ > ＥＭＡＩＬ'::touch_path;
-- expect: a > b > c -- blanks (space, tab, newline) around '>' are ignored,
-- and none are needed.
SELECT E'a>b \t>\n c'::touch_path;
-- expect: émail > 成交 > заявка -- non-ASCII labels; É case-folds to é.
SELECT 'ÉMAIL > 成交 > Заявка'::touch_path;
-- expect: a_b > a1 > a.b -- '_' and '-' are separators, digits and '.' are
-- kept as they are.
SELECT 'A-B > A1 > a.b'::touch_path;
-- expect: every row t | t -- the output parses back to an equal value and
-- is a fixed point of input ∘ output.
SELECT p::text AS p, p::text::touch_path = p AS round_trip,
       p::text::touch_path::text = p::text AS fixed_point
FROM (VALUES ('email > paid_search > direct'::touch_path),
             ('Ｅｍａｉｌ>Direct'),
             ('a@2026-01-01 10:00:00.5+01:00 > B@2026-01-01T09:30Z'),
             (''),
             ('émail > 成交@2024-02-29 23:59:59.999999-05')) AS v(p);

-- ---------------------------------------------------------------------------
-- Times: ISO 8601 with an explicit offset, written back in UTC
-- ---------------------------------------------------------------------------

-- expect: a@2026-01-01 10:00:00+00 (n 1) -- '+00' is UTC; seconds are
--   always written;
-- 10:00:00+00 (n 2) -- 'Z';  08:00:00+00 (n 3) -- +HH: 10:00 at +02 is
--   08:00 UTC;
-- 04:30:00+00 (n 4, 5) -- +HH:MM and +HHMM;  15:30:00+00 (n 6) -- -05:30
--   adds 5 h 30;
-- 10:00:00+00 (n 7, 8) -- 'T' and 't' separate date and time, 'z' is 'Z';
-- 2025-12-31 20:00:00+00 (n 9) -- an offset can move the date back;
-- 10:00:00+00 (n 10) -- a blank may stand before the offset, and blanks
--   around '@' are ignored.
SELECT n, lit, lit::touch_path AS p
FROM (VALUES (1, 'a@2026-01-01 10:00:00+00'), (2, 'a@2026-01-01 10:00Z'),
             (3, 'a@2026-01-01 10:00+02'), (4, 'a@2026-01-01 10:00+05:30'),
             (5, 'a@2026-01-01 10:00+0530'), (6, 'a@2026-01-01 10:00-05:30'),
             (7, 'a@2026-01-01T10:00:00Z'), (8, 'a@2026-01-01t10:00z'),
             (9, 'a@2026-01-01 01:00+05'), (10, ' a @ 2026-01-01 10:00 +00 ')) AS v(n, lit)
ORDER BY n;

-- expect: fractions of 1 to 6 digits are microseconds, written with their
-- trailing zeros dropped: .5, .12, .123, .1234, .12345, .123456, .1 (from
-- .100000), .000001, and no fraction for .0.
SELECT f, ('a@2026-01-01 10:00:00' || f || 'Z')::touch_path AS p
FROM unnest(ARRAY['.5', '.12', '.123', '.1234', '.12345', '.123456', '.100000',
                  '.000001', '.0']) WITH ORDINALITY AS v(f, n)
ORDER BY n;

-- expect: the same text under every TimeZone: a literal names one instant
-- (the offset is required) and output is always UTC.
SET timezone = 'America/New_York';
SELECT 'a@2026-07-01 10:00+02 > b@2026-12-01 10:00-05'::touch_path AS new_york;
SET timezone = 'Asia/Kolkata';
SELECT 'a@2026-07-01 10:00+02 > b@2026-12-01 10:00-05'::touch_path AS kolkata;
SET timezone = 'UTC';

-- expect: a@2024-02-29 00:00:00+00 | a@2000-02-29 00:00:00+00 -- 2024 and
-- 2000 are leap years.
SELECT 'a@2024-02-29 00:00Z'::touch_path AS leap_2024, 'a@2000-02-29 00:00Z'::touch_path AS leap_2000;
-- expect: a@0001-01-01 00:00:00+00 | a@9999-12-31 23:59:59.999999+00 |
-- a@0001-01-01 01:00:00+00 -- the two ends of the range (years 0001..9999
-- in UTC) are accepted; 0001-01-01 00:00 at -01 is one hour inside it.
SELECT 'a@0001-01-01 00:00Z'::touch_path AS first_instant,
       'a@9999-12-31 23:59:59.999999+00'::touch_path AS last_instant,
       'a@0001-01-01 00:00-01'::touch_path AS inside_by_offset;
-- expect: b@2026-01-01 00:00:00+00 > a@2026-01-01 00:00:00+00 -- equal
-- times do not decrease; text input keeps the order written.
SELECT 'b@2026-01-01 00:00Z > a@2026-01-01 00:00Z'::touch_path;
-- expect: a@2026-01-01 08:00:00+00 > b@2026-01-01 08:00:00+00 -- the same
-- instant written with two offsets is not a decrease.
SELECT 'a@2026-01-01 10:00+02 > b@2026-01-01 09:00+01'::touch_path;
-- expect: a@2026-01-01 00:00:00+00 > b > c@2026-01-02 00:00:00+00 -- a time
-- is optional per touch; touches without one do not take part in the order
-- check.
SELECT 'a@2026-01-01 00:00Z > b > c@2026-01-02 00:00Z'::touch_path;

-- ---------------------------------------------------------------------------
-- The empty path
-- ---------------------------------------------------------------------------

-- expect: (empty) | (empty) | (empty) | 0 | 0 | t | {} -- the empty string
-- and a string of blanks are the empty path, of length 0, written as ''.
SELECT ''::touch_path AS empty, '   '::touch_path AS blanks, E'\t\n '::touch_path AS white,
       path_length(''::touch_path) AS len, path_length('   '::touch_path) AS len_blanks,
       ''::touch_path = '   '::touch_path AS equal, path_channels(''::touch_path) AS channels;

-- ---------------------------------------------------------------------------
-- Bad literals (22P02 syntax, 22008 time out of range; codes in pgTAP)
-- ---------------------------------------------------------------------------

-- expect: ERROR invalid input syntax, DETAIL Touch 2 is empty -- two '>'
-- with nothing between them.
SELECT 'a > > b'::touch_path;
-- expect: ERROR, DETAIL Touch 2 is empty -- a trailing '>'.
SELECT 'a >'::touch_path;
-- expect: ERROR, DETAIL Touch 1 is empty -- a leading '>'.
SELECT '> a'::touch_path;
-- expect: ERROR, DETAIL a touch time needs an explicit UTC offset -- no
-- offset, so the instant would depend on TimeZone.
SELECT 'a@2026-01-01 10:00'::touch_path;
-- expect: ERROR syntax, DETAIL the accepted form -- a date without a time
-- of day.
SELECT 'a@2026-01-01Z'::touch_path;
-- expect: ERROR syntax -- '@' with no time after it.
SELECT 'a@'::touch_path;
-- expect: ERROR touch time out of range, DETAIL a field is out of range --
-- February 30 does not exist.
SELECT 'a@2024-02-30 10:00Z'::touch_path;
-- expect: ERROR out of range -- 2025 is not a leap year.
SELECT 'a@2025-02-29 10:00Z'::touch_path;
-- expect: ERROR out of range -- 1900 is not a leap year (divisible by 100,
-- not by 400).
SELECT 'a@1900-02-29 10:00Z'::touch_path;
-- expect: ERROR out of range -- hours run 00..23 (24:00 is not accepted).
SELECT 'a@2026-01-01 24:00Z'::touch_path;
-- expect: ERROR out of range -- seconds run 00..59.
SELECT 'a@2026-01-01 23:59:60Z'::touch_path;
-- expect: ERROR out of range -- offsets run up to 15 hours.
SELECT 'a@2026-01-01 10:00+16'::touch_path;
-- expect: ERROR syntax -- at most 6 fractional digits (microseconds).
SELECT 'a@2026-01-01 10:00:00.1234567Z'::touch_path;
-- expect: ERROR syntax -- a '.' needs at least one digit.
SELECT 'a@2026-01-01 10:00:00.Z'::touch_path;
-- expect: ERROR out of range -- year 0000 is before 0001.
SELECT 'a@0000-01-01 00:00Z'::touch_path;
-- expect: ERROR syntax -- the year is four digits (YYYY), so a five-digit
-- year does not match the form.
SELECT 'a@10000-01-01 00:00Z'::touch_path;
-- expect: ERROR out of range, DETAIL times must lie between 0001-01-01 and
-- 9999-12-31 (UTC) -- 0001-01-01 00:00 at +01 is 0000-12-31 23:00 UTC.
SELECT 'a@0001-01-01 00:00+01'::touch_path;
-- expect: ERROR out of range -- one minute after the last instant in UTC.
SELECT 'a@9999-12-31 23:59:59.999999-00:01'::touch_path;
-- expect: ERROR syntax, DETAIL Touch 2 is earlier than the touch before it
-- -- times must not decrease along a path.
SELECT 'a@2026-01-02 00:00Z > b@2026-01-01 00:00Z'::touch_path;
-- expect: ERROR, DETAIL Touch 3 is earlier -- the check skips touches
-- without a time, so c is compared with a.
SELECT 'a@2026-01-02 00:00Z > b > c@2026-01-01 23:59:59.999999Z'::touch_path;
-- expect: ERROR syntax, DETAIL a label cannot contain ">" or "@" -- the
-- full-width '＠' is not a time separator, but folds (NFKC) to '@' in the
-- label.
SELECT 'a＠b'::touch_path;
-- expect: the same for the full-width '＞'.
SELECT 'a＞b'::touch_path;
-- expect: ERROR, DETAIL a channel label is empty after normalisation --
-- '---' is separators only.
SELECT '---'::touch_path;
-- expect: ERROR, DETAIL the label is empty -- a time without a label.
SELECT '@2026-01-01 10:00Z'::touch_path;

-- ---------------------------------------------------------------------------
-- Equality, ordering, hashing
-- ---------------------------------------------------------------------------

-- expect: t | t | f | t | f | t -- equality is of the normalised touches:
-- spellings of one label are equal; a touch with a time is not the touch
-- without; one instant written with two offsets is equal; a different
-- order is a different path; <> is the negation of =.
SELECT 'Email > Direct'::touch_path = ' email>DIRECT '::touch_path AS spellings,
       'Ｅｍａｉｌ'::touch_path = 'email'::touch_path AS full_width,
       'a'::touch_path = 'a@2026-01-01 00:00Z'::touch_path AS time_vs_none,
       'a@2026-01-01 10:00+02'::touch_path = 'a@2026-01-01 08:00Z'::touch_path AS same_instant,
       'a > b'::touch_path = 'b > a'::touch_path AS order_matters,
       'a > b'::touch_path <> 'b > a'::touch_path AS ne;

CREATE TABLE tp_ord (id integer, p touch_path);
INSERT INTO tp_ord VALUES
    (1, ''), (2, 'a'), (3, 'a > b'), (4, 'a@2026-01-01 00:00Z'), (5, 'a@2026-01-02 00:00Z'),
    (6, 'a@2026-01-01 00:00Z > b'), (7, 'a_b'), (8, 'a1'), (9, 'b'), (10, 'émail'),
    (11, 'email'), (12, 'zz'), (13, 'a > a'), (14, NULL);
-- expect: ids 1, 2, 13, 3, 4, 6, 5, 8, 7, 9, 11, 12, 10, then NULL (14) --
-- the order of the header: touch by touch, label bytes (a label before its
-- extensions: 'a' < 'a1' < 'a_b'; bytes, not collation: 'zz' < 'émail'),
-- then time with no time first ('a > b' < 'a@…'), then length ('a' <
-- 'a > a'); the empty path first.  text_rank, the rank of the text form in
-- C collation, differs (for example 'a1' sorts before 'a@…' as text):
-- the text order is not the path order.
SELECT id, p, rank() OVER (ORDER BY p::text COLLATE "C") AS text_rank
FROM tp_ord ORDER BY p, id;
-- expect: t -- < agrees with ORDER BY on every pair (a total order):
-- exactly one of <, =, > holds, and they agree with the sort positions.
SELECT bool_and(((x.p < y.p)::int + (x.p = y.p)::int + (x.p > y.p)::int) = 1
                AND (x.p < y.p) = (x.pos < y.pos) AND (x.p = y.p) = (x.pos = y.pos)
                AND (x.p <= y.p) = (x.pos <= y.pos) AND (x.p >= y.p) = (x.pos >= y.pos)) AS consistent
FROM (SELECT p, dense_rank() OVER (ORDER BY p) AS pos FROM tp_ord WHERE p IS NOT NULL) x,
     (SELECT p, dense_rank() OVER (ORDER BY p) AS pos FROM tp_ord WHERE p IS NOT NULL) y;
-- expect: (empty) | émail -- min is the empty path, max the last in the
-- order above; NULL is ignored.
SELECT min(p) AS min, max(p) AS max FROM tp_ord;
-- expect: 3 -- DISTINCT over spellings: 'Email > Direct', 'email>direct',
-- ' EMAIL  >  DIRECT ' are one path; 'direct > email' and 'email' are
-- others.
SELECT count(DISTINCT p) FROM (VALUES ('Email > Direct'::touch_path), ('email>direct'),
    (' EMAIL  >  DIRECT '), ('direct > email'), ('email')) AS v(p);
-- expect: direct > email | 1 ; email | 1 ; email > direct | 3 -- GROUP BY
-- uses the same equality (sorted output).
SELECT p, count(*) FROM (VALUES ('Email > Direct'::touch_path), ('email>direct'),
    (' EMAIL  >  DIRECT '), ('direct > email'), ('email')) AS v(p)
GROUP BY p ORDER BY p;
-- expect: a HashAggregate, and the same groups (the hash is of the stored
-- bytes, which are equal for equal paths); the output sorted afterwards.
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT p, count(*) FROM (VALUES ('Email > Direct'::touch_path), ('email>direct'),
    (' EMAIL  >  DIRECT '), ('direct > email'), ('email')) AS v(p)
GROUP BY p;
SELECT * FROM (SELECT p, count(*) FROM (VALUES ('Email > Direct'::touch_path), ('email>direct'),
    (' EMAIL  >  DIRECT '), ('direct > email'), ('email')) AS v(p)
    GROUP BY p OFFSET 0) s
ORDER BY p::text COLLATE "C";
RESET enable_sort;

-- A hash join and btree and hash indexes on a touch_path column: 2,000
-- distinct paths built from i (i % 5 and i / 5 % 5 pick two of five channels,
-- a third touch c<i / 25> has a time when i is even), and a second table
-- holding every third of them, re-read from an upper-case text with Z
-- offsets.
CREATE TABLE tp_left AS
SELECT i, format('%s > %s > c%s%s', (ARRAY['email', 'direct', 'paid_search', 'organic', 'émail'])[i % 5 + 1],
                 (ARRAY['email', 'direct', 'paid_search', 'organic', 'émail'])[i / 5 % 5 + 1], i / 25,
                 CASE WHEN i % 2 = 0 THEN '@2026-01-01 00:00Z' ELSE '' END)::touch_path AS p
FROM generate_series(0, 1999) i;
CREATE TABLE tp_right AS
SELECT i, upper(replace(p::text, '+00', 'Z'))::touch_path AS p FROM tp_left WHERE i % 3 = 0;
ANALYZE tp_left, tp_right;
-- expect: 2000 | 667 -- the left paths are distinct (i is i % 5, i / 5 % 5
-- and i / 25); 667 multiples of 3 in 0..1999.
SELECT (SELECT count(DISTINCT p) FROM tp_left) AS left_distinct, (SELECT count(*) FROM tp_right) AS right_rows;
SET enable_mergejoin = off;
SET enable_nestloop = off;
-- expect: a Hash Join on (l.p = r.p).
EXPLAIN (COSTS OFF) SELECT count(*) FROM tp_left l JOIN tp_right r ON l.p = r.p;
-- expect: 667 | 667 -- every right row finds its left path, and only it.
SELECT count(*) AS pairs, count(*) FILTER (WHERE l.i = r.i) AS same_i
FROM tp_left l JOIN tp_right r ON l.p = r.p;
RESET enable_mergejoin;
RESET enable_nestloop;

CREATE INDEX tp_left_p ON tp_left (p);
CREATE INDEX tp_left_p_hash ON tp_left USING hash (p);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
-- expect: an Index Only Scan using tp_left_p for the range.
EXPLAIN (COSTS OFF) SELECT count(*) FROM tp_left WHERE p >= 'direct' AND p < 'email';
-- expect: 400 -- the paths starting with direct (i % 5 = 1): the one-touch
-- path 'direct' sorts before every longer path starting with it, and
-- 'direct' < 'email'.
SELECT count(*) AS by_index FROM tp_left WHERE p >= 'direct' AND p < 'email';
-- expect: 27 | paid_search > email > c1 -- an equality lookup through the
-- btree index, with the literal spelled differently (i = 25 + 0 + 2, odd:
-- no time).
SELECT i, p FROM tp_left WHERE p = 'Paid Search > Email > C1';
-- expect: an Index Scan using tp_left_p_hash once the btree index is gone,
-- and the same row.
DROP INDEX tp_left_p;
EXPLAIN (COSTS OFF) SELECT i, p FROM tp_left WHERE p = 'PAID_SEARCH>EMAIL>c1';
SELECT i, p FROM tp_left WHERE p = 'PAID_SEARCH>EMAIL>c1';
-- expect: 52 | paid_search > email > c2@2026-01-01 00:00:00+00 -- a path
-- with a time (52 % 5 = 2, 52 / 5 % 5 = 0, 52 / 25 = 2, even); '+00' and
-- 'Z' are one offset.
SELECT i, p FROM tp_left WHERE p = 'paid_search > email > c2@2026-01-01 00:00+00';
RESET enable_seqscan;
RESET enable_bitmapscan;
SET enable_indexscan = off;
SET enable_indexonlyscan = off;
SET enable_bitmapscan = off;
-- expect: 400 -- the same count by a sequential scan.
EXPLAIN (COSTS OFF) SELECT count(*) FROM tp_left WHERE p >= 'direct' AND p < 'email';
SELECT count(*) AS by_seqscan FROM tp_left WHERE p >= 'direct' AND p < 'email';
RESET enable_indexscan;
RESET enable_indexonlyscan;
RESET enable_bitmapscan;

-- ---------------------------------------------------------------------------
-- path_length, path_channels
-- ---------------------------------------------------------------------------

-- expect: 3 | {a,b,a} -- repeats count and are listed, in path order.
SELECT path_length('A > b > a'::touch_path), path_channels('A > b > a'::touch_path);
-- expect: 2 | {email,direct} -- times are not part of the channels.
SELECT path_length('email@2026-01-01 00:00Z > direct'::touch_path),
       path_channels('email@2026-01-01 00:00Z > direct'::touch_path);
-- expect: t | t -- STRICT: NULL in, NULL out.
SELECT path_length(NULL::touch_path) IS NULL AS len_null, path_channels(NULL::touch_path) IS NULL AS channels_null;
-- expect: ERROR function path_length(unknown) is not unique -- an untyped
-- literal matches pg_catalog.path_length(path) too: cast it.
SELECT path_length('a > b');

-- ---------------------------------------------------------------------------
-- Transforms
-- ---------------------------------------------------------------------------

-- expect: every column empty -- each transform of the empty path is the
-- empty path (path_within too: no touch lacks a time).
SELECT path_collapse(p) AS collapse, path_first(p) AS first, path_last_n(p, 0) AS last_0,
       path_last_n(p, 3) AS last_3, path_within(p, '2026-01-01 00:00Z', '1 day') AS within,
       path_remove(p, 'direct') AS remove, path_remove_trailing(p, 'direct') AS remove_trailing
FROM (VALUES (''::touch_path)) AS v(p);

-- expect: a | a | a | (empty) | a | a -- a one-touch path is its own
-- collapse, first and last 1; last 0 is empty; removing its only channel
-- leaves it unchanged (the path is only that channel).
SELECT path_collapse(p) AS collapse, path_first(p) AS first, path_last_n(p, 1) AS last_1,
       path_last_n(p, 0) AS last_0, path_remove(p, 'A') AS remove, path_remove_trailing(p, 'a') AS remove_trailing
FROM (VALUES ('a'::touch_path)) AS v(p);

-- expect: direct | direct | direct > direct > direct (twice) -- an
-- all-direct path collapses to one touch, and removing direct (all of it,
-- or at the end) leaves it unchanged.
SELECT path_collapse(p) AS collapse, path_first(p) AS first,
       path_remove(p, 'direct') AS remove, path_remove_trailing(p, 'DIRECT') AS remove_trailing
FROM (VALUES ('direct > direct > direct'::touch_path)) AS v(p);

-- expect: a > b > a (collapse: runs merge, the later a is a new run) |
-- a > b > c (first occurrences) -- the examples of the function comments.
SELECT path_collapse('a > a > b > a'::touch_path) AS collapse, path_first('a > b > a > c'::touch_path) AS first;

-- expect: a > b | a | a | b > b > b -- trailing repeats: collapse keeps one
-- b; removing b (all, or the trailing run) leaves a; the last 3 touches.
SELECT path_collapse(p) AS collapse, path_remove(p, 'b') AS remove,
       path_remove_trailing(p, 'b') AS remove_trailing, path_last_n(p, 3) AS last_3
FROM (VALUES ('a > b > b > b'::touch_path)) AS v(p);

-- expect: collapse keeps the FIRST touch of each run with its time:
-- a@10:00 > b@12:00 > a@13:00; first keeps a@10:00 > b@12:00; last 2 is
-- a@13:00 > a@14:00.
SELECT path_collapse(p) AS collapse, path_first(p) AS first, path_last_n(p, 2) AS last_2
FROM (VALUES ('a@2026-01-01 10:00Z > a@2026-01-01 11:00Z > b@2026-01-01 12:00Z > a@2026-01-01 13:00Z > a@2026-01-01 14:00Z'::touch_path)) AS v(p);

-- expect: (empty) | a > b > c | a > b > c | b > c -- path_last_n with 0,
-- n > length (the whole path), n = length, n = 2.
SELECT path_last_n(p, 0) AS n0, path_last_n(p, 5) AS n5, path_last_n(p, 3) AS n3, path_last_n(p, 2) AS n2
FROM (VALUES ('a > b > c'::touch_path)) AS v(p);
-- expect: a > b > c -- the largest n.
SELECT path_last_n('a > b > c'::touch_path, 2147483647);
-- expect: ERROR path_last_n: n must not be negative, DETAIL n was -1.
SELECT path_last_n('a > b > c'::touch_path, -1);

-- expect: t | t -- collapse and first are idempotent.
SELECT path_collapse(path_collapse(p)) = path_collapse(p) AS collapse_idempotent,
       path_first(path_first(p)) = path_first(p) AS first_idempotent
FROM (VALUES ('a > a > b > a > c > c > b'::touch_path)) AS v(p);

-- ---------------------------------------------------------------------------
-- path_within: conversion_at - lookback <= time <= conversion_at
-- ---------------------------------------------------------------------------

CREATE TABLE tp_w (p touch_path);
INSERT INTO tp_w VALUES ('a@2026-01-01 00:00Z > b@2026-01-10 00:00Z > c@2026-01-31 00:00Z > d@2026-02-01 00:00Z');
-- expect: a > b > c (case 1) -- both bounds inclusive: a is exactly at
--   2026-01-31 - 30 days, c exactly at conversion_at; d is after it;
-- b > c (case 2) -- one microsecond less lookback drops a;
-- a > b (case 3) -- conversion one microsecond before c drops c;
-- c (case 4) -- a zero lookback keeps the touches at conversion_at only;
-- (empty) (case 5) -- a conversion before every touch;
-- a > b > c > d (case 6) -- a lookback reaching far back.
SELECT n, path_within(p, at, lookback) AS within
FROM tp_w, (VALUES (1, timestamptz '2026-01-31 00:00Z', interval '30 days'),
                   (2, '2026-01-31 00:00Z', '29 days 23:59:59.999999'),
                   (3, '2026-01-30 23:59:59.999999Z', '30 days'),
                   (4, '2026-01-31 00:00Z', '0'),
                   (5, '2025-12-31 23:59:59.999999Z', '1 year'),
                   (6, '2026-02-01 00:00Z', '100 years')) AS v(n, at, lookback)
ORDER BY n;
-- expect: ERROR path_within needs a time on every touch (DETAIL, HINT).
SELECT path_within('a > b'::touch_path, '2026-01-31 00:00Z', '30 days');
-- expect: the same error when only some touches have a time.
SELECT path_within('a@2026-01-01 00:00Z > b'::touch_path, '2026-01-31 00:00Z', '30 days');
-- expect: ERROR lookback must not be negative.
SELECT path_within(p, '2026-01-31 00:00Z', '-1 day') FROM tp_w;
-- expect: the same error for a mixed-sign interval: every field must be >= 0.
SELECT path_within(p, '2026-01-31 00:00Z', '1 month -1 day') FROM tp_w;
-- expect: ERROR conversion_at must be finite.
SELECT path_within(p, 'infinity', '1 day') FROM tp_w;
-- expect: t | t -- STRICT: a NULL argument gives NULL.
SELECT path_within(p, NULL, '1 day') IS NULL AS null_at, path_within(p, '2026-01-31 00:00Z', NULL) IS NULL AS null_lookback
FROM tp_w;

-- Calendar arithmetic in the session time zone (hence STABLE): Europe/Berlin
-- changes to summer time on 2026-03-29.  conversion_at is 2026-04-15 12:00
-- UTC (14:00 in Berlin).
-- '1 month':   UTC: 2026-03-15 12:00 UTC.  Berlin: 2026-03-15 14:00 CET =
--              13:00 UTC, so x (12:30 UTC) is out.
-- '30 days':   UTC: 2026-03-16 12:00 UTC.  Berlin: 2026-03-16 14:00 CET =
--              13:00 UTC, so z (2026-03-16 12:30 UTC) is out.
-- '720 hours': an absolute span, 2026-03-16 12:00 UTC in both zones: z in.
TRUNCATE tp_w;
INSERT INTO tp_w VALUES ('x@2026-03-15 12:30Z > z@2026-03-16 12:30Z > y@2026-04-15 12:00Z');
-- expect: UTC: 1 month x > z > y; 30 days z > y; 720 hours z > y.
SET timezone = 'UTC';
SELECT lookback, path_within(p, '2026-04-15 12:00Z', lookback) AS within,
       timestamptz '2026-04-15 12:00Z' - lookback AS lower_bound
FROM tp_w, (VALUES (interval '1 month'), ('30 days'), ('720 hours')) AS v(lookback);
-- expect: Europe/Berlin: 1 month z > y; 30 days y; 720 hours z > y; the
-- lower bounds are those of SQL's timestamptz - interval (shown in Berlin
-- time: 14:00+01 and 14:00+01 and 13:00+01).
SET timezone = 'Europe/Berlin';
SELECT lookback, path_within(p, '2026-04-15 12:00Z', lookback) AS within,
       timestamptz '2026-04-15 12:00Z' - lookback AS lower_bound
FROM tp_w, (VALUES (interval '1 month'), ('30 days'), ('720 hours')) AS v(lookback);
SET timezone = 'UTC';
-- expect: s -- path_within is STABLE (it depends on TimeZone); the other
-- functions are IMMUTABLE (i).
SELECT proname, provolatile FROM pg_proc
WHERE pronamespace = 'mops'::regnamespace
  AND proname IN ('path_within', 'path_collapse', 'path_first', 'path_last_n', 'path_remove',
                  'path_remove_trailing', 'path_length', 'path_channels')
ORDER BY proname;

-- ---------------------------------------------------------------------------
-- path_remove, path_remove_trailing
-- ---------------------------------------------------------------------------

-- expect: a > b | a > direct > b -- the channel argument is normalised
-- ('DIRECT', ' Direct ' are direct); remove drops every touch of it,
-- remove_trailing only the run at the end (the example of its comment).
SELECT path_remove('direct > a > direct > b > direct'::touch_path, 'DIRECT') AS remove,
       path_remove_trailing('a > direct > b > direct > direct'::touch_path, ' Direct ') AS remove_trailing;
-- expect: a > b | a > b -- a channel not in the path changes nothing; a
-- channel that is a prefix of a label ('a' of 'a_b') is not that label.
SELECT path_remove('a > b'::touch_path, 'zz') AS not_in_path,
       path_remove('a_b > c'::touch_path, 'a')::text = 'a_b > c' AS prefix_kept;
-- expect: a > direct > b -- remove_trailing leaves a channel that is not at
-- the end.
SELECT path_remove_trailing('a > direct > b'::touch_path, 'direct');
-- expect: direct > direct | direct > direct -- a path of only that channel
-- is returned unchanged by both.
SELECT path_remove('direct > direct'::touch_path, 'direct') AS remove,
       path_remove_trailing('direct > direct'::touch_path, 'Direct') AS remove_trailing;
-- expect: (empty) | (empty) -- the empty path.
SELECT path_remove(''::touch_path, 'direct') AS remove, path_remove_trailing(''::touch_path, 'direct') AS remove_trailing;
-- expect: email@2026-01-01 10:00:00+00 > paid_search@2026-01-03 10:00:00+00
-- -- the kept touches keep their times.
SELECT path_remove('email@2026-01-01 10:00Z > direct@2026-01-02 10:00Z > paid_search@2026-01-03 10:00Z'::touch_path, 'direct');

-- ---------------------------------------------------------------------------
-- path_agg(channel, ts)
-- ---------------------------------------------------------------------------

-- expect: email@09:00 > a@10:00 > b@10:00 > email@11:00 -- ordered by ts,
-- ties (a, b at 10:00) by label; 'Email' and 'email' are one channel; the
-- row with a NULL channel and the row with a NULL ts are skipped.
SELECT path_agg(c, t) FROM (VALUES ('b', timestamptz '2026-01-01 10:00Z'), ('a', '2026-01-01 10:00Z'),
    ('Email', '2026-01-01 09:00Z'), ('email', '2026-01-01 11:00Z'), (NULL, '2026-01-01 08:00Z'),
    ('x', NULL)) AS v(c, t);
-- expect: a > a_b > ab > b > zz > émail, all at 10:00 -- a tie in ts is
-- broken by the bytes of the normalised label ('a' before its extensions,
-- '_' (0x5F) before 'b', 'é' (0xC3 0xA9) after 'z'), not by the input order
-- or a collation.
SELECT path_agg(c, t) FROM (VALUES ('zz', timestamptz '2026-01-01 10:00Z'), ('ab', '2026-01-01 10:00Z'),
    ('ÉMAIL', '2026-01-01 10:00Z'), ('a', '2026-01-01 10:00Z'), ('A-B', '2026-01-01 10:00Z'),
    ('B', '2026-01-01 10:00Z')) AS v(c, t);
-- expect: a@10:00 > a@10:00 -- two equal touches are two touches.
SELECT path_agg(c, t) FROM (VALUES ('a', timestamptz '2026-01-01 10:00Z'), ('A', '2026-01-01 10:00Z')) AS v(c, t);
-- expect: t | t | t -- no rows, only NULL channels, only NULL times: NULL.
SELECT (SELECT path_agg(c, t) FROM (VALUES ('a', timestamptz '2026-01-01 10:00Z')) AS v(c, t) WHERE false) IS NULL AS no_rows,
       (SELECT path_agg(c, t) FROM (VALUES (NULL::text, timestamptz '2026-01-01 10:00Z'), (NULL, '2026-01-02 10:00Z')) AS v(c, t)) IS NULL AS null_channels,
       (SELECT path_agg(c, t) FROM (VALUES ('a', NULL::timestamptz), ('b', NULL)) AS v(c, t)) IS NULL AS null_times;
-- expect: a@2026-01-01 10:00:00.000001+00 > b@2026-01-01 10:00:00.000002+00
-- -- microseconds are kept; the input order (DESC here) does not matter.
SELECT path_agg(c, t ORDER BY t DESC) FROM (VALUES ('a', timestamptz '2026-01-01 10:00:00.000001Z'),
    ('b', '2026-01-01 10:00:00.000002Z')) AS v(c, t);
-- expect: a@2026-01-01 08:00:00+00 -- ts is an instant: written in UTC
-- whatever TimeZone is.
SET timezone = 'Asia/Tokyo';
SELECT path_agg('a', timestamptz '2026-01-01 17:00+09');
SET timezone = 'UTC';
-- expect: ERROR invalid channel label "  ", DETAIL empty after
-- normalisation, HINT use NULL to skip a row.
SELECT path_agg(c, t) FROM (VALUES ('a', timestamptz '2026-01-01 10:00Z'), ('  ', '2026-01-01 11:00Z')) AS v(c, t);
-- expect: the same for '---' (separators only).
SELECT path_agg('---', timestamptz '2026-01-01 10:00Z');
-- expect: ERROR invalid channel label "a>b", DETAIL contains ">" or "@".
SELECT path_agg('a>b', timestamptz '2026-01-01 10:00Z');
-- expect: the same for 'a＠b' (full-width, folds to '@').
SELECT path_agg('a＠b', timestamptz '2026-01-01 10:00Z');
-- expect: ERROR touch time out of range for path_agg, DETAIL ...; infinity
-- is not a time.
SELECT path_agg('a', timestamptz 'infinity');
-- expect: the same for -infinity.
SELECT path_agg('a', timestamptz '-infinity');
-- expect: ERROR out of range, without the infinity remark -- a finite time
-- before 0001-01-01 UTC.
SELECT path_agg('a', timestamptz '0001-01-01 00:00Z' - interval '1 microsecond');

-- Grouped by customer over a small table.
CREATE TABLE tp_touches (customer integer, channel text, ts timestamptz);
INSERT INTO tp_touches VALUES
    (1, 'Email', '2026-01-01 10:00Z'), (1, 'Paid Search', '2026-01-02 10:00Z'), (1, 'Direct', '2026-01-03 10:00Z'),
    (2, 'direct', '2026-01-05 10:00Z'), (2, 'Organic Social', '2026-01-04 10:00Z'), (2, NULL, '2026-01-06 10:00Z'),
    (3, 'EMAIL', '2026-01-01 10:00Z'), (3, 'email', '2026-01-01 09:00Z'), (3, 'direct', '2026-01-01 10:00Z'),
    (4, NULL, '2026-01-01 10:00Z');
-- expect: 1: email > paid_search > direct (by day); 2: organic_social >
-- direct (the NULL channel skipped); 3: email@09 > direct@10 > email@10 (tie
-- at 10:00: 'direct' < 'email'); 4: NULL (only a NULL channel).
SELECT customer, path_agg(channel, ts) AS path, path_length(path_agg(channel, ts)) AS len
FROM tp_touches GROUP BY customer ORDER BY customer;

-- ---------------------------------------------------------------------------
-- path_agg under parallel aggregation: the same answers as serially
-- ---------------------------------------------------------------------------
-- 200,000 touches of 20,000 customers from a deterministic formula (the 10
-- rows of a customer are 20,000 rows apart, so different workers read them);
-- eight spellings of five channels; times on a 1-minute grid within a few
-- hours, so that ties in ts (broken by label) are common.
CREATE TABLE tp_par (customer int, channel text, ts timestamptz) WITH (autovacuum_enabled = off);
INSERT INTO tp_par
SELECT i % 20000,
       (ARRAY['Email', 'email', 'Paid Search', 'PAID-SEARCH', 'direct', 'Direct', 'Organic Social', 'Référence'])[h1 % 8 + 1],
       timestamptz '2026-01-01' + (i % 20000) * interval '1 minute' + h2 % 240 * interval '1 minute'
FROM (SELECT i, ('x' || substr(md5(i::text), 1, 7))::bit(28)::int AS h1,
                ('x' || substr(md5(i::text), 9, 7))::bit(28)::int AS h2
      FROM generate_series(1, 200000) i) s;
ANALYZE tp_par;
CREATE VIEW tp_par_per_customer AS
SELECT count(*) AS customers, sum(path_length(p)) AS touches,
       md5(string_agg(customer || ':' || p::text, ',' ORDER BY customer)) AS digest
FROM (SELECT customer, path_agg(channel, ts) AS p FROM tp_par GROUP BY customer) s;
CREATE VIEW tp_par_per_tenth AS
SELECT count(*) AS groups, sum(path_length(p)) AS touches,
       md5(string_agg(tenth || ':' || p::text, ',' ORDER BY tenth)) AS digest
FROM (SELECT customer % 10 AS tenth, path_agg(channel, ts) AS p FROM tp_par GROUP BY customer % 10) s;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
-- expect: Finalize Aggregate over Gather over Partial Aggregate.
EXPLAIN (COSTS OFF) SELECT path_agg(channel, ts) FROM tp_par;
SELECT path_length(p) AS len, md5(p::text) AS digest FROM (SELECT path_agg(channel, ts) AS p FROM tp_par) s \gset par_all_
-- expect: 200000 -- every row is a touch of the ungrouped path.
SELECT :par_all_len AS touches;
-- expect: Finalize GroupAggregate over Gather Merge over Partial GroupAggregate.
EXPLAIN (COSTS OFF) SELECT customer, path_agg(channel, ts) FROM tp_par GROUP BY customer;
SELECT customers, touches, digest FROM tp_par_per_customer \gset par_cust_
SELECT groups, touches, digest FROM tp_par_per_tenth \gset par_tenth_
-- expect: 20000 | 200000 | 10 | 200000 -- every customer, every touch.
SELECT :par_cust_customers AS customers, :par_cust_touches AS touches,
       :par_tenth_groups AS groups, :par_tenth_touches AS tenth_touches;
-- The same through hash aggregation (with a non-zero parallel_tuple_cost,
-- else gathering every row to one HashAggregate is as cheap for 10 groups).
-- expect: Finalize HashAggregate over Gather over Partial HashAggregate,
-- grouped by customer % 10, then by customer.
SET enable_hashagg = on;
SET enable_sort = off;
SET parallel_tuple_cost = 0.01;
EXPLAIN (COSTS OFF) SELECT customer % 10, path_agg(channel, ts) FROM tp_par GROUP BY customer % 10;
EXPLAIN (COSTS OFF) SELECT customer, path_agg(channel, ts) FROM tp_par GROUP BY customer;
SELECT digest FROM tp_par_per_tenth \gset par_hash_tenth_
SELECT digest FROM tp_par_per_customer \gset par_hash_cust_
RESET enable_sort;
SET parallel_tuple_cost = 0;
SET enable_hashagg = off;
-- expect: no row -- no customer's path differs from its definition: the
-- touches ordered by (ts, normalised label), checked against
-- string_agg(... ORDER BY ts, label COLLATE "C") computed here.
SELECT customer FROM (
    SELECT customer, path_agg(channel, ts)::text AS p,
           string_agg(normalize_label(channel) || '@' || to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || '+00',
                      ' > ' ORDER BY ts, normalize_label(channel) COLLATE "C") AS oracle
    FROM tp_par GROUP BY customer) s
WHERE p IS DISTINCT FROM oracle;

-- Serially:
SET max_parallel_workers_per_gather = 0;
-- expect: Aggregate over Seq Scan (no Gather).
EXPLAIN (COSTS OFF) SELECT path_agg(channel, ts) FROM tp_par;
-- expect: t | t | t | t | t -- the serial answers are the parallel ones.
SELECT (SELECT md5(p::text) = :'par_all_digest' FROM (SELECT path_agg(channel, ts) AS p FROM tp_par) s) AS same_all,
       (SELECT digest = :'par_cust_digest' FROM tp_par_per_customer) AS same_per_customer,
       (SELECT digest = :'par_hash_cust_digest' FROM tp_par_per_customer) AS same_per_customer_hash,
       (SELECT digest = :'par_tenth_digest' FROM tp_par_per_tenth) AS same_per_tenth,
       (SELECT digest = :'par_hash_tenth_digest' FROM tp_par_per_tenth) AS same_per_tenth_hash;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET enable_hashagg;

-- ---------------------------------------------------------------------------
-- Binary send/recv through COPY (FORMAT binary)
-- ---------------------------------------------------------------------------
-- A table of paths: empty, NULL, with and without times, non-ASCII, the
-- limits of the time range, a long path.  psql's \copy runs client side;
-- the files go to results/.
CREATE TABLE tp_copy (id integer, p touch_path);
INSERT INTO tp_copy VALUES
    (1, ''), (2, NULL), (3, 'email > paid_search > direct'),
    (4, 'email@2026-01-01 10:00:00.123456+00 > direct > email@2026-01-03 09:00Z'),
    (5, 'émail > 成交@2024-02-29 00:00Z'),
    (6, 'a@0001-01-01 00:00Z > b@9999-12-31 23:59:59.999999Z'),
    (7, (SELECT string_agg('c' || (i % 37), ' > ') FROM generate_series(1, 5000) i)::touch_path);
\copy tp_copy TO 'results/touch_path.bin' WITH (FORMAT binary)
CREATE TABLE tp_copy_back (LIKE tp_copy);
\copy tp_copy_back FROM 'results/touch_path.bin' WITH (FORMAT binary)
-- expect: 7 | 0 -- every row back, none differs in either direction
-- (IS NOT DISTINCT FROM: NULL matches NULL).
SELECT count(*) AS rows_back,
       count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM tp_copy s WHERE s.id = b.id AND s.p IS NOT DISTINCT FROM b.p)) AS differing
FROM tp_copy_back b;
-- expect: the rows as inserted: row 1 the empty path, row 2 NULL, row 7
-- 5000 touches.
SELECT id, p IS NULL AS is_null, CASE WHEN id = 7 THEN path_length(p)::text ELSE p::text END AS p
FROM tp_copy_back ORDER BY id;

-- recv validates its input like text input.  A one-column bytea table
-- written in binary gives a file whose field bytes are read back as a
-- touch_path.  Wire form: version 1, touch count (int4), per touch a
-- has-time byte, the time (int8), the label length (int4), the label.
CREATE TABLE tp_raw (b bytea);
CREATE TABLE tp_recv (p touch_path);
-- expect: paid_search@2026-01-01 00:00:00+00 > email -- labels are
-- normalised as in text input ("Paid Search", "EMAIL"); time 820540800000000
-- is 2026-01-01 00:00 UTC.
INSERT INTO tp_raw VALUES ('\x0100000002010002ea470ae860000000000b50616964205365617263680000000005454d41494c');
\copy tp_raw TO 'results/touch_path_raw.bin' WITH (FORMAT binary)
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
SELECT p FROM tp_recv;
-- expect: (empty) -- zero touches is the empty path.
TRUNCATE tp_raw, tp_recv;
INSERT INTO tp_raw VALUES ('\x0100000000');
\copy tp_raw TO 'results/touch_path_raw.bin' WITH (FORMAT binary)
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
SELECT p, path_length(p) FROM tp_recv;
-- expect: ERROR invalid binary data for type touch_path (22P03) -- an
-- unknown version (2).
TRUNCATE tp_raw;
INSERT INTO tp_raw VALUES ('\x0200000001000000000161');
\copy tp_raw TO 'results/touch_path_raw.bin' WITH (FORMAT binary)
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
\set VERBOSITY sqlstate
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- expect: 22P03, DETAIL the data has trailing bytes -- one byte after the
-- last touch.
TRUNCATE tp_raw;
INSERT INTO tp_raw VALUES ('\x0100000001000000000161ff');
\copy tp_raw TO 'results/touch_path_raw.bin' WITH (FORMAT binary)
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
\set VERBOSITY sqlstate
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- expect: 22P03, DETAIL the touch count exceeds what the data can hold --
-- two touches announced (at least 5 bytes each), 6 bytes present.
TRUNCATE tp_raw;
INSERT INTO tp_raw VALUES ('\x0100000002000000000161');
\copy tp_raw TO 'results/touch_path_raw.bin' WITH (FORMAT binary)
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
\set VERBOSITY sqlstate
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- expect: 22P03, DETAIL a label cannot contain ">" or "@" -- a label "a@b".
TRUNCATE tp_raw;
INSERT INTO tp_raw VALUES ('\x01000000010000000003614062');
\copy tp_raw TO 'results/touch_path_raw.bin' WITH (FORMAT binary)
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
\set VERBOSITY sqlstate
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- expect: 22P03, DETAIL touch 2 is earlier -- times 2026-01-01 00:00:00.000001
-- then 2026-01-01 00:00 UTC.
TRUNCATE tp_raw;
INSERT INTO tp_raw VALUES ('\x0100000002010002ea470ae860010000000161010002ea470ae860000000000162');
\copy tp_raw TO 'results/touch_path_raw.bin' WITH (FORMAT binary)
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
\set VERBOSITY sqlstate
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- expect: 22P03, DETAIL times must lie between 0001-01-01 and 9999-12-31 --
-- the time 252455616000000000 is 10000-01-01 00:00 UTC (one microsecond
-- past the last instant).
TRUNCATE tp_raw;
INSERT INTO tp_raw VALUES ('\x0100000001010380e70b913b80000000000161');
\copy tp_raw TO 'results/touch_path_raw.bin' WITH (FORMAT binary)
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
\set VERBOSITY sqlstate
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- expect: 22P03, DETAIL a touch's has-time byte is neither 0 nor 1 (the
-- byte after the touch count is 2).
TRUNCATE tp_raw;
INSERT INTO tp_raw VALUES ('\x0100000001020002ea470ae860000000000161');
\copy tp_raw TO 'results/touch_path_raw.bin' WITH (FORMAT binary)
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
-- expect: 22P03, DETAIL a label is not valid UTF-8 -- one touch without
-- time whose 3-byte label ' ' e2 80 breaks off in the middle of a character
-- (binary input is data, not a literal: 22P03, not 22P02).
TRUNCATE tp_raw;
INSERT INTO tp_raw VALUES ('\x0100000001000000000320e280');
\copy tp_raw TO 'results/touch_path_raw.bin' WITH (FORMAT binary)
\copy tp_recv FROM 'results/touch_path_raw.bin' WITH (FORMAT binary)
-- expect: 1 -- still only the empty path loaded above.
SELECT count(*) FROM tp_recv;

-- Clean up.
DROP VIEW tp_par_per_customer, tp_par_per_tenth;
DROP TABLE tp_ord, tp_left, tp_right, tp_w, tp_touches, tp_par, tp_copy, tp_copy_back, tp_raw, tp_recv;
