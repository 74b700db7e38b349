/*
 * funnel_stage.c - the funnel_stage type: the PostgreSQL face of
 * core/funnel_stage.c
 *
 * Built-in models live in the core.  Custom models live in the table
 * mops.funnel_model (kept by pg_dump) and are cached per backend: the cache
 * is dropped whenever the table's relcache entry is invalidated, which the
 * table's statement trigger (funnel_model_changed) forces on every change,
 * and it is reloaded once when a name or id is not found, so a model
 * defined by another session since the cache was filled is always seen.
 */
#include "funnel_stage.h"

#include "label.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

/* Binary format version written by funnel_stage_send */
#define FUNNEL_STAGE_BINARY_VERSION 1

/* Longest stage list shown in a hint */
#define HINT_MAX_NAMES 50

/* ---------------------------------------------------------------------
 * Custom model cache
 * ---------------------------------------------------------------------
 */
static MemoryContext custom_context = NULL;
static fs_model *custom_models = NULL;
static int	custom_count = 0;
static bool custom_valid = false;
static Oid	custom_relid = InvalidOid;
static bool custom_callback_registered = false;

static void
custom_models_invalidate(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == custom_relid)
		custom_valid = false;
}

static Oid
funnel_model_relid(void)
{
	Oid			namespace_oid = get_namespace_oid("mops", true);

	if (!OidIsValid(namespace_oid))
		return InvalidOid;
	return get_relname_relid("funnel_model", namespace_oid);
}

/* Copy one row of mops.funnel_model into the cache (UTF-8 names). */
static void
cache_model_row(HeapTuple row, TupleDesc desc, fs_model *model)
{
	bool		isnull;
	Datum		id = SPI_getbinval(row, desc, 1, &isnull);
	Datum		name = SPI_getbinval(row, desc, 2, &isnull);
	Datum		stages_datum = SPI_getbinval(row, desc, 3, &isnull);
	ArrayType  *stages = DatumGetArrayTypeP(stages_datum);
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	const char **names;
	size_t		len;
	char	   *utf8;

	deconstruct_array(stages, TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &nelems);
	names = MemoryContextAllocZero(custom_context, Max(nelems, 1) * sizeof(char *));
	for (int i = 0; i < nelems; i++)
	{
		/* the table's trigger forbids NULL stages; be safe anyway */
		text	   *t = nulls[i] ? cstring_to_text("") : DatumGetTextPP(elems[i]);

		utf8 = mops_to_utf8(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &len);
		names[i] = MemoryContextStrdup(custom_context, utf8);
	}
	utf8 = mops_to_utf8(VARDATA_ANY(DatumGetTextPP(name)),
						VARSIZE_ANY_EXHDR(DatumGetTextPP(name)), &len);

	model->id = DatumGetInt32(id);
	model->name = MemoryContextStrdup(custom_context, utf8);
	model->nstages = Min(nelems, FS_MAX_STAGES);
	model->stages = names;
}

static void
load_custom_models(void)
{
	bool		pushed_snapshot = false;
	Oid			relid;
	int			ret;

	if (!custom_callback_registered)
	{
		CacheRegisterRelcacheCallback(custom_models_invalidate, (Datum) 0);
		custom_callback_registered = true;
	}
	if (custom_context == NULL)
		custom_context = AllocSetContextCreate(CacheMemoryContext,
											   "mops funnel models",
											   ALLOCSET_SMALL_SIZES);
	MemoryContextReset(custom_context);
	custom_models = NULL;
	custom_count = 0;
	custom_valid = false;

	/* Outside a transaction, or before the extension's table exists: none. */
	if (!IsTransactionState())
		return;
	relid = funnel_model_relid();
	if (!OidIsValid(relid))
		return;

	if (!ActiveSnapshotSet())
	{
		PushActiveSnapshot(GetTransactionSnapshot());
		pushed_snapshot = true;
	}
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	ret = SPI_execute("SELECT model_id, model, stages FROM mops.funnel_model "
					  "WHERE model_id OPERATOR(pg_catalog.>=) 100 "
					  "AND model_id OPERATOR(pg_catalog.<=) 32767 "
					  "ORDER BY model_id", true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "could not read mops.funnel_model: SPI_execute returned %d", ret);

	if (SPI_processed > 0)
	{
		fs_model   *models = MemoryContextAllocZero(custom_context,
													SPI_processed * sizeof(fs_model));

		for (uint64 i = 0; i < SPI_processed; i++)
			cache_model_row(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, &models[i]);
		custom_models = models;
		custom_count = (int) SPI_processed;
	}
	SPI_finish();
	if (pushed_snapshot)
		PopActiveSnapshot();

	custom_relid = relid;
	custom_valid = true;
}

