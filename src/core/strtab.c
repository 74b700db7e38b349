/*
 * strtab.c - distinct byte strings numbered in insertion order; see strtab.h
 */
#include "strtab.h"

#include <string.h>

#include "core_alloc.h"

uint32_t
strtab_hash(const char *s, size_t len)
{
	uint32_t	h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
	{
		h ^= (unsigned char) s[i];
		h *= 16777619u;
	}
	return h;
}

void
strtab_free(strtab *t)
{
	core_free(t->ends);
	core_free(t->bytes);
	core_free(t->slots);
	memset(t, 0, sizeof(*t));
}

const char *
strtab_get(const strtab *t, uint32_t id, size_t *len)
{
	uint32_t	start = id == 0 ? 0 : t->ends[id - 1];

	*len = t->ends[id] - start;
	return t->bytes + start;
}

static bool
rehash(strtab *t, uint32_t nslots)
{
	uint32_t   *slots = core_alloc((size_t) nslots * sizeof(uint32_t));

	if (slots == NULL)
		return false;
	memset(slots, 0, (size_t) nslots * sizeof(uint32_t));
	for (uint32_t id = 0; id < t->count; id++)
	{
		size_t		len;
		const char *s = strtab_get(t, id, &len);
		uint32_t	i = strtab_hash(s, len) & (nslots - 1);

		while (slots[i] != 0)
			i = (i + 1) & (nslots - 1);
		slots[i] = id + 1;
	}
	core_free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
	return true;
}

/* The slot where s is, or the free slot where it would go. */
static uint32_t
probe(const strtab *t, const char *s, size_t len)
{
	uint32_t	i = strtab_hash(s, len) & (t->nslots - 1);

	while (t->slots[i] != 0)
	{
		size_t		olen;
		const char *other = strtab_get(t, t->slots[i] - 1, &olen);

		if (olen == len && memcmp(other, s, len) == 0)
			break;
		i = (i + 1) & (t->nslots - 1);
	}
	return i;
}

uint32_t
strtab_find(const strtab *t, const char *s, size_t len)
{
	uint32_t	i;

	if (t->nslots == 0)
		return UINT32_MAX;
	i = probe(t, s, len);
	return t->slots[i] ? t->slots[i] - 1 : UINT32_MAX;
}

static bool
reserve_bytes(strtab *t, size_t need)
{
	size_t		cap = t->bytes_cap ? t->bytes_cap : 64;
	char	   *p;

	if (need <= t->bytes_cap)
		return true;
	while (cap < need)
	{
		if (cap > SIZE_MAX / 2)
			return false;
		cap *= 2;
	}
	p = core_alloc(cap);
	if (p == NULL)
		return false;
	if (t->bytes)
	{
		memcpy(p, t->bytes, t->nbytes);
		core_free(t->bytes);
	}
	t->bytes = p;
	t->bytes_cap = cap;
	return true;
}

uint32_t
strtab_intern(strtab *t, const char *s, size_t len)
{
	uint32_t	i;

	if (t->nslots == 0 && !rehash(t, 16))
		return STRTAB_NO_MEMORY;
	i = probe(t, s, len);
	if (t->slots[i] != 0)
		return t->slots[i] - 1;
	if (t->count >= UINT32_MAX / 4 || t->nbytes + len > UINT32_MAX)
		return STRTAB_NO_MEMORY;
	if (t->count == t->cap)
	{
		uint32_t	cap = t->cap ? t->cap * 2 : 8;
		uint32_t   *ends = core_alloc((size_t) cap * sizeof(uint32_t));

		if (ends == NULL)
			return STRTAB_NO_MEMORY;
		if (t->ends)
		{
			memcpy(ends, t->ends, (size_t) t->count * sizeof(uint32_t));
			core_free(t->ends);
		}
		t->ends = ends;
		t->cap = cap;
	}
	if (!reserve_bytes(t, t->nbytes + len))
		return STRTAB_NO_MEMORY;
	memcpy(t->bytes + t->nbytes, s, len);
	t->nbytes += len;
	t->ends[t->count] = (uint32_t) t->nbytes;
	t->slots[i] = ++t->count;
	if (t->count * 2 > t->nslots && !rehash(t, t->nslots * 2))
		return STRTAB_NO_MEMORY;
	return t->count - 1;
}
