"""Romanised input: Tâi-lô or Pe̍h-ōe-jī written inside the text, in the chosen system.

With ``romanized="convert"``, `romanize` and `to_html` first rewrite every
Latin word of the input that is valid Tâi-lô (TL) or Pe̍h-ōe-jī (POJ) in the
output system, then annotate the Han text as usual; the converted words pass
through the core as "other" text.

    >>> from fastpron.options import Options
    >>> convert_romanized("我愛 Tâi-uân, chia̍h-pn̄g", Options.make(system="poj"))
    '我愛 Tâi-oân, chia̍h-pn̄g'
    >>> convert_romanized("Chia̍h-pn̄g 未? tsiah8", Options.make())
    'Tsia̍h-pn̄g 未? tsia̍h'

The rule (docs/systems.md, "Romanised input"):

* A candidate word is a maximal run of Latin letters (ASCII, Latin-1,
  Latin Extended A/B and Additional), digits, combining marks (U+0300-U+036F,
  which holds POJ's o͘ dot U+0358), ``ⁿ`` and hyphens.
* It is skipped when it is glued into a larger token: next to one of
  ``@ / \\ _ # = % + ~ & | $ ^``, or next to ``. : ' ’`` that has a letter
  or digit on its other side (``e.g.``, ``example.com``, ``don't``), or
  inside a URL (``scheme://...``, ``www....``).
* It is converted only if it is, as a whole, ``[--]syllable`` followed by
  ``-syllable`` or ``--syllable`` (neutral tone) any number of times, and
  every syllable is valid TL (``parse_tl_syllable``) or, failing that for
  the word, every syllable is valid POJ (``parse_poj_syllable``).  One word
  is read in one system; a word both systems read, differently, is skipped
  (by construction no such word exists, but the check stays).
* A valid syllable is an initial of TL (or POJ) and a final from `FINALS`,
  the MOE scheme's finals (with its dialect vowels ir, er, ee), with either
  one tone mark or a final tone digit 1-9, never both; checked syllables
  (-p -t -k -h) take tone 4 or 8, open ones any other tone.  So ``A4``,
  ``mp3``, ``2024``, ``ten``, ``like``, ``ceo`` and any word with f q v w x
  y z, a c not followed by h or an r outside the vowels ir/er are left alone.
* Capitals are kept per syllable: ``Tâi`` stays capitalised, ``TÂI`` upper
  case (in the Latin systems; TPS, IPA and SNI have no case); a syllable in
  any other mix of cases (``tSiah``) leaves the word as it is.

English words that happen to be valid syllables (``I a to he be an in it
so no ok the long king sing chin``...) are converted too: the option is opt-in
and cannot tell them from Taiwanese.  Most come out unchanged in TL and
POJ with tone marks, but ``king`` becomes POJ ``keng``, ``chin`` TL
``tsin`` and, with numbered tones, ``I`` becomes ``I1``.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import unicodedata
from collections.abc import Mapping

from .options import Romanized  # noqa: F401 (part of this module's API)
from .syllable import NEUTRAL_PREFIX, SyllableError, parse_syllable, split_numbered
from .systems import LATIN_SYSTEMS, TL_INITIALS, System, ToneStyle, capitalize, render

__all__ = ["Romanized", "convert_romanized", "convert_with_offsets", "Conversion",
           "parse_tl_syllable", "parse_poj_syllable", "FINALS"]


# --------------------------------------------------------------------------
# Which finals a syllable may have
# --------------------------------------------------------------------------

# Vowel nuclei of the MOE scheme (a e i o oo u and the diphthongs), with the
# dialect vowels ir er ee and ei.  Each may close with -h.
_NUCLEI = ("a", "e", "i", "o", "oo", "u", "ai", "au", "ia", "iau", "io", "iu", "ua", "uai", "ue", "ui",
           "ir", "er", "ee", "ei")
# Nasal vowels are written -nn (POJ ⁿ); TL writes nasal ɔ as onn, not oonn.
_NASAL_NUCLEI = ("a", "e", "i", "o", "u", "ai", "au", "ia", "iau", "io", "iu", "ua", "uai", "ue", "ui", "ir")
# Vowels with a nasal or stop coda, and the syllabic nasals.
_CODA_FINALS = (
    "am", "ap", "an", "at", "ang", "ak", "im", "ip", "in", "it", "ing", "ik", "om", "op", "ong", "ok",
    "un", "ut", "iam", "iap", "ian", "iat", "iang", "iak", "iong", "iok", "uan", "uat", "uang", "uak",
    "irm", "irp", "irn", "irt", "irng", "irk", "m", "mh", "ng", "ngh",
    "ain",  # not a MOE final: the lexicon writes 線 sain3, so it must read back
)
FINALS = frozenset(
    [n for n in _NUCLEI] + [n + "h" for n in _NUCLEI]
    + [n + "nn" for n in _NASAL_NUCLEI] + [n + "nnh" for n in _NASAL_NUCLEI]
    + list(_CODA_FINALS))

_CHECKED_TONES = (4, 8)


def _checked(final: str) -> bool:
    return final.endswith(("p", "t", "k", "h"))


def _validate(numbered: str, original: str) -> str:
    """``numbered`` if it is a TL initial + a final in FINALS with a tone its ending allows."""
    _, letters, tone = split_numbered(numbered)
    for initial in TL_INITIALS + ("",):
        final = letters[len(initial):]
        if letters.startswith(initial) and final in FINALS:
            if (tone in _CHECKED_TONES) != _checked(final):
                raise SyllableError(f"tone {tone} does not fit the final -{final}: {original!r}")
            return numbered
    raise SyllableError(f"not a syllable of Tâi-lô or Pe̍h-ōe-jī: {original!r}")


# --------------------------------------------------------------------------
# Parsers: one syllable to numbered Tâi-lô
# --------------------------------------------------------------------------

def parse_tl_syllable(text: str) -> str:
    """One TL syllable (marked or numbered, ``--`` allowed, any case) to numbered TL, strictly.

    `fastpron.syllable.parse_syllable` does the reading; this adds the checks
    that keep English out: the final must be a TL final and the tone must fit
    it.

    >>> parse_tl_syllable("Tsia̍h"), parse_tl_syllable("--ah"), parse_tl_syllable("nng7")
    ('tsiah8', '--ah4', 'nng7')
    """
    if not text or "\u0358" in text or "ⁿ" in text:
        raise SyllableError(f"not a Tâi-lô syllable: {text!r}")
    return _validate(parse_syllable(text), text)


# POJ tone marks: tone 6 is written as tone 2 (acute) in POJ; a caron is read
# as 6 and TL's double acute as 9 too, since they are unambiguous.
POJ_TONE_OF_MARK = {
    "\u0301": 2, "\u0300": 3, "\u0302": 5, "\u030c": 6, "\u0304": 7, "\u030d": 8, "\u0306": 9, "\u030b": 9,
}
POJ_DOT = "\u0358"          # o͘
DIAERESIS_BELOW = "\u0324"  # ṳ (TL ir), o̤ (TL er)
NASAL = "ⁿ"
# Longest first.  Old POJ's ts/tsh are read as well as ch/chh.
_POJ_INITIALS = (("chh", "tsh"), ("tsh", "tsh"), ("ch", "ts"), ("ts", "ts"), ("ph", "ph"), ("th", "th"),
                 ("kh", "kh"), ("ng", "ng"), ("p", "p"), ("b", "b"), ("m", "m"), ("t", "t"), ("n", "n"),
                 ("l", "l"), ("k", "k"), ("g", "g"), ("h", "h"), ("s", "s"), ("j", "j"), ("", ""))
_POJ_LETTERS = re.compile(r"[a-z]+\Z")


def parse_poj_syllable(text: str) -> str:
    """One Pe̍h-ōe-jī syllable (marked or numbered, ``--`` allowed, any case) to numbered TL.

    Reads ch/chh (ts/tsh), o͘ (o + U+0358; ``oo`` too), ⁿ (after a final -h
    as well: ``hahⁿ``; ``nn`` too), oa/oe (TL ua/ue), eng/ek (TL ing/ik),
    ṳ/o̤ (TL ir/er), POJ's tone marks wherever they sit (``góa``, ``koán``),
    and tone digits.  Raises SyllableError for anything else.

    >>> parse_poj_syllable("chia̍h"), parse_poj_syllable("Góa"), parse_poj_syllable("sòaⁿ")
    ('tsiah8', 'gua2', 'suann3')
    >>> parse_poj_syllable("o͘"), parse_poj_syllable("hahⁿ"), parse_poj_syllable("--ē"), parse_poj_syllable("keng1")
    ('oo1', 'hannh4', '--e7', 'king1')
    """
    decomposed = unicodedata.normalize("NFD", text.strip())
    neutral = decomposed.startswith(NEUTRAL_PREFIX)
    body = decomposed[len(NEUTRAL_PREFIX):] if neutral else decomposed
    body = body.lower()
    marks = [ch for ch in body if ch in POJ_TONE_OF_MARK]
    letters = "".join(ch for ch in body if ch not in POJ_TONE_OF_MARK)
    if letters[-1:].isdigit():
        tone = int(letters[-1])
        letters = letters[:-1]
        if marks or not 1 <= tone <= 9:
            raise SyllableError(f"a tone digit 1-9 and no tone mark, or a mark and no digit: {text!r}")
    elif len(marks) > 1:
        raise SyllableError(f"more than one tone mark: {text!r}")
    else:
        tone = POJ_TONE_OF_MARK[marks[0]] if marks else None
    letters = letters.replace("o" + POJ_DOT, "oo").replace("u" + DIAERESIS_BELOW, "ir") \
                     .replace("o" + DIAERESIS_BELOW, "er")
    nasal = False
    if letters.endswith(NASAL):
        nasal, letters = True, letters[:-1]
    elif letters.endswith(NASAL + "h"):
        nasal, letters = True, letters[:-2] + "h"
    if not _POJ_LETTERS.match(letters):
        raise SyllableError(f"not a Pe̍h-ōe-jī syllable: {text!r}")
    for poj, tl in _POJ_INITIALS:
        if letters.startswith(poj):
            initial, rest = tl, letters[len(poj):]
            break
    glottal = rest.endswith("h")
    core = rest[:-1] if glottal else rest
    if core.startswith(("oa", "oe")):
        core = "u" + core[1:]                 # oa oai oan oat oang oe -> ua uai uan uat uang ue
    elif core in ("eng", "ek"):
        core = "i" + core[1:]                 # eng ek -> ing ik
    if nasal and core == "oo":
        core = "o"                            # o͘ⁿ: TL onn
    tl_letters = initial + core + ("nn" if nasal else "") + ("h" if glottal else "")
    if tone is None:
        tone = 4 if _checked(tl_letters) else 1
    return _validate((NEUTRAL_PREFIX if neutral else "") + tl_letters + str(tone), text)


# --------------------------------------------------------------------------
# Finding and converting words
# --------------------------------------------------------------------------

_LATIN = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0300-\u036f\u207f"
_RUN = re.compile(f"[{_LATIN}-]+")
_LATIN_CHAR = re.compile(f"[{_LATIN}]")
_HARD_JOINERS = frozenset("@/\\_#=%+~&|$^")
_SOFT_JOINERS = frozenset(".:'\u2019")
_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[!-~]+")
_SEPARATOR = re.compile(r"(-+)")


def _is_latin(ch: str) -> bool:
    return bool(ch) and _LATIN_CHAR.match(ch) is not None


def _glued(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is part of a larger token (URL, e-mail, path, e.g., don't)."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    if before in _HARD_JOINERS or after in _HARD_JOINERS:
        return True
    if before in _SOFT_JOINERS and _is_latin(text[start - 2] if start > 1 else ""):
        return True
    return after in _SOFT_JOINERS and _is_latin(text[end + 1] if end + 1 < len(text) else "")


def _split_word(word: str) -> list[str] | None:
    """``Tâi-uân`` -> ["Tâi", "uân"]; ``bô--khì`` -> ["bô", "--khì"]; None if not syllables joined by - or --."""
    pieces = _SEPARATOR.split(word)
    syllables = []
    prefix = ""
    if pieces[0] == "":
        if len(pieces) < 3 or pieces[1] != NEUTRAL_PREFIX:
            return None
        prefix, pieces = NEUTRAL_PREFIX, pieces[2:]
    for k, piece in enumerate(pieces):
        if k % 2:
            if piece not in ("-", NEUTRAL_PREFIX):
                return None
            prefix = piece if piece == NEUTRAL_PREFIX else ""
        else:
            if not piece:
                return None
            syllables.append(prefix + piece)
    return syllables


def _case(syllable: str) -> str | None:
    """"lower", "title" or "upper"; None for any other mix of cases."""
    letters = [ch for ch in unicodedata.normalize("NFD", syllable) if ch.isalpha() and ch != NASAL]
    if not letters:
        return None
    if all(ch.islower() for ch in letters):
        return "lower"
    if letters[0].isupper() and all(ch.islower() for ch in letters[1:]):
        return "title"
    if all(ch.isupper() for ch in letters):
        return "upper"
    return None


def _parse_all(syllables: list[str], parser) -> list[str] | None:
    try:
        return [parser(s) for s in syllables]
    except SyllableError:
        return None


@functools.lru_cache(maxsize=8192)
def convert_word(word: str, system: System, tones: ToneStyle) -> str | None:
    """One candidate word in `system`, or None when it is not TL or POJ (or is ambiguous)."""
    syllables = _split_word(word)
    if not syllables:
        return None
    cases = [_case(s) for s in syllables]
    if None in cases:
        return None
    tl = _parse_all(syllables, parse_tl_syllable)
    poj = _parse_all(syllables, parse_poj_syllable)
    if tl and poj and tl != poj:
        return None
    numbered = tl or poj
    if not numbered:
        return None
    separator = " " if system not in LATIN_SYSTEMS else "-"
    out = []
    for k, (syllable, case) in enumerate(zip(numbered, cases)):
        text = render(syllable, system, tones)
        if case == "title":
            text = capitalize(text, system)
        elif case == "upper" and system in LATIN_SYSTEMS:
            text = unicodedata.normalize("NFC", text.upper())
        if k and not text.startswith("-"):
            out.append(separator)       # a neutral syllable brings its own "--"
        out.append(text)
    return "".join(out)


@dataclasses.dataclass(frozen=True)
class Conversion:
    """The converted text and where it differs from the input.

    `edits` holds (start, end, new_start, new_end) for each replaced word,
    in order: ``text[start:end]`` of the input became
    ``converted[new_start:new_end]``.
    """

    original: str
    text: str
    edits: tuple[tuple[int, int, int, int], ...]

    @functools.cached_property
    def _starts(self) -> tuple[list[int], list[int]]:
        return [e[0] for e in self.edits], [e[2] for e in self.edits]

    def new_offset(self, old: int) -> int | None:
        """Where input offset `old` is in the converted text; None inside a replaced word."""
        k = bisect.bisect_right(self._starts[0], old) - 1
        if k < 0:
            return old
        start, end, new_start, new_end = self.edits[k]
        if old < end:
            return new_start if old == start else None
        return old + (new_end - end)

    def old_offset(self, new: int) -> int | None:
        """Where converted-text offset `new` was in the input; None inside a replaced word."""
        k = bisect.bisect_right(self._starts[1], new) - 1
        if k < 0:
            return new
        start, end, new_start, new_end = self.edits[k]
        if new < new_end:
            return start if new == new_start else None
        return new + (end - new_end)

    def map_picks(self, picks: Mapping[int, int] | None) -> dict[int, int] | None:
        """Picks keyed by input offsets, re-keyed by converted-text offsets.

        Picks only apply to Han tokens, which never start inside a converted
        word, so picks that fall there are dropped.
        """
        if picks is None or not self.edits:
            return picks
        moved = {}
        for start, choice in picks.items():
            new = self.new_offset(start)
            if new is not None:
                moved[new] = choice
        return moved

    def restore_html_offsets(self, html: str) -> str:
        """`to_html` output of the converted text with its ``data-start`` offsets back in input terms."""
        if not self.edits:
            return html

        def back(match):
            old = self.old_offset(int(match[1]))
            return f'data-start="{match[1] if old is None else old}"'

        # Only the core writes data-start="N": text is escaped, so a quote in
        # the input is &quot; and cannot form the attribute.
        return re.sub(r'data-start="(\d+)"', back, html)


def convert_with_offsets(text: str, options) -> Conversion:
    """`convert_romanized`, with what is needed to map offsets between the two texts."""
    system, tones = options.system, options.tones
    urls = [m.span() for m in _URL.finditer(text)] if ("//" in text or "www." in text) else []
    url = 0                     # the first URL that does not end before the current word
    pieces: list[str] = []
    edits = []
    last = 0
    shift = 0
    for match in _RUN.finditer(text):
        start, end = match.span()
        while url < len(urls) and urls[url][1] <= start:
            url += 1
        if (url < len(urls) and urls[url][0] < end) or _glued(text, start, end):
            continue
        converted = convert_word(match.group(), system, tones)
        if converted is None or converted == match.group():
            continue
        pieces += [text[last:start], converted]
        new_start = start + shift
        edits.append((start, end, new_start, new_start + len(converted)))
        shift += len(converted) - (end - start)
        last = end
    pieces.append(text[last:])
    return Conversion(text, "".join(pieces), tuple(edits))


def convert_romanized(text: str, options) -> str:
    """`text` with each Tâi-lô or Pe̍h-ōe-jī word rewritten in ``options.system``/``options.tones``.

    Everything else, Han text included, is returned exactly as it was.  See
    the module docstring for which words count.
    """
    return convert_with_offsets(text, options).text

