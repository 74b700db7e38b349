/*
 * fuzz_attribution.c - libFuzzer harness for the rule-based attribution core
 * (src/core/attribution.c: attr_parse_model, attr_weights, attr_credits,
 * attr_scale, attr_place_point) on paths read by tp_parse
 *
 * The input is five lines (split at the first four '\n'):
 *     model name
 *     value (a decimal string as numeric_out writes it, or anything)
 *     half-life in microseconds (a decimal int64, may be negative)
 *     conversion_at in microseconds since 2000-01-01 UTC, or empty for none
 *     a touch_path text literal (the rest of the input)
 * Properties checked (abort() on failure; the contract is the header comment
 * of attribution.h):
 *   - attr_parse_model agrees with an independent reading: blanks and tabs
 *     trimmed, ASCII letters folded, ' ' and '-' read as '_', then one of the
 *     seven names or u_shaped;
 *   - attr_weights (on a path tp_parse accepts) gives the documented status:
 *     OK for the empty path; for time_decay, ATTR_BAD_HALF_LIFE for a
 *     half-life <= 0, then ATTR_NEEDS_TIMES if a touch has no time, then
 *     ATTR_AFTER_CONVERSION if conversion_at precedes the last touch; and the
 *     documented weights: first_touch, last_touch, last_non_direct, linear,
 *     position_based (1 / 1,1 / 2(n-2),1,…,1,2(n-2)) and shapley_simplified
 *     (1 on the first touch of each channel) exactly; time_decay weights
 *     non-decreasing along the path, the last touch's 2^(62 - ceil(log2 n)),
 *     every weight within 1e-12 (relative to the last) of
 *     2^(62 - ceil(log2 n) - Δt/h) and exactly a power of two when Δt/h is a
 *     whole number; total = Σ weights <= 2^62, > 0;
 *   - attr_credits: ATTR_OVERFLOW exactly when S > 38 or value·10^S,
 *     2·value·10^S·W + W do not fit in 128 bits (S = max(16, decimals of
 *     the value)); ATTR_BAD_VALUE (or ATTR_OVERFLOW, whichever the scan meets
 *     first) for anything but digits with at most one '.'; *scale = S; on
 *     ATTR_OK every credit is a canonical decimal string (no leading zeros,
 *     no trailing fractional zeros, at most S decimals), the credits sum
 *     EXACTLY to the value (an exact decimal adder here), and every partial
 *     sum P_i is round-half-up of value·C_i at S decimals, checked in exact
 *     big-integer arithmetic: 2·P_i·W <= 2·V·c_i + W < 2·P_i·W + 2·W with
 *     V = value·10^S, c_i the cumulative weight;
 *   - allocation failure: making any allocation of attr_credits fail gives
 *     ATTR_NO_MEMORY and leaves nothing allocated; nothing is left
 *     allocated after any call.
 * LeakSanitizer checks that everything allocated is freed.
 *
 * A finding of this harness, fixed in the core; the flag that let fuzzing go
 * on past it while it was open is kept for bisecting:
 *   -DATTR_FUZZ_TOLERATE_NUL_IN_MODEL  attr_parse_model compares the name
 *       with strcmp, so "linear\0xyz" is read as linear.  (SQL text cannot
 *       hold a NUL, so attribute() is not affected.)
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attribution.h"
#include "core_alloc.h"
#include "touch_path.h"
#include "fuzz_common.h"

typedef unsigned __int128 u128;

/* ---------------------------------------------------------------------------
 * Exact arithmetic: non-negative big integers, base 2^32, little-endian
 */

typedef struct big
{
	uint32_t   *d;
	size_t		n;				/* limbs in use (no leading zero limb) */
	size_t		cap;
} big;

static void
big_init(big *b, size_t cap)
{
	b->d = calloc(cap, sizeof(uint32_t));
	FUZZ_CHECK(b->d != NULL, "out of memory");
	b->n = 0;
	b->cap = cap;
}

static void
big_free(big *b)
{
	free(b->d);
}

