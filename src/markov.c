/*
 * markov.c - the markov_model type, markov_fit, markov_merge(_agg) and
 * markov_attribution: the PostgreSQL face of core/markov.c
 *
 * markov_model is a real varlena type (DESIGN §2: Citus combines partial
 * states of it on the coordinator), so markov_fit's transition state is a
 * markov_model too.  Rebuilding a flat value for every input row would cost
 * the size of the model per row; instead the state is an expanded object
 * (utils/expandeddatum.h) holding the core's hash-table builder, updated in
 * place while it lives in the aggregate context, and flattened into the
 * canonical body only when PostgreSQL needs the bytes (a partial aggregate
 * handing its state to the leader, or the final function).
 */
#include "touch_path.h"

#include <math.h>

#include "common/hashfn.h"
#include "common/shortest_dec.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

#include "core/markov.h"
#include "label.h"

typedef struct MarkovExpanded
{
	ExpandedObjectHeader hdr;
	mk_builder *builder;		/* allocated in hdr.eoh_context */
	void	   *flat;			/* canonical body, NULL when stale */
	size_t		flat_len;
} MarkovExpanded;

static void
report_mk_error(const mk_error *err, const char *input)
{
	const char *detail = err->detail[0] ? err->detail : NULL;

	switch (err->status)
	{
		case MK_OK:
			return;
		case MK_SYNTAX:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type markov_model: \"%s\"", input ? input : ""),
					 detail ? errdetail("%s", detail) : 0));
			break;
		case MK_CORRUPT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary data for type markov_model"),
					 detail ? errdetail("%s", detail) : 0));
			break;
		case MK_TOO_MANY_STATES:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("markov model has too many states"),
					 detail ? errdetail("%s", detail) : 0,
					 errhint("Use a lower order, or group rare channels together (channel_group).")));
			break;
		case MK_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("markov model count out of range"),
					 detail ? errdetail("%s", detail) : 0));
			break;
		case MK_BAD_AMOUNT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("markov_fit: counts and values must be finite and not negative")));
			break;
		case MK_ORDER_MISMATCH:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot merge markov models of different orders"),
					 detail ? errdetail("%s", detail) : 0));
			break;
		case MK_NOT_CONVERGED:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("markov attribution did not converge"),
					 detail ? errdetail("%s", detail) : 0));
			break;
		case MK_NO_MEMORY:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
			break;
	}
}

static void
check_mk(mk_status status, const mk_error *err)
{
	if (status != MK_OK)
	{
		mk_error	e = *err;

		e.status = status;
		report_mk_error(&e, NULL);
	}
}

static Datum
model_datum(const void *body, size_t len)
{
	return PointerGetDatum(mops_varlena(body, len));
}

/* ---------------------------------------------------------------------------
 * Expanded form
 */

static Size
markov_get_flat_size(ExpandedObjectHeader *eohptr)
{
	MarkovExpanded *mx = (MarkovExpanded *) eohptr;

	if (mx->flat == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(mx->hdr.eoh_context);
		mk_error	err;

		memset(&err, 0, sizeof(err));
		check_mk(mk_builder_finish(mx->builder, &mx->flat, &mx->flat_len, &err), &err);
		MemoryContextSwitchTo(old);
	}
	return VARHDRSZ + mx->flat_len;
}

static void
markov_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	MarkovExpanded *mx = (MarkovExpanded *) eohptr;

	Assert(mx->flat != NULL && allocated_size == VARHDRSZ + mx->flat_len);
	SET_VARSIZE(result, allocated_size);
	memcpy(VARDATA(result), mx->flat, mx->flat_len);
}

static const ExpandedObjectMethods markov_methods = {
	markov_get_flat_size,
	markov_flatten_into
};

static MarkovExpanded *
new_expanded(MemoryContext parent, int order)
{
	MemoryContext cxt = AllocSetContextCreate(parent, "markov_model",
											  ALLOCSET_DEFAULT_SIZES);
	MarkovExpanded *mx = MemoryContextAllocZero(cxt, sizeof(MarkovExpanded));
	MemoryContext old;

	EOH_init_header(&mx->hdr, &markov_methods, cxt);
	old = MemoryContextSwitchTo(cxt);
	mx->builder = mk_builder_new(order);
	MemoryContextSwitchTo(old);
	if (mx->builder == NULL)
		elog(ERROR, "markov_model: cannot create a model of order %d", order);
	return mx;
}

/* Our read-write expanded object behind datum d, or NULL. */
static MarkovExpanded *
our_expanded(Datum d)
{
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)))
	{
		ExpandedObjectHeader *eoh = DatumGetEOHP(d);

		if (eoh->eoh_methods == &markov_methods)
			return (MarkovExpanded *) eoh;
	}
	return NULL;
}

static void
expanded_add_model(MarkovExpanded *mx, const void *body)
{
	MemoryContext old = MemoryContextSwitchTo(mx->hdr.eoh_context);
	mk_error	err;
	mk_status	status;

	memset(&err, 0, sizeof(err));
	mx->flat = NULL;			/* (freed with the context) */
	status = mk_builder_add_model(mx->builder, body, &err);
	MemoryContextSwitchTo(old);
	check_mk(status, &err);
}

