"""Readings fixed by the accuracy work, pinned with sentences of our own
(none is taken from the MOE gold file)."""

import pytest

from fastpron import Annotator


@pytest.fixture(scope="module")
def annotator():
    return Annotator()


@pytest.mark.parametrize("text, expected", [
    # preferred standalone readings (lexicon_data/preferred_readings.tsv, context "alone")
    ("我攏無閒。", "Guá lóng bô-îng."),
    ("莫去。", "Mài khì."),
    ("伊提一本冊。", "I the̍h tsi̍t pún tsheh."),
    ("這本冊是我的。", "Tsit pún tsheh sī guá ê."),
    ("伊咧食飯。", "I teh tsia̍h-pn̄g."),
    # phrase-final readings (context "final")
    ("你坐咧。", "Lí tsē leh."),
    ("我欲這。", "Guá beh tse."),
    ("你去遐。", "Lí khì hia."),
    ("伊遐爾好。", "I hiah nī hó."),
    # context picks the reading of a heteronym
    ("銀行", "Gîn-hâng"),
    ("行路", "Kiânn-lōo"),
])
def test_fixed_readings(annotator, text, expected):
    assert annotator.romanize(text) == expected


def test_phrase_final_reading_yields_to_a_pick(annotator):
    assert annotator.lookup("咧") == ["teh4", "leh4"]
    assert annotator.romanize("坐咧", picks={1: 0}) == "Tsē teh"
