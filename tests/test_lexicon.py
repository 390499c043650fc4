"""The lexicon TSV, its compiled form, and what happens when a file is bad."""

import struct

import pytest

from fastpron import Annotator, lexicon
from fastpron._core import CompiledLexicon
from fastpron.lexicon import LexiconError
from fastpron.syllable import SyllableError, alternants, join_reading, parse_reading, parse_syllable, render_tailo

SMALL_TSV = "hanji\treading\tsource\tweight\n台\ttai5\tchar\t3\n灣\tuan5\tchar\t2\n台灣\tTai5-uan5\tword\t5\n"


@pytest.fixture
def small(tmp_path, monkeypatch):
    """(tsv, binary): SMALL_TSV written out and where its compiled form goes, with a cache of its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    tsv = tmp_path / "small.tsv"
    tsv.write_text(SMALL_TSV, encoding="utf-8")
    return tsv, tmp_path / "small.fpl"


@pytest.mark.parametrize("marked, numbered", [
    ("tsia̍h", "tsiah8"), ("Tâi", "tai5"), ("--ah", "--ah4"), ("nn̄g", "nng7"), ("hm̄", "hm7"),
    ("kok", "kok4"), ("a", "a1"), ("ő", "o9"), ("ǎ", "a6"),
])
def test_parse_and_render_syllables(marked, numbered):
    assert parse_syllable(marked) == numbered
    assert render_tailo(numbered) == marked.lower()


def test_numbered_input_is_accepted():
    assert parse_syllable("Tsiah8") == "tsiah8"


def test_readings_with_neutral_tone_and_alternants():
    assert parse_reading("bô--khì") == ["bo5", "--khi3"]
    assert join_reading(["bo5", "--khi3"]) == "bo5--khi3"
    assert parse_reading("sian1-senn1/*sinn1") == ["sian1", "senn1/*sinn1"]
    assert alternants("senn1/*sinn1") == ("senn1", "sinn1", "sinn1")
    assert alternants("--jin5/lin5") == ("--jin5", "--lin5", "--jin5")


@pytest.mark.parametrize("bad", ["", "tsi̍á", "ts1h", "x-ray!", "a0"])
def test_bad_syllables(bad):
    with pytest.raises(SyllableError):
        parse_reading(bad)


def test_committed_lexicon_is_sane():
    entries = lexicon.read_tsv(lexicon.DEFAULT_TSV)
    assert len(entries) > 55_000
    assert entries["台灣"].readings[0].numbered() == "Tai5-uan5"
    assert [r.numbered() for r in entries["行"].readings][:2] == ["kiann5", "hing5"]
    assert entries["人"].readings[1].syllables == ("jin5/lin5",)


def test_compile_and_load_round_trip(tmp_path):
    tsv = tmp_path / "small.tsv"
    tsv.write_text(SMALL_TSV, encoding="utf-8")
    annotator = Annotator(lexicon=tsv)
    assert annotator.romanize("台灣台") == "Tâi-uân tâi"
    assert annotator.romanize("行") == "行"        # not in this small lexicon


def test_stale_binary_is_rebuilt(small):
    tsv, binary = small
    data, _ = lexicon.load_binary(tsv, binary)
    assert binary.read_bytes() == data
    tsv.write_text(SMALL_TSV.replace("tai5\tchar", "tai7\tchar"), encoding="utf-8")
    data2, _ = lexicon.load_binary(tsv, binary)
    assert data2 != data and lexicon.read_header(data2).source_digest == lexicon.file_digest(tsv)


def test_a_mapped_lexicon_is_read_in_place(small):
    """The Annotator maps the compiled file (load_binary mapped=True) and the core reads it where it lies."""
    from fastpron import _core
    tsv, binary = small
    built, _ = lexicon.load_binary(tsv, binary)
    mapped, origin = lexicon.load_binary(tsv, binary, mapped=True)
    assert isinstance(mapped, memoryview) and mapped.readonly and mapped == built and origin == str(binary)
    core = _core.Core(CompiledLexicon(mapped, origin, verify_crc=False))
    assert core.lookup("台灣") == ["Tai5-uan5"]
    empty = binary.parent / "empty.fpl"         # mmap refuses an empty file: it is read (and refused later)
    empty.write_bytes(b"")
    from fastpron.binary import _read_binary
    assert _read_binary(empty, mapped=True)[0] == b""


def test_a_writable_or_misaligned_buffer_is_copied():
    """bytes and aligned read-only buffers are used in place; a writable one could change
    under the checks, and a misaligned one would misalign the tables."""
    from fastpron import _core
    data = bytearray(lexicon.compile_entries({"台": lexicon.Entry("台", (lexicon.Reading(("tai5",), 1),))}))
    compiled = CompiledLexicon(data, "lexicon.fpl")
    data[lexicon.HEADER_SIZE:] = bytes(len(data) - lexicon.HEADER_SIZE)
    assert _core.Core(compiled).lookup("台") == ["tai5"]
    small = lexicon.compile_entries({"灣": lexicon.Entry("灣", (lexicon.Reading(("uan5",), 1),))})
    misaligned = memoryview(b"\0" + small)[1:]
    assert _core.Core(CompiledLexicon(misaligned, "lexicon.fpl")).lookup("灣") == ["uan5"]


@pytest.fixture(scope="module")
def compiled():
    data, _ = lexicon.load_binary()
    return data


@pytest.mark.parametrize("damage, message", [
    (lambda d: b"NOTALEX\0" + d[8:], "bad magic"),
    (lambda d: d[:8] + struct.pack("<I", 99) + d[12:], "format version 99"),
    (lambda d: d[: len(d) // 2], "truncated"),
    (lambda d: d[:-100] + bytes(100), "corrupt"),
    (lambda d: b"", "bad magic"),
])
def test_corrupt_binary_is_a_clear_error(compiled, damage, message):
    with pytest.raises(LexiconError, match=message) as info:
        CompiledLexicon(damage(compiled), "lexicon.fpl")
    assert "lexicon.fpl" in str(info.value) and "python -m fastpron.compile" in str(info.value)


def test_a_syllable_that_is_no_tailo_is_a_clear_error_on_first_use():
    # Well formed, so the loader lets it through (checking every syllable at load
    # would cost start-up), but no syllable of Tâi-lô: the first rendering that
    # parses it (方音符號 here; Tâi-lô itself is written as stored) names the file
    # and the fix, like the loader's own errors.
    from fastpron import _core
    entries = {"台": lexicon.Entry("台", (lexicon.Reading(("lt4",), 1),))}
    annotator = Annotator()
    annotator._core = _core.Core(CompiledLexicon(lexicon.compile_entries(entries), "damaged/lexicon.fpl"))
    annotator._tables = {}
    with pytest.raises(LexiconError, match="lt4") as info:
        annotator.romanize("台", system="tps")
    assert "damaged/lexicon.fpl" in str(info.value) and "python -m fastpron.compile" in str(info.value)


def _with_body(compiled, edit):
    """The compiled lexicon with its body edited and its CRC made to match."""
    import zlib
    header = lexicon.read_header(compiled)
    body = bytearray(compiled[lexicon.HEADER_SIZE:])
    offsets_end = 4 * (header.n_syllables + 1)
    blob = struct.unpack_from("<I", body, 4 * header.n_syllables)[0]
    records_at = (offsets_end + blob + 7) // 8 * 8
    edit(body, header, records_at)
    fields = list(struct.unpack_from("<8sII32s9II", compiled))
    fields[-1] = zlib.crc32(body)
    return struct.pack("<8sII32s9II", *fields) + bytes(body)


def _slots_at(header, records_at):
    return (records_at + header.n_record_words * 4 + 7) // 8 * 8


def _first_reading_record(body, header, records_at):
    """Offset in bytes of the first record that has readings."""
    at = records_at
    while True:
        word = struct.unpack_from("<I", body, at)[0]
        n_readings, key_length = word & 0xFFFF, word >> 16
        if n_readings not in (0, 0xFFFF):
            return at
        at += 4


@pytest.mark.parametrize("edit, message", [
    (lambda body, h, at: struct.pack_into("<I", body, at, 0xFFFE | h.max_key_len << 16), "record 0 runs past the end"),
    (lambda body, h, at: struct.pack_into("<I", body, at, 0xFFFF | 99 << 16), "record 0 has a bad key length"),
    (lambda body, h, at: struct.pack_into("<I", body, _first_reading_record(body, h, at) + 12, 0xFFFFFF),
     "names a syllable out of range"),
    (lambda body, h, at: [struct.pack_into("<IIIi", body, _slots_at(h, at) + 16 * k, 7, 7, 0x0FFFFFFF, 0)
                          for k in range(h.n_slots)], "hash slot 0 is out of range"),
])
def test_out_of_range_offsets_are_caught_even_with_a_good_crc(compiled, edit, message):
    """A file whose CRC matches but whose offsets are wrong must not crash the core."""
    with pytest.raises(LexiconError, match=message):
        CompiledLexicon(_with_body(compiled, edit), "lexicon.fpl")


def test_corrupt_tsv_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("hanji\treading\n台灣\ttai5\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"bad.tsv:2: 1 syllables for 2 characters"):
        Annotator(lexicon=bad)
    bad.write_text("word,reading\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="first line must be the header"):
        Annotator(lexicon=bad)
    with pytest.raises(LexiconError, match="does not exist"):
        Annotator(lexicon=tmp_path / "missing.tsv")


def test_tsv_context_column(tmp_path):
    tsv = tmp_path / "ctx.tsv"
    tsv.write_text("hanji\treading\tsource\tweight\tcontext\n咧\tteh4\tchar\t2\t\n咧\tleh4\tchar\t1\tfinal\n"
                   "坐\ttse7\tchar\t1\t\n", encoding="utf-8")
    assert Annotator(lexicon=tsv).romanize("咧坐咧") == "Teh tsē leh"
    tsv.write_text("hanji\treading\tsource\tweight\tcontext\n咧\tleh4\tchar\t1\tlast\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="unknown context 'last'"):
        Annotator(lexicon=tsv)


def test_variants_file(tmp_path):
    tsv = tmp_path / "small.tsv"
    tsv.write_text(SMALL_TSV, encoding="utf-8")
    (tmp_path / "variants.tsv").write_text("variant\tstandard\tsource\n臺\t台\tvariant\n", encoding="utf-8")
    annotator = Annotator(lexicon=tsv)
    assert annotator.romanize("臺灣") == "Tâi-uân"
    (tmp_path / "variants.tsv").write_text("variant\tstandard\n臺灣\t台\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"variants.tsv:2: expected 'variant<TAB>standard', one character each"):
        Annotator(lexicon=tsv)


def test_committed_variants():
    variants = lexicon.read_variants(lexicon.variants_path(lexicon.DEFAULT_TSV))
    assert variants["臺"] == "台" and variants["湾"] == "灣"
    assert "后" not in variants       # a character with readings of its own is never rewritten


def test_a_binary_is_never_used_for_another_tsv(tmp_path, monkeypatch):
    """The package's compiled lexicon is newer than a TSV written long ago, but it is not that TSV's."""
    import os
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    tsv = tmp_path / "old.tsv"
    tsv.write_text(SMALL_TSV, encoding="utf-8")
    os.utime(tsv, (1_000_000_000, 1_000_000_000))           # 2001
    assert Annotator(lexicon=tsv).romanize("行") == "行"      # not in the small lexicon


def test_the_fast_default_rendering_is_the_renderer():
    """options.rendered_strings writes Tâi-lô with syllable.render_tailo; systems.render must agree."""
    from fastpron.systems import System, ToneStyle, render
    entries = lexicon.read_tsv(lexicon.DEFAULT_TSV)
    syllables = {side.lower().lstrip("*") for e in entries.values() for r in e.readings
                 for s in r.syllables for side in s.replace("/*", "/").split("/")}
    for syllable in sorted(syllables):
        assert render_tailo(syllable) == render(syllable, System.TL, ToneStyle.MARKS), syllable


def test_the_table_writers_of_many_syllables_are_the_writers_of_one():
    """render_tailo_all and capitalize_all (a render table's worth at once) give what
    render_tailo and capitalize give one by one, for every syllable of the lexicon."""
    from fastpron.syllable import nfc_each, render_tailo_all
    from fastpron.systems import System, capitalize, capitalize_all, render
    entries = lexicon.read_tsv(lexicon.DEFAULT_TSV)
    syllables = sorted({side.lstrip("*") for e in entries.values() for r in e.readings
                        for s in r.syllables for side in s.replace("/*", "/").split("/")})
    marked = render_tailo_all(syllables)
    assert marked == [render_tailo(s) for s in syllables]
    for system in System:
        rendered = [render(s, system) for s in syllables]
        assert capitalize_all(rendered, system) == [capitalize(text, system) for text in rendered], system
    assert render_tailo_all([]) == [] and nfc_each(["a\u0302\nb", "o\u0301"]) == ["\u00e2\nb", "\u00f3"]
    with pytest.raises(SyllableError, match="tsiah"):
        render_tailo_all(["tai5", "tsiah"])


@pytest.mark.parametrize("damage, reason", [
    (lambda d: d[:-100] + bytes(100), lambda d: "corrupt (CRC mismatch)"),
    (lambda d: d[: len(d) // 2], lambda d: f"truncated or padded ({len(d) // 2} bytes, expected {len(d)})"),
    (lambda d: b"NOTALEX\0" + d[8:], lambda d: "not a compiled fastpron lexicon (bad magic)"),
])
@pytest.mark.parametrize("mapped", [False, True])
def test_a_damaged_binary_is_rebuilt_with_a_warning(small, caplog, damage, reason, mapped):
    """It used to be rebuilt in silence: now the log names the file, the reason and the source."""
    tsv, binary = small
    data, _ = lexicon.load_binary(tsv, binary)
    lexicon.cache_binary_path(tsv.absolute()).unlink(missing_ok=True)
    binary.write_bytes(damage(data))
    with caplog.at_level("WARNING", logger="fastpron"):
        rebuilt, origin = lexicon.load_binary(tsv, binary, mapped=mapped)
    assert rebuilt == data and origin == str(binary) and binary.read_bytes() == data
    assert [(r.name, r.levelname, r.getMessage()) for r in caplog.records] == [
        ("fastpron", "WARNING", f"fastpron: the compiled lexicon {binary} cannot be used ({reason(data)}); "
                                f"rebuilding it from {tsv}")]
    caplog.clear()
    with caplog.at_level("WARNING", logger="fastpron"):
        lexicon.load_binary(tsv, binary, mapped=mapped)    # sound again: nothing to say
    assert caplog.records == []


def test_a_linked_tsv_is_compiled_with_the_files_beside_the_link(tmp_path, monkeypatch):
    """A TSV linked into another folder is read with that folder's variants (and register
    model), into a binary of its own: the binary of the file it links to stays that file's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    real, linked = tmp_path / "real", tmp_path / "linked"
    real.mkdir()
    linked.mkdir()
    (real / "lexicon.tsv").write_text(SMALL_TSV, encoding="utf-8")
    (linked / "lexicon.tsv").symlink_to(real / "lexicon.tsv")
    (linked / "variants.tsv").write_text("variant\tstandard\n臺\t台\n", encoding="utf-8")
    assert Annotator(lexicon=linked / "lexicon.tsv").romanize("臺") == "Tâi"
    assert Annotator(lexicon=real / "lexicon.tsv").romanize("臺") == "臺"
    assert Annotator(lexicon=linked / "lexicon.tsv").romanize("臺") == "Tâi"
