/*
 * touch_path.h - the touch_path type for the other faces (attribution, markov)
 */
#ifndef MOPS_TOUCH_PATH_H
#define MOPS_TOUCH_PATH_H

#include "mops.h"

#include "core/touch_path.h"

/*
 * The body of a touch_path argument (a valid body: built by the core).
 * Packed (a short header is not expanded into a copy): the cores read
 * bodies with memcpy and assume no alignment.
 */
static inline const void *
mops_getarg_touch_path(FunctionCallInfo fcinfo, int n, size_t *len)
{
	struct varlena *v = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(n));

	if (len != NULL)
		*len = VARSIZE_ANY_EXHDR(v);
	return VARDATA_ANY(v);
}

#define PG_GETARG_TOUCH_PATH_BODY(n) mops_getarg_touch_path(fcinfo, (n), NULL)

/* A touch_path datum holding a copy of body. */
static inline Datum
mops_touch_path_datum(const void *body, size_t len)
{
	return PointerGetDatum(mops_varlena(body, len));
}

/* ereport a failed core call (never returns for an error status). */
extern void mops_report_tp_error(const tp_error *err, const char *input, Node *escontext);
extern void mops_check_tp_status(tp_status status);

/* A touch's label as a server-encoded text datum. */
extern text *mops_tp_label_text(const tp_view *view, uint32 channel);

#endif							/* MOPS_TOUCH_PATH_H */
