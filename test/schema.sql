-- pgTAP: schema conventions (DESIGN §1, §2) and the public names of §3.1, §3.2
-- and §3.6.
--
-- The convention checks query the catalogs over everything in schema mops, so
-- objects added later are checked without touching this file.  Each of them
-- is one test whose failure lists the offending objects.  Exceptions live in
-- allow-lists (VALUES with a reason per entry) right next to the check.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off

BEGIN;
-- regprocedure/regtype output below is schema-qualified: mops is not on the path.
SET LOCAL search_path = public, pg_catalog;

SELECT plan(52);

-- ---------------------------------------------------------------------------
-- Extension properties (§1)
-- ---------------------------------------------------------------------------
SELECT has_extension('mops', 'extension mops is installed');
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'mops'), false,
          'mops is not relocatable (pg_extension)');
SELECT is((SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'mops'),
          'mops', 'mops is installed in schema mops');
SELECT is((SELECT relocatable FROM pg_available_extension_versions
            WHERE name = 'mops'
              AND version = (SELECT extversion FROM pg_extension WHERE extname = 'mops')),
          false, 'control file: relocatable = false');
SELECT is((SELECT schema::text FROM pg_available_extension_versions
            WHERE name = 'mops'
              AND version = (SELECT extversion FROM pg_extension WHERE extname = 'mops')),
          'mops', 'control file: schema = mops');
SELECT is((SELECT trusted FROM pg_available_extension_versions
            WHERE name = 'mops'
              AND version = (SELECT extversion FROM pg_extension WHERE extname = 'mops')),
          true, 'control file: trusted = true (a database owner can install it)');
SELECT is((SELECT requires FROM pg_available_extension_versions
            WHERE name = 'mops'
              AND version = (SELECT extversion FROM pg_extension WHERE extname = 'mops')),
          NULL, 'control file: requires no other extension');
SELECT is((SELECT array_agg(e.extname ORDER BY e.extname)
             FROM pg_depend d
             JOIN pg_extension e ON e.oid = d.refobjid
            WHERE d.classid = 'pg_extension'::regclass
              AND d.objid = (SELECT oid FROM pg_extension WHERE extname = 'mops')
              AND d.refclassid = 'pg_extension'::regclass),
          NULL, 'mops depends on no other extension (pg_depend)');
