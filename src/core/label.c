/*
 * label.c - label normalisation with ICU (backend-free core)
 *
 * See label.h for the rules.  The work is done in UTF-16, ICU's native form:
 * UTF-8 in, NFKC_Casefold, separator folding, UTF-8 out.
 */
#include "label.h"

#include "core_alloc.h"

#include <stdint.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

static UErrorCode last_icu_error = U_ZERO_ERROR;

const char *
label_icu_error_name(void)
{
	return u_errorName(last_icu_error);
}

static label_status
icu_failure(UErrorCode status)
{
	last_icu_error = status;
	return LABEL_ICU_ERROR;
}

/* Separators fold into '_': white space, '_' and every dash (category Pd). */
static int
is_separator(UChar32 c)
{
	return c == '_' || u_isUWhiteSpace(c) || u_charType(c) == U_DASH_PUNCTUATION;
}

/*
 * UTF-8 to UTF-16.  Ill-formed UTF-8 and NUL bytes are rejected: PostgreSQL
 * text never holds NUL, and refusing it keeps the output a C string.
 */
static label_status
utf8_to_utf16(const char *in, size_t len, UChar **out, int32_t *out_len)
{
	UErrorCode	status = U_ZERO_ERROR;
	int32_t		needed;
	UChar	   *buf;

	if (memchr(in, '\0', len) != NULL)
		return LABEL_INVALID_UTF8;

	/* preflight */
	u_strFromUTF8(NULL, 0, &needed, in, (int32_t) len, &status);
	if (status == U_INVALID_CHAR_FOUND || status == U_ILLEGAL_CHAR_FOUND)
		return LABEL_INVALID_UTF8;
	if (U_FAILURE(status) && status != U_BUFFER_OVERFLOW_ERROR)
		return icu_failure(status);

	buf = core_alloc(((size_t) needed + 1) * sizeof(UChar));
	if (buf == NULL)
		return LABEL_NO_MEMORY;
	status = U_ZERO_ERROR;
	u_strFromUTF8(buf, needed + 1, NULL, in, (int32_t) len, &status);
	if (U_FAILURE(status))
	{
		core_free(buf);
		return icu_failure(status);
	}
	*out = buf;
	*out_len = needed;
	return LABEL_OK;
}

static label_status
nfkc_casefold(const UChar *in, int32_t len, UChar **out, int32_t *out_len)
{
	UErrorCode	status = U_ZERO_ERROR;
	const UNormalizer2 *norm = unorm2_getNFKCCasefoldInstance(&status);
	int32_t		needed;
	UChar	   *buf;

	if (U_FAILURE(status))
		return icu_failure(status);

	needed = unorm2_normalize(norm, in, len, NULL, 0, &status);
	if (U_FAILURE(status) && status != U_BUFFER_OVERFLOW_ERROR)
		return icu_failure(status);

	buf = core_alloc(((size_t) needed + 1) * sizeof(UChar));
	if (buf == NULL)
		return LABEL_NO_MEMORY;
	status = U_ZERO_ERROR;
	unorm2_normalize(norm, in, len, buf, needed + 1, &status);
	if (U_FAILURE(status))
	{
		core_free(buf);
		return icu_failure(status);
	}
	*out = buf;
	*out_len = needed;
	return LABEL_OK;
}

/*
 * Fold separator runs into one '_' and drop them at both ends, in place
 * (the result is never longer than the input).
 */
static int32_t
fold_separators(UChar *s, int32_t len)
{
	int32_t		i = 0;
	int32_t		o = 0;
	int			pending_separator = 0;

	while (i < len)
	{
		int32_t		start = i;
		UChar32		c;

		U16_NEXT(s, i, len, c);
		if (is_separator(c))
		{
			pending_separator = (o > 0);
			continue;
		}
		if (pending_separator)
		{
			s[o++] = '_';
			pending_separator = 0;
		}
		while (start < i)
			s[o++] = s[start++];
	}
	return o;
}

/* Drop white space at both ends, in place; returns the new length. */
static int32_t
trim_white_space(UChar *s, int32_t len)
{
	int32_t		start = 0;
	int32_t		end = len;
	UChar32		c;

	while (start < end)
	{
		int32_t		next = start;

		U16_NEXT(s, next, end, c);
		if (!u_isUWhiteSpace(c))
			break;
		start = next;
	}
	while (end > start)
	{
		int32_t		prev = end;

		U16_PREV(s, start, prev, c);
		if (!u_isUWhiteSpace(c))
			break;
		end = prev;
	}
	if (start > 0)
		memmove(s, s + start, (size_t) (end - start) * sizeof(UChar));
	return end - start;
}

static label_status
utf16_to_utf8(const UChar *in, int32_t len, char **out, size_t *out_len)
{
	UErrorCode	status = U_ZERO_ERROR;
	int32_t		needed;
	char	   *buf;

	u_strToUTF8(NULL, 0, &needed, in, len, &status);
	if (U_FAILURE(status) && status != U_BUFFER_OVERFLOW_ERROR)
		return icu_failure(status);

	buf = core_alloc((size_t) needed + 1);
	if (buf == NULL)
		return LABEL_NO_MEMORY;
	status = U_ZERO_ERROR;
	u_strToUTF8(buf, needed + 1, NULL, in, len, &status);
	if (U_FAILURE(status))
	{
		core_free(buf);
		return icu_failure(status);
	}
	buf[needed] = '\0';
	*out = buf;
	*out_len = (size_t) needed;
	return LABEL_OK;
}

/* Case-fold, then fold separators (label_normalize) or trim white space. */
static label_status
casefold_and(const char *in, size_t len, int fold_separators_too,
			 char **out, size_t *out_len)
{
	UChar	   *utf16 = NULL;
	UChar	   *folded = NULL;
	int32_t		utf16_len;
	int32_t		folded_len;
	label_status status;

	*out = NULL;
	*out_len = 0;
	if (len > LABEL_MAX_INPUT_BYTES)
		return LABEL_TOO_LONG;

	status = utf8_to_utf16(in, len, &utf16, &utf16_len);
	if (status != LABEL_OK)
		return status;

	status = nfkc_casefold(utf16, utf16_len, &folded, &folded_len);
	core_free(utf16);
	if (status != LABEL_OK)
		return status;

	if (fold_separators_too)
		folded_len = fold_separators(folded, folded_len);
	else
		folded_len = trim_white_space(folded, folded_len);
	status = utf16_to_utf8(folded, folded_len, out, out_len);
	core_free(folded);
	return status;
}

label_status
label_normalize(const char *in, size_t len, char **out, size_t *out_len)
{
	return casefold_and(in, len, 1, out, out_len);
}

label_status
label_casefold_trim(const char *in, size_t len, char **out, size_t *out_len)
{
	return casefold_and(in, len, 0, out, out_len);
}
