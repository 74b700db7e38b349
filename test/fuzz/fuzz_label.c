/*
 * fuzz_label.c - libFuzzer harness for label_normalize and
 * label_casefold_trim (src/core/label.c)
 *
 * The input is the label text, as bytes.  Properties checked (abort() on
 * failure; see label.h for the contract), for label_normalize:
 *   - status: LABEL_INVALID_UTF8 exactly when the input holds a NUL byte or
 *     is not well-formed UTF-8 (checked with an independent validator);
 *     well-formed input below the size limit gives LABEL_OK (never an ICU
 *     error, never LABEL_TOO_LONG);
 *   - on errors *out is NULL, *out_len 0 and nothing is left allocated;
 *   - on LABEL_OK: out[out_len] is the first NUL, the output is well-formed
 *     UTF-8 holding no white space, no dash (Pd), no '_' at either end and
 *     no "__"; exactly one block is left allocated (the output);
 *   - idempotence: normalising the output gives the output again;
 *   - invariance: surrounding the input with separators, upper-casing its
 *     ASCII letters, or swapping its ASCII separators for '-' does not
 *     change the output;
 *   - allocation failure: making any one allocation fail gives
 *     LABEL_NO_MEMORY with *out NULL and nothing left allocated.
 * and for label_casefold_trim: the same status and allocation contract; the
 * output is well-formed UTF-8 without NUL and without white space at either
 * end; it is idempotent, unchanged by surrounding white space or ASCII case,
 * and label_normalize of it is label_normalize of the input.
 * LeakSanitizer checks that everything allocated is freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "core_alloc.h"
#include "label.h"
#include "fuzz_common.h"

static const char *
status_name(label_status s)
{
	switch (s)
	{
		case LABEL_OK:
			return "LABEL_OK";
		case LABEL_INVALID_UTF8:
			return "LABEL_INVALID_UTF8";
		case LABEL_TOO_LONG:
			return "LABEL_TOO_LONG";
		case LABEL_NO_MEMORY:
			return "LABEL_NO_MEMORY";
		case LABEL_ICU_ERROR:
			return "LABEL_ICU_ERROR";
	}
	return "(unknown label_status)";
}

/* Check the shape of a LABEL_OK result. */
static void
check_output(const char *out, size_t out_len)
{
	size_t		i = 0;
	uint32_t	prev = 0;

	FUZZ_CHECK(out != NULL, "LABEL_OK but out is NULL");
	FUZZ_CHECK(memchr(out, '\0', out_len) == NULL, "NUL byte before out_len %zu", out_len);
	FUZZ_CHECK(out[out_len] == '\0', "out is not NUL-terminated at out_len %zu", out_len);
	FUZZ_CHECK(fuzz_utf8_valid((const uint8_t *) out, out_len), "output is not well-formed UTF-8");
	if (out_len == 0)
		return;
	FUZZ_CHECK(out[0] != '_', "output starts with '_': \"%s\"", out);
	FUZZ_CHECK(out[out_len - 1] != '_', "output ends with '_': \"%s\"", out);
	FUZZ_CHECK(strstr(out, "__") == NULL, "output holds \"__\": \"%s\"", out);
	while (i < out_len)
	{
		uint32_t	c;
		size_t		n = fuzz_utf8_next((const uint8_t *) out + i, out_len - i, &c);

		FUZZ_CHECK(n > 0, "output is not well-formed UTF-8 at byte %zu", i);
		FUZZ_CHECK(!u_isUWhiteSpace((UChar32) c),
				   "output holds white space U+%04X at byte %zu: \"%s\"", c, i, out);
		FUZZ_CHECK(u_charType((UChar32) c) != U_DASH_PUNCTUATION,
				   "output holds dash U+%04X at byte %zu: \"%s\"", c, i, out);
		FUZZ_CHECK(!(c == '_' && prev == '_'), "output holds \"__\"");
		prev = c;
		i += n;
	}
}

/* Check the shape of a label_casefold_trim LABEL_OK result. */
static void
check_trim_output(const char *out, size_t out_len)
{
	size_t		i = 0;
	uint32_t	c = 0;

	FUZZ_CHECK(out != NULL, "LABEL_OK but out is NULL");
	FUZZ_CHECK(memchr(out, '\0', out_len) == NULL, "NUL byte before out_len %zu", out_len);
	FUZZ_CHECK(out[out_len] == '\0', "out is not NUL-terminated at out_len %zu", out_len);
	FUZZ_CHECK(fuzz_utf8_valid((const uint8_t *) out, out_len), "output is not well-formed UTF-8");
	if (out_len == 0)
		return;
	fuzz_utf8_next((const uint8_t *) out, out_len, &c);
	FUZZ_CHECK(!u_isUWhiteSpace((UChar32) c), "trimmed output starts with U+%04X: \"%s\"", c, out);
	while (i < out_len)
		i += fuzz_utf8_next((const uint8_t *) out + i, out_len - i, &c);
	FUZZ_CHECK(!u_isUWhiteSpace((UChar32) c), "trimmed output ends with U+%04X: \"%s\"", c, out);
}

