/*
 * budget.c - budget_pacing, budget_forecast, budget_accuracy and
 * path_prefixes (DESIGN §3.7): the PostgreSQL face of core/budget.c
 *
 * The arithmetic is numeric throughout (through numeric's fmgr functions).
 * The elapsed share of the period is kept as the exact fraction of whole
 * days num/den and folded into one numeric division at the end, so the
 * elapsed share is never rounded on its own.  Results have the precision of
 * numeric division (at least 16 significant digits), with trailing zeros
 * removed.
 */
#include "mops.h"

#include "core/budget.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/numeric.h"
#include "utils/rangetypes.h"

#define PERIOD_HINT \
	"Give the period as a daterange with two finite bounds and at least one day, e.g. daterange('2026-01-01', '2026-04-01') for the first quarter of 2026."

/* The bounds [lower, upper) of a daterange argument; 22023 unless finite and non-empty. */
static void
period_argument(FunctionCallInfo fcinfo, int argno, int32 *lower, int32 *upper)
{
	RangeType  *range = PG_GETARG_RANGE_P(argno);
	TypeCacheEntry *typcache = range_get_typcache(fcinfo, RangeTypeGetOid(range));
	RangeBound	lb,
				ub;
	bool		empty;

	range_deserialize(typcache, range, &lb, &ub, &empty);
	if (empty)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("budget period is empty"),
				 errhint(PERIOD_HINT)));
	if (lb.infinite || ub.infinite)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("budget period must have a lower and an upper bound"),
				 errhint(PERIOD_HINT)));
	if (DATE_NOT_FINITE(DatumGetDateADT(lb.val)) || DATE_NOT_FINITE(DatumGetDateADT(ub.val)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("budget period must have finite bounds"),
				 errdetail("A bound of the period is -infinity or infinity."),
				 errhint(PERIOD_HINT)));
	/* daterange is canonical: [lower, upper) */
	*lower = DatumGetDateADT(lb.val) + (lb.inclusive ? 0 : 1);
	*upper = DatumGetDateADT(ub.val) + (ub.inclusive ? 1 : 0);
}

/* num / den by numeric division, trailing zeros removed. */
static Datum
divide(Datum num, Datum den)
{
	return DirectFunctionCall1(numeric_trim_scale, DirectFunctionCall2(numeric_div, num, den));
}

static Datum
numeric_of(int64 v)
{
	return DirectFunctionCall1(int8_numeric, Int64GetDatum(v));
}

/* Sign of a numeric: -1, 0, 1 (NaN sorts above every number, so 1). */
static int
numeric_sign_of(Datum n)
{
	int			c = DatumGetInt32(DirectFunctionCall2(numeric_cmp, n, numeric_of(0)));

	return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/* NULL for a zero plan, 22023 for a negative one; true when planned is usable. */
static bool
planned_usable(Datum planned, const char *function)
{
	int			sign = numeric_sign_of(planned);

	if (sign < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: planned budget must not be negative", function),
				 errdetail("The planned budget was %s.",
						   DatumGetCString(DirectFunctionCall1(numeric_out, planned)))));
	return sign != 0;
}

/*
 * budget_pacing(spent, planned, period, as_of) = spent / (planned × elapsed)
 *   = spent × days / (planned × days elapsed); NULL while nothing has elapsed
 *   or when planned is 0.
 */
PG_FUNCTION_INFO_V1(budget_pacing);
Datum
budget_pacing(PG_FUNCTION_ARGS)
{
	Datum		spent = PG_GETARG_DATUM(0);
	Datum		planned = PG_GETARG_DATUM(1);
	DateADT		as_of = PG_GETARG_DATEADT(3);
	int32		lower,
				upper;
	int64		num,
				den;

	period_argument(fcinfo, 2, &lower, &upper);
	if (!planned_usable(planned, "budget_pacing"))
		PG_RETURN_NULL();
	bd_elapsed(lower, upper, as_of, &num, &den);
	if (num == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(divide(DirectFunctionCall2(numeric_mul, spent, numeric_of(den)),
						   DirectFunctionCall2(numeric_mul, planned, numeric_of(num))));
}

/*
 * budget_forecast(spent, period, as_of) = spent / elapsed = spent × days /
 * days elapsed: the spend at the end of the period at the current rate; NULL
 * while nothing has elapsed.
 */
PG_FUNCTION_INFO_V1(budget_forecast);
Datum
budget_forecast(PG_FUNCTION_ARGS)
{
	Datum		spent = PG_GETARG_DATUM(0);
	DateADT		as_of = PG_GETARG_DATEADT(2);
	int32		lower,
				upper;
	int64		num,
				den;

	period_argument(fcinfo, 1, &lower, &upper);
	bd_elapsed(lower, upper, as_of, &num, &den);
	if (num == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(divide(DirectFunctionCall2(numeric_mul, spent, numeric_of(den)),
						   numeric_of(num)));
}

/* budget_accuracy(planned, actual) = 1 − |actual − planned| / planned; NULL when planned is 0. */
PG_FUNCTION_INFO_V1(budget_accuracy);
Datum
budget_accuracy(PG_FUNCTION_ARGS)
{
	Datum		planned = PG_GETARG_DATUM(0);
	Datum		actual = PG_GETARG_DATUM(1);
	Datum		miss;

	if (!planned_usable(planned, "budget_accuracy"))
		PG_RETURN_NULL();
	miss = DirectFunctionCall1(numeric_abs, DirectFunctionCall2(numeric_sub, actual, planned));
	PG_RETURN_DATUM(DirectFunctionCall1(numeric_trim_scale,
										DirectFunctionCall2(numeric_sub, numeric_of(1),
															DirectFunctionCall2(numeric_div, miss, planned))));
}

/* ---------------------------------------------------------------------------
 * path_prefixes(text[]) → SETOF text[]
 */

typedef struct PrefixState
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
} PrefixState;

PG_FUNCTION_INFO_V1(path_prefixes);
Datum
path_prefixes(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	PrefixState *ps;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		ArrayType  *path;

		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		path = PG_GETARG_ARRAYTYPE_P_COPY(0);
		if (ARR_NDIM(path) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("path_prefixes takes a one-dimensional array"),
					 errdetail("The array has %d dimensions.", ARR_NDIM(path)),
					 errhint("Pass one path such as '{emea,paid_social,q1}'; unnest a list of paths first.")));
		ps = palloc0(sizeof(PrefixState));
		deconstruct_array(path, TEXTOID, -1, false, TYPALIGN_INT, &ps->elems, &ps->nulls, &ps->n);
		funcctx->user_fctx = ps;
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	ps = (PrefixState *) funcctx->user_fctx;
	if (funcctx->call_cntr < (uint64) ps->n)
	{
		int			dims[1] = {(int) funcctx->call_cntr + 1};
		int			lbs[1] = {1};

		SRF_RETURN_NEXT(funcctx, PointerGetDatum(construct_md_array(ps->elems, ps->nulls, 1, dims, lbs,
																	TEXTOID, -1, false, TYPALIGN_INT)));
	}
	SRF_RETURN_DONE(funcctx);
}
