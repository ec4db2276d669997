"""Distributed mode's speed, in one run: wget, one process, one Redis worker, --workers 2; and a
20-host politeness run (hosts 127.0.0.2 ... 127.0.0.21, 0.5 s delay each, 4 workers).

Part 1 crawls the synthetic site (bench/site.py, served by nginx when installed) with politeness
off: `wget --recursive --warc-file`, `scraper crawl --url` in one process, the same as one
worker of a job on a redis-server, and `--workers 2` (a private redis-server). Pages are the
WARC files' status-200 responses. Part 2 crawls a site spread over 20 loopback hosts
(tests/support/news_hosts.py) with a 0.5 s delay per host and 4 workers, and reports the
aggregate pages/s (the ideal is 20 hosts x 2 pages/s) and, per host as its server saw it, the
shortest gap between two requests and the most requests in any one second.

    .venv/bin/python bench/distributed_speed.py                 # 3,000 articles, 30 per host
    .venv/bin/python bench/distributed_speed.py --articles 3000 --keep
    .venv/bin/python bench/distributed_speed.py --part 2         # only the 20-host run
    .venv/bin/python bench/distributed_speed.py --part 1 --rounds 3   # median of 3 rounds
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.crawl_speed import Run, _count, _crawl_wget, _find_scraper, _timed, _warc_files
from bench.site import build_site
from bench.static_server import run_in_scratch, serve
from scraper.distributed.server import LocalRedisServer
from tests.support.news_hosts import NewsHosts, SiteConfig

POLITE_HOSTS = 20
POLITE_DELAY = 0.5
POLITE_WORKERS = 4
#: No politeness: wget waits for nothing either. No extraction: wget extracts nothing.
FAST = ["--allow-private", "--quiet", "--delay", "0", "--no-extract", "--limit", "100000",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000, help="part 1 articles")
    parser.add_argument("--per-host", type=int, default=30, help="part 2 articles per host")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--part", type=int, choices=(1, 2), help="run only part 1 or part 2")
    parser.add_argument("--rounds", type=int, default=1,
                        help="part 1 this many times, its four runs each time in turn; the "
                             "ratios are each round's, then their median")
    args = parser.parse_args(argv)
    return run_in_scratch("distributed-speed-", args.keep, lambda tmp: _bench(args, tmp))


def _bench(args: argparse.Namespace, tmp: Path) -> int:
    scraper = _find_scraper()
    if scraper is None or shutil.which("redis-server") is None:
        print("needs the `scraper` command and redis-server (apt-get install redis-server)")
        return 2
    if args.part == 2:
        return _polite(scraper, tmp / "polite", args.per_host)
    pages = build_site(tmp / "site", args.articles, 20)
    ratios: list[dict[str, float]] = []
    with serve(tmp / "site") as server:
        print(f"part 1: {pages:,} pages served by {server.description}")
        for round_number in range(1, args.rounds + 1):
            scratch = tmp / f"round-{round_number}"
            runs = _part1_round(scraper, server.url, scratch)
            ratios.append(_print_part1(runs))
            shutil.rmtree(scratch, ignore_errors=True)  # 4 x 40 MB of WARC a round
    if args.rounds > 1 and all(ratios):
        print(f"median of {args.rounds} rounds: " + "; ".join(
            f"{name}: {statistics.median(r[name] for r in ratios):.2f}x" for name in ratios[0]))
    return 0 if args.part == 1 else _polite(scraper, tmp / "polite", args.per_host)


def _part1_round(scraper: str, url: str, tmp: Path) -> dict[str, Run]:
    runs: dict[str, Run] = {}
    runs["wget"] = _step("wget", lambda out: _crawl_wget(url, out, None), tmp)
    ours = [scraper, "crawl", "--url", url, *FAST]
    runs["one process"] = _step("one process", lambda out: _ours(ours, out), tmp)
    with LocalRedisServer(tmp / "redis-1") as address:
        one = [*ours, "--redis", address.secret_url, "--job", "one"]
        runs["1 worker"] = _step("1 worker", lambda out: _ours(one, out), tmp)
    two = [*ours, "--workers", "2", "--job", "two"]
    runs["--workers 2"] = _step("--workers 2", lambda out: _ours(two, out), tmp)
    return runs


def _step(name: str, crawl: object, tmp: Path) -> Run:
    out = tmp / name.replace(" ", "-").strip("-")
    out.mkdir(parents=True)
    run: Run = crawl(out)  # type: ignore[operator]
    shown = run.error or f"{run.pages:,} pages in {run.seconds:.2f} s"
    print(f"  {name}: {shown}")
    return run


def _ours(command: list[str], out: Path) -> Run:
    run = _timed("ours", [*command, "--data", str(out / "data")], out)
    return _count(run, _warc_files(out / "data"))


def _print_part1(runs: dict[str, Run]) -> dict[str, float]:
    """The round's table and ratios (none when a run failed)."""
    rates = {name: run.pages / run.seconds for name, run in runs.items() if not run.error}
    print(f"{'run':<14}{'pages':>8}{'seconds':>9}{'pages/s':>9}{'CPU s':>8}")
    for name, run in runs.items():
        if not run.error:
            print(f"{name:<14}{run.pages:>8,}{run.seconds:>9.2f}{rates[name]:>9.1f}"
                  f"{run.cpu_seconds:>8.2f}")
    if len(rates) < len(runs):
        return {}
    ratios = {"--workers 2 / 1 worker (goal >= 1.6x)": rates["--workers 2"] / rates["1 worker"],
              "--workers 2 / wget (goal >= 1.0x)": rates["--workers 2"] / rates["wget"],
              "1 worker / one process": rates["1 worker"] / rates["one process"]}
    print("; ".join(f"{name}: {ratio:.2f}x" for name, ratio in ratios.items()))
    return ratios


