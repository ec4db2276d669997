"""Undo HTTP/1.1 chunked transfer coding still present in a stored body.

Our writer stores bodies de-chunked (and says so in warcinfo), but wget, Heritrix and others
store the bytes as they came off the socket, chunk-size lines included. Left in, the sizes end
up in the article text ("Bor 12c der") and a gzip body no longer starts with its magic bytes.
Other transfer codings (gzip, br, zstd) are content decompressions: ``scraper.extract.decoding``
undoes them, told by the ``Transfer-Encoding`` value that remains once ``chunked`` is gone.
"""

from __future__ import annotations

import re

_CHUNK_SIZE = re.compile(rb"[ \t]*([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r?\n")


def transfer_codings(value: str | None) -> list[str]:
    """The codings of a Transfer-Encoding header, in the order they were applied."""
    return [part.strip().lower() for part in (value or "").split(",") if part.strip()]


def dechunk(body: bytes) -> bytes | None:
    """The body with its chunk framing removed, or None if it is not chunked after all.

    A body cut inside a chunk (a truncated record) gives the data up to the cut. A body whose
    first line is not a chunk size was stored de-chunked by a tool that kept the header: None,
    and the caller keeps it as it is.
    """
    parts: list[bytes] = []
    at = 0
    while at < len(body):
        match = _CHUNK_SIZE.match(body, at)
        if match is None:
            return None if not parts else b"".join(parts)  # garbage after chunks: drop it
        size = int(match.group(1), 16)
        at = match.end()
        if size == 0:
            break  # the last chunk; trailer fields after it are not body
        parts.append(body[at:at + size])
        at += size
        if body[at:at + 2] == b"\r\n":
            at += 2
        elif body[at:at + 1] == b"\n":
            at += 1
        elif at < len(body):
            return None  # a chunk longer than its size line says: not chunked framing
    return b"".join(parts)
