"""How the reading model does on news it has never seen: a held-out check.

    python benchmarks/heldout.py [--folds 2]

The dev figures of `accuracy.py` are measured on sentences that no model
learned from, but the model's few constants (the dictionary prior, the
register threshold) were chosen on them.  This check does what an
independent reviewer would: it sets aside blocks of the iCorpus *train*
split that nothing here was ever tuned on, rebuilds the lexicon and the
register model from the rest with the same scripts and constants
(lexicon_data/import_icorpus.py, build_lexicon.py, learn_register.py), and
measures that lexicon on the blocks set aside, on the news dev split and on
the MOE examples.  The target of issue 14 is that unseen sentences land
within half a point of the dev figures.

Fold k of n holds out every n-th block of 50 consecutive sentences, starting
at block k, so that an article stays on one side (the dev split was cut the
same way).  Each fold takes about three minutes; the lexicons are built
in a temporary folder, and nothing in lexicon_data/ changes.
"""

from __future__ import annotations

import argparse
import gzip
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "lexicon_data"
TRAIN = ROOT.parent / "shared" / "data" / "icorpus" / "train.tsv.gz"
BLOCK = 50           # sentences per block, as the corpus's own split
RATE = re.compile(r"syllable error rate\s+([0-9.]+)%")


def split(train: pathlib.Path, folder: pathlib.Path, fold: int, folds: int) -> tuple[pathlib.Path, pathlib.Path, int]:
    """train.tsv.gz -> (the rest, the held-out blocks, how many sentences are held out)."""
    with gzip.open(train, "rt", encoding="utf-8") as f:
        lines = f.readlines()
    header = [line for line in lines[:1] if line.startswith("line\t")]
    body = [line for line in lines[len(header):] if not line.startswith("#")]
    kept, held = list(header), list(header)
    for n, line in enumerate(body):
        (held if (n // BLOCK) % folds == fold else kept).append(line)
    paths = folder / "train-rest.tsv.gz", folder / "held-out.tsv.gz"
    for path, part in zip(paths, (kept, held)):
        with gzip.open(path, "wt", encoding="utf-8") as f:
            f.writelines(part)
    return paths[0], paths[1], len(held) - len(header)


def run(*args: str, env: dict | None = None) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"heldout: {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def fold_rates(fold: int, folds: int, train: pathlib.Path) -> tuple[list[float], int]:
    """[MOE, dev, held-out] error rates of a lexicon built without fold `fold`."""
    with tempfile.TemporaryDirectory() as name:
        folder = pathlib.Path(name)
        rest, held, count = split(train, folder, fold, folds)
        sources = folder / "sources"
        shutil.copytree(DATA / "sources", sources)
        lexicon = folder / "lexicon.tsv"
        shutil.copy(DATA / "variants.tsv", folder / "variants.tsv")
        run("lexicon_data/import_icorpus.py", "--corpus", str(rest), "--out", str(sources / "icorpus.tsv"))
        run("lexicon_data/build_lexicon.py", "--sources", str(sources), "--corpus", str(rest), "--out", str(lexicon))
        run("lexicon_data/learn_register.py", "--corpus", str(rest), "--out", str(folder / "register.tsv"))
        env = dict(os.environ, FASTPRON_LEXICON=str(lexicon), XDG_CACHE_HOME=str(folder / "cache"))
        dev = run("benchmarks/accuracy.py", "--no-taibun", "--errors", "0", "--examples", "0", env=env)
        unseen = run("benchmarks/accuracy.py", "--no-taibun", "--errors", "0", "--examples", "0",
                     "--news", str(held), env=env)
        moe, news = (float(x) for x in RATE.findall(dev)[:2])
        return [moe, news, float(RATE.findall(unseen)[1])], count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=10, help="hold out one block in N (default 10)")
    parser.add_argument("--runs", type=int, default=2, help="how many of the folds to run (default 2)")
    parser.add_argument("--train", type=pathlib.Path, default=TRAIN)
    args = parser.parse_args(argv)
    if not args.train.exists():
        print(f"heldout: {args.train} is absent", file=sys.stderr)
        return 1
    print("| fold | held-out sentences | MOE examples | news dev | held-out news | held-out − dev |")
    print("|---|---|---|---|---|---|")
    for fold in range(min(args.runs, args.folds)):
        (moe, dev, unseen), count = fold_rates(fold, args.folds, args.train)
        print(f"| {fold + 1} of {args.folds} | {count} | {moe:.2f}% | {dev:.2f}% | {unseen:.2f}% | "
              f"{unseen - dev:+.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
