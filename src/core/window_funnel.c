/*
 * window_funnel.c - ClickHouse windowFunnel semantics (backend-free core)
 *
 * The computation follows ClickHouse's documented and tested behaviour
 * (including its fix for strict_deduplication, which returns the highest
 * level reached before the repeat); doc/window_funnel.md describes each
 * mode, and test/differential compares the two on random data.
 *
 * Events (one per row, with a bit set of matched steps) are first expanded
 * into "pairs" (timestamp, step, row) ordered by timestamp, then step, then
 * arrival: that is the order in which steps are taken.
 */
#include "window_funnel.h"

#include "core_alloc.h"

#include <stdbool.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Modes
 * ------------------------------------------------------------------------
 */
static const struct
{
	const char *name;
	uint32_t	flag;
}			mode_names[] = {
	{"strict_deduplication", WF_STRICT_DEDUPLICATION},
	{"strict_order", WF_STRICT_ORDER},
	{"strict_increase", WF_STRICT_INCREASE},
	{"strict_once", WF_STRICT_ONCE},
	{"allow_reentry", WF_ALLOW_REENTRY},
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* ASCII case-insensitive comparison of [s, s+len) with a lower-case name */
static bool
item_is(const char *s, size_t len, const char *name)
{
	if (strlen(name) != len)
		return false;
	for (size_t i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		if (c != name[i])
			return false;
	}
	return true;
}

wf_mode_status
wf_parse_mode(const char *s, size_t len, uint32_t *flags,
			  size_t *bad_start, size_t *bad_len)
{
	size_t		pos = 0;
	bool		all_blank = true;

	*flags = 0;
	*bad_start = 0;
	*bad_len = 0;
	for (size_t i = 0; i < len; i++)
		if (!is_blank(s[i]))
			all_blank = false;
	if (all_blank)
		return WF_MODE_OK;

	while (pos <= len)
	{
		size_t		end = pos;
		size_t		start;
		size_t		stop;
		bool		known = false;

		while (end < len && s[end] != ',')
			end++;
		start = pos;
		stop = end;
		while (start < stop && is_blank(s[start]))
			start++;
		while (stop > start && is_blank(s[stop - 1]))
			stop--;
		*bad_start = start;
		*bad_len = stop - start;
		if (start == stop)
			return WF_MODE_EMPTY_ITEM;
		for (size_t m = 0; m < sizeof(mode_names) / sizeof(mode_names[0]); m++)
		{
			if (item_is(s + start, stop - start, mode_names[m].name))
			{
				*flags |= mode_names[m].flag;
				known = true;
				break;
			}
		}
		if (!known)
			return item_is(s + start, stop - start, "strict") ?
				WF_MODE_STRICT_RENAMED : WF_MODE_UNKNOWN;
		pos = end + 1;
	}
	*bad_start = 0;
	*bad_len = 0;
	if ((*flags & WF_ALLOW_REENTRY) && !(*flags & WF_STRICT_ORDER))
		return WF_MODE_REENTRY_WITHOUT_ORDER;
	return WF_MODE_OK;
}

/* ------------------------------------------------------------------------
 * Sorting: stable bottom-up merge sort by timestamp
 * ------------------------------------------------------------------------
 */
int
wf_sort_events(wf_event *events, size_t n)
{
	wf_event   *buffer;
	wf_event   *from = events;
	wf_event   *to;
	size_t		i;

	for (i = 1; i < n; i++)
		if (events[i].ts < events[i - 1].ts)
			break;
	if (i >= n)
		return 0;				/* already sorted: the usual case */

	if (n <= 32)
	{
		/* small groups: a stable insertion sort, no buffer */
		for (i = 1; i < n; i++)
		{
			wf_event	x = events[i];
			size_t		j = i;

			while (j > 0 && events[j - 1].ts > x.ts)
			{
				events[j] = events[j - 1];
				j--;
			}
			events[j] = x;
		}
		return 0;
	}

	buffer = core_alloc(n * sizeof(wf_event));
	if (buffer == NULL)
		return -1;
	to = buffer;
	for (size_t width = 1; width < n; width *= 2)
	{
		for (size_t lo = 0; lo < n; lo += 2 * width)
		{
			size_t		mid = lo + width < n ? lo + width : n;
			size_t		hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t		a = lo,
						b = mid,
						o = lo;

			while (a < mid && b < hi)
				to[o++] = (from[b].ts < from[a].ts) ? from[b++] : from[a++];
			while (a < mid)
				to[o++] = from[a++];
			while (b < hi)
				to[o++] = from[b++];
		}
		core_check_interrupts();
		{
			wf_event   *swap = from;

			from = to;
			to = swap;
		}
	}
	if (from != events)
		memcpy(events, from, n * sizeof(wf_event));
	core_free(buffer);
	return 0;
}

/* ------------------------------------------------------------------------
 * Expansion into (timestamp, step, row) pairs
 * ------------------------------------------------------------------------
 */
typedef struct wf_pair
{
	int64_t		ts;
	uint32_t	row;			/* arrival order: distinguishes rows (strict_once) */
	uint8_t		step;			/* 1..64; 0 = the row matched no step */
} wf_pair;

/* Bits set in x (SWAR: no popcnt instruction is assumed) */
static int
popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
	return (int) ((x * 0x0101010101010101ULL) >> 56);
}

