"""Everything a site sends is bounded: bombs, floods and traps of our own, on 127.0.0.1.

Unit tests read hostile bodies in this process; the end-to-end tests crawl a built-in site
(al-monitor) pointed at a hostile server with ``SCRAPER_ORIGIN_OVERRIDES``, next to a second
site (lbci, its ordinary mirror) in the same run. The crawler's peak memory is read by the test
as a bound, never a time: ``VmHWM`` of the crawl process from /proc while it runs, and the
``ru_maxrss`` of ``wait4()``, which also covers the extraction workers it reaped.
"""

from __future__ import annotations

import gzip
import io
import json
import pickle
import tracemalloc
import zlib
from pathlib import Path

import brotli
import pytest
from backports import zstd
from warcio.warcwriter import WARCWriter

from archive.reader import iter_responses
from scraper.errors import LimitExceeded
from scraper.extract.decoding import decode_content
from scraper.extract.structured import read_signals
from scraper.sites.registry import all_sites
from scraper.store.jsonl import read_json_lines
from spiders.discovery import SourceLimits, read_feed, read_sitemap
from spiders.urls import mirror_overrides
from tests.support.hostile_server import (
    MIB,
    HostileSite,
    Route,
    article_page,
    billion_laughs,
    rss,
    sitemap_index,
    urlset,
    zlib_bomb,
)
from tests.support.mirror import Mirror
from tests.support.process_memory import run_measured

SITES = Path(__file__).parent / "sites"
GIB = 1024 * MIB
ARTICLE = "https://www.al-monitor.com/originals/2026/11/"
#: The crawl process (and each extraction worker) must stay under this, whatever a site sends.
PEAK_RSS_BOUND = 400 * MIB
URLSET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
               b'schemas/sitemap/0.9"><url><loc>' + ARTICLE.encode() + b"kept</loc></url>")
RSS_HEAD = (b'<?xml version="1.0"?><rss version="2.0"><channel><item><link>' + ARTICLE.encode()
            + b"kept</link></item>")


# ------------------------------------------------------------------ page bodies (unit)

def page_bomb(coding: str, expanded: int) -> bytes:
    if coding == "gzip":
        return zlib_bomb(expanded)
    if coding == "deflate":
        return zlib_bomb(expanded, wbits=zlib.MAX_WBITS)
    if coding == "br":
        return brotli.compress(b"\0" * expanded, quality=1)
    return zstd.compress(b"\0" * expanded)


BOMB_SIZES = {"gzip": 4 * GIB, "deflate": 4 * GIB, "br": 64 * MIB, "zstd": 256 * MIB}


@pytest.mark.parametrize("coding", sorted(BOMB_SIZES))
def test_page_body_bomb_stops_at_the_limit_with_memory_bounded(coding: str) -> None:
    bomb = page_bomb(coding, BOMB_SIZES[coding])
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceeded) as raised:
            decode_content(bomb, coding, max_bytes=4 * MIB)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert raised.value.setting == "EXTRACT_MAX_DECODED_BYTES"
    assert "EXTRACT_MAX_DECODED_BYTES = 4,194,304" in str(raised.value)
    assert peak < 3 * 4 * MIB, f"{coding}: {peak:,} bytes held to refuse a bomb"


def test_bodies_within_the_limit_decode_whole() -> None:
    body = article_page("/x") * 100
    assert decode_content(gzip.compress(body), "gzip", max_bytes=len(body)) == body
    with pytest.raises(LimitExceeded):
        decode_content(gzip.compress(body), "gzip", max_bytes=len(body) - 1)
    with pytest.raises(LimitExceeded):  # a stored body without Content-Encoding, too large
        decode_content(body, None, max_bytes=len(body) - 1)


def test_limit_errors_survive_the_trip_back_from_a_worker() -> None:
    error = LimitExceeded("a gzip body expands past the limit", "EXTRACT_MAX_DECODED_BYTES", 9)
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.setting, copy.limit) == (str(error), error.setting, 9)


def test_json_ld_blocks_over_the_limit_are_skipped_and_counted() -> None:
    from lxml import html

    article = json.dumps({"@type": "NewsArticle", "headline": "small"})
    big = json.dumps({"@type": "NewsArticle", "headline": "big", "pad": "x" * 5000})
    tree = html.document_fromstring(
        f'<html><head><script type="application/ld+json">{big}</script>'
        f'<script type="application/ld+json">{article}</script></head><body>x</body></html>')
    signals = read_signals(tree, max_json_ld_bytes=1000)
    assert signals.json_ld["headline"] == "small"
    assert signals.json_ld_skipped == 1
    assert read_signals(tree).json_ld["headline"] == "big"


