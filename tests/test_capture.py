"""What a crawl writes to WARC, asserted record by record against a fault-injecting server."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
from pathlib import Path

import pytest

from tests.conftest import crawl, run_scraper
from tests.support.fault_server import GZIP_BODY, FaultServer, RawResponse, html_page
from tests.support.validators import validator_failures
from tests.support.warc_records import (
    WarcRecord,
    assert_indexes_as_read_back,
    read_records,
    responses_for,
)


def sha1_b32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def warc_files(data: Path) -> list[Path]:
    return sorted((data / "warc").glob("*.warc.gz"))


def request_for(records: list[WarcRecord], response: WarcRecord) -> WarcRecord:
    (request,) = [r for r in records if r.type == "request"
                  and r.header("WARC-Record-ID") == response.header("WARC-Concurrent-To")]
    return request


def link_page(*hrefs: str) -> RawResponse:
    links = "".join(f'<a href="{h}">link</a>\n' for h in hrefs)
    return RawResponse(200, [("Content-Type", "text/html; charset=utf-8")],
                       html_page("Links", links))


def test_gzip_chunked_body_is_stored_byte_for_byte(server: FaultServer, tmp_path: Path) -> None:
    crawl(server, tmp_path, "/gzip-chunked", "--limit", "1")
    records = read_records(warc_files(tmp_path))
    (response,) = responses_for(records, server.url + "/gzip-chunked")
    assert response.payload == GZIP_BODY
    assert response.http_values("Content-Encoding") == ["gzip"]
    assert response.http_values("Transfer-Encoding") == []
    assert response.http_values("X-Crawler-Transfer-Encoding") == ["chunked"]
    assert response.http_values("Content-Length") == [str(len(GZIP_BODY))]
    assert response.header("WARC-Payload-Digest") == sha1_b32(GZIP_BODY)
    request = request_for(records, response)
    assert request.header("WARC-Date") == response.header("WARC-Date")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", response.header("WARC-Date"))
    assert response.header("WARC-IP-Address") == "127.0.0.1"
    assert request.header("WARC-Concurrent-To") == response.header("WARC-Record-ID")
    assert validator_failures(warc_files(tmp_path)) == []


def test_repeated_headers_kept_and_secrets_never_stored(server: FaultServer,
                                                        tmp_path: Path) -> None:
    cookies = [("Set-Cookie", f"s{i}=COOKIE-SECRET-{i}; Path=/") for i in range(3)]
    server.route("/login", lambda r: RawResponse(
        200, [("Content-Type", "text/html"), *cookies], html_page("in", '<a href="/final">f</a>')))
    crawl(server, tmp_path, "/login", "-s",
          'DEFAULT_REQUEST_HEADERS={"Authorization": "Bearer TOKEN-SECRET-42"}')
    sent = {name.lower(): value for entry in server.log for name, value in entry.headers}
    assert sent["authorization"] == "Bearer TOKEN-SECRET-42"  # the secret really went out
    assert "COOKIE-SECRET-0" in sent["cookie"]

    records = read_records(warc_files(tmp_path))
    (login,) = responses_for(records, server.url + "/login")
    assert login.http_values("Set-Cookie") == ["[redacted]"] * 3
    (final,) = responses_for(records, server.url + "/final")
    final_request = request_for(records, final)
    assert final_request.http_values("Cookie") == ["[redacted]"]
    for path in tmp_path.rglob("*"):
        if path.is_file():
            content = gzip.open(path).read() if path.suffix == ".gz" else path.read_bytes()
            assert b"SECRET" not in content, path


def test_secrets_kept_when_asked(server: FaultServer, tmp_path: Path) -> None:
    crawl(server, tmp_path, "/cookies", "--keep-secrets", "--limit", "1")
    (response,) = responses_for(read_records(warc_files(tmp_path)), server.url + "/cookies")
    assert response.http_values("Set-Cookie") == ["a=1; Path=/", "b=2; Path=/", "c=3; HttpOnly"]


def test_redirect_is_two_exchanges(server: FaultServer, tmp_path: Path) -> None:
    crawl(server, tmp_path, "/redirect-301")
    records = read_records(warc_files(tmp_path))
    (moved,) = responses_for(records, server.url + "/redirect-301")
    (final,) = responses_for(records, server.url + "/final")
    assert moved.http_status_line == "HTTP/1.1 301 Moved Permanently"
    assert moved.http_values("Location") == ["/final"]
    assert final.http_status_line.startswith("HTTP/1.1 200")
    assert request_for(records, moved) and request_for(records, final)


def test_arabic_path_and_query_recorded_exactly(server: FaultServer, tmp_path: Path) -> None:
    encoded = "/ar/%D8%A7%D9%84%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1?id=5&q=%D9%85"
    crawl(server, tmp_path, "/ar/الأخبار?id=5&q=م", "--limit", "1")
    assert encoded in [entry.target for entry in server.log]
    records = read_records(warc_files(tmp_path))
    (response,) = responses_for(records, server.url + encoded)
    request = request_for(records, response)
    assert request.http_status_line == f"GET {encoded} HTTP/1.1"
    assert request.header("WARC-Target-URI") == server.url + encoded


def test_reason_phrase_and_http_version_are_real(server: FaultServer, tmp_path: Path) -> None:
    server.route("/start", lambda r: link_page("/phrase", "/http10"))
    crawl(server, tmp_path, "/start")
    records = read_records(warc_files(tmp_path))
    (phrase,) = responses_for(records, server.url + "/phrase")
    assert phrase.http_status_line == "HTTP/1.1 200 Everything Fine Here"
    (old,) = responses_for(records, server.url + "/http10")
    assert old.http_status_line == "HTTP/1.0 200 OK"


def test_robots_503_means_the_host_is_not_crawled(server: FaultServer, tmp_path: Path) -> None:
    server.robots_status = 503
    result = crawl(server, tmp_path, "/site/", check=False)
    assert result.returncode == 1, result.stderr[-2000:]  # the start page failed: not fetched
    assert {entry.target for entry in server.log} == {"/robots.txt"}
    assert "robots.txt answered 503" in result.stderr
    records = read_records(warc_files(tmp_path))
    assert responses_for(records, server.url + "/robots.txt")  # the refusal itself is evidence


def test_redirects_to_private_addresses_and_files_are_refused(server: FaultServer,
                                                              tmp_path: Path) -> None:
    with FaultServer(host="127.0.0.2") as other:
        targets = [other.url + "/x", "http://169.254.169.254/latest/meta-data",
                   "file:///etc/passwd", "http://[::ffff:127.0.0.2]:1/y", "http://localhost/z"]
        server.route("/hops", lambda r: link_page(*(f"/redirect-to?target={t}" for t in targets)))
        result = crawl(server, tmp_path, "/hops")
        assert other.log == []
    records = read_records(warc_files(tmp_path))
    fetched = {r.uri for r in records if r.type == "response"}
    assert not any(uri.startswith(("http://127.0.0.2", "http://169.254", "file:", "http://[",
                                   "http://localhost")) for uri in fetched)
    # Scrapy's RedirectMiddleware already drops the file: redirect; ours refuses the other four.
    assert result.stderr.count("Refused") == len(targets) - 1
    redirects = [r for r in records if r.type == "response" and "/redirect-to" in r.uri]
    assert len(redirects) == len(targets)  # each 302 is captured, its target is not followed


def test_oversized_and_cut_responses_are_stored_truncated(server: FaultServer,
                                                         tmp_path: Path) -> None:
    server.route("/heavy", lambda r: link_page("/big?size=30000000", "/drop", "/final"))
    crawl(server, tmp_path, "/heavy")
    records = read_records(warc_files(tmp_path))
    (big,) = responses_for(records, server.url + "/big?size=30000000")
    assert big.header("WARC-Truncated") == "length"
    assert len(big.payload) == 20 * 1024 * 1024
    assert big.http_values("Content-Length") == [str(20 * 1024 * 1024)]
    assert big.http_values("X-Crawler-Content-Length") == ["30000000"]
    (drop,) = responses_for(records, server.url + "/drop")
    assert drop.header("WARC-Truncated") == "disconnect"
    assert len(drop.payload) == 20_000
    assert responses_for(records, server.url + "/final")  # the crawl went on


def test_files_are_named_rotated_indexed_and_valid(server: FaultServer, tmp_path: Path) -> None:
    crawl(server, tmp_path, "/site/", "--limit", "30", "-s", "WARC_MAX_SIZE=20000",
          "-s", "WARC_PREFIX=test")
    files = warc_files(tmp_path)
    assert len(files) > 2
    pattern = r"test-\d{17}-(\d{5})-[\w.-]+-\d+\.warc\.gz"
    serials = [int(re.fullmatch(pattern, f.name).group(1)) for f in files]
    assert serials == list(range(len(files)))
    assert not list((tmp_path / "warc").glob("*.open"))
    for path in files:
        first = read_records([path])[0]
        assert first.type == "warcinfo"
        assert (tmp_path / "indexes" / (path.name + ".cdxj")).exists()
    assert_indexes_as_read_back(tmp_path, tmp_path / "read-back")
    pages = {r.uri for r in read_records(files) if r.type == "response"}
    assert len([u for u in pages if "/site/" in u]) == 30
    assert validator_failures(files) == []
    verify = run_scraper("verify", str(tmp_path / "warc"))
    assert verify.returncode == 0, verify.stdout + verify.stderr


@pytest.mark.parametrize("args, message", [
    (["--url", "not a url"], "not an http(s) URL"),
    (["--url", "ftp://example.org/"], "not an http(s) URL"),
    (["--url", "http://127.0.0.1:9/"], "private"),
    (["al-monitr"], "unknown site 'al-monitr'; did you mean al-monitor"),
    (["al-monitor", "--url", "http://example.test/"], "not both"),
    (["al-monitor", "--since", "someday"], "--since 'someday'"),
    ([], "nothing to crawl"),
])
def test_bad_input_is_one_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_scraper("crawl", *args, "--data", str(tmp_path))
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
