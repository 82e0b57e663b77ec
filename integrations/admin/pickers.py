"""Field pickers of the sync settings page: local fields and Salesforce fields as choices.

Local fields (of mappings and inclusion rules) are text inputs with a shared <datalist> of the
model's fields and a `properties.` entry for custom properties, so any property key can still
be typed; the forms validate what is typed. Salesforce fields are a <select> grouped by object,
built from the org's describe() (`selectors.org_fields`); each option says which object it
belongs to and which local fields it can hold, and the options that do not fit the row are
hidden (on the server for the row as rendered, by the page's script when the row changes).
"""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join

from integrations.sync.mapping_validation import LOCAL_FIELDS, fitting_local_fields
from integrations.sync.rules.fields import PROPERTY_PREFIX
from integrations.sync.rules.inclusion import RULE_FIELDS

PROPERTY_OPTION = (PROPERTY_PREFIX, "other property… (type its key after “properties.”)")


class DatalistInput(forms.TextInput):
    """A text input suggesting values from a <datalist> the page renders once (`datalist`):
    its id has no row number, so rows added in the browser share it."""

    def __init__(self, *, list_id: str, options: list[tuple[str, str]], attrs=None):
        super().__init__(attrs={"list": list_id, "autocomplete": "off", **(attrs or {})})
        self.list_id = list_id
        self.options = options

    def datalist(self) -> str:
        options = format_html_join("", '<option value="{}">{}</option>', self.options)
        return format_html('<datalist id="{}">{}</datalist>', self.list_id, options)


def rule_field_input() -> DatalistInput:
    """The inclusion rule's field: a contact field, or properties.<key>."""
    options = [(name, name.replace("_", " ").capitalize()) for name in RULE_FIELDS]
    return DatalistInput(list_id="crmb-rule-fields", options=[*options, PROPERTY_OPTION])


def local_field_input() -> DatalistInput:
    """A mapping's local field: contact fields (Leads, Contacts), company fields (Accounts)."""
    kinds: dict[str, list[str]] = {}
    for sobject, fields in LOCAL_FIELDS.items():
        for name in fields:
            kinds.setdefault(name, []).append(sobject)
    options = [(name, f"{name} ({', '.join(objects)})") for name, objects in kinds.items()]
    return DatalistInput(list_id="crmb-local-fields", options=[*options, PROPERTY_OPTION])


class SalesforceFieldSelect(forms.Select):
    """The org's fields grouped by object; options that cannot hold the row's local field
    are hidden. Set `row` to the (object, local field) the row is rendered with."""

    def __init__(self, *, fields: dict[str, dict[str, dict]], attrs=None):
        super().__init__(attrs={"class": "crmb-sf-field", **(attrs or {})})
        self.fits: dict[tuple[str, str], list[str]] = {}
        groups = []
        for sobject, described in fields.items():
            options = []
            for name, field in sorted(described.items()):
                fits = fitting_local_fields(field, salesforce_object=sobject)
                if not fits:
                    continue  # compound (address, location) or other types nothing maps to
                self.fits[(sobject, name)] = fits
                options.append((name, _label(field)))
            groups.append((sobject, options))
        self.choices = [("", "---------"), *groups]
        self.row: tuple[str, str] = ("", "")

    def optgroups(self, name, value, attrs=None):
        groups = super().optgroups(name, value, attrs)
        current = value[0] if value and value[0] else ""
        options = [option for _, group, _ in groups for option in group]
        same = [option for option in options if current and str(option["value"]) == current]
        if current and not same:
            # a stored field the org no longer describes: keep it, so saving keeps it too
            missing = self.create_option(name, current, f"{current} (not in the org's fields)",
                                         True, len(groups))  # fmt: skip
            groups.append((self.row[0] or None, [missing], len(groups)))
        # the row's own object's option is the selected one (Lead and Contact share names)
        chosen = next((o for o in same if o["attrs"].get("data-object") == self.row[0]), None)
        chosen = chosen or (same[0] if same else None)
        for option in options:
            option["selected"] = option is chosen
            option["attrs"].pop("selected", None)
            if option is chosen:
                option["attrs"].update(self.checked_attribute)
            elif self._hides(option):
                option["attrs"]["hidden"] = True
        return groups

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        group = self.choices[index][0] if 0 < index < len(self.choices) else ""
        fits = self.fits.get((group, value))
        if fits is not None:
            option["attrs"].update({"data-object": group, "data-fits": " ".join(fits)})
        return option

    def _hides(self, option: dict) -> bool:
        sobject, local = self.row
        group = option["attrs"].get("data-object")
        if not sobject or group is None:
            return False
        return not _fits_row(group, option["attrs"]["data-fits"].split(), sobject, local)


def _fits_row(group: str, fits: list[str], sobject: str, local: str) -> bool:
    if group != sobject:
        return False
    if not local:
        return True
    key = "properties" if local.startswith(PROPERTY_PREFIX) else local
    return key in fits


def _label(field: dict) -> str:
    label = f"{field.get('label') or field['name']} ({field['name']}, {field.get('type', '')})"
    if not (field.get("createable") and field.get("updateable")):
        label += " · read-only"
    return label
