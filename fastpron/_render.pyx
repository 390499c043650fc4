# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The rendering stage of the native core: RenderTable, and the writers that
turn tokens into romanized text, ruby HTML or JSON without the GIL.
"""

from libc.stdint cimport uint8_t, uint32_t
from libc.stdlib cimport malloc, realloc, free, calloc
from libc.string cimport memcpy, strlen
from cpython.bytes cimport PyBytes_FromStringAndSize

cdef extern from "Python.h":
    # What str.split() splits at; a table look-up, safe without the GIL.
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch) nogil

from fastpron._lookup cimport (Py_UCS1, Py_UCS2, PyUnicode_KIND, PyUnicode_DATA, PyUnicode_READ, PyUnicode_New,
                               PyUnicode_GET_LENGTH, prefetch, record_readings, record_reading,
                               READING_CAPITAL, READING_PHRASE, READING_ESTIMATED)
from fastpron._segment cimport KIND_OTHER, KIND_WORD, KIND_UNKNOWN, KIND_NUMBER, token_reading, worth_releasing

cdef extern from *:
    """
    /* s is a string literal (Cython makes it a char array): a fixed-size copy */
    #define FP_PUT_LITERAL(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) + (sizeof(s) - 1))
    """
    uint8_t* put_literal "FP_PUT_LITERAL"(uint8_t* p, const char* literal) nogil

cdef const char* HEX_DIGITS = b"0123456789abcdef"


# ---------------------------------------------------------------- rendering tables

cdef class RenderTable:
    """Rendered text of every syllable id, VARIANTS strings each, and its flags.

    Built once per set of output options by fastpron/annotator.py, from
    fastpron/options.py (rendered_strings, syllable_flags); afterwards output
    is a table look-up.
    """

    def __cinit__(self, list strings not None, str syllable_separator not None, bytes flags not None):
        if len(strings) % VARIANTS or len(flags) * VARIANTS != len(strings):
            raise ValueError(f"a RenderTable needs {VARIANTS} strings and one flag byte per syllable")
        if len(syllable_separator) > 1:
            raise ValueError("the syllable separator is one character or none")
        self.strings = strings
        self.syllable_separator = syllable_separator
        self.view.separator = ord(syllable_separator) if syllable_separator else 0
        self.view.max_char = self.view.separator
        self.view.n_strings = len(strings)
        self.view.pool = NULL
        self.view.max_chars = NULL
        self.view.pool8 = NULL
        self.view.offsets8 = NULL
        self.view.syllable_flags = <uint8_t*>malloc(len(flags) + 1)
        self.view.offsets = <Py_ssize_t*>malloc((self.view.n_strings + 1) * sizeof(Py_ssize_t))
        if self.view.offsets == NULL or self.view.syllable_flags == NULL:
            raise MemoryError()
        memcpy(self.view.syllable_flags, <const char*>flags, len(flags))
        # All the strings as one str (join also refuses anything but str): its
        # code points are copied into the pool in one C loop, not string by string.
        cdef str joined = "".join(strings)
        for special in "&<>\"'\\":
            if special in joined:
                bad = next(string for string in strings if special in string)
                raise ValueError(f"a rendered syllable cannot hold HTML or JSON special characters: {bad!r}")
        cdef Py_ssize_t total = 0, k, c
        for k in range(self.view.n_strings):
            self.view.offsets[k] = total
            total += len(<str>strings[k])
        self.view.offsets[self.view.n_strings] = total
        self.view.pool = <Py_UCS4*>calloc(total + SYLLABLE_COPY4, sizeof(Py_UCS4))   # padded for text_puts
        self.view.max_chars = <Py_UCS4*>calloc(self.view.n_strings + 1, sizeof(Py_UCS4))
        if self.view.pool == NULL or self.view.max_chars == NULL:
            raise MemoryError()
        cdef int kind = PyUnicode_KIND(joined)
        cdef const void* data = PyUnicode_DATA(joined)
        for c in range(total):
            self.view.pool[c] = PyUnicode_READ(kind, data, c)
        for k in range(self.view.n_strings):
            for c in range(self.view.offsets[k], self.view.offsets[k + 1]):
                if self.view.pool[c] > self.view.max_chars[k]:
                    self.view.max_chars[k] = self.view.pool[c]
            if self.view.max_chars[k] > self.view.max_char:
                self.view.max_char = self.view.max_chars[k]
        for k in range(len(flags)):
            c = self.view.offsets[k * VARIANTS]
            if c < self.view.offsets[k * VARIANTS + 1] and self.view.pool[c] == u'-':
                self.view.syllable_flags[k] |= FLAG_HYPHENATED

    cdef _encode(self):
        """The strings in UTF-8, padded for put_syllable8's fixed-size copy: built
        on the first to_json with this table (under the GIL), not at start-up."""
        cdef Py_ssize_t k, at = 0, longest = 0
        cdef bytes encoded
        if self.view.pool8 != NULL:
            return
        parts = [(<str>string).encode("utf-8") for string in self.strings]
        total = sum(len(part) for part in parts)
        cdef uint8_t* pool8 = <uint8_t*>calloc(total + SYLLABLE_COPY, 1)
        cdef Py_ssize_t* offsets8 = <Py_ssize_t*>malloc((len(parts) + 1) * sizeof(Py_ssize_t))
        if pool8 == NULL or offsets8 == NULL:
            free(pool8)
            free(offsets8)
            raise MemoryError()
        for k in range(len(parts)):
            encoded = parts[k]
            offsets8[k] = at
            memcpy(pool8 + at, <const char*>encoded, len(encoded))
            at += len(encoded)
            longest = max(longest, len(encoded))
        offsets8[len(parts)] = at
        self.view.offsets8, self.view.max_bytes8, self.view.pool8 = offsets8, longest, pool8

    def __dealloc__(self):
        free(self.view.pool8)
        free(self.view.offsets8)
        free(self.view.pool)
        free(self.view.offsets)
        free(self.view.max_chars)
        free(self.view.syllable_flags)

    @property
    def n_syllables(self):
        return self.view.n_strings // VARIANTS


# ---------------------------------------------------------------- buffers

# A writer puts characters into a TextBuffer, which is one of:
#   a growable UCS-4 scratch (kind 4, growable), copied into the str at the end:
#     one pass, best for small outputs (romanize);
#   a measurement (kind 0) and then the final str itself (its kind, 1, 2 or 4):
#     two passes that never hold the output twice, best for large ones (to_html);
#   a growable UTF-8 scratch (kind OUT_UTF8), copied into bytes or decoded into
#     a str: one pass, for JSON, which is mostly ASCII markup (to_json).
# A str gets the narrowest kind that fits, as every str must.

cdef bint text_grow(TextBuffer* out, Py_ssize_t extra) noexcept nogil:
    cdef Py_ssize_t capacity
    cdef void* grown
    if out.failed or not out.growable:
        return False
    capacity = out.capacity * 2 if out.capacity else 4096
    while capacity < out.length + extra:
        capacity *= 2
    grown = realloc(out.data, capacity * (1 if out.kind == OUT_UTF8 else sizeof(Py_UCS4)))
    if grown == NULL:
        out.failed = True
        return False
    out.data = grown
    out.capacity = capacity
    return True


cdef inline void text_putc(TextBuffer* out, Py_UCS4 ch) noexcept nogil:
    if out.kind == 4:
        if out.length == out.capacity and not text_grow(out, 1):
            return
        (<Py_UCS4*>out.data)[out.length] = ch
    elif out.kind == 2:
        (<Py_UCS2*>out.data)[out.length] = <Py_UCS2>ch
    elif out.kind == 1:
        (<Py_UCS1*>out.data)[out.length] = <Py_UCS1>ch
    out.length += 1
    out.last = ch
    if ch > out.max_char:
        out.max_char = ch


cdef inline void text_puts(TextBuffer* out, const Py_UCS4* chars, Py_ssize_t n, Py_UCS4 max_char) noexcept nogil:
    """Put n characters whose largest is max_char, from a RenderTable's pool
    (padded: the scratch takes a fixed-size copy, and the extra is overwritten)."""
    cdef Py_ssize_t k
    if n <= 0:
        return
    if out.kind == 4:
        if out.length + n + SYLLABLE_COPY4 > out.capacity and not text_grow(out, n + SYLLABLE_COPY4):
            return
        memcpy(<Py_UCS4*>out.data + out.length, chars, SYLLABLE_COPY4 * sizeof(Py_UCS4))
        if n > SYLLABLE_COPY4:
            memcpy(<Py_UCS4*>out.data + out.length, chars, n * sizeof(Py_UCS4))
    elif out.kind == 2:
        for k in range(n):
            (<Py_UCS2*>out.data)[out.length + k] = <Py_UCS2>chars[k]
    elif out.kind == 1:
        for k in range(n):
            (<Py_UCS1*>out.data)[out.length + k] = <Py_UCS1>chars[k]
    out.length += n
    out.last = chars[n - 1]
    if max_char > out.max_char:
        out.max_char = max_char


cdef inline void text_ascii(TextBuffer* out, const char* s) noexcept nogil:
    """Put an ASCII literal (markup); ASCII never decides the output's kind."""
    cdef Py_ssize_t n = strlen(s), k
    if out.kind == 4:
        if out.length + n > out.capacity and not text_grow(out, n):
            return
        for k in range(n):
            (<Py_UCS4*>out.data)[out.length + k] = <Py_UCS4>s[k]
    elif out.kind == 2:
        for k in range(n):
            (<Py_UCS2*>out.data)[out.length + k] = <Py_UCS2>s[k]
    elif out.kind == 1:
        memcpy(<Py_UCS1*>out.data + out.length, s, n)
    out.length += n
    out.last = <Py_UCS4>s[n - 1]


