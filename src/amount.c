/*
 * amount.c - the amount type (a numeric value and an ISO 4217 currency
 * code): the PostgreSQL face of core/amount.c
 *
 * Stored layout (varlena, version-free):
 *
 *     varlena header (1 or 4 bytes, PostgreSQL's)
 *     code     3 bytes, upper-case ASCII ISO 4217 currency code
 *     numeric  the bytes of a finite numeric after its varlena header
 *              (PostgreSQL's own numeric representation: n_header and
 *              base-10000 digits; NaN and infinities never occur)
 *
 * '1250.50 EUR' takes 10 bytes on disk (1 + 3 + 6).  The numeric bytes are
 * not aligned, so they are copied into a fresh numeric before numeric's
 * functions see them.  A future layout would mark itself with a first byte
 * outside 'A'-'Z'.
 *
 * Binary (wire) form: a version byte (1), the three code bytes, then
 * numeric's binary form (numeric_send); receive checks all of it.
 *
 * Comparison: =, <> and the btree operator class are a total order by
 * currency code, then value, so that ORDER BY, DISTINCT, GROUP BY, merge
 * joins and indexes work on a column of mixed currencies.  The planner calls
 * the operators of a btree operator family on any two values it likes (the
 * extremes of a column's statistics when it costs a merge join, for
 * example), so the operator class holds total-order operators ~<~, ~<=~,
 * ~>=~, ~>~ (the names text_pattern_ops uses) next to =, and not the <, <=,
 * >, >= users write: those compare within a currency and raise 22023 across
 * currencies, like min and max.  Their selectivity estimators ask
 * PostgreSQL's with the total-order operator of the same strategy, which
 * never raises, and their planner support function lets a btree index
 * serve them through that operator (lossily: the comparison is rechecked).  The hash is consistent with =: 1.5 EUR = 1.50 EUR, hashed
 * like numeric.
 */
#include "mops.h"

#include "core/amount.h"
#include "core/core_alloc.h"
#include "label.h"

#include "access/stratnum.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/selfuncs.h"

#if PG_VERSION_NUM < 140000
/* numeric has no infinities before PostgreSQL 14 */
#define numeric_is_inf(n) false
#endif

/* What the stored form holds before the numeric bytes. */
#define AMOUNT_BODY_OFFSET AMOUNT_CODE_LEN
/* The shortest numeric body: its 2-byte header. */
#define AMOUNT_MIN_SIZE (VARHDRSZ + AMOUNT_BODY_OFFSET + 2)

/* Packed (1-byte header) values are used in place: every access is memcpy/memcmp. */
#define PG_GETARG_AMOUNT(n) ((struct varlena *) PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(n)))
#define AMOUNT_CODE(a) ((const char *) VARDATA_ANY(a))

#define ACCEPTED_FORM \
	"An amount is a decimal number, white space and a three-letter ISO 4217 currency code, for example 1250.50 EUR."
#define CURRENCY_HINT \
	"Currency codes are the three-letter ISO 4217 codes ICU knows, current and historic, such as EUR, USD or JPY."

static void
check_stored(const struct varlena *a)
{
	if (VARSIZE_ANY_EXHDR(a) < AMOUNT_MIN_SIZE - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("invalid stored amount of %u bytes", (unsigned) VARSIZE_ANY(a))));
}

/*
 * a's value as an aligned numeric with a 4-byte header: in *buf when it
 * fits, else palloc'd (free it with release_numeric).  Comparison and hash
 * functions use a stack buffer so that they allocate nothing for ordinary
 * values: sorts and index builds call them in long-lived memory contexts.
 */
#define NUMERIC_BUF_SIZE 128
typedef union numeric_buf
{
	char		data[NUMERIC_BUF_SIZE];
	int32		align_int;
	double		align_double;
} numeric_buf;

static Numeric
numeric_into(const struct varlena *a, numeric_buf *buf)
{
	size_t		body;
	Numeric		n;

	check_stored(a);
	body = VARSIZE_ANY_EXHDR(a) - AMOUNT_BODY_OFFSET;
	if (buf != NULL && VARHDRSZ + body <= sizeof(buf->data))
		n = (Numeric) buf->data;
	else
		n = (Numeric) palloc(VARHDRSZ + body);
	SET_VARSIZE(n, VARHDRSZ + body);
	memcpy(VARDATA(n), VARDATA_ANY(a) + AMOUNT_BODY_OFFSET, body);
	return n;
}

