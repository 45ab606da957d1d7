"""Onboarding a region: page, groups, collection, permissions and moderation workflow.

One function, :func:`onboard_region`, is used by the ``onboard_region`` management command,
the superusers' admin view ("Region aufnehmen") and the demo content. It is idempotent: running
it again for the same region adds what is missing and changes nothing else. It never touches
the groups, permissions, collections or workflows of other regions.

What a region gets (``<Name>`` is the region's title):

- a ``RegionPage`` under the home page (an existing region page with the same slug is adopted);
- the group ``Redaktion <Name>``: add + edit on the region subtree (no publish), add / edit /
  choose images and documents in the region's collection, access to the admin;
- the group ``Moderation <Name>``: add, edit, publish, lock, unlock on the subtree, and images and
  documents including delete;
- the collection ``<Name>`` (images and documents) below the root collection;
- the workflow ``Freigabe <Name>`` with one group approval task approved by ``Moderation <Name>``
  and the portal team, assigned to the region page;
- the region page's English twin (a draft translation, ``regions.translation``), with the
  same workflow and the moderators' page rights;
- the group ``Übersetzung <Name>``: „Übersetzen“ (wagtail-localize), add + edit on the English
  twin, browsing (nothing else) on the German region page (``regions.translation``).

The group ``Portalteam`` (ART's portal team) is created on the way if missing: every page right
on the whole tree, every image and document right in every collection, approval in every
region's workflow and in Wagtail's default workflow on the root page, and „Übersetzen“ (the
home and content pages have no regional translators).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.html import escape
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from wagtail import hooks
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from core.languages import in_language_q
from core.slugs import german_slugify

from .models import RegionPage
from .translation import (
    SUBMIT_TRANSLATION,
    TRANSLATOR_PAGE_PERMISSIONS,
    TRANSLATOR_SOURCE_PAGE_PERMISSIONS,
    translated_regions,
)

# Apps above regions give the groups onboarding sets up (portal team, each region's editors and
# moderators) their own model permissions through this Wagtail hook: ``fn(group)``.
GROUP_PERMISSIONS_HOOK = "grant_region_group_permissions"

PORTAL_TEAM_GROUP = "Portalteam"

EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page")
MODERATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
PORTAL_PAGE_PERMISSIONS = (*MODERATOR_PAGE_PERMISSIONS, "bulk_delete_page")

EDITOR_COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)
MODERATOR_COLLECTION_PERMISSIONS = (
    *EDITOR_COLLECTION_PERMISSIONS,
    ("wagtailimages", "delete_image"),
    ("wagtaildocs", "delete_document"),
)


class OnboardingError(ValueError):
    """Input that cannot be onboarded; the message is German and meant for the admin."""


@dataclass
class PersonResult:
    """What onboarding did for one person it was given (an editor, moderator or translator)."""

    entry: str  # as given: an e-mail address or a username
    user: object
    group: Group
    role: str  # "editor", "moderator" or "translator"
    created: bool  # a new account (without a usable password)
    added: bool  # newly put into ``group`` (False: was in it already)
    needs_password: bool  # has no usable password yet: send the reset link


@dataclass
class OnboardingResult:
    region: Page
    editors_group: Group
    moderators_group: Group
    portal_team_group: Group
    collection: Collection
    workflow: Workflow
    translators_group: Group | None = None
    translated_regions: list = field(default_factory=list)  # the region's English twin
    region_created: bool = False
    created: list[str] = field(default_factory=list)  # what this run added, in German
    people: list[PersonResult] = field(default_factory=list)

    @property
    def users_created(self) -> list:
        return [person.user for person in self.people if person.created]

    @property
    def changed(self) -> bool:
        return bool(self.created) or any(person.created or person.added for person in self.people)


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_page_permissions(group, page, codenames, created: list[str]) -> None:
    for codename in codenames:
        _, was_created = GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", codename)
        )
        if was_created:
            created.append(f"Seitenrecht {codename} für „{group.name}“ auf „{page.title}“")


def _grant_collection_permissions(group, collection, permissions, created: list[str]) -> None:
    for app_label, codename in permissions:
        _, was_created = GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app_label, codename)
        )
        if was_created:
            created.append(f"Sammlungsrecht {codename} für „{group.name}“ auf „{collection.name}“")


def _group(name: str, created: list[str]) -> Group:
    group, was_created = Group.objects.get_or_create(name=name)
    if was_created:
        created.append(f"Gruppe „{name}“")
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    return group


def ensure_portal_team(created: list[str] | None = None) -> Group:
    """The portal team group with rights over the whole tree and every collection."""
    created = [] if created is None else created
    group = _group(PORTAL_TEAM_GROUP, created)
    _grant_hooked_permissions(group)
    _grant_model_permission(group, _permission(*SUBMIT_TRANSLATION), created)
    root_page = Page.get_first_root_node()
    _grant_page_permissions(group, root_page, PORTAL_PAGE_PERMISSIONS, created)
    root_collection = Collection.get_first_root_node()
    _grant_collection_permissions(group, root_collection, MODERATOR_COLLECTION_PERMISSIONS, created)
    # Wagtail's default workflow on the root page covers the content pages (Impressum …):
    # the portal team approves there too.
    root_tasks = GroupApprovalTask.objects.filter(
        workflow_tasks__workflow__workflow_pages__page=root_page
    )
    for task in root_tasks:
        if not task.groups.filter(pk=group.pk).exists():
            task.groups.add(group)
            created.append(f"Portalteam als Freigabe in „{task.name}“")
    return group


def _grant_model_permission(group: Group, permission: Permission, created: list[str]) -> None:
    if not group.permissions.filter(pk=permission.pk).exists():
        group.permissions.add(permission)
        created.append(f"Recht {permission.codename} für „{group.name}“")


def _grant_hooked_permissions(group: Group) -> None:
    for grant in hooks.get_hooks(GROUP_PERMISSIONS_HOOK):
        grant(group)


def _home_page() -> Page:
    """The default site's root if a region may stand below it, else the first such page."""
    parents = tuple(RegionPage.allowed_parent_page_models())  # the home page type
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, parents):
        return site.root_page.specific
    home = Page.objects.type(*parents).order_by("path").first()
    if home is None:
        raise OnboardingError(_("Es gibt keine Startseite, unter der die Region entstehen kann."))
    return home.specific