cdef inline void text_integer(TextBuffer* out, Py_ssize_t value) noexcept nogil:
    cdef char digits[24]
    cdef int n = 0
    if value == 0:
        text_putc(out, 0x30)
        return
    while value > 0 and n < 24:
        digits[n] = <char>(0x30 + value % 10)
        value //= 10
        n += 1
    while n > 0:
        n -= 1
        text_putc(out, <Py_UCS4>digits[n])


cdef object write_once(Writer writer, const TokenBuffer* tokens, const void* data, int kind,
                       const TableView* table, int options, TextBuffer* scratch):
    """Run `writer` into the growable scratch, then copy the result into a new str."""
    cdef Py_ssize_t k, n
    cdef int out_kind
    cdef void* target
    cdef const Py_UCS4* source
    cdef bint release = worth_releasing(tokens)
    scratch.kind, scratch.growable = 4, True
    run_writer(writer, tokens, data, kind, table, options, scratch, release)
    if scratch.failed:
        raise MemoryError("fastpron: out of memory while writing the output")
    n = scratch.length
    result = PyUnicode_New(n, scratch.max_char)
    if n:
        target, out_kind, source = PyUnicode_DATA(result), PyUnicode_KIND(result), <const Py_UCS4*>scratch.data
        if release:
            with nogil:
                narrow(target, out_kind, source, n)
        else:
            narrow(target, out_kind, source, n)
    return result


