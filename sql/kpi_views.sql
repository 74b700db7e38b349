-- kpi_views: DESIGN §4.  A small hand-made data set whose every KPI value is
-- worked out by hand below, then the views, the scorecard and the alerts
-- checked against those values.  Months: 2026-01 and 2026-02 carry data;
-- 2026-03 has only a zero-capacity month and one survey response (zero
-- denominators give NULL, never an error, and NULL KPIs are not scored).
-- Times are UTC; the session runs in another time zone to show that the
-- months do not move with it.
SET search_path = mops, public;
SET datestyle = 'ISO, YMD';
SET timezone = 'America/New_York';

-- ---------------------------------------------------------------------------
-- campaign: 20 planned to start 2026-01-10, 19 launched on time; campaign 1
-- launched 2026-01-10 23:30 UTC (18:30 in New York: still the 10th in UTC,
-- on time); campaign 20 launched 2026-01-11 00:30 UTC (late, although it is
-- still the 10th in New York).  February: 4 planned for 2026-02-10, 3 on
-- time, 1 (24) never launched.  Brands alternate acme / globex (for the
-- row-level security test).
INSERT INTO campaign (campaign_id, name, brand, channel, planned_start, planned_end, launched_at)
SELECT i, 'campaign ' || i, CASE WHEN i % 2 = 1 THEN 'acme' ELSE 'globex' END, 'Paid Social',
       date '2026-01-10', date '2026-01-31',
       CASE WHEN i = 1 THEN timestamptz '2026-01-10 23:30:00+00'
            WHEN i = 20 THEN timestamptz '2026-01-11 00:30:00+00'
            ELSE timestamptz '2026-01-09 09:00:00+00' END
FROM generate_series(1, 20) AS i;
INSERT INTO campaign (campaign_id, name, brand, planned_start, launched_at)
VALUES (21, 'feb a', 'acme', '2026-02-10', '2026-02-10 08:00+00'),
       (22, 'feb b', 'globex', '2026-02-10', '2026-02-01 08:00+00'),
       (23, 'feb c', 'acme', '2026-02-10', '2026-02-09 08:00+00'),
       (24, 'feb d', 'globex', '2026-02-10', NULL);
-- Channels are stored normalised.
SELECT DISTINCT channel FROM campaign WHERE channel IS NOT NULL;  -- paid_social

-- expect: 2026-01: 20 due, 19 on time, 19/20 = 0.95; 2026-02: 4 due, 3 on time, 0.75.
SELECT * FROM kpi_campaign_delivery ORDER BY period;

-- ---------------------------------------------------------------------------
-- content_item (c = created, s = submitted, a = approved, p = published, d = due):
--   1: c 01-01, s 01-02 00:00, a 01-02 12:00 (12 h), p 01-05 (4 days), d 01-06: on time;  brand t, compliance t, qa t
--   2: c 01-02, s 01-03 00:00, a 01-04 00:00 (24 h), p 01-08 (6 days), d 01-07: late;     brand f, compliance t, qa t
--   3: c 01-10, s 01-11, never approved or published, d 01-20: not met
--   4: c 01-15, s 01-16 00:00, a 01-16 06:00 (6 h), p 01-20 (5 days), d 02-01 00:00: on time; brand NULL, compliance t, qa f
--   5: c 02-01, s 02-02 00:00, a 02-02 03:00 (3 h), p 02-03 (2 days), d 02-10: on time;   brand t, compliance t, qa t
INSERT INTO content_item (content_id, campaign_id, kind, created_at, submitted_at, approved_at, published_at, due_at,
                          brand_compliant, compliance_passed, qa_passed) VALUES
  (1, 1,    'email', '2026-01-01 00:00+00', '2026-01-02 00:00+00', '2026-01-02 12:00+00', '2026-01-05 00:00+00', '2026-01-06 00:00+00', true,  true, true),
  (2, 2,    'video', '2026-01-02 00:00+00', '2026-01-03 00:00+00', '2026-01-04 00:00+00', '2026-01-08 00:00+00', '2026-01-07 00:00+00', false, true, true),
  (3, NULL, 'blog',  '2026-01-10 00:00+00', '2026-01-11 00:00+00', NULL,                  NULL,                  '2026-01-20 00:00+00', NULL,  NULL, NULL),
  (4, 3,    'email', '2026-01-15 00:00+00', '2026-01-16 00:00+00', '2026-01-16 06:00+00', '2026-01-20 00:00+00', '2026-02-01 00:00+00', NULL,  true, false),
  (5, 21,   'email', '2026-02-01 00:00+00', '2026-02-02 00:00+00', '2026-02-02 03:00+00', '2026-02-03 00:00+00', '2026-02-10 00:00+00', true,  true, true);

