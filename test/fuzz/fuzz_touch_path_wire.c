/*
 * fuzz_touch_path_wire.c - libFuzzer harness for the untrusted binary forms of
 * touch_path (src/core/touch_path.c: tp_from_wire, tp_validate)
 *
 * Every input is read twice: as the wire form (what touch_path_recv gets)
 * and as a stored body (what tp_validate checks).  Properties checked
 * (abort() on failure; the formats are in the header comment of
 * touch_path.h):
 *   - tp_from_wire agrees with an independent reader of the wire form written
 *     here: version byte 1 and a big-endian touch count (more than the
 *     data can hold at 5 bytes a touch: TP_CORRUPT; more than
 *     TP_MAX_TOUCHES: TP_TOO_LONG); per touch a has-time byte (0 or 1), the
 *     time (TP_NO_TIME itself: TP_CORRUPT; outside 0001..9999: TP_BAD_TIME),
 *     the label length and bytes (any shortfall: TP_CORRUPT); labels are
 *     normalised (label_normalize's error: TP_LABEL_ERROR; empty or holding
 *     '>' or '@': TP_BAD_LABEL); trailing bytes: TP_CORRUPT; then times must
 *     not decrease (TP_TIME_ORDER); err.status is the returned status;
 *     nothing is left allocated on an error;
 *   - on TP_OK the body is byte for byte the documented body of the touches
 *     (the oracle of fuzz_touch_path.c), tp_validate accepts it, tp_to_wire
 *     writes the documented wire form of the normalised touches (so the input
 *     itself when its labels were normalised), which reads back to the same
 *     bytes, and the text form parses back to the same bytes;
 *   - tp_validate returns TP_OK or TP_CORRUPT (err.status the same), leaves
 *     nothing allocated, and accepts exactly the canonical bodies: it says
 *     TP_OK if and only if the bytes decode by the stored layout into touches
 *     whose labels are normalised and storable and whose times are in range
 *     and do not decrease, and the documented body of those touches is the
 *     input itself; an accepted body survives the text and wire round trips
 *     byte for byte and compares equal to itself;
 *   - the same for up to 32 one-byte mutations of each body tp_from_wire
 *     builds (valid bodies are rare among random bytes);
 *   - allocation failure in tp_from_wire (every allocation for small inputs,
 *     a spread sample otherwise) and in tp_validate gives TP_NO_MEMORY,
 *     TP_LABEL_ERROR with LABEL_NO_MEMORY (from_wire) or TP_CORRUPT
 *     (validate: it cannot say more) and leaves nothing allocated.
 * LeakSanitizer checks that everything allocated is freed.
 *
 * The oracles (touch lists, the documented body, wire and text forms) are
 * those of fuzz_touch_path.c, included here without its entry points.
 */
#define TP_ORACLE_ONLY
#pragma clang diagnostic ignored "-Wunused-function"
#include "fuzz_touch_path.c"

