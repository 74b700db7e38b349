/*
 * window_funnel.c - window_funnel and funnel_steps aggregates: the
 * PostgreSQL face of core/window_funnel.c
 *
 * The state of a group is a WindowFunnelState in the aggregate context: the
 * parameters of the first row and, per row that matched a step (every row in
 * strict_order), its timestamp and a bit mask of the steps it matched - 16
 * bytes.  The level is computed once, in the final function.
 */
#include "mops.h"

#include "core/window_funnel.h"

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "common/int.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

/* Events kept inside the state itself: most groups need no other chunk. */
#define INLINE_EVENTS 8

typedef struct WindowFunnelState
{
	int			nsteps;
	uint32		flags;
	uint64		window;			/* microseconds */
	Interval	window_arg;		/* the window as given, to compare rows cheaply */
	text	   *mode;			/* the first row's mode text (NULL: none) */
	bool		sorted;			/* events are in timestamp order */
	Size		nevents;
	Size		capacity;
	wf_event   *events;			/* inline_events, or a chunk of its own */
	wf_event	inline_events[INLINE_EVENTS];
} WindowFunnelState;

/* ---------------------------------------------------------------------
 * Parameters
 * ---------------------------------------------------------------------
 */

/*
 * The window as microseconds: a duration, with a day as 24 hours and a
 * month as 30 days (as justify_days counts them).
 */
static uint64
window_microseconds(const Interval *window)
{
	int64		days = (int64) window->month * DAYS_PER_MONTH + window->day;
	int64		usecs;

	if (pg_mul_s64_overflow(days, USECS_PER_DAY, &usecs) ||
		pg_add_s64_overflow(usecs, window->time, &usecs))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("window_funnel window is out of range")));
	/* the total counts: '1 day -1 hour' is a window of 23 hours */
	if (usecs < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel window must not be negative"),
				 errdetail("The window is the longest time allowed from a chain's first step to its last.")));
	return (uint64) usecs;
}

static uint32
parse_mode(text *mode)
{
	const char *s = VARDATA_ANY(mode);
	size_t		len = VARSIZE_ANY_EXHDR(mode);
	uint32		flags;
	size_t		bad_start;
	size_t		bad_len;
	wf_mode_status status = wf_parse_mode(s, len, &flags, &bad_start, &bad_len);
	char	   *item = pnstrdup(s + bad_start, bad_len);

	switch (status)
	{
		case WF_MODE_OK:
			break;
		case WF_MODE_UNKNOWN:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown window_funnel mode \"%s\"", item),
					 errhint("The mode is a comma-separated list of %s.", WF_MODE_NAMES)));
			break;
		case WF_MODE_EMPTY_ITEM:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("empty item in window_funnel mode list \"%s\"", text_to_cstring(mode)),
					 errhint("The mode is a comma-separated list of %s.", WF_MODE_NAMES)));
			break;
		case WF_MODE_STRICT_RENAMED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown window_funnel mode \"%s\"", item),
					 errhint("The mode \"strict\" is called \"strict_deduplication\".")));
			break;
		case WF_MODE_REENTRY_WITHOUT_ORDER:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("window_funnel mode allow_reentry requires strict_order"),
					 errhint("Add strict_order to the mode list, for example 'strict_order, allow_reentry'.")));
			break;
	}
	return flags;
}

/*
 * Step conditions into a bit mask (NULL counts as false).  The array comes
 * from VARIADIC, so it is one-dimensional boolean; a caller passing an
 * explicit array gets the same checks.
 */
static uint64
steps_mask(ArrayType *steps, int *nsteps)
{
	int			n;
	const bool *values;
	const bits8 *nulls;
	uint64		mask = 0;

	if (ARR_ELEMTYPE(steps) != BOOLOID || ARR_NDIM(steps) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel steps must be a one-dimensional boolean array")));
	n = ARR_NDIM(steps) == 0 ? 0 : ARR_DIMS(steps)[0];
	if (n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window_funnel needs at least one step condition")));
	if (n > WF_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window_funnel supports at most %d steps, %d were given",
						WF_MAX_STEPS, n)));
	*nsteps = n;

	values = (const bool *) MOPS_ARR_DATA_PTR(steps);
	nulls = ARR_NULLBITMAP(steps);
	if (nulls == NULL)
	{
		for (int i = 0; i < n; i++)
			if (values[i])
				mask |= (uint64) 1 << i;
	}
	else
	{
		/* the data holds only the non-null elements */
		int			k = 0;

		for (int i = 0; i < n; i++)
			if ((nulls[i / 8] & (1 << (i % 8))) && values[k++])
				mask |= (uint64) 1 << i;
	}
	return mask;
}

static bool
same_text(const text *a, const text *b)
{
	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

static void
report_changed_parameter(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("window_funnel %s must be the same for every row of a group", what),
			 errdetail("The window, the mode and the number of steps are parameters of the funnel, not data.")));
}

/* ---------------------------------------------------------------------
 * State
 * ---------------------------------------------------------------------
 */