/* A flat body from any markov_model datum (flattening an expanded one). */
static const void *
model_body(Datum d)
{
	return VARDATA(PG_DETOAST_DATUM(d));
}

/* ---------------------------------------------------------------------------
 * I/O: one format for storage and the wire, so recv = validate + copy
 */

PG_FUNCTION_INFO_V1(markov_model_in);
Datum
markov_model_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	size_t		utf8_len;
	char	   *utf8 = mops_to_utf8(input, strlen(input), &utf8_len);
	mk_error	err;
	void	   *body;
	size_t		len;

	memset(&err, 0, sizeof(err));
	err.status = mk_parse(utf8, utf8_len, &body, &len, &err);
	if (err.status != MK_OK)
		report_mk_error(&err, input);
	return model_datum(body, len);
}

PG_FUNCTION_INFO_V1(markov_model_out);
Datum
markov_model_out(PG_FUNCTION_ARGS)
{
	char	   *text;
	size_t		len;

	if (mk_format(model_body(PG_GETARG_DATUM(0)), &text, &len) != MK_OK)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	PG_RETURN_CSTRING(mops_from_utf8(text, len));
}

PG_FUNCTION_INFO_V1(markov_model_recv);
Datum
markov_model_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const char *bytes = buf->data + buf->cursor;
	size_t		len = (size_t) (buf->len - buf->cursor);
	mk_error	err;

	memset(&err, 0, sizeof(err));
	err.status = mk_validate(bytes, len, &err);
	if (err.status != MK_OK)
		report_mk_error(&err, NULL);
	buf->cursor = buf->len;
	return model_datum(bytes, len);
}

PG_FUNCTION_INFO_V1(markov_model_send);
Datum
markov_model_send(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	bytea	   *result = palloc(VARSIZE(v));

	memcpy(result, v, VARSIZE(v));
	PG_RETURN_BYTEA_P(result);
}

/* Ordering: bytewise on the canonical body (equal models have equal bytes) */
static int
compare_models(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	struct varlena *b = PG_DETOAST_DATUM(PG_GETARG_DATUM(1));
	size_t		la = VARSIZE(a) - VARHDRSZ;
	size_t		lb = VARSIZE(b) - VARHDRSZ;
	int			c = memcmp(VARDATA(a), VARDATA(b), Min(la, lb));

	if (c != 0)
		return c < 0 ? -1 : 1;
	return la < lb ? -1 : la > lb ? 1 : 0;
}

MOPS_DEFINE_ORDERING(markov_model, compare_models);

PG_FUNCTION_INFO_V1(markov_model_hash);
Datum
markov_model_hash(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));

	return hash_any((unsigned char *) VARDATA(v), (int) (VARSIZE(v) - VARHDRSZ));
}

PG_FUNCTION_INFO_V1(markov_model_hash_extended);
Datum
markov_model_hash_extended(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));

	return hash_any_extended((unsigned char *) VARDATA(v), (int) (VARSIZE(v) - VARHDRSZ),
							 PG_GETARG_INT64(1));
}

/* ---------------------------------------------------------------------------
 * markov_fit
 */

static mk_amount
amount_argument(FunctionCallInfo fcinfo, int argno, const char *name)
{
	mk_amount	a;
	double		d;
	mk_status	status;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("markov_fit: %s must not be NULL", name),
				 errhint("Use coalesce(%s, 0) if a missing count means none.", name)));
	d = PG_GETARG_FLOAT8(argno);
	if (likely(d >= 0 && d < 9e18))
	{
		/* whole numbers (counts, mostly): exact and fast */
		int64		k = (int64) d;

		if ((double) k == d)
			return mk_amount_from_uint((uint64) k);

		/*
		 * At most 6 decimals (money, mostly): k / 10^6 reads back as d, and
		 * below 1e9 no other decimal with 6 places does, so it is the
		 * shortest decimal of d padded with zeros.
		 */
		if (d < 1e9)
		{
			double		millionths = rint(d * 1e6);

			if (millionths / 1e6 == d)
				return mk_amount_from_millionths((uint64) millionths);
		}
	}
	else if (isnan(d) || isinf(d) || d < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("markov_fit: %s must be finite and not negative", name),
				 errdetail("The value given for %s was %s.", name, float8out_internal(d))));
	{
		/* the shortest decimal that reads back as d, as float8out writes it */
		char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];
		int			len = double_to_shortest_decimal_buf(d, buf);

		status = mk_amount_from_decimal(buf, (size_t) len, &a);
	}
	if (status != MK_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("markov_fit: %s out of range", name),
				 errdetail("Counts and values up to about 3.4e20 are accepted.")));
	return a;
}

static int
order_argument(FunctionCallInfo fcinfo, int argno)
{
	int32		order;

	if (PG_NARGS() <= argno)
		return 1;
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("markov_fit: order must not be NULL")));
	order = PG_GETARG_INT32(argno);
	if (order > MK_MAX_ORDER)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("markov_fit: order %d is too high", order),
				 errdetail("Orders 1 to %d are supported.", MK_MAX_ORDER)));
	if (order < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("markov_fit: order must be at least 1"),
				 errdetail("The order was %d; orders 1 to %d are supported.", order, MK_MAX_ORDER)));
	return order;
}

