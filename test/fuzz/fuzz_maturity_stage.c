/*
 * fuzz_maturity_stage.c - libFuzzer harness for ms_parse / ms_name
 * (src/core/maturity_stage.c)
 *
 * The input is the stage text, as bytes.  Properties checked (abort() on
 * failure; see maturity_stage.h and maturity_stage.c for the contract):
 *   - ms_parse returns 0..5; when *label_error is not LABEL_OK the result is
 *     0, and *label_error is what label_normalize says about the same input;
 *   - the result agrees with an independent reading of the rules: a single
 *     digit 1-5 once case-folded and trimmed of white space only
 *     (label_casefold_trim: so " 3 " and "３" are 3 but "-3" is not), else one
 *     of the five British names or "optimization" (3) once normalised
 *     (label_normalize), else 0;
 *   - parsing label_casefold_trim's output gives the same stage;
 *   - for results 1..5, ms_name(n) parses back to n;
 *   - allocation failure: making any one allocation fail gives 0 with
 *     LABEL_NO_MEMORY and nothing left allocated.
 * Once per process it also checks ms_name on 0, 6, -1 and every stage name
 * in several spellings.  LeakSanitizer checks that everything allocated is
 * freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_alloc.h"
#include "label.h"
#include "maturity_stage.h"
#include "fuzz_common.h"

static const char *const british[MS_STAGE_COUNT] = {
	"foundations", "alignment", "optimisation", "integration", "transformation"
};

/* The stage a normalised text names, 0 if none (digits do not count). */
static int
expected_name_stage(const char *norm, size_t len)
{
	for (int i = 0; i < MS_STAGE_COUNT; i++)
		if (strlen(british[i]) == len && memcmp(norm, british[i], len) == 0)
			return i + 1;
	if (len == strlen("optimization") && memcmp(norm, "optimization", len) == 0)
		return 3;
	return 0;
}

/*
 * What ms_parse should give for in, by the rules; *lerr gets the label
 * status it should report.
 */
static int
expected_stage(const char *in, size_t len, label_status *lerr)
{
	char	   *t;
	size_t		tlen;
	int			stage = 0;

	*lerr = label_casefold_trim(in, len, &t, &tlen);
	if (*lerr != LABEL_OK)
		return 0;
	if (tlen == 1 && t[0] >= '1' && t[0] <= '5')
		stage = t[0] - '0';
	core_free(t);
	if (stage != 0)
		return stage;
	*lerr = label_normalize(in, len, &t, &tlen);
	if (*lerr != LABEL_OK)
		return 0;
	stage = expected_name_stage(t, tlen);
	core_free(t);
	return stage;
}

/* ms_parse with the contract that holds whatever the input. */
static int
parse_checked(const char *in, size_t len, label_status *lerr)
{
	long		live_before = fuzz_live_blocks;
	int			stage;

	*lerr = (label_status) -1;
	stage = ms_parse(in, len, lerr);
	FUZZ_CHECK(stage >= 0 && stage <= MS_STAGE_COUNT, "ms_parse returned %d", stage);
	FUZZ_CHECK(*lerr >= LABEL_OK && *lerr <= LABEL_ICU_ERROR, "label_error %d", (int) *lerr);
	if (*lerr != LABEL_OK)
		FUZZ_CHECK(stage == 0, "label_error %d but stage %d", (int) *lerr, stage);
	FUZZ_CHECK(fuzz_live_blocks == live_before, "ms_parse left %ld blocks allocated",
			   fuzz_live_blocks - live_before);
	return stage;
}

