/*
 * touch_path.c - the touch_path type, its functions and path_agg:
 * the PostgreSQL face of core/touch_path.c
 */
#include "touch_path.h"

#include "catalog/pg_type_d.h"
#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "label.h"

/* ---------------------------------------------------------------------------
 * Errors
 */

void
mops_report_tp_error(const tp_error *err, const char *input, Node *escontext)
{
	const char *detail = err->detail[0] ? err->detail : NULL;

	switch (err->status)
	{
		case TP_OK:
			return;
		case TP_SYNTAX:
		case TP_BAD_LABEL:
		case TP_TIME_ORDER:
			mops_errsave(escontext,
						 errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type touch_path: \"%s\"", input),
						 detail ? errdetail("%s", detail) : 0);
			return;
		case TP_BAD_TIME:
			mops_errsave(escontext,
						 errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						 errmsg("touch time out of range in touch_path: \"%s\"", input),
						 detail ? errdetail("%s", detail) : 0);
			return;
		case TP_CORRUPT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary data for type touch_path"),
					 detail ? errdetail("%s", detail) : 0));
			return;
		case TP_TOO_LONG:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("touch_path is too long"),
					 errdetail("A path holds at most %u touches and %zu bytes of labels.",
							   TP_MAX_TOUCHES, TP_MAX_LABEL_BYTES)));
			return;
		case TP_NO_MEMORY:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
			return;
		case TP_LABEL_ERROR:
			mops_report_label_error((label_status) err->label_status, "touch_path",
									input, escontext);
			return;
	}
}

void
mops_check_tp_status(tp_status status)
{
	tp_error	err;

	if (status == TP_OK)
		return;
	memset(&err, 0, sizeof(err));
	err.status = status;
	mops_report_tp_error(&err, "", NULL);
}


text *
mops_tp_label_text(const tp_view *view, uint32 channel)
{
	size_t		len;
	const char *label = tp_view_label(view, channel, &len);
	char	   *server = mops_from_utf8(label, len);

	return cstring_to_text(server);
}

/* ---------------------------------------------------------------------------
 * I/O
 */

PG_FUNCTION_INFO_V1(touch_path_in);
Datum
touch_path_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	size_t		utf8_len;
	char	   *utf8 = mops_to_utf8(input, strlen(input), &utf8_len);
	tp_error	err;
	void	   *body;
	size_t		len;

	memset(&err, 0, sizeof(err));
	if (tp_parse(utf8, utf8_len, &body, &len, &err) != TP_OK)
	{
		mops_report_tp_error(&err, input, MOPS_ESCONTEXT(fcinfo));
		PG_RETURN_NULL();
	}
	return mops_touch_path_datum(body, len);
}

PG_FUNCTION_INFO_V1(touch_path_out);
Datum
touch_path_out(PG_FUNCTION_ARGS)
{
	const void *body = PG_GETARG_TOUCH_PATH_BODY(0);
	char	   *text;
	size_t		text_len;

	mops_check_tp_status(tp_format(body, &text, &text_len));
	PG_RETURN_CSTRING(mops_from_utf8(text, text_len));
}

PG_FUNCTION_INFO_V1(touch_path_recv);
Datum
touch_path_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	tp_error	err;
	void	   *body;
	size_t		len;

	memset(&err, 0, sizeof(err));
	if (tp_from_wire(buf->data + buf->cursor, (size_t) (buf->len - buf->cursor),
					 &body, &len, &err) != TP_OK)
	{
		/* what text input calls bad syntax is corrupt data in binary input */
		if (err.status == TP_SYNTAX || err.status == TP_BAD_LABEL ||
			err.status == TP_TIME_ORDER || err.status == TP_BAD_TIME ||
			(err.status == TP_LABEL_ERROR && err.label_status == LABEL_INVALID_UTF8))
		{
			if (err.status == TP_LABEL_ERROR)
				snprintf(err.detail, sizeof(err.detail), "A label is not valid UTF-8.");
			err.status = TP_CORRUPT;
		}
		mops_report_tp_error(&err, "", NULL);
	}
	buf->cursor = buf->len;
	return mops_touch_path_datum(body, len);
}

PG_FUNCTION_INFO_V1(touch_path_send);
Datum
touch_path_send(PG_FUNCTION_ARGS)
{
	const void *body = PG_GETARG_TOUCH_PATH_BODY(0);
	void	   *wire;
	size_t		wire_len;

	mops_check_tp_status(tp_to_wire(body, &wire, &wire_len));
	PG_RETURN_BYTEA_P(mops_varlena(wire, wire_len));
}

/* ---------------------------------------------------------------------------
 * Ordering and hashing (equal paths have equal bodies)
 */

static int
compare_args(FunctionCallInfo fcinfo)
{
	size_t		alen,
				blen;
	const void *a = mops_getarg_touch_path(fcinfo, 0, &alen);
	const void *b = mops_getarg_touch_path(fcinfo, 1, &blen);

	return tp_compare(a, alen, b, blen);
}

MOPS_DEFINE_ORDERING(touch_path, compare_args);

PG_FUNCTION_INFO_V1(touch_path_hash);
Datum
touch_path_hash(PG_FUNCTION_ARGS)
{
	size_t		len;
	const void *body = mops_getarg_touch_path(fcinfo, 0, &len);

	return hash_any((const unsigned char *) body, (int) len);
}

