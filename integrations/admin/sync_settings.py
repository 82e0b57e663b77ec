"""Console section 2: the sync settings, one page in sections (HubSpot's settings page).

The inclusion rules and the field mappings are edited on the same page. Field mappings have
no foreign key to the settings row, so they use a plain model formset shown like an inline.
Saving goes through `sync_settings_update` in one transaction; a mapping that was added or
changed is checked against the org's describe() first, so a wrong one is a form error.
"Preview these settings" takes the same valid form and runs a sync preview with it instead
of saving it (`admin/previews.py`).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.checks import InlineModelAdminChecks
from django.contrib.admin.utils import construct_change_message
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, BaseModelFormSet, modelformset_factory
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from integrations.admin.changes import changes_message, form_changes, formset_changes
from integrations.admin.pickers import (
    DatalistInput,
    SalesforceFieldSelect,
    local_field_input,
    rule_field_input,
)
from integrations.admin.previews import preview_start
from integrations.admin.settings_form import SyncSettingsForm
from integrations.admin.singleton import SingletonAdmin
from integrations.admin.writeback_test import WriteBackTestViews
from integrations.choices import InclusionMode
from integrations.exceptions import ConfigurationError
from integrations.models import FieldMapping, InclusionRule, SalesforceConnection, SyncSettings
from integrations.models.sync_settings import SECTIONS
from integrations.schedules import sync_schedule
from integrations.selectors import (
    OrgFields,
    OrgPipeline,
    delete_brake_holding,
    inclusion_preview,
    org_fields,
    org_pipeline,
)
from integrations.services.settings import (
    MAPPING_KEYS,
    NEEDS_RULES,
    RULE_KEYS,
    field_mapping_check,
    sync_settings_check,
    sync_settings_update,
)
from integrations.services.settings_owner import OrgUsers, org_active_users
from integrations.services.settings_schema import SETTINGS_KEYS
from integrations.sync.mapping_validation import local_field_error
from integrations.sync.rules.inclusion import RULE_FIELDS, Rule, validate_rule

LISTS = {InclusionRule: ("inclusion_rules", RULE_KEYS), FieldMapping: ("mappings", MAPPING_KEYS)}
PREVIEW_BUTTON = "_sync_preview"  # the submit button that previews instead of saving
NOT_CONNECTED = (
    "Connect Salesforce first (Salesforce connection page): mappings are checked against "
    "the org's fields before they are saved."
)


class InclusionRuleForm(forms.ModelForm):
    class Meta:
        model = InclusionRule
        fields = list(RULE_KEYS)
        widgets = {"field": rule_field_input()}
        help_texts = {"field": f"One of {', '.join(RULE_FIELDS)}, or properties.<key>."}

    def clean(self):
        data = super().clean()
        if not self.errors:
            validate_rule(data.get("field", ""), data.get("operator", ""), data.get("value", ""))
        return data


class InclusionRuleFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [form for form in self.forms if _kept(form)]
        if self.instance.inclusion_mode != InclusionMode.NONE and not kept:
            raise ValidationError(NEEDS_RULES)


class InclusionRuleInline(admin.TabularInline):
    model = InclusionRule
    form = InclusionRuleForm
    formset = InclusionRuleFormSet
    extra = 1
    verbose_name_plural = "inclusion list rules"


class FieldMappingForm(forms.ModelForm):
    """A mapping row; when added or changed, it is checked against the org's describe()."""

    class Meta:
        model = FieldMapping
        fields = list(MAPPING_KEYS)
        widgets = {"local_field": local_field_input()}

    org: OrgFields | None = None  # set per request by the inline (`_org_fields`)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.org is not None and not self.org.unavailable:
            picker = SalesforceFieldSelect(fields=self.org.fields)
            picker.row = (
                self["salesforce_object"].value() or "",
                self["local_field"].value() or "",
            )
            self.fields["salesforce_field"].widget = picker

    def clean(self):
        data = super().clean()
        if self.errors or not self.has_changed() or data.get("DELETE"):
            return data
        error = local_field_error(
            salesforce_object=data["salesforce_object"], local_field=data["local_field"]
        )
        if error:
            self.add_error("local_field", error)
            return data
        try:
            problems = field_mapping_check(mapping={key: data[key] for key in MAPPING_KEYS})
        except ConfigurationError as error:
            raise ValidationError(NOT_CONNECTED) from error
        if problems:
            raise ValidationError(problems)
        return data


class FieldMappingFormSet(BaseModelFormSet):
    """A model formset that the admin can treat as an inline of the settings row."""

    def __init__(self, *args, instance=None, save_as_new=False, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)

    @classmethod
    def get_default_prefix(cls) -> str:
        return "mappings"


class UnrelatedInlineChecks(InlineModelAdminChecks):
    """Field mappings belong to the settings page without a foreign key to the settings."""

    def _check_relation(self, obj, parent_model):
        return []

    def _check_exclude_of_parent_model(self, obj, parent_model):
        return []


class FieldMappingInline(admin.TabularInline):
    model = FieldMapping
    checks_class = UnrelatedInlineChecks
    fields = list(MAPPING_KEYS)
    verbose_name_plural = "field mappings"

    def get_formset(self, request, obj=None, **kwargs):
        form = type("FieldMappingForm", (FieldMappingForm,), {"org": _org_fields(request)})
        return modelformset_factory(
            FieldMapping,
            form=form,
            formset=FieldMappingFormSet,
            fields=list(MAPPING_KEYS),
            extra=1,
            can_delete=True,
        )


