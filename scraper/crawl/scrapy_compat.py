"""Every private Scrapy name this project relies on, in one place, checked at start-up.

Scrapy does not promise to keep its underscore names. Capturing exchanges at the socket, fail-closed
robots.txt and Crawl-delay floors need some of them, so they are all reached through this module:
the classes we subclass, the methods we override, the attributes we read. :data:`REQUIRED` lists
each one; :func:`require_scrapy_compat` (called before every crawl) and ``tests/test_scrapy_compat``
fail with a message naming what a Scrapy upgrade removed, instead of breaking a crawl silently.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import scrapy


@contextmanager
def _callers_without_source() -> Iterator[None]:
    """``inspect.stack()`` that gives the frames only, not their source lines.

    Scrapy's ``create_deprecated_class`` (three TLS classes, made when its HTTP/1.1 handler is
    imported) names each class' module from ``inspect.stack()[1][0]``, and ``inspect.stack()``
    first reads the source of every frame on the stack: 0.2 s of each crawl's start-up, about
    60 frames deep in our imports. Only the frames are used, so only they are given.
    """
    real = inspect.stack

    def frames_only(context: int = 1) -> list[tuple[Any]]:
        frames: list[tuple[Any]] = []
        frame: Any = sys._getframe(1)
        while frame is not None:
            frames.append((frame,))
            frame = frame.f_back
        return frames

    inspect.stack = frames_only  # type: ignore[assignment]
    try:
        yield
    finally:
        inspect.stack = real


with _callers_without_source():
    from scrapy.core.downloader.handlers import http11

from scrapy.core.downloader import Downloader  # noqa: E402  (after the TLS modules, above)
from scrapy.core.engine import ExecutionEngine  # noqa: E402
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware  # noqa: E402
from scrapy.extensions.throttle import AutoThrottle  # noqa: E402
from scrapy.utils import _download_handlers  # noqa: E402
from twisted.web.client import HTTPConnectionPool  # noqa: E402

#: The Scrapy release these names were read from (pinned in pyproject.toml).
TESTED_WITH = "2.19.0"

# Classes of Scrapy's HTTP/1.1 handler that the capturing handler subclasses.
HTTP11ClientProtocol = http11._LenientHTTP11ClientProtocol
HTTP11ClientFactory = http11._LenientHTTP11ClientFactory
ResponseReader = http11._ResponseReader
ScrapyAgent = http11._ScrapyAgent
check_stop_download = _download_handlers.check_stop_download
handler_logger = http11.logger
wrap_twisted_exceptions = _download_handlers.wrap_twisted_exceptions


@dataclass(frozen=True)
class PrivateName:
    """``owner.name`` must exist: as a class attribute, or assigned in ``owner.__init__``."""

    owner: Any
    name: str
    why: str

    def present(self) -> bool:
        if hasattr(self.owner, self.name):
            return True
        classes = inspect.getmro(self.owner) if inspect.isclass(self.owner) else ()
        return any(_assigns(cls, self.name) for cls in classes)

    def describe(self) -> str:
        owner = getattr(self.owner, "__qualname__", repr(self.owner))
        return f"{owner}.{self.name} ({self.why})"


def _assigns(cls: type, name: str) -> bool:
    """Whether ``cls.__init__`` itself assigns ``self.<name>``."""
    init = cls.__dict__.get("__init__")
    try:
        return init is not None and f"self.{name}" in inspect.getsource(init)
    except (OSError, TypeError):
        return False


REQUIRED: tuple[PrivateName, ...] = (
    PrivateName(http11, "_LenientHTTP11ClientProtocol", "records the raw request and head"),
    PrivateName(http11, "_LenientHTTP11ClientFactory", "builds the recording protocol"),
    PrivateName(http11, "_ResponseReader", "truncates at DOWNLOAD_MAXSIZE instead of dropping"),
    PrivateName(http11, "_ScrapyAgent", "keeps the exchange for the WARC"),
    PrivateName(_download_handlers, "check_stop_download", "headers_received handling"),
    PrivateName(_download_handlers, "wrap_twisted_exceptions", "Scrapy's download errors"),
    PrivateName(http11.HTTP11DownloadHandler, "_pool", "the connection pool's factory"),
    PrivateName(HTTPConnectionPool, "_factory", "Twisted's pool builds our protocol"),
    PrivateName(http11.HTTP11DownloadHandler, "_contextFactory", "TLS context for our agent"),
    PrivateName(http11.HTTP11DownloadHandler, "_bind_address", "agent argument"),
    PrivateName(http11.HTTP11DownloadHandler, "_default_maxsize", "agent argument"),
    PrivateName(http11.HTTP11DownloadHandler, "_default_warnsize", "agent argument"),
    PrivateName(http11.HTTP11DownloadHandler, "_fail_on_dataloss", "agent argument"),
    PrivateName(http11.HTTP11DownloadHandler, "_crawler", "agent argument"),
    PrivateName(http11.HTTP11DownloadHandler, "_tls_verbose_logging", "agent argument"),
    PrivateName(http11._LenientHTTP11ClientFactory, "_quiescentCallback", "protocol argument"),
    PrivateName(http11._ScrapyAgent, "_cb_bodyready", "overridden: read up to the limit"),
    PrivateName(http11._ScrapyAgent, "_cb_bodydone", "overridden: keep the exchange"),
    PrivateName(http11._ScrapyAgent, "_headers_from_twisted_response", "headers_received"),
    PrivateName(http11._ScrapyAgent, "_cancel", "cancelling a body read"),
    PrivateName(http11._ScrapyAgent, "_cb_timeout", "overridden: keep a body cut by time"),
    PrivateName(http11._ScrapyAgent, "_maxsize", "DOWNLOAD_MAXSIZE per agent"),
    PrivateName(http11._ScrapyAgent, "_warnsize", "DOWNLOAD_WARNSIZE per agent"),
    PrivateName(http11._ResponseReader, "_finish_response", "ends a truncated body"),
    PrivateName(http11._ResponseReader, "_bodybuf", "the body received so far"),
    PrivateName(http11._ResponseReader, "_bytes_received", "size received so far"),
    PrivateName(http11._ResponseReader, "_maxsize", "the size limit"),
    PrivateName(http11._ResponseReader, "_finished", "the body deferred"),
    PrivateName(http11._ResponseReader, "_txresponse", "aborting the connection"),
    PrivateName(http11._ResponseReader, "_request", "the URL in the warning"),
    PrivateName(RobotsTxtMiddleware, "_parsers", "fail-closed parser per host"),
    PrivateName(RobotsTxtMiddleware, "_parse_robots", "overridden: 5xx means disallow"),
    PrivateName(RobotsTxtMiddleware, "_robots_error", "overridden: unreachable means disallow"),
    PrivateName(RobotsTxtMiddleware, "_stats", "robots.txt counters"),
    PrivateName(RobotsTxtMiddleware, "_parserimpl", "parsing a robots.txt another worker fetched"),
    PrivateName(RobotsTxtMiddleware, "_robotstxt_useragent", "Crawl-delay lookup"),
    PrivateName(RobotsTxtMiddleware, "_default_useragent", "Crawl-delay lookup"),
    PrivateName(AutoThrottle, "_response_downloaded", "overridden: Crawl-delay floor"),
    PrivateName(AutoThrottle, "_get_slot", "the slot AutoThrottle adjusts"),
    PrivateName(Downloader, "_get_slot", "per-host delay for Crawl-delay and Retry-After"),
    PrivateName(ExecutionEngine, "_slot", "resuming at once after extraction backpressure"),
)


def missing_private_names() -> list[str]:
    """What the installed Scrapy lacks of :data:`REQUIRED` (empty when all is there)."""
    return [name.describe() for name in REQUIRED if not name.present()]


def require_scrapy_compat() -> None:
    """Raise RuntimeError naming every private Scrapy name the installed Scrapy lacks."""
    missing = missing_private_names()
    if missing:
        raise RuntimeError(
            f"Scrapy {scrapy.__version__} lacks names this crawler needs (tested with Scrapy "
            f"{TESTED_WITH}; install that version or update scraper/crawl/scrapy_compat.py): "
            + "; ".join(missing))


def downloader_slot(crawler: Any, request: Any) -> tuple[str, Any]:
    """(slot key, slot) of the downloader slot that ``request`` goes through."""
    key, slot = crawler.engine.downloader._get_slot(request)
    return str(key), slot


def wake_engine(engine: Any) -> None:
    """Make a just-unpaused engine schedule its next request now, not at its next heartbeat."""
    slot = getattr(engine, "_slot", None)
    if slot is not None:
        slot.nextcall.schedule()


def robots_parsers(middleware: RobotsTxtMiddleware) -> dict[str, Any]:
    """The robots.txt middleware's parser (or pending Deferred) per netloc."""
    return middleware._parsers


def robots_parser_class(middleware: RobotsTxtMiddleware) -> Any:
    """The robots.txt parser class the middleware builds its parsers with."""
    return middleware._parserimpl


def set_protocol_factory(handler: Any, factory: type) -> None:
    """Make the handler's connection pool build ``factory`` protocols."""
    handler._pool._factory = factory
