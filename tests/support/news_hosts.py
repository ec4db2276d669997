"""A news site on several loopback hosts (127.0.0.1, 127.0.0.2, ...) that logs what it serves.

Laid out like a built-in site (al-monitor's ``/rss`` and ``/sitemap.xml``): the first host
serves the feed and the sitemap index, which lists one child sitemap per host, each listing
that host's articles (``/originals/2026/11/story-<host>-<n>``). Every request is logged with
its host, path and start/end times, so tests can check what all workers together did to each
host: fetches per URL, gaps between requests, requests at once. Pages written here.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

REAL_ORIGINS = ("https://www.al-monitor.com", "https://al-monitor.com",
                "http://www.al-monitor.com")
PARAGRAPH = ("The port authority said on Tuesday that the new berth would open in spring, and "
             "fishermen asked for the old quay to stay open for their boats. ")


@dataclass
class Hit:
    host: str
    path: str
    start: float
    end: float = 0.0


@dataclass
class SiteConfig:
    articles_per_host: int = 150
    latency: float = 0.0
    crawl_delay: float | None = None
    always_failing: set[str] = field(default_factory=set)
    #: host index -> status its robots.txt answers (default 200)
    robots_status: dict[int, int] = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    server: _HostServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        hit = self.server.site.begin(self.server.host_index, self.path)
        try:
            status, body, kind = self.server.site.answer(self.server.host_index, self.path)
            if self.server.site.config.latency:
                time.sleep(self.server.site.config.latency)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        finally:
            self.server.site.end(hit)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _HostServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: str, site: NewsHosts, index: int) -> None:
        super().__init__((address, 0), _Handler)
        self.site = site
        self.host_index = index


class NewsHosts:
    """``with NewsHosts(2) as site:`` site.origins, site.hits, site.article_urls()."""

    def __init__(self, hosts: int = 2, config: SiteConfig | None = None,
                 first_host: int = 1) -> None:
        self.config = config or SiteConfig()
        self.servers = [_HostServer(f"127.0.0.{first_host + i}", self, i) for i in range(hosts)]
        self._lock = threading.Lock()
        self.hits: list[Hit] = []
        self.active = [0] * hosts
        self.max_active = [0] * hosts

    @property
    def origins(self) -> list[str]:
        return [f"http://{s.server_address[0]}:{s.server_address[1]}" for s in self.servers]

    def overrides(self) -> str:
        """``SCRAPER_ORIGIN_OVERRIDES``: the site's real origins to the local hosts."""
        mapping = {REAL_ORIGINS[0]: self.origins[0], REAL_ORIGINS[2]: self.origins[0]}
        for index, origin in enumerate(self.origins[1:], start=1):
            mapping[f"https://host{index}.al-monitor.com"] = origin  # other hosts of the site
        return json.dumps(mapping)

    def host_names(self) -> list[str]:
        return [origin.split("//", 1)[1] for origin in self.origins]

    def article_paths(self, index: int) -> list[str]:
        return [f"/originals/2026/11/story-{index}-{n}"
                for n in range(self.config.articles_per_host)]

    def article_urls(self) -> set[str]:
        return {origin + path for i, origin in enumerate(self.origins)
                for path in self.article_paths(i)}

    def begin(self, index: int, path: str) -> Hit:
        hit = Hit(self.host_names()[index], path, time.monotonic())
        with self._lock:
            self.hits.append(hit)
            self.active[index] += 1
            self.max_active[index] = max(self.max_active[index], self.active[index])
        return hit

    def end(self, hit: Hit) -> None:
        with self._lock:
            hit.end = time.monotonic()
            self.active[self.host_names().index(hit.host)] -= 1

    def fetch_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for hit in list(self.hits):
            url = f"http://{hit.host}{hit.path}"
            counts[url] = counts.get(url, 0) + 1
        return counts

    def answer(self, index: int, path: str) -> tuple[int, bytes, str]:
        xml, html = "application/xml", "text/html; charset=utf-8"
        if path == "/robots.txt" and index in self.config.robots_status:
            return self.config.robots_status[index], b"down", "text/plain"
        if path == "/robots.txt":
            delay = self.config.crawl_delay
            extra = f"Crawl-delay: {delay}\n" if delay is not None else ""
            return 200, f"User-agent: *\nAllow: /\n{extra}".encode(), "text/plain"
        if path in self.config.always_failing:
            return 500, b"<html><body>broken</body></html>", html
        if index == 0 and path == "/rss":
            return 200, self._feed(), xml
        if index == 0 and path == "/sitemap.xml":
            children = "".join(f"<sitemap><loc>{origin}/sitemap-{i}.xml</loc></sitemap>"
                               for i, origin in enumerate(self.origins))
            return 200, (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/'
                         f'schemas/sitemap/0.9">{children}</sitemapindex>').encode(), xml
        if path == f"/sitemap-{index}.xml":
            return 200, self._sitemap(index), xml
        if path in self.article_paths(index) or path in self.config.always_failing:
            return 200, self._article(index, path), html
        return 404, b"<html><body>not found</body></html>", html

    def _sitemap(self, index: int) -> bytes:
        paths = self.article_paths(index) + sorted(
            p for p in self.config.always_failing if index == 0)
        urls = "".join(f"<url><loc>{self.origins[index]}{p}</loc></url>" for p in paths)
        return (f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9">{urls}</urlset>').encode()

    def _feed(self) -> bytes:
        listed = [(origin, path) for i, origin in enumerate(self.origins)
                  for path in self.article_paths(i)[:5]]
        items = "".join(f"<item><title>Story {n}</title><link>{origin}{path}</link></item>"
                        for n, (origin, path) in enumerate(listed))
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
                f"{items}</channel></rss>").encode()

    def _article(self, index: int, path: str) -> bytes:
        title = f"Harbour story {path.rsplit('-', 1)[-1]} on host {index}"
        return (f'<html lang="en"><head><title>{title}</title><meta property="og:type" '
                f'content="article"></head><body><article><h1>{title}</h1><p>{PARAGRAPH * 4}'
                f"</p><p>{path}</p></article></body></html>").encode()

    def __enter__(self) -> NewsHosts:
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def hits_log(site: NewsHosts, path: Path) -> None:
    """Write the server's log as JSON lines (for a failing test's post-mortem)."""
    with open(path, "w", encoding="utf-8") as out:
        for hit in site.hits:
            out.write(json.dumps(hit.__dict__) + "\n")
