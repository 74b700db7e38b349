-- pgTAP: amount, its functions, sum/min/max, fx_rate and convert_amount
-- (DESIGN §3.7; the forms are fixed by src/core/amount.h and doc/amount.md):
-- every error with its SQLSTATE and message, the binary receive path fed
-- corrupt input through COPY (FORMAT binary), properties over pseudo-random
-- amounts (fixed seed) checked against oracles written here in SQL, and the
-- schema of the objects.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SET LOCAL search_path = public, pg_catalog;
SET LOCAL datestyle = 'ISO, YMD';

SELECT plan(79);

-- diag(sql): {sqlstate, message, detail, hint} of the error sql raises
\ir lib/diag.sql

-- ---------------------------------------------------------------------------
-- Schema
-- ---------------------------------------------------------------------------
SELECT has_type('mops', 'amount', 'type amount exists');
SELECT has_function('mops', 'amount', ARRAY['numeric', 'text'], 'amount(numeric, text)');
SELECT function_returns('mops', 'amount_value', ARRAY['mops.amount'], 'numeric', 'amount_value returns numeric');
SELECT function_returns('mops', 'amount_currency', ARRAY['mops.amount'], 'text', 'amount_currency returns text');
SELECT function_returns('mops', 'round_minor', ARRAY['mops.amount'], 'mops.amount', 'round_minor returns amount');
SELECT function_returns('mops', 'format_amount', ARRAY['mops.amount', 'text'], 'text', 'format_amount returns text');
SELECT function_returns('mops', 'convert_amount', ARRAY['mops.amount', 'text', 'date'], 'mops.amount',
                        'convert_amount(amount, text, date) returns amount');
SELECT is((SELECT proargnames FROM pg_proc WHERE oid = 'mops.convert_amount(mops.amount,text,date)'::regprocedure),
          ARRAY['a', 'currency', 'on'], 'convert_amount''s argument names are DESIGN''s (a, currency, on)');
SELECT volatility_is('mops', 'convert_amount', ARRAY['mops.amount', 'text', 'date'], 'stable',
                     'convert_amount is STABLE (it reads mops.fx_rate)');
SELECT is_aggregate('mops', 'sum', ARRAY['mops.amount'], 'sum(amount) is an aggregate');
SELECT is_aggregate('mops', 'min', ARRAY['mops.amount'], 'min(amount) is an aggregate');
SELECT is_aggregate('mops', 'max', ARRAY['mops.amount'], 'max(amount) is an aggregate');
SELECT is((SELECT aggtranstype::regtype::text || ' ' || aggcombinefn::text || ' ' || proparallel::text
             FROM pg_aggregate JOIN pg_proc ON pg_proc.oid = aggfnoid
            WHERE aggfnoid = 'mops.sum(mops.amount)'::regprocedure),
          'mops.amount mops.amount_sum_accum s',
          'sum(amount): state type amount (not internal), a combine function, PARALLEL SAFE');
SELECT is((SELECT array_agg(aggsortop ORDER BY aggfnoid::text) FROM pg_aggregate
            WHERE aggfnoid IN ('mops.min(mops.amount)'::regprocedure, 'mops.max(mops.amount)'::regprocedure)),
          ARRAY[0::oid, 0::oid], 'min/max(amount) have no sort operator (no index shortcut over mixed currencies)');
SELECT is((SELECT array_agg(a.amopstrategy || ' ' || a.amopopr::regoperator::text ORDER BY a.amopstrategy)
             FROM pg_amop a JOIN pg_opclass c ON c.opcfamily = a.amopfamily
            WHERE c.opcname = 'amount_ops' AND c.opcnamespace = 'mops'::regnamespace),
          ARRAY['1 mops.~<~(mops.amount,mops.amount)', '2 mops.~<=~(mops.amount,mops.amount)',
                '3 mops.=(mops.amount,mops.amount)', '4 mops.~>=~(mops.amount,mops.amount)',
                '5 mops.~>~(mops.amount,mops.amount)'],
          'the btree operator class holds the total-order operators (never <, which raises across currencies)');
SELECT is((SELECT array_agg(p.prosupport::text ORDER BY o.oprname)
             FROM pg_operator o JOIN pg_proc p ON p.oid = o.oprcode
            WHERE o.oprleft = 'mops.amount'::regtype AND o.oprright = 'mops.amount'::regtype
              AND o.oprname IN ('<', '<=', '>', '>=')),
          ARRAY['mops.amount_ineq_support', 'mops.amount_ineq_support', 'mops.amount_ineq_support',
                'mops.amount_ineq_support'],
          '<, <=, >, >= have the planner support function that lets a btree index serve them');
