/*
 * maturity_assess.c - the maturity_state type and the maturity_assess
 * aggregate: the PostgreSQL face of core/maturity_assess.c
 *
 * maturity_state is a fixed-size (144-byte) pass-by-reference type holding
 * the core's ma_state: per area the number of answers and the exact sum of
 * their scores in millionths.  It is the aggregate's state (a real type, not
 * internal: DESIGN §2), updated in place while it lives in the aggregate
 * context.
 */
#include "mops.h"

#include "core/maturity_assess.h"
#include "label.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/numeric.h"

StaticAssertDecl(sizeof(ma_state) == 144, "maturity_state is declared with INTERNALLENGTH = 144");

#define PG_GETARG_MATURITY_STATE(n) ((ma_state *) PG_GETARG_POINTER(n))

#define ACCEPTED_AREAS \
	"The pillars are business_leadership, customer_experience, marketing_tactics, tools_technology, project_management and team; the underpinnings audit, analytics and optimisation (or optimization) may also be scored."

static void
report_label(label_status status, const char *input)
{
	mops_report_label_error(status, "text", input, NULL);
}

/* ---------------------------------------------------------------------------
 * I/O
 */

PG_FUNCTION_INFO_V1(maturity_state_in);
Datum
maturity_state_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	Node	   *escontext = MOPS_ESCONTEXT(fcinfo);
	size_t		len;
	char	   *utf8 = mops_to_utf8(input, strlen(input), &len);
	ma_state   *st = palloc(sizeof(ma_state));
	label_status label_error;
	char		detail[256];
	ma_status	status = ma_state_parse(utf8, len, st, &label_error, detail, sizeof(detail));

	if (status == MA_LABEL_ERROR)
	{
		mops_report_label_error(label_error, "maturity_state", input, escontext);
		PG_RETURN_NULL();
	}
	if (status != MA_OK)
	{
		mops_errsave(escontext,
					 errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type maturity_state: \"%s\"", input),
					 errdetail("%s", detail),
					 errhint("The form is area count sum, separated by \";\", e.g. \"team 2 7.5; audit 1 3\"."));
		PG_RETURN_NULL();
	}
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(maturity_state_out);
Datum
maturity_state_out(PG_FUNCTION_ARGS)
{
	char	   *buf = palloc(MA_STATE_TEXT_MAX);

	ma_state_format(PG_GETARG_MATURITY_STATE(0), buf);
	PG_RETURN_CSTRING(buf);
}

PG_FUNCTION_INFO_V1(maturity_state_send);
Datum
maturity_state_send(PG_FUNCTION_ARGS)
{
	unsigned char bytes[MA_STATE_BINARY_MAX];
	size_t		len = ma_state_encode(PG_GETARG_MATURITY_STATE(0), bytes);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (char *) bytes, (int) len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(maturity_state_recv);
Datum
maturity_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	ma_state   *st = palloc(sizeof(ma_state));
	char		detail[256];
	ma_status	status = ma_state_decode((const unsigned char *) buf->data + buf->cursor,
										 (size_t) (buf->len - buf->cursor), st,
										 detail, sizeof(detail));

	if (status == MA_BAD_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version for type maturity_state"),
				 errdetail("%s", detail)));
	if (status != MA_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary data for type maturity_state"),
				 errdetail("%s", detail)));
	buf->cursor = buf->len;
	PG_RETURN_POINTER(st);
}

/* ---------------------------------------------------------------------------
 * The aggregate
 */

static void
report_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many maturity answers"),
			 errdetail("The sum of the scores of one pillar must stay below 9.2 trillion.")));
}

/* The area (0-8) a pillar argument names; 22023 if none. */
static int
area_argument(text *pillar)
{
	size_t		len;
	char	   *utf8 = mops_to_utf8(VARDATA_ANY(pillar), VARSIZE_ANY_EXHDR(pillar), &len);
	label_status label_error;
	int			area = ma_area_index(utf8, len, &label_error);

	if (label_error != LABEL_OK)
		report_label(label_error, text_to_cstring(pillar));
	if (area < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown maturity pillar \"%s\"", text_to_cstring(pillar)),
				 errdetail(ACCEPTED_AREAS)));
	pfree(utf8);
	return area;
}

