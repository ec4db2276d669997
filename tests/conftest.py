"""Shared fixtures: a fault-injecting server on 127.0.0.1 and a way to run the CLI for real."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fault_server import FaultServer

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


def scraper_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "scraper", *args]


def run_scraper(*args: str, cwd: Path | None = None, timeout: float = 120,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``scraper ARGS`` in a fresh process (Twisted's reactor cannot restart in-process)."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(scraper_command(*args), cwd=cwd or REPO, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def crawl(server: FaultServer, data: Path, path: str, *extra: str,
          check: bool = True) -> subprocess.CompletedProcess[str]:
    """Crawl ``server.url + path`` into ``data`` with politeness delays off."""
    result = run_scraper("crawl", "--url", server.url + path, "--data", str(data),
                         "--allow-host", "127.0.0.1", "--delay", "0", "--verbose", *extra)
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result