static size_t
count_pairs(const wf_event *events, size_t n)
{
	size_t		count = 0;

	for (size_t i = 0; i < n; i++)
		count += events[i].steps ? (size_t) popcount64(events[i].steps) : 1;
	return count;
}

/*
 * Within each run of equal timestamps, rows that matched nothing come first,
 * then every step in ascending order, and for one step the rows in arrival
 * order.
 */
static void
expand_pairs(const wf_event *events, size_t n, wf_pair *pairs)
{
	size_t		out = 0;
	size_t		i = 0;

	while (i < n)
	{
		size_t		j = i;
		uint64_t	all_steps = 0;

		while (j < n && events[j].ts == events[i].ts)
			all_steps |= events[j++].steps;

		for (size_t r = i; r < j; r++)
			if (events[r].steps == 0)
				pairs[out++] = (wf_pair) {events[r].ts, (uint32_t) r, 0};
		while (all_steps)
		{
			int			bit = __builtin_ctzll(all_steps);
			uint64_t	mask = (uint64_t) 1 << bit;

			for (size_t r = i; r < j; r++)
				if (events[r].steps & mask)
					pairs[out++] = (wf_pair) {events[r].ts, (uint32_t) r, (uint8_t) (bit + 1)};
			all_steps &= ~mask;
		}
		i = j;
		if ((i & 0xFFFF) == 0)
			core_check_interrupts();
	}
}

/* ts - first <= window, for ts >= first, without overflow */
static bool
within_window(int64_t first, int64_t ts, uint64_t window)
{
	return (uint64_t) ts - (uint64_t) first <= window;
}

/* ------------------------------------------------------------------------
 * The default computation: one chain remembered per level
 * ------------------------------------------------------------------------
 */
typedef struct level_chain
{
	bool		reached;
	int64_t		first;			/* timestamp of the chain's step 1 */
	int64_t		last;			/* timestamp of its latest step */
} level_chain;

/* Number of levels reached: levels are reached in order, so count them. */
static int
levels_reached(const level_chain *chains, int nsteps)
{
	int			level = 0;

	while (level < nsteps && chains[level].reached)
		level++;
	return level;
}

