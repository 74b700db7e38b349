/*
 * fuzz_maturity_state.c - libFuzzer harness for the maturity_assess core
 * (src/core/maturity_assess.c): the maturity_state text and binary forms,
 * score parsing, accumulation, combining and the assessment.
 *
 * The first input byte chooses what the rest is (byte % 4):
 *   0  binary form (ma_state_decode);
 *   1  text form (ma_state_parse);
 *   2  answers: triples of bytes (area % 9 and a score from two bytes, see
 *      answer_score), accumulated two ways;
 *   3  a score as numeric prints it (ma_parse_score).
 * Properties (abort() on failure):
 *   - decode accepts exactly the canonical encodings: a decoded state
 *     validates and encodes back to the same bytes; a state that was
 *     rejected leaves the output zeroed;
 *   - text round trip: format(parse(t)) parses back to the same state, and
 *     format(decode(b)) does too; encode/decode round-trips every valid state;
 *   - accumulating answers one by one into one state equals accumulating
 *     them into two states split anywhere and combining (combine is exact and
 *     order-independent);
 *   - the assessment agrees with an independent long double computation:
 *     pillar and overall scores within 1e-12 and never above the exact mean
 *     (truncation), the stage by the overall mean wherever the mean is not
 *     within 1e-9 of a boundary, the weakest pillar the first of the lowest
 *     means where the means differ by more than 1e-12, the cap, complete;
 *   - ma_parse_score agrees with a reading of the decimal by strtold within
 *     its rules (range 1-5, at most 6 decimals);
 *   - with any one allocation failing, text parsing fails with
 *     MA_LABEL_ERROR / LABEL_NO_MEMORY and nothing leaks.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_alloc.h"
#include "label.h"
#include "maturity_assess.h"
#include "fuzz_common.h"

static void
check_same_state(const ma_state *a, const ma_state *b, const char *what)
{
	FUZZ_CHECK(memcmp(a, b, sizeof(ma_state)) == 0, "%s: states differ", what);
}

/* The stage (1-5) of x by the boundaries, and whether x is within eps of one. */
static int
oracle_stage(long double x, int *near)
{
	static const long double b[4] = {1.8L, 2.6L, 3.4L, 4.2L};
	int			stage = 1;

	*near = 0;
	for (int i = 0; i < 4; i++)
	{
		if (fabsl(x - b[i]) < 1e-9L)
			*near = 1;
		if (x >= b[i])
			stage++;
	}
	return stage;
}

static void
check_decimal(const char *text, long double exact, const char *what)
{
	char	   *end;
	long double v;
	size_t		len = strlen(text);

	FUZZ_CHECK(len > 0 && len < MA_DECIMAL_MAX, "%s: decimal \"%s\" has length %zu", what, text, len);
	FUZZ_CHECK(text[len - 1] != '0' || strchr(text, '.') == NULL,
			   "%s: \"%s\" has a trailing zero", what, text);
	FUZZ_CHECK(text[len - 1] != '.', "%s: \"%s\" ends in a point", what, text);
	v = strtold(text, &end);
	FUZZ_CHECK(*end == '\0', "%s: \"%s\" is no decimal", what, text);
	FUZZ_CHECK(fabsl(v - exact) < 1e-12L, "%s: \"%s\" is not %.20Lg", what, text, exact);
	/* truncated, never rounded up: v <= exact up to long double error */
	FUZZ_CHECK(v <= exact + 1e-15L, "%s: \"%s\" is above %.20Lg", what, text, exact);
}

