"""What the crash-safe frontier costs: the same crawl with SCRAPER_FRONTIER_ENABLED on and off.

Builds the synthetic news site (bench/site.py), serves it on 127.0.0.1 and crawls it with
`scraper crawl --no-extract` (extraction would hide the cost), alternating the two settings
each round so machine noise hits both alike. Prints wall-clock and CPU seconds (the process
tree's rusage) per setting, and the ratio on/off of the medians.

    .venv/bin/python bench/frontier_cost.py --articles 500 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.site import build_site
from bench.static_server import run_in_scratch, serve

REPO = Path(__file__).resolve().parent.parent


def crawl_once(url: str, data: Path, frontier: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process tree) of one crawl."""
    command = [sys.executable, "-m", "scraper", "crawl", "--url", url + "/", "--data", str(data),
               "--allow-host", "127.0.0.1", "--delay", "0", "--concurrency", "16",
               "--no-extract", "--quiet", "-s", f"SCRAPER_FRONTIER_ENABLED={frontier}"]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"crawl failed: {process.stderr.read().decode()[-2000:]}"
                         if process.stderr else "crawl failed")
    return wall, usage.ru_utime + usage.ru_stime


def benchmark(args: argparse.Namespace, tmp: Path) -> int:
    pages = build_site(tmp / "site", articles=args.articles, sections=10)
    print(f"site: {pages} pages")
    results: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    with serve(tmp / "site") as server:
        for round_number in range(args.repeat):
            order = (True, False) if round_number % 2 == 0 else (False, True)
            for frontier in order:
                data = tmp / f"data-{round_number}-{frontier}"
                results[frontier].append(crawl_once(server.url, data, frontier))
    for frontier, runs in results.items():
        print(f"frontier {'on ' if frontier else 'off'}: wall "
              f"{statistics.median(w for w, _ in runs):.2f} s, CPU "
              f"{statistics.median(c for _, c in runs):.2f} s (median of {len(runs)})")
    wall = [statistics.median(x[0] for x in results[f]) for f in (True, False)]
    cpu = [statistics.median(x[1] for x in results[f]) for f in (True, False)]
    print(f"ratio on/off: wall {wall[0] / wall[1]:.2f}, CPU {cpu[0] / cpu[1]:.2f}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    return run_in_scratch("frontier-cost-", args.keep, lambda tmp: benchmark(args, tmp))


if __name__ == "__main__":
    sys.exit(main())
