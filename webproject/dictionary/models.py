"""The user dictionary: entries that sit on top of lexicon_data/, and its revision."""

from __future__ import annotations

import re
import unicodedata
import uuid

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from fastpron import System
from fastpron.annotator import MAX_KEY_LENGTH, BaseAnnotator

from . import revision_hint

READING_SEPARATORS = re.compile(r"[,;、，；\n]+")
MAX_READINGS = 16           # the lexicon has at most 7 for a word; thousands made a 684 KB look-up answer
# Characters that show as nothing: controls, format characters (zero-width space and joiners,
# bidi controls, soft hyphen, BOM), surrogates, spaces and separators; and letters or marks that
# render blank (Hangul fillers, the braille blank, the combining grapheme joiner, variation selectors).
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"}
INVISIBLE = set("\u115f\u1160\u3164\uffa0\u2800\u034f") | {chr(c) for c in range(0xFE00, 0xFE10)} \
    | {chr(c) for c in range(0xE0100, 0xE01F0)}


class _Checker(BaseAnnotator):
    """fastpron's own validation of user entries, with no lexicon behind it."""

    def _user_dictionary_changed(self):
        pass


def split_readings(text: str) -> list[str]:
    """'tâi-uân, tai5-uan5' -> ['tâi-uân', 'tai5-uan5'] (separated by commas, semicolons or lines)."""
    return [part.strip() for part in READING_SEPARATORS.split(text or "") if part.strip()]


def character_name(ch: str) -> str:
    """U+200B ZERO WIDTH SPACE; U+0007 for a character without a name."""
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def check_key(key: str) -> None:
    """Raise ValueError if the word has a character that shows as nothing: such a key looks
    like another in the admin, and never matches a text typed by hand."""
    for ch in key:
        if ch.isspace():
            continue            # fastpron refuses white space itself, with its own message
        if ch in INVISIBLE or unicodedata.category(ch) in INVISIBLE_CATEGORIES:
            raise ValueError(gettext("The word %(key)s has an invisible character, %(character)s: type it "
                                     "again without it.") % {"key": repr(key), "character": character_name(ch)})


def check_entry(key: str, readings: list[str]) -> None:
    """Raise ValueError with fastpron's message if the entry is not valid.

    Beyond fastpron's own checks, the word has no invisible character, no
    reading comes twice (tâi and tai5 are the same), there are at most
    MAX_READINGS, and every syllable must render in every system: add_word
    takes any letters (xyz), which the renderers refuse.
    """
    check_key(key)
    if len(readings) > MAX_READINGS:
        raise ValueError(gettext("%(key)s has %(count)d readings; at most %(most)d are kept.")
                         % {"key": repr(key), "count": len(readings), "most": MAX_READINGS})
    checker = _Checker()
    try:
        if not readings:
            checker.remove_word(key)
            return
        checker.add_word(key, *readings)
    except (ValueError, TypeError) as err:     # fastpron's own message, in English: said to be fastpron's
        raise ValueError(gettext("fastpron cannot use this entry: %(error)s") % {"error": err}) from None
    numbered_readings = checker.user_dictionary[key]
    for k, numbered in enumerate(numbered_readings):
        if numbered in numbered_readings[:k]:
            raise ValueError(gettext("The reading %(reading)s of %(key)s is given twice (as %(first)s before).")
                             % {"reading": repr(readings[k]), "key": repr(key),
                                "first": repr(readings[numbered_readings.index(numbered)])})
    for reading, numbered in zip(readings, numbered_readings):
        for system in System:
            try:
                checker.render_reading(numbered, system=system)
            except ValueError as err:
                raise ValueError(gettext("Bad reading for %(key)s: %(reading)s: %(error)s")
                                 % {"key": repr(key), "reading": repr(reading), "error": err}) from None


