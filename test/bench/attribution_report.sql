-- test/bench/attribution_report.sql - prints the attribution benchmark's tables
--
-- Run by test/bench/run.sh after attribution.sql (bench_attr.timing).  The
-- same layout as report.sql prints for window_funnel.

\set ON_ERROR_STOP on
\set QUIET on
\pset format unaligned
\pset tuples_only on
\pset footer off

CREATE FUNCTION bench_attr.fmt_ms(ms double precision) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN ms IS NULL THEN 'n/a'
				WHEN ms >= 100 THEN to_char(ms, 'FM999999990')
				ELSE to_char(ms, 'FM990.0') END
$$;

CREATE FUNCTION bench_attr.fmt_ratio(r double precision) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN r IS NULL THEN 'n/a' ELSE to_char(r, 'FM99990.00') END
$$;

CREATE FUNCTION bench_attr.fmt_int(n numeric) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT to_char(n, 'FM999,999,999,990')
$$;

-- 'met (1.23)' or 'MISSED (1.67; cpu 1.45: met)': judged on the wall ratio,
-- the cpu ratio shown when known
CREATE FUNCTION bench_attr.verdict(wall double precision, cpu double precision, op text, bound double precision)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN wall IS NULL THEN 'not measured'
				WHEN (op = '<=' AND wall <= bound) OR (op = '>=' AND wall >= bound) THEN 'met'
				ELSE 'MISSED' END ||
		   ' (' || bench_attr.fmt_ratio(wall) ||
		   CASE WHEN cpu IS NULL THEN ''
				ELSE '; cpu ' || bench_attr.fmt_ratio(cpu) || ': ' ||
					 CASE WHEN (op = '<=' AND cpu <= bound) OR (op = '>=' AND cpu >= bound) THEN 'met'
						  ELSE 'missed' END END || ')'
$$;

CREATE VIEW bench_attr.summary AS
SELECT grp, variant,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS median,
	   min(ms) AS min, max(ms) AS max, count(*) AS runs,
	   string_agg(bench_attr.fmt_ms(ms), ' ' ORDER BY run) AS each,
	   percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu_ms) AS cpu_median,
	   min(cpu_ms) AS cpu_min, max(cpu_ms) AS cpu_max,
	   min(result) AS result
FROM bench_attr.timing
GROUP BY grp, variant;

-- one row: the ratios of the medians, wall and cpu.  A cpu ratio is left
-- out (NULL) when a cpu median is under 50 ms: /proc/self/schedstat of the
-- running backend advances by scheduler ticks (4 ms here).
CREATE FUNCTION bench_attr.ratio(x text, y text, cpu boolean) RETURNS double precision
LANGUAGE sql STABLE AS $$
	SELECT CASE WHEN NOT cpu THEN a.median / nullif(b.median, 0)
				WHEN a.cpu_median >= 50 AND b.cpu_median >= 50 THEN a.cpu_median / b.cpu_median END
	FROM bench_attr.summary AS a, bench_attr.summary AS b
	WHERE a.variant = x AND b.variant = y
$$;

CREATE VIEW bench_attr.ratio AS
SELECT bench_attr.ratio('a', 'c', false) AS a_c, bench_attr.ratio('a2', 'c', false) AS a2_c,
	   bench_attr.ratio('b', 'c', false) AS b_c, bench_attr.ratio('b', 'a', false) AS b_a,
	   bench_attr.ratio('b', 'a2', false) AS b_a2, bench_attr.ratio('path_agg', 'c', false) AS path_agg_c,
	   bench_attr.ratio('markov', 'scan', false) AS m_f, bench_attr.ratio('markov', 'count', false) AS m_count,
	   bench_attr.ratio('markov', 'scan_path', false) AS m_path,
	   bench_attr.ratio('fit', 'scan', false) AS fit_f, bench_attr.ratio('scan', 'count', false) AS f_count,
	   bench_attr.ratio('a', 'c', true) AS cpu_a_c, bench_attr.ratio('a2', 'c', true) AS cpu_a2_c,
	   bench_attr.ratio('b', 'c', true) AS cpu_b_c, bench_attr.ratio('b', 'a', true) AS cpu_b_a,
	   bench_attr.ratio('b', 'a2', true) AS cpu_b_a2, bench_attr.ratio('path_agg', 'c', true) AS cpu_path_agg_c,
	   bench_attr.ratio('markov', 'scan', true) AS cpu_m_f, bench_attr.ratio('markov', 'count', true) AS cpu_m_count,
	   bench_attr.ratio('markov', 'scan_path', true) AS cpu_m_path,
	   bench_attr.ratio('fit', 'scan', true) AS cpu_fit_f, bench_attr.ratio('scan', 'count', true) AS cpu_f_count;

CREATE FUNCTION bench_attr.table(p_grp text) RETURNS text LANGUAGE sql STABLE AS $$
	SELECT format(E'   %-44s %9s %7s %7s %6s %9s %6s  %-22s %s\n', 'variant', 'wall ms', 'min', 'max', 'spread',
				  'cpu ms', 'spread', 'result/rows', 'wall ms of each run') ||
		   string_agg(format('   %-44s %9s %7s %7s %5s%% %9s %6s  %-22s %s',
							 v.label, bench_attr.fmt_ms(s.median), bench_attr.fmt_ms(s.min), bench_attr.fmt_ms(s.max),
							 to_char(100 * (s.max - s.min) / nullif(s.median, 0), 'FM9990'),
							 bench_attr.fmt_ms(s.cpu_median),
							 coalesce(to_char(100 * (s.cpu_max - s.cpu_min) / nullif(s.cpu_median, 0), 'FM9990') || '%', ''),
							 s.result, s.each),
					  E'\n' ORDER BY v.ord)
	FROM bench_attr.summary AS s JOIN bench_attr.variant AS v ON v.key = s.variant
	WHERE s.grp = p_grp
