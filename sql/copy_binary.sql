-- copy_binary: binary send/recv of funnel_stage and maturity_stage through
-- COPY (FORMAT binary), and the text format, round trip a table with
-- built-in and custom stages, every maturity stage and NULLs.  funnel_stage's
-- binary form carries the model and stage names, not the internal ids, so it
-- loads into a database whose custom models have other ids.  recv validates
-- its input like text input.  psql's \copy runs client side; the files go to
-- results/ (relative to the directory pg_regress runs in).
SET search_path = mops, public;

SELECT define_funnel('Copy Test', '{Alpha, Beta}');
SELECT model_id AS old_copy_test_id FROM mops.funnel_model WHERE model = 'copy_test' \gset

CREATE TABLE cb_src (id integer, stage funnel_stage, maturity maturity_stage);
INSERT INTO cb_src VALUES
    (1, 'lifecycle:mql', 'alignment'),
    (2, 'copy_test:beta', 'transformation'),
    (3, NULL, 'foundations'),
    (4, 'aarrr:revenue', NULL),
    (5, NULL, NULL),
    (6, 'Copy Test:Alpha', 'optimization'),
    (7, 'tofu:tofu', 'integration');

-- Binary round trip.
\copy cb_src TO 'results/copy_binary.bin' WITH (FORMAT binary)
CREATE TABLE cb_dst (LIKE cb_src);
\copy cb_dst FROM 'results/copy_binary.bin' WITH (FORMAT binary)
SELECT (SELECT count(*) FROM cb_src) AS src_rows, (SELECT count(*) FROM cb_dst) AS dst_rows;  -- 7, 7
-- No row differs, in either direction (EXCEPT treats NULLs as equal).
SELECT 'only in src' AS side, * FROM (SELECT * FROM cb_src EXCEPT SELECT * FROM cb_dst) AS a
UNION ALL
SELECT 'only in dst', * FROM (SELECT * FROM cb_dst EXCEPT SELECT * FROM cb_src) AS b;  -- 0 rows
SELECT * FROM cb_dst ORDER BY id;

-- Text round trip.
\copy cb_src TO 'results/copy_text.txt'
CREATE TABLE cb_dst_text (LIKE cb_src);
\copy cb_dst_text FROM 'results/copy_text.txt'
SELECT count(*) AS text_rows FROM cb_dst_text;  -- 7
SELECT 'only in src' AS side, * FROM (SELECT * FROM cb_src EXCEPT SELECT * FROM cb_dst_text) AS a
UNION ALL
SELECT 'only in dst', * FROM (SELECT * FROM cb_dst_text EXCEPT SELECT * FROM cb_src) AS b;  -- 0 rows

-- CSV too.
\copy cb_src TO 'results/copy_csv.csv' WITH (FORMAT csv, HEADER)
CREATE TABLE cb_dst_csv (LIKE cb_src);
\copy cb_dst_csv FROM 'results/copy_csv.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS csv_rows FROM cb_dst_csv;  -- 7
SELECT 'only in src' AS side, * FROM (SELECT * FROM cb_src EXCEPT SELECT * FROM cb_dst_csv) AS a
UNION ALL
SELECT 'only in dst', * FROM (SELECT * FROM cb_dst_csv EXCEPT SELECT * FROM cb_src) AS b;  -- 0 rows

-- Binary moves values by name: remember the rows as text, then drop the
-- model and define it again after another one, so that copy_test gets a
-- new model id, after other_model's.  The binary file still loads to the
-- same stages (a format carrying ids would now fail: the old id is gone).
CREATE TABLE cb_expect AS SELECT id, stage::text AS stage, maturity FROM cb_src;
DROP TABLE cb_src, cb_dst, cb_dst_text, cb_dst_csv;
DELETE FROM mops.funnel_model WHERE model = 'copy_test';
SELECT define_funnel('Other Model', '{Gamma, Delta}');
SELECT define_funnel('copy_test', '{alpha, beta}');
SELECT c.model_id <> :old_copy_test_id AS copy_test_has_a_new_id,          -- true
       o.model_id < c.model_id AS other_model_comes_first                  -- true
FROM mops.funnel_model c, mops.funnel_model o
WHERE c.model = 'copy_test' AND o.model = 'other_model';
CREATE TABLE cb_moved (id integer, stage funnel_stage, maturity maturity_stage);
\copy cb_moved FROM 'results/copy_binary.bin' WITH (FORMAT binary)
SELECT id, stage, stage_model(stage) AS model, stage_position(stage) AS pos, maturity
FROM cb_moved ORDER BY id;
-- 2 copy_test:beta pos 2; 6 copy_test:alpha pos 1 (of the new copy_test)
SELECT 'only in moved' AS side, * FROM (SELECT id, stage::text, maturity FROM cb_moved EXCEPT SELECT * FROM cb_expect) AS a
UNION ALL
SELECT 'only in expect', * FROM (SELECT * FROM cb_expect EXCEPT SELECT id, stage::text, maturity FROM cb_moved) AS b;  -- 0 rows
-- Since the order is by model id, copy_test stages now sort after other_model's.
SELECT s FROM (VALUES ('copy_test:alpha'::funnel_stage), ('other_model:delta')) AS t(s) ORDER BY s;
-- other_model:delta, copy_test:alpha