SELECT has_table('mops', 'fx_rate', 'table fx_rate exists');
SELECT col_is_pk('mops', 'fx_rate', ARRAY['currency', 'quote_currency', 'valid_from'],
                 'fx_rate''s key is (currency, quote_currency, valid_from)');
SELECT ok((SELECT 'mops.fx_rate'::regclass = ANY (extconfig) FROM pg_extension WHERE extname = 'mops'),
          'mops.fx_rate is registered with pg_extension_config_dump (kept by pg_dump)');
SELECT is((SELECT array_agg(x.privilege_type::text ORDER BY x.privilege_type)
             FROM pg_class c, aclexplode(c.relacl) x
            WHERE c.oid = 'mops.fx_rate'::regclass AND x.grantee = 0),
          ARRAY['SELECT'], 'PUBLIC may SELECT from mops.fx_rate, and nothing more');
SELECT is((SELECT count(*)::int FROM pg_opclass o JOIN pg_am a ON a.oid = o.opcmethod
            WHERE o.opcintype = 'mops.amount'::regtype AND o.opcdefault AND a.amname IN ('btree', 'hash')),
          2, 'amount has default btree and hash operator classes');

-- ---------------------------------------------------------------------------
-- Errors of text input and the functions
-- ---------------------------------------------------------------------------
SELECT throws_ok($$SELECT '1 XYZ'::mops.amount$$, '22P02',
                 'invalid input syntax for type amount: "1 XYZ"', 'unknown currency code: 22P02');
SELECT is((pg_temp.diag($$SELECT '1 XYZ'::mops.amount$$))[3], '"XYZ" is not an ISO 4217 currency code.',
          'the detail names the unknown code');
SELECT throws_ok($$SELECT '12.50'::mops.amount$$, '22P02', NULL, 'no currency: 22P02');
SELECT throws_ok($$SELECT '1,250.50 EUR'::mops.amount$$, '22P02', NULL, 'thousands separator: 22P02');
SELECT throws_ok($$SELECT 'EUR 12'::mops.amount$$, '22P02', NULL, 'code before the number: 22P02');
SELECT throws_ok($$SELECT '12EUR'::mops.amount$$, '22P02', NULL, 'no blank between number and code: 22P02');
SELECT throws_ok($$SELECT ''::mops.amount$$, '22P02', NULL, 'empty string: 22P02');
SELECT throws_ok($$SELECT 'NaN EUR'::mops.amount$$, '22P02', 'invalid input syntax for type amount: "NaN EUR"', 'NaN: 22P02');
SELECT throws_ok($$SELECT '-Infinity EUR'::mops.amount$$, '22P02', NULL, '-Infinity: 22P02');
SELECT throws_ok($$SELECT '1e131072 EUR'::mops.amount$$, '22003', 'amount out of range: "1e131072 EUR"',
                 'more than 131072 digits before the point: 22003');
SELECT throws_ok($$SELECT mops.amount(1, 'XYZ')$$, '22P02', 'unknown currency code "XYZ"', 'amount(): unknown code 22P02');
SELECT throws_ok($$SELECT mops.amount('NaN', 'EUR')$$, '22023', 'the value of an amount cannot be NaN or infinite',
                 'amount(): NaN value 22023');
SELECT throws_ok($$SELECT mops.currency_minor_units('XYZ')$$, '22P02', NULL, 'currency_minor_units: unknown code 22P02');
SELECT throws_ok($$SELECT '1 EUR'::mops.amount OPERATOR(mops.+) '1 USD'$$, '22023', 'cannot add amounts in different currencies',
                 'EUR + USD: 22023');
SELECT is((pg_temp.diag($$SELECT '1 EUR'::mops.amount OPERATOR(mops.+) '1 USD'$$))[3], 'The amounts are in EUR and USD.',
          'the detail names both currencies');
SELECT throws_ok($$SELECT '1 EUR'::mops.amount OPERATOR(mops.-) '1 USD'$$, '22023', 'cannot subtract amounts in different currencies',
                 'EUR - USD: 22023');
SELECT throws_ok($$SELECT '1 EUR'::mops.amount OPERATOR(mops.<) '1 USD'$$, '22023', 'cannot compare amounts in different currencies',
                 'EUR < USD: 22023');
SELECT throws_ok($$SELECT '1 EUR'::mops.amount OPERATOR(mops.>=) '1 USD'$$, '22023', NULL, 'EUR >= USD: 22023');
SELECT throws_ok($$SELECT '1 EUR'::mops.amount OPERATOR(mops./) 0$$, '22012', NULL, 'division by zero: 22012');
SELECT throws_ok($$SELECT '1 EUR'::mops.amount OPERATOR(mops.*) 'NaN'::numeric$$, '22023', 'the factor of an amount cannot be NaN or infinite',
                 'multiplication by NaN: 22023');
