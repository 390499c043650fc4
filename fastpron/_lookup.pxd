# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
# The look-up stage of the fastpron core: the records and hash slots of a compiled
# lexicon (the binary that fastpron/lexicon.py packs; see it for the record layout),
# the character look-up, and CompiledLexicon, which holds a loaded one.  The other
# stages cimport the declarations below; the hot look-ups are inline, so each module
# that uses them compiles its own copy.

from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t, int32_t, int64_t

cdef extern from "Python.h":
    ctypedef uint8_t Py_UCS1
    ctypedef uint16_t Py_UCS2
    int PyUnicode_KIND(object)
    void* PyUnicode_DATA(object)
    Py_UCS4 PyUnicode_READ(int kind, const void* data, Py_ssize_t index) nogil
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    Py_ssize_t PyUnicode_GET_LENGTH(object)
    object PyUnicode_DecodeUTF8(const char* data, Py_ssize_t size, const char* errors)

cdef extern from *:
    """
    #ifndef FP_LOOKUP_DEFINES
    #define FP_LOOKUP_DEFINES
    #define FP_MIX1 0xFF51AFD7ED558CCDULL
    #define FP_MIX2 0xC4CEB9FE1A85EC53ULL
    #define FP_PREFETCH(address) __builtin_prefetch(address)
    #define FP_SLOT_EXTENDS 0x80000000u
    #define FP_NO_PARENT 0xFFFFFFFFu
    #define FP_LOAD_ACQUIRE(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
    #define FP_STORE_RELEASE(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
    #endif
    """
    const uint64_t MIX1 "FP_MIX1"
    const uint64_t MIX2 "FP_MIX2"
    void prefetch "FP_PREFETCH"(const void* address) nogil
    # Slot.entry: record offset + 1 in the low bits, flags in the high ones (lexicon.py: SLOT_*).
    const uint32_t SLOT_EXTENDS "FP_SLOT_EXTENDS"
    const uint32_t NO_PARENT "FP_NO_PARENT"
    # A flag that one thread sets, under the GIL, after filling tables that others read without it.
    int load_acquire "FP_LOAD_ACQUIRE"(const int* flag) nogil
    void store_release "FP_STORE_RELEASE"(int* flag, int value) nogil

cdef enum:
    BMP_SIZE = 0x10000
    SLOT_INDEX = (1 << 27) - 1
    SLOT_NEWS = 1 << 27
    SLOT_FINAL = 1 << 28
    SLOT_HAS_READINGS = 1 << 29
    SLOT_REMOVED = 1 << 30
    PAIR_WEIGHT_BITS = 22    # a register pair cell: key << 22 | weight + PAIR_WEIGHT_BIAS
    PAIR_WEIGHT_BIAS = 0x200000
    PREFIX_ONLY = 0xFFFF     # record header: the key only starts longer keys
    READING_CAPITAL = 1      # reading flags: proper noun
    READING_FINAL = 2        # reading flags: the reading at the end of a phrase
    READING_PHRASE = 4       # reading flags: several words kept together, written apart
    READING_ESTIMATED = 8    # reading flags: estimated from the 廣韻, not a dictionary's
    READING_NEWS = 16        # reading flags: the one a sentence that reads as news takes

cdef packed struct Slot:
    uint32_t parent          # record of the key less its last character; NO_PARENT for one character
    uint32_t code_point      # the key's last character
    uint32_t entry           # record offset + 1 (0: empty slot) | SLOT_* flags
    int32_t cost             # what one token of this key costs the segmenter

cdef struct RootCell:        # the slot of a one-character key, by code point (the BMP only)
    uint32_t entry
    int32_t cost

