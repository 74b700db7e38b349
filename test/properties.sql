-- pgTAP: properties that hold over whole domains (every built-in funnel stage,
-- every pair of them, every maturity stage, a few thousand generated labels),
-- each checked as one test that lists its counterexamples.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
-- the comparison operators of mops types live in schema mops
SET LOCAL search_path = public, mops;

SELECT plan(48);

-- ---------------------------------------------------------------------------
-- The domain: every built-in stage, from each model's funnel_stages()
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE builtin ON COMMIT DROP AS
SELECT m.model_order, m.model, f.pos::integer AS pos, f.s
  FROM (VALUES (1, 'aida'), (2, 'lifecycle'), (3, 'journey'), (4, 'tofu'), (5, 'aarrr'))
       AS m(model_order, model),
       mops.funnel_stages(m.model) WITH ORDINALITY AS f(s, pos);
-- Every ordered pair of built-in stages
CREATE TEMP VIEW pairs AS
SELECT a.s AS a, b.s AS b,
       a.model_order AS ma, a.pos AS pa, b.model_order AS mb, b.pos AS pb
  FROM builtin a CROSS JOIN builtin b;

SELECT is((SELECT array_agg(s::text ORDER BY model_order, pos) FROM builtin),
          ARRAY['aida:awareness', 'aida:interest', 'aida:desire', 'aida:action', 'aida:loyalty',
                'lifecycle:subscriber', 'lifecycle:lead', 'lifecycle:mql', 'lifecycle:sql',
                'lifecycle:opportunity', 'lifecycle:customer', 'lifecycle:evangelist',
                'journey:awareness', 'journey:consideration', 'journey:conversion',
                'journey:retention', 'journey:advocacy',
                'tofu:tofu', 'tofu:mofu', 'tofu:bofu',
                'aarrr:acquisition', 'aarrr:activation', 'aarrr:retention', 'aarrr:referral',
                'aarrr:revenue'],
          'funnel_stages gives the built-in models of DESIGN §3.2, in order');

-- ---------------------------------------------------------------------------
-- Per-stage properties
-- ---------------------------------------------------------------------------
SELECT is((SELECT array_agg(s::text) FROM builtin WHERE s::text::mops.funnel_stage IS DISTINCT FROM s),
          NULL, 'text round trip: s::text::funnel_stage = s for every built-in stage');
SELECT is((SELECT array_agg(s::text) FROM builtin
            WHERE (upper(model) || ' : ' || upper(split_part(s::text, ':', 2)) || ' ')::mops.funnel_stage
                  IS DISTINCT FROM s),
          NULL, 'input is case- and space-insensitive for every built-in stage');
SELECT is((SELECT array_agg(s::text) FROM builtin WHERE mops.stage_model(s) IS DISTINCT FROM model),
          NULL, 'stage_model(s) is the model s came from');
SELECT is((SELECT array_agg(s::text) FROM builtin WHERE s::text NOT LIKE mops.stage_model(s) || ':%'),
          NULL, 'the text form starts with stage_model(s) and a colon');
SELECT is((SELECT array_agg(s::text) FROM builtin
            WHERE NOT (mops.stage_position(s) BETWEEN 1 AND mops.stage_count(mops.stage_model(s)))),
          NULL, 'stage_position(s) is between 1 and stage_count(stage_model(s))');
SELECT is((SELECT array_agg(s::text) FROM builtin WHERE mops.stage_position(s) IS DISTINCT FROM pos),
          NULL, 'stage_position(s) is the position in funnel_stages()');
SELECT is((SELECT array_agg(model) FROM (SELECT model, count(*) AS n FROM builtin GROUP BY model) c
            WHERE mops.stage_count(model) IS DISTINCT FROM n::integer),
          NULL, 'stage_count(model) is the number of rows of funnel_stages(model)');
SELECT is((SELECT array_agg(s::text) FROM builtin
            WHERE (mops.next_stage(s) IS NULL) <> (pos = mops.stage_count(model))),
          NULL, 'next_stage(s) is NULL iff s is the last stage of its model');
