-- survey_reg install script, assembled from src/sql/*.sql by the Makefile.
-- Every object lives in schema survey_reg; references inside function
-- bodies are schema-qualified so that a caller's search_path cannot
-- redirect them.

\echo Use "CREATE EXTENSION survey_reg" to load this file. \quit
