"""The catalog: one SQLite file (WAL mode) indexing captures, article versions and runs.

It only indexes what the WARC, JSONL and run-manifest files already hold, so ``scraper reindex``
can always rebuild it from them; nothing is known only to the catalog. Every write commits at
once (WAL with ``synchronous=NORMAL``: cheap, and a crash loses at most the last transaction,
which reindex restores).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scraper.errors import StorageError

CATALOG_NAME = "catalog.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, started_at TEXT, ended_at TEXT, command TEXT,
    exit_code INTEGER, manifest_file TEXT);
CREATE TABLE IF NOT EXISTS captures (
    record_id TEXT PRIMARY KEY, record_type TEXT, url TEXT, site TEXT, fetched_at TEXT,
    status INTEGER, payload_digest TEXT, warc_file TEXT, offset INTEGER, length INTEGER,
    refers_to TEXT, run_id TEXT);
CREATE INDEX IF NOT EXISTS captures_by_url ON captures(url, fetched_at);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, url TEXT, canonical_url TEXT, site TEXT, version INTEGER,
    previous_id TEXT, text_sha256 TEXT, title TEXT, published TEXT, language TEXT,
    fetched_at TEXT, capture_record_id TEXT, jsonl_file TEXT, jsonl_line INTEGER, run_id TEXT);
CREATE INDEX IF NOT EXISTS articles_by_url ON articles(url, version);
"""

CAPTURE_COLUMNS = ("record_id", "record_type", "url", "site", "fetched_at", "status",
                   "payload_digest", "warc_file", "offset", "length", "refers_to", "run_id")
ARTICLE_COLUMNS = ("id", "url", "canonical_url", "site", "version", "previous_id", "text_sha256",
                   "title", "published", "language", "fetched_at", "capture_record_id",
                   "jsonl_file", "jsonl_line", "run_id")
RUN_COLUMNS = ("run_id", "started_at", "ended_at", "command", "exit_code", "manifest_file")


@dataclass(frozen=True)
class LatestVersion:
    article_id: str
    version: int
    text_sha256: str


@dataclass(frozen=True)
class LastCapture:
    record_id: str
    url: str
    fetched_at: str
    status: int
    payload_digest: str | None
    first_seen: str


def article_row(record: dict[str, Any], jsonl_file: str, line: int,
                run_id: str | None) -> dict[str, Any]:
    """The catalog's ``articles`` row for an article record stored at ``jsonl_file:line``."""
    return {
        "id": record["id"], "url": record["url"], "canonical_url": record["canonical_url"],
        "site": record["site"], "version": record["version"],
        "previous_id": record["previous_version_id"], "text_sha256": record["text_sha256"],
        "title": record["title"], "published": record["published"],
        "language": record["language"], "fetched_at": record["capture"]["fetched_at"],
        "capture_record_id": record["capture"]["record_id"], "jsonl_file": jsonl_file,
        "jsonl_line": line, "run_id": run_id}


class CatalogStore:
    """Args: path of the SQLite file (created with its tables when missing); ``read_only``
    opens an existing one for reading only, so a collection on read-only media can be read."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = Path(path)
        if read_only:
            self._db = _open_read_only(self.path)
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, isolation_level=None,
                                       check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except sqlite3.Error as error:
            raise StorageError(f"cannot open the catalog {self.path}: {error}") from error

    def close(self) -> None:
        self._db.close()

    def add_capture(self, **values: Any) -> None:
        self._insert("captures", CAPTURE_COLUMNS, values)

    def add_article(self, **values: Any) -> None:
        self._insert("articles", ARTICLE_COLUMNS, values)

    def add_run(self, **values: Any) -> None:
        self._insert("runs", RUN_COLUMNS, values)

    def last_capture(self, url: str, full_only: bool = False) -> LastCapture | None:
        """The newest capture of ``url`` (revisits included unless ``full_only``), with when
        the URL was first seen."""
        kinds = "('response')" if full_only else "('response', 'revisit')"
        row = self._db.execute(
            "SELECT record_id, url, fetched_at, status, payload_digest, "
            "(SELECT MIN(fetched_at) FROM captures WHERE url = ?) FROM captures "
            f"WHERE url = ? AND record_type IN {kinds} ORDER BY fetched_at DESC LIMIT 1",
            (url, url)).fetchone()
        return LastCapture(*row) if row else None

    def article_urls(self) -> list[str]:
        return [row[0] for row in self._db.execute("SELECT DISTINCT url FROM articles")]

    def latest_version(self, url: str) -> LatestVersion | None:
        row = self._db.execute(
            "SELECT id, version, text_sha256 FROM articles WHERE url = ? "
            "ORDER BY version DESC LIMIT 1", (url,)).fetchone()
        return LatestVersion(*row) if row else None

    def versions(self, url: str) -> list[dict[str, Any]]:
        rows = self._db.execute(
            f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE url = ? OR "
            "canonical_url = ? ORDER BY version", (url, url)).fetchall()
        return [dict(zip(ARTICLE_COLUMNS, row)) for row in rows]

    def is_article_url(self, url: str) -> bool:
        return self._db.execute("SELECT 1 FROM articles WHERE url = ? LIMIT 1",
                                (url,)).fetchone() is not None

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, sorted: what a rebuilt catalog must equal."""
        tables = {"runs": RUN_COLUMNS, "captures": CAPTURE_COLUMNS, "articles": ARTICLE_COLUMNS}
        return {name: sorted(self._db.execute(f"SELECT {', '.join(cols)} FROM {name}"),
                             key=lambda row: tuple(str(v) for v in row))
                for name, cols in tables.items()}

    def query(self, sql: str, parameters: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        yield from self._db.execute(sql, parameters)

    def _insert(self, table: str, columns: tuple[str, ...], values: dict[str, Any]) -> None:
        unknown = set(values) - set(columns)
        if unknown:
            raise ValueError(f"unknown {table} columns: {sorted(unknown)}")
        placeholders = ", ".join("?" for _ in columns)
        try:
            self._db.execute(f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) "
                             f"VALUES ({placeholders})", [values.get(c) for c in columns])
        except sqlite3.Error as error:
            raise StorageError(f"cannot write the catalog {self.path}: {error}") from error


def _open_read_only(path: Path) -> sqlite3.Connection:
    """``mode=ro`` first (sees a running crawl's WAL); ``immutable=1`` when even that needs a
    write (a WAL database in a read-only folder: SQLite cannot create its -shm file)."""
    last: sqlite3.Error | None = None
    for mode in ("mode=ro", "immutable=1"):
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True,
                                 isolation_level=None, check_same_thread=False)
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.Error as error:
            last = error
    raise StorageError(f"cannot read the catalog {path}: {last}")
