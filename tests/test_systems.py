"""Tests for fastpron.systems: every output system, tone style and sandhi rule.

Runs with plain ``python3 -m pytest tests/test_systems.py``: no compiled core
is needed.  The taibun cross-check at the end is skipped when taibun is not
installed.
"""

from __future__ import annotations

import pathlib
import re
import sys
import unicodedata

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastpron.syllable import SyllableError, parse_syllable, render_tailo  # noqa: E402
from fastpron.systems import (  # noqa: E402
    Dialect,
    System,
    ToneStyle,
    capitalize,
    parse_dialect,
    parse_parts,
    parse_system,
    parse_tlpa,
    parse_tones,
    render,
    sandhi_syllable,
)
from lexicon_syllables import LEXICON, lexicon_syllables  # noqa: E402

MARKS, NUMBERS, NONE = ToneStyle.MARKS, ToneStyle.NUMBERS, ToneStyle.NONE

SYLLABLES = lexicon_syllables()


def test_lexicon_is_big_enough_to_mean_something():
    assert len(SYLLABLES) > 2000


# ---------------------------------------------------------------------------
# Initials: "<initial>a1" (and the palatal series before i) in every system.
# ---------------------------------------------------------------------------

INITIAL_SYLLABLES = ["pa", "pha", "ba", "ma", "ta", "tha", "na", "la", "ka", "kha", "ga", "nga",
                     "ha", "tsa", "tsha", "sa", "ja", "a", "tsi", "tshi", "si", "ji"]
INITIALS = {
    System.TL: "pa pha ba ma ta tha na la ka kha ga nga ha tsa tsha sa ja a tsi tshi si ji",
    System.POJ: "pa pha ba ma ta tha na la ka kha ga nga ha cha chha sa ja a chi chhi si ji",
    System.TLPA: "pa pha ba ma ta tha na la ka kha ga nga ha ca cha sa ja a ci chi si ji",
    System.BP: "ba pa bba bbna da ta lna la ga ka gga ggna ha za ca sa zza a zi ci si zzi",
    System.TPS: "ㄅㄚ ㄆㄚ ㆠㄚ ㄇㄚ ㄉㄚ ㄊㄚ ㄋㄚ ㄌㄚ ㄍㄚ ㄎㄚ ㆣㄚ ㄫㄚ ㄏㄚ ㄗㄚ ㄘㄚ ㄙㄚ ㆡㄚ ㄚ ㄐㄧ ㄑㄧ ㄒㄧ ㆢㄧ",
    System.IPA: "pa pʰa ba mã ta tʰa nã la ka kʰa ga ŋã ha tsa tsʰa sa dza a tɕi tɕʰi ɕi dʑi",
    System.SNI: "膠邊 膠頗 膠門 監門 膠地 膠他 監柳 膠柳 膠求 膠去 膠語 監語 膠喜 膠曾 膠出 膠時 膠入 膠英 居曾 居出 居時 居入",
    System.TONGIONG: "ba pa bha ma da ta na la ga ka gha nga ha za ca sa ra a zi ci si ri",
}


@pytest.mark.parametrize("system", list(System))
def test_initials(system):
    got = [render(s + "1", system, NONE) for s in INITIAL_SYLLABLES]
    assert got == INITIALS[system].split()


# ---------------------------------------------------------------------------
# Finals: "k<final>" with tone 1 (4 when checked), tones stripped.
# ---------------------------------------------------------------------------

FINAL_NAMES = ("a i u e o oo ai au ia iu io ua ue ui iau uai am an ang im in ing un om ong iam ian iang "
               "iong uan uang ann enn inn onn ainn aunn iann iunn uann uinn uainn iaunn m ng ah ih uh eh "
               "oh ooh ap at ak ip it ik ut op ok iap iat iak iok uat uak annh ennh innh onnh ngh mh").split()
