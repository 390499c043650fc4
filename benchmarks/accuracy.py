"""Syllable error rate of fastpron (and taibun) on the MOE example sentences and on news.

    python benchmarks/accuracy.py [--gold ../shared/gold/moe_examples_dev.tsv]
                                  [--news ../shared/data/icorpus/dev.tsv.gz] [--limit N] [--errors N]
                                  [--texts N]

Two dev sets, for measuring only: the MOE dictionary's example sentences
(everyday speech) and the iCorpus dev split (news; its words are joined
without spaces before annotating, and sentences with romanised words are
skipped).  Nothing from either enters the lexicon or the code.  The syllable error rate is the Levenshtein distance between the
syllable sequences of the output and of the gold Tâi-lô, over the number of
gold syllables, ignoring case, hyphens and neutral-tone markers (``--``).
Tones count ("citation tones": the annotator runs with sandhi off).

It also measures fastpron on ``benchmarks/register_samples.tsv``, sentences of
our own in the registers of news and everyday speech, so that a change that
only fits the MOE examples shows; and it groups fastpron's errors on the MOE
examples by cause (see ``Causes``).
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
# iCorpus news sentences (CC BY 4.0), the dev split: for measuring only, like the MOE examples.
DEFAULT_NEWS = ROOT.parent / "shared" / "data" / "icorpus" / "dev.tsv.gz"
# Sentences of our own in other registers (news, everyday speech), read by hand.
REGISTER_SAMPLES = ROOT / "benchmarks" / "register_samples.tsv"

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


# Romanised words, and characters written as ideographic description sequences
# (⿰オ…) or in kana: no annotator can read those from the text.
_UNREADABLE = re.compile("[A-Za-z\u2ff0-\u2fff\u3040-\u30ff]")


def read_icorpus(path: pathlib.Path, limit: int | None = None) -> list[tuple[str, str]]:
    """(text, gold Tâi-lô) rows of an iCorpus split: the words joined without spaces, as real
    text comes; the gold in marked Tâi-lô.  Sentences with romanised words are skipped."""
    import gzip
    from fastpron.syllable import SyllableError, render_tailo
    def marked(syllable: str) -> str:       # the corpus marks a neutral tone with a leading 0
        try:
            return render_tailo("--" + syllable[1:] if syllable.startswith("0") else syllable.lower())
        except SyllableError:
            return syllable                  # a slip of the corpus: still one syllable, never matched

    rows = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("line\t"):
                continue
            _, hanji, tailo = line.rstrip("\n").split("\t")
            if _UNREADABLE.search(hanji):
                continue
            words = [" ".join(map(marked, word.split("-"))) if re.search("[1-9]", word) else word
                     for word in tailo.split(" ")]
            rows.append((hanji.replace(" ", ""), " ".join(words)))
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


# For grouping errors only: the characters counted as function words
# (pronouns, particles, aspect markers, negations, common adverbs) and numbers.
FUNCTION_WORDS = set("的个仔咧矣啊喔啦呢囉嘛乎佇共予欲袂毋無有是我你伊阮恁𪜶咱"
                     "就也攏閣才足真誠較上甲到這彼遮遐敢若都猶會著愛")
NUMBERS = set("一二三四五六七八九十百千萬億零兩〇0123456789０１２３４５６７８９")

CAUSES = (
    ("unknown", "character without a reading (unknown or unmapped variant)"),
    ("length", "inserted or deleted syllable"),
    ("segmentation", "segmentation: a word read whole where its parts read apart would be right"),
    ("number", "numbers (一 tsi̍t/it, 兩 nn̄g/lióng, ...)"),
    ("function", "function words and particles (咧, 敢, 這, 遮, ...)"),
    ("dialect", "dialect alternant (the other of south/north)"),
    ("tone", "tone only"),
    ("word", "reading of a lexicon word (the data reads the word otherwise)"),
    ("char", "reading of a character standing alone (literary/colloquial choice)"),
)


def categorise(gold: str, output: str) -> str:
    """A coarse cause for one substituted syllable pair, without the tokens."""
    if gold == "∅" or output == "∅":
        return "length"
    if _HAN.fullmatch(output):
        return "unknown"
    if toneless(gold) == toneless(output):
        return "tone"
    return "char"


class Causes:
    """Groups fastpron's syllable errors by cause, from its tokens.

    Where the output and the gold have as many syllables, each wrong syllable
    is traced to its token: a multi-character word that, split in two and
    read part by part, would give the gold syllables is a segmentation error;
    otherwise the character decides (number, function word), then the kind
    of difference.  Other sentences fall back on `categorise`.
    """

    def __init__(self, annotator, south, north):
        self.annotator, self.south, self.north = annotator, south, north
        self.counts: collections.Counter = collections.Counter()
        self.examples: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)

    def add(self, hanji: str, gold: list[str]) -> None:
        spans, output = [], []                  # (token, first syllable, syllables); every syllable
        for token in self.annotator.annotate(hanji):
            read = syllables(token.reading or token.text)
            spans.append((token, len(output), len(read)))
            output += read
        if len(output) != len(gold):
            for pair in edit_distance(gold, output)[1]:
                self.counts[categorise(*pair)] += 1
            return
        dialects = [syllables(a.romanize(hanji)) for a in (self.south, self.north)]
        for token, first, count in spans:
            want, got = gold[first:first + count], output[first:first + count]
            if want == got:
                continue
            split = len(token.text) > 1 and self._split_reads_right(token.text, want, got)
            for offset, (w, g) in enumerate(zip(want, got)):
                if w == g:
                    continue
                char = token.text[offset] if len(token.text) == count else token.text
                if _HAN.fullmatch(g):
                    cause = "unknown"
                elif split:
                    cause = "segmentation"
                elif char in NUMBERS or token.text[:1] in NUMBERS:
                    cause = "number"
                elif len(token.text) == 1 and char in FUNCTION_WORDS:
                    cause = "function"
                elif any(len(d) == len(gold) and d[first + offset] == w for d in dialects):
                    cause = "dialect"
                elif toneless(w) == toneless(g):
                    cause = "tone"
                else:
                    cause = "word" if len(token.text) > 1 else "char"
                self.counts[cause] += 1
                self.examples[cause][f"{token.text} {g}→{w}"] += 1

    def _split_reads_right(self, word: str, want: list[str], got: list[str]) -> bool:
        """Would some split of `word` into two parts, each read alone, be closer to the gold?"""
        wrong = sum(w != g for w, g in zip(want, got))
        for cut in range(1, len(word)):
            parts = syllables(self.annotator.romanize(word[:cut])) + syllables(self.annotator.romanize(word[cut:]))
            if len(parts) == len(want) and sum(w != p for w, p in zip(want, parts)) < wrong:
                return True
        return False


def load_han2kip():
    """han2kip 0.1.2's translate, or None.  It opens its data at paths built with
    backslashes (Windows only): here, files literally named ``\\data\\words.json``
    and ``\\data\\dict.txt`` in the working folder while it loads."""
    import importlib.util
    import os
    import tempfile
    spec = importlib.util.find_spec("han2kip")
    if spec is None or not spec.submodule_search_locations:
        return None
    data = pathlib.Path(list(spec.submodule_search_locations)[0]) / "data"
    folder = tempfile.mkdtemp(prefix="han2kip-")
    for name in ("words.json", "dict.txt"):
        os.symlink(data / name, os.path.join(folder, f"\\data\\{name}"))
    here = os.getcwd()
    os.chdir(folder)
    try:
        from han2kip.kip_converter import translate
    finally:
        os.chdir(here)
    return translate


def as_texts(rows: list[tuple[str, str]], size: int) -> list[tuple[str, str]]:
    """The rows joined `size` at a time, in order: the dev sets keep an article's sentences
    together (the iCorpus split was cut in blocks of 50 lines)."""
    return [("".join(hanji for hanji, _ in rows[i:i + size]), " ".join(tailo for _, tailo in rows[i:i + size]))
            for i in range(0, len(rows), size)]


def run(name: str, romanize, rows) -> Score:
    score = Score(name)
    started = time.perf_counter()
    outputs = [romanize(hanji) for hanji, _ in rows]
    score.seconds = time.perf_counter() - started
    for (hanji, tailo), output in zip(rows, outputs):
        score.add(syllables(tailo), syllables(output))
    return score


def unread_summary(annotator, rows) -> str:
    """How many Han characters of the set's sentences get no reading (the target is 0)."""
    occurrences, distinct = 0, set()
    for hanji, _ in rows:
        for token in annotator.annotate(hanji):
            if token.kind == "unknown":
                occurrences += len(token.text)
                distinct.update(token.text)
    return (f"fastpron   Han characters without a reading: {occurrences} "
            f"({len(distinct)} distinct{': ' + ''.join(sorted(distinct)[:20]) if distinct else ''})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gold", type=pathlib.Path, default=DEFAULT_GOLD)
    parser.add_argument("--news", type=pathlib.Path, default=DEFAULT_NEWS, help="the iCorpus dev split")
    parser.add_argument("--limit", type=int, help="only the first N sentences")
    parser.add_argument("--errors", type=int, default=15, help="how many most frequent confusions to list")
    parser.add_argument("--examples", type=int, default=6, help="how many examples to show per cause")
    parser.add_argument("--no-taibun", action="store_true", help="skip the taibun comparison")
    parser.add_argument("--texts", type=int, default=1, metavar="N",
                        help="read each set as texts of N consecutive sentences, as an article is pasted "
                             "(the register model then weighs the whole text)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    import fastpron

    if not args.gold.exists():
        print(f"accuracy: the gold file {args.gold} is absent; only our own sentences are measured.",
              file=sys.stderr)
        print(run("fastpron", fastpron.default_annotator().romanize, read_gold(REGISTER_SAMPLES)).summary())
        return 0
    gold_sets = [(f"MOE examples ({args.gold.name})", read_gold(args.gold, args.limit))]
    if args.news.exists():
        gold_sets.append((f"iCorpus news, dev split ({args.news.name})", read_icorpus(args.news, args.limit)))
    else:
        print(f"accuracy: the news dev set {args.news} is absent; it is skipped.", file=sys.stderr)
    annotators = [("fastpron", fastpron.default_annotator().romanize)]
    if not args.no_taibun:
        try:
            from taibun import Converter
        except ImportError:
            print("accuracy: taibun is not installed (pip install taibun==1.1.8); its figure is skipped.")
        else:
            annotators.append(("taibun", Converter().get))
        han2kip = load_han2kip()
        if han2kip is None:
            print("accuracy: han2kip is not installed (pip install han2kip==0.1.2); its figure is skipped.")
        else:
            annotators.append(("han2kip", han2kip))
    if args.texts > 1:
        gold_sets = [(f"{title}, as texts of {args.texts} sentences", as_texts(rows, args.texts))
                     for title, rows in gold_sets]
    causes_by_set = []
    for title, rows in gold_sets:
        print(f"\n{title}:")
        scores = [run(name, romanize, rows) for name, romanize in annotators]
        for score in scores:
            print(score.summary())
        print(unread_summary(fastpron.default_annotator(), rows))
        causes = Causes(fastpron.default_annotator(), fastpron.Annotator(dialect="south"),
                        fastpron.Annotator(dialect="north"))
        for hanji, tailo in rows:
            causes.add(hanji, syllables(tailo))
        causes_by_set.append((title, causes, scores[0]))
    # Their readings began as fastpron's output, corrected by hand: a guard
    # against changes that only fit the dev sets, not a race with taibun.
    register = read_gold(REGISTER_SAMPLES)
    print(f"\nanother register ({REGISTER_SAMPLES.relative_to(ROOT)}: news and speech, our own sentences):")
    print(run("fastpron", annotators[0][1], register).summary())
    for title, causes, ours in causes_by_set:
        print(f"\n{title}: fastpron's errors by cause ({sum(causes.counts.values())} wrong syllables;"
              " most frequent examples, output→gold):")
        for cause, text in CAUSES:
            count = causes.counts[cause]
            examples = ", ".join(f"{example} ×{n}" for example, n in causes.examples[cause].most_common(args.examples))
            print(f"  {count:6d}  {text}" + (f"\n          {examples}" if examples else ""))
        print(f"\n{title}: fastpron's {args.errors} most frequent confusions (gold -> output):")
        for (gold, output), count in ours.confusions.most_common(args.errors):
            print(f"  {count:5d}  {gold} -> {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
