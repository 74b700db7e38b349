/*
 * maturity_assess.c - maturity scoring (backend-free core); the contract is
 * in maturity_assess.h
 */
#include "maturity_assess.h"

#include "core_alloc.h"

#include <stdio.h>
#include <string.h>

static const char *const area_names[MA_AREA_COUNT] = {
	"business_leadership", "customer_experience", "marketing_tactics",
	"tools_technology", "project_management", "team",
	"audit", "analytics", "optimisation"
};

/* Stage boundaries in tenths: < 1.8 foundations, < 2.6 alignment, ... */
static const unsigned boundaries_tenths[4] = {18, 26, 34, 42};

const char *
ma_area_name(int area)
{
	if (area < 0 || area >= MA_AREA_COUNT)
		return NULL;
	return area_names[area];
}

int
ma_area_index(const char *in, size_t len, label_status *label_error)
{
	char	   *norm;
	size_t		norm_len;
	int			area = -1;

	*label_error = label_normalize(in, len, &norm, &norm_len);
	if (*label_error != LABEL_OK)
		return -1;
	for (int i = 0; i < MA_AREA_COUNT; i++)
		if (strcmp(norm, area_names[i]) == 0)
			area = i;
	if (area < 0 && strcmp(norm, "optimization") == 0)
		area = 8;
	core_free(norm);
	return area;
}

/* ---------------------------------------------------------------------------
 * Decimals
 */

/*
 * Read an unsigned plain decimal (digits, optionally "." and digits, at
 * least one digit in all) into millionths.  *extra is set when a non-zero
 * digit follows the 6th decimal.  MA_OVERFLOW when the millionths exceed
 * limit.
 */
static ma_status
parse_unsigned_decimal(const char *in, size_t len, int64_t limit,
					   int64_t *millionths, bool *extra)
{
	size_t		i = 0;
	int64_t		whole = 0;
	int64_t		frac = 0;
	int			frac_digits = 0;
	bool		digits = false;
	bool		overflow = false;

	*extra = false;
	while (i < len && in[i] >= '0' && in[i] <= '9')
	{
		if (whole > (limit / MA_SCALE) / 10 + 1)
			overflow = true;
		else
			whole = whole * 10 + (in[i] - '0');
		digits = true;
		i++;
	}
	if (i < len && in[i] == '.')
	{
		i++;
		while (i < len && in[i] >= '0' && in[i] <= '9')
		{
			if (frac_digits < MA_SCORE_DECIMALS)
			{
				frac = frac * 10 + (in[i] - '0');
				frac_digits++;
			}
			else if (in[i] != '0')
				*extra = true;
			digits = true;
			i++;
		}
	}
	if (!digits || i != len)
		return MA_SYNTAX;
	while (frac_digits < MA_SCORE_DECIMALS)
	{
		frac *= 10;
		frac_digits++;
	}
	if (overflow || whole > limit / MA_SCALE
		|| whole * MA_SCALE > limit - frac)
		return MA_OVERFLOW;
	*millionths = whole * MA_SCALE + frac;
	return MA_OK;
}

ma_status
ma_parse_score(const char *in, size_t len, int64_t *millionths)
{
	bool		negative = false;
	bool		extra;
	int64_t		v;
	ma_status	status;

	if ((len == 3 && memcmp(in, "NaN", 3) == 0)
		|| (len == 8 && memcmp(in, "Infinity", 8) == 0)
		|| (len == 9 && memcmp(in, "-Infinity", 9) == 0))
		return MA_OUT_OF_RANGE;
	if (len > 0 && (in[0] == '-' || in[0] == '+'))
	{
		negative = in[0] == '-';
		in++;
		len--;
	}
	status = parse_unsigned_decimal(in, len, INT64_MAX, &v, &extra);
	if (status == MA_OVERFLOW)
		return MA_OUT_OF_RANGE;
	if (status != MA_OK)
		return status;
	if (negative && (v != 0 || extra))
		return MA_OUT_OF_RANGE;
	if (v < MA_MIN_SCORE || v > MA_MAX_SCORE || (v == MA_MAX_SCORE && extra))
		return MA_OUT_OF_RANGE;
	if (extra)
		return MA_TOO_PRECISE;
	*millionths = v;
	return MA_OK;
}

