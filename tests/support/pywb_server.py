"""Start a real pywb replay server on 127.0.0.1 for end-to-end replay tests.

pywb 2.10 pins redis==2.10.6, which clashes with our own dependencies, so it lives in its
own virtual environment (`.venv-pywb`, made by `tests/support/pywb_env.sh`) and runs as a
subprocess. Nothing here imports pywb.
"""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

REPO_ROOT = Path(__file__).resolve().parents[2]
PYWB_VENV = REPO_ROOT / ".venv-pywb"
WAYBACK = PYWB_VENV / "bin" / "wayback"
COLLECTION = "archive"
HOST = "127.0.0.1"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0

# Any timestamp works with pywb's closest-capture lookup; "2" is shortest and never matches
# exactly, so pywb picks the capture nearest to it.
CLOSEST_TIMESTAMP = "2"


class PywbError(RuntimeError):
    """pywb could not be started or did not answer."""


def pywb_available() -> str | None:
    """Return why pywb cannot run here (a reason for pytest.skip), or None when it can."""
    if not WAYBACK.is_file():
        return f"pywb is not installed in {PYWB_VENV}: run `bash tests/support/pywb_env.sh`"
    try:
        subprocess.run([str(WAYBACK), "--version"], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"{WAYBACK} does not run ({exc}): rerun `bash tests/support/pywb_env.sh`"
    return None


class PywbServer:
    """A running `wayback` process serving one collection; use as a context manager."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log_path: Path) -> None:
        self.process = process
        self.port = port
        self.log_path = log_path
        self.collection = COLLECTION
        self.url = f"http://{HOST}:{port}"

    def __enter__(self) -> PywbServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Terminate the server, killing it if it does not exit in time."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT)

    def log(self) -> str:
        """Return what the server printed so far (for assertion messages)."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def write_config(warc_dir: Path, index_dir: Path, workdir: Path) -> Path:
    """Write pywb's config.yaml defining the one collection; return its path.

    JSON is valid YAML, so no YAML library is needed on our side.
    """
    config = {
        # No collections/ directory tree: only the collection declared here.
        "enable_auto_colls": False,
        "collections": {
            COLLECTION: {
                # A directory: pywb reads every *.cdx / *.cdxj in it on each lookup.
                "index_paths": str(index_dir.resolve()),
                # pywb joins this prefix and the CDXJ `filename` by plain string
                # concatenation, so a directory needs its trailing slash.
                "archive_paths": str(warc_dir.resolve()) + "/",
            }
        },
    }
    path = workdir / "config.yaml"
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_pywb(warc_dir: Path, index_dir: Path, workdir: Path) -> PywbServer:
    """Start `wayback` on 127.0.0.1 replaying the WARCs of warc_dir through index_dir.

    Args:
        warc_dir: folder holding the *.warc.gz files named in the indexes.
        index_dir: folder holding *.cdxj indexes (must exist when the server starts).
        workdir: scratch folder for config.yaml and the server log.

    Returns:
        A started PywbServer; stop it with `.stop()` or a `with` block.
    """
    reason = pywb_available()
    if reason:
        raise PywbError(reason)
    workdir.mkdir(parents=True, exist_ok=True)
    write_config(warc_dir, index_dir, workdir)
    port = free_port()
    log_path = workdir / "wayback.log"
    command = [str(WAYBACK), "--bind", HOST, "--port", str(port), "--directory", str(workdir)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=workdir, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    server = PywbServer(process, port, log_path)
    try:
        wait_until_up(server)
    except BaseException:
        server.stop()
        raise
    return server


def wait_until_up(server: PywbServer, timeout: float = START_TIMEOUT) -> None:
    """Poll the collection's root until pywb answers, or raise PywbError."""
    deadline = time.monotonic() + timeout
    probe = f"{server.url}/{server.collection}/"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise PywbError(f"wayback exited with {server.process.returncode}:\n{server.log()}")
        try:
            with urllib.request.urlopen(probe, timeout=2):
                return
        except urllib.error.HTTPError as exc:
            # An unknown collection answers 404: the config did not load as intended.
            raise PywbError(f"{probe} answered {exc.code}:\n{server.log()}") from exc
        except OSError:
            time.sleep(0.1)
    raise PywbError(f"wayback did not answer {probe} within {timeout} s:\n{server.log()}")


def replay_url(server: PywbServer, original_url: str, timestamp: str = CLOSEST_TIMESTAMP) -> str:
    """Return the URL of the raw (`id_`, not rewritten) replay of original_url's capture.

    pywb still undoes the captured Content-Encoding (gzip comes back decoded). `*id_` is no
    timestamp to pywb: it is a capture query for the URL `id_/...` and answers 200 with
    its search page, so keep a digit timestamp here.
    """
    return f"{server.url}/{server.collection}/{timestamp}id_/{original_url}"