-- expect 2026-01: published 3 (1, 2, 4); cycle (4 + 6 + 5) / 3 = 5 days;
--   approved 3, approval (12 + 24 + 6) / 3 = 14 h; brand: 2 reviewed, 1 compliant = 0.5;
--   compliance 3/3 = 1; qa 2/3 = 0.66666666666666666667; due in January: 1, 2, 3, of which
--   only 1 published by its due time: 1/3; submitted in January: 1, 2, 3, 4, approved 1, 2, 4: 0.75.
-- expect 2026-02: published 1, cycle 2 days, approval 3 h, brand 1, compliance 1, qa 1;
--   due: 4 (due 02-01 00:00, published 01-20) and 5: 2/2 = 1; workflow 1/1 = 1.
\x on
SELECT * FROM kpi_content_production ORDER BY period;
\x off

-- ---------------------------------------------------------------------------
-- distribution.  January: email 5 delivered + 1 failed, Paid Social 3
-- delivered + 1 cancelled -> all: 8 / (8 + 1) = 0.88888888888888888889;
-- email 5/6 = 0.83333333333333333333, paid_social 3/3 = 1.  February: two
-- still scheduled: delivered + failed = 0, so NULL (and not scored).
INSERT INTO distribution (distribution_id, content_id, campaign_id, channel, scheduled_at, delivered_at, status)
SELECT i, 1, 1, CASE WHEN i <= 6 THEN 'Email' ELSE 'Paid Social' END,
       timestamptz '2026-01-05 10:00+00', NULL,
       CASE WHEN i <= 5 THEN 'delivered' WHEN i = 6 THEN 'failed' WHEN i <= 9 THEN 'delivered' ELSE 'cancelled' END
FROM generate_series(1, 10) AS i;
INSERT INTO distribution (distribution_id, content_id, campaign_id, channel, scheduled_at, status)
VALUES (11, 5, 21, 'email', '2026-02-20 10:00+00', 'scheduled'), (12, 5, 21, 'email', '2026-02-21 10:00+00', 'scheduled');
SELECT * FROM kpi_distribution ORDER BY period, channel NULLS FIRST;

-- ---------------------------------------------------------------------------
-- resource_capacity.  January: (90 + 80) / (100 + 100) = 0.85 (the band's
-- lower edge: met); February: (105 + 100) / 200 = 1.025 (0.025 above the
-- band: at_risk); March: zero capacity -> NULL.
INSERT INTO resource_capacity VALUES
  ('design', '2026-01-01', 100, 95, 90), ('web', '2026-01-01', 100, 90, 80),
  ('design', '2026-02-01', 100, 100, 105), ('web', '2026-02-01', 100, 100, 100),
  ('design', '2026-03-01', 0, 0, 0);
SELECT * FROM kpi_resource_utilization ORDER BY period, team NULLS FIRST;

-- ---------------------------------------------------------------------------
-- Money.  Spend: January 1000 EUR (campaign 1) + 500 USD (campaign 2);
-- February 1000 EUR (campaign 3).  Conversions: January EUR 1500 (customer 1)
-- + 1000 (customer 2), USD 400 (customer 3); February EUR 1000 (customer 1),
-- 500 (customer 4), 700 + 800 (customer 5).  Leads entering lifecycle:lead:
-- January 4, February 2 (lead_stage below).
INSERT INTO spend VALUES (1, 1, 'Paid Search', '2026-01-15', 600, 'EUR'), (2, 1, 'email', '2026-01-31', 400, 'EUR'),
                         (3, 2, 'display', '2026-01-20', 500, 'USD'), (4, 3, 'paid_search', '2026-02-01', 1000, 'EUR');
INSERT INTO conversion VALUES
  (1, 1, '2026-01-15 12:00+00', 1500, 'EUR', 'o1'), (2, 2, '2026-01-20 12:00+00', 1000, 'EUR', 'o2'),
  (3, 3, '2026-01-25 12:00+00', 400, 'USD', 'o3'),
  (4, 1, '2026-02-03 12:00+00', 1000, 'EUR', 'o4'), (5, 4, '2026-02-10 12:00+00', 500, 'EUR', 'o5'),
  (6, 5, '2026-02-11 12:00+00', 700, 'EUR', 'o6'), (7, 5, '2026-02-12 12:00+00', 800, 'EUR', 'o7');
