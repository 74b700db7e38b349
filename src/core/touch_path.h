/*
 * touch_path.h - an ordered customer path of channel touches (backend-free core)
 *
 * A touch is a channel label (normalised like normalize_label) with an
 * optional timestamp.  Three forms exist:
 *
 * Text (UTF-8):   'email > paid_search > direct'
 *                 'email@2026-01-01 10:00:00+00 > direct@2026-01-03 09:00:00+00'
 *   Touches are separated by '>', blanks around them are ignored, a label is
 *   followed by an optional '@' and timestamp.  Timestamps are ISO 8601 with
 *   an explicit UTC offset (so that a literal means the same instant under
 *   every TimeZone setting): YYYY-MM-DD, a blank or 'T', HH:MM[:SS[.ffffff]],
 *   then 'Z' or +HH[[:]MM] / -HH[[:]MM].  Years 0001..9999.  Times must not
 *   decrease along the path.  The empty string (or blanks) is the empty path.
 *   Output writes times in UTC as 'YYYY-MM-DD HH:MM:SS[.ffffff]+00'.
 *   Labels cannot contain '>' or '@' (after normalisation).
 *
 * Stored body (what follows the varlena header; host byte order, read with
 * memcpy so that no alignment is assumed):
 *   uint8  version (1)   uint8 flags (TP_FLAG_TIMES)   uint16 zero
 *   uint32 ntouches      uint32 nchannels              uint32 label_bytes
 *   int64  time[ntouches]          only with TP_FLAG_TIMES; TP_NO_TIME = none
 *   uint32 channel[ntouches]       index into the label dictionary
 *   uint32 label_end[nchannels]    end offset of each label in the label bytes
 *   char   labels[label_bytes]     the labels, UTF-8, not terminated
 *   The dictionary is in order of first occurrence and every label is used
 *   once, so equal paths have equal bytes (equality and hashing are bytewise).
 *
 * Wire (binary send/recv; network byte order):
 *   uint8 version (1)  uint32 ntouches
 *   per touch: uint8 has_time, [int64 time], uint32 label length, label bytes
 *
 * Times are PostgreSQL timestamptz values: microseconds since
 * 2000-01-01 00:00:00 UTC.
 */
#ifndef MOPS_CORE_TOUCH_PATH_H
#define MOPS_CORE_TOUCH_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TP_VERSION		1
#define TP_FLAG_TIMES	0x01u
#define TP_NO_TIME		INT64_MIN
#define TP_HEADER_SIZE	16

/* Limits (a longer path is TP_TOO_LONG: 54000) */
#define TP_MAX_TOUCHES	1000000u
#define TP_MAX_LABEL_BYTES	((size_t) 64 * 1024 * 1024)

/* 0001-01-01 00:00:00 and 9999-12-31 23:59:59.999999 UTC as timestamptz */
#define TP_MIN_TIME		INT64_C(-63082281600000000)
#define TP_MAX_TIME		INT64_C(252455615999999999)

typedef enum tp_status
{
	TP_OK = 0,
	TP_SYNTAX,					/* malformed text literal (22P02) */
	TP_BAD_TIME,				/* timestamp out of range (22008) */
	TP_BAD_LABEL,				/* empty label, or one containing '>' or '@' */
	TP_TIME_ORDER,				/* a touch's time precedes the previous one's */
	TP_CORRUPT,					/* stored or wire bytes are not a path (22P03) */
	TP_TOO_LONG,				/* more than TP_MAX_TOUCHES or label bytes (54000) */
	TP_NO_MEMORY,
	TP_LABEL_ERROR				/* label normalisation failed (see label.h) */
} tp_status;

/* Where and why a parse failed, for error details. */
typedef struct tp_error
{
	tp_status	status;
	int			label_status;	/* label.h's status for TP_LABEL_ERROR */
	char		detail[160];	/* a full sentence, or empty */
} tp_error;

/* A read-only view of a stored body (no copy). */
typedef struct tp_view
{
	uint32_t	ntouches;
	uint32_t	nchannels;
	bool		has_times;
	const unsigned char *times; /* int64[ntouches] or NULL */
	const unsigned char *channels;	/* uint32[ntouches] */
	const unsigned char *label_ends;	/* uint32[nchannels] */
	const char *labels;
} tp_view;

