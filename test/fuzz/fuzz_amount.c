/*
 * fuzz_amount.c - libFuzzer harness for the amount core (src/core/amount.c:
 * amount_parse, amount_parse_number, amount_currency_parse,
 * amount_currency_known, amount_minor_units, amount_format,
 * amount_format_locale, amount_wire_header, amount_wire_put_header)
 *
 * The input is an amount text literal, as bytes, and at the same time a
 * binary (wire) form.  Properties checked (abort() on failure; the contract
 * is the header comment of amount.h):
 *   - amount_parse agrees with an independent reading of the text form
 *     written here: blanks split the input into exactly two tokens; the
 *     number token is matched by a separate grammar check and made
 *     canonical by a different method (mantissa without leading zeros times
 *     a power of ten), NaN/inf words give AMOUNT_NOT_FINITE, numeric's
 *     limits AMOUNT_OUT_OF_RANGE; the code token is three ASCII letters
 *     upper-cased and looked up in a list read from ICU here
 *     (ucurr_openISOCurrencies(UCURR_ALL)), in that error order;
 *   - on AMOUNT_OK: the canonical number re-parses to itself
 *     (amount_parse_number), amount_format writes "number CODE", and parsing
 *     that gives the same number and code (round trip); the number is the
 *     only block left allocated; the code is known and has 0-4 minor units;
 *   - amount_format_locale for en_US formats the number (when short) as
 *     "$" or "-$" (USD) followed by the value rounded half away from zero to
 *     2 decimals with "," grouping, computed here on the decimal string; for
 *     de_DE and ja_JP it succeeds with valid UTF-8; an unknown locale is
 *     AMOUNT_BAD_LOCALE;
 *   - amount_wire_header on the raw bytes agrees with the layout (length,
 *     version byte 1, upper-case known code), and amount_wire_put_header
 *     writes back the same four bytes;
 *   - allocation failure: failing each allocation of amount_parse and
 *     amount_format_locale gives AMOUNT_NO_MEMORY and leaves nothing
 *     allocated.
 * LeakSanitizer checks that everything allocated is freed.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uenum.h>
#include <unicode/ucurr.h>

#include "amount.h"
#include "core_alloc.h"
#include "fuzz_common.h"

/* ---- an independent list of codes ---- */

static char oracle_codes[2048][4];
static int	n_oracle_codes;

int			LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	UErrorCode	status = U_ZERO_ERROR;
	UEnumeration *e = ucurr_openISOCurrencies(UCURR_ALL, &status);
	const char *s;

	(void) argc;
	(void) argv;
	FUZZ_CHECK(U_SUCCESS(status), "ICU lists no currencies");
	while ((s = uenum_next(e, NULL, &status)) != NULL && n_oracle_codes < 2048)
		if (strlen(s) == 3)
			memcpy(oracle_codes[n_oracle_codes++], s, 4);
	uenum_close(e);
	FUZZ_CHECK(n_oracle_codes > 250, "ICU lists only %d currencies", n_oracle_codes);
	fuzz_alloc_install();
	return 0;
}

static bool
oracle_known(const char *code)
{
	for (int i = 0; i < n_oracle_codes; i++)
		if (memcmp(oracle_codes[i], code, 3) == 0)
			return true;
	return false;
}

/* ---- the text form, read independently ---- */

