-- amount: a numeric value in an ISO 4217 currency, fx conversion, sum(amount)

CREATE TYPE mops.amount;

CREATE FUNCTION mops.amount_in(cstring) RETURNS mops.amount
AS 'MODULE_PATHNAME', 'amount_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.amount_out(mops.amount) RETURNS cstring
AS 'MODULE_PATHNAME', 'amount_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.amount_recv(internal) RETURNS mops.amount
AS 'MODULE_PATHNAME', 'amount_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.amount_send(mops.amount) RETURNS bytea
AS 'MODULE_PATHNAME', 'amount_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE mops.amount (
    INPUT = mops.amount_in,
    OUTPUT = mops.amount_out,
    RECEIVE = mops.amount_recv,
    SEND = mops.amount_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = int4,
    STORAGE = main
);
COMMENT ON TYPE mops.amount IS
'A money amount: a numeric value and an ISO 4217 currency code, written 1250.50 EUR. Arithmetic and <, <=, >, >= work within one currency; = and ORDER BY work across currencies (ordered by currency code, then value).';
COMMENT ON FUNCTION mops.amount_in(cstring) IS 'Text input of amount: a decimal number, white space and a currency code (any case), for example 1250.50 EUR.';
COMMENT ON FUNCTION mops.amount_out(mops.amount) IS 'Text output of amount: the number as numeric prints it, one space and the upper-case currency code.';
COMMENT ON FUNCTION mops.amount_recv(internal) IS 'Binary input of amount: a version byte, the currency code and the binary form of numeric.';
COMMENT ON FUNCTION mops.amount_send(mops.amount) IS 'Binary output of amount: a version byte, the currency code and the binary form of numeric.';

-- Constructor, accessors, currency helpers

CREATE FUNCTION mops.amount(value numeric, currency text) RETURNS mops.amount
AS 'MODULE_PATHNAME', 'amount_construct' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.amount(numeric, text) IS
'An amount from a value and a currency code (any case): amount(1250.5, ''eur'') = ''1250.5 EUR''. The value keeps its scale; NaN and infinity are an error (22023), an unknown code too (22P02).';

CREATE FUNCTION mops.amount_value(a mops.amount) RETURNS numeric
AS 'MODULE_PATHNAME', 'amount_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.amount_value(mops.amount) IS 'The numeric value of an amount: amount_value(''1250.50 EUR'') = 1250.50.';

CREATE FUNCTION mops.amount_currency(a mops.amount) RETURNS text
AS 'MODULE_PATHNAME', 'amount_currency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.amount_currency(mops.amount) IS 'The upper-case ISO 4217 currency code of an amount: amount_currency(''1250.50 EUR'') = ''EUR''.';

CREATE FUNCTION mops.is_currency_code(code text) RETURNS boolean
AS 'MODULE_PATHNAME', 'amount_is_currency_code' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.is_currency_code(text) IS
'True when the text is exactly an upper-case ISO 4217 currency code that ICU knows (current or historic): is_currency_code(''EUR'') is true, ''eur'' and ''XYZ'' are false.';

CREATE FUNCTION mops.currency_minor_units(currency text) RETURNS integer
AS 'MODULE_PATHNAME', 'amount_currency_minor_units' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.currency_minor_units(text) IS
'Digits after the decimal point of a currency, from ICU (CLDR): JPY 0, EUR 2, BHD 3. The code may be in any case; an unknown one is an error (22P02).';

CREATE FUNCTION mops.round_minor(a mops.amount) RETURNS mops.amount
AS 'MODULE_PATHNAME', 'amount_round_minor' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.round_minor(mops.amount) IS
'The amount rounded to its currency''s minor units (ICU: JPY 0, EUR 2, BHD 3), half away from zero like round(numeric): round_minor(''1250.5 JPY'') = ''1251 JPY''.';

