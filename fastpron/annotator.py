"""The Annotator: options, a user dictionary, and the native core behind them."""

from __future__ import annotations

import os
import pathlib
from _thread import allocate_lock   # threading.Lock itself; importing threading costs start-up 0.7 ms
import re
from collections.abc import Iterable, Mapping

from . import binary as _binary
from .binary import LexiconError
from .options import Options, Romanized, rendered_strings, syllable_flags, syllable_separator, variant_index
from .syllable import SyllableError, parse_reading
from .systems import check_syllable

# Bit flags understood by the core's writers (see _render.pxd: OPT_*).
OPT_CAPITALIZE = 1
OPT_LATIN_PUNCT = 2
OPT_SANDHI = 4

MAX_KEY_LENGTH = 64     # longest user-dictionary key

# fastpron.lexicon (the TSV reader and compiler, and the dataclasses of its entries)
# is imported where a user dictionary needs it, not at start-up.


class BaseAnnotator:
    """What every annotator shares: options, input checks and the user dictionary.

    Subclasses implement `_annotate`, `_romanize`, `_to_html`, `_to_json`,
    `_render` (several of those from one segmentation), `_lookup_base` and
    `_user_dictionary_changed`.
    """

    def __init__(self, **options):
        self.options = Options.make(**options)
        self._chosen: dict[tuple, Options] = {}
        self._user: dict[str, Entry] = {}
        self._lock = allocate_lock()

    # -- public API -----------------------------------------------------------

    def annotate(self, text: str, *, picks: Mapping[int, int] | None = None, **options) -> list:
        """Tokens of `text`, each with its reading in the chosen system.

        `picks` maps a token's start offset to the number of the reading to
        give it, in lexicon order (0 is the best, as `lookup` lists them);
        picks that match no token or no reading are ignored.
        """
        text, chosen = _check_text(text), self._token_options(options, "annotate")
        return self._annotate(text, chosen, _check_picks(picks))

    def to_json(self, text: str, *, picks: Mapping[int, int] | None = None, text_key: str = "text",
                as_bytes: bool = False, prefix: bytes = b"", suffix: bytes = b"", **options) -> str | bytes:
        """The tokens of `text` as a JSON array, written by the core: each object has
        the fields of ``Token.asdict()``, the token text under `text_key`.

        Same as ``json.dumps([t.asdict() for t in annotate(text)])`` but many
        times faster; lone surrogates come out as ``\\udXXX`` escapes.  With
        `as_bytes`, the same document encoded in UTF-8, written so directly (a
        server's response body, without a str in between), after `prefix` and
        before `suffix`: a server's own JSON object around the array, with no
        copy to join them.
        """
        text, chosen = _check_text(text), self._token_options(options, "to_json")
        _check_json_arguments(text_key, as_bytes, prefix, suffix)
        return self._to_json(text, chosen, _check_picks(picks), text_key, bool(as_bytes), prefix, suffix)

    def romanize(self, text: str, *, picks: Mapping[int, int] | None = None, **options) -> str:
        """`text` written in the chosen system: words hyphenated, punctuation kept."""
        chosen, text, picks = self._options(options), _check_text(text), _check_picks(picks)
        if chosen.romanized is Romanized.CONVERT:   # TL/POJ words first, then the Han text
            from .romanized import convert_with_offsets    # loaded only when asked for
            converted = convert_with_offsets(text, chosen)
            text, picks = converted.text, converted.map_picks(picks)
        return self._romanize(text, chosen, picks)

    def to_html(self, text: str, *, picks: Mapping[int, int] | None = None, **options) -> str:
        """`text` as HTML: each word or character a ``<span data-start>`` of ``<ruby>``, everything escaped."""
        return self._html_one(_check_text(text), self._options(options), _check_picks(picks))

    def _html_one(self, text: str, chosen: Options, picks) -> str:
        if chosen.romanized is not Romanized.CONVERT:
            return self._to_html(text, chosen, picks)
        from .romanized import convert_with_offsets        # loaded only when asked for
        converted = convert_with_offsets(text, chosen)     # data-start stays an offset into `text`
        return converted.restore_html_offsets(self._to_html(converted.text, chosen, converted.map_picks(picks)))

    def render(self, text: str, *formats, picks: Mapping[int, int] | None = None, **options) -> tuple:
        """Several outputs of `text` from one segmentation, as a tuple in the order asked for.

        A format is a name: ``"text"`` (what `romanize` gives), ``"html"``
        (`to_html`), ``"tokens"`` (`annotate`) or ``"json"`` (`to_json`); or a
        ``(name, options)`` pair whose options apply to that output only, on
        top of the call's (another ``system`` for a second HTML, or
        ``text_key``, ``as_bytes``, ``prefix``, ``suffix`` for json)::

            html, tokens, text = annotator.render(article, "html", "tokens", "text", sandhi="auto")
            tl, poj = annotator.render(article, "html", ("html", {"system": "poj"}))

        Each output equals the separate call with the same options and
        `picks`, character for character, but the text is segmented once
        and each output is written from the same tokens.  romanized="convert"
        rewrites the text of "text" and "html" outputs for their own system
        and tones; where that changes the text, those outputs are segmented
        on the text they read (one segmentation for each different text).
        "tokens" and "json" refuse "convert", as `annotate` does.
        """
        text, picks = _check_text(text), _check_picks(picks)
        if not formats:
            raise TypeError(f"render() needs at least one format: {', '.join(FORMATS)}")
        outputs = [self._output(fmt, options) for fmt in formats]
        # Outputs that read the same text share its segmentation: all of them,
        # unless romanized="convert" rewrites some words for some of them.
        groups: dict = {}
        conversions: dict = {}
        for k, (name, chosen, extra) in enumerate(outputs):
            conversion = None
            if chosen.romanized is Romanized.CONVERT:
                key = (chosen.system, chosen.tones)        # all that convert_with_offsets reads
                if key not in conversions:
                    from .romanized import convert_with_offsets    # loaded only when asked for
                    conversions[key] = convert_with_offsets(text, chosen)
                conversion = conversions[key] if conversions[key].edits else None
            groups.setdefault(conversion, []).append(k)
        results: list = [None] * len(outputs)
        for conversion, indexes in groups.items():
            jobs = [outputs[k] for k in indexes]
            if conversion is None:
                rendered = self._render(text, jobs, picks)
            else:
                rendered = self._render(conversion.text, jobs, conversion.map_picks(picks))
                rendered = [conversion.restore_html_offsets(r) if name == "html" else r
                            for (name, _, _), r in zip(jobs, rendered)]
            for k, result in zip(indexes, rendered):
                results[k] = result
        return tuple(results)

    def _output(self, fmt, call_options: dict) -> tuple[str, Options, tuple]:
        """(name, options, json arguments) for one of render's formats, checked."""
        if isinstance(fmt, str):
            name, own = fmt, {}
        elif isinstance(fmt, tuple) and len(fmt) == 2 and isinstance(fmt[0], str):
            name, own = fmt
            if not isinstance(own, Mapping):
                raise TypeError(f"a format's options are a mapping such as {{'system': 'poj'}}, "
                                f"not {type(own).__name__}: {fmt!r}")
        else:
            raise TypeError(f"a format is a name ({', '.join(FORMATS)}) or a (name, options) pair, not {fmt!r}")
        if name not in FORMATS:
            raise ValueError(f"unknown format {name!r}; choose one of: {', '.join(FORMATS)}")
        own = dict(own)
        json_arguments = {key: own.pop(key) for key in JSON_ARGUMENTS if key in own}
        if json_arguments and name != "json":
            raise TypeError(f"{', '.join(json_arguments)}: options of the json format only, not of {name!r}")
        chosen = self._options({**call_options, **own})
        if name in ("tokens", "json") and chosen.romanized is Romanized.CONVERT:
            raise ValueError(f"romanized='convert' rewrites the text, so token texts and offsets would not "
                             f"match the input; ask for ({name!r}, {{'romanized': 'keep'}}) beside the "
                             f"converted outputs")
        if name != "json":
            return name, chosen, ()
        text_key, as_bytes = json_arguments.get("text_key", "text"), json_arguments.get("as_bytes", False)
        prefix, suffix = json_arguments.get("prefix", b""), json_arguments.get("suffix", b"")
        _check_json_arguments(text_key, as_bytes, prefix, suffix)
        return name, chosen, (text_key, bool(as_bytes), prefix, suffix)

    def lookup(self, key: str) -> list[str]:
        """Every reading of `key` in numbered Tâi-lô, best first; [] if unknown."""
        key = self._standard(_check_text(key))
        user = {self._standard(k): entry for k, entry in self._user.items()}
        if key in user:
            return [r.numbered() for r in user[key].readings]
        return self._lookup_base(key)

    def render_reading(self, numbered: str, **options) -> str:
        """A numbered reading such as ``gin5/gun5-hang5`` in the chosen system."""
        chosen = self._options(options)
        syllables = parse_reading(numbered)
        strings = rendered_strings([s.lower() for s in syllables], chosen)
        parts = [strings[variant_index(k, k == 0 and numbered.lstrip("-")[:1].isupper())]
                 for k in range(len(syllables))]
        return join_rendered(parts, syllable_separator(chosen.system))

    # -- many texts at once ---------------------------------------------------

    def romanize_many(self, texts: Iterable[str], **options) -> list[str]:
        """`romanize` of each text, in order: the same results as one call per text,
        at the speed of one call per block (a corpus, a DataFrame column, a batch).

        The texts are joined with newlines into blocks of about 64,000 characters and
        each block is romanised in one call, then split at the newlines: a newline
        is a hard boundary for the core (no word, tone group or sentence crosses
        it), so a text with newlines of its own is romanised as its lines, too.
        """
        chosen = self._options(options)
        out: list[str] = []
        for batch in _batches(texts):
            out.extend(self._romanize_batch(batch, chosen))
        return out

    def to_html_many(self, texts: Iterable[str], **options) -> list[str]:
        """`to_html` of each text, in order (``data-start`` offsets are into each text)."""
        chosen = self._options(options)
        if chosen.romanized is Romanized.CONVERT:
            return [self.to_html(text, **options) for text in texts]
        return self._many("html", texts, chosen)

    def to_json_many(self, texts: Iterable[str], *, text_key: str = "text", as_bytes: bool = False,
                     **options) -> list:
        """`to_json` of each text, in order (token offsets are into each text)."""
        self.to_json("", text_key=text_key, as_bytes=as_bytes, **options)     # checks the arguments
        return self._many("json", texts, self._token_options(options, "to_json_many"),
                          text_key.encode("ascii"), bool(as_bytes), b"", b"")

    def annotate_many(self, texts: Iterable[str], **options) -> list[list]:
        """`annotate` of each text, in order: a list of token lists."""
        return self._many("annotate", texts, self._token_options(options, "annotate_many"))

    def _romanize_batch(self, batch: list[str], chosen: Options) -> list[str]:
        try:
            block = "\n".join(batch)
        except TypeError:
            for text in batch:
                _check_text(text)
            raise
        if chosen.romanized is Romanized.CONVERT:
            from .romanized import convert_with_offsets
            block = convert_with_offsets(block, chosen).text
        lines = self._romanize(block, chosen, None).split("\n")
        if len(lines) == len(batch):
            return lines
        # Texts with newlines of their own: a newline is a boundary all the same, so
        # each text's output is its lines' outputs, joined again.
        counts = [text.count("\n") for text in batch]
        if sum(counts) + len(batch) != len(lines):          # never expected; one call each then
            return [self._romanize_one(text, chosen) for text in batch]
        out, k = [], 0
        for count in counts:
            out.append("\n".join(lines[k:k + count + 1]))
            k += count + 1
        return out

    def _romanize_one(self, text: str, chosen: Options) -> str:
        if chosen.romanized is Romanized.CONVERT:
            from .romanized import convert_with_offsets
            text = convert_with_offsets(text, chosen).text
        return self._romanize(text, chosen, None)

    def _many(self, what: str, texts: Iterable[str], chosen: Options, *extra) -> list:
        """One output per text; subclasses may resolve the per-call work once per batch."""
        method = {"html": self._to_html, "json": self._to_json, "annotate": self._annotate}[what]
        return [method(_check_text(text), chosen, None, *extra) for text in _check_texts(texts)]

    # -- the command line's formats -------------------------------------------

    def format_lines(self, text: str | bytes, fmt: str = "text", **options) -> bytes:
        """Each line of `text` in one of the command line's formats, as UTF-8 bytes:
        one output line per line, each ending with a newline.

        Lines end with "\\n" (a last line without one counts; a CR is part of its
        line).  `text` may also be UTF-8 bytes, as a text file holds them: a CR
        before a line feed is dropped, and bytes that are not UTF-8 raise
        UnicodeDecodeError (the native annotator decodes them in the core,
        without the GIL).  `fmt`: "text" (`romanize`), "html" (`to_html`), "json"
        (``{"text": line, "tokens": to_json(line)}``), "jsonl" (``{"text", "reading", "tokens"}``,
        the reading `romanize`'s) or "tsv" (the line, its reading and its words,
        tab-separated; backslash, tab, CR written ``\\\\ \\t \\r``).  Options are
        the single-text methods'.  The result is that of one call per line; a
        lone surrogate, which has no UTF-8, comes out as ``\\udXXX`` in JSON and
        as U+FFFD elsewhere.  The native annotator segments `text` once and
        writes every line in the core, without the GIL: threads given blocks of
        lines run side by side (the command line's ``--jobs``).
        """
        if fmt not in LINE_FORMATS:
            raise ValueError(f"unknown line format {fmt!r}; choose one of: {', '.join(LINE_FORMATS)}")
        if not isinstance(text, bytes):
            text = _check_text(text)
        chosen = self._options(options) if fmt in ("text", "html") else self._token_options(options, "format_lines")
        return self._format_lines(text, fmt, chosen)

    def _format_lines(self, text: str | bytes, fmt: str, chosen: Options) -> bytes:
        """format_lines one call per line, in Python: the reference annotator's way,
        and the model of the core's (fastpron/_render.pyx: write_lines)."""
        text = _text_of_lines(text)
        lines = text.split("\n")
        if text.endswith("\n") or not text:       # the last line's end, not an empty line after it
            lines.pop()
        out = []
        for line in lines:
            if fmt == "text":
                out.append(_utf8(self._romanize_one(line, chosen)))
            elif fmt == "html":
                out.append(_utf8(self._html_one(line, chosen, None)))
            elif fmt == "tsv":
                words = [word for token in self._annotate(line, chosen, None)
                         for word in (token.text.split() if token.kind == "other" else (token.text,))]
                out.append(_utf8("\t".join(tsv_field(field) for field in
                                            (line, self._romanize(line, chosen, None), " ".join(words)))))
            else:
                out += (b'{"text": ', _json_string(line))
                if fmt == "jsonl":
                    out += (b', "reading": ', _json_string(self._romanize(line, chosen, None)))
                out += (b', "tokens": ', self._to_json(line, chosen, None, "text", True), b"}")
            out.append(b"\n")
        return b"".join(out)

    # -- user dictionary ------------------------------------------------------

    def add_word(self, key: str, *readings: str) -> None:
        """Add `key`, or override the lexicon's readings of it; the first reading is preferred.

        Readings are Tâi-lô, marked (``tâi-uân``) or numbered (``tai5-uan5``),
        one syllable per character.
        """
        entry = _user_entry(key, readings)
        with self._lock:
            self._user[key] = entry
            self._user_dictionary_changed()

    def remove_word(self, key: str) -> None:
        """Hide `key` from the lexicon (or drop a user entry for it)."""
        _check_key(key)
        from .lexicon import Entry
        with self._lock:
            self._user[key] = Entry(key, (), user=True)
            self._user_dictionary_changed()

    def update_user_dictionary(self, entries: Mapping[str, Iterable[str] | str | None], replace: bool = True) -> None:
        """Set many entries at once: key -> readings (a string or a list), or None to remove.

        With `replace`, the user dictionary becomes exactly `entries`.
        """
        from .lexicon import Entry
        built = {}
        for key, readings in entries.items():
            if readings is None:
                _check_key(key)
                built[key] = Entry(key, (), user=True)
            else:
                built[key] = _user_entry(key, [readings] if isinstance(readings, str) else list(readings))
        with self._lock:
            self._user = built if replace else {**self._user, **built}
            self._user_dictionary_changed()

    def clear_user_dictionary(self) -> None:
        with self._lock:
            self._user = {}
            self._user_dictionary_changed()

    @property
    def user_dictionary(self) -> dict[str, list[str]]:
        """The user entries as key -> numbered readings ([] for a removed key)."""
        return {key: [r.numbered() for r in entry.readings] for key, entry in self._user.items()}

    # -- helpers --------------------------------------------------------------

    def _standard(self, key: str) -> str:
        """`key` with variant characters in their standard form (臺 -> 台)."""
        return key

    def _token_options(self, overrides: dict, method: str) -> Options:
        chosen = self._options(overrides)
        if chosen.romanized is Romanized.CONVERT:
            raise ValueError(f"romanized='convert' rewrites the text, so token texts and offsets would not match "
                             f"the input; use romanize() or to_html() to convert romanised words, or pass "
                             f"romanized='keep' to {method}()")
        return chosen

    def _options(self, overrides: dict) -> Options:
        if not overrides:
            return self.options
        # A server passes the same few option sets on every call: remember them.
        try:
            key = (self.options, *((name, type(value), value) for name, value in overrides.items()))
            return self._chosen[key]
        except TypeError:                       # an unhashable value: Options.make says what is wrong
            return self.options.replace(**overrides)
        except KeyError:
            pass
        chosen = self.options.replace(**overrides)
        if len(self._chosen) >= 64:
            self._chosen.clear()
        self._chosen[key] = chosen
        return chosen

    def __repr__(self):
        return f"{type(self).__name__}({self.options})"


