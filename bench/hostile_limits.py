"""What hostile input costs now that everything is bounded: CPU per page-body bomb, peak memory per
hostile source.

    python -m bench.hostile_limits            # both parts
    python -m bench.hostile_limits --cpu      # the page-body bombs only (a few seconds)

Part 1 runs the extraction worker's own function (``extract_page``) on each Content-Encoding
bomb and on an ordinary 50 KB gzip page in this process, and prints CPU time per call and the
ratio to the ordinary page (same run, same machine). Part 2 crawls al-monitor pointed at each
hostile source of tests/test_limits.py next to lbci's mirror and prints the crawl process's and
the workers' peak resident memory (VmHWM), exit code and the limit reported.
"""

from __future__ import annotations

import argparse
import gzip
import json
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from scraper.errors import LimitExceeded
from scraper.extract.extractor import ExtractionOptions, PageInput, extract_page
from tests.support.hostile_server import MIB, HostileSite, article_page
from tests.support.mirror import Mirror
from tests.support.process_memory import run_measured
from tests.test_limits import BOMB_SIZES, HOSTILE_CASES, SITES, _overrides, page_bomb

ROUNDS = 5


def _cpu_per_call(page: PageInput) -> tuple[float, str]:
    outcome = ""
    started = time.process_time()
    for _ in range(ROUNDS):
        try:
            extract_page(page, ExtractionOptions())
            outcome = "extracted"
        except LimitExceeded as error:
            outcome = f"LimitExceeded: {error.setting}"
    return (time.process_time() - started) / ROUNDS, outcome


def bomb_cpu() -> None:
    now = datetime.now(timezone.utc)
    plain = gzip.compress(article_page("/plain") * 40)
    peer, _ = _cpu_per_call(PageInput("http://127.0.0.1/plain", plain, "text/html", "gzip", now))
    print(f"ordinary gzip page of {len(plain):,} B ({len(gzip.decompress(plain)):,} B "
          f"decoded): {peer * 1000:.1f} ms CPU per page")
    for coding in sorted(BOMB_SIZES):
        body = page_bomb(coding, BOMB_SIZES[coding])
        page = PageInput(f"http://127.0.0.1/bomb-{coding}", body, "text/html", coding, now)
        cost, outcome = _cpu_per_call(page)
        print(f"{coding:8} bomb {len(body):>10,} B -> {BOMB_SIZES[coding] / MIB:>6,.0f} MiB: "
              f"{cost * 1000:6.1f} ms CPU ({cost / peer:.2f}x the ordinary page), {outcome}")


def hostile_memory() -> None:
    expected = json.loads((SITES / "lbci" / "expected.json").read_text(encoding="utf-8"))
    for case, (routes, _, extra) in sorted(HOSTILE_CASES.items()):
        with tempfile.TemporaryDirectory() as data, HostileSite(routes) as hostile, \
                Mirror(SITES / "lbci" / "mirror") as mirror:  # type: ignore[arg-type]
            overrides = {**_overrides("al-monitor", hostile.url),
                         **_overrides("lbci", mirror.url)}
            run = run_measured("crawl", "al-monitor", "lbci", "--data", data, "--allow-host",
                               "127.0.0.1", "--delay", "0", "--limit", "10", "--since",
                               expected["since"], "-s",
                               f"SCRAPER_ORIGIN_OVERRIDES={json.dumps(overrides)}", *extra)
            manifest = json.loads(next((Path(data) / "runs").glob("*.json")).read_text())
        errors = [e.split(": ", 2)[-1] for e in manifest["errors"]]
        sites = manifest["sites"]
        print(f"{case:42} exit {run.returncode}  crawler {run.vm_hwm / MIB:4.0f} MiB  workers "
              f"{run.workers_hwm / MIB:4.0f} MiB  failed {sites['al-monitor']['failed']}  "
              f"lbci articles {sites['lbci']['articles']}  | {errors[0][:90]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpu", action="store_true", help="only the page-body bombs")
    arguments = parser.parse_args()
    bomb_cpu()
    if not arguments.cpu:
        hostile_memory()


if __name__ == "__main__":
    main()
