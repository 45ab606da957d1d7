from types import SimpleNamespace

import pytest

from places.factories import PlacePageFactory
from regions.onboarding import onboard_region


@pytest.fixture
def altmark(home_page, django_user_model):
    """The Altmark onboarded with an editor and a moderator, and two of its places."""
    result = onboard_region("Altmark", slug="altmark")
    editor = django_user_model.objects.create_user("lea", "lea@example.org", "pw-123456")
    editor.groups.add(result.editors_group)
    moderator = django_user_model.objects.create_user("ben", "ben@example.org", "pw-123456")
    moderator.groups.add(result.moderators_group)
    return SimpleNamespace(
        region=result.region,
        workflow=result.workflow,
        editor=editor,
        moderator=moderator,
        place=PlacePageFactory(parent=result.region, title="Gutshof Wiesengrund", slug="gutshof"),
        other_place=PlacePageFactory(
            parent=result.region, title="Kulturscheune Elbblick", slug="kulturscheune"
        ),
    )


def event_form_data(**fields):
    """The event form as the admin posts it (a draft save unless an action is given)."""
    from wagtail.test.utils.form_data import nested_form_data, rich_text

    data = {
        "title": "Hoffest",
        "slug": "hoffest",
        "teaser": "Musik, Kuchen und offene Werkstätten.",
        "start_date": "2030-06-15",
        "start_time": "14:00",
        "end_date": "",
        "end_time": "",
        "recurrence": "",
        "recurrence_interval": "1",
        "recurrence_until": "",
        "description": rich_text("<p>Alle sind eingeladen.</p>"),
        "image": "",
        "price": "",
        "price_note": "",
        "registration_url": "",
        **fields,
    }
    return nested_form_data({key: value for key, value in data.items() if value is not None})
