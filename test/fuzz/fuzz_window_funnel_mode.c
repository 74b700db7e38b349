/*
 * fuzz_window_funnel_mode.c - libFuzzer harness for wf_parse_mode
 * (src/core/window_funnel.c)
 *
 * The input is the mode text.  Properties (abort() on failure):
 *   - the reported item lies inside the input;
 *   - the status and flags agree with an independent reading of the rules:
 *     split at ',', trim blanks, compare ASCII case-insensitively with the
 *     five mode names; an empty item (unless the whole text is blank) is
 *     WF_MODE_EMPTY_ITEM, "strict" is WF_MODE_STRICT_RENAMED, anything else
 *     WF_MODE_UNKNOWN, and allow_reentry without strict_order is
 *     WF_MODE_REENTRY_WITHOUT_ORDER;
 *   - on WF_MODE_OK, writing the flags back as a canonical list parses to the
 *     same flags;
 *   - the parser allocates nothing.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core_alloc.h"
#include "window_funnel.h"
#include "fuzz_common.h"

static const char *const names[] = {
	"strict_deduplication", "strict_order", "strict_increase", "strict_once", "allow_reentry"
};
static const uint32_t flags_of[] = {
	WF_STRICT_DEDUPLICATION, WF_STRICT_ORDER, WF_STRICT_INCREASE, WF_STRICT_ONCE, WF_ALLOW_REENTRY
};

static int
blank(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
same_ci(const char *s, size_t len, const char *name)
{
	if (strlen(name) != len)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (tolower((unsigned char) s[i]) != name[i] || (unsigned char) s[i] >= 0x80)
			return 0;
	return 1;
}

static wf_mode_status
oracle(const char *s, size_t len, uint32_t *flags)
{
	size_t		i = 0;
	int			all_blank = 1;

	*flags = 0;
	for (size_t k = 0; k < len; k++)
		if (!blank((unsigned char) s[k]))
			all_blank = 0;
	if (all_blank)
		return WF_MODE_OK;
	for (;;)
	{
		size_t		end = i;
		size_t		a,
					b;
		int			found = 0;

		while (end < len && s[end] != ',')
			end++;
		a = i;
		b = end;
		while (a < b && blank((unsigned char) s[a]))
			a++;
		while (b > a && blank((unsigned char) s[b - 1]))
			b--;
		if (a == b)
			return WF_MODE_EMPTY_ITEM;
		for (int m = 0; m < 5 && !found; m++)
			if (same_ci(s + a, b - a, names[m]))
			{
				*flags |= flags_of[m];
				found = 1;
			}
		if (!found)
			return same_ci(s + a, b - a, "strict") ? WF_MODE_STRICT_RENAMED : WF_MODE_UNKNOWN;
		if (end >= len)
			break;
		i = end + 1;
	}
	if ((*flags & WF_ALLOW_REENTRY) && !(*flags & WF_STRICT_ORDER))
		return WF_MODE_REENTRY_WITHOUT_ORDER;
	return WF_MODE_OK;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *) data;
	uint32_t	flags;
	uint32_t	expected_flags;
	size_t		bad_start;
	size_t		bad_len;
	wf_mode_status status;
	wf_mode_status expected;

	fuzz_alloc_install();
	fuzz_alloc_reset(0);
	status = wf_parse_mode(s, size, &flags, &bad_start, &bad_len);
	FUZZ_CHECK(fuzz_alloc_calls == 0, "the mode parser allocated memory");
	FUZZ_CHECK(bad_start <= size && bad_len <= size - bad_start,
			   "reported item [%zu, +%zu) outside input of %zu bytes", bad_start, bad_len, size);

	expected = oracle(s, size, &expected_flags);
	FUZZ_CHECK(status == expected, "status %d, the rules say %d", (int) status, (int) expected);
	if (status == WF_MODE_OK || status == WF_MODE_REENTRY_WITHOUT_ORDER)
		FUZZ_CHECK(flags == expected_flags, "flags %#x, the rules say %#x", flags, expected_flags);

	if (status == WF_MODE_OK)
	{
		char		canonical[128] = "";
		uint32_t	again;

		FUZZ_CHECK((flags & ~WF_ALL_MODES) == 0, "unknown flag bits %#x", flags);
		for (int m = 0; m < 5; m++)
			if (flags & flags_of[m])
			{
				if (canonical[0])
					strcat(canonical, ",");
				strcat(canonical, names[m]);
			}
		FUZZ_CHECK(wf_parse_mode(canonical, strlen(canonical), &again, &bad_start, &bad_len) == WF_MODE_OK &&
				   again == flags, "canonical list '%s' does not parse back to %#x", canonical, flags);
	}
	return 0;
}
