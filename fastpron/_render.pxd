# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
# The rendering stage of the fastpron core: RenderTable (the rendered text of every
# syllable), the text buffers the writers fill, and the writers: romanized text,
# ruby HTML and JSON, each one pass over the tokens without the GIL.

from libc.stdint cimport uint8_t, uint32_t
from fastpron._segment cimport CToken, TokenBuffer, token_syllables, has_reading, syllable_id

cdef enum:
    VARIANTS = 6            # strings per syllable in a RenderTable (options.variant_index)
    FORM_SPOKEN = 1         # the sandhi form
    FORM_BEFORE_A = 2       # the sandhi form before the suffix 仔 á
    FLAG_NEUTRAL = 1        # RenderTable syllable flags (options.py)
    FLAG_SUFFIX_A = 2
    FLAG_HYPHENATED = 4     # set here: the citation form starts with '-' ("--ah")
    OUT_UTF8 = 8            # TextBuffer.kind: UTF-8 bytes in a growable scratch (to_json)
    SYLLABLE_COPY = 16      # bytes copied per syllable in UTF-8, whatever its length (the pool is padded)
    SYLLABLE_COPY4 = 8      # code points copied per syllable into a UCS-4 scratch, likewise
    OPT_CAPITALIZE = 1      # romanize: a capital at the start of each sentence
    OPT_LATIN_PUNCT = 2     # romanize: CJK punctuation to Latin
    OPT_SANDHI = 4          # spoken tones for all but the last syllable of a tone group
    LINES_TEXT = 0          # write_lines formats: the command line's, in Core.LINE_FORMATS order
    LINES_HTML = 1
    LINES_JSON = 2
    LINES_JSONL = 3
    LINES_TSV = 4
    ESCAPE_NONE = 0         # put_field: characters as they are
    ESCAPE_JSON = 1         # inside a JSON string, as json.dumps(s, ensure_ascii=False) writes them
    ESCAPE_TSV = 2          # in a TSV field: \\ \t \r \n
    LINES_DONE = 0          # write_lines: done; out of memory; a line's text or HTML held a newline;
    LINES_NO_MEMORY = 1     # (Core.format_lines) its bytes are not UTF-8
    LINES_BROKEN = 2
    LINES_NOT_UTF8 = 3

cdef struct TextBuffer:
    void* data               # where characters go: a growable UCS-4 or UTF-8 scratch, or the final str
    int kind                 # 4, 2 or 1: code unit size of data; 0: only measure; OUT_UTF8: UTF-8 bytes (to_json)
    bint growable            # data is the scratch, grown on demand
    Py_ssize_t length
    Py_ssize_t capacity
    Py_UCS4 max_char         # the largest character put: it decides the str's kind
    Py_UCS4 last             # the last character put
    bint failed              # an allocation failed
    const char* json_key     # write_json: the name of a token's text field

cdef struct TableView:
    Py_UCS4* pool
    Py_ssize_t* offsets      # string k is pool[offsets[k]:offsets[k + 1]]
    Py_ssize_t n_strings
    Py_UCS4 separator        # between the syllables of a word; 0 for none
    Py_UCS4 max_char         # the largest code point in the pool
    Py_UCS4* max_chars       # the largest code point of each string
    uint8_t* syllable_flags  # per syllable: FLAG_NEUTRAL, FLAG_SUFFIX_A (options.py)
    uint8_t* pool8           # the strings in UTF-8, for to_json: built on its first call, else NULL
    Py_ssize_t* offsets8     # string k is pool8[offsets8[k]:offsets8[k + 1]]
    Py_ssize_t max_bytes8    # the longest string in UTF-8

ctypedef void (*Writer)(const CToken* tokens, Py_ssize_t n_tokens, const void* data, int kind,
                        const TableView* table, int options, TextBuffer* out) noexcept nogil

cdef class RenderTable:
    cdef TableView view
    cdef _encode(self)
    cdef readonly list strings
    cdef readonly str syllable_separator

# The writers (a Writer each), and the three ways Core runs one into a str or bytes.
cdef void write_romanized(const CToken* tokens, Py_ssize_t n_tokens, const void* data, int kind,
                          const TableView* table, int options, TextBuffer* out) noexcept nogil
cdef void write_html(const CToken* tokens, Py_ssize_t n_tokens, const void* data, int kind,
                     const TableView* table, int options, TextBuffer* out) noexcept nogil
cdef void write_json(const CToken* tokens, Py_ssize_t n_tokens, const void* data, int kind,
                     const TableView* table, int options, TextBuffer* out) noexcept nogil
cdef object write_once(Writer writer, const TokenBuffer* tokens, const void* data, int kind,
                       const TableView* table, int options, TextBuffer* scratch)
cdef object write_utf8(Writer writer, const TokenBuffer* tokens, const void* data, int kind,
                       const TableView* table, int options, TextBuffer* scratch, bytes prefix, bytes suffix)
cdef object write_twice(Writer writer, const TokenBuffer* tokens, const void* data, int kind,
                        const TableView* table, int options)
# The command line's formats, every line of a block from its one segmentation (Core.format_lines).
cdef int write_lines(int format, const TokenBuffer* tokens, const void* data, int kind, Py_ssize_t n,
                     const TableView* table, int options, int reading_options, TextBuffer* out,
                     TextBuffer* line, TokenBuffer* line_buffer) noexcept nogil


# ---------------------------------------------------------------- syllables

cdef inline bint hyphenated(const TableView* table, uint32_t sid) noexcept nogil:
    """Does the syllable render with a leading '-' ("--ah"), so no separator goes before it?"""
    return table.syllable_flags[sid] & FLAG_HYPHENATED


cdef inline int spoken_form(const CToken* tokens, Py_ssize_t n_tokens, Py_ssize_t t,
                            Py_ssize_t k, const TableView* table) noexcept nogil:
    """Which form syllable k of token t takes with sandhi on: 0 (citation) when
    it ends its tone group, FORM_BEFORE_A before the suffix á, else FORM_SPOKEN.
    A group ends before any non-reading token and before a neutral tone."""
    cdef const CToken* token = &tokens[t]
    cdef uint32_t following
    if k + 1 < token_syllables(token):
        following = syllable_id(token, k + 1)
    elif t + 1 < n_tokens and has_reading(tokens[t + 1].kind):
        following = syllable_id(&tokens[t + 1], 0)
    else:
        return 0
    if table.syllable_flags[following] & FLAG_NEUTRAL:
        return 0
    return FORM_BEFORE_A if table.syllable_flags[following] & FLAG_SUFFIX_A else FORM_SPOKEN


cdef inline Py_ssize_t variant_index(uint32_t sid, bint capital, int form) noexcept nogil:
    return sid * VARIANTS + 2 * form + (1 if capital else 0)
