"""The public API on the native core: exact outputs."""

import threading

import pytest

import fastpron
from fastpron import Annotator, Dialect, Sandhi, System, ToneStyle


@pytest.fixture(scope="module")
def annotator():
    return Annotator()


@pytest.mark.parametrize("text, expected", [
    ("台灣", "Tâi-uân"),
    ("先生講，學生恬恬聽。", "Sian-sinn kóng, ha̍k-sing tiām-tiām thiann."),
    ("銀行", "Gîn-hâng"),
    ("行路", "Kiânn-lōo"),
    ("行", "Kiânn"),
    ("銀行行路", "Gîn-hâng kiânn-lōo"),
    ("我愛食飯", "Guá ài tsia̍h-pn̄g"),
    ("", ""),
    ("abc台灣123", "abc Tâi-uân tsi̍t-pah-jī-tsa̍p-sann"),   # a number is read (fastpron/numbers.py)
    ("伊講：「好。」", "I kóng: “Hó.”"),
    ("台灣。台灣！台灣？", "Tâi-uân. Tâi-uân! Tâi-uân?"),
    ("𠔜台灣", "𠔜 Tâi-uân"),
    ("無去", "Bô--khì"),
    ("我ḿ知", "Guá ḿ tsai"),            # an accented Latin letter outside Latin-1 is a word too
])
def test_romanize_exact(annotator, text, expected):
    assert annotator.romanize(text) == expected


def test_module_functions_use_the_default_annotator():
    assert fastpron.romanize("台灣") == "Tâi-uân"
    assert fastpron.lookup("台灣") == ["Tai5-uan5"]
    assert fastpron.default_annotator() is fastpron.default_annotator()


def test_romanize_options(annotator):
    assert annotator.romanize("台灣", tones="numbers") == "Tai5-uan5"
    assert annotator.romanize("台灣", tones=ToneStyle.NONE) == "Tai-uan"
    assert annotator.romanize("台灣", system=System.POJ) == "Tâi-oân"
    assert annotator.romanize("先生講，學生。", punctuation="keep", capitalize=False) == "sian-sinn kóng，ha̍k-sing。"


def test_dialect_picks_alternants(annotator):
    # 人 is jîn (south) / lîn (north); as a one-character word it is lâng.
    assert annotator.lookup("人") == ["lang5", "jin5/lin5"]
    assert annotator.annotate("人")[0].alternatives == ("jîn",)
    assert annotator.annotate("人", dialect="north")[0].alternatives == ("lîn",)
    # 先生: the lexicon writes sinn, the north form; south gives senn.
    assert annotator.romanize("先生") == "Sian-sinn"
    assert annotator.romanize("先生", dialect=Dialect.SOUTH) == "Sian-senn"
    assert annotator.romanize("先生", dialect="north") == "Sian-sinn"


def test_sandhi_auto_changes_all_but_the_last_syllable(annotator):
    assert annotator.romanize("台灣", sandhi="auto") == "Tāi-uân"
    assert annotator.romanize("台灣，台灣", sandhi=Sandhi.AUTO) == "Tāi-uân, Tāi-uân"  # a proper noun
    assert annotator.romanize("無去", sandhi="auto") == "Bô--khì"  # before a neutral tone: citation


def test_annotate_tokens(annotator):
    tokens = annotator.annotate("我行路去銀行。")
    assert [(t.text, t.reading, t.kind) for t in tokens] == [
        ("我", "guá", "char"), ("行路", "kiânn-lōo", "word"), ("去", "khì", "char"),
        ("銀行", "gîn-hâng", "word"), ("。", None, "other")]
    assert tokens[1].syllables == ("kiânn", "lōo")
    assert (tokens[1].start, tokens[1].end) == (1, 3)
    assert tokens[0].alternatives == ("ngóo",)


def test_unknown_and_other_tokens(annotator):
    tokens = annotator.annotate("𠔜 abc，台灣")
    assert [(t.text, t.kind) for t in tokens] == [("𠔜", "unknown"), (" abc，", "other"), ("台灣", "word")]
    assert tokens[0].reading is None and tokens[0].syllables == ()


