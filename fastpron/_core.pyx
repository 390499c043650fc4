# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The native core: lexicon look-up in C hash tables, best-path segmentation,
and rendering to text or HTML, all without the GIL.

`Core` is the one Python-facing class; fastpron/annotator.py wraps it.  The
algorithm is the one in fastpron/reference.py, which tests compare it with.
The binary layout it reads is described in fastpron/lexicon.py.

The stages are modules of their own, sharing the declarations in their .pxd
files: _lookup (records, look-up, CompiledLexicon), _segment (tokens, numbers,
segmentation), _model (the register model, phrase-final readings) and _render
(RenderTable, the writers).  This module ties them together and keeps the
names the package imports from it.
"""

from libc.stdint cimport uint8_t, uint16_t, uint32_t, int32_t
from libc.stdlib cimport malloc, free
from libc.string cimport memcpy

from fastpron._lookup cimport (PyUnicode_KIND, PyUnicode_DATA, PyUnicode_DecodeUTF8, LexView,
                               record_readings, record_reading, record_key_length,
                               READING_CAPITAL, READING_PHRASE, READING_ESTIMATED)
from fastpron._segment cimport (CToken, segment, token_reading, token_syllables, syllable_id,
                                KIND_OTHER, KIND_UNKNOWN, NUMBER_COST, MONTH_COST, RELEASE_GIL_FROM)
from fastpron._model cimport choose_register_readings, choose_final_readings
from fastpron._render cimport (TextBuffer, TableView, VARIANTS, OPT_SANDHI, OUT_UTF8, LINES_NO_MEMORY, LINES_BROKEN,
                               LINES_NOT_UTF8, spoken_form, variant_index,
                               write_romanized, write_html, write_json, write_once, write_utf8, write_twice,
                               write_lines)
from cpython.bytes cimport PyBytes_FromStringAndSize, PyBytes_AS_STRING

from fastpron import binary as _binary
from fastpron.syllable import join_reading
from fastpron import numbers as _numbers
from fastpron import tokens as _tokens
from fastpron._lookup import CompiledLexicon      # the Python names of the classes typed Lexicon
from fastpron._render import RenderTable          # and Table here (_core.pxd)

cdef enum:
    SCRATCH_KEPT = 1 << 22  # code points of output buffer a Core keeps between calls (16 MB)
    WRITE_ONCE = 0          # Core._write modes: see _render.pyx: write_once, write_twice, write_utf8
    WRITE_TWICE = 1
    WRITE_UTF8 = 2
    SEGMENT_FAILED = 0      # segment_text: out of memory
    SEGMENT_DONE = 1
    SEGMENT_NEEDS_MODEL = 2 # segmented, but the register model's tables are to be built first

KIND_NAMES = ("other", "char", "word", "unknown", "number")


# ---------------------------------------------------------------- Python objects

cdef class Token:
    """One piece of the annotated text.

    text: the characters as given; reading: their reading in the chosen
    system (None for "other" and "unknown"); syllables: one reading per
    character; alternatives: the key's other readings, in lexicon order;
    kind: "word", "char", "unknown" (a Han character the lexicon lacks) or
    "other" (anything else); start, end: the offsets in the input; choice:
    the number of the reading given, in lexicon order (0 unless picked);
    estimated: the reading was estimated from the character's 廣韻 position
    (lexicon_data/import_estimated.py), not taken from a dictionary.
    """
    cdef readonly str text
    cdef readonly object reading
    cdef readonly tuple syllables
    cdef readonly tuple alternatives
    cdef readonly str kind
    cdef readonly Py_ssize_t start
    cdef readonly Py_ssize_t end
    cdef readonly int choice
    cdef readonly bint estimated

    def __init__(self, text, reading, syllables, alternatives, kind, start, end, choice=0, estimated=False):
        self.text = text
        self.reading = reading
        self.syllables = tuple(syllables)
        self.alternatives = tuple(alternatives)
        self.kind = kind
        self.start = start
        self.end = end
        self.choice = choice
        self.estimated = estimated

    def astuple(self):
        return _tokens.as_tuple(self)

    def asdict(self):
        """The fields; "estimated" only when true, as to_json writes it."""
        return _tokens.as_dict(self)

    def __eq__(self, other):
        if not hasattr(other, "astuple"):
            return NotImplemented
        return self.astuple() == other.astuple()

    def __hash__(self):
        return hash(self.astuple())

    def __repr__(self):
        return f"Token({self.text!r}, {self.reading!r}, kind={self.kind!r})"

    def __reduce__(self):
        return (Token, self.astuple())


cdef inline int segment_text(const LexView* base, const LexView* overlay, const void* data, int kind,
                             Py_ssize_t n, int32_t unknown_cost, int32_t other_cost, TokenBuffer* tokens,
                             const uint32_t* number_sids) noexcept nogil:
    """Segment, then choose the register's and the phrase-final readings: SEGMENT_DONE,
    SEGMENT_FAILED (out of memory) or SEGMENT_NEEDS_MODEL (see choose_readings)."""
    if not segment(base, overlay, data, kind, n, unknown_cost, other_cost, tokens, number_sids):
        return SEGMENT_FAILED
    return choose_readings(tokens, base, data, kind)


cdef inline int choose_readings(TokenBuffer* tokens, const LexView* base, const void* data, int kind) noexcept nogil:
    """The register's and the phrase-final readings; SEGMENT_NEEDS_MODEL, with nothing
    chosen, when the register model's tables are needed and not built yet: the caller
    builds them (CompiledLexicon.build_register, under the GIL) and calls again."""
    if not choose_register_readings(tokens, base, data, kind):
        return SEGMENT_NEEDS_MODEL
    choose_final_readings(tokens)
    return SEGMENT_DONE


cdef inline bint tokens_reserve(TokenBuffer* tokens, Py_ssize_t n) noexcept nogil:
    """Room for the tokens of a text of n characters, if there is none yet: about one
    token per 1.4 characters of text, so that most calls never grow it."""
    if tokens.items == NULL:
        tokens.capacity = min(n - n // 4, 1 << 16) + 16
        tokens.items = <CToken*>malloc(tokens.capacity * sizeof(CToken))
    return tokens.items != NULL


# Core.format_lines' work: what run_lines reads and fills, without the GIL.
cdef struct LinesJob:
    const LexView* base
    const LexView* overlay
    int32_t unknown_cost
    int32_t other_cost
    const uint32_t* number_sids
    int format                  # LINES_*
    const TableView* table
    int options
    int reading_options
    const uint8_t* utf8         # the text as UTF-8 bytes, decoded by run_lines; NULL: data is a str's
    Py_ssize_t utf8_length
    Py_UCS4* decoded            # what utf8 was decoded into (run_lines allocates it)
    Py_ssize_t bad_byte         # LINES_NOT_UTF8: where utf8 stops being UTF-8
    const void* data            # the text's characters: n of them, of `kind` bytes each
    int kind
    Py_ssize_t n
    TokenBuffer tokens
    TokenBuffer line_buffer     # one line's tokens (write_lines)
    TextBuffer out              # the UTF-8 output
    TextBuffer line             # one line's romanised text or HTML (write_lines)


cdef int run_lines(LinesJob* job) noexcept nogil:
    """Decode the text if it is UTF-8, segment it, then write its lines (LINES_DONE,
    or what went wrong): all of format_lines' work that needs no Python object."""
    if job.utf8 != NULL:
        job.decoded = <Py_UCS4*>malloc((job.utf8_length + 1) * sizeof(Py_UCS4))
        if job.decoded == NULL:
            return LINES_NO_MEMORY
        job.bad_byte = decode_utf8(job.utf8, job.utf8_length, job.decoded, &job.n, &job.kind)
        if job.bad_byte >= 0:
            return LINES_NOT_UTF8
        job.data = job.decoded
    # Core.format_lines has built the register model's tables, so segment_text
    # cannot stop for them here.
    if not (tokens_reserve(&job.tokens, job.n)
            and segment_text(job.base, job.overlay, job.data, job.kind, job.n, job.unknown_cost, job.other_cost,
                             &job.tokens, job.number_sids) == SEGMENT_DONE):
        return LINES_NO_MEMORY
    return write_lines(job.format, &job.tokens, job.data, job.kind, job.n, job.table, job.options,
                       job.reading_options, &job.out, &job.line, &job.line_buffer)


