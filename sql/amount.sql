-- amount: numeric value + ISO 4217 currency (DESIGN §3.7, first bullet;
-- the forms and choices are in doc/amount.md and src/core/amount.h).
--
-- Every result is worked out by hand in the "expect:" comment before it.
SET search_path = mops, public;
SET datestyle = 'ISO, YMD';

-- public.err(sql) (sql/setup.sql): the SQLSTATE, message, detail and hint
-- of the error sql raises ('no error' if it succeeds).

-- ---------------------------------------------------------------------------
-- Text input and canonical output
-- ---------------------------------------------------------------------------

-- expect: 1250.5 EUR -- the issue's case: the numeric's scale (1) is kept,
-- no zero is added.
SELECT '1250.5 EUR'::amount;
-- expect: 1250.50 EUR -- scale 2 kept.
SELECT '1250.50 EUR'::amount;
-- expect: 12 EUR | 12.00 USD | 0.5 BHD | 5 EUR
-- lower/mixed case codes are upper-cased; blanks (tab, newline) around and
-- between are dropped; "+.5" is 0.5; "5." is 5 (no fraction digit, scale 0).
SELECT '12 eur'::amount AS a, E'\t12.00\n uSd '::amount AS b,
       '+.5 bhd'::amount AS c, '5. EUR'::amount AS d;
-- expect: 0.150 USD | 1500 CHF | 0.00 JPY | 12.3400 EUR
-- exponents as numeric reads them: 1.50e-1: digits 150, scale 2+1 = 3;
-- 1.5e3: scale max(0, 1-3) = 0, value 1500; -0.00 is zero, which has no
-- sign; leading zeros go, trailing zeros (the scale) stay.
SELECT '1.50e-1 USD'::amount, '1.5E3 CHF'::amount, '-0.00 JPY'::amount, '000012.3400 EUR'::amount;
-- expect: 100 DEM | 1 XAU | 1 XXX -- historic (Deutsche Mark) and non-tender
-- (gold, "no currency") ISO 4217 codes are accepted.
SELECT '100 DEM'::amount, '1 xau'::amount, '1 XXX'::amount;
-- expect: 1e131071 has 131072 digits before the point (the numeric limit),
-- 1e-16383 a scale of 16383 (the limit): both fine; length of the text:
-- 131072 + 4 and 2 + 16383 + 4.
SELECT length('1e131071 EUR'::amount::text) AS big, length('1e-16383 EUR'::amount::text) AS tiny;
-- expect: round trip text -> amount -> text -> amount is the identity.
SELECT a::text, a::text::amount = a AS same
  FROM (VALUES ('1250.5 EUR'::amount), ('-0.001 BHD'), ('123456789012345678901234567890.123456789 JPY')) v(a);

