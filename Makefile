# fastpron — the commands in the README.  Everything runs in the project-root .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
INSTALLED := $(VENV)/.installed
BUILT := fastpron/.built

.PHONY: all test bench run lexicon import-lexicon accuracy clean

all: $(BUILT)

# The virtual environment with the project (editable) and its test tools.
$(INSTALLED): pyproject.toml setup.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip setuptools wheel "Cython>=3"
	$(PIP) install --quiet --no-build-isolation -e ".[test]"
	@touch $@

# The Cython core and the compiled lexicon, rebuilt when their sources change.
$(BUILT): $(INSTALLED) fastpron/_core.pyx fastpron/_core.pxd lexicon_data/lexicon.tsv fastpron/lexicon.py
	$(PY) setup.py --quiet build_ext --inplace
	$(PY) -m fastpron.compile
	@touch $@

test: $(BUILT)
	$(PY) -m pytest

bench: $(BUILT)
	$(PY) benchmarks/accuracy.py

accuracy: $(BUILT)
	$(PY) benchmarks/accuracy.py

# Until the web app lands, `make run` annotates the sample article from the command line.
run: $(BUILT)
	$(PY) -m fastpron < benchmarks/sample_article.txt

# Regenerate lexicon_data/lexicon.tsv from taibun's data (needs taibun, only here).
import-lexicon: $(INSTALLED)
	$(PIP) install --quiet "taibun==1.1.8" "msgpack>=1.0"
	$(PY) lexicon_data/import_taibun.py

clean:
	rm -rf build fastpron/_core.c fastpron/*.so fastpron/data/*.fpl $(BUILT)