SELECT is((SELECT array_agg(format('%s %s', o.kind, o.obj) ORDER BY o.kind, o.obj)
             FROM (SELECT 'function' AS kind, p.oid::regprocedure::text AS obj,
                          'pg_proc'::regclass AS classid, p.oid AS objid
                     FROM pg_proc p WHERE p.pronamespace = 'mops'::regnamespace
                   UNION ALL
                   SELECT 'type', t.oid::regtype::text, 'pg_type'::regclass, t.oid
                     FROM pg_type t
                    WHERE t.typnamespace = 'mops'::regnamespace
                      -- a composite type (CREATE TYPE ... AS) is a member through its pg_type row
                      AND (t.typrelid = 0
                           OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
                      AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)
                   UNION ALL
                   SELECT 'relation', c.oid::regclass::text, 'pg_class'::regclass, c.oid
                     FROM pg_class c
                    WHERE c.relnamespace = 'mops'::regnamespace
                      AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')) o
            WHERE NOT EXISTS (SELECT 1 FROM pg_depend d
                               WHERE d.classid = o.classid AND d.objid = o.objid
                                 AND d.refclassid = 'pg_extension'::regclass
                                 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mops')
                                 AND d.deptype = 'e')),
          NULL, 'every function, type and relation in schema mops belongs to extension mops');

-- ---------------------------------------------------------------------------
-- Public names (§3.1, §3.2, §3.6 type)
-- ---------------------------------------------------------------------------
SELECT has_schema('mops', 'schema mops exists');
SELECT has_type('mops', 'funnel_stage', 'type mops.funnel_stage exists');
SELECT has_type('mops', 'maturity_stage', 'type mops.maturity_stage exists');
SELECT has_table('mops', 'funnel_model', 'table mops.funnel_model exists');

SELECT has_function('mops', 'normalize_label', ARRAY['text']);
SELECT function_returns('mops', 'normalize_label', ARRAY['text'], 'text');
SELECT has_function('mops', 'define_funnel', ARRAY['text', 'text[]']);
SELECT function_returns('mops', 'define_funnel', ARRAY['text', 'text[]'], 'void');
SELECT has_function('mops', 'stage_model', ARRAY['mops.funnel_stage']);
SELECT function_returns('mops', 'stage_model', ARRAY['mops.funnel_stage'], 'text');
SELECT has_function('mops', 'stage_position', ARRAY['mops.funnel_stage']);
SELECT function_returns('mops', 'stage_position', ARRAY['mops.funnel_stage'], 'integer');
SELECT has_function('mops', 'stage_count', ARRAY['text']);
SELECT function_returns('mops', 'stage_count', ARRAY['text'], 'integer');
SELECT has_function('mops', 'next_stage', ARRAY['mops.funnel_stage']);
SELECT function_returns('mops', 'next_stage', ARRAY['mops.funnel_stage'], 'mops.funnel_stage');
SELECT has_function('mops', 'stage_distance', ARRAY['mops.funnel_stage', 'mops.funnel_stage']);
SELECT function_returns('mops', 'stage_distance', ARRAY['mops.funnel_stage', 'mops.funnel_stage'], 'integer');
SELECT has_function('mops', 'funnel_stages', ARRAY['text']);
SELECT function_returns('mops', 'funnel_stages', ARRAY['text'], 'setof mops.funnel_stage');
SELECT is_aggregate('mops', 'max', ARRAY['mops.funnel_stage']);
SELECT is_aggregate('mops', 'min', ARRAY['mops.funnel_stage']);
SELECT is_aggregate('mops', 'max', ARRAY['mops.maturity_stage']);
SELECT is_aggregate('mops', 'min', ARRAY['mops.maturity_stage']);
SELECT has_cast('mops.maturity_stage', 'integer', 'cast maturity_stage -> integer exists');

-- ---------------------------------------------------------------------------
-- Function conventions (§2)
-- ---------------------------------------------------------------------------
SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
             FROM pg_proc p
            WHERE p.pronamespace = 'mops'::regnamespace
              AND obj_description(p.oid, 'pg_proc') IS NULL),
          NULL, 'every function, aggregate and procedure in mops has a comment');

SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
             FROM pg_proc p
            WHERE p.pronamespace = 'mops'::regnamespace AND p.prosecdef),
          NULL, 'no function in mops is SECURITY DEFINER');

-- Functions that may not be PARALLEL SAFE, and why.
CREATE TEMP TABLE parallel_allow (fn regprocedure, reason text) ON COMMIT DROP;
INSERT INTO parallel_allow
SELECT to_regprocedure(f), reason FROM (VALUES
    ('mops.define_funnel(text,text[])',
     'writes mops.funnel_model; writes are not allowed in parallel mode'),
    ('mops.funnel_model_validate()',
     'trigger function: runs inside the statement that writes mops.funnel_model'),
    ('mops.funnel_model_changed()',
     'trigger function: runs inside the statement that writes mops.funnel_model'),
    ('mops.normalize_channel_trigger()',
     'trigger function: runs inside the statement that writes a data-model table'),
    ('mops.kpi_target_replace()',
     'trigger function: updates mops.kpi_target; writes are not allowed in parallel mode'),
    ('mops.load_demo_data(integer)',
     'fills the data-model tables; writes are not allowed in parallel mode')
) AS a(f, reason);

SELECT is((SELECT array_agg(p.oid::regprocedure::text || ' is PARALLEL '
                            || CASE p.proparallel WHEN 'r' THEN 'RESTRICTED' ELSE 'UNSAFE' END
                            ORDER BY p.oid::regprocedure::text)
             FROM pg_proc p
            WHERE p.pronamespace = 'mops'::regnamespace
              AND p.proparallel <> 's'
              AND p.oid NOT IN (SELECT fn FROM parallel_allow WHERE fn IS NOT NULL)),
          NULL, 'every function in mops is PARALLEL SAFE unless allow-listed');

