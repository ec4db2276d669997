"""``scraper status``."""

from __future__ import annotations

from pathlib import Path

import click

from scraper.cli.common import data_option, open_catalog


@click.command()
@data_option
def status(data_dir: Path) -> None:
    """Per site: articles, versions, last fetch, last new article, failures, disk used."""
    from scraper.store.status import collection_status, format_status

    for line in format_status(*collection_status(open_catalog(data_dir), data_dir)):
        click.echo(line)
