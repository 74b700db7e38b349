#!/usr/bin/env python3
"""test/fuzz/make_seeds.py - (re)write the seed corpora under test/fuzz/corpus/

The seeds are committed; this script only documents what each one is and
makes adding more easy.  Run it from anywhere:  python3 test/fuzz/make_seeds.py
It rewrites corpus/<harness>/<name> for the seeds below and leaves other files
alone.  File names say what a seed exercises.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

LONG63 = "abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz_012345678"

# Seeds that are label texts, shared by every harness that normalises one
# side: (file name, bytes).
LABEL_SEEDS = [
    ("empty", b""),
    ("ascii_simple", b"email"),
    ("separators_only", b" _-\t\r\n _"),
    ("separators_unicode_only", "\u00a0\u3000\u2014\u2013\u2010 ".encode()),
    ("mixed_case_space", b"  Paid Social  "),
    ("mixed_separators", b"paid - _ social\tads"),
    ("upper_e_acute", "ÉMAIL".encode()),
    ("e_plus_combining_acute", "E\u0301MAIL".encode()),
    ("fullwidth_paid_social", "Ｐａｉｄ　Ｓｏｃｉａｌ".encode()),
    ("turkish_dotted_capital_i", "İstanbul".encode()),
    ("turkish_dotless_i", "ırmak IRMAK".encode()),
    ("german_sharp_s", "Straße".encode()),
    ("german_capital_sharp_s", "STRAẞE".encode()),
    ("combining_marks_reorder", "a\u0301\u0316 q\u0307\u0323".encode()),
    ("combining_mark_leading", "\u0301leading".encode()),
    ("combining_after_separator", "a \u0301b-\u0308c".encode()),
    ("spacing_diaeresis", "\u00a8a\u00a8 \u00b4".encode()),
    ("ligature_fi_roman_circled", "ﬁnance Ⅻ ① ㎏".encode()),
    ("kelvin_angstrom", "\u212a \u212b Ω".encode()),
    ("dashes", "paid\u2014social\u2013ads\u2010x\u2212y\u301cz".encode()),
    ("nbsp_ideographic_space", "paid\u00a0social\u3000ads\u2028x\u0085y".encode()),
    ("default_ignorables", "pa\u00adid\u200bso\u200dcial\ufeff".encode()),
    ("greek_final_sigma", "ΟΔΟΣ Σίσυφος".encode()),
    ("arabic_ligature_fdfa", "\ufdfa".encode()),
    ("arabic", "التسويق الرقمي".encode()),
    ("cjk", "市场营销 ﾏｰｹﾃｨﾝｸﾞ".encode()),
    ("hangul_jamo", "\u1100 \u1161\u1100\u1161 가".encode()),
    ("emoji", "🚀 Launch 👩‍💻".encode()),
    ("noncharacters", "\ufffe\uffff\U0010ffff\U0001fffe".encode()),
    ("fullwidth_colon", "lifecycle：mql".encode()),
    ("long_63", LONG63.encode()),
    ("long_64", (LONG63 + "9").encode()),
    ("long_repeat", b"Ab-" * 100),
    ("invalid_ff", b"\xff"),
    ("invalid_continuation", b"abc\x80def"),
    ("invalid_truncated_2byte", b"caf\xc3"),
    ("invalid_truncated_4byte", b"x\xf0\x9f\x9a"),
    ("overlong_slash_2byte", b"\xc0\xaf"),
    ("overlong_3byte", b"\xe0\x80\xaf"),
    ("overlong_4byte", b"\xf0\x80\x80\xaf"),
    ("overlong_nul", b"a\xc0\x80b"),
    ("surrogate_high_lone", b"a\xed\xa0\x80b"),
    ("surrogate_low_lone", b"\xed\xbf\xbf"),
    ("surrogate_pair_cesu8", b"\xed\xa0\xbd\xed\xb8\x80"),
    ("above_10ffff", b"\xf4\x90\x80\x80"),
    ("five_byte", b"\xf8\x88\x80\x80\x80"),
    ("nul_middle", b"a\x00b"),
    ("nul_only", b"\x00"),
    ("nul_trailing", b"email\x00"),
]

FUNNEL_SEEDS = [
    ("lifecycle_mql", b"lifecycle:mql"),
    ("lifecycle_mql_spaced_mixed_case", b" Lifecycle : MQL "),
    ("double_colon", b"lifecycle::mql"),
    ("two_colons", b"lifecycle:mql:sql"),
    ("no_colon", b"lifecycle"),
    ("colon_only", b":"),
    ("empty", b""),
    ("empty_model", b":mql"),
    ("empty_stage", b"lifecycle:"),
    ("separator_model", b" - :mql"),
    ("separator_stage", b"lifecycle:\t_"),
    ("aida_awareness", b"aida:awareness"),
    ("aida_loyalty_upper", b"AIDA:LOYALTY"),
    ("lifecycle_evangelist", b"lifecycle:evangelist"),
    ("journey_advocacy", b"Journey:Advocacy"),
    ("tofu_bofu", b"tofu:bofu"),
    ("aarrr_revenue", b"aarrr : Revenue"),
    ("unknown_model", b"sales:lead"),
    ("unknown_stage", b"lifecycle:prospect"),
    ("stage_of_other_model", b"aida:mql"),
    ("fullwidth_colon_only", "lifecycle：mql".encode()),
    ("fullwidth_colon_in_model", "a：b:mql".encode()),
    ("small_colon_in_stage", "lifecycle:m\ufe55ql".encode()),
    ("vertical_colon_only", "lifecycle\ufe13mql".encode()),
    ("colon_colon_equals_ligature", "lifecycle\u2a74mql".encode()),
    ("separators_around_colon", "lifecycle\u3000\u2014:\t_mql".encode()),
    ("fullwidth_everything", "ＬＩＦＥＣＹＣＬＥ：ＭＱＬ".encode()),
    ("fullwidth_stage", "lifecycle:ＭＱＬ".encode()),
    ("custom_cafe_email", "CAFÉ:ÉMAIL".encode()),
    ("custom_cafe_email_decomposed", "Cafe\u0301:E\u0301mail".encode()),
    ("custom_cafe_paid_social", "café:Ｐａｉｄ　Ｓｏｃｉａｌ".encode()),
    ("custom_cafe_strasse", "café:Straße".encode()),
    ("custom_cafe_dotted_i", "café:İlgi".encode()),
    ("custom_cafe_dotless_i", "café:ırmak".encode()),
    ("custom_cafe_circled_one", "café:①".encode()),
    ("custom_cafe_cyrillic", "café:ЗАЯВКА".encode()),
    ("custom_cafe_cjk", "café:成交".encode()),
    ("custom_voyage", "Voyage Client:Découverte".encode()),
    ("custom_voyage_dashed", "voyage—client:FIDÉLITÉ".encode()),
    ("custom_long_model_last_stage", (LONG63 + ":" + LONG63).encode()),
    ("custom_long_model_s999", (LONG63.upper() + ": s999").encode()),
    ("model_too_long", (LONG63 + "9:s1").encode()),
    ("stage_too_long", ("lifecycle:" + "m" * 64).encode()),
    ("invalid_utf8_model", b"life\xffcycle:mql"),
    ("invalid_utf8_stage", b"lifecycle:mq\xc3"),
    ("surrogate_stage", b"lifecycle:\xed\xa0\x80"),
    ("overlong_colon", b"lifecycle\xc0\xbamql"),
    ("nul_in_model", b"life\x00cycle:mql"),
    ("nul_after_stage", b"lifecycle:mql\x00"),
    ("empty_model_bad_stage", b":\xff"),
]

MATURITY_SEEDS = [
    ("foundations", b"foundations"),
    ("alignment_capitalised", b"Alignment"),
    ("optimisation_upper", b"OPTIMISATION"),
    ("optimization_american", b"Optimization"),
    ("integration_spaced", b"  integration\t"),
    ("transformation", b"Transformation"),
    ("digit_1", b"1"),
    ("digit_3", b"3"),
    ("digit_5_spaced", b" 5 "),
    ("digit_0", b"0"),
    ("digit_6", b"6"),
    ("two_digits", b"12"),
    ("digit_sign", b"-3"),
    ("digit_underscore", b"_3"),
    ("digit_nbsp_ideographic_space", "\u00a03\u3000".encode()),
    ("digit_soft_hyphen", "3\u00ad".encode()),
    ("digit_decimal", b"3.0"),
    ("fullwidth_3", "３".encode()),
    ("circled_1", "①".encode()),
    ("circled_5", "⑤".encode()),
    ("superscript_2", "²".encode()),
    ("arabic_indic_3", "٣".encode()),
    ("roman_numeral_iii", "Ⅲ".encode()),
    ("fullwidth_optimisation", "ＯＰＴＩＭＩＳＡＴＩＯＮ".encode()),
    ("soft_hyphen_inside", "optimi\u00adsation".encode()),
    ("hyphen_inside", b"optimi-sation"),
    ("singular", b"foundation"),
    ("trailing_letter", b"alignmentt"),
    ("accented", "Intégration".encode()),
    ("empty", b""),
    ("separators_only", b" - _ "),
    ("invalid_ff", b"\xff"),
    ("nul", b"3\x00"),
    ("overlong_3", b"\xc0\xb3"),
    ("surrogate", b"\xed\xb0\x80"),
]


def write(harness, seeds):
    d = os.path.join(HERE, "corpus", harness)
    os.makedirs(d, exist_ok=True)
    names = set()
    for name, data in seeds:
        assert name not in names, name
        names.add(name)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    print(f"{harness}: {len(seeds)} seeds in {os.path.relpath(d)}")


write("fuzz_label", LABEL_SEEDS)
write("fuzz_funnel_stage", FUNNEL_SEEDS)
write("fuzz_maturity_stage", MATURITY_SEEDS)
