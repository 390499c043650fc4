"""The compiled lexicon on disk: its format's constants, the checks of its
header and syllable table, and finding, mapping or rebuilding the file.

This is all that loading a lexicon needs, kept apart from fastpron/lexicon.py
(which reads the TSVs and writes the binary, and describes its layout) so
that `import fastpron` and the first call load neither the compiler nor the
dataclasses it is written with.  fastpron.lexicon re-exports every name here.
"""

from __future__ import annotations

import collections
import os
import pathlib
import re
import struct
import zlib

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
REGISTER_SENTENCE_SHARE = 0.3   # a sentence's own register score against its paragraph's (lexicon.RegisterModel)

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

    # Its public name, which tracebacks print and pickle looks up, stays the one it
    # had before this module was split from fastpron.lexicon (which re-exports it).
    __module__ = "fastpron.lexicon"


def slot_hash(parent: int, code_point: int) -> int:
    """The hash the core computes for a (parent, code point) pair (_lookup.pxd: slot_hash)."""
    h = (parent << 32) | code_point
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & _MASK64
    h ^= h >> 33
    return h


def variants_path(tsv: os.PathLike | str) -> pathlib.Path:
    return pathlib.Path(tsv).with_name("variants.tsv")


def register_path(tsv: os.PathLike | str) -> pathlib.Path:
    return pathlib.Path(tsv).with_name("register.tsv")


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


# What read_header finds: the format version, the sources' fingerprint, the counts
# of the tables (n_register: keys of the register model, 0 for none, as in a user
# overlay), the size and CRC-32 of the body, and `name`, the file, which the
# messages of the table readers below name.
Header = collections.namedtuple("Header", ("version source_digest n_syllables n_entries n_readings n_record_words "
                                           "n_variants n_slots max_key_len n_register body_size crc name"),
                                defaults=("lexicon",))


def read_header(data, name: str = "lexicon", verify_crc: bool = True) -> Header:
    """Check magic, version, size and (unless `verify_crc` is false) the CRC of a
    compiled lexicon: bytes, or a memoryview of the mapped file (_read_binary)."""
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
_STORED_SYLLABLE = r"(?:--)?[a-z]+[1-9](?:/\*?(?:--)?[a-z]+[1-9])*"
_STORED_SYLLABLES = re.compile(rf"(?:{_STORED_SYLLABLE}\n)*\Z")      # each ends in \n


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
        bad = next(s for s in syllables if not re.fullmatch(_STORED_SYLLABLE, s))
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
        binary = binary or cache_binary_path(tsv.absolute())
    tsv = tsv if tsv is not None else (DEFAULT_TSV if DEFAULT_TSV.exists() else None)
    if binary is None:
        # The package's binary belongs to the package's TSV; another TSV gets its own.  A path
        # counts as given, not resolved: a TSV linked into another folder is compiled with the
        # variants and register model beside the link (source_files), so it is another lexicon.
        own = tsv is None or tsv.absolute() == DEFAULT_TSV
        binary = DEFAULT_BINARY if own else cache_binary_path(tsv.absolute())
    if tsv is not None and not tsv.exists():
        raise LexiconError(f"lexicon source {tsv} does not exist")

    # A binary written after its sources last changed is theirs (the compiler
    # records their fingerprint); an older one is checked by content, which
    # costs reading the TSV.
    sources = [path for path in source_files(tsv) if path.exists()] if tsv is not None else []
    newest_source = max((path.stat().st_mtime_ns for path in sources), default=0)
    digest = None
    candidates = [binary] + ([cache_binary_path(tsv.absolute())] if tsv is not None else [])
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

    from .lexicon import compile_tsv          # the compiler, only when there is something to compile
    data = compile_tsv(tsv, digest)
    for target in (binary, cache_binary_path(tsv.absolute())):
        try:
            write_atomic(target, data)
            return data, str(target)
        except OSError:
            continue
    return data, "<memory>"
