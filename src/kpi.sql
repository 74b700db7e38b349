-- kpi: the KPI views over the data model, their targets, the scorecard and
-- the alerts (DESIGN §4.2).  Reference: doc/kpis.md.
--
-- Conventions of every view here:
--   * security_invoker = true: the reader's own rights and row-level
--     security policies apply to the tables underneath;
--   * the plain SQL column types of DESIGN §4.2 only (numeric, bigint, text,
--     date, timestamptz, boolean), so that BI tools can chart every column;
--   * period = the first day of the month (UTC) the row's time column falls
--     in; a ratio with a zero denominator is NULL, never an error;
--   * rows tied to a campaign are counted only when the reader can see that
--     campaign (so a policy on mops.campaign carries through to content,
--     distribution, spend and budgets); rows tied to no campaign count for
--     everyone.  (Written as a left join rather than OR EXISTS: the same
--     rows, but a plan the optimiser costs right.)
-- Ratios are exact numeric divisions with trailing zeros removed (0.95, not
-- 0.95000000000000000000).

-- ---------------------------------------------------------------------------
-- Targets
-- ---------------------------------------------------------------------------

CREATE TABLE mops.kpi_target (
    kpi text PRIMARY KEY,
    target numeric NOT NULL,
    target_max numeric,
    direction text NOT NULL DEFAULT 'higher_is_better'
        CONSTRAINT kpi_target_direction_known
        CHECK (direction OPERATOR(pg_catalog.=) ANY (ARRAY['higher_is_better', 'lower_is_better', 'within'])),
    source text,
    CONSTRAINT kpi_target_band
        CHECK ((direction OPERATOR(pg_catalog.=) 'within') OPERATOR(pg_catalog.=)
               (target_max IS NOT NULL AND target_max OPERATOR(pg_catalog.>=) target))
);
COMMENT ON TABLE mops.kpi_target IS
'Targets of the KPIs, seeded from the integration map; change them with UPDATE, add targets for reported KPIs with INSERT. Inserting a row for a KPI that already has one replaces it (so that pg_dump''s restore carries your targets over the seeded ones).';
COMMENT ON COLUMN mops.kpi_target.kpi IS 'KPI name, as in kpi_scorecard and the KPI views'' column names.';
COMMENT ON COLUMN mops.kpi_target.target IS 'The target (the lower bound of the band for direction within).';
COMMENT ON COLUMN mops.kpi_target.target_max IS 'Upper bound of the band for direction within; NULL otherwise.';
COMMENT ON COLUMN mops.kpi_target.direction IS 'higher_is_better (met when actual >= target), lower_is_better (met when actual <= target) or within (met when target <= actual <= target_max).';
COMMENT ON COLUMN mops.kpi_target.source IS 'Where the target comes from.';

INSERT INTO mops.kpi_target (kpi, target, target_max, direction, source) VALUES
    ('campaign_on_time',      0.95, NULL, 'higher_is_better', 'integration map'),
    ('brand_consistency',     0.98, NULL, 'higher_is_better', 'integration map'),
    ('compliance',            0.98, NULL, 'higher_is_better', 'integration map'),
    ('qa_success',            0.95, NULL, 'higher_is_better', 'integration map'),
    ('workflow_success',      0.90, NULL, 'higher_is_better', 'integration map'),
    ('distribution_success',  0.92, NULL, 'higher_is_better', 'integration map'),
    ('resource_utilization',  0.85, 1.00, 'within',           'integration map'),
    ('mql_to_sql',            0.60, 0.80, 'within',           'seed 001'),
    ('production_speed_gain', 0.50, NULL, 'higher_is_better', 'integration map'),
    ('approval_speed_gain',   0.70, NULL, 'higher_is_better', 'integration map'),
    ('roi_gain',              0.35, NULL, 'higher_is_better', 'integration map'),
    ('cpa_reduction',         0.30, NULL, 'higher_is_better', 'integration map');

-- INSERT of an existing KPI replaces its row.  pg_dump keeps every row of
-- kpi_target; on restore CREATE EXTENSION seeds the defaults first and the
-- dump's COPY then lands here, so the dumped (possibly changed) targets win
-- instead of failing on the primary key.
CREATE FUNCTION mops.kpi_target_replace() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    UPDATE mops.kpi_target
       SET target = NEW.target, target_max = NEW.target_max,
           direction = NEW.direction, source = NEW.source
     WHERE kpi = NEW.kpi;
    IF FOUND THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION mops.kpi_target_replace() IS
'Trigger of mops.kpi_target: inserting a row for a KPI that already has one updates that row instead.';
CREATE TRIGGER kpi_target_replace BEFORE INSERT ON mops.kpi_target
FOR EACH ROW EXECUTE FUNCTION mops.kpi_target_replace();
SELECT pg_catalog.pg_extension_config_dump('mops.kpi_target', '');
GRANT SELECT ON mops.kpi_target TO PUBLIC;

-- ---------------------------------------------------------------------------
-- kpi_campaign_delivery
-- ---------------------------------------------------------------------------

CREATE VIEW mops.kpi_campaign_delivery WITH (security_invoker = true) AS
SELECT d.period, d.campaigns_due, d.launched_on_time,
       pg_catalog.trim_scale(d.launched_on_time::numeric / NULLIF(d.campaigns_due, 0)) AS on_time_rate,
       pg_catalog.trim_scale(d.launched_on_time::numeric / NULLIF(d.campaigns_due, 0)) AS campaign_on_time
  FROM (SELECT pg_catalog.date_trunc('month', c.planned_start::timestamp)::date AS period,
               count(*) AS campaigns_due,
               count(*) FILTER (WHERE (c.launched_at AT TIME ZONE 'UTC')::date <= c.planned_start) AS launched_on_time
          FROM mops.campaign c
         WHERE c.planned_start IS NOT NULL
         GROUP BY 1) d;
COMMENT ON VIEW mops.kpi_campaign_delivery IS
'campaign_on_time: of the campaigns with planned_start in the month (campaigns_due), the share that launched on or before planned_start (launched_at::date in UTC <= planned_start; not launched counts as late). Target >= 0.95 (integration map).';
COMMENT ON COLUMN mops.kpi_campaign_delivery.period IS 'Month of planned_start (first day).';
COMMENT ON COLUMN mops.kpi_campaign_delivery.campaigns_due IS 'Campaigns planned to start in the month.';
COMMENT ON COLUMN mops.kpi_campaign_delivery.launched_on_time IS 'Of those, launched on or before the planned start.';
COMMENT ON COLUMN mops.kpi_campaign_delivery.on_time_rate IS 'launched_on_time / campaigns_due (the same as campaign_on_time).';
COMMENT ON COLUMN mops.kpi_campaign_delivery.campaign_on_time IS 'KPI campaign_on_time = launched_on_time / campaigns_due.';

-- ---------------------------------------------------------------------------
-- kpi_content_production
-- ---------------------------------------------------------------------------