static int
level_one_chain(const wf_pair *pairs, size_t npairs, int nsteps, uint64_t window,
				uint32_t flags, int64_t *step_ts)
{
	level_chain chains[WF_MAX_STEPS];
	/* with step_ts: the steps of the chain remembered at each level */
	int64_t    *paths = NULL;
	int			best = 0;
	bool		seen_first_step = false;

	memset(chains, 0, (size_t) nsteps * sizeof(level_chain));
	if (step_ts)
	{
		paths = core_alloc((size_t) nsteps * (size_t) nsteps * sizeof(int64_t));
		if (paths == NULL)
			return WF_LEVEL_NO_MEMORY;
	}

	for (size_t i = 0; i < npairs; i++)
	{
		int64_t		ts = pairs[i].ts;
		int			idx = (int) pairs[i].step - 1;

		if ((i & 0xFFFF) == 0xFFFF)
			core_check_interrupts();
		if (idx < 0)
		{
			/* strict_order: a row that matched no step breaks a started chain */
			if (seen_first_step)
				break;
			continue;
		}
		if (idx == 0)
		{
			chains[0] = (level_chain) {true, ts, ts};
			seen_first_step = true;
			if (paths)
				paths[0] = ts;
		}
		else if ((flags & WF_STRICT_DEDUPLICATION) && chains[idx].reached)
			break;				/* a repeated step ends the search */
		else if ((flags & WF_STRICT_ORDER) && seen_first_step && !chains[idx - 1].reached)
		{
			if (flags & WF_ALLOW_REENTRY)
				continue;		/* a step ahead of the chain is ignored */
			break;
		}
		else if (chains[idx - 1].reached)
		{
			const level_chain *prev = &chains[idx - 1];

			if (!within_window(prev->first, ts, window))
				continue;
			if ((flags & WF_STRICT_INCREASE) && !(prev->last < ts))
				continue;
			chains[idx] = (level_chain) {true, prev->first, ts};
			if (paths)
			{
				memcpy(paths + (size_t) idx * nsteps, paths + (size_t) (idx - 1) * nsteps,
					   (size_t) idx * sizeof(int64_t));
				paths[(size_t) idx * nsteps + idx] = ts;
			}
		}
		else
			continue;

		if (idx + 1 > best)
		{
			best = idx + 1;
			if (step_ts)
				memcpy(step_ts, paths + (size_t) idx * nsteps, (size_t) best * sizeof(int64_t));
		}
		if (best == nsteps)
			break;
	}
	core_free(paths);
	return levels_reached(chains, nsteps);
}

/* ------------------------------------------------------------------------
 * strict_once: every partial chain is kept, so that no row serves twice
 * in one chain
 * ------------------------------------------------------------------------
 */
typedef struct chain
{
	int64_t		first;
	int64_t		last;
	/* rows[0..level], then (with step_ts) ts[0..level] follow */
	uint32_t	rows[];
} chain;

typedef struct chain_list
{
	chain	  **items;
	size_t		len;
	size_t		cap;
} chain_list;

/* Bump allocator for chains, freed all at once */
typedef struct arena_block
{
	struct arena_block *next;
	size_t		used;
	size_t		size;
	unsigned char data[];
} arena_block;

typedef struct once_ctx
{
	chain_list	levels[WF_MAX_STEPS];
	arena_block *arena;
	size_t		nchains;
	bool		track_ts;
	int			nsteps;
} once_ctx;

static void *
arena_alloc(once_ctx *ctx, size_t size)
{
	arena_block *block = ctx->arena;

	size = (size + 7) & ~(size_t) 7;
	if (block == NULL || block->size - block->used < size)
	{
		size_t		block_size = size > 65536 ? size : 65536;

		block = core_alloc(sizeof(arena_block) + block_size);
		if (block == NULL)
			return NULL;
		block->next = ctx->arena;
		block->used = 0;
		block->size = block_size;
		ctx->arena = block;
	}
	block->used += size;
	return block->data + block->used - size;
}

static size_t
chain_size(const once_ctx *ctx, int level)
{
	size_t		slots = (size_t) level + 1;

	return sizeof(chain) + slots * sizeof(uint32_t) +
		(ctx->track_ts ? slots * sizeof(int64_t) : 0);
}

