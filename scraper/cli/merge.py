"""``scraper merge``."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("folders", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--into", "into", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The collection folder to merge into (created if missing).")
def merge(folders: tuple[Path, ...], into: Path) -> None:
    """Move the collections in FOLDERS (one per machine of a job) into one, rebuild its catalog.

    \b
    Example:
      scraper merge /mnt/worker1/data /mnt/worker2/data --into ./data
    """
    from scraper.distributed.merge import merge_collections

    summary = merge_collections(list(folders), into)
    moved = ", ".join(f"{count} {kind}" for kind, count in summary.moved.items())
    catalog = summary.catalog
    click.echo(f"merged {len(folders)} folders into {into}: moved {moved}"
               + (f"; {summary.identical} identical files already there" if summary.identical
                  else "")
               + (f"; catalog: {catalog.captures} captures, {catalog.articles} article "
                  f"versions, {catalog.runs} runs" if catalog else ""))