SELECT is((SELECT array_agg(s::text) FROM builtin b
            WHERE mops.next_stage(s) IS DISTINCT FROM
                  (SELECT n.s FROM builtin n WHERE n.model = b.model AND n.pos = b.pos + 1)),
          NULL, 'next_stage(s) is the following row of funnel_stages()');
SELECT is((SELECT array_agg(s::text) FROM builtin
            WHERE mops.next_stage(s) IS NOT NULL
              AND mops.stage_distance(s, mops.next_stage(s)) IS DISTINCT FROM 1),
          NULL, 'stage_distance(s, next_stage(s)) = 1');
SELECT is((SELECT array_agg(s::text) FROM builtin
            WHERE mops.next_stage(s) IS NOT NULL AND NOT (s < mops.next_stage(s))),
          NULL, 's < next_stage(s)');
SELECT is((SELECT array_agg(s::text) FROM builtin WHERE mops.stage_distance(s, s) <> 0),
          NULL, 'stage_distance(s, s) = 0');
SELECT is((SELECT array_agg(s::text) FROM builtin
            WHERE mops.funnel_stage_send(s) IS DISTINCT FROM
                  '\x01'::bytea || convert_to(model, 'UTF8') || '\x00'::bytea
                  || convert_to(split_part(s::text, ':', 2), 'UTF8') || '\x00'::bytea),
          NULL, 'binary form: version 1, model name, NUL, stage name, NUL');

-- ---------------------------------------------------------------------------
-- Pairwise properties: ordering, comparison, distance, hashing
-- ---------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM pairs), 625::bigint, 'all 625 ordered pairs of built-in stages');
SELECT is((SELECT array_agg(a::text || ' ' || b::text) FROM pairs
            WHERE (a < b) IS DISTINCT FROM ((ma, pa) < (mb, pb))),
          NULL, 'a < b iff (model order, position) of a < that of b (aida, lifecycle, journey, tofu, aarrr)');
SELECT is((SELECT array_agg(a::text || ' ' || b::text) FROM pairs
            WHERE (a <= b) IS DISTINCT FROM ((ma, pa) <= (mb, pb))
               OR (a > b) IS DISTINCT FROM ((ma, pa) > (mb, pb))
               OR (a >= b) IS DISTINCT FROM ((ma, pa) >= (mb, pb))),
          NULL, '<=, >, >= agree with (model order, position)');
SELECT is((SELECT array_agg(a::text || ' ' || b::text) FROM pairs
            WHERE (a = b) IS DISTINCT FROM ((ma, pa) = (mb, pb))
               OR (a <> b) IS DISTINCT FROM ((ma, pa) <> (mb, pb))),
          NULL, '= and <> agree with (model order, position)');
SELECT is((SELECT array_agg(a::text || ' ' || b::text) FROM pairs
            WHERE mops.funnel_stage_cmp(a, b) IS DISTINCT FROM
                  CASE WHEN (ma, pa) < (mb, pb) THEN -1 WHEN (ma, pa) > (mb, pb) THEN 1 ELSE 0 END),
          NULL, 'funnel_stage_cmp is -1, 0 or 1 as (model order, position) compare');
SELECT is((SELECT array_agg(a::text || ' ' || b::text) FROM pairs
            WHERE mops.funnel_stage_cmp(a, b) IS DISTINCT FROM -mops.funnel_stage_cmp(b, a)),
          NULL, 'funnel_stage_cmp is antisymmetric: cmp(a, b) = -cmp(b, a)');
SELECT is((SELECT array_agg(a::text || ' ' || b::text) FROM pairs
            WHERE (a = b) IS DISTINCT FROM
                  (mops.funnel_stage_hash(a) = mops.funnel_stage_hash(b) AND a::text = b::text)),
          NULL, 'a = b iff their hashes and their texts are equal');
