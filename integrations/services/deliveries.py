"""Survey trigger deliveries: stored before Salesforce is answered, processed afterwards.

`deliveries_store` writes one TriggerDelivery per record (a redelivery, same trigger and
idempotency key, finds the row it made before and stores nothing new) and hands the new ones
to the task cluster once the transaction commits, after the trigger's delay.
`delivery_process` reads the records back from Salesforce in one batched query, checks that
each still exists and meets the trigger's conditions now, skips throttled recipients, and
creates the invitations (idempotent by event key), whose sending is enqueued on commit.
A Salesforce outage keeps the delivery `received` and retries it with a growing delay a
bounded number of times; `deliveries_sweep` (run by the sweep task) finishes deliveries a lost
task left `received`, e.g. after a crash between the Ack and the processing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from integrations.alerts.conditions import trigger_failing
from integrations.exceptions import (
    ConfigurationError,
    RateLimitedError,
    SalesforceError,
    TransientError,
)
from integrations.models import SurveyTrigger, TriggerDelivery
from integrations.models.triggers import DeliveryStatus
from integrations.salesforce import soql
from integrations.services.alerts import alerts_evaluate_logged
from integrations.services.connection import salesforce_client
from integrations.services.invitations import invitation_send_enqueue
from integrations.sync.rules.trigger_conditions import conditions_met, record_value
from integrations.webhooks.parsers import TriggerRecord
from tracking.models import Invitation
from tracking.services.surveys import invitation_create, invitation_throttled

PROCESS_FUNC = "integrations.tasks.trigger_delivery_process_task"
MAX_ATTEMPTS = 6
RETRY_SECONDS = 60
# A delivery still `received` this long after it was due was lost by its task.
SWEEP_GRACE = timedelta(minutes=2)
RETRYABLE = (TransientError, RateLimitedError, ConfigurationError)


@transaction.atomic
def deliveries_store(
    *, trigger: SurveyTrigger, kind: str, records: Sequence[TriggerRecord]
) -> list[tuple[TriggerDelivery, bool]]:
    """One delivery per record (and whether it is new); new ones are enqueued on commit."""
    stored = []
    for record in records:
        delivery, created = TriggerDelivery.objects.get_or_create(
            trigger=trigger,
            idempotency_key=record.delivery_key[:255],
            defaults={"kind": kind, "payload": record.body, "record_ids": [record.record_id]},
        )
        if created:
            _enqueue(delivery, delay=trigger.delay_minutes * 60)
        stored.append((delivery, created))
    return stored


def delivery_reprocess(*, delivery: TriggerDelivery) -> TriggerDelivery:
    """Process a delivery again (admin): invitations it made before are found, not repeated."""
    with transaction.atomic():
        delivery.status = DeliveryStatus.RECEIVED
        delivery.attempts = 0
        delivery.save(update_fields=["status", "attempts"])
        _enqueue(delivery)
    return delivery


def deliveries_sweep() -> int:
    """Process deliveries left `received` past their due time (their task was lost); how many."""
    now = timezone.now()
    waiting = TriggerDelivery.objects.filter(
        status=DeliveryStatus.RECEIVED, received_at__lt=now - SWEEP_GRACE
    ).select_related("trigger")
    swept = 0
    for delivery in waiting.order_by("received_at")[:500]:
        due = delivery.received_at + timedelta(minutes=delivery.trigger.delay_minutes)
        if due + _retry_wait(delivery) + SWEEP_GRACE <= now:
            delivery_process(delivery=delivery)
            swept += 1
    return swept


def delivery_process(*, delivery: TriggerDelivery) -> TriggerDelivery:
    """Read the delivery's records back, and invite the recipients whose records qualify."""
    trigger = delivery.trigger
    delivery.attempts += 1
    try:
        rows = _records_read_back(trigger, delivery.record_ids)
    except RETRYABLE as error:
        return _retry_later(delivery, error)
    except (SalesforceError, ValueError) as error:
        return _finish(delivery, DeliveryStatus.FAILED, f"Could not read the records: {error}")
    with transaction.atomic():
        lines = [_record_invite(delivery, record_id, rows.get(record_id[:15]))
                 for record_id in delivery.record_ids]  # fmt: skip
        return _finish(delivery, DeliveryStatus.PROCESSED, "\n".join(lines))


