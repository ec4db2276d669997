"""Run a crawl in this process: settings in, WARC files and a result summary out."""

from __future__ import annotations

import logging
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from scraper.crawl.catalog_extension import catalog_of
from scraper.crawl.extraction_extension import ArticleExtractionExtension
from scraper.crawl.limits import limits_of
from scraper.crawl.not_captured import not_captured_of
from scraper.crawl.options import CrawlOptions
from scraper.crawl.safety import host_forms, refusal_reason
from scraper.crawl.scrapy_compat import require_scrapy_compat
from scraper.crawl.setting_checks import check_overrides
from scraper.crawl.warc_capture import WarcCaptureExtension
from scraper.errors import StorageError, UsageError
from scraper.project import project_settings

#: Finish reasons of a crawl stopped before its end (SIGTERM, Ctrl-C): exit 1, not a success.
INTERRUPTED_REASONS = frozenset({"shutdown"})

#: Name of the spider that crawls any site from a start URL (``--url``).
GENERIC_SPIDER = "generic"


@dataclass
class CrawlResult:
    """Totals over every crawler of the run (one per site)."""

    pages: int
    exchanges: int
    warc_bytes: int
    warc_files: list[Path]
    finish_reasons: dict[str, str]
    stats: dict[str, Any]
    per_spider: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Discovered URLs not captured, with the reason (see scraper/crawl/not_captured.py).
    not_captured: list[dict[str, str]] = field(default_factory=list)
    #: Failures that lost derived data (article records not stored): the run is not a success.
    errors: list[str] = field(default_factory=list)
    #: Sources and pages over a limit (settings.py, "Limits"): failed, the run goes on (exit 1).
    limit_failures: list[str] = field(default_factory=list)

    @property
    def finish_reason(self) -> str:
        reasons = set(self.finish_reasons.values())
        return reasons.pop() if len(reasons) == 1 else ", ".join(
            f"{name}: {reason}" for name, reason in self.finish_reasons.items())

    @property
    def articles(self) -> int:
        return int(self.stats.get("extract/article", 0))

    @property
    def failed(self) -> bool:
        return any(r != "finished" and r not in INTERRUPTED_REASONS
                   for r in self.finish_reasons.values())

    @property
    def interrupted(self) -> bool:
        return any(r in INTERRUPTED_REASONS for r in self.finish_reasons.values())