cdef struct LexView:
    const uint32_t* records  # per key: header word, then per reading: flags, weight, syllable ids
    const Slot* slots
    RootCell* root           # 65,536 cells, built on load
    uint64_t* filter         # one bit per (parent, code point) hash: 0 means no such slot
    uint64_t filter_mask     # bits in the filter - 1
    uint64_t mask            # n_slots - 1
    uint32_t n_entries
    uint32_t max_key_len
    uint32_t* canon          # BMP code point -> its standard form (variants), built on load
    uint8_t* has_variant     # bitmap over the BMP: does canon change this code point?
    const uint32_t* astral_variants  # sorted (variant, standard) pairs above the BMP
    Py_ssize_t n_astral_variants
    const uint64_t* register_keys    # the register model (lexicon.RegisterModel.keys), sorted
    const int32_t* register_weights
    Py_ssize_t n_register            # 0: no register model
    int register_built               # the three tables below are built (CompiledLexicon.build_register)
    int32_t* register_chars          # BMP code point -> its weight, built on first use
    uint64_t* register_pairs         # pair key and weight by hash (see _model.pyx: pair_weight), likewise
    uint64_t register_mask
    uint64_t* register_filter        # one bit per pair_bit: 0 means the model has no such pair (most of speech's)
    uint64_t register_filter_mask
    int32_t register_threshold
    int32_t register_unseen_pair
    int32_t register_unknown

cdef class CompiledLexicon:
    cdef Py_buffer source            # the caller's bytes or mapped file, held for the lexicon's life
    cdef bint holds_source
    cdef char* owned                 # a copy of it, when it was writable or misaligned; else NULL
    cdef const char* buffer          # the compiled lexicon: the source's memory or the copy
    cdef LexView view
    cdef readonly list syllables
    cdef readonly str origin
    cdef uint32_t n_record_words
    cdef Py_ssize_t variants_at      # the variant pairs, read by the variants property
    cdef Py_ssize_t n_variants
    cdef dict _variants              # the variants property's dict, built when first read
    cdef _load_variants(self, const uint32_t* pairs, Py_ssize_t n_pairs)
    cdef _load_register(self, Py_ssize_t at, Py_ssize_t n_keys)
    cdef int build_register(self) except -1
    cdef _validate(self, header)
    cdef const uint32_t* record_of(self, str key)


# ---------------------------------------------------------------- records

cdef inline uint32_t record_readings(const uint32_t* record) noexcept nogil:
    return record[0] & 0xFFFF


cdef inline uint32_t record_key_length(const uint32_t* record) noexcept nogil:
    return record[0] >> 16


cdef inline const uint32_t* record_reading(const uint32_t* record, int choice) noexcept nogil:
    """Reading `choice` of a record: [flags, weight, syllable id per character]."""
    return record + 1 + choice * (2 + record_key_length(record))


# ---------------------------------------------------------------- look-up

cdef inline uint64_t slot_hash(uint32_t parent, uint32_t code_point) noexcept nogil:
    """Must match lexicon.slot_hash."""
    cdef uint64_t h = (<uint64_t>parent << 32) | code_point
    h ^= h >> 33
    h *= MIX1
    h ^= h >> 33
    h *= MIX2
    h ^= h >> 33
    return h


cdef inline uint64_t pair_cell(const LexView* lex, Py_UCS4 first, Py_UCS4 second) noexcept nogil:
    """Where a register pair's search starts in its table (a multiplicative hash: cheap, and
    the table's own; nothing outside the core computes it)."""
    return ((((<uint64_t>first << 21) | <uint64_t>second) * <uint64_t>0x9E3779B97F4A7C15) >> 32) & lex.register_mask


cdef inline uint64_t filter_bit(const LexView* lex, Py_UCS4 first, Py_UCS4 second) noexcept nogil:
    """A register pair's bit in the filter (another multiplier than pair_cell's)."""
    return ((((<uint64_t>first << 21) | <uint64_t>second) * <uint64_t>0xC2B2AE3D27D4EB4F) >> 40) \
        & lex.register_filter_mask


