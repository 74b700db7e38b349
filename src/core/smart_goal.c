/*
 * smart_goal.c - SMART goals: parser, formatter and stored form
 * (backend-free core; the forms are described in smart_goal.h)
 *
 * Every way in (text, fields from the constructor or jsonb, stored or wire
 * bytes) ends in sg_build, which makes every check and writes the one
 * canonical body; sg_validate rebuilds a body from its own fields and
 * accepts it only if the result is the same bytes.
 */
#include "smart_goal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core_alloc.h"

static const char *const field_names[SG_NFIELDS] = {
	"metric", "baseline", "target", "unit", "starts", "due", "owner", "objective"
};

/* The optional text/number fields of the stored form, in stored order. */
static const struct
{
	sg_field	field;
	unsigned	flag;
}			stored_optional[] = {
	{SG_BASELINE, SG_HAS_BASELINE},
	{SG_UNIT, SG_HAS_UNIT},
	{SG_OWNER, SG_HAS_OWNER},
	{SG_OBJECTIVE, SG_HAS_OBJECTIVE},
};

#define NOPTIONAL (sizeof(stored_optional) / sizeof(stored_optional[0]))

/* version, flags, starts, due */
#define SG_FIXED_BYTES	10

const char *
sg_field_name(sg_field field)
{
	return ((int) field >= 0 && (int) field < SG_NFIELDS) ? field_names[field] : "?";
}

static sg_status
fail(sg_error *err, sg_status status, const char *fmt,...)
	__attribute__((format(printf, 3, 4)));

static sg_status
fail(sg_error *err, sg_status status, const char *fmt,...)
{
	va_list		ap;

	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->detail, sizeof(err->detail), fmt, ap);
	va_end(ap);
	return status;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Well-formed UTF-8: no overlong forms, surrogates or code points > U+10FFFF; no NUL. */
