-- budgets: pacing, forecast and accuracy of a budget over a period, and
-- path_prefixes for hierarchy rollups (DESIGN §3.7).  Reference:
-- doc/budget.md.

CREATE FUNCTION mops.budget_pacing(spent numeric, planned numeric, period daterange, as_of date)
RETURNS numeric
AS 'MODULE_PATHNAME', 'budget_pacing' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.budget_pacing(numeric, numeric, daterange, date) IS
'Budget pacing: spent / (planned × elapsed), elapsed = (as_of − lower(period)) / (upper(period) − lower(period)) in days, clamped to 0…1. 1 is on plan, above 1 overspending. NULL while nothing has elapsed (as_of <= lower) or when planned is 0; a negative plan, an empty, unbounded or infinite period are errors (22023).';

CREATE FUNCTION mops.budget_forecast(spent numeric, period daterange, as_of date)
RETURNS numeric
AS 'MODULE_PATHNAME', 'budget_forecast' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.budget_forecast(numeric, daterange, date) IS
'Spend forecast for the whole period at the current rate: spent / elapsed (elapsed as in budget_pacing). NULL while nothing has elapsed; after the period it is spent.';

CREATE FUNCTION mops.budget_accuracy(planned numeric, actual numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'budget_accuracy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.budget_accuracy(numeric, numeric) IS
'Budget accuracy: 1 − |actual − planned| / planned (1 is exact; over- and underspending count alike; below 0 when off by more than the plan). NULL when planned is 0; a negative plan is an error (22023).';

CREATE FUNCTION mops.path_prefixes(path text[])
RETURNS SETOF text[]
AS 'MODULE_PATHNAME', 'path_prefixes' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 4;
COMMENT ON FUNCTION mops.path_prefixes(text[]) IS
'The prefixes of a hierarchy path, shortest first: path_prefixes(''{emea,paid_social,q1}'') gives {emea}, {emea,paid_social}, {emea,paid_social,q1}. For rollups: join it and GROUP BY the prefix. No rows for an empty array; NULL elements are kept; a multi-dimensional array is an error (22023).';