class Annotator(BaseAnnotator):
    """Annotates Han text with the native core.

    >>> Annotator().romanize("台灣")
    'Tâi-uân'

    Options (all keyword, all optional): system (tl, poj, tlpa, bp, tps, ipa,
    sni, tongiong), tones (marks, numbers, none), sandhi (none, auto), dialect
    (south, north), capitalize (romanize: capital at sentence starts),
    punctuation (romanize: latin or keep), romanized (romanize/to_html: keep
    or convert Tâi-lô/POJ words in the text).  Set them on the annotator, or per
    call.  `lexicon` names another lexicon TSV.
    """

    def __init__(self, lexicon: str | os.PathLike | None = None, **options):
        super().__init__(**options)
        from . import _core
        self._core_module = _core
        tsv = pathlib.Path(lexicon) if lexicon is not None else None
        data, origin = _binary.load_binary(tsv, mapped=True)
        # load_binary has checked the CRC of this very (read-only) mapping.
        self._core = _core.Core(_core.CompiledLexicon(data, origin, verify_crc=False))
        self._tables: dict[tuple, object] = {}

    def _table(self, options: Options, overlay):
        """The render table for `options` and the syllables of `overlay` (None: none)."""
        syllables = (overlay or self._core.base_lexicon).syllables
        # Keyed by the syllables the user dictionary adds, not by their number:
        # two dictionaries can add as many different syllables.
        key = options.table_key + (tuple(syllables[len(self._core.base_lexicon.syllables):]),)
        table = self._tables.get(key)
        if table is None:
            try:
                strings = rendered_strings(syllables, options)
            except SyllableError as err:
                # User syllables are checked when added, so this one is the compiled
                # lexicon's: well formed (the loader checks that) but no Tâi-lô.
                raise LexiconError(f"{self._core.base_lexicon.origin}: {err}; the compiled lexicon is damaged. "
                                   "Run `python -m fastpron.compile` to rebuild it.") from None
            table = self._core_module.RenderTable(strings, syllable_separator(options.system),
                                                  syllable_flags(syllables, options))
            self._tables[key] = table
        return table

    @staticmethod
    def _flags(options: Options, romanizing: bool) -> int:
        flags = OPT_SANDHI if options.sandhi.value == "auto" else 0
        if romanizing and options.capitalize:
            flags |= OPT_CAPITALIZE
        if romanizing and options.punctuation.value == "latin":
            flags |= OPT_LATIN_PUNCT
        return flags

    def _call(self, method, text, options, picks, romanizing=False, *extra):
        # One read of the overlay: the table is built for it and the core uses it, even if
        # another thread changes the user dictionary in between.
        overlay = self._core.overlay_lexicon
        return method(text, self._table(options, overlay), self._flags(options, romanizing), picks, overlay, *extra)

    def _annotate(self, text, options, picks):
        return self._call(self._core.annotate, text, options, picks)

    def _romanize(self, text, options, picks):
        return self._call(self._core.romanize, text, options, picks, romanizing=True)

    def _to_html(self, text, options, picks):
        return self._call(self._core.to_html, text, options, picks)

    def _to_json(self, text, options, picks, text_key="text", as_bytes=False, prefix=b"", suffix=b""):
        return self._call(self._core.to_json, text, options, picks, False, text_key.encode("ascii"), as_bytes,
                          prefix, suffix)

    def _render(self, text, outputs, picks):
        # One read of the overlay for every output, as in _call; one core call, one segmentation.
        overlay = self._core.overlay_lexicon
        jobs = []
        for name, options, extra in outputs:
            job = (name, self._table(options, overlay), self._flags(options, name == "text"))
            if name == "json":
                text_key, as_bytes, prefix, suffix = extra
                job += (text_key.encode("ascii"), as_bytes, prefix, suffix)
            jobs.append(job)
        return self._core.render(text, jobs, picks, overlay)

    def _many(self, what, texts, chosen, *extra):
        # The table, flags and overlay once for the batch, then one core call per text.
        overlay = self._core.overlay_lexicon
        table, flags = self._table(chosen, overlay), self._flags(chosen, False)
        method = {"html": self._core.to_html, "json": self._core.to_json, "annotate": self._core.annotate}[what]
        return [method(_check_text(text), table, flags, None, overlay, *extra) for text in _check_texts(texts)]

    def _format_lines(self, text, fmt, chosen):
        if chosen.romanized is Romanized.CONVERT:
            text = _text_of_lines(text)
            if fmt == "html":
                # data-start must be an offset into each line's own text, which the
                # conversion rewrites: one call per line, as to_html_many does.
                return super()._format_lines(text, fmt, chosen)
            from .romanized import convert_with_offsets    # a newline stays one: lines stay lines
            text = convert_with_offsets(text, chosen).text
        # One read of the overlay, as in _call; the main writer's flags, and the readings'.
        overlay = self._core.overlay_lexicon
        return self._core.format_lines(text, fmt, self._table(chosen, overlay), self._flags(chosen, fmt == "text"),
                                       self._flags(chosen, True), overlay)

    def _lookup_base(self, key):
        return self._core.lookup(key)

    def _standard(self, key):
        from .lexicon import canonical
        return canonical(key, self._core.base_lexicon.variants)

    def _user_dictionary_changed(self):
        # (a copy first: other threads may add tables meanwhile)
        self._tables = {key: table for key, table in list(self._tables.items()) if not key[-1]}  # drop the old overlay's
        if not self._user:
            self._core.overlay_lexicon = None
            return
        from .lexicon import compile_entries
        base = self._core.base_lexicon
        data = compile_entries(self._user, base_syllables=base.syllables, variants=base.variants)
        self._core.overlay_lexicon = self._core_module.CompiledLexicon(data, "user dictionary")


