"""URLs that moved keep answering: old addresses redirect to the new ones."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/integrations/syncevent/", "/admin/tracking/syncevent/"),
        ("/admin/integrations/syncevent/?status=error", "/admin/tracking/syncevent/?status=error"),
        ("/admin/integrations/syncevent/7/change/", "/admin/tracking/syncevent/7/change/"),
    ],
)
def test_the_sync_errors_pages_moved_with_their_model(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_the_new_sync_errors_page_is_the_admin_changelist(admin_client):
    assert reverse("admin:tracking_syncevent_changelist") == "/admin/tracking/syncevent/"
    assert admin_client.get("/admin/tracking/syncevent/").status_code == 200