PG_FUNCTION_INFO_V1(touch_path_hash_extended);
Datum
touch_path_hash_extended(PG_FUNCTION_ARGS)
{
	size_t		len;
	const void *body = mops_getarg_touch_path(fcinfo, 0, &len);

	return hash_any_extended((const unsigned char *) body, (int) len, PG_GETARG_INT64(1));
}

/* ---------------------------------------------------------------------------
 * Functions of a path
 */

PG_FUNCTION_INFO_V1(touch_path_length);
Datum
touch_path_length(PG_FUNCTION_ARGS)
{
	tp_view		v;

	tp_view_init(&v, PG_GETARG_TOUCH_PATH_BODY(0));
	PG_RETURN_INT32((int32) v.ntouches);
}

PG_FUNCTION_INFO_V1(touch_path_channels);
Datum
touch_path_channels(PG_FUNCTION_ARGS)
{
	tp_view		v;
	text	  **labels;
	Datum	   *elems;

	tp_view_init(&v, PG_GETARG_TOUCH_PATH_BODY(0));
	labels = palloc(sizeof(text *) * (v.nchannels + 1));
	elems = palloc(sizeof(Datum) * (v.ntouches + 1));
	for (uint32 c = 0; c < v.nchannels; c++)
		labels[c] = mops_tp_label_text(&v, c);
	for (uint32 t = 0; t < v.ntouches; t++)
		elems[t] = PointerGetDatum(labels[tp_view_channel(&v, t)]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, (int) v.ntouches, TEXTOID, -1, false, TYPALIGN_INT));
}

/* Arguments by pointer: the core call that fills them is another argument. */
static Datum
transform_result(tp_status status, void **body, size_t *len)
{
	mops_check_tp_status(status);
	return mops_touch_path_datum(*body, *len);
}

PG_FUNCTION_INFO_V1(touch_path_collapse);
Datum
touch_path_collapse(PG_FUNCTION_ARGS)
{
	void	   *body;
	size_t		len;

	return transform_result(tp_collapse(PG_GETARG_TOUCH_PATH_BODY(0), &body, &len), &body, &len);
}

PG_FUNCTION_INFO_V1(touch_path_first);
Datum
touch_path_first(PG_FUNCTION_ARGS)
{
	void	   *body;
	size_t		len;

	return transform_result(tp_first(PG_GETARG_TOUCH_PATH_BODY(0), &body, &len), &body, &len);
}

PG_FUNCTION_INFO_V1(touch_path_last_n);
Datum
touch_path_last_n(PG_FUNCTION_ARGS)
{
	int32		n = PG_GETARG_INT32(1);
	void	   *body;
	size_t		len;

	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path_last_n: n must not be negative"),
				 errdetail("n was %d; 0 gives the empty path.", n)));
	return transform_result(tp_last_n(PG_GETARG_TOUCH_PATH_BODY(0), (uint32) n, &body, &len), &body, &len);
}

PG_FUNCTION_INFO_V1(touch_path_within);
Datum
touch_path_within(PG_FUNCTION_ARGS)
{
	const void *path = PG_GETARG_TOUCH_PATH_BODY(0);
	TimestampTz conversion_at = PG_GETARG_TIMESTAMPTZ(1);
	Interval   *lookback = PG_GETARG_INTERVAL_P(2);
	TimestampTz lower;
	tp_status	status;
	void	   *body;
	size_t		len;

	if (TIMESTAMP_NOT_FINITE(conversion_at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("path_within: conversion_at must be finite")));
	if (lookback->month < 0 || lookback->day < 0 || lookback->time < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path_within: lookback must not be negative"),
				 errdetail("Every field of the interval must be zero or positive, as in '30 days'.")));
	/* calendar arithmetic, as conversion_at - lookback in SQL (hence STABLE) */
	lower = DatumGetTimestampTz(DirectFunctionCall2(timestamptz_mi_interval,
													TimestampTzGetDatum(conversion_at),
													PointerGetDatum(lookback)));
	status = tp_within(path, lower, conversion_at, &body, &len);
	if (status == TP_BAD_TIME)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("path_within needs a time on every touch"),
				 errdetail("The path has touches without a time."),
				 errhint("Build paths with path_agg(channel, ts) or write times as channel@2026-01-01 10:00:00+00.")));
	return transform_result(status, &body, &len);
}

static Datum
remove_channel(FunctionCallInfo fcinfo, bool trailing_only)
{
	const void *path = PG_GETARG_TOUCH_PATH_BODY(0);
	text	   *channel = PG_GETARG_TEXT_PP(1);
	size_t		utf8_len;
	char	   *utf8 = mops_to_utf8(VARDATA_ANY(channel), VARSIZE_ANY_EXHDR(channel), &utf8_len);
	char	   *normalised;
	size_t		normalised_len;
	label_status ls = label_normalize(utf8, utf8_len, &normalised, &normalised_len);
	void	   *body;
	size_t		len;

	if (ls != LABEL_OK)
		mops_report_label_error(ls, "text", text_to_cstring(channel), NULL);
	return transform_result(tp_remove(path, normalised, normalised_len, trailing_only,
									  &body, &len), &body, &len);
}

PG_FUNCTION_INFO_V1(touch_path_remove);
Datum
touch_path_remove(PG_FUNCTION_ARGS)
{
	return remove_channel(fcinfo, false);
}

PG_FUNCTION_INFO_V1(touch_path_remove_trailing);
Datum
touch_path_remove_trailing(PG_FUNCTION_ARGS)
{
	return remove_channel(fcinfo, true);
}
