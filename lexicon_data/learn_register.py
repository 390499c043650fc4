"""Learn the register model: how much a sentence looks like news rather than everyday speech.

    python lexicon_data/learn_register.py    # writes lexicon_data/register.tsv

News and everyday speech read some characters differently (佮 kap in news,
kah in speech; 和 hâm; 用 īng).  fastpron reads a sentence with the news
corpus's preferred readings when the sentence looks like news: when its
characters are, on average, more likely under a character bigram model of
the iCorpus train split (news) than under a character bigram model of the
dictionaries' headwords (taibun's data, Taihoa, iTaigi: everyday words).

A sentence's score is the mean, over its Han characters c1..cn, of

    c1:            unigram(c1)
    ck after ck-1: pair(ck-1, ck), or unigram(ck) + UNSEEN_PAIR when neither
                   model has that pair

    unigram(c)  = log P_news(c) - log P_dict(c)
    pair(a, b)  = log P_news(b | a) - log P_dict(b | a)
    P_m(b | a)  = (1 - LAMBDA_m) P_m(b) + LAMBDA_m count_m(a b) / count_m(a)
    UNSEEN_PAIR = log(1 - NEWS_LAMBDA) - log(1 - DICTIONARY_LAMBDA)

with add-SMOOTHING unigram estimates over VOCABULARY characters; a news pair
counts when seen MIN_PAIR_COUNT times, a pair within a headword when seen
once.  A sentence is news when its score is above THRESHOLD.  The weights
are written in thousandths (integers), so the core and the reference add
exactly the same numbers.  Only the train split is read; the lambdas,
SMOOTHING and THRESHOLD were tuned on the dev sets as a whole (a handful of
general constants, no reading).  The headwords' pairs (遮爾, 毋通: everyday
words are pairs of characters as much as news words are) took the news dev
sentences read as news from 64% to 70% at the 12% of the MOE examples that
the headwords' unigram model flagged.

Output ``register.tsv``: ``chars`` (one character, two characters, or empty
for a character neither model has) and ``weight``; a first row ``#threshold``
and ``#unseen_pair`` hold the two constants.
"""

from __future__ import annotations

import argparse
import collections
import math
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fastpron.lexicon import canonical, read_variants  # noqa: E402
from fastpron.reference import is_han  # noqa: E402
sys.path.insert(0, str(HERE))
from import_icorpus import read_split  # noqa: E402

DEFAULT_CORPUS = HERE.parent.parent / "shared" / "data" / "icorpus" / "train.tsv.gz"
DICTIONARIES = ("taibun", "itaigi", "taihoa")
NEWS_LAMBDA = 0.5          # weight of the news bigram against its unigram
DICTIONARY_LAMBDA = 0.2    # the same for the dictionaries' words
SMOOTHING = 0.5            # add-k for the unigram estimates
VOCABULARY = 60_000        # characters the add-k spreads over
MIN_PAIR_COUNT = 2         # pairs seen fewer times are left to the unigram (a smaller model, same accuracy)
THRESHOLD = 0.7            # mean log-ratio above which a sentence reads as news
SCALE = 1000               # weights in thousandths


def han_characters(text: str, variants: dict[str, str]) -> list[str]:
    return [ch for ch in canonical(text, variants) if is_han(ch)]


def news_sentences(path: pathlib.Path, variants: dict[str, str]):
    for sentence in read_split(path):
        yield han_characters("".join(word for word, _ in sentence), variants)


def dictionary_words(variants: dict[str, str]):
    for name in DICTIONARIES:
        with open(HERE / "sources" / f"{name}.tsv", encoding="utf-8") as f:
            next(f)
            for line in f:
                yield han_characters(line.split("\t", 1)[0], variants)


class Bigrams:
    """Character and character-pair counts, with add-SMOOTHING unigram and interpolated bigram estimates."""

    def __init__(self):
        self.chars, self.pairs, self.before = collections.Counter(), collections.Counter(), collections.Counter()
        self.size = 0               # characters added: the unigram's denominator, kept rather than summed per call

    def add(self, chars: list[str]) -> None:
        self.chars.update(chars)
        self.pairs.update(zip(chars, chars[1:]))
        self.before.update(chars[:-1])
        self.size += len(chars)

    def p(self, ch: str) -> float:
        return (self.chars[ch] + SMOOTHING) / (self.size + SMOOTHING * VOCABULARY)

    def p_after(self, a: str, b: str, weight: float, min_count: int) -> float:
        """P(b | a): the unigram, mixed with the pair's share when the pair was seen min_count times."""
        count = self.pairs[(a, b)]
        unigram = (1 - weight) * self.p(b)
        return unigram + weight * count / self.before[a] if count >= min_count else unigram


def learn(corpus: pathlib.Path, variants: dict[str, str], threshold: float = THRESHOLD) -> list[tuple[str, int]]:
    news, words = Bigrams(), Bigrams()
    for chars in news_sentences(corpus, variants):
        news.add(chars)
    for chars in dictionary_words(variants):
        words.add(chars)

    def milli(x):
        return round(x * SCALE)

    unseen = math.log(1 - NEWS_LAMBDA) - math.log(1 - DICTIONARY_LAMBDA)
    rows = [("#threshold", milli(threshold)), ("#unseen_pair", milli(unseen)),
            ("", milli(math.log(news.p("")) - math.log(words.p(""))))]
    rows += [(ch, milli(math.log(news.p(ch)) - math.log(words.p(ch))))
             for ch in sorted(set(news.chars) | set(words.chars))]
    seen = {pair for pair, count in news.pairs.items() if count >= MIN_PAIR_COUNT} | set(words.pairs)
    for a, b in sorted(seen):
        rows.append((a + b, milli(math.log(news.p_after(a, b, NEWS_LAMBDA, MIN_PAIR_COUNT))
                                  - math.log(words.p_after(a, b, DICTIONARY_LAMBDA, 1)))))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=pathlib.Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=pathlib.Path, default=HERE / "register.tsv")
    parser.add_argument("--threshold", type=float, default=THRESHOLD, help="to try another on the dev sets")
    args = parser.parse_args(argv)
    rows = learn(args.corpus, read_variants(HERE / "variants.tsv"), args.threshold)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("chars\tweight\n")
        f.writelines(f"{chars}\t{weight}\n" for chars, weight in rows)
    print(f"wrote {len(rows)} register weights to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