static bool
utf8_is_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		i = 0;

	while (i < len)
	{
		unsigned char c = p[i];
		size_t		n;
		unsigned	cp;

		if (c == 0)
			return false;
		if (c < 0x80)
		{
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3, cp = c & 0x07;
		else
			return false;
		if (len - i - 1 < n)
			return false;
		for (size_t k = 1; k <= n; k++)
		{
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
			(cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

/* ------------------------------------------------------------------------
 * Numbers
 * ------------------------------------------------------------------------ */

sg_status
sg_canonical_number(const char *s, size_t len, char **out, size_t *out_len,
					sg_error *err)
{
	size_t		i = 0;
	bool		negative = false;
	const char *int_digits,
			   *frac_digits = NULL;
	size_t		nint = 0,
				nfrac = 0;
	long		exponent = 0;
	long		point;			/* digits before the decimal point, after the exponent */
	size_t		ndigits;
	char	   *buf;
	size_t		pos = 0;
	size_t		first;			/* first significant integer digit */
	bool		nonzero = false;

	*out = NULL;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		negative = s[i++] == '-';
	int_digits = s + i;
	while (i < len && is_digit(s[i]))
		i++, nint++;
	if (i < len && s[i] == '.')
	{
		i++;
		frac_digits = s + i;
		while (i < len && is_digit(s[i]))
			i++, nfrac++;
	}
	if (nint + nfrac == 0)
		return fail(err, SG_BAD_NUMBER,
					"Numbers are written as digits with an optional sign, decimal point and exponent.");
	if (i < len && (s[i] == 'e' || s[i] == 'E'))
	{
		bool		eneg = false;
		size_t		edigits = 0;

		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		while (i < len && is_digit(s[i]))
		{
			if (exponent <= 100000)
				exponent = exponent * 10 + (s[i] - '0');
			i++, edigits++;
		}
		if (edigits == 0)
			return fail(err, SG_BAD_NUMBER, "An exponent needs at least one digit.");
		if (eneg)
			exponent = -exponent;
	}
	if (i != len)
		return fail(err, SG_BAD_NUMBER,
					"Numbers are written as digits with an optional sign, decimal point and exponent.");

	ndigits = nint + nfrac;
	if (ndigits > SG_MAX_DIGITS || exponent > SG_MAX_DIGITS || exponent < -(long) SG_MAX_DIGITS)
		return fail(err, SG_NUMBER_RANGE, "Numbers are limited to %d digits.", SG_MAX_DIGITS);
	point = (long) nint + exponent;

	/*
	 * Digit k of the number (k = 0 is the first mantissa digit) sits at
	 * position point - 1 - k relative to the units.  The result shows every
	 * integer position from the first significant one (at least the units)
	 * and the fractional positions the mantissa reaches.
	 */
	{
		long		int_len = point > 0 ? point : 0;
		long		frac_len = (long) ndigits - point > 0 ? (long) ndigits - point : 0;
		size_t		cap = (size_t) (int_len + frac_len) + 4;

		/* the units digit is always printed: count it even when point <= 0 */
		if ((int_len > 0 ? int_len : 1) + frac_len > SG_MAX_DIGITS)
			return fail(err, SG_NUMBER_RANGE, "Numbers are limited to %d digits.", SG_MAX_DIGITS);
		buf = core_alloc(cap);
		if (buf == NULL)
			return fail(err, SG_NO_MEMORY, "Out of memory.");
		buf[pos++] = '-';		/* dropped below if the number is zero */
		first = pos;
		for (long k = point - int_len; k < point + frac_len; k++)
		{
			char		d = '0';

			if (k == point)
			{
				if (pos == first)
					buf[pos++] = '0';
				buf[pos++] = '.';
			}
			if (k >= 0 && (size_t) k < ndigits)
				d = (size_t) k < nint ? int_digits[k] : frac_digits[k - nint];
			if (d != '0')
				nonzero = true;
			/* no leading zeros in the integer part */
			if (k < point && d == '0' && pos == first && k < point - 1)
				continue;
			buf[pos++] = d;
		}
		if (pos == first)
			buf[pos++] = '0';
		buf[pos] = '\0';
	}
	if (!(negative && nonzero))
	{
		memmove(buf, buf + 1, pos);
		pos--;
	}
	*out = buf;
	*out_len = pos;
	return SG_OK;
}

/* Two canonical numbers are equal when they differ only in trailing fractional zeros. */
bool
sg_numbers_equal(sg_text a, sg_text b)
{
	size_t		alen = a.len,
				blen = b.len;

	if (memchr(a.ptr, '.', alen))
	{
		while (a.ptr[alen - 1] == '0')
			alen--;
		if (a.ptr[alen - 1] == '.')
			alen--;
	}
	if (memchr(b.ptr, '.', blen))
	{
		while (b.ptr[blen - 1] == '0')
			blen--;
		if (b.ptr[blen - 1] == '.')
			blen--;
	}
	return alen == blen && memcmp(a.ptr, b.ptr, alen) == 0;
}

/* ------------------------------------------------------------------------
 * Dates (proleptic Gregorian, as PostgreSQL's date)
 * ------------------------------------------------------------------------ */

static int32_t
days_from_civil(int y, int m, int d)
{
	int			era,
				yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	/* days since 1970-01-01, then since 2000-01-01 */
	return (int32_t) (era * 146097 + doe - 719468 - 10957);
}

static void
civil_from_days(int32_t day, int *year, int *month, int *mday)
{
	long		z = (long) day + 10957 + 719468;
	long		era = (z >= 0 ? z : z - 146096) / 146097;
	long		doe = z - era * 146097;
	long		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long		mp = (5 * doy + 2) / 153;
	long		d = doy - (153 * mp + 2) / 5 + 1;
	long		m = mp < 10 ? mp + 3 : mp - 9;

	*year = (int) (yoe + era * 400 + (m <= 2));
	*month = (int) m;
	*mday = (int) d;
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

sg_status
sg_parse_date(const char *s, size_t len, int32_t *day, sg_error *err)
{
	static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			y,
				m,
				d;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return fail(err, SG_BAD_DATE, "Dates are written YYYY-MM-DD.");
	for (size_t i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit(s[i]))
			return fail(err, SG_BAD_DATE, "Dates are written YYYY-MM-DD.");
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y == 0)
		return fail(err, SG_BAD_DATE, "Years run from 0001 to 9999.");
	if (m < 1 || m > 12 || d < 1 ||
		d > month_days[m - 1] + (m == 2 && is_leap(y)))
		return fail(err, SG_BAD_DATE, "%.10s is not a day of the calendar.", s);
	*day = days_from_civil(y, m, d);
	return SG_OK;
}

void
sg_format_date(int32_t day, char *buf)
{
	int			y,
				m,
				d;

	civil_from_days(day, &y, &m, &d);
	snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
}

/* ------------------------------------------------------------------------
 * Building the stored body
 * ------------------------------------------------------------------------ */

static void
put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char) v;
	p[1] = (unsigned char) (v >> 8);
	p[2] = (unsigned char) (v >> 16);
	p[3] = (unsigned char) (v >> 24);
}

static uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

/* Check one text value (metric, unit, owner, objective). */
static sg_status
check_text_value(sg_field field, sg_text v, sg_error *err)
{
	if (v.len == 0)
		return fail(err, SG_EMPTY_VALUE, "The value of %s is empty.", field_names[field]);
	if (v.len > SG_MAX_VALUE_BYTES)
		return fail(err, SG_TOO_LONG, "The value of %s is longer than %zu bytes.",
					field_names[field], SG_MAX_VALUE_BYTES);
	if (!utf8_is_valid(v.ptr, v.len))
		return fail(err, SG_BAD_UTF8, "The value of %s is not valid UTF-8.", field_names[field]);
	return SG_OK;
}

static sg_status
canonical_field_number(sg_field field, sg_text v, char **out, size_t *out_len,
					   sg_error *err)
{
	sg_status	st = sg_canonical_number(v.ptr, v.len, out, out_len, err);

	if (st == SG_BAD_NUMBER)
	{
		char		why[sizeof(err->detail)];

		memcpy(why, err->detail, sizeof(why));
		fail(err, st, "The value of %s is not a number. %s", field_names[field], why);
	}
	else if (st == SG_NUMBER_RANGE)
		fail(err, st, "The value of %s has more than %d digits.", field_names[field], SG_MAX_DIGITS);
	return st;
}

static sg_status
field_date(sg_field field, sg_text v, int32_t *day, sg_error *err)
{
	sg_status	st = sg_parse_date(v.ptr, v.len, day, err);

	if (st != SG_OK)
	{
		char		why[sizeof(err->detail)];

		memcpy(why, err->detail, sizeof(why));
		fail(err, st, "The value of %s is not a date. %s", field_names[field], why);
	}
	return st;
}

sg_status
sg_build(const sg_fields *fields, void **body, size_t *body_len, sg_error *err)
{
	const sg_text *f = fields->f;
	char	   *target = NULL,
			   *baseline = NULL;
	size_t		target_len = 0,
				baseline_len = 0;
	int32_t		starts = 0,
				due = 0;
	unsigned	flags = 0;
	sg_text		stored[SG_NFIELDS];
	size_t		total;
	unsigned char *p;
	sg_status	st = SG_OK;

	*body = NULL;
	err->status = SG_OK;
	err->detail[0] = '\0';

	if (f[SG_METRIC].ptr == NULL || f[SG_TARGET].ptr == NULL)
		return fail(err, SG_MISSING, "A goal needs a %s.",
					f[SG_METRIC].ptr == NULL ? "metric" : "target");
	memset(stored, 0, sizeof(stored));
	for (sg_field k = 0; k < SG_NFIELDS; k++)
	{
		if (f[k].ptr == NULL)
			continue;
		switch (k)
		{
			case SG_METRIC:
			case SG_UNIT:
			case SG_OWNER:
			case SG_OBJECTIVE:
				st = check_text_value(k, f[k], err);
				stored[k] = f[k];
				break;
			case SG_TARGET:
				st = canonical_field_number(k, f[k], &target, &target_len, err);
				stored[k] = (sg_text) {target, target_len};
				break;
			case SG_BASELINE:
				st = canonical_field_number(k, f[k], &baseline, &baseline_len, err);
				stored[k] = (sg_text) {baseline, baseline_len};
				break;
			case SG_STARTS:
				st = field_date(k, f[k], &starts, err);
				break;
			case SG_DUE:
				st = field_date(k, f[k], &due, err);
				break;
			case SG_NFIELDS:
				break;
		}
		if (st != SG_OK)
			goto done;
	}
	if (f[SG_STARTS].ptr && f[SG_DUE].ptr && due < starts)
	{
		st = fail(err, SG_DUE_BEFORE_STARTS, "The due date %.10s is before the start date %.10s.",
				  f[SG_DUE].ptr, f[SG_STARTS].ptr);
		goto done;
	}
	if (baseline && sg_numbers_equal(stored[SG_TARGET], stored[SG_BASELINE]))
	{
		st = fail(err, SG_TARGET_IS_BASELINE,
				  "The target equals the baseline, so there is nothing to achieve.");
		goto done;
	}

	flags = (f[SG_BASELINE].ptr ? SG_HAS_BASELINE : 0) | (f[SG_UNIT].ptr ? SG_HAS_UNIT : 0) |
		(f[SG_STARTS].ptr ? SG_HAS_STARTS : 0) | (f[SG_DUE].ptr ? SG_HAS_DUE : 0) |
		(f[SG_OWNER].ptr ? SG_HAS_OWNER : 0) | (f[SG_OBJECTIVE].ptr ? SG_HAS_OBJECTIVE : 0);

	/* each value is at most SG_MAX_VALUE_BYTES: no overflow */
	total = SG_FIXED_BYTES + 4 + stored[SG_METRIC].len + 4 + stored[SG_TARGET].len;
	for (size_t i = 0; i < NOPTIONAL; i++)
		if (flags & stored_optional[i].flag)
			total += 4 + stored[stored_optional[i].field].len;

	p = core_alloc(total);
	if (p == NULL)
	{
		st = fail(err, SG_NO_MEMORY, "Out of memory.");
		goto done;
	}
	*body = p;
	*body_len = total;
	*p++ = SG_FORMAT_VERSION;
	*p++ = (unsigned char) flags;
	put_u32(p, (uint32_t) starts), p += 4;
	put_u32(p, (uint32_t) due), p += 4;
	{
		sg_field	order[2 + NOPTIONAL];
		size_t		n = 0;

		order[n++] = SG_METRIC;
		order[n++] = SG_TARGET;
		for (size_t i = 0; i < NOPTIONAL; i++)
			if (flags & stored_optional[i].flag)
				order[n++] = stored_optional[i].field;
		for (size_t i = 0; i < n; i++)
		{
			sg_text		v = stored[order[i]];

			put_u32(p, (uint32_t) v.len), p += 4;
			memcpy(p, v.ptr, v.len), p += v.len;
		}
	}

done:
	core_free(target);
	core_free(baseline);
	return st;
}

/* ------------------------------------------------------------------------
 * Reading a stored body
 * ------------------------------------------------------------------------ */

static sg_text *
view_slot(sg_view *view, sg_field field)
{
	switch (field)
	{
		case SG_METRIC:
			return &view->metric;
		case SG_TARGET:
			return &view->target;
		case SG_BASELINE:
			return &view->baseline;
		case SG_UNIT:
			return &view->unit;
		case SG_OWNER:
			return &view->owner;
		case SG_OBJECTIVE:
			return &view->objective;
		default:
			return NULL;
	}
}

/*
 * Split a body into its parts, checking only the framing.  Returns false if
 * the lengths do not add up.
 */
static bool
split_body(const unsigned char *p, size_t len, sg_view *view)
{
	const unsigned char *end = p + len;
	sg_field	order[2 + NOPTIONAL];
	size_t		n = 0;

	memset(view, 0, sizeof(*view));
	if (len < SG_FIXED_BYTES || p[0] != SG_FORMAT_VERSION || (p[1] & ~SG_HAS_ALL) != 0)
		return false;
	view->flags = p[1];
	view->starts = (int32_t) get_u32(p + 2);
	view->due = (int32_t) get_u32(p + 6);
	p += SG_FIXED_BYTES;
	order[n++] = SG_METRIC;
	order[n++] = SG_TARGET;
	for (size_t i = 0; i < NOPTIONAL; i++)
		if (view->flags & stored_optional[i].flag)
			order[n++] = stored_optional[i].field;
	for (size_t i = 0; i < n; i++)
	{
		uint32_t	vlen;
		sg_text    *slot = view_slot(view, order[i]);

		if ((size_t) (end - p) < 4)
			return false;
		vlen = get_u32(p);
		p += 4;
		if ((size_t) (end - p) < vlen)
			return false;
		slot->ptr = (const char *) p;
		slot->len = vlen;
		p += vlen;
	}
	return p == end;
}

void
sg_view_init(sg_view *view, const void *body)
{
	const unsigned char *p = body;
	size_t		len = SG_FIXED_BYTES;
	unsigned	flags = p[1];
	size_t		nvalues = 2;

	/* the framing is known to be right: walk it to find the length */
	for (size_t i = 0; i < NOPTIONAL; i++)
		if (flags & stored_optional[i].flag)
			nvalues++;
	for (size_t i = 0; i < nvalues; i++)
		len += 4 + get_u32(p + len);
	split_body(p, len, view);
}

void
sg_view_fields(const sg_view *view, sg_fields *fields, char dates[SG_DATES_BUF])
{
	memset(fields, 0, sizeof(*fields));
	fields->f[SG_METRIC] = view->metric;
	fields->f[SG_BASELINE] = view->baseline;
	fields->f[SG_TARGET] = view->target;
	fields->f[SG_UNIT] = view->unit;
	fields->f[SG_OWNER] = view->owner;
	fields->f[SG_OBJECTIVE] = view->objective;
	if (view->flags & SG_HAS_STARTS)
	{
		sg_format_date(view->starts, dates);
		fields->f[SG_STARTS] = (sg_text) {dates, 10};
	}
	if (view->flags & SG_HAS_DUE)
	{
		sg_format_date(view->due, dates + 11);
		fields->f[SG_DUE] = (sg_text) {dates + 11, 10};
	}
}

sg_status
sg_validate(const void *body, size_t len, sg_view *view, sg_error *err)
{
	sg_fields	fields;
	char		dates[SG_DATES_BUF];
	void	   *rebuilt;
	size_t		rebuilt_len;
	sg_status	st;
	bool		same;

	err->status = SG_OK;
	err->detail[0] = '\0';
	if (!split_body(body, len, view))
		return fail(err, SG_CORRUPT, "The bytes are not a smart_goal of format version %d.",
					SG_FORMAT_VERSION);
	if (((view->flags & SG_HAS_STARTS) == 0 && view->starts != 0) ||
		((view->flags & SG_HAS_DUE) == 0 && view->due != 0))
		return fail(err, SG_CORRUPT, "An absent date is not stored as zero.");
	if (((view->flags & SG_HAS_STARTS) && (view->starts < SG_MIN_DAY || view->starts > SG_MAX_DAY)) ||
		((view->flags & SG_HAS_DUE) && (view->due < SG_MIN_DAY || view->due > SG_MAX_DAY)))
		return fail(err, SG_CORRUPT, "A date is outside 0001-01-01 to 9999-12-31.");

	sg_view_fields(view, &fields, dates);
	st = sg_build(&fields, &rebuilt, &rebuilt_len, err);
	if (st == SG_NO_MEMORY)
		return st;
	if (st != SG_OK)
	{
		err->status = SG_CORRUPT;
		return SG_CORRUPT;
	}
	same = rebuilt_len == len && memcmp(rebuilt, body, len) == 0;
	core_free(rebuilt);
	if (!same)
		return fail(err, SG_CORRUPT, "A number is not stored in canonical form.");
	return SG_OK;
}

/* ------------------------------------------------------------------------
 * Text form
 * ------------------------------------------------------------------------ */

static bool
needs_quotes(sg_text v)
{
	if (v.len == 0)
		return true;
	for (size_t i = 0; i < v.len; i++)
	{
		char		c = v.ptr[i];

		if (is_blank(c) || c == '"' || c == '\\' || c == '=')
			return true;
	}
	return false;
}

/* Bytes the value takes in the text form (quotes and escapes included). */
static size_t
value_text_len(sg_text v)
{
	size_t		n = v.len;

	if (!needs_quotes(v))
		return n;
	for (size_t i = 0; i < v.len; i++)
		if (v.ptr[i] == '"' || v.ptr[i] == '\\')
			n++;
	return n + 2;
}

static char *
put_value(char *p, sg_text v)
{
	if (!needs_quotes(v))
	{
		memcpy(p, v.ptr, v.len);
		return p + v.len;
	}
	*p++ = '"';
	for (size_t i = 0; i < v.len; i++)
	{
		if (v.ptr[i] == '"' || v.ptr[i] == '\\')
			*p++ = '\\';
		*p++ = v.ptr[i];
	}
	*p++ = '"';
	return p;
}

sg_status
sg_format(const sg_view *view, char **text, size_t *text_len)
{
	sg_fields	fields;
	const sg_text *values = fields.f;
	char		dates[SG_DATES_BUF];
	size_t		total = 1;
	char	   *buf,
			   *p;

	sg_view_fields(view, &fields, dates);
	/* values are at most SG_MAX_VALUE_BYTES: no overflow */
	for (sg_field k = 0; k < SG_NFIELDS; k++)
		if (values[k].ptr)
			total += strlen(field_names[k]) + 2 + value_text_len(values[k]);
	buf = core_alloc(total);
	if (buf == NULL)
		return SG_NO_MEMORY;
	p = buf;
	for (sg_field k = 0; k < SG_NFIELDS; k++)
	{
		size_t		klen = strlen(field_names[k]);

		if (values[k].ptr == NULL)
			continue;
		if (p != buf)
			*p++ = ' ';
		memcpy(p, field_names[k], klen);
		p += klen;
		*p++ = '=';
		p = put_value(p, values[k]);
	}
	*p = '\0';
	*text = buf;
	*text_len = (size_t) (p - buf);
	return SG_OK;
}

/* The field a key names (ASCII, any case), or SG_NFIELDS. */
static sg_field
key_field(const char *key, size_t len)
{
	for (sg_field k = 0; k < SG_NFIELDS; k++)
	{
		const char *name = field_names[k];
		size_t		i;

		if (strlen(name) != len)
			continue;
		for (i = 0; i < len; i++)
		{
			char		c = key[i];

			if (c >= 'A' && c <= 'Z')
				c = (char) (c - 'A' + 'a');
			if (c != name[i])
				break;
		}
		if (i == len)
			return k;
	}
	return SG_NFIELDS;
}

/*
 * Read the value starting at s[*pos] (bare or quoted) into *value; a quoted
 * value with escapes is unescaped into a new buffer (*owned).
 */
static sg_status
read_value(const char *s, size_t len, size_t *pos, sg_field field,
		   sg_text *value, char **owned, sg_error *err)
{
	size_t		i = *pos;

	*owned = NULL;
	if (i < len && s[i] == '"')
	{
		size_t		start = ++i,
					nescapes = 0;
		char	   *buf,
				   *q;

		while (i < len && s[i] != '"')
		{
			if (s[i] == '\\')
			{
				if (i + 1 >= len || (s[i + 1] != '"' && s[i + 1] != '\\'))
					return fail(err, SG_SYNTAX,
								"In the quoted value of %s, a backslash may only escape '\"' or '\\'.",
								field_names[field]);
				nescapes++;
				i++;
			}
			i++;
		}
		if (i >= len)
			return fail(err, SG_SYNTAX, "The quoted value of %s has no closing quote.",
						field_names[field]);
		*pos = i + 1;
		if (nescapes == 0)
		{
			*value = (sg_text) {s + start, i - start};
			return SG_OK;
		}
		buf = core_alloc(i - start);
		if (buf == NULL)
			return fail(err, SG_NO_MEMORY, "Out of memory.");
		q = buf;
		for (size_t j = start; j < i; j++)
		{
			if (s[j] == '\\')
				j++;
			*q++ = s[j];
		}
		*owned = buf;
		*value = (sg_text) {buf, (size_t) (q - buf)};
		return SG_OK;
	}
	while (i < len && !is_blank(s[i]))
	{
		if (s[i] == '"' || s[i] == '\\')
			return fail(err, SG_SYNTAX,
						"The value of %s contains '%c': write values with quotes or backslashes in double quotes.",
						field_names[field], s[i]);
		i++;
	}
	*value = (sg_text) {s + *pos, i - *pos};
	*pos = i;
	return SG_OK;
}

sg_status
sg_parse(const char *text, size_t len, void **body, size_t *body_len,
		 sg_error *err)
{
	sg_fields	fields;
	char	   *owned[SG_NFIELDS];
	size_t		i = 0;
	sg_status	st = SG_OK;

	*body = NULL;
	err->status = SG_OK;
	err->detail[0] = '\0';
	memset(&fields, 0, sizeof(fields));
	memset(owned, 0, sizeof(owned));

	for (;;)
	{
		size_t		kstart;
		sg_field	field;

		while (i < len && is_blank(text[i]))
			i++;
		if (i >= len)
			break;
		kstart = i;
		while (i < len && text[i] != '=' && !is_blank(text[i]))
			i++;
		if (i >= len || text[i] != '=')
		{
			st = fail(err, SG_SYNTAX, "Expected key=value, found \"%.*s\".",
					  (int) ((i - kstart) > 40 ? 40 : (i - kstart)), text + kstart);
			goto done;
		}
		field = key_field(text + kstart, i - kstart);
		if (field == SG_NFIELDS)
		{
			st = fail(err, SG_UNKNOWN_KEY,
					  "Unknown key \"%.*s\": the keys are metric, baseline, target, unit, starts, due, owner and objective.",
					  (int) ((i - kstart) > 40 ? 40 : (i - kstart)), text + kstart);
			goto done;
		}
		if (fields.f[field].ptr != NULL)
		{
			st = fail(err, SG_DUPLICATE_KEY, "The key %s appears more than once.",
					  field_names[field]);
			goto done;
		}
		i++;					/* the '=' */
		if (i >= len || is_blank(text[i]))
		{
			/* "target= 1": say so here, not "found 1" at the next token */
			st = fail(err, SG_EMPTY_VALUE, "The value of %s is empty.", field_names[field]);
			goto done;
		}
		st = read_value(text, len, &i, field, &fields.f[field], &owned[field], err);
		if (st != SG_OK)
			goto done;
		if (i < len && !is_blank(text[i]))
		{
			st = fail(err, SG_SYNTAX, "The quoted value of %s is followed by \"%c\" instead of a blank.",
					  field_names[field], text[i]);
			goto done;
		}
	}
	st = sg_build(&fields, body, body_len, err);

done:
	for (int k = 0; k < SG_NFIELDS; k++)
		core_free(owned[k]);
	return st;
}

/* ------------------------------------------------------------------------
 * Ordering
 * ------------------------------------------------------------------------ */

int
sg_compare(const void *a, size_t alen, const void *b, size_t blen)
{
	sg_view		va,
				vb;
	int			c;

	sg_view_init(&va, a);
	sg_view_init(&vb, b);
	c = memcmp(va.metric.ptr, vb.metric.ptr, va.metric.len < vb.metric.len ? va.metric.len : vb.metric.len);
	if (c == 0 && va.metric.len != vb.metric.len)
		c = va.metric.len < vb.metric.len ? -1 : 1;
	if (c == 0)
	{
		c = memcmp(a, b, alen < blen ? alen : blen);
		if (c == 0 && alen != blen)
			c = alen < blen ? -1 : 1;
	}
	return c < 0 ? -1 : c > 0 ? 1 : 0;
}
