"""Console section: survey triggers (their webhook URL, secret and conditions) and the
deliveries Salesforce made to them, with what each produced and a "Reprocess" action.

A trigger's secret is shown in full once, in the message after it is created; the form shows
it masked. The URL is built from the request, so it is the address the admin reached us at.
"""

from __future__ import annotations

from contextvars import ContextVar

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from integrations.models import SurveyTrigger, TriggerCondition, TriggerDelivery
from integrations.salesforce.soql import IDENTIFIER
from integrations.services.deliveries import delivery_reprocess

VISIBLE_SECRET_CHARS = 4
# The page's request, for the trigger's absolute URL (readonly fields see only the object).
_request: ContextVar[HttpRequest] = ContextVar("trigger_admin_request")


def hook_path(trigger: SurveyTrigger) -> str:
    return reverse("webhooks:salesforce-trigger", kwargs={"key": trigger.key})


def masked(secret: str) -> str:
    return secret[:VISIBLE_SECRET_CHARS] + "•" * 12


def field_path_error(value: str) -> str | None:
    if isinstance(value, str) and IDENTIFIER.fullmatch(value):
        return None
    return f"“{value}” is not a Salesforce field name or parent path (e.g. Contact.Email)."


class SurveyTriggerForm(forms.ModelForm):
    class Meta:
        model = SurveyTrigger
        fields = "__all__"

    def clean_salesforce_object(self) -> str:
        value = self.cleaned_data["salesforce_object"].strip()
        if "." in value or field_path_error(value):
            raise forms.ValidationError(f"“{value}” is not a Salesforce object name.")
        return value

    def clean_email_field(self) -> str:
        value = self.cleaned_data["email_field"].strip()
        if error := field_path_error(value):
            raise forms.ValidationError(error)
        return value

    def clean_captured_fields(self) -> list:
        value = self.cleaned_data["captured_fields"] or []
        if not isinstance(value, list):
            raise forms.ValidationError('Enter a list of field names, e.g. ["CaseNumber"].')
        errors = [error for item in value if (error := field_path_error(item))]
        if errors:
            raise forms.ValidationError(errors)
        return value


class TriggerConditionForm(forms.ModelForm):
    class Meta:
        model = TriggerCondition
        fields = ["field", "operator", "value"]

    def clean_field(self) -> str:
        value = self.cleaned_data["field"].strip()
        if error := field_path_error(value):
            raise forms.ValidationError(error)
        return value


class TriggerConditionInline(admin.TabularInline):
    model = TriggerCondition
    form = TriggerConditionForm
    extra = 1


@admin.register(SurveyTrigger)
class SurveyTriggerAdmin(admin.ModelAdmin):
    form = SurveyTriggerForm
    list_display = ["name", "salesforce_object", "survey", "enabled", "deliveries_count"]
    list_filter = ["enabled", "salesforce_object"]
    fields = ["name", "enabled", "salesforce_object", "email_field", "survey", "condition_mode",
              "captured_fields", "delay_minutes"]  # fmt: skip
    inlines = [TriggerConditionInline]

    def get_fields(self, request, obj=None):
        return [*self.get_readonly_fields(request, obj), *self.fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["webhook_url", "secret_masked"]

    def changeform_view(self, request, *args, **kwargs):
        token = _request.set(request)
        try:
            response = super().changeform_view(request, *args, **kwargs)
            if hasattr(response, "render"):  # a TemplateResponse renders lazily: now, here
                response.render()
            return response
        finally:
            _request.reset(token)

    @admin.display(description="webhook URL")
    def webhook_url(self, trigger: SurveyTrigger) -> str:
        return format_html("<code>{}</code>", _request.get().build_absolute_uri(hook_path(trigger)))

    @admin.display(description="secret")
    def secret_masked(self, trigger: SurveyTrigger) -> str:
        return masked(trigger.secret)

    @admin.display(description="deliveries")
    def deliveries_count(self, trigger: SurveyTrigger) -> int:
        return trigger.deliveries.count()

    def response_add(self, request, obj, post_url_continue=None):
        url = request.build_absolute_uri(hook_path(obj))
        messages.warning(
            request,
            f"Webhook URL: {url} — secret: {obj.secret} (shown only now: put it into the "
            "Named Credential of the Flow's HTTP callout).",
        )
        return super().response_add(request, obj, post_url_continue)


@admin.register(TriggerDelivery)
class TriggerDeliveryAdmin(admin.ModelAdmin):
    list_display = ["received_at", "trigger", "kind", "status", "records", "invitations_count"]
    list_filter = ["status", "kind", "trigger"]
    search_fields = ["idempotency_key", "record_ids"]
    actions = ["reprocess"]
    readonly_fields = ["trigger", "kind", "status", "idempotency_key", "records", "received_at",
                       "processed_at", "attempts", "outcome_text", "invitations_list",
                       "payload_text"]  # fmt: skip
    fields = readonly_fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="records")
    def records(self, delivery: TriggerDelivery) -> str:
        return ", ".join(delivery.record_ids)

    @admin.display(description="invitations")
    def invitations_count(self, delivery: TriggerDelivery) -> int:
        return delivery.invitations.count()

    @admin.display(description="invitations")
    def invitations_list(self, delivery: TriggerDelivery) -> str:
        rows = ((invitation.pk, invitation.email, invitation.get_status_display())
                for invitation in delivery.invitations.all())  # fmt: skip
        return format_html_join(mark_safe("<br>"), "{}: {} ({})", rows) or "—"

    @admin.display(description="outcome")
    def outcome_text(self, delivery: TriggerDelivery) -> str:
        return format_html("<pre>{}</pre>", delivery.outcome or "—")

    @admin.display(description="payload")
    def payload_text(self, delivery: TriggerDelivery) -> str:
        return format_html("<pre>{}</pre>", delivery.payload)

    @admin.action(description="Reprocess the selected deliveries", permissions=["reprocess"])
    def reprocess(self, request, queryset) -> None:
        for delivery in queryset:
            delivery_reprocess(delivery=delivery)
            self.log_change(request, delivery, "Reprocess")
        messages.success(request, f"{len(queryset)} deliveries will be processed again.")

    def has_reprocess_permission(self, request) -> bool:
        return request.user.has_perm("integrations.change_triggerdelivery")
