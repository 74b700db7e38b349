-- security: search_path hijacking (PostgreSQL docs, "Security Considerations
-- for Extension Scripts"; contrib/seg's security test).  As superuser, drop
-- mops, plant in schema public objects that would capture an unqualified
-- lookup made by mops' SQL, plpgsql and C code - each raises 'hijacked: …' -
-- plus a decoy public.funnel_model table, reinstall mops, and use every
-- function with public first in search_path (and then even before
-- pg_catalog).  DESIGN §2: every function pins its search_path
-- (pg_catalog, pg_temp) and qualifies what it looks up, so nothing is
-- hijacked.  At the end the hostile objects are dropped and mops is left
-- installed as after setup.
-- Errors are shown without their plpgsql context (which names source line
-- numbers).
\set SHOW_CONTEXT never
DROP EXTENSION mops;
-- CREATE EXTENSION created the schema mops, but PostgreSQL does not make a
-- schema it creates that way a member of the extension: it stays, empty,
-- and CREATE EXTENSION below reuses it.
SELECT count(*) AS mops_schemas FROM pg_namespace WHERE nspname = 'mops';  -- 1
SELECT count(*) AS objects_left FROM pg_class WHERE relnamespace = 'mops'::regnamespace;  -- 0

-- Hostile functions with the names, and exact argument types, of what the
-- trigger and define_funnel call.  An exact-type match wins over
-- pg_catalog's polymorphic or variadic function wherever public is searched.
CREATE FUNCTION public.normalize_label(text) RETURNS text LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.normalize_label(text)'; END$$;
CREATE FUNCTION public.cardinality(anyarray) RETURNS integer LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.cardinality(anyarray)'; END$$;
CREATE FUNCTION public.cardinality(text[]) RETURNS integer LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.cardinality(text[])'; END$$;
CREATE FUNCTION public.strpos(text, text) RETURNS integer LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.strpos(text, text)'; END$$;
CREATE FUNCTION public.octet_length(text) RETURNS integer LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.octet_length(text)'; END$$;
CREATE FUNCTION public.format(text) RETURNS text LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.format(text)'; END$$;
CREATE FUNCTION public.format(text, integer) RETURNS text LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.format(text, integer)'; END$$;
CREATE FUNCTION public.format(text, text) RETURNS text LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.format(text, text)'; END$$;
CREATE FUNCTION public.array_to_string(anyarray, text) RETURNS text LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.array_to_string(anyarray, text)'; END$$;
CREATE FUNCTION public.array_to_string(text[], text) RETURNS text LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.array_to_string(text[], text)'; END$$;
-- coalesce is syntax, not a function call; a function of that name must not matter.
CREATE FUNCTION public."coalesce"(integer, integer) RETURNS integer LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.coalesce(integer, integer)'; END$$;
CREATE FUNCTION public.pg_extension_config_dump(regclass, text) RETURNS void LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.pg_extension_config_dump'; END$$;
-- Sequence functions, with which the trigger numbers new models:
-- nextval(regclass) has pg_catalog's signature; setval(regclass, integer)
-- is an exact match for setval(seq, NEW.model_id), where pg_catalog's takes
-- a bigint.
CREATE FUNCTION public.nextval(regclass) RETURNS bigint LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.nextval(regclass)'; END$$;
CREATE FUNCTION public.setval(regclass, integer) RETURNS bigint LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.setval(regclass, integer)'; END$$;
-- max(integer), in case models were numbered with max(model_id) + 1.
CREATE FUNCTION public.hostile_int_sfunc(integer, integer) RETURNS integer LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.max(integer)'; END$$;
CREATE AGGREGATE public.max(integer) (SFUNC = public.hostile_int_sfunc, STYPE = integer);
-- Operators: text = text, text[] = text[] (IS DISTINCT FROM, = ANY),
-- text[] || text (appending a stage), integer + integer, >= and <=.
CREATE FUNCTION public.hostile_text_eq(text, text) RETURNS boolean LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.=(text, text)'; END$$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, PROCEDURE = public.hostile_text_eq);
CREATE FUNCTION public.hostile_textarr_eq(text[], text[]) RETURNS boolean LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.=(text[], text[])'; END$$;
CREATE OPERATOR public.= (LEFTARG = text[], RIGHTARG = text[], PROCEDURE = public.hostile_textarr_eq);
CREATE FUNCTION public.hostile_append(text[], text) RETURNS text[] LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.||(text[], text)'; END$$;
CREATE OPERATOR public.|| (LEFTARG = text[], RIGHTARG = text, PROCEDURE = public.hostile_append);
CREATE FUNCTION public.hostile_int_plus(integer, integer) RETURNS integer LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.+(integer, integer)'; END$$;
CREATE OPERATOR public.+ (LEFTARG = integer, RIGHTARG = integer, PROCEDURE = public.hostile_int_plus);
CREATE FUNCTION public.hostile_int_ge(integer, integer) RETURNS boolean LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.>=(integer, integer)'; END$$;
CREATE OPERATOR public.>= (LEFTARG = integer, RIGHTARG = integer, PROCEDURE = public.hostile_int_ge);
CREATE FUNCTION public.hostile_int_le(integer, integer) RETURNS boolean LANGUAGE plpgsql
AS $$BEGIN RAISE EXCEPTION 'hijacked: public.<=(integer, integer)'; END$$;
CREATE OPERATOR public.<= (LEFTARG = integer, RIGHTARG = integer, PROCEDURE = public.hostile_int_le);
-- A decoy table with the name of the models table, holding a fake model.
CREATE TABLE public.funnel_model (model_id integer, model text, stages text[]);
INSERT INTO public.funnel_model VALUES (100, 'decoy', '{x}');

-- The hostile objects do bite an unqualified call.  With pg_catalog searched
-- first (implicitly), public's strpos(text, text) is hidden behind
-- pg_catalog's of the same signature, but public's cardinality(text[]) is an
-- exact match for a text[] and beats pg_catalog's cardinality(anyarray).
SET search_path = public, mops;
SELECT strpos('abc', 'b');       -- 2, pg_catalog's
SELECT cardinality(ARRAY['a']);  -- hijacked: public.cardinality(text[])
-- With pg_catalog after public, even the same signature is captured.
SET search_path = public, mops, pg_catalog;
SELECT strpos('abc', 'b');       -- hijacked: public.strpos(text, text)
RESET search_path;

-- Install with the hostile objects present.
CREATE EXTENSION mops;

-- Round 1: public first (pg_catalog is still searched before it, implicitly).
SET search_path = public, mops;
-- The caller's own unqualified call of normalize_label finds public's
-- function first: that is the caller's search_path at work, not mops.
SELECT normalize_label(' Paid  Social ');
-- Qualified, it is mops'.
SELECT mops.normalize_label(' Paid  Social ');  -- paid_social
-- define_funnel runs the plpgsql trigger (normalize_label, strpos,
-- octet_length, cardinality, = ANY, ||, nextval).
SELECT define_funnel('Secure Funnel', '{One, Two}');
-- Appending runs the UPDATE branch (IS DISTINCT FROM on text and text[]).
SELECT define_funnel('secure_funnel', '{one, two, three}');
-- The error branches build their messages with format() and array_to_string().
SELECT define_funnel('secure_funnel', '{two, one}');
SELECT define_funnel('Lifecycle', '{x}');
SELECT define_funnel('sec dup', '{a, A}');
SELECT define_funnel('sec big', ARRAY(SELECT 's' || i FROM generate_series(1, 1001) AS i));
SELECT define_funnel('sec:colon', '{x}');
-- A direct INSERT (id drawn by the trigger), one with an explicit id (the
-- trigger moves the sequence past it with setval, BETWEEN), and a refused
-- rename.
INSERT INTO mops.funnel_model (model, stages) VALUES ('Direct Secure', '{X, Y}');
INSERT INTO mops.funnel_model (model_id, model, stages) VALUES (120, 'Explicit Secure', '{E}');
UPDATE mops.funnel_model SET model = 'renamed' WHERE model_id = 101;
SELECT model_id, model, stages FROM mops.funnel_model ORDER BY model_id;
-- 100 secure_funnel {one,two,three}; 101 direct_secure {x,y}; 120 explicit_secure {e}
-- The C code reads mops.funnel_model, never the decoy: decoy is unknown and
-- the hint lists the real models.
SELECT 'decoy:x'::funnel_stage;
-- Every function.
SELECT 'Secure Funnel:Two'::funnel_stage AS stage,                  -- secure_funnel:two
       stage_model('secure_funnel:two') AS model,                   -- secure_funnel
       stage_position('secure_funnel:two') AS pos,                  -- 2
       stage_count('Secure Funnel') AS n,                           -- 3
       next_stage('secure_funnel:two') AS next,                     -- secure_funnel:three
       stage_distance('secure_funnel:one', 'secure_funnel:three') AS dist;  -- 2
SELECT s FROM funnel_stages('direct secure') AS s;  -- direct_secure:x, direct_secure:y
SELECT min(s) AS lo, max(s) AS hi
FROM (VALUES ('secure_funnel:two'::funnel_stage), ('lifecycle:mql'), ('direct_secure:x')) AS t(s);
-- lifecycle:mql, direct_secure:x
SELECT stage_count('nope');
SELECT stage_distance('aida:action', 'secure_funnel:one');
SELECT 'Optimization'::maturity_stage AS stage, 'optimization'::maturity_stage::integer AS number,
       maturity_stage_number('5') AS five,
       'alignment'::maturity_stage < 'integration'::maturity_stage AS lt;  -- optimisation, 3, 5, true
SELECT min(m) AS lo, max(m) AS hi FROM (VALUES ('integration'::maturity_stage), ('2')) AS t(m);
-- alignment, integration
SELECT 'stage 9'::maturity_stage;
SELECT 'lifecycle:nope'::funnel_stage;

-- Round 2: public before pg_catalog, so that public's exact-type functions
-- and operators now win over pg_catalog's even for same signatures.  (The
-- queries below avoid text and integer operators of their own.)
SET search_path = public, mops, pg_catalog;
SELECT define_funnel('Second Secure', ARRAY['P', 'Q']);
SELECT define_funnel('second_secure', ARRAY['p', 'q', 'r']);
SELECT define_funnel('second_secure', ARRAY['q']);
SELECT define_funnel('tofu', ARRAY['x']);
INSERT INTO mops.funnel_model (model, stages) VALUES ('Third Secure', ARRAY['Z']);
INSERT INTO mops.funnel_model (model_id, model, stages) VALUES (130, 'Fourth Secure', ARRAY['F']);
UPDATE mops.funnel_model SET stages = ARRAY['z', 'Zz'] WHERE model_id = 122;
-- Removing z is refused (22023), and the detail is built with format().
UPDATE mops.funnel_model SET stages = ARRAY['zz'] WHERE model_id = 122;
SELECT model_id, model, stages FROM mops.funnel_model ORDER BY model_id;
-- 100 secure_funnel; 101 direct_secure; 120 explicit_secure; 121 second_secure {p,q,r};
-- 122 third_secure {z,zz}; 130 fourth_secure {f}
SELECT 'Second Secure:R'::funnel_stage AS stage, next_stage('second_secure:q') AS next,
       stage_model('third_secure:zz') AS model, stage_count('third secure') AS n,
       stage_distance('second_secure:p', 'second_secure:r') AS dist;