/* Check a stored body completely (recv of stored bytes, fuzzers). */
extern tp_status tp_validate(const void *body, size_t len, tp_view *view,
							 tp_error *err);

/* Make a view of a body known to be valid (built by this core). */
extern void tp_view_init(tp_view *view, const void *body);

/* Accessors of a view (inline: they run for every touch of every path). */
static inline uint32_t
tp_get_u32(const unsigned char *p)
{
	uint32_t	v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline int64_t
tp_view_time(const tp_view *view, uint32_t touch)
{
	int64_t		v;

	if (view->times == NULL)
		return TP_NO_TIME;
	memcpy(&v, view->times + (size_t) touch * 8, sizeof(v));
	return v;
}

static inline uint32_t
tp_view_channel(const tp_view *view, uint32_t touch)
{
	return tp_get_u32(view->channels + (size_t) touch * 4);
}

static inline const char *
tp_view_label(const tp_view *view, uint32_t channel, size_t *len)
{
	uint32_t	start = channel == 0 ? 0 : tp_get_u32(view->label_ends + (size_t) (channel - 1) * 4);
	uint32_t	end = tp_get_u32(view->label_ends + (size_t) channel * 4);

	*len = end - start;
	return view->labels + start;
}

/*
 * Building a path touch by touch.  Labels given to tp_builder_add are
 * normalised unless `normalised` says they already are; either way they are
 * checked (non-empty, no '>' or '@').  tp_builder_finish checks that times do
 * not decrease and returns the body in *body (core_alloc'd).
 */
typedef struct tp_builder tp_builder;

extern tp_builder *tp_builder_new(void);
extern void tp_builder_free(tp_builder *b);
extern tp_status tp_builder_add(tp_builder *b, const char *label, size_t len,
								bool normalised, int64_t time, tp_error *err);
extern tp_status tp_builder_finish(tp_builder *b, void **body, size_t *len,
								   tp_error *err);

/* Text form <-> body.  tp_format returns a NUL-terminated core_alloc'd string. */
extern tp_status tp_parse(const char *text, size_t len, void **body,
						  size_t *body_len, tp_error *err);
extern tp_status tp_format(const void *body, char **text, size_t *text_len);

/* Wire form <-> body. */
extern tp_status tp_from_wire(const void *wire, size_t len, void **body,
							  size_t *body_len, tp_error *err);
extern tp_status tp_to_wire(const void *body, void **wire, size_t *len);

/* Total order: touch by touch, label bytes then time (no time first), then length. */
extern int	tp_compare(const void *a, size_t alen, const void *b, size_t blen);

/* Parse / format one timestamp (used by the text form; exposed for tests). */
extern bool tp_parse_time(const char *s, size_t len, int64_t *out, tp_error *err);
extern void tp_format_time(int64_t t, char *buf);	/* buf >= 40 bytes */

/*
 * Transforms: each builds a new body from a valid one.
 *   tp_collapse        merge runs of one channel into their first touch
 *   tp_first           keep the first touch of each channel
 *   tp_last_n          keep the last n touches
 *   tp_within          keep touches with lower <= time <= upper (all touches
 *                      must have times: TP_BAD_TIME otherwise)
 *   tp_remove          drop every touch of label, unless that is every touch
 *   tp_remove_trailing drop the trailing touches of label, unless that is
 *                      every touch
 */
extern tp_status tp_collapse(const void *body, void **out, size_t *out_len);
extern tp_status tp_first(const void *body, void **out, size_t *out_len);
extern tp_status tp_last_n(const void *body, uint32_t n, void **out, size_t *out_len);
extern tp_status tp_within(const void *body, int64_t lower, int64_t upper,
						   void **out, size_t *out_len);
extern tp_status tp_remove(const void *body, const char *label, size_t len,
						   bool trailing_only, void **out, size_t *out_len);

#endif							/* MOPS_CORE_TOUCH_PATH_H */
