-- attribution: attribute(path, model, value, conversion_at, half_life)
-- (DESIGN §3.4; the weights and the cumulative rounding are fixed by the
-- header comment of src/core/attribution.h).
--
-- Every credit is computed by hand in the "expect:" comment before it.  The
-- rounding rule used throughout: with weights w_i, W = Σ w_i,
-- C_i = (w_1 + … + w_i) / W and S = max(16, scale of value) decimals,
--     credit_i = round(value · C_i, S) − round(value · C_{i−1}, S)
-- (round half up), so the credits telescope to round(value, S) = value.
SET search_path = mops, public;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
-- (details print intervals in the session's style; pg_regress defaults to
-- postgres_verbose)
SET intervalstyle = 'postgres';

-- public.err(sql) (sql/setup.sql): the SQLSTATE, message, detail and hint
-- of the error sql raises ('no error' if it succeeds).

-- ---------------------------------------------------------------------------
-- Published oracle values
-- ---------------------------------------------------------------------------

-- expect: 46.6666666666666667 | 46.6666666666666666 | 46.6666666666666667
-- (channels direct, organic_search, direct: labels are normalised).
-- linear: weights 1, 1, 1, W = 3, S = 16 (140 has scale 0).
--   round(140·1/3, 16) = round(46.66666666666666666…, 16) = 46.6666666666666667
--     (17th decimal 6: rounds up)                     → credit 1 = 46.6666666666666667
--   round(140·2/3, 16) = round(93.33333333333333333…, 16) = 93.3333333333333333
--     (17th decimal 3: rounds down) → credit 2 = 93.3333333333333333 − 46.6666666666666667
--                                              = 46.6666666666666666
--   round(140·3/3, 16) = 140 → credit 3 = 140 − 93.3333333333333333 = 46.6666666666666667
-- Sum 140 exactly; the one-unit difference lands on the middle touch.
SELECT * FROM attribute('Direct > Organic_Search > Direct', 'linear', 140);

-- expect: 56 | 28 | 56 -- position_based, n = 3: weights 2(n−2) = 2, 1, 2,
-- W = 5: 140·2/5 = 56, 140·1/5 = 28, 140·2/5 = 56 (40/20/40 %), exact.
SELECT * FROM attribute('Direct > Organic_Search > Direct', 'position_based', 140);

-- expect: 33.25 | 33.25 -- linear, n = 2: 66.5/2 = 33.25 each (exact, so no
-- trailing digits: credits are trimmed of trailing zeros).
SELECT * FROM attribute('Display_Other > Organic_Search', 'linear', 66.5);

-- expect: 33.25 | 33.25 -- position_based with 2 touches is 50/50.
SELECT * FROM attribute('Display_Other > Organic_Search', 'position_based', 66.5);

-- ---------------------------------------------------------------------------
-- time_decay
-- ---------------------------------------------------------------------------

-- Touches 14, 7 and 0 days before the conversion (= the last touch, the
-- default conversion_at), half-life 7 days (the default): weights
-- 2^(−14/7) = 1/4, 2^(−7/7) = 1/2, 2^0 = 1, i.e. 1 : 2 : 4, W = 7.
CREATE TABLE td (label text, path touch_path);
INSERT INTO td VALUES
    ('14/7/0 days', 'a@2026-01-01 00:00:00+00 > b@2026-01-08 00:00:00+00 > c@2026-01-15 00:00:00+00'),
    ('3/0 days', 'a@2026-01-12 00:00:00+00 > c@2026-01-15 00:00:00+00');

-- expect: 1 | 2 | 4 -- value 7: 7·1/7, 7·2/7, 7·4/7, exact.
SELECT touch, channel, credit FROM td, attribute(path, 'time_decay', 7) WHERE label = '14/7/0 days';

-- expect: 0.1428571428571429 | 0.2857142857142857 | 0.5714285714285714
-- value 1, S = 16: 1/7 = 0.142857142857142857…
--   round(1/7, 16) = 0.1428571428571429 (17th decimal 5: up) = credit 1
--   round(3/7, 16) = round(0.428571428571428571…, 16) = 0.4285714285714286 (17th 7: up)
--     → credit 2 = 0.4285714285714286 − 0.1428571428571429 = 0.2857142857142857
--   credit 3 = 1 − 0.4285714285714286 = 0.5714285714285714
SELECT touch, channel, credit FROM td, attribute(path, 'time_decay', 1) WHERE label = '14/7/0 days';

