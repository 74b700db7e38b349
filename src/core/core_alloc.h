/*
 * core_alloc.h - memory allocation hooks for the backend-free cores
 *
 * The cores in src/core/ never include PostgreSQL headers, so that fuzzers
 * and unit tests can link them alone.  They allocate through these hooks:
 * standalone programs get malloc/free, and the extension points them at
 * palloc/pfree (see src/mops.c), so that memory a core hands back lives in
 * the caller's memory context and an out-of-memory error is an ordinary
 * ereport.
 *
 * A core frees every temporary it allocates, also on its error paths, so
 * that LeakSanitizer in the fuzzers sees no leak.
 */
#ifndef MOPS_CORE_ALLOC_H
#define MOPS_CORE_ALLOC_H

#include <stddef.h>

typedef void *(*core_alloc_fn) (size_t size);
typedef void (*core_free_fn) (void *ptr);

/* Install the allocator; NULL arguments restore malloc/free. */
extern void core_set_allocator(core_alloc_fn alloc_fn, core_free_fn free_fn);

/* Allocate size bytes (size 0 is allowed); returns NULL only on failure. */
extern void *core_alloc(size_t size);
extern void core_free(void *ptr);

/*
 * Long loops in a core call core_check_interrupts() now and then; the
 * extension points it at CHECK_FOR_INTERRUPTS (which may leave the core by
 * longjmp: cores hold no resource but memory from core_alloc, which lives in
 * a memory context).  Standalone it does nothing.
 */
typedef void (*core_interrupt_fn) (void);
extern void core_set_interrupt_check(core_interrupt_fn fn);
extern void core_check_interrupts(void);

#endif							/* MOPS_CORE_ALLOC_H */
