"""The command line as users and cron jobs meet it: scrapy compatibility, verify, recover, help."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, crawl, run_scraper
from tests.support.fault_server import FaultServer

SCRAPY = str(Path(sys.executable).parent / "scrapy")


def test_scrapy_list_and_crawl_work_through_scrapy_cfg(server: FaultServer,
                                                       tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    listed = subprocess.run([SCRAPY, "list"], cwd=REPO, env=env, capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert "generic" in listed.stdout.split()
    crawled = subprocess.run(
        [SCRAPY, "crawl", "generic", "-a", f"url={server.url}/site/", "-a", "limit=3",
         "-s", f"SCRAPER_DATA_DIR={tmp_path}", "-s", "SCRAPER_ALLOWED_PRIVATE_HOSTS=127.0.0.1"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert crawled.returncode == 0, crawled.stderr
    assert list((tmp_path / "warc").glob("*.warc.gz"))


def test_verify_reports_file_and_offset_of_damage(server: FaultServer, tmp_path: Path) -> None:
    crawl(server, tmp_path / "data", "/site/", "--limit", "5")
    (original,) = (tmp_path / "data" / "warc").glob("*.warc.gz")
    damaged = tmp_path / "damaged.warc.gz"
    shutil.copy(original, damaged)
    blob = bytearray(damaged.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    damaged.write_bytes(bytes(blob))

    clean = run_scraper("verify", str(original))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    broken = run_scraper("verify", str(damaged))
    assert broken.returncode == 1
    first = broken.stdout.splitlines()[0]
    assert first.startswith(f"{damaged}:") and first.split(":")[1].strip().isdigit(), first


def test_verify_flags_open_leftovers(tmp_path: Path) -> None:
    leftover = tmp_path / "x-20261125000000000-00000-host-1.warc.gz.open"
    leftover.write_bytes(b"")
    result = run_scraper("verify", str(tmp_path))
    assert result.returncode == 1
    assert "scraper recover" in result.stdout + result.stderr


def test_recover_with_nothing_to_do(tmp_path: Path) -> None:
    result = run_scraper("recover", "--data", str(tmp_path))
    assert result.returncode == 0
    assert "nothing to recover" in result.stdout


def test_data_folder_from_environment(server: FaultServer, tmp_path: Path) -> None:
    result = run_scraper("crawl", "--url", server.url + "/final", "--allow-host", "127.0.0.1",
                         "--quiet", env={"SCRAPER_DATA": str(tmp_path / "envdata")})
    assert result.returncode == 0, result.stderr
    assert list((tmp_path / "envdata" / "warc").glob("*.warc.gz"))


def test_help_documents_exit_codes() -> None:
    result = run_scraper("--help")
    assert result.returncode == 0
    assert "Exit codes" in result.stdout
