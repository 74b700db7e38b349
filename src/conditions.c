/*
 * conditions.c - the VARIADIC boolean[] argument of window_funnel and
 * retention, read into a bit mask
 *
 * PostgreSQL builds the array afresh for every row, so this is on the hot
 * path of both aggregates.
 */
#include "conditions.h"

#include "catalog/pg_type.h"

void
check_condition_count(int n, int max, const ConditionNames *names)
{
	if (n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs at least one %s", names->function, names->one)));
	if (n > max)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s supports at most %d %s, %d were given",
						names->function, max, names->plural, n)));
}

uint64
conditions_mask(ArrayType *conditions, int max, const ConditionNames *names, int *n)
{
	const bool *values;
	const bits8 *nulls;
	uint64		mask = 0;
	int			count;

	Assert(max <= 64);
	if (ARR_ELEMTYPE(conditions) != BOOLOID || ARR_NDIM(conditions) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s must be a one-dimensional boolean array",
						names->function, names->plural)));
	count = ARR_NDIM(conditions) == 0 ? 0 : ARR_DIMS(conditions)[0];
	check_condition_count(count, max, names);
	*n = count;

	values = (const bool *) MOPS_ARR_DATA_PTR(conditions);
	nulls = ARR_NULLBITMAP(conditions);
	if (nulls == NULL)
	{
		/* eight bools (0 or 1 bytes) at a time into eight bits */
		for (int i = 0; i < count; i += 8)
		{
			uint64		bytes = 0;

			memcpy(&bytes, values + i, Min(8, count - i));
			bytes &= UINT64CONST(0x0101010101010101);
			mask |= ((bytes * UINT64CONST(0x0102040810204080)) >> 56) << i;
		}
	}
	else
	{
		/* the data holds only the non-null elements */
		int			k = 0;

		for (int i = 0; i < count; i++)
			if ((nulls[i / 8] & (1 << (i % 8))) && values[k++])
				mask |= (uint64) 1 << i;
	}
	return mask;
}

uint64
conditions_mask_args(FunctionCallInfo fcinfo, int first, int max,
					 const ConditionNames *names, int *n)
{
	int			count = PG_NARGS() - first;
	uint64		mask = 0;

	Assert(max <= 64);
	check_condition_count(count, max, names);
	*n = count;
	for (int i = 0; i < count; i++)
	{
		NullableDatum arg = fcinfo->args[first + i];

		if (!arg.isnull && DatumGetBool(arg.value))
			mask |= UINT64CONST(1) << i;
	}
	return mask;
}
