"""The pure-Python reference: the core's algorithm, written plainly.

It reads lexicon_data/lexicon.tsv itself (no compiled file, no C), and gives
the same tokens and the same text as the Cython core.  Tests compare the two;
benchmarks use it as the pure-Python yardstick.  Read this file to learn what
the Cython core (fastpron/_core.pyx and its stages) does.
"""

from __future__ import annotations

import json
import os
import pathlib
import re

from . import lexicon as _lexicon
from . import numbers as _numbers
from . import tokens as _tokens
from .annotator import BaseAnnotator, join_rendered
from .lexicon import Entry
from .options import (FLAG_NEUTRAL, FLAG_SUFFIX_A, SPOKEN, SPOKEN_BEFORE_A, Options, Punctuation, Sandhi,
                      rendered_strings, syllable_flags, syllable_separator, variant_index)

KIND_OTHER, KIND_CHAR, KIND_WORD, KIND_UNKNOWN, KIND_NUMBER = "other", "char", "word", "unknown", "number"

LATIN_PUNCTUATION = str.maketrans({
    "，": ",", "、": ",", "。": ".", "．": ".", "！": "!", "？": "?", "：": ":", "；": ";",
    "（": "(", "）": ")", "「": "\u201c", "《": "\u201c", "」": "\u201d", "》": "\u201d",
    "『": "\u2018", "〈": "\u2018", "』": "\u2019", "〉": "\u2019", "【": "[", "】": "]",
    "～": "~", "\u3000": " ",
})
SENTENCE_ENDS = ".!?\n"
OPENERS = "([{\u201c\u2018\"'/"
SPACES = " \t\n\r\u3000\u00a0"
HTML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", "\0": "\ufffd"}


REGISTER_SENTENCE_ENDS = "。！？!?\n"     # the register model reads each sentence as news or not


def _news_reading(entry: Entry) -> int:
    """The reading flagged news, other than the first; 0 if none."""
    return next((n for n, r in enumerate(entry.readings) if n and r.news), 0)


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x323AF or cp == 0x3007)


def is_alnum(ch: str) -> bool:
    cp = ord(ch)
    return (0x30 <= cp <= 0x39 or 0x41 <= cp <= 0x5A or 0x61 <= cp <= 0x7A or 0xC0 <= cp <= 0x24F
            or 0x1E00 <= cp <= 0x1EFF)


def is_wide_punctuation(ch: str) -> bool:
    cp = ord(ch)
    return (0x3000 <= cp <= 0x303F or 0xFF01 <= cp <= 0xFF0F or 0xFF1A <= cp <= 0xFF20
            or 0xFF3B <= cp <= 0xFF40 or 0xFF5B <= cp <= 0xFF65)