/* The expanded state to update: arg 0 in place, or a new one (from a flat arg 0). */
static MarkovExpanded *
state_for_update(FunctionCallInfo fcinfo, MemoryContext aggcontext, int order)
{
	MarkovExpanded *mx;
	const void *body;

	if (PG_ARGISNULL(0))
		return new_expanded(aggcontext, order);
	mx = our_expanded(PG_GETARG_DATUM(0));
	if (mx != NULL)
		return mx;
	body = model_body(PG_GETARG_DATUM(0));
	mx = new_expanded(aggcontext, mk_body_order(body));
	expanded_add_model(mx, body);
	return mx;
}

/*
 * markov_fit(path, conversions, value, non_conversions [, order]) transition.
 * Not strict: a NULL path skips the row; NULL counts are errors (a silent
 * skip would change the model without saying so).
 */
PG_FUNCTION_INFO_V1(markov_fit_transfn);
Datum
markov_fit_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	MarkovExpanded *mx;
	int			order;
	mk_amount	conversions,
				value,
				non_conversions;
	const void *path;
	mk_error	err;
	mk_status	status;
	MemoryContext old;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "markov_fit_transfn called in non-aggregate context");
	order = order_argument(fcinfo, 5);
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	conversions = amount_argument(fcinfo, 2, "conversions");
	value = amount_argument(fcinfo, 3, "value");
	non_conversions = amount_argument(fcinfo, 4, "non_conversions");
	path = PG_GETARG_TOUCH_PATH_BODY(1);

	mx = state_for_update(fcinfo, aggcontext, order);
	if (mk_builder_order(mx->builder) != order)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("markov_fit: the order must be the same for every row of a group"),
				 errdetail("The group started with order %d and then had order %d.",
						   mk_builder_order(mx->builder), order)));
	err.status = MK_OK;			/* the core fills err in only on failure */
	err.detail[0] = '\0';
	old = MemoryContextSwitchTo(mx->hdr.eoh_context);
	mx->flat = NULL;
	status = mk_builder_add_path(mx->builder, path, conversions, value, non_conversions, &err);
	MemoryContextSwitchTo(old);
	check_mk(status, &err);
	PG_RETURN_DATUM(EOHPGetRWDatum(&mx->hdr));
}

/* Final function of markov_fit and markov_merge_agg: the canonical flat model. */
PG_FUNCTION_INFO_V1(markov_model_final);
Datum
markov_model_final(PG_FUNCTION_ARGS)
{
	struct varlena *v;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	v = PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
	PG_RETURN_POINTER(v);
}

/*
 * markov_merge(a, b): the model of the union of the data.  Not strict: a
 * NULL side is no data.  In an aggregate (markov_merge_agg, and as the
 * combine function of both aggregates) it adds b into a's expanded state.
 */
PG_FUNCTION_INFO_V1(markov_merge);
Datum
markov_merge(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	const void *b;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = model_body(PG_GETARG_DATUM(1));
	if (AggCheckCallContext(fcinfo, &aggcontext))
	{
		MarkovExpanded *mx = state_for_update(fcinfo, aggcontext, mk_body_order(b));

		expanded_add_model(mx, b);
		PG_RETURN_DATUM(EOHPGetRWDatum(&mx->hdr));
	}
	else
	{
		mk_builder *builder;
		mk_error	err;
		void	   *body;
		size_t		len;

		const void *a = PG_ARGISNULL(0) ? NULL : model_body(PG_GETARG_DATUM(0));

		memset(&err, 0, sizeof(err));
		/* the first model's order first, so that a mismatch names them in order */
		builder = mk_builder_new(mk_body_order(a ? a : b));
		if (builder == NULL)
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
		if (a)
			check_mk(mk_builder_add_model(builder, a, &err), &err);
		check_mk(mk_builder_add_model(builder, b, &err), &err);
		check_mk(mk_builder_finish(builder, &body, &len, &err), &err);
		mk_builder_free(builder);
		return model_datum(body, len);
	}
}

/* ---------------------------------------------------------------------------
 * markov_attribution
 */

PG_FUNCTION_INFO_V1(markov_attribution);
Datum
markov_attribution(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const void *body = model_body(PG_GETARG_DATUM(0));
	mk_channel_result *results;
	uint32		n;
	mk_error	err;

	memset(&err, 0, sizeof(err));
	check_mk(mk_attribute(body, &results, &n, &err), &err);
	InitMaterializedSRF(fcinfo, 0);
	for (uint32 i = 0; i < n; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		values[0] = PointerGetDatum(cstring_to_text(mops_from_utf8(results[i].label,
																   results[i].label_len)));
		values[1] = Float8GetDatum(results[i].removal_effect);
		values[2] = Float8GetDatum(results[i].conversions);
		values[3] = Float8GetDatum(results[i].value);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
