"""One hierarchy for every error a user can cause; the CLI turns these into one-line messages.

Each class carries the exit code the CLI uses for it (documented in the README and `--help`).
"""

from __future__ import annotations

from archive.errors import ArchiveError, WarcError, WarcWriteError

__all__ = ["ArchiveError", "ContentError", "LimitExceeded", "LockedError", "RecordError",
           "ScraperError", "StorageError", "UsageError", "WarcError", "WarcWriteError",
           "USER_ERRORS"]


class ScraperError(Exception):
    """Base class of every error this project raises on purpose."""

    exit_code = 1


class UsageError(ScraperError):
    """Bad command-line input: unknown site, malformed URL, conflicting options."""

    exit_code = 2


class StorageError(ScraperError):
    """A file or directory the crawler needs cannot be created, written or closed (disk full)."""

    exit_code = 3


class ContentError(ScraperError):
    """A stored HTTP body cannot be decoded: unknown or corrupt Content-Encoding."""


class LimitExceeded(ContentError):
    """An input went over one of the documented limits (settings.py, the README's "Limits").

    Args:
        what: what went over, naming the input ("gzip body of 6,291,456 bytes expands ...").
        setting: the setting that holds the limit.
        limit: its value; None for a rule with no number (no XML entity declarations).
    """

    def __init__(self, what: str, setting: str, limit: int | None) -> None:
        self.what, self.setting, self.limit = what, setting, limit
        super().__init__(f"{what} ({setting} = {limit:,})" if limit is not None
                         else f"{what} ({setting})")

    def __reduce__(self) -> tuple[type[LimitExceeded], tuple[str, str, int | None]]:
        # Raised in extraction workers: it must survive pickling back to the crawl.
        return type(self), (self.what, self.setting, self.limit)


class RecordError(ScraperError):
    """A stored article record does not match its schema (an export cannot convert it)."""


class LockedError(ScraperError):
    """Another run holds the collection's lock."""

    exit_code = 5


#: Everything the CLI turns into a one-line message and an exit code.
USER_ERRORS: tuple[type[Exception], ...] = (ScraperError, ArchiveError)
