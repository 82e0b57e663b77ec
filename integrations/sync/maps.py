"""The active field mappings of one Salesforce object, read from the settings."""

from __future__ import annotations

from collections.abc import Iterable

from integrations.choices import MappingRule
from integrations.models import FieldMapping
from integrations.sync.rules.fields import FieldMap, countries_first, field_map


def field_maps(
    salesforce_object: str, *, picklists: bool, mappings: Iterable[dict] | None = None
) -> list[FieldMap]:
    """The mappings of one object that take part in the sync (rule "off" left out);
    `mappings`: proposed ones (settings-document entries) instead of the saved ones."""
    if mappings is None:
        rows = FieldMapping.objects.filter(salesforce_object=salesforce_object).values(
            "local_field", "salesforce_field", "rule"
        )
    else:
        rows = [row for row in mappings if row["salesforce_object"] == salesforce_object]
    return countries_first(
        [
            field_map(
                local=row["local_field"],
                salesforce_field=row["salesforce_field"],
                rule=row["rule"],
                picklists=picklists,
            )
            for row in rows
            if row["rule"] != MappingRule.OFF
        ]
    )
