"""A production-like stack on loopback for bench/load.py and bench/faults.py.

Private PostgreSQL and Redis (core/private_services.py: throw-away servers in /tmp that the
fault script may stop; the machine's servers are never touched), a migrated database filled
with ``bench.dataset`` places (``bench/steps.py fill``), and gunicorn with
``cms.settings.production`` (bench/harness.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from bench.harness import ROOT, GunicornServer, python_executable
from core.private_services import PrivatePostgres, PrivateRedis

DOC = ROOT / "docs" / "reliability.md"


class Stack(ExitStack):
    def __init__(
        self, places: int = 1000, workers: int = 4, threads: int = 1, env: dict | None = None
    ):
        super().__init__()
        self.extra_env = env or {}
        self.places = places
        self.workers = workers
        self.threads = threads
        self.tmp = Path(tempfile.mkdtemp(prefix="kig-stack-"))

    def env(self) -> dict:
        return {
            "DATABASE_URL": self.pg.url("kreativorte"),
            "REDIS_URL": self.redis.url,
            "MEDIA_ROOT": str(self.tmp / "media"),
            "APPLICATIONS_PRIVATE_ROOT": str(self.tmp / "private"),
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            **self.extra_env,
        }

    def _python(self, *args: str) -> str:
        completed = subprocess.run(
            [python_executable(), *args],
            cwd=ROOT,
            env={**os.environ, **self.env()},
            capture_output=True,
            text=True,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"{args[:2]} failed:\n{completed.stderr[-3000:]}")
        return completed.stdout

    def __enter__(self):
        super().__enter__()
        self.callback(shutil.rmtree, self.tmp, True)
        self.pg = PrivatePostgres()
        self.callback(self.pg.cleanup)
        self.pg.init()
        self.pg.start()
        self.pg.create_database("kreativorte")
        self.redis = self.enter_context(PrivateRedis())
        print(f"migrating and filling {self.places} places …", flush=True)
        self._python("manage.py", "migrate", "--noinput", "-v", "0")
        fill = self._python("bench/steps.py", "fill", str(self.places))
        self.urls = json.loads(fill.splitlines()[-1])
        self.server = GunicornServer(
            workers=self.workers,
            threads=self.threads,
            env=self.env(),
            log_path=str(self.tmp / "gunicorn.log"),
        )
        self.enter_context(self.server)
        return self

    def gunicorn_log(self) -> str:
        return Path(self.server.log_path).read_text(errors="replace")


def update_doc(marker: str, markdown: str) -> None:
    """Replace the block between ``<!-- marker:start -->`` and ``<!-- marker:end -->``."""
    text = DOC.read_text() if DOC.exists() else "# Reliability\n"
    start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
    block = f"{start}\n{markdown.rstrip()}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        _, after = rest.split(end, 1)
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text)


def machine() -> str:
    cpus = os.cpu_count()
    return f"{cpus} CPU cores, {datetime.now(UTC).strftime('%Y-%m-%d %H:%M')} UTC"
