"""Readings for every Big5 character the lexicon lacks: sources/estimated.tsv.

    pip install "qieyun==0.13.3" "pypinyin==0.55.0"   # only here: 廣韻 positions (CC0), Mandarin (MIT)
    python lexicon_data/import_estimated.py [--folds 10]

Every character of Big5's two levels (as Python's big5 codec lists them),
the unified form of every CJK compatibility ideograph, every Han character
in the sources' words, and every other Han character that the 廣韻 or
pypinyin knows gets at least one reading where it can, in this order:

1. ``word``: the character is read inside the words of our sources
   (sources/*.tsv: taibun's data, Taihoa, iTaigi, the plant names, the
   iCorpus train split), one syllable per character: its most frequent
   syllable there (and a second one read at least half as often).
2. ``qieyun``: an estimate from the character's Middle Chinese position in
   the 廣韻 (the ``qieyun`` package, CC0): a mapping from positions to
   literary Tâi-lô learned from the characters whose readings the lexicon
   has.  The whole syllable of the most common reading among the known
   characters of the same small rhyme (same position), or else the initial,
   final and tone each voted by the known characters that share the
   position's initial (母), its rhyme (韻, 呼, 等, 重紐) or tone class (聲,
   清濁), backing off to coarser keys (攝, 等; 組).
   These rows are marked estimated in the lexicon (context ``estimated``).
3. ``mandarin``: for a character the 廣韻 lacks (您, 她, 氟), the Tâi-lô
   syllable that the known characters of its Mandarin syllable (pypinyin,
   MIT) most often have.  Also marked estimated.
4. ``hand``: the few Big5 characters none of these reach (BY_HAND).

Characters neither way reaches (no source word, no 廣韻 entry) are listed
on stderr.  The estimate's accuracy is measured by cross-validation on the
known characters (--folds), and printed: README.md quotes it.

Output: UTF-8 TSV ``hanji reading basis``, sorted by hanji then basis order.
"""

from __future__ import annotations

import argparse
import collections
import csv
import pathlib
import random
import re
import sys
import unicodedata

HERE = pathlib.Path(__file__).resolve().parent
SOURCES = HERE / "sources"
OUT = SOURCES / "estimated.tsv"
sys.path.insert(0, str(HERE.parent))
from fastpron.lexicon import canonical, compatibility_variants, read_variants  # noqa: E402

SYLLABLE = re.compile(r"^(ph|p|m|b|th|t|n|l|kh|k|ng|g|h|tsh|ts|s|j|)([a-z]+?)([1-9])$")


# Big5 characters that neither the sources' words nor either estimate reach,
# read by hand (literary readings, general knowledge); marked estimated too.
BY_HAND = {"您": "lin2", "讒": "tsam5", "覅": "hiau3", "檽": "ju5"}


def big5_characters() -> list[str]:
    out = []
    for lead in range(0xA4, 0xFA):
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            code = (lead << 8) | trail
            if not (0xA440 <= code <= 0xC67E or 0xC940 <= code <= 0xF9D5):
                continue
            try:
                out.append(bytes([lead, trail]).decode("big5"))
            except UnicodeDecodeError:
                pass
    return out


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x323AF)


def targets() -> list[str]:
    chars = set(big5_characters())
    chars.update(compatibility_variants().values())
    return sorted(chars)


def read_tsv_rows(path: pathlib.Path):
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            fields = line.rstrip("\n").split("\t")
            yield dict(zip(header, fields))


def plain(syllable: str) -> list[str]:
    """The forms of a lexicon syllable: ji7/li7 -> [ji7, li7]; no neutral-tone dashes."""
    return [form.lstrip("-").lower() for form in syllable.split("/")]


ESTIMATED_SOURCES = {"words", "qieyun", "mandarin", "hand"}     # build_lexicon.py's names for our rows


def lexicon_characters(variants) -> dict[str, list[str]]:
    """Standard character -> its readings in lexicon.tsv (forms split)."""
    known: dict[str, list[str]] = {}
    for row in read_tsv_rows(HERE / "lexicon.tsv"):
        if set(row.get("source", "").split(",")) <= ESTIMATED_SOURCES:
            continue                     # this script's own rows, from an earlier run
        key = canonical(row["hanji"], variants)
        if len(key) == 1 and "-" not in row["reading"].strip("-"):
            forms = known.setdefault(key, [])
            for form in plain(row["reading"]):
                if form not in forms:
                    forms.append(form)
    return known


