"""Errors of the WARC layer. ``scraper.errors`` re-exports them, so callers need one import.

Each class carries the exit code the CLI uses for it, as ``scraper.errors`` classes do.
"""

from __future__ import annotations

from pathlib import Path


class ArchiveError(Exception):
    """Base class of every error the WARC layer raises on purpose."""

    exit_code = 1


class WarcError(ArchiveError):
    """A WARC file cannot be read, written or indexed.

    Args:
        message: what is wrong and what the user can do about it.
        path: the WARC file concerned.
        offset: byte offset in the file of the record or gzip member at fault, if known.
    """

    def __init__(self, message: str, *, path: Path, offset: int | None = None) -> None:
        self.message = message
        self.path = Path(path)
        self.offset = offset if offset is None else max(offset, 0)
        where = str(self.path) if self.offset is None else f"{self.path} at byte {self.offset}"
        super().__init__(f"{where}: {message}")


class WarcWriteError(ArchiveError):
    """A WARC file cannot be created, written or closed (disk full, read-only folder)."""

    exit_code = 3
