"""Turning fastpron's output into what the pages and downloads show.

fastpron does the annotation (and all escaping); these helpers only cut its
HTML into paragraphs, strip it to 字(讀音) text, and list the words that have
several readings.  They walk tokens or paragraphs, never characters.
"""

from __future__ import annotations

import html
import json
import re

from django.utils.safestring import SafeString, mark_safe

from fastpron import glossary

BLANK_LINES = re.compile(r"\n[ \t\u3000]*(?:\n[ \t\u3000]*)*\n")
TAG = re.compile(r"<[^>]*>")


# A word (or unknown character) of fastpron's HTML with the CJK punctuation
# that opens before it or closes after it.
OPENING = "「『（《〈【〔(“‘"
CLOSING = "、。，．！？：；」』）》〉】〕,.!?:;)”’…"
WORD_WITH_PUNCTUATION = re.compile(
    rf'([{OPENING}]*)(<span class="fp-(?:word|char)" data-start="\d+">(?:(?!</span>).)*</span>'
    rf'|<span class="fp-unknown">[^<]*</span>)([{CLOSING}]*)', re.S)


def paragraphs(annotated_html: str, keep_punctuation_with_words: bool = False) -> list[SafeString]:
    """fastpron's HTML (newlines kept as \\n) split into paragraphs at blank lines.

    Single line breaks stay inside a paragraph; the page shows them with
    `white-space: pre-wrap`.  The pieces are fastpron's escaped output, so
    they are marked safe.  With `keep_punctuation_with_words`, punctuation
    is tied to the word beside it (see `tie_punctuation`).
    """
    if keep_punctuation_with_words:
        annotated_html = tie_punctuation(annotated_html)
    return [mark_safe(part.strip("\n")) for part in BLANK_LINES.split(annotated_html) if part.strip("\n")]


def tie_punctuation(annotated_html: str) -> str:
    """Wrap each word and the punctuation around it in `<span class="fp-nb">`.

    On the result page every character is a box (ruby.css: evenly spaced
    characters, vertical 方音符號), and a browser may break a line between a
    box and the 。 or ， after it; the page keeps
    an .fp-nb together (white-space: nowrap), so no line starts with closing
    punctuation and none ends with an opening one.
    """
    def wrap(match):
        if not match.group(1) and not match.group(3):
            return match.group(0)
        return f'<span class="fp-nb">{match.group(0)}</span>'
    return WORD_WITH_PUNCTUATION.sub(wrap, annotated_html)


# Only the core writes data-start="N": text is escaped, so a quote in the input is &quot;.
DATA_START = re.compile(r'data-start="(\d+)"')


def shift_offsets(annotated_html: str, offset: int) -> str:
    """fastpron's HTML of a page of the article with each data-start moved by `offset`: the
    token's place in the article, which the page's picks and choices use."""
    if not offset:
        return annotated_html
    return DATA_START.sub(lambda match: f'data-start="{int(match[1]) + offset}"', annotated_html)


RT = re.compile(r"<rt>(.*?)</rt>", re.S)
RUBY_END = "</rp></ruby>"


def with_second_readings(annotated_html: str, second_html: str) -> str:
    """fastpron's HTML with each character's reading in a second system added, `<rt class="fp-rt2">`.

    Both are fastpron's output for the same text, picks and segmentation
    (only the system differs), so their readings come in the same order:
    the n-th reading of `second_html` goes into the n-th <ruby>.
    """
    seconds = iter(RT.findall(second_html))
    pieces = annotated_html.split(RUBY_END)
    out = []
    for piece in pieces[:-1]:
        out.append(f'{piece}</rp><rt class="fp-rt2">{next(seconds, "")}</rt></ruby>')
    out.append(pieces[-1])
    return "".join(out)


def ruby_text(annotated_html: str) -> str:
    """字(讀音) plain text: the <ruby> markup as a browser without ruby shows it.

    Every reading sits in <rp>(</rp><rt>…</rt><rp>)</rp>, so removing the
    tags leaves 台(Tâi)灣(uân); unescaping restores the user's own text.
    """
    return html.unescape(TAG.sub("", annotated_html))


def reading_choices(tokens, annotator=None) -> dict[str, dict]:
    """The tokens that have several readings: start -> text, readings in lexicon order, choice.

    fastpron gives each token the reading in use (`choice`, its number in
    lexicon order) and the others (`alternatives`); a pick is that number.
    With `annotator`, each also gets `numbered` (the readings in numbered
    Tâi-lô) and `glosses` (their Mandarin glosses, "" where none is known).
    """
    looked_up = {}
    return {str(token.start): _choice(token, annotator, looked_up) for token in tokens if token.alternatives}


