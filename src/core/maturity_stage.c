/*
 * maturity_stage.c - maturity stage names (backend-free core)
 */
#include "maturity_stage.h"

#include "core_alloc.h"

#include <string.h>

static const char *const stage_names[MS_STAGE_COUNT] = {
	"foundations", "alignment", "optimisation", "integration", "transformation"
};

const char *
ms_name(int stage)
{
	if (stage < 1 || stage > MS_STAGE_COUNT)
		return NULL;
	return stage_names[stage - 1];
}

static int
stage_of_normalised(const char *name)
{
	for (int i = 0; i < MS_STAGE_COUNT; i++)
		if (strcmp(name, stage_names[i]) == 0)
			return i + 1;
	if (strcmp(name, "optimization") == 0)
		return 3;
	/* one digit 1-5 (NFKC has already turned full-width digits into ASCII) */
	if (name[0] >= '1' && name[0] <= '5' && name[1] == '\0')
		return name[0] - '0';
	return 0;
}

int
ms_parse(const char *in, size_t len, label_status *label_error)
{
	char	   *normalised;
	size_t		normalised_len;
	int			stage;

	*label_error = label_normalize(in, len, &normalised, &normalised_len);
	if (*label_error != LABEL_OK)
		return 0;
	stage = stage_of_normalised(normalised);
	core_free(normalised);
	return stage;
}
