"""The lexicon: reading ``lexicon_data/lexicon.tsv`` and compiling it to a binary.

The binary (``*.fpl``) is what the Cython core loads.  It is little-endian and
laid out so that the core uses it in place, without parsing:

    header   magic, format version, fingerprint of the source, section counts, CRC-32 of the body
    body     syllable strings, records, hash slots (open addressing, linear probing),
             the register model (sorted keys and their weights), variant pairs (code point -> code point)

A record holds everything about one key, in 32-bit words, so rendering a
token reads one place:

    n_readings | key_length << 16          (n_readings 0xFFFF: a prefix only; 0: removed)
    per reading:  flags, weight, one syllable id per character

The hash table is a trie kept in one hash table: a key is found by its
parent (the record of the key without its last character) and its last code
point, so looking up text[i:i+1], text[i:i+2], ... costs one probe per
character and compares two integers, never a string.  Every proper prefix of
a key has a record too (without readings), and a slot says whether longer
keys extend it, so the core stops as soon as none does.  A slot also carries
the key's segmentation cost and flags: one cache line per probe.

Variant characters (臺 -> 台, simplified -> traditional) come from
``variants.tsv`` beside the lexicon TSV.  Keys are stored in their standard
form, and the core maps every input character the same way before looking it
up, so 臺灣 finds 台灣 while the output keeps the characters as written.

Costs for the segmenter are computed here, once, so the core and the
pure-Python reference use exactly the same numbers.
"""

from __future__ import annotations

import dataclasses
import math
import os
import pathlib
import re
import struct
import sys
import unicodedata
import zlib

from .syllable import SyllableError, join_reading, parse_reading

FORMAT_MAGIC = b"FPRNLEX\0"
FORMAT_VERSION = 7

PACKAGE_DIR = pathlib.Path(__file__).resolve().parent
DEFAULT_TSV = PACKAGE_DIR.parent / "lexicon_data" / "lexicon.tsv"
DEFAULT_BINARY = PACKAGE_DIR / "data" / "lexicon.fpl"

# Segmentation costs (integers, so the core and the reference agree exactly).
# A path with fewer tokens wins; among equal counts, more common words win.
TOKEN_COST = 1000
WORD_BONUS_PER_LOG2 = 40
WORD_BONUS_MAX = 400
USER_BONUS = 500            # a user's own entry beats the lexicon's
UNKNOWN_COST = 1500         # a Han character that no entry covers
OTHER_COST = TOKEN_COST     # any other character

READING_CAPITAL = 1         # reading flag: a proper noun, written with a capital
READING_FINAL = 2           # reading flag: the reading at the end of a phrase (咧 leh)
READING_PHRASE = 4          # reading flag: two words kept together (這是 tse sī): no hyphen between them
READING_ESTIMATED = 8       # reading flag: estimated from the character's 廣韻 position, no dictionary's
READING_NEWS = 16           # reading flag: the one a sentence that reads as news takes (register.tsv)

# Header: magic, version, flags, source fingerprint, then counts, then crc32 of the body.
_HEADER = struct.Struct("<8sII32s9II")   # 88 bytes, so the body starts 8-aligned
_REGISTER_PARAMETERS = struct.Struct("<iiii")   # threshold, unseen pair, unknown character, 0
_SLOT = struct.Struct("<IIIi")         # parent, last code point, record offset + 1 with SLOT_* flags, cost

NO_PARENT = 0xFFFFFFFF                 # slot parent of a one-character key
SLOT_INDEX = (1 << 27) - 1             # record offset + 1; 0 marks an empty slot
SLOT_NEWS = 1 << 27                    # a reading other than the first is flagged READING_NEWS
SLOT_FINAL = 1 << 28                   # a reading is flagged READING_FINAL
SLOT_HAS_READINGS = 1 << 29            # the key is a token
SLOT_REMOVED = 1 << 30                 # a user entry that hides the lexicon's
SLOT_EXTENDS = 1 << 31                 # some longer key starts with this one
PREFIX_ONLY = 0xFFFF

_MASK64 = (1 << 64) - 1


