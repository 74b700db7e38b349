-- markov: data-driven Markov attribution (DESIGN §3.4; model semantics,
-- stored form and text form in the header comment of src/core/markov.h):
-- markov_fit, the markov_model type, markov_merge, markov_merge_agg and
-- markov_attribution.
--
-- First small models worked by hand (every count of the text form, the
-- conversion probabilities P and P^{-c}, the removal effects RE, conversions
-- and value), then the ChannelAttribution example data set for orders 1-4
-- against the independent oracle test/differential/channel_paths_oracle.txt,
-- then determinism, merging, parallel aggregation, round trips and errors.
--
-- Definitions used in the comments: P = probability of reaching conversion
-- from start; P^{-c} the same with every state containing channel c made
-- absorbing-without-conversion; RE_c = 1 - P^{-c} / P; conversions_c =
-- RE_c / Σ RE × total conversions; with mv_j = value_j / conversions_j of the
-- state j and P_j = probability of converting from state j,
-- REV_c = Σ_j mv_j (P_j - P_j^{-c}) / Σ_j mv_j P_j, value_c = REV_c / Σ REV ×
-- total value.  Floats are printed rounded (round(x::numeric, 12)): the chain
-- is solved iteratively in double precision.
SET search_path = mops, public;

-- public.err(sql) (sql/setup.sql): the SQLSTATE, message, detail and hint
-- of the error sql raises ('no error' if it succeeds).

-- attr(m): markov_attribution(m) rounded to 12 decimals (trailing zeros
-- trimmed).
CREATE FUNCTION pg_temp.attr(m mops.markov_model)
RETURNS TABLE(channel text, removal_effect numeric, conversions numeric, value numeric)
LANGUAGE sql AS $$
    SELECT channel, trim_scale(round(removal_effect::numeric, 12)),
           trim_scale(round(conversions::numeric, 12)), trim_scale(round(value::numeric, 12))
    FROM mops.markov_attribution(m)
$$;

-- ---------------------------------------------------------------------------
-- Hand-worked model 1: a > b > b (C=1, V=10, N=1) and b (C=0, V=0, N=2)
-- ---------------------------------------------------------------------------
CREATE TABLE hand1 (path touch_path, c float8, v float8, n float8);
INSERT INTO hand1 VALUES ('a > b > b', 1, 10, 1), ('b', 0, 0, 2);

-- expect: order 1; start > "a" 2; start > "b" 2; "a" > "b" 2; "b" > conversion 1; "b" > null 3; "b" value 10
--   path 1 collapses to a > b and adds C + N = 2 to start > a and a > b,
--   C = 1 to b > conversion, N = 1 to b > null and V = 10 to b's value;
--   path 2 adds C + N = 2 to start > b and N = 2 to b > null (b > null: 1 + 2 = 3).
--   Canonical order: edges by (from, to) with start first, states by label,
--   conversion before null; values last.
SELECT markov_fit(path, c, v, n) FROM hand1;

-- expect: a | 0.5 | 0.333333333333 | 3.333333333333
--         b | 1   | 0.666666666667 | 6.666666666667
--   P: start goes to a or b with 1/2 each; a > b always; b converts with
--   1/(1 + 3) = 1/4.  P = 1/2 · 1/4 + 1/2 · 1/4 = 1/4.
--   P^{-a} = 1/2 · 1/4 = 1/8 (the half through a is lost): RE_a = 1 - (1/8)/(1/4) = 0.5.
--   P^{-b} = 0: RE_b = 1.  Σ RE = 1.5, total conversions 1:
--   conversions a = 0.5/1.5 = 1/3, b = 2/3.
--   Value: only b converts, mv_b = 10/1 = 10, so REV = RE: value a = 10/3,
--   b = 20/3 (sum 10).
SELECT * FROM pg_temp.attr((SELECT markov_fit(path, c, v, n) FROM hand1)) ORDER BY channel;

-- ---------------------------------------------------------------------------
-- Hand-worked model 2 at orders 1, 2 and 3
-- ---------------------------------------------------------------------------
--   p1: a > b > a > c   C=1, V=10, N=1
--   p2: b               C=0, V=0,  N=2
--   p3: a > a > c       C=1, V=4,  N=0   (collapses to a > c)
CREATE TABLE hand2 (path touch_path, c float8, v float8, n float8);
INSERT INTO hand2 VALUES ('a > b > a > c', 1, 10, 1), ('b', 0, 0, 2), ('a > a > c', 1, 4, 0);

