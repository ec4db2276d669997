"""Undo a stored body's Content-Encoding (gzip, deflate, br, zstd), streamed and bounded.

A page body can be a decompression bomb: every coding is decoded a chunk at a time and stops
at once past a limit (``EXTRACT_MAX_DECODED_BYTES``), raising ``LimitExceeded``.
"""

from __future__ import annotations

import importlib
import io
import zlib
from collections.abc import Callable, Generator, Iterator
from types import ModuleType
from typing import Any

from scraper.errors import ContentError, LimitExceeded


def _optional_module(*names: str) -> ModuleType | None:
    """The first of these modules that imports, or None."""
    for name in names:
        try:
            return importlib.import_module(name)
        except ImportError:
            continue
    return None


# Scrapy installs brotli (or brotlicffi) and backports.zstd; zstandard is preferred if present.
_BROTLI = _optional_module("brotli", "brotlicffi")
_ZSTD = _optional_module("zstandard", "compression.zstd", "backports.zstd")
_CORRUPT_ERRORS: tuple[type[BaseException], ...] = tuple(
    error for error in (zlib.error, getattr(_BROTLI, "error", None),
                        getattr(_ZSTD, "ZstdError", None)) if error is not None
)


#: Output asked of a decompressor per step: memory stays at the limit plus one step.
_CHUNK = 64 * 1024
#: Largest decoded body when no limit is given (EXTRACT_MAX_DECODED_BYTES in settings.py).
DEFAULT_MAX_DECODED_BYTES = 20 * 1024 * 1024


def _inflated(inflater: Any, data: bytes | memoryview) -> Generator[bytes, None, int | None]:
    """One zlib stream, fed and drained a step at a time, so neither a bomb's output nor copies
    of its input pile up; returns where in ``data`` the stream ended (None: it was cut short)."""
    view = memoryview(data)
    for start in range(0, len(data), _CHUNK):
        pending: bytes | memoryview = view[start:start + _CHUNK]
        while pending:
            chunk = inflater.decompress(pending, _CHUNK)
            if chunk:
                yield chunk
            if inflater.eof:
                return start + len(pending) - len(inflater.unused_data)
            if not chunk and len(inflater.unconsumed_tail) == len(pending):
                break  # no progress: zlib wants more input
            pending = inflater.unconsumed_tail
    while not inflater.eof and (chunk := inflater.decompress(b"", _CHUNK)):
        yield chunk  # output zlib still held when the input ran out
    return len(data) if inflater.eof else None


def _gunzip(data: bytes) -> Iterator[bytes]:
    """Every gzip member in turn; a truncated member yields what it holds (WARC-Truncated)."""
    view, position, first = memoryview(data), 0, True
    while position < len(data):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            end = yield from _inflated(inflater, view[position:])
        except zlib.error:
            if first:
                raise
            return  # trailing garbage or zero padding after a complete member: ignored
        if end is None:
            return
        position, first = position + end, False


def _inflate(data: bytes) -> Iterator[bytes]:
    """HTTP "deflate" is meant to be zlib-wrapped, but some servers send raw deflate."""
    try:
        zlib.decompressobj(zlib.MAX_WBITS).decompress(data[:64], 1)
    except zlib.error:
        yield from _inflated(zlib.decompressobj(-zlib.MAX_WBITS), data)
        return
    yield from _inflated(zlib.decompressobj(zlib.MAX_WBITS), data)


def _unbrotli(data: bytes) -> Iterator[bytes]:
    """Brotli, with the brotli or brotlicffi package."""
    if _BROTLI is None:
        raise ContentError("Content-Encoding br needs the brotli package: pip install brotli")
    decompressor = _BROTLI.Decompressor()
    chunk = decompressor.process(data, output_buffer_limit=_CHUNK)
    while chunk:
        yield bytes(chunk)
        if decompressor.is_finished():
            return
        chunk = decompressor.process(b"", output_buffer_limit=_CHUNK)


def _unzstd(data: bytes) -> Iterator[bytes]:
    """Zstandard, with the zstandard package or the standard library's (backported) module."""
    if _ZSTD is None:
        raise ContentError("Content-Encoding zstd needs a zstd module: pip install zstandard")
    if hasattr(_ZSTD, "ZstdFile"):  # compression.zstd / backports.zstd
        reader: Any = _ZSTD.ZstdFile(io.BytesIO(data))
    else:  # the zstandard package
        reader = _ZSTD.ZstdDecompressor().stream_reader(io.BytesIO(data),
                                                         read_across_frames=True)
    while True:
        try:
            chunk = reader.read(_CHUNK)
        except EOFError:
            return  # a truncated frame: what it held was yielded
        if not chunk:
            return
        yield bytes(chunk)


def _identity(data: bytes) -> Iterator[bytes]:
    yield data


_DECODERS: dict[str, Callable[[bytes], Iterator[bytes]]] = {
    "gzip": _gunzip, "x-gzip": _gunzip, "deflate": _inflate, "br": _unbrotli, "zstd": _unzstd,
    "identity": _identity, "none": _identity, "": _identity,
}


def decoded_chunks(body: bytes, coding: str) -> Iterator[bytes]:
    """The body with one Content-Encoding undone, a step at a time (feed a streaming parser).

    Raises:
        ContentError: an unknown coding, a missing optional decoder, or a corrupt stream
            (possibly after yielding what came before the damage).
    """
    decoder = _DECODERS.get(coding.strip().lower())
    if decoder is None:
        raise ContentError(f"unknown Content-Encoding {coding!r}")
    try:
        yield from decoder(body)
    except _CORRUPT_ERRORS as exc:
        raise ContentError(f"corrupt {coding} body ({len(body)} bytes): {exc}") from exc


def _bounded(chunks: Iterator[bytes], max_bytes: int, what: str) -> bytes:
    """Join chunks, stopping at once (the decompressor is dropped) past ``max_bytes``."""
    parts, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size > max_bytes:
            raise LimitExceeded(f"{what} expands past the limit", "EXTRACT_MAX_DECODED_BYTES",
                                max_bytes)
        parts.append(chunk)
    return b"".join(parts)


def decode_content(body: bytes, content_encoding: str | None,
                   max_bytes: int = DEFAULT_MAX_DECODED_BYTES) -> bytes:
    """Undo the HTTP Content-Encoding of a body as stored in a WARC response record.

    Args:
        body: the HTTP payload, still encoded.
        content_encoding: the Content-Encoding header value; stacked codings ("gzip, br") are
            undone last-applied first. None means no encoding.
        max_bytes: largest output of any decoding step (a gzip bomb stops there at once).

    Returns:
        The decoded bytes; as much as can be decoded when a stream is truncated.

    Raises:
        ContentError: an unknown coding, a missing optional decoder, or a corrupt stream.
        LimitExceeded: a decoded body over ``max_bytes``.
    """
    codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
    for coding in reversed(codings):
        if coding not in _DECODERS:
            raise ContentError(f"unknown Content-Encoding {coding!r} (in {content_encoding!r})")
        if _DECODERS[coding] is not _identity:
            body = _bounded(decoded_chunks(body, coding), max_bytes,
                            f"{coding} body of {len(body):,} bytes")
    if len(body) > max_bytes:  # a stored body read back from a WARC someone else wrote
        raise LimitExceeded(f"a body of {len(body):,} bytes is larger than the limit",
                            "EXTRACT_MAX_DECODED_BYTES", max_bytes)
    return body
