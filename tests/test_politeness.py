"""robots.txt fail-closed on network errors, Crawl-delay and Retry-After, and a full disk."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
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


def test_a_robots_txt_answering_404_allows_all_and_its_error_page_is_not_read(
        server: FaultServer, tmp_path: Path) -> None:
    # RFC 9309 2.3.1.3: a 4xx robots.txt is unavailable, the site may be crawled. Scrapy read
    # the error page's body as rules: these would have closed the site, and each of its HTML
    # lines was a warning.
    server.robots_status = 404
    server.robots_body = b"<!DOCTYPE html>\n<p>Not found</p>\nUser-agent: *\nDisallow: /\n"
    result = crawl(server, tmp_path, "/site/")
    assert "/site/" in {entry.target for entry in server.log}
    assert "robots.txt of" not in result.stderr, result.stderr


def test_a_robots_txt_that_is_an_html_page_is_one_warning(server: FaultServer,
                                                          tmp_path: Path) -> None:
    server.robots_body = b"<!DOCTYPE html>\n<html><head><title>Home</title></head>\n" + \
        b"".join(b"<p>line %d</p>\n" % n for n in range(30)) + b"</html>\n"
    result = crawl(server, tmp_path, "/site/")
    assert result.stderr.count("robots.txt of") == 1, result.stderr
    assert "is an HTML page (an error page answered 200?)" in result.stderr
    assert "/site/" in {entry.target for entry in server.log}


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
    """RLIMIT_FSIZE makes writes past 150 kB fail with EFBIG, as a full disk fails with ENOSPC.

    The WARC file is cut back to its last complete record, so it is closed whole (no recovery
    needed), and the run still leaves its manifest and shows in `scraper status`.
    """
    server.site_pages = 400

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))

    command = scraper_command("crawl", "--url", server.url + "/site/", "--data", str(tmp_path),
                              "--allow-host", "127.0.0.1", "--delay", "0", "--no-extract")
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120,
                            preexec_fn=small_disk,
                            env={**__import__("os").environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 3, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: cannot write"), last  # the WARC or the catalog, whichever first
    assert not list(tmp_path.glob("runs/*.tmp"))
    manifests = [json.loads(p.read_text()) for p in tmp_path.glob("runs/*.json")]
    assert [m["exit_code"] for m in manifests] == [3]
    assert manifests[0]["errors"][0].startswith("cannot write")
    status = run_scraper("status", "--data", str(tmp_path))
    assert f"{manifests[0]['run_id']}" in status.stdout and "exit 3" in status.stdout
    # before any recovery: every closed file ends at a complete record
    verify = run_scraper("verify", str(tmp_path / "warc"))
    assert verify.returncode == 0, verify.stdout
    recovered = run_scraper("recover", "--data", str(tmp_path))
    assert recovered.returncode == 0, recovered.stderr
    kept = [r for r in read_records(sorted((tmp_path / "warc").glob("*.warc.gz")))
            if r.type == "response"]
    assert len(kept) > 5
    # the run finished (exit 3) even if its last catalog row was lost: not taken for killed
    (after,) = [json.loads(p.read_text()) for p in tmp_path.glob("runs/*.json")]
    assert after["exit_code"] == 3 and not after["interrupted"]


def test_full_disk_while_writing_a_warc_record_cuts_it_back(server: FaultServer,
                                                           tmp_path: Path) -> None:
    """Big pages: the WARC file reaches the limit first, inside a record. The file is cut
    back to its last complete record and closed whole: no `.open` file, nothing to recover."""
    import os

    noise = os.urandom(30_000).hex()  # ~30 kB per record once compressed
    server.route("/big/", lambda r: RawResponse(200, [("Content-Type", "text/html")], html_page(
        "Big", "".join(f'<a href="/big/{n}">{n}</a>' for n in range(1, 40)))))
    for number in range(1, 40):
        server.route(f"/big/{number}", lambda r: RawResponse(
            200, [("Content-Type", "text/html")], html_page("Page", f"<p>{noise}</p>")))

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (150_000, 150_000))

    command = scraper_command("crawl", "--url", server.url + "/big/", "--data", str(tmp_path),
                              "--allow-host", "127.0.0.1", "--delay", "0", "--no-extract")
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120,
                            preexec_fn=small_disk, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 3, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"Error: cannot write {tmp_path / 'warc'}"), last
    assert last.endswith("the file keeps every record written before this one."), last
    (warc,) = (tmp_path / "warc").iterdir()
    assert warc.name.endswith(".warc.gz") and warc.stat().st_size < 150_000
    check = subprocess.run([str(Path(sys.executable).parent / "warcio"), "check", str(warc)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    verify = run_scraper("verify", str(tmp_path / "warc"))
    assert verify.returncode == 0 and "0 errors, 0 warnings" in verify.stderr, verify.stdout
    assert "nothing to recover" in run_scraper("recover", "--data", str(tmp_path)).stdout
    (manifest,) = [json.loads(p.read_text()) for p in tmp_path.glob("runs/*.json")]
    assert manifest["exit_code"] == 3 and manifest["errors"][0].startswith("cannot write")


def test_what_of_a_robots_txt_answer_is_read_as_rules() -> None:
    # the same for one process and for the body a distributed job shares with its workers
    from scrapy.http import Response

    from scraper.crawl.politeness import rules_body

    rules = b"User-agent: *\nDisallow: /\n"
    assert rules_body(Response("http://127.0.0.1/robots.txt", status=404, body=rules)) == b""
    assert rules_body(Response("http://127.0.0.1/robots.txt", status=410, body=rules)) == b""
    assert rules_body(Response("http://127.0.0.1/robots.txt", status=200, body=rules)) == rules
