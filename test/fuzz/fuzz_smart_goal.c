/*
 * fuzz_smart_goal.c - libFuzzer harness for the smart_goal core
 * (src/core/smart_goal.c; the forms are in smart_goal.h)
 *
 * The first input byte chooses what the rest is:
 *   even: a text literal for sg_parse;
 *   odd:  stored/wire bytes for sg_validate (what binary recv gets).
 * Properties checked (abort() on failure):
 *   - a status is OK or an error with a NUL-terminated detail, and nothing
 *     stays allocated after an error;
 *   - whatever parses validates as a stored body, formats to text that parses
 *     back to the same bytes (canonical round trip), and formatting that
 *     again gives the same text; the same for whatever sg_validate accepts;
 *   - sg_canonical_number agrees with an independent canonicaliser on the
 *     whole input (valid syntax, and the digits it prints), and is
 *     idempotent; sg_parse_date agrees with an independent day count and
 *     sg_format_date gives the input back;
 *   - allocation failure: making any one allocation of a successful parse
 *     fail gives SG_NO_MEMORY and leaves nothing allocated.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_alloc.h"
#include "smart_goal.h"
#include "fuzz_common.h"

static bool
odigit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Independent canonical number: NULL if s is not [+-]digits[.digits][e[+-]digits]
 * with at least one mantissa digit; *too_big when it would exceed SG_MAX_DIGITS.
 */
static char *
oracle_number(const char *s, size_t len, bool *too_big)
{
	size_t		i = 0;
	bool		neg = false;
	char	   *m = malloc(len + 1);	/* mantissa digits */
	size_t		nm = 0;
	long		point = 0;
	long		e = 0;
	char	   *out,
			   *full;
	size_t		nfull = 0;
	bool		nonzero = false;

	*too_big = false;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	while (i < len && odigit(s[i]))
		m[nm++] = s[i++];
	point = (long) nm;
	if (i < len && s[i] == '.')
		for (i++; i < len && odigit(s[i]); i++)
			m[nm++] = s[i];
	if (nm == 0)
	{
		free(m);
		return NULL;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E'))
	{
		bool		eneg = false;
		size_t		start;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		start = i;
		for (; i < len && odigit(s[i]); i++)
			if (e < 10000000)
				e = e * 10 + (s[i] - '0');
		if (i == start)
		{
			free(m);
			return NULL;
		}
		if (eneg)
			e = -e;
	}
	if (i != len)
	{
		free(m);
		return NULL;
	}
	if (nm > SG_MAX_DIGITS || e > SG_MAX_DIGITS || e < -SG_MAX_DIGITS)
	{
		*too_big = true;
		free(m);
		return NULL;
	}
	point += e;
	/* the digits printed (at least the units) must fit SG_MAX_DIGITS too */
	if ((point > 0 ? point : 1) + ((long) nm - point > 0 ? (long) nm - point : 0) > SG_MAX_DIGITS)
	{
		*too_big = true;
		free(m);
		return NULL;
	}
	/* the plain decimal, before dropping leading zeros */
	full = malloc(nm + (size_t) labs(point) + 8);
	if (point <= 0)
	{
		full[nfull++] = '0';
		full[nfull++] = '.';
		for (long k = 0; k < -point; k++)
			full[nfull++] = '0';
		memcpy(full + nfull, m, nm);
		nfull += nm;
	}
	else if ((size_t) point >= nm)
	{
		memcpy(full, m, nm);
		nfull = nm;
		for (long k = 0; k < point - (long) nm; k++)
			full[nfull++] = '0';
	}
	else
	{
		memcpy(full, m, (size_t) point);
		nfull = (size_t) point;
		full[nfull++] = '.';
		memcpy(full + nfull, m + point, nm - (size_t) point);
		nfull += nm - (size_t) point;
	}
	full[nfull] = '\0';
	free(m);
	{
		char	   *p = full;

		while (p[0] == '0' && odigit(p[1]))
			p++;
		for (char *q = p; *q; q++)
			if (*q >= '1' && *q <= '9')
				nonzero = true;
		out = malloc(strlen(p) + 2);
		sprintf(out, "%s%s", neg && nonzero ? "-" : "", p);
	}
	free(full);
	return out;
}

/* Independent date reading: days since 2000-01-01, or false. */
static bool
oracle_date(const char *s, size_t len, int32_t *day)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long		y,
				m,
				d,
				n;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !odigit(s[i]))
			return false;
	y = strtol((char[5]) {s[0], s[1], s[2], s[3], 0}, NULL, 10);
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return false;
	{
		bool		leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

		if (d > mdays[m - 1] + (m == 2 && leap))
			return false;
		/* days since 0001-01-01 */
		n = (y - 1) * 365 + (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400;
		for (int k = 0; k < m - 1; k++)
			n += mdays[k] + (k == 1 && leap);
		n += d - 1;
	}
	*day = (int32_t) (n - 730119);
	return true;
}

static void
check_error(sg_status st, const sg_error *err)
{
	FUZZ_CHECK(st > SG_OK && st <= SG_NO_MEMORY, "status %d out of range", (int) st);
	FUZZ_CHECK(err->status == st, "err.status %d, returned %d", (int) err->status, (int) st);
	FUZZ_CHECK(memchr(err->detail, '\0', sizeof(err->detail)) != NULL, "detail not terminated");
	FUZZ_CHECK(fuzz_live_blocks == 0, "%ld blocks left after error %d", fuzz_live_blocks, (int) st);
}

