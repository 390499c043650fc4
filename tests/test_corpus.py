"""Corpus pipelines: fastpron.corpus, and the Dask recipe of docs/corpus.md on a local cluster."""

import os
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


def require(module: str, reason: str):
    """Import `module`, or skip, except in CI (CI=true), where the test extra must have it:
    a recipe test that skips there proves nothing."""
    if os.environ.get("CI"):
        import importlib
        return importlib.import_module(module)
    return pytest.importorskip(module, reason=reason)


def test_pandas_recipe():
    """docs/corpus.md's pandas lines: a column in, a column out; a partition as a Series."""
    pd = require("pandas", "pandas is not installed (pip install -e '.[test]')")
    frame = pd.DataFrame({"text": ["台灣", "行路", None, "先生講。"]})
    frame["reading"] = fastpron.Annotator().romanize_many(frame["text"].fillna(""))
    assert frame["reading"].tolist() == ["Tâi-uân", "Kiânn-lōo", "", "Sian-sinn kóng."]
    series = pd.Series(["台灣\n", "行路"], index=[7, 3])           # a partition, with its own index
    romanized = pd.Series(corpus.romanize_partition(series), index=series.index)
    assert romanized.to_dict() == {7: "Tâi-uân", 3: "Kiânn-lōo"}


def test_pandas_reads_the_tsv_format(tmp_path):
    """docs/corpus.md's read_csv line reads the command line's TSV back, one row per line,
    quotes and "NA" as text, escapes as written."""
    pd = require("pandas", "pandas is not installed (pip install -e '.[test]')")
    source = tmp_path / "in.txt"
    source.write_text('先生講："好"。\n\nNA\n台\t灣 a\\b\n', encoding="utf-8")
    out = tmp_path / "out.tsv"
    result = subprocess.run([sys.executable, "-m", "fastpron", "-f", "tsv", str(source), "-o", str(out)],
                            capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
    frame = pd.read_csv(out, sep="\t", header=None, names=["text", "reading", "tokens"], quoting=3,
                        keep_default_na=False)
    assert frame.to_dict("records") == [
        {"text": '先生講："好"。', "reading": 'Sian-sinn kóng:"hó".', "tokens": '先生 講 ：" 好 "。'},
        {"text": "", "reading": "", "tokens": ""},
        {"text": "NA", "reading": "NA", "tokens": "NA"},
        {"text": "台\\t灣 a\\\\b", "reading": "Tâi\\tuan a\\\\b", "tokens": "台 灣 a\\\\b"},
    ]


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
    require("dask.distributed", "dask[distributed] is not installed (pip install -e '.[test]')")
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
