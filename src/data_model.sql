-- data_model: the tables ETL tools load (DESIGN §4.1).  Reference:
-- doc/kpis.md.
--
-- Every table is registered with pg_extension_config_dump, so pg_dump keeps
-- its rows.  Channels are stored as normalize_label() output: a trigger
-- normalises them on insert and update, so loaders may write 'Paid Social'.
-- Money is numeric plus a currency char(3) (ISO 4217, upper case).  The
-- extension grants nothing on these tables: they hold business data, and
-- the DBA decides who reads them (the KPI views are security_invoker, so
-- readers of a view need SELECT on its tables, and row-level security on
-- them applies).

-- Store channel as normalize_label(channel).
CREATE FUNCTION mops.normalize_channel_trigger() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    NEW.channel := mops.normalize_label(NEW.channel);
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION mops.normalize_channel_trigger() IS
'Trigger of the mops tables with a channel column: stores the channel as mops.normalize_label(channel).';

-- ---------------------------------------------------------------------------
-- Campaigns and content operations
-- ---------------------------------------------------------------------------

CREATE TABLE mops.campaign (
    campaign_id bigint PRIMARY KEY,
    name text NOT NULL,
    brand text,
    channel text,
    objective text,
    owner text,
    planned_start date,
    planned_end date,
    launched_at timestamptz,
    completed_at timestamptz,
    goal mops.smart_goal,
    CONSTRAINT campaign_planned_order CHECK (planned_end OPERATOR(pg_catalog.>=) planned_start)
);
COMMENT ON TABLE mops.campaign IS 'Marketing campaigns: plan, launch and completion, and the SMART goal each is measured against.';
COMMENT ON COLUMN mops.campaign.campaign_id IS 'Campaign key.';
COMMENT ON COLUMN mops.campaign.name IS 'Campaign name.';
COMMENT ON COLUMN mops.campaign.brand IS 'Brand the campaign belongs to (row-level security policies often filter on it).';
COMMENT ON COLUMN mops.campaign.channel IS 'Main channel, stored as normalize_label() output.';
COMMENT ON COLUMN mops.campaign.objective IS 'Business objective the campaign serves.';
COMMENT ON COLUMN mops.campaign.owner IS 'Who owns the campaign.';
COMMENT ON COLUMN mops.campaign.planned_start IS 'Planned launch date (kpi_campaign_delivery counts campaigns by its month).';
COMMENT ON COLUMN mops.campaign.planned_end IS 'Planned end date.';
COMMENT ON COLUMN mops.campaign.launched_at IS 'When the campaign actually launched; NULL while not launched.';
COMMENT ON COLUMN mops.campaign.completed_at IS 'When the campaign completed; NULL while running.';
COMMENT ON COLUMN mops.campaign.goal IS 'The campaign''s SMART goal (smart_goal); its metric is measured in mops.metric_value.';
CREATE INDEX campaign_planned_start_idx ON mops.campaign (planned_start);

CREATE TABLE mops.content_item (
    content_id bigint PRIMARY KEY,
    campaign_id bigint REFERENCES mops.campaign,
    kind text,
    created_at timestamptz NOT NULL,
    submitted_at timestamptz,
    approved_at timestamptz,
    published_at timestamptz,
    due_at timestamptz,
    brand_compliant boolean,
    compliance_passed boolean,
    qa_passed boolean
);
COMMENT ON TABLE mops.content_item IS 'Content produced for campaigns, with its workflow times and review outcomes.';
COMMENT ON COLUMN mops.content_item.content_id IS 'Content item key.';
COMMENT ON COLUMN mops.content_item.campaign_id IS 'The campaign it was made for (NULL: not tied to a campaign).';
COMMENT ON COLUMN mops.content_item.kind IS 'Kind of content (e.g. email, landing_page, video).';
COMMENT ON COLUMN mops.content_item.created_at IS 'When work on the item started.';
COMMENT ON COLUMN mops.content_item.submitted_at IS 'When it was submitted for approval.';
COMMENT ON COLUMN mops.content_item.approved_at IS 'When it was approved; NULL if not (yet) approved.';
COMMENT ON COLUMN mops.content_item.published_at IS 'When it was published; NULL if not (yet) published.';
COMMENT ON COLUMN mops.content_item.due_at IS 'When it was due to be published.';
COMMENT ON COLUMN mops.content_item.brand_compliant IS 'Passed the brand guidelines review (NULL: not reviewed).';
COMMENT ON COLUMN mops.content_item.compliance_passed IS 'Passed the legal/compliance review (NULL: not reviewed).';
COMMENT ON COLUMN mops.content_item.qa_passed IS 'Passed quality assurance (NULL: not checked).';
CREATE INDEX content_item_campaign_idx ON mops.content_item (campaign_id);

