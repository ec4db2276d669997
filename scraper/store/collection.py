"""The Python API: a collection folder as an object you can query without touching files by hand.

    from scraper import Collection
    for article in Collection("data").articles(site="al-monitor", since="2026-11-01"):
        print(article["published"], article["title"])

The CLI's ``export`` reads the collection through this same class. Records are streamed from
the JSONL files one file at a time, so memory stays flat however large the collection is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from archive.reader import archive_files
from scraper.errors import UsageError
from scraper.extract.record import ArticleRecord
from scraper.store.catalog import CATALOG_NAME, CatalogStore
from scraper.store.lines import CatalogLineReader, ReadProblems
from scraper.store.since import parse_since

DateField = Literal["published", "fetched"]


class Collection:
    """A collection folder: ``warc/``, ``articles/``, ``runs/`` and ``catalog.sqlite``.

    Args:
        path: the folder given to ``scraper crawl --data``.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        catalog = self.path / CATALOG_NAME
        if not catalog.exists():
            raise UsageError(f"no collection at {self.path} (no {CATALOG_NAME}): crawl into it "
                             "first, or run `scraper reindex` if it has WARC and JSONL files")
        self.catalog = CatalogStore(catalog, read_only=True)  # readers never write it
        #: What the last ``articles()`` iteration found wrong in the JSONL files.
        self.problems = ReadProblems()

    def articles(self, site: str | Iterable[str] | None = None,
                 since: str | datetime | None = None, until: str | datetime | None = None,
                 by: DateField = "published", language: str | None = None,
                 paywalled: bool | None = None, versions: Literal["latest", "all"] = "latest",
                 ) -> Iterator[ArticleRecord]:
        """Article records matching every filter given, oldest capture first.

        Args:
            site: a site name or several.
            since, until: bounds (inclusive, exclusive) on ``by``; a date, ``yesterday``, ``3d``.
            by: "published" (the article's date; undated articles are left out when a bound is
                given) or "fetched" (when it was captured).
            language: ISO 639-1 code of the detected language.
            paywalled: True or False to keep only those (None: all).
            versions: "latest" (one record per URL, its newest version) or "all".

        Lines that are not the record the catalog names are looked up by id, skipped and
        counted: after the iteration ``self.problems`` says what was found.
        """
        reader = CatalogLineReader(self.path)
        self.problems = reader.problems
        try:
            for article_id, jsonl_file, line in self._locations(site, since, until, by,
                                                                 language, versions):
                record = reader.record(jsonl_file, line, article_id)
                if record is None:
                    continue  # counted in self.problems and logged
                if paywalled is None or record.get("paywalled") is paywalled:
                    yield record
        finally:
            reader.close()

    def sites(self) -> list[str]:
        return [row[0] for row in self.catalog.query(
            "SELECT DISTINCT site FROM articles WHERE site IS NOT NULL ORDER BY site")]

    def warc_files(self) -> list[Path]:
        """The closed WARC (and imported ARC) files of the collection, sorted by name."""
        return archive_files(self.path / "warc")

    def _locations(self, site: str | Iterable[str] | None, since: str | datetime | None,
                   until: str | datetime | None, by: DateField, language: str | None,
                   versions: str) -> Iterator[tuple[str, str, int]]:
        if by not in ("published", "fetched"):
            raise UsageError(f"by={by!r}: use 'published' or 'fetched'")
        column = "published" if by == "published" else "fetched_at"
        where, parameters = [], []
        if site:
            names = [site] if isinstance(site, str) else list(site)
            where.append(f"site IN ({', '.join('?' for _ in names)})")
            parameters += names
        for bound, operator in ((since, ">="), (until, "<")):
            if bound:
                where.append(f"{column} IS NOT NULL AND julianday({column}) {operator} "
                             "julianday(?)")
                parameters.append(_moment(bound).isoformat())
        if language:
            where.append("language = ?")
            parameters.append(language)
        if versions == "latest":
            where.append("version = (SELECT MAX(version) FROM articles AS newer "
                         "WHERE newer.url = articles.url)")
        sql = ("SELECT id, jsonl_file, jsonl_line FROM articles"
               + (f" WHERE {' AND '.join(where)}" if where else "")
               + " ORDER BY fetched_at, jsonl_file, jsonl_line")
        yield from self.catalog.query(sql, tuple(parameters))


def _moment(value: str | datetime) -> datetime:
    moment = parse_since(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