def empty_region_intro(name: str) -> str:
    """The new region page's introduction: what visitors read until the first places."""
    welcome = escape(_("Willkommen in der Region %(name)s.") % {"name": name})
    soon = escape(
        _(
            "Hier entstehen gerade die ersten Porträts kreativer Orte der Region – schauen Sie "
            "bald wieder vorbei."
        )
    )
    link = escape(_("Schlagen Sie ihn vor"))
    question = escape(_("Sie kennen einen Ort, der hierher gehört?"))
    return f'<p>{welcome} {soon}</p><p>{question} <a href="/mitmachen/">{link}</a>.</p>'


def _region_page(name, slug, contact_email, publish, user, created):
    # The German region (its English twin has the same slug).
    region = RegionPage.objects.filter(in_language_q(), slug=slug).order_by("path").first()
    if region is not None:
        if contact_email and region.contact_email != contact_email:
            # Change the field through a revision, so that drafts and history stay intact.
            had_draft = region.has_unpublished_changes
            latest = region.get_latest_revision_as_object()
            latest.contact_email = contact_email
            revision = latest.save_revision(user=user, log_action=True)
            if region.live and not had_draft:
                revision.publish(user=user)
            created.append(f"E-Mail der Region: {contact_email}")
        if publish and not region.live:
            region.get_latest_revision_as_object().save_revision(user=user).publish(user=user)
            region.refresh_from_db()
            created.append("Regionsseite veröffentlicht")
        return region, False

    home = _home_page()
    if home.get_children().filter(slug=slug).exists():
        raise OnboardingError(
            _("Unter der Startseite gibt es schon eine andere Seite mit der Adresse „%(slug)s“.")
            % {"slug": slug}
        )
    region = RegionPage(
        title=name,
        slug=slug,
        intro=empty_region_intro(name),
        contact_email=contact_email or "",
        live=False,
        owner=user,
    )
    home.add_child(instance=region)
    revision = region.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
        region.refresh_from_db()
    created.append(f"Regionsseite „{name}“ (/{slug}/)")
    return region, True


