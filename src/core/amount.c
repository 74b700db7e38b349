/*
 * amount.c - money amounts (backend-free core): text form, currency codes,
 * minor units and locale formatting through ICU.  The contract is the
 * header comment of amount.h.
 */
#include "amount.h"

#include "core_alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uenum.h>
#include <unicode/uloc.h>
#include <unicode/ucurr.h>
#include <unicode/unum.h>
#include <unicode/ustring.h>

/* ---- currency codes ---- */

/* Room for every code ICU may list (ICU 72 lists 306). */
#define MAX_CODES 1024

static char known_codes[MAX_CODES][AMOUNT_CODE_LEN];
static int	n_known_codes = -1;	/* -1: not loaded yet */

static int
code_cmp(const void *a, const void *b)
{
	return memcmp(a, b, AMOUNT_CODE_LEN);
}

static bool
is_upper_code(const char *s, size_t len)
{
	if (len != AMOUNT_CODE_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < 'A' || s[i] > 'Z')
			return false;
	return true;
}

/*
 * Load ICU's list of ISO 4217 codes once per process.  A failure leaves the
 * list unloaded (every code unknown) and is retried on the next call.
 */
static bool
load_codes(void)
{
	UErrorCode	status = U_ZERO_ERROR;
	UEnumeration *e;
	const char *s;
	int32_t		len;
	int			n = 0;

	if (n_known_codes >= 0)
		return true;
	e = ucurr_openISOCurrencies(UCURR_ALL, &status);
	if (U_FAILURE(status))
		return false;
	while ((s = uenum_next(e, &len, &status)) != NULL && U_SUCCESS(status))
	{
		if (len < 0 || !is_upper_code(s, (size_t) len) || n == MAX_CODES)
			continue;
		memcpy(known_codes[n++], s, AMOUNT_CODE_LEN);
	}
	uenum_close(e);
	if (U_FAILURE(status))
		return false;
	qsort(known_codes, n, AMOUNT_CODE_LEN, code_cmp);
	n_known_codes = n;
	return true;
}

bool
amount_currency_known(const char *code)
{
	if (!is_upper_code(code, AMOUNT_CODE_LEN) || !load_codes())
		return false;
	return bsearch(code, known_codes, n_known_codes, AMOUNT_CODE_LEN, code_cmp) != NULL;
}

