"""The console's safe deletes: the brake's page with Confirm / Cancel, the notice on the
dashboard and the sync settings, the quarantine list with restore."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from integrations.choices import BrakeStatus
from integrations.models import PendingDeletion, QuarantinedRecord
from integrations.selectors import DELETE_BRAKE_URL, delete_brake_holding
from integrations.tests.factories import (
    DeleteBrakeFactory,
    PendingDeletionFactory,
    QuarantinedRecordFactory,
)
from tracking.models import Contact
from tracking.tests.factories import ContactFactory

pytestmark = pytest.mark.django_db
QUARANTINE = reverse("admin:integrations_quarantinedrecord_changelist")


@pytest.fixture
def holding():
    """A brake holding three contacts' deletions."""
    brake = DeleteBrakeFactory()
    for _ in range(3):
        PendingDeletionFactory(brake=brake)
    return brake


def shown(brake):
    """What the brake's page posts with a decision: the last held deletion it showed."""
    return {"upto": brake.held.order_by("pk").last().pk}


def page(brake):
    return reverse(DELETE_BRAKE_URL, args=[brake.pk])


def test_the_brakes_page_says_what_is_held_with_a_sample_and_both_buttons(admin_client, holding):
    held = Contact.objects.first()
    html = admin_client.get(page(holding)).content.decode()
    assert "3 contacts deleted in Salesforce are waiting" in html
    assert "would have deleted 30 of 100 linked contacts" in html
    assert held.email in html
    assert 'id="brake-confirm"' in html
    assert 'id="brake-cancel"' in html


def test_confirm_deletes_into_quarantine_with_a_message_and_a_log_entry(admin_client, holding):
    url = reverse("admin:integrations_deletebrake_confirm", args=[holding.pk])
    response = admin_client.post(url, shown(holding), follow=True)
    assert "3 contacts deleted into quarantine." in response.content.decode()
    assert not Contact.objects.exists()
    assert QuarantinedRecord.objects.count() == 3
    holding.refresh_from_db()
    assert holding.status == BrakeStatus.CONFIRMED
    assert LogEntry.objects.filter(object_id=str(holding.pk)).exists()
    assert 'id="brake-confirm"' not in response.content.decode()


def test_cancel_keeps_every_contact(admin_client, holding):
    url = reverse("admin:integrations_deletebrake_cancel", args=[holding.pk])
    response = admin_client.post(url, shown(holding), follow=True)
    assert "Nothing deleted: 3 contacts kept" in response.content.decode()
    assert Contact.objects.filter(salesforce_id="", deleted_in_salesforce=True).count() == 3
    assert not PendingDeletion.objects.exists()


def test_a_brake_decided_already_says_so(admin_client, holding):
    data = shown(holding)
    admin_client.post(reverse("admin:integrations_deletebrake_cancel", args=[holding.pk]), data)
    url = reverse("admin:integrations_deletebrake_confirm", args=[holding.pk])
    response = admin_client.post(url, data, follow=True)
    assert "This brake was cancelled: records kept." in response.content.decode()
    assert Contact.objects.count() == 3


def test_deciding_needs_a_post_and_the_permission(client, admin_client, django_user_model, holding):
    url = reverse("admin:integrations_deletebrake_confirm", args=[holding.pk])
    assert admin_client.get(url).status_code == 405
    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(viewer)
    assert client.post(url, shown(holding)).status_code == 403
    assert Contact.objects.count() == 3


def test_the_dashboard_and_the_settings_show_the_held_deletions(admin_client, holding):
    for url in (reverse("admin:index"), reverse("admin:integrations_syncsettings_changelist")):
        html = admin_client.get(url, follow=True).content.decode()
        assert "Deletions held by the mass-delete brake" in html
        assert page(holding) in html


def test_the_holding_brake_is_the_one_alerts_name(holding):
    DeleteBrakeFactory(status=BrakeStatus.CANCELLED)
    assert delete_brake_holding() == holding


def test_no_notice_without_a_holding_brake(admin_client):
    DeleteBrakeFactory(status=BrakeStatus.CONFIRMED)
    assert delete_brake_holding() is None
    assert "mass-delete brake" not in admin_client.get(reverse("admin:index")).content.decode()


