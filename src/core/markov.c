/*
 * markov.c - Markov attribution models (backend-free core); see markov.h
 */
#include "markov.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_alloc.h"
#include "label.h"
#include "strtab.h"

typedef unsigned __int128 u128;

#define NO_CHANNEL		UINT32_MAX
/* target ids inside the builder (state ids grow as states are added) */
#define B_CONV			(UINT32_MAX - 1)
#define B_NULL			UINT32_MAX
#define UNIT			((u128) 1000000000000000000ULL)	/* 1e18 */

static void
set_error(mk_error *err, mk_status status, const char *detail)
{
	if (err == NULL)
		return;
	err->status = status;
	snprintf(err->detail, sizeof(err->detail), "%s", detail ? detail : "");
}

/* ---------------------------------------------------------------------------
 * Little-endian bytes and amounts
 */

static uint32_t
get_le32(const unsigned char *p)
{
	return (uint32_t) p[0] | ((uint32_t) p[1] << 8) | ((uint32_t) p[2] << 16) | ((uint32_t) p[3] << 24);
}

static uint64_t
get_le64(const unsigned char *p)
{
	return (uint64_t) get_le32(p) | ((uint64_t) get_le32(p + 4) << 32);
}

static void
put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char) v;
	p[1] = (unsigned char) (v >> 8);
	p[2] = (unsigned char) (v >> 16);
	p[3] = (unsigned char) (v >> 24);
}

static void
put_le64(unsigned char *p, uint64_t v)
{
	put_le32(p, (uint32_t) v);
	put_le32(p + 4, (uint32_t) (v >> 32));
}

static u128
to_u128(mk_amount a)
{
	return ((u128) a.hi << 64) | a.lo;
}

static mk_amount
from_u128(u128 v)
{
	mk_amount	a;

	a.lo = (uint64_t) v;
	a.hi = (uint64_t) (v >> 64);
	return a;
}

static mk_amount
get_amount(const unsigned char *p)
{
	mk_amount	a;

	a.lo = get_le64(p);
	a.hi = get_le64(p + 8);
	return a;
}

static void
put_amount(unsigned char *p, mk_amount a)
{
	put_le64(p, a.lo);
	put_le64(p + 8, a.hi);
}

static bool
amount_is_zero(mk_amount a)
{
	return a.lo == 0 && a.hi == 0;
}

/* *sum += a; false on overflow */
static bool
amount_add(mk_amount *sum, mk_amount a)
{
	u128		r;

	if (__builtin_add_overflow(to_u128(*sum), to_u128(a), &r))
		return false;
	*sum = from_u128(r);
	return true;
}

double
mk_amount_to_double(mk_amount a)
{
	u128		v = to_u128(a);

	return (double) (v / UNIT) + (double) (uint64_t) (v % UNIT) / 1e18;
}

void
mk_amount_format(mk_amount a, char *buf)
{
	u128		v = to_u128(a);
	u128		ip = v / UNIT;
	uint64_t	frac = (uint64_t) (v % UNIT);
	char		digits[48];
	int			n = 0;
	size_t		len;

	do
	{
		digits[n++] = (char) ('0' + (int) (ip % 10));
		ip /= 10;
	} while (ip != 0);
	for (int i = 0; i < n; i++)
		buf[i] = digits[n - 1 - i];
	buf[n] = '\0';
	if (frac != 0)
	{
		snprintf(buf + n, 21, ".%018llu", (unsigned long long) frac);
		len = strlen(buf);
		while (buf[len - 1] == '0')
			buf[--len] = '\0';
	}
}

/*
 * Decimal text (digits, optional '.' and digits, optional exponent) to an
 * amount, rounding half up beyond 18 decimals.
 */
static mk_status
parse_decimal(const char *s, size_t len, size_t *used, mk_amount *out)
{
	char		mant[64];
	int			nmant = 0;
	int			point = -1;		/* digits before the point */
	long		exp10 = 0;
	size_t		pos = 0;
	u128		v = 0;
	int			lead;

	while (pos < len && ((s[pos] >= '0' && s[pos] <= '9') || (s[pos] == '.' && point < 0)))
	{
		if (s[pos] == '.')
			point = nmant;
		else if (nmant == 0 && s[pos] == '0' && point < 0)
			;					/* leading zero of the integer part */
		else
		{
			if (nmant >= (int) sizeof(mant))
				return MK_OVERFLOW;
			mant[nmant++] = s[pos];
		}
		pos++;
	}
	if (pos == 0 || (pos == 1 && s[0] == '.'))
		return MK_SYNTAX;
	if (point < 0)
		point = nmant;
	if (pos < len && (s[pos] == 'e' || s[pos] == 'E'))
	{
		int			sign = 1;
		size_t		start;

		pos++;
		if (pos < len && (s[pos] == '+' || s[pos] == '-'))
			sign = s[pos++] == '-' ? -1 : 1;
		start = pos;
		while (pos < len && s[pos] >= '0' && s[pos] <= '9')
		{
			if (exp10 < 100000)
				exp10 = exp10 * 10 + (s[pos] - '0');
			pos++;
		}
		if (pos == start)
			return MK_SYNTAX;
		exp10 *= sign;
	}
	*used = pos;

	/*
	 * The value is 0.mant * 10^(point + exp10) scaled by 1e18: digit i of mant
	 * (0-based) has weight 10^(point + exp10 - 1 - i + 18) units.
	 */
	lead = (int) ((long) point + exp10 + 18);	/* digits of mant that are whole units */
	for (int i = 0; i < nmant; i++)
	{
		if (i < lead)
		{
			if (__builtin_mul_overflow(v, (u128) 10, &v) ||
				__builtin_add_overflow(v, (u128) (mant[i] - '0'), &v))
				return MK_OVERFLOW;
		}
		else
		{
			if (i == lead && mant[i] >= '5' && __builtin_add_overflow(v, (u128) 1, &v))
				return MK_OVERFLOW;
			break;
		}
	}
	for (int i = nmant; i < lead; i++)
	{
		if (v != 0 && __builtin_mul_overflow(v, (u128) 10, &v))
			return MK_OVERFLOW;
	}
	*out = from_u128(v);
	return MK_OK;
}

mk_amount
mk_amount_from_uint(uint64_t k)
{
	return from_u128((u128) k * UNIT);
}

mk_amount
mk_amount_from_millionths(uint64_t k)
{
	return from_u128((u128) k * (UNIT / 1000000));
}

mk_status
mk_amount_from_decimal(const char *s, size_t len, mk_amount *out)
{
	size_t		used;
	mk_status	status;

	if (len > 0 && s[0] == '-')
		return MK_BAD_AMOUNT;
	status = parse_decimal(s, len, &used, out);
	if (status == MK_OK && used != len)
		return MK_SYNTAX;
	return status;
}