/* The assessment of a valid state against an independent computation. */
static void
check_assessment(const ma_state *st)
{
	ma_result	r;
	long double means[MA_AREA_COUNT];
	long double total = 0;
	int			k = 0;
	int			weakest = -1;
	bool		weakest_sure = true;

	ma_assess(st, &r);
	for (int i = 0; i < MA_AREA_COUNT; i++)
	{
		if (st->count[i] == 0)
		{
			FUZZ_CHECK(r.area_score[i][0] == '\0', "area %d without answers has a score", i);
			continue;
		}
		means[i] = ((long double) st->sum[i] / (long double) st->count[i]) / 1e6L;
		check_decimal(r.area_score[i], means[i], ma_area_name(i));
		FUZZ_CHECK(means[i] >= 1 - 1e-12L && means[i] <= 5 + 1e-12L, "mean out of 1-5");
		if (i < MA_PILLAR_COUNT)
		{
			k++;
			total += means[i];
			if (weakest < 0 || means[i] < means[weakest] - 1e-12L)
				weakest = i;
			else if (fabsl(means[i] - means[weakest]) <= 1e-12L)
				weakest_sure = false;
		}
	}
	FUZZ_CHECK(r.pillars == k && r.complete == (k == MA_PILLAR_COUNT), "pillars %d complete %d",
			   r.pillars, (int) r.complete);
	if (k == 0)
	{
		FUZZ_CHECK(r.stage == 0 && r.overall_stage == 0 && r.weakest == -1 && r.score[0] == '\0',
				   "no pillar, but stage %d weakest %d", r.stage, r.weakest);
		return;
	}
	{
		long double overall = total / k;
		int			near;
		int			stage = oracle_stage(overall, &near);
		int			wnear;
		int			wstage;

		check_decimal(r.score, overall, "overall");
		FUZZ_CHECK(r.overall_stage >= 1 && r.overall_stage <= 5, "overall stage %d", r.overall_stage);
		if (!near)
			FUZZ_CHECK(r.overall_stage == stage, "overall stage %d, oracle %d (mean %.20Lg)",
					   r.overall_stage, stage, overall);
		FUZZ_CHECK(r.weakest >= 0 && r.weakest < MA_PILLAR_COUNT && st->count[r.weakest] > 0,
				   "weakest %d", r.weakest);
		if (weakest_sure)
			FUZZ_CHECK(r.weakest == weakest, "weakest %d, oracle %d", r.weakest, weakest);
		else
			FUZZ_CHECK(fabsl(means[r.weakest] - means[weakest]) <= 1e-12L, "weakest not lowest");
		/* the first of the lowest: no earlier pillar has a lower or equal mean */
		for (int i = 0; i < r.weakest; i++)
			if (st->count[i] > 0)
				FUZZ_CHECK(means[i] > means[r.weakest] - 1e-12L, "a lower pillar precedes the weakest");
		wstage = oracle_stage(means[r.weakest], &wnear);
		if (!wnear)
			FUZZ_CHECK(r.weakest_stage == wstage, "weakest stage %d, oracle %d", r.weakest_stage, wstage);
		FUZZ_CHECK(r.stage == (r.overall_stage < r.weakest_stage + 1 ? r.overall_stage : r.weakest_stage + 1),
				   "stage %d is not min(%d, %d + 1)", r.stage, r.overall_stage, r.weakest_stage);
		FUZZ_CHECK(ma_stage_of_fraction((uint64_t) st->sum[r.weakest],
										(uint64_t) st->count[r.weakest] * 1000000u) == r.weakest_stage,
				   "ma_stage_of_fraction disagrees on the weakest pillar");
	}
}

/* Round trips of a valid state through both forms. */
static void
check_forms(const ma_state *st)
{
	char		text[MA_STATE_TEXT_MAX];
	unsigned char bin[MA_STATE_BINARY_MAX];
	size_t		len;
	ma_state	back;
	label_status lerr;
	char		detail[256];
	ma_status	status;

	FUZZ_CHECK(ma_validate(st) == MA_OK, "a state that should be valid does not validate");
	len = ma_state_format(st, text);
	FUZZ_CHECK(len == strlen(text) && len < MA_STATE_TEXT_MAX, "format length %zu", len);
	{
		char	   *copy = fuzz_dup(text, len);

		status = ma_state_parse(copy, len, &back, &lerr, detail, sizeof(detail));
		free(copy);
	}
	FUZZ_CHECK(status == MA_OK, "formatted \"%s\" does not parse back (%d: %s)", text, (int) status, detail);
	check_same_state(st, &back, "text round trip");
	len = ma_state_encode(st, bin);
	FUZZ_CHECK(len <= MA_STATE_BINARY_MAX, "encoded length %zu", len);
	status = ma_state_decode(bin, len, &back, detail, sizeof(detail));
	FUZZ_CHECK(status == MA_OK, "encoded state does not decode (%d: %s)", (int) status, detail);
	check_same_state(st, &back, "binary round trip");
	FUZZ_CHECK(ma_is_empty(st) == (len == 2), "empty state encodes to %zu bytes", len);
	check_assessment(st);
}

