"""Turn one captured page into clean text and normalized metadata (runs in worker processes).

Input is a :class:`PageInput` (the stored payload and what is needed to read it), output an
:class:`Extracted` with the article's fields, or a :class:`NotArticle` with the reason. Nothing
here depends on the clock or on the machine, so the same WARC gives the same result every time.
"""

from __future__ import annotations

import re
from copy import copy
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import Extractor

from scraper.errors import ContentError
from scraper.extract.article_fields import (
    PageHeadings,
    choose_authors,
    choose_dates,
    choose_title,
    read_headings,
    site_names,
    split_byline_line,
    with_byline,
)
from scraper.extract.cruft import (
    CROSS_SITE,
    CruftRules,
    drop_lines,
    prune,
    rules_sha256,
    visible_length,
)
from scraper.extract.decoding import (
    DEFAULT_MAX_DECODED_BYTES,
    decode_content,
    decode_html,
    looks_binary,
)
from scraper.extract.metadata import declared_language, detect_language, text_sha256, word_count
from scraper.extract.non_article_blocks import (
    prune_card_grids,
    prune_hidden_blocks,
    prune_hover_cards,
    take_standfirst,
)
from scraper.extract.page_kind import PageFacts, judge_page, read_facts
from scraper.extract.precision import (
    drop_furniture,
    prune_link_blocks,
    prune_teasers,
    unwrap_layout_tables,
)
from scraper.extract.structured import (
    DEFAULT_MAX_JSON_LD_BYTES,
    PageSignals,
    json_ld_list,
    json_ld_text,
    read_signals,
)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_PARSER = lxml_html.HTMLParser(remove_comments=True)
# Every element is an HtmlElement, chosen in C: lxml.html's own lookup calls Python for each
# element object made (half a million per thousand pages, in our code and trafilatura's) only
# to give <form>, <input> and the like classes nothing here uses.
_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
    pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity))
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
    #: Extracted text shorter than this is "thin": JSON-LD articleBody, then trafilatura on the
    #: page as captured (before pruning), are tried for more.
    thin_text_chars: int = 250
    #: Remove lists of links and single-link paragraphs (other stories) before extraction.
    prune_link_blocks: bool = True

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@lru_cache(maxsize=256)
def config_sha256(rules: CruftRules, options: ExtractionOptions) -> str:
    """The records' ``extractor.config_sha256``: a site's rules with the options, hashed once
    per pair (30 us a page otherwise)."""
    return rules_sha256(rules, options.as_dict())


@dataclass(frozen=True)
class ExtractionLimits:
    """Bounds on what one page may cost (settings EXTRACT_MAX_*); not part of the record's
    config hash: a page within them extracts the same whatever they are."""

    max_decoded_bytes: int = DEFAULT_MAX_DECODED_BYTES
    max_json_ld_bytes: int = DEFAULT_MAX_JSON_LD_BYTES


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
    site_title: str | None = None
    #: Dates, titles or languages known from elsewhere (news sitemaps, feeds).
    hints: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NotArticle:
    reason: str


@dataclass(frozen=True)
class Extracted:
    fields: dict[str, Any]
    #: JSON-LD blocks over EXTRACT_MAX_JSON_LD_BYTES, left unread (the crawl counts them).
    json_ld_skipped: int = 0


def extract_page(page: PageInput, options: ExtractionOptions,
                 limits: ExtractionLimits | None = None) -> Extracted | NotArticle:
    """Extract one page; raises ScraperError subclasses for pages that cannot be read
    (LimitExceeded for one whose body expands past ``limits.max_decoded_bytes``)."""
    limits = limits or ExtractionLimits()
    body = decode_content(page.body, page.content_encoding, limits.max_decoded_bytes)
    if looks_binary(body):
        return NotArticle("binary")  # an image or archive served as text/html: never text
    decoded = decode_html(body, page.content_type)
    tree = _parse(decoded.text)
    if tree is None:
        return NotArticle("empty-document")
    signals = read_signals(tree, limits.max_json_ld_bytes)
    facts = read_facts(tree, signals, options.min_article_chars)  # before pruning: cards count
    headings = read_headings(tree, signals)
    paywall_marked, standfirst = _clean_tree(tree, page.rules, options, _titles(signals, headings))
    document = _trafilatura(tree, page, options, fast=True)
    if not options.fast and _doubtful(document, options):
        document = _trafilatura(tree, page, options)  # with trafilatura's own second opinions
    names = site_names(signals, page.url, page.site_title)
    title, title_source = choose_title(
        signals, headings, document.title if document is not None else None, names)
    text, text_source, byline = _body_text(document, decoded.text, signals, facts, page, options,
                                           (title, headings.h1), (page.url, signals.canonical))
    judgement = judge_page(facts, urlsplit(page.url).path, _pattern_match(page), len(text),
                           options.min_article_chars)
    if judgement.reason:
        return NotArticle(judgement.reason)
    fields = _fields(page, signals, with_byline(headings, byline), document, text,
                     paywall_marked, names)
    fields.update(page_kind=judgement.kind, page_evidence=list(judgement.evidence),
                  title=title, title_source=title_source, text_source=text_source,
                  standfirst=standfirst if text_source == "trafilatura" else None)
    fields["encoding"] = {"name": decoded.encoding, "source": decoded.encoding_source}
    return Extracted(fields, signals.json_ld_skipped)


