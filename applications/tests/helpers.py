"""Helpers for the application tests (fixtures are in conftest.py)."""

import struct
import time
import zlib

from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission

from applications.permissions import grant_application_permissions
from applications.security import make_form_token

ORIGIN = "http://testserver"


def old_token(seconds: float = 10) -> str:
    return make_form_token(issued_at=time.time() - seconds)


def form_data(region, categories, **overrides):
    data = {
        "token": old_token(),
        "fax": "",
        "place_name": "Alte Scheune Mösenthin",
        "region": str(region.pk),
        "municipality": "Salzwedel",
        "street": "Dorfstraße 1",
        "postcode": "29410",
        "categories": [str(categories[0].pk), str(categories[1].pk)],
        "introduction": "Eine alte Scheune, in der jetzt Werkstätten und ein Café sind. "
        "Wir suchen Menschen, die mitmachen.",
        "website": "https://scheune.example",
        "contact_person": "Anna Muster",
        "email": "anna@example.org",
        "phone": "03901 000 123",
        "consent": "on",
    }
    data.update(overrides)
    return data


def post_form(client, data, **extra):
    extra.setdefault("HTTP_ORIGIN", ORIGIN)
    return client.post("/mitmachen/", data, **extra)


def editors_group(name, region, *, inbox=True):
    group = Group.objects.create(name=name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=region, permission=Permission.objects.get(codename=codename)
        )
    if inbox:
        grant_application_permissions(group)
    return group


def bomb_png(width=30000, height=30000) -> bytes:
    """A small PNG that claims (and decompresses to) an enormous number of pixels."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    raw = zlib.compress(row * height, 9)
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
