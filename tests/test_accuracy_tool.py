"""benchmarks/accuracy.py: its sets read as texts of several sentences (--texts)."""

from __future__ import annotations

import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("accuracy", ROOT / "benchmarks" / "accuracy.py")
accuracy = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(accuracy)


def test_as_texts_joins_consecutive_sentences_in_order():
    rows = [("我。", "Guá."), ("你。", "Lí."), ("伊。", "I.")]
    assert accuracy.as_texts(rows, 2) == [("我。你。", "Guá. Lí."), ("伊。", "I.")]
    assert accuracy.as_texts(rows, 5) == [("我。你。伊。", "Guá. Lí. I.")]
    assert accuracy.as_texts(rows, 1) == rows
    assert accuracy.syllables("Guá. Lí. I.") == ["guá", "lí", "i"]
