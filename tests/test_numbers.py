"""Numbers (fastpron/numbers.py): the reading rules, by tables of our own
sentences, and the core against the reference on number-heavy text.

Readings are numbered Tâi-lô, one number token's syllables joined by "-",
as `Annotator(tones="numbers")` would write them; each table row gives the
text and the readings of its number tokens, in order.
"""

import json
import random

import pytest

import fastpron
from fastpron import numbers


def number_readings(annotator, text):
    return [(t.text, t.reading) for t in annotator.annotate(text, tones="numbers") if t.kind == "number"]


def case(text, *readings):
    return pytest.param(text, list(readings), id=text)


YEARS = [
    case("一九九六年", ("一九九六", "it4-kiu2-kiu2-liok8")),
    case("1996年", ("1996", "it4-kiu2-kiu2-liok8")),
    case("二〇二四年的春天", ("二〇二四", "ji7-khong3-ji7-su3")),
    case("伊是2008年出世的", ("2008", "ji7-khong3-khong3-pat4")),
    case("民國113年", ("113", "it4-it4-sam1")),
    case("三年", ),                                   # a quantity of one numeral: the lexicon reads it
]
DATES = [
    case("2024年3月5日", ("2024", "ji7-khong3-ji7-su3"), ("3", "sann1"), ("5", "goo7")),
    case("1月1日開始", ("1", "it4"), ("1", "it4")),
    case("2月28號", ("2", "ji7"), ("28", "ji7-tsap8-peh4")),
    case("一月", ("一月", "it4-gueh8")),
    case("十二月二十五日", ("十二", "tsap8-ji7"), ("二十五", "ji7-tsap8-goo7")),
    case("五月節", ),                                 # a lexicon word beats the month
    case("一月日", ),                                 # 月日: a month's time, not January
]
TIMES = [
    case("10點30分", ("10", "tsap8"), ("30分", "sann1-tsap8-hun1")),
    case("十點三十分", ("三十分", "sann1-tsap8-hun1")),
    case("2點", ("2", "nng7")),
    case("考90分", ("90分", "kau2-tsap8-hun1")),
]
MONEY = [
    case("1,000箍", ("1,000", "tsit8-tshing1")),
    case("12,500元", ("12,500", "tsit8-ban7-nng7-tshing1-goo7-pah4")),
    case("10萬", ("10萬", "tsap8-ban7")),
    case("3萬5千", ("3萬5千", "sann1-ban7-goo7-tshing1")),
    case("1.5億", ("1.5億", "it4-tiam2-goo7-ik4")),
    case("一百箍", ("一百", "tsit8-pah4")),
    case("兩千箍", ("兩千", "nng7-tshing1")),
    case("三萬五", ("三萬五", "sann1-ban7-goo7")),
    case("一百零五", ("一百零五", "tsit8-pah4-khong3-goo7")),
    case("105", ("105", "tsit8-pah4-khong3-goo7")),
    case("120000", ("120000", "tsap8-ji7-ban7")),
    case("20000", ("20000", "nng7-ban7")),
    case("200", ("200", "nng7-pah4")),
    case("22", ("22", "ji7-tsap8-ji7")),
    case("10", ("10", "tsap8")),
    case("11", ("11", "tsap8-it4")),
    case("100005", ("100005", "tsap8-ban7-khong3-goo7")),
    case("一點五億", ("一點五億", "it4-tiam2-goo7-ik4")),
]
PERCENTAGES = [
    case("3.5%", ("3.5%", "pah4-hun1-tsi1-sann1-tiam2-goo7")),
    case("20%", ("20%", "pah4-hun1-tsi1-ji7-tsap8")),
    case("2％", ("2％", "pah4-hun1-tsi1-ji7")),
    case("百分之五十", ("百分之五十", "pah4-hun1-tsi1-goo7-tsap8")),
    case("百分之二", ("百分之二", "pah4-hun1-tsi1-ji7")),
    case("三分之一", ("三分之一", "sann1-hun1-tsi1-it4")),
    case("二分之一", ("二分之一", "ji7-hun1-tsi1-it4")),
    case("0.5", ("0.5", "khong3-tiam2-goo7")),
    case("3.14", ("3.14", "sann1-tiam2-it4-si3")),
]
PHONES = [
    case("0912345678", ("0912345678", "khong3-kiu2-it4-ji7-sam1-su3-ngoo2-liok8-tshit4-pat4")),
    case("02-2345-6789", ("02-2345-6789", "khong3-ji7-ji7-sam1-su3-ngoo2-liok8-tshit4-pat4-kiu2")),
    case("A123456789", ("123456789", "it4-ji7-sam1-su3-ngoo2-liok8-tshit4-pat4-kiu2")),
    case("H1N1", ),                                   # digits inside a Latin code: left alone
    case("MP3", ),
    case("一一九", ("一一九", "it4-it4-kiu2")),
]
ORDINALS_AND_ONE = [
    case("第一", ),                                   # the lexicon: tē-it
    case("第1名", ("1", "it4")),
    case("第2名", ("2", "ji7")),
    case("第二十屆", ("二十", "ji7-tsap8")),
    case("1個", ("1", "tsit8")),
    case("2樓", ("2", "ji7")),
    case("一个", ),                                   # the lexicon: tsi̍t-ê
    case("一寡", ),
    case("千萬", ),                                   # no number starts with 千: tshian-bān
    case("萬一", ),
    case("十分", ),
    case("一五一十", ),                               # not a well-formed number
]
MIXED = [
    case("伊2024年買3台車，開10萬", ("2024", "ji7-khong3-ji7-su3"), ("3", "sann1"), ("10萬", "tsap8-ban7")),
    case("１２３", ("１２３", "tsit8-pah4-ji7-tsap8-sann1")),
    case("五十步笑百步", ("五十", "goo7-tsap8")),
    case("二十一世紀", ("二十一", "ji7-tsap8-it4")),
]


