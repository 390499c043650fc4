# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The segmentation stage of the native core: the token buffer, the number
reader (fastpron/numbers.py is its reference) and the best-path segmenter.

The algorithm is the one in fastpron/reference.py.  It runs without the GIL
and reads the lexicon through the inline look-ups of _lookup.pxd.
"""

from libc.stdint cimport uint8_t, uint32_t, int32_t, int64_t
from libc.stdlib cimport malloc, realloc, free, calloc

from fastpron._lookup cimport (LexView, PyUnicode_READ, prefetch, find, prefetch_second, key_char, is_han,
                               BMP_SIZE, NO_PARENT, SLOT_EXTENDS, SLOT_INDEX, SLOT_HAS_READINGS, SLOT_REMOVED)

cdef extern from *:
    """
    #define FP_INFINITE_COST 0x3FFFFFFFFFFFFFFFLL
    """
    const int64_t INFINITE_COST "FP_INFINITE_COST"

cdef enum:
    PREFETCH_DISTANCE = 3   # characters ahead: about one memory latency of segmenter work


# ---------------------------------------------------------------- tokens

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


# ---------------------------------------------------------------- numbers
# The number reader: fastpron/numbers.py is its reference and says the rules.
# It works on a copy of the key characters around the span (NumberText) and
# gives indexes into numbers.SYLLABLES, which Core maps to syllable ids.

cdef enum:
    NUMBER_MAX_SPAN = 64          # numbers.MAX_SPAN
    NUMBER_MAX_SYLLABLES = 256    # numbers.MAX_SYLLABLES
    NUMBER_BEFORE = 2             # characters copied before the span's start
    NUMBER_WINDOW = NUMBER_MAX_SPAN + 8
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