def word_syllables(variants) -> dict[str, collections.Counter]:
    """Character -> how often each syllable reads it inside the sources' words."""
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for path in sorted(SOURCES.glob("*.tsv")):
        if path.name == OUT.name:
            continue
        for row in read_tsv_rows(path):
            key = canonical(row.get("hanji", ""), variants)
            syllables = [s for s in re.split(r"-+", row.get("reading", "").strip("-")) if s]
            if len(key) != len(syllables) or len(key) < 2:
                continue
            weight = int(row.get("count") or 1) if "count" in row else 1
            for ch, syllable in zip(key, syllables):
                counts[ch][plain(syllable)[0]] += weight
    return counts


# ---------------------------------------------------------------- the 廣韻 estimate

def qieyun_positions() -> dict[str, list]:
    """Character -> its 廣韻 positions (音韻地位), in the book's order."""
    import Qieyun
    from Qieyun import 音韻地位
    path = pathlib.Path(Qieyun.__file__).with_name("rhyme_book.csv")
    cache: dict[str, object] = {}
    out: dict[str, list] = collections.defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["資料名稱"] != "廣韻":
                continue
            char = row["字頭"] or row["字頭覈校前"]
            description = row["最簡描述"]
            if len(char) != 1 or not description:
                continue
            if description not in cache:
                cache[description] = 音韻地位.from描述(description)
            if cache[description] not in out[char]:
                out[char].append(cache[description])
    return out


def split_syllable(syllable: str):
    match = SYLLABLE.match(syllable)
    return match.groups() if match else None


def initial_keys(p):
    return [("母", p.母, p.等), ("母", p.母)]


def final_keys(p):
    entering = p.聲 == "入"
    return [("韻", p.韻, p.呼, p.等, p.重紐, entering), ("韻", p.韻, p.呼, entering),
            ("攝", p.攝, p.呼, p.等, entering), ("攝", p.攝, entering)]


def tone_keys(p):
    return [("聲", p.聲, p.清濁), ("聲", p.聲)]


class Estimator:
    """Votes from known characters, by position and by its parts."""

    def __init__(self, known: dict[str, list[str]], positions: dict[str, list]):
        self.whole: dict = collections.defaultdict(collections.Counter)
        self.parts: dict = collections.defaultdict(collections.Counter)
        for char, readings in known.items():
            char_positions = positions.get(char)
            if not char_positions:
                continue
            # each reading votes once, for the position it fits best (the first one)
            p = char_positions[0]
            for reading in readings:
                parts = split_syllable(reading)
                if parts is None:
                    continue
                weight = 1.0 / len(readings)
                self.whole[p.描述][reading] += weight
                initial, final, tone = parts
                for key in initial_keys(p):
                    self.parts[key][initial] += weight
                for key in final_keys(p):
                    self.parts[key][final] += weight
                for key in tone_keys(p):
                    self.parts[key][tone] += weight

    def _vote(self, keys):
        for key in keys:
            if self.parts.get(key):
                return self.parts[key].most_common(1)[0][0]
        return None

    def estimate(self, p) -> str | None:
        if self.whole.get(p.描述):
            return self.whole[p.描述].most_common(1)[0][0]
        initial, final, tone = self._vote(initial_keys(p)), self._vote(final_keys(p)), self._vote(tone_keys(p))
        if initial is None or final is None or tone is None:
            return None
        if p.聲 == "入" and final[-1:] not in ("p", "t", "k", "h"):
            return None
        if final[-1:] in ("p", "t", "k", "h") and tone not in ("4", "8"):
            tone = "8" if p.清濁 in ("全濁", "次濁") else "4"
        guess = initial + final + tone
        return guess if valid(guess) else None


class MandarinEstimator:
    """The last resort, for characters the 廣韻 lacks (您, 她, 氟): the Tâi-lô
    syllable most often read by the known characters of the same Mandarin
    syllable (pypinyin's, MIT), with its tone, else without it."""

    def __init__(self, known: dict[str, list[str]]):
        self.votes: dict = collections.defaultdict(collections.Counter)
        for char, readings in known.items():
            for pinyin in mandarin(char)[:1]:
                for reading in readings:
                    self.votes[pinyin][reading] += 1.0 / len(readings)
                    self.votes[pinyin.rstrip("012345")][reading] += 1.0 / len(readings)

    def estimate(self, char: str) -> str | None:
        for pinyin in mandarin(char)[:1]:
            for key in (pinyin, pinyin.rstrip("012345")):
                if self.votes.get(key):
                    return self.votes[key].most_common(1)[0][0]
        return None


