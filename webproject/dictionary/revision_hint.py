"""A hint, shared by the processes of one host, that the user dictionary changed.

Every annotating request must use the current user dictionary, and asking the
database for its revision costs a query and Django's connection bookkeeping on
every request: measured, a quarter of what an API request costs.  So every
writer also rewrites a 16-byte file after its commit (`announce`), and
`shared_annotator()` reads the file, one `pread`, and asks the database only
when the bytes changed, after a change in this very process (`changed_here`),
or when its last look is older than DICTIONARY_RECHECK_SECONDS: a change made
on another host, or behind Django's back, or by a process that could not write
the file, still arrives within that time.

Where the file cannot be read, every request asks the database, as before.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

log = logging.getLogger(__name__)

SIZE = 16

_lock = threading.Lock()
_fd: int | None = None
_fd_path: Path | None = None
_warned: set[str] = set()
_local_changes = 0      # changes made by this process; read without the lock (an int)


def hint_path() -> Path:
    """DICTIONARY_HINT_FILE, else beside an SQLite database file, else in the
    deployment's data folder (FASTPRON_DATA_DIR, which the service may write
    to) or the temporary folder, named after the database."""
    configured = getattr(settings, "DICTIONARY_HINT_FILE", None)
    if configured:
        return Path(configured)
    db = connections[DEFAULT_DB_ALIAS].settings_dict
    name = str(db["NAME"] or "")
    if db["ENGINE"].endswith("sqlite3") and name and ":memory:" not in name and not name.startswith("file:"):
        return Path(f"{name}-fastpron-hint")
    key = hashlib.sha256(repr((db["ENGINE"], name, db.get("HOST"), db.get("PORT"))).encode()).hexdigest()[:16]
    folder = os.environ.get("FASTPRON_DATA_DIR") or tempfile.gettempdir()
    return Path(folder) / f"fastpron-dictionary-{key}.hint"


def read() -> bytes | None:
    """The hint's bytes now; None when there is no readable hint file."""
    global _fd, _fd_path
    fd = _fd
    if fd is None:
        with _lock:
            if _fd is None:
                path = hint_path()
                try:
                    _fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
                except OSError:
                    try:
                        _fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
                    except OSError as err:
                        _warn_once(f"cannot open the user dictionary's change hint {path} ({err.strerror}); "
                                   "every request asks the database for the revision")
                        return None
                _fd_path = path
            fd = _fd
    try:
        return os.pread(fd, SIZE, 0)
    except OSError:
        return None


def reopen() -> None:
    """Open the file again on the next read: it may have been replaced (checked with each recheck)."""
    global _fd
    with _lock:
        if _fd is not None and _fd_path is not None:
            try:
                if os.stat(_fd_path).st_ino == os.fstat(_fd).st_ino:
                    return
            except OSError:
                pass
            os.close(_fd)
            _fd = None


def local_changes() -> int:
    """How many changes this process has made: the one after a change asks the database."""
    return _local_changes


def changed_here(revision) -> None:
    """Called in the transaction that changes the revision: this process looks
    now and again after the commit; the others when the hint is rewritten then."""
    _count_change()
    transaction.on_commit(lambda: (announce(revision.bytes), _count_change()))


def _count_change() -> None:
    global _local_changes
    _local_changes += 1


def announce(data: bytes) -> None:
    """Rewrite the hint (16 bytes: a torn read only costs a reader one query)."""
    path = hint_path()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            os.pwrite(fd, data[:SIZE].ljust(SIZE, b"\0"), 0)
        finally:
            os.close(fd)
    except OSError as err:
        _warn_once(f"cannot write the user dictionary's change hint {path} ({err.strerror}); other processes "
                   f"see the change within {settings.DICTIONARY_RECHECK_SECONDS} s")


def forget() -> None:
    """Close the file, so that the next read opens the path settings name now (tests)."""
    global _fd
    with _lock:
        if _fd is not None:
            os.close(_fd)
            _fd = None


def _warn_once(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        log.warning(message)
