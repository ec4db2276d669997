"""Title, authors and dates of an article, each with the source that won.

Several places on a page state the same field; each picker takes them in order of trust and
says which one it used (``title_source``, ``authors_source``, ``date_source``), so a researcher
can tell a declared value from a guessed one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml import html as lxml_html

from scraper.extract.bylines import normalize_authors
from scraper.extract.dates import DateCandidate, DateKind, pick_dates
from scraper.extract.structured import PageSignals, json_ld_text
from scraper.extract.titles import TitleCandidate, host_names, pick_title, strip_site_name

#: A capture's clock may be a little behind the site's: dates up to this much later are kept.
CLOCK_SLACK = timedelta(minutes=15)
_BYLINE_XPATH = ("//*[@rel='author' or @itemprop='author' or contains(@class, 'byline')"
                 " or contains(@class, 'author-name')]")


def with_byline(headings: PageHeadings, byline: str | None) -> PageHeadings:
    """The headings, with a byline found in the text when the markup had none."""
    return replace(headings, byline=byline) if byline and not headings.byline else headings


@dataclass(frozen=True)
class PageHeadings:
    """What the page shows as its headline and byline, read before pruning."""

    h1: str | None
    html_title: str | None
    byline: str | None  # a byline element's text, or the name next to the dateline


def read_headings(tree: lxml_html.HtmlElement, signals: PageSignals) -> PageHeadings:
    """The page's <h1>, <title> and, when no markup names the author, its byline element."""
    h1 = next((" ".join(h.text_content().split()) for h in tree.iter("h1")
               if h.text_content().strip()), None)
    title = tree.find(".//head/title")
    html_title = " ".join(title.text_content().split()) if title is not None else None
    declared = normalize_authors(signals.json_ld.get("author")) or normalize_authors(
        signals.all("article:author") or signals.all("author"))
    return PageHeadings(h1, html_title or None, None if declared else _byline_text(tree))


_BYLINE_LINE = re.compile(r"^(?:by|written by|بقلم|كتب|كتبت|نویسنده|מאת|yazar|yazan)\s*:?\s+"
                          r"(?P<names>.+)$", re.IGNORECASE)
#: Lines at the start of the text a byline may sit on, and the most words it may have.
BYLINE_LINES, BYLINE_WORDS = 3, 12


def split_byline_line(text: str) -> tuple[str | None, str]:
    """A "By Jane Doe and John Smith" line among the first lines of the text, and the text
    without it: the byline is metadata, not body. Only short lines whose names are
    capitalized count ("By the time the rain came..." is a sentence)."""
    lines = text.split("\n")
    for index, line in enumerate(lines[:BYLINE_LINES]):
        match = _BYLINE_LINE.match(line.strip())
        if not match or len(line.split()) > BYLINE_WORDS or line.rstrip().endswith("."):
            continue
        first = match["names"].split()[0]
        if first[:1].isupper() or not first[:1].isascii():
            return line.strip(), "\n".join(lines[:index] + lines[index + 1:]).strip()
    return None, text


def _byline_text(tree: lxml_html.HtmlElement) -> str | None:
    for element in tree.xpath(_BYLINE_XPATH)[:3]:
        text = " ".join(element.text_content().split())
        if 2 < len(text) < 120:
            return text
    return _name_before_dateline(tree)


def _name_before_dateline(tree: lxml_html.HtmlElement) -> str | None:
    """"<span>Name |</span><span class="date">...</span>": the element right before the
    first dateline, when it is a short run of capitalized words (a template byline)."""
    for dated in tree.xpath("//*[contains(@class, 'tarih') or contains(@class, 'date')]")[:3]:
        before = dated.getprevious()
        if before is None:
            continue
        text = " ".join(before.text_content().split()).strip(" |-–—")
        words = text.split()
        if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and \
                not any(c.isdigit() for c in text):
            return text
    return None


def site_names(signals: PageSignals, url: str, site_title: str | None) -> list[str]:
    publisher = signals.json_ld.get("publisher")
    names = [signals.first("og:site_name"), signals.first("application-name"),
             json_ld_text(publisher) if isinstance(publisher, (dict, list, str)) else None,
             site_title, *host_names(urlsplit(url).hostname or "")]
    return [n for n in names if n]


def choose_title(signals: PageSignals, headings: PageHeadings, extracted: str | None,
                 names: list[str]) -> tuple[str | None, str | None]:
    """The headline: trafilatura's title, unless it is the JSON-LD headline with a tail, the
    site's name, or the site's name and a section; then og:title, headline, <title>, <h1>."""
    headline = json_ld_text(signals.json_ld.get("headline"))
    if extracted and headline and extracted != headline and extracted.startswith(headline):
        extracted = headline
    h1 = headings.h1
    if h1 and _logo_heading(h1, headings.html_title, names):
        h1 = None
        extracted = None if extracted == headings.h1 else extracted
    candidates = [
        TitleCandidate(extracted, _source_of(extracted, signals, headings, headline)),
        TitleCandidate(signals.first("og:title", "twitter:title"), "og:title"),
        TitleCandidate(headline, "json-ld"),
        TitleCandidate(headings.html_title, "html-title"),
        TitleCandidate(h1, "h1"),
    ]
    return pick_title(candidates, names)


