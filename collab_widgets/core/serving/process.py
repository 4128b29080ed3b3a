"""Start ``collab serve`` in a child process on a free loopback port, and stop it.

Used by the browser tests and the benchmarks, so both exercise the real server, with
the same Chromium started the same way.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

# Debian's Chromium (Playwright cannot download a browser here), started so that it makes
# no connections of its own: a page's requests are then only the page's.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """``with ServerProcess(db_url) as server: server.url(...)``; logs go to ``log_path``."""

    def __init__(
        self,
        db_url: str,
        log_path: Path,
        *,
        port: int | None = None,
        pool_size: int = 1,
        workbooks: Path | None = None,
        workshop: int = 0,
        extra_env=None,
        serve_args: tuple[str, ...] = (),
    ):
        self.db_url = db_url
        self.log_path = Path(log_path)
        self.port = port or free_port()
        self._port_chosen_here = port is None
        self.pool_size = pool_size
        self.workbooks = workbooks
        self.workshop = workshop
        self.extra_env = extra_env or {}
        self.serve_args = serve_args  # more `collab serve` options
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, notebook: str = "00_start_here.ipynb", **params: str) -> str:
        from urllib.parse import urlencode

        query = f"?{urlencode(params)}" if params else ""
        return f"{self.base}/voila/render/{notebook}{query}"

    def start(self, timeout: float = 90) -> ServerProcess:
        command = [
            sys.executable,
            "-m",
            "collab_widgets.cli",
            "--db",
            self.db_url,
            "serve",
            "--port",
            str(self.port),
            "--pool-size",
            str(self.pool_size),
        ]
        if self.workbooks:
            command += ["--workbooks", str(self.workbooks)]
        if self.workshop:
            command += ["--workshop", str(self.workshop)]
        command += self.serve_args
        env = {**os.environ, **self.extra_env}
        env.pop("QUERY_STRING", None)  # each page's own link must be the only one
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            command,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if self._port_chosen_here and self._port_was_taken():
                    # another program took the free port between our choosing it and
                    # the server binding it: choose again
                    self._log.close()
                    self.port = free_port()
                    return self.start(deadline - time.monotonic())
                raise RuntimeError(f"collab serve exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base + "/", timeout=2):
                    return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"collab serve did not answer within {timeout}s; see {self.log_path}")

    def _port_was_taken(self) -> bool:
        """Whether the server stopped because its port was taken: before it started (its
        own check), or as Voilà began to listen."""
        log = self.log_path.read_text(errors="replace").lower()
        return any(
            f"port {self.port}{where} is already in use" in log for where in (" on 127.0.0.1", "")
        )

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # SIGTERM to `collab serve` only: Voilà then shuts its kernels down cleanly,
            # so their pending saves are written.
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)  # anything left behind
        if getattr(self, "_log", None):
            self._log.close()

    def kernel_processes(self) -> dict:
        """Kernel id -> psutil process, for every kernel the server holds now (its
        descendants that run ipykernel): what pages leave behind is counted from outside."""
        import psutil

        found = {}
        try:
            descendants = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return found
        for process in descendants:
            try:
                command = process.cmdline()
            except psutil.Error:
                continue
            if "ipykernel_launcher" not in " ".join(command):
                continue
            for arg in command:
                name = Path(arg).name
                if name.startswith("kernel-") and name.endswith(".json"):
                    found[name[len("kernel-") : -len(".json")]] = process
        return found

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
