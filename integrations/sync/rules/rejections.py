"""Which writes Salesforce would refuse, foreseen from the object's describe() (pure).

The sync preview answers every write it plans with the error Salesforce would give where
describe() tells in advance: a value longer than its field (STRING_TOO_LONG), a malformed
address in an email field (INVALID_EMAIL_ADDRESS), a number beyond its field's precision
(NUMBER_OUTSIDE_VALID_RANGE), a value a restricted picklist does not have
(INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST), a state or country code the org's state and
country picklists do not have, a state code its country does not have, or, on create, a
state without a country (FIELD_INTEGRITY_EXCEPTION), and, on create, a required field
without a value (REQUIRED_FIELD_MISSING: not nillable, createable, no default). Codes and
messages are Salesforce's, as the emulator gives them (`EMAIL` is its address rule too); the
checks run in Salesforce's order (each value, then the address, then the required fields),
and the first error wins.
"""

from __future__ import annotations

import base64
import re

from integrations.salesforce.results import RecordError

TEXT_TYPES = frozenset({"string", "textarea", "email", "phone", "url", "picklist", "combobox"})
NUMBER_TYPES = frozenset({"int", "double", "currency", "percent"})
GEO_SUFFIXES = ("CountryCode", "StateCode")
# What Salesforce takes as an email address (the emulator checks the same pattern).
EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
NO_COUNTRY = "A country/territory must be specified before specifying a state value for field: "
COUNTRY_MESSAGE = (
    "There's a problem with this country, even though it may appear correct. "
    "Please select a country/territory from the list of valid countries."
)
STATE_MESSAGE = (
    "There's a problem with this state, even though it may appear correct. "
    "Please select a state from the list of valid states."
)


def foreseen_error(values: dict, fields: dict[str, dict], *, creating: bool) -> RecordError | None:
    """The error Salesforce would answer writing `values` (`fields`: describe() fields by
    name), or None when describe() foresees none. Fields describe() does not know are left
    to Salesforce (the mapping checks catch those before any sync)."""
    for name, value in values.items():
        spec = fields.get(name)
        if spec is None or value is None:
            continue
        error = _value_error(spec, value) or _state_error(spec, value, values, fields)
        if error is not None:
            return error
    if creating:
        return _state_without_country(values, fields) or _missing_required(values, fields)
    return None


def _value_error(spec: dict, value) -> RecordError | None:
    name, label = spec["name"], spec.get("label") or spec["name"]
    length = spec.get("length") or 0
    if spec.get("type") in TEXT_TYPES and isinstance(value, str) and length and len(value) > length:
        return RecordError(
            "STRING_TOO_LONG",
            f"{label}: data value too large: {value} (max length={length})",
            (name,),
        )
    if spec.get("type") == "email" and isinstance(value, str) and not EMAIL.fullmatch(value):
        return RecordError(
            "INVALID_EMAIL_ADDRESS", f"{label}: invalid email address: {value}", (name,)
        )
    if spec.get("restrictedPicklist") and value not in _active_values(spec):
        return RecordError(
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            f"{label}: bad value for restricted picklist field: {value}",
            (name,),
        )
    if _out_of_range(spec, value):
        return RecordError(
            "NUMBER_OUTSIDE_VALID_RANGE",
            f"{label}: value outside of valid range on numeric field: {value}",
            (name,),
        )
    if name.endswith(GEO_SUFFIXES) and spec.get("picklistValues"):
        if value not in _active_values(spec):
            message = COUNTRY_MESSAGE if name.endswith("CountryCode") else STATE_MESSAGE
            return RecordError("FIELD_INTEGRITY_EXCEPTION", message, (name,))
    return None


def _state_error(spec: dict, value, values: dict, fields: dict[str, dict]) -> RecordError | None:
    """A state code written with a country code that does not have it (describe()'s
    `validFor`: a bitmap over the country picklist's values, first value the high bit)."""
    name = spec["name"]
    if not name.endswith("StateCode"):
        return None
    country_field = name.removesuffix("StateCode") + "CountryCode"
    country = values.get(country_field)
    countries = _values(fields.get(country_field) or {})
    entries = {item["value"]: item for item in spec.get("picklistValues") or []}
    valid_for = entries.get(value, {}).get("validFor")
    if country not in countries or not valid_for:
        return None
    bitmap = base64.b64decode(valid_for)
    index = countries.index(country)
    valid = index // 8 < len(bitmap) and bitmap[index // 8] & (0x80 >> (index % 8))
    return None if valid else RecordError("FIELD_INTEGRITY_EXCEPTION", STATE_MESSAGE, (name,))


def _out_of_range(spec: dict, value) -> bool:
    """A number with more integer digits than its field's precision less its scale has."""
    precision, scale = spec.get("precision") or 0, spec.get("scale") or 0
    if spec.get("type") not in NUMBER_TYPES or not precision or isinstance(value, bool):
        return False
    return isinstance(value, int | float) and abs(value) >= 10 ** (precision - scale)


def _state_without_country(values: dict, fields: dict[str, dict]) -> RecordError | None:
    """A new record's state (code or name) without its country, where the org has state
    and country picklists (describe() has the address's CountryCode field)."""
    for code_field, spec in fields.items():
        if not (code_field.endswith("CountryCode") and spec.get("picklistValues")):
            continue
        prefix = code_field.removesuffix("CountryCode")
        if values.get(code_field) or values.get(f"{prefix}Country"):
            continue
        state_code, state = f"{prefix}StateCode", f"{prefix}State"
        written = state_code if values.get(state_code) else state if values.get(state) else ""
        if written:
            label = (fields.get(state) or {}).get("label") or state
            return RecordError("FIELD_INTEGRITY_EXCEPTION", NO_COUNTRY + label, (written,))
    return None


def _missing_required(values: dict, fields: dict[str, dict]) -> RecordError | None:
    missing = [
        name
        for name, spec in fields.items()
        if required_on_create(spec) and values.get(name) in (None, "")
    ]
    if not missing:
        return None
    return RecordError(
        "REQUIRED_FIELD_MISSING",
        f"Required fields are missing: [{', '.join(missing)}]",
        tuple(missing),
    )


def required_on_create(spec: dict) -> bool:
    """Whether an insert must give the field a value (describe() has no own flag for it)."""
    return (
        bool(spec.get("createable"))
        and not spec.get("nillable", True)
        and not spec.get("defaultedOnCreate")
        and spec.get("type") != "boolean"
    )


def _values(spec: dict) -> list[str]:
    """A picklist's values in describe()'s order (which `validFor` bitmaps index)."""
    return [entry["value"] for entry in spec.get("picklistValues") or []]


def _active_values(spec: dict) -> set[str]:
    return {entry["value"] for entry in spec.get("picklistValues") or [] if entry.get("active")}
