-- kpi_dump_restore: DESIGN §4.1 (pg_extension_config_dump) and issue 6: a
-- database with data in every table of the data model, dumped with pg_dump
-- and restored into a fresh database (CREATE EXTENSION done by the
-- restore), gives identical results in every view.  Targets the user
-- changed or added survive over the seeded ones.
CREATE DATABASE regress_mops_kpi_src;
CREATE DATABASE regress_mops_kpi_dst;

\c regress_mops_kpi_src
SET datestyle = 'ISO, YMD';
CREATE EXTENSION mops;
SELECT sum(row_count) AS demo_rows FROM mops.load_demo_data(1);
-- The user's own settings: a changed target, a new one, an exchange rate.
UPDATE mops.kpi_target SET target = 0.90, source = 'our plan' WHERE kpi = 'campaign_on_time';
INSERT INTO mops.kpi_target VALUES ('cpa', 40, NULL, 'lower_is_better', 'our plan');
INSERT INTO mops.fx_rate VALUES ('EUR', 'USD', '2025-01-01', 1.08);

-- Every table of schema mops the user loads holds rows.
SELECT c.relname AS empty_table
FROM pg_class c
WHERE c.relnamespace = 'mops'::regnamespace AND c.relkind = 'r'
  AND c.relname NOT IN ('funnel_model', 'source_category', 'maturity_guidance')
  AND (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM mops.%I', c.relname), false, true, '')))[1]::text = '0'
ORDER BY 1;  -- 0 rows

-- view_digests(): row count and digest of every view of schema mops.
CREATE FUNCTION public.view_digests() RETURNS TABLE(view_name text, row_count bigint, digest text)
LANGUAGE plpgsql AS $$
DECLARE v text;
BEGIN
    FOR v IN SELECT c.relname FROM pg_class c
              WHERE c.relnamespace = 'mops'::regnamespace AND c.relkind = 'v' ORDER BY 1 LOOP
        view_name := v;
        EXECUTE format('SELECT count(*), md5(coalesce(string_agg(x::text, '','' ORDER BY x::text), '''')) FROM mops.%I x', v)
            INTO row_count, digest;
        RETURN NEXT;
    END LOOP;
END
$$;
CREATE TABLE public.digest_before AS SELECT * FROM public.view_digests();
SELECT view_name, row_count > 0 AS has_rows FROM public.digest_before ORDER BY 1;

-- Plain dump, restored with psql into the empty database.
\c contrib_regression
\! pg_dump regress_mops_kpi_src | psql -X -q -o /dev/null -v ON_ERROR_STOP=1 -d regress_mops_kpi_dst 2>&1 | sed 's/^psql:<stdin>:[0-9]*: //'

\c regress_mops_kpi_dst
SET datestyle = 'ISO, YMD';
-- expect: every view the same rows as before the dump.
SELECT b.view_name, b.row_count, a.row_count = b.row_count AS same_count, a.digest = b.digest AS same_rows
FROM public.digest_before b FULL JOIN public.view_digests() a USING (view_name)
ORDER BY 1;
-- The targets: seeded ones as seeded, the user's change and addition kept.
SELECT kpi, target, direction, source FROM mops.kpi_target WHERE kpi IN ('campaign_on_time', 'cpa', 'qa_success') ORDER BY kpi;
SELECT currency, quote_currency, valid_from, rate FROM mops.fx_rate;

\c contrib_regression
DROP DATABASE regress_mops_kpi_src;
DROP DATABASE regress_mops_kpi_dst;
