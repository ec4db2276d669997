"""Article records as JSONL: one record a line, written append-only and flushed line by line."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from scraper.errors import StorageError
from scraper.extract.record import ArticleRecord


def to_json_line(record: Mapping[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def read_json_lines(text: str) -> list[ArticleRecord]:
    """Records of a JSONL file; a truncated last line (a crash mid-write) is skipped."""
    records: list[ArticleRecord] = []
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            if number < len(lines) - 1 and any(rest.strip() for rest in lines[number + 1:]):
                raise
    return records


class JsonlWriter:
    """Writes to a file (``-`` for stdout). A reader skips a truncated last line after a crash."""

    def __init__(self, target: Path | str) -> None:
        self.target = str(target)
        self.count = 0
        self._stream: TextIO | None = None

    def write(self, record: Mapping[str, Any]) -> None:
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
