"""CDXJ index of one closed WARC file, written by cdxj-indexer the way pywb indexes its own."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cdxj_indexer.main import CDXJIndexer
from warcio.exceptions import ArchiveLoadFailed

from archive.errors import WarcError

INDEX_SUFFIX = ".cdxj"


def write_cdxj(warc_path: Path, index_dir: Path) -> Path:
    """Index one closed WARC file into ``index_dir/<warc file name>.cdxj``.

    Lines are ``surt timestamp {json}``, sorted, with ``filename`` the bare WARC file name, and
    POST/PUT bodies appended to the key as pywb 2.10's ``wb-manager`` does, so pywb can serve
    the file from a collection's ``archive/`` folder. The index appears atomically (temporary
    file in ``index_dir``, then rename), so a reader never sees half an index.

    Args:
        warc_path: a closed ``.warc.gz`` (or ``.warc``) file.
        index_dir: folder for the index; created if missing.

    Returns:
        The path of the index written.

    Raises:
        WarcError: the WARC file cannot be read or the index cannot be written.
    """
    warc_path, index_dir = Path(warc_path), Path(index_dir)
    target = index_dir / (warc_path.name + INDEX_SUFFIX)
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=index_dir)
    except OSError as error:
        raise WarcError(f"cannot write its index in {index_dir}: {error.strerror}",
                        path=warc_path) from error
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            CDXJIndexer(out, [str(warc_path)], sort=True, post_append=True).process_all()
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o644)  # mkstemp makes it private; pywb may run as another user
        os.replace(temp, target)
    except (ArchiveLoadFailed, EOFError, ValueError, OSError) as error:
        temp.unlink(missing_ok=True)
        reason = " ".join(str(error).split())  # warcio's messages span lines: one line
        raise WarcError(f"cannot index it ({reason}); run `scraper verify` on it",
                        path=warc_path) from error
    return target
