"""verify_paths on WARC files written by warcio, clean and damaged in known places."""

from __future__ import annotations

import gzip
import io
import random
import subprocess
import sys
import zlib
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from warcio.checker import Checker
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive import verify
from archive.verify import VerifyResult, verify_paths

WARCIO = Path(sys.executable).with_name("warcio")


# ---------------------------------------------------------------- building test files

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


@pytest.fixture(scope="module")
def sample() -> WarcBuilder:
    return build_sample()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def errors(result: VerifyResult) -> list[tuple[Path, int | None, str]]:
    return [(p.file, p.offset, p.message) for p in result.problems if p.severity == "error"]


# ---------------------------------------------------------------- clean files

def test_clean_gzip_file_is_ok(tmp_path: Path, sample: WarcBuilder) -> None:
    path = write(tmp_path / "clean.warc.gz", sample.data)
    result = verify_paths([path])
    assert result.ok, [str(p) for p in result.problems]
    assert result.problems == []
    assert (result.files, result.records) == (1, len(sample.spans))
    assert warcio_check(path)


def test_clean_plain_warc_is_ok(tmp_path: Path) -> None:
    path = write(tmp_path / "clean.warc", build_sample(gzip=False).data)
    result = verify_paths([path])
    assert result.ok and result.problems == [], [str(p) for p in result.problems]
    assert result.records == len(build_sample().spans)