CREATE VIEW mops.kpi_content_production WITH (security_invoker = true) AS
WITH item AS (
    SELECT ci.*
      FROM mops.content_item ci
      LEFT JOIN mops.campaign c ON c.campaign_id = ci.campaign_id
     WHERE ci.campaign_id IS NULL OR c.campaign_id IS NOT NULL
), published AS (
    SELECT pg_catalog.date_trunc('month', i.published_at AT TIME ZONE 'UTC')::date AS period,
           count(*) AS items_published,
           avg(EXTRACT(epoch FROM i.published_at - i.created_at)) / 86400 AS cycle_days,
           count(i.brand_compliant) AS brand_reviewed,
           count(*) FILTER (WHERE i.brand_compliant) AS brand_compliant,
           count(i.compliance_passed) AS compliance_reviewed,
           count(*) FILTER (WHERE i.compliance_passed) AS compliance_passed,
           count(i.qa_passed) AS qa_checked,
           count(*) FILTER (WHERE i.qa_passed) AS qa_passed
      FROM item i
     WHERE i.published_at IS NOT NULL
     GROUP BY 1
), approved AS (
    SELECT pg_catalog.date_trunc('month', i.approved_at AT TIME ZONE 'UTC')::date AS period,
           count(*) AS items_approved,
           avg(EXTRACT(epoch FROM i.approved_at - i.submitted_at)) / 3600 AS approval_hours
      FROM item i
     WHERE i.approved_at IS NOT NULL AND i.submitted_at IS NOT NULL
     GROUP BY 1
), due AS (
    SELECT pg_catalog.date_trunc('month', i.due_at AT TIME ZONE 'UTC')::date AS period,
           count(*) AS items_due,
           count(*) FILTER (WHERE i.published_at <= i.due_at) AS items_published_by_due
      FROM item i
     WHERE i.due_at IS NOT NULL
     GROUP BY 1
), submitted AS (
    SELECT pg_catalog.date_trunc('month', i.submitted_at AT TIME ZONE 'UTC')::date AS period,
           count(*) AS items_submitted,
           count(i.approved_at) AS items_submitted_approved
      FROM item i
     WHERE i.submitted_at IS NOT NULL
     GROUP BY 1
), periods AS (
    SELECT period FROM published UNION SELECT period FROM approved
    UNION SELECT period FROM due UNION SELECT period FROM submitted
)
SELECT p.period,
       COALESCE(pub.items_published, 0) AS items_published,
       pg_catalog.trim_scale(pub.cycle_days) AS content_cycle_days,
       COALESCE(a.items_approved, 0) AS items_approved,
       pg_catalog.trim_scale(a.approval_hours) AS approval_hours,
       COALESCE(pub.brand_reviewed, 0) AS brand_reviewed,
       COALESCE(pub.brand_compliant, 0) AS brand_compliant,
       pg_catalog.trim_scale(pub.brand_compliant::numeric / NULLIF(pub.brand_reviewed, 0)) AS brand_consistency,
       COALESCE(pub.compliance_reviewed, 0) AS compliance_reviewed,
       COALESCE(pub.compliance_passed, 0) AS compliance_passed,
       pg_catalog.trim_scale(pub.compliance_passed::numeric / NULLIF(pub.compliance_reviewed, 0)) AS compliance,
       COALESCE(pub.qa_checked, 0) AS qa_checked,
       COALESCE(pub.qa_passed, 0) AS qa_passed,
       pg_catalog.trim_scale(pub.qa_passed::numeric / NULLIF(pub.qa_checked, 0)) AS qa_success,
       COALESCE(d.items_due, 0) AS items_due,
       COALESCE(d.items_published_by_due, 0) AS items_published_by_due,
       pg_catalog.trim_scale(d.items_published_by_due::numeric / NULLIF(d.items_due, 0)) AS deadlines_met,
       COALESCE(s.items_submitted, 0) AS items_submitted,
       COALESCE(s.items_submitted_approved, 0) AS items_submitted_approved,
       pg_catalog.trim_scale(s.items_submitted_approved::numeric / NULLIF(s.items_submitted, 0)) AS workflow_success
  FROM periods p
  LEFT JOIN published pub ON pub.period = p.period
  LEFT JOIN approved a ON a.period = p.period
  LEFT JOIN due d ON d.period = p.period
  LEFT JOIN submitted s ON s.period = p.period;
COMMENT ON VIEW mops.kpi_content_production IS
'Content KPIs by month. content_cycle_days: mean days created_at -> published_at of items published in the month (reported). approval_hours: mean hours submitted_at -> approved_at of items approved in the month (reported). brand_consistency, compliance, qa_success: share of the items published in the month that passed that review, among those reviewed (NULL flags are not counted); targets >= 0.98, >= 0.98, >= 0.95 (integration map). deadlines_met: share of items due in the month published by due_at (reported). workflow_success: share of items submitted in the month that were approved; target >= 0.90 (integration map).';
COMMENT ON COLUMN mops.kpi_content_production.period IS 'Month (first day): of published_at, approved_at, due_at or submitted_at, depending on the KPI.';
COMMENT ON COLUMN mops.kpi_content_production.items_published IS 'Items published in the month.';
COMMENT ON COLUMN mops.kpi_content_production.content_cycle_days IS 'KPI content_cycle_days: mean days from created_at to published_at of the items published in the month.';
COMMENT ON COLUMN mops.kpi_content_production.items_approved IS 'Items approved in the month (with a submitted_at).';
COMMENT ON COLUMN mops.kpi_content_production.approval_hours IS 'KPI approval_hours: mean hours from submitted_at to approved_at of the items approved in the month.';
COMMENT ON COLUMN mops.kpi_content_production.brand_reviewed IS 'Items published in the month with a brand review (brand_compliant not NULL).';
COMMENT ON COLUMN mops.kpi_content_production.brand_compliant IS 'Of those, brand compliant.';
COMMENT ON COLUMN mops.kpi_content_production.brand_consistency IS 'KPI brand_consistency = brand_compliant / brand_reviewed.';
COMMENT ON COLUMN mops.kpi_content_production.compliance_reviewed IS 'Items published in the month with a compliance review.';
COMMENT ON COLUMN mops.kpi_content_production.compliance_passed IS 'Of those, passed.';
COMMENT ON COLUMN mops.kpi_content_production.compliance IS 'KPI compliance = compliance_passed / compliance_reviewed.';
COMMENT ON COLUMN mops.kpi_content_production.qa_checked IS 'Items published in the month with a QA result.';
COMMENT ON COLUMN mops.kpi_content_production.qa_passed IS 'Of those, passed QA.';
COMMENT ON COLUMN mops.kpi_content_production.qa_success IS 'KPI qa_success = qa_passed / qa_checked.';
COMMENT ON COLUMN mops.kpi_content_production.items_due IS 'Items due in the month.';
COMMENT ON COLUMN mops.kpi_content_production.items_published_by_due IS 'Of those, published on or before due_at.';
COMMENT ON COLUMN mops.kpi_content_production.deadlines_met IS 'KPI deadlines_met = items_published_by_due / items_due.';
COMMENT ON COLUMN mops.kpi_content_production.items_submitted IS 'Items submitted for approval in the month.';
COMMENT ON COLUMN mops.kpi_content_production.items_submitted_approved IS 'Of those, approved (at any time).';
COMMENT ON COLUMN mops.kpi_content_production.workflow_success IS 'KPI workflow_success = items_submitted_approved / items_submitted.';

-- ---------------------------------------------------------------------------
-- kpi_distribution
-- ---------------------------------------------------------------------------

