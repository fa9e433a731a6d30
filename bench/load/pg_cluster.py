"""A throwaway PostgreSQL cluster for the load harness.

initdb + pg_ctl on a free port under the run's directory (as the ``postgres``
system user when started as root), never the machine's shared cluster, so
that the fault test may stop and restart it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

from local_ports import free_port


def pg_bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if found:
        return str(found[-1])
    path = shutil.which(name)
    if path is None:
        raise FileNotFoundError(f"PostgreSQL's {name} is not installed")
    return path


class ThrowawayCluster:
    """A PostgreSQL cluster of our own that we may stop and start at will."""

    def __init__(self, base: Path) -> None:
        self.dir = base / "pg"
        self.port = free_port()
        self.log = base / "pg.log"
        self._as: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            self._as = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/onestop_load"

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True, timeout=120)

    def init(self) -> None:
        self.dir.mkdir(parents=True)
        self.log.touch()
        if self._as:
            shutil.chown(self.dir.parent, "postgres")
            shutil.chown(self.dir, "postgres")
            shutil.chown(self.log, "postgres")
        self._run(
            pg_bin("initdb"),
            "-D",
            str(self.dir),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
        )
        self.start()
        self._run(
            pg_bin("createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "onestop_load",
        )

    def copy_schema(self, source_url: str) -> None:
        """The tables of a migrated database, and its record of migrations."""
        target = self.url
        for args in (["--schema-only"], ["--data-only", "--table=django_migrations"]):
            dump = subprocess.run(
                [pg_bin("pg_dump"), "--no-owner", "--no-privileges", *args, source_url],
                check=True,
                capture_output=True,
                timeout=120,
            )
            subprocess.run(
                [pg_bin("psql"), "-q", "-v", "ON_ERROR_STOP=1", target],
                input=dump.stdout,
                check=True,
                capture_output=True,
                timeout=120,
            )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1"
            f" -c unix_socket_directories={self.dir} -c max_connections=200 -c fsync=off"
        )
        self._run(
            pg_bin("pg_ctl"),
            "-D",
            str(self.dir),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._run(pg_bin("pg_ctl"), "-D", str(self.dir), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(Exception):
            self._run(pg_bin("pg_ctl"), "-D", str(self.dir), "-m", "immediate", "-w", "stop")
