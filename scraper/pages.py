"""Which captured responses are candidate article pages, and the extractor's input for each."""

from __future__ import annotations

from datetime import datetime

from archive.reader import StoredResponse
from scraper.extraction import PageInput
from scraper.site_context import SiteContext, site_context

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
               context: SiteContext | None = None, hints: dict[str, str] | None = None
               ) -> PageInput:
    context = context or site_context(url)
    return PageInput(
        url=url, body=body, content_type=headers.get("content-type"),
        content_encoding=headers.get("content-encoding"), fetched_at=fetched_at,
        site=context.name, article_pattern=context.article_pattern, rules=context.rules,
        timezone=context.timezone,
        hints=hints or {})


def page_input_from_stored(stored: StoredResponse, context: SiteContext) -> PageInput:
    return page_input(stored.url, stored.payload, stored.headers, parse_warc_date(stored.date),
                      context, hints_from_metadata(stored.metadata))


def context_for(url: str, metadata: dict[str, str] | None,
                site_rules: bool = True) -> SiteContext:
    """The site named in the capture's metadata record, else the one owning the URL's host.

    With ``site_rules`` off the page gets the cross-site rules only (to measure what a site's
    rules add, see bench/extraction_quality.py).
    """
    context = site_context(url, (metadata or {}).get("site"))
    return context if site_rules else SiteContext(context.name)


def hints_from_metadata(metadata: dict[str, str] | None) -> dict[str, str]:
    """What discovery said about a page that the extractor can use (a publication date)."""
    metadata = metadata or {}
    published = metadata.get("discovered-published")
    if not published:
        return {}
    kind = metadata.get("discovered-by", "")
    return {"published": published,
            "published_source": "news-sitemap" if "sitemap" in kind else "feed"}


def parse_warc_date(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