def _logo_heading(h1: str, html_title: str | None, names: list[str]) -> bool:
    """An <h1> of a word or three sharing no word with a "Headline - Site" <title>: the site's
    logo in its own script ("엔터 미디어" on entermedia.co.kr), not the headline."""
    if not html_title or len(h1.split()) > 3:
        return False
    folded = {_fold_name(n) for n in names}
    stripped = strip_site_name(html_title, folded)
    if not stripped or stripped == html_title:
        return False
    return not set(h1.casefold().split()) & set(stripped.casefold().split())


def _fold_name(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def _source_of(value: str | None, signals: PageSignals, headings: PageHeadings,
               headline: str | None) -> str:
    """Which markup trafilatura's title came from (it does not say)."""
    if value is None:
        return "trafilatura"
    if value == headline:
        return "json-ld"
    if value in (signals.first("og:title"), signals.first("twitter:title")):
        return "og:title"
    if headings.h1 and value == headings.h1:
        return "h1"
    return "html-title"


def choose_authors(signals: PageSignals, headings: PageHeadings, extracted: str | None,
                   names: list[str]) -> tuple[list[str], str | None]:
    """Authors from JSON-LD, meta tags, trafilatura's byline, then the page's byline element.

    A JSON-LD author that is the publishing organization itself ("NTV" on ntv.com.tr) names
    no one: a byline found elsewhere wins over it, and it is used only when nothing else is.
    """
    ld_author = signals.json_ld.get("author")
    from_ld = normalize_authors(ld_author)
    publisher_only = bool(from_ld) and _is_publisher(ld_author, from_ld, names)
    ranked = [
        ("json-ld", [] if publisher_only else from_ld),
        ("meta", normalize_authors(signals.all("article:author") or signals.all("author")
                                   or signals.all("articleauthor"))),
        ("byline", normalize_authors(extracted)),
        ("byline", normalize_authors(headings.byline)),
        ("json-ld", from_ld),
    ]
    for source, authors in ranked:
        if authors:
            return authors, source
    return [], None


def _is_publisher(raw: Any, authors: list[str], names: list[str]) -> bool:
    organizations = [raw] if isinstance(raw, dict) else raw if isinstance(raw, list) else []
    if not organizations or any(not isinstance(o, dict) or o.get("@type") != "Organization"
                                for o in organizations):
        return False
    folded = {"".join(n.casefold().split()) for n in names}
    return all("".join(a.casefold().split()) in folded for a in authors)


def choose_dates(page_hints: dict[str, str], signals: PageSignals, htmldate: str | None,
                 fetched_at: datetime, zone_name: str | None,
                 ) -> tuple[str | None, str | None, str | None]:
    """(published, modified, source of the published date).

    Dates written without an offset are in the site's zone; no date later than the capture
    (plus a little clock slack) is kept: a page cannot have been published after it was read.
    """
    zone = ZoneInfo(zone_name) if zone_name else timezone.utc
    return pick_dates(_date_candidates(page_hints, signals, htmldate), zone,
                      not_after=fetched_at + CLOCK_SLACK)


def _year_only(htmldate: str | None) -> bool:
    """htmldate pads a bare year (a copyright line, a URL's /2013/) to January 1st, midnight:
    that is a guess of the year, not a publication date."""
    return bool(htmldate) and re.match(r"^\d{4}-01-01(?:T00:00:00)?(?:\+00:?00|Z)?$",
                                       htmldate or "") is not None


def _date_candidates(hints: dict[str, str], signals: PageSignals,
                     htmldate: str | None) -> list[DateCandidate]:
    ld = signals.json_ld
    found: list[tuple[DateKind, str | None, str]] = [
        ("published", json_ld_text(ld.get("datePublished")), "json-ld"),
        ("modified", json_ld_text(ld.get("dateModified")), "json-ld"),
        ("published", signals.first("article:published_time", "og:published_time",
                                    "datepublished", "pubdate", "publish-date", "date"), "meta"),
        ("modified", signals.first("article:modified_time", "og:updated_time",
                                   "datemodified", "last-modified"), "meta"),
        ("published", hints.get("published"), hints.get("published_source", "feed")),
        ("published", None if _year_only(htmldate) else htmldate, "htmldate"),
        *(("published", value, "text") for value in signals.date_texts),
    ]
    return [DateCandidate(kind=k, value=v, source=s) for k, v, s in found if v]