-- Errors in text input: every one 22P02, except the numeric range (22003).
-- expect: 22P02, detail: "XYZ" is not an ISO 4217 currency code (the issue's case).
SELECT * FROM public.err($$SELECT '1 XYZ'::mops.amount$$);
-- expect: 22P02 with the accepted form in the detail: no code, no blank
-- between, thousands separator, symbol, code first, four letters, three
-- tokens, empty.
SELECT s, (public.err(format('SELECT %L::mops.amount', s))).code
  FROM unnest(ARRAY['12.50', '12EUR', '1,250.50 EUR', '12 €', 'EUR 12', '1 EURO', '1 2 EUR', '', '. EUR', '1e EUR', '0x1A EUR']) s;
SELECT * FROM public.err($$SELECT '12EUR'::mops.amount$$);
-- expect: 22P02 "An amount cannot be NaN or infinite." for NaN, Infinity, -inf.
SELECT s, (public.err(format('SELECT %L::mops.amount', s))).*
  FROM unnest(ARRAY['NaN EUR', 'Infinity USD', '-inf JPY']) s;
-- expect: 22003 for 132073 digits before the point (1e131072) and for a
-- scale of 16384 (1e-16384).
SELECT s, (public.err(format('SELECT %L::mops.amount', s))).code
  FROM unnest(ARRAY['1e131072 EUR', '1e-16384 EUR']) s;
SELECT * FROM public.err($$SELECT '1e-16384 EUR'::mops.amount$$);

-- ---------------------------------------------------------------------------
-- Constructor and accessors
-- ---------------------------------------------------------------------------

-- expect: 1250.5 EUR | 1250.50 | EUR | 3 USD (the code is case-insensitive,
-- the value keeps its scale).
SELECT amount(1250.5, 'eur'), amount_value('1250.50 EUR'), amount_currency('1 eur'), amount(3, 'Usd');
-- expect: 22P02 for an unknown code, also for a blank-padded one; 22023 for
-- a NaN or infinite value.
SELECT * FROM public.err($$SELECT mops.amount(1, 'XYZ')$$);
SELECT (public.err($$SELECT mops.amount(1, ' EUR')$$)).code AS padded,
       (public.err($$SELECT mops.amount('NaN', 'EUR')$$)).code AS nan,
       (public.err($$SELECT mops.amount('-Infinity', 'EUR')$$)).code AS inf;
SELECT * FROM public.err($$SELECT mops.amount('NaN', 'EUR')$$);
-- expect: t | f | f | f -- is_currency_code wants the exact upper-case code.
SELECT is_currency_code('EUR'), is_currency_code('eur'), is_currency_code('XYZ'), is_currency_code('EURO');
-- expect: 0 | 2 | 3 | 0 -- ICU (CLDR) minor units of JPY, EUR, BHD, and of
-- IQD, where CLDR says 0 while ISO 4217 says 3.
SELECT currency_minor_units('JPY'), currency_minor_units('eur'), currency_minor_units('BHD'), currency_minor_units('IQD');

-- ---------------------------------------------------------------------------
-- round_minor: numeric round() to the ICU minor units, half away from zero
-- ---------------------------------------------------------------------------
-- expect: 1251 JPY (1250.5 -> 0 decimals, half away from zero)
--       | -1251 JPY (-1250.5, away from zero)
--       | 1.01 EUR (1.005 exactly: half -> up; no binary floating point)
--       | 1250.50 EUR (1250.5 padded to 2 decimals, like round(1250.5, 2))
--       | 1.235 BHD (1.23456: third decimal 4, next digit 5 -> 5)
--       | 0.000 BHD (0.0004 -> 0.000)
SELECT round_minor('1250.5 JPY'), round_minor('-1250.5 JPY'), round_minor('1.005 EUR'),
       round_minor('1250.5 EUR'), round_minor('1.23456 BHD'), round_minor('0.0004 BHD');

-- ---------------------------------------------------------------------------
-- format_amount (ICU 72): the issue's acceptance cases, with the exact
-- characters (U+00A0 no-break space, U+FFE5 fullwidth yen sign)
-- ---------------------------------------------------------------------------
-- expect: 1.250,50 € with U+00A0 before € | $1,250.50 | ￥1,250
SELECT format_amount('1250.50 EUR', 'de_DE') AS de,
       format_amount('1250.50 EUR', 'de_DE') = U&'1.250,50\00A0\20AC' AS de_exact,
       format_amount('1250.50 USD', 'en_US') AS us,
       format_amount('1250 JPY', 'ja_JP') AS jp,
       format_amount('1250 JPY', 'ja_JP') = U&'\FFE51,250' AS jp_exact;
-- expect: rounding to the minor units, half away from zero (not ICU's
-- default half-even): 1250.5 JPY -> ￥1,251, 1249.5 -> ￥1,250 (away from
-- zero, not to even), 0.125 USD -> $0.13, -1234.125 EUR (de_DE) ->
-- -1.234,13 €; fewer decimals are padded: 1250.5 EUR -> 1.250,50 €.
SELECT format_amount('1250.5 JPY', 'ja_JP'), format_amount('1249.5 JPY', 'ja_JP'),
       format_amount('0.125 USD', 'en_US'), format_amount('-1234.125 EUR', 'de_DE'),
       format_amount('1250.5 EUR', 'de_DE');
-- expect: fr_FR groups with U+202F (narrow no-break space) and puts U+00A0
-- before €; en_US writes a foreign currency with its symbol (€) or its code
-- and U+00A0 (BHD 1.235); BCP 47 "de-DE" is de_DE; a POSIX name with a
-- codeset falls back to its language.
SELECT format_amount('1250.50 EUR', 'fr_FR') = U&'1\202F250,50\00A0\20AC' AS fr,
       format_amount('1250.50 EUR', 'en_US') AS en_eur,
       format_amount('1.23456 BHD', 'en_US') = U&'BHD\00A01.235' AS en_bhd,
       format_amount('1250.50 EUR', 'de-DE') AS bcp47,
       format_amount('1250.50 EUR', 'de_DE.UTF-8') AS posix;
-- expect: no precision lost on 39 significant digits (the decimal text goes
-- to ICU, not a double): $123,456,789,012,345,678,901,234,567,890,123,456,789.13
SELECT format_amount('123456789012345678901234567890123456789.125 USD', 'en_US');
-- expect: 22023 for a locale ICU has no data for (it would silently use the
-- server's default locale), for '' and for root.
SELECT l, (public.err(format('SELECT mops.format_amount(%L, %L)', '1 EUR', l))).code
  FROM unnest(ARRAY['xx_YY', '', 'root', 'C', 'en US']) l;
SELECT * FROM public.err($$SELECT mops.format_amount('1 EUR', 'xx_YY')$$);

-- ---------------------------------------------------------------------------
-- Arithmetic
-- ---------------------------------------------------------------------------
-- expect: 3.50 EUR (1 + 2.50) | -1.50 EUR (1 - 2.50) | -1 EUR | 3.0 EUR
-- (1.5 * 2, scales 1 + 0) | 4.5 EUR (3 * 1.5) | 3.3333333333333333 EUR
-- (numeric division: 16 significant digits)
SELECT '1 EUR'::amount + '2.50 EUR', '1 EUR'::amount - '2.50 EUR', -'1 EUR'::amount,
       '1.5 EUR'::amount * 2, 3 * '1.5 EUR'::amount, '10 EUR'::amount / 3;
-- expect: 22023 "cannot add amounts in different currencies", detail
-- naming EUR and USD (the issue's case); the same for -.
SELECT * FROM public.err($$SELECT '1 EUR'::mops.amount + '1 USD'$$);
SELECT * FROM public.err($$SELECT '1 EUR'::mops.amount - '1 USD'$$);
-- expect: 22012 division by zero, as numeric; 22023 for NaN/infinite factors.
SELECT (public.err($$SELECT '1 EUR'::mops.amount / 0$$)).code AS div0,
       (public.err($$SELECT '1 EUR'::mops.amount * 'NaN'::numeric$$)).code AS mul_nan,
       (public.err($$SELECT 'Infinity'::numeric * '1 EUR'::mops.amount$$)).code AS mul_inf,
       (public.err($$SELECT '1 EUR'::mops.amount / 'Infinity'::numeric$$)).code AS div_inf;

-- ---------------------------------------------------------------------------
-- Comparison and ordering
-- ---------------------------------------------------------------------------
-- expect: t (1.5 = 1.50) | f (1 EUR = 1 USD) | t (<>) | t (1 < 2) | t (2 >= 2.00)
SELECT '1.5 EUR'::amount = '1.50 EUR', '1 EUR'::amount = '1 USD', '1 EUR'::amount <> '1 USD',
       '1 EUR'::amount < '2 EUR', '2 EUR'::amount >= '2.00 EUR';
-- expect: t | t | t | t -- values of 600 digits (300 bytes of numeric,
-- compared through a heap copy rather than the stack buffer): equal across
-- scales, ordered, and hashed alike.
SELECT (repeat('9', 600) || ' EUR')::amount = (repeat('9', 600) || '.00 EUR')::amount AS eq,
       (repeat('9', 599) || '8 EUR')::amount < (repeat('9', 600) || ' EUR')::amount AS lt,
       amount_hash((repeat('9', 600) || ' EUR')::amount) = amount_hash((repeat('9', 600) || '.00 EUR')::amount) AS hash,
       amount_hash_extended((repeat('9', 600) || ' EUR')::amount, 7) = amount_hash_extended((repeat('9', 600) || '.00 EUR')::amount, 7) AS hash_ext;
-- expect: 22023 for <, <=, >, >= across currencies.
SELECT * FROM public.err($$SELECT '1 EUR'::mops.amount < '1 USD'$$);
SELECT (public.err($$SELECT '1 EUR'::mops.amount <= '1 USD'$$)).code AS le,
       (public.err($$SELECT '1 EUR'::mops.amount > '1 USD'$$)).code AS gt,
       (public.err($$SELECT '1 EUR'::mops.amount >= '1 USD'$$)).code AS ge;
-- ORDER BY, DISTINCT, GROUP BY and an index work on mixed currencies: the
-- btree order is currency code, then value.
CREATE TEMP TABLE mixed (a amount);
INSERT INTO mixed VALUES ('2.5 USD'), ('1 EUR'), ('0.5 AUD'), ('-1 EUR'), ('1.00 EUR'), ('100 JPY'), (NULL);
-- expect: 0.5 AUD, -1 EUR, 1 EUR, 1.00 EUR (equal to 1 EUR; either order),
-- 100 JPY, 2.5 USD, NULL last.
SELECT a FROM mixed ORDER BY a, a::text;
-- expect: 5 | 6 -- count(DISTINCT) sees 5 non-NULL values (1 EUR and
-- 1.00 EUR are one); GROUP BY (hashed) makes those 5 groups plus the NULL one.
SELECT count(DISTINCT a) AS sort_distinct,
       (SELECT count(*) FROM (SELECT a FROM mixed GROUP BY a) g) AS groups
  FROM mixed;
SET enable_hashagg = off;
-- expect: the same 6 groups through a sort.
SELECT count(*) FROM (SELECT a FROM mixed GROUP BY a) g;
RESET enable_hashagg;
CREATE INDEX mixed_a ON mixed (a);
SET enable_seqscan = off;
-- expect: the index scan finds 1 EUR and 1.00 EUR for = '1 EUR'.
SELECT a FROM mixed WHERE a = '1 EUR' ORDER BY a::text;
RESET enable_seqscan;
-- The btree operator class orders with the total-order operators ~<~,
-- ~<=~, ~>=~, ~>~ (currency code, then value), never with <: planning a
-- merge join on analyzed mixed-currency columns compares the extremes of
-- their statistics, which would raise with <.
CREATE TEMP TABLE big1 AS
SELECT amount(i, (ARRAY['EUR', 'USD', 'JPY'])[1 + i % 3]) AS a FROM generate_series(1, 3000) i;
CREATE TEMP TABLE big2 AS SELECT * FROM big1;
ANALYZE big1;
ANALYZE big2;
SET enable_hashjoin = off;
SET enable_nestloop = off;
-- expect: a Merge Join, planned and run without error: 3000 matches (each
-- row of big1 equals exactly its copy in big2).
EXPLAIN (COSTS OFF) SELECT count(*) FROM big1 JOIN big2 USING (a);
SELECT count(*) FROM big1 JOIN big2 USING (a);
RESET enable_hashjoin;
RESET enable_nestloop;
-- expect: estimating a < '100 EUR' on the mixed histogram raises nothing
-- (the estimate uses ~<~); running it does raise 22023 when it meets a USD
-- or JPY row.  Comparing values within a currency is the robust form:
-- EUR rows are i = 3, 6, ..., 99 below 100: 33 rows.
EXPLAIN (COSTS OFF) SELECT * FROM big1 WHERE a < '100 EUR';
SELECT (public.err($$SELECT count(*) FROM big1 WHERE a < '100 EUR'$$)).code AS lt_over_mixed;
SELECT count(*) FROM big1 WHERE amount_currency(a) = 'EUR' AND amount_value(a) < 100;
-- expect: an index range scan with the total-order operators, no error:
-- EUR rows with 100 <= i < 200: i = 102, 105, ..., 198: 33 rows.
CREATE INDEX big1_a ON big1 (a);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM big1 WHERE a ~>=~ '100 EUR' AND a ~<~ '200 EUR';
SELECT count(*) FROM big1 WHERE a ~>=~ '100 EUR' AND a ~<~ '200 EUR';
-- expect: the same scan for >= and < (written either way round): their
-- support function turns them into lossy index conditions with ~>=~ and
-- ~<~, and the filter rechecks >= and < on the EUR entries read, so no
-- other currency is compared: 33 rows, no error (a sequential scan would
-- meet USD rows and raise).
EXPLAIN (COSTS OFF) SELECT count(*) FROM big1 WHERE a >= '100 EUR' AND '200 EUR' > a;
SELECT count(*) FROM big1 WHERE a >= '100 EUR' AND '200 EUR' > a;
-- expect: <= alone also uses the index (Index Cond a ~<=~ '50 JPY'); the
-- scan starts at the beginning of the index, the EUR entries, and the
-- recheck of <= raises 22023 on the first of them, as a sequential scan
-- would.
EXPLAIN (COSTS OFF) SELECT count(*) FROM big1 WHERE a <= '50 JPY';
SELECT (public.err($$SELECT count(*) FROM big1 WHERE a <= '50 JPY'$$)).code AS le_over_mixed;
RESET enable_seqscan;
-- expect: 2998 USD, 2995 USD -- row i is EUR when i % 3 = 0, USD when 1,
-- JPY when 2; EUR < JPY < USD, so DESC starts with the largest USD rows.
SELECT a FROM big1 ORDER BY a DESC LIMIT 2;
-- expect: 3 EUR, 6 EUR -- ascending starts with the smallest EUR rows.
SELECT a FROM big1 ORDER BY a LIMIT 2;
DROP TABLE big1, big2;

-- expect: min/max within a currency: -1 EUR | 1 EUR (1 and 1.00 are equal:
-- max keeps the first it saw, either prints as 1 or 1.00)
SELECT min(a), amount_value(max(a)) = 1 AS max_is_one FROM mixed WHERE amount_currency(a) = 'EUR';
-- expect: 22023 for min/max over mixed currencies.
SELECT (public.err($$SELECT min(a) FROM mixed$$)).code AS min, (public.err($$SELECT max(a) FROM mixed$$)).code AS max;
-- expect: per-currency sums: AUD 0.5, EUR 1.00 (-1 + 1 + 1.00), JPY 100, USD 2.5
SELECT amount_currency(a) AS cur, sum(a) FROM mixed GROUP BY 1 ORDER BY 1;

-- ---------------------------------------------------------------------------
-- sum(amount)
-- ---------------------------------------------------------------------------
-- expect: 3.5 EUR (1 + 2.5, NULL skipped) | NULL (no rows)
SELECT (SELECT sum(a) FROM (VALUES ('1 EUR'::amount), ('2.5 EUR'), (NULL)) v(a)) AS one_currency,
       (SELECT sum(a) FROM mixed WHERE false) AS no_rows;
-- expect: 22023 "cannot sum amounts in different currencies" naming both.
SELECT * FROM public.err($$SELECT mops.sum(a) FROM (VALUES ('1 EUR'::mops.amount), ('2.5 USD')) v(a)$$);

-- Forced parallel plan: Partial/Finalize Aggregate, same answer as serial.
-- 20000 rows: amount i/100 EUR for i = 1..20000; sum = 20000*20001/2/100 =
-- 2000100.00 EUR.
CREATE TABLE amount_par AS
SELECT amount(i / 100.0, 'EUR') AS a, i FROM generate_series(1, 20000) i;
ANALYZE amount_par;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT sum(a) FROM amount_par;
-- expect: 2000100.00 EUR | t -- numeric division gives i / 100.0 many
-- decimals (at least 16 significant digits), so the sum is compared
-- exactly with 2000100 and printed rounded to the minor units.
SELECT round_minor(sum(a)) AS par_sum, amount_value(sum(a)) = 2000100 AS exact FROM amount_par;
-- expect: a mixed-currency row makes the parallel sum fail with 22023.
INSERT INTO amount_par VALUES ('1 USD', 20001);
SELECT (public.err($$SELECT mops.sum(a) FROM amount_par$$)).code AS par_mixed;
DELETE FROM amount_par WHERE i = 20001;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;
-- expect: the serial plan and the same sum.
EXPLAIN (COSTS OFF) SELECT sum(a) FROM amount_par;
SELECT round_minor(sum(a)) AS serial_sum, amount_value(sum(a)) = 2000100 AS exact FROM amount_par;
RESET max_parallel_workers_per_gather;
DROP TABLE amount_par;

-- ---------------------------------------------------------------------------
-- Binary I/O
-- ---------------------------------------------------------------------------
-- expect: \x01 'EUR' (45 55 52) then numeric_send(1250.50): ndigits 2,
-- weight 0, sign 0, dscale 2, digits 1250 (04e2) and 5000 (1388).
SELECT amount_send('1250.50 EUR');
-- COPY BINARY out and back in gives the same values.
CREATE TEMP TABLE bin_src (a amount);
INSERT INTO bin_src VALUES ('1250.5 EUR'), ('-0.001 BHD'), ('0 JPY'), ('1e40 USD'), ('1e-30 XAU');
COPY bin_src TO '/tmp/amount-regress.bin' WITH (FORMAT binary);
CREATE TEMP TABLE bin_dst (a amount);
COPY bin_dst FROM '/tmp/amount-regress.bin' WITH (FORMAT binary);
-- expect: 5 rows back, each equal and printing the same (scale kept).
SELECT count(*) AS n, bool_and(s.a::text = d.a::text) AS same_text
  FROM (SELECT a, row_number() OVER () r FROM bin_src) s
  JOIN (SELECT a, row_number() OVER () r FROM bin_dst) d USING (r);

-- ---------------------------------------------------------------------------
-- fx_rate and convert_amount
-- ---------------------------------------------------------------------------
INSERT INTO fx_rate VALUES
    ('EUR', 'USD', '2026-01-01', 1.0850),
    ('EUR', 'USD', '2026-02-01', 1.10),
    ('GBP', 'EUR', '2026-01-01', 1.20);
-- expect: valid_from boundaries:
--   on 2026-01-01 (first day of the first rate): 100 * 1.0850 = 108.5000 USD
--   on 2026-01-31 (day before the second): still 1.0850 -> 108.5000 USD
--   on 2026-02-01 (first day of the second): 100 * 1.10 = 110.00 USD
--   on 2030-01-01 (latest rate stays valid): 110.00 USD
SELECT convert_amount('100 EUR', 'USD', '2026-01-01') AS jan1,
       convert_amount('100 EUR', 'usd', '2026-01-31') AS jan31,
       convert_amount('100 EUR', 'USD', '2026-02-01') AS feb1,
       convert_amount('100 EUR', 'USD', '2030-01-01') AS later;
-- expect: inverse pair: USD -> EUR uses 1 / rate: 110 / 1.10 = 100 with
-- numeric's division scale (16 digits: 100.0000000000000000 EUR);
-- 120 EUR -> GBP = 120 / 1.20 = 100.0000000000000000 GBP;
-- same currency: unchanged (scale too): 100.5 EUR.
SELECT convert_amount('110 USD', 'EUR', '2026-02-01') AS inverse,
       convert_amount('120 EUR', 'GBP', '2026-03-01') AS inverse2,
       convert_amount('100.5 EUR', 'EUR', '1900-01-01') AS same;
-- expect: the direct pair wins over a newer inverse rate: add USD->EUR 0.5
-- from 2026-03-01; EUR->USD on 2026-03-15 still uses 1.10.
INSERT INTO fx_rate VALUES ('USD', 'EUR', '2026-03-01', 0.5);
SELECT convert_amount('100 EUR', 'USD', '2026-03-15') AS direct_wins,
       convert_amount('100 USD', 'EUR', '2026-03-15') AS direct_other_way;
-- expect: 22023 with a hint: before the first rate (2025-12-31) and for a
-- pair without rates; 22P02 for an unknown target code.
SELECT * FROM public.err($$SELECT mops.convert_amount('100 EUR', 'USD', '2025-12-31')$$);
SELECT (public.err($$SELECT mops.convert_amount('100 EUR', 'JPY', '2026-01-01')$$)).code AS no_pair,
       (public.err($$SELECT mops.convert_amount('100 EUR', 'XYZ', '2026-01-01')$$)).code AS bad_code;
-- expect: the table's CHECKs (23514) refuse a lower-case or unknown code, a
-- rate of 0, NaN or infinity, and a pair of one currency; the key (23505) a
-- second rate for the same pair and day.
SELECT (public.err($$INSERT INTO mops.fx_rate VALUES ('eur', 'USD', '2026-01-01', 1)$$)).code AS lower,
       (public.err($$INSERT INTO mops.fx_rate VALUES ('EUR', 'XYZ', '2026-01-01', 1)$$)).code AS unknown,
       (public.err($$INSERT INTO mops.fx_rate VALUES ('EUR', 'JPY', '2026-01-01', 0)$$)).code AS zero,
       (public.err($$INSERT INTO mops.fx_rate VALUES ('EUR', 'JPY', '2026-01-01', 'NaN')$$)).code AS nan,
       (public.err($$INSERT INTO mops.fx_rate VALUES ('EUR', 'JPY', '2026-01-01', 'Infinity')$$)).code AS inf,
       (public.err($$INSERT INTO mops.fx_rate VALUES ('EUR', 'EUR', '2026-01-01', 1)$$)).code AS same,
       (public.err($$INSERT INTO mops.fx_rate VALUES ('EUR', 'USD', '2026-01-01', 2)$$)).code AS dup;
DELETE FROM fx_rate;
