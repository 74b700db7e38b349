-- test/bench/attribution.sql - the attribution benchmark, PostgreSQL side
--
-- Run by test/bench/run.sh (see test/bench/README.md) in a fresh database:
--   psql -X -v customers=… -v paths=… -v runs=… -v warmup=… -f attribution.sql
-- It creates the schema bench_attr with the touches and the stored paths,
-- checks that the plain-SQL position-based attribution (b) gives the same
-- credit per channel as path_agg + attribute (a), and that markov_attribution
-- hands out exactly the conversions and value it was fitted on (an error
-- otherwise), then times every variant in this one session and keeps the
-- timings in bench_attr.timing.  Nothing is printed here but progress;
-- test/bench/attribution_report.sql prints.

\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;

CREATE EXTENSION IF NOT EXISTS mops;
CREATE SCHEMA bench_attr;

-- The same session settings as the window_funnel benchmark (see there):
-- per-core figures, no JIT, plans independent of the server's memory
-- settings.
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SET work_mem = '256MB';
SET hash_mem_multiplier = 2.0;
SET timezone = 'UTC';

CREATE TABLE bench_attr.param (name text PRIMARY KEY, value text NOT NULL);
INSERT INTO bench_attr.param VALUES
	('customers', :'customers'), ('paths', :'paths'), ('runs', :'runs'), ('warmup', :'warmup');

-- ---------------------------------------------------------------------
-- Data.  h(x, seed) = hashint8extended(x, seed) & 0x7fffffff, PostgreSQL's
-- int8 hash (stable across versions and platforms), so that every run and
-- every machine gets the same rows.
--
-- Customers 1..C (C a multiple of 20).  Touch counts: every block of 20
-- consecutive customers gets the counts 1,1,1,1,2,2,2,3,3,3,4,4,5,5,7,8,9,
-- 11,13,15 (sum 100: 5 touches on average, 1 to 15), dealt out in the order
-- of h(c, 1), so the table has exactly 5 C touches.  A customer's conversion
-- value is 10.00 .. 499.99 (h(c, 5)), the same on all of its touches.
--
-- Touch j of customer c has the global number id = (touches of customers
-- before c) + j.  Time: the customer's start (h(c, 2): a whole second within
-- 90 days from 2024-01-01) plus whole hours: h(id, 4) mod 336 (two weeks)
-- for touches 1..k-1, 300 + h(id, 4) mod 36 for touch k, so that touch k is
-- mostly, not always, the last.  Whole hours make equal times of different
-- channels within a customer common (about 6 % of the customers with 2 or
-- more touches), as in hourly ad-platform exports: path_agg then orders by
-- channel, and so must (b).  Channel (h(id, 3) mod 1000): 10 channels with the per-mille
-- weights below; touch k of a customer with 2 or more touches (the closing
-- touch) has its own mix, heavier on direct, email and paid search.
-- Rows are stored in the order of h(id, 6): random physical order, across
-- customers and relative to ts within a customer.  No index.
-- ---------------------------------------------------------------------
CREATE TABLE bench_attr.customer AS
SELECT c, k, (sum(k) OVER (ORDER BY c) - k)::bigint AS first_id,
	   ((1000 + (hashint8extended(c, 5) & 2147483647) % 49000) / 100.0)::numeric(10, 2) AS value,
	   timestamptz '2024-01-01 00:00:00+00'
		 + make_interval(secs => (hashint8extended(c, 2) & 2147483647) % 7776000) AS start
FROM (SELECT c, ('{1,1,1,1,2,2,2,3,3,3,4,4,5,5,7,8,9,11,13,15}'::integer[])
				  [row_number() OVER (PARTITION BY (c - 1) / 20 ORDER BY hashint8extended(c, 1), c)] AS k
	  FROM generate_series(1, :customers) AS c) AS s;

CREATE TABLE bench_attr.touches (
	customer integer NOT NULL,
	channel text NOT NULL,
	ts timestamptz NOT NULL,
	value numeric(10, 2) NOT NULL
) WITH (autovacuum_enabled = off);

