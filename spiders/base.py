"""The spider every built-in site shares: feeds and news sitemaps first, section pages second.

A site module only says ``class Spider(NewsSiteSpider): site = SITE``. Discovery sources are
always fetched (they are how a recurring crawl learns what is new); article URLs are
canonicalized, checked against the site's deny and article patterns, filtered by ``--since``
on the dates the feed or sitemap gives, and capped by ``--limit``. What discovery knew about an
article (its source, news-sitemap date and title) travels in ``request.meta["warc_metadata"]``:
the capture writes it into a WARC metadata record and the extractor uses it as a date source.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from scraper.crawl.download_handler import TRUNCATED_FLAG
from scraper.crawl.incremental import ALWAYS_FETCH
from scraper.crawl.limits import limits_of
from scraper.crawl.warc_capture import WARC_METADATA_KEY as WARC_METADATA
from scraper.errors import LimitExceeded
from scraper.extract.dates import parse_date
from scraper.sites import SiteDefinition, Source, site_for_url
from spiders.discovery import Discovered, SourceLimits, SourceReading, read_feed, read_sitemap
from spiders.links import extract_links
from spiders.urls import OriginMap, canonical_url

#: Settings a site's ``politeness`` usually sets; logged per site when its crawl opens.
POLITENESS_KEYS = ("DOWNLOAD_DELAY", "CONCURRENT_REQUESTS_PER_DOMAIN", "AUTOTHROTTLE_ENABLED")


class NewsSiteSpider(scrapy.Spider):
    site: ClassVar[SiteDefinition]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if getattr(cls, "site", None) is not None:
            cls.name = cls.site.name
            cls.custom_settings = {"WARC_PREFIX": cls.site.name, **cls.site.politeness}

    def __init__(self, limit: int | str = 0, since: datetime | str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.limit = int(limit)
        self.since = _aware(parse_date(since) if isinstance(since, str) else since)
        self.scheduled: set[str] = set()
        self.sitemaps_seen: set[str] = set()
        self.site_full_reported = False

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> NewsSiteSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.origins = OriginMap(crawler.settings.getdict("SCRAPER_ORIGIN_OVERRIDES"))
        spider.source_limits = SourceLimits.from_settings(crawler.settings)
        crawler.signals.connect(spider._log_politeness, signal=signals.spider_opened)
        return spider

    def _log_politeness(self, spider: Any) -> None:
        settings = self.crawler.settings
        effective = ", ".join(f"{key}={settings.get(key)}" for key in POLITENESS_KEYS)
        self.logger.info("Politeness for %s: %s", self.name, effective)

    @property
    def site_name(self) -> str:
        return self.site.name

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.site.sources:
            yield self._source_request(self.origins.local(source.url), source, priority=10)

    def _source_request(self, url: str, source: Source, priority: int) -> scrapy.Request:
        # A source may be as large as the sitemap protocol allows (SCRAPER_SOURCE_MAX_BYTES),
        # downloaded or decompressed; past it the download is cut, or dropped by Scrapy.
        self.sitemaps_seen.add(url)  # an index listing itself is not read twice
        return scrapy.Request(url, callback=self.parse_source, errback=self.source_failed,
                              cb_kwargs={"source": source}, dont_filter=True,
                              priority=priority, meta={
                                  ALWAYS_FETCH: True,
                                  "download_maxsize": self.source_limits.max_bytes})

    def source_failed(self, failure: Failure) -> Failure | None:
        """A source dropped because its body expands too far is a limit failure of that source.

        Every other download error goes on to Scrapy's logging and counting, as without an
        errback.
        """
        if failure.check(IgnoreRequest) and "DOWNLOAD_MAXSIZE" in str(failure.value):
            self._limit_reached(failure.request.url, LimitExceeded(  # type: ignore[attr-defined]
                "the body expands past the limit when its Content-Encoding is undone",
                "SCRAPER_SOURCE_MAX_BYTES", self.source_limits.max_bytes))
            return None
        return failure

    def _limit_reached(self, url: str, limit: LimitExceeded) -> None:
        report = limits_of(self.crawler)
        if report is not None:
            report.exceeded(url, str(limit))
        else:  # no report component installed: still never silent
            self.crawler.stats.inc_value("limits/failed")
            self.logger.warning("Limit reached, %s failed: %s", url, limit)

    def owns_url(self, url: str) -> bool:
        """Whether a URL is this site's (re-checks of incremental runs are filtered by it)."""
        return self._belongs(url)

    def recheck_request(self, url: str) -> scrapy.Request | None:
        """The request that fetches an archived article again (None: already scheduled)."""
        if url in self.scheduled:
            return None
        self.scheduled.add(url)
        return scrapy.Request(url, callback=self.parse_article,
                              meta={WARC_METADATA: {"site": self.site.name,
                                                    "discovered-by": "recheck"}})

    def parse_source(self, response: Response, source: Source) -> Iterator[scrapy.Request]:
        top_level = source in self.site.sources
        self.crawler.stats.inc_value(
            f"discovery/{self.name}/{'sources' if top_level else 'child_sitemaps'}_fetched")
        reading = self._read_source(response, source)
        if reading.limit is not None:
            self._limit_reached(response.url, reading.limit)
        if reading.dropped:
            self.crawler.stats.inc_value(f"discovery/{self.name}/urls_too_long", reading.dropped)
        for item in reading.found:
            if len(self.scheduled) >= self.source_limits.max_site_urls:
                self._site_full(response.url)
                return
            yield from self._follow(item, response.url, source)

    def _site_full(self, url: str) -> None:
        """A site's sources together may list at most SCRAPER_SITE_MAX_URLS articles."""
        if not self.site_full_reported:
            self.site_full_reported = True
            cap = self.source_limits.max_site_urls
            self._limit_reached(url, LimitExceeded(
                f"the site's sources list more than the limit of {cap:,} articles; the first "
                f"{cap:,} were scheduled", "SCRAPER_SITE_MAX_URLS", cap))

    def _read_source(self, response: Response, source: Source) -> SourceReading:
        limits = self.source_limits
        if source.kind == "section":
            links = extract_links(response.body, response.url,
                                  getattr(response, "encoding", "utf-8"))
            reading = SourceReading([Discovered(u) for u in links[:limits.max_urls]])
            if len(links) > limits.max_urls:
                reading.limit = LimitExceeded(
                    f"links to more than the limit of {limits.max_urls:,} URLs; the first "
                    f"{limits.max_urls:,} were kept", "SCRAPER_SOURCE_MAX_URLS", limits.max_urls)
        elif source.kind in ("rss", "atom"):
            reading = read_feed(response.body, limits)
        else:
            reading = read_sitemap(response.body, limits)
        if TRUNCATED_FLAG in response.flags and reading.limit is None:
            reading.limit = LimitExceeded(
                f"the download was cut at {len(response.body):,} bytes; the entries before the "
                "cut were kept", "SCRAPER_SOURCE_MAX_BYTES", limits.max_bytes)
        return reading

    def _follow(self, item: Discovered, via: str, source: Source) -> Iterator[scrapy.Request]:
        url = self.origins.local(canonical_url(item.url))
        if not self._belongs(url):
            return
        dated = item.published or item.modified
        published = _aware(parse_date(dated)) if dated else None
        if self.since and published and published < self.since:
            self.crawler.stats.inc_value(f"discovery/{self.name}/older_than_since")
            return
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if item.is_sitemap:
            if url in self.sitemaps_seen or self.site.is_denied(target):
                return  # an index listing itself, children repeating, or a denied one
            self.sitemaps_seen.add(url)
            yield self._source_request(url, Source(url, "sitemap", via), priority=5)
            return
        # Feeds and news sitemaps list articles; section pages and plain sitemaps list anything.
        listed_anything = source.kind in ("section", "sitemap", "sitemap-index")
        if self.site.is_denied(target) or (listed_anything and self.site.article_pattern
                                           and not self.site.is_article(parts.path)):
            self.crawler.stats.inc_value(f"discovery/{self.name}/not_followed")
            return
        if url in self.scheduled or (self.limit and len(self.scheduled) >= self.limit):
            return
        self.scheduled.add(url)
        self.crawler.stats.inc_value(f"discovery/{self.name}/articles_scheduled")
        yield scrapy.Request(url, callback=self.parse_article, meta={
            WARC_METADATA: _metadata(self.site.name, via, source.kind, item)})

    def _belongs(self, url: str) -> bool:
        if self.origins.is_mirror(url):
            return True
        owner = site_for_url(url)  # the most specific domain wins: english.x.com over x.com
        return owner is not None and owner.name == self.site.name

    def parse_article(self, response: Response) -> Iterator[scrapy.Request]:
        """Article pages are captured and extracted by the extensions; nothing to follow."""
        if not isinstance(response, TextResponse):
            return
        yield from ()


def _aware(moment: datetime | None) -> datetime | None:
    """Dates without a zone are taken as UTC, so they compare with --since."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def _metadata(site: str, via: str, kind: str, item: Discovered) -> dict[str, str]:
    fields = {"site": site, "via": via, "discovered-by": kind}
    if item.published:
        fields["discovered-published"] = item.published
    if item.modified:
        fields["discovered-modified"] = item.modified
    if item.title:
        fields["discovered-title"] = " ".join(item.title.split())
    if item.language:
        fields["discovered-language"] = item.language
    return fields
