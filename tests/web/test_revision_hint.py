"""The change hint: workers ask the database for the dictionary revision only
after a hint of a change, or every DICTIONARY_RECHECK_SECONDS (revision_hint.py)."""

import logging
import os
import pathlib
import tempfile
import uuid

import pytest
from django.db import connection

from webproject.dictionary import annotator, revision_hint
from webproject.dictionary.annotator import shared_annotator
from webproject.dictionary.models import DictionaryState, UserEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def hint_file(settings, tmp_path):
    settings.DICTIONARY_HINT_FILE = str(tmp_path / "hint")
    settings.DICTIONARY_RECHECK_SECONDS = 3600
    revision_hint.forget()
    annotator.forget()
    yield tmp_path / "hint"
    revision_hint.forget()


@pytest.fixture
def looks(monkeypatch):
    """Counts shared_annotator's reads of the revision."""
    calls = []
    real = DictionaryState.current.__func__
    monkeypatch.setattr(DictionaryState, "current", classmethod(lambda cls: calls.append(1) or real(cls)))
    return calls


def readings(text):
    return [token.reading for token in shared_annotator().annotate(text)]


def change_behind_djangos_back(key, reading):
    """What another host, or a hand-made SQL edit, does: new rows and revision, no
    hint (bulk_create and update() send no signals, so nothing is announced)."""
    UserEntry.objects.bulk_create([UserEntry(key=key, readings=reading)])
    DictionaryState.objects.filter(pk=1).update(revision=uuid.uuid4())


def test_no_question_to_the_database_while_the_hint_is_unchanged(hint_file, looks):
    shared_annotator()
    assert looks == [1]
    for _ in range(5):
        shared_annotator()
    assert looks == [1]
    assert hint_file.exists()


def test_an_announced_change_is_read_on_the_next_call(hint_file, looks):
    assert readings("𠔜") == [None]
    change_behind_djangos_back("𠔜", "tâ")
    assert readings("𠔜") == [None]             # no hint yet: the loaded dictionary stands
    revision_hint.announce(b"another process!")
    assert readings("𠔜") == ["tâ"]
    assert len(looks) == 2
    assert hint_file.read_bytes() == b"another process!"


def test_an_unannounced_change_arrives_with_the_recheck(hint_file, settings, looks):
    assert readings("𠔜") == [None]
    change_behind_djangos_back("𠔜", "tâ")
    assert readings("𠔜") == [None]
    settings.DICTIONARY_RECHECK_SECONDS = 0
    assert readings("𠔜") == ["tâ"]


def test_a_change_in_this_process_is_read_at_once_and_announced_after_the_commit(
        hint_file, looks, django_capture_on_commit_callbacks):
    assert readings("𠔜") == [None]
    before = hint_file.read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        UserEntry.objects.create(key="𠔜", readings="tâ")
        assert readings("𠔜") == ["tâ"]         # its own transaction: already visible here
    assert hint_file.read_bytes() == DictionaryState.current().bytes != before


def test_without_a_hint_file_every_call_asks_the_database(settings, tmp_path, looks, caplog):
    settings.DICTIONARY_HINT_FILE = str(tmp_path / "no such folder" / "hint")
    revision_hint.forget()
    annotator.forget()
    with caplog.at_level(logging.WARNING, logger="webproject.dictionary.revision_hint"):
        for _ in range(3):
            shared_annotator()
    assert looks == [1, 1, 1]
    assert [r.getMessage() for r in caplog.records] == [
        f"cannot open the user dictionary's change hint {tmp_path / 'no such folder' / 'hint'} (No such file or "
        "directory); every request asks the database for the revision"]
    revision_hint.forget()


def test_a_replaced_hint_file_is_opened_again_at_the_recheck(hint_file, settings, looks):
    shared_annotator()
    os.unlink(hint_file)
    hint_file.write_bytes(b"a new file, new!")
    shared_annotator()
    assert looks == [1]                         # the old file is still open and unchanged
    settings.DICTIONARY_RECHECK_SECONDS = 0
    shared_annotator()                          # the recheck opens the new file...
    settings.DICTIONARY_RECHECK_SECONDS = 3600
    shared_annotator()
    assert looks == [1, 1, 1]                   # ...whose bytes differ from the ones last seen once
    shared_annotator()
    assert looks == [1, 1, 1]


def test_the_hint_file_sits_beside_an_sqlite_database_else_in_the_data_or_temporary_folder(settings, monkeypatch):
    settings.DICTIONARY_HINT_FILE = None
    monkeypatch.delenv("FASTPRON_DATA_DIR", raising=False)
    database = connection.settings_dict
    original = dict(database)
    try:
        database.update(ENGINE="django.db.backends.sqlite3", NAME="/srv/fastpron/db.sqlite3")
        assert revision_hint.hint_path() == pathlib.Path("/srv/fastpron/db.sqlite3-fastpron-hint")
        for engine, name in (("django.db.backends.sqlite3", "file:memorydb_default?mode=memory&cache=shared"),
                             ("django.db.backends.postgresql", "fastpron")):
            database.update(ENGINE=engine, NAME=name)
            path = revision_hint.hint_path()
            assert path.parent == pathlib.Path(tempfile.gettempdir())
            assert path.name.startswith("fastpron-dictionary-") and path.name.endswith(".hint")
        monkeypatch.setenv("FASTPRON_DATA_DIR", "/var/lib/fastpron")
        assert revision_hint.hint_path() == pathlib.Path("/var/lib/fastpron") / path.name
    finally:
        database.clear()
        database.update(original)
