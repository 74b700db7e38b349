/*
 * maturity_stage.c - the maturity_stage type: the PostgreSQL face of
 * core/maturity_stage.c
 *
 * A 2-byte pass-by-value type holding the stage number 1-5.
 */
#include "mops.h"

#include "core/maturity_stage.h"
#include "label.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"

#define MATURITY_STAGE_BINARY_VERSION 1

#define PG_GETARG_MATURITY_STAGE(n) DatumGetInt16(PG_GETARG_DATUM(n))
#define PG_RETURN_MATURITY_STAGE(v) return Int16GetDatum((int16) (v))

#define ACCEPTED_FORMS \
	"Maturity stages are foundations, alignment, optimisation (or optimization), integration and transformation, or their numbers 1 to 5."

PG_FUNCTION_INFO_V1(maturity_stage_in);
Datum
maturity_stage_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	Node	   *escontext = MOPS_ESCONTEXT(fcinfo);
	size_t		len;
	char	   *utf8 = mops_to_utf8(input, strlen(input), &len);
	label_status label_error;
	int			stage = ms_parse(utf8, len, &label_error);

	if (label_error != LABEL_OK)
	{
		mops_report_label_error(label_error, "maturity_stage", input, escontext);
		PG_RETURN_NULL();
	}
	if (stage == 0)
	{
		mops_errsave(escontext,
					 errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type maturity_stage: \"%s\"", input),
					 errdetail(ACCEPTED_FORMS));
		PG_RETURN_NULL();
	}
	PG_RETURN_MATURITY_STAGE(stage);
}

/* A stored value outside 1-5 can only come from corruption. */
static const char *
stage_name(int stage)
{
	const char *name = ms_name(stage);

	if (name == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid maturity_stage value %d", stage)));
	return name;
}

PG_FUNCTION_INFO_V1(maturity_stage_out);
Datum
maturity_stage_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(stage_name(PG_GETARG_MATURITY_STAGE(0))));
}

/* Binary form: a version byte, then the stage number as one byte. */
PG_FUNCTION_INFO_V1(maturity_stage_send);
Datum
maturity_stage_send(PG_FUNCTION_ARGS)
{
	int			stage = PG_GETARG_MATURITY_STAGE(0);
	StringInfoData buf;

	(void) stage_name(stage);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, MATURITY_STAGE_BINARY_VERSION);
	pq_sendbyte(&buf, stage);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(maturity_stage_recv);
Datum
maturity_stage_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	int			stage;

	if (version != MATURITY_STAGE_BINARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type maturity_stage", version),
				 errdetail("This version of mops reads version %d.", MATURITY_STAGE_BINARY_VERSION)));
	stage = pq_getmsgbyte(buf);
	if (ms_name(stage) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid maturity_stage number %d in binary input", stage),
				 errdetail("Stage numbers are 1 to 5.")));
	PG_RETURN_MATURITY_STAGE(stage);
}

MOPS_DEFINE_COMPARISONS(maturity_stage, PG_GETARG_MATURITY_STAGE);

PG_FUNCTION_INFO_V1(maturity_stage_hash);
Datum
maturity_stage_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_MATURITY_STAGE(0));
}

PG_FUNCTION_INFO_V1(maturity_stage_hash_extended);
Datum
maturity_stage_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_MATURITY_STAGE(0), PG_GETARG_INT64(1));
}

PG_FUNCTION_INFO_V1(maturity_stage_number);
Datum
maturity_stage_number(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_MATURITY_STAGE(0));
}
