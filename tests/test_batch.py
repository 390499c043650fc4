"""Block processing: many texts in one core call give exactly the outputs of one call per text.

The command line and `Annotator.romanize_many` join lines with newlines and
romanise the block in one call, then split it at the newlines.  That is right
only if no state of the core crosses a newline: segmentation, the capital at a
sentence start, the space before a word or an opening quote, sandhi tone groups,
phrase-final readings, romanised-input conversion.  These tests compare the two
exactly, on hand-made edge cases and on random text.
"""

import itertools
import pathlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fastpron
from fastpron import Annotator

ROOT = pathlib.Path(__file__).resolve().parent.parent

EDGE_LINES = [
    "先生講，學生恬恬聽。",
    "",                                     # empty
    "。",                                   # punctuation only
    "！？……",
    "「",                                   # an opening quote alone: a capital after it
    "」",
    "伊講：「",                              # ends inside a quotation
    "做人愛認真",                            # ends mid-sentence: the next line still starts with a capital
    "毋通貧惰。」",
    "阮阿公較早逐工透早就去田裡做穡，",          # ends with a comma
    "銀行",
    "行路",
    "銀",                                   # a word cut by a line end: 銀 / 行 read alone
    "行",
    "坐咧",                                  # phrase-final reading (坐咧 leh)
    "咧",
    "桌仔",                                  # sandhi before the suffix 仔
    "仔",
    "   ",                                  # spaces only
    "\t台灣\t",                              # tabs
    "台灣 Tâi-uân",                          # romanised words (converted with romanized="convert")
    "tsiah8-png7 未?",
    "Chia̍h-pn̄g",
    "e.g. 台灣",
    "https://example.com/台灣",
    "2024 年 3 月",
    "abc",
    "ABC 先生",
    "𠔜",                                    # a Han character the lexicon lacks
    "𠔜𠔜",
    "𠢕",                                   # astral
    "臺灣",                                  # a variant character
    "台灣\r",                                # a CR of its own (not before the newline in a file)
    "\x00",                                 # NUL
    "(台灣)",
    "《台灣》",
    "『台灣』〈台灣〉【台灣】～",
    "先生。學生",
    "\u3000台灣\u3000",                      # ideographic spaces
    "\ud800台灣",                            # a lone surrogate
    "a",
    "--ah",
    "好--ah",
]

OPTION_SETS = [
    {},
    {"system": "poj"},
    {"system": "tps"},
    {"system": "ipa"},
    {"tones": "numbers"},
    {"sandhi": "auto"},
    {"sandhi": "auto", "system": "poj", "tones": "numbers"},
    {"capitalize": False},
    {"punctuation": "keep"},
    {"capitalize": False, "punctuation": "keep"},
    {"dialect": "north"},
    {"romanized": "convert"},
    {"romanized": "convert", "system": "poj", "sandhi": "auto"},
]


