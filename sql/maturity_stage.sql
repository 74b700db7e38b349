-- maturity_stage: DESIGN §3.6 (the type).  foundations < alignment <
-- optimisation < integration < transformation; input goes through
-- normalize_label (any case, surrounding blanks), also accepts the American
-- "optimization" and the numbers 1-5; output is the British spelling.
-- Ordering, min/max, the cast to integer, DISTINCT/GROUP BY, indexes, and the
-- errors for bad input (22P02, with the accepted forms in the detail).
SET search_path = mops, public;

-- Every accepted spelling, with the stage it means.
SELECT n, x::maturity_stage AS stage, x::maturity_stage::integer AS number
FROM (VALUES (1, 'Foundations'), (2, 'ALIGNMENT'), (3, 'optimization'), (4, 'Optimisation'),
             (5, 'OPTIMIZATION'), (6, ' integration '), (7, 'Transformation'),
             (8, '1'), (9, '2'), (10, '3'), (11, '4'), (12, '5'), (13, ' 2 '),
             (14, E'\tAlignment\n')) AS t(n, x)
ORDER BY n;
-- foundations 1, alignment 2, optimisation 3, optimisation 3, optimisation 3,
-- integration 4, transformation 5, foundations 1, alignment 2, optimisation 3,
-- integration 4, transformation 5, alignment 2, alignment 2

-- A full-width digit ５ (U+FF15) normalises (NFKC) to 5: transformation.
SELECT '５'::maturity_stage AS fullwidth_five, 'ＩＮＴＥＧＲＡＴＩＯＮ'::maturity_stage AS fullwidth_word;

-- Output is British and canonical: the American spelling never comes back.
SELECT 'optimization'::maturity_stage::text AS txt;  -- optimisation
SELECT 'optimization'::maturity_stage = 'Optimisation'::maturity_stage AS same;  -- true

-- Ordering: foundations < alignment < optimisation < integration < transformation.
CREATE TABLE ms_t (team text, stage maturity_stage);
INSERT INTO ms_t VALUES ('crm', 'integration'), ('web', 'foundations'), ('brand', 'optimization'),
                        ('crm', 'alignment'), ('data', 'transformation'), ('web', 'optimisation'),
                        ('brand', '2'), ('ops', NULL), ('data', 'integration');
SELECT stage, stage::integer AS number FROM ms_t ORDER BY stage, team;
-- foundations 1 (web), alignment 2 (brand, crm), optimisation 3 (brand, web),
-- integration 4 (crm, data), transformation 5 (data), NULL (ops)
SELECT 'foundations'::maturity_stage < 'alignment' AS a,        -- true
       'alignment'::maturity_stage < 'optimisation' AS b,       -- true
       'optimisation'::maturity_stage < 'integration' AS c,     -- true
       'integration'::maturity_stage < 'transformation' AS d,   -- true
       'transformation'::maturity_stage <= 'Transformation' AS e,  -- true
       'alignment'::maturity_stage >= 'optimisation' AS f,      -- false
       '3'::maturity_stage = 'optimization' AS g,               -- true
       '3'::maturity_stage <> 'optimisation' AS h,              -- false
       'transformation'::maturity_stage > 'foundations' AS i;   -- true

-- min and max: overall and per team.
SELECT min(stage) AS lowest, max(stage) AS highest FROM ms_t;  -- foundations, transformation
SELECT team, min(stage) AS lowest, max(stage) AS highest FROM ms_t GROUP BY team ORDER BY team;
-- brand alignment optimisation; crm alignment integration; data integration transformation;
-- ops NULL NULL; web foundations optimisation

-- The cast to integer and maturity_stage_number give the stage number.
SELECT s, s::integer AS cast_number, maturity_stage_number(s) AS fn_number
FROM (VALUES ('foundations'::maturity_stage), ('alignment'), ('optimisation'),
             ('integration'), ('transformation')) AS t(s)
ORDER BY s;  -- 1..5
SELECT avg(stage::integer) AS mean_number FROM ms_t;  -- (4+1+3+2+5+3+2+4)/8 = 24/8 = 3.0