CREATE FUNCTION mops.format_amount(a mops.amount, locale text) RETURNS text
AS 'MODULE_PATHNAME', 'amount_format_locale_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.format_amount(mops.amount, text) IS
'The amount formatted for a locale by ICU, rounded to the currency''s minor units half away from zero: format_amount(''1250.50 EUR'', ''de_DE'') = ''1.250,50 €'' (with a no-break space). A locale ICU has no data for is an error (22023). STABLE: the output follows the ICU version''s locale data.';

-- Arithmetic

CREATE FUNCTION mops.amount_add(mops.amount, mops.amount) RETURNS mops.amount
AS 'MODULE_PATHNAME', 'amount_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.amount_sub(mops.amount, mops.amount) RETURNS mops.amount
AS 'MODULE_PATHNAME', 'amount_sub' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.amount_uminus(mops.amount) RETURNS mops.amount
AS 'MODULE_PATHNAME', 'amount_uminus' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.amount_mul(mops.amount, numeric) RETURNS mops.amount
AS 'MODULE_PATHNAME', 'amount_mul' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.amount_numeric_mul(numeric, mops.amount) RETURNS mops.amount
AS 'MODULE_PATHNAME', 'amount_numeric_mul' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.amount_div(mops.amount, numeric) RETURNS mops.amount
AS 'MODULE_PATHNAME', 'amount_div' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION mops.amount_add(mops.amount, mops.amount) IS 'Implementation of amount + amount: the sum of two amounts of one currency (22023 across currencies).';
COMMENT ON FUNCTION mops.amount_sub(mops.amount, mops.amount) IS 'Implementation of amount - amount: the difference of two amounts of one currency (22023 across currencies).';
COMMENT ON FUNCTION mops.amount_uminus(mops.amount) IS 'Implementation of unary - for amount.';
COMMENT ON FUNCTION mops.amount_mul(mops.amount, numeric) IS 'Implementation of amount * numeric (the scale is numeric''s: scales add up).';
COMMENT ON FUNCTION mops.amount_numeric_mul(numeric, mops.amount) IS 'Implementation of numeric * amount (the scale is numeric''s: scales add up).';
COMMENT ON FUNCTION mops.amount_div(mops.amount, numeric) IS 'Implementation of amount / numeric (numeric division; division by zero is 22012).';

CREATE OPERATOR mops.+ (
    LEFTARG = mops.amount, RIGHTARG = mops.amount, PROCEDURE = mops.amount_add,
    COMMUTATOR = OPERATOR(mops.+)
);
CREATE OPERATOR mops.- (
    LEFTARG = mops.amount, RIGHTARG = mops.amount, PROCEDURE = mops.amount_sub
);
CREATE OPERATOR mops.- (
    RIGHTARG = mops.amount, PROCEDURE = mops.amount_uminus
);
CREATE OPERATOR mops.* (
    LEFTARG = mops.amount, RIGHTARG = numeric, PROCEDURE = mops.amount_mul,
    COMMUTATOR = OPERATOR(mops.*)
);
CREATE OPERATOR mops.* (
    LEFTARG = numeric, RIGHTARG = mops.amount, PROCEDURE = mops.amount_numeric_mul,
    COMMUTATOR = OPERATOR(mops.*)
);
CREATE OPERATOR mops./ (
    LEFTARG = mops.amount, RIGHTARG = numeric, PROCEDURE = mops.amount_div
);

-- Comparison.  =, <> and the btree and hash operator classes are a total
-- order across currencies (currency code, then value).  The btree class
-- holds the total-order operators ~<~, ~<=~, ~>=~, ~>~ (named like
-- text_pattern_ops's) rather than <, <=, >, >=: the planner calls a btree
-- family's operators on arbitrary pairs of stored values (when it costs a
-- merge join, for example), and <, <=, >, >= raise 22023 across currencies.
-- Their selectivity estimators (amount_ltsel, ...) use the total-order
-- operator of the same strategy, so planning never raises either, and their
-- support function lets a btree index serve them through that operator.  min and
-- max have no SORTOP on purpose: with one, the planner could answer min()
-- from an index over mixed currencies instead of raising the error.