def sample_lines() -> list[str]:
    article = (ROOT / "benchmarks" / "sample_article.txt").read_text(encoding="utf-8").split("\n")
    register = [line.split("\t")[0] for line in
                (ROOT / "benchmarks" / "register_samples.tsv").read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#")]
    return EDGE_LINES + article + register


def orders(lines):
    """The lines as given, and every pair of edge lines one after the other."""
    yield lines
    pairs = list(itertools.chain.from_iterable(itertools.product(EDGE_LINES, repeat=2)))
    yield pairs


@pytest.mark.parametrize("options", OPTION_SETS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default")
def test_romanize_many_equals_one_call_per_line(native, options):
    for lines in orders(sample_lines()):
        assert native.romanize_many(lines, **options) == [native.romanize(line, **options) for line in lines]


@pytest.mark.parametrize("options", [o for o in OPTION_SETS if "capitalize" not in o and "punctuation" not in o],
                         ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default")
def test_html_json_annotate_many_equal_one_call_per_line(native, options):
    for lines in orders(sample_lines()):
        assert native.to_html_many(lines, **options) == [native.to_html(line, **options) for line in lines]
        if "romanized" in options:
            continue
        assert native.to_json_many(lines, **options) == [native.to_json(line, **options) for line in lines]
        assert native.to_json_many(lines, as_bytes=True, text_key="t", **options) == \
            [native.to_json(line, as_bytes=True, text_key="t", **options) for line in lines]
        assert [[t.asdict() for t in tokens] for tokens in native.annotate_many(lines, **options)] == \
            [[t.asdict() for t in native.annotate(line, **options)] for line in lines]


def test_one_block_call_keeps_newlines_one_for_one(native):
    """What the command line relies on: romanize of a block ending with a newline is the
    lines' outputs, each followed by one newline."""
    lines = sample_lines()
    for options in OPTION_SETS:
        block = "\n".join(lines) + "\n"
        assert native.romanize(block, **options) == "".join(native.romanize(line, **options) + "\n"
                                                            for line in lines)


def test_texts_with_their_own_newlines_and_bad_items(native):
    texts = ["台灣\n先生。", "行路", "a\n\nb", "", "\n", "銀\n行", "\n\n坐咧\n"]
    assert native.romanize_many(texts) == [native.romanize(t) for t in texts]
    documents = ["\n".join(sample_lines()[k:k + 7]) for k in range(0, len(sample_lines()), 7)]
    for options in OPTION_SETS:
        assert native.romanize_many(documents, **options) == [native.romanize(d, **options) for d in documents]
    assert native.romanize_many(iter(texts)) == [native.romanize(t) for t in texts]     # any iterable
    assert native.romanize_many([]) == []
    with pytest.raises(TypeError, match="expects text as str, not bytes"):
        native.romanize_many(["台灣", b"x"])
    with pytest.raises(TypeError, match="an iterable of str"):
        native.romanize_many("台灣")
    with pytest.raises(TypeError, match="expects text as str, not int"):
        native.to_html_many(["台灣", 3])
    with pytest.raises(ValueError, match="romanized='convert'"):
        native.to_json_many(["台灣"], romanized="convert")
    with pytest.raises(ValueError, match="text_key"):
        native.to_json_many(["台灣"], text_key="a b")


def test_many_blocks(native, monkeypatch):
    """More texts than one block holds: the blocks are cut between texts, in order."""
    from fastpron import annotator
    monkeypatch.setattr(annotator, "BATCH_CHARACTERS", 10)
    lines = sample_lines() * 3
    assert native.romanize_many(lines, sandhi="auto") == [native.romanize(line, sandhi="auto") for line in lines]


def test_user_dictionary_applies(native):
    annotator = Annotator()
    annotator.add_word("𠔜𠔜", "tâ-tâ")
    assert annotator.romanize_many(["𠔜𠔜", "𠔜"]) == ["Tâ-tâ", "𠔜"]
    assert [t.reading for t in annotator.annotate_many(["𠔜𠔜"])[0]] == ["tâ-tâ"]


def test_reference_annotator_has_the_same_batch_api(reference, native):
    lines = EDGE_LINES[:20]
    assert reference.romanize_many(lines) == native.romanize_many(lines)


_LEXICON_CHARS = "先生講學恬聽銀行路台灣坐咧桌仔阮阿公較早逐工透就去田裡做穡伊定人愛認真毋通貧惰好食我你"
_OTHER = "，。！？：「」『』（）《》 \t\r\u3000.!?,\"'()-abcTâuàn0123𠔜𠢕\x00\ud800"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=_LEXICON_CHARS + _OTHER, max_size=12), max_size=12),
       st.sampled_from(OPTION_SETS))
def test_random_lines(lines, options):
    native = fastpron.default_annotator()
    assert native.romanize_many(lines, **options) == [native.romanize(line, **options) for line in lines]
    block = "".join(line + "\n" for line in lines)
    assert native.romanize(block, **options) == "".join(native.romanize(line, **options) + "\n" for line in lines)
