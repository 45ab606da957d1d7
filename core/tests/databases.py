"""A database that a subprocess (another Django process) can use during a test."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

from core.private_services import PrivatePostgres

PROJECT_DIR = Path(__file__).resolve().parents[2]


def private_copy_of_test_database(name: str = "site") -> tuple[PrivatePostgres, str]:
    """A private PostgreSQL (core/private_services.py) holding the test database's schema and
    migration data. On PostgreSQL runs that is a pg_dump copy (seconds); on SQLite runs the
    private database is migrated instead (about 30 s). Call ``pg.cleanup()`` afterwards."""
    pg = PrivatePostgres()
    pg.init()
    pg.start()
    try:
        if connection.vendor == "postgresql":
            params = connection.settings_dict
            source = "postgres://{user}@{host}:{port}/{name}".format(
                user=params["USER"] or "postgres",
                host=params["HOST"] or "127.0.0.1",
                port=params["PORT"] or 5432,
                name=params["NAME"],
            )
            env_password = params.get("PASSWORD")
            if env_password:
                os.environ.setdefault("PGPASSWORD", str(env_password))
            pg.copy_database_from(source, name)
        else:
            pg.create_database(name)
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                cwd=PROJECT_DIR,
                env={**os.environ, "DATABASE_URL": pg.url(name)},
                check=True,
            )
    except Exception:
        pg.cleanup()
        raise
    return pg, pg.url(name)