static bool
is_ascii_letter(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

amount_status
amount_currency_parse(const char *in, size_t len, char code[AMOUNT_CODE_LEN + 1])
{
	code[0] = '\0';
	if (len != AMOUNT_CODE_LEN)
		return AMOUNT_SYNTAX;
	for (size_t i = 0; i < AMOUNT_CODE_LEN; i++)
	{
		if (!is_ascii_letter(in[i]))
		{
			code[0] = '\0';
			return AMOUNT_SYNTAX;
		}
		code[i] = (in[i] >= 'a') ? (char) (in[i] - 'a' + 'A') : in[i];
	}
	code[AMOUNT_CODE_LEN] = '\0';
	return amount_currency_known(code) ? AMOUNT_OK : AMOUNT_BAD_CURRENCY;
}

static void
code_to_uchars(const char *code, UChar *u)
{
	for (int i = 0; i < AMOUNT_CODE_LEN; i++)
		u[i] = (UChar) (unsigned char) code[i];
	u[AMOUNT_CODE_LEN] = 0;
}

int
amount_minor_units(const char *code)
{
	UChar		u[AMOUNT_CODE_LEN + 1];
	UErrorCode	status = U_ZERO_ERROR;
	int32_t		digits;

	code_to_uchars(code, u);
	digits = ucurr_getDefaultFractionDigits(u, &status);
	if (U_FAILURE(status) || digits < 0 || digits > 10)
		return -1;
	return digits;
}

/* ---- numbers ---- */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool
equals_nocase(const char *s, size_t len, const char *word)
{
	size_t		n = strlen(word);

	if (len != n)
		return false;
	for (size_t i = 0; i < n; i++)
	{
		char		c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		if (c != word[i])
			return false;
	}
	return true;
}

/* NaN, inf or infinity, any case, with an optional sign. */
static bool
is_not_finite(const char *s, size_t len)
{
	if (len > 0 && (s[0] == '+' || s[0] == '-'))
	{
		s++;
		len--;
	}
	return equals_nocase(s, len, "nan") || equals_nocase(s, len, "inf") ||
		equals_nocase(s, len, "infinity");
}

/* Exponents are read up to this magnitude; anything beyond is out of range anyway. */
#define EXPONENT_CAP 1000000000LL

amount_status
amount_parse_number(const char *in, size_t len, char **number, size_t *number_len)
{
	size_t		p = 0;
	bool		negative = false;
	size_t		int_start,
				int_len,
				frac_start = 0,
				frac_len = 0;
	int64_t		exponent = 0;
	size_t		n;				/* digits in all */
	size_t		lead;			/* leading zeros among them */
	int64_t		point;			/* position of the point among the digits */
	int64_t		scale;
	int64_t		int_digits;
	size_t		size;
	char	   *out;
	size_t		o = 0;

	*number = NULL;
	*number_len = 0;
	if (is_not_finite(in, len))
		return AMOUNT_NOT_FINITE;
	if (p < len && (in[p] == '+' || in[p] == '-'))
		negative = (in[p++] == '-');
	int_start = p;
	while (p < len && is_digit(in[p]))
		p++;
	int_len = p - int_start;
	if (p < len && in[p] == '.')
	{
		p++;
		frac_start = p;
		while (p < len && is_digit(in[p]))
			p++;
		frac_len = p - frac_start;
	}
	if (int_len + frac_len == 0)
		return AMOUNT_SYNTAX;
	if (p < len && (in[p] == 'e' || in[p] == 'E'))
	{
		bool		exp_negative = false;
		size_t		exp_start;

		p++;
		if (p < len && (in[p] == '+' || in[p] == '-'))
			exp_negative = (in[p++] == '-');
		exp_start = p;
		while (p < len && is_digit(in[p]))
		{
			if (exponent < EXPONENT_CAP)
				exponent = exponent * 10 + (in[p] - '0');
			p++;
		}
		if (p == exp_start)
			return AMOUNT_SYNTAX;
		if (exp_negative)
			exponent = -exponent;
	}
	if (p != len)
		return AMOUNT_SYNTAX;

	/*
	 * The digits d[0..n) are in[int_start..int_start+int_len) followed by
	 * in[frac_start..frac_start+frac_len); the point sits before digit
	 * number `point`.
	 */
	n = int_len + frac_len;
#define DIGIT(i) ((size_t) (i) < int_len ? in[int_start + (i)] : in[frac_start + (i) - int_len])
	lead = 0;
	while (lead < n && DIGIT(lead) == '0')
		lead++;
	if (lead == n)
		negative = false;		/* zero has no sign */
	point = (int64_t) int_len + exponent;
	scale = (int64_t) frac_len - exponent;
	if (scale < 0)
		scale = 0;
	/* zero (all digits 0) has no digits before the point, whatever the exponent */
	int_digits = (lead < n && point > (int64_t) lead) ? point - (int64_t) lead : 0;
	if (int_digits > AMOUNT_MAX_INT_DIGITS || scale > AMOUNT_MAX_SCALE)
		return AMOUNT_OUT_OF_RANGE;

	size = (negative ? 1 : 0) + (int_digits > 0 ? (size_t) int_digits : 1) +
		(scale > 0 ? 1 + (size_t) scale : 0) + 1;
	out = core_alloc(size);
	if (out == NULL)
		return AMOUNT_NO_MEMORY;
	if (negative)
		out[o++] = '-';
	if (int_digits == 0)
		out[o++] = '0';
	else
		for (int64_t i = (int64_t) lead; i < point; i++)
			out[o++] = i < (int64_t) n ? DIGIT(i) : '0';
	if (scale > 0)
	{
		out[o++] = '.';
		for (int64_t i = point; i < point + scale; i++)
			out[o++] = (i >= 0 && i < (int64_t) n) ? DIGIT(i) : '0';
	}
#undef DIGIT
	out[o] = '\0';
	*number = out;
	*number_len = o;
	return AMOUNT_OK;
}

amount_status
amount_parse(const char *in, size_t len, char **number, size_t *number_len,
			 char code[AMOUNT_CODE_LEN + 1])
{
	size_t		p = 0;
	size_t		num_start,
				num_end,
				code_start,
				code_end;
	amount_status status;

	*number = NULL;
	*number_len = 0;
	code[0] = '\0';
	while (p < len && is_blank(in[p]))
		p++;
	num_start = p;
	while (p < len && !is_blank(in[p]))
		p++;
	num_end = p;
	while (p < len && is_blank(in[p]))
		p++;
	code_start = p;
	while (p < len && !is_blank(in[p]))
		p++;
	code_end = p;
	while (p < len && is_blank(in[p]))
		p++;
	if (num_end == num_start || code_end == code_start || code_start == num_end || p != len)
		return AMOUNT_SYNTAX;

	status = amount_parse_number(in + num_start, num_end - num_start, number, number_len);
	if (status != AMOUNT_OK)
		return status;
	status = amount_currency_parse(in + code_start, code_end - code_start, code);
	if (status != AMOUNT_OK)
	{
		core_free(*number);
		*number = NULL;
		*number_len = 0;
	}
	return status;
}

amount_status
amount_format(const char *number, size_t number_len, const char *code,
			  char **out, size_t *out_len)
{
	size_t		size = number_len + 1 + AMOUNT_CODE_LEN + 1;
	char	   *s = core_alloc(size);

	*out = NULL;
	*out_len = 0;
	if (s == NULL)
		return AMOUNT_NO_MEMORY;
	memcpy(s, number, number_len);
	s[number_len] = ' ';
	memcpy(s + number_len + 1, code, AMOUNT_CODE_LEN);
	s[size - 1] = '\0';
	*out = s;
	*out_len = size - 1;
	return AMOUNT_OK;
}

/* ---- locale formatting ---- */

#define LANG_CAPACITY 64

static bool
locale_chars_ok(const char *locale)
{
	size_t		len = strlen(locale);

	if (len == 0 || len > AMOUNT_MAX_LOCALE_LEN)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char) locale[i] < 0x21 || (unsigned char) locale[i] > 0x7E)
			return false;
	return true;
}

