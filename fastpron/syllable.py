"""Tâi-lô syllables in their two spellings: numbered (``tsiah8``) and marked (``tsia̍h``).

The lexicon stores every reading in the numbered form, so that each output
system can be rendered from it.  A numbered syllable is

    [--]<lower-case Tâi-lô letters><tone digit 1-9>

``--`` marks a neutral-tone (輕聲) syllable, as Tâi-lô writes it; the digit
still records the syllable's own tone.  A syllable with a south/north (漳/泉)
alternant is written ``south/north``, e.g. ``jin5/lin5``; the usual reading,
the one given when no dialect is asked for, is the south one unless the north
one is starred: ``senn1/*sinn1`` (a word that the lexicon writes with sinn).
"""

from __future__ import annotations

import re
import unicodedata

NEUTRAL_PREFIX = "--"

# Tâi-lô tone diacritics (combining characters) and their tone numbers.
TONE_OF_MARK = {
    "\u0301": 2,  # acute
    "\u0300": 3,  # grave
    "\u0302": 5,  # circumflex
    "\u030c": 6,  # caron
    "\u0304": 7,  # macron
    "\u030d": 8,  # vertical line above
    "\u030b": 9,  # double acute
}
MARK_OF_TONE = {tone: mark for mark, tone in TONE_OF_MARK.items()}
_MARK_OF_DIGIT = {str(tone): mark for tone, mark in MARK_OF_TONE.items()}

CHECKED_ENDINGS = ("p", "t", "k", "h")
_LETTERS = re.compile(r"[a-z]+\Z")
_NUMBERED = re.compile(r"(--)?([a-z]+)([1-9])\Z")
_NUMBERED_ALL = re.compile(r"(?:(?:--)?[a-z]+[1-9]\n)*+(?:--)?[a-z]+[1-9]")  # _NUMBERED, one a line (fullmatch)


class SyllableError(ValueError):
    """A syllable that is neither valid Tâi-lô nor valid numbered Tâi-lô."""


def is_checked(letters: str) -> bool:
    """True for a syllable ending in -p/-t/-k/-h (入聲, tones 4 and 8)."""
    return letters.endswith(CHECKED_ENDINGS)


def split_numbered(syllable: str) -> tuple[bool, str, int]:
    """``--ah4`` -> (True, "ah", 4).  Raises SyllableError on anything else."""
    match = _NUMBERED.match(syllable)
    if not match:
        raise SyllableError(f"not a numbered Tâi-lô syllable: {syllable!r}")
    return bool(match.group(1)), match.group(2), int(match.group(3))


def parse_syllable(text: str) -> str:
    """One Tâi-lô syllable, marked or numbered, to the numbered form.

    >>> parse_syllable("tsia̍h"), parse_syllable("--ah"), parse_syllable("Tâi")
    ('tsiah8', '--ah4', 'tai5')
    """
    decomposed = unicodedata.normalize("NFD", text.strip()).lower()
    neutral = decomposed.startswith(NEUTRAL_PREFIX)
    if neutral:
        decomposed = decomposed[len(NEUTRAL_PREFIX):]
    if decomposed[-1:].isdigit():
        letters, tone = decomposed[:-1], int(decomposed[-1])
        if not 1 <= tone <= 9:
            raise SyllableError(f"tone must be 1-9: {text!r}")
    else:
        marks = [ch for ch in decomposed if ch in TONE_OF_MARK]
        if len(marks) > 1:
            raise SyllableError(f"more than one tone mark: {text!r}")
        letters = "".join(ch for ch in decomposed if ch not in TONE_OF_MARK)
        if marks:
            tone = TONE_OF_MARK[marks[0]]
        else:
            tone = 4 if is_checked(letters) else 1
    if not _LETTERS.match(letters):
        raise SyllableError(f"not a Tâi-lô syllable: {text!r}")
    return (NEUTRAL_PREFIX if neutral else "") + letters + str(tone)


def parse_reading(text: str) -> list[str]:
    """A hyphenated Tâi-lô reading to numbered syllables.

    ``--`` before a syllable makes it neutral-tone and is kept on it.
    Alternants ``a/b`` are parsed on each side.

    >>> parse_reading("bô--khì")
    ['bo5', '--khi3']
    """
    syllables = []
    neutral_next = False
    for part in re.split(r"(--|-|\s+)", text.strip()):
        if part == NEUTRAL_PREFIX:
            neutral_next = True
        elif part and part != "-" and not part.isspace():
            prefix = NEUTRAL_PREFIX if neutral_next else ""
            sides = []
            for side in part.split("/"):
                star = USUAL_MARK if side.startswith(USUAL_MARK) and sides else ""
                sides.append(star + parse_syllable(side[len(star):]))
            syllables.append(prefix + "/".join(sides))
            neutral_next = False
    if not syllables:
        raise SyllableError(f"empty reading: {text!r}")
    return syllables


