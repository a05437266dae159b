/*
 * odbc_columns: a minimal ODBC client for tools/odbc-test.sh.  Runs one
 * query through the ODBC driver manager (unixODBC) and prints what a BI
 * tool sees: each result column's SQL data type and the driver's type name
 * (SQLDescribeCol, SQLColAttribute), then the rows, every value fetched as
 * its reported type (float columns as SQL_C_DOUBLE, so NaN and Infinity
 * arrive as the driver converts them), and the number of character values
 * that look like an array literal ("{...}").
 *
 *   odbc_columns 'DSN=name' 'SELECT ...'
 *
 * Output lines (tab-separated):
 *   column <name> <SQL type> <code> <driver type name>
 *   row <value> <value> ...        (NULL printed as \N)
 *   rows <n>
 *   array_literals <n>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sql.h>
#include <sqlext.h>

#define MAXCOLS 64

static const char *
sql_type_name(SQLSMALLINT t)
{
	switch (t)
	{
		case SQL_CHAR: return "SQL_CHAR";
		case SQL_VARCHAR: return "SQL_VARCHAR";
		case SQL_LONGVARCHAR: return "SQL_LONGVARCHAR";
		case SQL_WCHAR: return "SQL_WCHAR";
		case SQL_WVARCHAR: return "SQL_WVARCHAR";
		case SQL_WLONGVARCHAR: return "SQL_WLONGVARCHAR";
		case SQL_SMALLINT: return "SQL_SMALLINT";
		case SQL_INTEGER: return "SQL_INTEGER";
		case SQL_BIGINT: return "SQL_BIGINT";
		case SQL_REAL: return "SQL_REAL";
		case SQL_FLOAT: return "SQL_FLOAT";
		case SQL_DOUBLE: return "SQL_DOUBLE";
		case SQL_NUMERIC: return "SQL_NUMERIC";
		case SQL_DECIMAL: return "SQL_DECIMAL";
		case SQL_BIT: return "SQL_BIT";
		case SQL_VARBINARY: return "SQL_VARBINARY";
		case SQL_LONGVARBINARY: return "SQL_LONGVARBINARY";
		default: return "OTHER";
	}
}

static void
fail(const char *what, SQLSMALLINT htype, SQLHANDLE h)
{
	SQLCHAR state[6], msg[1024];
	SQLINTEGER native;
	SQLSMALLINT len;

	fprintf(stderr, "odbc_columns: %s failed", what);
	if (h != SQL_NULL_HANDLE &&
		SQL_SUCCEEDED(SQLGetDiagRec(htype, h, 1, state, &native, msg, sizeof msg, &len)))
		fprintf(stderr, ": %s %s", state, msg);
	fputc('\n', stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	SQLHENV env;
	SQLHDBC dbc;
	SQLHSTMT st;
	SQLSMALLINT ncol;
	SQLSMALLINT types[MAXCOLS];
	static char buf[1 << 16];
	long rows = 0, arrays = 0;

	if (argc != 3)
	{
		fprintf(stderr, "usage: odbc_columns CONNECTION-STRING QUERY\n");
		return 2;
	}
	if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env)))
		fail("SQLAllocHandle(ENV)", SQL_HANDLE_ENV, SQL_NULL_HANDLE);
	SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, (SQLPOINTER) SQL_OV_ODBC3, 0);
	if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc)))
		fail("SQLAllocHandle(DBC)", SQL_HANDLE_ENV, env);
	if (!SQL_SUCCEEDED(SQLDriverConnect(dbc, NULL, (SQLCHAR *) argv[1], SQL_NTS,
										NULL, 0, NULL, SQL_DRIVER_NOPROMPT)))
		fail("SQLDriverConnect", SQL_HANDLE_DBC, dbc);
	if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_STMT, dbc, &st)))
		fail("SQLAllocHandle(STMT)", SQL_HANDLE_DBC, dbc);
	if (!SQL_SUCCEEDED(SQLExecDirect(st, (SQLCHAR *) argv[2], SQL_NTS)))
		fail("SQLExecDirect", SQL_HANDLE_STMT, st);
	if (!SQL_SUCCEEDED(SQLNumResultCols(st, &ncol)) || ncol > MAXCOLS)
		fail("SQLNumResultCols", SQL_HANDLE_STMT, st);

	for (SQLUSMALLINT i = 1; i <= ncol; i++)
	{
		SQLCHAR name[256], tname[256];
		SQLSMALLINT nlen, dec, nullable, tlen;
		SQLULEN size;

		if (!SQL_SUCCEEDED(SQLDescribeCol(st, i, name, sizeof name, &nlen,
										  &types[i - 1], &size, &dec, &nullable)))
			fail("SQLDescribeCol", SQL_HANDLE_STMT, st);
		if (!SQL_SUCCEEDED(SQLColAttribute(st, i, SQL_DESC_TYPE_NAME, tname,
										   sizeof tname, &tlen, NULL)))
			fail("SQLColAttribute", SQL_HANDLE_STMT, st);
		printf("column\t%s\t%s\t%d\t%s\n", name, sql_type_name(types[i - 1]),
			   types[i - 1], tname);
	}

	for (;;)
	{
		SQLRETURN rc = SQLFetch(st);

		if (rc == SQL_NO_DATA)
			break;
		if (!SQL_SUCCEEDED(rc))
			fail("SQLFetch", SQL_HANDLE_STMT, st);
		rows++;
		fputs("row", stdout);
		for (SQLUSMALLINT i = 1; i <= ncol; i++)
		{
			SQLLEN ind;
			SQLSMALLINT t = types[i - 1];

			if (t == SQL_DOUBLE || t == SQL_FLOAT || t == SQL_REAL)
			{
				double d;

				if (!SQL_SUCCEEDED(SQLGetData(st, i, SQL_C_DOUBLE, &d, 0, &ind)))
					fail("SQLGetData(SQL_C_DOUBLE)", SQL_HANDLE_STMT, st);
				if (ind == SQL_NULL_DATA)
					fputs("\t\\N", stdout);
				else
					printf("\t%.17g", d);
				continue;
			}
			if (!SQL_SUCCEEDED(SQLGetData(st, i, SQL_C_CHAR, buf, sizeof buf, &ind)))
				fail("SQLGetData(SQL_C_CHAR)", SQL_HANDLE_STMT, st);
			if (ind == SQL_NULL_DATA)
			{
				fputs("\t\\N", stdout);
				continue;
			}
			printf("\t%s", buf);
			if (buf[0] == '{' && strlen(buf) > 1 && buf[strlen(buf) - 1] == '}')
				arrays++;
		}
		fputc('\n', stdout);
	}
	printf("rows\t%ld\narray_literals\t%ld\n", rows, arrays);
	SQLFreeHandle(SQL_HANDLE_STMT, st);
	SQLDisconnect(dbc);
	SQLFreeHandle(SQL_HANDLE_DBC, dbc);
	SQLFreeHandle(SQL_HANDLE_ENV, env);
	return 0;
}