class LexiconError(Exception):
    """A lexicon file that cannot be used: missing, corrupt, or of another version."""


def slot_hash(parent: int, code_point: int) -> int:
    """The hash the core computes for a (parent, code point) pair (_lookup.pxd: slot_hash)."""
    h = (parent << 32) | code_point
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & _MASK64
    h ^= h >> 33
    return h


@dataclasses.dataclass(frozen=True)
class Reading:
    syllables: tuple[str, ...]   # numbered, lower-case, alternants as "a/b"
    weight: int
    capital: bool = False        # proper noun
    final: bool = False          # the reading before punctuation or the end of the text
    phrase: bool = False         # the key is a phrase of words, not one word
    estimated: bool = False      # estimated (lexicon_data/import_estimated.py), not a dictionary's
    news: bool = False           # the reading of a sentence that reads as news (RegisterModel)

    def numbered(self) -> str:
        """The reading as the TSV writes it: ``Tai5-uan5``, ``bo5--khi3``."""
        syllables = list(self.syllables)
        if self.capital and not syllables[0].startswith("-"):
            syllables[0] = syllables[0][:1].upper() + syllables[0][1:]
        return join_reading(syllables)


@dataclasses.dataclass(frozen=True)
class Entry:
    key: str
    readings: tuple[Reading, ...]  # best first; empty = removed (user tombstone)
    user: bool = False

    @property
    def cost(self) -> int:
        return entry_cost(self)


def entry_cost(entry: Entry) -> int:
    """What one token of this entry costs the segmenter."""
    cost = TOKEN_COST
    if len(entry.key) > 1 and entry.readings:
        weight = max(r.weight for r in entry.readings)
        cost -= min(WORD_BONUS_MAX, round(WORD_BONUS_PER_LOG2 * math.log2(max(weight, 1))))
    if entry.user:
        cost -= USER_BONUS
    return cost


def make_reading(text: str, weight: int = 1, context: str = "", register: str = "") -> Reading:
    """A reading as written in the TSV or by a user: ``Tai5-uan5``, ``tâi-uân``, ``jin5/lin5``."""
    syllables = tuple(parse_reading(text))
    return Reading(syllables, int(weight), capital=text.lstrip("-")[:1].isupper(),
                   final=context == "final", phrase=context == "phrase", estimated=context == "estimated",
                   news=register == "news")


def read_tsv(path: os.PathLike | str) -> dict[str, Entry]:
    """Read a lexicon TSV (header ``hanji reading source weight context register``) into entries.

    Only the first two columns are required; ``context`` is empty,
    ``final`` (the reading the key takes at the end of a phrase) or
    ``phrase`` (the key is several words, written apart) or ``estimated``
    (a character's reading estimated from its 廣韻 position); ``register``
    is empty or ``news`` (the reading a sentence that reads as news takes).
    """
    from .systems import check_syllable      # systems imports this module's neighbours, not it
    grouped: dict[str, list[Reading]] = {}
    checked: set[str] = set()
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header[:2] != ["hanji", "reading"]:
            raise LexiconError(f"{path}: first line must be the header 'hanji<TAB>reading<TAB>...'")
        for line_number, line in enumerate(f, start=2):
            fields = line.rstrip("\n").split("\t")
            if not line.strip():
                continue
            if len(fields) < 2 or not fields[0]:
                raise LexiconError(f"{path}:{line_number}: expected 'hanji<TAB>reading'")
            key, reading_text = fields[0], fields[1]
            weight = fields[3] if len(fields) > 3 and fields[3] else "1"
            context = fields[4] if len(fields) > 4 else ""
            if context not in ("", "final", "phrase", "estimated"):
                raise LexiconError(f"{path}:{line_number}: unknown context {context!r} "
                                   f"(expected nothing, 'final', 'phrase' or 'estimated')")
            register = fields[5] if len(fields) > 5 else ""
            if register not in ("", "news"):
                raise LexiconError(f"{path}:{line_number}: unknown register {register!r} (expected nothing or 'news')")
            try:
                reading = make_reading(reading_text, int(weight), context, register)
            except (SyllableError, ValueError) as err:
                raise LexiconError(f"{path}:{line_number}: {err}") from None
            if len(reading.syllables) != len(key):
                raise LexiconError(
                    f"{path}:{line_number}: {len(reading.syllables)} syllables for {len(key)} characters in {key!r}")
            for syllable in reading.syllables:
                if syllable not in checked:
                    try:
                        check_syllable(syllable)
                    except SyllableError as err:
                        raise LexiconError(f"{path}:{line_number}: {err}") from None
                    checked.add(syllable)
            grouped.setdefault(key, []).append(reading)
    return {key: Entry(key, tuple(sorted(readings, key=lambda r: -r.weight)))
            for key, readings in grouped.items()}


