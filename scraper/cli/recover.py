"""``scraper recover``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.cli.common import data_option, recover_and_report


@click.command()
@data_option
@click.option("--force", is_flag=True, help="Also recover files of a crawl that seems to run.")
def recover(data_dir: Path, force: bool) -> None:
    """Close WARC files left open by a crash, keeping every complete record."""
    from scraper.store.runs import RunLock

    with RunLock(data_dir):
        # `scrapy crawl` takes no lock: a live writer's pid still protects its file.
        reports = recover_and_report(data_dir, quiet=False, force=force)
    if not reports:
        click.echo(f"nothing to recover in {data_dir / 'warc'}")
    if any(r.status == "unrecoverable" for r in reports):
        sys.exit(1)
