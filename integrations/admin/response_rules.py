"""Console section: what survey responses write to Salesforce (rules and Web-to-Lead).

A rule is edited with its survey as a field, its field assignments and its condition groups
inline (a group's conditions on the group's own page, linked from the rule). Saving checks
the rule and every assignment against the connected org's describe()
(`services.response_rules`): a missing object or field, a read-only field or an answer that
does not fit the field's type is a form error, and nothing is saved.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from integrations.exceptions import SalesforceError
from integrations.models import (
    ConditionGroup,
    FieldAssignment,
    ResponseCondition,
    ResponseRule,
    WebToLead,
)
from integrations.models.response_mappings import OnExistingPerson, RuleOperation
from integrations.salesforce.client import SalesforceClient
from integrations.services.response_rules import assignment_problems, rule_object_problems

NOT_CONNECTED = "Connect Salesforce first: rules are checked against the org's objects."


def _client() -> tuple[SalesforceClient | None, str]:
    """The connected org's client, or why there is none."""
    from integrations.services.connection import salesforce_client

    try:
        return salesforce_client(), ""
    except SalesforceError:
        return None, NOT_CONNECTED


class ResponseRuleForm(forms.ModelForm):
    class Meta:
        model = ResponseRule
        fields = "__all__"

    checked_fields = (
        "operation",
        "salesforce_object",
        "record_id_key",
        "external_id_field",
        "external_id_source",
        "external_id_value",
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        client, error = _client()
        if client is None:
            raise forms.ValidationError(error)
        fields = {name: cleaned.get(name) or "" for name in ResponseRuleForm.checked_fields}
        problems = rule_object_problems(client, rule=ResponseRule(**fields))
        if problems:
            raise forms.ValidationError(problems)
        return cleaned


class AssignmentFormSet(forms.BaseInlineFormSet):
    """Checks each field assignment against the object its rule (or Web-to-Lead) writes."""

    def clean(self):
        super().clean()
        target = self._target()
        if target is None:
            return
        client, error = _client()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("salesforce_field"):
                continue
            if client is None:
                form.add_error(None, error)
                continue
            assignment = FieldAssignment(
                salesforce_field=data["salesforce_field"],
                source=data.get("source") or "",
                value=data.get("value") or "",
            )
            for problem in assignment_problems(client, assignment=assignment, **target):
                form.add_error(None, problem)

    def _target(self) -> dict | None:
        parent = self.instance
        if isinstance(parent, WebToLead):
            updates = parent.on_existing == OnExistingPerson.UPDATE
            operation = RuleOperation.UPSERT if updates else RuleOperation.INSERT
            return {"survey": parent.survey, "operation": operation, "sobject": "Lead"}
        if not (parent.salesforce_object and parent.operation and parent.survey_id):
            return None
        return {
            "survey": parent.survey,
            "operation": parent.operation,
            "sobject": parent.salesforce_object,
        }


class AssignmentInline(admin.TabularInline):
    model = FieldAssignment
    formset = AssignmentFormSet
    extra = 1
    exclude = ("web_to_lead",)
    verbose_name = "field"
    verbose_name_plural = "fields (Salesforce field ← source)"


class WebToLeadAssignmentInline(AssignmentInline):
    exclude = ("rule",)
    verbose_name_plural = "Lead fields (Lead field ← source)"


class ConditionGroupInline(admin.TabularInline):
    model = ConditionGroup
    extra = 0
    exclude = ("web_to_lead",)
    show_change_link = True
    verbose_name_plural = "condition groups (every group must hold; edit a group's conditions"
    " on its page)"


class WebToLeadConditionGroupInline(ConditionGroupInline):
    exclude = ("rule",)


@admin.register(ResponseRule)
class ResponseRuleAdmin(admin.ModelAdmin):
    form = ResponseRuleForm
    list_display = ("__str__", "survey", "operation", "salesforce_object", "position", "enabled")
    list_filter = ("survey", "operation", "enabled")
    inlines = (AssignmentInline, ConditionGroupInline)


@admin.register(WebToLead)
class WebToLeadAdmin(admin.ModelAdmin):
    list_display = ("__str__", "enabled", "on_existing")
    inlines = (WebToLeadAssignmentInline, WebToLeadConditionGroupInline)


class ConditionInline(admin.TabularInline):
    model = ResponseCondition
    extra = 1


@admin.register(ConditionGroup)
class ConditionGroupAdmin(admin.ModelAdmin):
    list_display = ("__str__", "rule", "web_to_lead")
    inlines = (ConditionInline,)

    def has_module_permission(self, request) -> bool:
        return False  # reached from its rule or Web-to-Lead settings
