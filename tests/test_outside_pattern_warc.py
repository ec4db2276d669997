"""Re-extracting a WARC: pages outside their site's current article pattern but carrying article
markup get a record each; a home page does not, and its reason is counted."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest

from scraper.extract.extractor import ExtractionOptions
from scraper.sites.registry import site_for_url
from scraper.store.jsonl import JsonlWriter
from scraper.store.reextract import extract_warcs
from tests.support.warc_builder import WarcBuilder

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = json.loads((Path(__file__).parent.parent / "scraper" / "schema" /
                     "article.schema.json").read_text())
HOST = "https://www.al-monitor.com"
#: URLs of older schemes of the site: a query-string CMS URL, an edition under a path.
OUTSIDE = {
    f"{HOST}/cms/story.asp?id=42": "judgement/old_cms_article.html",
    f"{HOST}/english/article.php?art=7": "pages/jsonld_authors.html",
    f"{HOST}/2009/03/14/marshes.html": "judgement/future_date.html",
}


@pytest.mark.slow  # a worker process
def test_pages_outside_the_article_pattern_with_article_markup_get_records(
        tmp_path: Path) -> None:
    site = site_for_url(f"{HOST}/")
    assert site is not None and site.article_pattern
    for url in OUTSIDE:  # the premise: the site's current pattern rejects every one of them
        assert not site.is_article(urlsplit(url).path), url
    builder = WarcBuilder()
    builder.warcinfo()
    for url, name in [*OUTSIDE.items(), (f"{HOST}/", "judgement/home_page.html")]:
        builder.add(builder.response(url, (FIXTURES / name).read_bytes(),
                                     warc_headers={"WARC-Date": "2026-11-25T12:00:00Z"}))
    warc = tmp_path / "old.warc.gz"
    warc.write_bytes(builder.data)
    output = tmp_path / "out.jsonl"
    writer = JsonlWriter(output)
    summary = extract_warcs([warc], writer, ExtractionOptions(), workers=1, site_rules=True)
    writer.close()
    records = [json.loads(line) for line in output.read_text().splitlines()]
    assert {r["url"] for r in records} == set(OUTSIDE)
    for record in records:
        jsonschema.validate(record, SCHEMA)
        assert record["site"] == site.name
        assert record["page_kind"] == "article"
        assert "outside-url-pattern" in record["page_evidence"]
        assert len(record["page_evidence"]) >= 2  # and the article evidence that kept it
    assert summary.counts["article"] == 3
    assert summary.counts["not_article/listing"] == 1