static WindowFunnelState *
new_state(MemoryContext context, int nsteps, uint32 flags, uint64 window,
		  const Interval *window_arg, text *mode)
{
	WindowFunnelState *state = MemoryContextAlloc(context, sizeof(WindowFunnelState));

	state->nsteps = nsteps;
	state->flags = flags;
	state->window = window;
	if (window_arg)
		state->window_arg = *window_arg;
	else
		memset(&state->window_arg, 0, sizeof(Interval));
	state->mode = NULL;
	if (mode)
	{
		state->mode = (text *) MemoryContextAlloc(context, VARSIZE_ANY(mode));
		memcpy(state->mode, mode, VARSIZE_ANY(mode));
	}
	state->sorted = true;
	state->nevents = 0;
	state->capacity = INLINE_EVENTS;
	state->events = state->inline_events;
	return state;
}

/* Room for `more` events; a larger array lives in the state's context. */
static void
reserve_events(WindowFunnelState *state, Size more)
{
	Size		needed;
	Size		capacity;
	wf_event   *events;

	if (pg_add_size_overflow(state->nevents, more, &needed) || needed > WF_STATE_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window_funnel group has too many events")));
	if (needed <= state->capacity)
		return;
	capacity = Max(needed, state->capacity * 2);
	if (state->events == state->inline_events)
	{
		events = MemoryContextAllocHuge(GetMemoryChunkContext(state),
										capacity * sizeof(wf_event));
		memcpy(events, state->inline_events, state->nevents * sizeof(wf_event));
	}
	else
		events = repalloc_huge(state->events, capacity * sizeof(wf_event));
	state->events = events;
	state->capacity = capacity;
}

static void
append_event(WindowFunnelState *state, int64 ts, uint64 steps)
{
	if (state->nevents == state->capacity)
		reserve_events(state, 1);
	if (state->nevents > 0 && ts < state->events[state->nevents - 1].ts)
		state->sorted = false;
	state->events[state->nevents].ts = ts;
	state->events[state->nevents].steps = steps;
	state->nevents++;
}

/*
 * Transition: arguments (state, window, [mode,] ts, steps).  Rows with a NULL
 * timestamp are skipped; rows matching no step are kept only in strict_order.
 */
static Datum
transition(FunctionCallInfo fcinfo, bool has_mode)
{
	WindowFunnelState *state = PG_ARGISNULL(0) ? NULL : (WindowFunnelState *) PG_GETARG_POINTER(0);
	int			ts_arg = has_mode ? 3 : 2;
	int			steps_arg = ts_arg + 1;
	int			nsteps = 0;
	uint64		mask = 0;
	Interval   *window;

	if (PG_ARGISNULL(ts_arg))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (PG_ARGISNULL(1) || (has_mode && PG_ARGISNULL(2)))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("window_funnel window and mode must not be null")));
	window = PG_GETARG_INTERVAL_P(1);

	if (!PG_ARGISNULL(steps_arg))
		mask = steps_mask(PG_GETARG_ARRAYTYPE_P(steps_arg), &nsteps);

	if (state == NULL)
	{
		MemoryContext aggcontext;
		text	   *mode = has_mode ? PG_GETARG_TEXT_PP(2) : NULL;
		uint64		window_us;
		uint32		flags;

		if (!AggCheckCallContext(fcinfo, &aggcontext))
			elog(ERROR, "window_funnel transition function called in non-aggregate context");
		if (PG_ARGISNULL(steps_arg))
			PG_RETURN_NULL();	/* the number of steps is not known yet */
		/* checked in argument order: the window, then the mode */
		window_us = window_microseconds(window);
		flags = mode ? parse_mode(mode) : 0;
		state = new_state(aggcontext, nsteps, flags, window_us, window, mode);
	}
	else
	{
		if (nsteps != 0 && nsteps != state->nsteps)
			report_changed_parameter("number of steps");
		if (memcmp(window, &state->window_arg, sizeof(Interval)) != 0 &&
			window_microseconds(window) != state->window)
			report_changed_parameter("window");
		if (has_mode && state->mode && !same_text(PG_GETARG_TEXT_PP(2), state->mode) &&
			parse_mode(PG_GETARG_TEXT_PP(2)) != state->flags)
			report_changed_parameter("mode");
	}

	if (mask != 0 || (state->flags & WF_STRICT_ORDER))
		append_event(state, PG_GETARG_TIMESTAMPTZ(ts_arg), mask);
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(window_funnel_transfn);
Datum
window_funnel_transfn(PG_FUNCTION_ARGS)
{
	return transition(fcinfo, false);
}

PG_FUNCTION_INFO_V1(window_funnel_mode_transfn);
Datum
window_funnel_mode_transfn(PG_FUNCTION_ARGS)
{
	return transition(fcinfo, true);
}

