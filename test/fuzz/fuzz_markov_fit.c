/*
 * fuzz_markov_fit.c - libFuzzer harness for fitting Markov models from paths
 * (src/core/markov.c: mk_builder_add_path, mk_builder_finish; the paths are
 * built with src/core/touch_path.c's tp_builder)
 *
 * The input describes an order and a list of paths:
 *   byte 0            the order, 1 + byte % 4;
 *   then per path     one byte h: conversions = h & 3, non-conversions =
 *                     (h >> 2) & 3, touches = h >> 4 (0 to 15);
 *                     one byte: the path's value (whole units);
 *                     per touch two label bytes l, p: a label of 1 + l % 24
 *                     bytes of 'x' with a 'y' at position p % 26 when that
 *                     is inside it (so labels of every length up to 24 that
 *                     share all but one of their bytes).
 * Each path body is built into an exact-size allocation (AddressSanitizer
 * sees a read before or after it: the fit reads the 16 bytes that end where
 * a label ends).
 *
 * Properties checked (abort() on failure):
 *   - every path is accepted (MK_OK), mk_builder_finish succeeds and
 *     mk_validate accepts the body, of the declared order;
 *   - order 1: the body equals, byte for byte, the model parsed from text
 *     written here from the paths by an independent count (labels compared
 *     as strings, repeats collapsed, conversions + non-conversions on every
 *     transition from start, conversions to conversion and non-conversions to
 *     null from the last channel, the value credited to the last channel;
 *     paths with no count ignored);
 *   - every order: mk_format of the body parses back to the same bytes;
 *   - allocation failure: making one allocation of the fit fail (every one
 *     for small inputs, a spread sample otherwise) gives MK_NO_MEMORY from
 *     mk_builder_add_path or mk_builder_finish and leaves nothing of the fit
 *     allocated;
 *   - nothing stays allocated (LeakSanitizer, and the counting allocator).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "markov.h"
#include "touch_path.h"

#define MAX_PATHS 64
#define MAX_TOUCHES 15		/* h >> 4 */
#define LABEL_MAX 24
#define MAX_LABELS (MAX_PATHS * MAX_TOUCHES)	/* at most one new label a touch */
#define MAX_EDGES (MAX_PATHS * (MAX_TOUCHES + 2))
/* nodes: 0 = start, 1.. = label + 1, then conversion and null */
#define CONVERSION (MAX_LABELS + 1)
#define NULL_NODE (MAX_LABELS + 2)

typedef struct oracle
{
	char		label[MAX_LABELS][LABEL_MAX + 1];
	int			nlabels;
	int			nedges;
	int			edge_from[MAX_EDGES];
	int			edge_to[MAX_EDGES];
	uint64_t	edge_count[MAX_EDGES];
	uint64_t	value[MAX_LABELS + 1];
} oracle;

static void
oracle_add(oracle *o, int from, int to, uint64_t count)
{
	int			e;

	if (count == 0)
		return;
	for (e = 0; e < o->nedges; e++)
		if (o->edge_from[e] == from && o->edge_to[e] == to)
			break;
	if (e == o->nedges)
	{
		FUZZ_CHECK(o->nedges < MAX_EDGES, "more transitions than the oracle holds");
		o->edge_from[e] = from;
		o->edge_to[e] = to;
		o->edge_count[e] = 0;
		o->nedges++;
	}
	o->edge_count[e] += count;
}

static int
oracle_label(oracle *o, const char *label)
{
	for (int i = 0; i < o->nlabels; i++)
		if (strcmp(o->label[i], label) == 0)
			return i + 1;
	FUZZ_CHECK(o->nlabels < MAX_LABELS, "more labels than the oracle holds");
	strcpy(o->label[o->nlabels++], label);
	return o->nlabels;
}

static void
make_label(unsigned char l, unsigned char p, char *out)
{
	int			len = 1 + l % LABEL_MAX;
	int			y = p % 26;

	memset(out, 'x', (size_t) len);
	if (y < len)
		out[y] = 'y';
	out[len] = '\0';
}

