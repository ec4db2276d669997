"""Fast checks that the fault server puts the promised bytes on the wire (stdlib clients only)."""

from __future__ import annotations

import gzip
import http.client
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.support.fault_server import (
    DROP_DECLARED,
    DROP_SENT,
    GZIP_BODY,
    GZIP_SENTENCE,
    FaultServer,
)

ARABIC_TARGET = "/ar/%D8%A7%D9%84%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1?id=5&q=%D9%85"


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


def raw_exchange(server: FaultServer, target: str) -> bytes:
    """Send one GET with Connection: close and return every byte until the server closes."""
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    return data


def dechunk(body: bytes) -> list[bytes]:
    """Split a chunked body into its chunks; fails unless it ends with the last-chunk."""
    chunks = []
    while True:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line, 16)
        if size == 0:
            assert body == b"\r\n"
            return chunks
        chunks.append(body[:size])
        assert body[size : size + 2] == b"\r\n"
        body = body[size + 2 :]


def test_gzip_chunked_sends_the_exposed_bytes_in_chunks(server: FaultServer) -> None:
    head, _, body = raw_exchange(server, "/gzip-chunked").partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0] == "HTTP/1.1 200 OK"
    assert "Transfer-Encoding: chunked" in lines
    assert "Content-Encoding: gzip" in lines
    assert not any(line.lower().startswith("content-length") for line in lines)
    chunks = dechunk(body)
    assert len(chunks) >= 3
    assert b"".join(chunks) == GZIP_BODY == server.gzip_body
    assert GZIP_SENTENCE in gzip.decompress(GZIP_BODY).decode()


def test_three_set_cookie_headers_arrive(server: FaultServer) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    conn.request("GET", "/cookies")
    response = conn.getresponse()
    response.read()
    conn.close()
    assert response.msg.get_all("Set-Cookie") == ["a=1; Path=/", "b=2; Path=/", "c=3; HttpOnly"]


def test_drop_closes_before_the_declared_length(server: FaultServer) -> None:
    head, _, body = raw_exchange(server, "/drop").partition(b"\r\n\r\n")
    assert f"Content-Length: {DROP_DECLARED}".encode() in head
    assert len(body) == DROP_SENT < DROP_DECLARED
    assert [(e.target, e.status, e.completed) for e in server.log] == [("/drop", 200, False)]


def test_keep_alive_serves_two_requests_on_one_connection(server: FaultServer) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    conn.request("GET", "/final")
    first = conn.getresponse()
    first.read()
    sock = conn.sock
    conn.request("GET", "/echo", headers={"X-Probe": "two"})
    second = conn.getresponse()
    listing = second.read().decode()
    assert conn.sock is sock, "http.client reconnected: the server closed the connection"
    assert (first.status, second.status) == (200, 200)
    assert first.getheader("Connection") is None
    assert "X-Probe: two\n" in listing
    conn.close()


def test_connection_close_is_honoured(server: FaultServer) -> None:
    head, _, _ = raw_exchange(server, "/final").partition(b"\r\n\r\n")
    assert b"\r\nConnection: close" in head  # raw_exchange only returns once the server closed


def test_log_records_raw_targets_with_query_strings(server: FaultServer) -> None:
    redirect = "/redirect-to?target=http%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data"
    arabic_page = raw_exchange(server, ARABIC_TARGET)
    location = raw_exchange(server, redirect)
    assert ARABIC_TARGET.encode() in arabic_page
    assert b"HTTP/1.1 302 Found\r\n" in location
    assert b"\r\nLocation: http://169.254.169.254/latest/meta-data\r\n" in location
    assert server.wait_for_completed(redirect)
    assert server.completed_targets() == [ARABIC_TARGET, redirect]


def test_stall_blocks_until_released(server: FaultServer) -> None:
    replies: list[bytes] = []
    client = threading.Thread(target=lambda: replies.append(raw_exchange(server, "/stall")))
    client.start()
    deadline = time.monotonic() + 5
    while not server.log and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)
    assert replies == [] and server.log[0].status == 0
    server.release_stalled()
    client.join(5)
    assert replies and replies[0].startswith(b"HTTP/1.1 200 OK\r\n")


@pytest.mark.parametrize(
    ("target", "status_line"),
    [
        ("/phrase", b"HTTP/1.1 200 Everything Fine Here\r\n"),
        ("/http10", b"HTTP/1.0 200 OK\r\n"),
        ("/redirect-301", b"HTTP/1.1 301 Moved Permanently\r\n"),
        ("/nowhere", b"HTTP/1.1 404 Not Found\r\n"),
    ],
)
def test_status_lines(server: FaultServer, target: str, status_line: bytes) -> None:
    assert raw_exchange(server, target).startswith(status_line)


def test_robots_status_zero_closes_without_answering(server: FaultServer) -> None:
    server.robots_status = 0
    assert raw_exchange(server, "/robots.txt") == b""
