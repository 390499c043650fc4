"""Normalise the open dictionaries in ../shared/data/ to TSVs the lexicon can merge.

    python lexicon_data/import_sources.py    # writes lexicon_data/sources/{taihoa,itaigi,plants}.tsv

Reads only ../shared/data/ (and lexicon.tsv / variants.tsv here, to report
what each source adds); needs neither taibun nor network.  Sources and
licences: ../shared/data/README.md and lexicon_data/README.md.

Each TSV is UTF-8, tab-separated, one header line, one row per
(hanji, reading) whatever the reading's case, sorted by hanji then reading:

    hanji    reading (numbered Tâi-lô, as lexicon.tsv writes it)    freq    gloss

``freq`` is Taihoa's count of the headword, put on the row of its first
reading (the second reading has no count of its own); empty where none.
``gloss`` is the Mandarin glosses, ``;``-separated, in first-seen order.
Rows whose Han form is not all Han characters, one per syllable, or whose
reading does not parse, are skipped and counted by reason.
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import itertools
import pathlib
import re
import sys
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fastpron.romanized import parse_poj_syllable, parse_tl_syllable  # noqa: E402
from fastpron.syllable import NEUTRAL_PREFIX, SyllableError, alternants, join_reading, parse_reading  # noqa: E402
from fastpron.systems import parse_parts  # noqa: E402

DATA = HERE.parent.parent / "shared" / "data"
OUT = HERE / "sources"
HEADER = ("hanji", "reading", "freq", "gloss")
GLOSS_SEP = ";"

# Typing slips in the sources, made uniform before splitting: a non-breaking
# hyphen, a zero-width space, a dotless i (jı̍t) and an ideographic space.
_CLEAN = str.maketrans({"\u2011": "-", "\u200b": "", "\u0131": "i", "\u3000": " "})


class ToneSix(SyllableError):
    """lexicon.tsv never writes tone 6 (merged into 7 in Taiwan); in these
    sources it is a slip (腸 tng6, 濁 tak6) or a private use of the caron (病院 pǐnn-ǐnn)."""


def is_han(ch: str) -> bool:
    """A CJK ideograph: the basic block, extension A, the compatibility block, or
    planes 2-3 (extensions B-I).  Ranges rather than character names, so that
    the output does not depend on the Unicode version of the Python running it."""
    o = ord(ch)
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def split_syllables(text: str) -> list[tuple[bool, str]]:
    """``"ah boe2--au7"`` -> [(False, "ah"), (False, "boe2"), (True, "au7")].

    Spaces separate words as a hyphen does (the lexicon joins everything with
    ``-``); two or more hyphens mark the next syllable as neutral-tone.
    """
    text = re.sub(r"\s*(-+)\s*", r"\1", text.translate(_CLEAN).strip())
    text = re.sub(r"\s+", "-", text)
    out, neutral = [], False
    for part in re.split(r"(-+)", text):
        if part.startswith("-"):
            neutral = len(part) >= 2
        elif part:
            out.append((neutral, part))
            neutral = False
    if not out:
        raise SyllableError(f"empty reading: {text!r}")
    return out


def _finish(syllables: list[str], capital: bool) -> str:
    """Join numbered syllables as lexicon.tsv does, checking each strictly."""
    for syllable in syllables:
        if syllable.endswith("6"):
            raise ToneSix(f"tone 6: {syllable!r}")
        parse_parts(syllable)
    reading = join_reading(syllables)
    if capital:
        reading = reading[:1].upper() + reading[1:]  # proper noun, as lexicon.tsv (Tai5-uan5)
    assert join_reading(parse_reading(reading.lower())) == reading.lower()
    return reading


def poj_to_tailo(text: str) -> str:
    """Taihoa's numbered POJ (``chhoa7``, ``kiaN``, ``chou2``, ``--tit``) to numbered Tâi-lô.

    Taihoa writes o͘ as ``ou`` and nasality as a capital ``N`` after the
    vowels (or after a final h: ``hiahN``); toneless syllables are tone 1 or 4.
    fastpron's own POJ reader does the rest (ch/chh, oa/oe, eng/ek).
    """
    syllables = []
    for neutral, syllable in split_syllables(text):
        # The first letter may be a proper noun's capital (Ng5, Ni); any later N is nasality.
        body = syllable[0] + syllable[1:].replace("N", "ⁿ")
        body = body.lower().replace("ou", "o\u0358")
        syllables.append((NEUTRAL_PREFIX if neutral else "") + parse_poj_syllable(body))
    return _finish(syllables, text.strip()[:1].isupper())


def tailo_numbered(text: str) -> str:
    """iTaigi's or the plant list's Tâi-lô (numbered or marked) to numbered Tâi-lô.

    Contributors sometimes typed a syllable in POJ in the Tâi-lô column
    (``Keng-kok``, ``sò͘``, ``kiàⁿ``); such a syllable is read as POJ.  No
    string is valid in both systems with different meanings, so this never
    changes a Tâi-lô syllable.
    """
    syllables = []
    for neutral, syllable in split_syllables(text):
        try:
            numbered = parse_tl_syllable(syllable)
        except SyllableError:
            numbered = parse_poj_syllable(syllable)
        syllables.append((NEUTRAL_PREFIX if neutral else "") + numbered)
    return _finish(syllables, text.strip()[:1].isupper())


class Collector:
    """Merges rows per (hanji, reading) and counts what was skipped, and why."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], list] = {}  # (hanji, lower-case reading) -> [freq, glosses]
        self.spelling: dict[tuple[str, str], str] = {}  # the same key -> the reading as written
        self.skipped: collections.Counter = collections.Counter()
        self.candidates = 0
        self.unparsed: list[tuple[str, str, str]] = []  # (hanji, reading, why), for --verbose

    def add(self, hanji: str, reading_text: str, convert, freq: int | None = None,
            glosses: list[str] = (), lower: bool = False) -> None:
        self.candidates += 1
        hanji = unicodedata.normalize("NFC", hanji.translate(_CLEAN).strip())
        if not hanji:
            self.skipped["no Han form"] += 1
            return
        if re.search(r"[A-Za-z\u00c0-\u024f]", hanji):
            self.skipped["Latin letters in the Han form"] += 1
            return
        if not all(is_han(ch) for ch in hanji):
            self.skipped["other non-Han characters in the Han form"] += 1
            return
        try:
            reading = convert(reading_text)
        except ToneSix as err:
            self.skipped["tone 6"] += 1
            self.unparsed.append((hanji, reading_text, str(err)))
            return
        except (SyllableError, ValueError, IndexError) as err:
            self.skipped["reading does not parse"] += 1
            self.unparsed.append((hanji, reading_text, str(err)))
            return
        if lower:
            reading = reading.lower()
        if len(parse_reading(reading)) != len(hanji):
            self.skipped["syllable count differs from the characters"] += 1
            return
        # One row whatever the case: a capital from any entry (a proper noun) wins.
        lowered = reading.lower()
        spelt = self.spelling.setdefault((hanji, lowered), reading)
        if spelt != reading and reading[:1].isupper():
            self.spelling[hanji, lowered] = reading
        row = self.rows.setdefault((hanji, lowered), [None, []])
        if freq is not None:
            row[0] = (row[0] or 0) + freq
        row[1].extend(g for g in glosses if g not in row[1])

    def write(self, path: pathlib.Path) -> int:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("\t".join(HEADER) + "\n")
            for (hanji, lowered), (freq, glosses) in sorted(self.rows.items()):
                reading = self.spelling[hanji, lowered]
                f.write(f"{hanji}\t{reading}\t{'' if freq is None else freq}\t{GLOSS_SEP.join(glosses)}\n")
        return len(self.rows)