-- Order 1.
-- expect: order 1; start > "a" 3; start > "b" 2; "a" > "b" 2; "a" > "c" 3; "b" > "a" 2; "b" > null 2; "c" > conversion 2; "c" > null 1; "c" value 14
--   start > a: 2 (p1) + 1 (p3); start > b: 2 (p2); a > b: 2 (p1);
--   a > c: 2 (p1) + 1 (p3); b > a: 2 (p1); b > null: 2 (p2);
--   c > conversion: 1 (p1) + 1 (p3); c > null: 1 (p1); c value 10 + 4.
SELECT markov_fit(path, c, v, n) FROM hand2;
-- expect: a | 1   | 0.833333333333 | 5.833333333333
--         b | 0.4 | 0.333333333333 | 2.333333333333
--         c | 1   | 0.833333333333 | 5.833333333333
--   From a: to b 2/5, to c 3/5; from b: to a 1/2, null 1/2; c converts 2/3.
--   x_a = P(reach c | a) = 3/5 + 2/5 · x_b, x_b = 1/2 · x_a, so x_a = 3/4, x_b = 3/8.
--   P = (3/5 · 3/4 + 2/5 · 3/8) · 2/3 = (9/20 + 3/20) · 2/3 = 2/5
--   (= C / (C + N) = 2/5, as flow conservation requires).
--   Removing a or c loses everything: RE 1.  Removing b: x_a = 3/5,
--   P^{-b} = 3/5 · 3/5 · 2/3 = 6/25, RE_b = 1 - (6/25)/(2/5) = 2/5.
--   Σ RE = 12/5, total conversions 2: a = c = 2 · 5/12 = 5/6, b = 2 · 1/6 = 1/3.
--   One converting state (c), so REV = RE: value a = c = 14 · 5/12 = 35/6,
--   b = 14 · 1/6 = 7/3.
SELECT * FROM pg_temp.attr((SELECT markov_fit(path, c, v, n) FROM hand2)) ORDER BY channel;

-- Order 2: the states are windows of 2 channels; p1 gives (a,b), (b,a),
-- (a,c); p2 is shorter than the order, so its one state is "b"; p3 is (a,c).
-- expect: order 2; start > "a","b" 2; start > "a","c" 1; start > "b" 2; "a","b" > "b","a" 2; "a","c" > conversion 2; "a","c" > null 1; "b" > null 2; "b","a" > "a","c" 2; "a","c" value 14
--   start > (a,b): 2 (p1); start > (a,c): 1 (p3); start > b: 2 (p2);
--   (a,b) > (b,a) and (b,a) > (a,c): 2 (p1); (a,c) > conversion 1 + 1;
--   (a,c) > null 1 (p1); b > null 2 (p2); (a,c) value 10 + 4.  States in
--   order (a,b) < (a,c) < b < (b,a): a shorter state sorts before its
--   extensions.
SELECT markov_fit(path, c, v, n, 2) FROM hand2;
-- expect: a | 1              | 0.75 | 5.25
--         b | 0.666666666667 | 0.5  | 3.5
--         c | 1              | 0.75 | 5.25
--   start: (a,b) 2/5, (a,c) 1/5, b 2/5; (a,b) > (b,a) > (a,c) surely;
--   (a,c) converts 2/3.  P = (2/5 + 1/5) · 2/3 = 2/5.
--   Removing a: (a,b), (a,c), (b,a) go: RE 1.  Removing c: (a,c) goes: RE 1.
--   Removing b: (a,b), b, (b,a) go; only start > (a,c) is left:
--   P^{-b} = 1/5 · 2/3 = 2/15, RE_b = 1 - (2/15)/(2/5) = 2/3.
--   Σ RE = 8/3: conversions a = c = 2 · 3/8 = 0.75, b = 2 · (2/3)/(8/3) = 0.5.
--   One converting state: value a = c = 14 · 3/8 = 5.25, b = 14 · 1/4 = 3.5.
SELECT * FROM pg_temp.attr((SELECT markov_fit(path, c, v, n, 2) FROM hand2)) ORDER BY channel;

-- Order 3: p1 gives (a,b,a), (b,a,c); p2 is "b"; p3 (collapsed a > c) is
-- shorter than 3, so its one state is (a,c).
-- expect: order 3; start > "a","b","a" 2; start > "a","c" 1; start > "b" 2; "a","b","a" > "b","a","c" 2; "a","c" > conversion 1; "b" > null 2; "b","a","c" > conversion 1; "b","a","c" > null 1; "a","c" value 4; "b","a","c" value 10
SELECT markov_fit(path, c, v, n, 3) FROM hand2;
-- expect: a | 1   | 0.8 | 5.157894736842
--         b | 0.5 | 0.4 | 3.684210526316
--         c | 1   | 0.8 | 5.157894736842
--   start: (a,b,a) 2/5, (a,c) 1/5, b 2/5.  (b,a,c) converts 1/2, (a,c) always.
--   P = 2/5 · 1/2 + 1/5 · 1 = 2/5.  Removing a or c: RE 1.  Removing b
--   leaves only (a,c): P^{-b} = 1/5, RE_b = 1/2.  Σ RE = 5/2: conversions
--   a = c = 2 · 2/5 = 0.8, b = 2 · 1/5 = 0.4.
--   Value: two converting states, mv_(a,c) = 4/1 = 4, mv_(b,a,c) = 10/1 = 10,
--   P_(a,c) = 1/5, P_(b,a,c) = 1/5, Σ mv P = 4/5 + 2 = 14/5.
--   REV_a = REV_c = 1; removing b loses (b,a,c): REV_b = 2 / (14/5) = 5/7.
--   Σ REV = 19/7, total value 14: value a = c = 14 · 7/19 = 98/19
--   = 5.157894736842…, b = 14 · 5/19 = 70/19 = 3.684210526315….
SELECT * FROM pg_temp.attr((SELECT markov_fit(path, c, v, n, 3) FROM hand2)) ORDER BY channel;

