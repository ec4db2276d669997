"""Article records as JSONL: one record a line, written append-only and flushed line by line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
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


#: Keys every article record has (the catalog's ``articles`` row is made from them).
RECORD_KEYS = ("id", "url", "canonical_url", "site", "version", "previous_version_id",
               "text_sha256", "title", "published", "language", "capture")
#: A line that does not parse and ends the file without a newline: a crash mid-write.
TRUNCATED_LAST = "truncated last line (a crash while writing it)"


def record_problem(value: Any) -> str | None:
    """Why a parsed JSONL value is not an article record; None when it is one."""
    if not isinstance(value, dict):
        return f"a JSON {type(value).__name__}, not an article record"
    missing = [key for key in RECORD_KEYS if key not in value]
    if missing:
        return f"not an article record (no {', '.join(missing[:3])})"
    capture = value["capture"]
    if not isinstance(value["id"], str) or not isinstance(capture, dict) or not all(
            isinstance(capture.get(key), str) for key in ("record_id", "fetched_at")):
        return "not an article record (no id or capture record id)"
    return None


@dataclass(frozen=True)
class JsonlLine:
    """One physical line of a JSONL file: its record, or why it is not one."""

    number: int
    record: ArticleRecord | None
    problem: str | None

    @property
    def harmless(self) -> bool:
        """A truncated last line after a crash: expected, nothing is lost."""
        return self.problem == TRUNCATED_LAST


def iter_jsonl(path: Path) -> Iterator[JsonlLine]:
    """Every line of ``path`` with its 1-based number (the catalog's ``jsonl_line``)."""
    with open(path, encoding="utf-8", errors="replace", newline="\n") as stream:
        for number, text in enumerate(stream, start=1):
            yield parse_jsonl_line(number, text)


def parse_jsonl_line(number: int, text: str) -> JsonlLine:
    """Line ``number`` (its text with the newline, if any) as a record or a problem."""
    if not text.strip():
        return JsonlLine(number, None, "blank line")
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        problem = TRUNCATED_LAST if not text.endswith("\n") else "not JSON"
        return JsonlLine(number, None, problem)
    not_record = record_problem(value)
    return JsonlLine(number, None if not_record else value, not_record)


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
