/*
 * fuzz_touch_path.c - libFuzzer harness for the touch_path core
 * (src/core/touch_path.c: tp_parse, tp_parse_time, tp_format, tp_format_time,
 * tp_validate, tp_to_wire, tp_from_wire, tp_compare and the transforms)
 *
 * The input is a touch_path text literal, as bytes.  Properties checked
 * (abort() on failure; the contract is the header comment of touch_path.h):
 *   - tp_parse agrees with an independent reading of the text form written
 *     here: blank input is the empty path; touches are split at every ASCII
 *     '>', blanks trimmed, an empty touch is TP_SYNTAX; the first '@' starts
 *     the time (blanks after it skipped), read by an independent time parser
 *     (grammar YYYY-MM-DD[ Tt]HH:MM[:SS[.f{1,6}]] blanks* (Z|z|+HH[[:]MM]|-HH[[:]MM]),
 *     TP_SYNTAX / TP_BAD_TIME as documented, days counted by a different
 *     formula); labels normalised with label_normalize (its error:
 *     TP_LABEL_ERROR with that label_status; empty or holding '>' / '@':
 *     TP_BAD_LABEL); errors reported for the first bad touch in order (time
 *     before label); then times must not decrease (TP_TIME_ORDER); err.status
 *     is the returned status;
 *   - tp_parse_time on the whole input agrees with the same time oracle;
 *   - on TP_OK the body is byte for byte the body this file builds from the
 *     touch list by the stored layout of touch_path.h (dictionary in order of
 *     first occurrence, times only when some touch has one), tp_validate
 *     accepts it, and it is the only block left allocated;
 *   - tp_format writes the documented text (labels joined by " > ", times as
 *     @YYYY-MM-DD HH:MM:SS[.ffffff]+00 with trailing zeros of the fraction
 *     dropped), and parsing it gives the same bytes; tp_format_time agrees
 *     with an independent formatter;
 *   - tp_to_wire writes the documented wire form (big-endian), and
 *     tp_from_wire of it gives the same bytes;
 *   - every transform (collapse, first, last_n for several n, within for
 *     bounds at touch times, one microsecond off them and random, remove and
 *     remove_trailing for each of the first 4 channels and for a missing
 *     one) gives exactly the body of the touch list an oracle computes,
 *     tp_validate accepts it, collapse and first are idempotent, first has
 *     distinct channels;
 *   - tp_compare(x, x) == 0, and tp_compare of the path and each transform
 *     result agrees in sign with an oracle comparison of the touch lists
 *     (label bytes, then time with no time first, then length), is
 *     antisymmetric, and is 0 exactly when the bodies are equal bytes;
 *   - allocation failure: making one allocation of tp_parse (every one for
 *     small inputs, a spread sample otherwise), tp_format, tp_to_wire,
 *     tp_from_wire or a transform (its first call per kind and input) fail
 *     gives TP_NO_MEMORY (or, in a label normalisation, TP_LABEL_ERROR with
 *     LABEL_NO_MEMORY) and leaves nothing allocated.
 * LeakSanitizer checks that everything allocated is freed.
 *
 * The seed offset_colon_no_minutes ("a@2026-01-01 10:00+05:") pins a bug
 * this harness found: an offset "+HH:" without minutes was taken as +HH:00.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_alloc.h"
#include "label.h"
#include "touch_path.h"
#include "fuzz_common.h"

/* ---- touch lists: what a path is, independently of the stored body ---- */

typedef struct otouch
{
	char	   *label;			/* malloc'd, normalised, NUL-terminated */
	size_t		len;
	int64_t		time;			/* TP_NO_TIME: none */
} otouch;

typedef struct olist
{
	otouch	   *t;
	uint32_t	n;
	uint32_t	cap;
} olist;

static void
olist_push(olist *l, const char *label, size_t len, int64_t time)
{
	if (l->n == l->cap)
	{
		l->cap = l->cap ? l->cap * 2 : 16;
		l->t = realloc(l->t, sizeof(otouch) * l->cap);
		FUZZ_CHECK(l->t != NULL, "out of memory");
	}
	l->t[l->n].label = malloc(len + 1);
	FUZZ_CHECK(l->t[l->n].label != NULL, "out of memory");
	memcpy(l->t[l->n].label, label, len);
	l->t[l->n].label[len] = '\0';
	l->t[l->n].len = len;
	l->t[l->n].time = time;
	l->n++;
}

static void
olist_free(olist *l)
{
	for (uint32_t i = 0; i < l->n; i++)
		free(l->t[i].label);
	free(l->t);
	memset(l, 0, sizeof(*l));
}

