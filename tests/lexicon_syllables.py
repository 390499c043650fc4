"""Every syllable the lexicon uses, for the tests that sweep them all."""

from __future__ import annotations

import pathlib
import re

LEXICON = pathlib.Path(__file__).resolve().parent.parent / "lexicon_data" / "lexicon.tsv"


def lexicon_syllables() -> list[str]:
    """The numbered syllables of every reading, lower-case, each once, sorted."""
    found = set()
    with open(LEXICON, encoding="utf-8") as f:
        next(f)
        for line in f:
            # "senn1/*sinn1": "*" marks the usual side of a pair
            for token in re.findall(r"(?:--)?[A-Za-z]+[1-9]", line.split("\t")[1]):
                found.add(token.lower())
    return sorted(found)