static void
mode_binary(const uint8_t *data, size_t size)
{
	ma_state	st;
	char		detail[256];
	unsigned char *copy = (unsigned char *) fuzz_dup(data, size);
	ma_status	status = ma_state_decode(copy, size, &st, detail, sizeof(detail));

	free(copy);
	FUZZ_CHECK(status == MA_OK || status == MA_CORRUPT || status == MA_BAD_VERSION,
			   "decode status %d", (int) status);
	if (status == MA_OK)
	{
		unsigned char bin[MA_STATE_BINARY_MAX];
		size_t		len = ma_state_encode(&st, bin);

		FUZZ_CHECK(len == size && memcmp(bin, data, size) == 0,
				   "decoded state does not re-encode to the same %zu bytes", size);
		check_forms(&st);
	}
	else
	{
		ma_state	zero;

		memset(&zero, 0, sizeof(zero));
		check_same_state(&st, &zero, "rejected binary input");
		FUZZ_CHECK(detail[0] != '\0', "rejected binary input without a detail");
	}
}

static void
mode_text(const uint8_t *data, size_t size)
{
	ma_state	st;
	label_status lerr;
	char		detail[256];
	char	   *copy = fuzz_dup(data, size);
	ma_status	status;
	long		calls;

	fuzz_alloc_reset(0);
	status = ma_state_parse(copy, size, &st, &lerr, detail, sizeof(detail));
	calls = fuzz_alloc_calls;
	FUZZ_CHECK(fuzz_live_blocks == 0, "parse left blocks allocated");
	FUZZ_CHECK(status == MA_OK || status == MA_SYNTAX || status == MA_LABEL_ERROR,
			   "parse status %d", (int) status);
	FUZZ_CHECK((status == MA_LABEL_ERROR) == (lerr != LABEL_OK), "label status %d with status %d",
			   (int) lerr, (int) status);
	if (status == MA_OK)
		check_forms(&st);
	else if (status == MA_SYNTAX)
		FUZZ_CHECK(detail[0] != '\0', "syntax error without a detail");

	for (long n = 1; n <= calls; n++)
	{
		fuzz_alloc_reset(n);
		status = ma_state_parse(copy, size, &st, &lerr, detail, sizeof(detail));
		FUZZ_CHECK(status == MA_LABEL_ERROR && lerr == LABEL_NO_MEMORY,
				   "allocation %ld of %ld failing gave status %d, label %d", n, calls,
				   (int) status, (int) lerr);
		FUZZ_CHECK(fuzz_live_blocks == 0, "failed parse left blocks allocated");
	}
	fuzz_alloc_reset(0);
	free(copy);
}

/* A score from two bytes: 1 + (b1 * 256 + b0) millionths scaled to 0-4e6. */
static int64_t
answer_score(uint8_t hi, uint8_t lo)
{
	int64_t		v = ((int64_t) hi << 8) | lo;

	if (hi == 0xff)
		return MA_MAX_SCORE;	/* the top end, exactly */
	if (hi >= 0xf0)
		return MA_SCALE * (1 + lo % 5);	/* whole numbers, for exact ties */
	return MA_MIN_SCORE + v * 61;	/* 61 * 65535 < 4e6 */
}