static void
expect_parse(const char *text, int expect)
{
	label_status lerr;
	char	   *copy = fuzz_dup(text, strlen(text));
	int			got = parse_checked(copy, strlen(text), &lerr);

	free(copy);
	FUZZ_CHECK(lerr == LABEL_OK && got == expect, "ms_parse(\"%s\") gave %d (label_error %d), expected %d",
			   text, got, (int) lerr, expect);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void) argc;
	(void) argv;
	fuzz_alloc_install();
	fuzz_alloc_reset(0);

	FUZZ_CHECK(ms_name(0) == NULL && ms_name(-1) == NULL && ms_name(MS_STAGE_COUNT + 1) == NULL,
			   "ms_name out of range is not NULL");
	for (int n = 1; n <= MS_STAGE_COUNT; n++)
	{
		const char *name = ms_name(n);
		char		digit[2] = {(char) ('0' + n), '\0'};
		char		buf[64];

		FUZZ_CHECK(name != NULL && strcmp(name, british[n - 1]) == 0, "ms_name(%d)", n);
		expect_parse(name, n);
		expect_parse(digit, n);
		/* upper case, surrounding space */
		snprintf(buf, sizeof(buf), "  %s\t", name);
		for (char *p = buf; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char) (*p - 'a' + 'A');
		expect_parse(buf, n);
		/* full-width digit */
		snprintf(buf, sizeof(buf), "\xEF\xBC%c", (char) (0x90 + n));
		expect_parse(buf, n);
	}
	expect_parse("Optimization", 3);
	expect_parse(" 3\t", 3);
	expect_parse("-3", 0);		/* a dash is not white space: not a digit */
	expect_parse("", 0);
	expect_parse("0", 0);
	expect_parse("6", 0);
	expect_parse("12", 0);
	FUZZ_CHECK(fuzz_live_blocks == 0, "initial checks left blocks allocated");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *) data;
	label_status lerr;
	label_status expect_lerr;
	label_status norm_status;
	char	   *norm;
	size_t		norm_len;
	int			stage;
	int			expect;
	long		calls;

	fuzz_alloc_reset(0);
	stage = parse_checked(in, size, &lerr);
	calls = fuzz_alloc_calls;

	expect = expected_stage(in, size, &expect_lerr);
	FUZZ_CHECK(stage == expect && lerr == expect_lerr,
			   "ms_parse gave %d (label_error %d), expected %d (label_error %d)",
			   stage, (int) lerr, expect, (int) expect_lerr);
	norm_status = label_normalize(in, size, &norm, &norm_len);
	FUZZ_CHECK(lerr == norm_status, "ms_parse label_error %d, label_normalize %d",
			   (int) lerr, (int) norm_status);
	core_free(norm);
	if (lerr == LABEL_OK)
	{
		char	   *trimmed;
		size_t		trimmed_len;
		label_status lerr2;
		char	   *copy;
		int			again;

		FUZZ_CHECK(label_casefold_trim(in, size, &trimmed, &trimmed_len) == LABEL_OK,
				   "label_casefold_trim failed where label_normalize did not");
		copy = fuzz_dup(trimmed, trimmed_len);
		again = parse_checked(copy, trimmed_len, &lerr2);
		free(copy);
		FUZZ_CHECK(lerr2 == LABEL_OK && again == stage,
				   "ms_parse of the case-folded, trimmed \"%s\" gave %d, not %d",
				   trimmed, again, stage);
		core_free(trimmed);
	}
	if (stage >= 1)
	{
		const char *name = ms_name(stage);
		label_status lerr3;

		FUZZ_CHECK(name != NULL, "ms_name(%d) is NULL", stage);
		FUZZ_CHECK(parse_checked(name, strlen(name), &lerr3) == stage,
				   "ms_name(%d) = \"%s\" does not parse back", stage, name);
	}
	FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated");

	/* every allocation may fail, and then nothing leaks */
	for (long k = 1; k <= calls; k++)
	{
		fuzz_alloc_reset(k);
		stage = parse_checked(in, size, &lerr);
		FUZZ_CHECK(stage == 0 && lerr == LABEL_NO_MEMORY,
				   "allocation %ld of %ld failing gave %d, label_error %d",
				   k, calls, stage, (int) lerr);
	}
	fuzz_alloc_reset(0);
	FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated");
	return 0;
}