SELECT is((SELECT array_agg(s::text) FROM builtin
            WHERE (mops.funnel_stage_hash_extended(s, 0) & 4294967295)
                  <> (mops.funnel_stage_hash(s)::bigint & 4294967295)),
          NULL, 'funnel_stage_hash_extended(s, 0) agrees with funnel_stage_hash(s) in its low 32 bits');
SELECT is((SELECT array_agg(a::text || ' ' || b::text) FROM pairs
            WHERE ma = mb AND (mops.stage_distance(a, b) IS DISTINCT FROM pb - pa
                               OR mops.stage_distance(a, b) IS DISTINCT FROM -mops.stage_distance(b, a))),
          NULL, 'within a model, stage_distance(a, b) = position(b) - position(a) = -stage_distance(b, a)');
SELECT is((SELECT array_agg(a::text || ' ' || b::text) FROM pairs
            WHERE mops.funnel_stage_larger(a, b) IS DISTINCT FROM CASE WHEN a >= b THEN a ELSE b END
               OR mops.funnel_stage_smaller(a, b) IS DISTINCT FROM CASE WHEN a <= b THEN a ELSE b END),
          NULL, 'funnel_stage_larger/smaller pick the greater/lesser of every pair');
SELECT is((SELECT array_agg(s::text ORDER BY s) FROM builtin),
          (SELECT array_agg(s::text ORDER BY model_order, pos) FROM builtin),
          'ORDER BY funnel_stage sorts by model order, then position');
SELECT is((SELECT count(DISTINCT s) FROM builtin), 25::bigint,
          'DISTINCT (sort or hash) keeps the 25 built-in stages apart (awareness and retention occur twice)');

-- ---------------------------------------------------------------------------
-- max / min over subsets
-- ---------------------------------------------------------------------------
-- 500 deterministic subsets of the built-in stages (md5 of subset number and stage)
CREATE TEMP TABLE subsets ON COMMIT DROP AS
SELECT k, b.s
  FROM generate_series(1, 500) AS k, builtin b
 WHERE get_byte(decode(md5(k::text || '/' || b.s::text), 'hex'), 0) < 16 + (k % 8) * 32;

SELECT is((SELECT array_agg(k) FROM (
             SELECT k, mops.max(s) AS mx, mops.min(s) AS mn,
                    (array_agg(s ORDER BY s DESC))[1] AS last, (array_agg(s ORDER BY s))[1] AS first
               FROM subsets GROUP BY k) g
            WHERE mx IS DISTINCT FROM last OR mn IS DISTINCT FROM first),
          NULL, 'funnel_stage: max/min of each subset = last/first in ORDER BY');
SELECT cmp_ok((SELECT count(DISTINCT k) FROM subsets), '>', 400::bigint,
              'the subsets are not empty (at least 400 of 500)');
SELECT is((SELECT mops.max(s) FROM builtin WHERE false), NULL, 'max of no stages is NULL');
SELECT is((SELECT mops.max(s) FROM (SELECT s FROM builtin UNION ALL SELECT NULL) t),
          'aarrr:revenue'::mops.funnel_stage, 'max ignores NULLs');

-- maturity_stage: every one of the 31 non-empty subsets of the five stages
CREATE TEMP TABLE maturity ON COMMIT DROP AS
SELECT n, n::text::mops.maturity_stage AS m FROM generate_series(1, 5) n;
SELECT is((SELECT array_agg(mask) FROM (
             SELECT mask, mops.max(m) AS mx, mops.min(m) AS mn,
                    (array_agg(m ORDER BY m DESC))[1] AS last, (array_agg(m ORDER BY m))[1] AS first
               FROM generate_series(1, 31) mask
               JOIN maturity ON mask & (1 << (n - 1)) <> 0
              GROUP BY mask) g
            WHERE mx IS DISTINCT FROM last OR mn IS DISTINCT FROM first),
          NULL, 'maturity_stage: max/min of each of the 31 subsets = last/first in ORDER BY');