cdef inline bint continuation(uint8_t byte) noexcept nogil:
    return (byte & 0xC0) == 0x80


cdef Py_ssize_t decode_utf8(const uint8_t* s, Py_ssize_t n, Py_UCS4* out, Py_ssize_t* length,
                            int* kind) noexcept nogil:
    """UTF-8 into code points, accepting what Python's strict decoder accepts (no
    overlong form, no surrogate, nothing past U+10FFFF), and dropping a CR before
    a line feed, as a text file's line end; returns -1, or the offset of the first
    byte that is not UTF-8 (Python's decoder then says why).  The code points are
    then narrowed in place to 2 bytes each (`kind` 2) when they all fit, as a str
    would hold them: Han text is read several times over, and half the bytes
    read faster."""
    cdef Py_ssize_t i = 0, k = 0
    cdef uint32_t c
    cdef bint astral = False
    while i < n:
        c = s[i]
        if c < 0x80:
            if not (c == 0x0D and i + 1 < n and s[i + 1] == 0x0A):
                out[k] = c
                k += 1
            i += 1
            continue
        if 0xC2 <= c <= 0xDF:
            if i + 1 >= n or not continuation(s[i + 1]):
                return i
            out[k] = ((c & 0x1F) << 6) | (s[i + 1] & 0x3F)
            i += 2
        elif 0xE0 <= c <= 0xEF:
            if (i + 2 >= n or not continuation(s[i + 1]) or not continuation(s[i + 2])
                    or (c == 0xE0 and s[i + 1] < 0xA0) or (c == 0xED and s[i + 1] >= 0xA0)):
                return i
            out[k] = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F)
            i += 3
        elif 0xF0 <= c <= 0xF4:
            if (i + 3 >= n or not continuation(s[i + 1]) or not continuation(s[i + 2])
                    or not continuation(s[i + 3]) or (c == 0xF0 and s[i + 1] < 0x90)
                    or (c == 0xF4 and s[i + 1] >= 0x90)):
                return i
            out[k] = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) | ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F)
            astral = True
            i += 4
        else:
            return i
        k += 1
    length[0], kind[0] = k, 4
    if not astral:
        for i in range(k):                  # (each 2-byte unit lands at or before the 4 bytes it comes from)
            (<uint16_t*>out)[i] = <uint16_t>out[i]
        kind[0] = 2
    return -1