-- second_secure:r, second_secure:r, third_secure, 2, 2
SELECT s FROM funnel_stages('second_secure') AS s;
SELECT max(s) AS hi FROM (VALUES ('second_secure:p'::funnel_stage), ('third_secure:z')) AS t(s);  -- third_secure:z
SELECT 'nope:x'::funnel_stage;
SELECT 'Transformation'::maturity_stage AS stage, '4'::maturity_stage::integer AS number;  -- transformation, 4

-- Clean up: the hostile objects go, mops stays installed with no custom model.
RESET search_path;
DELETE FROM mops.funnel_model;
DROP TABLE public.funnel_model;
DROP AGGREGATE public.max(integer);
DROP OPERATOR public.= (text, text);
DROP OPERATOR public.= (text[], text[]);
DROP OPERATOR public.|| (text[], text);
DROP OPERATOR public.+ (integer, integer);
DROP OPERATOR public.>= (integer, integer);
DROP OPERATOR public.<= (integer, integer);
DROP FUNCTION public.normalize_label(text), public.cardinality(anyarray), public.cardinality(text[]),
    public.strpos(text, text), public.octet_length(text), public.format(text),
    public.format(text, integer), public.format(text, text), public.array_to_string(anyarray, text),
    public.array_to_string(text[], text), public."coalesce"(integer, integer),
    public.pg_extension_config_dump(regclass, text), public.nextval(regclass),
    public.setval(regclass, integer), public.hostile_int_sfunc(integer, integer),
    public.hostile_text_eq(text, text), public.hostile_textarr_eq(text[], text[]),
    public.hostile_append(text[], text), public.hostile_int_plus(integer, integer),
    public.hostile_int_ge(integer, integer), public.hostile_int_le(integer, integer);
-- (public.err is the tests' shared helper from sql/setup.sql, not a decoy)
SELECT count(*) AS public_functions_left FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND proname <> 'err';  -- 0
SELECT extname, extversion FROM pg_extension WHERE extname = 'mops';