-- ---------------------------------------------------------------------------
-- maturity_stage
-- ---------------------------------------------------------------------------
SELECT is((SELECT array_agg(m::text ORDER BY n) FROM maturity),
          ARRAY['foundations', 'alignment', 'optimisation', 'integration', 'transformation'],
          '''1''..''5'' are the five stages in order');
SELECT is((SELECT array_agg(n) FROM maturity WHERE m::integer IS DISTINCT FROM n),
          NULL, 'the cast to integer inverts the numbers: n::text::maturity_stage::integer = n');
SELECT is((SELECT array_agg(n) FROM maturity WHERE m::text::mops.maturity_stage IS DISTINCT FROM m
                                                 OR upper(m::text)::mops.maturity_stage IS DISTINCT FROM m
                                                 OR (' ' || m::text || ' ')::mops.maturity_stage IS DISTINCT FROM m),
          NULL, 'text round trip, case- and space-insensitive, for every stage');
SELECT is('optimization'::mops.maturity_stage, 'optimisation'::mops.maturity_stage,
          'optimization is optimisation');
SELECT is((SELECT array_agg(a.n || ' ' || b.n) FROM maturity a, maturity b
            WHERE (a.m < b.m) IS DISTINCT FROM (a.n < b.n)
               OR (a.m = b.m) IS DISTINCT FROM (a.n = b.n)
               OR (a.m >= b.m) IS DISTINCT FROM (a.n >= b.n)
               OR mops.maturity_stage_cmp(a.m, b.m) IS DISTINCT FROM sign(a.n - b.n)::integer
               OR mops.maturity_stage_cmp(a.m, b.m) IS DISTINCT FROM -mops.maturity_stage_cmp(b.m, a.m)
               OR (a.m = b.m) IS DISTINCT FROM (mops.maturity_stage_hash(a.m) = mops.maturity_stage_hash(b.m)
                                                AND a.m::text = b.m::text)),
          NULL, 'maturity_stage: comparison, cmp and hash agree with the stage numbers for all 25 pairs');
SELECT is((SELECT array_agg(n) FROM maturity
            WHERE mops.maturity_stage_send(m) IS DISTINCT FROM '\x01'::bytea || set_byte('\x00'::bytea, 0, n)),
          NULL, 'maturity_stage binary form: version 1, then the stage number');

-- ---------------------------------------------------------------------------
-- normalize_label over generated strings
-- ---------------------------------------------------------------------------
-- 4000 strings of 4-31 characters drawn from letters, separators and
-- characters that NFKC case folding changes; md5 makes them reproducible.
-- A failing test shows its first 10 counterexamples.
CREATE TEMP TABLE alphabet ON COMMIT DROP AS
SELECT row_number() OVER () - 1 AS i, c
  FROM unnest(ARRAY['a', 'b', 'Z', 'Q', 'x', 'M', '7', ' ', ' ', E'\t', E'\n', '-', '-', '_', '_',
                    'É', 'é', 'ß', 'Ａ', 'ｚ', 'Ｍ', '１', U&'\00A0', U&'\2014', U&'\3000', U&'\FF0D',
                    'ﬁ', 'Ⅸ', U&'\2013', 'İ', U&'\00B2', 'Σ']) AS c;
CREATE TEMP TABLE labels ON COMMIT DROP AS
SELECT g AS id, x, mops.normalize_label(x) AS n
  FROM (SELECT g, (SELECT string_agg(a.c, '' ORDER BY j)
                     FROM generate_series(1, 4 + get_byte(decode(md5('len' || g), 'hex'), 0) % 28) j
                     JOIN alphabet a
                       ON a.i = get_byte(decode(md5(g || ':' || j), 'hex'), 0)
                                % (SELECT count(*) FROM alphabet)) AS x
          FROM generate_series(1, 4000) g) t;
-- The separators of the alphabet as a regular-expression bracket: white
-- space, '_' and dashes; and without '_' (what the output must not contain).
CREATE FUNCTION pg_temp.seps() RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT '[_ \t\n\u00a0\u3000\u2013\u2014\uff0d-]' $$;
CREATE FUNCTION pg_temp.space_or_dash() RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT '[ \t\n\u00a0\u3000\u2013\u2014\uff0d-]' $$;
-- A counterexample, as shown in a failure message.
CREATE FUNCTION pg_temp.ex(l labels) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT format('%s: %L -> %L', l.id, l.x, l.n) $$;

SELECT cmp_ok((SELECT count(DISTINCT x) FROM labels), '>', 3900::bigint,
              'the 4000 generated labels are (nearly all) distinct');
SELECT cmp_ok((SELECT count(*) FROM labels
                WHERE x ~ ('^' || pg_temp.seps()) OR x ~ (pg_temp.seps() || '$')
                   OR x ~ (pg_temp.seps() || pg_temp.seps())),
              '>', 1000::bigint, 'many generated labels have leading, trailing or repeated separators');
SELECT is((SELECT (array_agg(pg_temp.ex(l) ORDER BY id))[1:10] FROM labels l
            WHERE mops.normalize_label(n) IS DISTINCT FROM n),
          NULL, 'normalize_label is idempotent');
SELECT is((SELECT (array_agg(pg_temp.ex(l) ORDER BY id))[1:10] FROM labels l
            WHERE n LIKE '\_%' OR n LIKE '%\_' OR n LIKE '%\_\_%'),
          NULL, 'normalize_label output has no leading, trailing or doubled underscore');
SELECT is((SELECT (array_agg(pg_temp.ex(l) ORDER BY id))[1:10] FROM labels l
            WHERE n ~ pg_temp.space_or_dash()),
          NULL, 'normalize_label output has no white space and no dash');
SELECT is((SELECT (array_agg(pg_temp.ex(l) ORDER BY id))[1:10] FROM labels l
            WHERE n ~ '[A-ZÉßＡ-Ｚａ-ｚ１ﬁⅨΣ²]'),
          NULL, 'normalize_label output has no upper case, full-width letters, ß or compatibility forms');
SELECT is((SELECT (array_agg(pg_temp.ex(l) ORDER BY id))[1:10] FROM labels l
            WHERE mops.normalize_label(regexp_replace(x, pg_temp.seps(), ' ', 'g')) IS DISTINCT FROM n
               OR mops.normalize_label(regexp_replace(x, pg_temp.seps() || '+', '-', 'g')) IS DISTINCT FROM n),
          NULL, 'normalize_label does not care which separators separate the words, nor how many');
SELECT is((SELECT (array_agg(format('%s: %L + %L', a.id, a.x, b.x) ORDER BY a.id))[1:10]
             FROM labels a JOIN labels b ON b.id = a.id % 4000 + 1
            WHERE mops.normalize_label(a.x || ' ' || b.x)
                  IS DISTINCT FROM concat_ws('_', nullif(a.n, ''), nullif(b.n, ''))),
          NULL, 'normalize_label(x || '' '' || y) = normalize_label(x) || ''_'' || normalize_label(y) (empty parts dropped)');
SELECT is((SELECT (array_agg(pg_temp.ex(l) ORDER BY id))[1:10] FROM labels l
            WHERE (n = '') <> (x ~ ('^' || pg_temp.seps() || '*$'))),
          NULL, 'normalize_label is empty iff the input is separators only');

-- DESIGN §2 and §3.1
SELECT is((SELECT array_agg(DISTINCT mops.normalize_label(v))
             FROM unnest(ARRAY['Paid Social', 'paid_social', 'PAID-SOCIAL', ' paid  social ',
                               E'Paid\tSocial', 'Ｐａｉｄ　Ｓｏｃｉａｌ', 'paid—social']) v),
          ARRAY['paid_social'], 'the spellings of Paid Social are one channel');
SELECT is(mops.normalize_label('ÉMAIL'), 'émail', 'normalize_label(''ÉMAIL'') = ''émail''');

SELECT * FROM finish();
ROLLBACK;
