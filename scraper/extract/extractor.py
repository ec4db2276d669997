"""Turn one captured page into clean text and normalized metadata (runs in worker processes).

Input is a :class:`PageInput` (the stored payload and what is needed to read it), output an
:class:`Extracted` with the article's fields, or a :class:`NotArticle` with the reason. Nothing
here depends on the clock or on the machine, so the same WARC gives the same result every time.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import trafilatura
from lxml import html as lxml_html

from scraper.errors import ContentError
from scraper.extract.cruft import CROSS_SITE, CruftRules, drop_lines, prune
from scraper.extract.dates import DateKind
from scraper.extract.decoding import decode_content, decode_html, looks_binary
from scraper.extract.metadata import (
    DateCandidate,
    declared_language,
    detect_language,
    normalize_authors,
    pick_dates,
    text_sha256,
    word_count,
)
from scraper.extract.structured import PageSignals, json_ld_list, json_ld_text, read_signals

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_PARSER = lxml_html.HTMLParser(remove_comments=True)
#: Characters of text enough to tell the language; more only costs time.
LANGUAGE_SAMPLE = 2000


@dataclass(frozen=True)
class ExtractionOptions:
    """How trafilatura is run; part of every record's ``extractor.config_sha256``."""

    fast: bool = False
    favor_precision: bool = False
    include_tables: bool = True
    #: Without an article URL pattern or article markup, a page is an article when the
    #: extracted text has at least this many characters.
    min_article_chars: int = 500

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PageInput:
    url: str
    body: bytes
    content_type: str | None
    content_encoding: str | None
    fetched_at: datetime
    site: str | None = None
    article_pattern: str | None = None
    rules: CruftRules = CROSS_SITE
    timezone: str | None = None
    #: Dates, titles or languages known from elsewhere (news sitemaps, feeds).
    hints: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NotArticle:
    reason: str


@dataclass(frozen=True)
class Extracted:
    fields: dict[str, Any]


def extract_page(page: PageInput, options: ExtractionOptions) -> Extracted | NotArticle:
    """Extract one page; raises ScraperError subclasses for pages that cannot be read."""
    body = decode_content(page.body, page.content_encoding)
    if looks_binary(body):
        return NotArticle("binary")  # an image or archive served as text/html: never text
    decoded = decode_html(body, page.content_type)
    tree = _parse(decoded.text)
    if tree is None:
        return NotArticle("empty-document")
    signals = read_signals(tree)
    pruned = prune(tree, page.rules)
    document: Any = trafilatura.bare_extraction(
        tree, url=page.url, with_metadata=True, include_comments=False, fast=options.fast,
        favor_precision=options.favor_precision, include_tables=options.include_tables,
        date_extraction_params={"max_date": _max_date(page.fetched_at), "original_date": True,
                                "extensive_search": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"},
    )
    text = drop_lines(document.text or "", page.rules) if document is not None else ""
    reason = _not_article_reason(page, signals, text, options)
    if reason:
        return NotArticle(reason)
    fields = _fields(page, signals, document, text, pruned.paywall_marked)
    fields["encoding"] = {"name": decoded.encoding, "source": decoded.encoding_source}
    return Extracted(fields)


def _parse(text: str) -> lxml_html.HtmlElement | None:
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        return None
    try:
        # Comments removed: trafilatura loses the rest of a paragraph at an inline <!-- -->.
        tree = lxml_html.document_fromstring(text, parser=_PARSER)
    except (ValueError, lxml_html.etree.ParserError):
        return None
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in _PARSER.error_log):
        # libxml2 stops at 256 nested elements and drops everything below: the "article" would
        # be a word or two. Failing says so; the capture stays in the WARC.
        raise ContentError("HTML nested deeper than the parser reads (256 elements): its text "
                           "would be lost, so the page is not extracted")
    return tree


def _max_date(fetched_at: datetime) -> str:
    # htmldate ignores dates after max_date; the capture date (not today) keeps results stable.
    return (fetched_at + timedelta(days=1)).strftime("%Y-%m-%d")


def _not_article_reason(page: PageInput, signals: PageSignals, text: str,
                        options: ExtractionOptions) -> str | None:
    if not text.strip():
        return "no-text"
    if page.article_pattern:
        path = urlsplit(page.url).path
        return None if re.search(page.article_pattern, path) else "url-pattern"
    if signals.is_article or len(text) >= options.min_article_chars:
        return None
    return "too-short"


def _paywalled(signals: PageSignals, marked: bool) -> bool | None:
    free = signals.json_ld.get("isAccessibleForFree")
    if isinstance(free, str):
        free = {"true": True, "false": False}.get(free.strip().lower())
    if free is not None:  # the publisher's own declaration beats our markers
        return not free
    return True if marked else None


def _fields(page: PageInput, signals: PageSignals, document: Any, text: str,
            paywall_marked: bool) -> dict[str, Any]:
    ld = signals.json_ld
    zone = ZoneInfo(page.timezone) if page.timezone else timezone.utc
    published, modified, date_source = pick_dates(_date_candidates(page, signals, document), zone)
    authors = normalize_authors(ld.get("author")) or \
        normalize_authors(signals.all("article:author") or signals.all("author")) or \
        normalize_authors(document.author)
    tags = json_ld_list(ld.get("keywords")) or signals.all("article:tag") or \
        list(document.tags or [])
    return {
        "canonical_url": signals.canonical or document.url or page.url,
        "title": _title(document.title, json_ld_text(ld.get("headline")),
                        signals.first("og:title")),
        "description": document.description or signals.first("og:description", "description"),
        "text": text,
        "authors": authors,
        "published": published,
        "modified": modified,
        "date_source": date_source,
        "language": detect_language(text[:LANGUAGE_SAMPLE]),
        "declared_language": declared_language(
            signals.html_lang, json_ld_text(ld.get("inLanguage")) or signals.first(
                "og:locale", "content-language", "language")),
        "section": json_ld_text(ld.get("articleSection")) or signals.first("article:section")
        or (document.categories[0] if document.categories else None),
        "tags": list(dict.fromkeys(tags)),
        "image": json_ld_text(ld.get("image")) or signals.first("og:image") or document.image,
        "paywalled": _paywalled(signals, paywall_marked),
        "word_count": word_count(text),
        "text_sha256": text_sha256(text),
    }


def _title(extracted: str | None, headline: str | None, og_title: str | None) -> str | None:
    """trafilatura's title, unless it is the JSON-LD headline plus a " | Site name" tail."""
    if extracted and headline and extracted != headline and extracted.startswith(headline):
        return headline
    return extracted or headline or og_title


def _date_candidates(page: PageInput, signals: PageSignals, document: Any) -> list[DateCandidate]:
    ld = signals.json_ld
    found: list[tuple[DateKind, str | None, str]] = [
        ("published", json_ld_text(ld.get("datePublished")), "json-ld"),
        ("modified", json_ld_text(ld.get("dateModified")), "json-ld"),
        ("published", signals.first("article:published_time", "og:published_time",
                                    "datepublished", "pubdate", "publish-date", "date"), "meta"),
        ("modified", signals.first("article:modified_time", "og:updated_time",
                                   "datemodified", "last-modified"), "meta"),
        ("published", page.hints.get("published"), page.hints.get("published_source", "feed")),
        ("published", document.date if document is not None else None, "htmldate"),
        *(("published", value, "text") for value in signals.date_texts),
    ]
    return [DateCandidate(kind=k, value=v, source=s) for k, v, s in found if v]
