"""Romanised input: Tâi-lô / Pe̍h-ōe-jī words in the text, converted with romanized="convert"."""

from __future__ import annotations

import io
import re
import unicodedata
from contextlib import redirect_stdout

import pytest

from fastpron.options import Options
from fastpron.romanized import (FINALS, Romanized, convert_romanized, convert_with_offsets, convert_word,
                                parse_poj_syllable, parse_tl_syllable)
from fastpron.syllable import SyllableError
from fastpron.systems import TL_INITIALS, System, ToneStyle, capitalize, parse_parts, render
from lexicon_syllables import lexicon_syllables

CONVERT = dict(romanized="convert")

SYLLABLES = lexicon_syllables()


def convert(text: str, **options) -> str:
    return convert_romanized(text, Options.make(**options))


# ---------------------------------------------------------------------------
# The option through romanize / to_html / annotate
# ---------------------------------------------------------------------------

def test_romanize_converts_tailo_to_poj(native):
    # 我 is gua2, which POJ writes góa (mark on the o of a final oa).
    assert native.romanize("我愛 Tâi-uân", romanized="convert", system="poj") == "Góa ài Tâi-oân"
    assert native.romanize("我愛 Tâi-uân", system="poj") == "Góa ài Tâi-uân"   # keep is the default


def test_romanize_converts_poj_to_tailo(native):
    assert native.romanize("Chia̍h-pn̄g", **CONVERT) == "Tsia̍h-pn̄g"
    assert native.romanize("Chiah-pn̄g", **CONVERT) == "Tsiah-pn̄g"        # unmarked checked syllable: tone 4
    assert native.romanize("我 chia̍h-pn̄g 矣", **CONVERT) == "Guá tsia̍h-pn̄g --ah"


def test_numbered_input(native):
    assert native.romanize("tsiah8", **CONVERT) == "tsia̍h"
    assert native.romanize("tsiah8-png7", **CONVERT, system="poj") == "chia̍h-pn̄g"
    assert native.romanize("chiah8-png7", **CONVERT, tones="numbers") == "tsiah8-png7"
    assert native.romanize("Tâi-uân", **CONVERT, tones="numbers") == "Tai5-uan5"
    assert native.romanize("Tâi-uân", **CONVERT, system="tlpa") == "Tai5-uan5"
    assert native.romanize("tai5-uan5", **CONVERT, system="tps") == "ㄉㄞˊ ㄨㄢˊ"   # TPS separates with a space


def test_neutral_tone():
    assert convert("bô--khì", system="poj") == "bô--khì"
    assert convert("bo5--khi3") == "bô--khì"
    assert convert("bô--khì", tones="numbers") == "bo5--khi3"
    assert convert("Bô--khì", system="bp") == "Bbó--kì"
    assert convert("tńg--khì", system="ipa") == "tŋ̍˥˩ kʰi˧˩"      # IPA writes no --; a space separates
    assert convert("--ah", tones="numbers") == "--ah4"
    assert convert("kóng--ê", system="poj") == "kóng--ê"
    assert convert("hó---ah") == "hó---ah"                          # three hyphens: left alone


def test_capitals_are_kept():
    assert convert("Tâi-uân", system="poj") == "Tâi-oân"
    assert convert("TÂI-UÂN", system="poj") == "TÂI-OÂN"
    assert convert("Tâi-Uân", system="poj") == "Tâi-Oân"
    assert convert("CHHÙ", tones="numbers") == "TSHU3"
    assert convert("O͘-bah", system="tl") == "Oo-bah"
    assert convert("Tâi-uân", system="tps") == "ㄉㄞˊ ㄨㄢˊ"        # no case in TPS
    assert convert("tSiah tsIa̍h", system="poj") == "tSiah tsIa̍h"    # any other mix: left alone
    assert convert("I", tones="numbers") == "I1"