cdef class Core:
    """Segmenter and renderer over a base lexicon and an optional user overlay."""

    def __cinit__(self, Lexicon base not None, int unknown_cost=_binary.UNKNOWN_COST,
                  int other_cost=_binary.OTHER_COST):
        self.scratch = NULL
        self.scratch_capacity = 0
        self.base = base
        self.overlay = None
        self.unknown_cost = unknown_cost
        self.other_cost = other_cost
        ids = {syllable: k for k, syllable in enumerate(base.syllables)}
        self.numbers = all(syllable in ids for syllable in _numbers.SYLLABLES)
        if (len(_numbers.SYLLABLES) != N_NUMBER_SYLLABLES or _numbers.NUMBER_COST != NUMBER_COST
                or _numbers.MONTH_COST != MONTH_COST):
            raise AssertionError("fastpron.numbers and _segment.pxd disagree")
        if self.numbers:
            for k, syllable in enumerate(_numbers.SYLLABLES):
                self.number_sids[k] = ids[syllable]

    property base_lexicon:
        def __get__(self):
            return self.base

    property overlay_lexicon:
        """Where fastpron.Annotator keeps its user overlay.  The calls below do
        not read it: each takes the overlay that its RenderTable was built for,
        so a change in another thread between the two cannot mismatch them."""
        def __get__(self):
            return self.overlay

        def __set__(self, Lexicon overlay):
            self.overlay = overlay

    cdef int _segment(self, str text, Lexicon base, Lexicon overlay,
                      TokenBuffer* tokens, dict picks) except -1:
        cdef int kind = PyUnicode_KIND(text)
        cdef const void* data = PyUnicode_DATA(text)
        cdef Py_ssize_t n = len(text), t
        cdef const LexView* overlay_view = &overlay.view if overlay is not None else NULL
        cdef int status
        cdef CToken* token
        cdef const uint32_t* number_sids = self.number_sids if self.numbers else NULL
        if not tokens_reserve(tokens, n):
            raise MemoryError("fastpron: out of memory while segmenting")
        if n >= RELEASE_GIL_FROM:
            with nogil:
                status = segment_text(&base.view, overlay_view, data, kind, n, self.unknown_cost, self.other_cost,
                                      tokens, number_sids)
        else:                               # a few microseconds: not worth handing the GIL over
            status = segment_text(&base.view, overlay_view, data, kind, n, self.unknown_cost, self.other_cost,
                                  tokens, number_sids)
        if status == SEGMENT_FAILED:
            raise MemoryError("fastpron: out of memory while segmenting")
        if status == SEGMENT_NEEDS_MODEL:
            # The first text with a news reading: the register model's tables are built
            # now, under the GIL, not at load.
            base.build_register()
            choose_readings(tokens, &base.view, data, kind)
        if picks:
            # A pick names a token by its start offset; picks that match no
            # token, or a reading the token lacks, are ignored.
            for t in range(tokens.length):
                token = &tokens.items[t]
                if token.record != NULL:
                    choice = picks.get(token.start)
                    if choice is not None and 0 <= choice < record_readings(token.record):
                        token.choice = choice
        return 0

    def romanize(self, str text not None, Table table not None, int options=0, dict picks=None,
                 Lexicon overlay=None):
        """`text` romanised with `table`; options are the OPT_* bits."""
        return self._write(write_romanized, text, table, options, picks, overlay, WRITE_ONCE)

    def to_html(self, str text not None, Table table not None, int options=0, dict picks=None,
                 Lexicon overlay=None):
        """`text` as ruby HTML with `table`; options are the OPT_* bits."""
        return self._write(write_html, text, table, options, picks, overlay, WRITE_TWICE)

    def to_json(self, str text not None, Table table not None, int options=0, dict picks=None,
                 Lexicon overlay=None, bytes text_key=b"text", bint utf8=False,
                 bytes prefix not None=b"", bytes suffix not None=b""):
        """The tokens of `text` as a JSON array (the fields of Token.asdict, the
        token's text under `text_key`, plain ASCII); with `utf8`, as UTF-8 bytes,
        between `prefix` and `suffix` (ignored without it)."""
        table._encode()
        result = self._write(write_json, text, table, options, picks, overlay, WRITE_UTF8, text_key,
                             prefix, suffix)
        return result if utf8 else PyUnicode_DecodeUTF8(<char*>result, len(result), NULL)

    cdef _write(self, Writer writer, str text, Table table, int options, dict picks,
                Lexicon overlay, int mode, const char* json_key=b"text", bytes prefix=b"",
                bytes suffix=b""):
        cdef TokenBuffer tokens = TokenBuffer(NULL, 0, 0, NULL, 0, 0)
        cdef TextBuffer scratch = TextBuffer(NULL, 4, True, 0, 0, 0, 0, False, json_key)
        cdef Lexicon base = self.base
        cdef bint once = mode != WRITE_TWICE
        self._check_table(table, overlay)
        if once:
            # Take the kept scratch buffer (under the GIL, a hand-over between
            # threads); a thread that finds it taken starts its own.
            scratch.data, scratch.capacity = self.scratch, self.scratch_capacity
            self.scratch, self.scratch_capacity = NULL, 0
        try:
            self._segment(text, base, overlay, &tokens, picks)
            if mode == WRITE_ONCE:
                return write_once(writer, &tokens, PyUnicode_DATA(text), PyUnicode_KIND(text), &table.view,
                                  options, &scratch)
            if mode == WRITE_UTF8:
                scratch.capacity *= sizeof(Py_UCS4)         # the kept scratch is counted in code points
                return write_utf8(writer, &tokens, PyUnicode_DATA(text), PyUnicode_KIND(text), &table.view,
                                  options, &scratch, prefix, suffix)
            return write_twice(writer, &tokens, PyUnicode_DATA(text), PyUnicode_KIND(text), &table.view, options)
        finally:
            free(tokens.items)
            free(tokens.pool)
            if mode == WRITE_UTF8:
                scratch.capacity //= sizeof(Py_UCS4)        # back in code points
            if once and self.scratch == NULL and scratch.capacity <= SCRATCH_KEPT:
                self.scratch, self.scratch_capacity = <Py_UCS4*>scratch.data, scratch.capacity
            else:
                free(scratch.data)

    def __dealloc__(self):
        free(self.scratch)

    def annotate(self, str text not None, Table table not None, int options=0, dict picks=None,
                 Lexicon overlay=None):
        """A list of Token objects, readings rendered with `table`."""
        cdef TokenBuffer tokens = TokenBuffer(NULL, 0, 0, NULL, 0, 0)
        self._check_table(table, overlay)
        try:
            self._segment(text, self.base, overlay, &tokens, picks)
            return _token_list(text, &tokens, table, options)
        finally:
            free(tokens.items)
            free(tokens.pool)

    def render(self, str text not None, list jobs not None, dict picks=None, Lexicon overlay=None):
        """Several outputs of `text` from one segmentation: a list with one result per job.

        A job is ``(name, table, options)``: name ``"tokens"`` (as `annotate`),
        ``"html"`` (`to_html`) or ``"text"`` (`romanize`); or ``("json", table,
        options, text_key, utf8, prefix, suffix)`` (`to_json`).  Each job has
        its own RenderTable and OPT_* bits; the text is segmented once, with
        `picks` and `overlay`, and each writer runs over the same tokens.
        """
        cdef TokenBuffer tokens = TokenBuffer(NULL, 0, 0, NULL, 0, 0)
        cdef TextBuffer scratch = TextBuffer(NULL, 4, True, 0, 0, 0, 0, False, NULL)
        cdef Table table
        cdef int options
        cdef const void* data = PyUnicode_DATA(text)
        cdef int kind = PyUnicode_KIND(text)
        cdef list results = []
        cdef bytes text_key
        # Every job is checked before any work is done.
        for job in jobs:
            if not isinstance(job, tuple) or len(job) != (7 if job and job[0] == "json" else 3):
                raise TypeError(f"a render job is (name, RenderTable, options), or for json (name, RenderTable, "
                                f"options, text_key, utf8, prefix, suffix), not {job!r}")
            if job[0] not in RENDER_FORMATS:
                raise ValueError(f"unknown render job {job[0]!r}; choose one of: {', '.join(RENDER_FORMATS)}")
            table, options = job[1], job[2]
            self._check_table(table, overlay)
            if job[0] == "json":
                if not (isinstance(job[3], bytes) and isinstance(job[5], bytes) and isinstance(job[6], bytes)):
                    raise TypeError("a json job's text_key, prefix and suffix are bytes")
                table._encode()
        # The kept scratch serves every job that writes into it, one after the other.
        scratch.data, scratch.capacity = self.scratch, self.scratch_capacity
        self.scratch, self.scratch_capacity = NULL, 0
        try:
            self._segment(text, self.base, overlay, &tokens, picks)
            for job in jobs:
                name, table, options = job[0], job[1], job[2]
                if name == "tokens":
                    results.append(_token_list(text, &tokens, table, options))
                elif name == "html":
                    results.append(write_twice(write_html, &tokens, data, kind, &table.view, options))
                elif name == "text":
                    scratch.length, scratch.max_char, scratch.last, scratch.failed = 0, 0, 0, False
                    results.append(write_once(write_romanized, &tokens, data, kind, &table.view, options, &scratch))
                else:
                    scratch.length, scratch.max_char, scratch.last, scratch.failed = 0, 0, 0, False
                    text_key = job[3]
                    scratch.json_key = text_key
                    scratch.capacity *= sizeof(Py_UCS4)         # the kept scratch is counted in code points
                    try:
                        result = write_utf8(write_json, &tokens, data, kind, &table.view, options, &scratch,
                                            job[5], job[6])
                    finally:
                        scratch.capacity //= sizeof(Py_UCS4)    # back in code points
                        scratch.json_key = NULL
                    results.append(result if job[4] else PyUnicode_DecodeUTF8(<char*>result, len(result), NULL))
            return results
        finally:
            free(tokens.items)
            free(tokens.pool)
            if self.scratch == NULL and scratch.capacity <= SCRATCH_KEPT:
                self.scratch, self.scratch_capacity = <Py_UCS4*>scratch.data, scratch.capacity
            else:
                free(scratch.data)

    def format_lines(self, text not None, str fmt not None, Table table not None, int options=0,
                     int reading_options=0, Lexicon overlay=None):
        """Each line of `text` (lines end with a newline; the last may lack it) in
        the command line's format `fmt`, as UTF-8 bytes with a newline after each
        line's output: "text" (romanize's), "html" (to_html's), "json" ({"text":
        the line, "tokens": to_json's array}), "jsonl" (with "reading": the line
        romanised with `reading_options`) or "tsv" (the line, its romanisation,
        the words).  `options` are the OPT_* bits of the main writer (romanize
        for "text", to_html, to_json).  `text` is a str, or UTF-8 bytes as a text
        file holds them (a CR before a line feed is dropped), decoded here;
        bytes that are not UTF-8 raise UnicodeDecodeError.  The text is segmented
        once and every line written from its tokens, without the GIL for a long
        text: the same output as one call per line (see _render.pyx: write_lines).
        """
        cdef LinesJob job
        cdef int status
        cdef char* target
        cdef bint release
        job.format = LINE_FORMATS.index(fmt) if fmt in LINE_FORMATS else -1
        if job.format < 0:
            raise ValueError(f"unknown line format {fmt!r}; choose one of: {', '.join(LINE_FORMATS)}")
        if isinstance(text, bytes):
            job.utf8, job.utf8_length = <const uint8_t*>PyBytes_AS_STRING(text), len(text)
            job.data, job.kind, job.n = NULL, 4, 0
            release = job.utf8_length >= RELEASE_GIL_FROM
        elif isinstance(text, str):
            job.utf8, job.utf8_length = NULL, 0
            job.data, job.kind, job.n = PyUnicode_DATA(text), PyUnicode_KIND(text), len(text)
            release = job.n >= RELEASE_GIL_FROM
        else:
            raise TypeError(f"format_lines reads a str or UTF-8 bytes, not {type(text).__name__}")
        self._check_table(table, overlay)
        table._encode()
        self.base.build_register()      # no stop for the model's tables in the middle of a block
        job.base, job.overlay = &self.base.view, &overlay.view if overlay is not None else NULL
        job.unknown_cost, job.other_cost = self.unknown_cost, self.other_cost
        job.number_sids = self.number_sids if self.numbers else NULL
        job.table, job.options, job.reading_options = &table.view, options, reading_options
        job.decoded, job.bad_byte = NULL, -1
        job.tokens = TokenBuffer(NULL, 0, 0, NULL, 0, 0)
        job.line_buffer = TokenBuffer(NULL, 0, 0, NULL, 0, 0)
        job.line = TextBuffer(NULL, 4, True, 0, 0, 0, 0, False, NULL)
        # The kept scratch takes the output, as for to_json (counted in code points there).
        job.out = TextBuffer(<void*>self.scratch, OUT_UTF8, True, 0, self.scratch_capacity * sizeof(Py_UCS4), 0, 0,
                             False, b"text")
        self.scratch, self.scratch_capacity = NULL, 0
        try:
            # Decoding, segmenting and writing in one release of the GIL: a block's
            # work is short enough that a second hand-over would show.
            if release:
                with nogil:
                    status = run_lines(&job)
            else:
                status = run_lines(&job)
            if status == LINES_NOT_UTF8:
                raise UnicodeDecodeError("utf-8", text, job.bad_byte, job.bad_byte + 1, "invalid UTF-8")
            if status == LINES_NO_MEMORY:
                raise MemoryError("fastpron: out of memory while writing the output")
            if status == LINES_BROKEN:          # never expected: a token across a line break
                raise RuntimeError("fastpron: a line's output holds a line break; please report this")
            # The output is 20 to 40 times the text's size: copied under the GIL, it
            # would be a large part of what threads on other blocks wait for.
            result = PyBytes_FromStringAndSize(NULL, job.out.length)
            target = PyBytes_AS_STRING(result)
            if release:
                with nogil:
                    memcpy(target, job.out.data, job.out.length)
            else:
                memcpy(target, job.out.data, job.out.length)
            return result
        finally:
            free(job.decoded)
            free(job.tokens.items)
            free(job.tokens.pool)
            free(job.line_buffer.items)
            free(job.line.data)
            job.out.capacity //= sizeof(Py_UCS4)
            if self.scratch == NULL and job.out.capacity <= SCRATCH_KEPT:
                self.scratch, self.scratch_capacity = <Py_UCS4*>job.out.data, job.out.capacity
            else:
                free(job.out.data)

    def lookup(self, str key not None):
        """Readings of `key` in the base lexicon, numbered, best first; [] if none."""
        cdef Lexicon base = self.base
        cdef const uint32_t* record = base.record_of(key)
        cdef const uint32_t* reading
        cdef uint32_t r, k
        if record == NULL:
            return []
        result = []
        for r in range(record_readings(record)):
            reading = record_reading(record, r)
            syllables = [base.syllables[reading[2 + k]] for k in range(record_key_length(record))]
            if reading[0] & READING_CAPITAL:
                syllables[0] = syllables[0][:1].upper() + syllables[0][1:]
            result.append(join_reading(syllables))
        return result

    cdef _check_table(self, Table table, Lexicon overlay):
        cdef Py_ssize_t needed = len(overlay.syllables) if overlay is not None else len(self.base.syllables)
        if table.view.n_strings < needed * VARIANTS:
            raise ValueError("this RenderTable was built for a smaller syllable list")


