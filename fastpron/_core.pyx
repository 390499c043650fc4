# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The native core: lexicon look-up in C hash tables, best-path segmentation,
and rendering to text or HTML, all without the GIL.

`Core` is the one Python-facing class; fastpron/annotator.py wraps it.  The
algorithm is the one in fastpron/reference.py, which tests compare it with.
The binary layout it reads is described in fastpron/lexicon.py.
"""

from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t, int32_t, int64_t
from libc.stdlib cimport malloc, realloc, free, calloc
from libc.string cimport memcpy, strlen
from cpython.bytes cimport PyBytes_FromStringAndSize

from fastpron import lexicon as _lexicon
from fastpron import numbers as _numbers

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
    #define FP_INFINITE_COST 0x3FFFFFFFFFFFFFFFLL
    #define FP_MIX1 0xFF51AFD7ED558CCDULL
    #define FP_MIX2 0xC4CEB9FE1A85EC53ULL
    #define FP_PREFETCH(address) __builtin_prefetch(address)
    /* s is a string literal (Cython makes it a char array): a fixed-size copy */
    #define FP_PUT_LITERAL(p, s) (memcpy((p), (s), sizeof(s) - 1), (p) + (sizeof(s) - 1))
    """
    const int64_t INFINITE_COST "FP_INFINITE_COST"
    const uint64_t MIX1 "FP_MIX1"
    const uint64_t MIX2 "FP_MIX2"
    void prefetch "FP_PREFETCH"(const void* address) nogil
    uint8_t* put_literal "FP_PUT_LITERAL"(uint8_t* p, const char* literal) nogil

cdef enum:
    SCRATCH_KEPT = 1 << 22  # code points of output buffer a Core keeps between calls (16 MB)
    PREFETCH_DISTANCE = 3   # characters ahead: about one memory latency of segmenter work
    BMP_SIZE = 0x10000
    VARIANTS = 6            # strings per syllable in a RenderTable (options.variant_index)
    FORM_SPOKEN = 1         # the sandhi form
    FORM_BEFORE_A = 2       # the sandhi form before the suffix 仔 á
    FLAG_NEUTRAL = 1        # RenderTable syllable flags (options.py)
    FLAG_SUFFIX_A = 2
    FLAG_HYPHENATED = 4     # set here: the citation form starts with '-' ("--ah")
    OUT_UTF8 = 8            # TextBuffer.kind: UTF-8 bytes in a growable scratch (to_json)
    SYLLABLE_COPY = 16      # bytes copied per syllable in UTF-8, whatever its length (the pool is padded)
    SYLLABLE_COPY4 = 8      # code points copied per syllable into a UCS-4 scratch, likewise
    WRITE_ONCE = 0          # Core._write modes: see write_once, write_twice, write_utf8
    WRITE_TWICE = 1
    WRITE_UTF8 = 2

# Slot.entry: record offset + 1 in the low bits, flags in the high ones (lexicon.py: SLOT_*).
cdef enum:
    SLOT_INDEX = (1 << 27) - 1
    SLOT_NEWS = 1 << 27
    SLOT_FINAL = 1 << 28
    SLOT_HAS_READINGS = 1 << 29
    SLOT_REMOVED = 1 << 30
cdef uint32_t SLOT_EXTENDS = 1u << 31
cdef uint32_t NO_PARENT = 0xFFFFFFFFu

KIND_NAMES = ("other", "char", "word", "unknown", "number")
cdef const char* HEX_DIGITS = b"0123456789abcdef"


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


# ---------------------------------------------------------------- buffers

cdef bint tokens_push(TokenBuffer* buf, Py_ssize_t start, Py_ssize_t end, const uint32_t* record,
                      uint32_t slot_flags, int kind) noexcept nogil:
    """Append a token, merging runs of KIND_OTHER.  False when out of memory."""
    cdef CToken* grown
    cdef CToken* token
    cdef Py_ssize_t capacity
    if (kind == KIND_OTHER and buf.length > 0 and buf.items[buf.length - 1].kind == KIND_OTHER
            and buf.items[buf.length - 1].end == start):
        buf.items[buf.length - 1].end = end
        return True
    if buf.length == buf.capacity:
        capacity = buf.capacity * 2 if buf.capacity else 256
        grown = <CToken*>realloc(buf.items, capacity * sizeof(CToken))
        if grown == NULL:
            return False
        buf.items = grown
        buf.capacity = capacity
    if record != NULL:
        # The writer reads it soon: load it while segmenting goes on (in a
        # server the lexicon is out of the cache at each request's start).
        prefetch(record)
    token = &buf.items[buf.length]
    token.start = start
    token.end = end
    token.record = record
    token.slot_flags = slot_flags
    token.kind = kind
    token.choice = 0
    buf.length += 1
    return True


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
    scratch.kind, scratch.growable = 4, True
    with nogil:
        writer(tokens.items, tokens.length, data, kind, table, options, scratch)
    if scratch.failed:
        raise MemoryError("fastpron: out of memory while writing the output")
    n = scratch.length
    result = PyUnicode_New(n, scratch.max_char)
    if n:
        target, out_kind, source = PyUnicode_DATA(result), PyUnicode_KIND(result), <const Py_UCS4*>scratch.data
        with nogil:
            if out_kind == 1:
                for k in range(n):
                    (<Py_UCS1*>target)[k] = <Py_UCS1>source[k]
            elif out_kind == 2:
                for k in range(n):
                    (<Py_UCS2*>target)[k] = <Py_UCS2>source[k]
            else:
                memcpy(target, source, n * sizeof(Py_UCS4))
    return result


cdef object write_utf8(Writer writer, const TokenBuffer* tokens, const void* data, int kind,
                       const TableView* table, int options, TextBuffer* scratch, bytes prefix, bytes suffix):
    """Run `writer` into a growable UTF-8 scratch, between `prefix` and
    `suffix`, then copy that into new bytes."""
    scratch.kind, scratch.growable, scratch.length = OUT_UTF8, True, 0
    put_bytes(scratch, prefix)
    with nogil:
        writer(tokens.items, tokens.length, data, kind, table, options, scratch)
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
    with nogil:
        writer(tokens.items, tokens.length, data, kind, table, options, &out)
    result = PyUnicode_New(out.length, out.max_char)
    if out.length:
        out.data, out.kind, out.length, out.last = PyUnicode_DATA(result), PyUnicode_KIND(result), 0, 0
        out.capacity = PyUnicode_GET_LENGTH(result)
        with nogil:
            writer(tokens.items, tokens.length, data, kind, table, options, &out)
    return result


# ---------------------------------------------------------------- numbers
# The number reader: fastpron/numbers.py is its reference and says the rules.
# It works on a copy of the key characters around the span (NumberText) and
# gives indexes into numbers.SYLLABLES, which Core maps to syllable ids.

cdef enum:
    NUMBER_MAX_SPAN = 64          # numbers.MAX_SPAN
    NUMBER_MAX_SYLLABLES = 256    # numbers.MAX_SYLLABLES
    NUMBER_BEFORE = 2             # characters copied before the span's start
    NUMBER_WINDOW = NUMBER_MAX_SPAN + 8
    N_NUMBER_SYLLABLES = 27
    # numbers.SYLLABLES
    NS_KHONG = 0
    NS_IT = 1
    NS_JI = 2
    NS_TSIT = 10
    NS_NNG = 11
    NS_TSAP = 18
    NS_PAH = 19
    NS_TIAM = 23
    NS_HUN = 24
    NS_TSI = 25
    NS_GUEH = 26
    # numbers: positional items
    IT_LIANG = 10
    IT_TEN = 11
    IT_HUNDRED = 12
    IT_THOUSAND = 13
    IT_WAN = 14
    IT_YI = 15

