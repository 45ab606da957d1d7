"""How API v2 writes JSON: DRF's compact JSON through orjson, and Wagtail's page serializer
with DRF's per-field dispatch worked out once per listing. Byte for byte what Wagtail's
``PageSerializer`` and DRF's ``JSONRenderer`` write (``api/tests/test_api_v2.py``,
``test_api_v2_snapshots.py`` compare them).
"""

import functools
import types
from collections import OrderedDict

from django.core.exceptions import ObjectDoesNotExist

from wagtail.api.v2.serializers import DetailUrlField, PageSerializer

import orjson
from rest_framework.fields import CharField, Field, IntegerField, SkipField
from rest_framework.renderers import JSONRenderer

from places.api_fields import URL_BASE_ATTRIBUTE


class CompactJSONRenderer(JSONRenderer):
    """DRF's compact JSON, encoded by orjson (several times faster on big listings).

    Byte for byte what ``JSONRenderer`` writes: UTF-8, no spaces, U+2028/U+2029 escaped,
    dates and anything else orjson does not know through DRF's encoder. Indented output
    (``Accept: application/json; indent=4``) and anything orjson refuses fall back to DRF.
    """

    _options = orjson.OPT_PASSTHROUGH_DATETIME

    def can_pass_through(self, accepted_media_type, renderer_context) -> bool:
        """Whether this renderer writes compact JSON for the request (``PreRenderedJSON``
        is then sent as it is)."""
        return (
            self.compact
            and not self.ensure_ascii
            and self.get_indent(accepted_media_type, renderer_context or {}) is None
        )

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, PreRenderedJSON):
            if self.can_pass_through(accepted_media_type, renderer_context):
                return data.body
            data = orjson.loads(data.body)
        if data is None or not self.can_pass_through(accepted_media_type, renderer_context):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=self.encoder_class().default, option=self._options)
        except TypeError:  # e.g. an integer beyond 64 bits, non-string keys
            return super().render(data, accepted_media_type, renderer_context)
        return body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


class PreRenderedJSON:
    """A response body already encoded as ``CompactJSONRenderer`` would encode its data."""

    def __init__(self, body: bytes):
        self.body = body


_FUNCTION_TYPES = (types.FunctionType, types.MethodType, functools.partial)


class CompiledFieldsMixin:
    """Wagtail's ``BaseSerializer.to_representation`` with DRF's per-field dispatch worked
    out once per serializer instead of once per field and object.

    The output is the same, field for field: every value still comes from the field's own
    ``to_representation`` (plain attributes are read directly instead of through DRF's
    generic ``get_attribute``); ``detail_url`` is built from the first one's prefix and
    the page URLs share one copy of the site root paths (see ``PublicPagesAPIViewSet.prepare``).
    """

    def to_representation(self, instance):
        plan = self.__dict__.get("_field_plan")
        if plan is None or plan[0] is not type(instance):
            plan = self.__dict__["_field_plan"] = (type(instance), *self._compile(instance))
        _model, has_id, meta_steps, body_steps = plan
        if has_id is None:  # a case the plan does not cover
            return super().to_representation(instance)
        data = OrderedDict()
        if has_id:
            data["id"] = None
        meta = _run(meta_steps, instance, OrderedDict())
        if meta:
            data["meta"] = meta
        return _run(body_steps, instance, data)

    def _compile(self, instance):
        fields = [field for field in self.fields.values() if not field.write_only]
        if any(field.field_name == "admin_display_title" for field in fields):
            return None, (), ()
        meta_names = set(self.meta_fields)
        meta_steps, body_steps = [], []
        for field in fields:
            step = (field.field_name, self._getter(field, type(instance)), self._representer(field))
            (meta_steps if field.field_name in meta_names else body_steps).append(step)
        has_id = any(
            field.field_name == "id" for field in fields if field.field_name not in meta_names
        )
        return has_id, meta_steps, body_steps

    @staticmethod
    def _getter(field, model):
        if isinstance(field, DetailUrlField):
            return _DetailUrls(field).get
        if type(field).get_attribute is not Field.get_attribute:
            return field.get_attribute
        if field.source == "*":
            return lambda instance: instance
        if len(field.source_attrs) != 1:
            return field.get_attribute
        name = field.source_attrs[0]
        if isinstance(getattr(model, name, None), _FUNCTION_TYPES):
            return field.get_attribute  # a method: DRF calls it

        def get(instance):
            try:
                value = getattr(instance, name)
            except (AttributeError, ObjectDoesNotExist):
                return field.get_attribute(instance)
            if isinstance(value, _FUNCTION_TYPES):
                return field.get_attribute(instance)
            return value

        return get

    @staticmethod
    def _representer(field):
        method = type(field).to_representation
        if method is CharField.to_representation:
            return str
        if method is IntegerField.to_representation:
            return int
        return field.to_representation


def _run(steps, instance, data: dict) -> dict:
    """``data`` with the fields of ``steps`` (``CompiledFieldsMixin._compile``) of
    ``instance``, as DRF's ``to_representation`` writes them (skipped ones left out)."""
    for name, get, represent in steps:
        try:
            value = get(instance)
        except SkipField:
            continue
        data[name] = None if value is None else represent(value)
    return data


class _DetailUrls:
    """``detail_url`` of many objects: the endpoint's URL prefix is looked up once per
    model (reversing a URL per object is the slow part of Wagtail's field)."""

    def __init__(self, field):
        self.field = field
        self.prefixes = {}

    def get(self, instance):
        request = self.field.context.get("request")
        placeholder = getattr(request, URL_BASE_ATTRIBUTE, None)
        if placeholder is not None:  # pre-rendering for any request (see ``absolute``)
            path = self.field.context["router"].get_object_detail_urlpath(
                type(instance), instance.pk
            )
            if not path:
                raise SkipField
            return placeholder + path
        model = type(instance)
        prefix = self.prefixes.get(model)
        if prefix is None:
            url = self.field.get_attribute(instance)  # may raise SkipField
            suffix = f"/{instance.pk}/"
            self.prefixes[model] = url[: -len(suffix) + 1] if url.endswith(suffix) else False
            return url
        if prefix is False:
            return self.field.get_attribute(instance)
        return f"{prefix}{instance.pk}/"


class CompiledPageSerializer(CompiledFieldsMixin, PageSerializer):
    pass
