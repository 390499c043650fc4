"""The process's one Annotator, kept in step with the user dictionary in the database.

Every view that annotates calls `shared_annotator()`.  When the dictionary
may have changed, it reads the dictionary revision (one primary-key look-up)
and, only when that changed since this process last looked, loads the user
entries and hands them to `Annotator.update_user_dictionary`, which compiles
a small overlay: the lexicon itself is loaded once per process and never
reloaded.  "May have changed" is the change hint of revision_hint.py: an
edit in the admin, or an import, takes effect on the next request in every
worker of the host, and on other hosts within DICTIONARY_RECHECK_SECONDS.
"""

from __future__ import annotations

import logging
import math
import threading
import time

from django.conf import settings

import fastpron

from . import revision_hint
from .models import DictionaryState, UserEntry, check_entry

log = logging.getLogger(__name__)

_lock = threading.Lock()
_annotator: fastpron.Annotator | None = None
_NEVER = object()
_revision = _NEVER
# What the last look at the database went with: the hint read before it, this
# process's own changes, and when.  Equal hint and changes, and a recent look,
# mean the dictionary is the one loaded.
_looked_with: tuple = (_NEVER, -1)
_looked_at = -math.inf


def shared_annotator() -> fastpron.Annotator:
    """The process's Annotator with the current user dictionary."""
    global _annotator, _revision, _looked_with, _looked_at
    # The hint is read before the database, so that a change announced after
    # this read is noticed by the next call.
    seen = (revision_hint.read(), revision_hint.local_changes())
    now = time.monotonic()
    if (_annotator is not None and seen[0] is not None and seen == _looked_with
            and now - _looked_at < settings.DICTIONARY_RECHECK_SECONDS):
        return _annotator
    if now - _looked_at >= settings.DICTIONARY_RECHECK_SECONDS:
        revision_hint.reopen()
    revision = DictionaryState.current()
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
        _looked_with, _looked_at = seen, now
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
    """Drop the cached revision and the hint file, so that the next call reloads (tests)."""
    global _revision, _looked_with, _looked_at
    with _lock:
        _revision = _NEVER
        _looked_with, _looked_at = (_NEVER, -1), -math.inf
    revision_hint.forget()