/* Make sure the cache is loaded; returns true if this call loaded it. */
static bool
ensure_custom_models(void)
{
	if (custom_valid)
		return false;
	load_custom_models();
	return true;
}

static const fs_model *
custom_model_by_id(int model_id)
{
	for (int i = 0; i < custom_count; i++)
		if (custom_models[i].id == model_id)
			return &custom_models[i];
	return NULL;
}

const fs_model *
funnel_model_by_id(int model_id)
{
	const fs_model *model = fs_builtin_by_id(model_id);
	bool		fresh;

	if (model != NULL || model_id < FS_FIRST_CUSTOM_MODEL_ID)
		return model;
	fresh = ensure_custom_models();
	model = custom_model_by_id(model_id);
	if (model == NULL && !fresh)
	{
		load_custom_models();
		model = custom_model_by_id(model_id);
	}
	return model;
}

/*
 * Resolve normalised UTF-8 names to a value, reloading the custom models
 * once if the answer might be stale (unknown model, or a custom model that
 * may have gained stages).
 */
static fs_status
resolve_stage(const char *model, const char *stage, uint32 *value,
			  const fs_model **found)
{
	bool		fresh = ensure_custom_models();
	fs_status	status = fs_resolve(custom_models, custom_count, model, stage,
									value, found);

	if (!fresh &&
		(status == FS_UNKNOWN_MODEL ||
		 (status == FS_UNKNOWN_STAGE && (*found)->id >= FS_FIRST_CUSTOM_MODEL_ID)))
	{
		load_custom_models();
		status = fs_resolve(custom_models, custom_count, model, stage, value, found);
	}
	return status;
}

static const fs_model *
custom_model_by_name(const char *name)
{
	for (int i = 0; i < custom_count; i++)
		if (strcmp(custom_models[i].name, name) == 0)
			return &custom_models[i];
	return NULL;
}

/* Model by normalised UTF-8 name, built-in or custom; NULL if none. */
static const fs_model *
model_by_name(const char *name)
{
	const fs_model *model = fs_builtin_by_name(name);
	bool		fresh;

	if (model != NULL)
		return model;
	fresh = ensure_custom_models();
	model = custom_model_by_name(name);
	if (model == NULL && !fresh)
	{
		load_custom_models();
		model = custom_model_by_name(name);
	}
	return model;
}

/* ---------------------------------------------------------------------
 * Error messages
 * ---------------------------------------------------------------------
 */

/* "a, b, c" from UTF-8 names, in the server encoding, at most HINT_MAX_NAMES */
static void
append_name_list(StringInfo buf, const char *const *names, int count)
{
	for (int i = 0; i < count && i < HINT_MAX_NAMES; i++)
	{
		if (i > 0)
			appendStringInfoString(buf, ", ");
		appendStringInfoString(buf, mops_from_utf8(names[i], strlen(names[i])));
	}
	if (count > HINT_MAX_NAMES)
		appendStringInfo(buf, " and %d more", count - HINT_MAX_NAMES);
}

