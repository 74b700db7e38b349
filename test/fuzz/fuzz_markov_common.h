/*
 * fuzz_markov_common.h - what the two Markov harnesses share (included by
 * fuzz_markov.c and fuzz_markov_binary.c, each one translation unit): the
 * reader of the stored form, the direct long-double solve used as the
 * attribution oracle, allocation-failure helpers and the shared checks.
 * Static functions: a harness uses what it needs.
 */
#ifndef MOPS_FUZZ_MARKOV_COMMON_H
#define MOPS_FUZZ_MARKOV_COMMON_H

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
 * is at least 1e-3 (below that the normalisation amplifies rounding); not
 * for chains whose counts out of one state span more than 12 digits (below).
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

	/*
	 * Both solves work in long double (64-bit mantissa).  When one state's
	 * transition counts differ by more than 1e12 (counts are 128-bit and the
	 * fuzzer makes them span 38 digits), 1 - p loses most of those digits to
	 * cancellation and neither answer is good to 1e-7: the answers are then
	 * only checked for ranges and sums (check_attribution), not compared.
	 */
	{
		long double wmin[ORACLE_MAX_STATES + 1];
		long double wmax[ORACLE_MAX_STATES + 1];

		for (uint32_t st = 0; st < n; st++)
			wmin[st] = wmax[st] = 0;
		for (uint32_t e = 0; e < o->ned; e++)
		{
			uint32_t	f,
						t;
			u128		w;
			long double x;

			ob_edge(o, e, &f, &t, &w);
			x = ob_amount(w);
			if (wmin[f] == 0 || x < wmin[f])
				wmin[f] = x;
			if (x > wmax[f])
				wmax[f] = x;
		}
		for (uint32_t st = 0; st < n; st++)
			if (wmin[st] > 0 && wmax[st] / wmin[st] > 1e12L)
				return;
	}
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

#endif							/* MOPS_FUZZ_MARKOV_COMMON_H */
