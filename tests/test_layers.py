"""The import layers hold: no module imports a layer above its own, and no import cycles."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.layers import ROOT, layer_of, module_cycles, violations


def test_no_module_imports_a_layer_above_its_own() -> None:
    assert violations() == []


def test_no_import_cycles_between_modules() -> None:
    assert module_cycles() == []


def test_every_project_module_has_a_layer() -> None:
    for package in ("archive", "scraper", "spiders"):
        for path in (ROOT / package).rglob("*.py"):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            assert layer_of(module)[1], module


def _copy_of_the_source(target: Path) -> Path:
    for package in ("archive", "scraper", "spiders"):
        shutil.copytree(ROOT / package, target / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    _copy_of_the_source(tmp_path)
    writer = tmp_path / "archive" / "writer.py"
    writer.write_text(writer.read_text() + "\nfrom scraper.store.catalog import CatalogStore\n")
    capture = tmp_path / "scraper" / "crawl" / "process.py"
    capture.write_text(capture.read_text() + "\nfrom spiders.generic import GenericSpider\n")
    found = violations(tmp_path)
    assert any("archive.writer (archive) imports scraper.store.catalog (store)" in v
               for v in found), found
    assert any("scraper.crawl.process (crawl) imports spiders.generic (spiders)" in v
               for v in found), found


def test_the_check_catches_a_cycle(tmp_path: Path) -> None:
    _copy_of_the_source(tmp_path)
    naming = tmp_path / "archive" / "naming.py"
    naming.write_text(naming.read_text() + "\nfrom archive.writer import RollingWarcWriter\n")
    assert ["archive.naming", "archive.writer"] in module_cycles(tmp_path)
