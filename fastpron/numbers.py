"""Numbers: the rules that read a run of digits or Han numerals as one token.

This is the reference (pure Python) of the number reader; _segment.pyx has the
same rules in C (``number_span``), and tests compare the two.  Both work on
the key characters (the standard forms of variants.tsv) and give syllables as
indexes into SYLLABLES, numbered Tâi-lô that the lexicon's syllable table holds.

A number span starts where a digit (0-9, ０-９), a Han digit (〇零一二兩三四五
六七八九), 十, or 百分之 follows no other number character; it is the longest
run that makes one of:

* an Arabic number: digits with thousands separators (1,000), a decimal part
  (3.5), Han units after it (10萬, 3萬5千, 1.5億) and a percent sign (3.5%);
  a run that starts with 0 (0912345678, 02-2345-6789) or follows a Latin
  letter and has at least 5 digits (A123456789) is a phone or ID number,
  read digit by digit; digits next to a Latin letter otherwise (H1N1, MP3, 5G)
  are no number; 3 digits or more before 年 are a year, read digit by digit.
* a Han number: a well-formed positional number of 2 characters or more
  (二十, 一百零五, 三萬五, 兩千), or one that is followed by 月 (一月) or has a
  decimal part (一點五, 三點一四) or is a fraction (三分之一) or follows 百分之
  (百分之五十); or 3 Han digits or more without units, read digit by digit
  (一九九六, 二〇二四, 一一九).  Anything else (一, 一二, 千萬, 萬一, 一五一十)
  is no number: the lexicon reads it.

Readings, as news and speech say them:

* digit by digit (years, phone numbers, 一九九六): literary digits,
  khòng it jī sam sù ngóo lio̍k tshit pat kiú;
* quantities: colloquial, tsi̍t nn̄g sann sì gōo la̍k tshit peh káu tsa̍p; 1 and
  2 before 百千萬億 are tsi̍t, nn̄g (一百 tsi̍t-pah, 兩千 nn̄g-tshing), before 十
  jī (二十 jī-tsa̍p), and the last digit of a longer number is it, jī
  (十一 tsa̍p-it, 二十二 jī-tsa̍p-jī); a gap of zeros is khòng (一百空五);
* a month written in one Han numeral (一月 .. 十月) is one token with 月,
  it-gue̍h, that costs MONTH_COST, so a longer lexicon word (五月節) wins;
  not before 日 (一月日 tsi̍t gue̍h-ji̍t, a month's time);
* a number of one digit is tsi̍t, nn̄g (1個, 2點, 1分) unless it is an ordinal
  or names a date: after 第, before 月 日 號 樓, before a decimal point, in a
  fraction or a percentage, it is it, jī (第1 tē-it, 1月 it-gue̍h, 1.5 it-tiám-gōo);
* decimals: the digits after 點 one by one (3.14 sann-tiám-it-sì);
  percentages: pah-hun-tsi first (3.5% pah-hun-tsi-sann-tiám-gōo);
  fractions: 三分之一 sann-hun-tsi-it.

The segmenter prefers a number span to any lexicon word that overlaps it
(NUMBER_COST is far below any word's cost).  Spans never overlap: the next
one is looked for after the end of the last one found.  分 right after a
number is part of it, read hun (30分, 10點30分: tsa̍p tiám sann-tsa̍p-hun).
"""

from __future__ import annotations

SYLLABLES = ("khong3", "it4", "ji7/li7", "sam1", "su3", "ngoo2", "liok8", "tshit4", "pat4", "kiu2",
             "tsit8", "nng7", "sann1", "si3", "goo7", "lak8", "peh4/pueh4", "kau2",
             "tsap8", "pah4", "tshing1", "ban7", "ik4", "tiam2", "hun1", "tsi1", "gueh8/geh8")
(KHONG, IT, JI, SAM, SU, NGOO, LIOK, TSHIT, PAT, KIU, TSIT, NNG, SANN, SI, GOO, LAK, PEH, KAU,
 TSAP, PAH, TSHING, BAN, IK, TIAM, HUN, TSI, GUEH) = range(len(SYLLABLES))