def join_rendered(parts: list[str], separator: str) -> str:
    """Join rendered syllables; a neutral-tone syllable ("--ah") brings its own hyphens."""
    out = []
    for k, part in enumerate(parts):
        if k and separator and not part.startswith("-"):
            out.append(separator)
        out.append(part)
    return "".join(out)


BATCH_CHARACTERS = 1 << 16     # romanize_many: characters per block (64K: larger blocks were slower)
BATCH_TEXTS = 1 << 16


def _check_texts(texts):
    if isinstance(texts, (str, bytes, bytearray)):
        raise TypeError(f"expected an iterable of str (a list, a column...), not one {type(texts).__name__}")
    return texts


def _batches(texts: Iterable[str]):
    """Lists of texts of about BATCH_CHARACTERS in all."""
    _check_texts(texts)
    batch: list[str] = []
    size = 0
    for text in texts:
        batch.append(text)
        size += len(text) if isinstance(text, str) else 0
        if size >= BATCH_CHARACTERS or len(batch) >= BATCH_TEXTS:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _check_text(text) -> str:
    if not isinstance(text, str):
        raise TypeError(f"fastpron expects text as str, not {type(text).__name__}"
                        + ("; decode bytes first, e.g. data.decode('utf-8')" if isinstance(text, (bytes, bytearray)) else ""))
    return text