def region_collection(name: str, created: list[str] | None = None) -> Collection:
    """The region's collection (images, documents) below the root, created if missing."""
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=name).first()
    if collection is None:
        collection = root.add_child(name=name)
        if created is not None:
            created.append(f"Sammlung „{name}“")
    return collection


def _workflow(region, region_name, moderators, portal_team, created, twins=()):
    name = f"Freigabe {region_name}"
    workflow, was_created = Workflow.objects.get_or_create(name=name, defaults={"active": True})
    if was_created:
        created.append(f"Workflow „{name}“")
    task = GroupApprovalTask.objects.filter(workflow_tasks__workflow=workflow).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=f"Freigabe durch {moderators.name}")
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        created.append(f"Aufgabe „{task.name}“")
    task.groups.add(moderators, portal_team)
    for page in (region, *twins):
        if not WorkflowPage.objects.filter(page=page, workflow=workflow).exists():
            WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
            where = "" if page.pk == region.pk else f" ({page.locale.get_display_name()})"
            created.append(f"Workflow „{name}“ der Regionsseite{where} zugewiesen")
    return workflow


def split_entries(values) -> list[str]:
    """Entries of one or more comma/semicolon/line separated lists, without duplicates."""
    entries = []
    for raw in values:
        for part in str(raw).replace(";", ",").replace("\n", ",").split(","):
            entry = part.strip()
            if entry and entry.lower() not in (e.lower() for e in entries):
                entries.append(entry)
    return entries


def check_email(email: str) -> None:
    try:
        validate_email(email)
    except ValidationError as exc:
        raise OnboardingError(
            _("„%(email)s“ ist keine gültige E-Mail-Adresse.") % {"email": email}
        ) from exc


def _clean_people(values) -> list[str]:
    """E-mail addresses (lower-cased, validated) and usernames (kept as typed)."""
    people = []
    for entry in split_entries(values):
        if "@" in entry:
            check_email(entry)
            entry = entry.lower()
        people.append(entry)
    return people


def _find_user(entry: str):
    users = get_user_model().objects.order_by("pk")
    found = users.filter(email__iexact=entry).first() if "@" in entry else None
    return found or users.filter(username__iexact=entry).first()


def _check_people_exist(entries) -> None:
    """Usernames must name existing accounts: new accounts come only from e-mail addresses."""
    unknown = [entry for entry in entries if "@" not in entry and _find_user(entry) is None]
    if unknown:
        raise OnboardingError(
            _(
                "Kein Konto mit dem Benutzernamen „%(names)s“. Neue Konten entstehen nur aus "
                "E-Mail-Adressen."
            )
            % {"names": "“, „".join(unknown)}
        )


def _add_people(entries, group, role, result) -> None:
    user_model = get_user_model()
    for entry in entries:
        user = _find_user(entry)
        created = user is None
        if created:
            user = user_model(username=entry, email=entry)
            # No password is ever chosen here: the person sets one with the reset link.
            user.set_unusable_password()
            user.save()
        added = not user.groups.filter(pk=group.pk).exists()
        if added:
            user.groups.add(group)
        result.people.append(
            PersonResult(
                entry=entry,
                user=user,
                group=group,
                role=role,
                created=created,
                added=added,
                needs_password=not user.has_usable_password(),
            )
        )


def login_url(base_url: str) -> str:
    """The admin's login page on ``base_url`` (Wagtail's, with „Passwort vergessen?“)."""
    return f"{base_url.rstrip('/')}{reverse('wagtailadmin_login')}"


