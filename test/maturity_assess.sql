-- pgTAP: maturity_assess, maturity_state, maturity and maturity_guidance
-- (DESIGN §3.6; doc/maturity_assess.md): signatures and schema properties,
-- every error with its SQLSTATE, the accepted neighbours of the errors, then
-- properties over 300 pseudo-random teams (fixed seed) checked against an
-- exact oracle written here in plpgsql, and the combine function against
-- the aggregate.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SET LOCAL search_path = public, pg_catalog;

SELECT plan(45);

-- diag(sql): {sqlstate, message, detail, hint} of the error sql raises
\ir lib/diag.sql

-- ---------------------------------------------------------------------------
-- Signatures and schema
-- ---------------------------------------------------------------------------
SELECT has_type('mops', 'maturity_state', 'type mops.maturity_state exists');
SELECT has_composite('mops', 'maturity', 'composite type mops.maturity exists');
SELECT is((SELECT array_agg(attname::text || ' ' || format_type(atttypid, atttypmod) ORDER BY attnum)
             FROM pg_attribute WHERE attrelid = 'mops.maturity'::regclass AND attnum > 0),
          ARRAY['stage mops.maturity_stage', 'score numeric', 'weakest_pillar text',
                'pillar_scores jsonb', 'complete boolean'],
          'mops.maturity has the columns of DESIGN 3.6, in order');
SELECT is_aggregate('mops', 'maturity_assess', ARRAY['text', 'numeric']);
SELECT function_returns('mops', 'maturity_assess', ARRAY['text', 'numeric'], 'mops.maturity');
SELECT is((SELECT aggtranstype::regtype::text FROM pg_aggregate
            WHERE aggfnoid = 'mops.maturity_assess(text,numeric)'::regprocedure),
          'mops.maturity_state', 'maturity_assess has a real state type, not internal (DESIGN 2)');
SELECT is((SELECT aggcombinefn::regproc::text FROM pg_aggregate
            WHERE aggfnoid = 'mops.maturity_assess(text,numeric)'::regprocedure),
          'mops.maturity_state_combine', 'maturity_assess has a combine function');
SELECT is((SELECT proparallel FROM pg_proc WHERE oid = 'mops.maturity_assess(text,numeric)'::regprocedure),
          's'::"char", 'maturity_assess is PARALLEL SAFE');
SELECT has_table('mops', 'maturity_guidance', 'table mops.maturity_guidance exists');
SELECT col_is_pk('mops', 'maturity_guidance', ARRAY['stage', 'pillar'],
                 'maturity_guidance: primary key (stage, pillar)');
SELECT is((SELECT array_agg(x.privilege_type::text ORDER BY x.privilege_type)
             FROM pg_class c, aclexplode(c.relacl) x
            WHERE c.oid = 'mops.maturity_guidance'::regclass AND x.grantee = 0),
          ARRAY['SELECT'], 'PUBLIC may SELECT from mops.maturity_guidance, and nothing more');
SELECT results_eq(
    $$SELECT s::text::mops.maturity_stage, p
        FROM generate_series(1, 5) s,
             unnest(ARRAY['overall', 'business_leadership', 'customer_experience', 'marketing_tactics',
                          'tools_technology', 'project_management', 'team']) p
       ORDER BY 1, 2$$,
    $$SELECT stage, pillar FROM mops.maturity_guidance ORDER BY 1, 2$$,
    'maturity_guidance has one row for every stage × (overall and the six pillars)');
SELECT is((SELECT count(*) FROM mops.maturity_guidance WHERE length(guidance) < 80), 0::bigint,
          'every guidance text says something (80 characters at least)');

-- ---------------------------------------------------------------------------
-- Errors
-- ---------------------------------------------------------------------------
SELECT throws_ok($$SELECT mops.maturity_assess('brand', 3)$$, '22023',
                 'unknown maturity pillar "brand"', 'unknown pillar: 22023');
SELECT is((pg_temp.diag($$SELECT mops.maturity_assess('brand', 3)$$))[3],
          'The pillars are business_leadership, customer_experience, marketing_tactics, tools_technology, project_management and team; the underpinnings audit, analytics and optimisation (or optimization) may also be scored.',
          'unknown pillar: the detail lists the accepted names');
SELECT throws_ok($$SELECT mops.maturity_assess('', 3)$$, '22023',
                 'unknown maturity pillar ""', 'empty pillar: 22023');
SELECT throws_ok($$SELECT mops.maturity_assess('overall', 3)$$, '22023',
                 'unknown maturity pillar "overall"', 'overall is no pillar: 22023');
SELECT throws_ok($$SELECT mops.maturity_assess('team', 0.999999)$$, '22003',
                 'maturity score 0.999999 is out of range', 'score just below 1: 22003');
SELECT throws_ok($$SELECT mops.maturity_assess('team', 5.000001)$$, '22003',
                 'maturity score 5.000001 is out of range', 'score just above 5: 22003');
SELECT throws_ok($$SELECT mops.maturity_assess('team', 5.0000001)$$, '22003',
                 'maturity score 5.0000001 is out of range', 'score above 5 in the 7th decimal: 22003, not 22023');
