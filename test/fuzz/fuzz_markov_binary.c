/*
 * fuzz_markov_binary.c - libFuzzer harness for the stored / binary form of
 * the markov_model core (src/core/markov.c: mk_validate, mk_format,
 * mk_parse, mk_builder_add_model, mk_builder_finish, mk_attribute)
 *
 * The input is a model body (what follows the varlena header, and what
 * markov_model_recv receives), as bytes.  Properties checked (abort() on
 * failure; the contract is the header comment of markov.h):
 *   - mk_validate accepts exactly the bodies an independent check written
 *     here accepts: version 1, order 1..4, zero padding fields, sizes that
 *     add up; label ends strictly increasing up to label_bytes; labels
 *     normalised (label_normalize gives them back), without '>' or '@', in
 *     strictly increasing byte order, zero padding after them; states of 1 to
 *     order channel ids (< nchannels, UINT32_MAX after a short state, no
 *     channel twice in a row) in strictly increasing order (a shorter state
 *     first), every channel used by some state; transitions in strictly
 *     increasing (from, to) order, from <= nstates, 1 <= to <= nstates + 2,
 *     start only to states, weights > 0; every state has a transition, and
 *     every state with a transition (start included) can reach conversion
 *     or null.  It returns MK_OK or
 *     MK_CORRUPT with err.status set, and leaves nothing allocated;
 *   - on a valid body: mk_body_order is the order byte; mk_format succeeds
 *     and mk_parse of its text gives the same bytes; mk_builder_add_model
 *     into a fresh builder and mk_builder_finish give the same bytes, and
 *     adding it twice doubles every amount (or overflows: MK_OVERFLOW);
 *   - mk_attribute does not crash and satisfies the properties listed in
 *     fuzz_markov.c (ranges, sums, agreement with a direct solve for small
 *     chains); MK_NOT_CONVERGED is allowed;
 *   - allocation failure in mk_validate, mk_format, the builder and
 *     mk_attribute gives MK_NO_MEMORY and leaves nothing allocated.
 * LeakSanitizer checks that everything allocated is freed.
 *
 * The reader of the stored form, the direct solve and the shared checks are
 * in fuzz_markov_common.h, shared with fuzz_markov.c.
 *
 * Findings of these harnesses, fixed in the core (the flags let fuzzing go
 * on past them while they were open, and are kept for bisecting): -DMK_FUZZ_TOLERATE_EMPTY_STATES (a state with neither a
 * transition nor a value is valid but lost by the text round trip) and
 * -DMK_FUZZ_TOLERATE_NOMEM_AS_SYNTAX (an allocation failure inside
 * mk_validate's label check or absorbing check is reported as MK_CORRUPT,
 * and inside mk_parse as MK_SYNTAX) and -DMK_FUZZ_TOLERATE_SMALL_VISITS
 * (mk_attribute's iteration stops at 1e-15 absolute change below 1 visit, so
 * rarely visited states get wrong probabilities; the direct-solve
 * comparison then skips chains with a state visited less than 1e-6 times).
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
 * The independent validity check
 */

static int
compare_bytes(const uint8_t *a, size_t la, const uint8_t *b, size_t lb)
{
	int			c = memcmp(a, b, la < lb ? la : lb);

	if (c != 0)
		return c;
	return la < lb ? -1 : la > lb ? 1 : 0;
}

/* The key of channel slot i of a state: 0 for none, else id + 1. */
static uint64_t
state_key(const ob *o, uint32_t id, int i)
{
	uint32_t	c = ob_state_ch(o, id, i);

	return c == OB_NO_CHANNEL ? 0 : (uint64_t) c + 1;
}

