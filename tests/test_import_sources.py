"""lexicon_data/import_sources.py: the POJ -> Tâi-lô conversion and the committed TSVs."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import pathlib
import re

import pytest

from fastpron.romanized import parse_tl_syllable
from fastpron.syllable import SyllableError, join_reading, parse_reading

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = ROOT / "lexicon_data" / "sources"
NAMES = ("taihoa", "itaigi", "plants")

_spec = importlib.util.spec_from_file_location("import_sources", ROOT / "lexicon_data" / "import_sources.py")
imp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(imp)


# Taihoa's spelling (numbered POJ, o͘ as "ou", nasality as "N", no digit for
# tones 1 and 4) -> numbered Tâi-lô as lexicon.tsv writes it.  Written by hand.
POJ_TO_TAILO = [
    ("chhoa7", "tshua7"),           # chh -> tsh, oa -> ua
    ("chiah8", "tsiah8"),           # ch -> ts
    ("chhut", "tshut4"),            # no digit on a checked syllable: tone 4
    ("goa2", "gua2"),
    ("koan", "kuan1"),              # no digit on an open syllable: tone 1
    ("oah8", "uah8"),
    ("oai", "uai1"),
    ("koaiN", "kuainn1"),
    ("hoe", "hue1"),                # oe -> ue
    ("boe7", "bue7"),
    ("goeh8", "gueh8"),
    ("chek", "tsik4"),              # ek -> ik
    ("eng5", "ing5"),               # eng -> ing
    ("seng-beng7", "sing1-bing7"),
    ("kiaN5", "kiann5"),            # N -> nn
    ("soaN3", "suann3"),
    ("chhiuN", "tshiunn1"),
    ("hiahN", "hiannh4"),           # nasal and glottal: nn before h
    ("chou2", "tsoo2"),             # ou (o͘) -> oo
    ("hou7", "hoo7"),
    ("ouN", "onn1"),                # o͘ⁿ is onn in Tâi-lô, not oonn
    ("o2", "o2"),                   # POJ o is Tâi-lô o
    ("ng5", "ng5"),
    ("Ng5", "Ng5"),                 # a capital N that starts the syllable is a letter
    ("hm", "hm1"),
    ("pit", "pit4"),
    ("a-chek", "a1-tsik4"),
    ("Tai5-oan5", "Tai5-uan5"),     # a proper noun keeps its capital on the first syllable
    ("khit--e5", "khit4--e5"),      # neutral tone keeps the syllable's own tone
    ("be7-eng7--tit", "be7-ing7--tit4"),
    ("pa3---lai5", "pa3--lai5"),    # a typo'd triple hyphen is still the neutral mark
    ("ah boe2-au7", "ah4-bue2-au7"),  # words joined by a space are joined by -
    ("lo5-tho1", "lo5-tho1"),       # an explicit 1
]


@pytest.mark.parametrize("poj, tailo", POJ_TO_TAILO)
def test_poj_to_tailo(poj, tailo):
    assert imp.poj_to_tailo(poj) == tailo


@pytest.mark.parametrize("bad", ["tak6", "jiat8-sim-tng6", "na7na3", "sng-iouh8", "chhioh7", "piN33"])
def test_poj_to_tailo_rejects(bad):
    with pytest.raises(SyllableError):
        imp.poj_to_tailo(bad)


@pytest.mark.parametrize("text, tailo", [
    ("tiam2-lu-ing5-boo7", "tiam2-lu1-ing5-boo7"),
    ("tiám-lu-îng-bōo", "tiam2-lu1-ing5-boo7"),      # KipUnicode, marked
    ("Tsiúnn Keng-kok", "Tsiunn2-king1-kok4"),        # a POJ syllable in the Tâi-lô column
    ("si̍t-kiàⁿ-siù", "sit8-kiann3-siu3"),
    ("tsia̍h--bô", "tsiah8--bo5"),
])
def test_tailo_numbered(text, tailo):
    assert imp.tailo_numbered(text) == tailo


@pytest.mark.parametrize("field, size, readings", [
    ("u7-hau3,iu2-hau3", 2, ["u7-hau3", "iu2-hau3"]),
    ("tang7-li7；tang7-lai7", 2, ["tang7-li7", "tang7-lai7"]),
    ("Tai5-gi2/Tai5-gu2", 2, ["Tai5-gi2", "Tai5-gu2"]),
    ("kai3 tse7/kai3 tsue7", 2, ["kai3 tse7", "kai3 tsue7"]),              # whole readings
    ("kin2-lai5 be2/ kin2-lai5 bue2", 3, ["kin2-lai5 be2", "kin2-lai5 bue2"]),
    ("uih8/oe7-chhek", 2, ["uih8-chhek", "oe7-chhek"]),                    # one syllable's choices
    ("Hai2-ti/tu-a2", 3, ["Hai2-ti-a2", "Hai2-tu-a2"]),
    ("a-bo2", 2, ["a-bo2"]),
])
def test_alternatives(field, size, readings):
    assert imp.alternatives(field, size) == readings


def test_merging_sums_freq_and_unions_glosses():
    out = imp.Collector()
    out.add("阿母", "a-bo2", imp.poj_to_tailo, 10, ["母親", "媽媽"])
    out.add("阿母", "a-bo2", imp.poj_to_tailo, 5, ["媽媽", "娘"])
    out.add("阿母", "a-bu2", imp.poj_to_tailo, None, ["母親"])
    out.add("中庸", "tiong-iong5", imp.poj_to_tailo, 1)
    out.add("中庸", "Tiong-iong5", imp.poj_to_tailo, 2)            # one row; the capital wins
    out.add("中庸", "tiong-iong5", imp.poj_to_tailo, 4)
    out.add("a2無", "a2-bo5", imp.poj_to_tailo, 1)
    out.add("阿母", "a-bo2-a", imp.poj_to_tailo, 1)
    assert out.rows == {("阿母", "a1-bo2"): [15, ["母親", "媽媽", "娘"]], ("阿母", "a1-bu2"): [None, ["母親"]],
                        ("中庸", "tiong1-iong5"): [7, []]}
    assert out.spelling[("中庸", "tiong1-iong5")] == "Tiong1-iong5"
    assert out.skipped == {"Latin letters in the Han form": 1, "syllable count differs from the characters": 1}


def read_tsv(name):
    lines = (SOURCES / f"{name}.tsv").read_text(encoding="utf-8").split("\n")
    assert lines[0] == "hanji\treading\tfreq\tgloss" and lines[-1] == ""
    return [line.split("\t") for line in lines[1:-1]]


@pytest.mark.parametrize("name", NAMES)
def test_committed_rows_parse(name):
    rows = read_tsv(name)
    assert rows and rows == sorted(rows, key=lambda row: (row[0], row[1].lower()))
    assert len({(row[0], row[1].lower()) for row in rows}) == len(rows)
    for hanji, reading, freq, gloss in rows:
        assert all(imp.is_han(ch) for ch in hanji), hanji
        syllables = parse_reading(reading)
        assert len(syllables) == len(hanji), (hanji, reading)
        assert join_reading(syllables) == reading.lower(), reading
        for syllable in syllables:
            assert parse_tl_syllable(syllable) == syllable.lower() and not syllable.endswith("6")
        assert re.fullmatch(r"|[1-9][0-9]*", freq), freq
        assert "\t" not in gloss and ";;" not in gloss


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """What the script prints and writes when run on ../shared/data/ now."""
    if not (imp.DATA / "taihoa" / "Taihoa.csv.gz").exists():
        pytest.skip(f"the source data {imp.DATA} is absent (it lives in ../shared/, beside the project)")
    out = tmp_path_factory.mktemp("sources")
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert imp.main(["--out", str(out)]) == 0
    return buffer.getvalue(), out


@pytest.mark.parametrize("name", NAMES)
def test_counts_are_what_the_script_prints(printed, name):
    text, out = printed
    wrote = int(re.search(rf"^{name}: wrote (\d+) rows", text, re.M).group(1))
    assert wrote == len(read_tsv(name))
    # The committed file is what the script writes today: deterministic and up to date.
    assert (out / f"{name}.tsv").read_bytes() == (SOURCES / f"{name}.tsv").read_bytes()


@pytest.mark.parametrize("name, hanji, reading, freq", [
    ("taihoa", "台灣", "Tai5-uan5", "2725"),
    ("taihoa", "食飽", "tsiah8-pa2", "1920"),
    ("taihoa", "阿祖", "a1-tsoo2", "1269"),
    ("taihoa", "人權", "jin5-kuan5", "2654"),       # a word taibun's data lacks
    ("taihoa", "月娘", "gueh8-niu5", "1772"),
    ("taihoa", "按怎", "an2-tsuann2", "3551"),
    ("taihoa", "腌臢", "am1-tsam1", ""),            # the second reading (台語羅馬字2), no count of its own
    ("itaigi", "臺灣", "Tai5-uan5", ""),
    ("itaigi", "點攄螢幕", "tiam2-lu1-ing5-boo7", ""),
    ("plants", "蜈蚣草", "gia5-kang1-tshau2", ""),   # headings lower-cased: not proper nouns
    ("plants", "谷精", "kok4-tsing1", ""),          # the other writing after 、
])
def test_known_words(name, hanji, reading, freq):
    found = {(row[0], row[1]): row[2] for row in read_tsv(name)}
    assert found[(hanji, reading)] == freq