CREATE TABLE mops.distribution (
    distribution_id bigint PRIMARY KEY,
    content_id bigint REFERENCES mops.content_item,
    campaign_id bigint REFERENCES mops.campaign,
    channel text NOT NULL,
    scheduled_at timestamptz NOT NULL,
    delivered_at timestamptz,
    status text NOT NULL
        CONSTRAINT distribution_status_known
        CHECK (status OPERATOR(pg_catalog.=) ANY (ARRAY['scheduled', 'delivered', 'failed', 'cancelled']))
);
COMMENT ON TABLE mops.distribution IS 'Scheduled sends and placements of content on channels, and whether they were delivered.';
COMMENT ON COLUMN mops.distribution.distribution_id IS 'Distribution key.';
COMMENT ON COLUMN mops.distribution.content_id IS 'The content item distributed.';
COMMENT ON COLUMN mops.distribution.campaign_id IS 'The campaign it belongs to.';
COMMENT ON COLUMN mops.distribution.channel IS 'Channel, stored as normalize_label() output.';
COMMENT ON COLUMN mops.distribution.scheduled_at IS 'When it was scheduled to go out (kpi_distribution counts by its month).';
COMMENT ON COLUMN mops.distribution.delivered_at IS 'When it was delivered.';
COMMENT ON COLUMN mops.distribution.status IS 'scheduled, delivered, failed or cancelled.';
CREATE INDEX distribution_campaign_idx ON mops.distribution (campaign_id);

CREATE TABLE mops.resource_capacity (
    team text,
    month date
        CONSTRAINT resource_capacity_first_of_month
        CHECK (month OPERATOR(pg_catalog.=) pg_catalog.date_trunc('month', month)::date),
    capacity_hours numeric CONSTRAINT resource_capacity_capacity_nonnegative CHECK (capacity_hours OPERATOR(pg_catalog.>=) 0),
    allocated_hours numeric CONSTRAINT resource_capacity_allocated_nonnegative CHECK (allocated_hours OPERATOR(pg_catalog.>=) 0),
    used_hours numeric CONSTRAINT resource_capacity_used_nonnegative CHECK (used_hours OPERATOR(pg_catalog.>=) 0),
    PRIMARY KEY (team, month)
);
COMMENT ON TABLE mops.resource_capacity IS 'Hours each team had, had allocated and used, per month.';
COMMENT ON COLUMN mops.resource_capacity.team IS 'Team name.';
COMMENT ON COLUMN mops.resource_capacity.month IS 'The month (its first day).';
COMMENT ON COLUMN mops.resource_capacity.capacity_hours IS 'Hours the team could work in the month.';
COMMENT ON COLUMN mops.resource_capacity.allocated_hours IS 'Hours allocated to work in the month.';
COMMENT ON COLUMN mops.resource_capacity.used_hours IS 'Hours actually used.';

-- ---------------------------------------------------------------------------
-- Money
-- ---------------------------------------------------------------------------