def mandarin(char: str) -> list[str]:
    from pypinyin import Style, pinyin
    return [p for p in pinyin(char, style=Style.TONE3, heteronym=True, errors="ignore")[0] if p] \
        if pinyin(char, style=Style.TONE3, errors="ignore") else []


def cross_validate_mandarin(known, folds: int, seed: int = 15) -> tuple[float, int]:
    chars = sorted(char for char in known if mandarin(char))
    random.Random(seed).shuffle(chars)
    right = 0
    for fold in range(folds):
        held = set(chars[fold::folds])
        estimator = MandarinEstimator({c: r for c, r in known.items() if c not in held})
        right += sum(estimator.estimate(char) in known[char] for char in held)
    return right / len(chars), len(chars)


def cross_validate(known, positions, folds: int, seed: int = 15) -> tuple[float, float, int]:
    """Share of held-back known characters whose estimate is one of their readings
    (with tones, and ignoring them), over `folds` folds."""
    chars = sorted(char for char in known if positions.get(char))
    random.Random(seed).shuffle(chars)
    right = right_toneless = total = 0
    for fold in range(folds):
        held = set(chars[fold::folds])
        estimator = Estimator({c: r for c, r in known.items() if c not in held}, positions)
        for char in held:
            guess = estimator.estimate(positions[char][0])
            total += 1
            if guess is None:
                continue
            right += guess in known[char]
            right_toneless += guess.rstrip("0123456789") in {r.rstrip("0123456789") for r in known[char]}
    return right / total, right_toneless / total, total


def valid(syllable: str) -> bool:
    """A syllable every system renders and the strict parser reads back (no giat7:
    a checked final takes tone 4 or 8 only)."""
    from fastpron.romanized import parse_tl_syllable
    from fastpron.systems import check_syllable
    try:
        check_syllable(syllable)
        return parse_tl_syllable(syllable) == syllable
    except Exception:
        return False


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--out", type=pathlib.Path, default=OUT)
    args = parser.parse_args(argv)
    variants = read_variants(HERE / "variants.tsv")
    known = lexicon_characters(variants)
    words = word_syllables(variants)
    positions = qieyun_positions()
    wanted = set(targets()) | {ch for ch in words if is_han(ch)} | {ch for ch in positions if is_han(ch)}
    wanted |= {chr(cp) for cp in list(range(0x4E00, 0xA000)) + list(range(0x3400, 0x4DC0))
               + list(range(0x20000, 0x2EBF0)) + list(range(0x30000, 0x323B0)) if mandarin(chr(cp))}
    missing = sorted(ch for ch in wanted if canonical(ch, variants) not in known)
    accuracy, toneless, n = cross_validate(known, positions, args.folds)
    print(f"cross-validation ({args.folds} folds, {n} known characters with a 廣韻 position): "
          f"{100 * accuracy:.1f}% exact, {100 * toneless:.1f}% ignoring tones", file=sys.stderr)
    mandarin_accuracy, mandarin_n = cross_validate_mandarin(known, args.folds)
    print(f"cross-validation of the Mandarin fallback ({mandarin_n} known characters): "
          f"{100 * mandarin_accuracy:.1f}% exact", file=sys.stderr)
    estimator = Estimator(known, positions)
    fallback = MandarinEstimator(known)
    rows, unreached = [], []
    done = set()
    for ch in missing:
        key = canonical(ch, variants)
        if key in done:
            continue
        done.add(key)
        counts = words.get(key)
        if counts:
            ranked = [s for s, c in counts.most_common() if valid(s)]
            if ranked:
                best = counts[ranked[0]]
                rows += [(key, s, "word") for s in ranked[:2] if counts[s] * 2 >= best]
                continue
        guesses = []
        for p in positions.get(key, []):
            guess = estimator.estimate(p)
            if guess and valid(guess) and guess not in guesses:
                guesses.append(guess)
        if guesses:
            rows += [(key, g, "qieyun") for g in guesses[:2]]
            continue
        guess = fallback.estimate(key)
        if guess and valid(guess):
            rows.append((key, guess, "mandarin"))
        elif key in BY_HAND:
            rows.append((key, BY_HAND[key], "hand"))
        else:
            unreached.append(key)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("hanji\treading\tbasis\n")
        for row in sorted(rows, key=lambda r: (r[0], r[2] != "word")):
            f.write("\t".join(row) + "\n")
    basis = collections.Counter(row[2] for row in rows)
    print(f"{len(missing)} characters lacked a reading; {len(done) - len(unreached)} now have one "
          f"({dict(basis)} rows); {len(unreached)} unreached: {''.join(unreached)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
