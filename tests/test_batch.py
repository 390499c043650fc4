"""Block processing: many texts in one core call give exactly the outputs of one call per text.

The command line and `Annotator.romanize_many` join lines with newlines and
romanise the block in one call, then split it at the newlines.  That is right
only if no state of the core crosses a newline: segmentation, the capital at a
sentence start, the space before a word or an opening quote, sandhi tone groups,
phrase-final readings, romanised-input conversion.  These tests compare the two
exactly, on hand-made edge cases and on random text.
"""

import itertools
import json
import pathlib
import re

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
    # Numbers against a line break: the number reader looks at the characters
    # around a span, and a line break must read as the text's start or end.
    "一二三",
    "2024",
    "3.5",
    "1,000",
    "第一",
    "百分之五十",
    "五月",
    "月",
    "3",
    "\r先生",                               # a CR at the start
    "台灣\u2028先生\u2029",                  # separators that are not line breaks for the core
    "\x85\x1c\x1d\x1e\x1f\x0b\x0c 台灣",          # white space to str.split(), control characters to JSON
    '"台灣" <&> \\ \x08 \x7f \'',              # JSON, TSV and HTML escapes
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


# ---------------------------------------------------------------- format_lines (the command line's formats)

LINE_FORMATS = ("text", "html", "json", "jsonl", "tsv")


def _utf8(text: str) -> bytes:
    return re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")


def _json_string(text: str) -> bytes:
    quoted = json.dumps(text, ensure_ascii=False)
    return re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", quoted).encode("utf-8")


def _tsv(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def one_call_per_line(annotator, lines: list[str], fmt: str, options: dict) -> bytes:
    """What the command line wrote for each line before a block was one core call, from
    the single-text methods (a lone surrogate, which has no UTF-8: U+FFFD, or its JSON escape)."""
    html_options = {k: v for k, v in options.items() if k not in ("capitalize", "punctuation")}
    out = []
    for line in lines:
        if fmt == "text":
            out.append(_utf8(annotator.romanize(line, **options)))
        elif fmt == "html":
            out.append(_utf8(annotator.to_html(line, **html_options)))
        elif fmt == "tsv":
            words = [w for t in annotator.annotate(line, **html_options)
                     for w in (t.text.split() if t.kind == "other" else [t.text])]
            out.append(_utf8("\t".join(_tsv(f) for f in (line, annotator.romanize(line, **options), " ".join(words)))))
        else:
            out += [b'{"text": ', _json_string(line)]
            if fmt == "jsonl":
                out += [b', "reading": ', _json_string(annotator.romanize(line, **options))]
            out += [b', "tokens": ', annotator.to_json(line, as_bytes=True, **html_options), b"}"]
        out.append(b"\n")
    return b"".join(out)


def _format_cases() -> list:
    return [pytest.param(fmt, options, id=f"{fmt}-" + (",".join(f"{k}={v}" for k, v in options.items()) or "default"))
            for fmt in LINE_FORMATS for options in OPTION_SETS
            if "romanized" not in options or fmt in ("text", "html")]


@pytest.mark.parametrize("fmt, options", _format_cases())
def test_format_lines_equals_one_call_per_line(native, fmt, options):
    """One core call for a block of lines (segmented as one text, each line written from
    its tokens) gives what one call per line gave, byte for byte: on the sample lines,
    and on every pair of edge lines one after the other."""
    for lines in orders(sample_lines()):
        text = "".join(line + "\n" for line in lines)
        assert native.format_lines(text, fmt, **options) == one_call_per_line(native, lines, fmt, options)


@pytest.mark.parametrize("fmt", LINE_FORMATS)
def test_format_lines_edges(native, fmt):
    for text, lines in [("", []), ("\n", [""]), ("\n\n", ["", ""]), ("台灣", ["台灣"]), ("台灣\n先生", ["台灣", "先生"]),
                        ("台灣\r\n", ["台灣\r"]), ("。\nabc\n\n2024\n月。\n", ["。", "abc", "", "2024", "月。"]),
                        ("\n".join(EDGE_LINES), EDGE_LINES)]:
        assert native.format_lines(text, fmt) == one_call_per_line(native, lines, fmt, {}), text
    # a block long enough for the core to release the GIL, and one too short to
    lines = sample_lines() * 3
    long = "".join(line + "\n" for line in lines)
    assert len(long) >= 1024 and len(EDGE_LINES[0]) < 1024
    assert native.format_lines(long, fmt) == one_call_per_line(native, lines, fmt, {})


@pytest.mark.parametrize("fmt", LINE_FORMATS)
def test_format_lines_reads_utf8_bytes_as_a_text_file(native, fmt):
    """Bytes are decoded in the core (without the GIL): UTF-8, lines ending in LF or CR LF."""
    # (no lone surrogate, which UTF-8 cannot hold, nor a CR at a line's end, which goes with it)
    lines = [line for line in sample_lines() if "\ud800" not in line and not line.endswith("\r")]
    for end in ("\n", "\r\n"):
        data = "".join(line + end for line in lines).encode("utf-8")
        assert native.format_lines(data, fmt) == one_call_per_line(native, lines, fmt, {})
    assert native.format_lines("台灣\r\r\n\r".encode(), fmt) == one_call_per_line(native, ["台灣\r", "\r"], fmt, {})
    long = "".join(line + "\r\n" for line in lines * 3).encode("utf-8")        # the GIL released, or not
    assert native.format_lines(long, fmt) == one_call_per_line(native, lines * 3, fmt, {})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=4), st.sampled_from(
    ["台灣".encode(), b"\n", b"\r\n", b"\r", b"a", "𠔜".encode(), "é".encode(), b"\xed\xa0\x80", b"\xed\x9f\xbf",
     b"\xf4\x8f\xbf\xbf", b"\xf4\x90\x80\x80", b"\xe0\xa0\x80", b"\xe0\x9f\xbf", b"\xf0\x90\x80\x80",
     b"\xf0\x8f\xbf\xbf", b"\xc2\x80", b"\xc1\xbf"])), max_size=30), st.sampled_from(LINE_FORMATS))
