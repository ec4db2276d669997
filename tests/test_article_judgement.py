"""Article or not, titles, bylines, dates and furniture on our own fixture pages."""

from __future__ import annotations

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

PAGES = Path(__file__).parent / "fixtures" / "judgement"
FETCHED = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


def extract(name: str, url: str, **kwargs: object) -> Extracted | NotArticle:
    page = PageInput(url=url, body=(PAGES / name).read_bytes(), content_type="text/html",
                     content_encoding=None, fetched_at=FETCHED, **kwargs)  # type: ignore[arg-type]
    return extract_page(page, ExtractionOptions())


def fields_of(name: str, url: str, **kwargs: object) -> dict:
    result = extract(name, url, **kwargs)
    assert isinstance(result, Extracted), result
    return result.fields


def test_old_cms_url_outside_the_pattern_with_og_article_is_extracted() -> None:
    fields = fields_of("old_cms_article.html", "https://www.al-monitor.test/cms/story.asp?id=42",
                       article_pattern=r"^/(originals|pulse)/\d{4}/", site_title="Al-Monitor")
    assert fields["page_kind"] == "article"
    assert fields["page_evidence"] == ["og:type=article", "published-date",
                                       "outside-url-pattern"]


def test_table_layout_furniture_is_gone_and_the_body_kept() -> None:
    fields = fields_of("old_cms_article.html", "https://www.al-monitor.test/cms/story.asp?id=42",
                       site_title="Al-Monitor")
    text = fields["text"]
    for furniture in ("About Us", "Advanced Search", "Print Version", "Send To Friend",
                      "E-mail this Story", "Poll", "Vote", "View Results", "©", "Home >"):
        assert furniture not in text, furniture
    assert all(line.strip(" |") for line in text.split("\n")), "a pipe-only line is left"
    assert text.startswith("By Karim Nasser") or text.startswith("The first boats")
    assert text.count("Basra farmers return") == 0  # the repeated headline went too
    assert "The first boats came back" in text and "taller than my son" in text


def test_title_that_is_only_the_site_name_gives_way_to_the_headline() -> None:
    fields = fields_of("old_cms_article.html", "https://www.al-monitor.test/cms/story.asp?id=42",
                       site_title="Al-Monitor")
    assert fields["title"] == "Basra farmers return to the marshes after a decade of drought"
    assert fields["title_source"] == "h1"


def test_date_fragment_meta_author_is_no_name_and_the_byline_wins() -> None:
    fields = fields_of("old_cms_article.html", "https://www.al-monitor.test/cms/story.asp?id=42")
    assert "Published January" not in fields["authors"]


def test_arabic_table_layout() -> None:
    fields = fields_of("arabic_table_layout.html", "https://www.aljazeera.test/news/a.asp?id=7")
    text = fields["text"]
    for furniture in ("الرئيسية", "اتصل بنا", "بحث متقدم", "طباعة", "أرسل لصديق", "استطلاع",
                      "جميع الحقوق محفوظة"):
        assert furniture not in text, furniture
    assert text.startswith("عادت القوارب الأولى")
    assert fields["title"] == "مزارعو البصرة يعودون إلى الأهوار بعد عقد من الجفاف"


def test_home_page_with_many_teaser_words_is_not_an_article() -> None:
    result = extract("home_page.html", "https://levant-ledger.test/")
    assert result == NotArticle("listing")


def test_tag_page_without_og_type_is_not_an_article() -> None:
    body = (PAGES / "home_page.html").read_text(encoding="utf-8").replace(
        '<meta property="og:type" content="website">', "")
    page = PageInput(url="https://levant-ledger.test/tag/water", body=body.encode(),
                     content_type="text/html", content_encoding=None, fetched_at=FETCHED)
    assert extract_page(page, ExtractionOptions()) == NotArticle("listing")


def test_a_date_after_the_capture_is_never_the_published_date() -> None:
    fields = fields_of("future_date.html", "https://levant-ledger.test/2026/11/dam")
    assert fields["published"] == "2026-11-23T18:30:00+00:00"  # JSON-LD's 2027 date skipped
    assert fields["date_source"] == "meta"


def test_local_dates_without_offset_get_the_site_zone() -> None:
    fields = fields_of("future_date.html", "https://levant-ledger.test/2026/11/dam",
                       timezone="Asia/Baghdad")
    assert fields["published"] == "2026-11-23T18:30:00+03:00"
    assert fields["modified"] == "2026-11-24T10:00:00+03:00"  # kept apart from published


def test_every_field_says_its_source() -> None:
    fields = fields_of("future_date.html", "https://levant-ledger.test/2026/11/dam")
    assert fields["title"] == "Dam inspection finds cracks in the spillway"
    assert fields["title_source"] in ("og:title", "json-ld", "html-title")
    assert fields["authors"] == ["Rami Khoury"]
    assert fields["authors_source"] == "json-ld"
    assert fields["text_source"] == "trafilatura"


@pytest.mark.parametrize("name", ["old_cms_article.html", "arabic_table_layout.html",
                                  "future_date.html"])
def test_judgement_is_deterministic(name: str) -> None:
    url = "https://levant-ledger.test/x?id=1"
    assert extract(name, url) == extract(name, url)


def test_logo_h1_in_another_script_is_not_the_title() -> None:
    story = "<p>" + "Engineers found new cracks in the concrete of the spillway. " * 12 + "</p>"
    body = ("<html><head><title>Dam inspection finds cracks in the spillway - Levant Ledger"
            f"</title></head><body><h1>ليفانت ليدجر</h1><article>{story}</article></body></html>")
    page = PageInput(url="https://levant-ledger.test/2026/11/dam", body=body.encode(),
                     content_type="text/html; charset=utf-8", content_encoding=None,
                     fetched_at=FETCHED)
    result = extract_page(page, ExtractionOptions())
    assert isinstance(result, Extracted), result
    assert result.fields["title"] == "Dam inspection finds cracks in the spillway"
    assert result.fields["title_source"] == "html-title"
