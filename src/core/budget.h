/*
 * budget.h - budget pacing arithmetic (backend-free core)
 *
 * A budget period is a half-open range of days [lower, upper) with
 * lower < upper.  The elapsed share of it at day as_of is
 *     (as_of - lower) / (upper - lower)
 * clamped to 0...1: as_of = lower gives 0, as_of = upper (the first day
 * after the period) gives 1, days before or after the period clamp.
 */
#ifndef MOPS_CORE_BUDGET_H
#define MOPS_CORE_BUDGET_H

#include <stdint.h>

/*
 * The elapsed share as the exact fraction *num / *den (0 <= *num <= *den,
 * *den > 0): *den is the period's length in days.  Days are any 32-bit
 * day numbers (PostgreSQL's infinite dates included, which simply clamp);
 * the caller guarantees lower < upper.
 */
extern void bd_elapsed(int32_t lower, int32_t upper, int32_t as_of,
					   int64_t *num, int64_t *den);

#endif							/* MOPS_CORE_BUDGET_H */