-- A channel that never converts does not change the other channels'
-- shares, however many paths it has.  start goes to big with B/(B + 2), to c
-- and to d with 1/(B + 2) each; big always ends in null; c > e surely, e goes
-- back to c with 9/10 and converts with 1/10 (so from c conversion is
-- certain); d always converts.  P = 2/(B + 2).  Removing c or e loses the
-- conversions through c: P^{-c} = P^{-e} = 1/(B + 2), RE 1/2; removing d
-- likewise RE 1/2; removing big changes nothing: RE 0.  Σ RE = 3/2, total
-- conversions 2: c, d and e get 2/3 each.  No values: value 0.
-- expect, for B = 1 and for B = 10^15 alike:
--   big | 0   | 0              | 0
--   c   | 0.5 | 0.666666666667 | 0
--   d   | 0.5 | 0.666666666667 | 0
--   e   | 0.5 | 0.666666666667 | 0
SELECT b AS "B", a.*
FROM (VALUES (1::numeric), (1e15)) v(b),
     pg_temp.attr(format('order 1; start > "big" %s; "big" > null %s; start > "c" 1; "c" > "e" 10; '
                         '"e" > "c" 9; "e" > conversion 1; start > "d" 1; "d" > conversion 1', b, b)::markov_model) a
ORDER BY b, a.channel;

-- Order 4: windows of 4, and a path shorter than 4 is one state.
-- expect: order 4; start > "a","b","c" 1; start > "a","b","c","d" 1; "a","b","c" > null 1; "a","b","c","d" > "b","c","d","e" 1; "b","c","d","e" > conversion 1; "b","c","d","e" value 2
--   a > b > c > d > e (C=1, V=2, N=0): (a,b,c,d) then (b,c,d,e);
--   a > b > c (C=0, N=1): the single state (a,b,c).
SELECT markov_fit(path::touch_path, c, v, n, 4)
FROM (VALUES ('a > b > c > d > e', 1, 2, 0), ('a > b > c', 0, 0, 1)) t(path, c, v, n);

-- Repeats are collapsed before the windows are taken:
-- expect: order 2; start > "a","b" 1; "a","b" > "b","a" 1; "b","a" > conversion 1
--   a > a > b > b > a is a > b > a: windows (a,b), (b,a).
SELECT markov_fit('a > a > b > b > a'::touch_path, 1, 0, 0, 2);
-- expect: t | t | t | t -- a path with repeats gives the model of its collapsed
-- path at every order.
SELECT k, markov_fit('a > a > b > b > b > c > c > a'::touch_path, 2, 3, 4, k)
          = markov_fit('a > b > c > a'::touch_path, 2, 3, 4, k) AS same
FROM generate_series(1, 4) k GROUP BY k ORDER BY k;

-- Empty paths are ignored (no channel to credit):
-- expect: t | order 1 -- an empty path adds nothing; a model of only empty paths
-- is the empty model (not NULL).
SELECT (SELECT markov_fit(path, c, v, n) FROM hand1) =
       (SELECT markov_fit(path, c, v, n) FROM (SELECT * FROM hand1 UNION ALL SELECT '', 5, 7, 9) t) AS empty_ignored,
       (SELECT markov_fit(''::touch_path, 5, 7, 9)) AS only_empty;
-- expect: (no rows) -- the empty model has no channel.
SELECT * FROM markov_attribution('order 1');

-- NULL paths are skipped, even with NULL counts:
-- expect: t | t | t
--   a NULL path row leaves the model unchanged; its counts are not looked at;
--   a group of only NULL paths gives NULL (like sum over no rows).
SELECT (SELECT markov_fit(path, c, v, n) FROM hand1) =
       (SELECT markov_fit(path, c, v, n) FROM (SELECT * FROM hand1 UNION ALL SELECT NULL, 1, 1, 1) t) AS null_skipped,
       (SELECT markov_fit(path, c, v, n) FROM hand1) =
       (SELECT markov_fit(path, c, v, n) FROM (SELECT * FROM hand1 UNION ALL SELECT NULL, NULL, NULL, NULL) t) AS null_counts_skipped,
       (SELECT markov_fit(NULL::touch_path, 1, 1, 1)) IS NULL AS only_null;