cdef inline void narrow(void* target, int out_kind, const Py_UCS4* source, Py_ssize_t n) noexcept nogil:
    """Copy n code points into a str's data of kind out_kind (1, 2 or 4 bytes each)."""
    cdef Py_ssize_t k
    if out_kind == 1:
        for k in range(n):
            (<Py_UCS1*>target)[k] = <Py_UCS1>source[k]
    elif out_kind == 2:
        for k in range(n):
            (<Py_UCS2*>target)[k] = <Py_UCS2>source[k]
    else:
        memcpy(target, source, n * sizeof(Py_UCS4))


cdef inline void run_writer(Writer writer, const TokenBuffer* tokens, const void* data, int kind,
                            const TableView* table, int options, TextBuffer* out, bint release):
    """Run `writer`, without the GIL when `release` (worth_releasing: a long enough text)."""
    if release:
        with nogil:
            writer(tokens.items, tokens.length, data, kind, table, options, out)
    else:
        writer(tokens.items, tokens.length, data, kind, table, options, out)


cdef object write_utf8(Writer writer, const TokenBuffer* tokens, const void* data, int kind,
                       const TableView* table, int options, TextBuffer* scratch, bytes prefix, bytes suffix):
    """Run `writer` into a growable UTF-8 scratch, between `prefix` and
    `suffix`, then copy that into new bytes."""
    scratch.kind, scratch.growable, scratch.length = OUT_UTF8, True, 0
    put_bytes(scratch, prefix)
    run_writer(writer, tokens, data, kind, table, options, scratch, worth_releasing(tokens))
    put_bytes(scratch, suffix)
    if scratch.failed:
        raise MemoryError("fastpron: out of memory while writing the output")
    return PyBytes_FromStringAndSize(<char*>scratch.data, scratch.length)


cdef void put_bytes(TextBuffer* scratch, bytes data):
    cdef Py_ssize_t n = len(data)
    cdef uint8_t* p = reserve8(scratch, n)
    if p != NULL:
        memcpy(p, <const char*>data, n)
        scratch.length += n


cdef object write_twice(Writer writer, const TokenBuffer* tokens, const void* data, int kind,
                        const TableView* table, int options):
    """Run `writer` to measure, then straight into a new str of exactly that size."""
    cdef TextBuffer out = TextBuffer(NULL, 0, False, 0, 0, 0, 0, False, NULL)
    cdef bint release = worth_releasing(tokens)
    run_writer(writer, tokens, data, kind, table, options, &out, release)
    result = PyUnicode_New(out.length, out.max_char)
    if out.length:
        out.data, out.kind, out.length, out.last = PyUnicode_DATA(result), PyUnicode_KIND(result), 0, 0
        out.capacity = PyUnicode_GET_LENGTH(result)
        run_writer(writer, tokens, data, kind, table, options, &out, release)
    return result


# ---------------------------------------------------------------- output

cdef inline void put_syllable(TextBuffer* out, const TableView* table, Py_ssize_t index) noexcept nogil:
    text_puts(out, &table.pool[table.offsets[index]], table.offsets[index + 1] - table.offsets[index],
              table.max_chars[index])


cdef Py_UCS4 latin_punctuation(Py_UCS4 cp) noexcept nogil:
    if cp < 0x3000:
        return cp
    if cp == 0xFF0C or cp == 0x3001: return 0x2C   # ，、 -> ,
    if cp == 0x3002 or cp == 0xFF0E: return 0x2E   # 。． -> .
    if cp == 0xFF01: return 0x21                   # ！
    if cp == 0xFF1F: return 0x3F                   # ？
    if cp == 0xFF1A: return 0x3A                   # ：
    if cp == 0xFF1B: return 0x3B                   # ；
    if cp == 0xFF08: return 0x28                   # （
    if cp == 0xFF09: return 0x29                   # ）
    if cp == 0x300C or cp == 0x300A: return 0x201C  # 「《 -> “
    if cp == 0x300D or cp == 0x300B: return 0x201D  # 」》 -> ”
    if cp == 0x300E or cp == 0x3008: return 0x2018  # 『〈 -> ‘
    if cp == 0x300F or cp == 0x3009: return 0x2019  # 』〉 -> ’
    if cp == 0x3010: return 0x5B                   # 【
    if cp == 0x3011: return 0x5D                   # 】
    if cp == 0xFF5E: return 0x7E                   # ～
    if cp == 0x3000: return 0x20                   # ideographic space
    return cp


cdef inline bint ends_sentence(Py_UCS4 cp) noexcept nogil:
    return cp == 0x2E or cp == 0x21 or cp == 0x3F or cp == 0x0A


