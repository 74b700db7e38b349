/*
 * label.h - label normalisation for the other faces
 */
#ifndef MOPS_LABEL_H
#define MOPS_LABEL_H

#include "mops.h"

#include "core/label.h"

/*
 * Normalise len bytes of server-encoded text; returns a palloc'd,
 * NUL-terminated server-encoded string.  Errors are thrown.
 */
extern char *mops_normalize_label(const char *s, size_t len);

/*
 * Report a failed label normalisation for input `input` of type
 * `type_name` (the text shown in the message).  Through escontext on 16+.
 */
extern void mops_report_label_error(label_status status, const char *type_name,
									const char *input, Node *escontext);

/* Server encoding <-> UTF-8; both return a new NUL-terminated string. */
extern char *mops_to_utf8(const char *s, size_t len, size_t *out_len);
extern char *mops_from_utf8(const char *s, size_t len);

#endif							/* MOPS_LABEL_H */
