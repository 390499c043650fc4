"""Output options and the per-syllable strings they render to.

Both the Cython core and the pure-Python reference render a syllable by
looking it up in the list that `rendered_strings` builds: for syllable id i,
entries VARIANTS*i .. VARIANTS*i+5 are the citation form, the spoken (sandhi)
form, and the spoken form before the suffix 仔 á, each plain then
capitalised.  Choosing a system or tone style therefore costs nothing per
character.  `syllable_flags` says which syllables are neutral-tone or the
suffix á, which decides the sandhi of the syllable before them.
"""

from __future__ import annotations

import enum
import itertools

from .syllable import alternants, render_tailo_all
from .systems import (Dialect, System, ToneStyle, capitalize_all, parse_dialect, parse_system,
                      parse_tones, render, sandhi_syllable)

__all__ = ["Options", "Sandhi", "Punctuation", "Romanized", "rendered_strings", "syllable_flags", "syllable_separator",
           "VARIANTS", "variant_index"]

VARIANTS = 6                 # strings per syllable: (citation, spoken, spoken before á) x (plain, capital)
SPOKEN, SPOKEN_BEFORE_A = 1, 2
FLAG_NEUTRAL, FLAG_SUFFIX_A = 1, 2


def variant_index(syllable_id: int, capital: bool = False, form: int = 0) -> int:
    """Where a syllable's string sits in `rendered_strings`; form 0 citation, 1 spoken, 2 before á."""
    return syllable_id * VARIANTS + 2 * form + (1 if capital else 0)


class Sandhi(str, enum.Enum):
    NONE = "none"   # citation tones (本調)
    AUTO = "auto"   # spoken tones (變調) for all but the last syllable of a tone group


class Romanized(str, enum.Enum):
    KEEP = "keep"        # Latin text passes through unchanged (the default)
    CONVERT = "convert"  # TL/POJ words in the text are rewritten in the chosen system (fastpron.romanized)


class Punctuation(str, enum.Enum):
    LATIN = "latin"  # romanize: ，。「」 -> , . “ ”
    KEEP = "keep"


# Systems written with Han characters or Bopomofo keep full-width CJK
# punctuation unless `punctuation="latin"` is asked for.
CJK_PUNCTUATION_SYSTEMS = frozenset({System.TPS, System.SNI})


def default_punctuation(system: System) -> Punctuation:
    """The punctuation a system writes when none is asked for: CJK for 方音符號 and 十五音, else Latin."""
    return Punctuation.KEEP if system in CJK_PUNCTUATION_SYSTEMS else Punctuation.LATIN


def _parse_enum(kind: type[enum.Enum], value, what: str):
    if isinstance(value, kind):
        return value
    try:
        return kind(str(value).strip().lower())
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise ValueError(f"unknown {what} {value!r}; choose one of: {choices}") from None


# Systems written without a separator between syllables would be ambiguous;
# the Latin ones hyphenate, the others separate syllables with a space.
_SEPARATORS = {System.TPS: " ", System.SNI: " ", System.IPA: " "}


def syllable_separator(system: System) -> str:
    return _SEPARATORS.get(system, "-")


