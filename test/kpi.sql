-- pgTAP: the data model, the KPI views, the scorecard, the alerts and the
-- demo data (DESIGN §4; doc/kpis.md).  Expected values come from DESIGN and
-- the doc, from hand calculations written next to them, or from oracles
-- written here in SQL over the base tables, never from the implementation's
-- output:
--   1. the data contract: the seeded targets, CHECK (23514), NOT NULL
--      (23502), primary keys (23505), foreign keys (23503), kpi_target's
--      insert-replaces rule, channel normalisation on insert and update;
--   2. hand-made rows: the scorecard's status bands at their edges for every
--      direction, the alerts, UTC days and months (campaign_on_time,
--      distribution, content), the funnel's "reached" rule, a zero budget;
--   3. load_demo_data: 22023, 55000 (after a load, and for each of the 13
--      tables holding a row alone), the documented volumes, determinism
--      across session time zones, demo realism; then over the demo year:
--      scorecard / target / value / alert consistency, and the KPIs
--      recomputed from the base tables for every month (and currency,
--      channel, team, stage, budget node);
--   4. schema: the tables' columns, types, keys, indexes and grants, the
--      views (security_invoker, comments, plain column types, KPI column
--      names), pg_extension_config_dump, load_demo_data and demo_uniform
--      (signatures, volatility, range, determinism), and row-level security
--      through the views.
-- Numeric comparisons: EXACT equality for the ratios and means, whose
-- oracles use the documented form (trim_scale(a::numeric / b), the mean as
-- avg(extract(epoch ...)) / 86400 resp. / 3600; numeric equality ignores
-- trailing zeros).  A tolerance of 1e-15 (relative above 1) only where the
-- KPI is a quotient of KPIs (cpa_to_delivery, the improvement KPIs) or a
-- C function's division (budget_accuracy), whose last digit depends on the
-- operands' scale; 1e-9 for the sums of attribution credits.
-- The session runs in Asia/Kathmandu (UTC+05:45) on purpose: periods are
-- documented to be UTC months whatever the session's TimeZone, and every
-- oracle below names UTC explicitly.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
SET LOCAL search_path = public, pg_catalog;
SET LOCAL timezone = 'Asia/Kathmandu';

SELECT plan(192);

-- diag(sql): {sqlstate, message, detail, hint} of the error sql raises
\ir lib/diag.sql

-- load_state(setup): run setup, then load_demo_data(1); return the SQLSTATE
-- load_demo_data raised, or 'loaded' if it loaded; everything is rolled back.
CREATE FUNCTION pg_temp.load_state(setup text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    st text;
BEGIN
    BEGIN
        EXECUTE setup;
        BEGIN
            PERFORM mops.load_demo_data(1);
            st := 'loaded';
        EXCEPTION WHEN OTHERS THEN
            st := SQLSTATE;
        END;
        RAISE EXCEPTION 'roll back';
    EXCEPTION WHEN OTHERS THEN
        RETURN coalesce(st, 'setup failed: ' || SQLSTATE);
    END;
END
$$;

-- ===========================================================================
-- 1. The data contract (tables empty)
-- ===========================================================================

SELECT set_eq(
    $$SELECT kpi, target, target_max, direction FROM mops.kpi_target$$,
    $$VALUES ('campaign_on_time', 0.95, NULL::numeric, 'higher_is_better'),
             ('brand_consistency', 0.98, NULL, 'higher_is_better'),
             ('compliance', 0.98, NULL, 'higher_is_better'),
             ('qa_success', 0.95, NULL, 'higher_is_better'),
             ('workflow_success', 0.90, NULL, 'higher_is_better'),
             ('distribution_success', 0.92, NULL, 'higher_is_better'),
             ('resource_utilization', 0.85, 1.00, 'within'),
             ('mql_to_sql', 0.60, 0.80, 'within'),
             ('production_speed_gain', 0.50, NULL, 'higher_is_better'),
             ('approval_speed_gain', 0.70, NULL, 'higher_is_better'),
             ('roi_gain', 0.35, NULL, 'higher_is_better'),
             ('cpa_reduction', 0.30, NULL, 'higher_is_better')$$,
    'kpi_target is seeded with the twelve targets of doc/kpis.md');
-- kept, to put the seeded targets back after the tests that change them
CREATE TEMP TABLE seeded_targets ON COMMIT DROP AS SELECT * FROM mops.kpi_target;

-- One valid row per table (the PK and FK tests below build on them).
INSERT INTO mops.campaign (campaign_id, name, brand, channel, planned_start)
VALUES (1, 'base', 'acme', 'Paid Social', '2029-03-10');
INSERT INTO mops.content_item (content_id, campaign_id, created_at) VALUES (1, 1, '2029-03-01 10:00+00');
INSERT INTO mops.distribution (distribution_id, content_id, campaign_id, channel, scheduled_at, status)
VALUES (1, 1, 1, 'Paid Social', '2029-03-02 10:00+00', 'delivered');
INSERT INTO mops.resource_capacity VALUES ('web', '2029-03-01', 10, 10, 10);
INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned)
VALUES (1, '{emea,paid_social}', '[2029-01-01,2029-04-01)', 'EUR', 1000);
INSERT INTO mops.spend VALUES (1, 1, 'Paid Social', '2029-03-10', 100, 'EUR');
INSERT INTO mops.touchpoint VALUES (1, 7, '2029-03-10 12:00+00', 'Paid Social', 'facebook', 'paid_social', 1);
INSERT INTO mops.conversion VALUES (1, 7, '2029-03-11 12:00+00', 50, 'EUR', 'o1');
INSERT INTO mops.lead_stage VALUES (1, 'lifecycle:lead', '2029-03-01 09:00+00');
INSERT INTO mops.customer_feedback VALUES (1, 7, '2029-03-12 12:00+00', 4);
INSERT INTO mops.fulfilment VALUES ('o1', 7, '2029-03-14 12:00+00', '2029-03-13 12:00+00', 5, 'EUR');
INSERT INTO mops.metric_value VALUES ('clicks', '2029-03-10', 1);
INSERT INTO mops.maturity_response VALUES (1, '2029-03-10', 'team', 'q1', 3);

-- CHECK (23514)
SELECT throws_ok($$INSERT INTO mops.distribution VALUES (2, 1, 1, 'email', '2029-03-02', NULL, 'sent')$$,
                 '23514', NULL, 'distribution.status ''sent'' is not in the list');
SELECT throws_ok($$INSERT INTO mops.distribution VALUES (2, 1, 1, 'email', '2029-03-02', NULL, 'Delivered')$$,
                 '23514', NULL, 'distribution.status is case-sensitive: ''Delivered'' is not in the list');
SELECT throws_ok($$INSERT INTO mops.customer_feedback VALUES (2, 7, '2029-03-12', 0)$$,
                 '23514', NULL, 'csat 0 is below 1');
SELECT throws_ok($$INSERT INTO mops.customer_feedback VALUES (2, 7, '2029-03-12', 6)$$,
                 '23514', NULL, 'csat 6 is above 5');
SELECT throws_ok($$INSERT INTO mops.maturity_response VALUES (1, '2029-03-10', 'team', 'q2', 0.5)$$,
                 '23514', NULL, 'maturity_response.score 0.5 is below 1');
SELECT throws_ok($$INSERT INTO mops.maturity_response VALUES (1, '2029-03-10', 'team', 'q2', 5.5)$$,
                 '23514', NULL, 'maturity_response.score 5.5 is above 5');
SELECT throws_ok($$INSERT INTO mops.resource_capacity VALUES ('web', '2029-03-02', 10, 10, 10)$$,
                 '23514', NULL, 'resource_capacity.month must be a first day');
SELECT throws_ok($$INSERT INTO mops.spend VALUES (2, 1, 'email', '2029-03-10', 1, 'eur')$$,
                 '23514', NULL, 'spend.currency ''eur'': not upper case');
-- 'EURO' cannot reach the CHECK: DESIGN makes currency char(3), and
-- assigning a 4-character value to char(3) is 22001 (value too long).
SELECT throws_ok($$INSERT INTO mops.spend VALUES (2, 1, 'email', '2029-03-10', 1, 'EURO')$$,
                 '22001', NULL, 'spend.currency ''EURO'': too long for char(3) (22001 before the CHECK)');
SELECT throws_ok($$INSERT INTO mops.spend VALUES (2, 1, 'email', '2029-03-10', 1, 'EU')$$,
                 '23514', NULL, 'spend.currency ''EU'' (padded to ''EU '') is not three letters');
SELECT throws_ok($$INSERT INTO mops.conversion VALUES (2, 7, '2029-03-11', 1, 'eur', NULL)$$,
                 '23514', NULL, 'conversion.currency ''eur''');
SELECT throws_ok($$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned)
                   VALUES (2, '{emea}', '[2029-01-01,2029-04-01)', 'eur', 1)$$,
                 '23514', NULL, 'budget_line.currency ''eur''');
SELECT throws_ok($$INSERT INTO mops.fulfilment VALUES ('o2', 7, NULL, NULL, 1, 'usd')$$,
                 '23514', NULL, 'fulfilment.currency ''usd''');
SELECT throws_ok($$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned)
                   VALUES (2, '{}', '[2029-01-01,2029-04-01)', 'EUR', 1)$$,
                 '23514', NULL, 'budget_line.path must not be empty');
SELECT throws_ok($$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned)
                   VALUES (2, '{emea,NULL}', '[2029-01-01,2029-04-01)', 'EUR', 1)$$,
                 '23514', NULL, 'budget_line.path must not contain NULL');
SELECT throws_ok($$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned)
                   VALUES (2, '{emea}', 'empty', 'EUR', 1)$$,
                 '23514', NULL, 'budget_line.period must not be empty');
SELECT throws_ok($$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned)
                   VALUES (2, '{emea}', '[2029-01-01,)', 'EUR', 1)$$,
                 '23514', NULL, 'budget_line.period must have an upper bound');
SELECT throws_ok($$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned)
                   VALUES (2, '{emea}', '(,2029-01-01)', 'EUR', 1)$$,
                 '23514', NULL, 'budget_line.period must have a lower bound');
SELECT throws_ok($$INSERT INTO mops.kpi_target VALUES ('cpa', 50, NULL, 'up', 'kpitap')$$,
                 '23514', NULL, 'kpi_target.direction ''up'' is unknown');
SELECT throws_ok($$INSERT INTO mops.kpi_target VALUES ('cpa', 50, NULL, 'within', 'kpitap')$$,
                 '23514', NULL, 'kpi_target: within needs target_max');
SELECT throws_ok($$INSERT INTO mops.kpi_target VALUES ('cpa', 0.6, 0.5, 'within', 'kpitap')$$,
                 '23514', NULL, 'kpi_target: within needs target_max >= target');
SELECT throws_ok($$INSERT INTO mops.kpi_target VALUES ('campaign_on_time', 0.9, NULL, 'within', 'kpitap')$$,
                 '23514', NULL, 'kpi_target: replacing an existing KPI is checked too (within without target_max)');