cdef inline bint opens(Py_UCS4 cp) noexcept nogil:
    return (cp == 0x28 or cp == 0x5B or cp == 0x7B or cp == 0x201C or cp == 0x2018
            or cp == 0x22 or cp == 0x27 or cp == 0x2F)


cdef inline bint is_wide_punctuation(Py_UCS4 cp) noexcept nogil:
    """CJK punctuation carries its own spacing: no space after it."""
    return ((0x3000 <= cp <= 0x303F) or (0xFF01 <= cp <= 0xFF0F) or (0xFF1A <= cp <= 0xFF20)
            or (0xFF3B <= cp <= 0xFF40) or (0xFF5B <= cp <= 0xFF65))


cdef inline bint is_space(Py_UCS4 cp) noexcept nogil:
    return cp == 0x20 or cp == 0x09 or cp == 0x0A or cp == 0x0D or cp == 0x3000 or cp == 0xA0


cdef inline bint is_alnum(Py_UCS4 cp) noexcept nogil:
    """Digits and Latin letters, accented ones included (ḿ is U+1E3F)."""
    return ((0x30 <= cp <= 0x39) or (0x41 <= cp <= 0x5A) or (0x61 <= cp <= 0x7A) or (0xC0 <= cp <= 0x24F)
            or (0x1E00 <= cp <= 0x1EFF))


cdef inline void prefetch_record(const CToken* tokens, Py_ssize_t n_tokens, Py_ssize_t t) noexcept nogil:
    """Start loading the record of a token the writer will reach soon."""
    if t < n_tokens and tokens[t].record != NULL:
        prefetch(tokens[t].record)


cdef void write_romanized(const CToken* tokens, Py_ssize_t n_tokens, const void* data, int kind,
                          const TableView* table, int options, TextBuffer* out) noexcept nogil:
    cdef Py_ssize_t t, k, c
    cdef const CToken* token
    cdef Py_UCS4 cp, last, mapped, separator
    cdef uint32_t sid, flags
    cdef bint sentence_start = (options & OPT_CAPITALIZE) != 0
    cdef bint capital, previous_is_reading = False
    cdef int form
    for t in range(n_tokens):
        token = &tokens[t]
        prefetch_record(tokens, n_tokens, t + 8)
        if token.kind == KIND_OTHER:
            for c in range(token.start, token.end):
                cp = PyUnicode_READ(kind, data, c)
                if options & OPT_LATIN_PUNCT:
                    mapped = latin_punctuation(cp)
                    if mapped != cp and opens(mapped):
                        # 講：「 -> kóng: “ : a space before, a capital after
                        if out.length > 0 and not is_space(out.last) and not opens(out.last):
                            text_putc(out, 0x20)
                        if options & OPT_CAPITALIZE:
                            sentence_start = True
                    cp = mapped
                if c == token.start and previous_is_reading and is_alnum(cp):
                    text_putc(out, 0x20)
                text_putc(out, cp)
                if ends_sentence(cp) and options & OPT_CAPITALIZE:
                    sentence_start = True
            previous_is_reading = False
            continue
        if out.length > 0 and not (token.kind == KIND_UNKNOWN and tokens[t - 1].kind == KIND_UNKNOWN):
            last = out.last
            if not is_space(last) and not opens(last) and not is_wide_punctuation(last):
                text_putc(out, 0x20)
        if token.kind == KIND_UNKNOWN:
            for c in range(token.start, token.end):
                text_putc(out, PyUnicode_READ(kind, data, c))
        else:
            flags = token_reading(token)[0]
            separator = 0x20 if flags & READING_PHRASE else table.separator
            for k in range(token_syllables(token)):
                sid = syllable_id(token, k)
                if k > 0 and separator and not hyphenated(table, sid):
                    text_putc(out, separator)
                capital = k == 0 and (sentence_start or (flags & READING_CAPITAL) != 0)
                form = spoken_form(tokens, n_tokens, t, k, table) if options & OPT_SANDHI else 0
                put_syllable(out, table, variant_index(sid, capital, form))
        sentence_start = False
        previous_is_reading = True


cdef inline void put_escaped(TextBuffer* out, Py_UCS4 cp) noexcept nogil:
    if cp > 0x3E:
        if 0xD800 <= cp <= 0xDFFF:
            text_putc(out, 0xFFFD)      # a lone surrogate cannot stand in an HTML document
        else:
            text_putc(out, cp)
    elif cp == 0x26:
        text_ascii(out, b"&amp;")
    elif cp == 0x3C:
        text_ascii(out, b"&lt;")
    elif cp == 0x3E:
        text_ascii(out, b"&gt;")
    elif cp == 0x22:
        text_ascii(out, b"&quot;")
    elif cp == 0x27:
        text_ascii(out, b"&#x27;")
    elif cp == 0:
        text_putc(out, 0xFFFD)
    else:
        text_putc(out, cp)


