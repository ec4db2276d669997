"""Append-only JSONL output: one record a line, flushed line by line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from scraper.article import to_json_line
from scraper.errors import StorageError


class JsonlWriter:
    """Writes to a file (``-`` for stdout). A reader skips a truncated last line after a crash."""

    def __init__(self, target: Path | str) -> None:
        self.target = str(target)
        self.count = 0
        self._stream: TextIO | None = None

    def write(self, record: dict[str, Any]) -> None:
        try:
            stream = self._open()
            stream.write(to_json_line(record))
            stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise StorageError(f"cannot write {self.target}: {error.strerror}") from error
        self.count += 1

    def close(self) -> None:
        if self._stream is not None and self._stream is not sys.stdout:
            self._stream.close()
        self._stream = None

    def _open(self) -> TextIO:
        if self._stream is None:
            if self.target == "-":
                self._stream = sys.stdout
            else:
                Path(self.target).parent.mkdir(parents=True, exist_ok=True)
                self._stream = open(self.target, "a", encoding="utf-8", newline="\n")
        return self._stream