-- Zero-weight paths: a path with C = N = 0 and V = 0 adds 0 to each of its
-- transitions, and transitions of weight 0 are left out (markov.h: weights
-- > 0), so it adds nothing.
-- expect: t | t | order 1; start > "a" 2; start > "b" 2; "a" > "b" 2; "b" > conversion 1; "b" > null 3; "b" value 10
--   the model equals the one without the path, its text round trip gives it
--   back, and the text is that of hand1.
SELECT m = (SELECT markov_fit(path, c, v, n) FROM hand1) AS same_as_without,
       m::text::markov_model = m AS text_round_trip,
       m
FROM (SELECT markov_fit(path, c, v, n) AS m
      FROM (SELECT * FROM hand1 UNION ALL SELECT 'c > d', 0, 0, 0) t) s;
-- expect: a | b -- no row for c or d: they have no transition.
SELECT channel FROM markov_attribution((SELECT markov_fit(path, c, v, n)
                                        FROM (SELECT * FROM hand1 UNION ALL SELECT 'c > d', 0, 0, 0) t))
ORDER BY channel;

-- A model without conversions: every removal effect, conversion and value is 0.
-- expect: a | 0 | 0 | 0
SELECT * FROM pg_temp.attr('order 1; start > "a" 1; "a" > null 1');

-- ---------------------------------------------------------------------------
-- The ChannelAttribution example (test/data/channel_paths.csv), orders 1-4
-- ---------------------------------------------------------------------------
CREATE TABLE cp (id serial, path text, conversions float8, value float8, nulls float8)
    WITH (autovacuum_enabled = off);
\copy cp (path, conversions, value, nulls) FROM 'test/data/channel_paths.csv' WITH (FORMAT csv, DELIMITER ';', HEADER true)
ANALYZE cp;
-- expect: 10000 | 19785 | 68602 | 12 -- test/data/README.md: 10,000 paths,
-- 19,785 conversions, 68,602 non-conversions, 12 channels.
SELECT count(*) AS paths, sum(conversions) AS conversions, sum(nulls) AS nulls,
       (SELECT count(DISTINCT ch) FROM cp, unnest(path_channels(path::touch_path)) ch) AS channels
FROM cp;

CREATE TABLE cp_models AS
SELECT k AS "order", markov_fit(path::touch_path, conversions, value, nulls, k) AS m
FROM cp, generate_series(1, 4) k
GROUP BY k;

-- expect: 1 | 12 | 2 | 112 | 3 | 770 | 4 | 2979 -- the numbers of states of
-- the oracle's header of each order (the distinct sources of transitions in
-- the text form, start left out: every state of a fitted model has an
-- outgoing transition because every path has C + N > 0).
SELECT "order", (SELECT count(DISTINCT s[1])
                 FROM regexp_matches(m::text, '; ((?:"(?:[^"\\]|\\.)*",?)+) > ', 'g') s) AS states
FROM cp_models ORDER BY "order";

