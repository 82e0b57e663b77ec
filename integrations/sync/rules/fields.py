"""Field maps and value handling shared by both directions (pure: no queries).

A `FieldMap` is one active mapping as the engine uses it: with state/country picklists on,
State/Country fields become their ISO *Code twins and values are normalised. Values are
compared in Salesforce's representation, where blank is None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from integrations.choices import MappingRule
from integrations.sync.rules import geo

WRITE_RULES = frozenset(
    {MappingRule.TWO_WAY, MappingRule.PREFER_SALESFORCE, MappingRule.TO_SALESFORCE}
)
READ_RULES = frozenset(
    {MappingRule.TWO_WAY, MappingRule.PREFER_SALESFORCE, MappingRule.ALWAYS_SALESFORCE}
)
GEO_FIELDS = {
    "State": "state", "Country": "country",
    "MailingState": "state", "MailingCountry": "country",
    "BillingState": "state", "BillingCountry": "country",
}  # fmt: skip
MISSING = object()
# A local field "properties.<key>" is one key of a contact's custom properties: letters and
# digits in words joined by single underscores, starting with a letter (so it never reads as
# a nested key, a lookup or an array index), up to 63 characters.
PROPERTY_PREFIX = "properties."
PROPERTY_KEY = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*")
PROPERTY_KEY_MAX = 63


@dataclass(frozen=True)
class FieldMap:
    local: str
    salesforce: str
    rule: str
    geo: str | None = None  # "state" or "country" when sent as an ISO code

    @property
    def writes(self) -> bool:
        return self.rule in WRITE_RULES

    @property
    def reads(self) -> bool:
        return self.rule in READ_RULES

    @property
    def case_insensitive(self) -> bool:
        """Email addresses: "Ada@X.io" and "ada@x.io" are the same value."""
        return self.salesforce.endswith("Email")


def field_map(*, local: str, salesforce_field: str, rule: str, picklists: bool) -> FieldMap:
    """One mapping as the engine uses it; with picklists on, State/Country become *Code."""
    kind = GEO_FIELDS.get(salesforce_field) if picklists else None
    field = f"{salesforce_field}Code" if kind else salesforce_field
    return FieldMap(local=local, salesforce=field, rule=rule, geo=kind)


def countries_first(maps: list[FieldMap]) -> list[FieldMap]:
    """A state code is only valid together with its country: countries go first."""
    return sorted(maps, key=lambda item: item.geo != "country")


def is_property_key(key: str) -> bool:
    return len(key) <= PROPERTY_KEY_MAX and PROPERTY_KEY.fullmatch(key) is not None


def property_key(local_field: str) -> str | None:
    """The key of a `properties.<key>` field (None for a model field); ValueError when the
    key is not one (the one parser of property fields, for mappings and rules alike)."""
    if not local_field.startswith(PROPERTY_PREFIX):
        return None
    key = local_field.removeprefix(PROPERTY_PREFIX)
    if not is_property_key(key):
        raise ValueError(f"“{key}” is not a property key (letters, digits, single _).")
    return key


def read_local(record, local_field: str) -> Any:
    key = property_key(local_field)
    if key is not None:
        return (record.properties or {}).get(key)
    return getattr(record, local_field)


def write_local(record, local_field: str, value: Any) -> None:
    key = property_key(local_field)
    if key is not None:
        properties = dict(record.properties or {})
        properties[key] = value
        record.properties = properties
        return
    field = record._meta.get_field(local_field)
    if value is None and not field.null:
        value = ""
    setattr(record, local_field, value)


def model_fields(maps: list[FieldMap]) -> set[str]:
    """The model fields the maps write: named fields, and `properties` for property keys."""
    return {"properties" if item.local.startswith(PROPERTY_PREFIX) else item.local for item in maps}


def as_salesforce(value: Any) -> Any:
    """A local value in Salesforce's representation (blank → None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value


def same(left: Any, right: Any, *, case_insensitive: bool = False) -> bool:
    left, right = as_salesforce(left), as_salesforce(right)
    if isinstance(left, str) and isinstance(right, str):
        left, right = left.strip(), right.strip()
        return left.casefold() == right.casefold() if case_insensitive else left == right
    return left == right


def outbound_value(record, field_map: FieldMap, *, country: str | None) -> Any:
    """The value to send for one mapping; raises geo.GeoError when it cannot be normalised."""
    value = as_salesforce(read_local(record, field_map.local))
    if value is None or field_map.geo is None:
        return value
    if field_map.geo == "country":
        code = geo.country_code(str(value))
        if code is None:
            raise geo.GeoError(f"“{value}” is not a country Salesforce knows.")
        return code
    code = geo.state_code(str(value), country or "")
    if code is None:
        raise geo.GeoError(f"“{value}” is not a state of {country or 'an unknown country'}.")
    return code
