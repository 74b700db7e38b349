-- normalize_label(text): DESIGN §3.1.  NFKC case folding (ICU), then every run
-- of white space, '-' (any Unicode dash, category Pd) and '_' becomes one '_',
-- and separators at either end are dropped.  Invisible characters are written
-- with U& escapes so that this file stays readable.
SET search_path = mops, public;

-- DESIGN's own examples: trimmed, the double space folded to one '_', and
-- upper case folded (É -> é, not stripped of its accent).
SELECT normalize_label(' Paid  Social ');   -- paid_social
SELECT normalize_label('ÉMAIL');            -- émail

-- The three spellings of DESIGN §2 are one channel.
SELECT normalize_label('Paid Social') AS a, normalize_label('paid_social') AS b,
       normalize_label('PAID-SOCIAL') AS c,
       normalize_label('Paid Social') = normalize_label('paid_social')
   AND normalize_label('paid_social') = normalize_label('PAID-SOCIAL') AS same;  -- all paid_social, true

-- Separators at either end are dropped, whatever they are.
SELECT normalize_label('__paid--social__') AS a,   -- paid_social
       normalize_label('-paid-') AS b,             -- paid
       normalize_label('_ - _x') AS c;             -- x

-- A run of mixed separators becomes a single '_'.
SELECT normalize_label('a -_- b') AS a,            -- a_b
       normalize_label('a_-_b') AS b,              -- a_b
       normalize_label('a - b -- c') AS c;         -- a_b_c

-- Tabs, newlines and carriage returns are white space.
SELECT normalize_label(E'\tPaid\tSocial\n') AS a,  -- paid_social
       normalize_label(E'paid\r\n\r\nsocial') AS b; -- paid_social

-- Unicode white space: no-break space U+00A0, narrow no-break space U+202F
-- (NFKC turns both into a plain space) and em space U+2003 all separate.
SELECT normalize_label(U&'Paid\00A0Social') AS nbsp,        -- paid_social
       normalize_label(U&'Paid\202FSocial') AS narrow_nbsp, -- paid_social
       normalize_label(U&'Paid\2003Social') AS em_space;    -- paid_social

-- Full-width letters and the ideographic space U+3000 fold to ASCII under NFKC.
SELECT normalize_label('Ｐａｉｄ　Ｓｏｃｉａｌ');  -- paid_social

-- The ligature ﬁ (U+FB01) is a compatibility character: NFKC gives "fi".
SELECT normalize_label(U&'\FB01') AS lig, normalize_label(U&'\FB01le Share') AS word;  -- fi, file_share

-- Full case folding: German ß folds to "ss", so Straße and STRASSE are equal.
SELECT normalize_label('Straße') AS a, normalize_label('STRASSE') AS b,
       normalize_label('Straße') = normalize_label('STRASSE') AS same;  -- strasse, strasse, true

-- Greek: case folding maps both capital Σ and final ς to σ (U+03C3), so the
-- capitalised word and the lower-case word with a final sigma agree.
SELECT normalize_label('ΟΔΟΣ') AS upper_word,              -- οδοσ
       normalize_label(U&'\03BF\03B4\03BF\03C2') AS final_sigma,  -- οδοσ (ς -> σ)
       normalize_label('ΟΔΟΣ') = U&'\03BF\03B4\03BF\03C3' AS is_sigma;  -- true

-- A decomposed é (e + combining acute U+0301) composes to the single code
-- point U+00E9 (2 bytes in UTF-8), equal to the precomposed input's result.
SELECT normalize_label(U&'e\0301') AS composed,                         -- é
       normalize_label(U&'e\0301') = U&'\00E9' AS is_u00e9,            -- true
       octet_length(normalize_label(U&'e\0301')) AS bytes,              -- 2
       normalize_label(U&'E\0301mail') = normalize_label('ÉMAIL') AS same_as_precomposed;  -- true

