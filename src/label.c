/*
 * label.c - normalize_label(text): the PostgreSQL face of core/label.c
 */
#include "label.h"

#include "mb/pg_wchar.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(normalize_label);

/*
 * Both conversions return a new NUL-terminated string: pg_server_to_any and
 * pg_any_to_server hand back their input unchanged when no conversion is
 * needed, and that input need not be terminated (text datums are not).
 */
char *
mops_to_utf8(const char *s, size_t len, size_t *out_len)
{
	char	   *converted = pg_server_to_any(s, (int) len, PG_UTF8);

	if (converted == s)
	{
		*out_len = len;
		return pnstrdup(s, len);
	}
	*out_len = strlen(converted);
	return converted;
}

char *
mops_from_utf8(const char *s, size_t len)
{
	char	   *converted = pg_any_to_server(s, (int) len, PG_UTF8);

	return (converted == s) ? pnstrdup(s, len) : converted;
}

void
mops_report_label_error(label_status status, const char *type_name,
						const char *input, Node *escontext)
{
	switch (status)
	{
		case LABEL_OK:
			return;
		case LABEL_INVALID_UTF8:
			mops_errsave(escontext,
						 errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid input syntax for type %s: \"%s\"", type_name, input),
						 errdetail("The text is not valid UTF-8."));
			return;
		case LABEL_TOO_LONG:
			mops_errsave(escontext,
						 errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("label is too long"),
						 errdetail("Labels are limited to %zu bytes.", LABEL_MAX_INPUT_BYTES));
			return;
		case LABEL_NO_MEMORY:
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory")));
			return;
		case LABEL_ICU_ERROR:
			ereport(ERROR,
					(errcode(ERRCODE_EXTERNAL_ROUTINE_EXCEPTION),
					 errmsg("could not normalize label: %s", label_icu_error_name())));
			return;
	}
}

char *
mops_normalize_label(const char *s, size_t len)
{
	size_t		utf8_len;
	char	   *utf8 = mops_to_utf8(s, len, &utf8_len);
	char	   *normalised;
	size_t		normalised_len;
	label_status status;

	/* the database encoding already rejects malformed text */
	status = label_normalize(utf8, utf8_len, &normalised, &normalised_len);
	if (status != LABEL_OK)
		mops_report_label_error(status, "text", pnstrdup(s, len), NULL);
	return mops_from_utf8(normalised, normalised_len);
}

/*
 * normalize_label(text) -> text
 */
Datum
normalize_label(PG_FUNCTION_ARGS)
{
	text	   *in = PG_GETARG_TEXT_PP(0);
	char	   *normalised = mops_normalize_label(VARDATA_ANY(in), VARSIZE_ANY_EXHDR(in));

	PG_RETURN_TEXT_P(cstring_to_text(normalised));
}
