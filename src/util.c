/*
 * util.c — small argument helpers shared by the PostgreSQL layer.
 */
#include "survey_reg.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

/*
 * A one-dimensional float8[] of n zeros, without NULLs: the state of the
 * aggregates that keep plain sums in an array.
 */
ArrayType *
float8_array_zeros(int n)
{
	Size		nbytes = ARR_OVERHEAD_NONULLS(1) + sizeof(double) * (Size) n;
	ArrayType  *a = palloc0(nbytes);

	SET_VARSIZE(a, nbytes);
	a->ndim = 1;
	a->dataoffset = 0;
	a->elemtype = FLOAT8OID;
	ARR_DIMS(a)[0] = n;
	ARR_LBOUND(a)[0] = 1;
	return a;
}

/*
 * A one-dimensional text[] without NULLs to C strings.  argname names the
 * argument in error messages.
 */
char	  **
text_array_to_cstrings(ArrayType *arr, int *count, const char *argname)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;
	char	  **out;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", argname)));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &n);
	out = palloc(sizeof(char *) * (n > 0 ? n : 1));
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULL elements", argname)));
		out[i] = TextDatumGetCString(elems[i]);
	}
	*count = n;
	return out;
}

/*
 * A regression's dependent and blocks arguments (reg_parse_spec,
 * model_terms_parse): the dependent's name must not be empty and blocks
 * must have an element; blocks' elements as C strings.
 */
char	  **
regression_blocks_arg(const char *dependent, ArrayType *blocks_arr,
					  int *nblocks)
{
	char	  **blocks;

	if (dependent[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the dependent variable name must not be empty")));
	blocks = text_array_to_cstrings(blocks_arr, nblocks, "blocks");
	if (*nblocks < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("blocks must have at least one element"),
				 errdetail("Each element of blocks is a comma-separated list of predictors, entered as one block.")));
	return blocks;
}

/* an optional text argument (absent or NULL: NULL) as a C string */
char *
optional_text_arg(FunctionCallInfo fcinfo, int argno)
{
	if (PG_NARGS() <= argno || PG_ARGISNULL(argno))
		return NULL;
	return text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

/* an isspace() blank, independent of the locale */
bool
text_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
		|| c == '\v';
}

/* a palloc'ed copy of s[0 .. len-1] without leading and trailing blanks */
char *
trimmed_copy(const char *s, int len)
{
	while (len > 0 && text_is_blank(*s))
	{
		s++;
		len--;
	}
	while (len > 0 && text_is_blank(s[len - 1]))
		len--;
	return pnstrdup(s, len);
}
