-- attribute: rule-based attribution of a conversion value over a path's touches

CREATE FUNCTION mops.attribute(
    path mops.touch_path,
    model text,
    value numeric DEFAULT 1,
    conversion_at timestamptz DEFAULT NULL,
    half_life interval DEFAULT '7 days')
RETURNS TABLE(touch integer, channel text, credit numeric)
AS 'MODULE_PATHNAME', 'attribute'
LANGUAGE C IMMUTABLE CALLED ON NULL INPUT PARALLEL SAFE ROWS 5;
COMMENT ON FUNCTION mops.attribute(mops.touch_path, text, numeric, timestamptz, interval) IS
'One row per touch of path with its share (credit) of value under model: first_touch, last_touch, last_non_direct, linear, position_based (alias u_shaped: 40/20/40), time_decay (weight 2^(-dt/half_life), needs touch times), shapley_simplified. Credits are numeric and sum to value exactly. The empty or NULL path gives no rows; a NULL model or value is an error (22004), and so is a NULL half_life for time_decay (the other models ignore it); conversion_at defaults to the last touch.';
