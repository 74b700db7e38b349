-- channel_group: GA4-style default channel grouping (DESIGN §3.4,
-- doc/channel_group.md).  Each section is one GA4 rule, in the order the rules
-- are applied; every case carries an "expect:" comment with the group it
-- must give and why.  Rule numbers are those of doc/channel_group.md:
--   1 Direct  2 Cross-network  3 Paid Shopping  4 Paid Search  5 Paid Social
--   6 Paid Video  7 Display  8 Paid Other (Unassigned in mops)
--   9 Organic Shopping  10 Organic Social  11 Organic Video
--   12 Organic Search  13 Referral  14 Email  15 Affiliates  16 Audio
--   17 SMS  otherwise Unassigned (GA4's Mobile Push Notifications too).
-- "paid medium" is GA4's ^(.*cp.*|ppc|retargeting|paid.*)$.
-- (The plpgsql context of errors raised by the guard trigger is not shown.)
\set SHOW_CONTEXT never

-- ---------------------------------------------------------------------------
-- Rule 1, Direct, and absent values
-- ---------------------------------------------------------------------------
SELECT n, source, medium, campaign, mops.channel_group(source, medium, campaign)
FROM (VALUES
    (1, '(direct)', '(none)', NULL),          -- expect: Direct (rule 1, GA4's own spelling)
    (2, '(direct)', '(not set)', NULL),       -- expect: Direct (rule 1, medium "(not set)")
    (3, NULL, NULL, NULL),                    -- expect: Direct (no source, no medium: GA4 records such a visit as (direct) / (none))
    (4, '', '  ', NULL),                      -- expect: Direct (empty and blank count as absent)
    (5, 'Direct', 'None', NULL),              -- expect: Direct (bare spellings direct / none accepted, any case)
    (6, NULL, '(none)', NULL),                -- expect: Direct (absent source, medium (none))
    (7, '(DIRECT)', NULL, NULL),              -- expect: Direct ((direct) in any case, absent medium)
    (8, NULL, NULL, 'PMax Cross-Network'),    -- expect: Direct (rule 1 comes before rule 2: campaign is not looked at)
    (9, '(direct)', 'email', NULL),           -- expect: Email (a medium other than (none)/(not set) is not Direct; rule 14)
    (10, NULL, 'organic', NULL),              -- expect: Organic Search (rule 12: medium organic, no source needed)
    (11, NULL, 'cpc', NULL),                  -- expect: Unassigned (rule 8: paid medium, no source category: GA4's Paid Other)
    (12, 'google', NULL, NULL),               -- expect: Organic Search (rule 12: google is in the search list)
    (13, 'example.com', NULL, NULL),          -- expect: Unassigned (a source outside the lists and no medium: no rule)
    (14, '(not set)', '(not set)', NULL)      -- expect: Unassigned (GA4: source (not set) is not (direct); no rule)
) AS v(n, source, medium, campaign)
ORDER BY n;

-- The two-argument form: campaign defaults to NULL.
SELECT mops.channel_group('google', 'cpc') AS two_args;  -- expect: Paid Search (rule 4)
-- Named arguments.
SELECT mops.channel_group(medium => 'email', source => 'crm') AS named;  -- expect: Email (rule 14)

-- ---------------------------------------------------------------------------
-- Rule 2, Cross-network: campaign name contains "cross-network"
-- ---------------------------------------------------------------------------
SELECT n, source, medium, campaign, mops.channel_group(source, medium, campaign)
FROM (VALUES
    (1, 'google', 'cpc', 'PMax Cross-Network'),       -- expect: Cross-network (rule 2, any case; before rule 4)
    (2, 'google', 'cpc', 'brand_cross network_q3'),   -- expect: Cross-network (rule 2, - _ and space are one separator)
    (3, 'facebook', 'organic', 'cross-network test'), -- expect: Cross-network (rule 2 needs no paid medium; before rule 10)
    (4, 'google', 'cpc', 'crossnetwork')              -- expect: Paid Search (no separator: not "cross-network"; rule 4)
) AS v(n, source, medium, campaign)
ORDER BY n;

-- ---------------------------------------------------------------------------
-- Rule 3, Paid Shopping: (shopping source OR shopping campaign) AND paid medium.
-- Shopping campaign: contains "shopping", or "shop" at the start or after a
-- character other than a-d and f-z (GA4: ([^a-df-z]|^)shop).
-- ---------------------------------------------------------------------------
SELECT n, source, medium, campaign, mops.channel_group(source, medium, campaign)
FROM (VALUES
    (1, 'amazon', 'cpc', NULL),                    -- expect: Paid Shopping (rule 3, shopping source)
    (2, 'google', 'cpc', 'Shopping - Brand'),      -- expect: Paid Shopping (rule 3, shopping campaign; before rule 4)
    (3, 'google', 'ppc', 'eshop_launch'),          -- expect: Paid Shopping (rule 3, "e" before shop is allowed)
    (4, 'bing', 'paid_search', 'shop-now'),        -- expect: Paid Shopping (rule 3, shop at the start)
    (5, 'example.com', 'retargeting', 'summer_shop'), -- expect: Paid Shopping (rule 3, unknown source, "_" before shop)
    (6, 'google', 'cpc', 'workshop_series'),       -- expect: Paid Search ("k" before shop: not a shopping campaign; rule 4)
    (7, 'google', 'cpc', 'Bookshop'),              -- expect: Paid Search (same: "k" before shop; rule 4)
    (8, 'ebay.de', 'paid', NULL)                   -- expect: Paid Shopping (rule 3, medium paid)
) AS v(n, source, medium, campaign)
ORDER BY n;

-- ---------------------------------------------------------------------------
-- Rules 4-6, Paid Search / Social / Video: source category AND paid medium
-- ---------------------------------------------------------------------------
SELECT n, source, medium, mops.channel_group(source, medium)
FROM (VALUES
    (1, 'Google', 'CPC'),              -- expect: Paid Search (rule 4, any case)
    (2, 'bing', 'ppc'),                -- expect: Paid Search (rule 4, ppc)
    (3, 'duckduckgo.com', 'paidsearch'), -- expect: Paid Search (rule 4, paid.*)
    (4, 'yahoo', 'retargeting'),       -- expect: Paid Search (rule 4, retargeting)
    (5, 'google', 'cpm'),              -- expect: Paid Search (rule 4: cpm contains cp, and rule 4 comes before rule 7)
    (6, 'facebook', 'paid_social'),    -- expect: Paid Social (rule 5)
    (7, 'LinkedIn', 'Paid Social'),    -- expect: Paid Social (rule 5, any case, space folded)
    (8, 'ig', 'cpc'),                  -- expect: Paid Social (rule 5, ig is in the social list)
    (9, 't.co', 'cpm'),                -- expect: Paid Social (rule 5, referrer host t.co)
    (10, 'youtube', 'cpv'),            -- expect: Paid Video (rule 6, cpv contains cp)
    (11, 'vimeo.com', 'paid')          -- expect: Paid Video (rule 6)
) AS v(n, source, medium)
ORDER BY n;

-- ---------------------------------------------------------------------------
-- Rule 7, Display: medium display, banner, expandable, interstitial or cpm
-- ---------------------------------------------------------------------------
SELECT n, source, medium, mops.channel_group(source, medium)
FROM (VALUES
    (1, 'example.com', 'display'),     -- expect: Display (rule 7)
    (2, 'publisher.example', 'Banner'), -- expect: Display (rule 7, any case)
    (3, NULL, 'cpm'),                  -- expect: Display (rule 7 comes before rule 8, so cpm without a source is Display)
    (4, 'newsletter', 'interstitial'), -- expect: Display (rule 7)
    (5, 'x', 'expandable')             -- expect: Display (x is social, but expandable is not paid and rule 7 comes before rule 10)
) AS v(n, source, medium)
ORDER BY n;

-- ---------------------------------------------------------------------------
-- Rule 8, GA4's Paid Other: a paid medium and no category.  mops has no such
-- group (DESIGN §3.4): Unassigned, but in this place, so that such traffic
-- does not fall through to the organic rules below.
-- ---------------------------------------------------------------------------
SELECT n, source, medium, mops.channel_group(source, medium)
FROM (VALUES
    (1, 'example.com', 'cpc'),         -- expect: Unassigned (rule 8)
    (2, 'newsletter', 'paid_email'),   -- expect: Unassigned (rule 8 before rule 14)
    (3, 'partner.example', 'paid_video') -- expect: Unassigned (rule 8 before rule 11)
) AS v(n, source, medium)
ORDER BY n;

-- ---------------------------------------------------------------------------
-- Rules 9-12, organic: source category OR medium (OR campaign for shopping)
-- ---------------------------------------------------------------------------
SELECT n, source, medium, campaign, mops.channel_group(source, medium, campaign)
FROM (VALUES
    (1, 'amazon.com', 'referral', NULL),              -- expect: Organic Shopping (rule 9, shopping source; before rule 13)
    (2, 'etsy', NULL, NULL),                          -- expect: Organic Shopping (rule 9, shopping source alone)
    (3, 'example.com', 'referral', 'Spring Shop'),    -- expect: Organic Shopping (rule 9, shopping campaign, no paid medium)
    (4, 'newsletter', 'email', 'Black Friday Shopping'), -- expect: Organic Shopping (rule 9 comes before rule 14)
    (5, 'facebook.com', 'referral', NULL),            -- expect: Organic Social (rule 10, social source)
    (6, 'l.instagram.com', 'referral', NULL),         -- expect: Organic Social (rule 10, referrer host)
    (7, 'newsletter', 'social-network', NULL),        -- expect: Organic Social (rule 10, medium social-network)
    (8, 'example.com', 'Social Media', NULL),         -- expect: Organic Social (rule 10, medium social media, any case)
    (9, 'example.com', 'sm', NULL),                   -- expect: Organic Social (rule 10, medium sm)
    (10, 'youtube.com', 'social', NULL),              -- expect: Organic Social (rule 10 comes before rule 11)
    (11, 'youtube.com', 'referral', NULL),            -- expect: Organic Video (rule 11, video source)
    (12, 'twitch.tv', NULL, NULL),                    -- expect: Organic Video (rule 11)
    (13, 'example.com', 'video', NULL),               -- expect: Organic Video (rule 11, medium contains video)
    (14, 'partner.example', 'video_embed', NULL),     -- expect: Organic Video (rule 11, medium contains video)
    (15, 'google', 'organic', NULL),                  -- expect: Organic Search (rule 12)
    (16, 'bing.com', 'referral', NULL),               -- expect: Organic Search (rule 12 comes before rule 13)
    (17, 'example.com', 'organic', NULL),             -- expect: Organic Search (rule 12, medium organic)
    (18, 'Yandex.RU', 'referral', NULL),              -- expect: Organic Search (rule 12, any case)
    (19, 'facebook', 'organic', NULL)                 -- expect: Organic Social (rule 10 comes before rule 12)
) AS v(n, source, medium, campaign)
ORDER BY n;

-- ---------------------------------------------------------------------------
-- Rules 13-17 and the rest
-- ---------------------------------------------------------------------------
SELECT n, source, medium, mops.channel_group(source, medium)
FROM (VALUES
    (1, 'example.com', 'referral'),    -- expect: Referral (rule 13)
    (2, 'partner.example', 'app'),     -- expect: Referral (rule 13, medium app)
    (3, 'blog.example', 'link'),       -- expect: Referral (rule 13, medium link)
    (4, 'email', 'link'),              -- expect: Referral (rule 13 comes before rule 14)
    (5, 'newsletter', 'email'),        -- expect: Email (rule 14, medium)
    (6, 'crm', 'E-Mail'),              -- expect: Email (rule 14, e-mail in any case)
    (7, 'email', NULL),                -- expect: Email (rule 14, source alone)
    (8, 'e mail', 'newsletter'),       -- expect: Email (rule 14, source "e mail")
    (9, 'mailchimp', 'e_mail'),        -- expect: Email (rule 14, e_mail)
    (10, 'partner.example', 'affiliate'), -- expect: Affiliates (rule 15)
    (11, 'awin', 'Affiliate'),         -- expect: Affiliates (rule 15, any case)
    (12, 'partner', 'affiliates'),     -- expect: Unassigned (GA4 wants exactly affiliate)
    (13, 'spotify', 'audio'),          -- expect: Audio (rule 16)
    (14, 'podcast.example', 'AUDIO'),  -- expect: Audio (rule 16, any case)
    (15, 'sms', NULL),                 -- expect: SMS (rule 17, source)
    (16, 'twilio', 'sms'),             -- expect: SMS (rule 17, medium)
    (17, 'SMS', 'text'),               -- expect: SMS (rule 17, source in any case)
    (18, 'example.com', '(not set)'),  -- expect: Unassigned (no rule)
    (19, 'app', 'push'),               -- expect: Unassigned (GA4's Mobile Push Notifications)
    (20, 'firebase', 'notification'),  -- expect: Unassigned (GA4's Mobile Push Notifications)
    (21, 'partner', 'offline')         -- expect: Unassigned (no rule)
) AS v(n, source, medium)
ORDER BY n;

-- ---------------------------------------------------------------------------
-- Case, white space and Unicode: arguments are compared after normalize_label
-- ---------------------------------------------------------------------------
SELECT n, source, medium, mops.channel_group(source, medium)
FROM (VALUES
    (1, 'google', 'cpc'),              -- expect: Paid Search (rule 4)
    (2, 'GOOGLE', 'CPC'),              -- expect: Paid Search (upper case)
    (3, 'Google', 'Cpc'),              -- expect: Paid Search (mixed case)
    (4, '  google ', ' cpc  '),        -- expect: Paid Search (surrounding white space)
    (5, 'ＧＯＯＧＬＥ', 'ＣＰＣ'),       -- expect: Paid Search (full-width letters, NFKC)
    (6, 'M.Facebook.COM', 'Referral')  -- expect: Organic Social (rule 10, host in any case)
) AS v(n, source, medium)
ORDER BY n;

-- ---------------------------------------------------------------------------
-- mops.source_category: one source of each category, as seeded
-- ---------------------------------------------------------------------------
-- expect: amazon shopping t; facebook social t; google search t; youtube video t
SELECT source, category, builtin FROM mops.source_category
WHERE source IN ('google', 'facebook', 'amazon', 'youtube')
ORDER BY source;
-- expect: four categories, each with more than ten seeded sources
SELECT category, count(*) > 10 AS more_than_ten FROM mops.source_category GROUP BY category ORDER BY category;
-- expect: 158, the rows src/channel_group.sql seeds (42 search, 39 shopping, 55 social, 22 video)
SELECT count(*) AS seeded FROM mops.source_category WHERE builtin;
-- expect: 0 (nothing added yet)
SELECT count(*) AS user_rows FROM mops.source_category WHERE NOT builtin;

-- ---------------------------------------------------------------------------
-- Sources users add
-- ---------------------------------------------------------------------------
-- expect: Referral (mastodon.social is not seeded; rule 13)
SELECT mops.channel_group('mastodon.social', 'referral') AS before_insert;
INSERT INTO mops.source_category VALUES ('Mastodon.Social', 'Social');
-- Normalised on insert: source and category in canonical form, builtin false.
-- expect: mastodon.social social f
SELECT source, category, builtin FROM mops.source_category WHERE NOT builtin;
-- expect: Organic Social (rule 10, the added row), Paid Social (rule 5)
SELECT mops.channel_group('mastodon.social', 'referral') AS organic,
       mops.channel_group('MASTODON.SOCIAL', 'paid') AS paid;
-- GA4's category names are accepted too.
INSERT INTO mops.source_category (source, category) VALUES ('kagi.com', 'SOURCE_CATEGORY_SEARCH');
-- expect: kagi.com search
SELECT source, category FROM mops.source_category WHERE source = 'kagi.com';
SELECT mops.channel_group('kagi.com', NULL) AS kagi;  -- expect: Organic Search (rule 12)
-- Users change and delete their own rows.
UPDATE mops.source_category SET category = 'video' WHERE source = 'mastodon.social';
-- expect: Organic Video (rule 11, the changed row)
SELECT mops.channel_group('mastodon.social', 'referral') AS after_update;
DELETE FROM mops.source_category WHERE source = 'mastodon.social';
-- expect: Referral (the row is gone; rule 13)
SELECT mops.channel_group('mastodon.social', 'referral') AS after_delete;
-- A row that repeats a seeded one is skipped (INSERT 0 0): nothing to add.
INSERT INTO mops.source_category VALUES ('Google', 'search');
-- expect: 1 t (still the one seeded row)
SELECT count(*) AS google_rows, bool_and(builtin) AS seeded FROM mops.source_category WHERE source = 'google';

-- Errors: each 22023 (invalid_parameter_value, echoed after it), saying what
-- was wrong and what is accepted.
-- A seeded source with another category.
INSERT INTO mops.source_category VALUES ('youtube', 'social');
\echo :LAST_ERROR_SQLSTATE
-- Seeded rows cannot be changed, deleted or truncated.
UPDATE mops.source_category SET category = 'social' WHERE source = 'youtube';
\echo :LAST_ERROR_SQLSTATE
DELETE FROM mops.source_category WHERE source = 'google';
\echo :LAST_ERROR_SQLSTATE
TRUNCATE mops.source_category;
\echo :LAST_ERROR_SQLSTATE
-- builtin = true is only for the rows CREATE EXTENSION seeds.
INSERT INTO mops.source_category VALUES ('example.org', 'search', true);
\echo :LAST_ERROR_SQLSTATE
UPDATE mops.source_category SET builtin = true WHERE source = 'kagi.com';
\echo :LAST_ERROR_SQLSTATE
-- Unknown category, empty source.
INSERT INTO mops.source_category VALUES ('example.org', 'blog');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO mops.source_category VALUES (' - ', 'social');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO mops.source_category VALUES (NULL, 'social');
\echo :LAST_ERROR_SQLSTATE
-- None of these changed anything.
-- expect: 158 seeded as before, 1 added (kagi.com), youtube still video
SELECT count(*) FILTER (WHERE builtin) AS seeded, count(*) FILTER (WHERE NOT builtin) AS added,
       (SELECT category FROM mops.source_category WHERE source = 'youtube') AS youtube
FROM mops.source_category;

-- Clean up: leave the table as CREATE EXTENSION made it.
DELETE FROM mops.source_category WHERE NOT builtin;
SELECT count(*) AS user_rows FROM mops.source_category WHERE NOT builtin;  -- expect: 0
