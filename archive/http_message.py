"""Edits to raw HTTP header blocks before they are stored: transfer framing and secrets."""

from __future__ import annotations

#: Header names whose values are replaced by :data:`REDACTED` unless redaction is turned off.
SECRET_HEADERS = frozenset({b"authorization", b"proxy-authorization", b"cookie", b"set-cookie"})
REDACTED = b"[redacted]"
#: Where a removed ``Transfer-Encoding`` header is kept, so the record still says how it came.
KEPT_TRANSFER_ENCODING = b"X-Crawler-Transfer-Encoding"
#: Where the server's ``Content-Length`` is kept when the stored body differs (truncation).
KEPT_CONTENT_LENGTH = b"X-Crawler-Content-Length"


def split_head(head: bytes) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    """A raw header block as its first line and (name, value) pairs, continuations folded."""
    lines = head.replace(b"\r\n", b"\n").split(b"\n")
    first = lines[0]
    headers: list[tuple[bytes, bytes]] = []
    for line in lines[1:]:
        if not line:
            continue
        if line[:1] in (b" ", b"\t") and headers:
            name, value = headers[-1]
            headers[-1] = (name, value + b" " + line.strip())
        elif b":" in line:
            name, value = line.split(b":", 1)
            headers.append((name.strip(), value.strip()))
    return first, headers


def join_head(first: bytes, headers: list[tuple[bytes, bytes]]) -> bytes:
    """Serialize a first line and headers as a CRLF header block ending in a blank line."""
    lines = [first] + [name + b": " + value for name, value in headers]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def redact(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Replace secret values, keeping every header name (and so every repeated header)."""
    return [(n, REDACTED if n.lower() in SECRET_HEADERS else v) for n, v in headers]


def response_head_for_storage(head: bytes, body_length: int, redact_secrets: bool) -> bytes:
    """The response head as it must be stored next to a de-chunked body of ``body_length``."""
    first, headers = split_head(head)
    stored: list[tuple[bytes, bytes]] = []
    declared = None
    for name, value in headers:
        lowered = name.lower()
        if lowered == b"transfer-encoding":
            stored.append((KEPT_TRANSFER_ENCODING, value))
        elif lowered == b"content-length":
            declared = value
        else:
            stored.append((name, value))
    if declared is not None and declared != str(body_length).encode():
        stored.append((KEPT_CONTENT_LENGTH, declared))
    if declared is not None or body_length:
        stored.append((b"Content-Length", str(body_length).encode()))
    return join_head(first, redact(stored) if redact_secrets else stored)


def request_for_storage(raw_request: bytes, redact_secrets: bool) -> bytes:
    """The request as written to the socket, with secret header values redacted."""
    end = raw_request.find(b"\r\n\r\n")
    if end < 0 or not redact_secrets:
        return raw_request
    first, headers = split_head(raw_request[:end])
    return join_head(first, redact(headers)) + raw_request[end + 4 :]
