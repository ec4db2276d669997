"""Pipeline speed: crawl + WARC + extraction, and `scraper extract`, against plain trafilatura.

Same local site as bench/crawl_speed.py (bench/site.py, served by nginx on 127.0.0.1). In one
run it measures:

1. `scraper crawl` with extraction on: pages/s for crawl + WARC + extract (goal: >= 45);
2. `scraper extract` over the WARC files that crawl wrote (2 worker processes);
3. plain `trafilatura.extract` on the same pages on 2 processes (multiprocessing.Pool), which
   is what `scraper extract` is compared with (goal: >= 0.8x);
4. the bound of run 1 on 2 cores: 2 cores over the two stages' CPU per page, measured apart in
   the same run: `scraper crawl --no-extract` (rusage of the process), and our extractor on
   every page in this process (``time.process_time``; no IPC, no WARC reading). Run 1 is
   reported as a share of that bound (goal: >= 90%). Plain ``trafilatura.extract`` is timed the
   same way on the same pages, so the two extractors' own costs compare without IPC or WARCs.

    .venv/bin/python bench/pipeline_speed.py                 # 3,000 articles
    .venv/bin/python bench/pipeline_speed.py --articles 500
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.site import build_site
from bench.static_server import serve

BIN = Path(sys.executable).parent
CORES = 2
#: Politeness off, as wget: no delay (so no AutoThrottle) and 16 requests at once to the host.
FAST = ["--allow-private", "--quiet", "--delay", "0", "--limit", "100000",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]


def _plain(page: bytes) -> int:
    import trafilatura

    return len(trafilatura.extract(page) or "")


def _run(command: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True)
    return time.monotonic() - started, result


def _crawl_cpu_ms(url: str, data: Path, pages: int) -> float:
    """CPU ms per page of `scraper crawl --no-extract` (the process and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    _, result = _run([str(BIN / "scraper"), "crawl", "--url", url, "--data", str(data), *FAST,
                      "--no-extract"])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-3000:])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu * 1000 / pages


def _extract_cpu_ms(site: Path) -> tuple[float, float]:
    """CPU ms per page, in this process, over the site's pages: our extractor, and plain
    ``trafilatura.extract`` on the same bytes."""
    from scraper.extract.extractor import ExtractionOptions, PageInput, extract_page

    options, at = ExtractionOptions(), datetime.now(timezone.utc)
    files = sorted(site.rglob("*.html"))
    pages = [(f"http://127.0.0.1/{path.relative_to(site)}", path.read_bytes()) for path in files]
    started = time.process_time()
    for url, body in pages:
        extract_page(PageInput(url, body, "text/html", None, at), options)
    ours = time.process_time() - started
    started = time.process_time()
    for _, body in pages:
        _plain(body)
    plain = time.process_time() - started
    return ours * 1000 / len(pages), plain * 1000 / len(pages)


def _articles(folder: Path) -> int:
    return sum(sum(1 for _ in p.open(encoding="utf-8")) for p in folder.glob("*.jsonl"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="pipeline-speed-"))
    try:
        pages = build_site(tmp / "site", articles=args.articles, sections=30)
        print(f"site: {pages} pages under {tmp / 'site'}")
        with serve(tmp / "site") as server:
            crawl_s, crawl = _run([str(BIN / "scraper"), "crawl", "--url", server.url,
                                   "--data", str(tmp / "data"), *FAST])
            if crawl.returncode != 0:
                print(crawl.stderr[-3000:])
                return 1
            crawl_ms = _crawl_cpu_ms(server.url, tmp / "data-no-extract", pages)
        extract_ms, plain_ms = _extract_cpu_ms(tmp / "site")
        extract_s, extract = _run([str(BIN / "scraper"), "extract", str(tmp / "data" / "warc"),
                                   "-o", str(tmp / "again.jsonl"), "--workers", "2"])
        html = [p.read_bytes() for p in sorted((tmp / "site").rglob("*.html"))]
        started = time.monotonic()
        with multiprocessing.get_context("spawn").Pool(2) as pool:
            pool.map(_plain, html, chunksize=8)
        plain_s = time.monotonic() - started
        _report(pages, crawl_s, _articles(tmp / "data" / "articles"), extract_s,
                _articles(tmp), plain_s, len(html), extract.stderr.strip().splitlines()[-1:])
        bound = CORES * 1000 / (crawl_ms + extract_ms)
        print(f"bound on {CORES} cores: crawl {crawl_ms:.2f} + extraction {extract_ms:.2f} ms "
              f"CPU per page -> {bound:.1f} pages/s; crawl + WARC + extract reached "
              f"{pages / crawl_s / bound:.0%} of it (goal >= 90%)")
        print(f"in one process: our extractor {extract_ms:.2f}, plain trafilatura.extract "
              f"{plain_ms:.2f} ms CPU per page ({extract_ms / plain_ms:.2f}x)")
        return 0
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def _report(pages: int, crawl_s: float, crawl_articles: int, extract_s: float,
            extract_articles: int, plain_s: float, plain_pages: int, tail: list[str]) -> None:
    print(f"{'what':44} {'pages':>6} {'seconds':>8} {'pages/s':>8}  articles")
    print(f"{'scraper crawl (crawl + WARC + extract)':44} {pages:6} {crawl_s:8.2f} "
          f"{pages / crawl_s:8.1f}  {crawl_articles}")
    print(f"{'scraper extract over its WARCs, 2 workers':44} {pages:6} {extract_s:8.2f} "
          f"{pages / extract_s:8.1f}  {extract_articles}")
    print(f"{'plain trafilatura.extract, 2 processes':44} {plain_pages:6} {plain_s:8.2f} "
          f"{plain_pages / plain_s:8.1f}")
    print(f"goal crawl+WARC+extract >= 45 pages/s: {pages / crawl_s:.1f}")
    print(f"goal scraper extract >= 0.8x plain: "
          f"{(pages / extract_s) / (plain_pages / plain_s):.2f}x")
    print("(whole-process wall times: `scraper` start-up, ~1-2 s, is included)")
    if tail:
        print(f"scraper extract said: {tail[0]}")


if __name__ == "__main__":
    sys.exit(main())
