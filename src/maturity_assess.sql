-- maturity_assess: maturity scoring over the six pillars (DESIGN §3.6),
-- its state type mops.maturity_state, its result type mops.maturity and the
-- table mops.maturity_guidance.  Reference: doc/maturity_assess.md.

-- ---------------------------------------------------------------------------
-- The state: answers per pillar, summed exactly
-- ---------------------------------------------------------------------------
CREATE TYPE mops.maturity_state;

CREATE FUNCTION mops.maturity_state_in(cstring) RETURNS mops.maturity_state
AS 'MODULE_PATHNAME', 'maturity_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.maturity_state_out(mops.maturity_state) RETURNS cstring
AS 'MODULE_PATHNAME', 'maturity_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.maturity_state_recv(internal) RETURNS mops.maturity_state
AS 'MODULE_PATHNAME', 'maturity_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.maturity_state_send(mops.maturity_state) RETURNS bytea
AS 'MODULE_PATHNAME', 'maturity_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE mops.maturity_state (
    INPUT = mops.maturity_state_in,
    OUTPUT = mops.maturity_state_out,
    RECEIVE = mops.maturity_state_recv,
    SEND = mops.maturity_state_send,
    INTERNALLENGTH = 144,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE mops.maturity_state IS
'State of maturity_assess: per pillar and underpinning, the number of answers and the exact sum of their scores (at most 6 decimals). Text form: area count sum items separated by ";", e.g. team 2 7.5; audit 1 3.';
COMMENT ON FUNCTION mops.maturity_state_in(cstring) IS 'Text input of maturity_state: area count sum items separated by ";" (each area at most once; the sum must be one answers of 1 to 5 can make); the empty string is the state without answers.';
COMMENT ON FUNCTION mops.maturity_state_out(mops.maturity_state) IS 'Text output of maturity_state: area count sum items in the fixed pillar order, then the underpinnings.';
COMMENT ON FUNCTION mops.maturity_state_recv(internal) IS 'Binary input of maturity_state: a version byte, the number of areas, then area byte, count and sum (64-bit big-endian) per area; validated completely.';
COMMENT ON FUNCTION mops.maturity_state_send(mops.maturity_state) IS 'Binary output of maturity_state (see maturity_state_recv).';

-- ---------------------------------------------------------------------------
-- The result
-- ---------------------------------------------------------------------------
CREATE TYPE mops.maturity AS (
    stage mops.maturity_stage,
    score numeric,
    weakest_pillar text,
    pillar_scores jsonb,
    complete boolean
);
COMMENT ON TYPE mops.maturity IS
'Result of maturity_assess: the stage, the overall score, the weakest pillar, the mean score of every pillar and underpinning scored, and whether all six pillars were scored.';
COMMENT ON COLUMN mops.maturity.stage IS
'Stage by the overall score (< 1.8 foundations, < 2.6 alignment, < 3.4 optimisation, < 4.2 integration, else transformation), capped at one stage above the weakest pillar''s own stage. NULL when only underpinnings were scored.';
COMMENT ON COLUMN mops.maturity.score IS
'Overall score: the mean of the pillar scores of the pillars scored (underpinnings excluded), exact, truncated to 16 decimals without trailing zeros. NULL when only underpinnings were scored.';
COMMENT ON COLUMN mops.maturity.weakest_pillar IS
'The pillar with the lowest score (the first in the order business_leadership, customer_experience, marketing_tactics, tools_technology, project_management, team among equal scores). NULL when only underpinnings were scored.';
COMMENT ON COLUMN mops.maturity.pillar_scores IS
'Mean score per pillar and underpinning that has answers, e.g. {"team": 3.5, "audit": 2} (same decimals as score; jsonb orders the keys itself).';
COMMENT ON COLUMN mops.maturity.complete IS
'True when all six pillars have answers; when false the stage and score use the pillars present.';

-- ---------------------------------------------------------------------------
-- The aggregate
-- ---------------------------------------------------------------------------
CREATE FUNCTION mops.maturity_assess_transfn(mops.maturity_state, text, numeric)
RETURNS mops.maturity_state
AS 'MODULE_PATHNAME', 'maturity_assess_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.maturity_assess_transfn(mops.maturity_state, text, numeric) IS
'Transition function of maturity_assess: adds one answer. Not strict: rows with a NULL pillar or score are skipped.';

CREATE FUNCTION mops.maturity_state_combine(mops.maturity_state, mops.maturity_state)
RETURNS mops.maturity_state
AS 'MODULE_PATHNAME', 'maturity_state_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.maturity_state_combine(mops.maturity_state, mops.maturity_state) IS
'The answers of two maturity states together (the combine function of maturity_assess).';