/* "Known funnel models are: aida, lifecycle, …." */
static char *
known_models_hint(void)
{
	StringInfoData buf;
	int			nbuiltin;
	const fs_model *builtin = fs_builtin_models(&nbuiltin);
	const char **names;
	int			count = 0;

	ensure_custom_models();
	names = palloc((nbuiltin + custom_count) * sizeof(char *));
	for (int i = 0; i < nbuiltin; i++)
		names[count++] = builtin[i].name;
	for (int i = 0; i < custom_count; i++)
		names[count++] = custom_models[i].name;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "Known funnel models are: ");
	append_name_list(&buf, names, count);
	appendStringInfoString(&buf, ". New models are added with mops.define_funnel().");
	return buf.data;
}

static char *
model_stages_hint(const fs_model *model)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "The stages of %s are, in order: ",
					 mops_from_utf8(model->name, strlen(model->name)));
	append_name_list(&buf, model->stages, model->nstages);
	appendStringInfoChar(&buf, '.');
	return buf.data;
}

#define SYNTAX_ERROR(input) \
	errcode(ERRCODE_INVALID_TEXT_REPRESENTATION), \
	errmsg("invalid input syntax for type funnel_stage: \"%s\"", input)

static void
report_parse_error(fs_status status, const char *input, const char *model,
				   const char *stage, const fs_model *found, Node *escontext)
{
	switch (status)
	{
		case FS_OK:
		case FS_LABEL_ERROR:	/* reported by the caller */
			return;
		case FS_NO_SEPARATOR:
			mops_errsave(escontext, SYNTAX_ERROR(input),
						 errdetail("A funnel stage is written model:stage, for example lifecycle:mql."),
						 errhint("%s", known_models_hint()));
			return;
		case FS_EXTRA_SEPARATOR:
			mops_errsave(escontext, SYNTAX_ERROR(input),
						 errdetail("A funnel stage has exactly one colon, between the model and the stage."));
			return;
		case FS_EMPTY_MODEL:
			mops_errsave(escontext, SYNTAX_ERROR(input),
						 errdetail("The model name before the colon is empty."),
						 errhint("%s", known_models_hint()));
			return;
		case FS_EMPTY_STAGE:
			mops_errsave(escontext, SYNTAX_ERROR(input),
						 errdetail("The stage name after the colon is empty."),
						 errhint("%s", model_stages_hint(found)));
			return;
		case FS_NAME_TOO_LONG:
			/* found is set when the model was fine and the stage too long */
			mops_errsave(escontext, SYNTAX_ERROR(input),
						 errdetail("Model and stage names are at most %d bytes long.",
								   FS_MAX_NAME_BYTES),
						 errhint("%s", found ? model_stages_hint(found) : known_models_hint()));
			return;
		case FS_UNKNOWN_MODEL:
			mops_errsave(escontext, SYNTAX_ERROR(input),
						 errdetail("Funnel model \"%s\" does not exist.",
								   mops_from_utf8(model, strlen(model))),
						 errhint("%s", known_models_hint()));
			return;
		case FS_UNKNOWN_STAGE:
			mops_errsave(escontext, SYNTAX_ERROR(input),
						 errdetail("Funnel model \"%s\" has no stage \"%s\".",
								   mops_from_utf8(model, strlen(model)),
								   mops_from_utf8(stage, strlen(stage))),
						 errhint("%s", model_stages_hint(found)));
			return;
	}
}

/*
 * Parse server-encoded "model:stage" text.  Returns false (after a soft
 * error on 16+) if it is not a valid stage.
 */
static bool
parse_funnel_stage(const char *input, uint32 *value, Node *escontext)
{
	size_t		len;
	char	   *utf8 = mops_to_utf8(input, strlen(input), &len);
	char	   *model;
	char	   *stage;
	label_status label_error;
	const fs_model *found = NULL;
	fs_status	status = fs_split(utf8, len, &model, &stage, &label_error);

	if (status == FS_LABEL_ERROR)
	{
		mops_report_label_error(label_error, "funnel_stage", input, escontext);
		return false;
	}
	if (status == FS_OK)
		status = resolve_stage(model, stage, value, &found);
	if (status != FS_OK)
	{
		report_parse_error(status, input, model, stage, found, escontext);
		return false;
	}
	return true;
}

