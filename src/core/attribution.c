/*
 * attribution.c - rule-based attribution models (backend-free core);
 * see attribution.h
 */
#include "attribution.h"

#include <math.h>
#include <string.h>

#include "core_alloc.h"

typedef unsigned __int128 u128;

static const struct
{
	const char *name;
	attr_model	model;
}			model_names[] =
{
	{"first_touch", ATTR_FIRST_TOUCH},
	{"last_touch", ATTR_LAST_TOUCH},
	{"last_non_direct", ATTR_LAST_NON_DIRECT},
	{"linear", ATTR_LINEAR},
	{"position_based", ATTR_POSITION_BASED},
	{"u_shaped", ATTR_POSITION_BASED},
	{"time_decay", ATTR_TIME_DECAY},
	{"shapley_simplified", ATTR_SHAPLEY_SIMPLIFIED},
};

bool
attr_parse_model(const char *s, size_t len, attr_model *model)
{
	char		name[32];
	size_t		n = 0;

	if (memchr(s, '\0', len) != NULL)
		return false;
	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= sizeof(name))
		return false;
	for (size_t i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		else if (c == ' ' || c == '-')
			c = '_';
		name[n++] = c;
	}
	name[n] = '\0';
	for (size_t i = 0; i < sizeof(model_names) / sizeof(model_names[0]); i++)
	{
		if (strcmp(name, model_names[i].name) == 0)
		{
			*model = model_names[i].model;
			return true;
		}
	}
	return false;
}

static bool
is_direct(const tp_view *path, uint32_t touch)
{
	size_t		len;
	const char *label = tp_view_label(path, tp_view_channel(path, touch), &len);

	return len == 6 && memcmp(label, "direct", 6) == 0;
}

/* Bits needed for n: ceil(log2(n)), n >= 1. */
static int
ceil_log2(uint32_t n)
{
	int			bits = 0;

	while (((uint64_t) 1 << bits) < n)
		bits++;
	return bits;
}

static attr_status
time_decay_weights(const tp_view *path, int64_t conversion_at, int64_t half_life,
				   uint64_t *weights)
{
	uint32_t	n = path->ntouches;
	int64_t		last = tp_view_time(path, n - 1);
	int			scale_bits = 62 - ceil_log2(n);

	if (half_life <= 0)
		return ATTR_BAD_HALF_LIFE;
	for (uint32_t t = 0; t < n; t++)
		if (tp_view_time(path, t) == TP_NO_TIME)
			return ATTR_NEEDS_TIMES;
	if (conversion_at != TP_NO_TIME && conversion_at < last)
		return ATTR_AFTER_CONVERSION;

	/*
	 * 2^(-(conv - t_i)/h) normalised is 2^(-(last - t_i)/h) normalised: the
	 * conversion time cancels.  Relative to the last touch every weight is in
	 * (0, 1]; scaled by 2^scale_bits they sum to at most 2^62, and integer
	 * (last - t_i)/h give exact powers of two.
	 */
	for (uint32_t t = 0; t < n; t++)
	{
		double		age = (double) (last - tp_view_time(path, t)) / (double) half_life;
		double		w = ldexp(exp2(-age), scale_bits);

		weights[t] = (uint64_t) llround(w);
	}
	return ATTR_OK;
}

attr_status
attr_weights(attr_model model, const tp_view *path, int64_t conversion_at,
			 int64_t half_life, uint64_t *weights, uint64_t *total)
{
	uint32_t	n = path->ntouches;
	uint64_t	sum = 0;

	*total = 0;
	if (n == 0)
		return ATTR_OK;
	for (uint32_t t = 0; t < n; t++)
		weights[t] = 0;
	switch (model)
	{
		case ATTR_FIRST_TOUCH:
			weights[0] = 1;
			break;
		case ATTR_LAST_TOUCH:
			weights[n - 1] = 1;
			break;
		case ATTR_LAST_NON_DIRECT:
			{
				uint32_t	chosen = n - 1;

				for (uint32_t t = n; t-- > 0;)
				{
					if (!is_direct(path, t))
					{
						chosen = t;
						break;
					}
				}
				weights[chosen] = 1;
			}
			break;
		case ATTR_LINEAR:
			for (uint32_t t = 0; t < n; t++)
				weights[t] = 1;
			break;
		case ATTR_POSITION_BASED:
			for (uint32_t t = 0; t < n; t++)
				weights[t] = 1;
			if (n >= 3)
				weights[0] = weights[n - 1] = 2 * (uint64_t) (n - 2);
			break;
		case ATTR_SHAPLEY_SIMPLIFIED:
			{
				/* the dictionary is in first-occurrence order */
				uint32_t	next_new = 0;

				for (uint32_t t = 0; t < n; t++)
				{
					if (tp_view_channel(path, t) == next_new)
					{
						weights[t] = 1;
						next_new++;
					}
				}
			}
			break;
		case ATTR_TIME_DECAY:
			{
				attr_status status = time_decay_weights(path, conversion_at, half_life, weights);

				if (status != ATTR_OK)
					return status;
			}
			break;
	}
	for (uint32_t t = 0; t < n; t++)
		sum += weights[t];
	*total = sum;
	return ATTR_OK;
}

/* ---------------------------------------------------------------------------
 * Credits in 128-bit arithmetic
 */

int
attr_scale(const char *value)
{
	const char *point = strchr(value, '.');
	int			scale = point ? (int) strlen(point + 1) : 0;

	return scale > ATTR_MIN_SCALE ? scale : ATTR_MIN_SCALE;
}

