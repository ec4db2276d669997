"""A small WARC builder for tests: records written by warcio, their spans, ways to damage them."""

from __future__ import annotations

import gzip
import io
import random
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from warcio.checker import Checker
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


@dataclass(frozen=True)
class Span:
    """Where one record landed in the built file."""

    offset: int
    end: int
    rec_type: str
    record_id: str


class WarcBuilder:
    """Writes records with warcio (WARC/1.1, one gzip member each) and notes their spans."""

    def __init__(self, gzip: bool = True) -> None:
        self.out = io.BytesIO()
        self.writer = WARCWriter(self.out, gzip=gzip, warc_version="1.1")
        self.spans: list[Span] = []

    @property
    def data(self) -> bytes:
        return self.out.getvalue()

    def add(self, record: ArcWarcRecord) -> str:
        start = self.out.tell()
        self.writer.write_record(record)
        record_id = record.rec_headers.get_header("WARC-Record-ID")
        self.spans.append(Span(start, self.out.tell(), record.rec_type, record_id))
        return record_id

    def warcinfo(self) -> str:
        return self.add(self.writer.create_warcinfo_record("test.warc.gz",
                                                           {"software": "tests"}))

    def response(self, url: str, body: bytes, headers: list[tuple[str, str]] | None = None,
                 warc_headers: dict[str, str] | None = None) -> ArcWarcRecord:
        http = StatusAndHeaders("200 OK", headers or [("Content-Type", "text/html")],
                                protocol="HTTP/1.1")
        return self.writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                              length=len(body), http_headers=http,
                                              warc_headers_dict=warc_headers or {})

    def request(self, url: str, concurrent_to: str | None = None) -> ArcWarcRecord:
        path = "/" + url.split("/", 3)[-1]
        http = StatusAndHeaders(f"GET {path} HTTP/1.1", [("Host", "example.com")],
                                is_http_request=True)
        warc_headers = {"WARC-Concurrent-To": concurrent_to} if concurrent_to else {}
        return self.writer.create_warc_record(url, "request", http_headers=http,
                                              warc_headers_dict=warc_headers)

    def exchange(self, url: str, body: bytes, headers: list[tuple[str, str]] | None = None,
                 warc_headers: dict[str, str] | None = None) -> tuple[str, str]:
        """Response first, then a request naming it, as warcio's write_request_response_pair."""
        response_id = self.add(self.response(url, body, headers, warc_headers))
        request_id = self.add(self.request(url, concurrent_to=response_id))
        return request_id, response_id


def page(number: int, size: int = 400) -> bytes:
    text = f"<html><body><p>Article {number}: " + "news " * size + "</p></body></html>"
    return text.encode()


def build_sample(gzip: bool = True) -> WarcBuilder:
    """warcinfo, exchanges (chunked, truncated, request-first), metadata, revisit."""
    warc = WarcBuilder(gzip=gzip)
    warc.warcinfo()
    warc.exchange("http://example.com/a", b"5\r\nhello\r\n0\r\n\r\n",
                  headers=[("Transfer-Encoding", "chunked")])
    _, truncated_id = warc.exchange("http://example.com/b", page(2),
                                    warc_headers={"WARC-Truncated": "length"})
    metadata = warc.writer.create_warc_record(
        "http://example.com/b", "metadata", payload=io.BytesIO(b"via: http://example.com/\r\n"),
        length=26, warc_content_type="application/warc-fields",
        warc_headers_dict={"WARC-Concurrent-To": truncated_id})
    warc.add(metadata)
    request = warc.request("http://example.com/c")
    request_id = warc.add(request)
    warc.add(warc.response("http://example.com/c", page(3),
                           warc_headers={"WARC-Concurrent-To": request_id}))
    original = warc.response("http://example.com/d", page(4))
    warc.add(original)
    warc.add(warc.request("http://example.com/d",
                          concurrent_to=original.rec_headers.get_header("WARC-Record-ID")))
    revisit = warc.writer.create_revisit_record(
        "http://example.com/d", original.rec_headers.get_header("WARC-Payload-Digest"),
        "http://example.com/d", original.rec_headers.get_header("WARC-Date"),
        http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                      protocol="HTTP/1.1"))
    revisit_id = warc.add(revisit)
    warc.add(warc.request("http://example.com/d", concurrent_to=revisit_id))
    warc.exchange("http://example.com/e", page(5, size=3000))
    warc.exchange("http://example.com/f.jpg", random.Random(6).randbytes(9000),
                  headers=[("Content-Type", "image/jpeg")])
    return warc


def warcio_check(path: Path) -> bool:
    """True when warcio's own checker finds every digest right."""
    with redirect_stdout(io.StringIO()):
        return Checker(SimpleNamespace(inputs=[str(path)], verbose=False)).process_all() == 0


def rewrite_member(data: bytes, span: Span, edit: Callable[[bytes], bytes]) -> bytes:
    """``data`` with the record at ``span`` decompressed, edited and compressed again."""
    record = edit(gzip.decompress(data[span.offset:span.end]))
    return data[:span.offset] + gzip.compress(record) + data[span.end:]


def flip_at(position: int) -> Callable[[bytes], bytes]:
    def edit(record: bytes) -> bytes:
        changed = bytearray(record)
        changed[position] ^= 0x01
        return bytes(changed)
    return edit


def flip_after(marker: bytes) -> Callable[[bytes], bytes]:
    return lambda record: flip_at(record.index(marker) + len(marker))(record)
