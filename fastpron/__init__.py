"""fastpron: Taiwanese Hokkien (台語) pronunciation for Han text, at native speed.

    >>> import fastpron
    >>> fastpron.romanize("先生講，學生恬恬聽。")
    'Sian-sinn kóng, ha̍k-sing tiām-tiām thiann.'
    >>> fastpron.romanize("台灣", system="poj")
    'Tâi-oân'

One obvious function per output: `annotate` (tokens), `romanize` (text),
`to_html` (ruby markup); `render` gives several of them from one
segmentation (``html, tokens = fastpron.render(text, "html", "tokens")``).
Options are keywords, enum members or their names: system=System.TL,
tones=ToneStyle.MARKS, sandhi=Sandhi.NONE, dialect=Dialect.SOUTH.  An
`Annotator` holds options and a user dictionary; the module-level functions
share a default one.  For many texts at once, `Annotator.romanize_many` (and
`to_html_many`, `to_json_many`, `annotate_many`); for corpora and engines
such as Dask, `fastpron.corpus` and docs/corpus.md.
"""

from __future__ import annotations

from _thread import allocate_lock   # threading.Lock itself; importing threading costs start-up 0.7 ms

from .annotator import Annotator
from .binary import LexiconError
from .options import Options, Punctuation, Sandhi
from .systems import Dialect, System, ToneStyle

__version__ = "0.1.0"
__all__ = [
    "Annotator", "Token", "System", "ToneStyle", "Sandhi", "Dialect", "Punctuation", "Options",
    "LexiconError", "annotate", "romanize", "to_html", "to_json", "render", "lookup", "default_annotator",
]

_default: Annotator | None = None
_default_lock = allocate_lock()


def default_annotator() -> Annotator:
    """The shared Annotator behind the module-level functions, loaded on first use."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Annotator()
    return _default


def annotate(text: str, **options) -> list:
    """Split `text` into tokens (words, characters, other text), each with its reading."""
    return default_annotator().annotate(text, **options)


def romanize(text: str, **options) -> str:
    """`text` romanised: readings hyphenated inside words, punctuation kept."""
    return default_annotator().romanize(text, **options)


def to_html(text: str, **options) -> str:
    """`text` as ``<ruby>`` HTML, one reading over each character, everything escaped."""
    return default_annotator().to_html(text, **options)


def to_json(text: str, **options) -> str:
    """The tokens of `text` as a JSON array (the fields of ``Token.asdict()``), written natively."""
    return default_annotator().to_json(text, **options)


def render(text: str, *formats, **options) -> tuple:
    """Several outputs of `text` ("text", "html", "tokens", "json") from one segmentation, in that order;
    see `Annotator.render`."""
    return default_annotator().render(text, *formats, **options)


def lookup(key: str) -> list[str]:
    """Every reading of a character or word, numbered Tâi-lô, best first."""
    return default_annotator().lookup(key)


def __getattr__(name):
    if name == "Token":
        from ._core import Token
        return Token
    raise AttributeError(f"module 'fastpron' has no attribute {name!r}")
