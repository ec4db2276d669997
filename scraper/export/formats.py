"""Export article records as JSONL, Parquet or CSV, streamed so memory stays flat.

    from scraper import Collection
    from scraper.export.formats import export
    export(Collection("data").articles(language="ar"), "parquet", "corpus.parquet")

JSONL lines are the records exactly as the crawl wrote them. Parquet and CSV share one flat
column layout (``COLUMNS``): the record's top-level fields in schema order, then its nested
objects flattened with their name as prefix (``encoding_name``, ``capture_fetched_at``,
``extractor_version``), then ``near_duplicate_of``. Flat rather than struct columns so that
the CSV and the Parquet file have the same columns, and pandas, DuckDB and Spark users get plain
columns without unnesting. Parquet columns are typed with an explicit schema (an empty export
still has every column); CSV cells are text: lists joined with ``"; "``, booleans ``true`` /
``false``, null empty, dates as stored (ISO 8601 with the publisher's UTC offset).
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Protocol, cast

from archive.records import parse_warc_date
from scraper import __version__
from scraper.errors import RecordError, StorageError, UsageError
from scraper.extract.record import ArticleRecord
from scraper.store.jsonl import to_json_line

FORMATS = ("jsonl", "parquet", "csv")
# A Parquet row group ends at whichever comes first. It is what the export holds in memory
# (about 5x its text: Python strings, their Arrow copy, the encoder's pages).
ROW_GROUP_SIZE = 10_000  # records
ROW_GROUP_TEXT = 16_000_000  # characters of article text: ~4,000 articles of 4 KB
LIST_SEPARATOR = "; "
UTF8_BOM = "\ufeff".encode()


@dataclass(frozen=True)
class Column:
    """One column of the flat layout: its name, its kind and where its value is in a record."""

    name: str
    kind: str  # string, int32, int64, bool, timestamp (UTC instant), list (of strings)
    path: tuple[str, ...]

    def value(self, record: ArticleRecord) -> Any:
        value: Any = record.get(self.path[0])
        if len(self.path) == 2:
            value = (value or {}).get(self.path[1])
        return value


def _layout() -> tuple[Column, ...]:
    top = ("id string, schema_version int32, version int32, previous_version_id string, "
           "url string, canonical_url string, site string, page_kind string, "
           "page_evidence list, title string, title_source string, description string, "
           "standfirst string, text string, text_source string, authors list, "
           "authors_source string, "
           "published timestamp, modified timestamp, "
           "date_source string, language string, declared_language string, section string, "
           "tags list, image string, paywalled bool, word_count int32, text_sha256 string")
    nested = {"encoding": "name string, source string",
              "capture": "warc_file string, offset int64, length int64, record_id string, "
                         "fetched_at timestamp, status int32, payload_digest string",
              "extractor": "name string, version string, pipeline string, config_sha256 string"}
    columns = [Column(name, kind, (name,)) for name, kind in _pairs(top)]
    for parent, fields in nested.items():
        columns += [Column(f"{parent}_{name}", kind, (parent, name))
                    for name, kind in _pairs(fields)]
    # Added to records by scraper/near_duplicates.py; always present here, null when absent.
    return (*columns, Column("near_duplicate_of", "string", ("near_duplicate_of",)))


def _pairs(spec: str) -> list[tuple[str, str]]:
    return [tuple(item.split()) for item in spec.split(", ")]  # type: ignore[misc]


COLUMNS = _layout()


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote.

    Args:
        records: records written (handed to the output, when the reader stopped early).
        format: jsonl, parquet or csv.
        output: the file written, or ``-`` for stdout.
        complete: False when the reader of stdout closed it before the end (``| head``).
    """

    records: int
    format: str
    output: str
    complete: bool = True

    @property
    def summary(self) -> str:
        where = "stdout" if self.output == "-" else self.output
        noun = "record" if self.records == 1 else "records"
        if not self.complete:
            return f"export stopped after {self.records} {noun}: the reader closed {where}"
        return f"{self.records} {noun} exported to {where}"


