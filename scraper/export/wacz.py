"""Package a collection, or one site's part of it, as a WACZ 1.1.1 file.

A WACZ is a ZIP that ReplayWeb.page opens as it is and pywb replays once unpacked:

    archive/<name>.warc.gz     the WARC files, whole and byte for byte (ZIP_STORED)
    indexes/index.cdx          one sorted CDXJ index of them; ``filename`` is the archive/ name
    pages/pages.jsonl          a header line, then one page per article: id, url, ts, title, text
    datapackage.json           frictionless data package: sha256 and size of every file above
    datapackage-digest.json    sha256 of datapackage.json

The page list carries each article's clean text, so ReplayWeb.page searches the full text.
The index is rebuilt from the included WARC files (as ``scraper index`` does), never copied, so
it always matches them. Everything is streamed: no WARC file is ever held in memory.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import IO, Any

from archive.extent import BoundedReader, ReadableExtent, readable_extent
from archive.index import write_index_lines
from archive.records import parse_warc_date
from scraper import __version__
from scraper.errors import RecordError, StorageError, UsageError, WarcError
from scraper.extract.record import ArticleRecord, CaptureInfo
from scraper.progress import ProgressLine, quiet_progress
from scraper.store.lines import ReadProblems

WACZ_VERSION = "1.1.1"
SUFFIX = ".wacz"
# CDXJ lines under the name pywb's `wb-manager add --unpack-wacz` looks for (it skips *.cdxj);
# ReplayWeb.page reads either name.
INDEX_PATH = "indexes/index.cdx"
PAGES_PATH = "pages/pages.jsonl"
DATAPACKAGE = "datapackage.json"
DATAPACKAGE_DIGEST = "datapackage-digest.json"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "All Pages", "hasText": True}
CHUNK = 1 << 20

__all__ = ["WACZ_VERSION", "PackageDamage", "WaczSummary", "check_entry_name", "summarize_wacz",
           "write_wacz"]


@dataclass(frozen=True)
class Resource:
    """One file of the package as ``datapackage.json`` lists it."""

    path: str
    hash: str
    bytes: int

    def as_json(self) -> dict[str, Any]:
        # Frictionless wants unique names of [-a-z0-9._/]; the archive/ names are unique already.
        name = re.sub(r"[^-a-z0-9._]", "-", PurePosixPath(self.path).name.lower())
        return {"name": name, "path": self.path, "hash": self.hash, "bytes": self.bytes}


@dataclass
class PackageDamage:
    """What ``write_wacz`` left out: damaged WARC files (kept up to the damage) and pages."""

    warcs: list[WarcError] = field(default_factory=list)
    #: Article versions left out because their capture lies in a damaged or empty part.
    pages_left_out: int = 0
    reading: ReadProblems = field(default_factory=ReadProblems)

    @property
    def any(self) -> bool:
        return bool(self.warcs or self.pages_left_out or self.reading.damaged)


class _Extents:
    """The readable extent of each WARC file, scanned once (``archive.extent``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._known: dict[str, ReadableExtent] = {}

    def of(self, path: Path) -> ReadableExtent:
        if path.name not in self._known:
            self._known[path.name] = readable_extent(path)
        return self._known[path.name]

    def holds(self, capture: CaptureInfo) -> bool:
        path = self.root / capture["warc_file"]
        if not path.is_file():
            return True  # reported as missing when the files are gathered
        return self.of(path).holds(int(capture["offset"]), int(capture["length"]))


@dataclass(frozen=True)
class WaczSummary:
    """What a WACZ file holds: page count, WARC file count, its own size in bytes."""

    path: Path
    pages: int
    warc_files: int
    size: int


def write_wacz(collection: Any, output: str | Path, site: str | None = None,
               since: str | datetime | None = None, until: str | datetime | None = None,
               title: str | None = None, progress: ProgressLine | None = None,
               damage: PackageDamage | None = None) -> Path:
    """Write the collection's articles and the WARC files holding them as a WACZ file.

    With no filter every closed WARC file of the collection goes in; with ``site``, ``since``
    or ``until``, only the WARC files holding a selected article's capture (whole files). Every
    version of each selected article is a page, at the time it was fetched.

    Args: ``collection``, a ``scraper.Collection`` or a collection folder; ``output``, the
    ``.wacz`` file, replaced atomically; ``site``, ``since``, ``until`` (published date, as for
    ``Collection.articles``) filter; ``title`` (default: from the filters); ``progress``
    counts the bytes copied; ``damage`` is filled with what was left out: a damaged WARC goes
    in up to its last complete record (an empty one not at all), no page points past that.
    Without ``damage``, damage raises WarcError.

    Returns the path written. Raises UsageError (bad output name, unknown site, nothing to
    package), WarcError (a WARC file missing, still open, unreadable), StorageError.
    """
    collection = _as_collection(collection)
    output = Path(output)
    _check_request(collection, output, site)
    filtered = bool(site or since or until)
    articles = collection.articles(site=site, since=since, until=until, versions="all")
    found = PackageDamage() if damage is None else damage
    extents = _Extents(Path(collection.path))
    # Scratch space next to the output, not in /tmp (often small, or RAM): the page list holds
    # every article's text.
    with tempfile.TemporaryDirectory(prefix=f".{output.name}.", dir=_ready_folder(output)) \
            as scratch:
        pages = Path(scratch) / "pages.jsonl"
        count, referenced = _write_pages(articles, pages, extents, found)
        found.reading = getattr(collection, "problems", found.reading)
        if filtered and not count and not found.pages_left_out:
            raise UsageError(f"no articles match {_describe(site, since, until)} in "
                             f"{collection.path}: nothing to package")
        limits = _readable_limits(_warc_paths(collection, referenced, every=not filtered),
                                  extents, found)
        if found.warcs and (damage is None or not limits):
            raise found.warcs[0]
        if not limits:
            raise UsageError(f"no readable WARC files in {collection.path / 'warc'}: "
                             "nothing to package")
        index = Path(scratch) / "index.cdxj"
        _write_index(limits, index)
        _package(output, limits, index, pages, title or
                 f"mena-scraper: {_describe(site, since, until)}", progress or quiet_progress())
    return output


def _package(output: Path, limits: dict[Path, int | None], index: Path, pages: Path,
             title: str, progress: ProgressLine) -> None:
    progress.total_files = len(limits)
    progress.total_bytes = sum(limit if limit is not None else warc.stat().st_size
                               for warc, limit in limits.items())
    try:
        _write_zip_atomically(output, limits, index, pages, title, progress)
    finally:
        progress.close()


def _check_request(collection: Any, output: Path, site: str | None) -> None:
    """UsageError for a bad output name or a site the collection does not hold."""
    if output.suffix != SUFFIX:
        raise UsageError(f"{output}: a WACZ file name must end in {SUFFIX}")
    if site and site not in collection.sites():
        known = ", ".join(collection.sites()) or "none"
        raise UsageError(f"no articles of site {site!r} in {collection.path} (sites: {known})")


def _readable_limits(warcs: list[Path], extents: _Extents,
                     found: PackageDamage) -> dict[Path, int | None]:
    """Each WARC file with the byte it is read up to (None: whole); empty ones left out."""
    limits: dict[Path, int | None] = {}
    for path in warcs:
        extent = extents.of(path)
        if extent.damage is not None:
            found.warcs.append(extent.damage)
        if extent.end:
            limits[path] = None if extent.whole else extent.end
    return limits


def summarize_wacz(path: str | Path) -> WaczSummary:
    """Count the pages and WARC files of a WACZ from its page list and data package."""
    path = Path(path)
    with zipfile.ZipFile(path) as package:
        resources = json.loads(package.read(DATAPACKAGE))["resources"]
        with package.open(PAGES_PATH) as lines:
            pages = sum(1 for line in lines if line.strip()) - 1  # the header line
    warcs = sum(1 for r in resources if r["path"].startswith("archive/"))
    return WaczSummary(path, pages, warcs, path.stat().st_size)


def check_entry_name(name: str) -> str:
    """Return ``name`` if it is a safe relative ZIP entry name, else raise ValueError."""
    parts = name.split("/")
    if (not name or name.startswith("/") or "\\" in name or ":" in parts[0]
            or any(part in ("", ".", "..") for part in parts)):
        raise ValueError(f"unsafe ZIP entry name {name!r}")
    return name


def _as_collection(collection: Any) -> Any:
    if isinstance(collection, (str, Path)):
        from scraper.store.collection import Collection

        return Collection(collection)
    return collection


def _ready_folder(output: Path) -> Path:
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(f"cannot write {output}: {error}") from error
    return output.parent


def _describe(site: str | None, since: str | datetime | None,
              until: str | datetime | None) -> str:
    words = [site or "all sites"]
    words += [f"since {since}"] if since else []
    words += [f"until {until}"] if until else []
    return " ".join(str(w) for w in words)


def _write_pages(articles: Iterable[ArticleRecord], path: Path, extents: _Extents,
                 found: PackageDamage) -> tuple[int, set[str]]:
    """Write the page list; return its page count and the WARC files (relative) they are in."""
    count, referenced = 0, set()
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(json.dumps(PAGES_HEADER) + "\n")
        for record in articles:
            if not extents.holds(record["capture"]):
                found.pages_left_out += 1  # its capture is past the damage: nothing to replay
                continue
            out.write(json.dumps(_page(record), ensure_ascii=False) + "\n")
            referenced.add(record["capture"]["warc_file"])
            count += 1
    return count, referenced


def _page(record: ArticleRecord) -> dict[str, Any]:
    page: dict[str, Any] = {"id": record["id"], "url": record["url"],
            "ts": _page_time(record["capture"]["fetched_at"])}
    if record.get("title"):
        page["title"] = record["title"]
    page["text"] = record.get("text") or ""
    return page


def _page_time(fetched_at: str) -> str:
    """RFC 3339 to the second, as the CDXJ's 14-digit timestamps (ReplayWeb.page matches them)."""
    moment = parse_warc_date(fetched_at)
    if moment is None:
        raise RecordError(f"capture date {fetched_at!r} is not an ISO 8601 date with an offset")
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _warc_paths(collection: Any, referenced: set[str], every: bool) -> list[Path]:
    """The WARC files to include, sorted by name; each must exist and be closed."""
    root = Path(collection.path)
    paths = {p.name: p for p in collection.warc_files()} if every else {}
    for relative in referenced:
        path = root / relative
        if path.parent.resolve() != (root / "warc").resolve():
            raise WarcError("an article record points outside the collection's warc/ folder",
                            path=path)
        if not path.is_file():
            hint = (" (still being written: wait for the crawl or run `scraper recover`)"
                    if path.with_name(path.name + ".open").exists() else "")
            raise WarcError(f"this WARC file holds an article's capture but is missing{hint}",
                            path=path)
        paths[path.name] = path
    if not paths:
        raise UsageError(f"no closed WARC files in {root / 'warc'}: nothing to package")
    return [paths[name] for name in sorted(paths)]


def _write_index(limits: dict[Path, int | None], target: Path) -> None:
    """One sorted CDXJ index of all the files, made as ``scraper index`` makes its own."""
    with target.open("w", encoding="utf-8", newline="\n") as out:
        write_index_lines(out, limits)


def _write_zip_atomically(output: Path, warcs: dict[Path, int | None], index: Path,
                          pages: Path, title: str, progress: ProgressLine) -> None:
    """Build the ZIP in a temporary file next to ``output``, then rename it into place."""
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".tmp",
                                         dir=output.parent)
    except OSError as error:
        raise StorageError(f"cannot write {output}: {error.strerror}") from error
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w+b") as stream:
            _write_zip(stream, warcs, index, pages, title, progress)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes it private; a web server may serve it
        os.replace(temp, output)
    except OSError as error:
        raise StorageError(f"cannot write {output}: {error}") from error
    finally:
        temp.unlink(missing_ok=True)


