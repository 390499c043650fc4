"""What the fuzz targets and the reliability tests share: hostile text, a small
lexicon that every corpus line exercises, and damage to compiled lexicons.

Nothing here touches the network or the work tree: lexicons are built in
memory or in a temporary folder given by the caller.
"""

from __future__ import annotations

import pathlib
import random
import struct
import zlib

ROOT = pathlib.Path(__file__).resolve().parents[2]

# -- hostile text -------------------------------------------------------------------

ODD_STRINGS = [
    "",
    "\0",
    "台\0灣\0",
    "\ud800", "\udfff", "\udc00\ud800", "台\ud800灣\udfff",      # lone surrogates, both halves, reversed
    "\U0010ffff\U000e0001\U00020000\U0002a6d6\U000323af",     # last code point, tags, astral Han
    "a\u0301\u0302\u0303台\u0300灣\u20dd",                      # combining marks, also on Han
    "שלום台灣مرحبا\u202e台\u202c\u200f灣\u061c",                 # right-to-left text and bidi controls
    "\ufeff\ufffe\uffff\ufffd台",                              # BOM, non-characters
    "\x01\x1f\x7f\x80\x9f\u2028\u2029\r\n\r",                 # C0/C1 controls, line separators
    "\u3000\xa0\t 台 灣\u3000",                                 # every space the core knows
    "<script>alert(1)</script>&amp;\"'台灣",                  # HTML specials
    "臺湾着爲裏儂", "𠀁𠀀",                                       # variants, astral variant (small lexicon)
    "。。。，，，「」『』《》〈〉【】～！？：；（）",                     # every CJK punctuation mapped to Latin
    "Tâi-uân lâng kiânn-lōo tsia̍h-pn̄g --ah",                 # romanised words (romanized="convert")
    "台" * 70, "台灣" * 40 + "人",                               # longer than any key
    "銀行行路" * 3 + "行" * 5,
    "\U0001f600\U0001f1f9\U0001f1fc台灣\u200d\U0001f468",        # emoji, ZWJ
]

# One code point from each plane and block of interest, for strategies and corpora.
PLANE_SAMPLES = [chr(cp) for cp in (
    0x0, 0x9, 0xA, 0x20, 0x41, 0x7F, 0xA0, 0xE9, 0x301, 0x5D0, 0x627, 0x200D, 0x202E, 0x3000, 0x3002,
    0x4E00, 0x53F0, 0x7063, 0x9FFF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xF900, 0xFF0C, 0xFFFD, 0xFFFF,
    0x10000, 0x1F600, 0x20000, 0x20001, 0x2A6D6, 0x323AF, 0x323B0, 0xE0001, 0xF0000, 0x10FFFF)]

# -- a small lexicon --------------------------------------------------------------------

SMALL_ENTRIES = [
    # key, readings (best first); "final:" marks the reading at the end of a phrase, "news:"
    # the reading of a sentence that reads as news (SMALL_REGISTER: one with 銀行 or 台灣人)
    ("台", ["tai5"]), ("灣", ["uan5"]), ("台灣", ["Tai5-uan5"]), ("人", ["lang5", "news:jin5/lin5"]),
    ("台灣人", ["Tai5-uan5-lang5"]), ("行", ["kiann5", "hing5", "hang5"]), ("路", ["loo7"]),
    ("行路", ["kiann5-loo7"]), ("銀", ["gin5/gun5"]), ("銀行", ["gin5/gun5-hang5"]),
    ("咧", ["teh4", "final:leh4"]), ("仔", ["a2"]), ("印", ["in3"]), ("印仔", ["in3-a2"]),
    ("無", ["bo5"]), ("去", ["khi3"]), ("無去", ["bo5--khi3"]), ("先生", ["sian1-sinn1/senn1"]),
    ("𠀀", ["ngiau1"]), ("𠀀𠀀", ["ngiau1-ngiau1"]), ("食", ["tsiah8"]), ("飯", ["png7"]),
    ("食飯", ["tsiah8-png7"]), ("一二三四五六七八", ["it4-ji7-sann1-si3-goo7-lak8-tshit4-peh4"]),
]
SMALL_VARIANTS = {"臺": "台", "湾": "灣", "𠀁": "𠀀"}
SMALL_REGISTER = {"#threshold": 500, "#unseen_pair": -100, "": 0, "銀": 1000, "銀行": 2000, "灣人": 3000, "𠀀": -50}

