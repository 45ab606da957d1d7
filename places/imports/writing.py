"""Phase 3 of an import: write every valid row (drafts, and what may be published).

A row is compared with the place's latest revision (draft with draft): an unchanged row
writes nothing and publishes nothing, ever. New places become drafts, changed places a new
revision. With ``publish``, only a new place and a changed row of a live place without
pending changes are published; every other existing place gets a draft revision only, and
the report says why (``publish_refusal``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taggit.models import Tag
from wagtail.models import PageLogEntry

from core.slugs import unique_slug
from places.models import PlacePage

from .layout import place_values
from .matching import Context
from .report import RowResult


def publish_refusal(page) -> str:
    """Why a changed row of an existing place is saved as a draft only although ``publish``
    was given (empty: it may be published). Only a live page without unpublished changes is
    published: anything else would publish around the moderation."""
    prefix = _("Entwurf gespeichert, nicht veröffentlicht")
    if page.current_workflow_state is not None:
        reason = _("in der Freigabe (Workflow) – die Moderation entscheidet")
    elif not page.live and (
        # online once: someone took it offline
        page.first_published_at is not None
        or page.last_published_at is not None
        or PageLogEntry.objects.filter(page=page, action="wagtail.unpublish").exists()
    ):
        reason = _("offline genommen – wieder online nur über die Verwaltung")
    elif not page.live:
        reason = _("noch nie veröffentlicht – bitte in der Redaktion freigeben")
    elif page.has_unpublished_changes:
        reason = _(
            "ausstehende Änderungen der Redaktion – bitte in der Redaktion prüfen und freigeben"
        )
    else:
        return ""
    return f"{prefix}: {reason}"


def plan_update(row: RowResult, context: Context, publish: bool) -> bool:
    """For a matched row: ``unchanged`` when it equals the place's latest revision (then
    nothing is written or published), else whether to publish, with the reason in the
    report when not. Returns whether to publish."""
    page, draft = context.places[row.page_id], context.drafts[row.page_id]
    current, data = place_values(draft), dict(row.data)
    if "tags" in data:  # compared by the slug they resolve to
        data["tags"] = sorted({context.tag_slug(tag) for tag in data["tags"]})
    if all(current[column] == value for column, value in data.items()):
        row.action = "unchanged"
        return False
    refusal = publish_refusal(page) if publish else ""
    if refusal:
        row.warnings.append(refusal)
    return publish and not refusal


def write(rows, context: Context, user, publish: bool) -> None:
    taken = set(PlacePage.objects.child_of(context.region).values_list("slug", flat=True))
    for row in rows:
        try:
            with transaction.atomic():  # a savepoint: a row that fails this late is skipped alone
                _write_row(row, taken, context, user, publish)
        except ValidationError as exc:
            if row.action == "create":
                row.page_id = None
            row.action = "rejected"
            for column, messages in exc.message_dict.items():
                row.errors.append(f"„{column}“: " + " ".join(messages))


def _write_row(row: RowResult, taken: set[str], context: Context, user, publish: bool) -> None:
    if row.action == "update":
        publish_row = plan_update(row, context, publish)
        if row.action == "update":
            draft = context.drafts[row.page_id]
            _apply(draft, row.data, context)
            _save(draft, user, publish_row)
            row.published = publish_row
    elif row.action == "create":
        page = PlacePage(
            title=row.data["title"],
            slug=unique_slug(row.data["title"], taken),
            live=False,
            owner=user,
        )
        _apply(page, row.data, context)
        context.region.add_child(instance=page)
        row.page_id = page.pk
        _save(page, user, publish)
        row.published = publish


def _apply(page, data: dict, context: Context) -> None:
    for column, value in data.items():
        if column == "categories":
            page.categories.set([context.categories[slug] for slug in value])
        elif column == "offers":
            page.offers.set([context.offers[slug] for slug in value])
        elif column == "tags":
            page.tags.set(
                [
                    context.tag(name) or context.add_tag(Tag.objects.create(name=name))
                    for name in value
                ]
            )
        else:
            setattr(page, column, value)


def _save(page, user, publish: bool) -> None:
    # Drafts may lack the teaser (reported as a hint); everything else is fully validated.
    exclude = ["teaser"] if not page.teaser and not publish else None
    page.full_clean(exclude=exclude)
    revision = page.save_revision(user=user, log_action=True, clean=False)
    if publish:
        revision.publish(user=user)
