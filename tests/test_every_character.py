"""Every character read (lexicon_data/import_estimated.py): each character of
Big5's two levels has a reading; compatibility ideographs read as their
unified form and keep their own character in the output; estimated readings
say so."""

import json
import unicodedata

import pytest

from fastpron import lexicon


def big5_characters():
    out = []
    for lead in range(0xA4, 0xFA):
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            code = (lead << 8) | trail
            if 0xA440 <= code <= 0xC67E or 0xC940 <= code <= 0xF9D5:
                try:
                    out.append(bytes([lead, trail]).decode("big5"))
                except UnicodeDecodeError:
                    pass
    return out


def test_every_big5_character_has_a_reading(native):
    chars = big5_characters()
    assert len(chars) > 13000
    tokens = native.annotate("".join(chars))
    unread = [t.text for t in tokens if t.reading is None]
    assert unread == [], f"{len(unread)} Big5 characters without a reading: {''.join(unread[:50])}"


def test_compatibility_ideographs_read_as_their_unified_form(native, reference):
    text = "\uf9b1鈴"                                # U+F9B1, a compatibility form of 鈴
    tokens = native.annotate(text)
    assert [t.text for t in tokens] == ["\uf9b1", "鈴"] or [t.text for t in tokens] == [text]
    assert native.romanize("\uf9b1") == native.romanize("鈴") == "Lîng"
    assert native.to_html("\uf9b1").count("\uf9b1") == 1          # the original character stays
    assert reference.romanize("\uf9b1") == "Lîng"
    pairs = lexicon.compatibility_variants()
    assert pairs["\uf9b1"] == "鈴" and len(pairs) > 1000
    big5 = set(big5_characters())
    for ch, unified in pairs.items():
        if unified in big5:
            assert native.annotate(ch)[0].reading == native.annotate(unified)[0].reading, hex(ord(ch))


# The 80 compatibility ideographs that no permitted source reads: twelve unified ones with
# no decomposition (U+FA0E...), and those whose unified forms (U+FA6C -> U+242EE...) are
# Extension A/B characters that none of the dictionaries, the 廣韻 (qieyun) or the Mandarin
# readings (pypinyin) have.  Unihan has a reading for five of them, and only in Cantonese.
UNREADABLE_COMPATIBILITY = (
    "\ufa0e\ufa0f\ufa11\ufa13\ufa14\ufa1f\ufa21\ufa23\ufa24\ufa27\ufa28\ufa29\ufa6c\ufacf\ufad0\ufad1\ufad5"
    "\U0002f803\U0002f812\U0002f816\U0002f834\U0002f838\U0002f859\U0002f861\U0002f86c\U0002f87d\U0002f897"
    "\U0002f898\U0002f8b8\U0002f8c7\U0002f8ca\U0002f8dd\U0002f8e3\U0002f8ec\U0002f8f0\U0002f8f7\U0002f8f8"
    "\U0002f8f9\U0002f8fb\U0002f910\U0002f911\U0002f91b\U0002f91d\U0002f91f\U0002f923\U0002f927\U0002f935"
    "\U0002f937\U0002f93b\U0002f93c\U0002f93d\U0002f941\U0002f942\U0002f943\U0002f944\U0002f95c\U0002f961"
    "\U0002f96b\U0002f973\U0002f975\U0002f97b\U0002f97c\U0002f97e\U0002f987\U0002f997\U0002f9a4\U0002f9a6"
    "\U0002f9a7\U0002f9ab\U0002f9ad\U0002f9cb\U0002f9cc\U0002f9dd\U0002f9e0\U0002f9e1\U0002f9e5\U0002f9ed"
    "\U0002f9f1\U0002f9fb\U0002fa13"
)


def test_every_compatibility_ideograph_reads_like_its_unified_form(native):
    compatibility = [chr(cp) for cp in [*range(0xF900, 0xFB00), *range(0x2F800, 0x2FA20)]
                     if unicodedata.name(chr(cp), "").startswith("CJK COMPATIBILITY IDEOGRAPH")]
    assert len(compatibility) == 1014
    unread = []
    for ch in compatibility:
        reading = native.annotate(ch)[0].reading
        assert reading == native.annotate(unicodedata.normalize("NFD", ch))[0].reading, hex(ord(ch))
        if reading is None:
            unread.append(ch)
    assert "".join(unread) == UNREADABLE_COMPATIBILITY


@pytest.mark.parametrize("char", ["它", "繽", "刈", "𬦰"])
def test_the_issues_characters(native, char):
    assert native.annotate(char)[0].reading


def test_estimated_readings_are_marked(native, reference):
    estimated = [fields[0] for fields in (line.split("\t") for line in
                                          lexicon.DEFAULT_TSV.read_text(encoding="utf-8").splitlines())
                 if fields[4:5] == ["estimated"]]
    assert len(estimated) > 5000
    char = estimated[0]
    token = native.annotate(char)[0]
    assert token.estimated and token.asdict()["estimated"] is True
    assert json.loads(native.to_json(char))[0]["estimated"] is True
    assert 'class="fp-char fp-estimated"' in native.to_html(char)
    assert reference.annotate(char)[0].astuple() == token.astuple()
    assert reference.to_html(char) == native.to_html(char)
    plain = native.annotate("台")[0]
    assert not plain.estimated and "estimated" not in plain.asdict()
    assert "estimated" not in native.to_json("台灣")