FINALS = {
    System.TL: "ka ki ku ke ko koo kai kau kia kiu kio kua kue kui kiau kuai kam kan kang kim kin king kun "
               "kom kong kiam kian kiang kiong kuan kuang kann kenn kinn konn kainn kaunn kiann kiunn kuann "
               "kuinn kuainn kiaunn km kng kah kih kuh keh koh kooh kap kat kak kip kit kik kut kop kok kiap "
               "kiat kiak kiok kuat kuak kannh kennh kinnh konnh kngh kmh",
    System.POJ: "ka ki ku ke ko ko͘ kai kau kia kiu kio koa koe kui kiau koai kam kan kang kim kin keng kun "
                "kom kong kiam kian kiang kiong koan koang kaⁿ keⁿ kiⁿ koⁿ kaiⁿ kauⁿ kiaⁿ kiuⁿ koaⁿ kuiⁿ "
                "koaiⁿ kiauⁿ km kng kah kih kuh keh koh ko͘h kap kat kak kip kit kek kut kop kok kiap kiat "
                "kiak kiok koat koak kahⁿ kehⁿ kihⁿ kohⁿ kngh kmh",
    System.BP: "ga gi gu ge go goo gai gao gia giu gio gua gue gui giao guai gam gan gang gim gin ging gun gom "
               "gong giam gian giang giong guan guang gna gne gni gnoo gnai gnao gnia gniu gnua gnui gnuai "
               "gniao gm gng gah gih guh geh goh gooh gap gat gak gip git gik gut gop gok giap giat giak giok "
               "guat guak gnah gneh gnih gnooh gngh gmh",
    System.TPS: "ㄍㄚ ㄍㄧ ㄍㄨ ㄍㆤ ㄍㄜ ㄍㆦ ㄍㄞ ㄍㄠ ㄍㄧㄚ ㄍㄧㄨ ㄍㄧㄜ ㄍㄨㄚ ㄍㄨㆤ ㄍㄨㄧ ㄍㄧㄠ ㄍㄨㄞ ㄍㆰ ㄍㄢ ㄍㄤ "
                "ㄍㄧㆬ ㄍㄧㄣ ㄍㄧㄥ ㄍㄨㄣ ㄍㆱ ㄍㆲ ㄍㄧㆰ ㄍㄧㄢ ㄍㄧㄤ ㄍㄧㆲ ㄍㄨㄢ ㄍㄨㄤ ㄍㆩ ㄍㆥ ㄍㆪ ㄍㆧ ㄍㆮ ㄍㆯ "
                "ㄍㄧㆩ ㄍㄧㆫ ㄍㄨㆩ ㄍㄨㆪ ㄍㄨㆮ ㄍㄧㆯ ㄍㆬ ㄍㆭ ㄍㄚㆷ ㄍㄧㆷ ㄍㄨㆷ ㄍㆤㆷ ㄍㄜㆷ ㄍㆦㆷ ㄍㄚㆴ ㄍㄚㆵ "
                "ㄍㄚㆻ ㄍㄧㆴ ㄍㄧㆵ ㄍㄧㆻ ㄍㄨㆵ ㄍㆦㆴ ㄍㆦㆻ ㄍㄧㄚㆴ ㄍㄧㄚㆵ ㄍㄧㄚㆻ ㄍㄧㆦㆻ ㄍㄨㄚㆵ ㄍㄨㄚㆻ ㄍㆩㆷ "
                "ㄍㆥㆷ ㄍㆪㆷ ㄍㆧㆷ ㄍㆭㆷ ㄍㆬㆷ",
    System.IPA: "ka ki ku ke ko kɔ kai kau kia kiu kio kua kue kui kiau kuai kam kan kaŋ kim kin kiŋ kun kɔm "
                "kɔŋ kiam kian kiaŋ kiɔŋ kuan kuaŋ kã kẽ kĩ kɔ̃ kãĩ kãũ kĩã kĩũ kũã kũĩ kũãĩ kĩãũ km̩ kŋ̍ kaʔ "
                "kiʔ kuʔ keʔ koʔ kɔʔ kap̚ kat̚ kak̚ kip̚ kit̚ kik̚ kut̚ kɔp̚ kɔk̚ kiap̚ kiat̚ kiak̚ kiɔk̚ kuat̚ kuak̚ "
                "kãʔ kẽʔ kĩʔ kɔ̃ʔ kŋ̍ʔ km̩ʔ",
    System.SNI: "膠求 居求 艍求 伽求 高求 沽求 皆求 交求 迦求 丩求 茄求 瓜求 檜求 規求 嬌求 乖求 甘求 干求 江求 金求 "
                "巾求 經求 君求 箴求 公求 兼求 堅求 姜求 恭求 觀求 光求 監求 更求 梔求 姑求 閒求 爻求 驚求 牛求 官求 "
                "褌求 閂求 嘄求 姆求 鋼求 膠求 居求 艍求 伽求 高求 沽求 甘求 干求 江求 金求 巾求 經求 君求 箴求 公求 "
                "兼求 堅求 姜求 恭求 觀求 光求 監求 更求 梔求 姑求 鋼求 姆求",
    System.TONGIONG: "ga gi gu ge gor go gai gau gia giu gior gua gue gui giau guai gam gan gang gim gin ging gun "
                     "gom gong giam gian giang giong guan guang gann genn ginn gonn gainn gaunn giann giunn guann "
                     "guinn guainn giaunn gm gng gah gih guh geh gorh goh gap gat gak gip git gik gut gop gok giap "
                     "giat giak giok guat guak gannh gennh ginnh gonnh gngh gmh",
}
FINALS[System.TLPA] = FINALS[System.TL]