def test_format_lines_decodes_what_python_decodes(pieces, fmt):
    """The core's UTF-8 decoder takes exactly what Python's strict decoder takes."""
    native = fastpron.default_annotator()
    data = b"".join(pieces)
    try:
        text = data.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        with pytest.raises(UnicodeDecodeError):
            native.format_lines(data, fmt)
        return
    assert native.format_lines(data, fmt) == native.format_lines(text, fmt)


def test_format_lines_arguments(native):
    with pytest.raises(ValueError, match="unknown line format 'xml'"):
        native.format_lines("台灣", "xml")
    for fmt in ("json", "jsonl", "tsv"):
        with pytest.raises(ValueError, match="romanized='convert'"):
            native.format_lines("台灣", fmt, romanized="convert")
    with pytest.raises(TypeError, match="expects text as str, not bytearray"):
        native.format_lines(bytearray(b"x"), "tsv")
    with pytest.raises(ValueError, match="unknown line format"):
        native._core.format_lines("台灣", "xml", native._table(native.options, None))


def test_format_lines_in_threads(native):
    """Threads calling at once (the command line's --jobs) each get their own lines' output."""
    from concurrent.futures import ThreadPoolExecutor
    lines = sample_lines()
    blocks = ["".join(line + "\n" for line in lines[k:k + 40]) for k in range(0, len(lines), 40)] * 4
    for fmt in LINE_FORMATS:
        alone = [native.format_lines(block, fmt, sandhi="auto") for block in blocks]
        with ThreadPoolExecutor(4) as pool:
            assert list(pool.map(lambda block: native.format_lines(block, fmt, sandhi="auto"), blocks)) == alone


def test_format_lines_with_a_user_dictionary():
    annotator = Annotator()
    annotator.add_word("𠔜𠔜", "tâ-tâ")
    annotator.remove_word("先生")
    lines = ["𠔜𠔜", "𠔜", "先生講", "𠔜\t𠔜𠔜 先生"]
    for fmt in LINE_FORMATS:
        assert annotator.format_lines("\n".join(lines), fmt) == one_call_per_line(annotator, lines, fmt, {})


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
    for fmt in LINE_FORMATS:
        if "romanized" not in options or fmt in ("text", "html"):
            assert native.format_lines(block, fmt, **options) == one_call_per_line(native, lines, fmt, options)