static int64_t *
chain_ts(const chain *c, int level)
{
	/* the timestamps follow the rows, 8-byte aligned */
	size_t		offset = sizeof(chain) + ((size_t) level + 1) * sizeof(uint32_t);

	offset = (offset + 7) & ~(size_t) 7;
	return (int64_t *) ((unsigned char *) c + offset);
}

/* Append a new chain at `level`; NULL if memory or the chain limit ran out. */
static chain *
add_chain(once_ctx *ctx, int level, int *failure)
{
	chain_list *list = &ctx->levels[level];
	chain	   *c;

	if (ctx->nchains >= WF_MAX_CHAINS)
	{
		*failure = WF_LEVEL_TOO_LARGE;
		return NULL;
	}
	if (list->len == list->cap)
	{
		size_t		cap = list->cap ? list->cap * 2 : 16;
		chain	  **items = core_alloc(cap * sizeof(chain *));

		if (items == NULL)
		{
			*failure = WF_LEVEL_NO_MEMORY;
			return NULL;
		}
		if (list->len)
			memcpy(items, list->items, list->len * sizeof(chain *));
		core_free(list->items);
		list->items = items;
		list->cap = cap;
	}
	c = arena_alloc(ctx, chain_size(ctx, level) + 8);
	if (c == NULL)
	{
		*failure = WF_LEVEL_NO_MEMORY;
		return NULL;
	}
	list->items[list->len++] = c;
	ctx->nchains++;
	return c;
}

static void
free_once_ctx(once_ctx *ctx)
{
	for (int i = 0; i < WF_MAX_STEPS; i++)
		core_free(ctx->levels[i].items);
	while (ctx->arena)
	{
		arena_block *next = ctx->arena->next;

		core_free(ctx->arena);
		ctx->arena = next;
	}
}

static int
highest_nonempty_level(const once_ctx *ctx)
{
	for (int level = ctx->nsteps; level > 0; level--)
		if (ctx->levels[level - 1].len > 0)
			return level;
	return 0;
}

static int
first_empty_level(const once_ctx *ctx)
{
	for (int level = 0; level < ctx->nsteps; level++)
		if (ctx->levels[level].len == 0)
			return level;
	return ctx->nsteps;
}

/*
 * Extend every chain of level idx-1 that can take this row as step idx+1.
 * Chains out of the window are dropped, but the last one is always kept (as
 * ClickHouse does).  Returns the new best level, or a failure.
 *
 * When this row takes the search to a new best level through several chains
 * at once, the steps reported are those of the chain that started last - as
 * in the default computation, which keeps only the latest chain per level.
 */
static int
extend_chains(once_ctx *ctx, int idx, const wf_pair *p, uint64_t window,
			  uint32_t flags, int best, int64_t *step_ts)
{
	chain_list *prev = &ctx->levels[idx - 1];
	size_t		live = prev->len;
	size_t		kept = 0;
	const chain *best_parent = NULL;

	for (size_t r = 0; r < prev->len; r++)
	{
		chain	   *c = prev->items[r];
		bool		matched = within_window(c->first, p->ts, window);

		if (!matched && live > 1)
		{
			live--;				/* dropped: out of the window for good */
			continue;
		}
		prev->items[kept++] = c;
		for (int j = 0; matched && j < idx; j++)
			matched = c->rows[j] != p->row;
		if (matched && (flags & WF_STRICT_INCREASE))
			matched = c->last < p->ts;
		if (!matched)
			continue;
		if (idx + 1 > best && (best_parent == NULL || c->first >= best_parent->first))
			best_parent = c;
		/* a complete chain need not be kept: the search ends with it */
		if (idx + 1 < ctx->nsteps)
		{
			int			failure = 0;
			chain	   *next = add_chain(ctx, idx, &failure);

			if (next == NULL)
				return failure;
			next->first = c->first;
			next->last = p->ts;
			memcpy(next->rows, c->rows, (size_t) idx * sizeof(uint32_t));
			next->rows[idx] = p->row;
			if (ctx->track_ts)
			{
				memcpy(chain_ts(next, idx), chain_ts(c, idx - 1), (size_t) idx * sizeof(int64_t));
				chain_ts(next, idx)[idx] = p->ts;
			}
		}
	}
	prev->len = kept;
	if (best_parent != NULL)
	{
		best = idx + 1;
		if (step_ts)
		{
			memcpy(step_ts, chain_ts(best_parent, idx - 1), (size_t) idx * sizeof(int64_t));
			step_ts[idx] = p->ts;
		}
	}
	return best;
}

