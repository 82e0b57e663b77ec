"""The alerts banner on every admin page (one query) and the read-only Alerts list."""

from datetime import timedelta

import pytest
from django.db import connection as db
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from integrations.tests.factories import AlertFactory

pytestmark = pytest.mark.django_db

RUNS = reverse("admin:integrations_syncrun_changelist")
ALERTS = reverse("admin:integrations_alert_changelist")


def alert_queries(client, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(db) as queries:
        page = client.get(url).content.decode()
    return page, sum('"integrations_alert"' in query["sql"] for query in queries)


def test_every_admin_page_shows_the_open_alerts_with_what_to_do(admin_client):
    AlertFactory(title="The last 3 sync runs failed", message="Sync run 7 failed: boom.",
                 link="/admin/integrations/syncrun/7/change/")  # fmt: skip
    AlertFactory(title="A spike of sync errors: STRING_TOO_LONG")
    AlertFactory(title="Over already", cleared_at=timezone.now())

    page, queries = alert_queries(admin_client, RUNS)

    assert 'id="crm-alerts"' in page
    assert "The last 3 sync runs failed" in page
    assert "Sync run 7 failed: boom." in page
    assert '<a href="/admin/integrations/syncrun/7/change/">What to do</a>' in page
    assert "STRING_TOO_LONG" in page
    assert "Over already" not in page
    assert queries == 1


def test_no_banner_without_open_alerts(admin_client):
    page, queries = alert_queries(admin_client, reverse("admin:index"))
    assert 'id="crm-alerts"' not in page
    assert queries == 1


def test_the_login_page_shows_no_alerts(client):
    AlertFactory(title="Salesforce refused CRM Bridge's login")
    page, queries = alert_queries(client, reverse("admin:login"))
    assert "refused" not in page
    assert queries == 0


def test_alerts_list_shows_open_and_recently_cleared_alerts(admin_client):
    AlertFactory(title="Open one")
    AlertFactory(title="Cleared yesterday", cleared_at=timezone.now() - timedelta(days=1))
    AlertFactory(title="Cleared long ago", cleared_at=timezone.now() - timedelta(days=60))

    page = admin_client.get(ALERTS).content.decode()
    assert "Open one" in page
    assert "Cleared yesterday" in page
    assert "Cleared long ago" not in page

    open_only = admin_client.get(ALERTS, {"state": "open"}).content.decode()
    assert "Cleared yesterday" not in open_only.split('id="result_list"')[1]


def test_alerts_are_read_only(admin_client):
    alert = AlertFactory()
    assert admin_client.get(reverse("admin:integrations_alert_add")).status_code == 403
    delete = reverse("admin:integrations_alert_delete", args=[alert.pk])
    assert admin_client.post(delete).status_code == 403
    page = admin_client.get(reverse("admin:integrations_alert_change", args=[alert.pk]))
    assert page.status_code == 200
    assert 'type="submit"' not in page.content.decode().split('id="content"')[1]
