"""The catalog: one SQLite file (WAL mode) indexing captures, article versions and runs.

It only indexes what the WARC, JSONL and run-manifest files already hold, so ``scraper reindex``
can always rebuild it from them; nothing is known only to the catalog. Every write commits at
once (WAL with ``synchronous=NORMAL``: cheap, and a crash loses at most the last transaction,
which reindex restores).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scraper.errors import StorageError
from scraper.extract.record import ArticleRecord

CATALOG_NAME = "catalog.sqlite"
#: Seconds a write waits for another process' transaction (SQLite's busy timeout).
BUSY_TIMEOUT = 60.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, started_at TEXT, ended_at TEXT, command TEXT,
    exit_code INTEGER, manifest_file TEXT);
CREATE TABLE IF NOT EXISTS captures (
    record_id TEXT PRIMARY KEY, record_type TEXT, url TEXT, site TEXT, fetched_at TEXT,
    status INTEGER, payload_digest TEXT, warc_file TEXT, offset INTEGER, length INTEGER,
    refers_to TEXT, run_id TEXT, extraction TEXT);
CREATE INDEX IF NOT EXISTS captures_by_url ON captures(url, fetched_at);
CREATE TABLE IF NOT EXISTS frontier (
    url TEXT PRIMARY KEY, site TEXT, discovered_at TEXT, run_id TEXT);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, url TEXT, canonical_url TEXT, site TEXT, version INTEGER,
    previous_id TEXT, text_sha256 TEXT, title TEXT, published TEXT, language TEXT,
    fetched_at TEXT, capture_record_id TEXT, jsonl_file TEXT, jsonl_line INTEGER, run_id TEXT);
CREATE INDEX IF NOT EXISTS articles_by_url ON articles(url, version);
CREATE INDEX IF NOT EXISTS articles_by_capture ON articles(capture_record_id);
CREATE TABLE IF NOT EXISTS not_captured (
    url TEXT, site TEXT, reason TEXT, discovered_by TEXT, via TEXT, seen_at TEXT, run_id TEXT,
    PRIMARY KEY (url, run_id));
"""

#: ``captures.extraction``: what became of an article candidate (an HTML 200 response).
#: "pending" from its capture until its extraction finishes, then "article", "unchanged" (same
#: text as the latest version), "not_article/<reason>" or "failed/<kind>". NULL: not a
#: candidate, or captured with extraction off. A crash leaves "pending", and the next run,
#: ``scraper recover`` and ``scraper reindex`` extract what is pending (scraper.store.pending).
PENDING = "pending"

#: Columns added since the first schema, added to older catalogs when opened.
_ADDED_COLUMNS = {"captures": {"extraction": "TEXT"}}

CAPTURE_COLUMNS = ("record_id", "record_type", "url", "site", "fetched_at", "status",
                   "payload_digest", "warc_file", "offset", "length", "refers_to", "run_id",
                   "extraction")
ARTICLE_COLUMNS = ("id", "url", "canonical_url", "site", "version", "previous_id", "text_sha256",
                   "title", "published", "language", "fetched_at", "capture_record_id",
                   "jsonl_file", "jsonl_line", "run_id")
FRONTIER_COLUMNS = ("url", "site", "discovered_at", "run_id")
#: "Discovered, not captured": a URL discovery listed that the run could not fetch (blocked,
#: refused, timed out), with the reason; the run manifest holds the same list.
NOT_CAPTURED_COLUMNS = ("url", "site", "reason", "discovered_by", "via", "seen_at", "run_id")
RUN_COLUMNS = ("run_id", "started_at", "ended_at", "command", "exit_code", "manifest_file")


@dataclass(frozen=True)
class LatestVersion:
    article_id: str
    version: int
    text_sha256: str | None


@dataclass(frozen=True)
class LastCapture:
    record_id: str
    url: str
    fetched_at: str
    status: int
    payload_digest: str | None
    first_seen: str


