"""A static build made once for a test module (``tests.fixtures.module_db``), handed to each
of its tests as a copy of their own."""

import shutil

from staticsite.builder import BuildConfig
from tests.fixtures import fresh


def for_one_test(built: dict, tmp_path, settings, **static_settings) -> dict:
    """``built`` (pages, ``output``) for one test: its pages as stored, its own copy of the
    output (with the files' times: tests compare them to see what a later build touched),
    ``settings.STATICSITE_OUTPUT`` and ``static_settings`` set and its ``config``."""
    output = tmp_path / "site"
    shutil.copytree(built["output"], output, symlinks=True)
    settings.STATICSITE_OUTPUT = str(output)
    for name, value in static_settings.items():
        setattr(settings, name, value)
    return {**fresh(built), "output": output, "config": BuildConfig.from_settings()}
