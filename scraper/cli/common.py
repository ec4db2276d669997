"""What several commands share: options, option parsing, opening a collection, recovery."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from scraper.errors import UsageError

data_option = click.option(
    "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default="data",
    envvar="SCRAPER_DATA", show_default=True, show_envvar=True,
    help="Collection folder: WARC files in warc/, CDXJ indexes in indexes/.")

quiet_option = click.option(
    "-q", "--quiet", is_flag=True,
    help="No progress line (it is only drawn when stderr is a terminal anyway).")


def parse_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    """``-s NAME=VALUE`` options as a dict of setting overrides."""
    parsed = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--set takes NAME=VALUE, got {pair!r}")
        parsed[name.strip()] = value
    return parsed


def open_catalog(data_dir: Path) -> Any:
    """The collection's catalog; one place says what a missing collection means."""
    from scraper.store.collection import Collection

    return Collection(data_dir).catalog


def recover_and_report(data_dir: Path, quiet: bool, force: bool = False,
                       running_expected: bool = False) -> list[Any]:
    """Recover ``.open`` files left by crawls that are no longer running; say what happened.

    ``running_expected``: a worker of a distributed job starting beside the job's other
    workers, whose open files are theirs: not worth a line each.
    """
    from archive.recovery import recover_leftovers

    reports, skipped = recover_leftovers(data_dir / "warc", data_dir / "indexes", force)
    for path in [] if running_expected else skipped:
        click.echo(f"skipping {path.name}: the crawl writing it is still running", err=True)
    for report in reports:
        if not quiet or report.status != "recovered":
            click.echo(f"recovered {report.path.name}: {report.status}, kept "
                       f"{report.records_kept} records ({report.bytes_kept} bytes), dropped "
                       f"{report.bytes_dropped} bytes", err=True)
    return reports


def report_reading(problems: Any) -> bool:
    """Say on stderr what reading the JSONL files found (a ``ReadProblems``); True if damage.

    Moved records were still read (a warning); lines that are not records, or records the
    catalog names that no file holds, are damage: the command then exits 1.
    """
    for message in problems.messages():
        click.echo(f"{'Error' if problems.damaged else 'Warning'}: {message}", err=True)
    return bool(problems.damaged)


def check_sites(collection: Any, names: tuple[str, ...]) -> None:
    """UsageError naming the sites the collection has when a ``--site`` name is not one."""
    import difflib

    known = collection.sites()
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3)
            hint = f"did you mean {', '.join(close)}? " if close else ""
            raise UsageError(f"no articles of site {name!r} in {collection.path}: {hint}"
                             f"sites in it: {', '.join(known) or 'none'}")
