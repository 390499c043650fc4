"""Every reading of a character or word, in every system; and the 反切 of two characters."""

from __future__ import annotations

from dataclasses import dataclass

from fastpron import glossary
from fastpron.syllable import SyllableError, alternants
from fastpron.systems import parse_parts

from ..article_pronunciation.options import SYSTEMS

# 平上去入: tones 1/5, 2/6, 3/7 and 4/8; 清 is tones 1-4, 濁 tones 5-8.
CATEGORIES = ("平", "上", "去", "入")


def readings_in_every_system(annotator, key: str) -> list[dict]:
    """[{numbered, gloss, systems: {code: rendered}}] for each reading of `key`, best first.

    `gloss` is the Mandarin gloss of that reading (Taihoa, iTaigi), "" if none is known.
    """
    return [
        {"numbered": numbered, "gloss": glossary.gloss(key, numbered),
         "systems": {code: annotator.render_reading(numbered, system=code) for code, _ in SYSTEMS}}
        for numbered in annotator.lookup(key)
    ]


def is_romanized(query: str) -> bool:
    """A query with no Han character (nor anything else outside Latin letters, digits, marks, - and spaces)."""
    return bool(query) and all(ch.isascii() and (ch.isalnum() or ch in "- ") or "\u00c0" <= ch <= "\u024f"
                               or "\u0300" <= ch <= "\u036f" or "\u1e00" <= ch <= "\u1eff" or ch == "\u207f"
                               for ch in query)


def words_read_as(annotator, query: str, limit: int = 40) -> list[dict]:
    """Words of the lexicon read as the romanised `query` (Tâi-lô or POJ, tones or none), commonest first:
    [{key, numbered, gloss, systems}]."""
    return [
        {"key": key, "numbered": numbered, "gloss": glossary.gloss(key, numbered),
         "systems": {code: annotator.render_reading(numbered, system=code) for code, _ in SYSTEMS}}
        for key, numbered in glossary.find_by_reading(query, limit)
    ]


@dataclass(frozen=True)
class Fanqie:
    upper: str          # the upper character's reading used (numbered Tâi-lô)
    lower: str          # the lower character's reading used
    initial: str        # the upper's initial ("" for none)
    final: str          # the lower's final
    voicing: str        # 清 or 濁, from the upper's tone
    category: str       # 平 上 去 入, from the lower's tone
    numbered: str       # the reading made, numbered Tâi-lô


def usual_syllable(reading: str) -> str:
    """One numbered syllable as it is usually said: no neutral-tone mark, the usual south/north side."""
    return alternants(reading.lower())[2].removeprefix("--")


def fanqie(upper: str, lower: str) -> Fanqie:
    """反切 of two one-syllable readings: the upper's initial, the lower's final and tone category.

    >>> fanqie("tik4", "ang5").numbered      # 東，德紅切
    'tang1'

    Raises ValueError for a reading that is not one syllable or has tone 9.
    """
    try:
        up, low = parse_parts(usual_syllable(upper)), parse_parts(usual_syllable(lower))
    except SyllableError as err:
        raise ValueError(str(err)) from None
    for reading, parts in ((upper, up), (lower, low)):
        if not 1 <= parts.tone <= 8:
            raise ValueError(f"{reading}: tone {parts.tone} has no 清/濁 class or 平上去入 category")
    clear = up.tone <= 4
    category = (low.tone - 1) % 4
    tone = category + 1 + (0 if clear else 4)
    numbered = f"{up.initial}{low.final}{tone}"
    try:
        parse_parts(numbered)
    except SyllableError:
        raise ValueError(f"{up.initial}- and -{low.final} do not make a syllable") from None
    return Fanqie(upper, lower, up.initial, low.final, "清" if clear else "濁", CATEGORIES[category], numbered)


def fanqie_of_characters(annotator, upper: str, lower: str) -> list[Fanqie]:
    """反切 for every pair of the two characters' readings, the usual readings' pair first."""
    results, seen = [], set()
    for up in annotator.lookup(upper):
        for low in annotator.lookup(lower):
            try:
                result = fanqie(up, low)
            except ValueError:
                continue
            if (result.upper, result.lower) not in seen:
                seen.add((result.upper, result.lower))
                results.append(result)
    return results