def _polite(scraper: str, tmp: Path, per_host: int) -> int:
    config = SiteConfig(articles_per_host=per_host)
    with NewsHosts(POLITE_HOSTS, config, first_host=2) as site:
        command = [scraper, "crawl", "al-monitor", "--data", str(tmp / "data"), "--quiet",
                   "--allow-private", "--no-extract", "--workers", str(POLITE_WORKERS),
                   "-s", f"DOWNLOAD_DELAY={POLITE_DELAY}", "-s", "CONCURRENT_REQUESTS=32",
                   "-s", f"SCRAPER_ORIGIN_OVERRIDES={site.overrides()}"]
        tmp.mkdir(parents=True)
        run = _timed("ours", command, tmp)
        hits = list(site.hits)
    if run.error:
        print(run.error)
        return 1
    articles = sorted(h.start for h in hits if h.path.startswith("/originals/"))
    span = articles[-1] - articles[0]
    print(f"\npart 2: {POLITE_HOSTS} hosts x {per_host} articles, {POLITE_DELAY} s delay, "
          f"{POLITE_WORKERS} workers: {len(articles)} articles in {span:.1f} s = "
          f"{len(articles) / span:.1f} pages/s (ideal {POLITE_HOSTS / POLITE_DELAY:.0f}); "
          f"whole run {run.seconds:.1f} s")
    worst_gap, worst_second = _per_host(hits, site.host_names())
    print(f"per host: shortest gap {worst_gap:.3f} s (delay {POLITE_DELAY} s, "
          f"{worst_gap / POLITE_DELAY:.2f}x); most requests in one second: {worst_second}")
    return 0 if worst_gap >= 0.9 * POLITE_DELAY else 1


def _per_host(hits: list[object], hosts: list[str]) -> tuple[float, int]:
    worst_gap, worst_second = float("inf"), 0
    for host in hosts:
        starts = sorted(h.start for h in hits if h.host == host)  # type: ignore[attr-defined]
        gaps = [b - a for a, b in zip(starts, starts[1:])]
        worst_gap = min([worst_gap, *gaps])
        for i, first in enumerate(starts):
            within = sum(1 for s in starts[i:] if s < first + 1.0)
            worst_second = max(worst_second, within)
    return worst_gap, worst_second


if __name__ == "__main__":
    sys.exit(main())
