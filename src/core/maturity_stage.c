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
stage_of_name(const char *name)
{
	for (int i = 0; i < MS_STAGE_COUNT; i++)
		if (strcmp(name, stage_names[i]) == 0)
			return i + 1;
	if (strcmp(name, "optimization") == 0)
		return 3;
	return 0;
}

/*
 * One digit 1-5 and nothing else but surrounding white space.  Judged before
 * separator folding, which would turn "-3" into "3"; NFKC has already made
 * full-width digits ASCII.
 */
static int
stage_of_number(const char *in, size_t len, label_status *label_error)
{
	char	   *folded;
	size_t		folded_len;
	int			stage = 0;

	*label_error = label_casefold_trim(in, len, &folded, &folded_len);
	if (*label_error != LABEL_OK)
		return 0;
	if (folded_len == 1 && folded[0] >= '1' && folded[0] <= '5')
		stage = folded[0] - '0';
	core_free(folded);
	return stage;
}

int
ms_parse(const char *in, size_t len, label_status *label_error)
{
	char	   *normalised;
	size_t		normalised_len;
	int			stage = stage_of_number(in, len, label_error);

	if (stage != 0 || *label_error != LABEL_OK)
		return stage;
	*label_error = label_normalize(in, len, &normalised, &normalised_len);
	if (*label_error != LABEL_OK)
		return 0;
	stage = stage_of_name(normalised);
	core_free(normalised);
	return stage;
}