-- NOT NULL (23502)
SELECT throws_ok($$INSERT INTO mops.campaign (campaign_id, name) VALUES (2, NULL)$$, '23502', NULL, 'campaign.name NOT NULL');
SELECT throws_ok($$INSERT INTO mops.content_item (content_id, created_at) VALUES (2, NULL)$$, '23502', NULL, 'content_item.created_at NOT NULL');
SELECT throws_ok($$INSERT INTO mops.distribution VALUES (2, 1, 1, NULL, '2029-03-02', NULL, 'failed')$$, '23502', NULL, 'distribution.channel NOT NULL');
SELECT throws_ok($$INSERT INTO mops.distribution VALUES (2, 1, 1, 'email', NULL, NULL, 'failed')$$, '23502', NULL, 'distribution.scheduled_at NOT NULL');
SELECT throws_ok($$INSERT INTO mops.distribution VALUES (2, 1, 1, 'email', '2029-03-02', NULL, NULL)$$, '23502', NULL, 'distribution.status NOT NULL');
SELECT throws_ok($$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned)
                   VALUES (2, NULL, '[2029-01-01,2029-04-01)', 'EUR', 1)$$, '23502', NULL, 'budget_line.path NOT NULL');
SELECT throws_ok($$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned)
                   VALUES (2, '{emea}', NULL, 'EUR', 1)$$, '23502', NULL, 'budget_line.period NOT NULL');
SELECT throws_ok($$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned)
                   VALUES (2, '{emea}', '[2029-01-01,2029-04-01)', NULL, 1)$$, '23502', NULL, 'budget_line.currency NOT NULL');
SELECT throws_ok($$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned)
                   VALUES (2, '{emea}', '[2029-01-01,2029-04-01)', 'EUR', NULL)$$, '23502', NULL, 'budget_line.planned NOT NULL');
SELECT throws_ok($$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned, actual)
                   VALUES (2, '{emea}', '[2029-01-01,2029-04-01)', 'EUR', 1, NULL)$$, '23502', NULL, 'budget_line.actual NOT NULL');
SELECT throws_ok($$INSERT INTO mops.spend VALUES (2, 1, NULL, '2029-03-10', 1, 'EUR')$$, '23502', NULL, 'spend.channel NOT NULL');
SELECT throws_ok($$INSERT INTO mops.spend VALUES (2, 1, 'email', NULL, 1, 'EUR')$$, '23502', NULL, 'spend.spent_on NOT NULL');
SELECT throws_ok($$INSERT INTO mops.spend VALUES (2, 1, 'email', '2029-03-10', NULL, 'EUR')$$, '23502', NULL, 'spend.amount NOT NULL');
SELECT throws_ok($$INSERT INTO mops.touchpoint VALUES (2, NULL, '2029-03-10', 'email', NULL, NULL, NULL)$$, '23502', NULL, 'touchpoint.customer_id NOT NULL');
SELECT throws_ok($$INSERT INTO mops.touchpoint VALUES (2, 7, NULL, 'email', NULL, NULL, NULL)$$, '23502', NULL, 'touchpoint.occurred_at NOT NULL');
SELECT throws_ok($$INSERT INTO mops.touchpoint VALUES (2, 7, '2029-03-10', NULL, NULL, NULL, NULL)$$, '23502', NULL, 'touchpoint.channel NOT NULL');
SELECT throws_ok($$INSERT INTO mops.conversion VALUES (2, 7, '2029-03-11', NULL, 'EUR', NULL)$$, '23502', NULL, 'conversion.value NOT NULL');
SELECT throws_ok($$INSERT INTO mops.conversion VALUES (2, 7, '2029-03-11', 1, NULL, NULL)$$, '23502', NULL, 'conversion.currency NOT NULL');
SELECT throws_ok($$INSERT INTO mops.lead_stage VALUES (2, 'lifecycle:lead', NULL)$$, '23502', NULL, 'lead_stage.entered_at NOT NULL');
SELECT throws_ok($$INSERT INTO mops.lead_stage VALUES (NULL, 'lifecycle:lead', '2029-03-01')$$, '23502', NULL, 'lead_stage.lead_id (key) NOT NULL');
SELECT throws_ok($$INSERT INTO mops.customer_feedback VALUES (2, 7, NULL, 4)$$, '23502', NULL, 'customer_feedback.responded_at NOT NULL');
SELECT throws_ok($$INSERT INTO mops.metric_value VALUES ('clicks', '2029-03-11', NULL)$$, '23502', NULL, 'metric_value.value NOT NULL');
SELECT throws_ok($$INSERT INTO mops.maturity_response VALUES (1, NULL, 'team', 'q2', 3)$$, '23502', NULL, 'maturity_response.assessed_on NOT NULL');
SELECT throws_ok($$INSERT INTO mops.resource_capacity VALUES (NULL, '2029-03-01', 10, 10, 10)$$, '23502', NULL, 'resource_capacity.team (key) NOT NULL');
SELECT throws_ok($$INSERT INTO mops.kpi_target VALUES ('cpa', NULL, NULL, 'lower_is_better', 'kpitap')$$, '23502', NULL, 'kpi_target.target NOT NULL');
SELECT results_eq(
    $$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned)
      VALUES (3, '{amer}', '[2029-01-01,2029-04-01)', 'USD', 10) RETURNING committed, actual$$,
    $$VALUES (0::numeric, 0::numeric)$$,
    'budget_line.committed and actual default to 0');

-- Primary keys (23505)
SELECT throws_ok($$INSERT INTO mops.campaign (campaign_id, name) VALUES (1, 'dup')$$, '23505', NULL, 'campaign PK');
SELECT throws_ok($$INSERT INTO mops.content_item (content_id, created_at) VALUES (1, now())$$, '23505', NULL, 'content_item PK');
SELECT throws_ok($$INSERT INTO mops.distribution VALUES (1, NULL, NULL, 'email', now(), NULL, 'failed')$$, '23505', NULL, 'distribution PK');
SELECT throws_ok($$INSERT INTO mops.resource_capacity VALUES ('web', '2029-03-01', 1, 1, 1)$$, '23505', NULL, 'resource_capacity PK (team, month)');
SELECT throws_ok($$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned)
                   VALUES (1, '{x}', '[2029-01-01,2029-02-01)', 'EUR', 1)$$, '23505', NULL, 'budget_line PK');
SELECT throws_ok($$INSERT INTO mops.spend VALUES (1, NULL, 'email', '2029-03-10', 1, 'EUR')$$, '23505', NULL, 'spend PK');
SELECT throws_ok($$INSERT INTO mops.touchpoint VALUES (1, 8, now(), 'email', NULL, NULL, NULL)$$, '23505', NULL, 'touchpoint PK');
SELECT throws_ok($$INSERT INTO mops.conversion VALUES (1, 8, now(), 1, 'EUR', NULL)$$, '23505', NULL, 'conversion PK');
SELECT throws_ok($$INSERT INTO mops.lead_stage VALUES (1, 'lifecycle:lead', '2029-04-01')$$, '23505', NULL, 'lead_stage PK (lead_id, stage)');
SELECT throws_ok($$INSERT INTO mops.customer_feedback VALUES (1, 8, now(), 5)$$, '23505', NULL, 'customer_feedback PK');
SELECT throws_ok($$INSERT INTO mops.fulfilment VALUES ('o1', 8, NULL, NULL, 1, 'EUR')$$, '23505', NULL, 'fulfilment PK');
SELECT throws_ok($$INSERT INTO mops.metric_value VALUES ('clicks', '2029-03-10', 2)$$, '23505', NULL, 'metric_value PK (metric, measured_on)');
SELECT throws_ok($$INSERT INTO mops.maturity_response VALUES (1, '2029-03-11', 'team', 'q1', 4)$$, '23505', NULL, 'maturity_response PK (assessment_id, pillar, question)');

-- Foreign keys (23503)
SELECT throws_ok($$INSERT INTO mops.content_item (content_id, campaign_id, created_at) VALUES (2, 999, now())$$,
                 '23503', NULL, 'content_item with an unknown campaign');
SELECT throws_ok($$INSERT INTO mops.distribution VALUES (2, 999, NULL, 'email', now(), NULL, 'failed')$$,
                 '23503', NULL, 'distribution with an unknown content item');
SELECT throws_ok($$INSERT INTO mops.distribution VALUES (2, NULL, 999, 'email', now(), NULL, 'failed')$$,
                 '23503', NULL, 'distribution with an unknown campaign');
SELECT throws_ok($$INSERT INTO mops.spend VALUES (2, 999, 'email', '2029-03-10', 1, 'EUR')$$,
                 '23503', NULL, 'spend with an unknown campaign');
SELECT throws_ok($$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned, campaign_id)
                   VALUES (2, '{x}', '[2029-01-01,2029-02-01)', 'EUR', 1, 999)$$,
                 '23503', NULL, 'budget_line with an unknown campaign');

-- kpi_target: inserting an existing KPI replaces its row
SELECT lives_ok($$INSERT INTO mops.kpi_target VALUES ('campaign_on_time', 0.9, NULL, 'higher_is_better', 'kpitap')$$,
                'kpi_target: inserting an existing KPI succeeds');
SELECT results_eq($$SELECT target, target_max, direction, source FROM mops.kpi_target WHERE kpi = 'campaign_on_time'$$,
                  $$VALUES (0.9, NULL::numeric, 'higher_is_better', 'kpitap')$$,
                  'kpi_target: ... and replaces the one row of that KPI');
SELECT results_eq($$INSERT INTO mops.kpi_target VALUES ('cpa', 50, NULL, 'lower_is_better', 'kpitap') RETURNING kpi$$,
                  $$VALUES ('cpa')$$,
                  'kpi_target: inserting a reported KPI adds a row');
SELECT is((SELECT count(*) FROM mops.kpi_target), 13::bigint, 'kpi_target: 12 seeded + 1 added');

-- Channel normalisation on insert and on update
SELECT is((SELECT channel FROM mops.campaign WHERE campaign_id = 1), 'paid_social', 'campaign: ''Paid Social'' stored as paid_social');
SELECT is((SELECT channel FROM mops.distribution WHERE distribution_id = 1), 'paid_social', 'distribution: ''Paid Social'' stored as paid_social');
SELECT is((SELECT channel FROM mops.spend WHERE spend_id = 1), 'paid_social', 'spend: ''Paid Social'' stored as paid_social');
SELECT is((SELECT channel FROM mops.touchpoint WHERE touchpoint_id = 1), 'paid_social', 'touchpoint: ''Paid Social'' stored as paid_social');
UPDATE mops.campaign SET channel = 'Organic Social' WHERE campaign_id = 1;
UPDATE mops.distribution SET channel = 'PAID-SOCIAL' WHERE distribution_id = 1;
UPDATE mops.spend SET channel = 'Organic Social' WHERE spend_id = 1;
UPDATE mops.touchpoint SET channel = 'Organic Social' WHERE touchpoint_id = 1;
SELECT is((SELECT channel FROM mops.campaign WHERE campaign_id = 1), 'organic_social', 'campaign: update to ''Organic Social'' stored as organic_social');
SELECT is((SELECT channel FROM mops.distribution WHERE distribution_id = 1), 'paid_social', 'distribution: update to ''PAID-SOCIAL'' stored as paid_social');
SELECT is((SELECT channel FROM mops.spend WHERE spend_id = 1), 'organic_social', 'spend: update to ''Organic Social'' stored as organic_social');
SELECT is((SELECT channel FROM mops.touchpoint WHERE touchpoint_id = 1), 'organic_social', 'touchpoint: update to ''Organic Social'' stored as organic_social');