typedef label_status (*label_fn) (const char *in, size_t len, char **out, size_t *out_len);

/*
 * Call fn (label_normalize or label_casefold_trim); check the
 * status/out/out_len/allocation contract that holds whatever the input.
 * Returns the status; on LABEL_OK the caller frees *out.
 */
static label_status
call_checked(label_fn fn, const char *in, size_t len, char **out, size_t *out_len)
{
	long		live_before = fuzz_live_blocks;
	label_status st;

	*out = (char *) &live_before;	/* garbage the core must overwrite */
	*out_len = (size_t) -1;
	st = fn(in, len, out, out_len);
	if (st == LABEL_OK)
	{
		FUZZ_CHECK(fuzz_live_blocks == live_before + 1,
				   "LABEL_OK left %ld blocks allocated, expected 1",
				   fuzz_live_blocks - live_before);
		if (fn == label_normalize)
			check_output(*out, *out_len);
		else
			check_trim_output(*out, *out_len);
	}
	else
	{
		FUZZ_CHECK(*out == NULL, "%s but out is not NULL", status_name(st));
		FUZZ_CHECK(*out_len == 0, "%s but out_len is %zu", status_name(st), *out_len);
		FUZZ_CHECK(fuzz_live_blocks == live_before,
				   "%s left %ld blocks allocated", status_name(st),
				   fuzz_live_blocks - live_before);
	}
	return st;
}

static label_status
normalize_checked(const char *in, size_t len, char **out, size_t *out_len)
{
	return call_checked(label_normalize, in, len, out, out_len);
}

/* fn of in (len bytes, well-formed) must be exactly expect. */
static void
check_same(label_fn fn, const char *what, const char *in, size_t len,
		   const char *expect, size_t expect_len)
{
	char	   *out;
	size_t		out_len;
	label_status st = call_checked(fn, in, len, &out, &out_len);

	FUZZ_CHECK(st == LABEL_OK, "%s: %s (ICU: %s)", what, status_name(st),
			   label_icu_error_name());
	FUZZ_CHECK(out_len == expect_len && memcmp(out, expect, out_len) == 0,
			   "%s: expected \"%s\" (%zu bytes), got \"%s\" (%zu bytes)",
			   what, expect, expect_len, out, out_len);
	core_free(out);
}

/* A copy of pre + data + post, exactly sized. */
static char *
surround(const char *pre, const uint8_t *data, size_t size, const char *post, size_t *len)
{
	size_t		npre = strlen(pre);
	size_t		npost = strlen(post);
	char	   *buf = malloc(npre + size + npost);

	FUZZ_CHECK(buf != NULL, "out of memory");
	memcpy(buf, pre, npre);
	if (size > 0)
		memcpy(buf + npre, data, size);
	memcpy(buf + npre + size, post, npost);
	*len = npre + size + npost;
	return buf;
}