def _clean_tree(tree: lxml_html.HtmlElement, rules: CruftRules, options: ExtractionOptions,
                titles: list[str]) -> tuple[bool, str | None]:
    """Prune cruft, hidden blocks, teaser cards and link blocks, unwrap layout tables, take
    the standfirst out; return whether the page is marked paywalled, and the standfirst."""
    pruned = prune(tree, rules)
    prune_hidden_blocks(tree)
    page_chars = visible_length(tree)
    standfirst = take_standfirst(tree, titles, page_chars)
    prune_teasers(tree)
    prune_card_grids(tree, page_chars)
    prune_hover_cards(tree)
    unwrap_layout_tables(tree)
    if options.prune_link_blocks:
        prune_link_blocks(tree)
    return pruned.paywall_marked, standfirst


def _titles(signals: PageSignals, headings: PageHeadings) -> list[str]:
    """What the page says its headline is, to find the headline element by."""
    found = [json_ld_text(signals.json_ld.get("headline")), signals.first("og:title"),
             headings.html_title]
    return [title for title in found if title]


def _body_text(document: Any, html_text: str, signals: PageSignals, facts: PageFacts,
               page: PageInput, options: ExtractionOptions,
               headlines: tuple[str | None, ...],
               own_urls: tuple[str | None, ...]) -> tuple[str, str, str | None]:
    """The clean text, where it came from, and a byline line taken out of it."""
    text, source = _clean(document, page.rules, headlines, own_urls), "trafilatura"
    if facts.any_evidence or _pattern_match(page):  # no second try for what is no article
        text, source = _fallback_text(text, html_text, signals, page, options)
        if source != "trafilatura":  # a fallback's text is not cleaned yet
            text = _clean_text(text, page.rules, headlines, own_urls)
    byline, text = split_byline_line(text)
    return text, source, byline


#: A text is a menu rather than an article when at least this many of its lines, and this share
#: of them, are of one or two words.
NAVIGATION_LINES = 10
NAVIGATION_SHARE = 0.4


def _doubtful(document: Any, options: ExtractionOptions) -> bool:
    """Whether trafilatura's fast pass needs its second opinions: its text is thin (they come
    before our own fallbacks) or looks like a menu (a list of one- or two-word lines).

    The fast pass skips trafilatura's comparison with readability and jusText, a sixth of a
    page's extraction time. On our pruned pages that comparison changes 3 of the 181 benchmark
    texts: it removes a category menu from one (F1 0.65 -> 0.93), does a little better on one
    (0.989 -> 1.000) and worse on one (0.991 -> 0.907). So it runs only where the fast pass's
    text is thin or looks like that menu (4 of the 181 pages).
    """
    text = (document.text or "") if document is not None else ""
    if len(text) < options.thin_text_chars:
        return True
    lines = [line for line in text.split("\n") if line.strip()]
    short = sum(1 for line in lines if len(line.split()) <= 2)
    return short >= NAVIGATION_LINES and short >= NAVIGATION_SHARE * len(lines)


