/*
 * path_agg.c - path_agg(channel text, ts timestamptz) -> touch_path
 *
 * A group's state is the list of its touches as (time, label id): 16 bytes
 * a touch, the first PATH_AGG_INLINE of them inside the state itself, so a
 * typical customer costs one 128-byte allocation.  Label ids index a
 * dictionary of normalised labels shared by every group of the query (a
 * LabelDict in the function's fn_mcxt; the state points to it, because the
 * serial and final functions have FmgrInfos of their own).  Each distinct
 * spelling of a channel is normalised (ICU) once per query.  The final
 * function sorts the touches by (time, label bytes) and builds the path.
 */
#include "touch_path.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "core/strtab.h"
#include "label.h"

#define PATH_AGG_INLINE 6

/* Distinct raw spellings remembered; beyond that each row is normalised. */
#define RAW_CACHE_MAX 65536

typedef struct PathTouch
{
	TimestampTz ts;
	uint32		label;			/* id in the state's LabelDict */
} PathTouch;

typedef struct LabelDict
{
	MemoryContext cxt;			/* the query's: outlives every group state */
	strtab		labels;			/* normalised UTF-8 labels -> ids */
	/* raw spelling (server encoding) -> label id, open addressing */
	uint32		nslots;			/* power of two */
	uint32		nused;
	char	  **raw;			/* NULL: free slot */
	uint32	   *raw_len;
	uint32	   *raw_label;
} LabelDict;

typedef struct PathAggState
{
	LabelDict  *dict;
	uint32		n;
	uint32		cap;
	PathTouch  *touches;		/* inline_touches or a separate array */
	PathTouch	inline_touches[PATH_AGG_INLINE];
} PathAggState;

static LabelDict *
label_dict(FunctionCallInfo fcinfo)
{
	LabelDict  *dict = fcinfo->flinfo->fn_extra;

	if (dict == NULL)
	{
		MemoryContext cxt = fcinfo->flinfo->fn_mcxt;

		dict = MemoryContextAllocZero(cxt, sizeof(LabelDict));
		dict->cxt = cxt;
		dict->nslots = 64;
		dict->raw = MemoryContextAllocZero(cxt, sizeof(char *) * dict->nslots);
		dict->raw_len = MemoryContextAlloc(cxt, sizeof(uint32) * dict->nslots);
		dict->raw_label = MemoryContextAlloc(cxt, sizeof(uint32) * dict->nslots);
		fcinfo->flinfo->fn_extra = dict;
	}
	return dict;
}

static const char *
dict_label(const LabelDict *dict, uint32 id, size_t *len)
{
	return strtab_get(&dict->labels, id, len);
}

/* The id of a normalised UTF-8 label, added if new. */
static uint32
dict_intern(LabelDict *dict, const char *label, size_t len)
{
	MemoryContext old = MemoryContextSwitchTo(dict->cxt);
	uint32		id = strtab_intern(&dict->labels, label, len);

	MemoryContextSwitchTo(old);
	if (id == STRTAB_NO_MEMORY)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	return id;
}

static void
raw_grow(LabelDict *dict)
{
	uint32		nslots = dict->nslots * 2;
	char	  **raw = MemoryContextAllocZero(dict->cxt, sizeof(char *) * nslots);
	uint32	   *raw_len = MemoryContextAlloc(dict->cxt, sizeof(uint32) * nslots);
	uint32	   *raw_label = MemoryContextAlloc(dict->cxt, sizeof(uint32) * nslots);

	for (uint32 i = 0; i < dict->nslots; i++)
	{
		uint32		j;

		if (dict->raw[i] == NULL)
			continue;
		j = hash_bytes((const unsigned char *) dict->raw[i], (int) dict->raw_len[i]) & (nslots - 1);
		while (raw[j] != NULL)
			j = (j + 1) & (nslots - 1);
		raw[j] = dict->raw[i];
		raw_len[j] = dict->raw_len[i];
		raw_label[j] = dict->raw_label[i];
	}
	pfree(dict->raw);
	pfree(dict->raw_len);
	pfree(dict->raw_label);
	dict->raw = raw;
	dict->raw_len = raw_len;
	dict->raw_label = raw_label;
	dict->nslots = nslots;
}

static void
invalid_channel(const char *raw, uint32 raw_len, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid channel label \"%s\"", pnstrdup(raw, raw_len)),
			 errdetail("%s", detail),
			 errhint("Channel labels must be non-empty after normalisation and cannot contain \">\" or \"@\"; use NULL to skip a row.")));
}

/*
 * The label id of raw channel bytes: remembered per spelling, or normalised
 * now.  must_be_normal: the bytes come from a serialised state and must
 * already be a normalised UTF-8 label.
 */