def test_token_api(annotator):
    token = annotator.annotate("台灣")[0]
    assert token.asdict() == {"text": "台灣", "reading": "Tâi-uân", "syllables": ["Tâi", "uân"],
                              "alternatives": [], "kind": "word", "start": 0, "end": 2, "choice": 0}
    assert repr(token) == "Token('台灣', 'Tâi-uân', kind='word')"
    assert token == annotator.annotate("台灣")[0]
    assert isinstance(token, fastpron.Token)


def test_to_html_exact(annotator):
    assert annotator.to_html("台灣") == (
        '<span class="fp-word" data-start="0"><ruby>台<rp>(</rp><rt>Tâi</rt><rp>)</rp></ruby>'
        '<ruby>灣<rp>(</rp><rt>uân</rt><rp>)</rp></ruby></span>')
    assert annotator.to_html("\n我") == \
        '\n<span class="fp-char" data-start="1"><ruby>我<rp>(</rp><rt>guá</rt><rp>)</rp></ruby></span>'
    assert annotator.to_html("𠔜") == '<span class="fp-unknown">𠔜</span>'


def test_to_html_escapes_everything(annotator):
    html = annotator.to_html("<script>alert('x')</script>&\"台\"")
    assert html.startswith("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;&quot;")
    assert "<script" not in html
    assert annotator.to_html("\0\ud800") == "\ufffd\ufffd"


def test_picks_choose_a_reading_per_token(annotator):
    assert annotator.lookup("行")[:3] == ["kiann5", "hing5", "hang5"]
    tokens = annotator.annotate("行。行", picks={2: 2})
    assert [(t.reading, t.choice) for t in tokens if t.kind == "char"] == [("kiânn", 0), ("hâng", 2)]
    assert tokens[2].alternatives == ("kiânn", "hîng", "hīng", "lîng")
    assert annotator.romanize("行。行", picks={2: 2}) == "Kiânn. Hâng"
    assert '<rt>hâng</rt>' in annotator.to_html("行", picks={0: 2})
    # Picks that match no token, or no reading, are ignored.
    assert annotator.romanize("行行", picks={1: 99, 7: 1, 0: -1}) == annotator.romanize("行行")
    with pytest.raises(TypeError, match="picks must map int offsets"):
        annotator.romanize("行", picks={"0": 1})
    with pytest.raises(TypeError, match="picks must be a mapping"):
        annotator.romanize("行", picks=[1])


def test_lookup(annotator):
    assert annotator.lookup("行")[:3] == ["kiann5", "hing5", "hang5"]
    assert annotator.lookup("𠔜") == []
    assert annotator.lookup("") == []
    assert annotator.render_reading("gin5/gun5-hang5") == "gîn-hâng"
    assert annotator.render_reading("gin5/gun5-hang5", dialect="north", system="poj") == "gûn-hâng"


def test_user_dictionary_add_override_remove():
    annotator = Annotator()
    annotator.add_word("𠔜𠔜", "tâ-tâ")
    assert annotator.romanize("𠔜𠔜叫") == "Tâ-tâ kiò"
    annotator.add_word("台灣", "tai5-uan5", "Tâi-uân")          # override, with an alternative
    token = annotator.annotate("台灣")[0]
    assert (token.reading, token.alternatives) == ("tâi-uân", ("Tâi-uân",))
    assert annotator.lookup("台灣") == ["tai5-uan5", "Tai5-uan5"]
    annotator.remove_word("台灣")
    assert [t.text for t in annotator.annotate("台灣")] == ["台", "灣"]
    assert annotator.user_dictionary == {"𠔜𠔜": ["ta5-ta5"], "台灣": []}
    annotator.clear_user_dictionary()
    assert annotator.romanize("台灣") == "Tâi-uân"
    # Other annotators are untouched.
    assert fastpron.romanize("𠔜𠔜") == "𠔜𠔜"


def test_user_dictionary_odd_keys_and_new_syllables():
    annotator = Annotator()
    annotator.add_word("卡拉OK", "khah4-lah4-ooh4-kheh4")  # non-Han characters in a key
    annotator.add_word("𠀀", "ngiau1")                      # astral plane
    assert annotator.romanize("唱卡拉OK") == "Tshiùnn khah-lah-ooh-kheh"
    assert annotator.romanize("𠀀", tones="numbers") == "Ngiau1"