static const char *
status_name(tp_status s)
{
	switch (s)
	{
		case TP_OK:
			return "TP_OK";
		case TP_SYNTAX:
			return "TP_SYNTAX";
		case TP_BAD_TIME:
			return "TP_BAD_TIME";
		case TP_BAD_LABEL:
			return "TP_BAD_LABEL";
		case TP_TIME_ORDER:
			return "TP_TIME_ORDER";
		case TP_CORRUPT:
			return "TP_CORRUPT";
		case TP_TOO_LONG:
			return "TP_TOO_LONG";
		case TP_NO_MEMORY:
			return "TP_NO_MEMORY";
		case TP_LABEL_ERROR:
			return "TP_LABEL_ERROR";
	}
	return "(unknown tp_status)";
}

/* ---- the stored layout and the wire form, written from the header ---- */

static void
put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void
put64(unsigned char *p, int64_t v)
{
	memcpy(p, &v, 8);
}

/* The body of a touch list (malloc'd), by the layout in touch_path.h. */
static unsigned char *
oracle_body(const olist *l, size_t *len)
{
	uint32_t   *chan = malloc(sizeof(uint32_t) * (l->n + 1));
	uint32_t   *first = malloc(sizeof(uint32_t) * (l->n + 1));	/* touch of each channel's first use */
	uint32_t	nch = 0;
	size_t		label_bytes = 0;
	bool		any_time = false;
	size_t		size;
	unsigned char *p;
	size_t		off = TP_HEADER_SIZE;
	uint32_t	end = 0;

	FUZZ_CHECK(chan != NULL && first != NULL, "out of memory");
	for (uint32_t i = 0; i < l->n; i++)
	{
		uint32_t	c;

		for (c = 0; c < nch; c++)
		{
			const otouch *o = &l->t[first[c]];

			if (o->len == l->t[i].len && memcmp(o->label, l->t[i].label, o->len) == 0)
				break;
		}
		if (c == nch)
		{
			first[nch++] = i;
			label_bytes += l->t[i].len;
		}
		chan[i] = c;
		if (l->t[i].time != TP_NO_TIME)
			any_time = true;
	}
	size = TP_HEADER_SIZE + (any_time ? (size_t) l->n * 8 : 0) + (size_t) l->n * 4 +
		(size_t) nch * 4 + label_bytes;
	p = malloc(size);
	FUZZ_CHECK(p != NULL, "out of memory");
	p[0] = 1;
	p[1] = any_time ? 1 : 0;
	p[2] = p[3] = 0;
	put32(p + 4, l->n);
	put32(p + 8, nch);
	put32(p + 12, (uint32_t) label_bytes);
	if (any_time)
		for (uint32_t i = 0; i < l->n; i++, off += 8)
			put64(p + off, l->t[i].time);
	for (uint32_t i = 0; i < l->n; i++, off += 4)
		put32(p + off, chan[i]);
	for (uint32_t c = 0; c < nch; c++, off += 4)
	{
		end += (uint32_t) l->t[first[c]].len;
		put32(p + off, end);
	}
	for (uint32_t c = 0; c < nch; c++)
	{
		memcpy(p + off, l->t[first[c]].label, l->t[first[c]].len);
		off += l->t[first[c]].len;
	}
	FUZZ_CHECK(off == size, "oracle_body size");
	free(chan);
	free(first);
	*len = size;
	return p;
}

static void
putbe(unsigned char *p, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char) v;
}

/* The wire form of a touch list (malloc'd). */
static unsigned char *
oracle_wire(const olist *l, size_t *len)
{
	size_t		size = 5;
	unsigned char *p;
	size_t		pos = 5;

	for (uint32_t i = 0; i < l->n; i++)
		size += 1 + (l->t[i].time != TP_NO_TIME ? 8 : 0) + 4 + l->t[i].len;
	p = malloc(size);
	FUZZ_CHECK(p != NULL, "out of memory");
	p[0] = 1;
	putbe(p + 1, l->n, 4);
	for (uint32_t i = 0; i < l->n; i++)
	{
		p[pos++] = l->t[i].time != TP_NO_TIME;
		if (l->t[i].time != TP_NO_TIME)
		{
			putbe(p + pos, (uint64_t) l->t[i].time, 8);
			pos += 8;
		}
		putbe(p + pos, l->t[i].len, 4);
		pos += 4;
		memcpy(p + pos, l->t[i].label, l->t[i].len);
		pos += l->t[i].len;
	}
	*len = size;
	return p;
}

/* ---- times ---- */

static bool
o_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool
o_digits(const char *s, size_t len, size_t *pos, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++)
	{
		if (*pos >= len || s[*pos] < '0' || s[*pos] > '9')
			return false;
		*v = *v * 10 + (s[(*pos)++] - '0');
	}
	return true;
}

static bool
o_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
o_month_days(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return d[m - 1] + (m == 2 && o_leap(y));
}