static void
release_numeric(Numeric n, numeric_buf *buf)
{
	if ((char *) n != buf->data)
		pfree(n);
}

/* A fresh palloc'd numeric holding a's value. */
static Numeric
amount_numeric(const struct varlena *a)
{
	return numeric_into(a, NULL);
}

/* Free a detoasted copy of argument n. */
#define FREE_AMOUNT_IF_COPY(a, n) \
	do { \
		if ((Pointer) (a) != PG_GETARG_POINTER(n)) \
			pfree(a); \
	} while (0)

/* A new amount from an upper-case known code and a finite numeric. */
static struct varlena *
amount_make(const char *code, Numeric n)
{
	size_t		body = VARSIZE_ANY_EXHDR(n);
	size_t		size = add_size(add_size(VARHDRSZ, AMOUNT_BODY_OFFSET), body);
	struct varlena *a = palloc(size);

	SET_VARSIZE(a, size);
	memcpy(VARDATA(a), code, AMOUNT_CODE_LEN);
	memcpy(VARDATA(a) + AMOUNT_BODY_OFFSET, VARDATA_ANY(n), body);
	return a;
}

static bool
numeric_finite(Numeric n)
{
	return !numeric_is_nan(n) && !numeric_is_inf(n);
}

/* The code of a as a NUL-terminated string (for messages). */
static char *
code_string(const struct varlena *a)
{
	check_stored(a);
	return pnstrdup(AMOUNT_CODE(a), AMOUNT_CODE_LEN);
}

static bool
same_currency(const struct varlena *a, const struct varlena *b)
{
	check_stored(a);
	check_stored(b);
	return memcmp(AMOUNT_CODE(a), AMOUNT_CODE(b), AMOUNT_CODE_LEN) == 0;
}

static char *
numeric_text(Numeric n)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(n)));
}

/* ---- text I/O ---- */

PG_FUNCTION_INFO_V1(amount_in);
Datum
amount_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	Node	   *escontext = MOPS_ESCONTEXT(fcinfo);
	char	   *number;
	size_t		number_len;
	char		code[AMOUNT_CODE_LEN + 1];
	amount_status status = amount_parse(input, strlen(input), &number, &number_len, code);
	Numeric		n;

	(void) escontext;			/* mops_errsave ignores it before PostgreSQL 16 */
	switch (status)
	{
		case AMOUNT_OK:
			break;
		case AMOUNT_NOT_FINITE:
			mops_errsave(escontext,
						 errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type amount: \"%s\"", input),
						 errdetail("An amount cannot be NaN or infinite."));
			PG_RETURN_NULL();
		case AMOUNT_BAD_CURRENCY:
			mops_errsave(escontext,
						 errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type amount: \"%s\"", input),
						 errdetail("\"%s\" is not an ISO 4217 currency code.", code),
						 errhint(CURRENCY_HINT));
			PG_RETURN_NULL();
		case AMOUNT_OUT_OF_RANGE:
			mops_errsave(escontext,
						 errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("amount out of range: \"%s\"", input),
						 errdetail("An amount has at most %d digits before the decimal point and %d after it.",
								   AMOUNT_MAX_INT_DIGITS, AMOUNT_MAX_SCALE));
			PG_RETURN_NULL();
		case AMOUNT_NO_MEMORY:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
			PG_RETURN_NULL();
		default:
			mops_errsave(escontext,
						 errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type amount: \"%s\"", input),
						 errdetail(ACCEPTED_FORM));
			PG_RETURN_NULL();
	}
	n = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(number),
											ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	core_free(number);
	PG_RETURN_POINTER(amount_make(code, n));
}

PG_FUNCTION_INFO_V1(amount_out);
Datum
amount_out(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_GETARG_AMOUNT(0);
	char	   *number = numeric_text(amount_numeric(a));

	PG_RETURN_CSTRING(psprintf("%s %.3s", number, AMOUNT_CODE(a)));
}

/* ---- binary I/O ---- */

