/*
 * mops.c - module entry point
 *
 * Points the backend-free cores' allocator at palloc, so that what a core
 * returns lives in the caller's memory context and running out of memory is
 * an ordinary error.
 */
#include "mops.h"

#include "core/core_alloc.h"
#include "utils/memutils.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

static void *
core_palloc(size_t size)
{
	return palloc(size);
}

static void
core_pfree(void *ptr)
{
	pfree(ptr);
}

void
_PG_init(void)
{
	core_set_allocator(core_palloc, core_pfree);
}
