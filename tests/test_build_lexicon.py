"""The learning scripts of lexicon_data/ (build_lexicon.py, learn_register.py), on data written here."""

from __future__ import annotations

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("build_lexicon", ROOT / "lexicon_data" / "build_lexicon.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)
Row = build.Row


def ranked(keys):
    return [(key, reading, register) for key, reading, _, _, _, register in build.ranked_rows(keys)]


def small_keys():
    """就 and 是 as the dictionaries read them; 就是 a dictionary word that the corpus
    mostly reads tio̍h-sī, a syllable no dictionary gives 就."""
    return {
        "就": [Row("to7", ["char"], 56), Row("tsiu7", ["char"], 40)],
        "是": [Row("si7", ["char"], 90)],
        "就是": [Row("tsiu7-si7", ["word", "icorpus"], 1, count=21), Row("tioh8-si7", ["icorpus"], 0, count=523)],
    }


def test_a_reading_with_a_syllable_no_dictionary_gives_is_news_only():
    keys = small_keys()
    build.mark_news_only(keys, build.listed_syllables(keys))
    assert [row.news_only for row in keys["就是"]] == [False, True]
    # 523 against 21 would put tio̍h-sī first; flagged, it only reads so in news sentences
    assert ranked({"就是": keys["就是"]}) == [("就是", "tsiu7-si7", ""), ("就是", "tioh8-si7", "news")]


def test_a_dictionary_syllable_still_lets_the_counts_decide():
    keys = small_keys()
    keys["就是"][1] = Row("to7-si7", ["icorpus"], 0, count=523)
    build.mark_news_only(keys, build.listed_syllables(keys))
    assert not keys["就是"][1].news_only
    assert ranked({"就是": keys["就是"]}) == [("就是", "to7-si7", ""), ("就是", "tsiu7-si7", "")]


def test_a_dictionary_reading_is_never_news_only():
    keys = small_keys()
    keys["就是"][0].reading = "tioh8-si7"       # a dictionary writes it so: its own reading stands
    build.mark_news_only(keys, build.listed_syllables(keys))
    assert not keys["就是"][0].news_only


def test_the_news_reading_is_the_corpus_s_where_fastpron_cuts(tmp_path):
    """兩 alone in the corpus's own words is mostly the weight niú (兩个, 兩斤 are its
    words); where fastpron cuts 兩 out, before a classifier, the corpus reads it nn̄g."""
    import gzip
    keys = {
        "兩": [Row("nng7", ["char", "icorpus"], 50, count=2), Row("niu2", ["char", "icorpus"], 10, count=30)],
        "斤": [Row("kin1", ["char"], 50)],
        "肉": [Row("bah4", ["char"], 50)],
    }
    assert ("兩", "niu2", "news") in ranked(keys)          # from the corpus's own words
    train = tmp_path / "train.tsv.gz"
    with gzip.open(train, "wt", encoding="utf-8") as f:
        f.write("line\thanji\ttailo\n1\t兩斤 肉 。\tnng7-kin1 bah4 。\n2\t兩斤 。\tnng7-kin1 。\n")
    where_cut = build.readings_where_cut(keys, {}, train)
    assert where_cut == {"兩": {"nng7": 2}, "斤": {"kin1": 2}, "肉": {"bah4": 1}}
    assert [(key, reading, register) for key, reading, _, _, _, register in build.ranked_rows(keys, where_cut)
            if key == "兩"] == [("兩", "nng7", ""), ("兩", "niu2", "")]


def test_the_corpus_chooses_between_a_character_s_readings_the_dictionaries_give_nearly_as_often():
    """巧: the dictionaries give khiáu 28 against khá's 78 (over DICTIONARY_TIE), so the corpus's
    khiáu comes first for every register.  佮: kap is 6 against kah's 30, too far below, so it
    stays the news reading.  咧: fastpron's preferred_readings.tsv keeps teh first."""
    keys = {
        "巧": [Row("kha2", ["word", "char"], 78, count=1), Row("khiau2", ["char", "icorpus"], 28, count=9)],
        "佮": [Row("kah4", ["word", "char", "icorpus"], 30, count=109), Row("kap4", ["char", "icorpus"], 6, count=900)],
        "咧": [Row("teh4", ["char", "preferred"], 8), Row("leh4", ["word", "char", "icorpus"], 7, count=5)],
    }
    assert ranked(keys) == [("佮", "kah4", ""), ("佮", "kap4", "news"),
                            ("咧", "teh4", ""), ("咧", "leh4", "news"),
                            ("巧", "khiau2", ""), ("巧", "kha2", "")]
    # a reading only the corpus gives is never a close call (it comes first only 20 to 1)
    keys = {"巧": [Row("kha2", ["word", "char"], 78), Row("khau2", ["icorpus"], 0, count=19)]}
    assert ranked(keys) == [("巧", "kha2", ""), ("巧", "khau2", "news")]


def test_a_news_reading_must_be_clearly_the_corpus_s():
    """阮: the corpus reads it gún 6 times and guán 3 where fastpron cuts it out, not clearly
    more (1 standard deviation, under NEWS_SIGNIFICANCE): no news reading.  就是: 40 against 5
    is.  加開: a reading the corpus never gives the first way needs only one."""
    keys = {
        "阮": [Row("guan2", ["word", "char"], 15), Row("gun2", ["icorpus"], 0)],
        "就是": [Row("tsiu7-si7", ["word"], 5), Row("tioh8-si7", ["icorpus"], 0)],
        "加開": [Row("ke1-khui1", ["dictionary"], 1), Row("ka1-khui1", ["icorpus"], 0)],
    }
    where_cut = {"阮": {"gun2": 6, "guan2": 3}, "就是": {"tioh8-si7": 40, "tsiu7-si7": 5},
                 "加開": {"ka1-khui1": 1}}
    assert [(key, reading, register) for key, reading, _, _, _, register in build.ranked_rows(keys, where_cut)] == [
        ("加開", "ke1-khui1", ""), ("加開", "ka1-khui1", "news"),
        ("就是", "tsiu7-si7", ""), ("就是", "tioh8-si7", "news"),
        ("阮", "guan2", ""), ("阮", "gun2", ""),
    ]
    assert build.clearly_more(1, 0) and not build.clearly_more(6, 3) and build.clearly_more(40, 5)


def test_the_register_model_s_bigrams():
    """learn_register.py's estimates: add-k unigrams, and a pair's share mixed in only
    when the pair was seen often enough."""
    spec = importlib.util.spec_from_file_location("learn_register", ROOT / "lexicon_data" / "learn_register.py")
    learn = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(learn)
    model = learn.Bigrams()
    model.add(list("遮爾好"))
    model.add(list("遮爾"))
    unigram = (2 + learn.SMOOTHING) / (5 + learn.SMOOTHING * learn.VOCABULARY)
    assert model.p("爾") == unigram
    assert model.p_after("遮", "爾", 0.2, 1) == 0.8 * unigram + 0.2 * 2 / 2
    assert model.p_after("遮", "爾", 0.2, 3) == 0.8 * unigram         # seen twice: not enough
    assert model.p_after("好", "遮", 0.2, 1) == 0.8 * model.p("遮")   # never seen


def test_another_dictionary_adds_a_word_in_taibun_s_syllables_that_its_words_read_otherwise():
    """Taihoa's 參詳 tsham1-siong5 is new; its tsham1-siang5 (another accent: no dictionary
    of taibun's gives 詳 siang5) is not, nor is a word taibun's words already read so."""
    listed = {"參": {"sim1", "tsham1"}, "詳": {"siong5"}, "莫": {"mai3"}, "去": {"khi3"}}
    apart = {"參詳": [("參", "sim1"), ("詳", "siong5")], "莫去": [("莫", "mai3"), ("去", "khi3")]}
    assert build.adds_a_word("參詳", "tsham1-siong5", listed, apart.get)
    assert not build.adds_a_word("參詳", "tsham1-siang5", listed, apart.get)
    assert not build.adds_a_word("莫去", "mai3-khi3", listed, apart.get)             # mài khì already
    assert not build.adds_a_word("參詳", "tsham1", listed, apart.get)                # a syllable short
    assert build.adds_a_word("㐀詳", "tshiu1-siong5", listed, lambda key: None)      # 㐀: no word of taibun's


def test_merge_takes_the_other_dictionaries_words_and_characters(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "taibun.tsv").write_text(
        "hanji\treading\tsource\tweight\tcontext\n參\tsim1\tword,char\t73\t\n參\ttsham1\tchar\t37\t\n"
        "詳\tsiong5\tword,char\t20\t\n", encoding="utf-8")
    (sources / "taihoa.tsv").write_text(
        "hanji\treading\tfreq\tgloss\n參詳\ttsham1-siang5\t860\t商量\n參詳\ttsham1-siong5\t\t商量\n"
        "㐀\ttshiu1\t\t\n", encoding="utf-8")
    rows = [(key, reading, source) for key, reading, source, _, _, _ in build.merge(sources, {}, train=None)]
    assert rows == [("㐀", "tshiu1", "taihoa"), ("參", "sim1", "word,char"), ("參", "tsham1", "char"),
                    ("參詳", "tsham1-siong5", "taihoa"), ("詳", "siong5", "word,char")]
