import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "gold" / "moe_examples_dev.tsv"


@pytest.fixture(scope="session")
def reference():
    from fastpron.reference import ReferenceAnnotator
    return ReferenceAnnotator()


@pytest.fixture(scope="session")
def native():
    from fastpron import Annotator
    return Annotator()


@pytest.fixture(scope="session")
def gold_sentences():
    """Han sentences of the MOE gold file: input text only, for cross-checks."""
    if not GOLD.exists():
        pytest.skip(f"the gold file {GOLD} is absent (it lives in ../shared/, beside the project)")
    rows = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) >= 3 and not line.startswith(("#", "id\t")):
            rows.append(fields[1])
    return rows
