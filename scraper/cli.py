"""The ``scraper`` command. It only wires options to library calls and reports the outcome."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from scraper import __version__
from scraper.errors import ScraperError, UsageError

EXIT_CODES_HELP = """Exit codes: 0 success; 1 partial (some pages or files failed); 2 usage or
configuration error; 3 fatal (disk full, unwritable folder); 4 nothing to do (an --incremental
run found nothing new or due); 5 another run holds the collection's lock."""

data_option = click.option(
    "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path), default="data",
    envvar="SCRAPER_DATA", show_default=True, show_envvar=True,
    help="Collection folder: WARC files in warc/, CDXJ indexes in indexes/.")


def reports_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one-line messages with their own exit codes."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScraperError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper


@click.group(epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="scraper")
def main() -> None:
    """Archive news sites into WARC files that replay in pywb and ReplayWeb.page."""


@main.command()
@click.argument("sites", nargs=-1)
@click.option("--url", help="Start URL: crawl this site (same registrable domain only).")
@click.option("--all", "all_sites", is_flag=True, help="Crawl every built-in site.")
@click.option("--since", help="Only articles published since: 2026-11-20, yesterday, 6h, 3d.")
@click.option("--limit", type=click.IntRange(min=0), default=0,
              help="Stop after this many pages per site (0: no limit).")
@data_option
@click.option("--allow-private", is_flag=True,
              help="Allow loopback and private addresses (local mirrors, tests).")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="HOST",
              help="Allow this one private host (a local mirror); repeatable.")
@click.option("--keep-secrets", is_flag=True,
              help="Store Cookie, Set-Cookie and Authorization values in the WARC unredacted.")
@click.option("--operator", envvar="SCRAPER_OPERATOR", help="Contact written into warcinfo.")
@click.option("--contact", "contact_url", envvar="SCRAPER_CONTACT",
              help="URL put in the User-Agent for site owners to reach you.")
@click.option("--concurrency", type=click.IntRange(min=1), help="Parallel requests per site.")
@click.option("--delay", type=click.FloatRange(min=0),
              help="Seconds between requests to a site; 0 also turns AutoThrottle off.")
@click.option("--extract/--no-extract", default=True, show_default=True,
              help="Extract article records into DATA/articles/ while crawling.")
@click.option("--incremental", is_flag=True,
              help="Fetch only new articles and those due for a re-check (feeds always).")
@click.option("--recheck-after", default="1h,6h,24h,72h", show_default=True,
              help="With --incremental: when an article is re-checked, from first seen.")