CREATE VIEW mops.kpi_distribution WITH (security_invoker = true) AS
SELECT s.period,
       s.channel,
       count(*) AS scheduled,
       count(*) FILTER (WHERE s.status = 'delivered') AS delivered,
       count(*) FILTER (WHERE s.status = 'failed') AS failed,
       count(*) FILTER (WHERE s.status = 'cancelled') AS cancelled,
       pg_catalog.trim_scale(count(*) FILTER (WHERE s.status = 'delivered')::numeric
                             / NULLIF(count(*) FILTER (WHERE s.status IN ('delivered', 'failed')), 0))
           AS distribution_success
  FROM (SELECT pg_catalog.date_trunc('month', d.scheduled_at AT TIME ZONE 'UTC')::date AS period,
               d.channel, d.status
          FROM mops.distribution d
          LEFT JOIN mops.campaign c ON c.campaign_id = d.campaign_id
         WHERE d.campaign_id IS NULL OR c.campaign_id IS NOT NULL) s
 GROUP BY GROUPING SETS ((s.period), (s.period, s.channel));
COMMENT ON VIEW mops.kpi_distribution IS
'distribution_success: delivered / (delivered + failed) of the distributions scheduled in the month (scheduled and cancelled ones do not count), for all channels (channel NULL) and per channel. Target >= 0.92 (integration map).';
COMMENT ON COLUMN mops.kpi_distribution.period IS 'Month of scheduled_at (first day).';
COMMENT ON COLUMN mops.kpi_distribution.channel IS 'Channel; NULL on the row for all channels together.';
COMMENT ON COLUMN mops.kpi_distribution.scheduled IS 'Distributions scheduled in the month (any status).';
COMMENT ON COLUMN mops.kpi_distribution.delivered IS 'Of those, delivered.';
COMMENT ON COLUMN mops.kpi_distribution.failed IS 'Of those, failed.';
COMMENT ON COLUMN mops.kpi_distribution.cancelled IS 'Of those, cancelled.';
COMMENT ON COLUMN mops.kpi_distribution.distribution_success IS 'KPI distribution_success = delivered / (delivered + failed).';

-- ---------------------------------------------------------------------------
-- kpi_resource_utilization
-- ---------------------------------------------------------------------------

CREATE VIEW mops.kpi_resource_utilization WITH (security_invoker = true) AS
SELECT r.month AS period,
       r.team,
       sum(r.capacity_hours) AS capacity_hours,
       sum(r.allocated_hours) AS allocated_hours,
       sum(r.used_hours) AS used_hours,
       pg_catalog.trim_scale(sum(r.used_hours) / NULLIF(sum(r.capacity_hours), 0)) AS resource_utilization
  FROM mops.resource_capacity r
 GROUP BY GROUPING SETS ((r.month), (r.month, r.team));
COMMENT ON VIEW mops.kpi_resource_utilization IS
'resource_utilization: sum(used_hours) / sum(capacity_hours) in the month, for all teams (team NULL) and per team. Target within 0.85-1.00 (integration map).';
COMMENT ON COLUMN mops.kpi_resource_utilization.period IS 'The month (first day).';
COMMENT ON COLUMN mops.kpi_resource_utilization.team IS 'Team; NULL on the row for all teams together.';
COMMENT ON COLUMN mops.kpi_resource_utilization.capacity_hours IS 'Hours available.';
COMMENT ON COLUMN mops.kpi_resource_utilization.allocated_hours IS 'Hours allocated.';
COMMENT ON COLUMN mops.kpi_resource_utilization.used_hours IS 'Hours used.';
COMMENT ON COLUMN mops.kpi_resource_utilization.resource_utilization IS 'KPI resource_utilization = used_hours / capacity_hours.';

-- ---------------------------------------------------------------------------
-- kpi_acquisition
-- ---------------------------------------------------------------------------

CREATE VIEW mops.kpi_acquisition WITH (security_invoker = true) AS
WITH spent AS (
    SELECT pg_catalog.date_trunc('month', s.spent_on::timestamp)::date AS period,
           s.currency::text AS currency,
           sum(s.amount) AS spend
      FROM mops.spend s
      LEFT JOIN mops.campaign c ON c.campaign_id = s.campaign_id
     WHERE s.campaign_id IS NULL OR c.campaign_id IS NOT NULL
     GROUP BY 1, 2
), converted AS (
    SELECT pg_catalog.date_trunc('month', v.occurred_at AT TIME ZONE 'UTC')::date AS period,
           v.currency::text AS currency,
           count(*) AS conversions,
           sum(v.value) AS conversion_value
      FROM mops.conversion v
     GROUP BY 1, 2
), leads AS (
    SELECT pg_catalog.date_trunc('month', d.day::timestamp)::date AS period, sum(d.leads)::bigint AS leads
      FROM (SELECT (l.entered_at AT TIME ZONE 'UTC')::date AS day, count(*) AS leads
              FROM mops.lead_stage l
             WHERE l.stage = 'lifecycle:lead'::mops.funnel_stage
             GROUP BY 1) d
     GROUP BY 1
)
SELECT period, currency,
       COALESCE(sp.spend, 0) AS spend,
       COALESCE(l.leads, 0) AS leads,
       COALESCE(cv.conversions, 0) AS conversions,
       COALESCE(cv.conversion_value, 0) AS conversion_value,
       pg_catalog.trim_scale(COALESCE(sp.spend, 0) / NULLIF(l.leads, 0)) AS cost_per_lead,
       pg_catalog.trim_scale(COALESCE(sp.spend, 0) / NULLIF(cv.conversions, 0)) AS cpa,
       pg_catalog.trim_scale(COALESCE(cv.conversion_value, 0) / NULLIF(sp.spend, 0)) AS roas,
       pg_catalog.trim_scale((COALESCE(cv.conversion_value, 0) - sp.spend) / NULLIF(sp.spend, 0)) AS roi
  FROM spent sp
  FULL JOIN converted cv USING (period, currency)
  LEFT JOIN leads l USING (period);
COMMENT ON VIEW mops.kpi_acquisition IS
'Acquisition KPIs by month and currency (all reported): cost_per_lead = spend in the month / leads entering lifecycle:lead in the month; cpa = spend / conversions; roas = conversion value / spend; roi = (conversion value - spend) / spend. Spend and conversion value are summed per currency, never converted; leads do not depend on currency.';
COMMENT ON COLUMN mops.kpi_acquisition.period IS 'Month (first day) of spent_on, of the conversion, or of entering lifecycle:lead.';
COMMENT ON COLUMN mops.kpi_acquisition.currency IS 'Currency of spend and conversion value.';
COMMENT ON COLUMN mops.kpi_acquisition.spend IS 'Spend in the month in this currency.';
COMMENT ON COLUMN mops.kpi_acquisition.leads IS 'Leads entering lifecycle:lead in the month (the same on every currency row).';
COMMENT ON COLUMN mops.kpi_acquisition.conversions IS 'Conversions in the month in this currency.';
COMMENT ON COLUMN mops.kpi_acquisition.conversion_value IS 'Their value.';
COMMENT ON COLUMN mops.kpi_acquisition.cost_per_lead IS 'KPI cost_per_lead = spend / leads.';
COMMENT ON COLUMN mops.kpi_acquisition.cpa IS 'KPI cpa = spend / conversions.';
COMMENT ON COLUMN mops.kpi_acquisition.roas IS 'KPI roas = conversion_value / spend.';
COMMENT ON COLUMN mops.kpi_acquisition.roi IS 'KPI roi = (conversion_value - spend) / spend.';

