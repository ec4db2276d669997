"""Crawl fixture pages from a local server: article records next to the WARCs, re-derivable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from scraper.store.jsonl import read_json_lines
from tests.conftest import crawl, run_scraper
from tests.support.fault_server import FaultServer, RawResponse
from tests.test_capture import link_page

PAGES = Path(__file__).parent / "fixtures" / "pages"
SCHEMA = json.loads((Path(__file__).parent.parent / "scraper" / "schema" /
                     "article.schema.json").read_text())
SLOW_PARAGRAPHS = 60000  # ~12 s of extraction unloaded: far past the 5 s timeout below,
# while the other pages take well under a second even on a loaded machine


def serve(server: FaultServer, path: str, body: bytes, content_type: str) -> None:
    server.route(path, lambda r: RawResponse(200, [("Content-Type", content_type)], body))


def serve_fixtures(server: FaultServer, slow_page: bool = False) -> list[str]:
    paths = []
    for page in sorted(PAGES.glob("*.html")):
        text = page.read_text(encoding="utf-8")
        if page.name == "arabic_1256.html":
            serve(server, "/news/arabic", text.encode("cp1256"),
                  "text/html; charset=windows-1256")
            paths.append("/news/arabic")
        else:
            serve(server, f"/news/{page.stem}", text.encode(), "text/html; charset=utf-8")
            paths.append(f"/news/{page.stem}")
    if slow_page:
        paragraphs = "".join(f"<div><p>Paragraph {i} of a page that is slow to extract, "
                             f"words {i * 7}.</p><span>x</span></div>"
                             for i in range(SLOW_PARAGRAPHS))
        serve(server, "/news/slow", f"<html><body><article>{paragraphs}</article></body></html>"
              .encode(), "text/html")
        paths.append("/news/slow")
    server.route("/news/", lambda r: link_page(*paths))
    return paths


def articles_in(data: Path) -> list[dict]:
    records = []
    for path in sorted((data / "articles").glob("*.jsonl")):
        records += read_json_lines(path.read_text(encoding="utf-8"))
    return records


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    data = tmp_path_factory.mktemp("collection")
    with FaultServer() as server:
        serve_fixtures(server, slow_page=True)
        result = crawl(server, data, "/news/", "-s", "EXTRACT_TIMEOUT=5", check=False)
        yield data, server.url, result


def test_crawl_writes_valid_article_records(crawled) -> None:
    data, base, result = crawled
    records = articles_in(data)
    by_url = {r["url"]: r for r in records}
    for record in records:
        jsonschema.validate(record, SCHEMA)
    assert set(by_url) == {base + p for p in ("/news/monitor_like", "/news/jsonld_authors",
                                              "/news/paywalled", "/news/arabic",
                                              "/news/persian_date")}
    assert by_url[base + "/news/paywalled"]["paywalled"] is True
    assert by_url[base + "/news/jsonld_authors"]["authors"] == \
        ["Omar Khalil", "Dana Levi", "Yusuf Demir"]
    arabic = by_url[base + "/news/arabic"]
    assert arabic["encoding"] == {"name": "cp1256", "source": "http-header"}
    assert "افتتحت البلدية" in arabic["text"]
    assert "Only $100 per year." not in by_url[base + "/news/monitor_like"]["text"]


def test_records_point_at_their_exact_warc_record(crawled) -> None:
    data, base, _ = crawled
    from archive.reader import iter_responses

    for record in articles_in(data):
        capture = record["capture"]
        with open(data / capture["warc_file"], "rb") as stream:
            stream.seek(capture["offset"])
            member = stream.read(capture["length"])
        single = data / "one.warc.gz"
        single.write_bytes(member)
        (stored,) = list(iter_responses([single]))
        assert stored.record_id == capture["record_id"]
        assert stored.url == record["url"]
        assert stored.payload_digest == capture["payload_digest"]


def test_slow_page_times_out_is_counted_and_crawl_finishes(crawled) -> None:
    data, base, result = crawled
    assert result.returncode == 1, result.stderr  # partial: one page failed
    assert "Extraction failed for " + base + "/news/slow" in result.stderr
    assert "'extract/failed/timeout': 1" in result.stderr
    assert "'extract/not_article/" in result.stderr  # the section page and the index
    verify = run_scraper("verify", str(data / "warc"))
    assert verify.returncode == 0, verify.stdout


@pytest.mark.slow
def test_extract_rederives_the_same_records_byte_for_byte(crawled, tmp_path: Path) -> None:
    data, _, _ = crawled
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    for output in (first, second):
        result = run_scraper("extract", str(data / "warc"), "-o", str(output),
                             "--timeout", "5")
        assert result.returncode == 1  # the slow page times out again: counted, exit 1
        assert "failed/timeout" in result.stderr
    assert first.read_bytes() == second.read_bytes()
    rederived = sorted(read_json_lines(first.read_text()), key=lambda r: r["id"])
    assert rederived == sorted(articles_in(data), key=lambda r: r["id"])


def test_extract_to_stdout(crawled) -> None:
    data, _, _ = crawled
    result = run_scraper("extract", *map(str, sorted((data / "warc").glob("*.warc.gz"))),
                         "-o", "-", "--timeout", "5")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 5


def test_damaged_warc_names_file_and_offset_and_keeps_earlier_records(crawled,
                                                                      tmp_path: Path) -> None:
    data, _, _ = crawled
    (warc,) = sorted((data / "warc").glob("*.warc.gz"))
    damaged = tmp_path / "damaged.warc.gz"
    shutil.copy(warc, damaged)
    records = articles_in(data)
    last = max(r["capture"]["offset"] for r in records)
    blob = bytearray(damaged.read_bytes())
    del blob[last + 40:]  # cut inside the last article's record
    damaged.write_bytes(bytes(blob))
    result = run_scraper("extract", str(damaged), "-o", str(tmp_path / "out.jsonl"),
                         "--timeout", "5")
    assert result.returncode == 1
    assert f"{damaged} at byte {last}" in result.stderr
    kept = read_json_lines((tmp_path / "out.jsonl").read_text())
    assert len(kept) == len(records) - 1


@pytest.mark.slow
def test_page_over_the_memory_cap_fails_alone(tmp_path: Path) -> None:
    """With EXTRACT_MEMORY_MB=350 a 19 MB page exhausts its worker; the others are extracted.

    Out of memory shows as MemoryError, or inside lxml as a parse error: either way the page
    fails alone, is counted and logged, and the run is partial.
    """
    with FaultServer() as server:
        serve_fixtures(server)
        huge = "".join(f"<p>Paragraph {i} with some words to make it longer and longer.</p>"
                       for i in range(300_000))
        serve(server, "/news/huge", f"<html><body><article>{huge}</article></body></html>"
              .encode(), "text/html")
        server.route("/start", lambda r: link_page("/news/huge", "/news/monitor_like",
                                                   "/news/jsonld_authors"))
        result = crawl(server, tmp_path, "/start", "-s", "EXTRACT_MEMORY_MB=350",
                       "-s", "EXTRACT_TIMEOUT=600", check=False)  # memory, not time, stops it
    assert result.returncode == 1, result.stderr[-2000:]  # partial: one page failed
    assert f"Extraction failed for {server.url}/news/huge" in result.stderr, result.stderr[-3000:]
    assert {r["url"].rsplit("/", 1)[1] for r in articles_in(tmp_path)} == \
        {"monitor_like", "jsonld_authors"}
