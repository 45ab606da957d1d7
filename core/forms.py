from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey
from django.utils.translation import gettext_lazy as _

from modelcluster.models import get_all_child_relations
from wagtail.admin.forms.auth import LoginForm
from wagtail.admin.forms.pages import WagtailAdminPageForm
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.permissions import policy_registry


class GermanLoginForm(LoginForm):
    """Wagtail's login form leaves the password field without a translatable label."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")


# --- Images on pages -------------------------------------------------------------------------

IMAGE_NOT_ALLOWED = _(
    "Dieses Bild können Sie hier nicht verwenden: Es liegt in einer Sammlung, auf die Sie "
    "keinen Zugriff haben, oder in einer geschützten Sammlung (Bild-ID %(ids)s). Bitte wählen "
    "Sie ein Bild aus Ihrer eigenen Sammlung."
)


def _is_image_model(model) -> bool:
    return isinstance(model, type) and issubclass(model, AbstractImage)


def _image_ids(model_field, value) -> set[int]:
    """The images a value of ``model_field`` refers to: a foreign key to an image, or images
    inside a StreamField (any block, however nested) or rich text (``<embed>``)."""
    if value in (None, ""):
        return set()
    if isinstance(model_field, ForeignKey):
        if not _is_image_model(model_field.related_model):
            return set()
        pk = getattr(value, "pk", value)
        return {int(pk)} if str(pk).isdigit() else set()
    extract = getattr(model_field, "extract_references", None)
    if extract is None:
        return set()
    return {
        int(object_id)
        for model, object_id, _path, _content_path in extract(value)
        if _is_image_model(model) and str(object_id).isdigit()
    }


def images_of(instance) -> set[int]:
    """Every image a (page or child) object refers to, its child objects included."""
    ids = set()
    for model_field in instance._meta.concrete_fields:
        ids |= _image_ids(model_field, model_field.value_from_object(instance))
    for relation in get_all_child_relations(type(instance)):
        for child in getattr(instance, relation.get_accessor_name()).all():
            ids |= images_of(child)
    return ids


class ImageCheckedPageForm(WagtailAdminPageForm):
    """A page's admin form (also used for previews and API v3 writes) that refuses images
    the user may not choose, or that sit in a restricted collection: by foreign key (hero
    image), in an inline child (gallery), in a StreamField block or in rich text.

    Only images *new* to the page are checked: what is already on it (put there by the
    portal team, or by the conversion of an application) stays editable around.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.images_before = images_of(self.instance) if self.instance.pk else set()

    def is_valid(self):
        valid = super().is_valid()  # the page and its inline formsets
        return self.images_are_allowed() and valid

    def _submitted_images(self, form) -> list[tuple]:
        """``(form, field name, image ids)`` of a bound, cleaned form and its formsets."""
        found = []
        cleaned = getattr(form, "cleaned_data", None) or {}
        opts = form._meta.model._meta
        for name, value in cleaned.items():
            try:
                model_field = opts.get_field(name)
            except FieldDoesNotExist:
                continue
            ids = _image_ids(model_field, value)
            if ids:
                found.append((form, name, ids))
        for formset in getattr(form, "formsets", {}).values():
            for child in formset.forms:
                if not hasattr(child, "cleaned_data"):  # not validated: an earlier formset failed
                    continue
                if formset.can_delete and formset._should_delete_form(child):
                    continue
                found += self._submitted_images(child)
        return found

    def images_are_allowed(self) -> bool:
        submitted = self._submitted_images(self)
        new = set().union(*(ids for _form, _name, ids in submitted)) - self.images_before
        if not new:
            return True
        image_model = get_image_model()
        allowed = image_model.objects.public().filter(pk__in=new)
        if self.for_user is not None:
            choosable = policy_registry.get_by_type(
                image_model
            ).instances_user_has_any_permission_for(self.for_user, ["choose"])
            allowed = allowed.filter(pk__in=choosable.values("pk"))
        refused = new - set(allowed.values_list("pk", flat=True))
        for form, name, ids in submitted:
            bad = sorted(ids & refused)
            if bad:
                form.add_error(name, IMAGE_NOT_ALLOWED % {"ids": ", ".join(map(str, bad))})
        return not refused