char *
attr_place_point(const char *digits, int scale)
{
	size_t		len = strlen(digits);
	size_t		int_len = len > (size_t) scale ? len - (size_t) scale : 0;
	size_t		frac_len = (size_t) scale;
	char	   *out = core_alloc(len + (size_t) scale + 3);
	size_t		n = 0;
	const char *frac;

	if (out == NULL)
		return NULL;
	if (int_len == 0)
		out[n++] = '0';
	else
	{
		memcpy(out, digits, int_len);
		n = int_len;
	}
	/* the fractional digits, left-padded with zeros to `scale` digits */
	frac = digits + int_len;
	{
		size_t		have = len - int_len;
		size_t		pad = frac_len - have;

		/* trim trailing zeros */
		while (have > 0 && frac[have - 1] == '0')
			have--;
		if (have > 0)
		{
			out[n++] = '.';
			memset(out + n, '0', pad);
			n += pad;
			memcpy(out + n, frac, have);
			n += have;
		}
	}
	out[n] = '\0';
	return out;
}

static void
u128_to_digits(u128 v, char *buf)	/* buf >= 40 bytes */
{
	char		tmp[40];
	int			n = 0;

	do
	{
		tmp[n++] = (char) ('0' + (int) (v % 10));
		v /= 10;
	} while (v != 0);
	for (int i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

/* value as an integer of `scale` implied decimals; false on overflow or bad syntax */
static attr_status
parse_scaled(const char *value, int scale, u128 *out)
{
	u128		v = 0;
	int			frac = -1;
	const char *p = value;

	if (*p == '\0')
		return ATTR_BAD_VALUE;
	for (; *p; p++)
	{
		if (*p == '.' && frac < 0)
		{
			frac = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			return ATTR_BAD_VALUE;
		if (frac >= 0)
			frac++;
		if (__builtin_mul_overflow(v, (u128) 10, &v) ||
			__builtin_add_overflow(v, (u128) (*p - '0'), &v))
			return ATTR_OVERFLOW;
	}
	if (frac < 0)
		frac = 0;
	for (int i = frac; i < scale; i++)
		if (__builtin_mul_overflow(v, (u128) 10, &v))
			return ATTR_OVERFLOW;
	*out = v;
	return ATTR_OK;
}

/*
 * The cumulative rounding shared by both forms: calls emit(i, credit) for
 * each touch in order; stops at the first overflow or when emit fails.
 */
typedef bool (*credit_sink) (void *arg, uint32_t i, u128 credit, int scale);

static attr_status
cumulative_credits(const char *value, const uint64_t *weights, uint32_t n,
				   uint64_t total, int *scale, credit_sink emit, void *arg)
{
	int			s = attr_scale(value);
	u128		v;
	u128		prev = 0;
	u128		cumulative_weight = 0;
	attr_status status;

	/*
	 * No arrays of u128 here: core_alloc (palloc) aligns to 8 bytes and
	 * 128-bit integers want 16.
	 */
	*scale = s;
	if (s > 38)
		return ATTR_OVERFLOW;
	status = parse_scaled(value, s, &v);
	if (status != ATTR_OK)
		return status;

	/* cum_i = round(v * C_i) = floor((2 v C_i + W) / 2W), all checked */
	for (uint32_t i = 0; i < n; i++)
	{
		u128		product;
		u128		cum;

		cumulative_weight += weights[i];
		if (__builtin_mul_overflow(v, cumulative_weight, &product) ||
			__builtin_mul_overflow(product, (u128) 2, &product) ||
			__builtin_add_overflow(product, (u128) total, &product))
			return ATTR_OVERFLOW;
		cum = product / ((u128) total * 2);
		if (!emit(arg, i, cum - prev, s))
			return ATTR_OVERFLOW;
		prev = cum;
	}
	return ATTR_OK;
}

typedef struct string_sink
{
	char	  **credits;
	bool		no_memory;
} string_sink;

static bool
emit_string(void *arg, uint32_t i, u128 credit, int scale)
{
	string_sink *sink = arg;
	char		digits[40];

	u128_to_digits(credit, digits);
	sink->credits[i] = attr_place_point(digits, scale);
	if (sink->credits[i] == NULL)
	{
		sink->no_memory = true;
		return false;
	}
	return true;
}

attr_status
attr_credits(const char *value, const uint64_t *weights, uint32_t n,
			 uint64_t total, char **credits, int *scale)
{
	string_sink sink = {credits, false};
	attr_status status;

	for (uint32_t i = 0; i < n; i++)
		credits[i] = NULL;
	status = cumulative_credits(value, weights, n, total, scale, emit_string, &sink);
	if (sink.no_memory)
		status = ATTR_NO_MEMORY;
	if (status != ATTR_OK)
	{
		for (uint32_t i = 0; i < n; i++)
			core_free(credits[i]);
	}
	return status;
}

static bool
emit_scaled(void *arg, uint32_t i, u128 credit, int scale)
{
	int64_t    *credits = arg;

	(void) scale;
	if (credit > (u128) INT64_MAX)
		return false;
	credits[i] = (int64_t) credit;
	return true;
}

attr_status
attr_credits_scaled(const char *value, const uint64_t *weights, uint32_t n,
					uint64_t total, int64_t *credits, int *scale)
{
	return cumulative_credits(value, weights, n, total, scale, emit_scaled, credits);
}
