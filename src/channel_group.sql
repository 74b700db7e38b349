-- channel_group: a default channel grouping in the style of Google Analytics 4
-- (DESIGN §3.4), with its source lists in the table mops.source_category.
-- Reference: doc/channel_group.md.

-- ---------------------------------------------------------------------------
-- The source lists
-- ---------------------------------------------------------------------------
-- One row per source, in the canonical form mops.normalize_label() gives
-- (channel_group compares the normalised source with this column).  The rows
-- mops ships are marked builtin; pg_dump keeps only the others (the filter
-- below), because CREATE EXTENSION re-creates the shipped ones on restore.
CREATE TABLE mops.source_category (
    source text PRIMARY KEY
        CONSTRAINT source_category_source_canonical
        CHECK (source OPERATOR(pg_catalog.<>) ''
               AND source OPERATOR(pg_catalog.=) mops.normalize_label(source)),
    category text NOT NULL
        CONSTRAINT source_category_category_known
        CHECK (category OPERATOR(pg_catalog.=) ANY (ARRAY['search', 'shopping', 'social', 'video'])),
    builtin boolean NOT NULL DEFAULT false
);
SELECT pg_catalog.pg_extension_config_dump('mops.source_category', 'WHERE NOT builtin');
GRANT SELECT ON mops.source_category TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON mops.source_category TO @extowner@ WITH GRANT OPTION;

COMMENT ON TABLE mops.source_category IS
'Source lists of mops.channel_group(), like GA4''s SOURCE_CATEGORY_SEARCH, _SOCIAL, _SHOPPING and _VIDEO: one row per source (the utm_source or referrer host, as normalize_label() output). Add your own rows; the seeded rows (builtin) cannot be changed or deleted. pg_dump keeps the rows you add.';
COMMENT ON COLUMN mops.source_category.source IS
'The source as normalize_label() output (lower case, separators folded to _), e.g. google, m.facebook.com. Rows are normalised on insert and update.';
COMMENT ON COLUMN mops.source_category.category IS
'search, shopping, social or video (GA4''s SOURCE_CATEGORY_SEARCH, _SHOPPING, _SOCIAL, _VIDEO; those spellings are accepted on insert).';
COMMENT ON COLUMN mops.source_category.builtin IS
'True for the rows CREATE EXTENSION mops seeds (read-only, not dumped); false for rows you add (dumped by pg_dump).';

