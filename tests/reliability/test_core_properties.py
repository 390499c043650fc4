"""Property tests of the Cython core against the pure-Python reference, on any `str`.

Text comes from every Unicode plane: lone surrogates, NUL and other
controls, combining marks, right-to-left text and bidi controls,
non-characters, astral Han, and the lexicon's own characters (so that words
are found and readings rendered).  Options, picks and user-dictionary entries
with odd keys are drawn too.  For every example the core must give exactly
what `fastpron.reference.ReferenceAnnotator` gives, tokens must cover the
text, and the HTML must give the text back once its markup is removed.

CI runs a few hundred examples of each property; `make soak` runs the
`soak` versions with many thousands.
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fastpron
from fastpron.lexicon import DEFAULT_TSV
from fuzzlib import ODD_STRINGS, PLANE_SAMPLES


def _lexicon_keys() -> tuple[list[str], list[str]]:
    chars, words = set(), []
    with open(DEFAULT_TSV, encoding="utf-8") as f:
        next(f)
        for line in f:
            key = line.split("\t", 1)[0]
            if len(key) == 1:
                chars.add(key)
            elif len(words) < 4000 and len(key) <= 4:
                words.append(key)
    return sorted(chars), sorted(set(words))


LEXICON_CHARS, LEXICON_WORDS = _lexicon_keys()
SYLLABLES = ["tai5", "uan5", "lang5", "a2", "--ah4", "jin5/lin5", "senn1/*sinn1", "khi3", "tsiah8", "ngiau1",
             "hm7", "nng7", "o9", "a6", "Tai5"]

ANY_CHAR = st.characters(codec=None, exclude_categories=())        # surrogates included
ODD_CHAR = st.one_of(
    ANY_CHAR,
    st.sampled_from(PLANE_SAMPLES),
    st.characters(min_codepoint=0x300, max_codepoint=0x36F),        # combining marks
    st.characters(min_codepoint=0x590, max_codepoint=0x6FF),        # Hebrew, Arabic
    st.sampled_from("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"),  # bidi
    st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),      # lone surrogates
    st.characters(min_codepoint=0x20000, max_codepoint=0x3FFFF),    # astral Han planes
    st.sampled_from("，。！？「」『』《》：；、（）\n \u3000\t\r"),
)
PIECE = st.one_of(
    st.text(ODD_CHAR, max_size=6),
    st.sampled_from(LEXICON_CHARS),
    st.sampled_from(LEXICON_WORDS),
    st.sampled_from(["臺灣", "台湾", "着", "爲", "仔", "咧", "銀行", "行路", "無去"]),
    st.sampled_from(ODD_STRINGS),
)
TEXT = st.lists(PIECE, max_size=24).map("".join)

OPTIONS = st.fixed_dictionaries({}, optional={
    "system": st.sampled_from([s.value for s in fastpron.System]),
    "tones": st.sampled_from([t.value for t in fastpron.ToneStyle]),
    "sandhi": st.sampled_from(["none", "auto"]),
    "dialect": st.sampled_from([None, "south", "north"]),
    "capitalize": st.booleans(),
    "punctuation": st.sampled_from(["latin", "keep"]),
})
PICKS = st.one_of(st.none(), st.dictionaries(st.integers(-2, 200), st.integers(-2, 6), max_size=8))

KEY_CHAR = ODD_CHAR.filter(lambda ch: not ch.isspace())
USER_ENTRIES = st.dictionaries(
    st.one_of(st.text(KEY_CHAR, min_size=1, max_size=8), st.sampled_from(LEXICON_WORDS[:200]),
              st.sampled_from(["臺灣", "台", "\0", "\ud800", "a\u0301", "𠀀", "x" * 64])),
    st.one_of(st.none(), st.just(())),              # None: remove; (): give readings (drawn below)
    max_size=5,
)


def join_syllables(syllables: list[str]) -> str:
    """tai5, --ah4 -> 'tai5--ah4': a reading as a user writes it."""
    return "".join(s if k == 0 or s.startswith("--") else "-" + s for k, s in enumerate(syllables))


def check_same(native, reference, text, options, picks):
    """The core and the reference agree on every output; tokens cover the text; HTML gives it back."""
    tokens = native.annotate(text, picks=picks, **options)
    assert [t.astuple() for t in tokens] == [t.astuple() for t in reference.annotate(text, picks=picks, **options)]
    assert "".join(t.text for t in tokens) == text
    position = 0
    for token in tokens:
        assert (token.start, token.end) == (position, position + len(token.text))
        position = token.end
    for romanized in ("keep", "convert"):
        out = native.romanize(text, picks=picks, romanized=romanized, **options)
        assert out == reference.romanize(text, picks=picks, romanized=romanized, **options)
        page = native.to_html(text, picks=picks, romanized=romanized, **options)
        assert page == reference.to_html(text, picks=picks, romanized=romanized, **options)
        for made in (out, page):                    # a str as any other: narrowest representation
            assert made == "".join(list(made)) and hash(made) == hash("".join(list(made)))
    page = native.to_html(text, picks=picks, **options)
    assert "<script" not in page.lower() and "\0" not in page
    visible = html.unescape(re.sub(r"<[^>]*>", "", re.sub(r"<rp>\(</rp><rt>.*?</rt><rp>\)</rp>", "", page)))
    assert visible == re.sub(r"[\0\ud800-\udfff]", "\ufffd", text)
    return len(tokens)


@pytest.fixture(scope="module")
def pair(reference):
    native = fastpron.Annotator()
    yield native, reference
    reference.clear_user_dictionary()


def _any_text(pair, text, options, picks):
    native, reference = pair
    check_same(native, reference, text, options, picks)


def _odd_keys(pair, entries, text, data):
    """User entries with odd keys, the same in both annotators; texts that contain them."""
    native, reference = pair
    built = {}
    for key, what in entries.items():
        if what is None:
            built[key] = None
        else:
            built[key] = [join_syllables([data.draw(st.sampled_from(SYLLABLES if k else SYLLABLES[:4]))
                                          for k in range(len(key))])
                          for _ in range(data.draw(st.integers(1, 2)))]
    try:
        for annotator in (native, reference):
            annotator.update_user_dictionary(built, replace=True)
        assert native.user_dictionary == reference.user_dictionary
        for key in built:
            assert native.lookup(key) == reference.lookup(key)
        keys = list(built) or [""]
        mixed = text.join(keys) + keys[0] + text
        check_same(native, reference, mixed, {}, None)
        check_same(native, reference, mixed, {"sandhi": "auto", "system": "poj"}, {0: 1})
    finally:
        native.clear_user_dictionary()
        reference.clear_user_dictionary()


CI = settings(max_examples=250, deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)
SOAK = settings(max_examples=20_000, deadline=None, suppress_health_check=list(HealthCheck))


@CI
@given(text=TEXT, options=OPTIONS, picks=PICKS)
def test_any_text_agrees_with_the_reference(pair, text, options, picks):
    _any_text(pair, text, options, picks)


@pytest.mark.soak
@SOAK
@given(text=TEXT, options=OPTIONS, picks=PICKS)
def test_any_text_agrees_with_the_reference_soak(pair, text, options, picks):
    _any_text(pair, text, options, picks)


@settings(CI, max_examples=60)
@given(entries=USER_ENTRIES, text=st.text(ODD_CHAR, max_size=8), data=st.data())
def test_user_entries_with_odd_keys_agree(pair, entries, text, data):
    _odd_keys(pair, entries, text, data)


@pytest.mark.soak
@settings(SOAK, max_examples=3000)
@given(entries=USER_ENTRIES, text=st.text(ODD_CHAR, max_size=8), data=st.data())
def test_user_entries_with_odd_keys_agree_soak(pair, entries, text, data):
    _odd_keys(pair, entries, text, data)


@pytest.mark.parametrize("text", ODD_STRINGS)
def test_each_odd_string_in_every_system(pair, text):
    native, reference = pair
    for system in fastpron.System:
        for sandhi in ("none", "auto"):
            check_same(native, reference, text, {"system": system.value, "sandhi": sandhi}, None)


def test_odd_keys_at_the_limits(pair):
    """Keys of 64 characters, NUL, a lone surrogate, astral and combining characters; 65 is refused."""
    native, reference = pair
    entries = {"台" * 64: ["tai5-" * 63 + "tai5"], "\0": ["a1"], "\ud800": ["a1"], "𠀀\u0301": ["ngiau1-a2"],
               "א台": ["a1-tai5"], "<b>": ["a1-a1-a1"]}
    try:
        for annotator in (native, reference):
            annotator.update_user_dictionary(entries)
        text = "".join(entries) + "台" * 130 + "<b>"
        check_same(native, reference, text, {}, None)
        assert native.romanize("\ud800") == "A"
        assert native.to_html("<b>").count("<ruby>&lt;<rp>") == 1
    finally:
        native.clear_user_dictionary()
        reference.clear_user_dictionary()
    with pytest.raises(ValueError, match="1 to 64 characters"):
        native.add_word("台" * 65, "-".join(["tai5"] * 65))
    for bad in ("台 灣", "台\n", "\u3000"):
        with pytest.raises(ValueError, match="white space"):
            native.add_word(bad, "-".join(["a1"] * len(bad)))


def test_a_changed_user_dictionary_renders_its_own_new_syllables():
    """Found by test_user_entries_with_odd_keys_agree: the render tables were cached by the
    number of syllables, so a dictionary that replaced one new syllable (o9) by another
    (hm7) kept rendering the old one.  fastpron/annotator.py now keys them by the syllables."""
    annotator = fastpron.Annotator()
    annotator.add_word("𠔜", "o9")                      # syllables the lexicon lacks
    assert annotator.romanize("𠔜") == "Ő"
    annotator.update_user_dictionary({"𠔜": "hm7"})
    assert annotator.romanize("𠔜") == "Hm̄"
    assert annotator.to_html("𠔜").count("<rt>hm̄</rt>") == 1
    annotator.update_user_dictionary({"𠔜": "o9", "𠔜𠔜": "hm7-hm7"})
    assert annotator.romanize("𠔜 𠔜𠔜") == "Ő hm̄-hm̄"
    annotator.clear_user_dictionary()
    assert annotator.romanize("𠔜") == "𠔜"
    assert len(annotator._tables) == 1                  # the overlays' tables went with them


def test_a_dictionary_change_in_another_thread_between_table_and_core():
    """Deterministic: the other thread's change happens right after the table was chosen, the moment a
    thread switch can fall on (finding 5, fixed: the core uses the overlay the table was built for)."""
    annotator = fastpron.Annotator()
    choose = annotator._table

    def table_then_another_thread_changes_the_dictionary(options, overlay):
        table = choose(options, overlay)
        annotator.update_user_dictionary({"𠔜": "o9"})     # one new syllable: the table is too small now
        return table

    annotator._table = table_then_another_thread_changes_the_dictionary
    assert annotator.romanize("台灣") == "Tâi-uân"


def test_dictionary_changes_while_other_threads_add_render_tables():
    """Found by core_corpus.py under ASan: dropping the old overlay's render tables iterated the
    table cache itself, so another thread adding a table meanwhile made update_user_dictionary
    fail ('dictionary changed size during iteration').  Deterministic: a key whose look-up lets
    'another thread' add a table in the middle of that iteration."""
    annotator = fastpron.Annotator()
    annotator.add_word("𠔜", "o9")
    annotator.romanize("𠔜")

    class KeyThatLetsAnotherThreadIn(tuple):
        def __getitem__(self, index):
            annotator._tables.setdefault(("added by another thread", ()), None)
            return tuple.__getitem__(self, index)

    annotator._tables[KeyThatLetsAnotherThreadIn(("a table", ("o9",)))] = None
    annotator.update_user_dictionary({"𠔜": "hm7"})
    assert annotator.romanize("𠔜") == "Hm̄"
