"""The ``scraper`` command group: the commands, and one place that turns errors into exit codes.

Each command lives in its own module, parses its options and calls one library function.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from scraper import __version__
from scraper.cli import (
    crawl,
    demo,
    export,
    extract,
    history,
    import_,
    index,
    jobs,
    merge,
    package,
    recover,
    reindex,
    report,
    sites,
    status,
    verify,
)
from scraper.errors import USER_ERRORS

EXIT_CODES_HELP = """Exit codes: 0 success; 1 partial (some pages or files failed); 2 usage or
configuration error; 3 fatal (disk full, unwritable folder); 4 nothing to do (an --incremental
run found nothing new or due, an import found every file already there); 5 another run holds
the collection's lock."""


class ErrorReportingGroup(click.Group):
    """A group whose commands' library errors become one line on stderr and their exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except USER_ERRORS as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(getattr(error, "exit_code", 1))


@click.group(cls=ErrorReportingGroup, epilog=EXIT_CODES_HELP)
@click.version_option(__version__, prog_name="scraper")
def main() -> None:
    """Archive news sites into WARC files that replay in pywb and ReplayWeb.page."""


for module in (demo, crawl, sites, extract, import_, export, recover, verify, reindex, history,
               status, index, package, report, jobs, merge):
    main.add_command(getattr(module, module.__name__.rsplit(".", 1)[1]))