-- ---------------------------------------------------------------------------
-- kpi_customer_value
-- ---------------------------------------------------------------------------

CREATE VIEW mops.kpi_customer_value WITH (security_invoker = true) AS
WITH conv AS (
    SELECT pg_catalog.date_trunc('month', v.occurred_at AT TIME ZONE 'UTC')::date AS period,
           v.currency::text AS currency, v.customer_id, v.value
      FROM mops.conversion v
), monthly AS (
    SELECT period, currency, sum(value) AS conversion_value,
           count(DISTINCT customer_id) AS converting_customers
      FROM conv GROUP BY 1, 2
), first_conversion AS (
    -- each customer counts from the month of their first conversion on
    SELECT currency, min(period) AS period, customer_id FROM conv GROUP BY currency, customer_id
), new_customers AS (
    SELECT period, currency, count(*) AS new_customers FROM first_conversion GROUP BY 1, 2
), delivery AS (
    SELECT pg_catalog.date_trunc('month', o.delivered_at AT TIME ZONE 'UTC')::date AS period,
           o.currency::text AS currency,
           count(o.cost) AS delivered_orders,
           avg(o.cost) AS mean_fulfilment_cost
      FROM mops.fulfilment o
     WHERE o.delivered_at IS NOT NULL AND o.currency IS NOT NULL
     GROUP BY 1, 2
), money AS (
    -- every month with conversions or deliveries in the currency, so that
    -- the running totals (clv) carry through months without conversions
    SELECT p.period, p.currency, m.conversion_value, m.converting_customers,
           sum(COALESCE(m.conversion_value, 0)) OVER w AS cumulative_value,
           sum(COALESCE(n.new_customers, 0)) OVER w AS cumulative_customers
      FROM (SELECT period, currency FROM monthly UNION SELECT period, currency FROM delivery) p
      LEFT JOIN monthly m USING (period, currency)
      LEFT JOIN new_customers n USING (period, currency)
    WINDOW w AS (PARTITION BY p.currency ORDER BY p.period)
), feedback AS (
    SELECT pg_catalog.date_trunc('month', f.responded_at AT TIME ZONE 'UTC')::date AS period,
           count(f.csat) AS responses,
           count(*) FILTER (WHERE f.csat >= 4) AS satisfied_responses
      FROM mops.customer_feedback f
     GROUP BY 1
)
SELECT period, currency,
       COALESCE(mo.conversion_value, 0) AS conversion_value,
       COALESCE(mo.converting_customers, 0) AS converting_customers,
       pg_catalog.trim_scale(mo.conversion_value / NULLIF(mo.converting_customers, 0)) AS revenue_per_customer,
       mo.cumulative_value,
       mo.cumulative_customers,
       pg_catalog.trim_scale(mo.cumulative_value / NULLIF(mo.cumulative_customers, 0)) AS clv,
       COALESCE(fb.responses, 0) AS responses,
       COALESCE(fb.satisfied_responses, 0) AS satisfied_responses,
       pg_catalog.trim_scale(fb.satisfied_responses::numeric / NULLIF(fb.responses, 0)) AS csat,
       COALESCE(dl.delivered_orders, 0) AS delivered_orders,
       pg_catalog.trim_scale(dl.mean_fulfilment_cost) AS mean_fulfilment_cost,
       pg_catalog.trim_scale(acq.cpa / NULLIF(dl.mean_fulfilment_cost, 0)) AS cpa_to_delivery
  FROM money mo
  LEFT JOIN delivery dl USING (period, currency)
  LEFT JOIN mops.kpi_acquisition acq USING (period, currency)
  FULL JOIN feedback fb USING (period);
COMMENT ON VIEW mops.kpi_customer_value IS
'Customer value KPIs by month and currency (all reported): revenue_per_customer = conversion value in the month / distinct converting customers in the month; clv = all conversion value up to the month''s end / distinct customers who converted by then; csat = share of the month''s responses with csat >= 4 (it does not depend on currency: the same on every currency row, and on a row with currency NULL in months without money rows); cpa_to_delivery = cpa (kpi_acquisition) / mean fulfilment cost of the orders delivered in the month.';
COMMENT ON COLUMN mops.kpi_customer_value.period IS 'Month (first day) of the conversion, delivery or response.';
COMMENT ON COLUMN mops.kpi_customer_value.currency IS 'Currency of the money columns; NULL on a row that only carries csat.';
COMMENT ON COLUMN mops.kpi_customer_value.conversion_value IS 'Conversion value in the month.';
COMMENT ON COLUMN mops.kpi_customer_value.converting_customers IS 'Distinct customers converting in the month.';
COMMENT ON COLUMN mops.kpi_customer_value.revenue_per_customer IS 'KPI revenue_per_customer = conversion_value / converting_customers.';
COMMENT ON COLUMN mops.kpi_customer_value.cumulative_value IS 'All conversion value up to the end of the month.';
COMMENT ON COLUMN mops.kpi_customer_value.cumulative_customers IS 'Distinct customers who converted up to the end of the month.';
COMMENT ON COLUMN mops.kpi_customer_value.clv IS 'KPI clv = cumulative_value / cumulative_customers.';
COMMENT ON COLUMN mops.kpi_customer_value.responses IS 'Satisfaction responses in the month.';
COMMENT ON COLUMN mops.kpi_customer_value.satisfied_responses IS 'Of those, csat 4 or 5.';
COMMENT ON COLUMN mops.kpi_customer_value.csat IS 'KPI csat = satisfied_responses / responses.';
COMMENT ON COLUMN mops.kpi_customer_value.delivered_orders IS 'Orders delivered in the month with a cost in this currency.';
COMMENT ON COLUMN mops.kpi_customer_value.mean_fulfilment_cost IS 'Their mean fulfilment cost.';
COMMENT ON COLUMN mops.kpi_customer_value.cpa_to_delivery IS 'KPI cpa_to_delivery = cpa / mean_fulfilment_cost.';

-- ---------------------------------------------------------------------------
-- kpi_funnel
-- ---------------------------------------------------------------------------

