/*
 * smart_goal.h - SMART goals: parser, formatter and stored form
 * (backend-free core)
 *
 * A goal has a metric and a target (required), and optionally a baseline,
 * a unit, a start date, a due date, an owner and an objective.
 *
 * TEXT FORM: space-separated key=value pairs, in any order on input:
 *     metric=email_clicks baseline=1000 target=1250 starts=2026-01-01
 *     due=2026-12-31 owner=crm objective="pipeline growth"
 * - keys are the eight names above, ASCII, any case; each at most once;
 *   no blanks around '='; pairs separated by ASCII white space;
 * - a value is either bare (up to the next white space; it may not contain
 *   '"' or '\') or double-quoted, inside which '\"' and '\\' stand for '"'
 *   and '\' (no other escapes);  text values must not be empty;
 * - target and baseline are decimal numbers: [+-]digits[.digits][e[+-]digits]
 *   (".5" and "5." too), at most SG_MAX_DIGITS digits after expansion; they
 *   are kept exactly, in the canonical form PostgreSQL's numeric prints
 *   ("+01.50" -> "1.50", "1.5e3" -> "1500", "-0" -> "0");
 * - starts and due are ISO dates YYYY-MM-DD, years 0001-9999.
 * - target must differ from baseline (numerically), due must not be before
 *   starts.
 * Output is canonical: keys in the order metric, baseline, target, unit,
 * starts, due, owner, objective, absent keys omitted, a value quoted only
 * when it is empty, contains white space, '"', '\' or '='.
 *
 * STORED FORM (the varlena body; also the binary wire form), integers
 * little-endian:
 *     u8   version (SG_FORMAT_VERSION)
 *     u8   flags: which optional fields are present (SG_HAS_*)
 *     i32  starts, days since 2000-01-01 (0 when absent)
 *     i32  due, the same
 *     then, for metric, target, and each present one of baseline, unit,
 *     owner, objective in that order: u32 length + that many bytes (UTF-8;
 *     numbers in canonical form).
 * A body is canonical: equal goals have equal bytes, so equality and hashing
 * are bytewise; sg_validate accepts only canonical bodies.
 */
#ifndef MOPS_CORE_SMART_GOAL_H
#define MOPS_CORE_SMART_GOAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SG_FORMAT_VERSION	1

/* Longest number accepted, in digits after exponent expansion. */
#define SG_MAX_DIGITS		1000
/* Longest text value, in bytes. */
#define SG_MAX_VALUE_BYTES	((size_t) 1024 * 1024)

/* 0001-01-01 and 9999-12-31 as days since 2000-01-01 */
#define SG_MIN_DAY			(-730119)
#define SG_MAX_DAY			2921939

typedef enum sg_field
{
	SG_METRIC = 0,
	SG_BASELINE,
	SG_TARGET,
	SG_UNIT,
	SG_STARTS,
	SG_DUE,
	SG_OWNER,
	SG_OBJECTIVE,
	SG_NFIELDS
} sg_field;

/* flags byte of the stored form */
#define SG_HAS_BASELINE		0x01
#define SG_HAS_UNIT			0x02
#define SG_HAS_STARTS		0x04
#define SG_HAS_DUE			0x08
#define SG_HAS_OWNER		0x10
#define SG_HAS_OBJECTIVE	0x20
#define SG_HAS_ALL			0x3f

typedef enum sg_status
{
	SG_OK = 0,
	SG_SYNTAX,					/* malformed text (22P02) */
	SG_UNKNOWN_KEY,				/* (22P02) */
	SG_DUPLICATE_KEY,			/* (22P02) */
	SG_MISSING,					/* metric or target absent (22P02) */
	SG_EMPTY_VALUE,				/* a value is empty (22P02) */
	SG_BAD_NUMBER,				/* not a decimal number (22P02) */
	SG_NUMBER_RANGE,			/* more than SG_MAX_DIGITS digits (22003) */
	SG_BAD_DATE,				/* not YYYY-MM-DD, or no such day (22P02) */
	SG_DUE_BEFORE_STARTS,		/* (22023) */
	SG_TARGET_IS_BASELINE,		/* (22023) */
	SG_BAD_UTF8,				/* a value is not valid UTF-8 (22P02/22P03) */
	SG_TOO_LONG,				/* a value longer than SG_MAX_VALUE_BYTES (54000) */
	SG_CORRUPT,					/* stored or wire bytes are not a goal (22P03) */
	SG_NO_MEMORY
} sg_status;

typedef struct sg_error
{
	sg_status	status;
	char		detail[200];	/* a full sentence, or empty */
} sg_error;

/* One field's value as text (UTF-8; dates as YYYY-MM-DD). */
typedef struct sg_text
{
	const char *ptr;			/* NULL: absent */
	size_t		len;
} sg_text;

/*
 * A goal given field by field (constructor, jsonb): every present field as
 * text, exactly as the text form would spell its value (unquoted).
 */
typedef struct sg_fields
{
	sg_text		f[SG_NFIELDS];
} sg_fields;

/* A read-only view of a valid stored body (no copy). */
typedef struct sg_view
{
	unsigned	flags;
	int32_t		starts;
	int32_t		due;
	sg_text		metric;
	sg_text		target;
	sg_text		baseline;		/* .ptr NULL when absent, and so on */
	sg_text		unit;
	sg_text		owner;
	sg_text		objective;
} sg_view;

/* The key of a field ("metric", ...). */
extern const char *sg_field_name(sg_field field);

/*
 * Text form -> stored body.  On SG_OK *body is allocated with core_alloc
 * (the caller frees it); otherwise nothing is left allocated and err says
 * what was wrong.
 */
extern sg_status sg_parse(const char *text, size_t len, void **body,
						  size_t *body_len, sg_error *err);

/* Fields -> stored body, with every check sg_parse makes. */
extern sg_status sg_build(const sg_fields *fields, void **body,
						  size_t *body_len, sg_error *err);

/* Check stored or wire bytes completely; fills *view on SG_OK. */
extern sg_status sg_validate(const void *body, size_t len, sg_view *view,
							 sg_error *err);

/* View of a body known to be valid (made by this core). */
extern void sg_view_init(sg_view *view, const void *body);

/*
 * The fields of a view, as sg_build takes them (the inverse of sg_build):
 * the dates written as YYYY-MM-DD into dates (starts, then due).
 */
#define SG_DATES_BUF	22
extern void sg_view_fields(const sg_view *view, sg_fields *fields,
						   char dates[SG_DATES_BUF]);

/* Canonical text form (NUL-terminated, core_alloc'd). */
extern sg_status sg_format(const sg_view *view, char **text, size_t *text_len);

/* Total order: by metric (bytewise), then by the stored bytes. */
extern int	sg_compare(const void *a, size_t alen, const void *b, size_t blen);

/*
 * Numbers: canonicalise len bytes of a decimal number as numeric prints it
 * (*out core_alloc'd, NUL-terminated); and equality of two canonical numbers.
 */
extern sg_status sg_canonical_number(const char *s, size_t len, char **out,
									 size_t *out_len, sg_error *err);
extern bool sg_numbers_equal(sg_text a, sg_text b);

/* Dates: YYYY-MM-DD <-> days since 2000-01-01. */
extern sg_status sg_parse_date(const char *s, size_t len, int32_t *day,
							   sg_error *err);
extern void sg_format_date(int32_t day, char *buf);	/* buf >= 11 bytes */

#endif							/* MOPS_CORE_SMART_GOAL_H */
