"""Issue 10, bad input on the crawling side: a hostile server, and start URLs or settings that
used to give tracebacks. Each case is one real crawl; it checks the exit code, the one-line
message and what the WARC and JSONL files kept."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import run_scraper
from tests.support.fault_server import FaultServer
from tests.support.hostile_routes import (
    ARABIC_TEXT,
    BROKEN_BODY,
    RAW_ANSWERS,
    STALL_SENT,
    add_hostile_routes,
)
from tests.support.http_wire import RawResponse
from tests.support.warc_records import WarcRecord, assert_indexes_as_read_back, read_records


def hostile_crawl(server: FaultServer, data: Path, path: str, *extra: str):
    add_hostile_routes(server)
    return run_scraper("crawl", "--url", server.url + path, "--data", str(data),
                       "--allow-host", "127.0.0.1", "--delay", "0", "--quiet", *extra)


def records(data: Path) -> list[WarcRecord]:
    return read_records(sorted((data / "warc").glob("*.warc.gz")))


def articles(data: Path) -> list[dict]:
    return [json.loads(line) for path in sorted((data / "articles").glob("*.jsonl"))
            for line in path.read_text().splitlines()]


def summary(stderr: str) -> str:
    (line,) = [line for line in stderr.splitlines() if line.startswith("run ")]
    return line


def kept_truncated_time(server: FaultServer, data: Path) -> None:
    (record,) = [r for r in records(data) if r.uri.endswith("/hostile/stall-body")
                 and r.type != "request"]
    assert record.header("WARC-Truncated") == "time" and record.payload == STALL_SENT


def kept_resource(name: str) -> Callable[[FaultServer, Path], None]:
    def check(server: FaultServer, data: Path) -> None:
        (record,) = [r for r in records(data) if r.uri.endswith(name) and r.type != "request"]
        assert record.type == "resource"
        assert record.payload == RAW_ANSWERS[name]  # every byte, the broken line included
        assert "not an HTTP/1.x status line" in record.header("X-Crawler-Invalid-Response")
        assert run_scraper("verify", str(data / "warc")).returncode == 0
    return check


def kept_every_hop(count: int) -> Callable[[FaultServer, Path], None]:
    def check(server: FaultServer, data: Path) -> None:
        hops = [r for r in records(data) if r.type == "response" and "/hostile/" in r.uri]
        assert len(hops) == count and all(r.http_status_line.endswith("302 Found") for r in hops)
    return check


def kept_true_arabic(server: FaultServer, data: Path) -> None:
    (article,) = articles(data)
    assert article["encoding"]["source"] == "detected-over-declared"
    assert ARABIC_TEXT.split("،")[0] in article["text"] and "\ufffd" not in article["text"]


def kept_no_article(server: FaultServer, data: Path) -> None:
    assert articles(data) == []
    assert [r for r in records(data) if r.uri.endswith("/hostile/binary")]  # still archived


def kept_capture_only(server: FaultServer, data: Path) -> None:
    assert articles(data) == []  # no 1-word "article"
    assert [r for r in records(data) if r.uri.endswith("/hostile/nested")]


def kept_nothing_but_robots(server: FaultServer, data: Path) -> None:
    assert [r.uri for r in records(data) if r.type == "response"] == [server.url + "/robots.txt"]


CASES = [
    # path, extra options, exit code, the message, what must be kept
    ("/stall", ["-s", "DOWNLOAD_TIMEOUT=1"], 1,
     "/stall>: DownloadTimeoutError: Getting", kept_nothing_but_robots),
    ("/hostile/stall-body", ["-s", "DOWNLOAD_TIMEOUT=2"], 1,
     "stored as WARC-Truncated: time", kept_truncated_time),
    ("/hostile/status-abc", [], 1, "b'abc', not an HTTP/1.x status line; stored what came",
     kept_resource("/hostile/status-abc")),
    ("/hostile/status-garbage", [], 1, "b'HTTP/1.1 GARBAGE', not an HTTP/1.x status line",
     kept_resource("/hostile/status-garbage")),
    ("/hostile/http09", [], 1, "not an HTTP/1.x status line",
     kept_resource("/hostile/http09")),
    ("/hostile/loop", [], 1, "redirect loop back to", kept_every_hop(1)),
    ("/hostile/chain/0", [], 1, "more than 20 redirects (REDIRECT_MAX_TIMES)",
     kept_every_hop(21)),
    ("/hostile/charset-lie-utf8", [], 0, "", kept_true_arabic),
    ("/hostile/charset-lie-1256", [], 0, "", kept_true_arabic),
    ("/hostile/binary", [], 0, "", kept_no_article),
    ("/hostile/nested", [], 1, "HTML nested deeper than the parser reads (256 elements)",
     kept_capture_only),
]


@pytest.mark.slow
@pytest.mark.parametrize("path, extra, code, message, kept", CASES,
                         ids=[case[0].rsplit("/", 1)[-1] or "chain" for case in CASES])
def test_hostile_answers_are_archived_marked_and_counted(
        server: FaultServer, tmp_path: Path, path: str, extra: list[str], code: int,
        message: str, kept: Callable[[FaultServer, Path], None]) -> None:
    result = hostile_crawl(server, tmp_path, path, *extra)
    assert result.returncode == code, result.stderr[-3000:]
    assert message in result.stderr
    assert "Traceback" not in result.stderr, result.stderr[-4000:]
    line = summary(result.stderr)
    assert (", 0 failed," in line) == (code == 0), line
    assert "0 new" not in line  # a full crawl does not sort pages into new and re-checked
    kept(server, tmp_path)
    assert_indexes_as_read_back(tmp_path, tmp_path / "read-back")


def refuse_robots_redirect(server: FaultServer) -> None:
    server.route("/robots.txt", lambda request: RawResponse(
        302, [("Location", "http://127.0.0.2:9/robots.txt")]))


def stall_robots(server: FaultServer) -> None:
    server.route("/robots.txt", lambda request: (server._wait_if_stalled(), RawResponse(200))[1])


ROBOTS_CASES = [
    (stall_robots, 1, "robots.txt unreachable (DownloadTimeoutError)"),
    (lambda server: setattr(server, "robots_status", 500), 1, "robots.txt answered 500"),
    (refuse_robots_redirect, 1, "robots.txt unreachable (IgnoreRequest)"),
    (lambda server: setattr(server, "robots_body", b"User-agent: *\nDisalow: /\n"), 0,
     "line 2: unknown directive 'disalow' (did you mean Disallow?): 'Disalow: /'"),
]


@pytest.mark.slow
@pytest.mark.parametrize("arrange, code, message", ROBOTS_CASES,
                         ids=["robots-stalled", "robots-500", "robots-redirect-refused",
                              "robots-typo"])
def test_robots_txt_trouble_agrees_with_the_readme(server: FaultServer, tmp_path: Path,
                                                   arrange: Callable[[FaultServer], None],
                                                   code: int, message: str) -> None:
    server.site_pages = 3
    arrange(server)
    result = hostile_crawl(server, tmp_path, "/site/", "-s", "DOWNLOAD_TIMEOUT=1")
    assert result.returncode == code, result.stderr[-3000:]
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not [e for e in server.log if e.target.startswith("/site/p/")]  # nothing fetched
    assert (", 0 failed," in summary(result.stderr)) == (code == 0)


LONG_URL = "http://127.0.0.1:9/site/?q=" + "a" * 2100


@pytest.mark.parametrize("args, message", [
    (["--url", "http://[::1"], "not a valid URL: 'http://[::1' (Invalid IPv6 URL)"),
    (["--url", "http://127.0.0.1:99999/"], "(Port out of range 0-65535)"),
    (["--url", "http://127.0.0.1:9/", "-s", "DOWNLOAD_TIMEOUT=abc"],
     "-s DOWNLOAD_TIMEOUT='abc': give a number (the default is 60)"),
    (["--url", "http://127.0.0.1:9/", "-s", "ROBOTSTXT_OBEY=maybe"],
     "-s ROBOTSTXT_OBEY='maybe': give True, False, 1 or 0"),
    (["--url", LONG_URL], "the start URL is 2127 characters long, over URLLENGTH_LIMIT (2083)"),
])
def test_bad_start_urls_and_settings_are_usage_errors(tmp_path: Path, args: list[str],
                                                      message: str) -> None:
    result = run_scraper("crawl", *args, "--allow-host", "127.0.0.1", "--data", str(tmp_path))
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not (tmp_path / "runs").exists()  # refused before the run: no manifest


@pytest.mark.slow
def test_unknown_setting_is_named_with_close_matches(server: FaultServer, tmp_path: Path) -> None:
    server.site_pages = 2
    result = hostile_crawl(server, tmp_path, "/site/", "-s", "DOWNLOAD_TIMOUT=5")
    assert result.returncode == 0, result.stderr[-2000:]
    assert ("Warning: -s DOWNLOAD_TIMOUT: not a setting of Scrapy or of this project (ignored "
            "unless an add-on reads it); did you mean DOWNLOAD_TIMEOUT") in result.stderr


def test_broken_body_routes_send_what_they_promise(server: FaultServer) -> None:
    """The hostile routes themselves (stdlib client): a test of the test server."""
    import socket

    add_hostile_routes(server)
    for path, raw in RAW_ANSWERS.items():
        with socket.create_connection((server.host, server.port), timeout=5) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        assert data == raw and data.endswith(BROKEN_BODY)