-- The seeded lists.  Inserted before the guard trigger exists: the trigger
-- refuses builtin rows from anyone else.  Sources appear both as the bare
-- names used in utm_source (google, fb, ig) and as the referrer hosts GA4
-- records (l.facebook.com, t.co).  mastodon.social is deliberately absent:
-- it is the documentation's example of a row a user adds.
INSERT INTO mops.source_category (source, category, builtin)
SELECT v.source, v.category, true
  FROM (VALUES
    -- search engines
    ('google', 'search'), ('google.com', 'search'),
    ('bing', 'search'), ('bing.com', 'search'), ('cn.bing.com', 'search'),
    ('yahoo', 'search'), ('yahoo.com', 'search'), ('search.yahoo.com', 'search'),
    ('yahoo.co.jp', 'search'), ('search.yahoo.co.jp', 'search'),
    ('baidu', 'search'), ('baidu.com', 'search'), ('m.baidu.com', 'search'),
    ('yandex', 'search'), ('yandex.ru', 'search'), ('yandex.com', 'search'), ('ya.ru', 'search'),
    ('duckduckgo', 'search'), ('duckduckgo.com', 'search'),
    ('ecosia', 'search'), ('ecosia.org', 'search'),
    ('naver', 'search'), ('search.naver.com', 'search'), ('m.search.naver.com', 'search'),
    ('daum', 'search'), ('search.daum.net', 'search'),
    ('seznam', 'search'), ('search.seznam.cz', 'search'),
    ('sogou', 'search'), ('sogou.com', 'search'), ('so.com', 'search'),
    ('ask', 'search'), ('ask.com', 'search'),
    ('aol', 'search'), ('search.aol.com', 'search'),
    ('qwant', 'search'), ('qwant.com', 'search'),
    ('startpage', 'search'), ('startpage.com', 'search'),
    ('search.brave.com', 'search'), ('coccoc.com', 'search'), ('go.mail.ru', 'search'),
    -- social networks
    ('facebook', 'social'), ('facebook.com', 'social'), ('m.facebook.com', 'social'),
    ('l.facebook.com', 'social'), ('lm.facebook.com', 'social'), ('fb', 'social'),
    ('instagram', 'social'), ('instagram.com', 'social'), ('l.instagram.com', 'social'), ('ig', 'social'),
    ('twitter', 'social'), ('twitter.com', 'social'), ('mobile.twitter.com', 'social'),
    ('x', 'social'), ('x.com', 'social'), ('t.co', 'social'),
    ('linkedin', 'social'), ('linkedin.com', 'social'), ('lnkd.in', 'social'),
    ('pinterest', 'social'), ('pinterest.com', 'social'), ('pin.it', 'social'),
    ('reddit', 'social'), ('reddit.com', 'social'), ('old.reddit.com', 'social'), ('out.reddit.com', 'social'),
    ('tiktok', 'social'), ('tiktok.com', 'social'),
    ('snapchat', 'social'), ('snapchat.com', 'social'),
    ('threads', 'social'), ('threads.net', 'social'),
    ('quora', 'social'), ('quora.com', 'social'),
    ('tumblr', 'social'), ('tumblr.com', 'social'),
    ('vk.com', 'social'), ('ok.ru', 'social'),
    ('weibo', 'social'), ('weibo.com', 'social'), ('wechat', 'social'), ('line.me', 'social'),
    ('whatsapp', 'social'), ('web.whatsapp.com', 'social'),
    ('discord', 'social'), ('discord.com', 'social'), ('t.me', 'social'),
    ('xing', 'social'), ('xing.com', 'social'),
    ('meetup.com', 'social'), ('medium.com', 'social'), ('news.ycombinator.com', 'social'),
    ('bsky.app', 'social'), ('nextdoor.com', 'social'), ('flickr.com', 'social'),
    -- shopping sites
    ('amazon', 'shopping'), ('amazon.com', 'shopping'), ('amazon.co.uk', 'shopping'),
    ('amazon.de', 'shopping'), ('amazon.fr', 'shopping'), ('amazon.it', 'shopping'),
    ('amazon.es', 'shopping'), ('amazon.ca', 'shopping'), ('amazon.co.jp', 'shopping'),
    ('amazon.in', 'shopping'),
    ('ebay', 'shopping'), ('ebay.com', 'shopping'), ('ebay.co.uk', 'shopping'), ('ebay.de', 'shopping'),
    ('etsy', 'shopping'), ('etsy.com', 'shopping'),
    ('walmart', 'shopping'), ('walmart.com', 'shopping'),
    ('target.com', 'shopping'), ('bestbuy.com', 'shopping'),
    ('shopify', 'shopping'), ('shopify.com', 'shopping'), ('shop.app', 'shopping'),
    ('alibaba', 'shopping'), ('alibaba.com', 'shopping'),
    ('aliexpress', 'shopping'), ('aliexpress.com', 'shopping'),
    ('rakuten', 'shopping'), ('rakuten.co.jp', 'shopping'),
    ('mercadolibre', 'shopping'), ('mercadolibre.com', 'shopping'),
    ('zalando', 'shopping'), ('zalando.de', 'shopping'),
    ('temu', 'shopping'), ('temu.com', 'shopping'), ('wish.com', 'shopping'),
    ('idealo.de', 'shopping'), ('google_shopping', 'shopping'), ('shopping.google.com', 'shopping'),
    -- video sites
    ('youtube', 'video'), ('youtube.com', 'video'), ('m.youtube.com', 'video'), ('youtu.be', 'video'),
    ('vimeo', 'video'), ('vimeo.com', 'video'),
    ('twitch', 'video'), ('twitch.tv', 'video'),
    ('dailymotion', 'video'), ('dailymotion.com', 'video'),
    ('netflix', 'video'), ('netflix.com', 'video'),
    ('disneyplus', 'video'), ('disneyplus.com', 'video'),
    ('hulu', 'video'), ('hulu.com', 'video'), ('primevideo.com', 'video'),
    ('bilibili.com', 'video'), ('iqiyi.com', 'video'), ('youku.com', 'video'),
    ('rumble.com', 'video'), ('ted.com', 'video')
  ) AS v(source, category);

