"""Crawl speed: our crawler against `wget --recursive --warc-file`, same local site, same run.

Builds the synthetic news site (bench/site.py), serves it with nginx on 127.0.0.1 (Python's
http.server if nginx is missing), crawls it with both tools and prints pages, wall-clock
seconds, pages/s, CPU seconds and peak RSS. Pages are counted from each tool's WARC output:
`response` records with HTTP status 200. CPU seconds are the kernel's rusage of each tool's
process tree (os.wait4: what resource.getrusage(RUSAGE_CHILDREN) reports, but per tool); peak
RSS is that of the tree's largest process, from /usr/bin/time when installed ("-" otherwise).

    .venv/bin/python bench/crawl_speed.py                  # 3,000 articles, one round
    .venv/bin/python bench/crawl_speed.py --repeat 3       # medians of 3 rounds
    .venv/bin/python bench/crawl_speed.py --articles 300 --keep
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

# Run as a script, bench/ is sys.path[0]; import our modules as bench.* from the project root.
# (A bare `import site` still gets the stdlib module: it is loaded before bench/ joins sys.path.)
if not __package__:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.site import build_site
from bench.static_server import NGINX_INSTALL_HINT, run_in_scratch, serve

STDERR_TAIL = 4000  # characters of a failed tool's stderr to print
# Peak RSS comes from GNU time, not our own wait4: a child spawned by this Python process
# (vfork or fork) starts with our ~20 MB high-water mark, which would hide wget's ~9 MB.
GNU_TIME = "/usr/bin/time"
WGET_PAGE_LINE = re.compile(r" URL:\S+ \[\d+(/\d+)?\] -> ")
WGET_EXIT_CODES = {  # from `man wget`, EXIT STATUS
    1: "wget: generic error",
    2: "wget: parse error (command-line options)",
    3: "wget: file I/O error",
    4: "wget: network failure",
    7: "wget: protocol error",
    8: "wget: the server issued an error response (a 4xx/5xx page: a broken link in the site?)",
}


@dataclass
class Run:
    """One tool's crawl: figures if it worked, an error message if not."""

    tool: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_mb: float | None = None
    pages: int = 0
    error: str = ""
    exit_code: int = 0


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    return run_in_scratch("crawl-speed-", args.keep, lambda tmp: _benchmark(args, tmp))


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000, help="article pages (default 3000)")
    parser.add_argument("--sections", type=int, default=30, help="section pages (default 30)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; medians are reported")
    parser.add_argument("--keep", action="store_true", help="keep the site, WARCs and logs")
    parser.add_argument(
        "--server",
        choices=("auto", "nginx", "python"),
        default="auto",
        help="static server (default: nginx if installed)",
    )
    parser.add_argument(
        "--scraper-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for `scraper crawl`, repeatable (e.g. --scraper-arg=--no-extract)",
    )
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.articles < 1 or args.sections < 1:
        parser.error("--repeat, --articles and --sections must be at least 1")
    return args


def _benchmark(args: argparse.Namespace, tmp: Path) -> int:
    started = time.perf_counter()
    expected = build_site(tmp / "site", args.articles, args.sections)
    size_mb = sum(p.stat().st_size for p in (tmp / "site").rglob("*") if p.is_file()) / 1e6
    print(
        f"site: {expected:,} pages ({args.articles:,} articles, {args.sections} sections), "
        f"{size_mb:.1f} MB, built in {time.perf_counter() - started:.1f} s"
    )
    if args.server == "auto" and shutil.which("nginx") is None:
        print(
            f"nginx not found ({NGINX_INSTALL_HINT}); falling back to Python's threaded "
            "http.server: slower, figures not comparable with nginx ones"
        )
    scraper = _scraper_command(args.scraper_arg)
    with serve(tmp / "site", backend=args.server) as server:
        print(f"server: {server.description} at {server.url}")
        if scraper:
            print(f"ours: {' '.join(scraper)} --url URL --data DIR")
        runs = _rounds(args.repeat, server.url, tmp, scraper)
    _print_table(runs, expected)
    return 1 if any(run.error for tool_runs in runs.values() for run in tool_runs) else 0


