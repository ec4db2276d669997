"""A static file server on 127.0.0.1 with HTTP Range support, for the browser tests.

ReplayWeb.page reads a WACZ with Range requests (it fetches the ZIP's directory, then each
entry it needs) and registers its service worker from the same origin, so the server maps URL
paths to files and answers ``Range: bytes=a-b`` with 206. Python's own SimpleHTTPRequestHandler
has no Range support.
"""

from __future__ import annotations

import mimetypes
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

HOST = "127.0.0.1"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
_TYPES = {".js": "application/javascript", ".wacz": "application/wacz+zip",
          ".html": "text/html; charset=utf-8", ".json": "application/json"}


class StaticServer:
    """Serve ``mounts`` (URL prefix -> folder or file) on 127.0.0.1; use as a context manager."""

    def __init__(self, mounts: dict[str, Path]) -> None:
        self.mounts = {prefix.rstrip("/") or "/": Path(target) for prefix, target in
                       mounts.items()}
        self.requests: list[str] = []
        handler = type("Handler", (_Handler,), {"owner": self})
        self._server = ThreadingHTTPServer((HOST, 0), handler)
        self._server.daemon_threads = True
        self.url = f"http://{HOST}:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> StaticServer:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def resolve(self, path: str) -> Path | None:
        """The file a URL path names, or None (never outside a mounted folder)."""
        for prefix in sorted(self.mounts, key=len, reverse=True):
            if prefix != "/" and path != prefix and not path.startswith(prefix + "/"):
                continue
            target = self.mounts[prefix]
            rest = path[len(prefix):].lstrip("/") if prefix != "/" else path.lstrip("/")
            if target.is_file():
                return target if not rest else None
            candidate = (target / (rest or "index.html")).resolve()
            if target.resolve() in candidate.parents and candidate.is_file():
                return candidate
            return None
        return None


class _Handler(BaseHTTPRequestHandler):
    owner: StaticServer

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        self.owner.requests.append(f"{self.command} {path}")
        target = self.owner.resolve(path)
        if target is None:
            self.send_error(404)
            return
        size = target.stat().st_size
        start, end = 0, size - 1
        wanted = _RANGE.match(self.headers.get("Range", ""))
        if wanted and (wanted.group(1) or wanted.group(2)):
            if wanted.group(1):
                start = int(wanted.group(1))
                end = min(int(wanted.group(2)), size - 1) if wanted.group(2) else size - 1
            else:
                start = max(size - int(wanted.group(2)), 0)
            if start > end:
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{size}")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        else:
            self.send_response(200)
        content_type = _TYPES.get(target.suffix) or mimetypes.guess_type(target.name)[0]
        self.send_header("Content-Type", content_type or "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            with target.open("rb") as stream:
                stream.seek(start)
                self.wfile.write(stream.read(end - start + 1))

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: requests are kept in ``owner.requests`` for assertion messages."""
