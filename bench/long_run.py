"""Memory over a long run: crawl 20,000 pages of the local site, watch RSS (goal: < 500 MB, flat).

Builds the synthetic news site (bench/site.py) with --pages articles and one section page per
~100 of them, serves it with nginx on 127.0.0.1 (bench/static_server.py) and runs the full
pipeline, `scraper crawl` with extraction on, as a subprocess. Every --interval seconds it
samples the RSS of the crawler process and of its whole process tree (the crawler plus its
extraction workers), and pairs each sample with the page count of the latest progress line
the crawler wrote on stderr (SCRAPER_PROGRESS, every second, so counts lag by up to a second).

It prints a row at 10%, 25%, 50%, 75% and 100% of --pages (2k, 5k, 10k, 15k, 20k by default),
then a verdict: the peaks against the 500 MB goal and the crawler's RSS growth per 1k pages.
The crawler's peak is the kernel's high-water mark (VmHWM), so no spike falls between samples;
the tree's is the largest sampled sum of VmRSS over its processes.

    .venv/bin/python bench/long_run.py                      # 20,000 articles, ~1.1 GB site
    .venv/bin/python bench/long_run.py --pages 3000 --keep
    .venv/bin/python bench/long_run.py --samples rss.tsv    # every sample, for a plot
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.site import build_site
from bench.static_server import run_in_scratch, serve

GOAL_MB = 500
CHECKPOINTS = (0.10, 0.25, 0.50, 0.75, 1.00)  # fractions of --pages
ARTICLES_PER_SECTION = 100
STDERR_TAIL = 4000  # characters of the crawler's other stderr output kept for the report
PROGRESS_LINE = re.compile(r"(?P<site>\S+): (?P<pages>\d+) pages, (?P<articles>\d+) articles")


@dataclass(frozen=True)
class Sample:
    """One look at the crawler: time since start, pages so far, RSS in MB."""

    seconds: float
    pages: int
    crawler_mb: float
    crawler_peak_mb: float  # VmHWM: the kernel's high-water mark of the crawler process
    tree_mb: float  # crawler + all its descendants, summed now


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    return run_in_scratch("long-run-", args.keep, lambda tmp: _benchmark(args, tmp))


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20000, help="article pages (default 20000)")
    parser.add_argument("--sections", type=int,
                        help=f"section pages (default: one per {ARTICLES_PER_SECTION} articles)")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between samples")
    parser.add_argument("--keep", action="store_true", help="keep the site and the crawl's data")
    parser.add_argument("--samples", type=Path, help="write every sample to this TSV file")
    parser.add_argument("--scraper-arg", action="append", default=[], metavar="ARG",
                        help="extra argument for `scraper crawl`, repeatable")
    args = parser.parse_args(argv)
    if args.sections is None:
        args.sections = max(1, round(args.pages / ARTICLES_PER_SECTION))
    if args.pages < 10 or args.sections < 1 or args.interval <= 0:
        parser.error("--pages must be at least 10, --sections at least 1, --interval above 0")
    return args


def _benchmark(args: argparse.Namespace, tmp: Path) -> int:
    started = time.monotonic()
    expected = build_site(tmp / "site", args.pages, args.sections)
    files = [p for p in (tmp / "site").rglob("*") if p.is_file()]
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    print(f"site: {expected:,} pages ({args.pages:,} articles, {args.sections} sections), "
          f"{size_mb:,.0f} MB ({size_mb * 1000 / len(files):.0f} KB/page), "
          f"built in {time.monotonic() - started:.0f} s")
    with serve(tmp / "site") as server:
        command = _scraper_command(server.url, tmp / "data", args.scraper_arg)
        print(f"server: {server.description} at {server.url}")
        print(f"crawl: {' '.join(command[1:])}")
        samples, exit_code, summary, other_stderr = _crawl(command, args.interval, tmp)
    if args.samples:
        _write_samples(args.samples, samples)
    marks = [round(args.pages * f) for f in CHECKPOINTS]
    rows = _checkpoint_rows(samples, marks)
    _print_table(rows, samples, marks)
    _print_verdict(rows, samples)
    print(f"scraper said: {summary or '(no summary line)'}")
    print(f"scraper exit code: {exit_code}")
    if exit_code != 0:
        print(f"crawl failed; its stderr ended with:\n{other_stderr}", file=sys.stderr)
        return 1
    return 0


def _scraper_command(url: str, data: Path, extra: list[str]) -> list[str]:
    # A venv's python is a symlink: its own bin dir, not the resolved one, holds `scraper`.
    scraper = Path(sys.executable).parent / "scraper"
    return [str(scraper) if scraper.exists() else "scraper", "crawl", "--url", url,
            "--data", str(data), "--allow-private", "--delay", "0", "--limit", "100000",
            "-s", "SCRAPER_PROGRESS=True", *extra]


# --- running and watching the crawler -----------------------------------------------------------


class ProgressReader(threading.Thread):
    """Reads the crawler's stderr as it comes: keeps the latest page count and the rest's tail."""

    def __init__(self, stream: int) -> None:
        super().__init__(daemon=True)
        self.stream = stream
        self.pages = 0
        self.other = ""

    def run(self) -> None:
        pending = ""
        while chunk := os.read(self.stream, 65536):
            pending += chunk.decode("utf-8", errors="replace")
            *lines, pending = re.split(r"[\r\n]", pending)
            for line in lines:
                self._take(line)
        self._take(pending)

    def _take(self, line: str) -> None:
        line = line.replace("\033[K", "")
        match = PROGRESS_LINE.search(line)
        if match:
            self.pages = max(self.pages, int(match["pages"]))
        elif line.strip():
            self.other = (self.other + line + "\n")[-STDERR_TAIL:]


def _crawl(command: list[str], interval: float,
           tmp: Path) -> tuple[list[Sample], int, str, str]:
    """Run the crawl, sampling it until it exits; samples, exit code, summary, other stderr."""
    stdout_path = tmp / "crawl-stdout.txt"
    with open(stdout_path, "wb") as stdout:
        # Its own session, so Ctrl-C here can stop the crawler and its workers together.
        process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE,
                                   start_new_session=True)
    assert process.stderr is not None
    reader = ProgressReader(process.stderr.fileno())
    reader.start()
    try:
        samples = _watch(process, reader, interval)
    except BaseException:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()
        raise
    reader.join()
    process.stderr.close()
    lines = stdout_path.read_text(errors="replace").strip().splitlines()
    return samples, process.returncode, lines[-1] if lines else "", reader.other


def _watch(process: subprocess.Popen[bytes], reader: ProgressReader,
           interval: float) -> list[Sample]:
    started = time.monotonic()
    samples: list[Sample] = []
    while process.poll() is None:
        sample = _sample(process.pid, time.monotonic() - started, reader.pages)
        if sample is not None:
            samples.append(sample)
        time.sleep(interval)
    return samples


def _sample(pid: int, seconds: float, pages: int) -> Sample | None:
    status = _status_kb(pid)
    if "VmRSS" not in status:
        return None  # exiting: a zombie has no memory fields
    tree_kb = status["VmRSS"] + sum(_status_kb(child).get("VmRSS", 0)
                                    for child in _descendants(pid))
    return Sample(seconds, pages, status["VmRSS"] / 1024, status["VmHWM"] / 1024, tree_kb / 1024)


def _status_kb(pid: int) -> dict[str, int]:
    """The kB fields of /proc/<pid>/status that matter here; {} if the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    fields = {}
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found += [child, *_descendants(child)]
    return found


