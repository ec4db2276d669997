"""A local mirror of a news site, served from a folder of pages we wrote, on 127.0.0.1.

``tests/sites/<site>/mirror/`` holds the files; a request for ``/a/b`` is answered with the file
``a/b``, else ``a/b.html``, else ``a/b/index.html``; ``/a/b?q=1`` with the file ``a/b?q=1`` when
there is one, else as ``/a/b``. XML documents (feeds, sitemaps) are served
as ``application/xml``, everything else as UTF-8 HTML. Every request path is logged.

A file ending in ``.http`` is a whole answer: ``Status: 403`` and header lines, a blank line,
then the body (challenge pages with ``cf-mitigated``, refusals). POST is answered like GET
(the request body is logged in ``posts``).
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

XML_STARTS = (b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf")


class _Handler(BaseHTTPRequestHandler):
    server: _MirrorHTTPServer

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.server.requests.append(self.path)
        found = self.server.find(self.path)
        if found is None:
            self._send(404, b"<html><body>Not found</body></html>", "text/html; charset=utf-8")
            return
        body = found.read_bytes()
        if found.suffix == ".http":
            self._send_whole(body)
            return
        xml = body.lstrip()[:20].startswith(XML_STARTS)
        self._send(200, body, "application/xml" if xml else "text/html; charset=utf-8")

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        length = int(self.headers.get("Content-Length") or 0)
        self.server.posts.append((self.path, self.rfile.read(length)))
        self.do_GET()

    def _send_whole(self, answer: bytes) -> None:
        head, _, body = answer.replace(b"\r\n", b"\n").partition(b"\n\n")
        lines = head.decode("utf-8").splitlines()
        status = int(lines[0].split(":", 1)[1])
        headers = [line.split(":", 1) for line in lines[1:] if ":" in line]
        types = [v.strip() for n, v in headers if n.strip().lower() == "content-type"]
        headers = [h for h in headers if h[0].strip().lower() != "content-type"]
        self._send(status, body, types[0] if types else "text/html; charset=utf-8", headers)

    def _send(self, status: int, body: bytes, content_type: str,
              extra: list[list[str]] | None = None) -> None:
        self.send_response(status)
        for name, value in extra or []:
            self.send_header(name.strip(), value.strip())
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _MirrorHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root.resolve()
        self.requests: list[str] = []
        self.posts: list[tuple[str, bytes]] = []

    def find(self, target: str) -> Path | None:
        parts = urlsplit(target)
        if parts.query:  # /sitemap.xml?page=2 is the file "sitemap.xml?page=2", if there is one
            exact = self.root / (unquote(parts.path).lstrip("/") + "?" + unquote(parts.query))
            if exact.resolve().parent.is_relative_to(self.root) and exact.is_file():
                return exact
        relative = unquote(parts.path).lstrip("/")
        if relative in ("", "robots.txt") and not (self.root / relative).is_file():
            return None if relative else self._index()
        base = (self.root / relative).resolve()
        if self.root not in base.parents and base != self.root:
            return None  # no escaping the mirror folder
        for candidate in (base.with_name(base.name + ".http"), base,
                          base.with_name(base.name + ".html"), base / "index.html"):
            if candidate.is_file():
                return candidate
        return None

    def _index(self) -> Path | None:
        index = self.root / "index.html"
        return index if index.is_file() else None


class Mirror:
    """Context manager: ``with Mirror(folder) as mirror: mirror.url, mirror.requests``."""

    def __init__(self, root: Path) -> None:
        self._server = _MirrorHTTPServer(root)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[str]:
        return list(self._server.requests)

    @property
    def posts(self) -> list[tuple[str, bytes]]:
        return list(self._server.posts)

    def __enter__(self) -> Mirror:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
