/*
 * maturity_assess.h - maturity scoring (backend-free core)
 *
 * maturity_assess(pillar, score) collects answers per area: the six pillars
 *   0 business_leadership, 1 customer_experience, 2 marketing_tactics,
 *   3 tools_technology, 4 project_management, 5 team
 * (the fixed pillar order, also the tie-break order) and the underpinnings
 *   6 audit, 7 analytics, 8 optimisation (also spelt optimization).
 * Area names go through label normalisation, so "Business Leadership" and
 * "TOOLS-technology" are pillars too.
 *
 * Scores are decimals from 1 to 5 with at most 6 decimal places (more
 * decimals are accepted only when they are zeros).  They are held exactly,
 * in millionths, as 64-bit integers: the state of an area is its number of
 * answers and the exact sum of their scores in millionths.
 *
 * The assessment (ma_assess) is exact: pillar means and the overall mean are
 * rationals, compared with the stage boundaries 1.8, 2.6, 3.4 and 4.2 in
 * integer arithmetic (a small fixed-size bignum), so an overall mean of
 * exactly 2.6 is optimisation.  The decimals it reports are the exact means
 * truncated (not rounded) to 16 decimal places and stripped of trailing
 * zeros: a reported score never reaches a boundary the exact mean does not.
 *
 * Text form of a state: items "area count sum" separated by ";", e.g.
 *   "business_leadership 2 7.5; team 1 3"
 * in the fixed area order, sum written with at most 6 decimals and no
 * trailing zeros; the empty string is the state without answers.  Input
 * accepts any area spelling ma_area_index accepts, white space around the
 * items, and the items in any order (each area at most once).
 *
 * Binary form (the wire form of maturity_state_send/recv): a version byte
 * (1), the number n of areas with answers (0-9), then n entries of one area
 * byte (0-8, strictly increasing), the count and the sum, each a signed
 * 64-bit big-endian integer.  The decoder checks every byte: version,
 * length, order, count >= 1 and count <= sum / 1e6 <= 5 count.
 */
#ifndef MOPS_CORE_MATURITY_ASSESS_H
#define MOPS_CORE_MATURITY_ASSESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "label.h"

#define MA_PILLAR_COUNT 6		/* areas 0-5 make the overall score */
#define MA_AREA_COUNT 9			/* plus the underpinnings 6-8 */
#define MA_SCALE INT64_C(1000000)	/* scores are held in millionths */
#define MA_SCORE_DECIMALS 6
#define MA_MIN_SCORE (1 * MA_SCALE)
#define MA_MAX_SCORE (5 * MA_SCALE)

/* Longest decimal ma_assess writes ("5." and 16 digits), with the NUL. */
#define MA_DECIMAL_MAX 24
/* Longest text form ma_state_format writes, with the NUL. */
#define MA_STATE_TEXT_MAX 512
/* Longest binary form. */
#define MA_STATE_BINARY_MAX (2 + MA_AREA_COUNT * 17)
#define MA_STATE_BINARY_VERSION 1

typedef enum ma_status
{
	MA_OK = 0,
	MA_OUT_OF_RANGE,			/* a score below 1 or above 5 (or NaN, infinite) */
	MA_TOO_PRECISE,				/* a score with non-zero digits after the 6th decimal */
	MA_SYNTAX,					/* text that is no decimal / no state */
	MA_OVERFLOW,				/* a count or sum beyond 64 bits */
	MA_CORRUPT,					/* binary input that is no state */
	MA_BAD_VERSION,				/* binary input of an unknown version */
	MA_LABEL_ERROR				/* label normalisation failed (see the label status) */
} ma_status;

/* Answers per area; all zero is the state without answers. */
typedef struct ma_state
{
	int64_t		count[MA_AREA_COUNT];
	int64_t		sum[MA_AREA_COUNT];	/* in millionths */
} ma_state;

typedef struct ma_result
{
	int			stage;			/* 1-5 after the cap; 0 when no pillar was scored */
	int			overall_stage;	/* by the overall mean alone; 0 likewise */
	int			weakest;		/* area index 0-5 of the weakest pillar, or -1 */
	int			weakest_stage;	/* that pillar's own stage, or 0 */
	bool		complete;		/* all six pillars have answers */
	int			pillars;		/* how many of the six have answers */
	char		score[MA_DECIMAL_MAX];	/* overall mean; "" when stage is 0 */
	char		area_score[MA_AREA_COUNT][MA_DECIMAL_MAX];	/* "" when no answers */
} ma_result;

/* Canonical name of area 0-8, or NULL. */
extern const char *ma_area_name(int area);

/*
 * The area len bytes of UTF-8 name, after label normalisation: 0-8, or -1
 * when it names none (or normalisation failed: *label_error says so).
 */
extern int	ma_area_index(const char *in, size_t len, label_status *label_error);

/*
 * Read a score written as a plain decimal ("3", "-2", "2.500", "NaN",
 * "Infinity": numeric's text output) into millionths.  MA_OUT_OF_RANGE when
 * it is not within 1-5, MA_TOO_PRECISE when it is but has non-zero digits
 * past the 6th decimal, MA_SYNTAX when it is no decimal.
 */
extern ma_status ma_parse_score(const char *in, size_t len, int64_t *millionths);

/* Add one answer (score in millionths, 1e6-5e6) to an area; MA_OVERFLOW leaves st unchanged. */
extern ma_status ma_add(ma_state *st, int area, int64_t millionths);

/* Add every answer of from into into; MA_OVERFLOW leaves into unchanged. */
extern ma_status ma_combine(ma_state *into, const ma_state *from);

/* MA_OK when st is a state answers can make (counts >= 0, sums consistent). */
extern ma_status ma_validate(const ma_state *st);

/* True when no area has answers. */
extern bool ma_is_empty(const ma_state *st);

/* Text form into buf (MA_STATE_TEXT_MAX bytes); returns its length. */
extern size_t ma_state_format(const ma_state *st, char *buf);

/*
 * Parse the text form.  On failure, detail (detail_size bytes) gets a
 * sentence saying what was wrong; MA_LABEL_ERROR sets *label_error.
 */
extern ma_status ma_state_parse(const char *in, size_t len, ma_state *st,
								label_status *label_error,
								char *detail, size_t detail_size);

/* Binary form into buf (MA_STATE_BINARY_MAX bytes); returns its length. */
extern size_t ma_state_encode(const ma_state *st, unsigned char *buf);

/* Decode and validate the binary form; detail as for ma_state_parse. */
extern ma_status ma_state_decode(const unsigned char *in, size_t len, ma_state *st,
								 char *detail, size_t detail_size);

/*
 * The assessment of a valid state (see the header comment): stage by the
 * overall mean of the pillars present, capped at one stage above the weakest
 * pillar's own stage (the first in pillar order among equal means).
 */
extern void ma_assess(const ma_state *st, ma_result *result);

/* The stage (1-5) of the exact rational num/den by the boundaries (den > 0). */
extern int	ma_stage_of_fraction(uint64_t num, uint64_t den);

#endif							/* MOPS_CORE_MATURITY_ASSESS_H */