@pytest.mark.parametrize("system", list(System))
def test_finals(system):
    got = [render("k" + f + ("4" if f[-1] in "ptkh" else "1"), system, NONE) for f in FINAL_NAMES]
    assert got == FINALS[system].split()


# ---------------------------------------------------------------------------
# Tones 1-9 and the neutral tone, on an open, a stop and a glottal syllable.
# ---------------------------------------------------------------------------

TONES = {  # system -> base -> "tone1 ... tone9 | --tone3 --tone4"
    System.TL: {"tai": "tai tái tài tai tâi tǎi tāi ta̍i ta̋i | --tài --tai",
                "tat": "tat tát tàt tat tât tǎt tāt ta̍t ta̋t | --tàt --tat",
                "tah": "tah táh tàh tah tâh tǎh tāh ta̍h ta̋h | --tàh --tah"},
    System.POJ: {"tai": "tai tái tài tai tâi tái tāi ta̍i tăi | --tài --tai",
                 "tat": "tat tát tàt tat tât tát tāt ta̍t tăt | --tàt --tat",
                 "tah": "tah táh tàh tah tâh táh tāh ta̍h tăh | --tàh --tah"},
    System.TLPA: {"tai": "tai1 tai2 tai3 tai4 tai5 tai6 tai7 tai8 tai9 | --tai3 --tai4",
                  "tat": "tat1 tat2 tat3 tat4 tat5 tat6 tat7 tat8 tat9 | --tat3 --tat4",
                  "tah": "tah1 tah2 tah3 tah4 tah5 tah6 tah7 tah8 tah9 | --tah3 --tah4"},
    System.BP: {"tai": "dāi dǎi dài dāi dái dǎi dâi dái da̋i | --dài --dāi",
                "tat": "dāt dǎt dàt dāt dát dǎt dât dát da̋t | --dàt --dāt",
                "tah": "dāh dǎh dàh dāh dáh dǎh dâh dáh da̋h | --dàh --dāh"},
    System.TPS: {"tai": "ㄉㄞ ㄉㄞˋ ㄉㄞ˪ ㄉㄞ ㄉㄞˊ ㄉㄞˋ ㄉㄞ˫ ㄉㄞ˙ ㄉㄞ˝ | ㄉㄞ˪ ㄉㄞ",
                 "tat": "ㄉㄚㆵ ㄉㄚㆵˋ ㄉㄚㆵ˪ ㄉㄚㆵ ㄉㄚㆵˊ ㄉㄚㆵˋ ㄉㄚㆵ˫ ㄉㄚㆵ̇ ㄉㄚㆵ˝ | ㄉㄚㆵ˪ ㄉㄚㆵ",
                 "tah": "ㄉㄚㆷ ㄉㄚㆷˋ ㄉㄚㆷ˪ ㄉㄚㆷ ㄉㄚㆷˊ ㄉㄚㆷˋ ㄉㄚㆷ˫ ㄉㄚㆷ̇ ㄉㄚㆷ˝ | ㄉㄚㆷ˪ ㄉㄚㆷ"},
    System.IPA: {"tai": "tai˥˥ tai˥˩ tai˧˩ tai˧ tai˨˦ tai˥˩ tai˧˧ tai˥ tai˧˥ | tai˧˩ tai˧˩",
                 "tat": "tat̚˥˥ tat̚˥˩ tat̚˧˩ tat̚˧ tat̚˨˦ tat̚˥˩ tat̚˧˧ tat̚˥ tat̚˧˥ | tat̚˧ tat̚˧",
                 "tah": "taʔ˥˥ taʔ˥˩ taʔ˧˩ taʔ˧ taʔ˨˦ taʔ˥˩ taʔ˧˧ taʔ˥ taʔ˧˥ | taʔ˧ taʔ˧"},
    System.SNI: {"tai": "皆一地 皆二地 皆三地 皆四地 皆五地 皆六地 皆七地 皆八地 皆九地 | 皆三地 皆四地",
                 "tat": "干一地 干二地 干三地 干四地 干五地 干六地 干七地 干八地 干九地 | 干三地 干四地",
                 "tah": "膠一地 膠二地 膠三地 膠四地 膠五地 膠六地 膠七地 膠八地 膠九地 | 膠三地 膠四地"},
    System.TONGIONG: {"tai": "dai dài dâi dāi dăi dài dāi dai dái | --dåi --dåi",
                      "tat": "dat dàt dât dāt dăt dàt dāt dat dát | --dåt --dåt",
                      "tah": "dah dàh dâh dāh dăh dàh dāh dah dáh | --dåh --dåh"},
}


