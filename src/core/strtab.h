/*
 * strtab.h - a table of distinct byte strings numbered in order of first
 * insertion (backend-free core), for label dictionaries
 */
#ifndef MOPS_CORE_STRTAB_H
#define MOPS_CORE_STRTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct strtab
{
	uint32_t	count;
	uint32_t	cap;
	uint32_t   *ends;			/* ends[i]: end offset of string i in bytes */
	char	   *bytes;
	size_t		nbytes;
	size_t		bytes_cap;
	uint32_t   *slots;			/* open addressing: id + 1, 0 = free */
	uint32_t	nslots;			/* power of two */
} strtab;

#define STRTAB_NO_MEMORY UINT32_MAX

/* A zeroed strtab is empty and ready; strtab_free releases it. */
extern void strtab_free(strtab *t);

/* The id of s (added if new), or STRTAB_NO_MEMORY. */
extern uint32_t strtab_intern(strtab *t, const char *s, size_t len);

/* The id of s, or UINT32_MAX if absent. */
extern uint32_t strtab_find(const strtab *t, const char *s, size_t len);

extern const char *strtab_get(const strtab *t, uint32_t id, size_t *len);

extern uint32_t strtab_hash(const char *s, size_t len);

#endif							/* MOPS_CORE_STRTAB_H */