def test_warc_payload_read_back_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for name, size in (("small", 1000), ("large", 3 * MIB)):
            http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {size}\r\n\r\n"
            record = writer.create_warc_record(
                f"http://127.0.0.1/{name}", "response",
                payload=io.BytesIO(http.encode() + b"a" * size), length=len(http) + size)
            writer.write_record(record)
    small, large = iter_responses([path], max_payload=MIB)
    assert (len(small.payload), small.payload_over_limit) == (1000, False)
    assert (len(large.payload), large.payload_over_limit) == (MIB, True)


# ------------------------------------------------------------- feeds and sitemaps (unit)

def test_gzip_bomb_sitemap_keeps_what_came_before_the_limit() -> None:
    reading = read_sitemap(zlib_bomb(4 * GIB, prefix=URLSET_HEAD, filler=b" "),
                           SourceLimits(max_bytes=8 * MIB))
    assert [d.url for d in reading.found] == [ARTICLE + "kept"]
    assert reading.limit is not None and reading.limit.setting == "SCRAPER_SOURCE_MAX_BYTES"


def test_ordinary_gzipped_sitemap_and_feed_read_whole() -> None:
    urls = [f"{ARTICLE}a{i}" for i in range(5_000)]
    reading = read_sitemap(gzip.compress(urlset(urls)))
    assert [d.url for d in reading.found] == urls and reading.limit is None
    feed = read_feed(rss(urls[:50]))
    assert [d.url for d in feed.found] == urls[:50] and feed.limit is None


def test_sitemap_of_200000_urls_keeps_the_first_50000() -> None:
    reading = read_sitemap(urlset([f"{ARTICLE}a{i}" for i in range(200_000)]))
    assert len(reading.found) == 50_000 and reading.found[-1].url == f"{ARTICLE}a49999"
    assert reading.limit is not None and reading.limit.setting == "SCRAPER_SOURCE_MAX_URLS"


def test_sitemap_index_children_are_capped() -> None:
    children = [f"https://www.al-monitor.com/sitemaps/s{i}.xml" for i in range(10_000)]
    reading = read_sitemap(sitemap_index(children), SourceLimits(max_children=300))
    assert len(reading.found) == 300 and all(d.is_sitemap for d in reading.found)
    assert reading.limit is not None and reading.limit.setting == "SCRAPER_SITEMAP_MAX_CHILDREN"


def test_billion_laughs_is_refused_before_anything_expands() -> None:
    reading = read_feed(billion_laughs(ARTICLE + "lol"))
    assert reading.found == []
    assert reading.limit is not None and "XML entities" in str(reading.limit)


def test_single_line_feed_with_a_50_mb_text_node() -> None:
    huge = b"<item><link>" + ARTICLE.encode() + b"lost</link><description>" + \
        b"A" * 50_000_000 + b"</description></item></channel></rss>"
    reading = read_feed(RSS_HEAD + huge)
    assert [d.url for d in reading.found] == [ARTICLE + "kept"]
    assert reading.limit is not None and "XML_MAX_TEXT_LENGTH" in reading.limit.setting


def test_deep_nesting_is_refused() -> None:
    reading = read_feed(RSS_HEAD + b"<x>" * 1000 + b"</x>" * 1000 + b"</channel></rss>")
    assert [d.url for d in reading.found] == [ARTICLE + "kept"]
    assert reading.limit is not None and reading.limit.setting == "SCRAPER_XML_MAX_DEPTH"


def test_long_urls_are_left_out_and_long_titles_cut() -> None:
    long_url = ARTICLE + "a" * 3000
    reading = read_feed(rss([long_url, ARTICLE + "ok"]))
    assert [d.url for d in reading.found] == [ARTICLE + "ok"] and reading.dropped == 1
    assert reading.limit is not None and reading.limit.setting == "SCRAPER_MAX_URL_LENGTH"
    titled = read_feed(rss([ARTICLE + "t"]).replace(b"<title>" + ARTICLE.encode(),
                                                   b"<title>" + b"T" * 5000))
    assert titled.found[0].title == "T" * 1000
    assert titled.limit is not None and titled.limit.setting == "SCRAPER_MAX_TITLE_CHARS"
    dated = read_feed(rss([ARTICLE + "d"]).replace(b"</link>", b"</link><pubDate>" +
                                                   b"1 " * 100_000 + b"</pubDate>"))
    assert dated.found[0].published is None and dated.limit is not None
    assert "pubDate" in str(dated.limit)


# ------------------------------------------------------------------ end to end (slow)

def _empty_sitemap() -> Route:
    return Route(urlset([]))