$$;

-- ---------------------------------------------------------------------
SELECT
	format(E'\n== attribution: %s touches of %s customers (1 to 15 each, %s on average), %s channels, conversions worth %s ==\n',
		   bench_attr.fmt_int(d.touches), bench_attr.fmt_int(d.customers),
		   round(d.touches::numeric / d.customers, 1), d.channels, to_char(d.total_value, 'FM999,999,999,990.00')) ||
	format(E'   %s of the %s customers with 2 or more touches have touches of different channels at equal times (path_agg orders them by channel)\n',
		   bench_attr.fmt_int(d.ties), bench_attr.fmt_int(d.multi)) ||
	E'   no parallelism (max_parallel_workers_per_gather = 0); ' ||
	format(E'%s warm-up + %s timed runs per variant; each consumed as SELECT sum(x), count(*) FROM (...)\n',
		   (SELECT value FROM bench_attr.param WHERE name = 'warmup'),
		   (SELECT value FROM bench_attr.param WHERE name = 'runs')) ||
	bench_attr.table('touches') || E'\n' ||
	format(E'   ratios of the wall medians: a/c=%s  b/c=%s  b/a=%s  (a''/c=%s  b/a''=%s  path_agg/c=%s)\n',
		   bench_attr.fmt_ratio(r.a_c), bench_attr.fmt_ratio(r.b_c), bench_attr.fmt_ratio(r.b_a),
		   bench_attr.fmt_ratio(r.a2_c), bench_attr.fmt_ratio(r.b_a2), bench_attr.fmt_ratio(r.path_agg_c)) ||
	format(E'   ratios of the cpu medians:  a/c=%s  b/c=%s  b/a=%s  (a''/c=%s  b/a''=%s  path_agg/c=%s)\n',
		   bench_attr.fmt_ratio(r.cpu_a_c), bench_attr.fmt_ratio(r.cpu_b_c), bench_attr.fmt_ratio(r.cpu_b_a),
		   bench_attr.fmt_ratio(r.cpu_a2_c), bench_attr.fmt_ratio(r.cpu_b_a2), bench_attr.fmt_ratio(r.cpu_path_agg_c)) ||
	format(E'   targets: a <= 1.5 x c: %s; a >= 2 x faster than b: %s\n',
		   bench_attr.verdict(r.a_c, r.cpu_a_c, '<=', 1.5), bench_attr.verdict(r.b_a, r.cpu_b_a, '>=', 2)) ||
	format(E'   the same for (a''), not judged: a'' <= 1.5 x c: %s; a'' >= 2 x faster than b: %s\n',
		   bench_attr.verdict(r.a2_c, r.cpu_a2_c, '<=', 1.5), bench_attr.verdict(r.b_a2, r.cpu_b_a2, '>=', 2)) ||
	E'   (a), (a'') and (b) give the same credit per channel (checked to 1e-9 relative before timing, and the totals of every run)\n' ||
	format(E'\n== attribution, Markov: %s stored paths (%s touches, %s MB), %s conversions worth %s ==\n',
		   bench_attr.fmt_int(d.paths), bench_attr.fmt_int(d.path_touches),
		   round(d.paths_bytes / 1048576.0), bench_attr.fmt_int(d.conversions::numeric),
		   to_char(d.path_value, 'FM999,999,999,990.00')) ||
	bench_attr.table('paths') || E'\n' ||
	format(E'   ratios of the wall medians: markov/floor=%s  (markov/path alone=%s  markov/count=%s  fit/floor=%s  floor/count=%s)\n',
		   bench_attr.fmt_ratio(r.m_f), bench_attr.fmt_ratio(r.m_path), bench_attr.fmt_ratio(r.m_count),
		   bench_attr.fmt_ratio(r.fit_f), bench_attr.fmt_ratio(r.f_count)) ||
	format(E'   ratios of the cpu medians:  markov/floor=%s  (markov/path alone=%s  markov/count=%s  fit/floor=%s  floor/count=%s)\n',
		   bench_attr.fmt_ratio(r.cpu_m_f), bench_attr.fmt_ratio(r.cpu_m_path), bench_attr.fmt_ratio(r.cpu_m_count),
		   bench_attr.fmt_ratio(r.cpu_fit_f), bench_attr.fmt_ratio(r.cpu_f_count)) ||
	format(E'   target: markov <= 2 x floor: %s\n', bench_attr.verdict(r.m_f, r.cpu_m_f, '<=', 2)) ||
	'   (cpu ratios are n/a when a cpu median is under 50 ms: the backend''s cpu time advances by scheduler ticks)'
FROM bench_attr.dataset AS d, bench_attr.ratio AS r;

\echo
SELECT format('bench attribution: a/c=%s b/c=%s b/a=%s markov/floor=%s markov/path=%s (cpu: a/c=%s b/c=%s b/a=%s markov/floor=%s)',
			  bench_attr.fmt_ratio(r.a_c), bench_attr.fmt_ratio(r.b_c), bench_attr.fmt_ratio(r.b_a),
			  bench_attr.fmt_ratio(r.m_f), bench_attr.fmt_ratio(r.m_path), bench_attr.fmt_ratio(r.cpu_a_c), bench_attr.fmt_ratio(r.cpu_b_c),
			  bench_attr.fmt_ratio(r.cpu_b_a), bench_attr.fmt_ratio(r.cpu_m_f))
FROM bench_attr.ratio AS r;
