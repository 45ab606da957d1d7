"""Phase 2 of an import, second half: match each valid row to a place of the region.

A row belongs to the place with its page ``id`` (the export writes it), else with its
``external_id``, else with its title and municipality; each compared with the place's live
values and its latest draft. Duplicates within the file and ambiguous matches are rejected;
a new place with the same name within ``DUPLICATE_DISTANCE_M`` of another is flagged.
"""

from __future__ import annotations

import math
import re
import unicodedata

from django.utils.text import slugify
from django.utils.translation import gettext as _

from taggit.models import Tag

from core.languages import in_language_q
from places.models import Category, Offer, PlacePage, PlaceStatus
from places.nearby import distance_km

from .layout import latest_places
from .report import RowResult

DUPLICATE_DISTANCE_M = 500


def normalised_name(value: str) -> str:
    value = unicodedata.normalize("NFKD", value.lower().replace("ß", "ss"))
    value = "".join(char for char in value if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value).split())


class Context:
    """Reference data and the region's existing places, loaded once per import."""

    def __init__(self, region):
        self.region = region
        self.categories = {c.slug: c for c in Category.objects.all()}
        self.offers = {o.slug: o for o in Offer.objects.all()}
        self.statuses = set(PlaceStatus.values)
        self.status_labels = {str(label).lower(): value for value, label in PlaceStatus.choices}
        self.tags_by_slug, self.tags_by_name = {}, {}
        for tag in Tag.objects.all().only("id", "name", "slug"):
            self.add_tag(tag)
        # The region's places as they are live (the row) and as drafted (the latest
        # revision): a row is matched by either and compared with the draft.
        self.places = {}
        self.drafts = {}
        self.by_external_id: dict[str, list[int]] = {}
        self.by_title: dict[tuple[str, str], list[int]] = {}
        for place, draft in latest_places(region):
            self.places[place.pk], self.drafts[place.pk] = place, draft
            external_ids = {place.external_id, draft.external_id} - {""}
            for external_id in external_ids:
                self.by_external_id.setdefault(external_id, []).append(place.pk)
            versions = {(place.title, place.municipality), (draft.title, draft.municipality)}
            for key in {(title.strip().lower(), town.strip().lower()) for title, town in versions}:
                self.by_title.setdefault(key, []).append(place.pk)
        # Every place of the portal, for "same name nearby" (any region; German pages: an
        # English translation is its German place's text, no place of its own).
        self.nearby_index: dict[str, list[tuple]] = {}
        for row in PlacePage.objects.filter(
            in_language_q(), latitude__isnull=False, longitude__isnull=False
        ).values_list("pk", "title", "latitude", "longitude", "external_id"):
            self.nearby_index.setdefault(normalised_name(row[1]), []).append(row)

    def add_tag(self, tag: Tag) -> Tag:
        self.tags_by_slug[tag.slug] = tag
        self.tags_by_name[tag.name.lower()] = tag
        return tag

    def tag(self, value: str) -> Tag | None:
        """The existing tag a cell names by its slug or (in any case) its name."""
        return self.tags_by_slug.get(value) or self.tags_by_name.get(value.lower())

    def tag_slug(self, value: str) -> str:
        tag = self.tag(value)
        return tag.slug if tag else slugify(value)


