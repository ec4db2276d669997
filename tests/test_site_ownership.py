"""Issue 12, items 2 and 3: sites owned by host and path prefix; rules of the capture date.

alaraby.co.uk is Al-Araby Al-Jadeed's host, but its path /english was The New Arab's home until
2021: a capture there belongs to the-new-arab, and one made then is extracted with the rules of
that period (``RulesVersion(until="2021-01-01")``), whatever the site looks like today.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from scraper.sites.context import context_for
from scraper.sites.registry import all_sites, site_for_url
from scraper.store.jsonl import read_json_lines
from tests.conftest import run_scraper
from tests.support.warc_builder import WarcBuilder

OLD_URL = "https://www.alaraby.co.uk/english/news/2019/3/1/gulf-ports-race-to-expand"
NEW_URL = "https://www.newarab.com/news/gulf-ports-race-to-expand"
ARABIC_URL = ("https://www.alaraby.co.uk/%D8%A7%D9%84%D8%A3%D8%B1%D8%AF%D9%86-%D9%8A%D9%81%D8"
              "%AA%D8%AA%D8%AD-%D9%85%D8%AD%D8%B7%D8%A9")
OLD_TEMPLATE_LINE = "[Click to enlarge]"


def test_an_edition_under_a_path_of_another_editions_host_is_its_own() -> None:
    owner = {url: (site.name if (site := site_for_url(url)) else None) for url in (
        OLD_URL, "https://english.alaraby.co.uk/english/news/2019/3/1/x", ARABIC_URL,
        "https://www.alaraby.co.uk/englishman", "https://www.rudaw.net/english/kurdistan/18022026",
        "https://www.rudaw.net/sorani/kurdistan/251120261", "https://www.rudaw.net/ENGLISH/x")}
    assert owner == {
        OLD_URL: "the-new-arab", "https://english.alaraby.co.uk/english/news/2019/3/1/x":
        "the-new-arab", ARABIC_URL: "al-araby-al-jadeed",
        "https://www.alaraby.co.uk/englishman": "al-araby-al-jadeed",
        "https://www.rudaw.net/english/kurdistan/18022026": "rudaw-en",
        "https://www.rudaw.net/sorani/kurdistan/251120261": None,  # no site covers Sorani
        "https://www.rudaw.net/ENGLISH/x": "rudaw-en"}
    # Ownership, not a deny rule, keeps the Arabic edition's crawl off /english/
    # (tests/sites/al-araby-al-jadeed lists such a URL in its feed, as not_fetched).
    assert not all_sites()["al-araby-al-jadeed"].is_denied("/english/news/2019/11/20/x")


def test_a_capture_gets_the_rules_of_its_date() -> None:
    site = all_sites()["the-new-arab"]
    then = datetime(2019, 3, 1, tzinfo=timezone.utc)
    now = datetime(2026, 11, 24, tzinfo=timezone.utc)
    assert site.rules_at(then).period == "until 2021-01-01"
    assert site.rules_at(datetime(2021, 1, 1, tzinfo=timezone.utc)).period == "current"
    old, new = context_for(OLD_URL, None, captured_at=then), context_for(NEW_URL, None,
                                                                         captured_at=now)
    assert old.name == new.name == "the-new-arab"
    assert old.article_pattern != new.article_pattern and old.rules != new.rules
    # A feed listing is evidence: the pattern does not get to reject a listed URL.
    listed = context_for(NEW_URL, {"discovered-by": "rss"}, captured_at=now)
    assert listed.article_pattern is None and listed.rules == new.rules


def _page(headline: str) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {n} of the story: ports along the Gulf are expanding their container "
        f"terminals as shipping lanes shift, and port authorities say traffic grew again.</p>"
        for n in range(1, 7))
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": headline, "datePublished": "2019-03-01T10:00:00Z"})
    return (f'<html><head><title>{headline}</title><script type="application/ld+json">{ld}'
            f'</script></head><body><article><h1>{headline}</h1>{paragraphs}'
            f"<p>{OLD_TEMPLATE_LINE}</p></article></body></html>").encode()


def test_old_captures_extract_with_old_rules_and_export_by_owner(tmp_path: Path) -> None:
    builder = WarcBuilder()
    builder.warcinfo()
    headline = "Gulf ports race to expand as shipping lanes shift"
    for url, date in ((OLD_URL, "2019-03-01T10:00:00Z"), (NEW_URL, "2026-11-24T10:00:00Z"),
                      (ARABIC_URL, "2026-11-24T11:00:00Z")):
        builder.exchange(url, _page(headline), [("Content-Type", "text/html; charset=utf-8")],
                         warc_headers={"WARC-Date": date})
    data = tmp_path / "data"
    (data / "warc").mkdir(parents=True)
    (data / "articles").mkdir()
    warc = data / "warc" / "imported-20261124000000000-00000.warc.gz"
    warc.write_bytes(builder.data)
    extracted = run_scraper("extract", str(warc), "-o", str(data / "articles" / "imported.jsonl"))
    assert extracted.returncode == 0, extracted.stderr
    records = {r["url"]: r for r in read_json_lines(
        (data / "articles" / "imported.jsonl").read_text(encoding="utf-8"))}
    assert set(records) == {OLD_URL, NEW_URL, ARABIC_URL}
    assert records[OLD_URL]["site"] == records[NEW_URL]["site"] == "the-new-arab"
    assert records[ARABIC_URL]["site"] == "al-araby-al-jadeed"
    # The same page: the 2019 capture loses the old template's line, the 2026 one keeps it.
    assert OLD_TEMPLATE_LINE not in records[OLD_URL]["text"]
    assert OLD_TEMPLATE_LINE in records[NEW_URL]["text"]
    assert records[OLD_URL]["extractor"] != records[NEW_URL]["extractor"]
    assert run_scraper("reindex", "--data", str(data)).returncode == 0
    with sqlite3.connect(data / "catalog.sqlite") as db:
        captured = dict(db.execute("SELECT url, site FROM captures"))
    assert captured[OLD_URL] == "the-new-arab" and captured[ARABIC_URL] == "al-araby-al-jadeed"
    for site, expected in (("the-new-arab", {OLD_URL, NEW_URL}),
                           ("al-araby-al-jadeed", {ARABIC_URL})):
        exported = run_scraper("export", "--data", str(data), "--site", site, "--format",
                               "jsonl", "-o", "-")
        assert exported.returncode == 0, exported.stderr
        assert {r["url"] for r in read_json_lines(exported.stdout)} == expected, site
