-- Included (\ir) by the pgTAP files in test/ after BEGIN.
--
-- diag(sql): run sql and return {sqlstate, message, detail, hint} of the
-- error it raises (NULL for an absent detail or hint), or NULL if it succeeds.
CREATE FUNCTION pg_temp.diag(sql text) RETURNS text[]
LANGUAGE plpgsql AS $$
DECLARE
    st text;
    msg text;
    det text;
    hnt text;
BEGIN
    EXECUTE sql;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                            det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    RETURN ARRAY[st, msg, nullif(det, ''), nullif(hnt, '')];
END
$$;
