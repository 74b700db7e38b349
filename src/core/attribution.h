/*
 * attribution.h - rule-based attribution models (backend-free core)
 *
 * A model gives every touch of a path a non-negative integer weight; a
 * touch's credit is its share of the conversion value.  So that credits sum
 * to the value exactly, they are rounded cumulatively: with W the sum of the
 * weights, C_i = (w_1 + ... + w_i) / W and S decimal places,
 *     credit_i = round(value * C_i, S) - round(value * C_{i-1}, S)
 * (round half up; values are never negative), which telescopes to
 * round(value, S) = value.  S = max(ATTR_MIN_SCALE, scale of value).
 *
 * Weights (n touches):
 *   first_touch       1 on touch 1
 *   last_touch        1 on touch n
 *   last_non_direct   1 on the last touch whose channel is not "direct"
 *                     (the last touch if every touch is direct)
 *   linear            1 on every touch
 *   position_based    n = 1: 1; n = 2: 1, 1; else 2(n-2) on the first and
 *   (u_shaped)        the last touch and 1 on each middle touch: 40/20/40 %
 *   shapley_simplified 1 on the first touch of each distinct channel
 *   time_decay        2^(-dt_i / half_life), dt_i = conversion time - touch
 *                     time, scaled to integers by a power of two, so that
 *                     integer dt_i / half_life give exact shares (touches 14,
 *                     7 and 0 days before with a 7-day half-life: 1/7, 2/7, 4/7)
 */
#ifndef MOPS_CORE_ATTRIBUTION_H
#define MOPS_CORE_ATTRIBUTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "touch_path.h"

#define ATTR_MIN_SCALE 16
/* Largest scale of a value: like numeric's display limit. */
#define ATTR_MAX_SCALE 1000

typedef enum attr_model
{
	ATTR_FIRST_TOUCH,
	ATTR_LAST_TOUCH,
	ATTR_LAST_NON_DIRECT,
	ATTR_LINEAR,
	ATTR_POSITION_BASED,
	ATTR_TIME_DECAY,
	ATTR_SHAPLEY_SIMPLIFIED
} attr_model;

#define ATTR_MODEL_NAMES "first_touch, last_touch, last_non_direct, linear, position_based (alias u_shaped), time_decay and shapley_simplified"

typedef enum attr_status
{
	ATTR_OK = 0,
	ATTR_NEEDS_TIMES,			/* time_decay: a touch has no time */
	ATTR_AFTER_CONVERSION,		/* time_decay: a touch is later than the conversion */
	ATTR_BAD_HALF_LIFE,			/* time_decay: half-life not positive */
	ATTR_OVERFLOW,				/* attr_credits: too large for 128-bit arithmetic */
	ATTR_BAD_VALUE,				/* attr_credits: not a non-negative decimal */
	ATTR_NO_MEMORY
} attr_status;

/* Model name (ASCII case-insensitive; blanks, '-' and '_' alike); false if unknown. */
extern bool attr_parse_model(const char *s, size_t len, attr_model *model);

/*
 * The weights of the touches of a (valid) path into weights[ntouches], and
 * their sum (> 0 for a non-empty path) into *total.  conversion_at is the
 * conversion time (TP_NO_TIME: the last touch's); half_life in microseconds.
 * The sum never exceeds 2^62.
 */
extern attr_status attr_weights(attr_model model, const tp_view *path,
								int64_t conversion_at, int64_t half_life,
								uint64_t *weights, uint64_t *total);

/*
 * Credits of value (a non-negative decimal string such as "140", "66.5",
 * "0.001", as numeric_out writes it) in 128-bit arithmetic: credits[i]
 * receives a core_alloc'd decimal string (trailing fractional zeros
 * trimmed).  ATTR_OVERFLOW: the caller must compute them another way.
 * *scale receives S.
 */
extern attr_status attr_credits(const char *value, const uint64_t *weights,
								uint32_t n, uint64_t total, char **credits,
								int *scale);

/*
 * The same credits as integers of *scale implied decimals, when every one
 * fits in 63 bits (the common case, and cheaper than strings);
 * ATTR_OVERFLOW otherwise (use attr_credits).
 */
extern attr_status attr_credits_scaled(const char *value, const uint64_t *weights,
									   uint32_t n, uint64_t total, int64_t *credits,
									   int *scale);

/* The scale S for a value string (max(ATTR_MIN_SCALE, its scale)). */
extern int	attr_scale(const char *value);

/* Write a non-negative integer `digits` (decimal, no sign) with `scale`
 * implied decimals as a decimal string, trailing fractional zeros trimmed.
 * Returns a core_alloc'd string or NULL. */
extern char *attr_place_point(const char *digits, int scale);

#endif							/* MOPS_CORE_ATTRIBUTION_H */
