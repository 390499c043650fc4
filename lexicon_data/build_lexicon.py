"""Build lexicon_data/lexicon.tsv from the sources in lexicon_data/sources/.

    python lexicon_data/build_lexicon.py

Sources (each written by its import script; see README.md here):

* ``taibun.tsv``: 台華線頂對照典 and iTaigi via taibun 1.1.8 (import_taibun.py),
  with its derived weights, fastpron's preferred readings and phrases;
* ``taihoa.tsv``, ``itaigi.tsv``, ``plants.tsv`` (import_sources.py), when
  present: more dictionaries, adding the words and readings taibun's data lacks;
* ``icorpus.tsv`` (import_icorpus.py): how often each word of the iCorpus
  train split was read each way;
* ``estimated.tsv`` (import_estimated.py): a reading for each Big5 character
  that the others lack, read off their words or estimated from the 廣韻.

The model the weights encode, a reading's score within its key:

* a word of two or more characters: ``count + DICTIONARY_PRIOR × share``,
  where ``count`` is how often the corpus reads the word that way and
  ``share`` the reading's part of the dictionaries' weight for the word.  A
  reading the dictionaries give wins unless the corpus reads the word
  otherwise more than DICTIONARY_PRIOR times.  A corpus reading with a
  syllable no dictionary gives its character (就是 tio̍h-sī) comes after the
  others, whatever its count (mark_news_only);
* a single character keeps the dictionaries' order: the corpus writes its
  register's conventions (就 tsiū, 佮 kap) into standalone characters, where
  everyday speech reads them otherwise, and it adds the readings it has
  after the dictionaries' own.  Only a reading the corpus gives the standing-
  alone character at least CORPUS_OVERRULES times as often as the first
  one (and CORPUS_OVERRULES times at the least) comes first: 和 hâm, 564
  times against hām's once.  Where the dictionaries are themselves nearly
  divided (another reading at least DICTIONARY_TIE of the first's weight:
  代 tē 131, tāi 124), the reading the corpus gives most where fastpron cuts
  the character out comes first, for every register (代 tāi, 巧 khiáu).

A key's news reading, which a sentence that reads as news takes (the
``register`` column; learn_register.py decides which sentences do), is the
reading the train split gives most where fastpron's segmenter, on these keys,
cuts the key out of its sentences, when that is not the key's first reading:
the corpus's own words are cut otherwise (兩个, 兩分 are words of its own, so
兩 standing alone there is mostly the weight niú, where fastpron's 兩 alone is
mostly nn̄g before a classifier), and when the train split reads it so
clearly more often than the first way (clearly_more: 阮 gún 6 times against
guán's 3 is no news reading).

A key's commonness, which the segmenter turns into its cost
(fastpron/lexicon.py: entry_cost), is its dictionary weight plus its corpus
count.  The TSV's weight column carries both: the best reading weighs the
commonness, the others their score's share of it.  Everything is derived
from the sources alone; the constants are the only values tuned, on the dev
sets as a whole.
"""

from __future__ import annotations

import argparse
import collections
import math
import os
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
SOURCES = HERE / "sources"
sys.path.insert(0, str(HERE.parent))
from fastpron.lexicon import canonical, read_variants  # noqa: E402
from fastpron.reference import KIND_CHAR, KIND_WORD  # noqa: E402
from fastpron.syllable import SyllableError, alternants, join_reading, parse_reading  # noqa: E402
sys.path.insert(0, str(HERE))
from import_icorpus import corpus_reading, read_split  # noqa: E402

TSV_HEADER = ("hanji", "reading", "source", "weight", "context")
LEXICON_HEADER = TSV_HEADER + ("register",)
DICTIONARY_PRIOR = 5       # pseudo-count of the dictionaries' reading of a word
CORPUS_OVERRULES = 20      # how much more often the corpus must read a character otherwise
NEWS_SIGNIFICANCE = 1.5    # how clearly the corpus must prefer a news reading to the first (clearly_more)
DICTIONARY_TIE = 0.3       # a character's reading this near the first in the dictionaries: the corpus chooses
TRAIN = HERE.parent.parent / "shared" / "data" / "icorpus" / "train.tsv.gz"
EXTRA_DICTIONARIES = ("taihoa", "itaigi", "plants")


