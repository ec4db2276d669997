"""``scraper index``."""

from __future__ import annotations

from pathlib import Path

import click

from scraper.cli.common import data_option, quiet_option


@click.command()
@quiet_option
@data_option
def index(quiet: bool, data_dir: Path) -> None:
    """(Re)build the CDXJ index of every closed WARC (and imported ARC) file in DATA/warc."""
    from archive.index import write_cdxj
    from archive.reader import archive_files
    from scraper.progress import ProgressLine

    warcs = archive_files(data_dir / "warc")
    sizes = [warc.stat().st_size for warc in warcs]
    with ProgressLine("index", len(warcs), sum(sizes),
                      enabled=False if quiet else None) as progress:
        for warc, size in zip(warcs, sizes):
            write_cdxj(warc, data_dir / "indexes")
            progress.file_done(size)
    click.echo(f"indexed {len(warcs)} WARC files into {data_dir / 'indexes'}")
