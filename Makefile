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

.PHONY: setup crawl demo test pywb wacz browser bench

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
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

# SCRAPER_REQUIRE_TOOLS=1: a missing browser or ReplayWeb.page fails the browser tests here
# instead of skipping them (they skip with a reason when run by hand without the tools).
test: setup pywb wacz browser
	SCRAPER_REQUIRE_TOOLS=1 SCRAPER_CORPUS=$(CORPUS) $(BIN)/python -m pytest -q $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/crawl_speed.py