static int
is_ascii_separator(uint8_t b)
{
	return b == ' ' || b == '_' || b == '-' || (b >= '\t' && b <= '\r');
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	   *big;
	char	   *out;
	size_t		out_len;
	label_status st;

	(void) argc;
	(void) argv;
	fuzz_alloc_install();
	fuzz_alloc_reset(0);

	/* The size limit, once per process: one byte over, and exactly at it. */
	big = malloc(LABEL_MAX_INPUT_BYTES + 1);
	FUZZ_CHECK(big != NULL, "out of memory");
	memset(big, 'A', LABEL_MAX_INPUT_BYTES + 1);
	st = normalize_checked(big, LABEL_MAX_INPUT_BYTES + 1, &out, &out_len);
	FUZZ_CHECK(st == LABEL_TOO_LONG, "limit + 1 bytes gave %s", status_name(st));
	st = call_checked(label_casefold_trim, big, LABEL_MAX_INPUT_BYTES + 1, &out, &out_len);
	FUZZ_CHECK(st == LABEL_TOO_LONG, "label_casefold_trim: limit + 1 bytes gave %s", status_name(st));
	st = normalize_checked(big, LABEL_MAX_INPUT_BYTES, &out, &out_len);
	FUZZ_CHECK(st == LABEL_OK, "limit bytes gave %s", status_name(st));
	FUZZ_CHECK(out_len == LABEL_MAX_INPUT_BYTES, "limit bytes gave %zu bytes", out_len);
	for (size_t i = 0; i < out_len; i++)
		FUZZ_CHECK(out[i] == 'a', "'A' * limit gave byte 0x%02x at %zu", (uint8_t) out[i], i);
	core_free(out);
	free(big);
	FUZZ_CHECK(fuzz_live_blocks == 0, "limit checks left blocks allocated");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *) data;
	int			acceptable = fuzz_utf8_valid(data, size) && !fuzz_has_nul(data, size);
	char	   *out;
	size_t		out_len;
	char	   *trimmed;
	size_t		trimmed_len;
	label_status st;
	label_status st_trim;
	long		calls;
	long		calls_trim;

	fuzz_alloc_reset(0);
	st = normalize_checked(in, size, &out, &out_len);
	calls = fuzz_alloc_calls;
	fuzz_alloc_reset(0);
	st_trim = call_checked(label_casefold_trim, in, size, &trimmed, &trimmed_len);
	calls_trim = fuzz_alloc_calls;

	if (!acceptable)
	{
		FUZZ_CHECK(st == LABEL_INVALID_UTF8,
				   "input with NUL or ill-formed UTF-8 gave %s (ICU: %s)",
				   status_name(st), label_icu_error_name());
		FUZZ_CHECK(st_trim == LABEL_INVALID_UTF8,
				   "label_casefold_trim: input with NUL or ill-formed UTF-8 gave %s (ICU: %s)",
				   status_name(st_trim), label_icu_error_name());
		FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated");
		return 0;
	}
	FUZZ_CHECK(st == LABEL_OK, "well-formed input gave %s (ICU: %s)",
			   status_name(st), label_icu_error_name());
	FUZZ_CHECK(st_trim == LABEL_OK, "label_casefold_trim: well-formed input gave %s (ICU: %s)",
			   status_name(st_trim), label_icu_error_name());

	/* idempotence */
	check_same(label_normalize, "normalising the output again", out, out_len, out, out_len);
	check_same(label_casefold_trim, "case-folding and trimming the output again",
			   trimmed, trimmed_len, trimmed, trimmed_len);
	/* trimming first changes nothing for label_normalize */
	check_same(label_normalize, "label_normalize of label_casefold_trim's output",
			   trimmed, trimmed_len, out, out_len);

	/* separators around the input are dropped (white space by both) */
	{
		size_t		n;
		char	   *buf = surround(" \xE3\x80\x80-\t", data, size, "_\xE2\x80\x94 ", &n);

		check_same(label_normalize, "surrounding the input with separators", buf, n, out, out_len);
		free(buf);
		buf = surround(" \xE3\x80\x80\t", data, size, "\xC2\xA0\n ", &n);
		check_same(label_casefold_trim, "surrounding the input with white space", buf, n,
				   trimmed, trimmed_len);
		free(buf);
	}

	/* ASCII case and the choice of ASCII separator do not matter */
	{
		char	   *upper = fuzz_dup(data, size);
		char	   *dashed = fuzz_dup(data, size);

		for (size_t i = 0; i < size; i++)
		{
			if (upper[i] >= 'a' && upper[i] <= 'z')
				upper[i] = (char) (upper[i] - 'a' + 'A');
			if (is_ascii_separator((uint8_t) dashed[i]))
				dashed[i] = '-';
		}
		check_same(label_normalize, "upper-casing the ASCII letters", upper, size, out, out_len);
		check_same(label_casefold_trim, "upper-casing the ASCII letters (trim)", upper, size,
				   trimmed, trimmed_len);
		check_same(label_normalize, "replacing ASCII separators by '-'", dashed, size, out, out_len);
		free(upper);
		free(dashed);
	}
	core_free(out);
	core_free(trimmed);
	FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated");

	/* every allocation may fail, and then nothing leaks */
	for (long k = 1; k <= calls; k++)
	{
		fuzz_alloc_reset(k);
		st = normalize_checked(in, size, &out, &out_len);
		FUZZ_CHECK(st == LABEL_NO_MEMORY, "allocation %ld of %ld failing gave %s",
				   k, calls, status_name(st));
	}
	for (long k = 1; k <= calls_trim; k++)
	{
		fuzz_alloc_reset(k);
		st = call_checked(label_casefold_trim, in, size, &out, &out_len);
		FUZZ_CHECK(st == LABEL_NO_MEMORY, "label_casefold_trim: allocation %ld of %ld failing gave %s",
				   k, calls_trim, status_name(st));
	}
	fuzz_alloc_reset(0);
	FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated");
	return 0;
}