/* The model of a stored value; a value whose model was deleted is an error. */
static const fs_model *
model_of_value(uint32 value)
{
	int			model_id = fs_value_model_id(value);
	const fs_model *model = funnel_model_by_id(model_id);

	if (model == NULL || fs_value_position(value) < 1 ||
		fs_value_position(value) > model->nstages)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("funnel stage %d of funnel model %d does not exist",
						fs_value_position(value), model_id),
				 errdetail("The value was stored while a model with that id was defined in mops.funnel_model."),
				 errhint("Restore the model's row in mops.funnel_model.")));
	return model;
}

/* ---------------------------------------------------------------------
 * I/O
 * ---------------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(funnel_stage_in);
Datum
funnel_stage_in(PG_FUNCTION_ARGS)
{
	char	   *input = PG_GETARG_CSTRING(0);
	uint32		value;

	if (!parse_funnel_stage(input, &value, MOPS_ESCONTEXT(fcinfo)))
		PG_RETURN_NULL();
	PG_RETURN_FUNNEL_STAGE(value);
}

static char *
format_value(uint32 value)
{
	const fs_model *model = model_of_value(value);
	char	   *formatted = fs_format(model, fs_value_position(value));

	return mops_from_utf8(formatted, strlen(formatted));
}

PG_FUNCTION_INFO_V1(funnel_stage_out);
Datum
funnel_stage_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(format_value(PG_GETARG_FUNNEL_STAGE(0)));
}

/*
 * Binary form: a version byte, then the model and stage names as strings.
 * Names rather than the internal ids, so that a value moves between
 * databases whose custom models were defined in a different order.
 */
PG_FUNCTION_INFO_V1(funnel_stage_send);
Datum
funnel_stage_send(PG_FUNCTION_ARGS)
{
	uint32		value = PG_GETARG_FUNNEL_STAGE(0);
	const fs_model *model = model_of_value(value);
	const char *stage = model->stages[fs_value_position(value) - 1];
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, FUNNEL_STAGE_BINARY_VERSION);
	pq_sendstring(&buf, mops_from_utf8(model->name, strlen(model->name)));
	pq_sendstring(&buf, mops_from_utf8(stage, strlen(stage)));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(funnel_stage_recv);
Datum
funnel_stage_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	const char *model;
	const char *stage;
	uint32		value;

	if (version != FUNNEL_STAGE_BINARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type funnel_stage", version),
				 errdetail("This version of mops reads version %d.", FUNNEL_STAGE_BINARY_VERSION)));
	model = pq_getmsgstring(buf);
	stage = pq_getmsgstring(buf);
	/* the same checks as text input, on the same text */
	(void) parse_funnel_stage(psprintf("%s:%s", model, stage), &value, NULL);
	PG_RETURN_FUNNEL_STAGE(value);
}

/* ---------------------------------------------------------------------
 * Ordering and hashing
 * ---------------------------------------------------------------------
 */
MOPS_DEFINE_COMPARISONS(funnel_stage, PG_GETARG_FUNNEL_STAGE);

PG_FUNCTION_INFO_V1(funnel_stage_hash);
Datum
funnel_stage_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32(PG_GETARG_FUNNEL_STAGE(0));
}

PG_FUNCTION_INFO_V1(funnel_stage_hash_extended);
Datum
funnel_stage_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended(PG_GETARG_FUNNEL_STAGE(0), PG_GETARG_INT64(1));
}

/* ---------------------------------------------------------------------
 * Accessors
 * ---------------------------------------------------------------------
 */
