"""The activity field map on the sync settings page: one text input per kind and attribute.

The stored shape is `{"visits"|"links"|"rooms": {attribute: "Task_Field__c"}}`; the page shows
it as a table per kind, each attribute with its label and the Task field types it fits, so
nobody has to write JSON. An empty input leaves the attribute in the Task's Description.
"""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join

from integrations.services.settings_task_fields import fitting_fields
from integrations.sync.activities.attributes import ACTIVITY_ATTRIBUTES, LABELS

KIND_LABELS = {"visits": "Visits", "links": "Document links", "rooms": "Room links"}
# (kind, attribute) of every input, in the order of ACTIVITY_ATTRIBUTES
SLOTS = [(kind, attribute) for kind, names in ACTIVITY_ATTRIBUTES.items() for attribute in names]


class ActivityFieldMapWidget(forms.MultiWidget):
    """A table per kind: attribute (label, name, fitting types) and its Task field input.
    The inputs named in `invalid` ("kind.attribute") are marked as the ones in error."""

    invalid: frozenset[str] = frozenset()

    def __init__(self, attrs=None):
        inputs = {
            f"{kind}_{attribute}": forms.TextInput(
                attrs={"autocomplete": "off", "spellcheck": "false", "size": 32}
            )
            for kind, attribute in SLOTS
        }
        super().__init__(inputs, attrs)

    def decompress(self, value):
        field_map = value if isinstance(value, dict) else {}
        kinds = {kind: fields for kind, fields in field_map.items() if isinstance(fields, dict)}
        return [kinds.get(kind, {}).get(attribute, "") for kind, attribute in SLOTS]

    def render(self, name, value, attrs=None, renderer=None):
        subwidgets = self.get_context(name, value, attrs)["widget"]["subwidgets"]
        inputs, ids = {}, {}
        for slot, widget, sub in zip(SLOTS, self.widgets, subwidgets, strict=True):
            attrs = dict(sub["attrs"])
            if self.invalid:  # only these inputs, not all the field's, are in error
                attrs.pop("aria-invalid", None)
                if ".".join(slot) in self.invalid:
                    attrs.update({"aria-invalid": "true", "class": "crmb-invalid"})
            inputs[slot] = widget.render(sub["name"], sub["value"], attrs, renderer)
            ids[slot] = attrs.get("id", "")
        tables = format_html_join("", "{}", ((_table(kind, inputs, ids),) for kind in KIND_LABELS))
        marked = " crmb-marked" if self.invalid else ""
        return format_html('<div class="crmb-field-map{}">{}</div>', marked, tables)


def _table(kind: str, inputs: dict, ids: dict) -> str:
    rows = format_html_join(
        "",
        '<tr><td><label for="{}">{}</label> <code>{}</code>'
        '<div class="crmb-hint">{}</div></td><td>{}</td></tr>',
        (
            (ids[(kind, attribute)], LABELS[attribute], attribute, fitting_fields(fits),
             inputs[(kind, attribute)])
            for attribute, fits in ACTIVITY_ATTRIBUTES[kind].items()
        ),
    )  # fmt: skip
    return format_html(
        '<table class="crmb-field-map-kind" id="field-map-{}"><caption>{}</caption>'
        "<thead><tr><th>Attribute</th><th>Task field (API name)</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        kind,
        KIND_LABELS[kind],
        rows,
    )


class ActivityFieldMapField(forms.MultiValueField):
    """The nested field map from its inputs; blank inputs are left out (and a kind with none
    mapped). The map's shape and its fields are checked by the form."""

    widget = ActivityFieldMapWidget

    def __init__(self, **kwargs):
        super().__init__(
            fields=[forms.CharField(required=False) for _ in SLOTS],
            require_all_fields=False,
            required=False,
            **kwargs,
        )

    def compress(self, data_list):
        field_map: dict[str, dict[str, str]] = {}
        for (kind, attribute), name in zip(SLOTS, data_list or [], strict=False):
            if name:
                field_map.setdefault(kind, {})[attribute] = name
        return field_map
