# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True, initializedcheck=False
"""The model stage of the native core: the register model (lexicon.RegisterModel
is its reference) scores each sentence, and a sentence that reads as news takes
its tokens' news readings; a token at the end of a phrase takes its final reading.
"""

from libc.stdint cimport uint32_t, uint64_t, int32_t, int64_t
from libc.stdlib cimport realloc, free
from libc.string cimport memcpy

from fastpron._lookup cimport (LexView, PyUnicode_READ, record_readings, record_reading, pair_cell, pair_may_exist,
                               register_ready, is_han, standard_char, BMP_SIZE, SLOT_FINAL, SLOT_NEWS, READING_FINAL,
                               READING_NEWS, PAIR_WEIGHT_BITS, PAIR_WEIGHT_BIAS)
from fastpron._segment cimport CToken, TokenBuffer, KIND_OTHER, KIND_CHAR, KIND_WORD, KIND_NUMBER

from fastpron import binary as _binary

# How much a sentence's own register score counts against its paragraph's; one value for the core and the reference.
cdef double REGISTER_SENTENCE_SHARE = _binary.REGISTER_SENTENCE_SHARE


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


cdef inline bint pair_weight(const LexView* lex, Py_UCS4 first, Py_UCS4 second, int32_t* weight) noexcept nogil:
    """The weight of `second` after `first`, from the pair table; False if the model lacks the pair.
    A cell is the pair's key << PAIR_WEIGHT_BITS | its weight + PAIR_WEIGHT_BIAS (0: empty)."""
    cdef uint64_t key = ((<uint64_t>first + 1) << 21) | <uint64_t>second
    cdef uint64_t at = pair_cell(lex, first, second)
    cdef uint64_t cell
    if not pair_may_exist(lex, first, second):
        return False
    while True:
        cell = lex.register_pairs[at]
        if cell == 0:
            return False
        if cell >> PAIR_WEIGHT_BITS == key:
            weight[0] = <int32_t>(cell & ((1 << PAIR_WEIGHT_BITS) - 1)) - PAIR_WEIGHT_BIAS
            return True
        at = (at + 1) & lex.register_mask


cdef void sentence_score(const LexView* lex, const void* data, int kind, Py_ssize_t start, Py_ssize_t end,
                         int64_t* total, int64_t* n) noexcept nogil:
    """lexicon.RegisterModel.score over the Han characters of text[start:end], in standard form:
    the sum of their weights and their number."""
    cdef int32_t weight
    cdef Py_ssize_t i
    cdef Py_UCS4 cp, previous = 0
    total[0] = n[0] = 0
    for i in range(start, end):
        cp = standard_char(lex, PyUnicode_READ(kind, data, i))
        if not is_han(cp):
            continue
        if n[0] == 0:
            total[0] += char_weight(lex, cp)
        elif pair_weight(lex, previous, cp, &weight):
            total[0] += weight
        else:
            total[0] += char_weight(lex, cp) + lex.register_unseen_pair
        previous = cp
        n[0] += 1


cdef inline bint reads_as_news(const LexView* lex, int64_t total, int64_t n, int64_t paragraph_total,
                               int64_t paragraph_n) noexcept nogil:
    """lexicon.RegisterModel.reads_as_news: a sentence's mean weight, mixed with its paragraph's
    (the sentences that have a news reading) when there are others, above the threshold."""
    if n == 0:
        return False
    if n == paragraph_n:
        return total > <int64_t>lex.register_threshold * n
    return (REGISTER_SENTENCE_SHARE * total / n + (1.0 - REGISTER_SENTENCE_SHARE) * paragraph_total / paragraph_n
            > lex.register_threshold)


cdef inline int news_reading(const uint32_t* record) noexcept nogil:
    """The reading flagged READING_NEWS, other than the first; 0 if none."""
    cdef int r
    for r in range(1, <int>record_readings(record)):
        if record_reading(record, r)[0] & READING_NEWS:
            return r
    return 0


cdef inline bint has_news_reading(const CToken* token) noexcept nogil:
    return token.slot_flags & SLOT_NEWS and token.kind != KIND_NUMBER


