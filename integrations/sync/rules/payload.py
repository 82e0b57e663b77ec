"""What an outbound write sends for one record: the mapped fields that changed (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field

from integrations.choices import MappingRule
from integrations.sync.rules import geo
from integrations.sync.rules.fields import FieldMap, as_salesforce, outbound_value, same

# Fields Salesforce requires: a blank local value never clears them.
REQUIRED = {"Lead": {"LastName", "Company"}, "Contact": {"LastName"}, "Account": {"Name"}}


@dataclass
class Payload:
    """The values to send, and the fields whose local value could not be sent."""

    values: dict = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (Salesforce field, why)


def changed_values(record, maps: list[FieldMap], sobject: str) -> Payload:
    """Mapped fields whose local value differs from what both sides last agreed on."""
    last = record.sync_values or {}
    payload = Payload()
    country: str | None = None
    for item in maps:
        if not item.writes:
            continue
        try:
            value = outbound_value(record, item, country=country)
        except geo.GeoError as error:
            payload.problems.append((item.salesforce, str(error)))
            continue
        if item.geo == "country":
            country = value
        if item.rule == MappingRule.PREFER_SALESFORCE and as_salesforce(last.get(item.salesforce)):
            continue  # Salesforce has a value, and it wins
        if value is None and (not record.salesforce_id or item.salesforce in REQUIRED[sobject]):
            continue  # nothing to create with, or a required field Salesforce keeps
        if item.salesforce not in last or not same(
            value, last[item.salesforce], case_insensitive=item.case_insensitive
        ):
            payload.values[item.salesforce] = value
    return payload