/* millionths (>= 0) as a decimal with at most 6 decimals, no trailing zeros */
static size_t
format_millionths(int64_t v, char *buf, size_t size)
{
	int64_t		frac = v % MA_SCALE;
	int			n;

	if (frac == 0)
		n = snprintf(buf, size, "%lld", (long long) (v / MA_SCALE));
	else
	{
		int			digits = MA_SCORE_DECIMALS;

		while (frac % 10 == 0)
		{
			frac /= 10;
			digits--;
		}
		n = snprintf(buf, size, "%lld.%0*lld", (long long) (v / MA_SCALE),
					 digits, (long long) frac);
	}
	return n < 0 ? 0 : (size_t) n;
}

/* ---------------------------------------------------------------------------
 * States
 */

ma_status
ma_add(ma_state *st, int area, int64_t millionths)
{
	if (st->count[area] == INT64_MAX || st->sum[area] > INT64_MAX - millionths)
		return MA_OVERFLOW;
	st->count[area]++;
	st->sum[area] += millionths;
	return MA_OK;
}

ma_status
ma_combine(ma_state *into, const ma_state *from)
{
	for (int i = 0; i < MA_AREA_COUNT; i++)
		if (into->count[i] > INT64_MAX - from->count[i]
			|| into->sum[i] > INT64_MAX - from->sum[i])
			return MA_OVERFLOW;
	for (int i = 0; i < MA_AREA_COUNT; i++)
	{
		into->count[i] += from->count[i];
		into->sum[i] += from->sum[i];
	}
	return MA_OK;
}

/* count answers of 1-5 can sum to sum (millionths) */
static bool
consistent(int64_t count, int64_t sum)
{
	if (count < 0 || sum < 0)
		return false;
	if (count == 0)
		return sum == 0;
	/* count * 1e6 <= sum <= count * 5e6, without overflow */
	return count <= sum / MA_MIN_SCORE
		&& (count > INT64_MAX / MA_MAX_SCORE || sum <= count * MA_MAX_SCORE);
}

ma_status
ma_validate(const ma_state *st)
{
	for (int i = 0; i < MA_AREA_COUNT; i++)
		if (!consistent(st->count[i], st->sum[i]))
			return MA_CORRUPT;
	return MA_OK;
}

bool
ma_is_empty(const ma_state *st)
{
	for (int i = 0; i < MA_AREA_COUNT; i++)
		if (st->count[i] != 0)
			return false;
	return true;
}

