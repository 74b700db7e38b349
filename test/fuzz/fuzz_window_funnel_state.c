/*
 * fuzz_window_funnel_state.c - libFuzzer harness for the window_funnel
 * aggregate state (deserialiser, sort and level computation in
 * src/core/window_funnel.c)
 *
 * Two kinds of input:
 *   - anything not starting with 0xFF is a serialised state, as a parallel
 *     worker would send it: wf_state_read_header / wf_state_read_events must
 *     accept or reject it without reading outside it, and an accepted state
 *     must serialise back to the same bytes;
 *   - 0xFF, then nsteps (1..8), flags, window (0..255), then two bytes per
 *     event (timestamp 0..255, step mask): a compact event list with many
 *     ties and repeats, to exercise the computation.
 * For every accepted state the events are sorted and the level computed.
 * Properties (abort() on failure):
 *   - sorting is stable and by timestamp (checked against insertion sort);
 *   - 0 <= level <= nsteps, the same with and without step timestamps;
 *   - the step timestamps are those of events matching each step, in order
 *     (strictly increasing with strict_increase), the last within window of
 *     the first;
 *   - without modes, the level equals a brute-force search over every chain
 *     (for small inputs);
 *   - making any one allocation fail gives WF_LEVEL_NO_MEMORY (or the same
 *     answer, if that allocation was not needed) and frees everything.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core_alloc.h"
#include "window_funnel.h"
#include "fuzz_common.h"

/* (timestamp, step, row) pairs in the order the computation takes them */
typedef struct pair
{
	int64_t		ts;
	int			step;
} pair;

static size_t
make_pairs(const wf_event *ev, size_t n, pair *out)
{
	size_t		np = 0;

	for (size_t i = 0; i < n;)
	{
		size_t		j = i;

		while (j < n && ev[j].ts == ev[i].ts)
			j++;
		for (int step = 1; step <= 64; step++)
			for (size_t r = i; r < j; r++)
				if (ev[r].steps & ((uint64_t) 1 << (step - 1)))
					out[np++] = (pair) {ev[r].ts, step};
		i = j;
	}
	return np;
}

/* Longest chain 1..k over pairs after index `from`, chain started at first */
static int
brute(const pair *p, size_t np, size_t from, int next_step, int64_t first, uint64_t window)
{
	int			best = next_step - 1;

	for (size_t i = from; i < np; i++)
		if (p[i].step == next_step &&
			(uint64_t) p[i].ts - (uint64_t) first <= window)
		{
			int			got = brute(p, np, i + 1, next_step + 1, first, window);

			if (got > best)
				best = got;
		}
	return best;
}

static int
brute_level(const wf_event *ev, size_t n, uint64_t window)
{
	pair		p[64 * 64];
	size_t		np = make_pairs(ev, n, p);
	int			best = 0;

	for (size_t i = 0; i < np; i++)
		if (p[i].step == 1)
		{
			int			got = brute(p, np, i + 1, 2, p[i].ts, window);

			if (got > best)
				best = got;
		}
	return best;
}

static void
insertion_sort(wf_event *ev, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		wf_event	x = ev[i];
		size_t		j = i;

		while (j > 0 && ev[j - 1].ts > x.ts)
		{
			ev[j] = ev[j - 1];
			j--;
		}
		ev[j] = x;
	}
}

static size_t
count_pairs(const wf_event *ev, size_t n)
{
	size_t		c = 0;

	for (size_t i = 0; i < n; i++)
		c += (size_t) __builtin_popcountll(ev[i].steps);
	return c;
}

