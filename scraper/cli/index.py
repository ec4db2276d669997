"""``scraper index``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.cli.common import data_option


@click.command()
@data_option
def index(data_dir: Path) -> None:
    """(Re)build the CDXJ index of every closed WARC file in DATA/warc.

    A damaged file is indexed up to its last complete record and reported (exit 1).
    """
    from archive.extent import readable_extent
    from archive.index import write_cdxj

    warcs = sorted((data_dir / "warc").glob("*.warc.gz"))
    damaged = 0
    for warc in warcs:
        extent = readable_extent(warc)
        write_cdxj(warc, data_dir / "indexes", None if extent.whole else extent.end)
        if extent.damage is not None:
            damaged += 1
            click.echo(f"Error: {extent.damage}", err=True)
    note = f" ({damaged} damaged: indexed up to the damage)" if damaged else ""
    click.echo(f"indexed {len(warcs)} WARC files into {data_dir / 'indexes'}{note}")
    if damaged:
        sys.exit(1)