CREATE VIEW mops.kpi_funnel WITH (security_invoker = true) AS
WITH stage AS (
    SELECT s.stage, s.position::integer AS position
      FROM mops.funnel_stages('lifecycle') WITH ORDINALITY AS s(stage, position)
), lead_pos AS (
    -- OFFSET 0 keeps this a subquery of its own, so that stage_position()
    -- runs once a row rather than once for each of the seven FILTERs below
    -- (half the cost of this view at scale 10)
    SELECT l.lead_id, mops.stage_position(l.stage) AS pos, l.entered_at
      FROM mops.lead_stage l
     WHERE mops.stage_model(l.stage) = 'lifecycle'
    OFFSET 0
), reach AS (
    -- a lead reached stage k when it entered k or any later stage, at the
    -- earliest such entry: one pass over the leads' rows (the built-in
    -- lifecycle model has its seven stages for good)
    SELECT p.lead_id,
           min(p.entered_at) AS r1,
           min(p.entered_at) FILTER (WHERE p.pos >= 2) AS r2,
           min(p.entered_at) FILTER (WHERE p.pos >= 3) AS r3,
           min(p.entered_at) FILTER (WHERE p.pos >= 4) AS r4,
           min(p.entered_at) FILTER (WHERE p.pos >= 5) AS r5,
           min(p.entered_at) FILTER (WHERE p.pos >= 6) AS r6,
           min(p.entered_at) FILTER (WHERE p.pos >= 7) AS r7
      FROM lead_pos p
     GROUP BY p.lead_id
), step_day AS (
    -- per stage k, the cohort that reached stage k - 1 (for k = 1: stage 1
    -- itself) on a day, and how many of it reached k; by day first, as
    -- date_trunc costs more than grouping (then few rows go by month)
    SELECT (v.prev AT TIME ZONE 'UTC')::date AS day,
           v.position,
           count(*) AS cohort,
           count(v.cur) AS reached
      FROM reach r
     CROSS JOIN LATERAL (VALUES (1, r.r1, r.r1), (2, r.r1, r.r2), (3, r.r2, r.r3), (4, r.r3, r.r4),
                                (5, r.r4, r.r5), (6, r.r5, r.r6), (7, r.r6, r.r7)) AS v(position, prev, cur)
     WHERE v.prev IS NOT NULL
     GROUP BY 1, 2
), step AS (
    SELECT pg_catalog.date_trunc('month', d.day::timestamp)::date AS period, d.position,
           sum(d.cohort)::bigint AS cohort, sum(d.reached)::bigint AS reached
      FROM step_day d
     GROUP BY 1, 2
)
SELECT sp.period,
       st.stage::text AS stage,
       st.position::bigint AS stage_position,
       sp.cohort,
       sp.reached,
       CASE WHEN st.position > 1
            THEN pg_catalog.trim_scale(sp.reached::numeric / NULLIF(sp.cohort, 0)) END AS step_conversion,
       CASE WHEN st.stage = 'lifecycle:sql'::mops.funnel_stage
            THEN pg_catalog.trim_scale(sp.reached::numeric / NULLIF(sp.cohort, 0)) END AS mql_to_sql
  FROM step sp
  JOIN stage st ON st.position = sp.position;
COMMENT ON VIEW mops.kpi_funnel IS
'The lifecycle funnel by cohort month: for each stage after the first, of the leads that reached the previous stage in the month (cohort), how many reached this stage (at any time); a lead reached a stage when it entered it or any later one. mql_to_sql = reached / cohort on the lifecycle:sql row (leads that reached sql / leads that reached mql, by month of reaching mql); target within 0.60-0.80 (seed 001). The first stage''s row counts the leads that reached it in the month.';
COMMENT ON COLUMN mops.kpi_funnel.period IS 'Month (first day) in which the cohort reached the previous stage (for the first stage: reached it).';
COMMENT ON COLUMN mops.kpi_funnel.stage IS 'The lifecycle stage, as text (e.g. lifecycle:sql).';
COMMENT ON COLUMN mops.kpi_funnel.stage_position IS 'Its position in the lifecycle model, 1 = subscriber.';
COMMENT ON COLUMN mops.kpi_funnel.cohort IS 'Leads that reached the previous stage in the month.';
COMMENT ON COLUMN mops.kpi_funnel.reached IS 'Of those, leads that reached this stage.';
COMMENT ON COLUMN mops.kpi_funnel.step_conversion IS 'reached / cohort (NULL for the first stage).';
COMMENT ON COLUMN mops.kpi_funnel.mql_to_sql IS 'KPI mql_to_sql = reached / cohort on the lifecycle:sql row; NULL on other rows.';

-- ---------------------------------------------------------------------------
-- kpi_improvement
-- ---------------------------------------------------------------------------

CREATE VIEW mops.kpi_improvement WITH (security_invoker = true) AS
WITH content_first AS (
    SELECT cp.period, cp.content_cycle_days, cp.approval_hours,
           first_value(cp.content_cycle_days) OVER (PARTITION BY cp.content_cycle_days IS NULL ORDER BY cp.period) AS cycle_first,
           first_value(cp.approval_hours) OVER (PARTITION BY cp.approval_hours IS NULL ORDER BY cp.period) AS approval_first
      FROM mops.kpi_content_production cp
), content AS (
    SELECT c.period, c.content_cycle_days, c.approval_hours,
           max(c.cycle_first) FILTER (WHERE c.content_cycle_days IS NOT NULL) OVER () AS cycle_baseline,
           max(c.approval_first) FILTER (WHERE c.approval_hours IS NOT NULL) OVER () AS approval_baseline
      FROM content_first c
), money AS (
    SELECT a.period, a.currency, a.roi, a.cpa,
           first_value(a.roi) OVER (PARTITION BY a.currency, a.roi IS NULL ORDER BY a.period) AS roi_first,
           first_value(a.cpa) OVER (PARTITION BY a.currency, a.cpa IS NULL ORDER BY a.period) AS cpa_first
      FROM mops.kpi_acquisition a
), money_baseline AS (
    SELECT m.period, m.currency, m.roi, m.cpa,
           max(m.roi_first) FILTER (WHERE m.roi IS NOT NULL) OVER (PARTITION BY m.currency) AS roi_baseline,
           max(m.cpa_first) FILTER (WHERE m.cpa IS NOT NULL) OVER (PARTITION BY m.currency) AS cpa_baseline
      FROM money m
)
SELECT period, mb.currency,
       c.content_cycle_days,
       c.cycle_baseline AS content_cycle_days_baseline,
       pg_catalog.trim_scale(1 - c.content_cycle_days / NULLIF(c.cycle_baseline, 0)) AS production_speed_gain,
       c.approval_hours,
       c.approval_baseline AS approval_hours_baseline,
       pg_catalog.trim_scale(1 - c.approval_hours / NULLIF(c.approval_baseline, 0)) AS approval_speed_gain,
       mb.roi,
       mb.roi_baseline,
       pg_catalog.trim_scale(mb.roi / NULLIF(mb.roi_baseline, 0) - 1) AS roi_gain,
       mb.cpa,
       mb.cpa_baseline,
       pg_catalog.trim_scale(1 - mb.cpa / NULLIF(mb.cpa_baseline, 0)) AS cpa_reduction
  FROM content c
  FULL JOIN money_baseline mb USING (period);
