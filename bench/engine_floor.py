"""The crawl engine's own floor: CPU per page of a bare Scrapy spider against wget, one run.

Issue 16 asks for crawl + WARC at <= 1.25x wget's CPU per page. This bench measures what the
engine alone costs, with none of this project's code: a ten-line Scrapy spider that follows
every link of the synthetic site (found with one regex, not a parsed tree, and each asked for
once, as wget and our link extractor do) (bench/site.py, served by nginx when installed) and keeps
nothing, with Scrapy's default components minus the ones that do not apply to a local site
(robots.txt, cookies, telnet). Then `scraper crawl --no-extract` (crawl + WARC) and
`wget --recursive --warc-file`, all three on the same site in the same run, so the table says
how much of our cost per page is Scrapy itself and how much is ours.

    .venv/bin/python bench/engine_floor.py                 # 1,000 articles of ~55 KB
    .venv/bin/python bench/engine_floor.py --articles 3000
    .venv/bin/python bench/engine_floor.py --articles 3000 --rounds 3   # median of 3 rounds
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import textwrap
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.crawl_speed import Run, _count, _crawl_wget, _find_scraper, _timed, _warc_files
from bench.site import build_site
from bench.static_server import run_in_scratch, serve

#: The bare spider: Scrapy's engine, scheduler, dupefilter, downloader and HTTP/1.1 handler.
BARE_SPIDER = textwrap.dedent('''
    import re
    import sys
    from scrapy import Request, Spider
    from scrapy.crawler import CrawlerProcess

    class Bare(Spider):
        name = "bare"
        pages = 0
        seen = set()  # as wget does: a link seen once is not asked for again

        async def start(self):
            yield Request(sys.argv[1])

        def parse(self, response):
            Bare.pages += 1
            for href in set(re.findall(rb'<a [^>]*href="([^"#]+)"', response.body)):
                url = response.urljoin(href.decode())
                if url not in self.seen:
                    self.seen.add(url)
                    yield Request(url, self.parse)

    process = CrawlerProcess({
        "LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": False, "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False, "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "DOWNLOAD_DELAY": 0,
    })
    process.crawl(Bare)
    process.start()
    print(Bare.pages)
''')
FAST = ["--allow-private", "--quiet", "--delay", "0", "--no-extract", "--limit", "100000",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--rounds", type=int, default=1,
                        help="the three runs this many times in turn; then the median ratios")
    args = parser.parse_args(argv)
    return run_in_scratch("engine-floor-", args.keep,
                          lambda tmp: _bench(args.articles, tmp, args.rounds))


def _bench(articles: int, tmp: Path, rounds: int = 1) -> int:
    scraper = _find_scraper()
    if scraper is None:
        print("needs the `scraper` command (pip install -e .)")
        return 2
    pages = build_site(tmp / "site", articles, 20)
    spider = tmp / "bare_spider.py"
    spider.write_text(BARE_SPIDER, encoding="utf-8")
    rows: list[list[float]] = []
    failed = False
    with serve(tmp / "site") as server:
        print(f"{pages:,} pages served by {server.description}")
        for round_number in range(1, rounds + 1):
            scratch = tmp / f"round-{round_number}"
            runs = [
                _step("wget --recursive --warc-file", scratch,
                      lambda out: _crawl_wget(server.url, out, None)),
                _step("bare Scrapy spider (no WARC)", scratch,
                      lambda out: _bare(spider, server.url, out)),
                _step("scraper crawl --no-extract", scratch,
                      lambda out: _count(_timed("ours", [scraper, "crawl", "--url", server.url,
                                                         "--data", str(out), *FAST], out),
                                         _warc_files(out))),
            ]
            rows.append(_print(runs))
            failed = failed or any(r.error for r in runs)
            shutil.rmtree(scratch, ignore_errors=True)
    if rounds > 1 and all(rows):
        medians = [statistics.median(row[i] for row in rows) for i in range(len(rows[0]))]
        print(f"median of {rounds} rounds, x wget CPU: bare Scrapy {medians[1]:.2f}, "
              f"scraper crawl --no-extract {medians[2]:.2f}")
    return 1 if failed else 0


def _step(name: str, tmp: Path, crawl: object) -> Run:
    out = tmp / name.split()[0]
    out.mkdir(parents=True, exist_ok=True)
    run: Run = crawl(out)  # type: ignore[operator]
    run.tool = name
    return run


def _bare(spider: Path, url: str, out: Path) -> Run:
    run = _timed("bare", [sys.executable, str(spider), url], out)
    lines = (out / "stdout.log").read_text(encoding="utf-8").split()
    run.pages = int(lines[-1]) if lines and lines[-1].isdigit() else 0
    if run.exit_code and not run.error:
        run.error = (out / "stderr.log").read_text(encoding="utf-8")[-500:]
    return run


def _print(runs: list[Run]) -> list[float]:
    """The round's table; returns each run's CPU per page as a multiple of wget's (none when
    a run failed)."""
    wget = runs[0]
    ratios: list[float] = []
    floor = wget.cpu_seconds / wget.pages * 1000 if wget.pages else 0.0
    print(f"{'what':<32} {'pages':>6} {'seconds':>8} {'pages/s':>8} {'CPU ms/page':>12} "
          f"{'x wget CPU':>10}")
    for run in runs:
        if run.error or not run.pages:
            print(f"{run.tool:<32} failed: {run.error.strip()[:200]}")
            ratios = []
            continue
        cpu = run.cpu_seconds / run.pages * 1000
        ratios.append(cpu / floor if floor else 0)
        print(f"{run.tool:<32} {run.pages:>6} {run.seconds:>8.2f} {run.pages / run.seconds:>8.1f} "
              f"{cpu:>12.2f} {cpu / floor if floor else 0:>10.2f}")
    print("CPU is user + system of the process and its children (start-up included).")
    return ratios if len(ratios) == len(runs) else []


if __name__ == "__main__":
    sys.exit(main())
