-- pgTAP: smart_goal and its functions (DESIGN §3.5; the choices DESIGN left
-- open are recorded in doc/smart_goal.md): every error with its SQLSTATE
-- (22P02 bad literal, 22023 bad parameter, 22003 number too long, 22008 date
-- out of range, 54000 value too long, 22P03 bad binary input) and the primary
-- message the doc gives; the accepted neighbour of the errors; the doc's and
-- the issue's fixed examples; then properties over 400 pseudo-random goals
-- (fixed seed) and about 1,200 (goal, actual, date) triples checked against
-- oracles written here in SQL and plpgsql from DESIGN and the doc, never from
-- the C code; finally the schema (signatures, volatility, strictness,
-- parallel safety, casts, operator classes).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SET LOCAL search_path = public, pg_catalog;
SET LOCAL timezone = 'UTC';
SET LOCAL datestyle = 'ISO, YMD';

SELECT plan(350);

-- diag(sql): {sqlstate, message, detail, hint} of the error sql raises
\ir lib/diag.sql

-- sg(lit): the literal cast to smart_goal, as SQL text.
CREATE FUNCTION pg_temp.sg(lit text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT format('SELECT %L::mops.smart_goal', lit) $$;

-- throws(sql, state, prefix, description): one test that sql fails with
-- SQLSTATE state and a primary message starting with prefix (the doc gives
-- the messages without the literal PostgreSQL appends to them).  On failure
-- the diagnostics show what was raised instead.
CREATE FUNCTION pg_temp.throws(sql text, state text, prefix text, description text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    d text[] := pg_temp.diag(sql);
BEGIN
    RETURN is(CASE WHEN d IS NULL THEN 'no error'
                   WHEN d[2] LIKE replace(replace(prefix, '\', '\\'), '%', '\%') || '%' THEN d[1] || ' ' || prefix
                   ELSE d[1] || ' ' || d[2] END,
              state || ' ' || prefix, description);
END
$$;

-- show(v): v quoted, with control characters escaped (for test names)
CREATE FUNCTION pg_temp.show(v text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT replace(replace(replace(quote_literal(v), E'\n', '\n'), E'\t', '\t'), E'\r', '\r')
$$;

\set syntax 'invalid input syntax for type smart_goal'
\set range 'number out of range in smart_goal'
\set too_long 'smart_goal value is too long'
\set due_before 'smart_goal is due before it starts'
\set equal_target 'smart_goal target equals its baseline'
\set bad_binary 'invalid binary smart_goal'
\set seed '''metric=email_clicks baseline=1000 target=1250 starts=2026-01-01 due=2026-12-31 owner=crm objective="pipeline growth"'''

-- ---------------------------------------------------------------------------
-- Text literals: 22P02
-- ---------------------------------------------------------------------------
-- (n, literal, the key the detail must name or NULL, why)
CREATE TEMP TABLE bad_lits (n integer, lit text, key text, why text);
INSERT INTO bad_lits VALUES
    (1, 'metric=m target=1 colour=red', 'colour', 'unknown key'),
    (2, 'métric=m target=1', 'métric', 'unknown non-ASCII key'),
    (3, 'target=1', 'metric', 'missing metric'),
    (4, 'metric=m', 'target', 'missing target'),
    (5, 'metric=m baseline=5 due=2026-12-31', 'target', 'missing target, other keys present'),
    (6, '', NULL, 'the empty string'),
    (7, E' \t\n ', NULL, 'blanks only'),
    (8, 'metric=m target=1 target=2', 'target', 'duplicate key'),
    (9, 'metric=m target=1 TARGET=2', 'target', 'duplicate key, differently cased'),
    (10, 'METRIC=a metric=b target=1', 'metric', 'duplicate metric, differently cased'),
    (11, 'metric=m target=1 owner=a Owner=b', 'owner', 'duplicate owner'),
    (12, 'metric=m target=1 due=2026-12-31 DUE=2026-12-31', 'due', 'duplicate key with the same value'),
    (13, 'metric=m target=ten', 'target', 'non-numeric target'),
    (14, 'metric=m baseline=ten target=1', 'baseline', 'non-numeric baseline'),
    (15, 'metric=m target=NaN', 'target', 'NaN'),
    (16, 'metric=m target=nan', 'target', 'nan'),
    (17, 'metric=m baseline=NaN target=1', 'baseline', 'NaN baseline'),
    (18, 'metric=m target=Infinity', 'target', 'Infinity'),
    (19, 'metric=m target=-Infinity', 'target', '-Infinity'),
    (20, 'metric=m target=inf', 'target', 'inf'),
    (21, 'metric=m baseline=infinity target=1', 'baseline', 'infinity baseline'),
    (22, 'metric=m target=1e', 'target', 'exponent without digits'),
    (23, 'metric=m target=1e+', 'target', 'signed exponent without digits'),
    (24, 'metric=m target=.', 'target', 'a lone decimal point'),
    (25, 'metric=m target=+', 'target', 'a lone sign'),
    (26, 'metric=m target=1.2.3', 'target', 'two decimal points'),
    (27, 'metric=m target=--1', 'target', 'two signs'),
    (28, 'metric=m target=0x10', 'target', 'hexadecimal'),
    (29, 'metric=m target=1_000', 'target', 'digit separators'),
    (30, 'metric=m target=1,5', 'target', 'decimal comma'),
    (31, 'metric=m target=e5', 'target', 'exponent without mantissa'),
    (32, 'metric=m target=5%', 'target', 'percent sign'),
    (33, 'metric=m target=', 'target', 'empty number'),
    (34, 'metric=m target=""', 'target', 'empty quoted number'),
    (35, 'metric=m target=1 due=2026-02-29', 'due', 'Feb 29 in a common year'),
    (36, 'metric=m target=1 due=1900-02-29', 'due', 'Feb 29 in 1900 (not a leap year)'),
    (37, 'metric=m target=1 due=2026-02-30', 'due', 'Feb 30'),
    (38, 'metric=m target=1 due=2026-04-31', 'due', 'April 31'),
    (39, 'metric=m target=1 due=2026-13-01', 'due', 'month 13'),
    (40, 'metric=m target=1 starts=2026-00-10', 'starts', 'month 0'),
    (41, 'metric=m target=1 due=2026-01-00', 'due', 'day 0'),
    (42, 'metric=m target=1 due=2026-01-32', 'due', 'day 32'),
    (43, 'metric=m target=1 due=0000-01-01', 'due', 'year 0000'),
    (44, 'metric=m target=1 due=10000-01-01', 'due', 'five-digit year'),
    (45, 'metric=m target=1 starts=02026-01-01', 'starts', 'five-digit year with a leading zero'),
    (46, 'metric=m target=1 due=2026-1-01', 'due', 'one-digit month'),
    (47, 'metric=m target=1 due=2026-01-1', 'due', 'one-digit day'),
    (48, 'metric=m target=1 due=31/12/2026', 'due', 'day/month/year'),
    (49, 'metric=m target=1 due=20261231', 'due', 'no dashes'),
    (50, 'metric=m target=1 due=2026-01-01T00:00', 'due', 'a time of day'),
    (51, 'metric=m target=1 due=today', 'due', 'today'),
    (52, 'metric=m target=1 due=infinity', 'due', 'infinity'),
    (53, 'metric=m target=1 starts=-2026-01-01', 'starts', 'negative year'),
    (54, 'metric=m target=1 due=2026-01-01x', 'due', 'junk after the date'),
    (55, 'metric= target=1', 'metric', 'empty bare metric'),
    (56, 'metric="" target=1', 'metric', 'empty quoted metric'),
    (57, 'metric=m target=1 owner=""', 'owner', 'empty owner'),
    (58, 'metric=m target=1 unit=', 'unit', 'empty unit at the end'),
    (59, 'metric=m target=1 objective=""', 'objective', 'empty objective'),
    (60, 'metric=m target=1 baseline=', 'baseline', 'empty baseline'),
    (61, 'metric=m target=1 due=', 'due', 'empty due'),
    (62, 'metric="abc target=1', 'metric', 'unclosed quote'),
    (63, 'metric=m target=1 owner="x', 'owner', 'unclosed quote at the end'),
    (64, 'metric=m target=1 owner="x\"', 'owner', 'the closing quote is escaped'),
    (65, 'metric=m target=1 owner="a\nb"', 'owner', 'bad escape \n inside quotes'),
    (66, 'metric=m target=1 owner="a\tb"', 'owner', 'bad escape \t inside quotes'),
    (67, 'metric=m target=1 owner="\x41"', 'owner', 'bad escape \x inside quotes'),
    (68, 'metric=m target=1 owner="a\ b"', 'owner', 'backslash blank inside quotes'),
    (69, 'metric = m target=1', 'metric', 'blanks around ='),
    (70, 'metric =m target=1', 'metric', 'blank before ='),
    (71, 'metric=m target= 1', 'target', 'blank after ='),
    (72, E'metric=m target\t=1', 'target', 'tab before ='),
    (73, 'metric=m target=1 owner=a"b', 'owner', 'bare value with a double quote'),
    (74, 'metric=m target=1 owner=a\b', 'owner', 'bare value with a backslash'),
    (75, 'metric=m target=1 owner="a"b', 'owner', 'text right after the closing quote'),
    (76, 'metric=m target=1 x', NULL, 'a word without ='),
    (77, 'metric=m target=1 owner', NULL, 'a key without ='),
    (78, '=1 metric=m target=1', NULL, 'a value without key'),
    (79, 'metric=m target=1 =', NULL, 'a lone ='),
    (80, '"metric"=m target=1', NULL, 'a quoted key'),
    (81, E'metric=m\u00a0target=1', NULL, 'a no-break space is not a separator'),
    (82, 'metrıc=m target=1', 'metrıc', 'a dotless i is not an ASCII i'),
    (83, 'METRİC=m target=1', 'METRİC', 'a dotted capital I is not an ASCII I'),
    (84, 'metric=m target=1 ＯＷＮＥＲ=o', 'ＯＷＮＥＲ', 'full-width letters are not a key');

SELECT pg_temp.throws(pg_temp.sg(lit), '22P02', :'syntax', format('bad literal %s (%s): 22P02', pg_temp.show(lit), why))
  FROM bad_lits ORDER BY n;

SELECT is((pg_temp.diag(pg_temp.sg('metric=m')))[3], 'A goal needs a target.', 'missing target: the detail of the doc');
-- "The detail always says which key and what was wrong."
SELECT is((SELECT array_agg(format('%s: %s', lit, coalesce(d[3], '(no detail)')) ORDER BY n)
             FROM bad_lits, LATERAL pg_temp.diag(pg_temp.sg(lit)) d
            WHERE d[3] IS NULL OR (key IS NOT NULL AND d[3] NOT ILIKE '%' || key || '%')),
          NULL, 'every 22P02 literal error has a detail, naming the key when there is one');

-- 22023: due before starts, target equal to baseline (numerically)
SELECT throws_ok(pg_temp.sg(lit), '22023', :'due_before', format('%L: 22023', lit))
  FROM (VALUES (1, 'metric=m target=1 starts=2026-01-02 due=2026-01-01'),
               (2, 'metric=m target=1 due=2025-12-31 starts=2026-01-01'),
               (3, 'metric=m target=1 starts=9999-12-31 due=0001-01-01')) AS t(n, lit)
 ORDER BY n;
SELECT throws_ok(pg_temp.sg(lit), '22023', :'equal_target', format('%L: 22023', lit))
  FROM (VALUES (1, 'metric=m baseline=10 target=10'),
               (2, 'metric=m baseline=10 target=10.00'),
               (3, 'metric=m baseline=10.00 target=1e1'),
               (4, 'metric=m target=1E1 baseline=+010.0'),
               (5, 'metric=m baseline=0 target=-0.000'),
               (6, 'metric=m baseline=-1.5 target=-15e-1'),
               (7, 'metric=m baseline=.5 target=5e-1')) AS t(n, lit)
 ORDER BY n;

-- 22003: more than 1000 digits
SELECT pg_temp.throws(pg_temp.sg(lit), '22003', :'range', format('%s: 22003', why))
  FROM (VALUES (1, 'metric=m target=' || repeat('1', 1001), 'a target of 1001 digits'),
               (2, 'metric=m target=1 baseline=-' || repeat('9', 1001), 'a baseline of 1001 digits'),
               (3, 'metric=m target=' || repeat('7', 1001) || '.5', 'a target of 1002 digits with a fraction'),
               (4, 'metric=m target=1e1000000', 'a target of a million digits in exponent form')) AS t(n, lit, why)
 ORDER BY n;

-- 54000: a text value over 1 MB
SELECT pg_temp.throws(pg_temp.sg('metric=m target=1 owner=' || repeat('a', 1024 * 1024 + 1)), '54000', :'too_long',
                      'an owner of 1 MB + 1 byte: 54000');
SELECT pg_temp.throws(pg_temp.sg('metric="' || repeat('é', 524289) || '" target=1'), '54000', :'too_long',
                      'a metric of 1 MB + 2 bytes (non-ASCII, quoted): 54000');

-- ---------------------------------------------------------------------------
-- Text literals: the accepted neighbours
-- ---------------------------------------------------------------------------
SELECT is(lit::mops.smart_goal::text, canon, format('%s is accepted as %s (%s)', pg_temp.show(lit), pg_temp.show(canon), why))
  FROM (VALUES
    (1, 'metric=m target=1 due=2028-02-29', 'metric=m target=1 due=2028-02-29', 'Feb 29 2028'),
    (2, 'metric=m target=1 due=2000-02-29', 'metric=m target=1 due=2000-02-29', 'Feb 29 2000'),
    (3, 'metric=m target=1 starts=2026-05-05 due=2026-05-05', 'metric=m target=1 starts=2026-05-05 due=2026-05-05', 'due = starts'),
    (4, 'metric=m target=1 starts=0001-01-01 due=9999-12-31', 'metric=m target=1 starts=0001-01-01 due=9999-12-31', 'the first and last dates'),
    (5, 'metric=m target=1 due=2026-12-31 starts=2026-01-01', 'metric=m target=1 starts=2026-01-01 due=2026-12-31', 'due before starts in the text'),
    (6, 'Due=2026-12-31 TARGET=5 Metric=m oWnEr=o', 'metric=m target=5 due=2026-12-31 owner=o', 'keys in any case and order'),
    (7, E'\n metric=m\ttarget=1\n\nowner=o \t', 'metric=m target=1 owner=o', 'tabs, newlines, leading and trailing blanks'),
    (8, 'metric="m" target=1 owner="crm"', 'metric=m target=1 owner=crm', 'needless quotes are dropped'),
    (9, 'metric=m target=1 owner="a \"b\" \\ c"', 'metric=m target=1 owner="a \"b\" \\ c"', 'escapes inside quotes'),
    (10, 'metric=m target=1 owner="a=b"', 'metric=m target=1 owner="a=b"', 'an = inside a value is quoted'),
    (11, 'metric=m target=1 owner="\\"', 'metric=m target=1 owner="\\"', 'a lone backslash'),
    (12, 'metric=m target=1 owner="\""', 'metric=m target=1 owner="\""', 'a lone double quote'),
    (13, 'metric=m target=1 owner=" "', 'metric=m target=1 owner=" "', 'a single blank'),
    (14, 'metric=成交 target=1 owner=José', 'metric=成交 target=1 owner=José', 'non-ASCII bare values'),
    (15, 'metric=Email_Clicks target=1', 'metric=Email_Clicks target=1', 'values are kept as written (no case folding)'),
    (16, 'metric=m target=1250.0', 'metric=m target=1250.0', 'the scale is kept'),
    (17, 'metric=m target=5.', 'metric=m target=5', '5.'),
    (18, 'metric=m target=.5', 'metric=m target=0.5', '.5'),
    (19, 'metric=m target=5.50', 'metric=m target=5.50', '5.50'),
    (20, 'metric=m target=1.25e3', 'metric=m target=1250', '1.25e3'),
    (21, 'metric=m target=1E-2', 'metric=m target=0.01', '1E-2'),
    (22, 'metric=m target=+.5e+2', 'metric=m target=50', '+.5e+2'),
    (23, 'metric=m target=-0', 'metric=m target=0', '-0'),
    (24, 'metric=m target=0 baseline=-0.001', 'metric=m baseline=-0.001 target=0', 'a zero target'),
    (25, 'metric=m target=-12.5e-3', 'metric=m target=-0.0125', 'negative with negative exponent'),
    (26, 'metric=m target="1250" due="2026-12-31"', 'metric=m target=1250 due=2026-12-31', 'quoted number and date'),
    (27, 'metric=m target=1 unit=EUR objective="pipeline growth" owner=crm baseline=2 starts=2026-01-01 due=2026-02-01',
         'metric=m baseline=2 target=1 unit=EUR starts=2026-01-01 due=2026-02-01 owner=crm objective="pipeline growth"',
         'every key, canonical order'),
    (29, 'TARGET=1.25e3  metric=email_clicks baseline=+01000 owner="crm"', 'metric=email_clicks baseline=1000 target=1250 owner=crm',
         'the doc''s example')
  ) AS t(n, lit, canon, why)
 ORDER BY n;
SELECT is(('metric=m target=' || repeat('9', 1000))::mops.smart_goal::text, 'metric=m target=' || repeat('9', 1000),
          'a target of 1000 digits is accepted');
SELECT is(mops.goal_baseline(('metric=m target=1 baseline=-' || repeat('9', 1000))::mops.smart_goal),
          ('-' || repeat('9', 1000))::numeric, 'a baseline of -(1000 digits) is accepted');
SELECT is(mops.goal_owner(('metric=m target=1 owner=' || repeat('a', 1024 * 1024))::mops.smart_goal),
          repeat('a', 1024 * 1024), 'an owner of exactly 1 MB is accepted');
SELECT is(mops.goal_owner('metric=m target=1 owner="a \"b\" \\ c"'), 'a "b" \ c', 'quoted value: \" and \\ are unescaped');
SELECT is(mops.goal_metric(E'metric="line1\nline2" target=1'), E'line1\nline2', 'a newline inside quotes is kept');
SELECT is(mops.goal_metric(E'metric="a\tb\r\nc" target=1'::mops.smart_goal::text::mops.smart_goal), E'a\tb\r\nc',
          'a tab, CR and newline inside quotes are kept, and survive the text round trip');

-- ---------------------------------------------------------------------------
-- Constructor
-- ---------------------------------------------------------------------------
SELECT is(mops.smart_goal('cpa', 40, baseline => 50, due => '2026-03-31', unit => 'EUR')::text,
          'metric=cpa baseline=50 target=40 unit=EUR due=2026-03-31', 'the doc''s constructor example');
SELECT is(mops.smart_goal('m', 40, 50, '2026-01-01', '2026-03-31', 'o', 'the obj', 'EUR')::text,
          'metric=m baseline=50 target=40 unit=EUR starts=2026-01-01 due=2026-03-31 owner=o objective="the obj"',
          'positional arguments in DESIGN''s order (metric, target, baseline, starts, due, owner, objective, unit)');
SELECT is(mops.smart_goal('m', 1)::text, 'metric=m target=1', 'only metric and target');
SELECT is(mops.smart_goal('m', 1, NULL, NULL, NULL, NULL, NULL, NULL)::text, 'metric=m target=1', 'NULL optional fields are absent');
SELECT ok(mops.smart_goal(NULL, 1) IS NULL, 'NULL metric gives NULL');
SELECT ok(mops.smart_goal('m', NULL, baseline => 5) IS NULL, 'NULL target gives NULL');
SELECT is(mops.smart_goal('a b', 1250.0, owner => 'x"y\z', objective => 'k=v')::text,
          'metric="a b" target=1250.0 owner="x\"y\\z" objective="k=v"', 'the constructor quotes and keeps the scale');
SELECT is(mops.smart_goal('m', 1, starts => '2026-05-05', due => '2026-05-05')::text,
          'metric=m target=1 starts=2026-05-05 due=2026-05-05', 'constructor: due = starts is accepted');
SELECT is(mops.smart_goal('m', 1, due => '0001-01-01', starts => '0001-01-01')::text,
          'metric=m target=1 starts=0001-01-01 due=0001-01-01', 'constructor: 0001-01-01 is accepted');

SELECT pg_temp.throws(sql, state, msg, format('constructor %s: %s', why, state))
  FROM (VALUES
    (1, $$SELECT mops.smart_goal('m', 'NaN')$$, '22023', '', 'NaN target'),
    (2, $$SELECT mops.smart_goal('m', 1, baseline => 'NaN')$$, '22023', '', 'NaN baseline'),
    (3, $$SELECT mops.smart_goal('m', 'Infinity')$$, '22023', '', 'infinite target'),
    (4, $$SELECT mops.smart_goal('m', 1, baseline => '-Infinity')$$, '22023', '', 'infinite baseline'),
    (5, $$SELECT mops.smart_goal('m', 1, due => 'infinity')$$, '22008', '', 'due infinity'),
    (6, $$SELECT mops.smart_goal('m', 1, starts => '-infinity')$$, '22008', '', 'starts -infinity'),
    (7, $$SELECT mops.smart_goal('m', 1, due => '10000-01-01')$$, '22008', '', 'due in year 10000'),
    (8, $$SELECT mops.smart_goal('m', 1, starts => '0001-12-31 BC')$$, '22008', '', 'starts in year 0 (1 BC)'),
    (9, $$SELECT mops.smart_goal('m', 1, starts => '2026-01-02', due => '2026-01-01')$$, '22023', 'smart_goal is due before it starts', 'due < starts'),
    (10, $$SELECT mops.smart_goal('m', 10, baseline => 10.00)$$, '22023', 'smart_goal target equals its baseline', 'target = baseline (10 vs 10.00)'),
    (11, $$SELECT mops.smart_goal('', 1)$$, '22P02', '', 'empty metric'),
    (12, $$SELECT mops.smart_goal('m', 1, owner => '')$$, '22P02', '', 'empty owner'),
    (13, $$SELECT mops.smart_goal('m', 1, unit => '')$$, '22P02', '', 'empty unit'),
    (14, $$SELECT mops.smart_goal('m', 1, objective => '')$$, '22P02', '', 'empty objective'),
    (15, $$SELECT mops.smart_goal('m', repeat('1', 1001)::numeric)$$, '22003', 'number out of range in smart_goal', 'target of 1001 digits'),
    (16, $$SELECT mops.smart_goal('m', 1, owner => repeat('a', 1024 * 1024 + 1))$$, '54000', 'smart_goal value is too long', 'owner over 1 MB')
  ) AS t(n, sql, state, msg, why)
 ORDER BY n;

-- ---------------------------------------------------------------------------
-- jsonb casts
-- ---------------------------------------------------------------------------
SELECT is(('metric=cpa baseline=50 target=40 due=2026-03-31'::mops.smart_goal::jsonb)::text,
          '{"due": "2026-03-31", "metric": "cpa", "target": 40, "baseline": 50}', 'the doc''s smart_goal -> jsonb example');
SELECT is(('{"metric": "cpa", "target": "40", "baseline": 50, "owner": null}'::jsonb::mops.smart_goal)::text,
          'metric=cpa baseline=50 target=40', 'the doc''s jsonb -> smart_goal example');
SELECT is(('{"metric": "m", "target": 1250.0, "baseline": "+01000", "due": "2026-12-31", "unit": "EUR", "objective": "a b"}'::jsonb
           ::mops.smart_goal)::text,
          'metric=m baseline=1000 target=1250.0 unit=EUR due=2026-12-31 objective="a b"',
          'jsonb: number scale is kept, strings are parsed like the text form');
SELECT is((mops.smart_goal('m', 1.50, baseline => -2, starts => '2026-01-01', owner => 'o p')::jsonb)::text,
          '{"owner": "o p", "metric": "m", "starts": "2026-01-01", "target": 1.50, "baseline": -2}',
          'smart_goal -> jsonb: numbers as JSON numbers with their scale, dates as strings');

SELECT pg_temp.throws(format('SELECT %L::jsonb::mops.smart_goal', j), state, msg, format('jsonb %s: %s', why, state))
  FROM (VALUES
    (1, '[]', '22023', '', 'an array'),
    (2, '"metric=m target=1"', '22023', '', 'a string'),
    (3, '1', '22023', '', 'a number'),
    (4, 'null', '22023', '', 'a JSON null'),
    (5, '{"metric": ["m"], "target": 1}', '22023', '', 'an array value'),
    (6, '{"metric": "m", "target": {"v": 1}}', '22023', '', 'an object value'),
    (7, '{"metric": "m", "target": true}', '22023', '', 'a boolean value'),
    (8, '{"metric": "m", "target": 1, "owner": false}', '22023', '', 'a boolean owner'),
    (9, '{"metric": "m", "target": 1, "colour": "red"}', '22P02', '', 'an unknown key'),
    (10, '{"Metric": "m", "target": 1}', '22P02', '', 'a key not in lower case'),
    (11, '{"metric": "m"}', '22P02', '', 'no target'),
    (12, '{"target": 1}', '22P02', '', 'no metric'),
    (13, '{"metric": "m", "target": null}', '22P02', '', 'a null target'),
    (14, '{"metric": "m", "target": "ten"}', '22P02', '', 'a target that is not a number'),
    (15, '{"metric": "m", "target": "NaN"}', '22P02', '', 'a NaN string target'),
    (16, '{"metric": "m", "target": 1, "due": "2026-02-29"}', '22P02', '', 'a bad date'),
    (17, '{"metric": "", "target": 1}', '22P02', '', 'an empty metric'),
    (18, '{"metric": "m", "target": 10, "baseline": "10.00"}', '22023', 'smart_goal target equals its baseline', 'target = baseline'),
    (19, '{"metric": "m", "target": 1, "starts": "2026-01-02", "due": "2026-01-01"}', '22023', 'smart_goal is due before it starts', 'due < starts'),
    (20, '{"metric": "m", "target": ' || repeat('1', 1001) || '}', '22003', 'number out of range in smart_goal', 'a 1001-digit number'),
    (21, '{"metric": "m", "target": 1, "owner": "' || repeat('a', 1024 * 1024 + 1) || '"}', '54000', 'smart_goal value is too long', 'an owner over 1 MB')
  ) AS t(n, j, state, msg, why)
 ORDER BY n;

-- ---------------------------------------------------------------------------
-- Accessors
-- ---------------------------------------------------------------------------
SELECT is(ARRAY[mops.goal_metric(g), mops.goal_target(g)::text, mops.goal_baseline(g)::text, mops.goal_unit(g),
                mops.goal_starts(g)::text, mops.goal_due(g)::text, mops.goal_owner(g), mops.goal_objective(g)],
          ARRAY['email_clicks', '1250', '1000', 'clicks', '2026-01-01', '2026-12-31', 'crm', 'pipeline growth'],
          'the eight accessors on a goal with every field')
  FROM (SELECT 'metric=email_clicks baseline=+01000 target=1.25e3 unit=clicks starts=2026-01-01 due=2026-12-31 owner=crm objective="pipeline growth"'::mops.smart_goal AS g) s;
SELECT ok(mops.goal_baseline(g) IS NULL AND mops.goal_unit(g) IS NULL AND mops.goal_starts(g) IS NULL
          AND mops.goal_due(g) IS NULL AND mops.goal_owner(g) IS NULL AND mops.goal_objective(g) IS NULL,
          'absent fields are NULL')
  FROM (SELECT 'metric=m target=1'::mops.smart_goal AS g) s;
SELECT ok(mops.goal_metric(NULL) IS NULL AND mops.goal_target(NULL) IS NULL AND mops.goal_progress(NULL, 1) IS NULL
          AND mops.goal_progress('metric=m target=1', NULL) IS NULL AND mops.goal_expected_progress(NULL, '2026-01-01') IS NULL
          AND mops.goal_status('metric=m target=1', NULL, '2026-01-01') IS NULL AND mops.smart_check(NULL) IS NULL,
          'NULL in, NULL out');

-- ---------------------------------------------------------------------------
-- Progress, expected progress, status: fixed examples
-- ---------------------------------------------------------------------------
SELECT is(mops.goal_progress(:seed, 1125)::text, '0.5', 'seed goal: progress 0.5 at 1125');
SELECT is(mops.goal_progress(:seed, 1000)::text, '0', 'seed goal: progress 0 at the baseline');
SELECT is(mops.goal_progress(:seed, 1250)::text, '1', 'seed goal: progress 1 at the target');
SELECT is(mops.goal_progress(:seed, 1500)::text, '2', 'seed goal: not clamped above');
SELECT is(mops.goal_progress(:seed, 900)::text, '-0.4', 'seed goal: negative when moving away');
SELECT is(mops.goal_progress('metric=cpa baseline=50 target=40', 45)::text, '0.5', 'decreasing goal CPA 50 -> 40: 0.5 at 45');
SELECT is(mops.goal_progress('metric=cpa baseline=50 target=40', 40)::text, '1', 'CPA 50 -> 40: 1 at 40');
SELECT is(mops.goal_progress('metric=cpa baseline=50 target=40', 55)::text, '-0.5', 'CPA 50 -> 40: -0.5 at 55');
SELECT is(mops.goal_progress('metric=cpa baseline=50 target=40', 30)::text, '2', 'CPA 50 -> 40: 2 at 30');
SELECT is(mops.goal_progress('metric=signups target=300', 100)::text, '0.33333333333333333333',
          'no baseline: actual / target, numeric division (doc)');
SELECT is(mops.goal_progress('metric=signups target=300', 150)::text, '0.5', 'no baseline: 150 / 300 = 0.5');
SELECT ok(mops.goal_progress('metric=m target=0', 5) IS NULL, 'no baseline and target 0: NULL');
SELECT is(mops.goal_progress('metric=m baseline=0 target=4', 1)::text, '0.25', 'baseline 0 is a baseline');

SELECT is(mops.goal_expected_progress(:seed, '2026-07-02')::text, '0.5', 'the doc''s example: expected progress 0.5 on 2026-07-02');
SELECT is(mops.goal_expected_progress(:seed, d), e::numeric, format('seed goal: expected progress on %s is %s', d, e))
  FROM (VALUES (1, date '2026-07-02', '0.5'), (2, '2026-01-01', '0'), (3, '2026-12-31', '1'),
               (4, '2025-06-01', '0'), (5, '2027-06-01', '1'), (6, 'infinity', '1'), (7, '-infinity', '0'))
       AS t(n, d, e)
 ORDER BY n;
SELECT is(ARRAY[mops.goal_expected_progress(g, '2026-02-28'), mops.goal_expected_progress(g, '2026-03-01'),
                mops.goal_expected_progress(g, '2026-03-02')],
          ARRAY[0, 1, 1]::numeric[], 'starts = due: 0 before, 1 from that day on')
  FROM (SELECT 'metric=m target=1 starts=2026-03-01 due=2026-03-01'::mops.smart_goal AS g) s;
SELECT ok(mops.goal_expected_progress('metric=m target=1 due=2026-03-01', '2026-01-01') IS NULL
          AND mops.goal_expected_progress('metric=m target=1 starts=2026-03-01', '2026-04-01') IS NULL,
          'expected progress is NULL without starts or due');

SELECT is(mops.goal_status(:seed, a, d), s, format('seed goal at %s on %s: %s', a, d, s))
  FROM (VALUES
    (1, 1125, date '2026-07-02', 'on_track'),
    (2, 1100, '2026-07-02', 'at_risk'),
    (3, 1099.75, '2026-07-02', 'off_track'),
    (4, 1200, '2027-01-01', 'missed'),
    (5, 1250, '2027-01-01', 'achieved'),
    (6, 1300, '2026-03-01', 'achieved'),
    (7, 1300, '2025-12-31', 'not_started'),
    (8, 1000, '2026-01-01', 'on_track'),
    (9, 1200, '2026-12-31', 'off_track'),
    (10, 1230, '2026-12-31', 'at_risk'),
    (11, 1249.99, '2026-12-31', 'at_risk'),
    (12, 1250, '2026-12-31', 'achieved'),
    (13, 1125.000001, '2026-07-02', 'on_track'),
    (14, 1124.99, '2026-07-02', 'at_risk'),
    (15, 900, '2026-01-01', 'off_track'),
    (16, 1249, 'infinity', 'missed'),
    (17, 1250, '-infinity', 'not_started')
  ) AS t(n, a, d, s)
 ORDER BY n;
SELECT is(mops.goal_status('metric=cpa baseline=50 target=40 starts=2026-01-01 due=2026-12-31', 45, '2026-07-02'), 'on_track',
          'decreasing goal: on_track at half way with progress 0.5');
SELECT is(mops.goal_status('metric=m target=10', 10, '2026-01-01'), 'achieved', 'without dates: achieved');
SELECT ok(mops.goal_status('metric=m target=10', 5, '2026-01-01') IS NULL, 'without dates and not achieved: NULL');
SELECT is(mops.goal_status('metric=m target=10 due=2026-01-01', 5, '2026-01-02'), 'missed', 'due only, after the due date: missed');
SELECT ok(mops.goal_status('metric=m target=10 due=2026-01-01', 5, '2026-01-01') IS NULL, 'due only, on the due date: NULL');
SELECT is(mops.goal_status('metric=m target=10 starts=2026-01-01', 5, '2025-12-31'), 'not_started', 'starts only, before: not_started');
SELECT ok(mops.goal_status('metric=m target=0 starts=2026-01-01 due=2026-12-31', 5, '2026-06-01') IS NULL,
          'zero target without baseline: status NULL');
SELECT is(mops.goal_status('metric=m target=0 starts=2026-01-01 due=2026-12-31', 5, '2025-06-01'), 'not_started',
          'zero target without baseline: not_started needs no progress');
SELECT is(mops.goal_status(:seed, 1125), mops.goal_status(:seed, 1125, current_date), 'as_of defaults to current_date');

-- ---------------------------------------------------------------------------
-- smart_check: fixed examples and mops.max_attainable_change
-- ---------------------------------------------------------------------------
SELECT is(mops.smart_check(lit::mops.smart_goal), want, format('smart_check(%L) = %s (%s)', lit, want, why))
  FROM (VALUES
    (1, 'metric=m baseline=100 target=150 due=2026-12-31 owner=o objective=x', '{}'::text[], 'SMART'),
    (2, 'metric=m baseline=100 target=150 due=2026-12-31 objective=x', '{specific}', 'no owner'),
    (3, 'metric=m target=150 due=2026-12-31 owner=o objective=x', '{measurable}', 'no baseline'),
    (4, 'metric=m baseline=100 target=250 due=2026-12-31 owner=o objective=x', '{attainable}', '+150 %'),
    (5, 'metric=m baseline=100 target=150 due=2026-12-31 owner=o', '{relevant}', 'no objective'),
    (6, 'metric=m baseline=100 target=150 owner=o objective=x', '{time_bound}', 'no due'),
    (7, 'metric=signups target=300', '{specific,measurable,relevant,time_bound}', 'the doc''s example: all but attainable'),
    (8, 'metric=m baseline=100 target=1000', '{specific,attainable,relevant,time_bound}', 'every criterion that can fail with a baseline'),
    (9, 'metric=m baseline=100 target=200 due=2026-12-31 owner=o objective=x', '{}', 'exactly +100 % is attainable'),
    (10, 'metric=m baseline=100 target=200.0000001 due=2026-12-31 owner=o objective=x', '{attainable}', 'just over +100 %'),
    (11, 'metric=m baseline=100 target=0 due=2026-12-31 owner=o objective=x', '{}', 'exactly -100 %'),
    (12, 'metric=m baseline=100 target=-0.0001 due=2026-12-31 owner=o objective=x', '{attainable}', 'just over -100 %'),
    (13, 'metric=m baseline=-100 target=-200 due=2026-12-31 owner=o objective=x', '{}', 'negative baseline, exactly 100 %'),
    (14, 'metric=m baseline=-100 target=-201 due=2026-12-31 owner=o objective=x', '{attainable}', 'negative baseline, 101 %'),
    (15, 'metric=m baseline=0 target=1000000 due=2026-12-31 owner=o objective=x', '{}', 'baseline 0: not judged'),
    (16, 'metric=m target=1000000 starts=2026-01-01 owner=o objective=x', '{measurable,time_bound}', 'starts is not due')
  ) AS t(n, lit, want, why)
 ORDER BY n;
SELECT is(current_setting('mops.max_attainable_change')::numeric, 1.0, 'mops.max_attainable_change defaults to 1.0');

SET LOCAL mops.max_attainable_change = 0.2;
SELECT is(mops.smart_check('metric=m baseline=100 target=125 owner=o objective=x due=2027-01-01'), '{attainable}',
          'the doc''s example: +25 % with a limit of 0.2');
SELECT is(array_agg(mops.smart_check(mops.smart_goal('m', t, baseline => 100, owner => 'o', objective => 'x', due => '2027-01-01'))::text
                ORDER BY t),
          ARRAY['{attainable}', '{}', '{}', '{}', '{attainable}'],
          'limit 0.2: 79.99 fails, 80 and 120 pass, 120.01 fails')
  FROM unnest(ARRAY[79.99, 80, 99, 120, 120.01]) AS t;
SET LOCAL mops.max_attainable_change = 0;
SELECT is(mops.smart_check('metric=m baseline=100 target=100.0001 owner=o objective=x due=2027-01-01'), '{attainable}',
          'limit 0: any change fails');
SET LOCAL mops.max_attainable_change = 2.5;
SELECT is(array_agg(mops.smart_check(mops.smart_goal('m', t, baseline => 10, owner => 'o', objective => 'x', due => '2027-01-01'))::text
                ORDER BY t),
          ARRAY['{attainable}', '{}', '{}', '{attainable}'],
          'limit 2.5: -15.001 fails, -15 and 35 pass, 35.001 fails')
  FROM unnest(ARRAY[-15.001, -15, 35, 35.001]) AS t;
RESET mops.max_attainable_change;

-- a large goal stored in a table (compressed and toasted) reads back whole
CREATE TEMP TABLE big_goal AS
SELECT ('metric=m target=1 owner=' || repeat('ab', 300000) || ' objective="' || repeat('x y', 100000) || '"')::mops.smart_goal AS g;
SELECT ok((SELECT mops.goal_owner(g) = repeat('ab', 300000) AND mops.goal_objective(g) = repeat('x y', 100000)
                  AND g::text = 'metric=m target=1 owner=' || repeat('ab', 300000) || ' objective="' || repeat('x y', 100000) || '"'
                  AND g OPERATOR(mops.=) g::text::mops.smart_goal
                  AND mops.smart_goal_hash(g) = mops.smart_goal_hash(g::text::mops.smart_goal) FROM big_goal),
          'a goal of 900 kB stored in a table reads back whole (detoasted)');

-- ---------------------------------------------------------------------------
-- Comparison and hashing: fixed examples
-- ---------------------------------------------------------------------------
SELECT ok(NOT ('metric=m target=10'::mops.smart_goal OPERATOR(mops.=) 'metric=m target=10.0'::mops.smart_goal)
          AND ('metric=m target=10'::mops.smart_goal OPERATOR(mops.<>) 'metric=m target=10.0'::mops.smart_goal),
          'target=10 and target=10.0 are different goals');
SELECT ok('TARGET=1.25e3 metric=m baseline=+01000'::mops.smart_goal OPERATOR(mops.=) 'metric=m baseline=1000 target=1250'::mops.smart_goal,
          'two spellings of one goal are equal');

-- ---------------------------------------------------------------------------
-- Pseudo-random goals
-- ---------------------------------------------------------------------------
SELECT setseed(0.2718);

-- A random number literal: optional sign, digits with an optional point
-- (5, 5., .5, 5.50), optional exponent (e/E, optional sign).
CREATE FUNCTION pg_temp.rnum() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    s text;
    ip text := '';
    fp text := '';
    e text := '';
    k integer;
BEGIN
    k := floor(random() * 10);
    s := CASE WHEN k < 3 THEN '-' WHEN k = 3 THEN '+' ELSE '' END;
    FOR i IN 1..floor(random() * 7)::integer LOOP
        ip := ip || floor(random() * 10)::integer;
    END LOOP;
    k := floor(random() * 4);
    IF k = 1 THEN
        fp := '.';
    ELSIF k >= 2 THEN
        fp := '.';
        FOR i IN 1..1 + floor(random() * 6)::integer LOOP
            fp := fp || floor(random() * 10)::integer;
        END LOOP;
    END IF;
    IF ip = '' AND fp IN ('', '.') THEN
        ip := floor(random() * 10)::integer::text;
    END IF;
    IF random() < 0.3 THEN
        e := (ARRAY['e', 'E'])[1 + floor(random() * 2)::integer]
             || (ARRAY['', '+', '-'])[1 + floor(random() * 3)::integer]
             || floor(random() * 16)::integer;
    END IF;
    RETURN s || ip || fp || e;
END
$$;

-- A random text value of 1..8 characters, blanks, quotes, backslashes, '=',
-- tabs, newlines, carriage returns and non-ASCII included.
CREATE FUNCTION pg_temp.rtext() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    alphabet text[] := ARRAY['a', 'b', 'Z', 'k', '0', '7', '_', '-', '.', ':', '/', '#', ',', ' ', ' ', '"', '\', '=',
                             'é', 'ß', '成', '😀', E'\t', E'\n', E'\r', 'x', 'y'];
    v text := '';
BEGIN
    FOR i IN 1..1 + floor(random() * 8)::integer LOOP
        v := v || alphabet[1 + floor(random() * cardinality(alphabet))::integer];
    END LOOP;
    RETURN v;
END
$$;

-- v as a value in a literal: quoted (with \" and \\) when it must be, or
-- sometimes anyway.
CREATE FUNCTION pg_temp.lit_val(v text, force boolean) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN force OR v ~ '[[:space:]"\\=]'
                THEN '"' || replace(replace(v, '\', '\\'), '"', '\"') || '"' ELSE v END
$$;

-- k in a random case.
CREATE FUNCTION pg_temp.rkey(k text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    r text := '';
BEGIN
    CASE floor(random() * 4)::integer
        WHEN 0 THEN RETURN k;
        WHEN 1 THEN RETURN upper(k);
        WHEN 2 THEN RETURN initcap(k);
        ELSE
            FOR i IN 1..length(k) LOOP
                r := r || CASE WHEN random() < 0.5 THEN upper(substr(k, i, 1)) ELSE substr(k, i, 1) END;
            END LOOP;
            RETURN r;
    END CASE;
END
$$;

-- A random date: mostly 2020..2029, sometimes anywhere in 0001..9999.
CREATE FUNCTION pg_temp.rdate() RETURNS date
LANGUAGE sql AS $$
    SELECT CASE WHEN random() < 0.8 THEN date '2020-01-01' + floor(random() * 3650)::integer
                ELSE date '0001-01-01' + floor(random() * (date '9999-12-31' - date '0001-01-01' + 1))::integer END
$$;

-- pairs joined by random separators (blanks, tabs, newlines), in random order.
CREATE FUNCTION pg_temp.rjoin(pairs text[]) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    seps text[] := ARRAY[' ', ' ', ' ', '  ', E'\t', E'\n', E' \n\t '];
    shuffled text[];
    r text := '';
BEGIN
    SELECT array_agg(p ORDER BY random()) INTO shuffled FROM unnest(pairs) p;
    IF random() < 0.2 THEN r := seps[1 + floor(random() * cardinality(seps))::integer]; END IF;
    FOR i IN 1..cardinality(shuffled) LOOP
        IF i > 1 THEN r := r || seps[1 + floor(random() * cardinality(seps))::integer]; END IF;
        r := r || shuffled[i];
    END LOOP;
    IF random() < 0.2 THEN r := r || seps[1 + floor(random() * cardinality(seps))::integer]; END IF;
    RETURN r;
END
$$;

-- The canonical text, independently (doc: key order metric, baseline,
-- target, unit, starts, due, owner, objective; numbers as numeric prints
-- them; a value quoted only when it holds a blank, ", \ or =).
CREATE FUNCTION pg_temp.cq(v text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN v ~ '[ "\\=]' THEN '"' || replace(replace(v, '\', '\\'), '"', '\"') || '"' ELSE v END
$$;
CREATE FUNCTION pg_temp.canon(m text, b text, t text, u text, s date, d date, o text, obj text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT concat_ws(' ', 'metric=' || pg_temp.cq(m), 'baseline=' || b::numeric::text, 'target=' || t::numeric::text,
                     'unit=' || pg_temp.cq(u), 'starts=' || s::text, 'due=' || d::text,
                     'owner=' || pg_temp.cq(o), 'objective=' || pg_temp.cq(obj))
$$;

-- rg: 300 random goals (id 1..300), then 60 respellings of goals 1..60
-- (id 301..360: other key order and case, separators, needless quotes,
-- numbers with '+' and leading zeros: equal goals), then 40 copies of
-- goals 61..100 with one more digit of scale in the target (id 401..440:
-- same number, different goals).
CREATE TEMP TABLE rg (id integer PRIMARY KEY, lit text, m text, t text, b text, u text, s date, d date, o text, obj text,
                      g mops.smart_goal);
DO $$
DECLARE
    metrics text[] := ARRAY['email_clicks', 'cpa', 'signups', 'Leads Q1', '成交'];
    m text; t text; b text; u text; s date; d date; o text; obj text;
    pairs text[];
    lit text;
BEGIN
    FOR id IN 1..300 LOOP
        m := CASE WHEN random() < 0.5 THEN metrics[1 + floor(random() * 5)::integer] ELSE pg_temp.rtext() END;
        t := CASE WHEN random() < 0.04 THEN (ARRAY['0', '-0.00', '0e5'])[1 + floor(random() * 3)::integer] ELSE pg_temp.rnum() END;
        b := NULL;
        IF random() < 0.6 THEN
            LOOP
                b := pg_temp.rnum();
                EXIT WHEN b::numeric <> t::numeric;
            END LOOP;
        END IF;
        u := CASE WHEN random() < 0.4 THEN pg_temp.rtext() END;
        s := CASE WHEN random() < 0.6 THEN pg_temp.rdate() END;
        d := CASE WHEN random() < 0.6 THEN pg_temp.rdate() END;
        IF s IS NOT NULL AND d IS NOT NULL THEN
            d := least(date '9999-12-31', s + CASE WHEN random() < 0.1 THEN 0 ELSE floor(random() * 800)::integer END);
        END IF;
        o := CASE WHEN random() < 0.5 THEN pg_temp.rtext() END;
        obj := CASE WHEN random() < 0.5 THEN pg_temp.rtext() END;
        pairs := ARRAY[pg_temp.rkey('metric') || '=' || pg_temp.lit_val(m, random() < 0.2),
                       pg_temp.rkey('target') || '=' || t];
        IF b IS NOT NULL THEN pairs := pairs || (pg_temp.rkey('baseline') || '=' || b); END IF;
        IF u IS NOT NULL THEN pairs := pairs || (pg_temp.rkey('unit') || '=' || pg_temp.lit_val(u, random() < 0.2)); END IF;
        IF s IS NOT NULL THEN pairs := pairs || (pg_temp.rkey('starts') || '=' || s::text); END IF;
        IF d IS NOT NULL THEN pairs := pairs || (pg_temp.rkey('due') || '=' || d::text); END IF;
        IF o IS NOT NULL THEN pairs := pairs || (pg_temp.rkey('owner') || '=' || pg_temp.lit_val(o, random() < 0.2)); END IF;
        IF obj IS NOT NULL THEN pairs := pairs || (pg_temp.rkey('objective') || '=' || pg_temp.lit_val(obj, random() < 0.2)); END IF;
        lit := pg_temp.rjoin(pairs);
        INSERT INTO rg VALUES (id, lit, m, t, b, u, s, d, o, obj, lit::mops.smart_goal);
    END LOOP;
END
$$;

-- n with '+' or '-' and two leading zeros: the same numeric, the same scale.
CREATE FUNCTION pg_temp.respell(n text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN n::numeric::text LIKE '-%' THEN '-00' || substr(n::numeric::text, 2) ELSE '+00' || n::numeric::text END
$$;
INSERT INTO rg
SELECT id + 300, lit, m, t, b, u, s, d, o, obj, lit::mops.smart_goal
FROM (SELECT r.*, pg_temp.rjoin(ARRAY['METRIC=' || pg_temp.lit_val(m, true), 'Target=' || pg_temp.respell(t)]
                                || CASE WHEN b IS NULL THEN '{}'::text[] ELSE ARRAY['baseline=' || pg_temp.respell(b)] END
                                || CASE WHEN u IS NULL THEN '{}'::text[] ELSE ARRAY['UNIT=' || pg_temp.lit_val(u, true)] END
                                || CASE WHEN s IS NULL THEN '{}'::text[] ELSE ARRAY['Starts="' || s::text || '"'] END
                                || CASE WHEN d IS NULL THEN '{}'::text[] ELSE ARRAY['DUE=' || d::text] END
                                || CASE WHEN o IS NULL THEN '{}'::text[] ELSE ARRAY['owner=' || pg_temp.lit_val(o, true)] END
                                || CASE WHEN obj IS NULL THEN '{}'::text[] ELSE ARRAY['Objective=' || pg_temp.lit_val(obj, true)] END)
                 AS lit2
      FROM rg r WHERE id <= 60) x(id, lit0, m, t, b, u, s, d, o, obj, g0, lit);
INSERT INTO rg
SELECT id + 340, lit2, m, t2, b, u, s, d, o, obj, lit2::mops.smart_goal
FROM (SELECT r.*, t::numeric::text || CASE WHEN t::numeric::text LIKE '%.%' THEN '0' ELSE '.0' END AS t2 FROM rg r WHERE id BETWEEN 61 AND 100) r,
     LATERAL (SELECT mops.smart_goal(r.m, r.t2::numeric, r.b::numeric, r.s, r.d, r.o, r.obj, r.u)::text AS lit2) l;

SELECT is((SELECT count(*) FROM rg), 400::bigint, '400 goals generated');
SELECT ok((SELECT count(*) FILTER (WHERE b IS NULL) > 50 AND count(*) FILTER (WHERE s IS NOT NULL AND d IS NOT NULL) > 80
                  AND count(*) FILTER (WHERE s = d) > 3 AND count(*) FILTER (WHERE lit ~ '[eE]') > 50
                  AND count(*) FILTER (WHERE concat(m, u, o, obj) ~ '[\\"= ]') > 100
                  AND count(*) FILTER (WHERE concat(m, u, o, obj) ~ E'[\t\n\r]') > 30
                  AND count(*) FILTER (WHERE lit ~ E'\n') > 30 AND count(*) FILTER (WHERE t::numeric = 0) > 3
                  AND count(*) FILTER (WHERE extract(year FROM coalesce(s, d)) < 1000) > 3 FROM rg),
          'the goals include optional fields absent and present, exponents, quoting, newlines, zero targets, old dates');

-- text
SELECT is((SELECT array_agg(id ORDER BY id) FROM rg WHERE id <= 300 AND g::text IS DISTINCT FROM pg_temp.canon(m, b, t, u, s, d, o, obj)
                                                 AND concat(m, u, o, obj) !~ E'[\t\n\r]'),
          NULL, 'the output is the canonical text (oracle), for goals whose values hold no tab or line break');
SELECT is((SELECT array_agg(id ORDER BY id) FROM rg WHERE NOT (g::text::mops.smart_goal OPERATOR(mops.=) g)),
          NULL, 'text round trip: g::text::smart_goal = g');
SELECT is((SELECT array_agg(id ORDER BY id) FROM rg WHERE g::text::mops.smart_goal::text <> g::text),
          NULL, 'the text output is a fixed point');
SELECT is((SELECT array_agg(a.id ORDER BY a.id) FROM rg a JOIN rg b ON b.id = a.id + 300
            WHERE a.id <= 60 AND (NOT (a.g OPERATOR(mops.=) b.g) OR a.g::text <> b.g::text)),
          NULL, 'respelled goals are equal, with the same text');
SELECT is((SELECT array_agg(a.id ORDER BY a.id) FROM rg a JOIN rg b ON b.id = a.id + 340
            WHERE a.id BETWEEN 61 AND 100 AND (a.g OPERATOR(mops.=) b.g OR mops.goal_target(a.g) <> mops.goal_target(b.g))),
          NULL, 'one more digit of scale: the same target number, a different goal');

-- accessors
SELECT is((SELECT array_agg(id ORDER BY id) FROM rg
            WHERE mops.goal_metric(g) IS DISTINCT FROM m OR mops.goal_unit(g) IS DISTINCT FROM u
               OR mops.goal_owner(g) IS DISTINCT FROM o OR mops.goal_objective(g) IS DISTINCT FROM obj),
          NULL, 'text accessors return the values as written (unescaped)');
SELECT is((SELECT array_agg(id ORDER BY id) FROM rg
            WHERE mops.goal_target(g) IS DISTINCT FROM t::numeric OR mops.goal_baseline(g) IS DISTINCT FROM b::numeric),
          NULL, 'number accessors equal the literal''s numeric value');
SELECT is((SELECT array_agg(id ORDER BY id) FROM rg
            WHERE mops.goal_target(g)::text IS DISTINCT FROM t::numeric::text
               OR mops.goal_baseline(g)::text IS DISTINCT FROM b::numeric::text),
          NULL, 'number accessors keep the scale: goal_target(g)::text = literal::numeric::text');
SELECT is((SELECT array_agg(id ORDER BY id) FROM rg
            WHERE mops.goal_starts(g) IS DISTINCT FROM s OR mops.goal_due(g) IS DISTINCT FROM d),
          NULL, 'date accessors return the dates');

-- constructor
SELECT is((SELECT array_agg(id ORDER BY id) FROM rg
            WHERE NOT (mops.smart_goal(m, t::numeric, baseline => b::numeric, starts => s, due => d, owner => o,
                                       objective => obj, unit => u) OPERATOR(mops.=) g)),
          NULL, 'the constructor with the same fields gives an equal goal');

-- jsonb
CREATE FUNCTION pg_temp.json_oracle(m text, b text, t text, u text, s date, d date, o text, obj text) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object('metric', m, 'baseline', b::numeric, 'target', t::numeric, 'unit', u,
                                                'starts', s::text, 'due', d::text,
                                                'owner', o, 'objective', obj))
$$;
SELECT is((SELECT array_agg(id ORDER BY id) FROM rg
            WHERE (g::jsonb)::text IS DISTINCT FROM pg_temp.json_oracle(m, b, t, u, s, d, o, obj)::text),
          NULL, 'g::jsonb is the object of the fields (oracle), numbers with their scale');
SELECT is((SELECT array_agg(id ORDER BY id) FROM rg WHERE NOT (g::jsonb::mops.smart_goal OPERATOR(mops.=) g)),
          NULL, 'jsonb round trip: g::jsonb::smart_goal = g');
SELECT is((SELECT array_agg(id ORDER BY id) FROM rg
            WHERE NOT (jsonb_strip_nulls(jsonb_build_object('metric', m, 'baseline', b, 'target', t, 'unit', u,
                                                            'starts', s::text, 'due', d::text, 'owner', o,
                                                            'objective', obj))::mops.smart_goal OPERATOR(mops.=) g)),
          NULL, 'jsonb with every value a string (numbers as written) gives an equal goal');

-- binary: COPY (FORMAT binary) through a file and back
CREATE TEMP TABLE rg_bin (id integer, g mops.smart_goal);
SELECT lives_ok($$COPY (SELECT id, g FROM rg ORDER BY id) TO '/tmp/sgtap-54333-goals.bin' (FORMAT binary)$$,
                'COPY goals TO a file in binary format');
SELECT lives_ok($$COPY rg_bin FROM '/tmp/sgtap-54333-goals.bin' (FORMAT binary)$$,
                'COPY goals FROM the file in binary format');
SELECT is((SELECT array_agg(r.id ORDER BY r.id) FROM rg r LEFT JOIN rg_bin x ON x.id = r.id
            WHERE x.g IS NULL OR NOT (x.g OPERATOR(mops.=) r.g) OR x.g::text <> r.g::text),
          NULL, 'binary round trip: every goal comes back equal');

-- recv(b): bytes b given to smart_goal_recv (written as a bytea column, read
-- as a smart_goal column: the binary COPY of a bytea is its raw bytes)
CREATE TEMP TABLE recv_in (b bytea);
CREATE TEMP TABLE recv_out (g mops.smart_goal);
CREATE FUNCTION pg_temp.recv(b bytea) RETURNS mops.smart_goal
LANGUAGE plpgsql AS $$
DECLARE
    r mops.smart_goal;
BEGIN
    DELETE FROM recv_in;
    DELETE FROM recv_out;
    INSERT INTO recv_in VALUES (b);
    EXECUTE $q$COPY recv_in TO '/tmp/sgtap-54333-recv.bin' (FORMAT binary)$q$;
    EXECUTE $q$COPY recv_out FROM '/tmp/sgtap-54333-recv.bin' (FORMAT binary)$q$;
    SELECT g INTO r FROM recv_out;
    RETURN r;
END
$$;
SELECT is(pg_temp.recv(mops.smart_goal_send(:seed))::text, :seed, 'recv(send(g)) = g through the helper');
SELECT is((SELECT array_agg(id ORDER BY id) FROM rg
            WHERE id % 10 = 0 AND mops.smart_goal_send(pg_temp.recv(mops.smart_goal_send(g))) <> mops.smart_goal_send(g)),
          NULL, 'send(recv(send(g))) = send(g)');
SELECT pg_temp.throws(format('SELECT pg_temp.recv(%L::bytea)', b), '22P03', :'bad_binary', format('binary %s: 22P03', why))
  FROM (VALUES (1, '\x'::bytea, 'empty'),
               (2, mops.smart_goal_send(:seed) || '\x00'::bytea, 'a trailing zero byte'),
               (3, set_byte(mops.smart_goal_send(:seed), 0, get_byte(mops.smart_goal_send(:seed), 0) # 255), 'another version byte'))
       AS t(n, b, why)
 ORDER BY n;
-- every proper prefix of send(g) of 20 goals is refused with 22P03
SELECT is((SELECT array_agg(format('goal %s, %s of %s bytes: %s', r.id, k, length(mops.smart_goal_send(r.g)),
                                   coalesce((pg_temp.diag(format('SELECT pg_temp.recv(%L::bytea)', substr(mops.smart_goal_send(r.g), 1, k))))[1],
                                            'accepted')) ORDER BY r.id, k)
             FROM rg r, generate_series(0, length(mops.smart_goal_send(r.g)) - 1) k
            WHERE r.id % 15 = 1
              AND coalesce((pg_temp.diag(format('SELECT pg_temp.recv(%L::bytea)', substr(mops.smart_goal_send(r.g), 1, k))))[1], 'ok')
                  <> '22P03'),
          NULL, 'every truncation of a binary goal is 22P03');
-- one byte of send(g) changed (to a random value), for each byte of 20 goals:
-- either 22P03 or a canonical goal (send of what recv made is the input)
CREATE TEMP TABLE mutants AS
SELECT r.id, k, set_byte(mops.smart_goal_send(r.g), k,
                         (get_byte(mops.smart_goal_send(r.g), k) + 1 + floor(random() * 255)::integer) % 256) AS b
  FROM rg r, generate_series(0, length(mops.smart_goal_send(r.g)) - 1) k
 WHERE r.id % 15 = 2;
SELECT is((SELECT array_agg(format('goal %s, byte %s: %s', id, k, res) ORDER BY id, k)
             FROM (SELECT id, k, CASE WHEN d IS NOT NULL THEN d[1]
                                      WHEN mops.smart_goal_send(pg_temp.recv(b)) = b THEN 'canonical'
                                      ELSE 'accepted, not canonical' END AS res
                     FROM mutants, LATERAL pg_temp.diag(format('SELECT pg_temp.recv(%L::bytea)', b)) d) x
            WHERE res NOT IN ('22P03', 'canonical')),
          NULL, 'a changed byte gives 22P03 or a canonical goal');
SELECT ok((SELECT count(*) > 500 FROM mutants), 'enough mutants');

-- comparison and hashing over pairs: the first 150 goals with each other,
-- the respellings and rescaled copies with their originals, both ways
CREATE TEMP TABLE pairs AS
SELECT a.id AS a_id, b.id AS b_id, a.g AS a_g, b.g AS b_g, mops.smart_goal_cmp(a.g, b.g) AS c
  FROM rg a, rg b
 WHERE (a.id <= 150 AND b.id <= 150) OR (a.id > 300 AND b.id = a.id - 300) OR (b.id > 300 AND a.id = b.id - 300)
    OR (a.id > 400 AND b.id = a.id - 340) OR (b.id > 400 AND a.id = b.id - 340);
SELECT ok((SELECT count(*) > 22000 FROM pairs), 'enough pairs compared');
SELECT is((SELECT count(*) FROM pairs WHERE (c = 0) <> (a_g::text = b_g::text)), 0::bigint,
          'equal exactly when the canonical texts are equal');
SELECT is((SELECT count(*) FROM pairs
            WHERE ((a_g OPERATOR(mops.<) b_g)::int + (a_g OPERATOR(mops.=) b_g)::int + (a_g OPERATOR(mops.>) b_g)::int) <> 1
               OR (a_g OPERATOR(mops.<) b_g) <> (c < 0) OR (a_g OPERATOR(mops.<=) b_g) <> (c <= 0)
               OR (a_g OPERATOR(mops.>=) b_g) <> (c >= 0) OR (a_g OPERATOR(mops.<>) b_g) <> (c <> 0)
               OR (a_g OPERATOR(mops.>) b_g) <> (c > 0)),
          0::bigint, 'exactly one of <, =, > holds, and the operators agree with smart_goal_cmp');
SELECT is((SELECT count(*) FROM pairs x JOIN pairs y ON x.a_id = y.b_id AND x.b_id = y.a_id WHERE sign(x.c) <> -sign(y.c)),
          0::bigint, 'smart_goal_cmp is antisymmetric');
SELECT is((SELECT count(*) FROM pairs WHERE c = 0 AND (mops.smart_goal_hash(a_g) <> mops.smart_goal_hash(b_g)
                                                     OR mops.smart_goal_hash_extended(a_g, 7) <> mops.smart_goal_hash_extended(b_g, 7))),
          0::bigint, 'equal goals hash alike (smart_goal_hash, smart_goal_hash_extended)');
SELECT ok((SELECT count(*) FROM pairs WHERE c = 0 AND a_id <> b_id) >= 120, 'the equal pairs include the respellings');
SELECT is((SELECT count(*) FROM
             (SELECT id, g, dense_rank() OVER (ORDER BY g USING OPERATOR(mops.<)) AS pos FROM rg) x,
             (SELECT id, g, dense_rank() OVER (ORDER BY g USING OPERATOR(mops.<)) AS pos FROM rg) y
            WHERE (x.pos < y.pos) <> (x.g OPERATOR(mops.<) y.g) OR (x.pos = y.pos) <> (x.g OPERATOR(mops.=) y.g)),
          0::bigint, 'ORDER BY agrees with < and = on all 160,000 pairs (transitivity through the sort)');
-- "Ordering is by metric, then ...": in sorted order each metric is one run
SELECT is((SELECT array_agg(m ORDER BY m) FROM
             (SELECT m FROM
                (SELECT mops.goal_metric(g) AS m,
                        mops.goal_metric(g) IS DISTINCT FROM lag(mops.goal_metric(g)) OVER (ORDER BY g USING OPERATOR(mops.<), id) AS starts_run
                   FROM rg) x
               WHERE starts_run GROUP BY m HAVING count(*) > 1) y),
          NULL, 'sorted goals: the goals of one metric are contiguous (ordering by metric first)');
SELECT is((SELECT count(DISTINCT g) FROM rg), (SELECT count(DISTINCT g::text) FROM rg), 'DISTINCT counts the canonical texts');
-- DESIGN §2: the btree opclass is there so that min/max work
SELECT is_aggregate('mops', 'min', ARRAY['mops.smart_goal'], 'min(smart_goal) is an aggregate');
SELECT is_aggregate('mops', 'max', ARRAY['mops.smart_goal'], 'max(smart_goal) is an aggregate');
SELECT is((SELECT ARRAY[mops.min(g)::text, mops.max(g)::text] FROM rg),
          ARRAY[(SELECT rg.g::text FROM rg ORDER BY rg.g USING OPERATOR(mops.<) LIMIT 1),
                (SELECT rg.g::text FROM rg ORDER BY rg.g USING OPERATOR(mops.>) LIMIT 1)],
          'min and max agree with ORDER BY');
SELECT is((SELECT count(*) FROM (SELECT g FROM rg GROUP BY g) x), (SELECT count(DISTINCT g::text) FROM rg),
          'GROUP BY counts the canonical texts');
-- indexes
CREATE TEMP TABLE rg_idx AS SELECT id, g FROM rg;
CREATE INDEX rg_idx_btree ON rg_idx USING btree (g);
CREATE INDEX rg_idx_hash ON rg_idx USING hash (g);
ANALYZE rg_idx;
SET LOCAL enable_seqscan = off;
SET LOCAL enable_bitmapscan = off;
SELECT is((SELECT array_agg(r.id ORDER BY r.id) FROM rg r
            WHERE (SELECT count(*) FROM rg_idx x WHERE x.g OPERATOR(mops.=) r.g)
                  <> (SELECT count(*) FROM rg y WHERE y.g::text = r.g::text)),
          NULL, 'index lookups by = find exactly the goals with the same text');
RESET enable_seqscan;
RESET enable_bitmapscan;

-- ---------------------------------------------------------------------------
-- Progress, expected progress, status, smart_check over random goals
-- ---------------------------------------------------------------------------
-- 3 (actual, as_of) per goal: actual = baseline + (target - baseline) * r
-- (or target * r) with r in -0.5..1.5 in steps of 0.01, or a random number;
-- as_of around the goal's dates, sometimes +-infinity.
CREATE TEMP TABLE ra (id integer, k integer, g mops.smart_goal, t numeric, b numeric, s date, d date, actual numeric, as_of date);
DO $$
DECLARE
    r record;
    a numeric;
    x date;
BEGIN
    FOR r IN SELECT * FROM rg WHERE id <= 300 ORDER BY id LOOP
        FOR k IN 1..4 LOOP
            IF random() < 0.8 THEN
                a := coalesce(r.b::numeric, 0) + (r.t::numeric - coalesce(r.b::numeric, 0)) * round((random() * 2 - 0.5)::numeric, 2);
            ELSE
                a := pg_temp.rnum()::numeric;
            END IF;
            x := CASE WHEN random() < 0.04 THEN 'infinity'::date
                      WHEN random() < 0.04 THEN '-infinity'::date
                      WHEN r.s IS NOT NULL AND r.d IS NOT NULL THEN r.s + floor(random() * (r.d - r.s + 61))::integer - 30
                      WHEN coalesce(r.s, r.d) IS NOT NULL THEN coalesce(r.s, r.d) + floor(random() * 61)::integer - 30
                      ELSE pg_temp.rdate() END;
            INSERT INTO ra VALUES (r.id, k, r.g, r.t::numeric, r.b::numeric, r.s, r.d, a, x);
        END LOOP;
    END LOOP;
END
$$;

-- The oracles, from DESIGN §3.5 and the doc.
CREATE FUNCTION pg_temp.progress_oracle(t numeric, b numeric, a numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN b IS NULL THEN CASE WHEN t = 0 THEN NULL ELSE trim_scale(a / t) END
                ELSE trim_scale((a - b) / (t - b)) END
$$;
CREATE FUNCTION pg_temp.expected_oracle(s date, d date, x date) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN s IS NULL OR d IS NULL THEN NULL
                WHEN x = 'infinity' THEN 1
                WHEN x = '-infinity' THEN 0
                WHEN s = d THEN CASE WHEN x < s THEN 0 ELSE 1 END
                ELSE least(greatest((x - s)::numeric / (d - s), 0), 1) END
$$;
CREATE FUNCTION pg_temp.status_oracle(s date, d date, x date, p numeric, e numeric) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN s IS NOT NULL AND x < s THEN 'not_started'
                WHEN p IS NULL THEN NULL
                WHEN p >= 1 THEN 'achieved'
                WHEN d IS NOT NULL AND x > d THEN 'missed'
                WHEN e IS NULL THEN NULL
                WHEN p >= e THEN 'on_track'
                WHEN p >= e - 0.10 THEN 'at_risk'
                ELSE 'off_track' END
$$;
CREATE FUNCTION pg_temp.check_oracle(t numeric, b numeric, d date, o text, obj text, lim numeric) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(c ORDER BY n), '{}')
      FROM (VALUES (1, CASE WHEN o IS NULL THEN 'specific' END),
                   (2, CASE WHEN b IS NULL THEN 'measurable' END),
                   (3, CASE WHEN b IS NOT NULL AND b <> 0 AND abs(t - b) > lim * abs(b) THEN 'attainable' END),
                   (4, CASE WHEN obj IS NULL THEN 'relevant' END),
                   (5, CASE WHEN d IS NULL THEN 'time_bound' END)) AS v(n, c)
     WHERE c IS NOT NULL
$$;

SELECT is((SELECT count(*) FROM ra), 1200::bigint, '1,200 (goal, actual, as_of) triples');
SELECT is((SELECT array_agg(format('%s: %s (want %s)', g, mops.goal_progress(g, actual), pg_temp.progress_oracle(t, b, actual))
                            ORDER BY id, k)
             FROM ra WHERE mops.goal_progress(g, actual) IS DISTINCT FROM pg_temp.progress_oracle(t, b, actual)),
          NULL, 'goal_progress = (actual - baseline) / (target - baseline), or actual / target (oracle)');
SELECT is((SELECT array_agg(format('%s at %s: %s (want %s)', g, actual, mops.goal_progress(g, actual), pg_temp.progress_oracle(t, b, actual))
                            ORDER BY id, k)
             FROM ra WHERE mops.goal_progress(g, actual)::text IS DISTINCT FROM pg_temp.progress_oracle(t, b, actual)::text),
          NULL, 'goal_progress prints without trailing zeros');
SELECT is((SELECT array_agg(format('%s on %s: %s (want %s)', g, as_of, mops.goal_expected_progress(g, as_of),
                                   pg_temp.expected_oracle(s, d, as_of)) ORDER BY id, k)
             FROM ra WHERE mops.goal_expected_progress(g, as_of) IS DISTINCT FROM pg_temp.expected_oracle(s, d, as_of)),
          NULL, 'goal_expected_progress = (as_of - starts) / (due - starts) clamped to 0..1 (oracle)');
SELECT is((SELECT array_agg(format('%s at %s on %s: %s (want %s)', g, actual, as_of, mops.goal_status(g, actual, as_of), o)
                            ORDER BY id, k)
             FROM ra, LATERAL pg_temp.status_oracle(s, d, as_of, pg_temp.progress_oracle(t, b, actual),
                                                    pg_temp.expected_oracle(s, d, as_of)) o
            WHERE mops.goal_status(g, actual, as_of) IS DISTINCT FROM o),
          NULL, 'goal_status follows DESIGN''s order (oracle)');
SELECT ok((SELECT count(*) = 6 AND min(n) >= 10
             FROM (SELECT st, count(*) AS n FROM (SELECT mops.goal_status(g, actual, as_of) AS st FROM ra) z
                    WHERE st IS NOT NULL GROUP BY st) x),
          'every status occurs at least 10 times');

SELECT is((SELECT array_agg(format('%s: %s (want %s)', g, mops.smart_check(g),
                                   pg_temp.check_oracle(t::numeric, b::numeric, d, o, obj, 1.0)) ORDER BY id)
             FROM rg WHERE mops.smart_check(g) IS DISTINCT FROM pg_temp.check_oracle(t::numeric, b::numeric, d, o, obj, 1.0)),
          NULL, 'smart_check with the default limit (oracle)');
SET LOCAL mops.max_attainable_change = 0.2;
SELECT is((SELECT array_agg(id ORDER BY id) FROM rg
            WHERE mops.smart_check(g) IS DISTINCT FROM pg_temp.check_oracle(t::numeric, b::numeric, d, o, obj, 0.2)),
          NULL, 'smart_check with mops.max_attainable_change = 0.2 (oracle)');
SET LOCAL mops.max_attainable_change = 3;
SELECT is((SELECT array_agg(id ORDER BY id) FROM rg
            WHERE mops.smart_check(g) IS DISTINCT FROM pg_temp.check_oracle(t::numeric, b::numeric, d, o, obj, 3)),
          NULL, 'smart_check with mops.max_attainable_change = 3 (oracle)');
SELECT ok((SELECT count(DISTINCT mops.smart_check(g)) >= 12 AND bool_or('attainable' = ANY (mops.smart_check(g)))
                  AND bool_or(mops.smart_check(g) = '{}') FROM rg),
          'the random goals give many different smart_check answers');
RESET mops.max_attainable_change;

-- ---------------------------------------------------------------------------
-- Schema (§3.5)
-- ---------------------------------------------------------------------------
SELECT has_type('mops', 'smart_goal', 'type smart_goal exists');
SELECT is((SELECT typlen FROM pg_type WHERE oid = 'mops.smart_goal'::regtype), -1::smallint, 'smart_goal is a varlena');

CREATE TEMP TABLE sg_funcs (name text, args text[], ret text, vol "char");
INSERT INTO sg_funcs VALUES
    ('smart_goal', ARRAY['text', 'numeric', 'numeric', 'date', 'date', 'text', 'text', 'text'], 'mops.smart_goal', 'i'),
    ('goal_metric', ARRAY['mops.smart_goal'], 'text', 'i'),
    ('goal_target', ARRAY['mops.smart_goal'], 'numeric', 'i'),
    ('goal_baseline', ARRAY['mops.smart_goal'], 'numeric', 'i'),
    ('goal_unit', ARRAY['mops.smart_goal'], 'text', 'i'),
    ('goal_starts', ARRAY['mops.smart_goal'], 'date', 'i'),
    ('goal_due', ARRAY['mops.smart_goal'], 'date', 'i'),
    ('goal_owner', ARRAY['mops.smart_goal'], 'text', 'i'),
    ('goal_objective', ARRAY['mops.smart_goal'], 'text', 'i'),
    ('goal_progress', ARRAY['mops.smart_goal', 'numeric'], 'numeric', 'i'),
    ('goal_expected_progress', ARRAY['mops.smart_goal', 'date'], 'numeric', 'i'),
    ('goal_status', ARRAY['mops.smart_goal', 'numeric', 'date'], 'text', 'i'),
    ('smart_check', ARRAY['mops.smart_goal'], 'text[]', 's');

SELECT has_function('mops', name, args, format('%s(%s) exists', name, array_to_string(args, ', ')))
  FROM sg_funcs ORDER BY name;
SELECT function_returns('mops', name, args, ret, format('%s returns %s', name, ret))
  FROM sg_funcs ORDER BY name;
SELECT is((SELECT array_agg(format('%s: %s', p.oid::regprocedure, p.provolatile) ORDER BY f.name)
             FROM sg_funcs f JOIN pg_proc p ON p.oid = to_regprocedure(format('mops.%s(%s)', f.name, array_to_string(f.args, ',')))
            WHERE p.provolatile <> f.vol),
          NULL, 'volatility: smart_check STABLE, the others IMMUTABLE');
SELECT is((SELECT array_agg(format('%s: strict %s', p.oid::regprocedure, p.proisstrict) ORDER BY f.name)
             FROM sg_funcs f JOIN pg_proc p ON p.oid = to_regprocedure(format('mops.%s(%s)', f.name, array_to_string(f.args, ',')))
            WHERE p.proisstrict <> (f.name <> 'smart_goal')),
          NULL, 'strictness: the constructor is not STRICT, everything else is');
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
             FROM pg_proc p
            WHERE p.pronamespace = 'mops'::regnamespace AND p.proparallel <> 's'
              AND (p.proname IN (SELECT name FROM sg_funcs) OR p.proname LIKE 'smart\_goal\_%')),
          NULL, 'every smart_goal function is PARALLEL SAFE');
SELECT is(pg_get_function_arguments('mops.smart_goal(text,numeric,numeric,date,date,text,text,text)'::regprocedure),
          'metric text, target numeric, baseline numeric DEFAULT NULL::numeric, starts date DEFAULT NULL::date, '
          'due date DEFAULT NULL::date, owner text DEFAULT NULL::text, objective text DEFAULT NULL::text, unit text DEFAULT NULL::text',
          'the constructor''s argument names and NULL defaults after target');
SELECT is(pg_get_function_arguments('mops.goal_status(mops.smart_goal,numeric,date)'::regprocedure),
          'g mops.smart_goal, actual numeric, as_of date DEFAULT CURRENT_DATE',
          'goal_status(g, actual, as_of DEFAULT current_date)');
SELECT is(ARRAY[pg_get_function_arguments('mops.goal_progress(mops.smart_goal,numeric)'::regprocedure),
                pg_get_function_arguments('mops.goal_expected_progress(mops.smart_goal,date)'::regprocedure),
                pg_get_function_arguments('mops.smart_check(mops.smart_goal)'::regprocedure)],
          ARRAY['g mops.smart_goal, actual numeric', 'g mops.smart_goal, as_of date', 'g mops.smart_goal'],
          'argument names of goal_progress, goal_expected_progress, smart_check');
SELECT has_cast('mops.smart_goal', 'jsonb', 'cast smart_goal -> jsonb exists');
SELECT has_cast('jsonb', 'mops.smart_goal', 'cast jsonb -> smart_goal exists');
SELECT is((SELECT array_agg(a.amname::text ORDER BY a.amname)
             FROM pg_opclass o JOIN pg_am a ON a.oid = o.opcmethod
            WHERE o.opcintype = 'mops.smart_goal'::regtype AND o.opcdefault),
          ARRAY['btree', 'hash'], 'smart_goal has default btree and hash operator classes');
SELECT ok((SELECT typreceive <> 0 AND typsend <> 0 FROM pg_type WHERE oid = 'mops.smart_goal'::regtype),
          'smart_goal has binary send and receive functions');

SELECT * FROM finish();
ROLLBACK;
