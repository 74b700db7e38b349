/*
 * demo_data.c - the deterministic pseudo-random numbers of load_demo_data
 * (src/demo_data.sql)
 *
 * demo_uniform(key, stream) is a pure function of its arguments (SplitMix64
 * of the two), so the demo data set is the same on every run, platform and
 * PostgreSQL version, whatever order rows are generated in - unlike
 * random() with setseed(), whose sequence depends on evaluation order.
 */
#include "mops.h"

#include <stdint.h>

PG_FUNCTION_INFO_V1(demo_uniform);

static uint64_t
splitmix64(uint64_t x)
{
	x += UINT64_C(0x9E3779B97F4A7C15);
	x = (x ^ (x >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	x = (x ^ (x >> 27)) * UINT64_C(0x94D049BB133111EB);
	return x ^ (x >> 31);
}

/* A double in [0, 1) from (key, stream): the top 53 bits of the hash. */
Datum
demo_uniform(PG_FUNCTION_ARGS)
{
	uint64_t	key = (uint64_t) PG_GETARG_INT64(0);
	uint64_t	stream = (uint64_t) (uint32_t) PG_GETARG_INT32(1);
	uint64_t	h = splitmix64(splitmix64(key) ^ (stream * UINT64_C(0xD6E8FEB86659FD93)));

	PG_RETURN_FLOAT8((double) (h >> 11) * (1.0 / 9007199254740992.0));
}