LITERARY = (KHONG, IT, JI, SAM, SU, NGOO, LIOK, TSHIT, PAT, KIU)
COLLOQUIAL = (KHONG, TSIT, NNG, SANN, SI, GOO, LAK, TSHIT, PEH, KAU)
ORDINAL = (KHONG, IT, JI, SANN, SI, GOO, LAK, TSHIT, PEH, KAU)
UNIT_SYLLABLES = (TSAP, PAH, TSHING, BAN, IK)

NUMBER_COST = -(1 << 24)    # per number span: below any path of lexicon words over it
MONTH_COST = 599            # a month 一月 .. 十月: below the word 一月, above a longer word (五月節)
MAX_SPAN = 64               # longest number span, in characters
MAX_SYLLABLES = 4 * MAX_SPAN

# Items of a positional number: digits 0-9, LIANG (兩), units TEN .. YI.
LIANG, TEN, HUNDRED, THOUSAND, WAN, YI = 10, 11, 12, 13, 14, 15

HAN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "兩": LIANG, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
HAN_UNITS = {"十": TEN, "百": HUNDRED, "千": THOUSAND, "萬": WAN, "億": YI}
ORDINAL_AFTER = "月日號樓"     # a one-digit number before these is an ordinal (1月 it-gue̍h)


def arabic(ch: str) -> int:
    """The value of an Arabic digit (ASCII or full-width), else -1."""
    cp = ord(ch)
    if 0x30 <= cp <= 0x39:
        return cp - 0x30
    if 0xFF10 <= cp <= 0xFF19:
        return cp - 0xFF10
    return -1


def han(ch: str) -> int:
    """A Han digit's value (LIANG for 兩), a unit's item (TEN .. YI), else -1."""
    value = HAN_DIGITS.get(ch)
    if value is None:
        value = HAN_UNITS.get(ch, -1)
    return value


def is_latin(ch: str) -> bool:
    cp = ord(ch)
    return 0x41 <= cp <= 0x5A or 0x61 <= cp <= 0x7A or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A


def is_number_char(ch: str) -> bool:
    return arabic(ch) >= 0 or han(ch) >= 0


def is_start(keys: str, i: int) -> bool:
    """Can a number span start at i?  (Only where no number run goes on.)"""
    ch = keys[i]
    value = arabic(ch)
    if value < 0:
        value = han(ch)
        if value < 0 or (value > TEN and not keys.startswith("百分之", i)):
            return False
    if i == 0:
        return True
    before = keys[i - 1]
    if is_number_char(before):
        return False
    if before in ",.．" and i >= 2 and arabic(keys[i - 2]) >= 0:
        return False
    return True


def read_positional(items, out: list, ordinal_single: bool) -> None:
    """Syllables of a positional number (digits and units), as said."""
    n = len(items)
    for k, item in enumerate(items):
        if item >= TEN:
            out.append(UNIT_SYLLABLES[item - TEN])
            continue
        if item == LIANG:
            out.append(NNG)
            continue
        following = items[k + 1] if k + 1 < n else -1
        previous = items[k - 1] if k > 0 else -1
        if item == 0:
            out.append(KHONG)
        elif following == TEN:
            out.append(TSIT if item == 1 else JI if item == 2 else COLLOQUIAL[item])
        elif following >= HUNDRED and not (following >= WAN and previous == TEN):
            out.append(COLLOQUIAL[item])
        elif k == 0 and not ordinal_single:
            out.append(COLLOQUIAL[item])
        else:
            out.append(ORDINAL[item])


def arabic_items(digits) -> list:
    """An Arabic integer (its digit values) as positional items: 2024 -> 2 千 0 2 十 4."""
    k = 0
    while k < len(digits) - 1 and digits[k] == 0:
        k += 1
    digits = digits[k:]
    if digits == [0]:
        return [0]
    n = len(digits)
    items: list = []
    emitted = pending = group_nonzero = False
    for k, d in enumerate(digits):
        power = n - 1 - k
        place, group = power % 4, power // 4
        if d == 0:
            if emitted:
                pending = True
        else:
            if pending:
                items.append(0)
                pending = False
            if place == 1 and d == 1 and not emitted:
                items.append(TEN)
            else:
                items.append(d)
                if place:
                    items.append(TEN + place - 1)
            emitted = group_nonzero = True
        if place == 0 and group > 0:
            if group_nonzero:
                items.append(WAN + group - 1)
            group_nonzero = False
    return items


