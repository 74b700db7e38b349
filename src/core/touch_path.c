/*
 * touch_path.c - ordered customer paths (backend-free core); see touch_path.h
 */
#include "touch_path.h"

#include <stdio.h>
#include <string.h>

#include "core_alloc.h"
#include "label.h"
#include "strtab.h"

/* ---------------------------------------------------------------------------
 * Small helpers
 */

static void
set_error(tp_error *err, tp_status status, const char *detail)
{
	if (err == NULL)
		return;
	err->status = status;
	err->label_status = 0;
	snprintf(err->detail, sizeof(err->detail), "%s", detail ? detail : "");
}

static uint32_t
get_u32(const unsigned char *p)
{
	uint32_t	v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static void
put_u32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

static void
put_i64(unsigned char *p, int64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* big-endian, for the wire form */
static uint32_t
get_be32(const unsigned char *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) |
		((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

static uint64_t
get_be64(const unsigned char *p)
{
	return ((uint64_t) get_be32(p) << 32) | get_be32(p + 4);
}

static void
put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char) (v >> 24);
	p[1] = (unsigned char) (v >> 16);
	p[2] = (unsigned char) (v >> 8);
	p[3] = (unsigned char) v;
}

static void
put_be64(unsigned char *p, uint64_t v)
{
	put_be32(p, (uint32_t) (v >> 32));
	put_be32(p + 4, (uint32_t) v);
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* ---------------------------------------------------------------------------
 * Views of stored bodies
 */

/* Sizes of the parts of a body; false if they overflow or exceed len. */
static bool
body_layout(uint32_t ntouches, uint32_t nchannels, size_t label_bytes,
			bool has_times, size_t *total)
{
	size_t		size = TP_HEADER_SIZE;

	if (ntouches > TP_MAX_TOUCHES || nchannels > ntouches ||
		label_bytes > TP_MAX_LABEL_BYTES)
		return false;
	if (has_times)
		size += (size_t) ntouches * 8;
	size += (size_t) ntouches * 4 + (size_t) nchannels * 4 + label_bytes;
	*total = size;
	return true;
}

void
tp_view_init(tp_view *view, const void *body)
{
	const unsigned char *p = body;
	size_t		off = TP_HEADER_SIZE;

	view->has_times = (p[1] & TP_FLAG_TIMES) != 0;
	view->ntouches = get_u32(p + 4);
	view->nchannels = get_u32(p + 8);
	view->times = NULL;
	if (view->has_times)
	{
		view->times = p + off;
		off += (size_t) view->ntouches * 8;
	}
	view->channels = p + off;
	off += (size_t) view->ntouches * 4;
	view->label_ends = p + off;
	off += (size_t) view->nchannels * 4;
	view->labels = (const char *) p + off;
}

/* A label as stored: non-empty, no '>' or '@'. */
static bool
label_is_storable(const char *s, size_t len)
{
	return len > 0 && memchr(s, '>', len) == NULL && memchr(s, '@', len) == NULL;
}

tp_status
tp_validate(const void *body, size_t len, tp_view *view, tp_error *err)
{
	const unsigned char *p = body;
	uint32_t	ntouches,
				nchannels,
				label_bytes;
	size_t		total;
	uint32_t	next_new = 0;
	uint32_t	prev_end = 0;
	int64_t		prev_time = TP_NO_TIME;

	if (len < TP_HEADER_SIZE || p[0] != TP_VERSION ||
		(p[1] & ~TP_FLAG_TIMES) != 0 || p[2] != 0 || p[3] != 0)
	{
		set_error(err, TP_CORRUPT, "The header is not that of a version 1 touch_path.");
		return TP_CORRUPT;
	}
	ntouches = get_u32(p + 4);
	nchannels = get_u32(p + 8);
	label_bytes = get_u32(p + 12);
	if (!body_layout(ntouches, nchannels, label_bytes, (p[1] & TP_FLAG_TIMES) != 0, &total) ||
		total != len)
	{
		set_error(err, TP_CORRUPT, "The sizes in the header do not match the data.");
		return TP_CORRUPT;
	}
	tp_view_init(view, body);

	/* dictionary: increasing end offsets, the last one at label_bytes */
	for (uint32_t c = 0; c < nchannels; c++)
	{
		uint32_t	end = get_u32(view->label_ends + (size_t) c * 4);
		size_t		llen;
		const char *label;
		char	   *normalised;
		size_t		normalised_len;
		bool		same;

		if (end <= prev_end || end > label_bytes)
		{
			set_error(err, TP_CORRUPT, "The label dictionary is malformed.");
			return TP_CORRUPT;
		}
		prev_end = end;
		label = tp_view_label(view, c, &llen);
		if (!label_is_storable(label, llen))
		{
			set_error(err, TP_CORRUPT, "A label is empty or contains '>' or '@'.");
			return TP_CORRUPT;
		}
		/* stored labels are normalised: normalising again changes nothing */
		if (label_normalize(label, llen, &normalised, &normalised_len) != LABEL_OK)
		{
			set_error(err, TP_CORRUPT, "A label is not valid UTF-8.");
			return TP_CORRUPT;
		}
		same = normalised_len == llen && memcmp(normalised, label, llen) == 0;
		core_free(normalised);
		if (!same)
		{
			set_error(err, TP_CORRUPT, "A label is not in normalised form.");
			return TP_CORRUPT;
		}
		for (uint32_t d = 0; d < c; d++)
		{
			size_t		dlen;
			const char *other = tp_view_label(view, d, &dlen);

			if (dlen == llen && memcmp(other, label, llen) == 0)
			{
				set_error(err, TP_CORRUPT, "The label dictionary has a duplicate.");
				return TP_CORRUPT;
			}
		}
	}
	if (prev_end != label_bytes)
	{
		set_error(err, TP_CORRUPT, "The label dictionary is malformed.");
		return TP_CORRUPT;
	}

	/* touches: channels in order of first occurrence; times in range and not decreasing */
	for (uint32_t t = 0; t < ntouches; t++)
	{
		uint32_t	ch = tp_view_channel(view, t);
		int64_t		time = tp_view_time(view, t);

		if (ch > next_new || ch >= nchannels)
		{
			set_error(err, TP_CORRUPT, "A touch refers to a label out of order or out of range.");
			return TP_CORRUPT;
		}
		if (ch == next_new)
			next_new++;
		if (time != TP_NO_TIME)
		{
			if (time < TP_MIN_TIME || time > TP_MAX_TIME)
			{
				set_error(err, TP_CORRUPT, "A touch time is out of range.");
				return TP_CORRUPT;
			}
			if (prev_time != TP_NO_TIME && time < prev_time)
			{
				set_error(err, TP_CORRUPT, "Touch times decrease along the path.");
				return TP_CORRUPT;
			}
			prev_time = time;
		}
	}
	if (next_new != nchannels)
	{
		set_error(err, TP_CORRUPT, "The label dictionary has an unused label.");
		return TP_CORRUPT;
	}
	if (view->has_times)
	{
		bool		any = false;

		for (uint32_t t = 0; t < ntouches && !any; t++)
			any = tp_view_time(view, t) != TP_NO_TIME;
		if (!any)
		{
			set_error(err, TP_CORRUPT, "The times flag is set but no touch has a time.");
			return TP_CORRUPT;
		}
	}
	return TP_OK;
}

/* ---------------------------------------------------------------------------
 * Builder
 */

struct tp_builder
{
	uint32_t	ntouches;
	uint32_t	touch_cap;
	uint32_t	time_cap;
	int64_t    *times;
	uint32_t   *channels;
	bool		any_time;
	strtab		dict;			/* the labels, in order of first occurrence */
};

tp_builder *
tp_builder_new(void)
{
	tp_builder *b = core_alloc(sizeof(tp_builder));

	if (b == NULL)
		return NULL;
	memset(b, 0, sizeof(*b));
	return b;
}

void
tp_builder_free(tp_builder *b)
{
	if (b == NULL)
		return;
	core_free(b->times);
	core_free(b->channels);
	strtab_free(&b->dict);
	core_free(b);
}

/* Grow an array of n elements of size elem to at least need elements. */
static bool
grow(void **array, uint32_t *cap, uint32_t need, size_t elem)
{
	uint32_t	new_cap;
	void	   *p;

	if (need <= *cap)
		return true;
	new_cap = *cap ? *cap : 8;
	while (new_cap < need)
		new_cap = new_cap > UINT32_MAX / 2 ? UINT32_MAX : new_cap * 2;
	p = core_alloc((size_t) new_cap * elem);
	if (p == NULL)
		return false;
	if (*array)
	{
		memcpy(p, *array, (size_t) (*cap) * elem);
		core_free(*array);
	}
	*array = p;
	*cap = new_cap;
	return true;
}

/* The dictionary index of label, added if new; UINT32_MAX with *status set on failure. */
static uint32_t
builder_intern(tp_builder *b, const char *s, size_t len, tp_status *status)
{
	uint32_t	id = strtab_find(&b->dict, s, len);

	if (id != UINT32_MAX)
		return id;
	if (b->dict.nbytes + len > TP_MAX_LABEL_BYTES)
	{
		*status = TP_TOO_LONG;
		return UINT32_MAX;
	}
	id = strtab_intern(&b->dict, s, len);
	if (id == STRTAB_NO_MEMORY)
	{
		*status = TP_NO_MEMORY;
		return UINT32_MAX;
	}
	return id;
}

tp_status
tp_builder_add(tp_builder *b, const char *label, size_t len, bool normalised,
			   int64_t time, tp_error *err)
{
	char	   *norm = NULL;
	size_t		norm_len = len;
	uint32_t	channel;
	tp_status	status = TP_OK;

	if (b->ntouches >= TP_MAX_TOUCHES)
	{
		set_error(err, TP_TOO_LONG, NULL);
		return TP_TOO_LONG;
	}
	if (time != TP_NO_TIME && (time < TP_MIN_TIME || time > TP_MAX_TIME))
	{
		set_error(err, TP_BAD_TIME, "Touch times must lie between 0001-01-01 and 9999-12-31 (UTC).");
		return TP_BAD_TIME;
	}
	if (!normalised)
	{
		label_status ls = label_normalize(label, len, &norm, &norm_len);

		if (ls != LABEL_OK)
		{
			set_error(err, TP_LABEL_ERROR, NULL);
			if (err)
				err->label_status = (int) ls;
			return TP_LABEL_ERROR;
		}
		label = norm;
	}
	if (!label_is_storable(label, norm_len))
	{
		set_error(err, TP_BAD_LABEL, norm_len == 0
				  ? "A channel label is empty after normalisation."
				  : "A channel label cannot contain \">\" or \"@\".");
		core_free(norm);
		return TP_BAD_LABEL;
	}
	channel = builder_intern(b, label, norm_len, &status);
	core_free(norm);
	if (channel == UINT32_MAX)
	{
		set_error(err, status, NULL);
		return status;
	}
	if (!grow((void **) &b->channels, &b->touch_cap, b->ntouches + 1, sizeof(uint32_t)) ||
		!grow((void **) &b->times, &b->time_cap, b->ntouches + 1, sizeof(int64_t)))
		goto no_memory;
	b->channels[b->ntouches] = channel;
	b->times[b->ntouches] = time;
	b->ntouches++;
	if (time != TP_NO_TIME)
		b->any_time = true;
	return TP_OK;

no_memory:
	set_error(err, TP_NO_MEMORY, NULL);
	return TP_NO_MEMORY;
}

tp_status
tp_builder_finish(tp_builder *b, void **body, size_t *len, tp_error *err)
{
	size_t		total;
	unsigned char *p;
	size_t		off = TP_HEADER_SIZE;
	int64_t		prev = TP_NO_TIME;

	for (uint32_t t = 0; t < b->ntouches; t++)
	{
		if (b->times[t] == TP_NO_TIME)
			continue;
		if (prev != TP_NO_TIME && b->times[t] < prev)
		{
			char		detail[160];

			snprintf(detail, sizeof(detail),
					 "Touch %u is earlier than the touch before it; times must not decrease along a path.",
					 t + 1);
			set_error(err, TP_TIME_ORDER, detail);
			return TP_TIME_ORDER;
		}
		prev = b->times[t];
	}
	if (!body_layout(b->ntouches, b->dict.count, b->dict.nbytes, b->any_time, &total))
	{
		set_error(err, TP_TOO_LONG, NULL);
		return TP_TOO_LONG;
	}
	p = core_alloc(total);
	if (p == NULL)
	{
		set_error(err, TP_NO_MEMORY, NULL);
		return TP_NO_MEMORY;
	}
	p[0] = TP_VERSION;
	p[1] = b->any_time ? TP_FLAG_TIMES : 0;
	p[2] = p[3] = 0;
	put_u32(p + 4, b->ntouches);
	put_u32(p + 8, b->dict.count);
	put_u32(p + 12, (uint32_t) b->dict.nbytes);
	if (b->any_time)
	{
		for (uint32_t t = 0; t < b->ntouches; t++, off += 8)
			put_i64(p + off, b->times[t]);
	}
	for (uint32_t t = 0; t < b->ntouches; t++, off += 4)
		put_u32(p + off, b->channels[t]);
	for (uint32_t c = 0; c < b->dict.count; c++, off += 4)
		put_u32(p + off, b->dict.ends[c]);
	if (b->dict.nbytes)
		memcpy(p + off, b->dict.bytes, b->dict.nbytes);
	*body = p;
	*len = total;
	return TP_OK;
}

/* ---------------------------------------------------------------------------
 * Timestamps
 */

#define USECS_PER_SEC	INT64_C(1000000)
#define USECS_PER_DAY	INT64_C(86400000000)
#define DAYS_1970_TO_2000 10957

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		era;
	int64_t		yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t		era,
				doe,
				yoe,
				doy,
				mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = (int) (yoe + era * 400 + (*m <= 2));
}

static int
days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* n decimal digits at s[*pos]; false if not all digits. */
static bool
digits(const char *s, size_t len, size_t *pos, int n, int *value)
{
	int			v = 0;

	if (*pos + (size_t) n > len)
		return false;
	for (int i = 0; i < n; i++)
	{
		char		c = s[*pos + (size_t) i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*pos += (size_t) n;
	*value = v;
	return true;
}

static bool
time_syntax(tp_error *err)
{
	set_error(err, TP_SYNTAX,
			  "Touch times are written YYYY-MM-DD HH:MM[:SS[.ffffff]] followed by Z or a UTC offset such as +00 or -05:30.");
	return false;
}

bool
tp_parse_time(const char *s, size_t len, int64_t *out, tp_error *err)
{
	size_t		pos = 0;
	int			year,
				month,
				day,
				hour,
				minute,
				second = 0,
				off_h = 0,
				off_m = 0;
	int64_t		frac = 0;
	int			sign = 1;
	int64_t		t;

	if (!digits(s, len, &pos, 4, &year) || pos >= len || s[pos++] != '-' ||
		!digits(s, len, &pos, 2, &month) || pos >= len || s[pos++] != '-' ||
		!digits(s, len, &pos, 2, &day) || pos >= len ||
		(s[pos] != ' ' && s[pos] != 'T' && s[pos] != 't'))
		return time_syntax(err);
	pos++;
	if (!digits(s, len, &pos, 2, &hour) || pos >= len || s[pos++] != ':' ||
		!digits(s, len, &pos, 2, &minute))
		return time_syntax(err);
	if (pos < len && s[pos] == ':')
	{
		pos++;
		if (!digits(s, len, &pos, 2, &second))
			return time_syntax(err);
		if (pos < len && s[pos] == '.')
		{
			int			n = 0;

			pos++;
			while (pos < len && s[pos] >= '0' && s[pos] <= '9')
			{
				if (n == 6)
					return time_syntax(err);
				frac = frac * 10 + (s[pos++] - '0');
				n++;
			}
			if (n == 0)
				return time_syntax(err);
			for (; n < 6; n++)
				frac *= 10;
		}
	}
	while (pos < len && s[pos] == ' ')
		pos++;
	if (pos < len && (s[pos] == 'Z' || s[pos] == 'z'))
		pos++;
	else if (pos < len && (s[pos] == '+' || s[pos] == '-'))
	{
		sign = s[pos++] == '-' ? -1 : 1;
		if (!digits(s, len, &pos, 2, &off_h))
			return time_syntax(err);
		/* minutes: none, MM, or :MM (a colon needs its minutes) */
		if (pos < len && s[pos] == ':')
		{
			pos++;
			if (!digits(s, len, &pos, 2, &off_m))
				return time_syntax(err);
		}
		else if (pos < len && !digits(s, len, &pos, 2, &off_m))
			return time_syntax(err);
	}
	else
	{
		set_error(err, TP_SYNTAX,
				  "A touch time needs an explicit UTC offset (Z, +00, -05:30, ...), so that it means the same instant under every TimeZone setting.");
		return false;
	}
	if (pos != len)
		return time_syntax(err);
	if (year < 1 || month < 1 || month > 12 || day < 1 ||
		day > days_in_month(year, month) || hour > 23 || minute > 59 ||
		second > 59 || off_h > 15 || off_m > 59)
	{
		set_error(err, TP_BAD_TIME, "A date or time field is out of range.");
		return false;
	}
	t = (days_from_civil(year, month, day) - DAYS_1970_TO_2000) * USECS_PER_DAY +
		((int64_t) hour * 3600 + minute * 60 + second) * USECS_PER_SEC + frac -
		sign * ((int64_t) off_h * 3600 + off_m * 60) * USECS_PER_SEC;
	if (t < TP_MIN_TIME || t > TP_MAX_TIME)
	{
		set_error(err, TP_BAD_TIME, "Touch times must lie between 0001-01-01 and 9999-12-31 (UTC).");
		return false;
	}
	*out = t;
	return true;
}

void
tp_format_time(int64_t t, char *buf)
{
	int64_t		days = t / USECS_PER_DAY;
	int64_t		rest = t % USECS_PER_DAY;
	int			y,
				m,
				d;
	int64_t		secs;
	int			usec;
	int			n;

	if (rest < 0)
	{
		rest += USECS_PER_DAY;
		days--;
	}
	civil_from_days(days + DAYS_1970_TO_2000, &y, &m, &d);
	secs = rest / USECS_PER_SEC;
	usec = (int) (rest % USECS_PER_SEC);
	n = snprintf(buf, 40, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d,
				 (int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60));
	if (usec != 0)
	{
		int			digits_kept = 6;

		while (usec % 10 == 0)
		{
			usec /= 10;
			digits_kept--;
		}
		n += snprintf(buf + n, (size_t) (40 - n), ".%0*d", digits_kept, usec);
	}
	snprintf(buf + n, (size_t) (40 - n), "+00");
}

/* ---------------------------------------------------------------------------
 * Text form
 */

tp_status
tp_parse(const char *text, size_t len, void **body, size_t *body_len, tp_error *err)
{
	tp_builder *b;
	size_t		pos = 0;
	uint32_t	touch = 0;
	tp_status	status = TP_OK;
	bool		blank = true;

	for (size_t i = 0; i < len && blank; i++)
		blank = is_blank(text[i]);

	b = tp_builder_new();
	if (b == NULL)
	{
		set_error(err, TP_NO_MEMORY, NULL);
		return TP_NO_MEMORY;
	}
	while (!blank && status == TP_OK)
	{
		const char *gt = memchr(text + pos, '>', len - pos);
		size_t		end = gt ? (size_t) (gt - text) : len;
		size_t		s = pos,
					e = end;
		const char *at;
		int64_t		time = TP_NO_TIME;

		touch++;
		while (s < e && is_blank(text[s]))
			s++;
		while (e > s && is_blank(text[e - 1]))
			e--;
		if (s == e)
		{
			char		detail[160];

			snprintf(detail, sizeof(detail),
					 "Touch %u is empty: touches are channel labels separated by \">\".", touch);
			set_error(err, TP_SYNTAX, detail);
			status = TP_SYNTAX;
			break;
		}
		at = memchr(text + s, '@', e - s);
		if (at != NULL)
		{
			size_t		ts = (size_t) (at - text) + 1;

			while (ts < e && is_blank(text[ts]))
				ts++;
			if (!tp_parse_time(text + ts, e - ts, &time, err))
			{
				status = err ? err->status : TP_SYNTAX;
				break;
			}
			e = (size_t) (at - text);
		}
		status = tp_builder_add(b, text + s, e - s, false, time, err);
		if (gt == NULL)
			break;
		pos = end + 1;
	}
	if (status == TP_OK)
		status = tp_builder_finish(b, body, body_len, err);
	tp_builder_free(b);
	return status;
}

tp_status
tp_format(const void *body, char **text, size_t *text_len)
{
	tp_view		v;
	size_t		size = 1;
	char	   *out;
	size_t		n = 0;

	tp_view_init(&v, body);
	for (uint32_t t = 0; t < v.ntouches; t++)
	{
		size_t		llen;

		(void) tp_view_label(&v, tp_view_channel(&v, t), &llen);
		size += llen + 3 + (tp_view_time(&v, t) != TP_NO_TIME ? 40 : 0);
	}
	out = core_alloc(size);
	if (out == NULL)
		return TP_NO_MEMORY;
	for (uint32_t t = 0; t < v.ntouches; t++)
	{
		size_t		llen;
		const char *label = tp_view_label(&v, tp_view_channel(&v, t), &llen);
		int64_t		time = tp_view_time(&v, t);

		if (t > 0)
		{
			memcpy(out + n, " > ", 3);
			n += 3;
		}
		memcpy(out + n, label, llen);
		n += llen;
		if (time != TP_NO_TIME)
		{
			out[n++] = '@';
			tp_format_time(time, out + n);
			n += strlen(out + n);
		}
	}
	out[n] = '\0';
	*text = out;
	*text_len = n;
	return TP_OK;
}

/* ---------------------------------------------------------------------------
 * Wire form
 */

tp_status
tp_from_wire(const void *wire, size_t len, void **body, size_t *body_len, tp_error *err)
{
	const unsigned char *p = wire;
	size_t		pos = 5;
	uint32_t	ntouches;
	tp_builder *b;
	tp_status	status = TP_OK;

	if (len < 5 || p[0] != TP_VERSION)
	{
		set_error(err, TP_CORRUPT, "The data is not a version 1 touch_path.");
		return TP_CORRUPT;
	}
	ntouches = get_be32(p + 1);
	/* every touch takes at least 5 bytes: a count beyond that is corrupt, not long */
	if (ntouches > (len - 5) / 5)
	{
		set_error(err, TP_CORRUPT, "The touch count exceeds what the data can hold.");
		return TP_CORRUPT;
	}
	if (ntouches > TP_MAX_TOUCHES)
	{
		set_error(err, TP_TOO_LONG, NULL);
		return TP_TOO_LONG;
	}
	b = tp_builder_new();
	if (b == NULL)
	{
		set_error(err, TP_NO_MEMORY, NULL);
		return TP_NO_MEMORY;
	}
	for (uint32_t t = 0; t < ntouches && status == TP_OK; t++)
	{
		int64_t		time = TP_NO_TIME;
		uint32_t	llen;

		if (pos < len && p[pos] > 1)
		{
			set_error(err, TP_CORRUPT, "A touch's has-time byte is neither 0 nor 1.");
			status = TP_CORRUPT;
			break;
		}
		if (pos >= len || len - pos < 1 + (p[pos] ? 8u : 0u) + 4u)
		{
			set_error(err, TP_CORRUPT, "The data ends in the middle of a touch.");
			status = TP_CORRUPT;
			break;
		}
		if (p[pos++])
		{
			time = (int64_t) get_be64(p + pos);
			pos += 8;
			if (time == TP_NO_TIME)
			{
				set_error(err, TP_CORRUPT, "A touch time is out of range.");
				status = TP_CORRUPT;
				break;
			}
		}
		llen = get_be32(p + pos);
		pos += 4;
		if (llen > len - pos)
		{
			set_error(err, TP_CORRUPT, "The data ends in the middle of a touch.");
			status = TP_CORRUPT;
			break;
		}
		status = tp_builder_add(b, (const char *) p + pos, llen, false, time, err);
		pos += llen;
	}
	if (status == TP_OK && pos != len)
	{
		set_error(err, TP_CORRUPT, "The data has trailing bytes.");
		status = TP_CORRUPT;
	}
	if (status == TP_OK)
		status = tp_builder_finish(b, body, body_len, err);
	tp_builder_free(b);
	return status;
}

tp_status
tp_to_wire(const void *body, void **wire, size_t *len)
{
	tp_view		v;
	size_t		size = 5;
	unsigned char *p;
	size_t		pos = 5;

	tp_view_init(&v, body);
	for (uint32_t t = 0; t < v.ntouches; t++)
	{
		size_t		llen;

		(void) tp_view_label(&v, tp_view_channel(&v, t), &llen);
		size += 1 + 4 + llen + (tp_view_time(&v, t) != TP_NO_TIME ? 8 : 0);
	}
	p = core_alloc(size);
	if (p == NULL)
		return TP_NO_MEMORY;
	p[0] = TP_VERSION;
	put_be32(p + 1, v.ntouches);
	for (uint32_t t = 0; t < v.ntouches; t++)
	{
		size_t		llen;
		const char *label = tp_view_label(&v, tp_view_channel(&v, t), &llen);
		int64_t		time = tp_view_time(&v, t);

		p[pos++] = time != TP_NO_TIME;
		if (time != TP_NO_TIME)
		{
			put_be64(p + pos, (uint64_t) time);
			pos += 8;
		}
		put_be32(p + pos, (uint32_t) llen);
		pos += 4;
		memcpy(p + pos, label, llen);
		pos += llen;
	}
	*wire = p;
	*len = size;
	return TP_OK;
}

/* ---------------------------------------------------------------------------
 * Ordering
 */

int
tp_compare(const void *a, size_t alen, const void *b, size_t blen)
{
	tp_view		va,
				vb;
	uint32_t	n;

	(void) alen;
	(void) blen;
	tp_view_init(&va, a);
	tp_view_init(&vb, b);
	n = va.ntouches < vb.ntouches ? va.ntouches : vb.ntouches;
	for (uint32_t t = 0; t < n; t++)
	{
		size_t		la,
					lb;
		const char *sa = tp_view_label(&va, tp_view_channel(&va, t), &la);
		const char *sb = tp_view_label(&vb, tp_view_channel(&vb, t), &lb);
		int			c = memcmp(sa, sb, la < lb ? la : lb);
		int64_t		ta,
					tb;

		if (c != 0)
			return c < 0 ? -1 : 1;
		if (la != lb)
			return la < lb ? -1 : 1;
		ta = tp_view_time(&va, t);
		tb = tp_view_time(&vb, t);
		if (ta != tb)
			return ta < tb ? -1 : 1;	/* TP_NO_TIME is the smallest */
	}
	if (va.ntouches != vb.ntouches)
		return va.ntouches < vb.ntouches ? -1 : 1;
	return 0;
}

/* ---------------------------------------------------------------------------
 * Transforms
 */

/* A new body of the touches of v for which keep[t] is true. */
static tp_status
rebuild(const tp_view *v, const bool *keep, void **out, size_t *out_len)
{
	tp_builder *b = tp_builder_new();
	tp_status	status = TP_OK;

	if (b == NULL)
		return TP_NO_MEMORY;
	for (uint32_t t = 0; t < v->ntouches && status == TP_OK; t++)
	{
		size_t		llen;
		const char *label;

		if (!keep[t])
			continue;
		label = tp_view_label(v, tp_view_channel(v, t), &llen);
		status = tp_builder_add(b, label, llen, true, tp_view_time(v, t), NULL);
	}
	if (status == TP_OK)
		status = tp_builder_finish(b, out, out_len, NULL);
	tp_builder_free(b);
	return status;
}

typedef enum transform_kind
{
	TRANSFORM_COLLAPSE,
	TRANSFORM_FIRST,
	TRANSFORM_LAST_N,
	TRANSFORM_WITHIN,
	TRANSFORM_REMOVE,
	TRANSFORM_REMOVE_TRAILING
} transform_kind;

typedef struct transform_args
{
	uint32_t	n;
	int64_t		lower,
				upper;
	uint32_t	channel;		/* dictionary index of the label to remove, or UINT32_MAX */
} transform_args;

/* Mark the touches a transform keeps; false if it needs times some touch lacks. */
static bool
mark_kept(const tp_view *v, transform_kind kind, const transform_args *args, bool *keep)
{
	uint32_t	n = v->ntouches;

	for (uint32_t t = 0; t < n; t++)
		keep[t] = true;
	switch (kind)
	{
		case TRANSFORM_COLLAPSE:
			for (uint32_t t = 1; t < n; t++)
				keep[t] = tp_view_channel(v, t) != tp_view_channel(v, t - 1);
			break;
		case TRANSFORM_FIRST:
			/* dictionary order is first-occurrence order: channel c first appears when it is new */
			{
				uint32_t	next_new = 0;

				for (uint32_t t = 0; t < n; t++)
				{
					keep[t] = tp_view_channel(v, t) == next_new;
					if (keep[t])
						next_new++;
				}
			}
			break;
		case TRANSFORM_LAST_N:
			for (uint32_t t = 0; t < n; t++)
				keep[t] = n - t <= args->n;
			break;
		case TRANSFORM_WITHIN:
			for (uint32_t t = 0; t < n; t++)
			{
				int64_t		time = tp_view_time(v, t);

				if (time == TP_NO_TIME)
					return false;
				keep[t] = time >= args->lower && time <= args->upper;
			}
			break;
		case TRANSFORM_REMOVE:
		case TRANSFORM_REMOVE_TRAILING:
			{
				uint32_t	removed = 0;

				if (args->channel == UINT32_MAX)
					break;
				for (uint32_t t = n; t-- > 0;)
				{
					if (tp_view_channel(v, t) == args->channel)
					{
						keep[t] = false;
						removed++;
					}
					else if (kind == TRANSFORM_REMOVE_TRAILING)
						break;
				}
				/* a path of only that channel is left as it is */
				if (removed == n)
					for (uint32_t t = 0; t < n; t++)
						keep[t] = true;
			}
			break;
	}
	return true;
}

static tp_status
transform(const void *body, transform_kind kind, const transform_args *args,
		  void **out, size_t *out_len)
{
	tp_view		v;
	bool	   *keep;
	tp_status	status;

	tp_view_init(&v, body);
	keep = core_alloc((size_t) v.ntouches + 1);
	if (keep == NULL)
		return TP_NO_MEMORY;
	if (!mark_kept(&v, kind, args, keep))
		status = TP_BAD_TIME;
	else
		status = rebuild(&v, keep, out, out_len);
	core_free(keep);
	return status;
}

tp_status
tp_collapse(const void *body, void **out, size_t *out_len)
{
	transform_args args = {0};

	return transform(body, TRANSFORM_COLLAPSE, &args, out, out_len);
}

tp_status
tp_first(const void *body, void **out, size_t *out_len)
{
	transform_args args = {0};

	return transform(body, TRANSFORM_FIRST, &args, out, out_len);
}

tp_status
tp_last_n(const void *body, uint32_t n, void **out, size_t *out_len)
{
	transform_args args = {0};

	args.n = n;
	return transform(body, TRANSFORM_LAST_N, &args, out, out_len);
}

tp_status
tp_within(const void *body, int64_t lower, int64_t upper, void **out, size_t *out_len)
{
	transform_args args = {0};

	args.lower = lower;
	args.upper = upper;
	return transform(body, TRANSFORM_WITHIN, &args, out, out_len);
}

tp_status
tp_remove(const void *body, const char *label, size_t len, bool trailing_only,
		  void **out, size_t *out_len)
{
	transform_args args = {0};
	tp_view		v;

	tp_view_init(&v, body);
	args.channel = UINT32_MAX;
	for (uint32_t c = 0; c < v.nchannels; c++)
	{
		size_t		llen;
		const char *s = tp_view_label(&v, c, &llen);

		if (llen == len && memcmp(s, label, len) == 0)
			args.channel = c;
	}
	return transform(body, trailing_only ? TRANSFORM_REMOVE_TRAILING : TRANSFORM_REMOVE,
					 &args, out, out_len);
}
