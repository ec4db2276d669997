"""A fault-injecting HTTP/1.1 server on 127.0.0.1 for tests that assert on WARC records.

It speaks HTTP over raw sockets (the wire format is in ``tests.support.http_wire``), so a
test controls the exact bytes on the wire: chunked framing, repeated headers, custom reason
phrases, truncated bodies, HTTP/1.0 answers and requests that hang until released.
Connections are persistent unless a side asks to close.

Run `python -m tests.support.fault_server --port 8123` to poke at it by hand.
"""

from __future__ import annotations

import argparse
import gzip
import html
import logging
import re
import socket
import socketserver
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import unquote

from tests.support.http_wire import (
    RawResponse,
    Request,
    big_payload,
    html_page,
    read_request,
    site_page_html,
    split_parts,
    write_response,
)

logger = logging.getLogger(__name__)

DEFAULT_BIG_SIZE = 1_000_000
DROP_DECLARED = 100_000  # /drop announces this Content-Length ...
DROP_SENT = 20_000  # ... but sends only this many bytes before closing
GZIP_CHUNK_COUNT = 4
DEFAULT_ROBOTS = b"User-agent: *\nAllow: /\n"
HTML_TYPE = ("Content-Type", "text/html; charset=utf-8")
OCTET_TYPE = ("Content-Type", "application/octet-stream")
TEXT_TYPE = ("Content-Type", "text/plain")

GZIP_SENTENCE = "The night editor counted the falcons over the harbour twice."


def _gzip_page() -> bytes:
    rows = "\n".join(
        f"<p>Dispatch {i}: berth {i * 7 % 31} reports {i * 13 % 97} containers.</p>"
        for i in range(1, 61)
    )
    return html_page(
        "Harbour report",
        f'<h1>Harbour report</h1>\n<p>{GZIP_SENTENCE}</p>\n<p lang="ar">نشرة الميناء</p>\n{rows}',
    )


GZIP_HTML = _gzip_page()
GZIP_BODY = gzip.compress(GZIP_HTML, mtime=0)  # mtime=0 keeps the bytes stable across runs


@dataclass
class ExchangeLog:
    """One request and what became of its response; appended as soon as the request is read."""

    method: str
    target: str  # the raw request-target as received, including the query string
    headers: list[tuple[str, str]]  # request headers as received, in order
    status: int  # 0 until a handler answered, and for "close without answering"
    completed: bool  # True once the last byte of the response was written (sendall returned)
    #: time.monotonic() when the request had been read: the gaps a politeness test measures.
    received_at: float = field(default_factory=time.monotonic)


Handler = Callable[[Request], RawResponse]


def _fixed(response: RawResponse) -> Handler:
    """A handler that always sends `response` (responses are never mutated)."""
    return lambda request: response


_COOKIES = [("Set-Cookie", c) for c in ("a=1; Path=/", "b=2; Path=/", "c=3; HttpOnly")]
NOT_FOUND = RawResponse(404, [HTML_TYPE], html_page("Not found", "<h1>Not found</h1>"))
FIXED_RESPONSES: dict[str, RawResponse] = {
    "/cookies": RawResponse(200, [HTML_TYPE, *_COOKIES], html_page("Cookies", "<p>Cookies.</p>")),
    "/redirect-301": RawResponse(
        301, [("Location", "/final"), HTML_TYPE], html_page("Moved", '<a href="/final">Moved</a>')
    ),
    "/final": RawResponse(200, [HTML_TYPE], html_page("Final", "<p>The final page.</p>")),
    "/phrase": RawResponse(
        200, [HTML_TYPE], html_page("Phrase", "<p>A custom phrase.</p>"),
        reason="Everything Fine Here",
    ),
    "/http10": RawResponse(
        200, [HTML_TYPE], html_page("HTTP/1.0", "<p>An HTTP/1.0 answer.</p>"), version="HTTP/1.0"
    ),
}

class _ConnectionHandler(socketserver.BaseRequestHandler):
    """Serves requests on one connection until either side closes it."""

    server: _TCPServer

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        app = self.server.app
        with sock.makefile("rb") as rfile:
            while app._enter_idle(sock):
                try:
                    request = read_request(rfile)
                except ValueError:  # BadRequest, or a malformed length
                    with suppress(OSError):
                        sock.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                                     b"Connection: close\r\n\r\n")
                    return
                except OSError:
                    return
                finally:
                    app._leave_idle(sock)
                if request is None or not app._serve(request, sock):
                    return


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], app: FaultServer) -> None:
        self.app = app
        super().__init__(address, _ConnectionHandler)


