"""Recurring archiving: incremental runs, versions, revisits, catalog rebuild, locks, exit codes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from scraper.store.catalog import CatalogStore
from scraper.store.reindex import reindex
from tests.conftest import REPO, run_scraper, scraper_command
from tests.support.fault_server import FaultServer
from tests.support.mirror import Mirror
from tests.support.warc_records import assert_indexes_as_read_back, read_records

PARAGRAPH = ("The council met in the old town hall on Tuesday to debate the harbour budget, and "
             "members argued for two hours about dredging, ferries and the fish market roof. ")


def article(title: str, body: str) -> str:
    return (f'<html lang="en"><head><title>{title}</title><meta property="og:type" '
            f'content="article"></head><body><article><h1>{title}</h1>'
            f"<p>{body}</p><p>{PARAGRAPH * 3}</p></article></body></html>")


def write_site(root: Path, articles: dict[str, str]) -> None:
    shutil.rmtree(root, ignore_errors=True)
    (root / "news").mkdir(parents=True)
    links = "".join(f'<a href="/news/{name}">{name}</a> ' for name in articles)
    (root / "index.html").write_text(f"<html><body>{links}</body></html>", encoding="utf-8")
    for name, body in articles.items():
        (root / "news" / f"{name}.html").write_text(article(name, body), encoding="utf-8")


def incremental(mirror: Mirror, data: Path, schedule: str = "2s,1h"
                ) -> subprocess.CompletedProcess[str]:
    return run_scraper("crawl", "--url", mirror.url + "/", "--data", str(data), "--allow-host",
                       "127.0.0.1", "--delay", "0", "--incremental", "--recheck-after", schedule,
                       "--json")


def requested(mirror: Mirror, before: int) -> set[str]:
    return {path for path in mirror.requests[before:] if path.startswith("/news/")}


@pytest.mark.slow
def test_three_incremental_runs_on_a_changing_site(tmp_path: Path) -> None:
    site, data = tmp_path / "site", tmp_path / "data"
    write_site(site, {"budget": "First report on the budget.", "ferry": "Ferry times change.",
                      "market": "The market roof leaks."})
    with Mirror(site) as mirror:
        first = incremental(mirror, data)
        assert first.returncode == 0, first.stderr[-2000:]
        assert requested(mirror, 0) == {"/news/budget", "/news/ferry", "/news/market"}
        manifest = json.loads(first.stdout)
        assert manifest["sites"]["127.0.0.1"]["new"] >= 3

        time.sleep(2.2)  # the 2s re-check point passes for the three articles
        write_site(site, {"budget": "Second report: the budget was cut by a third.",
                          "ferry": "Ferry times change.", "quay": "A new quay opens."})
        before = len(mirror.requests)
        second = incremental(mirror, data)
        assert second.returncode == 0, second.stderr[-2000:]
        assert requested(mirror, before) == {"/news/budget", "/news/ferry", "/news/market",
                                             "/news/quay"}

        before = len(mirror.requests)
        third = incremental(mirror, data, "1h")  # (a slow machine must not make "quay" due)
        assert third.returncode == 4, third.stderr[-2000:]  # nothing new, nothing due
        assert requested(mirror, before) == set()

    records = read_records(sorted((data / "warc").glob("*.warc.gz")))
    revisits = [r for r in records if r.type == "revisit" and "/news/" in r.uri]
    assert [r.uri for r in revisits] == [mirror.url + "/news/ferry"]  # unchanged re-check
    assert revisits[0].header("WARC-Profile").endswith("/revisit/identical-payload-digest")
    assert_indexes_as_read_back(data, tmp_path / "read-back")  # revisits indexed as written
    gone = [r for r in records if r.type == "response" and r.uri.endswith("/news/market")]
    assert [r.http_status_line.split()[1] for r in gone] == ["200", "404"]

    history = run_scraper("history", mirror.url + "/news/budget", "--data", str(data))
    assert history.returncode == 0, history.stderr
    assert "2 version(s)" in history.stdout
    assert "-First report on the budget." in history.stdout
    assert "+Second report: the budget was cut by a third." in history.stdout
    one = run_scraper("history", mirror.url + "/news/ferry", "--data", str(data))
    assert "1 version(s)" in one.stdout

    live = CatalogStore(data / "catalog.sqlite").dump()
    reindex(data)
    assert CatalogStore(data / "catalog.sqlite").dump() == live

    rederived = run_scraper("extract", str(data / "warc"), "-o", str(tmp_path / "again.jsonl"))
    assert rederived.returncode == 0, rederived.stderr
    crawled = b"".join(p.read_bytes() for p in sorted((data / "articles").glob("*.jsonl")))
    again = (tmp_path / "again.jsonl").read_bytes()
    assert sorted(crawled.splitlines()) == sorted(again.splitlines())

    status = run_scraper("status", "--data", str(data))
    assert status.returncode == 0, status.stderr
    header, row = status.stdout.splitlines()[:2]
    assert header.split()[:3] == ["site", "articles", "versions"]
    assert row.split()[:3] == ["127.0.0.1", "4", "5"]
    assert "exit 4" in status.stdout.splitlines()[-1]


@pytest.mark.slow
def test_two_runs_at_once_one_gets_the_lock_code(tmp_path: Path) -> None:
    with FaultServer() as server:
        server.site_pages = 30
        server.stall_after = 2
        command = scraper_command("crawl", "--url", server.url + "/site/", "--data",
                                  str(tmp_path), "--allow-host", "127.0.0.1", "--delay", "0")
        first = subprocess.Popen(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 30
            while not any(e.target.startswith("/site/p/") and not e.completed
                          for e in server.log):
                assert time.monotonic() < deadline
                time.sleep(0.05)
            second = run_scraper("crawl", "--url", server.url + "/site/", "--data",
                                 str(tmp_path), "--allow-host", "127.0.0.1")
            assert second.returncode == 5, second.stderr
            assert "another run holds" in second.stderr
            assert len(second.stderr.strip().splitlines()) == 1
            first.send_signal(signal.SIGKILL)  # a killed run leaves no stale lock
            first.wait()
        finally:
            server.release_stalled()
        server.stall_after = None
        third = run_scraper("crawl", "--url", server.url + "/site/", "--data", str(tmp_path),
                            "--allow-host", "127.0.0.1", "--delay", "0")
    assert third.returncode == 0, third.stderr[-2000:]
    assert "recovered" in third.stderr
    assert not list((tmp_path / "warc").glob("*.open"))
    verify = run_scraper("verify", str(tmp_path / "warc"))
    assert verify.returncode == 0, verify.stdout


@pytest.mark.parametrize("args, code", [
    (["--url", "http://127.0.0.1:9/", "--allow-host", "127.0.0.1"], 1),  # nothing answers
    (["--url", "nonsense"], 2),
    (["--recheck-after", "soon", "--url", "http://127.0.0.1:9/"], 2),
])
def test_exit_codes(tmp_path: Path, args: list[str], code: int) -> None:
    result = run_scraper("crawl", *args, "--data", str(tmp_path))
    assert result.returncode == code, result.stderr[-2000:]


def test_manifest_is_written_for_every_run(tmp_path: Path) -> None:
    with FaultServer() as server:
        server.site_pages = 3
        result = run_scraper("crawl", "--url", server.url + "/site/", "--data", str(tmp_path),
                             "--allow-host", "127.0.0.1", "--delay", "0", "--json")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    (path,) = (tmp_path / "runs").glob("*.json")
    stored = json.loads(path.read_text())
    assert printed == stored
    assert stored["command"][:2] == ["scraper", "crawl"]
    assert stored["sites"]["127.0.0.1"]["fetched"] >= 4
    assert stored["warc_files"] and stored["warc_files"][0].startswith("warc/")
    assert set(stored["versions"]) >= {"mena-scraper", "Scrapy", "trafilatura", "warcio"}
    assert result.stderr.strip().splitlines()[-1].startswith(f"run {stored['run_id']}:")


TEASERS = " ".join(f"Teaser {n}: the council debated the harbour budget and the ferry timetable "
                   "for two hours on Tuesday." for n in range(8))


def test_incremental_runs_always_fetch_the_entry_page(tmp_path: Path) -> None:
    """A home page of teasers is extracted as an "article"; it is fetched again all the same,
    so a story linked from it later is found (it used to be "not due": exit 4)."""
    site, data = tmp_path / "site", tmp_path / "data"
    write_site(site, {"budget": "First report on the budget."})
    home = (f'<html lang="en"><head><title>Harbour News</title></head><body><article>'
            f'<h1>Harbour News</h1><p>{TEASERS}</p><a href="/news/budget">budget</a>'
            "</article></body></html>")
    (site / "index.html").write_text(home, encoding="utf-8")
    with Mirror(site) as mirror:
        first = incremental(mirror, data, "1h")
        assert first.returncode == 0, first.stderr[-2000:]
        store = CatalogStore(data / "catalog.sqlite")
        assert store.is_article_url(mirror.url + "/")  # the teasers page gave an "article"
        store.close()
        (site / "news" / "quay.html").write_text(article("quay", "A new quay opens."),
                                                 encoding="utf-8")
        (site / "index.html").write_text(home.replace("</article>",
                                                      '<a href="/news/quay">quay</a></article>'),
                                         encoding="utf-8")
        before = len(mirror.requests)
        second = incremental(mirror, data, "1h")
        assert second.returncode == 0, second.stderr[-2000:]
        assert "/" in mirror.requests[before:]
        assert requested(mirror, before) == {"/news/quay"}


def test_reindex_extracts_captures_without_an_article_record(tmp_path: Path) -> None:
    site, data = tmp_path / "site", tmp_path / "data"
    write_site(site, {"budget": "First report on the budget.", "ferry": "Ferry times change."})
    with Mirror(site) as mirror:
        crawled = run_scraper("crawl", "--url", mirror.url + "/", "--data", str(data),
                              "--allow-host", "127.0.0.1", "--delay", "0", "--no-extract")
        assert crawled.returncode == 0, crawled.stderr[-2000:]
    assert not list(data.glob("articles/*.jsonl"))
    rebuilt = run_scraper("reindex", "--data", str(data))
    assert rebuilt.returncode == 0, rebuilt.stderr[-2000:]
    assert "extracted 3 pending captures (2 article, 1 not_article/" in rebuilt.stdout
    records = [json.loads(line) for path in data.glob("articles/pending-*.jsonl")
               for line in path.read_text().splitlines()]
    assert sorted(r["url"].rsplit("/", 1)[1] for r in records) == ["budget", "ferry"]
    store = CatalogStore(data / "catalog.sqlite")
    assert sorted(s for (s,) in store.query("SELECT extraction FROM captures WHERE extraction "
                                            "IS NOT NULL"))[:2] == ["article", "article"]
    store.close()
    again = run_scraper("reindex", "--data", str(data))  # nothing pending any more
    assert again.returncode == 0 and "pending" not in again.stdout, again.stdout


def test_revisit_of_a_capture_without_record_is_extracted_from_it(tmp_path: Path) -> None:
    """Extraction failed in the first run (as the catalog is told here); the second run finds
    the same payload (a revisit) and extracts it, citing the first run's response record."""
    site, data = tmp_path / "site", tmp_path / "data"
    write_site(site, {"budget": "First report on the budget.", "ferry": "Ferry times change."})
    with Mirror(site) as mirror:
        common = ("crawl", "--url", mirror.url + "/", "--data", str(data), "--allow-host",
                  "127.0.0.1", "--delay", "0")
        first = run_scraper(*common)
        assert first.returncode == 0, first.stderr[-2000:]
        for path in data.glob("articles/*.jsonl"):
            path.unlink()
        store = CatalogStore(data / "catalog.sqlite")
        store.execute_script("UPDATE captures SET extraction = 'failed/timeout' "
                             "WHERE extraction = 'article'")
        store.execute_script("DELETE FROM articles")
        store.close()
        second = run_scraper(*common)
        assert second.returncode == 0, second.stderr[-2000:]
    warc = read_records(sorted((data / "warc").glob("*.warc.gz")))
    responses = {r.uri: r.header("WARC-Record-ID") for r in warc
                 if r.type == "response" and "/news/" in r.uri}
    assert sorted(r.uri for r in warc if r.type == "revisit" and "/news/" in r.uri) == \
        sorted(responses)
    records = [json.loads(line) for path in data.glob("articles/*.jsonl")
               for line in path.read_text().splitlines()]
    assert {r["url"]: r["capture"]["record_id"] for r in records} == responses
    store = CatalogStore(data / "catalog.sqlite")
    states = dict(store.query("SELECT url, extraction FROM captures WHERE record_type = "
                              "'response' AND url LIKE '%/news/%'"))
    store.close()
    assert set(states.values()) == {"article"}