-- lead_stage (lifecycle: subscriber 1, lead 2, mql 3, sql 4, opportunity 5):
--   lead 1: subscriber 01-01, lead 01-02, mql 01-05, sql 01-20
--   lead 2: lead 01-03, mql 01-10 (no further)
--   lead 3: lead 01-04, mql 01-12, opportunity 02-03 (skips sql: reaches it on 02-03)
--   lead 4: lead 01-06, mql 01-25, sql 02-02
--   lead 5: lead 02-01, mql 02-05, sql 02-06
--   lead 6: lead 02-10
INSERT INTO lead_stage VALUES
  (1, 'lifecycle:subscriber', '2026-01-01 09:00+00'), (1, 'lifecycle:lead', '2026-01-02 09:00+00'),
  (1, 'lifecycle:mql', '2026-01-05 09:00+00'), (1, 'lifecycle:sql', '2026-01-20 09:00+00'),
  (2, 'lifecycle:lead', '2026-01-03 09:00+00'), (2, 'lifecycle:mql', '2026-01-10 09:00+00'),
  (3, 'lifecycle:lead', '2026-01-04 09:00+00'), (3, 'lifecycle:mql', '2026-01-12 09:00+00'),
  (3, 'lifecycle:opportunity', '2026-02-03 09:00+00'),
  (4, 'lifecycle:lead', '2026-01-06 09:00+00'), (4, 'lifecycle:mql', '2026-01-25 09:00+00'),
  (4, 'lifecycle:sql', '2026-02-02 09:00+00'),
  (5, 'lifecycle:lead', '2026-02-01 09:00+00'), (5, 'lifecycle:mql', '2026-02-05 09:00+00'),
  (5, 'lifecycle:sql', '2026-02-06 09:00+00'),
  (6, 'lifecycle:lead', '2026-02-10 09:00+00');

-- expect January EUR: spend 1000, leads 4, conversions 2, value 2500:
--   cost_per_lead 1000/4 = 250, cpa 1000/2 = 500, roas 2500/1000 = 2.5, roi 1500/1000 = 1.5.
-- January USD: spend 500, leads 4, 1 conversion of 400: cpl 125, cpa 500, roas 0.8, roi -0.2.
-- February EUR: spend 1000, leads 2, 4 conversions, value 3000: cpl 500, cpa 250, roas 3, roi 2.
SELECT * FROM kpi_acquisition ORDER BY period, currency;

-- ---------------------------------------------------------------------------
-- Customer value.  Fulfilment: January EUR orders delivered at cost 50 and
-- 150 (mean 100); an undelivered order does not count.  Responses: January
-- csat 5, 4, 3, 2 -> 2/4 = 0.5; March: 5 -> 1.
INSERT INTO fulfilment VALUES ('o1', 1, '2026-01-18 00:00+00', '2026-01-17 00:00+00', 50, 'EUR'),
                              ('o2', 2, '2026-01-23 00:00+00', '2026-01-24 00:00+00', 150, 'EUR'),
                              ('o4', 1, '2026-02-06 00:00+00', NULL, 75, 'EUR');
INSERT INTO customer_feedback VALUES (1, 1, '2026-01-16 00:00+00', 5), (2, 2, '2026-01-21 00:00+00', 4),
                                     (3, 3, '2026-01-26 00:00+00', 3), (4, 1, '2026-01-30 00:00+00', 2),
                                     (5, 4, '2026-03-02 00:00+00', 5);
-- expect January EUR: value 2500 over customers {1, 2}: revenue_per_customer 1250; clv 2500/2 = 1250;
--   csat 0.5; 2 orders delivered, mean cost 100: cpa_to_delivery 500/100 = 5.
-- January USD: 400 over {3}: 400, clv 400, csat 0.5 (repeated), no deliveries: cpa_to_delivery NULL.
-- February EUR: 3000 over {1, 4, 5}: 1000; cumulative 5500 over {1, 2, 4, 5}: clv 1375; no responses: csat NULL.
-- March (no money): one row with currency NULL, csat 1.
\x on
SELECT * FROM kpi_customer_value ORDER BY period, currency NULLS FIRST;
\x off