static uint32_t
getbe32(const uint8_t *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

static uint64_t
getbe64(const uint8_t *p)
{
	return ((uint64_t) getbe32(p) << 32) | getbe32(p + 4);
}

/* The wire form, read by the documented rules. */
static tp_status
oracle_from_wire(const uint8_t *p, size_t len, olist *l, label_status *lstatus)
{
	uint32_t	n;
	size_t		pos = 5;
	int64_t		prev = TP_NO_TIME;

	*lstatus = LABEL_OK;
	if (len < 5 || p[0] != 1)
		return TP_CORRUPT;
	n = getbe32(p + 1);
	/* a touch takes at least 5 bytes: a larger count is corrupt before too long */
	if (n > (len - 5) / 5)
		return TP_CORRUPT;
	if (n > TP_MAX_TOUCHES)
		return TP_TOO_LONG;
	for (uint32_t i = 0; i < n; i++)
	{
		int64_t		time = TP_NO_TIME;
		uint32_t	llen;
		char	   *norm;
		size_t		norm_len;
		label_status ls;

		if (pos >= len || p[pos] > 1 || len - pos < (size_t) (1 + (p[pos] ? 8 : 0) + 4))
			return TP_CORRUPT;
		if (p[pos++])
		{
			time = (int64_t) getbe64(p + pos);
			pos += 8;
			if (time == TP_NO_TIME)
				return TP_CORRUPT;
		}
		llen = getbe32(p + pos);
		pos += 4;
		if (llen > len - pos)
			return TP_CORRUPT;
		if (time != TP_NO_TIME && (time < TP_MIN_TIME || time > TP_MAX_TIME))
			return TP_BAD_TIME;
		ls = label_normalize((const char *) p + pos, llen, &norm, &norm_len);
		if (ls != LABEL_OK)
		{
			*lstatus = ls;
			return TP_LABEL_ERROR;
		}
		if (norm_len == 0 || memchr(norm, '>', norm_len) || memchr(norm, '@', norm_len))
		{
			core_free(norm);
			return TP_BAD_LABEL;
		}
		olist_push(l, norm, norm_len, time);
		core_free(norm);
		pos += llen;
	}
	if (pos != len)
		return TP_CORRUPT;
	for (uint32_t i = 0; i < l->n; i++)
	{
		if (l->t[i].time == TP_NO_TIME)
			continue;
		if (prev != TP_NO_TIME && l->t[i].time < prev)
			return TP_TIME_ORDER;
		prev = l->t[i].time;
	}
	return TP_OK;
}

static uint32_t
getle32(const uint8_t *p)
{
	uint32_t	v;

	memcpy(&v, p, 4);
	return v;
}

static int64_t
getle64(const uint8_t *p)
{
	int64_t		v;

	memcpy(&v, p, 8);
	return v;
}

/*
 * Should tp_validate accept these bytes?  Decode them by the stored layout
 * into a touch list; accept if the labels are normalised and storable, the
 * times in range and not decreasing, and the documented body of the list is
 * the input.  (The documented body is unique for a list, so this is "the
 * bytes are the canonical body of some path".)
 */
static bool
oracle_valid(const uint8_t *p, size_t len, olist *l)
{
	uint32_t	n,
				nch,
				lb;
	bool		has_times;
	size_t		need;
	const uint8_t *times,
			   *chans,
			   *ends,
			   *labels;
	int64_t		prev = TP_NO_TIME;
	bool		ok = true;

	if (len < 16 || p[0] != 1 || (p[1] & ~1u) != 0 || p[2] != 0 || p[3] != 0)
		return false;
	has_times = p[1] & 1;
	n = getle32(p + 4);
	nch = getle32(p + 8);
	lb = getle32(p + 12);
	if (n > TP_MAX_TOUCHES || nch > n || lb > TP_MAX_LABEL_BYTES)
		return false;
	need = 16 + (has_times ? (size_t) n * 8 : 0) + (size_t) n * 4 + (size_t) nch * 4 + lb;
	if (need != len)
		return false;
	times = has_times ? p + 16 : NULL;
	chans = p + 16 + (has_times ? (size_t) n * 8 : 0);
	ends = chans + (size_t) n * 4;
	labels = ends + (size_t) nch * 4;
	/* the dictionary must cut the label bytes into non-empty labels */
	for (uint32_t c = 0; c < nch; c++)
	{
		uint32_t	start = c == 0 ? 0 : getle32(ends + (c - 1) * 4);
		uint32_t	end = getle32(ends + c * 4);
		char	   *norm;
		size_t		norm_len;

		if (end <= start || end > lb)
			return false;
		if (label_normalize((const char *) labels + start, end - start, &norm, &norm_len) != LABEL_OK)
			return false;
		ok = norm_len == end - start && memcmp(norm, labels + start, norm_len) == 0 &&
			memchr(norm, '>', norm_len) == NULL && memchr(norm, '@', norm_len) == NULL;
		core_free(norm);
		if (!ok)
			return false;
	}
	if (nch > 0 && getle32(ends + (nch - 1) * 4) != lb)
		return false;
	if (nch == 0 && lb != 0)
		return false;
	for (uint32_t i = 0; i < n; i++)
	{
		uint32_t	c = getle32(chans + (size_t) i * 4);
		int64_t		t = times ? getle64(times + (size_t) i * 8) : TP_NO_TIME;
		uint32_t	start;
		uint32_t	end;

		if (c >= nch)
			return false;
		if (t != TP_NO_TIME)
		{
			if (t < TP_MIN_TIME || t > TP_MAX_TIME)
				return false;
			if (prev != TP_NO_TIME && t < prev)
				return false;
			prev = t;
		}
		start = c == 0 ? 0 : getle32(ends + (c - 1) * 4);
		end = getle32(ends + c * 4);
		olist_push(l, (const char *) labels + start, end - start, t);
	}
	{
		size_t		blen;
		unsigned char *b = oracle_body(l, &blen);

		ok = blen == len && memcmp(b, p, len) == 0;
		free(b);
	}
	return ok;
}

/* tp_validate on len bytes at p (copied to an exact-size buffer), fully checked. */
static void
check_validate(const uint8_t *p, size_t len, const char *what)
{
	char	   *body = fuzz_dup(p, len);
	olist		l = {0};
	bool		expect = oracle_valid(p, len, &l);
	tp_view		v;
	tp_error	err;
	tp_status	st;
	long		base = fuzz_live_blocks;	/* blocks the caller holds */

	memset(&err, 0, sizeof(err));
	fuzz_alloc_reset(0);
	st = tp_validate(body, len, &v, &err);
	FUZZ_CHECK(st == TP_OK || st == TP_CORRUPT, "%s: tp_validate gave %s", what, status_name(st));
	FUZZ_CHECK(st == TP_OK || err.status == st, "%s: err.status %s but tp_validate returned %s",
			   what, status_name(err.status), status_name(st));
	FUZZ_CHECK(fuzz_live_blocks == base, "%s: tp_validate left %ld blocks", what,
			   fuzz_live_blocks - base);
	FUZZ_CHECK((st == TP_OK) == expect, "%s: tp_validate says %s (%s) but the bytes %s a canonical body",
			   what, status_name(st), st == TP_OK ? "" : err.detail, expect ? "are" : "are not");
	if (st == TP_OK)
	{
		char	   *text;
		size_t		text_len;
		void	   *again;
		size_t		again_len;
		void	   *wire;
		size_t		wire_len;

		FUZZ_CHECK(v.ntouches == l.n, "%s: view of %u touches, decoded %u", what, v.ntouches, l.n);
		FUZZ_CHECK(tp_compare(body, len, body, len) == 0, "%s: tp_compare(x, x) != 0", what);
		/* text round trip */
		FUZZ_CHECK(tp_format(body, &text, &text_len) == TP_OK, "%s: tp_format", what);
		memset(&err, 0, sizeof(err));
		FUZZ_CHECK(tp_parse(text, text_len, &again, &again_len, &err) == TP_OK,
				   "%s: text \"%s\" of a valid body does not parse: %s", what, text, err.detail);
		FUZZ_CHECK(again_len == len && memcmp(again, body, len) == 0,
				   "%s: text \"%s\" of a valid body parses to other bytes", what, text);
		core_free(again);
		core_free(text);
		/* wire round trip */
		FUZZ_CHECK(tp_to_wire(body, &wire, &wire_len) == TP_OK, "%s: tp_to_wire", what);
		{
			size_t		owire_len;
			unsigned char *owire = oracle_wire(&l, &owire_len);

			FUZZ_CHECK(owire_len == wire_len && memcmp(owire, wire, wire_len) == 0,
					   "%s: tp_to_wire is not the documented wire form", what);
			free(owire);
		}
		memset(&err, 0, sizeof(err));
		FUZZ_CHECK(tp_from_wire(wire, wire_len, &again, &again_len, &err) == TP_OK,
				   "%s: the wire form of a valid body does not read: %s", what, err.detail);
		FUZZ_CHECK(again_len == len && memcmp(again, body, len) == 0,
				   "%s: the wire form of a valid body reads to other bytes", what);
		core_free(again);
		core_free(wire);
	}
	FUZZ_CHECK(fuzz_live_blocks == base, "%s: checks left blocks allocated", what);
	/* validate normalises labels: each of its allocations may fail */
	ALLOC_FAILURES("tp_validate", 16, (memset(&err, 0, sizeof(err)),
									   st = tp_validate(body, len, &v, &err)),
				   st == TP_CORRUPT || st == TP_NO_MEMORY, (void) 0);
	olist_free(&l);
	free(body);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void) argc;
	(void) argv;
	fuzz_alloc_install();
	fuzz_alloc_reset(0);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in = fuzz_dup(data, size);
	olist		expect = {0};
	label_status expect_ls;
	tp_status	expect_st = oracle_from_wire(data, size, &expect, &expect_ls);
	tp_error	err;
	void	   *body = NULL;
	size_t		body_len = 0;
	tp_status	st;
	uint64_t	h = hash64(data, size);

	/* 1. the input as the wire form */
	memset(&err, 0, sizeof(err));
	fuzz_alloc_reset(0);
	st = tp_from_wire(in, size, &body, &body_len, &err);
	FUZZ_CHECK(st == expect_st, "tp_from_wire gave %s (%s), the oracle %s", status_name(st),
			   err.detail, status_name(expect_st));
	FUZZ_CHECK(err.status == st, "err.status %s but tp_from_wire returned %s",
			   status_name(err.status), status_name(st));
	if (st == TP_LABEL_ERROR)
		FUZZ_CHECK(err.label_status == (int) expect_ls, "label_status %d, expected %d",
				   err.label_status, (int) expect_ls);
	if (st != TP_OK)
		FUZZ_CHECK(fuzz_live_blocks == 0, "tp_from_wire failing with %s left %ld blocks",
				   status_name(st), fuzz_live_blocks);
	else
	{
		void	   *wire;
		size_t		wire_len;
		size_t		owire_len;
		unsigned char *owire = oracle_wire(&expect, &owire_len);
		void	   *again;
		size_t		again_len;
		char	   *text;
		size_t		text_len;

		FUZZ_CHECK(fuzz_live_blocks == 1, "tp_from_wire left %ld blocks, expected the body",
				   fuzz_live_blocks);
		check_body_is(body, body_len, &expect, "tp_from_wire");
		FUZZ_CHECK(tp_compare(body, body_len, body, body_len) == 0, "tp_compare(x, x) != 0");
		FUZZ_CHECK(tp_to_wire(body, &wire, &wire_len) == TP_OK, "tp_to_wire");
		FUZZ_CHECK(wire_len == owire_len && memcmp(wire, owire, wire_len) == 0,
				   "tp_to_wire is not the documented wire form of the normalised touches");
		memset(&err, 0, sizeof(err));
		FUZZ_CHECK(tp_from_wire(wire, wire_len, &again, &again_len, &err) == TP_OK,
				   "tp_from_wire of tp_to_wire: %s", err.detail);
		FUZZ_CHECK(again_len == body_len && memcmp(again, body, body_len) == 0,
				   "wire round trip changed the bytes");
		core_free(again);
		core_free(wire);
		free(owire);
		FUZZ_CHECK(tp_format(body, &text, &text_len) == TP_OK, "tp_format");
		memset(&err, 0, sizeof(err));
		FUZZ_CHECK(tp_parse(text, text_len, &again, &again_len, &err) == TP_OK,
				   "text \"%s\" does not parse: %s", text, err.detail);
		FUZZ_CHECK(again_len == body_len && memcmp(again, body, body_len) == 0,
				   "text \"%s\" parses to other bytes", text);
		core_free(again);
		core_free(text);
		FUZZ_CHECK(fuzz_live_blocks == 1, "round trips left blocks");

		/* 3. one-byte mutations of a valid body */
		{
			unsigned char *m = malloc(body_len);

			FUZZ_CHECK(m != NULL, "out of memory");
			for (int k = 0; k < 32 && (size_t) k < body_len; k++)
			{
				uint64_t	r = h * (uint64_t) (2 * k + 1) + (uint64_t) k * UINT64_C(0x9E3779B97F4A7C15);
				size_t		at = (size_t) ((r >> 7) % body_len);
				uint8_t		x = (uint8_t) (1 + (r >> 41) % 255);

				memcpy(m, body, body_len);
				m[at] ^= x;
				check_validate(m, body_len, "mutated body");
			}
			free(m);
		}
		core_free(body);
	}
	FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated");

	ALLOC_FAILURES("tp_from_wire", size <= 64 ? 1000 : 32,
				   (body = NULL, memset(&err, 0, sizeof(err)),
					st = tp_from_wire(in, size, &body, &body_len, &err)),
				   st == TP_NO_MEMORY ||
				   (st == TP_LABEL_ERROR && err.label_status == LABEL_NO_MEMORY),
				   (st == TP_OK ? core_free(body) : (void) 0));

	/* 2. the input as a stored body */
	check_validate(data, size, "input as a body");

	olist_free(&expect);
	free(in);
	return 0;
}
