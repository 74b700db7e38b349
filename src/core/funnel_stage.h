/*
 * funnel_stage.h - funnel models and the funnel_stage value (backend-free core)
 *
 * A funnel_stage value is a 32-bit integer: the model id in the high 16 bits
 * and the 1-based stage position in the low 16 bits.  Comparing the integers
 * therefore orders stages by (model id, position).  Model ids never change
 * once given out (built-ins are fixed here; custom models keep theirs in the
 * funnel_model table), and models may only gain stages at the end, so a
 * stored value keeps its meaning and its place in every index.
 *
 * Text form: "model:stage".  Each side goes through label normalisation, so
 * "Lifecycle : MQL" reads as lifecycle:mql.
 */
#ifndef MOPS_CORE_FUNNEL_STAGE_H
#define MOPS_CORE_FUNNEL_STAGE_H

#include <stddef.h>
#include <stdint.h>

#include "label.h"

/* Ids 1..99 are reserved for built-in models; custom models get 100 up. */
#define FS_FIRST_CUSTOM_MODEL_ID 100
#define FS_MAX_MODEL_ID 32767
/* Most stages a model may have. */
#define FS_MAX_STAGES 1000
/* Longest model or stage name, in bytes after normalisation. */
#define FS_MAX_NAME_BYTES 63

typedef struct fs_model
{
	int			id;
	const char *name;
	int			nstages;
	const char *const *stages;	/* normalised names, position i+1 at [i] */
} fs_model;

typedef enum fs_status
{
	FS_OK = 0,
	FS_NO_SEPARATOR,			/* no ':' between model and stage */
	FS_EXTRA_SEPARATOR,			/* more than one ':' */
	FS_EMPTY_MODEL,				/* nothing before ':' */
	FS_EMPTY_STAGE,				/* nothing after ':' */
	FS_NAME_TOO_LONG,			/* a name over FS_MAX_NAME_BYTES */
	FS_LABEL_ERROR,				/* label normalisation failed (see label_status) */
	FS_UNKNOWN_MODEL,
	FS_UNKNOWN_STAGE
} fs_status;

/* Value encoding */
static inline uint32_t
fs_encode(int model_id, int position)
{
	return ((uint32_t) model_id << 16) | (uint32_t) position;
}

static inline int
fs_value_model_id(uint32_t value)
{
	return (int) (value >> 16);
}

static inline int
fs_value_position(uint32_t value)
{
	return (int) (value & 0xFFFF);
}

/* The built-in models, in id order. */
extern const fs_model *fs_builtin_models(int *count);

/* Built-in model by normalised name or by id; NULL if there is none. */
extern const fs_model *fs_builtin_by_name(const char *name);
extern const fs_model *fs_builtin_by_id(int id);

/* 1-based position of a normalised stage name in the model, 0 if absent. */
extern int	fs_stage_position(const fs_model *model, const char *stage);

/*
 * Split "model:stage" (len bytes, UTF-8) into normalised names.  The whole
 * text is normalised first and then split at its one ':' (so a full-width
 * colon, which NFKC turns into ':', separates too), and separators next to
 * the colon are dropped: " Lifecycle : MQL " gives "lifecycle" and "mql".
 * Returns FS_OK, FS_NO_SEPARATOR, FS_EXTRA_SEPARATOR or FS_LABEL_ERROR (then
 * *label_error says why).  On FS_OK *model and *stage are allocated with
 * core_alloc and the caller frees them - they may be empty or too long,
 * which fs_resolve reports; otherwise nothing is left allocated.
 */
extern fs_status fs_split(const char *in, size_t len, char **model, char **stage,
						  label_status *label_error);

/*
 * Resolve normalised names against the built-in models plus `ncustom`
 * custom models.  Checks the model name (FS_EMPTY_MODEL, FS_NAME_TOO_LONG),
 * finds the model (FS_UNKNOWN_MODEL), then checks the stage name
 * (FS_EMPTY_STAGE, FS_NAME_TOO_LONG) and finds it (FS_UNKNOWN_STAGE).
 * *found is the model whenever it was found, also on a stage error, so that
 * messages can list its stages; on FS_OK *value is set.
 */
extern fs_status fs_resolve(const fs_model *custom, int ncustom,
							const char *model, const char *stage,
							uint32_t *value, const fs_model **found);

/*
 * Check one normalised name for use as a model or stage name: non-empty,
 * no ':', at most FS_MAX_NAME_BYTES bytes.
 */
extern fs_status fs_check_name(const char *name, int is_model);

/*
 * Format a value of `model` as "model:stage" into a core_alloc'd string;
 * NULL if the position is not in the model or memory ran out.
 */
extern char *fs_format(const fs_model *model, int position);

#endif							/* MOPS_CORE_FUNNEL_STAGE_H */
