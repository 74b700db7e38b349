-- mops install script, generated at build time from src/*.sql (see Makefile).
-- Do not edit the generated mops--<version>.sql: edit the sources in src/.

\echo Use "CREATE EXTENSION mops" to load this file. \quit

-- Every SQL-language and plpgsql function below pins its search_path, and
-- every name the script refers to is schema-qualified, so that objects
-- planted in other schemas (public, a user's own) are never picked up.

-- Every role may use what the extension defines (functions are executable
-- by PUBLIC by default; tables carry their own grants).
GRANT USAGE ON SCHEMA mops TO PUBLIC;

COMMENT ON SCHEMA mops IS 'mops: marketing-operations analytics (types, functions, aggregates, data model and KPI views)';