@pytest.mark.parametrize("system", list(System))
@pytest.mark.parametrize("base", ["tai", "tat", "tah"])
def test_tones_with_marks(system, base):
    got = " ".join(render(base + str(t), system) for t in range(1, 10))
    got += " | " + render("--" + base + "3", system) + " " + render("--" + base + "4", system)
    assert got == unicodedata.normalize("NFC", TONES[system][base])


NUMBERED = {
    System.TL: "tsiah8 --ah4", System.POJ: "chiah8 --ah4", System.TLPA: "ciah8 --ah4",
    System.BP: "ziah8 --ah4", System.TPS: "ㄐㄧㄚㆷ8 ㄚㆷ4", System.IPA: "tɕiaʔ⁵ aʔ³",
    System.SNI: "迦8曾 膠4英", System.TONGIONG: "ziah8 --ah4",
}
STRIPPED = {
    System.TL: "tsiah --ah", System.POJ: "chiah --ah", System.TLPA: "ciah --ah",
    System.BP: "ziah --ah", System.TPS: "ㄐㄧㄚㆷ ㄚㆷ", System.IPA: "tɕiaʔ aʔ",
    System.SNI: "迦曾 膠英", System.TONGIONG: "ziah --ah",
}


@pytest.mark.parametrize("system", list(System))
def test_numbers_and_none_styles(system):
    assert " ".join(render(s, system, NUMBERS) for s in ("tsiah8", "--ah4")) == NUMBERED[system]
    assert " ".join(render(s, system, NONE) for s in ("tsiah8", "--ah4")) == STRIPPED[system]


def test_tlpa_always_numbers():
    assert render("tsiah8", System.TLPA, MARKS) == render("tsiah8", System.TLPA, NUMBERS) == "ciah8"


# ---------------------------------------------------------------------------
# Mark placement: the earlier tool wrote tíong for tióng.
# ---------------------------------------------------------------------------