def variants_path(tsv: os.PathLike | str) -> pathlib.Path:
    return pathlib.Path(tsv).with_name("variants.tsv")


def register_path(tsv: os.PathLike | str) -> pathlib.Path:
    return pathlib.Path(tsv).with_name("register.tsv")


@dataclasses.dataclass(frozen=True)
class RegisterModel:
    """Whether a sentence reads as news (lexicon_data/learn_register.py has the model).

    ``weights``: one character -> its weight; two characters -> the second's
    weight after the first.  A sentence is news when the sum over its Han
    characters (in standard form) is above ``threshold`` times their number.
    """
    threshold: int
    unseen_pair: int            # added to the second character's own weight for a pair not in weights
    unknown: int                # the weight of a character not in weights
    weights: dict[str, int]

    def is_news(self, chars: str) -> bool:
        total, previous = 0, ""
        for ch in chars:
            pair = self.weights.get(previous + ch) if previous else None
            if pair is not None:
                total += pair
            else:
                total += self.weights.get(ch, self.unknown) + (self.unseen_pair if previous else 0)
            previous = ch
        return bool(chars) and total > self.threshold * len(chars)

    def keys(self) -> list[tuple[int, int]]:
        """(key, weight), sorted: a character's key is its code point, a pair's
        ``(first + 1) << 21 | second``; the core searches them in this order."""
        return sorted(((ord(k) if len(k) == 1 else (ord(k[0]) + 1) << 21 | ord(k[1])), w)
                      for k, w in self.weights.items())


def read_register(path: os.PathLike | str) -> RegisterModel | None:
    """The register model of ``register.tsv`` (``chars weight``), or None without the file."""
    path = pathlib.Path(path)
    if not path.exists():
        return None
    weights: dict[str, int] = {}
    constants: dict[str, int] = {}
    with open(path, encoding="utf-8") as f:
        if f.readline().rstrip("\n") != "chars\tweight":
            raise LexiconError(f"{path}: first line must be the header 'chars<TAB>weight'")
        for line_number, line in enumerate(f, start=2):
            chars, _, weight = line.rstrip("\n").partition("\t")
            try:
                value = int(weight)
            except ValueError:
                raise LexiconError(f"{path}:{line_number}: the weight {weight!r} is not an integer") from None
            if chars.startswith("#"):
                constants[chars[1:]] = value
            elif len(chars) <= 2:
                weights[chars] = value
            else:
                raise LexiconError(f"{path}:{line_number}: expected one or two characters, not {chars!r}")
    missing = {"threshold", "unseen_pair"} - set(constants)
    if missing or "" not in weights:
        raise LexiconError(f"{path}: the rows #threshold, #unseen_pair and the empty key are required")
    return RegisterModel(constants["threshold"], constants["unseen_pair"], weights.pop(""), weights)


def compatibility_variants() -> dict[str, str]:
    """Each CJK compatibility ideograph (U+F900-FAFF, U+2F800-2FA1F) -> its unified
    form, by its canonical decomposition (U+F9B1 -> 鈴): looked up as that."""
    pairs = {}
    for cp in list(range(0xF900, 0xFB00)) + list(range(0x2F800, 0x2FA20)):
        ch = chr(cp)
        unified = unicodedata.normalize("NFD", ch)
        if len(unified) == 1 and unified != ch:
            pairs[ch] = unified
    return pairs