def read_csv(path: pathlib.Path) -> list[dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def split_glosses(text: str) -> list[str]:
    """``;母親;媽媽;`` -> ["母親", "媽媽"]; the separator itself never appears inside a gloss."""
    return [g.strip() for g in text.replace("；", ";").split(";") if g.strip()]


def syllable_count(text: str) -> int:
    try:
        return len(split_syllables(text))
    except SyllableError:
        return 0


def alternatives(text: str, size: int) -> list[str]:
    """The readings of a field that may hold several, for a word of ``size`` characters.

    ``u7-hau3,iu2-hau3`` and ``tang7-li7；tang7-lai7`` are two readings.  A slash
    separates either whole readings (``Tai5-gi2/Tai5-gu2``, ``kai3 tse7/kai3
    tsue7``) or the choices for one syllable (``uih8/oe7-chhek``,
    ``Hai2-ti/tu-a2``); the sources write both the same way, so the reading
    that gives ``size`` syllables decides, whole readings first.
    """
    out = []
    for field in re.split(r"\s*[,，；]\s*", text.strip()):
        if not field:
            continue
        wholes = [part for part in re.split(r"\s*/\s*", field) if part]
        pieces = []
        for piece in re.split(r"(?=[-\s])", field):
            separator = piece[: len(piece) - len(piece.lstrip("- "))]
            pieces.append([separator + choice for choice in piece[len(separator):].split("/")])
        expanded = ["".join(choice) for choice in itertools.product(*pieces)]
        if all(syllable_count(r) == size for r in expanded) and not all(syllable_count(r) == size for r in wholes):
            out.extend(expanded)
        else:
            out.extend(wholes)
    return out


def import_taihoa(path: pathlib.Path) -> Collector:
    out = Collector()
    for row in read_csv(path):
        glosses = split_glosses(row["華語對譯"])
        freq = int(row["freq"]) if row["freq"].strip() else None
        size = len(row["台語漢字"].strip())
        for i, field in enumerate((row["台語羅馬字"], row["台語羅馬字2"])):
            for j, reading in enumerate(alternatives(field, size)):
                # The headword's count goes to its first reading only.
                out.add(row["台語漢字"], reading, poj_to_tailo, freq if i == j == 0 else None, glosses)
    return out


def import_chhoetaigi(path: pathlib.Path, han_column: str, lower: bool = False) -> Collector:
    """iTaigi and the plant list: KipInput (numbered Tâi-lô), KipUnicode where KipInput does not parse."""
    out = Collector()
    for row in read_csv(path):
        glosses = split_glosses(row.get("HoaBun", ""))
        # The plant list gives other writings of a name after "、" (穀精、谷精).
        for hanji in row[han_column].split("、"):
            size = len(hanji.strip())
            inputs, unicodes = alternatives(row["KipInput"], size), alternatives(row["KipUnicode"], size)
            if len(unicodes) != len(inputs):
                unicodes = inputs
            for reading, marked in zip(inputs, unicodes):
                try:
                    tailo_numbered(reading)
                except (SyllableError, ValueError, IndexError):
                    reading = marked  # a typing slip in one spelling is often absent from the other
                out.add(hanji, reading, tailo_numbered, None, glosses, lower)
    return out


def syllable_choices(reading: str) -> list[set[str]]:
    """``senn1/*sinn1-a2`` -> [{"senn1", "sinn1"}, {"a2"}]: either side of a pair, lower case."""
    return [set(alternants(s)[:2]) for s in parse_reading(reading.lower())]


def load_lexicon() -> tuple[dict[str, list], dict[str, str]]:
    """(lexicon key -> its readings as syllable_choices, variant -> standard), to compare a source with."""
    variants = {}
    with open(HERE / "variants.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            variant, standard = line.rstrip("\n").split("\t")[:2]
            variants[variant] = standard
    readings = collections.defaultdict(list)
    with open(HERE / "lexicon.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            hanji, reading = line.split("\t")[:2]
            readings[hanji].append(syllable_choices(reading))
    return readings, variants


def compare(rows, lexicon: dict[str, list], variants: dict[str, str]) -> str:
    """What a source adds to lexicon.tsv, and how often it agrees on the words both have."""
    words = collections.defaultdict(list)
    for hanji, reading in rows:
        # In the lexicon's standard key form (臺灣 is 台灣 there).
        words["".join(variants.get(c, c) for c in hanji)].append(parse_reading(reading.lower()))
    new_words = [w for w in words if len(w) > 1 and w not in lexicon]
    # Every character of lexicon.tsv is a key of its own, so a new character is one no key has.
    new_chars = {c for w in words for c in w if c not in lexicon}
    shared = [w for w in words if w in lexicon]
    agree = sum(
        any(len(choices) == len(syllables) and all(s in c for s, c in zip(syllables, choices))
            for syllables in words[w] for choices in lexicon[w])
        for w in shared)
    return (f"  adds beyond lexicon.tsv: {len(new_words)} words of two or more characters; "
            f"{len(new_chars)} characters, {len(new_chars & set(words))} of them with an entry of their own\n"
            f"  of the {len(shared)} words lexicon.tsv has too, {agree} ({agree / max(len(shared), 1):.1%}) "
            f"have one of its readings")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=pathlib.Path, default=DATA)
    parser.add_argument("--out", type=pathlib.Path, default=OUT)
    parser.add_argument("--verbose", action="store_true", help="list the readings that do not parse")
    args = parser.parse_args(argv)
    sources = {
        "taihoa": lambda: import_taihoa(args.data / "taihoa" / "Taihoa.csv.gz"),
        "itaigi": lambda: import_chhoetaigi(
            args.data / "chhoetaigi" / "ChhoeTaigi_iTaigiHoataiTuichiautian.csv.gz", "HanLoTaibunKip"),
        # Every plant name is capitalised as a heading, not as a proper noun.
        "plants": lambda: import_chhoetaigi(
            args.data / "chhoetaigi" / "ChhoeTaigi_TaioanSitbutMialui.csv.gz", "HanLoTaibunPoj", lower=True),
    }
    if not (args.data / "taihoa" / "Taihoa.csv.gz").exists():
        sys.exit(f"{args.data} does not hold the source data (see ../shared/data/README.md)")
    lexicon, variants = load_lexicon()
    for name, run in sources.items():
        collected = run()
        count = collected.write(args.out / f"{name}.tsv")
        print(f"{name}: wrote {count} rows to {args.out / name}.tsv "
              f"({collected.candidates} readings read, {sum(collected.skipped.values())} skipped)")
        for reason, n in sorted(collected.skipped.items()):
            print(f"  skipped, {reason}: {n}")
        if args.verbose:
            for hanji, reading, why in collected.unparsed:
                print(f"    {hanji}\t{reading}\t{why}")
        print(compare(collected.rows, lexicon, variants))
    return 0


if __name__ == "__main__":
    sys.exit(main())