cdef void write_html(const CToken* tokens, Py_ssize_t n_tokens, const void* data, int kind,
                     const TableView* table, int options, TextBuffer* out) noexcept nogil:
    cdef Py_ssize_t t, k, c
    cdef const CToken* token
    cdef uint32_t flags
    cdef bint capital
    cdef int form
    for t in range(n_tokens):
        token = &tokens[t]
        prefetch_record(tokens, n_tokens, t + 8)
        if token.kind == KIND_OTHER:
            for c in range(token.start, token.end):
                put_escaped(out, PyUnicode_READ(kind, data, c))
            continue
        if token.kind == KIND_UNKNOWN:
            text_ascii(out, b'<span class="fp-unknown">')
            for c in range(token.start, token.end):
                put_escaped(out, PyUnicode_READ(kind, data, c))
            text_ascii(out, b"</span>")
            continue
        if token.kind == KIND_NUMBER:
            write_html_number(tokens, n_tokens, t, data, kind, table, options, out)
            continue
        flags = token_reading(token)[0]
        if flags & READING_ESTIMATED:
            text_ascii(out, b'<span class="fp-word fp-estimated" data-start="' if token.kind == KIND_WORD
                       else b'<span class="fp-char fp-estimated" data-start="')
        else:
            text_ascii(out, b'<span class="fp-word" data-start="' if token.kind == KIND_WORD
                       else b'<span class="fp-char" data-start="')
        text_integer(out, token.start)
        text_ascii(out, b'">')
        for k in range(token.end - token.start):
            text_ascii(out, b"<ruby>")
            put_escaped(out, PyUnicode_READ(kind, data, token.start + k))
            text_ascii(out, b"<rp>(</rp><rt>")
            capital = k == 0 and (flags & READING_CAPITAL) != 0
            form = spoken_form(tokens, n_tokens, t, k, table) if options & OPT_SANDHI else 0
            # Rendered syllables hold no HTML-special character (RenderTable checks).
            put_syllable(out, table, variant_index(syllable_id(token, k), capital, form))
            text_ascii(out, b"</rt><rp>)</rp></ruby>")
        text_ascii(out, b"</span>")


cdef void write_html_number(const CToken* tokens, Py_ssize_t n_tokens, Py_ssize_t t, const void* data, int kind,
                            const TableView* table, int options, TextBuffer* out) noexcept nogil:
    """A number: one ruby over all its characters, its syllables joined as a word's."""
    cdef const CToken* token = &tokens[t]
    cdef Py_ssize_t k, c
    cdef uint32_t sid
    cdef int form
    text_ascii(out, b'<span class="fp-number" data-start="')
    text_integer(out, token.start)
    text_ascii(out, b'"><ruby>')
    for c in range(token.start, token.end):
        put_escaped(out, PyUnicode_READ(kind, data, c))
    text_ascii(out, b"<rp>(</rp><rt>")
    for k in range(token_syllables(token)):
        sid = syllable_id(token, k)
        if k > 0 and table.separator and not hyphenated(table, sid):
            text_putc(out, table.separator)
        form = spoken_form(tokens, n_tokens, t, k, table) if options & OPT_SANDHI else 0
        put_syllable(out, table, variant_index(sid, False, form))
    text_ascii(out, b"</rt><rp>)</rp></ruby></span>")


# write_json writes UTF-8 straight into a growable byte scratch (TextBuffer kind
# OUT_UTF8): it reserves room for a whole token first, so each piece is a plain
# store, and copies syllables pre-encoded (RenderTable._encode).

cdef inline uint8_t* reserve8(TextBuffer* out, Py_ssize_t need) noexcept nogil:
    """Where the next bytes go, with room for `need` of them; NULL when out of memory."""
    if out.length + need > out.capacity and not text_grow(out, need):
        return NULL
    return <uint8_t*>out.data + out.length


cdef inline uint8_t* put_utf8(uint8_t* p, uint32_t c) noexcept nogil:
    if c < 0x80:
        p[0] = <uint8_t>c
        return p + 1
    if c < 0x800:
        p[0] = <uint8_t>(0xC0 | (c >> 6))
        p[1] = <uint8_t>(0x80 | (c & 0x3F))
        return p + 2
    if c < 0x10000:
        p[0] = <uint8_t>(0xE0 | (c >> 12))
        p[1] = <uint8_t>(0x80 | ((c >> 6) & 0x3F))
        p[2] = <uint8_t>(0x80 | (c & 0x3F))
        return p + 3
    p[0] = <uint8_t>(0xF0 | (c >> 18))
    p[1] = <uint8_t>(0x80 | ((c >> 12) & 0x3F))
    p[2] = <uint8_t>(0x80 | ((c >> 6) & 0x3F))
    p[3] = <uint8_t>(0x80 | (c & 0x3F))
    return p + 4


cdef inline uint8_t* put_json_char(uint8_t* p, Py_UCS4 cp, bint short_escapes) noexcept nogil:
    """One character inside a JSON string (RFC 8259), at most 6 bytes; a lone
    surrogate becomes its escape, so the document is valid UTF-8.  The core's
    arrays write the other control characters as \\u00XX; with `short_escapes`,
    \\b \\f \\r \\t are written as json.dumps writes them (the command line's
    "text" and "reading" fields, which it wrote with json.dumps before)."""
    cdef uint32_t c = <uint32_t>cp
    cdef int k
    if c == 0x22:
        return put_literal(p, b'\\"')
    if c == 0x5C:
        return put_literal(p, b"\\\\")
    if c == 0x0A:
        return put_literal(p, b"\\n")
    if c < 0x20 or 0xD800 <= c <= 0xDFFF:
        if short_escapes:
            if c == 0x09:
                return put_literal(p, b"\\t")
            if c == 0x0D:
                return put_literal(p, b"\\r")
            if c == 0x08:
                return put_literal(p, b"\\b")
            if c == 0x0C:
                return put_literal(p, b"\\f")
        p[0], p[1] = 0x5C, 0x75                 # \u
        for k in range(4):
            p[5 - k] = HEX_DIGITS[(c >> (4 * k)) & 0xF]
        return p + 6
    return put_utf8(p, c)


