/*
 * mops.c - module entry point
 *
 * Points the backend-free cores' allocator at palloc, so that what a core
 * returns lives in the caller's memory context and running out of memory is
 * an ordinary error, and their interrupt check at CHECK_FOR_INTERRUPTS, so
 * that a long computation in a core can be cancelled; and defines the
 * settings (GUCs) of the faces.
 */
#include "mops.h"

#include "core/core_alloc.h"
#include "miscadmin.h"
#include "smart_goal.h"
#include "utils/memutils.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

static void *
core_palloc(size_t size)
{
	return MemoryContextAllocHuge(CurrentMemoryContext, size);
}

static void
core_pfree(void *ptr)
{
	pfree(ptr);
}

static void
core_interrupt_check(void)
{
	CHECK_FOR_INTERRUPTS();
}

struct varlena *
mops_varlena(const void *data, size_t len)
{
	struct varlena *result = palloc(VARHDRSZ + len);

	SET_VARSIZE(result, VARHDRSZ + len);
	memcpy(VARDATA(result), data, len);
	return result;
}

void
_PG_init(void)
{
	core_set_allocator(core_palloc, core_pfree);
	core_set_interrupt_check(core_interrupt_check);
	mops_smart_goal_init();
}
