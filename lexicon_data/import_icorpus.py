"""Count the words of the iCorpus train split, with their readings.

    python lexicon_data/import_icorpus.py    # writes lexicon_data/sources/icorpus.tsv

Reads ``../shared/data/icorpus/train.tsv.gz`` (iCorpus 臺華平行新聞語料庫漢字臺羅版,
薛丞宏, CC BY 4.0; see README.md here): news sentences cut into words, each
word with its numbered Tâi-lô.  Only the train split is read: the dev split
is for measuring.  Each Han word becomes one row

    hanji    reading (numbered Tâi-lô, ``--`` before a neutral tone)    count

Words written in romanisation, and words whose syllables do not match their
characters one for one, are skipped and counted.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import pathlib
import re
import sys
from collections.abc import Iterator

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fastpron.syllable import SyllableError, join_reading, parse_reading  # noqa: E402

DEFAULT_CORPUS = HERE.parent.parent / "shared" / "data" / "icorpus" / "train.tsv.gz"
HAN_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U000323af\u3007]+\Z")


def corpus_reading(text: str) -> list[str]:
    """``tsit8-0e5`` -> ``['tsit8', '--e5']``: the corpus marks a neutral tone with a leading 0."""
    return parse_reading("-".join("--" + s[1:] if s.startswith("0") else s for s in text.split("-")))


def read_split(path: pathlib.Path) -> Iterator[list[tuple[str, str]]]:
    """Each sentence of an iCorpus split (train.tsv.gz, dev.tsv.gz): its (word, reading)
    pairs as the corpus writes them, punctuation and romanised words included."""
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("line\t"):
                continue
            _, hanji, tailo = line.rstrip("\n").split("\t")
            yield list(zip(hanji.split(" "), tailo.split(" ")))


def count_words(path: pathlib.Path) -> tuple[collections.Counter, collections.Counter]:
    """((hanji, reading) -> count, skip reason -> count)."""
    counts: collections.Counter = collections.Counter()
    skipped: collections.Counter = collections.Counter()
    for sentence in read_split(path):
        for word, reading in sentence:
            if not HAN_WORD.match(word):
                continue                              # punctuation, romanised words
            try:
                syllables = corpus_reading(reading.lower())
            except SyllableError:
                skipped["reading that does not parse"] += 1
                continue
            if len(syllables) != len(word):
                skipped["syllables do not match the characters"] += 1
                continue
            counts[(word, join_reading(syllables))] += 1
    return counts, skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=pathlib.Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=pathlib.Path, default=HERE / "sources" / "icorpus.tsv")
    args = parser.parse_args(argv)
    counts, skipped = count_words(args.corpus)
    args.out.parent.mkdir(exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("hanji\treading\tcount\n")
        for (word, reading), count in sorted(counts.items()):
            f.write(f"{word}\t{reading}\t{count}\n")
    print(f"wrote {len(counts)} (word, reading) rows, {sum(counts.values())} word tokens, to {args.out}",
          file=sys.stderr)
    for reason, n in skipped.most_common():
        print(f"skipped {n}: {reason}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
