"""HTTP/1.1 on the wire for the fault server: parse requests, write responses byte for byte.

Also the deterministic bodies the server's routes send (HTML pages, the /big payload), so
tests can rebuild the exact bytes they expect to find in WARC records.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import BinaryIO
from urllib.parse import parse_qsl

BLOCK_SIZE = 64 * 1024  # /big and /big-chunked stream in blocks of this size
MAX_LINE = 65536  # longest request line or header line we accept
MAX_HEADERS = 200


def html_page(title: str, body: str) -> bytes:
    """A complete UTF-8 HTML document."""
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title></head>\n'
        f"<body>\n{body}\n</body></html>\n"
    ).encode()


def split_parts(data: bytes, count: int) -> list[bytes]:
    """Split data into `count` nearly equal non-empty parts (fewer if data is shorter)."""
    size = max(1, -(-len(data) // count))
    return [data[i : i + size] for i in range(0, len(data), size)]


def big_payload(size: int) -> Iterator[bytes]:
    """Yield the deterministic /big body in BLOCK_SIZE blocks; tests hash it to compare."""
    block = bytes(range(256)) * (BLOCK_SIZE // 256)
    for start in range(0, size, BLOCK_SIZE):
        yield block[: min(BLOCK_SIZE, size - start)]


def site_page_html(number: int, total: int) -> bytes:
    """Page `number` of the /site/ crawl fixture (~5 KB)."""
    filler = "\n".join(
        f"<p>Paragraph {i} of page {number} talks about the harbour, the market, "
        f"the ferries and the weather in plain words.</p>"
        for i in range(1, 41)
    )
    next_link = f'<a href="/site/p/{number + 1}">Next page</a>\n' if number < total else ""
    body = (
        f"<article><h1>Page {number}</h1>\n<p>This is the text of page {number}.</p>\n"
        f'{filler}\n</article>\n<nav>{next_link}<a href="/site/">Back to index</a></nav>'
    )
    return html_page(f"Page {number}", body)


@dataclass
class Request:
    """A parsed request; text is latin-1 decoded so every byte survives unchanged."""

    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    body: bytes = b""

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    @property
    def query(self) -> dict[str, str]:
        """Percent-decoded query parameters; encode a value as latin-1 to get its raw bytes."""
        return dict(parse_qsl(self.target.partition("?")[2], encoding="latin-1"))

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), None)

    @property
    def wants_close(self) -> bool:
        tokens = (self.header("Connection") or "").lower()
        if self.version == "HTTP/1.0":
            return "keep-alive" not in tokens
        return "close" in tokens


@dataclass
class RawResponse:
    """What a handler wants on the wire. Status 0 closes the connection without answering.

    Headers go out verbatim and in order. `body` is bytes or an iterable of blocks that is
    streamed; with chunked=True each non-empty block becomes one chunk. Only missing framing
    headers are added: Content-Length (bytes body, not chunked), Transfer-Encoding: chunked,
    and Connection: close when the connection will be closed on purpose.
    """

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | Iterable[bytes] = b""
    reason: str | None = None  # None: the standard phrase for the status
    version: str = "HTTP/1.1"
    chunked: bool = False
    close: bool = False  # close the connection after this response
    abort: bool = False  # close right after the body; the exchange never counts as completed
    raw: bytes | None = None  # send exactly these bytes instead (a broken status line), close

    def __post_init__(self) -> None:
        if self.raw is not None:
            self.close = True
    def head_bytes(self, announce_close: bool) -> bytes:
        headers = list(self.headers)
        names = {name.lower() for name, _ in headers}
        if self.chunked and "transfer-encoding" not in names:
            headers.append(("Transfer-Encoding", "chunked"))
        if isinstance(self.body, bytes) and not self.chunked and "content-length" not in names:
            headers.append(("Content-Length", str(len(self.body))))
        if announce_close and self.version == "HTTP/1.1" and "connection" not in names:
            headers.append(("Connection", "close"))
        lines = [f"{self.version} {self.status} {self.reason_phrase()}"]
        lines += [f"{name}: {value}" for name, value in headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def reason_phrase(self) -> str:
        if self.reason is not None:
            return self.reason
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return "Unknown"


class BadRequest(ValueError):
    """The client sent something that is not an HTTP/1.x request."""


def read_request(rfile: BinaryIO) -> Request | None:
    """Read one request from the connection; None when the client closed it cleanly."""
    line = rfile.readline(MAX_LINE + 1)
    while line in (b"\r\n", b"\n"):  # RFC 9112 2.2: ignore empty lines before a request
        line = rfile.readline(MAX_LINE + 1)
    if not line:
        return None
    parts = line.decode("latin-1").rstrip("\r\n").split(" ")
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequest(f"bad request line {line[:100]!r}")
    request = Request(parts[0], parts[1], parts[2], _read_headers(rfile))
    request.body = _read_body(rfile, request)
    return request


def _read_headers(rfile: BinaryIO) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    while len(headers) <= MAX_HEADERS:
        line = rfile.readline(MAX_LINE + 1)
        if not line.endswith(b"\n"):
            raise BadRequest("header line too long or connection closed mid-head")
        if line in (b"\r\n", b"\n"):
            return headers
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep:
            raise BadRequest(f"bad header line {line[:100]!r}")
        headers.append((name, value.strip()))
    raise BadRequest("too many headers")


def _read_body(rfile: BinaryIO, request: Request) -> bytes:
    if "chunked" in (request.header("Transfer-Encoding") or "").lower():
        return _read_chunked(rfile)
    return rfile.read(int(request.header("Content-Length") or 0))


def _read_chunked(rfile: BinaryIO) -> bytes:
    parts = []
    while size := int(rfile.readline(MAX_LINE).split(b";")[0], 16):
        parts.append(rfile.read(size))
        rfile.readline()
    while rfile.readline(MAX_LINE) not in (b"\r\n", b"\n", b""):  # skip trailers
        pass
    return b"".join(parts)


def write_response(sock: socket.socket, response: RawResponse, announce_close: bool,
                   head_only: bool) -> None:
    """Send the response; returns once sendall accepted the last byte."""
    if response.raw is not None:
        sock.sendall(response.raw)
        return
    head, body = response.head_bytes(announce_close), response.body
    if head_only:
        sock.sendall(head)
        return
    if isinstance(body, bytes) and not response.chunked:
        sock.sendall(head + body)
        return
    sock.sendall(head)
    for block in [body] if isinstance(body, bytes) else body:
        if block:  # an empty chunk would end the body early
            sock.sendall(b"%x\r\n%s\r\n" % (len(block), block) if response.chunked else block)
    if response.chunked:
        sock.sendall(b"0\r\n\r\n")
