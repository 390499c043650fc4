# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
# The Python-facing class of the fastpron core.  The declarations of its stages are in
# _lookup.pxd (records, look-up, CompiledLexicon), _segment.pxd (tokens, segmentation),
# _model.pxd (reading choice) and _render.pxd (RenderTable, writers).

from libc.stdint cimport uint32_t, int32_t
# C-level names of the two classes: _core.pyx re-exports their Python names.
from fastpron._lookup cimport CompiledLexicon as Lexicon
from fastpron._segment cimport TokenBuffer, N_NUMBER_SYLLABLES
from fastpron._render cimport RenderTable as Table, Writer

cdef class Core:
    cdef Lexicon base
    cdef Lexicon overlay
    cdef Py_UCS4* scratch            # an output buffer kept between calls (taken under the GIL)
    cdef Py_ssize_t scratch_capacity
    cdef int32_t unknown_cost
    cdef int32_t other_cost
    cdef uint32_t number_sids[N_NUMBER_SYLLABLES]    # numbers.SYLLABLES -> the base lexicon's syllable ids
    cdef bint numbers                # read numbers (the base lexicon has every one of those syllables)
    cdef int _segment(self, str text, Lexicon base, Lexicon overlay,
                      TokenBuffer* tokens, dict picks) except -1
    cdef _check_table(self, Table table, Lexicon overlay)
    cdef _write(self, Writer writer, str text, Table table, int options, dict picks,
                Lexicon overlay, int mode, const char* json_key=*, bytes prefix=*, bytes suffix=*)
