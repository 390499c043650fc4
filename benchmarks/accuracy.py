"""Syllable error rate of fastpron (and taibun) on the MOE example sentences.

    python benchmarks/accuracy.py [--gold ../shared/gold/moe_examples_dev.tsv] [--limit N] [--errors N]

The gold file is used only to measure: nothing from it enters the lexicon or
the code.  The syllable error rate is the Levenshtein distance between the
syllable sequences of the output and of the gold Tâi-lô, over the number of
gold syllables, ignoring case, hyphens and neutral-tone markers (``--``).
Tones count ("citation tones": the annotator runs with sandhi off).
"""

from __future__ import annotations

import argparse
import collections
import pathlib
import re
import sys
import time
import unicodedata

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT.parent / "shared" / "gold" / "moe_examples_dev.tsv"

_SYLLABLE = re.compile(r"[^\W_][\w\u0300-\u036f\u0358\u207f]*|[\u0300-\u036f]", re.UNICODE)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U000323af]")


def syllables(romanized: str) -> list[str]:
    """Tâi-lô text to a list of lower-case syllables (NFC); Han characters count one each."""
    text = unicodedata.normalize("NFC", romanized).lower().replace("--", " ").replace("-", " ")
    text = _HAN.sub(lambda m: f" {m.group(0)} ", text)
    return _SYLLABLE.findall(text)


def toneless(syllable: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", syllable) if not unicodedata.combining(ch))


def edit_distance(a: list[str], b: list[str]) -> tuple[int, list[tuple[str, str]]]:
    """Levenshtein distance and the substituted pairs (gold, output) on one best alignment."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1,
                             rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
    pairs = []
    i, j = len(a), len(b)
    while i and j:
        if rows[i][j] == rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]):
            if a[i - 1] != b[j - 1]:
                pairs.append((a[i - 1], b[j - 1]))
            i, j = i - 1, j - 1
        elif rows[i][j] == rows[i - 1][j] + 1:
            pairs.append((a[i - 1], "∅"))
            i -= 1
        else:
            pairs.append(("∅", b[j - 1]))
            j -= 1
    pairs += [(a[k], "∅") for k in range(i)] + [("∅", b[k]) for k in range(j)]
    return rows[len(a)][len(b)], pairs


def read_gold(path: pathlib.Path, limit: int | None = None) -> list[tuple[str, str]]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("id\t"):
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 3 and fields[1] and fields[2]:
                rows.append((fields[1], fields[2]))
    return rows[:limit] if limit else rows


class Score:
    def __init__(self, name: str):
        self.name = name
        self.gold_syllables = self.errors = self.toneless_errors = self.exact = self.sentences = 0
        self.seconds = 0.0
        self.confusions: collections.Counter = collections.Counter()

    def add(self, gold: list[str], output: list[str]) -> None:
        distance, pairs = edit_distance(gold, output)
        self.gold_syllables += len(gold)
        self.errors += distance
        self.toneless_errors += edit_distance([toneless(s) for s in gold], [toneless(s) for s in output])[0]
        self.exact += distance == 0
        self.sentences += 1
        self.confusions.update(pairs)

    @property
    def rate(self) -> float:
        return self.errors / max(self.gold_syllables, 1)

    def summary(self) -> str:
        return (f"{self.name:<10} syllable error rate {100 * self.rate:5.2f}%   "
                f"ignoring tones {100 * self.toneless_errors / max(self.gold_syllables, 1):5.2f}%   "
                f"exact sentences {100 * self.exact / max(self.sentences, 1):5.1f}%   "
                f"({self.sentences} sentences, {self.gold_syllables} syllables, {self.seconds:.2f} s)")


def categorise(gold: str, output: str) -> str:
    """A coarse cause for one substituted syllable pair."""
    if gold == "∅" or output == "∅":
        return "segmentation or length (inserted/deleted syllable)"
    if _HAN.fullmatch(output):
        return "unknown character (no reading)"
    if toneless(gold) == toneless(output):
        return "tone only"
    return "different syllable (wrong reading)"


def run(name: str, romanize, rows) -> Score:
    score = Score(name)
    started = time.perf_counter()
    outputs = [romanize(hanji) for hanji, _ in rows]
    score.seconds = time.perf_counter() - started
    for (hanji, tailo), output in zip(rows, outputs):
        score.add(syllables(tailo), syllables(output))
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=pathlib.Path, default=DEFAULT_GOLD)
    parser.add_argument("--limit", type=int, help="only the first N sentences")
    parser.add_argument("--errors", type=int, default=15, help="how many most frequent confusions to list")
    parser.add_argument("--no-taibun", action="store_true", help="skip the taibun comparison")
    args = parser.parse_args(argv)
    if not args.gold.exists():
        print(f"accuracy: the gold file {args.gold} is absent; nothing measured.", file=sys.stderr)
        return 0

    sys.path.insert(0, str(ROOT))
    import fastpron

    rows = read_gold(args.gold, args.limit)
    scores = [run("fastpron", fastpron.default_annotator().romanize, rows)]
    if not args.no_taibun:
        try:
            from taibun import Converter
        except ImportError:
            print("accuracy: taibun is not installed (pip install taibun==1.1.8); its figure is skipped.")
        else:
            scores.append(run("taibun", Converter().get, rows))

    for score in scores:
        print(score.summary())
    ours = scores[0]
    by_cause = collections.Counter()
    for (gold, output), count in ours.confusions.items():
        by_cause[categorise(gold, output)] += count
    print("\nfastpron errors by cause:")
    for cause, count in by_cause.most_common():
        print(f"  {count:6d}  {cause}")
    print(f"\nfastpron's {args.errors} most frequent confusions (gold -> output):")
    for (gold, output), count in ours.confusions.most_common(args.errors):
        print(f"  {count:5d}  {gold} -> {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
