"""Survey triggers Salesforce calls, and every delivery they receive.

A trigger has an unguessable URL (`/hooks/salesforce/<key>/`), a secret (a bearer token, or
the HMAC key of a signed callout), the Salesforce object, where the recipient's email is
(a field or a parent path such as `Contact.Email`), its conditions, the survey, the fields
captured as embedded data, and a delay. Every accepted delivery is a row before it is
acknowledged; `idempotency_key` (an Outbound Message's notification id, or a callout's
record id + trigger + SystemModstamp) keeps a redelivery from inviting anyone twice.
"""

from __future__ import annotations

import secrets

from django.db import models

from integrations.choices import RuleOperator
from tracking.models import Invitation, Survey


def new_key() -> str:
    return secrets.token_urlsafe(24)


class DeliveryKind(models.TextChoices):
    FLOW = "flow", "Flow HTTP callout (JSON)"
    OUTBOUND_MESSAGE = "outbound_message", "Outbound Message (SOAP)"


class DeliveryStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed"


class ConditionMode(models.TextChoices):
    ALL = "all", "All conditions"
    ANY = "any", "Any condition"


class SurveyTrigger(models.Model):
    name = models.CharField(max_length=255)
    key = models.CharField(max_length=64, unique=True, default=new_key)
    secret = models.CharField(max_length=128, default=new_key)
    salesforce_object = models.CharField(max_length=80, help_text="e.g. Case")
    email_field = models.CharField(
        max_length=255, help_text="Where the recipient's email is, e.g. Contact.Email."
    )
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="triggers")
    condition_mode = models.CharField(
        max_length=8, choices=ConditionMode.choices, default=ConditionMode.ALL
    )
    captured_fields = models.JSONField(
        default=list, blank=True, help_text="Fields stored as embedded data, e.g. Id, CaseNumber."
    )
    delay_minutes = models.PositiveIntegerField(default=0)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TriggerCondition(models.Model):
    trigger = models.ForeignKey(SurveyTrigger, on_delete=models.CASCADE, related_name="conditions")
    field = models.CharField(max_length=255)
    operator = models.CharField(max_length=16, choices=RuleOperator.choices)
    value = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.field} {self.get_operator_display()} {self.value}".strip()


class TriggerDelivery(models.Model):
    trigger = models.ForeignKey(SurveyTrigger, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=24, choices=DeliveryKind.choices)
    idempotency_key = models.CharField(max_length=255)
    payload = models.TextField(help_text="The body as received.")
    record_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.RECEIVED
    )
    outcome = models.TextField(blank=True)
    invitations = models.ManyToManyField(Invitation, blank=True, related_name="deliveries")
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "trigger deliveries"
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["trigger", "idempotency_key"], name="delivery_once_per_trigger"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.trigger} ({self.get_status_display()})"