INSERT INTO bench_attr.touches
SELECT c.c,
	   CASE WHEN t.j = c.k AND c.k > 1 THEN
			CASE WHEN t.h < 300 THEN 'direct' WHEN t.h < 500 THEN 'email'
				 WHEN t.h < 700 THEN 'paid_search' WHEN t.h < 850 THEN 'organic_search'
				 WHEN t.h < 900 THEN 'referral' WHEN t.h < 950 THEN 'paid_social'
				 ELSE 'affiliates' END
	   ELSE
			CASE WHEN t.h < 200 THEN 'organic_search' WHEN t.h < 370 THEN 'paid_search'
				 WHEN t.h < 520 THEN 'direct' WHEN t.h < 640 THEN 'email'
				 WHEN t.h < 740 THEN 'paid_social' WHEN t.h < 820 THEN 'organic_social'
				 WHEN t.h < 890 THEN 'display' WHEN t.h < 940 THEN 'referral'
				 WHEN t.h < 970 THEN 'affiliates' ELSE 'video' END
	   END,
	   c.start + make_interval(hours => CASE WHEN t.j = c.k THEN 300 + t.g % 36 ELSE t.g % 336 END),
	   c.value
FROM bench_attr.customer AS c,
	 LATERAL (SELECT j, (hashint8extended(c.first_id + j, 3) & 2147483647) % 1000 AS h,
					 (hashint8extended(c.first_id + j, 4) & 2147483647)::integer AS g
			  FROM generate_series(1, c.k) AS j) AS t
ORDER BY hashint8extended(c.first_id + t.j, 6);

-- ---------------------------------------------------------------------
-- Paths for Markov: the stored paths (with times) of customers 1..P, built
-- with path_agg from the touches, in random physical order (h(c, 8)).  A
-- customer converts (conversions = 1, value = its value; otherwise
-- non_conversions = 1) when h(c, 7) mod 1000 is below 80 + 20 per touch (at
-- most 10) + 120 if email is on the path + 80 if paid_search + 60 if
-- referral: about a quarter convert, and the channels differ in what they
-- are worth.  No index.
-- ---------------------------------------------------------------------
CREATE TABLE bench_attr.paths (
	path mops.touch_path NOT NULL,
	conversions float8 NOT NULL,
	value float8 NOT NULL,
	non_conversions float8 NOT NULL
) WITH (autovacuum_enabled = off);

INSERT INTO bench_attr.paths
SELECT s.p, v.conv, v.conv * s.v::float8, 1 - v.conv
FROM (SELECT customer, mops.path_agg(channel, ts) AS p, max(value) AS v,
			 80 + 20 * least(count(*), 10) + 120 * bool_or(channel = 'email')::integer
				+ 80 * bool_or(channel = 'paid_search')::integer
				+ 60 * bool_or(channel = 'referral')::integer AS permille
	  FROM bench_attr.touches WHERE customer <= :paths GROUP BY customer) AS s,
	 LATERAL (SELECT ((hashint8extended(s.customer, 7) & 2147483647) % 1000 < s.permille)::integer::float8 AS conv) AS v
ORDER BY hashint8extended(s.customer, 8);

VACUUM (ANALYZE, FREEZE) bench_attr.customer, bench_attr.touches, bench_attr.paths;

CREATE TABLE bench_attr.dataset AS
SELECT (SELECT count(*) FROM bench_attr.touches) AS touches,
	   (SELECT count(*) FROM bench_attr.customer) AS customers,
	   (SELECT count(DISTINCT channel) FROM bench_attr.touches) AS channels,
	   (SELECT count(*) FILTER (WHERE k > 1) FROM bench_attr.customer) AS multi,
	   (SELECT count(DISTINCT customer) FROM (SELECT customer FROM bench_attr.touches
							  GROUP BY customer, ts HAVING count(DISTINCT channel) > 1) AS t) AS ties,
	   (SELECT sum(value) FROM bench_attr.customer) AS total_value,
	   (SELECT count(*) FROM bench_attr.paths) AS paths,
	   (SELECT sum(mops.path_length(path)) FROM bench_attr.paths) AS path_touches,
	   (SELECT sum(conversions) FROM bench_attr.paths) AS conversions,
	   (SELECT sum(value) FROM bench_attr.paths) AS path_value,
	   pg_relation_size('bench_attr.touches') AS touches_bytes,
	   pg_relation_size('bench_attr.paths') AS paths_bytes;

