"""Extraction of our own fixture pages: cruft removal, metadata, encodings, article decisions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from scraper.extract.extractor import (
    Extracted,
    ExtractionOptions,
    NotArticle,
    PageInput,
    extract_page,
)

REPO = Path(__file__).resolve().parents[1]
PAGES = Path(__file__).parent / "fixtures" / "pages"
FETCHED = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def extract(name: str, encoding: str = "utf-8", content_type: str | None = None,
            url: str = "https://news.example.test/a/1") -> Extracted | NotArticle:
    body = (PAGES / name).read_text(encoding="utf-8").encode(encoding)
    page = PageInput(url=url, body=body, content_type=content_type or "text/html",
                     content_encoding=None, fetched_at=FETCHED)
    return extract_page(page, ExtractionOptions())


def fields_of(name: str, **kwargs: str) -> dict:
    result = extract(name, **kwargs)
    assert isinstance(result, Extracted), result
    return result.fields


SEED_CRUFT = [
    "Skip to main content", "Subscribe", "Only $100 per year.",
    "Access the Middle East news and analysis you can trust", "Join our community",
    "Pool via REUTERS", "RC9XK2PLQ7ZB", "Container cranes stand idle", "Sign up for our newsletter",
    "Follow us on",
]


def test_monitor_like_page_loses_every_cruft_line_and_keeps_the_body() -> None:
    fields = fields_of("monitor_like.html")
    text = fields["text"]
    for cruft in SEED_CRUFT:
        assert cruft not in text, cruft
    for opening in ("The harbour master of Duqm counted eleven", "Shipping companies have spent",
                    "Not everyone is convinced", "For now, the cranes keep arriving."):
        assert opening in text
    assert fields["title"] == "Gulf ports race to expand as shipping lanes shift"
    assert fields["authors"] == ["Leila Haddad"]
    assert fields["published"] == "2026-11-20T08:15:00+00:00"
    assert fields["canonical_url"].endswith("/gulf-ports-race-expand")
    assert fields["language"] == "en"


def test_json_ld_article_with_several_authors() -> None:
    fields = fields_of("jsonld_authors.html")
    assert fields["authors"] == ["Omar Khalil", "Dana Levi", "Yusuf Demir"]
    assert fields["published"] == "2026-11-18T09:30:00+03:00"
    assert fields["modified"] == "2026-11-19T11:00:00+03:00"
    assert fields["date_source"] == "json-ld"
    assert fields["section"] == "Environment"
    assert fields["tags"] == ["water", "Euphrates", "diplomacy"]
    assert fields["image"] == "https://levant-ledger.test/img/river.jpg"
    assert fields["paywalled"] is False
    assert fields["declared_language"] == "en"


def test_paywalled_page_is_marked() -> None:
    fields = fields_of("paywalled.html")
    assert fields["paywalled"] is True
    assert "Subscribe to continue reading" not in fields["text"]


def test_windows_1256_page_decoded_with_the_header_charset() -> None:
    fields = fields_of("arabic_1256.html", encoding="cp1256",
                       content_type="text/html; charset=windows-1256")
    assert "افتتحت البلدية صباح اليوم سوقا جديدا للحرفيين" in fields["text"]
    assert fields["encoding"] == {"name": "cp1256", "source": "http-header"}
    assert fields["language"] == "ar"
    assert fields["declared_language"] == "ar"
    assert fields["authors"] == ["سلمى العلي"]
    assert fields["published"].startswith("2026-11-25T10:30:00")


def test_persian_digits_date_parses() -> None:
    fields = fields_of("persian_date.html")
    assert fields["published"].startswith("2026-11-25")
    assert fields["language"] == "fa"


def test_section_page_is_not_an_article() -> None:
    result = extract("section_page.html")
    assert isinstance(result, NotArticle)


def test_article_markup_outside_the_url_pattern_is_still_an_article() -> None:
    """The pattern steers the crawl; a captured page with article markup is never lost to it."""
    body = (PAGES / "jsonld_authors.html").read_bytes()
    page = PageInput(url="https://levant-ledger.test/tag/water", body=body,
                     content_type="text/html", content_encoding=None, fetched_at=FETCHED,
                     article_pattern=r"/\d{4}/\d\d/")
    result = extract_page(page, ExtractionOptions())
    assert isinstance(result, Extracted), result
    assert "outside-url-pattern" in result.fields["page_evidence"]
    assert any(e.startswith("json-ld:") for e in result.fields["page_evidence"])


def test_no_evidence_outside_the_url_pattern_is_not_an_article() -> None:
    body = (PAGES / "section_page.html").read_bytes()
    page = PageInput(url="https://levant-ledger.test/tag/water", body=body,
                     content_type="text/html", content_encoding=None, fetched_at=FETCHED,
                     article_pattern=r"/\d{4}/\d\d/")
    assert isinstance(extract_page(page, ExtractionOptions()), NotArticle)


_EXTRACT_ALL = """
import json, sys
from tests.test_extraction import PAGES, extract
out = {}
for path in sorted(PAGES.glob("*.html")):
    result = extract(path.name)
    out[path.name] = [type(result).__name__, getattr(result, "fields", None) or repr(result)]
json.dump(out, sys.stdout, ensure_ascii=False, sort_keys=True, default=str)
"""


@pytest.mark.slow
def test_extraction_is_deterministic_across_processes() -> None:
    """Two interpreters with different hash seeds (set and dict orders differ) agree exactly."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)}
        done = subprocess.run([sys.executable, "-c", _EXTRACT_ALL], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert len(json.loads(outputs[0])) == len(list(PAGES.glob("*.html")))
