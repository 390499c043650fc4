# C-level declarations of the fastpron core.  Slot matches the struct that
# fastpron/lexicon.py packs into the binary; see lexicon.py for the record layout.

from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t, int32_t, int64_t

cdef enum:
    PAIR_WEIGHT_BITS = 22    # a register pair cell: key << 22 | weight + PAIR_WEIGHT_BIAS
    PAIR_WEIGHT_BIAS = 0x200000
    PREFIX_ONLY = 0xFFFF     # record header: the key only starts longer keys
    READING_CAPITAL = 1      # reading flags: proper noun
    READING_FINAL = 2        # reading flags: the reading at the end of a phrase
    READING_PHRASE = 4       # reading flags: several words kept together, written apart
    READING_ESTIMATED = 8    # reading flags: estimated from the 廣韻, not a dictionary's
    READING_NEWS = 16        # reading flags: the one a sentence that reads as news takes

cdef enum TokenKind:
    KIND_OTHER = 0
    KIND_CHAR = 1
    KIND_WORD = 2
    KIND_UNKNOWN = 3
    KIND_NUMBER = 4          # a number (fastpron/numbers.py): its syllables in the TokenBuffer's pool

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
    int32_t* register_chars          # BMP code point -> its weight, built on load
    uint64_t* register_pairs         # pair key and weight by hash (see pair_weight), built on load
    uint64_t register_mask
    int32_t register_threshold
    int32_t register_unseen_pair
    int32_t register_unknown

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

cdef class CompiledLexicon:
    cdef char* buffer
    cdef LexView view
    cdef readonly list syllables
    cdef readonly str origin
    cdef uint32_t n_record_words
    cdef dict _variants
    cdef _load_variants(self, const uint32_t* pairs, Py_ssize_t n_pairs)
    cdef _load_register(self, Py_ssize_t at, Py_ssize_t n_keys)
    cdef _validate(self, header)
    cdef const uint32_t* record_of(self, str key)

cdef class RenderTable:
    cdef TableView view
    cdef _encode(self)
    cdef readonly list strings
    cdef readonly str syllable_separator

cdef class Core:
    cdef CompiledLexicon base
    cdef CompiledLexicon overlay
    cdef Py_UCS4* scratch            # an output buffer kept between calls (taken under the GIL)
    cdef Py_ssize_t scratch_capacity
    cdef int32_t unknown_cost
    cdef int32_t other_cost
    cdef uint32_t number_sids[27]    # numbers.SYLLABLES -> the base lexicon's syllable ids
    cdef bint numbers                # read numbers (the base lexicon has every one of those syllables)
    cdef int _segment(self, str text, CompiledLexicon base, CompiledLexicon overlay,
                      TokenBuffer* tokens, dict picks) except -1
    cdef _check_table(self, RenderTable table, CompiledLexicon overlay)
    cdef _write(self, Writer writer, str text, RenderTable table, int options, dict picks,
                CompiledLexicon overlay, int mode, const char* json_key=*, bytes prefix=*, bytes suffix=*)