@admin.register(SyncSettings)
class SyncSettingsAdmin(WriteBackTestViews, SingletonAdmin):
    form = SyncSettingsForm
    inlines = [InclusionRuleInline, FieldMappingInline]
    change_form_template = "admin/integrations/syncsettings/change_form.html"
    fieldsets = [
        (section.title, {"fields": list(section.fields), "description": section.description})
        for section in SECTIONS
    ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        settings = SyncSettings.load()
        context = {
            "schedule": sync_schedule(),
            "connected": SalesforceConnection.load().is_connected,
            "delete_brake": delete_brake_holding(),
            **self.writeback_test_context(request),
            **(extra_context or {}),
        }
        return super().change_view(request, str(settings.pk), form_url, context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        context = {"org": _org_fields(request), "pipeline": _org_pipeline(request),
                   "users": _org_users(request)}  # fmt: skip
        return type(form.__name__, (form,), context)

    def render_change_form(self, request, context, *args, **kwargs):
        """Adds the pickers' shared datalists and why the org's fields are unavailable."""
        widgets = [
            field.widget
            for inline in context.get("inline_admin_formsets", [])
            for field in inline.formset.empty_form.fields.values()
            if isinstance(field.widget, DatalistInput)
        ]
        lists = {widget.list_id: widget.datalist() for widget in widgets}
        context.update(datalists=list(lists.values()), org_fields=_org_fields(request))
        return super().render_change_form(request, context, *args, **kwargs)

    def save_model(self, request, obj, form, change):
        """Nothing here: `save_related` saves the settings with their rules and mappings."""

    def save_related(self, request, form, formsets, change):
        document = {key: form.cleaned_data[key] for key in SETTINGS_KEYS}
        for formset in formsets:
            name, keys = LISTS[formset.model]
            document[name] = [
                {key: item.cleaned_data[key] for key in keys}
                for item in formset.forms
                if _kept(item)
            ]
        if PREVIEW_BUTTON in request.POST:
            sync_settings_check(data=document)
            request._crmb_preview = preview_start(
                request, log=self.log_addition, action="Preview these settings",
                settings_document=document,
            )  # fmt: skip
            return
        sync_settings_update(data=document)
        changes = form_changes(form)
        for formset in formsets:
            changes += formset_changes(formset)
        messages.success(request, changes_message(changes, saved="Sync settings saved"))

    def log_change(self, request, obj, message):
        """A preview changed no setting: only the preview is logged (`save_related`)."""
        if getattr(request, "_crmb_preview", None) is None:
            return super().log_change(request, obj, message)
        return None

    def response_change(self, request, obj):
        """After a preview of the form's settings: its report."""
        preview = getattr(request, "_crmb_preview", None)
        if preview is None:
            return super().response_change(request, obj)
        return redirect(reverse("admin:integrations_syncpreview_change", args=[preview.pk]))

    def construct_change_message(self, request, form, formsets, add=False):
        message = construct_change_message(form, [], add)
        changed = [formset.model._meta.verbose_name_plural for formset in formsets
                   if formset.has_changed()]  # fmt: skip
        if changed:
            message.append({"changed": {"fields": [str(name) for name in changed]}})
        return message

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("preview/", view(self.preview_view), name=self._name("preview")),
            *self.writeback_test_urls(),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def preview_view(self, request):
        """Count and sample of the contacts the posted (unsaved) inclusion list lets through."""
        self._require_change_permission(request)
        settings = SyncSettings.load()
        settings.inclusion_mode = request.POST.get("inclusion_mode", settings.inclusion_mode)
        if settings.inclusion_mode not in InclusionMode.values:
            return self._preview_response(request, errors=["Choose an inclusion list mode."])
        FormSet = InclusionRuleInline(SyncSettings, self.admin_site).get_formset(request, settings)
        formset = FormSet(data=request.POST, instance=settings, prefix="rules")
        if not formset.is_valid():
            return self._preview_response(request, errors=_formset_errors(formset))
        rules = [
            Rule(**{key: form.cleaned_data[key] for key in RULE_KEYS})
            for form in formset.forms
            if _kept(form)
        ]
        count, sample = inclusion_preview(mode=settings.inclusion_mode, rules=rules)
        return self._preview_response(request, count=count, sample=sample)

    def _preview_response(self, request, *, count=None, sample=(), errors=()):
        if "application/json" in request.headers.get("Accept", ""):
            return JsonResponse(
                {
                    "count": count,
                    "sample": [{"id": item.pk, "email": item.email} for item in sample],
                    "errors": list(errors),
                },
                status=400 if errors else 200,
            )
        context = {"count": count, "sample": sample, "errors": errors}
        return TemplateResponse(request, "admin/integrations/syncsettings/preview.html", context)


def _org_fields(request) -> OrgFields:
    """The org's fields, read once per request (the page's form and its rows share them)."""
    if not hasattr(request, "_crmb_org_fields"):
        request._crmb_org_fields = org_fields()
    return request._crmb_org_fields


def _org_pipeline(request) -> OrgPipeline:
    """The org's stages and currency fields, read once per request."""
    if not hasattr(request, "_crmb_org_pipeline"):
        request._crmb_org_pipeline = org_pipeline()
    return request._crmb_org_pipeline


def _org_users(request) -> OrgUsers:
    """The org's active users (the fallback owner's picker), read once per request."""
    if not hasattr(request, "_crmb_org_users"):
        request._crmb_org_users = org_active_users()
    return request._crmb_org_users


def _kept(form) -> bool:
    """A formset row that holds data and is not marked for deletion."""
    data = getattr(form, "cleaned_data", None)
    return bool(data) and not data.get("DELETE")


def _formset_errors(formset) -> list[str]:
    errors = list(formset.non_form_errors())
    for index, form_errors in enumerate(formset.errors, start=1):
        for field, texts in form_errors.items():
            label = "" if field == "__all__" else f"{field}: "
            errors += [f"Rule {index}: {label}{text}" for text in texts]
    return errors