static void
big_copy(big *dst, const big *src)
{
	FUZZ_CHECK(dst->cap >= src->n, "big capacity");
	memcpy(dst->d, src->d, src->n * sizeof(uint32_t));
	dst->n = src->n;
}

static void
big_set_u64(big *b, uint64_t v)
{
	b->n = 0;
	while (v != 0)
	{
		FUZZ_CHECK(b->n < b->cap, "big capacity");
		b->d[b->n++] = (uint32_t) v;
		v >>= 32;
	}
}

/* b = b * m + a */
static void
big_mul_add_u32(big *b, uint32_t m, uint32_t a)
{
	uint64_t	carry = a;

	for (size_t i = 0; i < b->n; i++)
	{
		uint64_t	x = (uint64_t) b->d[i] * m + carry;

		b->d[i] = (uint32_t) x;
		carry = x >> 32;
	}
	if (carry != 0)
	{
		FUZZ_CHECK(b->n < b->cap, "big capacity");
		b->d[b->n++] = (uint32_t) carry;
	}
	while (b->n > 0 && b->d[b->n - 1] == 0)
		b->n--;
}

/* r = a * m (m < 2^64), r distinct from a */
static void
big_mul_u64(big *r, const big *a, uint64_t m)
{
	big			hi;

	big_init(&hi, a->n + 4);
	big_copy(r, a);
	big_mul_add_u32(r, (uint32_t) m, 0);
	big_copy(&hi, a);
	big_mul_add_u32(&hi, (uint32_t) (m >> 32), 0);
	/* r += hi << 32; the sum fits in need limbs */
	{
		uint64_t	carry = 0;
		size_t		need = hi.n + 2 > r->n + 1 ? hi.n + 2 : r->n + 1;

		FUZZ_CHECK(r->cap >= need, "big capacity");
		for (size_t i = r->n; i < need; i++)
			r->d[i] = 0;
		for (size_t i = 0; i + 1 < need && (i < hi.n || carry); i++)
		{
			uint64_t	x = (uint64_t) r->d[i + 1] + (i < hi.n ? hi.d[i] : 0) + carry;

			r->d[i + 1] = (uint32_t) x;
			carry = x >> 32;
		}
		FUZZ_CHECK(carry == 0, "big_mul_u64 carry");
		r->n = need;
		while (r->n > 0 && r->d[r->n - 1] == 0)
			r->n--;
	}
	big_free(&hi);
}

/* a += b */
static void
big_add(big *a, const big *b)
{
	uint64_t	carry = 0;
	size_t		n = a->n > b->n ? a->n : b->n;

	FUZZ_CHECK(a->cap >= n + 1, "big capacity");
	for (size_t i = a->n; i < n + 1; i++)
		a->d[i] = 0;
	for (size_t i = 0; i < n; i++)
	{
		uint64_t	x = (uint64_t) a->d[i] + (i < b->n ? b->d[i] : 0) + carry;

		a->d[i] = (uint32_t) x;
		carry = x >> 32;
	}
	a->d[n] = (uint32_t) carry;
	a->n = n + 1;
	while (a->n > 0 && a->d[a->n - 1] == 0)
		a->n--;
}

static int
big_cmp(const big *a, const big *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (size_t i = a->n; i-- > 0;)
		if (a->d[i] != b->d[i])
			return a->d[i] < b->d[i] ? -1 : 1;
	return 0;
}

/* bits needed for a (0 for zero) */
static size_t
big_bits(const big *a)
{
	size_t		bits;
	uint32_t	top;

	if (a->n == 0)
		return 0;
	bits = (a->n - 1) * 32;
	top = a->d[a->n - 1];
	while (top != 0)
	{
		bits++;
		top >>= 1;
	}
	return bits;
}

/* ---------------------------------------------------------------------------
 * Decimal strings
 */