def export(records: Iterable[ArticleRecord], format: str, output: str | Path, *,
           bom: bool = False, row_group_size: int = ROW_GROUP_SIZE) -> ExportSummary:
    """Write records to ``output`` one at a time.

    Args:
        records: article records, e.g. from ``Collection.articles(...)``.
        format: "jsonl", "parquet" or "csv".
        output: a file path (written whole, then renamed into place), or "-" for stdout
            (not for Parquet). When the reader of stdout closes it early, the export stops
            quietly and stdout is pointed at /dev/null so the interpreter's exit is clean.
        bom: CSV only: start with a UTF-8 byte order mark (Excel then reads Arabic correctly).
        row_group_size: Parquet records per row group at most (a row group also ends at
            ROW_GROUP_TEXT characters of text): what is held in memory at once.

    Returns:
        How many records were written, and whether the reader took them all.
    """
    output = str(output)
    _check_options(format, output, bom)
    sink_for: dict[str, Callable[..., Sink]] = {"jsonl": JsonlSink, "csv": CsvSink,
                                                "parquet": ParquetSink}
    count = 0
    stream = _Output(output)
    try:
        sink = sink_for[format](stream, bom=bom, row_group_size=row_group_size)
        for record in records:
            sink.write(record)
            count += 1
        sink.close()
        stream.finish()
    except BrokenPipeError:  # `| head`: the reader has all it wants
        stream.abandon()
        if output == "-":
            _point_stdout_at_devnull()
        return ExportSummary(count, format, output, complete=False)
    except BaseException:
        stream.abandon()
        raise
    return ExportSummary(count, format, output)


def _check_options(format: str, output: str, bom: bool) -> None:
    if format not in FORMATS:
        raise UsageError(f"unknown export format {format!r}: use {', '.join(FORMATS)}")
    if format == "parquet" and output == "-":
        raise UsageError("Parquet cannot be written to stdout: give a file, e.g. "
                         "-o corpus.parquet (or use --format jsonl or csv for a pipe)")
    if bom and format != "csv":
        raise UsageError("--bom only applies to --format csv")


class _Output:
    """The export's byte stream. A file is written under a temporary name and renamed into
    place at the end, so a failed export never leaves a truncated file under the real name."""

    def __init__(self, output: str) -> None:
        self.name = "stdout" if output == "-" else output
        self.position = 0  # pyarrow asks for tell()
        self._partial: Path | None = None
        self._target: Path | None = None if output == "-" else Path(output)
        self._abandoned = False
        self._stream = self._open()

    def write(self, data: bytes) -> int:
        if not self._abandoned:  # a failed ParquetWriter still writes its footer when collected
            self._guarded(self._stream.write, data)
        self.position += len(data)
        return len(data)

    def tell(self) -> int:
        return self.position

    def flush(self) -> None:
        if not self._abandoned:
            self._guarded(self._stream.flush)

    @property
    def closed(self) -> bool:
        return False  # closed by finish() or abandon(), never by a sink

    def finish(self) -> None:
        if self._target is None:
            self.flush()
            return
        self._guarded(self._stream.close)
        if self._partial is not None:
            self._guarded(os.replace, self._partial, self._target)

    def abandon(self) -> None:
        self._abandoned = True
        if self._target is None:
            return  # stdout: whatever the reader got, it got
        try:
            self._stream.close()
        except OSError:
            pass  # the error that made us abandon is the one reported
        if self._partial is not None:
            self._partial.unlink(missing_ok=True)

    def _open(self) -> BinaryIO:
        if self._target is None:
            sys.stdout.flush()
            return sys.stdout.buffer
        target = self._target
        if target.exists() and not target.is_file():  # /dev/null, a FIFO: write in place
            return cast(BinaryIO, self._guarded(open, target, "wb"))
        self._guarded(target.parent.mkdir, parents=True, exist_ok=True)
        self._partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
        return cast(BinaryIO, self._guarded(open, self._partial, "wb"))

    def _guarded(self, action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return action(*args, **kwargs)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise StorageError(f"cannot write {self.name}: {error.strerror or error}") from error


def _point_stdout_at_devnull() -> None:
    """After EPIPE, what is still buffered for stdout must go somewhere, or Python's exit
    flush raises again (see "Note on SIGPIPE" in the docs of the signal module)."""
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):
        return  # not a real file descriptor (e.g. click's CliRunner)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


class Sink(Protocol):
    def write(self, record: ArticleRecord) -> None: ...

    def close(self) -> None: ...


