-- mops demo: what the extension does today.
-- Run by `make demo` (tools/demo.sh) in a fresh database where
-- CREATE EXTENSION mops has been done.
\set QUIET on
SET search_path = mops, public;

\echo
\echo '== Labels: one spelling for every way people write a channel'
SELECT raw, normalize_label(raw) AS normalized
FROM (VALUES (' Paid  Social '), ('PAID-SOCIAL'), ('paid_social'), ('ÉMAIL')) AS t(raw);

\echo '== Funnel stages: model:stage, case-insensitive, ordered within the model'
SELECT s AS stage, stage_model(s) AS model, stage_position(s) AS position,
       next_stage(s) AS next
FROM unnest('{lifecycle:lead,LIFECYCLE:MQL,aida:Interest,aarrr:activation}'::funnel_stage[]) AS s;

SELECT stage_count('lifecycle') AS lifecycle_stages,
       stage_distance('lifecycle:lead', 'lifecycle:customer') AS lead_to_customer;

\echo '== The furthest stage each lead reached (max = high-water mark)'
CREATE TEMP TABLE touches (lead text, seen_on date, stage funnel_stage);
INSERT INTO touches VALUES
    ('ada', '2024-01-03', 'lifecycle:lead'),
    ('ada', '2024-01-20', 'lifecycle:sql'),
    ('ada', '2024-02-11', 'lifecycle:mql'),         -- recycled by sales
    ('bob', '2024-01-05', 'lifecycle:subscriber'),
    ('bob', '2024-03-01', 'lifecycle:lead'),
    ('cleo', '2024-01-09', 'lifecycle:opportunity'),
    ('cleo', '2024-02-02', 'lifecycle:customer');
SELECT lead,
       max(stage) AS furthest,
       (array_agg(stage ORDER BY seen_on DESC))[1] AS latest
FROM touches GROUP BY lead ORDER BY furthest DESC, lead;

\echo '== A custom funnel'
SELECT define_funnel('webinar', ARRAY['Registered', 'Attended', 'Engaged', 'Booked Demo'])
\g /dev/null
SELECT s AS stage, stage_position(s) AS position
FROM funnel_stages('webinar') AS s;
SELECT 'webinar:attended'::funnel_stage < 'webinar:booked_demo' AS attended_before_demo;

\echo '== Marketing maturity: foundations < alignment < optimisation < integration < transformation'
SELECT m AS typed, m::maturity_stage AS stage
FROM unnest(ARRAY['Integration', 'Optimization', '1', 'alignment', 'Transformation']) AS m
ORDER BY m::maturity_stage;
SELECT 'Optimization'::maturity_stage = '3' AS spellings_agree,
       max(s) AS most_mature
FROM unnest('{foundations,integration,alignment}'::maturity_stage[]) AS s;

\echo '== Funnels (ClickHouse windowFunnel semantics): how far each lead got, each step within 30 days'
SELECT lead,
       window_funnel('30 days', seen_on::timestamptz, stage = 'lifecycle:lead',
                     stage = 'lifecycle:mql', stage = 'lifecycle:sql') AS level,
       funnel_steps('30 days', seen_on::timestamptz, stage = 'lifecycle:lead',
                    stage = 'lifecycle:mql', stage = 'lifecycle:sql') AS reached_on
FROM touches GROUP BY lead ORDER BY lead;

\echo '== SMART goals: "increase email clicks by 25 % in a year"'
SELECT g AS goal, goal_progress(g, 1125) AS progress,
       goal_status(g, 1125, '2026-07-02') AS status, smart_check(g) AS not_yet_smart
FROM (SELECT 'metric=email_clicks baseline=1000 target=1250 starts=2026-01-01 due=2026-12-31 owner=crm'::smart_goal AS g) s;

\echo '== Money: amounts in a currency, formatted for a locale (ICU)'
SELECT a AS amount, format_amount(a, 'de_DE') AS de_de, format_amount(a, 'en_US') AS en_us,
       round_minor('1234.567 JPY'::amount) AS yen_rounded
FROM (SELECT '1250.50 EUR'::amount AS a) s;

\echo '== Loading a year of demo data: load_demo_data(1)'
SELECT * FROM load_demo_data(1);

\echo '== Maturity assessments (maturity_assess per assessment)'
SELECT assessment_id, assessed_on, stage, score, weakest_pillar FROM kpi_maturity ORDER BY assessment_id;

\echo '== KPI scorecard, last quarter of 2025 (every KPI with a target; per currency for money KPIs)'
SELECT period, kpi, scope, round(actual, 3) AS actual, target, target_max, status
FROM kpi_scorecard
WHERE period BETWEEN '2025-10-01' AND '2025-12-01'
ORDER BY kpi, scope NULLS FIRST, period;

\echo '== KPI alerts: the latest month of each KPI that is not met'
SELECT period, kpi, scope, round(actual, 3) AS actual, target, target_max, status
FROM kpi_alerts ORDER BY status DESC, kpi, scope NULLS FIRST;