SELECT throws_ok($$SELECT mops.maturity_assess('team', -0.0)$$, '22003',
                 'maturity score 0.0 is out of range', 'score 0: 22003');
SELECT throws_ok($$SELECT mops.maturity_assess('team', 'NaN')$$, '22003',
                 'maturity score NaN is out of range', 'NaN: 22003');
SELECT throws_ok($$SELECT mops.maturity_assess('team', '-Infinity')$$, '22003',
                 'maturity score -Infinity is out of range', '-Infinity: 22003');
SELECT throws_ok($$SELECT mops.maturity_assess('team', 1e100)$$, '22003', NULL, 'a huge score: 22003');
SELECT throws_ok($$SELECT mops.maturity_assess('team', 3.0000005)$$, '22023',
                 'maturity score 3.0000005 has more than 6 decimal places', '7 decimals: 22023');
SELECT is((pg_temp.diag($$SELECT mops.maturity_assess('team', 3.0000005)$$))[4],
          'Round the score first, e.g. round(score, 6).', '7 decimals: the hint says how to round');
SELECT throws_ok($$SELECT 'team 1 3; team 1 3'::mops.maturity_state$$, '22P02',
                 'invalid input syntax for type maturity_state: "team 1 3; team 1 3"', 'state text: duplicate area 22P02');
SELECT throws_ok($$SELECT 'team 0 0'::mops.maturity_state$$, '22P02', NULL, 'state text: zero answers 22P02');
SELECT throws_ok($$SELECT 'team 2 1.5'::mops.maturity_state$$, '22P02', NULL, 'state text: a sum below count × 1 is 22P02');
SELECT throws_ok($$SELECT 'team 1 3.0000001'::mops.maturity_state$$, '22P02', NULL, 'state text: 7 decimals 22P02');
SELECT throws_ok($$SELECT 'team -1 3'::mops.maturity_state$$, '22P02', NULL, 'state text: negative count 22P02');
SELECT throws_ok($$SELECT 'team 99999999999999999999 3'::mops.maturity_state$$, '22P02', NULL,
                 'state text: count out of range 22P02');
SELECT throws_ok($$SELECT mops.maturity_state_combine('team 1844674407370 9223372036850', 'team 1 5')$$,
                 '54000', 'too many maturity answers', 'combining past the 64-bit sums: 54000');

-- Accepted neighbours of the errors.
SELECT is((mops.maturity_assess('team', 1)).score, 1::numeric, 'score 1 is accepted');
SELECT is((mops.maturity_assess('team', 5.0000000)).score, 5::numeric, 'score 5.0000000 is accepted');
SELECT is((mops.maturity_assess('Team', 1.000001)).score, 1.000001, 'score 1.000001 is accepted');
SELECT is((mops.maturity_assess('TOOLS-technology', 2)).weakest_pillar, 'tools_technology',
          'pillar names are normalised');
SELECT is((mops.maturity_assess('optimization', 2)).pillar_scores, '{"optimisation": 2}'::jsonb,
          'optimization is the underpinning optimisation');
SELECT is(mops.maturity_assess(p, s), NULL, 'no rows: NULL') FROM (SELECT 'team'::text, 1::numeric WHERE false) v(p, s);

-- ---------------------------------------------------------------------------
-- Properties over 300 pseudo-random teams
-- ---------------------------------------------------------------------------
SELECT setseed(0.1966);
-- Each team has a level L (uniform on 1-5) and answers each area with
-- probability 0.8, with 1-4 answers per area scored around L (L ± 1, kept
-- within 1-5) as whole numbers, one decimal or six decimals.  (The lateral
-- subqueries mention the outer columns so that random() runs per row.)
CREATE TEMP TABLE rnd ON COMMIT DROP AS
SELECT t.team, area, s.score
  FROM (SELECT team, 1 + random() * 4 AS level FROM generate_series(1, 300) team) t
 CROSS JOIN unnest(ARRAY['business_leadership', 'customer_experience', 'marketing_tactics',
                         'tools_technology', 'project_management', 'team',
                         'audit', 'analytics', 'optimisation']) area
 CROSS JOIN LATERAL (SELECT random() < 0.8 AS present, 1 + floor(random() * 4)::int AS n
                      WHERE area IS NOT NULL AND t.team IS NOT NULL) a
 CROSS JOIN LATERAL generate_series(1, a.n) k
 CROSS JOIN LATERAL (SELECT least(5, greatest(1, t.level + random() * 2 - 1 + 0 * k)) AS x) r
 CROSS JOIN LATERAL (SELECT CASE floor(random() * 3 + 0 * r.x)
                              WHEN 0 THEN round(r.x)::numeric
                              WHEN 1 THEN round(r.x::numeric, 1)
                              ELSE round(r.x::numeric, 6) END AS score) s
 WHERE a.present;

