/*
 * attribution.c - attribute(path, model, value, conversion_at, half_life):
 * the PostgreSQL face of core/attribution.c
 */
#include "touch_path.h"

#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"

#include "core/attribution.h"
#include "core/core_alloc.h"

static void
null_argument(const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("attribute: %s must not be NULL", name)));
}

static attr_model
model_argument(text *model_text)
{
	attr_model	model;

	if (!attr_parse_model(VARDATA_ANY(model_text), VARSIZE_ANY_EXHDR(model_text), &model))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown attribution model \"%s\"", text_to_cstring(model_text)),
				 errdetail("The models are " ATTR_MODEL_NAMES ".")));
	return model;
}

/* The value as numeric_out writes it; errors for NaN, infinity and negatives. */
static char *
value_argument(Numeric value)
{
	char	   *s;

	if (numeric_is_nan(value) || numeric_is_inf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribute: value must be a finite number"),
				 errdetail("The value was %s.", numeric_is_nan(value) ? "NaN" : "infinite")));
	s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(value)));
	if (s[0] == '-')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribute: value must not be negative"),
				 errdetail("The value was %s; credits are shares of a conversion value of zero or more.", s)));
	return s;
}

/* half_life as microseconds, months counting 30 days and days 24 hours. */
static int64
half_life_argument(Interval *half_life)
{
	int64		usecs;
	int64		days;

	if (pg_mul_s64_overflow((int64) half_life->month, DAYS_PER_MONTH, &days) ||
		pg_add_s64_overflow(days, half_life->day, &days) ||
		pg_mul_s64_overflow(days, USECS_PER_DAY, &usecs) ||
		pg_add_s64_overflow(usecs, half_life->time, &usecs))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("attribute: half_life out of range")));
	if (usecs <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribute: half_life must be positive"),
				 errdetail("The half-life was %s.",
						   DatumGetCString(DirectFunctionCall1(interval_out, PointerGetDatum(half_life))))));
	return usecs;
}

static Numeric
numeric_from_cstring(const char *s)
{
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(s),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

/* units / 10^scale, trailing fractional zeros dropped */
static Numeric
numeric_from_scaled(int64 units, int scale)
{
	while (scale > 0 && units % 10 == 0)
	{
		units /= 10;
		scale--;
	}
	return int64_div_fast_to_numeric(units, scale);
}

static Numeric
numeric_from_uint64(uint64 v)
{
	char		buf[24];

	snprintf(buf, sizeof(buf), UINT64_FORMAT, v);
	return numeric_from_cstring(buf);
}

/*
 * The same cumulative rounding as attr_credits, in numeric arithmetic, for
 * values too large for 128 bits: cum_i = trunc((2 X c_i + W) / 2W) with
 * X = value * 10^S.
 */
static char **
credits_in_numeric(const char *value, const uint64 *weights, uint32 n, uint64 total, int scale)
{
	char	  **credits = palloc(sizeof(char *) * (n + 1));
	char	   *ten_to_scale = psprintf("1e%d", scale);
	Numeric		x = numeric_mul_opt_error(numeric_from_cstring(value),
										  numeric_from_cstring(ten_to_scale), NULL);
	Numeric		two = numeric_from_uint64(2);
	Numeric		w = numeric_from_uint64(total);
	Numeric		two_w = numeric_mul_opt_error(two, w, NULL);
	Numeric		prev = numeric_from_uint64(0);
	uint64		cumulative = 0;

	for (uint32 i = 0; i < n; i++)
	{
		Numeric		num;
		Numeric		cum;
		char	   *digits;

		cumulative += weights[i];
		num = numeric_mul_opt_error(x, numeric_from_uint64(cumulative), NULL);
		num = numeric_add_opt_error(numeric_mul_opt_error(num, two, NULL), w, NULL);
		cum = DatumGetNumeric(DirectFunctionCall2(numeric_div_trunc, NumericGetDatum(num),
												  NumericGetDatum(two_w)));
		digits = DatumGetCString(DirectFunctionCall1(numeric_out,
													 NumericGetDatum(numeric_sub_opt_error(cum, prev, NULL))));
		credits[i] = attr_place_point(digits, scale);
		prev = cum;
	}
	return credits;
}

static void
report_attr_error(attr_status status)
{
	switch (status)
	{
		case ATTR_OK:
		case ATTR_OVERFLOW:
			return;
		case ATTR_NEEDS_TIMES:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the time_decay model needs a time on every touch"),
					 errdetail("The path has touches without a time."),
					 errhint("Build paths with path_agg(channel, ts) or write times as channel@2026-01-01 10:00:00+00.")));
			break;
		case ATTR_AFTER_CONVERSION:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a touch is later than conversion_at"),
					 errdetail("time_decay credits touches before the conversion."),
					 errhint("Use path_within(path, conversion_at, lookback) to keep the touches before the conversion.")));
			break;
		case ATTR_BAD_HALF_LIFE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("attribute: half_life must be positive")));
			break;
		case ATTR_BAD_VALUE:
			elog(ERROR, "attribute: unexpected numeric text");
			break;
		case ATTR_NO_MEMORY:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
			break;
	}
}

