-- test/bench/report.sql - prints the window_funnel benchmark's tables
--
-- Run by test/bench/run.sh after window_funnel.sql (bench.timing) and the
-- ClickHouse side (loaded into bench.timing too, variants ch_*, and
-- bench.ch_level_a/b when ClickHouse ran).  psql -v ch_version=...

\set ON_ERROR_STOP on
\set QUIET on
\pset format unaligned
\pset tuples_only on
\pset footer off

CREATE FUNCTION bench.fmt_ms(ms double precision) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN ms IS NULL THEN 'n/a'
				WHEN ms >= 100 THEN to_char(ms, 'FM999999990')
				ELSE to_char(ms, 'FM990.0') END
$$;

CREATE FUNCTION bench.fmt_ratio(r double precision) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN r IS NULL THEN 'n/a' ELSE to_char(r, 'FM99990.00') END
$$;

-- 'met (1.23)' or 'MISSED (1.67; cpu 1.45: met)': judged on the wall ratio,
-- the cpu ratio shown when known
CREATE FUNCTION bench.verdict(wall double precision, cpu double precision, op text, bound double precision)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN wall IS NULL THEN 'not measured'
				WHEN (op = '<=' AND wall <= bound) OR (op = '>=' AND wall >= bound) THEN 'met'
				ELSE 'MISSED' END ||
		   ' (' || bench.fmt_ratio(wall) ||
		   CASE WHEN cpu IS NULL THEN ''
				ELSE '; cpu ' || bench.fmt_ratio(cpu) || ': ' ||
					 CASE WHEN (op = '<=' AND cpu <= bound) OR (op = '>=' AND cpu >= bound) THEN 'met'
						  ELSE 'missed' END END || ')'
$$;

-- median, min, max and the runs of every (data set, mode, variant)
CREATE VIEW bench.summary AS
SELECT dataset, mode, variant,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS median,
	   min(ms) AS min, max(ms) AS max, count(*) AS runs,
	   string_agg(bench.fmt_ms(ms), ' ' ORDER BY run) AS each,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ms) AS cpu_median,
	   min(cpu_ms) AS cpu_min, max(cpu_ms) AS cpu_max,
	   min(result) AS result
FROM bench.timing
GROUP BY dataset, mode, variant;

CREATE VIEW bench.ratio AS
SELECT d.name AS dataset, m.mode,
	   a.median / c.median AS a_count,
	   a.median / g.median AS a_array_agg,
	   a.median / k.median AS a_collect,
	   v.median / c.median AS array_count,
	   b.median / a.median AS b_a,
	   w.median / f.median AS ch_wf_count,
	   a.cpu_median / c.cpu_median AS cpu_a_count,
	   a.cpu_median / g.cpu_median AS cpu_a_array_agg,
	   a.cpu_median / k.cpu_median AS cpu_a_collect,
	   v.cpu_median / c.cpu_median AS cpu_array_count,
	   b.cpu_median / a.cpu_median AS cpu_b_a,
	   w.cpu_median / f.cpu_median AS cpu_ch_wf_count
FROM bench.dataset AS d
CROSS JOIN (SELECT DISTINCT mode FROM bench.timing) AS m
LEFT JOIN bench.summary AS a ON a.dataset = d.name AND a.mode = m.mode AND a.variant = 'a'
LEFT JOIN bench.summary AS b ON b.dataset = d.name AND b.mode = m.mode AND b.variant = 'b'
LEFT JOIN bench.summary AS c ON c.dataset = d.name AND c.mode = m.mode AND c.variant = 'count'
LEFT JOIN bench.summary AS g ON g.dataset = d.name AND g.mode = m.mode AND g.variant = 'array_agg'
LEFT JOIN bench.summary AS k ON k.dataset = d.name AND k.mode = m.mode AND k.variant = 'collect'
LEFT JOIN bench.summary AS v ON v.dataset = d.name AND v.mode = m.mode AND v.variant = 'a_array'
LEFT JOIN bench.summary AS w ON w.dataset = d.name AND w.mode = m.mode AND w.variant = 'ch_wf'
LEFT JOIN bench.summary AS f ON f.dataset = d.name AND f.mode = m.mode AND f.variant = 'ch_count';

CREATE TABLE bench.label (key text PRIMARY KEY, ord integer, label text);
INSERT INTO bench.label SELECT key, ord, label FROM bench.variant;
INSERT INTO bench.label VALUES
	('ch_wf', 7, '(d) ClickHouse windowFunnel, 4 steps'),
	('ch_count', 8, '(d) ClickHouse floor: count()');

