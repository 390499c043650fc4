"""Tone sandhi (sandhi="auto"): the general rule, tone groups, and 仔前變調."""

import pytest

from fastpron import Annotator
from fastpron.systems import Dialect, sandhi_syllable


@pytest.fixture(scope="module")
def annotator():
    return Annotator()


@pytest.mark.parametrize("syllable, south, north", [
    ("tong1", "tong7", "tong7"), ("tong2", "tong1", "tong1"), ("tong3", "tong2", "tong2"),
    ("tong5", "tong7", "tong3"), ("tong7", "tong3", "tong3"),
    ("tok4", "tok8", "tok8"), ("tok8", "tok4", "tok4"), ("toh4", "toh2", "toh2"), ("toh8", "toh3", "toh3"),
    ("--ah4", "--ah4", "--ah4"),
])
def test_general_rule(syllable, south, north):
    assert sandhi_syllable(syllable, Dialect.SOUTH) == south
    assert sandhi_syllable(syllable, Dialect.NORTH) == north


@pytest.mark.parametrize("syllable, before_a", [
    ("in3", "in1"), ("toh4", "toh1"), ("oo7", "oo7"), ("tsioh8", "tsioh7"),
    ("ke1", "ke7"), ("i2", "i1"), ("lang5", "lang7"), ("liap8", "liap4"),
])
def test_before_the_suffix_a(syllable, before_a):
    assert sandhi_syllable(syllable, Dialect.SOUTH, before_a=True) == before_a
    assert sandhi_syllable(syllable, Dialect.NORTH, before_a=True) == sandhi_syllable(syllable, Dialect.NORTH)


@pytest.mark.parametrize("text, expected", [
    ("台灣", "Tāi-uân"),                   # all but the last syllable change
    ("台灣，台灣。", "Tāi-uân, Tāi-uân."),   # punctuation ends a tone group
    ("無去", "Bô--khì"),                   # a neutral tone ends the group before it
    ("印仔", "In-á"),                      # 3 -> 1 before á, not 3 -> 2
    ("印章", "Ín-tsiong"),                 # the general 3 -> 2
    ("芋仔", "Ōo-á"),                      # 7 stays before á
    ("石仔", "Tsiōh-á"),                   # -h 8 -> 7 before á
    ("桌仔", "Toh-á"),                     # -h 4 -> 1 before á
])
def test_sandhi_in_text(annotator, text, expected):
    assert annotator.romanize(text, sandhi="auto") == expected


def test_north_has_no_special_rule_before_a(annotator):
    assert annotator.romanize("印仔", sandhi="auto", dialect="north") == "Ín-á"
    assert annotator.romanize("台灣", sandhi="auto", dialect="north") == "Tài-uân"


def test_neutral_tone_ends_the_group_in_every_system(annotator):
    # The citation tone of 無 (5) stays before the neutral 去, whatever the system shows.
    assert annotator.romanize("無去", sandhi="auto", system="ipa") == annotator.romanize("無去", system="ipa")
    assert annotator.romanize("無去", sandhi="auto", tones="numbers") == "Bo5--khi3"
