/*
 * smart_goal.c - the smart_goal type and its functions: the PostgreSQL face
 * of core/smart_goal.c (DESIGN §3.5; forms in core/smart_goal.h)
 */
#include "mops.h"

#include <float.h>

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "core/smart_goal.h"
#include "label.h"
#include "smart_goal.h"

/* mops.max_attainable_change: the largest relative change smart_check calls attainable */
static double max_attainable_change = 1.0;

void
mops_smart_goal_init(void)
{
	DefineCustomRealVariable("mops.max_attainable_change",
							 "Largest relative change from baseline to target that smart_check calls attainable.",
							 "1.0 means a target within plus or minus 100 % of the baseline.",
							 &max_attainable_change,
							 1.0, 0.0, 1e9,
							 PGC_USERSET, 0,
							 NULL, NULL, NULL);
}

/* ---------------------------------------------------------------------------
 * Errors
 */

static void
report_sg_error(const sg_error *err, const char *input, Node *escontext)
{
	switch (err->status)
	{
		case SG_OK:
			return;
		case SG_SYNTAX:
		case SG_UNKNOWN_KEY:
		case SG_DUPLICATE_KEY:
		case SG_MISSING:
		case SG_EMPTY_VALUE:
		case SG_BAD_NUMBER:
		case SG_BAD_DATE:
		case SG_BAD_UTF8:
			mops_errsave(escontext,
						 errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type smart_goal: \"%s\"", input),
						 errdetail_internal("%s", err->detail),
						 errhint("Write a goal as key=value pairs, e.g. metric=email_clicks baseline=1000 target=1250 due=2026-12-31."));
			return;
		case SG_NUMBER_RANGE:
			mops_errsave(escontext,
						 errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("number out of range in smart_goal \"%s\"", input),
						 errdetail_internal("%s", err->detail));
			return;
		case SG_DUE_BEFORE_STARTS:
			mops_errsave(escontext,
						 errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("smart_goal is due before it starts"),
						 errdetail_internal("%s", err->detail),
						 errhint("The due date must be on or after the start date."));
			return;
		case SG_TARGET_IS_BASELINE:
			mops_errsave(escontext,
						 errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("smart_goal target equals its baseline"),
						 errdetail_internal("%s", err->detail),
						 errhint("A goal's target must differ from its baseline."));
			return;
		case SG_TOO_LONG:
			mops_errsave(escontext,
						 errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("smart_goal value is too long"),
						 errdetail_internal("%s", err->detail));
			return;
		case SG_CORRUPT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary smart_goal"),
					 errdetail_internal("%s", err->detail)));
			return;
		case SG_NO_MEMORY:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
			return;
	}
	elog(ERROR, "unexpected smart_goal status %d", (int) err->status);
}

/* ---------------------------------------------------------------------------
 * Datums
 */

static Datum
goal_datum(void *body, size_t len)
{
	Datum		d = PointerGetDatum(mops_varlena(body, len));

	pfree(body);
	return d;
}

/* The body of argument n and its length (detoasted). */
static const void *
getarg_goal(FunctionCallInfo fcinfo, int n, size_t *len)
{
	struct varlena *v = PG_DETOAST_DATUM(PG_GETARG_DATUM(n));

	*len = VARSIZE(v) - VARHDRSZ;
	return VARDATA(v);
}

static void
getarg_view(FunctionCallInfo fcinfo, int n, sg_view *view)
{
	size_t		len;

	sg_view_init(view, getarg_goal(fcinfo, n, &len));
}

/* A UTF-8 value as text in the server encoding. */
static text *
value_text(sg_text v)
{
	char	   *s = mops_from_utf8(v.ptr, v.len);

	return cstring_to_text(s);
}

/* A canonical number as numeric. */
static Numeric
value_numeric(sg_text v)
{
	char	   *s = pnstrdup(v.ptr, v.len);

	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(s),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* ---------------------------------------------------------------------------
 * I/O
 */

PG_FUNCTION_INFO_V1(smart_goal_in);
Datum
smart_goal_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	size_t		utf8_len;
	char	   *utf8 = mops_to_utf8(input, strlen(input), &utf8_len);
	sg_error	err;
	void	   *body;
	size_t		len;

	if (sg_parse(utf8, utf8_len, &body, &len, &err) != SG_OK)
	{
		report_sg_error(&err, input, MOPS_ESCONTEXT(fcinfo));
		PG_RETURN_NULL();
	}
	return goal_datum(body, len);
}