-- ---------------------------------------------------------------------------
-- Funnel.  Reached mql in January: leads 1, 2, 3, 4; of them 1 (01-20), 3
-- (via opportunity, 02-03) and 4 (02-02) reached sql: mql_to_sql 3/4 = 0.75
-- (in the 0.60-0.80 band: met).  Reached mql in February: lead 5, which
-- reached sql: 1/1 = 1 (0.2 above the band: missed).
-- A lead reached a stage when it entered it or any later one, so every
-- lead reached subscriber.  Rows (period = month the cohort reached the
-- previous stage):
--   subscriber: January 4 (leads 1-4), February 2 (5, 6); no step conversion.
--   lead:        cohort = reached subscriber: January 4 -> 4 (1), February 2 -> 2 (1).
--   mql:         cohort = reached lead: January 4 -> 4 (1), February 2 -> 1 (0.5).
--   sql:         cohort = reached mql: January 4 -> 3 (0.75), February 1 -> 1 (1).
--   opportunity: cohort = reached sql: January lead 1 -> 0 (0); February 3, 4, 5 -> 3 (1/3).
--   customer:    cohort = reached opportunity: February lead 3 -> 0 (0).
--   evangelist:  nobody reached customer: no row.
SELECT * FROM kpi_funnel ORDER BY period, stage_position;

-- ---------------------------------------------------------------------------
-- Improvement against the earliest month (January).
--   production_speed_gain: January 1 - 5/5 = 0; February 1 - 2/5 = 0.6 (met).
--   approval_speed_gain: January 0; February 1 - 3/14 = 0.78571428571428571429 (met).
--   roi_gain EUR: January 0; February 2/1.5 - 1 = 0.3333333333333333 (numeric divides 2 by 1.5
--     to 16 decimals; at_risk: >= 0.35 - 0.035).
--   cpa_reduction EUR: January 0; February 1 - 250/500 = 0.5 (met).
--   USD: January only, the baseline itself: 0 and 0.
\x on
SELECT * FROM kpi_improvement ORDER BY period, currency NULLS FIRST;
\x off

-- ---------------------------------------------------------------------------
-- Attribution.  Customer 1 converts on 2026-01-15 12:00 (1500 EUR) after
-- touches 14, 7 and 0 days before (email, paid search, email) and one 31
-- days before (display: outside the 30-day window).  Path: email >
-- paid_search > email (path_collapse changes nothing).
--   first_touch, last_touch: email gets 1 conversion and 1500.
--   linear: email 2/3 (1000), paid_search 1/3 (500).
--   position_based (40/20/40): email 0.8 (1200), paid_search 0.2 (300).
--   time_decay (half-life 7 days, weights 1/7, 2/7, 4/7): email 5/7
--     (1071.4285714285714286 of 1500), paid_search 2/7 (428.5714285714285714).
-- Customer 2 (2026-01-20) has no touches: not credited.  Customer 3
-- converts on 2026-01-25 12:00 (400 USD) after email (5 and 4 days before:
-- one run, collapsed to its first touch) and direct (1 day before): email >
-- direct; linear and position_based give 1/2 each (two touches), time_decay
-- 2^(-5/7) : 2^(-1/7) = 0.4023 : 0.5977.  Every touched channel gets a row
-- under every model, with 0 where the model gives it nothing.
INSERT INTO touchpoint VALUES
  (1, 1, '2025-12-15 12:00+00', 'display', 'gdn', 'cpm', NULL),
  (2, 1, '2026-01-01 12:00+00', 'Email', 'newsletter', 'email', 1),
  (3, 1, '2026-01-08 12:00+00', 'Paid Search', 'google', 'cpc', 1),
  (4, 1, '2026-01-15 12:00+00', 'email', 'newsletter', 'email', 1),
  (5, 3, '2026-01-20 12:00+00', 'email', 'newsletter', 'email', 2),
  (6, 3, '2026-01-21 12:00+00', 'email', 'newsletter', 'email', 2),
  (7, 3, '2026-01-24 12:00+00', 'direct', NULL, NULL, NULL);
SELECT * FROM kpi_attribution WHERE period = '2026-01-01' ORDER BY model, currency, channel;

