# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The look-up stage of the native core: CompiledLexicon, a compiled lexicon
(fastpron/lexicon.py describes the binary, fastpron/binary.py finds and checks
the file) checked and used in place.

The records, hash slots and inline look-ups it builds on are in _lookup.pxd.
"""

from libc.stdint cimport uint8_t, uint32_t, uint64_t, int32_t
from libc.stdlib cimport malloc, calloc, free
from libc.string cimport memcpy
from cpython.buffer cimport PyObject_GetBuffer, PyBuffer_Release, PyBUF_SIMPLE

from fastpron import binary as _binary


# ---------------------------------------------------------------- the lexicon

cdef class CompiledLexicon:
    """A compiled lexicon (see fastpron/lexicon.py), checked, and read where it lies: in the
    caller's bytes or the mapped file.  Only the look-up aids (root cells, filters, the
    variant map) are built in C memory at load, and the register model's tables on the
    first text that needs them (build_register)."""

    def __cinit__(self, data not None, str origin="lexicon", bint verify_crc=True):
        """`data`: the compiled lexicon, bytes or any read-only buffer (binary.load_binary
        maps the file); it is used in place and held for the lexicon's life.  `verify_crc`
        False skips the CRC of the body, for a caller that has just checked it on the same
        buffer (load_binary); the offsets are checked here all the same."""
        self.owned = NULL
        self.holds_source = False
        self.view.root = NULL
        self.view.filter = NULL
        self.view.canon = NULL
        self.view.has_variant = NULL
        self.view.astral_variants = NULL
        self.view.n_astral_variants = 0
        self.view.n_register = 0
        self.view.register_built = 0
        self.view.register_chars = NULL
        self.view.register_pairs = NULL
        self.view.register_filter = NULL
        self.view.n_entries = 0
        self.origin = origin
        header = _binary.read_header(data, origin, verify_crc)
        self.syllables = _binary.syllable_strings(data, header)
        self.n_variants = header.n_variants
        PyObject_GetBuffer(data, &self.source, PyBUF_SIMPLE)
        self.holds_source = True
        cdef Py_ssize_t size = self.source.len
        if self.source.readonly and (<size_t>self.source.buf) % 8 == 0:
            # Read in place: a mapped file's pages come from the page cache and a bytes
            # object cannot change, so copying 7 MB (and faulting in the copy) buys nothing.
            self.buffer = <const char*>self.source.buf
        else:
            # A writable buffer could change under the checks below; a misaligned one
            # would misalign the 32- and 64-bit sections.
            self.owned = <char*>malloc(size if size else 1)
            if self.owned == NULL:
                raise MemoryError()
            memcpy(self.owned, self.source.buf, size)
            self.buffer = self.owned

        # Section offsets, in the order lexicon.compile_entries writes them.
        cdef Py_ssize_t records_at, slots_at, register_at, variants_at
        cdef Py_ssize_t pos = _binary.HEADER_SIZE
        pos = _aligned(pos + 4 * (header.n_syllables + 1) + _binary.syllable_blob_size(data, header))
        records_at = pos
        pos = _aligned(pos + header.n_record_words * 4)
        slots_at = pos
        pos = _aligned(pos + header.n_slots * _binary.SLOT_SIZE)
        register_at = pos
        if header.n_register:
            pos = _aligned(pos + 16 + 12 * header.n_register)
        variants_at = pos
        pos = pos + header.n_variants * 8
        if (pos > size or header.n_slots & (header.n_slots - 1) or header.n_slots <= header.n_entries
                or header.n_record_words >= SLOT_INDEX):
            raise _binary.LexiconError(f"{origin}: section sizes do not add up; rebuild it "
                                        f"with `python -m fastpron.compile`")
        self.view.records = <const uint32_t*>(self.buffer + records_at)
        self.view.slots = <const Slot*>(self.buffer + slots_at)
        self.view.mask = header.n_slots - 1
        self.view.n_entries = header.n_entries
        self.view.max_key_len = header.max_key_len
        self.n_record_words = header.n_record_words
        self.variants_at = variants_at
        # One-character keys of the BMP are found by code point, without hashing;
        # the filter has 8 bits a slot, so it stays in cache and is rarely wrong.
        # _validate fills both as it checks the slots.
        self.view.root = <RootCell*>calloc(BMP_SIZE, sizeof(RootCell))
        self.view.filter_mask = (self.view.mask + 1) * 8 - 1
        self.view.filter = <uint64_t*>calloc((self.view.filter_mask + 1) // 64 + 1, sizeof(uint64_t))
        if self.view.root == NULL or self.view.filter == NULL:
            raise MemoryError()
        self._validate(header)
        self._load_register(register_at, header.n_register)
        self._load_variants(<const uint32_t*>(self.buffer + variants_at), header.n_variants)

    cdef _load_register(self, Py_ssize_t at, Py_ssize_t n_keys):
        """The register model: its three constants, then sorted keys and their weights.

        They are checked here; the tables the model is read through are built by
        build_register, on the first text that needs the model (most texts never do,
        a start-up's first sentence seldom does, and they take a millisecond or two)."""
        cdef const int32_t* parameters = <const int32_t*>(self.buffer + at)
        cdef const uint64_t* keys = <const uint64_t*>(self.buffer + at + 16)
        cdef const int32_t* weights = <const int32_t*>(self.buffer + at + 16 + 8 * n_keys)
        cdef Py_ssize_t k
        if n_keys == 0:
            return
        for k in range(n_keys):
            if k and keys[k] <= keys[k - 1]:
                raise _binary.LexiconError(f"{self.origin}: register key {k} is out of order; "
                                            f"rebuild it with `python -m fastpron.compile`")
            if keys[k] >> 21 and (keys[k] >> (64 - PAIR_WEIGHT_BITS)
                                  or not -PAIR_WEIGHT_BIAS <= weights[k] < PAIR_WEIGHT_BIAS):
                raise _binary.LexiconError(f"{self.origin}: register pair {k} is out of range; "
                                            f"rebuild it with `python -m fastpron.compile`")
        self.view.register_threshold = parameters[0]
        self.view.register_unseen_pair = parameters[1]
        self.view.register_unknown = parameters[2]
        self.view.register_keys = keys
        self.view.register_weights = weights
        self.view.n_register = n_keys

    cdef int build_register(self) except -1:
        """The register model's tables, from the keys _load_register checked: once, under the GIL
        (Core calls it when choose_register_readings finds them missing).  Readers without the GIL
        see register_ready only after every table is filled."""
        cdef Py_ssize_t k, n_keys = self.view.n_register
        cdef const uint64_t* keys = self.view.register_keys
        if n_keys == 0 or register_ready(&self.view):
            return 0
        # One memory access a character: BMP characters by code point, pairs in a hash
        # table (at most half full) whose cells hold key and weight together.
        cdef uint64_t size = 2, h
        cdef uint32_t first, second
        cdef int32_t weight
        while size < 2 * <uint64_t>n_keys + 2:
            size *= 2
        self.view.register_chars = <int32_t*>malloc(BMP_SIZE * sizeof(int32_t))
        self.view.register_pairs = <uint64_t*>calloc(size, sizeof(uint64_t))
        self.view.register_filter = <uint64_t*>calloc(size * 4 // 64, sizeof(uint64_t))     # 4 bits a cell
        if self.view.register_chars == NULL or self.view.register_pairs == NULL or self.view.register_filter == NULL:
            free(self.view.register_chars)
            free(self.view.register_pairs)
            free(self.view.register_filter)
            self.view.register_chars, self.view.register_pairs, self.view.register_filter = NULL, NULL, NULL
            raise MemoryError()
        self.view.register_mask = size - 1
        self.view.register_filter_mask = size * 4 - 1
        for k in range(BMP_SIZE):
            self.view.register_chars[k] = self.view.register_unknown
        for k in range(n_keys):
            weight = self.view.register_weights[k]
            if keys[k] < BMP_SIZE:
                self.view.register_chars[keys[k]] = weight
            elif keys[k] >> 21:
                first, second = <uint32_t>((keys[k] >> 21) - 1), <uint32_t>(keys[k] & 0x1FFFFF)
                h = pair_cell(&self.view, first, second)
                while self.view.register_pairs[h]:
                    h = (h + 1) & self.view.register_mask
                self.view.register_pairs[h] = (keys[k] << PAIR_WEIGHT_BITS) | <uint64_t>(weight + PAIR_WEIGHT_BIAS)
                h = filter_bit(&self.view, first, second)
                self.view.register_filter[h >> 6] |= (<uint64_t>1) << (h & 63)
        store_release(&self.view.register_built, 1)
        return 0

    @property
    def register_tables_built(self):
        """Whether the register model's tables are built yet (build_register)."""
        return bool(register_ready(&self.view))

    cdef _load_variants(self, const uint32_t* pairs, Py_ssize_t n_pairs):
        """The BMP map (identity but for variants) and the sorted astral pairs."""
        cdef Py_ssize_t k, n_astral = 0
        self.view.canon = <uint32_t*>malloc(BMP_SIZE * sizeof(uint32_t))
        self.view.has_variant = <uint8_t*>calloc(BMP_SIZE // 8, 1)
        if self.view.canon == NULL or self.view.has_variant == NULL:
            raise MemoryError()
        for k in range(BMP_SIZE):
            self.view.canon[k] = <uint32_t>k
        for k in range(n_pairs):
            if pairs[2 * k] > 0x10FFFF or pairs[2 * k + 1] > 0x10FFFF or (k and pairs[2 * k] <= pairs[2 * k - 2]):
                raise _binary.LexiconError(f"{self.origin}: variant pair {k} is out of range or order; "
                                            f"rebuild it with `python -m fastpron.compile`")
            if pairs[2 * k] < BMP_SIZE:
                self.view.canon[pairs[2 * k]] = pairs[2 * k + 1]
                self.view.has_variant[pairs[2 * k] >> 3] |= <uint8_t>(1 << (pairs[2 * k] & 7))
            elif n_astral == 0:
                self.view.astral_variants = pairs + 2 * k    # sorted, so the astral ones come last
                n_astral = n_pairs - k
        self.view.n_astral_variants = n_astral

    cdef _validate(self, header):
        """Every offset in range: a corrupt file must fail here, not crash later.

        Each slot, once checked, also goes into the root cells and the filter: one pass
        over the 4 MB slot table at load, not two."""
        cdef uint32_t n_words = self.n_record_words, n_syllables = header.n_syllables
        cdef uint32_t at = 0, n_readings, key_length, r, k, n_records = 0, longest = 0, depth
        cdef uint64_t size, s, empty = 0, bit
        cdef const uint32_t* records = self.view.records
        cdef const Slot* slot
        cdef uint8_t* starts = <uint8_t*>calloc(n_words // 8 + 1, 1)
        fix = "; rebuild it with `python -m fastpron.compile`"
        if starts == NULL:
            raise MemoryError()
        try:
            while at < n_words:
                n_readings = records[at] & 0xFFFF
                key_length = records[at] >> 16
                if key_length == 0 or key_length > self.view.max_key_len:
                    raise _binary.LexiconError(f"{self.origin}: record {n_records} has a bad key length{fix}")
                size = 1 if n_readings == PREFIX_ONLY else 1 + <uint64_t>n_readings * (2 + key_length)
                if at + size > n_words:
                    raise _binary.LexiconError(f"{self.origin}: record {n_records} runs past the end{fix}")
                if n_readings != PREFIX_ONLY:
                    for r in range(n_readings):
                        for k in range(key_length):
                            if records[at + 1 + r * (2 + key_length) + 2 + k] >= n_syllables:
                                raise _binary.LexiconError(
                                    f"{self.origin}: record {n_records} names a syllable out of range{fix}")
                starts[at >> 3] |= <uint8_t>(1 << (at & 7))
                longest = key_length if key_length > longest else longest
                at += <uint32_t>size
                n_records += 1
            if n_records != self.view.n_entries:
                raise _binary.LexiconError(f"{self.origin}: {n_records} records, the header says "
                                            f"{self.view.n_entries}{fix}")
            if longest != self.view.max_key_len:
                # The segmenter sizes its work by this number.
                raise _binary.LexiconError(f"{self.origin}: the longest key has {longest} characters, the "
                                            f"header says {self.view.max_key_len}{fix}")
            for s in range(self.view.mask + 1):
                slot = &self.view.slots[s]
                if slot.entry == 0:
                    empty += 1
                    continue
                at = (slot.entry & SLOT_INDEX) - 1
                if (slot.entry & SLOT_INDEX) == 0 or at >= n_words or not (starts[at >> 3] >> (at & 7)) & 1:
                    raise _binary.LexiconError(f"{self.origin}: hash slot {s} is out of range{fix}")
                n_readings = records[at] & 0xFFFF
                if slot.entry & SLOT_HAS_READINGS and (n_readings == 0 or n_readings == PREFIX_ONLY):
                    raise _binary.LexiconError(f"{self.origin}: hash slot {s} names a key without readings{fix}")
                # A slot one character below its parent names a key one character longer:
                # the writers read that many syllables from the record.
                if slot.parent == NO_PARENT:
                    depth = 1
                elif slot.parent < n_words and (starts[slot.parent >> 3] >> (slot.parent & 7)) & 1:
                    depth = (records[slot.parent] >> 16) + 1
                else:
                    raise _binary.LexiconError(f"{self.origin}: hash slot {s} has a parent out of range{fix}")
                if records[at] >> 16 != depth:
                    raise _binary.LexiconError(f"{self.origin}: hash slot {s} names a key of the wrong "
                                                f"length{fix}")
                bit = (slot_hash(slot.parent, slot.code_point) >> 32) & self.view.filter_mask
                self.view.filter[bit >> 6] |= (<uint64_t>1) << (bit & 63)
                if slot.parent == NO_PARENT and slot.code_point < BMP_SIZE:
                    self.view.root[slot.code_point].entry = slot.entry
                    self.view.root[slot.code_point].cost = slot.cost
            if empty == 0:
                # find() stops at an empty slot; without one it would never stop.
                raise _binary.LexiconError(f"{self.origin}: the hash table has no empty slot{fix}")
        finally:
            free(starts)

    cdef const uint32_t* record_of(self, str key):
        """The record of `key`, or NULL."""
        cdef uint32_t slot_entry = 0, parent = NO_PARENT
        cdef int32_t cost
        if not key or len(key) > self.view.max_key_len:
            return NULL
        for ch in key:
            if not find(&self.view, parent, standard_char(&self.view, ch), &slot_entry, &cost):
                return NULL
            parent = (slot_entry & SLOT_INDEX) - 1
        if not slot_entry & SLOT_HAS_READINGS:
            return NULL
        return self.view.records + parent

    def __dealloc__(self):
        free(self.owned)
        if self.holds_source:
            PyBuffer_Release(&self.source)
        free(self.view.root)
        free(self.view.filter)
        free(self.view.canon)
        free(self.view.has_variant)
        free(self.view.register_chars)
        free(self.view.register_pairs)
        free(self.view.register_filter)

    @property
    def n_entries(self):
        return self.view.n_entries

    @property
    def variants(self):
        """variant -> standard character, as compiled in.  Read from the buffer the first
        time it is asked for (a user dictionary needs it), not at load; _load_variants
        has checked the pairs."""
        cdef const uint32_t* pairs = <const uint32_t*>(self.buffer + self.variants_at)
        if self._variants is None:
            self._variants = {chr(pairs[2 * k]): chr(pairs[2 * k + 1]) for k in range(self.n_variants)}
        return dict(self._variants)


cdef Py_ssize_t _aligned(Py_ssize_t pos):
    return (pos + 7) & ~(<Py_ssize_t>7)
