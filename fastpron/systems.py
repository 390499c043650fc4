"""Render numbered Tâi-lô syllables in every output system fastpron offers.

A reading is stored as numbered Tâi-lô (see ``fastpron.syllable``):
``[--]<letters><tone digit>``.  ``render`` turns one such syllable into
Tâi-lô, Pe̍h-ōe-jī, TLPA, Bbánlám pìngyīm, 方音符號, IPA, 十五音 or 台語通用拼音,
with tone marks, tone numbers or no tones.  ``sandhi_syllable`` gives the
spoken (變調) tone of a syllable that is not last in its tone group.

The compiled core precomputes tables from these functions at load time, so
they favour plain, table-driven code over speed.  Every choice that is not
obvious is explained, with its source, in docs/systems.md.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata

from .syllable import NEUTRAL_PREFIX, SyllableError, nfc_each, render_tailo, split_numbered


class System(str, enum.Enum):
    TL = "tl"
    POJ = "poj"
    TLPA = "tlpa"
    BP = "bp"
    TPS = "tps"
    IPA = "ipa"
    SNI = "sni"
    TONGIONG = "tongiong"


class ToneStyle(str, enum.Enum):
    MARKS = "marks"
    NUMBERS = "numbers"
    NONE = "none"


class Dialect(str, enum.Enum):
    SOUTH = "south"
    NORTH = "north"


# --------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------

# Tâi-lô initials, longest first so that "tsh" wins over "ts".
TL_INITIALS = ("tsh", "ts", "ph", "th", "kh", "ng", "p", "b", "m", "t", "n", "l", "k", "g", "h", "s", "j")
NASAL_INITIALS = ("m", "n", "ng")

# Combining tone marks used below.
ACUTE, GRAVE, CIRCUMFLEX, CARON, MACRON = "\u0301", "\u0300", "\u0302", "\u030c", "\u0304"
VERTICAL_LINE, DOUBLE_ACUTE, BREVE, RING = "\u030d", "\u030b", "\u0306", "\u030a"
POJ_DOT = "\u0358"  # COMBINING DOT ABOVE RIGHT, the dot of o͘
DOT_ABOVE = "\u0307"  # 方音符號 陽入: a dot on the checked-coda letter

# Tone 6 (陽上) merged long ago; the Amoy tradition the older systems come
# from counts it "the same as the 2nd" (docs/systems.md), so systems with no
# mark of their own for it write tone 2's mark.
POJ_MARKS = {2: ACUTE, 3: GRAVE, 5: CIRCUMFLEX, 6: ACUTE, 7: MACRON, 8: VERTICAL_LINE, 9: BREVE}
BP_MARKS = {1: MACRON, 2: CARON, 3: GRAVE, 4: MACRON, 5: ACUTE, 6: CARON, 7: CIRCUMFLEX, 8: ACUTE, 9: DOUBLE_ACUTE}
TONGIONG_MARKS = {2: GRAVE, 3: CIRCUMFLEX, 4: MACRON, 5: BREVE, 6: GRAVE, 7: MACRON, 9: ACUTE}
TONGIONG_NEUTRAL_MARK = RING
TPS_MARKS = {2: "ˋ", 3: "˪", 5: "ˊ", 6: "ˋ", 7: "˫", 9: "˝"}
TPS_OPEN_TONE8 = "˙"  # tone 8 on a syllable with no coda to put the dot on

POJ_INITIALS = {"ts": "ch", "tsh": "chh"}
TLPA_INITIALS = {"ts": "c", "tsh": "ch"}
BP_INITIALS = {
    "p": "b", "ph": "p", "b": "bb", "m": "bbn", "t": "d", "th": "t", "n": "ln", "l": "l",
    "k": "g", "kh": "k", "g": "gg", "ng": "ggn", "h": "h", "ts": "z", "tsh": "c", "s": "s", "j": "zz",
}
# Before a syllabic m/ng the nasal is already there: m-ng -> bb-ng, n-ng -> l-ng.
BP_ORAL_OF_NASAL = {"m": "bb", "n": "l", "ng": "gg"}
TONGIONG_INITIALS = {
    "p": "b", "ph": "p", "b": "bh", "t": "d", "th": "t", "k": "g", "kh": "k", "g": "gh",
    "ts": "z", "tsh": "c", "j": "r",
}

TPS_INITIALS = {
    "p": "ㄅ", "ph": "ㄆ", "b": "ㆠ", "m": "ㄇ", "t": "ㄉ", "th": "ㄊ", "n": "ㄋ", "l": "ㄌ",
    "k": "ㄍ", "kh": "ㄎ", "g": "ㆣ", "ng": "ㄫ", "h": "ㄏ", "ts": "ㄗ", "tsh": "ㄘ", "s": "ㄙ", "j": "ㆡ", "": "",
}
TPS_PALATAL = {"ts": "ㄐ", "tsh": "ㄑ", "s": "ㄒ", "j": "ㆢ"}  # before i
# Rime pieces, matched longest first.  "o" here is TL's o; TL's ɔ before a
# coda (ok, op, om, ong, onn) is handled by the combined letters or _tps_rime.
TPS_RIME_PIECES = {
    "ainn": "ㆮ", "aunn": "ㆯ", "ann": "ㆩ", "enn": "ㆥ", "inn": "ㆪ", "onn": "ㆧ", "unn": "ㆫ",
    "ang": "ㄤ", "ong": "ㆲ", "ai": "ㄞ", "au": "ㄠ", "an": "ㄢ", "am": "ㆰ", "om": "ㆱ",
    "oo": "ㆦ", "ng": "ㄥ", "ir": "ㆨ", "ee": "ㄝ", "er": "ㄜ",
    "a": "ㄚ", "i": "ㄧ", "u": "ㄨ", "e": "ㆤ", "o": "ㄜ", "m": "ㆬ", "n": "ㄣ",
    "p": "ㆴ", "t": "ㆵ", "k": "ㆻ", "h": "ㆷ",
}
TPS_SYLLABIC = {"m": "ㆬ", "ng": "ㆭ"}
TPS_STOPS = "ㆴㆵㆻㆷ"

IPA_INITIALS = {
    "p": "p", "ph": "pʰ", "b": "b", "m": "m", "t": "t", "th": "tʰ", "n": "n", "l": "l",
    "k": "k", "kh": "kʰ", "g": "g", "ng": "ŋ", "h": "h", "ts": "ts", "tsh": "tsʰ", "s": "s", "j": "dz", "": "",
}
IPA_PALATAL = {"ts": "tɕ", "tsh": "tɕʰ", "s": "ɕ", "j": "dʑ"}  # before i
IPA_VOWELS = {"a": "a", "i": "i", "u": "u", "e": "e", "o": "o", "oo": "ɔ", "ir": "ɨ", "er": "ə", "ee": "ɛ"}
IPA_CODAS = {"": "", "m": "m", "n": "n", "ng": "ŋ", "p": "p̚", "t": "t̚", "k": "k̚"}
IPA_SYLLABIC = {"m": "m\u0329", "ng": "ŋ\u030d"}
NASALIZED = "\u0303"
# Chao pitch values, Taipei (zh.wikipedia 臺灣話 聲調 table); 6 as 2, 9 is
# the mid-rising ninth tone.  The neutral tone is the fixed low tone.
IPA_PITCH = {1: "55", 2: "51", 3: "31", 4: "3", 5: "24", 6: "51", 7: "33", 8: "5", 9: "35"}
IPA_NEUTRAL_PITCH = {"open": "31", "checked": "3"}
CHAO_LETTERS = {"1": "˩", "2": "˨", "3": "˧", "4": "˦", "5": "˥"}
SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

# 十五音 (彙音寶鑑): initials, and the 50 finals named by their open member.
SNI_INITIALS = {
    "l": "柳", "p": "邊", "k": "求", "kh": "去", "t": "地", "ph": "頗", "th": "他", "ts": "曾",
    "j": "入", "s": "時", "": "英", "b": "門", "g": "語", "tsh": "出", "h": "喜",
    "m": "門", "n": "柳", "ng": "語",  # nasal allophones of b/l/g before nasal finals
}
SNI_FINALS = {
    "un": "君", "ian": "堅", "im": "金", "ui": "規", "ee": "嘉", "an": "干", "ong": "公", "uai": "乖",
    "ing": "經", "uan": "觀", "oo": "沽", "iau": "嬌", "ei": "稽", "iong": "恭", "o": "高", "ai": "皆",
    "in": "巾", "iang": "姜", "am": "甘", "ua": "瓜", "ang": "江", "iam": "兼", "au": "交", "ia": "迦",
    "ue": "檜", "ann": "監", "u": "艍", "a": "膠", "i": "居", "iu": "丩", "enn": "更", "uinn": "褌",
    "io": "茄", "inn": "梔", "ionn": "薑", "iann": "驚", "uann": "官", "ng": "鋼", "e": "伽", "ainn": "閒",
    "onn": "姑", "m": "姆", "uang": "光", "uainn": "閂", "uenn": "糜", "iaunn": "嘄", "om": "箴",
    "aunn": "爻", "iunn": "牛",
}
# A checked final is named after its open partner: -p/-t/-k pair with -m/-n/-ng.
SNI_OPEN_OF_STOP = {"p": "m", "t": "n", "k": "ng"}
CHINESE_NUMERALS = "〇一二三四五六七八九"

SANDHI_OPEN = {1: 7, 7: 3, 3: 2, 2: 1}
SANDHI_5 = {Dialect.SOUTH: 7, Dialect.NORTH: 3}
SANDHI_STOP = {4: 8, 8: 4}  # -p -t -k
SANDHI_GLOTTAL = {4: 2, 8: 3}  # -h

SYSTEM_ALIASES = {
    System.TL: ("tl", "tailo", "tâilô", "taiwaneseromanization", "臺羅", "台羅", "臺灣台語羅馬字拼音方案", "台灣閩南語羅馬字拼音方案"),
    System.POJ: ("poj", "pehoeji", "pe̍hōejī", "白話字", "churchromanization"),
    System.TLPA: ("tlpa", "台灣語言音標方案", "臺灣語言音標方案", "台灣語言音標"),
    System.BP: ("bp", "pingyim", "bbanlampingyim", "bbánlámpìngyīm", "閩拼", "閩南話拼音", "閩南話拼音方案", "閩南拼音"),
    System.TPS: ("tps", "zhuyin", "bopomofo", "方音符號", "臺灣方音符號", "台灣方音符號", "方音", "台語注音", "臺語注音"),
    System.IPA: ("ipa", "國際音標"),
    System.SNI: ("sni", "十五音", "彙音寶鑑", "fifteensounds"),
    System.TONGIONG: ("tongiong", "tongyong", "tongiongpingim", "daighitongiongpingim", "dt", "台語通用拼音", "通用拼音", "台通"),
}
TONE_ALIASES = {
    ToneStyle.MARKS: ("marks", "mark", "diacritics", "diacritic", "tonemarks", "accents"),
    ToneStyle.NUMBERS: ("numbers", "number", "numbered", "numeric", "digits", "num"),
    ToneStyle.NONE: ("none", "strip", "stripped", "plain", "no", "off", "toneless"),
}
DIALECT_ALIASES = {
    Dialect.SOUTH: ("south", "southern", "s", "南", "漳", "zhangzhou"),
    Dialect.NORTH: ("north", "northern", "n", "北", "泉", "quanzhou"),
}

LATIN_SYSTEMS = (System.TL, System.POJ, System.TLPA, System.BP, System.TONGIONG)


# --------------------------------------------------------------------------
# Parsing a numbered syllable into its parts
# --------------------------------------------------------------------------

_FINAL = re.compile(r"(?P<vowels>[aeiour]*)(?P<nasal>nn)?(?P<coda>ng|m|n|p|t|k)?(?P<glottal>h)?\Z")


class Parts:
    """One syllable: ``--tsiunnh8`` -> neutral, "ts", "iu", nasal, "", glottal, 8.

    (A plain class, not a dataclass: importing dataclasses is costly at start-up.)
    """

    __slots__ = ("neutral", "initial", "vowels", "nasal", "coda", "glottal", "tone")

    def __init__(self, neutral: bool, initial: str, vowels: str, nasal: bool, coda: str, glottal: bool, tone: int):
        self.neutral = neutral
        self.initial = initial    # "" for none
        self.vowels = vowels      # "" for a syllabic m / ng
        self.nasal = nasal        # written -nn
        self.coda = coda          # "", m, n, ng, p, t, k
        self.glottal = glottal    # written -h
        self.tone = tone

    def __repr__(self):
        return f"Parts({', '.join(f'{name}={getattr(self, name)!r}' for name in self.__slots__)})"

    @property
    def final(self) -> str:
        return self.vowels + ("nn" if self.nasal else "") + self.coda + ("h" if self.glottal else "")

    @property
    def letters(self) -> str:
        return self.initial + self.final

    @property
    def checked(self) -> bool:
        return self.glottal or self.coda in ("p", "t", "k")

    @property
    def syllabic(self) -> bool:
        return not self.vowels

    @property
    def nasal_vowels(self) -> bool:
        """Nasal vowels, written -nn or implied by an m/n/ng initial."""
        if self.syllabic or self.coda in ("m", "n", "ng", "p", "t", "k"):
            return self.nasal
        return self.nasal or self.initial in NASAL_INITIALS


def _split_final(final: str):
    match = _FINAL.match(final)
    if not match or not final:
        return None
    vowels, nasal, coda = match["vowels"], bool(match["nasal"]), match["coda"] or ""
    if not vowels and (nasal or coda not in ("m", "ng")):
        return None  # only m and ng stand as a syllable without a vowel
    if coda in ("p", "t", "k") and match["glottal"]:
        return None
    return vowels, nasal, coda, bool(match["glottal"])


def parse_parts(syllable: str) -> Parts:
    """Split one numbered syllable into initial, vowels, nasality, coda and tone."""
    neutral, letters, tone = split_numbered(syllable.strip().lower())
    for initial in TL_INITIALS + ("",):
        if letters.startswith(initial):
            split = _split_final(letters[len(initial):])
            if split:
                return Parts(neutral, initial, *split, tone)
    raise SyllableError(f"not a Tâi-lô syllable: {syllable!r}")


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def _mark_at(text: str, index: int, mark: str) -> str:
    """Put a combining mark after the character at ``index``."""
    return text[: index + 1] + mark + text[index + 1 :]


def _first_of(text: str, letters: str) -> int:
    """Index of the first letter of ``letters`` (in priority order) found in text, or -1."""
    for letter in letters:
        if letter in text:
            return text.index(letter)
    return -1


def _palatal(parts: Parts) -> bool:
    """ts/tsh/s/j are palatal before i (but not before the dialect vowel ir)."""
    return parts.vowels.startswith("i") and not parts.vowels.startswith("ir")


def _sides(syllable: str) -> list[str]:
    """``--jin5/*lin5`` -> ["--jin5", "--lin5"]: a pair's sides, "*" (usual mark) dropped."""
    prefix = NEUTRAL_PREFIX if syllable.startswith(NEUTRAL_PREFIX) else ""
    sides = syllable[len(prefix):].split("/")
    return [prefix + side.lstrip("*") for side in sides]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _prefix(parts: Parts) -> str:
    return NEUTRAL_PREFIX if parts.neutral else ""


def _latin(parts: Parts, letters: str, tones: ToneStyle, mark_index: int, marks: dict, neutral_mark: str | None = None) -> str:
    """Assemble a Latin-script syllable in the requested tone style."""
    if tones is ToneStyle.NUMBERS:
        return _prefix(parts) + letters + str(parts.tone)
    if tones is ToneStyle.MARKS:
        mark = neutral_mark if (parts.neutral and neutral_mark) else marks.get(parts.tone, "")
        if mark:
            letters = _mark_at(letters, mark_index, mark)
    return _prefix(parts) + letters


# --------------------------------------------------------------------------
# The systems
# --------------------------------------------------------------------------

def _render_tl(parts: Parts, tones: ToneStyle) -> str:
    if tones is ToneStyle.MARKS:
        return render_tailo(_prefix(parts) + parts.letters + str(parts.tone))
    return _latin(parts, parts.letters, tones, 0, {})


def _render_tlpa(parts: Parts, tones: ToneStyle) -> str:
    letters = TLPA_INITIALS.get(parts.initial, parts.initial) + parts.final
    if tones is ToneStyle.NONE:
        return _prefix(parts) + letters
    return _prefix(parts) + letters + str(parts.tone)  # TLPA writes tone numbers only


def parse_tlpa(text: str) -> str:
    """A numbered TLPA syllable (as ``render(..., System.TLPA)`` writes it) to numbered Tâi-lô."""
    neutral, letters, tone = split_numbered(text.strip().lower())
    if letters.startswith("ch"):
        letters = "tsh" + letters[2:]
    elif letters.startswith("c"):
        letters = "ts" + letters[1:]
    return (NEUTRAL_PREFIX if neutral else "") + letters + str(tone)


def _render_poj(parts: Parts, tones: ToneStyle) -> str:
    vowels, coda = parts.vowels, parts.coda
    if vowels.startswith(("ua", "ue")):
        vowels = "o" + vowels[1:]  # ua -> oa, ue -> oe, uai -> oai ...
    if vowels == "i" and coda in ("ng", "k"):
        vowels = "e"  # ing -> eng, ik -> ek
    initial = POJ_INITIALS.get(parts.initial, parts.initial)
    # o͘ is built as "O" so that the mark lands on the o, before the dot.
    vowels = vowels.replace("oo", "O")
    letters = initial + vowels + coda + ("h" if parts.glottal else "") + ("ⁿ" if parts.nasal else "")
    mark_index = len(initial) + _poj_mark_index(vowels, coda, parts.glottal)
    text = _latin(parts, letters, tones, mark_index, POJ_MARKS)
    return text.replace("O", "o" + POJ_DOT)


def _poj_mark_index(vowels: str, coda: str, glottal: bool) -> int:
    """Index (within vowels + coda) of the letter carrying the POJ tone mark."""
    if not vowels:
        return 0  # m, or the n of ng
    if vowels in ("oa", "oe"):
        # oa/oe carry the mark on the o at the end of a syllable (góa, hóe,
        # sòaⁿ) and on the a/e before a consonant (koán, oa̍h, goe̍h).
        return 1 if (coda or glottal) else 0
    return _first_of(vowels, "aOoeui")


def _render_bp(parts: Parts, tones: ToneStyle) -> str:
    vowels = parts.vowels.replace("au", "ao")
    if parts.nasal and vowels == "o":
        vowels = "oo"  # TL onn is ɔ̃; BP's o is [o], its ɔ is oo
    if parts.syllabic and parts.initial in NASAL_INITIALS:
        initial = BP_ORAL_OF_NASAL[parts.initial]
    else:
        initial = BP_INITIALS.get(parts.initial, "")
    if not parts.initial and vowels[:1] == "i":
        initial, vowels = "y", (vowels if vowels == "i" else vowels[1:])  # i -> yi, ia -> ya
    elif not parts.initial and vowels[:1] == "u":
        initial, vowels = "w", (vowels if vowels == "u" else vowels[1:])  # u -> wu, ua -> wa
    if parts.nasal:
        initial += "n"  # BP writes nasality after the initial: sann -> sna
    letters = initial + vowels + parts.coda + ("h" if parts.glottal else "")
    mark_index = len(initial) + _bp_mark_index(vowels)
    return _latin(parts, letters, tones, mark_index, BP_MARKS)


def _bp_mark_index(vowels: str) -> int:
    if not vowels:
        return 0  # m, or the n of ng
    if "oo" in vowels:
        return vowels.index("oo") + 1  # BP marks the second o of oo
    if vowels in ("iu", "ui"):
        return 1
    return _first_of(vowels, "aoeiu")


def _render_tongiong(parts: Parts, tones: ToneStyle) -> str:
    vowels = parts.vowels
    if vowels == "oo":
        vowels = "o"  # ɔ
    elif vowels.endswith("o") and parts.coda not in ("k", "p", "m", "ng") and not parts.nasal:
        vowels += "r"  # TL's o [o/ə] is or; its ɔ before a coda stays o
    initial = TONGIONG_INITIALS.get(parts.initial, parts.initial)
    letters = initial + vowels + ("nn" if parts.nasal else "") + parts.coda + ("h" if parts.glottal else "")
    if not vowels:
        mark_index = len(initial)
    elif vowels in ("iu", "ui"):
        mark_index = len(initial) + 1
    else:
        mark_index = len(initial) + _first_of(vowels, "aoeiu")
    return _latin(parts, letters, tones, mark_index, TONGIONG_MARKS, TONGIONG_NEUTRAL_MARK)


def _tps_rime(parts: Parts) -> str:
    if parts.syllabic:
        rime = TPS_SYLLABIC[parts.coda]
        return rime + ("ㆷ" if parts.glottal else "")
    vowels = parts.vowels
    if vowels.endswith("o") and parts.coda in ("k", "p"):
        vowels += "o"  # TL ok/op are ɔk/ɔp: ㆦㆻ, ㆦㆴ
    rest = vowels + ("nn" if parts.nasal else "") + parts.coda + ("h" if parts.glottal else "")
    out = ""
    while rest:
        for size in (4, 3, 2, 1):
            piece = TPS_RIME_PIECES.get(rest[:size])
            if piece:
                out += piece
                rest = rest[size:]
                break
        else:
            raise SyllableError(f"no 方音符號 for {parts.final!r}")
    return out


def _render_tps(parts: Parts, tones: ToneStyle) -> str:
    initials = TPS_PALATAL if _palatal(parts) else {}
    text = initials.get(parts.initial) or TPS_INITIALS[parts.initial]
    text += _tps_rime(parts)
    if tones is ToneStyle.NUMBERS:
        text += str(parts.tone)
    elif tones is ToneStyle.MARKS:
        text += _tps_tone_mark(text, parts.tone)
    return text    # 方音符號 has no neutral-tone marker: no Tâi-lô "--"


def _tps_tone_mark(text: str, tone: int) -> str:
    """The mark that follows ``text``; tone 8 is a dot on the checked coda."""
    if tone == 8:
        return DOT_ABOVE if text[-1] in TPS_STOPS else TPS_OPEN_TONE8
    return TPS_MARKS.get(tone, "")


def _render_ipa(parts: Parts, tones: ToneStyle) -> str:
    initials = IPA_PALATAL if _palatal(parts) else {}
    text = initials.get(parts.initial) or IPA_INITIALS[parts.initial]
    if parts.syllabic:
        text += IPA_SYLLABIC[parts.coda]
    else:
        text += _ipa_vowels(parts) + IPA_CODAS[parts.coda]
    if parts.glottal:
        text += "ʔ"
    if tones is ToneStyle.NONE:
        return text
    if parts.neutral:
        pitch = IPA_NEUTRAL_PITCH["checked" if parts.checked else "open"]
    else:
        pitch = IPA_PITCH[parts.tone]
    if tones is ToneStyle.NUMBERS:
        return text + pitch.translate(SUPERSCRIPT_DIGITS)
    return text + "".join(CHAO_LETTERS[d] for d in pitch)


def _ipa_vowels(parts: Parts) -> str:
    vowels = parts.vowels
    # TL writes ɔ as o before a coda or nasality (ok, op, om, ong, onn).
    if vowels.endswith("o") and (parts.coda in ("k", "p", "m", "ng") or parts.nasal):
        vowels += "o"
    out = ""
    i = 0
    while i < len(vowels):
        size = 2 if vowels[i : i + 2] in IPA_VOWELS else 1
        out += IPA_VOWELS[vowels[i : i + size]] + (NASALIZED if parts.nasal_vowels else "")
        i += size
    return out


def sni_final_key(parts: Parts) -> str:
    """The TL final that names the syllable's 十五音 final: open partner, nasality made explicit."""
    vowels = parts.vowels
    nasal = parts.nasal_vowels
    if nasal and vowels == "oo":
        vowels = "o"  # TL spells nasal ɔ as onn
    coda = SNI_OPEN_OF_STOP.get(parts.coda, parts.coda)
    return vowels + ("nn" if nasal else "") + coda


def _render_sni(parts: Parts, tones: ToneStyle) -> str:
    key = sni_final_key(parts)
    final = SNI_FINALS.get(key) or f"[{parts.final}]"  # no traditional name: the TL final
    if tones is ToneStyle.MARKS:
        tone = CHINESE_NUMERALS[parts.tone]
    elif tones is ToneStyle.NUMBERS:
        tone = str(parts.tone)
    else:
        tone = ""
    return final + tone + SNI_INITIALS[parts.initial]    # no Tâi-lô "--" in 十五音


RENDERERS = {
    System.TL: _render_tl,
    System.POJ: _render_poj,
    System.TLPA: _render_tlpa,
    System.BP: _render_bp,
    System.TPS: _render_tps,
    System.IPA: _render_ipa,
    System.SNI: _render_sni,
    System.TONGIONG: _render_tongiong,
}


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------

def render(syllable: str, system: System = System.TL, tones: ToneStyle = ToneStyle.MARKS) -> str:
    """One numbered syllable (may start with ``--``) in ``system``, NFC.

    Capitals (the lexicon's proper-noun marker) are ignored; see ``capitalize``.
    A south/north pair ``a/b`` (``*`` marking the usual side is dropped) is
    rendered on both sides.

    >>> render("tsiah8"), render("tsiah8", System.POJ), render("tsiah8", System.TPS)
    ('tsia̍h', 'chia̍h', 'ㄐㄧㄚㆷ̇')
    """
    system, tones = parse_system(system), parse_tones(tones)
    if "/" in syllable:
        return "/".join(render(side, system, tones) for side in _sides(syllable))
    return _nfc(RENDERERS[system](parse_parts(syllable), tones))


def check_syllable(syllable: str) -> None:
    """Raise SyllableError unless every system can render `syllable` (both sides of a pair):
    a reading that reaches the render tables must never fail there."""
    for side in _sides(syllable):
        parse_parts(side.lower())
        for system in System:
            render(side, system)


def capitalize(rendered: str, system: System) -> str:
    """Upper-case the first letter (after a leading ``--``) for Latin systems."""
    if parse_system(system) not in LATIN_SYSTEMS:
        return rendered
    raised = _upper_first_letter(rendered)
    return _nfc(raised) if raised is not rendered else rendered


def capitalize_all(rendered: list[str], system: System) -> list[str]:
    """capitalize() of each of these NFC texts, with one NFC over them all (a render table's worth)."""
    if parse_system(system) not in LATIN_SYSTEMS:
        return list(rendered)
    return nfc_each([text[0].upper() + text[1:] if text[:1].isalpha() else _upper_first_letter(text)
                     for text in rendered])


def _upper_first_letter(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :]
    return text


# 仔前變調: before the suffix 仔 á, southern (Kaohsiung-type) speech departs
# from the general rule for four tones; elsewhere the general rule holds.
# Source: Lîm Hiàn-tông, "臺語連讀變調的特殊情形：仔前變調" (matters.news):
# 3 goes high level (印仔 ìn-á), -h 4 high level (桌仔 toh-á), 7 stays mid
# level (芋仔 ōo-á), -h 8 mid level (石仔 tsio̍h-á).  -p/-t/-k 8 becomes mid
# short, which has no tone number of its own; it is written as the general 4.
SANDHI_BEFORE_A = {3: 1, 7: 7}
SANDHI_BEFORE_A_GLOTTAL = {4: 1, 8: 7}


def sandhi_syllable(syllable: str, dialect: Dialect = Dialect.SOUTH, before_a: bool = False) -> str:
    """The spoken (變調) form of a syllable that is not last in its tone group.

    `before_a`: the syllable stands before the suffix 仔 á (仔前變調, south only).

    >>> sandhi_syllable("tsiah8"), sandhi_syllable("ah4"), sandhi_syllable("lang5", Dialect.NORTH)
    ('tsiah3', 'ah2', 'lang3')
    >>> sandhi_syllable("in3", before_a=True), sandhi_syllable("oo7", before_a=True)
    ('in1', 'oo7')
    """
    dialect = parse_dialect(dialect)
    if "/" in syllable:
        return "/".join(sandhi_syllable(side, dialect, before_a) for side in _sides(syllable))
    neutral, letters, tone = split_numbered(syllable.strip().lower())
    if neutral:
        return syllable
    if before_a and dialect == Dialect.SOUTH:
        table = SANDHI_BEFORE_A_GLOTTAL if letters.endswith("h") else SANDHI_BEFORE_A
        if tone in table:
            return syllable.strip()[: -1] + str(table[tone])
    if tone == 5:
        new = SANDHI_5[dialect]
    elif letters.endswith("h") and tone in SANDHI_GLOTTAL:
        new = SANDHI_GLOTTAL[tone]
    elif letters.endswith(("p", "t", "k")) and tone in SANDHI_STOP:
        new = SANDHI_STOP[tone]
    else:
        new = SANDHI_OPEN.get(tone, tone)  # 6 and 9 have no sandhi rule: unchanged
    return syllable.strip()[: -1] + str(new)


@functools.lru_cache(maxsize=256)     # the same few choices on every call of a server
def _alias_key(value: str) -> str:
    """Case-, accent-, space- and hyphen-insensitive form of a user's choice."""
    decomposed = unicodedata.normalize("NFD", value.strip().lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s\-_'.]+", "", plain)


_ALIAS_INDEXES: dict[type, dict] = {}


def _parse_choice(value, enum_type, aliases: dict, what: str):
    if isinstance(value, enum_type):
        return value
    if isinstance(value, str):
        index = _ALIAS_INDEXES.get(enum_type)
        if index is None:       # alias key -> the first member that has it
            index = {}
            for member, names in aliases.items():
                for name in names:
                    index.setdefault(_alias_key(name), member)
            _ALIAS_INDEXES[enum_type] = index
        member = index.get(_alias_key(value))
        if member is not None:
            return member
    choices = ", ".join(member.value for member in enum_type)
    raise ValueError(f"unknown {what} {value!r}; valid choices: {choices}")


def parse_system(value) -> System:
    """``"tailo"``, ``"Tâi-lô"``, ``"zhuyin"``, ``"方音符號"``, ``"閩拼"`` ... -> System."""
    return _parse_choice(value, System, SYSTEM_ALIASES, "romanization system")


def parse_tones(value) -> ToneStyle:
    """``"marks"``/``"mark"``, ``"numbers"``/``"number"``, ``"none"``/``"strip"`` -> ToneStyle."""
    return _parse_choice(value, ToneStyle, TONE_ALIASES, "tone style")


def parse_dialect(value) -> Dialect:
    """``"south"``/``"north"`` (and 漳/泉, 南/北) -> Dialect."""
    return _parse_choice(value, Dialect, DIALECT_ALIASES, "dialect")
