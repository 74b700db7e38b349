/*
 * fuzz_funnel_stage.c - libFuzzer harness for the funnel_stage core
 * (src/core/funnel_stage.c: fs_split, fs_resolve, fs_check_name, fs_format)
 *
 * The input is a "model:stage" text, as bytes.  Properties checked (abort()
 * on failure; see funnel_stage.h for the contract):
 *   - fs_split agrees with its definition: the whole text is normalised
 *     (label_normalize; its error gives FS_LABEL_ERROR with that status),
 *     then split at its one ':' (none: FS_NO_SEPARATOR, more:
 *     FS_EXTRA_SEPARATOR), separators next to the colon dropped;
 *   - and, independently, when the input holds one ASCII ':' and nothing
 *     else that folds to ':', each name is label_normalize of its side;
 *   - on anything but FS_OK both names are NULL and nothing is left
 *     allocated; label_error is LABEL_OK unless the status is FS_LABEL_ERROR;
 *     on FS_OK the names hold no ':', are already normalised and are the only
 *     two blocks left allocated;
 *   - fs_resolve against the built-ins plus the custom models below (ids >= 100,
 *     non-ASCII names, the longest names and the most stages allowed) agrees
 *     with an independent lookup in the documented order: model name check
 *     (fs_check_name), FS_UNKNOWN_MODEL, stage name check, FS_UNKNOWN_STAGE;
 *     *found is the model whenever it was found; on FS_OK both names pass
 *     fs_check_name and the value's model id and position
 *     (fs_value_model_id, fs_value_position) name the model and the stage;
 *   - fs_format of a resolved value re-parses (fs_split + fs_resolve) to the
 *     same value (checked too for every stage of every model at start-up);
 *     fs_format of a position outside the model gives NULL;
 *   - allocation failure: making any one allocation of fs_split or fs_format
 *     fail leaves nothing allocated and is reported (FS_LABEL_ERROR with
 *     LABEL_NO_MEMORY, or NULL).
 * LeakSanitizer checks that everything allocated is freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_alloc.h"
#include "funnel_stage.h"
#include "label.h"
#include "fuzz_common.h"

/* ---- custom models (stage names are already normalised) ---- */

/* (source is UTF-8; the comments name what each non-ASCII name folds from) */
static const char *const cafe_stages[] = {
	"prospect",
	"émail",					/* "ÉMAIL" */
	"paid_social",				/* "Ｐａｉｄ　Ｓｏｃｉａｌ" */
	"заявка",
	"成交",
	"strasse",					/* "Straße" */
	"i̇lgi",					/* "İlgi": i + U+0307 */
	"ırmak",					/* dotless i does not fold */
	"1",						/* "①", "１" */
};

static const char *const voyage_stages[] = {
	"découverte",
	"considération",
	"achat",
	"fidélité",
};

#define LONG_NAME_63 \
	"abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_012345678"

/* model FS_MAX_MODEL_ID: 63-byte name, FS_MAX_STAGES stages "s1".."s999", 63 bytes */
static char *big_stage_names[FS_MAX_STAGES];

static fs_model custom_models[] = {
	{100, "café", (int) (sizeof(cafe_stages) / sizeof(cafe_stages[0])), cafe_stages},
	{101, "voyage_client", (int) (sizeof(voyage_stages) / sizeof(voyage_stages[0])), voyage_stages},
	{FS_MAX_MODEL_ID, LONG_NAME_63, FS_MAX_STAGES, NULL},	/* stages set at init */
};

#define NCUSTOM ((int) (sizeof(custom_models) / sizeof(custom_models[0])))

static const char *
fs_status_name(fs_status s)
{
	switch (s)
	{
		case FS_OK:
			return "FS_OK";
		case FS_NO_SEPARATOR:
			return "FS_NO_SEPARATOR";
		case FS_EXTRA_SEPARATOR:
			return "FS_EXTRA_SEPARATOR";
		case FS_EMPTY_MODEL:
			return "FS_EMPTY_MODEL";
		case FS_EMPTY_STAGE:
			return "FS_EMPTY_STAGE";
		case FS_NAME_TOO_LONG:
			return "FS_NAME_TOO_LONG";
		case FS_LABEL_ERROR:
			return "FS_LABEL_ERROR";
		case FS_UNKNOWN_MODEL:
			return "FS_UNKNOWN_MODEL";
		case FS_UNKNOWN_STAGE:
			return "FS_UNKNOWN_STAGE";
	}
	return "(unknown fs_status)";
}