def _rounds(repeat: int, url: str, tmp: Path, scraper: list[str] | None) -> dict[str, list[Run]]:
    """Run both tools every round, swapping their order, so machine noise hits both alike."""
    runs: dict[str, list[Run]] = {"wget": [], "ours": []}
    tools = [("wget", _crawl_wget), ("ours", _crawl_ours)]
    for i in range(1, repeat + 1):
        for tool, crawl in tools if i % 2 else tools[::-1]:
            if runs[tool] and runs[tool][-1].error:
                continue  # a tool that failed once fails again; do not waste the time
            out = tmp / f"round{i}" / tool
            out.mkdir(parents=True)
            run = crawl(url, out, scraper)
            runs[tool].append(run)
            _print_run(i, run)
    return runs


def _crawl_wget(url: str, out: Path, _scraper: list[str] | None) -> Run:
    wget = shutil.which("wget")
    if wget is None:
        return Run("wget", error="wget not found; install it with: apt-get install -y wget")
    command = [
        wget,
        "--recursive",
        "--level=inf",
        "--no-parent",
        "--no-verbose",
        f"--warc-file={out / 'wget'}",
        "--no-warc-keep-log",
        "-P",
        str(out / "wget-out"),
        url,
    ]
    run = _timed("wget", command, out)
    if run.exit_code in WGET_EXIT_CODES:
        run.error = f"{WGET_EXIT_CODES[run.exit_code]}\n{run.error}"
    shutil.rmtree(out / "wget-out", ignore_errors=True)  # the mirror is only a copy of the site
    return _count(run, _warc_files(out))


def _crawl_ours(url: str, out: Path, scraper: list[str] | None) -> Run:
    if scraper is None:
        return Run(
            "ours",
            error=f"`scraper` command not found in {Path(sys.executable).parent} "
            "or on PATH (install the project: pip install -e .)",
        )
    command = [*scraper, "--url", url, "--data", str(out / "ours")]
    run = _timed("ours", command, out)
    return _count(run, _warc_files(out / "ours"))


def _scraper_command(extra: list[str]) -> list[str] | None:
    """`scraper crawl` without --url and --data, or None if the command is not installed."""
    scraper = _find_scraper()
    if scraper is None:
        return None
    # No politeness delay: wget waits for nothing either, and this measures throughput.
    # No extraction: wget extracts nothing (bench/pipeline_speed.py measures it).
    return [
        scraper,
        "crawl",
        "--limit",
        "100000",
        "--allow-private",
        "--quiet",
        "--delay",
        "0",
        "--no-extract",
        *extra,
    ]


def _find_scraper() -> str | None:
    # Not resolved: a venv's python is a symlink, and the venv's bin dir is what we want.
    candidate = Path(sys.executable).parent / "scraper"
    return str(candidate) if candidate.exists() else shutil.which("scraper")


