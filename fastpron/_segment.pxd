# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
# The segmentation stage of the fastpron core: tokens, the number reader, and the
# best-path segmenter over a base lexicon and an optional overlay.

from libc.stdint cimport uint32_t, int32_t
from fastpron._lookup cimport LexView, record_reading, record_key_length

cdef enum TokenKind:
    KIND_OTHER = 0
    KIND_CHAR = 1
    KIND_WORD = 2
    KIND_UNKNOWN = 3
    KIND_NUMBER = 4          # a number (fastpron/numbers.py): its syllables in the TokenBuffer's pool

cdef enum:
    N_NUMBER_SYLLABLES = 27          # len(numbers.SYLLABLES)
    NUMBER_COST = -(1 << 24)         # numbers.NUMBER_COST
    MONTH_COST = 599                 # numbers.MONTH_COST

cdef struct CToken:
    Py_ssize_t start
    Py_ssize_t end
    const uint32_t* record   # NULL for KIND_OTHER and KIND_UNKNOWN
    uint32_t slot_flags      # the key's SLOT_* flags
    int kind
    int choice               # which of the key's readings: 0 is the best

cdef struct TokenBuffer:
    CToken* items
    Py_ssize_t length
    Py_ssize_t capacity
    uint32_t* pool           # the records of number tokens (one reading each), made per call
    Py_ssize_t pool_length
    Py_ssize_t pool_capacity

# The core releases the GIL for a text of at least this many code points (the
# writers: for tokens that reach that far).  A shorter text's work takes a few
# microseconds, about what handing the GIL to a waiting thread and taking it back
# costs: threads calling for short lines one after the other (the command line's
# formats other than text) would hand it over at every release and ran slower
# together than one thread alone.
cdef enum:
    RELEASE_GIL_FROM = 1024


cdef inline bint worth_releasing(const TokenBuffer* tokens) noexcept nogil:
    return tokens.length > 0 and tokens.items[tokens.length - 1].end >= RELEASE_GIL_FROM


cdef bint segment(const LexView* base, const LexView* overlay, const void* data, int kind,
                  Py_ssize_t n, int32_t unknown_cost, int32_t other_cost,
                  TokenBuffer* tokens, const uint32_t* number_sids) noexcept nogil


# ---------------------------------------------------------------- tokens

cdef inline const uint32_t* token_reading(const CToken* token) noexcept nogil:
    return record_reading(token.record, token.choice)


cdef inline Py_ssize_t token_syllables(const CToken* token) noexcept nogil:
    """One a character, but a number's: its record says."""
    if token.kind == KIND_NUMBER:
        return record_key_length(token.record)
    return token.end - token.start


cdef inline bint has_reading(int kind) noexcept nogil:
    return kind == KIND_CHAR or kind == KIND_WORD or kind == KIND_NUMBER


cdef inline uint32_t syllable_id(const CToken* token, Py_ssize_t k) noexcept nogil:
    return token_reading(token)[2 + k]