FORMATS = ("text", "html", "tokens", "json")                 # render's outputs
LINE_FORMATS = ("text", "html", "json", "jsonl", "tsv")      # format_lines's: the command line's

_TSV_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\r": "\\r", "\n": "\\n"}
_TSV_SPECIAL = re.compile(r"[\\\t\r\n]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def tsv_field(value: str) -> str:
    """A TSV field: backslash, tab, CR and newline written as \\\\ \\t \\r \\n."""
    return _TSV_SPECIAL.sub(lambda m: _TSV_ESCAPES[m.group()], value) if _TSV_SPECIAL.search(value) else value


def _text_of_lines(text: str | bytes) -> str:
    """format_lines' text as a str: bytes are a text file's, UTF-8, lines ending in LF or CR LF."""
    return text.decode("utf-8").replace("\r\n", "\n") if isinstance(text, bytes) else text


def _utf8(text: str) -> bytes:
    """`text` in UTF-8, a lone surrogate (which has none) as U+FFFD."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text).encode("utf-8")


def _json_string(text: str) -> bytes:
    """`text` as a JSON string, as json.dumps(text, ensure_ascii=False) writes it, in
    UTF-8; a lone surrogate as its escape, as to_json(as_bytes=True) writes it."""
    from json.encoder import encode_basestring     # json costs start-up 2 ms; only this fallback needs it
    quoted = encode_basestring(text)
    try:
        return quoted.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted).encode("utf-8")


JSON_ARGUMENTS = ("text_key", "as_bytes", "prefix", "suffix")  # to_json's own arguments


def _check_json_arguments(text_key, as_bytes, prefix, suffix) -> None:
    if not (isinstance(text_key, str) and text_key.isidentifier() and text_key.isascii()):
        raise ValueError(f"text_key must be a plain ASCII name, not {text_key!r}")
    if not (isinstance(prefix, bytes) and isinstance(suffix, bytes)):
        raise TypeError(f"prefix and suffix must be bytes, not {type(prefix).__name__} and "
                        f"{type(suffix).__name__}")
    if (prefix or suffix) and not as_bytes:
        raise ValueError("prefix and suffix are bytes: use them with as_bytes=True")


def _check_picks(picks) -> dict[int, int] | None:
    if picks is None:
        return None
    if not isinstance(picks, Mapping):
        raise TypeError(f"picks must be a mapping of token start -> reading number, not {type(picks).__name__}")
    checked = {}
    for start, choice in picks.items():
        if not isinstance(start, int) or not isinstance(choice, int) or isinstance(start, bool) \
                or isinstance(choice, bool):
            raise TypeError(f"picks must map int offsets to int reading numbers, not {start!r}: {choice!r}")
        checked[start] = choice
    return checked


def _check_key(key) -> None:
    _check_text(key)
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"a dictionary key must have 1 to {MAX_KEY_LENGTH} characters, not {len(key)}")
    if any(ch.isspace() for ch in key):
        raise ValueError(f"a dictionary key cannot contain white space: {key!r}")


def _user_entry(key: str, readings) -> Entry:
    from .lexicon import Entry, make_reading
    _check_key(key)
    if not readings:
        raise ValueError(f"give at least one reading for {key!r}")
    parsed = []
    for text in readings:
        try:
            reading = make_reading(_check_text(text), weight=1)
        except SyllableError as err:
            raise ValueError(f"bad reading for {key!r}: {err}") from None
        if len(reading.syllables) != len(key):
            raise ValueError(f"{text!r} has {len(reading.syllables)} syllables but {key!r} "
                             f"has {len(key)} characters; give one syllable per character")
        for syllable in reading.syllables:
            try:
                check_syllable(syllable)
            except SyllableError as err:
                raise ValueError(f"bad reading for {key!r}: {err}") from None
        parsed.append(reading)
    return Entry(key, tuple(parsed), user=True)


__all__ = ["Annotator", "BaseAnnotator", "LexiconError", "join_rendered"]