def tone_mark_position(letters: str) -> int:
    """Index in ``letters`` of the letter that carries the Tâi-lô tone mark.

    a > oo/o > e > the second letter of iu/ui > i/u > the n of ng > m.
    """
    if "a" in letters:
        return letters.index("a")
    if "o" in letters:
        return letters.index("o")  # also the first o of oo
    if "e" in letters:
        return letters.index("e")
    for pair in ("iu", "ui"):
        if pair in letters:
            return letters.index(pair) + 1
    for vowel in ("i", "u"):
        if vowel in letters:
            return letters.index(vowel)
    if "ng" in letters:
        return letters.rindex("ng")
    if "m" in letters:
        return letters.rindex("m")
    return len(letters) - 1


def render_tailo(syllable: str) -> str:
    """A numbered syllable (no alternants) to marked Tâi-lô, NFC.

    >>> render_tailo("tsiah8"), render_tailo("--ah4"), render_tailo("nng7")
    ('tsia̍h', '--ah', 'nn̄g')
    """
    neutral, letters, tone = split_numbered(syllable)
    text = unicodedata.normalize("NFC", _with_tone_mark(letters, tone))
    return NEUTRAL_PREFIX + text if neutral else text


def render_tailo_all(syllables: list[str]) -> list[str]:
    """render_tailo of each syllable: a render table needs thousands of them at
    start-up, so they are checked by one regex match over them all, each spelling
    finds its tone mark's place once, and one NFC call does them all."""
    if not syllables:
        return []
    if not _NUMBERED_ALL.fullmatch("\n".join(syllables)):
        return [render_tailo(syllable) for syllable in syllables]     # it names the bad one
    places: dict[str, int] = {}
    decomposed = []
    for syllable in syllables:
        mark = _MARK_OF_DIGIT.get(syllable[-1])
        letters = syllable[:-1]                  # with the neutral tone's "--", if any
        if mark:
            at = places.get(letters)
            if at is None:
                prefix = 2 if letters.startswith(NEUTRAL_PREFIX) else 0
                at = places[letters] = prefix + tone_mark_position(letters[prefix:]) + 1
            letters = letters[:at] + mark + letters[at:]
        decomposed.append(letters)
    return nfc_each(decomposed)


def _with_tone_mark(letters: str, tone: int) -> str:
    """The letters with the tone's combining mark after the letter that carries it (not yet NFC)."""
    mark = MARK_OF_TONE.get(tone, "")
    if not mark:
        return letters
    at = tone_mark_position(letters) + 1
    return letters[:at] + mark + letters[at:]


def nfc_each(texts: list[str]) -> list[str]:
    """unicodedata.normalize("NFC", text) of each text, in one call over them all.

    A line break neither composes nor reorders with anything, so normalising the
    texts joined by it normalises each; texts that hold one are done one by one.
    """
    if not texts:
        return []
    joined = "\n".join(texts)
    normalized = unicodedata.normalize("NFC", joined).split("\n")
    if len(normalized) != len(texts):
        return [unicodedata.normalize("NFC", text) for text in texts]
    return normalized


USUAL_MARK = "*"


def alternants(syllable: str) -> tuple[str, str, str]:
    """(south, north, usual) forms of a syllable.

    >>> alternants("jin5/lin5"), alternants("senn1/*sinn1"), alternants("lang5")
    (('jin5', 'lin5', 'jin5'), ('senn1', 'sinn1', 'sinn1'), ('lang5', 'lang5', 'lang5'))
    """
    prefix = NEUTRAL_PREFIX if syllable.startswith(NEUTRAL_PREFIX) else ""
    south, _, north = syllable[len(prefix):].partition("/")
    usual = south
    if north.startswith(USUAL_MARK):
        north = usual = north[1:]
    north = north or south
    return prefix + south, prefix + north, prefix + usual


def join_reading(syllables: list[str]) -> str:
    """Inverse of parse_reading for numbered syllables: ``bo5--khi3``."""
    out = ""
    for syllable in syllables:
        if out and not syllable.startswith(NEUTRAL_PREFIX):
            out += "-"
        out += syllable
    return out