/* Days from 0001-01-01 to y-m-d (a different formula from the core's). */
static int64_t
o_days(int y, int m, int d)
{
	int64_t		n = (int64_t) (y - 1) * 365 + (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400;

	for (int i = 1; i < m; i++)
		n += o_month_days(y, i);
	return n + d - 1;
}

#define O_DAYS_TO_2000 INT64_C(730119)	/* o_days(2000, 1, 1) */
#define O_USEC_DAY INT64_C(86400000000)

/* The documented grammar and ranges; TP_OK, TP_SYNTAX or TP_BAD_TIME. */
static tp_status
oracle_time(const char *s, size_t len, int64_t *out)
{
	size_t		pos = 0;
	int			y,
				mo,
				d,
				h,
				mi,
				sec = 0,
				oh = 0,
				om = 0;
	int64_t		frac = 0;
	int			sign = 1;
	int64_t		t;

	if (!o_digits(s, len, &pos, 4, &y) || pos >= len || s[pos++] != '-' ||
		!o_digits(s, len, &pos, 2, &mo) || pos >= len || s[pos++] != '-' ||
		!o_digits(s, len, &pos, 2, &d) || pos >= len ||
		(s[pos] != ' ' && s[pos] != 'T' && s[pos] != 't'))
		return TP_SYNTAX;
	pos++;
	if (!o_digits(s, len, &pos, 2, &h) || pos >= len || s[pos++] != ':' ||
		!o_digits(s, len, &pos, 2, &mi))
		return TP_SYNTAX;
	if (pos < len && s[pos] == ':')
	{
		pos++;
		if (!o_digits(s, len, &pos, 2, &sec))
			return TP_SYNTAX;
		if (pos < len && s[pos] == '.')
		{
			int			n = 0;

			pos++;
			while (pos < len && s[pos] >= '0' && s[pos] <= '9')
			{
				if (++n > 6)
					return TP_SYNTAX;
				frac = frac * 10 + (s[pos++] - '0');
			}
			if (n == 0)
				return TP_SYNTAX;
			while (n++ < 6)
				frac *= 10;
		}
	}
	while (pos < len && s[pos] == ' ')
		pos++;
	if (pos >= len)
		return TP_SYNTAX;
	if (s[pos] == 'Z' || s[pos] == 'z')
		pos++;
	else if (s[pos] == '+' || s[pos] == '-')
	{
		sign = s[pos++] == '-' ? -1 : 1;
		if (!o_digits(s, len, &pos, 2, &oh))
			return TP_SYNTAX;
		if (pos < len)
		{
			/* +HH:MM or +HHMM: minutes must follow a colon */
			if (s[pos] == ':')
			{
				pos++;
				if (!o_digits(s, len, &pos, 2, &om))
					return TP_SYNTAX;
			}
			else if (!o_digits(s, len, &pos, 2, &om))
				return TP_SYNTAX;
		}
	}
	else
		return TP_SYNTAX;
	if (pos != len)
		return TP_SYNTAX;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > o_month_days(y, mo) ||
		h > 23 || mi > 59 || sec > 59 || oh > 15 || om > 59)
		return TP_BAD_TIME;
	t = (o_days(y, mo, d) - O_DAYS_TO_2000) * O_USEC_DAY +
		((int64_t) h * 3600 + mi * 60 + sec) * INT64_C(1000000) + frac -
		sign * ((int64_t) oh * 3600 + om * 60) * INT64_C(1000000);
	if (t < TP_MIN_TIME || t > TP_MAX_TIME)
		return TP_BAD_TIME;
	*out = t;
	return TP_OK;
}

/* The documented output form of a time: YYYY-MM-DD HH:MM:SS[.ffffff]+00. */
static void
oracle_format_time(int64_t t, char *buf)
{
	int64_t		days = t / O_USEC_DAY;
	int64_t		rest = t % O_USEC_DAY;
	int			y = 1,
				m = 1;
	int64_t		secs;
	int			usec;
	int			n;

	if (rest < 0)
	{
		rest += O_USEC_DAY;
		days--;
	}
	days += O_DAYS_TO_2000;		/* days since 0001-01-01 */
	while (days >= (o_leap(y) ? 366 : 365))
	{
		/* whole 400-year cycles first, to keep this fast */
		if (days >= 146097 && (y - 1) % 400 == 0)
		{
			days -= 146097;
			y += 400;
			continue;
		}
		days -= o_leap(y) ? 366 : 365;
		y++;
	}
	while (days >= o_month_days(y, m))
		days -= o_month_days(y, m++);
	secs = rest / 1000000;
	usec = (int) (rest % 1000000);
	n = snprintf(buf, 48, "%04d-%02d-%02d %02d:%02d:%02d", y, m, (int) days + 1,
				 (int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60));
	if (usec != 0)
	{
		char		f[8];
		int			k = 6;

		snprintf(f, sizeof(f), "%06d", usec);
		while (f[k - 1] == '0')
			k--;
		f[k] = '\0';
		n += snprintf(buf + n, (size_t) (48 - n), ".%s", f);
	}
	snprintf(buf + n, (size_t) (48 - n), "+00");
}

