"""robots.txt fail-closed on network errors, Crawl-delay and Retry-After, and a full disk."""

from __future__ import annotations

import resource
import signal
import subprocess
from pathlib import Path

import pytest

from scraper.crawl.politeness import retry_after_seconds
from tests.conftest import REPO, crawl, run_scraper, scraper_command
from tests.support.fault_server import FaultServer, RawResponse, html_page
from tests.support.warc_records import read_records, responses_for


def test_unreachable_robots_txt_means_no_page_is_fetched(server: FaultServer,
                                                         tmp_path: Path) -> None:
    server.robots_status = 0  # the connection closes without an answer
    result = crawl(server, tmp_path, "/site/", check=False)
    assert result.returncode == 1  # partial: the host could not be crawled
    assert {entry.target for entry in server.log} == {"/robots.txt"}
    assert "robots.txt unreachable" in result.stderr


@pytest.mark.slow
def test_crawl_delay_is_applied(server: FaultServer, tmp_path: Path) -> None:
    """The gaps between page requests, as the server saw them, are at least the Crawl-delay.

    Scrapy spreads delays over 0.5x-1.5x of DOWNLOAD_DELAY; a Crawl-delay is a minimum, so our
    crawler must not spread it. The bound leaves 20% for a loaded machine's scheduling noise.
    """
    server.robots_body = b"User-agent: *\nCrawl-delay: 2\nAllow: /\n"
    server.site_pages = 4
    crawl(server, tmp_path, "/site/", "--concurrency", "4")
    pages = sorted(e.received_at for e in server.log if e.target != "/robots.txt")
    assert len(pages) >= 5  # the index and its four pages
    gaps = [later - earlier for earlier, later in zip(pages, pages[1:])]
    assert min(gaps) >= 0.8 * 2, gaps


def test_retry_after_pauses_then_retries(server: FaultServer, tmp_path: Path) -> None:
    calls = []

    def busy_once(request):
        calls.append(request.target)
        if len(calls) == 1:
            return RawResponse(503, [("Retry-After", "1"), ("Content-Type", "text/html")],
                               html_page("Busy", "<p>busy</p>"))
        return RawResponse(200, [("Content-Type", "text/html")], html_page("Ok", "<p>ok</p>"))

    server.route("/busy", busy_once)
    result = crawl(server, tmp_path, "/busy")
    assert "asked to wait 1s (Retry-After)" in result.stderr
    responses = responses_for(read_records(sorted((tmp_path / "warc").glob("*.warc.gz"))),
                              server.url + "/busy")
    assert [r.http_status_line.split()[1] for r in responses] == ["503", "200"]


def test_retry_after_values() -> None:
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds(b"Wed, 21 Oct 2015 07:28:00 GMT") == 0
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None


def test_full_disk_gives_the_fatal_code_and_intact_files(server: FaultServer,
                                                         tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes writes past 60 kB fail with EFBIG, as a full disk fails with ENOSPC."""
    server.site_pages = 200

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (60_000, 60_000))

    command = scraper_command("crawl", "--url", server.url + "/site/", "--data", str(tmp_path),
                              "--allow-host", "127.0.0.1", "--delay", "0", "--no-extract")
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120,
                            preexec_fn=small_disk,
                            env={**__import__("os").environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 3, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: cannot write"), last  # the WARC or the catalog, whichever first
    recovered = run_scraper("recover", "--data", str(tmp_path))
    assert recovered.returncode == 0, recovered.stderr
    verify = run_scraper("verify", str(tmp_path / "warc"))
    assert verify.returncode == 0, verify.stdout
    kept = [r for r in read_records(sorted((tmp_path / "warc").glob("*.warc.gz")))
            if r.type == "response"]
    assert len(kept) > 5