# --- report --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    mark: int
    sample: Sample
    peak_crawler_mb: float  # high-water mark so far
    peak_tree_mb: float  # largest sampled tree sum so far


def _checkpoint_rows(samples: list[Sample], marks: list[int]) -> list[Row]:
    """The first sample at or past each mark; the last mark falls back to the last sample."""
    rows = []
    for mark in marks:
        index = next((i for i, s in enumerate(samples) if s.pages >= mark), None)
        if index is None and mark == marks[-1] and samples:
            index = len(samples) - 1  # the last progress line may come just before the end
        if index is None:
            continue
        upto = samples[: index + 1]
        rows.append(Row(mark, samples[index], max(s.crawler_peak_mb for s in upto),
                        max(s.tree_mb for s in upto)))
    return rows


def _print_table(rows: list[Row], samples: list[Sample], marks: list[int]) -> None:
    print(f"{'checkpoint':>10} {'pages':>7} {'seconds':>8} {'pages/s':>8} {'crawler MB':>11} "
          f"{'peak crawler':>13} {'peak tree':>10}")
    for row in rows:
        s = row.sample
        print(f"{_label(row.mark):>10} {s.pages:>7,} {s.seconds:>8.0f} "
              f"{s.pages / max(s.seconds, 1e-6):>8.1f} {s.crawler_mb:>11.0f} "
              f"{row.peak_crawler_mb:>13.0f} {row.peak_tree_mb:>10.0f}")
    if samples:
        last = samples[-1]
        print(f"{'end':>10} {last.pages:>7,} {last.seconds:>8.0f} {'':>8} "
              f"{last.crawler_mb:>11.0f} {max(s.crawler_peak_mb for s in samples):>13.0f} "
              f"{max(s.tree_mb for s in samples):>10.0f}")
    short = [_label(r.mark) for r in rows if r.sample.pages < r.mark]
    if short:
        print(f"{', '.join(short)}: the progress lines stopped short of it; last sample shown")
    missed = [_label(m) for m in marks if m not in {r.mark for r in rows}]
    if missed:
        print(f"not reached: {', '.join(missed)}")
    print("(pages: from the latest progress line; MB = 2**20 bytes; 'end' is the last sample "
          "before the crawler exited, peaks over the whole run)")