def _trafilatura(tree: lxml_html.HtmlElement, page: PageInput, options: ExtractionOptions,
                 favor_recall: bool = False, fast: bool = False) -> Any:
    """trafilatura on our pruned tree (it works on a copy); ``fast``: without its fallback
    extractors, whatever ``options.fast`` says."""
    settings = copy(_trafilatura_settings(
        options.fast or fast, options.favor_precision and not favor_recall, favor_recall,
        options.include_tables))
    # what trafilatura's Extractor makes of a URL and of date parameters, per page
    settings.url = page.url
    settings.source = page.url.encode("utf-8", "replace").decode("utf-8")
    settings.date_params = {"max_date": _max_date(page.fetched_at), "original_date": True,
                            "extensive_search": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
    return trafilatura.bare_extraction(tree, options=settings)


@lru_cache(maxsize=16)
def _trafilatura_settings(fast: bool, precision: bool, recall: bool, tables: bool) -> Extractor:
    """trafilatura's settings for ``bare_extraction``, made once: making them reads its
    configuration file's values each time (a seventieth of a page's extraction)."""
    return Extractor(output_format="python", fast=fast, precision=precision, recall=recall,
                     comments=False, tables=tables, with_metadata=True)


def _clean(document: Any, rules: CruftRules, headlines: tuple[str | None, ...],
           own_urls: tuple[str | None, ...]) -> str:
    if document is None:
        return ""
    return _clean_text(document.text or "", rules, headlines, own_urls)


def _clean_text(text: str, rules: CruftRules, headlines: tuple[str | None, ...],
                own_urls: tuple[str | None, ...]) -> str:
    return drop_furniture(drop_lines(text, rules), headlines, own_urls)


def _fallback_text(text: str, html_text: str, signals: PageSignals, page: PageInput,
                   options: ExtractionOptions) -> tuple[str, str]:
    """When the text looks thin: JSON-LD ``articleBody`` if it is longer, else trafilatura
    again, favouring recall, on the page as captured (pruning may have cut the article)."""
    if len(text) >= options.thin_text_chars:
        return text, "trafilatura"
    body = json_ld_text(signals.json_ld.get("articleBody"))
    if body and len(body) > max(len(text) * 1.5, options.thin_text_chars):
        return body, "json-ld"
    fresh = _parse(html_text)
    document = _trafilatura(fresh, page, options, favor_recall=True) if fresh is not None \
        else None
    again = (document.text or "") if document is not None else ""
    if len(again) > max(len(text) * 1.5, 100):
        return again, "trafilatura-unpruned"
    return text, "trafilatura"


def _pattern_match(page: PageInput) -> bool | None:
    if not page.article_pattern:
        return None
    return bool(re.search(page.article_pattern, urlsplit(page.url).path))


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


def _paywalled(signals: PageSignals, marked: bool) -> bool | None:
    free = signals.json_ld.get("isAccessibleForFree")
    if isinstance(free, str):
        free = {"true": True, "false": False}.get(free.strip().lower())
    if free is not None:  # the publisher's own declaration beats our markers
        return not free
    return True if marked else None


def _fields(page: PageInput, signals: PageSignals, headings: PageHeadings, document: Any,
            text: str, paywall_marked: bool, names: list[str]) -> dict[str, Any]:
    ld = signals.json_ld
    published, modified, date_source = choose_dates(
        page.hints, signals, document.date if document is not None else None, page.fetched_at,
        page.timezone)
    authors, authors_source = choose_authors(
        signals, headings, document.author if document is not None else None, names)
    tags = json_ld_list(ld.get("keywords")) or signals.all("article:tag") or \
        list(getattr(document, "tags", None) or [])
    categories = getattr(document, "categories", None) or []
    return {
        "canonical_url": signals.canonical or getattr(document, "url", None) or page.url,
        "description": getattr(document, "description", None)
        or signals.first("og:description", "description"),
        "text": text,
        "authors": authors,
        "authors_source": authors_source,
        "published": published,
        "modified": modified,
        "date_source": date_source,
        "language": detect_language(text[:LANGUAGE_SAMPLE]),
        "declared_language": declared_language(
            signals.html_lang, json_ld_text(ld.get("inLanguage")) or signals.first(
                "og:locale", "content-language", "language")),
        "section": json_ld_text(ld.get("articleSection")) or signals.first("article:section")
        or (categories[0] if categories else None),
        "tags": list(dict.fromkeys(tags)),
        "image": json_ld_text(ld.get("image")) or signals.first("og:image")
        or getattr(document, "image", None),
        "paywalled": _paywalled(signals, paywall_marked),
        "word_count": word_count(text),
        "text_sha256": text_sha256(text),
    }
