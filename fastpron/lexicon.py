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
import struct
import unicodedata
import zlib

from .syllable import SyllableError, join_reading, parse_reading

# The format and the loader live in fastpron/binary.py (all that start-up needs);
# they are this module's names too.
from .binary import (  # noqa: F401
    DEFAULT_BINARY, DEFAULT_TSV, FORMAT_MAGIC, FORMAT_VERSION, HEADER_SIZE, NO_PARENT, OTHER_COST, PACKAGE_DIR,
    PREFIX_ONLY, READING_CAPITAL, READING_ESTIMATED, READING_FINAL, READING_NEWS, READING_PHRASE,
    REGISTER_SENTENCE_SHARE, SLOT_EXTENDS,
    SLOT_FINAL, SLOT_HAS_READINGS, SLOT_INDEX, SLOT_NEWS, SLOT_REMOVED, SLOT_SIZE, TOKEN_COST, UNKNOWN_COST,
    USER_BONUS, WORD_BONUS_MAX, WORD_BONUS_PER_LOG2, _HEADER, _REGISTER_PARAMETERS, _SLOT, Header, LexiconError,
    cache_binary_path, file_digest, load_binary, read_header, register_path, slot_hash, source_files,
    syllable_blob_size, syllable_strings, variants_path, write_atomic)

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


@dataclasses.dataclass(frozen=True)
class RegisterModel:
    """Whether a sentence reads as news (lexicon_data/learn_register.py has the model).

    ``weights``: one character -> its weight; two characters -> the second's
    weight after the first.  A sentence is news when the sum over its Han
    characters (in standard form) is above ``threshold`` times their number;
    in a paragraph of several sentences, when its mean mixed with the
    paragraph's is (reads_as_news).
    """
    threshold: int
    unseen_pair: int            # added to the second character's own weight for a pair not in weights
    unknown: int                # the weight of a character not in weights
    weights: dict[str, int]

    def score(self, chars: str) -> tuple[int, int]:
        """(the sum of the characters' weights, their number)."""
        total, previous = 0, ""
        for ch in chars:
            pair = self.weights.get(previous + ch) if previous else None
            if pair is not None:
                total += pair
            else:
                total += self.weights.get(ch, self.unknown) + (self.unseen_pair if previous else 0)
            previous = ch
        return total, len(chars)

    def reads_as_news(self, total: int, n: int, paragraph_total: int, paragraph_n: int) -> bool:
        """Is a sentence of score (total, n) news, in a paragraph whose scored sentences sum to
        (paragraph_total, paragraph_n)?  A paragraph has one register: the sentence's mean weight
        counts REGISTER_SENTENCE_SHARE against the paragraph's, unless it is the whole of it.
        (Floating point as the core's, which is built without fused multiply-add.)"""
        if n == 0:
            return False
        if n == paragraph_n:
            return total > self.threshold * n
        return (REGISTER_SENTENCE_SHARE * total / n
                + (1.0 - REGISTER_SENTENCE_SHARE) * paragraph_total / paragraph_n > self.threshold)

    def is_news(self, chars: str) -> bool:
        """Is `chars`, a sentence standing alone, news?"""
        score = self.score(chars)
        return self.reads_as_news(*score, *score)

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


def compile_tsv(tsv: pathlib.Path, digest: bytes | None = None) -> bytes:
    return compile_entries(read_tsv(tsv), source_digest=digest or file_digest(*source_files(tsv)),
                           variants=read_variants(variants_path(tsv)), register=read_register(register_path(tsv)))


def compile_file(tsv: pathlib.Path = DEFAULT_TSV, out: pathlib.Path = DEFAULT_BINARY) -> pathlib.Path:
    data = compile_tsv(tsv)
    write_atomic(out, data)
    return out