def escape_html(text: str) -> str:
    return "".join(HTML_ESCAPES.get(ch, "\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch) for ch in text)


class Token:
    """Same fields and equality as fastpron.Token."""
    __slots__ = _tokens.FIELDS

    def __init__(self, text, reading, syllables, alternatives, kind, start, end, choice=0, estimated=False):
        self.text, self.reading, self.kind, self.start, self.end = text, reading, kind, start, end
        self.syllables, self.alternatives, self.choice = tuple(syllables), tuple(alternatives), choice
        self.estimated = estimated

    def astuple(self):
        return _tokens.as_tuple(self)

    def asdict(self):
        return _tokens.as_dict(self)

    def __eq__(self, other):
        return self.astuple() == other.astuple() if hasattr(other, "astuple") else NotImplemented

    def __repr__(self):
        return f"Token({self.text!r}, {self.reading!r}, kind={self.kind!r})"


class Segment:
    """A token before rendering: a span, its kind, its lexicon entry and the chosen reading."""
    __slots__ = ("start", "end", "kind", "entry", "choice")

    def __init__(self, start, end, kind, entry):
        self.start, self.end, self.kind, self.entry, self.choice = start, end, kind, entry, 0

    @property
    def reading(self):
        return self.entry.readings[self.choice]


class ReferenceAnnotator(BaseAnnotator):
    """Pure-Python annotator with the same API and results as fastpron.Annotator."""

    def __init__(self, lexicon: str | os.PathLike | None = None, **options):
        super().__init__(**options)
        env = os.environ.get("FASTPRON_LEXICON")
        path = pathlib.Path(lexicon or env or _lexicon.DEFAULT_TSV)
        self.variants = _lexicon.read_variants(_lexicon.variants_path(path))
        self.base = _lexicon.canonical_entries(_lexicon.read_tsv(path), self.variants)
        self.base_prefixes = {key[:n] for key in self.base for n in range(1, len(key))}
        self.register = _lexicon.read_register(_lexicon.register_path(path))
        self.user: dict[str, Entry] = {}           # the user entries, keys in standard form
        self.user_prefixes: set[str] = set()
        # Syllable ids in the order the compiler assigns them, so rendering agrees.
        self.syllables: list[str] = []
        self._syllable_index: dict[str, int] = {}
        for key in sorted(self.base):
            for reading in self.base[key].readings:
                self._intern(reading.syllables)
        self._strings: dict[tuple, list[str]] = {}
        # numbers are read when the lexicon has every syllable they use (fastpron/numbers.py)
        self.numbers = all(syllable in self._syllable_index for syllable in _numbers.SYLLABLES)

    def _intern(self, syllables):
        for syllable in syllables:
            if syllable not in self._syllable_index:
                self._syllable_index[syllable] = len(self.syllables)
                self.syllables.append(syllable)

    def _standard(self, key):
        return _lexicon.canonical(key, self.variants)

    def _user_dictionary_changed(self):
        self.user = _lexicon.canonical_entries(self._user, self.variants)
        self.user_prefixes = {key[:n] for key in self.user for n in range(1, len(key))}
        for key in sorted(self.user):
            for reading in self.user[key].readings:
                self._intern(reading.syllables)

    def _lookup_base(self, key):
        entry = self.base.get(key)
        if entry is None:
            return []
        return [r.numbered() for r in entry.readings]

    # -- segmentation -----------------------------------------------------------

    def _entry(self, key: str) -> tuple[Entry | None, bool]:
        """(the entry in force for key, whether any key starts with it)."""
        if key in self.user:
            entry = self.user[key]
            return (entry if entry.readings else None), True
        known = key in self.base or key in self.base_prefixes or key in self.user_prefixes
        return self.base.get(key), known

    def segment(self, text: str, picks: dict[int, int] | None = None) -> list[Segment]:
        """Best path over lexicon matches: least total cost, first-found on ties."""
        n = len(text)
        max_len = max([len(k) for k in self.user] + [max(map(len, self.base), default=1), 1])
        keys = _lexicon.canonical(text, self.variants)     # look-ups use standard characters
        best = [None] * (n + 1)        # position -> (cost, start, kind, entry)
        best[0] = (0, 0, None, None)
        number_end = 0                 # no number span starts before the end of the last one
        for i in range(n):
            if best[i] is None:
                continue
            here = best[i][0]
            have_single = False
            if self.numbers and i >= number_end and _numbers.is_start(keys, i):
                # a number span: an edge of its own, tried first, its reading made here
                span = _numbers.number_span(keys, i)
                if span is not None and span[1]:
                    end, syllables, span_cost = span
                    number_end = end
                    entry = Entry(text[i:end], (_lexicon.Reading(tuple(_numbers.SYLLABLES[s] for s in syllables), 0),))
                    cost = here + span_cost
                    if best[end] is None or cost < best[end][0]:
                        best[end] = (cost, i, KIND_NUMBER, entry)
            for length in range(1, max_len + 1):
                if i + length > n:
                    break
                entry, known = self._entry(keys[i:i + length])
                if not known:
                    break
                if entry is not None:
                    have_single = have_single or length == 1
                    cost = here + entry.cost
                    if best[i + length] is None or cost < best[i + length][0]:
                        best[i + length] = (cost, i, KIND_WORD if length > 1 else KIND_CHAR, entry)
            if not have_single:
                han = is_han(text[i])
                cost = here + (_lexicon.UNKNOWN_COST if han else _lexicon.OTHER_COST)
                if best[i + 1] is None or cost < best[i + 1][0]:
                    best[i + 1] = (cost, i, KIND_UNKNOWN if han else KIND_OTHER, None)
        segments: list[Segment] = []
        j = n
        while j > 0:
            _, start, kind, entry = best[j]
            segments.append(Segment(start, j, kind, entry))
            j = start
        segments.reverse()
        merged: list[Segment] = []
        for seg in segments:
            if seg.kind == KIND_OTHER and merged and merged[-1].kind == KIND_OTHER:
                merged[-1].end = seg.end
            else:
                merged.append(seg)
        if self.register is not None:
            self._choose_register_readings(text, keys, merged)
        for seg, following in zip(merged, merged[1:] + [None]):
            phrase_final = following is None or following.entry is None
            if seg.entry is not None and phrase_final:
                seg.choice = next((n for n, r in enumerate(seg.entry.readings) if r.final), seg.choice)
            choice = (picks or {}).get(seg.start)
            if seg.entry is not None and choice is not None and 0 <= choice < len(seg.entry.readings):
                seg.choice = choice
        return merged

    def _choose_register_readings(self, text: str, keys: str, segments: list[Segment]) -> None:
        """In each sentence that reads as news, a segment takes its reading flagged news.  Only
        the sentences with such a reading are scored, and a paragraph (up to a line break) has
        one register: each one's score is mixed with those of its paragraph's
        (RegisterModel.reads_as_news)."""
        scored = []                     # (the news readings, the sentence's score) in this paragraph
        first = 0
        for k, seg in enumerate(segments):
            ends = seg.kind == KIND_OTHER and any(ch in REGISTER_SENTENCE_ENDS for ch in text[seg.start:seg.end])
            if k + 1 < len(segments) and not ends:
                continue
            sentence = segments[first:k + 1]
            first = k + 1
            news = [(s, _news_reading(s.entry)) for s in sentence if s.entry is not None and s.kind != KIND_NUMBER]
            news = [(s, r) for s, r in news if r]
            if news:
                chars = "".join(ch for ch in keys[sentence[0].start:sentence[-1].end] if is_han(ch))
                scored.append((news, self.register.score(chars)))
            if (ends and "\n" in text[seg.start:seg.end]) or k + 1 == len(segments):     # the paragraph ends
                self._choose_in_paragraph(scored)
                scored = []

    def _choose_in_paragraph(self, scored: list) -> None:
        """The news readings of one paragraph's scored sentences that read as news."""
        paragraph_total, paragraph_n = sum(total for _, (total, _) in scored), sum(n for _, (_, n) in scored)
        for news, (total, n) in scored:
            if self.register.reads_as_news(total, n, paragraph_total, paragraph_n):
                for s, r in news:
                    s.choice = r

    # -- rendering --------------------------------------------------------------

    def _rendered(self, options: Options) -> tuple[list[str], bytes]:
        key = options.table_key + (len(self.syllables),)
        if key not in self._strings:
            self._strings[key] = (rendered_strings(self.syllables, options), syllable_flags(self.syllables, options))
        return self._strings[key]

    def _spoken_forms(self, segments, flags, options) -> list[list[int]]:
        """For each reading segment, the form each syllable takes: 0 citation,
        SPOKEN, or SPOKEN_BEFORE_A; a tone group ends before a non-reading
        segment and before a neutral tone."""
        forms = []
        for t, seg in enumerate(segments):
            if seg.entry is None:
                forms.append([])
                continue
            syllables = seg.reading.syllables
            row = []
            for k in range(len(syllables)):
                following = None
                if k + 1 < len(syllables):
                    following = syllables[k + 1]
                elif t + 1 < len(segments) and segments[t + 1].entry is not None:
                    following = segments[t + 1].reading.syllables[0]
                if options.sandhi != Sandhi.AUTO or following is None:
                    row.append(0)
                    continue
                following_flags = flags[self._syllable_index[following]]
                row.append(0 if following_flags & FLAG_NEUTRAL
                           else SPOKEN_BEFORE_A if following_flags & FLAG_SUFFIX_A else SPOKEN)
            forms.append(row)
        return forms

    def _syllable_text(self, strings, syllable, capital, form):
        return strings[variant_index(self._syllable_index[syllable], capital, form)]

    def _render(self, text, outputs, picks):
        """Several outputs from one segmentation: each renderer reads the same segments."""
        segments = self.segment(text, picks)
        renderers = {"tokens": self._tokens, "html": self._html, "text": self._text, "json": self._json}
        return [renderers[name](text, segments, options, *extra) for name, options, extra in outputs]

    def _annotate(self, text, options, picks):
        return self._tokens(text, self.segment(text, picks), options)

    def _romanize(self, text, options, picks):
        return self._text(text, self.segment(text, picks), options)

    def _to_html(self, text, options, picks):
        return self._html(text, self.segment(text, picks), options)

    def _to_json(self, text, options, picks, text_key="text", as_bytes=False, prefix=b"", suffix=b""):
        return self._json(text, self.segment(text, picks), options, text_key, as_bytes, prefix, suffix)

    def _tokens(self, text, segments, options):
        strings, flags = self._rendered(options)
        separator = syllable_separator(options.system)
        spoken = self._spoken_forms(segments, flags, options)
        tokens = []
        for seg, forms in zip(segments, spoken):
            surface = text[seg.start:seg.end]
            if seg.entry is None:
                tokens.append(Token(surface, None, (), (), seg.kind, seg.start, seg.end))
                continue
            chosen = seg.reading
            others = [r for n, r in enumerate(seg.entry.readings) if n != seg.choice]
            syllables = [self._syllable_text(strings, s, k == 0 and chosen.capital, forms[k])
                         for k, s in enumerate(chosen.syllables)]
            alternatives = [join_rendered([self._syllable_text(strings, s, k == 0 and r.capital, 0)
                                           for k, s in enumerate(r.syllables)], " " if r.phrase else separator)
                            for r in others]
            tokens.append(Token(surface, join_rendered(syllables, " " if chosen.phrase else separator), syllables,
                                alternatives, seg.kind, seg.start, seg.end, seg.choice, chosen.estimated))
        return tokens

    def _text(self, text, segments, options):
        strings, flags = self._rendered(options)
        separator = syllable_separator(options.system)
        spoken = self._spoken_forms(segments, flags, options)
        out: list[str] = []
        sentence_start = options.capitalize
        previous_is_reading = False
        previous = None
        for seg, forms in zip(segments, spoken):
            piece = text[seg.start:seg.end]
            if seg.kind == KIND_OTHER:
                previous = seg
                for k, ch in enumerate(piece):
                    if options.punctuation == Punctuation.LATIN:
                        mapped = ch.translate(LATIN_PUNCTUATION)
                        if mapped != ch and mapped in OPENERS:
                            # 講：「 -> kóng: “ : a space before, a capital after
                            if out and out[-1][-1] not in SPACES and out[-1][-1] not in OPENERS:
                                out.append(" ")
                            sentence_start = sentence_start or options.capitalize
                        ch = mapped
                    if k == 0 and previous_is_reading and is_alnum(ch):
                        out.append(" ")
                    out.append(ch)
                    if options.capitalize and ch in SENTENCE_ENDS:
                        sentence_start = True
                previous_is_reading = False
                continue
            unknown_run = seg.kind == KIND_UNKNOWN and previous is not None and previous.kind == KIND_UNKNOWN
            if out and not unknown_run and not (out[-1][-1] in SPACES or out[-1][-1] in OPENERS
                                                or is_wide_punctuation(out[-1][-1])):
                out.append(" ")
            if seg.kind == KIND_UNKNOWN:
                out.append(piece)
            else:
                reading = seg.reading
                parts = [self._syllable_text(strings, s, k == 0 and (sentence_start or reading.capital), forms[k])
                         for k, s in enumerate(reading.syllables)]
                out.append(join_rendered(parts, " " if reading.phrase else separator))
            sentence_start = False
            previous_is_reading = True
            previous = seg
        return "".join(out)

    def _json(self, text, segments, options, text_key="text", as_bytes=False, prefix=b"", suffix=b""):
        tokens = [{text_key if k == "text" else k: v for k, v in token.asdict().items()}
                  for token in self._tokens(text, segments, options)]
        result = json.dumps(tokens, ensure_ascii=False, separators=(",", ":"))
        if not as_bytes:
            return result
        # as the core writes it: a lone surrogate as its escape, so that the bytes are UTF-8
        escaped = re.sub("[\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", result)
        return prefix + escaped.encode("utf-8") + suffix

    def _html(self, text, segments, options):
        strings, flags = self._rendered(options)
        separator = syllable_separator(options.system)
        spoken = self._spoken_forms(segments, flags, options)
        out: list[str] = []
        for seg, forms in zip(segments, spoken):
            piece = text[seg.start:seg.end]
            if seg.kind == KIND_OTHER:
                out.append(escape_html(piece))
            elif seg.kind == KIND_UNKNOWN:
                out.append(f'<span class="fp-unknown">{escape_html(piece)}</span>')
            elif seg.kind == KIND_NUMBER:
                # one ruby over the whole number
                rendered = join_rendered([self._syllable_text(strings, s, False, forms[k])
                                          for k, s in enumerate(seg.reading.syllables)], separator)
                out.append(f'<span class="fp-number" data-start="{seg.start}"><ruby>{escape_html(piece)}'
                           f'<rp>(</rp><rt>{rendered}</rt><rp>)</rp></ruby></span>')
            else:
                reading = seg.reading
                rubies = "".join(
                    f"<ruby>{escape_html(ch)}<rp>(</rp><rt>"
                    f"{escape_html(self._syllable_text(strings, s, k == 0 and reading.capital, forms[k]))}"
                    f"</rt><rp>)</rp></ruby>"
                    for k, (ch, s) in enumerate(zip(piece, reading.syllables)))
                css = "fp-word" if seg.kind == KIND_WORD else "fp-char"
                if reading.estimated:
                    css += " fp-estimated"
                out.append(f'<span class="{css}" data-start="{seg.start}">{rubies}</span>')
        return "".join(out)
