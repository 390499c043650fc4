"""benchmarks/heldout.py's split: whole blocks of 50 sentences held out, one in n."""

from __future__ import annotations

import gzip
import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("heldout", ROOT / "benchmarks" / "heldout.py")
heldout = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(heldout)


def test_split_holds_out_every_nth_block_whole(tmp_path):
    train = tmp_path / "train.tsv.gz"
    with gzip.open(train, "wt", encoding="utf-8") as f:
        f.write("line\thanji\ttailo\n")
        f.writelines(f"{n}\t字\tji7\n" for n in range(230))
    rest, held, count = heldout.split(train, tmp_path, fold=1, folds=3)

    def numbers(path):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            lines = f.read().splitlines()
        assert lines[0] == "line\thanji\ttailo"
        return [int(line.split("\t")[0]) for line in lines[1:]]

    # blocks 0..4 of 50 (the last one 30 long); fold 1 of 3 holds out block 1 and block 4
    assert numbers(held) == list(range(50, 100)) + list(range(200, 230))
    assert numbers(rest) == list(range(0, 50)) + list(range(100, 200))
    assert count == 80
