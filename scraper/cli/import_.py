"""``scraper import``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.cli.common import data_option, quiet_option


@click.command("import")
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Extraction processes.")
@click.option("--timeout", type=click.FloatRange(min=0.001), default=30.0, show_default=True,
              help="Seconds one page may take.")
@quiet_option
@data_option
def import_(paths: tuple[Path, ...], workers: int, timeout: float, quiet: bool,
            data_dir: Path) -> None:
    """Bring WARC or ARC files written by other tools into a collection.

    Each file is copied whole and unchanged into DATA/warc/, indexed, cataloged and its
    articles extracted; the run manifest names the tool that wrote it (from its warcinfo).
    A file already in the collection (same bytes) is skipped.

    \b
    Example:
      scraper import crawl-2014.warc.gz old.arc.gz --data data
    """
    from scraper.progress import ProgressLine
    from scraper.store.importer import import_warcs

    progress = ProgressLine("import", enabled=False if quiet else None)
    summary = import_warcs(list(paths), data_dir, workers=workers, timeout=timeout,
                           progress=progress)
    for entry in summary.files:
        where = f"warc/{entry.stored.name}" if entry.stored else "-"
        tool = entry.software or "unknown tool"
        if entry.status == "failed":
            click.echo(f"Error: {entry.source}: not imported: {entry.error}", err=True)
            continue
        click.echo(f"{entry.source} -> {where}: {entry.status} (written by {tool}; "
                   f"{entry.captures} captures)", err=True)
        if entry.error:
            click.echo(f"Error: {entry.error}", err=True)
    for error in summary.extracted.damaged:
        click.echo(f"Error: {error}", err=True)
    counts = ", ".join(f"{n} {k}" for k, n in sorted(summary.extracted.counts.items()))
    click.echo(f"run {summary.run_id}: {len(summary.imported)} files imported, "
               f"{summary.extracted.articles} articles ({counts or 'no pages'}); "
               f"exit {summary.exit_code}", err=True)
    sys.exit(summary.exit_code)