static void
mode_answers(const uint8_t *data, size_t size)
{
	ma_state	all,
				left,
				right,
				combined;
	size_t		n = size / 3;
	size_t		split = n > 0 ? data[0] % (n + 1) : 0;

	memset(&all, 0, sizeof(all));
	memset(&left, 0, sizeof(left));
	memset(&right, 0, sizeof(right));
	for (size_t i = 0; i < n; i++)
	{
		int			area = data[3 * i] % MA_AREA_COUNT;
		int64_t		score = answer_score(data[3 * i + 1], data[3 * i + 2]);

		FUZZ_CHECK(ma_add(&all, area, score) == MA_OK, "ma_add overflowed");
		FUZZ_CHECK(ma_add(i < split ? &left : &right, area, score) == MA_OK, "ma_add overflowed");
	}
	combined = right;
	FUZZ_CHECK(ma_combine(&combined, &left) == MA_OK, "combine overflowed");
	check_same_state(&all, &combined, "right + left");
	combined = left;
	FUZZ_CHECK(ma_combine(&combined, &right) == MA_OK, "combine overflowed");
	check_same_state(&all, &combined, "left + right");
	check_forms(&all);

	/* large counts: scale every area up to near the limits */
	if (!ma_is_empty(&all))
	{
		ma_state	big = all;
		ma_state	before;
		ma_result	r1,
					r2;

		for (int i = 0; i < MA_AREA_COUNT; i++)
		{
			int64_t		f = INT64_MAX / MA_MAX_SCORE / (big.count[i] > 0 ? big.count[i] : 1);

			big.count[i] *= f;
			big.sum[i] *= f;
		}
		check_forms(&big);
		/* scaling every area by the same factor changes no mean */
		big = all;
		for (int i = 0; i < MA_AREA_COUNT; i++)
		{
			big.count[i] *= 1000003;
			big.sum[i] *= 1000003;
		}
		ma_assess(&all, &r1);
		ma_assess(&big, &r2);
		FUZZ_CHECK(memcmp(&r1, &r2, sizeof(r1)) == 0, "scaling the answers changed the assessment");
		/* overflow leaves the state unchanged */
		big.sum[0] = INT64_MAX - 1;
		big.count[0] = INT64_MAX / MA_MAX_SCORE;
		before = big;
		FUZZ_CHECK(ma_add(&big, 0, MA_MAX_SCORE) == MA_OVERFLOW, "no overflow reported");
		check_same_state(&big, &before, "overflowing ma_add");
		FUZZ_CHECK(ma_combine(&big, &before) == MA_OVERFLOW, "no overflow reported");
		check_same_state(&big, &before, "overflowing ma_combine");
	}
}