def test_poj_spellings():
    assert convert("o͘", tones="numbers") == "oo1"
    assert convert("ó͘", tones="numbers") == "oo2"
    assert convert("Sòaⁿ-téng") == "Suànn-tíng"
    assert convert("hahⁿ", tones="numbers") == "hannh4"
    assert convert("góa koán oa̍h goe̍h hóe", tones="numbers") == "gua2 kuan2 uah8 gueh8 hue2"
    assert convert("chheng-chhó") == "tshing-tshó"
    assert convert("tek-sek") == "tik-sik"
    assert convert("koài") == "kuài"
    assert convert("chhiūⁿ") == "tshiūnn"
    assert convert("ṳ") == "ir"
    assert convert("tsa̍p", system="poj") == "cha̍p"                # TL into POJ
    assert convert("kuánn", system="poj") == "kóaⁿ"


def test_nfc_and_nfd_input_give_the_same_result():
    for word in ("Tâi-uân", "Sòaⁿ-téng", "chia̍h", "O͘-á"):
        nfd = unicodedata.normalize("NFD", word)
        assert convert(nfd, system="poj") == convert(unicodedata.normalize("NFC", word), system="poj")


@pytest.mark.parametrize("text", [
    "Hello, world!", "five", "quick", "river", "very", "wow", "xylophone", "yes", "zoo", "cat", "coca-cola",
    "2024", "A4", "mp3", "abc123", "ts1ah", "tsiah0", "tsiah10", "tsia̍h8", "8tsiah",
    "tsiáh",            # a checked syllable with tone 2: not a citation tone, left alone
    "a4", "tai8",       # an open syllable with tone 4 or 8
    "ten like eat",     # not syllables
    "e.g. i.e. U.S.A.", "don't", "it's", "Tâi-", "-ah", "Tâi--", "a--", "--", "-",
    "http://tsiah.tw/png", "https://example.com/tai5-uan5?a=1&b=ok#tsiah", "www.tsiah.tw",
    "tsiah.png@example.com", "a@b.tw", "#tsiah", "tsiah_png", "path/to/ah", "50%", "x=a",
    "tSiah", "TsiAh", "Tâi-uân2024", "tâi-uân-", "tsia̍h-ng-x",
])
def test_other_latin_text_is_left_exactly_as_it_is(text):
    for system in System:
        for tones in ToneStyle:
            assert convert(text, system=system, tones=tones) == text


def test_english_that_is_also_valid_taiwanese_is_converted():
    # Documented: the option is opt-in and cannot tell these from Taiwanese.
    assert convert("I like to eat ok", tones="numbers") == "I1 like to1 eat ok4"
    assert convert("sing king chin", system="poj") == "seng keng chin"
    assert convert("chin", system="tl") == "tsin"


def test_punctuation_around_words():
    assert convert("(Tâi-uân), “Tâi-uân”. Tâi-uân? 'Tâi-uân'", system="poj") == \
        "(Tâi-oân), “Tâi-oân”. Tâi-oân? 'Tâi-oân'"
    assert convert("Tâi-uân.Tsia̍h") == "Tâi-uân.Tsia̍h"     # glued by a full stop: left alone
    assert convert("台灣Tâi-uân台灣", system="poj") == "台灣Tâi-oân台灣"
    assert convert("") == ""


def test_han_text_is_untouched_by_the_conversion():
    text = "先生講，學生恬恬聽。𠀀\0\ud800"
    assert convert(text, system="ipa") == text


def test_to_html_escapes_converted_text(native):
    html = native.to_html("<b>Tâi-uân</b>", romanized="convert", system="poj")
    assert html == "&lt;b&gt;Tâi-oân&lt;/b&gt;"
    html = native.to_html("<b>tai5</b>台", romanized="convert", system="poj")
    assert html.startswith("&lt;b&gt;tâi&lt;/b&gt;<span class=\"fp-char\" data-start=\"11\">")


def test_to_html_offsets_and_picks_refer_to_the_input(native):
    text = "tai5-uan5 行 tsiah8 行"          # both converted words get shorter
    assert convert(text) == "tâi-uân 行 tsia̍h 行"
    keep = native.to_html(text, picks={10: 1, 19: 2})
    converted = native.to_html(text, picks={10: 1, 19: 2}, **CONVERT)
    starts = re.findall(r'data-start="(\d+)"', converted)
    assert starts == re.findall(r'data-start="(\d+)"', keep) == ["10", "19"]
    assert re.findall(r"<rt>(.*?)</rt>", converted) == re.findall(r"<rt>(.*?)</rt>", keep)
    assert native.romanize(text, picks={10: 1, 19: 2}, **CONVERT) == \
        "tâi-uân " + native.romanize("行", picks={0: 1}) + " tsia̍h " + native.romanize("行", picks={0: 2}).lower()


