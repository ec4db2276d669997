"""A hostile news site on 127.0.0.1: bombs, floods and traps of our own making, for the limits.

``HostileSite(routes)`` serves ``path -> Route`` (exact path, without the query); a key ending
in ``/`` maps every path under it to ``Route`` made by a function of the path; any other path
under ``/originals/`` is a small ordinary article page, anything else is 404. Every
request path is logged in ``requests``. The builders below make the hostile bodies cheaply: a
gzip bomb of gigabytes costs three 1 MiB compressions, since after a full flush every further
megabyte of zeros compresses to the same bytes.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

MIB = 1024 * 1024


@dataclass(frozen=True)
class Route:
    body: bytes
    content_type: str = "application/xml"
    headers: dict[str, str] = field(default_factory=dict)


Routes = dict[str, "Route | Callable[[str], Route]"]


def article_page(path: str) -> bytes:
    words = " ".join(f"word{i}" for i in range(200))
    return (f"<html><head><title>Article {path}</title></head><body><article><h1>Article "
            f"{path}</h1><p>{words}</p><p>{words}</p></article></body></html>").encode()


def zlib_bomb(expanded: int, wbits: int = 16 + zlib.MAX_WBITS, prefix: bytes = b"",
              filler: bytes = b"\0") -> bytes:
    """``prefix`` then ``filler`` repeated to ``expanded`` bytes, compressed (gzip by default).

    The trailer's checksum covers the first blocks only: no reader should ever get that far.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    block = filler * (MIB // len(filler))
    head = compressor.compress(prefix + block) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeated = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    assert repeated == again, "a full flush should make every block compress alike"
    return head + repeated * (expanded // MIB - 1) + compressor.flush()


def urlset(urls: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return (f'<?xml version="1.0" encoding="UTF-8"?><urlset '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>').encode()


def sitemap_index(urls: list[str]) -> bytes:
    entries = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls)
    return (f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}'
            f"</sitemapindex>").encode()


def rss(links: list[str], extra: str = "") -> bytes:
    items = "".join(f"<item><title>{u}</title><link>{u}</link></item>" for u in links)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}{extra}'
            f"</channel></rss>").encode()


def billion_laughs(link: str) -> bytes:
    """Ten levels of ten references each: 10^9 "lol"s if anything expanded it."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return (f'<?xml version="1.0"?><!DOCTYPE rss [{"".join(entities)}]><rss version="2.0">'
            f"<channel><item><title>&lol9;</title><link>{link}</link></item></channel>"
            f"</rss>").encode()


class _Handler(BaseHTTPRequestHandler):
    server: _HostileServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.requests.append(self.path)
        path = urlsplit(self.path).path
        route = self.server.route(path)
        if route is None and path.startswith("/originals/"):
            route = Route(article_page(path), "text/html; charset=utf-8")
        if route is None:
            route = Route(b"<html><body>Not found</body></html>", "text/html")
            self.send_response(404)
        else:
            self.send_response(200)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Content-Length", str(len(route.body)))
        for name, value in route.headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler hung up past its limit, as it should

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _HostileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: Routes) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.requests: list[str] = []

    def route(self, path: str) -> Route | None:
        found = self.routes.get(path)
        if isinstance(found, Route):
            return found
        for prefix, make in self.routes.items():
            if prefix.endswith("/") and path.startswith(prefix) and callable(make):
                return make(path)
        return None


class HostileSite:
    """Context manager: ``with HostileSite(routes) as site: site.url, site.requests``."""

    def __init__(self, routes: Routes) -> None:
        self._server = _HostileServer(routes)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[str]:
        return self._server.requests

    def __enter__(self) -> HostileSite:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