class FaultServer:
    """The fault-injecting server; see the module docstring and the route methods below.

    Args:
        host: address to bind; keep 127.0.0.1 (or 127.0.0.2 for a second "host").
        port: port to bind; 0 picks a free one (read it back from `url`).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port
        self.log: list[ExchangeLog] = []
        self.robots_status = 200  # 0: close the connection without answering
        self.robots_body = DEFAULT_ROBOTS
        self.gzip_body = GZIP_BODY
        self.site_pages = 50
        self._stall_after: int | None = None
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._stopping = False
        self._idle: set[socket.socket] = set()
        self._site_served = 0
        self._tcp: _TCPServer | None = None
        self._thread: threading.Thread | None = None
        self._exact: dict[str, Handler] = {
            **{path: _fixed(response) for path, response in FIXED_RESPONSES.items()},
            "/robots.txt": self._robots, "/gzip-chunked": self._gzip_chunked,
            "/echo": self._echo, "/redirect-to": self._redirect_to, "/big": self._big,
            "/big-chunked": self._big_chunked, "/drop": self._drop, "/stall": self._stall,
            "/site/": self._site_index,
        }
        self._prefixes: list[tuple[str, Handler]] = [
            ("/ar/", self._arabic), ("/site/p/", self._site_page),
        ]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def stall_after(self) -> int | None:
        """When set, the next `stall_after` /site/p/ pages are answered and later ones block."""
        return self._stall_after

    @stall_after.setter
    def stall_after(self, count: int | None) -> None:
        with self._lock:
            self._stall_after, self._site_served = count, 0

    def start(self) -> FaultServer:
        """Bind and serve from a background thread."""
        self._stopping = False
        self._tcp = _TCPServer((self.host, self.port), self)
        self.port = self._tcp.server_address[1]
        self._thread = threading.Thread(
            target=self._tcp.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"fault-server-{self.port}", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, answer stalled requests, and close idle keep-alive connections."""
        if self._tcp is None:
            return
        with self._lock:
            self._stopping = True
            idle = list(self._idle)
        self.release_stalled()
        self._tcp.shutdown()
        self._tcp.server_close()
        for sock in idle:
            with suppress(OSError):  # the client may have closed it meanwhile
                sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._tcp = self._thread = None

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def route(self, path: str, handler: Handler, prefix: bool = False) -> None:
        """Serve `path` (query ignored) with `handler`; custom routes win over built-ins."""
        if prefix:
            self._prefixes.insert(0, (path, handler))
        else:
            self._exact[path] = handler

    def release_stalled(self) -> None:
        """Answer every blocked request and disarm `stall_after` so a crawl can finish."""
        with self._lock:
            event, self._release = self._release, threading.Event()
            self._stall_after = None
        event.set()

    def completed_targets(self) -> list[str]:
        """Raw targets of fully written responses, in request order."""
        with self._lock:
            return [entry.target for entry in self.log if entry.completed]

    def wait_for_completed(self, target: str, timeout: float = 5.0) -> bool:
        """Wait until a response for `target` was fully written; False on timeout."""
        deadline = time.monotonic() + timeout
        while target not in self.completed_targets():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    # -- connection plumbing (called from connection threads) --

    def _enter_idle(self, sock: socket.socket) -> bool:
        with self._lock:
            if self._stopping:
                return False
            self._idle.add(sock)
            return True

    def _leave_idle(self, sock: socket.socket) -> None:
        with self._lock:
            self._idle.discard(sock)

    def _serve(self, request: Request, sock: socket.socket) -> bool:
        """Answer one request; True when the connection stays open for the next one."""
        entry = ExchangeLog(request.method, request.target, request.headers, 0, False)
        with self._lock:
            self.log.append(entry)
        response = self._dispatch(request)
        entry.status = response.status
        if response.status == 0:
            return False
        announce_close = response.close or request.wants_close or self._stopping
        try:
            write_response(sock, response, announce_close, request.method == "HEAD")
        except OSError:
            return False
        entry.completed = not response.abort
        return not (announce_close or response.abort or response.version != "HTTP/1.1")

    def _dispatch(self, request: Request) -> RawResponse:
        handler = self._exact.get(request.path) or next(
            (h for prefix, h in self._prefixes if request.path.startswith(prefix)),
            _fixed(NOT_FOUND),
        )
        try:
            return handler(request)
        except Exception as exc:  # a broken handler must show up as a 500, not a hang-up
            logger.exception("fault server handler failed for %s", request.target)
            return RawResponse(500, [TEXT_TYPE], f"{type(exc).__name__}: {exc}\n".encode())

    def _wait_if_stalled(self, site_page: bool = False) -> None:
        with self._lock:
            if self._stopping:
                return
            if site_page and (self._stall_after is None or self._site_served < self._stall_after):
                self._site_served += 1
                return
            event = self._release  # taken under the lock so a release cannot slip past us
        event.wait()

    # -- routes --

    def _robots(self, request: Request) -> RawResponse:
        if self.robots_status == 0:
            return RawResponse(0)
        return RawResponse(self.robots_status, [TEXT_TYPE], self.robots_body)

    def _gzip_chunked(self, request: Request) -> RawResponse:
        headers = [HTML_TYPE, ("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
        parts = split_parts(self.gzip_body, GZIP_CHUNK_COUNT)
        return RawResponse(200, headers, parts, chunked=True)

    def _echo(self, request: Request) -> RawResponse:
        listing = "".join(f"{name}: {value}\n" for name, value in request.headers)
        return RawResponse(200, [TEXT_TYPE], listing.encode("latin-1"))

    def _redirect_to(self, request: Request) -> RawResponse:
        target = request.query.get("target")
        if target is None:
            return RawResponse(400, [TEXT_TYPE], b"missing ?target=\n")
        page = html_page("Found", "<p>Redirecting.</p>")
        return RawResponse(302, [("Location", target), HTML_TYPE], page)

    def _arabic(self, request: Request) -> RawResponse:
        heading = html.escape(unquote(request.path))
        # The target is echoed unescaped (it arrives percent-encoded) so tests can find it as is.
        raw_target = request.target.encode("latin-1").decode("utf-8", "replace")
        body = f'<h1>{heading}</h1>\n<p class="target">{raw_target}</p>'
        return RawResponse(200, [HTML_TYPE], html_page("Arabic path", body))

    def _big(self, request: Request) -> RawResponse:
        size = int(request.query.get("size", DEFAULT_BIG_SIZE))
        return RawResponse(200, [OCTET_TYPE, ("Content-Length", str(size))], big_payload(size))

    def _big_chunked(self, request: Request) -> RawResponse:
        size = int(request.query.get("size", DEFAULT_BIG_SIZE))
        return RawResponse(200, [OCTET_TYPE], big_payload(size), chunked=True)

    def _drop(self, request: Request) -> RawResponse:
        headers = [OCTET_TYPE, ("Content-Length", str(DROP_DECLARED))]
        return RawResponse(200, headers, big_payload(DROP_SENT), abort=True)

    def _stall(self, request: Request) -> RawResponse:
        self._wait_if_stalled()
        return RawResponse(200, [HTML_TYPE], html_page("Released", "<p>Released.</p>"))

    def _site_index(self, request: Request) -> RawResponse:
        links = "\n".join(
            f'<li><a href="/site/p/{k}">Page {k}</a></li>' for k in range(1, self.site_pages + 1)
        )
        page = html_page("Site index", f"<h1>Site index</h1>\n<ul>\n{links}\n</ul>")
        return RawResponse(200, [HTML_TYPE], page)

    def _site_page(self, request: Request) -> RawResponse:
        number = request.path[len("/site/p/"):]
        if not re.fullmatch(r"[1-9][0-9]*", number) or int(number) > self.site_pages:
            return NOT_FOUND
        self._wait_if_stalled(site_page=True)
        return RawResponse(200, [HTML_TYPE], site_page_html(int(number), self.site_pages))


def main(argv: list[str] | None = None) -> None:
    """Serve until Ctrl-C."""
    parser = argparse.ArgumentParser(description="Run the fault-injecting test server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args(argv)
    with FaultServer(args.host, args.port) as server:
        print(f"fault server on {server.url} (Ctrl-C to stop)", flush=True)
        with suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    main()
