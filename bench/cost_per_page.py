"""Cost per page, stage by stage: where the CPU of a crawl and of `scraper extract` goes.

Builds the synthetic news site (bench/site.py), serves it on 127.0.0.1, and runs under the
sampling profiler py-spy (PyPI `py-spy`; `--subprocesses`, so extraction workers are sampled
too):

1. `scraper crawl --no-extract` (crawl + WARC), and `wget --recursive --warc-file` as the peer;
2. `scraper extract --workers 2` over the WARC files the crawl wrote.

Each sample is given to the first stage whose rule matches a frame of its stack, from the
innermost frame outwards (rules below); samples are CPU time (py-spy leaves idle threads out),
so ``samples / rate / pages`` is CPU ms per page. The table ends with the crawl's CPU per page
against wget's, measured in the same run (the machine is noisy: only same-run ratios count).

    .venv/bin/pip install py-spy==0.4.3
    .venv/bin/python bench/cost_per_page.py                     # 1,000 articles of ~55 KB
    .venv/bin/python bench/cost_per_page.py --articles 500 --keep
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.crawl_speed import _count_ok_responses, _crawl_wget
from bench.site import build_site
from bench.static_server import run_in_scratch, serve

BIN = Path(sys.executable).parent
RATE = 250  # samples per second per process
START_UP = "start-up (imports)"

#: (stage, pattern on one frame "function (file:line)"), most specific first.
CRAWL_STAGES: tuple[tuple[str, str], ...] = (
    ("gzip compression", r"gzip_member \(.*archive/writer\.py"),
    ("digests", r"sha1_digest|hashlib|_digest \("),
    ("file writes and flushes", r"_write_bytes \(.*archive/writer\.py|fsync"),
    ("metadata record", r"metadata_record \("),
    ("record building", r"archive/records\.py|archive/http_message\.py"),
    ("catalog writes", r"scraper/store/catalog\.py|sqlite3"),
    ("link discovery", r"spiders/links\.py|extract_links"),
    ("download handler, raw capture", r"scraper/crawl/download_handler\.py"),
    ("our middlewares and extensions", r"scraper/crawl/"),
    ("spiders", r"spiders/"),
    ("Scrapy scheduler and queues", r"scrapy/core/scheduler\.py|scrapy/squeues|queuelib"),
    ("Scrapy engine, downloader, middlewares", r"scrapy/"),
    ("Twisted reactor, HTTP parsing", r"twisted/"),
    (START_UP, r"_find_and_load|<module>"),
)
EXTRACT_STAGES: tuple[tuple[str, str], ...] = (
    ("IPC to the workers (pickle, pipes)", r"pebble/|multiprocessing/|pickle"),
    ("JSON serialisation", r"to_json_line|json/encoder"),
    ("decoding (charset, content-coding)", r"scraper/extract/decoding\.py"),
    ("language", r"detect_language|langid|py3langid"),
    ("dates", r"htmldate/|scraper/extract/dates\.py|dateparser/"),
    ("fallback extractors", r"trafilatura/external\.py|justext/|readability"),
    ("trafilatura", r"trafilatura/"),
    ("cruft pruning", r"scraper/extract/cruft\.py"),
    ("metadata", r"scraper/extract/metadata\.py|scraper/extract/structured\.py"),
    ("parsing (lxml)", r"lxml|fromstring|document_fromstring"),
    ("our extractor, rest", r"scraper/extract/"),
    ("reading WARC records", r"archive/|warcio/"),
    ("store: versions, JSONL", r"scraper/store/"),
    (START_UP, r"_find_and_load|<module>"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)
    if shutil.which("py-spy", path=f"{BIN}:{Path(sys.executable).parent}") is None and \
            shutil.which("py-spy") is None:
        print("error: py-spy not found: .venv/bin/pip install py-spy==0.4.3", file=sys.stderr)
        return 2
    return run_in_scratch("cost-per-page-", args.keep, lambda tmp: _benchmark(args, tmp))


def _benchmark(args: argparse.Namespace, tmp: Path) -> int:
    pages = build_site(tmp / "site", args.articles, 30)
    print(f"site: {pages:,} pages")
    with serve(tmp / "site") as server:
        (tmp / "wget").mkdir()
        wget = _crawl_wget(server.url, tmp / "wget", None)
        crawl_profile = tmp / "crawl.txt"
        crawl_s = _profiled([str(BIN / "scraper"), "crawl", "--url", server.url, "--data",
                             str(tmp / "data"), "--allow-private", "--quiet", "--delay", "0",
                             "--no-extract", "--limit", "1000000"], crawl_profile)
    warcs = sorted((tmp / "data" / "warc").glob("*.warc.gz"))
    ours_pages = sum(_count_ok_responses(p) for p in warcs)
    extract_profile = tmp / "extract.txt"
    extract_s = _profiled([str(BIN / "scraper"), "extract", *map(str, warcs), "-o",
                           str(tmp / "records.jsonl"), "--workers", "2"], extract_profile)
    crawl = _stages(crawl_profile, CRAWL_STAGES)
    extract = _stages(extract_profile, EXTRACT_STAGES)
    _print_table("crawl + WARC (no extraction)", crawl, ours_pages, crawl_s)
    _print_table("scraper extract, 2 workers", extract, ours_pages, extract_s)
    crawl_ms = sum(crawl.values()) * 1000 / RATE / max(ours_pages, 1)
    steady_ms = (sum(crawl.values()) - crawl[START_UP]) * 1000 / RATE / max(ours_pages, 1)
    if wget.error:
        print(f"wget: {wget.error}")
    else:
        wget_ms = wget.cpu_seconds * 1000 / max(wget.pages, 1)
        print(f"\ncrawl CPU per page: ours {crawl_ms:.2f} ms (sampled; {steady_ms:.2f} ms without "
              f"start-up), wget {wget_ms:.2f} ms (rusage); ratio {crawl_ms / wget_ms:.2f}x, "
              f"{steady_ms / wget_ms:.2f}x without start-up (goal <= 1.25x)")
    return 0


def _profiled(command: list[str], output: Path) -> float:
    """Run ``command`` under py-spy; wall-clock seconds."""
    spy = shutil.which("py-spy", path=str(BIN)) or "py-spy"
    started = time.monotonic()
    done = subprocess.run([spy, "record", "--format", "raw", "--subprocesses", "--rate",
                           str(RATE), "--output", str(output), "--", *command],
                          capture_output=True, text=True)
    if done.returncode != 0 or not output.exists():
        raise SystemExit(f"profiling failed ({done.returncode}): {done.stderr[-2000:]}")
    return time.monotonic() - started


def _stages(profile: Path, rules: tuple[tuple[str, str], ...]) -> Counter[str]:
    """Samples per stage from py-spy's raw (collapsed) output: ``frame;frame;... count``."""
    compiled = [(stage, re.compile(pattern)) for stage, pattern in rules]
    samples: Counter[str] = Counter()
    for line in profile.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = stack.split(";")[::-1]  # innermost first
        samples[_stage_of(frames, compiled)] += int(count)
    return samples


def _stage_of(frames: list[str], rules: list[tuple[str, re.Pattern[str]]]) -> str:
    for frame in frames:
        for stage, pattern in rules:
            if pattern.search(frame):
                return stage
    return "other"


def _print_table(title: str, samples: Counter[str], pages: int, seconds: float) -> None:
    total = sum(samples.values())
    print(f"\n{title}: {pages:,} pages in {seconds:.1f} s wall, "
          f"{total / RATE:.1f} s CPU sampled, {total * 1000 / RATE / max(pages, 1):.2f} ms/page")
    print(f"  {'stage':<42} {'ms/page':>8} {'share':>6}")
    for stage, count in samples.most_common():
        ms = count * 1000 / RATE / max(pages, 1)
        print(f"  {stage:<42} {ms:>8.3f} {count / max(total, 1):>6.1%}")


if __name__ == "__main__":
    sys.exit(main())
