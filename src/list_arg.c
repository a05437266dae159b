/*
 * list_arg.c — a list argument (variables, items, blocks, ...) written as
 * one string.  The table-name functions take text[]; a call such as
 * describe('survey', 'a, b') would fail in PostgreSQL's array input
 * ("malformed array literal") before survey_reg runs.  Each such function
 * has an overload taking that argument as text (src/sql/87_list_hints.sql)
 * that calls _list_arg: an array literal ('{a,b}') is converted as before,
 * anything else is an error whose hint shows the ARRAY[...] form built
 * from the caller's own names.  Written in C so that the error carries no
 * CONTEXT line of an internal function.
 */
#include "survey_reg.h"

#include <ctype.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"

/* a name needs quoting inside an array literal */
static bool
needs_array_quoting(const char *s)
{
	if (*s == '\0' || pg_strcasecmp(s, "NULL") == 0)
		return true;
	for (; *s; s++)
		if (strchr("{}\",\\", *s) || isspace((unsigned char) *s))
			return true;
	return false;
}

PG_FUNCTION_INFO_V1(list_arg);

/*
 * _list_arg(list text, parameter text, noun text, unit text) RETURNS text[]
 * noun: what the elements are ("column names"); unit: when each element is
 * itself a comma-separated group (a block, an index's items), its name.
 */
Datum
list_arg(PG_FUNCTION_ARGS)
{
	char	   *list;
	const char *param;
	const char *noun;
	const char *unit;
	const char *p;
	StringInfoData array_form;
	StringInfoData literal_form;
	StringInfoData joined;
	StringInfoData hint;
	bool		literal_ok = true;
	int			count = 0;
	char	   *copy;
	char	   *tok;
	char	   *save;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	list = text_to_cstring(PG_GETARG_TEXT_PP(0));
	param = PG_ARGISNULL(1) ? "list" : text_to_cstring(PG_GETARG_TEXT_PP(1));
	noun = PG_ARGISNULL(2) ? "names" : text_to_cstring(PG_GETARG_TEXT_PP(2));
	unit = PG_ARGISNULL(3) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(3));

	/* an array literal: exactly what the text[] argument accepted before */
	for (p = list; *p && isspace((unsigned char) *p); p++)
		;
	if (*p == '{' || *p == '[')
		PG_RETURN_DATUM(OidInputFunctionCall(F_ARRAY_IN, list, TEXTOID, -1));

	/* the caller's names, split on commas as blocks are */
	initStringInfo(&array_form);
	initStringInfo(&literal_form);
	initStringInfo(&joined);
	copy = pstrdup(list);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
	{
		char	   *end;

		while (isspace((unsigned char) *tok))
			tok++;
		end = tok + strlen(tok);
		while (end > tok && isspace((unsigned char) end[-1]))
			*--end = '\0';
		if (*tok == '\0')
			continue;
		appendStringInfo(&array_form, "%s%s", count ? ", " : "",
						 quote_literal_cstr(tok));
		appendStringInfo(&literal_form, "%s%s", count ? "," : "", tok);
		appendStringInfo(&joined, "%s%s", count ? ", " : "", tok);
		if (needs_array_quoting(tok) || strchr(tok, '\''))
			literal_ok = false;
		count++;
	}
	if (count == 0)
	{
		appendStringInfoString(&array_form, "'a', 'b'");
		appendStringInfoString(&literal_form, "a,b");
	}

	/*
	 * A list of groups (blocks): the string may have meant one group or one
	 * group per name; show both.
	 */
	initStringInfo(&hint);
	if (unit && count > 1)
		appendStringInfo(&hint, "Write ARRAY[%s] for one %s of all of them, or ARRAY[%s] for one %s each (each element is one %s).",
						 quote_literal_cstr(joined.data), unit, array_form.data, unit, unit);
	else
	{
		appendStringInfo(&hint, "Write ARRAY[%s]", array_form.data);
		if (literal_ok)
			appendStringInfo(&hint, " (or '{%s}')", literal_form.data);
		appendStringInfoChar(&hint, '.');
	}

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("%s must be an array of %s, not one string", param, noun),
			 errdetail("The string \"%s\" is not an array literal.", list),
			 errhint("%s", hint.data)));
	PG_RETURN_NULL();			/* not reached */
}
