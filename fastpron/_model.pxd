# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
# The model stage of the fastpron core: which of a token's readings it takes, after
# segmentation: the register model's (a sentence that reads as news takes its news
# readings), then the phrase-final ones.

from fastpron._lookup cimport LexView
from fastpron._segment cimport TokenBuffer

# False (and nothing changed) when the register model's tables are needed but not built yet.
cdef bint choose_register_readings(TokenBuffer* tokens, const LexView* lex, const void* data,
                                   int kind) noexcept nogil
cdef void choose_final_readings(TokenBuffer* tokens) noexcept nogil