def read_variants(path: os.PathLike | str) -> dict[str, str]:
    """variant -> standard character, from a ``variant standard [source]`` TSV, and
    the compatibility ideographs (compatibility_variants), mapped through it."""
    path = pathlib.Path(path)
    variants = {}
    if path.exists():
        variants = _read_variant_file(path)
    for ch, unified in compatibility_variants().items():
        if ch not in variants:
            variants[ch] = variants.get(unified, unified)
    return variants


def _read_variant_file(path: pathlib.Path) -> dict[str, str]:
    variants = {}
    with open(path, encoding="utf-8") as f:
        for line_number, line in enumerate(f, start=1):
            fields = line.rstrip("\n").split("\t")
            if line_number == 1 and fields[:2] == ["variant", "standard"]:
                continue
            if len(fields) < 2 or len(fields[0]) != 1 or len(fields[1]) != 1:
                raise LexiconError(f"{path}:{line_number}: expected 'variant<TAB>standard', one character each")
            variants[fields[0]] = fields[1]
    return variants


def canonical(key: str, variants: dict[str, str]) -> str:
    """A key with each variant character replaced by its standard form."""
    return "".join(variants.get(ch, ch) for ch in key) if variants else key


def canonical_entries(entries: dict[str, Entry], variants: dict[str, str]) -> dict[str, Entry]:
    """Entries keyed by their standard form; keys that meet merge their readings, best first."""
    merged: dict[str, Entry] = {}
    for key, entry in entries.items():
        standard = canonical(key, variants)
        if standard not in merged:
            merged[standard] = dataclasses.replace(entry, key=standard)
            continue
        have = merged[standard]
        known = {(r.syllables, r.capital) for r in have.readings}
        readings = list(have.readings) + [r for r in entry.readings if (r.syllables, r.capital) not in known]
        merged[standard] = dataclasses.replace(have, readings=tuple(sorted(readings, key=lambda r: -r.weight)))
    return merged


def file_digest(*paths: os.PathLike | str) -> bytes:
    """A fingerprint of the files that exist among `paths` (the TSV and its variants).

    CRC-32 and size of each, padded to the header's 32 bytes: it only has to
    tell a changed source from the one compiled, and zlib is loaded anyway
    (hashlib would add to every start-up).
    """
    parts = b""
    for path in paths:
        if pathlib.Path(path).exists():
            with open(path, "rb") as f:
                data = f.read()
            parts += struct.pack("<IQ", zlib.crc32(data), len(data))
    return parts.ljust(32, b"\0")[:32]