/* ---- the text form, read independently ---- */

/*
 * Read text by the documented rules into l; returns the status and, for
 * TP_LABEL_ERROR, the label status.
 */
static tp_status
oracle_parse(const char *s, size_t len, olist *l, label_status *lstatus)
{
	size_t		pos = 0;
	bool		blank = true;
	int64_t		prev = TP_NO_TIME;

	*lstatus = LABEL_OK;
	for (size_t i = 0; i < len; i++)
		if (!o_blank(s[i]))
			blank = false;
	if (blank)
		return TP_OK;
	for (;;)
	{
		size_t		end = pos;
		size_t		a,
					b;
		size_t		at;
		int64_t		time = TP_NO_TIME;
		char	   *norm;
		size_t		norm_len;
		label_status ls;

		while (end < len && s[end] != '>')
			end++;
		a = pos;
		b = end;
		while (a < b && o_blank(s[a]))
			a++;
		while (b > a && o_blank(s[b - 1]))
			b--;
		if (a == b)
			return TP_SYNTAX;
		for (at = a; at < b && s[at] != '@'; at++)
			;
		if (at < b)
		{
			size_t		ts = at + 1;
			tp_status	st;

			while (ts < b && o_blank(s[ts]))
				ts++;
			st = oracle_time(s + ts, b - ts, &time);
			if (st != TP_OK)
				return st;
			b = at;
		}
		ls = label_normalize(s + a, b - a, &norm, &norm_len);
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
		if (end == len)
			break;
		pos = end + 1;
	}
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

/* The documented text of a touch list (malloc'd). */
static char *
oracle_text(const olist *l, size_t *len)
{
	size_t		size = 1;
	char	   *out;
	size_t		n = 0;

	for (uint32_t i = 0; i < l->n; i++)
		size += l->t[i].len + 3 + 48;
	out = malloc(size);
	FUZZ_CHECK(out != NULL, "out of memory");
	for (uint32_t i = 0; i < l->n; i++)
	{
		if (i > 0)
		{
			memcpy(out + n, " > ", 3);
			n += 3;
		}
		memcpy(out + n, l->t[i].label, l->t[i].len);
		n += l->t[i].len;
		if (l->t[i].time != TP_NO_TIME)
		{
			out[n++] = '@';
			oracle_format_time(l->t[i].time, out + n);
			n += strlen(out + n);
		}
	}
	out[n] = '\0';
	*len = n;
	return out;
}

/* ---- comparisons ---- */

static int
oracle_compare(const olist *a, const olist *b)
{
	uint32_t	n = a->n < b->n ? a->n : b->n;

	for (uint32_t i = 0; i < n; i++)
	{
		const otouch *x = &a->t[i];
		const otouch *y = &b->t[i];
		size_t		m = x->len < y->len ? x->len : y->len;
		int			c = memcmp(x->label, y->label, m);

		if (c != 0)
			return c < 0 ? -1 : 1;
		if (x->len != y->len)
			return x->len < y->len ? -1 : 1;
		/* TP_NO_TIME is INT64_MIN: no time first */
		if (x->time != y->time)
			return x->time < y->time ? -1 : 1;
	}
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	return 0;
}

static int
sgn(int c)
{
	return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/* ---- helpers around the core ---- */

static void
check_body_is(const void *body, size_t len, const olist *expect, const char *what)
{
	size_t		elen;
	unsigned char *e = oracle_body(expect, &elen);
	tp_view		v;
	tp_error	err;

	FUZZ_CHECK(len == elen && memcmp(body, e, len) == 0,
			   "%s: the body (%zu bytes) is not the documented body of the %u touches (%zu bytes)",
			   what, len, expect->n, elen);
	free(e);
	memset(&err, 0, sizeof(err));
	FUZZ_CHECK(tp_validate(body, len, &v, &err) == TP_OK,
			   "%s: tp_validate rejects a body the core built: %s", what, err.detail);
	FUZZ_CHECK(v.ntouches == expect->n, "%s: view has %u touches, expected %u", what,
			   v.ntouches, expect->n);
	for (uint32_t i = 0; i < expect->n; i++)
	{
		size_t		llen;
		const char *label = tp_view_label(&v, tp_view_channel(&v, i), &llen);

		FUZZ_CHECK(llen == expect->t[i].len && memcmp(label, expect->t[i].label, llen) == 0 &&
				   tp_view_time(&v, i) == expect->t[i].time,
				   "%s: touch %u of the view differs", what, i + 1);
	}
}

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
			FUZZ_CHECK(ok_expr, "%s: allocation %ld of %ld failing was not reported as no memory", \
					   what, k_, calls_); \
			FUZZ_CHECK(fuzz_live_blocks == base_, "%s: allocation %ld of %ld failing left %ld blocks", \
					   what, k_, calls_, fuzz_live_blocks - base_); \
		} \
		fuzz_alloc_reset(0); \
	} while (0)

