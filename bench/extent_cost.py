"""What the damage pre-scan (archive/extent.py) adds to a read of a WARC file, as a ratio.

Writes a WARC of N pages (one gzip member each, like the crawler's), then times, side by
side in this run: warcio reading every record's content (what reindex and extract do) and
``readable_extent`` (the scan they now do first). Prints seconds and the ratio.

    .venv/bin/python bench/extent_cost.py [pages] [page KB]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.extent import readable_extent
from tests.support.warc_builder import WarcBuilder, page


def build(path: Path, pages: int, kilobytes: int) -> None:
    builder = WarcBuilder()
    builder.warcinfo()
    for number in range(pages):
        builder.exchange(f"http://example.com/{number}", page(number, kilobytes * 1000))
    path.write_bytes(builder.data)


def warcio_read(path: Path) -> None:
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            record.content_stream().read()


def best_of(function, path: Path, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(path)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    kilobytes = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "bench.warc.gz"
        build(path, pages, kilobytes)
        read, scan = best_of(warcio_read, path), best_of(readable_extent, path)
        size = path.stat().st_size / 1e6
    print(f"{pages} pages of {kilobytes} KB, {size:.1f} MB gzip: warcio read {read:.2f} s, "
          f"extent scan {scan:.2f} s, scan/read = {scan / read:.2f}")


if __name__ == "__main__":
    main()