CREATE FUNCTION mops.amount_eq(mops.amount, mops.amount) RETURNS boolean
AS 'MODULE_PATHNAME', 'amount_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION mops.amount_ne(mops.amount, mops.amount) RETURNS boolean
AS 'MODULE_PATHNAME', 'amount_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION mops.amount_ineq_support(internal) RETURNS internal
AS 'MODULE_PATHNAME', 'amount_ineq_support' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.amount_ineq_support(internal) IS
'Planner support of <, <=, >, >= for amount: a btree index serves them through the total-order operator of the same strategy (a lossy index condition; the comparison is rechecked).';
CREATE FUNCTION mops.amount_lt(mops.amount, mops.amount) RETURNS boolean
AS 'MODULE_PATHNAME', 'amount_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SUPPORT mops.amount_ineq_support;
CREATE FUNCTION mops.amount_le(mops.amount, mops.amount) RETURNS boolean
AS 'MODULE_PATHNAME', 'amount_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SUPPORT mops.amount_ineq_support;
CREATE FUNCTION mops.amount_gt(mops.amount, mops.amount) RETURNS boolean
AS 'MODULE_PATHNAME', 'amount_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SUPPORT mops.amount_ineq_support;
CREATE FUNCTION mops.amount_ge(mops.amount, mops.amount) RETURNS boolean
AS 'MODULE_PATHNAME', 'amount_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE
SUPPORT mops.amount_ineq_support;
CREATE FUNCTION mops.amount_total_lt(mops.amount, mops.amount) RETURNS boolean
AS 'MODULE_PATHNAME', 'amount_total_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION mops.amount_total_le(mops.amount, mops.amount) RETURNS boolean
AS 'MODULE_PATHNAME', 'amount_total_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION mops.amount_total_gt(mops.amount, mops.amount) RETURNS boolean
AS 'MODULE_PATHNAME', 'amount_total_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION mops.amount_total_ge(mops.amount, mops.amount) RETURNS boolean
AS 'MODULE_PATHNAME', 'amount_total_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION mops.amount_cmp(mops.amount, mops.amount) RETURNS integer
AS 'MODULE_PATHNAME', 'amount_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION mops.amount_hash(mops.amount) RETURNS integer
AS 'MODULE_PATHNAME', 'amount_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION mops.amount_hash_extended(mops.amount, bigint) RETURNS bigint
AS 'MODULE_PATHNAME', 'amount_hash_extended' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION mops.amount_larger(mops.amount, mops.amount) RETURNS mops.amount
AS 'MODULE_PATHNAME', 'amount_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.amount_smaller(mops.amount, mops.amount) RETURNS mops.amount
AS 'MODULE_PATHNAME', 'amount_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.amount_ltsel(internal, oid, internal, integer) RETURNS double precision
AS 'MODULE_PATHNAME', 'amount_ltsel' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.amount_lesel(internal, oid, internal, integer) RETURNS double precision
AS 'MODULE_PATHNAME', 'amount_lesel' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.amount_gtsel(internal, oid, internal, integer) RETURNS double precision
AS 'MODULE_PATHNAME', 'amount_gtsel' LANGUAGE C STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION mops.amount_gesel(internal, oid, internal, integer) RETURNS double precision
AS 'MODULE_PATHNAME', 'amount_gesel' LANGUAGE C STABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION mops.amount_eq(mops.amount, mops.amount) IS 'Implementation of = for amount: same currency and equal value (1.5 EUR = 1.50 EUR; 1 EUR <> 1 USD).';
COMMENT ON FUNCTION mops.amount_ne(mops.amount, mops.amount) IS 'Implementation of <> for amount.';
COMMENT ON FUNCTION mops.amount_lt(mops.amount, mops.amount) IS 'Implementation of < for amount (one currency; 22023 across currencies).';
COMMENT ON FUNCTION mops.amount_le(mops.amount, mops.amount) IS 'Implementation of <= for amount (one currency; 22023 across currencies).';
COMMENT ON FUNCTION mops.amount_gt(mops.amount, mops.amount) IS 'Implementation of > for amount (one currency; 22023 across currencies).';
COMMENT ON FUNCTION mops.amount_ge(mops.amount, mops.amount) IS 'Implementation of >= for amount (one currency; 22023 across currencies).';
COMMENT ON FUNCTION mops.amount_total_lt(mops.amount, mops.amount) IS 'Implementation of ~<~ for amount: the total order (currency code, then value) of the btree operator class.';
COMMENT ON FUNCTION mops.amount_total_le(mops.amount, mops.amount) IS 'Implementation of ~<=~ for amount: the total order (currency code, then value) of the btree operator class.';
COMMENT ON FUNCTION mops.amount_total_gt(mops.amount, mops.amount) IS 'Implementation of ~>~ for amount: the total order (currency code, then value) of the btree operator class.';
COMMENT ON FUNCTION mops.amount_total_ge(mops.amount, mops.amount) IS 'Implementation of ~>=~ for amount: the total order (currency code, then value) of the btree operator class.';
COMMENT ON FUNCTION mops.amount_cmp(mops.amount, mops.amount) IS 'Btree comparison support for amount: a total order by currency code, then value.';
COMMENT ON FUNCTION mops.amount_hash(mops.amount) IS 'Hash support for amount (consistent with =).';
COMMENT ON FUNCTION mops.amount_hash_extended(mops.amount, bigint) IS 'Seeded hash support for amount (consistent with =).';
COMMENT ON FUNCTION mops.amount_larger(mops.amount, mops.amount) IS 'The greater of two amounts of one currency (state function of max; 22023 across currencies).';
COMMENT ON FUNCTION mops.amount_smaller(mops.amount, mops.amount) IS 'The lesser of two amounts of one currency (state function of min; 22023 across currencies).';
COMMENT ON FUNCTION mops.amount_ltsel(internal, oid, internal, integer) IS 'Restriction selectivity of < for amount: scalarltsel with the total-order operator ~<~.';
COMMENT ON FUNCTION mops.amount_lesel(internal, oid, internal, integer) IS 'Restriction selectivity of <= for amount: scalarlesel with the total-order operator ~<=~.';
COMMENT ON FUNCTION mops.amount_gtsel(internal, oid, internal, integer) IS 'Restriction selectivity of > for amount: scalargtsel with the total-order operator ~>~.';
COMMENT ON FUNCTION mops.amount_gesel(internal, oid, internal, integer) IS 'Restriction selectivity of >= for amount: scalargesel with the total-order operator ~>=~.';