static uint32
label_id(LabelDict *dict, const char *raw, uint32 raw_len, bool must_be_normal)
{
	uint32		i = hash_bytes((const unsigned char *) raw, (int) raw_len) & (dict->nslots - 1);
	size_t		utf8_len;
	char	   *utf8;
	char	   *normalised;
	size_t		normalised_len;
	label_status ls;
	uint32		id;

	while (dict->raw[i] != NULL)
	{
		if (dict->raw_len[i] == raw_len && memcmp(dict->raw[i], raw, raw_len) == 0)
			return dict->raw_label[i];
		i = (i + 1) & (dict->nslots - 1);
	}

	if (must_be_normal)
	{
		utf8 = pnstrdup(raw, raw_len);
		utf8_len = raw_len;
	}
	else
		utf8 = mops_to_utf8(raw, raw_len, &utf8_len);
	ls = label_normalize(utf8, utf8_len, &normalised, &normalised_len);
	if (ls != LABEL_OK)
		mops_report_label_error(ls, "text", pnstrdup(raw, raw_len), NULL);
	if (normalised_len == 0)
		invalid_channel(raw, raw_len, "The label is empty after normalisation.");
	if (memchr(normalised, '>', normalised_len) || memchr(normalised, '@', normalised_len))
		invalid_channel(raw, raw_len, "The label contains \">\" or \"@\".");
	if (must_be_normal && (normalised_len != raw_len || memcmp(normalised, raw, raw_len) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid path_agg state"),
				 errdetail("A label in the state is not in normalised form.")));
	id = dict_intern(dict, normalised, normalised_len);
	pfree(normalised);
	pfree(utf8);

	if (dict->nused < RAW_CACHE_MAX)
	{
		dict->raw[i] = MemoryContextAlloc(dict->cxt, raw_len + 1);
		memcpy(dict->raw[i], raw, raw_len);
		dict->raw_len[i] = raw_len;
		dict->raw_label[i] = id;
		if (++dict->nused * 2 > dict->nslots)
			raw_grow(dict);
	}
	return id;
}

static PathAggState *
new_state(MemoryContext cxt, LabelDict *dict)
{
	PathAggState *state = MemoryContextAlloc(cxt, sizeof(PathAggState));

	state->dict = dict;
	state->n = 0;
	state->cap = PATH_AGG_INLINE;
	state->touches = state->inline_touches;
	return state;
}

static void
too_long(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("touch_path is too long"),
			 errdetail("A path holds at most %u touches.", TP_MAX_TOUCHES)));
}

static void
append_touch(MemoryContext aggcontext, PathAggState *state, TimestampTz ts, uint32 label)
{
	if (state->n >= TP_MAX_TOUCHES)
		too_long();
	if (state->n == state->cap)
	{
		uint32		cap = state->cap * 2;
		PathTouch  *touches = MemoryContextAlloc(aggcontext, sizeof(PathTouch) * cap);

		memcpy(touches, state->touches, sizeof(PathTouch) * state->n);
		if (state->touches != state->inline_touches)
			pfree(state->touches);
		state->touches = touches;
		state->cap = cap;
	}
	state->touches[state->n].ts = ts;
	state->touches[state->n].label = label;
	state->n++;
}

static MemoryContext
agg_context(FunctionCallInfo fcinfo, const char *name)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "%s called in non-aggregate context", name);
	return aggcontext;
}

PG_FUNCTION_INFO_V1(path_agg_transfn);
Datum
path_agg_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = agg_context(fcinfo, "path_agg_transfn");
	PathAggState *state = PG_ARGISNULL(0) ? NULL : (PathAggState *) PG_GETARG_POINTER(0);
	text	   *channel;
	TimestampTz ts;
	LabelDict  *dict;

	/* NULL channels and NULL times are skipped */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	channel = PG_GETARG_TEXT_PP(1);
	ts = PG_GETARG_TIMESTAMPTZ(2);
	if (ts < TP_MIN_TIME || ts > TP_MAX_TIME)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("touch time out of range for path_agg"),
				 errdetail("Touch times must lie between 0001-01-01 and 9999-12-31 (UTC)%s.",
						   TIMESTAMP_NOT_FINITE(ts) ? "; infinity is not a time" : "")));
	dict = state ? state->dict : label_dict(fcinfo);
	if (state == NULL)
		state = new_state(aggcontext, dict);
	append_touch(aggcontext, state, ts,
				 label_id(dict, VARDATA_ANY(channel), (uint32) VARSIZE_ANY_EXHDR(channel), false));
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(path_agg_combinefn);
Datum
path_agg_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = agg_context(fcinfo, "path_agg_combinefn");
	PathAggState *a = PG_ARGISNULL(0) ? NULL : (PathAggState *) PG_GETARG_POINTER(0);
	PathAggState *b = PG_ARGISNULL(1) ? NULL : (PathAggState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	/* b may live in a per-tuple context (deserialised): copy its touches */
	if (a == NULL)
		a = new_state(aggcontext, b->dict);
	for (uint32 i = 0; i < b->n; i++)
	{
		uint32		label = b->touches[i].label;

		/* states of different dictionaries: carry the label over by its text */
		if (a->dict != b->dict)
		{
			size_t		len;
			const char *s = dict_label(b->dict, label, &len);

			label = dict_intern(a->dict, s, len);
		}
		append_touch(aggcontext, a, b->touches[i].ts, label);
	}
	PG_RETURN_POINTER(a);
}

