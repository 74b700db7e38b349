-- setup: runs first (see Makefile); installs mops into contrib_regression for
-- every later test, and the one helper the tests share.
CREATE EXTENSION mops;
SELECT extname, extversion FROM pg_extension WHERE extname = 'mops';

-- err(sql): the SQLSTATE, message, detail and hint of the error sql raises
-- ('no error' if it succeeds), so that a test shows each error case's
-- SQLSTATE in a table.
CREATE FUNCTION public.err(sql text)
RETURNS TABLE(code text, message text, detail text, hint text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE sql;
    code := 'no error';
    RETURN NEXT;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    RETURN NEXT;
END
$$;