cdef inline uint8_t* put_integer(uint8_t* p, Py_ssize_t value) noexcept nogil:
    """A non-negative integer, at most 20 bytes."""
    cdef uint8_t digits[24]
    cdef int n = 0
    while True:
        digits[n] = <uint8_t>(0x30 + value % 10)
        value //= 10
        n += 1
        if value == 0 or n == 24:
            break
    while n > 0:
        n -= 1
        p[0] = digits[n]
        p += 1
    return p


cdef inline uint8_t* put_syllable8(uint8_t* p, const TableView* table, Py_ssize_t index) noexcept nogil:
    cdef Py_ssize_t at = table.offsets8[index], n = table.offsets8[index + 1] - at
    memcpy(p, table.pool8 + at, SYLLABLE_COPY)     # a fixed-size copy; the extra bytes are overwritten
    if n > SYLLABLE_COPY:
        memcpy(p, table.pool8 + at, n)
    return p + n


cdef uint8_t* put_json_reading(uint8_t* p, const CToken* tokens, Py_ssize_t n_tokens, Py_ssize_t t,
                               const uint32_t* reading, bint chosen, const TableView* table,
                               int options) noexcept nogil:
    """A reading as a JSON string: syllables joined as the system joins them; the
    chosen reading takes its spoken forms when sandhi is on."""
    cdef const CToken* token = &tokens[t]
    cdef Py_UCS4 separator = 0x20 if reading[0] & READING_PHRASE else table.separator
    cdef Py_ssize_t k
    cdef uint32_t sid
    cdef int form
    p[0] = 0x22
    p += 1
    for k in range(token_syllables(token)):
        sid = reading[2 + k]
        if k > 0 and separator and not hyphenated(table, sid):
            p = put_utf8(p, <uint32_t>separator)
        form = spoken_form(tokens, n_tokens, t, k, table) if chosen and options & OPT_SANDHI else 0
        p = put_syllable8(p, table, variant_index(sid, k == 0 and (reading[0] & READING_CAPITAL) != 0, form))
    p[0] = 0x22
    return p + 1


cdef void write_json(const CToken* tokens, Py_ssize_t n_tokens, const void* data, int kind,
                     const TableView* table, int options, TextBuffer* out) noexcept nogil:
    """The tokens as a JSON array of objects, the fields of Token.asdict(), in
    UTF-8 (out.kind OUT_UTF8); the token's text is named out.json_key."""
    cdef Py_ssize_t t, k, c, length, n_syllables, key_length = strlen(out.json_key)
    cdef const CToken* token
    cdef const uint32_t* reading
    cdef uint32_t r, n_readings
    cdef int form
    cdef bint first
    cdef uint8_t* p = reserve8(out, 1)
    if p == NULL:
        return
    p[0] = 0x5B
    out.length += 1
    for t in range(n_tokens):
        token = &tokens[t]
        prefetch_record(tokens, n_tokens, t + 8)
        length = token.end - token.start
        n_readings = record_readings(token.record) if token.record != NULL else 0
        n_syllables = token_syllables(token) if token.record != NULL else 0
        # room for the whole token: markup, the escaped text, every reading
        p = reserve8(out, 200 + key_length + 6 * length + 4 * n_readings
                     + (n_readings + 2) * n_syllables * (table.max_bytes8 + 4) + SYLLABLE_COPY)
        if p == NULL:
            return
        if t > 0:
            p[0] = 0x2C
            p += 1
        p = put_literal(p, b'{"')
        memcpy(p, out.json_key, key_length)
        p = put_literal(p + key_length, b'":"')
        for c in range(token.start, token.end):
            p = put_json_char(p, PyUnicode_READ(kind, data, c), False)
        if token.kind == KIND_OTHER:
            p = put_literal(p, b'","reading":null,"syllables":[],"alternatives":[],"kind":"other')
        elif token.kind == KIND_UNKNOWN:
            p = put_literal(p, b'","reading":null,"syllables":[],"alternatives":[],"kind":"unknown')
        else:
            reading = token_reading(token)
            p = put_literal(p, b'","reading":')
            p = put_json_reading(p, tokens, n_tokens, t, reading, True, table, options)
            p = put_literal(p, b',"syllables":[')
            for k in range(n_syllables):
                if k:
                    p[0] = 0x2C
                    p += 1
                p[0] = 0x22
                form = spoken_form(tokens, n_tokens, t, k, table) if options & OPT_SANDHI else 0
                p = put_syllable8(p + 1, table, variant_index(reading[2 + k],
                                                              k == 0 and (reading[0] & READING_CAPITAL) != 0, form))
                p[0] = 0x22
                p += 1
            p = put_literal(p, b'],"alternatives":[')
            first = True
            for r in range(n_readings):
                if r != <uint32_t>token.choice:
                    if not first:
                        p[0] = 0x2C
                        p += 1
                    p = put_json_reading(p, tokens, n_tokens, t, record_reading(token.record, r), False, table,
                                         options)
                    first = False
            if token.kind == KIND_WORD:
                p = put_literal(p, b'],"kind":"word')
            elif token.kind == KIND_NUMBER:
                p = put_literal(p, b'],"kind":"number')
            else:
                p = put_literal(p, b'],"kind":"char')
        p = put_literal(p, b'","start":')
        p = put_integer(p, token.start)
        p = put_literal(p, b',"end":')
        p = put_integer(p, token.end)
        p = put_literal(p, b',"choice":')
        p = put_integer(p, token.choice)
        if token.record != NULL and token_reading(token)[0] & READING_ESTIMATED:
            p = put_literal(p, b',"estimated":true')
        p[0] = 0x7D
        out.length = p + 1 - <uint8_t*>out.data
    p = reserve8(out, 1)
    if p == NULL:
        return
    p[0] = 0x5D
    out.length += 1