PG_FUNCTION_INFO_V1(funnel_stage_model);
Datum
funnel_stage_model(PG_FUNCTION_ARGS)
{
	const fs_model *model = model_of_value(PG_GETARG_FUNNEL_STAGE(0));

	PG_RETURN_TEXT_P(cstring_to_text(mops_from_utf8(model->name, strlen(model->name))));
}

PG_FUNCTION_INFO_V1(funnel_stage_position);
Datum
funnel_stage_position(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(fs_value_position(PG_GETARG_FUNNEL_STAGE(0)));
}

PG_FUNCTION_INFO_V1(funnel_stage_next);
Datum
funnel_stage_next(PG_FUNCTION_ARGS)
{
	uint32		value = PG_GETARG_FUNNEL_STAGE(0);
	const fs_model *model = model_of_value(value);
	int			position = fs_value_position(value);

	if (position >= model->nstages)
		PG_RETURN_NULL();
	PG_RETURN_FUNNEL_STAGE(fs_encode(model->id, position + 1));
}

PG_FUNCTION_INFO_V1(funnel_stage_distance);
Datum
funnel_stage_distance(PG_FUNCTION_ARGS)
{
	uint32		from = PG_GETARG_FUNNEL_STAGE(0);
	uint32		to = PG_GETARG_FUNNEL_STAGE(1);

	if (fs_value_model_id(from) != fs_value_model_id(to))
	{
		char	   *from_model = pstrdup(model_of_value(from)->name);
		const char *to_model = model_of_value(to)->name;

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot measure the distance between stages of different funnel models"),
				 errdetail("The first stage belongs to model \"%s\", the second to \"%s\".",
						   mops_from_utf8(from_model, strlen(from_model)),
						   mops_from_utf8(to_model, strlen(to_model)))));
	}
	PG_RETURN_INT32(fs_value_position(to) - fs_value_position(from));
}

/* The model named by a text argument; unknown names are an error. */
static const fs_model *
model_argument(text *name)
{
	char	   *normalised = mops_normalize_label(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
	size_t		len;
	const fs_model *model = model_by_name(mops_to_utf8(normalised, strlen(normalised), &len));

	if (model == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel model \"%s\" does not exist", normalised),
				 errhint("%s", known_models_hint())));
	return model;
}

PG_FUNCTION_INFO_V1(funnel_stage_count);
Datum
funnel_stage_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(model_argument(PG_GETARG_TEXT_PP(0))->nstages);
}

/* funnel_stages(model) -> SETOF funnel_stage, in order */
PG_FUNCTION_INFO_V1(funnel_stages);
Datum
funnel_stages(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	uint32		first;

	if (SRF_IS_FIRSTCALL())
	{
		const fs_model *model;

		funcctx = SRF_FIRSTCALL_INIT();
		model = model_argument(PG_GETARG_TEXT_PP(0));
		funcctx->max_calls = model->nstages;
		/* the model's id, kept as the first value: the cache may be reloaded */
		funcctx->user_fctx = (void *) (uintptr_t) fs_encode(model->id, 1);
	}
	funcctx = SRF_PERCALL_SETUP();
	first = (uint32) (uintptr_t) funcctx->user_fctx;
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		/* computed first: SRF_RETURN_NEXT advances call_cntr before using it */
		Datum		next = FunnelStageGetDatum(first + (uint32) funcctx->call_cntr);

		SRF_RETURN_NEXT(funcctx, next);
	}
	SRF_RETURN_DONE(funcctx);
}

/*
 * Statement trigger on mops.funnel_model: drop every backend's cache of
 * custom models (sent at commit; applied at once in this backend).
 */
PG_FUNCTION_INFO_V1(funnel_model_changed);
Datum
funnel_model_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("funnel_model_changed() must be called as a trigger")));
	CacheInvalidateRelcache(trigdata->tg_relation);
	PG_RETURN_POINTER(NULL);
}