-- Functions that may be VOLATILE, and why.
CREATE TEMP TABLE volatile_allow (fn regprocedure, reason text) ON COMMIT DROP;
INSERT INTO volatile_allow
SELECT to_regprocedure(f), reason FROM (VALUES
    ('mops.define_funnel(text,text[])',
     'writes mops.funnel_model'),
    ('mops.funnel_model_validate()',
     'trigger function: assigns model ids by reading and locking mops.funnel_model'),
    ('mops.funnel_model_changed()',
     'trigger function: sends a cache invalidation'),
    ('mops.normalize_channel_trigger()',
     'trigger function: rewrites the row being written (the volatility of a trigger function is not used)'),
    ('mops.kpi_target_replace()',
     'trigger function: updates mops.kpi_target'),
    ('mops.load_demo_data(integer)',
     'fills the data-model tables')
) AS a(f, reason);

SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
             FROM pg_proc p
            WHERE p.pronamespace = 'mops'::regnamespace
              AND p.provolatile = 'v'
              AND p.oid NOT IN (SELECT fn FROM volatile_allow WHERE fn IS NOT NULL)),
          NULL, 'explicit volatility: no function in mops is VOLATILE unless allow-listed');

-- C functions taking arguments that may be called on NULL, and why.
CREATE TEMP TABLE strict_allow (fn regprocedure, reason text) ON COMMIT DROP;
INSERT INTO strict_allow
SELECT to_regprocedure(f), reason FROM (VALUES
    ('mops.window_funnel_transfn(internal,interval,timestamp with time zone,boolean[])',
     'aggregate transition: starts from a NULL state, skips rows with a NULL timestamp, reads NULL conditions as false, and reports a NULL window (22004)'),
    ('mops.window_funnel_mode_transfn(internal,interval,text,timestamp with time zone,boolean[])',
     'aggregate transition: starts from a NULL state, skips rows with a NULL timestamp, reads NULL conditions as false, and reports a NULL window or mode (22004)'),
    ('mops.window_funnel_finalfn(internal)',
     'aggregate final function: a NULL state (no row) gives level 0, not NULL'),
    ('mops.funnel_steps_finalfn(internal)',
     'aggregate final function: a NULL state (no row) gives the empty array, not NULL'),
    ('mops.window_funnel_combinefn(internal,internal)',
     'combine function with an internal state: must build a state when the first partial state is NULL (a strict one cannot)'),
    ('mops.retention_transfn(bit varying,boolean[])',
     'aggregate transition: starts from a NULL state and reads NULL conditions as false'),
    ('mops.retention_combinefn(bit varying,bit varying)',
     'combine function: either partial state may be NULL (a worker that saw no row); copies the other into the aggregate context'),
    ('mops.retention_finalfn(bit varying)',
     'aggregate final function: a NULL state (no row) gives all false, not NULL'),
    ('mops.path_agg_transfn(internal,text,timestamp with time zone)',
     'aggregate transition: starts from a NULL state and skips rows with a NULL channel or time'),
    ('mops.path_agg_finalfn(internal)',
     'aggregate final function of an internal state: a NULL state (no row) gives NULL explicitly'),
    ('mops.path_agg_combinefn(internal,internal)',
     'combine function with an internal state: must build a state when the first partial state is NULL (a strict one cannot)'),
    ('mops.attribute(mops.touch_path,text,numeric,timestamp with time zone,interval)',
     'a NULL conversion_at means the last touch, a NULL half_life is ignored by the models without one, and a NULL model or value is an error (22004) rather than a silent empty result'),
    ('mops.markov_fit_transfn(mops.markov_model,mops.touch_path,double precision,double precision,double precision)',
     'aggregate transition: starts from a NULL state, skips NULL paths, and reports NULL counts (22004) rather than skipping them silently'),
    ('mops.markov_fit_transfn(mops.markov_model,mops.touch_path,double precision,double precision,double precision,integer)',
     'aggregate transition: starts from a NULL state, skips NULL paths, and reports NULL counts or order (22004) rather than skipping them silently'),
    ('mops.maturity_assess_transfn(mops.maturity_state,text,numeric)',
     'aggregate transition: starts from a NULL state and skips rows with a NULL pillar or score, as avg() skips NULLs'),
    ('mops.markov_merge(mops.markov_model,mops.markov_model)',
     'a NULL model is no data: merging it with a model gives that model (and it is the transition and combine function of aggregates that start from NULL)'),
    ('mops.smart_goal(text,numeric,numeric,date,date,text,text,text)',
     'constructor with optional fields: a NULL optional argument leaves that field out of the goal (a NULL metric or target gives NULL)')
) AS a(f, reason);
-- the transition functions of window_funnel's fixed-arity overloads (1 to 8 steps)
INSERT INTO strict_allow
SELECT to_regprocedure(format('mops.%s(internal,interval,%stimestamp with time zone%s)',
                              m.fn, m.mode_arg, repeat(',boolean', n))),
       format('aggregate transition of the %s-step overload: as the VARIADIC form''s, starts from a NULL state, skips rows with a NULL timestamp and reads NULL conditions as false', n)
