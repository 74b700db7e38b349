-- test/bench/window_funnel.sql - the window_funnel benchmark, PostgreSQL side
--
-- Run by test/bench/run.sh (see test/bench/README.md) in a fresh database:
--   psql -X -v users_a=… -v per_a=… -v span_a=… -v users_b=… -v per_b=… \
--        -v span_b=… -v runs=… -v warmup=… -v workers=… -f window_funnel.sql
-- It creates the schema bench with the two event tables, checks that the
-- plain-SQL formulation (b) gives the same level as mops.window_funnel (a)
-- for every user of both data sets (an error otherwise), then times every
-- variant in this one session and keeps the timings in bench.timing.
-- Nothing is printed here but progress; test/bench/report.sql prints.

\set ON_ERROR_STOP on
\set QUIET on
SET client_min_messages = warning;

CREATE EXTENSION IF NOT EXISTS mops;
CREATE SCHEMA bench;

-- The same session settings for every variant.  Per-core figures: no
-- parallel workers (run.sh --parallel adds a second pass with workers).
-- JIT off: it switches on by cost estimate, so it would compile for some
-- variants and not others, and its compile time is not what is measured.
-- work_mem is set here, not taken from the server, so that the plans (in-
-- memory sorts, hash aggregation) are the same on any cluster.
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SET work_mem = '256MB';
SET hash_mem_multiplier = 2.0;
SET timezone = 'UTC';

CREATE TABLE bench.param (name text PRIMARY KEY, value text NOT NULL);
INSERT INTO bench.param VALUES
	('users_a', :'users_a'), ('per_a', :'per_a'), ('span_a', :'span_a'),
	('users_b', :'users_b'), ('per_b', :'per_b'), ('span_b', :'span_b'),
	('runs', :'runs'), ('warmup', :'warmup'), ('workers', :'workers');

