"""tests/fuzz: the figures fixture and helpers come from tests/reliability/reliability_support.py."""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "reliability"))

from reliability_support import SOAK, figures, run_python  # noqa: E402,F401