PG_FUNCTION_INFO_V1(smart_goal_out);
Datum
smart_goal_out(PG_FUNCTION_ARGS)
{
	sg_view		view;
	char	   *text;
	size_t		text_len;

	getarg_view(fcinfo, 0, &view);
	if (sg_format(&view, &text, &text_len) != SG_OK)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	PG_RETURN_CSTRING(mops_from_utf8(text, text_len));
}

PG_FUNCTION_INFO_V1(smart_goal_recv);
Datum
smart_goal_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	size_t		len = (size_t) (buf->len - buf->cursor);
	sg_view		view;
	sg_error	err;
	struct varlena *result;

	if (sg_validate(buf->data + buf->cursor, len, &view, &err) != SG_OK)
		report_sg_error(&err, "", NULL);
	result = mops_varlena(buf->data + buf->cursor, len);
	buf->cursor = buf->len;
	PG_RETURN_POINTER(result);
}

PG_FUNCTION_INFO_V1(smart_goal_send);
Datum
smart_goal_send(PG_FUNCTION_ARGS)
{
	size_t		len;
	const void *body = getarg_goal(fcinfo, 0, &len);

	PG_RETURN_BYTEA_P(mops_varlena(body, len));
}

/* ---------------------------------------------------------------------------
 * Ordering and hashing (equal goals have equal bodies)
 */

static int
compare_args(FunctionCallInfo fcinfo)
{
	size_t		alen,
				blen;
	const void *a = getarg_goal(fcinfo, 0, &alen);
	const void *b = getarg_goal(fcinfo, 1, &blen);

	return sg_compare(a, alen, b, blen);
}

MOPS_DEFINE_ORDERING(smart_goal, compare_args);

PG_FUNCTION_INFO_V1(smart_goal_hash);
Datum
smart_goal_hash(PG_FUNCTION_ARGS)
{
	size_t		len;
	const void *body = getarg_goal(fcinfo, 0, &len);

	return hash_any((const unsigned char *) body, (int) len);
}

PG_FUNCTION_INFO_V1(smart_goal_hash_extended);
Datum
smart_goal_hash_extended(PG_FUNCTION_ARGS)
{
	size_t		len;
	const void *body = getarg_goal(fcinfo, 0, &len);

	return hash_any_extended((const unsigned char *) body, (int) len, PG_GETARG_INT64(1));
}

/* ---------------------------------------------------------------------------
 * Building a goal from fields: the constructor and the cast from jsonb
 */

static Datum
build_goal(const sg_fields *fields, const char *what)
{
	sg_error	err;
	void	   *body;
	size_t		len;

	if (sg_build(fields, &body, &len, &err) != SG_OK)
		report_sg_error(&err, what, NULL);
	return goal_datum(body, len);
}

/* A text argument as an sg_text in UTF-8 (absent when NULL). */
static sg_text
text_field(FunctionCallInfo fcinfo, int n)
{
	text	   *t;
	size_t		len;
	char	   *utf8;

	if (PG_ARGISNULL(n))
		return (sg_text) {NULL, 0};
	t = PG_GETARG_TEXT_PP(n);
	utf8 = mops_to_utf8(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &len);
	return (sg_text) {utf8, len};
}

static sg_text
numeric_field(FunctionCallInfo fcinfo, int n, const char *name)
{
	Numeric		num;
	char	   *s;

	if (PG_ARGISNULL(n))
		return (sg_text) {NULL, 0};
	num = PG_GETARG_NUMERIC(n);
	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("smart_goal %s must be a finite number", name)));
	s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
	return (sg_text) {s, strlen(s)};
}

static sg_text
date_field(FunctionCallInfo fcinfo, int n, const char *name, char *buf)
{
	DateADT		d;

	if (PG_ARGISNULL(n))
		return (sg_text) {NULL, 0};
	d = PG_GETARG_DATEADT(n);
	if (DATE_NOT_FINITE(d) || d < SG_MIN_DAY || d > SG_MAX_DAY)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("smart_goal %s date out of range", name),
				 errdetail("Goal dates run from 0001-01-01 to 9999-12-31.")));
	sg_format_date((int32_t) d, buf);
	return (sg_text) {buf, 10};
}

/*
 * smart_goal(metric, target, baseline, starts, due, owner, objective, unit):
 * NULL when metric or target is NULL; other NULLs leave the field out.
 */
