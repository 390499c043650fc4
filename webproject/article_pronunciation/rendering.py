"""Turning fastpron's output into what the pages and downloads show.

fastpron does the annotation (and all escaping); these helpers only cut its
HTML into paragraphs, strip it to 字(讀音) text, and list the words that have
several readings.  They walk tokens or paragraphs, never characters.
"""

from __future__ import annotations

import html
import re

from django.utils.safestring import SafeString, mark_safe

BLANK_LINES = re.compile(r"\n[ \t\u3000]*(?:\n[ \t\u3000]*)*\n")
TAG = re.compile(r"<[^>]*>")


def paragraphs(annotated_html: str) -> list[SafeString]:
    """fastpron's HTML (newlines kept as \\n) split into paragraphs at blank lines.

    Single line breaks stay inside a paragraph; the page shows them with
    `white-space: pre-wrap`.  The pieces are fastpron's escaped output, so
    they are marked safe.
    """
    return [mark_safe(part.strip("\n")) for part in BLANK_LINES.split(annotated_html) if part.strip("\n")]


def ruby_text(annotated_html: str) -> str:
    """字(讀音) plain text: the <ruby> markup as a browser without ruby shows it.

    Every reading sits in <rp>(</rp><rt>…</rt><rp>)</rp>, so removing the
    tags leaves 台(Tâi)灣(uân); unescaping restores the user's own text.
    """
    return html.unescape(TAG.sub("", annotated_html))


def reading_choices(tokens) -> dict[str, dict]:
    """The tokens that have several readings: start -> text, readings in lexicon order, choice.

    fastpron gives each token the reading in use (`choice`, its number in
    lexicon order) and the others (`alternatives`); a pick is that number.
    """
    choices = {}
    for token in tokens:
        if token.alternatives:
            readings = list(token.alternatives)
            readings.insert(token.choice, token.reading)
            choices[str(token.start)] = {"text": token.text, "readings": readings, "choice": token.choice}
    return choices


def token_dict(token) -> dict:
    """A token for the JSON outputs."""
    fields = {"surface": token.text, "reading": token.reading, "syllables": list(token.syllables),
              "alternatives": list(token.alternatives), "kind": token.kind,
              "start": token.start, "end": token.end, "choice": token.choice}
    if getattr(token, "estimated", False):
        fields["estimated"] = True          # as fastpron's to_json writes it
    return fields