PLACEMENT = {
    System.TL: "tióng tiông siáng kuáng tsuân hué kuè tsuí kiû suànn kuâinn gôo n̂g nn̄g mn̂g hm̄ o̍oh",
    System.POJ: "tióng tiông siáng koáng choân hóe kòe chúi kiû sòaⁿ koâiⁿ gô͘ n̂g nn̄g mn̂g hm̄ o̍͘h",
    System.BP: "diǒng dióng siǎng guǎng zuán huě guè zuǐ giú snuà gnuái ggoó ńg ln̂g bbńg hm̂ oóh",
    System.TONGIONG: "diòng diŏng siàng guàng zuăn huè guê zuì giŭ suânn guăinn ghŏ n̆g nn̄g mn̆g hm̄ oh",
}
PLACEMENT_INPUT = "tiong2 tiong5 siang2 kuang2 tsuan5 hue2 kue3 tsui2 kiu5 suann3 kuainn5 goo5 ng5 nng7 mng5 hm7 ooh8"


@pytest.mark.parametrize("system", list(PLACEMENT))
def test_tone_mark_placement(system):
    got = [render(s, system) for s in PLACEMENT_INPUT.split()]
    assert got == unicodedata.normalize("NFC", PLACEMENT[system]).split()


@pytest.mark.parametrize("system", list(PLACEMENT))
@pytest.mark.parametrize("rime", ["iong", "iang", "uang"])
def test_iong_iang_uang_mark_the_main_vowel(system, rime):
    for tone in (2, 3, 5, 7, 8):
        if system is System.TONGIONG and tone == 8:
            continue  # Tongiong's high short tone 8 is unmarked, like tone 1
        text = unicodedata.normalize("NFD", render("t" + rime + str(tone), system))
        marked = [text[i - 1] for i, ch in enumerate(text) if unicodedata.combining(ch)]
        assert marked == ["o" if rime == "iong" else "a"], (system, rime, tone, text)


def test_poj_oa_oe_marks():
    # on the o at the end of a syllable, on the a/e before a consonant
    assert [render(s, System.POJ) for s in ("gua2", "hue2", "suann3", "kuan2", "uah8", "gueh8", "kuai3")] == \
        [unicodedata.normalize("NFC", s) for s in ("góa", "hóe", "sòaⁿ", "koán", "oa̍h", "goe̍h", "koài")]


def test_poj_nasal_h_and_o_dot():
    assert render("hannh4", System.POJ) == "hahⁿ"
    assert render("oo5", System.POJ) == unicodedata.normalize("NFC", "ô\u0358")
    assert "\u0358" in render("oo5", System.POJ, NUMBERS)


def test_bp_tone6_keeps_the_vowel():
    for syllable in ("tai6", "a6", "kong6", "ng6", "tsiah6"):
        letters = render(syllable, System.BP, NONE)
        marked = render(syllable, System.BP)
        assert unicodedata.normalize("NFD", marked).replace("\u030c", "") == letters
        assert marked != letters  # a mark is there, on a kept letter


def test_bp_nasal_and_zero_initials():
    assert [render(s, System.BP) for s in ("sann1", "inn5", "iann2", "uann7", "onn2", "i1", "u7", "ing1", "im1")] == \
        [unicodedata.normalize("NFC", s) for s in ("snā", "yní", "ynǎ", "wnâ", "noǒ", "yī", "wû", "yīng", "yīm")]


def test_tps_checked_codas_and_tone8_dot():
    assert render("kok4", System.TPS) == "ㄍㆦㆻ"  # ㆻ (final g), not ㆶ
    assert render("kok8", System.TPS) == "ㄍㆦㆻ\u0307"  # 陽入: dot on the coda
    assert render("ji7", System.TPS) == "ㆢㄧ˫"


def test_sni_checked_tones_and_nasal_initials():
    assert render("ji7", System.SNI) == "居七入"
    assert [render(s, System.SNI) for s in ("tsiah8", "tsiah4", "kok4", "ngiauh8", "mih8", "sain3")] == \
        ["迦八曾", "迦四曾", "公四求", "嘄八語", "梔八門", "[ain]三時"]