static bool
blank(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool
word_is(const uint8_t *s, size_t len, const char *w)
{
	if (len != strlen(w))
		return false;
	for (size_t i = 0; i < len; i++)
		if ((s[i] | 0x20) != (uint8_t) w[i])
			return false;
	return true;
}

typedef struct oracle
{
	amount_status status;
	char	   *number;			/* malloc'd canonical number on AMOUNT_OK */
	char		code[4];
} oracle;

/* A growing malloc'd string. */
typedef struct sbuf
{
	char	   *s;
	size_t		len,
				cap;
} sbuf;

static void
sb_put(sbuf *b, char c)
{
	if (b->len + 2 > b->cap)
	{
		b->cap = b->cap ? b->cap * 2 : 64;
		b->s = realloc(b->s, b->cap);
		FUZZ_CHECK(b->s != NULL, "out of memory");
	}
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

/*
 * The number token: sign, mantissa digits M (leading zeros dropped) and a
 * power of ten P, value = M * 10^P, scale = max(0, -P) as numeric reads it
 * (fraction digits minus exponent).
 */
static amount_status
oracle_number(const uint8_t *s, size_t len, char **out)
{
	size_t		i = 0;
	bool		neg = false;
	sbuf		m = {0};
	long long	frac = 0;
	long long	exp = 0;
	int			ndig = 0;
	bool		big_exp = false;
	long long	p;
	long long	scale;
	long long	intdigits;
	sbuf		o = {0};

	*out = NULL;
	{
		size_t		k = (len > 0 && (s[0] == '+' || s[0] == '-')) ? 1 : 0;

		if (word_is(s + k, len - k, "nan") || word_is(s + k, len - k, "inf") ||
			word_is(s + k, len - k, "infinity"))
			return AMOUNT_NOT_FINITE;
	}
	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, ndig++)
		if (m.len > 0 || s[i] != '0')
			sb_put(&m, (char) s[i]);
	if (i < len && s[i] == '.')
		for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, ndig++)
		{
			frac++;
			if (m.len > 0 || s[i] != '0')
				sb_put(&m, (char) s[i]);
		}
	if (ndig == 0)
	{
		free(m.s);
		return AMOUNT_SYNTAX;
	}
	if (i < len && (s[i] | 0x20) == 'e')
	{
		bool		eneg = false;
		size_t		start;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		start = i;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		{
			exp = exp * 10 + (s[i] - '0');
			if (exp > 100000000)
			{
				big_exp = true;
				exp = 100000000;
			}
		}
		if (i == start)
		{
			free(m.s);
			return AMOUNT_SYNTAX;
		}
		if (eneg)
			exp = -exp;
	}
	if (i != len)
	{
		free(m.s);
		return AMOUNT_SYNTAX;
	}
	(void) big_exp;
	p = exp - frac;
	scale = p < 0 ? -p : 0;
	intdigits = (long long) m.len + p;	/* digits before the point */
	if (m.len == 0)
		intdigits = 0;
	if (intdigits > AMOUNT_MAX_INT_DIGITS || scale > AMOUNT_MAX_SCALE)
	{
		free(m.s);
		return AMOUNT_OUT_OF_RANGE;
	}
	if (neg && m.len > 0)
		sb_put(&o, '-');
	if (intdigits <= 0)
		sb_put(&o, '0');
	else
		for (long long k = 0; k < intdigits; k++)
			sb_put(&o, k < (long long) m.len ? m.s[k] : '0');
	if (scale > 0)
	{
		sb_put(&o, '.');
		/* the digits after the point: zeros, then the rest of M */
		for (long long k = intdigits; k < intdigits + scale; k++)
			sb_put(&o, (k >= 0 && k < (long long) m.len) ? m.s[k] : '0');
	}
	free(m.s);
	*out = o.s;
	return AMOUNT_OK;
}

static oracle
oracle_parse(const uint8_t *s, size_t len)
{
	oracle		r = {AMOUNT_SYNTAX, NULL, ""};
	size_t		starts[3],
				ends[3];
	int			ntok = 0;
	size_t		i = 0;

	while (i < len)
	{
		while (i < len && blank(s[i]))
			i++;
		if (i == len)
			break;
		if (ntok == 3)
			return r;
		starts[ntok] = i;
		while (i < len && !blank(s[i]))
			i++;
		ends[ntok++] = i;
	}
	if (ntok != 2)
		return r;
	r.status = oracle_number(s + starts[0], ends[0] - starts[0], &r.number);
	if (r.status != AMOUNT_OK)
		return r;
	if (ends[1] - starts[1] != 3)
		r.status = AMOUNT_SYNTAX;
	else
	{
		for (int k = 0; k < 3; k++)
		{
			uint8_t		c = s[starts[1] + k];

			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			{
				r.status = AMOUNT_SYNTAX;
				break;
			}
			r.code[k] = (char) (c & ~0x20);
		}
		r.code[3] = '\0';
		if (r.status == AMOUNT_OK && !oracle_known(r.code))
			r.status = AMOUNT_BAD_CURRENCY;
	}
	if (r.status != AMOUNT_OK)
	{
		free(r.number);
		r.number = NULL;
	}
	return r;
}

/* ---- rounding oracle for en_US ---- */