def han_positional_ok(items) -> bool:
    """Is this run of Han digits and units a well-formed number?"""
    n = len(items)
    if n == 0 or items[0] > TEN or items[0] == 0:
        return False
    for k, item in enumerate(items):
        following = items[k + 1] if k + 1 < n else -1
        if item <= LIANG:
            if 0 <= following <= LIANG and item != 0:
                return False                    # two digits in a row: 一二, 一五一十
            if item == 0 and not (0 < following <= 9):
                return False                    # 零 goes before a digit
            if item == LIANG and following == TEN:
                return False
        elif following > LIANG and not (following >= WAN and following > item):
            return False                        # 百萬, 千萬, 十萬 only
    return True


def _han_run(keys: str, i: int, n: int) -> int:
    j = i
    while j < n and j - i < MAX_SPAN and han(keys[j]) >= 0:
        j += 1
    return j


def _decimal(keys: str, j: int, n: int, han_digits: bool) -> int:
    """The end of a decimal part 點五 / .5 starting at j, or j if there is none."""
    if j + 1 >= n:
        return j
    if han_digits:
        if keys[j] != "點":
            return j
        k = j + 1
        while k < n and k - j < MAX_SPAN and 0 <= han(keys[k]) <= 9:
            k += 1
        if k == j + 1:
            return j
        if k < n and (keys[k] in "分鐘" or TEN <= han(keys[k]) <= THOUSAND or han(keys[k]) == LIANG):
            return j                            # 三點五分, 十點三十分: a clock time
        return k
    if keys[j] not in ".．" or arabic(keys[j + 1]) < 0:
        return j
    k = j + 1
    while k < n and k - j < MAX_SPAN and arabic(keys[k]) >= 0:
        k += 1
    return k


def _read_decimal(keys: str, start: int, end: int, out: list, han_digits: bool) -> None:
    out.append(TIAM)
    for k in range(start + 1, end):
        out.append(ORDINAL[han(keys[k]) if han_digits else arabic(keys[k])])


def number_span(keys: str, i: int) -> tuple[int, list, int] | None:
    """(end, syllables, cost) of the number span starting at i, or None.  Call
    it only where is_start(keys, i)."""
    span = _number_span(keys, i)
    if span is None:
        return None
    end, out = span
    if end - i == 1 and han(keys[i]) >= 0 and end < len(keys) and keys[end] == "月":
        if keys.startswith("日", end + 1):
            return None
        if not (i > 0 and keys[i - 1] == "第"):
            # 一月 .. 十月, a month: the token takes 月 and competes with the lexicon's words
            return end + 1, out + [GUEH], MONTH_COST
    return end, out, NUMBER_COST


def _number_span(keys: str, i: int) -> tuple[int, list] | None:
    n = len(keys)
    limit = min(n, i + MAX_SPAN)
    ordinal = i > 0 and keys[i - 1] == "第"
    out: list = []
    if arabic(keys[i]) >= 0:
        return _arabic_span(keys, i, limit, ordinal)
    if keys.startswith("百分之", i):
        out = [PAH, HUN, TSI]
        start = i + 3
        if start >= limit or not is_start(keys, start) or han(keys[start]) < 0:
            return None
        end = _han_number(keys, start, limit, out, True, True)
        return (end, out) if end > start else None
    end = _han_number(keys, i, limit, out, ordinal, False)
    if end <= i:
        return None
    if keys.startswith("分之", end) and end + 2 < limit and 0 <= han(keys[end + 2]) <= TEN:
        tail = [HUN, TSI]
        fraction_end = _han_number(keys, end + 2, limit, tail, True, True)
        if fraction_end > end + 2:
            return fraction_end, _ordinal_reread(keys, i, end, out) + tail
    return _minutes(keys, end, limit, out)


def _minutes(keys: str, end: int, limit: int, out: list) -> tuple[int, list]:
    """分 after a number is a minute or a point, hun (30分, 十點三十分), not a fraction's 分之."""
    if end < limit and keys[end] == "分" and not keys.startswith("分之", end):
        out.append(HUN)
        end += 1
    return end, out