PG_FUNCTION_INFO_V1(amount_send);
Datum
amount_send(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_GETARG_AMOUNT(0);
	bytea	   *num = DatumGetByteaPP(DirectFunctionCall1(numeric_send,
														  NumericGetDatum(amount_numeric(a))));
	unsigned char header[AMOUNT_WIRE_HEADER];
	StringInfoData buf;

	amount_wire_put_header(AMOUNT_CODE(a), header);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (const char *) header, AMOUNT_WIRE_HEADER);
	pq_sendbytes(&buf, VARDATA_ANY(num), VARSIZE_ANY_EXHDR(num));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(amount_recv);
Datum
amount_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	size_t		remaining = (size_t) (buf->len - buf->cursor);
	char		code[AMOUNT_CODE_LEN + 1];
	StringInfoData body;
	Numeric		n;

	switch (amount_wire_header((const unsigned char *) buf->data + buf->cursor, remaining, code))
	{
		case AMOUNT_OK:
			break;
		case AMOUNT_TRUNCATED:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("truncated binary input for type amount"),
					 errdetail("The binary form starts with a version byte and a three-letter currency code.")));
			break;
		case AMOUNT_BAD_VERSION:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("unsupported binary format version %d for type amount",
							(unsigned char) buf->data[buf->cursor]),
					 errdetail("This version of mops reads version %d.", AMOUNT_WIRE_VERSION)));
			break;
		case AMOUNT_BAD_CURRENCY:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid currency code in binary input for type amount"),
					 errdetail("\"%s\" is not an ISO 4217 currency code.", code),
					 errhint(CURRENCY_HINT)));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid currency code in binary input for type amount"),
					 errdetail("The currency code must be three upper-case ASCII letters.")));
			break;
	}
	buf->cursor += AMOUNT_WIRE_HEADER;

	/* the rest is numeric's binary form, and nothing after it */
	body.data = buf->data + buf->cursor;
	body.len = buf->len - buf->cursor;
	body.maxlen = body.len;
	body.cursor = 0;
	n = DatumGetNumeric(DirectFunctionCall3(numeric_recv, PointerGetDatum(&body),
											ObjectIdGetDatum(NUMERICOID), Int32GetDatum(-1)));
	if (body.cursor != body.len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("trailing bytes in binary input for type amount"),
				 errdetail("%d bytes follow the numeric value.", body.len - body.cursor)));
	if (!numeric_finite(n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid value in binary input for type amount"),
				 errdetail("An amount cannot be NaN or infinite.")));
	buf->cursor = buf->len;
	PG_RETURN_POINTER(amount_make(code, n));
}

/* ---- constructor and accessors ---- */

/* The upper-case code of a currency argument; 22P02 if unknown. */
static void
currency_arg(text *t, char code[AMOUNT_CODE_LEN + 1])
{
	char	   *s = text_to_cstring(t);

	if (amount_currency_parse(s, strlen(s), code) != AMOUNT_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("unknown currency code \"%s\"", s),
				 errhint(CURRENCY_HINT)));
	pfree(s);
}

static void
check_finite_arg(Numeric n, const char *what)
{
	if (!numeric_finite(n))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s cannot be NaN or infinite", what)));
}

PG_FUNCTION_INFO_V1(amount_construct);
Datum
amount_construct(PG_FUNCTION_ARGS)
{
	Numeric		n = PG_GETARG_NUMERIC(0);
	char		code[AMOUNT_CODE_LEN + 1];

	check_finite_arg(n, "the value of an amount");
	currency_arg(PG_GETARG_TEXT_PP(1), code);
	PG_RETURN_POINTER(amount_make(code, n));
}

PG_FUNCTION_INFO_V1(amount_value);
Datum
amount_value(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(amount_numeric(PG_GETARG_AMOUNT(0)));
}

PG_FUNCTION_INFO_V1(amount_currency);
Datum
amount_currency(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_GETARG_AMOUNT(0);

	check_stored(a);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(AMOUNT_CODE(a), AMOUNT_CODE_LEN));
}