def test_conversion_offsets():
    conversion = convert_with_offsets("tai5 行 o͘ 行", Options.make(system="ipa"))
    assert conversion.text == "tai˨˦ 行 ɔ˥˥ 行"
    assert conversion.edits == ((0, 4, 0, 5), (7, 9, 8, 11))
    assert [conversion.new_offset(k) for k in (0, 2, 4, 5, 7, 8, 9, 10)] == [0, None, 5, 6, 8, None, 11, 12]
    assert [conversion.old_offset(k) for k in (0, 3, 5, 6, 8, 9, 11, 12)] == [0, None, 4, 5, 7, None, 9, 10]
    assert conversion.map_picks({5: 1, 10: 2, 2: 3}) == {6: 1, 12: 2}
    assert conversion.map_picks(None) is None


def test_annotate_rejects_convert(native, reference):
    for annotator in (native, reference):
        with pytest.raises(ValueError, match=r"romanize\(\) or to_html\(\)"):
            annotator.annotate("我愛 Tâi-uân", romanized="convert")
        assert annotator.annotate("我", romanized="keep")[0].reading == "guá"


def test_annotator_level_option():
    from fastpron import Annotator
    annotator = Annotator(romanized="convert", system="poj")
    assert annotator.romanize("Tâi-uân 台灣") == "Tâi-oân Tâi-oân"
    assert annotator.romanize("Tâi-uân", romanized="keep") == "Tâi-uân"
    with pytest.raises(ValueError, match="romanized='keep'"):
        annotator.annotate("台灣")


def test_bad_option_value_lists_the_choices(native):
    with pytest.raises(ValueError, match="unknown romanized 'yes'; choose one of: keep, convert"):
        native.romanize("x", romanized="yes")
    assert Options.make(romanized="CONVERT").romanized is Romanized.CONVERT
    assert Options.make().romanized is Romanized.KEEP
    assert Options.make().replace(romanized="convert").romanized is Romanized.CONVERT


def test_native_and_reference_agree(native, reference):
    texts = [
        "我愛 Tâi-uân，chia̍h-pn̄g 未？", "Chia̍h-pn̄g bô--khì。TÂI-UÂN!", "tsiah8-png7 先生講 hello world",
        "<b>Tâi-uân</b> & Sòaⁿ-téng 行", "e.g. http://tsiah.tw 台灣 o͘ hahⁿ", "I 愛 a 台灣", "",
    ]
    for text in texts:
        for options in (dict(system="poj"), dict(system="tl", tones="numbers"), dict(system="tps"),
                        dict(system="ipa", sandhi="auto"), dict(system="bp", capitalize=False)):
            for picks in (None, {len(text) - 1: 1}):
                assert native.romanize(text, picks=picks, **options, **CONVERT) == \
                    reference.romanize(text, picks=picks, **options, **CONVERT), (text, options)
                assert native.to_html(text, picks=picks, **options, **CONVERT) == \
                    reference.to_html(text, picks=picks, **options, **CONVERT), (text, options)


def test_cli_flag():
    from fastpron.__main__ import main
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["--convert-romanized", "--system", "poj", "我愛 Tâi-uân"]) == 0
        assert main(["--system", "poj", "我愛 Tâi-uân"]) == 0
        assert main(["--convert-romanized", "--format", "html", "<i>tai5</i>"]) == 0
    assert out.getvalue().splitlines() == ["Góa ài Tâi-oân", "Góa ài Tâi-uân", "&lt;i&gt;tâi&lt;/i&gt;"]
    with pytest.raises(SystemExit) as exit_info:
        main(["--convert-romanized", "--format", "json", "台灣"])
    assert exit_info.value.code == 2


# ---------------------------------------------------------------------------
# The parsers, over every lexicon syllable and every syllable they accept
# ---------------------------------------------------------------------------

def test_lexicon_is_big_enough_to_mean_something():
    assert len(SYLLABLES) > 2000