@pytest.mark.parametrize("key, readings, message", [
    ("台灣", ("tai5",), "1 syllables but '台灣' has 2 characters"),
    ("台", ("xyz9q",), "bad reading"),
    ("", ("a1",), "1 to 64 characters"),
    ("台 灣", ("a1-b1-c1",), "white space"),
    ("台", (), "at least one reading"),
])
def test_user_dictionary_rejects_bad_entries(key, readings, message):
    with pytest.raises(ValueError, match=message):
        Annotator().add_word(key, *readings)


@pytest.mark.parametrize("options, message", [
    ({"system": "klingon"}, "unknown romanization system .klingon.; valid choices: tl, poj"),
    ({"tones": "loud"}, "tone"),
    ({"sandhi": "maybe"}, "unknown sandhi 'maybe'; choose one of: none, auto"),
    ({"dialect": "east"}, "dialect"),
    ({"capitalize": "yes"}, "capitalize must be True or False"),
])
def test_bad_options_are_clear_errors(annotator, options, message):
    with pytest.raises(ValueError, match=message):
        annotator.romanize("台灣", **options)


def test_unknown_keyword_is_a_type_error(annotator):
    with pytest.raises(TypeError, match="colour"):
        annotator.romanize("台灣", colour="red")


def test_non_str_input_is_a_type_error(annotator):
    with pytest.raises(TypeError, match="decode bytes first"):
        annotator.romanize("台灣".encode())
    with pytest.raises(TypeError, match="str, not NoneType"):
        annotator.annotate(None)


@pytest.mark.parametrize("text", [
    "\ud800台\udfff灣",                 # lone surrogates
    "台\0灣\x01\x7f",                   # control characters
    "a\u0301\u0302台",                  # combining marks
    "שלום台灣مرحبا",                    # right-to-left scripts
    "\U0010ffff\U00020000台",           # astral planes
])
def test_odd_text_passes_through_unchanged(annotator, text):
    tokens = annotator.annotate(text)
    assert "".join(t.text for t in tokens) == text
    assert "Tâi" in annotator.romanize(text) or "tâi" in annotator.romanize(text)


def test_large_input(annotator):
    text = "台灣是一个美麗的島嶼。\n" * 200_000      # 2.4 million characters
    out = annotator.romanize(text)
    assert out.count("Tâi-uân sī tsi̍t-ê bí-lē ê tó-sū.") == 200_000
    assert len(annotator.annotate(text)) == 200_000 * 7     # 6 words and "。\n"


def test_threads_share_an_annotator(annotator):
    text = "先生講，學生恬恬聽。" * 2000
    expected = annotator.romanize(text)
    results = []

    def work():
        results.append(annotator.romanize(text))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 4


@pytest.mark.parametrize("text, options", [
    ("台灣", {"tones": "numbers"}),             # all ASCII
    ("台灣", {}),                               # Latin-1 and combining marks
    ("台灣", {"system": "tps"}),                # Bopomofo
    ("𠀀台灣", {"tones": "numbers"}),            # astral input
    ("é台", {"tones": "numbers"}),              # Latin-1 input
])
def test_outputs_are_canonical_strings(annotator, text, options):
    """The core writes into a str it allocates itself: it must use the narrowest
    representation, as any other str would (else equality and hashing break)."""
    import sys
    for out in (annotator.romanize(text, **options), annotator.to_html(text, **options)):
        rebuilt = "".join(list(out))
        assert out == rebuilt and hash(out) == hash(rebuilt)
        assert sys.getsizeof(out) == sys.getsizeof(rebuilt)


@pytest.mark.parametrize("text, expected", [
    ("臺灣", "Tâi-uân"),          # Taiwanese variant: 臺 is looked up as 台
    ("台湾", "Tâi-uân"),          # simplified input
    ("着", "Tio̍h"),
    ("爲伊", "Uī i"),
])
def test_variant_characters_are_looked_up_in_standard_form(annotator, text, expected):
    assert annotator.romanize(text) == expected
    tokens = annotator.annotate(text)
    assert "".join(t.text for t in tokens) == text           # the user's characters are kept
    assert text[0] in annotator.to_html(text)


