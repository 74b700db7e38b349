-- touch_path: an ordered customer path of channel touches

CREATE TYPE mops.touch_path;

CREATE FUNCTION mops.touch_path_in(cstring) RETURNS mops.touch_path
AS 'MODULE_PATHNAME', 'touch_path_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.touch_path_out(mops.touch_path) RETURNS cstring
AS 'MODULE_PATHNAME', 'touch_path_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.touch_path_recv(internal) RETURNS mops.touch_path
AS 'MODULE_PATHNAME', 'touch_path_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.touch_path_send(mops.touch_path) RETURNS bytea
AS 'MODULE_PATHNAME', 'touch_path_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE mops.touch_path (
    INPUT = mops.touch_path_in,
    OUTPUT = mops.touch_path_out,
    RECEIVE = mops.touch_path_recv,
    SEND = mops.touch_path_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = extended
);
COMMENT ON TYPE mops.touch_path IS
'An ordered customer path of channel touches, each a normalised channel label with an optional time: ''email > paid_search > direct'' or ''email@2026-01-01 10:00:00+00 > direct@2026-01-03 09:00:00+00''. The empty string is the empty path.';
COMMENT ON FUNCTION mops.touch_path_in(cstring) IS 'Text input of touch_path: labels separated by >, each optionally followed by @ and an ISO timestamp with an explicit UTC offset; labels are normalised like normalize_label; times must not decrease.';
COMMENT ON FUNCTION mops.touch_path_out(mops.touch_path) IS 'Text output of touch_path: labels separated by " > ", times in UTC as @YYYY-MM-DD HH:MM:SS+00.';
COMMENT ON FUNCTION mops.touch_path_recv(internal) IS 'Binary input of touch_path: a version byte, the touch count, then per touch a has-time byte, the time (int8), the label length and the label (UTF-8); validated like text input.';
COMMENT ON FUNCTION mops.touch_path_send(mops.touch_path) IS 'Binary output of touch_path (see touch_path_recv).';

CREATE FUNCTION mops.path_length(path mops.touch_path) RETURNS integer
AS 'MODULE_PATHNAME', 'touch_path_length' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.path_length(mops.touch_path) IS 'The number of touches in a path (repeats counted); 0 for the empty path.';

CREATE FUNCTION mops.path_channels(path mops.touch_path) RETURNS text[]
AS 'MODULE_PATHNAME', 'touch_path_channels' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.path_channels(mops.touch_path) IS 'The channel of every touch, in path order (repeats included); an empty array for the empty path.';

CREATE FUNCTION mops.path_collapse(path mops.touch_path) RETURNS mops.touch_path
AS 'MODULE_PATHNAME', 'touch_path_collapse' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.path_collapse(mops.touch_path) IS 'The exposure path: each run of consecutive touches of one channel becomes its first touch (a > a > b > a gives a > b > a).';

CREATE FUNCTION mops.path_first(path mops.touch_path) RETURNS mops.touch_path
AS 'MODULE_PATHNAME', 'touch_path_first' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.path_first(mops.touch_path) IS 'The first touch of each channel, in path order (a > b > a > c gives a > b > c).';

CREATE FUNCTION mops.path_last_n(path mops.touch_path, n integer) RETURNS mops.touch_path
AS 'MODULE_PATHNAME', 'touch_path_last_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.path_last_n(mops.touch_path, integer) IS 'The last n touches (the whole path if it is shorter; the empty path for n = 0). A negative n is an error (22023).';

CREATE FUNCTION mops.path_within(path mops.touch_path, conversion_at timestamptz, lookback interval) RETURNS mops.touch_path
AS 'MODULE_PATHNAME', 'touch_path_within' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.path_within(mops.touch_path, timestamptz, interval) IS 'The touches with conversion_at - lookback <= time <= conversion_at (both ends inclusive; the subtraction is calendar arithmetic in the session time zone, hence STABLE). Every touch needs a time (22023 otherwise); a negative lookback is 22023.';

CREATE FUNCTION mops.path_remove(path mops.touch_path, channel text) RETURNS mops.touch_path
AS 'MODULE_PATHNAME', 'touch_path_remove' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.path_remove(mops.touch_path, text) IS 'The path without any touch of channel (normalised like normalize_label), unless every touch is of that channel: then the path is returned unchanged.';

CREATE FUNCTION mops.path_remove_trailing(path mops.touch_path, channel text) RETURNS mops.touch_path
AS 'MODULE_PATHNAME', 'touch_path_remove_trailing' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.path_remove_trailing(mops.touch_path, text) IS 'The path without the touches of channel at its end (a > direct > b > direct > direct gives a > direct > b), unless every touch is of that channel: then the path is returned unchanged.';

-- path_agg

CREATE FUNCTION mops.path_agg_transfn(internal, text, timestamptz) RETURNS internal
AS 'MODULE_PATHNAME', 'path_agg_transfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.path_agg_transfn(internal, text, timestamptz) IS
'Transition function of path_agg: keeps each row''s time and normalised channel. Not strict: rows with a NULL channel or time are skipped.';

CREATE FUNCTION mops.path_agg_finalfn(internal) RETURNS mops.touch_path
AS 'MODULE_PATHNAME', 'path_agg_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.path_agg_finalfn(internal) IS
'Final function of path_agg: the touches ordered by (time, channel). Not strict: no rows give NULL.';

CREATE FUNCTION mops.path_agg_combinefn(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'path_agg_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION mops.path_agg_combinefn(internal, internal) IS
'Combine function of path_agg (parallel aggregation). Not strict: either side may be empty.';

CREATE FUNCTION mops.path_agg_serialfn(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'path_agg_serialfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.path_agg_serialfn(internal) IS 'Serialises a path_agg state for parallel aggregation.';

CREATE FUNCTION mops.path_agg_deserialfn(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'path_agg_deserialfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.path_agg_deserialfn(bytea, internal) IS
'Deserialises a path_agg state for parallel aggregation, validating it like untrusted input.';

CREATE AGGREGATE mops.path_agg(channel text, ts timestamptz) (
    SFUNC = mops.path_agg_transfn,
    STYPE = internal,
    SSPACE = 128,
    FINALFUNC = mops.path_agg_finalfn,
    COMBINEFUNC = mops.path_agg_combinefn,
    SERIALFUNC = mops.path_agg_serialfn,
    DESERIALFUNC = mops.path_agg_deserialfn,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mops.path_agg(text, timestamptz) IS
'The touch_path of a group''s rows: channels normalised like normalize_label, ordered by (ts, channel); rows with a NULL channel or ts are skipped; no rows give NULL.';