def match_rows(rows: list[RowResult], context: Context, publish: bool = False) -> None:
    """Decide create/update per row; reject duplicates within the file; flag near duplicates."""
    seen_ids: dict[str, int] = {}
    seen_keys: dict[tuple[str, str], int] = {}
    claimed: dict[int, int] = {}
    for row in rows:
        if row.errors:
            row.action = "rejected"
            continue
        external_id = row.data.get("external_id", "")
        key = (row.data.get("title", "").lower(), row.data.get("municipality", "").lower())
        if row.given_id is not None:
            _match_by_id(row, context, external_id, key)
            if row.errors:
                row.action = "rejected"
                continue
        if external_id:
            if external_id in seen_ids:
                row.errors.append(
                    _("doppelt: external_id „%(id)s“ steht schon in %(label)s %(n)s")
                    % {"id": external_id, "label": "Zeile/Objekt", "n": seen_ids[external_id]}
                )
            seen_ids.setdefault(external_id, row.number)
            candidates = context.by_external_id.get(external_id, [])
            if row.given_id is not None and candidates and candidates != [row.given_id]:
                row.errors.append(
                    _("„id“ %(id)s und external_id „%(ext)s“ gehören zu verschiedenen Orten")
                    % {"id": row.given_id, "ext": external_id}
                )
        else:
            if key in seen_keys:
                row.errors.append(
                    _("doppelt: Titel und Ort wie in Zeile/Objekt %(n)s") % {"n": seen_keys[key]}
                )
            candidates = context.by_title.get(key, [])
        if row.given_id is not None:
            candidates = [row.given_id]
        seen_keys.setdefault(key, row.number)
        if not external_id:
            # Matched by title and municipality: keep the place's own external_id.
            row.data.pop("external_id", None)
        if len(candidates) > 1:
            row.errors.append(
                _("mehrdeutig: passt zu mehreren vorhandenen Orten (IDs %(ids)s)")
                % {"ids": ", ".join(str(pk) for pk in candidates)}
            )
        elif candidates:
            page_id = candidates[0]
            if page_id in claimed:
                row.errors.append(
                    _("doppelt: derselbe vorhandene Ort wie in Zeile/Objekt %(n)s")
                    % {"n": claimed[page_id]}
                )
            claimed.setdefault(page_id, row.number)
            row.page_id = page_id
        if row.errors:
            row.action = "rejected"
            continue
        row.action = "update" if row.page_id else "create"
        existing = context.drafts[row.page_id].teaser if row.page_id else ""
        if not row.data.get("teaser", existing):
            if publish:
                row.errors.append(
                    _("„teaser“ (Kurzbeschreibung) fehlt; ohne sie kein Veröffentlichen")
                )
                row.action = "rejected"
                continue
            row.warnings.append(_("Kurzbeschreibung fehlt – vor dem Veröffentlichen ergänzen"))
        if row.action == "create" and "latitude" in row.data and "longitude" in row.data:
            latitude, longitude = float(row.data["latitude"]), float(row.data["longitude"])
            for pk, title, lat, lon, other_id in context.nearby_index.get(
                normalised_name(row.data.get("title", "")), []
            ):
                if other_id and other_id == external_id:
                    continue
                meters = distance_km(latitude, longitude, float(lat), float(lon)) * 1000
                if meters <= DUPLICATE_DISTANCE_M:
                    row.warnings.append(
                        _(
                            "möglicherweise doppelt: „%(title)s“ (ID %(pk)s) liegt %(m)s m "
                            "entfernt – nicht zusammengeführt, bitte prüfen"
                        )
                        % {"title": title, "pk": pk, "m": math.floor(meters)}
                    )


def _match_by_id(row: RowResult, context: Context, external_id: str, key) -> None:
    """A row with a page id: it must name a place of this region, and one that fits the row
    (same external_id, or the same title or municipality, live or drafted), so that a file
    of another portal or region, whose ids mean other places here, changes nothing."""
    place = context.places.get(row.given_id)
    if place is None:
        row.errors.append(
            _(
                "„id“ %(id)s ist kein Ort der Region „%(region)s“ (gelöscht oder aus einer "
                "anderen Datei?) – nicht übernommen; neue Orte ohne id eintragen"
            )
            % {"id": row.given_id, "region": context.region.title}
        )
        return
    draft = context.drafts[place.pk]
    known_ids = {place.external_id, draft.external_id} - {""}
    if external_id and known_ids and external_id not in known_ids:
        row.errors.append(
            _("„id“ %(id)s gehört zum Ort mit external_id „%(known)s“, nicht „%(ext)s“")
            % {"id": row.given_id, "known": ", ".join(sorted(known_ids)), "ext": external_id}
        )
        return
    names = {
        value.strip().lower()
        for value in (place.title, draft.title, place.municipality, draft.municipality)
    }
    if not (external_id and external_id in known_ids) and not ({key[0], key[1]} & names):
        row.errors.append(
            _(
                "„id“ %(id)s gehört zu „%(title)s“ (%(municipality)s); weder Titel noch Ort "
                "passen – nicht übernommen"
            )
            % {"id": row.given_id, "title": draft.title, "municipality": draft.municipality}
        )