-- ---------------------------------------------------------------------------
-- Goals (dates far from today, so that the result does not depend on when
-- the test runs).
--   campaign 1: email_clicks 1000 -> 1250 in 2000; latest value up to today 1125
--     (measured 2000-06-01; a value dated 2999 is in the future and ignored):
--     progress 0.5, expected 1 (the year is over), status missed.
--   campaign 2: signups target 300 (no baseline), 320 measured: progress 1.0666…, achieved.
--   campaign 3: a goal starting in 2090: not_started, expected 0.
--   campaign 4: no measurement of its metric: actual, progress and status NULL.
UPDATE campaign SET goal = 'metric=email_clicks baseline=1000 target=1250 starts=2000-01-01 due=2000-12-31' WHERE campaign_id = 1;
UPDATE campaign SET goal = 'metric=signups target=300' WHERE campaign_id = 2;
UPDATE campaign SET goal = 'metric=nps baseline=20 target=40 starts=2090-01-01 due=2090-12-31' WHERE campaign_id = 3;
UPDATE campaign SET goal = 'metric=unmeasured target=1' WHERE campaign_id = 4;
INSERT INTO metric_value VALUES ('email_clicks', '2000-03-01', 1100), ('email_clicks', '2000-06-01', 1125),
                                ('email_clicks', '2999-01-01', 9999), ('signups', '2001-01-01', 320),
                                ('nps', '2000-01-01', 25);
SELECT * FROM kpi_goal_status ORDER BY campaign_id;

-- ---------------------------------------------------------------------------
-- Budgets, rolled up over the path prefixes.  Periods in 2025, wholly past,
-- so pacing and forecast (as of today) see elapsed = 1: pacing = actual /
-- planned, forecast = actual.
--   Q1 EUR: emea/paid_social/q1 planned 1000, actual 900; emea/email/q1 500, 550.
--   Q1 USD: amer/paid_social/q1 2000, 2000.
--   Q2 EUR: emea/paid_social/q2 planned 0, actual 100 (a zero plan: accuracy and pacing NULL).
-- expect Q1 EUR: emea 1500 vs 1450: variance -50, accuracy 1 - 50/1500 =
--   0.96666666666666666667, pacing 1450/1500 = 0.96666666666666666667, forecast 1450;
--   emea/email and emea/email/q1: 1 - 50/500 = 0.9, pacing 1.1; emea/paid_social and
--   emea/paid_social/q1: 0.9, pacing 0.9.  Q1 USD: amer, amer/paid_social,
--   amer/paid_social/q1: accuracy 1, pacing 1.  Q2 EUR: emea, emea/paid_social,
--   emea/paid_social/q2: accuracy NULL, pacing NULL, forecast 100.
INSERT INTO budget_line (budget_line_id, path, period, currency, planned, committed, actual) VALUES
  (1, '{emea,paid_social,q1}', '[2025-01-01,2025-04-01)', 'EUR', 1000, 50, 900),
  (2, '{emea,email,q1}', '[2025-01-01,2025-04-01)', 'EUR', 500, 0, 550),
  (3, '{amer,paid_social,q1}', '[2025-01-01,2025-04-01)', 'USD', 2000, 0, 2000),
  (4, '{emea,paid_social,q2}', '[2025-04-01,2025-07-01)', 'EUR', 0, 0, 100);
SELECT period, period_end, path, depth, node, currency, budget_lines, planned, committed, actual,
       variance, budget_accuracy, pacing, forecast
FROM kpi_budget ORDER BY period, currency, path;

-- ---------------------------------------------------------------------------
-- Maturity, per assessment (three questions per pillar).
--   1: five pillars answer 3, 3, 3; team answers 1, 2, 1.5 (mean 1.5):
--      overall (5 x 3 + 1.5) / 6 = 2.75 -> optimisation by score, but the
--      weakest pillar (team, 1.5: foundations) caps it one stage above:
--      alignment.
--   2: every pillar 4, 4, 4: 4 -> integration, complete.
--   3: five pillars answer 2 (no team answers): 2 -> alignment, incomplete.
INSERT INTO maturity_response
SELECT 1, '2025-03-15', p, 'q' || q, CASE WHEN p = 'team' THEN (ARRAY[1, 2, 1.5])[q] ELSE 3 END
FROM unnest('{business_leadership,customer_experience,marketing_tactics,tools_technology,project_management,team}'::text[]) AS p,
     generate_series(1, 3) AS q;
INSERT INTO maturity_response
SELECT 2, '2025-09-15', p, 'q' || q, 4
FROM unnest('{business_leadership,customer_experience,marketing_tactics,tools_technology,project_management,team}'::text[]) AS p,
     generate_series(1, 3) AS q;
