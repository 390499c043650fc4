"""fastpron.glossary: Mandarin glosses of readings, and words found by their romanisation."""

import pytest

from fastpron import glossary


def test_each_reading_has_its_own_gloss():
    assert glossary.gloss("講", "kong2") == "說情；講"
    assert glossary.gloss("講", "kang2") == "講"
    assert glossary.glosses("行", ["kiann5", "hing7"]) == ["交往；行；行駛", "小聰明"]


def test_variants_south_north_pairs_and_missing_glosses():
    assert glossary.gloss("臺灣", "Tai5-uan5") == "台灣"          # variant character, capital
    assert glossary.gloss("先生", "sian1-senn1/*sinn1") == "丈夫；先生；老師；大夫"
    assert glossary.gloss("𠔜", "ta5") == ""


def test_taihoa_glosses_win_and_itaigi_fills_the_gaps():
    # iTaigi alone glosses 㝗港
    assert glossary.gloss("㝗港", "lang2-kang2") == "逃走"


@pytest.mark.parametrize("query", ["tâi-uân", "Tâi-uân", "tai5-uan5", "TAI5-UAN5", "tâi-oân", "tai5 uan5"])
def test_find_by_reading_with_tones(query):
    assert glossary.find_by_reading(query) == [("台灣", "Tai5-uan5")]


@pytest.mark.parametrize("query", ["taiuan", "tai-uan", "tai uan", "taioan"])
def test_find_by_reading_without_tones_finds_every_tone(query):
    assert glossary.find_by_reading(query)[:2] == [("台灣", "Tai5-uan5"), ("大員", "Tai7-uan5")]


def test_find_by_reading_poj_spellings_and_nothing_for_english():
    assert glossary.find_by_reading("chia̍h-pá") == [("食飽", "tsiah8-pa2")]
    assert ("烏", "oo1") in glossary.find_by_reading("o͘")
    assert glossary.find_by_reading("hello") == []
    assert glossary.find_by_reading("") == []
