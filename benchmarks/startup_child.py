"""One fresh-process start-up measurement, run by test_startup.py as a child.

    python benchmarks/startup_child.py fastpron|opencc|taibun [CORPUS_FILE]

It reads its resident memory (VmRSS), imports the library, converts one short
sentence, and prints one JSON object: ``seconds`` from just before the import
to the first result (``cpu_seconds``: the CPU time the process spent on it), ``rss_before``, ``rss_import`` (after the import) and
``rss_first`` (after the first result), in bytes.  With CORPUS_FILE it then
converts that whole file once, drops the output, and adds ``rss_corpus``: the
lexicon pages a real text touches count too.  Every library is measured the
same way, by the same code, with only the two lines below differing.
"""

import gc
import json
import sys
import time

SENTENCE = "先生講，學生恬恬聽。"

CASES = {
    # name: (the import, the object that converts: a function of one str)
    "fastpron": ("import fastpron", "fastpron.romanize"),
    "opencc": ("import opencc", "opencc.OpenCC('s2t').convert"),
    "taibun": ("import taibun", "taibun.Converter().get"),
}


def rss() -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def main() -> None:
    name = sys.argv[1]
    import_line, converter = CASES[name]
    corpus = open(sys.argv[2], encoding="utf-8").read() if len(sys.argv) > 2 else None
    gc.collect()
    result = {"rss_before": rss()}
    started, cpu_started = time.perf_counter(), time.process_time()
    namespace = {}
    exec(import_line, namespace)
    imported = time.perf_counter()
    result["rss_import"] = rss()
    convert = eval(converter, namespace)
    first = convert(SENTENCE)
    result["seconds"] = time.perf_counter() - started
    result["cpu_seconds"] = time.process_time() - cpu_started
    result["import_seconds"] = imported - started
    result["rss_first"] = rss()
    assert isinstance(first, str) and first, first
    if corpus is not None:
        output = convert(corpus)
        del output
        gc.collect()
        result["rss_corpus"] = rss()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
