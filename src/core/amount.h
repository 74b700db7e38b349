/*
 * amount.h - money amounts: a decimal number and an ISO 4217 currency code
 * (backend-free core: the text form, currency codes, minor units and
 * locale formatting through ICU)
 *
 * Text form (input).  Optional ASCII white space, a decimal number, at least
 * one ASCII white space character, a currency code, optional ASCII white
 * space:
 *
 *     number   = [+-]? ( digits [ "." digits? ] | "." digits ) [ (e|E) [+-]? digits ]
 *     currency = three ASCII letters, any case
 *
 * White space is space, tab, newline, carriage return, vertical tab and form
 * feed.  Nothing else is accepted: no thousands separators, no currency
 * symbols, no code before the number.  "NaN", "Infinity", "inf" (any case,
 * any sign) in place of the number are AMOUNT_NOT_FINITE rather than
 * AMOUNT_SYNTAX, so that the caller can say why.
 *
 * The number is made canonical the way PostgreSQL's numeric input reads it:
 * the exponent is applied, leading zeros are dropped (one 0 stays before
 * the point), the scale (digits after the point) is
 * max(0, fraction digits - exponent), and zero has no sign.  So "1250.5"
 * stays "1250.5", "1.50e-1" is "0.150", "1.5e3" is "1500", "-0.00" is
 * "0.00", "+.5" is "0.5".  A number with more than AMOUNT_MAX_INT_DIGITS
 * digits before the point or a scale above AMOUNT_MAX_SCALE (numeric's
 * limits) is AMOUNT_OUT_OF_RANGE.
 *
 * Currency codes.  A code is valid when ICU lists it in
 * ucurr_openISOCurrencies(UCURR_ALL): every ISO 4217 code, current and
 * historic (DEM, FRF, ...), including the non-tender X codes (XAU, XDR,
 * XTS, XXX, ...).  Canonical codes are upper case.
 *
 * Output text form: canonical number, one space, upper-case code
 * ("1250.50 EUR").
 *
 * Binary (wire) form, as the PostgreSQL face sends it: a version byte
 * (AMOUNT_WIRE_VERSION), the three code bytes (upper-case ASCII), then
 * PostgreSQL's binary form of numeric.  amount_wire_header() checks the
 * first four bytes; the face hands the rest to numeric's receive function.
 *
 * Every function returning a string allocates it with core_alloc
 * (NUL-terminated; the length is also returned) and frees all temporaries,
 * also on failure (AMOUNT_NO_MEMORY).
 */
#ifndef MOPS_CORE_AMOUNT_H
#define MOPS_CORE_AMOUNT_H

#include <stdbool.h>
#include <stddef.h>

/* numeric: at most 131072 digits before the point, scale at most 16383 */
#define AMOUNT_MAX_INT_DIGITS 131072
#define AMOUNT_MAX_SCALE 16383

#define AMOUNT_CODE_LEN 3
#define AMOUNT_WIRE_VERSION 1
#define AMOUNT_WIRE_HEADER 4	/* version byte + code */

/* Longest locale name format_amount accepts (ICU's ULOC_FULLNAME_CAPACITY - 1) */
#define AMOUNT_MAX_LOCALE_LEN 156

typedef enum amount_status
{
	AMOUNT_OK = 0,
	AMOUNT_SYNTAX,				/* not the text form above */
	AMOUNT_NOT_FINITE,			/* NaN or infinity in place of the number */
	AMOUNT_BAD_CURRENCY,		/* well-formed, but not a code ICU knows */
	AMOUNT_OUT_OF_RANGE,		/* beyond numeric's digit or scale limits */
	AMOUNT_BAD_VERSION,			/* wire form: unknown version byte */
	AMOUNT_TRUNCATED,			/* wire form: fewer than 4 bytes */
	AMOUNT_BAD_LOCALE,			/* locale unknown to ICU (format) */
	AMOUNT_ICU_ERROR,			/* ICU failed (format) */
	AMOUNT_NO_MEMORY
} amount_status;

/*
 * Parse the text form in[0..len) (need not be NUL-terminated; a NUL byte is
 * AMOUNT_SYNTAX).  On AMOUNT_OK, *number is the canonical number
 * (core_alloc'd, *number_len bytes plus a NUL) and code[0..3) the upper-case
 * code, code[3] = '\0'.  On failure *number is NULL; for
 * AMOUNT_BAD_CURRENCY code still holds the (upper-cased) offending code.
 */
extern amount_status amount_parse(const char *in, size_t len,
								  char **number, size_t *number_len,
								  char code[AMOUNT_CODE_LEN + 1]);

/*
 * The number part alone: in[0..len) must be exactly a number of the grammar
 * above (no white space).  Output as for amount_parse.
 */
extern amount_status amount_parse_number(const char *in, size_t len,
										 char **number, size_t *number_len);

/*
 * A currency code alone: in[0..len) must be exactly three ASCII letters
 * (any case) naming a code ICU knows.  code receives the upper-case code and
 * a NUL (also for AMOUNT_BAD_CURRENCY when the input is three letters).
 * Returns AMOUNT_OK, AMOUNT_SYNTAX (not three ASCII letters) or
 * AMOUNT_BAD_CURRENCY.
 */
extern amount_status amount_currency_parse(const char *in, size_t len,
										   char code[AMOUNT_CODE_LEN + 1]);

/* Is code[0..3) an upper-case code ICU knows (exactly, no case folding)? */
extern bool amount_currency_known(const char *code);

/*
 * The currency's minor units (digits after the point) from ICU/CLDR
 * (ucurr_getDefaultFractionDigits: JPY 0, EUR 2, BHD 3); -1 if ICU fails.
 * code must be a known code.
 */
extern int	amount_minor_units(const char *code);

/* The canonical text form "number CODE" of a canonical number and a code. */
extern amount_status amount_format(const char *number, size_t number_len,
								   const char *code, char **out, size_t *out_len);

/*
 * Format for a locale with ICU's currency formatter (UNUM_CURRENCY), UTF-8.
 * number is a canonical number (the decimal text is handed to ICU as is:
 * no binary floating point); it is rounded to the currency's minor units,
 * half away from zero.  locale (NUL-terminated) must name a language ICU
 * has data for: its language subtag must be non-empty and equal to the
 * language of the locale ICU actually uses (so unknown locales, which ICU
 * would silently replace by the process's default locale, and the root
 * locale are AMOUNT_BAD_LOCALE); longer than AMOUNT_MAX_LOCALE_LEN or
 * holding bytes outside printable ASCII is AMOUNT_BAD_LOCALE too.
 * *icu_error receives ICU's error name on AMOUNT_ICU_ERROR (else NULL).
 */
extern amount_status amount_format_locale(const char *number, size_t number_len,
										  const char *code, const char *locale,
										  char **out, size_t *out_len,
										  const char **icu_error);

/*
 * Check the first AMOUNT_WIRE_HEADER bytes of the binary form: version and
 * code.  Returns AMOUNT_OK (code filled, NUL-terminated),
 * AMOUNT_TRUNCATED, AMOUNT_BAD_VERSION, AMOUNT_SYNTAX (code bytes not three
 * upper-case ASCII letters) or AMOUNT_BAD_CURRENCY.
 */
extern amount_status amount_wire_header(const unsigned char *in, size_t len,
										char code[AMOUNT_CODE_LEN + 1]);

/* Write the binary header for code (upper case, known) into out[0..4). */
extern void amount_wire_put_header(const char *code, unsigned char *out);

#endif							/* MOPS_CORE_AMOUNT_H */