-- ---------------------------------------------------------------------
-- Variants.  grp 'touches' run on bench_attr.touches ({T}), grp 'paths' on
-- bench_attr.paths ({P}).  Each query gives rows (…, x), consumed by the
-- same wrapper, SELECT <consume> AS s, count(*) AS n FROM (query) AS q, so
-- that nothing but one row goes to the client.
-- ---------------------------------------------------------------------
CREATE TABLE bench_attr.variant (
	key text PRIMARY KEY,
	grp text NOT NULL,
	ord integer NOT NULL,
	label text NOT NULL,
	consume text NOT NULL,
	query text NOT NULL
);

INSERT INTO bench_attr.variant VALUES
-- (a) what an analyst writes with mops: a path per customer, the model's
-- credits per touch, summed by channel.
('a', 'touches', 1, '(a) path_agg + attribute(position_based)', 'round(sum(x), 2)', $q$
SELECT a.channel, sum(a.credit) AS x
FROM (SELECT customer, mops.path_agg(channel, ts) AS p, max(value) AS v
	  FROM {T} GROUP BY customer) AS c,
	 LATERAL mops.attribute(c.p, 'position_based', c.v) AS a
GROUP BY a.channel
$q$),
-- (a') the same with the value as a grouping column instead of max(value).
-- Not what the target is judged on, a reference: max(numeric) copies its
-- state on every row (numeric_larger returns the new value when it equals
-- the old one), which costs (a) about a quarter of the floor.
('a2', 'touches', 2, '(a'') the same, GROUP BY customer, value', 'round(sum(x), 2)', $q$
SELECT a.channel, sum(a.credit) AS x
FROM (SELECT customer, value, mops.path_agg(channel, ts) AS p
	  FROM {T} GROUP BY customer, value) AS c,
	 LATERAL mops.attribute(c.p, 'position_based', c.value) AS a
GROUP BY a.channel
$q$),
-- (b) the same credits in plain SQL: one sort by (customer, ts, channel) in
-- byte order, as path_agg orders (COLLATE "C"), the touch's position i and
-- the path's length n from window functions over it, then the 40/20/40 rule
-- (1 touch: 100 %, 2 touches: 50/50), in numeric like (a).  The fastest of
-- the formulations tried (doc/performance.md); float8 weights are no faster
-- (numeric to float8 goes through text).
('b', 'touches', 3, '(b) plain SQL, window functions', 'round(sum(x), 2)', $q$
SELECT channel,
	   sum(value * CASE WHEN n = 1 THEN 1
						WHEN n = 2 THEN 0.5
						WHEN i = 1 OR i = n THEN 0.4
						ELSE 0.2 / (n - 2) END) AS x
FROM (SELECT channel, value,
			 row_number() OVER (PARTITION BY customer ORDER BY ts, channel COLLATE "C") AS i,
			 count(*) OVER (PARTITION BY customer) AS n
	  FROM {T}) AS t
GROUP BY channel
$q$),
('c', 'touches', 4, '(c) floor: array_agg(channel ORDER BY ts)', 'sum(cardinality(x))', $q$
SELECT customer, array_agg(channel ORDER BY ts) AS x FROM {T} GROUP BY customer
$q$),
-- Not a target, a reference: how much of (a) is building the paths.
('path_agg', 'touches', 5, '(c) ref: path_agg(channel, ts) alone', 'sum(mops.path_length(x))', $q$
SELECT customer, mops.path_agg(channel, ts) AS x FROM {T} GROUP BY customer
$q$),
('markov', 'paths', 1, '(m) markov_fit + markov_attribution', 'round(sum(x)::numeric, 6)', $q$
SELECT channel, conversions AS x
FROM mops.markov_attribution((SELECT mops.markov_fit(path, conversions, value, non_conversions) FROM {P}))
$q$),
-- The Markov floor: a scan that reads every input markov_fit reads, the
-- stored path (detoasting it when it is compressed or out of line) and the
-- three counts, with one cheap operation on them.  The path alone and
-- count(*) (which reads no column) are printed beside it for reference.
('scan', 'paths', 2, '(f) floor: sum(path_length(path) + counts)', 'sum(x)', $q$
SELECT mops.path_length(path) + conversions + value + non_conversions AS x FROM {P}
$q$),
('scan_path', 'paths', 3, '(f) ref: sum(path_length(path))', 'sum(x)', $q$
SELECT mops.path_length(path) AS x FROM {P}
$q$),
('count', 'paths', 4, '(f) ref: count(*)', 'count(*)', $q$
SELECT 1 AS x FROM {P}
$q$),
('fit', 'paths', 5, '(m) ref: markov_fit alone', 'sum(length(x::text))', $q$
SELECT mops.markov_fit(path, conversions, value, non_conversions) AS x FROM {P}
$q$);

CREATE FUNCTION bench_attr.inner_sql(v bench_attr.variant) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
	SELECT replace(replace(v.query, '{T}', 'bench_attr.touches'), '{P}', 'bench_attr.paths')
$f$;

CREATE FUNCTION bench_attr.sql(v bench_attr.variant) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
	SELECT format('SELECT %s AS s, count(*) AS n FROM (%s) AS q', v.consume, bench_attr.inner_sql(v))
$f$;

-- ---------------------------------------------------------------------
-- Checks, untimed: (a) = (b) per channel to 1e-9 relative, (a) hands out
-- exactly the total value; markov_attribution hands out the total
-- conversions and value it was fitted on (to 1e-9 relative) to every channel.
-- ---------------------------------------------------------------------
CREATE PROCEDURE bench_attr.check() LANGUAGE plpgsql AS $f$
DECLARE
	d bench_attr.dataset;
	channels bigint;
	differ bigint;
	worst numeric;
	total numeric;
	conv float8;
	val float8;
	bad_re bigint;
BEGIN
	SELECT * INTO d FROM bench_attr.dataset;
	EXECUTE format('SELECT count(*),
						   count(*) FILTER (WHERE a.x IS NULL OR b.x IS NULL
											OR abs(a.x - b.x::numeric) > 1e-9 * abs(a.x)),
						   max(abs(a.x - b.x::numeric) / nullif(abs(a.x), 0)),
						   sum(a.x)
					FROM (%s) AS a FULL JOIN (%s) AS b USING (channel)',
				   (SELECT bench_attr.inner_sql(v) FROM bench_attr.variant AS v WHERE key = 'a'),
				   (SELECT bench_attr.inner_sql(v) FROM bench_attr.variant AS v WHERE key = 'b'))
		INTO channels, differ, worst, total;
	IF differ <> 0 OR channels <> d.channels THEN
		RAISE EXCEPTION 'bench: attribute (a) and plain SQL (b) differ for % of % channels (largest relative difference %)',
			differ, channels, worst;
	END IF;
	IF total <> d.total_value THEN
		RAISE EXCEPTION 'bench: attribute (a) hands out % in total, the conversions are worth %', total, d.total_value;
	END IF;
	RAISE NOTICE 'position_based: (a) and (b) agree on all % channels (largest relative difference %), total % = the conversions'' value',
		channels, ltrim(to_char(worst, '9.9EEEE')), round(total, 2);
	EXECUTE format('SELECT count(*) FILTER (WHERE a.x IS DISTINCT FROM b.x) FROM (%s) AS a FULL JOIN (%s) AS b USING (channel)',
				   (SELECT bench_attr.inner_sql(v) FROM bench_attr.variant AS v WHERE key = 'a'),
				   (SELECT bench_attr.inner_sql(v) FROM bench_attr.variant AS v WHERE key = 'a2'))
		INTO differ;
	IF differ <> 0 THEN
		RAISE EXCEPTION 'bench: (a) and (a'') differ for % channels', differ;
	END IF;

	EXECUTE format('SELECT count(*), sum(conversions), sum(value),
						   count(*) FILTER (WHERE NOT removal_effect > 0 OR removal_effect > 1)
					FROM mops.markov_attribution((SELECT mops.markov_fit(path, conversions, value, non_conversions) FROM %s))',
				   'bench_attr.paths')
		INTO channels, conv, val, bad_re;
	IF channels <> d.channels OR bad_re <> 0
	   OR abs(conv - d.conversions) > 1e-9 * d.conversions OR abs(val - d.path_value) > 1e-9 * d.path_value THEN
		RAISE EXCEPTION 'bench: markov_attribution: % channels (% with a removal effect outside (0, 1]), % conversions and % value handed out; the paths have % channels, % conversions worth %',
			channels, bad_re, conv, val, d.channels, d.conversions, d.path_value;
	END IF;
	RAISE NOTICE 'markov: markov_attribution hands out the % conversions worth % of the % paths over all % channels',
		d.conversions, round(d.path_value::numeric, 2), d.paths, channels;
END
$f$;

-- ---------------------------------------------------------------------
-- Timing, as in window_funnel.sql: `warmup` untimed rounds, then `runs`
-- rounds; every round runs every variant of a group once, in an order
-- rotated from round to round, each timed run right after an untimed run of
-- the same query (its steady state; see window_funnel.sql).
-- ---------------------------------------------------------------------
CREATE TABLE bench_attr.timing (
	grp text NOT NULL,
	variant text NOT NULL,
	run integer NOT NULL,
	ms double precision NOT NULL,	-- wall-clock time
	cpu_ms double precision,	-- the backend's on-CPU time (NULL: unknown)
	result text NOT NULL
);

-- the backend's on-CPU time in ms (see window_funnel.sql)
CREATE FUNCTION bench_attr.cpu_ms() RETURNS double precision LANGUAGE plpgsql AS $f$
BEGIN
	RETURN split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::double precision / 1e6;
EXCEPTION WHEN OTHERS THEN
	RETURN NULL;
END
$f$;

CREATE PROCEDURE bench_attr.time_variants(p_grp text, runs integer, warmup integer)
LANGUAGE plpgsql AS $f$
DECLARE
	nvariants integer := (SELECT count(*) FROM bench_attr.variant WHERE grp = p_grp);
	v bench_attr.variant;
	q text;
	res_s text;
	res_n text;
	t0 timestamptz;
	t1 timestamptz;
	c0 double precision;
	c1 double precision;
BEGIN
	FOR rnd IN 1 - warmup .. runs LOOP
		FOR v IN SELECT * FROM bench_attr.variant WHERE grp = p_grp
				 ORDER BY (ord - 1 + greatest(rnd, 1) - 1) % nvariants LOOP
			q := bench_attr.sql(v);
			-- The same query once untimed first: the timed run then finds
			-- the memory allocator as its own previous run left it, not as
			-- the variant before it did (see the comment above).
			EXECUTE q INTO res_s, res_n;
			c0 := bench_attr.cpu_ms();
			t0 := clock_timestamp();
			EXECUTE q INTO res_s, res_n;
			t1 := clock_timestamp();
			c1 := bench_attr.cpu_ms();
			IF rnd >= 1 THEN
				INSERT INTO bench_attr.timing
				VALUES (p_grp, v.key, rnd, extract(epoch FROM t1 - t0) * 1000, c1 - c0, res_s || '/' || res_n);
			END IF;
		END LOOP;
	END LOOP;
END
$f$;

\echo bench: checking (a) against (b), and the totals of markov_attribution
SET client_min_messages = notice;
CALL bench_attr.check();
SET client_min_messages = warning;

\echo bench: timing the touches variants
CALL bench_attr.time_variants('touches', :runs, :warmup);
\echo bench: timing the paths variants
CALL bench_attr.time_variants('paths', :runs, :warmup);

-- every timed run of a variant gives one result, and (a) gives (b)'s
DO $$
DECLARE
	bad record;
BEGIN
	SELECT variant INTO bad FROM bench_attr.timing
	GROUP BY variant HAVING count(DISTINCT result) > 1 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'bench: %: the timed runs gave different results', bad.variant;
	END IF;
	SELECT a.result AS ra, b.variant AS vb, b.result AS rb INTO bad
	FROM bench_attr.timing AS a JOIN bench_attr.timing AS b USING (run)
	WHERE a.variant = 'a' AND b.variant IN ('a2', 'b') AND a.result <> b.result LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'bench: attribute (a) gave % and (%) %', bad.ra, bad.vb, bad.rb;
	END IF;
END
$$;
