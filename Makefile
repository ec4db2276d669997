# Two entry points for a fresh machine (see README "Quick start"):
#   make crawl ARGS="--url https://www.example-news.org/ --limit 200"   set up, then crawl
#   make test                                                          set up, then run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARGS ?= --help
CORPUS ?= $(abspath ../shared/corpus)
WARCS ?= $(abspath ../shared/warcs)

.PHONY: setup crawl test test-fast lint pywb wacz bench

setup: $(VENV)/.installed

# The pip that comes with the Python is used as it is (no upgrade first): a user's plain
# `python3 -m venv v && v/bin/pip install .` must work, and CI proves it by doing the same.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

crawl: setup
	$(BIN)/scraper crawl $(ARGS)

# pywb lives in its own virtualenv: it pins redis==2.10.6 (see tests/support/pywb_env.sh).
pywb:
	bash tests/support/pywb_env.sh

# py-wacz (its `wacz validate` checks our WACZ files) lives in its own virtualenv too.
wacz:
	bash tests/support/wacz_env.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

# Every test; the external tools are required (a missing one fails instead of skipping).
test: setup pywb wacz lint
	SCRAPER_CORPUS=$(CORPUS) SCRAPER_WARCS=$(WARCS) SCRAPER_REQUIRE_TOOLS=1 \
		$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Everything not marked slow (end-to-end runs of several processes): under 2 minutes.
test-fast: setup
	SCRAPER_CORPUS=$(CORPUS) SCRAPER_WARCS=$(WARCS) $(BIN)/python -m pytest -q -m "not slow" $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/crawl_speed.py