/* body is valid: it formats, and the text parses back to the same bytes. */
static void
check_round_trip(const void *body, size_t len)
{
	sg_view		view;
	sg_error	err;
	char	   *text,
			   *text2;
	size_t		text_len,
				text2_len;
	void	   *body2;
	size_t		len2;
	sg_status	st;

	st = sg_validate(body, len, &view, &err);
	FUZZ_CHECK(st == SG_OK, "a body the core made does not validate: %s", err.detail);
	FUZZ_CHECK(sg_format(&view, &text, &text_len) == SG_OK, "format failed");
	FUZZ_CHECK(strlen(text) == text_len, "format length");
	st = sg_parse(text, text_len, &body2, &len2, &err);
	FUZZ_CHECK(st == SG_OK, "formatted text does not parse: %s (%s)", text, err.detail);
	FUZZ_CHECK(len2 == len && memcmp(body2, body, len) == 0,
			   "text round trip changes the goal: %s", text);
	FUZZ_CHECK(sg_compare(body, len, body2, len2) == 0, "compare of equal bodies");
	sg_view_init(&view, body2);
	FUZZ_CHECK(sg_format(&view, &text2, &text2_len) == SG_OK, "format failed");
	FUZZ_CHECK(text2_len == text_len && memcmp(text, text2, text_len) == 0,
			   "format is not stable: %s / %s", text, text2);
	core_free(text);
	core_free(text2);
	core_free(body2);
}

static void
check_number(const char *in, size_t len)
{
	bool		too_big;
	char	   *want = oracle_number(in, len, &too_big);
	char	   *got = NULL;
	size_t		got_len = 0;
	sg_error	err;
	sg_status	st;

	fuzz_alloc_reset(0);
	st = sg_canonical_number(in, len, &got, &got_len, &err);
	if (want == NULL)
	{
		FUZZ_CHECK(st == (too_big ? SG_NUMBER_RANGE : SG_BAD_NUMBER),
				   "number status %d, oracle says %s", (int) st, too_big ? "range" : "syntax");
		check_error(st, &err);
		return;
	}
	FUZZ_CHECK(st == SG_OK, "number rejected (%s) but the oracle gives %s", err.detail, want);
	FUZZ_CHECK(strcmp(got, want) == 0, "number %.*s: core %s, oracle %s", (int) len, in, got, want);
	{
		char	   *again;
		size_t		again_len;
		sg_text		a = {got, got_len};

		FUZZ_CHECK(sg_canonical_number(got, got_len, &again, &again_len, &err) == SG_OK &&
				   again_len == got_len && memcmp(again, got, got_len) == 0,
				   "canonical number %s is not a fixed point", got);
		FUZZ_CHECK(sg_numbers_equal(a, a), "a number differs from itself");
		core_free(again);
	}
	core_free(got);
	free(want);
}

static void
check_date(const char *in, size_t len)
{
	int32_t		want = 0,
				got = 0;
	bool		ok = oracle_date(in, len, &want);
	sg_error	err;
	sg_status	st = sg_parse_date(in, len, &got, &err);

	FUZZ_CHECK((st == SG_OK) == ok, "date %.*s: core %d, oracle %d", (int) len, in, (int) st, ok);
	if (ok)
	{
		char		buf[11];

		FUZZ_CHECK(got == want, "date %.10s: core day %d, oracle %d", in, got, want);
		sg_format_date(got, buf);
		FUZZ_CHECK(memcmp(buf, in, 10) == 0, "date %.10s formats as %s", in, buf);
	}
}

/* A successful parse with each allocation made to fail in turn. */
static void
check_allocation_failures(const char *in, size_t len)
{
	long		calls;
	void	   *body;
	size_t		body_len;
	sg_error	err;

	fuzz_alloc_reset(0);
	if (sg_parse(in, len, &body, &body_len, &err) != SG_OK)
		return;
	calls = fuzz_alloc_calls;
	core_free(body);
	for (long n = 1; n <= calls; n++)
	{
		sg_status	st;

		fuzz_alloc_reset(n);
		st = sg_parse(in, len, &body, &body_len, &err);
		FUZZ_CHECK(st == SG_NO_MEMORY, "allocation %ld of %ld failed but status is %d", n, calls, (int) st);
		check_error(st, &err);
	}
	fuzz_alloc_reset(0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool installed;
	const char *in;
	size_t		len;
	sg_error	err;
	void	   *body = NULL;
	size_t		body_len = 0;
	sg_status	st;

	if (!installed)
	{
		fuzz_alloc_install();
		installed = true;
	}
	if (size == 0)
		return 0;
	in = (const char *) data + 1;
	len = size - 1;

	if ((data[0] & 1) == 0)
	{
		check_number(in, len);
		check_date(in, len);
		fuzz_alloc_reset(0);
		st = sg_parse(in, len, &body, &body_len, &err);
		if (st != SG_OK)
			check_error(st, &err);
		else
		{
			check_round_trip(body, body_len);
			core_free(body);
			check_allocation_failures(in, len);
		}
	}
	else
	{
		sg_view		view;

		fuzz_alloc_reset(0);
		st = sg_validate(in, len, &view, &err);
		if (st != SG_OK)
		{
			FUZZ_CHECK(st == SG_CORRUPT || st == SG_NO_MEMORY, "validate status %d", (int) st);
			check_error(st, &err);
		}
		else
			check_round_trip(in, len);
	}
	FUZZ_CHECK(fuzz_live_blocks == 0, "%ld blocks left", fuzz_live_blocks);
	return 0;
}