cdef int64_t NUMBER_COST = -(1 << 24)
cdef int64_t MONTH_COST = 599
cdef uint8_t[10] LITERARY_DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
cdef uint8_t[10] COLLOQUIAL_DIGITS = [0, 10, 11, 12, 13, 14, 15, 7, 16, 17]
cdef uint8_t[10] ORDINAL_DIGITS = [0, 1, 2, 12, 13, 14, 15, 7, 16, 17]
cdef uint8_t[5] UNIT_SYLLABLES = [18, 19, 20, 21, 22]


cdef struct NumberText:
    Py_UCS4 chars[NUMBER_WINDOW + NUMBER_BEFORE]   # keys[i - NUMBER_BEFORE ...]
    Py_ssize_t n                  # characters after the start held (keys[i:i+n])
    bint at_text_end              # keys end at n (else more follow)


cdef struct Syllables:
    uint8_t items[NUMBER_MAX_SYLLABLES]
    Py_ssize_t length
    int64_t cost                  # NUMBER_COST, or MONTH_COST


cdef inline Py_UCS4 nt_at(const NumberText* t, Py_ssize_t k) noexcept nogil:
    """keys[i + k], or 0 outside the text (k may be -1, -2)."""
    if k >= t.n:
        return 0
    return t.chars[k + NUMBER_BEFORE]


cdef inline int arabic_value(Py_UCS4 ch) noexcept nogil:
    cdef uint32_t cp = <uint32_t>ch
    if 0x30 <= cp <= 0x39:
        return <int>cp - 0x30
    if 0xFF10 <= cp <= 0xFF19:
        return <int>cp - 0xFF10
    return -1


cdef inline int han_value(Py_UCS4 cp) noexcept nogil:
    if cp == 0x3007 or cp == 0x96F6: return 0      # 〇 零
    if cp == 0x4E00: return 1                      # 一
    if cp == 0x4E8C: return 2                      # 二
    if cp == 0x5169: return IT_LIANG               # 兩
    if cp == 0x4E09: return 3
    if cp == 0x56DB: return 4
    if cp == 0x4E94: return 5
    if cp == 0x516D: return 6
    if cp == 0x4E03: return 7
    if cp == 0x516B: return 8
    if cp == 0x4E5D: return 9
    if cp == 0x5341: return IT_TEN                 # 十
    if cp == 0x767E: return IT_HUNDRED             # 百
    if cp == 0x5343: return IT_THOUSAND            # 千
    if cp == 0x842C: return IT_WAN                 # 萬
    if cp == 0x5104: return IT_YI                  # 億
    return -1


cdef inline bint is_number_char(Py_UCS4 cp) noexcept nogil:
    return arabic_value(cp) >= 0 or han_value(cp) >= 0


cdef inline bint is_latin(Py_UCS4 cp) noexcept nogil:
    return (0x41 <= cp <= 0x5A) or (0x61 <= cp <= 0x7A) or (0xFF21 <= cp <= 0xFF3A) or (0xFF41 <= cp <= 0xFF5A)


cdef inline bint is_ordinal_after(Py_UCS4 cp) noexcept nogil:
    return cp == 0x6708 or cp == 0x65E5 or cp == 0x865F or cp == 0x6A13     # 月 日 號 樓


cdef inline bint is_percent(Py_UCS4 cp) noexcept nogil:
    return cp == 0x25 or cp == 0xFF05


cdef inline bint is_decimal_point(Py_UCS4 cp) noexcept nogil:
    return cp == 0x2E or cp == 0xFF0E


cdef inline bint starts_percent(const NumberText* t, Py_ssize_t k) noexcept nogil:
    """keys[i + k:] starts with 百分之."""
    return nt_at(t, k) == 0x767E and nt_at(t, k + 1) == 0x5206 and nt_at(t, k + 2) == 0x4E4B


cdef inline bint starts_fraction(const NumberText* t, Py_ssize_t k) noexcept nogil:
    """keys[i + k:] starts with 分之."""
    return nt_at(t, k) == 0x5206 and nt_at(t, k + 1) == 0x4E4B


cdef bint number_start(const NumberText* t) noexcept nogil:
    """numbers.is_start at k = 0 (t.chars before the start are 0 outside the text)."""
    cdef Py_UCS4 ch = nt_at(t, 0), before
    cdef int value = arabic_value(ch)
    if value < 0:
        value = han_value(ch)
        if value < 0 or (value > IT_TEN and not starts_percent(t, 0)):
            return False
    before = t.chars[NUMBER_BEFORE - 1]
    if before == 0:
        return True
    if is_number_char(before):
        return False
    if (before == 0x2C or is_decimal_point(before)) and arabic_value(t.chars[NUMBER_BEFORE - 2]) >= 0:
        return False
    return True


cdef inline bint number_start_at(const NumberText* t, Py_ssize_t k) noexcept nogil:
    """numbers.is_start at i + k, for k >= 1."""
    cdef Py_UCS4 ch = nt_at(t, k), before = nt_at(t, k - 1)
    cdef int value = arabic_value(ch)
    if value < 0:
        value = han_value(ch)
        if value < 0 or (value > IT_TEN and not starts_percent(t, k)):
            return False
    if is_number_char(before):
        return False
    if (before == 0x2C or is_decimal_point(before)) and k >= 2 and arabic_value(nt_at(t, k - 2)) >= 0:
        return False
    return True


cdef inline void put_number_syllable(Syllables* out, int s) noexcept nogil:
    if out.length < NUMBER_MAX_SYLLABLES:
        out.items[out.length] = <uint8_t>s
        out.length += 1


cdef void read_positional(const uint8_t* items, Py_ssize_t n, Syllables* out, bint ordinal_single) noexcept nogil:
    cdef Py_ssize_t k
    cdef int item, following, previous
    for k in range(n):
        item = items[k]
        if item >= IT_TEN:
            put_number_syllable(out, UNIT_SYLLABLES[item - IT_TEN])
            continue
        if item == IT_LIANG:
            put_number_syllable(out, NS_NNG)
            continue
        following = items[k + 1] if k + 1 < n else -1
        previous = items[k - 1] if k > 0 else -1
        if item == 0:
            put_number_syllable(out, NS_KHONG)
        elif following == IT_TEN:
            put_number_syllable(out, NS_TSIT if item == 1 else (NS_JI if item == 2 else COLLOQUIAL_DIGITS[item]))
        elif following >= IT_HUNDRED and not (following >= IT_WAN and previous == IT_TEN):
            put_number_syllable(out, COLLOQUIAL_DIGITS[item])
        elif k == 0 and not ordinal_single:
            put_number_syllable(out, COLLOQUIAL_DIGITS[item])
        else:
            put_number_syllable(out, ORDINAL_DIGITS[item])


cdef Py_ssize_t arabic_items(const uint8_t* digits, Py_ssize_t n_digits, uint8_t* items) noexcept nogil:
    """numbers.arabic_items: at most 3 items a digit.  Returns how many."""
    cdef Py_ssize_t k = 0, n, count = 0, power, place, group
    cdef bint emitted = False, pending = False, group_nonzero = False
    cdef int d
    while k < n_digits - 1 and digits[k] == 0:
        k += 1
    digits += k
    n = n_digits - k
    if n == 1 and digits[0] == 0:
        items[0] = 0
        return 1
    for k in range(n):
        d = digits[k]
        power = n - 1 - k
        place = power % 4
        group = power // 4
        if d == 0:
            if emitted:
                pending = True
        else:
            if pending:
                items[count] = 0
                count += 1
                pending = False
            if place == 1 and d == 1 and not emitted:
                items[count] = IT_TEN
                count += 1
            else:
                items[count] = <uint8_t>d
                count += 1
                if place:
                    items[count] = <uint8_t>(IT_TEN + place - 1)
                    count += 1
            emitted = True
            group_nonzero = True
        if place == 0 and group > 0:
            if group_nonzero:
                items[count] = <uint8_t>(IT_WAN + group - 1)
                count += 1
            group_nonzero = False
    return count