-- ---------------------------------------------------------------------
-- Data: `users` users with `per_user` events each.  Event i of user u has
-- the global number id = (u - 1) * per_user + i and
--   e  = 1 + h(id, 1) mod 5                       (5 event types, uniform)
--   ts = 2024-01-01 00:00 UTC + h(u, 2) mod 30 days   (the user's start)
--                             + h(id, 3) mod span     (whole seconds)
-- where h(x, seed) = hashint8extended(x, seed) & 0x7fffffff (PostgreSQL's
-- int8 hash, stable across versions and platforms: hash partitioning relies
-- on it).  Rows are stored in the order of h(id, 4): random physical order,
-- both across users and relative to ts within a user, as in an event table
-- filled from several sources with late arrivals.  No index.
-- ---------------------------------------------------------------------
CREATE PROCEDURE bench.make_events(tbl text, users integer, per_user integer, span integer)
LANGUAGE plpgsql AS $f$
BEGIN
	EXECUTE format($q$
		CREATE TABLE bench.%I (user_id integer NOT NULL, e integer NOT NULL, ts timestamptz NOT NULL)
		WITH (autovacuum_enabled = off)$q$, tbl);
	EXECUTE format($q$
		INSERT INTO bench.%I
		SELECT s.u,
			   (1 + (hashint8extended(s.id, 1) & 2147483647) %% 5)::integer,
			   timestamptz '2024-01-01 00:00:00+00'
				 + make_interval(secs => (hashint8extended(s.u, 2) & 2147483647) %% 2592000
										 + (hashint8extended(s.id, 3) & 2147483647) %% %s)
		FROM (SELECT u, (u - 1)::bigint * %s + i AS id
			  FROM generate_series(1, %s) AS u, generate_series(1, %s) AS i) AS s
		ORDER BY hashint8extended(s.id, 4)$q$,
		tbl, span, per_user, users, per_user);
END
$f$;

CALL bench.make_events('events_a', :users_a, :per_a, :span_a);
CALL bench.make_events('events_b', :users_b, :per_b, :span_b);
VACUUM (ANALYZE, FREEZE) bench.events_a, bench.events_b;

CREATE TABLE bench.dataset (name text PRIMARY KEY, tbl text NOT NULL, users integer, per_user integer, span integer);
INSERT INTO bench.dataset VALUES
	('A', 'events_a', :users_a, :per_a, :span_a),
	('B', 'events_b', :users_b, :per_b, :span_b);

-- ---------------------------------------------------------------------
-- Variants.  Each is a query grouped by user giving (user_id, x), consumed
-- by the same wrapper: SELECT sum(x), count(*) (sum(cardinality(x)) for the
-- array), so that client transfer does not count.  {T} is the table.
-- ---------------------------------------------------------------------
CREATE TABLE bench.variant (
	key text PRIMARY KEY,
	ord integer NOT NULL,
	label text NOT NULL,
	consume text NOT NULL,		-- the wrapper's sum(...) argument
	query text NOT NULL
);

INSERT INTO bench.variant VALUES
('a', 1, '(a) mops.window_funnel, 4 steps', 'x', $q$
SELECT user_id, mops.window_funnel('1 hour', ts, e = 1, e = 2, e = 3, e = 4) AS x
FROM {T} GROUP BY user_id
$q$),
-- (b) The same level in plain SQL.  Level >= k iff some chain of events of
-- types 1..k has t1 <= t2 <= ... <= tk and tk - t1 <= window (at equal ts a
-- lower step comes first, as window_funnel orders them).  In the order
-- (ts, e) of a user's events let L1 = the latest type-1 time so far and
-- Lk = the latest chain start of steps 1..k so far = max of L(k-1) over the
-- type-k rows so far (L(k-1) never decreases, so that is its value at the
-- latest type-k row).  Then level >= k iff some type-k row has
-- ts - L(k-1) <= window: intermediate steps lie between t1 and tk, so only
-- the last step needs the window test.  Three running-max window passes
-- over one sort.  Faster than the alternatives tried (see
-- doc/performance.md): greedy self-joins, RANGE frames over (ts) only, and
-- the backward "earliest next step" formulation.
('b', 2, '(b) plain SQL, 3 window passes', 'x', $q$
SELECT user_id,
	   CASE WHEN bool_or(e = 4 AND ts - l3 <= interval '1 hour') THEN 4
			WHEN bool_or(e = 3 AND ts - l2 <= interval '1 hour') THEN 3
			WHEN bool_or(e = 2 AND ts - l1 <= interval '1 hour') THEN 2
			WHEN bool_or(e = 1) THEN 1
			ELSE 0 END AS x
FROM (
	SELECT user_id, e, ts, l1, l2, max(l2) FILTER (WHERE e = 3) OVER w AS l3
	FROM (
		SELECT user_id, e, ts, l1, max(l1) FILTER (WHERE e = 2) OVER w AS l2
		FROM (
			SELECT user_id, e, ts, max(ts) FILTER (WHERE e = 1) OVER w AS l1
			FROM {T}
			WINDOW w AS (PARTITION BY user_id ORDER BY ts, e ROWS UNBOUNDED PRECEDING)
		) AS s1
		WINDOW w AS (PARTITION BY user_id ORDER BY ts, e ROWS UNBOUNDED PRECEDING)
	) AS s2
	WINDOW w AS (PARTITION BY user_id ORDER BY ts, e ROWS UNBOUNDED PRECEDING)
) AS s3
GROUP BY user_id
$q$),
('count', 3, '(c) floor: count(*)', 'x', $q$
SELECT user_id, count(*) AS x FROM {T} GROUP BY user_id
$q$),
('array_agg', 4, '(c) floor: array_agg(e ORDER BY ts)', 'cardinality(x)', $q$
SELECT user_id, array_agg(e ORDER BY ts) AS x FROM {T} GROUP BY user_id
$q$),
-- Not a target, a reference: PostgreSQL's simplest aggregate that keeps its
-- rows in an internal state (no sort), what any such aggregate pays for a
-- separately allocated state per group on top of the count(*) floor.
('collect', 5, '(c) ref: array_agg(ts), no ORDER BY', 'cardinality(x)', $q$
SELECT user_id, array_agg(ts) AS x FROM {T} GROUP BY user_id
$q$),
-- Not a target, a reference: (a) through its VARIADIC boolean[] form, which
-- makes PostgreSQL build an array of the four conditions for every row ((a)
-- resolves to the overload that takes them as four boolean arguments).
('a_array', 6, '(a) ref: VARIADIC ARRAY[...] form', 'x', $q$
SELECT user_id, mops.window_funnel('1 hour', ts, VARIADIC ARRAY[e = 1, e = 2, e = 3, e = 4]) AS x
FROM {T} GROUP BY user_id
$q$);

CREATE FUNCTION bench.sql(v bench.variant, tbl text) RETURNS text
LANGUAGE sql IMMUTABLE AS $f$
	SELECT format('SELECT sum(%s) AS s, count(*) AS n FROM (%s) AS q',
				  v.consume, replace(v.query, '{T}', 'bench.' || quote_ident(tbl)))
$f$;

-- ---------------------------------------------------------------------
-- (a) = (b) for every user, untimed
-- ---------------------------------------------------------------------
CREATE PROCEDURE bench.check_equal(p_dataset text) LANGUAGE plpgsql AS $f$
DECLARE
	t text := (SELECT tbl FROM bench.dataset WHERE name = p_dataset);
	qa text := replace((SELECT query FROM bench.variant WHERE key = 'a'), '{T}', 'bench.' || t);
	qb text := replace((SELECT query FROM bench.variant WHERE key = 'b'), '{T}', 'bench.' || t);
	users bigint;
	differ bigint;
BEGIN
	EXECUTE format('SELECT count(*), count(*) FILTER (WHERE a.x IS DISTINCT FROM b.x)
					FROM (%s) AS a FULL JOIN (%s) AS b USING (user_id)', qa, qb)
		INTO users, differ;
	IF differ <> 0 OR users <> (SELECT d.users FROM bench.dataset AS d WHERE d.name = p_dataset) THEN
		RAISE EXCEPTION 'bench: data set %: window_funnel (a) and plain SQL (b) differ for % of % users',
			p_dataset, differ, users;
	END IF;
	-- kept for the ClickHouse cross-check
	EXECUTE format('CREATE TABLE bench.level_%s AS %s', lower(p_dataset), qa);
	RAISE NOTICE 'data set %: (a) and (b) agree on all % users', p_dataset, users;
END
$f$;

-- ---------------------------------------------------------------------
-- Timing: `warmup` untimed rounds, then `runs` rounds; every round runs
-- every variant once, in an order rotated from round to round, so that a
-- burst of load from elsewhere on the machine hits all variants alike.
-- Each timed run directly follows an untimed run of the same query (its
-- steady state, as when a dashboard refreshes it).  Without that, a
-- variant's time depended on which variant ran before it: a query that
-- needs memory the previous one gave back to the kernel page-faults it in
-- again, at about 40 us a page on this machine, and the rotation gives each
-- variant the same predecessor in almost every round (doc/performance.md).
-- ---------------------------------------------------------------------
CREATE TABLE bench.timing (
	dataset text NOT NULL,
	mode text NOT NULL,			-- serial | parallel
	variant text NOT NULL,
	run integer NOT NULL,
	ms double precision NOT NULL,	-- wall-clock time
	cpu_ms double precision,	-- the backend's on-CPU time (NULL: unknown)
	result text NOT NULL
);

-- The backend's on-CPU time in ms, from the first field of
-- /proc/self/schedstat (nanoseconds): less sensitive than wall time to
-- other work on the machine (it leaves out the time spent waiting for a
-- CPU).  Linux only, and pg_read_file needs a superuser or
-- pg_read_server_files; NULL otherwise.  Parallel workers are not counted.
CREATE FUNCTION bench.cpu_ms() RETURNS double precision LANGUAGE plpgsql AS $f$
BEGIN
	RETURN split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::double precision / 1e6;
EXCEPTION WHEN OTHERS THEN
	RETURN NULL;
END
$f$;

CREATE PROCEDURE bench.time_variants(p_dataset text, p_mode text, runs integer, warmup integer)
LANGUAGE plpgsql AS $f$
DECLARE
	t text := (SELECT tbl FROM bench.dataset WHERE name = p_dataset);
	nvariants integer := (SELECT count(*) FROM bench.variant);
	v bench.variant;
	q text;
	res_s text;
	res_n text;
	t0 timestamptz;
	t1 timestamptz;
	c0 double precision;
	c1 double precision;
BEGIN
	FOR rnd IN 1 - warmup .. runs LOOP
		FOR v IN SELECT * FROM bench.variant
				 ORDER BY (ord - 1 + greatest(rnd, 1) - 1) % nvariants LOOP
			q := bench.sql(v, t);
			-- The same query once untimed first: the timed run then finds
			-- the memory allocator as its own previous run left it, not as
			-- the variant before it did (see the comment above).
			EXECUTE q INTO res_s, res_n;
			c0 := bench.cpu_ms();
			t0 := clock_timestamp();
			EXECUTE q INTO res_s, res_n;
			t1 := clock_timestamp();
			c1 := bench.cpu_ms();
			IF rnd >= 1 THEN
				INSERT INTO bench.timing
				VALUES (p_dataset, p_mode, v.key, rnd,
						extract(epoch FROM t1 - t0) * 1000,
						CASE WHEN p_mode = 'serial' THEN c1 - c0 END, res_s || '/' || res_n);
			END IF;
		END LOOP;
	END LOOP;
END
$f$;

\echo bench: checking that (a) and (b) agree on every user
SET client_min_messages = notice;
CALL bench.check_equal('A');
CALL bench.check_equal('B');
SET client_min_messages = warning;

\echo bench: timing data set A (serial)
CALL bench.time_variants('A', 'serial', :runs, :warmup);
\echo bench: timing data set B (serial)
CALL bench.time_variants('B', 'serial', :runs, :warmup);

SELECT (:workers > 0) AS parallel \gset
\if :parallel
SET max_parallel_workers_per_gather = :workers;
\echo bench: timing data set A (parallel)
CALL bench.time_variants('A', 'parallel', :runs, :warmup);
\echo bench: timing data set B (parallel)
CALL bench.time_variants('B', 'parallel', :runs, :warmup);
RESET max_parallel_workers_per_gather;
\endif

-- every timed run of a variant gives one result, and (a) gives (b)'s
DO $$
DECLARE
	bad record;
BEGIN
	SELECT dataset, mode, variant INTO bad FROM bench.timing
	GROUP BY dataset, mode, variant HAVING count(DISTINCT result) > 1 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'bench: % % %: the timed runs gave different results', bad.dataset, bad.mode, bad.variant;
	END IF;
	SELECT a.dataset, a.mode, a.result AS ra, b.result AS rb INTO bad
	FROM bench.timing AS a JOIN bench.timing AS b USING (dataset, mode, run)
	WHERE a.variant IN ('a', 'a_array') AND b.variant = 'b' AND a.result <> b.result LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'bench: data set % (%): window_funnel gave % and plain SQL %', bad.dataset, bad.mode, bad.ra, bad.rb;
	END IF;
END
$$;