INSERT INTO maturity_response
SELECT 3, '2025-10-01', p, 'q' || q, 2
FROM unnest('{business_leadership,customer_experience,marketing_tactics,tools_technology,project_management}'::text[]) AS p,
     generate_series(1, 3) AS q;
SELECT * FROM kpi_maturity ORDER BY assessment_id;

-- ---------------------------------------------------------------------------
-- The scorecard: every KPI with a target and a value, per month.
-- expect 2026-01: campaign_on_time 0.95 met (>= 0.95); brand_consistency 0.5
--   missed; compliance 1 met; qa_success 0.667 missed (< 0.95 - 0.095);
--   workflow_success 0.75 missed (< 0.81); distribution_success 0.889 at_risk
--   (>= 0.828); resource_utilization 0.85 met (band edge); mql_to_sql 0.75
--   met; production/approval_speed_gain 0 missed; roi_gain and cpa_reduction
--   0 missed for EUR and USD.
-- expect 2026-02: campaign_on_time 0.75 missed; brand_consistency,
--   compliance, qa_success, workflow_success 1 met; resource_utilization
--   1.025 at_risk; mql_to_sql 1 missed; production_speed_gain 0.6 met;
--   approval_speed_gain 0.786 met; roi_gain EUR 0.333 at_risk;
--   cpa_reduction EUR 0.5 met.  No distribution_success (NULL) in February,
--   nothing at all in March (resource_utilization NULL: zero capacity).
SELECT period, kpi, scope, actual, target, target_max, direction, status
FROM kpi_scorecard ORDER BY period, kpi, scope;

-- Alerts: each KPI's latest scored month, when not met.
-- expect: campaign_on_time 2026-02 missed; distribution_success 2026-01
-- at_risk (its latest scored month); mql_to_sql 2026-02 missed;
-- resource_utilization 2026-02 at_risk; roi_gain EUR 2026-02 at_risk; roi_gain
-- USD and cpa_reduction USD 2026-01 missed (USD's only month).
SELECT period, kpi, scope, actual, status FROM kpi_alerts ORDER BY kpi, scope;

-- A target changed by the user applies at once: cpa (reported) gets a
-- lower_is_better target of 300; January EUR 500 and USD 500 are missed, February
-- EUR 250 met.  Inserting a target for a KPI that has one replaces it.
INSERT INTO kpi_target VALUES ('cpa', 300, NULL, 'lower_is_better', 'our plan');
INSERT INTO kpi_target VALUES ('campaign_on_time', 0.75, NULL, 'higher_is_better', 'relaxed');
SELECT period, kpi, scope, actual, target, status FROM kpi_scorecard
WHERE kpi IN ('cpa', 'campaign_on_time') ORDER BY kpi, period, scope;
-- expect: campaign_on_time now met in January (0.95) and February (0.75 = target)
SELECT kpi, target, source FROM kpi_target WHERE kpi IN ('cpa', 'campaign_on_time') ORDER BY kpi;

-- Every column of every view has one of DESIGN's plain SQL types (numeric,
-- bigint, text, date, timestamptz, boolean: no mops types, arrays, ranges or
-- jsonb) and a comment; every view is security_invoker.
SELECT c.relname AS view, a.attname AS col, format_type(a.atttypid, a.atttypmod) AS type
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
WHERE c.relnamespace = 'mops'::regnamespace AND c.relkind = 'v'
  AND (a.atttypid NOT IN ('numeric'::regtype, 'bigint'::regtype, 'text'::regtype,
                          'date'::regtype, 'timestamptz'::regtype, 'boolean'::regtype)
       OR col_description(c.oid, a.attnum) IS NULL);  -- 0 rows
SELECT c.relname AS view FROM pg_class c
WHERE c.relnamespace = 'mops'::regnamespace AND c.relkind = 'v'
  AND (c.reloptions IS NULL OR NOT 'security_invoker=true' = ANY (c.reloptions)
       OR obj_description(c.oid, 'pg_class') IS NULL);  -- 0 rows

TRUNCATE campaign, content_item, distribution, resource_capacity, spend, conversion, lead_stage,
         fulfilment, customer_feedback, touchpoint, metric_value, budget_line, maturity_response;
DELETE FROM kpi_target WHERE kpi = 'cpa';
UPDATE kpi_target SET target = 0.95, source = 'integration map' WHERE kpi = 'campaign_on_time';