-- ===========================================================================
-- 2. Hand-made rows: status bands, alerts, campaign_on_time in UTC
-- ===========================================================================

-- resource_utilization = used / capacity (capacity 10000), one month each
-- of 2030: 0.81, 0.80, 0.85, 1.00, 1.05, 0.7999, 1.0501, 0.90, 0.99.
INSERT INTO mops.resource_capacity (team, month, capacity_hours, allocated_hours, used_hours)
SELECT 'band', make_date(2030, m::int, 1), 10000, 0, u
  FROM unnest(ARRAY[8100, 8000, 8500, 10000, 10500, 7999, 10501, 9000, 9900]) WITH ORDINALITY AS x(u, m);

-- within [0.85, 1.00]: met inside, at_risk within 0.05 outside, else missed
SELECT results_eq(
    $$SELECT actual, status FROM mops.kpi_scorecard
       WHERE kpi = 'resource_utilization' AND period >= '2030-01-01' ORDER BY period$$,
    $$VALUES (0.81, 'at_risk'), (0.80, 'at_risk'), (0.85, 'met'), (1.00, 'met'), (1.05, 'at_risk'),
             (0.7999, 'missed'), (1.0501, 'missed'), (0.90, 'met'), (0.99, 'met')$$,
    'scorecard, within 0.85-1.00: band edges met, 0.05 outside at_risk, beyond missed');
SELECT is_empty($$SELECT * FROM mops.kpi_alerts WHERE kpi = 'resource_utilization'$$,
                'alerts: the latest month (2030-09, 0.99) is met: no resource_utilization alert');

-- higher_is_better 0.9: met >= 0.9, at_risk >= 0.9 - 0.09 = 0.81
UPDATE mops.kpi_target SET target = 0.9, target_max = NULL, direction = 'higher_is_better'
 WHERE kpi = 'resource_utilization';
SELECT results_eq(
    $$SELECT status FROM mops.kpi_scorecard
       WHERE kpi = 'resource_utilization' AND period >= '2030-01-01' ORDER BY period$$,
    $$VALUES ('at_risk'), ('missed'), ('at_risk'), ('met'), ('met'), ('missed'), ('met'), ('met'), ('met')$$,
    'scorecard, higher_is_better 0.9: 0.81 at_risk (edge), 0.80 missed, 0.90 met (edge)');

-- lower_is_better 0.9: met <= 0.9, at_risk <= 0.99
UPDATE mops.kpi_target SET direction = 'lower_is_better' WHERE kpi = 'resource_utilization';
SELECT results_eq(
    $$SELECT status FROM mops.kpi_scorecard
       WHERE kpi = 'resource_utilization' AND period >= '2030-01-01' ORDER BY period$$,
    $$VALUES ('met'), ('met'), ('met'), ('missed'), ('missed'), ('met'), ('missed'), ('met'), ('at_risk')$$,
    'scorecard, lower_is_better 0.9: 0.99 at_risk (edge), 1.00 missed, 0.90 met (edge)');
SELECT results_eq(
    $$SELECT period, kpi, scope, actual, target, target_max, direction, status
        FROM mops.kpi_alerts WHERE kpi = 'resource_utilization'$$,
    $$VALUES ('2030-09-01'::date, 'resource_utilization', NULL::text, 0.99, 0.9, NULL::numeric,
              'lower_is_better', 'at_risk')$$,
    'alerts: lower_is_better 0.9, latest month 0.99 at_risk is the one alert');

-- A negative target: higher_is_better -1 -> at_risk down to -1.1 (10 % of |target|)
UPDATE mops.kpi_target SET target = -1, direction = 'higher_is_better' WHERE kpi = 'resource_utilization';
SELECT is((SELECT count(*) FROM mops.kpi_scorecard
            WHERE kpi = 'resource_utilization' AND period >= '2030-01-01' AND status = 'met'),
          9::bigint, 'scorecard, higher_is_better -1: every non-negative value is met');

-- campaign_on_time: launched_at's day in UTC (session is in +05:45)
INSERT INTO mops.campaign (campaign_id, name, planned_start, launched_at) VALUES
    (11, 'late in UTC',        '2031-03-10', '2031-03-10 23:30-05'),  -- 2031-03-11 04:30 UTC: late
    (12, 'on time in UTC',     '2031-03-10', '2031-03-11 00:30+02'),  -- 2031-03-10 22:30 UTC: on time
    (13, 'never launched',     '2031-03-10', NULL),                   -- late
    (14, 'early',              '2031-03-20', '2031-03-01 00:00+00');  -- on time
SELECT results_eq(
    $$SELECT period, campaigns_due, launched_on_time, on_time_rate, campaign_on_time
        FROM mops.kpi_campaign_delivery WHERE period >= '2031-01-01'$$,
    $$VALUES ('2031-03-01'::date, 4::bigint, 2::bigint, 0.5, 0.5)$$,
    'campaign_on_time: UTC launch day; not launched counts as late (2 of 4)');

-- Months are UTC months whatever the session's time zone: 2031-04-30
-- 20:00 UTC is already May in the session (Asia/Kathmandu, +05:45).
INSERT INTO mops.distribution (distribution_id, channel, scheduled_at, status)
VALUES (21, 'email', '2031-04-30 20:00+00', 'delivered'), (22, 'email', '2031-05-01 00:00+00', 'failed');
SELECT results_eq(
    $$SELECT period, delivered, failed, distribution_success FROM mops.kpi_distribution
       WHERE channel IS NULL AND period >= '2031-01-01' ORDER BY period$$,
    $$VALUES ('2031-04-01'::date, 1::bigint, 0::bigint, 1::numeric), ('2031-05-01', 0, 1, 0)$$,
    'kpi_distribution: the UTC month of scheduled_at (20:00 UTC on 30 April is April)');
INSERT INTO mops.content_item (content_id, created_at, published_at, brand_compliant)
VALUES (21, '2031-04-20 00:00+00', '2031-04-30 20:00+00', true),
       (22, '2031-04-20 00:00+00', '2031-05-01 00:00+00', false),
       (23, '2031-04-20 00:00+00', '2031-05-01 01:00+00', NULL);
SELECT results_eq(
    $$SELECT period, brand_consistency FROM mops.kpi_content_production
       WHERE period >= '2031-04-01' AND brand_consistency IS NOT NULL ORDER BY period$$,
    $$VALUES ('2031-04-01'::date, 1::numeric), ('2031-05-01', 0)$$,
    'brand_consistency: UTC month of published_at; an unreviewed item (NULL) does not count');

-- The funnel's "reached = entered it or any later stage" rule, by the UTC
-- month of reaching mql:
--   lead 31: mql 06-10, then opportunity (skips sql)  -> reached mql and sql
--   lead 32: mql 2031-06-30 20:00 UTC (July in the session), nothing later
--   lead 33: lead 06-01, then sql 06-05 (skips mql)   -> reached mql 06-05, and sql
--   lead 34: an aida stage only                        -> not in the lifecycle funnel
-- June cohort = 3 leads reached mql, 2 of them reached sql: 2/3, which the
-- doc says is written 0.66666666666666666667.  In June all three reached
-- subscriber, lead and mql (each at its earliest entry); of the sql cohort
-- only lead 33 reached sql in June, and it never reached opportunity
-- (lead 31 reached sql on 07-02: July's opportunity cohort).
INSERT INTO mops.lead_stage VALUES
    (31, 'lifecycle:mql', '2031-06-10 10:00+00'), (31, 'lifecycle:opportunity', '2031-07-02 10:00+00'),
    (32, 'lifecycle:mql', '2031-06-30 20:00+00'),
    (33, 'lifecycle:lead', '2031-06-01 10:00+00'), (33, 'lifecycle:sql', '2031-06-05 10:00+00'),
    (34, 'aida:action', '2031-06-10 10:00+00');
SELECT results_eq(
    $$SELECT period, actual::text FROM mops.kpi_value WHERE kpi = 'mql_to_sql' AND period >= '2031-01-01'$$,
    $$VALUES ('2031-06-01'::date, '0.66666666666666666667')$$,
    'mql_to_sql: skipped stages count as reached, UTC month of reaching mql, 2/3 written 0.66666666666666666667');
SELECT results_eq(
    $$SELECT stage, cohort, reached FROM mops.kpi_funnel WHERE period = '2031-06-01' ORDER BY stage_position$$,
    $$VALUES ('lifecycle:subscriber', 3::bigint, 3::bigint), ('lifecycle:lead', 3, 3), ('lifecycle:mql', 3, 3),
             ('lifecycle:sql', 3, 2), ('lifecycle:opportunity', 1, 0)$$,
    'kpi_funnel, June 2031: cohorts and reach of every stage by the reached rule');

-- A zero plan gives NULL accuracy and pacing (DESIGN §3.7, doc)
INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned, actual)
VALUES (31, '{zero}', '[2031-01-01,2031-04-01)', 'EUR', 0, 10);
SELECT results_eq(
    $$SELECT planned, actual, budget_accuracy, pacing FROM mops.kpi_budget WHERE path = 'zero'$$,
    $$VALUES (0::numeric, 10::numeric, NULL::numeric, NULL::numeric)$$,
    'kpi_budget: a zero plan gives NULL budget_accuracy and pacing');

-- Clean up the hand-made rows and restore the seeded targets.
DELETE FROM mops.distribution; DELETE FROM mops.content_item; DELETE FROM mops.spend;
DELETE FROM mops.budget_line; DELETE FROM mops.campaign; DELETE FROM mops.resource_capacity;
DELETE FROM mops.touchpoint; DELETE FROM mops.conversion; DELETE FROM mops.lead_stage;
DELETE FROM mops.customer_feedback; DELETE FROM mops.fulfilment; DELETE FROM mops.metric_value;
DELETE FROM mops.maturity_response;
DELETE FROM mops.kpi_target;
INSERT INTO mops.kpi_target SELECT * FROM seeded_targets;

-- ===========================================================================
-- 3. load_demo_data
-- ===========================================================================

SELECT throws_ok($$SELECT * FROM mops.load_demo_data(0)$$, '22023', NULL, 'load_demo_data(0): 22023');
SELECT throws_ok($$SELECT * FROM mops.load_demo_data(1001)$$, '22023', NULL, 'load_demo_data(1001): 22023');
SELECT throws_ok($$SELECT * FROM mops.load_demo_data(NULL)$$, '22023', NULL, 'load_demo_data(NULL): 22023');
SELECT throws_ok($$SELECT * FROM mops.load_demo_data(-1)$$, '22023', NULL, 'load_demo_data(-1): 22023');