@pytest.mark.parametrize("system", [System.TL, System.POJ])
@pytest.mark.parametrize("tones", [ToneStyle.MARKS, ToneStyle.NUMBERS])
def test_every_lexicon_syllable_round_trips(system, tones):
    parse = parse_tl_syllable if system is System.TL else parse_poj_syllable
    failures = []
    for syllable in SYLLABLES:
        for side in syllable.split("/"):
            side = side.replace("*", "")
            written = render(side, system, tones)
            try:
                back = parse(written)
            except SyllableError as err:
                back = str(err)
            if back != side:
                failures.append((side, written, back))
            # A whole word converts back, capitalised too.
            word = convert_word(written, System.TL, ToneStyle.NUMBERS)
            if word != side:
                failures.append((side, written, word))
            title = capitalize(written, system)
            if convert_word(title, System.TL, ToneStyle.NUMBERS) != capitalize(side, System.TL):
                failures.append((side, title, "capital"))
    assert not failures, failures[:20]


def test_every_lexicon_final_is_in_the_inventory():
    assert {parse_parts(side.replace("*", "")).final for s in SYLLABLES for side in s.split("/")} <= FINALS


def test_tl_and_poj_never_read_one_spelling_two_ways():
    """Every syllable the inventory allows: TL and POJ spellings read back; neither parser misreads the other."""
    failures = []
    for initial in TL_INITIALS + ("",):
        for final in sorted(FINALS):
            checked = final.endswith(("p", "t", "k", "h"))
            for tone in ((4, 8) if checked else (1, 2, 3, 5, 6, 7, 9)):
                syllable = initial + final + str(tone)
                for system in (System.TL, System.POJ):
                    for tones in (ToneStyle.MARKS, ToneStyle.NUMBERS):
                        written = render(syllable, system, tones)
                        # POJ writes tone 6 with tone 2's mark, so it reads back as 2.
                        expected = syllable[:-1] + "2" if (system, tones, tone) == (System.POJ, ToneStyle.MARKS, 6) \
                            else syllable
                        for parse in (parse_tl_syllable, parse_poj_syllable):
                            try:
                                back = parse(written)
                            except SyllableError:
                                back = None
                            must_read = parse is parse_poj_syllable or system is System.TL
                            if back != expected and (must_read or back is not None):
                                failures.append((syllable, system.value, tones.value, written, parse.__name__, back))
    assert not failures, failures[:20]


def test_parsers_reject():
    for bad in ("", "x", "ts1ah", "tsiah0", "tsia̍h8", "tsiáh", "a4", "tsá́", "oa", "oe", "eng", "ek", "hello", "f",
                "cat", "-a", "o͘", "hahⁿ"):
        with pytest.raises(SyllableError):
            parse_tl_syllable(bad)
    for bad in ("", "x", "chiah0", "chia̍h8", "chiáh", "ek2", "hello", "cat", "qa", "tsá́", "aⁿx"):
        with pytest.raises(SyllableError):
            parse_poj_syllable(bad)
    assert parse_tl_syllable("Tâi") == "tai5"
    assert parse_poj_syllable("Tâi") == "tai5"
    assert parse_poj_syllable("ek") == "ik4"
    assert parse_poj_syllable("ek8") == "ik8"
    assert parse_tl_syllable("ua") == "ua1"
    assert parse_poj_syllable("chhiūⁿ") == "tshiunn7"
    assert parse_poj_syllable("kŏ") == "ko9"


def test_options_behave_as_the_frozen_dataclass_they_were():
    import pickle
    options = Options.make(system="poj")
    assert options == Options.make(system="POJ") and hash(options) == hash(Options.make(system="POJ"))
    assert options != Options.make() and options != "poj"
    assert repr(Options()) == ("Options(system=<System.TL: 'tl'>, tones=<ToneStyle.MARKS: 'marks'>, "
                               "sandhi=<Sandhi.NONE: 'none'>, dialect=None, capitalize=True, "
                               "punctuation=<Punctuation.LATIN: 'latin'>, romanized=<Romanized.KEEP: 'keep'>, "
                               "punctuation_follows_system=True)")
    with pytest.raises(AttributeError, match="cannot assign to field 'system'"):
        options.system = "tl"
    assert pickle.loads(pickle.dumps(options)) == options
    assert Options(*Options.make(tones="numbers")._values()) == Options.make(tones="numbers")
