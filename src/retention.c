/*
 * retention.c - the retention aggregate (ClickHouse retention semantics)
 *
 * retention(c1, c2, ..., cn) over a group is [r1, r2, ..., rn] with
 * r1 = "some row satisfies c1" and rk = r1 AND "some row satisfies ck".
 * Row order does not matter.
 *
 * The state is a bit varying of n bits, bit k set when some row satisfied
 * c(k+1): a real type (text and binary I/O), so that Citus can combine
 * partial states from many workers, and combining is a bitwise OR.
 */
#include "mops.h"

#include "conditions.h"

#include "catalog/pg_type.h"
#include "port/pg_bitutils.h"
#include "utils/array.h"
#include "utils/varbit.h"

#define RETENTION_MAX_CONDITIONS 64

static const ConditionNames condition_names = {"retention", "conditions", "condition"};

static VarBit *
new_state(MemoryContext context, int nbits)
{
	int			size = VARBITTOTALLEN(nbits);
	VarBit	   *state = MemoryContextAllocZero(context, size);

	SET_VARSIZE(state, size);
	VARBITLEN(state) = nbits;
	return state;
}

static void
set_bit(VarBit *state, int i)
{
	/* bit strings are stored most significant bit first */
	VARBITS(state)[i / BITS_PER_BYTE] |= (bits8) (0x80 >> (i % BITS_PER_BYTE));
}

static bool
get_bit(const VarBit *state, int i)
{
	return (VARBITS(state)[i / BITS_PER_BYTE] & (0x80 >> (i % BITS_PER_BYTE))) != 0;
}

/*
 * retention_transfn(state varbit, conditions boolean[]): the state is
 * updated in place (it lives in the aggregate context).
 */
PG_FUNCTION_INFO_V1(retention_transfn);
Datum
retention_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	VarBit	   *state = PG_ARGISNULL(0) ? NULL : PG_GETARG_VARBIT_P(0);
	uint64		mask;
	int			n;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "retention transition function called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_VARBIT_P(state);
	}
	mask = conditions_mask(PG_GETARG_ARRAYTYPE_P(1), RETENTION_MAX_CONDITIONS,
						   &condition_names, &n);

	if (state == NULL)
		state = new_state(aggcontext, n);
	else if (VARBITLEN(state) != n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention must get the same number of conditions for every row of a group"),
				 errdetail("The group started with %d conditions; this row has %d.",
						   VARBITLEN(state), n)));

	for (; mask != 0; mask &= mask - 1)
		set_bit(state, pg_rightmost_one_pos64(mask));
	PG_RETURN_VARBIT_P(state);
}

/* retention_combinefn(varbit, varbit): bitwise OR, in place when allowed */
PG_FUNCTION_INFO_V1(retention_combinefn);
Datum
retention_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	VarBit	   *left;
	VarBit	   *right;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "retention combine function called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	right = PG_GETARG_VARBIT_P(1);
	check_condition_count(VARBITLEN(right), RETENTION_MAX_CONDITIONS, &condition_names);
	if (PG_ARGISNULL(0))
	{
		left = new_state(aggcontext, VARBITLEN(right));
		memcpy(VARBITS(left), VARBITS(right), VARBITBYTES(right));
		PG_RETURN_VARBIT_P(left);
	}
	left = PG_GETARG_VARBIT_P(0);
	if (VARBITLEN(left) != VARBITLEN(right))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine retention states of %d and %d conditions",
						VARBITLEN(left), VARBITLEN(right))));
	for (int i = 0; i < (int) VARBITBYTES(left); i++)
		VARBITS(left)[i] |= VARBITS(right)[i];
	PG_RETURN_VARBIT_P(left);
}

PG_FUNCTION_INFO_V1(retention_finalfn);
Datum
retention_finalfn(PG_FUNCTION_ARGS)
{
	VarBit	   *state;
	Datum		result[RETENTION_MAX_CONDITIONS];
	int			n;
	bool		first;

	/*
	 * No row: NULL, like PostgreSQL's own aggregates.  (ClickHouse answers
	 * all zeros, but the number of conditions is not known here in every
	 * plan - in a parallel plan the final step sees only partial states.)
	 */
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = PG_GETARG_VARBIT_P(0);
	n = VARBITLEN(state);
	check_condition_count(n, RETENTION_MAX_CONDITIONS, &condition_names);
	first = get_bit(state, 0);
	result[0] = BoolGetDatum(first);
	for (int i = 1; i < n; i++)
		result[i] = BoolGetDatum(first && get_bit(state, i));
	PG_RETURN_ARRAYTYPE_P(construct_array(result, n, BOOLOID, 1, true, TYPALIGN_CHAR));
}
