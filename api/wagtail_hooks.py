"""The API's Wagtail hooks: the computed values of the events' API fields
(``events.api_fields``: computed here, a layer above, see its docstring)."""

from wagtail import hooks

from events.api_fields import EVENT_API_VALUES_HOOK

from .events import event_api_values

hooks.register(EVENT_API_VALUES_HOOK, event_api_values)