COMMENT ON VIEW mops.kpi_improvement IS
'Improvement against the baseline, the KPI''s value in the earliest month that has one: production_speed_gain = 1 - content_cycle_days / baseline (target >= 0.50), approval_speed_gain = 1 - approval_hours / baseline (>= 0.70), roi_gain = roi / baseline - 1 (>= 0.35), cpa_reduction = 1 - cpa / baseline (>= 0.30); targets from the integration map. roi and cpa are per currency (their own baseline each); the content KPIs do not depend on currency and repeat on every currency row of a month (currency NULL in months without money rows). A zero baseline gives NULL.';
COMMENT ON COLUMN mops.kpi_improvement.period IS 'The month (first day).';
COMMENT ON COLUMN mops.kpi_improvement.currency IS 'Currency of roi and cpa; NULL on rows with content KPIs only.';
COMMENT ON COLUMN mops.kpi_improvement.content_cycle_days IS 'content_cycle_days of the month (kpi_content_production).';
COMMENT ON COLUMN mops.kpi_improvement.content_cycle_days_baseline IS 'content_cycle_days of the earliest month that has one.';
COMMENT ON COLUMN mops.kpi_improvement.production_speed_gain IS 'KPI production_speed_gain = 1 - content_cycle_days / content_cycle_days_baseline.';
COMMENT ON COLUMN mops.kpi_improvement.approval_hours IS 'approval_hours of the month (kpi_content_production).';
COMMENT ON COLUMN mops.kpi_improvement.approval_hours_baseline IS 'approval_hours of the earliest month that has one.';
COMMENT ON COLUMN mops.kpi_improvement.approval_speed_gain IS 'KPI approval_speed_gain = 1 - approval_hours / approval_hours_baseline.';
COMMENT ON COLUMN mops.kpi_improvement.roi IS 'roi of the month in this currency (kpi_acquisition).';
COMMENT ON COLUMN mops.kpi_improvement.roi_baseline IS 'roi of the earliest month that has one, in this currency.';
COMMENT ON COLUMN mops.kpi_improvement.roi_gain IS 'KPI roi_gain = roi / roi_baseline - 1.';
COMMENT ON COLUMN mops.kpi_improvement.cpa IS 'cpa of the month in this currency (kpi_acquisition).';
COMMENT ON COLUMN mops.kpi_improvement.cpa_baseline IS 'cpa of the earliest month that has one, in this currency.';
COMMENT ON COLUMN mops.kpi_improvement.cpa_reduction IS 'KPI cpa_reduction = 1 - cpa / cpa_baseline.';

-- ---------------------------------------------------------------------------
-- kpi_attribution
-- ---------------------------------------------------------------------------

CREATE VIEW mops.kpi_attribution WITH (security_invoker = true) AS
WITH conversion_path AS (
    SELECT v.conversion_id, v.occurred_at, v.value, v.currency::text AS currency, p.path
      FROM mops.conversion v
     CROSS JOIN LATERAL (
            SELECT mops.path_collapse(mops.path_agg(t.channel, t.occurred_at)) AS path
              FROM mops.touchpoint t
             WHERE t.customer_id = v.customer_id
               AND t.occurred_at >= v.occurred_at - interval '30 days'
               AND t.occurred_at <= v.occurred_at) p
     WHERE p.path IS NOT NULL
)
SELECT pg_catalog.date_trunc('month', cp.occurred_at AT TIME ZONE 'UTC')::date AS period,
       m.model,
       c.channel,
       cp.currency,
       pg_catalog.trim_scale(sum(c.conversion_credit)) AS conversions,
       pg_catalog.trim_scale(sum(c.value_credit)) AS value
  FROM conversion_path cp
 CROSS JOIN (VALUES ('first_touch'), ('last_touch'), ('linear'), ('position_based'), ('time_decay')) AS m(model)
 CROSS JOIN LATERAL ROWS FROM (
            mops.attribute(cp.path, m.model, 1, cp.occurred_at),
            mops.attribute(cp.path, m.model, cp.value, cp.occurred_at)
        ) AS c(touch, channel, conversion_credit, touch2, channel2, value_credit)
 GROUP BY 1, 2, 3, 4;
COMMENT ON VIEW mops.kpi_attribution IS
'Conversions and value credited to channels: for every conversion, the touchpoints of the same customer from 30 days before it up to it (both ends included) form its path (path_agg, then path_collapse), credited with attribute() for first_touch, last_touch, linear, position_based and time_decay (half-life 7 days, at the conversion time). Conversions without touchpoints in that window are not credited. period = month of the conversion.';
COMMENT ON COLUMN mops.kpi_attribution.period IS 'Month of the conversion (first day).';
COMMENT ON COLUMN mops.kpi_attribution.model IS 'Attribution model.';
COMMENT ON COLUMN mops.kpi_attribution.channel IS 'Channel credited.';
COMMENT ON COLUMN mops.kpi_attribution.currency IS 'Currency of value.';
COMMENT ON COLUMN mops.kpi_attribution.conversions IS 'Conversions credited to the channel (fractions for the multi-touch models).';
COMMENT ON COLUMN mops.kpi_attribution.value IS 'Conversion value credited to the channel.';

-- ---------------------------------------------------------------------------
-- kpi_goal_status
-- ---------------------------------------------------------------------------

CREATE VIEW mops.kpi_goal_status WITH (security_invoker = true) AS
SELECT c.campaign_id,
       mops.goal_metric(c.goal) AS metric,
       mops.goal_baseline(c.goal) AS baseline,
       mops.goal_target(c.goal) AS target,
       mv.measured_on,
       mv.value AS actual,
       mops.goal_progress(c.goal, mv.value) AS progress,
       mops.goal_expected_progress(c.goal, CURRENT_DATE) AS expected_progress,
       mops.goal_status(c.goal, mv.value, CURRENT_DATE) AS status
  FROM mops.campaign c
  LEFT JOIN LATERAL (
        SELECT m.measured_on, m.value
          FROM mops.metric_value m
         WHERE m.metric = mops.goal_metric(c.goal)
           AND m.measured_on <= CURRENT_DATE
         ORDER BY m.measured_on DESC
         LIMIT 1) mv ON true
 WHERE c.goal IS NOT NULL;
COMMENT ON VIEW mops.kpi_goal_status IS
'Each campaign goal against the latest metric_value of its metric up to today: progress = goal_progress, expected_progress = goal_expected_progress(goal, current_date), status = goal_status(goal, actual, current_date) (not_started, achieved, missed, on_track, at_risk, off_track; NULL without a measurement).';
COMMENT ON COLUMN mops.kpi_goal_status.campaign_id IS 'The campaign.';
COMMENT ON COLUMN mops.kpi_goal_status.metric IS 'The goal''s metric.';
COMMENT ON COLUMN mops.kpi_goal_status.baseline IS 'The goal''s baseline (NULL if none).';
COMMENT ON COLUMN mops.kpi_goal_status.target IS 'The goal''s target.';
COMMENT ON COLUMN mops.kpi_goal_status.measured_on IS 'Day of the latest measurement used (NULL: none yet).';
COMMENT ON COLUMN mops.kpi_goal_status.actual IS 'The latest measured value of the metric up to today.';
COMMENT ON COLUMN mops.kpi_goal_status.progress IS 'goal_progress(goal, actual).';
COMMENT ON COLUMN mops.kpi_goal_status.expected_progress IS 'goal_expected_progress(goal, current_date).';
COMMENT ON COLUMN mops.kpi_goal_status.status IS 'goal_status(goal, actual, current_date).';

-- ---------------------------------------------------------------------------
-- kpi_budget
-- ---------------------------------------------------------------------------

CREATE VIEW mops.kpi_budget WITH (security_invoker = true) AS
WITH node AS (
    SELECT prefix, b.period, b.currency::text AS currency, b.planned, b.committed, b.actual
      FROM mops.budget_line b
      LEFT JOIN mops.campaign c ON c.campaign_id = b.campaign_id
     CROSS JOIN LATERAL mops.path_prefixes(b.path) AS prefix
     WHERE b.campaign_id IS NULL OR c.campaign_id IS NOT NULL
), total AS (
    SELECT n.prefix, n.period, n.currency,
           count(*) AS budget_lines,
           sum(n.planned) AS planned, sum(n.committed) AS committed, sum(n.actual) AS actual
      FROM node n
     GROUP BY n.prefix, n.period, n.currency
)
SELECT lower(t.period) AS period,
       upper(t.period) - 1 AS period_end,
       pg_catalog.array_to_string(t.prefix, '/') AS path,
       pg_catalog.cardinality(t.prefix)::bigint AS depth,
       t.prefix[pg_catalog.cardinality(t.prefix)] AS node,
       t.currency,
       t.budget_lines,
       t.planned,
       t.committed,
       t.actual,
       t.actual - t.planned AS variance,
       mops.budget_accuracy(t.planned, t.actual) AS budget_accuracy,
       mops.budget_pacing(t.actual, t.planned, t.period, CURRENT_DATE) AS pacing,
       mops.budget_forecast(t.actual, t.period, CURRENT_DATE) AS forecast
  FROM total t;
