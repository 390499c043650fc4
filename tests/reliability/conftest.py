"""tests/reliability: the fixtures and helpers are in reliability_support.py (tests/fuzz uses them too)."""

from reliability_support import SOAK, figures, run_python  # noqa: F401  (fixtures are found by name here)
