"""The register model (lexicon_data/learn_register.py): a sentence that reads as news takes
the news corpus's readings (佮 kap), any other sentence the dictionaries' (佮 kah)."""

import pathlib
import sys

import pytest

from fastpron import Annotator, lexicon
from fastpron.reference import ReferenceAnnotator

sys.path.insert(0, str(pathlib.Path(__file__).parent / "fuzz"))
from fuzzlib import small_tsv  # noqa: E402

NEWS = "行政院今仔日表示，政府會繼續推動經濟佮社會的發展。"
SPEECH = "我佮伊去食飯。"


def test_a_news_sentence_takes_the_news_reading(native, reference):
    for annotator in (native, reference):
        assert annotator.romanize(NEWS) == ("Hîng-tsìng-īnn kin-á-ji̍t piáu-sī, tsìng-hú ē kè-sio̍k thui-tōng "
                                            "king-tsè kap siā-huē ê huat-tián.")
        assert annotator.romanize(SPEECH) == "Guá kah i khì tsia̍h-pn̄g."


def readings_of_kah(annotator, text):
    return [t.reading for t in annotator.annotate(text) if t.text == "佮"]


def test_each_sentence_is_read_with_its_paragraph(native, reference):
    """A paragraph has one register: 阮佮恁無仝款 alone is everyday speech (佮 kah); after a
    news sentence its score is mixed with theirs, and it reads as news (kap).  A line break
    ends the paragraph."""
    alone = "阮佮恁無仝款。"
    for annotator in (native, reference):
        assert readings_of_kah(annotator, alone) == ["kah"]
        assert readings_of_kah(annotator, NEWS + alone) == ["kap", "kap"]
        assert readings_of_kah(annotator, NEWS + "\n" + alone) == ["kap", "kah"]


def test_a_sentence_far_from_its_paragraph_s_register_keeps_its_own(native, reference):
    for annotator in (native, reference):
        assert readings_of_kah(annotator, SPEECH + NEWS + SPEECH) == ["kah", "kap", "kah"]
        assert readings_of_kah(annotator, SPEECH + "\n" + NEWS + "\n" + SPEECH) == ["kah", "kap", "kah"]


def test_a_paragraph_of_more_sentences_than_the_core_keeps_on_its_stack(native, reference):
    """The core scores 64 sentences of a paragraph on its stack, then on the heap: the
    paragraph's mean is all of theirs.  In 80 sentences, 8 news ones are enough to read
    as news, wherever they stand, and 7 are not; 32 carry the everyday ones along."""
    for annotator in (native, reference):
        assert readings_of_kah(annotator, NEWS * 8 + SPEECH * 72) == ["kap"] * 8 + ["kah"] * 72
        assert readings_of_kah(annotator, SPEECH * 72 + NEWS * 8) == ["kah"] * 72 + ["kap"] * 8
        assert readings_of_kah(annotator, SPEECH * 73 + NEWS * 7) == ["kah"] * 80
        assert readings_of_kah(annotator, SPEECH * 48 + NEWS * 32) == ["kap"] * 80


def test_a_pick_outweighs_the_register(native, reference):
    at = NEWS.index("佮")
    for annotator in (native, reference):
        token = next(t for t in annotator.annotate(NEWS) if t.start == at)
        assert token.choice != 0 and token.reading == "kap"
        assert "king-tsè kah siā-huē" in annotator.romanize(NEWS, picks={at: 0})


def test_the_model_of_the_small_lexicon(tmp_path):
    # 銀 1000, 銀行 2000, 行人 unseen (-100 + 人's unknown 0): 2,900 > 500 × 3, news: 人 jîn.
    tsv = small_tsv(tmp_path)
    model = lexicon.read_register(lexicon.register_path(tsv))
    assert model.is_news("銀行人") and not model.is_news("人") and not model.is_news("")
    assert model.score("銀行人") == (2900, 3) and model.score("人行路") == (-200, 3)
    # A sentence's mean counts 0.3 against its text's, unless it is the whole text:
    assert model.reads_as_news(0, 1, 2900, 4)                 # 0.3 × 0 + 0.7 × 2,900 / 4 = 507.5 > 500
    assert not model.reads_as_news(-200, 3, 2700, 6)         # 0.3 × -200 / 3 + 0.7 × 2,700 / 6 = 295
    assert not model.reads_as_news(0, 1, 0, 1)
    for annotator in (Annotator(lexicon=tsv), ReferenceAnnotator(lexicon=tsv)):
        assert annotator.romanize("人。") == "Lâng."
        assert annotator.romanize("銀行人。人。") == "Gîn-hâng jîn. Jîn."
        assert annotator.romanize("銀行人。人行路。") == "Gîn-hâng jîn. Lâng kiânn-lōo."
        assert annotator.romanize("人行路") == "Lâng kiânn-lōo"         # 0 - 100 - 100 < 500 × 3


def test_the_model_tables_are_built_by_the_first_text_that_needs_them():
    """Not at load (a start-up's first sentence seldom needs them); under the GIL, once,
    however many threads ask at the same time; the readings are the same either way."""
    from concurrent.futures import ThreadPoolExecutor
    annotator = Annotator()
    lexicon_ = annotator._core.base_lexicon
    assert not lexicon_.register_tables_built
    assert annotator.romanize("先生講，學生恬恬聽。") == "Sian-sinn kóng, ha̍k-sing tiām-tiām thiann."
    assert not lexicon_.register_tables_built                     # no word there has a news reading
    assert annotator.romanize(SPEECH) == "Guá kah i khì tsia̍h-pn̄g."
    assert lexicon_.register_tables_built                         # 佮 has one: the sentence is scored
    annotator = Annotator()
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(annotator.romanize, [SPEECH + NEWS + SPEECH] * 8))
    assert annotator._core.base_lexicon.register_tables_built
    assert set(results) == {Annotator().romanize(SPEECH + NEWS + SPEECH)}
    assert "kap" in results[0] and "kah" in results[0]


def test_a_user_word_has_no_news_reading(tmp_path):
    annotator = Annotator(lexicon=small_tsv(tmp_path))
    annotator.add_word("人", "lâng", "jîn")
    assert annotator.romanize("銀行人") == "Gîn-hâng lâng"


@pytest.mark.parametrize("text, message", [
    ("chars\tweight\n#threshold\t1\n\t0\n", "#unseen_pair"),
    ("chars\tweight\n#threshold\t1\n#unseen_pair\t0\n\t0\n台灣人\t1\n", "one or two characters"),
    ("chars\tweight\n#threshold\tmany\n", "not an integer"),
    ("hanji\tweight\n", "header"),
])
def test_a_bad_register_file_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "register.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=message):
        lexicon.read_register(path)
