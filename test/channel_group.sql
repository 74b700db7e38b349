-- pgTAP: channel_group and mops.source_category (DESIGN §3.4,
-- doc/channel_group.md): signature and function properties, the table, its
-- dump registration and grants, the seeded rows, the guard trigger, and
-- properties over every combination of source, medium and campaign drawn
-- from GA4-spelled pools (checked against an oracle transcribed from GA4's
-- rules) and over generated junk.  Everything runs in one transaction that is
-- rolled back.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SET LOCAL search_path = public, pg_catalog;

SELECT plan(41);

-- diag(sql): {sqlstate, message, detail, hint} of the error sql raises
\ir lib/diag.sql

\set groups '''{Direct,"Organic Search","Paid Search","Organic Social","Paid Social",Email,Affiliates,Referral,Display,"Organic Video","Paid Video",Audio,SMS,"Organic Shopping","Paid Shopping",Cross-network,Unassigned}''::text[]'

-- ---------------------------------------------------------------------------
-- The function
-- ---------------------------------------------------------------------------
SELECT has_function('mops', 'channel_group', ARRAY['text', 'text', 'text'],
                    'channel_group(text, text, text) exists');
SELECT function_returns('mops', 'channel_group', ARRAY['text', 'text', 'text'], 'text');
SELECT volatility_is('mops', 'channel_group', ARRAY['text', 'text', 'text'], 'stable',
                     'channel_group is STABLE (it reads mops.source_category)');
SELECT isnt_strict('mops', 'channel_group', ARRAY['text', 'text', 'text'],
                   'channel_group is not STRICT (NULL source and medium are Direct)');
SELECT is((SELECT proparallel FROM pg_proc
            WHERE oid = 'mops.channel_group(text, text, text)'::regprocedure),
          's', 'channel_group is PARALLEL SAFE');
SELECT is((SELECT pg_get_expr(proargdefaults, 0) FROM pg_proc
            WHERE oid = 'mops.channel_group(text, text, text)'::regprocedure),
          'NULL::text', 'campaign defaults to NULL');
SELECT is((SELECT array_agg(n ORDER BY n) FROM unnest((SELECT proargnames FROM pg_proc
            WHERE oid = 'mops.channel_group(text, text, text)'::regprocedure)) n),
          '{campaign,medium,source}'::text[], 'the arguments are named source, medium, campaign');

-- ---------------------------------------------------------------------------
-- The table
-- ---------------------------------------------------------------------------
SELECT has_table('mops', 'source_category', 'table mops.source_category exists');
SELECT col_is_pk('mops', 'source_category', 'source', 'source is the primary key');
SELECT columns_are('mops', 'source_category', ARRAY['source', 'category', 'builtin'],
                   'source_category has the columns source, category, builtin');
SELECT col_not_null('mops', 'source_category', 'category', 'category is NOT NULL');
SELECT col_not_null('mops', 'source_category', 'builtin', 'builtin is NOT NULL');
SELECT col_default_is('mops', 'source_category', 'builtin', 'false', 'builtin defaults to false');
SELECT ok((SELECT 'mops.source_category'::regclass = ANY (extconfig)
             FROM pg_extension WHERE extname = 'mops'),
          'mops.source_category is registered with pg_extension_config_dump');
SELECT is((SELECT extcondition[array_position(extconfig, 'mops.source_category'::regclass)]
             FROM pg_extension WHERE extname = 'mops'),
          'WHERE NOT builtin', 'pg_dump keeps only the rows users add (WHERE NOT builtin)');
SELECT is((SELECT array_agg(x.privilege_type::text ORDER BY x.privilege_type)
             FROM pg_class c, aclexplode(c.relacl) x
            WHERE c.oid = 'mops.source_category'::regclass AND x.grantee = 0),
          ARRAY['SELECT'], 'PUBLIC may SELECT from mops.source_category, and nothing more');
SELECT is((SELECT array_agg(p ORDER BY p) FROM pg_extension e, unnest(ARRAY['INSERT', 'UPDATE', 'DELETE']) p
            WHERE e.extname = 'mops'
              AND NOT has_table_privilege(e.extowner, 'mops.source_category', p || ' WITH GRANT OPTION')),
          NULL, 'the role that created the extension may add, change and delete rows, and grant that');
SELECT trigger_is('mops', 'source_category', 'source_category_guard', 'mops', 'source_category_guard',
                  'source_category has the row guard trigger');
SELECT trigger_is('mops', 'source_category', 'source_category_guard_truncate', 'mops', 'source_category_guard',
                  'source_category has the TRUNCATE guard trigger');

-- ---------------------------------------------------------------------------
-- The seeded rows
-- ---------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM mops.source_category WHERE NOT builtin), 0::bigint,
          'a fresh install has only seeded rows');
SELECT is((SELECT array_agg(DISTINCT category ORDER BY category) FROM mops.source_category),
          ARRAY['search', 'shopping', 'social', 'video'],
          'every seeded row has one of the four categories, and each category is used');
SELECT is((SELECT array_agg(category ORDER BY category) FROM
             (SELECT category FROM mops.source_category GROUP BY category HAVING count(*) < 20) s),
          NULL, 'each category has at least 20 seeded sources');
SELECT is((SELECT array_agg(source ORDER BY source) FROM mops.source_category
            WHERE source IS DISTINCT FROM nullif(mops.normalize_label(source), '')),
          NULL, 'every seeded source is in canonical form (normalize_label output, not empty)');
SELECT is((SELECT array_agg(source || ' -> ' || g ORDER BY source) FROM
             (SELECT source, mops.channel_group(source, 'referral') AS g,
                     CASE category WHEN 'search' THEN 'Organic Search' WHEN 'social' THEN 'Organic Social'
                                   WHEN 'shopping' THEN 'Organic Shopping' ELSE 'Organic Video' END AS want
                FROM mops.source_category) s
            WHERE g IS DISTINCT FROM want),
          NULL, 'every seeded source with medium referral gives the organic group of its category');
SELECT is((SELECT array_agg(source || ' -> ' || g ORDER BY source) FROM
             (SELECT source, mops.channel_group(upper(source), 'CPC') AS g,
                     CASE category WHEN 'search' THEN 'Paid Search' WHEN 'social' THEN 'Paid Social'
                                   WHEN 'shopping' THEN 'Paid Shopping' ELSE 'Paid Video' END AS want
                FROM mops.source_category) s
            WHERE g IS DISTINCT FROM want),
          NULL, 'every seeded source, upper-cased, with medium CPC gives the paid group of its category');

-- ---------------------------------------------------------------------------
-- Properties over every combination of the pools below (GA4 spellings, ASCII)
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE pool ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY s.i, m.i, c.i) AS id, s.v AS source, m.v AS medium, c.v AS campaign
  FROM unnest(ARRAY[NULL, '', '(direct)', '(not set)', 'google', 'bing.com', 'facebook',
                    'l.facebook.com', 't.co', 'youtube', 'vimeo.com', 'amazon', 'etsy.com',
                    'example.com', 'newsletter', 'email', 'e-mail', 'sms', 'firebase',
                    'partner.example']) WITH ORDINALITY AS s(v, i),
       unnest(ARRAY[NULL, '', '(none)', '(not set)', 'cpc', 'ppc', 'paid', 'paidsearch',
                    'paid-social', 'retargeting', 'cpm', 'cpv', 'display', 'banner', 'expandable',
                    'interstitial', 'organic', 'social', 'social-network', 'social media', 'sm',
                    'video', 'referral', 'app', 'link', 'email', 'e-mail', 'e mail', 'affiliate',
                    'audio', 'sms', 'push', 'mobile', 'notification', 'other']) WITH ORDINALITY AS m(v, i),
       unnest(ARRAY[NULL, '', 'spring', 'cross-network', 'brand cross-network q3', 'shop', 'eshop',
                    'workshop', 'shopping', 'summer_shop', 'x-shopping', 'bookshop']) WITH ORDINALITY AS c(v, i);

-- The oracle: GA4's rules as GA4 writes them (regexes on the lower-cased
-- values), first match wins, with mops's documented choices for absent
-- values (NULL or '' is (direct) / (none)).  It returns GA4's names; mops has
-- no Paid Other or Mobile Push Notifications and gives Unassigned for them.
CREATE FUNCTION pg_temp.ga4(src text, med text, camp text) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN coalesce(s, '') IN ('', '(direct)') AND coalesce(m, '') IN ('', '(none)', '(not set)') THEN 'Direct'
        WHEN coalesce(c, '') ~ 'cross-network' THEN 'Cross-network'
        WHEN (cat = 'shopping' OR coalesce(c, '') ~ '^(.*(([^a-df-z]|^)shop|shopping).*)$')
             AND coalesce(m, '') ~ '^(.*cp.*|ppc|retargeting|paid.*)$' THEN 'Paid Shopping'
        WHEN cat = 'search' AND coalesce(m, '') ~ '^(.*cp.*|ppc|retargeting|paid.*)$' THEN 'Paid Search'
        WHEN cat = 'social' AND coalesce(m, '') ~ '^(.*cp.*|ppc|retargeting|paid.*)$' THEN 'Paid Social'
        WHEN cat = 'video' AND coalesce(m, '') ~ '^(.*cp.*|ppc|retargeting|paid.*)$' THEN 'Paid Video'
        WHEN m IN ('display', 'banner', 'expandable', 'interstitial', 'cpm') THEN 'Display'
        WHEN coalesce(m, '') ~ '^(.*cp.*|ppc|retargeting|paid.*)$' THEN 'Paid Other'
        WHEN cat = 'shopping' OR coalesce(c, '') ~ '^(.*(([^a-df-z]|^)shop|shopping).*)$' THEN 'Organic Shopping'
        WHEN cat = 'social' OR m IN ('social', 'social-network', 'social-media', 'sm', 'social network', 'social media') THEN 'Organic Social'
        WHEN cat = 'video' OR coalesce(m, '') ~ '^(.*video.*)$' THEN 'Organic Video'
        WHEN cat = 'search' OR m = 'organic' THEN 'Organic Search'
        WHEN m IN ('referral', 'app', 'link') THEN 'Referral'
        WHEN s IN ('email', 'e-mail', 'e_mail', 'e mail') OR m IN ('email', 'e-mail', 'e_mail', 'e mail') THEN 'Email'
        WHEN m = 'affiliate' THEN 'Affiliates'
        WHEN m = 'audio' THEN 'Audio'
        WHEN s = 'sms' OR m = 'sms' THEN 'SMS'
        WHEN m ~ 'push$' OR m ~ 'mobile|notification' OR s = 'firebase' THEN 'Mobile Push Notifications'
        ELSE 'Unassigned'
    END
    FROM (SELECT lower(src) AS s, lower(med) AS m, lower(camp) AS c,
                 (SELECT category FROM mops.source_category WHERE source = lower(src)) AS cat) x
$$;

CREATE TEMP TABLE pool_result ON COMMIT DROP AS
SELECT id, source, medium, campaign,
       mops.channel_group(source, medium, campaign) AS got,
       pg_temp.ga4(source, medium, campaign) AS ga4
  FROM pool;

SELECT is((SELECT count(*) FROM pool_result), 8400::bigint,
          'the pools give 8400 combinations (20 sources x 35 media x 12 campaigns)');
SELECT is((SELECT array_agg(format('%L/%L/%L: %s, GA4 %s', source, medium, campaign, got, ga4) ORDER BY id)
             FROM (SELECT * FROM pool_result
                    WHERE got IS DISTINCT FROM
                          CASE WHEN ga4 IN ('Paid Other', 'Mobile Push Notifications') THEN 'Unassigned' ELSE ga4 END
                    LIMIT 10) d),
          NULL, 'channel_group agrees with GA4''s rules on every combination (Paid Other and Mobile Push Notifications are Unassigned)');
SELECT is((SELECT array_agg(g ORDER BY g) FROM unnest(:groups) g
            WHERE g NOT IN (SELECT got FROM pool_result)),
          NULL, 'every one of the 17 groups occurs among the combinations');
SELECT ok((SELECT count(*) FROM pool_result WHERE ga4 = 'Paid Other') > 0
          AND (SELECT count(*) FROM pool_result WHERE ga4 = 'Mobile Push Notifications') > 0,
          'the combinations include GA4''s Paid Other and Mobile Push Notifications');
SELECT is((SELECT array_agg(format('%L/%L/%L', source, medium, campaign) ORDER BY id)
             FROM (SELECT * FROM pool_result
                    WHERE mops.channel_group(upper(source), upper(medium), upper(campaign)) IS DISTINCT FROM got
                       OR mops.channel_group(' ' || initcap(source) || ' ', initcap(medium), initcap(campaign))
                          IS DISTINCT FROM got
                    LIMIT 10) d),
          NULL, 'upper-cased, capitalised and padded variants of every combination give the same group');
SELECT is((SELECT array_agg(format('%L/%L/%L', source, medium, campaign) ORDER BY id)
             FROM (SELECT * FROM pool_result
                    WHERE mops.channel_group(translate(source, '-', '_'), translate(medium, ' -', '__'),
                                             translate(campaign, ' -', '_ ')) IS DISTINCT FROM got
                    LIMIT 10) d),
          NULL, 'white space, - and _ are the same separator in every combination');

-- Junk: 3000 generated strings (mixed case, separators, non-ASCII letters),
-- NULLs and empties, as source, medium and campaign.
CREATE FUNCTION pg_temp.junk(g integer, salt text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(substr(' -_.()CcPpSsHhOoMmEeAaIiLlVvDdÉéßＳ', 1 + get_byte(decode(md5(salt || g || ':' || k), 'hex'), 0) % 34, 1), '')
      FROM generate_series(1, get_byte(decode(md5(salt || g), 'hex'), 0) % 16) k
$$;
CREATE TEMP TABLE junk ON COMMIT DROP AS
SELECT g,
       CASE WHEN g % 17 = 0 THEN NULL ELSE pg_temp.junk(g, 'source') END AS source,
       CASE WHEN g % 13 = 0 THEN NULL ELSE pg_temp.junk(g, 'medium') END AS medium,
       CASE WHEN g % 3 = 0 THEN NULL ELSE pg_temp.junk(g, 'campaign') END AS campaign
  FROM generate_series(1, 3000) AS g;
CREATE TEMP TABLE junk_result ON COMMIT DROP AS
SELECT g, source, medium, campaign, mops.channel_group(source, medium, campaign) AS got FROM junk;
SELECT is((SELECT array_agg(format('%L/%L/%L: %L', source, medium, campaign, got) ORDER BY g)
             FROM (SELECT * FROM junk_result WHERE got IS NULL OR got <> ALL (:groups) LIMIT 10) d),
          NULL, 'on 3000 generated inputs the result is always one of the 17 groups, never NULL');
SELECT is((SELECT array_agg(format('%L/%L/%L', source, medium, campaign) ORDER BY g)
             FROM (SELECT * FROM junk_result
                    WHERE mops.channel_group(upper(source), lower(medium), upper(campaign)) IS DISTINCT FROM got
                    LIMIT 10) d),
          NULL, 'on 3000 generated inputs, changing the case gives the same group');

-- ---------------------------------------------------------------------------
-- Rows users add, and the guard
-- ---------------------------------------------------------------------------
INSERT INTO mops.source_category VALUES ('Mastodon.Social', 'social');
SELECT results_eq($$SELECT source, category, builtin FROM mops.source_category WHERE NOT builtin$$,
                  $$VALUES ('mastodon.social', 'social', false)$$,
                  'an added row is normalised and is not builtin');
SELECT is(mops.channel_group('mastodon.social', 'referral'), 'Organic Social',
          'channel_group uses an added source at once, in the same transaction');
SELECT is(pg_temp.diag($$DELETE FROM mops.source_category WHERE source = 'google'$$),
          ARRAY['22023', 'cannot delete seeded source "google"',
                'Seeded rows of mops.source_category are re-created by CREATE EXTENSION mops and are not kept by pg_dump, so a change or deletion would be undone by the next restore.',
                'To classify this source differently, test for it before calling mops.channel_group() in your query.'],
          'deleting a seeded row: 22023');
SELECT is((pg_temp.diag($$UPDATE mops.source_category SET category = 'social' WHERE source = 'youtube'$$))[1:2],
          ARRAY['22023', 'cannot change seeded source "youtube"'], 'changing a seeded row: 22023');
SELECT is((pg_temp.diag($$TRUNCATE mops.source_category$$))[1:2],
          ARRAY['22023', 'cannot truncate mops.source_category'], 'truncating: 22023');
SELECT is((pg_temp.diag($$INSERT INTO mops.source_category VALUES ('x.example', 'blog')$$))[1:2],
          ARRAY['22023', 'invalid source category "blog"'], 'an unknown category: 22023');

-- ---------------------------------------------------------------------------
-- search_path hijacking (DESIGN §2): objects planted in public that would
-- capture an unqualified lookup made by channel_group or the guard change
-- nothing when public comes first in search_path.
-- ---------------------------------------------------------------------------
CREATE FUNCTION public.normalize_label(text) RETURNS text LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: normalize_label'; END$$;
CREATE FUNCTION public.strpos(text, text) RETURNS integer LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: strpos'; END$$;
CREATE FUNCTION public.regexp_replace(text, text, text) RETURNS text LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: regexp_replace'; END$$;
CREATE FUNCTION public.nullif(text, text) RETURNS text LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: nullif'; END$$;
CREATE FUNCTION public.hostile_text_op(text, text) RETURNS boolean LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: a text operator'; END$$;
CREATE OPERATOR public.=  (LEFTARG = text, RIGHTARG = text, PROCEDURE = public.hostile_text_op);
CREATE OPERATOR public.<> (LEFTARG = text, RIGHTARG = text, PROCEDURE = public.hostile_text_op);
CREATE OPERATOR public.~~ (LEFTARG = text, RIGHTARG = text, PROCEDURE = public.hostile_text_op);
CREATE OPERATOR public.~  (LEFTARG = text, RIGHTARG = text, PROCEDURE = public.hostile_text_op);
CREATE TABLE public.source_category (source text, category text, builtin boolean);
INSERT INTO public.source_category VALUES ('example.com', 'search', false);

SET LOCAL search_path = public, pg_catalog;
CREATE TEMP TABLE hijack_result ON COMMIT DROP AS
SELECT id, mops.channel_group(source, medium, campaign) AS got FROM pool;
INSERT INTO mops.source_category VALUES ('Hijack.Example', 'Video');
CREATE TEMP TABLE hijack_added ON COMMIT DROP AS
SELECT mops.channel_group('hijack.example', 'referral') AS got;
-- pgTAP's own queries need pg_catalog's operators again
SET LOCAL search_path = pg_catalog, public;

SELECT is((SELECT count(*) FROM pool_result p JOIN hijack_result h USING (id) WHERE h.got IS DISTINCT FROM p.got),
          0::bigint, 'with hostile objects first in search_path, every combination gives the same group');
SELECT is((SELECT got FROM hijack_added), 'Organic Video',
          'with hostile objects first in search_path, the guard normalises an added row and channel_group uses it');

SELECT * FROM finish();
ROLLBACK;