def test_ipa_syllabic_nasals():
    assert [render(s, System.IPA, NONE) for s in ("ng5", "nng7", "hm7", "mngh4")] == ["ŋ̍", "nŋ̍", "hm̩", "mŋ̍ʔ"]


def test_alternants_render_both_sides():
    assert render("jin5/lin5", System.POJ) == "jîn/lîn"
    assert render("senn1/*sinn1", System.TL) == "senn/sinn"
    assert render("--jin5/lin5", System.TL, NUMBERS) == "--jin5/--lin5"
    assert sandhi_syllable("senn1/*sinn1") == "senn7/sinn7"


def test_capital_input_is_lowercased():
    assert render("It4", System.TL) == "it"


# ---------------------------------------------------------------------------
# Whole-lexicon properties.
# ---------------------------------------------------------------------------

def test_every_lexicon_syllable_in_every_system_tone_and_style():
    for syllable in SYLLABLES:
        for digit in "123456789":
            variant = syllable[:-1] + digit
            for system in System:
                for tones in ToneStyle:
                    text = render(variant, system, tones)
                    assert text and text == unicodedata.normalize("NFC", text), (variant, system, tones)


def test_every_lexicon_token_with_its_pairs():
    with open(LEXICON, encoding="utf-8") as f:
        next(f)
        readings = [line.split("\t")[1] for line in f]
    pair = re.compile(r"(?:--)?[A-Za-z]+[1-9](?:/\*?[A-Za-z]+[1-9])?")
    tokens = {token for reading in readings for token in pair.findall(reading)}
    assert any("/*" in token for token in tokens)
    for token in sorted(tokens):
        for system in System:
            assert render(token, system).count("/") == token.count("/"), (token, system)
        sandhi_syllable(token)


def test_tl_marks_round_trip_over_lexicon():
    for syllable in SYLLABLES:
        assert render(syllable) == render_tailo(syllable)
        assert parse_syllable(render(syllable)) == syllable


def test_tl_tlpa_tl_round_trip_over_lexicon():
    for syllable in SYLLABLES:
        assert parse_tlpa(render(syllable, System.TLPA)) == syllable


def test_every_lexicon_final_has_a_sni_name_except_sain():
    unnamed = {syllable for syllable in SYLLABLES if "[" in render(syllable, System.SNI)}
    assert {parse_parts(s).final for s in unnamed} <= {"ain"}


@pytest.mark.parametrize("system", [System.TL, System.POJ, System.BP, System.TONGIONG, System.TPS])
def test_none_style_has_no_tone_marks(system):
    tone_marks = set("\u0300\u0301\u0302\u0304\u0306\u030a\u030b\u030c\u030d\u0307ˋ˪ˊ˫˙˝")
    for syllable in SYLLABLES:
        text = unicodedata.normalize("NFD", render(syllable, system, NONE))
        assert not tone_marks & set(text), (syllable, text)


def test_marks_differ_for_distinct_tones_within_each_system():
    # tones 1/4 and 4/8 of open syllables may coincide in some systems; 2/3/5/7 never
    for system in (System.TL, System.POJ, System.BP, System.TPS, System.IPA, System.SNI, System.TONGIONG):
        for base in ("tai", "tat", "tah"):
            seen = {render(base + str(t), system) for t in (2, 3, 5, 7)}
            assert len(seen) == 4, (system, base)


def test_bad_syllables_raise():
    for bad in ("", "tsiah", "tsiah0", "xyz1", "pk1", "tsnn1"):
        with pytest.raises(SyllableError):
            render(bad)


# ---------------------------------------------------------------------------
# capitalize
# ---------------------------------------------------------------------------

def test_capitalize():
    assert capitalize("tsia̍h", System.TL) == "Tsia̍h"
    assert capitalize("--ah", System.POJ) == "--Ah"
    assert capitalize(render("oo5", System.POJ), System.POJ) == unicodedata.normalize("NFC", "Ô\u0358")
    assert capitalize("ǹg", System.TL) == "Ǹg"
    assert capitalize("bbnoó", "bp") == "Bbnoó"
    for system in (System.TPS, System.SNI, System.IPA):
        assert capitalize(render("tsiah8", system), system) == render("tsiah8", system)


