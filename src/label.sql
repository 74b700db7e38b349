-- normalize_label: one spelling for every way people write a label

CREATE FUNCTION mops.normalize_label(label text)
RETURNS text
AS 'MODULE_PATHNAME', 'normalize_label'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION mops.normalize_label(text) IS
'Canonical form of a channel, model or stage label: Unicode NFKC case folding (ICU), then every run of white space, underscores and dashes becomes one underscore, and separators at either end are dropped. normalize_label('' Paid  Social '') = ''paid_social''.';