FROM generate_series(1, 8) AS n,
     (VALUES ('window_funnel_transfn', ''), ('window_funnel_mode_transfn', 'text,')) AS m(fn, mode_arg);

SELECT is((SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text)
             FROM pg_proc p
             JOIN pg_language l ON l.oid = p.prolang
            WHERE p.pronamespace = 'mops'::regnamespace
              AND l.lanname = 'c'
              AND p.pronargs > 0
              AND NOT p.proisstrict
              AND p.oid NOT IN (SELECT fn FROM strict_allow WHERE fn IS NOT NULL)),
          NULL, 'every C function in mops that takes arguments is STRICT unless allow-listed');

SELECT is((SELECT array_agg(a.f ORDER BY a.f)
             FROM (SELECT fn::text AS f, reason FROM parallel_allow
                   UNION ALL SELECT fn::text, reason FROM volatile_allow
                   UNION ALL SELECT fn::text, reason FROM strict_allow) a
            WHERE a.f IS NULL OR coalesce(a.reason, '') = ''),
          NULL, 'every allow-list entry names an existing function and gives a reason');

SELECT is((SELECT array_agg(p.oid::regprocedure::text || ' ' || coalesce(p.proconfig::text, '(no SET)')
                            ORDER BY p.oid::regprocedure::text)
             FROM pg_proc p
             JOIN pg_language l ON l.oid = p.prolang
            WHERE p.pronamespace = 'mops'::regnamespace
              AND l.lanname NOT IN ('c', 'internal')
              AND ((SELECT array_agg(c) FROM unnest(p.proconfig) c
                     WHERE c LIKE 'search\_path=%') IS DISTINCT FROM
                   ARRAY['search_path=pg_catalog, pg_temp'])),
          NULL, 'every SQL/PL function in mops pins search_path = pg_catalog, pg_temp');

-- ---------------------------------------------------------------------------
-- Types (§2)
-- ---------------------------------------------------------------------------
-- Base types without a btree or hash opclass, and why.
CREATE TEMP TABLE btree_allow (typ regtype, reason text) ON COMMIT DROP;
INSERT INTO btree_allow
SELECT to_regtype(t), reason FROM (VALUES
    ('mops.maturity_state',
     'aggregate state of maturity_assess (answer counts and sums per pillar): no meaningful order; compare the assessments instead')
) AS a(t, reason);
CREATE TEMP TABLE hash_allow (typ regtype, reason text) ON COMMIT DROP;
INSERT INTO hash_allow
SELECT to_regtype(t), reason FROM (VALUES
    ('mops.maturity_state',
     'aggregate state of maturity_assess: equality of partial states is not meaningful (equal assessments come from different answers)')
) AS a(t, reason);

CREATE TEMP VIEW mops_base_types AS
SELECT t.oid, t.oid::regtype::text AS name, t.typreceive, t.typsend
  FROM pg_type t
 WHERE t.typnamespace = 'mops'::regnamespace
   AND t.typtype = 'b'
   AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid);