# ---------------------------------------------------------------------------
# Sandhi
# ---------------------------------------------------------------------------

SANDHI = [
    ("sann1", "sann7"), ("tsui2", "tsui1"), ("khi3", "khi2"), ("gu7", "gu3"),
    ("lang5", "lang7"), ("kok4", "kok8"), ("hak8", "hak4"), ("tsap8", "tsap4"), ("pat4", "pat8"),
    ("ah4", "ah2"), ("tsiah8", "tsiah3"), ("--ah4", "--ah4"), ("--khi3", "--khi3"),
    ("tai6", "tai6"), ("tai9", "tai9"), ("jin5/lin5", "jin7/lin7"),
]


@pytest.mark.parametrize("citation,spoken", SANDHI)
def test_sandhi_south(citation, spoken):
    assert sandhi_syllable(citation) == spoken
    assert sandhi_syllable(citation, Dialect.SOUTH) == spoken


def test_sandhi_north_tone5():
    assert sandhi_syllable("lang5", Dialect.NORTH) == "lang3"
    assert sandhi_syllable("lang5", "north") == "lang3"
    assert sandhi_syllable("sann1", Dialect.NORTH) == "sann7"


# ---------------------------------------------------------------------------
# Option parsing
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("value,expected", [
    ("tl", System.TL), ("TL", System.TL), ("tailo", System.TL), ("Tâi-lô", System.TL), ("tâi-lô", System.TL),
    ("poj", System.POJ), ("Pe̍h-ōe-jī", System.POJ), ("白話字", System.POJ),
    ("tlpa", System.TLPA), ("bp", System.BP), ("pingyim", System.BP), ("閩拼", System.BP),
    ("zhuyin", System.TPS), ("bopomofo", System.TPS), ("方音符號", System.TPS), ("TPS", System.TPS),
    ("ipa", System.IPA), ("十五音", System.SNI), ("sni", System.SNI),
    ("tongiong", System.TONGIONG), ("通用拼音", System.TONGIONG), (System.IPA, System.IPA),
])
def test_parse_system(value, expected):
    assert parse_system(value) is expected


@pytest.mark.parametrize("value,expected", [
    ("marks", MARKS), ("mark", MARKS), ("MARK", MARKS), ("numbers", NUMBERS), ("number", NUMBERS),
    ("none", NONE), ("strip", NONE), (ToneStyle.NONE, NONE),
])
def test_parse_tones(value, expected):
    assert parse_tones(value) is expected


def test_parse_dialect():
    assert parse_dialect("South") is Dialect.SOUTH
    assert parse_dialect("north") is Dialect.NORTH
    assert parse_dialect(Dialect.NORTH) is Dialect.NORTH


@pytest.mark.parametrize("parse,bad,choices", [
    (parse_system, "klingon", "tl, poj, tlpa, bp, tps, ipa, sni, tongiong"),
    (parse_tones, "loud", "marks, numbers, none"),
    (parse_dialect, "east", "south, north"),
    (parse_system, None, "tl, poj"),
    (parse_tones, 3, "marks"),
])
def test_parse_rejects_with_choices(parse, bad, choices):
    with pytest.raises(ValueError, match=choices):
        parse(bad)


def test_render_accepts_string_options():
    assert render("tsiah8", "poj", "number") == "chiah8"


# ---------------------------------------------------------------------------
# Cross-check with taibun 1.1.8 (optional): every difference must be one of
# the deliberate, documented classes of docs/systems.md.
# ---------------------------------------------------------------------------

def _taibun(system, style):
    try:
        import taibun
    except ImportError:
        pytest.skip("taibun not installed: the cross-check is optional (pip install taibun==1.1.8)")
    return taibun.Converter(system=system, format=style, sandhi="none", convert_non_cjk=True, punctuation="none")


