"""The test corpus through every entry point of the core, for runs under AddressSanitizer and valgrind.

    python tests/reliability/core_corpus.py [--scale small|full]

It uses whatever `fastpron` comes first on the path (test_sanitizers.py puts
an instrumented copy there), checks exact results where it can (tokens cover
the text, the HTML gives it back, threads agree), and prints one line
`CORPUS OK {figures}`.  The sanitizer, not this script, finds invalid accesses.
"""

from __future__ import annotations

import argparse
import html
import json
import pathlib
import pickle
import random
import re
import sys
import threading

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))

import fastpron  # noqa: E402
from fastpron import lexicon  # noqa: E402
from fastpron._core import CompiledLexicon  # noqa: E402
from fuzzlib import ODD_STRINGS, PLANE_SAMPLES, SMALL_CORPUS, core_gaps, exercise, mutate  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold" / "moe_examples_dev.tsv"


def texts(scale: str) -> list[str]:
    sample = (ROOT / "benchmarks" / "sample_article.txt").read_text(encoding="utf-8")
    found = [sample, *ODD_STRINGS, *SMALL_CORPUS, "".join(PLANE_SAMPLES), "".join(ODD_STRINGS)]
    if GOLD.exists():
        rows = [line.split("\t")[1] for line in GOLD.read_text(encoding="utf-8").splitlines()[1:]
                if line.count("\t") >= 2]
        found.append("\n".join(rows if scale == "full" else rows[:300]))
    rng = random.Random(5)
    pieces = ODD_STRINGS + PLANE_SAMPLES + list(sample[:400])
    found += ["".join(rng.choice(pieces) for _ in range(60)) for _ in range(200 if scale == "full" else 30)]
    return found


def check(annotator, text: str, **options) -> int:
    tokens = annotator.annotate(text, **options)
    assert "".join(t.text for t in tokens) == text
    page = annotator.to_html(text, **options)
    visible = html.unescape(re.sub(r"<[^>]*>", "", re.sub(r"<rp>\(</rp><rt>[^<]*</rt><rp>\)</rp>", "", page)))
    assert visible == re.sub(r"[\0\ud800-\udfff]", "\ufffd", text)
    annotator.romanize(text, **options)
    annotator.romanize(text, romanized="convert", **options)
    for token in tokens[:50]:
        assert pickle.loads(pickle.dumps(token)) == token
        token.asdict(), repr(token)
    return len(tokens)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=["small", "full"], default="full")
    scale = parser.parse_args().scale
    figures = {"core": fastpron._core.__file__, "calls": 0, "tokens": 0, "characters": 0}
    annotator = fastpron.Annotator()
    corpus = texts(scale)
    systems = [s.value for s in fastpron.System]

    # Every text in every system, tone style, sandhi and accent (some of them for the long texts).
    for n, text in enumerate(corpus):
        combos = [(s, t, h, d) for s in systems for t in ("marks", "numbers", "none") for h in ("none", "auto")
                  for d in (None, "south", "north")]
        if len(text) > 500 or scale == "small":
            combos = combos[n % 7::(17 if scale == "full" else 9)]
        for system, tones, sandhi, dialect in combos:
            picks = {k: (k + n) % 4 for k in range(0, min(len(text), 60), 3)}
            figures["tokens"] += check(annotator, text, system=system, tones=tones, sandhi=sandhi, dialect=dialect,
                                       picks=picks)
            figures["calls"] += 5
            figures["characters"] += len(text)
    for key in ("行", "台灣", "", "\0", "\ud800", "𠀀", "a" * 100):
        annotator.lookup(key)

    # The user dictionary: odd keys, new syllables, removals, again and again.
    for k in range(40 if scale == "full" else 10):
        entries = {"台灣": None, "𠔜" * (1 + k % 4): "-".join(["o9"] * (1 + k % 4)), "\0": "a1", "\ud800": "hm7",
                   "𠀀\u0301": "ngiau1-a2", "<b>": "a1-a1-a1", "台" * 64: "-".join(["tai5"] * 64)}
        annotator.update_user_dictionary(entries if k % 3 else {}, replace=True)
        for text in corpus[:12]:
            figures["tokens"] += check(annotator, text + "".join(entries), sandhi="auto")
            figures["calls"] += 5

    # Threads share the annotator, without the GIL in the core, while the dictionary changes.
    big = corpus[0] * (20 if scale == "full" else 2)
    expected, results, errors = annotator.romanize(big), [], []

    def work():
        try:
            for _ in range(3):
                results.append(annotator.romanize(big))
        except Exception as err:    # noqa: BLE001
            errors.append(err)

    # (Two dictionaries of the same size. Changing between dictionaries with different
    # syllables in another thread once made a call fail: finding 5, since fixed and
    # pinned by test_core_properties.py.)
    annotator.update_user_dictionary({"𠔜𠔜": "hm7-hm7"})
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for k in range(20):
        annotator.update_user_dictionary({"𠔜": "o9"} if k % 2 else {"𠔜𠔜": "hm7-hm7"})
    for t in threads:
        t.join()
    annotator.clear_user_dictionary()
    assert not errors, errors
    assert results == [expected] * 12, "threads got different results"
    figures["thread_results"] = len(results)

    # Large inputs.
    large = (corpus[0] * 25_000)[: 2_000_000 if scale == "full" else 200_000]
    annotator.romanize(large), annotator.to_html(large)
    figures["large_characters"] = len(large)

    # The loader: the real lexicon, then damaged ones (CRC recomputed), refused or used.
    data, _origin = lexicon.load_binary()
    CompiledLexicon(data, "lexicon.fpl")
    from fuzzlib import small_lexicon_bytes
    small = small_lexicon_bytes()
    outcomes = {"refused": 0, "used": 0}
    for case in range(600 if scale == "full" else 100):
        damaged, _what = mutate(small, random.Random(case))
        try:
            compiled = CompiledLexicon(damaged, "damaged.fpl")
        except lexicon.LexiconError:
            outcomes["refused"] += 1
            continue
        assert not core_gaps(damaged), ("a lexicon with a gap of findings 1-3 was accepted", _what)
        try:
            exercise(compiled)
        except fastpron.syllable.SyllableError:
            pass
        outcomes["used"] += 1
    figures["damaged_lexicons"] = outcomes
    print("CORPUS OK " + json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