class Options:
    """The output options of a call: frozen, compared and hashed by value (render
    tables and the per-call cache are keyed by them).

    It behaves as the frozen dataclass it was (init, repr, equality, hash, no
    assignment), written out: importing dataclasses, and the inspect module it
    loads, was about a quarter of fastpron's start-up.
    """

    _FIELDS = ("system", "tones", "sandhi", "dialect", "capitalize", "punctuation", "romanized",
               "punctuation_follows_system")
    __match_args__ = _FIELDS

    def __init__(self, system: System = System.TL, tones: ToneStyle = ToneStyle.MARKS,
                 sandhi: Sandhi = Sandhi.NONE,
                 dialect: Dialect | None = None,             # None: the usual reading, as the lexicon writes it
                 capitalize: bool = True, punctuation: Punctuation = Punctuation.LATIN,
                 romanized: Romanized = Romanized.KEEP,      # romanize/to_html: keep or convert TL/POJ words
                 punctuation_follows_system: bool = True):   # `punctuation` was not asked for (default_punctuation)
        self.__dict__.update(system=system, tones=tones, sandhi=sandhi, dialect=dialect, capitalize=capitalize,
                             punctuation=punctuation, romanized=romanized,
                             punctuation_follows_system=punctuation_follows_system)

    def _values(self) -> tuple:
        return (self.system, self.tones, self.sandhi, self.dialect, self.capitalize, self.punctuation,
                self.romanized, self.punctuation_follows_system)

    def __eq__(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self):
        return hash(self._values())

    def __repr__(self):
        fields = ", ".join(f"{name}={value!r}" for name, value in zip(self._FIELDS, self._values()))
        return f"{self.__class__.__qualname__}({fields})"

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name):
        raise AttributeError(f"cannot delete field {name!r}")

    @classmethod
    def make(cls, system=System.TL, tones=ToneStyle.MARKS, sandhi=Sandhi.NONE, dialect=None,
             capitalize=True, punctuation=None, romanized=Romanized.KEEP) -> "Options":
        """Options from enum members or their names; a clear ValueError for anything else.

        `punctuation` None (the default) is the system's own: full-width CJK
        punctuation for 方音符號 and 十五音, Latin for the others.
        """
        if not isinstance(capitalize, bool):
            raise ValueError(f"capitalize must be True or False, not {capitalize!r}")
        system = parse_system(system)
        follows = punctuation is None
        punctuation = default_punctuation(system) if follows else _parse_enum(Punctuation, punctuation, "punctuation")
        return cls(system, parse_tones(tones), _parse_enum(Sandhi, sandhi, "sandhi"),
                   parse_dialect_option(dialect), capitalize, punctuation,
                   _parse_enum(Romanized, romanized, "romanized"), follows)

    def replace(self, **changes) -> "Options":
        current = dict(zip(self._FIELDS, self._values()))
        if current.pop("punctuation_follows_system"):
            current["punctuation"] = None
        current.update(changes)
        return Options.make(**current)

    @property
    def table_key(self) -> tuple:
        """What the rendered strings depend on."""
        return (self.system, self.tones, self.dialect, self.sandhi)


USUAL_DIALECT_NAMES = ("usual", "default", "")


def parse_dialect_option(value) -> Dialect | None:
    """None (or "usual") keeps each word's usual reading; south or north choose."""
    if value is None or (isinstance(value, str) and value.strip().lower() in USUAL_DIALECT_NAMES):
        return None
    return parse_dialect(value)


def _dialect_side(options: Options) -> int:
    return {None: 2, Dialect.SOUTH: 0, Dialect.NORTH: 1}[options.dialect]


def rendered_strings(syllables: list[str], options: Options) -> list[str]:
    """VARIANTS strings per syllable, in the order `variant_index` gives.

    With sandhi off the spoken forms are never read, so they repeat the
    citation form; each distinct form is rendered once.
    """
    pick = _dialect_side(options)
    plain = [alternants(syllable)[pick] if "/" in syllable else syllable for syllable in syllables]
    if options.sandhi == Sandhi.AUTO:
        sandhi_dialect = options.dialect or Dialect.SOUTH     # 5 -> 7, the common rule
        forms = [(form, sandhi_syllable(form, sandhi_dialect), sandhi_syllable(form, sandhi_dialect, before_a=True))
                 for form in plain]
        distinct = list(dict.fromkeys(itertools.chain.from_iterable(forms)))
    else:
        distinct = list(dict.fromkeys(plain))

    # The default output is built at every start-up; its syllables were checked
    # when the lexicon or the user entry was read, so the plain Tâi-lô writer,
    # which gives the same text (tests/test_lexicon.py) in a fraction of the time, does.
    if options.system is System.TL and options.tones is ToneStyle.MARKS:
        texts = render_tailo_all([form.lower() for form in distinct])
    else:
        texts = [render(form, options.system, options.tones) for form in distinct]
    text_of = dict(zip(distinct, texts))
    capital_of = dict(zip(distinct, capitalize_all(texts, options.system)))
    # Filled a column at a time (no tuple per syllable: at start-up the garbage
    # collector would walk them all, and more besides).
    strings = [""] * (VARIANTS * len(plain))
    for form in range(3):
        column = plain if options.sandhi != Sandhi.AUTO else [triple[form] for triple in forms]
        strings[2 * form::VARIANTS] = map(text_of.__getitem__, column)
        strings[2 * form + 1::VARIANTS] = map(capital_of.__getitem__, column)
    return strings


def syllable_flags(syllables: list[str], options: Options) -> bytes:
    """Per syllable: FLAG_NEUTRAL for a neutral tone, FLAG_SUFFIX_A for the suffix á (a2)."""
    pick = _dialect_side(options)
    flags = bytearray(len(syllables))
    for k, syllable in enumerate(syllables):
        plain = (alternants(syllable)[pick] if "/" in syllable else syllable).lower()
        if plain.startswith("--") or plain == "a2":         # most syllables are neither: 0
            flags[k] = (FLAG_NEUTRAL if plain.startswith("--") else 0) | (FLAG_SUFFIX_A if plain == "a2" else 0)
    return bytes(flags)
