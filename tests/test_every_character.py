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


@pytest.mark.parametrize("char", ["它", "繽", "刈", "𬦰"])
def test_the_issues_characters(native, char):
    assert native.annotate(char)[0].reading


def test_estimated_readings_are_marked(native, reference):
    estimated = [line.split("\t")[0] for line in lexicon.DEFAULT_TSV.read_text(encoding="utf-8").splitlines()
                 if line.endswith("\testimated")]
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
