"""The user dictionary as TSV, for `manage.py import_user_dictionary` and `export_user_dictionary`.

    # comments and blank lines are skipped
    hanji	reading	note
    台灣	tâi-uân
    台灣	tâi-oân
    先生	-

One reading a line, the preferred one first; a word's lines need not be
adjacent.  The reading `-` hides the word from the lexicon.  The note column
is optional.  Without `-` lines this is the format of `fastpron --user-dict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HEADER = "hanji\treading\tnote"
HIDE = "-"


@dataclass
class ParsedEntry:
    key: str
    readings: list[str] = field(default_factory=list)
    hidden: bool = False
    note: str = ""
    line: int = 0


class TSVError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def parse(lines, check) -> dict[str, ParsedEntry]:
    """TSV lines -> entries; `check(key, readings)` raises ValueError for a bad entry.

    Raises TSVError listing every problem with its line number.
    """
    entries: dict[str, ParsedEntry] = {}
    errors = []
    first = True
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [part.strip() for part in line.split("\t")]
        if first and fields[0].lower() == "hanji":     # the header line
            first = False
            continue
        first = False
        if len(fields) < 2 or not fields[0] or not fields[1]:
            errors.append(f"line {number}: expected 'word<TAB>reading', got {line[:60]!r}")
            continue
        key, reading = fields[0], fields[1]
        entry = entries.setdefault(key, ParsedEntry(key, line=number))
        if len(fields) > 2 and fields[2] and not entry.note:
            entry.note = fields[2][:200]
        if reading == HIDE:
            entry.hidden = True
        else:
            entry.readings.append(reading)
    for entry in entries.values():
        if entry.hidden and entry.readings:
            errors.append(f"line {entry.line}: {entry.key} is both hidden ('-') and given readings")
            continue
        try:
            check(entry.key, entry.readings)
        except (ValueError, TypeError) as err:
            errors.append(f"line {entry.line}: {err}")
    if errors:
        raise TSVError(errors)
    return entries


def format_entries(entries) -> str:
    """UserEntry objects -> TSV text, with a header and a comment on the format."""
    out = ["# fastpron user dictionary: one reading a line, the preferred first; '-' hides a word",
           HEADER]
    for entry in entries:
        readings = entry.reading_list or [HIDE]
        for k, reading in enumerate(readings):
            note = entry.note.replace("\t", " ").replace("\n", " ") if k == 0 else ""
            out.append(f"{entry.key}\t{reading}\t{note}".rstrip("\t"))
    return "\n".join(out) + "\n"
