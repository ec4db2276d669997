"""Bot walls: challenge pages and refusals are blocked, never articles, and their host backed off.

Our own challenge pages (tests/fixtures/blocked/): the Times of Israel feed answering 200 with a
JavaScript challenge, one of its articles answering 403 with ``cf-mitigated: challenge``, and a
host whose every article is a challenge page. Google News' RSS search (our own fixture of it,
on another local server) is the fallback discovery whose links are resolved to the publisher's.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from scraper.sites.blocking import block_sign
from scraper.sites.registry import all_sites
from scraper.store.jsonl import read_json_lines
from spiders.urls import mirror_overrides
from tests.conftest import run_scraper
from tests.support.mirror import Mirror

FIXTURES = Path(__file__).parent / "fixtures" / "blocked"
CHALLENGE = (FIXTURES / "toi" / "feed.html").read_bytes()
TOI_GOOD = "/israeli-startups-bet-on-desert-greenhouses-that-sip-seawater/"
TOI_RESOLVED = "/liveblog_entry/knesset-panel-advances-bill-to-overhaul-household-water-pricing/"
TOI_BLOCKED = "/settlers-block-road-to-village-for-third-day/"
FAST_BACKOFF = ("-s", "BLOCKED_BACKOFF_START=0.2", "-s", "BLOCKED_BACKOFF_MAX=0.5")


def test_block_signs() -> None:
    assert block_sign(200, {}, CHALLENGE).reason == "challenge"
    assert block_sign(403, {"cf-mitigated": "challenge"}, b"").reason == "cf-mitigated"
    assert block_sign(403, {}, b"<html>Forbidden</html>", discovery=True).reason == "http-403"
    assert block_sign(429, {"server": "cloudflare"}, b"").reason == "http-429"
    wall = b"<html><body><noscript>Please enable JavaScript to view</noscript></body></html>"
    assert block_sign(200, {}, wall).reason == "wall"
    # Cloudflare injects its detection script into real pages too: content is not a wall.
    article = (b"<html><head><title>Gulf ports race</title></head><body><article><p>"
               + b"Ports along the Gulf are expanding. " * 80 + b"</p></article><script>"
               b"a.src='/cdn-cgi/challenge-platform/scripts/jsd/main.js'</script></body></html>")
    assert block_sign(200, {}, article) is None
    assert block_sign(403, {}, b"<html>Subscribers only</html>") is None  # an article's 403
    assert block_sign(404, {}, b"", discovery=True) is None


FILLER = b"<p>" + b"Ports along the Gulf are expanding their terminals. " * 60 + b"</p>"


@pytest.mark.parametrize(("marker", "reason"), [
    (b"<title>Just a moment...</title>", "challenge"),
    (b"<TITLE> Attention Required! | Cloudflare </TITLE>", "challenge"),
    (b"<title>Access denied | news.example used Cloudflare</title>", "challenge"),
    (b"<title>Checking your browser - news.example</title>", "challenge"),
    (b"<script>window._cf_chl_opt={}</script>", "challenge"),
    (b'<iframe src="https://geo.captcha-delivery.com/captcha/"></iframe>', "challenge"),
    (b"<p>Incapsula incident ID: 1234</p>", "challenge"),
    (b"<p>Please turn on JavaScript and reload</p>", "wall"),
    (b"<p>Enable JavaScript and cookies to continue</p>", "wall"),
    (b"<noscript>To read on, activate JavaScript in your browser</noscript>", "wall"),
])
def test_every_marker_is_found_in_any_case_and_weak_ones_only_on_thin_pages(
        marker: bytes, reason: str) -> None:
    thin = b"<html><head>" + marker + b"</head><body>Hello</body></html>"
    sign = block_sign(200, {}, thin)
    assert sign is not None and sign.reason == reason
    assert sign.evidence.startswith("200 page")
    full = b"<html><head>" + marker + b"</head><body>" + FILLER + b"</body></html>"
    assert (block_sign(200, {}, full) is None) is (reason == "wall")


def test_a_title_marker_past_the_title_element_is_not_a_challenge() -> None:
    page = b"<html><head><title>Gulf ports race</title></head><body>" + FILLER + \
        b"<h2>Just a moment...</h2></body></html>"
    assert block_sign(200, {}, page) is None


def _toi_overrides(toi: Mirror, google: Mirror) -> str:
    site = all_sites()["times-of-israel"]
    overrides = mirror_overrides(site.domains, [s.url for s in site.sources], toi.url)
    overrides["https://news.google.com"] = google.url
    return json.dumps(overrides)


def test_blocked_feed_falls_back_to_google_news(tmp_path: Path) -> None:
    with Mirror(FIXTURES / "toi") as toi, Mirror(FIXTURES / "google-news") as google:
        result = run_scraper("crawl", "times-of-israel", "--data", str(tmp_path),
                             "--allow-host", "127.0.0.1", "--delay", "0", *FAST_BACKOFF,
                             "-s", f"SCRAPER_ORIGIN_OVERRIDES={_toi_overrides(toi, google)}")
        toi_requests, google_posts = toi.requests, google.posts
    assert result.returncode == 1, result.stderr[-3000:]  # blocked: a partial run
    assert "/feed/" in toi_requests
    # The new-format id was resolved through the article page and batchexecute.
    assert len(google_posts) == 1 and b"garturlreq" in google_posts[0][1]
    records = [r for p in (tmp_path / "articles").glob("*.jsonl")
               for r in read_json_lines(p.read_text(encoding="utf-8"))]
    paths = sorted(r["url"][len(toi.url):] for r in records)
    assert paths == sorted([TOI_GOOD, TOI_RESOLVED]), paths  # never the challenge pages
    assert all(r["site"] == "times-of-israel" for r in records)
    manifest = json.loads(next((tmp_path / "runs").glob("*.json")).read_text())
    counts = manifest["sites"]["times-of-israel"]
    assert counts["blocked"] == 2 and counts["articles"] == 2, counts
    missing = {e["url"][len(toi.url):]: e for e in manifest["not_captured"]}
    assert list(missing) == [TOI_BLOCKED], missing
    assert missing[TOI_BLOCKED]["reason"].startswith("blocked: cf-mitigated")
    assert missing[TOI_BLOCKED]["discovered_by"] == "google-news"
    with sqlite3.connect(tmp_path / "catalog.sqlite") as db:
        rows = db.execute("SELECT url, site, reason FROM not_captured").fetchall()
    assert [(u[len(toi.url):], s) for u, s, _ in rows] == [(TOI_BLOCKED, "times-of-israel")]
    status = run_scraper("status", "--data", str(tmp_path))
    header, row = (line.split("  ") for line in status.stdout.splitlines()[:2])
    cells = dict(zip([h.strip() for h in header if h.strip()], [c.strip() for c in row
                                                                 if c.strip()]))
    assert (cells["site"], cells["blocked"], cells["not captured"]) == \
        ("times-of-israel", "1", "1"), status.stdout
    # Re-extracting the WARCs offline gives the same: the 200 challenge page is no article.
    again = run_scraper("extract", *map(str, (tmp_path / "warc").glob("*.warc.gz")),
                        "-o", str(tmp_path / "again.jsonl"))
    assert again.returncode == 0, again.stderr
    urls = sorted(r["url"] for r in read_json_lines(
        (tmp_path / "again.jsonl").read_text(encoding="utf-8")))
    assert urls == sorted(toi.url + p for p in (TOI_GOOD, TOI_RESOLVED))


def test_reindex_keeps_what_was_not_captured(tmp_path: Path) -> None:
    with Mirror(FIXTURES / "toi") as toi, Mirror(FIXTURES / "google-news") as google:
        run_scraper("crawl", "times-of-israel", "--data", str(tmp_path), "--allow-host",
                    "127.0.0.1", "--delay", "0", *FAST_BACKOFF,
                    "-s", f"SCRAPER_ORIGIN_OVERRIDES={_toi_overrides(toi, google)}")
    (tmp_path / "catalog.sqlite").unlink()
    assert run_scraper("reindex", "--data", str(tmp_path)).returncode == 0
    with sqlite3.connect(tmp_path / "catalog.sqlite") as db:
        reasons = [r for (r,) in db.execute("SELECT reason FROM not_captured")]
    assert len(reasons) == 1 and reasons[0].startswith("blocked: cf-mitigated"), reasons


def test_a_walled_host_is_backed_off_then_given_up(tmp_path: Path) -> None:
    site = all_sites()["al-monitor"]
    with Mirror(FIXTURES / "wall") as wall:
        overrides = mirror_overrides(site.domains, [s.url for s in site.sources], wall.url)
        # A delay above 0: with DOWNLOAD_DELAY=0, Scrapy 2.19 sends a slot's whole queue at
        # once (CONCURRENT_REQUESTS_PER_DOMAIN is checked before the transfers register).
        result = run_scraper("crawl", "al-monitor", "--data", str(tmp_path), "--allow-host",
                             "127.0.0.1", "--delay", "0.05", *FAST_BACKOFF,
                             "-s", "BLOCKED_HOST_GIVE_UP=2",
                             "-s", f"SCRAPER_ORIGIN_OVERRIDES={json.dumps(overrides)}")
        requested = [r for r in wall.requests if r.startswith("/originals/")]
    assert result.returncode == 1, result.stderr[-3000:]
    # Six walled articles listed: after two blocks the host is given up, and the requests
    # queued for it never go out (a third may leave while the second is still in flight).
    assert 2 <= len(requested) <= 3, requested
    assert "backing off 0.2s" in result.stderr
    assert "Giving up" in result.stderr
    assert not list((tmp_path / "articles").glob("*.jsonl")) or not any(
        p.read_text() for p in (tmp_path / "articles").glob("*.jsonl"))
    manifest = json.loads(next((tmp_path / "runs").glob("*.json")).read_text())
    reasons = sorted(e["reason"].split(":")[0] for e in manifest["not_captured"])
    assert len(reasons) == 6 and reasons.count("host blocked") >= 3, reasons


def test_sites_check_says_blocked_not_broken(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with Mirror(FIXTURES / "toi") as toi, Mirror(empty) as google:
        result = run_scraper("sites", "--check", "times-of-israel", "--allow-host", "127.0.0.1",
                             *FAST_BACKOFF, "-s", "DOWNLOAD_DELAY=0",
                             "-s", f"SCRAPER_ORIGIN_OVERRIDES={_toi_overrides(toi, google)}")
    assert result.returncode == 1, result.stderr[-2000:]
    row = result.stdout.splitlines()[1].split()
    assert row[0] == "times-of-israel" and row[-1] == "BLOCKED", result.stdout
    assert "BROKEN" not in result.stdout
    assert "times-of-israel BLOCKED: " in result.stdout and "Just a moment..." in result.stdout
    assert "blocked: times-of-israel" in result.stderr
