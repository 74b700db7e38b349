-- demo_data: load_demo_data(scale), a deterministic, realistic data set for
-- the data model (DESIGN §4).  Reference: doc/kpis.md ("Demo data").

CREATE FUNCTION mops.demo_uniform(key bigint, stream integer) RETURNS double precision
AS 'MODULE_PATHNAME', 'demo_uniform' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.demo_uniform(bigint, integer) IS
'A pseudo-random number in [0, 1) that depends only on (key, stream) (SplitMix64): the same on every run. Used by load_demo_data.';

-- The year 2025 of a marketing team: scale 1 is 48 campaigns, 240 content
-- items, 10,000 customers with 100,000 touchpoints, about 1,900
-- conversions, 3,000 leads, 60 budget lines, 1,200 survey responses and
-- three maturity assessments; every count grows with scale.  Quality drifts
-- through the year (content gets faster, distribution has a bad summer,
-- conversion rates rise), so some KPIs are met and others missed.
CREATE FUNCTION mops.load_demo_data(scale integer DEFAULT 1)
RETURNS TABLE(table_name text, row_count bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
-- timestamptz + interval '1 day' and extract(month ...) depend on the time
-- zone: the data must not
SET TimeZone = 'UTC'
AS $fn$
DECLARE
    n_campaigns  bigint := 48 * scale;
    n_customers  bigint := 10000 * scale;
    n_touches    bigint := 100000 * scale;
    n_leads      bigint := 3000 * scale;
    n_responses  bigint := 1200 * scale;
    channels     text[] := ARRAY['email', 'paid_search', 'paid_social', 'display', 'organic_social'];
BEGIN
    IF scale IS NULL OR scale < 1 OR scale > 1000 THEN
        RAISE EXCEPTION 'scale must be between 1 and 1000, not %', scale
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Scale 1 is about 100,000 touchpoints; every table grows linearly with it.';
    END IF;
    IF EXISTS (SELECT 1 FROM mops.campaign) OR EXISTS (SELECT 1 FROM mops.content_item)
       OR EXISTS (SELECT 1 FROM mops.distribution) OR EXISTS (SELECT 1 FROM mops.resource_capacity)
       OR EXISTS (SELECT 1 FROM mops.budget_line) OR EXISTS (SELECT 1 FROM mops.spend)
       OR EXISTS (SELECT 1 FROM mops.touchpoint) OR EXISTS (SELECT 1 FROM mops.conversion)
       OR EXISTS (SELECT 1 FROM mops.lead_stage) OR EXISTS (SELECT 1 FROM mops.customer_feedback)
       OR EXISTS (SELECT 1 FROM mops.fulfilment) OR EXISTS (SELECT 1 FROM mops.metric_value)
       OR EXISTS (SELECT 1 FROM mops.maturity_response) THEN
        RAISE EXCEPTION 'the mops tables already hold data'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'load_demo_data only fills empty tables, so that it never mixes demo rows with yours.',
                  HINT = 'Load it into a new database, or empty the tables of schema mops first.';
    END IF;

    -- Campaigns: four a month per scale unit; launches get more punctual
    -- through the year.
    INSERT INTO mops.campaign (campaign_id, name, brand, channel, objective, owner,
                               planned_start, planned_end, launched_at, completed_at, goal)
    SELECT c, format('Q%s %s #%s', 1 + m / 3, channels[ch], c),
           (ARRAY['acme', 'globex', 'initech'])[1 + c % 3],
           channels[ch],
           (ARRAY['pipeline growth', 'brand awareness', 'retention', 'product launch'])[1 + c % 4],
           (ARRAY['crm', 'growth', 'brand', 'product marketing'])[1 + (c / 4) % 4],
           ps, ps + 30,
           (ps + time '09:00') AT TIME ZONE 'UTC'
               -- late: the first round(4 scale (0.40 - 0.38 m / 11)) campaigns of
               -- month m (about 40 % in January, none in December)
               + CASE WHEN (c - 1) / 12 >= round(4 * scale * (0.40 - 0.38 * m / 11.0))
                      THEN -mops.demo_uniform(c, 5) * interval '3 days'
                      ELSE interval '1 day' + mops.demo_uniform(c, 5) * interval '5 days' END,
           CASE WHEN ps + 30 < date '2025-12-31' THEN (ps + 30 + time '17:00') AT TIME ZONE 'UTC' END,
           CASE WHEN c % 2 = 0 THEN
               mops.smart_goal(format('campaign_%s_clicks', c), 1250 * (1 + c % 5), 1000 * (1 + c % 5),
                               ps, ps + 90,
                               (ARRAY['crm', 'growth', 'brand', 'product marketing'])[1 + (c / 4) % 4],
                               (ARRAY['pipeline growth', 'brand awareness', 'retention', 'product launch'])[1 + c % 4],
                               'clicks')
           END
      FROM (SELECT c, (c - 1) % 12 AS m,
                   1 + floor(mops.demo_uniform(c, 2) * 5)::int AS ch,
                   make_date(2025, 1 + ((c - 1) % 12)::int, 1 + floor(mops.demo_uniform(c, 1) * 25)::int) AS ps
              FROM generate_series(1, n_campaigns) AS c) s;

    -- The goals' metric, measured every two weeks from the start.
    INSERT INTO mops.metric_value (metric, measured_on, value)
    SELECT mops.goal_metric(c.goal), mops.goal_starts(c.goal) + 14 * j,
           round(mops.goal_baseline(c.goal)
                 + (mops.goal_target(c.goal) - mops.goal_baseline(c.goal))
                   * (j / 6.0) * (0.7 + 0.6 * mops.demo_uniform(c.campaign_id, 6))::numeric)
      FROM mops.campaign c, generate_series(1, 6) AS j
     WHERE c.goal IS NOT NULL;

    -- Content: five items per campaign.  Cycle time falls from about 12 to
    -- 5 days over the year, approval from about 30 to 8 hours.
    INSERT INTO mops.content_item (content_id, campaign_id, kind, created_at, submitted_at, approved_at,
                                   published_at, due_at, brand_compliant, compliance_passed, qa_passed)
    SELECT id, campaign_id,
           (ARRAY['email', 'landing_page', 'social_post', 'video', 'banner'])[j],
           created,
           created + cycle * 0.4 * interval '1 day',
           CASE WHEN approved THEN created + cycle * 0.4 * interval '1 day' + approval * interval '1 hour' END,
           CASE WHEN approved THEN created + cycle * interval '1 day' END,
           created + interval '10 days',
           CASE WHEN mops.demo_uniform(id, 7) >= 0.1 THEN mops.demo_uniform(id, 4) < 0.975 END,
           mops.demo_uniform(id, 5) < 0.985,
           mops.demo_uniform(id, 6) < 0.92 + 0.06 * f
      FROM (SELECT (c.campaign_id - 1) * 5 + j AS id, c.campaign_id, j,
                   (c.planned_start + time '08:00') AT TIME ZONE 'UTC' - interval '25 days'
                       + mops.demo_uniform((c.campaign_id - 1) * 5 + j, 1) * interval '5 days' AS created,
                   (12 - 7 * ff.f) * (0.8 + 0.4 * mops.demo_uniform((c.campaign_id - 1) * 5 + j, 2)) AS cycle,
                   (30 - 22 * ff.f) * (0.7 + 0.6 * mops.demo_uniform((c.campaign_id - 1) * 5 + j, 3)) AS approval,
                   mops.demo_uniform((c.campaign_id - 1) * 5 + j, 8) < 0.95 AS approved,
                   ff.f
              FROM mops.campaign c
             CROSS JOIN LATERAL (SELECT (extract(month FROM c.planned_start)::double precision - 1) / 11 AS f) ff
             CROSS JOIN generate_series(1, 5) AS j) s;

    -- Distribution: each published item goes out on three channels; a bad
    -- summer (June-August) fails more sends.
    INSERT INTO mops.distribution (distribution_id, content_id, campaign_id, channel, scheduled_at,
                                   delivered_at, status)
    SELECT id, content_id, campaign_id, channel, scheduled,
           CASE WHEN status = 'delivered' THEN scheduled + interval '5 minutes' END,
           status
      FROM (SELECT ci.content_id * 3 - k AS id, ci.content_id, ci.campaign_id,
                   (ARRAY[c.channel, 'email', 'organic_social'])[k + 1] AS channel,
                   ci.published_at + k * interval '1 day' AS scheduled,
                   CASE WHEN ci.published_at + k * interval '1 day' >= timestamptz '2026-01-01 00:00+00' THEN 'scheduled'
                        WHEN mops.demo_uniform(ci.content_id * 3 - k, 1)
                             < CASE WHEN extract(month FROM ci.published_at AT TIME ZONE 'UTC') BETWEEN 6 AND 8
                                    THEN 0.10 ELSE 0.035 END THEN 'failed'
                        WHEN mops.demo_uniform(ci.content_id * 3 - k, 2) < 0.02 THEN 'cancelled'
                        ELSE 'delivered' END AS status
              FROM mops.content_item ci
              JOIN mops.campaign c USING (campaign_id)
             CROSS JOIN generate_series(0, 2) AS k
             WHERE ci.published_at IS NOT NULL) s;

    -- Team hours: utilisation between about 0.78 and 1.08.
    INSERT INTO mops.resource_capacity (team, month, capacity_hours, allocated_hours, used_hours)
    SELECT team, make_date(2025, mo, 1), cap,
           round(cap * (0.85 + 0.2 * mops.demo_uniform(t * 100 + mo, 1))::numeric, 1),
           round(cap * (0.78 + 0.30 * mops.demo_uniform(t * 100 + mo, 2))::numeric, 1)
      FROM (SELECT t, (ARRAY['content', 'design', 'web', 'analytics'])[t] AS team,
                   160 * (ARRAY[3, 2, 2, 1])[t] * scale AS cap
              FROM generate_series(1, 4) AS t) teams,
           generate_series(1, 12) AS mo;

    -- Budgets: region / channel / quarter.
    INSERT INTO mops.budget_line (budget_line_id, path, period, currency, planned, committed, actual)
    SELECT row_number() OVER (ORDER BY r, ch, q), ARRAY[region, channels[ch], 'q' || q],
           daterange(make_date(2025, 3 * q - 2, 1), (make_date(2025, 3 * q - 2, 1) + interval '3 months')::date),
           CASE region WHEN 'emea' THEN 'EUR' ELSE 'USD' END,
           planned, round(actual * 0.05), actual
      FROM (SELECT r, (ARRAY['emea', 'amer', 'apac'])[r] AS region, ch, q,
                   round((5000 + 20000 * mops.demo_uniform(r * 100 + ch * 10 + q, 1))::numeric * scale, -2) AS planned,
                   round((5000 + 20000 * mops.demo_uniform(r * 100 + ch * 10 + q, 1))::numeric * scale
                         * (0.8 + 0.35 * mops.demo_uniform(r * 100 + ch * 10 + q, 2))::numeric, -2) AS actual
              FROM generate_series(1, 3) AS r, generate_series(1, 5) AS ch, generate_series(1, 4) AS q) b;

    -- Spend: five weekly rows per campaign; half the campaigns of every month
    -- are paid in EUR, half in USD.
    INSERT INTO mops.spend (spend_id, campaign_id, channel, spent_on, amount, currency)
    SELECT (c.campaign_id - 1) * 5 + w, c.campaign_id, c.channel, c.planned_start + 7 * (w - 1),
           round((200 + 1000 * mops.demo_uniform((c.campaign_id - 1) * 5 + w, 1))::numeric, 2),
           CASE WHEN ((c.campaign_id - 1) / 12) % 2 = 0 THEN 'EUR' ELSE 'USD' END
      FROM mops.campaign c, generate_series(1, 5) AS w
     WHERE c.planned_start + 7 * (w - 1) <= date '2025-12-31';

    -- Touchpoints: ten per customer on average, spread over the year.
    INSERT INTO mops.touchpoint (touchpoint_id, customer_id, occurred_at, channel, source, medium, campaign_id)
    SELECT t, customer, at, chan,
           CASE chan WHEN 'email' THEN 'newsletter' WHEN 'paid_search' THEN 'google'
                     WHEN 'organic_search' THEN 'google' WHEN 'paid_social' THEN 'facebook'
                     WHEN 'display' THEN 'gdn' END,
           CASE chan WHEN 'email' THEN 'email' WHEN 'paid_search' THEN 'cpc'
                     WHEN 'organic_search' THEN 'organic' WHEN 'paid_social' THEN 'paid_social'
                     WHEN 'display' THEN 'cpm' END,
           CASE WHEN chan IN ('paid_search', 'paid_social', 'display', 'email')
                THEN 1 + floor(mops.demo_uniform(t, 4) * n_campaigns)::bigint END
      FROM (SELECT t,
                   1 + floor(mops.demo_uniform(t, 1) * n_customers)::bigint AS customer,
                   timestamptz '2025-01-01 00:00+00' + mops.demo_uniform(t, 2) * interval '365 days' AS at,
                   CASE WHEN u < 0.25 THEN 'email' WHEN u < 0.45 THEN 'paid_search'
                        WHEN u < 0.65 THEN 'organic_search' WHEN u < 0.80 THEN 'paid_social'
                        WHEN u < 0.90 THEN 'display' ELSE 'direct' END AS chan
              FROM (SELECT t, mops.demo_uniform(t, 3) AS u FROM generate_series(1, n_touches) AS t) tu) s;

    -- Conversions follow touches, more often as the year goes on.
    INSERT INTO mops.conversion (conversion_id, customer_id, occurred_at, value, currency, order_id)
    SELECT row_number() OVER (ORDER BY t.touchpoint_id), t.customer_id,
           t.occurred_at + mops.demo_uniform(t.touchpoint_id, 6) * interval '2 days',
           round((30 + 470 * mops.demo_uniform(t.touchpoint_id, 7) ^ 2)::numeric, 2),
           CASE WHEN t.customer_id % 2 = 0 THEN 'EUR' ELSE 'USD' END,
           'o' || t.touchpoint_id
      FROM mops.touchpoint t
     WHERE t.occurred_at < timestamptz '2025-12-29 00:00+00'
       AND mops.demo_uniform(t.touchpoint_id, 5)
           < 0.012 + 0.014 * extract(month FROM t.occurred_at AT TIME ZONE 'UTC') / 12.0;

    INSERT INTO mops.fulfilment (order_id, customer_id, promised_at, delivered_at, cost, currency)
    SELECT v.order_id, v.customer_id, v.occurred_at + interval '3 days',
           v.occurred_at + (1 + 4 * mops.demo_uniform(v.conversion_id, 1)) * interval '1 day',
           round((4 + 16 * mops.demo_uniform(v.conversion_id, 2))::numeric, 2), v.currency
      FROM mops.conversion v;

    -- Leads through the lifecycle funnel.
    INSERT INTO mops.lead_stage (lead_id, stage, entered_at)
    SELECT l, st.stage::mops.funnel_stage, st.at
      FROM (SELECT l,
                   timestamptz '2025-01-01 08:00+00' + mops.demo_uniform(l, 1) * interval '330 days' AS base,
                   mops.demo_uniform(l, 2) < 0.6 AS subscribed,
                   mops.demo_uniform(l, 3) < 0.55 AS mql,
                   mops.demo_uniform(l, 4) AS u_sql,
                   mops.demo_uniform(l, 5) < 0.5 AS opportunity,
                   mops.demo_uniform(l, 6) < 0.45 AS customer
              FROM generate_series(1, n_leads) AS l) s
     CROSS JOIN LATERAL (
            SELECT 'lifecycle:subscriber' AS stage, s.base AS at WHERE s.subscribed
            UNION ALL SELECT 'lifecycle:lead', s.base + interval '2 days'
            UNION ALL SELECT 'lifecycle:mql', s.base + interval '8 days' WHERE s.mql
            UNION ALL SELECT 'lifecycle:sql', s.base + interval '15 days'
             WHERE s.mql AND s.u_sql < 0.56 + 0.08 * (extract(month FROM s.base + interval '8 days') % 4)
            UNION ALL SELECT 'lifecycle:opportunity', s.base + interval '30 days'
             WHERE s.mql AND s.u_sql < 0.56 + 0.08 * (extract(month FROM s.base + interval '8 days') % 4)
               AND s.opportunity
            UNION ALL SELECT 'lifecycle:customer', s.base + interval '45 days'
             WHERE s.mql AND s.u_sql < 0.56 + 0.08 * (extract(month FROM s.base + interval '8 days') % 4)
               AND s.opportunity AND s.customer) st;

    INSERT INTO mops.customer_feedback (feedback_id, customer_id, responded_at, csat)
    SELECT f, 1 + floor(mops.demo_uniform(f, 1) * n_customers)::bigint,
           timestamptz '2025-01-01 00:00+00' + mops.demo_uniform(f, 2) * interval '365 days',
           CASE WHEN u < 0.05 THEN 1 WHEN u < 0.12 THEN 2 WHEN u < 0.27 THEN 3 WHEN u < 0.62 THEN 4 ELSE 5 END
      FROM (SELECT f, mops.demo_uniform(f, 3) AS u FROM generate_series(1, n_responses) AS f) s;

    -- Three maturity assessments, four questions per pillar and underpinning;
    -- the team grows through the year.
    INSERT INTO mops.maturity_response (assessment_id, assessed_on, pillar, question, score)
    SELECT a, (ARRAY[date '2025-02-14', date '2025-07-15', date '2025-12-10'])[a], p.pillar, 'q' || q,
           least(5, greatest(1, round(round((p.base + 0.6 * (a - 1)
                                             + 1.4 * (mops.demo_uniform(a * 1000 + p.n * 10 + q, 1) - 0.5))::numeric * 2) / 2, 1)))
      FROM generate_series(1, 3) AS a,
           (VALUES (1, 'business_leadership', 2.6), (2, 'customer_experience', 2.1), (3, 'marketing_tactics', 3.0),
                   (4, 'tools_technology', 2.5), (5, 'project_management', 2.2), (6, 'team', 1.7),
                   (7, 'audit', 2.0), (8, 'analytics', 2.4), (9, 'optimisation', 1.9)) AS p(n, pillar, base),
           generate_series(1, 4) AS q;

    ANALYZE mops.campaign, mops.content_item, mops.distribution, mops.resource_capacity, mops.budget_line,
            mops.spend, mops.touchpoint, mops.conversion, mops.lead_stage, mops.customer_feedback,
            mops.fulfilment, mops.metric_value, mops.maturity_response;

    RETURN QUERY
    SELECT x.t, x.n FROM (VALUES
        ('campaign', (SELECT count(*) FROM mops.campaign)),
        ('content_item', (SELECT count(*) FROM mops.content_item)),
        ('distribution', (SELECT count(*) FROM mops.distribution)),
        ('resource_capacity', (SELECT count(*) FROM mops.resource_capacity)),
        ('budget_line', (SELECT count(*) FROM mops.budget_line)),
        ('spend', (SELECT count(*) FROM mops.spend)),
        ('touchpoint', (SELECT count(*) FROM mops.touchpoint)),
        ('conversion', (SELECT count(*) FROM mops.conversion)),
        ('lead_stage', (SELECT count(*) FROM mops.lead_stage)),
        ('customer_feedback', (SELECT count(*) FROM mops.customer_feedback)),
        ('fulfilment', (SELECT count(*) FROM mops.fulfilment)),
        ('metric_value', (SELECT count(*) FROM mops.metric_value)),
        ('maturity_response', (SELECT count(*) FROM mops.maturity_response))) AS x(t, n);
END
$fn$;
COMMENT ON FUNCTION mops.load_demo_data(integer) IS
'Fills the (empty) mops tables with a deterministic, realistic year (2025) of marketing operations: scale 1 is about 10,000 customers, 100,000 touchpoints and 48 campaigns; every table grows linearly with scale (1-1000). Returns the row count of each table. Errors if the tables already hold data.';
