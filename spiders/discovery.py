"""Read feeds and sitemaps into article URLs with whatever dates and titles they carry.

Scrapy's sitemap parser drops the ``news:`` namespace, which is where news sitemaps keep the
publication date, title and language of each article; these parsers keep them. XML is parsed
with entity resolution and network access off.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass

from lxml import etree

_PARSER = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                          huge_tree=False, remove_comments=True)


@dataclass(frozen=True)
class Discovered:
    """A URL found in a feed or sitemap, with what the feed or sitemap says about it."""

    url: str
    published: str | None = None  # news:publication_date, or the feed item's date
    modified: str | None = None  # <lastmod> of a sitemap entry
    title: str | None = None
    language: str | None = None
    is_sitemap: bool = False  # a child sitemap of a sitemap index, not an article


def _root(body: bytes) -> etree._Element | None:
    if body[:2] == b"\x1f\x8b":  # sitemap.xml.gz served without Content-Encoding
        body = gzip.decompress(body)
    body = body.lstrip()
    if not body:
        return None
    try:
        return etree.fromstring(body, parser=_PARSER)
    except etree.XMLSyntaxError:
        return None


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element: etree._Element, *names: str) -> str | None:
    for child in element.iter():
        if _local(child.tag) in names and child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_sitemap(body: bytes) -> list[Discovered]:
    """URLs of a sitemap (with lastmod and news: data) or child sitemaps of a sitemap index."""
    root = _root(body)
    if root is None:
        return []
    kind = _local(root.tag)
    found = []
    for entry in root:
        name = _local(entry.tag)
        if name not in ("url", "sitemap"):
            continue
        loc = _child_text(entry, "loc")
        if not loc:
            continue
        news = next((c for c in entry if _local(c.tag) == "news"), None)
        found.append(Discovered(
            url=loc, modified=_child_text(entry, "lastmod"),
            published=_child_text(news, "publication_date") if news is not None else None,
            title=_child_text(news, "title") if news is not None else None,
            language=_child_text(news, "language") if news is not None else None,
            is_sitemap=(kind == "sitemapindex" or name == "sitemap")))
    return found


def parse_feed(body: bytes) -> list[Discovered]:
    """Items of an RSS 2.0 / RSS 1.0 feed or entries of an Atom feed."""
    root = _root(body)
    if root is None:
        return []
    found = []
    for item in root.iter():
        name = _local(item.tag)
        if name == "item":
            link = _child_text(item, "link") or _child_text(item, "guid")
            published = _child_text(item, "pubDate", "date", "published", "updated")
        elif name == "entry":
            link = _atom_link(item)
            published = _child_text(item, "published", "updated")
        else:
            continue
        if link:
            found.append(Discovered(url=link.strip(), published=published,
                                    title=_child_text(item, "title")))
    return found


def _atom_link(entry: etree._Element) -> str | None:
    links = [c for c in entry if _local(c.tag) == "link" and c.get("href")]
    preferred = [c for c in links if c.get("rel", "alternate") == "alternate"]
    chosen = (preferred or links)[:1]
    return chosen[0].get("href") if chosen else None