def check_start_url(url: str, allow_private: bool, allowed: tuple[str, ...] = (),
                    max_length: int = 2083) -> None:
    """Raise UsageError unless ``url`` is an absolute http(s) URL we may fetch.

    ``max_length`` is ``URLLENGTH_LIMIT``: Scrapy drops a longer start URL with an INFO line.
    """
    shown = url if len(url) <= 100 else f"{url[:80]}...({len(url)} characters)"
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port out of range or not a number
    except ValueError as error:
        raise UsageError(f"not a valid URL: {shown!r} ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"not an http(s) URL: {shown!r} (example: https://www.aljazeera.com/)")
    if max_length and len(url) > max_length:
        raise UsageError(f"the start URL is {len(url)} characters long, over URLLENGTH_LIMIT "
                         f"({max_length}): {shown!r}")
    reason = refusal_reason(url, allow_private,
                            frozenset(form for host in allowed for form in host_forms(host)))
    if reason:
        raise UsageError(f"refusing {url}: {reason}")


def check_options(options: CrawlOptions) -> list[str]:
    """Raise UsageError for what would fail later inside the crawl; return warnings.

    Called before the run starts (no lock, no manifest): a bad start URL or ``-s`` value is a
    usage error, an unknown ``-s`` name a warning.
    """
    warnings = check_overrides(options.overrides, project_settings())
    if options.url:
        check_start_url(options.url, options.allow_private, options.allowed_hosts,
                        build_settings(options).getint("URLLENGTH_LIMIT"))
    return warnings


def build_settings(options: CrawlOptions) -> Settings:
    settings = project_settings()
    values: dict[str, Any] = {
        "SCRAPER_DATA_DIR": str(options.data_dir),
        "SCRAPER_COLLECTION": options.data_dir.resolve().name,
        "SCRAPER_ALLOW_PRIVATE": options.allow_private,
        "SCRAPER_ALLOWED_PRIVATE_HOSTS": list(options.allowed_hosts),
        "WARC_REDACT_SECRETS": options.redact_secrets,
        "LOG_LEVEL": options.log_level,
        "EXTRACT_ENABLED": options.extract,
        "SCRAPER_INCREMENTAL": options.incremental,
        "SCRAPER_RUN_ID": options.run_id,
        "SCRAPER_PROGRESS": options.progress,
    }
    if options.recheck_after:
        values["SCRAPER_RECHECK_AFTER"] = options.recheck_after
    if options.operator:
        values["SCRAPER_OPERATOR"] = options.operator
    if options.contact_url:
        values["USER_AGENT"] = settings["USER_AGENT"].replace(
            settings["SCRAPER_CONTACT_URL"], options.contact_url)
    if options.concurrency:
        values["CONCURRENT_REQUESTS"] = max(options.concurrency, 1)
        values["CONCURRENT_REQUESTS_PER_DOMAIN"] = max(options.concurrency, 1)
    if options.delay is not None:
        values["DOWNLOAD_DELAY"] = options.delay
        values["AUTOTHROTTLE_ENABLED"] = options.delay > 0
    if options.log_file:
        values["LOG_FILE"] = str(options.log_file)
        values["LOG_LEVEL"] = "INFO"  # the file gets everything; stderr keeps warnings
    values.update(options.settings)
    values.update(options.overrides)
    settings.setdict(values, priority="cmdline")
    return settings


def run_crawl(options: CrawlOptions) -> CrawlResult:
    """Crawl the URL or the sites into ``options.data_dir``; blocks until every crawl ends."""
    require_scrapy_compat()
    targets = _targets(options)
    _check_writable(options.data_dir)
    settings = build_settings(options)
    process = CrawlerProcess(settings)
    if options.log_file:
        _warnings_to_stderr()
    queues = _disk_queues(settings, options.data_dir)
    crawlers = []
    for spider_name, arguments in targets:
        crawler = process.create_crawler(spider_name)
        if queues is not None:  # one folder per crawler: a built-in site's spider is the site
            crawler.settings.set("JOBDIR", str(queues / spider_name))
        process.crawl(crawler, **arguments)
        crawlers.append(crawler)
    try:
        process.start()
    finally:
        if queues is not None:
            shutil.rmtree(queues, ignore_errors=True)
    return _result(crawlers)


#: Where the waiting requests of a standalone crawl are kept (SCRAPER_DISK_QUEUE).
QUEUE_DIR = ".queue"


def _disk_queues(settings: Settings, data_dir: Path) -> Path | None:
    """DATA/.queue, emptied of what a killed run left (the run lock keeps any other crawl of
    this folder out), or None when requests stay in memory."""
    if not settings.getbool("SCRAPER_DISK_QUEUE") or settings.get("DISTRIBUTED_JOB"):
        return None
    queues = data_dir / QUEUE_DIR
    shutil.rmtree(queues, ignore_errors=True)
    return queues


def _warnings_to_stderr() -> None:
    """Scrapy logs to LOG_FILE alone; warnings and errors should still reach the terminal."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    logging.getLogger().addHandler(handler)


def _targets(options: CrawlOptions) -> list[tuple[str, dict[str, Any]]]:
    """(spider name, spider arguments) per crawler; a site's spider carries the site's name."""
    if options.url:
        check_start_url(options.url, options.allow_private, options.allowed_hosts,
                        build_settings(options).getint("URLLENGTH_LIMIT"))
        return [(GENERIC_SPIDER, {"url": options.url, "limit": options.limit})]
    return [(name, {"limit": options.limit, "since": options.since}) for name in options.sites]


def site_key(crawler: Any) -> str:
    """The name a crawler's site goes by in manifests and the catalog (one key everywhere)."""
    spider = crawler.spider
    return str(getattr(spider, "site_name", None) or getattr(spider, "name", None) or "?")


def _result(crawlers: list[Any]) -> CrawlResult:
    totals: dict[str, Any] = {}
    files: list[Path] = []
    reasons: dict[str, str] = {}
    per_spider: dict[str, dict[str, Any]] = {}
    errors: list[str] = []
    limit_failures: list[str] = []
    missing: list[dict[str, str]] = []
    for crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        key = site_key(crawler)
        per_spider[key] = stats
        for name, value in stats.items():
            if isinstance(value, int) and not isinstance(value, bool):
                totals[name] = totals.get(name, 0) + value
        capture = crawler.get_extension(WarcCaptureExtension)
        if capture is not None and capture.failure is not None:
            raise StorageError(f"{capture.failure}")
        catalog = catalog_of(crawler)
        if catalog is not None and getattr(catalog, "failure", None) is not None:
            raise StorageError(f"{catalog.failure}")
        files += list(capture.writer.closed_files) if capture else []
        extraction = crawler.get_extension(ArticleExtractionExtension)
        errors += [f"{key}: {e}" for e in (extraction.write_errors if extraction else [])]
        limits = limits_of(crawler)
        limit_failures += [f"{key}: {m}" for m in (limits.messages if limits else [])]
        reasons[key] = str(stats.get("finish_reason", "unknown"))
        log = not_captured_of(crawler)
        missing += log.entries if log else []
    return CrawlResult(
        pages=totals.get("response_received_count", 0),
        exchanges=totals.get("warc/exchanges", 0),
        warc_bytes=totals.get("warc/bytes", 0),
        warc_files=files, finish_reasons=reasons, stats=totals, per_spider=per_spider,
        errors=errors, limit_failures=limit_failures, not_captured=missing)


def _check_writable(data_dir: Path) -> None:
    try:
        (data_dir / "warc").mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(f"cannot create {data_dir / 'warc'}: {error.strerror}") from error
