"""Picked readings, stored as the readings themselves.

An article keeps its picks as ``{"<token start>": {"word": "講", "reading": "kang2"}}``:
the word as it stands in the text at that offset and the reading picked, in
numbered Tâi-lô.  fastpron's `picks` option takes reading *numbers* (the
reading's place in the lexicon's order), and that order changes when the
lexicon or the user dictionary does (adding 講 = "káng, kóng" in the admin
swaps them), so the numbers are worked out again at every rendering:

- a pick whose word is no longer at its offset, or whose reading the word no
  longer has, is ignored (never turned into another reading);
- `carry_over` moves the picks of the words an edit did not touch to their
  new offsets.

Articles saved before this stored bare numbers (``{"0": 1}``); migration
0002 turned them into readings, and a number still found is used as it is.
"""

from __future__ import annotations

import difflib


def stored(word: str, reading: str) -> dict:
    return {"word": word, "reading": reading}


def to_numbers(text: str, picks: dict, annotator) -> dict[int, int]:
    """Stored picks -> {start: reading number} for fastpron, as the lexicon stands now.

    Each word is looked up once: "apply to all" on 100,000 × 行 stores 100,000 picks
    of one word, and a look-up each had cost every page of that article 1.7 s."""
    numbers: dict[int, int] = {}
    looked_up: dict[str, list[str]] = {}
    for key, value in (picks or {}).items():
        try:
            start = int(key)
        except (TypeError, ValueError):
            continue
        if isinstance(value, dict):
            word, reading = value.get("word"), value.get("reading")
            if not isinstance(word, str) or not isinstance(reading, str) or not word:
                continue
            if start < 0 or text[start:start + len(word)] != word:
                continue
            if word not in looked_up:
                looked_up[word] = annotator.lookup(word)
            readings = looked_up[word]
            if reading in readings:
                numbers[start] = readings.index(reading)
        else:
            try:
                numbers[start] = int(value)       # an old pick, by number
            except (TypeError, ValueError):
                continue
    return numbers


def usual_choices(text: str, annotator) -> dict[int, int]:
    """{start: the reading number fastpron gives the token without picks}: not always 0,
    since a sentence that reads as news takes its news readings (the register model)."""
    return {token.start: token.choice for token in annotator.annotate(text) if token.alternatives}


def from_numbers(text: str, changes: dict[int, int], annotator, tokens=None,
                 usual: dict[int, int] | None = None) -> dict[int, dict | None]:
    """{start: reading number} (a form's picks) -> {start: stored pick, or None for the usual reading}."""
    if tokens is None:
        tokens = annotator.annotate(text)
    usual = usual if usual is not None else usual_choices(text, annotator)
    words = {token.start: token.text for token in tokens if token.alternatives}
    out: dict[int, dict | None] = {}
    for start, number in changes.items():
        word = words.get(start)
        if word is None:
            continue
        readings = annotator.lookup(word)
        if number == usual.get(start, 0) or not 0 <= number < len(readings):
            out[start] = None
        else:
            out[start] = stored(word, readings[number])
    return out


def carry_over(old_text: str, new_text: str, picks: dict) -> dict:
    """The picks of words an edit left alone, at their offsets in `new_text`.

    A pick survives when its word lies inside a stretch of text the edit did
    not change; the others are dropped.
    """
    if not picks:
        return {}
    matcher = difflib.SequenceMatcher(None, old_text, new_text, autojunk=False)
    blocks = matcher.get_matching_blocks()
    carried = {}
    for key, value in picks.items():
        try:
            start = int(key)
        except (TypeError, ValueError):
            continue
        if not isinstance(value, dict) or not isinstance(value.get("word"), str):
            continue
        end = start + len(value["word"])
        for a, b, size in blocks:
            if a <= start and end <= a + size:
                carried[str(b + start - a)] = value
                break
    return carried


def apply_to_all(text: str, word: str, reading: str | None, annotator, tokens=None,
                 usual: dict[int, int] | None = None) -> dict[int, dict | None]:
    """A pick of `reading` for every token that is `word` in `text`: None where it is the
    token's usual reading, and for `reading` None (each back to its usual reading)."""
    if tokens is None:
        tokens = annotator.annotate(text)
    usual = usual if usual is not None else usual_choices(text, annotator)
    readings = annotator.lookup(word)
    if reading is not None and reading not in readings:
        return {}
    number = readings.index(reading) if reading is not None else None
    return {token.start: (None if number is None or number == usual.get(token.start, 0) else stored(word, reading))
            for token in tokens if token.text == word and token.alternatives}
