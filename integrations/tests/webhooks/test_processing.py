"""Processing a delivery: the records read back from Salesforce in one batch, the conditions
checked on them as they are now, throttling, redelivery, outages and the sweep after a crash."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from integrations.choices import RunStatus
from integrations.models import Alert, TriggerDelivery
from integrations.services.deliveries import deliveries_sweep, delivery_reprocess
from integrations.tasks import salesforce_sweep_task, trigger_delivery_process_task
from integrations.tests.factories import (
    SyncRunFactory,
    SyncSettingsFactory,
    TriggerDeliveryFactory,
)
from integrations.tests.webhooks.payloads import (
    flow_callout,
    outbound_message,
    post_flow,
    post_outbound,
)
from tracking.models import Invitation

pytestmark = pytest.mark.django_db


def deliver(client, trigger, emulator, *pairs):
    body = outbound_message(org_id=emulator.org_id, notifications=list(pairs))
    assert post_outbound(client, trigger, body).status_code == 200


def process_all() -> list[str]:
    return [trigger_delivery_process_task(delivery_id=pk)
            for pk in TriggerDelivery.objects.values_list("pk", flat=True)]  # fmt: skip


def test_closed_case_invites_its_contact_with_embedded_data(
    client, trigger, emulator, closed_case, django_capture_on_commit_callbacks
):
    deliver(client, trigger, emulator, ("04l1", closed_case))
    with django_capture_on_commit_callbacks() as callbacks:
        assert process_all() == ["processed"]

    invitation = Invitation.objects.get()
    assert invitation.email == "Ada@Example.com"
    assert invitation.survey == trigger.survey
    assert invitation.event_key == f"{trigger.pk}:{closed_case}:04l1"
    case = emulator.store.get("Case", closed_case)
    assert invitation.embedded_data == {
        "salesforce_object": "Case", "record_id": closed_case, "recipient": "Ada@Example.com",
        "CaseNumber": case["CaseNumber"], "Subject": "Printer",
    }  # fmt: skip
    delivery = TriggerDelivery.objects.get()
    assert list(delivery.invitations.all()) == [invitation]
    assert "invited Ada@Example.com" in delivery.outcome
    assert delivery.processed_at is not None
    assert len(callbacks) == 1  # invitation_send_task for the new invitation


def test_records_of_one_delivery_are_read_in_one_call(trigger, emulator):
    contacts = [emulator.store.insert("Contact", {"LastName": f"P{n}", "Email": f"p{n}@x.example"})
                for n in range(3)]  # fmt: skip
    cases = [emulator.store.insert("Case", {"ContactId": c, "Status": "Closed"}) for c in contacts]
    delivery = TriggerDeliveryFactory(trigger=trigger, record_ids=cases)
    emulator.reset_stats()

    trigger_delivery_process_task(delivery_id=delivery.pk)

    assert emulator.api_calls == 1
    assert sorted(delivery.invitations.values_list("email", flat=True)) == [
        "p0@x.example", "p1@x.example", "p2@x.example",
    ]  # fmt: skip


def test_conditions_are_checked_on_the_record_as_read_back(client, trigger, emulator, closed_case):
    body = flow_callout(record_id=closed_case)  # the callout says Closed ...
    post_flow(client, trigger, body, Authorization=f"Bearer {trigger.secret}")
    emulator.store.update("Case", closed_case, {"Status": "Working"})  # ... it is reopened

    assert process_all() == ["processed"]

    assert not Invitation.objects.exists()
    assert "conditions do not hold" in TriggerDelivery.objects.get().outcome


def test_a_deleted_record_invites_nobody(client, trigger, emulator, closed_case, sf_client):
    deliver(client, trigger, emulator, ("04l1", closed_case))
    sf_client.delete([closed_case])
    process_all()
    assert not Invitation.objects.exists()
    assert "no longer exists" in TriggerDelivery.objects.get().outcome


def test_a_record_without_email_invites_nobody(client, trigger, emulator):
    case = emulator.store.insert("Case", {"Status": "Closed"})
    deliver(client, trigger, emulator, ("04l1", case))
    process_all()
    assert "holds no valid email" in TriggerDelivery.objects.get().outcome


def test_redelivered_notification_sends_one_invitation(client, trigger, emulator, closed_case):
    deliver(client, trigger, emulator, ("04l1", closed_case))
    process_all()
    deliver(client, trigger, emulator, ("04l1", closed_case))
    process_all()
    assert TriggerDelivery.objects.count() == 1
    assert Invitation.objects.count() == 1


def test_recipient_invited_within_the_throttle_days_is_skipped(
    client, trigger, emulator, closed_case
):
    Invitation.objects.create(survey=trigger.survey, email="ada@example.COM", event_key="old")
    deliver(client, trigger, emulator, ("04l1", closed_case))
    process_all()
    assert Invitation.objects.count() == 1
    assert "throttled" in TriggerDelivery.objects.get().outcome


def test_an_invitation_older_than_the_throttle_days_does_not_throttle(
    client, trigger, emulator, closed_case
):
    old = Invitation.objects.create(survey=trigger.survey, email="ada@example.com", event_key="o")
    Invitation.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    deliver(client, trigger, emulator, ("04l1", closed_case))
    process_all()
    assert Invitation.objects.count() == 2


def test_salesforce_outage_keeps_the_delivery_for_a_retry(
    client, trigger, emulator, closed_case, django_capture_on_commit_callbacks
):
    deliver(client, trigger, emulator, ("04l1", closed_case))
    emulator.faults.inject("503", times=20)
    with django_capture_on_commit_callbacks() as callbacks:
        assert process_all() == ["received"]
    delivery = TriggerDelivery.objects.get()
    assert delivery.attempts == 1
    assert "Trying again later" in delivery.outcome
    assert len(callbacks) == 1  # the retry, a one-off schedule
    emulator.faults.clear()
    assert trigger_delivery_process_task(delivery_id=delivery.pk) == "processed"
    assert Invitation.objects.count() == 1


def test_crash_between_ack_and_processing_is_finished_by_the_sweep(
    client, trigger, emulator, closed_case
):
    # given: the Ack went out, then the worker died before it processed the delivery
    deliver(client, trigger, emulator, ("04l1", closed_case))
    assert deliveries_sweep() == 0  # not yet due: its own task may still run
    TriggerDelivery.objects.update(received_at=timezone.now() - timedelta(minutes=5))

    # when
    salesforce_sweep_task()

    # then
    delivery = TriggerDelivery.objects.get()
    assert delivery.status == "processed"
    assert Invitation.objects.count() == 1


def test_the_sweep_waits_for_a_triggers_delay(client, trigger, emulator, closed_case):
    trigger.delay_minutes = 60
    trigger.save()
    deliver(client, trigger, emulator, ("04l1", closed_case))
    TriggerDelivery.objects.update(received_at=timezone.now() - timedelta(minutes=30))
    assert deliveries_sweep() == 0
    TriggerDelivery.objects.update(received_at=timezone.now() - timedelta(minutes=63))
    assert deliveries_sweep() == 1


def test_reprocessing_finds_the_invitation_made_before(client, trigger, emulator, closed_case):
    deliver(client, trigger, emulator, ("04l1", closed_case))
    process_all()
    delivery = delivery_reprocess(delivery=TriggerDelivery.objects.get())
    assert delivery.status == "received"
    process_all()
    assert Invitation.objects.count() == 1
    assert "already has invitation" in TriggerDelivery.objects.get().outcome


def test_an_invalid_field_name_fails_the_delivery_with_the_reason(
    client, trigger, emulator, closed_case
):
    trigger.captured_fields = ["Subject; DROP"]
    trigger.save()
    deliver(client, trigger, emulator, ("04l1", closed_case))
    assert process_all() == ["failed"]
    assert "not a valid Salesforce object or field name" in TriggerDelivery.objects.get().outcome


def test_an_unknown_field_fails_the_delivery_with_salesforces_error(
    client, trigger, emulator, closed_case
):
    trigger.captured_fields = ["Nope__c"]
    trigger.save()
    deliver(client, trigger, emulator, ("04l1", closed_case))
    assert process_all() == ["failed"]
    assert "Could not read the records" in TriggerDelivery.objects.get().outcome


def test_a_failed_delivery_raises_its_triggers_alert(
    client, trigger, emulator, closed_case, admin_user
):
    # given a trigger that captures a field the org does not have
    SyncSettingsFactory(alert_trigger_failures=1)
    trigger.captured_fields = ["Nope__c"]
    trigger.save()
    deliver(client, trigger, emulator, ("04l1", closed_case))
    # when
    assert process_all() == ["failed"]
    # then
    alert = Alert.objects.open().get()
    assert alert.key == f"trigger_failing:{trigger.pk}"
    assert trigger.name in mail.outbox[0].subject


def test_a_failed_delivery_evaluates_only_the_trigger_alert(
    client, trigger, emulator, closed_case, admin_user
):
    # given the sync's last run failed too (its alert is raised by the next full evaluation)
    SyncSettingsFactory(alert_trigger_failures=1, alert_failed_cycles=1)
    SyncRunFactory(status=RunStatus.FAILED, error="SERVER_UNAVAILABLE: down")
    trigger.captured_fields = ["Nope__c"]
    trigger.save()
    deliver(client, trigger, emulator, ("04l1", closed_case))
    # when
    assert process_all() == ["failed"]
    # then
    assert list(Alert.objects.open().values_list("key", flat=True)) == [
        f"trigger_failing:{trigger.pk}"
    ]