-- ---------------------------------------------------------------------------
-- The guard: normalises the rows users write and keeps the seeded rows as
-- shipped.  Seeded rows come back with every CREATE EXTENSION (a restore) and
-- pg_dump does not keep them, so a change to one could not survive a dump and
-- restore: changing or deleting them is refused outright, and the live
-- database always classifies like a restored one.  (GA4's own source lists
-- cannot be edited either.)
--
-- A row added for a source that is already seeded with the same category is
-- skipped: that happens when a dump made before mops seeded the source is
-- restored into a version that seeds it.  With another category it is an
-- error.
--
-- The function reads the table and writes nothing, hence STABLE and
-- PARALLEL SAFE (volatility and parallel safety are not used for triggers;
-- the labels say what it does).  Upgrade scripts that change the seeded rows
-- disable this trigger around their changes.
-- ---------------------------------------------------------------------------
CREATE FUNCTION mops.source_category_guard()
RETURNS trigger
LANGUAGE plpgsql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    seeded text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'cannot truncate mops.source_category'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'The table holds the seeded sources of mops, which cannot be deleted.',
                  HINT = 'DELETE FROM mops.source_category WHERE NOT builtin removes the rows you added.';
    END IF;

    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.builtin THEN
        RAISE EXCEPTION 'cannot % seeded source "%"',
                        CASE TG_OP WHEN 'UPDATE' THEN 'change' ELSE 'delete' END, OLD.source
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'Seeded rows of mops.source_category are re-created by CREATE EXTENSION mops and are not kept by pg_dump, so a change or deletion would be undone by the next restore.',
                  HINT = 'To classify this source differently, test for it before calling mops.channel_group() in your query.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;

    IF NEW.builtin IS DISTINCT FROM false THEN
        RAISE EXCEPTION 'rows added to mops.source_category must have builtin = false'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'builtin = true marks the rows CREATE EXTENSION mops seeds; pg_dump does not keep them.',
                  HINT = 'Omit the builtin column; it defaults to false.';
    END IF;

    NEW.source := nullif(mops.normalize_label(NEW.source), '');
    IF NEW.source IS NULL THEN
        RAISE EXCEPTION 'empty source in mops.source_category'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'A source is a non-empty label such as mastodon.social; NULL, or only white space, dashes and underscores, is empty.';
    END IF;

    -- 'Social', 'SOURCE_CATEGORY_SOCIAL' and 'social' are the same category.
    NEW.category := pg_catalog.regexp_replace(mops.normalize_label(NEW.category),
                                              '^source_category_', '');
    IF NEW.category IS NULL
       OR NEW.category NOT IN ('search', 'shopping', 'social', 'video') THEN
        RAISE EXCEPTION 'invalid source category "%"', coalesce(NEW.category, 'NULL')
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'A source category is one of search, shopping, social and video.';
    END IF;

    IF TG_OP = 'INSERT' THEN
        SELECT sc.category INTO seeded
          FROM mops.source_category AS sc
         WHERE sc.source = NEW.source AND sc.builtin;
        IF FOUND THEN
            IF seeded = NEW.category THEN
                RETURN NULL;  -- already seeded as such: nothing to add
            END IF;
            RAISE EXCEPTION 'source "%" is seeded with category %', NEW.source, seeded
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = format('The row added for it has category %s; seeded rows cannot be changed.', NEW.category),
                      HINT = 'To classify this source differently, test for it before calling mops.channel_group() in your query.';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION mops.source_category_guard() IS
'Trigger on mops.source_category: normalises the source and category of rows users write, refuses builtin = true, refuses changing, deleting or truncating the seeded rows, and skips a row that repeats a seeded one.';

CREATE TRIGGER source_category_guard
BEFORE INSERT OR UPDATE OR DELETE ON mops.source_category
FOR EACH ROW EXECUTE FUNCTION mops.source_category_guard();
COMMENT ON TRIGGER source_category_guard ON mops.source_category IS
'Normalises rows users write and keeps the seeded rows as shipped (see mops.source_category_guard()).';

CREATE TRIGGER source_category_guard_truncate
BEFORE TRUNCATE ON mops.source_category
FOR EACH STATEMENT EXECUTE FUNCTION mops.source_category_guard();
COMMENT ON TRIGGER source_category_guard_truncate ON mops.source_category IS
'Refuses TRUNCATE, which would remove the seeded rows (see mops.source_category_guard()).';