CREATE FUNCTION mops.maturity_assess_final(mops.maturity_state) RETURNS mops.maturity
AS 'MODULE_PATHNAME', 'maturity_assess_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.maturity_assess_final(mops.maturity_state) IS
'The assessment of a maturity state (the final function of maturity_assess); NULL for a state without answers.';

CREATE AGGREGATE mops.maturity_assess(pillar text, score numeric) (
    SFUNC = mops.maturity_assess_transfn,
    STYPE = mops.maturity_state,
    FINALFUNC = mops.maturity_assess_final,
    COMBINEFUNC = mops.maturity_state_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mops.maturity_assess(text, numeric) IS
'Maturity assessment from answers (pillar, score 1-5): pillar score = mean of its answers, overall score = mean of the six pillar scores, stage by the overall score capped at one stage above the weakest pillar''s stage (DESIGN 3.6). Pillars: business_leadership, customer_experience, marketing_tactics, tools_technology, project_management, team; underpinnings audit, analytics, optimisation are reported but not in the overall score. NULL pillars or scores are skipped; no rows gives NULL.';

-- ---------------------------------------------------------------------------
-- Guidance per stage and pillar
-- ---------------------------------------------------------------------------
-- Reference data that ships with the extension: one row per stage for the
-- stage as a whole (pillar 'overall') and per stage and pillar.  It is not a
-- configuration table (pg_dump does not dump it, CREATE EXTENSION re-creates
-- it); keep your own guidance in your own table and join on (stage, pillar).
CREATE TABLE mops.maturity_guidance (
    stage mops.maturity_stage NOT NULL,
    pillar text NOT NULL
        CONSTRAINT maturity_guidance_pillar_known
        CHECK (pillar OPERATOR(pg_catalog.=) ANY (ARRAY['overall', 'business_leadership',
               'customer_experience', 'marketing_tactics', 'tools_technology',
               'project_management', 'team'])),
    guidance text NOT NULL,
    PRIMARY KEY (stage, pillar)
);
GRANT SELECT ON mops.maturity_guidance TO PUBLIC;

COMMENT ON TABLE mops.maturity_guidance IS
'What each maturity stage means and the next steps, for the stage as a whole (pillar = overall) and for each of the six pillars. Shipped with mops (read-only reference data); join it to maturity_assess results on (stage, pillar) or (stage, weakest_pillar).';
COMMENT ON COLUMN mops.maturity_guidance.stage IS 'The maturity stage the guidance is for.';
COMMENT ON COLUMN mops.maturity_guidance.pillar IS
'overall for the stage as a whole, or one of the six pillars: business_leadership, customer_experience, marketing_tactics, tools_technology, project_management, team.';
COMMENT ON COLUMN mops.maturity_guidance.guidance IS
'What the stage looks like for the pillar, then the next steps to reach the following stage.';

INSERT INTO mops.maturity_guidance (stage, pillar, guidance) VALUES
-- foundations
('foundations', 'overall',
 'Marketing operations are ad hoc: work depends on individuals, processes are undocumented and results are hard to compare. Next: agree on goals, owners and a few basic processes, and start measuring the same things every month.'),
('foundations', 'business_leadership',
 'Leadership sees marketing as a cost centre and sets no shared goals for it. Next: agree two or three business outcomes marketing is accountable for and review them with leadership each quarter.'),
('foundations', 'customer_experience',
 'Customer touchpoints are designed channel by channel and nobody owns the journey as a whole. Next: map the main customer journey end to end and name an owner for each stage.'),
('foundations', 'marketing_tactics',
 'Campaigns are one-off and chosen by habit or urgency rather than evidence. Next: keep a campaign calendar, write a brief with a goal for every campaign and record its results.'),
('foundations', 'tools_technology',
 'Tools were bought piecemeal, data lives in spreadsheets and nobody knows the full stack. Next: inventory the tools, their owners and costs, and choose one system of record for contacts and campaigns.'),
('foundations', 'project_management',
 'Work arrives by email and chat, deadlines slip and priorities change without notice. Next: route requests through one intake, track work on a shared board and set realistic due dates.'),
('foundations', 'team',
 'Roles are unclear and everyone does a bit of everything. Next: write down who owns which processes and channels, and identify the skills gaps that block the team most.'),
-- alignment
('alignment', 'overall',
 'Goals and basic processes exist and marketing is starting to align with the business, but practice is uneven and data is still fragmented. Next: standardise the processes that work, define shared KPIs and report them regularly.'),
('alignment', 'business_leadership',
 'Marketing goals are linked to business goals, but budgets and priorities are still negotiated campaign by campaign. Next: plan the budget against the agreed outcomes and report progress in a regular leadership review.'),
('alignment', 'customer_experience',
 'The main journey is mapped and owned, but messages and data still differ between channels. Next: define the segments and personas everyone uses and align the content of each journey stage with them.'),
('alignment', 'marketing_tactics',
 'Campaigns follow a plan and have goals, yet results are rarely compared across channels. Next: use one naming and tracking convention (UTM, channel groups) for every campaign and compare cost per lead across channels.'),
('alignment', 'tools_technology',
 'A core stack (CRM, marketing automation, analytics) is in place but loosely connected. Next: connect the core systems so that campaign, lead and revenue data share identifiers, and retire duplicate tools.'),
('alignment', 'project_management',
 'A shared board and an intake process exist, but estimates and capacity are guesswork. Next: standardise briefs and workflows for recurring work and track on-time delivery and utilisation.'),
('alignment', 'team',
 'Roles are defined and the team knows its priorities, but depends on a few key people. Next: document key processes so others can run them, and plan training for the largest skills gaps.'),
-- optimisation
('optimisation', 'overall',
 'Processes are standard and measured; the team improves them with data. Next: automate repetitive work, test systematically and connect marketing data with sales and finance.'),
('optimisation', 'business_leadership',
 'Leadership uses marketing KPIs to decide, and budgets move towards what performs. Next: tie marketing metrics to revenue and profit (pipeline, ROI, CLV) and reallocate budget on a fixed cadence.'),
('optimisation', 'customer_experience',
 'Journeys are measured stage by stage and the biggest drop-offs are worked on. Next: personalise journeys by segment and use funnel and retention data to prioritise improvements.'),
('optimisation', 'marketing_tactics',
 'Channels are compared on cost and results and the mix is tuned regularly. Next: run controlled tests (A/B, holdouts) and use multi-touch attribution to shift spend between channels.'),
('optimisation', 'tools_technology',
 'Core systems are connected and reports are mostly automated. Next: automate data quality checks and lead routing, and make the data model documented and shared.'),
('optimisation', 'project_management',
 'Work is planned against capacity, delivery is tracked and retrospectives lead to changes. Next: use the delivery data to remove bottlenecks and automate approvals and hand-offs.'),
('optimisation', 'team',
 'The team has the core skills and a development plan, and decisions rely on data. Next: build analytics and automation skills inside the team and share ownership of results with sales.'),
-- integration
('integration', 'overall',
 'Marketing operations are integrated with sales, service and finance: shared data, shared goals and automated processes. Next: move from reporting to prediction, and run marketing operations as a product that serves the whole business.'),
('integration', 'business_leadership',
 'Marketing, sales and finance plan together against shared revenue targets. Next: give marketing a voice in product and market strategy and use forecasts to set budgets.'),
('integration', 'customer_experience',
 'Customers get a consistent experience across channels, driven by one customer profile. Next: use predictive signals (churn risk, propensity) to act before customers leave or stall.'),
('integration', 'marketing_tactics',
 'Channels are orchestrated as one programme and spend follows measured contribution. Next: model marginal returns and plan the channel mix from them, not from last year''s budget.'),
('integration', 'tools_technology',
 'The stack is integrated around shared customer data and most processes are automated. Next: add predictive models and self-service analytics, and review the stack each year against the roadmap.'),
('integration', 'project_management',
 'Marketing work is planned with sales and product in one portfolio with clear capacity. Next: manage the portfolio by expected value and reserve capacity for experiments.'),
('integration', 'team',
 'Cross-functional teams share goals and data, and marketing operations is a recognised discipline. Next: develop leaders in marketing operations and spread data literacy across the organisation.'),
-- transformation
('transformation', 'overall',
 'Marketing operations shape business strategy: decisions are data-driven, processes are automated and the organisation learns continuously. Next: keep renewing, scan for new channels and technologies and guard against complacency.'),
('transformation', 'business_leadership',
 'Marketing insight shapes business strategy and leadership treats marketing as an investment. Next: keep the strategy review cycle short and share what marketing learns across the organisation.'),
('transformation', 'customer_experience',
 'The experience adapts to each customer in real time and customer insight drives product decisions. Next: keep measuring experience against customers'' changing expectations and protect their trust and privacy.'),
('transformation', 'marketing_tactics',
 'Tactics are chosen by tested models and adapted continuously. Next: reserve budget for innovation and retire tactics as soon as their marginal return falls.'),
('transformation', 'tools_technology',
 'Technology is a strategic asset: integrated, automated and extended with predictive and generative capabilities. Next: govern data and models carefully and review the stack against emerging options.'),
('transformation', 'project_management',
 'Planning is adaptive: priorities follow measured value and teams re-plan quickly. Next: keep the process light, and measure the time from idea to result.'),
('transformation', 'team',
 'A skilled, cross-functional team owns outcomes and mentors the rest of the organisation. Next: keep investing in skills, rotate people across functions and plan succession for key roles.');