SELECT throws_ok($$SELECT mops.sum(a) FROM (VALUES ('1 EUR'::mops.amount), ('2 USD')) v(a)$$, '22023',
                 'cannot sum amounts in different currencies', 'sum over mixed currencies: 22023');
SELECT throws_ok($$SELECT mops.max(a) FROM (VALUES ('1 EUR'::mops.amount), ('2 USD')) v(a)$$, '22023',
                 'cannot compare amounts in different currencies', 'max over mixed currencies: 22023');
SELECT throws_ok($$SELECT mops.format_amount('1 EUR', 'xx_YY')$$, '22023', 'unknown locale "xx_YY"',
                 'format_amount: unknown locale 22023');
SELECT throws_ok($$SELECT mops.format_amount('1 EUR', '')$$, '22023', NULL, 'format_amount: empty locale 22023');
SELECT throws_ok($$SELECT mops.convert_amount('1 EUR', 'XYZ', '2026-01-01')$$, '22P02', 'unknown currency code "XYZ"',
                 'convert_amount: unknown target code 22P02');
SELECT throws_ok($$SELECT mops.convert_amount('1 EUR', 'JPY', '2026-01-01')$$, '22023',
                 'no exchange rate from EUR to JPY on 2026-01-01', 'convert_amount: no rate 22023');

-- ---------------------------------------------------------------------------
-- Binary receive: corrupt input through COPY (FORMAT binary).  A bytea
-- column written in binary is read back as an amount column, so that
-- amount_recv sees exactly the bytes given.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE bin_in (a mops.amount);
CREATE FUNCTION pg_temp.recv(bytes bytea) RETURNS text
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('COPY (SELECT %L::bytea) TO %L WITH (FORMAT binary)', bytes, '/tmp/amount-tap.bin');
    TRUNCATE bin_in;
    COPY bin_in FROM '/tmp/amount-tap.bin' WITH (FORMAT binary);
    RETURN (SELECT a::text FROM bin_in);
END
$$;
-- numeric_send(1250.50): ndigits 2, weight 0, sign 0, dscale 2, 1250, 5000
SELECT is(pg_temp.recv('\x01455552000200000000000204e21388'), '1250.50 EUR', 'a valid binary amount is received');
SELECT throws_ok($$SELECT pg_temp.recv('\x02455552000200000000000204e21388')$$, '22P03',
                 'unsupported binary format version 2 for type amount', 'recv: unknown version 22P03');
SELECT throws_ok($$SELECT pg_temp.recv('\x01585a59000200000000000204e21388')$$, '22P03',
                 'invalid currency code in binary input for type amount', 'recv: unknown code XYZ 22P03');
SELECT throws_ok($$SELECT pg_temp.recv('\x01657572000200000000000204e21388')$$, '22P03',
                 'invalid currency code in binary input for type amount', 'recv: lower-case code 22P03');
SELECT throws_ok($$SELECT pg_temp.recv('\x014555')$$, '22P03', 'truncated binary input for type amount',
                 'recv: truncated header 22P03');
SELECT throws_ok($$SELECT pg_temp.recv('\x01455552000200000000000204e2')$$, '08P01', NULL,
                 'recv: truncated numeric is an error (insufficient data)');
SELECT throws_ok($$SELECT pg_temp.recv('\x01455552000200000000000204e21388ff')$$, '22P03',
                 'trailing bytes in binary input for type amount', 'recv: trailing bytes 22P03');
SELECT throws_ok($$SELECT pg_temp.recv('\x0145555200000000c0000000')$$, '22P03',
                 'invalid value in binary input for type amount', 'recv: NaN 22P03');
SELECT throws_ok($$SELECT pg_temp.recv('\x0145555200000000d0000000')$$, '22P03',
                 'invalid value in binary input for type amount', 'recv: +Infinity 22P03');
SELECT throws_ok($$SELECT pg_temp.recv('\x014555520001000000000000ffff')$$, '22P03', NULL,
                 'recv: a numeric digit out of range is an error');

-- ---------------------------------------------------------------------------
-- Properties over pseudo-random amounts
-- ---------------------------------------------------------------------------
SELECT setseed(0.4217);
CREATE TEMP TABLE r AS
SELECT i,
       (ARRAY['EUR', 'USD', 'JPY', 'BHD', 'GBP', 'CHF', 'CLF'])[1 + floor(random() * 7)::int] AS cur,
       round(((random() - 0.5) * 10 ^ floor(random() * 14))::numeric, floor(random() * 7)::int) AS v,
       round(((random() - 0.5) * 10 ^ floor(random() * 10))::numeric, floor(random() * 5)::int) AS w
  FROM generate_series(1, 400) i;