static void
check_state(const wf_state_header *h, wf_event *events)
{
	size_t		n = (size_t) h->nevents;
	wf_event   *expected = malloc((n ? n : 1) * sizeof(wf_event));
	int64_t		steps_ts[WF_MAX_STEPS];
	int			level;
	int			level_with_ts;
	int			sort_status;

	/*
	 * strict_once follows every partial chain: with many rows matching many
	 * steps at once that grows combinatorially (up to WF_MAX_CHAINS, by
	 * design); keep such inputs small so that each run stays fast.
	 */
	if ((h->flags & WF_STRICT_ONCE) && n > 12)
		n = 12;
	memcpy(expected, events, n * sizeof(wf_event));
	insertion_sort(expected, n);
	fuzz_alloc_reset(0);
	sort_status = wf_sort_events(events, n);
	FUZZ_CHECK(sort_status == 0, "sort failed without an allocation failure");
	FUZZ_CHECK(memcmp(expected, events, n * sizeof(wf_event)) == 0,
			   "sort is not a stable sort by timestamp");
	free(expected);

	level = wf_level(events, n, h->nsteps, h->window, h->flags, NULL);
	FUZZ_CHECK(fuzz_live_blocks == 0, "wf_level leaked %ld blocks", fuzz_live_blocks);
	if (level == WF_LEVEL_TOO_LARGE)
		return;
	FUZZ_CHECK(level >= 0 && level <= h->nsteps, "level %d outside 0..%d", level, h->nsteps);
	level_with_ts = wf_level(events, n, h->nsteps, h->window, h->flags, steps_ts);
	FUZZ_CHECK(level_with_ts == level, "level %d with step timestamps, %d without",
			   level_with_ts, level);

	for (int k = 0; k < level; k++)
	{
		int			found = 0;

		for (size_t i = 0; i < n && !found; i++)
			found = events[i].ts == steps_ts[k] && (events[i].steps & ((uint64_t) 1 << k));
		FUZZ_CHECK(found, "step %d timestamp %lld matches no event of that step",
				   k + 1, (long long) steps_ts[k]);
		if (k > 0)
		{
			FUZZ_CHECK(steps_ts[k] >= steps_ts[k - 1], "step timestamps go back at step %d", k + 1);
			if (h->flags & WF_STRICT_INCREASE)
				FUZZ_CHECK(steps_ts[k] > steps_ts[k - 1], "strict_increase step %d not later", k + 1);
		}
	}
	if (level > 0)
		FUZZ_CHECK((uint64_t) steps_ts[level - 1] - (uint64_t) steps_ts[0] <= h->window,
				   "chain longer than the window");

	if (h->flags == 0 && n <= 16 && count_pairs(events, n) <= 16)
	{
		int			oracle = brute_level(events, n, h->window);

		FUZZ_CHECK(level == oracle, "level %d, brute force says %d", level, oracle);
	}

	/* every allocation failing in turn */
	for (long fail_at = 1;; fail_at++)
	{
		int			got;

		fuzz_alloc_reset(fail_at);
		got = wf_level(events, n, h->nsteps, h->window, h->flags, steps_ts);
		FUZZ_CHECK(fuzz_live_blocks == 0, "leak after allocation %ld failed", fail_at);
		if (fuzz_alloc_calls < fail_at)
		{
			FUZZ_CHECK(got == level, "level changed without a failure");
			break;
		}
		FUZZ_CHECK(got == WF_LEVEL_NO_MEMORY || got == level,
				   "allocation %ld failed but wf_level returned %d", fail_at, got);
		if (fail_at > 64)
			break;
	}
	fuzz_alloc_reset(0);
}

/* 0xFF nsteps flags window (ts steps)*: build a header and events */
static int
compact_input(const uint8_t *data, size_t size, wf_state_header *h, wf_event *events)
{
	size_t		n;
	uint64_t	allowed;

	if (size < 4)
		return 0;
	h->nsteps = 1 + data[1] % 8;
	h->flags = data[2] & WF_ALL_MODES;
	if ((h->flags & WF_ALLOW_REENTRY) && !(h->flags & WF_STRICT_ORDER))
		h->flags &= ~WF_ALLOW_REENTRY;
	h->window = data[3];
	h->sorted = 0;
	allowed = ((uint64_t) 1 << h->nsteps) - 1;
	n = 0;
	for (size_t i = 4; i + 1 < size && n < 64; i += 2)
	{
		uint64_t	steps = data[i + 1] & allowed;

		if (steps == 0 && !(h->flags & WF_STRICT_ORDER))
			continue;
		events[n].ts = data[i];
		events[n].steps = steps;
		n++;
	}
	h->nevents = n;
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wf_state_header h;
	wf_event   *events;
	wf_event	compact[64];

	fuzz_alloc_install();
	fuzz_alloc_reset(0);

	if (size > 0 && data[0] == 0xFF)
	{
		if (compact_input(data, size, &h, compact))
		{
			/* a round trip through the serialised form first */
			size_t		len = wf_state_size(h.nevents);
			unsigned char *buf = malloc(len);
			wf_state_header back;

			wf_state_write(buf, &h, compact);
			FUZZ_CHECK(wf_state_read_header(buf, len, &back) == WF_STATE_OK,
					   "a written state is rejected");
			FUZZ_CHECK(wf_state_read_events(buf, &back, compact) == WF_STATE_OK,
					   "a written state's events are rejected");
			free(buf);
			check_state(&h, compact);
		}
		return 0;
	}

	if (wf_state_read_header(data, size, &h) != WF_STATE_OK)
		return 0;
	FUZZ_CHECK(wf_state_size(h.nevents) == size, "accepted header disagrees with the length");
	events = malloc((h.nevents ? h.nevents : 1) * sizeof(wf_event));
	if (wf_state_read_events(data, &h, events) == WF_STATE_OK)
	{
		unsigned char *again = malloc(size);

		wf_state_write(again, &h, events);
		FUZZ_CHECK(memcmp(again, data, size) == 0, "accepted state does not serialise back to itself");
		free(again);
		/* keep the computation small: huge-window strict_once can explode */
		if (h.nevents <= 256)
			check_state(&h, events);
	}
	free(events);
	return 0;
}
