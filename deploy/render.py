#!/usr/bin/env python3
"""Fill in a deploy template: render.py TEMPLATE OUTPUT NAME=VALUE ...

Each @NAME@ in TEMPLATE becomes VALUE.  A line holding @LISTEN@ is repeated
once for each space-separated value of LISTEN.  A name the template uses but
the command does not give is an error, so nothing half-filled is installed.
The output is written atomically (a temporary file, then a rename).
"""

import os
import re
import sys
import tempfile

PLACEHOLDER = re.compile(r"@([A-Z][A-Z0-9_]*)@")


def render(text: str, values: dict[str, str]) -> str:
    missing = sorted(set(PLACEHOLDER.findall(text)) - set(values))
    if missing:
        raise SystemExit(f"render.py: no value for {', '.join('@' + m + '@' for m in missing)}")
    lines = []
    for line in text.splitlines(keepends=True):
        repeats = values.get("LISTEN", "").split() if "@LISTEN@" in line else [None]
        for listen in repeats:
            line_values = dict(values, LISTEN=listen) if listen else values
            lines.append(PLACEHOLDER.sub(lambda m: line_values[m.group(1)], line))
    return "".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    template, output, pairs = argv[0], argv[1], argv[2:]
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"render.py: {pair!r} is not NAME=VALUE")
        values[name] = value
    with open(template, encoding="utf-8") as f:
        text = render(f.read(), values)
    directory = os.path.dirname(os.path.abspath(output))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".render-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, output)
    except BaseException:
        os.unlink(tmp)
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