def test_variants_in_lookup_and_user_dictionary():
    annotator = Annotator()
    assert annotator.lookup("臺灣") == annotator.lookup("台灣") == ["Tai5-uan5"]
    annotator.add_word("臺臺", "tai5-tai5")
    assert annotator.romanize("台臺") == "Tâi-tâi"
    assert annotator.lookup("台台") == ["tai5-tai5"]


@pytest.mark.parametrize("text", [
    "先生講，學生恬恬聽。", "", "𠔜𠔜 abc\n", '引號"與\\反斜線', "\0\x01\x1f\ud800\U00020000", "無去這是",
])
@pytest.mark.parametrize("options", [{}, {"sandhi": "auto"}, {"system": "tps", "tones": "numbers"},
                                     {"picks": {0: 1}}])
def test_to_json_is_annotate_as_json(annotator, text, options):
    import json
    assert json.loads(annotator.to_json(text, **options)) == [t.asdict() for t in annotator.annotate(text, **options)]


def test_to_json_escapes_and_keys(annotator):
    assert annotator.to_json("台灣") == ('[{"text":"台灣","reading":"Tâi-uân","syllables":["Tâi","uân"],'
                                       '"alternatives":[],"kind":"word","start":0,"end":2,"choice":0}]')
    out = annotator.to_json('"\\\n\0\ud800')
    assert out.startswith('[{"text":"\\"\\\\\\n\\u0000\\ud800"')
    out.encode("utf-8")                                   # lone surrogates are escaped, so this works
    assert annotator.to_json("台", text_key="surface").startswith('[{"surface":"台"')
    with pytest.raises(ValueError, match="text_key must be a plain ASCII name"):
        annotator.to_json("台", text_key='a"b')
    with pytest.raises(ValueError, match="to_json"):
        annotator.to_json("台", romanized="convert")
    assert fastpron.to_json("台灣") == annotator.to_json("台灣")


@pytest.mark.parametrize("text", ["先生講，學生恬恬聽。", "", '引號"與\\反斜線', "\0\x01\x1f\x7f\ud800\U00020000𠔜"])
def test_to_json_as_bytes_is_the_utf8_of_the_str(annotator, text):
    for key in ("text", "surface"):
        for options in ({}, {"sandhi": "auto", "system": "poj"}, {"picks": {0: 1}}):
            assert annotator.to_json(text, text_key=key, as_bytes=True, **options) == \
                annotator.to_json(text, text_key=key, **options).encode("utf-8")


def test_to_json_writes_prefix_and_suffix_around_the_array_in_bytes(annotator):
    array = annotator.to_json("台灣", text_key="surface", as_bytes=True)
    assert annotator.to_json("台灣", text_key="surface", as_bytes=True, prefix=b'{"tokens":', suffix=b"}") == \
        b'{"tokens":' + array + b"}"
    assert annotator.to_json("", as_bytes=True, prefix=b"<", suffix=b">") == b"<[]>"
    big = b"x" * 100_000                # more than the scratch holds at first
    assert annotator.to_json("台", as_bytes=True, prefix=big, suffix=big) == \
        big + annotator.to_json("台", as_bytes=True) + big
    with pytest.raises(ValueError, match="prefix and suffix are bytes: use them with as_bytes=True"):
        annotator.to_json("台", prefix=b"{")
    with pytest.raises(TypeError, match="prefix and suffix must be bytes, not str and bytes"):
        annotator.to_json("台", as_bytes=True, prefix="{")


def test_a_reading_no_system_can_write_is_refused_and_harms_nothing():
    annotator = Annotator()
    with pytest.raises(ValueError, match="bad reading for '𠔜': .*xyz"):
        annotator.add_word("𠔜", "xyz")
    with pytest.raises(ValueError, match="bad reading"):
        annotator.update_user_dictionary({"𠔜": ["xyz1"]})
    assert annotator.romanize("台灣", system="sni") == "皆五地 觀五英"
