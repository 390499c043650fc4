"""The Cython core and the pure-Python reference give the same results."""

import json
import pathlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fastpron.lexicon import DEFAULT_TSV

SAMPLE = pathlib.Path(__file__).resolve().parent.parent / "benchmarks" / "sample_article.txt"
OPTION_SETS = [
    {},
    {"sandhi": "auto"},
    {"system": "poj", "dialect": "north"},
    {"system": "tps", "tones": "numbers"},
    {"punctuation": "keep", "capitalize": False, "dialect": "south"},
]


def assert_same(native, reference, text, **options):
    tokens = native.annotate(text)
    picks = {t.start: len(t.alternatives) for t in tokens[::3] if t.alternatives}   # pick some last readings
    options_with_picks = dict(options, picks=picks)
    assert native.romanize(text, **options_with_picks) == reference.romanize(text, **options_with_picks)
    assert native.to_html(text, **options_with_picks) == reference.to_html(text, **options_with_picks)
    assert native.romanize(text, **options) == reference.romanize(text, **options)
    assert native.to_html(text, **options) == reference.to_html(text, **options)
    assert [t.astuple() for t in native.annotate(text, **options)] == \
        [t.astuple() for t in reference.annotate(text, **options)]
    assert json.loads(native.to_json(text, **options)) == json.loads(reference.to_json(text, **options))
    assert json.loads(native.to_json(text, text_key="surface", as_bytes=True, **options)) == \
        json.loads(reference.to_json(text, text_key="surface", as_bytes=True, **options))
    wrapped = dict(text_key="surface", as_bytes=True, prefix=b'{"tokens":', suffix=b"}", **options)
    assert json.loads(native.to_json(text, **wrapped)) == json.loads(reference.to_json(text, **wrapped))
    # render: the outputs above from one segmentation, in both
    formats = ("html", "tokens", "text", "json", ("html", {"system": "tps"}))
    native_outputs = native.render(text, *formats, **options_with_picks)
    reference_outputs = reference.render(text, *formats, **options_with_picks)
    assert [t.astuple() for t in native_outputs[1]] == [t.astuple() for t in reference_outputs[1]]
    assert [native_outputs[k] for k in (0, 2, 4)] == [reference_outputs[k] for k in (0, 2, 4)]
    assert json.loads(native_outputs[3]) == json.loads(reference_outputs[3])
    assert native_outputs[0] == native.to_html(text, **options_with_picks)
    # format_lines: the core writes each line from one segmentation of the whole text; the
    # reference calls itself once per line (its JSON escapes control characters its own
    # way), and a call reads its whole lexicon: the first 40 lines are enough
    lines = "\n".join(text.split("\n")[:40])
    for fmt in ("text", "html", "tsv", "json", "jsonl"):
        mine, theirs = native.format_lines(lines, fmt, **options), reference.format_lines(lines, fmt, **options)
        if fmt.startswith("json"):
            mine, theirs = [[json.loads(row) for row in out.split(b"\n")[:-1]] for out in (mine, theirs)]
        assert mine == theirs, fmt


@pytest.mark.parametrize("options", OPTION_SETS)
def test_sample_article(native, reference, options):
    assert_same(native, reference, SAMPLE.read_text(encoding="utf-8"), **options)


@pytest.mark.parametrize("options", OPTION_SETS[:3])
def test_gold_sentences(native, reference, gold_sentences, options):
    """Every MOE example sentence (input side only), in chunks."""
    for start in range(0, len(gold_sentences), 500):
        assert_same(native, reference, "\n".join(gold_sentences[start:start + 500]), **options)


def _lexicon_characters():
    chars = set()
    with open(DEFAULT_TSV, encoding="utf-8") as f:
        next(f)
        for line in f:
            key = line.split("\t", 1)[0]
            if len(key) <= 2:
                chars.update(key)
    return sorted(chars)[:3000]


LEXICON_TEXT = st.text(
    alphabet=st.one_of(st.sampled_from(_lexicon_characters() + list("，。！？「」：\n 、臺湾着爲裏儂")),
                       st.characters(codec=None, exclude_categories=())),
    max_size=60)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=LEXICON_TEXT)
def test_random_text(native, reference, text):
    assert_same(native, reference, text)
    assert_same(native, reference, text, sandhi="auto", system="poj")


def test_user_dictionary_agrees(reference):
    from fastpron import Annotator
    native = Annotator()
    for annotator in (native, reference):
        annotator.add_word("台灣人", "tai5-uan5-lang5")
        annotator.add_word("灣", "uan1")
        annotator.remove_word("先生")
        annotator.add_word("卡拉OK", "khah4-lah4-ooh4-kheh4")
    try:
        for text in ["台灣人講先生", "灣台灣卡拉OK卡拉", SAMPLE.read_text(encoding="utf-8")]:
            assert_same(native, reference, text)
    finally:
        reference.clear_user_dictionary()
