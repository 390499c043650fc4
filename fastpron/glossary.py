"""Mandarin glosses of readings, and finding words by their romanisation.

Both tables are built once per process, on first use (about a second),
from the data in ``lexicon_data/`` (an install without it has neither): the glosses from the open dictionaries' normalised
sources (``sources/taihoa.tsv`` then ``sources/itaigi.tsv``, column
``gloss``; iTaigi only for the readings Taihoa does not gloss), the romanisation index from ``lexicon.tsv``.  Keys are in their
standard form (``variants.tsv``: 臺灣 is found as 台灣), readings are numbered
Tâi-lô compared in lower case.

>>> gloss("講", "kong2")
'說情；講'
>>> [key for key, reading in find_by_reading("tâi-uân")][:1]
['台灣']
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
import unicodedata

from . import lexicon as _lexicon
from .syllable import NEUTRAL_PREFIX, SyllableError
from .systems import System, ToneStyle, render

__all__ = ["gloss", "glosses", "find_by_reading", "reading_key", "toneless_key"]

SOURCES = ("taihoa.tsv", "itaigi.tsv")     # in this order: Taihoa's glosses first
MAX_SENSES = 4                              # glosses shown per reading
MAX_RESULTS = 60

_lock = threading.Lock()
_DIGITS = re.compile(r"[0-9]")
_TONE_MARKS = frozenset("\u0300\u0301\u0302\u0304\u0306\u030b\u030c\u030d\u0307")


def _sources_dir():
    return _lexicon.DEFAULT_TSV.parent / "sources"


@functools.cache
def _variants() -> dict[str, str]:
    return _lexicon.read_variants(_lexicon.variants_path(_lexicon.DEFAULT_TSV))


def _standard(key: str) -> str:
    return _lexicon.canonical(key, _variants())


def _sides(reading: str) -> list[str]:
    """A lexicon reading with south/north pairs (``sian1-senn1/*sinn1``) -> every plain reading."""
    options = []
    for syllable in reading.lower().replace(NEUTRAL_PREFIX, "-").strip("-").split("-"):
        if not syllable:
            continue
        options.append([side.lstrip("*") for side in syllable.split("/")])
    return ["-".join(combination) for combination in itertools.islice(itertools.product(*options), 8)]


def reading_key(reading: str) -> str:
    """Numbered Tâi-lô compared: lower case, syllables joined by one hyphen, no neutral ``--``."""
    return "-".join(part for part in reading.lower().replace(NEUTRAL_PREFIX, "-").split("-") if part)


@functools.cache
def _gloss_table() -> dict[tuple[str, str], str]:
    table: dict[tuple[str, str], list[str]] = {}
    for name in SOURCES:
        earlier = set(table)      # a reading Taihoa glosses keeps Taihoa's senses; iTaigi fills the gaps
        path = _sources_dir() / name
        if not path.exists():
            continue
        with open(path, encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split("\t")
            try:
                hanji, reading, gloss_at = header.index("hanji"), header.index("reading"), header.index("gloss")
            except ValueError:
                continue
            for line in f:
                fields = line.rstrip("\n").split("\t")
                if len(fields) <= gloss_at or not fields[gloss_at]:
                    continue
                key = (_standard(fields[hanji]), reading_key(fields[reading]))
                if key in earlier:
                    continue
                senses = table.setdefault(key, [])
                for sense in fields[gloss_at].split(";"):
                    sense = sense.strip()
                    if sense and sense not in senses:
                        senses.append(sense)
    return {key: "；".join(senses[:MAX_SENSES]) for key, senses in table.items()}


def gloss(key: str, reading: str) -> str:
    """The Mandarin gloss of `key` read `reading` (numbered Tâi-lô), "" if the sources give none.

    A reading with south/north forms (``senn1/*sinn1``) gets the gloss of
    the first form that has one.
    """
    with _lock:
        table = _gloss_table()
    standard = _standard(key)
    for side in _sides(reading):
        found = table.get((standard, side))
        if found:
            return found
    return ""


def glosses(key: str, readings) -> list[str]:
    """`gloss` of each of `readings`, in order."""
    return [gloss(key, reading) for reading in readings]


# -- finding words by their romanisation ---------------------------------------------

def toneless_key(text: str) -> str:
    """Letters only, in lower case: tone marks, digits, hyphens and spaces dropped; POJ's o͘ is oo, ⁿ is nn."""
    decomposed = unicodedata.normalize("NFD", text.lower()).replace("o\u0358", "oo").replace("\u207f", "nn")
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


def has_tones(text: str) -> bool:
    """Does a romanised query say its tones (a digit or a tone mark)?"""
    decomposed = unicodedata.normalize("NFD", text)
    return bool(_DIGITS.search(decomposed)) or any(ch in _TONE_MARKS for ch in decomposed)


@functools.cache
def _poj_toneless(syllable: str) -> str:
    try:
        return toneless_key(render(syllable, System.POJ, ToneStyle.NONE))
    except (SyllableError, KeyError, ValueError):
        return toneless_key(syllable)


@functools.cache
def _reading_index() -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[tuple[str, str]]]]:
    """(toned reading key -> [(key, reading)], toneless letters -> [(key, reading)]), commonest first."""
    rows = []
    if not _lexicon.DEFAULT_TSV.exists():      # an install without lexicon_data/: nothing to search
        return {}, {}
    with open(_lexicon.DEFAULT_TSV, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        hanji, reading, weight = header.index("hanji"), header.index("reading"), header.index("weight")
        for line in f:
            fields = line.rstrip("\n").split("\t")
            try:
                rows.append((-float(fields[weight] or 0), len(fields[hanji]), fields[hanji], fields[reading]))
            except (IndexError, ValueError):
                continue
    rows.sort()
    toned: dict[str, list[tuple[str, str]]] = {}
    toneless: dict[str, list[tuple[str, str]]] = {}
    for _weight, _length, key, numbered in rows:
        for side in _sides(numbered):
            pair = (key, numbered)
            toned.setdefault(side, []).append(pair)
            syllables = side.split("-")
            for letters in {"".join(_DIGITS.sub("", s) for s in syllables),
                            "".join(_poj_toneless(s) for s in syllables)}:
                found = toneless.setdefault(letters, [])
                if pair not in found:
                    found.append(pair)
    return toned, toneless


def parse_query(text: str) -> list[str] | None:
    """A romanised query's syllables in numbered Tâi-lô (Tâi-lô first, else POJ); None if it is neither."""
    from .romanized import parse_poj_syllable, parse_tl_syllable
    pieces = [piece for piece in re.split(r"[\s\-]+", unicodedata.normalize("NFC", text.strip())) if piece]
    if not pieces:
        return None
    for parser in (parse_tl_syllable, parse_poj_syllable):
        try:
            return [parser(piece) for piece in pieces]
        except SyllableError:
            continue
    return None


def find_by_reading(query: str, limit: int = MAX_RESULTS) -> list[tuple[str, str]]:
    """Lexicon words read as `query`: [(key, numbered reading)], commonest first.

    Tâi-lô or POJ, with tone marks or numbers (``tâi-uân``, ``tai5-uan5``,
    ``tâi-oân``) matches those tones; without tones (``taiuan``, ``tai uan``)
    any tones.
    """
    if not query or not query.strip() or len(query) > 80:
        return []
    with _lock:
        toned, toneless = _reading_index()
    if has_tones(query):
        syllables = parse_query(query)
        if syllables is None:
            return []
        found = toned.get(reading_key("-".join(syllables)), [])
    else:
        found = toneless.get(toneless_key(query), [])
    return found[:limit]
