"""Hosted surveys (Qualtrics): a survey's questions, the invitations emailed for it, and the
one response each invitation may get.

An invitation carries an unguessable token (its public page is `/s/<token>/`), the recipient,
and the embedded data the trigger captured (record ids and field values) for the mappings
and the email template. Its status goes queued → sent → answered, or failed with the reason.
A response keeps the answers by question key and is a synced record: the response mapping
writes it to Salesforce and its history says what was written.
"""

from __future__ import annotations

import secrets

from django.db import models

from tracking.models.base import SyncedRecord

TOKEN_BYTES = 24


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


class QuestionKind(models.TextChoices):
    NPS = "nps", "Net Promoter Score (0–10)"
    RATING = "rating", "Rating (1–5)"
    SINGLE_CHOICE = "single_choice", "Single choice"
    MULTIPLE_CHOICE = "multiple_choice", "Multiple choice"
    TEXT = "text", "Text"


class InvitationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    ANSWERED = "answered", "Answered"
    FAILED = "failed", "Failed"


class Survey(models.Model):
    name = models.CharField(max_length=255, unique=True)
    email_subject = models.CharField(
        max_length=255, help_text="The invitation's subject; {placeholders} from the record."
    )
    email_body = models.TextField(
        help_text="The invitation's text; {placeholders} from the record, {survey_url} the link."
    )
    throttle_days = models.PositiveIntegerField(
        default=30, help_text="At most one invitation of this survey per address in this many days."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    key = models.SlugField(max_length=64, help_text="The answer's name in mappings and the form.")
    kind = models.CharField(max_length=16, choices=QuestionKind.choices)
    text = models.CharField(max_length=500)
    choices = models.JSONField(default=list, blank=True, help_text="For choice questions.")
    required = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["survey", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="question_key_per_survey")
        ]

    def __str__(self) -> str:
        return f"{self.survey}: {self.key}"


class Invitation(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    email = models.EmailField(max_length=254)
    embedded_data = models.JSONField(default=dict, blank=True)
    # One invitation per recipient per trigger per record event (the delivery's key).
    event_key = models.CharField(max_length=255, unique=True)
    status = models.CharField(
        max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.QUEUED
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["email", "survey", "created_at"])]

    def __str__(self) -> str:
        return f"{self.survey} for {self.email}"


class Response(SyncedRecord):
    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, related_name="response")
    answers = models.JSONField(default=dict, help_text="By question key.")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"Response to {self.invitation}"