def compile_entries(entries: dict[str, Entry], base_syllables: list[str] | None = None,
                    source_digest: bytes = b"\0" * 32, variants: dict[str, str] | None = None,
                    register: RegisterModel | None = None) -> bytes:
    """Compile entries to the binary format.

    ``base_syllables``: for a user overlay, the base lexicon's syllable list;
    the overlay's ids extend it, so one render table serves both.
    """
    syllables = list(base_syllables or [])
    syllable_id = {s: i for i, s in enumerate(syllables)}
    variants = variants or {}
    entries = canonical_entries(entries, variants)

    keys = dict(entries)
    for key in list(entries):          # every proper prefix becomes a (reading-less) entry
        for size in range(1, len(key)):
            keys.setdefault(key[:size], None)

    ordered = sorted(keys)
    extended = {key[:-1] for key in ordered if len(key) > 1}
    records: list[int] = []
    record_at: dict[str, int] = {}
    slot_items = []
    n_readings = 0
    for key in ordered:
        entry = keys[key]
        readings = entry.readings if entry else ()
        record_at[key] = len(records)
        records.append((len(readings) if entry is not None else PREFIX_ONLY) | len(key) << 16)
        for reading in readings:
            flags = ((READING_CAPITAL if reading.capital else 0) | (READING_FINAL if reading.final else 0)
                     | (READING_PHRASE if reading.phrase else 0) | (READING_ESTIMATED if reading.estimated else 0)
                     | (READING_NEWS if reading.news else 0))
            records += [flags, reading.weight & 0xFFFFFFFF]
            for syllable in reading.syllables:
                if syllable not in syllable_id:
                    syllable_id[syllable] = len(syllables)
                    syllables.append(syllable)
                records.append(syllable_id[syllable])
        n_readings += len(readings)
        slot_flags = ((SLOT_HAS_READINGS if readings else 0)
                      | (SLOT_FINAL if any(r.final for r in readings) else 0)
                      | (SLOT_NEWS if any(r.news for r in readings[1:]) else 0)
                      | (SLOT_REMOVED if entry is not None and not readings else 0)
                      | (SLOT_EXTENDS if key in extended else 0))
        parent = record_at[key[:-1]] if len(key) > 1 else NO_PARENT
        slot_items.append((parent, ord(key[-1]), (record_at[key] + 1) | slot_flags,
                           entry_cost(entry) if readings else 0))
    if len(records) >= SLOT_INDEX:
        raise LexiconError(f"lexicon too large: {len(records)} record words")

    n_slots = 1
    while n_slots < len(ordered) * 3 // 2 + 2:   # load factor about 2/3 at most
        n_slots *= 2
    slots = [(0, 0, 0, 0)] * n_slots
    for item in slot_items:
        at = slot_hash(item[0], item[1]) & (n_slots - 1)
        while slots[at][2]:
            at = (at + 1) & (n_slots - 1)
        slots[at] = item

    syllable_bytes = [s.encode("ascii") for s in syllables]
    offsets, pos = [], 0
    for b in syllable_bytes:
        offsets.append(pos)
        pos += len(b)
    offsets.append(pos)

    register_keys = register.keys() if register else []
    body = bytearray()
    sections = [
        struct.pack(f"<{len(offsets)}I", *offsets) + b"".join(syllable_bytes),
        struct.pack(f"<{len(records)}I", *records),
        b"".join(_SLOT.pack(*slot) for slot in slots),
        (_REGISTER_PARAMETERS.pack(register.threshold, register.unseen_pair, register.unknown, 0)
         + struct.pack(f"<{len(register_keys)}Q", *(k for k, _ in register_keys))
         + struct.pack(f"<{len(register_keys)}i", *(w for _, w in register_keys))) if register else b"",
        b"".join(struct.pack("<II", ord(v), ord(std)) for v, std in sorted(variants.items())),
    ]
    for section in sections:
        body += section
        body += b"\0" * (-len(body) % 8)
    max_key_len = max((len(k) for k in ordered), default=0)
    header = _HEADER.pack(
        FORMAT_MAGIC, FORMAT_VERSION, 0, source_digest,
        len(syllables), len(ordered), n_readings, len(records), len(variants), n_slots,
        max_key_len, len(register_keys) if register else 0, len(body), zlib.crc32(body))
    return header + bytes(body)


@dataclasses.dataclass
class Header:
    version: int
    source_digest: bytes
    n_syllables: int
    n_entries: int
    n_readings: int
    n_record_words: int
    n_variants: int
    n_slots: int
    max_key_len: int
    n_register: int             # register model keys; 0: no model (a user overlay)
    body_size: int
    crc: int
    name: str = "lexicon"       # the file, for the messages of the table readers below


def read_header(data, name: str = "lexicon", verify_crc: bool = True) -> Header:
    """Check magic, version, size and (unless `verify_crc` is false) the CRC of a
    compiled lexicon: bytes, or a memoryview of the mapped file (map_binary)."""
    if len(data) < _HEADER.size or data[:8] != FORMAT_MAGIC:
        raise LexiconError(f"{name}: not a compiled fastpron lexicon (bad magic). "
                           f"Delete it and run `python -m fastpron.compile` to rebuild it.")
    fields = _HEADER.unpack_from(data)
    header = Header(fields[1], fields[3], *fields[4:], name=name)
    if header.version != FORMAT_VERSION:
        raise LexiconError(f"{name}: format version {header.version}, this fastpron reads "
                           f"{FORMAT_VERSION}. Run `python -m fastpron.compile` to rebuild it.")
    if len(data) != _HEADER.size + header.body_size:
        raise LexiconError(f"{name}: truncated or padded ({len(data)} bytes, expected "
                           f"{_HEADER.size + header.body_size}). Run `python -m fastpron.compile` to rebuild it.")
    if verify_crc and zlib.crc32(memoryview(data)[_HEADER.size:]) != header.crc:
        raise LexiconError(f"{name}: corrupt (CRC mismatch). Run `python -m fastpron.compile` to rebuild it.")
    return header


