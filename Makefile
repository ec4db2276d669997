# Two entry points for a fresh machine (see README "Quick start"):
#   make crawl ARGS="--url https://www.example-news.org/ --limit 200"   set up, then crawl
#   make test                                                          set up, then run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARGS ?= --help
CORPUS ?= $(abspath ../shared/corpus)

.PHONY: setup crawl test pywb wacz bench

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
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

test: setup pywb wacz
	SCRAPER_CORPUS=$(CORPUS) $(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/crawl_speed.py