/* Serialised: uint32 n, then per touch int64 time, uint32 length, label bytes. */
PG_FUNCTION_INFO_V1(path_agg_serialfn);
Datum
path_agg_serialfn(PG_FUNCTION_ARGS)
{
	PathAggState *state = (PathAggState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, state->n);
	for (uint32 i = 0; i < state->n; i++)
	{
		size_t		len;
		const char *label = dict_label(state->dict, state->touches[i].label, &len);

		pq_sendint64(&buf, state->touches[i].ts);
		pq_sendint32(&buf, (uint32) len);
		pq_sendbytes(&buf, label, (int) len);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
corrupt_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid path_agg state"),
			 errdetail("%s", detail)));
}

PG_FUNCTION_INFO_V1(path_agg_deserialfn);
Datum
path_agg_deserialfn(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(bytes);
	size_t		size = VARSIZE_ANY_EXHDR(bytes);
	size_t		pos = 4;
	uint32		n;
	PathAggState *state;

	(void) agg_context(fcinfo, "path_agg_deserialfn");
	state = new_state(CurrentMemoryContext, label_dict(fcinfo));
	if (size < 4)
		corrupt_state("The state is shorter than its header.");
	memcpy(&n, p, 4);
	n = pg_ntoh32(n);
	if (n > TP_MAX_TOUCHES)
		too_long();				/* as the serial plan would have said */
	if (n > (size - 4) / 12)
		corrupt_state("The touch count exceeds what the state can hold.");
	for (uint32 i = 0; i < n; i++)
	{
		uint64		ts;
		uint32		len;

		if (size - pos < 12)
			corrupt_state("The state ends in the middle of a touch.");
		memcpy(&ts, p + pos, 8);
		memcpy(&len, p + pos + 8, 4);
		ts = pg_ntoh64(ts);
		len = pg_ntoh32(len);
		pos += 12;
		if (len > size - pos)
			corrupt_state("The state ends in the middle of a touch.");
		if ((int64) ts < TP_MIN_TIME || (int64) ts > TP_MAX_TIME)
			corrupt_state("A touch time is out of range.");
		append_touch(CurrentMemoryContext, state, (TimestampTz) ts,
					 label_id(state->dict, (const char *) p + pos, len, true));
		pos += len;
	}
	if (pos != size)
		corrupt_state("The state has trailing bytes.");
	PG_RETURN_POINTER(state);
}

/* qsort_arg comparator: by time, then by label bytes */
static int
compare_touches(const void *a, const void *b, void *arg)
{
	const PathTouch *x = a;
	const PathTouch *y = b;
	const LabelDict *dict = arg;
	size_t		lx,
				ly;
	const char *sx;
	const char *sy;
	int			c;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->label == y->label)
		return 0;
	sx = dict_label(dict, x->label, &lx);
	sy = dict_label(dict, y->label, &ly);
	c = memcmp(sx, sy, Min(lx, ly));
	if (c != 0)
		return c;
	return lx < ly ? -1 : lx > ly ? 1 : 0;
}

PG_FUNCTION_INFO_V1(path_agg_finalfn);
Datum
path_agg_finalfn(PG_FUNCTION_ARGS)
{
	PathAggState *state;
	PathTouch  *sorted;
	tp_builder *b;
	tp_error	err;
	void	   *body;
	size_t		len;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (PathAggState *) PG_GETARG_POINTER(0);
	if (state->n == 0)
		PG_RETURN_NULL();

	/* sort a copy: the state must stay as it is (final functions may run again) */
	sorted = palloc(sizeof(PathTouch) * state->n);
	memcpy(sorted, state->touches, sizeof(PathTouch) * state->n);
	qsort_arg(sorted, state->n, sizeof(PathTouch), compare_touches, state->dict);

	memset(&err, 0, sizeof(err));
	b = tp_builder_new();
	if (b == NULL)
		mops_check_tp_status(TP_NO_MEMORY);
	for (uint32 i = 0; i < state->n; i++)
	{
		size_t		label_len;
		const char *label = dict_label(state->dict, sorted[i].label, &label_len);

		if ((i & 1023) == 1023)
			CHECK_FOR_INTERRUPTS();
		if (tp_builder_add(b, label, label_len, true, sorted[i].ts, &err) != TP_OK)
			mops_report_tp_error(&err, "", NULL);
	}
	if (tp_builder_finish(b, &body, &len, &err) != TP_OK)
		mops_report_tp_error(&err, "", NULL);
	tp_builder_free(b);
	pfree(sorted);
	return mops_touch_path_datum(body, len);
}