-- "It refuses (55000) to load into tables that already hold data": one
-- table at a time holds one row that collides with no demo key.
SELECT is(pg_temp.load_state(s), '55000', 'load_demo_data refuses (55000) when only ' || t || ' holds data')
  FROM (VALUES
    ('campaign', $$INSERT INTO mops.campaign (campaign_id, name) VALUES (900000001, 'mine')$$),
    ('content_item', $$INSERT INTO mops.content_item (content_id, created_at) VALUES (900000001, now())$$),
    ('distribution', $$INSERT INTO mops.distribution VALUES (900000001, NULL, NULL, 'email', now(), NULL, 'failed')$$),
    ('resource_capacity', $$INSERT INTO mops.resource_capacity VALUES ('mine', '2025-01-01', 1, 1, 1)$$),
    ('budget_line', $$INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned)
                      VALUES (900000001, '{mine}', '[2025-01-01,2025-02-01)', 'EUR', 1)$$),
    ('spend', $$INSERT INTO mops.spend VALUES (900000001, NULL, 'email', '2025-01-01', 1, 'EUR')$$),
    ('touchpoint', $$INSERT INTO mops.touchpoint VALUES (900000001, 1, now(), 'email', NULL, NULL, NULL)$$),
    ('conversion', $$INSERT INTO mops.conversion VALUES (900000001, 1, now(), 1, 'EUR', NULL)$$),
    ('lead_stage', $$INSERT INTO mops.lead_stage VALUES (900000001, 'lifecycle:lead', now())$$),
    ('customer_feedback', $$INSERT INTO mops.customer_feedback VALUES (900000001, 1, now(), 3)$$),
    ('fulfilment', $$INSERT INTO mops.fulfilment VALUES ('mine', 1, NULL, NULL, 1, 'EUR')$$),
    ('metric_value', $$INSERT INTO mops.metric_value VALUES ('mine', '2025-01-01', 1)$$),
    ('maturity_response', $$INSERT INTO mops.maturity_response VALUES (900000001, '2025-01-01', 'team', 'mine', 3)$$)
  ) AS x(t, s);

-- Determinism: two loads from different session time zones give the same
-- rows (digest read in UTC).
CREATE FUNCTION pg_temp.demo_digest() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    d text := '';
    t text;
    h text;