COMMENT ON VIEW mops.kpi_budget IS
'Budgets rolled up over the hierarchy: one row per path node (every prefix of budget_line.path, via path_prefixes), budget period and currency, summing the lines below it. budget_accuracy = budget_accuracy(planned, actual) = 1 - |actual - planned| / planned (reported; NULL for a zero plan); variance = actual - planned; pacing = budget_pacing(actual, planned, period, current_date); forecast = budget_forecast(actual, period, current_date). period is the first day of the budget period, which need not be a month.';
COMMENT ON COLUMN mops.kpi_budget.period IS 'First day of the budget period.';
COMMENT ON COLUMN mops.kpi_budget.period_end IS 'Last day of the budget period.';
COMMENT ON COLUMN mops.kpi_budget.path IS 'The node: its path prefix joined with / (e.g. emea/paid_social).';
COMMENT ON COLUMN mops.kpi_budget.depth IS 'Depth of the node, 1 = top level.';
COMMENT ON COLUMN mops.kpi_budget.node IS 'The last element of the path: the node''s own name.';
COMMENT ON COLUMN mops.kpi_budget.currency IS 'Currency of the amounts.';
COMMENT ON COLUMN mops.kpi_budget.budget_lines IS 'Budget lines under the node.';
COMMENT ON COLUMN mops.kpi_budget.planned IS 'Planned budget under the node.';
COMMENT ON COLUMN mops.kpi_budget.committed IS 'Committed under the node.';
COMMENT ON COLUMN mops.kpi_budget.actual IS 'Actually spent under the node.';
COMMENT ON COLUMN mops.kpi_budget.variance IS 'actual - planned.';
COMMENT ON COLUMN mops.kpi_budget.budget_accuracy IS 'KPI budget_accuracy = 1 - |actual - planned| / planned.';
COMMENT ON COLUMN mops.kpi_budget.pacing IS 'budget_pacing(actual, planned, period, current_date): actual / (planned x share of the period elapsed today).';
COMMENT ON COLUMN mops.kpi_budget.forecast IS 'budget_forecast(actual, period, current_date): actual / share of the period elapsed today (NULL before the period starts).';

-- ---------------------------------------------------------------------------
-- kpi_maturity
-- ---------------------------------------------------------------------------

CREATE VIEW mops.kpi_maturity WITH (security_invoker = true) AS
SELECT a.assessment_id,
       a.assessed_on,
       (a.m).stage::text AS stage,
       mops.maturity_stage_number((a.m).stage)::bigint AS stage_number,
       (a.m).score AS score,
       (a.m).weakest_pillar AS weakest_pillar,
       (a.m).complete AS complete,
       a.answers
  FROM (SELECT r.assessment_id, min(r.assessed_on) AS assessed_on,
               mops.maturity_assess(r.pillar, r.score) AS m, count(r.score) AS answers
          FROM mops.maturity_response r
         GROUP BY r.assessment_id) a;
COMMENT ON VIEW mops.kpi_maturity IS
'Marketing-operations maturity per assessment: maturity_assess(pillar, score) over the assessment''s answers (pillar score = mean of its answers, overall = mean of the six pillars, stage by the overall score capped at one above the weakest pillar''s stage).';
COMMENT ON COLUMN mops.kpi_maturity.assessment_id IS 'The assessment.';
COMMENT ON COLUMN mops.kpi_maturity.assessed_on IS 'Day of the assessment (the earliest of its answers).';
COMMENT ON COLUMN mops.kpi_maturity.stage IS 'Maturity stage: foundations, alignment, optimisation, integration or transformation.';
COMMENT ON COLUMN mops.kpi_maturity.stage_number IS 'The stage as a number, 1 (foundations) to 5 (transformation), for sorting and charts.';
COMMENT ON COLUMN mops.kpi_maturity.score IS 'Overall score, 1-5: the mean of the pillar scores.';
COMMENT ON COLUMN mops.kpi_maturity.weakest_pillar IS 'The pillar with the lowest score (it caps the stage).';
COMMENT ON COLUMN mops.kpi_maturity.complete IS 'False when one of the six pillars has no answers.';
COMMENT ON COLUMN mops.kpi_maturity.answers IS 'Scored answers in the assessment.';

-- ---------------------------------------------------------------------------
-- kpi_value (every KPI in long form), kpi_scorecard, kpi_alerts
-- ---------------------------------------------------------------------------

-- Every KPI in long form.  A function rather than a plain view for one
-- reason: the union of all KPI views is one large query whose cost estimate
-- (the planner cannot know that each view yields a row per month) crosses
-- jit_above_cost, and compiling it with LLVM then takes seconds - ten times
-- longer than running it.  The function plans it as a query of its own with
-- JIT off.  It runs with the caller's rights (not SECURITY DEFINER), so the
-- caller's row-level security applies as in the views.
CREATE FUNCTION mops.kpi_values()
RETURNS TABLE(period date, kpi text, scope text, actual numeric)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $fn$
-- Each KPI view is read once and unpivoted (a UNION ALL of one branch per
-- KPI would compute the multi-KPI views once per KPI).
SELECT d.period, 'campaign_on_time'::text AS kpi, NULL::text AS scope, d.campaign_on_time AS actual
  FROM mops.kpi_campaign_delivery d
UNION ALL
SELECT cp.period, v.kpi, NULL, v.actual
  FROM mops.kpi_content_production cp
 CROSS JOIN LATERAL (VALUES ('content_cycle_days', cp.content_cycle_days), ('approval_hours', cp.approval_hours),
                            ('brand_consistency', cp.brand_consistency), ('compliance', cp.compliance),
                            ('qa_success', cp.qa_success), ('deadlines_met', cp.deadlines_met),
                            ('workflow_success', cp.workflow_success)) AS v(kpi, actual)
UNION ALL
SELECT x.period, 'distribution_success', NULL, x.distribution_success
  FROM mops.kpi_distribution x WHERE x.channel IS NULL
UNION ALL
SELECT r.period, 'resource_utilization', NULL, r.resource_utilization
  FROM mops.kpi_resource_utilization r WHERE r.team IS NULL
UNION ALL
SELECT a.period, v.kpi, a.currency, v.actual
  FROM mops.kpi_acquisition a
 CROSS JOIN LATERAL (VALUES ('cost_per_lead', a.cost_per_lead), ('cpa', a.cpa), ('roas', a.roas),
                            ('roi', a.roi)) AS v(kpi, actual)
