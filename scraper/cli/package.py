"""``scraper package``."""

from __future__ import annotations

from pathlib import Path

import click

from scraper.cli.common import data_option, quiet_option


@click.command()
@click.option("--site", help="Only this site's articles and the WARC files holding them.")
@click.option("--since", help="Only articles published since: 2026-11-01, yesterday, 3d.")
@click.option("--until", help="Only articles published before this.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .wacz file to write.")
@click.option("--title", help="Title shown by ReplayWeb.page (default: from the filters).")
@quiet_option
@data_option
def package(site: str | None, since: str | None, until: str | None, output: Path,
            title: str | None, quiet: bool, data_dir: Path) -> None:
    """Write a WACZ file (WARCs, index, full-text page list) for ReplayWeb.page and pywb.

    \b
    Example:
      scraper package --site al-monitor --since 2026-11-01 -o al-monitor-2026-11.wacz
    """
    from scraper.export.wacz import summarize_wacz, write_wacz
    from scraper.progress import ProgressLine
    from scraper.store.collection import Collection

    progress = ProgressLine("package", enabled=False if quiet else None)
    path = write_wacz(Collection(data_dir), output, site=site, since=since, until=until,
                      title=title, progress=progress)
    summary = summarize_wacz(path)
    warcs = "WARC file" if summary.warc_files == 1 else "WARC files"
    click.echo(f"wrote {path}: {summary.pages} pages, {summary.warc_files} {warcs}, "
               f"{summary.size} bytes")
