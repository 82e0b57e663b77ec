"""Field mappings checked against the org's describe(), and the mappings a new install has.

`validate_mapping` takes the describe() fields of one object (`client.fields(obj)`) and
returns plain-language problems, so a wrong mapping is a form or import error instead of a
sync that fails at runtime. `picklists_missing` does the same for the state and country
picklists setting: the org must have the *Code fields it makes the sync read and write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from integrations.choices import MappingRule
from integrations.models import MappedObject
from integrations.sync.rules.fields import GEO_FIELDS, PROPERTY_PREFIX, is_property_key

TEXT_TYPES = frozenset({"string", "textarea", "email", "phone", "url", "picklist", "combobox"})
EMAIL_TYPES = frozenset({"email", "string"})
# What a free-form property may map to: any single value (not compound addresses, files...).
SCALAR_TYPES = TEXT_TYPES | {
    "boolean", "int", "long", "double", "currency", "percent", "date", "datetime", "time",
    "multipicklist", "id", "reference", "encryptedstring",
}  # fmt: skip

CONTACT_FIELDS = {
    "email": EMAIL_TYPES,
    "first_name": TEXT_TYPES,
    "last_name": TEXT_TYPES,
    "company": TEXT_TYPES,
    "title": TEXT_TYPES,
    "phone": TEXT_TYPES,
    "state": TEXT_TYPES,
    "country": TEXT_TYPES,
    "lifecycle_stage": TEXT_TYPES,
}
COMPANY_FIELDS = {"name": TEXT_TYPES, "domain": TEXT_TYPES, "website": TEXT_TYPES}
LOCAL_FIELDS = {
    MappedObject.LEAD: CONTACT_FIELDS,
    MappedObject.CONTACT: CONTACT_FIELDS,
    MappedObject.ACCOUNT: COMPANY_FIELDS,
}
READ_ONLY_RULES = frozenset({MappingRule.ALWAYS_SALESFORCE, MappingRule.OFF})

_PEOPLE_DEFAULTS = [
    ("email", "Email"), ("first_name", "FirstName"), ("last_name", "LastName"),
    ("company", "Company"), ("title", "Title"), ("phone", "Phone"),
    ("state", "State"), ("country", "Country"),
]  # fmt: skip
_CONTACT_RENAMES = {"State": "MailingState", "Country": "MailingCountry"}


# Checked when no State/Country field is mapped: the org setting is the same for every object.
PICKLIST_PROBES = (("Lead", "CountryCode"), ("Lead", "StateCode"))
PICKLISTS_HINT = (
    "Turn off “state and country picklists” in the sync settings (section State and country "
    "picklists), or turn on State and Country/Territory Picklists in Salesforce Setup."
)


def picklist_fields(mappings: Iterable[dict]) -> list[tuple[str, str]]:
    """(object, *Code field) the picklists setting makes the sync use, for these mappings."""
    wanted = [
        (item["salesforce_object"], f"{item['salesforce_field']}Code")
        for item in mappings
        if item["salesforce_field"] in GEO_FIELDS and item["rule"] != MappingRule.OFF
    ]
    return list(dict.fromkeys(wanted)) or list(PICKLIST_PROBES)


def picklists_missing(
    *, fields_of: Callable[[str], dict[str, dict]], wanted: Iterable[tuple[str, str]]
) -> list[str]:
    """The wanted *Code fields the org lacks, as Object.Field (`fields_of`: describe()
    fields per object); empty when it has state and country picklists."""
    return [f"{sobject}.{name}" for sobject, name in wanted if name not in fields_of(sobject)]


def picklists_refusal(missing: list[str]) -> str:
    """Why the setting cannot be turned on, for the console and `crm_settings import`."""
    return (
        f"Your Salesforce org has no state and country picklists (no {', '.join(missing)} "
        "field): turn on State and Country/Territory Picklists in Salesforce Setup first, or "
        "leave this off."
    )


def mappable_local_fields(salesforce_object: str) -> list[str]:
    """Local fields a mapping of this object may use (besides properties.<key>)."""
    return list(LOCAL_FIELDS.get(salesforce_object, {}))


def fits(described: dict, *, salesforce_object: str, local_field: str) -> bool:
    """Whether a described Salesforce field can hold this local field (its type only)."""
    if local_field.startswith(PROPERTY_PREFIX):
        return described.get("type") in SCALAR_TYPES
    allowed = LOCAL_FIELDS.get(salesforce_object, {}).get(local_field, frozenset())
    return described.get("type") in allowed


def fitting_local_fields(described: dict, *, salesforce_object: str) -> list[str]:
    """The local fields of this object a described field can hold (`properties` for any
    custom property), e.g. for the console's picker to hide the others."""
    names = [
        local
        for local in LOCAL_FIELDS.get(salesforce_object, {})
        if fits(described, salesforce_object=salesforce_object, local_field=local)
    ]
    has_properties = salesforce_object != MappedObject.ACCOUNT  # companies have none
    if has_properties and described.get("type") in SCALAR_TYPES:
        names.append("properties")
    return names