cdef inline bint ends_sentence_token(const CToken* token, const void* data, int kind) noexcept nogil:
    return token.kind == KIND_OTHER and ends_register_sentence(data, kind, token.start, token.end)


cdef struct ScoredSentence:
    Py_ssize_t first       # its first token with a news reading
    Py_ssize_t end         # one past its last token
    int64_t total          # sentence_score
    int64_t n


cdef inline bint ends_paragraph_token(const CToken* token, const void* data, int kind) noexcept nogil:
    cdef Py_ssize_t i
    if token.kind != KIND_OTHER:
        return False
    for i in range(token.start, token.end):
        if PyUnicode_READ(kind, data, i) == 0x0A:
            return True
    return False


cdef void choose_in_paragraph(TokenBuffer* tokens, const LexView* lex, const ScoredSentence* sentences,
                              Py_ssize_t count) noexcept nogil:
    """The news readings of the scored sentences of one paragraph that read as news."""
    cdef int64_t paragraph_total = 0, paragraph_n = 0
    cdef Py_ssize_t k, u
    cdef int r
    cdef CToken* items = tokens.items
    for k in range(count):
        paragraph_total += sentences[k].total
        paragraph_n += sentences[k].n
    for k in range(count):
        if reads_as_news(lex, sentences[k].total, sentences[k].n, paragraph_total, paragraph_n):
            for u in range(sentences[k].first, sentences[k].end):
                if has_news_reading(&items[u]):
                    r = news_reading(items[u].record)
                    if r:
                        items[u].choice = r


cdef bint choose_register_readings(TokenBuffer* tokens, const LexView* lex, const void* data,
                                   int kind) noexcept nogil:
    """In each sentence that reads as news, a token takes its READING_NEWS reading.

    A sentence runs up to and including a token of other text that ends it (。！？!?
    or a line break).  Only the sentences around tokens that have a news reading are
    found and scored: most text is never looked at twice.  A paragraph (up to a line
    break) has one register, so a sentence's score is mixed with those of the scored
    sentences of its paragraph (reads_as_news); a line break stays a hard boundary.

    Returns False, having changed nothing, when a token has a news reading but the
    model's tables are not built yet: the caller builds them (CompiledLexicon.build_register,
    under the GIL) and calls again."""
    cdef Py_ssize_t t = 0, first, end, count = 0, capacity = 64
    cdef CToken* items = tokens.items
    cdef ScoredSentence on_stack[64]
    cdef ScoredSentence* sentences = on_stack
    cdef ScoredSentence* grown
    cdef bint ready
    if lex.n_register == 0:
        return True
    ready = register_ready(lex)
    while t < tokens.length:
        if not has_news_reading(&items[t]):
            if count and ends_paragraph_token(&items[t], data, kind):
                choose_in_paragraph(tokens, lex, sentences, count)
                count = 0
            t += 1
            continue
        if not ready:
            return False                       # before anything is allocated: the first sentence found
        first = t
        while first > 0 and not ends_sentence_token(&items[first - 1], data, kind):
            first -= 1
        end = t + 1
        while end < tokens.length and not ends_sentence_token(&items[end - 1], data, kind):
            end += 1
        if count == capacity:
            grown = <ScoredSentence*>realloc(sentences if sentences != on_stack else NULL,
                                             2 * capacity * sizeof(ScoredSentence))
            if grown == NULL:                  # out of memory: the sentences so far make a paragraph
                choose_in_paragraph(tokens, lex, sentences, count)
                count = 0
            else:
                if sentences == on_stack:
                    memcpy(grown, on_stack, capacity * sizeof(ScoredSentence))
                sentences, capacity = grown, 2 * capacity
        sentences[count].first, sentences[count].end = t, end
        sentence_score(lex, data, kind, items[first].start, items[end - 1].end,
                       &sentences[count].total, &sentences[count].n)
        count += 1
        t = end
        if ends_paragraph_token(&items[end - 1], data, kind):
            choose_in_paragraph(tokens, lex, sentences, count)
            count = 0
    if count:                                  # (also spares GCC a false "uninitialized" warning)
        choose_in_paragraph(tokens, lex, sentences, count)
    if sentences != on_stack:
        free(sentences)
    return True


# ---------------------------------------------------------------- phrase ends

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