def article_row(record: ArticleRecord, jsonl_file: str, line: int,
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
            # Workers of a distributed job write one catalog: wait for each other's commits.
            self._db = sqlite3.connect(self.path, isolation_level=None,
                                       check_same_thread=False, timeout=BUSY_TIMEOUT)
            _use_wal(self._db)
            self._db.execute("PRAGMA synchronous=NORMAL")
            # One transaction: a statement each would append a WAL frame set each (a small
            # disk, RLIMIT_FSIZE in the tests, fills before the crawl starts). IMMEDIATE: a
            # deferred one that read first is refused, not kept waiting, when another worker
            # wrote meanwhile.
            self._db.executescript(f"BEGIN IMMEDIATE;{SCHEMA}COMMIT;")
            self._add_missing_columns()
        except sqlite3.Error as error:
            raise StorageError(f"cannot open the catalog {self.path}: {error}") from error

    def close(self) -> None:
        self._db.close()

    def _add_missing_columns(self) -> None:
        for table, columns in _ADDED_COLUMNS.items():
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            for name, kind in columns.items():
                if name not in present:
                    try:
                        self._db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")
                    except sqlite3.OperationalError as error:
                        if "duplicate column" not in str(error):
                            raise  # else another worker added it meanwhile

    def add_capture(self, **values: Any) -> None:
        self._insert("captures", CAPTURE_COLUMNS, values)

    def add_article(self, **values: Any) -> None:
        self._insert("articles", ARTICLE_COLUMNS, values)

    def add_run(self, **values: Any) -> None:
        self._insert("runs", RUN_COLUMNS, values)

    def set_extraction(self, record_id: str, state: str) -> None:
        self._write("UPDATE captures SET extraction = ? WHERE record_id = ?", (state, record_id))

    def extraction_state(self, record_id: str) -> str | None:
        row = self._db.execute("SELECT extraction FROM captures WHERE record_id = ?",
                               (record_id,)).fetchone()
        return row[0] if row else None

    def capture(self, record_id: str) -> dict[str, Any] | None:
        row = self._db.execute(f"SELECT {', '.join(CAPTURE_COLUMNS)} FROM captures "
                               "WHERE record_id = ?", (record_id,)).fetchone()
        return dict(zip(CAPTURE_COLUMNS, row)) if row else None

    def pending_captures(self) -> list[dict[str, Any]]:
        """Captures whose extraction did not finish, in capture order (file, offset)."""
        rows = self._db.execute(f"SELECT {', '.join(CAPTURE_COLUMNS)} FROM captures WHERE "
                                "extraction = ? ORDER BY fetched_at, warc_file, offset",
                                (PENDING,)).fetchall()
        return [dict(zip(CAPTURE_COLUMNS, row)) for row in rows]

    def has_article_id(self, article_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM articles WHERE id = ?",
                                (article_id,)).fetchone() is not None

    def add_to_frontier(self, url: str, site: str | None, discovered_at: str,
                        run_id: str | None) -> None:
        """A URL discovered and not yet fetched; kept until fetched, so a crash forgets none."""
        self._write("INSERT OR IGNORE INTO frontier (url, site, discovered_at, run_id) "
                    "VALUES (?, ?, ?, ?)", (url, site, discovered_at, run_id))

    def remove_from_frontier(self, url: str) -> None:
        self._write("DELETE FROM frontier WHERE url = ?", (url,))

    def clear_frontier(self, site: str | None) -> None:
        self._write("DELETE FROM frontier WHERE site IS ?", (site,))

    def frontier(self, site: str | None) -> list[str]:
        return [row[0] for row in self._db.execute(
            "SELECT url FROM frontier WHERE site IS ? ORDER BY discovered_at, url", (site,))]

    def add_not_captured(self, **values: Any) -> None:
        self._insert("not_captured", NOT_CAPTURED_COLUMNS, values)

    def not_captured(self, site: str | None = None) -> list[dict[str, Any]]:
        """URLs discovered and never captured with a 200 since, newest reason first."""
        where = "AND n.site = ?" if site else ""
        rows = self._db.execute(
            f"SELECT {', '.join('n.' + c for c in NOT_CAPTURED_COLUMNS)} FROM not_captured n "
            "WHERE NOT EXISTS (SELECT 1 FROM captures c WHERE c.url = n.url AND c.status = 200 "
            f"AND c.fetched_at > n.seen_at) {where} ORDER BY n.site, n.url, n.seen_at DESC",
            (site,) if site else ()).fetchall()
        return [dict(zip(NOT_CAPTURED_COLUMNS, row)) for row in rows]

    def blocked_counts(self) -> dict[str, int]:
        """Site -> URLs a run found blocked (challenge or wall pages, refusals of a bot)."""
        rows = self._db.execute("SELECT site, COUNT(DISTINCT url) FROM not_captured "
                                "WHERE reason LIKE 'blocked%' GROUP BY site")
        return {site: count for site, count in rows}

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
        tables = {"runs": RUN_COLUMNS, "captures": CAPTURE_COLUMNS, "articles": ARTICLE_COLUMNS,
                  "not_captured": NOT_CAPTURED_COLUMNS}
        return {name: sorted(self._db.execute(f"SELECT {', '.join(cols)} FROM {name}"),
                             key=lambda row: tuple(str(v) for v in row))
                for name, cols in tables.items()}

    def execute_script(self, sql: str) -> None:
        self._write(sql, ())

    def attach(self, path: Path, name: str) -> None:
        """Attach another catalog (reindex reads what the old one knew)."""
        self._write(f"ATTACH DATABASE ? AS {name}", (str(path),))

    def detach(self, name: str) -> None:
        self._write(f"DETACH DATABASE {name}", ())

    def query(self, sql: str, parameters: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        yield from self._db.execute(sql, parameters)

    def _insert(self, table: str, columns: tuple[str, ...], values: dict[str, Any]) -> None:
        unknown = set(values) - set(columns)
        if unknown:
            raise ValueError(f"unknown {table} columns: {sorted(unknown)}")
        placeholders = ", ".join("?" for _ in columns)
        self._write(f"INSERT OR REPLACE INTO {table} ({', '.join(columns)}) "
                    f"VALUES ({placeholders})", tuple(values.get(c) for c in columns))

    def _write(self, sql: str, parameters: tuple[Any, ...]) -> None:
        try:
            self._db.execute(sql, parameters)
        except sqlite3.Error as error:
            raise StorageError(f"cannot write the catalog {self.path}: {error}") from error


def _use_wal(db: sqlite3.Connection) -> None:
    """``PRAGMA journal_mode=WAL``, which does not wait for a busy database: workers of a job
    that create the catalog at the same moment got "database is locked" (in 12 of 30 trials
    of 6 processes opening one new catalog at once). Retried here for up to BUSY_TIMEOUT."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while True:
        try:
            db.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


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