size_t
ma_state_format(const ma_state *st, char *buf)
{
	size_t		len = 0;

	buf[0] = '\0';
	for (int i = 0; i < MA_AREA_COUNT; i++)
	{
		char		sum[32];
		int			n;

		if (st->count[i] == 0)
			continue;
		format_millionths(st->sum[i], sum, sizeof(sum));
		n = snprintf(buf + len, MA_STATE_TEXT_MAX - len, "%s%s %lld %s",
					 len > 0 ? "; " : "", area_names[i], (long long) st->count[i], sum);
		if (n > 0)
			len += (size_t) n;
	}
	return len;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool
all_digits(const char *in, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (in[i] < '0' || in[i] > '9')
			return false;
	return len > 0;
}

/* [start, end) of the next run of non-space bytes from *pos within an item */
static bool
next_token(const char *in, size_t end, size_t *pos, size_t *start, size_t *stop)
{
	while (*pos < end && is_space(in[*pos]))
		(*pos)++;
	if (*pos >= end)
		return false;
	*start = *pos;
	while (*pos < end && !is_space(in[*pos]))
		(*pos)++;
	*stop = *pos;
	return true;
}

ma_status
ma_state_parse(const char *in, size_t len, ma_state *st,
			   label_status *label_error, char *detail, size_t detail_size)
{
	size_t		pos = 0;
	int			item = 0;

	*label_error = LABEL_OK;
	memset(st, 0, sizeof(*st));
	detail[0] = '\0';
	while (pos <= len)
	{
		size_t		end = pos;
		size_t		p;
		size_t		s,
					e;
		int			area;
		int64_t		count;
		int64_t		sum;
		bool		extra;

		while (end < len && in[end] != ';')
			end++;
		item++;
		p = pos;
		if (!next_token(in, end, &p, &s, &e))
		{
			/* an empty item: only the whole text may be empty */
			if (item == 1 && end == len)
				return MA_OK;
			snprintf(detail, detail_size, "Item %d is empty.", item);
			return MA_SYNTAX;
		}
		area = ma_area_index(in + s, e - s, label_error);
		if (*label_error != LABEL_OK)
			return MA_LABEL_ERROR;
		if (area < 0)
		{
			snprintf(detail, detail_size,
					 "Item %d does not start with a pillar or underpinning name.", item);
			return MA_SYNTAX;
		}
		if (st->count[area] != 0)
		{
			snprintf(detail, detail_size, "%s appears twice.", area_names[area]);
			return MA_SYNTAX;
		}
		if (!next_token(in, end, &p, &s, &e) || !all_digits(in + s, e - s)
			|| parse_unsigned_decimal(in + s, e - s, INT64_MAX, &count, &extra) != MA_OK)
		{
			snprintf(detail, detail_size,
					 "The number of answers of %s is missing, not a whole number or out of range.",
					 area_names[area]);
			return MA_SYNTAX;
		}
		count /= MA_SCALE;
		if (!next_token(in, end, &p, &s, &e)
			|| parse_unsigned_decimal(in + s, e - s, INT64_MAX, &sum, &extra) != MA_OK
			|| extra)
		{
			snprintf(detail, detail_size,
					 "The sum of the scores of %s is missing, not a decimal with at most 6 decimal places or out of range.",
					 area_names[area]);
			return MA_SYNTAX;
		}
		if (next_token(in, end, &p, &s, &e))
		{
			snprintf(detail, detail_size, "Item %d has more than a name, a count and a sum.", item);
			return MA_SYNTAX;
		}
		if (count == 0 || !consistent(count, sum))
		{
			snprintf(detail, detail_size,
					 "%s: %lld answers of 1 to 5 cannot sum to the sum given.",
					 area_names[area], (long long) count);
			return MA_SYNTAX;
		}
		st->count[area] = count;
		st->sum[area] = sum;
		pos = end + 1;
	}
	return MA_OK;
}

static void
put_be64(unsigned char *p, int64_t v)
{
	uint64_t	u = (uint64_t) v;

	for (int i = 7; i >= 0; i--)
	{
		p[i] = (unsigned char) (u & 0xff);
		u >>= 8;
	}
}

static int64_t
get_be64(const unsigned char *p)
{
	uint64_t	u = 0;

	for (int i = 0; i < 8; i++)
		u = (u << 8) | p[i];
	return (int64_t) u;
}

size_t
ma_state_encode(const ma_state *st, unsigned char *buf)
{
	size_t		len = 2;
	int			n = 0;

	buf[0] = MA_STATE_BINARY_VERSION;
	for (int i = 0; i < MA_AREA_COUNT; i++)
	{
		if (st->count[i] == 0)
			continue;
		buf[len] = (unsigned char) i;
		put_be64(buf + len + 1, st->count[i]);
		put_be64(buf + len + 9, st->sum[i]);
		len += 17;
		n++;
	}
	buf[1] = (unsigned char) n;
	return len;
}

ma_status
ma_state_decode(const unsigned char *in, size_t len, ma_state *st,
				char *detail, size_t detail_size)
{
	int			n;
	int			last = -1;

	memset(st, 0, sizeof(*st));
	detail[0] = '\0';
	if (len < 1)
	{
		snprintf(detail, detail_size, "The data is empty.");
		return MA_CORRUPT;
	}
	if (in[0] != MA_STATE_BINARY_VERSION)
	{
		snprintf(detail, detail_size, "Version %d is not version %d, the one this version of mops reads.",
				 in[0], MA_STATE_BINARY_VERSION);
		return MA_BAD_VERSION;
	}
	if (len < 2)
	{
		snprintf(detail, detail_size, "The number of areas is missing.");
		return MA_CORRUPT;
	}
	n = in[1];
	if (n > MA_AREA_COUNT)
	{
		snprintf(detail, detail_size, "%d areas is more than the %d there are.", n, MA_AREA_COUNT);
		return MA_CORRUPT;
	}
	if (len != 2 + (size_t) n * 17)
	{
		snprintf(detail, detail_size, "The data has %zu bytes where %d were expected for %d area%s.",
				 len, 2 + n * 17, n, n == 1 ? "" : "s");
		return MA_CORRUPT;
	}
	for (int k = 0; k < n; k++)
	{
		const unsigned char *e = in + 2 + (size_t) k * 17;
		int			area = e[0];
		int64_t		count = get_be64(e + 1);
		int64_t		sum = get_be64(e + 9);

		if (area >= MA_AREA_COUNT || area <= last)
		{
			memset(st, 0, sizeof(*st));
			snprintf(detail, detail_size, "Area number %d is out of range or out of order.", area);
			return MA_CORRUPT;
		}
		if (count < 1 || !consistent(count, sum))
		{
			memset(st, 0, sizeof(*st));
			snprintf(detail, detail_size,
					 "The count and sum of %s are not those of answers of 1 to 5.", area_names[area]);
			return MA_CORRUPT;
		}
		st->count[area] = count;
		st->sum[area] = sum;
		last = area;
	}
	return MA_OK;
}

/* ---------------------------------------------------------------------------
 * Exact arithmetic: non-negative integers of up to 512 bits
 *
 * With counts and sums below 2^63, the largest number formed is the overall
 * numerator times 10 (below 2^385) or a boundary times the overall
 * denominator (below 2^410): 512 bits never overflow.
 */

#define BN_LIMBS 16

typedef struct bn
{
	uint32_t	d[BN_LIMBS];
} bn;

static void
bn_set(bn *r, uint64_t v)
{
	memset(r, 0, sizeof(*r));
	r->d[0] = (uint32_t) v;
	r->d[1] = (uint32_t) (v >> 32);
}

static void
bn_mul(bn *r, const bn *a, const bn *b)
{
	uint32_t	t[BN_LIMBS] = {0};

	for (int i = 0; i < BN_LIMBS; i++)
	{
		uint64_t	carry = 0;

		if (a->d[i] == 0)
			continue;
		for (int j = 0; i + j < BN_LIMBS; j++)
		{
			uint64_t	cur = (uint64_t) a->d[i] * b->d[j] + t[i + j] + carry;

			t[i + j] = (uint32_t) cur;
			carry = cur >> 32;
		}
	}
	memcpy(r->d, t, sizeof(t));
}

static void
bn_mul_small(bn *r, const bn *a, uint64_t v)
{
	bn			b;

	bn_set(&b, v);
	bn_mul(r, a, &b);
}

static void
bn_add(bn *r, const bn *a, const bn *b)
{
	uint64_t	carry = 0;

	for (int i = 0; i < BN_LIMBS; i++)
	{
		uint64_t	cur = (uint64_t) a->d[i] + b->d[i] + carry;

		r->d[i] = (uint32_t) cur;
		carry = cur >> 32;
	}
}

/* r = a - b, for a >= b */
static void
bn_sub(bn *r, const bn *a, const bn *b)
{
	int64_t		borrow = 0;

	for (int i = 0; i < BN_LIMBS; i++)
	{
		int64_t		cur = (int64_t) a->d[i] - b->d[i] - borrow;

		borrow = cur < 0;
		r->d[i] = (uint32_t) (cur + (borrow ? INT64_C(0x100000000) : 0));
	}
}

static int
bn_cmp(const bn *a, const bn *b)
{
	for (int i = BN_LIMBS - 1; i >= 0; i--)
		if (a->d[i] != b->d[i])
			return a->d[i] < b->d[i] ? -1 : 1;
	return 0;
}

/* The stage (1-5) of num/den: 1 + the number of boundaries t/10 <= num/den. */
static int
bn_stage(const bn *num, const bn *den)
{
	bn			lhs;
	int			stage = 1;

	bn_mul_small(&lhs, num, 10);
	for (int i = 0; i < 4; i++)
	{
		bn			rhs;

		bn_mul_small(&rhs, den, boundaries_tenths[i]);
		if (bn_cmp(&lhs, &rhs) >= 0)
			stage++;
	}
	return stage;
}

/*
 * num/den (below 10) truncated to 16 decimals, without trailing zeros, into
 * out (MA_DECIMAL_MAX bytes).
 */
static void
bn_decimal(const bn *num, const bn *den, char *out)
{
	bn			r = *num;
	int			len = 0;
	int			digit = 0;

	while (bn_cmp(&r, den) >= 0 && digit < 9)
	{
		bn_sub(&r, &r, den);
		digit++;
	}
	out[len++] = (char) ('0' + digit);
	out[len++] = '.';
	for (int k = 0; k < 16; k++)
	{
		bn_mul_small(&r, &r, 10);
		digit = 0;
		while (bn_cmp(&r, den) >= 0 && digit < 9)
		{
			bn_sub(&r, &r, den);
			digit++;
		}
		out[len++] = (char) ('0' + digit);
	}
	while (out[len - 1] == '0')
		len--;
	if (out[len - 1] == '.')
		len--;
	out[len] = '\0';
}

int
ma_stage_of_fraction(uint64_t num, uint64_t den)
{
	bn			n,
				d;

	bn_set(&n, num);
	bn_set(&d, den);
	return bn_stage(&n, &d);
}

void
ma_assess(const ma_state *st, ma_result *result)
{
	bn			num,
				den;
	int			k = 0;

	memset(result, 0, sizeof(*result));
	result->weakest = -1;
	for (int i = 0; i < MA_AREA_COUNT; i++)
	{
		bn			s,
					c;

		if (st->count[i] == 0)
			continue;
		bn_set(&s, (uint64_t) st->sum[i]);
		bn_set(&c, (uint64_t) st->count[i]);
		bn_mul_small(&c, &c, (uint64_t) MA_SCALE);
		bn_decimal(&s, &c, result->area_score[i]);
	}

	/* overall = (sum_i s_i / c_i) / (k * 1e6) = num / den */
	bn_set(&num, 0);
	bn_set(&den, 1);
	for (int i = 0; i < MA_PILLAR_COUNT; i++)
	{
		bn			s,
					c;

		if (st->count[i] == 0)
			continue;
		k++;
		/* num/den + s/c = (num c + s den) / (den c) */
		bn_set(&s, (uint64_t) st->sum[i]);
		bn_set(&c, (uint64_t) st->count[i]);
		bn_mul(&num, &num, &c);
		bn_mul(&s, &s, &den);
		bn_add(&num, &num, &s);
		bn_mul(&den, &den, &c);

		/* weakest: the lowest mean, the first in pillar order among equals */
		if (result->weakest < 0)
			result->weakest = i;
		else
		{
			bn			a,
						b;
			int			w = result->weakest;

			/* s_i / c_i < s_w / c_w  <=>  s_i c_w < s_w c_i */
			bn_set(&a, (uint64_t) st->sum[i]);
			bn_set(&b, (uint64_t) st->count[w]);
			bn_mul(&a, &a, &b);
			bn_set(&b, (uint64_t) st->sum[w]);
			bn_set(&s, (uint64_t) st->count[i]);
			bn_mul(&b, &b, &s);
			if (bn_cmp(&a, &b) < 0)
				result->weakest = i;
		}
	}
	result->pillars = k;
	result->complete = k == MA_PILLAR_COUNT;
	if (k == 0)
		return;
	bn_mul_small(&den, &den, (uint64_t) k * (uint64_t) MA_SCALE);
	result->overall_stage = bn_stage(&num, &den);
	bn_decimal(&num, &den, result->score);
	result->weakest_stage =
		ma_stage_of_fraction((uint64_t) st->sum[result->weakest],
							 (uint64_t) st->count[result->weakest] * (uint64_t) MA_SCALE);
	result->stage = result->overall_stage;
	if (result->stage > result->weakest_stage + 1)
		result->stage = result->weakest_stage + 1;
}