def test_warcio_cli_agrees_on_the_sample(tmp_path: Path, sample: WarcBuilder) -> None:
    path = write(tmp_path / "clean.warc.gz", sample.data)
    done = subprocess.run([str(WARCIO), "check", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_folder_is_searched_recursively(tmp_path: Path, sample: WarcBuilder) -> None:
    write(tmp_path / "a" / "one.warc.gz", sample.data)
    write(tmp_path / "a" / "b" / "two.warc", build_sample(gzip=False).data)
    write(tmp_path / "a" / "b" / "index.cdxj", b"not a warc\n")
    write(tmp_path / "a" / "notes.txt", b"not a warc\n")
    result = verify_paths([tmp_path])
    assert result.ok and result.files == 2


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    result = verify_paths([tmp_path / "nope.warc.gz"])
    assert not result.ok
    assert "no such file" in result.problems[0].message


# ---------------------------------------------------------------- damaged records

RESPONSES = [i for i, span in enumerate(build_sample().spans) if span.rec_type == "response"]


@pytest.mark.parametrize("index", RESPONSES)
def test_changed_body_byte_is_reported_at_its_record(tmp_path: Path, sample: WarcBuilder,
                                                     index: int) -> None:
    span = sample.spans[index]
    path = write(tmp_path / "bad.warc.gz", rewrite_member(sample.data, span, flip_at(-5)))
    result = verify_paths([path])
    assert not result.ok
    found = errors(result)
    assert {(file, offset) for file, offset, _ in found} == {(path, span.offset)}
    assert {message.split(" ")[0] for _, _, message in found} == {
        "WARC-Block-Digest", "WARC-Payload-Digest"}
    assert not warcio_check(path)


def test_changed_digest_header_is_reported(tmp_path: Path, sample: WarcBuilder) -> None:
    span = next(s for s in sample.spans if s.rec_type == "response")
    data = rewrite_member(sample.data, span, flip_after(b"WARC-Payload-Digest: sha1:"))
    path = write(tmp_path / "bad.warc.gz", data)
    found = errors(verify_paths([path]))
    assert len(found) == 1
    assert found[0][:2] == (path, span.offset)
    assert "WARC-Payload-Digest does not match" in found[0][2]


def test_damaged_gzip_member_is_reported_at_its_offset(tmp_path: Path,
                                                       sample: WarcBuilder) -> None:
    span = sample.spans[4]
    middle = (span.offset + span.end) // 2
    data = bytearray(sample.data)
    data[middle] ^= 0xFF
    result = verify_paths([write(tmp_path / "bad.warc.gz", bytes(data))])
    assert not result.ok
    assert any(p.offset == span.offset for p in result.problems if p.severity == "error")
    assert result.records <= 4


def test_wrong_content_length_is_reported(tmp_path: Path, sample: WarcBuilder) -> None:
    span = sample.spans[3]

    def lengthen(record: bytes) -> bytes:
        head, _, rest = record.partition(b"Content-Length: ")
        number, _, tail = rest.partition(b"\r\n")
        return head + b"Content-Length: " + str(int(number) + 7).encode() + b"\r\n" + tail

    path = write(tmp_path / "bad.warc.gz", rewrite_member(sample.data, span, lengthen))
    found = errors(verify_paths([path]))
    assert found and found[0][1] == span.offset


def test_cut_file_and_trailing_garbage_are_reported(tmp_path: Path, sample: WarcBuilder) -> None:
    last = sample.spans[-1]
    cut = write(tmp_path / "cut.warc.gz", sample.data[: last.end - 10])
    messages = [p.message for p in verify_paths([cut]).problems if p.offset == last.offset]
    assert any("ends inside a gzip member" in message for message in messages)
    junk = write(tmp_path / "junk.warc.gz", sample.data + b"\0" * 100)
    found = errors(verify_paths([junk]))
    assert found and found[0][1] == len(sample.data)


# ---------------------------------------------------------------- file-level checks

def test_request_without_response_is_reported(tmp_path: Path) -> None:
    warc = WarcBuilder()
    warc.warcinfo()
    warc.exchange("http://example.com/1", page(1))
    lonely = warc.add(warc.request("http://example.com/2"))
    warc.exchange("http://example.com/3", page(3))
    orphan = warc.add(warc.response("http://example.com/4", page(4)))
    warc.exchange("http://example.com/5", page(5))
    path = write(tmp_path / "pairs.warc.gz", warc.data)
    result = verify_paths([path])
    found = errors(result)
    offsets = {s.record_id: s.offset for s in warc.spans}
    assert {offset for _, offset, _ in found} == {offsets[lonely], offsets[orphan]}
    assert any("request has no response" in message for _, _, message in found)
    assert any("response has no request" in message for _, _, message in found)


def test_unpaired_last_record_is_a_warning(tmp_path: Path) -> None:
    warc = WarcBuilder()
    warc.warcinfo()
    warc.exchange("http://example.com/1", page(1))
    lonely = warc.add(warc.request("http://example.com/2"))
    result = verify_paths([write(tmp_path / "tail.warc.gz", warc.data)])
    assert result.ok
    [warning] = result.problems
    assert warning.severity == "warning" and "request has no response" in warning.message
    assert warning.offset == warc.spans[-1].offset and warc.spans[-1].record_id == lonely


def test_first_record_must_be_warcinfo(tmp_path: Path) -> None:
    warc = WarcBuilder()
    warc.exchange("http://example.com/1", page(1))
    found = errors(verify_paths([write(tmp_path / "noinfo.warc.gz", warc.data)]))
    assert [(offset, "warcinfo" in message) for _, offset, message in found] == [(0, True)]


def test_open_leftover_is_reported(tmp_path: Path, sample: WarcBuilder) -> None:
    path = write(tmp_path / "crawl.warc.gz.open", sample.data)
    result = verify_paths([tmp_path])
    assert result.files == 1 and not result.ok
    assert any("scraper recover" in p.message and p.file == path for p in result.problems)


def test_single_gzip_stream_is_only_a_warning(tmp_path: Path) -> None:
    plain = build_sample(gzip=False)
    path = write(tmp_path / "stream.warc.gz", zlib.compress(plain.data, wbits=31))
    result = verify_paths([path])
    assert result.ok, [str(p) for p in result.problems]
    assert result.records == len(plain.spans)
    assert [p.severity for p in result.problems] == ["warning"]
    assert "share one gzip member" in result.problems[0].message


def test_empty_file_is_reported(tmp_path: Path) -> None:
    result = verify_paths([write(tmp_path / "empty.warc.gz", b"")])
    assert not result.ok and "no complete WARC record" in result.problems[0].message


def test_results_do_not_depend_on_read_sizes(tmp_path: Path, sample: WarcBuilder,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = rewrite_member(sample.data, sample.spans[3], flip_at(-5))
    paths = [write(tmp_path / "clean.warc.gz", sample.data),
             write(tmp_path / "damaged.warc.gz", damaged),
             write(tmp_path / "plain.warc", build_sample(gzip=False).data),
             write(tmp_path / "cut.warc.gz", sample.data[:-20])]
    expected = verify_paths(paths)
    monkeypatch.setattr(verify, "READ_SIZE", 7)
    monkeypatch.setattr(verify, "MAX_OUTPUT", 5)
    assert verify_paths(paths) == expected
