"""The activity field map checked against the org's Task describe(): the one check the
console's save and `crm_settings import` both use.

Each mapped field must exist on Task, be a custom field other than CRM Bridge's own external
id, be createable and updateable by the integration user (visits are updated as they
progress), and be of a type its attribute fits (`ACTIVITY_ATTRIBUTES`). A problem names where
it is (`visits.percent_viewed`) and what to do.
"""

from __future__ import annotations

from integrations.exceptions import SalesforceError
from integrations.salesforce.client import SalesforceClient
from integrations.services.connection import salesforce_client
from integrations.sync.activities.attributes import ACTIVITY_ATTRIBUTES
from integrations.sync.activities.external_ids import TASK_EXTERNAL_ID

# (where: "kind.attribute", or "" for the whole map; what is wrong)
Problem = tuple[str, str]

# What a describe() type is called in Setup (the field's own type).
TYPE_NAMES = {
    "string": "text", "textarea": "text area", "double": "number", "int": "number",
    "long": "number", "percent": "percent", "currency": "currency", "url": "URL",
    "email": "email", "phone": "phone", "date": "date", "datetime": "date/time",
    "time": "time", "boolean": "checkbox", "picklist": "picklist",
    "multipicklist": "multi-select picklist", "reference": "lookup",
}  # fmt: skip
# What a kind of field an attribute fits is called (several describe() types each).
FITS_NAMES = {
    "string": "text", "textarea": "text", "double": "number", "int": "number",
    "percent": "number", "currency": "number", "url": "URL", "email": "email",
}  # fmt: skip


def activity_field_map_check(
    *, field_map: dict, client: SalesforceClient | None = None
) -> list[Problem]:
    """Every problem of a well-formed field map against the org's Task fields (its
    describe(), read afresh); without a client, the connected org's (ConfigurationError when
    none is)."""
    client = client or salesforce_client()
    try:
        fields = client.fields("Task", fresh=True)  # a field made just now counts
    except SalesforceError as error:
        reason = f"Could not read the Task fields from Salesforce: {error}."
        return [("", " ".join(filter(None, [reason, error.hint])))]
    return task_field_problems(field_map=field_map, fields=fields)


def task_field_problems(*, field_map: dict, fields: dict[str, dict]) -> list[Problem]:
    """The problems of a well-formed field map, given Task's describe() fields."""
    problems = []
    for kind, attributes in field_map.items():
        for attribute, name in attributes.items():
            allowed = ACTIVITY_ATTRIBUTES[kind][attribute]
            problem = _field_problem(fields, name, allowed)
            if problem:
                problems.append((f"{kind}.{attribute}", problem))
    return problems


def _field_problem(fields: dict[str, dict], name: str, allowed: tuple[str, ...]) -> str | None:
    described = fields.get(name)
    if described is None:
        return _unknown_field(fields, name)
    if name == TASK_EXTERNAL_ID:
        return f"Task.{name} is CRM Bridge's own external-id field: map another field."
    if described.get("calculated"):
        return f"Task.{name} is a formula field, which cannot be written: map another field."
    if not described.get("custom"):
        return f"Task.{name} is a standard field: map a custom field (its API name ends in __c)."
    if not (described.get("createable") and described.get("updateable")):
        return (
            f"Task.{name} is read-only for the integration user (it must be createable and "
            "updateable): grant edit access to the field, or map another."
        )
    kind = described.get("type", "")
    if kind not in allowed:
        described_as = _a(TYPE_NAMES.get(kind, kind))
        return f"Task.{name} is {described_as} field; use {fitting_fields(allowed)}."
    return None


def _unknown_field(fields: dict[str, dict], name: str) -> str:
    by_lower = {known.lower(): known for known in fields}
    if name.lower() in by_lower:
        return f"Task has no field “{name}”; the API name is {by_lower[name.lower()]}."
    return (
        f"Task has no field “{name}”. Check the API name (custom fields end in __c; create "
        "them on the Activity object) and the integration user's field-level security."
    )


def fitting_fields(allowed: tuple[str, ...]) -> str:
    """'a number or text field': the fields an attribute fits, by the describe() types."""
    names = list(dict.fromkeys(FITS_NAMES[kind] for kind in allowed))
    words = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"{_a(words)} field"


def _a(words: str) -> str:
    return f"{'an' if words[0] in 'aeio' else 'a'} {words}"