-- The oracle: test/differential/channel_paths_oracle.txt (10 significant
-- digits, from a direct solve of the DESIGN formulas).
CREATE TABLE cp_oracle ("order" int, channel text, removal_effect numeric, conversions numeric, value numeric);
INSERT INTO cp_oracle VALUES
    (1, 'alpha',  0.5583994895, 5344.947682, 18799.17063),
    (1, 'beta',   0.2640385357, 2527.352167, 9687.809216),
    (1, 'delta',  0.0004819957580, 4.613618311, 13.91838400),
    (1, 'epsilon', 0.06263858228, 599.5706505, 2348.653825),
    (1, 'eta',    0.3490263319, 3340.847402, 12991.73667),
    (1, 'gamma',  0.01787997442, 171.1454427, 719.2367463),
    (1, 'iota',   0.4058350045, 3884.614702, 14978.43729),
    (1, 'kappa',  0.02866338666, 274.3632560, 1136.092538),
    (1, 'lambda', 0.1340221228, 1282.847223, 5142.720297),
    (1, 'mi',     0.0001799458199, 1.722424556, 5.444508859),
    (1, 'theta',  0.2060104628, 1971.912880, 7511.048475),
    (1, 'zeta',   0.03981051782, 381.0625528, 1468.703015),
    (2, 'alpha',  0.5486475014, 5724.799079, 19131.44303),
    (2, 'beta',   0.2324804476, 2425.790419, 9756.188506),
    (2, 'delta',  0.0004966934996, 5.182691040, 14.17365995),
    (2, 'epsilon', 0.05928309990, 618.5826689, 2435.172560),
    (2, 'eta',    0.3259102672, 3400.673097, 12952.36685),
    (2, 'gamma',  0.01691699571, 176.5184407, 773.0702729),
    (2, 'iota',   0.3624883703, 3782.343095, 14955.17964),
    (2, 'kappa',  0.02536147051, 264.6313392, 1131.836925),
    (2, 'lambda', 0.1121850212, 1170.581666, 4815.429270),
    (2, 'mi',     0.0002021733637, 2.109554647, 6.151952285),
    (2, 'theta',  0.1768476879, 1845.296805, 7388.822053),
    (2, 'zeta',   0.03531508145, 368.4911446, 1443.136875),
    (3, 'alpha',  0.5457269708, 5812.930305, 19393.14910),
    (3, 'beta',   0.2253845990, 2400.733400, 9777.226731),
    (3, 'delta',  0.0005008487860, 5.334900494, 14.78017616),
    (3, 'epsilon', 0.05841502323, 622.2204087, 2434.219603),
    (3, 'eta',    0.3186889716, 3394.585351, 12919.26950),
    (3, 'gamma',  0.01696592038, 180.7162152, 790.2864028),
    (3, 'iota',   0.3551317607, 3782.763697, 14897.28201),
    (3, 'kappa',  0.02475537484, 263.6872948, 1149.720135),
    (3, 'lambda', 0.1071640302, 1141.481129, 4755.587965),
    (3, 'mi',     0.0002021733637, 2.153493845, 6.258807291),
    (3, 'theta',  0.1702315222, 1813.258328, 7247.239628),
    (3, 'zeta',   0.03427948847, 365.1354762, 1417.951530),
    (4, 'alpha',  0.5443320205, 5849.863250, 19493.14065),
    (4, 'beta',   0.2230102741, 2396.661518, 9857.105768),
    (4, 'delta',  0.0005213538794, 5.602920248, 17.39149854),
    (4, 'epsilon', 0.05799975612, 623.3156034, 2422.665105),
    (4, 'eta',    0.3159909726, 3395.912621, 12913.97348),
    (4, 'gamma',  0.01684744078, 181.0571875, 795.5537929),
    (4, 'iota',   0.3510019497, 3772.170897, 14858.89894),
    (4, 'kappa',  0.02435637788, 261.7547279, 1138.574129),
    (4, 'lambda', 0.1052279698, 1130.870884, 4729.361314),
    (4, 'mi',     0.0002021733637, 2.172730035, 6.299015018),
    (4, 'theta',  0.1674864333, 1799.954245, 7179.088884),
    (4, 'zeta',   0.03402512120, 365.6634160, 1390.919017);

CREATE TABLE cp_attribution AS
SELECT "order", a.* FROM cp_models, markov_attribution(m) a;

-- expect: 48 rows, re_ok, conversions_ok and value_ok true in each: every
-- channel of every order within 1e-6 (relative above 1) of the oracle; the
-- rounded numbers are the oracle's to 6 decimals.
SELECT a."order", a.channel,
       round(a.removal_effect::numeric, 6) AS removal_effect,
       abs(a.removal_effect - o.removal_effect) <= 1e-6 * greatest(1, abs(o.removal_effect)) AS re_ok,
       round(a.conversions::numeric, 6) AS conversions,
       abs(a.conversions - o.conversions) <= 1e-6 * greatest(1, abs(o.conversions)) AS conversions_ok,
       round(a.value::numeric, 6) AS value,
       abs(a.value - o.value) <= 1e-6 * greatest(1, abs(o.value)) AS value_ok
FROM cp_attribution a FULL JOIN cp_oracle o USING ("order", channel)
ORDER BY a."order", a.channel;

-- expect: 1..4 | 12 | t | t | t -- per order: 12 channels, Σ conversions =
-- 19,785 and Σ value = 74,802.97158721 within 1e-6, every removal effect in
-- [0, 1].
SELECT "order", count(*) AS channels,
       abs(sum(conversions) - 19785) <= 1e-6 AS conversions_sum_ok,
       abs(sum(value) - 74802.97158721) <= 1e-6 AS value_sum_ok,
       bool_and(removal_effect BETWEEN 0 AND 1) AS re_in_0_1
FROM cp_attribution GROUP BY "order" ORDER BY "order";

-- ---------------------------------------------------------------------------
-- Determinism and combining
-- ---------------------------------------------------------------------------
-- expect: t | t per order -- fitting twice gives the same model, and so does
-- fitting the rows in another order (md5 of the path: a shuffle).
SELECT k AS "order",
       markov_fit(path::touch_path, conversions, value, nulls, k) = (SELECT m FROM cp_models WHERE "order" = k) AS refit_equal,
       markov_fit(path::touch_path, conversions, value, nulls, k ORDER BY md5(path), id)
           = (SELECT m FROM cp_models WHERE "order" = k) AS shuffled_equal
FROM cp, generate_series(1, 4) k GROUP BY k ORDER BY k;

-- Two halves (odd and even ids) and ten parts (id mod 10).
CREATE TABLE cp_parts AS
SELECT k AS "order", id % 10 AS part, markov_fit(path::touch_path, conversions, value, nulls, k) AS m
FROM cp, generate_series(1, 4) k GROUP BY k, id % 10;
CREATE TABLE cp_halves AS
SELECT k AS "order", id % 2 AS half, markov_fit(path::touch_path, conversions, value, nulls, k) AS m
FROM cp, generate_series(1, 4) k GROUP BY k, id % 2;