@click.option("--quiet", "-q", is_flag=True, help="Only warnings and the final summary.")
@click.option("--verbose", "-v", is_flag=True, help="Scrapy's full log on stderr.")
@click.option("--log-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the full log here.")
@click.option("--json", "as_json", is_flag=True, help="Print the run manifest on stdout.")
@click.option("--set", "-s", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override any Scrapy or scraper setting.")
@reports_errors
def crawl(sites: tuple[str, ...], url: str | None, all_sites: bool, since: str | None,
          limit: int, data_dir: Path, allow_private: bool, allowed_hosts: tuple[str, ...],
          keep_secrets: bool, operator: str | None, contact_url: str | None,
          concurrency: int | None, delay: float | None, extract: bool, incremental: bool,
          recheck_after: str, quiet: bool, verbose: bool, log_file: Path | None, as_json: bool,
          overrides: tuple[str, ...]) -> None:
    """Crawl built-in SITES (see `scraper sites`) or any site from --url, into DATA/warc.

    \b
    Examples:
      scraper crawl al-monitor aljazeera-en --since 2026-11-20 --limit 500
      scraper crawl --all --since yesterday --incremental --quiet
      scraper crawl --url https://www.example-news.org/ --limit 200 --data ./data
    """
    import json

    from scraper.crawl import CrawlOptions
    from scraper.incremental import parse_schedule
    from scraper.job import run_job
    from scraper.since import parse_since
    from spiders.registry import all_sites as registered, get_site

    if url and (sites or all_sites):
        raise UsageError("give either site names (or --all) or --url, not both")
    names = tuple(registered()) if all_sites else tuple(get_site(s).name for s in sites)
    if not url and not names:
        raise UsageError("nothing to crawl: name sites (`scraper sites` lists them), --all, or "
                         "--url URL (example: scraper crawl --url https://www.example-news.org/)")
    parse_schedule(recheck_after)
    options = CrawlOptions(
        data_dir=data_dir, url=url, sites=names, since=parse_since(since) if since else None,
        limit=limit, allow_private=allow_private, allowed_hosts=allowed_hosts,
        redact_secrets=not keep_secrets, operator=operator, contact_url=contact_url,
        concurrency=concurrency, delay=delay, log_level="INFO" if verbose else "WARNING",
        log_file=log_file, extract=extract, incremental=incremental,
        recheck_after=recheck_after, progress=not quiet and sys.stderr.isatty(),
        overrides=_parse_overrides(overrides))
    outcome = run_job(options, lambda data: _recover_leftovers(data, quiet))
    if as_json:
        click.echo(json.dumps(outcome.manifest.as_json(), indent=2, ensure_ascii=False))
    click.echo(outcome.summary, err=as_json or quiet)
    sys.exit(outcome.exit_code)


@main.command()
@click.argument("names", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
@click.option("--check", is_flag=True,
              help="Fetch each site's discovery sources and a few articles (needs internet); "
                   "exit 1 if a site is broken.")
@click.option("--articles", type=click.IntRange(min=1), default=3, show_default=True,
              help="With --check: articles to fetch per site.")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="HOST",
              help="With --check: allow this private host (a local mirror).")
@click.option("--set", "-s", "overrides", multiple=True, metavar="NAME=VALUE",
              help="With --check: override a setting.")
@reports_errors
def sites(names: tuple[str, ...], as_json: bool, check: bool, articles: int,
          allowed_hosts: tuple[str, ...], overrides: tuple[str, ...]) -> None:
    """List the built-in sites: name, languages, discovery sources, paywall, notes.

    \b
    Examples:
      scraper sites
      scraper sites --json
      scraper sites --check al-monitor aljazeera-en
    """
    import json

    from spiders.registry import all_sites, get_site

    if check:
        _check_sites(tuple(get_site(n).name for n in names) or tuple(all_sites()), articles,
                     allowed_hosts, _parse_overrides(overrides))
        return
    definitions = [get_site(n) for n in names] if names else list(all_sites().values())
    if as_json:
        click.echo(json.dumps([d.as_json() for d in definitions], ensure_ascii=False, indent=2))
        return
    rows = [(d.name, ",".join(d.languages), ",".join(d.source_kinds()), d.paywall,
             d.notes.split(". ")[0][:60]) for d in definitions]
    header = ("name", "languages", "sources", "paywall", "notes")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        click.echo("  ".join(str(v).ljust(w) for v, w in zip(row, widths)) + "  " + row[4])


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("-o", "--output", default="-", show_default=True,
              help="JSONL file to write (- for stdout).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Extraction processes.")
@click.option("--timeout", type=click.FloatRange(min=0.001), default=30.0, show_default=True,
              help="Seconds one page may take.")
@click.option("--site-rules/--no-site-rules", default=True, show_default=True,
              help="Apply the built-in sites' cruft rules and article patterns.")
@reports_errors
def extract(paths: tuple[Path, ...], output: str, workers: int, timeout: float,
            site_rules: bool) -> None:
    """Re-derive article records from WARC files alone (no network).

    Same WARC files and same version of this tool give byte-identical output.

    \b
    Example:
      scraper extract data/warc/*.warc.gz -o articles.jsonl
    """
    from scraper.extraction import ExtractionOptions
    from scraper.jsonl import JsonlWriter
    from scraper.reextract import extract_warcs

    if output != "-" and Path(output).exists():
        Path(output).unlink()  # the output is derived: rewrite it whole
    writer = JsonlWriter(output)
    try:
        summary = extract_warcs(paths, writer, ExtractionOptions(), workers, timeout,
                                site_rules=site_rules)
    finally:
        writer.close()
    for error in summary.damaged:
        click.echo(f"Error: {error}", err=True)
    counts = ", ".join(f"{n} {k}" for k, n in sorted(summary.counts.items()))
    click.echo(f"{summary.articles} articles written to {output} ({counts or 'no pages'})",
               err=True)
    if summary.damaged or summary.failures:
        sys.exit(1)


@main.command()
@click.option("--format", "format_", type=click.Choice(["jsonl", "parquet", "csv"]),
              required=True, help="jsonl: records as stored; parquet: typed columns; csv: flat.")
@click.option("-o", "--output", default="-", show_default=True,
              help="File to write (- for stdout; not for parquet).")
@click.option("--site", "sites", multiple=True, metavar="NAME", help="Only this site; repeatable.")
@click.option("--since", help="Only articles dated since: 2026-11-01, yesterday, 3d.")
@click.option("--until", help="Only articles dated before this.")
@click.option("--date-field", type=click.Choice(["published", "fetched"]), default="published",
              show_default=True, help="The date --since/--until apply to.")
@click.option("--lang", "language", metavar="CODE", help="Only this detected language (ar, en).")
@click.option("--paywalled/--not-paywalled", default=None,
              help="Only articles behind / not behind a paywall (default: both).")
@click.option("--all-versions", is_flag=True,
              help="Every version of each article (default: only its latest).")
@click.option("--bom", is_flag=True, help="CSV: start with a UTF-8 BOM (for Excel).")
@click.option("--near-duplicates/--no-near-duplicates", default=True, show_default=True,
              help="Add near_duplicate_of: the id of an earlier record with near-identical text "
                   "(wire stories republished by several sites). Flagged, never dropped.")
@data_option
@reports_errors
def export(format_: str, output: str, sites: tuple[str, ...], since: str | None,
           until: str | None, date_field: str, language: str | None, paywalled: bool | None,
           all_versions: bool, bom: bool, near_duplicates: bool, data_dir: Path) -> None:
    """Export article records to JSONL, Parquet or CSV, filtered.

    \b
    Examples:
      scraper export --format jsonl --site aljazeera-en --since 2026-11-01 --lang ar -o - | jq .
      scraper export --format parquet -o corpus.parquet
      scraper export --format csv --bom -o corpus.csv
    """
    from scraper.collection import Collection
    from scraper.export import export as write_export

    records = Collection(data_dir).articles(
        site=sites or None, since=since, until=until, by=date_field,  # type: ignore[arg-type]
        language=language, paywalled=paywalled,
        versions="all" if all_versions else "latest")
    if near_duplicates:
        from scraper.near_duplicates import apply_near_duplicates

        records = apply_near_duplicates(records)
    summary = write_export(records, format_, output, bom=bom)
    click.echo(summary.summary, err=True)


@main.command()
@data_option
@click.option("--force", is_flag=True, help="Also recover files of a crawl that seems to run.")
@reports_errors
def recover(data_dir: Path, force: bool) -> None:
    """Close WARC files left open by a crash, keeping every complete record."""
    from scraper.runs import RunLock

    with RunLock(data_dir):
        # `scrapy crawl` takes no lock: a live writer's pid still protects its file.
        reports = _recover_leftovers(data_dir, quiet=False, force=force)
    if not reports:
        click.echo(f"nothing to recover in {data_dir / 'warc'}")
    if any(r.status == "unrecoverable" for r in reports):
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@reports_errors
def verify(paths: tuple[Path, ...]) -> None:
    """Check WARC files: structure, digests, request/response pairs, .open leftovers.

    Prints each problem as FILE:OFFSET: MESSAGE; exits 0 only when everything is clean.
    """
    from archive.verify import verify_paths

    result = verify_paths(paths)
    for problem in result.problems:
        click.echo(f"{problem.file}:{problem.offset}: {problem.message}")
    summary = f"{result.files} files, {result.records} records, " \
              f"{len(result.problems)} problems"
    click.echo(summary if result.ok else f"FAILED: {summary}", err=True)
    if not result.ok:
        sys.exit(1)


@main.command()
@data_option
@reports_errors
def reindex(data_dir: Path) -> None:
    """Rebuild DATA/catalog.sqlite from the WARC, JSONL and run-manifest files alone."""
    from scraper.reindex import reindex as rebuild
    from scraper.runs import RunLock

    with RunLock(data_dir):
        summary = rebuild(data_dir)
    click.echo(f"catalog rebuilt: {summary.captures} captures, {summary.articles} article "
               f"versions, {summary.runs} runs")


@main.command()
@click.argument("url")
@data_option
@reports_errors
def history(url: str, data_dir: Path) -> None:
    """Every archived version of the article at URL, with a unified diff of its text.

    \b
    Example:
      scraper history https://www.al-monitor.com/originals/2026/11/some-story
    """
    from scraper.history import article_history, format_history

    for line in format_history(article_history(_catalog(data_dir), data_dir, url), url):
        click.echo(line)


@main.command()
@data_option
@reports_errors
def status(data_dir: Path) -> None:
    """Per site: articles, versions, last fetch, last new article, failures, disk used."""
    from scraper.status import collection_status, format_status

    for line in format_status(*collection_status(_catalog(data_dir), data_dir)):
        click.echo(line)


def _catalog(data_dir: Path) -> Any:
    from scraper.collection import Collection

    return Collection(data_dir).catalog  # one place says what a missing collection means


@main.command()
@data_option
@reports_errors
def index(data_dir: Path) -> None:
    """(Re)build the CDXJ index of every closed WARC file in DATA/warc."""
    from archive.index import write_cdxj

    warcs = sorted((data_dir / "warc").glob("*.warc.gz"))
    for warc in warcs:
        write_cdxj(warc, data_dir / "indexes")
    click.echo(f"indexed {len(warcs)} WARC files into {data_dir / 'indexes'}")


@main.command()
@click.option("--site", help="Only this site's articles and the WARC files holding them.")
@click.option("--since", help="Only articles published since: 2026-11-01, yesterday, 3d.")
@click.option("--until", help="Only articles published before this.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The .wacz file to write.")
@click.option("--title", help="Title shown by ReplayWeb.page (default: from the filters).")
@data_option
@reports_errors
def package(site: str | None, since: str | None, until: str | None, output: Path,
            title: str | None, data_dir: Path) -> None:
    """Write a WACZ file (WARCs, index, full-text page list) for ReplayWeb.page and pywb.

    \b
    Example:
      scraper package --site al-monitor --since 2026-11-01 -o al-monitor-2026-11.wacz
    """
    from archive.wacz import summarize_wacz, write_wacz
    from scraper.collection import Collection

    path = write_wacz(Collection(data_dir), output, site=site, since=since, until=until,
                      title=title)
    summary = summarize_wacz(path)
    warcs = "WARC file" if summary.warc_files == 1 else "WARC files"
    click.echo(f"wrote {path}: {summary.pages} pages, {summary.warc_files} {warcs}, "
               f"{summary.size} bytes")


def _check_sites(names: tuple[str, ...], articles: int, allowed_hosts: tuple[str, ...],
                 overrides: dict[str, str]) -> None:
    from scraper.site_check import check_sites, format_checks

    checks = check_sites(names, articles, {"allowed_hosts": allowed_hosts, "overrides": overrides,
                                           "log_level": "ERROR"})
    for line in format_checks(checks):
        click.echo(line)
    broken = [c.site for c in checks if c.broken]
    if broken:
        click.echo(f"broken: {', '.join(broken)}", err=True)
        sys.exit(1)


def _recover_leftovers(data_dir: Path, quiet: bool, force: bool = False) -> list[Any]:
    """Recover ``.open`` files left by crawls that are no longer running; say what happened."""
    from archive.recovery import recover_leftovers

    reports, skipped = recover_leftovers(data_dir / "warc", data_dir / "indexes", force)
    for path in skipped:
        click.echo(f"skipping {path.name}: the crawl writing it is still running", err=True)
    for report in reports:
        if not quiet or report.status != "recovered":
            click.echo(f"recovered {report.path.name}: {report.status}, kept "
                       f"{report.records_kept} records ({report.bytes_kept} bytes), dropped "
                       f"{report.bytes_dropped} bytes", err=True)
    return reports


def _parse_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--set takes NAME=VALUE, got {pair!r}")
        parsed[name.strip()] = value
    return parsed