def _timed(tool: str, command: list[str], out: Path) -> Run:
    """Run command, its stdout and stderr into files in out; wall clock and rusage."""
    rss_file = out / "peak_rss_kb.txt"
    gnu_time = GNU_TIME if Path(GNU_TIME).exists() else None
    spawned = [gnu_time, "-f", "%M", "-o", str(rss_file), *command] if gnu_time else command
    with open(out / "stdout.log", "wb") as stdout, open(out / "stderr.log", "wb") as stderr:
        started = time.perf_counter()
        try:
            pid = os.posix_spawn(
                spawned[0],
                spawned,
                os.environ,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, stdout.fileno(), 1),
                    (os.POSIX_SPAWN_DUP2, stderr.fileno(), 2),
                ],
                setpgroup=0,  # its own process group, to stop the whole tree at once
            )
        except OSError as exc:
            return Run(tool, error=f"cannot start {spawned[0]}: {exc}")
        try:
            _, status, usage = os.wait4(pid, 0)
        except BaseException:  # Ctrl-C: do not leave the tool crawling a server about to stop
            os.killpg(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
            raise
        seconds = time.perf_counter() - started
    run = Run(
        tool,
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_rss_mb=_peak_rss_mb(rss_file),
    )
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        run.exit_code = code
        err = _stderr_tail(out / "stderr.log")
        run.error = f"{' '.join(command)}\nexited with {code}; stderr (tail):\n{err}"
    return run


def _stderr_tail(path: Path) -> str:
    """The end of a stderr log, without wget's one-line-per-page progress."""
    lines = path.read_text(errors="replace").splitlines(keepends=True)
    return "".join(line for line in lines if not WGET_PAGE_LINE.search(line))[-STDERR_TAIL:]


def _peak_rss_mb(rss_file: Path) -> float | None:
    """Peak RSS of the largest process of the tree, as GNU time wrote it (last line, KB)."""
    try:
        return int(rss_file.read_text().split()[-1]) / 1024
    except (OSError, IndexError, ValueError):
        return None


def _warc_files(folder: Path) -> list[Path]:
    """Closed WARC files under folder (not CDXJ indexes named after them, not .open files)."""
    return sorted(p for p in folder.rglob("*") if p.name.endswith((".warc", ".warc.gz")))


def _count(run: Run, warcs: list[Path]) -> Run:
    """Set run.pages from the WARCs; an empty result is a failure too."""
    if run.error:
        return run
    run.pages = sum(_count_ok_responses(path) for path in warcs)
    if run.pages == 0:
        names = ", ".join(str(p) for p in warcs) or "none found"
        run.error = f"no WARC response records with status 200 (WARC files: {names})"
    return run


def _count_ok_responses(path: Path) -> int:
    with open(path, "rb") as stream:
        return sum(
            1
            for record in ArchiveIterator(stream)
            if record.rec_type == "response"
            and record.http_headers is not None
            and record.http_headers.get_statuscode() == "200"
        )


def _print_run(round_no: int, run: Run) -> None:
    if run.error:
        print(f"round {round_no}: {run.tool} FAILED")
    else:
        print(
            f"round {round_no}: {run.tool} {run.pages:,} pages in {run.seconds:.2f} s "
            f"({run.pages / run.seconds:.1f} pages/s)"
        )


def _median(runs: list[Run]) -> Run | None:
    ok = [run for run in runs if not run.error]
    if not ok or len(ok) < len(runs):
        return None
    return Run(
        ok[0].tool,
        seconds=statistics.median(r.seconds for r in ok),
        cpu_seconds=statistics.median(r.cpu_seconds for r in ok),
        peak_rss_mb=_median_or_none([r.peak_rss_mb for r in ok]),
        pages=int(statistics.median(r.pages for r in ok)),
    )


def _median_or_none(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return statistics.median(known) if len(known) == len(values) else None


def _format_mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _print_table(runs: dict[str, list[Run]], expected: int) -> None:
    rounds = max(len(tool_runs) for tool_runs in runs.values())
    print(f"\n{'median of ' + str(rounds) + ' rounds' if rounds > 1 else 'one round'}")
    print(
        f"{'tool':<6}{'pages':>8}{'seconds':>10}{'pages/s':>10}{'CPU s':>9}"
        f"{'CPU ms/page':>13}{'peak RSS MB':>13}"
    )
    medians = {tool: _median(tool_runs) for tool, tool_runs in runs.items()}
    for tool, m in medians.items():
        if m is None:
            print(f"{tool:<6}{'FAILED':>8}")
            continue
        print(
            f"{tool:<6}{m.pages:>8,}{m.seconds:>10.2f}{m.pages / m.seconds:>10.1f}"
            f"{m.cpu_seconds:>9.2f}{1000 * m.cpu_seconds / m.pages:>13.1f}"
            f"{_format_mb(m.peak_rss_mb):>13}"
        )
        if m.pages != expected:
            print(
                f"      note: {tool} saved {m.pages:,} pages with status 200; the site has "
                f"{expected:,}"
            )
    ours, wget = medians["ours"], medians["wget"]
    if ours and wget:
        speed = (ours.pages / ours.seconds) / (wget.pages / wget.seconds)
        cpu = (ours.cpu_seconds / ours.pages) / (wget.cpu_seconds / wget.pages)
        print(f"ours/wget: {speed:.2f}x pages/s, {cpu:.2f}x CPU per page")
    sys.stdout.flush()  # errors go to stderr: keep them after the table
    for tool_runs in runs.values():
        for run in tool_runs:
            if run.error:
                print(f"\n{run.tool} failed: {run.error}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
