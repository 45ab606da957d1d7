"""What ``make bench`` runs on: databases, a private Redis, a media folder, Django processes.

For every size a fresh database: PostgreSQL when ``DATABASE_URL`` points there
(``kig_bench_<N>`` on that server, copied from a migrated ``kig_bench_template``, dropped and
re-created), else a SQLite file in a temporary folder. A private Redis (``redis-server`` on a
free port, no persistence) is the cache when the binary exists, so the machine's Redis is
never flushed. Every Django process gets production settings with DEBUG off (``child_env``).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from bench.harness import ROOT, free_port, python_executable


class Infrastructure:
    def __init__(self, keep: bool = False):
        self.tmp = Path(tempfile.mkdtemp(prefix="kig-bench-"))
        self.media = self.tmp / "media"
        self.keep = keep
        self.redis = None
        self.redis_url = os.environ.get("REDIS_URL", "")
        self.base_url = os.environ.get("DATABASE_URL", "")
        self.postgres = self.base_url.startswith(("postgres://", "postgresql://"))

    def __enter__(self):
        manage("collectstatic", "--noinput", "-v", "0", env=self.env(self.base_url))
        redis = shutil.which("redis-server")
        if redis:
            port = free_port()
            self.redis = subprocess.Popen(
                [
                    *(redis, "--port", str(port), "--bind", "127.0.0.1", "--save", ""),
                    *("--appendonly", "no", "--maxmemory", "512mb"),
                    *("--maxmemory-policy", "allkeys-lru"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            self.redis_url = f"redis://127.0.0.1:{port}/0"
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not self.redis_ping():
                time.sleep(0.1)
        return self

    def __exit__(self, *exc):
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(timeout=10)
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)
        return False

    def redis_command(self, *args: str) -> str:
        """Send one command to the private Redis (RESP over a socket, no client library)."""
        parts = urlsplit(self.redis_url)
        payload = f"*{len(args)}\r\n" + "".join(f"${len(a)}\r\n{a}\r\n" for a in args)
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=5) as sock:
            sock.sendall(payload.encode())
            return sock.recv(4096).decode(errors="replace")

    def redis_ping(self) -> bool:
        try:
            return "PONG" in self.redis_command("PING")
        except OSError:
            return False

    def flush_cache(self) -> bool:
        """Empty the private Redis (never the machine's); False when there is none."""
        if not self.redis:
            return False
        return "OK" in self.redis_command("FLUSHALL")

    def env(self, database_url: str) -> dict:
        env = {
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(self.media),
            "STATIC_ROOT": str(self.tmp / "static"),
            "CACHE_KEY_PREFIX": "bench",
        }
        if self.redis_url:
            env["REDIS_URL"] = self.redis_url
        return env

    # Databases -------------------------------------------------------------------------

    def _pg_url(self, name: str) -> str:
        parts = urlsplit(self.base_url)
        return urlunsplit(parts._replace(path=f"/{name}"))

    def _pg_admin(self, *statements: str) -> None:
        with psycopg.connect(self._pg_url("postgres"), autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def template(self) -> str:
        """A migrated, empty database to copy for each size."""
        if self.postgres:
            self._pg_admin(
                "DROP DATABASE IF EXISTS kig_bench_template WITH (FORCE)",
                "CREATE DATABASE kig_bench_template",
            )
            url = self._pg_url("kig_bench_template")
        else:
            url = f"sqlite:///{self.tmp / 'template.sqlite3'}"
        manage("migrate", "--noinput", "-v", "0", env=self.env(url))
        return url

    def database(self, size: int) -> str:
        if self.postgres:
            name = f"kig_bench_{size}"
            self._pg_admin(
                f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
                f"CREATE DATABASE {name} TEMPLATE kig_bench_template",
            )
            return self._pg_url(name)
        path = self.tmp / f"bench-{size}.sqlite3"
        shutil.copyfile(self.tmp / "template.sqlite3", path)
        return f"sqlite:///{path}"


def child_env(extra: dict) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": env.get("SECRET_KEY") or "bench-only-secret-key-" + "x" * 40,
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    completed = subprocess.run(
        [python_executable(), "manage.py", *args],
        cwd=ROOT,
        env=child_env(env),
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{completed.stderr[-4000:]}")
    return completed


def child(step: str, env: dict, argument: str) -> dict:
    """Run a step of ``bench/steps.py`` in a fresh Django process; it prints JSON last."""
    completed = subprocess.run(
        [python_executable(), str(ROOT / "bench" / "steps.py"), step, argument],
        cwd=ROOT,
        env=child_env(env),
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{step} failed:\n{completed.stderr[-4000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])
