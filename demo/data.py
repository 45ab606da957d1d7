"""The demo content, read from the JSON files in ``demo/content/`` (all texts German).

- ``home.json``: title, intro and body of the home page;
- ``pages.json``: the content pages below the home page (slug, title, intro, body);
- ``regions.json``: the regions, and ``places/<region slug>.json`` the places of each;
- ``events.json``: the events, each below the place named by its ``place`` slug, dated
  relative to the day the loader runs (``demo.events``);
- ``reference_data.json``: the English names of the fields, offers and actor types (their
  German rows come from migration ``places/0002``);
- ``towns.json``: the towns the places lie in (a place's ``town`` is a key here), with the
  "Der Ort" text and the way there; a place lies at its town's centre plus ``offset``
  (degrees of latitude and longitude).

A body is a list of blocks ``[kind, *arguments]`` (demo.streams.blocks_from_spec), and
``{link:slug:Text}`` in a text links to the page with that slug below the home page. The
"how to take part" page is ``so-gehts``: ``/mitmachen/`` is the applications form.

The towns, their coordinates, postcodes and districts are real. Every place, person,
street address, phone number, e-mail address and website is invented; e-mail and web
addresses use the reserved ``.example`` domain and phone numbers have a subscriber
number starting with ``0``, which does not exist in the German numbering plan.
"""

import json
from pathlib import Path

CONTENT = Path(__file__).with_name("content")


def read(name: str):
    return json.loads((CONTENT / name).read_text(encoding="utf-8"))


HOME = read("home.json")
CONTENT_PAGES = read("pages.json")
TOWNS = read("towns.json")
EVENTS = read("events.json")
REFERENCE_DATA_EN = read("reference_data.json")
REGIONS = [
    {**region, "places": read(f"places/{region['slug']}.json")} for region in read("regions.json")
]