-- ---------------------------------------------------------------------------
-- channel_group
-- ---------------------------------------------------------------------------
-- The rules of GA4's default channel group for manually tagged traffic, in
-- GA4's order (first match wins), on normalize_label() forms of the
-- arguments.  mops has 17 group names (DESIGN §3.4): GA4's Paid Other and
-- Mobile Push Notifications are Unassigned here; Paid Other keeps its place
-- in the order, so that paid traffic of an unknown source does not fall
-- through to an organic group.
--
-- Written in plpgsql rather than SQL: an SQL function with a SET clause is
-- never inlined, and plpgsql keeps the plan of its one lookup across calls
-- and skips it (and the campaign's normalisation) when an earlier rule
-- decides.
CREATE FUNCTION mops.channel_group(source text, medium text, campaign text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql
STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- normalised; empty (or all separators) counts as absent
    s text := coalesce(mops.normalize_label(channel_group.source), '');
    m text := coalesce(mops.normalize_label(channel_group.medium), '');
    c text;
    cat text;          -- search, shopping, social, video or NULL
    paid boolean;      -- GA4: medium matches ^(.*cp.*|ppc|retargeting|paid.*)$
    shop boolean;      -- GA4: campaign matches ^(.*(([^a-df-z]|^)shop|shopping).*)$
BEGIN
    -- Direct: no source (or GA4's "(direct)") and no medium (or "(none)",
    -- "(not set)").  NULL and NULL is Direct: GA4 records a visit without
    -- referrer or campaign tags as (direct) / (none).
    IF s IN ('', '(direct)', 'direct') AND m IN ('', '(none)', '(not_set)', 'none') THEN
        RETURN 'Direct';
    END IF;

    -- Cross-network: campaign name contains cross-network (any case, any
    -- separator: normalize_label folds - and white space to _).
    c := coalesce(mops.normalize_label(channel_group.campaign), '');
    IF strpos(c, 'cross_network') > 0 THEN
        RETURN 'Cross-network';
    END IF;

    IF s <> '' THEN
        SELECT sc.category INTO cat FROM mops.source_category AS sc WHERE sc.source = s;
    END IF;
    paid := m LIKE '%cp%' OR m LIKE 'paid%' OR m IN ('ppc', 'retargeting');
    shop := c <> '' AND (strpos(c, 'shopping') > 0 OR c ~ '(^|[^a-df-z])shop');

    IF paid THEN
        IF cat = 'shopping' OR shop THEN
            RETURN 'Paid Shopping';
        ELSIF cat = 'search' THEN
            RETURN 'Paid Search';
        ELSIF cat = 'social' THEN
            RETURN 'Paid Social';
        ELSIF cat = 'video' THEN
            RETURN 'Paid Video';
        END IF;
    END IF;
    IF m IN ('display', 'banner', 'expandable', 'interstitial', 'cpm') THEN
        RETURN 'Display';
    END IF;
    IF paid THEN
        RETURN 'Unassigned';   -- GA4: Paid Other
    END IF;
    IF cat = 'shopping' OR shop THEN
        RETURN 'Organic Shopping';
    END IF;
    IF cat = 'social' OR m IN ('social', 'social_network', 'social_media', 'sm') THEN
        RETURN 'Organic Social';
    END IF;
    IF cat = 'video' OR strpos(m, 'video') > 0 THEN
        RETURN 'Organic Video';
    END IF;
    IF cat = 'search' OR m = 'organic' THEN
        RETURN 'Organic Search';
    END IF;
    IF m IN ('referral', 'app', 'link') THEN
        RETURN 'Referral';
    END IF;
    IF s IN ('email', 'e_mail') OR m IN ('email', 'e_mail') THEN
        RETURN 'Email';
    END IF;
    IF m = 'affiliate' THEN
        RETURN 'Affiliates';
    END IF;
    IF m = 'audio' THEN
        RETURN 'Audio';
    END IF;
    IF s = 'sms' OR m = 'sms' THEN
        RETURN 'SMS';
    END IF;
    RETURN 'Unassigned';       -- also GA4's Mobile Push Notifications
END
$$;
COMMENT ON FUNCTION mops.channel_group(text, text, text) IS
'GA4-style default channel group of a touch from its source, medium and campaign (utm_source, utm_medium, utm_campaign): Direct, Cross-network, Paid Shopping, Paid Search, Paid Social, Paid Video, Display, Organic Shopping, Organic Social, Organic Video, Organic Search, Referral, Email, Affiliates, Audio, SMS or Unassigned (also for GA4''s Paid Other and Mobile Push Notifications). Rules apply in GA4''s order; arguments are compared after normalize_label(), so case does not matter; sources are looked up in mops.source_category. NULL or empty source and medium give Direct; never returns NULL.';