class JsonlSink:
    """The records as stored: the same serialization as the crawl's JSONL writer."""

    def __init__(self, stream: _Output, **_: Any) -> None:
        self.stream = stream

    def write(self, record: ArticleRecord) -> None:
        self.stream.write(to_json_line(record).encode("utf-8"))

    def close(self) -> None:
        pass


class CsvSink:
    """One row per record in the flat layout, RFC 4180 quoting (newlines in text kept)."""

    def __init__(self, stream: _Output, bom: bool = False, **_: Any) -> None:
        self.stream = stream
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)
        if bom:
            stream.write(UTF8_BOM)
        self._row([column.name for column in COLUMNS])

    def write(self, record: ArticleRecord) -> None:
        self._row([_csv_cell(column.kind, column.value(record)) for column in COLUMNS])

    def close(self) -> None:
        pass

    def _row(self, cells: list[Any]) -> None:
        self.writer.writerow(cells)
        self.stream.write(self.buffer.getvalue().encode("utf-8"))
        self.buffer.seek(0)
        self.buffer.truncate()


def _csv_cell(kind: str, value: Any) -> Any:
    if value is None:
        return ""
    if kind == "list":
        return LIST_SEPARATOR.join(value)
    if kind == "bool":
        return "true" if value else "false"
    return value


class ParquetSink:
    """Typed columns, one row group per ``row_group_size`` records, zstd-compressed."""

    # Few distinct values: dictionary encoding pays. Text, ids and URLs would only waste time.
    DICTIONARY_COLUMNS = ("schema_version", "site", "page_kind", "title_source", "text_source",
                          "authors_source", "date_source", "language",
                          "declared_language", "section", "encoding_name", "encoding_source",
                          "capture_warc_file", "capture_status", "extractor_name",
                          "extractor_version", "extractor_pipeline", "extractor_config_sha256")

    def __init__(self, stream: _Output, row_group_size: int = ROW_GROUP_SIZE, **_: Any) -> None:
        import pyarrow.parquet as parquet  # only Parquet exports pay for importing pyarrow

        self.schema = parquet_schema()
        self.row_group_size = row_group_size
        self.text_characters = 0
        self.writer = parquet.ParquetWriter(stream, self.schema, compression="zstd",
                                            use_dictionary=list(self.DICTIONARY_COLUMNS))
        self.pending: list[list[Any]] = [[] for _ in COLUMNS]

    def write(self, record: ArticleRecord) -> None:
        for column, values in zip(COLUMNS, self.pending):
            value = column.value(record)
            if column.kind == "timestamp" and value is not None:
                value = _utc_instant(value, record, column.name)
            values.append(value)
        self.text_characters += len(record.get("text") or "")
        if len(self.pending[0]) >= self.row_group_size or \
                self.text_characters >= ROW_GROUP_TEXT:
            self._flush()

    def close(self) -> None:
        self._flush()
        self.writer.close()

    def _flush(self) -> None:
        import pyarrow as pa

        if not self.pending[0]:
            return
        pending, self.pending = self.pending, [[] for _ in COLUMNS]
        self.text_characters = 0
        arrays = []
        for field, values in zip(self.schema, pending):
            try:
                arrays.append(pa.array(values, type=field.type))
            except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError) as error:
                raise RecordError(f"a record's {field.name} does not match the article "
                                  f"schema: {error}") from error
            values.clear()  # the Python strings go as soon as Arrow has its copy
        self.writer.write_batch(pa.record_batch(arrays, schema=self.schema))


def parquet_schema() -> Any:
    """The Parquet export's Arrow schema (``pyarrow.Schema``)."""
    import pyarrow as pa

    types = {"string": pa.string(), "int32": pa.int32(), "int64": pa.int64(),
             "bool": pa.bool_(), "timestamp": pa.timestamp("us", tz="UTC"),
             "list": pa.list_(pa.string())}
    return pa.schema([pa.field(c.name, types[c.kind]) for c in COLUMNS],
                     metadata={"exported_by": f"mena-scraper {__version__}"})


def _utc_instant(value: str, record: ArticleRecord, field: str) -> datetime:
    """An ISO 8601 date with offset (or Z) as an aware datetime; pyarrow stores it as UTC."""
    moment = parse_warc_date(value)
    if moment is None or moment.tzinfo is None:
        raise RecordError(f"record {record.get('id')} ({record.get('url')}): {field} "
                          f"{value!r} is not an ISO 8601 date with a UTC offset")
    return moment
