"""atheris target: the Cython core against the pure-Python reference, on any str.

    python tests/fuzz/fuzz_core.py [libFuzzer options] [corpus folders]

Each input is read as: one byte of options, one byte of mode, then either
raw text (atheris' ConsumeUnicode: ASCII, UTF-16 or UTF-32 code units, lone
surrogates included) or a sequence of pieces (lexicon words, odd strings,
single code points), so that both odd text and real words are reached.  An
input may also add a user-dictionary entry with an odd key first.  Any
disagreement, or any exception but the documented ValueError for a bad user
entry, is a finding: atheris stops and saves the input.

The Python modules of fastpron are instrumented for coverage; the C
extension is too when it was built with clang's -fsanitize=fuzzer-no-link
(test_fuzz_targets.py does that for `make soak` when clang is installed).
"""

import json
import sys

import atheris

with atheris.instrument_imports(include=["fastpron"]):
    import fastpron
    from fastpron.reference import ReferenceAnnotator

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from fuzzlib import ODD_STRINGS, PLANE_SAMPLES  # noqa: E402

NATIVE = fastpron.Annotator()
REFERENCE = ReferenceAnnotator()
SYSTEMS = [s.value for s in fastpron.System]
PIECES = ODD_STRINGS + PLANE_SAMPLES + [
    "台灣", "台", "灣", "人", "行", "銀行", "行路", "路", "先生", "講", "學生", "恬恬", "聽", "仔", "咧", "無", "去",
    "印仔", "食飯", "臺", "湾", "着", "爲", "。", "，", "「", "」", "\n", " ", "Tâi-uân", "tsia̍h", "--ah", "ê",
]
SYLLABLES = ["tai5", "uan5", "lang5", "a2", "--ah4", "jin5/lin5", "senn1/*sinn1", "o9", "hm7", "ngiau1"]


def options_of(bits: int) -> dict:
    return {"system": SYSTEMS[bits % len(SYSTEMS)], "tones": ("marks", "numbers", "none")[(bits >> 3) % 3],
            "sandhi": ("none", "auto")[(bits >> 5) & 1], "dialect": (None, "south", "north")[(bits >> 6) % 3]}


def text_of(fdp: atheris.FuzzedDataProvider, mode: int) -> str:
    if mode & 1:
        return fdp.ConsumeUnicode(fdp.remaining_bytes())
    parts = []
    while fdp.remaining_bytes() and len(parts) < 64:
        k = fdp.ConsumeIntInRange(0, len(PIECES))
        parts.append(fdp.ConsumeUnicode(1) if k == len(PIECES) else PIECES[k])
    return "".join(parts)


def check(text: str, options: dict, picks: dict) -> None:
    for name in ("annotate", "romanize", "to_html"):
        extra = {} if name == "annotate" else {"romanized": "convert" if len(text) % 2 else "keep"}
        mine = getattr(NATIVE, name)(text, picks=picks, **options, **extra)
        theirs = getattr(REFERENCE, name)(text, picks=picks, **options, **extra)
        if name == "annotate":
            mine, theirs = [t.astuple() for t in mine], [t.astuple() for t in theirs]
            assert "".join(t[0] for t in mine) == text, "tokens do not cover the text"
        assert mine == theirs, f"{name} differs for {text!r} {options} {picks}: {mine!r} != {theirs!r}"
    # the command line's formats: the core writes every line from one segmentation of the
    # whole text, the reference calls itself once per line (JSON compared parsed: the two
    # escape control characters each their own way)
    fmt = ("text", "html", "json", "jsonl", "tsv")[len(text) % 5]
    mine, theirs = NATIVE.format_lines(text, fmt, **options), REFERENCE.format_lines(text, fmt, **options)
    if fmt.startswith("json"):
        mine, theirs = [[json.loads(row) for row in out.split(b"\n")[:-1]] for out in (mine, theirs)]
    assert mine == theirs, f"format_lines {fmt} differs for {text!r} {options}: {mine!r} != {theirs!r}"


def TestOneInput(data: bytes) -> None:   # noqa: N802 — the name atheris calls
    fdp = atheris.FuzzedDataProvider(data)
    options = options_of(fdp.ConsumeIntInRange(0, 255))
    mode = fdp.ConsumeIntInRange(0, 255)
    picks = {fdp.ConsumeIntInRange(0, 40): fdp.ConsumeIntInRange(0, 4)} if mode & 2 else None
    entry = None
    if mode & 4:
        key = fdp.ConsumeUnicode(fdp.ConsumeIntInRange(1, 6))
        reading = "-".join(SYLLABLES[fdp.ConsumeIntInRange(0, len(SYLLABLES) - 1)] for _ in key)
        entry = (key, reading.replace("---", "--"))
        try:
            NATIVE.add_word(*entry)
        except ValueError:                  # an empty key, white space, a bad reading: refused, as documented
            entry = None
        else:
            REFERENCE.add_word(*entry)
    try:
        text = text_of(fdp, mode)
        if entry:
            text = entry[0] + text + entry[0]
        check(text, options, picks)
    finally:
        if entry:
            NATIVE.clear_user_dictionary()
            REFERENCE.clear_user_dictionary()


if __name__ == "__main__":
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()