-- expect: 1 | 2 | 4 -- conversion_at 17 days after the last touch: the
-- weights are 2^(−31/7), 2^(−24/7), 2^(−17/7) = 2^(−17/7) · (1/4, 1/2, 1):
-- the conversion time only contributes the common factor 2^(−(conv − last)/h),
-- which cancels when the weights are normalised; the shares stay 1/7, 2/7, 4/7.
SELECT touch, channel, credit
FROM td, attribute(path, 'time_decay', 7, '2026-02-01 00:00:00+00') WHERE label = '14/7/0 days';

-- expect: 0.1428571428571429 | 0.2857142857142857 | 0.5714285714285714 -- the
-- same with value 1 and conversion_at one second after the last touch, and
-- with conversion_at equal to the last touch (both as with the default).
SELECT touch, channel, credit
FROM td, attribute(path, 'time_decay', 1, '2026-01-15 00:00:01+00') WHERE label = '14/7/0 days';
SELECT touch, channel, credit
FROM td, attribute(path, 'time_decay', 1, '2026-01-15 00:00:00+00') WHERE label = '14/7/0 days';

-- expect: 0.4262755948 | 0.5737244052 -- a non-integer ratio: touches 3 and 0
-- days before, half-life 7 days.  By hand: 2^(−3/7) = e^(−(3/7)·ln 2),
-- ln 2 = 0.693147180559945, (3/7)·ln 2 = 0.297063077382834,
-- e^(−0.297063077382834) = e^(−0.3) · e^(0.002936922617166)
--   = 0.740818220681718 · 1.002941239600 = 0.742997144568474.
-- Shares: x/(1 + x) = 0.742997144568474 / 1.742997144568474 = 0.426275594818845
-- and 1/(1 + x) = 0.573724405181155; rounded to 10 decimals 0.4262755948 and
-- 0.5737244052 (the weights are doubles scaled to integers, so only the
-- leading digits are claimed).  The two credits still sum to 1 exactly.
SELECT touch, channel, round(credit, 10) AS credit_10
FROM td, attribute(path, 'time_decay', 1) WHERE label = '3/0 days';
-- expect: 1.0000000000000000 -- exactly 1 (a sum of numerics keeps the scale
-- 16 of the credits).
SELECT sum(credit) FROM td, attribute(path, 'time_decay', 1) WHERE label = '3/0 days';

-- expect: 1 | 2 -- half_life 3 days with touches 3 days apart: weights 1/2, 1.
-- Value 3: 1 and 2.
SELECT touch, credit FROM attribute('a@2026-01-12 00:00:00+00 > c@2026-01-15 00:00:00+00', 'time_decay', 3,
                                    half_life => '3 days');
-- expect: 1 | 2 -- half_life '1 mon' counts 30 days (attribution.c: months are
-- 30 days): touches 30 days apart, weights 1/2, 1.
SELECT touch, credit FROM attribute('a@2026-01-01 00:00:00+00 > c@2026-01-31 00:00:00+00', 'time_decay', 3,
                                    half_life => '1 mon');
-- expect: 1.5 | 1.5 -- touches at the same instant weigh the same.
SELECT touch, credit FROM attribute('a@2026-01-01 00:00:00+00 > c@2026-01-01 00:00:00+00', 'time_decay', 3);
-- expect: 42 -- a single touch gets everything.
SELECT touch, credit FROM attribute('a@2026-01-01 00:00:00+00', 'time_decay', 42);
-- expect: 0 | 1 -- a touch 9998 years before the last with a half-life of
-- one microsecond weighs 2^(−3.15e17): it rounds to weight 0.
SELECT touch, credit FROM attribute('a@0001-01-01 00:00:00+00 > b@9999-01-01 00:00:00+00', 'time_decay', 1,
                                    half_life => '1 microsecond');

