"""``scraper verify``."""

from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
def verify(paths: tuple[Path, ...]) -> None:
    """Check WARC files: structure, digests, request/response pairs, .open leftovers.

    Prints each problem as FILE:OFFSET: MESSAGE; exits 0 only when everything is clean.
    """
    from archive.verify import verify_paths

    result = verify_paths(paths)
    for problem in result.problems:
        click.echo(f"{problem.file}:{problem.offset}: {problem.message}")
    summary = f"{result.files} files, {result.records} records, " \
              f"{len(result.problems)} problems"
    click.echo(summary if result.ok else f"FAILED: {summary}", err=True)
    if not result.ok:
        sys.exit(1)