/* The model named name, by a search independent of fs_resolve's. */
static const fs_model *
find_model(const char *name)
{
	int			nbuiltin;
	const fs_model *builtin = fs_builtin_models(&nbuiltin);

	for (int i = 0; i < nbuiltin; i++)
		if (strcmp(builtin[i].name, name) == 0)
			return &builtin[i];
	for (int i = 0; i < NCUSTOM; i++)
		if (strcmp(custom_models[i].name, name) == 0)
			return &custom_models[i];
	return NULL;
}

/* Is s[0..len) free of '_' at either end and of ':'? */
static int
is_clean_name(const char *s, size_t len)
{
	return (len == 0 || (s[0] != '_' && s[len - 1] != '_')) && memchr(s, ':', len) == NULL;
}

/* fs_split with the contract that holds whatever the input. */
static fs_status
split_checked(const char *in, size_t len, char **model, char **stage,
			  label_status *lerr)
{
	long		live_before = fuzz_live_blocks;
	fs_status	st;

	*model = (char *) &live_before;	/* garbage the core must overwrite */
	*stage = (char *) &live_before;
	*lerr = (label_status) -1;
	st = fs_split(in, len, model, stage, lerr);
	FUZZ_CHECK(st == FS_OK || st == FS_NO_SEPARATOR || st == FS_EXTRA_SEPARATOR ||
			   st == FS_LABEL_ERROR, "fs_split gave %s", fs_status_name(st));
	if (st == FS_OK)
	{
		FUZZ_CHECK(*model != NULL && *stage != NULL, "FS_OK with a NULL name");
		FUZZ_CHECK(fuzz_live_blocks == live_before + 2,
				   "FS_OK left %ld blocks allocated, expected 2",
				   fuzz_live_blocks - live_before);
		FUZZ_CHECK(is_clean_name(*model, strlen(*model)), "bad model name \"%s\"", *model);
		FUZZ_CHECK(is_clean_name(*stage, strlen(*stage)), "bad stage name \"%s\"", *stage);
	}
	else
	{
		FUZZ_CHECK(*model == NULL && *stage == NULL, "%s but a name is not NULL",
				   fs_status_name(st));
		FUZZ_CHECK(fuzz_live_blocks == live_before, "%s left %ld blocks allocated",
				   fs_status_name(st), fuzz_live_blocks - live_before);
	}
	if (st == FS_LABEL_ERROR)
		FUZZ_CHECK(*lerr != LABEL_OK, "FS_LABEL_ERROR with label_error LABEL_OK");
	else
		FUZZ_CHECK(*lerr == LABEL_OK, "%s with label_error %d", fs_status_name(st), (int) *lerr);
	return st;
}

