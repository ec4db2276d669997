"""The offline demo: a small bundled news site on 127.0.0.1, crawled with the whole pipeline.

The site (``scraper/demo_site/``, package data) is pages we wrote: a home page, three English
and three Arabic articles (one paywalled), an RSS feed, a news sitemap and robots.txt. Feeds,
sitemaps and robots.txt name absolute URLs, which depend on the port the server got, so they
hold ``{{origin}}`` and the server fills it in as it serves them.

``run_demo`` serves the site, crawls it from its home page (``--url``, the generic spider:
links are followed, every exchange goes to WARC, articles are extracted and cataloged) and
returns the run's outcome with the article records, so the first command a new user types needs
no network and no choice of site.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from scraper.crawl.job import JobOutcome, run_job
from scraper.crawl.options import CrawlOptions
from scraper.errors import UsageError
from scraper.extract.record import ArticleRecord
from scraper.store.collection import Collection

HOST = "127.0.0.1"
#: A fixed port by default: the archived URLs include it, so a second demo run into the same
#: folder captures the same URLs again (new versions, not new articles).
DEFAULT_PORT = 8642
ORIGIN_PLACEHOLDER = b"{{origin}}"
#: Files whose absolute URLs name the server's origin.
TEMPLATED_SUFFIXES = (".xml", ".txt")


def demo_site() -> Traversable:
    """The bundled demo site's folder (package data)."""
    return files("scraper").joinpath("demo_site")


def demo_articles() -> list[dict[str, Any]]:
    """What the demo site publishes: path, lang, title, date, free (its ``articles.json``)."""
    listed: list[dict[str, Any]] = json.loads(
        demo_site().joinpath("articles.json").read_text(encoding="utf-8"))
    return listed


class _DemoSiteHandler(BaseHTTPRequestHandler):
    server_version = "mena-scraper-demo"

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        body, content_type = self._lookup(unquote(urlsplit(self.path).path))
        if body is None:
            self.send_error(404, "not in the demo site")
            return
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _lookup(self, path: str) -> tuple[bytes | None, str]:
        parts = [p for p in path.split("/") if p]
        if any(p in (".", "..") or p.startswith(".") for p in parts):
            return None, ""
        target = demo_site()
        for part in parts or ["index.html"]:
            target = target.joinpath(part)
        if target.is_dir():
            target = target.joinpath("index.html")
        if not target.is_file():
            return None, ""
        body = target.read_bytes()
        if target.name.endswith(TEMPLATED_SUFFIXES):
            address = self.server.server_address
            assert isinstance(address, tuple)  # an AF_INET server's address is (host, port)
            origin = f"http://{HOST}:{address[1]}".encode()
            body = body.replace(ORIGIN_PLACEHOLDER, origin)
        guessed = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        charset = "; charset=utf-8" if guessed.startswith("text/") or guessed.endswith("xml") \
            else ""
        return body, guessed + charset

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the crawl's own log says what was fetched."""


@contextmanager
def serve_demo_site(port: int = 0) -> Iterator[str]:
    """Serve the demo site on 127.0.0.1 (``port`` 0: any free port); yield its origin URL.

    Raises:
        UsageError: the port is taken.
    """
    try:
        server = ThreadingHTTPServer((HOST, port), _DemoSiteHandler)
    except OSError as error:
        raise UsageError(f"cannot serve the demo site on {HOST}:{port} ({error.strerror}): "
                         "pass another --port, or --port 0 for any free one") from error
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="demo-site", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class DemoOutcome:
    """The crawl's outcome, where the site was served, and the collection's article records."""

    job: JobOutcome
    origin: str
    articles: list[ArticleRecord]


def run_demo(data_dir: Path, recover: Callable[[Path], object], port: int = DEFAULT_PORT,
             progress: bool = False, log_level: str = "WARNING") -> DemoOutcome:
    """Serve the demo site, crawl it into ``data_dir`` with extraction on, return the outcome.

    ``recover`` runs under the collection's lock before the crawl, as for ``scraper crawl``.

    Raises what ``run_job`` raises (LockedError when another run holds ``data_dir``,
    StorageError when it cannot be written).
    """
    from scraper.store.catalog import CATALOG_NAME

    with serve_demo_site(port) as origin:
        options = CrawlOptions(
            data_dir=data_dir, url=origin + "/", allowed_hosts=(HOST,), delay=0,
            log_level=log_level, progress=progress)
        job = run_job(options, recover)
    records: list[ArticleRecord] = []
    if (data_dir / CATALOG_NAME).exists():
        records = list(Collection(data_dir).articles())
    return DemoOutcome(job, origin, records)
