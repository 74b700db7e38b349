/*
 * markov.h - data-driven Markov attribution, solved exactly (backend-free core)
 *
 * A model holds the transition counts of an absorbing Markov chain fitted on
 * customer paths (DESIGN §3.4):
 *   - consecutive repeats in a path are collapsed;
 *   - the states of a path c_1..c_m of order k are its windows of k channels
 *     (c_i..c_{i+k-1}), or the whole path if m < k;
 *   - a path with conversions C, value V and non-conversions N adds C+N to
 *     start -> s_1 and to every s_i -> s_{i+1}, C to s_last -> conversion,
 *     N to s_last -> null, and V to the value of s_last.
 * Counts are exact: non-negative fixed-point numbers with 18 decimals in 128
 * bits, so that adding models together (merge, parallel aggregation) gives
 * exactly the model fitted on the union of the data, in any order.
 *
 * Stored / binary form (one format for both; little-endian):
 *   u8 version (1)  u8 order  u16 0  u32 nchannels  u32 nstates  u32 nedges
 *   u32 label_bytes  u32 0
 *   u32 label_end[nchannels]  labels[label_bytes]  (zero padding to 4 bytes)
 *   u32 state[nstates][order]  channel ids, UINT32_MAX after a short state
 *   u128 value[nstates]
 *   edges[nedges]: u32 from, u32 to, u128 weight
 * Canonical: channels sorted by label bytes, states by their channel ids,
 * edges by (from, to); state ids: 0 = start, 1..nstates, nstates+1 =
 * conversion, nstates+2 = null; weights > 0.  Equal models have equal bytes.
 *
 * Text form:
 *   order 1; start > "email" 3; "email" > conversion 2; "email" > null 1; "email" value 12.5
 * items after 'order k' separated by ';': an edge `state > target count` or a
 * value `state value amount`; a state is "label"[,"label"...] (labels in
 * double quotes, \" and \\ escaped); targets also `conversion` and `null`,
 * sources also `start`.
 */
#ifndef MOPS_CORE_MARKOV_H
#define MOPS_CORE_MARKOV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "touch_path.h"

#define MK_VERSION		1
#define MK_MAX_ORDER	4
#define MK_MAX_STATES	10000
#define MK_HEADER_SIZE	24

/* A non-negative amount in units of 1e-18, 128 bits. */
typedef struct mk_amount
{
	uint64_t	lo;
	uint64_t	hi;
} mk_amount;

typedef enum mk_status
{
	MK_OK = 0,
	MK_SYNTAX,					/* malformed text (22P02) */
	MK_CORRUPT,					/* malformed stored/binary bytes (22P03) */
	MK_TOO_MANY_STATES,			/* more than MK_MAX_STATES (54000) */
	MK_OVERFLOW,				/* an amount beyond 128 bits (22003) */
	MK_BAD_AMOUNT,				/* negative, NaN or infinite input (22023) */
	MK_ORDER_MISMATCH,			/* models or rows of different orders (22023) */
	MK_NOT_CONVERGED,			/* the chain solve did not converge (54000) */
	MK_NO_MEMORY
} mk_status;

typedef struct mk_error
{
	mk_status	status;
	char		detail[200];
} mk_error;

/*
 * Amounts.  From a double: the shortest decimal that reads back as the
 * double (what the user wrote), so 0.244 is 0.244 exactly, not the binary
 * 0.2439999...; mk_amount_from_decimal takes that decimal text directly
 * (the extension gets it from PostgreSQL's float8 output code, which is
 * faster than the printf search mk_amount_from_double does).
 */
extern mk_status mk_amount_from_double(double d, mk_amount *out);
extern mk_status mk_amount_from_decimal(const char *s, size_t len, mk_amount *out);
/* k exactly (k < 2^64) */
extern mk_amount mk_amount_from_uint(uint64_t k);
/* k / 1,000,000 exactly */
extern mk_amount mk_amount_from_millionths(uint64_t k);
extern double mk_amount_to_double(mk_amount a);
/* decimal text, trailing zeros trimmed; buf >= 48 bytes */
extern void mk_amount_format(mk_amount a, char *buf);

/* Building (fitting, merging, parsing) */
typedef struct mk_builder mk_builder;

extern mk_builder *mk_builder_new(int order);
extern void mk_builder_free(mk_builder *b);
extern int	mk_builder_order(const mk_builder *b);
extern size_t mk_builder_memory(const mk_builder *b);

/* Add one path (a valid touch_path body) with its counts. */
extern mk_status mk_builder_add_path(mk_builder *b, const void *path_body,
									 mk_amount conversions, mk_amount value,
									 mk_amount non_conversions, mk_error *err);

/* Add a whole model (a valid body, same order). */
extern mk_status mk_builder_add_model(mk_builder *b, const void *model_body,
									  mk_error *err);

/* The canonical body (core_alloc'd). */
extern mk_status mk_builder_finish(const mk_builder *b, void **body, size_t *len,
								   mk_error *err);

/* Check bytes completely (recv, stored data from outside, fuzzers). */
extern mk_status mk_validate(const void *body, size_t len, mk_error *err);
extern int	mk_body_order(const void *body);

/* Text form <-> body */
extern mk_status mk_parse(const char *text, size_t len, void **body, size_t *body_len,
						  mk_error *err);
extern mk_status mk_format(const void *body, char **text, size_t *text_len);

/* Attribution: one result per channel, in label order. */
typedef struct mk_channel_result
{
	const char *label;			/* points into the body */
	size_t		label_len;
	double		removal_effect;
	double		conversions;
	double		value;
} mk_channel_result;

extern mk_status mk_attribute(const void *body, mk_channel_result **results,
							  uint32_t *nresults, mk_error *err);

#endif							/* MOPS_CORE_MARKOV_H */