CREATE OPERATOR mops.= (
    LEFTARG = mops.amount, RIGHTARG = mops.amount, PROCEDURE = mops.amount_eq,
    COMMUTATOR = OPERATOR(mops.=), NEGATOR = OPERATOR(mops.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR mops.<> (
    LEFTARG = mops.amount, RIGHTARG = mops.amount, PROCEDURE = mops.amount_ne,
    COMMUTATOR = OPERATOR(mops.<>), NEGATOR = OPERATOR(mops.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR mops.< (
    LEFTARG = mops.amount, RIGHTARG = mops.amount, PROCEDURE = mops.amount_lt,
    COMMUTATOR = OPERATOR(mops.>), NEGATOR = OPERATOR(mops.>=),
    RESTRICT = mops.amount_ltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR mops.<= (
    LEFTARG = mops.amount, RIGHTARG = mops.amount, PROCEDURE = mops.amount_le,
    COMMUTATOR = OPERATOR(mops.>=), NEGATOR = OPERATOR(mops.>),
    RESTRICT = mops.amount_lesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR mops.> (
    LEFTARG = mops.amount, RIGHTARG = mops.amount, PROCEDURE = mops.amount_gt,
    COMMUTATOR = OPERATOR(mops.<), NEGATOR = OPERATOR(mops.<=),
    RESTRICT = mops.amount_gtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR mops.>= (
    LEFTARG = mops.amount, RIGHTARG = mops.amount, PROCEDURE = mops.amount_ge,
    COMMUTATOR = OPERATOR(mops.<=), NEGATOR = OPERATOR(mops.<),
    RESTRICT = mops.amount_gesel, JOIN = pg_catalog.scalargejoinsel
);
CREATE OPERATOR mops.~<~ (
    LEFTARG = mops.amount, RIGHTARG = mops.amount, PROCEDURE = mops.amount_total_lt,
    COMMUTATOR = OPERATOR(mops.~>~), NEGATOR = OPERATOR(mops.~>=~),
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR mops.~<=~ (
    LEFTARG = mops.amount, RIGHTARG = mops.amount, PROCEDURE = mops.amount_total_le,
    COMMUTATOR = OPERATOR(mops.~>=~), NEGATOR = OPERATOR(mops.~>~),
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR mops.~>~ (
    LEFTARG = mops.amount, RIGHTARG = mops.amount, PROCEDURE = mops.amount_total_gt,
    COMMUTATOR = OPERATOR(mops.~<~), NEGATOR = OPERATOR(mops.~<=~),
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR mops.~>=~ (
    LEFTARG = mops.amount, RIGHTARG = mops.amount, PROCEDURE = mops.amount_total_ge,
    COMMUTATOR = OPERATOR(mops.~<=~), NEGATOR = OPERATOR(mops.~<~),
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

CREATE OPERATOR CLASS mops.amount_ops
DEFAULT FOR TYPE mops.amount USING btree AS
    OPERATOR 1 mops.~<~,
    OPERATOR 2 mops.~<=~,
    OPERATOR 3 mops.=,
    OPERATOR 4 mops.~>=~,
    OPERATOR 5 mops.~>~,
    FUNCTION 1 mops.amount_cmp(mops.amount, mops.amount);

CREATE OPERATOR CLASS mops.amount_hash_ops
DEFAULT FOR TYPE mops.amount USING hash AS
    OPERATOR 1 mops.=,
    FUNCTION 1 mops.amount_hash(mops.amount),
    FUNCTION 2 mops.amount_hash_extended(mops.amount, bigint);

-- Aggregates.  sum's state is an amount (the running total), so it needs
-- no serialisation and Citus can combine partial sums.

CREATE FUNCTION mops.amount_sum_accum(mops.amount, mops.amount) RETURNS mops.amount
AS 'MODULE_PATHNAME', 'amount_sum_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION mops.amount_sum_accum(mops.amount, mops.amount) IS
'Transition and combine function of sum(amount): adds two amounts of one currency (22023 across currencies).';

CREATE AGGREGATE mops.sum(mops.amount) (
    SFUNC = mops.amount_sum_accum,
    STYPE = mops.amount,
    COMBINEFUNC = mops.amount_sum_accum,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mops.sum(mops.amount) IS
'The sum of amounts of one currency; NULLs are skipped, no rows give NULL, mixed currencies are an error (22023).';

CREATE AGGREGATE mops.max(mops.amount) (
    SFUNC = mops.amount_larger,
    STYPE = mops.amount,
    COMBINEFUNC = mops.amount_larger,
    PARALLEL = SAFE
);
CREATE AGGREGATE mops.min(mops.amount) (
    SFUNC = mops.amount_smaller,
    STYPE = mops.amount,
    COMBINEFUNC = mops.amount_smaller,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE mops.max(mops.amount) IS 'The greatest amount of one currency (mixed currencies are an error, 22023).';
COMMENT ON AGGREGATE mops.min(mops.amount) IS 'The least amount of one currency (mixed currencies are an error, 22023).';

-- Exchange rates and conversion

CREATE TABLE mops.fx_rate (
    currency text NOT NULL
        CONSTRAINT fx_rate_currency_check CHECK (mops.is_currency_code(currency)),
    quote_currency text NOT NULL
        CONSTRAINT fx_rate_quote_currency_check CHECK (mops.is_currency_code(quote_currency)),
    valid_from date NOT NULL,
    rate numeric NOT NULL
        CONSTRAINT fx_rate_rate_check CHECK (rate > 0 AND rate < 'Infinity'::numeric),
    PRIMARY KEY (currency, quote_currency, valid_from),
    CONSTRAINT fx_rate_pair_check CHECK (currency <> quote_currency)
);
SELECT pg_catalog.pg_extension_config_dump('mops.fx_rate', '');
GRANT SELECT ON mops.fx_rate TO PUBLIC;
GRANT INSERT, UPDATE, DELETE ON mops.fx_rate TO @extowner@ WITH GRANT OPTION;

COMMENT ON TABLE mops.fx_rate IS
'Exchange rates for convert_amount(): 1 unit of currency = rate units of quote_currency, from valid_from until the next valid_from of the pair. Everyone may read; the extension owner may write and grant writing. Kept by pg_dump.';
COMMENT ON COLUMN mops.fx_rate.currency IS 'The base currency (upper-case ISO 4217 code).';
COMMENT ON COLUMN mops.fx_rate.quote_currency IS 'The quote currency (upper-case ISO 4217 code), different from currency.';
COMMENT ON COLUMN mops.fx_rate.valid_from IS 'First day the rate applies; it applies until the pair''s next valid_from.';
COMMENT ON COLUMN mops.fx_rate.rate IS 'Units of quote_currency per unit of currency; positive and finite.';

CREATE FUNCTION mops.convert_amount(a mops.amount, currency text, "on" date) RETURNS mops.amount
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    source text := mops.amount_currency(a);
    target text := mops.amount_currency(mops.amount(0, currency));
    day constant date := $3;
    day_text constant text := coalesce(to_char($3, 'YYYY-MM-DD'), $3::text);
    r numeric;
BEGIN
    IF target = source THEN
        RETURN a;
    END IF;
    SELECT f.rate INTO r
      FROM mops.fx_rate f
     WHERE f.currency = source AND f.quote_currency = target AND f.valid_from <= day
     ORDER BY f.valid_from DESC
     LIMIT 1;
    IF FOUND THEN
        RETURN mops.amount(mops.amount_value(a) * r, target);
    END IF;
    SELECT f.rate INTO r
      FROM mops.fx_rate f
     WHERE f.currency = target AND f.quote_currency = source AND f.valid_from <= day
     ORDER BY f.valid_from DESC
     LIMIT 1;
    IF FOUND THEN
        RETURN mops.amount(mops.amount_value(a) / r, target);
    END IF;
    RAISE EXCEPTION 'no exchange rate from % to % on %', source, target, day_text
        USING ERRCODE = 'invalid_parameter_value',
              DETAIL = format('mops.fx_rate has no rate for %s to %s, nor for %s to %s, valid on or before %s.',
                              source, target, target, source, day_text),
              HINT = format('Insert one into mops.fx_rate: (currency, quote_currency, valid_from, rate) = (%L, %L, a day on or before %s, the units of %s per %s).',
                            source, target, day_text, target, source);
END
$$;
COMMENT ON FUNCTION mops.convert_amount(mops.amount, text, date) IS
'The amount converted into another currency with the mops.fx_rate rate of the latest valid_from on or before the date: value * rate, or value / rate when only the inverse pair has a rate. Not rounded (use round_minor). No rate is an error (22023).';
