"""Routes of a hostile server, added to a ``FaultServer`` with ``add_hostile_routes(server)``.

Each answers one way a server breaks HTTP: a body that stalls after the headers, status lines
that are not HTTP/1.x, an answer with no status line at all (HTTP/0.9), redirect loops and
chains, charset lies, binary bytes served as HTML, and a page of deeply nested divs.
"""

from __future__ import annotations

from collections.abc import Iterator

from tests.support.fault_server import HTML_TYPE, FaultServer
from tests.support.http_wire import RawResponse, Request, html_page

STALL_SENT = b"<!DOCTYPE html><html><head><title>Stalled</title></head><body><p>First part"
STALL_DECLARED = 20_000
BROKEN_BODY = b"<html><body><p>Sent after a broken status line.</p></body></html>\n"
RAW_ANSWERS = {
    "/hostile/status-abc": b"abc\r\n\r\n" + BROKEN_BODY,
    "/hostile/status-garbage": (b"HTTP/1.1 GARBAGE\r\nContent-Type: text/html\r\n\r\n"
                                + BROKEN_BODY),
    "/hostile/http09": BROKEN_BODY,
}
CHAIN_HOPS = 50
ARABIC_TEXT = ("أعلنت وزارة الاقتصاد اليوم عن خطة جديدة لدعم المشاريع الصغيرة في المدن الساحلية، "
               "وقال الوزير إن الخطة تشمل قروضا ميسرة وتدريبا للشباب على إدارة الأعمال. ") * 12


def add_hostile_routes(server: FaultServer) -> None:
    """Serve the hostile routes on ``server`` (they win over its built-in ones)."""
    server.route("/hostile/stall-body", lambda request: _stall_body(server))
    for path, raw in RAW_ANSWERS.items():
        server.route(path, lambda request, raw=raw: RawResponse(200, raw=raw))
    server.route("/hostile/loop", lambda request: _redirect("/hostile/loop"))
    server.route("/hostile/chain/", _chain, prefix=True)
    server.route("/hostile/charset-lie-utf8", lambda request: _charset_lie("windows-1256",
                                                                           "utf-8"))
    server.route("/hostile/charset-lie-1256", lambda request: _charset_lie("utf-8",
                                                                           "windows-1256"))
    server.route("/hostile/binary", lambda request: RawResponse(200, [HTML_TYPE],
                                                                binary_bytes()))
    server.route("/hostile/nested", lambda request: RawResponse(200, [HTML_TYPE],
                                                                nested_divs()))


def _stall_body(server: FaultServer) -> RawResponse:
    def body() -> Iterator[bytes]:
        yield STALL_SENT
        server._wait_if_stalled()  # until the test (or stop()) releases it
    return RawResponse(200, [HTML_TYPE, ("Content-Length", str(STALL_DECLARED))], body(),
                       abort=True)


def _redirect(location: str) -> RawResponse:
    return RawResponse(302, [("Location", location), HTML_TYPE],
                       html_page("Moved", "<p>Moved.</p>"))


def _chain(request: Request) -> RawResponse:
    hop = int(request.path.rsplit("/", 1)[1] or 0)
    if hop >= CHAIN_HOPS:
        return RawResponse(200, [HTML_TYPE], html_page("End", "<p>End of the chain.</p>"))
    return _redirect(f"/hostile/chain/{hop + 1}")


def charset_lie_page(declared: str) -> str:
    return ('<!DOCTYPE html><html><head><meta charset="' + declared + '">'
            "<title>خطة لدعم المشاريع الصغيرة</title></head><body><article>"
            "<h1>خطة لدعم المشاريع الصغيرة</h1>"
            + "".join(f"<p>{ARABIC_TEXT}</p>" for _ in range(3)) + "</article></body></html>")


def _charset_lie(declared: str, sent: str) -> RawResponse:
    content_type = ("Content-Type", f"text/html; charset={declared}")
    return RawResponse(200, [content_type], charset_lie_page(declared).encode(sent))


def binary_bytes(size: int = 60_000) -> bytes:
    """Deterministic bytes that look like nothing textual (an image or a zip served as HTML)."""
    state, out = 12345, bytearray()
    while len(out) < size:
        state = (state * 1103515245 + 12345) & 0x7FFFFFFF
        out.append(state >> 16 & 0xFF)
    return bytes(out)


def nested_divs(depth: int = 100_000) -> bytes:
    words = " ".join(f"word{i}" for i in range(400))
    return (b"<!DOCTYPE html><html><head><title>Nested</title></head><body>"
            + b"<div>" * depth + f"<p>{words}</p>".encode() + b"</div>" * depth
            + b"</body></html>")
