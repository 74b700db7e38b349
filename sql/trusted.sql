-- trusted: mops.control says trusted = true (DESIGN §1), so a database owner
-- without superuser can install it.  That owner may define funnel models (the
-- script grants it INSERT, UPDATE, DELETE on mops.funnel_model); any other
-- role may read the models and use the types (SELECT on mops.funnel_model is
-- granted to PUBLIC) but not define models (42501).
-- pg_regress runs as the superuser postgres.
CREATE ROLE regress_mops_owner LOGIN;
CREATE ROLE regress_mops_reader LOGIN;
CREATE DATABASE regress_mops_trusted OWNER regress_mops_owner;

\c regress_mops_trusted regress_mops_owner
SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user;  -- regress_mops_owner, f
CREATE EXTENSION mops;
SELECT extname, extowner::regrole AS owner FROM pg_extension WHERE extname = 'mops';
-- mops, regress_mops_owner
SET search_path = mops, public;

-- The owner defines a model, appends a stage, and uses values of it.
SELECT define_funnel('Owner Funnel', '{Visit, Sign Up}');
SELECT define_funnel('owner_funnel', '{visit, sign_up, purchase}');
SELECT model_id, model, stages FROM mops.funnel_model ORDER BY model_id;
-- 100 | owner_funnel | {visit,sign_up,purchase}
CREATE TABLE public.owner_leads (id integer, stage funnel_stage, maturity maturity_stage);
INSERT INTO public.owner_leads VALUES (1, 'Owner Funnel:Sign Up', 'alignment'),
                                      (2, 'lifecycle:sql', '5'), (3, 'owner_funnel:purchase', NULL);
-- Values round-trip through text.
SELECT id, stage, maturity, stage::text::funnel_stage = stage AS stage_round_trip,
       maturity::text::maturity_stage = maturity AS maturity_round_trip
FROM public.owner_leads ORDER BY id;
-- 1 owner_funnel:sign_up alignment t t; 2 lifecycle:sql transformation t t; 3 owner_funnel:purchase NULL t NULL
SELECT max(stage) AS furthest FROM public.owner_leads;  -- owner_funnel:purchase
GRANT SELECT ON public.owner_leads TO regress_mops_reader;

-- Another role, with no privilege granted by anyone but the defaults.
\c - regress_mops_reader
SET search_path = mops, public;
-- (The plpgsql context of errors raised inside define_funnel is not shown.)
\set SHOW_CONTEXT never
SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user;  -- regress_mops_reader, f
-- It can read the models and use stages of custom and built-in models.
SELECT model_id, model, stages FROM mops.funnel_model ORDER BY model_id;
SELECT 'owner_funnel:visit'::funnel_stage AS stage, next_stage('owner_funnel:visit') AS next,
       stage_count('owner funnel') AS n, 'Optimization'::maturity_stage AS maturity;
-- owner_funnel:visit, owner_funnel:sign_up, 3, optimisation
SELECT id, stage, maturity FROM public.owner_leads ORDER BY id;
-- It cannot define or change models: 42501 (insufficient_privilege).
SELECT define_funnel('Reader Funnel', '{a}');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO mops.funnel_model (model, stages) VALUES ('reader_funnel', '{a}');
\echo :LAST_ERROR_SQLSTATE
DELETE FROM mops.funnel_model;
\echo :LAST_ERROR_SQLSTATE

-- Back as the owner: its model is still there.
\c - regress_mops_owner
SELECT count(*) AS models FROM mops.funnel_model;  -- 1

-- Clean up.
\c contrib_regression postgres
DROP DATABASE regress_mops_trusted WITH (FORCE);
DROP ROLE regress_mops_reader;
DROP ROLE regress_mops_owner;
