-- window_funnel and funnel_steps: ClickHouse windowFunnel semantics
--
-- SSPACE: a group's state is about 200 bytes (8 events inline); without it
-- the planner assumes 8 kB per internal state, and a hash aggregate over
-- many groups plans to spill to disk long before memory is short.

CREATE FUNCTION mops.window_funnel_transfn(internal, interval, timestamptz, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.window_funnel_transfn(internal, interval, timestamptz, boolean[]) IS
'Transition function of window_funnel and funnel_steps without a mode: keeps the timestamp and matched steps of each matching row. Not strict: rows with a NULL timestamp are skipped, NULL conditions are false.';

CREATE FUNCTION mops.window_funnel_mode_transfn(internal, interval, text, timestamptz, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_mode_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.window_funnel_mode_transfn(internal, interval, text, timestamptz, boolean[]) IS
'Transition function of window_funnel and funnel_steps with a mode list. Not strict: rows with a NULL timestamp are skipped, NULL conditions are false.';

CREATE FUNCTION mops.window_funnel_finalfn(internal) RETURNS integer
AS 'MODULE_PATHNAME', 'window_funnel_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.window_funnel_finalfn(internal) IS
'Final function of window_funnel: the highest level reached (0 for no rows). Not strict: an empty group gives 0.';

CREATE FUNCTION mops.funnel_steps_finalfn(internal) RETURNS timestamptz[]
AS 'MODULE_PATHNAME', 'funnel_steps_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.funnel_steps_finalfn(internal) IS
'Final function of funnel_steps: the step timestamps of the first chain to reach the highest level. Not strict: an empty group gives an empty array.';

CREATE FUNCTION mops.window_funnel_combinefn(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.window_funnel_combinefn(internal, internal) IS
'Combine function of window_funnel and funnel_steps (parallel aggregation). Not strict: either side may be an empty group.';

CREATE FUNCTION mops.window_funnel_serialfn(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'window_funnel_serialfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.window_funnel_serialfn(internal) IS
'Serialises a window_funnel state for parallel aggregation.';

CREATE FUNCTION mops.window_funnel_deserialfn(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_deserialfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.window_funnel_deserialfn(bytea, internal) IS
'Deserialises a window_funnel state for parallel aggregation, validating it like untrusted input.';

CREATE AGGREGATE mops.window_funnel("window" interval, ts timestamptz, VARIADIC steps boolean[]) (
    SFUNC = mops.window_funnel_transfn,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = mops.window_funnel_finalfn,
    COMBINEFUNC = mops.window_funnel_combinefn,
    SERIALFUNC = mops.window_funnel_serialfn,
    DESERIALFUNC = mops.window_funnel_deserialfn,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mops.window_funnel(interval, timestamptz, VARIADIC boolean[]) IS
'The highest funnel level (0..N) reached by a chain of steps 1..k, each within window of the chain''s first step (ClickHouse windowFunnel). Up to 64 steps.';

CREATE AGGREGATE mops.window_funnel("window" interval, mode text, ts timestamptz, VARIADIC steps boolean[]) (
    SFUNC = mops.window_funnel_mode_transfn,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = mops.window_funnel_finalfn,
    COMBINEFUNC = mops.window_funnel_combinefn,
    SERIALFUNC = mops.window_funnel_serialfn,
    DESERIALFUNC = mops.window_funnel_deserialfn,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mops.window_funnel(interval, text, timestamptz, VARIADIC boolean[]) IS
'window_funnel with a comma-separated mode list: strict_deduplication, strict_order, strict_increase, strict_once, allow_reentry (ClickHouse windowFunnel modes).';

CREATE AGGREGATE mops.funnel_steps("window" interval, ts timestamptz, VARIADIC steps boolean[]) (
    SFUNC = mops.window_funnel_transfn,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = mops.funnel_steps_finalfn,
    COMBINEFUNC = mops.window_funnel_combinefn,
    SERIALFUNC = mops.window_funnel_serialfn,
    DESERIALFUNC = mops.window_funnel_deserialfn,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mops.funnel_steps(interval, timestamptz, VARIADIC boolean[]) IS
'The timestamps of the steps of the first chain to reach window_funnel''s level (for time-to-convert analysis); empty when no step was reached.';

CREATE AGGREGATE mops.funnel_steps("window" interval, mode text, ts timestamptz, VARIADIC steps boolean[]) (
    SFUNC = mops.window_funnel_mode_transfn,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = mops.funnel_steps_finalfn,
    COMBINEFUNC = mops.window_funnel_combinefn,
    SERIALFUNC = mops.window_funnel_serialfn,
    DESERIALFUNC = mops.window_funnel_deserialfn,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mops.funnel_steps(interval, text, timestamptz, VARIADIC boolean[]) IS
'funnel_steps with a window_funnel mode list.';

-- Fixed-arity overloads: window_funnel and funnel_steps with 1 to 8 step
-- conditions written out as separate arguments.  PostgreSQL prefers a
-- non-variadic function over a variadic one with the same argument types, so
-- an ordinary call such as window_funnel('1 hour', ts, e = 1, e = 2, e = 3)
-- resolves to one of these, and no boolean[] is built for every row (on
-- 1,000 users x 1,000 events the array cost a sixth of the aggregate's
-- time; doc/performance.md).  Same semantics, states and
-- support functions as the VARIADIC forms, which serve 9 to 64 steps and
-- explicit VARIADIC arrays.
DO $overloads$
DECLARE
	n integer;
	arg_types text;				-- ', boolean, boolean'
	arg_decls text;				-- ', step1 boolean, step2 boolean'
	conditions text;			-- '2 step conditions', for the comments
	agg record;
BEGIN
	FOR n IN 1..8 LOOP
		SELECT pg_catalog.string_agg(', boolean', '' ORDER BY i),
			   pg_catalog.string_agg(pg_catalog.format(', step%s boolean', i), '' ORDER BY i)
		  INTO arg_types, arg_decls
		  FROM pg_catalog.generate_series(1, n) AS i;
		conditions := pg_catalog.format('%s step condition%s', n, CASE WHEN n = 1 THEN '' ELSE 's' END);

		EXECUTE pg_catalog.format(
			'CREATE FUNCTION mops.window_funnel_transfn(internal, interval, timestamptz%s) RETURNS internal '
			'AS %L, %L LANGUAGE C IMMUTABLE PARALLEL SAFE',
			arg_types, 'MODULE_PATHNAME', 'window_funnel_args_transfn');
		EXECUTE pg_catalog.format(
			'COMMENT ON FUNCTION mops.window_funnel_transfn(internal, interval, timestamptz%s) IS %L',
			arg_types, pg_catalog.format(
				'Transition function of window_funnel and funnel_steps with %s as separate arguments; as window_funnel_transfn(internal, interval, timestamptz, boolean[]).', conditions));
		EXECUTE pg_catalog.format(
			'CREATE FUNCTION mops.window_funnel_mode_transfn(internal, interval, text, timestamptz%s) RETURNS internal '
			'AS %L, %L LANGUAGE C IMMUTABLE PARALLEL SAFE',
			arg_types, 'MODULE_PATHNAME', 'window_funnel_mode_args_transfn');
		EXECUTE pg_catalog.format(
			'COMMENT ON FUNCTION mops.window_funnel_mode_transfn(internal, interval, text, timestamptz%s) IS %L',
			arg_types, pg_catalog.format(
				'Transition function of window_funnel and funnel_steps with a mode list and %s as separate arguments; as window_funnel_mode_transfn(internal, interval, text, timestamptz, boolean[]).', conditions));

		FOR agg IN
			SELECT * FROM (VALUES
				('window_funnel', '', '', 'window_funnel_transfn', 'window_funnel_finalfn'),
				('window_funnel', ', mode text', ', text', 'window_funnel_mode_transfn', 'window_funnel_finalfn'),
				('funnel_steps', '', '', 'window_funnel_transfn', 'funnel_steps_finalfn'),
				('funnel_steps', ', mode text', ', text', 'window_funnel_mode_transfn', 'funnel_steps_finalfn'))
				AS v(name, mode_decl, mode_type, transfn, finalfn)
		LOOP
			EXECUTE pg_catalog.format(
				'CREATE AGGREGATE mops.%s("window" interval%s, ts timestamptz%s) ('
				'SFUNC = mops.%s, STYPE = internal, SSPACE = 256, FINALFUNC = mops.%s, '
				'COMBINEFUNC = mops.window_funnel_combinefn, SERIALFUNC = mops.window_funnel_serialfn, '
				'DESERIALFUNC = mops.window_funnel_deserialfn, PARALLEL = SAFE)',
				agg.name, agg.mode_decl, arg_decls, agg.transfn, agg.finalfn);
			EXECUTE pg_catalog.format(
				'COMMENT ON AGGREGATE mops.%s(interval%s, timestamptz%s) IS %L',
				agg.name, agg.mode_type, arg_types, pg_catalog.format(
					'%s%s with %s as separate arguments: the same as the VARIADIC boolean[] form, without building an array for every row.',
					agg.name, CASE WHEN agg.mode_type <> '' THEN ' with a mode list' ELSE '' END, conditions));
		END LOOP;
	END LOOP;
END
$overloads$;