PG_FUNCTION_INFO_V1(smart_goal_make);
Datum
smart_goal_make(PG_FUNCTION_ARGS)
{
	sg_fields	fields;
	char		starts[11],
				due[11];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	fields.f[SG_METRIC] = text_field(fcinfo, 0);
	fields.f[SG_TARGET] = numeric_field(fcinfo, 1, "target");
	fields.f[SG_BASELINE] = numeric_field(fcinfo, 2, "baseline");
	fields.f[SG_STARTS] = date_field(fcinfo, 3, "start", starts);
	fields.f[SG_DUE] = date_field(fcinfo, 4, "due", due);
	fields.f[SG_OWNER] = text_field(fcinfo, 5);
	fields.f[SG_OBJECTIVE] = text_field(fcinfo, 6);
	fields.f[SG_UNIT] = text_field(fcinfo, 7);
	return build_goal(&fields, "(constructor)");
}

/* The field a jsonb key names, or SG_NFIELDS (keys are exact here). */
static sg_field
json_key_field(const JsonbValue *key)
{
	for (int k = 0; k < SG_NFIELDS; k++)
	{
		const char *name = sg_field_name((sg_field) k);

		if ((size_t) key->val.string.len == strlen(name) &&
			memcmp(key->val.string.val, name, strlen(name)) == 0)
			return (sg_field) k;
	}
	return SG_NFIELDS;
}

PG_FUNCTION_INFO_V1(smart_goal_from_jsonb);
Datum
smart_goal_from_jsonb(PG_FUNCTION_ARGS)
{
	Jsonb	   *jb = PG_GETARG_JSONB_P(0);
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	sg_fields	fields;
	sg_field	field = SG_NFIELDS;

	if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot cast jsonb %s to type smart_goal",
						JB_ROOT_IS_ARRAY(jb) && !JB_ROOT_IS_SCALAR(jb) ? "array" : "scalar"),
				 errhint("A goal in jsonb is an object such as {\"metric\": \"email_clicks\", \"target\": 1250}.")));
	memset(&fields, 0, sizeof(fields));
	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			field = json_key_field(&v);
			if (field == SG_NFIELDS)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type smart_goal: unknown key \"%.*s\"",
								v.val.string.len, v.val.string.val),
						 errdetail("The keys are metric, baseline, target, unit, starts, due, owner and objective.")));
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		switch (v.type)
		{
			case jbvNull:
				break;			/* absent */
			case jbvString:
				{
					size_t		len;
					char	   *utf8 = mops_to_utf8(v.val.string.val, (size_t) v.val.string.len, &len);

					fields.f[field] = (sg_text) {utf8, len};
					break;
				}
			case jbvNumeric:
				{
					char	   *s;

					if (numeric_is_nan(v.val.numeric) || numeric_is_inf(v.val.numeric))
						elog(ERROR, "jsonb holds a non-finite number");
					s = DatumGetCString(DirectFunctionCall1(numeric_out,
															NumericGetDatum(v.val.numeric)));
					fields.f[field] = (sg_text) {s, strlen(s)};
					break;
				}
			default:
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("cannot cast jsonb to type smart_goal: the value of \"%s\" is not a string, number or null",
								sg_field_name(field))));
		}
	}
	return build_goal(&fields, "(jsonb)");
}

PG_FUNCTION_INFO_V1(smart_goal_to_jsonb);
Datum
smart_goal_to_jsonb(PG_FUNCTION_ARGS)
{
	sg_view		view;
	StringInfoData buf;
	sg_fields	fields;
	const sg_text *values = fields.f;
	char		dates[SG_DATES_BUF];
	bool		first = true;

	getarg_view(fcinfo, 0, &view);
	sg_view_fields(&view, &fields, dates);

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int k = 0; k < SG_NFIELDS; k++)
	{
		if (values[k].ptr == NULL)
			continue;
		if (!first)
			appendStringInfoString(&buf, ", ");
		first = false;
		escape_json(&buf, sg_field_name((sg_field) k));
		appendStringInfoString(&buf, ": ");
		if (k == SG_TARGET || k == SG_BASELINE)
			appendBinaryStringInfo(&buf, values[k].ptr, (int) values[k].len);
		else
			escape_json(&buf, mops_from_utf8(values[k].ptr, values[k].len));
	}
	appendStringInfoChar(&buf, '}');
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data));
}

/* ---------------------------------------------------------------------------
 * Accessors
 */

#define DEFINE_TEXT_ACCESSOR(fn, member) \
	PG_FUNCTION_INFO_V1(fn); \
	Datum fn(PG_FUNCTION_ARGS) \
	{ \
		sg_view		view; \
		getarg_view(fcinfo, 0, &view); \
		if (view.member.ptr == NULL) \
			PG_RETURN_NULL(); \
		PG_RETURN_TEXT_P(value_text(view.member)); \
	} \
	extern int no_semicolon_needed_after_##fn