static bool
ob_valid(const uint8_t *p, size_t len)
{
	ob			o;
	uint32_t	prev_end = 0;
	bool	   *used;
	bool	   *reach;
	bool	   *touched;
	bool		ok = true;

	if (len < 24 || p[0] != 1 || p[1] < 1 || p[1] > 4 || p[2] != 0 || p[3] != 0 ||
		ob_le32(p + 20) != 0)
		return false;
	if (!ob_read(&o, p, len) || o.nst > 10000)
		return false;

	/* labels */
	for (uint32_t c = 0; c < o.nch; c++)
	{
		uint32_t	end = ob_le32(o.ends + 4 * (size_t) c);
		size_t		l;
		const uint8_t *s;
		char	   *norm;
		size_t		nlen;
		bool		same;

		if (end <= prev_end || end > o.lb)
			return false;
		prev_end = end;
		s = ob_label(&o, c, &l);
		if (memchr(s, '>', l) || memchr(s, '@', l))
			return false;
		fuzz_alloc_reset(0);
		if (label_normalize((const char *) s, l, &norm, &nlen) != LABEL_OK)
			return false;
		same = nlen == l && memcmp(norm, s, l) == 0;
		core_free(norm);
		if (!same)
			return false;
		if (c > 0)
		{
			size_t		pl;
			const uint8_t *ps = ob_label(&o, c - 1, &pl);

			if (compare_bytes(ps, pl, s, l) >= 0)
				return false;
		}
	}
	if (prev_end != o.lb)
		return false;
	for (size_t i = o.lb; i < ((size_t) o.lb + 3) / 4 * 4; i++)
		if (o.labels[i] != 0)
			return false;

	/* states */
	used = calloc((size_t) o.nch + 1, 1);
	FUZZ_CHECK(used != NULL, "out of memory");
	for (uint32_t id = 1; id <= o.nst && ok; id++)
	{
		int			nreal = 0;

		for (int i = 0; i < o.order && ok; i++)
		{
			uint32_t	c = ob_state_ch(&o, id, i);

			if (c == OB_NO_CHANNEL)
				continue;
			if (nreal != i || c >= o.nch || (i > 0 && ob_state_ch(&o, id, i - 1) == c))
				ok = false;
			else
			{
				used[c] = true;
				nreal++;
			}
		}
		if (nreal == 0)
			ok = false;
		if (ok && id > 1)
		{
			int			cmp = 0;

			for (int i = 0; i < o.order && cmp == 0; i++)
			{
				uint64_t	a = state_key(&o, id - 1, i),
							b = state_key(&o, id, i);

				cmp = a < b ? -1 : a > b ? 1 : 0;
			}
			if (cmp >= 0)
				ok = false;
		}
	}
	for (uint32_t c = 0; c < o.nch && ok; c++)
		ok = used[c];
	free(used);
	if (!ok)
		return false;

	/* transitions */
	for (uint32_t e = 0; e < o.ned; e++)
	{
		uint32_t	f,
					t,
					pf,
					pt;
		u128		w,
					pw;

		ob_edge(&o, e, &f, &t, &w);
		if (f > o.nst || t < 1 || t > o.nst + 2 || w == 0 || (f == 0 && t > o.nst))
			return false;
		if (e > 0)
		{
			ob_edge(&o, e - 1, &pf, &pt, &pw);
			if (pf > f || (pf == f && pt >= t))
				return false;
		}
	}

	/* absorbing: backwards from conversion and null */
	reach = calloc((size_t) o.nst + 3, 1);
	touched = calloc((size_t) o.nst + 3, 1);
	FUZZ_CHECK(reach && touched, "out of memory");
	reach[o.nst + 1] = reach[o.nst + 2] = true;
	for (bool changed = true; changed;)
	{
		changed = false;
		for (uint32_t e = 0; e < o.ned; e++)
		{
			uint32_t	f,
						t;
			u128		w;

			ob_edge(&o, e, &f, &t, &w);
			touched[f] = touched[t] = true;
			if (reach[t] && !reach[f])
				reach[f] = changed = true;
		}
	}
	for (uint32_t s = 0; s <= o.nst && ok; s++)
		ok = s == 0 ? (!touched[s] || reach[s]) : (touched[s] && reach[s]);
	free(reach);
	free(touched);
	return ok;
}

/* ---------------------------------------------------------------------------
 * The binary harness
 */

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
	uint8_t    *in = (uint8_t *) fuzz_dup(data, size);
	mk_error	err;
	mk_status	st;
	bool		expect = ob_valid(in, size);

	FUZZ_CHECK(fuzz_live_blocks == 0, "the validity check left blocks");
	fuzz_alloc_reset(0);
	memset(&err, 0, sizeof(err));
	st = mk_validate(in, size, &err);
	FUZZ_CHECK(fuzz_live_blocks == 0, "mk_validate left %ld blocks", fuzz_live_blocks);
	FUZZ_CHECK((st == MK_OK) == expect, "mk_validate gave %s (%s), the independent check %s",
			   mk_status_name(st), err.detail, expect ? "accepts" : "rejects");
	if (st != MK_OK)
		FUZZ_CHECK(st == MK_CORRUPT && err.status == MK_CORRUPT, "mk_validate gave %s, err.status %s",
				   mk_status_name(st), mk_status_name(err.status));
	else
	{
		ob			o;
		char	   *text;
		size_t		text_len;
		void	   *again;
		size_t		again_len;
		void	   *twice;
		size_t		twice_len;
		mk_status	twice_status;

		FUZZ_CHECK(ob_read(&o, in, size), "layout");
		FUZZ_CHECK(mk_body_order(in) == in[1], "mk_body_order");
		text = format_checked(in, &text_len);
		again = parse_ok(text, text_len, &again_len, "the formatted text of a valid body");
#ifdef MK_FUZZ_TOLERATE_EMPTY_STATES
		if (ob_empty_states(&o) == 0)
#endif
			FUZZ_CHECK(again_len == size && memcmp(again, in, size) == 0,
					   "format then parse gives other bytes (%zu vs %zu; %u states without "
					   "transition or value)", again_len, size, ob_empty_states(&o));
		core_free(again);
		core_free(text);
		check_builder_round_trip(in, size, &twice, &twice_len, &twice_status);
		if (twice != NULL)
			core_free(twice);
		check_attribution(in, size);
	}
	ALLOC_FAILURES("mk_validate", 1000,
				   st = mk_validate(in, size, &err),
#ifdef MK_FUZZ_TOLERATE_NOMEM_AS_SYNTAX
				   st == MK_NO_MEMORY || (!expect && st == MK_CORRUPT) || st == MK_CORRUPT,
#else
				   st == MK_NO_MEMORY || (!expect && st == MK_CORRUPT),
#endif
				   (void) 0);
	free(in);
	FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated");
	return 0;
}
