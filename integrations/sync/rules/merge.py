"""Merging one Salesforce row into one local record, field by field, by each field's rule.

Pure: it changes the record in memory and says what changed; saving and recording the
history are the caller's.
"""

from __future__ import annotations

from integrations.sync.rules.conflicts import decide
from integrations.sync.rules.fields import (
    MISSING,
    FieldMap,
    outbound_value,
    read_local,
    write_local,
)
from integrations.sync.rules.geo import GeoError

# What a pull writes on every record besides the mapped fields.
BOOKKEEPING_FIELDS = [
    "salesforce_id", "salesforce_synced_at", "salesforce_modstamp", "sync_values",
    "local_modified_at", "deleted_in_salesforce",
]  # fmt: skip


def seen_already(record, row: dict) -> bool:
    """The row is one we read before (the overlap window reads some rows twice)."""
    return bool(record.salesforce_modstamp and row["SystemModstamp"] <= record.salesforce_modstamp)


def unlink(record) -> None:
    """The Salesforce record is gone: keep the local one, marked and no longer synced."""
    record.salesforce_id = ""
    record.deleted_in_salesforce = True
    record.sync_values = {}


def merge_row(record, row: dict, maps: list[FieldMap]) -> tuple[list, bool]:
    """Apply one Salesforce row's mapped values to a local record, field by field.

    Returns (changes for the history, whether local values must be pushed back).
    """
    last = dict(record.sync_values or {})
    changes, push = [], False
    country = None
    for item in maps:
        if not item.reads or item.salesforce not in row:
            continue
        value = row[item.salesforce]
        try:
            local = outbound_value(record, item, country=country)
        except GeoError:
            local = read_local(record, item.local)
        if item.geo == "country":
            country = value
        decision = decide(
            rule=item.rule,
            salesforce_value=value,
            local_value=local,
            last=last.get(item.salesforce, MISSING),
            local_modified_at=record.local_modified_at,
            salesforce_modified_at=row.get("LastModifiedDate"),
            case_insensitive=item.case_insensitive,
        )
        if decision.apply:
            old = read_local(record, item.local)
            write_local(record, item.local, value)
            changes.append(
                {"field": item.local, "salesforce_field": item.salesforce, "old": old, "new": value}
            )
        push = push or decision.push
        last[item.salesforce] = value
    record.sync_values = last
    record.salesforce_modstamp = row["SystemModstamp"]
    return changes, push
