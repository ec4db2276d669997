"""``scraper recover``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.cli.common import data_option, recover_and_report


@click.command()
@data_option
@click.option("--force", is_flag=True, help="Also recover files of a crawl that seems to run.")
@click.option("--extract/--no-extract", default=True, show_default=True,
              help="Extract the captures a killed crawl left pending into DATA/articles/.")
def recover(data_dir: Path, force: bool, extract: bool) -> None:
    """Close WARC files left open by a crash, keeping every complete record, and extract the
    pages a killed crawl archived but did not extract."""
    from scraper.crawl.job import recover_collection, recovered_paths
    from scraper.store.runs import RunLock

    with RunLock(data_dir):
        # `scrapy crawl` takes no lock: a live writer's pid still protects its file.
        reports = recover_and_report(data_dir, quiet=False, force=force)
        has_catalog = (data_dir / "catalog.sqlite").exists()
        pending = recover_collection(data_dir, extract, recovered_paths(reports)) \
            if has_catalog else None
    if pending is not None and pending.describe():
        click.echo(pending.describe())
    if not reports and not (pending and pending.describe()):
        click.echo(f"nothing to recover in {data_dir}")
    if any(r.status == "unrecoverable" for r in reports) or \
            (pending and any(k.startswith("failed/") for k in pending.counts)):
        sys.exit(1)
