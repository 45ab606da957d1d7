"""Private PostgreSQL and Redis servers that tests and the bench may stop and start.

Never the machine's own servers: each instance lives in a temporary folder under /tmp on a free
port and disappears with ``cleanup()``. PostgreSQL runs as the ``postgres`` user when called as
root (initdb refuses root); ``fsync=off`` keeps it fast, which is fine for throw-away data.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bindir() -> Path:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    if candidates:
        return Path(candidates[-1])
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).resolve().parent
    raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are missing.")


class PrivatePostgres:
    """``with PrivatePostgres() as pg: pg.url("name")``; ``pg.stop()``, ``pg.start()``.
    ``PrivatePostgres(port, tmp)``: the instance another process created, to stop and start
    it from there."""

    def __init__(self, port: int | None = None, tmp: str | None = None):
        self.port = port or free_port()
        self.bindir = _pg_bindir()
        self.tmp = Path(tmp) if tmp else Path(tempfile.mkdtemp(prefix="kig-pg-"))
        self.datadir = self.tmp / "data"
        self.logfile = self.tmp / "postgres.log"
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, **kwargs)

    def init(self) -> None:
        if self.as_root:
            shutil.chown(self.tmp, "postgres", "postgres")
        self._run(
            "initdb", "-D", str(self.datadir), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions",
        )  # fmt: skip

    def start(self, timeout: float = 30) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.tmp} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
        )
        self._run(
            "pg_ctl", "-D", str(self.datadir), "-l", str(self.logfile), "-o", options,
            "-w", "-t", str(int(timeout)), "start",
        )  # fmt: skip

    def stop(self, mode: str = "immediate") -> None:
        """``immediate`` is a crash for the clients: connections drop at once."""
        self._run("pg_ctl", "-D", str(self.datadir), "-m", mode, "-w", "stop", check=False)

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            [str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U",
             "postgres", "-d", database, "-v", "ON_ERROR_STOP=1", "-tA", "-c", sql],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        return result.stdout.strip()

    def create_database(self, name: str) -> None:
        self.psql(f'CREATE DATABASE "{name}"')

    def copy_database_from(self, source_url: str, name: str) -> None:
        """Schema and data of another PostgreSQL database (pg_dump | psql)."""
        self.create_database(name)
        dump = subprocess.Popen(
            [str(self.bindir / "pg_dump"), "--no-owner", "--no-privileges", source_url],
            stdout=subprocess.PIPE,
        )
        subprocess.run(
            [str(self.bindir / "psql"), "-q", "-v", "ON_ERROR_STOP=1", self.url(name)],
            stdin=dump.stdout, check=True, capture_output=True,
        )  # fmt: skip
        dump.stdout.close()
        if dump.wait() != 0:
            raise RuntimeError("pg_dump failed")

    def cleanup(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        self.init()
        self.start()
        return self

    def __exit__(self, *exc):
        self.cleanup()
        return False


class PrivateRedis:
    """A throw-away redis-server without persistence: ``stop()`` and ``start()`` on one port."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 10) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock,
            ):
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False