-- expect: 17636684.1604285714285714 | 35273368.3208571428571429 | 70546736.6417142857142857
-- value 123456789.123 (scale 3, so S = 16): 1/7 of it is
-- 17636684.16042857142857142857…, 3/7 is 52910052.48128571428571428571…
--   credit 1 = round(v/7, 16) = 17636684.1604285714285714 (17th decimal 2)
--   round(3v/7, 16) = 52910052.4812857142857143 (17th decimal 8: up)
--     → credit 2 = 52910052.4812857142857143 − 17636684.1604285714285714 = 35273368.3208571428571429
--   credit 3 = 123456789.1230000000000000 − 52910052.4812857142857143 = 70546736.6417142857142857
-- (v·10^16 ≈ 1.2e27 times a cumulative weight up to 7·2^58 ≈ 2e18 exceeds
-- 128 bits, so these come from the numeric fallback.)
SELECT touch, credit FROM td, attribute(path, 'time_decay', 123456789.123) WHERE label = '14/7/0 days';

-- ---------------------------------------------------------------------------
-- Every model on paths of 1, 2, 3, 4 and 7 touches (value 100)
-- ---------------------------------------------------------------------------
CREATE TABLE mp (n int, path touch_path);
INSERT INTO mp VALUES
    (1, 'email'),
    (2, 'email > direct'),
    (3, 'email > social > direct'),
    (4, 'email > social > email > direct'),
    (7, 'Email > Paid Search > direct > email > Social > direct > DIRECT');
