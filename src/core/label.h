/*
 * label.h - label normalisation (backend-free core, ICU)
 *
 * normalize_label turns a free-text channel, model or stage name into its
 * canonical form:
 *   1. NFKC case folding (ICU's NFKC_Casefold normaliser), so full-width
 *      letters, ligatures and upper case all fold together;
 *   2. every run of separators - Unicode white space, the low line '_' and
 *      any dash (general category Pd, which includes '-') - becomes one '_';
 *   3. separators at either end are dropped.
 * Input and output are UTF-8.  The empty string (or a string of separators
 * only) normalises to the empty string.
 */
#ifndef MOPS_CORE_LABEL_H
#define MOPS_CORE_LABEL_H

#include <stddef.h>

/* Longest input accepted, in bytes; longer input is LABEL_TOO_LONG. */
#define LABEL_MAX_INPUT_BYTES ((size_t) 16 * 1024 * 1024)

typedef enum label_status
{
	LABEL_OK = 0,
	LABEL_INVALID_UTF8,			/* input is not well-formed UTF-8 */
	LABEL_TOO_LONG,				/* input longer than LABEL_MAX_INPUT_BYTES */
	LABEL_NO_MEMORY,			/* the allocator returned NULL */
	LABEL_ICU_ERROR				/* ICU failed; see label_icu_error_name() */
} label_status;

/*
 * Normalise len bytes at in.  On LABEL_OK, *out is a NUL-terminated string
 * allocated with core_alloc (the caller frees it) and *out_len its length.
 * On any other status *out is NULL and nothing is left allocated.
 */
extern label_status label_normalize(const char *in, size_t len,
									char **out, size_t *out_len);

/*
 * Like label_normalize, but only NFKC case folding and trimming of white
 * space at both ends: separators are neither folded nor dropped.  For forms
 * where a dash is significant (a minus sign, say).
 */
extern label_status label_casefold_trim(const char *in, size_t len,
										char **out, size_t *out_len);

/* The name of the last ICU error code seen (one static: the backend is single-threaded). */
extern const char *label_icu_error_name(void);

#endif							/* MOPS_CORE_LABEL_H */
