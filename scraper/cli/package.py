"""``scraper package``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from scraper.cli.common import data_option, quiet_option, report_reading


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
    from scraper.export.wacz import PackageDamage, summarize_wacz, write_wacz
    from scraper.progress import ProgressLine
    from scraper.store.collection import Collection

    damage = PackageDamage()
    progress = ProgressLine("package", enabled=False if quiet else None)
    path = write_wacz(Collection(data_dir), output, site=site, since=since, until=until,
                      title=title, progress=progress, damage=damage)
    summary = summarize_wacz(path)
    warcs = "WARC file" if summary.warc_files == 1 else "WARC files"
    for error in damage.warcs:
        click.echo(f"Error: {error} (packaged up to byte {error.offset})", err=True)
    report_reading(damage.reading)
    left_out = (f", {damage.pages_left_out} pages left out (capture damaged)"
                if damage.pages_left_out else "")
    click.echo(f"wrote {path}: {summary.pages} pages, {summary.warc_files} {warcs}, "
               f"{summary.size} bytes{left_out}")
    if damage.any:
        sys.exit(1)