def password_reset_link(user, base_url: str = "") -> str:
    """A one-time link to set a password (Django's reset token; valid PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "wagtailadmin_password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{base_url.rstrip('/')}{path}"


def onboard_region(
    name: str,
    slug: str | None = None,
    contact_email: str | None = None,
    editors=(),
    *,
    moderators=(),
    translators=(),
    publish: bool = True,
    user=None,
) -> OnboardingResult:
    """Create (or complete) everything a region needs; safe to run again.

    ``editors``, ``moderators`` and ``translators`` are e-mail addresses or usernames of
    existing accounts (lists, or strings separated by commas); they join the region's
    editor, moderator or translator group. Unknown e-mail addresses become users without a
    usable password (see :func:`password_reset_link`). ``publish`` (the default) publishes
    the region page, so that it is reachable at once (with an empty state until its first
    place); ``publish=False`` leaves a new page a draft for the region's moderators.
    """
    name = (name or "").strip()
    if not name:
        raise OnboardingError(_("Bitte einen Namen für die Region angeben."))
    if len(name) > 80:
        raise OnboardingError(_("Der Name der Region darf höchstens 80 Zeichen lang sein."))
    slug = (slug or german_slugify(name)).strip()
    try:
        validate_slug(slug)
    except ValidationError as exc:
        raise OnboardingError(
            _("„%(slug)s“ taugt nicht als Adresse (nur a–z, 0–9 und Bindestriche).")
            % {"slug": slug}
        ) from exc
    if contact_email:
        contact_email = contact_email.strip()
        check_email(contact_email)
    editor_entries = _clean_people(editors)
    moderator_entries = _clean_people(moderators)
    translator_entries = _clean_people(translators)
    _check_people_exist([*editor_entries, *moderator_entries, *translator_entries])

    created: list[str] = []
    with transaction.atomic():
        portal_team = ensure_portal_team(created)
        region, region_created = _region_page(name, slug, contact_email, publish, user, created)
        region_name = region.title  # an adopted region keeps its title
        collection = region_collection(region_name, created)
        editors_group = _group(f"Redaktion {region_name}", created)
        moderators_group = _group(f"Moderation {region_name}", created)
        for group, page_rights, collection_rights in (
            (editors_group, EDITOR_PAGE_PERMISSIONS, EDITOR_COLLECTION_PERMISSIONS),
            (moderators_group, MODERATOR_PAGE_PERMISSIONS, MODERATOR_COLLECTION_PERMISSIONS),
        ):
            _grant_page_permissions(group, region, page_rights, created)
            _grant_collection_permissions(group, collection, collection_rights, created)
            _grant_hooked_permissions(group)
        translators_group = _group(f"Übersetzung {region_name}", created)
        _grant_model_permission(translators_group, _permission(*SUBMIT_TRANSLATION), created)
        _grant_page_permissions(
            translators_group, region, TRANSLATOR_SOURCE_PAGE_PERMISSIONS, created
        )
        twins = translated_regions(region, user, created)
        for twin in twins:
            _grant_page_permissions(translators_group, twin, TRANSLATOR_PAGE_PERMISSIONS, created)
            _grant_page_permissions(moderators_group, twin, MODERATOR_PAGE_PERMISSIONS, created)
        workflow = _workflow(region, region_name, moderators_group, portal_team, created, twins)
        result = OnboardingResult(
            region=region,
            editors_group=editors_group,
            moderators_group=moderators_group,
            portal_team_group=portal_team,
            collection=collection,
            workflow=workflow,
            translators_group=translators_group,
            translated_regions=twins,
            region_created=region_created,
            created=created,
        )
        _add_people(editor_entries, editors_group, "editor", result)
        _add_people(moderator_entries, moderators_group, "moderator", result)
        _add_people(translator_entries, translators_group, "translator", result)
    return result


def regions_for_user(user):
    """German region pages whose subtree the user may edit (all for superusers and the portal
    team); the English twins are not regions of their own."""
    regions = RegionPage.objects.filter(in_language_q()).order_by("title")
    if not (user.is_active and user.is_authenticated):
        return regions.none()
    if user.is_superuser:
        return regions
    paths = list(
        GroupPagePermission.objects.filter(
            group__user=user,
            permission__codename__in=("add_page", "change_page", "publish_page"),
        )
        .values_list("page__path", flat=True)
        .distinct()
    )
    if not paths:
        return regions.none()
    condition = Q()
    for path in paths:
        # The permission's page is the region, one of its ancestors, or (for places) inside it.
        condition |= Q(path__startswith=path)
        for length in range(Page.steplen, len(path), Page.steplen):
            condition |= Q(path=path[:length])
    return regions.filter(condition)