-- the ClickHouse cross-check (untimed): its level for every user
CREATE FUNCTION bench.ch_check(dataset text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
	users bigint;
	differ bigint;
BEGIN
	IF to_regclass('bench.ch_level_' || lower(dataset)) IS NULL THEN
		RETURN 'ClickHouse: not run';
	END IF;
	EXECUTE format('SELECT count(*), count(*) FILTER (WHERE m.x IS DISTINCT FROM c.x)
					FROM bench.level_%1$s AS m FULL JOIN bench.ch_level_%1$s AS c USING (user_id)',
				   lower(dataset))
		INTO users, differ;
	IF differ = 0 THEN
		RETURN format('ClickHouse %s windowFunnel gives the same level as mops.window_funnel for all %s users',
					  current_setting('bench.ch_version'), users);
	END IF;
	RETURN format('WARNING: ClickHouse %s windowFunnel and mops.window_funnel differ for %s of %s users',
				  current_setting('bench.ch_version'), differ, users);
END
$f$;

SELECT set_config('bench.ch_version', :'ch_version', false) AS ch_version_set \gset

-- ---------------------------------------------------------------------
SELECT string_agg(block, E'\n' ORDER BY mode_ord, dataset) FROM (
SELECT d.name AS dataset, CASE m.mode WHEN 'serial' THEN 1 ELSE 2 END AS mode_ord,
	format(E'\n== data set %s, %s: %s events = %s users x %s events, 5 event types, ts spread over %s per user ==\n',
		   d.name, m.mode, to_char(d.users::bigint * d.per_user, 'FM999,999,999'),
		   to_char(d.users, 'FM999,999,999'), d.per_user,
		   CASE WHEN d.span % 86400 = 0 THEN (d.span / 86400) || ' days'
				ELSE round(d.span / 3600.0, 1) || ' hours' END) ||
	CASE m.mode
		WHEN 'serial' THEN '   no parallelism (PostgreSQL max_parallel_workers_per_gather = 0, ClickHouse max_threads = 1)'
		ELSE format('   parallel (PostgreSQL max_parallel_workers_per_gather = %s, ClickHouse max_threads = %s)',
					(SELECT value FROM bench.param WHERE name = 'workers'),
					(SELECT value::integer + 1 FROM bench.param WHERE name = 'workers'))
	END || E'\n' ||
	format(E'   %s warm-up + %s timed runs per variant; each consumed as SELECT sum(x), count(*) FROM (... GROUP BY user_id)\n',
		   (SELECT value FROM bench.param WHERE name = 'warmup'),
		   (SELECT value FROM bench.param WHERE name = 'runs')) ||
	format(E'   %-38s %9s %7s %7s %6s %9s %6s  %-15s %s\n', 'variant', 'wall ms', 'min', 'max', 'spread',
		   'cpu ms', 'spread', 'sum/count', 'wall ms of each run') ||
	(SELECT string_agg(format('   %-38s %9s %7s %7s %5s%% %9s %6s  %-15s %s',
							  l.label, bench.fmt_ms(s.median), bench.fmt_ms(s.min), bench.fmt_ms(s.max),
							  to_char(100 * (s.max - s.min) / s.median, 'FM9990'),
							  bench.fmt_ms(s.cpu_median),
							  coalesce(to_char(100 * (s.cpu_max - s.cpu_min) / s.cpu_median, 'FM9990') || '%', ''),
							  s.result, s.each),
					   E'\n' ORDER BY l.ord)
	 FROM bench.summary AS s JOIN bench.label AS l ON l.key = s.variant
	 WHERE s.dataset = d.name AND s.mode = m.mode) || E'\n' ||
	format(E'   ratios of the wall medians: a/count=%s  a/array_agg=%s  b/a=%s  ClickHouse windowFunnel/count()=%s  (a/array_agg(ts)=%s  a VARIADIC ARRAY form/count=%s)\n',
		   bench.fmt_ratio(r.a_count), bench.fmt_ratio(r.a_array_agg),
		   bench.fmt_ratio(r.b_a), bench.fmt_ratio(r.ch_wf_count), bench.fmt_ratio(r.a_collect),
		   bench.fmt_ratio(r.array_count)) ||
	CASE WHEN m.mode = 'serial' THEN
		format(E'   ratios of the cpu medians:  a/count=%s  a/array_agg=%s  b/a=%s  ClickHouse windowFunnel/count()=%s  (a/array_agg(ts)=%s  a VARIADIC ARRAY form/count=%s)\n',
			   bench.fmt_ratio(r.cpu_a_count), bench.fmt_ratio(r.cpu_a_array_agg),
			   bench.fmt_ratio(r.cpu_b_a), bench.fmt_ratio(r.cpu_ch_wf_count), bench.fmt_ratio(r.cpu_a_collect),
			   bench.fmt_ratio(r.cpu_array_count))
	ELSE '' END ||
	CASE WHEN d.name = 'A' THEN
		format(E'   target A: a <= 1.5 x count(*) floor: %s; ClickHouse''s windowFunnel/floor: %s, %s',
			   bench.verdict(r.a_count, r.cpu_a_count, '<=', 1.5),
			   bench.fmt_ratio(r.ch_wf_count),
			   CASE WHEN r.ch_wf_count IS NULL THEN 'not measured'
					WHEN r.a_count < r.ch_wf_count THEN 'mops''s a/count beats it'
					ELSE 'mops''s a/count does NOT beat it' END)
	ELSE
		format(E'   target B: a >= 10 x faster than b: %s; a <= 1.5 x array_agg floor: %s',
			   bench.verdict(r.b_a, r.cpu_b_a, '>=', 10),
			   bench.verdict(r.a_array_agg, r.cpu_a_array_agg, '<=', 1.5))
	END ||
	CASE WHEN m.mode = 'serial' THEN E'\n   ' || bench.ch_check(d.name) ELSE '' END AS block
FROM bench.dataset AS d
CROSS JOIN (SELECT DISTINCT mode FROM bench.timing) AS m
JOIN bench.ratio AS r ON r.dataset = d.name AND r.mode = m.mode
) AS blocks;

\echo
SELECT format('bench window_funnel: A a/count=%s B a/array_agg=%s b/a=%s (cpu: A a/count=%s B a/array_agg=%s b/a=%s)',
			  bench.fmt_ratio(a.a_count), bench.fmt_ratio(b.a_array_agg), bench.fmt_ratio(b.b_a),
			  bench.fmt_ratio(a.cpu_a_count), bench.fmt_ratio(b.cpu_a_array_agg), bench.fmt_ratio(b.cpu_b_a))
FROM bench.ratio AS a, bench.ratio AS b
WHERE a.dataset = 'A' AND a.mode = 'serial' AND b.dataset = 'B' AND b.mode = 'serial';
