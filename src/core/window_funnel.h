/*
 * window_funnel.h - ClickHouse windowFunnel semantics (backend-free core)
 *
 * An event is one input row: its timestamp and the set of funnel steps whose
 * condition it satisfies (bit k set = step k+1).  The level of a group of
 * events is the highest k such that a chain of events satisfying steps
 * 1, 2, ..., k exists in which every step lies within `window` of the chain's
 * first step (inclusive).  Events are taken in order of (timestamp, step
 * number), so that one row satisfying several steps, or rows with equal
 * timestamps, favour progress; a new step-1 event starts a new chain.  The
 * modes change this exactly as ClickHouse's windowFunnel does (see
 * doc/window_funnel.md for each).
 */
#ifndef MOPS_CORE_WINDOW_FUNNEL_H
#define MOPS_CORE_WINDOW_FUNNEL_H

#include <stddef.h>
#include <stdint.h>

#define WF_MAX_STEPS 64

/* Mode flags */
#define WF_STRICT_DEDUPLICATION 0x01u
#define WF_STRICT_ORDER			0x02u
#define WF_STRICT_INCREASE		0x04u
#define WF_STRICT_ONCE			0x08u
#define WF_ALLOW_REENTRY		0x10u
#define WF_ALL_MODES			0x1Fu

/* The accepted mode names, for messages. */
#define WF_MODE_NAMES "strict_deduplication, strict_order, strict_increase, strict_once and allow_reentry"

typedef enum wf_mode_status
{
	WF_MODE_OK = 0,
	WF_MODE_UNKNOWN,			/* an item that is no mode */
	WF_MODE_EMPTY_ITEM,			/* "a,,b" or a trailing comma */
	WF_MODE_STRICT_RENAMED,		/* "strict": ClickHouse renamed it */
	WF_MODE_REENTRY_WITHOUT_ORDER	/* allow_reentry needs strict_order */
} wf_mode_status;

/*
 * Parse a comma-separated list of modes (ASCII case-insensitive, blanks
 * around items ignored; the empty string is no mode).  On an item error,
 * *bad_start and *bad_len locate the item in s.
 */
extern wf_mode_status wf_parse_mode(const char *s, size_t len, uint32_t *flags,
									size_t *bad_start, size_t *bad_len);

/* One input row: steps == 0 (no condition true) is kept only in strict_order. */
typedef struct wf_event
{
	int64_t		ts;
	uint64_t	steps;
} wf_event;

/*
 * Sort events by timestamp, keeping their arrival order among equal
 * timestamps (stable): with strict_once and strict_deduplication together,
 * the order in which rows of one timestamp and step are taken changes the
 * result, and ClickHouse takes them in arrival order.  Returns 0, or -1 if
 * memory ran out.
 */
extern int	wf_sort_events(wf_event *events, size_t n);

/* wf_level's failures */
#define WF_LEVEL_NO_MEMORY (-1)
#define WF_LEVEL_TOO_LARGE (-2)	/* strict_once: too many partial chains */

/* Partial chains strict_once may track at once before giving up */
#define WF_MAX_CHAINS ((size_t) 1000 * 1000)

/*
 * The level (0..nsteps) reached by sorted events with the given window (in
 * the timestamps' unit) and mode flags, or a WF_LEVEL_* failure.  If step_ts
 * is not NULL (room for nsteps values), the timestamps of the steps of the
 * first chain to reach the returned level - the chain whose last step comes
 * earliest - are written to step_ts[0 .. level-1].
 */
extern int	wf_level(const wf_event *events, size_t n, int nsteps, uint64_t window,
					 uint32_t flags, int64_t *step_ts);

/*
 * Serialised aggregate state (for parallel query): a header and the events,
 * little-endian.  wf_state_size is 0 on overflow.
 */
#define WF_STATE_VERSION 1
#define WF_STATE_HEADER_SIZE 23
/* Most events a serialised state may hold (keeps sizes far from overflow) */
#define WF_STATE_MAX_EVENTS ((uint64_t) 1 << 32)

typedef struct wf_state_header
{
	int			nsteps;
	uint32_t	flags;
	uint64_t	window;
	int			sorted;
	uint64_t	nevents;
} wf_state_header;

typedef enum wf_state_status
{
	WF_STATE_OK = 0,
	WF_STATE_TRUNCATED,			/* shorter than its header says */
	WF_STATE_BAD_VERSION,
	WF_STATE_BAD_HEADER,		/* steps, flags or counts out of range */
	WF_STATE_BAD_LENGTH,		/* longer than its header says */
	WF_STATE_BAD_EVENT			/* a step outside 1..nsteps, or an event that
								 * matches nothing outside strict_order */
} wf_state_status;

extern size_t wf_state_size(uint64_t nevents);
extern void wf_state_write(unsigned char *out, const wf_state_header *header,
						   const wf_event *events);

/*
 * Validate a serialised state and read its header; the events can then be
 * read with wf_state_read_events into room for header->nevents events.
 */
extern wf_state_status wf_state_read_header(const unsigned char *in, size_t len,
											wf_state_header *header);
extern wf_state_status wf_state_read_events(const unsigned char *in,
											const wf_state_header *header,
											wf_event *events);

#endif							/* MOPS_CORE_WINDOW_FUNNEL_H */
