/*
 * core_alloc.c - allocation hooks shared by the backend-free cores
 */
#include "core_alloc.h"

#include <stdlib.h>

static core_alloc_fn current_alloc = NULL;
static core_free_fn current_free = NULL;

void
core_set_allocator(core_alloc_fn alloc_fn, core_free_fn free_fn)
{
	current_alloc = alloc_fn;
	current_free = free_fn;
}

void *
core_alloc(size_t size)
{
	/* malloc(0) may return NULL; callers only test for NULL on failure */
	if (size == 0)
		size = 1;
	return current_alloc ? current_alloc(size) : malloc(size);
}

void
core_free(void *ptr)
{
	if (ptr == NULL)
		return;
	if (current_free)
		current_free(ptr);
	else
		free(ptr);
}

static core_interrupt_fn current_interrupt_check = NULL;

void
core_set_interrupt_check(core_interrupt_fn fn)
{
	current_interrupt_check = fn;
}

void
core_check_interrupts(void)
{
	if (current_interrupt_check)
		current_interrupt_check();
}