PG_FUNCTION_INFO_V1(amount_is_currency_code);
Datum
amount_is_currency_code(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);

	PG_RETURN_BOOL(VARSIZE_ANY_EXHDR(t) == AMOUNT_CODE_LEN &&
				   amount_currency_known(VARDATA_ANY(t)));
}

static int
minor_units(const char *code)
{
	int			digits = amount_minor_units(code);

	if (digits < 0)
		ereport(ERROR,
				(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
				 errmsg("ICU has no minor units for currency %.3s", code)));
	return digits;
}

PG_FUNCTION_INFO_V1(amount_currency_minor_units);
Datum
amount_currency_minor_units(PG_FUNCTION_ARGS)
{
	char		code[AMOUNT_CODE_LEN + 1];

	currency_arg(PG_GETARG_TEXT_PP(0), code);
	PG_RETURN_INT32(minor_units(code));
}

PG_FUNCTION_INFO_V1(amount_round_minor);
Datum
amount_round_minor(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_GETARG_AMOUNT(0);
	Numeric		rounded = DatumGetNumeric(DirectFunctionCall2(numeric_round,
															  NumericGetDatum(amount_numeric(a)),
															  Int32GetDatum(minor_units(AMOUNT_CODE(a)))));

	PG_RETURN_POINTER(amount_make(AMOUNT_CODE(a), rounded));
}

PG_FUNCTION_INFO_V1(amount_format_locale_sql);
Datum
amount_format_locale_sql(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_GETARG_AMOUNT(0);
	char	   *locale = text_to_cstring(PG_GETARG_TEXT_PP(1));
	char	   *number = numeric_text(amount_numeric(a));
	char	   *out;
	size_t		out_len;
	const char *icu_error;
	text	   *result;

	switch (amount_format_locale(number, strlen(number), AMOUNT_CODE(a), locale,
								 &out, &out_len, &icu_error))
	{
		case AMOUNT_OK:
			break;
		case AMOUNT_BAD_LOCALE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown locale \"%s\"", locale),
					 errdetail("ICU has no data for the language of this locale; it would silently format for another locale."),
					 errhint("Use an ICU locale name such as de_DE, en_US, fr_CH or ja_JP.")));
			break;
		case AMOUNT_NO_MEMORY:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
			break;
		case AMOUNT_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("amount too long to format")));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("ICU could not format the amount: %s", icu_error ? icu_error : "unknown error")));
			break;
	}
	result = cstring_to_text(mops_from_utf8(out, out_len));
	core_free(out);
	PG_RETURN_TEXT_P(result);
}

/* ---- arithmetic ---- */

static void
require_same_currency(const struct varlena *a, const struct varlena *b, const char *verb)
{
	if (!same_currency(a, b))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot %s amounts in different currencies", verb),
				 errdetail("The amounts are in %s and %s.", code_string(a), code_string(b)),
				 errhint("Convert one of them with convert_amount() first.")));
}

static Datum
binary_same_currency(FunctionCallInfo fcinfo, PGFunction op, const char *verb)
{
	struct varlena *a = PG_GETARG_AMOUNT(0);
	struct varlena *b = PG_GETARG_AMOUNT(1);
	Numeric		result;

	require_same_currency(a, b, verb);
	result = DatumGetNumeric(DirectFunctionCall2(op, NumericGetDatum(amount_numeric(a)),
												 NumericGetDatum(amount_numeric(b))));
	PG_RETURN_POINTER(amount_make(AMOUNT_CODE(a), result));
}

PG_FUNCTION_INFO_V1(amount_add);
Datum
amount_add(PG_FUNCTION_ARGS)
{
	return binary_same_currency(fcinfo, numeric_add, "add");
}

PG_FUNCTION_INFO_V1(amount_sub);
Datum
amount_sub(PG_FUNCTION_ARGS)
{
	return binary_same_currency(fcinfo, numeric_sub, "subtract");
}

PG_FUNCTION_INFO_V1(amount_uminus);
Datum
amount_uminus(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_GETARG_AMOUNT(0);
	Numeric		result = DatumGetNumeric(DirectFunctionCall1(numeric_uminus,
															 NumericGetDatum(amount_numeric(a))));

	PG_RETURN_POINTER(amount_make(AMOUNT_CODE(a), result));
}