-- expect: t | t | t | t | t per order -- markov_merge(a, b) and (b, a) of the
-- halves, markov_merge_agg of the halves and of the ten parts equal the model
-- of everything (counts are exact fixed-point sums); the halves differ from
-- the whole (so the comparison means something).
SELECT w."order",
       markov_merge(a.m, b.m) = w.m AS merge_ab,
       markov_merge(b.m, a.m) = w.m AS merge_ba,
       (SELECT markov_merge_agg(h.m) FROM cp_halves h WHERE h."order" = w."order") = w.m AS merge_agg_halves,
       (SELECT markov_merge_agg(p.m ORDER BY p.part DESC) FROM cp_parts p WHERE p."order" = w."order") = w.m AS merge_agg_parts,
       a.m <> w.m AND b.m <> w.m AS halves_differ
FROM cp_models w
JOIN cp_halves a ON a."order" = w."order" AND a.half = 0
JOIN cp_halves b ON b."order" = w."order" AND b.half = 1
ORDER BY w."order";

-- markov_merge with NULL: a NULL side is no data.
-- expect: t | t | t
SELECT markov_merge(m, NULL) = m AS a_null, markov_merge(NULL, m) = m AS null_b,
       markov_merge(NULL::markov_model, NULL) IS NULL AS both_null
FROM cp_models WHERE "order" = 1;

-- Parallel aggregation (GUCs as in sql/funnel_parallel.sql; without the
-- leader the two workers each build a partial model that the leader merges).
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_hashagg = off;
SET parallel_leader_participation = off;

-- expect: Finalize Aggregate over Gather over Partial Aggregate over
-- Parallel Seq Scan on cp.
EXPLAIN (COSTS OFF)
SELECT markov_fit(path::touch_path, conversions, value, nulls, 3) FROM cp;
CREATE TABLE cp_parallel AS
SELECT k AS "order", (SELECT markov_fit(path::touch_path, conversions, value, nulls, k) FROM cp) AS m
FROM generate_series(1, 4) k;

-- One model per path, merged by a parallel markov_merge_agg.
CREATE TABLE cp_single AS
SELECT id, markov_fit(path::touch_path, conversions, value, nulls, 2) AS m FROM cp GROUP BY id;
ANALYZE cp_single;
-- expect: Finalize Aggregate over Gather over Partial Aggregate over
-- Parallel Seq Scan on cp_single.
EXPLAIN (COSTS OFF) SELECT markov_merge_agg(m) FROM cp_single;
-- expect: t -- 10,000 one-path models merged in parallel: the order-2 model.
SELECT markov_merge_agg(m) = (SELECT m FROM cp_models WHERE "order" = 2) AS merged_single FROM cp_single;

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET enable_hashagg;
RESET parallel_leader_participation;

-- expect: 1..4 | t -- the parallel models equal the serial ones.
SELECT p."order", p.m = s.m AS parallel_equal
FROM cp_parallel p JOIN cp_models s USING ("order") ORDER BY p."order";

-- expect: (no rows) twice -- markov_attribution of equal models (the serial,
-- the parallel and the merged halves) gives identical rows, bit for bit.
SELECT * FROM (SELECT "order", a.* FROM cp_models, markov_attribution(m) a
               EXCEPT
               SELECT "order", a.* FROM cp_parallel, markov_attribution(m) a) x
UNION ALL
SELECT * FROM (SELECT "order", a.* FROM cp_parallel, markov_attribution(m) a
               EXCEPT
               SELECT "order", a.* FROM cp_models, markov_attribution(m) a) y;
SELECT * FROM (SELECT w."order", a.* FROM cp_models w, markov_attribution(w.m) a
               EXCEPT
               SELECT h."order", a.*
               FROM (SELECT "order", markov_merge_agg(m) AS m FROM cp_halves GROUP BY "order") h,
                    markov_attribution(h.m) a) x
UNION ALL
SELECT * FROM (SELECT h."order", a.*
               FROM (SELECT "order", markov_merge_agg(m) AS m FROM cp_halves GROUP BY "order") h,
                    markov_attribution(h.m) a
               EXCEPT
               SELECT w."order", a.* FROM cp_models w, markov_attribution(w.m) a) y;

-- ---------------------------------------------------------------------------
-- Round trips
-- ---------------------------------------------------------------------------
-- expect: 1..4 | t | t -- text out and in gives the same model (and the same
-- text again).
SELECT "order", m::text::markov_model = m AS text_round_trip,
       m::text::markov_model::text = m::text AS text_stable
FROM cp_models ORDER BY "order";

-- expect: t | order 1 -- a literal whose only item is a zero value reads as
-- the model it prints as (a zero value adds nothing, like a zero count).
SELECT m::text::markov_model = m AS text_round_trip, m
FROM (SELECT 'order 1; "a" value 0'::markov_model AS m) s;

