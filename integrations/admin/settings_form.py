"""The form of the sync settings page: every setting of `SECTIONS`, checked before saving.

Settings with choices are radio buttons, the kinds written back are checkboxes and the
activity field map is one input per kind and attribute; the pipeline stage and the won value
field are selects of what the org offers (its open stages in order, Opportunity's currency
fields, each with "Not sure"), and the fallback owner one of its active users (or none), or
text inputs with the reason when the org cannot be read.
What needs the org is checked against it here, with the same checks `crm_settings import`
uses: state and country picklists whenever they are on, the activity field map when it
changed or custom Task fields are chosen, the pipeline settings unless "not sure", the
fallback owner when it changed.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.text import capfirst

from integrations.admin.activity_field_map import ActivityFieldMapField
from integrations.choices import ActivityStorage
from integrations.exceptions import ConfigurationError
from integrations.models import SyncSettings
from integrations.models.sync_settings import NOT_SURE
from integrations.selectors import OrgFields, OrgPipeline
from integrations.services.settings import (
    NEEDS_ACTIVITY_MAP,
    field_map_has_fields,
    picklists_check,
)
from integrations.services.settings_owner import OrgUsers, fallback_owner_check
from integrations.services.settings_pipeline import pipeline_settings_check
from integrations.services.settings_schema import (
    SETTINGS_KEYS,
    activity_field_map_error,
    user_id_error,
    write_back_items_error,
)
from integrations.services.settings_task_fields import activity_field_map_check
from tracking.choices import ActivityKind

PICKLISTS_NOT_CONNECTED = (
    "Connect Salesforce first (Salesforce connection page): whether the org has state and "
    "country picklists is checked before they are turned on."
)
PICKLISTS_ON = "Your org uses state and country picklists: turn this on."
PICKLISTS_OFF = "Your org has no state and country picklists: leave this off."
PICKLISTS_UNKNOWN = "Connect Salesforce to see whether your org uses state and country picklists."
FIELD_MAP_NOT_CONNECTED = (
    "Connect Salesforce first (Salesforce connection page): the activity field map is checked "
    "against the org's Task fields before it is saved."
)
FIELD_MAP_HELP = (
    "For “Mapped custom Task fields”: the custom Task field (its API name, e.g. "
    "Percent_Viewed__c) that receives each attribute of a visit, document link or room link; "
    "an attribute left blank goes into the Task's Description. Create the fields on the "
    "Activity object in Salesforce Setup. When saved, each field is checked against the org: "
    "it must exist, be editable by the integration user, and be of a type that fits."
)
PIPELINE_NOT_CONNECTED = (
    "Connect Salesforce first (Salesforce connection page): the pipeline settings are checked "
    "against the org's Opportunity stages and fields before they are saved."
)
OWNER_NOT_CONNECTED = (
    "Connect Salesforce first (Salesforce connection page): the fallback owner is checked to "
    "be an active user of the org before it is saved."
)
NO_FALLBACK_OWNER = "None: the integration user owns the record"
NOT_SURE_LABELS = {
    "pipeline_stage": "Not sure (every open opportunity)",
    "won_value_field": "Not sure (Amount)",
}
WRITE_BACK_ITEMS_HELP = (
    "The kinds of sales users' activity written to Salesforce when “sync data back to your "
    "CRM” is on. An item marked “Copy to CRM” is written whatever its kind."
)


def _model_field(name: str):
    return SyncSettings._meta.get_field(name)


class SyncSettingsForm(forms.ModelForm):
    """Every setting of `SECTIONS`; a setting with choices shows them as radio buttons."""

    write_back_items = forms.MultipleChoiceField(
        label=capfirst(_model_field("write_back_items").verbose_name),
        choices=ActivityKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=WRITE_BACK_ITEMS_HELP,
    )
    activity_field_map = ActivityFieldMapField(
        label=capfirst(_model_field("activity_field_map").verbose_name), help_text=FIELD_MAP_HELP
    )

    class Meta:
        model = SyncSettings
        fields = list(SETTINGS_KEYS)
        widgets = {name: forms.RadioSelect for name in SETTINGS_KEYS if _model_field(name).choices}
        labels = {"sync_interval_minutes": "sync interval (minutes)"}
        help_texts = {
            "task_sync": (
                "The master switch of activity tracking: document visits, links and rooms as "
                "Tasks, and sales users' activities when “sync data back to your CRM” is on. "
                "Off: none of the settings below write anything."
            ),
            "activity_storage": (
                "Where the details of visits, links and rooms go on their Task: all in the "
                "Description (Comments), or in the custom Task fields the map below names "
                "(numbers as numbers), with the attributes it leaves out in the Description."
            ),
        }

    org: OrgFields | None = None  # set per request by the admin (`_org_fields`)
    pipeline: OrgPipeline | None = None  # likewise (`_org_pipeline`)
    users: OrgUsers | None = None  # likewise (`_org_users`)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("state_country_picklists")
        if field is not None and self.org is not None:
            said = {True: PICKLISTS_ON, False: PICKLISTS_OFF, None: PICKLISTS_UNKNOWN}
            field.help_text = f"{said[self.org.picklists]} {field.help_text}"
        if self.pipeline is not None:
            offered = {
                "pipeline_stage": {stage: stage for stage in self.pipeline.stages},
                "won_value_field": {
                    name: f"{label} ({name})"
                    for name, label in self.pipeline.currency_fields.items()
                },
            }
            for name, options in offered.items():
                if name in self.fields:
                    self._offer(name, options)

        if self.users is not None and "fallback_owner_id" in self.fields:
            self._offer_users()

    def _offer_users(self) -> None:
        """The fallback owner: a select of the org's active users, or a text input with the
        reason they could not be read."""
        field = self.fields["fallback_owner_id"]
        if self.users.unavailable:
            field.help_text = format_html("{} {}", self.users.unavailable, field.help_text)
            return
        current = self["fallback_owner_id"].value()
        choices = [("", NO_FALLBACK_OWNER), *self.users.users.items()]
        if current and current not in self.users.users:
            choices.append((current, f"{current} (not an active user of your org)"))
        field.widget = forms.Select(choices=choices)

    def _offer(self, name: str, options: dict[str, str]) -> None:
        """A select of what the org offers; a stored value it does not offer stays visible
        (and is refused when saved); the reason, when the org could not be read."""
        field = self.fields[name]
        if self.pipeline.unavailable:
            # The admin shows help texts unescaped; the reason quotes Salesforce's message.
            field.help_text = format_html("{} {}", self.pipeline.unavailable, field.help_text)
            return
        current = self[name].value()
        choices = [(NOT_SURE, NOT_SURE_LABELS[name]), *options.items()]
        if current and current != NOT_SURE and current not in options:
            choices.append((current, f"{current} (not offered by your org)"))
        field.widget = forms.Select(choices=choices)

    def clean_pipeline_stage(self):
        return self._checked_pipeline_setting("pipeline_stage")

    def clean_won_value_field(self):
        return self._checked_pipeline_setting("won_value_field")

    def _checked_pipeline_setting(self, name: str) -> str:
        value = self.cleaned_data[name]
        if value == NOT_SURE:
            return value
        try:
            problems = pipeline_settings_check(values={name: value})
        except ConfigurationError as error:
            if name not in self.changed_data:
                return value  # saved before: nothing to check it against until connected
            raise ValidationError(PIPELINE_NOT_CONNECTED) from error
        if problems:
            raise ValidationError([message for _, message in problems])
        return value

    def clean_fallback_owner_id(self):
        """An active user of the org, checked whenever it changes (or empty); saved as the
        18-character id the org returns."""
        value = self.cleaned_data["fallback_owner_id"].strip()
        error = user_id_error(value)
        if error:
            raise ValidationError(error)
        if not value or "fallback_owner_id" not in self.changed_data:
            return value
        try:
            checked = fallback_owner_check(value=value)
        except ConfigurationError as error:
            raise ValidationError(OWNER_NOT_CONNECTED) from error
        if checked.problem:
            raise ValidationError(checked.problem)
        return checked.user_id

    def clean_write_back_items(self):
        chosen = set(self.cleaned_data["write_back_items"])
        items = [kind for kind in ActivityKind.values if kind in chosen]  # one order, always
        error = write_back_items_error(items)
        if error:
            raise ValidationError(error)
        return items

    def clean_activity_field_map(self):
        value = self.cleaned_data["activity_field_map"] or {}
        error = activity_field_map_error(value)
        if error:
            raise ValidationError(error)
        return value

    def clean_state_country_picklists(self):
        """On is checked against the org whenever it is saved (turning it on needs a
        connection): without the *Code fields every later cycle would fail."""
        value = self.cleaned_data["state_country_picklists"]
        if not value:
            return value
        try:
            problems = picklists_check()
        except ConfigurationError as error:
            if self.instance.state_country_picklists:
                return value  # on already: nothing to check it against until connected
            raise ValidationError(PICKLISTS_NOT_CONNECTED) from error
        if problems:
            raise ValidationError(problems)
        return value

    def clean(self):
        data = super().clean()
        if "activity_field_map" not in data:
            return data  # malformed: its own error says why
        field_map = data["activity_field_map"]
        custom = data.get("activity_storage") == ActivityStorage.CUSTOM_FIELDS
        if custom and not field_map_has_fields(field_map):
            self.add_error("activity_field_map", NEEDS_ACTIVITY_MAP)
        elif field_map and (
            "activity_field_map" in self.changed_data
            or (custom and "activity_storage" in self.changed_data)
        ):
            self._check_task_fields(field_map)
        return data

    def _check_task_fields(self, field_map: dict) -> None:
        try:
            problems = activity_field_map_check(field_map=field_map)
        except ConfigurationError:
            self.add_error("activity_field_map", FIELD_MAP_NOT_CONNECTED)
            return
        for where, message in problems:
            self.add_error("activity_field_map", f"{where}: {message}" if where else message)
        widget = self.fields["activity_field_map"].widget
        widget.invalid = frozenset(where for where, _ in problems if where)
