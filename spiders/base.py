"""The spider every built-in site shares: feeds and news sitemaps first, section pages second.

A site module only says ``class Spider(NewsSiteSpider): site = SITE``. Discovery sources are
always fetched (they are how a recurring crawl learns what is new); sources sharing a ``group``
are candidates tried in order until one answers with items. Article URLs are canonicalized,
checked against the site's deny rules, filtered by ``--since`` on the dates the feed or sitemap
gives, and capped by ``--limit``. A URL a feed or news sitemap lists is fetched even when the
article pattern does not match it (the listing is the evidence; the miss is counted, so
``sites --check`` shows a stale pattern); links of section pages and plain sitemaps must match.
What discovery knew about an article (its source, date and title) travels in
``request.meta["warc_metadata"]``: the capture writes it into a WARC metadata record and the
extractor uses it. An article that cannot be fetched (blocked, refused, timed out) is kept as
discovered, not captured, with the reason.
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
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from scraper.crawl.blocking import DISCOVERY_REQUEST, BlockedResponse
from scraper.crawl.incremental import ALWAYS_FETCH, NotDue
from scraper.crawl.limits import limits_of
from scraper.crawl.not_captured import not_captured_of
from scraper.crawl.signals import TRUNCATED_FLAG
from scraper.crawl.warc_capture import WARC_METADATA_KEY as WARC_METADATA
from scraper.errors import LimitExceeded
from scraper.extract.dates import parse_date
from scraper.sites import SiteDefinition, Source, site_for_url
from scraper.sites.definition import ARTICLE_LISTS
from spiders import google_news
from spiders.discovery import Discovered, SourceLimits, SourceReading, read_feed, read_sitemap
from spiders.links import extract_links
from spiders.urls import OriginMap, canonical_url

#: Settings a site's ``politeness`` usually sets; logged per site when its crawl opens.
POLITENESS_KEYS = ("DOWNLOAD_DELAY", "CONCURRENT_REQUESTS_PER_DOMAIN", "AUTOTHROTTLE_ENABLED")
#: Pattern misses logged per site (the rest are only counted).
MAX_LOGGED_MISSES = 5


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
        self.pattern_misses = 0
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
        groups_started: set[str] = set()
        for source in self.site.sources:
            if source.group is not None:
                if source.group in groups_started:
                    continue  # a fallback: fetched only if the candidates before it fail
                groups_started.add(source.group)
            yield self._source_request(source)

    def _source_request(self, source: Source, priority: int = 10) -> scrapy.Request:
        # A source may be as large as the sitemap protocol allows (SCRAPER_SOURCE_MAX_BYTES),
        # downloaded or decompressed; past it the download is cut, or dropped by Scrapy.
        url = self.origins.local(source.url)
        self.sitemaps_seen.add(url)  # an index listing itself is not read twice
        return scrapy.Request(url, callback=self.parse_source, errback=self.source_failed,
                              cb_kwargs={"source": source}, dont_filter=True,
                              priority=priority, meta={
                                  ALWAYS_FETCH: True, DISCOVERY_REQUEST: True,
                                  "download_maxsize": self.source_limits.max_bytes})

    def _next_candidate(self, source: Source, why: str) -> Iterator[scrapy.Request]:
        """The source after ``source`` in its group, when ``source`` gave nothing."""
        if source.group is None or source not in self.site.sources:
            return
        self.crawler.stats.inc_value(f"discovery/{self.name}/candidates_failed")
        after = self.site.sources[self.site.sources.index(source) + 1:]
        following = next((s for s in after if s.group == source.group), None)
        self.logger.info("%s gave no items (%s)%s", source.url, why,
                         f"; trying {following.url}" if following else "")
        if following is not None:
            yield self._source_request(following)

    def source_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """A failed source: the next candidate of its group; a body that expands past the
        limit when its Content-Encoding is undone (dropped by Scrapy) is a limit failure."""
        source: Source = failure.request.cb_kwargs["source"]
        self.crawler.stats.inc_value(f"discovery/{self.name}/sources_failed")
        if failure.check(IgnoreRequest) and "DOWNLOAD_MAXSIZE" in str(failure.value):
            self._limit_reached(failure.request.url, LimitExceeded(
                "the body expands past the limit when its Content-Encoding is undone",
                "SCRAPER_SOURCE_MAX_BYTES", self.source_limits.max_bytes))
        yield from self._next_candidate(source, _failure_reason(failure))

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
        return scrapy.Request(url, callback=self.parse_article, errback=self.article_failed,
                              meta={WARC_METADATA: {"site": self.site.name,
                                                    "discovered-by": "recheck"}})

    def parse_source(self, response: Response, source: Source) -> Iterator[scrapy.Request]:
        top_level = source in self.site.sources
        reading = self._read_source(response, source)
        if reading.limit is not None:
            self._limit_reached(response.url, reading.limit)
        if reading.dropped:
            self.crawler.stats.inc_value(f"discovery/{self.name}/urls_too_long", reading.dropped)
        found = reading.found
        if not found:
            self.crawler.stats.inc_value(f"discovery/{self.name}/sources_empty")
            yield from self._next_candidate(source, "empty or not a feed")
            return
        # Counted only with items: a feed answering 200 with nothing in it is not working.
        self.crawler.stats.inc_value(
            f"discovery/{self.name}/{'sources' if top_level else 'child_sitemaps'}_fetched")
        for item in found:
            if len(self.scheduled) >= self.source_limits.max_site_urls:
                self._site_full(response.url)
                return
            if source.kind == "google-news":
                yield from self._resolve_google_news(item, response.url, source)
            else:
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
        elif source.kind in ("rss", "atom", "google-news"):
            reading = read_feed(response.body, limits)
        else:
            reading = read_sitemap(response.body, limits)
        if TRUNCATED_FLAG in response.flags and reading.limit is None:
            reading.limit = LimitExceeded(
                f"the download was cut at {len(response.body):,} bytes; the entries before the "
                "cut were kept", "SCRAPER_SOURCE_MAX_BYTES", limits.max_bytes)
        return reading

    def _resolve_google_news(self, item: Discovered, via: str,
                             source: Source) -> Iterator[scrapy.Request]:
        encoded = google_news.article_id(item.url)
        direct = google_news.decode_offline(encoded) if encoded else None
        if encoded is None or direct is not None:
            yield from self._follow(_with_url(item, direct or item.url), via, source)
            return
        # Newer ids: the article's Google News page holds what batchexecute needs.
        yield scrapy.Request(
            self.origins.local(f"https://{google_news.GOOGLE_NEWS_HOST}/rss/articles/{encoded}"),
            callback=self._google_news_page, errback=self._google_news_failed, priority=8,
            cb_kwargs={"item": item, "encoded": encoded, "via": via, "source": source},
            meta={ALWAYS_FETCH: True, DISCOVERY_REQUEST: True})

    def _google_news_page(self, response: Response, item: Discovered, encoded: str, via: str,
                          source: Source) -> Iterator[scrapy.Request]:
        params = google_news.decoding_params(response.body)
        if params is None:
            self._unresolved(item, via, "no decoding parameters on its Google News page")
            return
        yield scrapy.Request(
            self.origins.local(google_news.BATCH_EXECUTE), method="POST", priority=8,
            body=google_news.batch_execute_body(encoded, *params),
            headers={"Content-Type": "application/x-www-form-urlencoded;charset=UTF-8"},
            callback=self._google_news_resolved, errback=self._google_news_failed,
            cb_kwargs={"item": item, "encoded": encoded, "via": via, "source": source},
            dont_filter=True, meta={ALWAYS_FETCH: True, DISCOVERY_REQUEST: True})

    def _google_news_resolved(self, response: Response, item: Discovered, encoded: str,
                              via: str, source: Source) -> Iterator[scrapy.Request]:
        url = google_news.url_from_batch_execute(response.body)
        if url is None:
            self._unresolved(item, via, "batchexecute gave no URL")
            return
        yield from self._follow(_with_url(item, url), via, source)

    def _google_news_failed(self, failure: Failure) -> None:
        kwargs = failure.request.cb_kwargs
        self._unresolved(kwargs["item"], kwargs["via"], _failure_reason(failure))

    def _unresolved(self, item: Discovered, via: str, why: str) -> None:
        self.crawler.stats.inc_value(f"discovery/{self.name}/google_news_unresolved")
        self._not_captured(item.url, f"unresolved: {why}",
                           _metadata(self.site.name, via, "google-news", item))

    def _follow(self, item: Discovered, via: str, source: Source) -> Iterator[scrapy.Request]:
        url = self.origins.local(canonical_url(item.url, self.site.drop_params))
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
            yield self._source_request(Source(url, "sitemap", via), priority=5)
            return
        if self.site.is_denied(target) or not self._is_article(parts.path, url, source):
            self.crawler.stats.inc_value(f"discovery/{self.name}/not_followed")
            return
        if url in self.scheduled or (self.limit and len(self.scheduled) >= self.limit):
            return
        self.scheduled.add(url)
        self.crawler.stats.inc_value(f"discovery/{self.name}/articles_scheduled")
        yield scrapy.Request(url, callback=self.parse_article, errback=self.article_failed,
                             meta={WARC_METADATA: _metadata(self.site.name, via, source.kind,
                                                            item)})

    def _is_article(self, path: str, url: str, source: Source) -> bool:
        """Section pages and plain sitemaps list anything: the pattern decides. A feed or news
        sitemap lists articles: a URL outside the pattern is still fetched, and counted."""
        if not self.site.article_pattern or self.site.is_article(path):
            return True
        if source.kind not in ARTICLE_LISTS:
            return False
        self.pattern_misses += 1
        self.crawler.stats.inc_value(f"discovery/{self.name}/pattern_misses")
        if self.pattern_misses <= MAX_LOGGED_MISSES:
            self.logger.warning("%s lists %s, which %s's article pattern does not match "
                                "(fetched anyway; the pattern may be stale)",
                                source.url, url, self.name)
        return True

    def _belongs(self, url: str) -> bool:
        # A mirror URL stands for a real one (one mirror may serve several of the site's
        # hosts): ownership by host and path prefix is judged on the real URL.
        owners = (site_for_url(real) for real in self.origins.reals(url))
        return any(o is not None and o.name == self.site.name for o in owners)

    def parse_article(self, response: Response) -> Iterator[scrapy.Request]:
        """Article pages are captured and extracted by the extensions; nothing to follow."""
        if not isinstance(response, TextResponse):
            return
        yield from ()

    def article_failed(self, failure: Failure) -> None:
        request = failure.request
        if isinstance(failure.value, NotDue):
            return  # archived before, simply not due: nothing is missing
        self._not_captured(request.url, _failure_reason(failure),
                           request.meta.get(WARC_METADATA, {}))

    def _not_captured(self, url: str, reason: str, metadata: dict[str, Any]) -> None:
        log = not_captured_of(self.crawler)
        if log is not None:
            log.record(url, self.site.name, reason, metadata)


def _failure_reason(failure: Failure) -> str:
    """A short reason for a failed request: blocked (what was seen), http 404, timeout."""
    error = failure.value
    if isinstance(error, BlockedResponse):
        return error.reason
    if isinstance(error, HttpError):
        return f"http {error.response.status}"
    name = type(error).__name__
    return "timeout" if "Timeout" in name else f"{name}: {error}"[:200]


def _with_url(item: Discovered, url: str) -> Discovered:
    return Discovered(url=url, published=item.published, modified=item.modified,
                      title=item.title, language=item.language)


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