ALTER TABLE r ADD COLUMN a mops.amount, ADD COLUMN b mops.amount;
UPDATE r SET a = mops.amount(v, cur), b = mops.amount(w, cur);

SELECT is((SELECT count(*) FROM r WHERE mops.amount_value(a) IS DISTINCT FROM v
                                      OR mops.amount_currency(a) IS DISTINCT FROM cur
                                      OR mops.amount_value(a)::text <> v::text)::int, 0,
          'amount(v, c) keeps the value, its scale and the currency');
SELECT is((SELECT count(*) FROM r WHERE a::text <> v::text || ' ' || cur)::int, 0,
          'text output is the numeric''s text, one space and the code');
SELECT is((SELECT count(*) FROM r WHERE a::text::mops.amount::text <> a::text
                                      OR lower(a::text)::mops.amount::text <> a::text)::int, 0,
          'text round trip (also from a lower-case code) is the identity');
-- From here the operators of mops are found through the search_path.
SET LOCAL search_path = public, pg_catalog, mops;
SELECT is((SELECT count(*) FROM r
            WHERE ((a + b) - b)::text IS DISTINCT FROM mops.amount(v + w - w, cur)::text
               OR NOT ((a + b) - b) = a)::int, 0,
          '(a + b) - b = a, with numeric''s scale');
SELECT is((SELECT count(*) FROM r
            WHERE (a * 3::numeric)::text <> (v * 3)::text || ' ' || cur
               OR (2.5 * a)::text <> (2.5 * v)::text || ' ' || cur
               OR (a / 7)::text <> (v / 7)::text || ' ' || cur
               OR (-a)::text <> (-v)::text || ' ' || cur)::int, 0,
          '*, / and unary - act like numeric on the value');
SELECT is((SELECT count(*) FROM r
            WHERE mops.round_minor(a)::text <> round(v, mops.currency_minor_units(cur))::text || ' ' || cur)::int, 0,
          'round_minor(a) = round(value, minor units of the currency)');
SELECT is((SELECT count(*) FROM r
            WHERE sign(mops.amount_cmp(a, b)) <> sign(v - w)
               OR (a < b) <> (v < w)
               OR (a = b) <> (v = w)
               OR (a >= b) <> (v >= w))::int, 0,
          'within a currency, comparison is the values'' comparison');
SELECT is((SELECT count(*) FROM r r1 JOIN r r2 ON r2.i = r1.i % 400 + 1
            WHERE sign(mops.amount_cmp(r1.a, r2.a)) <>
                  CASE WHEN r1.cur <> r2.cur THEN CASE WHEN r1.cur COLLATE "C" < r2.cur COLLATE "C" THEN -1 ELSE 1 END
                       ELSE sign(r1.v - r2.v) END)::int, 0,
          'the btree order is currency code (bytewise), then value');
SELECT is((SELECT count(*) FROM r r1 JOIN r r2 ON r2.i = (r1.i * 7) % 400 + 1
            WHERE (r1.a ~<~ r2.a) <> (mops.amount_cmp(r1.a, r2.a) < 0)
               OR (r1.a ~<=~ r2.a) <> (mops.amount_cmp(r1.a, r2.a) <= 0)
               OR (r1.a ~>~ r2.a) <> (mops.amount_cmp(r1.a, r2.a) > 0)
               OR (r1.a ~>=~ r2.a) <> (mops.amount_cmp(r1.a, r2.a) >= 0)
               OR (r1.a = r2.a) <> (mops.amount_cmp(r1.a, r2.a) = 0))::int, 0,
          '~<~, ~<=~, ~>~, ~>=~ and = agree with amount_cmp over mixed currencies');
SELECT is((SELECT count(*) FROM r r1 JOIN r r2 ON r2.cur = r1.cur AND r2.v = r1.v
            WHERE mops.amount_hash(r1.a) <> mops.amount_hash(mops.amount(r2.v * 1.000, r2.cur))
               OR mops.amount_hash_extended(r1.a, 42) <> mops.amount_hash_extended(mops.amount(r2.v * 1.000, r2.cur), 42))::int, 0,
          'equal amounts of different scales hash alike (hash and extended hash)');
