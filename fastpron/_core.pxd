# C-level declarations of the fastpron core.  The layouts of Entry, Reading and
# Slot match the structs that fastpron/lexicon.py packs into the binary.

from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t, int32_t, int64_t

cdef enum:
    PREFIX_ONLY = 0xFFFF     # Entry.n_readings: the key only starts longer keys
    READING_CAPITAL = 1      # Reading.flags: proper noun
    READING_FINAL = 2        # Reading.flags: the reading at the end of a phrase

cdef enum TokenKind:
    KIND_OTHER = 0
    KIND_CHAR = 1
    KIND_WORD = 2
    KIND_UNKNOWN = 3

cdef packed struct Entry:
    uint32_t first_reading   # into LexView.readings
    uint16_t n_readings      # 0: removed by a user entry; PREFIX_ONLY: no readings
    uint16_t key_len

cdef packed struct Reading:
    uint32_t first_syllable  # into LexView.syllable_refs
    uint16_t n_syllables
    uint16_t flags
    int32_t weight

cdef packed struct Slot:
    uint32_t parent          # entry of the key less its last character; NO_PARENT for one character
    uint32_t code_point      # the key's last character
    uint32_t entry           # entry index + 1 (0: empty slot) | SLOT_* flags
    int32_t cost             # what one token of this key costs the segmenter

cdef struct RootCell:        # the slot of a one-character key, by code point (the BMP only)
    uint32_t entry
    int32_t cost

cdef struct LexView:
    const Entry* entries
    const Reading* readings
    const uint32_t* syllable_refs
    const Slot* slots
    RootCell* root           # 65,536 cells, built on load
    uint64_t mask            # n_slots - 1
    uint32_t n_entries
    uint32_t max_key_len

cdef struct CToken:
    Py_ssize_t start
    Py_ssize_t end
    const Entry* entry       # NULL for KIND_OTHER and KIND_UNKNOWN
    const LexView* lex       # the lexicon that holds entry
    int kind
    int choice               # which of the entry's readings: 0 is the best

cdef struct TokenBuffer:
    CToken* items
    Py_ssize_t length
    Py_ssize_t capacity

cdef struct TextBuffer:
    Py_UCS4* data
    Py_ssize_t length
    Py_ssize_t capacity
    bint failed              # an allocation failed

cdef class CompiledLexicon:
    cdef char* buffer
    cdef LexView view
    cdef readonly list syllables
    cdef readonly str origin
    cdef _validate(self, header)

cdef struct TableView:
    Py_UCS4* pool
    Py_ssize_t* offsets      # string k is pool[offsets[k]:offsets[k + 1]]
    Py_ssize_t n_strings
    Py_UCS4 separator        # between the syllables of a word; 0 for none

cdef class RenderTable:
    cdef TableView view
    cdef readonly list strings
    cdef readonly str syllable_separator

cdef class Core:
    cdef CompiledLexicon base
    cdef CompiledLexicon overlay
    cdef int32_t unknown_cost
    cdef int32_t other_cost
    cdef int _segment(self, str text, CompiledLexicon base, CompiledLexicon overlay,
                      TokenBuffer* tokens, dict picks) except -1
    cdef _check_table(self, RenderTable table, CompiledLexicon overlay)
