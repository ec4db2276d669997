"""Reading and verifying WARC/ARC files other tools wrote: built here, and (when present) the
third-party set in ../shared/warcs (env SCRAPER_WARCS)."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders

from archive.reader import ReadStats, iter_responses
from archive.transfer import dechunk
from archive.verify import verify_paths
from tests.conftest import run_scraper
from tests.support.warc_builder import WarcBuilder

SHARED = Path(os.environ.get("SCRAPER_WARCS", Path(__file__).parents[2] / "shared" / "warcs"))
needs_shared = pytest.mark.skipif(not SHARED.is_dir(),
                                  reason=f"no third-party WARCs at {SHARED} (set SCRAPER_WARCS)")
ARTICLE = ("<html><head><title>Border talks</title></head><body><article><h1>Border talks"
           "</h1>" + "".join(f"<p>Paragraph {n}: the border talks resumed on day {n} with "
                             f"{n + 2} delegations meeting in the capital for round {n}.</p>"
                             for n in range(40))
           + "</article></body></html>").encode()


def chunked(body: bytes, size: int = 300) -> bytes:
    parts = [b"%x\r\n%s\r\n" % (len(body[i:i + size]), body[i:i + size])
             for i in range(0, len(body), size)]
    return b"".join(parts) + b"0\r\n\r\n"


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_dechunk_undoes_framing_and_leaves_plain_bodies_alone() -> None:
    assert dechunk(chunked(ARTICLE, 7)) == ARTICLE
    assert dechunk(b"<html>not chunked</html>") is None
    assert dechunk(chunked(ARTICLE)[:500]) == ARTICLE[:500 - 12]  # two size lines, one CRLF


def test_stored_chunked_bodies_are_dechunked_whatever_the_coding(tmp_path: Path) -> None:
    warc = WarcBuilder()
    warc.warcinfo()
    warc.exchange("http://example.com/plain", chunked(ARTICLE),
                  headers=[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")])
    warc.exchange("http://example.com/gz", chunked(gzip.compress(ARTICLE)),
                  headers=[("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                           ("Transfer-Encoding", "chunked")])
    warc.exchange("http://example.com/te-gzip", chunked(gzip.compress(ARTICLE)),
                  headers=[("Content-Type", "text/html"), ("Transfer-Encoding", "gzip, chunked")])
    warc.exchange("http://example.com/kept-header", ARTICLE,  # de-chunked, header left behind
                  headers=[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")])
    path = write(tmp_path / "chunked.warc.gz", warc.data)
    stats = ReadStats()
    stored = {r.url.rsplit("/", 1)[1]: r for r in iter_responses([path], stats)}
    assert stored["plain"].payload == stored["kept-header"].payload == ARTICLE
    assert gzip.decompress(stored["gz"].payload) == ARTICLE
    assert stored["te-gzip"].header("transfer-encoding") == "gzip"
    assert stats.dechunked == 3

    done = run_scraper("extract", str(path), "-o", str(tmp_path / "out.jsonl"))
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert len(records) == 4
    for record in records:
        assert "Border talks" in record["title"]
        assert not re.search(r"\b12c\b", record["text"]), record["url"]


def revisit_of(warc: WarcBuilder, original: object, url: str) -> None:
    headers = original.rec_headers  # type: ignore[attr-defined]
    warc.add(warc.writer.create_revisit_record(
        url, headers.get_header("WARC-Payload-Digest"), headers.get_header("WARC-Target-URI"),
        headers.get_header("WARC-Date"),
        http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                      protocol="HTTP/1.1")))


def test_revisits_resolve_to_their_payload_or_are_counted(tmp_path: Path) -> None:
    warc = WarcBuilder()
    warc.warcinfo()
    original = warc.response("http://example.com/a", ARTICLE)
    warc.add(original)
    revisit_of(warc, original, "http://example.com/a")
    elsewhere = WarcBuilder().response("http://example.com/gone", b"<html>x</html>")
    revisit_of(warc, elsewhere, "http://example.com/gone")  # its payload is not in the input
    path = write(tmp_path / "revisits.warc.gz", warc.data)
    stats = ReadStats()
    stored = list(iter_responses([path], stats))
    assert [(r.url, r.revisit_of is not None) for r in stored] == \
        [("http://example.com/a", False), ("http://example.com/a", True)]
    assert stored[1].payload == ARTICLE and stored[1].offset > stored[0].offset
    assert (stats.revisits_resolved, stats.revisits_unresolved) == (1, 1)


_ARC_INFO = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n"
ARC = b"filedesc://test.arc 0.0.0.0 20140216050221 text/plain %d\n%s\n" % (len(_ARC_INFO),
                                                                          _ARC_INFO)


def arc_record(url: str, body: bytes) -> bytes:
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + body
    return b"%s 127.0.0.1 20140216050221 text/html %d\n%s\n" % (url.encode(), len(http), http)


def test_arc_files_are_read_and_verified(tmp_path: Path) -> None:
    data = ARC + arc_record("http://example.com/arc", ARTICLE)
    for name, blob in (("t.arc", data), ("t.arc.gz", gzip.compress(data))):
        path = write(tmp_path / name, blob)
        (stored,) = list(iter_responses([path]))
        assert (stored.url, stored.status, stored.payload) == \
            ("http://example.com/arc", 200, ARTICLE)
        assert stored.date.startswith("2014-02-16T05:02:21")
        result = verify_paths([path])
        assert result.ok and result.records == 2, [str(p) for p in result.problems]


def test_whole_file_gzip_is_read(tmp_path: Path) -> None:
    warc = WarcBuilder(gzip=False)
    warc.warcinfo()
    warc.exchange("http://example.com/a", ARTICLE)
    warc.exchange("http://example.com/b", ARTICLE)
    path = write(tmp_path / "whole.warc.gz", gzip.compress(warc.data))
    assert [r.url for r in iter_responses([path])] == ["http://example.com/a",
                                                       "http://example.com/b"]


def test_dns_response_and_old_version_are_warnings(tmp_path: Path) -> None:
    warc = WarcBuilder(gzip=False)
    warc.warcinfo()
    dns = warc.writer.create_warc_record("dns:example.com", "response",
                                         payload=io.BytesIO(b"example.com. 300 IN A 1.2.3.4\n"),
                                         length=30, warc_content_type="text/dns")
    warc.add(dns)
    warc.exchange("http://example.com/a", ARTICLE)
    old = warc.data.replace(b"WARC/1.1\r\n", b"WARC/0.17\r\n")
    result = verify_paths([write(tmp_path / "old.warc", old)])
    assert result.ok, [str(p) for p in result.problems]
    warnings = [p.message for p in result.problems]
    assert any("dns: URLs have none by design" in m for m in warnings)
    assert sum("WARC/0.17" in m for m in warnings) == len(warc.spans)


def test_verify_cli_prints_severity_and_counts(tmp_path: Path) -> None:
    warc = WarcBuilder()
    warc.exchange("http://example.com/a", ARTICLE)  # no warcinfo first: a warning
    path = write(tmp_path / "noinfo.warc.gz", warc.data)
    done = run_scraper("verify", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"{path}:0: warning: first record is 'response'" in done.stdout
    assert "None" not in done.stdout + done.stderr
    assert "0 errors, 1 warnings" in done.stderr
    broken = write(tmp_path / "broken.warc.gz", warc.data[:-20])
    done = run_scraper("verify", str(broken))
    assert done.returncode == 1
    assert ": error: " in done.stdout and "None" not in done.stdout
    assert all(": error: " in line or ": warning: " in line
               for line in done.stdout.splitlines())


SHARED_FILES = sorted(p for p in SHARED.glob("*/*") if p.parent.name != "licenses") \
    if SHARED.is_dir() else []


@needs_shared
@pytest.mark.slow
@pytest.mark.parametrize("path", SHARED_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_third_party_file_reads_without_traceback(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    extracted = run_scraper("extract", str(path), "-o", str(out), "--workers", "1")
    verified = run_scraper("verify", str(path))
    for done in (extracted, verified):
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode in (0, 1)
    for line in out.read_text().splitlines() if out.exists() else []:
        text = json.loads(line)["text"]
        assert not re.search(r"(^|\s)(12c|3e8)(\s|$)", text), path


@needs_shared
def test_wget_gzip_chunked_page_is_extracted(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    done = run_scraper("extract", str(SHARED / "ours" / "wget-1.21.3-local-site.warc.gz"),
                       "-o", str(out))
    assert done.returncode == 0, done.stderr
    urls = {json.loads(line)["url"] for line in out.read_text().splitlines()}
    assert "http://127.0.0.1:8411/gz/story-gzip.html" in urls


@needs_shared
def test_heritrix_dns_and_no_warcinfo_pass_verify() -> None:
    for name in ("ukwa/BL-20140325121225068-00000-32090~opera~8443.warc.gz",
                 "warcio/post-test.warc.gz", "ukwa/IAH-20080430204825-00000-blackbook-"
                 "truncated.warc.gz", "warcio/example.arc", "pywb/iana.warc.gz"):
        result = verify_paths([SHARED / name])
        assert result.ok, [str(p) for p in result.problems if p.severity == "error"]
    assert not verify_paths([SHARED / "warcio" / "example-digest.warc"]).ok