class Row:
    """One reading of a key while merging."""
    __slots__ = ("reading", "sources", "weight", "context", "count", "news_only")

    def __init__(self, reading: str, sources: list[str], weight: int, context: str = "", count: int = 0):
        self.reading, self.sources, self.weight, self.context, self.count = reading, sources, weight, context, count
        self.news_only = False      # see mark_news_only


def write_tsv(rows: list[tuple], path: pathlib.Path, header: tuple = TSV_HEADER) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(header) + "\n")
        for row in rows:
            f.write("\t".join(str(field) for field in row) + "\n")


def read_rows(path: pathlib.Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        return [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f if line.strip()]


def spoken_forms(syllable: str) -> set[str]:
    """Every form a stored syllable stands for, lower case, without ``--``: ``beh4/bueh4`` -> both."""
    south, north, _ = alternants(syllable.lower().removeprefix("--"))
    return {south, north.removeprefix("*")}


def same_reading(stored: str, other: str) -> bool:
    """Does `other` read like `stored`, one of its alternants included (case and ``--`` aside)?"""
    a, b = parse_reading(stored), parse_reading(other)
    return len(a) == len(b) and all(spoken_forms(y) & spoken_forms(x) for x, y in zip(a, b))


def alternant_table(keys: dict[str, list[Row]]) -> dict[str, dict[str, str]]:
    """char -> {form: the alternant pair the dictionaries write it in}: 欲 -> {beh4: beh4/bueh4, bueh4: ...}."""
    table: dict[str, dict[str, str]] = collections.defaultdict(dict)
    for key, rows in keys.items():
        for row in rows:
            for char, syllable in zip(key, parse_reading(row.reading)):
                plain = syllable.lower().removeprefix("--")
                if "/" in plain:
                    pair = plain.replace("/*", "/")
                    for form in spoken_forms(plain):
                        table[char].setdefault(form, pair)
    return table


def with_alternants(key: str, reading: str, table: dict[str, dict[str, str]]) -> str:
    """A reading from a source without alternants, written with the dictionaries' pairs,
    so that the usual form (and the `dialect` option) applies to it too."""
    out = []
    for char, syllable in zip(key, parse_reading(reading)):
        prefix = "--" if syllable.startswith("--") else ""
        plain = syllable.removeprefix("--")
        out.append(prefix + table.get(char, {}).get(plain, plain))
    return join_reading(out)


def add_reading(rows: list[Row], reading: str, source: str, weight: int = 0, count: int = 0) -> None:
    for row in rows:
        if same_reading(row.reading, reading):
            row.count += count
            row.weight += weight
            if source not in row.sources:
                row.sources.append(source)
            return
    rows.append(Row(reading, [source], weight, "", count))


def corpus_reads(row: Row, cut: dict[str, int] | None) -> int:
    """How often the corpus reads the key as `row` where fastpron cuts it out (else, where
    the corpus's own words are the key)."""
    if cut is None:
        return row.count
    return sum(n for reading, n in cut.items() if same_reading(row.reading, reading))


def close_call(first: Row, other: Row) -> bool:
    """Do the dictionaries give a character's `other` reading nearly as often as its first
    (DICTIONARY_TIE), so that the corpus may choose between them?  fastpron's own
    preferred_readings.tsv stays first."""
    return ("preferred" not in first.sources and other.weight > 0
            and other.weight >= DICTIONARY_TIE * first.weight)


def clearly_more(news: int, first: int) -> bool:
    """Does the corpus read a key the news way clearly more often than the first way?  Where it
    reads it both ways, the difference must stand NEWS_SIGNIFICANCE standard deviations of a
    fair coin (阮 gún 6 times, guán 3: no); a reading the corpus never gives the first way
    needs no more than once (加開 ka-khui)."""
    return first == 0 or (news - first) / math.sqrt(news + first) >= NEWS_SIGNIFICANCE


def ranked_rows(keys: dict[str, list[Row]], where_cut: dict | None = None) -> list[tuple]:
    """The TSV rows: each key's readings best first, with their weights (see the module's doc)."""
    out = []
    for key in sorted(keys):
        rows = keys[key]
        cut = (where_cut or {}).get(key)
        reads = {row: corpus_reads(row, cut) for row in rows}
        if len(key) == 1:
            # dictionary order; corpus-only readings after it
            ranked = sorted(rows, key=lambda row: -row.weight)
            weights = [max(row.weight, 1) for row in ranked]
            best = max(ranked, key=lambda row: row.count)
            if best.count < CORPUS_OVERRULES * max(ranked[0].count, 1):
                # no landslide: the corpus still chooses where the dictionaries nearly tie
                best = max(ranked, key=reads.__getitem__)
                if not (reads[best] and close_call(ranked[0], best)):
                    best = ranked[0]
            if best is not ranked[0]:
                ranked.remove(best)
                ranked.insert(0, best)
                weights = [max(weights)] + weights[1:]
        else:
            total = sum(row.weight for row in rows) or 1
            scores = [row.count + DICTIONARY_PRIOR * row.weight / total for row in rows]
            order = sorted(range(len(rows)), key=lambda i: (rows[i].news_only, -scores[i]))
            ranked = [rows[i] for i in order]
            commonness = max(row.weight for row in rows)
            if rows[0].context != "phrase":          # words apart must not outweigh a real word (攏無|閒)
                commonness += sum(row.count for row in rows)
            weights = [max(1, round(commonness * scores[i] / scores[order[0]])) if scores[order[0]] else 1
                       for i in order]
            for k in range(1, len(weights)):      # rounding must not reorder
                weights[k] = min(weights[k], weights[k - 1])
        # The reading the corpus gives most where fastpron cuts the key out of its sentences
        # (else, where the corpus's own words are the key), when it is not the first: news
        # sentences take it (learn_register.py decides which sentences read as news).
        news = max(ranked, key=reads.__getitem__)
        if news is ranked[0] or not reads[news] or not clearly_more(reads[news], reads[ranked[0]]):
            news = None
        for row, weight in zip(ranked, weights):
            out.append((key, row.reading, ",".join(row.sources), weight, row.context, "news" if row is news else ""))
    return out


def listed_syllables(keys: dict[str, list[Row]]) -> dict[str, set[str]]:
    """char -> every syllable the dictionaries (not the corpus) read it with."""
    listed: dict[str, set[str]] = collections.defaultdict(set)
    for key, rows in keys.items():
        if len(key) == 1:
            for row in rows:
                if row.sources != ["icorpus"]:
                    listed[key].update(form for syllable in parse_reading(row.reading)
                                       for form in spoken_forms(syllable))
    return listed


def unlisted(key: str, reading: str, listed: dict[str, set[str]]) -> bool:
    """Does `reading` give a character of `key` a syllable no dictionary gives it (就是 tio̍h-sī)?
    Such readings are the news corpus's conventions of writing (a character chosen for its
    sense): a word reads so only in a sentence that reads as news (mark_news_only)."""
    return any(char in listed and not spoken_forms(syllable) & listed[char]
               for char, syllable in zip(key, parse_reading(reading)))


def adds_a_word(key: str, reading: str, listed: dict[str, set[str]], dictionary_words) -> bool:
    """Does another dictionary's word `key` read `reading` add to taibun's data?  Only when
    each syllable is one taibun's data gives the character (`listed`: Taihoa also writes
    another accent, 相 siang, 批 phe, 煮 tsi), and when taibun's words do not read it so
    already (莫去 stays mài khì, two words)."""
    if len(parse_reading(reading)) != len(key) or unlisted(key, reading, listed):
        return False
    words = dictionary_words(key)
    return words is None or not same_reading("-".join(word_reading for _, word_reading in words), reading)


def mark_news_only(keys: dict[str, list[Row]], listed: dict[str, set[str]]) -> None:
    """Flag the corpus's unlisted readings of words: they rank after the others, however
    often the corpus has them, and only a sentence that reads as news takes them.  (A
    character's corpus readings rank after the dictionaries' anyway: ranked_rows.)"""
    for key, rows in keys.items():
        if len(key) > 1:
            for row in rows:
                row.news_only = row.sources == ["icorpus"] and unlisted(key, row.reading, listed)


def write_lexicon(keys: dict[str, list[Row]], variants: dict[str, str], folder: pathlib.Path) -> pathlib.Path:
    """These keys as a lexicon TSV in `folder`, with the variants beside it (no register model)."""
    tsv = folder / "lexicon.tsv"
    write_tsv(ranked_rows(keys), tsv, LEXICON_HEADER)
    (folder / "variants.tsv").write_text(
        "variant\tstandard\n" + "".join(f"{v}\t{s}\n" for v, s in variants.items()), encoding="utf-8")
    return tsv


def dictionary_reader(keys: dict[str, list[Row]], variants: dict[str, str]):
    """A function that cuts text into the dictionaries' words, as fastpron would segment it."""
    import tempfile
    from fastpron.reference import ReferenceAnnotator
    with tempfile.TemporaryDirectory() as folder:
        reader = ReferenceAnnotator(lexicon=write_lexicon(keys, variants, pathlib.Path(folder)))

    def dictionary_words(text: str) -> list[tuple[str, str]] | None:
        """How the dictionaries' words cut and read `text`; None where a character is missing."""
        segments = reader.segment(text)
        if any(segment.entry is None for segment in segments):
            return None
        return [(text[segment.start:segment.end], join_reading(segment.reading.syllables).lower())
                for segment in segments]
    return dictionary_words


def corpus_sentences(path: pathlib.Path):
    """(text, the gold syllable of each of its characters, None where it has none) of each
    sentence of an iCorpus split."""
    def syllable(text: str) -> str | None:
        try:
            return corpus_reading(text)[0]
        except SyllableError:
            return None          # a kana's mark (ガス 1ga1-1suh4), a letter

    for sentence in read_split(path):
        gold: list[str | None] = []
        for word, reading in sentence:
            syllables = reading.lower().split("-")
            if len(syllables) == len(word) and all(s[-1:].isdigit() for s in syllables):
                gold += [syllable(s) for s in syllables]
            else:                # a romanised word, or a slip of the corpus's (女兵 li2-pen)
                gold += [None] * len(word)
        yield "".join(word for word, _ in sentence), gold


def readings_where_cut(keys: dict[str, list[Row]], variants: dict[str, str], corpus: pathlib.Path) -> dict:
    """key -> {reading: count}: how the corpus reads each stretch where fastpron's segmenter,
    on these keys, cuts its sentences.  The corpus's own words are cut otherwise (兩 alone
    is mostly the weight niú there, as 兩个, 兩分 are words of its own)."""
    import tempfile
    from unittest import mock
    from fastpron.annotator import Annotator
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    with tempfile.TemporaryDirectory() as folder:
        # the core, for speed (the reference segments the same way, 40 times slower); its
        # compiled lexicon goes to the temporary folder too
        with mock.patch.dict(os.environ, {"XDG_CACHE_HOME": folder}):
            annotator = Annotator(lexicon=write_lexicon(keys, variants, pathlib.Path(folder)))
        for text, gold in corpus_sentences(corpus):
            if len(gold) != len(text):
                continue
            for token in annotator.annotate(text):
                if token.kind not in (KIND_CHAR, KIND_WORD):
                    continue
                syllables = gold[token.start:token.end]
                if None not in syllables:
                    counts[canonical(token.text, variants)]["-".join(syllables)] += 1
    return counts


def merge(sources: pathlib.Path = SOURCES, variants: dict[str, str] | None = None,
          train: pathlib.Path | None = TRAIN) -> list[tuple]:
    variants = variants if variants is not None else read_variants(HERE / "variants.tsv")
    keys: dict[str, list[Row]] = {}
    for fields in read_rows(sources / "taibun.tsv"):
        keys.setdefault(fields["hanji"], []).append(
            Row(fields["reading"], fields["source"].split(","), int(fields["weight"]), fields["context"]))
    table = alternant_table(keys)
    taibun_keys = set(keys)

    # Other dictionaries: the characters and words taibun's data lacks (參詳
    # tsham-siông).  With every word of theirs as a key the MOE examples were
    # at 3.40%; with the words adds_a_word lets in, 3.14% (3.25% without).
    taibun_syllables = listed_syllables(keys)
    taibun_words = dictionary_reader(keys, variants)
    for name in EXTRA_DICTIONARIES:
        path = sources / f"{name}.tsv"
        if not path.exists():
            continue
        for fields in read_rows(path):
            key = canonical(fields["hanji"], variants)
            if key in taibun_keys:
                continue
            if len(key) > 1 and not adds_a_word(key, fields["reading"], taibun_syllables, taibun_words):
                continue
            add_reading(keys.setdefault(key, []), with_alternants(key, fields["reading"], table), name,
                        weight=1)
    # Characters no dictionary above has (import_estimated.py): read off the
    # sources' words, or estimated from the 廣韻 (context "estimated").
    estimated = sources / "estimated.tsv"
    if estimated.exists():
        have = set(keys)
        for fields in read_rows(estimated):
            key = canonical(fields["hanji"], variants)
            if key not in have:
                basis = fields["basis"]
                add_reading(keys.setdefault(key, []), fields["reading"], "words" if basis == "word" else basis)
                keys[key][-1].context = "estimated" if basis in ("qieyun", "mandarin", "hand") else ""
    for rows in keys.values():
        for row in rows:
            row.weight = row.weight or 1

    corpus = sources / "icorpus.tsv"
    if corpus.exists():
        # A word only the corpus has, made of characters that the dictionaries
        # read as words apart (一本, 這本: number and classifier), keeps them
        # apart in writing: tsi̍t pún, not tsi̍t-pún.
        dictionary_words = dictionary_reader(keys, variants)
        known_syllables = {form for rows in keys.values() for row in rows
                           for syllable in parse_reading(row.reading) for form in spoken_forms(syllable)}
        listed = listed_syllables(keys)
        readings_of: dict[str, list[tuple[str, int]]] = {}      # each corpus key's readings, in file order
        for fields in read_rows(corpus):
            key = canonical(fields["hanji"], variants)
            reading = with_alternants(key, fields["reading"], table)
            if not all(spoken_forms(syllable) <= known_syllables for syllable in parse_reading(reading)):
                continue                 # a spelling no dictionary uses (a slip, or a sub-dialect's vowel)
            readings_of.setdefault(key, []).append((reading, int(fields["count"])))
        for key, readings in readings_of.items():
            if any(row.context == "phrase" for row in keys.get(key, ())):
                continue                 # our grammar phrases decide their own reading
            if key not in keys and len(key) > 1:
                words = dictionary_words(key)
                merged: list[Row] = []
                for reading, count in readings:
                    add_reading(merged, reading, "icorpus", count=count)
                most_read = max(merged, key=lambda row: row.count).reading
                if words is not None and (all(len(word) == 1 for word, _ in words)
                                          or unlisted(key, most_read, listed)):
                    # Characters the corpus joins: the dictionaries read them apart, and
                    # their reading weighs as a dictionary's would (就會 tō ē unless
                    # the corpus says tio̍h-ē more than DICTIONARY_PRIOR times).  Read
                    # otherwise, they are a word of the corpus's, written with hyphens
                    # (認養 jīn-ióng, where the characters alone read jīn iúnn).  So are
                    # words whose reading only news writes so (就是愛 tio̍h-sī-ài: tsiū-sī ài).
                    keys[key] = [Row("-".join(reading for _, reading in words), ["dictionary"], 1, "phrase")]
                elif words is not None and same_reading("-".join(r for _, r in words), most_read):
                    # The dictionaries' words read it so already (美麗 + 的), as the corpus
                    # mostly does: its rarer readings must not become a word of their own
                    # (按呢的 àn-ne ê, 3 times against án-ne ê's 72).
                    continue
                else:
                    keys[key] = [Row(most_read, ["icorpus"], 0, "")]
            for reading, count in readings:
                add_reading(keys.setdefault(key, []), reading, "icorpus", count=count)
        mark_news_only(keys, listed)
        if train is not None and train.exists():
            return ranked_rows(keys, readings_where_cut(keys, variants, train))

    return ranked_rows(keys)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=HERE / "lexicon.tsv")
    parser.add_argument("--sources", type=pathlib.Path, default=SOURCES,
                        help="the folder of the import scripts' TSVs (benchmarks/heldout.py gives another)")
    parser.add_argument("--corpus", type=pathlib.Path, default=TRAIN,
                        help="the iCorpus train split, whose sentences decide each key's news reading")
    args = parser.parse_args(argv)
    rows = merge(args.sources, train=args.corpus)
    write_tsv(rows, args.out, LEXICON_HEADER)
    print(f"wrote {len(rows)} readings of {len({row[0] for row in rows})} keys to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