@pytest.mark.parametrize("text, expected", YEARS + DATES + TIMES + MONEY + PERCENTAGES + PHONES
                         + ORDINALS_AND_ONE + MIXED)
def test_number_rules(native, reference, text, expected):
    assert number_readings(native, text) == expected
    assert number_readings(reference, text) == expected


@pytest.mark.parametrize("text, lexicon_reading", [
    ("一个", "tsi̍t-ê"), ("第一", "tē-it"), ("一寡", "tsi̍t-kuá"), ("千萬", "tshian-bān")])
def test_han_numerals_the_lexicon_keeps(native, text, lexicon_reading):
    assert native.romanize(text, capitalize=False) == lexicon_reading


def test_number_token_fields(native):
    text = "車費3.5%，2024年"
    tokens = native.annotate(text)
    number = [t for t in tokens if t.kind == "number"]
    assert [(t.text, t.start, t.end) for t in number] == [("3.5%", 2, 6), ("2024", 7, 11)]
    assert number[0].syllables == ("pah", "hun", "tsi", "sann", "tiám", "gōo")
    assert number[0].reading == "pah-hun-tsi-sann-tiám-gōo"
    assert number[0].alternatives == () and number[0].choice == 0
    assert "".join(t.text for t in tokens) == text
    data = json.loads(native.to_json(text))
    assert data[1]["kind"] == "number" and data[1]["syllables"] == list(number[0].syllables)
    html = native.to_html("10萬")
    assert html == ('<span class="fp-number" data-start="0"><ruby>10萬<rp>(</rp><rt>tsa̍p-bān</rt>'
                    '<rp>)</rp></ruby></span>')
    assert native.romanize("2024年3月5日") == "Jī-khòng-jī-sù nî sann gue̍h gōo ji̍t"


def test_picks_and_offsets_around_numbers(native):
    text = "一个人10萬"
    tokens = native.annotate(text)
    person = next(t for t in tokens if t.text == "人")
    pick = {person.start: 1} if person.alternatives else {}
    picked = native.annotate(text, picks=pick)
    assert [(t.start, t.end) for t in picked] == [(t.start, t.end) for t in tokens]
    # a pick on a number token (one reading) is ignored
    number = next(t for t in tokens if t.kind == "number")
    assert native.annotate(text, picks={number.start: 1}) == tokens


def test_sandhi_across_numbers(native, reference):
    for text in ("3.5%的人", "一百个", "2024年", "十二月二十五"):
        assert native.romanize(text, sandhi="auto") == reference.romanize(text, sandhi="auto")


ALPHABET = list("0123456789０１２,.．%％-年月日號樓第點分之百十千萬億兩零〇一二三四五六七八九A H鐘元个")


def test_core_and_reference_agree_on_number_text(native, reference):
    rng = random.Random(15)
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 24)))
        if rng.random() < 0.05:
            text = "9" * rng.randint(10, 90) + text
        assert [t.astuple() for t in native.annotate(text)] == [t.astuple() for t in reference.annotate(text)], text
        assert native.to_html(text) == reference.to_html(text), text
        assert native.romanize(text) == reference.romanize(text), text


def test_every_number_syllable_is_in_the_lexicon(native):
    assert set(numbers.SYLLABLES) <= set(native._core.base_lexicon.syllables)


def test_a_lexicon_without_those_syllables_reads_no_numbers(tmp_path):
    tsv = tmp_path / "lexicon.tsv"
    tsv.write_text("hanji\treading\tsource\tweight\tcontext\n台\ttai5\tx\t1\t\n", encoding="utf-8")
    small = fastpron.Annotator(lexicon=tsv) if "lexicon" in fastpron.Annotator.__init__.__code__.co_varnames \
        else None
    if small is None:
        pytest.skip("Annotator takes no lexicon path")
    assert [t.kind for t in small.annotate("台123")] == ["char", "other"]