# A stored syllable: numbered, lower case, with its alternants (fastpron/syllable.py).
_STORED_SYLLABLE = re.compile(r"(?:--)?[a-z]+[1-9](?:/\*?(?:--)?[a-z]+[1-9])*\Z")
_STORED_SYLLABLES = re.compile(r"(?:(?:--)?[a-z]+[1-9](?:/\*?(?:--)?[a-z]+[1-9])*\n)*\Z")   # each ends in \n


def _corrupt(header: Header, what: str) -> LexiconError:
    """A damaged table: a clear error, not a struct.error or a crash (tests/fuzz/lexicon_mutator.py)."""
    return LexiconError(f"{header.name}: corrupt ({what}). Run `python -m fastpron.compile` to rebuild it.")


def syllable_strings(data, header: Header) -> list[str]:
    """The syllable table at the start of the body."""
    start = _HEADER.size
    count = header.n_syllables + 1
    try:
        offsets = struct.unpack_from(f"<{count}I", data, start)
        blob = start + 4 * count
        if offsets[-1] > len(data) - blob:
            raise ValueError(f"{offsets[-1]} bytes of text past the end")
        # One decode of the whole text (ASCII: byte offsets are character offsets).
        text = str(memoryview(data)[blob:blob + offsets[-1]], "ascii")
        syllables = [text[offsets[i]:offsets[i + 1]] for i in range(header.n_syllables)]
    except (struct.error, UnicodeDecodeError, ValueError) as err:
        raise _corrupt(header, f"syllable table: {err}") from None
    # One match over them all; a syllable holds no newline, so none can hide a bad one.
    if not _STORED_SYLLABLES.match("\n".join(syllables + [""])):
        bad = next(s for s in syllables if not _STORED_SYLLABLE.match(s))
        raise _corrupt(header, f"syllable {bad!r}")
    return syllables


def syllable_blob_size(data: bytes, header: Header) -> int:
    """Bytes of syllable text after the offsets (the last offset)."""
    try:
        return struct.unpack_from("<I", data, _HEADER.size + 4 * header.n_syllables)[0]
    except struct.error as err:
        raise _corrupt(header, f"syllable table: {err}") from None


HEADER_SIZE = _HEADER.size
SLOT_SIZE = _SLOT.size


def cache_binary_path(tsv: pathlib.Path) -> pathlib.Path:
    """Where to keep the compiled lexicon when the package folder is read-only."""
    base = pathlib.Path(os.environ.get("XDG_CACHE_HOME") or pathlib.Path.home() / ".cache")
    tag = f"{zlib.crc32(str(tsv).encode()):08x}"
    return base / "fastpron" / f"lexicon-{tag}.fpl"


