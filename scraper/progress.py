"""A one-line progress display for long offline work (extract, import, reindex, index, export,
package): files and records done, bytes, rate and time left, redrawn in place on stderr.

Shown only on a terminal and without ``--quiet``; cron jobs and pipes get nothing of it, only
the final summary line. ``scraper.crawl.progress`` is the crawl's equivalent (Scrapy stats).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

#: Seconds between redraws: often enough to look alive, rarely enough to cost nothing.
REDRAW_EVERY = 0.5


def _size(count: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1000
    return f"{count:.1f} GB"


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class ProgressLine:
    """Counts work done and redraws one status line.

    Args:
        label: the command's name, first on the line.
        total_files, total_bytes: what there is to do, if known (0: unknown, no time left).
        enabled: draw at all; None means "if the stream is a terminal".
        stream: where to draw (stderr).
        clock: seconds, for the rate (tests pass a fake one).
    """

    def __init__(self, label: str, total_files: int = 0, total_bytes: int = 0,
                 enabled: bool | None = None, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.label = label
        self.total_files, self.total_bytes = total_files, total_bytes
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.files = self.records = 0
        self._done_bytes = 0  # of the files finished
        self._file_bytes = 0  # position in the current file
        self._clock = clock
        self._started = clock()
        self._drawn_at: float | None = None
        self._drawn = False

    @property
    def bytes_done(self) -> int:
        return self._done_bytes + self._file_bytes

    def add(self, records: int = 1, position: int | None = None, size: int = 0) -> None:
        """``records`` more done; ``position`` is how far into the current file, ``size`` bytes
        more when there is no file position (an export)."""
        self.records += records
        if position is not None:
            self._file_bytes = max(self._file_bytes, position)
        self._done_bytes += size
        self._maybe_draw()

    def file_done(self, size: int) -> None:
        self.files += 1
        self._done_bytes += size
        self._file_bytes = 0
        self._maybe_draw()

    def text(self) -> str:
        elapsed = max(self._clock() - self._started, 1e-6)
        files = f"{self.files}/{self.total_files} files" if self.total_files else \
            f"{self.files} files"
        parts = [f"{self.label}: {files}", f"{self.records} records"]
        done = self.bytes_done
        if done or self.total_bytes:
            total = f"/{_size(self.total_bytes)}" if self.total_bytes else ""
            parts.append(f"{_size(done)}{total}")
            rate = done / elapsed
            parts.append(f"{_size(rate)}/s")
            if self.total_bytes and rate > 0 and done < self.total_bytes:
                parts.append(f"{_duration((self.total_bytes - done) / rate)} left")
        else:
            parts.append(f"{self.records / elapsed:.1f} records/s")
        return ", ".join(parts)

    def close(self) -> None:
        """Erase the line, so the summary that follows starts on a clean line."""
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._drawn = False

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _maybe_draw(self) -> None:
        if not self.enabled:
            return
        now = self._clock()
        if self._drawn_at is not None and now - self._drawn_at < REDRAW_EVERY:
            return
        self._drawn_at = now
        self.stream.write("\r\033[K" + self.text()[:200])
        self.stream.flush()
        self._drawn = True


def quiet_progress() -> ProgressLine:
    """A progress line that never draws (library callers that pass none)."""
    return ProgressLine("", enabled=False)
