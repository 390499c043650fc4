# fastpron — the commands in the README.  Everything runs in the project-root .venv.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
INSTALLED := $(VENV)/.installed
BUILT := fastpron/.built

.PHONY: all test soak bench run admin manage lexicon import-lexicon import-sources import-estimated build-lexicon accuracy heldout clean

all: $(BUILT)

# The virtual environment with the project (editable) and its test tools.
$(INSTALLED): pyproject.toml setup.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip setuptools wheel "Cython>=3"
	$(PIP) install --quiet --no-build-isolation -e ".[test,web]"
	@touch $@

# The Cython core and the compiled lexicon, rebuilt when their sources change.
CORE_SOURCES := $(foreach m,_lookup _segment _model _render _core,fastpron/$(m).pyx fastpron/$(m).pxd)
$(BUILT): $(INSTALLED) $(CORE_SOURCES) lexicon_data/lexicon.tsv lexicon_data/variants.tsv lexicon_data/register.tsv fastpron/lexicon.py
	$(PY) setup.py --quiet build_ext --inplace
	$(PY) -m fastpron.compile
	@touch $@

test: $(BUILT)
	$(PY) -m pytest

# The benchmark suite (benchmarks/README.md): accuracy, then pytest-benchmark
# (fastpron and its peers, start-up, threads, web), then the table of ratios
# and targets.  BENCH_ARGS passes pytest options, e.g. BENCH_ARGS="-k text".
BENCH_JSON := .benchmarks/latest.json
BENCH_INSTALLED := $(VENV)/.bench-installed

$(BENCH_INSTALLED): pyproject.toml $(INSTALLED)
	$(PIP) install --quiet $$($(PY) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["bench"])')
	@touch $@

bench: $(BUILT) $(BENCH_INSTALLED)
	@command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || \
		{ export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1 || \
		  { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk >/dev/null; }; } || \
		echo "bench: wrk could not be installed; the web benchmark will be skipped"
	$(PY) benchmarks/accuracy.py
	@rm -f $(BENCH_JSON)
	$(PY) -m pytest benchmarks -p no:django -p no:cacheprovider -W ignore::pytest.PytestConfigWarning \
		--benchmark-json=$(BENCH_JSON) --benchmark-columns=min,median,rounds $(BENCH_ARGS); \
	status=$$?; $(PY) benchmarks/report.py $(BENCH_JSON) || status=1; exit $$status

# The long reliability runs (docs/reliability.md): the tests marked `soak` in
# tests/reliability and tests/fuzz (wrk for 60 s, fuzzing for 25 min with clang's
# coverage and ASan, valgrind, 100,000 damaged lexicons, 50 MB against the
# reference, ...), then the concurrent writes on PostgreSQL, then the figures.
# About an hour and a half on 2 cores.  SOAK_ARGS passes pytest options.
SOAK_TOOLS := wrk:wrk nginx:nginx valgrind:valgrind clang:clang gcc:build-essential

soak: $(BUILT)
	@[ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null || { missing=; \
		for t in $(SOAK_TOOLS); do command -v $${t%%:*} >/dev/null || missing="$$missing $${t#*:}"; done; \
		[ -z "$$missing" ] || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq && \
		apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }; }
	FASTPRON_SOAK=1 $(PY) -m pytest -m soak tests/reliability tests/fuzz $(SOAK_ARGS); status=$$?; \
	if [ "$$(id -u)" = 0 ] && ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then \
		FASTPRON_SOAK=1 bash deploy/ci-postgres.sh -m soak tests/reliability/test_db_concurrency.py || status=1; fi; \
	$(PY) tests/reliability/figures.py; exit $$status

accuracy: $(BUILT)
	$(PY) benchmarks/accuracy.py

# The same model rebuilt without blocks of the train split, measured on them:
# news no constant was tuned on (benchmarks/heldout.py; about 3 min a fold).
heldout: $(BUILT)
	$(PY) benchmarks/heldout.py

# The full stack on http://127.0.0.1:8000 (PORT=...): Nginx -> Unix socket ->
# Gunicorn -> Django on SQLite, in the foreground; Ctrl-C stops it (deploy/run.sh).
run: $(BUILT)
	bash deploy/run.sh

# An admin account for the `make run` stack (its settings and database under var/),
# and any other manage.py command with them: make manage CMD="changepassword alice".
admin: $(BUILT)
	bash deploy/run.sh manage createsuperuser

manage: $(BUILT)
	bash deploy/run.sh manage $(CMD)

# The lexicon from its sources (lexicon_data/README.md): taibun's data (needs
# taibun, only here), the open dictionaries and the iCorpus train split in
# ../shared/data/, then the merge that learns the weights.
import-lexicon: $(INSTALLED)
	$(PIP) install --quiet "taibun==1.1.8" "msgpack>=1.0"
	$(PY) lexicon_data/import_taibun.py
	$(MAKE) import-sources build-lexicon

# lexicon_data/sources/*.tsv from ../shared/data/ alone (no taibun needed).
import-sources: $(INSTALLED)
	$(PY) lexicon_data/import_sources.py
	$(PY) lexicon_data/import_icorpus.py

# lexicon_data/lexicon.tsv from lexicon_data/sources/: readings ranked and weighed
# by corpus counts and the dictionaries, news readings from the train split as the
# core cuts it (about a minute and a half; needs the built core), and the
# register model, lexicon_data/register.tsv (the news train split against the
# dictionaries' words: which sentences read as news).
build-lexicon: $(BUILT)
	$(PY) lexicon_data/build_lexicon.py
	$(PY) lexicon_data/learn_register.py

# lexicon_data/sources/estimated.tsv: a reading for each Big5 character the
# other sources lack, from their words or estimated from the 廣韻 (needs qieyun
# and pypinyin, only here); then lexicon_data/build_lexicon.py merges it.
import-estimated: $(INSTALLED)
	$(PIP) install --quiet "qieyun==0.13.3" "pypinyin==0.55.0"
	$(PY) lexicon_data/import_estimated.py

clean:
	rm -rf build fastpron/_*.c fastpron/_*.html fastpron/*.so fastpron/data/*.fpl $(BUILT)
