"""Read feeds and sitemaps into article URLs with whatever dates and titles they carry.

Scrapy's sitemap parser drops the ``news:`` namespace, which is where news sitemaps keep the
publication date, title and language of each article; these parsers keep them.

A feed or sitemap is whatever a site chooses to send, so reading one is bounded (the limits are
settings, see :class:`SourceLimits`): a ``.gz`` body is inflated a step at a time and fed to a
pull parser that keeps one path of the tree in memory, never the document; a source stops at
once past its size or URL count, keeping the entries read so far (a sitemap's first 50,000
URLs), and the limit it hit is returned so the crawl reports the source as failed. XML is read
with entity resolution, DTD loading and network access off, ``huge_tree`` off (libxml2's own
caps on text nodes stay), and a document that declares entities (a billion-laughs bomb) is
refused before its first element is read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from scraper.errors import LimitExceeded
from scraper.extract.content_coding import decoded_chunks

_PARSER_OPTIONS: dict[str, Any] = {
    "recover": True, "resolve_entities": False, "no_network": True, "load_dtd": False,
    "huge_tree": False, "remove_comments": True, "remove_pis": True,
}
#: Bytes handed to the parser at a time when the body is not compressed.
_STEP = 256 * 1024
#: libxml2's cap on one text node when huge_tree is off (XML_MAX_TEXT_LENGTH).
LIBXML2_MAX_TEXT = 10_000_000
#: Longest date or language value read from an entry; a longer one is junk, ignored (parsing a
#: megabyte "date" costs about 0.4 s of CPU).
MAX_VALUE_CHARS = 256
#: Fields whose length has its own limit (URLs, titles), checked when the entry ends.
_OWN_LIMIT_FIELDS = frozenset({"loc", "link", "guid", "title"})
_SITEMAP_ENTRIES = frozenset({"url", "sitemap"})
_FEED_ENTRIES = frozenset({"item", "entry"})


@dataclass(frozen=True)
class Discovered:
    """A URL found in a feed or sitemap, with what the feed or sitemap says about it."""

    url: str
    published: str | None = None  # news:publication_date, or the feed item's date
    modified: str | None = None  # <lastmod> of a sitemap entry
    title: str | None = None
    language: str | None = None
    is_sitemap: bool = False  # a child sitemap of a sitemap index, not an article


@dataclass(frozen=True)
class SourceLimits:
    """Bounds on reading one feed or sitemap; each is a setting (settings.py, "Limits")."""

    max_bytes: int = 50 * 1024 * 1024  # SCRAPER_SOURCE_MAX_BYTES, after decompression
    max_urls: int = 50_000  # SCRAPER_SOURCE_MAX_URLS
    max_children: int = 1_000  # SCRAPER_SITEMAP_MAX_CHILDREN, per sitemap index
    max_url_length: int = 2_083  # SCRAPER_MAX_URL_LENGTH
    max_title_chars: int = 1_000  # SCRAPER_MAX_TITLE_CHARS
    max_depth: int = 32  # SCRAPER_XML_MAX_DEPTH
    max_site_urls: int = 100_000  # SCRAPER_SITE_MAX_URLS, articles scheduled per site crawl

    @classmethod
    def from_settings(cls, settings: Any) -> SourceLimits:
        return cls(max_bytes=settings.getint("SCRAPER_SOURCE_MAX_BYTES", cls.max_bytes),
                   max_urls=settings.getint("SCRAPER_SOURCE_MAX_URLS", cls.max_urls),
                   max_children=settings.getint("SCRAPER_SITEMAP_MAX_CHILDREN",
                                                cls.max_children),
                   max_url_length=settings.getint("SCRAPER_MAX_URL_LENGTH", cls.max_url_length),
                   max_title_chars=settings.getint("SCRAPER_MAX_TITLE_CHARS",
                                                   cls.max_title_chars),
                   max_depth=settings.getint("SCRAPER_XML_MAX_DEPTH", cls.max_depth),
                   max_site_urls=settings.getint("SCRAPER_SITE_MAX_URLS", cls.max_site_urls))


@dataclass
class SourceReading:
    """The entries of one source, and the first limit it went over (then it failed)."""

    found: list[Discovered] = field(default_factory=list)
    limit: LimitExceeded | None = None
    #: Entries left out because their URL is over SCRAPER_MAX_URL_LENGTH.
    dropped: int = 0


def read_sitemap(body: bytes, limits: SourceLimits | None = None) -> SourceReading:
    """URLs of a sitemap (with lastmod and news: data) or child sitemaps of a sitemap index."""
    return _read(body, _Entries(limits or SourceLimits(), sitemap=True))


def read_feed(body: bytes, limits: SourceLimits | None = None) -> SourceReading:
    """Items of an RSS 2.0 / RSS 1.0 feed or entries of an Atom feed."""
    return _read(body, _Entries(limits or SourceLimits(), sitemap=False))


def parse_sitemap(body: bytes) -> list[Discovered]:
    """:func:`read_sitemap` with the default limits, entries only."""
    return read_sitemap(body).found


def parse_feed(body: bytes) -> list[Discovered]:
    """:func:`read_feed` with the default limits, entries only."""
    return read_feed(body).found


def _chunks(body: bytes) -> Iterator[bytes]:
    if body[:2] == b"\x1f\x8b":  # sitemap.xml.gz served without Content-Encoding
        yield from decoded_chunks(body, "gzip")
        return
    view = memoryview(body)
    for start in range(0, len(body), _STEP):
        yield bytes(view[start:start + _STEP])


def _read(body: bytes, entries: _Entries) -> SourceReading:
    parser = etree.XMLPullParser(events=("start", "end"), **_PARSER_OPTIONS)
    limit, fed, started = None, 0, False
    try:
        for chunk in _chunks(body):
            fed += len(chunk)
            if fed > entries.limits.max_bytes:
                raise LimitExceeded("the document is larger than the limit once decompressed",
                                    "SCRAPER_SOURCE_MAX_BYTES", entries.limits.max_bytes)
            started = started or bool(chunk.strip())
            parser.feed(chunk)
            entries.handle(parser.read_events())
        if started:
            _close(parser, entries)
    except LimitExceeded as hit:
        limit = hit
    return SourceReading(entries.found, limit or entries.soft_limit, entries.dropped)


def _close(parser: etree.XMLPullParser, entries: _Entries) -> None:
    try:
        parser.close()
    except etree.XMLSyntaxError:
        return  # not XML at all: nothing found, as before
    entries.handle(parser.read_events())
    if entries.open_element is not None:  # recover mode closes what a cut document left open
        raise LimitExceeded(
            f"XML parsing stopped inside <{entries.open_element}> (a text node over libxml2's "
            "limit with huge_tree off, or bytes that are not XML); the entries before it "
            "were kept", "libxml2 XML_MAX_TEXT_LENGTH", LIBXML2_MAX_TEXT)


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


class _Entries:
    """Turns pull-parser events into :class:`Discovered`, dropping each element once read."""

    def __init__(self, limits: SourceLimits, sitemap: bool) -> None:
        self.limits = limits
        self.sitemap = sitemap
        self.names = _SITEMAP_ENTRIES if sitemap else _FEED_ENTRIES
        self.found: list[Discovered] = []
        self.soft_limit: LimitExceeded | None = None  # over-long URLs and titles: go on
        self.dropped = 0
        self.path: list[str] = []  # local names from the root to the current element
        self.root = ""
        self.entry: dict[str, Any] | None = None
        self.entry_depth = 0

    @property
    def open_element(self) -> str | None:
        return self.path[-1] if self.path else None

    def handle(self, events: Iterable[tuple[str, Any]]) -> None:
        for event, element in events:
            if event == "start":
                self._start(element)
            else:
                self._end(element)

    def _start(self, element: Any) -> None:
        name = _local(element.tag)
        self.path.append(name)
        depth = len(self.path)
        if depth > self.limits.max_depth:
            raise LimitExceeded(f"XML elements nested deeper than the limit (inside <{name}>)",
                                "SCRAPER_XML_MAX_DEPTH", self.limits.max_depth)
        if depth == 1:
            self.root = name
            _refuse_entities(element)
        if self.entry is None and name in self.names and (depth == 2 or not self.sitemap):
            self.entry, self.entry_depth = {}, depth

    def _end(self, element: Any) -> None:
        depth = len(self.path)
        name = self.path.pop()
        if self.entry is not None and depth == self.entry_depth:
            entry, self.entry = self.entry, None
            self._finish(name, entry)
        elif self.entry is not None:
            self._field(name, element, depth - self.entry_depth)
        parent = element.getparent()
        element.clear()
        if parent is not None:  # read and done with: only the current path stays in memory
            parent.remove(element)

    def _field(self, name: str, element: Any, below_entry: int) -> None:
        entry = self.entry
        assert entry is not None
        if name == "link" and below_entry == 1 and element.get("href"):
            entry.setdefault("links", []).append((element.get("rel", "alternate"),
                                                  element.get("href")))
        text = element.text.strip() if element.text else ""
        if not text or (name in ("loc", "lastmod") and below_entry != 1):
            return
        if len(text) > MAX_VALUE_CHARS and name not in _OWN_LIMIT_FIELDS:
            self._soft(LimitExceeded(f"a <{name}> value of {len(text):,} characters was ignored",
                                     "a fixed limit, characters", MAX_VALUE_CHARS))
            return
        in_news = "news" in self.path[self.entry_depth:]
        entry.setdefault(f"news:{name}" if in_news else name, text)

    def _finish(self, name: str, entry: dict[str, Any]) -> None:
        item = _sitemap_entry(name, entry, self.root) if self.sitemap else _feed_entry(entry)
        if item is None:
            return
        if len(item.url) > self.limits.max_url_length:
            self.dropped += 1
            self._soft(LimitExceeded(f"a URL of {len(item.url):,} characters was left out",
                                     "SCRAPER_MAX_URL_LENGTH", self.limits.max_url_length))
            return
        if item.title and len(item.title) > self.limits.max_title_chars:
            item = Discovered(item.url, item.published, item.modified,
                              item.title[:self.limits.max_title_chars], item.language,
                              item.is_sitemap)
            self._soft(LimitExceeded(f"a title was cut for {item.url}",
                                     "SCRAPER_MAX_TITLE_CHARS", self.limits.max_title_chars))
        self._check_count(item)
        self.found.append(item)

    def _check_count(self, item: Discovered) -> None:
        children = item.is_sitemap
        cap = self.limits.max_children if children else self.limits.max_urls
        if len(self.found) >= cap:
            listed = "sitemaps" if children else "URLs"
            raise LimitExceeded(f"lists more than the limit of {cap:,} {listed}; the first "
                                f"{cap:,} were kept",
                                "SCRAPER_SITEMAP_MAX_CHILDREN" if children
                                else "SCRAPER_SOURCE_MAX_URLS", cap)

    def _soft(self, hit: LimitExceeded) -> None:
        self.soft_limit = self.soft_limit or hit


def _refuse_entities(root: Any) -> None:
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.entities()):
        raise LimitExceeded("the document declares XML entities, refused: entity expansion is "
                            "how a billion-laughs document explodes",
                            "a fixed rule, not a setting", None)


def _sitemap_entry(name: str, entry: dict[str, Any], root: str) -> Discovered | None:
    loc = entry.get("loc")
    if not loc:
        return None
    return Discovered(url=loc, modified=entry.get("lastmod"),
                      published=entry.get("news:publication_date"),
                      title=entry.get("news:title"), language=entry.get("news:language"),
                      is_sitemap=(root == "sitemapindex" or name == "sitemap"))


def _feed_entry(entry: dict[str, Any]) -> Discovered | None:
    link = entry.get("link") or entry.get("guid") or _atom_link(entry.get("links", []))
    if not link:
        return None
    published = next((entry[k] for k in ("pubDate", "date", "published", "updated")
                      if k in entry), None)
    return Discovered(url=link.strip(), published=published, title=entry.get("title"))


def _atom_link(links: list[tuple[str, str]]) -> str | None:
    preferred = [href for rel, href in links if rel == "alternate"]
    chosen = preferred or [href for _, href in links]
    return chosen[0] if chosen else None