SMALL_CORPUS = [
    "台灣人行路去銀行。", "臺湾人咧食飯咧", "印仔無去，先生行。", "𠀀𠀀𠀁𠀀台", "一二三四五六七八一二三四五六七",
    "行行行行行行", "台灣台灣人台", "銀行行路", "咧", "人。咧！", "先生\n先生\r\n先生",
    "abc台灣123 <b>&", *ODD_STRINGS,
]


def small_tsv(folder: pathlib.Path) -> pathlib.Path:
    """The small lexicon as a TSV (and its variants.tsv) in `folder`, for Annotator(lexicon=...)."""
    lines = ["hanji\treading\tsource\tweight\tcontext"]
    for key, readings in SMALL_ENTRIES:
        for rank, reading in enumerate(readings):
            final, news = reading.startswith("final:"), reading.startswith("news:")
            reading = reading.removeprefix("final:").removeprefix("news:")
            lines.append(f"{key}\t{reading}\tword\t{10 - rank}\t{'final' if final else ''}\t{'news' if news else ''}")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lexicon.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "variants.tsv").write_text(
        "variant\tstandard\n" + "".join(f"{v}\t{s}\n" for v, s in SMALL_VARIANTS.items()), encoding="utf-8")
    (folder / "register.tsv").write_text(
        "chars\tweight\n" + "".join(f"{k}\t{w}\n" for k, w in SMALL_REGISTER.items()), encoding="utf-8")
    return folder / "lexicon.tsv"


def small_lexicon_bytes() -> bytes:
    """The small lexicon, compiled (through the TSV reader, as `python -m fastpron.compile` does)."""
    import tempfile
    from fastpron import lexicon
    with tempfile.TemporaryDirectory() as folder:
        tsv = small_tsv(pathlib.Path(folder))
        return lexicon.compile_tsv(tsv)


# -- compiled lexicons, damaged ------------------------------------------------------------

HEADER_SIZE = 88            # fastpron/lexicon.py: _HEADER.size
CRC_AT = HEADER_SIZE - 4    # the CRC-32 of the body is the header's last field
INTERESTING = (0, 1, 2, 3, 7, 8, 0x7F, 0x80, 0xFF, 0xFFFF, 0x10000, 0x10FFFF, 0x110000,
               0x0FFFFFFF, 0x10000000, 0x20000000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF)


def reseal(data: bytes) -> bytes:
    """`data` with the header's CRC made to match the body, as a careful forger would."""
    if len(data) < HEADER_SIZE:
        return data
    return data[:CRC_AT] + struct.pack("<I", zlib.crc32(data[HEADER_SIZE:])) + data[CRC_AT + 4:]