-- Dashes other than '-': en dash U+2013, em dash U+2014 and hyphen U+2010 are
-- general category Pd, so they separate like '-'.
SELECT normalize_label(U&'Paid\2014Social') AS em_dash,         -- paid_social
       normalize_label(U&'Paid \2013 Social') AS en_dash,       -- paid_social
       normalize_label(U&'e\2010mail') AS hyphen;               -- e_mail

-- Other punctuation is kept (only the separators above fold).
SELECT normalize_label('Google/CPC') AS slash,   -- google/cpc
       normalize_label('a.b&c+d') AS punct;      -- a.b&c+d

-- Japanese has no case: kanji and katakana pass through unchanged; the
-- ideographic space separates; half-width katakana (ﾏｰｹﾃｨﾝｸﾞ, with the
-- half-width voiced mark) becomes full-width マーケティング under NFKC.
SELECT normalize_label('日本語') AS kanji,                          -- 日本語
       normalize_label('マーケティング') AS katakana,               -- マーケティング
       normalize_label('日本語　マーケティング') AS spaced,         -- 日本語_マーケティング
       normalize_label('ﾏｰｹﾃｨﾝｸﾞ') = 'マーケティング' AS halfwidth;  -- true

-- Other compatibility characters: circled digit ① -> 1, Roman numeral Ⅻ
-- (U+216B) -> xii, Kelvin sign K (U+212A) -> k.
SELECT normalize_label('①') AS circled, normalize_label(U&'\216B') AS roman,
       normalize_label(U&'\212A') AS kelvin;   -- 1, xii, k

-- Default-ignorable characters are removed by NFKC_Casefold (they are not
-- separators): soft hyphen U+00AD, zero-width space U+200B, zero-width
-- joiner U+200D.
SELECT normalize_label(U&'Pa\00ADid') AS soft_hyphen,       -- paid
       normalize_label(U&'paid\200Bsocial') AS zwsp,        -- paidsocial
       normalize_label(U&'paid\200Dsocial') AS zwj;         -- paidsocial

-- Folding is Unicode's default, not Turkish: İ (U+0130) becomes i + U+0307.
SELECT normalize_label(U&'\0130') = U&'i\0307' AS dotted_i;  -- true

-- Empty input and input made only of separators give the empty string (not NULL).
SELECT normalize_label('') = '' AS empty,                          -- true
       normalize_label(' -_- ') = '' AS separators_only,           -- true
       normalize_label(U&'\00A0\2014\3000\0009') = '' AS unicode_separators_only;  -- true

-- STRICT: NULL in, NULL out.
SELECT normalize_label(NULL) IS NULL AS null_in_null_out;  -- true

-- Idempotence: normalising a normalised label changes nothing.  Every row
-- must say true.
SELECT n, normalize_label(normalize_label(x)) = normalize_label(x) AS idempotent
FROM (VALUES (1, ' Paid  Social '), (2, 'ÉMAIL'), (3, 'PAID-SOCIAL'), (4, 'a -_- b'),
             (5, E'\tx\ny'), (6, U&'a\00A0b'), (7, 'Ｐａｉｄ　Ｓｏｃｉａｌ'),
             (8, U&'\FB01'), (9, 'Straße'), (10, 'ΟΔΟΣ'), (11, U&'e\0301'),
             (12, U&'a\2014b\2013c'), (13, '日本語　マーケティング'), (14, 'ﾏｰｹﾃｨﾝｸﾞ'),
             (15, ''), (16, ' -_- '), (17, U&'\0130stanbul'), (18, U&'\216B'),
             (19, U&'pa\00ADid'), (20, 'google/cpc')) AS t(n, x)
ORDER BY n;

-- The function is immutable, strict and parallel safe (so it may be used in
-- indexes and in parallel plans).
SELECT provolatile, proisstrict, proparallel
FROM pg_proc WHERE oid = 'mops.normalize_label(text)'::regprocedure;  -- i, t, s

-- Input over 16 MiB is refused with 54000 (program limit exceeded).
SELECT normalize_label(repeat('a', 16 * 1024 * 1024 + 1));
\echo :LAST_ERROR_SQLSTATE