/* |number| rounded half away from zero to 2 decimals, grouped with ",". */
static char *
oracle_en_us(const char *number, bool *negative, bool *zero)
{
	const char *digits = number;
	size_t		n;
	char	   *dot;
	sbuf		ip = {0};
	char		f[3] = {'0', '0', 0};
	bool		up;
	sbuf		o = {0};

	*negative = number[0] == '-';
	if (*negative)
		digits++;
	dot = strchr(digits, '.');
	n = dot ? (size_t) (dot - digits) : strlen(digits);
	for (size_t k = 0; k < n; k++)
		sb_put(&ip, digits[k]);
	if (dot)
	{
		if (dot[1])
		{
			f[0] = dot[1];
			if (dot[2])
				f[1] = dot[2];
		}
	}
	up = dot && dot[1] && dot[2] && dot[3] >= '5';
	if (up)
	{
		/* add one cent with carries through f and ip */
		int			k = 1;

		for (; k >= 0; k--)
		{
			if (f[k] == '9')
				f[k] = '0';
			else
			{
				f[k]++;
				break;
			}
		}
		if (k < 0)
		{
			long long	j = (long long) ip.len - 1;

			for (; j >= 0; j--)
			{
				if (ip.s[j] == '9')
					ip.s[j] = '0';
				else
				{
					ip.s[j]++;
					break;
				}
			}
			if (j < 0)
			{
				sbuf		t = {0};

				sb_put(&t, '1');
				for (size_t q = 0; q < ip.len; q++)
					sb_put(&t, ip.s[q]);
				free(ip.s);
				ip = t;
			}
		}
	}
	for (size_t k = 0; k < ip.len; k++)
	{
		if (k > 0 && (ip.len - k) % 3 == 0)
			sb_put(&o, ',');
		sb_put(&o, ip.s[k]);
	}
	sb_put(&o, '.');
	sb_put(&o, f[0]);
	sb_put(&o, f[1]);
	*zero = true;
	for (size_t k = 0; k < o.len; k++)
		if (o.s[k] >= '1' && o.s[k] <= '9')
			*zero = false;
	free(ip.s);
	return o.s;
}

static void
check_locales(const char *number, size_t number_len)
{
	char	   *out;
	size_t		out_len;
	const char *icu_error;
	amount_status st;
	bool		negative,
				zero;
	char	   *expect;
	sbuf		got = {0};
	size_t		k = 0;

	st = amount_format_locale(number, number_len, "USD", "en_US", &out, &out_len, &icu_error);
	FUZZ_CHECK(st == AMOUNT_OK, "en_US formatting of %s failed: %d %s", number, st,
			   icu_error ? icu_error : "");
	FUZZ_CHECK(strlen(out) == out_len && fuzz_utf8_valid((const uint8_t *) out, out_len),
			   "en_US output not UTF-8 of the given length");
	expect = oracle_en_us(number, &negative, &zero);
	if (out[0] == '-')
	{
		FUZZ_CHECK(negative, "en_US: %s formatted with a minus: %s", number, out);
		k = 1;
	}
	else
		FUZZ_CHECK(!negative || zero, "en_US: %s formatted without a minus: %s", number, out);
	FUZZ_CHECK(out[k] == '$', "en_US: no $ in %s", out);
	for (k++; k < out_len; k++)
		sb_put(&got, out[k]);
	FUZZ_CHECK(got.s != NULL && strcmp(got.s, expect) == 0,
			   "en_US: %s formatted as %s, expected $%s", number, out, expect);
	free(got.s);
	free(expect);
	core_free(out);

	st = amount_format_locale(number, number_len, "EUR", "de_DE", &out, &out_len, &icu_error);
	FUZZ_CHECK(st == AMOUNT_OK && fuzz_utf8_valid((const uint8_t *) out, out_len), "de_DE failed");
	core_free(out);
	st = amount_format_locale(number, number_len, "JPY", "ja_JP", &out, &out_len, &icu_error);
	FUZZ_CHECK(st == AMOUNT_OK && fuzz_utf8_valid((const uint8_t *) out, out_len), "ja_JP failed");
	FUZZ_CHECK(strchr(out, '.') == NULL, "ja_JP JPY has decimals: %s", out);
	core_free(out);
	st = amount_format_locale(number, number_len, "EUR", "xx_YY", &out, &out_len, &icu_error);
	FUZZ_CHECK(st == AMOUNT_BAD_LOCALE && out == NULL, "xx_YY accepted");

	/* every allocation failing */
	for (long fail = 1; fail <= 2; fail++)
	{
		fuzz_alloc_reset(fail);
		st = amount_format_locale(number, number_len, "EUR", "de_DE", &out, &out_len, &icu_error);
		FUZZ_CHECK(st == AMOUNT_NO_MEMORY && out == NULL,
				   "allocation %ld failing gave status %d", fail, st);
		FUZZ_CHECK(fuzz_live_blocks == 1, "format_locale leaked after allocation failure");
	}
	fuzz_alloc_reset(0);
}