/* Append to a growing text buffer. */
static void
append(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t		n = strlen(s);

	if (*len + n + 1 > *cap)
	{
		*cap = (*len + n + 1) * 2;
		*buf = realloc(*buf, *cap);
		FUZZ_CHECK(*buf != NULL, "out of memory in the harness");
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
}

static const char *
node_name(const oracle *o, int node, char *tmp)
{
	if (node == 0)
		return "start";
	if (node == CONVERSION)
		return "conversion";
	if (node == NULL_NODE)
		return "null";
	snprintf(tmp, LABEL_MAX + 3, "\"%s\"", o->label[node - 1]);
	return tmp;
}

/* The oracle's model as text (order 1). */
static char *
oracle_text(const oracle *o, size_t *text_len)
{
	char	   *buf = NULL;
	size_t		len = 0,
				cap = 0;
	char		item[128],
				a[LABEL_MAX + 3],
				b[LABEL_MAX + 3];

	append(&buf, &len, &cap, "order 1");
	for (int e = 0; e < o->nedges; e++)
	{
		snprintf(item, sizeof(item), "; %s > %s %llu", node_name(o, o->edge_from[e], a),
				 node_name(o, o->edge_to[e], b), (unsigned long long) o->edge_count[e]);
		append(&buf, &len, &cap, item);
	}
	for (int s = 1; s <= o->nlabels; s++)
		if (o->value[s] != 0)
		{
			snprintf(item, sizeof(item), "; %s value %llu", node_name(o, s, a),
					 (unsigned long long) o->value[s]);
			append(&buf, &len, &cap, item);
		}
	*text_len = len;
	return buf;
}

static void
check_round_trip(const void *body, size_t len)
{
	char	   *text;
	size_t		text_len;
	void	   *again;
	size_t		again_len;
	mk_error	err;

	FUZZ_CHECK(mk_format(body, &text, &text_len) == MK_OK, "mk_format failed");
	FUZZ_CHECK(mk_parse(text, text_len, &again, &again_len, &err) == MK_OK,
			   "the formatted model does not parse: %.*s", (int) text_len, text);
	FUZZ_CHECK(again_len == len && memcmp(again, body, len) == 0,
			   "format + parse changed the model: %.*s", (int) text_len, text);
	core_free(again);
	core_free(text);
}

typedef struct fit_input
{
	void	   *path[MAX_PATHS];
	uint64_t	conv[MAX_PATHS];
	uint64_t	value[MAX_PATHS];
	uint64_t	nonconv[MAX_PATHS];
	int			npaths;
} fit_input;

/* Fit a model of the order on the paths; the body in *body on MK_OK. */
static mk_status
fit(int order, const fit_input *in, void **body, size_t *body_len)
{
	mk_builder *b = mk_builder_new(order);
	mk_status	status = MK_OK;
	mk_error	err;

	if (b == NULL)
		return MK_NO_MEMORY;
	for (int i = 0; i < in->npaths && status == MK_OK; i++)
	{
		status = mk_builder_add_path(b, in->path[i], mk_amount_from_uint(in->conv[i]),
									 mk_amount_from_uint(in->value[i]),
									 mk_amount_from_uint(in->nonconv[i]), &err);
		FUZZ_CHECK(status == MK_OK || status == MK_NO_MEMORY,
				   "mk_builder_add_path failed with status %d", (int) status);
		FUZZ_CHECK(err.status == status || status == MK_OK, "err.status is not the status returned");
	}
	if (status == MK_OK)
		status = mk_builder_finish(b, body, body_len, &err);
	mk_builder_free(b);
	return status;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static oracle o;
	static fit_input in;
	int			order;
	size_t		pos = 1;
	mk_error	err;
	void	   *body;
	size_t		body_len;
	long		allocations;

	fuzz_alloc_install();
	fuzz_alloc_reset(0);
	if (size < 1)
		return 0;
	order = 1 + data[0] % 4;
	o.nlabels = 0;
	o.nedges = 0;
	memset(o.value, 0, sizeof(o.value));
	in.npaths = 0;

	/* the paths, and the oracle's counts */
	while (pos + 2 <= size && in.npaths < MAX_PATHS)
	{
		unsigned	h = data[pos];
		uint64_t	conv = h & 3,
					nonconv = (h >> 2) & 3,
					value = data[pos + 1];
		size_t		ntouches = h >> 4;
		tp_builder *tb = tp_builder_new();
		tp_error	terr;
		size_t		path_len;
		int			prev = 0;	/* oracle: start */

		FUZZ_CHECK(tb != NULL, "tp_builder_new failed");
		pos += 2;
		if (pos + 2 * ntouches > size)
			ntouches = (size - pos) / 2;
		for (size_t t = 0; t < ntouches; t++)
		{
			char		label[LABEL_MAX + 1];
			int			node;

			make_label(data[pos + 2 * t], data[pos + 2 * t + 1], label);
			FUZZ_CHECK(tp_builder_add(tb, label, strlen(label), true, TP_NO_TIME, &terr) == TP_OK,
					   "tp_builder_add refused %s", label);
			node = oracle_label(&o, label);
			if (node != prev && conv + nonconv != 0)
				oracle_add(&o, prev, node, conv + nonconv);
			prev = node;
		}
		pos += 2 * ntouches;
		if (prev != 0 && conv + nonconv != 0)
		{
			oracle_add(&o, prev, CONVERSION, conv);
			oracle_add(&o, prev, NULL_NODE, nonconv);
			o.value[prev] += value;
		}
		FUZZ_CHECK(tp_builder_finish(tb, &in.path[in.npaths], &path_len, &terr) == TP_OK,
				   "tp_builder_finish failed");
		tp_builder_free(tb);
		in.conv[in.npaths] = conv;
		in.value[in.npaths] = value;
		in.nonconv[in.npaths] = nonconv;
		in.npaths++;
	}

	fuzz_alloc_reset(0);
	FUZZ_CHECK(fit(order, &in, &body, &body_len) == MK_OK, "fitting failed");
	allocations = fuzz_alloc_calls;
	FUZZ_CHECK(mk_validate(body, body_len, &err) == MK_OK, "mk_validate refused a fitted model");
	FUZZ_CHECK(mk_body_order(body) == order, "the model's order is not the builder's");
	check_round_trip(body, body_len);

	if (order == 1)
	{
		size_t		text_len;
		char	   *text = oracle_text(&o, &text_len);
		void	   *expected;
		size_t		expected_len;

		FUZZ_CHECK(mk_parse(text, text_len, &expected, &expected_len, &err) == MK_OK,
				   "the oracle's text does not parse: %s", text);
		FUZZ_CHECK(expected_len == body_len && memcmp(expected, body, body_len) == 0,
				   "markov fit differs from the oracle: %s", text);
		core_free(expected);
		free(text);
	}
	core_free(body);

	/*
	 * Allocation failure: the k-th allocation of the fit fails (every one
	 * for small inputs, a spread sample otherwise): MK_NO_MEMORY, and
	 * nothing of the fit left allocated.
	 */
	for (long k = 1; k <= allocations; k += allocations <= 40 ? 1 : allocations / 40)
	{
		long		live = fuzz_live_blocks;
		mk_status	status;

		fuzz_alloc_reset(k);
		status = fit(order, &in, &body, &body_len);
		fuzz_alloc_reset(0);
		FUZZ_CHECK(status == MK_NO_MEMORY, "allocation %ld of %ld failed, and the fit gave status %d",
				   k, allocations, (int) status);
		FUZZ_CHECK(fuzz_live_blocks == live, "a failed fit left %ld blocks allocated",
				   fuzz_live_blocks - live);
	}

	for (int i = 0; i < in.npaths; i++)
		core_free(in.path[i]);
	FUZZ_CHECK(fuzz_live_blocks == 0, "%ld blocks left allocated", fuzz_live_blocks);
	return 0;
}