def _choice(token, annotator, looked_up: dict, usual: int = 0) -> dict:
    """One token's entry of reading_choices; `looked_up` keeps each word's look-up for the next.
    `usual`: the reading fastpron gives the token without a pick, given when it is not the first."""
    readings = list(token.alternatives)
    readings.insert(token.choice, token.reading)
    choice = {"text": token.text, "readings": readings, "choice": token.choice}
    if usual:
        choice["usual"] = usual
    if annotator is not None:
        if token.text not in looked_up:
            numbered = annotator.lookup(token.text)
            looked_up[token.text] = (numbered, glossary.glosses(token.text, numbered))
        numbered, glosses = looked_up[token.text]
        if len(numbered) == len(readings):
            choice["numbered"], choice["glosses"] = numbered, glosses
    return choice


# What django.utils.html.json_script escapes, so that the JSON can sit in a <script> element.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def choices_json(tokens, annotator=None, usual: dict[int, int] | None = None,
                 offset: int = 0) -> tuple[SafeString, int]:
    """reading_choices(tokens, annotator) as JSON, escaped as json_script escapes it, and its length.

    `usual`: for the tokens that have a pick, the reading they have without it (the
    others' is their choice); with it, a token's entry says `usual` when that is not
    reading 0.  `offset` is added to each token's start in the keys (the tokens of a
    page of the article, keyed by their place in the article).

    The same text as json_script(reading_choices(tokens)) gives, written piece by
    piece: each distinct word and set of readings is encoded once.  For 100,000
    × 行 the dicts and their encoding and escaping had cost about 60 MB more.
    """
    encoded, parts, looked_up = {}, [], {}
    for token in tokens:
        if not token.alternatives:
            continue
        usual_choice = usual.get(token.start, token.choice) if usual is not None else 0
        key = (token.text, token.reading, token.alternatives, token.choice, usual_choice)
        value = encoded.get(key)
        if value is None:
            value = encoded[key] = json.dumps(_choice(token, annotator, looked_up, usual_choice)).translate(
                SCRIPT_ESCAPES)
        parts.append(f'"{token.start + offset}": {value}')
    return mark_safe("{" + ", ".join(parts) + "}"), len(parts)


def json_with_tokens(annotator, head: dict, text: str, picks: dict, options: dict) -> bytes:
    """`head`'s JSON object with the tokens of `text` added as "tokens", in UTF-8: the JSON download.

    The core writes the tokens (as for the annotate API): a dict per token
    and its encoding had cost 1.9 s and 24 MB of indented JSON for 100,000
    characters.  A lone surrogate in `head` is written as its JSON escape.
    """
    prefix = json.dumps(head, ensure_ascii=False)[:-1] + (', "tokens": ' if head else '"tokens": ')
    return annotator.to_json(text, picks=picks, text_key="surface", as_bytes=True,
                             prefix=prefix.encode("utf-8", "backslashreplace"), suffix=b"}", **options)


def ambiguous_tokens(tokens) -> list:
    """The tokens that have several readings, in text order."""
    return [token for token in tokens if token.alternatives]


CONTEXT = 12        # characters of the text shown on each side of a word on the readings page


def reading_rows(text: str, tokens, annotator=None, picks: dict[int, int] | None = None) -> list[dict]:
    """The readings page's rows for `tokens` (those of one page, annotated without picks):
    the word, its readings numbered in lexicon order (with `annotator`, each with its
    Mandarin gloss, "" where none is known), the usual one, the one in use (`picks`
    over the usual), and a little of the text around it."""
    rows, looked_up = [], {}
    for token in tokens:
        choice = _choice(token, annotator, looked_up)
        glosses = choice.get("glosses") or [""] * len(choice["readings"])
        in_use = (picks or {}).get(token.start, token.choice)
        rows.append({"start": token.start, "text": token.text,
                     "readings": list(zip(range(len(glosses)), choice["readings"], glosses)),
                     "usual": token.choice, "choice": in_use if 0 <= in_use < len(glosses) else token.choice,
                     "before": text[max(0, token.start - CONTEXT):token.start],
                     "after": text[token.end:token.end + CONTEXT]})
    return rows