static void
check_wire(const uint8_t *data, size_t size)
{
	char		code[4];
	amount_status st = amount_wire_header(data, size, code);
	amount_status expect;

	if (size < 4)
		expect = AMOUNT_TRUNCATED;
	else if (data[0] != 1)
		expect = AMOUNT_BAD_VERSION;
	else if (!(data[1] >= 'A' && data[1] <= 'Z' && data[2] >= 'A' && data[2] <= 'Z' &&
			   data[3] >= 'A' && data[3] <= 'Z'))
		expect = AMOUNT_SYNTAX;
	else
		expect = oracle_known((const char *) data + 1) ? AMOUNT_OK : AMOUNT_BAD_CURRENCY;
	FUZZ_CHECK(st == expect, "wire header status %d, expected %d", st, expect);
	if (st == AMOUNT_OK)
	{
		unsigned char back[4];

		amount_wire_put_header(code, back);
		FUZZ_CHECK(memcmp(back, data, 4) == 0, "wire header does not round trip");
		FUZZ_CHECK(amount_currency_known(code), "wire code not known");
	}
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *in = fuzz_dup(data, size);
	char	   *number;
	size_t		number_len;
	char		code[4];
	amount_status st;
	oracle		o = oracle_parse(data, size);

	check_wire(data, size);

	fuzz_alloc_reset(0);
	st = amount_parse(in, size, &number, &number_len, code);
	FUZZ_CHECK(st == o.status, "amount_parse status %d, oracle %d", st, o.status);
	if (st != AMOUNT_OK)
	{
		FUZZ_CHECK(number == NULL && fuzz_live_blocks == 0, "failed parse left memory");
		if (st == AMOUNT_BAD_CURRENCY)
			FUZZ_CHECK(strcmp(code, o.code) == 0, "bad code %s, oracle %s", code, o.code);
		free(in);
		return 0;
	}
	FUZZ_CHECK(fuzz_live_blocks == 1, "parse left %ld blocks", fuzz_live_blocks);
	FUZZ_CHECK(strlen(number) == number_len, "number length");
	FUZZ_CHECK(strcmp(number, o.number) == 0, "number %s, oracle %s", number, o.number);
	FUZZ_CHECK(strcmp(code, o.code) == 0, "code %s, oracle %s", code, o.code);
	FUZZ_CHECK(amount_currency_known(code), "code %s not known", code);
	{
		int			mu = amount_minor_units(code);

		FUZZ_CHECK(mu >= 0 && mu <= 4, "minor units of %s: %d", code, mu);
	}

	/* canonical number is a fixed point; text round trip */
	{
		char	   *again;
		size_t		again_len;
		char	   *text;
		size_t		text_len;
		char		code2[4];

		FUZZ_CHECK(amount_parse_number(number, number_len, &again, &again_len) == AMOUNT_OK &&
				   strcmp(again, number) == 0, "canonical number %s not a fixed point", number);
		core_free(again);
		FUZZ_CHECK(amount_format(number, number_len, code, &text, &text_len) == AMOUNT_OK,
				   "format failed");
		FUZZ_CHECK(text_len == number_len + 4 && text[number_len] == ' ' &&
				   memcmp(text + number_len + 1, code, 3) == 0, "format wrote %s", text);
		FUZZ_CHECK(amount_parse(text, text_len, &again, &again_len, code2) == AMOUNT_OK &&
				   strcmp(again, number) == 0 && strcmp(code2, code) == 0,
				   "text %s does not round trip", text);
		core_free(again);
		core_free(text);
	}

	if (number_len <= 80)
		check_locales(number, number_len);

	/* allocation failure in the parser */
	fuzz_alloc_reset(1);
	{
		char	   *n2;
		size_t		l2;
		char		c2[4];

		st = amount_parse(in, size, &n2, &l2, c2);
		FUZZ_CHECK(st == AMOUNT_NO_MEMORY && n2 == NULL && fuzz_live_blocks == 1,
				   "allocation failure in parse gave %d", st);
	}
	fuzz_alloc_reset(0);

	core_free(number);
	free(o.number);
	free(in);
	FUZZ_CHECK(fuzz_live_blocks == 0, "leaked %ld blocks", fuzz_live_blocks);
	return 0;
}