/* Digits with at most one '.', non-empty (what attr_credits' scan accepts). */
static bool
value_syntax_ok(const char *s)
{
	bool		point = false;

	if (*s == '\0')
		return false;
	for (; *s; s++)
	{
		if (*s == '.' && !point)
			point = true;
		else if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

static int
decimals_of(const char *s)
{
	const char *p = strchr(s, '.');

	return p ? (int) strlen(p + 1) : 0;
}

/* value (syntax ok) times 10^scale as a big integer, scale >= its decimals */
static void
big_from_decimal(big *b, const char *s, int scale)
{
	int			frac = 0;
	bool		point = false;

	b->n = 0;
	for (; *s; s++)
	{
		if (*s == '.')
		{
			point = true;
			continue;
		}
		big_mul_add_u32(b, 10, (uint32_t) (*s - '0'));
		frac += point;
	}
	for (int i = frac; i < scale; i++)
		big_mul_add_u32(b, 10, 0);
}

/* A canonical credit: "0", or [1-9][0-9]* / 0, then optionally '.' digits not ending in 0. */
static bool
credit_canonical(const char *c, int scale)
{
	const char *p = c;
	const char *point;

	if (*p < '0' || *p > '9')
		return false;
	if (*p == '0' && p[1] != '\0' && p[1] != '.')
		return false;			/* leading zero */
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '\0')
		return true;
	if (*p != '.')
		return false;
	point = p++;
	if (*p == '\0')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p != '\0' || p[-1] == '0')
		return false;
	return (int) (p - point - 1) <= scale;
}

/* ---------------------------------------------------------------------------
 * Model names
 */

static const char *const model_names[] = {
	"first_touch", "last_touch", "last_non_direct", "linear", "position_based", "u_shaped",
	"time_decay", "shapley_simplified"
};
static const attr_model model_values[] = {
	ATTR_FIRST_TOUCH, ATTR_LAST_TOUCH, ATTR_LAST_NON_DIRECT, ATTR_LINEAR, ATTR_POSITION_BASED,
	ATTR_POSITION_BASED, ATTR_TIME_DECAY, ATTR_SHAPLEY_SIMPLIFIED
};

static bool
oracle_model(const char *s, size_t len, attr_model *model)
{
	size_t		a = 0,
				b = len;
	char		name[64];

	while (a < b && (s[a] == ' ' || s[a] == '\t'))
		a++;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	if (b - a >= sizeof(name))
		return false;
#ifdef ATTR_FUZZ_TOLERATE_NUL_IN_MODEL
	if (b - a >= 32)			/* the core's buffer, which holds the bytes after a NUL too */
		return false;
#endif
	for (size_t i = a; i < b; i++)
	{
		char		c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		else if (c == ' ' || c == '-')
			c = '_';
#ifdef ATTR_FUZZ_TOLERATE_NUL_IN_MODEL
		else if (c == '\0')
		{
			b = i;
			break;
		}
#endif
		name[i - a] = c;
	}
	for (size_t k = 0; k < sizeof(model_names) / sizeof(model_names[0]); k++)
		if (strlen(model_names[k]) == b - a && memcmp(model_names[k], name, b - a) == 0)
		{
			*model = model_values[k];
			return true;
		}
	return false;
}

/* ---------------------------------------------------------------------------
 * The harness
 */

static int64_t
parse_i64(const char *s, size_t len, bool *present)
{
	char		buf[32];

	*present = len > 0;
	if (len == 0)
		return 0;
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return strtoll(buf, NULL, 10);
}

static int
ceil_log2_u32(uint32_t n)
{
	int			b = 0;

	while (((uint64_t) 1 << b) < n)
		b++;
	return b;
}