def sections(data: bytes) -> dict[str, tuple[int, int]]:
    """(start, end) in bytes of each section of an intact compiled lexicon."""
    from fastpron import lexicon
    header = lexicon.read_header(data)
    at = HEADER_SIZE + 4 * (header.n_syllables + 1) + lexicon.syllable_blob_size(data, header)
    syllables = (HEADER_SIZE, at)
    records = ((at + 7) // 8 * 8, (at + 7) // 8 * 8 + 4 * header.n_record_words)
    slots = ((records[1] + 7) // 8 * 8, (records[1] + 7) // 8 * 8 + lexicon.SLOT_SIZE * header.n_slots)
    register_at = (slots[1] + 7) // 8 * 8
    register = (register_at, register_at + (16 + 12 * header.n_register if header.n_register else 0))
    variants = ((register[1] + 7) // 8 * 8, len(data))
    return {"header": (0, HEADER_SIZE), "syllables": syllables, "records": records, "slots": slots,
            "register": register, "variants": variants}


def mutate(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One random kind of damage, CRC recomputed afterwards (except for truncation, on purpose)."""
    from fastpron import lexicon
    out = bytearray(data)
    layout = sections(data)
    kind = rng.choice(["flip", "flip", "word", "word", "copy", "header", "slot", "redirect", "truncate", "splice"])
    if kind == "flip":                  # 1-8 random bytes xor a random non-zero byte
        spots = [rng.randrange(len(out)) for _ in range(rng.randint(1, 8))]
        for at in spots:
            out[at] ^= rng.randint(1, 255)
        what = f"flip bytes {spots[:4]}"
    elif kind in ("word", "header", "slot"):
        if kind == "header":            # a count in the header (not covered by the CRC)
            at = rng.choice(range(8, CRC_AT, 4))
        elif kind == "slot":            # a field of a hash slot
            start, end = layout["slots"]
            at = rng.randrange(start, end, 4)
        else:
            at = rng.randrange(0, len(out) - 3) & ~3
        old = struct.unpack_from("<I", out, at)[0]
        value = rng.choice([rng.choice(INTERESTING), (old + rng.randint(-3, 3)) & 0xFFFFFFFF,
                            rng.getrandbits(32), old ^ (1 << rng.randrange(32))])
        struct.pack_into("<I", out, at, value)
        what = f"{kind} word at {at}: {old:#x} -> {value:#x}"
    elif kind == "copy":                # a word copied from elsewhere: plausible offsets, wrong places
        src, dst = rng.randrange(len(out) - 3) & ~3, rng.randrange(len(out) - 3) & ~3
        out[dst:dst + 4] = out[src:src + 4]
        what = f"copy word {src} -> {dst}"
    elif kind == "redirect":            # a hash slot names the record of another key: every offset valid
        start, end = layout["slots"]
        used = [at for at in range(start, end, 16) if struct.unpack_from("<I", out, at + 8)[0]]
        at, other = rng.choice(used), rng.choice(used)
        entry, target = struct.unpack_from("<I", out, at + 8)[0], struct.unpack_from("<I", out, other + 8)[0]
        struct.pack_into("<I", out, at + 8, (entry & ~lexicon.SLOT_INDEX) | (target & lexicon.SLOT_INDEX))
        what = f"redirect slot at {at} to the record of slot at {other}"
    elif kind == "truncate":
        cut = rng.randrange(len(out))
        return bytes(out[:cut]) if rng.random() < 0.5 else reseal(bytes(out[:cut])), f"truncate at {cut}"
    else:                               # splice: bytes inserted or removed inside the body
        at = rng.randrange(HEADER_SIZE, len(out))
        if rng.random() < 0.5:
            del out[at:at + rng.randint(1, 64)]
            what = f"remove bytes at {at}"
        else:
            out[at:at] = rng.randbytes(rng.randint(1, 64))
            what = f"insert bytes at {at}"
    return reseal(bytes(out)), what


def exercise(compiled) -> int:
    """Use a loaded lexicon the way an Annotator does, over the corpus.  Returns the characters written."""
    from fastpron._core import Core, RenderTable
    from fastpron.options import Options, rendered_strings, syllable_flags, syllable_separator
    core = Core(compiled)
    written = 0
    for options, flags in ((Options.make(), 7), (Options.make(system="tps", tones="numbers", dialect="north"), 4)):
        table = RenderTable(rendered_strings(compiled.syllables, options), syllable_separator(options.system),
                            syllable_flags(compiled.syllables, options))
        for text in SMALL_CORPUS:
            written += len(core.romanize(text, table, flags)) + len(core.to_html(text, table, flags))
            written += len(core.annotate(text, table, flags, {0: 1, 1: 2, 2: 1}))
    for key, _readings in SMALL_ENTRIES:
        written += len(core.lookup(key))
    return written


def core_gaps(data: bytes) -> list[str]:
    """The gaps the core's own checks once had (docs/reliability.md, findings 1-3, closed in
    _core.pyx, now _lookup.pyx) that a file has: with any of them, an accepted file crashed or hung the core later.
    The fuzzers classify findings by them; [] if the file has none (or cannot be read)."""
    from fastpron import lexicon
    try:
        header = lexicon.read_header(data)
        at = HEADER_SIZE + 4 * (header.n_syllables + 1) + lexicon.syllable_blob_size(data, header)
        records_at = (at + 7) // 8 * 8
        slots_at = (records_at + 4 * header.n_record_words + 7) // 8 * 8
        words = struct.unpack_from(f"<{header.n_record_words}I", data, records_at)
        key_length, offset = {}, 0
        while offset < len(words):
            n_readings, length = words[offset] & 0xFFFF, words[offset] >> 16
            key_length[offset] = length
            offset += 1 if n_readings == 0xFFFF else 1 + n_readings * (2 + length)
        gaps, occupied = set(), 0
        for k in range(header.n_slots):
            parent, _cp, entry, _cost = struct.unpack_from("<IIIi", data, slots_at + 16 * k)
            if not entry:
                continue
            occupied += 1
            depth = 1 if parent == 0xFFFFFFFF else key_length.get(parent, -1) + 1
            if key_length.get((entry & lexicon.SLOT_INDEX) - 1) != depth:
                gaps.add("slot and record disagree on the key length")
        if occupied >= header.n_slots:
            gaps.add("no empty hash slot")
        if header.max_key_len > max(key_length.values(), default=0):
            gaps.add("header max_key_len above the longest key")
        return sorted(gaps)
    except Exception:       # noqa: BLE001 — a file this cannot read is none of the known cases
        return []


def crafted(kind: str) -> tuple[bytes, str]:
    """The small lexicon with one known core gap, CRC recomputed; and a text that runs into it.

    slot-depth:  the hash slot of 台灣 names the record of 去, a one-character key: the
                 core reads 台灣's second syllable id from the next record's header (65537)
                 and looks it up in a render table of 30 syllables (a crash today).
    full-table:  every empty hash slot filled with a copy of an existing one: a probe for a
                 key that is not there never meets an empty slot (a hang today).
    max-key-len: the header's longest key set far above the longest real key: the segmenter
                 sizes its work by it (memory exhausted or a hang today).
    bad-record:  a record with a key length of 0: refused, but the message names no fix.
    """
    from fastpron import lexicon
    data = bytearray(small_lexicon_bytes())
    layout = sections(bytes(data))
    start, end = layout["slots"]
    slots = [list(struct.unpack_from("<IIIi", data, at)) for at in range(start, end, 16)]
    one = {chr(s[1]): s for s in slots if s[2] and s[0] == 0xFFFFFFFF}
    text = "台灣人行路去銀行。" + "".join(chr(0x20000 + k) + "台" + chr(0x4E00 + k) for k in range(3000))
    if kind == "slot-depth":
        parent = (one["台"][2] & lexicon.SLOT_INDEX) - 1
        k = next(k for k, s in enumerate(slots) if s[0] == parent and s[1] == ord("灣"))
        slots[k][2] = (slots[k][2] & ~lexicon.SLOT_INDEX) | (one["去"][2] & lexicon.SLOT_INDEX)
        text = "台灣"
    elif kind == "full-table":
        for k, slot in enumerate(slots):
            if not slot[2]:
                slots[k] = [0x00ABCDEF, 0x41 + k, one["人"][2] & ~(1 << 31), 1000]
    elif kind == "max-key-len":
        struct.pack_into("<I", data, 72, 0x7FFFFFFF)
    elif kind == "bad-record":
        at = layout["records"][0]
        struct.pack_into("<I", data, at, struct.unpack_from("<I", data, at)[0] & 0xFFFF)
    else:
        raise ValueError(kind)
    for k, slot in enumerate(slots):
        struct.pack_into("<IIIi", data, start + 16 * k, *slot)
    return reseal(bytes(data)), text
