-- demo_data: load_demo_data(scale) (DESIGN §4): deterministic (the same
-- rows on every run: the digest of every table is the same after a second
-- load) and realistic (some KPIs met, some missed: kpi_alerts is not empty).
-- Errors: a scale outside 1-1000, tables that already hold data.
SET search_path = mops, public;
SET datestyle = 'ISO, YMD';

SELECT * FROM load_demo_data(1);

-- table_digests(): a digest of every table and of the scorecard.
CREATE FUNCTION pg_temp.table_digests() RETURNS TABLE(t text, d text)
LANGUAGE plpgsql AS $$
DECLARE name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['campaign', 'content_item', 'distribution', 'resource_capacity',
                                'budget_line', 'spend', 'touchpoint', 'conversion', 'lead_stage',
                                'customer_feedback', 'fulfilment', 'metric_value', 'maturity_response',
                                'kpi_scorecard'] LOOP
        t := name;
        EXECUTE format('SELECT md5(string_agg(x::text, '','' ORDER BY x::text)) FROM mops.%I x', name) INTO d;
        RETURN NEXT;
    END LOOP;
END
$$;
-- Kept for the second load.
CREATE TEMP TABLE digest1 AS SELECT * FROM pg_temp.table_digests();

-- The digests themselves: the same on every machine (demo_uniform is a
-- pure function; the rows are printed in the session's settings).
SELECT t, d FROM digest1 ORDER BY t;

-- Realistic: every status occurs, and there are alerts.
SELECT status, count(*) > 0 AS occurs FROM kpi_scorecard GROUP BY status ORDER BY status;
SELECT count(*) > 0 AS has_alerts FROM kpi_alerts;
-- Every scored KPI has values in most months of the year.
SELECT kpi, count(DISTINCT period) >= 10 AS most_months
FROM kpi_scorecard WHERE period BETWEEN '2025-01-01' AND '2025-12-01' AND scope IS DISTINCT FROM 'USD'
GROUP BY kpi ORDER BY kpi;
-- The scorecard's mql_to_sql (computed on its own for speed) is kpi_funnel's.
SELECT count(*) AS months, count(*) FILTER (WHERE v.actual IS DISTINCT FROM f.mql_to_sql) AS differ
FROM (SELECT period, actual FROM kpi_value WHERE kpi = 'mql_to_sql') v
FULL JOIN (SELECT period, mql_to_sql FROM kpi_funnel WHERE stage = 'lifecycle:sql') f USING (period);
-- Channels are normalised; the conversion window of the attribution view
-- finds paths for most conversions.
SELECT count(DISTINCT channel) AS channels FROM touchpoint;  -- 6
SELECT (SELECT sum(conversions) FROM kpi_attribution WHERE model = 'linear')
       >= 0.9 * (SELECT count(*) FROM conversion) AS most_conversions_credited;

-- A second load into empty tables gives the very same rows.
SELECT * FROM load_demo_data(1);  -- the tables hold data: 55000
TRUNCATE campaign, content_item, distribution, resource_capacity, budget_line, spend, touchpoint,
         conversion, lead_stage, customer_feedback, fulfilment, metric_value, maturity_response;
SELECT sum(row_count) AS rows FROM load_demo_data(1);
SELECT d1.t, d1.d = d2.d AS same
FROM digest1 d1 JOIN pg_temp.table_digests() d2 USING (t)
ORDER BY d1.t;  -- all t

-- Bad scale: 22023.
\set VERBOSITY sqlstate
SELECT * FROM load_demo_data(0);
SELECT * FROM load_demo_data(1001);
SELECT * FROM load_demo_data(NULL);
\set VERBOSITY default

TRUNCATE campaign, content_item, distribution, resource_capacity, budget_line, spend, touchpoint,
         conversion, lead_stage, customer_feedback, fulfilment, metric_value, maturity_response;
