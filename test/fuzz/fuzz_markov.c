/*
 * fuzz_markov.c - libFuzzer harness for the text form of the markov_model
 * core (src/core/markov.c: mk_parse, mk_format, mk_validate,
 * mk_builder_add_model, mk_builder_finish, mk_attribute)
 *
 * The input is a markov_model text literal, as bytes.  Properties checked
 * (abort() on failure; the contract is the header comment of markov.h):
 *   - mk_parse returns one of MK_OK, MK_SYNTAX, MK_TOO_MANY_STATES,
 *     MK_OVERFLOW (never MK_CORRUPT and friends), err.status is the returned
 *     status, and a failed parse leaves nothing allocated;
 *   - on MK_OK the body is the only block left, mk_validate accepts it, its
 *     order is the digit the text declares, and an independent reader of the
 *     documented stored layout (written here) finds sizes that add up to the
 *     body's length;
 *   - mk_format of the body gives text that mk_parse reads back to the same
 *     bytes, and formatting that gives the same text again;
 *   - canonical form: the items of the formatted text in reverse order parse
 *     to the same bytes; every item written twice parses to the model added
 *     to itself (mk_builder_add_model twice; both MK_OVERFLOW or equal bytes);
 *   - mk_builder_add_model of the body into a fresh builder and
 *     mk_builder_finish give the same bytes;
 *   - mk_attribute does not crash; it succeeds or reports MK_NOT_CONVERGED;
 *     on success: one result per channel in the body's label order, removal
 *     effects in [0, 1], conversions and values finite and >= 0, Σ
 *     conversions = the total conversion count and Σ value = the total value
 *     (1e-9 relative) when anything is credited, everything 0 without
 *     conversions; for chains of at most 40 states the removal effects agree
 *     with an independent direct solve written here (Gaussian elimination in
 *     long double; 1e-7 absolute), and so do conversions and values (1e-5
 *     relative to the totals) when the removal effects sum to 1e-3 or more;
 *   - allocation failure: making one allocation of mk_parse, mk_format,
 *     mk_builder_add_model / finish or mk_attribute fail (every one for
 *     small inputs, a spread sample otherwise) gives MK_NO_MEMORY and leaves
 *     nothing allocated.
 * LeakSanitizer checks that everything allocated is freed.
 *
 * Findings of this harness, all fixed in the core; the flags that let
 * fuzzing go on past them while they were open are kept for bisecting:
 *   -DMK_FUZZ_TOLERATE_EMPTY_STATES  a body may hold a state with neither a
 *       transition nor a value (text 'order 1; "a" value 0'; markov_fit of a
 *       path with zero counts); the text form cannot show it, so the round
 *       trip loses it.  With the flag the round trip is checked from the
 *       re-parsed body on.
 *   -DMK_FUZZ_TOLERATE_NOMEM_AS_SYNTAX  an allocation failure inside
 *       label normalisation or validation during mk_parse is reported as
 *       MK_SYNTAX.
 *   -DMK_FUZZ_TOLERATE_SMALL_VISITS  mk_attribute stops iterating when no
 *       expected visit count changes by more than 1e-15 in absolute terms
 *       below 1 visit, so states visited less than about 1e-6 times per path
 *       (a channel with 1e12 times the paths of another) get visibly wrong
 *       probabilities; with the flag the direct-solve comparison skips such
 *       chains.
 */
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_alloc.h"
#include "label.h"
#include "markov.h"
#include "fuzz_common.h"

#include "fuzz_markov_common.h"

/* ---------------------------------------------------------------------------
 * The text harness
 */

/* The order digit declared by an accepted text: blanks, "order", blanks, digit. */
static int
declared_order(const char *s, size_t len)
{
	size_t		i = 0;

	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	FUZZ_CHECK(len - i >= 5 && memcmp(s + i, "order", 5) == 0, "accepted text does not start with order");
	i += 5;
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	FUZZ_CHECK(i < len && s[i] >= '1' && s[i] <= '4', "accepted text has no order digit");
	return s[i] - '0';
}

/*
 * Split formatted text "order k; item; item" into its items (outside double
 * quotes, with backslash escapes inside them).  Returns the number of items;
 * starts[i], lens[i] locate item i.  *head_len is the length of "order k".
 */
static size_t
split_items(const char *t, size_t len, size_t *starts, size_t *lens, size_t max, size_t *head_len)
{
	size_t		n = 0;
	bool		quoted = false;
	size_t		item_start = 0;
	bool		in_head = true;

	for (size_t i = 0; i <= len; i++)
	{
		if (i < len && quoted)
		{
			if (t[i] == '\\')
				i++;
			else if (t[i] == '"')
				quoted = false;
			continue;
		}
		if (i < len && t[i] == '"')
		{
			quoted = true;
			continue;
		}
		if (i == len || (t[i] == ';' && i + 1 < len && t[i + 1] == ' '))
		{
			if (in_head)
			{
				*head_len = i;
				in_head = false;
			}
			else
			{
				FUZZ_CHECK(n < max, "too many items");
				starts[n] = item_start;
				lens[n] = i - item_start;
				n++;
			}
			item_start = i + 2;
			i++;
		}
	}
	FUZZ_CHECK(!quoted, "formatted text ends inside a label");
	return n;
}

