"""Which captured responses are candidate article pages, and the extractor's input for each."""

from __future__ import annotations

from datetime import datetime

from scraper.extract.extractor import PageInput
from scraper.extract.site_rules import SiteContext

HTML_TYPES = ("text/html", "application/xhtml+xml")


def skip_reason(status: int, content_type: str | None, truncated: str | None) -> str | None:
    """Why a response is not an article candidate (None: it is one)."""
    if status != 200:
        return "status"
    if truncated:
        return "truncated"
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media and media not in HTML_TYPES:
        return "not-html"
    return None


def page_input(url: str, body: bytes, headers: dict[str, str], fetched_at: datetime,
               context: SiteContext, hints: dict[str, str] | None = None) -> PageInput:
    return PageInput(
        url=url, body=body, content_type=headers.get("content-type"),
        content_encoding=headers.get("content-encoding"), fetched_at=fetched_at,
        site=context.name, article_pattern=context.article_pattern, rules=context.rules,
        timezone=context.timezone, site_title=context.title, hints=hints or {})


def hints_from_metadata(metadata: dict[str, str] | None) -> dict[str, str]:
    """What discovery said about a page that the extractor can use (a publication date)."""
    metadata = metadata or {}
    published = metadata.get("discovered-published")
    if not published:
        return {}
    kind = metadata.get("discovered-by", "")
    return {"published": published,
            "published_source": "news-sitemap" if "sitemap" in kind else "feed"}