class UserEntry(models.Model):
    """One word of the user dictionary: its readings, or a hidden lexicon word.

    Readings are Tâi-lô, marked (tâi-uân) or numbered (tai5-uan5), one
    syllable per character; the first one is preferred.  An entry with
    `hidden` set removes the word from the lexicon instead.
    """

    key = models.CharField(_("word"), max_length=MAX_KEY_LENGTH, unique=True,
                           help_text=_("Han characters (or any text without spaces), for example 台灣."))
    readings = models.TextField(_("readings"), blank=True,
                                help_text=_("Tâi-lô, marked (tâi-uân) or numbered (tai5-uan5), one syllable "
                                            "per character; several readings separated by commas, the "
                                            "preferred one first."))
    hidden = models.BooleanField(_("hide from the lexicon"), default=False,
                                 help_text=_("Remove this word from the lexicon instead of giving it readings."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("user dictionary entry")
        verbose_name_plural = _("user dictionary entries")

    def __str__(self):
        return self.key

    @property
    def reading_list(self) -> list[str]:
        return [] if self.hidden else split_readings(self.readings)

    def clean(self):
        super().clean()
        self.key = (self.key or "").strip()
        try:
            check_key(self.key)
        except ValueError as err:
            raise ValidationError({"key": str(err)}) from None
        readings = split_readings(self.readings)
        if self.hidden:
            if readings:
                raise ValidationError({"readings": _("A hidden word has no readings; clear them or "
                                                     "untick “hide from the lexicon”.")})
        elif not readings:
            raise ValidationError({"readings": _("Give at least one reading, or tick “hide from the lexicon”.")})
        try:
            check_entry(self.key, [] if self.hidden else readings)
        except (ValueError, TypeError) as err:
            raise ValidationError({"readings" if readings else "key": str(err)}) from None
        self.readings = ", ".join(readings)


class DictionaryState(models.Model):
    """A single row whose revision changes with every user-dictionary edit.

    Each process compares it with the revision it last loaded (one indexed
    read, when revision_hint.py says there may be a change) and rebuilds its
    small overlay only when it differs.  A random UUID rather than a counter,
    so that no two states ever share one.
    """

    revision = models.UUIDField(default=uuid.uuid4)
    changed = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("dictionary state")

    @classmethod
    def bump(cls) -> uuid.UUID:
        """A new revision, in the caller's transaction (the row is locked until it ends)."""
        revision = uuid.uuid4()
        if not cls.objects.filter(pk=1).update(revision=revision, changed=timezone.now()):
            # The migration creates the row; this only runs after a flush.
            cls.objects.update_or_create(pk=1, defaults={"revision": revision})
        revision_hint.changed_here(revision)
        return revision

    @classmethod
    def current(cls) -> uuid.UUID | None:
        """The revision, read by annotating requests: a plain SELECT on the
        driver's own cursor, since the ORM's query building cost ten times the read
        itself (185 µs against 15), Django's cursor wrappers still twice (36 µs
        against 14), and each use of the `connection` proxy another 2 µs (a
        thread-local look-up): the connection is looked up once.  Errors are
        Django's, and a broken connection is dropped at the end of the request, as
        with connection.cursor()."""
        db = connections[DEFAULT_DB_ALIAS]
        db.close_if_health_check_failed()
        db.ensure_connection()
        with db.wrap_database_errors:
            cursor = db.connection.cursor()
            try:
                cursor.execute(cls._revision_query(db))
                row = cursor.fetchone()
            finally:
                cursor.close()
        if row is None or row[0] is None:
            return None
        return row[0] if isinstance(row[0], uuid.UUID) else uuid.UUID(str(row[0]))

    @classmethod
    def _revision_query(cls, db) -> str:
        query = _REVISION_QUERIES.get(db.vendor)
        if query is None:
            query = _REVISION_QUERIES[db.vendor] = \
                f"SELECT revision FROM {db.ops.quote_name(cls._meta.db_table)} WHERE id = 1"
        return query


_REVISION_QUERIES: dict[str, str] = {}     # database vendor -> DictionaryState.current's query
