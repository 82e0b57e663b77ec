"""What a survey's responses write to Salesforce: ordered rules, and Web-to-Lead.

A `ResponseRule` inserts, updates, upserts or deletes one record of a standard or custom
object. Update and delete find the record by an id from the invitation's embedded data (e.g.
`Case.Id`); upsert matches on an external-id field whose value comes from a source. Each
Salesforce field is set from an answer, an embedded data key, a constant, the response's own
id or the recipient's address (`FieldAssignment`). A rule runs when each of its condition
groups holds: a group holds when all (or any) of its conditions on answers and embedded data
do. `WebToLead` is one survey's lead capture: when its conditions hold, the person with the
mapped email is updated or left alone (an existing Contact or unconverted Lead), else a Lead
is inserted. Both are checked against describe() when saved (services/response_rules.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from integrations.choices import RuleOperator
from integrations.models.triggers import ConditionMode
from tracking.models import Survey


class RuleOperation(models.TextChoices):
    INSERT = "insert", "Insert a record"
    UPDATE = "update", "Update a record"
    UPSERT = "upsert", "Upsert by an external id"
    DELETE = "delete", "Delete a record"


class ValueSource(models.TextChoices):
    ANSWER = "answer", "Answer (question key)"
    EMBEDDED = "embedded", "Embedded data (key, e.g. Case.Id)"
    CONSTANT = "constant", "Constant"
    RESPONSE_ID = "response_id", "The response's id (for an external id)"
    RECIPIENT_EMAIL = "recipient_email", "The recipient's email"


class ConditionSource(models.TextChoices):
    ANSWER = "answer", "Answer (question key)"
    EMBEDDED = "embedded", "Embedded data (key)"


class OnExistingPerson(models.TextChoices):
    UPDATE = "update", "Update the existing Contact or Lead"
    LEAVE_ALONE = "leave_alone", "Leave the existing Contact or Lead alone"


class ResponseRule(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="response_rules")
    position = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=255, blank=True)
    operation = models.CharField(max_length=8, choices=RuleOperation.choices)
    salesforce_object = models.CharField(max_length=80, help_text="e.g. Survey_Response__c")
    record_id_key = models.CharField(
        max_length=255,
        blank=True,
        help_text="Update and delete: the embedded data key holding the record's id, e.g. Case.Id.",
    )
    external_id_field = models.CharField(
        max_length=80, blank=True, help_text="Upsert: the external-id field to match on."
    )
    external_id_source = models.CharField(
        max_length=16, choices=ValueSource.choices, blank=True, help_text="Upsert: its value."
    )
    external_id_value = models.CharField(
        max_length=255, blank=True, help_text="The key or constant of that source."
    )
    enabled = models.BooleanField(default=True)

    class Meta:
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.name or f"{self.get_operation_display()}: {self.salesforce_object}"


class WebToLead(models.Model):
    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="web_to_lead")
    enabled = models.BooleanField(default=True)
    on_existing = models.CharField(
        max_length=16, choices=OnExistingPerson.choices, default=OnExistingPerson.LEAVE_ALONE
    )

    class Meta:
        verbose_name = "Web-to-Lead"
        verbose_name_plural = "Web-to-Lead"

    def __str__(self) -> str:
        return f"Web-to-Lead of {self.survey}"


def _one_owner(prefix: str) -> models.CheckConstraint:
    """Exactly one of `rule` and `web_to_lead` is set."""
    return models.CheckConstraint(
        condition=Q(rule__isnull=False, web_to_lead__isnull=True)
        | Q(rule__isnull=True, web_to_lead__isnull=False),
        name=f"{prefix}_rule_or_web_to_lead",
    )


class FieldAssignment(models.Model):
    """A Salesforce field ← a source, of a rule or of Web-to-Lead."""

    rule = models.ForeignKey(
        ResponseRule, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    web_to_lead = models.ForeignKey(
        WebToLead, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    salesforce_field = models.CharField(max_length=80)
    source = models.CharField(max_length=16, choices=ValueSource.choices)
    value = models.CharField(
        max_length=255, blank=True, help_text="The question key, embedded data key or constant."
    )

    class Meta:
        ordering = ["pk"]
        constraints = [_one_owner("assignment")]

    def __str__(self) -> str:
        return f"{self.salesforce_field} ← {self.get_source_display()} {self.value}".strip()


class ConditionGroup(models.Model):
    """All (or any) of its conditions; a rule runs when every one of its groups holds."""

    rule = models.ForeignKey(
        ResponseRule,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="condition_groups",
    )
    web_to_lead = models.ForeignKey(
        WebToLead,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="condition_groups",
    )
    mode = models.CharField(max_length=8, choices=ConditionMode.choices, default=ConditionMode.ALL)

    class Meta:
        ordering = ["pk"]
        constraints = [_one_owner("condition_group")]

    def __str__(self) -> str:
        return self.get_mode_display()


class ResponseCondition(models.Model):
    group = models.ForeignKey(ConditionGroup, on_delete=models.CASCADE, related_name="conditions")
    source = models.CharField(max_length=16, choices=ConditionSource.choices)
    key = models.CharField(max_length=255, help_text="The question key or embedded data key.")
    operator = models.CharField(max_length=16, choices=RuleOperator.choices)
    value = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.key} {self.get_operator_display()} {self.value}".strip()
