"""Random damage to a compiled lexicon, CRC recomputed: it must be refused with a
LexiconError naming the file and the fix, or load and work; never crash or hang.

The cases run in a child process (a crash must not take the test run with it).
The child prints the number of each case before trying it, so when it dies or
stops answering, the parent knows which case did it, records it, and starts a
new child after it.  Case n is always the same damage (random.Random(seed + n)),
so any finding can be replayed alone:

    python tests/fuzz/lexicon_mutator.py --lexicon small --seed 1 --start 417 --stop 418 --verbose
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import queue
import re
import resource
import random
import signal
import subprocess
import sys
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

ORIGIN = "fuzzed-lexicon.fpl"
FIX = "python -m fastpron.compile"
# The messages of the core's own checks (_lookup.pyx: CompiledLexicon._validate, _load_variants), which
# named the file but not the fix (docs/reliability.md, finding 4; closed): counted apart if it comes back.
CORE_MESSAGES = re.compile(r"has a bad key length|runs past the end|names a syllable out of range|records, the "
                           r"header says|hash slot \d+ (is out of range|names a key without readings)|variant pair")


def lexicon_bytes(which: str) -> bytes:
    if which == "small":
        from fuzzlib import small_lexicon_bytes
        return small_lexicon_bytes()
    from fastpron import lexicon
    return lexicon.load_binary()[0]


def child(which: str, seed: int, start: int, stop: int, verbose: bool) -> None:
    """Print `case <n> <damage>` before each case and `= <outcome> [<detail>]` after it."""
    from fastpron._core import CompiledLexicon
    from fastpron.lexicon import LexiconError
    from fuzzlib import core_gaps, exercise, mutate
    original = lexicon_bytes(which)
    for case in range(start, stop):
        data, what = mutate(original, random.Random(seed * 1_000_003 + case))
        print(f"case {case} {what}", flush=True)
        try:
            compiled = CompiledLexicon(data, ORIGIN)
        except LexiconError as err:
            clear = ORIGIN in str(err) and FIX in str(err)
            if not clear and CORE_MESSAGES.search(str(err)):
                print("gaps the core's message names no fix", flush=True)
            print("= refused" if clear else f"= unclear {err}", flush=True)
            continue
        except Exception as err:        # noqa: BLE001 — anything but LexiconError is a finding
            print(f"= wrong_error {type(err).__name__}: {err}"[:300], flush=True)
            continue
        gaps = core_gaps(data)
        if gaps:
            print("gaps " + ", ".join(gaps), flush=True)
        try:
            exercise(compiled)
        except Exception as err:        # noqa: BLE001
            print(f"= use_error {type(err).__name__}: {err}"[:300], flush=True)
            continue
        print("= accepted", flush=True)
    print("DONE", flush=True)


def run(which: str = "small", seed: int = 1, count: int = 1000, case_timeout: float = 10,
        max_restarts: int | None = None, env: dict | None = None, total_timeout: float = 3600,
        memory_limit: int | None = 4 << 30) -> dict:
    """Run cases [0, count) in children; returns the tallies, crashes and hangs included.

    `memory_limit` caps the child's address space, so that a damaged size makes
    allocations fail at once instead of filling the machine (None under ASan,
    which reserves terabytes of address space for its shadow memory).
    """
    summary = {"lexicon": which, "seed": seed, "cases": count, "refused": 0, "accepted": 0, "unclear": [],
               "wrong_error": [], "use_error": [], "crashes": [], "hangs": [], "known_core_gaps": {},
               "known_by_outcome": {}}

    def finding(kind: str, text: str) -> None:
        """A crash, hang or error; one in a file with a known core gap is counted under that gap."""
        if gaps:
            for gap in gaps:
                summary["known_core_gaps"][gap] = summary["known_core_gaps"].get(gap, 0) + 1
            summary["known_by_outcome"][kind] = summary["known_by_outcome"].get(kind, 0) + 1
            summary.setdefault("known_examples", []).append(f"{kind} {text} [{'; '.join(gaps)}]")
        else:
            summary[kind].append(text)

    start, restarts, deadline = 0, 0, time.monotonic() + total_timeout
    max_restarts = count // 10 + 20 if max_restarts is None else max_restarts
    if os.environ.get("FASTPRON_FUZZ_NO_MEMORY_LIMIT") == "1":     # under ASan (test_sanitizers.py)
        memory_limit = None
    while start < count:
        if restarts > max_restarts or time.monotonic() > deadline:
            raise AssertionError(f"gave up after {restarts} restarts at case {start}: "
                                 f"{ {k: v for k, v in summary.items() if k != 'known_examples'} }"[:4000])
        proc = subprocess.Popen([sys.executable, __file__, "--child", "--lexicon", which, "--seed", str(seed),
                                 "--start", str(start), "--stop", str(count)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=env or os.environ.copy(), start_new_session=True,
                                preexec_fn=(lambda: resource.setrlimit(resource.RLIMIT_AS, (memory_limit,) * 2))
                                if memory_limit else None)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in proc.stdout] + [lines.put(None)],
                         daemon=True).start()
        stderr: list[str] = []
        threading.Thread(target=lambda: stderr.extend(proc.stderr), daemon=True).start()
        current, finished, done, gaps = None, True, False, []
        while True:
            try:
                line = lines.get(timeout=case_timeout if current else 120)     # start-up may be slow
            except queue.Empty:             # the case did not finish in time: a hang
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                finding("hangs", current or f"before case {start}")
                break
            if line is None:
                proc.wait()
                if not finished:
                    time.sleep(0.2)         # let the stderr reader finish
                    tail = " | ".join("".join(stderr).strip().splitlines()[-3:])[-400:]
                    finding("crashes", f"{current}: exit status {proc.returncode} {tail}")
                break
            if line.startswith("case "):
                current, finished, gaps = line.strip(), False, []
            elif line.startswith("gaps "):
                gaps = line[5:].strip().split(", ")
            elif line.startswith("= "):
                outcome, _, detail = line[2:].rstrip("\n").partition(" ")
                finished = True
                if outcome in ("refused", "accepted"):
                    summary[outcome] += 1
                else:
                    finding(outcome, f"{current}: {detail}")
            elif line.startswith("DONE"):
                done = True
        if done:
            if proc.returncode != 0:
                raise AssertionError(f"the child exited {proc.returncode} at the end: {''.join(stderr)[-2000:]}")
            break
        if current is None:
            raise AssertionError(f"the child did not start: {''.join(stderr)[-2000:]}")
        start = int(current.split()[1]) + 1
        restarts += 1
    summary["crashes_and_hangs"] = len(summary["crashes"]) + len(summary["hangs"])
    summary["known_examples"] = summary.get("known_examples", [])[:20]
    return summary


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lexicon", choices=["small", "full"], default="small")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--stop", type=int, default=1000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if args.child:
        child(args.lexicon, args.seed, args.start, args.stop, args.verbose)
        return 0
    summary = run(args.lexicon, args.seed, args.stop)
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    return 0 if not (summary["crashes"] or summary["hangs"] or summary["wrong_error"]) else 1


if __name__ == "__main__":
    sys.exit(main())
