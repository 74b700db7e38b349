/*
 * window_funnel.c - window_funnel and funnel_steps aggregates: the
 * PostgreSQL face of core/window_funnel.c
 *
 * The state of a group is a WindowFunnelState in the aggregate context: the
 * parameters of the first row and, per row that matched a step (every row in
 * strict_order), its timestamp and a bit mask of the steps it matched - 16
 * bytes.  The state is one 256-byte chunk: a 64-byte header and the first 12
 * events, so that most small groups cost one allocation and appending a row
 * touches one state.  Further events go to chunks of doubling size, which
 * are never copied while rows arrive; the final function gathers the events,
 * sorts them by timestamp and computes the level, leaving the state as it
 * was.
 */
#include "mops.h"

#include "conditions.h"
#include "core/window_funnel.h"

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "common/int.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

/* Events kept inside the state: the state is then exactly 256 bytes. */
#define INLINE_EVENTS 12
/* Smallest and largest overflow chunk, in events */
#define MIN_CHUNK_EVENTS 32
#define MAX_CHUNK_EVENTS (64 * 1024)

typedef struct EventChunk
{
	struct EventChunk *older;	/* the chunk filled before this one */
	uint32		capacity;
	wf_event	events[FLEXIBLE_ARRAY_MEMBER];
} EventChunk;

typedef struct WindowFunnelState
{
	/* what every row touches first */
	wf_event   *next;			/* where the next event goes */
	wf_event   *limit;			/* end of the inline events or of `chunks` */
	EventChunk *chunks;			/* overflow chunks, newest first (NULL: none) */
	uint32		nevents;
	uint8		nsteps;
	uint8		flags;
	/* the parameters of the group's first row */
	Interval	window_arg;		/* the window as given, to compare rows cheaply */
	uint64		window;			/* microseconds */
	text	   *mode;			/* the mode text as given (NULL: none) */
	wf_event	inline_events[INLINE_EVENTS];
} WindowFunnelState;

StaticAssertDecl(WF_ALL_MODES <= PG_UINT8_MAX, "window_funnel mode flags must fit in a byte");

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

static const ConditionNames step_names = {"window_funnel", "steps", "step condition"};

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

	state->next = state->inline_events;
	state->limit = state->inline_events + INLINE_EVENTS;
	state->chunks = NULL;
	state->nevents = 0;
	state->nsteps = (uint8) nsteps;
	state->flags = (uint8) flags;
	if (window_arg)
		state->window_arg = *window_arg;
	else
		memset(&state->window_arg, 0, sizeof(Interval));
	state->window = window;
	state->mode = NULL;
	if (mode)
	{
		state->mode = (text *) MemoryContextAlloc(context, VARSIZE_ANY(mode));
		memcpy(state->mode, mode, VARSIZE_ANY(mode));
	}
	return state;
}

/*
 * Start a new chunk with room for at least `more` events.  The chunk being
 * filled is always full when this is called, so every chunk but the newest
 * is full.
 */
static void
add_chunk(WindowFunnelState *state, Size more)
{
	Size		previous = state->chunks ? state->chunks->capacity : INLINE_EVENTS;
	Size		capacity = Min(Max(previous * 2, MIN_CHUNK_EVENTS), MAX_CHUNK_EVENTS);
	EventChunk *chunk;

	capacity = Max(capacity, more);
	chunk = MemoryContextAllocHuge(GetMemoryChunkContext(state),
								   offsetof(EventChunk, events) + capacity * sizeof(wf_event));
	chunk->older = state->chunks;
	chunk->capacity = (uint32) capacity;
	state->chunks = chunk;
	state->next = chunk->events;
	state->limit = chunk->events + capacity;
}

