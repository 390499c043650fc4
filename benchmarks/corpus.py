"""The benchmark inputs, built from the Han column of the MOE example sentences.

* ``text()``: about 200 KB of UTF-8 Han-character Hokkien with its own
  punctuation: the 8,000-odd example sentences (only the ``hanji`` column of
  ``../shared/gold/moe_examples_dev.tsv``), in file order, five sentences to a
  paragraph, one paragraph a line.
* ``large()``: that text repeated to about 20 MB, for the large-input case.
* ``slice_()``: its first 32 KB (whole paragraphs), for the slow pure-Python
  peers; everything measured on it is measured on exactly the same slice.
* ``chunks(text, n)``: ``text`` cut into ``n`` pieces at line ends, the work
  units of the thread benchmark.
* ``short_lines()``: the sentences of ``text()`` one to a line, repeated to
  about 50 MB: the command line's corpus (a file of short lines).

The gold file is used as input text only (its readings are never read here).
When it is absent, ``GoldMissing`` says so and the benchmarks skip.
"""

from __future__ import annotations

import functools
import os
import pathlib

from accuracy import read_gold      # benchmarks/ is on sys.path wherever this module is

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLD = pathlib.Path(os.environ.get("FASTPRON_BENCH_GOLD", ROOT.parent / "shared" / "gold" / "moe_examples_dev.tsv"))

SENTENCES_PER_PARAGRAPH = 5
LARGE_BYTES = 20_000_000
SHORT_LINES_BYTES = 50_000_000
SLICE_BYTES = 32_000


class GoldMissing(RuntimeError):
    """The gold file, the source of the benchmark text, is not there."""


def _sentences(path: pathlib.Path = GOLD) -> list[str]:
    if not path.exists():
        raise GoldMissing(f"the benchmark text is built from {path}, which is absent; "
                          "nothing that needs it is measured")
    return [hanji.strip() for hanji, _ in read_gold(path)]


@functools.lru_cache(maxsize=None)
def text() -> str:
    """About 200 KB: every Han sentence of the gold file, five to a paragraph."""
    s = _sentences()
    paragraphs = ["".join(s[i:i + SENTENCES_PER_PARAGRAPH]) for i in range(0, len(s), SENTENCES_PER_PARAGRAPH)]
    return "\n".join(paragraphs) + "\n"


@functools.lru_cache(maxsize=None)
def large() -> str:
    """``text()`` repeated to at least LARGE_BYTES of UTF-8 (about 20 MB)."""
    base = text()
    copies = -(-LARGE_BYTES // nbytes(base))
    return base * copies


@functools.lru_cache(maxsize=None)
def slice_() -> str:
    """The first whole paragraphs of ``text()`` up to SLICE_BYTES of UTF-8."""
    out, size = [], 0
    for line in text().splitlines(keepends=True):
        if size + nbytes(line) > SLICE_BYTES and out:
            break
        out.append(line)
        size += nbytes(line)
    return "".join(out)


@functools.lru_cache(maxsize=None)
def short_lines() -> str:
    """Every sentence of the gold file on a line of its own (about 40 bytes a line),
    repeated to at least SHORT_LINES_BYTES of UTF-8 (about 50 MB)."""
    base = "".join(sentence + "\n" for sentence in _sentences() if sentence)
    return base * -(-SHORT_LINES_BYTES // nbytes(base))


def chunks(whole: str, n: int) -> list[str]:
    """``whole`` cut into ``n`` pieces of about equal length, each ending at a line end."""
    pieces, start = [], 0
    for k in range(1, n + 1):
        end = len(whole) if k == n else whole.find("\n", k * len(whole) // n)
        end = len(whole) if end < 0 else end + 1
        if end > start:
            pieces.append(whole[start:end])
        start = max(start, end)
    return pieces


def nbytes(s: str) -> int:
    return len(s.encode("utf-8", "surrogatepass"))


if __name__ == "__main__":
    for name, fn in (("text", text), ("slice", slice_), ("large", large), ("short lines", short_lines)):
        t = fn()
        print(f"{name:<11} {len(t):>10,} characters {nbytes(t):>12,} bytes {t.count(chr(10)):>8,} lines")