static void
mode_score(const uint8_t *data, size_t size)
{
	char	   *copy = fuzz_dup(data, size);
	int64_t		v = -1;
	ma_status	status = ma_parse_score(copy, size, &v);
	char	   *z = malloc(size + 1);
	char	   *end;
	long double x;
	int			plain = 1;
	int			digits_after = 0;
	int			nonzero_after6 = 0;

	free(copy);
	FUZZ_CHECK(status == MA_OK || status == MA_OUT_OF_RANGE || status == MA_TOO_PRECISE
			   || status == MA_SYNTAX, "score status %d", (int) status);
	if (z == NULL)
		abort();
	memcpy(z, data, size);
	z[size] = '\0';
	/* a plain decimal: [+-]digits[.digits] with at least one digit */
	{
		size_t		i = 0;
		int			nd = 0;

		if (i < size && (z[i] == '+' || z[i] == '-'))
			i++;
		while (i < size && z[i] >= '0' && z[i] <= '9')
			i++, nd++;
		if (i < size && z[i] == '.')
		{
			i++;
			while (i < size && z[i] >= '0' && z[i] <= '9')
			{
				digits_after++;
				if (digits_after > 6 && z[i] != '0')
					nonzero_after6 = 1;
				i++, nd++;
			}
		}
		plain = nd > 0 && i == size;
	}
	if (strlen(z) == size
		&& (strcmp(z, "NaN") == 0 || strcmp(z, "Infinity") == 0 || strcmp(z, "-Infinity") == 0))
		FUZZ_CHECK(status == MA_OUT_OF_RANGE, "\"%s\" gave %d", z, (int) status);
	else if (!plain)
		FUZZ_CHECK(status == MA_SYNTAX, "\"%s\" is no plain decimal but gave %d", z, (int) status);
	else
	{
		x = strtold(z, &end);
		FUZZ_CHECK(status != MA_SYNTAX, "plain decimal \"%s\" gave MA_SYNTAX", z);
		if (x < 1 - 1e-7L || x > 5 + 1e-7L)
			FUZZ_CHECK(status == MA_OUT_OF_RANGE, "\"%s\" gave %d", z, (int) status);
		if (status == MA_OK)
		{
			FUZZ_CHECK(v >= MA_MIN_SCORE && v <= MA_MAX_SCORE, "\"%s\" gave %lld", z, (long long) v);
			FUZZ_CHECK(fabsl((long double) v / 1e6L - x) < 1e-9L, "\"%s\" read as %lld", z, (long long) v);
			FUZZ_CHECK(!nonzero_after6, "\"%s\" has more than 6 decimals but was accepted", z);
		}
		if (status == MA_TOO_PRECISE)
			FUZZ_CHECK(nonzero_after6 && x >= 1 && x <= 5, "\"%s\" is not too precise", z);
	}
	free(z);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	ma_state	st;
	ma_result	r;
	int64_t		v;

	(void) argc;
	(void) argv;
	fuzz_alloc_install();
	fuzz_alloc_reset(0);

	/* boundaries, exactly: six pillars whose mean is exactly the boundary */
	for (int t = 0; t < 4; t++)
	{
		static const int64_t b[4] = {1800000, 2600000, 3400000, 4200000};

		memset(&st, 0, sizeof(st));
		for (int i = 0; i < MA_PILLAR_COUNT; i++)
			FUZZ_CHECK(ma_add(&st, i, b[t]) == MA_OK, "ma_add");
		ma_assess(&st, &r);
		FUZZ_CHECK(r.stage == t + 2 && r.overall_stage == t + 2, "mean %lld gave stage %d",
				   (long long) b[t], r.stage);
		/* one millionth less on one pillar of six: just below */
		st.sum[5] -= 1;
		ma_assess(&st, &r);
		FUZZ_CHECK(r.overall_stage == t + 1, "just below %lld gave stage %d", (long long) b[t],
				   r.overall_stage);
	}
	/* thirds: means 7/3 and 3-... summing exactly to 2.6 * 6 = 15.6 */
	memset(&st, 0, sizeof(st));
	ma_add(&st, 0, 2 * MA_SCALE);
	ma_add(&st, 0, 2 * MA_SCALE);
	ma_add(&st, 0, 3 * MA_SCALE);	/* 7/3 */
	ma_add(&st, 1, 3 * MA_SCALE);
	ma_add(&st, 1, 3 * MA_SCALE);
	ma_add(&st, 1, 2 * MA_SCALE);	/* 8/3: with 7/3 makes 5 */
	for (int i = 2; i < 6; i++)
		ma_add(&st, i, 2650000);	/* 4 * 2.65 = 10.6; total 15.6 */
	ma_assess(&st, &r);
	FUZZ_CHECK(r.overall_stage == 3 && strcmp(r.score, "2.6") == 0, "thirds: stage %d score %s",
			   r.overall_stage, r.score);
	FUZZ_CHECK(strcmp(r.area_score[0], "2.3333333333333333") == 0, "7/3 is %s", r.area_score[0]);
	FUZZ_CHECK(strcmp(r.area_score[1], "2.6666666666666666") == 0, "8/3 is %s", r.area_score[1]);

	FUZZ_CHECK(ma_parse_score("2.6", 3, &v) == MA_OK && v == 2600000, "2.6");
	FUZZ_CHECK(ma_parse_score("5.0000000", 9, &v) == MA_OK && v == 5000000, "5.0000000");
	FUZZ_CHECK(ma_parse_score("5.0000001", 9, &v) == MA_OUT_OF_RANGE, "5.0000001");
	FUZZ_CHECK(ma_parse_score("0.9999999", 9, &v) == MA_OUT_OF_RANGE, "0.9999999");
	FUZZ_CHECK(ma_parse_score("2.1234567", 9, &v) == MA_TOO_PRECISE, "2.1234567");
	FUZZ_CHECK(ma_parse_score("-0", 2, &v) == MA_OUT_OF_RANGE, "-0");
	FUZZ_CHECK(fuzz_live_blocks == 0, "initial checks left blocks allocated");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	switch (data[0] % 4)
	{
		case 0:
			mode_binary(data + 1, size - 1);
			break;
		case 1:
			mode_text(data + 1, size - 1);
			break;
		case 2:
			mode_answers(data + 1, size - 1);
			break;
		case 3:
			mode_score(data + 1, size - 1);
			break;
	}
	FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated");
	return 0;
}
