"""What one HTTP exchange looked like on the wire, as the download handler saw it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: ``WARC-Truncated`` reasons (WARC 1.1, section 5.13) that the download handler can report.
TRUNCATED_LENGTH = "length"
TRUNCATED_DISCONNECT = "disconnect"
TRUNCATED_TIME = "time"


@dataclass(frozen=True)
class Exchange:
    """One request and its response, captured before any middleware touched them.

    ``raw_request`` is the exact bytes written to the socket (request line, headers, body).
    ``raw_response_head`` is the exact status line and header block read from the socket,
    including the blank line that ends it. ``body`` is the response body after transfer
    decoding (de-chunked) but still content-encoded (gzip stays gzip).
    """

    url: str
    started_at: datetime
    raw_request: bytes
    raw_response_head: bytes
    body: bytes
    ip_address: str | None = None
    truncated: str | None = None
    #: Why the answer is not HTTP/1.x (a bad status line, HTTP/0.9): then ``raw_response_head``
    #: is empty, ``body`` is every byte the server sent, and the WARC holds it as a resource.
    invalid_response: str | None = None

    @property
    def status_line(self) -> bytes:
        return self.raw_response_head.split(b"\n", 1)[0].rstrip(b"\r")