-- COPY binary (send/recv) and text round trips of a table of models; the
-- files go to results/ (relative to the directory pg_regress runs in).
CREATE TABLE cp_copy AS
SELECT "order", m FROM cp_models
UNION ALL SELECT 0, NULL
UNION ALL SELECT 5, (SELECT markov_fit(path, c, v, n) FROM hand1)
UNION ALL SELECT 6, 'order 4';
\copy cp_copy TO 'results/markov_models.bin' WITH (FORMAT binary)
CREATE TABLE cp_copy_bin (LIKE cp_copy);
\copy cp_copy_bin FROM 'results/markov_models.bin' WITH (FORMAT binary)
\copy cp_copy TO 'results/markov_models.txt'
CREATE TABLE cp_copy_txt (LIKE cp_copy);
\copy cp_copy_txt FROM 'results/markov_models.txt'
-- expect: 7 | 7 | 7 -- every row came back.
SELECT (SELECT count(*) FROM cp_copy) AS src, (SELECT count(*) FROM cp_copy_bin) AS bin,
       (SELECT count(*) FROM cp_copy_txt) AS txt;
-- expect: (no rows) -- no row differs, in either direction, for either format.
SELECT 'only in src (bin)' AS side, "order" FROM (SELECT * FROM cp_copy EXCEPT SELECT * FROM cp_copy_bin) a
UNION ALL
SELECT 'only in bin', "order" FROM (SELECT * FROM cp_copy_bin EXCEPT SELECT * FROM cp_copy) b
UNION ALL
SELECT 'only in src (txt)', "order" FROM (SELECT * FROM cp_copy EXCEPT SELECT * FROM cp_copy_txt) c
UNION ALL
SELECT 'only in txt', "order" FROM (SELECT * FROM cp_copy_txt EXCEPT SELECT * FROM cp_copy) d;

-- ---------------------------------------------------------------------------
-- Errors of markov_fit and markov_merge
-- ---------------------------------------------------------------------------
-- expect: 22023 | markov_fit: order must be at least 1 | The order was 0; orders 1 to 4 are supported.
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, 1, 0)$$);
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, 1, -1)$$);
-- expect: 54000 | markov_fit: order 5 is too high | Orders 1 to 4 are supported.
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, 1, 5)$$);
-- expect: 22004 | markov_fit: order must not be NULL
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, 1, NULL)$$);
-- expect: 22004 | markov_fit: <count> must not be NULL | hint coalesce(<count>, 0)
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, NULL, 1, 1)$$);
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, 1, NULL, 1)$$);
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, NULL)$$);
-- expect: 22023 | markov_fit: <count> must be finite and not negative | The <count> was -1 / NaN / Infinity.
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, -1, 1, 1)$$);
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, 1, -0.5, 1)$$);
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, -1)$$);
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, 'NaN', 1, 1)$$);
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, 1, 'NaN', 1)$$);
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, 1, 1, 'NaN')$$);
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, 'Infinity', 1, 1)$$);
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, 1, '-Infinity', 1)$$);
-- expect: 22003 | markov_fit: conversions out of range -- beyond about 3.4e20.
SELECT * FROM public.err($$SELECT mops.markov_fit('a'::mops.touch_path, 1e21, 1, 1)$$);
-- expect: 22023 | markov_fit: the order must be the same for every row of a group
-- | The group started with order 1 and then had order 2.
SELECT * FROM public.err($$SELECT mops.markov_fit(p::mops.touch_path, 1, 1, 1, k)
                            FROM (VALUES ('a', 1), ('b', 2)) t(p, k)$$);
-- expect: 22023 | cannot merge markov models of different orders
SELECT * FROM public.err($$SELECT mops.markov_merge('order 1; start > "a" 1; "a" > null 1',
                                                     'order 2; start > "a" 1; "a" > null 1')$$);
SELECT * FROM public.err($$SELECT mops.markov_merge_agg(m::mops.markov_model)
                            FROM (VALUES ('order 1; start > "a" 1; "a" > null 1'),
                                         ('order 3; start > "a" 1; "a" > null 1')) t(m)$$);
-- expect: 54000 | markov model has too many states | at most 10000 … (order 1)
-- 10,001 distinct channels at order 1.
SELECT * FROM public.err($$SELECT mops.markov_fit(('c' || i)::mops.touch_path, 1, 0, 0)
                            FROM generate_series(1, 10001) i$$);
-- expect: no error -- exactly 10,000 states is allowed.
SELECT * FROM public.err($$SELECT mops.markov_fit(('c' || i)::mops.touch_path, 1, 0, 0)
                            FROM generate_series(1, 10000) i$$);