UNION ALL
SELECT DISTINCT cv.period, v.kpi, v.scope, v.actual
  FROM mops.kpi_customer_value cv
 CROSS JOIN LATERAL (VALUES ('revenue_per_customer', cv.currency, cv.revenue_per_customer),
                            ('clv', cv.currency, cv.clv),
                            ('cpa_to_delivery', cv.currency, cv.cpa_to_delivery),
                            ('csat', NULL, cv.csat)) AS v(kpi, scope, actual)
 WHERE v.scope IS NOT NULL OR v.kpi = 'csat'
UNION ALL
-- mql_to_sql as kpi_funnel defines it (leads that reached mql in the month,
-- and of them those that reached sql or beyond), from only the two
-- aggregates it needs: the whole funnel view costs three times as much.
-- sql/demo_data.sql checks that both give the same numbers.
SELECT pg_catalog.date_trunc('month', d.day::timestamp)::date, 'mql_to_sql', NULL,
       pg_catalog.trim_scale(sum(d.reached)::numeric / NULLIF(sum(d.cohort), 0))
  FROM (SELECT (r.mql_at AT TIME ZONE 'UTC')::date AS day, count(*) AS cohort,
               count(*) FILTER (WHERE r.top >= 4) AS reached
          FROM (SELECT p.lead_id, min(p.entered_at) FILTER (WHERE p.pos >= 3) AS mql_at, max(p.pos) AS top
                  FROM (SELECT l.lead_id, mops.stage_position(l.stage) AS pos, l.entered_at
                          FROM mops.lead_stage l
                         WHERE mops.stage_model(l.stage) = 'lifecycle'
                        OFFSET 0) p
                 GROUP BY p.lead_id) r
         WHERE r.mql_at IS NOT NULL
         GROUP BY 1) d
 GROUP BY 1
UNION ALL
SELECT b.period, 'budget_accuracy', b.path || ' ' || b.currency, b.budget_accuracy
  FROM mops.kpi_budget b
UNION ALL
SELECT DISTINCT i.period, v.kpi, v.scope, v.actual
  FROM mops.kpi_improvement i
 CROSS JOIN LATERAL (VALUES ('production_speed_gain', NULL, i.production_speed_gain),
                            ('approval_speed_gain', NULL, i.approval_speed_gain),
                            ('roi_gain', i.currency, i.roi_gain),
                            ('cpa_reduction', i.currency, i.cpa_reduction)) AS v(kpi, scope, actual)
 WHERE v.scope IS NOT NULL OR v.kpi IN ('production_speed_gain', 'approval_speed_gain');
$fn$;
COMMENT ON FUNCTION mops.kpi_values() IS
'Every KPI of the KPI views in long form (period, kpi, scope, actual); the rows of the view mops.kpi_value.';

CREATE VIEW mops.kpi_value WITH (security_invoker = true) AS
SELECT v.period, v.kpi, v.scope, v.actual FROM mops.kpi_values() AS v;
COMMENT ON VIEW mops.kpi_value IS
'Every KPI of the KPI views in long form: one row per month, KPI and scope (the currency for money KPIs; the budget node and currency for budget_accuracy, whose period is the budget period''s first day; NULL otherwise); actual is NULL where the KPI has no value (e.g. a zero denominator). The scorecard scores these against mops.kpi_target.';
COMMENT ON COLUMN mops.kpi_value.period IS 'The month (first day).';
COMMENT ON COLUMN mops.kpi_value.kpi IS 'KPI name (the column name in its view).';
COMMENT ON COLUMN mops.kpi_value.scope IS 'Currency of a money KPI, budget node and currency (e.g. emea/paid_social EUR) of budget_accuracy; NULL for the others.';
COMMENT ON COLUMN mops.kpi_value.actual IS 'The KPI''s value in the month.';

CREATE VIEW mops.kpi_scorecard WITH (security_invoker = true) AS
SELECT v.period, v.kpi, v.scope, v.actual, t.target, t.target_max, t.direction,
       CASE t.direction
           WHEN 'higher_is_better' THEN
               CASE WHEN v.actual >= t.target THEN 'met'
                    WHEN v.actual >= t.target - 0.1 * abs(t.target) THEN 'at_risk'
                    ELSE 'missed' END
           WHEN 'lower_is_better' THEN
               CASE WHEN v.actual <= t.target THEN 'met'
                    WHEN v.actual <= t.target + 0.1 * abs(t.target) THEN 'at_risk'
                    ELSE 'missed' END
           ELSE
               CASE WHEN v.actual BETWEEN t.target AND t.target_max THEN 'met'
                    WHEN v.actual BETWEEN t.target - 0.05 AND t.target_max + 0.05 THEN 'at_risk'
                    ELSE 'missed' END
       END AS status
  FROM mops.kpi_value v
  JOIN mops.kpi_target t ON t.kpi = v.kpi
 WHERE v.actual IS NOT NULL;
COMMENT ON VIEW mops.kpi_scorecard IS
'One row per KPI that has a target (mops.kpi_target) and a value in the month (per currency for money KPIs). status: met when the target holds; at_risk when it misses by at most 10 % of the target (for direction within: at most 0.05 outside the band); else missed.';
COMMENT ON COLUMN mops.kpi_scorecard.period IS 'The month (first day).';
COMMENT ON COLUMN mops.kpi_scorecard.kpi IS 'KPI name.';
COMMENT ON COLUMN mops.kpi_scorecard.scope IS 'Currency of a money KPI, budget node and currency of budget_accuracy; NULL for the others.';
COMMENT ON COLUMN mops.kpi_scorecard.actual IS 'The KPI''s value in the month.';
COMMENT ON COLUMN mops.kpi_scorecard.target IS 'Target (lower bound of the band for within).';
COMMENT ON COLUMN mops.kpi_scorecard.target_max IS 'Upper bound of the band for within.';
COMMENT ON COLUMN mops.kpi_scorecard.direction IS 'higher_is_better, lower_is_better or within.';
COMMENT ON COLUMN mops.kpi_scorecard.status IS 'met, at_risk or missed.';

CREATE VIEW mops.kpi_alerts WITH (security_invoker = true) AS
SELECT s.period, s.kpi, s.scope, s.actual, s.target, s.target_max, s.direction, s.status
  FROM (SELECT sc.*,
               max(sc.period) OVER (PARTITION BY sc.kpi, sc.scope) AS latest_period
          FROM mops.kpi_scorecard sc) s
 WHERE s.period = s.latest_period
   AND s.status <> 'met';
COMMENT ON VIEW mops.kpi_alerts IS
'The optimisation triggers: the kpi_scorecard rows of each KPI''s latest scored month (per scope) whose status is not met.';
COMMENT ON COLUMN mops.kpi_alerts.period IS 'The KPI''s latest scored month (first day).';
COMMENT ON COLUMN mops.kpi_alerts.kpi IS 'KPI name.';
COMMENT ON COLUMN mops.kpi_alerts.scope IS 'Currency of a money KPI, budget node and currency of budget_accuracy; NULL for the others.';
COMMENT ON COLUMN mops.kpi_alerts.actual IS 'The KPI''s value in that month.';
COMMENT ON COLUMN mops.kpi_alerts.target IS 'Target (lower bound of the band for within).';
COMMENT ON COLUMN mops.kpi_alerts.target_max IS 'Upper bound of the band for within.';
COMMENT ON COLUMN mops.kpi_alerts.direction IS 'higher_is_better, lower_is_better or within.';
COMMENT ON COLUMN mops.kpi_alerts.status IS 'at_risk or missed.';