CREATE TABLE mops.budget_line (
    budget_line_id bigint PRIMARY KEY,
    path text[] NOT NULL
        CONSTRAINT budget_line_path_not_empty
        CHECK (pg_catalog.cardinality(path) OPERATOR(pg_catalog.>=) 1
               AND pg_catalog.array_position(path, NULL) IS NULL),
    period daterange NOT NULL
        CONSTRAINT budget_line_period_bounded
        CHECK (NOT pg_catalog.isempty(period) AND NOT pg_catalog.lower_inf(period)
               AND NOT pg_catalog.upper_inf(period)),
    currency char(3) NOT NULL CONSTRAINT budget_line_currency_code CHECK (currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$'),
    planned numeric NOT NULL,
    committed numeric NOT NULL DEFAULT 0,
    actual numeric NOT NULL DEFAULT 0,
    campaign_id bigint REFERENCES mops.campaign
);
COMMENT ON TABLE mops.budget_line IS 'Budget lines in a hierarchy (path, e.g. {emea,paid_social,q1}) for a period: planned, committed and actual amounts.';
COMMENT ON COLUMN mops.budget_line.budget_line_id IS 'Budget line key.';
COMMENT ON COLUMN mops.budget_line.path IS 'Position in the budget hierarchy, top level first (kpi_budget rolls up over its prefixes).';
COMMENT ON COLUMN mops.budget_line.period IS 'The budget period, a bounded half-open date range such as [2026-01-01,2026-04-01).';
COMMENT ON COLUMN mops.budget_line.currency IS 'ISO 4217 currency code of the amounts.';
COMMENT ON COLUMN mops.budget_line.planned IS 'Planned budget.';
COMMENT ON COLUMN mops.budget_line.committed IS 'Amount committed (ordered, not yet spent).';
COMMENT ON COLUMN mops.budget_line.actual IS 'Amount actually spent so far.';
COMMENT ON COLUMN mops.budget_line.campaign_id IS 'The campaign the line funds, if any.';

CREATE TABLE mops.spend (
    spend_id bigint PRIMARY KEY,
    campaign_id bigint REFERENCES mops.campaign,
    channel text NOT NULL,
    spent_on date NOT NULL,
    amount numeric NOT NULL,
    currency char(3) NOT NULL CONSTRAINT spend_currency_code CHECK (currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$')
);
COMMENT ON TABLE mops.spend IS 'Marketing spend by campaign, channel and day.';
COMMENT ON COLUMN mops.spend.spend_id IS 'Spend key.';
COMMENT ON COLUMN mops.spend.campaign_id IS 'The campaign the money was spent on.';
COMMENT ON COLUMN mops.spend.channel IS 'Channel, stored as normalize_label() output.';
COMMENT ON COLUMN mops.spend.spent_on IS 'Day of the spend.';
COMMENT ON COLUMN mops.spend.amount IS 'Amount spent.';
COMMENT ON COLUMN mops.spend.currency IS 'ISO 4217 currency code of amount.';
CREATE INDEX spend_spent_on_idx ON mops.spend (spent_on);

-- ---------------------------------------------------------------------------
-- Customers
-- ---------------------------------------------------------------------------

CREATE TABLE mops.touchpoint (
    touchpoint_id bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    occurred_at timestamptz NOT NULL,
    channel text NOT NULL,
    source text,
    medium text,
    campaign_id bigint
);
COMMENT ON TABLE mops.touchpoint IS 'Marketing touches of customers (visits, clicks, opens) with their channel; the paths of kpi_attribution.';
COMMENT ON COLUMN mops.touchpoint.touchpoint_id IS 'Touchpoint key.';
COMMENT ON COLUMN mops.touchpoint.customer_id IS 'The customer touched.';
COMMENT ON COLUMN mops.touchpoint.occurred_at IS 'When the touch happened.';
COMMENT ON COLUMN mops.touchpoint.channel IS 'Channel, stored as normalize_label() output (see also channel_group(source, medium)).';
COMMENT ON COLUMN mops.touchpoint.source IS 'utm_source or referrer.';
COMMENT ON COLUMN mops.touchpoint.medium IS 'utm_medium.';
COMMENT ON COLUMN mops.touchpoint.campaign_id IS 'The campaign of the touch, if known (not a foreign key: tracking may name campaigns not loaded).';
CREATE INDEX touchpoint_customer_time_idx ON mops.touchpoint (customer_id, occurred_at);

CREATE TABLE mops.conversion (
    conversion_id bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    occurred_at timestamptz NOT NULL,
    value numeric NOT NULL,
    currency char(3) NOT NULL CONSTRAINT conversion_currency_code CHECK (currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$'),
    order_id text
);
COMMENT ON TABLE mops.conversion IS 'Conversions (orders, sign-ups with a value) of customers.';
COMMENT ON COLUMN mops.conversion.conversion_id IS 'Conversion key.';
COMMENT ON COLUMN mops.conversion.customer_id IS 'The converting customer.';
COMMENT ON COLUMN mops.conversion.occurred_at IS 'When the conversion happened.';
COMMENT ON COLUMN mops.conversion.value IS 'Value of the conversion.';
COMMENT ON COLUMN mops.conversion.currency IS 'ISO 4217 currency code of value.';
COMMENT ON COLUMN mops.conversion.order_id IS 'The order, if the conversion is one (see mops.fulfilment).';
CREATE INDEX conversion_occurred_at_idx ON mops.conversion (occurred_at);
CREATE INDEX conversion_customer_time_idx ON mops.conversion (customer_id, occurred_at);

CREATE TABLE mops.lead_stage (
    lead_id bigint,
    stage mops.funnel_stage,
    entered_at timestamptz NOT NULL,
    PRIMARY KEY (lead_id, stage)
);
COMMENT ON TABLE mops.lead_stage IS 'When each lead entered each funnel stage (e.g. lifecycle:lead, lifecycle:mql, lifecycle:sql).';
COMMENT ON COLUMN mops.lead_stage.lead_id IS 'The lead.';
COMMENT ON COLUMN mops.lead_stage.stage IS 'The stage entered (funnel_stage).';
COMMENT ON COLUMN mops.lead_stage.entered_at IS 'When the lead entered the stage.';

CREATE TABLE mops.customer_feedback (
    feedback_id bigint PRIMARY KEY,
    customer_id bigint,
    responded_at timestamptz NOT NULL,
    csat smallint CONSTRAINT customer_feedback_csat_range CHECK (csat OPERATOR(pg_catalog.>=) 1 AND csat OPERATOR(pg_catalog.<=) 5)
);
COMMENT ON TABLE mops.customer_feedback IS 'Customer satisfaction survey responses.';
COMMENT ON COLUMN mops.customer_feedback.feedback_id IS 'Response key.';
COMMENT ON COLUMN mops.customer_feedback.customer_id IS 'The responding customer.';
COMMENT ON COLUMN mops.customer_feedback.responded_at IS 'When the customer responded.';
COMMENT ON COLUMN mops.customer_feedback.csat IS 'Satisfaction score 1 (very unsatisfied) to 5 (very satisfied).';

CREATE TABLE mops.fulfilment (
    order_id text PRIMARY KEY,
    customer_id bigint,
    promised_at timestamptz,
    delivered_at timestamptz,
    cost numeric,
    currency char(3) CONSTRAINT fulfilment_currency_code CHECK (currency OPERATOR(pg_catalog.~) '^[A-Z]{3}$')
);
COMMENT ON TABLE mops.fulfilment IS 'Delivery of orders: promised and actual delivery time, and the cost of fulfilment.';
COMMENT ON COLUMN mops.fulfilment.order_id IS 'The order.';
COMMENT ON COLUMN mops.fulfilment.customer_id IS 'The customer who ordered.';
COMMENT ON COLUMN mops.fulfilment.promised_at IS 'When delivery was promised.';
COMMENT ON COLUMN mops.fulfilment.delivered_at IS 'When the order was delivered.';
COMMENT ON COLUMN mops.fulfilment.cost IS 'Cost of fulfilling the order.';
COMMENT ON COLUMN mops.fulfilment.currency IS 'ISO 4217 currency code of cost.';
CREATE INDEX fulfilment_delivered_at_idx ON mops.fulfilment (delivered_at);

-- ---------------------------------------------------------------------------
-- Goals and maturity
-- ---------------------------------------------------------------------------

CREATE TABLE mops.metric_value (
    metric text,
    measured_on date,
    value numeric NOT NULL,
    PRIMARY KEY (metric, measured_on)
);
COMMENT ON TABLE mops.metric_value IS 'Measured values of metrics over time: the actuals campaign goals (campaign.goal) are measured against.';
COMMENT ON COLUMN mops.metric_value.metric IS 'Metric name, as in goal_metric(campaign.goal).';
COMMENT ON COLUMN mops.metric_value.measured_on IS 'Day of the measurement.';
COMMENT ON COLUMN mops.metric_value.value IS 'Measured value (cumulative where the goal is).';

CREATE TABLE mops.maturity_response (
    assessment_id bigint,
    assessed_on date NOT NULL,
    pillar text,
    question text,
    score numeric CONSTRAINT maturity_response_score_range CHECK (score OPERATOR(pg_catalog.>=) 1 AND score OPERATOR(pg_catalog.<=) 5),
    PRIMARY KEY (assessment_id, pillar, question)
);
COMMENT ON TABLE mops.maturity_response IS 'Answers of marketing-operations maturity assessments, one row per question (scored by maturity_assess in kpi_maturity).';
COMMENT ON COLUMN mops.maturity_response.assessment_id IS 'The assessment.';
COMMENT ON COLUMN mops.maturity_response.assessed_on IS 'Day of the assessment.';
COMMENT ON COLUMN mops.maturity_response.pillar IS 'Pillar the question belongs to (business_leadership, customer_experience, marketing_tactics, tools_technology, project_management, team; or audit, analytics, optimisation).';
COMMENT ON COLUMN mops.maturity_response.question IS 'The question.';
COMMENT ON COLUMN mops.maturity_response.score IS 'Score 1-5.';

-- Channels are stored normalised.
-- (The WHEN clause skips the trigger function for labels that are already
-- normal: the usual case for loaders that normalise, and much faster.)
CREATE TRIGGER campaign_normalize_channel BEFORE INSERT OR UPDATE OF channel ON mops.campaign
FOR EACH ROW WHEN (NEW.channel OPERATOR(pg_catalog.<>) mops.normalize_label(NEW.channel))
EXECUTE FUNCTION mops.normalize_channel_trigger();
CREATE TRIGGER distribution_normalize_channel BEFORE INSERT OR UPDATE OF channel ON mops.distribution
FOR EACH ROW WHEN (NEW.channel OPERATOR(pg_catalog.<>) mops.normalize_label(NEW.channel))
EXECUTE FUNCTION mops.normalize_channel_trigger();
CREATE TRIGGER spend_normalize_channel BEFORE INSERT OR UPDATE OF channel ON mops.spend
FOR EACH ROW WHEN (NEW.channel OPERATOR(pg_catalog.<>) mops.normalize_label(NEW.channel))
EXECUTE FUNCTION mops.normalize_channel_trigger();
CREATE TRIGGER touchpoint_normalize_channel BEFORE INSERT OR UPDATE OF channel ON mops.touchpoint
FOR EACH ROW WHEN (NEW.channel OPERATOR(pg_catalog.<>) mops.normalize_label(NEW.channel))
EXECUTE FUNCTION mops.normalize_channel_trigger();

-- pg_dump keeps the rows of every table (in an order that satisfies the
-- foreign keys).
SELECT pg_catalog.pg_extension_config_dump('mops.campaign', '');
SELECT pg_catalog.pg_extension_config_dump('mops.content_item', '');
SELECT pg_catalog.pg_extension_config_dump('mops.distribution', '');
SELECT pg_catalog.pg_extension_config_dump('mops.resource_capacity', '');
SELECT pg_catalog.pg_extension_config_dump('mops.budget_line', '');
SELECT pg_catalog.pg_extension_config_dump('mops.spend', '');
SELECT pg_catalog.pg_extension_config_dump('mops.touchpoint', '');
SELECT pg_catalog.pg_extension_config_dump('mops.conversion', '');
SELECT pg_catalog.pg_extension_config_dump('mops.lead_stage', '');
SELECT pg_catalog.pg_extension_config_dump('mops.customer_feedback', '');
SELECT pg_catalog.pg_extension_config_dump('mops.fulfilment', '');
SELECT pg_catalog.pg_extension_config_dump('mops.metric_value', '');
SELECT pg_catalog.pg_extension_config_dump('mops.maturity_response', '');
