"""Serve a directory on 127.0.0.1 for benchmarks: nginx when installed, else Python's http.server.

nginx runs as a foreground child process with a generated config in a private temp directory,
so it needs no system configuration and leaves nothing behind.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

NGINX_INSTALL_HINT = "install it with: apt-get update && apt-get install -y nginx"

NGINX_CONF = """\
daemon off;
master_process on;
worker_processes 1;
{user}
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    types {{ text/html html; text/plain txt; }}
    default_type application/octet-stream;
    client_body_temp_path {work}/client_body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
    }}
}}
"""


class ServerError(RuntimeError):
    """The static server could not be started."""


@contextmanager
def serve(root: Path, backend: str = "auto") -> Iterator[StaticServer]:
    """Serve root on a free 127.0.0.1 port for the duration of the with-block."""
    server = StaticServer(root, backend)
    server.start()
    try:
        yield server
    finally:
        server.stop()


class StaticServer:
    """A static file server on a free 127.0.0.1 port; start() and stop() it, or use serve()."""

    def __init__(self, root: Path, backend: str = "auto") -> None:
        """backend: "auto" (nginx if installed, else Python), "nginx" or "python"."""
        self.root = root.resolve()
        self.port = _free_port()
        self.nginx = shutil.which("nginx") if backend in ("auto", "nginx") else None
        if backend == "nginx" and self.nginx is None:
            raise ServerError(f"nginx is not installed; {NGINX_INSTALL_HINT}")
        self.description = ""
        self._work = Path(tempfile.mkdtemp(prefix="static-server-"))
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        command = self._nginx_command() if self.nginx else self._python_command()
        log = open(self._work / "server.log", "wb")  # noqa: SIM115 - closed with the process
        self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        try:
            self._wait_until_listening()
        except ServerError:
            self.stop()
            raise

    def stop(self) -> None:
        """Stop the server (if started) and delete its temp directory."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        shutil.rmtree(self._work, ignore_errors=True)

    def _nginx_command(self) -> list[str]:
        assert self.nginx is not None
        version = subprocess.run(
            [self.nginx, "-v"], capture_output=True, text=True, check=False
        ).stderr
        self.description = version.strip().replace("nginx version: ", "")
        # As root, nginx workers default to user "nobody", who cannot read a 0700 temp dir.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name};" if os.geteuid() == 0 else ""
        conf = self._work / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(user=user, work=self._work, port=self.port, root=self.root)
        )
        return [
            self.nginx,
            "-p",
            str(self._work),
            "-e",
            str(self._work / "error.log"),
            "-c",
            str(conf),
        ]

    def _python_command(self) -> list[str]:
        self.description = "Python http.server (threaded)"
        return [
            sys.executable,
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            "--directory",
            str(self.root),
            str(self.port),
        ]

    def _wait_until_listening(self, timeout: float = 10.0) -> None:
        assert self._process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ServerError(f"{self.description} exited at start:\n{self._log_tail()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        raise ServerError(f"{self.description} did not listen on port {self.port} in {timeout} s")

    def _log_tail(self) -> str:
        parts = []
        for name in ("server.log", "error.log"):
            path = self._work / name
            if path.exists():
                parts.append(path.read_text(errors="replace")[-2000:])
        return "\n".join(parts)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_in_scratch(prefix: str, keep: bool, body: Callable[[Path], int]) -> int:
    """Run ``body(tmp)`` in a new temp folder, deleted afterwards unless ``keep``.

    ``kill`` unwinds like Ctrl-C, so the tool under test and nginx are stopped too.
    """
    sys.stdout.reconfigure(line_buffering=True)  # progress lines show up when piped too
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        return body(tmp)
    except ServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