amount_status
amount_format_locale(const char *number, size_t number_len, const char *code,
					 const char *locale, char **out, size_t *out_len,
					 const char **icu_error)
{
	UErrorCode	status = U_ZERO_ERROR;
	char		lang[LANG_CAPACITY];
	char		valid_lang[LANG_CAPACITY];
	const char *valid;
	UNumberFormat *fmt;
	UChar		ucode[AMOUNT_CODE_LEN + 1];
	UChar	   *buf;
	size_t		capacity;
	int32_t		ulen;
	int32_t		utf8_len;
	char	   *s;

	*out = NULL;
	*out_len = 0;
	*icu_error = NULL;
	if (!locale_chars_ok(locale))
		return AMOUNT_BAD_LOCALE;
	uloc_getLanguage(locale, lang, LANG_CAPACITY, &status);
	if (status != U_ZERO_ERROR || lang[0] == '\0')
		return AMOUNT_BAD_LOCALE;

	/*
	 * The output buffer is allocated before ICU objects exist, so that an
	 * allocation failure (which may leave by longjmp in the backend) leaks
	 * nothing of ICU's.  Every digit takes at most two UTF-16 units, plus a
	 * grouping separator of at most two per digit; prefix and suffix are
	 * short.
	 */
	if (number_len > (SIZE_MAX - 256) / 4 || number_len > (size_t) (INT32_MAX - 256) / 4)
		return AMOUNT_OUT_OF_RANGE;
	capacity = number_len * 4 + 256;
	buf = core_alloc(capacity * sizeof(UChar));
	if (buf == NULL)
		return AMOUNT_NO_MEMORY;

	status = U_ZERO_ERROR;
	fmt = unum_open(UNUM_CURRENCY, NULL, 0, locale, NULL, &status);
	if (U_FAILURE(status))
	{
		core_free(buf);
		*icu_error = u_errorName(status);
		return AMOUNT_ICU_ERROR;
	}
	status = U_ZERO_ERROR;
	valid = unum_getLocaleByType(fmt, ULOC_VALID_LOCALE, &status);
	if (U_FAILURE(status) || valid == NULL)
	{
		unum_close(fmt);
		core_free(buf);
		return AMOUNT_BAD_LOCALE;
	}
	uloc_getLanguage(valid, valid_lang, LANG_CAPACITY, &status);
	if (status != U_ZERO_ERROR || strcmp(lang, valid_lang) != 0)
	{
		unum_close(fmt);
		core_free(buf);
		return AMOUNT_BAD_LOCALE;
	}

	code_to_uchars(code, ucode);
	unum_setTextAttribute(fmt, UNUM_CURRENCY_CODE, ucode, AMOUNT_CODE_LEN, &status);
	unum_setAttribute(fmt, UNUM_ROUNDING_MODE, UNUM_ROUND_HALFUP);
	ulen = U_SUCCESS(status)
		? unum_formatDecimal(fmt, number, (int32_t) number_len, buf, (int32_t) capacity, NULL, &status)
		: 0;
	unum_close(fmt);
	if (U_FAILURE(status) || ulen < 0 || (size_t) ulen >= capacity)
	{
		core_free(buf);
		*icu_error = u_errorName(U_FAILURE(status) ? status : U_BUFFER_OVERFLOW_ERROR);
		return AMOUNT_ICU_ERROR;
	}

	/* UTF-16 to UTF-8: measure, then convert */
	status = U_ZERO_ERROR;
	u_strToUTF8(NULL, 0, &utf8_len, buf, ulen, &status);
	if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
	{
		core_free(buf);
		*icu_error = u_errorName(status);
		return AMOUNT_ICU_ERROR;
	}
	s = core_alloc((size_t) utf8_len + 1);
	if (s == NULL)
	{
		core_free(buf);
		return AMOUNT_NO_MEMORY;
	}
	status = U_ZERO_ERROR;
	u_strToUTF8(s, utf8_len + 1, &utf8_len, buf, ulen, &status);
	core_free(buf);
	if (U_FAILURE(status))
	{
		core_free(s);
		*icu_error = u_errorName(status);
		return AMOUNT_ICU_ERROR;
	}
	s[utf8_len] = '\0';
	*out = s;
	*out_len = (size_t) utf8_len;
	return AMOUNT_OK;
}

/* ---- binary header ---- */

amount_status
amount_wire_header(const unsigned char *in, size_t len, char code[AMOUNT_CODE_LEN + 1])
{
	code[0] = '\0';
	if (len < AMOUNT_WIRE_HEADER)
		return AMOUNT_TRUNCATED;
	if (in[0] != AMOUNT_WIRE_VERSION)
		return AMOUNT_BAD_VERSION;
	if (!is_upper_code((const char *) in + 1, AMOUNT_CODE_LEN))
		return AMOUNT_SYNTAX;
	memcpy(code, in + 1, AMOUNT_CODE_LEN);
	code[AMOUNT_CODE_LEN] = '\0';
	return amount_currency_known(code) ? AMOUNT_OK : AMOUNT_BAD_CURRENCY;
}

void
amount_wire_put_header(const char *code, unsigned char *out)
{
	out[0] = AMOUNT_WIRE_VERSION;
	memcpy(out + 1, code, AMOUNT_CODE_LEN);
}