static int
level_strict_once(const wf_pair *pairs, size_t npairs, int nsteps, uint64_t window,
				  uint32_t flags, int64_t *step_ts)
{
	once_ctx	ctx;
	bool		seen_first_step = false;
	int			best = 0;
	int			result = -3;	/* set on every way out */

	memset(&ctx, 0, sizeof(ctx));
	ctx.track_ts = (step_ts != NULL);
	ctx.nsteps = nsteps;

	for (size_t i = 0; i < npairs && result == -3; i++)
	{
		const wf_pair *p = &pairs[i];
		int			idx = (int) p->step - 1;

		if ((i & 0x3FF) == 0x3FF)
			core_check_interrupts();
		if (idx < 0)
		{
			if (seen_first_step)
				result = highest_nonempty_level(&ctx);
			continue;
		}
		if (idx == 0)
		{
			int			failure = 0;
			chain	   *c = add_chain(&ctx, 0, &failure);

			if (c == NULL)
				result = failure;
			else
			{
				c->first = c->last = p->ts;
				c->rows[0] = p->row;
				if (ctx.track_ts)
					chain_ts(c, 0)[0] = p->ts;
				seen_first_step = true;
				if (best == 0)
				{
					best = 1;
					if (step_ts)
						step_ts[0] = p->ts;
				}
				if (best == nsteps)
					result = best;
			}
		}
		else if ((flags & WF_STRICT_DEDUPLICATION) && ctx.levels[idx].len > 0)
			result = highest_nonempty_level(&ctx);
		else if ((flags & WF_STRICT_ORDER) && seen_first_step && ctx.levels[idx - 1].len == 0)
		{
			if (!(flags & WF_ALLOW_REENTRY))
				result = first_empty_level(&ctx);
		}
		else if (ctx.levels[idx - 1].len > 0)
		{
			best = extend_chains(&ctx, idx, p, window, flags, best, step_ts);
			if (best < 0 || best == nsteps)
				result = best;
		}
	}
	if (result == -3)
		result = highest_nonempty_level(&ctx);
	free_once_ctx(&ctx);
	return result;
}

/* Pairs held on the stack before wf_level allocates */
#define STACK_PAIRS 128

int
wf_level(const wf_event *events, size_t n, int nsteps, uint64_t window,
		 uint32_t flags, int64_t *step_ts)
{
	wf_pair		stack_pairs[STACK_PAIRS];
	size_t		npairs;
	wf_pair    *pairs;
	int			level;

	if (n == 0)
		return 0;
	if (!(flags & WF_STRICT_ORDER) && nsteps == 1)
	{
		/* any stored event matched the only step */
		if (step_ts)
			step_ts[0] = events[0].ts;
		return 1;
	}

	npairs = count_pairs(events, n);
	/* most groups are small: no allocation for them */
	if (npairs <= STACK_PAIRS)
		pairs = stack_pairs;
	else if ((pairs = core_alloc(npairs * sizeof(wf_pair))) == NULL)
		return WF_LEVEL_NO_MEMORY;
	expand_pairs(events, n, pairs);
	if (flags & WF_STRICT_ONCE)
		level = level_strict_once(pairs, npairs, nsteps, window, flags, step_ts);
	else
		level = level_one_chain(pairs, npairs, nsteps, window, flags, step_ts);
	if (pairs != stack_pairs)
		core_free(pairs);
	return level;
}

