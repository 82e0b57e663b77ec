"""Which values a local record keeps when another local record is merged into it.

After a merge in Salesforce two local records may follow one Salesforce record; the one
linked to the surviving record (the survivor) absorbs the other. Pure: reads both records
and says what the survivor takes; moving history and saving are the caller's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from integrations.choices import MappingRule
from integrations.sync.rules.fields import FieldMap, as_salesforce, read_local, same

# Mapped fields whose local value is authored here: the more recent change wins.
LOCAL_RULES = frozenset({MappingRule.TWO_WAY, MappingRule.TO_SALESFORCE})
NEVER = datetime.min.replace(tzinfo=UTC)


def changed_at(record) -> datetime:
    """When the record last changed here (else when anything last wrote it)."""
    return record.local_modified_at or record.updated_at or NEVER


def values_taken(
    *, survivor, loser, maps: list[FieldMap], fillable: Iterable[str], kept: Iterable[str] = ()
) -> dict[str, Any]:
    """Local field -> the value the survivor takes from the merged-away `loser`.

    Fields authored here (two-way, to Salesforce): the loser's value when it changed more
    recently, or when the survivor has none. Salesforce-wins fields: the survivor's, which is
    what Salesforce says (re-reading the master settles them). Unmapped `fillable` fields:
    the loser's where the survivor has none; dicts (properties) are joined, the survivor's
    keys winning. `kept` fields (identities such as the email) never change.
    """
    kept, mapped = set(kept), {item.local for item in maps}
    taken: dict[str, Any] = {}
    for name in fillable:
        if name in mapped or name in kept:
            continue
        value, current = getattr(loser, name), getattr(survivor, name)
        if isinstance(current, dict) and isinstance(value, dict):
            if joined := {**value, **current}:
                if joined != current:
                    taken[name] = joined
        elif _blank(current) and not _blank(value):
            taken[name] = value
    loser_newer = changed_at(loser) > changed_at(survivor)
    for item in maps:
        if item.rule not in LOCAL_RULES or item.local in kept:
            continue
        value, current = read_local(loser, item.local), read_local(survivor, item.local)
        if _blank(value) or same(value, current, case_insensitive=item.case_insensitive):
            continue
        if loser_newer or _blank(current):
            taken[item.local] = value
    return taken


def _blank(value: Any) -> bool:
    return as_salesforce(value) is None or value in ({}, [])