static void
check_weights(attr_model model, const tp_view *v, int64_t conv, int64_t hl,
			  const uint64_t *w, uint64_t total)
{
	uint32_t	n = v->ntouches;
	uint64_t	sum = 0;

	for (uint32_t i = 0; i < n; i++)
	{
		FUZZ_CHECK(sum + w[i] >= sum, "weights overflow");
		sum += w[i];
	}
	FUZZ_CHECK(sum == total, "total %llu, Σ weights %llu", (unsigned long long) total,
			   (unsigned long long) sum);
	FUZZ_CHECK(total > 0 && total <= ((uint64_t) 1 << 62), "total %llu", (unsigned long long) total);
	for (uint32_t i = 0; i < n; i++)
	{
		uint64_t	expect = 0;
		bool		exact = true;

		switch (model)
		{
			case ATTR_FIRST_TOUCH:
				expect = i == 0;
				break;
			case ATTR_LAST_TOUCH:
				expect = i == n - 1;
				break;
			case ATTR_LAST_NON_DIRECT:
				{
					uint32_t	chosen = n - 1;

					for (uint32_t t = n; t-- > 0;)
					{
						size_t		l;
						const char *lab = tp_view_label(v, tp_view_channel(v, t), &l);

						if (!(l == 6 && memcmp(lab, "direct", 6) == 0))
						{
							chosen = t;
							break;
						}
					}
					expect = i == chosen;
				}
				break;
			case ATTR_LINEAR:
				expect = 1;
				break;
			case ATTR_POSITION_BASED:
				expect = (n >= 3 && (i == 0 || i == n - 1)) ? 2 * (uint64_t) (n - 2) : 1;
				break;
			case ATTR_SHAPLEY_SIMPLIFIED:
				{
					size_t		l;
					const char *lab = tp_view_label(v, tp_view_channel(v, i), &l);

					expect = 1;
					for (uint32_t t = 0; t < i; t++)
					{
						size_t		l2;
						const char *lab2 = tp_view_label(v, tp_view_channel(v, t), &l2);

						if (l2 == l && memcmp(lab2, lab, l) == 0)
							expect = 0;
					}
				}
				break;
			case ATTR_TIME_DECAY:
				exact = false;
				break;
		}
		if (exact)
			FUZZ_CHECK(w[i] == expect, "model %d touch %u of %u: weight %llu, expected %llu",
					   (int) model, i + 1, n, (unsigned long long) w[i], (unsigned long long) expect);
	}
	if (model == ATTR_TIME_DECAY)
	{
		int			sb = 62 - ceil_log2_u32(n);
		int64_t		last = tp_view_time(v, n - 1);
		long double top = ldexpl(1, sb);

		(void) conv;
		FUZZ_CHECK(w[n - 1] == ((uint64_t) 1 << sb), "time_decay: the last touch weighs %llu, not 2^%d",
				   (unsigned long long) w[n - 1], sb);
		for (uint32_t i = 0; i < n; i++)
		{
			int64_t		dt = last - tp_view_time(v, i);
			long double expect = ldexpl(exp2l(-(long double) dt / (long double) hl), sb);

			FUZZ_CHECK(i == 0 || w[i - 1] <= w[i], "time_decay: weights decrease at touch %u", i + 1);
			FUZZ_CHECK(fabsl((long double) w[i] - expect) <= 1e-12L * top + 1,
					   "time_decay touch %u: weight %llu, expected %.6Lf", i + 1,
					   (unsigned long long) w[i], expect);
			if (dt % hl == 0 && dt / hl <= sb)
				FUZZ_CHECK(w[i] == (uint64_t) 1 << (sb - dt / hl),
						   "time_decay touch %u: Δt/h = %lld, weight %llu is not 2^%lld", i + 1,
						   (long long) (dt / hl), (unsigned long long) w[i], (long long) (sb - dt / hl));
		}
	}
}

