"""Shared by tests/reliability and tests/fuzz (their conftest.py import it): the soak switch, figures, helpers.

Tests marked `soak` are the long versions; pyproject.toml deselects them
(`-m "not soak"`) and `make soak` runs them.  Every check records its
figures (inputs tried, requests sent, errors seen, memory before and after)
with the `figures` fixture: they are printed, and written to
test-artifacts/reliability/<check>.json, where docs/reliability.md's numbers
come from (`python tests/reliability/figures.py` prints them as a table).
"""

from __future__ import annotations

import json
import os
import pathlib
import sys
import time

import pytest

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ARTIFACTS = pathlib.Path(os.environ.get("FASTPRON_FIGURES_DIR") or ROOT / "test-artifacts" / "reliability")
for helper_dir in (ROOT / "tests" / "deploy", ROOT / "tests" / "fuzz"):   # deploy_stack.py, fuzzlib.py
    if str(helper_dir) not in sys.path:
        sys.path.insert(0, str(helper_dir))

SOAK = os.environ.get("FASTPRON_SOAK") == "1"
# The core's extension modules (setup.py builds one from each .pyx): _core and its stages.
CORE_MODULES = tuple(sorted(path.stem for path in (ROOT / "fastpron").glob("_*.pyx")))     # set by `make soak`: the long versions


_WRITTEN: set[str] = set()       # files written by this test run (the others are from earlier runs)


class Figures(dict):
    """The figures of one check, written out when the test ends (pass or fail).

    A parametrized check keeps one file, with each case's figures under "cases".
    """

    def __init__(self, name: str, case: str | None = None):
        super().__init__(check=name, soak=SOAK)
        self.name, self.case = name, case
        self.started = time.monotonic()

    def save(self) -> None:
        self["seconds"] = round(time.monotonic() - self.started, 1)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.name}.json"
        record = dict(self)
        if self.case is not None:
            cases = json.loads(path.read_text(encoding="utf-8")).get("cases", {}) if self.name in _WRITTEN else {}
            cases[self.case] = {k: v for k, v in record.items() if k not in ("check", "soak")}
            record = {"check": self.name, "soak": SOAK, "cases": cases}
        path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        _WRITTEN.add(self.name)
        print(f"\nfigures {self.name}{'[' + self.case + ']' if self.case else ''}: "
              f"{json.dumps(dict(self), ensure_ascii=False)}")


@pytest.fixture
def figures(request):
    """figures["inputs"] = ...: recorded under the test's name (soak runs get a '.soak' suffix)."""
    name = request.node.originalname.removeprefix("test_")
    soak = SOAK and request.node.get_closest_marker("soak")
    callspec = getattr(request.node, "callspec", None)
    record = Figures(name + (".soak" if soak else ""), callspec.id if callspec else None)
    yield record
    record.save()


def run_python(code: str, *args: str, timeout: float, env: dict | None = None, cwd=ROOT):
    """Run `code` in a fresh interpreter of this venv; a crash or a hang fails with what it printed."""
    import subprocess
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, cwd=cwd)
    if proc.returncode != 0:
        raise AssertionError(f"child exited {proc.returncode}\n--- stdout\n{proc.stdout[-3000:]}\n"
                             f"--- stderr\n{proc.stderr[-3000:]}")
    return proc


def build_core_copy(dest: pathlib.Path, env: dict | None = None, timeout: float = 900) -> pathlib.Path:
    """Build the core (all its modules) in a copy of the package under `dest` (the work tree's .so files stay as they are).

    `env` sets the compiler and flags, e.g. CFLAGS=-fsanitize=address.  Returns the folder to put
    first on PYTHONPATH; the copy has lexicon_data/ beside it, as the work tree does.
    """
    import shutil
    import subprocess
    site = dest / "site"
    if site.exists():
        shutil.rmtree(site)
    shutil.copytree(ROOT / "fastpron", site / "fastpron",
                    ignore=shutil.ignore_patterns("*.so", "*.c", "*.html", "__pycache__", ".built"))
    shutil.copytree(ROOT / "lexicon_data", site / "lexicon_data")
    for name in ("setup.py", "pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, site / name)
    build = subprocess.run([sys.executable, "setup.py", "--quiet", "build_ext", "--inplace"], cwd=site,
                           capture_output=True, text=True, timeout=timeout,
                           env={**os.environ, "FASTPRON_DEBUG_BUILD": "1", **(env or {})})
    built = {path.name.split(".")[0] for path in (site / "fastpron").glob("_*.so")}
    if build.returncode != 0 or not set(CORE_MODULES) <= built:
        raise AssertionError(f"building the core copy failed (built: {sorted(built)}):\n{build.stdout[-2000:]}\n{build.stderr[-4000:]}")
    return site