static Datum
scale_amount(struct varlena *a, Numeric factor, PGFunction op)
{
	Numeric		result;

	check_finite_arg(factor, op == numeric_div ? "the divisor of an amount" : "the factor of an amount");
	result = DatumGetNumeric(DirectFunctionCall2(op, NumericGetDatum(amount_numeric(a)),
												 NumericGetDatum(factor)));
	return PointerGetDatum(amount_make(AMOUNT_CODE(a), result));
}

PG_FUNCTION_INFO_V1(amount_mul);
Datum
amount_mul(PG_FUNCTION_ARGS)
{
	return scale_amount(PG_GETARG_AMOUNT(0), PG_GETARG_NUMERIC(1), numeric_mul);
}

PG_FUNCTION_INFO_V1(amount_numeric_mul);
Datum
amount_numeric_mul(PG_FUNCTION_ARGS)
{
	return scale_amount(PG_GETARG_AMOUNT(1), PG_GETARG_NUMERIC(0), numeric_mul);
}

PG_FUNCTION_INFO_V1(amount_div);
Datum
amount_div(PG_FUNCTION_ARGS)
{
	return scale_amount(PG_GETARG_AMOUNT(0), PG_GETARG_NUMERIC(1), numeric_div);
}

/* ---- comparison ---- */

/* The total order: currency code, then value.  Allocates nothing for values that fit numeric_buf. */
static int
amount_cmp_total(struct varlena *a, struct varlena *b)
{
	int			c;
	numeric_buf abuf;
	numeric_buf bbuf;
	Numeric		an;
	Numeric		bn;

	check_stored(a);
	check_stored(b);
	c = memcmp(AMOUNT_CODE(a), AMOUNT_CODE(b), AMOUNT_CODE_LEN);
	if (c != 0)
		return c < 0 ? -1 : 1;
	an = numeric_into(a, &abuf);
	bn = numeric_into(b, &bbuf);
	c = DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(an), NumericGetDatum(bn)));
	release_numeric(an, &abuf);
	release_numeric(bn, &bbuf);
	return c;
}

static int
cmp_args_total(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_GETARG_AMOUNT(0);
	struct varlena *b = PG_GETARG_AMOUNT(1);
	int			c = amount_cmp_total(a, b);

	FREE_AMOUNT_IF_COPY(a, 0);
	FREE_AMOUNT_IF_COPY(b, 1);
	return c;
}

/* Within a currency only (<, <=, >, >=, min, max). */
static int
cmp_args_within(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_GETARG_AMOUNT(0);
	struct varlena *b = PG_GETARG_AMOUNT(1);
	int			c;

	if (!same_currency(a, b))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot compare amounts in different currencies"),
				 errdetail("The amounts are in %s and %s.", code_string(a), code_string(b)),
				 errhint("Compare amounts of one currency, or convert them with convert_amount() first.")));
	c = amount_cmp_total(a, b);
	FREE_AMOUNT_IF_COPY(a, 0);
	FREE_AMOUNT_IF_COPY(b, 1);
	return c;
}

PG_FUNCTION_INFO_V1(amount_eq);
Datum
amount_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_args_total(fcinfo) == 0);
}

PG_FUNCTION_INFO_V1(amount_ne);
Datum
amount_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_args_total(fcinfo) != 0);
}

PG_FUNCTION_INFO_V1(amount_cmp);
Datum
amount_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(cmp_args_total(fcinfo));
}

PG_FUNCTION_INFO_V1(amount_lt);
Datum
amount_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_args_within(fcinfo) < 0);
}

PG_FUNCTION_INFO_V1(amount_le);
Datum
amount_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_args_within(fcinfo) <= 0);
}

PG_FUNCTION_INFO_V1(amount_gt);
Datum
amount_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_args_within(fcinfo) > 0);
}

PG_FUNCTION_INFO_V1(amount_ge);
Datum
amount_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_args_within(fcinfo) >= 0);
}

/* The total order as operators (the btree operator class's ~<~ and so on). */
PG_FUNCTION_INFO_V1(amount_total_lt);
Datum
amount_total_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_args_total(fcinfo) < 0);
}

PG_FUNCTION_INFO_V1(amount_total_le);
Datum
amount_total_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_args_total(fcinfo) <= 0);
}