def _print_verdict(rows: list[Row], samples: list[Sample]) -> None:
    if not samples:
        print("verdict: no samples (the crawler exited at once)")
        return
    crawler = max(s.crawler_peak_mb for s in samples)
    tree = max(s.tree_mb for s in samples)
    for what, peak in (("crawler process alone", crawler), ("whole process tree", tree)):
        verdict = "meets" if peak < GOAL_MB else "MISSES"
        print(f"peak RSS, {what}: {peak:.0f} MB: {verdict} the < {GOAL_MB} MB goal")
    if len(rows) < 2:
        return
    first, last = rows[0].sample, rows[-1].sample
    growth = last.crawler_mb - first.crawler_mb
    per_1k = growth / max((last.pages - first.pages) / 1000, 1e-6)
    slope = _slope([(s.pages / 1000, s.crawler_mb) for s in samples
                    if first.pages <= s.pages <= last.pages])
    print(f"crawler RSS growth {_label(rows[0].mark)} -> {_label(rows[-1].mark)} pages: "
          f"{growth:+.0f} MB ({per_1k:+.2f} MB per 1k pages; least-squares slope over all "
          f"samples between: {slope:+.2f} MB per 1k pages)")


def _slope(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of y over x; 0 when x does not vary."""
    n = len(points)
    if n < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    cov = sum((x - mean_x) * (y - mean_y) for x, y in points)
    return cov / var if var else 0.0


def _label(pages: int) -> str:
    return f"{pages / 1000:g}k" if pages % 100 == 0 and pages >= 1000 else f"{pages:,}"


def _write_samples(path: Path, samples: list[Sample]) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write("seconds\tpages\tcrawler_mb\tcrawler_peak_mb\ttree_mb\n")
        out.writelines(f"{s.seconds:.2f}\t{s.pages}\t{s.crawler_mb:.1f}\t"
                       f"{s.crawler_peak_mb:.1f}\t{s.tree_mb:.1f}\n" for s in samples)
    print(f"samples written to {path}")


if __name__ == "__main__":
    sys.exit(main())
