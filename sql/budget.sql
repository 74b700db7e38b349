-- budget: budget_pacing, budget_forecast, budget_accuracy, path_prefixes
-- (DESIGN §3.7; doc/budget.md).  Every value is computed by hand in the
-- "expect:" comment.  The rules:
--   elapsed = (as_of − lower(period)) / (upper(period) − lower(period)) in
--             days, clamped to 0…1 (period is a half-open daterange);
--   budget_pacing   = spent / (planned × elapsed), NULL when elapsed = 0 or planned = 0;
--   budget_forecast = spent / elapsed, NULL when elapsed = 0;
--   budget_accuracy = 1 − |actual − planned| / planned, NULL when planned = 0.
-- Results are numeric divisions, computed as one division of whole numbers
-- (spent × days) / (planned × days elapsed), rounded as numeric division
-- rounds (at least 16 significant digits: 16 decimals for a quotient from 1
-- to 9999…, 20 for one below 1 whose dividend's leading base-10000 digit is
-- smaller than the divisor's, see doc/budget.md), then trailing zeros removed.
SET search_path = public, mops;
SET datestyle = 'ISO, YMD';

-- public.err(sql) (sql/setup.sql): the SQLSTATE, message, detail and hint
-- of the error sql raises ('no error' if it succeeds).

-- ---------------------------------------------------------------------------
-- A quarter: Q1 2026 = [2026-01-01, 2026-04-01) = 31 + 28 + 31 = 90 days.
-- Planned 9000.
-- ---------------------------------------------------------------------------
-- expect, by as_of:
--   2025-12-15 before the period: elapsed clamped to 0 → pacing NULL, forecast NULL
--   2026-01-01 = lower: elapsed 0/90 = 0 → NULL, NULL
--   2026-01-02: 1/90; spent 100: pacing 100·90/(9000·1) = 1,
--               forecast 100·90/1 = 9000
--   2026-02-15: 45/90 = 0.5 (31 days of January + 14 of February);
--               spent 4500: pacing 4500·90/(9000·45) = 1, forecast 4500·90/45 = 9000
--   2026-03-01: 59/90; spent 6000: pacing 6000·90/(9000·59) = 540000/531000
--               = 1.0169491525423729 (1.01694915254237288…, rounded at 16 decimals),
--               forecast 6000·90/59 = 540000/59 = 9152.5423728813559322
--               (9152.54237288135593220…, 16 decimals)
--   2026-04-01 = upper: elapsed 90/90 = 1; spent 9900: pacing 9900/9000 = 1.1,
--               forecast = spent = 9900
--   2026-06-30 after the period: clamped to 1, the same as at upper
SELECT as_of, spent,
       budget_pacing(spent, 9000, daterange('2026-01-01', '2026-04-01'), as_of) AS pacing,
       budget_forecast(spent, daterange('2026-01-01', '2026-04-01'), as_of) AS forecast
  FROM (VALUES ('2025-12-15'::date, 0::numeric), ('2026-01-01', 0), ('2026-01-02', 100),
               ('2026-02-15', 4500), ('2026-03-01', 6000), ('2026-04-01', 9900),
               ('2026-06-30', 9900)) v(as_of, spent)
 ORDER BY as_of;

-- expect: pacing 1 exactly where the hand calculation gives 1 (the scale
-- does not matter for comparisons): t, t; 1.1 → t.
SELECT budget_pacing(100, 9000, daterange('2026-01-01', '2026-04-01'), '2026-01-02') = 1 AS day_one,
       budget_pacing(4500, 9000, daterange('2026-01-01', '2026-04-01'), '2026-02-15') = 1 AS halfway,
       budget_pacing(9900, 9000, daterange('2026-01-01', '2026-04-01'), '2026-06-30') = 1.1 AS after;

-- ---------------------------------------------------------------------------
-- February: 29 days in 2024 (leap year), 28 in 2026; planned 2900.
-- ---------------------------------------------------------------------------
-- expect:
--   2024, as_of 2024-02-15: 14/29; spent 1400: pacing 1400·29/(2900·14) = 40600/40600 = 1;
--         forecast 1400·29/14 = 2900
--   2024, as_of 2024-02-29 (the leap day is in the period): 28/29; spent 2800:
--         pacing 2800·29/(2900·28) = 1; forecast 2800·29/28 = 2900
--   2024, as_of 2024-03-01 = upper: 29/29 = 1; spent 2900: pacing 1, forecast 2900
--   2026, as_of 2026-02-15: 14/28 = 0.5; spent 1400: pacing 1400·28/(2900·14)
--         = 39200/40600 = 28/29 = 0.96551724137931034483 (0.965517241379310344827…,
--         20 decimals: the quotient is below 1);
--         forecast 1400·28/14 = 2800
SELECT period, as_of, spent,
       budget_pacing(spent, 2900, period, as_of) AS pacing,
       budget_forecast(spent, period, as_of) AS forecast
  FROM (VALUES (daterange('2024-02-01', '2024-03-01'), '2024-02-15'::date, 1400::numeric),
               (daterange('2024-02-01', '2024-03-01'), '2024-02-29', 2800),
               (daterange('2024-02-01', '2024-03-01'), '2024-03-01', 2900),
               (daterange('2026-02-01', '2026-03-01'), '2026-02-15', 1400)) v(period, as_of, spent);

-- ---------------------------------------------------------------------------
-- A one-day period: [2026-03-10, 2026-03-11), also written '[2026-03-10,2026-03-10]'
-- ---------------------------------------------------------------------------
-- expect: as_of 2026-03-10: 0/1 → NULL, NULL; as_of 2026-03-11: 1/1 →
-- pacing 50/100 = 0.5, forecast 50; the inclusive spelling is the same range.
SELECT as_of,
       budget_pacing(50, 100, '[2026-03-10,2026-03-10]', as_of) AS pacing,
       budget_forecast(50, '[2026-03-10,2026-03-10]', as_of) AS forecast,
       '[2026-03-10,2026-03-10]'::daterange AS period
  FROM (VALUES ('2026-03-10'::date), ('2026-03-11')) v(as_of);

-- ---------------------------------------------------------------------------
-- Edge values
-- ---------------------------------------------------------------------------
-- expect: as_of 'infinity' is after every period → elapsed 1: pacing
-- 9900/9000 = 1.1; '-infinity' is before → elapsed 0: NULL.
SELECT budget_pacing(9900, 9000, daterange('2026-01-01', '2026-04-01'), 'infinity') AS at_infinity,
       budget_pacing(9900, 9000, daterange('2026-01-01', '2026-04-01'), '-infinity') AS at_minus_infinity;
-- expect: planned 0 → NULL for pacing (spent / (0 × elapsed) is undefined),
-- also with nothing spent; NULL arguments → NULL (the functions are strict).
SELECT budget_pacing(4500, 0, daterange('2026-01-01', '2026-04-01'), '2026-02-15') AS zero_planned,
       budget_pacing(0, 0, daterange('2026-01-01', '2026-04-01'), '2026-02-15') AS zero_zero,
       budget_pacing(NULL, 9000, daterange('2026-01-01', '2026-04-01'), '2026-02-15') AS null_spent,
       budget_forecast(4500, NULL, '2026-02-15') AS null_period;
-- expect: negative spend (refunds larger than spend) is allowed:
-- pacing −900·90/(9000·45) = −81000/405000 = −0.2; forecast −900·90/45 = −1800.
SELECT budget_pacing(-900, 9000, daterange('2026-01-01', '2026-04-01'), '2026-02-15') AS pacing,
       budget_forecast(-900, daterange('2026-01-01', '2026-04-01'), '2026-02-15') AS forecast;

-- expect 22023 for each: a negative plan; an empty period; a period without
-- a lower or an upper bound; a period with an infinite bound.  The hint
-- shows a valid period.
SELECT * FROM public.err($$SELECT mops.budget_pacing(1, -9000, daterange('2026-01-01', '2026-04-01'), '2026-02-15')$$);
SELECT * FROM public.err($$SELECT mops.budget_pacing(1, 9000, 'empty', '2026-02-15')$$);
SELECT code, message FROM public.err($$SELECT mops.budget_forecast(1, daterange('2026-01-01', '2026-01-01'), '2026-02-15')$$);
SELECT code, message FROM public.err($$SELECT mops.budget_pacing(1, 9000, daterange(NULL, '2026-04-01'), '2026-02-15')$$);
SELECT code, message FROM public.err($$SELECT mops.budget_forecast(1, daterange('2026-01-01', NULL), '2026-02-15')$$);
SELECT * FROM public.err($$SELECT mops.budget_forecast(1, daterange('2026-01-01', 'infinity'), '2026-02-15')$$);

-- ---------------------------------------------------------------------------
-- budget_accuracy
-- ---------------------------------------------------------------------------
-- expect (planned, actual → accuracy):
--   1000, 1000 → 1 − 0/1000 = 1
--   1000,  900 → 1 − 100/1000 = 0.9 (underspent by 10 %)
--   1000, 1100 → 1 − 100/1000 = 0.9 (overspent by 10 %: the same)
--   1000, 2500 → 1 − 1500/1000 = −0.5 (off by more than the plan: below 0)
--   1000,    0 → 1 − 1000/1000 = 0
--   1000, −100 → 1 − 1100/1000 = −0.1
--   3,       2 → 1 − 1/3 = 0.66666666666666666667 (1/3 rounded at 20 decimals,
--                 0.33333333333333333333, then 1 − it)
--   0,       5 → NULL (planned 0)
--   0,       0 → NULL
SELECT planned, actual, budget_accuracy(planned, actual) AS accuracy
  FROM (VALUES (1000::numeric, 1000::numeric), (1000, 900), (1000, 1100), (1000, 2500),
               (1000, 0), (1000, -100), (3, 2), (0, 5), (0, 0)) v(planned, actual);
-- expect 22023: a negative plan.
SELECT code, message FROM public.err($$SELECT mops.budget_accuracy(-1000, 900)$$);

-- ---------------------------------------------------------------------------
-- path_prefixes
-- ---------------------------------------------------------------------------
-- expect: {emea}, {emea,paid_social}, {emea,paid_social,q1}, in that order.
SELECT n, prefix FROM path_prefixes('{emea,paid_social,q1}') WITH ORDINALITY AS p(prefix, n);
-- expect: one element → itself; empty array → no rows; NULL → no rows.
SELECT * FROM path_prefixes('{emea}');
SELECT count(*) AS empty_array_rows FROM path_prefixes('{}');
SELECT count(*) AS null_rows FROM path_prefixes(NULL);
-- expect: NULL elements are kept: {emea}, {emea,NULL}, {emea,NULL,q1}.
SELECT * FROM path_prefixes('{emea,NULL,q1}');
-- expect: the result arrays start at 1 whatever the input's lower bound:
-- {a}, {a,b} (and array_lower 1).
SELECT prefix, array_lower(prefix, 1) FROM path_prefixes('[0:1]={a,b}') AS p(prefix);
-- expect 22023: a two-dimensional array.
SELECT * FROM public.err($$SELECT mops.path_prefixes('{{a,b},{c,d}}')$$);

-- A rollup: spend per level of the hierarchy.
-- expect: {emea} 600 (100 + 200 + 300), {emea,paid_social} 300 (100 + 200),
-- {emea,paid_social,q1} 100, {emea,paid_social,q2} 200, {emea,search} 300,
-- {emea,search,q1} 300.
SELECT prefix, sum(spent) AS spent
  FROM (VALUES ('{emea,paid_social,q1}'::text[], 100), ('{emea,paid_social,q2}', 200),
               ('{emea,search,q1}', 300)) v(path, spent),
       path_prefixes(path) AS prefix
 GROUP BY prefix ORDER BY prefix;
