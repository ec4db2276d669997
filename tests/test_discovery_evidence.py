"""Discovery as evidence: a URL a feed lists is an article even outside the site's pattern;
several feed candidates tried in order; Google News links resolved to the publisher's URLs."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from scraper.sites.registry import all_sites
from scraper.store.jsonl import read_json_lines
from spiders import google_news
from spiders.urls import mirror_overrides
from tests.conftest import run_scraper
from tests.support.mirror import Mirror

LISTED = Path(__file__).parent / "fixtures" / "listed"
OUTSIDE = "/2026/11/gulf-states-plan-shared-grid"  # al-monitor's pattern wants /originals/...


def _overrides(name: str, mirror: Mirror) -> str:
    site = all_sites()[name]
    return json.dumps(mirror_overrides(site.domains, [s.url for s in site.sources], mirror.url))


def test_a_listed_url_outside_the_pattern_is_captured_and_extracted(tmp_path: Path) -> None:
    assert not all_sites()["al-monitor"].is_article(OUTSIDE)
    with Mirror(LISTED) as mirror:
        result = run_scraper("crawl", "al-monitor", "--data", str(tmp_path), "--allow-host",
                             "127.0.0.1", "--delay", "0",
                             "-s", f"SCRAPER_ORIGIN_OVERRIDES={_overrides('al-monitor', mirror)}")
    assert result.returncode == 0, result.stderr[-3000:]
    records = {r["url"][len(mirror.url):]: r for p in (tmp_path / "articles").glob("*.jsonl")
               for r in read_json_lines(p.read_text(encoding="utf-8"))}
    assert set(records) == {OUTSIDE, "/originals/2026/11/gulf-ports-race-expand"}
    assert records[OUTSIDE]["title"] == "Gulf states plan a shared power grid"
    assert "article pattern does not match" in result.stderr and OUTSIDE in result.stderr
    manifest = json.loads(next((tmp_path / "runs").glob("*.json")).read_text())
    assert manifest["sites"]["al-monitor"]["pattern_misses"] == 1


def test_sites_check_shows_a_stale_pattern() -> None:
    with Mirror(LISTED) as mirror:
        result = run_scraper("sites", "--check", "al-monitor", "--allow-host", "127.0.0.1",
                             "-s", "DOWNLOAD_DELAY=0",
                             "-s", f"SCRAPER_ORIGIN_OVERRIDES={_overrides('al-monitor', mirror)}")
    assert result.returncode == 0, result.stderr[-2000:]  # a warning, not a failure
    header, row = (line.split("  ") for line in result.stdout.splitlines()[:2])
    cells = dict(zip([h.strip() for h in header if h.strip()],
                     [c.strip() for c in row if c.strip()]))
    assert cells["status"] == "STALE-PATTERN" and cells["pattern misses"] == "1", result.stdout


def test_feed_candidates_are_tried_in_order(tmp_path: Path) -> None:
    """ahram-online's mirror answers only the third of its eight feed candidates."""
    site = all_sites()["ahram-online"]
    candidates = [s.url.split("english.ahram.org.eg", 1)[1] for s in site.sources
                  if s.group == "feed"]
    with Mirror(Path(__file__).parent / "sites" / "ahram-online" / "mirror") as mirror:
        result = run_scraper("crawl", "ahram-online", "--data", str(tmp_path), "--allow-host",
                             "127.0.0.1", "--delay", "0",
                             "-s", f"SCRAPER_ORIGIN_OVERRIDES={_overrides('ahram-online', mirror)}")
        requested = mirror.requests
    assert result.returncode == 0, result.stderr[-3000:]
    tried = [path for path in requested if path in candidates]
    assert tried == candidates[:3], requested  # stops at the first that answers with items
    assert list((tmp_path / "articles").glob("*.jsonl"))


def _encoded(payload: bytes) -> str:
    return base64.urlsafe_b64encode(b"\x08\x13\x22" + bytes([len(payload)]) + payload
                                    + b"\xd2\x01\x00").decode().rstrip("=")


def test_google_news_ids() -> None:
    url = "https://www.aljazeera.com/news/2026/11/24/gulf-ports"
    link = f"https://news.google.com/rss/articles/{_encoded(url.encode())}?oc=5"
    encoded = google_news.article_id(link)
    assert encoded and google_news.decode_offline(encoded) == url
    newer = _encoded(b"AU_yqLOPQRSTUVWXYZ0123456789")
    assert google_news.decode_offline(newer) is None  # needs batchexecute
    assert google_news.article_id("https://www.aljazeera.com/rss/articles/x") is None
    assert google_news.decoding_params(b'<div data-n-a-sg="SIG" data-n-a-ts="123">') == \
        ("SIG", "123")
    body = google_news.batch_execute_body(newer, "SIG", "123")
    assert body.startswith("f.req=") and newer in body
    answer = (b")]}'\n\n[[\"wrb.fr\",\"Fbv4je\",\"[\\\"garturlres\\\",\\\"https://x.example/a\\\""
              b",1]\",null,null,null,\"generic\"]]")
    assert google_news.url_from_batch_execute(answer) == "https://x.example/a"
    assert google_news.url_from_batch_execute(b"[]") is None
