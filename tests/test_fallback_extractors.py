"""trafilatura's fallback extractors run only when its fast pass looks wrong (thin or a menu)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
import trafilatura

from scraper.extract import extractor
from scraper.extract.extractor import Extracted, ExtractionOptions, PageInput, extract_page

FETCHED = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
PARAGRAPH = ("The council met on Tuesday to discuss the water supply of the eastern districts, "
             "where wells ran dry in the summer and trucks brought water twice a week. ")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
ARTICLE = "".join(f"<p>On {day}, {PARAGRAPH.lower()}</p>" for day in DAYS)
MENU = "".join(f"<p>Section {n}</p>" for n in range(30)) + f"<p>{PARAGRAPH}</p>"


def _page(body: str) -> PageInput:
    html = (f"<html><head><title>Water</title></head><body><main><h1>Water</h1>{body}</main>"
            "</body></html>")
    return PageInput("https://news.example.test/a/1", html.encode(), "text/html", None, FETCHED)


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The ``fast`` argument of every trafilatura call an extraction makes."""
    seen: list[bool] = []
    real = trafilatura.bare_extraction

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs["options"].fast)
        return real(*args, **kwargs)

    monkeypatch.setattr(extractor.trafilatura, "bare_extraction", spy)
    return seen


def test_an_article_is_extracted_by_the_fast_pass_alone(passes: list[bool]) -> None:
    result = extract_page(_page(ARTICLE), ExtractionOptions())
    assert isinstance(result, Extracted)
    assert "wells ran dry" in result.fields["text"]
    assert passes == [True]


def test_menu_like_text_gets_trafilaturas_second_opinions(passes: list[bool]) -> None:
    extract_page(_page(MENU), ExtractionOptions())
    assert passes[:2] == [True, False]


def test_extract_fast_never_runs_the_fallback_extractors(passes: list[bool]) -> None:
    extract_page(_page(MENU), ExtractionOptions(fast=True))
    assert set(passes) == {True}


@pytest.mark.parametrize(("text", "doubtful"), [
    ("short", True),
    ("\n".join(["Home", "World", "Sport"] * 5 + [PARAGRAPH]), True),
    ("\n".join([PARAGRAPH] * 8 + ["Share", "Print"]), False),
])
def test_which_fast_texts_are_doubtful(text: str, doubtful: bool) -> None:
    document = type("Document", (), {"text": text})()
    assert extractor._doubtful(document, ExtractionOptions()) is doubtful
