"""The image chooser's duplicate dialog: "Use existing and delete new" deletes the new upload
through Wagtail's own delete view (same permission checks) but leaves no "gelöscht" message,
which would name the kept image (a duplicate carries its title)."""

from urllib.parse import urlencode

from django.contrib.messages import get_messages
from django.urls import reverse

import pytest

from core.factories import CustomImageFactory
from core.models import CustomImage


def discard_url(image, next_url="/admin/images/chooser/1/chosen/"):
    action = f"{reverse('wagtailimages:delete', args=(image.pk,))}?{urlencode({'next': next_url})}"
    return f"{reverse('core_discard_duplicate_image')}?{urlencode({'action': action})}"


@pytest.mark.django_db
def test_the_new_upload_goes_without_a_deleted_message(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kept = CustomImageFactory(title="Mühle im Frühling")
    duplicate = CustomImageFactory(title="Mühle im Frühling")
    response = admin_client.post(discard_url(duplicate, f"/admin/images/chooser/{kept.pk}/chosen/"))
    assert response.status_code == 302
    assert response["Location"] == f"/admin/images/chooser/{kept.pk}/chosen/"
    assert list(CustomImage.objects.values_list("pk", flat=True)) == [kept.pk]
    assert [str(message) for message in get_messages(response.wsgi_request)] == []
