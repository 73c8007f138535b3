# textlab — every step from raw text to figures is a Make target. `make help` lists them.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.textlab-installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
BENCH_CORPUS ?= .cache/bench-corpus
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg
export TQDM_DISABLE := 1

.DEFAULT_GOAL := help

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed -e 's/^## /  /'

## setup: create .venv and install the pinned dependency set (requirements.lock) and textlab
setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

## figures: execute every notebook in order with nbconvert and write figures/
# The kernel's language_info (it holds Python's patch version, 3.11.x) is dropped, so the
# executed notebooks are the same bytes on any Python 3.11; kernelspec and cell tags stay.
figures: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.kernel_name=python3 \
	  --ExecutePreprocessor.timeout=600 --ClearMetadataPreprocessor.enabled=True \
	  --ClearMetadataPreprocessor.clear_cell_metadata=False \
	  --ClearMetadataPreprocessor.preserve_nb_metadata_mask=kernelspec $(NOTEBOOKS)

## test: run the whole suite (unit tests, doctests, notebook execution and byte-for-byte figure check)
test: $(STAMP)
	$(BIN)/python -m pytest tests textlab

## test-fast: the suite without slow tests and notebooks
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests textlab -m "not slow and not notebooks"

## bench: build the benchmark corpus on first use and print ours-vs-baseline ratios
bench: $(STAMP)
	bash benchmarks/make_corpus.sh $(BENCH_CORPUS)
	$(BIN)/python -m benchmarks.run --corpus $(BENCH_CORPUS) --out benchmarks/results.md

## lock: re-resolve requirements.lock from the pins in pyproject.toml (needs the registry)
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet ".[dev]"
	.lock-venv/bin/python -m pip freeze --exclude textlab | LC_ALL=C sort > requirements.lock
	rm -rf .lock-venv

## clean: remove the venv, caches and build files (keeps figures and notebooks)
clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build *.egg-info .cache/.corpus-cache
	find . -name __pycache__ -prune -exec rm -rf {} +

.PHONY: help setup figures test test-fast bench lock clean