cdef inline bint pair_may_exist(const LexView* lex, Py_UCS4 first, Py_UCS4 second) noexcept nogil:
    """False when the register model surely lacks the pair: its filter (64 KB, in cache) is
    read instead of the table (1 MB, mostly not)."""
    cdef uint64_t bit = filter_bit(lex, first, second)
    return (lex.register_filter[bit >> 6] >> (bit & 63)) & 1


cdef inline bint register_ready(const LexView* lex) noexcept nogil:
    """Are the register model's tables built?  (Read without the GIL; see build_register.)"""
    return load_acquire(&lex.register_built)


cdef inline bint is_han(Py_UCS4 cp) noexcept nogil:
    return ((0x4E00 <= cp <= 0x9FFF) or (0x3400 <= cp <= 0x4DBF) or (0xF900 <= cp <= 0xFAFF)
            or (0x20000 <= cp <= 0x323AF) or cp == 0x3007)


cdef inline Py_UCS4 standard_char(const LexView* lex, Py_UCS4 cp) noexcept nogil:
    """The character the lexicon keys use for cp (臺 -> 台): look-ups go by it."""
    cdef Py_ssize_t low = 0, high = lex.n_astral_variants, middle
    cdef uint32_t c = <uint32_t>cp
    if c < BMP_SIZE:
        # The 8 KB bitmap stays in cache; the 256 KB map is read for variants only.
        return lex.canon[c] if (lex.has_variant[c >> 3] >> (c & 7)) & 1 else cp
    while low < high:
        middle = (low + high) // 2
        if lex.astral_variants[2 * middle] < <uint32_t>cp:
            low = middle + 1
        else:
            high = middle
    if low < lex.n_astral_variants and lex.astral_variants[2 * low] == <uint32_t>cp:
        return lex.astral_variants[2 * low + 1]
    return cp


cdef inline Py_UCS4 key_char(const LexView* lex, const void* data, int kind, Py_ssize_t index) noexcept nogil:
    return standard_char(lex, PyUnicode_READ(kind, data, index))


cdef inline bint filter_has(const LexView* lex, uint64_t h) noexcept nogil:
    """False when no slot has this hash: most pairs across word boundaries.
    Uses the high half of the hash; the slot index uses the low bits."""
    cdef uint64_t bit = (h >> 32) & lex.filter_mask
    return (lex.filter[bit >> 6] >> (bit & 63)) & 1


cdef inline bint find(const LexView* lex, uint32_t parent, Py_UCS4 cp,
                      uint32_t* entry, int32_t* cost) noexcept nogil:
    """The key `parent` + cp: its Slot.entry and cost.  False if there is none."""
    cdef uint32_t code_point = <uint32_t>cp
    cdef const Slot* slot
    cdef uint64_t at, h
    if parent == NO_PARENT and code_point < BMP_SIZE:
        entry[0] = lex.root[code_point].entry
        cost[0] = lex.root[code_point].cost
        return entry[0] != 0
    h = slot_hash(parent, code_point)
    if not filter_has(lex, h):
        return False
    at = h & lex.mask
    while True:
        slot = &lex.slots[at]
        if slot.entry == 0:
            return False
        if slot.parent == parent and slot.code_point == code_point:
            entry[0] = slot.entry
            cost[0] = slot.cost
            return True
        at = (at + 1) & lex.mask


cdef inline void prefetch_second(const LexView* lex, Py_UCS4 first, Py_UCS4 second) noexcept nogil:
    """Start loading the slot of the two-character key first+second: the
    segmenter will want it one position later, and it is rarely in cache."""
    cdef uint32_t entry
    cdef uint64_t h
    if <uint32_t>first < BMP_SIZE:
        entry = lex.root[<uint32_t>first].entry
        if entry & SLOT_EXTENDS:
            h = slot_hash((entry & SLOT_INDEX) - 1, <uint32_t>second)
            prefetch(&lex.filter[((h >> 32) & lex.filter_mask) >> 6])
            prefetch(&lex.slots[h & lex.mask])