-- The oracle, from the sums S and counts c per area (exact numeric):
-- area score S/c; overall = (Σ_p S_p/c_p)/k over the k pillars present,
-- as the exact fraction N/D with N = Σ_p S_p Π_{q≠p} c_q, D = k Π_q c_q;
-- stage = 1 + #{b ∈ 1.8, 2.6, 3.4, 4.2 : N >= b D}; weakest = the first
-- pillar p with S_p c_w < S_w c_p strictly lower than all before it; its
-- stage by S_p >= b c_p; decimals floor(x · 10^16) / 10^16 without trailing zeros.
CREATE FUNCTION pg_temp.oracle(areas text[], sums numeric[], counts bigint[])
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    pillars text[] := ARRAY['business_leadership', 'customer_experience', 'marketing_tactics',
                            'tools_technology', 'project_management', 'team'];
    b numeric[] := ARRAY[1.8, 2.6, 3.4, 4.2];
    n numeric := 0;
    d numeric := 1;
    k int := 0;
    w int;
    i int;
    stage int := 1;
    wstage int := 1;
    scores jsonb := '{}';
    p text;
BEGIN
    FOR i IN 1 .. coalesce(array_length(areas, 1), 0) LOOP
        scores := scores || jsonb_build_object(areas[i],
                  trim_scale(div(sums[i] * 1e16, counts[i]) / 1e16));
    END LOOP;
    FOREACH p IN ARRAY pillars LOOP
        i := array_position(areas, p);
        CONTINUE WHEN i IS NULL;
        k := k + 1;
        n := n * counts[i] + sums[i] * d;
        d := d * counts[i];
        IF w IS NULL OR sums[i] * counts[w] < sums[w] * counts[i] THEN
            w := i;
        END IF;
    END LOOP;
    IF k = 0 THEN
        RETURN ROW(NULL::mops.maturity_stage, NULL::numeric, NULL::text, scores, false)::mops.maturity::text;
    END IF;
    d := d * k;
    FOR i IN 1 .. 4 LOOP
        IF n >= b[i] * d THEN stage := stage + 1; END IF;
        IF sums[w] >= b[i] * counts[w] THEN wstage := wstage + 1; END IF;
    END LOOP;
    RETURN ROW(least(stage, wstage + 1)::text::mops.maturity_stage,
               trim_scale(div(n * 1e16, d) / 1e16), areas[w], scores, k = 6)::mops.maturity::text;
END
$$;

CREATE TEMP TABLE rnd_sums ON COMMIT DROP AS
SELECT team, area, sum(score) AS s, count(*) AS c,
       array_position(ARRAY['business_leadership', 'customer_experience', 'marketing_tactics',
                            'tools_technology', 'project_management', 'team',
                            'audit', 'analytics', 'optimisation'], area) AS pos
  FROM rnd GROUP BY team, area;

SELECT cmp_ok((SELECT count(DISTINCT team) FROM rnd), '>=', 295::bigint,
              'the random data has teams (nearly all 300)');
SELECT results_eq(
    $$SELECT team, mops.maturity_assess(area, score)::text FROM rnd GROUP BY team ORDER BY team$$,
    $$SELECT team, pg_temp.oracle(array_agg(area ORDER BY pos), array_agg(s ORDER BY pos),
                                  array_agg(c ORDER BY pos))
        FROM rnd_sums GROUP BY team ORDER BY team$$,
    'maturity_assess agrees with the exact oracle on 300 random teams');
SELECT is((SELECT count(DISTINCT st) FROM (SELECT (mops.maturity_assess(area, score)).stage st
                                              FROM rnd GROUP BY team) x), 5::bigint,
          'the random teams cover all five stages');
SELECT ok((SELECT bool_or(NOT (m).complete) AND bool_or((m).complete)
             FROM (SELECT mops.maturity_assess(area, score) m FROM rnd GROUP BY team) x),
          'the random teams include complete and incomplete assessments');

-- Combine: the state of a team's answers split in two (built from its text
-- form) combines to the state of all of them.
CREATE FUNCTION pg_temp.state_text(t int, half int) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(area || ' ' || c || ' ' || s, '; '), '')
      FROM (SELECT area, count(*) AS c, sum(score) AS s
              FROM (SELECT area, score, row_number() OVER () AS r FROM rnd WHERE team = t) x
             WHERE r % 2 = half GROUP BY area) y
$$;
SELECT results_eq(
    $$SELECT team, mops.maturity_assess_final(mops.maturity_state_combine(
                 pg_temp.state_text(team, 0)::mops.maturity_state,
                 pg_temp.state_text(team, 1)::mops.maturity_state))::text
        FROM generate_series(1, 300) team WHERE team IN (SELECT team FROM rnd) ORDER BY team$$,
    $$SELECT team, mops.maturity_assess(area, score)::text FROM rnd GROUP BY team ORDER BY team$$,
    'combining the states of two halves gives the assessment of all answers');
SELECT results_eq(
    $$SELECT pg_temp.state_text(team, 0)::mops.maturity_state::text FROM generate_series(1, 40) team$$,
    $$SELECT pg_temp.state_text(team, 0)::mops.maturity_state::text::mops.maturity_state::text
        FROM generate_series(1, 40) team$$,
    'maturity_state text output reads back to the same state');

SELECT * FROM finish();
ROLLBACK;