def _ordinal_reread(keys, i, end, out):
    """A fraction's denominator reads 1 and 2 as it, jī: read it again so."""
    again: list = []
    _han_number(keys, i, end, again, True, True)
    return again


def _han_number(keys: str, i: int, limit: int, out: list, ordinal: bool, any_length: bool) -> int:
    """Read a Han number at i into out; its end, or i (out untouched) if there is none."""
    j = _han_run(keys, i, limit)
    items = [han(ch) for ch in keys[i:j]]
    if j - i >= 3 and all(0 <= item <= 9 for item in items):
        out.extend(LITERARY[item] for item in items)
        return j
    if not han_positional_ok(items):
        return i
    end = _decimal(keys, j, limit, True)
    if end > j:
        if items[-1] >= TEN and items[-1] != TEN:
            return i                            # 一百點五: not a decimal we read
        read_positional(items, out, True)
        _read_decimal(keys, j, end, out, True)
        if end < limit and han(keys[end]) in (WAN, YI):
            out.append(UNIT_SYLLABLES[han(keys[end]) - TEN])
            end += 1
        return end
    if j - i >= 2 or any_length or (j < limit and keys[j] == "月") or keys.startswith("分之", j):
        following = keys[j] if j < len(keys) else ""
        read_positional(items, out, ordinal or (following != "" and following in ORDINAL_AFTER))
        return j
    return i


def _arabic_span(keys: str, i: int, limit: int, ordinal: bool) -> tuple[int, list] | None:
    n = len(keys)
    j = i
    while j < limit and arabic(keys[j]) >= 0:
        j += 1
    after_latin = i > 0 and is_latin(keys[i - 1])
    if after_latin or (j < n and is_latin(keys[j])):
        if not after_latin or j - i < 5 or (j < n and is_latin(keys[j])):
            return None
        return j, [LITERARY[arabic(ch)] for ch in keys[i:j]]
    digits = [arabic(ch) for ch in keys[i:j]]
    if digits[0] == 0 and j - i >= 2 and not (j < n and keys[j] in ".．"):
        # a phone number: digit groups joined by hyphens
        out = [LITERARY[d] for d in digits]
        while j + 1 < limit and keys[j] == "-" and arabic(keys[j + 1]) >= 0:
            j += 1
            while j < limit and arabic(keys[j]) >= 0:
                out.append(LITERARY[arabic(keys[j])])
                j += 1
        return j, out
    if j - i >= 3 and j < n and keys[j] == "年":
        return j, [LITERARY[d] for d in digits]
    if j - i > 12:
        return j, [LITERARY[d] for d in digits]
    # thousands separators: a comma before exactly three digits
    while (j + 3 < limit and keys[j] == "," and all(arabic(keys[k]) >= 0 for k in range(j + 1, j + 4))
           and not (j + 4 < n and arabic(keys[j + 4]) >= 0) and len(digits) + 3 <= 12):
        digits.extend(arabic(keys[k]) for k in range(j + 1, j + 4))
        j += 4
    items = arabic_items(digits)
    out: list = []
    end = _decimal(keys, j, limit, False)
    if end > j:
        read_positional(items, out, True)
        _read_decimal(keys, j, end, out, False)
        j = end
        if j < limit and han(keys[j]) in (WAN, YI):
            out.append(UNIT_SYLLABLES[han(keys[j]) - TEN])
            j += 1
    else:
        # Han units after the digits: 10萬, 3萬5千
        while j < limit and han(keys[j]) >= TEN:
            k = j
            while k < limit and han(keys[k]) >= TEN:
                items.append(han(keys[k]))
                k += 1
            j = k
            if j < limit and arabic(keys[j]) >= 0:
                k = j
                while k < limit and arabic(keys[k]) >= 0:
                    k += 1
                if k - j > 4:
                    break                       # a group of at most 4 digits after a unit
                items.extend(arabic_items([arabic(ch) for ch in keys[j:k]]))
                j = k
        following = keys[j] if j < n else ""
        read_positional(items, out, ordinal or (following != "" and following in ORDINAL_AFTER + "%％"))
    if j < limit and keys[j] in "%％":
        return j + 1, [PAH, HUN, TSI] + out
    return _minutes(keys, j, limit, out)
