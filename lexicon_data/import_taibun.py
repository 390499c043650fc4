"""Regenerate lexicon_data/sources/taibun.tsv from the data files of taibun 1.1.8.

    pip install taibun==1.1.8 msgpack
    python lexicon_data/import_taibun.py    # writes lexicon_data/sources/taibun.tsv and lexicon_data/variants.tsv

taibun is needed only here, never at run time.  Its two tables are:

* ``words.msgpack``: word -> one Tâi-lô reading (台華線頂對照典 and iTaigi);
* ``prons.msgpack``: character -> its readings, most usual first; ``a/b``
  is a south/north (漳/泉) alternant pair.

The TSV has one row per (key, reading) with the columns

    hanji    reading (numbered Tâi-lô)    source    weight    context

``source`` is ``word`` for readings from words.msgpack, ``char`` for those
from prons.msgpack, ``word,char`` for both, ``phrase`` for fastpron's own
phrases.tsv; ``,preferred`` is added where
preferred_readings.tsv ranked the reading first.  ``context`` is ``final``
for the reading a character takes at the end of a phrase (咧 leh), from
preferred_readings.tsv; ``phrase`` for the rows of phrases.tsv, written as
separate words; otherwise empty.  ``weight`` is derived from this
data alone (never from any evaluation set):

* a word of two or more characters weighs the number of lexicon keys that
  contain it (itself included): a word that many compounds are built on is a
  common word;
* a character reading weighs 1 + the number of times the character has that
  reading inside the words that contain it; the reading the character has as
  a one-character word additionally weighs the total of all its readings, so
  that it wins when the character stands alone;
* ``preferred_readings.tsv`` (fastpron's own short list, written from general
  knowledge of Taiwanese grammar) names, for a few dozen function words and
  common verbs, which of the readings above is the everyday standalone one
  where the one-character word of the data is a rarer or literary sense.  It
  only re-ranks readings the data already has; its reading then weighs one
  more than the heaviest.
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import pathlib
import sys

import msgpack

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from fastpron.syllable import SyllableError, alternants, join_reading, parse_reading  # noqa: E402
from build_lexicon import write_tsv  # noqa: E402  (lexicon_data/, the script's own folder, is on the path)



def taibun_data_dir() -> pathlib.Path:
    spec = importlib.util.find_spec("taibun")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("taibun is not installed: pip install taibun==1.1.8 msgpack")
    return pathlib.Path(list(spec.submodule_search_locations)[0]) / "data"


def load(data_dir: pathlib.Path, name: str) -> dict:
    with open(data_dir / f"{name}.msgpack", "rb") as f:
        return msgpack.unpackb(f.read(), raw=False)


def load_preferred(path: pathlib.Path = HERE / "preferred_readings.tsv") -> tuple[dict[str, str], dict[str, str]]:
    """(hanji -> reading to rank first, hanji -> reading at the end of a phrase)."""
    preferred, final = {}, {}
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            if line.strip():
                hanji, context, reading = line.split("\t")[:3]
                target = {"alone": preferred, "final": final}[context]
                target[hanji] = "/".join(parse_reading(reading)).replace("/*", "/")
    return preferred, final


def build_rows(words: dict, prons: dict, preferred: dict[str, str] | None = None,
               final: dict[str, str] | None = None) -> tuple[list[tuple], list[str]]:
    """Return the TSV rows and a list of warnings for skipped entries."""
    preferred, final = dict(preferred or {}), dict(final or {})
    warnings = []
    char_readings: dict[str, list[str]] = {}
    for char, readings in prons.items():
        parsed = []
        for reading in readings:
            try:
                (syllable,) = parse_reading(reading)
            except (SyllableError, ValueError):
                warnings.append(f"prons {char}: unusable reading {reading!r}")
                continue
            if syllable not in parsed:
                parsed.append(syllable)
        char_readings[char] = parsed

    def with_alternant(char: str, syllable: str) -> str:
        """A word syllable that is one side of a char's alternant pair gets the pair,
        starred on the north side when the word is written with the north form."""
        plain = syllable.removeprefix("--")
        prefix = syllable[: len(syllable) - len(plain)]
        for reading in char_readings.get(char, ()):
            south, north, _ = alternants(reading)
            if "/" not in reading:
                continue
            if plain == south:
                return prefix + reading
            if plain == north:
                return f"{prefix}{south}/*{north}"
        return syllable

    word_readings: dict[str, str] = {}
    for word, reading in words.items():
        try:
            syllables = parse_reading(reading)
        except SyllableError as err:
            warnings.append(f"words {word}: {err}")
            continue
        if len(syllables) != len(word):
            warnings.append(f"words {word}: {len(syllables)} syllables for {len(word)} characters, skipped")
            continue
        syllables = [with_alternant(c, s) for c, s in zip(word, syllables)]
        # Proper nouns keep their capital: it is part of the reading.
        first = syllables[0]
        if reading[:1].isupper():
            first = first[:1].upper() + first[1:] if not first.startswith("--") else first
        word_readings[word] = join_reading([first] + syllables[1:])

    # How often each character carries each reading inside words.
    usage: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for word, reading in word_readings.items():
        for char, syllable in zip(word, parse_reading(reading)):
            usage[char][syllable.removeprefix("--").replace("/*", "/")] += 1

    # How many keys contain each word.
    keys = set(word_readings) | set(char_readings)
    contained = collections.Counter()
    for key in keys:
        for size in range(2, len(key) + 1):
            for start in range(len(key) - size + 1):
                part = key[start:start + size]
                if part in keys:
                    contained[part] += 1

    rows = []
    for key in sorted(keys):
        if len(key) > 1:
            rows.append((key, word_readings[key], "word", contained[key], ""))
            continue
        counts = usage.get(key, collections.Counter())
        standalone = word_readings.get(key)
        standalone_plain = standalone.lower().removeprefix("--") if standalone else None
        readings = list(char_readings.get(key, []))
        if standalone and standalone_plain not in readings:
            readings.insert(0, standalone_plain)
        total = sum(counts[r] for r in readings) + len(readings)
        char_rows = []
        for reading in readings:
            weight = 1 + counts[reading]
            sources = []
            if reading == standalone_plain:
                weight += total
                sources.append("word")
            if reading in char_readings.get(key, ()):
                sources.append("char")
            shown = standalone if reading == standalone_plain else reading
            char_rows.append((key, shown, ",".join(sources), weight, ""))
        if key in preferred:
            wanted = preferred.pop(key)
            heaviest = max(row[3] for row in char_rows)
            matches = [i for i, row in enumerate(char_rows) if row[1].lower().replace("/*", "/") == wanted]
            if not matches:
                warnings.append(f"preferred {key} {wanted}: not among its readings, ignored")
            for i in matches:
                key_, shown, source, _, context = char_rows[i]
                char_rows[i] = (key_, shown, source + ",preferred", heaviest + 1, context)
        if key in final:
            wanted = final.pop(key)
            matches = [i for i, row in enumerate(char_rows) if row[1].lower().replace("/*", "/") == wanted]
            if not matches:
                warnings.append(f"final {key} {wanted}: not among its readings, ignored")
            for i in matches[:1]:
                char_rows[i] = char_rows[i][:4] + ("final",)
        char_rows.sort(key=lambda row: -row[3])  # stable: taibun's order breaks ties
        rows.extend(char_rows)
    warnings += [f"preferred {key}: not in the lexicon, ignored" for key in [*preferred, *final]]
    return rows, warnings


def build_variants(vars_table: dict, traditional: dict, keys: set[str]) -> list[tuple[str, str, str]]:
    """(variant, standard, source) rows for the core's look-up.

    taibun's own Taiwanese variant table is taken whole (臺 -> 台, 爲 -> 為);
    its one-character simplified -> traditional pairs only where the
    simplified character is not itself a lexicon character, so that a
    character with a meaning of its own (后, 里, 面) is never rewritten.
    """
    lexicon_chars = {ch for key in keys for ch in key}
    rows = {}
    for variant, standard in vars_table.items():
        if len(variant) == 1 and len(standard) == 1 and variant != standard:
            rows[variant] = (variant, standard, "variant")
    for simplified, standard in traditional.items():
        if (len(simplified) == 1 and len(standard) == 1 and simplified != standard
                and simplified not in lexicon_chars and simplified not in rows):
            rows[simplified] = (simplified, standard, "simplified")
    # A chain (a -> b -> c) is followed to its end, so the core maps once.
    resolved = []
    for variant, (_, standard, source) in sorted(rows.items()):
        seen = {variant}
        while standard in rows and standard not in seen:
            seen.add(standard)
            standard = rows[standard][1]
        if standard != variant:
            resolved.append((variant, standard, source))
    return resolved


# A phrase of ours encodes grammar: it weighs as much as a word that 16 keys
# contain, so it beats a rare word that straddles it (毋敢 + 講, not 毋 + 敢講)
# but not a common one.
PHRASE_WEIGHT = 16


def phrase_rows(rows: list[tuple], path: pathlib.Path = HERE / "phrases.tsv") -> tuple[list[tuple], list[str]]:
    """Rows for fastpron's own two-character phrases, where the data has no such key.

    They carry a function word whose reading depends on its neighbour
    (這是 tse-sī against 這本 tsit-pún); each row of phrases.tsv says why.
    """
    keys = {row[0] for row in rows}
    added, warnings = [], []
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            if not line.strip():
                continue
            hanji, reading = line.split("\t")[:2]
            if hanji in keys:
                warnings.append(f"phrase {hanji}: the lexicon has it already, skipped")
                continue
            added.append((hanji, join_reading(parse_reading(reading)), "phrase", PHRASE_WEIGHT, "phrase"))
    return added, warnings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=pathlib.Path, default=HERE / "sources" / "taibun.tsv")
    args = parser.parse_args(argv)
    data_dir = taibun_data_dir()
    rows, warnings = build_rows(load(data_dir, "words"), load(data_dir, "prons"), *load_preferred())
    phrases, phrase_warnings = phrase_rows(rows)
    rows = sorted(rows + phrases, key=lambda row: row[0])      # stable: readings keep their order
    for warning in warnings + phrase_warnings:
        print("warning:", warning, file=sys.stderr)
    write_tsv(rows, args.out)
    print(f"wrote {len(rows)} rows to {args.out}", file=sys.stderr)
    variants = build_variants(load(data_dir, "vars"), load(data_dir, "traditional"), {row[0] for row in rows})
    variants_out = HERE / "variants.tsv"
    with open(variants_out, "w", encoding="utf-8", newline="\n") as f:
        f.write("variant\tstandard\tsource\n")
        f.writelines(f"{v}\t{s}\t{src}\n" for v, s, src in variants)
    print(f"wrote {len(variants)} variants to {variants_out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