# ---------------------------------------------------------------- lines
# The command line's formats, for a block of lines segmented as one text
# (Core.format_lines): each line's output is written as a call for that line
# alone would write it, into one UTF-8 buffer, without the GIL.
#
# That is right because a line break is a hard boundary for the core (as for the
# text format's blocks): it is other text, which no lexicon word, number or
# unknown-character token holds; it ends a sentence for the register model, a
# phrase and a tone group.  So the block's tokens are the lines' tokens, but for
# the runs of other text, which the segmenter merges across line breaks: those
# are cut at each one.  Each line's tokens are copied with offsets into the line,
# and the writers read the line's own characters: they see what they would see
# for the line alone (tests/test_batch.py compares the two on hostile lines).

cdef Py_ssize_t line_tokens(const TokenBuffer* tokens, Py_ssize_t* next_token, const void* data, int kind,
                            Py_ssize_t start, Py_ssize_t n, TokenBuffer* line) noexcept nogil:
    """The tokens of the line starting at `start` into `line`, offsets made relative
    to `start`; returns where the line ends (at its newline, or n); -1 when out of
    memory.  `next_token` is the first token not used up, and is moved past the line's."""
    cdef Py_ssize_t t = next_token[0], c, first, until, capacity
    cdef const CToken* token
    cdef CToken* grown
    cdef bint newline
    line.length = 0
    while t < tokens.length:
        token = &tokens.items[t]
        first = start if token.start < start else token.start
        until = token.end
        newline = False
        if token.kind == KIND_OTHER:            # only other text holds a newline
            for c in range(first, token.end):
                if PyUnicode_READ(kind, data, c) == 0x0A:
                    until, newline = c, True
                    break
        if until > first:
            if line.length == line.capacity:
                capacity = line.capacity * 2 if line.capacity else 256
                grown = <CToken*>realloc(line.items, capacity * sizeof(CToken))
                if grown == NULL:
                    return -1
                line.items, line.capacity = grown, capacity
            line.items[line.length] = token[0]
            line.items[line.length].start = first - start
            line.items[line.length].end = until - start
            line.length += 1
        if newline:                             # the token goes on into the next line (or ends here)
            next_token[0] = t
            return until
        t += 1
    next_token[0] = t
    return n


cdef inline uint8_t* put_tsv_char(uint8_t* p, Py_UCS4 cp) noexcept nogil:
    """One character of a TSV field, at most 4 bytes: \\\\ \\t \\r \\n escaped (as
    the command line's tsv_field), a lone surrogate as U+FFFD (it has no UTF-8)."""
    if cp == 0x5C:
        return put_literal(p, b"\\\\")
    if cp == 0x09:
        return put_literal(p, b"\\t")
    if cp == 0x0D:
        return put_literal(p, b"\\r")
    if cp == 0x0A:
        return put_literal(p, b"\\n")
    return put_utf8(p, 0xFFFD if 0xD800 <= cp <= 0xDFFF else <uint32_t>cp)


cdef int put_field(TextBuffer* out, const void* data, int kind, Py_ssize_t start, Py_ssize_t end,
                   int escape) noexcept nogil:
    """Characters data[start:end] into the UTF-8 buffer `out`: as they are (a lone
    surrogate as U+FFFD), inside a JSON string (ESCAPE_JSON, as json.dumps writes
    them) or in a TSV field (ESCAPE_TSV).  As they are, a newline is LINES_BROKEN:
    no line's text or HTML has one (the newlines are between the lines), and the
    caller counts on one newline a line."""
    cdef uint8_t* p
    cdef Py_ssize_t c
    cdef Py_UCS4 cp
    if end <= start:
        return LINES_DONE                   # (an empty buffer has no address yet)
    p = reserve8(out, 6 * (end - start))
    if p == NULL:
        return LINES_NO_MEMORY
    for c in range(start, end):
        cp = PyUnicode_READ(kind, data, c)
        if escape == ESCAPE_JSON:
            p = put_json_char(p, cp, True)
        elif escape == ESCAPE_TSV:
            p = put_tsv_char(p, cp)
        elif cp == 0x0A:
            return LINES_BROKEN
        else:
            p = put_utf8(p, 0xFFFD if 0xD800 <= cp <= 0xDFFF else <uint32_t>cp)
    out.length = p - <uint8_t*>out.data
    return LINES_DONE