BEGIN
    SET LOCAL timezone = 'UTC';
    FOREACH t IN ARRAY ARRAY['campaign', 'content_item', 'distribution', 'resource_capacity', 'budget_line',
                             'spend', 'touchpoint', 'conversion', 'lead_stage', 'customer_feedback',
                             'fulfilment', 'metric_value', 'maturity_response'] LOOP
        EXECUTE format('SELECT md5(coalesce(string_agg(x::text, E''\n'' ORDER BY x::text), '''')) FROM mops.%I x', t)
           INTO h;
        d := d || t || ':' || h || ' ';
    END LOOP;
    SET LOCAL timezone = 'Asia/Kathmandu';
    RETURN d;
END
$$;
SET LOCAL timezone = 'America/Los_Angeles';
CREATE TEMP TABLE demo_load1 AS SELECT * FROM mops.load_demo_data();
CREATE TEMP TABLE digest1 AS SELECT pg_temp.demo_digest() AS d;
DELETE FROM mops.distribution; DELETE FROM mops.content_item; DELETE FROM mops.spend;
DELETE FROM mops.budget_line; DELETE FROM mops.metric_value; DELETE FROM mops.campaign;
DELETE FROM mops.resource_capacity; DELETE FROM mops.touchpoint; DELETE FROM mops.conversion;
DELETE FROM mops.lead_stage; DELETE FROM mops.customer_feedback; DELETE FROM mops.fulfilment;
DELETE FROM mops.maturity_response;
SET LOCAL timezone = 'Asia/Kathmandu';
CREATE TEMP TABLE demo_load AS SELECT * FROM mops.load_demo_data(1);
SELECT is(pg_temp.demo_digest(), (SELECT d FROM digest1),
          'load_demo_data is deterministic: the same rows from sessions in America/Los_Angeles and Asia/Kathmandu');
SELECT set_eq($$SELECT * FROM demo_load1$$, $$SELECT * FROM demo_load$$,
              'load_demo_data() defaults to scale 1');

SELECT throws_ok($$SELECT * FROM mops.load_demo_data(1)$$, '55000', NULL,
                 'load_demo_data refuses (55000) to load a second time');

SELECT set_eq(
    $$SELECT table_name, row_count FROM demo_load$$,
    $$SELECT 'campaign', count(*) FROM mops.campaign UNION ALL SELECT 'content_item', count(*) FROM mops.content_item
      UNION ALL SELECT 'distribution', count(*) FROM mops.distribution
      UNION ALL SELECT 'resource_capacity', count(*) FROM mops.resource_capacity
      UNION ALL SELECT 'budget_line', count(*) FROM mops.budget_line UNION ALL SELECT 'spend', count(*) FROM mops.spend
      UNION ALL SELECT 'touchpoint', count(*) FROM mops.touchpoint UNION ALL SELECT 'conversion', count(*) FROM mops.conversion
      UNION ALL SELECT 'lead_stage', count(*) FROM mops.lead_stage
      UNION ALL SELECT 'customer_feedback', count(*) FROM mops.customer_feedback
      UNION ALL SELECT 'fulfilment', count(*) FROM mops.fulfilment UNION ALL SELECT 'metric_value', count(*) FROM mops.metric_value
      UNION ALL SELECT 'maturity_response', count(*) FROM mops.maturity_response$$,
    'load_demo_data returns the row count of each of the 13 tables');

-- The documented volumes of scale 1
SELECT results_eq(
    $$SELECT (SELECT count(*) FROM mops.campaign), (SELECT count(*) FROM mops.content_item),
             (SELECT count(*) FROM mops.touchpoint), (SELECT count(DISTINCT lead_id) FROM mops.lead_stage),
             (SELECT count(*) FROM mops.budget_line), (SELECT count(*) FROM mops.customer_feedback),
             (SELECT count(DISTINCT assessment_id) FROM mops.maturity_response)$$,
    $$VALUES (48::bigint, 240::bigint, 100000::bigint, 3000::bigint, 60::bigint, 1200::bigint, 3::bigint)$$,
    'scale 1: 48 campaigns, 240 content items, 100,000 touchpoints, 3,000 leads, 60 budget lines, 1,200 responses, 3 assessments');
SELECT ok((SELECT count(DISTINCT customer_id) BETWEEN 9990 AND 10000 FROM mops.touchpoint),
          'scale 1: about 10,000 customers (touched)');
SELECT ok((SELECT count(*) BETWEEN 1800 AND 2100 FROM mops.conversion)
          AND (SELECT count(*) BETWEEN 1800 AND 2100 FROM mops.fulfilment),
          'scale 1: about 1,950 conversions and orders');
SELECT ok((SELECT bool_and(planned_start >= '2025-01-01' AND planned_start < '2026-01-01') FROM mops.campaign)
          AND (SELECT bool_and(occurred_at >= '2025-01-01 00:00+00' AND occurred_at < '2026-01-01 00:00+00') FROM mops.touchpoint)
          AND (SELECT bool_and(occurred_at >= '2025-01-01 00:00+00' AND occurred_at < '2026-01-01 00:00+00') FROM mops.conversion),
          'the demo is the year 2025 (campaign starts, touchpoints, conversions)');

-- ---------------------------------------------------------------------------
-- Scorecard, targets, values, alerts
-- ---------------------------------------------------------------------------

SELECT set_eq($$SELECT DISTINCT status FROM mops.kpi_scorecard$$, $$VALUES ('met'), ('at_risk'), ('missed')$$,
              'demo realism: met, at_risk and missed all occur');
SELECT isnt_empty($$SELECT * FROM mops.kpi_alerts$$, 'demo realism: kpi_alerts is not empty');
SELECT ok((SELECT avg(content_cycle_days) FILTER (WHERE period BETWEEN '2025-10-01' AND '2025-12-01')
                  < avg(content_cycle_days) FILTER (WHERE period BETWEEN '2025-01-01' AND '2025-03-01')
             FROM mops.kpi_content_production),
          'demo realism: content gets faster (mean cycle days Oct-Dec < Jan-Mar)');
SELECT ok((SELECT avg(distribution_success) FILTER (WHERE period BETWEEN '2025-06-01' AND '2025-08-01')
                  < avg(distribution_success) FILTER (WHERE period BETWEEN '2025-01-01' AND '2025-12-01'
                                                        AND period NOT BETWEEN '2025-06-01' AND '2025-08-01')
             FROM mops.kpi_distribution WHERE channel IS NULL),
          'demo realism: distribution has a bad summer (Jun-Aug below the other months of 2025)');
SELECT ok((SELECT count(*) FILTER (WHERE occurred_at >= '2025-07-01 00:00+00')::numeric
                  / (SELECT count(*) FROM mops.touchpoint WHERE occurred_at >= '2025-07-01 00:00+00')
                  > count(*) FILTER (WHERE occurred_at < '2025-07-01 00:00+00')::numeric
                  / (SELECT count(*) FROM mops.touchpoint WHERE occurred_at < '2025-07-01 00:00+00')
             FROM mops.conversion),
          'demo realism: conversion rates rise (conversions per touchpoint H2 > H1)');
SELECT ok((SELECT sum(launched_on_time) FILTER (WHERE period >= '2025-07-01')::numeric
                  / sum(campaigns_due) FILTER (WHERE period >= '2025-07-01')
                  > sum(launched_on_time) FILTER (WHERE period < '2025-07-01')::numeric
                  / sum(campaigns_due) FILTER (WHERE period < '2025-07-01')
             FROM mops.kpi_campaign_delivery),
          'demo realism: launches get more punctual (on-time share H2 > H1)');

-- Reported KPIs given a target with INSERT join the scorecard; these two
-- also exercise lower_is_better over the demo data in the checks below.
INSERT INTO mops.kpi_target VALUES ('cpa', 45, NULL, 'lower_is_better', 'kpitap'),
                                   ('content_cycle_days', 8, NULL, 'lower_is_better', 'kpitap');
SELECT set_eq(
    $$SELECT period, kpi, scope FROM mops.kpi_scorecard WHERE kpi IN ('cpa', 'content_cycle_days')$$,
    $$SELECT period, kpi, scope FROM mops.kpi_value WHERE kpi IN ('cpa', 'content_cycle_days') AND actual IS NOT NULL$$,
    'a reported KPI given a target with INSERT appears in the scorecard (every month and scope it has a value)');
SELECT set_eq($$SELECT DISTINCT status FROM mops.kpi_scorecard WHERE direction = 'lower_is_better'$$,
              $$VALUES ('met'), ('at_risk'), ('missed')$$,
              'the added lower_is_better targets produce met, at_risk and missed rows');


SELECT is_empty(
    $$SELECT s.*, o.status AS expected
        FROM mops.kpi_scorecard s
       CROSS JOIN LATERAL (SELECT CASE s.direction
                WHEN 'higher_is_better' THEN CASE WHEN s.actual >= s.target THEN 'met'
                    WHEN s.actual >= s.target - abs(s.target) / 10 THEN 'at_risk' ELSE 'missed' END
                WHEN 'lower_is_better' THEN CASE WHEN s.actual <= s.target THEN 'met'
                    WHEN s.actual <= s.target + abs(s.target) / 10 THEN 'at_risk' ELSE 'missed' END
                WHEN 'within' THEN CASE WHEN s.target <= s.actual AND s.actual <= s.target_max THEN 'met'
                    WHEN s.target - 0.05 <= s.actual AND s.actual <= s.target_max + 0.05 THEN 'at_risk'
                    ELSE 'missed' END
              END AS status) o
       WHERE s.status IS DISTINCT FROM o.status$$,
    'kpi_scorecard.status follows the status table of doc/kpis.md for every row');
SELECT is_empty(
    $$SELECT s.* FROM mops.kpi_scorecard s
       WHERE NOT EXISTS (SELECT 1 FROM mops.kpi_target t
                          WHERE t.kpi = s.kpi AND t.target = s.target
                            AND t.target_max IS NOT DISTINCT FROM s.target_max AND t.direction = s.direction)$$,
    'every scorecard row carries its KPI''s target, target_max and direction from kpi_target');
SELECT is_empty($$SELECT * FROM mops.kpi_scorecard WHERE actual IS NULL$$, 'no scorecard row has a NULL actual');
SELECT set_eq(
    $$SELECT period, kpi, scope, actual FROM mops.kpi_scorecard$$,
    $$SELECT v.period, v.kpi, v.scope, v.actual FROM mops.kpi_value v
       WHERE v.actual IS NOT NULL AND v.kpi IN (SELECT kpi FROM mops.kpi_target)$$,
    'the scorecard has exactly the non-NULL kpi_value rows of the KPIs with a target');
SELECT is_empty(
    $$SELECT period, kpi, scope, count(*) FROM mops.kpi_value GROUP BY 1, 2, 3 HAVING count(*) > 1$$,
    'kpi_value has one row per period, KPI and scope');
SELECT set_eq(
    $$SELECT * FROM mops.kpi_alerts$$,
    $$SELECT s.* FROM mops.kpi_scorecard s
       WHERE s.status <> 'met'
         AND s.period = (SELECT max(s2.period) FROM mops.kpi_scorecard s2
                          WHERE s2.kpi = s.kpi AND s2.scope IS NOT DISTINCT FROM s.scope)$$,
    'kpi_alerts = the scorecard rows of each (kpi, scope)''s latest month that are not met');
SELECT is_empty(
    $$SELECT kpi, scope, count(*) FROM mops.kpi_value
       WHERE CASE WHEN kpi IN ('cost_per_lead', 'cpa', 'roas', 'roi', 'revenue_per_customer', 'clv', 'cpa_to_delivery',
                               'roi_gain', 'cpa_reduction') THEN scope IS NULL OR scope !~ '^[A-Z]{3}$'
                  WHEN kpi = 'budget_accuracy' THEN scope IS NULL OR scope !~ '[A-Z]{3}$'
                  ELSE scope IS NOT NULL END
       GROUP BY 1, 2$$,
    'kpi_value.scope: the currency of money KPIs, node and currency of budget_accuracy, NULL otherwise');
SELECT set_eq(
    $$SELECT DISTINCT kpi FROM mops.kpi_value$$,
    $$VALUES ('campaign_on_time'), ('content_cycle_days'), ('approval_hours'), ('brand_consistency'),
             ('compliance'), ('qa_success'), ('deadlines_met'), ('workflow_success'), ('distribution_success'),
             ('resource_utilization'), ('budget_accuracy'), ('cost_per_lead'), ('cpa'), ('roas'), ('roi'),
             ('revenue_per_customer'), ('clv'), ('csat'), ('cpa_to_delivery'), ('mql_to_sql'),
             ('production_speed_gain'), ('approval_speed_gain'), ('roi_gain'), ('cpa_reduction')$$,
    'kpi_value holds exactly the 24 KPIs of the doc''s table');
SELECT is_empty(
    $$SELECT kpi, period, scope, actual FROM mops.kpi_value WHERE actual::text ~ '\.[0-9]*0$'$$,
    'KPI values carry no trailing zeros (doc: ratios are exact divisions with trailing zeros removed)');

-- ---------------------------------------------------------------------------
-- KPIs recomputed from the base tables, for every month
-- ---------------------------------------------------------------------------

CREATE TEMP VIEW o_campaign AS
SELECT date_trunc('month', planned_start)::date AS period, count(*) AS campaigns_due,
       count(*) FILTER (WHERE launched_at IS NOT NULL
                          AND (launched_at AT TIME ZONE 'UTC')::date <= planned_start) AS launched_on_time
  FROM mops.campaign WHERE planned_start IS NOT NULL GROUP BY 1;
SELECT set_eq(
    $$SELECT period, campaigns_due, launched_on_time, on_time_rate, campaign_on_time FROM mops.kpi_campaign_delivery$$,
    $$SELECT period, campaigns_due, launched_on_time, trim_scale(launched_on_time::numeric / campaigns_due) AS r1,
             trim_scale(launched_on_time::numeric / campaigns_due) AS r2 FROM o_campaign$$,
    'kpi_campaign_delivery = oracle, every month');

-- content flags: share among the reviewed items published in the month
CREATE TEMP VIEW o_published AS
SELECT date_trunc('month', published_at AT TIME ZONE 'UTC')::date AS period,
       count(*) FILTER (WHERE brand_compliant) AS b_ok, count(brand_compliant) AS b_n,
       count(*) FILTER (WHERE compliance_passed) AS c_ok, count(compliance_passed) AS c_n,
       count(*) FILTER (WHERE qa_passed) AS q_ok, count(qa_passed) AS q_n,
       avg(extract(epoch FROM published_at - created_at)) / 86400 AS cycle_days
  FROM mops.content_item WHERE published_at IS NOT NULL GROUP BY 1;
SELECT set_eq(
    $$SELECT period, brand_consistency FROM mops.kpi_content_production WHERE brand_consistency IS NOT NULL$$,
    $$SELECT period, trim_scale(b_ok::numeric / b_n) FROM o_published WHERE b_n > 0$$,
    'brand_consistency = oracle, every month');
SELECT set_eq(
    $$SELECT period, compliance FROM mops.kpi_content_production WHERE compliance IS NOT NULL$$,
    $$SELECT period, trim_scale(c_ok::numeric / c_n) FROM o_published WHERE c_n > 0$$,
    'compliance = oracle, every month');
SELECT set_eq(
    $$SELECT period, qa_success FROM mops.kpi_content_production WHERE qa_success IS NOT NULL$$,
    $$SELECT period, trim_scale(q_ok::numeric / q_n) FROM o_published WHERE q_n > 0$$,
    'qa_success = oracle, every month');
SELECT set_eq(
    $$SELECT period, content_cycle_days FROM mops.kpi_content_production WHERE content_cycle_days IS NOT NULL$$,
    $$SELECT period, cycle_days FROM o_published$$,
    'content_cycle_days = mean days created -> published, every month (exact)');
SELECT set_eq(
    $$SELECT period, approval_hours FROM mops.kpi_content_production WHERE approval_hours IS NOT NULL$$,
    $$SELECT date_trunc('month', approved_at AT TIME ZONE 'UTC')::date,
             avg(extract(epoch FROM approved_at - submitted_at)) / 3600
        FROM mops.content_item WHERE approved_at IS NOT NULL AND submitted_at IS NOT NULL GROUP BY 1$$,
    'approval_hours = mean hours submitted -> approved, every month (exact)');
SELECT set_eq(
    $$SELECT period, deadlines_met FROM mops.kpi_content_production WHERE deadlines_met IS NOT NULL$$,
    $$SELECT date_trunc('month', due_at AT TIME ZONE 'UTC')::date,
             trim_scale(count(*) FILTER (WHERE published_at IS NOT NULL AND published_at <= due_at)::numeric / count(*))
        FROM mops.content_item WHERE due_at IS NOT NULL GROUP BY 1$$,
    'deadlines_met = oracle (unpublished: not met), every month');
CREATE TEMP VIEW o_workflow AS
SELECT date_trunc('month', submitted_at AT TIME ZONE 'UTC')::date AS period,
       trim_scale(count(*) FILTER (WHERE approved_at IS NOT NULL)::numeric / count(*)) AS workflow_success
  FROM mops.content_item WHERE submitted_at IS NOT NULL GROUP BY 1;
SELECT set_eq(
    $$SELECT period, workflow_success FROM mops.kpi_content_production WHERE workflow_success IS NOT NULL$$,
    $$SELECT period, workflow_success FROM o_workflow$$,
    'workflow_success = oracle, every month');

CREATE TEMP VIEW o_distribution AS
SELECT date_trunc('month', scheduled_at AT TIME ZONE 'UTC')::date AS period, NULL::text AS channel,
       count(*) FILTER (WHERE status = 'delivered') AS delivered, count(*) FILTER (WHERE status = 'failed') AS failed
  FROM mops.distribution GROUP BY 1
UNION ALL
SELECT date_trunc('month', scheduled_at AT TIME ZONE 'UTC')::date, channel,
       count(*) FILTER (WHERE status = 'delivered'), count(*) FILTER (WHERE status = 'failed')
  FROM mops.distribution GROUP BY 1, 2;
SELECT set_eq(
    $$SELECT period, channel, delivered, failed, distribution_success FROM mops.kpi_distribution$$,
    $$SELECT period, channel, delivered, failed,
             CASE WHEN delivered + failed > 0 THEN trim_scale(delivered::numeric / (delivered + failed)) END
        FROM o_distribution$$,
    'kpi_distribution = oracle, every month, all channels and per channel');

CREATE TEMP VIEW o_resource AS
SELECT month AS period, NULL::text AS team, trim_scale(sum(used_hours) / sum(capacity_hours)) AS resource_utilization
  FROM mops.resource_capacity GROUP BY 1
UNION ALL
SELECT month, team, trim_scale(sum(used_hours) / sum(capacity_hours)) FROM mops.resource_capacity GROUP BY 1, 2;
SELECT set_eq(
    $$SELECT period, team, resource_utilization FROM mops.kpi_resource_utilization$$,
    $$SELECT * FROM o_resource$$,
    'kpi_resource_utilization = oracle, every month, all teams and per team');

-- cpa and roas per currency: spend by spent_on's month, conversions by the
-- UTC month of occurred_at; a month with rows of one kind only sums to 0
CREATE TEMP VIEW o_money AS
SELECT period, currency, coalesce(s.spend, 0) AS spend, coalesce(c.n, 0) AS conversions,
       coalesce(c.value, 0) AS value
  FROM (SELECT date_trunc('month', spent_on)::date AS period, currency::text AS currency, sum(amount) AS spend
          FROM mops.spend GROUP BY 1, 2) s
  FULL JOIN (SELECT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date AS period, currency::text AS currency,
                    count(*) AS n, sum(value) AS value
               FROM mops.conversion GROUP BY 1, 2) c USING (period, currency);
SELECT set_eq(
    $$SELECT period, currency, cpa, roas, roi, cost_per_lead FROM mops.kpi_acquisition$$,
    $$SELECT m.period, m.currency,
             CASE WHEN m.conversions > 0 THEN trim_scale(m.spend / m.conversions) END AS cpa,
             CASE WHEN m.spend <> 0 THEN trim_scale(m.value / m.spend) END AS roas,
             CASE WHEN m.spend <> 0 THEN trim_scale((m.value - m.spend) / m.spend) END AS roi,
             CASE WHEN l.n > 0 THEN trim_scale(m.spend / l.n) END AS cost_per_lead
        FROM o_money m
        LEFT JOIN (SELECT date_trunc('month', entered_at AT TIME ZONE 'UTC')::date AS period, count(*) AS n
                     FROM mops.lead_stage WHERE stage::text = 'lifecycle:lead' GROUP BY 1) l USING (period)$$,
    'kpi_acquisition cpa, roas, roi and cost_per_lead = oracle, every month and currency');
SELECT set_eq(
    $$SELECT period, kpi, scope, actual FROM mops.kpi_value WHERE kpi IN ('cpa', 'roas') AND actual IS NOT NULL$$,
    $$SELECT period, 'cpa', currency, trim_scale(spend / conversions) FROM o_money WHERE conversions > 0
      UNION ALL SELECT period, 'roas', currency, trim_scale(value / spend) FROM o_money WHERE spend <> 0$$,
    'kpi_value cpa and roas (scope = currency) = oracle');

SELECT set_eq(
    $$SELECT period, actual FROM mops.kpi_value WHERE kpi = 'csat' AND actual IS NOT NULL$$,
    $$SELECT date_trunc('month', responded_at AT TIME ZONE 'UTC')::date,
             trim_scale(count(*) FILTER (WHERE csat >= 4)::numeric / nullif(count(csat), 0))
        FROM mops.customer_feedback GROUP BY 1 HAVING count(csat) > 0$$,
    'csat = share of the month''s responses with csat >= 4, every month (NULL, i.e. unscored, without responses)');
SELECT is_empty(
    $$SELECT period FROM mops.kpi_customer_value GROUP BY period HAVING count(DISTINCT csat) > 1$$,
    'csat repeats unchanged on every currency row of its month');

-- The funnel: reach = earliest entry into the stage or any later one
CREATE TEMP VIEW o_reach AS
SELECT l.lead_id, k.pos,
       min(l.entered_at) FILTER (WHERE array_position(
           ARRAY['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'evangelist'],
           split_part(l.stage::text, ':', 2)) >= k.pos) AS reached_at
  FROM mops.lead_stage l CROSS JOIN generate_series(1, 7) AS k(pos)
 WHERE split_part(l.stage::text, ':', 1) = 'lifecycle'
 GROUP BY l.lead_id, k.pos;
CREATE TEMP VIEW o_funnel AS
SELECT date_trunc('month', p.reached_at AT TIME ZONE 'UTC')::date AS period, c.pos,
       count(*) AS cohort, count(c.reached_at) AS reached
  FROM o_reach c
  JOIN o_reach p ON p.lead_id = c.lead_id AND p.pos = greatest(c.pos - 1, 1)
 WHERE p.reached_at IS NOT NULL
 GROUP BY 1, 2;
SELECT set_eq(
    $$SELECT period, kpi, actual FROM mops.kpi_value WHERE kpi = 'mql_to_sql'$$,
    $$SELECT period, 'mql_to_sql', trim_scale(reached::numeric / cohort) FROM o_funnel WHERE pos = 4$$,
    'mql_to_sql = leads that reached sql / leads that reached mql, by month of reaching mql');
SELECT set_eq(
    $$SELECT period, stage, cohort, reached, step_conversion, mql_to_sql FROM mops.kpi_funnel$$,
    $$SELECT period, 'lifecycle:' || (ARRAY['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'evangelist'])[pos],
             cohort, reached, CASE WHEN pos > 1 THEN trim_scale(reached::numeric / cohort) END AS step,
             CASE WHEN pos = 4 THEN trim_scale(reached::numeric / cohort) END AS mql_to_sql
        FROM o_funnel$$,
    'kpi_funnel = oracle: cohort, reach and step conversion of every lifecycle stage, every month');

SELECT set_eq(
    $$SELECT period, kpi, actual FROM mops.kpi_value
       WHERE scope IS NULL AND kpi IN ('campaign_on_time', 'brand_consistency', 'compliance', 'qa_success',
                                       'workflow_success', 'distribution_success', 'resource_utilization')
         AND actual IS NOT NULL$$,
    $$SELECT period, 'campaign_on_time', trim_scale(launched_on_time::numeric / campaigns_due) FROM o_campaign
      UNION ALL SELECT period, 'brand_consistency', trim_scale(b_ok::numeric / b_n) FROM o_published WHERE b_n > 0
      UNION ALL SELECT period, 'compliance', trim_scale(c_ok::numeric / c_n) FROM o_published WHERE c_n > 0
      UNION ALL SELECT period, 'qa_success', trim_scale(q_ok::numeric / q_n) FROM o_published WHERE q_n > 0
      UNION ALL SELECT period, 'workflow_success', workflow_success FROM o_workflow
      UNION ALL SELECT period, 'distribution_success', trim_scale(delivered::numeric / (delivered + failed))
                  FROM o_distribution WHERE channel IS NULL AND delivered + failed > 0
      UNION ALL SELECT period, 'resource_utilization', resource_utilization FROM o_resource WHERE team IS NULL$$,
    'kpi_value (what the scorecard scores) = the oracles for the seven scored non-money KPIs');

-- revenue_per_customer, clv, cpa_to_delivery (per currency)
SELECT set_eq(
    $$SELECT period, scope, actual FROM mops.kpi_value WHERE kpi = 'revenue_per_customer' AND actual IS NOT NULL$$,
    $$SELECT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date, currency::text,
             trim_scale(sum(value) / count(DISTINCT customer_id))
        FROM mops.conversion GROUP BY 1, 2$$,
    'revenue_per_customer = conversion value / distinct converting customers, every month and currency');
-- clv on every (month, currency) row kpi_value has for it: all conversion
-- value up to the month's end / distinct customers who converted by then
SELECT set_eq(
    $$SELECT period, scope, actual FROM mops.kpi_value WHERE kpi = 'clv'$$,
    $$SELECT k.period, k.scope,
             (SELECT trim_scale(sum(v.value) / nullif(count(DISTINCT v.customer_id), 0)) FROM mops.conversion v
               WHERE v.currency::text = k.scope
                 AND v.occurred_at < ((k.period + interval '1 month')::timestamp AT TIME ZONE 'UTC'))
        FROM mops.kpi_value k WHERE k.kpi = 'clv'$$,
    'clv = cumulative conversion value / customers converted by the month''s end, on every clv row');
SELECT is_empty(
    $$SELECT * FROM (
        SELECT k.period, k.scope, k.actual, o.cpa / o.mean_cost AS expected
          FROM (SELECT period, scope, actual FROM mops.kpi_value WHERE kpi = 'cpa_to_delivery' AND actual IS NOT NULL) k
          FULL JOIN (SELECT m.period, m.currency AS scope, m.spend / m.conversions AS cpa, f.mean_cost
                       FROM o_money m
                       JOIN (SELECT date_trunc('month', delivered_at AT TIME ZONE 'UTC')::date AS period,
                                    currency::text AS currency, avg(cost) AS mean_cost
                               FROM mops.fulfilment WHERE delivered_at IS NOT NULL GROUP BY 1, 2) f
                         USING (period, currency)
                      WHERE m.conversions > 0 AND f.mean_cost <> 0) o USING (period, scope)) x
       WHERE actual IS NULL OR expected IS NULL OR abs(actual - expected) > 1e-15 * greatest(1, abs(expected))$$,
    'cpa_to_delivery = cpa / mean fulfilment cost of the orders delivered in the month (tolerance 1e-15, relative above 1)');

-- Improvement KPIs: baseline = the value of the earliest month that has
-- one (per currency for money); the baseline month scores 0.
CREATE TEMP VIEW o_improvement AS
WITH base AS (
    SELECT period, NULL::text AS scope, 'production_speed_gain' AS kpi, cycle_days AS v FROM o_published
    UNION ALL
    SELECT date_trunc('month', approved_at AT TIME ZONE 'UTC')::date, NULL, 'approval_speed_gain',
           avg(extract(epoch FROM approved_at - submitted_at)) / 3600
      FROM mops.content_item WHERE approved_at IS NOT NULL AND submitted_at IS NOT NULL GROUP BY 1
    UNION ALL
    SELECT period, currency, 'cpa_reduction', spend / conversions FROM o_money WHERE conversions > 0
    UNION ALL
    SELECT period, currency, 'roi_gain', (value - spend) / spend FROM o_money WHERE spend <> 0
), b AS (
    SELECT base.*, first_value(v) OVER (PARTITION BY kpi, scope ORDER BY period) AS baseline FROM base
)
SELECT period, scope, kpi,
       CASE WHEN baseline <> 0 THEN
           CASE kpi WHEN 'roi_gain' THEN v / baseline - 1 ELSE 1 - v / baseline END
       END AS expected
  FROM b;
SELECT is_empty(
    $$SELECT * FROM (
        SELECT k.period, k.scope, k.kpi, k.actual, o.expected
          FROM (SELECT period, coalesce(scope, '-') AS scope, kpi, actual FROM mops.kpi_value
                 WHERE kpi IN ('production_speed_gain', 'approval_speed_gain', 'cpa_reduction', 'roi_gain')
                   AND actual IS NOT NULL) k
          FULL JOIN (SELECT period, coalesce(scope, '-') AS scope, kpi, expected FROM o_improvement
                      WHERE expected IS NOT NULL) o USING (period, scope, kpi)) x
       WHERE actual IS NULL OR expected IS NULL OR abs(actual - expected) > 1e-15 * greatest(1, abs(expected))$$,
    'improvement KPIs = 1 - value / baseline (roi_gain: roi / baseline - 1), every month and currency (tolerance 1e-15)');
SELECT is_empty(
    $$SELECT k.* FROM mops.kpi_value k
       WHERE k.kpi IN ('production_speed_gain', 'approval_speed_gain', 'cpa_reduction', 'roi_gain')
         AND k.actual IS NOT NULL AND k.actual <> 0
         AND k.period = (SELECT min(k2.period) FROM mops.kpi_value k2
                          WHERE k2.kpi = k.kpi AND k2.scope IS NOT DISTINCT FROM k.scope AND k2.actual IS NOT NULL)$$,
    'improvement KPIs: the baseline month scores 0');

-- kpi_budget: rolled up over every prefix of path, per budget period and currency
SELECT is_empty(
    $$SELECT * FROM (
        SELECT k.period, k.period_end, k.path, k.currency, k.planned AS k_planned, o.planned, k.actual AS k_actual,
               o.actual, k.budget_accuracy, o.accuracy
          FROM mops.kpi_budget k
          FULL JOIN (SELECT lower(b.period) AS period, upper(b.period) - 1 AS period_end,
                            array_to_string(b.path[1:d], '/') AS path, b.currency::text AS currency,
                            sum(b.planned) AS planned, sum(b.actual) AS actual,
                            1 - abs(sum(b.actual) - sum(b.planned)) / nullif(sum(b.planned), 0) AS accuracy
                       FROM mops.budget_line b, generate_series(1, cardinality(b.path)) AS d
                      GROUP BY 1, 2, 3, 4) o USING (period, period_end, path, currency)) x
       WHERE k_planned IS DISTINCT FROM planned OR k_actual IS DISTINCT FROM actual
          OR (budget_accuracy IS NULL) <> (accuracy IS NULL)
          OR abs(budget_accuracy - accuracy) > 1e-15$$,
    'kpi_budget = oracle: sums over every path prefix, budget_accuracy = 1 - |actual - planned| / planned (tolerance 1e-15)');

-- kpi_attribution: credits are conserved, and every touched channel has a
-- row under every model
CREATE TEMP TABLE o_attributed AS
SELECT date_trunc('month', v.occurred_at AT TIME ZONE 'UTC')::date AS period, v.currency::text AS currency,
       count(*) AS conversions, sum(v.value) AS value
  FROM mops.conversion v
 WHERE EXISTS (SELECT 1 FROM mops.touchpoint t
                WHERE t.customer_id = v.customer_id
                  AND t.occurred_at BETWEEN v.occurred_at - interval '30 days' AND v.occurred_at)
 GROUP BY 1, 2;
CREATE TEMP TABLE k_attribution AS SELECT * FROM mops.kpi_attribution;
SELECT is_empty(
    $$SELECT * FROM (
        SELECT a.period, a.currency, m.model, a.conversions, a.value, k.conversions AS k_conversions, k.value AS k_value
          FROM o_attributed a
         CROSS JOIN (VALUES ('first_touch'), ('last_touch'), ('linear'), ('position_based'), ('time_decay')) AS m(model)
          FULL JOIN (SELECT period, currency, model, sum(conversions) AS conversions, sum(value) AS value
                       FROM k_attribution GROUP BY 1, 2, 3) k USING (period, currency, model)) x
       WHERE k_conversions IS NULL OR conversions IS NULL
          OR abs(k_conversions - conversions) > 1e-9 OR abs(k_value - value) > 1e-9$$,
    'kpi_attribution: per month, currency and model, the credits sum to the conversions (and value) with a touch in the 30 days before (tolerance 1e-9)');
SELECT is_empty(
    $$SELECT period, currency, channel FROM k_attribution GROUP BY 1, 2, 3 HAVING count(DISTINCT model) <> 5$$,
    'kpi_attribution: every credited channel has a row under each of the five models');

-- ===========================================================================
-- 4. Schema
-- ===========================================================================

SELECT set_eq(
    $$SELECT relname::text FROM pg_class WHERE relnamespace = 'mops'::regnamespace AND relkind = 'v'$$,
    $$VALUES ('kpi_campaign_delivery'), ('kpi_content_production'), ('kpi_distribution'),
             ('kpi_resource_utilization'), ('kpi_budget'), ('kpi_acquisition'), ('kpi_customer_value'),
             ('kpi_funnel'), ('kpi_improvement'), ('kpi_attribution'), ('kpi_goal_status'), ('kpi_maturity'),
             ('kpi_value'), ('kpi_scorecard'), ('kpi_alerts')$$,
    'the views of schema mops are the fifteen of doc/kpis.md');
SELECT is_empty(
    $$SELECT relname FROM pg_class WHERE relnamespace = 'mops'::regnamespace AND relkind = 'v'
         AND NOT coalesce('security_invoker=true' = ANY (reloptions), false)$$,
    'every view is security_invoker = true');
SELECT is_empty(
    $$SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
       WHERE c.relnamespace = 'mops'::regnamespace AND c.relkind = 'v' AND a.attnum > 0 AND NOT a.attisdropped
         AND coalesce(col_description(c.oid, a.attnum), '') = ''$$,
    'every view column has a comment');
SELECT is_empty(
    $$SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
        FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
       WHERE c.relnamespace = 'mops'::regnamespace AND c.relkind = 'v' AND a.attnum > 0 AND NOT a.attisdropped
         AND a.atttypid NOT IN ('numeric'::regtype, 'bigint'::regtype, 'text'::regtype, 'date'::regtype,
                                'timestamptz'::regtype, 'boolean'::regtype)$$,
    'view columns are numeric, bigint, text, date, timestamptz or boolean only');
SELECT is_empty(
    $$SELECT v.kpi, v.view FROM (VALUES
        ('campaign_on_time', 'kpi_campaign_delivery'), ('content_cycle_days', 'kpi_content_production'),
        ('approval_hours', 'kpi_content_production'), ('brand_consistency', 'kpi_content_production'),
        ('compliance', 'kpi_content_production'), ('qa_success', 'kpi_content_production'),
        ('deadlines_met', 'kpi_content_production'), ('workflow_success', 'kpi_content_production'),
        ('distribution_success', 'kpi_distribution'), ('resource_utilization', 'kpi_resource_utilization'),
        ('budget_accuracy', 'kpi_budget'), ('cost_per_lead', 'kpi_acquisition'), ('cpa', 'kpi_acquisition'),
        ('roas', 'kpi_acquisition'), ('roi', 'kpi_acquisition'), ('revenue_per_customer', 'kpi_customer_value'),
        ('clv', 'kpi_customer_value'), ('csat', 'kpi_customer_value'), ('cpa_to_delivery', 'kpi_customer_value'),
        ('mql_to_sql', 'kpi_funnel'), ('production_speed_gain', 'kpi_improvement'),
        ('approval_speed_gain', 'kpi_improvement'), ('roi_gain', 'kpi_improvement'),
        ('cpa_reduction', 'kpi_improvement')) AS v(kpi, view)
       WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
                          WHERE a.attrelid = ('mops.' || v.view)::regclass AND a.attname = v.kpi
                            AND NOT a.attisdropped)
          OR NOT EXISTS (SELECT 1 FROM pg_attribute a
                          WHERE a.attrelid = ('mops.' || v.view)::regclass AND a.attname = 'period')$$,
    'each KPI is a column bearing its name in its view of the doc''s table, next to period');
SELECT is(
    (SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
      WHERE attrelid = 'mops.kpi_scorecard'::regclass AND attnum > 0 AND NOT attisdropped),
    ARRAY['period', 'kpi', 'scope', 'actual', 'target', 'target_max', 'direction', 'status'],
    'kpi_scorecard(period, kpi, scope, actual, target, target_max, direction, status)');
SELECT is(
    (SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
      WHERE attrelid = 'mops.kpi_alerts'::regclass AND attnum > 0 AND NOT attisdropped),
    ARRAY['period', 'kpi', 'scope', 'actual', 'target', 'target_max', 'direction', 'status'],
    'kpi_alerts has the scorecard''s columns');
SELECT is(
    (SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute
      WHERE attrelid = 'mops.kpi_value'::regclass AND attnum > 0 AND NOT attisdropped),
    ARRAY['period', 'kpi', 'scope', 'actual'],
    'kpi_value(period, kpi, scope, actual)');

-- The data contract's columns and keys (DESIGN §4.1): exactly the listed
-- columns (no view here needs more), with the listed types
CREATE TEMP TABLE contract (tbl text, col text, typ text);
INSERT INTO contract VALUES
    ('campaign', 'campaign_id', 'bigint'), ('campaign', 'name', 'text'), ('campaign', 'brand', 'text'),
    ('campaign', 'channel', 'text'), ('campaign', 'objective', 'text'), ('campaign', 'owner', 'text'),
    ('campaign', 'planned_start', 'date'), ('campaign', 'planned_end', 'date'),
    ('campaign', 'launched_at', 'timestamp with time zone'), ('campaign', 'completed_at', 'timestamp with time zone'),
    ('campaign', 'goal', 'mops.smart_goal'),
    ('content_item', 'content_id', 'bigint'), ('content_item', 'campaign_id', 'bigint'), ('content_item', 'kind', 'text'),
    ('content_item', 'created_at', 'timestamp with time zone'), ('content_item', 'submitted_at', 'timestamp with time zone'),
    ('content_item', 'approved_at', 'timestamp with time zone'), ('content_item', 'published_at', 'timestamp with time zone'),
    ('content_item', 'due_at', 'timestamp with time zone'), ('content_item', 'brand_compliant', 'boolean'),
    ('content_item', 'compliance_passed', 'boolean'), ('content_item', 'qa_passed', 'boolean'),
    ('distribution', 'distribution_id', 'bigint'), ('distribution', 'content_id', 'bigint'),
    ('distribution', 'campaign_id', 'bigint'), ('distribution', 'channel', 'text'),
    ('distribution', 'scheduled_at', 'timestamp with time zone'), ('distribution', 'delivered_at', 'timestamp with time zone'),
    ('distribution', 'status', 'text'),
    ('resource_capacity', 'team', 'text'), ('resource_capacity', 'month', 'date'),
    ('resource_capacity', 'capacity_hours', 'numeric'), ('resource_capacity', 'allocated_hours', 'numeric'),
    ('resource_capacity', 'used_hours', 'numeric'),
    ('budget_line', 'budget_line_id', 'bigint'), ('budget_line', 'path', 'text[]'), ('budget_line', 'period', 'daterange'),
    ('budget_line', 'currency', 'character(3)'), ('budget_line', 'planned', 'numeric'), ('budget_line', 'committed', 'numeric'),
    ('budget_line', 'actual', 'numeric'), ('budget_line', 'campaign_id', 'bigint'),
    ('spend', 'spend_id', 'bigint'), ('spend', 'campaign_id', 'bigint'), ('spend', 'channel', 'text'),
    ('spend', 'spent_on', 'date'), ('spend', 'amount', 'numeric'), ('spend', 'currency', 'character(3)'),
    ('touchpoint', 'touchpoint_id', 'bigint'), ('touchpoint', 'customer_id', 'bigint'),
    ('touchpoint', 'occurred_at', 'timestamp with time zone'), ('touchpoint', 'channel', 'text'),
    ('touchpoint', 'source', 'text'), ('touchpoint', 'medium', 'text'), ('touchpoint', 'campaign_id', 'bigint'),
    ('conversion', 'conversion_id', 'bigint'), ('conversion', 'customer_id', 'bigint'),
    ('conversion', 'occurred_at', 'timestamp with time zone'), ('conversion', 'value', 'numeric'),
    ('conversion', 'currency', 'character(3)'), ('conversion', 'order_id', 'text'),
    ('lead_stage', 'lead_id', 'bigint'), ('lead_stage', 'stage', 'mops.funnel_stage'),
    ('lead_stage', 'entered_at', 'timestamp with time zone'),
    ('customer_feedback', 'feedback_id', 'bigint'), ('customer_feedback', 'customer_id', 'bigint'),
    ('customer_feedback', 'responded_at', 'timestamp with time zone'), ('customer_feedback', 'csat', 'smallint'),
    ('fulfilment', 'order_id', 'text'), ('fulfilment', 'customer_id', 'bigint'),
    ('fulfilment', 'promised_at', 'timestamp with time zone'), ('fulfilment', 'delivered_at', 'timestamp with time zone'),
    ('fulfilment', 'cost', 'numeric'), ('fulfilment', 'currency', 'character(3)'),
    ('metric_value', 'metric', 'text'), ('metric_value', 'measured_on', 'date'), ('metric_value', 'value', 'numeric'),
    ('maturity_response', 'assessment_id', 'bigint'), ('maturity_response', 'assessed_on', 'date'),
    ('maturity_response', 'pillar', 'text'), ('maturity_response', 'question', 'text'), ('maturity_response', 'score', 'numeric'),
    ('kpi_target', 'kpi', 'text'), ('kpi_target', 'target', 'numeric'), ('kpi_target', 'target_max', 'numeric'),
    ('kpi_target', 'direction', 'text'), ('kpi_target', 'source', 'text');
SELECT set_eq(
    $$SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod)
        FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
       WHERE c.relnamespace = 'mops'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
         AND c.relname IN (SELECT tbl FROM contract)$$,
    $$SELECT * FROM contract$$,
    'the 14 tables have exactly the columns and types of DESIGN §4.1');
SELECT set_eq(
    $$SELECT c.relname::text, array_agg(a.attname::text ORDER BY k.i)
        FROM pg_constraint p JOIN pg_class c ON c.oid = p.conrelid
       CROSS JOIN LATERAL unnest(p.conkey) WITH ORDINALITY AS k(attnum, i)
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
       WHERE p.contype = 'p' AND c.relname IN (SELECT tbl FROM contract) AND c.relnamespace = 'mops'::regnamespace
       GROUP BY c.relname$$,
    $$VALUES ('campaign', ARRAY['campaign_id']), ('content_item', ARRAY['content_id']),
             ('distribution', ARRAY['distribution_id']), ('resource_capacity', ARRAY['team', 'month']),
             ('budget_line', ARRAY['budget_line_id']), ('spend', ARRAY['spend_id']),
             ('touchpoint', ARRAY['touchpoint_id']), ('conversion', ARRAY['conversion_id']),
             ('lead_stage', ARRAY['lead_id', 'stage']), ('customer_feedback', ARRAY['feedback_id']),
             ('fulfilment', ARRAY['order_id']), ('metric_value', ARRAY['metric', 'measured_on']),
             ('maturity_response', ARRAY['assessment_id', 'pillar', 'question']), ('kpi_target', ARRAY['kpi'])$$,
    'the primary keys of DESIGN §4.1');
SELECT is_empty(
    $$SELECT x.tbl, x.cols FROM (VALUES ('campaign', ARRAY['planned_start']), ('content_item', ARRAY['campaign_id']),
            ('distribution', ARRAY['campaign_id']), ('spend', ARRAY['spent_on']),
            ('touchpoint', ARRAY['customer_id', 'occurred_at']), ('conversion', ARRAY['occurred_at']),
            ('conversion', ARRAY['customer_id', 'occurred_at']), ('fulfilment', ARRAY['delivered_at'])) AS x(tbl, cols)
       WHERE NOT EXISTS (
            SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
             WHERE c.relnamespace = 'mops'::regnamespace AND c.relname = x.tbl
               AND (SELECT array_agg(a.attname::text ORDER BY k.i)
                      FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, i)
                      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum) = x.cols)$$,
    'the indexes doc/kpis.md lists exist');
SELECT is_empty(
    $$SELECT c.relname, acl.privilege_type
        FROM pg_class c CROSS JOIN LATERAL aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) AS acl
       WHERE c.relnamespace = 'mops'::regnamespace AND c.relname IN (SELECT tbl FROM contract)
         AND c.relname <> 'kpi_target' AND acl.grantee <> c.relowner$$,
    'the extension grants nothing on the 13 data tables');
SELECT ok(has_table_privilege('public', 'mops.kpi_target', 'SELECT') OR EXISTS (
              SELECT 1 FROM pg_class c, aclexplode(c.relacl) acl
               WHERE c.oid = 'mops.kpi_target'::regclass AND acl.grantee = 0 AND acl.privilege_type = 'SELECT'),
          'kpi_target is readable by everyone (SELECT granted to PUBLIC)');

SELECT set_has(
    $$SELECT c::regclass::text FROM pg_extension e, unnest(e.extconfig) AS c WHERE e.extname = 'mops'$$,
    $$VALUES ('mops.campaign'), ('mops.content_item'), ('mops.distribution'), ('mops.resource_capacity'),
             ('mops.budget_line'), ('mops.spend'), ('mops.touchpoint'), ('mops.conversion'), ('mops.lead_stage'),
             ('mops.customer_feedback'), ('mops.fulfilment'), ('mops.metric_value'), ('mops.maturity_response'),
             ('mops.kpi_target')$$,
    'the 13 data tables and kpi_target are registered with pg_extension_config_dump');

-- load_demo_data and demo_uniform
SELECT has_function('mops', 'load_demo_data', ARRAY['integer'], 'load_demo_data(integer) exists');
SELECT is(pg_get_function_arguments('mops.load_demo_data(integer)'::regprocedure), 'scale integer DEFAULT 1',
          'load_demo_data(scale integer DEFAULT 1)');
SELECT is(pg_get_function_result('mops.load_demo_data(integer)'::regprocedure),
          'TABLE(table_name text, row_count bigint)', 'load_demo_data returns TABLE(table_name text, row_count bigint)');
SELECT volatility_is('mops', 'load_demo_data', ARRAY['integer'], 'volatile', 'load_demo_data is VOLATILE (it writes)');
SELECT has_function('mops', 'demo_uniform', ARRAY['bigint', 'integer'], 'demo_uniform(bigint, integer) exists');
SELECT function_returns('mops', 'demo_uniform', ARRAY['bigint', 'integer'], 'double precision',
                        'demo_uniform returns double precision');
SELECT volatility_is('mops', 'demo_uniform', ARRAY['bigint', 'integer'], 'immutable', 'demo_uniform is IMMUTABLE');
SELECT is_strict('mops', 'demo_uniform', ARRAY['bigint', 'integer'], 'demo_uniform is STRICT');
SELECT is((SELECT proparallel FROM pg_proc WHERE oid = 'mops.demo_uniform(bigint, integer)'::regprocedure),
          's'::"char", 'demo_uniform is PARALLEL SAFE');
SELECT is_empty(
    $$SELECT k, s, mops.demo_uniform(k, s) FROM generate_series(-5000, 4999) AS k, (VALUES (1), (2), (7)) AS x(s)
       WHERE NOT (mops.demo_uniform(k, s) >= 0 AND mops.demo_uniform(k, s) < 1)$$,
    'demo_uniform is in [0, 1) over 10,000 keys and three streams');
SELECT is_empty(
    $$SELECT k FROM generate_series(-5000, 4999) AS k WHERE mops.demo_uniform(k, 3) <> mops.demo_uniform(k, 3)$$,
    'demo_uniform is deterministic: the same value twice, over 10,000 keys');
SELECT ok((SELECT count(DISTINCT mops.demo_uniform(k, 1)) > 9990 AND avg(mops.demo_uniform(k, 1)) BETWEEN 0.48 AND 0.52
             FROM generate_series(-5000, 4999) AS k),
          'demo_uniform spreads: > 9,990 distinct values over 10,000 keys, mean near 0.5');
SELECT isnt(mops.demo_uniform(42, 1), mops.demo_uniform(42, 2), 'demo_uniform: the stream changes the value');
SELECT is(mops.demo_uniform(NULL, 1), NULL, 'demo_uniform(NULL, 1) is NULL (STRICT)');

-- ---------------------------------------------------------------------------
-- Row-level security: one policy on campaign carries through the views
-- ---------------------------------------------------------------------------
CREATE ROLE kpitap_acme_reader NOLOGIN;
GRANT USAGE ON SCHEMA mops TO kpitap_acme_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA mops TO kpitap_acme_reader;
ALTER TABLE mops.campaign ENABLE ROW LEVEL SECURITY;
CREATE POLICY kpitap_acme ON mops.campaign FOR SELECT TO kpitap_acme_reader USING (brand = 'acme');
-- as_reader(q): the single text value q returns, read as kpitap_acme_reader
CREATE FUNCTION pg_temp.as_reader(q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    r text;
BEGIN
    SET LOCAL ROLE kpitap_acme_reader;
    EXECUTE q INTO r;
    RESET ROLE;
    RETURN r;
EXCEPTION WHEN OTHERS THEN
    RESET ROLE;
    RAISE;
END
$$;
SELECT is(
    pg_temp.as_reader($$SELECT string_agg(period || ':' || campaigns_due, ',' ORDER BY period) FROM mops.kpi_campaign_delivery$$),
    (SELECT string_agg(p || ':' || n, ',' ORDER BY p)
       FROM (SELECT date_trunc('month', planned_start)::date AS p, count(*) AS n
               FROM mops.campaign WHERE brand = 'acme' GROUP BY 1) x),
    'RLS: a reader who sees brand acme gets campaigns_due = the acme campaigns of each month');
SELECT is(
    pg_temp.as_reader($$SELECT string_agg(period || ':' || delivered || '/' || failed, ',' ORDER BY period)
                          FROM mops.kpi_distribution WHERE channel IS NULL$$),
    (SELECT string_agg(p || ':' || d || '/' || f, ',' ORDER BY p)
       FROM (SELECT date_trunc('month', scheduled_at AT TIME ZONE 'UTC')::date AS p,
                    count(*) FILTER (WHERE status = 'delivered') AS d, count(*) FILTER (WHERE status = 'failed') AS f
               FROM mops.distribution
              WHERE campaign_id IS NULL OR campaign_id IN (SELECT campaign_id FROM mops.campaign WHERE brand = 'acme')
              GROUP BY 1) x),
    'RLS: kpi_distribution counts only distributions of acme campaigns (or of no campaign)');
SELECT is(
    pg_temp.as_reader($$SELECT string_agg(period || ' ' || currency || ':' || spend, ',' ORDER BY period, currency)
                          FROM mops.kpi_acquisition WHERE spend <> 0$$),
    (SELECT string_agg(p || ' ' || c || ':' || v, ',' ORDER BY p, c)
       FROM (SELECT date_trunc('month', spent_on)::date AS p, currency::text AS c, sum(amount) AS v
               FROM mops.spend
              WHERE campaign_id IS NULL OR campaign_id IN (SELECT campaign_id FROM mops.campaign WHERE brand = 'acme')
              GROUP BY 1, 2) x),
    'RLS: kpi_acquisition sums only the spend of acme campaigns (or of no campaign)');
SELECT is(
    pg_temp.as_reader($$SELECT string_agg(period || ':' || brand_consistency, ',' ORDER BY period)
                          FROM mops.kpi_content_production WHERE brand_consistency IS NOT NULL$$),
    (SELECT string_agg(p || ':' || trim_scale(ok::numeric / n), ',' ORDER BY p)
       FROM (SELECT date_trunc('month', published_at AT TIME ZONE 'UTC')::date AS p,
                    count(*) FILTER (WHERE brand_compliant) AS ok, count(brand_compliant) AS n
               FROM mops.content_item
              WHERE published_at IS NOT NULL
                AND (campaign_id IS NULL OR campaign_id IN (SELECT campaign_id FROM mops.campaign WHERE brand = 'acme'))
              GROUP BY 1 HAVING count(brand_compliant) > 0) x),
    'RLS: brand_consistency counts only the content of acme campaigns (or of no campaign)');
SELECT isnt(
    pg_temp.as_reader($$SELECT count(*)::text FROM mops.kpi_scorecard$$), NULL,
    'RLS: the reader can read the scorecard (security_invoker, kpi_target readable)');
SELECT is(current_user::text, session_user::text, 'RLS: back to the original role');

SELECT * FROM finish();
ROLLBACK;
