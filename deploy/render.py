#!/usr/bin/env python3
"""Fill in a deploy template: render.py TEMPLATE OUTPUT NAME=VALUE ...

Each @NAME@ in TEMPLATE becomes VALUE.  A line holding @LISTEN@ is repeated
once for each space-separated value of LISTEN.  A name the template uses but
the command does not give is an error, so nothing half-filled is installed.
The output is written atomically (a temporary file, then a rename).

render.py --error-pages TEMPLATE TABLE DIRECTORY writes one page per row of
TABLE (tab-separated; lines starting with # are remarks; the first other line
names the columns, STATUS first) as DIRECTORY/STATUS.html, each @NAME@ filled
with the row's value for NAME.  A template line holding a name whose value is
empty is left out.  (Nginx's own error pages: deploy/nginx/errors/.)
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


def write_atomically(output: str, text: str) -> None:
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


def read_table(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")]
    if not lines:
        raise SystemExit(f"render.py: {path} has no column names")
    names = lines[0].split("\t")
    if names[0] != "STATUS" or not all(PLACEHOLDER.fullmatch(f"@{n}@") for n in names):
        raise SystemExit(f"render.py: {path}: bad column names {names!r}")
    rows = []
    for number, line in enumerate(lines[1:], 2):
        cells = line.split("\t")
        if len(cells) != len(names) or not re.fullmatch(r"[1-5][0-9][0-9]", cells[0]):
            raise SystemExit(f"render.py: {path}: row {number} is not {len(names)} values, a status first")
        rows.append(dict(zip(names, cells)))
    return rows


def render_pages(template: str, rows: list[dict[str, str]]) -> dict[str, str]:
    """Each row's page, by file name (STATUS.html)."""
    pages = {}
    for row in rows:
        kept = "".join(line for line in template.splitlines(keepends=True)
                       if all(row.get(name) != "" for name in PLACEHOLDER.findall(line)))
        pages[row["STATUS"] + ".html"] = render(kept, row)
    return pages


def error_pages(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    template, table, directory = argv
    with open(template, encoding="utf-8") as f:
        pages = render_pages(f.read(), read_table(table))
    for name, text in pages.items():
        write_atomically(os.path.join(directory, name), text)
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--error-pages"]:
        return error_pages(argv[1:])
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
    write_atomically(output, text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
