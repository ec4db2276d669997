"""End-to-end: a WARC + CDXJ index in our layout replays in a real pywb on 127.0.0.1."""

from __future__ import annotations

import gzip
import io
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from cdxj_indexer import CDXJIndexer
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.support.pywb_server import PywbServer, pywb_available, replay_url, start_pywb
from tests.support.tools import missing_tool

WARC_NAME = "replay-20261125100000000-00000-test.warc.gz"
CAPTURE_DATE = "2026-11-25T10:00:00Z"


@dataclass(frozen=True)
class Page:
    url: str
    title: str
    sentence: str
    lang: str


PAGES = [
    Page(
        url="http://example.test/article?id=1",
        title="Harbour news",
        sentence="The lighthouse keeper counted 4,812 gulls before the storm reached Alexandria.",
        lang="en",
    ),
    Page(
        # Arabic paths reach the WARC percent-encoded, as browsers and Scrapy send them.
        url="http://example.test/" + quote("أخبار/مقال-الصياد"),
        title="أخبار الميناء",
        sentence="قال الصياد إن البحر كان هادئا على غير العادة صباح الثلاثاء.",
        lang="ar",
    ),
]


def page_html(page: Page) -> bytes:
    """Return a small but complete HTML document carrying the page's sentence."""
    return (
        f'<!DOCTYPE html>\n<html lang="{page.lang}"><head><meta charset="utf-8">'
        f"<title>{page.title}</title></head>\n"
        f"<body><article><h1>{page.title}</h1><p>{page.sentence}</p></article></body></html>\n"
    ).encode()


def write_capture(writer: WARCWriter, page: Page) -> None:
    """Write the request and gzip-encoded response records of one page."""
    body = gzip.compress(page_html(page), mtime=0)
    response_headers = StatusAndHeaders(
        "200 OK",
        [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Encoding", "gzip"),
            ("Content-Length", str(len(body))),
        ],
        protocol="HTTP/1.1",
    )
    response = writer.create_warc_record(
        page.url,
        "response",
        payload=io.BytesIO(body),
        http_headers=response_headers,
        warc_headers_dict={"WARC-Date": CAPTURE_DATE},
    )
    path = page.url.split("example.test", 1)[1]
    request_headers = StatusAndHeaders(
        f"GET {path} HTTP/1.1",
        [("Host", "example.test"), ("Accept-Encoding", "gzip, deflate")],
        is_http_request=True,
    )
    request = writer.create_warc_record(
        page.url,
        "request",
        payload=io.BytesIO(b""),
        http_headers=request_headers,
        warc_headers_dict={
            "WARC-Date": CAPTURE_DATE,
            "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
        },
    )
    writer.write_record(response)
    writer.write_record(request)


def write_warc(path: Path, pages: list[Page]) -> None:
    """Write a gzipped WARC/1.1 file: warcinfo first, then every page's records."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        info = {"software": "mena-scraper tests", "format": "WARC File Format 1.1"}
        writer.write_record(writer.create_warcinfo_record(path.name, info))
        for page in pages:
            write_capture(writer, page)


def index_warc(warc_path: Path, index_dir: Path) -> Path:
    """Index warc_path into index_dir/<name>.cdxj, sorted as pywb's binary search needs."""
    index_path = index_dir / (warc_path.name.removesuffix(".warc.gz") + ".cdxj")
    CDXJIndexer(output=str(index_path), inputs=[str(warc_path)], sort=True).process_all()
    return index_path


@pytest.fixture(scope="module")
def pywb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PywbServer]:
    reason = pywb_available()
    if reason:
        missing_tool(reason)
    data = tmp_path_factory.mktemp("data")
    warc_dir, index_dir = data / "warc", data / "indexes"
    warc_dir.mkdir()
    index_dir.mkdir()
    warc_path = warc_dir / WARC_NAME
    write_warc(warc_path, PAGES)
    index_warc(warc_path, index_dir)
    with start_pywb(warc_dir, index_dir, data / "pywb") as server:
        yield server


def fetch_html(url: str) -> str:
    """GET url and return its body as text, undoing any Content-Encoding: gzip."""
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        body = response.read()
        if response.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        charset = response.headers.get_content_charset() or "utf-8"
    return body.decode(charset)


@pytest.mark.parametrize("page", PAGES, ids=[page.lang for page in PAGES])
def test_pywb_replays_captured_page(pywb: PywbServer, page: Page) -> None:
    url = replay_url(pywb, page.url)
    try:
        html = fetch_html(url)
    except OSError as exc:
        pytest.fail(f"{url} failed: {exc}\n--- pywb log ---\n{pywb.log()}")
    assert page.sentence in html, f"{url} replayed:\n{html[:2000]}"


@pytest.mark.slow
def test_pywb_replays_a_page_our_crawl_captured(tmp_path: Path) -> None:
    """The crawl's own collection folder (warc/ + indexes/) replays as it is."""
    reason = pywb_available()
    if reason:
        missing_tool(reason)
    from tests.conftest import crawl
    from tests.support.fault_server import GZIP_SENTENCE, FaultServer
    from tests.test_capture import link_page

    data = tmp_path / "data"
    with FaultServer() as server:
        server.route("/start", lambda r: link_page(
            "/gzip-chunked", "/ar/%D8%A7%D9%84%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1?id=5"))
        crawl(server, data, "/start")
        base = server.url
    with start_pywb(data / "warc", data / "indexes", tmp_path / "pywb") as pywb:
        with urllib.request.urlopen(replay_url(pywb, base + "/gzip-chunked"), timeout=30) as r:
            assert GZIP_SENTENCE in r.read().decode("utf-8")
        arabic = base + "/ar/%D8%A7%D9%84%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1?id=5"
        with urllib.request.urlopen(replay_url(pywb, arabic), timeout=30) as r:
            assert "/ar/%D8%A7" in r.read().decode("utf-8")