/* A malloc'd, NUL-terminated copy of s[0..len) without '_' at either end. */
static char *
strip_separators(const char *s, size_t len)
{
	char	   *out;

	while (len > 0 && s[0] == '_')
	{
		s++;
		len--;
	}
	while (len > 0 && s[len - 1] == '_')
		len--;
	out = malloc(len + 1);
	FUZZ_CHECK(out != NULL, "out of memory");
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

/* fs_check_name's verdict, by the rules of funnel_stage.h. */
static fs_status
expected_name_check(const char *name, int is_model)
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

/* Resolve, check every property of the answer; returns the status. */
static fs_status
resolve_checked(const char *model, const char *stage, uint32_t *value,
				const fs_model **found)
{
	fs_status	model_check = expected_name_check(model, 1);
	const fs_model *expect_model = model_check == FS_OK ? find_model(model) : NULL;
	fs_status	stage_check = expected_name_check(stage, 0);
	int			pos = 0;
	fs_status	st;

	FUZZ_CHECK(fs_check_name(model, 1) == model_check, "fs_check_name(\"%s\", 1)", model);
	FUZZ_CHECK(fs_check_name(stage, 0) == stage_check, "fs_check_name(\"%s\", 0)", stage);
	*value = 0xDEADBEEF;
	*found = (const fs_model *) &st;
	st = fs_resolve(custom_models, NCUSTOM, model, stage, value, found);
	FUZZ_CHECK(*found == expect_model, "fs_resolve: *found is wrong for \"%s\" (%s)",
			   model, fs_status_name(st));
	if (st != FS_OK)
		FUZZ_CHECK(*value == 0xDEADBEEF, "%s but *value was set", fs_status_name(st));
	if (model_check != FS_OK)
	{
		FUZZ_CHECK(st == model_check, "model \"%s\" gave %s, expected %s", model,
				   fs_status_name(st), fs_status_name(model_check));
		return st;
	}
	if (expect_model == NULL)
	{
		FUZZ_CHECK(st == FS_UNKNOWN_MODEL, "unknown model \"%s\" gave %s", model, fs_status_name(st));
		return st;
	}
	if (stage_check != FS_OK)
	{
		FUZZ_CHECK(st == stage_check, "stage \"%s:%s\" gave %s, expected %s", model, stage,
				   fs_status_name(st), fs_status_name(stage_check));
		return st;
	}
	for (int i = 0; i < expect_model->nstages; i++)
		if (strcmp(expect_model->stages[i], stage) == 0)
		{
			pos = i + 1;
			break;
		}
	if (pos == 0)
	{
		FUZZ_CHECK(st == FS_UNKNOWN_STAGE, "unknown stage \"%s:%s\" gave %s",
				   model, stage, fs_status_name(st));
		return st;
	}
	FUZZ_CHECK(st == FS_OK, "\"%s:%s\" gave %s", model, stage, fs_status_name(st));
	FUZZ_CHECK(*value == fs_encode(expect_model->id, pos),
			   "\"%s:%s\" gave value 0x%08x", model, stage, *value);
	FUZZ_CHECK(fs_value_model_id(*value) == expect_model->id,
			   "model id does not round-trip: %d != %d",
			   fs_value_model_id(*value), expect_model->id);
	FUZZ_CHECK(fs_value_position(*value) == pos,
			   "position does not round-trip: %d != %d", fs_value_position(*value), pos);
	FUZZ_CHECK(fs_stage_position(expect_model, stage) == pos, "fs_stage_position");
	if (expect_model->id < FS_FIRST_CUSTOM_MODEL_ID)
		FUZZ_CHECK(fs_builtin_by_id(expect_model->id) == expect_model,
				   "fs_builtin_by_id(%d) is not the model", expect_model->id);
	return st;
}

/* fs_format the value of model at position and parse it back. */
static void
check_format_roundtrip(const fs_model *model, int position)
{
	long		live_before = fuzz_live_blocks;
	char	   *text = fs_format(model, position);
	char	   *m;
	char	   *s;
	label_status lerr;
	uint32_t	value;
	const fs_model *found;
	fs_status	st;

	FUZZ_CHECK(text != NULL, "fs_format(%s, %d) gave NULL", model->name, position);
	FUZZ_CHECK(fuzz_live_blocks == live_before + 1, "fs_format left %ld blocks",
			   fuzz_live_blocks - live_before);
	st = split_checked(text, strlen(text), &m, &s, &lerr);
	FUZZ_CHECK(st == FS_OK, "formatted \"%s\" does not split: %s", text, fs_status_name(st));
	FUZZ_CHECK(strcmp(m, model->name) == 0 && strcmp(s, model->stages[position - 1]) == 0,
			   "formatted \"%s\" splits to \"%s\" : \"%s\"", text, m, s);
	st = resolve_checked(m, s, &value, &found);
	FUZZ_CHECK(st == FS_OK && value == fs_encode(model->id, position),
			   "formatted \"%s\" resolves to %s, 0x%08x, not 0x%08x", text,
			   fs_status_name(st), value, fs_encode(model->id, position));
	core_free(m);
	core_free(s);
	core_free(text);
	FUZZ_CHECK(fuzz_live_blocks == live_before, "round trip left blocks allocated");
}

/* A model's names must be normalised, valid and unique, or values break. */
static void
check_model_definition(const fs_model *model)
{
	char	   *out;
	size_t		out_len;

	FUZZ_CHECK(label_normalize(model->name, strlen(model->name), &out, &out_len) == LABEL_OK &&
			   strcmp(out, model->name) == 0, "model name \"%s\" is not normalised", model->name);
	core_free(out);
	FUZZ_CHECK(fs_check_name(model->name, 1) == FS_OK, "model name \"%s\" is invalid", model->name);
	FUZZ_CHECK(model->nstages >= 1 && model->nstages <= FS_MAX_STAGES,
			   "model %s has %d stages", model->name, model->nstages);
	for (int i = 0; i < model->nstages; i++)
	{
		const char *stage = model->stages[i];

		FUZZ_CHECK(label_normalize(stage, strlen(stage), &out, &out_len) == LABEL_OK &&
				   strcmp(out, stage) == 0, "stage \"%s:%s\" is not normalised", model->name, stage);
		core_free(out);
		FUZZ_CHECK(fs_check_name(stage, 0) == FS_OK, "stage \"%s:%s\" is invalid", model->name, stage);
		for (int j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(model->stages[j], stage) != 0, "stage \"%s:%s\" twice", model->name, stage);
		check_format_roundtrip(model, i + 1);
	}
	FUZZ_CHECK(fs_format(model, 0) == NULL, "fs_format(%s, 0) is not NULL", model->name);
	FUZZ_CHECK(fs_format(model, model->nstages + 1) == NULL, "fs_format past the end is not NULL");
}

static void
free_big_stage_names(void)
{
	for (int i = 0; i < FS_MAX_STAGES; i++)
		free(big_stage_names[i]);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int			nbuiltin;
	const fs_model *builtin;

	(void) argc;
	(void) argv;
	fuzz_alloc_install();
	fuzz_alloc_reset(0);

	FUZZ_CHECK(strlen(LONG_NAME_63) == FS_MAX_NAME_BYTES, "LONG_NAME_63 is not %d bytes",
			   FS_MAX_NAME_BYTES);
	/* "s1" ... "s999" and one 63-byte stage name last */
	for (int i = 0; i < FS_MAX_STAGES; i++)
	{
		big_stage_names[i] = malloc(FS_MAX_NAME_BYTES + 1);
		FUZZ_CHECK(big_stage_names[i] != NULL, "out of memory");
		if (i == FS_MAX_STAGES - 1)
			strcpy(big_stage_names[i], LONG_NAME_63);
		else
			snprintf(big_stage_names[i], FS_MAX_NAME_BYTES + 1, "s%d", i + 1);
	}
	atexit(free_big_stage_names);
	custom_models[NCUSTOM - 1].stages = (const char *const *) big_stage_names;

	builtin = fs_builtin_models(&nbuiltin);
	FUZZ_CHECK(nbuiltin > 0, "no built-in models");
	for (int i = 0; i < nbuiltin; i++)
	{
		FUZZ_CHECK(builtin[i].id >= 1 && builtin[i].id < FS_FIRST_CUSTOM_MODEL_ID,
				   "built-in %s has id %d", builtin[i].name, builtin[i].id);
		FUZZ_CHECK(i == 0 || builtin[i - 1].id < builtin[i].id, "built-ins not in id order");
		FUZZ_CHECK(fs_builtin_by_id(builtin[i].id) == &builtin[i], "fs_builtin_by_id");
		FUZZ_CHECK(fs_builtin_by_name(builtin[i].name) == &builtin[i], "fs_builtin_by_name");
		check_model_definition(&builtin[i]);
	}
	for (int i = 0; i < NCUSTOM; i++)
	{
		FUZZ_CHECK(fs_builtin_by_name(custom_models[i].name) == NULL, "custom model shadows a built-in");
		check_model_definition(&custom_models[i]);
	}
	FUZZ_CHECK(fs_builtin_by_id(0) == NULL && fs_builtin_by_id(FS_FIRST_CUSTOM_MODEL_ID) == NULL,
			   "fs_builtin_by_id out of range");
	FUZZ_CHECK(fuzz_live_blocks == 0, "initial checks left blocks allocated");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *) data;
	const char *in_colon = size > 0 ? memchr(in, ':', size) : NULL;
	fs_status	st;
	label_status lerr;
	char	   *model;
	char	   *stage;
	char	   *whole;
	size_t		whole_len;
	label_status whole_lerr;
	long		calls;

	fuzz_alloc_reset(0);
	st = split_checked(in, size, &model, &stage, &lerr);
	calls = fuzz_alloc_calls;

	/* what fs_split should have said, by its definition */
	whole_lerr = label_normalize(in, size, &whole, &whole_len);
	if (whole_lerr != LABEL_OK)
		FUZZ_CHECK(st == FS_LABEL_ERROR && lerr == whole_lerr,
				   "label_normalize gave %d but fs_split %s, label_error %d",
				   (int) whole_lerr, fs_status_name(st), (int) lerr);
	else
	{
		const char *colon = memchr(whole, ':', whole_len);
		size_t		ncolons = 0;

		for (size_t i = 0; i < whole_len; i++)
			ncolons += (whole[i] == ':');
		if (ncolons != 1)
			FUZZ_CHECK(st == (ncolons == 0 ? FS_NO_SEPARATOR : FS_EXTRA_SEPARATOR),
					   "normalised \"%s\" has %zu colons but fs_split gave %s",
					   whole, ncolons, fs_status_name(st));
		else
		{
			char	   *m = strip_separators(whole, (size_t) (colon - whole));
			char	   *s = strip_separators(colon + 1, whole_len - (size_t) (colon - whole) - 1);

			FUZZ_CHECK(st == FS_OK, "normalised \"%s\" gave %s", whole, fs_status_name(st));
			FUZZ_CHECK(strcmp(model, m) == 0 && strcmp(stage, s) == 0,
					   "fs_split gave \"%s\" : \"%s\", expected \"%s\" : \"%s\"",
					   model, stage, m, s);
			free(m);
			free(s);
		}
		core_free(whole);
	}

	/*
	 * Independently: with one ASCII ':' in the input and nothing else that
	 * folds to ':', the names are what each side normalises to alone.
	 */
	if (st == FS_OK && in_colon != NULL &&
		memchr(in_colon + 1, ':', size - (size_t) (in_colon - in) - 1) == NULL)
	{
		size_t		mlen = (size_t) (in_colon - in);
		char	   *m;
		char	   *s;
		size_t		m_len;
		size_t		s_len;

		FUZZ_CHECK(label_normalize(in, mlen, &m, &m_len) == LABEL_OK &&
				   label_normalize(in_colon + 1, size - mlen - 1, &s, &s_len) == LABEL_OK,
				   "a side of a splittable text does not normalise");
		if (memchr(m, ':', m_len) == NULL && memchr(s, ':', s_len) == NULL)
			FUZZ_CHECK(strcmp(model, m) == 0 && strcmp(stage, s) == 0,
					   "fs_split gave \"%s\" : \"%s\", but the sides normalise "
					   "to \"%s\" : \"%s\"", model, stage, m, s);
		core_free(m);
		core_free(s);
	}

	if (st == FS_OK)
	{
		uint32_t	value;
		const fs_model *found;
		char	   *again;
		size_t		again_len;

		/* the names are normalised already */
		FUZZ_CHECK(label_normalize(model, strlen(model), &again, &again_len) == LABEL_OK &&
				   strcmp(again, model) == 0, "model name \"%s\" is not normalised", model);
		core_free(again);
		FUZZ_CHECK(label_normalize(stage, strlen(stage), &again, &again_len) == LABEL_OK &&
				   strcmp(again, stage) == 0, "stage name \"%s\" is not normalised", stage);
		core_free(again);

		if (resolve_checked(model, stage, &value, &found) == FS_OK)
		{
			FUZZ_CHECK(fs_check_name(model, 1) == FS_OK && fs_check_name(stage, 0) == FS_OK,
					   "resolved names fail fs_check_name");
			check_format_roundtrip(found, fs_value_position(value));
		}
		core_free(model);
		core_free(stage);
	}
	FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated");

	/* every allocation of fs_split may fail, and then nothing leaks */
	for (long k = 1; k <= calls; k++)
	{
		fuzz_alloc_reset(k);
		st = split_checked(in, size, &model, &stage, &lerr);
		FUZZ_CHECK(st == FS_LABEL_ERROR && lerr == LABEL_NO_MEMORY,
				   "allocation %ld of %ld failing gave %s, label_error %d",
				   k, calls, fs_status_name(st), (int) lerr);
	}

	/* fs_format on a model and position picked from the input */
	if (size >= 2)
	{
		int			nbuiltin;
		const fs_model *builtin = fs_builtin_models(&nbuiltin);
		int			pick = data[0] % (nbuiltin + NCUSTOM);
		const fs_model *m = pick < nbuiltin ? &builtin[pick] : &custom_models[pick - nbuiltin];
		int			position = (int) (int8_t) data[1];
		char	   *text;

		if (data[1] == 0x7F)
			position = m->nstages;
		else if (data[1] == 0x80)
			position = m->nstages + 1;
		fuzz_alloc_reset(0);
		if (position >= 1 && position <= m->nstages)
		{
			check_format_roundtrip(m, position);
			fuzz_alloc_reset(1);
			text = fs_format(m, position);
			FUZZ_CHECK(text == NULL, "fs_format with failing allocation gave non-NULL");
		}
		else
		{
			text = fs_format(m, position);
			FUZZ_CHECK(text == NULL, "fs_format(%s, %d) is not NULL", m->name, position);
			FUZZ_CHECK(fuzz_alloc_calls == 0, "fs_format out of range allocated");
		}
	}
	fuzz_alloc_reset(0);
	FUZZ_CHECK(fuzz_live_blocks == 0, "blocks left allocated");
	return 0;
}