/* A score argument in millionths; 22003 outside 1-5, 22023 beyond 6 decimals. */
static int64
score_argument(Datum score)
{
	char	   *s = DatumGetCString(DirectFunctionCall1(numeric_out, score));
	int64_t		millionths = 0;

	switch (ma_parse_score(s, strlen(s), &millionths))
	{
		case MA_OK:
			break;
		case MA_TOO_PRECISE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("maturity score %s has more than %d decimal places", s, MA_SCORE_DECIMALS),
					 errdetail("Scores are summed exactly, with at most %d decimal places.", MA_SCORE_DECIMALS),
					 errhint("Round the score first, e.g. round(score, %d).", MA_SCORE_DECIMALS)));
			break;
		case MA_OUT_OF_RANGE:
		default:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("maturity score %s is out of range", s),
					 errdetail("Scores are from 1 to 5.")));
			break;
	}
	pfree(s);
	return millionths;
}

/*
 * maturity_assess(pillar, score) transition.  Not strict: it starts from a
 * NULL state and skips rows whose pillar or score is NULL (like avg()).
 */
PG_FUNCTION_INFO_V1(maturity_assess_transfn);
Datum
maturity_assess_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	ma_state   *st;
	int			area;
	int64		millionths;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "maturity_assess_transfn called in non-aggregate context");
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_MATURITY_STATE(0));
	}
	area = area_argument(PG_GETARG_TEXT_PP(1));
	millionths = score_argument(PG_GETARG_DATUM(2));
	if (PG_ARGISNULL(0))
		st = MemoryContextAllocZero(aggcontext, sizeof(ma_state));
	else
		st = PG_GETARG_MATURITY_STATE(0);	/* ours, in the aggregate context */
	if (ma_add(st, area, millionths) != MA_OK)
		report_overflow();
	PG_RETURN_POINTER(st);
}

/*
 * maturity_state_combine(a, b): the answers of both.  In an aggregate a is
 * the transition value in the aggregate context and is updated in place;
 * called directly it returns a new value.
 */
PG_FUNCTION_INFO_V1(maturity_state_combine);
Datum
maturity_state_combine(PG_FUNCTION_ARGS)
{
	ma_state   *a = PG_GETARG_MATURITY_STATE(0);
	ma_state   *b = PG_GETARG_MATURITY_STATE(1);
	ma_state   *result;

	if (AggCheckCallContext(fcinfo, NULL))
		result = a;
	else
	{
		result = palloc(sizeof(ma_state));
		memcpy(result, a, sizeof(ma_state));
	}
	if (ma_combine(result, b) != MA_OK)
		report_overflow();
	PG_RETURN_POINTER(result);
}

/* The mops.maturity composite of a state; NULL when it holds no answer. */
PG_FUNCTION_INFO_V1(maturity_assess_final);
Datum
maturity_assess_final(PG_FUNCTION_ARGS)
{
	ma_state   *st = PG_GETARG_MATURITY_STATE(0);
	ma_result	r;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	StringInfoData json;
	bool		first = true;

	if (ma_is_empty(st))
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "maturity_assess_final: return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	ma_assess(st, &r);
	if (r.stage == 0)
	{
		nulls[0] = nulls[1] = nulls[2] = true;
	}
	else
	{
		values[0] = Int16GetDatum((int16) r.stage);
		values[1] = DirectFunctionCall3(numeric_in, CStringGetDatum(r.score),
										ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
		values[2] = CStringGetTextDatum(ma_area_name(r.weakest));
	}
	initStringInfo(&json);
	appendStringInfoChar(&json, '{');
	for (int i = 0; i < MA_AREA_COUNT; i++)
	{
		if (st->count[i] == 0)
			continue;
		appendStringInfo(&json, "%s\"%s\": %s", first ? "" : ", ", ma_area_name(i), r.area_score[i]);
		first = false;
	}
	appendStringInfoChar(&json, '}');
	values[3] = DirectFunctionCall1(jsonb_in, CStringGetDatum(json.data));
	values[4] = BoolGetDatum(r.complete);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