def _undocumented(taibun_system, style, system, tones, allowed):
    converter = _taibun(taibun_system, style)
    bad = []
    for syllable in SYLLABLES:
        if syllable.startswith("--"):
            continue
        theirs = unicodedata.normalize("NFC", converter.get(render_tailo(syllable)))
        ours = render(syllable, system, tones)
        if theirs != ours and not allowed(parse_parts(syllable), ours, theirs):
            bad.append((syllable, ours, theirs))
    return bad


def test_taibun_tl_and_tlpa_identical():
    assert _undocumented("Tailo", "mark", System.TL, MARKS, lambda *a: False) == []
    assert _undocumented("Tailo", "number", System.TL, NUMBERS, lambda *a: False) == []
    assert _undocumented("TLPA", "number", System.TLPA, NUMBERS, lambda *a: False) == []


def test_taibun_poj_differs_only_in_documented_classes():
    # oaⁿ marked on the o (sòaⁿ); taibun's numbered POJ drops the dot of o͘
    # and numbers -hⁿ syllables as tone 1.
    assert _undocumented("POJ", "mark", System.POJ, MARKS, lambda p, o, t: p.final == "uann") == []
    assert _undocumented("POJ", "number", System.POJ, NUMBERS,
                         lambda p, o, t: p.vowels == "oo" or p.final.endswith("nnh")) == []


def test_taibun_tps_differs_only_in_documented_classes():
    def allowed(parts, ours, theirs):
        # ㆻ for -k, the 陽入 dot on the coda, and ɔ (ㆦ) in iok/op
        same = ours.replace("ㆻ", "ㆶ").replace("\u0307", "˙") == theirs
        return same or parts.final in ("iok", "op")
    assert _undocumented("Zhuyin", "mark", System.TPS, MARKS, allowed) == []


def test_taibun_bp_differs_only_in_documented_classes():
    # m/n + syllabic ng is bb-ng/l-ng (taibun: mng, and lng only when numbered); -ngh keeps its ng
    allowed = lambda p, o, t: (p.initial in ("m", "n") and p.syllabic) or p.final == "ngh"  # noqa: E731
    assert _undocumented("Pingyim", "mark", System.BP, MARKS, allowed) == []


def test_taibun_tongiong_differs_only_in_documented_classes():
    # TL oo is Tongiong o (ɔ), TL o is or, also before -h
    allowed = lambda p, o, t: p.final in ("oo", "oh", "ioh")  # noqa: E731
    assert _undocumented("Tongiong", "mark", System.TONGIONG, MARKS, allowed) == []


def test_docstring_examples():
    import doctest

    import fastpron.systems

    assert doctest.testmod(fastpron.systems).failed == 0


def test_tps_and_sni_keep_cjk_punctuation_and_write_no_neutral_tone_hyphens():
    import fastpron
    text = "伊「笑」，食飽矣。"
    assert fastpron.romanize(text, system="tps") == "ㄧ「ㄑㄧㄜ˪」，ㄐㄧㄚㆷ̇ ㄅㄚˋ ㄚㆷ。"
    assert fastpron.romanize(text, system="sni") == "居一英「茄三出」，迦八曾 膠二邊 膠四英。"
    # asked for, Latin punctuation still comes
    assert fastpron.romanize(text, system="tps", punctuation="latin") == "ㄧ “ㄑㄧㄜ˪”, ㄐㄧㄚㆷ̇ ㄅㄚˋ ㄚㆷ."
    # Tâi-lô and POJ unchanged: Latin punctuation and the -- marker
    assert fastpron.romanize(text) == "I “Tshiò”, tsia̍h-pá --ah."
    assert fastpron.romanize(text, system="poj") == "I “Chhiò”, chia̍h-pá --ah."
    annotator = fastpron.Annotator(system="tps")
    assert annotator.romanize(text, system="tl") == "I “Tshiò”, tsia̍h-pá --ah."
    assert "--" not in fastpron.to_html(text, system="tps") and "--" not in fastpron.to_html(text, system="sni")
