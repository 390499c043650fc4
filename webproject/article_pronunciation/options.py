"""The annotation options the web app offers, with their labels, and their defaults."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SYSTEMS = [
    ("tl", _("Tâi-lô (TL)")),
    ("poj", _("Pe̍h-ōe-jī (POJ)")),
    ("tlpa", _("TLPA")),
    ("bp", _("Bbánlám pìngyīm (BP)")),
    ("tps", _("Taiwanese Phonetic Symbols (方音符號)")),
    ("ipa", _("IPA")),
    ("sni", _("Fifteen Initials (十五音)")),
    ("tongiong", _("Tongiong pinyin (通用拼音)")),
]
TONES = [
    ("marks", _("tone marks")),
    ("numbers", _("tone numbers")),
    ("none", _("no tones")),
]
SANDHI = [
    ("none", _("citation tones (本調)")),
    ("auto", _("spoken tones (變調)")),
]
DIALECTS = [
    ("usual", _("usual accent")),
    ("south", _("Zhangzhou-leaning (偏漳)")),
    ("north", _("Quanzhou-leaning (偏泉)")),
]
ROMANIZED = [
    ("keep", _("leave them as typed")),
    ("convert", _("write them in the chosen system")),
]
DEFAULTS = {"system": "tl", "tones": "marks", "sandhi": "none", "dialect": "usual"}
OPTION_NAMES = tuple(DEFAULTS)

SYSTEM_LABELS = dict(SYSTEMS)

# Systems written with Latin letters (capitalised, hyphenated); the others are
# written with Bopomofo, Han characters or IPA.
LATIN_SYSTEMS = {"tl", "poj", "tlpa", "bp", "tongiong"}


def annotator_options(options: dict) -> dict:
    """Form values -> keyword arguments for fastpron (dialect "usual" is None)."""
    chosen = {name: options.get(name) or DEFAULTS[name] for name in OPTION_NAMES}
    if chosen["dialect"] == "usual":
        chosen["dialect"] = None
    return chosen
