-- kpi_rls: row-level security carries through the KPI views (DESIGN §4.2:
-- views are security_invoker).  Two roles get a policy on mops.campaign by
-- brand; each then sees only its own brand's campaigns, and through them
-- only its own brand's content, distributions and spend, in the views.
SET search_path = mops, public;
SET datestyle = 'ISO, YMD';

CREATE ROLE regress_mops_acme;
CREATE ROLE regress_mops_globex;
GRANT SELECT ON ALL TABLES IN SCHEMA mops TO regress_mops_acme, regress_mops_globex;

-- acme: campaigns 1-3, globex: 4-5, all planned for 2026-01-10.  Launched
-- on time: 1, 2 (acme: 2 of 3) and 4 (globex: 1 of 2).
INSERT INTO campaign (campaign_id, name, brand, planned_start, launched_at) VALUES
  (1, 'a1', 'acme', '2026-01-10', '2026-01-09 10:00+00'),
  (2, 'a2', 'acme', '2026-01-10', '2026-01-10 10:00+00'),
  (3, 'a3', 'acme', '2026-01-10', '2026-01-12 10:00+00'),
  (4, 'g1', 'globex', '2026-01-10', '2026-01-08 10:00+00'),
  (5, 'g2', 'globex', '2026-01-10', NULL);
-- Content: acme publishes 2 items (1 brand compliant), globex 1 (compliant);
-- item 4 belongs to no campaign and counts for everyone (compliant).
INSERT INTO content_item (content_id, campaign_id, created_at, published_at, brand_compliant) VALUES
  (1, 1, '2026-01-01 00:00+00', '2026-01-05 00:00+00', true),
  (2, 2, '2026-01-01 00:00+00', '2026-01-07 00:00+00', false),
  (3, 4, '2026-01-01 00:00+00', '2026-01-03 00:00+00', true),
  (4, NULL, '2026-01-01 00:00+00', '2026-01-04 00:00+00', true);
-- Distribution: acme 3 delivered + 1 failed, globex 1 failed.
INSERT INTO distribution (distribution_id, campaign_id, channel, scheduled_at, status) VALUES
  (1, 1, 'email', '2026-01-05 00:00+00', 'delivered'), (2, 1, 'email', '2026-01-05 00:00+00', 'delivered'),
  (3, 2, 'email', '2026-01-05 00:00+00', 'delivered'), (4, 3, 'email', '2026-01-05 00:00+00', 'failed'),
  (5, 4, 'email', '2026-01-05 00:00+00', 'failed');
-- Spend: acme 300 EUR, globex 700 EUR.
INSERT INTO spend VALUES (1, 1, 'email', '2026-01-15', 300, 'EUR'), (2, 4, 'email', '2026-01-15', 700, 'EUR');

ALTER TABLE campaign ENABLE ROW LEVEL SECURITY;
CREATE POLICY campaign_acme ON campaign FOR SELECT TO regress_mops_acme USING (brand = 'acme');
CREATE POLICY campaign_globex ON campaign FOR SELECT TO regress_mops_globex USING (brand = 'globex');

-- The table owner (superuser here) sees everything: 5 campaigns, 3 on
-- time; 4 items published, 3 compliant; 4 delivered of 5; spend 1000.
SELECT 'all' AS who, d.campaigns_due, d.launched_on_time, p.items_published, p.brand_consistency,
       x.delivered, x.failed, a.spend
FROM kpi_campaign_delivery d, kpi_content_production p,
     (SELECT * FROM kpi_distribution WHERE channel IS NULL) x, kpi_acquisition a;

SET ROLE regress_mops_acme;
-- expect acme: 3 campaigns, 2 on time; items 1, 2 and the campaign-less 4:
-- 3 published, 2 compliant (0.66666666666666666667); 3 delivered + 1
-- failed; spend 300.
SELECT 'acme' AS who, d.campaigns_due, d.launched_on_time, p.items_published, p.brand_consistency,
       x.delivered, x.failed, a.spend
FROM kpi_campaign_delivery d, kpi_content_production p,
     (SELECT * FROM kpi_distribution WHERE channel IS NULL) x, kpi_acquisition a;
SELECT kpi, actual, status FROM kpi_scorecard ORDER BY kpi;
-- brand_consistency 2/3 missed; campaign_on_time 2/3 missed; distribution_success
-- 0.75 missed; production_speed_gain and roi_gain 0 (January is their own
-- baseline: roi = (0 - 300) / 300 = -1) missed
RESET ROLE;

SET ROLE regress_mops_globex;
-- expect globex: 2 campaigns, 1 on time; items 3 and 4: 2 published, both
-- compliant (1); 0 delivered + 1 failed; spend 700.
SELECT 'globex' AS who, d.campaigns_due, d.launched_on_time, p.items_published, p.brand_consistency,
       x.delivered, x.failed, a.spend
FROM kpi_campaign_delivery d, kpi_content_production p,
     (SELECT * FROM kpi_distribution WHERE channel IS NULL) x, kpi_acquisition a;
SELECT kpi, actual, status FROM kpi_scorecard ORDER BY kpi;
-- brand_consistency 1 met; campaign_on_time 0.5 missed; distribution_success 0
-- missed; production_speed_gain and roi_gain 0 missed
RESET ROLE;

-- A role without a policy sees no campaign at all (RLS denies by default),
-- and so only what belongs to no campaign.
CREATE ROLE regress_mops_nobody;
GRANT SELECT ON ALL TABLES IN SCHEMA mops TO regress_mops_nobody;
SET ROLE regress_mops_nobody;
SELECT count(*) AS campaigns FROM kpi_campaign_delivery;  -- 0
SELECT items_published, brand_consistency FROM kpi_content_production;  -- 1 | 1 (item 4)
RESET ROLE;

DROP POLICY campaign_acme ON campaign;
DROP POLICY campaign_globex ON campaign;
ALTER TABLE campaign DISABLE ROW LEVEL SECURITY;
TRUNCATE campaign, content_item, distribution, spend, budget_line;
REVOKE ALL ON ALL TABLES IN SCHEMA mops FROM regress_mops_acme, regress_mops_globex, regress_mops_nobody;
DROP ROLE regress_mops_acme, regress_mops_globex, regress_mops_nobody;