def write_atomic(path: pathlib.Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile                      # only when writing: keeps it out of start-up
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def source_files(tsv: pathlib.Path) -> list[pathlib.Path]:
    """The files a compiled lexicon is made from: the TSV, its variants and its register model."""
    return [tsv, variants_path(tsv), register_path(tsv)]


def compile_tsv(tsv: pathlib.Path, digest: bytes | None = None) -> bytes:
    return compile_entries(read_tsv(tsv), source_digest=digest or file_digest(*source_files(tsv)),
                           variants=read_variants(variants_path(tsv)), register=read_register(register_path(tsv)))


def compile_file(tsv: pathlib.Path = DEFAULT_TSV, out: pathlib.Path = DEFAULT_BINARY) -> pathlib.Path:
    data = compile_tsv(tsv)
    write_atomic(out, data)
    return out


def _warn_rebuilding(path: pathlib.Path, err: LexiconError, tsv: pathlib.Path) -> None:
    """Say, on the `fastpron` logger, which compiled lexicon is unusable, why, and what replaces it.

    A damaged file used to be rebuilt in silence: a server's log kept no trace of it.
    """
    import logging                       # only on this path: keeps it out of start-up
    reason = str(err).removeprefix(f"{path}: ")
    for advice in (" Run `python -m fastpron.compile`", " Delete it and run"):
        reason = reason.split(advice)[0]
    logging.getLogger("fastpron").warning("fastpron: the compiled lexicon %s cannot be used (%s); rebuilding it "
                                          "from %s", path, reason.rstrip(". "), tsv)


def _read_binary(path: pathlib.Path, mapped: bool) -> tuple[bytes | memoryview, int]:
    """A compiled lexicon file's contents and modification time, from one open.

    With `mapped`, the file mapped read-only instead of read: its pages come from
    the page cache, shared by every process, with no copy to allocate and fill
    (a few ms of a start-up).  Like a shared library's, a mapped file must be
    replaced, not rewritten in place; fastpron's writers replace it (write_atomic).
    """
    with open(path, "rb") as f:
        status = os.fstat(f.fileno())
        if not mapped or not status.st_size:            # mmap refuses an empty file
            return f.read(), status.st_mtime_ns
        import mmap
        if hasattr(mmap, "MAP_POPULATE"):               # Linux: all pages at once, the CRC reads them all
            mapping = mmap.mmap(f.fileno(), 0, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE, prot=mmap.PROT_READ)
        else:
            mapping = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        return memoryview(mapping), status.st_mtime_ns


def load_binary(tsv: pathlib.Path | None = None, binary: pathlib.Path | None = None,
                mapped: bool = False) -> tuple[bytes | memoryview, str]:
    """The compiled lexicon's bytes, rebuilt from the TSV when missing or stale;
    its header and CRC are checked.

    With the default paths: the package's ``data/lexicon.fpl``, checked
    against ``lexicon_data/lexicon.tsv`` when that exists (a source checkout),
    else used as installed.  ``FASTPRON_LEXICON`` names another TSV.  With
    `mapped`, a file is mapped rather than read (_read_binary): a read-only
    memoryview, which CompiledLexicon uses in place.
    """
    env_tsv = os.environ.get("FASTPRON_LEXICON")
    if tsv is None and env_tsv:
        tsv = pathlib.Path(env_tsv)
        binary = binary or cache_binary_path(tsv.resolve())
    tsv = tsv if tsv is not None else (DEFAULT_TSV if DEFAULT_TSV.exists() else None)
    if binary is None:
        # The package's binary belongs to the package's TSV; another TSV gets its own.
        own = tsv is None or tsv.resolve() == DEFAULT_TSV.resolve()
        binary = DEFAULT_BINARY if own else cache_binary_path(tsv.resolve())
    if tsv is not None and not tsv.exists():
        raise LexiconError(f"lexicon source {tsv} does not exist")

    # A binary written after its sources last changed is theirs (the compiler
    # records their fingerprint); an older one is checked by content, which
    # costs reading the TSV.
    sources = [path for path in source_files(tsv) if path.exists()] if tsv is not None else []
    newest_source = max((path.stat().st_mtime_ns for path in sources), default=0)
    digest = None
    candidates = [binary] + ([cache_binary_path(tsv.resolve())] if tsv is not None else [])
    for candidate in dict.fromkeys(candidates):
        try:
            data, modified = _read_binary(candidate, mapped)
        except FileNotFoundError:
            continue
        try:
            header = read_header(data, str(candidate))
        except LexiconError as err:
            if tsv is None:
                raise
            _warn_rebuilding(candidate, err, tsv)
            continue                                     # rebuild below
        if tsv is None or modified >= newest_source:
            return data, str(candidate)                  # built after the sources last changed
        digest = digest or file_digest(*source_files(tsv))
        if header.source_digest == digest:               # older, but of the same content (a checkout)
            return data, str(candidate)
    digest = digest or (file_digest(*source_files(tsv)) if tsv is not None else None)
    if tsv is None:
        raise LexiconError(f"no compiled lexicon at {binary} and no lexicon_data/lexicon.tsv to build it from")

    data = compile_tsv(tsv, digest)
    for target in (binary, cache_binary_path(tsv.resolve())):
        try:
            write_atomic(target, data)
            return data, str(target)
        except OSError:
            continue
    return data, "<memory>"