/* The level, with the first chain's step timestamps if step_ts is given. */
static int
compute_level(WindowFunnelState *state, int64 *step_ts)
{
	int			level;

	if (!state->sorted)
	{
		if (wf_sort_events(state->events, state->nevents) != 0)
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
		state->sorted = true;	/* a stable sort: the state means the same */
	}
	level = wf_level(state->events, state->nevents, state->nsteps, state->window,
					 state->flags, step_ts);
	if (level == WF_LEVEL_NO_MEMORY)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (level == WF_LEVEL_TOO_LARGE)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window_funnel strict_once has too many partial chains in one group"),
				 errdetail("strict_once follows every partial chain; at most %zu are kept.",
						   (size_t) WF_MAX_CHAINS),
				 errhint("Use a shorter window, or fewer rows per group.")));
	return level;
}

PG_FUNCTION_INFO_V1(window_funnel_finalfn);
Datum
window_funnel_finalfn(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_INT32(0);
	PG_RETURN_INT32(compute_level((WindowFunnelState *) PG_GETARG_POINTER(0), NULL));
}

PG_FUNCTION_INFO_V1(funnel_steps_finalfn);
Datum
funnel_steps_finalfn(PG_FUNCTION_ARGS)
{
	WindowFunnelState *state;
	int64		step_ts[WF_MAX_STEPS];
	Datum		elems[WF_MAX_STEPS];
	int			level;

	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(TIMESTAMPTZOID));
	state = (WindowFunnelState *) PG_GETARG_POINTER(0);
	level = compute_level(state, step_ts);
	for (int i = 0; i < level; i++)
		elems[i] = TimestampTzGetDatum(step_ts[i]);
	if (level == 0)
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(TIMESTAMPTZOID));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, level, TIMESTAMPTZOID,
										  sizeof(TimestampTz), FLOAT8PASSBYVAL,
										  TYPALIGN_DOUBLE));
}

/* ---------------------------------------------------------------------
 * Parallel aggregation
 * ---------------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(window_funnel_combinefn);
Datum
window_funnel_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	WindowFunnelState *left = PG_ARGISNULL(0) ? NULL : (WindowFunnelState *) PG_GETARG_POINTER(0);
	WindowFunnelState *right = PG_ARGISNULL(1) ? NULL : (WindowFunnelState *) PG_GETARG_POINTER(1);

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "window_funnel combine function called in non-aggregate context");
	if (right == NULL)
	{
		if (left == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(left);
	}
	if (left == NULL)
		left = new_state(aggcontext, right->nsteps, right->flags, right->window,
						 &right->window_arg, right->mode);
	else if (left->nsteps != right->nsteps || left->flags != right->flags ||
			 left->window != right->window)
		report_changed_parameter("window, mode and number of steps");

	if (right->nevents > 0)
	{
		reserve_events(left, right->nevents);
		memcpy(left->events + left->nevents, right->events, right->nevents * sizeof(wf_event));
		if (left->nevents > 0 &&
			right->events[0].ts < left->events[left->nevents - 1].ts)
			left->sorted = false;
		left->sorted = left->sorted && right->sorted;
		left->nevents += right->nevents;
	}
	PG_RETURN_POINTER(left);
}

PG_FUNCTION_INFO_V1(window_funnel_serialfn);
Datum
window_funnel_serialfn(PG_FUNCTION_ARGS)
{
	WindowFunnelState *state = (WindowFunnelState *) PG_GETARG_POINTER(0);
	wf_state_header header = {state->nsteps, state->flags, state->window,
	state->sorted, state->nevents};
	Size		size = wf_state_size(state->nevents);
	bytea	   *out;

	if (size == 0 || size > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window_funnel state of %zu events is too large to pass between processes",
						(size_t) state->nevents)));
	out = palloc(VARHDRSZ + size);
	SET_VARSIZE(out, VARHDRSZ + size);
	wf_state_write((unsigned char *) VARDATA(out), &header, state->events);
	PG_RETURN_BYTEA_P(out);
}

static void
report_bad_state(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid window_funnel aggregate state"),
			 errdetail("%s", why)));
}

PG_FUNCTION_INFO_V1(window_funnel_deserialfn);
Datum
window_funnel_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	const unsigned char *data = (const unsigned char *) VARDATA_ANY(in);
	size_t		len = VARSIZE_ANY_EXHDR(in);
	MemoryContext aggcontext;
	wf_state_header header;
	WindowFunnelState *state;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "window_funnel deserialization function called in non-aggregate context");
	switch (wf_state_read_header(data, len, &header))
	{
		case WF_STATE_OK:
			break;
		case WF_STATE_TRUNCATED:
			report_bad_state("The state is shorter than its header says.");
			break;
		case WF_STATE_BAD_VERSION:
			report_bad_state("The state has an unknown format version.");
			break;
		case WF_STATE_BAD_LENGTH:
			report_bad_state("The state is longer than its header says.");
			break;
		default:
			report_bad_state("The state's number of steps, mode or event count is out of range.");
			break;
	}
	state = new_state(aggcontext, header.nsteps, header.flags, header.window, NULL, NULL);
	state->sorted = header.sorted;
	if (header.nevents > 0)
	{
		reserve_events(state, header.nevents);
		if (wf_state_read_events(data, &header, state->events) != WF_STATE_OK)
			report_bad_state("An event has a step outside the funnel, or is out of order.");
		state->nevents = header.nevents;
	}
	PG_RETURN_POINTER(state);
}