static void
check_event_count(const WindowFunnelState *state, Size more)
{
	if ((uint64) state->nevents + more > Min(WF_STATE_MAX_EVENTS, PG_UINT32_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window_funnel group has too many events")));
}

static inline void
append_event(WindowFunnelState *state, int64 ts, uint64 steps)
{
	if (unlikely(state->next == state->limit))
	{
		check_event_count(state, 1);
		add_chunk(state, 1);
	}
	state->next->ts = ts;
	state->next->steps = steps;
	state->next++;
	state->nevents++;
}

static void
append_events(WindowFunnelState *state, const wf_event *events, Size n)
{
	Size		room = state->limit - state->next;

	check_event_count(state, n);
	if (room > 0)
	{
		Size		now = Min(room, n);

		memcpy(state->next, events, now * sizeof(wf_event));
		state->next += now;
		state->nevents += now;
		events += now;
		n -= now;
	}
	if (n > 0)
	{
		add_chunk(state, n);
		memcpy(state->next, events, n * sizeof(wf_event));
		state->next += n;
		state->nevents += n;
	}
}

/*
 * All events of a group in one array, in arrival order: the inline events,
 * then each chunk, oldest first.  Into `buffer` (room for INLINE_EVENTS) when
 * they fit, else into a new array in the current memory context.
 */
static wf_event *
gather_events(const WindowFunnelState *state, wf_event *buffer)
{
	wf_event   *all;
	Size		end = state->nevents;
	bool		newest = true;

	if (state->chunks == NULL)
	{
		memcpy(buffer, state->inline_events, state->nevents * sizeof(wf_event));
		return buffer;
	}
	all = MemoryContextAllocHuge(CurrentMemoryContext, state->nevents * sizeof(wf_event));
	memcpy(all, state->inline_events, INLINE_EVENTS * sizeof(wf_event));
	/* chunks are newest first: fill the array from its end */
	for (const EventChunk *chunk = state->chunks; chunk; chunk = chunk->older)
	{
		Size		used = newest ? (Size) (state->next - chunk->events) : chunk->capacity;

		end -= used;
		memcpy(all + end, chunk->events, used * sizeof(wf_event));
		newest = false;
	}
	Assert(end == INLINE_EVENTS);
	return all;
}

/*
 * Transition: arguments (state, window, [mode,] ts, steps...): the steps as
 * one VARIADIC boolean[] or, when `spread`, as separate boolean arguments
 * (the fixed-arity overloads).  Rows with a NULL timestamp are skipped; rows
 * matching no step are kept only in strict_order.
 */
static Datum
transition(FunctionCallInfo fcinfo, bool has_mode, bool spread)
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

	if (spread)
		mask = conditions_mask_args(fcinfo, steps_arg, WF_MAX_STEPS, &step_names, &nsteps);
	else if (!PG_ARGISNULL(steps_arg))
	{
		/* the VARIADIC array is built fresh for every row: never toasted */
		struct varlena *steps = (struct varlena *) PG_GETARG_POINTER(steps_arg);

		if (unlikely(VARATT_IS_EXTENDED(steps)))
			steps = PG_DETOAST_DATUM(PG_GETARG_DATUM(steps_arg));
		mask = conditions_mask((ArrayType *) steps, WF_MAX_STEPS, &step_names, &nsteps);
	}

	if (state == NULL)
	{
		MemoryContext aggcontext;
		text	   *mode = has_mode ? PG_GETARG_TEXT_PP(2) : NULL;
		uint64		window_us;
		uint32		flags;

		if (!AggCheckCallContext(fcinfo, &aggcontext))
			elog(ERROR, "window_funnel transition function called in non-aggregate context");
		if (nsteps == 0)
			PG_RETURN_NULL();	/* a NULL array: the number of steps is not known yet */
		/* checked in argument order: the window, then the mode */
		window_us = window_microseconds(window);
		flags = mode ? parse_mode(mode) : 0;
		state = new_state(aggcontext, nsteps, flags, window_us, window, mode);
	}
	else
	{
		if (nsteps != 0 && nsteps != state->nsteps)
			report_changed_parameter("number of steps");
		if ((window->time != state->window_arg.time ||
			 window->day != state->window_arg.day ||
			 window->month != state->window_arg.month) &&
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
	return transition(fcinfo, false, false);
}

PG_FUNCTION_INFO_V1(window_funnel_mode_transfn);
Datum
window_funnel_mode_transfn(PG_FUNCTION_ARGS)
{
	return transition(fcinfo, true, false);
}

PG_FUNCTION_INFO_V1(window_funnel_args_transfn);
Datum
window_funnel_args_transfn(PG_FUNCTION_ARGS)
{
	return transition(fcinfo, false, true);
}

PG_FUNCTION_INFO_V1(window_funnel_mode_args_transfn);
Datum
window_funnel_mode_args_transfn(PG_FUNCTION_ARGS)
{
	return transition(fcinfo, true, true);
}

/*
 * The level, with the first chain's step timestamps if step_ts is given.
 * The state is left as it was (a window aggregate may call this again).
 */
static int
compute_level(const WindowFunnelState *state, int64 *step_ts)
{
	wf_event	buffer[INLINE_EVENTS];
	wf_event   *events = gather_events(state, buffer);
	int			level;

	if (wf_sort_events(events, state->nevents) != 0)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	level = wf_level(events, state->nevents, state->nsteps, state->window,
					 state->flags, step_ts);
	if (events != buffer)
		pfree(events);
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
	const WindowFunnelState *state;
	int64		step_ts[WF_MAX_STEPS];
	Datum		elems[WF_MAX_STEPS];
	int			level;

	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(TIMESTAMPTZOID));
	state = (const WindowFunnelState *) PG_GETARG_POINTER(0);
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
		wf_event	buffer[INLINE_EVENTS];
		wf_event   *events = gather_events(right, buffer);

		append_events(left, events, right->nevents);
		if (events != buffer)
			pfree(events);
	}
	PG_RETURN_POINTER(left);
}

PG_FUNCTION_INFO_V1(window_funnel_serialfn);
Datum
window_funnel_serialfn(PG_FUNCTION_ARGS)
{
	WindowFunnelState *state = (WindowFunnelState *) PG_GETARG_POINTER(0);
	/* the events are not kept in order; the receiver sorts them */
	wf_state_header header = {state->nsteps, state->flags, state->window,
	0, state->nevents};
	Size		size = wf_state_size(state->nevents);
	wf_event	buffer[INLINE_EVENTS];
	wf_event   *events;
	bytea	   *out;

	if (size == 0 || size > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("window_funnel state of %zu events is too large to pass between processes",
						(size_t) state->nevents)));
	out = palloc(VARHDRSZ + size);
	SET_VARSIZE(out, VARHDRSZ + size);
	events = gather_events(state, buffer);
	wf_state_write((unsigned char *) VARDATA(out), &header, events);
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
	if (header.nevents > 0)
	{
		wf_event   *events = MemoryContextAllocHuge(CurrentMemoryContext,
													header.nevents * sizeof(wf_event));

		if (wf_state_read_events(data, &header, events) != WF_STATE_OK)
			report_bad_state("An event has a step outside the funnel, or is out of order.");
		append_events(state, events, header.nevents);
		pfree(events);
	}
	PG_RETURN_POINTER(state);
}