def default_mappings() -> list[dict[str, str]]:
    """The mappings a fresh install starts with (all two-way)."""
    rows = [("Lead", local, remote) for local, remote in _PEOPLE_DEFAULTS]
    rows += [
        ("Contact", local, _CONTACT_RENAMES.get(remote, remote))
        for local, remote in _PEOPLE_DEFAULTS
        if local != "company"
    ]
    rows += [("Account", "name", "Name"), ("Account", "website", "Website")]
    return [
        {
            "salesforce_object": sobject,
            "local_field": local,
            "salesforce_field": remote,
            "rule": MappingRule.TWO_WAY.value,
        }
        for sobject, local, remote in rows
    ]


def local_field_error(*, salesforce_object: str, local_field: str) -> str | None:
    """Why a local field cannot be mapped on this object, or None when it can."""
    if salesforce_object not in LOCAL_FIELDS:
        return f"Mappings exist for {', '.join(LOCAL_FIELDS)}; not for “{salesforce_object}”."
    if local_field.startswith(PROPERTY_PREFIX):
        if salesforce_object == MappedObject.ACCOUNT:
            return "Companies have no custom properties; map a company field."
        if is_property_key(local_field.removeprefix(PROPERTY_PREFIX)):
            return None
        return (
            "A property key is letters and digits, starting with a letter, with single "
            "underscores between them (e.g. plan_tier), at most 63 characters."
        )
    if local_field in LOCAL_FIELDS[salesforce_object]:
        return None
    allowed = ", ".join([*LOCAL_FIELDS[salesforce_object], "properties.<key>"])
    return f"“{local_field}” is not a local field of {salesforce_object}; use one of {allowed}."


def validate_mapping(
    *,
    fields: dict[str, dict],
    salesforce_object: str,
    salesforce_field: str,
    local_field: str,
    rule: str,
) -> list[str]:
    """Every problem with one mapping, given the object's describe() fields."""
    problems = []
    local_error = local_field_error(salesforce_object=salesforce_object, local_field=local_field)
    if local_error:
        problems.append(local_error)
    if rule not in MappingRule.values:
        problems.append(f"Unknown rule “{rule}”; use one of {', '.join(MappingRule.values)}.")
    described = fields.get(salesforce_field)
    if described is None:
        problems.append(_unknown_field(fields, salesforce_object, salesforce_field))
        return problems
    if local_error is None:
        problems += _type_problems(described, salesforce_object, local_field)
    if rule not in READ_ONLY_RULES and not (
        described.get("createable") and described.get("updateable")
    ):
        problems.append(
            f"{salesforce_object}.{salesforce_field} cannot be written by the integration user "
            "(not createable and updateable): choose “Always Salesforce” or “Off”, or grant "
            "edit access to the field."
        )
    return problems


def _unknown_field(fields: dict[str, dict], salesforce_object: str, name: str) -> str:
    by_lower = {known.lower(): known for known in fields}
    if name.lower() in by_lower:
        return (
            f"{salesforce_object} has no field “{name}”; the API name is {by_lower[name.lower()]}."
        )
    return (
        f"{salesforce_object} has no field “{name}”. Check the API name (custom fields end in "
        "__c) and the integration user's field-level security."
    )


def _type_problems(described: dict, salesforce_object: str, local_field: str) -> list[str]:
    kind = described.get("type", "")
    name = described.get("name", "")
    if fits(described, salesforce_object=salesforce_object, local_field=local_field):
        return []
    if local_field.startswith(PROPERTY_PREFIX):
        allowed = SCALAR_TYPES
    else:
        allowed = LOCAL_FIELDS[salesforce_object][local_field]
    return [
        f"{salesforce_object}.{name} is a field of type {kind} and cannot hold {local_field}; "
        f"map it to a field of type {', '.join(sorted(allowed))}."
    ]
