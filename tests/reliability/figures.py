"""Print the figures the reliability checks wrote (test-artifacts/reliability/*.json) as a Markdown table.

    python tests/reliability/figures.py [folder]

docs/reliability.md's numbers come from here: run `make test` (CI figures)
or `make soak` (soak figures, the `.soak` files), then this.
"""

from __future__ import annotations

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
SKIP = {"check", "soak", "examples", "known_examples", "core", "findings"}


def cell(record: dict) -> str:
    parts = []
    for key, value in record.items():
        if key in SKIP or value in ([], {}, None):
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items())
        parts.append(f"{key.replace('_', ' ')}: {value}")
    return "; ".join(parts)


def main(folder: pathlib.Path) -> int:
    files = sorted(folder.glob("*.json"))
    if not files:
        print(f"no figures in {folder}: run `make test` or `make soak` first", file=sys.stderr)
        return 1
    print("| check | run | figures |\n|---|---|---|")
    for path in files:
        record = json.loads(path.read_text(encoding="utf-8"))
        run = "soak" if record.get("soak") else "CI"
        if isinstance(record.get("cases"), dict):      # a parametrized check (the damage fuzzers' "cases" is a count)
            for case, figures in record["cases"].items():
                print(f"| {record['check']} [{case}] | {run} | {cell(figures)} |")
        else:
            print(f"| {record['check']} | {run} | {cell(record)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "test-artifacts" / "reliability"))
