"""Check WARC files: gzip framing, record headers and lengths, digests, request/response pairs.

``archive.scan.scan_records`` streams one file and yields each complete record with its
digests already recomputed; ``RecordChecker`` adds the checks that need several records;
``verify_paths`` runs both over files and folders. Recovery of ``.open`` files uses the same
scan and checker, so "valid" means the same thing in both places.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from archive.arc_check import is_arc, scan_arc
from archive.errors import WarcError
from archive.scan import (
    EXCHANGE_TYPES,
    RECOVER_HINT,
    ScannedRecord,
    Severity,
    scan_records,
)

__all__ = ["Problem", "RecordChecker", "VerifyResult", "scan_records", "verify_file",
           "verify_paths"]

WARC_PATTERNS = ("*.warc.gz", "*.warc.gz.open", "*.warc", "*.arc.gz", "*.arc")
#: Schemes whose responses come with a request record; Heritrix writes ``dns:`` (and ``whois:``)
#: responses alone by design.
PAIRED_SCHEMES = ("http:", "https:")


@dataclass(frozen=True)
class Problem:
    """Something wrong in a WARC file; ``offset`` is the first byte of the record or member."""

    file: Path
    offset: int | None
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = str(self.file) if self.offset is None else f"{self.file}:{self.offset}"
        return f"{where}: {self.severity}: {self.message}"


@dataclass
class VerifyResult:
    """What ``verify_paths`` found; ``ok`` is true when no problem is an error."""

    files: int = 0
    records: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(problem.severity == "error" for problem in self.problems)

    @property
    def errors(self) -> int:
        return sum(problem.severity == "error" for problem in self.problems)

    @property
    def warnings(self) -> int:
        return sum(problem.severity == "warning" for problem in self.problems)

    def add(self, other: VerifyResult) -> None:
        self.files += other.files
        self.records += other.records
        self.problems.extend(other.problems)


@dataclass
class _Exchange:
    offset: int
    rec_type: str
    record_id: str
    concurrent: list[str]
    url: str


class RecordChecker:
    """Checks that need several records of one file: warcinfo first, requests paired.

    Feed it every record with ``add``, then call ``finish`` for the problems.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.records = 0
        self.problems: list[Problem] = []
        self._exchanges: list[_Exchange] = []

    def report(self, offset: int | None, message: str, severity: Severity = "error") -> None:
        self.problems.append(Problem(self.path, offset, message, severity))

    def add(self, record: ScannedRecord) -> None:
        if self.records == 0 and record.rec_type != "warcinfo":
            # WARC 1.1 section 6 only recommends it; many tools (Browsertrix, warcio) skip it
            self.report(record.offset, f"first record is {record.rec_type!r}, not 'warcinfo' "
                        "(recommended, not required)", "warning")
        self.records += 1
        for severity, message in record.problems:
            self.report(record.offset, message, severity)
        answers = record.rec_type == "resource" and record.get("WARC-Concurrent-To")
        if record.rec_type in EXCHANGE_TYPES or answers:
            self._exchanges.append(_Exchange(record.offset, record.rec_type,
                                             record.get("WARC-Record-ID") or "",
                                             record.get_all("WARC-Concurrent-To"),
                                             (record.get("WARC-Target-URI") or "").strip("<>")))

    def finish(self) -> list[Problem]:
        if not self.records:
            self.report(None, "no complete WARC record in the file")
        self._check_pairs()
        return self.problems

    def _check_pairs(self) -> None:
        by_id: dict[str, _Exchange] = {}
        for exchange in self._exchanges:
            if exchange.record_id in by_id:
                self.report(exchange.offset, f"WARC-Record-ID {exchange.record_id} repeats")
            by_id[exchange.record_id] = exchange
        paired: set[str] = set()
        for exchange in self._exchanges:
            for target in exchange.concurrent:
                other = by_id.get(target)
                if other and {exchange.rec_type, other.rec_type} in _PAIRS:
                    paired.update((exchange.record_id, other.record_id))
        # unpaired records after the last pair are what a stopped crawl leaves: not damage
        tail = max((i for i, e in enumerate(self._exchanges) if e.record_id in paired),
                   default=-1)
        for index, exchange in enumerate(self._exchanges):
            if exchange.rec_type in ("revisit", "resource") or exchange.record_id in paired:
                continue
            self._report_unpaired(exchange, at_end=index > tail)

    def _report_unpaired(self, exchange: _Exchange, at_end: bool) -> None:
        partner = "response" if exchange.rec_type == "request" else "request"
        message = (f"{exchange.rec_type} has no {partner}: no {partner} record in this file "
                   "is linked to it by WARC-Concurrent-To")
        if not exchange.url.lower().startswith(PAIRED_SCHEMES):
            scheme = exchange.url.partition(":")[0] or "no"
            self.report(exchange.offset, message + f" ({scheme}: URLs have none by design)",
                        "warning")
        elif at_end:
            self.report(exchange.offset, message + " (it comes after the file's last complete "
                        "pair: the crawl was probably stopped while writing)", "warning")
        else:
            self.report(exchange.offset, message)


# A resource answers a request whose answer was not HTTP/1.x (see archive/records.py).
_PAIRS = ({"request", "response"}, {"request", "revisit"}, {"request", "resource"})


def verify_file(path: Path) -> VerifyResult:
    """Check one WARC file, reading it once; see ``verify_paths``."""
    if is_arc(path):
        arc = scan_arc(path)
        return VerifyResult(files=1, records=arc.records, problems=[
            Problem(path, offset, message, severity) for offset, severity, message in arc.problems])
    checker = RecordChecker(path)
    if path.name.endswith(".open"):
        checker.report(None, f"file is still open (.open): a crawl is writing it or was "
                             f"killed; {RECOVER_HINT}")
    try:
        with path.open("rb") as fh:
            for record in scan_records(fh, path):
                checker.add(record)
    except WarcError as error:
        checker.report(error.offset, error.message + " (the rest of the file is not checked)")
    except OSError as error:
        checker.report(None, f"cannot read the file: {error.strerror}")
    problems = checker.finish()
    return VerifyResult(files=1, records=checker.records, problems=problems)


def verify_paths(paths: Iterable[Path]) -> VerifyResult:
    """Check WARC files for damage, streaming each file once.

    Args:
        paths: WARC files, or folders searched recursively for ``*.warc.gz``,
            ``*.warc.gz.open`` and ``*.warc``.

    Returns:
        Counts of files and complete records, and every problem found, each with its file
        and the byte offset of its record. Warnings (one gzip stream for many records, an
        unpaired last exchange record, a missing digest) do not make the result not ``ok``.
    """
    result = VerifyResult()
    for path in map(Path, paths):
        if path.is_dir():
            found = {file for pattern in WARC_PATTERNS for file in path.rglob(pattern)}
            for file in sorted(found):
                result.add(verify_file(file))
        elif path.is_file():
            result.add(verify_file(path))
        else:
            result.problems.append(Problem(path, None, "no such file or directory"))
    return result
