"""Corpus pipelines: one Annotator per process, and functions for the engines' batch calls.

Dask (``bag.map_partitions``), Spark (``rdd.mapPartitions``), Hugging Face
``datasets.map(batched=True)`` and pandas all hand a function many texts at
once, in a worker process that may run it again and again.  The functions
here build the Annotator the first time a process needs it (for a set of
options) and keep it, so the lexicon is loaded once per worker, never per
task, and nothing large is sent to the workers: only the function's name.

    >>> from fastpron.corpus import romanize_partition
    >>> romanize_partition(["台灣\\n", "先生講。"])
    ['Tâi-uân', 'Sian-sinn kóng.']

See docs/corpus.md for the recipes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from .annotator import Annotator

__all__ = ["annotator", "romanize_partition", "romanize_batch", "loads"]

_annotators: dict[tuple, Annotator] = {}
_lock = threading.Lock()
_loads = 0


def annotator(lexicon: str | None = None, **options) -> Annotator:
    """This process's Annotator for `options` (and `lexicon`), built on first use."""
    global _loads
    key = (lexicon, *sorted((name, str(value)) for name, value in options.items()))
    found = _annotators.get(key)
    if found is None:
        with _lock:
            found = _annotators.get(key)
            if found is None:
                found = _annotators[key] = Annotator(lexicon=lexicon, **options)
                _loads += 1
    return found


def loads() -> int:
    """How many Annotators this process has built (a check that workers load fastpron once)."""
    return _loads


def romanize_partition(lines: Iterable[str], lexicon: str | None = None, **options) -> list[str]:
    """The lines romanised, in order, one output per line: for Dask's ``map_partitions``
    and Spark's ``mapPartitions``.  A line's own line end (``\\n`` or ``\\r\\n``, as
    ``dask.bag.read_text`` keeps it) is dropped, as the command line does."""
    texts = [_strip_line_end(line) for line in lines]
    return annotator(lexicon, **options).romanize_many(texts)


def romanize_batch(batch: dict, column: str = "text", output: str = "reading", lexicon: str | None = None,
                   **options) -> dict:
    """For ``datasets.Dataset.map(romanize_batch, batched=True)``: the batch's `column`
    romanised into a new column `output` (the other columns are kept by ``map``)."""
    return {output: annotator(lexicon, **options).romanize_many(batch[column])}


def _strip_line_end(line: str) -> str:
    if isinstance(line, str) and line.endswith("\n"):
        line = line[:-2] if line.endswith("\r\n") else line[:-1]
    return line