#define DEFINE_NUMERIC_ACCESSOR(fn, member) \
	PG_FUNCTION_INFO_V1(fn); \
	Datum fn(PG_FUNCTION_ARGS) \
	{ \
		sg_view		view; \
		getarg_view(fcinfo, 0, &view); \
		if (view.member.ptr == NULL) \
			PG_RETURN_NULL(); \
		PG_RETURN_NUMERIC(value_numeric(view.member)); \
	} \
	extern int no_semicolon_needed_after_##fn

#define DEFINE_DATE_ACCESSOR(fn, member, flag) \
	PG_FUNCTION_INFO_V1(fn); \
	Datum fn(PG_FUNCTION_ARGS) \
	{ \
		sg_view		view; \
		getarg_view(fcinfo, 0, &view); \
		if ((view.flags & (flag)) == 0) \
			PG_RETURN_NULL(); \
		PG_RETURN_DATEADT((DateADT) view.member); \
	} \
	extern int no_semicolon_needed_after_##fn

DEFINE_TEXT_ACCESSOR(goal_metric, metric);
DEFINE_TEXT_ACCESSOR(goal_unit, unit);
DEFINE_TEXT_ACCESSOR(goal_owner, owner);
DEFINE_TEXT_ACCESSOR(goal_objective, objective);
DEFINE_NUMERIC_ACCESSOR(goal_target, target);
DEFINE_NUMERIC_ACCESSOR(goal_baseline, baseline);
DEFINE_DATE_ACCESSOR(goal_starts, starts, SG_HAS_STARTS);
DEFINE_DATE_ACCESSOR(goal_due, due, SG_HAS_DUE);

/* ---------------------------------------------------------------------------
 * Progress and status
 */

static Numeric
num_sub(Numeric a, Numeric b)
{
	return DatumGetNumeric(DirectFunctionCall2(numeric_sub, NumericGetDatum(a), NumericGetDatum(b)));
}

static int
num_cmp(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a), NumericGetDatum(b)));
}

static bool
num_is_zero(Numeric a)
{
	return num_cmp(a, int64_to_numeric(0)) == 0;
}

/* a / b with numeric's division scale, trailing zeros removed (0.5, not 0.50000000000000000000) */
static Numeric
num_ratio(Numeric a, Numeric b)
{
	Datum		q = DirectFunctionCall2(numeric_div, NumericGetDatum(a), NumericGetDatum(b));

	return DatumGetNumeric(DirectFunctionCall1(numeric_trim_scale, q));
}

/*
 * (actual - baseline) / (target - baseline), or actual / target without a
 * baseline; NULL when the target is 0 and there is no baseline.
 */
static Numeric
progress_of(const sg_view *view, Numeric actual)
{
	Numeric		target = value_numeric(view->target);

	if (view->baseline.ptr)
	{
		Numeric		baseline = value_numeric(view->baseline);

		/* target <> baseline is an invariant of the type */
		return num_ratio(num_sub(actual, baseline), num_sub(target, baseline));
	}
	if (num_is_zero(target))
		return NULL;
	return num_ratio(actual, target);
}

/* (as_of - starts) / (due - starts) clamped to 0..1; NULL without both dates. */
static Numeric
expected_progress_of(const sg_view *view, DateADT as_of)
{
	if ((view->flags & (SG_HAS_STARTS | SG_HAS_DUE)) != (SG_HAS_STARTS | SG_HAS_DUE))
		return NULL;
	/* on or after the due date: all of it (also when starts = due) */
	if (DATE_IS_NOEND(as_of) || (!DATE_IS_NOBEGIN(as_of) && as_of >= view->due))
		return int64_to_numeric(1);
	if (DATE_IS_NOBEGIN(as_of) || as_of <= view->starts)
		return int64_to_numeric(0);
	return num_ratio(int64_to_numeric((int64) as_of - view->starts),
					 int64_to_numeric((int64) view->due - view->starts));
}

PG_FUNCTION_INFO_V1(goal_progress);
Datum
goal_progress(PG_FUNCTION_ARGS)
{
	sg_view		view;
	Numeric		actual = PG_GETARG_NUMERIC(1);
	Numeric		progress;

	getarg_view(fcinfo, 0, &view);
	if (numeric_is_nan(actual))
		PG_RETURN_NUMERIC(actual);
	progress = progress_of(&view, actual);
	if (progress == NULL)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(progress);
}