-- expect: 54000 | … (order 4) -- order 4 over 4,000 pseudo-random paths of 6
-- touches over 20 channels: about 12,000 distinct windows.
SELECT * FROM public.err($$SELECT mops.markov_fit(p, 1, 1, 1, 4) FROM (
    SELECT string_agg('c' || get_byte(decode(md5(i || ':' || j), 'hex'), 0) % 20, ' > ' ORDER BY j)::mops.touch_path AS p
    FROM generate_series(1, 4000) i, generate_series(1, 6) j GROUP BY i) s$$);
-- expect: 54000 -- a text literal with 10,001 states.
SELECT * FROM public.err($$SELECT ('order 1' || string_agg(format('; start > "c%s" 1; "c%s" > null 1', i, i), ''))::mops.markov_model
                            FROM generate_series(1, 10001) i$$);

-- ---------------------------------------------------------------------------
-- Text input
-- ---------------------------------------------------------------------------
-- Accepted forms.
-- expect: order 1; start > "email" 3; "email" > conversion 2; "email" > null 1; "email" value 12.5
-- (markov.h's example, unchanged).
SELECT 'order 1; start > "email" 3; "email" > conversion 2; "email" > null 1; "email" value 12.5'::markov_model;
-- expect: order 1; start > "a_b" 1.5; "a_b" > conversion 1.5; "a_b" value 0.000000000000000001
-- labels are normalised ("A b" and "a-b" are one channel), repeated items
-- add up (1 + 0.5), blanks and new lines between items are free, exponents
-- are read, values have 18 decimals.
SELECT E'order 1 ;\n start > "A b" 1 ; start>"a-b" 0.5;"a_b" > conversion 15e-1; "a_b" value 1e-18'::markov_model;
-- expect: order 1; start > "say_\"hi\"_\\o/" 1; "say_\"hi\"_\\o/" > null 1 -- quotes
-- and backslashes are escaped in labels (and the label is normalised: blanks
-- become "_").
SELECT 'order 1; start > "say \"hi\" \\o/" 1; "say \"hi\" \\o/" > null 1'::markov_model;
-- expect: order 1 -- the empty model.
SELECT 'order 1'::markov_model;

-- Malformed literals: 22P02.
-- expect: 22P02 | invalid input syntax for type markov_model: "…" | detail: what was wrong
SELECT lit, e.code, e.detail
FROM (VALUES
    (1, ''),                                                         -- empty: no order
    (2, 'start > "a" 1; "a" > null 1'),                              -- missing order
    (3, 'order 9; start > "a" 1; "a" > null 1'),                     -- order 9
    (4, 'order 0'),                                                  -- order 0
    (5, 'order 12'),                                                 -- order 12 (two digits)
    (6, 'order 1; start > a 1; a > null 1'),                         -- unquoted label
    (7, 'order 1; start > "a" 1; "a" > nowhere 1'),                  -- unknown target
    (8, 'order 1; start > "a" 0; "a" > null 1'),                     -- zero count
    (9, 'order 1; start > "a" -1; "a" > null 1'),                    -- negative count
    (10, 'order 1; start > "a" 1; "a" > "b" 1; "b" > "a" 1'),        -- not absorbing
    (11, 'order 1; start > "a" 1; "a" > "b" 1; "b" > "a" 1; "a" > null 1; "c" > "c" 1'), -- a state that cannot reach an end
    (12, 'order 1; start > conversion 1'),                           -- start to conversion
    (13, 'order 1; start value 3'),                                  -- start has no value
    (14, 'order 1; start > "a","b" 1; "a","b" > null 1'),            -- two labels at order 1
    (15, 'order 2; start > "a","a" 1; "a","a" > null 1'),            -- a repeat within a state
    (16, 'order 1; start > "a>b" 1; "a>b" > null 1'),                -- '>' in a label
    (17, 'order 1; start > "" 1; "" > null 1'),                      -- empty label
    (18, 'order 1; start > "a" 1; "a" > null 1 extra'),              -- trailing text
    (19, 'order 1; start > "a 1; "a" > null 1'),                     -- unterminated label
    (20, 'order 1; "a" > start 1')                                   -- start is no target
) v(n, lit), public.err(format('SELECT %L::mops.markov_model', lit)) e
ORDER BY n;
-- expect: 22P02 | invalid input syntax for type markov_model: "order 1; start > "a" 1; "a" > "b" 1; "b" > "a" 1"
-- | Some state cannot reach conversion or null: the chain is not absorbing.
SELECT * FROM public.err($$SELECT 'order 1; start > "a" 1; "a" > "b" 1; "b" > "a" 1'::mops.markov_model$$);
-- expect: 22003 | markov model count out of range -- a count beyond about 3.4e20.
SELECT * FROM public.err($$SELECT 'order 1; start > "a" 1e21; "a" > null 1'::mops.markov_model$$);

DROP TABLE hand1, hand2, cp, cp_models, cp_oracle, cp_attribution, cp_parts, cp_halves,
    cp_parallel, cp_single, cp_copy, cp_copy_bin, cp_copy_txt;
