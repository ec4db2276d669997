"""A one-line progress display on a terminal: pages fetched, articles extracted, rate, per site.

Only when stderr is a TTY and ``--quiet`` is off (``SCRAPER_PROGRESS``); cron jobs and pipes get
nothing but warnings and the final summary line.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_SHOWN: list[ProgressDisplay] = []  # every crawler of the process shares one line
_LOOP: task.LoopingCall | None = None


class ProgressDisplay:
    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("SCRAPER_PROGRESS"):
            raise NotConfigured
        self.crawler = crawler
        self.started = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ProgressDisplay:
        display = cls(crawler)
        crawler.signals.connect(display.engine_started, signal=signals.engine_started)
        crawler.signals.connect(display.spider_closed, signal=signals.spider_closed)
        return display

    def engine_started(self) -> None:
        global _LOOP
        _SHOWN.append(self)
        if _LOOP is None:
            _LOOP = task.LoopingCall(_draw)
            _LOOP.start(1.0, now=False)

    def spider_closed(self, spider: Any) -> None:
        global _LOOP
        if self in _SHOWN:
            _SHOWN.remove(self)
        if not _SHOWN and _LOOP is not None:
            _LOOP.stop()
            _LOOP = None
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()

    def part(self) -> str:
        stats = self.crawler.stats.get_stats()
        pages = stats.get("response_received_count", 0)
        rate = pages / max(time.monotonic() - self.started, 1e-6)
        name = self.crawler.spider.name if self.crawler.spider else "?"
        return f"{name}: {pages} pages, {stats.get('extract/article', 0)} articles, {rate:.1f}/s"


def _draw() -> None:
    line = " | ".join(display.part() for display in _SHOWN)
    sys.stderr.write("\r\033[K" + line[:200])
    sys.stderr.flush()
