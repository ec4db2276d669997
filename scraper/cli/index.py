"""``scraper index``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.cli.common import data_option, quiet_option


@click.command()
@quiet_option
@data_option
def index(quiet: bool, data_dir: Path) -> None:
    """(Re)build the CDXJ index of every closed WARC (and imported ARC) file in DATA/warc.

    A damaged file is indexed up to its last complete record and reported (exit 1).
    """
    from archive.index import index_files
    from archive.reader import archive_files
    from scraper.progress import ProgressLine

    warcs = archive_files(data_dir / "warc")
    with ProgressLine("index", len(warcs), sum(warc.stat().st_size for warc in warcs),
                      enabled=False if quiet else None) as progress:
        damage = index_files(warcs, data_dir / "indexes", progress.file_done)
    for error in damage:
        click.echo(f"Error: {error}", err=True)
    note = f" ({len(damage)} damaged: indexed up to the damage)" if damage else ""
    click.echo(f"indexed {len(warcs)} WARC files into {data_dir / 'indexes'}{note}")
    if damage:
        sys.exit(1)
