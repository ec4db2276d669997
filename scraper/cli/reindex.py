"""``scraper reindex``."""

from __future__ import annotations

from pathlib import Path

import click

from scraper.cli.common import data_option, quiet_option


@click.command()
@quiet_option
@data_option
def reindex(quiet: bool, data_dir: Path) -> None:
    """Rebuild DATA/catalog.sqlite from the WARC, JSONL and run-manifest files alone."""
    from scraper.progress import ProgressLine
    from scraper.store.reindex import reindex as rebuild
    from scraper.store.runs import RunLock

    with RunLock(data_dir):
        summary = rebuild(data_dir, ProgressLine("reindex", enabled=False if quiet else None))
    click.echo(f"catalog rebuilt: {summary.captures} captures, {summary.articles} article "
               f"versions, {summary.runs} runs")
