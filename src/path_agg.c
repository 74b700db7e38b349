/*
 * path_agg.c - path_agg(channel text, ts timestamptz) -> touch_path
 *
 * The state of a group is the list of its touches: (time, normalised label).
 * Labels are normalised once per distinct spelling per query: a cache in
 * fn_extra maps the raw bytes of a channel to its normalised form, and group
 * states point into it, so a touch costs 16 bytes of state and no ICU call
 * after the first occurrence of a spelling.  The final function sorts the
 * touches by (time, label bytes) and builds the path.
 */
#include "touch_path.h"

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "label.h"

/* How many distinct spellings the cache holds; more are normalised per row. */
#define LABEL_CACHE_MAX 4096

typedef struct PathTouch
{
	TimestampTz ts;
	const char *label;			/* normalised, UTF-8; in the cache or the aggregate context */
	uint32		len;
} PathTouch;

typedef struct PathAggState
{
	uint32		n;
	uint32		cap;
	PathTouch  *touches;
} PathAggState;

typedef struct LabelCacheEntry
{
	const char *raw;			/* NULL: free slot */
	uint32		raw_len;
	uint32		hash;
	const char *norm;
	uint32		norm_len;
} LabelCacheEntry;

typedef struct LabelCache
{
	MemoryContext cxt;			/* lives as long as the query (fn_mcxt) */
	uint32		nslots;			/* power of two, at least 2 * LABEL_CACHE_MAX */
	uint32		nused;
	LabelCacheEntry *slots;
} LabelCache;

static LabelCache *
label_cache(FunctionCallInfo fcinfo)
{
	LabelCache *cache = fcinfo->flinfo->fn_extra;

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(LabelCache));
		cache->cxt = fcinfo->flinfo->fn_mcxt;
		cache->nslots = 2 * LABEL_CACHE_MAX;
		cache->slots = MemoryContextAllocZero(cache->cxt, sizeof(LabelCacheEntry) * cache->nslots);
		fcinfo->flinfo->fn_extra = cache;
	}
	return cache;
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
 * The normalised UTF-8 form of raw (server-encoded) channel bytes: from the
 * cache, or normalised now and copied into the cache (or into fallback, once
 * the cache is full).  must_be_normal: raw must already be the normalised
 * form (deserialised states).
 */
static void
normalised_label(LabelCache *cache, MemoryContext fallback, const char *raw,
				 uint32 raw_len, bool must_be_normal, const char **norm, uint32 *norm_len)
{
	uint32		hash = hash_bytes((const unsigned char *) raw, (int) raw_len);
	uint32		i = hash & (cache->nslots - 1);
	size_t		utf8_len;
	char	   *utf8;
	char	   *normalised;
	size_t		normalised_len;
	label_status ls;
	MemoryContext cxt;
	char	   *copy;

	while (cache->slots[i].raw != NULL)
	{
		LabelCacheEntry *e = &cache->slots[i];

		if (e->hash == hash && e->raw_len == raw_len && memcmp(e->raw, raw, raw_len) == 0)
		{
			*norm = e->norm;
			*norm_len = e->norm_len;
			return;
		}
		i = (i + 1) & (cache->nslots - 1);
	}

	utf8 = must_be_normal ? pnstrdup(raw, raw_len) : mops_to_utf8(raw, raw_len, &utf8_len);
	if (must_be_normal)
		utf8_len = raw_len;
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

	cxt = cache->nused < LABEL_CACHE_MAX ? cache->cxt : fallback;
	copy = MemoryContextAlloc(cxt, normalised_len + 1);
	memcpy(copy, normalised, normalised_len);
	copy[normalised_len] = '\0';
	pfree(normalised);
	pfree(utf8);
	*norm = copy;
	*norm_len = (uint32) normalised_len;
	if (cxt == cache->cxt)
	{
		LabelCacheEntry *e = &cache->slots[i];

		e->raw = must_be_normal ? copy : MemoryContextStrdup(cache->cxt, pnstrdup(raw, raw_len));
		e->raw_len = raw_len;
		e->hash = hash;
		e->norm = copy;
		e->norm_len = *norm_len;
		cache->nused++;
	}
}

