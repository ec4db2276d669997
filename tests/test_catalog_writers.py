"""Several processes open one catalog at the same moment: the workers of a distributed job,
released together by their parent, each open the collection's catalog as they start."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

from scraper.store.catalog import CatalogStore

OPENERS = 6
TRIALS = 10


def _open(path: Path, barrier: Any, results: Any) -> None:
    barrier.wait()
    try:
        store = CatalogStore(path)
        store.add_run(run_id=f"run-{multiprocessing.current_process().pid}", started_at="",
                      ended_at="", command="", exit_code=0, manifest_file="")
        store.close()
        results.put("ok")
    except Exception as error:  # reported, not raised: the parent counts them
        results.put(f"{type(error).__name__}: {error}")


def test_workers_creating_the_catalog_at_once_all_open_it(tmp_path: Path) -> None:
    # PRAGMA journal_mode=WAL does not wait for a busy database: before it was retried, 12
    # of 30 trials of 6 openers had one fail with "database is locked" (a worker exit 3).
    context = multiprocessing.get_context("fork")
    failures = []
    for trial in range(TRIALS):
        path = tmp_path / f"t{trial}" / "catalog.sqlite"
        barrier, results = context.Barrier(OPENERS), context.Queue()
        openers = [context.Process(target=_open, args=(path, barrier, results))
                   for _ in range(OPENERS)]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join(timeout=120)
        failed = [r for r in (results.get(timeout=60) for _ in openers) if r != "ok"]
        store = CatalogStore(path)
        assert len(list(store.query("SELECT run_id FROM runs"))) == OPENERS - len(failed)
        store.close()
        failures += failed
    assert failures == []
