"""Surveys in the admin: the builder (a survey with its questions inline, its email checked
and previewed), and the invitations and responses, read-only.

A question's choices are typed one per line, or as a JSON list; choice questions need them,
the others take none. The email's subject and body may hold `{placeholders}` (see
tracking/placeholders.py): a malformed brace is a form error.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from tracking.admin.base import HistoryLinkMixin, ReadOnlyAdminMixin
from tracking.models import Invitation, Question, Response, Survey
from tracking.models.surveys import QuestionKind
from tracking.placeholders import placeholders_errors, placeholders_render
from tracking.views.surveys import survey_url

CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE}
PREVIEW_TOKEN = "example-token"


class ChoicesField(forms.CharField):
    """Choices one per line, or a JSON list of strings; stored as a list."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 30})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        text = (value or "").strip()
        if text.startswith("["):
            try:
                choices = json.loads(text)
            except json.JSONDecodeError as error:
                raise forms.ValidationError(f"Not a JSON list: {error.msg}.") from error
            if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
                raise forms.ValidationError("A JSON list of choices holds strings only.")
        else:
            choices = text.splitlines()
        choices = [choice.strip() for choice in choices if choice.strip()]
        duplicates = sorted({choice for choice in choices if choices.count(choice) > 1})
        if duplicates:
            raise forms.ValidationError(f"Each choice once: {', '.join(duplicates)}.")
        return choices


class QuestionForm(forms.ModelForm):
    choices = ChoicesField(required=False, help_text="One per line, or a JSON list.")

    class Meta:
        model = Question
        fields = ["position", "key", "kind", "text", "choices", "required"]

    def clean(self):
        cleaned = super().clean()
        kind, choices = cleaned.get("kind"), cleaned.get("choices") or []
        if kind in CHOICE_KINDS and not choices:
            self.add_error("choices", "A choice question needs its choices.")
        if kind and kind not in CHOICE_KINDS and choices:
            self.add_error("choices", "Only choice questions have choices; leave this empty.")
        return cleaned


class QuestionInline(admin.TabularInline):
    model = Question
    form = QuestionForm
    extra = 1
    ordering = ["position", "pk"]


class SurveyForm(forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["name", "email_subject", "email_body", "throttle_days"]

    def _clean_template(self, name: str) -> str:
        value = self.cleaned_data[name]
        errors = placeholders_errors(value)
        if errors:
            raise forms.ValidationError(errors)
        return value

    def clean_email_subject(self) -> str:
        return self._clean_template("email_subject")

    def clean_email_body(self) -> str:
        return self._clean_template("email_body")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    form = SurveyForm
    inlines = [QuestionInline]
    list_display = ["name", "throttle_days", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["email_preview"]
    fields = ["name", "email_subject", "email_body", "email_preview", "throttle_days"]

    @admin.display(description="Preview")
    def email_preview(self, survey: Survey) -> str:
        """The email as saved, filled with the latest invitation's embedded data (names
        without a value show as «name»)."""
        if survey.pk is None:
            return "Save the survey to see its email."
        latest = survey.invitations.first()
        values = {
            **(latest.embedded_data if latest else {}),
            "email": latest.email if latest else "recipient@example.com",
            "survey_url": survey_url(token=PREVIEW_TOKEN),
        }
        return format_html(
            '<div style="max-width:640px"><p><strong>{}</strong></p>'
            '<pre style="white-space:pre-wrap">{}</pre></div>',
            placeholders_render(survey.email_subject, values, show_missing=True),
            placeholders_render(survey.email_body, values, show_missing=True),
        )


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Made by the triggers, sent by the task cluster: shown, never edited."""

    list_display = ["email", "survey", "status", "error", "attempts", "sent_at", "response_link"]
    list_filter = ["status", "survey"]
    search_fields = ["email", "event_key"]
    list_select_related = ["survey", "response"]
    fields = [
        "survey", "email", "status", "error", "attempts", "created_at", "sent_at",
        "expires_at", "event_key", "embedded_data", "response_link",
    ]  # fmt: skip
    readonly_fields = fields

    @admin.display(description="Response")
    def response_link(self, invitation: Invitation) -> str:
        response = getattr(invitation, "response", None)
        if response is None:
            return "-"
        url = reverse("admin:tracking_response_change", args=[response.pk])
        return format_html('<a href="{}">Answered {}</a>', url, response.submitted_at)


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdminMixin, HistoryLinkMixin, admin.ModelAdmin):
    list_display = ["invitation", "survey", "submitted_at", "salesforce_id"]
    list_filter = ["invitation__survey"]
    search_fields = ["invitation__email", "salesforce_id"]
    list_select_related = ["invitation__survey"]
    fields = ["invitation", "submitted_at", "answers_by_question", "history", "salesforce_id"]
    readonly_fields = fields

    @admin.display(description="Survey")
    def survey(self, response: Response) -> Survey:
        return response.invitation.survey

    @admin.display(description="Answers")
    def answers_by_question(self, response: Response) -> str:
        """Each question of the survey with its answer (a multiple choice's joined)."""
        answers = response.answers
        rows = []
        for question in response.invitation.survey.questions.all():
            answer = answers.get(question.key, "")
            if isinstance(answer, list):
                answer = ", ".join(str(value) for value in answer)
            rows.append((question.text, question.key, answer if answer != "" else "—"))
        return format_html(
            "<table>{}</table>",
            format_html_join(
                "", '<tr><th>{} <span class="quiet">({})</span></th><td>{}</td></tr>', rows
            ),
        )
