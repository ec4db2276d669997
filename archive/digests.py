"""WARC digests as declared in a header, and the hash that recomputes them while a block streams."""

from __future__ import annotations

import base64
import binascii
import hashlib


class Digest:
    """A digest declared in a WARC header and the hash that recomputes it."""

    def __init__(self, header: str, declared: str) -> None:
        self.header = header
        self.declared = declared
        algorithm, _, self.value = declared.partition(":")
        try:
            self.hash: hashlib._Hash | None = hashlib.new(algorithm.lower().replace("-", ""))
        except ValueError:
            self.hash = None

    def problem(self) -> str | None:
        if self.hash is None:
            return f"{self.header} {self.declared!r} uses an unknown algorithm"
        if self.hash.digest() in _decodings(self.value.strip()):
            return None
        computed = base64.b32encode(self.hash.digest()).decode("ascii")
        return (f"{self.header} does not match the data (stored {self.declared}, "
                f"computed {self.hash.name}:{computed}): the record was altered or damaged")


def _decodings(value: str) -> set[bytes]:
    """Every way RFC 3548 lets a WARC writer spell a digest (base32, hex, base64)."""
    decoded = set()
    decoders = (lambda v: base64.b32decode(v, casefold=True), bytes.fromhex,
                base64.b64decode, base64.urlsafe_b64decode)
    for decode in decoders:
        try:
            decoded.add(decode(value))
        except (ValueError, binascii.Error):
            continue
    return decoded