def read_back_fields(trigger: SurveyTrigger) -> list[str]:
    """What the processing reads: the Id, the email path, conditions and captured fields."""
    fields = ["Id", trigger.email_field]
    fields += [condition.field for condition in trigger.conditions.all()]
    fields += list(trigger.captured_fields)
    return [soql.identifier(name) for name in dict.fromkeys(fields)]


def _records_read_back(trigger: SurveyTrigger, record_ids: list[str]) -> dict[str, dict]:
    client = salesforce_client()
    rows = client.query_in(
        soql.identifier(trigger.salesforce_object),
        read_back_fields(trigger),
        field="Id",
        values=record_ids,
    )
    return {row["Id"][:15]: row for row in rows}


def _record_invite(delivery: TriggerDelivery, record_id: str, row: dict | None) -> str:
    trigger = delivery.trigger
    if row is None:
        return f"{record_id}: no longer exists in Salesforce; nobody invited."
    if not conditions_met(
        record=row, mode=trigger.condition_mode, conditions=trigger.conditions.all()
    ):
        return f"{record_id}: the conditions do not hold on the record now; nobody invited."
    email = str(record_value(row, trigger.email_field) or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        return f"{record_id}: {trigger.email_field} holds no valid email ({email!r})."
    event_key = f"{trigger.pk}:{record_id}:{delivery.idempotency_key}"[:255]
    existing = Invitation.objects.filter(event_key=event_key).first()
    if existing is None and invitation_throttled(survey=trigger.survey, email=email):
        return f"{record_id}: {email} was invited to this survey recently (throttled)."
    invitation, created = invitation_create(
        survey=trigger.survey, email=email, event_key=event_key,
        embedded_data=_embedded_data(trigger, row, email),
    )  # fmt: skip
    delivery.invitations.add(invitation)
    if not created:
        return f"{record_id}: {email} already has invitation {invitation.pk}."
    invitation_send_enqueue(invitation=invitation)
    return f"{record_id}: invited {email} (invitation {invitation.pk})."


def _embedded_data(trigger: SurveyTrigger, row: dict, email: str) -> dict:
    captured = {path: record_value(row, path) for path in trigger.captured_fields}
    return {
        "salesforce_object": trigger.salesforce_object,
        "record_id": row["Id"],
        "recipient": email,
        **captured,
    }


def _retry_later(delivery: TriggerDelivery, error: SalesforceError) -> TriggerDelivery:
    if delivery.attempts >= MAX_ATTEMPTS:
        return _finish(
            delivery, DeliveryStatus.FAILED,
            f"Gave up after {delivery.attempts} attempts: {error} Reprocess it once Salesforce "
            "answers again.",
        )  # fmt: skip
    delivery.outcome = f"Attempt {delivery.attempts} failed: {error} Trying again later."
    delivery.save(update_fields=["attempts", "outcome"])
    _enqueue(delivery, delay=int(_retry_wait(delivery).total_seconds()))
    return delivery


def _retry_wait(delivery: TriggerDelivery) -> timedelta:
    if not delivery.attempts:
        return timedelta(0)
    return timedelta(seconds=RETRY_SECONDS * 2 ** (delivery.attempts - 1))


def _finish(delivery: TriggerDelivery, status: str, outcome: str) -> TriggerDelivery:
    """Close the delivery; a failure may make its trigger's alert hold."""
    delivery.status = status
    delivery.outcome = outcome
    delivery.processed_at = timezone.now()
    delivery.save(update_fields=["status", "outcome", "processed_at", "attempts"])
    if status == DeliveryStatus.FAILED:
        alerts_evaluate_logged(only=(trigger_failing,))
    return delivery


def _enqueue(delivery: TriggerDelivery, *, delay: int = 0) -> None:
    from django_q.models import Schedule
    from django_q.tasks import async_task, schedule

    if delay:
        when = timezone.now() + timedelta(seconds=delay)
        transaction.on_commit(
            lambda: schedule(
                PROCESS_FUNC, delivery_id=delivery.pk, schedule_type=Schedule.ONCE, next_run=when
            )
        )
    else:
        transaction.on_commit(lambda: async_task(PROCESS_FUNC, delivery_id=delivery.pk))
