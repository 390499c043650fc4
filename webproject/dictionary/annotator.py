"""The process's one Annotator, kept in step with the user dictionary in the database.

Every view that annotates calls `shared_annotator()`.  It reads the
dictionary revision (one primary-key look-up) and, only when that changed
since this process last looked, loads the user entries and hands them to
`Annotator.update_user_dictionary`, which compiles a small overlay: the
lexicon itself is loaded once per process and never reloaded.  So an edit in
the admin, or an import, takes effect on the next request in every worker.
"""

from __future__ import annotations

import logging
import threading

import fastpron

from .models import DictionaryState, UserEntry, check_entry

log = logging.getLogger(__name__)

_lock = threading.Lock()
_annotator: fastpron.Annotator | None = None
_NEVER = object()
_revision = _NEVER


def shared_annotator() -> fastpron.Annotator:
    """The process's Annotator with the current user dictionary."""
    global _annotator, _revision
    revision = DictionaryState.current()
    if _annotator is not None and revision == _revision:
        return _annotator
    with _lock:
        if _annotator is None:
            # fastpron's default Annotator: where the server preloads it before
            # forking (deploy/), the workers share its lexicon pages.
            _annotator = fastpron.default_annotator()
        if revision != _revision:
            _annotator.update_user_dictionary(load_entries(), replace=True)
            _revision = revision
            log.info("user dictionary loaded (revision %s, %d entries)", revision,
                     len(_annotator.user_dictionary))
        return _annotator


def load_entries() -> dict[str, list[str] | None]:
    """The valid user entries, key -> readings (None hides a lexicon word)."""
    entries = {}
    for key, readings, hidden in UserEntry.objects.values_list("key", "readings", "hidden"):
        entry = UserEntry(key=key, readings=readings, hidden=hidden)
        try:
            check_entry(key, entry.reading_list)
        except (ValueError, TypeError) as err:
            # Only rows written around the admin's validation get here.
            log.warning("user dictionary: skipping %r: %s", key, err)
            continue
        entries[key] = entry.reading_list or None
    return entries


def forget() -> None:
    """Drop the cached revision so that the next call reloads (tests)."""
    global _revision
    with _lock:
        _revision = _NEVER
