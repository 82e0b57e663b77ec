"""“CRM sync for the whole team” on the connection page, the confirmation page of the purge,
and the purges' progress in the console."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from integrations.choices import PurgeStatus, RunStatus
from integrations.models import CrmDataPurge, Seat, SyncRun, SyncSettings
from integrations.tests.factories import CrmDataPurgeFactory
from tracking.choices import Origin
from tracking.models import Contact
from tracking.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:integrations_salesforceconnection_changelist")
ACTIVATE = reverse("admin:integrations_salesforceconnection_activate")
DEACTIVATE = reverse("admin:integrations_salesforceconnection_deactivate")
PURGES = reverse("admin:integrations_crmdatapurge_changelist")


@pytest.fixture
def seats():
    users = get_user_model().objects
    return [
        Seat.objects.create(user=users.create_user(name, email=f"{name}@example.com"))
        for name in ("sam", "rita")
    ]


@pytest.fixture
def records():
    return {
        "imported": [ContactFactory(origin=Origin.SALESFORCE) for _ in range(3)],
        "local": ContactFactory(origin=Origin.LOCAL, salesforce_id="00Q000000000001AAA"),
    }


def page_text(response) -> str:
    return response.content.decode()


def test_connection_page_has_the_section_with_its_forms(admin_client, seats):
    html = page_text(admin_client.get(PAGE, follow=True))

    assert 'id="crm-sync-group"' in html
    assert "2 of 2 seat holders have CRM sync." in html
    assert f'action="{DEACTIVATE}"' in html
    assert "Yes, delete all previously imported CRM data" in html
    assert "Connect Salesforce first" in html  # not connected: no activate button
    assert f'action="{ACTIVATE}"' not in html


def test_activate_without_a_connection_sends_the_admin_to_the_connection(admin_client):
    response = admin_client.post(ACTIVATE)

    assert response.status_code == 302
    assert response["Location"].endswith("#connection-status")
    html = page_text(admin_client.get(response["Location"], follow=True))
    assert "CRM sync was not activated: Salesforce is not connected." in html
    assert not SyncSettings.load().sync_enabled


def test_activate_queues_the_first_import_and_shows_its_run(
    admin_client, connection, seats, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(ACTIVATE, follow=True)

    # then
    run = SyncRun.objects.get()
    assert run.status == RunStatus.PENDING
    assert len(callbacks) == 1
    assert response.redirect_chain[-1][0] == reverse("admin:integrations_syncrun_change",
                                                     args=[run.pk])  # fmt: skip
    assert f"CRM sync is on for 2 of 2 seat holders. The first import is sync run {run.pk}" in (
        page_text(response)
    )
    assert SyncSettings.load().sync_enabled


def test_deactivate_without_purge_changes_seats_and_sync_only(admin_client, seats, records):
    SyncSettings.load().update_columns(sync_enabled=True)

    response = admin_client.post(DEACTIVATE, follow=True)

    assert "CRM sync is off for all 2 seats and the sync is stopped. No data was deleted." in (
        page_text(response)
    )
    assert not Seat.objects.filter(crm_sync=True).exists()
    assert not SyncSettings.load().sync_enabled
    assert Contact.objects.count() == 4


def test_deactivate_with_purge_first_shows_the_counts_changing_nothing(
    admin_client, seats, records
):
    SyncSettings.load().update_columns(sync_enabled=True)

    response = admin_client.post(DEACTIVATE, {"purge": "on"})

    html = page_text(response)
    assert response.status_code == 200
    assert '<td>Contacts</td><td class="crmb-number">3</td><td class="crmb-number">1</td>' in (html)
    assert "Yes, deactivate and delete 3 imported records" in html
    assert 'name="confirmed"' in html
    assert SyncSettings.load().sync_enabled
    assert Seat.objects.filter(crm_sync=True).count() == 2
    assert not CrmDataPurge.objects.exists()


def test_confirmed_deactivation_starts_the_purge_and_shows_its_progress(
    admin_client, seats, records, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(DEACTIVATE, {"purge": "on", "confirmed": "on"}, follow=True)

    # then: the purge is recorded and queued, the admin watches it
    purge = CrmDataPurge.objects.get()
    assert len(callbacks) == 1
    assert purge.started_by.username == "admin"
    assert response.redirect_chain[-1][0] == reverse("admin:integrations_crmdatapurge_change",
                                                     args=[purge.pk])  # fmt: skip
    html = page_text(response)
    assert f"CRM data purge {purge.pk} deletes the imported records" in html
    assert 'http-equiv="refresh"' in html
    assert "contacts: deleted 0 of 3, kept 1 (unlinked 0)" in html
    assert not SyncSettings.load().sync_enabled


def test_purges_list_shows_progress_and_refreshes_while_one_runs(admin_client):
    CrmDataPurgeFactory(status=PurgeStatus.RUNNING, done=2_000, total=8_000,
                        phase="Deleting imported contacts")  # fmt: skip
    html = page_text(admin_client.get(PURGES))

    assert "width:25%" in html
    assert "Deleting imported contacts" in html
    assert 'http-equiv="refresh"' in html
    assert "command line" in html


def test_finished_purges_neither_refresh_nor_can_be_deleted(admin_client):
    purge = CrmDataPurgeFactory(status=PurgeStatus.SUCCEEDED)

    assert 'http-equiv="refresh"' not in page_text(admin_client.get(PURGES))
    detail = admin_client.get(reverse("admin:integrations_crmdatapurge_change", args=[purge.pk]))
    assert 'http-equiv="refresh"' not in page_text(detail)
    delete = reverse("admin:integrations_crmdatapurge_delete", args=[purge.pk])
    assert admin_client.post(delete).status_code == 403


def test_views_take_posts_only(admin_client):
    assert admin_client.get(ACTIVATE).status_code == 405
    assert admin_client.get(DEACTIVATE).status_code == 405


@pytest.fixture
def connection_editor(client):
    """Staff who may change the connection page, and nothing else."""
    user = get_user_model().objects.create_user("editor", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_salesforceconnection"))
    client.force_login(user)
    return user


def test_staff_without_the_sync_settings_permission_may_not_activate(client, connection_editor):
    assert client.post(ACTIVATE).status_code == 403
    assert client.post(DEACTIVATE).status_code == 403
    assert not SyncRun.objects.exists()


def test_purging_needs_its_own_permission(client, connection_editor, records):
    connection_editor.user_permissions.add(Permission.objects.get(codename="change_syncsettings"))

    assert client.post(DEACTIVATE, {"purge": "on", "confirmed": "on"}).status_code == 403
    assert not CrmDataPurge.objects.exists()
    assert client.post(DEACTIVATE).status_code == 302  # deactivating alone is allowed


def test_activation_without_seat_holders_says_how_to_give_them_crm_sync(admin_client, connection):
    response = admin_client.post(ACTIVATE, follow=True)

    html = page_text(response)
    assert "CRM sync is on for 0 of 0 seat holders." in html
    assert "No seat holder has CRM sync yet" in html
