"""``scraper verify``."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import click


@click.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--all-warnings", is_flag=True,
              help="Print every warning, not the first of each kind per file.")
def verify(paths: tuple[Path, ...], all_warnings: bool) -> None:
    """Check WARC and ARC files: structure, digests, request/response pairs, .open leftovers.

    Prints each problem as FILE:OFFSET: error|warning: MESSAGE. Errors are damage (a digest
    that does not match, a cut gzip member, an unreadable record); warnings are things other
    tools write and every reader copes with (no warcinfo first, a dns: response without
    request, WARC/0.17). Exits 1 only when there is an error.
    """
    from archive.verify import verify_paths

    result = verify_paths(paths)
    for line in _lines(result.problems, all_warnings):
        click.echo(line)
    summary = (f"{result.files} files, {result.records} records, {result.errors} errors, "
               f"{result.warnings} warnings")
    click.echo(summary if result.ok else f"FAILED: {summary}", err=True)
    if not result.ok:
        sys.exit(1)


def _lines(problems: list[Any], all_warnings: bool) -> list[str]:
    """One line per problem; a warning repeated in a file is shown once, with its count."""
    repeats = Counter((p.file, p.message) for p in problems if p.severity == "warning")
    shown: set[tuple[Path, str]] = set()
    lines = []
    for problem in problems:
        key = (problem.file, problem.message)
        if problem.severity == "warning" and not all_warnings:
            if key in shown:
                continue
            shown.add(key)
            if repeats[key] > 1:
                lines.append(f"{problem} (and {repeats[key] - 1} more like it)")
                continue
        lines.append(str(problem))
    return lines
