/*
 * conditions.h - the VARIADIC boolean[] argument of window_funnel and
 * retention, read into a bit mask
 */
#ifndef MOPS_CONDITIONS_H
#define MOPS_CONDITIONS_H

#include "mops.h"

#include "utils/array.h"

/* How an aggregate names its conditions in messages */
typedef struct ConditionNames
{
	const char *function;		/* "window_funnel" */
	const char *plural;			/* "steps" */
	const char *one;			/* "step condition" */
} ConditionNames;

/*
 * The conditions as a bit mask: bit i set when condition i+1 is true (NULL
 * counts as false).  The array must be one-dimensional boolean with 1 to
 * `max` (at most 64) elements; *n gets their number.
 */
extern uint64 conditions_mask(ArrayType *conditions, int max,
							  const ConditionNames *names, int *n);

/*
 * The same mask from conditions given as separate boolean arguments, from
 * argument `first` to the last (the fixed-arity overloads, which spare
 * PostgreSQL building an array for every row).  *n gets their number.
 */
extern uint64 conditions_mask_args(FunctionCallInfo fcinfo, int first, int max,
								   const ConditionNames *names, int *n);

/* 1 <= n <= max, or the error conditions_mask raises. */
extern void check_condition_count(int n, int max, const ConditionNames *names);

#endif							/* MOPS_CONDITIONS_H */
