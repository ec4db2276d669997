"""``scraper index``."""

from __future__ import annotations

from pathlib import Path

import click

from scraper.cli.common import data_option


@click.command()
@data_option
def index(data_dir: Path) -> None:
    """(Re)build the CDXJ index of every closed WARC file in DATA/warc."""
    from archive.index import write_cdxj

    warcs = sorted((data_dir / "warc").glob("*.warc.gz"))
    for warc in warcs:
        write_cdxj(warc, data_dir / "indexes")
    click.echo(f"indexed {len(warcs)} WARC files into {data_dir / 'indexes'}")
