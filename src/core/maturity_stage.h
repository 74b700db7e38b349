/*
 * maturity_stage.h - the five marketing-operations maturity stages
 * (backend-free core)
 *
 * foundations (1) < alignment (2) < optimisation (3) < integration (4)
 * < transformation (5).  Names go through label normalisation (so case,
 * surrounding space and separators do not matter) and the American
 * "optimization" is accepted; a stage number is one digit 1-5 with nothing
 * around it but white space (full-width digits too) - "-3" or "_3" is no
 * stage, as a sign would otherwise be dropped as a separator.  Output uses
 * the British spelling.
 */
#ifndef MOPS_CORE_MATURITY_STAGE_H
#define MOPS_CORE_MATURITY_STAGE_H

#include <stddef.h>

#include "label.h"

#define MS_STAGE_COUNT 5

/*
 * Parse len bytes of UTF-8.  Returns the stage number 1-5, or 0 when the
 * text names no stage; *label_error is set when normalisation itself failed
 * (the return value is then 0 too).
 */
extern int	ms_parse(const char *in, size_t len, label_status *label_error);

/* Canonical (British) name of stage 1-5, or NULL. */
extern const char *ms_name(int stage);

#endif							/* MOPS_CORE_MATURITY_STAGE_H */