static uint64_t
hash64(const uint8_t *d, size_t n)
{
	uint64_t	h = UINT64_C(1469598103934665603);

	for (size_t i = 0; i < n; i++)
	{
		h ^= d[i];
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/* Run one transform on body and check it against the oracle's touch list. */
typedef enum
{
	T_COLLAPSE, T_FIRST, T_LAST_N, T_WITHIN, T_REMOVE, T_REMOVE_TRAILING
} tkind;

static const char *const tnames[] = {
	"tp_collapse", "tp_first", "tp_last_n", "tp_within", "tp_remove", "tp_remove_trailing"
};

typedef struct targs
{
	uint32_t	n;
	int64_t		lower,
				upper;
	const char *label;
	size_t		len;
} targs;

static tp_status
run_transform(tkind k, const void *body, const targs *a, void **out, size_t *out_len)
{
	switch (k)
	{
		case T_COLLAPSE:
			return tp_collapse(body, out, out_len);
		case T_FIRST:
			return tp_first(body, out, out_len);
		case T_LAST_N:
			return tp_last_n(body, a->n, out, out_len);
		case T_WITHIN:
			return tp_within(body, a->lower, a->upper, out, out_len);
		case T_REMOVE:
			return tp_remove(body, a->label, a->len, false, out, out_len);
		case T_REMOVE_TRAILING:
			return tp_remove(body, a->label, a->len, true, out, out_len);
	}
	return TP_CORRUPT;
}

/* The oracle's answer: false for TP_BAD_TIME (tp_within on a touch without a time). */
static bool
oracle_transform(tkind k, const olist *in, const targs *a, olist *out)
{
	bool	   *keep = malloc(in->n + 1);
	uint32_t	removed = 0;

	FUZZ_CHECK(keep != NULL, "out of memory");
	for (uint32_t i = 0; i < in->n; i++)
	{
		const otouch *t = &in->t[i];

		keep[i] = true;
		switch (k)
		{
			case T_COLLAPSE:
				keep[i] = i == 0 || t->len != in->t[i - 1].len ||
					memcmp(t->label, in->t[i - 1].label, t->len) != 0;
				break;
			case T_FIRST:
				for (uint32_t j = 0; j < i; j++)
					if (in->t[j].len == t->len && memcmp(in->t[j].label, t->label, t->len) == 0)
						keep[i] = false;
				break;
			case T_LAST_N:
				keep[i] = (uint64_t) in->n - i <= a->n;
				break;
			case T_WITHIN:
				if (t->time == TP_NO_TIME)
				{
					free(keep);
					return false;
				}
				keep[i] = t->time >= a->lower && t->time <= a->upper;
				break;
			case T_REMOVE:
			case T_REMOVE_TRAILING:
				break;
		}
	}
	if (k == T_REMOVE || k == T_REMOVE_TRAILING)
	{
		for (uint32_t i = in->n; i-- > 0;)
		{
			const otouch *t = &in->t[i];

			if (t->len == a->len && memcmp(t->label, a->label, a->len) == 0)
			{
				keep[i] = false;
				removed++;
			}
			else if (k == T_REMOVE_TRAILING)
				break;
		}
		if (removed == in->n)
			for (uint32_t i = 0; i < in->n; i++)
				keep[i] = true;
	}
	for (uint32_t i = 0; i < in->n; i++)
		if (keep[i])
			olist_push(out, in->t[i].label, in->t[i].len, in->t[i].time);
	free(keep);
	return true;
}

/* Allocation failures are tried on the first call of each kind of transform per input. */
static bool alloc_tried[6];

static void
check_transform(tkind k, const void *body, size_t body_len, const olist *in, const targs *a)
{
	olist		expect = {0};
	bool		ok = oracle_transform(k, in, a, &expect);
	void	   *out = NULL;
	size_t		out_len = 0;
	tp_status	st;

	fuzz_alloc_reset(0);
	st = run_transform(k, body, a, &out, &out_len);
	if (!ok)
	{
		FUZZ_CHECK(st == TP_BAD_TIME, "%s on a touch without a time gave %s", tnames[k],
				   status_name(st));
		FUZZ_CHECK(fuzz_live_blocks == 1, "%s failing left blocks allocated", tnames[k]);
		olist_free(&expect);
		return;
	}
	FUZZ_CHECK(st == TP_OK, "%s gave %s", tnames[k], status_name(st));
	FUZZ_CHECK(fuzz_live_blocks == 2, "%s left %ld blocks (expected the input and the result)",
			   tnames[k], fuzz_live_blocks);
	check_body_is(out, out_len, &expect, tnames[k]);

	/* comparisons: tp_compare agrees with the oracle, antisymmetric, 0 iff equal bytes */
	{
		int			c = tp_compare(body, body_len, out, out_len);
		int			r = tp_compare(out, out_len, body, body_len);
		int			o = oracle_compare(in, &expect);
		bool		same = body_len == out_len && memcmp(body, out, body_len) == 0;

		FUZZ_CHECK(sgn(c) == o, "%s: tp_compare(path, result) = %d, oracle %d", tnames[k], c, o);
		FUZZ_CHECK(sgn(r) == -sgn(c), "%s: tp_compare is not antisymmetric", tnames[k]);
		FUZZ_CHECK((c == 0) == same, "%s: tp_compare is %d but the bodies %s equal", tnames[k],
				   c, same ? "are" : "are not");
		FUZZ_CHECK(tp_compare(out, out_len, out, out_len) == 0, "%s: result is not equal to itself",
				   tnames[k]);
	}

	/* idempotence of collapse and first; first has distinct channels */
	if (k == T_COLLAPSE || k == T_FIRST)
	{
		void	   *again;
		size_t		again_len;

		FUZZ_CHECK(run_transform(k, out, a, &again, &again_len) == TP_OK, "%s again", tnames[k]);
		FUZZ_CHECK(again_len == out_len && memcmp(again, out, out_len) == 0,
				   "%s is not idempotent", tnames[k]);
		core_free(again);
		if (k == T_FIRST)
		{
			tp_view		v;

			tp_view_init(&v, out);
			FUZZ_CHECK(v.nchannels == v.ntouches, "tp_first: %u touches but %u channels",
					   v.ntouches, v.nchannels);
		}
	}
	core_free(out);
	olist_free(&expect);

	/* allocation failures */
	if (alloc_tried[k])
		return;
	alloc_tried[k] = true;
	ALLOC_FAILURES(tnames[k], 12,
				   (out = NULL, st = run_transform(k, body, a, &out, &out_len)),
				   st == TP_NO_MEMORY,
				   (st == TP_OK ? core_free(out) : (void) 0));
}

/* ---- the harness ---- */

/* fuzz_touch_path_wire.c includes this file for its oracles (TP_ORACLE_ONLY). */
#ifndef TP_ORACLE_ONLY

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char		buf[48];
	char		obuf[48];

	(void) argc;
	(void) argv;
	fuzz_alloc_install();
	fuzz_alloc_reset(0);

	/* the limits in the header, computed independently */
	FUZZ_CHECK(o_days(2000, 1, 1) == O_DAYS_TO_2000, "O_DAYS_TO_2000");
	FUZZ_CHECK(TP_MIN_TIME == (o_days(1, 1, 1) - O_DAYS_TO_2000) * O_USEC_DAY, "TP_MIN_TIME");
	FUZZ_CHECK(TP_MAX_TIME == (o_days(9999, 12, 31) - O_DAYS_TO_2000 + 1) * O_USEC_DAY - 1,
			   "TP_MAX_TIME");
	tp_format_time(TP_MIN_TIME, buf);
	FUZZ_CHECK(strcmp(buf, "0001-01-01 00:00:00+00") == 0, "format of TP_MIN_TIME: %s", buf);
	tp_format_time(TP_MAX_TIME, buf);
	FUZZ_CHECK(strcmp(buf, "9999-12-31 23:59:59.999999+00") == 0, "format of TP_MAX_TIME: %s", buf);
	/* every day of a few years, both formatters */
	for (int64_t t = (o_days(1999, 12, 25) - O_DAYS_TO_2000) * O_USEC_DAY;
		 t < (o_days(2001, 1, 5) - O_DAYS_TO_2000) * O_USEC_DAY; t += O_USEC_DAY + 1234567)
	{
		tp_format_time(t, buf);
		oracle_format_time(t, obuf);
		FUZZ_CHECK(strcmp(buf, obuf) == 0, "tp_format_time: %s, expected %s", buf, obuf);
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in = fuzz_dup(data, size);
	olist		expect = {0};
	label_status expect_ls;
	tp_status	expect_st = oracle_parse(in, size, &expect, &expect_ls);
	tp_error	err;
	void	   *body = NULL;
	size_t		body_len = 0;
	tp_status	st;
	uint64_t	h = hash64(data, size);

	/* the time parser alone, on the whole input */
	{
		int64_t		t1 = 0,
					t2 = 0;
		tp_status	ost = oracle_time(in, size, &t2);
		bool		ok;

		memset(&err, 0, sizeof(err));
		fuzz_alloc_reset(0);
		ok = tp_parse_time(in, size, &t1, &err);
		FUZZ_CHECK(fuzz_live_blocks == 0, "tp_parse_time allocated");
		FUZZ_CHECK(ok == (ost == TP_OK), "tp_parse_time says %s, the oracle %s",
				   ok ? "OK" : status_name(err.status), status_name(ost));
		if (ok)
		{
			char		buf[48];
			char		obuf[48];

			FUZZ_CHECK(t1 == t2, "tp_parse_time gave %lld, the oracle %lld", (long long) t1,
					   (long long) t2);
			tp_format_time(t1, buf);
			oracle_format_time(t1, obuf);
			FUZZ_CHECK(strcmp(buf, obuf) == 0, "tp_format_time gave %s, expected %s", buf, obuf);
			FUZZ_CHECK(tp_parse_time(buf, strlen(buf), &t2, &err) && t2 == t1,
					   "formatted time %s does not parse back", buf);
		}
		else
			FUZZ_CHECK(err.status == ost, "tp_parse_time error %s, the oracle %s",
					   status_name(err.status), status_name(ost));
	}

	memset(&err, 0, sizeof(err));
	fuzz_alloc_reset(0);
	st = tp_parse(in, size, &body, &body_len, &err);
	FUZZ_CHECK(st == expect_st, "tp_parse gave %s (%s), the oracle %s", status_name(st),
			   err.detail, status_name(expect_st));
	FUZZ_CHECK(err.status == st, "err.status %s but tp_parse returned %s",
			   status_name(err.status), status_name(st));
	if (st == TP_LABEL_ERROR)
		FUZZ_CHECK(err.label_status == (int) expect_ls, "label_status %d, expected %d",
				   err.label_status, (int) expect_ls);
	if (st != TP_OK)
	{
		FUZZ_CHECK(fuzz_live_blocks == 0, "tp_parse failing with %s left %ld blocks",
				   status_name(st), fuzz_live_blocks);
		if (st == TP_SYNTAX || st == TP_BAD_TIME || st == TP_BAD_LABEL || st == TP_TIME_ORDER)
			FUZZ_CHECK(err.detail[0] != '\0', "%s without a detail", status_name(st));
		goto alloc_parse;
	}
	FUZZ_CHECK(fuzz_live_blocks == 1, "tp_parse left %ld blocks, expected the body",
			   fuzz_live_blocks);
	check_body_is(body, body_len, &expect, "tp_parse");
	FUZZ_CHECK(tp_compare(body, body_len, body, body_len) == 0, "tp_compare(x, x) != 0");

	/* text: the documented form, and it parses back to the same bytes */
	{
		char	   *text;
		size_t		text_len;
		size_t		otext_len;
		char	   *otext = oracle_text(&expect, &otext_len);
		void	   *again;
		size_t		again_len;

		FUZZ_CHECK(tp_format(body, &text, &text_len) == TP_OK, "tp_format failed");
		FUZZ_CHECK(text_len == strlen(text), "tp_format: length %zu but strlen %zu", text_len,
				   strlen(text));
		FUZZ_CHECK(text_len == otext_len && memcmp(text, otext, text_len) == 0,
				   "tp_format gave \"%s\", expected \"%s\"", text, otext);
		FUZZ_CHECK(tp_parse(text, text_len, &again, &again_len, &err) == TP_OK,
				   "formatted \"%s\" does not parse: %s", text, err.detail);
		FUZZ_CHECK(again_len == body_len && memcmp(again, body, body_len) == 0,
				   "formatted \"%s\" parses to other bytes", text);
		core_free(again);
		free(otext);
		core_free(text);
		ALLOC_FAILURES("tp_format", 8, st = tp_format(body, &text, &text_len),
					   st == TP_NO_MEMORY,
					   (st == TP_OK ? core_free(text) : (void) 0));
		st = TP_OK;
		FUZZ_CHECK(fuzz_live_blocks == 1, "format checks left blocks");
	}

	/* wire: the documented form, and it reads back to the same bytes */
	{
		void	   *wire;
		size_t		wire_len;
		size_t		owire_len;
		unsigned char *owire = oracle_wire(&expect, &owire_len);
		void	   *again;
		size_t		again_len;

		FUZZ_CHECK(tp_to_wire(body, &wire, &wire_len) == TP_OK, "tp_to_wire failed");
		FUZZ_CHECK(wire_len == owire_len && memcmp(wire, owire, wire_len) == 0,
				   "tp_to_wire is not the documented wire form");
		{
			char	   *exact = fuzz_dup(wire, wire_len);

			memset(&err, 0, sizeof(err));
			FUZZ_CHECK(tp_from_wire(exact, wire_len, &again, &again_len, &err) == TP_OK,
					   "tp_from_wire of tp_to_wire failed: %s", err.detail);
			FUZZ_CHECK(again_len == body_len && memcmp(again, body, body_len) == 0,
					   "wire round trip changed the bytes");
			core_free(again);
			ALLOC_FAILURES("tp_from_wire", 16,
						   (again = NULL, st = tp_from_wire(exact, wire_len, &again, &again_len, &err)),
						   st == TP_NO_MEMORY ||
						   (st == TP_LABEL_ERROR && err.label_status == LABEL_NO_MEMORY),
						   (st == TP_OK ? core_free(again) : (void) 0));
			free(exact);
		}
		free(owire);
		core_free(wire);
		ALLOC_FAILURES("tp_to_wire", 8, st = tp_to_wire(body, &wire, &wire_len),
					   st == TP_NO_MEMORY,
					   (st == TP_OK ? core_free(wire) : (void) 0));
		st = TP_OK;
		FUZZ_CHECK(fuzz_live_blocks == 1, "wire checks left blocks");
	}

	/* transforms */
	{
		targs		a;
		uint32_t	n = expect.n;

		memset(alloc_tried, 0, sizeof(alloc_tried));
		memset(&a, 0, sizeof(a));
		check_transform(T_COLLAPSE, body, body_len, &expect, &a);
		check_transform(T_FIRST, body, body_len, &expect, &a);
		{
			uint32_t	ns[] = {0, 1, n > 0 ? n - 1 : 0, n, n + 1, (uint32_t) (h % (n + 2)),
			UINT32_MAX};

			for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
			{
				a.n = ns[i];
				check_transform(T_LAST_N, body, body_len, &expect, &a);
			}
		}
		/* within: bounds at touch times, one microsecond inside / outside, random */
		{
			int64_t		ti = TP_MIN_TIME,
						tj = TP_MAX_TIME;

			if (n > 0)
			{
				uint32_t	i = (uint32_t) (h % n);
				uint32_t	j = (uint32_t) ((h >> 20) % n);

				if (expect.t[i].time != TP_NO_TIME)
					ti = expect.t[i].time;
				if (expect.t[j].time != TP_NO_TIME)
					tj = expect.t[j].time;
			}
			{
				int64_t		bounds[][2] = {
					{ti, tj}, {tj, ti}, {ti, ti}, {ti + 1, tj}, {ti, tj - 1}, {ti - 1, tj + 1},
					{TP_MIN_TIME, TP_MAX_TIME},
					{(int64_t) (h % (uint64_t) INT64_C(300000000000000000)) - INT64_C(63082281600000000),
					TP_MAX_TIME},
				};

				for (size_t b = 0; b < sizeof(bounds) / sizeof(bounds[0]); b++)
				{
					a.lower = bounds[b][0];
					a.upper = bounds[b][1];
					check_transform(T_WITHIN, body, body_len, &expect, &a);
				}
			}
		}
		/* remove: each channel (up to 4) and one that is not in the path */
		{
			tp_view		v;
			static const char missing[] = "zz_not_in_path";

			tp_view_init(&v, body);
			for (uint32_t c = 0; c <= v.nchannels && c <= 4; c++)
			{
				if (c == v.nchannels || c == 4)
				{
					a.label = missing;
					a.len = strlen(missing);
					for (uint32_t d = 0; d < v.nchannels; d++)
					{
						size_t		l;
						const char *s = tp_view_label(&v, d, &l);

						if (l == a.len && memcmp(s, missing, l) == 0)
							a.len = 1;	/* "z": a prefix is not a match either */
					}
				}
				else
					a.label = tp_view_label(&v, c, &a.len);
				check_transform(T_REMOVE, body, body_len, &expect, &a);
				check_transform(T_REMOVE_TRAILING, body, body_len, &expect, &a);
			}
		}
	}
	core_free(body);
	body = NULL;

alloc_parse:
	FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated after the checks");
	{
		ALLOC_FAILURES("tp_parse", size <= 64 ? 1000 : 16,
					   (body = NULL, memset(&err, 0, sizeof(err)),
						st = tp_parse(in, size, &body, &body_len, &err)),
					   st == TP_NO_MEMORY ||
					   (st == TP_LABEL_ERROR && err.label_status == LABEL_NO_MEMORY),
					   (st == TP_OK ? core_free(body) : (void) 0));
	}
	FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated at the end");
	olist_free(&expect);
	free(in);
	return 0;
}

#endif							/* TP_ORACLE_ONLY */
