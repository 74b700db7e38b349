/*
 * fuzz_common.h - helpers shared by the libFuzzer harnesses in test/fuzz/
 *
 * Header-only (every harness is one translation unit plus the core sources
 * it links; see fuzz.mk):
 *
 *   FUZZ_CHECK(cond, ...)   abort() with a message when a property fails;
 *   fuzz_alloc_install()    route core_alloc/core_free through a counting
 *                           allocator, so a harness can assert how many
 *                           blocks a call leaves live and can make the n-th
 *                           allocation fail (error paths must free all);
 *   fuzz_utf8_valid()       a strict, independent UTF-8 validator (no
 *                           overlongs, no surrogates, nothing above
 *                           U+10FFFF), to compare with what the cores accept.
 */
#ifndef MOPS_FUZZ_COMMON_H
#define MOPS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_alloc.h"

#define FUZZ_CHECK(cond, ...) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "\n*** fuzz property failed at %s:%d: %s\n*** ", \
					__FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fprintf(stderr, "\n"); \
			fflush(stderr); \
			abort(); \
		} \
	} while (0)

/* ---- counting, failure-injecting allocator ---- */

static long fuzz_live_blocks;	/* core_alloc'd blocks not yet freed */
static long fuzz_alloc_calls;	/* allocation calls since the last reset */
static long fuzz_fail_at;		/* fail allocation call number n (1-based); 0: never */

static void *
fuzz_alloc_hook(size_t size)
{
	void	   *p;

	fuzz_alloc_calls++;
	if (fuzz_fail_at != 0 && fuzz_alloc_calls == fuzz_fail_at)
		return NULL;
	p = malloc(size);
	if (p != NULL)
		fuzz_live_blocks++;
	return p;
}

static void
fuzz_free_hook(void *ptr)
{
	/* core_free never passes NULL on */
	FUZZ_CHECK(ptr != NULL, "core_free passed NULL to the free hook");
	fuzz_live_blocks--;
	FUZZ_CHECK(fuzz_live_blocks >= 0, "more frees than allocations");
	free(ptr);
}

static inline void
fuzz_alloc_install(void)
{
	core_set_allocator(fuzz_alloc_hook, fuzz_free_hook);
}

/* Start counting allocation calls; fail_at as for fuzz_fail_at. */
static inline void
fuzz_alloc_reset(long fail_at)
{
	fuzz_alloc_calls = 0;
	fuzz_fail_at = fail_at;
}

/* ---- strict UTF-8 ---- */

/*
 * Decode one well-formed UTF-8 sequence at s[0..len); returns its length in
 * bytes (1-4) and the code point in *cp, or 0 if the bytes there are not a
 * well-formed sequence (Unicode Table 3-7).
 */
static inline size_t
fuzz_utf8_next(const uint8_t *s, size_t len, uint32_t *cp)
{
	uint8_t		b0;
	uint8_t		lo = 0x80;
	uint8_t		hi = 0xBF;
	size_t		n;
	uint32_t	c;

	if (len == 0)
		return 0;
	b0 = s[0];
	if (b0 < 0x80)
	{
		*cp = b0;
		return 1;
	}
	if (b0 >= 0xC2 && b0 <= 0xDF)
	{
		n = 2;
		c = b0 & 0x1F;
	}
	else if (b0 >= 0xE0 && b0 <= 0xEF)
	{
		n = 3;
		c = b0 & 0x0F;
		if (b0 == 0xE0)
			lo = 0xA0;			/* no overlongs */
		else if (b0 == 0xED)
			hi = 0x9F;			/* no surrogates */
	}
	else if (b0 >= 0xF0 && b0 <= 0xF4)
	{
		n = 4;
		c = b0 & 0x07;
		if (b0 == 0xF0)
			lo = 0x90;			/* no overlongs */
		else if (b0 == 0xF4)
			hi = 0x8F;			/* nothing above U+10FFFF */
	}
	else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++)
	{
		uint8_t		b = s[i];

		if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF))
			return 0;
		c = (c << 6) | (b & 0x3F);
	}
	*cp = c;
	return n;
}

static inline int
fuzz_utf8_valid(const uint8_t *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		uint32_t	cp;
		size_t		n = fuzz_utf8_next(s + i, len - i, &cp);

		if (n == 0)
			return 0;
		i += n;
	}
	return 1;
}

/* Does the input hold a NUL byte? (The cores reject NUL.) */
static inline int
fuzz_has_nul(const uint8_t *s, size_t len)
{
	return len > 0 && memchr(s, '\0', len) != NULL;
}

/*
 * Copy len bytes into a fresh malloc'd buffer of exactly len bytes, with no
 * terminator, so that ASan catches a core reading past the end.
 */
static inline char *
fuzz_dup(const void *s, size_t len)
{
	char	   *p = malloc(len > 0 ? len : 1);

	if (p == NULL)
		abort();
	if (len > 0)
		memcpy(p, s, len);
	return p;
}

#endif							/* MOPS_FUZZ_COMMON_H */