PG_FUNCTION_INFO_V1(amount_total_gt);
Datum
amount_total_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_args_total(fcinfo) > 0);
}

PG_FUNCTION_INFO_V1(amount_total_ge);
Datum
amount_total_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(cmp_args_total(fcinfo) >= 0);
}

/*
 * Restriction selectivity of <, <=, >, >=: PostgreSQL's estimator applied
 * to the total-order operator of the same btree strategy (found through the
 * type's default btree operator class, not by name), so that the estimate
 * uses the column's histogram and never compares amounts of two currencies
 * with an operator that raises.
 */
static Datum
ineq_selectivity(FunctionCallInfo fcinfo, int16 strategy, PGFunction estimator)
{
	Oid			operator = PG_GETARG_OID(1);
	Oid			lefttype;
	Oid			righttype;
	Oid			opclass;
	Oid			total = InvalidOid;

	op_input_types(operator, &lefttype, &righttype);
	opclass = GetDefaultOpClass(lefttype, BTREE_AM_OID);
	if (OidIsValid(opclass))
		total = get_opfamily_member(get_opclass_family(opclass), lefttype, righttype, strategy);
	if (!OidIsValid(total))
		PG_RETURN_FLOAT8(DEFAULT_INEQ_SEL);
	return DirectFunctionCall4Coll(estimator, PG_GET_COLLATION(), PG_GETARG_DATUM(0),
								   ObjectIdGetDatum(total), PG_GETARG_DATUM(2), PG_GETARG_DATUM(3));
}

PG_FUNCTION_INFO_V1(amount_ltsel);
Datum
amount_ltsel(PG_FUNCTION_ARGS)
{
	return ineq_selectivity(fcinfo, BTLessStrategyNumber, scalarltsel);
}

PG_FUNCTION_INFO_V1(amount_lesel);
Datum
amount_lesel(PG_FUNCTION_ARGS)
{
	return ineq_selectivity(fcinfo, BTLessEqualStrategyNumber, scalarlesel);
}

PG_FUNCTION_INFO_V1(amount_gtsel);
Datum
amount_gtsel(PG_FUNCTION_ARGS)
{
	return ineq_selectivity(fcinfo, BTGreaterStrategyNumber, scalargtsel);
}

PG_FUNCTION_INFO_V1(amount_gesel);
Datum
amount_gesel(PG_FUNCTION_ARGS)
{
	return ineq_selectivity(fcinfo, BTGreaterEqualStrategyNumber, scalargesel);
}

/*
 * Planner support of <, <=, >, >=: a btree index on an amount column (its
 * class holds the total-order operators) can serve "key < constant" through
 * the index condition "key ~<~ constant" (likewise for the other three).
 * The condition is lossy: the original comparison is still applied to every
 * row the index returns, so a row of another currency that the scan meets
 * still raises 22023, as it would in a sequential scan; a range within one
 * currency (a >= '100 EUR' AND a < '200 EUR') reads only that currency's
 * entries and never meets one.
 */
PG_FUNCTION_INFO_V1(amount_ineq_support);
Datum
amount_ineq_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	SupportRequestIndexCondition *req;
	OpExpr	   *clause;
	Node	   *key;
	Node	   *other;
	char	   *fname;
	int16		strategy;
	Oid			keytype;
	Oid			total;

	if (!IsA(rawreq, SupportRequestIndexCondition))
		PG_RETURN_POINTER(NULL);
	req = (SupportRequestIndexCondition *) rawreq;
	if (!is_opclause(req->node) || list_length(((OpExpr *) req->node)->args) != 2 ||
		req->indexarg < 0 || req->indexarg > 1)
		PG_RETURN_POINTER(NULL);
	clause = (OpExpr *) req->node;
	key = (Node *) list_nth(clause->args, req->indexarg);
	other = (Node *) list_nth(clause->args, 1 - req->indexarg);
	if (!IsA(other, Const) && !IsA(other, Param))
		PG_RETURN_POINTER(NULL);

	/* the strategy of "key op other" */
	fname = get_func_name(req->funcid);
	if (fname == NULL)
		PG_RETURN_POINTER(NULL);
	if (strcmp(fname, "amount_lt") == 0)
		strategy = BTLessStrategyNumber;
	else if (strcmp(fname, "amount_le") == 0)
		strategy = BTLessEqualStrategyNumber;
	else if (strcmp(fname, "amount_gt") == 0)
		strategy = BTGreaterStrategyNumber;
	else if (strcmp(fname, "amount_ge") == 0)
		strategy = BTGreaterEqualStrategyNumber;
	else
		PG_RETURN_POINTER(NULL);
	if (req->indexarg == 1)
		strategy = BTMaxStrategyNumber + 1 - strategy;	/* a < b is b > a */

	keytype = exprType(key);
	if (keytype != exprType(other))
		PG_RETURN_POINTER(NULL);
	total = get_opfamily_member(req->opfamily, keytype, keytype, strategy);
	if (!OidIsValid(total))
		PG_RETURN_POINTER(NULL);
	req->lossy = true;
	PG_RETURN_POINTER(list_make1(make_opclause(total, BOOLOID, false, (Expr *) key, (Expr *) other,
											   InvalidOid, InvalidOid)));
}