SELECT cmp_ok((SELECT count(*) FROM mops_base_types), '>=', 2::bigint,
              'the base types of mops are found (at least funnel_stage and maturity_stage)');

SELECT is((SELECT array_agg(name ORDER BY name) FROM mops_base_types
            WHERE typreceive = 0 OR typsend = 0),
          NULL, 'every base type in mops has binary receive and send functions');

SELECT is((SELECT array_agg(b.name ORDER BY b.name) FROM mops_base_types b
            WHERE NOT EXISTS (SELECT 1 FROM pg_opclass o JOIN pg_am a ON a.oid = o.opcmethod
                               WHERE o.opcintype = b.oid AND o.opcdefault AND a.amname = 'btree')
              AND b.oid NOT IN (SELECT typ FROM btree_allow WHERE typ IS NOT NULL)),
          NULL, 'every base type in mops has a default btree operator class unless allow-listed');

SELECT is((SELECT array_agg(b.name ORDER BY b.name) FROM mops_base_types b
            WHERE NOT EXISTS (SELECT 1 FROM pg_opclass o JOIN pg_am a ON a.oid = o.opcmethod
                               WHERE o.opcintype = b.oid AND o.opcdefault AND a.amname = 'hash')
              AND b.oid NOT IN (SELECT typ FROM hash_allow WHERE typ IS NOT NULL)),
          NULL, 'every base type in mops has a default hash operator class');

-- ---------------------------------------------------------------------------
-- Comments on types, tables, views and columns (§2)
-- ---------------------------------------------------------------------------
SELECT is((SELECT array_agg(t.oid::regtype::text ORDER BY t.oid::regtype::text)
             FROM pg_type t
            WHERE t.typnamespace = 'mops'::regnamespace
              AND t.typtype <> 'm'                       -- multiranges come with their range
              AND NOT EXISTS (SELECT 1 FROM pg_type e WHERE e.typarray = t.oid)  -- array types
              AND (t.typrelid = 0                        -- not a table's row type
                   OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
              AND obj_description(t.oid, 'pg_type') IS NULL),
          NULL, 'every type in mops has a comment');

SELECT is((SELECT array_agg(c.oid::regclass::text ORDER BY c.oid::regclass::text)
             FROM pg_class c
            WHERE c.relnamespace = 'mops'::regnamespace
              AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
              AND obj_description(c.oid, 'pg_class') IS NULL),
          NULL, 'every table and view in mops has a comment');

SELECT is((SELECT array_agg(c.oid::regclass::text || '.' || a.attname
                            ORDER BY c.oid::regclass::text, a.attnum)
             FROM pg_class c
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE c.relnamespace = 'mops'::regnamespace
              AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
              AND col_description(c.oid, a.attnum) IS NULL),
          NULL, 'every column of a table, view or composite type in mops has a comment');

-- ---------------------------------------------------------------------------
-- mops.funnel_model (§3.2)
-- ---------------------------------------------------------------------------
SELECT ok((SELECT 'mops.funnel_model'::regclass = ANY (extconfig)
             FROM pg_extension WHERE extname = 'mops'),
          'mops.funnel_model is registered with pg_extension_config_dump (kept by pg_dump)');
SELECT trigger_is('mops', 'funnel_model', 'funnel_model_validate', 'mops', 'funnel_model_validate',
                  'funnel_model has the validating trigger');
SELECT trigger_is('mops', 'funnel_model', 'funnel_model_changed', 'mops', 'funnel_model_changed',
                  'funnel_model has the cache invalidation trigger');
SELECT is((SELECT array_agg(x.privilege_type::text ORDER BY x.privilege_type)
             FROM pg_class c, aclexplode(c.relacl) x
            WHERE c.oid = 'mops.funnel_model'::regclass AND x.grantee = 0),
          ARRAY['SELECT'], 'PUBLIC may SELECT from mops.funnel_model, and nothing more');

SELECT * FROM finish();
ROLLBACK;
