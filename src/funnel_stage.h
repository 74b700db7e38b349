/*
 * funnel_stage.h - the funnel_stage type, for other faces
 */
#ifndef MOPS_FUNNEL_STAGE_H
#define MOPS_FUNNEL_STAGE_H

#include "mops.h"

#include "core/funnel_stage.h"

/* funnel_stage is a 4-byte pass-by-value type holding the core's encoding */
#define DatumGetFunnelStage(d) ((uint32) DatumGetInt32(d))
#define FunnelStageGetDatum(v) Int32GetDatum((int32) (v))
#define PG_GETARG_FUNNEL_STAGE(n) DatumGetFunnelStage(PG_GETARG_DATUM(n))
#define PG_RETURN_FUNNEL_STAGE(v) return FunnelStageGetDatum(v)

/*
 * The model with this id (built-in or from mops.funnel_model); NULL if it
 * does not exist.  The pointer is valid until the next lookup.
 */
extern const fs_model *funnel_model_by_id(int model_id);

#endif							/* MOPS_FUNNEL_STAGE_H */
