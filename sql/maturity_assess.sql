-- maturity_assess: maturity scoring over the six pillars (DESIGN §3.6;
-- doc/maturity_assess.md).  Every result is computed by hand in the
-- "expect:" comment above it.  The rules used throughout:
--   pillar score  = mean of the pillar's answers;
--   overall score = mean of the pillar scores of the six pillars present
--                   (underpinnings audit, analytics, optimisation excluded);
--   stage by overall: < 1.8 foundations, < 2.6 alignment, < 3.4 optimisation,
--                     < 4.2 integration, else transformation;
--   capped at one stage above the weakest pillar's own stage (weakest =
--   lowest pillar score, the first in pillar order among equal ones);
--   decimals: exact, truncated to 16 places, trailing zeros removed.
-- (public first: the tables below go to public, not into the extension's schema)
SET search_path = public, mops;

-- public.err(sql) (sql/setup.sql): the SQLSTATE, message, detail and hint
-- of the error sql raises ('no error' if it succeeds).

-- One row per answer; case names what the case is.
CREATE TABLE answers (case_name text, pillar text, score numeric);

-- six(case, bl, ce, mt, tt, pm, team): one answer per pillar.
CREATE FUNCTION pg_temp.six(c text, a numeric, b numeric, d numeric, e numeric, f numeric, g numeric)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO answers VALUES
        (c, 'business_leadership', a), (c, 'customer_experience', b),
        (c, 'marketing_tactics', d), (c, 'tools_technology', e),
        (c, 'project_management', f), (c, 'team', g)
$$;

-- ---------------------------------------------------------------------------
-- Stage boundaries: exactly at each boundary, and just below it
-- ---------------------------------------------------------------------------
-- "at b": all six pillars score b, so overall = 6b/6 = b exactly; every
-- pillar is weakest with equal scores, so the weakest is the first,
-- business_leadership, whose own stage is the same as the overall one: the
-- cap (one above) does not bind.
-- "below b": five pillars at b, team at b − 0.000006: overall =
-- (6b − 0.000006)/6 = b − 0.000001; team is weakest with stage below b, cap
-- one above that, which does not bind either.
SELECT pg_temp.six('at 1.8', 1.8, 1.8, 1.8, 1.8, 1.8, 1.8);
SELECT pg_temp.six('below 1.8', 1.8, 1.8, 1.8, 1.8, 1.8, 1.799994);
SELECT pg_temp.six('at 2.6', 2.6, 2.6, 2.6, 2.6, 2.6, 2.6);
SELECT pg_temp.six('below 2.6', 2.6, 2.6, 2.6, 2.6, 2.6, 2.599994);
SELECT pg_temp.six('at 3.4', 3.4, 3.4, 3.4, 3.4, 3.4, 3.4);
SELECT pg_temp.six('below 3.4', 3.4, 3.4, 3.4, 3.4, 3.4, 3.399994);
SELECT pg_temp.six('at 4.2', 4.2, 4.2, 4.2, 4.2, 4.2, 4.2);
SELECT pg_temp.six('below 4.2', 4.2, 4.2, 4.2, 4.2, 4.2, 4.199994);
SELECT pg_temp.six('all 1', 1, 1, 1, 1, 1, 1);
SELECT pg_temp.six('all 5', 5, 5, 5, 5, 5, 5);

-- expect:
--   all 1     | foundations    | 1        | business_leadership (all equal: the first)
--   below 1.8 | foundations    | 1.799999 | team     (10.799994/6 = 1.799999 < 1.8)
--   at 1.8    | alignment      | 1.8      | business_leadership
--   below 2.6 | alignment      | 2.599999 | team     (15.599994/6)
--   at 2.6    | optimisation   | 2.6      | business_leadership
--   below 3.4 | optimisation   | 3.399999 | team     (20.399994/6)
--   at 3.4    | integration    | 3.4      | business_leadership
--   below 4.2 | integration    | 4.199999 | team     (25.199994/6)
--   at 4.2    | transformation | 4.2      | business_leadership
--   all 5     | transformation | 5        | business_leadership
-- all complete.
SELECT case_name, (m).stage, (m).score, (m).weakest_pillar, (m).complete
  FROM (SELECT case_name, maturity_assess(pillar, score) AS m
          FROM answers GROUP BY case_name) s
 ORDER BY (m).score;

-- The same boundary from whole-number answers whose pillar means are not
-- decimals (a float8 average would land on either side of 2.6):
--   business_leadership 2, 2, 3 → 7/3;  customer_experience 3, 3, 2 → 8/3;
--   marketing_tactics, tools_technology, project_management 3, 3, 2, 3, 2 → 13/5 = 2.6;
--   team 3, 3, 3, 3, 2 → 14/5 = 2.8.
--   overall = (7/3 + 8/3 + 2.6 + 2.6 + 2.6 + 2.8) / 6 = (5 + 10.6) / 6 = 15.6/6 = 2.6 exactly
-- expect: optimisation | 2.6 | business_leadership (7/3 = 2.33…, own stage
-- alignment, cap optimisation: not binding) | pillar scores 7/3 and 8/3
-- truncated to 16 decimals: 2.3333333333333333 and 2.6666666666666666.
INSERT INTO answers
SELECT 'thirds at 2.6', p, s
  FROM (VALUES ('business_leadership', '{2,2,3}'::numeric[]),
               ('customer_experience', '{3,3,2}'),
               ('marketing_tactics', '{3,3,2,3,2}'),
               ('tools_technology', '{3,3,2,3,2}'),
               ('project_management', '{3,3,2,3,2}'),
               ('team', '{3,3,3,3,2}')) v(p, scores),
       unnest(scores) s;
SELECT (m).stage, (m).score, (m).weakest_pillar, (m).complete, (m).pillar_scores
  FROM (SELECT maturity_assess(pillar, score) AS m FROM answers WHERE case_name = 'thirds at 2.6') s;
-- (float8 arithmetic on the same means does not give 2.6:)
-- expect: 2.6 is not 2.5999999999999996 → false (the float8 sum of the
-- pillar means, divided by 6, misses the boundary).
SELECT (7::float8/3 + 8::float8/3 + 2.6::float8 + 2.6::float8 + 2.6::float8 + 2.8::float8) / 6 >= 2.6::float8
       AS float8_would_reach_2_6;

-- ---------------------------------------------------------------------------
-- The weakest-pillar cap
-- ---------------------------------------------------------------------------
SELECT pg_temp.six('cap: team 1', 5, 5, 5, 5, 5, 1);
SELECT pg_temp.six('cap: team 2', 5, 5, 5, 5, 5, 2);
SELECT pg_temp.six('cap: mt 3.4', 5, 5, 3.4, 5, 5, 5);
SELECT pg_temp.six('cap: ce 1.5 = pm 1.5', 4, 1.5, 4, 4, 1.5, 4);
-- expect:
-- cap: team 1  | alignment | 4.3333333333333333 | team
--     overall 26/6 = 4.333… (transformation by score), weakest team 1 →
--     foundations, capped at one above: alignment.
-- cap: team 2  | optimisation | 4.5 | team
--     overall 27/6 = 4.5 (transformation), team 2 → alignment, cap optimisation.
-- cap: mt 3.4  | transformation | 4.7333333333333333 | marketing_tactics
--     overall 28.4/6 = 4.7333… (transformation), mt 3.4 → integration, cap
--     transformation: not binding.
-- cap: ce 1.5 = pm 1.5 | alignment | 3.1666666666666666 | customer_experience
--     overall 19/6 = 3.1666… (optimisation), weakest 1.5 shared by
--     customer_experience and project_management: the first in pillar order,
--     customer_experience; 1.5 → foundations, cap alignment.
SELECT case_name, (m).stage, (m).score, (m).weakest_pillar
  FROM (SELECT case_name, maturity_assess(pillar, score) AS m
          FROM answers WHERE case_name LIKE 'cap:%' GROUP BY case_name) s
 ORDER BY case_name;

-- ---------------------------------------------------------------------------
-- Incomplete assessments, underpinnings, spellings, NULLs
-- ---------------------------------------------------------------------------
-- expect: optimisation | 3 | team | f | {"team": 3, "audit": 5}
-- Only team (3) is a pillar: overall = 3/1 = 3 → optimisation; team is the
-- weakest (3 → optimisation, cap integration). audit 5 is reported but not
-- counted (with it the mean would be 4). complete is false.
SELECT (maturity_assess(p, s)).*
  FROM (VALUES ('team', 3), ('audit', 5)) v(p, s);

-- expect: optimisation | 3 | marketing_tactics | f
-- Two pillars: business_leadership 4, marketing_tactics (2 + 2)/2 = 2:
-- overall (4 + 2)/2 = 3 → optimisation; weakest marketing_tactics 2 →
-- alignment, cap optimisation: not binding.
SELECT (m).stage, (m).score, (m).weakest_pillar, (m).complete
  FROM (SELECT maturity_assess(p, s) AS m
          FROM (VALUES ('business_leadership', 4), ('marketing_tactics', 2), ('marketing_tactics', 2)) v(p, s)) x;

-- expect: NULL stage, score and weakest_pillar, complete f,
-- pillar_scores {"audit": 4.5, "analytics": 2, "optimisation": 1}
-- (only underpinnings: no pillar score to assess; audit (4 + 5)/2 = 4.5;
-- "Optimization" is the underpinning optimisation, reported under the
-- British key).
SELECT (maturity_assess(p, s)).*
  FROM (VALUES ('audit', 4), ('Audit', 5), ('analytics', 2), ('Optimization', 1)) v(p, s);

-- expect: the same as the four clean rows below it: NULL pillars and NULL
-- scores are skipped (like avg()); spellings are normalised.
-- Clean: business_leadership 2, customer_experience 4 → overall 3 →
-- optimisation, weakest business_leadership (2 → alignment, cap optimisation).
SELECT (maturity_assess(p, s)).*
  FROM (VALUES ('Business Leadership', 2), (NULL, 5), ('team', NULL),
               ('CUSTOMER-experience', 4), (NULL, NULL)) v(p, s);
SELECT (maturity_assess(p, s)).*
  FROM (VALUES ('business_leadership', 2), ('customer_experience', 4)) v(p, s);

-- expect: NULL (no rows), NULL (only NULL rows), as avg() gives.
SELECT maturity_assess(p, s) IS NULL AS no_rows
  FROM (VALUES ('team', 3)) v(p, s) WHERE false;
SELECT maturity_assess(p, s) IS NULL AS only_null_rows
  FROM (VALUES (NULL::text, 3), ('team', NULL)) v(p, s);

-- expect: the full result for "thirds at 2.6" as a composite value; jsonb
-- orders the keys itself (shorter keys first), not in pillar order.
SELECT maturity_assess(pillar, score) FROM answers WHERE case_name = 'thirds at 2.6';

-- As a window function: the running assessment of "cap: team 1" in pillar
-- order, and over a sliding frame of two answers.
-- expect (running): after 1-5 pillars at 5: transformation | 5 | complete f
-- (each time the first pillar is weakest, 5 → transformation, no cap);
-- after team 1: alignment | 4.3333333333333333 | t (as above).
-- expect (sliding, the answer and the one before): the first row alone
-- (business_leadership 5) transformation | 5; pairs of 5s transformation | 5;
-- (project_management 5, team 1): (5 + 1)/2 = 3 → optimisation by score,
-- weakest team 1 → foundations, cap alignment | 3.
SELECT pillar, score,
       (maturity_assess(pillar, score) OVER w_running).stage AS running_stage,
       (maturity_assess(pillar, score) OVER w_running).score AS running_score,
       (maturity_assess(pillar, score) OVER w_running).complete AS running_complete,
       (maturity_assess(pillar, score) OVER w_sliding).stage AS sliding_stage,
       (maturity_assess(pillar, score) OVER w_sliding).score AS sliding_score
  FROM (SELECT pillar, score,
               array_position(ARRAY['business_leadership', 'customer_experience', 'marketing_tactics',
                                    'tools_technology', 'project_management', 'team'], pillar) AS pos
          FROM answers WHERE case_name = 'cap: team 1') a
WINDOW w_running AS (ORDER BY pos), w_sliding AS (ORDER BY pos ROWS 1 PRECEDING)
 ORDER BY pos;

-- ---------------------------------------------------------------------------
-- Errors
-- ---------------------------------------------------------------------------
-- expect 22023: an unknown pillar ('overall' is no pillar either); the
-- detail lists the accepted names.
SELECT * FROM public.err($$SELECT maturity_assess('brand', 3)$$);
SELECT code, message FROM public.err($$SELECT maturity_assess('overall', 3)$$);
-- expect 22003: scores outside 1-5, NaN and infinities.
SELECT * FROM public.err($$SELECT maturity_assess('team', 0.999999)$$);
SELECT code, message FROM public.err($$SELECT maturity_assess('team', 5.000001)$$);
SELECT code, message FROM public.err($$SELECT maturity_assess('team', 0)$$);
SELECT code, message FROM public.err($$SELECT maturity_assess('team', -3)$$);
SELECT code, message FROM public.err($$SELECT maturity_assess('team', 'NaN')$$);
SELECT code, message FROM public.err($$SELECT maturity_assess('team', 'Infinity')$$);
-- expect 22023: more than 6 decimals that are not zeros (sums are exact).
-- 5.0000000 and 1.000000000 are fine (only zeros after the 6th decimal):
-- expect transformation (one pillar at 5) | foundations (one pillar at 1).
SELECT * FROM public.err($$SELECT maturity_assess('team', 2.1234567)$$);
SELECT (maturity_assess('team', 5.0000000)).stage, (maturity_assess('team', 1.000000000)).stage;

-- ---------------------------------------------------------------------------
-- The state type maturity_state
-- ---------------------------------------------------------------------------
-- expect: canonical text: the fixed area order, sums without trailing zeros;
-- names are normalised on input ("Team", "OPTIMIZATION"); '' is no answer.
SELECT 'audit 1 3; Team 2 7.50'::maturity_state AS a,
       'optimization 2 2.000001'::maturity_state AS b,
       ''::maturity_state AS empty;
-- expect 22P02 for each: a duplicate area, a sum two answers of 1-5 cannot
-- make (10.5 > 2 × 5), an unknown area, a missing sum, a trailing ";".
SELECT code, message, detail FROM public.err($$SELECT 'team 1 3; team 1 3'::mops.maturity_state$$);
SELECT code, message, detail FROM public.err($$SELECT 'team 2 10.5'::mops.maturity_state$$);
SELECT code, message, detail FROM public.err($$SELECT 'brand 1 3'::mops.maturity_state$$);
SELECT code, message, detail FROM public.err($$SELECT 'team 1'::mops.maturity_state$$);
SELECT code, message, detail FROM public.err($$SELECT 'team 1 3;'::mops.maturity_state$$);

-- The final function on a stored state, and the combine function directly.
-- expect: foundations | 1.6666666666666666 | business_leadership:
--   business_leadership 1/1 = 1, team 7/3; overall (1 + 7/3)/2 = 5/3 =
--   1.666… (truncated, not rounded to …667) → foundations.
SELECT (maturity_assess_final('team 3 7; business_leadership 1 1')).*;
-- expect: team 5 17; audit 1 3 (counts and sums added: 2+3, 7.5+9.5).
SELECT maturity_state_combine('team 2 7.5; audit 1 3', 'team 3 9.5');
-- expect: NULL (a state without answers has no assessment).
SELECT maturity_assess_final('') IS NULL AS empty_state_is_null;

-- Binary round trip through COPY (FORMAT binary), and binary input that is
-- no state: a one-column bytea file carries its bytes as they are, so it
-- loads into a maturity_state column through maturity_state_recv.
CREATE TABLE ms_src (id integer, st maturity_state);
INSERT INTO ms_src VALUES (1, 'team 2 7.5; audit 1 3'), (2, ''), (3, NULL),
    (4, 'business_leadership 1844674407370 9223372036850');
\copy ms_src TO 'results/maturity_state.bin' WITH (FORMAT binary)
CREATE TABLE ms_dst (LIKE ms_src);
\copy ms_dst FROM 'results/maturity_state.bin' WITH (FORMAT binary)
-- expect: the four rows, unchanged (compared as text: the state type has
-- no equality operator).
SELECT s.id, s.st::text = d.st::text OR (s.st IS NULL AND d.st IS NULL) AS same, d.st
  FROM ms_src s JOIN ms_dst d USING (id) ORDER BY id;
CREATE TABLE ms_bytes (st maturity_state);
-- expect: version 1, 1 area, area 5 (team), count 2, sum 7500000 millionths.
SELECT maturity_state_send('team 2 7.5');
-- expect 22P03 for each: an unknown version (2), a truncated entry, areas
-- out of order, a count and sum no answers make (2 answers summing to 11).
\copy (SELECT '\x0200'::bytea) TO 'results/maturity_state_bad.bin' WITH (FORMAT binary)
\copy ms_bytes FROM 'results/maturity_state_bad.bin' WITH (FORMAT binary)
\copy (SELECT '\x010105000000000000000200000000007270'::bytea) TO 'results/maturity_state_bad.bin' WITH (FORMAT binary)
\copy ms_bytes FROM 'results/maturity_state_bad.bin' WITH (FORMAT binary)
\copy (SELECT '\x010205000000000000000100000000000f424002000000000000000100000000000f4240'::bytea) TO 'results/maturity_state_bad.bin' WITH (FORMAT binary)
\copy ms_bytes FROM 'results/maturity_state_bad.bin' WITH (FORMAT binary)
\copy (SELECT '\x01010000000000000000020000000000a7d8c0'::bytea) TO 'results/maturity_state_bad.bin' WITH (FORMAT binary)
\copy ms_bytes FROM 'results/maturity_state_bad.bin' WITH (FORMAT binary)
-- expect: 0 rows loaded.
SELECT count(*) AS loaded FROM ms_bytes;

-- ---------------------------------------------------------------------------
-- Many teams: GROUP BY, and the parallel plan
-- ---------------------------------------------------------------------------
-- 200 teams × 9 areas × 10 answers: answer i (1..18000) is team t = i % 200,
-- area a = (i / 200) % 9 (0-8 in the order of doc/maturity_assess.md) and
-- score least(5, 1 + 0.8 (t mod 5) + (37 i mod 101)/100), so that teams
-- spread over the stages; pillar team (a = 5) of every 7th team scores 1,
-- so that the cap binds there.
CREATE TABLE survey AS
SELECT i % 200 AS team,
       (ARRAY['business_leadership', 'customer_experience', 'marketing_tactics',
              'tools_technology', 'project_management', 'team',
              'audit', 'analytics', 'optimisation'])[1 + (i / 200) % 9] AS pillar,
       CASE WHEN i % 200 % 7 = 0 AND (i / 200) % 9 = 5 THEN 1
            ELSE least(5, 1 + 0.8 * (i % 200 % 5) + (i * 37 % 101) / 100.0) END AS score
  FROM generate_series(1, 18000) i;
ANALYZE survey;

-- A serial run, kept for comparison.
SET max_parallel_workers_per_gather = 0;
CREATE TABLE serial_result AS
SELECT team, maturity_assess(pillar, score) AS m FROM survey GROUP BY team;
SELECT maturity_assess(pillar, score)::text AS whole FROM survey \gset serial_

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
-- expect: Finalize Aggregate over Gather over Partial Aggregate (the
-- combine function at work).
EXPLAIN (COSTS OFF) SELECT maturity_assess(pillar, score) FROM survey;
-- expect: the same answer as the serial run → true.
SELECT maturity_assess(pillar, score)::text = :'serial_whole' AS parallel_equals_serial FROM survey;
-- expect: a Finalize (Group or Hash) Aggregate over Gather over Partial
-- Aggregate, grouped by team.
SET enable_hashagg = off;
EXPLAIN (COSTS OFF) SELECT team, maturity_assess(pillar, score) FROM survey GROUP BY team;
-- expect: 200 teams, no difference from the serial run.
SELECT count(*) AS teams,
       count(*) FILTER (WHERE p.m::text IS DISTINCT FROM s.m::text) AS differences
  FROM (SELECT team, maturity_assess(pillar, score) AS m FROM survey GROUP BY team) p
  JOIN serial_result s USING (team);
RESET enable_hashagg;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;

-- Every team against an exact oracle written in SQL.  Each team has 10
-- answers per area (team t gets i = t + 200j, area j mod 9), so with S_p the
-- sum of pillar p's answers (exact numeric):
--   pillar score p = S_p / 10, overall = (S_1 + … + S_6) / 60;
--   stage by comparing S_1 + … + S_6 with 60 × boundary (no division);
--   weakest = the lowest S_p, the first in pillar order among equal ones;
--   cap = weakest's own stage (S_p compared with 10 × boundary) + 1;
--   score = floor((S_1 + … + S_6) × 10^16 / 60) / 10^16, trailing zeros trimmed.
-- expect: 200 teams, 0 differences.
CREATE FUNCTION pg_temp.stage_of(total numeric, n integer) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT 1 + (total >= 1.8 * n)::int + (total >= 2.6 * n)::int
             + (total >= 3.4 * n)::int + (total >= 4.2 * n)::int
$$;
WITH sums AS (
    SELECT team, pillar, sum(score) AS s, count(*) AS n,
           array_position(ARRAY['business_leadership', 'customer_experience', 'marketing_tactics',
                                'tools_technology', 'project_management', 'team'], pillar) AS pos
      FROM survey GROUP BY team, pillar),
weakest AS (
    SELECT DISTINCT ON (team) team, pillar, pg_temp.stage_of(s, 10) AS wstage
      FROM sums WHERE pos IS NOT NULL ORDER BY team, s, pos),
oracle AS (
    SELECT t.team,
           least(pg_temp.stage_of(t.total, 60), w.wstage + 1)::text::maturity_stage AS stage,
           trim_scale(div(t.total * 1e16, 60) / 1e16) AS score,
           w.pillar AS weakest_pillar,
           t.scores AS pillar_scores,
           true AS complete
      FROM (SELECT team, sum(s) FILTER (WHERE pos IS NOT NULL) AS total,
                   jsonb_object_agg(pillar, trim_scale(s / n)) AS scores
              FROM sums GROUP BY team) t
      JOIN weakest w USING (team))
SELECT count(*) AS teams,
       count(*) FILTER (WHERE (o.stage, o.score, o.weakest_pillar, o.pillar_scores, o.complete)
                              IS DISTINCT FROM ((r.m).stage, (r.m).score, (r.m).weakest_pillar,
                                                (r.m).pillar_scores, (r.m).complete)) AS differences
  FROM oracle o JOIN serial_result r USING (team);
-- How the 200 teams spread over the stages (figures checked by the oracle
-- above, not by hand): every stage occurs; the teams whose weakest pillar is
-- team, scored 1 (every 7th team), are capped at alignment or below.
SELECT (m).stage, count(*) AS teams,
       count(*) FILTER (WHERE (m).weakest_pillar = 'team' AND team % 7 = 0) AS team_pillar_weakest
  FROM serial_result GROUP BY 1 ORDER BY 1;

-- ---------------------------------------------------------------------------
-- maturity_guidance
-- ---------------------------------------------------------------------------
-- expect: 35 rows: 5 stages × (overall + 6 pillars).
SELECT count(*) AS rows, count(DISTINCT stage) AS stages, count(DISTINCT pillar) AS pillars
  FROM maturity_guidance;
-- expect: the guidance for an assessment's stage and its weakest pillar,
-- for "cap: team 1" (alignment, team).
SELECT g.stage, g.pillar, left(g.guidance, 60) AS guidance
  FROM (SELECT maturity_assess(pillar, score) AS m FROM answers WHERE case_name = 'cap: team 1') a
  JOIN maturity_guidance g ON g.stage = (a.m).stage AND g.pillar IN ((a.m).weakest_pillar, 'overall')
 ORDER BY g.pillar = 'overall' DESC;
-- expect 23514: pillars outside the seven are refused.
SELECT code, message FROM public.err($$INSERT INTO mops.maturity_guidance VALUES ('alignment', 'audit', 'x')$$);

DROP TABLE answers, ms_src, ms_dst, ms_bytes, survey, serial_result;