static PathAggState *
new_state(MemoryContext aggcontext)
{
	return MemoryContextAllocZero(aggcontext, sizeof(PathAggState));
}

static void
append_touch(MemoryContext aggcontext, PathAggState *state, TimestampTz ts,
			 const char *label, uint32 len)
{
	if (state->n == state->cap)
	{
		uint32		cap = state->cap ? state->cap * 2 : 8;

		if (state->n >= TP_MAX_TOUCHES)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("touch_path is too long"),
					 errdetail("A path holds at most %u touches.", TP_MAX_TOUCHES)));
		state->touches = state->touches
			? repalloc(state->touches, sizeof(PathTouch) * cap)
			: MemoryContextAlloc(aggcontext, sizeof(PathTouch) * cap);
		state->cap = cap;
	}
	state->touches[state->n].ts = ts;
	state->touches[state->n].label = label;
	state->touches[state->n].len = len;
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
	const char *label;
	uint32		len;

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
	normalised_label(label_cache(fcinfo), aggcontext, VARDATA_ANY(channel),
					 (uint32) VARSIZE_ANY_EXHDR(channel), false, &label, &len);
	if (state == NULL)
		state = new_state(aggcontext);
	append_touch(aggcontext, state, ts, label, len);
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
		a = new_state(aggcontext);
	for (uint32 i = 0; i < b->n; i++)
		append_touch(aggcontext, a, b->touches[i].ts, b->touches[i].label, b->touches[i].len);
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
		pq_sendint64(&buf, state->touches[i].ts);
		pq_sendint32(&buf, state->touches[i].len);
		pq_sendbytes(&buf, state->touches[i].label, (int) state->touches[i].len);
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
	MemoryContext aggcontext = agg_context(fcinfo, "path_agg_deserialfn");
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	const unsigned char *p = (const unsigned char *) VARDATA_ANY(bytes);
	size_t		size = VARSIZE_ANY_EXHDR(bytes);
	size_t		pos = 4;
	uint32		n;
	PathAggState *state = palloc0(sizeof(PathAggState));
	LabelCache *cache = label_cache(fcinfo);

	if (size < 4)
		corrupt_state("The state is shorter than its header.");
	memcpy(&n, p, 4);
	n = pg_ntoh32(n);
	if (n > TP_MAX_TOUCHES)
		corrupt_state("The state holds more touches than a path can.");
	if (n > 0)
	{
		state->touches = palloc(sizeof(PathTouch) * n);
		state->cap = n;
	}
	for (uint32 i = 0; i < n; i++)
	{
		uint64		ts;
		uint32		len;
		const char *label;
		uint32		label_len;

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
		normalised_label(cache, aggcontext, (const char *) p + pos, len, true, &label, &label_len);
		state->touches[i].ts = (TimestampTz) ts;
		state->touches[i].label = label;
		state->touches[i].len = label_len;
		pos += len;
	}
	if (pos != size)
		corrupt_state("The state has trailing bytes.");
	state->n = n;
	PG_RETURN_POINTER(state);
}

static int
compare_touches(const void *a, const void *b)
{
	const PathTouch *x = a;
	const PathTouch *y = b;
	int			c;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	c = memcmp(x->label, y->label, Min(x->len, y->len));
	if (c != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len ? 1 : 0;
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
	qsort(sorted, state->n, sizeof(PathTouch), compare_touches);

	memset(&err, 0, sizeof(err));
	b = tp_builder_new();
	if (b == NULL)
		mops_check_tp_status(TP_NO_MEMORY);
	for (uint32 i = 0; i < state->n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (tp_builder_add(b, sorted[i].label, sorted[i].len, true, sorted[i].ts, &err) != TP_OK)
			mops_report_tp_error(&err, "", NULL);
	}
	if (tp_builder_finish(b, &body, &len, &err) != TP_OK)
		mops_report_tp_error(&err, "", NULL);
	tp_builder_free(b);
	pfree(sorted);
	return mops_touch_path_datum(body, len);
}
