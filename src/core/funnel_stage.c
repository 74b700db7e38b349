/*
 * funnel_stage.c - built-in funnel models, "model:stage" parsing and
 * formatting (backend-free core)
 */
#include "funnel_stage.h"

#include "core_alloc.h"

#include <string.h>

static const char *const aida_stages[] = {
	"awareness", "interest", "desire", "action", "loyalty"
};
static const char *const lifecycle_stages[] = {
	"subscriber", "lead", "mql", "sql", "opportunity", "customer", "evangelist"
};
static const char *const journey_stages[] = {
	"awareness", "consideration", "conversion", "retention", "advocacy"
};
static const char *const tofu_stages[] = {
	"tofu", "mofu", "bofu"
};
static const char *const aarrr_stages[] = {
	"acquisition", "activation", "retention", "referral", "revenue"
};

#define LENGTH_OF(a) ((int) (sizeof(a) / sizeof((a)[0])))

/* Ids are part of the stored format: never renumber, only add. */
static const fs_model builtin_models[] = {
	{1, "aida", LENGTH_OF(aida_stages), aida_stages},
	{2, "lifecycle", LENGTH_OF(lifecycle_stages), lifecycle_stages},
	{3, "journey", LENGTH_OF(journey_stages), journey_stages},
	{4, "tofu", LENGTH_OF(tofu_stages), tofu_stages},
	{5, "aarrr", LENGTH_OF(aarrr_stages), aarrr_stages},
};

const fs_model *
fs_builtin_models(int *count)
{
	*count = LENGTH_OF(builtin_models);
	return builtin_models;
}

const fs_model *
fs_builtin_by_name(const char *name)
{
	for (int i = 0; i < LENGTH_OF(builtin_models); i++)
		if (strcmp(builtin_models[i].name, name) == 0)
			return &builtin_models[i];
	return NULL;
}

const fs_model *
fs_builtin_by_id(int id)
{
	for (int i = 0; i < LENGTH_OF(builtin_models); i++)
		if (builtin_models[i].id == id)
			return &builtin_models[i];
	return NULL;
}

int
fs_stage_position(const fs_model *model, const char *stage)
{
	for (int i = 0; i < model->nstages; i++)
		if (strcmp(model->stages[i], stage) == 0)
			return i + 1;
	return 0;
}

fs_status
fs_check_name(const char *name, int is_model)
{
	size_t		len = strlen(name);

	if (len == 0)
		return is_model ? FS_EMPTY_MODEL : FS_EMPTY_STAGE;
	if (len > FS_MAX_NAME_BYTES)
		return FS_NAME_TOO_LONG;
	if (strchr(name, ':') != NULL)
		return FS_EXTRA_SEPARATOR;
	return FS_OK;
}

/* Copy [start, start + len) without separators ('_') at either end. */
static char *
copy_trimmed(const char *start, size_t len)
{
	char	   *out;

	while (len > 0 && start[0] == '_')
	{
		start++;
		len--;
	}
	while (len > 0 && start[len - 1] == '_')
		len--;
	out = core_alloc(len + 1);
	if (out == NULL)
		return NULL;
	memcpy(out, start, len);
	out[len] = '\0';
	return out;
}

fs_status
fs_split(const char *in, size_t len, char **model, char **stage,
		 label_status *label_error)
{
	char	   *whole;
	size_t		whole_len;
	const char *colon;
	size_t		model_len;
	fs_status	status = FS_OK;

	*model = NULL;
	*stage = NULL;
	*label_error = label_normalize(in, len, &whole, &whole_len);
	if (*label_error != LABEL_OK)
		return FS_LABEL_ERROR;

	colon = memchr(whole, ':', whole_len);
	if (colon == NULL)
		status = FS_NO_SEPARATOR;
	else
	{
		model_len = (size_t) (colon - whole);
		if (memchr(colon + 1, ':', whole_len - model_len - 1) != NULL)
			status = FS_EXTRA_SEPARATOR;
	}
	if (status == FS_OK)
	{
		*model = copy_trimmed(whole, model_len);
		*stage = copy_trimmed(colon + 1, whole_len - model_len - 1);
		if (*model == NULL || *stage == NULL)
		{
			core_free(*model);
			core_free(*stage);
			*model = NULL;
			*stage = NULL;
			*label_error = LABEL_NO_MEMORY;
			status = FS_LABEL_ERROR;
		}
	}
	core_free(whole);
	return status;
}

fs_status
fs_resolve(const fs_model *custom, int ncustom,
		   const char *model, const char *stage,
		   uint32_t *value, const fs_model **found)
{
	const fs_model *m;
	int			position;
	fs_status	status;

	*found = NULL;
	status = fs_check_name(model, 1);
	if (status != FS_OK)
		return status;
	m = fs_builtin_by_name(model);
	for (int i = 0; m == NULL && i < ncustom; i++)
		if (strcmp(custom[i].name, model) == 0)
			m = &custom[i];
	*found = m;
	if (m == NULL)
		return FS_UNKNOWN_MODEL;

	status = fs_check_name(stage, 0);
	if (status != FS_OK)
		return status;
	position = fs_stage_position(m, stage);
	if (position == 0)
		return FS_UNKNOWN_STAGE;
	*value = fs_encode(m->id, position);
	return FS_OK;
}

char *
fs_format(const fs_model *model, int position)
{
	size_t		model_len;
	size_t		stage_len;
	char	   *out;

	if (position < 1 || position > model->nstages)
		return NULL;
	model_len = strlen(model->name);
	stage_len = strlen(model->stages[position - 1]);
	out = core_alloc(model_len + 1 + stage_len + 1);
	if (out == NULL)
		return NULL;
	memcpy(out, model->name, model_len);
	out[model_len] = ':';
	memcpy(out + model_len + 1, model->stages[position - 1], stage_len);
	out[model_len + 1 + stage_len] = '\0';
	return out;
}
