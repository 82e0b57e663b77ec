"""Which values a local record keeps when another local record is merged into it.

After a merge in Salesforce two local records may follow one Salesforce record; the one
linked to the surviving record (the survivor) absorbs the other. Pure: reads both records
and says what the survivor takes; moving history and saving are the caller's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from integrations.choices import MappingRule
from integrations.sync.rules.fields import FieldMap, as_salesforce, read_local, same
from integrations.sync.rules.payload import changed_values

# Mapped fields whose local value is authored here: the more recent change wins.
LOCAL_RULES = frozenset({MappingRule.TWO_WAY, MappingRule.TO_SALESFORCE})


def values_taken(
    *,
    survivor,
    loser,
    maps: list[FieldMap],
    sobject: str,
    fillable: Iterable[str],
    kept: Iterable[str] = (),
) -> dict[str, Any]:
    """Local field -> the value the survivor takes from the merged-away `loser`.

    Fields authored here (two-way, to Salesforce): the loser's value when it changed here
    and Salesforce has not had it yet (it differs from the loser's `sync_values`), unless the
    survivor has such a change of that field made later; the next push sends it. A value
    Salesforce had already was decided by the merge there: the survivor keeps it. Salesforce-
    wins fields: the survivor's (re-reading the master settles them). Unmapped `fillable`
    fields, which Salesforce never saw: the loser's where the survivor has none; dicts
    (properties) are joined, the survivor's keys winning. `kept` fields never change.
    """
    kept, mapped = set(kept), {item.local for item in maps}
    taken: dict[str, Any] = {}
    for name in fillable:
        if name in mapped or name in kept:
            continue
        value, current = getattr(loser, name), getattr(survivor, name)
        if isinstance(current, dict) and isinstance(value, dict):
            joined = {**value, **current}
            if joined != current:
                taken[name] = joined
        elif _blank(current) and not _blank(value):
            taken[name] = value
    loser_changes = changed_values(loser, maps, sobject).values
    survivor_changes = changed_values(survivor, maps, sobject).values
    loser_newer = _later(loser.local_modified_at, survivor.local_modified_at)
    for item in maps:
        if item.rule not in LOCAL_RULES or item.local in kept:
            continue
        if item.salesforce not in loser_changes or not loser.local_modified_at:
            continue
        value = read_local(loser, item.local)
        if item.salesforce in survivor_changes and not loser_newer:
            continue
        if not same(
            value, read_local(survivor, item.local), case_insensitive=item.case_insensitive
        ):
            taken[item.local] = value
    return taken


def _later(left: datetime | None, right: datetime | None) -> bool:
    return bool(left) and (right is None or left > right)


def _blank(value: Any) -> bool:
    return as_salesforce(value) is None or value in ({}, [])