/*
 * attribute(path touch_path, model text, value numeric DEFAULT 1,
 *           conversion_at timestamptz DEFAULT NULL, half_life interval DEFAULT '7 days')
 *   -> TABLE(touch integer, channel text, credit numeric)
 *
 * Not strict: a NULL path gives no rows, a NULL model, value or half_life is
 * an error (22004), a NULL conversion_at means the last touch.
 */
PG_FUNCTION_INFO_V1(attribute);
Datum
attribute(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	attr_model	model;
	char	   *value;
	int64		conversion_at;
	int64		half_life;
	tp_view		view;
	uint64	   *weights;
	uint64		total;
	char	  **credits;
	int64	   *scaled;
	int			scale;
	text	  **channel_texts;
	attr_status status;

	if (PG_ARGISNULL(1))
		null_argument("model");
	if (PG_ARGISNULL(2))
		null_argument("value");
	model = model_argument(PG_GETARG_TEXT_PP(1));
	value = value_argument(PG_GETARG_NUMERIC(2));
	/* only time_decay has a half-life: the other models ignore the argument */
	half_life = 0;
	if (model == ATTR_TIME_DECAY)
	{
		if (PG_ARGISNULL(4))
			null_argument("half_life");
		half_life = half_life_argument(PG_GETARG_INTERVAL_P(4));
	}
	conversion_at = PG_ARGISNULL(3) ? TP_NO_TIME : PG_GETARG_TIMESTAMPTZ(3);
	if (!PG_ARGISNULL(3) && TIMESTAMP_NOT_FINITE(conversion_at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("attribute: conversion_at must be finite")));

	/* the expected descriptor saves building one from pg_proc on every call */
	InitMaterializedSRF(fcinfo, rsinfo && rsinfo->expectedDesc ? MAT_SRF_USE_EXPECTED_DESC : 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	tp_view_init(&view, PG_GETARG_TOUCH_PATH_BODY(0));
	if (view.ntouches == 0)
		return (Datum) 0;

	weights = palloc(sizeof(uint64) * view.ntouches);
	status = attr_weights(model, &view, conversion_at, half_life, weights, &total);
	report_attr_error(status);

	/* fast: 63-bit credits; else decimal strings in 128 bits; else numeric */
	scaled = palloc(sizeof(int64) * view.ntouches);
	status = attr_credits_scaled(value, weights, view.ntouches, total, scaled, &scale);
	if (status == ATTR_OK)
		credits = NULL;
	else
	{
		report_attr_error(status);
		scaled = NULL;
		credits = palloc(sizeof(char *) * view.ntouches);
		status = attr_credits(value, weights, view.ntouches, total, credits, &scale);
		if (status == ATTR_OVERFLOW)
			credits = credits_in_numeric(value, weights, view.ntouches, total, scale);
		else
			report_attr_error(status);
	}

	channel_texts = palloc0(sizeof(text *) * view.nchannels);
	for (uint32 t = 0; t < view.ntouches; t++)
	{
		uint32		channel = tp_view_channel(&view, t);
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		if (channel_texts[channel] == NULL)
			channel_texts[channel] = mops_tp_label_text(&view, channel);
		values[0] = Int32GetDatum((int32) (t + 1));
		values[1] = PointerGetDatum(channel_texts[channel]);
		values[2] = NumericGetDatum(credits ? numeric_from_cstring(credits[t])
									: numeric_from_scaled(scaled[t], scale));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