cdef bint han_positional_ok(const uint8_t* items, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t k
    cdef int item, following
    if n == 0 or items[0] > IT_TEN or items[0] == 0:
        return False
    for k in range(n):
        item = items[k]
        following = items[k + 1] if k + 1 < n else -1
        if item <= IT_LIANG:
            if 0 <= following <= IT_LIANG and item != 0:
                return False
            if item == 0 and not (0 < following <= 9):
                return False
            if item == IT_LIANG and following == IT_TEN:
                return False
        elif following > IT_LIANG and not (following >= IT_WAN and following > item):
            return False
    return True


cdef Py_ssize_t number_decimal(const NumberText* t, Py_ssize_t j, Py_ssize_t limit, bint han_digits) noexcept nogil:
    """numbers._decimal (positions relative to the span's start; `limit` also stands for n)."""
    cdef Py_ssize_t k
    cdef int value
    if j + 1 >= limit:
        return j
    if han_digits:
        if nt_at(t, j) != 0x9EDE:        # 點
            return j
        k = j + 1
        while k < limit and k - j < NUMBER_MAX_SPAN:
            value = han_value(nt_at(t, k))
            if not (0 <= value <= 9):
                break
            k += 1
        if k == j + 1:
            return j
        if k < limit:
            value = han_value(nt_at(t, k))
            if (nt_at(t, k) == 0x5206 or nt_at(t, k) == 0x9418 or (IT_TEN <= value <= IT_THOUSAND)
                    or value == IT_LIANG):
                return j
        return k
    if not is_decimal_point(nt_at(t, j)) or arabic_value(nt_at(t, j + 1)) < 0:
        return j
    k = j + 1
    while k < limit and k - j < NUMBER_MAX_SPAN and arabic_value(nt_at(t, k)) >= 0:
        k += 1
    return k


cdef void read_decimal(const NumberText* t, Py_ssize_t start, Py_ssize_t end, Syllables* out,
                       bint han_digits) noexcept nogil:
    cdef Py_ssize_t k
    put_number_syllable(out, NS_TIAM)
    for k in range(start + 1, end):
        put_number_syllable(out, ORDINAL_DIGITS[han_value(nt_at(t, k)) if han_digits
                                                else arabic_value(nt_at(t, k))])


cdef Py_ssize_t han_number(const NumberText* t, Py_ssize_t i, Py_ssize_t limit, Syllables* out,
                           bint ordinal, bint any_length) noexcept nogil:
    """numbers._han_number; the end, or i (out untouched) if there is none."""
    cdef uint8_t items[NUMBER_WINDOW]
    cdef Py_ssize_t j = i, k, n, end
    cdef bint digits_only = True
    cdef int value
    cdef Py_UCS4 following
    while j < limit and j - i < NUMBER_MAX_SPAN:
        value = han_value(nt_at(t, j))
        if value < 0:
            break
        items[j - i] = <uint8_t>value
        if value > 9:
            digits_only = False
        j += 1
    n = j - i
    if n >= 3 and digits_only:
        for k in range(n):
            put_number_syllable(out, LITERARY_DIGITS[items[k]])
        return j
    if not han_positional_ok(items, n):
        return i
    end = number_decimal(t, j, limit, True)
    if end > j:
        if items[n - 1] >= IT_TEN and items[n - 1] != IT_TEN:
            return i
        read_positional(items, n, out, True)
        read_decimal(t, j, end, out, True)
        if end < limit:
            value = han_value(nt_at(t, end))
            if value == IT_WAN or value == IT_YI:
                put_number_syllable(out, UNIT_SYLLABLES[value - IT_TEN])
                end += 1
        return end
    if n >= 2 or any_length or (j < limit and nt_at(t, j) == 0x6708) or starts_fraction(t, j):
        following = nt_at(t, j)
        read_positional(items, n, out, ordinal or (following != 0 and is_ordinal_after(following)))
        return j
    return i


cdef Py_ssize_t arabic_number(const NumberText* t, Py_ssize_t limit, bint ordinal, Syllables* out) noexcept nogil:
    """numbers._arabic_span; the end, or 0 if there is none."""
    cdef uint8_t digits[NUMBER_WINDOW]
    cdef uint8_t items[4 * NUMBER_WINDOW]
    cdef Syllables body
    cdef Py_ssize_t j = 0, k, n_digits, n_items, end, g
    cdef bint after_latin = is_latin(t.chars[NUMBER_BEFORE - 1])
    cdef int value
    cdef Py_UCS4 following
    while j < limit and arabic_value(nt_at(t, j)) >= 0:
        digits[j] = <uint8_t>arabic_value(nt_at(t, j))
        j += 1
    n_digits = j
    if after_latin or (j < t.n and is_latin(nt_at(t, j))):
        if not after_latin or j < 5 or (j < t.n and is_latin(nt_at(t, j))):
            return 0
        for k in range(j):
            put_number_syllable(out, LITERARY_DIGITS[digits[k]])
        return j
    if digits[0] == 0 and j >= 2 and not (j < t.n and is_decimal_point(nt_at(t, j))):
        for k in range(j):
            put_number_syllable(out, LITERARY_DIGITS[digits[k]])
        while j + 1 < limit and nt_at(t, j) == 0x2D and arabic_value(nt_at(t, j + 1)) >= 0:
            j += 1
            while j < limit and arabic_value(nt_at(t, j)) >= 0:
                put_number_syllable(out, LITERARY_DIGITS[arabic_value(nt_at(t, j))])
                j += 1
        return j
    if (j >= 3 and j < t.n and nt_at(t, j) == 0x5E74) or j > 12:      # 年
        for k in range(j):
            put_number_syllable(out, LITERARY_DIGITS[digits[k]])
        return j
    while (j + 3 < limit and nt_at(t, j) == 0x2C and arabic_value(nt_at(t, j + 1)) >= 0
           and arabic_value(nt_at(t, j + 2)) >= 0 and arabic_value(nt_at(t, j + 3)) >= 0
           and not (j + 4 < t.n and arabic_value(nt_at(t, j + 4)) >= 0) and n_digits + 3 <= 12):
        for g in range(1, 4):
            digits[n_digits] = <uint8_t>arabic_value(nt_at(t, j + g))
            n_digits += 1
        j += 4
    n_items = arabic_items(digits, n_digits, items)
    body.length = 0
    end = number_decimal(t, j, limit, False)
    if end > j:
        read_positional(items, n_items, &body, True)
        read_decimal(t, j, end, &body, False)
        j = end
        if j < limit:
            value = han_value(nt_at(t, j))
            if value == IT_WAN or value == IT_YI:
                put_number_syllable(&body, UNIT_SYLLABLES[value - IT_TEN])
                j += 1
    else:
        while j < limit and han_value(nt_at(t, j)) >= IT_TEN:
            while j < limit and han_value(nt_at(t, j)) >= IT_TEN:
                items[n_items] = <uint8_t>han_value(nt_at(t, j))
                n_items += 1
                j += 1
            if j < limit and arabic_value(nt_at(t, j)) >= 0:
                k = 0
                while j + k < limit and arabic_value(nt_at(t, j + k)) >= 0:
                    digits[k] = <uint8_t>arabic_value(nt_at(t, j + k))
                    k += 1
                if k > 4:
                    break
                j += k
                n_items += arabic_items(digits, k, items + n_items)
        following = nt_at(t, j)
        read_positional(items, n_items, &body,
                        ordinal or (following != 0 and (is_ordinal_after(following) or is_percent(following))))
    if j < limit and is_percent(nt_at(t, j)):
        put_number_syllable(out, NS_PAH)
        put_number_syllable(out, NS_HUN)
        put_number_syllable(out, NS_TSI)
        j += 1
        for k in range(body.length):
            put_number_syllable(out, body.items[k])
        return j
    for k in range(body.length):
        put_number_syllable(out, body.items[k])
    return minutes(t, j, limit, out)


cdef Py_ssize_t minutes(const NumberText* t, Py_ssize_t end, Py_ssize_t limit, Syllables* out) noexcept nogil:
    """numbers._minutes: 分 after a number, hun."""
    if end < limit and nt_at(t, end) == 0x5206 and not starts_fraction(t, end):
        put_number_syllable(out, NS_HUN)
        end += 1
    return end


cdef Py_ssize_t read_number(const NumberText* t, Syllables* out) noexcept nogil:
    """numbers.number_span: the span's length, or 0; its syllables and cost in out."""
    cdef Py_ssize_t end = read_number_span(t, out)
    out.cost = NUMBER_COST
    if end == 1 and han_value(nt_at(t, 0)) >= 0 and nt_at(t, 1) == 0x6708:
        if nt_at(t, 2) == 0x65E5:
            return 0
        if t.chars[NUMBER_BEFORE - 1] != 0x7B2C:
            put_number_syllable(out, NS_GUEH)
            out.cost = MONTH_COST
            return 2
    return end


cdef Py_ssize_t read_number_span(const NumberText* t, Syllables* out) noexcept nogil:
    cdef Py_ssize_t limit = t.n if t.n < NUMBER_MAX_SPAN else NUMBER_MAX_SPAN, end, start, fraction_end
    cdef bint ordinal = t.chars[NUMBER_BEFORE - 1] == 0x7B2C         # 第
    cdef Syllables tail
    out.length = 0
    if arabic_value(nt_at(t, 0)) >= 0:
        return arabic_number(t, limit, ordinal, out)
    if starts_percent(t, 0):
        put_number_syllable(out, NS_PAH)
        put_number_syllable(out, NS_HUN)
        put_number_syllable(out, NS_TSI)
        start = 3
        if start >= limit or not number_start_at(t, start) or han_value(nt_at(t, start)) < 0:
            return 0
        end = han_number(t, start, limit, out, True, True)
        return end if end > start else 0
    end = han_number(t, 0, limit, out, ordinal, False)
    if end <= 0:
        return 0
    if starts_fraction(t, end) and end + 2 < limit and 0 <= han_value(nt_at(t, end + 2)) <= IT_TEN:
        tail.length = 0
        put_number_syllable(&tail, NS_HUN)
        put_number_syllable(&tail, NS_TSI)
        fraction_end = han_number(t, end + 2, limit, &tail, True, True)
        if fraction_end > end + 2:
            out.length = 0
            han_number(t, 0, end, out, True, True)
            for start in range(tail.length):
                put_number_syllable(out, tail.items[start])
            return fraction_end
    return minutes(t, end, limit, out)


# ---------------------------------------------------------------- segmentation

cdef struct Step:
    int64_t cost
    Py_ssize_t start          # where the best edge into this position begins
    const uint32_t* record
    uint32_t slot_flags
    int kind                  # KIND_NUMBER: record holds the offset of its record in the token pool


cdef uint8_t* NUMBER_CHARS = <uint8_t*>calloc(BMP_SIZE // 8, 1)   # bitmap: may a number span start here?


cdef void _mark_number_chars():
    cdef uint32_t cp
    for cp in range(BMP_SIZE):
        if is_number_char(<Py_UCS4>cp):
            NUMBER_CHARS[cp >> 3] |= <uint8_t>(1 << (cp & 7))


_mark_number_chars()


cdef inline bint is_span_mark(Py_UCS4 ch) noexcept nogil:
    """A character inside a number span other than a digit or numeral: , . ． % ％ - 點 分 之"""
    return (ch == 0x2C or ch == 0x2E or ch == 0xFF0E or ch == 0x25 or ch == 0xFF05 or ch == 0x2D
            or ch == 0x9EDE or ch == 0x5206 or ch == 0x4E4B)


cdef inline bint may_follow_numeral(Py_UCS4 ch) noexcept nogil:
    """After a lone Han numeral, only these can make it a number: numerals, 月 點 分."""
    return maybe_number(ch) or ch == 0x6708 or ch == 0x9EDE or ch == 0x5206


cdef inline bint maybe_number(Py_UCS4 ch) noexcept nogil:
    cdef uint32_t cp = <uint32_t>ch
    return cp < BMP_SIZE and (NUMBER_CHARS[cp >> 3] >> (cp & 7)) & 1


cdef Py_ssize_t number_edge(const LexView* base, const void* data, int kind, Py_ssize_t n, Py_ssize_t i,
                            const uint32_t* number_sids, TokenBuffer* tokens, Py_ssize_t* at,
                            int64_t* cost) noexcept nogil:
    """The length of the number span at i (0 for none), its record put in the
    token pool at *at; -1 when out of memory."""
    cdef NumberText text
    cdef Syllables syllables
    cdef Py_ssize_t k, length, need, capacity, stop
    cdef uint32_t* grown
    cdef Py_UCS4 ch
    text.n = n - i if n - i < NUMBER_WINDOW else NUMBER_WINDOW
    for k in range(-NUMBER_BEFORE, 0):
        text.chars[k + NUMBER_BEFORE] = key_char(base, data, kind, i + k) if i + k >= 0 else 0
    # The characters a span can hold, then a few more that the rules look at
    # (年, 分之, a thousands group): the readers never look further.
    stop = text.n
    for k in range(text.n):
        ch = key_char(base, data, kind, i + k)
        text.chars[k + NUMBER_BEFORE] = ch
        if stop == text.n and not (maybe_number(ch) or is_span_mark(ch)):
            stop = k + 6 if k + 6 < text.n else text.n
        if k + 1 >= stop:
            break
    for k in range(stop, text.n):
        text.chars[k + NUMBER_BEFORE] = 0
    if not number_start(&text):
        return 0
    length = read_number(&text, &syllables)
    if length <= 0 or syllables.length == 0:
        return 0
    need = 3 + syllables.length
    if tokens.pool_length + need > tokens.pool_capacity:
        capacity = tokens.pool_capacity * 2 if tokens.pool_capacity else 256
        while capacity < tokens.pool_length + need:
            capacity *= 2
        grown = <uint32_t*>realloc(tokens.pool, capacity * sizeof(uint32_t))
        if grown == NULL:
            return -1
        tokens.pool = grown
        tokens.pool_capacity = capacity
    cost[0] = syllables.cost
    at[0] = tokens.pool_length
    tokens.pool[tokens.pool_length] = 1 | (<uint32_t>syllables.length << 16)
    tokens.pool[tokens.pool_length + 1] = 0
    tokens.pool[tokens.pool_length + 2] = 0
    for k in range(syllables.length):
        tokens.pool[tokens.pool_length + 3 + k] = number_sids[syllables.items[k]]
    tokens.pool_length += need
    return length


cdef bint segment(const LexView* base, const LexView* overlay, const void* data, int kind,
                  Py_ssize_t n, int32_t unknown_cost, int32_t other_cost,
                  TokenBuffer* tokens, const uint32_t* number_sids) noexcept nogil:
    """Best-path segmentation of text[0:n] into `tokens`.  False when out of memory.

    A dynamic programme over positions: each lexicon key that matches at i is
    an edge i -> i+len with the key's cost; a position no key covers gets a
    one-character edge (unknown Han, or other).  The least total cost wins;
    ties keep the first edge found (shorter starts first).  The text is cut
    into windows wherever no edge crosses, so memory stays small.
    A number span (number_edge; NULL number_sids: none) is an edge of its own,
    tried first, its record in the token pool.
    """
    cdef Py_ssize_t max_len = base.max_key_len
    if overlay != NULL and overlay.max_key_len > max_len:
        max_len = overlay.max_key_len
    if number_sids != NULL and max_len < NUMBER_WINDOW:
        max_len = NUMBER_WINDOW
    if max_len < 1:
        max_len = 1
    cdef Py_ssize_t number_length, number_at = 0, number_end = 0
    cdef int64_t number_cost = 0
    cdef Py_ssize_t capacity = 64, window = 0, filled = 0, reach = 0
    cdef Step* steps = <Step*>malloc(capacity * sizeof(Step))
    cdef Step* grown
    cdef Py_ssize_t* path = NULL
    cdef Py_ssize_t* grown_path
    cdef Py_ssize_t path_capacity = 0
    cdef Py_ssize_t i, length, j, rel, count, p
    cdef Py_UCS4 cp
    cdef uint32_t base_slot = 0, overlay_slot = 0, use_slot = 0
    cdef int32_t base_cost = 0, overlay_cost = 0
    cdef const LexView* use_lex
    cdef bint have_single, found_base, found_overlay, ok = True
    cdef int64_t cost
    # The key characters (standard forms) of positions i .. i + PREFETCH_DISTANCE + 1,
    # at [position & 7]: each is read and mapped once, for the prefetch.
    cdef Py_UCS4 ahead[8]
    if steps == NULL:
        return False
    steps[0].cost = 0
    filled = 1
    for p in range(min(n, PREFETCH_DISTANCE + 1)):
        ahead[p & 7] = key_char(base, data, kind, p)
    i = 0
    while i < n:
        rel = i - window
        # room for every edge out of i
        if rel + max_len + 1 > capacity:
            while rel + max_len + 1 > capacity:
                capacity *= 2
            grown = <Step*>realloc(steps, capacity * sizeof(Step))
            if grown == NULL:
                ok = False
                break
            steps = grown
        while filled <= rel + max_len:
            steps[filled].cost = INFINITE_COST
            filled += 1
        if i + PREFETCH_DISTANCE + 1 < n:
            ahead[(i + PREFETCH_DISTANCE + 1) & 7] = key_char(base, data, kind, i + PREFETCH_DISTANCE + 1)
            prefetch_second(base, ahead[(i + PREFETCH_DISTANCE) & 7], ahead[(i + PREFETCH_DISTANCE + 1) & 7])

        have_single = False
        cp = ahead[i & 7]
        if (number_sids != NULL and i >= number_end and maybe_number(cp)
                and (arabic_value(cp) >= 0 or (i + 1 < n and may_follow_numeral(ahead[(i + 1) & 7])))):
            number_length = number_edge(base, data, kind, n, i, number_sids, tokens, &number_at, &number_cost)
            if number_length < 0:
                ok = False
                break
            if number_length > 0:
                number_end = i + number_length      # spans never overlap
                cost = steps[rel].cost + number_cost
                if cost < steps[rel + number_length].cost:
                    steps[rel + number_length].cost = cost
                    steps[rel + number_length].start = rel
                    # an offset until the pool stops growing (number_records)
                    steps[rel + number_length].record = <const uint32_t*>number_at
                    steps[rel + number_length].slot_flags = 0
                    steps[rel + number_length].kind = KIND_NUMBER
                if i + number_length > reach:
                    reach = i + number_length
        found_base = find(base, NO_PARENT, cp, &base_slot, &base_cost)
        found_overlay = overlay != NULL and find(overlay, NO_PARENT, cp, &overlay_slot, &overlay_cost)
        length = 1
        while found_base or found_overlay:
            # The overlay decides for a key it has readings for or removes; else the base.
            use_lex = NULL
            if found_overlay and overlay_slot & (SLOT_HAS_READINGS | SLOT_REMOVED):
                if overlay_slot & SLOT_HAS_READINGS:
                    use_lex, use_slot, cost = overlay, overlay_slot, overlay_cost
            elif found_base and base_slot & SLOT_HAS_READINGS:
                use_lex, use_slot, cost = base, base_slot, base_cost
            if use_lex != NULL:
                if length == 1:
                    have_single = True
                cost += steps[rel].cost
                if cost < steps[rel + length].cost:
                    steps[rel + length].cost = cost
                    steps[rel + length].start = rel
                    steps[rel + length].record = use_lex.records + ((use_slot & SLOT_INDEX) - 1)
                    steps[rel + length].slot_flags = use_slot
                    steps[rel + length].kind = KIND_WORD if length > 1 else KIND_CHAR
                if i + length > reach:
                    reach = i + length
            if length >= max_len or i + length >= n:
                break
            cp = (ahead[(i + length) & 7] if length <= PREFETCH_DISTANCE + 1
                  else key_char(base, data, kind, i + length))
            found_base = (found_base and (base_slot & SLOT_EXTENDS) != 0
                          and find(base, (base_slot & SLOT_INDEX) - 1, cp, &base_slot, &base_cost))
            found_overlay = (found_overlay and (overlay_slot & SLOT_EXTENDS) != 0
                             and find(overlay, (overlay_slot & SLOT_INDEX) - 1, cp, &overlay_slot, &overlay_cost))
            length += 1
        if not have_single:
            cp = PyUnicode_READ(kind, data, i)
            cost = steps[rel].cost + (unknown_cost if is_han(cp) else other_cost)
            if cost < steps[rel + 1].cost:
                steps[rel + 1].cost = cost
                steps[rel + 1].start = rel
                steps[rel + 1].record = NULL
                steps[rel + 1].slot_flags = 0
                steps[rel + 1].kind = KIND_UNKNOWN if is_han(cp) else KIND_OTHER
        if i + 1 > reach:
            reach = i + 1
        i += 1

        if reach == i:
            # No edge crosses i: the best path up to i is final.  Walk it back.
            count = 0
            j = i - window
            while j > 0:
                count += 1
                j = steps[j].start
            if count > path_capacity:
                grown_path = <Py_ssize_t*>realloc(path, count * sizeof(Py_ssize_t))
                if grown_path == NULL:
                    ok = False
                    break
                path = grown_path
                path_capacity = count
            j = i - window
            p = count
            while j > 0:
                p -= 1
                path[p] = j
                j = steps[j].start
            for p in range(count):
                j = path[p]
                if not tokens_push(tokens, window + steps[j].start, window + j,
                                   steps[j].record, steps[j].slot_flags, steps[j].kind):
                    ok = False
                    break
            if not ok:
                break
            # The slots past i - window still hold INFINITE_COST (no edge reached
            # them); only those before it, which now stand for positions after i, need it.
            for j in range(1, min(i - window + 1, filled)):
                steps[j].cost = INFINITE_COST
            window = i
            steps[0].cost = 0
    free(steps)
    free(path)
    if ok and tokens.pool_length:
        number_records(tokens)
    return ok


cdef void number_records(TokenBuffer* tokens) noexcept nogil:
    """Number tokens hold their record's offset in the pool: make it a pointer."""
    cdef Py_ssize_t t
    for t in range(tokens.length):
        if tokens.items[t].kind == KIND_NUMBER:
            tokens.items[t].record = tokens.pool + <Py_ssize_t>tokens.items[t].record


cdef void choose_final_readings(TokenBuffer* tokens) noexcept nogil:
    """A token at the end of a phrase (before any non-reading token, or the
    end of the text) takes its reading flagged READING_FINAL, if it has one."""
    cdef Py_ssize_t t
    cdef uint32_t r
    cdef CToken* token
    cdef int next_kind
    for t in range(tokens.length):
        token = &tokens.items[t]
        if not token.slot_flags & SLOT_FINAL:
            continue
        next_kind = tokens.items[t + 1].kind if t + 1 < tokens.length else KIND_OTHER
        if next_kind == KIND_CHAR or next_kind == KIND_WORD or next_kind == KIND_NUMBER:
            continue
        for r in range(record_readings(token.record)):
            if record_reading(token.record, r)[0] & READING_FINAL:
                token.choice = r
                break


# ---------------------------------------------------------------- the register

# What ends a sentence for the register model: each sentence is read as news or not.
cdef inline bint ends_register_sentence(const void* data, int kind, Py_ssize_t start, Py_ssize_t end) noexcept nogil:
    cdef Py_ssize_t i
    cdef Py_UCS4 cp
    for i in range(start, end):
        cp = PyUnicode_READ(kind, data, i)
        if cp == 0x3002 or cp == 0xFF01 or cp == 0xFF1F or cp == 0x21 or cp == 0x3F or cp == 0x0A:   # 。！？!?\n
            return True
    return False


cdef inline int32_t char_weight(const LexView* lex, Py_UCS4 cp) noexcept nogil:
    """The register model's weight of one character: by code point in the BMP, else by
    binary search over the sorted keys (lexicon.RegisterModel.keys)."""
    cdef Py_ssize_t low = 0, high = lex.n_register, middle
    if <uint32_t>cp < BMP_SIZE:
        return lex.register_chars[<uint32_t>cp]
    while low < high:
        middle = (low + high) // 2
        if lex.register_keys[middle] < <uint64_t>cp:
            low = middle + 1
        else:
            high = middle
    return lex.register_weights[low] if low < lex.n_register and lex.register_keys[low] == cp else lex.register_unknown


cdef inline uint64_t pair_cell(const LexView* lex, Py_UCS4 first, Py_UCS4 second) noexcept nogil:
    """Where the pair's search starts in the pair table (a multiplicative hash: cheap, and
    the table's own; nothing else computes it)."""
    return ((((<uint64_t>first << 21) | <uint64_t>second) * <uint64_t>0x9E3779B97F4A7C15) >> 32) & lex.register_mask


cdef inline bint pair_weight(const LexView* lex, Py_UCS4 first, Py_UCS4 second, int32_t* weight) noexcept nogil:
    """The weight of `second` after `first`, from the pair table; False if the model lacks the pair.
    A cell is the pair's key << PAIR_WEIGHT_BITS | its weight + PAIR_WEIGHT_BIAS (0: empty)."""
    cdef uint64_t key = ((<uint64_t>first + 1) << 21) | <uint64_t>second
    cdef uint64_t at = pair_cell(lex, first, second)
    cdef uint64_t cell
    while True:
        cell = lex.register_pairs[at]
        if cell == 0:
            return False
        if cell >> PAIR_WEIGHT_BITS == key:
            weight[0] = <int32_t>(cell & ((1 << PAIR_WEIGHT_BITS) - 1)) - PAIR_WEIGHT_BIAS
            return True
        at = (at + 1) & lex.register_mask


cdef bint sentence_is_news(const LexView* lex, const void* data, int kind, Py_ssize_t start,
                           Py_ssize_t end) noexcept nogil:
    """lexicon.RegisterModel.is_news over the Han characters of text[start:end], in standard form."""
    cdef int64_t total = 0, n = 0
    cdef int32_t weight
    cdef Py_ssize_t i
    cdef Py_UCS4 cp, following, previous = 0
    following = standard_char(lex, PyUnicode_READ(kind, data, start)) if start < end else 0
    for i in range(start, end):
        cp = following
        if i + 1 < end:
            following = standard_char(lex, PyUnicode_READ(kind, data, i + 1))
            if is_han(cp) and is_han(following):
                prefetch(&lex.register_pairs[pair_cell(lex, cp, following)])    # the next pair, while this one is looked up
        if not is_han(cp):
            continue
        if n == 0:
            total += char_weight(lex, cp)
        elif pair_weight(lex, previous, cp, &weight):
            total += weight
        else:
            total += char_weight(lex, cp) + lex.register_unseen_pair
        previous = cp
        n += 1
    return n > 0 and total > <int64_t>lex.register_threshold * n


cdef inline int news_reading(const uint32_t* record) noexcept nogil:
    """The reading flagged READING_NEWS, other than the first; 0 if none."""
    cdef int r
    for r in range(1, <int>record_readings(record)):
        if record_reading(record, r)[0] & READING_NEWS:
            return r
    return 0


cdef void choose_register_readings(TokenBuffer* tokens, const LexView* lex, const void* data,
                                   int kind) noexcept nogil:
    """In each sentence that reads as news, a token takes its READING_NEWS reading.
    The sentence is scored only when one of its tokens has such a reading."""
    cdef Py_ssize_t first = 0, t, u
    cdef bint any_news
    cdef CToken* token
    cdef int r
    if lex.n_register == 0:
        return
    while first < tokens.length:
        t = first
        any_news = False
        while t < tokens.length:
            token = &tokens.items[t]
            t += 1
            if token.kind == KIND_OTHER:
                if ends_register_sentence(data, kind, token.start, token.end):
                    break
            elif token.slot_flags & SLOT_NEWS and token.kind != KIND_NUMBER:
                any_news = True
        if any_news and sentence_is_news(lex, data, kind, tokens.items[first].start, tokens.items[t - 1].end):
            for u in range(first, t):
                token = &tokens.items[u]
                if token.slot_flags & SLOT_NEWS and token.kind != KIND_NUMBER:
                    r = news_reading(token.record)
                    if r:
                        token.choice = r
        first = t


# ---------------------------------------------------------------- the lexicon

cdef class CompiledLexicon:
    """A compiled lexicon (see fastpron/lexicon.py), checked and held in C memory."""

    def __cinit__(self, bytes data not None, str origin="lexicon"):
        self.buffer = NULL
        self.view.root = NULL
        self.view.filter = NULL
        self.view.canon = NULL
        self.view.has_variant = NULL
        self.view.astral_variants = NULL
        self.view.n_astral_variants = 0
        self.view.n_register = 0
        self.view.register_chars = NULL
        self.view.register_pairs = NULL
        self.view.n_entries = 0
        self.origin = origin
        header = _lexicon.read_header(data, origin)
        self.syllables = _lexicon.syllable_strings(data, header)
        self._variants = _lexicon.variant_pairs(data, header)
        cdef Py_ssize_t size = len(data)
        self.buffer = <char*>malloc(size if size else 1)
        if self.buffer == NULL:
            raise MemoryError()
        memcpy(self.buffer, <const char*>data, size)

        # Section offsets, in the order lexicon.compile_entries writes them.
        cdef Py_ssize_t records_at, slots_at, register_at, variants_at
        cdef Py_ssize_t pos = _lexicon.HEADER_SIZE
        pos = _aligned(pos + 4 * (header.n_syllables + 1) + _lexicon.syllable_blob_size(data, header))
        records_at = pos
        pos = _aligned(pos + header.n_record_words * 4)
        slots_at = pos
        pos = _aligned(pos + header.n_slots * _lexicon.SLOT_SIZE)
        register_at = pos
        if header.n_register:
            pos = _aligned(pos + 16 + 12 * header.n_register)
        variants_at = pos
        pos = pos + header.n_variants * 8
        if (pos > size or header.n_slots & (header.n_slots - 1) or header.n_slots <= header.n_entries
                or header.n_record_words >= SLOT_INDEX):
            raise _lexicon.LexiconError(f"{origin}: section sizes do not add up; rebuild it "
                                        f"with `python -m fastpron.compile`")
        self.view.records = <const uint32_t*>(self.buffer + records_at)
        self.view.slots = <const Slot*>(self.buffer + slots_at)
        self.view.mask = header.n_slots - 1
        self.view.n_entries = header.n_entries
        self.view.max_key_len = header.max_key_len
        self.n_record_words = header.n_record_words
        self._validate(header)
        self._load_register(register_at, header.n_register)
        # One-character keys of the BMP are found by code point, without hashing;
        # the filter has 8 bits a slot, so it stays in cache and is rarely wrong.
        self._load_variants(<const uint32_t*>(self.buffer + variants_at), header.n_variants)
        self.view.root = <RootCell*>calloc(BMP_SIZE, sizeof(RootCell))
        self.view.filter_mask = (self.view.mask + 1) * 8 - 1
        self.view.filter = <uint64_t*>calloc((self.view.filter_mask + 1) // 64 + 1, sizeof(uint64_t))
        if self.view.root == NULL or self.view.filter == NULL:
            raise MemoryError()
        cdef uint64_t k, bit
        cdef const Slot* slot
        for k in range(self.view.mask + 1):
            slot = &self.view.slots[k]
            if slot.entry == 0:
                continue
            bit = (slot_hash(slot.parent, slot.code_point) >> 32) & self.view.filter_mask
            self.view.filter[bit >> 6] |= (<uint64_t>1) << (bit & 63)
            if slot.parent == NO_PARENT and slot.code_point < BMP_SIZE:
                self.view.root[slot.code_point].entry = slot.entry
                self.view.root[slot.code_point].cost = slot.cost

    cdef _load_register(self, Py_ssize_t at, Py_ssize_t n_keys):
        """The register model: its three constants, then sorted keys and their weights."""
        cdef const int32_t* parameters = <const int32_t*>(self.buffer + at)
        cdef const uint64_t* keys = <const uint64_t*>(self.buffer + at + 16)
        cdef Py_ssize_t k
        if n_keys == 0:
            return
        for k in range(1, n_keys):
            if keys[k] <= keys[k - 1]:
                raise _lexicon.LexiconError(f"{self.origin}: register key {k} is out of order; "
                                            f"rebuild it with `python -m fastpron.compile`")
        self.view.register_threshold = parameters[0]
        self.view.register_unseen_pair = parameters[1]
        self.view.register_unknown = parameters[2]
        self.view.register_keys = keys
        self.view.register_weights = <const int32_t*>(self.buffer + at + 16 + 8 * n_keys)
        # One memory access a character: BMP characters by code point, pairs in a hash
        # table (at most half full) whose cells hold key and weight together.
        cdef uint64_t size = 2, h
        cdef uint32_t first, second
        cdef int32_t weight
        while size < 2 * <uint64_t>n_keys + 2:
            size *= 2
        self.view.register_chars = <int32_t*>malloc(BMP_SIZE * sizeof(int32_t))
        self.view.register_pairs = <uint64_t*>calloc(size, sizeof(uint64_t))
        if self.view.register_chars == NULL or self.view.register_pairs == NULL:
            raise MemoryError()
        self.view.register_mask = size - 1
        for k in range(BMP_SIZE):
            self.view.register_chars[k] = self.view.register_unknown
        for k in range(n_keys):
            weight = self.view.register_weights[k]
            if keys[k] < BMP_SIZE:
                self.view.register_chars[keys[k]] = weight
            elif keys[k] >> 21:
                if keys[k] >> (64 - PAIR_WEIGHT_BITS) or not -PAIR_WEIGHT_BIAS <= weight < PAIR_WEIGHT_BIAS:
                    raise _lexicon.LexiconError(f"{self.origin}: register pair {k} is out of range; "
                                                f"rebuild it with `python -m fastpron.compile`")
                first, second = <uint32_t>((keys[k] >> 21) - 1), <uint32_t>(keys[k] & 0x1FFFFF)
                h = pair_cell(&self.view, first, second)
                while self.view.register_pairs[h]:
                    h = (h + 1) & self.view.register_mask
                self.view.register_pairs[h] = (keys[k] << PAIR_WEIGHT_BITS) | <uint64_t>(weight + PAIR_WEIGHT_BIAS)
        self.view.n_register = n_keys

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
                raise _lexicon.LexiconError(f"{self.origin}: variant pair {k} is out of range or order; "
                                            f"rebuild it with `python -m fastpron.compile`")
            if pairs[2 * k] < BMP_SIZE:
                self.view.canon[pairs[2 * k]] = pairs[2 * k + 1]
                self.view.has_variant[pairs[2 * k] >> 3] |= <uint8_t>(1 << (pairs[2 * k] & 7))
            elif n_astral == 0:
                self.view.astral_variants = pairs + 2 * k    # sorted, so the astral ones come last
                n_astral = n_pairs - k
        self.view.n_astral_variants = n_astral

    cdef _validate(self, header):
        """Every offset in range: a corrupt file must fail here, not crash later."""
        cdef uint32_t n_words = self.n_record_words, n_syllables = header.n_syllables
        cdef uint32_t at = 0, n_readings, key_length, r, k, n_records = 0, longest = 0, depth
        cdef uint64_t size, s, empty = 0
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
                    raise _lexicon.LexiconError(f"{self.origin}: record {n_records} has a bad key length{fix}")
                size = 1 if n_readings == PREFIX_ONLY else 1 + <uint64_t>n_readings * (2 + key_length)
                if at + size > n_words:
                    raise _lexicon.LexiconError(f"{self.origin}: record {n_records} runs past the end{fix}")
                if n_readings != PREFIX_ONLY:
                    for r in range(n_readings):
                        for k in range(key_length):
                            if records[at + 1 + r * (2 + key_length) + 2 + k] >= n_syllables:
                                raise _lexicon.LexiconError(
                                    f"{self.origin}: record {n_records} names a syllable out of range{fix}")
                starts[at >> 3] |= <uint8_t>(1 << (at & 7))
                longest = key_length if key_length > longest else longest
                at += <uint32_t>size
                n_records += 1
            if n_records != self.view.n_entries:
                raise _lexicon.LexiconError(f"{self.origin}: {n_records} records, the header says "
                                            f"{self.view.n_entries}{fix}")
            if longest != self.view.max_key_len:
                # The segmenter sizes its work by this number.
                raise _lexicon.LexiconError(f"{self.origin}: the longest key has {longest} characters, the "
                                            f"header says {self.view.max_key_len}{fix}")
            for s in range(self.view.mask + 1):
                slot = &self.view.slots[s]
                if slot.entry == 0:
                    empty += 1
                    continue
                at = (slot.entry & SLOT_INDEX) - 1
                if (slot.entry & SLOT_INDEX) == 0 or at >= n_words or not (starts[at >> 3] >> (at & 7)) & 1:
                    raise _lexicon.LexiconError(f"{self.origin}: hash slot {s} is out of range{fix}")
                n_readings = records[at] & 0xFFFF
                if slot.entry & SLOT_HAS_READINGS and (n_readings == 0 or n_readings == PREFIX_ONLY):
                    raise _lexicon.LexiconError(f"{self.origin}: hash slot {s} names a key without readings{fix}")
                # A slot one character below its parent names a key one character longer:
                # the writers read that many syllables from the record.
                if slot.parent == NO_PARENT:
                    depth = 1
                elif slot.parent < n_words and (starts[slot.parent >> 3] >> (slot.parent & 7)) & 1:
                    depth = (records[slot.parent] >> 16) + 1
                else:
                    raise _lexicon.LexiconError(f"{self.origin}: hash slot {s} has a parent out of range{fix}")
                if records[at] >> 16 != depth:
                    raise _lexicon.LexiconError(f"{self.origin}: hash slot {s} names a key of the wrong "
                                                f"length{fix}")
            if empty == 0:
                # find() stops at an empty slot; without one it would never stop.
                raise _lexicon.LexiconError(f"{self.origin}: the hash table has no empty slot{fix}")
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
        free(self.buffer)
        free(self.view.root)
        free(self.view.filter)
        free(self.view.canon)
        free(self.view.has_variant)
        free(self.view.register_chars)
        free(self.view.register_pairs)

    @property
    def n_entries(self):
        return self.view.n_entries

    @property
    def variants(self):
        """variant -> standard character, as compiled in."""
        return dict(self._variants)


cdef Py_ssize_t _aligned(Py_ssize_t pos):
    return (pos + 7) & ~(<Py_ssize_t>7)


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
        cdef Py_ssize_t total = 0, k, c
        for k in range(len(flags)):
            if (<str>strings[k * VARIANTS]).startswith("-"):
                self.view.syllable_flags[k] |= FLAG_HYPHENATED
        for k in range(self.view.n_strings):
            self.view.offsets[k] = total
            total += len(<str>strings[k])
        self.view.offsets[self.view.n_strings] = total
        self.view.pool = <Py_UCS4*>calloc(total + SYLLABLE_COPY4, sizeof(Py_UCS4))   # padded for text_puts
        self.view.max_chars = <Py_UCS4*>calloc(self.view.n_strings + 1, sizeof(Py_UCS4))
        if self.view.pool == NULL or self.view.max_chars == NULL:
            raise MemoryError()
        for k in range(self.view.n_strings):
            s = <str>strings[k]
            if any(ch in s for ch in "&<>\"'\\"):
                raise ValueError(f"a rendered syllable cannot hold HTML or JSON special characters: {s!r}")
            for c in range(len(s)):
                self.view.pool[self.view.offsets[k] + c] = ord(s[c])
                if <Py_UCS4>ord(s[c]) > self.view.max_chars[k]:
                    self.view.max_chars[k] = ord(s[c])
            if self.view.max_chars[k] > self.view.max_char:
                self.view.max_char = self.view.max_chars[k]

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


# ---------------------------------------------------------------- output

cdef enum:
    OPT_CAPITALIZE = 1      # romanize: a capital at the start of each sentence
    OPT_LATIN_PUNCT = 2     # romanize: CJK punctuation to Latin
    OPT_SANDHI = 4          # spoken tones for all but the last syllable of a tone group


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


cdef inline uint8_t* put_json_char(uint8_t* p, Py_UCS4 cp) noexcept nogil:
    """One character inside a JSON string (RFC 8259), at most 6 bytes; a lone
    surrogate becomes its escape, so the document is valid UTF-8."""
    cdef uint32_t c = <uint32_t>cp
    cdef int k
    if c == 0x22:
        return put_literal(p, b'\\"')
    if c == 0x5C:
        return put_literal(p, b"\\\\")
    if c == 0x0A:
        return put_literal(p, b"\\n")
    if c < 0x20 or 0xD800 <= c <= 0xDFFF:
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
            p = put_json_char(p, PyUnicode_READ(kind, data, c))
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
        return (self.text, self.reading, self.syllables, self.alternatives, self.kind, self.start, self.end,
                self.choice, self.estimated)

    def asdict(self):
        """The fields; "estimated" only when true, as to_json writes it."""
        fields = {"text": self.text, "reading": self.reading, "syllables": list(self.syllables),
                  "alternatives": list(self.alternatives), "kind": self.kind,
                  "start": self.start, "end": self.end, "choice": self.choice}
        if self.estimated:
            fields["estimated"] = True
        return fields

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


cdef class Core:
    """Segmenter and renderer over a base lexicon and an optional user overlay."""

    def __cinit__(self, CompiledLexicon base not None, int unknown_cost=_lexicon.UNKNOWN_COST,
                  int other_cost=_lexicon.OTHER_COST):
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
            raise AssertionError("fastpron.numbers and _core.pyx disagree")
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

        def __set__(self, CompiledLexicon overlay):
            self.overlay = overlay

    cdef int _segment(self, str text, CompiledLexicon base, CompiledLexicon overlay,
                      TokenBuffer* tokens, dict picks) except -1:
        cdef int kind = PyUnicode_KIND(text)
        cdef const void* data = PyUnicode_DATA(text)
        cdef Py_ssize_t n = len(text), t
        cdef const LexView* overlay_view = &overlay.view if overlay is not None else NULL
        cdef bint ok
        cdef CToken* token
        cdef const uint32_t* number_sids = self.number_sids if self.numbers else NULL
        if tokens.items == NULL:
            # about one token per 1.4 characters of text: no regrowth for most calls
            tokens.capacity = min(n - n // 4, 1 << 16) + 16
            tokens.items = <CToken*>malloc(tokens.capacity * sizeof(CToken))
            if tokens.items == NULL:
                raise MemoryError("fastpron: out of memory while segmenting")
        with nogil:
            ok = segment(&base.view, overlay_view, data, kind, n,
                         self.unknown_cost, self.other_cost, tokens, number_sids)
            if ok:
                choose_register_readings(tokens, &base.view, data, kind)
                choose_final_readings(tokens)
        if not ok:
            raise MemoryError("fastpron: out of memory while segmenting")
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

    def romanize(self, str text not None, RenderTable table not None, int options=0, dict picks=None,
                 CompiledLexicon overlay=None):
        """`text` romanised with `table`; options are the OPT_* bits."""
        return self._write(write_romanized, text, table, options, picks, overlay, WRITE_ONCE)

    def to_html(self, str text not None, RenderTable table not None, int options=0, dict picks=None,
                 CompiledLexicon overlay=None):
        """`text` as ruby HTML with `table`; options are the OPT_* bits."""
        return self._write(write_html, text, table, options, picks, overlay, WRITE_TWICE)

    def to_json(self, str text not None, RenderTable table not None, int options=0, dict picks=None,
                 CompiledLexicon overlay=None, bytes text_key=b"text", bint utf8=False,
                 bytes prefix not None=b"", bytes suffix not None=b""):
        """The tokens of `text` as a JSON array (the fields of Token.asdict, the
        token's text under `text_key`, plain ASCII); with `utf8`, as UTF-8 bytes,
        between `prefix` and `suffix` (ignored without it)."""
        table._encode()
        result = self._write(write_json, text, table, options, picks, overlay, WRITE_UTF8, text_key,
                             prefix, suffix)
        return result if utf8 else PyUnicode_DecodeUTF8(<char*>result, len(result), NULL)

    cdef _write(self, Writer writer, str text, RenderTable table, int options, dict picks,
                CompiledLexicon overlay, int mode, const char* json_key=b"text", bytes prefix=b"",
                bytes suffix=b""):
        cdef TokenBuffer tokens = TokenBuffer(NULL, 0, 0, NULL, 0, 0)
        cdef TextBuffer scratch = TextBuffer(NULL, 4, True, 0, 0, 0, 0, False, json_key)
        cdef CompiledLexicon base = self.base
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

    def annotate(self, str text not None, RenderTable table not None, int options=0, dict picks=None,
                 CompiledLexicon overlay=None):
        """A list of Token objects, readings rendered with `table`."""
        cdef TokenBuffer tokens = TokenBuffer(NULL, 0, 0, NULL, 0, 0)
        self._check_table(table, overlay)
        try:
            self._segment(text, self.base, overlay, &tokens, picks)
            return _token_list(text, &tokens, table, options)
        finally:
            free(tokens.items)
            free(tokens.pool)

    def render(self, str text not None, list jobs not None, dict picks=None, CompiledLexicon overlay=None):
        """Several outputs of `text` from one segmentation: a list with one result per job.

        A job is ``(name, table, options)``: name ``"tokens"`` (as `annotate`),
        ``"html"`` (`to_html`) or ``"text"`` (`romanize`); or ``("json", table,
        options, text_key, utf8, prefix, suffix)`` (`to_json`).  Each job has
        its own RenderTable and OPT_* bits; the text is segmented once, with
        `picks` and `overlay`, and each writer runs over the same tokens.
        """
        cdef TokenBuffer tokens = TokenBuffer(NULL, 0, 0, NULL, 0, 0)
        cdef TextBuffer scratch = TextBuffer(NULL, 4, True, 0, 0, 0, 0, False, NULL)
        cdef RenderTable table
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

    def lookup(self, str key not None):
        """Readings of `key` in the base lexicon, numbered, best first; [] if none."""
        cdef CompiledLexicon base = self.base
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
            result.append(_lexicon.join_reading(syllables))
        return result

    cdef _check_table(self, RenderTable table, CompiledLexicon overlay):
        cdef Py_ssize_t needed = len(overlay.syllables) if overlay is not None else len(self.base.syllables)
        if table.view.n_strings < needed * VARIANTS:
            raise ValueError("this RenderTable was built for a smaller syllable list")


RENDER_FORMATS = ("tokens", "html", "text", "json")     # Core.render's job names


cdef list _token_list(str text, const TokenBuffer* tokens, RenderTable table, int options):
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