RENDER_FORMATS = ("tokens", "html", "text", "json")     # Core.render's job names
LINE_FORMATS = ("text", "html", "json", "jsonl", "tsv")   # Core.format_lines's, in _render.pxd's LINES_* order


cdef list _token_list(str text, const TokenBuffer* tokens, Table table, int options):
    """Token objects for the segmented `text`, readings rendered with `table` (annotate, render)."""
    cdef Py_ssize_t t, k, length
    cdef uint32_t r, flags
    cdef const CToken* token
    cdef list result = [], strings = table.strings, syllables
    cdef str separator = table.syllable_separator
    cdef bint capital
    cdef int form
    for t in range(tokens.length):
        token = &tokens.items[t]
        surface = text[token.start:token.end]
        if token.kind == KIND_OTHER or token.kind == KIND_UNKNOWN:
            result.append(Token(surface, None, (), (), KIND_NAMES[token.kind], token.start, token.end))
            continue
        length = token_syllables(token)
        flags = token_reading(token)[0]
        syllables = []
        for k in range(length):
            capital = k == 0 and (flags & READING_CAPITAL) != 0
            form = spoken_form(tokens.items, tokens.length, t, k, &table.view) if options & OPT_SANDHI else 0
            syllables.append(strings[variant_index(syllable_id(token, k), capital, form)])
        alternatives = []
        for r in range(record_readings(token.record)):
            if r != <uint32_t>token.choice:
                alternatives.append(_join_reading(record_reading(token.record, r), length, strings, separator))
        result.append(Token(surface, _join(syllables, " " if flags & READING_PHRASE else separator),
                            syllables, alternatives, KIND_NAMES[token.kind], token.start, token.end,
                            token.choice, (flags & READING_ESTIMATED) != 0))
    return result


cdef str _join(list syllables, str separator):
    cdef list parts = []
    for k, syllable in enumerate(syllables):
        if k and separator and not (<str>syllable).startswith("-"):
            parts.append(separator)
        parts.append(syllable)
    return "".join(parts)


cdef str _join_reading(const uint32_t* reading, Py_ssize_t length, list strings, str separator):
    cdef list syllables = []
    cdef Py_ssize_t k
    for k in range(length):
        syllables.append(strings[variant_index(reading[2 + k], k == 0 and (reading[0] & READING_CAPITAL) != 0, 0)])
    return _join(syllables, " " if reading[0] & READING_PHRASE else separator)