cdef int put_ascii(TextBuffer* out, const char* s) noexcept nogil:
    """Markup into the UTF-8 buffer `out`."""
    cdef Py_ssize_t n = strlen(s)
    cdef uint8_t* p = reserve8(out, n)
    if p == NULL:
        return LINES_NO_MEMORY
    memcpy(p, s, n)
    out.length += n
    return LINES_DONE


cdef int put_words(TextBuffer* out, const CToken* tokens, Py_ssize_t n_tokens, const void* data,
                    int kind) noexcept nogil:
    """The tsv format's third field: each token's text, but other text split at white
    space (str.split(): Py_UNICODE_ISSPACE), separated by one space, TSV-escaped."""
    cdef Py_ssize_t t, c
    cdef Py_UCS4 cp
    cdef bint in_word, any_word = False
    cdef uint8_t* p
    if n_tokens == 0:
        return LINES_DONE
    # at most 4 bytes a character and a space before each
    p = reserve8(out, 5 * (tokens[n_tokens - 1].end - tokens[0].start))
    if p == NULL:
        return LINES_NO_MEMORY
    for t in range(n_tokens):
        in_word = tokens[t].kind != KIND_OTHER      # a word token is one word, spaces or not
        if in_word and any_word:
            p[0] = 0x20
            p += 1
        any_word = any_word or in_word
        for c in range(tokens[t].start, tokens[t].end):
            cp = PyUnicode_READ(kind, data, c)
            if tokens[t].kind == KIND_OTHER:
                if Py_UNICODE_ISSPACE(cp):
                    in_word = False
                    continue
                if not in_word:
                    if any_word:
                        p[0] = 0x20
                        p += 1
                    in_word = any_word = True
            p = put_tsv_char(p, cp)
    out.length = p - <uint8_t*>out.data
    return LINES_DONE


cdef inline void line_reset(TextBuffer* line) noexcept nogil:
    line.length, line.max_char, line.last = 0, 0, 0


cdef int write_line(int format, const CToken* tokens, Py_ssize_t n_tokens, const void* data, int kind,
                    Py_ssize_t n, const TableView* table, int options, int reading_options,
                    TextBuffer* out, TextBuffer* line) noexcept nogil:
    """One line (data[:n], its tokens) in `format`, and a newline, into `out`
    (UTF-8); `line` is a UCS-4 scratch for the romanised text or the HTML.
    Returns LINES_DONE, or what went wrong."""
    cdef int status
    if format == LINES_TEXT or format == LINES_HTML:
        line_reset(line)
        if format == LINES_TEXT:
            write_romanized(tokens, n_tokens, data, kind, table, options, line)
        else:
            write_html(tokens, n_tokens, data, kind, table, options, line)
        status = LINES_NO_MEMORY if line.failed else put_field(out, line.data, 4, 0, line.length, ESCAPE_NONE)
        return status or put_ascii(out, b"\n")
    if format != LINES_JSON:                # jsonl and tsv: the line romanised
        line_reset(line)
        write_romanized(tokens, n_tokens, data, kind, table, reading_options, line)
        if line.failed:
            return LINES_NO_MEMORY
    # Each step returns LINES_DONE (0) or what went wrong: `or` stops at the first.
    if format == LINES_TSV:
        return (put_field(out, data, kind, 0, n, ESCAPE_TSV) or put_ascii(out, b"\t")
                or put_field(out, line.data, 4, 0, line.length, ESCAPE_TSV) or put_ascii(out, b"\t")
                or put_words(out, tokens, n_tokens, data, kind) or put_ascii(out, b"\n"))
    # json: {"text": …, "tokens": […]}; jsonl: {"text": …, "reading": …, "tokens": […]}
    status = put_ascii(out, b'{"text": "') or put_field(out, data, kind, 0, n, ESCAPE_JSON)
    if format == LINES_JSONL:
        status = (status or put_ascii(out, b'", "reading": "')
                  or put_field(out, line.data, 4, 0, line.length, ESCAPE_JSON))
    if status or put_ascii(out, b'", "tokens": '):
        return status or LINES_NO_MEMORY
    write_json(tokens, n_tokens, data, kind, table, options, out)
    return LINES_NO_MEMORY if out.failed else put_ascii(out, b"}\n")


cdef int write_lines(int format, const TokenBuffer* tokens, const void* data, int kind, Py_ssize_t n,
                     const TableView* table, int options, int reading_options, TextBuffer* out,
                     TextBuffer* line, TokenBuffer* line_buffer) noexcept nogil:
    """Every line of data[:n] (each ended by a newline; the last may lack it) in
    `format`, from the tokens of the whole text, each line's output and one
    newline; returns LINES_DONE, LINES_NO_MEMORY or LINES_BROKEN."""
    cdef Py_ssize_t start = 0, end, next_token = 0
    cdef int status
    while start < n:
        end = line_tokens(tokens, &next_token, data, kind, start, n, line_buffer)
        if end < 0:
            return LINES_NO_MEMORY
        status = write_line(format, line_buffer.items, line_buffer.length, <const char*>data + start * kind, kind,
                            end - start, table, options, reading_options, out, line)
        if status:
            return status
        start = end + 1
    return LINES_DONE
