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

typedef unsigned __int128 u128;

#define MAX_ALLOC_TRIES 48

/*
 * Make allocations of `call` fail one at a time (every one when there are at
 * most max_tries, else a spread sample that includes the first and the last):
 * each must satisfy ok_expr and leave exactly the blocks that were live
 * before.  `cleanup` frees what a successful call returned.
 */
#define ALLOC_FAILURES(what, max_tries, call, ok_expr, cleanup) \
	do { \
		long		base_ = fuzz_live_blocks; \
		long		calls_; \
		long		step_; \
		fuzz_alloc_reset(0); \
		{ call; } \
		calls_ = fuzz_alloc_calls; \
		{ cleanup; } \
		FUZZ_CHECK(fuzz_live_blocks == base_, "%s left blocks allocated", what); \
		step_ = calls_ <= (max_tries) ? 1 : (calls_ + (max_tries) - 1) / (max_tries); \
		for (long k_ = 1; k_ <= calls_; \
			 k_ = (k_ < calls_ && k_ + step_ > calls_) ? calls_ : k_ + step_) \
		{ \
			fuzz_alloc_reset(k_); \
			{ call; } \
			FUZZ_CHECK(ok_expr, "%s: allocation %ld of %ld failing was not reported as no memory " \
					   "(status %s)", what, k_, calls_, mk_status_name(st)); \
			FUZZ_CHECK(fuzz_live_blocks == base_, "%s: allocation %ld of %ld failing left %ld blocks", \
					   what, k_, calls_, fuzz_live_blocks - base_); \
		} \
		fuzz_alloc_reset(0); \
	} while (0)

static const char *
mk_status_name(mk_status s)
{
	switch (s)
	{
		case MK_OK:
			return "MK_OK";
		case MK_SYNTAX:
			return "MK_SYNTAX";
		case MK_CORRUPT:
			return "MK_CORRUPT";
		case MK_TOO_MANY_STATES:
			return "MK_TOO_MANY_STATES";
		case MK_OVERFLOW:
			return "MK_OVERFLOW";
		case MK_BAD_AMOUNT:
			return "MK_BAD_AMOUNT";
		case MK_ORDER_MISMATCH:
			return "MK_ORDER_MISMATCH";
		case MK_NOT_CONVERGED:
			return "MK_NOT_CONVERGED";
		case MK_NO_MEMORY:
			return "MK_NO_MEMORY";
	}
	return "(unknown mk_status)";
}

/* ---------------------------------------------------------------------------
 * An independent reader of the stored form (the layout in markov.h)
 */

typedef struct ob
{
	const uint8_t *p;
	size_t		len;
	int			order;
	uint32_t	nch,
				nst,
				ned,
				lb;
	const uint8_t *ends;
	const uint8_t *labels;
	const uint8_t *states;
	const uint8_t *values;
	const uint8_t *edges;
} ob;

#define OB_NO_CHANNEL UINT32_MAX

