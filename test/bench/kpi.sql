-- test/bench/kpi.sql - the KPI scorecard benchmark (issue 6)
--
-- Run by test/bench/run.sh (see test/bench/README.md) in a fresh database:
--   psql -X -v scale=… -v runs=… -v warmup=… -f kpi.sql
-- Loads load_demo_data(scale), then times in this one session:
--   (a) the whole scorecard: every row and column of mops.kpi_scorecard,
--   (b) the alerts: every row of mops.kpi_alerts,
--   (c) the floor: count(*) over all touchpoints and all conversions,
-- and prints the medians and the ratios a/c, b/c.  The target (issue 6) is
-- a < 5 x c at scale 10.  Server settings are left as they are (JIT
-- included: the scorecard must not pay for JIT compilation) except
-- max_parallel_workers_per_gather = 0, so that the floor is one core's,
-- like the other benchmarks.

\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;

CREATE EXTENSION IF NOT EXISTS mops;
\echo bench: loading load_demo_data(:scale)
SELECT sum(row_count) AS demo_rows, clock_timestamp() AS load_started FROM mops.load_demo_data(:scale) \gset
SELECT (SELECT count(*) FROM mops.touchpoint) AS touchpoints, (SELECT count(*) FROM mops.conversion) AS conversions \gset

CREATE TEMP TABLE timing (variant text, run integer, ms double precision);

CREATE FUNCTION pg_temp.time_variant(variant text, query text, runs integer, warmup integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    r record;
BEGIN
    FOR i IN 1 - warmup .. runs LOOP
        t0 := clock_timestamp();
        FOR r IN EXECUTE query LOOP
        END LOOP;
        IF i >= 1 THEN
            INSERT INTO timing VALUES (variant, i, 1000 * extract(epoch FROM clock_timestamp() - t0));
        END IF;
    END LOOP;
END
$$;

-- Interleaved, so that drift hits every variant alike.
SELECT pg_temp.time_variant('c', 'SELECT (SELECT count(*) FROM mops.touchpoint) + (SELECT count(*) FROM mops.conversion)', 1, :warmup);
SELECT pg_temp.time_variant('a', 'SELECT * FROM mops.kpi_scorecard', 1, :warmup);
SELECT pg_temp.time_variant('b', 'SELECT * FROM mops.kpi_alerts', 1, :warmup);
DELETE FROM timing;
SELECT pg_temp.time_variant(v, q, 1, 0)
  FROM generate_series(1, :runs) AS r,
       (VALUES (1, 'c', 'SELECT (SELECT count(*) FROM mops.touchpoint) + (SELECT count(*) FROM mops.conversion)'),
               (2, 'a', 'SELECT * FROM mops.kpi_scorecard'),
               (3, 'b', 'SELECT * FROM mops.kpi_alerts')) AS x(n, v, q)
 ORDER BY r, n;

\echo
\echo bench kpi: load_demo_data(:scale): :demo_rows rows (:touchpoints touchpoints, :conversions conversions); jit = `echo "$(psql -X -Atc 'SHOW jit' 2>/dev/null)"`
SELECT format('  %-58s %9s ms', CASE variant
                  WHEN 'a' THEN '(a) SELECT * FROM kpi_scorecard'
                  WHEN 'b' THEN '(b) SELECT * FROM kpi_alerts'
                  ELSE '(c) floor: count(*) of touchpoints + conversions' END,
              to_char(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), 'FM99990.0')) AS " "
  FROM timing GROUP BY variant ORDER BY variant;
WITH m AS (SELECT variant, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms FROM timing GROUP BY variant)
SELECT format('  a / c = %s (target < 5 at scale 10: %s)   b / c = %s',
              to_char(a.ms / c.ms, 'FM990.00'),
              CASE WHEN a.ms / c.ms < 5 THEN 'met' ELSE 'MISSED' END,
              to_char(b.ms / c.ms, 'FM990.00')) AS " "
  FROM m a, m b, m c WHERE a.variant = 'a' AND b.variant = 'b' AND c.variant = 'c';
