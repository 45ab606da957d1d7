"""Demo content for Kreativorte im Grünen: ``manage.py load_demo`` and ``create_demo_admin``.

The texts live in ``demo/content/*.json`` (see demo.data), the loader in demo.loader, the
locally drawn illustrations in demo.images.
"""