def _write_zip(stream: IO[bytes], warcs: dict[Path, int | None], index: Path, pages: Path,
               title: str, progress: ProgressLine) -> None:
    created = datetime.now(timezone.utc).replace(microsecond=0)
    with zipfile.ZipFile(stream, "w", allowZip64=True) as package:
        resources = []
        for warc, limit in warcs.items():
            resources.append(_add_file(package, warc, f"archive/{warc.name}",
                                       zipfile.ZIP_STORED, created, progress, limit))
            progress.file_done(0)
        resources.append(_add_file(package, index, INDEX_PATH, zipfile.ZIP_DEFLATED, created))
        resources.append(_add_file(package, pages, PAGES_PATH, zipfile.ZIP_DEFLATED, created))
        datapackage = _datapackage(resources, title, created)
        _add_bytes(package, DATAPACKAGE, datapackage, created)
        digest = {"path": DATAPACKAGE, "hash": _sha256(datapackage)}
        _add_bytes(package, DATAPACKAGE_DIGEST, _json_bytes(digest), created)


def _add_file(package: zipfile.ZipFile, source: Path, name: str, compress_type: int,
              created: datetime, progress: ProgressLine | None = None,
              limit: int | None = None) -> Resource:
    """Stream ``source`` (its first ``limit`` bytes, if given) into the ZIP as ``name``,
    hashing it on the way."""
    info = zipfile.ZipInfo.from_file(source, check_entry_name(name))
    info.compress_type = compress_type  # file_size is known, so ZIP64 is chosen when needed
    info.date_time = created.timetuple()[:6]
    if limit is not None:
        info.file_size = limit
    digest, size = hashlib.sha256(), 0
    with source.open("rb") as raw, package.open(info, "w") as dst:
        src = raw if limit is None else BoundedReader(raw, limit)
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            size += len(chunk)
            if progress is not None:
                progress.add(records=0, size=len(chunk))
    return Resource(name, f"sha256:{digest.hexdigest()}", size)


def _add_bytes(package: zipfile.ZipFile, name: str, data: bytes, created: datetime) -> None:
    info = zipfile.ZipInfo(check_entry_name(name), date_time=created.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    package.writestr(info, data)


def _datapackage(resources: list[Resource], title: str, created: datetime) -> bytes:
    return _json_bytes({
        "profile": "data-package",
        "wacz_version": WACZ_VERSION,
        "title": title,
        "created": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "software": f"mena-scraper {__version__}",
        "resources": [r.as_json() for r in resources],
    })


def _json_bytes(value: dict[str, Any]) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _sha256(data: bytes) -> str:
    return f"sha256:{hashlib.sha256(data).hexdigest()}"

