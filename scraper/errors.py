"""One hierarchy for every error a user can cause; the CLI turns these into one-line messages.

Each class carries the exit code the CLI uses for it (documented in the README and `--help`).
"""

from __future__ import annotations

from pathlib import Path


class ScraperError(Exception):
    """Base class of every error this project raises on purpose."""

    exit_code = 1


class UsageError(ScraperError):
    """Bad command-line input: unknown site, malformed URL, conflicting options."""

    exit_code = 2


class WarcError(ScraperError):
    """A WARC file cannot be read, written or indexed.

    Args:
        message: what is wrong and what the user can do about it.
        path: the WARC file concerned.
        offset: byte offset in the file of the record or gzip member at fault, if known.
    """

    def __init__(self, message: str, *, path: Path, offset: int | None = None) -> None:
        self.message = message
        self.path = Path(path)
        self.offset = offset
        where = str(self.path) if offset is None else f"{self.path} at byte {offset}"
        super().__init__(f"{where}: {message}")


class StorageError(ScraperError):
    """A file or directory the crawler needs cannot be created, written or closed (disk full)."""

    exit_code = 3


class ContentError(ScraperError):
    """A stored HTTP body cannot be decoded: unknown or corrupt Content-Encoding."""


class RecordError(ScraperError):
    """A stored article record does not match its schema (an export cannot convert it)."""


class LockedError(ScraperError):
    """Another run holds the collection's lock."""

    exit_code = 5