-- expect (credits by touch):
-- n = 1 (email): every model {100}: a single touch takes everything.
-- n = 2 (email > direct):
--   first_touch {100,0}; last_touch {0,100}; last_non_direct {100,0} (touch 2
--   is direct, touch 1 is not); linear {50,50}; position_based and u_shaped
--   {50,50} (2 touches: 50/50); shapley_simplified {50,50} (2 distinct channels).
-- n = 3 (email > social > direct):
--   first {100,0,0}; last {0,0,100}; last_non_direct {0,100,0} (social);
--   linear {33.3333333333333333,33.3333333333333334,33.3333333333333333}:
--     round(100/3, 16) = 33.3333333333333333, round(200/3, 16) = 66.6666666666666667
--     (differences: …333, …334, …333);
--   position_based {40,20,40} (weights 2,1,2 of 5); shapley as linear (3
--   distinct channels, weights 1,1,1).
-- n = 4 (email > social > email > direct):
--   first {100,0,0,0}; last {0,0,0,100}; last_non_direct {0,0,100,0} (the
--   second email); linear {25,25,25,25} (repeats credited each time);
--   position_based {40,10,10,40} (weights 4,1,1,4 of 10);
--   shapley {33.3333333333333333,33.3333333333333334,0,33.3333333333333333}
--     (weights 1,1,0,1: email's repeat gets 0; cumulative 1/3, 2/3, 2/3, 1).
-- n = 7 (email > paid_search > direct > email > social > direct > direct):
--   first {100,0,0,0,0,0,0}; last {0,0,0,0,0,0,100};
--   last_non_direct {0,0,0,0,100,0,0} (social, touch 5: the two last are direct);
--   linear: 100/7 = 14.285714285714285714…; round(100·i/7, 16) for i = 1..6 is
--     14.2857142857142857, 28.5714285714285714, 42.8571428571428571,
--     57.1428571428571429 (57.14285714285714285|7: up), 71.4285714285714286,
--     85.7142857142857143; differences {…857, …857, …857, …858, …857, …857,
--     100 − 85.7142857142857143 = 14.2857142857142857};
--   position_based {40,4,4,4,4,4,40} (weights 10,1,1,1,1,1,10 of 25);
--   shapley {25,25,25,0,25,0,0} (distinct email, paid_search, direct, social
--   on their first touches 1, 2, 3, 5).
SELECT n, model, array_agg(credit ORDER BY touch) AS credits
FROM mp, (VALUES (1, 'first_touch'), (2, 'last_touch'), (3, 'last_non_direct'), (4, 'linear'),
                 (5, 'position_based'), (6, 'u_shaped'), (7, 'shapley_simplified')) m(k, model),
     attribute(path, model, 100)
GROUP BY n, k, model
ORDER BY n, k;

-- expect: email | paid_search | direct | email | social | direct | direct --
-- channel labels are normalised (normalize_label) and every touch has a row.
SELECT touch, channel FROM mp, attribute(path, 'first_touch') WHERE n = 7 ORDER BY touch;

-- expect: 1 | 0 | 0 -- the default value is 1.
SELECT touch, credit FROM attribute('a > b > c', 'first_touch');

-- ---------------------------------------------------------------------------
-- Credits sum to the value exactly: lengths 1..20 × every model × values
-- ---------------------------------------------------------------------------
-- Paths of n = 1..20 touches built with path_agg: touch j at j² hours after
-- 2026-01-01 (so time_decay has non-integer ratios of the 7-day half-life),
-- channel direct when j is a multiple of 3, else c<j mod 4> (repeats, and
-- direct in the middle and at the end).  Values: 0, 0.001, 1, 66.5, 140,
-- 123456789.123 (numeric fallback for time_decay), 1e30 (numeric fallback
-- for every model: 10^46 exceeds 128 bits), 1.00000000000000000001 (scale
-- 20) and 0.33333333333333333333333 (scale 23).
CREATE TABLE sum_paths AS
SELECT n, path_agg(CASE WHEN j % 3 = 0 THEN 'direct' ELSE 'c' || (j % 4) END,
                   timestamptz '2026-01-01 00:00:00+00' + j * j * interval '1 hour') AS path
FROM generate_series(1, 20) n, generate_series(1, n) j
GROUP BY n;
CREATE TABLE sum_values (value numeric);
INSERT INTO sum_values VALUES (0), (0.001), (1), (66.5), (140), (123456789.123), (1e30),
    (1.00000000000000000001), (0.33333333333333333333333);
CREATE TABLE sum_models (model text);
INSERT INTO sum_models VALUES ('first_touch'), ('last_touch'), ('last_non_direct'), ('linear'),
    ('position_based'), ('time_decay'), ('shapley_simplified');
CREATE TABLE sum_results AS
SELECT n, model, value, count(*) AS touches, sum(credit) AS total, min(credit) AS least,
       max(scale(credit)) AS max_scale
FROM sum_paths, sum_models, sum_values, attribute(path, model, value)
GROUP BY n, model, value;

-- expect: 1260 -- 20 lengths × 7 models × 9 values, every one with rows.
SELECT count(*) FROM sum_results;
-- expect: (no rows) -- no combination where the credits do not sum to the
-- value exactly, a touch has no row, a credit is negative, or a credit has
-- more decimals than S = max(16, scale of value).
SELECT n, model, value, touches, total, least, max_scale
FROM sum_results
WHERE total <> value OR touches <> n OR least < 0 OR max_scale > greatest(16, scale(value))
ORDER BY n, model, value;

-- expect: 0.33333333333333333333 | 0.33333333333333333334 | 0.33333333333333333333
-- a value of scale 20 gives credits of 20 decimals: S = 20, round(1/3, 20) =
-- 0.33333333333333333333, round(2/3, 20) = 0.66666666666666666667.
SELECT touch, credit FROM attribute('a > b > c', 'linear', 1.00000000000000000000);
-- expect: 0 | 0.00000000000000000001 | 0 -- 1e-20 at S = 20: round(1e-20/3, 20) = 0,
-- round(2e-20/3, 20) = 1e-20 (0.67 units rounds up), so the unit lands on touch 2.
SELECT touch, credit FROM attribute('a > b > c', 'linear', 0.00000000000000000001);
-- expect: 0.0003333333333333 | 0.0003333333333334 | 0.0003333333333333
-- 0.001/3 at S = 16: round(0.000333…, 16) = 0.0003333333333333, round(0.000666…, 16)
-- = 0.0006666666666667.
SELECT touch, credit FROM attribute('a > b > c', 'linear', 0.001);
-- expect: 0 | 0 | 0 -- a zero value gives zero credits.
SELECT touch, credit FROM attribute('a > b > c', 'linear', 0);
-- expect: 333333333333333333333333333333.3333333333333333 |
--         333333333333333333333333333333.3333333333333334 |
--         333333333333333333333333333333.3333333333333333
-- 1e30/3 at S = 16 (numeric fallback): the same pattern as 100/3.
SELECT touch, credit FROM attribute('a > b > c', 'linear', 1e30);
-- expect: 1000000000000000000000000000000 | 0 | 0 -- first_touch of 1e30.
SELECT touch, credit FROM attribute('a > b > c', 'first_touch', 1e30);

-- ---------------------------------------------------------------------------
-- last_non_direct, shapley_simplified, first and last touch
-- ---------------------------------------------------------------------------
-- expect (credits by touch, value 10):
--   direct                      {10}        all direct: the last touch
--   direct > direct > direct    {0,0,10}    all direct: the last touch
--   Direct > DIRECT             {0,10}      labels normalise to direct
--   email > direct > direct     {10,0,0}    the last non-direct touch is the first
--   a > direct > b > direct     {0,0,10,0}  direct in the middle and at the end: b
--   a > direct > b              {0,0,10}    the last touch is not direct
--   direct > a > direct         {0,10,0}
--   direct_mail > direct        {10,0}      only the label "direct" is direct
SELECT p, array_agg(credit ORDER BY touch) AS credits
FROM (VALUES (1, 'direct'), (2, 'direct > direct > direct'), (3, 'Direct > DIRECT'),
             (4, 'email > direct > direct'), (5, 'a > direct > b > direct'), (6, 'a > direct > b'),
             (7, 'direct > a > direct'), (8, 'direct_mail > direct')) v(k, p),
     attribute(p::touch_path, 'last_non_direct', 10)
GROUP BY k, p ORDER BY k;

-- expect (value 90):
--   a > b > a > b > c      {30,30,0,0,30}   3 distinct channels, repeats get 0
--   a > a > a              {90,0,0}         one channel
--   a > b > b > a          {45,45,0,0}
--   c > b > a > b > c      {30,30,30,0,0}
SELECT p, array_agg(credit ORDER BY touch) AS credits
FROM (VALUES (1, 'a > b > a > b > c'), (2, 'a > a > a'), (3, 'a > b > b > a'),
             (4, 'c > b > a > b > c')) v(k, p),
     attribute(p::touch_path, 'shapley_simplified', 90)
GROUP BY k, p ORDER BY k;

-- expect: first_touch {5,0,0,0}, last_touch {0,0,0,5} (repeats of the first
-- and last channel do not matter).
SELECT model, array_agg(credit ORDER BY touch) AS credits
FROM (VALUES ('first_touch'), ('last_touch')) m(model), attribute('a > b > a > a', model, 5)
GROUP BY model ORDER BY model;

-- ---------------------------------------------------------------------------
-- Model names: case-insensitive, '-' and blanks as '_', alias u_shaped
-- ---------------------------------------------------------------------------
-- expect: every spelling gives {40,20,40} except 'Linear' and ' LINEAR '
-- ({33.3333333333333333,33.3333333333333334,33.3333333333333333}) and
-- 'First Touch' ({100,0,0}).
SELECT spelling, array_agg(credit ORDER BY touch) AS credits
FROM (VALUES (1, 'Linear'), (2, ' LINEAR '), (3, 'position-based'), (4, 'Position Based'),
             (5, 'u_shaped'), (6, 'U-Shaped'), (7, 'First Touch')) v(k, spelling),
     attribute('a > b > c', spelling, 100)
GROUP BY k, spelling ORDER BY k;

-- ---------------------------------------------------------------------------
-- The empty path and a NULL path: no rows
-- ---------------------------------------------------------------------------
-- expect: 0 | 0 | 0 | 0 -- no rows for the empty path (any model, also
-- time_decay, which would need times if there were touches) and a NULL path.
SELECT (SELECT count(*) FROM attribute('', 'linear', 10)) AS empty_linear,
       (SELECT count(*) FROM attribute('', 'time_decay', 10)) AS empty_time_decay,
       (SELECT count(*) FROM attribute(NULL, 'linear', 10)) AS null_linear,
       (SELECT count(*) FROM attribute(NULL::touch_path, 'first_touch')) AS null_first;

-- ---------------------------------------------------------------------------
-- Errors
-- ---------------------------------------------------------------------------
-- expect: 22023 | unknown attribution model "nosuch" | The models are
-- first_touch, last_touch, last_non_direct, linear, position_based (alias
-- u_shaped), time_decay and shapley_simplified.
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a > b', 'nosuch')$$);
-- expect: 22023 -- "u shaped!" is not a model; '' neither; the model is
-- checked even for an empty or NULL path.
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a > b', 'u shaped!')$$);
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a > b', '')$$);
SELECT * FROM public.err($$SELECT * FROM mops.attribute(NULL, 'nosuch')$$);
-- expect: 22004 | attribute: model must not be NULL (and value).
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a > b', NULL)$$);
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a > b', 'linear', NULL)$$);
-- expect: no error -- linear has no half-life: a NULL (or zero) half_life is
-- ignored; time_decay needs one (22004).
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a > b', 'linear', 1, NULL, NULL)$$);
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a > b', 'linear', 1, NULL, '0')$$);
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00', 'time_decay', 1, NULL, NULL)$$);
-- expect: 22023 | attribute: value must not be negative | The value was -1; …
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a > b', 'linear', -1)$$);
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a > b', 'linear', -0.000001)$$);
-- expect: 22023 | attribute: value must be a finite number | The value was NaN.
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a > b', 'linear', 'NaN')$$);
-- expect: 22023 | … | The value was infinite. (both signs)
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a > b', 'linear', 'Infinity')$$);
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a > b', 'linear', '-Infinity')$$);
-- expect: 0 | 0 -- negative zero is zero, not an error.
SELECT touch, credit FROM attribute('a > b', 'linear', -0.0);
-- expect: 22023 | the time_decay model needs a time on every touch | hint:
-- path_agg or channel@time.  Also when only some touches have times.
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a > b', 'time_decay')$$);
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00 > b', 'time_decay')$$);
-- expect: 22023 | a touch is later than conversion_at | hint: path_within.
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00 > b@2026-01-02 00:00:00+00',
                                                         'time_decay', 1, '2026-01-01 12:00:00+00')$$);
