"""Read the article records the catalog points at (``jsonl_file``, ``jsonl_line``), checked.

The catalog's line numbers are only trusted when the line holds the record the catalog names:
a blank, garbage or foreign line inserted into a JSONL file shifts every line after it. A line
that is not the expected record makes the reader look the record up by id in the whole file
(once per file), so no real article is dropped; what is not a record is skipped and counted, and
a record the catalog names but no file holds is reported. ``export``, ``package``, ``history``
and ``Collection.articles()`` read through this class and say what it found.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from scraper.extract.record import ArticleRecord
from scraper.store.jsonl import parse_jsonl_line

logger = logging.getLogger(__name__)

REINDEX_HINT = "run `scraper reindex` to renumber the catalog"


@dataclass
class ReadProblems:
    """What reading the records found wrong (empty when everything was where it should be)."""

    #: Records found at another line than the catalog's (lines inserted or removed).
    moved: int = 0
    #: Records the catalog names that their file does not hold: "file: id".
    missing: list[str] = field(default_factory=list)
    #: Numbers of the lines that are not article records, per JSONL file (a crash's truncated
    #: last line aside).
    not_records: dict[str, list[int]] = field(default_factory=dict)

    @property
    def damaged(self) -> bool:
        return bool(self.missing or self.not_records)

    def messages(self) -> list[str]:
        lines = [skipped_lines_message(name, numbers)
                 for name, numbers in sorted(self.not_records.items())]
        if self.moved:
            lines.append(f"{self.moved} record(s) were not at the line the catalog says and "
                         f"were found by id; {REINDEX_HINT}")
        if self.missing:
            lines.append(f"{len(self.missing)} record(s) in the catalog are in no JSONL file "
                         f"(first: {self.missing[0]}); {REINDEX_HINT}")
        return lines


def skipped_lines_message(jsonl_file: str, numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:5])) + (", ..." if len(numbers) > 5 else "")
    return (f"{jsonl_file}: skipped {len(numbers)} line(s) that are not article records "
            f"(blank, not JSON or not a record: lines {shown})")


class CatalogLineReader:
    """Reads given lines of many JSONL files in any order, mostly moving forward.

    Records come in capture order, which interleaves files (one per site per run) but moves
    forward within each; a reader per file keeps its place, at most ``MAX_OPEN`` files open.
    """

    MAX_OPEN = 32

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems = ReadProblems()
        self._open: dict[str, tuple[BinaryIO, int]] = {}  # file -> (stream, lines read)
        self._by_id: dict[str, dict[str, int]] = {}  # file -> record id -> byte offset

    def record(self, jsonl_file: str, line: int, article_id: str) -> ArticleRecord | None:
        """The record ``article_id`` the catalog places at ``jsonl_file:line``; None if lost."""
        found = self._at_line(jsonl_file, line)
        if found is not None and found.get("id") == article_id:
            return found
        offset = self._index(jsonl_file).get(article_id)
        if offset is None:
            self.problems.missing.append(f"{jsonl_file}: {article_id}")
            logger.warning("%s line %d: record %s is not in the file (%s)", jsonl_file, line,
                           article_id, REINDEX_HINT)
            return None
        self.problems.moved += 1
        with open(self.root / jsonl_file, "rb") as stream:
            stream.seek(offset)
            record: ArticleRecord = json.loads(stream.readline())
        return record

    def close(self) -> None:
        for stream, _ in self._open.values():
            stream.close()
        self._open.clear()

    def _at_line(self, jsonl_file: str, line: int) -> ArticleRecord | None:
        stream, done = self._open.pop(jsonl_file, (None, 0))
        if stream is None or line <= done:
            if stream is not None:
                stream.close()
            try:
                stream, done = open(self.root / jsonl_file, "rb"), 0
            except OSError:
                return None
        text = b""
        while done < line:
            text = stream.readline()
            done += 1
            if not text:
                break
        self._open[jsonl_file] = (stream, done)  # most recently used last
        if len(self._open) > self.MAX_OPEN:
            oldest = next(iter(self._open))
            self._open.pop(oldest)[0].close()
        if not text:
            return None
        return parse_jsonl_line(line, text.decode("utf-8", errors="replace")).record

    def _index(self, jsonl_file: str) -> dict[str, int]:
        """Byte offset of every record in the file by id; counts its lines that are not records."""
        if jsonl_file in self._by_id:
            return self._by_id[jsonl_file]
        offsets: dict[str, int] = {}
        path = self.root / jsonl_file
        if path.exists():
            position = 0
            with open(path, "rb") as stream:
                for number, raw in enumerate(stream, start=1):
                    parsed = parse_jsonl_line(number, raw.decode("utf-8", errors="replace"))
                    if parsed.record is not None:
                        offsets.setdefault(parsed.record["id"], position)
                    elif not parsed.harmless:
                        self.problems.not_records.setdefault(jsonl_file, []).append(number)
                        logger.info("%s line %d skipped: %s", jsonl_file, parsed.number,
                                       parsed.problem)
                    position += len(raw)
        self._by_id[jsonl_file] = offsets
        return offsets
