"""Corpus pipelines: fastpron.corpus, and the Dask recipe of docs/corpus.md on a local cluster."""

import pathlib
import subprocess
import sys

import pytest

import fastpron
from fastpron import corpus

from test_batch import sample_lines


def lines() -> list[str]:
    return [line for line in sample_lines() if "\r" not in line and "\ud800" not in line]


def test_romanize_partition_and_batch():
    texts = lines()
    expected = [fastpron.romanize(text) for text in texts]
    assert corpus.romanize_partition(text + "\n" for text in texts) == expected
    assert corpus.romanize_partition(["台灣\r\n", "先生\n", "行路"]) == ["Tâi-uân", "Sian-sinn", "Kiânn-lōo"]
    assert corpus.romanize_batch({"text": ["台灣", "行路"], "id": [1, 2]}) == {"reading": ["Tâi-uân", "Kiânn-lōo"]}
    assert corpus.romanize_batch({"hanji": ["台灣"]}, column="hanji", output="poj", system="poj") == \
        {"poj": ["Tâi-oân"]}
    with pytest.raises(TypeError, match="expects text as str, not float"):
        corpus.romanize_batch({"text": ["台灣", float("nan")]})


def test_one_annotator_per_process_and_options():
    first = corpus.annotator(system="poj")
    assert corpus.annotator(system="poj") is first
    assert corpus.annotator(system="tl") is not first
    loaded = corpus.loads()
    corpus.romanize_partition(["台灣"], system="poj")
    assert corpus.loads() == loaded


def test_pandas_recipe():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"text": ["台灣", "行路", None]})
    frame["reading"] = fastpron.Annotator().romanize_many(frame["text"].fillna(""))
    assert frame["reading"].tolist() == ["Tâi-uân", "Kiânn-lōo", ""]


DASK_RECIPE = r'''
import sys
import dask.bag as db
from dask.distributed import Client, LocalCluster
from fastpron.corpus import loads, romanize_partition

source, target = sys.argv[1], sys.argv[2]
if __name__ == "__main__":
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:      # a real cluster: Client("tcp://scheduler:8786")
        client.wait_for_workers(2)
        lines = db.read_text(source + "/*.txt", blocksize=1000)           # partitions of whole lines
        readings = lines.map_partitions(romanize_partition, system="poj")
        readings.to_textfiles(target + "/*.txt", last_endline=True)
        print(lines.npartitions, sorted(client.run(loads).values()))
'''


def test_dask_recipe_on_a_local_cluster(tmp_path):
    """docs/corpus.md's Dask recipe: 2 worker processes romanise a partitioned corpus, each
    loading fastpron once; the output is the command line's, line for line."""
    pytest.importorskip("dask.distributed", reason="dask[distributed] is not installed (pip install -e '.[test]')")
    source, target = tmp_path / "corpus", tmp_path / "out"
    source.mkdir()
    texts = lines() * 20
    for k in range(4):                                   # four files, in order
        part = texts[k * len(texts) // 4:(k + 1) * len(texts) // 4]
        (source / f"part{k}.txt").write_text("".join(text + "\n" for text in part), encoding="utf-8")
    script = tmp_path / "recipe.py"
    script.write_text(DASK_RECIPE, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), str(source), str(target)], capture_output=True,
                            timeout=300, cwd=tmp_path)
    assert result.returncode == 0, result.stderr.decode()[-3000:]
    partitions, worker_loads = result.stdout.decode().split(" ", 1)
    assert int(partitions) > 8                           # really partitioned: several tasks per worker
    assert worker_loads.strip() == "[1, 1]"              # each worker loaded fastpron once
    written = sorted(target.iterdir(), key=lambda p: int(p.stem))
    assert len(written) == int(partitions)
    output = "".join(p.read_text(encoding="utf-8") for p in written)
    cli = subprocess.run([sys.executable, "-m", "fastpron", "--system", "poj",
                          *sorted(str(p) for p in source.iterdir())], capture_output=True, timeout=60)
    assert cli.returncode == 0
    assert output == cli.stdout.decode()
    assert output.count("\n") == len(texts)