HOSTILE_CASES: dict[str, tuple[dict[str, object], list[str], tuple[str, ...]]] = {
    # name: (routes of the hostile al-monitor, limits named in the manifest, extra arguments)
    "gzip-bomb-sitemap-and-feed": ({
        "/sitemap.xml": Route(zlib_bomb(6 * GIB, prefix=URLSET_HEAD, filler=b" "),
                              "application/x-gzip"),
        "/rss": Route(zlib_bomb(6 * GIB, prefix=RSS_HEAD, filler=b" "),
                      "application/rss+xml", {"Content-Encoding": "gzip"}),
    }, ["SCRAPER_SOURCE_MAX_BYTES", "SCRAPER_SOURCE_MAX_BYTES"], ()),
    "sitemap-of-200000-urls": ({
        "/sitemap.xml": Route(urlset([f"{ARTICLE}a{i}" for i in range(200_000)])),
        "/rss": Route(rss([])),
    }, ["SCRAPER_SOURCE_MAX_URLS"], ()),
    "index-listing-itself-and-10000-children": ({
        "/sitemap.xml": Route(sitemap_index(
            ["https://www.al-monitor.com/sitemap.xml"]
            + [f"https://www.al-monitor.com/sitemaps/s{i}.xml" for i in range(10_000)])),
        "/sitemaps/": lambda path: Route(urlset([f"{ARTICLE}from-{path.rsplit('/', 1)[-1]}"])),
        "/rss": Route(rss([])),
    }, ["SCRAPER_SITEMAP_MAX_CHILDREN"], ("-s", "SCRAPER_SITEMAP_MAX_CHILDREN=100")),
    "billion-laughs-feed": ({
        "/rss": Route(billion_laughs(ARTICLE + "lol")),
        "/sitemap.xml": _empty_sitemap(),
    }, ["XML entities"], ()),
    "feed-of-60-mb-cut-at-the-download": ({
        "/rss": Route(RSS_HEAD + b"".join(b"<!-- " + b"c" * MIB + b" -->" for _ in range(60))
                      + b"</channel></rss>", "application/rss+xml"),
        "/sitemap.xml": _empty_sitemap(),
    }, ["SCRAPER_SOURCE_MAX_BYTES"], ()),
    "single-line-50-mb-feed": ({
        "/rss": Route(RSS_HEAD + b"<item><link>" + ARTICLE.encode() + b"lost</link>"
                      b"<description>" + b"A" * 50_000_000 + b"</description></item>"
                      b"</channel></rss>", "application/rss+xml"),
        "/sitemap.xml": _empty_sitemap(),
    }, ["XML_MAX_TEXT_LENGTH"], ()),
}


def _overrides(name: str, url: str) -> dict[str, str]:
    site = all_sites()[name]
    return mirror_overrides(site.domains, [s.url for s in site.sources], url)


def _manifest(data: Path) -> dict[str, object]:
    (path,) = sorted((data / "runs").glob("*.json"))
    return json.loads(path.read_text())


def _records(data: Path) -> list[dict[str, object]]:
    return [r for p in sorted((data / "articles").glob("*.jsonl"))
            for r in read_json_lines(p.read_text(encoding="utf-8"))]


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(HOSTILE_CASES))
def test_hostile_source_fails_its_site_alone(case: str, tmp_path: Path) -> None:
    routes, limits, extra = HOSTILE_CASES[case]
    expected = json.loads((SITES / "lbci" / "expected.json").read_text(encoding="utf-8"))
    with HostileSite(routes) as hostile, Mirror(SITES / "lbci" / "mirror") as mirror:  # type: ignore[arg-type]
        overrides = {**_overrides("al-monitor", hostile.url), **_overrides("lbci", mirror.url)}
        run = run_measured("crawl", "al-monitor", "lbci", "--data", str(tmp_path),
                           "--allow-host", "127.0.0.1", "--delay", "0", "--limit", "10",
                           "--since", expected["since"], "-s",
                           f"SCRAPER_ORIGIN_OVERRIDES={json.dumps(overrides)}", *extra)
        requests = list(hostile.requests)
    assert run.returncode == 1, run.stderr[-3000:]
    assert run.peak < PEAK_RSS_BOUND, f"peak RSS {run.peak / MIB:.0f} MiB"
    manifest = _manifest(tmp_path)
    sites = manifest["sites"]
    assert isinstance(sites, dict)
    assert sites["al-monitor"]["failed"] == len(limits), sites
    assert sites["lbci"]["failed"] == 0, sites
    errors = [e for e in manifest["errors"] if e.startswith("al-monitor: ")]  # type: ignore[union-attr]
    assert len(errors) == len(limits), manifest["errors"]
    for error, limit in zip(sorted(errors), sorted(limits)):
        assert limit in error and hostile.url in error, error
    assert "Limit reached" in run.stderr and limits[0] in run.stderr
    captured = {r["url"][len(mirror.url):] for r in _records(tmp_path) if r["site"] == "lbci"}
    assert {a["path"] for a in expected["articles"]} <= captured
    if case == "index-listing-itself-and-10000-children":
        # The first 100 entries read include the index itself, which is not fetched again.
        assert sum(r.startswith("/sitemaps/") for r in requests) == 99, len(requests)
        assert requests.count("/sitemap.xml") == 1