-- DISTINCT and GROUP BY, sorted and hashed.
SELECT DISTINCT stage FROM ms_t ORDER BY stage;  -- the five stages, then NULL
SELECT stage, count(*) AS n FROM ms_t GROUP BY stage ORDER BY stage;
-- foundations 1, alignment 2, optimisation 2, integration 2, transformation 1, NULL 1
ANALYZE ms_t;
SET enable_sort = off;
EXPLAIN (COSTS OFF)
WITH g AS MATERIALIZED (SELECT stage, count(*) AS n FROM ms_t GROUP BY stage)
SELECT * FROM g ORDER BY stage;
WITH g AS MATERIALIZED (SELECT stage, count(*) AS n FROM ms_t GROUP BY stage)
SELECT * FROM g ORDER BY stage;
RESET enable_sort;

-- A btree index: 500 rows, 100 of each stage.
CREATE TABLE ms_big AS
SELECT i AS id, (1 + i % 5)::text::maturity_stage AS stage FROM generate_series(1, 500) AS i;
CREATE INDEX ms_big_stage_idx ON ms_big (stage);
VACUUM ANALYZE ms_big;
SET enable_seqscan = off;
SET enable_bitmapscan = off;  -- the plan to show is the plain btree scan
EXPLAIN (COSTS OFF)
SELECT count(*) FROM ms_big WHERE stage >= 'integration';
SELECT count(*) FROM ms_big WHERE stage >= 'integration';       -- 200 (integration, transformation)
SELECT count(*) FROM ms_big WHERE stage = 'Optimization';       -- 100
RESET enable_seqscan;
SET enable_indexscan = off;
SET enable_indexonlyscan = off;
SET enable_bitmapscan = off;
SELECT count(*) FROM ms_big WHERE stage >= 'integration';       -- 200 again, by seq scan
SELECT count(*) FROM ms_big WHERE stage = 'Optimization';       -- 100
RESET enable_indexscan;
RESET enable_indexonlyscan;
RESET enable_bitmapscan;
-- A hash index answers equality.
CREATE INDEX ms_big_stage_hash ON ms_big USING hash (stage);
DROP INDEX ms_big_stage_idx;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF)
SELECT count(*) FROM ms_big WHERE stage = 'alignment';
SELECT count(*) FROM ms_big WHERE stage = 'alignment';  -- 100
RESET enable_seqscan;
RESET enable_bitmapscan;

-- The type is fixed-size: 2 bytes, passed by value.
SELECT typlen, typbyval FROM pg_type WHERE oid = 'mops.maturity_stage'::regtype;  -- 2, true

-- NULL in, NULL out.
SELECT NULL::maturity_stage IS NULL AS null_literal,
       maturity_stage_number(NULL) IS NULL AS null_number,
       (NULL::maturity_stage)::integer IS NULL AS null_cast;  -- true, true, true

-- Bad input: 22P02 with a detail listing the accepted forms.
-- The empty string names no stage.
SELECT ''::maturity_stage;
\echo :LAST_ERROR_SQLSTATE
-- Numbers outside 1-5.
SELECT '0'::maturity_stage;
\echo :LAST_ERROR_SQLSTATE
SELECT '6'::maturity_stage;
\echo :LAST_ERROR_SQLSTATE
-- Not a whole stage number.
SELECT '3.5'::maturity_stage;
\echo :LAST_ERROR_SQLSTATE
-- A sign is not part of a stage number: '-3' is minus three, not stage 3,
-- and '+3' is not 3 either.  (A leading '-' must not be dropped as a label
-- separator here: that would turn a negative number into a valid stage, a
-- silent wrong answer.)
SELECT '-3'::maturity_stage;
\echo :LAST_ERROR_SQLSTATE
SELECT '+3'::maturity_stage;
\echo :LAST_ERROR_SQLSTATE
-- Near misses of the names.
SELECT 'optimise'::maturity_stage;
\echo :LAST_ERROR_SQLSTATE
SELECT 'foundation'::maturity_stage;
\echo :LAST_ERROR_SQLSTATE
SELECT 'stage 3'::maturity_stage;
\echo :LAST_ERROR_SQLSTATE
-- Blanks only.
SELECT '   '::maturity_stage;
\echo :LAST_ERROR_SQLSTATE

DROP TABLE ms_t, ms_big;
