# Entry points for a fresh machine (see README "Quick start"):
#   make crawl                                                         set up, then crawl the
#                                                                      bundled demo site offline
#   make crawl ARGS="--url https://www.example-news.org/ --limit 200"   set up, then crawl the web
#   make test                                                          set up, then run every test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARGS ?=
DEMO_DATA ?= demo-data
CORPUS ?= $(abspath ../shared/corpus)
WARCS ?= $(abspath ../shared/warcs)

.PHONY: setup crawl demo test test-fast lint pywb wacz browser bench

setup: $(VENV)/.installed

# The pip that comes with the Python is used as it is (no upgrade first): a user's plain
# `python3 -m venv v && v/bin/pip install .` must work, and CI proves it by doing the same.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# With no ARGS, `make crawl` is `make demo`: the first command works with no network at all.
crawl: setup
ifeq ($(strip $(ARGS)),)
	$(BIN)/scraper demo --data $(DEMO_DATA)
else
	$(BIN)/scraper crawl $(ARGS)
endif

# Serve the bundled English/Arabic demo site on 127.0.0.1 and crawl it into ./demo-data.
demo: setup
	$(BIN)/scraper demo --data $(DEMO_DATA)

# pywb lives in its own virtualenv: it pins redis==2.10.6 (see tests/support/pywb_env.sh).
pywb:
	bash tests/support/pywb_env.sh

# py-wacz (its `wacz validate` checks our WACZ files) lives in its own virtualenv too.
wacz:
	bash tests/support/wacz_env.sh

# Debian's chromium and ReplayWeb.page (npm) for the real-browser tests (replay, report).
browser:
	bash tests/support/replayweb_env.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

# Every test, after the linters. SCRAPER_REQUIRE_TOOLS=1: a missing pywb, py-wacz, browser or
# ReplayWeb.page fails its tests here instead of skipping them (by hand they skip with a reason).
test: setup pywb wacz browser lint
	SCRAPER_CORPUS=$(CORPUS) SCRAPER_WARCS=$(WARCS) SCRAPER_REQUIRE_TOOLS=1 \
		$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Everything not marked slow (end-to-end runs of several processes): under 2 minutes.
test-fast: setup
	SCRAPER_CORPUS=$(CORPUS) SCRAPER_WARCS=$(WARCS) $(BIN)/python -m pytest -q -m "not slow" $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/crawl_speed.py