def test_the_quarantine_lists_and_finds_records_with_days_left(admin_client):
    ada = ContactFactory(
        email="ada@example.com", salesforce_object="Lead", salesforce_id="00Q000000000001AAA"
    )
    entry = QuarantinedRecordFactory(contact=ada)
    QuarantinedRecordFactory()
    html = admin_client.get(QUARANTINE, {"q": "ada@"}).content.decode()
    assert "ada@example.com" in html
    assert "29 days" in html
    assert "1 result" in html
    assert entry.salesforce_id in html


def test_restore_from_the_quarantine_brings_the_contact_back_linked(admin_client):
    contact = ContactFactory(salesforce_object="Lead", salesforce_id="00Q000000000001AAA")
    entry = QuarantinedRecordFactory(contact=contact)
    data = {"action": "restore", "_selected_action": [entry.pk]}
    response = admin_client.post(QUARANTINE, data, follow=True)
    assert "1 record restored with their Salesforce link." in response.content.decode()
    back = Contact.objects.get(pk=contact.pk)
    assert (back.salesforce_id, back.email) == ("00Q000000000001AAA", contact.email)
    assert LogEntry.objects.filter(object_id=str(contact.pk)).exists()


def test_restore_refused_says_why_and_keeps_the_entry(admin_client):
    contact = ContactFactory(email="taken@example.com")
    entry = QuarantinedRecordFactory(contact=contact)
    ContactFactory(email="taken@example.com")
    data = {"action": "restore", "_selected_action": [entry.pk]}
    html = admin_client.post(QUARANTINE, data, follow=True).content.decode()
    assert "cannot be restored" in html
    assert QuarantinedRecord.objects.filter(pk=entry.pk).exists()


def test_an_entry_past_its_window_waits_for_the_purge(admin_client):
    QuarantinedRecordFactory(purge_after=timezone.now() - timedelta(minutes=1))
    assert "purged within the hour" in admin_client.get(QUARANTINE).content.decode()


def test_an_entrys_page_links_its_salesforce_record(admin_client, connection):
    entry = QuarantinedRecordFactory()
    url = reverse("admin:integrations_quarantinedrecord_change", args=[entry.pk])
    html = admin_client.get(url).content.decode()
    assert f'href="{connection.instance_url}/{entry.salesforce_id}"' in html


def test_confirm_leaves_deletions_held_after_the_page_was_shown_to_a_new_brake(
    admin_client, holding
):
    data = shown(holding)
    later = PendingDeletionFactory(brake=holding)  # a cycle held one more meanwhile
    url = reverse("admin:integrations_deletebrake_confirm", args=[holding.pk])
    html = admin_client.post(url, data, follow=True).content.decode()
    assert "3 contacts deleted into quarantine." in html
    assert "1 more deletion arrived after the page was shown" in html
    assert Contact.objects.filter(pk=later.object_id).exists()
    assert delete_brake_holding().held.get() == later


def test_a_decision_without_what_the_page_showed_decides_nothing(admin_client, holding):
    url = reverse("admin:integrations_deletebrake_confirm", args=[holding.pk])
    html = admin_client.post(url, follow=True).content.decode()
    assert "Nothing decided" in html
    assert Contact.objects.count() == 3


def test_the_brakes_list_counts_what_each_holds_in_one_query(
    admin_client, holding, django_assert_max_num_queries
):
    for _ in range(5):
        PendingDeletionFactory(brake=DeleteBrakeFactory(status=BrakeStatus.CANCELLED))
    admin_client.get(reverse("admin:integrations_deletebrake_changelist"))  # warm caches
    with django_assert_max_num_queries(7):  # not one per brake
        html = admin_client.get(reverse("admin:integrations_deletebrake_changelist")).content
    assert b"6 delete brakes" in html


def test_the_brakes_page_reads_its_sample_in_bulk(
    admin_client, holding, django_assert_max_num_queries
):
    for _ in range(7):
        PendingDeletionFactory(brake=holding)
    admin_client.get(page(holding))  # warm caches
    with django_assert_max_num_queries(9):  # not one per sample row or count
        html = admin_client.get(page(holding)).content.decode()
    assert "10 contacts deleted in Salesforce are waiting" in html
    assert html.count("/admin/tracking/contact/") >= 10