-- expect: 22023 | attribute: half_life must be positive | The half-life was 00:00:00.
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00', 'time_decay', 1, NULL, '0')$$);
-- expect: 22023 | … | The half-life was -1 days.
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00', 'time_decay', 1, NULL, '-1 day')$$);
-- expect: 22023 | … | The half-life was 1 mon -30 days. -- '1 mon -30 days' is zero when a month counts 30 days.
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00', 'time_decay', 1, NULL, '1 mon -30 days')$$);
-- expect: 22008 | attribute: conversion_at must be finite
SELECT * FROM public.err($$SELECT * FROM mops.attribute('a@2026-01-01 00:00:00+00', 'time_decay', 1, 'infinity')$$);

-- ---------------------------------------------------------------------------
-- Over a table: LATERAL, summed by channel
-- ---------------------------------------------------------------------------
CREATE TABLE conv (id int, path touch_path, value numeric);
INSERT INTO conv VALUES
    (1, 'email > social > direct', 90),
    (2, 'social > email', 10),
    (3, 'direct', 5),
    (4, 'email > email > search', 30),
    (5, NULL, 1000),          -- a NULL path: no rows
    (6, '', 1000);            -- the empty path: no rows
-- expect (linear): path 1 gives 30 to email, social, direct; path 2 5 to
-- social and email; path 3 5 to direct; path 4 10 to each of its touches,
-- so 20 to email and 10 to search.
--   direct 30 + 5 = 35 | email 30 + 5 + 20 = 55 | search 10 | social 30 + 5 = 35
-- expect (position_based): path 1 36, 18, 36 (90 · 2/5, 1/5, 2/5); path 2 5, 5;
-- path 3 5; path 4 12, 6, 12.
--   direct 36 + 5 = 41 | email 36 + 5 + 12 + 6 = 59 | search 12 | social 18 + 5 = 23
-- expect (shapley_simplified): path 1 30 each; path 2 5 each; path 3 5;
-- path 4 15 to email (its first touch), 0 to the repeat, 15 to search.
--   direct 35 | email 30 + 5 + 15 = 50 | search 15 | social 35
SELECT model, a.channel, sum(a.credit) AS credit
FROM conv, (VALUES ('linear'), ('position_based'), ('shapley_simplified')) m(model),
     LATERAL attribute(conv.path, m.model, conv.value) a
GROUP BY model, a.channel
ORDER BY model, a.channel;
-- expect: 135 for each model -- 90 + 10 + 5 + 30: the NULL and empty paths
-- give no rows, so their 1000s are not credited.
SELECT model, sum(a.credit) AS total
FROM conv, (VALUES ('linear'), ('position_based'), ('shapley_simplified')) m(model),
     LATERAL attribute(conv.path, m.model, conv.value) a
GROUP BY model ORDER BY model;

DROP TABLE td, mp, sum_paths, sum_values, sum_models, sum_results, conv;
