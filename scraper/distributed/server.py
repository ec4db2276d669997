"""A private redis-server for ``scraper crawl --workers N`` on one machine, without ``--redis``.

Debian's ``redis-server`` listens on a unix socket inside the data folder (no TCP port, mode
700), keeps nothing on disk (no RDB, no AOF) and is shut down when the workers are done.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

import redis

from scraper.distributed.connection import RedisAddress
from scraper.errors import StorageError, UsageError

#: Longest unix socket path the kernel takes (sun_path is 108 bytes with the final NUL).
MAX_SOCKET_PATH = 100
START_TIMEOUT = 15.0


class LocalRedisServer:
    """``with LocalRedisServer(data_dir) as address:`` a running redis-server, stopped after."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = Path(data_dir) / ".redis"
        self.process: subprocess.Popen[bytes] | None = None
        self._short_dir: str | None = None

    def __enter__(self) -> RedisAddress:
        binary = shutil.which("redis-server")
        if binary is None:
            raise UsageError("redis-server is not installed (Debian/Ubuntu: apt-get install "
                             "redis-server), or give --redis redis://HOST:PORT/DB")
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as error:
            raise StorageError(f"cannot create {self.folder}: {error.strerror}") from error
        socket_path = self._socket_path()
        self.process = subprocess.Popen(
            [binary, "--port", "0", "--unixsocket", str(socket_path), "--unixsocketperm", "700",
             "--save", "", "--appendonly", "no", "--dir", str(self.folder),
             "--logfile", str(self.folder / "redis.log"), "--daemonize", "no"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        address = RedisAddress(f"unix://{socket_path}")
        self._wait_ready(socket_path)
        return address

    def _socket_path(self) -> Path:
        path = (self.folder / "redis.sock").resolve()
        if len(str(path)) <= MAX_SOCKET_PATH:
            return path
        self._short_dir = tempfile.mkdtemp(prefix="scraper-redis-")  # the data path is too long
        return Path(self._short_dir) / "redis.sock"

    def _wait_ready(self, socket_path: Path) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        assert self.process is not None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise UsageError(f"redis-server stopped at start (exit {self.process.returncode}"
                                 f"); see {self.folder / 'redis.log'}")
            try:
                if redis.Redis(unix_socket_path=str(socket_path)).ping():
                    return
            except (redis.ConnectionError, FileNotFoundError):
                time.sleep(0.05)
        self._stop()
        raise UsageError(f"redis-server did not start within {START_TIMEOUT:.0f}s; see "
                         f"{self.folder / 'redis.log'}")

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._stop()

    def _stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._short_dir:
            shutil.rmtree(self._short_dir, ignore_errors=True)