@pytest.mark.slow
def test_page_body_bombs_fail_their_pages_in_the_worker(tmp_path: Path) -> None:
    codings = sorted(BOMB_SIZES)
    routes: dict[str, object] = {
        "/rss": Route(rss([f"{ARTICLE}bomb-{c}" for c in codings] + [ARTICLE + "plain"])),
        "/sitemap.xml": _empty_sitemap(),
    }
    for coding in codings:
        routes[f"/originals/2026/11/bomb-{coding}"] = Route(
            page_bomb(coding, BOMB_SIZES[coding]), "text/html; charset=utf-8",
            {"Content-Encoding": coding})
    with HostileSite(routes) as hostile:  # type: ignore[arg-type]
        overrides = _overrides("al-monitor", hostile.url)
        run = run_measured("crawl", "al-monitor", "--data", str(tmp_path), "--allow-host",
                           "127.0.0.1", "--delay", "0", "-s",
                           f"SCRAPER_ORIGIN_OVERRIDES={json.dumps(overrides)}")
    assert run.returncode == 1, run.stderr[-3000:]
    assert run.peak < PEAK_RSS_BOUND, f"peak RSS {run.peak / MIB:.0f} MiB"
    manifest = _manifest(tmp_path)
    assert manifest["sites"]["al-monitor"]["failed"] == 4  # type: ignore[index]
    errors = manifest["errors"]
    assert isinstance(errors, list) and len(errors) == 4, errors
    for coding in codings:
        (error,) = [e for e in errors if f"bomb-{coding}:" in e]
        assert "EXTRACT_MAX_DECODED_BYTES = 20,971,520" in error and coding in error, error
    assert [r["url"].rsplit("/", 1)[-1] for r in _records(tmp_path)] == ["plain"]


@pytest.mark.slow
def test_endless_response_head_drops_the_connection(tmp_path: Path) -> None:
    flood = {f"X-Junk-{i}": "j" * 100 for i in range(20_000)}  # a 2 MB head of short lines
    routes = {"/rss": Route(rss([ARTICLE + "plain"]), "application/rss+xml", flood),
              "/sitemap.xml": _empty_sitemap()}
    with HostileSite(routes) as hostile:  # type: ignore[arg-type]
        overrides = _overrides("al-monitor", hostile.url)
        run = run_measured("crawl", "al-monitor", "--data", str(tmp_path), "--allow-host",
                           "127.0.0.1", "--delay", "0", "-s", "RETRY_TIMES=0", "-s",
                           f"SCRAPER_ORIGIN_OVERRIDES={json.dumps(overrides)}")
    assert run.returncode == 1, run.stderr[-3000:]
    manifest = _manifest(tmp_path)
    assert manifest["sites"]["al-monitor"]["failed"] == 1  # type: ignore[index]
    (error,) = manifest["errors"]  # type: ignore[misc]
    assert "/rss" in error and "SCRAPER_MAX_HEADER_BYTES = 262,144" in error, error
    assert run.peak < PEAK_RSS_BOUND


@pytest.mark.slow
def test_url_crawl_takes_at_most_the_limit_of_links_from_a_page(tmp_path: Path) -> None:
    links = "".join(f'<a href="/originals/p{i}">p{i}</a>' for i in range(50))
    routes = {"/": Route(f"<html><body>{links}</body></html>".encode(), "text/html")}
    with HostileSite(routes) as hostile:  # type: ignore[arg-type]
        run = run_measured("crawl", "--url", hostile.url + "/", "--data", str(tmp_path),
                           "--allow-host", "127.0.0.1", "--delay", "0", "--no-extract",
                           "-s", "SCRAPER_SOURCE_MAX_URLS=20")
        requests = list(hostile.requests)
    assert run.returncode == 1, run.stderr[-3000:]
    assert sum(r.startswith("/originals/") for r in requests) == 20, requests
    (error,) = _manifest(tmp_path)["errors"]  # type: ignore[misc]
    assert f"{hostile.url}/: " in error and "SCRAPER_SOURCE_MAX_URLS = 20" in error, error
