"""Demo content for Kreativorte im Grünen (``manage.py load_demo``).

Reusable entry points (imported lazily, so importing this package needs no app registry):

- ``load_demo()`` loads or completes all demo content and returns a ``DemoResult``.
- ``ensure_home_page()`` sets up the HomePage and the default site on a fresh database.
- ``ensure_default_site(home)`` makes sure the default site serves ``home``.
- ``ensure_collection(name)`` returns a top-level image collection, creating it once.
- ``render_illustration()`` draws a placeholder picture with Pillow;
  ``ensure_illustration()`` stores one as a core.CustomImage (looked up by title).
"""

from importlib import import_module

_EXPORTS = {
    "DemoResult": "loader",
    "load_demo": "loader",
    "ensure_collection": "site",
    "ensure_default_site": "site",
    "ensure_home_page": "site",
    "ensure_illustration": "images",
    "render_illustration": "images",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
