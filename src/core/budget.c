/*
 * budget.c - budget pacing arithmetic (backend-free core); the contract is
 * in budget.h
 */
#include "budget.h"

void
bd_elapsed(int32_t lower, int32_t upper, int32_t as_of, int64_t *num, int64_t *den)
{
	int64_t		length = (int64_t) upper - lower;
	int64_t		done = (int64_t) as_of - lower;

	if (done < 0)
		done = 0;
	if (done > length)
		done = length;
	*num = done;
	*den = length;
}