static void
check_text_forms(const void *body, size_t body_len, const char *text, size_t text_len)
{
	size_t		max = text_len / 4 + 2;
	size_t	   *starts = malloc(sizeof(size_t) * max);
	size_t	   *lens = malloc(sizeof(size_t) * max);
	size_t		head_len = 0;
	size_t		n;
	char	   *buf;
	size_t		pos;
	void	   *again;
	size_t		again_len;
	void	   *twice;
	size_t		twice_len;
	mk_status	twice_status;

	FUZZ_CHECK(starts && lens, "out of memory");
	n = split_items(text, text_len, starts, lens, max, &head_len);
	buf = malloc(2 * text_len + 16);
	FUZZ_CHECK(buf != NULL, "out of memory");

	/* the items in reverse order */
	memcpy(buf, text, head_len);
	pos = head_len;
	for (size_t i = n; i-- > 0;)
	{
		memcpy(buf + pos, "; ", 2);
		memcpy(buf + pos + 2, text + starts[i], lens[i]);
		pos += 2 + lens[i];
	}
	again = parse_ok(buf, pos, &again_len, "the items in reverse order");
	FUZZ_CHECK(again_len == body_len && memcmp(again, body, body_len) == 0,
			   "the items in reverse order give other bytes");
	core_free(again);

	/* every item twice: the model added to itself */
	check_builder_round_trip(body, body_len, &twice, &twice_len, &twice_status);
	memcpy(buf, text, head_len);
	pos = head_len;
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < 2; k++)
		{
			memcpy(buf + pos, "; ", 2);
			memcpy(buf + pos + 2, text + starts[i], lens[i]);
			pos += 2 + lens[i];
		}
	{
		mk_error	err;
		mk_status	st;
		char	   *copy = fuzz_dup(buf, pos);

		memset(&err, 0, sizeof(err));
		again = NULL;
		st = mk_parse(copy, pos, &again, &again_len, &err);
		free(copy);
		if (twice_status == MK_OK)
		{
			FUZZ_CHECK(st == MK_OK, "every item twice: %s (%s)", mk_status_name(st), err.detail);
			FUZZ_CHECK(again_len == twice_len && memcmp(again, twice, twice_len) == 0,
					   "every item twice is not the model added to itself");
			core_free(again);
			core_free(twice);
		}
		else
			FUZZ_CHECK(st == MK_OVERFLOW, "every item twice: %s, but adding the model to itself overflows",
					   mk_status_name(st));
	}
	free(buf);
	free(starts);
	free(lens);
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
	void	   *body = NULL;
	size_t		body_len = 0;
	mk_error	err;
	mk_status	st;
	ob			o;

	fuzz_alloc_reset(0);
	memset(&err, 0, sizeof(err));
	st = mk_parse(in, size, &body, &body_len, &err);
	if (st != MK_OK)
	{
		FUZZ_CHECK(st == MK_SYNTAX || st == MK_TOO_MANY_STATES || st == MK_OVERFLOW,
				   "mk_parse gave %s", mk_status_name(st));
		FUZZ_CHECK(err.status == st, "mk_parse returned %s, err.status %s", mk_status_name(st),
				   mk_status_name(err.status));
		FUZZ_CHECK(fuzz_live_blocks == 0, "a failed mk_parse left %ld blocks", fuzz_live_blocks);
	}
	else
	{
		char	   *text;
		size_t		text_len;
		void	   *again;
		size_t		again_len;

		FUZZ_CHECK(fuzz_live_blocks == 1, "mk_parse left %ld blocks besides nothing", fuzz_live_blocks);
		FUZZ_CHECK(ob_read(&o, body, body_len), "the body's sizes do not add up to its length");
		FUZZ_CHECK(o.order == declared_order(in, size), "body order %d, text order %d",
				   o.order, declared_order(in, size));
		FUZZ_CHECK(mk_body_order(body) == o.order, "mk_body_order");
		FUZZ_CHECK(mk_validate(body, body_len, &err) == MK_OK, "mk_validate rejects a parsed body: %s",
				   err.detail);

		text = format_checked(body, &text_len);
		again = parse_ok(text, text_len, &again_len, "the formatted text");
#ifdef MK_FUZZ_TOLERATE_EMPTY_STATES
		if (ob_empty_states(&o) == 0)
#endif
			FUZZ_CHECK(again_len == body_len && memcmp(again, body, body_len) == 0,
					   "format then parse gives other bytes (%zu vs %zu; %u states without "
					   "transition or value): %s", again_len, body_len, ob_empty_states(&o), text);
		{
			char	   *text2;
			size_t		text2_len;

			text2 = format_checked(again, &text2_len);
			FUZZ_CHECK(text2_len == text_len && memcmp(text2, text, text_len) == 0,
					   "formatting the re-parsed body gives other text");
			core_free(text2);
		}
		check_text_forms(again, again_len, text, text_len);
		check_attribution(body, body_len);
		core_free(again);
		core_free(text);
		core_free(body);
		FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated");
	}

	/* allocation failures of mk_parse */
	ALLOC_FAILURES("mk_parse", size < 256 ? 1000 : MAX_ALLOC_TRIES,
				   {
					   memset(&err, 0, sizeof(err));
					   body = NULL;
					   st = mk_parse(in, size, &body, &body_len, &err);
				   },
#ifdef MK_FUZZ_TOLERATE_NOMEM_AS_SYNTAX
				   st == MK_NO_MEMORY || st == MK_SYNTAX,
#else
				   st == MK_NO_MEMORY,
#endif
				   if (st == MK_OK) core_free(body));
	free(in);
	FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated");
	return 0;
}
