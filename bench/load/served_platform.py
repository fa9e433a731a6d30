"""The platform under load: gunicorn and a Celery worker with the production
settings, each in its own session so that it can be stopped as a group."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from local_ports import free_port, wait_for_port

if TYPE_CHECKING:
    from harness import Settings

VENV_BIN = Path(sys.executable).parent


class Platform:
    """gunicorn and a Celery worker with the production settings."""

    def __init__(self, base: Path, env: dict[str, str], settings: Settings) -> None:
        self.base = base
        self.env = env
        self.settings = settings
        self.port = free_port()
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run(
            [str(VENV_BIN / "onestop"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"onestop {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def _spawn(self, command: list[str], log: str) -> subprocess.Popen[bytes]:
        # The child keeps its own copy of the log's descriptor.
        with open(self.base / log, "ab") as out:
            return subprocess.Popen(
                command,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start(self) -> None:
        self.web = self._spawn(
            [
                str(VENV_BIN / "gunicorn"),
                "onestop.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.settings.web_workers),
                "--threads",
                str(self.settings.web_threads),
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
                "--preload",
            ],
            "gunicorn.log",
        )
        self.worker = self._spawn(
            [
                str(VENV_BIN / "onestop"),
                "worker",
                "--concurrency",
                str(self.settings.celery_concurrency),
            ],
            "worker.log",
        )
        wait_for_port(self.port)
        self.warm_up()

    def warm_up(self) -> None:
        """A few requests so that every web worker has imported the views."""
        for _ in range(self.settings.web_workers * self.settings.web_threads):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=30).close()

    def wait_for_deliveries(self, timeout: float) -> None:
        """Wait until no delivery is pending (the worker has caught up)."""
        deadline = time.monotonic() + timeout
        code = (
            "from onestop.notifications.models import Delivery;"
            "print(Delivery.objects.filter(status='pending').count())"
        )
        while time.monotonic() < deadline:
            try:
                pending = int(self.manage("shell", "-c", code, timeout=60).strip().splitlines()[-1])
            except (RuntimeError, ValueError):
                pending = -1
            if pending == 0:
                return
            time.sleep(2)

    def stop(self) -> None:
        for process in (self.web, self.worker):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in (self.web, self.worker):
            if process is None:
                continue
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