-- recv validates its input.  A one-column bytea table written in binary
-- gives a file whose field bytes can be read back as another type.  psql
-- does not set LAST_ERROR_SQLSTATE for \copy, so each failing \copy is run
-- a second time with VERBOSITY sqlstate, which shows only the SQLSTATE.
CREATE TABLE cb_raw (b bytea);
CREATE TABLE cb_fs (s funnel_stage);
CREATE TABLE cb_ms (m maturity_stage);
-- A well-formed funnel_stage: version 1, "LIFECYCLE\0", "MQL\0"; names are
-- normalised as in text input: lifecycle:mql.
INSERT INTO cb_raw VALUES ('\x014c4946454359434c45004d514c00');
\copy cb_raw TO 'results/copy_raw.bin' WITH (FORMAT binary)
\copy cb_fs FROM 'results/copy_raw.bin' WITH (FORMAT binary)
SELECT s FROM cb_fs;  -- lifecycle:mql
-- An unknown model, "nope\0mql\0": 22P02, as for text input.
TRUNCATE cb_raw;
INSERT INTO cb_raw VALUES ('\x016e6f7065006d716c00');
\copy cb_raw TO 'results/copy_raw.bin' WITH (FORMAT binary)
\copy cb_fs FROM 'results/copy_raw.bin' WITH (FORMAT binary)
\set VERBOSITY sqlstate
\copy cb_fs FROM 'results/copy_raw.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- An unknown binary format version (2): 22P03.
TRUNCATE cb_raw;
INSERT INTO cb_raw VALUES ('\x026c6966656379636c65006d716c00');
\copy cb_raw TO 'results/copy_raw.bin' WITH (FORMAT binary)
\copy cb_fs FROM 'results/copy_raw.bin' WITH (FORMAT binary)
\set VERBOSITY sqlstate
\copy cb_fs FROM 'results/copy_raw.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- Trailing bytes after the two names: 22P03.
TRUNCATE cb_raw;
INSERT INTO cb_raw VALUES ('\x016c6966656379636c65006d716c00ff');
\copy cb_raw TO 'results/copy_raw.bin' WITH (FORMAT binary)
\copy cb_fs FROM 'results/copy_raw.bin' WITH (FORMAT binary)
\set VERBOSITY sqlstate
\copy cb_fs FROM 'results/copy_raw.bin' WITH (FORMAT binary)
\set VERBOSITY default
SELECT count(*) FROM cb_fs;  -- still 1
-- maturity_stage: version 1 and stage 3 is optimisation ...
TRUNCATE cb_raw;
INSERT INTO cb_raw VALUES ('\x0103');
\copy cb_raw TO 'results/copy_raw.bin' WITH (FORMAT binary)
\copy cb_ms FROM 'results/copy_raw.bin' WITH (FORMAT binary)
SELECT m FROM cb_ms;  -- optimisation
-- ... stage 6 does not exist (22P03) ...
TRUNCATE cb_raw;
INSERT INTO cb_raw VALUES ('\x0106');
\copy cb_raw TO 'results/copy_raw.bin' WITH (FORMAT binary)
\copy cb_ms FROM 'results/copy_raw.bin' WITH (FORMAT binary)
\set VERBOSITY sqlstate
\copy cb_ms FROM 'results/copy_raw.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- ... nor does stage 0 ...
TRUNCATE cb_raw;
INSERT INTO cb_raw VALUES ('\x0100');
\copy cb_raw TO 'results/copy_raw.bin' WITH (FORMAT binary)
\copy cb_ms FROM 'results/copy_raw.bin' WITH (FORMAT binary)
\set VERBOSITY sqlstate
\copy cb_ms FROM 'results/copy_raw.bin' WITH (FORMAT binary)
\set VERBOSITY default
-- ... and version 2 is unknown (22P03).
TRUNCATE cb_raw;
INSERT INTO cb_raw VALUES ('\x0203');
\copy cb_raw TO 'results/copy_raw.bin' WITH (FORMAT binary)
\copy cb_ms FROM 'results/copy_raw.bin' WITH (FORMAT binary)
\set VERBOSITY sqlstate
\copy cb_ms FROM 'results/copy_raw.bin' WITH (FORMAT binary)
\set VERBOSITY default
SELECT count(*) FROM cb_ms;  -- still 1

-- Clean up.
DROP TABLE cb_expect, cb_moved, cb_raw, cb_fs, cb_ms;
DELETE FROM mops.funnel_model;