PG_FUNCTION_INFO_V1(amount_larger);
Datum
amount_larger(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(cmp_args_within(fcinfo) >= 0 ? PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1));
}

PG_FUNCTION_INFO_V1(amount_smaller);
Datum
amount_smaller(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(cmp_args_within(fcinfo) <= 0 ? PG_GETARG_DATUM(0) : PG_GETARG_DATUM(1));
}

PG_FUNCTION_INFO_V1(amount_hash);
Datum
amount_hash(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_GETARG_AMOUNT(0);
	numeric_buf buf;
	Numeric		n;
	uint32		code_hash;
	uint32		value_hash;

	check_stored(a);
	code_hash = DatumGetUInt32(hash_any((const unsigned char *) AMOUNT_CODE(a), AMOUNT_CODE_LEN));
	n = numeric_into(a, &buf);
	value_hash = DatumGetUInt32(DirectFunctionCall1(hash_numeric, NumericGetDatum(n)));
	release_numeric(n, &buf);
	FREE_AMOUNT_IF_COPY(a, 0);
	PG_RETURN_UINT32(hash_combine(code_hash, value_hash));
}

PG_FUNCTION_INFO_V1(amount_hash_extended);
Datum
amount_hash_extended(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_GETARG_AMOUNT(0);
	int64		seed = PG_GETARG_INT64(1);
	numeric_buf buf;
	Numeric		n;
	uint64		code_hash;
	uint64		value_hash;

	check_stored(a);
	code_hash = DatumGetUInt64(hash_any_extended((const unsigned char *) AMOUNT_CODE(a),
												 AMOUNT_CODE_LEN, (uint64) seed));
	n = numeric_into(a, &buf);
	value_hash = DatumGetUInt64(DirectFunctionCall2(hash_numeric_extended,
													NumericGetDatum(n), Int64GetDatum(seed)));
	release_numeric(n, &buf);
	FREE_AMOUNT_IF_COPY(a, 0);
	PG_RETURN_UINT64(hash_combine64(code_hash, value_hash));
}

/* ---- sum(amount) ---- */

/*
 * Transition and combine function of sum(amount): the state is an amount
 * (the running total).  Strict: the first non-NULL amount becomes the
 * state, NULLs are skipped, no row gives NULL.
 */
PG_FUNCTION_INFO_V1(amount_sum_accum);
Datum
amount_sum_accum(PG_FUNCTION_ARGS)
{
	struct varlena *a = PG_GETARG_AMOUNT(0);
	struct varlena *b = PG_GETARG_AMOUNT(1);
	Numeric		result;

	if (!same_currency(a, b))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot sum amounts in different currencies"),
				 errdetail("The amounts summed are in %s and %s.", code_string(a), code_string(b)),
				 errhint("Group by amount_currency(), or convert the amounts with convert_amount() first.")));
	result = DatumGetNumeric(DirectFunctionCall2(numeric_add, NumericGetDatum(amount_numeric(a)),
												 NumericGetDatum(amount_numeric(b))));
	PG_RETURN_POINTER(amount_make(AMOUNT_CODE(a), result));
}