static void
check_credits(const char *value, const uint64_t *w, uint32_t n, uint64_t total)
{
	char	  **credits = calloc(n, sizeof(char *));
	int			scale = -1;
	int			S;
	attr_status st;
	long		base = fuzz_live_blocks;
	bool		syntax = value_syntax_ok(value);

	FUZZ_CHECK(credits != NULL, "out of memory");
	S = decimals_of(value);
	if (S < ATTR_MIN_SCALE)
		S = ATTR_MIN_SCALE;
	FUZZ_CHECK(attr_scale(value) == S, "attr_scale(\"%s\") = %d, expected %d", value, attr_scale(value), S);

	fuzz_alloc_reset(0);
	st = attr_credits(value, w, n, total, credits, &scale);
	FUZZ_CHECK(scale == S, "attr_credits: scale %d, expected %d", scale, S);
	if (S > 38)
		FUZZ_CHECK(st == ATTR_OVERFLOW, "scale %d > 38 gave %d, not ATTR_OVERFLOW", S, (int) st);
	else if (!syntax)
		FUZZ_CHECK(st == ATTR_BAD_VALUE || st == ATTR_OVERFLOW, "bad value \"%s\" gave %d", value, (int) st);
	else
	{
		size_t		cap = (strlen(value) + (size_t) S) / 9 + 16;
		big			V,
					bound,
					tmp;

		big_init(&V, cap);
		big_init(&bound, cap);
		big_init(&tmp, cap);
		big_from_decimal(&V, value, S);
		/* 2·V·W + W fits in 128 bits? */
		big_mul_u64(&bound, &V, total);
		big_mul_add_u32(&bound, 2, 0);
		big_set_u64(&tmp, total);
		big_add(&bound, &tmp);
		if (big_bits(&V) > 128 || big_bits(&bound) > 128)
			FUZZ_CHECK(st == ATTR_OVERFLOW, "value \"%s\" × W = %llu exceeds 128 bits but gave %d",
					   value, (unsigned long long) total, (int) st);
		else
		{
			big			P,
						lhs,
						rhs,
						credit;
			uint64_t	cum = 0;

			FUZZ_CHECK(st == ATTR_OK, "value \"%s\" gave %d", value, (int) st);
			FUZZ_CHECK(fuzz_live_blocks == base + (long) n, "attr_credits left %ld blocks for %u credits",
					   fuzz_live_blocks - base, n);
			big_init(&P, cap);
			big_init(&lhs, cap);
			big_init(&rhs, cap);
			big_init(&credit, cap);
			for (uint32_t i = 0; i < n; i++)
			{
				FUZZ_CHECK(credits[i] != NULL && credit_canonical(credits[i], S),
						   "credit %u \"%s\" is not a canonical decimal of at most %d places",
						   i + 1, credits[i] ? credits[i] : "(null)", S);
				/* exact decimal adder: P += credit (scaled by 10^S) */
				big_from_decimal(&credit, credits[i], S);
				big_add(&P, &credit);
				cum += w[i];
				/* 2·P·W <= 2·V·c + W < 2·P·W + 2W */
				big_mul_u64(&lhs, &P, total);
				big_mul_add_u32(&lhs, 2, 0);
				big_mul_u64(&rhs, &V, cum);
				big_mul_add_u32(&rhs, 2, 0);
				big_set_u64(&tmp, total);
				big_add(&rhs, &tmp);
				FUZZ_CHECK(big_cmp(&lhs, &rhs) <= 0,
						   "partial sum %u is above round-half-up of value·C_i (value \"%s\")", i + 1, value);
				big_set_u64(&tmp, total);
				big_add(&lhs, &tmp);
				big_add(&lhs, &tmp);
				FUZZ_CHECK(big_cmp(&rhs, &lhs) < 0,
						   "partial sum %u is below round-half-up of value·C_i (value \"%s\")", i + 1, value);
			}
			/* the credits sum to the value exactly */
			FUZZ_CHECK(big_cmp(&P, &V) == 0, "the credits do not sum to the value \"%s\"", value);
			for (uint32_t i = 0; i < n; i++)
				core_free(credits[i]);
			big_free(&P);
			big_free(&lhs);
			big_free(&rhs);
			big_free(&credit);

			/* each allocation failing: ATTR_NO_MEMORY, nothing left */
			{
				long		calls = fuzz_alloc_calls;
				long		step = calls <= 64 ? 1 : calls / 64;

				for (long k = 1; k <= calls; k += step)
				{
					fuzz_alloc_reset(k);
					st = attr_credits(value, w, n, total, credits, &scale);
					FUZZ_CHECK(st == ATTR_NO_MEMORY, "allocation %ld of %ld failing gave %d", k, calls, (int) st);
					FUZZ_CHECK(fuzz_live_blocks == base, "allocation %ld failing left %ld blocks", k,
							   fuzz_live_blocks - base);
				}
				fuzz_alloc_reset(0);
			}
		}
		big_free(&V);
		big_free(&bound);
		big_free(&tmp);
	}
	if (st != ATTR_OK)
		FUZZ_CHECK(fuzz_live_blocks == base, "attr_credits failing left %ld blocks", fuzz_live_blocks - base);
	free(credits);
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
	const char *s = (const char *) data;
	const char *field[5];
	size_t		flen[5];
	size_t		pos = 0;
	attr_model	model,
				expect_model;
	bool		ok,
				expect_ok;
	char	   *value;
	bool		have_hl,
				have_conv;
	int64_t		hl,
				conv;
	void	   *body = NULL;
	size_t		body_len;
	tp_error	terr;

	for (int f = 0; f < 5; f++)
	{
		const char *nl = f < 4 ? memchr(s + pos, '\n', size - pos) : NULL;
		size_t		end = nl ? (size_t) (nl - s) : size;

		if (f < 4 && nl == NULL)
			return 0;
		field[f] = s + pos;
		flen[f] = end - pos;
		pos = end + (f < 4);
	}

	/* model names */
	{
		char	   *name = fuzz_dup(field[0], flen[0]);

		ok = attr_parse_model(name, flen[0], &model);
		expect_ok = oracle_model(name, flen[0], &expect_model);
		FUZZ_CHECK(ok == expect_ok && (!ok || model == expect_model),
				   "attr_parse_model(\"%.*s\") gave %d/%d, expected %d/%d", (int) flen[0], name,
				   ok, ok ? (int) model : -1, expect_ok, expect_ok ? (int) expect_model : -1);
		free(name);
	}
	if (!ok)
		model = (attr_model) (flen[0] % 7);	/* go on with some model */

	value = malloc(flen[1] + 1);
	FUZZ_CHECK(value != NULL, "out of memory");
	memcpy(value, field[1], flen[1]);
	value[flen[1]] = '\0';
	if (memchr(value, '\0', flen[1]) != NULL)
	{
		free(value);
		return 0;
	}
	hl = parse_i64(field[2], flen[2], &have_hl);
	if (!have_hl)
		hl = INT64_C(7) * 86400 * 1000000;	/* the default 7 days */
	conv = parse_i64(field[3], flen[3], &have_conv);
	if (!have_conv)
		conv = TP_NO_TIME;

	fuzz_alloc_reset(0);
	memset(&terr, 0, sizeof(terr));
	{
		char	   *path_text = fuzz_dup(field[4], flen[4]);
		tp_status	ts = tp_parse(path_text, flen[4], &body, &body_len, &terr);

		free(path_text);
		if (ts != TP_OK)
			body = NULL;
	}
	if (body != NULL)
	{
		tp_view		v;
		uint64_t   *w;
		uint64_t	total = 12345;
		attr_status st;
		attr_status expect = ATTR_OK;
		uint32_t	n;

		tp_view_init(&v, body);
		n = v.ntouches;
		w = malloc(sizeof(uint64_t) * (n + 1));
		FUZZ_CHECK(w != NULL, "out of memory");
		if (n > 0 && model == ATTR_TIME_DECAY)
		{
			if (hl <= 0)
				expect = ATTR_BAD_HALF_LIFE;
			else
			{
				for (uint32_t i = 0; i < n; i++)
					if (tp_view_time(&v, i) == TP_NO_TIME)
						expect = ATTR_NEEDS_TIMES;
				if (expect == ATTR_OK && conv != TP_NO_TIME && conv < tp_view_time(&v, n - 1))
					expect = ATTR_AFTER_CONVERSION;
			}
		}
		st = attr_weights(model, &v, conv, hl, w, &total);
		FUZZ_CHECK(st == expect, "attr_weights gave %d, expected %d", (int) st, (int) expect);
		if (n == 0)
			FUZZ_CHECK(total == 0, "the empty path has total %llu", (unsigned long long) total);
		else if (st == ATTR_OK)
		{
			check_weights(model, &v, conv, hl, w, total);
			check_credits(value, w, n, total);
		}
		free(w);
		core_free(body);
	}
	FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated");
	free(value);
	return 0;
}