static uint32_t
ob_le32(const uint8_t *p)
{
	return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static u128
ob_le128(const uint8_t *p)
{
	u128		v = 0;

	for (int i = 15; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* Lay out the sections; false if the header's sizes do not add up to len. */
static bool
ob_read(ob *o, const void *body, size_t len)
{
	const uint8_t *p = body;
	uint64_t	need;

	memset(o, 0, sizeof(*o));
	if (len < 24)
		return false;
	o->p = p;
	o->len = len;
	o->order = p[1];
	o->nch = ob_le32(p + 4);
	o->nst = ob_le32(p + 8);
	o->ned = ob_le32(p + 12);
	o->lb = ob_le32(p + 16);
	need = 24 + 4 * (uint64_t) o->nch + (((uint64_t) o->lb + 3) / 4) * 4 +
		4 * (uint64_t) o->nst * (uint64_t) o->order + 16 * (uint64_t) o->nst + 24 * (uint64_t) o->ned;
	if (need != len)
		return false;
	o->ends = p + 24;
	o->labels = o->ends + 4 * (size_t) o->nch;
	o->states = o->labels + ((size_t) o->lb + 3) / 4 * 4;
	o->values = o->states + 4 * (size_t) o->nst * (size_t) o->order;
	o->edges = o->values + 16 * (size_t) o->nst;
	return true;
}

static const uint8_t *
ob_label(const ob *o, uint32_t c, size_t *l)
{
	uint32_t	start = c == 0 ? 0 : ob_le32(o->ends + 4 * (size_t) (c - 1));

	*l = ob_le32(o->ends + 4 * (size_t) c) - start;
	return o->labels + start;
}

/* channel i (0-based) of state id (1-based) */
static uint32_t
ob_state_ch(const ob *o, uint32_t id, int i)
{
	return ob_le32(o->states + 4 * ((size_t) (id - 1) * (size_t) o->order + (size_t) i));
}

static u128
ob_value(const ob *o, uint32_t id)
{
	return ob_le128(o->values + 16 * (size_t) (id - 1));
}

static void
ob_edge(const ob *o, uint32_t e, uint32_t *from, uint32_t *to, u128 *w)
{
	const uint8_t *q = o->edges + 24 * (size_t) e;

	*from = ob_le32(q);
	*to = ob_le32(q + 4);
	*w = ob_le128(q + 8);
}

static long double
ob_amount(u128 a)
{
	return ((long double) (uint64_t) (a >> 64) * 18446744073709551616.0L +
			(long double) (uint64_t) a) / 1e18L;
}

/* Does state id contain channel c? */
static bool
ob_state_has(const ob *o, uint32_t id, uint32_t c)
{
	for (int i = 0; i < o->order; i++)
		if (ob_state_ch(o, id, i) == c)
			return true;
	return false;
}

/* States with neither a transition nor a value (known finding, see the top). */
static uint32_t
ob_empty_states(const ob *o)
{
	uint32_t	n = 0;

	for (uint32_t id = 1; id <= o->nst; id++)
	{
		bool		has = ob_value(o, id) != 0;

		for (uint32_t e = 0; e < o->ned && !has; e++)
		{
			uint32_t	f,
						t;
			u128		w;

			ob_edge(o, e, &f, &t, &w);
			has = f == id || t == id;
		}
		n += !has;
	}
	return n;
}

/* ---------------------------------------------------------------------------
 * An independent solve of the chain (DESIGN §3.4), for small chains
 */

#define ORACLE_MAX_STATES 40

/*
 * Conversion probability from start of each transient state (pj[s] =
 * expected visits of s × its conversion probability), with the states in
 * `removed` leading nowhere.  Solves (I - Q^T) v = e_start by Gaussian
 * elimination with partial pivoting.  False if the matrix is singular.
 */
static bool
oracle_pj(const ob *o, const bool *removed, long double *pj, long double *visits)
{
	uint32_t	n = o->nst + 1;	/* 0 = start, 1..nst */
	long double a[ORACLE_MAX_STATES + 1][ORACLE_MAX_STATES + 2];
	long double out[ORACLE_MAX_STATES + 1];
	long double conv[ORACLE_MAX_STATES + 1];
	long double v[ORACLE_MAX_STATES + 1];

	for (uint32_t s = 0; s < n; s++)
	{
		out[s] = conv[s] = 0;
		for (uint32_t t = 0; t <= n; t++)
			a[s][t] = s == t ? 1 : 0;
		a[s][n] = s == 0 ? 1 : 0;	/* right-hand side */
	}
	for (uint32_t e = 0; e < o->ned; e++)
	{
		uint32_t	f,
					t;
		u128		w;

		ob_edge(o, e, &f, &t, &w);
		out[f] += ob_amount(w);
		if (t == o->nst + 1)
			conv[f] += ob_amount(w);
	}
	/* row t: v_t - Σ_s v_s p(s, t) = [t = start] */
	for (uint32_t e = 0; e < o->ned; e++)
	{
		uint32_t	f,
					t;
		u128		w;

		ob_edge(o, e, &f, &t, &w);
		if (t <= o->nst && !removed[f] && out[f] > 0)
			a[t][f] -= ob_amount(w) / out[f];
	}
	for (uint32_t col = 0; col < n; col++)
	{
		uint32_t	piv = col;

		for (uint32_t r = col + 1; r < n; r++)
			if (fabsl(a[r][col]) > fabsl(a[piv][col]))
				piv = r;
		if (a[piv][col] == 0)
			return false;
		if (piv != col)
			for (uint32_t k = 0; k <= n; k++)
			{
				long double x = a[col][k];

				a[col][k] = a[piv][k];
				a[piv][k] = x;
			}
		for (uint32_t r = 0; r < n; r++)
		{
			long double f;

			if (r == col || a[r][col] == 0)
				continue;
			f = a[r][col] / a[col][col];
			for (uint32_t k = col; k <= n; k++)
				a[r][k] -= f * a[col][k];
		}
	}
	for (uint32_t s = 0; s < n; s++)
	{
		v[s] = a[s][n] / a[s][s];
		pj[s] = (removed[s] || out[s] == 0) ? 0 : v[s] * conv[s] / out[s];
		if (visits)
			visits[s] = v[s];
	}
	return true;
}

/*
 * Compare mk_attribute's results with the direct solve: removal effects to
 * 1e-7, and conversions / values to 1e-5 of their totals when Σ RE (Σ REV)
 * is at least 1e-3 (below that the normalisation amplifies rounding).
 */
static void
oracle_compare(const ob *o, const mk_channel_result *res, long double total_conv,
			   long double total_value)
{
	uint32_t	n = o->nst + 1;
	long double base[ORACLE_MAX_STATES + 1];
	long double visits[ORACLE_MAX_STATES + 1];
	long double pj[ORACLE_MAX_STATES + 1];
	long double mv[ORACLE_MAX_STATES + 1];
	long double conv_w[ORACLE_MAX_STATES + 1];
	long double out[ORACLE_MAX_STATES + 1];
	bool		removed[ORACLE_MAX_STATES + 1];
	long double re[4 * ORACLE_MAX_STATES];
	long double rev[4 * ORACLE_MAX_STATES];
	long double base_p = 0,
				base_vp = 0,
				sum_re = 0,
				sum_rev = 0;

	if (o->nst > ORACLE_MAX_STATES || o->nch > 4 * ORACLE_MAX_STATES)
		return;
	memset(removed, 0, sizeof(removed));
	for (uint32_t s = 0; s < n; s++)
		conv_w[s] = out[s] = 0;
	for (uint32_t e = 0; e < o->ned; e++)
	{
		uint32_t	f,
					t;
		u128		w;

		ob_edge(o, e, &f, &t, &w);
		out[f] += ob_amount(w);
		if (t == o->nst + 1)
			conv_w[f] += ob_amount(w);
	}
	if (!oracle_pj(o, removed, base, visits))
		return;
#ifdef MK_FUZZ_TOLERATE_SMALL_VISITS
	/* the known finding: visits below 1 converge only to 1e-15 absolute */
	for (uint32_t s = 1; s < n; s++)
		if (visits[s] > 0 && visits[s] < 1e-6L)
			return;
#endif
	for (uint32_t s = 0; s < n; s++)
	{
		mv[s] = (s > 0 && conv_w[s] > 0) ? ob_amount(ob_value(o, s)) / conv_w[s] : 0;
		base_p += base[s];
		base_vp += mv[s] * base[s];
	}
	for (uint32_t c = 0; c < o->nch; c++)
	{
		long double p = 0,
					lost = 0;

		re[c] = rev[c] = 0;
		if (base_p <= 0)
			continue;
		for (uint32_t s = 1; s < n; s++)
			removed[s] = ob_state_has(o, s, c);
		if (!oracle_pj(o, removed, pj, NULL))
			return;
		for (uint32_t s = 0; s < n; s++)
		{
			p += pj[s];
			lost += mv[s] * (base[s] - pj[s]);
		}
		re[c] = 1 - p / base_p;
		if (re[c] < 0)
			re[c] = 0;
		if (re[c] > 1)
			re[c] = 1;
		rev[c] = base_vp > 0 ? lost / base_vp : 0;
		if (rev[c] < 0)
			rev[c] = 0;
		sum_re += re[c];
		sum_rev += rev[c];
	}
	for (uint32_t c = 0; c < o->nch; c++)
	{
		FUZZ_CHECK(fabsl((long double) res[c].removal_effect - re[c]) <= 1e-7L,
				   "channel %u: removal effect %.17g, the direct solve gives %.17Lg",
				   c, res[c].removal_effect, re[c]);
		if (sum_re >= 1e-3L)
			FUZZ_CHECK(fabsl((long double) res[c].conversions - re[c] / sum_re * total_conv) <=
					   1e-5L * (total_conv > 1 ? total_conv : 1),
					   "channel %u: conversions %.17g, the direct solve gives %.17Lg",
					   c, res[c].conversions, re[c] / sum_re * total_conv);
		if (sum_rev >= 1e-3L)
			FUZZ_CHECK(fabsl((long double) res[c].value - rev[c] / sum_rev * total_value) <=
					   1e-5L * (total_value > 1 ? total_value : 1),
					   "channel %u: value %.17g, the direct solve gives %.17Lg",
					   c, res[c].value, rev[c] / sum_rev * total_value);
	}
}

/* ---------------------------------------------------------------------------
 * Checks shared by both markov harnesses
 */

/* mk_attribute on a valid body: the properties listed at the top. */
static void
check_attribution(const void *body, size_t len)
{
	ob			o;
	mk_channel_result *res = NULL;
	uint32_t	nres = 0;
	mk_error	err;
	mk_status	st;
	long double total_conv = 0,
				total_value = 0,
				sum_conv = 0,
				sum_value = 0;
	bool		any_re = false,
				any_value = false;
	long		base = fuzz_live_blocks;

	FUZZ_CHECK(ob_read(&o, body, len), "the body's sizes do not add up");
	for (uint32_t e = 0; e < o.ned; e++)
	{
		uint32_t	f,
					t;
		u128		w;

		ob_edge(&o, e, &f, &t, &w);
		if (t == o.nst + 1)
			total_conv += ob_amount(w);
	}
	for (uint32_t id = 1; id <= o.nst; id++)
		total_value += ob_amount(ob_value(&o, id));

	memset(&err, 0, sizeof(err));
	fuzz_alloc_reset(0);
	st = mk_attribute(body, &res, &nres, &err);
	if (st == MK_NOT_CONVERGED)
	{
		FUZZ_CHECK(err.status == st, "mk_attribute: err.status %s", mk_status_name(err.status));
		FUZZ_CHECK(fuzz_live_blocks == base, "mk_attribute (not converged) left blocks");
		return;
	}
	FUZZ_CHECK(st == MK_OK, "mk_attribute of a valid body gave %s", mk_status_name(st));
	FUZZ_CHECK(nres == o.nch, "mk_attribute gave %u results for %u channels", nres, o.nch);
	FUZZ_CHECK(fuzz_live_blocks == base + 1, "mk_attribute left %ld blocks", fuzz_live_blocks - base);
	for (uint32_t c = 0; c < nres; c++)
	{
		size_t		l;
		const uint8_t *s = ob_label(&o, c, &l);

		FUZZ_CHECK(res[c].label == (const char *) s && res[c].label_len == l,
				   "result %u is not the body's channel %u", c, c);
		FUZZ_CHECK(isfinite(res[c].removal_effect) && res[c].removal_effect >= 0 &&
				   res[c].removal_effect <= 1, "removal effect %.17g", res[c].removal_effect);
		FUZZ_CHECK(isfinite(res[c].conversions) && res[c].conversions >= 0,
				   "conversions %.17g", res[c].conversions);
		FUZZ_CHECK(isfinite(res[c].value) && res[c].value >= 0, "value %.17g", res[c].value);
		any_re |= res[c].removal_effect > 0;
		any_value |= res[c].value > 0;
		sum_conv += res[c].conversions;
		sum_value += res[c].value;
	}
	if (total_conv == 0)
		for (uint32_t c = 0; c < nres; c++)
			FUZZ_CHECK(res[c].removal_effect == 0 && res[c].conversions == 0 && res[c].value == 0,
					   "a model without conversions credits channel %u", c);
	if (any_re)
		FUZZ_CHECK(fabsl(sum_conv - total_conv) <= 1e-9L * total_conv,
				   "Σ conversions %.17Lg, total %.17Lg", sum_conv, total_conv);
	if (any_value)
		FUZZ_CHECK(fabsl(sum_value - total_value) <= 1e-9L * total_value,
				   "Σ value %.17Lg, total %.17Lg", sum_value, total_value);
	oracle_compare(&o, res, total_conv, total_value);
	core_free(res);
	FUZZ_CHECK(fuzz_live_blocks == base, "mk_attribute results: blocks left");

	if (o.nst <= 64)
		ALLOC_FAILURES("mk_attribute", MAX_ALLOC_TRIES,
					   st = mk_attribute(body, &res, &nres, &err),
					   st == MK_NO_MEMORY,
					   if (st == MK_OK) core_free(res));
}

/* Finish a builder into a fresh body; MK_OK or the status. */
static mk_status
finish(mk_builder *b, void **out, size_t *out_len)
{
	mk_error	err;

	memset(&err, 0, sizeof(err));
	return mk_builder_finish(b, out, out_len, &err);
}

/*
 * mk_builder_add_model of the body into a fresh builder gives the same bytes;
 * twice gives the model with every amount doubled (or MK_OVERFLOW), whose
 * bytes go to *twice (NULL on overflow).
 */
static void
check_builder_round_trip(const void *body, size_t len, void **twice, size_t *twice_len,
						 mk_status *twice_status)
{
	int			order = mk_body_order(body);
	mk_builder *b = mk_builder_new(order);
	mk_error	err;
	void	   *out;
	size_t		out_len;
	mk_status	st;

	FUZZ_CHECK(b != NULL, "mk_builder_new(%d)", order);
	memset(&err, 0, sizeof(err));
	st = mk_builder_add_model(b, body, &err);
	FUZZ_CHECK(st == MK_OK, "mk_builder_add_model of a valid body: %s", mk_status_name(st));
	st = finish(b, &out, &out_len);
	FUZZ_CHECK(st == MK_OK, "mk_builder_finish: %s", mk_status_name(st));
	FUZZ_CHECK(out_len == len && memcmp(out, body, len) == 0,
			   "adding the body to a fresh builder gives other bytes (%zu vs %zu)", out_len, len);
	core_free(out);

	st = mk_builder_add_model(b, body, &err);
	*twice = NULL;
	*twice_len = 0;
	*twice_status = st;
	if (st == MK_OK)
	{
		ob			o1,
					o2;

		st = finish(b, twice, twice_len);
		FUZZ_CHECK(st == MK_OK, "mk_builder_finish (twice): %s", mk_status_name(st));
		/* independently: the same layout with every amount doubled */
		FUZZ_CHECK(*twice_len == len && ob_read(&o1, body, len) && ob_read(&o2, *twice, *twice_len),
				   "the doubled model has another layout");
		FUZZ_CHECK(memcmp(*twice, body, (size_t) (o1.values - o1.p)) == 0,
				   "the doubled model has other labels or states");
		for (uint32_t id = 1; id <= o1.nst; id++)
			FUZZ_CHECK(ob_value(&o2, id) == 2 * ob_value(&o1, id), "state %u: value not doubled", id);
		for (uint32_t e = 0; e < o1.ned; e++)
		{
			uint32_t	f1,
						t1,
						f2,
						t2;
			u128		w1,
						w2;

			ob_edge(&o1, e, &f1, &t1, &w1);
			ob_edge(&o2, e, &f2, &t2, &w2);
			FUZZ_CHECK(f1 == f2 && t1 == t2 && w2 == 2 * w1, "transition %u not doubled", e);
		}
	}
	else
	{
		FUZZ_CHECK(st == MK_OVERFLOW && err.status == MK_OVERFLOW,
				   "adding a valid body twice gave %s", mk_status_name(st));
	}
	mk_builder_free(b);

	/* allocation failures in add_model and finish */
	ALLOC_FAILURES("mk_builder_add_model/finish", MAX_ALLOC_TRIES,
				   {
					   b = mk_builder_new(order);
					   st = b == NULL ? MK_NO_MEMORY : mk_builder_add_model(b, body, &err);
					   if (st == MK_OK)
						   st = finish(b, &out, &out_len);
					   mk_builder_free(b);
				   },
				   st == MK_NO_MEMORY,
				   if (st == MK_OK) core_free(out));
}

/* mk_format of a valid body, with its allocation failures; caller frees. */
static char *
format_checked(const void *body, size_t *text_len)
{
	char	   *text = NULL;
	size_t		tl = 0;
	mk_status	st;

	ALLOC_FAILURES("mk_format", MAX_ALLOC_TRIES,
				   st = mk_format(body, &text, &tl),
				   st == MK_NO_MEMORY,
				   if (st == MK_OK) core_free(text));
	fuzz_alloc_reset(0);
	st = mk_format(body, &text, &tl);
	FUZZ_CHECK(st == MK_OK, "mk_format of a valid body: %s", mk_status_name(st));
	FUZZ_CHECK(strlen(text) == tl, "mk_format: length %zu, strlen %zu", tl, strlen(text));
	*text_len = tl;
	return text;
}

/* mk_parse that must succeed; returns the body. */
static void *
parse_ok(const char *text, size_t len, size_t *body_len, const char *what)
{
	void	   *body = NULL;
	mk_error	err;
	mk_status	st;
	char	   *copy = fuzz_dup(text, len);

	memset(&err, 0, sizeof(err));
	st = mk_parse(copy, len, &body, body_len, &err);
	FUZZ_CHECK(st == MK_OK, "%s: mk_parse gave %s (%s) for: %.*s", what, mk_status_name(st),
			   err.detail, (int) (len > 300 ? 300 : len), text);
	free(copy);
	return body;
}

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