mk_status
mk_amount_from_double(double d, mk_amount *out)
{
	char		buf[40];
	size_t		used;

	if (isnan(d) || isinf(d) || d < 0)
		return MK_BAD_AMOUNT;
	/* whole numbers (counts, mostly) exactly and fast */
	if (d < 9007199254740992.0 && d == (double) (uint64_t) d)
	{
		*out = from_u128((u128) (uint64_t) d * UNIT);
		return MK_OK;
	}
	/* the shortest decimal that reads back as d: what the user wrote */
	for (int precision = 1; precision <= 17; precision++)
	{
		snprintf(buf, sizeof(buf), "%.*e", precision - 1, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	return parse_decimal(buf, strlen(buf), &used, out);
}

/* ---------------------------------------------------------------------------
 * Builder
 */

typedef struct mk_state
{
	uint32_t	channel[MK_MAX_ORDER];	/* NO_CHANNEL after the last */
} mk_state;

#define SHORT_CACHE_SIZE 256		/* power of two */

struct mk_builder
{
	int			order;
	strtab		channels;

	/*
	 * Labels of up to 16 bytes -> channel id without hashing the bytes: a
	 * direct-mapped cache keyed by the label's two 8-byte words and length.
	 */
	struct
	{
		uint64_t	w1;
		uint64_t	w2;
		uint32_t	len;		/* 0: empty slot */
		uint32_t	id;
	}			short_cache[SHORT_CACHE_SIZE];

	/* order 1: the state id of each channel (0: none yet) */
	uint32_t   *channel_state;
	uint32_t	channel_state_cap;

	uint32_t	nstates;
	uint32_t	state_cap;
	mk_state   *states;			/* states[i] is state id i + 1 */
	mk_amount  *values;
	uint32_t   *state_slots;	/* id, 0 free */
	uint32_t	state_nslots;

	uint32_t	nedges;
	uint32_t	edge_cap;
	uint32_t   *edge_from;
	uint32_t   *edge_to;
	mk_amount  *edge_weight;
	uint32_t   *edge_slots;		/* index + 1, 0 free */
	uint32_t	edge_nslots;

	/*
	 * While a model has at most DENSE_STATES states (order 1 has one per
	 * channel), transitions are also found by a direct index, without
	 * hashing: dense[from * DENSE_WIDTH + column] = edge index + 1.
	 */
	uint32_t   *dense;
	bool		dense_dropped;
};

#define DENSE_STATES	62
#define DENSE_WIDTH		64		/* states 1..62 in columns 0..61, conversion 62, null 63 */

mk_builder *
mk_builder_new(int order)
{
	mk_builder *b;

	if (order < 1 || order > MK_MAX_ORDER)
		return NULL;
	b = core_alloc(sizeof(mk_builder));
	if (b == NULL)
		return NULL;
	memset(b, 0, sizeof(*b));
	b->order = order;
	return b;
}

void
mk_builder_free(mk_builder *b)
{
	if (b == NULL)
		return;
	strtab_free(&b->channels);
	core_free(b->channel_state);
	core_free(b->states);
	core_free(b->values);
	core_free(b->state_slots);
	core_free(b->edge_from);
	core_free(b->edge_to);
	core_free(b->edge_weight);
	core_free(b->edge_slots);
	core_free(b->dense);
	core_free(b);
}

int
mk_builder_order(const mk_builder *b)
{
	return b->order;
}

size_t
mk_builder_memory(const mk_builder *b)
{
	return sizeof(*b) + b->channels.bytes_cap + (size_t) b->channels.cap * 4 +
		(size_t) b->channels.nslots * 4 +
		(size_t) b->state_cap * (sizeof(mk_state) + sizeof(mk_amount)) +
		(size_t) b->state_nslots * 4 +
		(size_t) b->edge_cap * (8 + sizeof(mk_amount)) + (size_t) b->edge_nslots * 4;
}

static uint32_t
state_hash(const mk_state *s)
{
	uint32_t	h = 2166136261u;

	for (int i = 0; i < MK_MAX_ORDER; i++)
	{
		h ^= s->channel[i];
		h *= 16777619u;
		h ^= h >> 15;
	}
	return h;
}

static uint32_t
edge_hash(uint32_t from, uint32_t to)
{
	uint64_t	k = ((uint64_t) from << 32) | to;

	k ^= k >> 33;
	k *= UINT64_C(0xff51afd7ed558ccd);
	k ^= k >> 33;
	return (uint32_t) k;
}

/* Resize an array of elem-sized items from cap to new_cap (copying count). */
static void *
resize(void *old, size_t count, size_t new_cap, size_t elem)
{
	void	   *p = core_alloc(new_cap * elem);

	if (p == NULL)
		return NULL;
	if (old)
	{
		memcpy(p, old, count * elem);
		core_free(old);
	}
	return p;
}

static bool
state_rehash(mk_builder *b, uint32_t nslots)
{
	uint32_t   *slots = core_alloc((size_t) nslots * 4);

	if (slots == NULL)
		return false;
	memset(slots, 0, (size_t) nslots * 4);
	for (uint32_t id = 1; id <= b->nstates; id++)
	{
		uint32_t	i = state_hash(&b->states[id - 1]) & (nslots - 1);

		while (slots[i] != 0)
			i = (i + 1) & (nslots - 1);
		slots[i] = id;
	}
	core_free(b->state_slots);
	b->state_slots = slots;
	b->state_nslots = nslots;
	return true;
}

/* The id (1..) of state s, added if new; 0 with *status set on failure. */
static uint32_t
builder_state(mk_builder *b, const mk_state *s, mk_status *status, mk_error *err)
{
	uint32_t	i;

	if (b->state_nslots == 0 && !state_rehash(b, 64))
		goto no_memory;
	i = state_hash(s) & (b->state_nslots - 1);
	while (b->state_slots[i] != 0)
	{
		uint32_t	id = b->state_slots[i];

		if (memcmp(&b->states[id - 1], s, sizeof(mk_state)) == 0)
			return id;
		i = (i + 1) & (b->state_nslots - 1);
	}
	if (b->nstates >= MK_MAX_STATES)
	{
		char		detail[200];

		snprintf(detail, sizeof(detail),
				 "A model holds at most %d distinct states; this one needs more (order %d).",
				 MK_MAX_STATES, b->order);
		set_error(err, MK_TOO_MANY_STATES, detail);
		*status = MK_TOO_MANY_STATES;
		return 0;
	}
	if (b->nstates == b->state_cap)
	{
		uint32_t	cap = b->state_cap ? b->state_cap * 2 : 16;
		mk_state   *states = resize(b->states, b->nstates, cap, sizeof(mk_state));
		mk_amount  *values;

		if (states == NULL)
			goto no_memory;
		b->states = states;
		values = resize(b->values, b->nstates, cap, sizeof(mk_amount));
		if (values == NULL)
			goto no_memory;
		b->values = values;
		b->state_cap = cap;
	}
	b->states[b->nstates] = *s;
	b->values[b->nstates].lo = b->values[b->nstates].hi = 0;
	b->state_slots[i] = ++b->nstates;
	if (b->nstates > DENSE_STATES && !b->dense_dropped)
	{
		/* too many states for the direct index: hashing only from now on */
		core_free(b->dense);
		b->dense = NULL;
		b->dense_dropped = true;
	}
	if (b->nstates * 2 > b->state_nslots && !state_rehash(b, b->state_nslots * 2))
		goto no_memory;
	return b->nstates;

no_memory:
	set_error(err, MK_NO_MEMORY, NULL);
	*status = MK_NO_MEMORY;
	return 0;
}

static bool
edge_rehash(mk_builder *b, uint32_t nslots)
{
	uint32_t   *slots = core_alloc((size_t) nslots * 4);

	if (slots == NULL)
		return false;
	memset(slots, 0, (size_t) nslots * 4);
	for (uint32_t e = 0; e < b->nedges; e++)
	{
		uint32_t	i = edge_hash(b->edge_from[e], b->edge_to[e]) & (nslots - 1);

		while (slots[i] != 0)
			i = (i + 1) & (nslots - 1);
		slots[i] = e + 1;
	}
	core_free(b->edge_slots);
	b->edge_slots = slots;
	b->edge_nslots = nslots;
	return true;
}

/* The dense index slot of a transition, or UINT32_MAX if it has none. */
static uint32_t
dense_slot(const mk_builder *b, uint32_t from, uint32_t to)
{
	uint32_t	column;

	if (b->dense == NULL || from > DENSE_STATES)
		return UINT32_MAX;
	if (to == B_CONV)
		column = DENSE_STATES;
	else if (to == B_NULL)
		column = DENSE_STATES + 1;
	else if (to <= DENSE_STATES)
		column = to - 1;
	else
		return UINT32_MAX;
	return from * DENSE_WIDTH + column;
}

/*
 * The common case inline: a transition already in the direct index.
 * false: not handled (the caller calls builder_edge).
 */
static inline bool
edge_add_dense(mk_builder *b, uint32_t from, uint32_t to, mk_amount w)
{
	uint32_t	slot = dense_slot(b, from, to);
	uint32_t	e;

	if (slot == UINT32_MAX || (e = b->dense[slot]) == 0)
		return false;
	return amount_add(&b->edge_weight[e - 1], w);
}

static mk_status
edge_overflow(mk_error *err)
{
	set_error(err, MK_OVERFLOW, "A transition count exceeds the largest count a model holds (about 3.4e20).");
	return MK_OVERFLOW;
}

static mk_status
total_overflow(mk_error *err)
{
	set_error(err, MK_OVERFLOW, "conversions + non_conversions exceeds the largest count a model holds.");
	return MK_OVERFLOW;
}

static mk_status
builder_edge(mk_builder *b, uint32_t from, uint32_t to, mk_amount w, mk_error *err)
{
	uint32_t	i;
	uint32_t	slot;

	if (amount_is_zero(w))
		return MK_OK;
	if (b->dense == NULL && !b->dense_dropped)
	{
		size_t		size = sizeof(uint32_t) * (DENSE_STATES + 1) * DENSE_WIDTH;

		b->dense = core_alloc(size);
		if (b->dense == NULL)
			goto no_memory;
		memset(b->dense, 0, size);
	}
	slot = dense_slot(b, from, to);
	if (slot != UINT32_MAX && b->dense[slot] != 0)
	{
		if (!amount_add(&b->edge_weight[b->dense[slot] - 1], w))
			goto overflow;
		return MK_OK;
	}
	if (b->edge_nslots == 0 && !edge_rehash(b, 64))
		goto no_memory;
	i = edge_hash(from, to) & (b->edge_nslots - 1);
	while (b->edge_slots[i] != 0)
	{
		uint32_t	e = b->edge_slots[i] - 1;

		if (b->edge_from[e] == from && b->edge_to[e] == to)
		{
			if (!amount_add(&b->edge_weight[e], w))
				goto overflow;
			return MK_OK;
		}
		i = (i + 1) & (b->edge_nslots - 1);
	}
	if (b->nedges == b->edge_cap)
	{
		uint32_t	cap = b->edge_cap ? b->edge_cap * 2 : 32;
		uint32_t   *f = resize(b->edge_from, b->nedges, cap, 4);
		uint32_t   *t;
		mk_amount  *wt;

		if (f == NULL)
			goto no_memory;
		b->edge_from = f;
		t = resize(b->edge_to, b->nedges, cap, 4);
		if (t == NULL)
			goto no_memory;
		b->edge_to = t;
		wt = resize(b->edge_weight, b->nedges, cap, sizeof(mk_amount));
		if (wt == NULL)
			goto no_memory;
		b->edge_weight = wt;
		b->edge_cap = cap;
	}
	b->edge_from[b->nedges] = from;
	b->edge_to[b->nedges] = to;
	b->edge_weight[b->nedges] = w;
	b->edge_slots[i] = ++b->nedges;
	if (slot != UINT32_MAX)
		b->dense[slot] = b->nedges;
	if (b->nedges * 2 > b->edge_nslots && !edge_rehash(b, b->edge_nslots * 2))
		goto no_memory;
	return MK_OK;

no_memory:
	set_error(err, MK_NO_MEMORY, NULL);
	return MK_NO_MEMORY;
overflow:
	return edge_overflow(err);
}

static mk_status
builder_value(mk_builder *b, uint32_t state, mk_amount v, mk_error *err)
{
	if (!amount_add(&b->values[state - 1], v))
	{
		set_error(err, MK_OVERFLOW, "A state's value exceeds the largest amount a model holds (about 3.4e20).");
		return MK_OVERFLOW;
	}
	return MK_OK;
}

/* Order 1: remember that channel ch is state id. */
static bool
remember_channel_state(mk_builder *b, uint32_t ch, uint32_t id)
{
	if (ch >= b->channel_state_cap)
	{
		uint32_t	cap = b->channel_state_cap ? b->channel_state_cap : 16;
		uint32_t   *p;

		while (cap <= ch)
			cap *= 2;
		p = core_alloc(sizeof(uint32_t) * cap);
		if (p == NULL)
			return false;
		memset(p, 0, sizeof(uint32_t) * cap);
		if (b->channel_state)
		{
			memcpy(p, b->channel_state, sizeof(uint32_t) * b->channel_state_cap);
			core_free(b->channel_state);
		}
		b->channel_state = p;
		b->channel_state_cap = cap;
	}
	b->channel_state[ch] = id;
	return true;
}

/*
 * The channel id of a label, added if new; STRTAB_NO_MEMORY on failure.
 *
 * Labels of up to 16 bytes are found in a direct-mapped cache keyed by their
 * bytes as two words.  The words are the 16 bytes that end where the label
 * ends, shifted down by what precedes the label: two loads and a shift, with
 * no branch on the length (the labels of a path vary in length from one to
 * the next, and branching on it cost more than the rest of the look-up).
 * before: how many bytes may be read before label (a label in a path body
 * has at least its header and offsets before it, 24 bytes or more).
 */
static uint32_t
builder_channel(mk_builder *b, const char *label, size_t len, size_t before)
{
	uint64_t	lo,
				hi,
				w1,
				w2;
	u128		x;
	uint32_t	slot;
	uint32_t	id;

	if (len == 0 || len > 16 || before < 16 - len)
		return strtab_intern(&b->channels, label, len);
	memcpy(&lo, label + len - 16, 8);
	memcpy(&hi, label + len - 8, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	lo = __builtin_bswap64(lo);
	hi = __builtin_bswap64(hi);
#endif
	x = (((u128) hi << 64) | lo) >> (8 * (16 - len));
	w1 = (uint64_t) x;
	w2 = (uint64_t) (x >> 64);
	slot = (uint32_t) (((w1 * UINT64_C(0x9E3779B97F4A7C15)) ^ (w2 * UINT64_C(0xC2B2AE3D27D4EB4F)) ^ len) >> 56) &
		(SHORT_CACHE_SIZE - 1);
	if (b->short_cache[slot].len == len && b->short_cache[slot].w1 == w1 &&
		b->short_cache[slot].w2 == w2)
		return b->short_cache[slot].id;
	id = strtab_intern(&b->channels, label, len);
	if (id != STRTAB_NO_MEMORY)
	{
		b->short_cache[slot].w1 = w1;
		b->short_cache[slot].w2 = w2;
		b->short_cache[slot].len = (uint32_t) len;
		b->short_cache[slot].id = id;
	}
	return id;
}

/*
 * The end of a path whose last state is `last`: its conversions and
 * non-conversions leave it, and its value is credited to it.  Once both
 * transitions exist, both are added whether zero or not (adding zero changes
 * nothing), which spares two branches that go either way from path to path.
 */
static mk_status
add_path_end(mk_builder *b, uint32_t last, mk_amount conv, mk_amount value,
			 mk_amount nonconv, mk_error *err)
{
	uint32_t	to_conv = dense_slot(b, last, B_CONV);
	mk_status	status;

	if (to_conv != UINT32_MAX && b->dense[to_conv] != 0 && b->dense[to_conv + 1] != 0)
	{
		if (!amount_add(&b->edge_weight[b->dense[to_conv] - 1], conv) ||
			!amount_add(&b->edge_weight[b->dense[to_conv + 1] - 1], nonconv))
			return edge_overflow(err);
	}
	else
	{
		if (!amount_is_zero(conv) && !edge_add_dense(b, last, B_CONV, conv) &&
			(status = builder_edge(b, last, B_CONV, conv, err)) != MK_OK)
			return status;
		if (!amount_is_zero(nonconv) && !edge_add_dense(b, last, B_NULL, nonconv) &&
			(status = builder_edge(b, last, B_NULL, nonconv, err)) != MK_OK)
			return status;
	}
	return builder_value(b, last, value, err);
}

/*
 * Add the chain of states for a sequence of builder channel ids (already
 * collapsed): windows of `order` channels, or the whole sequence if shorter.
 */
static mk_status
add_sequence(mk_builder *b, const uint32_t *seq, uint32_t m, mk_amount conv,
			 mk_amount value, mk_amount nonconv, mk_error *err)
{
	uint32_t	k = (uint32_t) b->order;
	uint32_t	nwindows = m >= k ? m - k + 1 : 1;
	uint32_t	prev = 0;		/* start */
	mk_amount	total = conv;
	mk_status	status = MK_OK;

	if (!amount_add(&total, nonconv))
		return total_overflow(err);
	/* a path with neither conversions nor non-conversions says nothing */
	if (amount_is_zero(total))
		return MK_OK;
	for (uint32_t w = 0; w < nwindows; w++)
	{
		mk_state	s;
		uint32_t	id;

		if (k == 1 && seq[w] < b->channel_state_cap && b->channel_state[seq[w]] != 0)
			id = b->channel_state[seq[w]];
		else
		{
			for (uint32_t i = 0; i < MK_MAX_ORDER; i++)
				s.channel[i] = (i < k && w + i < m) ? seq[w + i] : NO_CHANNEL;
			id = builder_state(b, &s, &status, err);
			if (id == 0)
				return status;
			if (k == 1 && !remember_channel_state(b, seq[w], id))
			{
				set_error(err, MK_NO_MEMORY, NULL);
				return MK_NO_MEMORY;
			}
		}
		if (!edge_add_dense(b, prev, id, total) &&
			(status = builder_edge(b, prev, id, total, err)) != MK_OK)
			return status;
		prev = id;
	}
	return add_path_end(b, prev, conv, value, nonconv, err);
}

#define PATH_STACK 64

mk_status
mk_builder_add_path(mk_builder *b, const void *path_body, mk_amount conversions,
					mk_amount value, mk_amount non_conversions, mk_error *err)
{
	tp_view		v;
	uint32_t	map_stack[PATH_STACK];
	uint32_t	seq_stack[PATH_STACK];
	uint32_t   *map = map_stack;
	uint32_t   *seq = seq_stack;
	uint32_t	m = 0;
	mk_status	status = MK_OK;

	tp_view_init(&v, path_body);
	if (v.ntouches == 0)
		return MK_OK;			/* no channel to credit: ignored */
	if (v.ntouches > PATH_STACK)
	{
		map = core_alloc(sizeof(uint32_t) * v.nchannels);
		seq = core_alloc(sizeof(uint32_t) * v.ntouches);
		if (map == NULL || seq == NULL)
		{
			status = MK_NO_MEMORY;
			goto done;
		}
	}
	for (uint32_t c = 0; c < v.nchannels; c++)
	{
		size_t		len;
		const char *label = tp_view_label(&v, c, &len);

		map[c] = builder_channel(b, label, len, (size_t) (label - (const char *) path_body));
		if (map[c] == STRTAB_NO_MEMORY)
		{
			status = MK_NO_MEMORY;
			goto done;
		}
	}
	/* collapse consecutive repeats */
	for (uint32_t t = 0; t < v.ntouches; t++)
	{
		uint32_t	ch = map[tp_view_channel(&v, t)];

		if (m == 0 || seq[m - 1] != ch)
			seq[m++] = ch;
	}
	status = add_sequence(b, seq, m, conversions, value, non_conversions, err);
done:
	if (status == MK_NO_MEMORY)
		set_error(err, MK_NO_MEMORY, NULL);
	if (map != map_stack)
		core_free(map);
	if (seq != seq_stack)
		core_free(seq);
	return status;
}

/* ---------------------------------------------------------------------------
 * Reading a (valid) body
 */

typedef struct mk_view
{
	int			order;
	uint32_t	nchannels;
	uint32_t	nstates;
	uint32_t	nedges;
	uint32_t	label_bytes;
	const unsigned char *label_ends;
	const char *labels;
	const unsigned char *states;
	const unsigned char *values;
	const unsigned char *edges;
} mk_view;

#define EDGE_SIZE 24

static size_t
pad4(size_t n)
{
	return (n + 3) & ~(size_t) 3;
}

/* The size of a body with these counts. */
static uint64_t
body_size(int order, uint32_t nchannels, size_t label_bytes, uint32_t nstates,
		  uint32_t nedges)
{
	return MK_HEADER_SIZE + (uint64_t) nchannels * 4 + pad4(label_bytes) +
		(uint64_t) nstates * 4 * (uint64_t) order + (uint64_t) nstates * 16 +
		(uint64_t) nedges * EDGE_SIZE;
}

/* Lay out a view over len bytes; false if the sizes do not fit exactly. */
static bool
view_init(mk_view *v, const void *body, size_t len)
{
	const unsigned char *p = body;
	uint64_t	size;

	if (len < MK_HEADER_SIZE)
		return false;
	v->order = p[1];
	v->nchannels = get_le32(p + 4);
	v->nstates = get_le32(p + 8);
	v->nedges = get_le32(p + 12);
	v->label_bytes = get_le32(p + 16);
	if (v->order < 1 || v->order > MK_MAX_ORDER || v->nstates > MK_MAX_STATES ||
		v->nchannels > (uint32_t) MK_MAX_STATES * MK_MAX_ORDER ||
		v->nedges > (uint32_t) (MK_MAX_STATES + 1) * (MK_MAX_STATES + 2))
		return false;
	size = body_size(v->order, v->nchannels, v->label_bytes, v->nstates, v->nedges);
	if (size != len)
		return false;
	v->label_ends = p + MK_HEADER_SIZE;
	v->labels = (const char *) v->label_ends + (size_t) v->nchannels * 4;
	v->states = (const unsigned char *) v->labels + pad4(v->label_bytes);
	v->values = v->states + (size_t) v->nstates * 4 * (size_t) v->order;
	v->edges = v->values + (size_t) v->nstates * 16;
	return true;
}

/* A view of a body known to be valid: its size is what its header implies. */
static bool
view_of_valid(mk_view *v, const void *body)
{
	const unsigned char *p = body;

	return view_init(v, body, (size_t) body_size(p[1], get_le32(p + 4), get_le32(p + 16),
												 get_le32(p + 8), get_le32(p + 12)));
}

static const char *
view_label(const mk_view *v, uint32_t c, size_t *len)
{
	uint32_t	start = c == 0 ? 0 : get_le32(v->label_ends + (size_t) (c - 1) * 4);

	*len = get_le32(v->label_ends + (size_t) c * 4) - start;
	return v->labels + start;
}

/* channel i of state id (1-based), NO_CHANNEL past its end */
static uint32_t
view_state_channel(const mk_view *v, uint32_t id, int i)
{
	if (i >= v->order)
		return NO_CHANNEL;
	return get_le32(v->states + ((size_t) (id - 1) * (size_t) v->order + (size_t) i) * 4);
}

static void
view_edge(const mk_view *v, uint32_t e, uint32_t *from, uint32_t *to, mk_amount *w)
{
	const unsigned char *p = v->edges + (size_t) e * EDGE_SIZE;

	*from = get_le32(p);
	*to = get_le32(p + 4);
	*w = get_amount(p + 8);
}

int
mk_body_order(const void *body)
{
	return ((const unsigned char *) body)[1];
}

mk_status
mk_builder_add_model(mk_builder *b, const void *model_body, mk_error *err)
{
	mk_view		v;
	uint32_t   *chmap;
	uint32_t   *stmap;
	mk_status	status = MK_OK;

	if (!view_of_valid(&v, model_body))
	{
		set_error(err, MK_CORRUPT, NULL);
		return MK_CORRUPT;
	}
	if (v.order != b->order)
	{
		char		detail[200];

		snprintf(detail, sizeof(detail), "The first model has order %d, the second order %d.",
				 b->order, v.order);
		set_error(err, MK_ORDER_MISMATCH, detail);
		return MK_ORDER_MISMATCH;
	}
	chmap = core_alloc(sizeof(uint32_t) * ((size_t) v.nchannels + 1));
	stmap = core_alloc(sizeof(uint32_t) * ((size_t) v.nstates + 3));
	if (chmap == NULL || stmap == NULL)
	{
		status = MK_NO_MEMORY;
		set_error(err, status, NULL);
		goto done;
	}
	for (uint32_t c = 0; c < v.nchannels; c++)
	{
		size_t		len;
		const char *label = view_label(&v, c, &len);

		chmap[c] = strtab_intern(&b->channels, label, len);
		if (chmap[c] == STRTAB_NO_MEMORY)
		{
			status = MK_NO_MEMORY;
			set_error(err, status, NULL);
			goto done;
		}
	}
	stmap[0] = 0;
	for (uint32_t id = 1; id <= v.nstates; id++)
	{
		mk_state	s;

		for (int i = 0; i < MK_MAX_ORDER; i++)
		{
			uint32_t	ch = view_state_channel(&v, id, i);

			s.channel[i] = ch == NO_CHANNEL ? NO_CHANNEL : chmap[ch];
		}
		stmap[id] = builder_state(b, &s, &status, err);
		if (stmap[id] == 0)
			goto done;
		if ((status = builder_value(b, stmap[id], get_amount(v.values + (size_t) (id - 1) * 16), err)) != MK_OK)
			goto done;
	}
	stmap[v.nstates + 1] = B_CONV;
	stmap[v.nstates + 2] = B_NULL;
	for (uint32_t e = 0; e < v.nedges; e++)
	{
		uint32_t	from,
					to;
		mk_amount	w;

		view_edge(&v, e, &from, &to, &w);
		if ((status = builder_edge(b, stmap[from], stmap[to], w, err)) != MK_OK)
			goto done;
	}
done:
	core_free(chmap);
	core_free(stmap);
	return status;
}

/* ---------------------------------------------------------------------------
 * Canonical body
 */

/* qsort has no context argument in C99: sorting goes through these. */
static const mk_builder *sort_builder;
static const uint32_t *sort_channel_rank;

static int
compare_labels(const char *a, size_t alen, const char *b, size_t blen)
{
	int			c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static int
compare_channel_ids(const void *x, const void *y)
{
	size_t		la,
				lb;
	const char *a = strtab_get(&sort_builder->channels, *(const uint32_t *) x, &la);
	const char *b = strtab_get(&sort_builder->channels, *(const uint32_t *) y, &lb);

	return compare_labels(a, la, b, lb);
}

/* States compare by the ranks of their channels; a shorter state first. */
static int
compare_state_ids(const void *x, const void *y)
{
	const mk_state *a = &sort_builder->states[*(const uint32_t *) x - 1];
	const mk_state *b = &sort_builder->states[*(const uint32_t *) y - 1];

	for (int i = 0; i < MK_MAX_ORDER; i++)
	{
		uint64_t	ra = a->channel[i] == NO_CHANNEL ? 0 : (uint64_t) sort_channel_rank[a->channel[i]] + 1;
		uint64_t	rb = b->channel[i] == NO_CHANNEL ? 0 : (uint64_t) sort_channel_rank[b->channel[i]] + 1;

		if (ra != rb)
			return ra < rb ? -1 : 1;
	}
	return 0;
}

typedef struct edge_key
{
	uint32_t	from;
	uint32_t	to;
	uint32_t	index;
} edge_key;

static int
compare_edges(const void *x, const void *y)
{
	const edge_key *a = x;
	const edge_key *b = y;

	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	if (a->to != b->to)
		return a->to < b->to ? -1 : 1;
	return 0;
}

/*
 * The canonical body.  States with no transition and no value (a text
 * literal's "state value 0", say) are left out, and so are channels only
 * they used: they carry no information, and the text form could not show
 * them.
 */
mk_status
mk_builder_finish(const mk_builder *b, void **body, size_t *len, mk_error *err)
{
	uint32_t	nch_all = b->channels.count;
	uint32_t	nst_all = b->nstates;
	uint32_t	ned = b->nedges;
	uint32_t	nch = 0,
				nst = 0;
	size_t		label_bytes = 0;
	uint32_t   *ch_order = core_alloc(sizeof(uint32_t) * ((size_t) nch_all + 1));
	uint32_t   *ch_rank = core_alloc(sizeof(uint32_t) * ((size_t) nch_all + 1));
	uint32_t   *st_order = core_alloc(sizeof(uint32_t) * ((size_t) nst_all + 1));
	uint32_t   *st_rank = core_alloc(sizeof(uint32_t) * ((size_t) nst_all + 1));
	bool	   *keep = core_alloc((size_t) nst_all + (size_t) nch_all + 2);
	edge_key   *edges = core_alloc(sizeof(edge_key) * ((size_t) ned + 1));
	bool	   *keep_channel;
	unsigned char *p = NULL;
	size_t		size;
	size_t		off;
	mk_status	status = MK_OK;

	if (!ch_order || !ch_rank || !st_order || !st_rank || !keep || !edges)
	{
		status = MK_NO_MEMORY;
		goto done;
	}

	/* which states and channels the body keeps */
	keep_channel = keep + nst_all + 1;
	memset(keep, 0, (size_t) nst_all + (size_t) nch_all + 2);
	for (uint32_t e = 0; e < ned; e++)
	{
		if (b->edge_from[e] != 0)
			keep[b->edge_from[e]] = true;
		if (b->edge_to[e] != B_CONV && b->edge_to[e] != B_NULL)
			keep[b->edge_to[e]] = true;
	}
	for (uint32_t id = 1; id <= nst_all; id++)
	{
		if (!amount_is_zero(b->values[id - 1]))
			keep[id] = true;
		if (!keep[id])
			continue;
		st_order[nst++] = id;
		for (int i = 0; i < b->order; i++)
			if (b->states[id - 1].channel[i] != NO_CHANNEL)
				keep_channel[b->states[id - 1].channel[i]] = true;
	}
	for (uint32_t c = 0; c < nch_all; c++)
	{
		if (keep_channel[c])
		{
			size_t		l;

			(void) strtab_get(&b->channels, c, &l);
			label_bytes += l;
			ch_order[nch++] = c;
		}
	}

	sort_builder = b;
	qsort(ch_order, nch, sizeof(uint32_t), compare_channel_ids);
	for (uint32_t r = 0; r < nch; r++)
		ch_rank[ch_order[r]] = r;
	sort_channel_rank = ch_rank;
	qsort(st_order, nst, sizeof(uint32_t), compare_state_ids);
	for (uint32_t r = 0; r < nst; r++)
		st_rank[st_order[r] - 1] = r + 1;	/* new id */
	for (uint32_t e = 0; e < ned; e++)
	{
		uint32_t	f = b->edge_from[e];
		uint32_t	t = b->edge_to[e];

		edges[e].from = f == 0 ? 0 : st_rank[f - 1];
		edges[e].to = t == B_CONV ? nst + 1 : t == B_NULL ? nst + 2 : st_rank[t - 1];
		edges[e].index = e;
	}
	qsort(edges, ned, sizeof(edge_key), compare_edges);

	size = (size_t) body_size(b->order, nch, label_bytes, nst, ned);
	p = core_alloc(size);
	if (p == NULL)
	{
		status = MK_NO_MEMORY;
		goto done;
	}
	memset(p, 0, size);
	p[0] = MK_VERSION;
	p[1] = (unsigned char) b->order;
	put_le32(p + 4, nch);
	put_le32(p + 8, nst);
	put_le32(p + 12, ned);
	put_le32(p + 16, (uint32_t) label_bytes);
	off = MK_HEADER_SIZE;
	{
		size_t		label_off = off + (size_t) nch * 4;
		uint32_t	end = 0;

		for (uint32_t r = 0; r < nch; r++)
		{
			size_t		l;
			const char *str = strtab_get(&b->channels, ch_order[r], &l);

			memcpy(p + label_off + end, str, l);
			end += (uint32_t) l;
			put_le32(p + off + (size_t) r * 4, end);
		}
		off = label_off + pad4(label_bytes);
	}
	for (uint32_t r = 0; r < nst; r++)
	{
		const mk_state *st = &b->states[st_order[r] - 1];

		for (int i = 0; i < b->order; i++, off += 4)
			put_le32(p + off, st->channel[i] == NO_CHANNEL ? NO_CHANNEL : ch_rank[st->channel[i]]);
	}
	for (uint32_t r = 0; r < nst; r++, off += 16)
		put_amount(p + off, b->values[st_order[r] - 1]);
	for (uint32_t e = 0; e < ned; e++, off += EDGE_SIZE)
	{
		put_le32(p + off, edges[e].from);
		put_le32(p + off + 4, edges[e].to);
		put_amount(p + off + 8, b->edge_weight[edges[e].index]);
	}
	*body = p;
	*len = size;
done:
	core_free(ch_order);
	core_free(ch_rank);
	core_free(st_order);
	core_free(st_rank);
	core_free(keep);
	core_free(edges);
	if (status != MK_OK)
		set_error(err, status, NULL);
	return status;
}

/* ---------------------------------------------------------------------------
 * Validation
 */

static mk_status
corrupt(mk_error *err, const char *detail)
{
	set_error(err, MK_CORRUPT, detail);
	return MK_CORRUPT;
}

/*
 * Every state with an edge must be able to reach conversion or null, or
 * the chain is not absorbing and attribution would have no answer.  A
 * breadth-first search backwards from conversion and null over the
 * transitions grouped by target: linear in states + transitions.
 */
static mk_status
absorbing(const mk_view *v, mk_error *err)
{
	uint32_t	n = v->nstates;
	uint32_t	nodes = n + 3;
	uint32_t   *in_start = core_alloc(sizeof(uint32_t) * ((size_t) nodes + 1));
	uint32_t   *in_from = core_alloc(sizeof(uint32_t) * ((size_t) v->nedges + 1));
	uint32_t   *queue = core_alloc(sizeof(uint32_t) * (size_t) nodes);
	bool	   *reaches = core_alloc(nodes);
	bool	   *touched = core_alloc(nodes);
	uint32_t	head = 0,
				tail = 0;
	mk_status	status = MK_OK;

	if (!in_start || !in_from || !queue || !reaches || !touched)
	{
		set_error(err, MK_NO_MEMORY, NULL);
		status = MK_NO_MEMORY;
		goto done;
	}
	memset(in_start, 0, sizeof(uint32_t) * ((size_t) nodes + 1));
	memset(reaches, 0, nodes);
	memset(touched, 0, nodes);
	for (uint32_t e = 0; e < v->nedges; e++)
	{
		uint32_t	from,
					to;
		mk_amount	w;

		view_edge(v, e, &from, &to, &w);
		in_start[to + 1]++;
		touched[from] = touched[to] = true;
	}
	for (uint32_t i = 0; i < nodes; i++)
		in_start[i + 1] += in_start[i];
	{
		uint32_t   *fill = queue;	/* borrowed as the fill cursor */

		memcpy(fill, in_start, sizeof(uint32_t) * (size_t) nodes);
		for (uint32_t e = 0; e < v->nedges; e++)
		{
			uint32_t	from,
						to;
			mk_amount	w;

			view_edge(v, e, &from, &to, &w);
			in_from[fill[to]++] = from;
		}
	}
	reaches[n + 1] = reaches[n + 2] = true;
	queue[tail++] = n + 1;
	queue[tail++] = n + 2;
	while (head < tail)
	{
		uint32_t	t = queue[head++];

		for (uint32_t i = in_start[t]; i < in_start[t + 1]; i++)
		{
			uint32_t	s = in_from[i];

			if (!reaches[s])
			{
				reaches[s] = true;
				queue[tail++] = s;
			}
		}
	}
	for (uint32_t s = 1; s <= n && status == MK_OK; s++)
	{
		if (!touched[s])
			status = corrupt(err, "A state has no transition.");
		else if (!reaches[s])
			status = corrupt(err, "Some state cannot reach conversion or null: the chain is not absorbing.");
	}
done:
	core_free(in_start);
	core_free(in_from);
	core_free(queue);
	core_free(reaches);
	core_free(touched);
	return status;
}

mk_status
mk_validate(const void *body, size_t len, mk_error *err)
{
	const unsigned char *p = body;
	mk_view		v;
	uint32_t	prev_end = 0;
	bool	   *used;

	if (len < MK_HEADER_SIZE || p[0] != MK_VERSION || p[2] != 0 || p[3] != 0 ||
		get_le32(p + 20) != 0)
		return corrupt(err, "The header is not that of a version 1 markov_model.");
	if (!view_init(&v, body, len))
		return corrupt(err, "The sizes in the header do not match the data.");

	/* channels: non-empty normalised labels in strictly increasing byte order */
	for (uint32_t c = 0; c < v.nchannels; c++)
	{
		uint32_t	end = get_le32(v.label_ends + (size_t) c * 4);
		size_t		l;
		const char *s;
		char	   *normalised;
		size_t		nlen;
		bool		same;

		if (end <= prev_end || end > v.label_bytes)
			return corrupt(err, "The label dictionary is malformed.");
		prev_end = end;
		s = view_label(&v, c, &l);
		if (memchr(s, '>', l) || memchr(s, '@', l))
			return corrupt(err, "A label contains \">\" or \"@\".");
		{
			label_status ls = label_normalize(s, l, &normalised, &nlen);

			if (ls == LABEL_NO_MEMORY)
			{
				set_error(err, MK_NO_MEMORY, NULL);
				return MK_NO_MEMORY;
			}
			if (ls != LABEL_OK)
				return corrupt(err, "A label is not valid UTF-8.");
		}
		same = nlen == l && memcmp(normalised, s, l) == 0;
		core_free(normalised);
		if (!same)
			return corrupt(err, "A label is not in normalised form.");
		if (c > 0)
		{
			size_t		pl;
			const char *ps = view_label(&v, c - 1, &pl);

			if (compare_labels(ps, pl, s, l) >= 0)
				return corrupt(err, "The labels are not in increasing order.");
		}
	}
	if (prev_end != v.label_bytes)
		return corrupt(err, "The label dictionary is malformed.");
	for (size_t i = v.label_bytes; i < pad4(v.label_bytes); i++)
		if (v.labels[i] != 0)
			return corrupt(err, "The label padding is not zero.");

	/* states: 1..order channels, no repeat in a row, increasing, every channel used */
	used = core_alloc((size_t) v.nchannels + 1);
	if (used == NULL)
	{
		set_error(err, MK_NO_MEMORY, NULL);
		return MK_NO_MEMORY;
	}
	memset(used, 0, (size_t) v.nchannels + 1);
	for (uint32_t id = 1; id <= v.nstates; id++)
	{
		bool		ended = false;

		for (int i = 0; i < v.order; i++)
		{
			uint32_t	ch = view_state_channel(&v, id, i);

			if (ch == NO_CHANNEL)
			{
				if (i == 0)
					break;
				ended = true;
				continue;
			}
			if (ended || ch >= v.nchannels || (i > 0 && view_state_channel(&v, id, i - 1) == ch))
			{
				core_free(used);
				return corrupt(err, "A state is malformed.");
			}
			used[ch] = true;
		}
		if (view_state_channel(&v, id, 0) == NO_CHANNEL)
		{
			core_free(used);
			return corrupt(err, "A state has no channel.");
		}
		if (id > 1)
		{
			int			c = 0;

			for (int i = 0; i < v.order && c == 0; i++)
			{
				uint64_t	a = view_state_channel(&v, id - 1, i);
				uint64_t	b = view_state_channel(&v, id, i);

				a = a == NO_CHANNEL ? 0 : a + 1;
				b = b == NO_CHANNEL ? 0 : b + 1;
				c = a < b ? -1 : a > b ? 1 : 0;
			}
			if (c >= 0)
			{
				core_free(used);
				return corrupt(err, "The states are not in increasing order.");
			}
		}
	}
	for (uint32_t c = 0; c < v.nchannels; c++)
	{
		if (!used[c])
		{
			core_free(used);
			return corrupt(err, "A channel belongs to no state.");
		}
	}
	core_free(used);

	/* edges: increasing (from, to), positive weights, valid ends */
	for (uint32_t e = 0; e < v.nedges; e++)
	{
		uint32_t	from,
					to,
					pf,
					pt;
		mk_amount	w,
					pw;

		view_edge(&v, e, &from, &to, &w);
		if (from > v.nstates || to == 0 || to > v.nstates + 2 || amount_is_zero(w) ||
			(from == 0 && to > v.nstates))
			return corrupt(err, "A transition is malformed.");
		if (e > 0)
		{
			view_edge(&v, e - 1, &pf, &pt, &pw);
			if (pf > from || (pf == from && pt >= to))
				return corrupt(err, "The transitions are not in increasing order.");
		}
	}
	return absorbing(&v, err);
}

/* ---------------------------------------------------------------------------
 * Text form
 */

typedef struct text_reader
{
	const char *s;
	size_t		len;
	size_t		pos;
} text_reader;

static void
skip_blanks(text_reader *r)
{
	while (r->pos < r->len && (r->s[r->pos] == ' ' || r->s[r->pos] == '\t' ||
							   r->s[r->pos] == '\n' || r->s[r->pos] == '\r'))
		r->pos++;
}

static bool
accept_word(text_reader *r, const char *word)
{
	size_t		n = strlen(word);

	skip_blanks(r);
	if (r->len - r->pos >= n && memcmp(r->s + r->pos, word, n) == 0 &&
		(r->pos + n == r->len || !((r->s[r->pos + n] >= 'a' && r->s[r->pos + n] <= 'z') ||
								   r->s[r->pos + n] == '_')))
	{
		r->pos += n;
		return true;
	}
	return false;
}

static bool
accept_char(text_reader *r, char c)
{
	skip_blanks(r);
	if (r->pos < r->len && r->s[r->pos] == c)
	{
		r->pos++;
		return true;
	}
	return false;
}

static mk_status
syntax(mk_error *err, const char *detail)
{
	set_error(err, MK_SYNTAX, detail);
	return MK_SYNTAX;
}

/* A quoted label, normalised and interned: its channel id. */
static mk_status
read_label(text_reader *r, mk_builder *b, uint32_t *channel, mk_error *err)
{
	char	   *buf;
	size_t		n = 0;
	char	   *normalised;
	size_t		nlen;
	label_status ls;

	if (!accept_char(r, '"'))
		return syntax(err, "A state is a list of channel labels in double quotes, such as \"email\" or \"email\",\"direct\".");
	buf = core_alloc(r->len - r->pos + 1);
	if (buf == NULL)
	{
		set_error(err, MK_NO_MEMORY, NULL);
		return MK_NO_MEMORY;
	}
	while (r->pos < r->len && r->s[r->pos] != '"')
	{
		if (r->s[r->pos] == '\\' && r->pos + 1 < r->len)
			r->pos++;
		buf[n++] = r->s[r->pos++];
	}
	if (r->pos >= r->len)
	{
		core_free(buf);
		return syntax(err, "A label's closing double quote is missing.");
	}
	r->pos++;
	ls = label_normalize(buf, n, &normalised, &nlen);
	core_free(buf);
	if (ls == LABEL_NO_MEMORY)
	{
		set_error(err, MK_NO_MEMORY, NULL);
		return MK_NO_MEMORY;
	}
	if (ls != LABEL_OK)
		return syntax(err, "A label is not valid UTF-8.");
	if (nlen == 0 || memchr(normalised, '>', nlen) || memchr(normalised, '@', nlen))
	{
		core_free(normalised);
		return syntax(err, "Channel labels must be non-empty after normalisation and cannot contain \">\" or \"@\".");
	}
	*channel = strtab_intern(&b->channels, normalised, nlen);
	core_free(normalised);
	if (*channel == STRTAB_NO_MEMORY)
	{
		set_error(err, MK_NO_MEMORY, NULL);
		return MK_NO_MEMORY;
	}
	return MK_OK;
}

/* A state: 'start' (if allowed), 'conversion'/'null' (targets), or labels. */
static mk_status
read_state(text_reader *r, mk_builder *b, bool source, uint32_t *id, mk_error *err)
{
	mk_state	s;
	int			n = 0;
	mk_status	status = MK_OK;

	if (source && accept_word(r, "start"))
	{
		*id = 0;
		return MK_OK;
	}
	if (!source && accept_word(r, "conversion"))
	{
		*id = B_CONV;
		return MK_OK;
	}
	if (!source && accept_word(r, "null"))
	{
		*id = B_NULL;
		return MK_OK;
	}
	for (int i = 0; i < MK_MAX_ORDER; i++)
		s.channel[i] = NO_CHANNEL;
	do
	{
		uint32_t	ch;

		if (n == b->order)
			return syntax(err, "A state has more channels than the model's order.");
		if ((status = read_label(r, b, &ch, err)) != MK_OK)
			return status;
		if (n > 0 && s.channel[n - 1] == ch)
			return syntax(err, "A state repeats a channel in a row; paths are collapsed.");
		s.channel[n++] = ch;
	} while (accept_char(r, ','));
	*id = builder_state(b, &s, &status, err);
	return *id == 0 ? status : MK_OK;
}

static mk_status
read_amount(text_reader *r, mk_amount *a, mk_error *err)
{
	size_t		used;
	mk_status	status;

	skip_blanks(r);
	if (r->pos >= r->len || r->s[r->pos] < '0' || r->s[r->pos] > '9')
		return syntax(err, "A count is a non-negative decimal number such as 3 or 12.5.");
	status = parse_decimal(r->s + r->pos, r->len - r->pos, &used, a);
	if (status == MK_OVERFLOW)
	{
		set_error(err, MK_OVERFLOW, "A count exceeds the largest a model holds (about 3.4e20).");
		return status;
	}
	if (status != MK_OK)
		return syntax(err, "A count is a non-negative decimal number such as 3 or 12.5.");
	r->pos += used;
	return MK_OK;
}

mk_status
mk_parse(const char *text, size_t len, void **body, size_t *body_len, mk_error *err)
{
	text_reader r = {text, len, 0};
	int			order;
	mk_builder *b;
	mk_status	status = MK_OK;

	if (!accept_word(&r, "order"))
		return syntax(err, "A markov_model starts with \"order\" and the order 1 to 4.");
	skip_blanks(&r);
	if (r.pos >= len || text[r.pos] < '1' || text[r.pos] > '4' ||
		(r.pos + 1 < len && text[r.pos + 1] >= '0' && text[r.pos + 1] <= '9'))
		return syntax(err, "The order is 1, 2, 3 or 4.");
	order = text[r.pos++] - '0';
	b = mk_builder_new(order);
	if (b == NULL)
	{
		set_error(err, MK_NO_MEMORY, NULL);
		return MK_NO_MEMORY;
	}
	while (status == MK_OK && accept_char(&r, ';'))
	{
		uint32_t	from,
					to;
		mk_amount	a;

		if ((status = read_state(&r, b, true, &from, err)) != MK_OK)
			break;
		if (accept_word(&r, "value"))
		{
			if (from == 0)
			{
				status = syntax(err, "start has no value.");
				break;
			}
			if ((status = read_amount(&r, &a, err)) != MK_OK)
				break;
			status = builder_value(b, from, a, err);
			continue;
		}
		if (!accept_char(&r, '>'))
		{
			status = syntax(err, "An item is \"state > target count\" or \"state value amount\".");
			break;
		}
		if ((status = read_state(&r, b, false, &to, err)) != MK_OK)
			break;
		if (from == 0 && (to == B_CONV || to == B_NULL))
		{
			status = syntax(err, "start leads to states, not to conversion or null.");
			break;
		}
		if ((status = read_amount(&r, &a, err)) != MK_OK)
			break;
		if (amount_is_zero(a))
		{
			status = syntax(err, "Transition counts are positive; leave out transitions that never happen.");
			break;
		}
		status = builder_edge(b, from, to, a, err);
	}
	skip_blanks(&r);
	if (status == MK_OK && r.pos != len)
		status = syntax(err, "Items are separated by \";\"; something else follows.");
	if (status == MK_OK)
		status = mk_builder_finish(b, body, body_len, err);
	mk_builder_free(b);
	if (status == MK_OK)
	{
		/* channels only in values, or a chain that is not absorbing */
		status = mk_validate(*body, *body_len, err);
		if (status != MK_OK)
		{
			core_free(*body);
			*body = NULL;
			/* what the stored form calls corrupt is bad syntax in a literal */
			if (status == MK_CORRUPT)
			{
				status = MK_SYNTAX;
				if (err)
					err->status = status;
			}
		}
	}
	return status;
}

/* Append to a growing buffer. */
typedef struct text_buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
	bool		failed;
} text_buf;

static void
append(text_buf *t, const char *s, size_t n)
{
	if (t->failed)
		return;
	if (t->len + n + 1 > t->cap)
	{
		size_t		cap = t->cap ? t->cap : 256;
		char	   *p;

		while (cap < t->len + n + 1)
			cap *= 2;
		p = core_alloc(cap);
		if (p == NULL)
		{
			t->failed = true;
			return;
		}
		if (t->data)
		{
			memcpy(p, t->data, t->len);
			core_free(t->data);
		}
		t->data = p;
		t->cap = cap;
	}
	memcpy(t->data + t->len, s, n);
	t->len += n;
	t->data[t->len] = '\0';
}

static void
append_str(text_buf *t, const char *s)
{
	append(t, s, strlen(s));
}

static void
append_state(text_buf *t, const mk_view *v, uint32_t id)
{
	if (id == 0)
		append_str(t, "start");
	else if (id == v->nstates + 1)
		append_str(t, "conversion");
	else if (id == v->nstates + 2)
		append_str(t, "null");
	else
		for (int i = 0; i < v->order; i++)
		{
			uint32_t	ch = view_state_channel(v, id, i);
			size_t		l;
			const char *s;

			if (ch == NO_CHANNEL)
				break;
			if (i > 0)
				append_str(t, ",");
			append_str(t, "\"");
			s = view_label(v, ch, &l);
			for (size_t k = 0; k < l; k++)
			{
				if (s[k] == '"' || s[k] == '\\')
					append_str(t, "\\");
				append(t, s + k, 1);
			}
			append_str(t, "\"");
		}
}

mk_status
mk_format(const void *body, char **text, size_t *text_len)
{
	mk_view		v;
	text_buf	t = {0};
	char		num[64];

	if (!view_of_valid(&v, body))
		return MK_CORRUPT;
	snprintf(num, sizeof(num), "order %d", v.order);
	append_str(&t, num);
	for (uint32_t e = 0; e < v.nedges; e++)
	{
		uint32_t	from,
					to;
		mk_amount	w;

		view_edge(&v, e, &from, &to, &w);
		append_str(&t, "; ");
		append_state(&t, &v, from);
		append_str(&t, " > ");
		append_state(&t, &v, to);
		mk_amount_format(w, num);
		append_str(&t, " ");
		append_str(&t, num);
	}
	for (uint32_t id = 1; id <= v.nstates; id++)
	{
		mk_amount	a = get_amount(v.values + (size_t) (id - 1) * 16);

		if (amount_is_zero(a))
			continue;
		append_str(&t, "; ");
		append_state(&t, &v, id);
		mk_amount_format(a, num);
		append_str(&t, " value ");
		append_str(&t, num);
	}
	if (t.failed)
	{
		core_free(t.data);
		return MK_NO_MEMORY;
	}
	*text = t.data;
	*text_len = t.len;
	return MK_OK;
}

/* ---------------------------------------------------------------------------
 * Attribution: expected visits, solved directly (small chains) or by
 * Gauss-Seidel iteration, in long double: counts of 128-bit amounts differ by
 * up to 38 digits, and nearly trapping loops need every digit there is.
 */

typedef long double real;

static real
amount_to_real(mk_amount a)
{
	u128		v = to_u128(a);

	return (real) (v / UNIT) + (real) (uint64_t) (v % UNIT) / 1e18L;
}

#define SOLVE_TOLERANCE	1e-14
#define SOLVE_MAX_SWEEPS 1000000

typedef struct chain
{
	uint32_t	n;				/* transient states 1..n; 0 = start */
	/* incoming transitions per state (CSR by target) */
	uint32_t   *in_start;		/* n + 2 */
	uint32_t   *in_from;
	real	   *in_prob;
	real	   *p_conv;			/* [0..n] probability of s -> conversion */
	real	   *conv_weight;	/* [0..n] */
	real	   *value;			/* [0..n] */
} chain;

static void
chain_free(chain *c)
{
	core_free(c->in_start);
	core_free(c->in_from);
	core_free(c->in_prob);
	core_free(c->p_conv);
	core_free(c->conv_weight);
	core_free(c->value);
}

static mk_status
chain_build(const mk_view *v, chain *c)
{
	uint32_t	n = v->nstates;
	real	   *out = core_alloc(sizeof(real) * ((size_t) n + 1));
	uint32_t	nin = 0;

	memset(c, 0, sizeof(*c));
	c->n = n;
	c->in_start = core_alloc(sizeof(uint32_t) * ((size_t) n + 2));
	c->in_from = core_alloc(sizeof(uint32_t) * ((size_t) v->nedges + 1));
	c->in_prob = core_alloc(sizeof(real) * ((size_t) v->nedges + 1));
	c->p_conv = core_alloc(sizeof(real) * ((size_t) n + 1));
	c->conv_weight = core_alloc(sizeof(real) * ((size_t) n + 1));
	c->value = core_alloc(sizeof(real) * ((size_t) n + 1));
	if (!out || !c->in_start || !c->in_from || !c->in_prob || !c->p_conv ||
		!c->conv_weight || !c->value)
	{
		core_free(out);
		chain_free(c);
		return MK_NO_MEMORY;
	}
	for (uint32_t s = 0; s <= n; s++)
	{
		out[s] = 0;
		c->p_conv[s] = 0;
		c->conv_weight[s] = 0;
		c->value[s] = s == 0 ? 0 : amount_to_real(get_amount(v->values + (size_t) (s - 1) * 16));
	}
	for (uint32_t s = 0; s < n + 2; s++)
		c->in_start[s] = 0;
	for (uint32_t e = 0; e < v->nedges; e++)
	{
		uint32_t	from,
					to;
		mk_amount	w;
		real		d;

		view_edge(v, e, &from, &to, &w);
		d = amount_to_real(w);
		out[from] += d;
		if (to == n + 1)
			c->conv_weight[from] += d;
		if (to <= n)
			c->in_start[to + 1]++;
	}
	for (uint32_t s = 1; s <= n; s++)
		c->in_start[s + 1] += c->in_start[s];
	/* fill incoming lists (edges are sorted by source, so each list is too) */
	{
		uint32_t   *fill = core_alloc(sizeof(uint32_t) * ((size_t) n + 2));

		if (fill == NULL)
		{
			core_free(out);
			chain_free(c);
			return MK_NO_MEMORY;
		}
		memcpy(fill, c->in_start, sizeof(uint32_t) * ((size_t) n + 2));
		for (uint32_t e = 0; e < v->nedges; e++)
		{
			uint32_t	from,
						to;
			mk_amount	w;

			view_edge(v, e, &from, &to, &w);
			if (to <= n)
			{
				c->in_from[fill[to]] = from;
				c->in_prob[fill[to]] = amount_to_real(w) / out[from];
				fill[to]++;
				nin++;
			}
		}
		core_free(fill);
	}
	for (uint32_t s = 0; s <= n; s++)
		c->p_conv[s] = out[s] > 0 ? c->conv_weight[s] / out[s] : 0;
	core_free(out);
	(void) nin;
	return MK_OK;
}

/*
 * Expected visits to every state from start, with the states in `removed`
 * absorbing (they are entered but lead nowhere): visits[0] = 1 and
 * visits[t] = sum over incoming s -> t, s not removed, of visits[s] p(s, t),
 * that is (I - Q^T) v = e_start.  Both solvers are deterministic, so equal
 * models give equal answers bit for bit.
 *
 * Up to DIRECT_MAX_STATES states: Gaussian elimination with partial
 * pivoting on the dense system, in long double (exact up to rounding,
 * whatever the chain: loops that take millions of steps to leave cost
 * nothing extra, and the extra precision keeps nearly trapping loops with
 * counts 1e15 apart accurate).
 */
#define DIRECT_MAX_STATES 256

static mk_status
solve_visits_direct(const chain *c, const bool *removed, real *visits)
{
	uint32_t	n = c->n + 1;	/* nodes 0 (start) .. c->n */
	long double *a = core_alloc(sizeof(long double) * (size_t) n * n);
	long double *x = core_alloc(sizeof(long double) * (size_t) n);

	if (a == NULL || x == NULL)
	{
		core_free(a);
		core_free(x);
		return MK_NO_MEMORY;
	}
	memset(a, 0, sizeof(long double) * (size_t) n * n);
	for (uint32_t t = 0; t < n; t++)
	{
		a[(size_t) t * n + t] = 1;
		x[t] = t == 0 ? 1 : 0;
		if (t == 0)
			continue;
		for (uint32_t i = c->in_start[t]; i < c->in_start[t + 1]; i++)
		{
			uint32_t	s = c->in_from[i];

			if (!removed[s])
				a[(size_t) t * n + s] -= c->in_prob[i];
		}
	}
	for (uint32_t k = 0; k < n; k++)
	{
		uint32_t	pivot = k;

		for (uint32_t r = k + 1; r < n; r++)
			if (fabsl(a[(size_t) r * n + k]) > fabsl(a[(size_t) pivot * n + k]))
				pivot = r;
		if (pivot != k)
		{
			for (uint32_t j = 0; j < n; j++)
			{
				long double tmp = a[(size_t) k * n + j];

				a[(size_t) k * n + j] = a[(size_t) pivot * n + j];
				a[(size_t) pivot * n + j] = tmp;
			}
			{
				long double tmp = x[k];

				x[k] = x[pivot];
				x[pivot] = tmp;
			}
		}
		/* an absorbing chain's matrix is non-singular: the pivot is never 0 */
		if (a[(size_t) k * n + k] == 0)
		{
			core_free(a);
			core_free(x);
			return MK_NOT_CONVERGED;
		}
		for (uint32_t r = k + 1; r < n; r++)
		{
			long double f = a[(size_t) r * n + k] / a[(size_t) k * n + k];

			if (f == 0)
				continue;
			for (uint32_t j = k; j < n; j++)
				a[(size_t) r * n + j] -= f * a[(size_t) k * n + j];
			x[r] -= f * x[k];
		}
	}
	for (uint32_t k = n; k-- > 0;)
	{
		long double sum = x[k];

		for (uint32_t j = k + 1; j < n; j++)
			sum -= a[(size_t) k * n + j] * x[j];
		x[k] = sum / a[(size_t) k * n + k];
	}
	for (uint32_t t = 0; t < n; t++)
		visits[t] = (real) x[t];
	core_free(a);
	core_free(x);
	return MK_OK;
}

/*
 * Larger chains: Gauss-Seidel sweeps in state order until a sweep changes
 * no visit count by more than SOLVE_TOLERANCE relative to itself.
 */
static mk_status
solve_visits(const chain *c, const bool *removed, real *visits)
{
	uint32_t	n = c->n;

	if (n <= DIRECT_MAX_STATES)
		return solve_visits_direct(c, removed, visits);
	visits[0] = 1;
	for (uint32_t s = 1; s <= n; s++)
		visits[s] = 0;
	for (uint32_t sweep = 0; sweep < SOLVE_MAX_SWEEPS; sweep++)
	{
		real		change = 0;

		for (uint32_t t = 1; t <= n; t++)
		{
			real		sum = 0;
			real		delta;

			for (uint32_t i = c->in_start[t]; i < c->in_start[t + 1]; i++)
			{
				uint32_t	s = c->in_from[i];

				if (!removed[s])
					sum += visits[s] * c->in_prob[i];
			}
			/* relative, so that rarely visited states converge as well */
			delta = sum == visits[t] ? 0 : fabsl(sum - visits[t]) / fabsl(sum);
			if (delta > change)
				change = delta;
			visits[t] = sum;
		}
		if (change <= SOLVE_TOLERANCE)
			return MK_OK;
		if ((sweep & 63) == 63)
			core_check_interrupts();
	}
	return MK_NOT_CONVERGED;
}

mk_status
mk_attribute(const void *body, mk_channel_result **results, uint32_t *nresults,
			 mk_error *err)
{
	mk_view		v;
	chain		c;
	uint32_t	n;
	real	   *visits = NULL;
	real	   *base_pj = NULL;
	real	   *mv = NULL;
	bool	   *removed = NULL;
	mk_channel_result *res = NULL;
	real		base_p = 0,
				base_value_p = 0,
				total_conv = 0,
				total_value = 0,
				sum_re = 0,
				sum_rev = 0;
	mk_status	status;

	if (!view_of_valid(&v, body))
		return corrupt(err, NULL);
	n = v.nstates;
	status = chain_build(&v, &c);
	if (status != MK_OK)
	{
		set_error(err, status, NULL);
		return status;
	}
	visits = core_alloc(sizeof(real) * ((size_t) n + 1));
	base_pj = core_alloc(sizeof(real) * ((size_t) n + 1));
	mv = core_alloc(sizeof(real) * ((size_t) n + 1));
	removed = core_alloc((size_t) n + 1);
	res = core_alloc(sizeof(mk_channel_result) * ((size_t) v.nchannels + 1));
	if (!visits || !base_pj || !mv || !removed || !res)
	{
		status = MK_NO_MEMORY;
		goto done;
	}
	memset(removed, 0, (size_t) n + 1);
	for (uint32_t s = 0; s <= n; s++)
	{
		mv[s] = c.conv_weight[s] > 0 ? c.value[s] / c.conv_weight[s] : 0;
		total_conv += c.conv_weight[s];
		total_value += c.value[s];
	}
	if ((status = solve_visits(&c, removed, visits)) != MK_OK)
		goto done;
	for (uint32_t s = 0; s <= n; s++)
	{
		base_pj[s] = visits[s] * c.p_conv[s];
		base_p += base_pj[s];
		base_value_p += mv[s] * base_pj[s];
	}

	for (uint32_t ch = 0; ch < v.nchannels; ch++)
	{
		real		p_removed = 0,
					value_lost = 0;

		res[ch].label = view_label(&v, ch, &res[ch].label_len);
		res[ch].removal_effect = res[ch].conversions = res[ch].value = 0;
		if (base_p <= 0)
			continue;
		for (uint32_t s = 1; s <= n; s++)
		{
			removed[s] = false;
			for (int i = 0; i < v.order; i++)
				if (view_state_channel(&v, s, i) == ch)
					removed[s] = true;
		}
		if ((status = solve_visits(&c, removed, visits)) != MK_OK)
			goto done;
		for (uint32_t s = 0; s <= n; s++)
		{
			real		pj = removed[s] ? 0 : visits[s] * c.p_conv[s];

			p_removed += pj;
			value_lost += mv[s] * (base_pj[s] - pj);
		}
		res[ch].removal_effect = 1 - p_removed / base_p;
		if (res[ch].removal_effect < 0)
			res[ch].removal_effect = 0;
		if (res[ch].removal_effect > 1)
			res[ch].removal_effect = 1;
		res[ch].value = base_value_p > 0 ? value_lost / base_value_p : 0;	/* REV for now */
		if (res[ch].value < 0)
			res[ch].value = 0;
		sum_re += res[ch].removal_effect;
		sum_rev += res[ch].value;
		core_check_interrupts();
	}
	for (uint32_t ch = 0; ch < v.nchannels; ch++)
	{
		res[ch].conversions = sum_re > 0 ? res[ch].removal_effect / sum_re * total_conv : 0;
		res[ch].value = sum_rev > 0 ? res[ch].value / sum_rev * total_value : 0;
	}
	*results = res;
	*nresults = v.nchannels;
	res = NULL;
done:
	if (status != MK_OK)
	{
		set_error(err, status, status == MK_NOT_CONVERGED
				  ? "The expected visits of the chain did not converge."
				  : NULL);
	}
	chain_free(&c);
	core_free(visits);
	core_free(base_pj);
	core_free(mv);
	core_free(removed);
	core_free(res);
	return status;
}