SELECT is((SELECT array_agg(s ORDER BY c) FROM (SELECT cur AS c, mops.sum(a)::text = sum(v)::text || ' ' || cur AS s
                                                  FROM r GROUP BY cur) g),
          (SELECT array_agg(true) FROM (SELECT DISTINCT cur FROM r) d),
          'sum(amount) per currency equals the sum of the values');
SELECT is((SELECT array_agg(ok ORDER BY c) FROM (SELECT cur AS c,
                    mops.amount_value(mops.min(a)) = min(v) AND mops.amount_value(mops.max(a)) = max(v) AS ok
                                                  FROM r GROUP BY cur) g),
          (SELECT array_agg(true) FROM (SELECT DISTINCT cur FROM r) d),
          'min/max(amount) per currency equal min/max of the values');
SELECT is((SELECT count(*) FROM r
            WHERE cur = 'USD' AND v >= 0
              AND mops.format_amount(a, 'en_US') <> '$' || to_char(round(v, 2), 'FM999,999,999,999,990.00'))::int, 0,
          'format_amount(en_US, USD) = $ and the value rounded half away from zero to cents, grouped by thousands');
SELECT is((SELECT count(*) FROM r
            WHERE cur = 'JPY' AND v >= 0
              AND mops.format_amount(a, 'ja_JP') <> U&'\FFE5' || to_char(round(v, 0), 'FM999,999,999,999,990'))::int, 0,
          'format_amount(ja_JP, JPY) = ￥ and the value rounded to yen');

-- Binary round trip through COPY (FORMAT binary).
CREATE TEMP TABLE bin_dst (i int, a mops.amount);
COPY (SELECT i, a FROM r) TO '/tmp/amount-tap.bin' WITH (FORMAT binary);
COPY bin_dst FROM '/tmp/amount-tap.bin' WITH (FORMAT binary);
SELECT is((SELECT count(*) FROM r JOIN bin_dst d USING (i) WHERE d.a::text = r.a::text)::int, 400,
          'binary round trip (COPY binary out and in) keeps every amount and its scale');
SELECT is((SELECT count(*) FROM r WHERE mops.amount_send(a) <> mops.amount_send(a::text::mops.amount))::int, 0,
          'send of the text round trip equals send of the value');

-- ---------------------------------------------------------------------------
-- convert_amount against an oracle
-- ---------------------------------------------------------------------------
INSERT INTO mops.fx_rate
SELECT 'EUR', 'USD', d::date, 1 + (extract(doy FROM d)::int % 17) / 100.0
  FROM generate_series('2026-01-01'::date, '2026-12-01', '1 month') d;
INSERT INTO mops.fx_rate VALUES ('CHF', 'EUR', '2026-01-01', 1.05), ('CHF', 'EUR', '2026-06-15', 1.07);
SELECT is((SELECT count(*) FROM generate_series('2026-01-01'::date, '2026-12-31', '1 day') d,
                 LATERAL (SELECT rate FROM mops.fx_rate WHERE currency = 'EUR' AND quote_currency = 'USD'
                           AND valid_from <= d ORDER BY valid_from DESC LIMIT 1) x
            WHERE mops.convert_amount('123.45 EUR', 'USD', d::date)::text <> (123.45 * x.rate)::text || ' USD')::int, 0,
          'convert_amount uses the rate of the latest valid_from on or before the day, every day of a year');
SELECT is((SELECT count(*) FROM generate_series('2026-01-01'::date, '2026-12-31', '1 day') d,
                 LATERAL (SELECT rate FROM mops.fx_rate WHERE currency = 'CHF' AND quote_currency = 'EUR'
                           AND valid_from <= d ORDER BY valid_from DESC LIMIT 1) x
            WHERE mops.convert_amount('100 EUR', 'chf', d::date)::text <> (100 / x.rate)::text || ' CHF')::int, 0,
          'with only the inverse pair, convert_amount divides by its rate');
SELECT is(mops.convert_amount('7.5 JPY', 'jpy', '1900-01-01')::text, '7.5 JPY', 'same currency: unchanged, no rate needed');
SELECT throws_ok($$SELECT mops.convert_amount('1 EUR', 'USD', '2025-12-31')$$, '22023', NULL,
                 'before the first valid_from there is no rate');
SELECT throws_ok($$INSERT INTO mops.fx_rate VALUES ('EUR', 'GBP', '2026-01-01', -1)$$, '23514', NULL,
                 'fx_rate refuses a negative rate');
SELECT throws_ok($$INSERT INTO mops.fx_rate VALUES ('EUR', 'gbp', '2026-01-01', 1)$$, '23514', NULL,
                 'fx_rate refuses a lower-case code');

SELECT * FROM finish();
ROLLBACK;