/* ------------------------------------------------------------------------
 * Serialised state
 * ------------------------------------------------------------------------
 */
static void
put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char) (v >> (8 * i));
}

static uint64_t
get_u64(const unsigned char *p)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v |= (uint64_t) p[i] << (8 * i);
	return v;
}

static void
put_u32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char) (v >> (8 * i));
}

static uint32_t
get_u32(const unsigned char *p)
{
	uint32_t	v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t) p[i] << (8 * i);
	return v;
}

/*
 * Layout: version (1), nsteps (1), flags (4), window (8), sorted (1),
 * nevents (8), then per event ts (8) and steps (8).
 */
size_t
wf_state_size(uint64_t nevents)
{
	if (nevents > WF_STATE_MAX_EVENTS)
		return 0;
	return WF_STATE_HEADER_SIZE + (size_t) nevents * 16;
}

void
wf_state_write(unsigned char *out, const wf_state_header *header,
			   const wf_event *events)
{
	out[0] = WF_STATE_VERSION;
	out[1] = (unsigned char) header->nsteps;
	put_u32(out + 2, header->flags);
	put_u64(out + 6, header->window);
	out[14] = header->sorted ? 1 : 0;
	put_u64(out + 15, header->nevents);
	out += WF_STATE_HEADER_SIZE;
	for (uint64_t i = 0; i < header->nevents; i++, out += 16)
	{
		put_u64(out, (uint64_t) events[i].ts);
		put_u64(out + 8, events[i].steps);
	}
}

wf_state_status
wf_state_read_header(const unsigned char *in, size_t len, wf_state_header *header)
{
	size_t		expected;

	if (len < 1)
		return WF_STATE_TRUNCATED;
	if (in[0] != WF_STATE_VERSION)
		return WF_STATE_BAD_VERSION;
	if (len < WF_STATE_HEADER_SIZE)
		return WF_STATE_TRUNCATED;
	header->nsteps = in[1];
	header->flags = get_u32(in + 2);
	header->window = get_u64(in + 6);
	header->sorted = in[14];
	header->nevents = get_u64(in + 15);
	if (header->nsteps < 1 || header->nsteps > WF_MAX_STEPS ||
		(header->flags & ~WF_ALL_MODES) != 0 ||
		((header->flags & WF_ALLOW_REENTRY) && !(header->flags & WF_STRICT_ORDER)) ||
		header->sorted > 1 || header->nevents > WF_STATE_MAX_EVENTS)
		return WF_STATE_BAD_HEADER;
	expected = wf_state_size(header->nevents);
	if (len < expected)
		return WF_STATE_TRUNCATED;
	if (len > expected)
		return WF_STATE_BAD_LENGTH;
	return WF_STATE_OK;
}

wf_state_status
wf_state_read_events(const unsigned char *in, const wf_state_header *header,
					 wf_event *events)
{
	uint64_t	allowed = header->nsteps == 64 ? ~(uint64_t) 0 :
		(((uint64_t) 1 << header->nsteps) - 1);

	in += WF_STATE_HEADER_SIZE;
	for (uint64_t i = 0; i < header->nevents; i++, in += 16)
	{
		events[i].ts = (int64_t) get_u64(in);
		events[i].steps = get_u64(in + 8);
		if ((events[i].steps & ~allowed) != 0 ||
			(events[i].steps == 0 && !(header->flags & WF_STRICT_ORDER)))
			return WF_STATE_BAD_EVENT;
		if (header->sorted && i > 0 && events[i].ts < events[i - 1].ts)
			return WF_STATE_BAD_EVENT;
	}
	return WF_STATE_OK;
}