PG_FUNCTION_INFO_V1(goal_expected_progress);
Datum
goal_expected_progress(PG_FUNCTION_ARGS)
{
	sg_view		view;
	Numeric		expected;

	getarg_view(fcinfo, 0, &view);
	expected = expected_progress_of(&view, PG_GETARG_DATEADT(1));
	if (expected == NULL)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(expected);
}

/*
 * not_started, achieved, missed, on_track, at_risk, off_track, checked in
 * that order (DESIGN §3.5); NULL when the answer needs a number the goal
 * cannot give (no dates for the expected progress, a zero target without
 * baseline, a NaN actual).
 */
PG_FUNCTION_INFO_V1(goal_status);
Datum
goal_status(PG_FUNCTION_ARGS)
{
	sg_view		view;
	Numeric		actual = PG_GETARG_NUMERIC(1);
	DateADT		as_of = PG_GETARG_DATEADT(2);
	Numeric		progress,
				expected;
	const char *status;

	getarg_view(fcinfo, 0, &view);
	if ((view.flags & SG_HAS_STARTS) &&
		(DATE_IS_NOBEGIN(as_of) || (!DATE_IS_NOEND(as_of) && as_of < view.starts)))
		PG_RETURN_TEXT_P(cstring_to_text("not_started"));
	if (numeric_is_nan(actual))
		PG_RETURN_NULL();
	progress = progress_of(&view, actual);
	if (progress == NULL)
		PG_RETURN_NULL();
	if (num_cmp(progress, int64_to_numeric(1)) >= 0)
		PG_RETURN_TEXT_P(cstring_to_text("achieved"));
	if ((view.flags & SG_HAS_DUE) &&
		(DATE_IS_NOEND(as_of) || (!DATE_IS_NOBEGIN(as_of) && as_of > view.due)))
		PG_RETURN_TEXT_P(cstring_to_text("missed"));
	expected = expected_progress_of(&view, as_of);
	if (expected == NULL)
		PG_RETURN_NULL();
	if (num_cmp(progress, expected) >= 0)
		status = "on_track";
	else if (num_cmp(progress,
					 num_sub(expected, DatumGetNumeric(DirectFunctionCall3(numeric_in,
																		   CStringGetDatum("0.10"),
																		   ObjectIdGetDatum(InvalidOid),
																		   Int32GetDatum(-1))))) >= 0)
		status = "at_risk";
	else
		status = "off_track";
	PG_RETURN_TEXT_P(cstring_to_text(status));
}

/*
 * The SMART criteria a goal fails, in the order specific, measurable,
 * attainable, relevant, time_bound.  attainable compares |target - baseline|
 * with mops.max_attainable_change x |baseline| (no division, so exact); it
 * is not judged without a baseline or with a zero baseline (no relative
 * change exists).
 */
PG_FUNCTION_INFO_V1(smart_check);
Datum
smart_check(PG_FUNCTION_ARGS)
{
	sg_view		view;
	Datum		failed[5];
	int			n = 0;

	getarg_view(fcinfo, 0, &view);
	if (view.owner.ptr == NULL)
		failed[n++] = CStringGetTextDatum("specific");
	if (view.baseline.ptr == NULL)
		failed[n++] = CStringGetTextDatum("measurable");
	else
	{
		Numeric		baseline = value_numeric(view.baseline);
		Numeric		target = value_numeric(view.target);

		if (!num_is_zero(baseline))
		{
			Numeric		change = DatumGetNumeric(DirectFunctionCall1(numeric_abs,
																	 NumericGetDatum(num_sub(target, baseline))));
			Numeric		limit = DatumGetNumeric(DirectFunctionCall1(float8_numeric,
																	Float8GetDatum(max_attainable_change)));
			Numeric		allowed = DatumGetNumeric(DirectFunctionCall2(numeric_mul,
																	  NumericGetDatum(limit),
																	  DirectFunctionCall1(numeric_abs,
																						  NumericGetDatum(baseline))));

			if (num_cmp(change, allowed) > 0)
				failed[n++] = CStringGetTextDatum("attainable");
		}
	}
	if (view.objective.ptr == NULL)
		failed[n++] = CStringGetTextDatum("relevant");
	if ((view.flags & SG_HAS_DUE) == 0)
		failed[n++] = CStringGetTextDatum("time_bound");
	PG_RETURN_ARRAYTYPE_P(construct_array(failed, n, TEXTOID, -1, false, TYPALIGN_INT));
}
