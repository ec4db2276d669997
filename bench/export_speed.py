"""Export speed: `scraper export` of 100,000 synthetic records to Parquet, JSONL and CSV.

Builds a synthetic collection (tests/support/synthetic_collection.py: JSONL files and catalog
rows written directly, 3-5 KB texts, a third Arabic), then runs `scraper export` once per
format as a subprocess and prints records/s, wall-clock seconds, peak RSS and output size.
A 0-record export of each format gives the RSS of the interpreter and its imports, so the
difference is what the records cost: it should stay flat as --records grows.

Peak RSS comes from GNU time (/usr/bin/time -v) rather than our own wait4: a child of this
process starts with our high-water mark (the builder's), which would hide the exporter's.

    .venv/bin/python bench/export_speed.py                    # 100,000 records
    .venv/bin/python bench/export_speed.py --records 20000 --keep
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.synthetic_collection import write_synthetic_collection

REPO = Path(__file__).resolve().parent.parent
GNU_TIME = "/usr/bin/time"
MAX_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
FORMATS = ("parquet", "jsonl", "csv")


@dataclass
class Export:
    format: str
    records: int
    seconds: float
    peak_rss_kb: int | None
    output_bytes: int


def run_export(data: Path, fmt: str, target: Path, *filters: str) -> Export:
    command = [sys.executable, "-m", "scraper", "export", "--format", fmt, "--data", str(data),
               "-o", str(target), *filters]
    timed = [GNU_TIME, "-v", *command] if Path(GNU_TIME).exists() else command
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.monotonic()
    result = subprocess.run(timed, capture_output=True, text=True, env=env)
    seconds = time.monotonic() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    summary = re.search(r"^(\d+) records? exported", result.stderr, re.MULTILINE)
    rss = MAX_RSS.search(result.stderr)
    return Export(fmt, int(summary.group(1)) if summary else -1, seconds,
                  int(rss.group(1)) if rss else None, target.stat().st_size)


def _mb(size: float) -> str:
    return f"{size / 1e6:,.1f} MB"


def _rss(kilobytes: int | None) -> str:
    return "-" if kilobytes is None else f"{kilobytes / 1024:,.0f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="export-speed-"))
    try:
        started = time.monotonic()
        write_synthetic_collection(tmp / "data", args.records)
        jsonl_bytes = sum(p.stat().st_size for p in (tmp / "data" / "articles").glob("*"))
        print(f"collection: {args.records:,} records, {_mb(jsonl_bytes)} of JSONL, built in "
              f"{time.monotonic() - started:.1f} s under {tmp}")
        if not Path(GNU_TIME).exists():
            print(f"({GNU_TIME} missing: no peak RSS; apt-get install time)")
        print(f"{'format':22} {'records':>9} {'seconds':>8} {'records/s':>10} {'MB/s in':>8} "
              f"{'peak RSS':>10} {'0-record RSS':>13} {'output':>10}")
        variants = [(fmt, flag) for flag in ("--no-near-duplicates", "--near-duplicates")
                    for fmt in FORMATS]
        for fmt, flag in variants:
            empty = run_export(tmp / "data", fmt, tmp / f"empty.{fmt}", "--lang", "xx", flag)
            full = run_export(tmp / "data", fmt, tmp / f"corpus.{fmt}", flag)
            if full.records != args.records:
                raise SystemExit(f"{fmt}: exported {full.records} records, not {args.records}")
            label = f"{fmt} {'+ near-dups' if flag == '--near-duplicates' else ''}"
            print(f"{label:22} {full.records:>9,} {full.seconds:>8.1f} "
                  f"{full.records / full.seconds:>10,.0f} "
                  f"{jsonl_bytes / 1e6 / full.seconds:>8.1f} {_rss(full.peak_rss_kb):>10} "
                  f"{_rss(empty.peak_rss_kb):>13} {_mb(full.output_bytes):>10}")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
